"""Evaluation helpers for matchmaking benchmarks: read a data set folder, run it, score it.

Pure (no CLI, no database) so that tests can check the metric wiring on tiny fixtures.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from accord.match.index import MatchConfig, Matcher
from accord.match.model import Document, Filters


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


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


def run_match_benchmark(
    directory: Path,
    queries_file: Path | None = None,
    config: MatchConfig | None = None,
    depth: int = 1000,
    progress: Any = None,  # a rich.progress.Progress, or None,
) -> dict[str, Any]:
    """Index ``directory/docs.jsonl``, run the queries, evaluate. Pure function the CLI and tests share."""
    docs = [Document.from_dict(d) for d in jsonl(directory / "docs.jsonl")]
    queries = list(jsonl(queries_file or directory / "queries.jsonl"))
    qrels = read_qrels(directory / "qrels.tsv")
    experts = {e for d in docs for e in d.expert_ids}
    doc_ids = {d.id for d in docs}
    targets = {t for q in qrels.values() for t in q}
    expert_mode = bool(targets) and len(targets & experts) > len(targets & doc_ids)
    matcher = Matcher(config)
    task = progress.add_task("indexing", total=len(docs)) if progress else None
    t0 = time.perf_counter()
    batch = 500
    for i in range(0, len(docs), batch):
        matcher.add_many(docs[i : i + batch])
        if progress and task is not None:
            progress.advance(task, len(docs[i : i + batch]))
    matcher.merge()
    index_s = time.perf_counter() - t0
    run: dict[str, dict[str, float]] = {}
    latencies: list[float] = []
    task = progress.add_task("querying", total=len(queries)) if progress else None
    for q in queries:
        exclude = frozenset(str(x) for x in q.get("exclude") or ())
        t = time.perf_counter()
        if expert_mode:
            er = matcher.search_experts(q["text"], k=depth)
            ranking = {e.expert_id: e.score for e in er.experts if e.expert_id not in exclude}
        else:
            sr = matcher.search(q["text"], k=depth, filters=Filters(exclude_ids=exclude) if exclude else None)
            ranking = {h.doc_id: h.score for h in sr.hits}
        latencies.append((time.perf_counter() - t) * 1000)
        run[str(q["id"])] = ranking
        if progress and task is not None:
            progress.advance(task)
    judged = {q: r for q, r in run.items() if q in qrels}
    result: dict[str, Any] = evaluate({q: qrels[q] for q in judged}, judged)
    result.update(
        p50_ms=_percentile(latencies, 50),
        p95_ms=_percentile(latencies, 95),
        index_docs_per_s=len(docs) / index_s if index_s > 0 else 0.0,
        n_queries=len(judged),
        target="expert" if expert_mode else "document",
    )
    ratings_path = directory / "ratings.tsv"
    rq_path = directory / "ratings_queries.jsonl"
    if ratings_path.exists() and rq_path.exists() and expert_mode:
        scores: dict[str, dict[str, float]] = {}
        for q in jsonl(rq_path):
            er = matcher.search_experts(q["text"], k=None)
            # The loss compares one expert across papers: use the score calibrated across demands.
            scores[str(q["id"])] = {e.expert_id: e.calibrated for e in er.experts}
        result["pairwise_loss"] = pairwise_loss(read_ratings(ratings_path), scores)
    return result
