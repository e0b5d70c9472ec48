"""Turn a demand (Chinese, English or mixed) into weighted terms, adding dictionary translations."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from accord.match.model import QueryTerm
from accord.match.tokenize import _HAN_RUN, _LATIN_WORD, MAX_CHARS, en_term, iter_tokens, tokenize
from accord.match.translate import get_dictionary


@dataclass(frozen=True, slots=True)
class QueryOptions:
    translate: bool = True
    #: Weight of a translated term relative to an original one (originals are more certain).
    translation_weight: float = 0.5
    #: Senses of a Chinese word used for zh→en (first senses are the common ones).
    max_senses: int = 3
    #: Sub-linear query term frequency (1 + log tf) keeps long demands from being dominated by repeats.
    log_tf: bool = True
    #: Single Chinese characters (indexed for Chinese documents only): partial matches of unseen terms.
    unigram_weight: float = 1.0
    #: Whole Chinese words of 3+ characters: their bigrams already match, the word adds an exact-match bonus.
    word_weight: float = 0.3


@dataclass(slots=True)
class AnalyzedQuery:
    terms: list[QueryTerm]
    reason: str | None
    truncated: bool


def _tf(n: float, log_tf: bool) -> float:
    return 1.0 + math.log(n) if log_tf and n >= 1 else n


def _is_unigram(term: str) -> bool:
    return len(term) == 1 and bool(_HAN_RUN.match(term))


def _zh_factor(term: str, opts: QueryOptions) -> float:
    if not _HAN_RUN.match(term):
        return 1.0
    return opts.unigram_weight if len(term) == 1 else opts.word_weight if len(term) >= 3 else 1.0


def analyze(text: str, options: QueryOptions | None = None) -> AnalyzedQuery:
    opts = options or QueryOptions()
    truncated = len(text) > MAX_CHARS
    text = text[:MAX_CHARS]
    if not text.strip():
        return AnalyzedQuery([], "empty query", truncated)
    counts: dict[str, int] = defaultdict(int)
    origin: dict[str, str] = {}
    for tok in iter_tokens(text):
        counts[tok.term] += 1
        origin.setdefault(tok.term, text[tok.start : tok.end])
    terms = [
        QueryTerm(t, _tf(n, opts.log_tf) * _zh_factor(t, opts), "query", origin[t]) for t, n in counts.items()
    ]
    if opts.translate:
        terms.extend(_translations(text, set(counts), opts))
    if not terms:
        has_words = bool(_HAN_RUN.search(text) or _LATIN_WORD.search(text))
        reason = (
            "only stop words in the query" if has_words else "no words in the query (punctuation or symbols)"
        )
        return AnalyzedQuery([], reason, truncated)
    return AnalyzedQuery(terms, None, truncated)


def _translations(text: str, originals: set[str], opts: QueryOptions) -> list[QueryTerm]:
    d = get_dictionary()
    weights: dict[str, float] = defaultdict(float)
    info: dict[str, tuple[str, str, bool]] = {}
    if _HAN_RUN.search(text):
        for tr, senses in d.zh_to_en(text, opts.max_senses):
            # A token shared by all senses of a word is a safer translation than one sense's token.
            per_sense = [{t for w in _LATIN_WORD.findall(s) if (t := en_term(w))} for s in senses]
            n = len(per_sense)
            share: dict[str, int] = defaultdict(int)
            for toks in per_sense:
                for t in toks:
                    share[t] += 1
            for t, c in share.items():
                weights[t] += opts.translation_weight * c / n
                info.setdefault(t, (tr.source, tr.target, tr.from_glossary))
    if _LATIN_WORD.search(text):
        by_source: dict[str, list[tuple[str, bool]]] = defaultdict(list)
        for tr in d.en_to_zh(text):
            by_source[tr.source].append((tr.target, tr.from_glossary))
        for source, heads in by_source.items():
            for head, glossary in heads:
                toks = set(tokenize(head))
                for t in toks:
                    weights[t] += opts.translation_weight / len(heads)
                    info.setdefault(t, (source, head, glossary))
    out: list[QueryTerm] = []
    for t, w in weights.items():
        if t in originals:
            continue  # an original term already carries full weight
        src, via, glossary = info[t]
        out.append(QueryTerm(t, min(w, opts.translation_weight), "translation", src, via, glossary))
    return out
