"""Compare two extractions of the same agreement so reviewed work survives a re-import."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .model import Clause, Extraction


@dataclass(frozen=True)
class ClauseDiff:
    """Index maps between the old and the new version's clauses."""

    unchanged: dict[int, int] = field(default_factory=dict)  # old index -> new index, same number and text
    changed: dict[int, int] = field(default_factory=dict)  # same number and path, different text
    added: list[int] = field(default_factory=list)  # new indices with no counterpart
    removed: list[int] = field(default_factory=list)  # old indices with no counterpart


def _norm(text: str | None) -> str:
    return re.sub(r"[\s.．、:：()（）]+", "", unicodedata.normalize("NFKC", text or ""))


def diff_clauses(old: Extraction, new: Extraction) -> ClauseDiff:
    """Map unchanged clauses (same number + normalised text) and flag changed, new and removed ones."""
    olds: list[Clause] = old.clauses
    news: list[Clause] = new.clauses
    unchanged: dict[int, int] = {}
    taken: set[int] = set()
    # Exact matches first, preferring the same path so repeated numbers ("五、" twice) pair up in order.
    for i, oc in enumerate(olds):
        best: int | None = None
        for j, nc in enumerate(news):
            if j in taken or _norm(oc.number) != _norm(nc.number) or oc.fingerprint != nc.fingerprint:
                continue
            if _norm(oc.path) == _norm(nc.path):
                best = j
                break
            if best is None:
                best = j
        if best is not None:
            unchanged[i] = best
            taken.add(best)
    changed: dict[int, int] = {}
    for i, oc in enumerate(olds):
        if i in unchanged:
            continue
        for j, nc in enumerate(news):
            if j not in taken and _norm(oc.number) == _norm(nc.number) and _norm(oc.path) == _norm(nc.path):
                changed[i] = j
                taken.add(j)
                break
    removed = [i for i in range(len(olds)) if i not in unchanged and i not in changed]
    added = [j for j in range(len(news)) if j not in taken]
    return ClauseDiff(unchanged=unchanged, changed=changed, added=added, removed=removed)
