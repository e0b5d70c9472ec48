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

Chosen by measurement on ``reviewer_gold`` (docs/benchmarks.md): ``model2`` with temperature 3 ranks experts
best (nDCG@10). Scores of different demands are not on one scale, so for comparisons *across* demands
(e.g. "which demands suit this expert best", the reviewer_gold pairwise loss) each hit also carries a
rank-calibrated score 1 / rank.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

METHODS = ("combsum_top", "combsum", "combmnz", "rr", "model2")


def aggregate_experts(
    doc_scores: Sequence[tuple[int, float]],
    doc_experts: Sequence[npt.NDArray[np.int32]],
    method: str = "model2",
    top: int = 5,
    expert_doc_counts: npt.NDArray[np.int64] | None = None,
    temperature: float = 3.0,
) -> list[tuple[int, float, list[int]]]:
    """Return ``(expert, score, supporting doc slots best first)`` sorted by score, descending."""
    if method not in METHODS:
        raise ValueError(f"unknown aggregation {method!r}; choose from {', '.join(METHODS)}")
    per: dict[int, list[tuple[int, int, float]]] = defaultdict(list)  # expert -> (rank, slot, score)
    for rank, (slot, score) in enumerate(doc_scores):
        for e in doc_experts[slot].tolist():
            per[e].append((rank, slot, score))
    smax = doc_scores[0][1] if doc_scores else 0.0
    out: list[tuple[int, float, list[int]]] = []
    for e, docs in per.items():
        scores = [s for _, _, s in docs]
        if method == "combsum_top":
            value = sum(scores[:top])
        elif method == "combsum":
            value = sum(scores)
        elif method == "combmnz":
            value = sum(scores) * len(scores)
        elif method == "rr":
            value = sum(1.0 / (60 + r) for r, _, _ in docs)
        else:
            n = (
                int(expert_doc_counts[e])
                if expert_doc_counts is not None and e < len(expert_doc_counts)
                else 1
            )
            t = max(temperature, 1e-6)
            value = sum(math.exp((s - smax) / t) for s in scores) / max(n, 1)
        out.append((e, value, [slot for _, slot, _ in docs]))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out
