from __future__ import annotations

from pathlib import Path

import pytest

from accord.bench import crossval as cv
from accord.match.evaluate import evaluate, pairwise_loss

SHARED = Path(__file__).parents[2].parent / "shared" / "bench"


def test_metric_wiring_on_tiny_qrels() -> None:
    qrels = {"q1": {"d1": 2, "d2": 0, "d3": 1}, "q2": {"d9": 1}}
    run = {"q1": {"d1": 3.0, "d2": 2.0, "d3": 1.0}, "q2": {"d8": 1.0, "d9": 0.5}}
    m = evaluate(qrels, run)
    assert m["mrr"] == pytest.approx((1 + 0.5) / 2)
    assert m["map"] == pytest.approx(((1 + 2 / 3) / 2 + 0.5) / 2)
    assert m["p_at_10"] == pytest.approx((2 / 10 + 1 / 10) / 2)
    assert m["recall_at_100"] == pytest.approx(1.0)
    assert 0 < m["ndcg_at_10"] < 1


def test_pairwise_loss() -> None:
    ratings = {"e": {"p1": 5.0, "p2": 3.0, "p3": 3.0}}
    assert pairwise_loss(ratings, {"p1": {"e": 2.0}, "p2": {"e": 1.0}, "p3": {"e": 1.5}}) == 0.0
    assert pairwise_loss(ratings, {"p1": {"e": 0.0}, "p2": {"e": 1.0}, "p3": {"e": 1.0}}) == 1.0
    assert pairwise_loss(ratings, {}) == 0.5  # all ties


@pytest.mark.skipif(
    not (SHARED / "csl_absentkw2paper_en").exists(), reason="shared benchmark data not present"
)
def test_regression_floor_on_cross_lingual_set() -> None:
    # en → zh keywords; the plain BM25 baseline scores 0.117 nDCG@10 on this set.
    bench = cv.load_set(SHARED / "csl_absentkw2paper_en")
    outcome = cv.Runner().outcome(bench, {})
    assert cv.mean_of(outcome, outcome.ndcg) > 0.33
