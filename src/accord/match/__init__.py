"""Matchmaking: match a technical demand (Chinese or English) to documents, experts, achievements and labs.

Pure engine, independent of the web app, database and settings::

    from accord.match import Document, Filters, Matcher

    m = Matcher()
    m.add(Document(id="p1", kind="paper", title="...", text="...", lang="en", expert_ids=("e1",)))
    m.remove("p1")
    res = m.search("锂电池 热失控 预警", k=10, filters=Filters(kinds=frozenset({"paper"})))
    experts = m.search_experts("锂电池 热失控 预警", k=10)
    why = m.explain("锂电池 热失控 预警", experts.experts[0])
    m.save(path); m = Matcher.load(path)  # IndexCorruptedError -> rebuild

See docs/matching.md.
"""

from accord.match.aggregate import METHODS as AGGREGATIONS
from accord.match.aggregate import aggregate_experts
from accord.match.index import MatchConfig, Matcher
from accord.match.model import (
    DocExplanation,
    Document,
    ExpertHit,
    ExpertResult,
    Explanation,
    Filters,
    Hit,
    IndexCorruptedError,
    IndexOutdatedError,
    MatchError,
    MatchSummary,
    QueryTerm,
    ReadableTerm,
    SearchResult,
    Span,
    TermMatch,
)
from accord.match.query import AnalyzedQuery, QueryOptions, analyze
from accord.match.tokenize import detect_lang, tokenize
from accord.match.translate import merge_glossary, read_glossary_file

__all__ = [
    "AGGREGATIONS",
    "AnalyzedQuery",
    "DocExplanation",
    "Document",
    "ExpertHit",
    "ExpertResult",
    "Explanation",
    "Filters",
    "Hit",
    "IndexCorruptedError",
    "IndexOutdatedError",
    "MatchConfig",
    "MatchError",
    "MatchSummary",
    "Matcher",
    "QueryOptions",
    "QueryTerm",
    "ReadableTerm",
    "SearchResult",
    "Span",
    "TermMatch",
    "aggregate_experts",
    "analyze",
    "detect_lang",
    "merge_glossary",
    "read_glossary_file",
    "tokenize",
]
