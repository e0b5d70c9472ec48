"""From document scores to expert scores (data fusion / expert-finding models).

Methods (all over the top retrieved documents, best first):

- ``combsum_top``: sum of an expert's best ``top`` document scores (CombSUM truncated; the benchmark
  baseline uses top 3).
- ``combsum``: sum of all their retrieved document scores (Fox & Shaw 1994).
- ``combmnz``: CombSUM × number of their retrieved documents.
- ``rr``: reciprocal-rank voting, Σ 1 / (60 + rank) (Macdonald & Ounis 2006; Cormack et al. 2009).
- ``model2``: Balog, Azzopardi & de Rijke (2006) document-centric Model 2,
  p(q|e) = Σ_d p(q|d) p(d|e), with p(q|d) ∝ exp((score_d - max score) / temperature) and
  p(d|e) = 1 / |docs of e|.

Chosen by cross-validation (docs/benchmarks.md). Scores of different demands are not on one scale, so for
comparisons *across* demands (e.g. "which demands suit this expert best", the reviewer_gold pairwise loss)
each hit also carries a calibrated score (:func:`calibrate`):

- ``rank``: 1 / the expert's rank for the demand.
- ``rr``: Σ over the expert's retrieved documents of 1 / (k + the document's rank): how high the expert's
  own documents come for this demand, whatever the demand's score scale. It favours prolific experts when
  experts are compared within one demand, but across demands an expert's output is the same on both sides.
- ``share``: the expert's best document score as a share of the demand's best document score.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal, get_args

import numpy as np
import numpy.typing as npt

from accord.match.ragged import Ragged

Aggregation = Literal["combsum_top", "combsum", "combmnz", "rr", "model2"]
Calibration = Literal["rank", "rr", "share"]
METHODS: tuple[Aggregation, ...] = get_args(Aggregation)
CALIBRATIONS: tuple[Calibration, ...] = get_args(Calibration)


def _pairs(
    slots: npt.NDArray[np.int64], doc_experts: Sequence[npt.NDArray[np.int32]] | Ragged
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(expert, rank of its document) for every expert of every ranked document, in rank order."""
    if isinstance(doc_experts, Ragged):
        experts, rank = doc_experts.gather(slots)
        return experts.astype(np.int64), rank
    rows = [np.asarray(doc_experts[s], np.int64) for s in slots.tolist()]
    lens = [len(r) for r in rows]
    flat = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    return flat, np.repeat(np.arange(len(rows), dtype=np.int64), lens)


def _sums(
    groups: npt.NDArray[np.int64], weights: npt.NDArray[np.floating[Any]], n: int
) -> npt.NDArray[np.float64]:
    return np.bincount(groups, weights, minlength=n).astype(np.float64, copy=False)


def aggregate_experts(
    doc_scores: Sequence[tuple[int, float]],
    doc_experts: Sequence[npt.NDArray[np.int32]] | Ragged,
    method: Aggregation = "model2",
    top: int = 5,
    expert_doc_counts: npt.NDArray[np.int64] | None = None,
    temperature: float = 3.0,
    k: int | None = None,
) -> list[tuple[int, float, list[int]]]:
    """Return ``(expert, score, supporting doc slots best first)`` sorted by score, descending; the best
    ``k`` experts only when ``k`` is given (all experts are still scored)."""
    if method not in METHODS:
        raise ValueError(f"unknown aggregation {method!r}; choose from {', '.join(METHODS)}")
    slots = np.fromiter((s for s, _ in doc_scores), np.int64, len(doc_scores))
    scores = np.fromiter((v for _, v in doc_scores), np.float64, len(doc_scores))
    expert, rank = _pairs(slots, doc_experts)
    if len(expert) == 0:
        return []
    # Experts renumbered 0..m-1 so that the sums below are small arrays; ``order`` groups the pairs by
    # expert, each expert's documents best first.
    ids, local = np.unique(expert, return_inverse=True)
    order = np.argsort(local, kind="stable")
    bounds = np.searchsorted(local[order], np.arange(len(ids) + 1))
    s = scores[rank]
    value: npt.NDArray[np.float64]
    if method == "combsum_top":
        pos = np.arange(len(order)) - bounds[local[order]]
        keep = order[pos < top]
        value = _sums(local[keep], s[keep], len(ids))
    elif method == "combsum":
        value = _sums(local, s, len(ids))
    elif method == "combmnz":
        value = _sums(local, s, len(ids)) * _sums(local, np.ones(len(s)), len(ids))
    elif method == "rr":
        value = _sums(local, 1.0 / (60.0 + rank), len(ids))
    else:
        n = np.ones(len(ids), np.float64)
        if expert_doc_counts is not None:
            known = ids < len(expert_doc_counts)
            n[known] = np.maximum(expert_doc_counts[ids[known]], 1)
        t = max(temperature, 1e-6)
        p_qd = np.fromiter(map(math.exp, ((s - scores[0]) / t).tolist()), np.float64, len(s))  # as libm
        value = _sums(local, p_qd, len(ids)) / n
    best = np.lexsort((ids, -value))
    if k is not None:
        best = best[:k]
    out: list[tuple[int, float, list[int]]] = []
    for j in best.tolist():
        sup = slots[rank[order[bounds[j] : bounds[j + 1]]]]
        out.append((int(ids[j]), float(value[j]), sup.tolist()))
    return out


def calibration_named(name: str) -> Calibration:
    """The calibration called ``name``; a ValueError naming the choices otherwise."""
    for known in CALIBRATIONS:
        if name == known:
            return known
    raise ValueError(f"unknown calibration {name!r}; choose from {', '.join(CALIBRATIONS)}")


def calibrate(
    doc_scores: Sequence[tuple[int, float]],
    doc_experts: Sequence[npt.NDArray[np.int32]] | Ragged,
    ranked: Sequence[int],
    method: Calibration = "rank",
    k: float = 60.0,
) -> dict[int, float]:
    """Scores comparable across demands for the experts of ``ranked`` (best first), by ``method`` (see the
    module's docstring); ``doc_scores`` are the retrieved documents, best first."""
    if method not in CALIBRATIONS:
        raise ValueError(f"unknown calibration {method!r}; choose from {', '.join(CALIBRATIONS)}")
    if method == "rank":
        return {e: 1.0 / (i + 1) for i, e in enumerate(ranked)}
    slots = np.fromiter((s for s, _ in doc_scores), np.int64, len(doc_scores))
    expert, rank = _pairs(slots, doc_experts)
    out: dict[int, float] = dict.fromkeys(ranked, 0.0)
    if len(expert) == 0:
        return out
    value: npt.NDArray[np.float64]
    if method == "rr":
        value = _sums(expert, 1.0 / (k + rank), int(expert.max()) + 1)
    else:
        top = max(doc_scores[0][1], 1e-12)
        scores = np.fromiter((v for _, v in doc_scores), np.float64, len(doc_scores))
        value = np.zeros(int(expert.max()) + 1)
        np.maximum.at(value, expert, scores[rank] / top)
    for e in ranked:
        if e < len(value):
            out[e] = float(value[e])
    return out
