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
from accord.match.tokenize import is_han

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
        if not left.joins_next or not into_chinese(left) or not into_chinese(right):
            continue
        pairs: list[tuple[int, Sense, Sense, str]] = []
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
        if not pairs:
            continue
        best = max(n for n, *_ in pairs)
        origin = f"{left.origin} {right.origin}"
        seen: set[str] = set()
        for n, a, b, bigram in sorted(pairs, key=lambda p: -p[0]):
            if n < best * KEEP_SHARE:
                break
            for k, sense in ((i, a), (i + 1, b)):
                if sense not in chosen.setdefault(k, []):
                    chosen[k].append(sense)
            if bigram not in seen:
                seen.add(bigram)
                joins.append(QueryTerm(bigram, weight, "translation", origin, a.gloss + b.gloss))
    for k, senses in chosen.items():
        out[k] = replace(out[k], senses=tuple(senses))
    return out, joins


def into_chinese(unit: TranslationUnit) -> bool:
    """A piece translated into Chinese headwords (an English piece of the demand)."""
    return bool(unit.senses) and all(is_han(s.gloss) for s in unit.senses)
