"""Evaluation helpers for matchmaking benchmarks: read a data set folder's files, score runs.

Pure (no CLI, no database) so that tests can check the metric wiring on tiny fixtures; the benchmark
itself is :mod:`accord.bench.crossval`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any


def jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            qrels[parts[0]][parts[1]] = int(float(parts[2]))
    return dict(qrels)


def read_ratings(path: Path) -> dict[str, dict[str, float]]:
    """``ratings.tsv`` → {expert: {query(paper): expertise}}."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            out[parts[1]][parts[0]] = float(parts[2])
    return dict(out)


def pairwise_loss_parts(
    ratings: Mapping[str, Mapping[str, float]], scores: Mapping[str, Mapping[str, float]]
) -> dict[str, tuple[float, float]]:
    """(loss, total) per expert of Stelmakh et al.'s (2023) weighted pairwise loss: every pair of papers the
    expert rated differently costs |Δ expertise| if the system orders it the wrong way and half of that on
    a tie; ``total`` is the sum of |Δ| over those pairs. ``scores[query][expert]`` (missing = 0)."""
    out: dict[str, tuple[float, float]] = {}
    for expert, rated in ratings.items():
        loss = total = 0.0
        items = list(rated.items())
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                (qa, ra), (qb, rb) = items[i], items[j]
                if ra == rb:
                    continue
                diff = abs(ra - rb)
                total += diff
                sa, sb = scores.get(qa, {}).get(expert, 0.0), scores.get(qb, {}).get(expert, 0.0)
                if sa == sb:
                    loss += diff / 2
                elif (sa > sb) != (ra > rb):
                    loss += diff
        out[expert] = (loss, total)
    return out


def pairwise_loss(
    ratings: Mapping[str, Mapping[str, float]], scores: Mapping[str, Mapping[str, float]]
) -> float:
    """The loss over all experts: the sum of their losses over the sum of their totals (lower is better)."""
    parts = pairwise_loss_parts(ratings, scores).values()
    total = sum(t for _, t in parts)
    return sum(lo for lo, _ in parts) / total if total else 0.0


def evaluate(qrels: dict[str, dict[str, int]], run: dict[str, dict[str, float]]) -> dict[str, float]:
    """trec_eval-style measures via ir-measures (nDCG@10 with linear gains; relevance = gain ≥ 1)."""
    import ir_measures
    from ir_measures import AP, RR, P, R, nDCG

    measures = [nDCG @ 10, AP, P @ 10, R @ 100, RR]
    qr = [ir_measures.Qrel(q, d, g) for q, docs in qrels.items() for d, g in docs.items()]
    sd = [ir_measures.ScoredDoc(q, d, s) for q, docs in run.items() for d, s in docs.items()]
    agg = ir_measures.calc_aggregate(measures, qr, sd)
    names = {"nDCG@10": "ndcg_at_10", "AP": "map", "P@10": "p_at_10", "R@100": "recall_at_100", "RR": "mrr"}
    return {names[str(m)]: float(v) for m, v in agg.items()}
