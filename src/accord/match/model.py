"""Plain data types of the matchmaking engine (no behaviour beyond parsing)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class MatchError(Exception):
    """Base error of :mod:`accord.match`."""


class IndexCorruptedError(MatchError):
    """The index on disk is missing files, fails its checksums or is inconsistent: rebuild it."""


class IndexOutdatedError(IndexCorruptedError):
    """The index on disk was written by another version of the format (as after an upgrade): rebuild it;
    nothing is wrong with the disk."""


@dataclass(slots=True)
class Document:
    """A matchable item: a publication, patent, achievement or lab profile (``kind``)."""

    id: str
    text: str
    kind: str = "paper"
    title: str = ""
    lang: str | None = None  # detected when None
    expert_ids: tuple[str, ...] = ()
    org: str | None = None
    year: int | None = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Document:
        year = d.get("year")
        try:
            year_i = int(year) if year not in (None, "") else None
        except (TypeError, ValueError):
            year_i = None
        return cls(
            id=str(d["id"]),
            text=str(d.get("text") or ""),
            kind=str(d.get("kind") or "paper"),
            title=str(d.get("title") or ""),
            lang=d.get("lang") or None,
            expert_ids=tuple(str(e) for e in d.get("expert_ids") or ()),
            org=d.get("org") or None,
            year=year_i,
        )


@dataclass(frozen=True, slots=True)
class Filters:
    """Restrict a search. ``None`` means no restriction on that field."""

    kinds: frozenset[str] | None = None
    langs: frozenset[str] | None = None
    orgs: frozenset[str] | None = None
    year_min: int | None = None
    year_max: int | None = None
    exclude_ids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One weighted search term. ``source`` is ``query`` or ``translation``; ``origin`` is the query text it
    came from and ``via`` the dictionary gloss/headword that produced it (translations only)."""

    term: str
    weight: float
    source: str
    origin: str
    via: str = ""
    from_glossary: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    doc_id: str
    score: float
    kind: str
    title: str


@dataclass(frozen=True, slots=True)
class ExpertHit:
    expert_id: str
    score: float  # ranks experts for this demand
    doc_ids: tuple[str, ...]  # supporting documents, best first
    calibrated: float = 0.0  # comparable across demands (scores of different demands are not); see aggregate
    n_docs: int = 0  # retrieved documents of the expert that match the demand
    years: tuple[int, ...] = ()  # their years, where known
    best_doc_score: float = 0.0  # score of the expert's best document for the demand


@dataclass(slots=True)
class SearchResult:
    hits: list[Hit]
    terms: list[QueryTerm]
    reason: str | None = None  # why the result is empty, for the user
    truncated: bool = False


@dataclass(slots=True)
class ExpertResult:
    experts: list[ExpertHit]
    terms: list[QueryTerm]
    reason: str | None = None
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` inside a snippet's ``text`` (never HTML)."""

    start: int
    end: int
    term: str


@dataclass(frozen=True, slots=True)
class TermMatch:
    term: str
    origin: str
    source: str  # "query", "translation" or "feedback" (expansion from top documents)
    via: str
    contribution: float


@dataclass(slots=True)
class DocExplanation:
    doc_id: str
    title: str
    score: float
    terms: list[TermMatch]
    snippet: str
    spans: list[Span]
    snippet_start: int  # offset of the snippet in the document's title + "\n" + text


@dataclass(frozen=True, slots=True)
class ReadableTerm:
    """A matched term as a person reads it: a word of the demand (as written), a translation with the one
    sense that matched (``origin`` → ``gloss``), or a related word found through feedback (as written in
    the documents)."""

    text: str
    source: str  # "query", "translation" or "feedback"
    origin: str = ""
    gloss: str = ""
    contribution: float = 0.0


@dataclass(frozen=True, slots=True)
class MatchSummary:
    """The match in numbers a sentence can say: matched M of N demand terms, T through translation;
    D documents, R of them since ``since``."""

    query_terms: int
    matched: int
    translated: int
    documents: int
    recent: int
    since: int | None


@dataclass(slots=True)
class Explanation:
    target_id: str
    score: float
    matched_terms: list[TermMatch]
    translated_terms: list[TermMatch]  # the subset that came through translation
    documents: list[DocExplanation]
    breakdown: dict[str, float] = field(default_factory=dict)
    readable: list[ReadableTerm] = field(default_factory=list)
    summary: MatchSummary | None = None
