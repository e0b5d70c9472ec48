"""Turn a demand (Chinese, English or mixed) into weighted terms, adding dictionary translations."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from accord.match.model import QueryTerm
from accord.match.tokenize import (
    _HAN_RUN,
    _LATIN_WORD,
    MAX_CHARS,
    en_term,
    is_han,
    is_phrase,
    iter_tokens,
    tokenize,
)
from accord.match.translate import get_dictionary


@dataclass(frozen=True, slots=True)
class QueryOptions:
    translate: bool = True
    #: Weight of a translated term relative to an original one (originals are more certain).
    translation_weight: float = 0.8
    #: Senses of a Chinese word used for zh→en (first senses are the common ones).
    max_senses: int = 3
    #: Sub-linear query term frequency (1 + log tf) keeps long demands from being dominated by repeats.
    log_tf: bool = True
    #: Single Chinese characters (indexed for Chinese documents only): partial matches of unseen terms.
    unigram_weight: float = 1.0
    #: Whole Chinese words of 3+ characters: their bigrams already match, the word adds an exact-match bonus.
    word_weight: float = 0.0
    #: Weight of the terms of a demand's context (the text around the part that says what is wanted, e.g.
    #: a whole abstract around its method sentences), relative to the demand's own terms.
    context_weight: float = 1.0
    #: Phrase terms (two neighbouring English content words): matches of the words in that order.
    phrase_weight: float = 1.0


#: Chinese headwords of an English piece among which compounds are looked for.
COMPOUND_CANDIDATES = 8


@dataclass(frozen=True, slots=True)
class Sense:
    """One dictionary sense of a translated query piece: the gloss (or headword) and its index terms."""

    gloss: str
    terms: frozenset[str]


@dataclass(frozen=True, slots=True)
class TranslationUnit:
    """A piece of the query (a Chinese term or an English phrase) and its senses, most common first."""

    origin: str
    senses: tuple[Sense, ...]
    from_glossary: bool
    #: More senses to choose from with evidence from the collection (an English piece's further Chinese
    #: headwords; see ``accord.match.compounds``), best first, the senses included.
    candidates: tuple[Sense, ...] = ()
    #: The next unit's words follow this one's directly in the demand (one term in Chinese, maybe).
    joins_next: bool = False


@dataclass(slots=True)
class AnalyzedQuery:
    terms: list[QueryTerm]
    reason: str | None
    truncated: bool
    translations: list[TranslationUnit] = field(default_factory=list)


def _tf(n: float, log_tf: bool) -> float:
    return 1.0 + math.log(n) if log_tf and n >= 1 else n


def _zh_factor(term: str, opts: QueryOptions) -> float:
    if not _HAN_RUN.match(term):
        return opts.phrase_weight if is_phrase(term) else 1.0
    return opts.unigram_weight if len(term) == 1 else opts.word_weight if len(term) >= 3 else 1.0


def analyze(text: str, options: QueryOptions | None = None, context: str = "") -> AnalyzedQuery:
    """Weighted terms of a demand. ``context`` is optional text around the demand (the rest of the document
    it comes from): its terms are added at ``options.context_weight`` times their own weight, so that the
    demand's words count most and the context tells which sense and field they belong to."""
    opts = options or QueryOptions()
    aq = _analyze(text, opts)
    if aq.reason or opts.context_weight <= 0 or not context.strip():
        return aq
    around = _analyze(context, replace(opts, context_weight=0.0))
    if around.reason:
        return aq
    weights = {t.term: i for i, t in enumerate(aq.terms)}
    terms = list(aq.terms)
    for t in around.terms:
        extra = opts.context_weight * t.weight
        i = weights.get(t.term)
        if i is None:
            weights[t.term] = len(terms)
            terms.append(replace(t, weight=extra))
        else:
            terms[i] = replace(terms[i], weight=terms[i].weight + extra)
    # The demand's own translation units only: sense evidence, when on, re-weighs those.
    return AnalyzedQuery(terms, None, aq.truncated or around.truncated, aq.translations)


def _analyze(text: str, opts: QueryOptions) -> AnalyzedQuery:
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
        QueryTerm(t, w, "query", origin[t])
        for t, n in counts.items()
        if (w := _tf(n, opts.log_tf) * _zh_factor(t, opts)) > 0  # a zero weight would only cost time
    ]
    units = translation_units(text, opts) if opts.translate else []
    terms.extend(translation_terms(units, set(counts), opts.translation_weight))
    if not terms:
        has_words = bool(_HAN_RUN.search(text) or _LATIN_WORD.search(text))
        reason = (
            "only stop words in the query" if has_words else "no words in the query (punctuation or symbols)"
        )
        return AnalyzedQuery([], reason, truncated)
    return AnalyzedQuery(terms, None, truncated, units)


def translation_units(text: str, opts: QueryOptions) -> list[TranslationUnit]:
    """The query's pieces that the dictionaries translate, each with its senses."""
    d = get_dictionary()
    units: list[TranslationUnit] = []
    if _HAN_RUN.search(text):
        at, end = 0, -1  # where the previous Chinese piece ended in the text
        for tr, senses in d.zh_to_en(text, max(opts.max_senses, COMPOUND_CANDIDATES)):
            glosses = tuple(
                Sense(g, frozenset(t for w in _LATIN_WORD.findall(g) if (t := en_term(w)))) for g in senses
            )
            start = text.find(tr.source, at)
            if start >= 0:
                if units and start == end:
                    units[-1] = replace(units[-1], joins_next=True)
                at = end = start + len(tr.source)
            units.append(TranslationUnit(tr.source, glosses[: opts.max_senses], tr.from_glossary, glosses))
    if _LATIN_WORD.search(text):
        for piece in d.en_pieces(text, opts.max_senses, COMPOUND_CANDIDATES):
            units.append(
                TranslationUnit(
                    piece.source,
                    tuple(_headword_sense(head, d.generation) for head in piece.heads),
                    piece.from_glossary,
                    tuple(_headword_sense(head, d.generation) for head in piece.candidates),
                    piece.joins_next,
                )
            )
    return [u for u in units if any(s.terms for s in u.senses)]


@lru_cache(maxsize=65_536)
def _headword_sense(head: str, generation: int) -> Sense:
    """A Chinese headword as a sense: its index terms (cached: demands repeat dictionary headwords; the
    dictionary's ``generation`` changes when a glossary teaches the segmenter new words)."""
    return Sense(head, frozenset(tokenize(head)))


def translation_terms(
    units: Sequence[TranslationUnit],
    originals: set[str],
    weight: float,
    confidence: Sequence[Sequence[float]] | None = None,
) -> list[QueryTerm]:
    """Weighted target-language terms: a term gets ``weight`` times the confidence of the senses that
    contain it (uniform unless ``confidence`` gives one list per unit), at most ``weight``. Its ``via``
    is the most confident sense containing it, the gloss an explanation shows."""
    weights: dict[str, float] = defaultdict(float)
    best: dict[str, tuple[float, str, str, bool]] = {}
    for i, unit in enumerate(units):
        n = len(unit.senses)
        conf = confidence[i] if confidence is not None else [1.0 / n] * n
        for sense, c in zip(unit.senses, conf, strict=True):
            if c <= 0:
                continue
            for t in sense.terms:
                weights[t] += weight * c
                if t not in best or c > best[t][0]:
                    best[t] = (c, unit.origin, sense.gloss, unit.from_glossary)
    out: list[QueryTerm] = []
    for t, w in weights.items():
        if t in originals:
            continue  # an original term already carries full weight
        _c, origin, via, glossary = best[t]
        out.append(QueryTerm(t, min(w, weight), "translation", origin, via, glossary))
    return out


@dataclass(frozen=True, slots=True)
class DisplayUnit:
    """A term of the demand as a person reads it (an English word as typed, a Chinese word or dictionary
    term), with the index terms it was searched by."""

    text: str
    lang: str
    terms: frozenset[str]


def display_units(text: str) -> list[DisplayUnit]:
    """The demand's terms in order, no repeats: English words (stop words left out) and Chinese words
    joined into dictionary terms where the dictionary has them (see ``Dictionary.units``)."""
    text = text[:MAX_CHARS]
    out: list[DisplayUnit] = []
    seen: set[str] = set()
    for word in _LATIN_WORD.findall(text):
        term = en_term(word)
        if term is not None and term not in seen:
            seen.add(term)
            out.append(DisplayUnit(word, "en", frozenset({term})))
    for unit in get_dictionary().units(text):
        if unit not in seen and is_han(unit):
            seen.add(unit)
            out.append(DisplayUnit(unit, "zh", frozenset(tokenize(unit))))
    return out
