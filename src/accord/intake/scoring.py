"""Scoring of extractions against gold labels (rules in the shared LABELLING.md, "Scoring").

Pure: takes an :class:`Extraction` and a gold dict (the JSON of one ``gold/*.json`` file).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from .dates import resolve_due
from .ideographs import unify_ideographs
from .model import Extraction

_PUNCT = string.punctuation + string.whitespace + "、。．，：；（）【】《》“”‘’　"


def strip_number(number: str | None) -> str:
    """The marker without surrounding punctuation, radicals read as ideographs (⼀、 = 一、)."""
    return unify_ideographs(number or "").strip(_PUNCT)


@dataclass
class Counts:
    """Additive tallies; several documents are summed before computing rates."""

    clause_tp: int = 0
    clause_pred: int = 0
    clause_gold: int = 0
    commitment_tp: int = 0
    commitment_pred: int = 0
    commitment_gold: int = 0
    span_matched: int = 0
    party_ok: int = 0
    due_ok: int = 0
    recurrence_ok: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def _greedy(pairs: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    pairs.sort(key=lambda p: -p[0])
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _score, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


def match_clauses(
    pred: list[tuple[int, str | None]], gold: list[tuple[int, str | None]]
) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index): start within 5 characters and equal stripped number."""
    pairs = []
    for i, (ps, pn) in enumerate(pred):
        for j, (gs, gn) in enumerate(gold):
            if abs(ps - gs) <= 5 and strip_number(pn) == strip_number(gn):
                pairs.append((-abs(ps - gs) + 0.0, i, j))
    return _greedy(pairs)


def span_overlap_ok(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap as a fraction of the shorter span (0 when spans are disjoint)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    if inter <= 0 or shorter <= 0:
        return 0.0
    return inter / shorter


def match_commitments(
    pred: list[tuple[int, int, str | None]], gold: list[tuple[int, int, str | None]], *, with_party: bool
) -> list[tuple[int, int]]:
    pairs = []
    for i, (ps, pe, pp) in enumerate(pred):
        for j, (gs, ge, gp) in enumerate(gold):
            ratio = span_overlap_ok((ps, pe), (gs, ge))
            if ratio >= 0.5 and (not with_party or pp == gp):
                pairs.append((ratio, i, j))
    return _greedy(pairs)


def _norm_due(text: str | None) -> str:
    return re.sub(r"\s+", "", (text or "")).lower()


def due_equal(
    pred_due: str | None, pred_resolved: date | None, gold_due: str | None, signed_on: date | None
) -> bool:
    if pred_due is None or gold_due is None:
        return pred_due is None and gold_due is None
    if _norm_due(pred_due) == _norm_due(gold_due):
        return True
    gold_resolved = resolve_due(gold_due, signed_on)
    return gold_resolved is not None and pred_resolved == gold_resolved


def score_document(
    extraction: Extraction, gold: dict[str, Any], body_bytes: int = 0, seconds: float = 0.0
) -> Counts:
    counts = Counts(bytes=body_bytes, seconds=seconds)
    gold_clauses = [(c["start"], c.get("number")) for c in gold.get("clauses", [])]
    pred_clauses = [(c.start, c.number) for c in extraction.clauses]
    counts.clause_gold = len(gold_clauses)
    counts.clause_pred = len(pred_clauses)
    counts.clause_tp = len(match_clauses(pred_clauses, gold_clauses))

    gold_c = gold.get("commitments", [])
    gspans = [(c["quote_start"], c["quote_start"] + len(c["quote"]), c.get("party")) for c in gold_c]
    pspans = [(c.quote_start, c.quote_end, c.party) for c in extraction.commitments]
    counts.commitment_gold = len(gspans)
    counts.commitment_pred = len(pspans)
    counts.commitment_tp = len(match_commitments(pspans, gspans, with_party=True))
    signed = gold.get("signed_on")
    signed_on = date.fromisoformat(signed) if signed else None
    for i, j in match_commitments(pspans, gspans, with_party=False):
        p = extraction.commitments[i]
        g = gold_c[j]
        counts.span_matched += 1
        counts.party_ok += int(p.party == g.get("party"))
        counts.due_ok += int(due_equal(p.due, p.due_resolved, g.get("due"), signed_on))
        counts.recurrence_ok += int(p.recurrence == g.get("recurrence"))
    return counts


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _rate(num: int, den: int) -> float:
    return num / den if den else 0.0


def summarize(c: Counts) -> dict[str, float]:
    """The figures ``accord bench extract --json`` prints for one group of documents."""
    cp = _rate(c.clause_tp, c.clause_pred)
    cr = _rate(c.clause_tp, c.clause_gold)
    mp = _rate(c.commitment_tp, c.commitment_pred)
    mr = _rate(c.commitment_tp, c.commitment_gold)
    return {
        "clause_precision": round(cp, 4),
        "clause_recall": round(cr, 4),
        "clause_f1": round(_f1(cp, cr), 4),
        "commitment_precision": round(mp, 4),
        "commitment_recall": round(mr, 4),
        "commitment_f1": round(_f1(mp, mr), 4),
        "party_accuracy": round(_rate(c.party_ok, c.span_matched), 4),
        "due_accuracy": round(_rate(c.due_ok, c.span_matched), 4),
        "recurrence_accuracy": round(_rate(c.recurrence_ok, c.span_matched), 4),
        "kb_per_s": round((c.bytes / 1024) / c.seconds, 1) if c.seconds > 0 else 0.0,
    }


def lang_of(filename: str, gold: dict[str, Any] | None = None) -> str:
    m = re.match(r"\d+_([a-z]{2})_", filename)
    if m:
        return m.group(1)
    return str((gold or {}).get("lang") or "")
