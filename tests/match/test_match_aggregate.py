from __future__ import annotations

import numpy as np
import pytest

from accord.match import AGGREGATIONS, aggregate_experts

# slots 0..3; experts: 0 -> {a}, 1 -> {a, b}, 2 -> {b}, 3 -> {c}
DOC_EXPERTS = [np.asarray(x, dtype=np.int32) for x in ([0], [0, 1], [1], [2])]
COUNTS = np.asarray([2, 2, 10], dtype=np.int64)


def ranked(method: str, scores: list[tuple[int, float]]) -> list[int]:
    return [e for e, _, _ in aggregate_experts(scores, DOC_EXPERTS, method, top=2, expert_doc_counts=COUNTS)]


def test_combsum_and_combmnz_reward_many_good_documents() -> None:
    scores = [(3, 5.0), (0, 4.0), (1, 3.0), (2, 1.0)]
    assert ranked("combsum", scores)[0] == 0  # a: 7 > c: 5
    assert ranked("combmnz", scores)[0] == 0
    assert ranked("combsum_top", [(3, 5.0), (0, 1.0)])[0] == 2


def test_model2_normalises_by_expert_output() -> None:
    # c has one strong document but ten documents in all: Model 2 divides by the expert's output.
    scores = [(3, 5.0), (0, 4.9), (1, 4.8)]
    assert ranked("model2", scores)[0] == 0


def test_reciprocal_rank_voting() -> None:
    out = aggregate_experts([(3, 9.0), (1, 1.0)], DOC_EXPERTS, "rr")
    assert out[0][1] == pytest.approx(1 / 60)


def test_supporting_documents_are_best_first_and_methods_validated() -> None:
    out = aggregate_experts([(1, 3.0), (0, 2.0)], DOC_EXPERTS, "combsum")
    assert out[0][0] == 0 and out[0][2] == [1, 0]
    assert set(AGGREGATIONS) >= {"combsum", "combmnz", "rr", "model2"}
    with pytest.raises(ValueError):
        aggregate_experts([], DOC_EXPERTS, "nope")
