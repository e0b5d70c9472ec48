"""Compounds across translated English words, attested in the Chinese documents.

Chinese writes a technical term as one run of characters: "indicator system" is 指标体系, "content
determination" 含量测定. Translated word by word, each English word brings a few dictionary headwords,
most of them the wrong sense (indicator → 表征, 指示剂; content → 内容), and nothing of the term's
join. For two English words written next to each other, every pair of their candidate headwords (the
dictionary's first few senses and some more) is looked up in the collection: a pair is *attested* when
documents contain both headwords and the character bigram across their join (标体 for 指标 + 体系), which
a document has where it writes the two together. The attested pairs choose the senses of both words, and
their join bigrams are searched as well, as the demand's Chinese would have been (Cao & Li 2002 validate
compositional translations of base noun phrases the same way, against the web).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from accord.match.model import QueryTerm
from accord.match.query import Sense, TranslationUnit
from accord.match.tokenize import _LATIN_WORD, en_term, is_han, phrase_term

DocsOf = Callable[[str], npt.NDArray[np.int64]]

#: Documents that must write a pair together before it counts as attested.
MIN_ATTESTED = 2
#: Pairs kept for a join: those attested at least this share of the best pair's count.
KEEP_SHARE = 0.5


def _head_docs(
    sense: Sense, docs_of: DocsOf, cache: dict[str, npt.NDArray[np.int64]]
) -> npt.NDArray[np.int64]:
    """Documents containing every multi-character term of a headword (its bigrams and words; a headword of
    one character: the character)."""
    key = sense.gloss
    if key in cache:
        return cache[key]
    out: npt.NDArray[np.int64] | None = None
    terms = sorted(t for t in sense.terms if len(t) > 1) or sorted(sense.terms)  # a one-character head
    for t in terms:
        d = docs_of(t)
        out = d if out is None else np.intersect1d(out, d, assume_unique=True)
        if not len(out):
            break
    cache[key] = out if out is not None else np.zeros(0, np.int64)
    return cache[key]


def attest(
    units: Sequence[TranslationUnit], docs_of: DocsOf, weight: float
) -> tuple[list[TranslationUnit], list[QueryTerm]]:
    """Units whose senses are the attested compounds' headwords (units in no attested pair unchanged) and
    the join bigrams of the attested pairs, each weighted ``weight``."""
    out = list(units)
    chosen: dict[int, list[Sense]] = {}
    joins: list[QueryTerm] = []
    cache: dict[str, npt.NDArray[np.int64]] = {}
    for i in range(len(units) - 1):
        left, right = units[i], units[i + 1]
        if not left.joins_next:
            continue
        if into_chinese(left) and into_chinese(right):
            pairs = _chinese_pairs(left, right, docs_of, cache)
        elif not into_chinese(left) and not into_chinese(right):
            pairs = _english_pairs(left, right, docs_of)
        else:
            continue
        if not pairs:
            continue
        best = max(n for n, *_ in pairs)
        origin = f"{left.origin} {right.origin}" if into_chinese(left) else left.origin + right.origin
        seen: set[str] = set()
        for n, a, b, bigram in sorted(pairs, key=lambda p: -p[0]):
            if n < best * KEEP_SHARE:
                break
            for k, sense in ((i, a), (i + 1, b)):
                if sense not in chosen.setdefault(k, []):
                    chosen[k].append(sense)
            if bigram not in seen:
                seen.add(bigram)
                via = a.gloss + b.gloss if into_chinese(left) else f"{a.gloss} {b.gloss}"
                joins.append(QueryTerm(bigram, weight, "translation", origin, via))
    for k, senses in chosen.items():
        if into_chinese(out[k]):
            out[k] = replace(out[k], senses=tuple(senses))
        else:  # English glosses are synonyms that all match: the attested ones are added, none dropped
            out[k] = replace(
                out[k], senses=out[k].senses + tuple(s for s in senses if s not in out[k].senses)
            )
    return out, joins


Pair = tuple[int, Sense, Sense, str]


def _chinese_pairs(
    left: TranslationUnit, right: TranslationUnit, docs_of: DocsOf, cache: dict[str, npt.NDArray[np.int64]]
) -> list[Pair]:
    """Pairs of two English pieces' Chinese headwords that documents write together."""
    pairs: list[Pair] = []
    for a in left.candidates or left.senses:
        da = _head_docs(a, docs_of, cache)
        if not len(da):
            continue
        for b in right.candidates or right.senses:
            bigram = a.gloss[-1] + b.gloss[0]
            db = _head_docs(b, docs_of, cache)
            if not len(db):
                continue
            both = np.intersect1d(da, db, assume_unique=True)
            if len(both) < MIN_ATTESTED:
                continue
            n = len(np.intersect1d(both, docs_of(bigram), assume_unique=True))
            if n >= MIN_ATTESTED:
                pairs.append((n, a, b, bigram))
    return pairs


def _english_pairs(left: TranslationUnit, right: TranslationUnit, docs_of: DocsOf) -> list[Pair]:
    """Pairs of two Chinese pieces' English glosses that documents write together: the phrase term of the
    first gloss's last word and the second's first word (迁移 + 学习 → "transfer learn")."""
    pairs: list[Pair] = []
    for a in left.candidates or left.senses:
        last = _edge_word(a.gloss, -1)
        if last is None:
            continue
        for b in right.candidates or right.senses:
            first = _edge_word(b.gloss, 0)
            if first is None:
                continue
            phrase = phrase_term(last, first)
            n = len(docs_of(phrase))
            if n >= MIN_ATTESTED:
                pairs.append((n, a, b, phrase))
    return pairs


def _edge_word(gloss: str, index: int) -> str | None:
    """The index term of a gloss's first (0) or last (-1) content word."""
    words = [t for w in _LATIN_WORD.findall(gloss) if (t := en_term(w))]
    return words[index] if words else None


def into_chinese(unit: TranslationUnit) -> bool:
    """A piece translated into Chinese headwords (an English piece of the demand)."""
    return bool(unit.senses) and all(is_han(s.gloss) for s in unit.senses)
