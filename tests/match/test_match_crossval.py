"""Cross-validated benchmark: folds, metrics and selection on tiny folders written for the test."""

from __future__ import annotations

import io
import json
from dataclasses import fields
from pathlib import Path

import pytest
from rich.console import Console

from accord.bench import crossval as cv
from accord.bench.match import print_report
from accord.match.evaluate import evaluate, pairwise_loss, pairwise_loss_parts
from accord.match.index import MatchConfig
from accord.match.query import QueryOptions

DOCS = [
    {"id": "d1", "title": "Slope stability", "text": "Slope stability of reservoir banks under drawdown",
     "lang": "en", "expert_ids": ["e1"], "year": 2021},
    {"id": "d2", "title": "Landslide warning", "text": "Landslide early warning from rainfall and displacement",
     "lang": "en", "expert_ids": ["e1", "e2"], "year": 2019},
    {"id": "d3", "title": "Concrete cracks", "text": "Crack control of high performance concrete in dams",
     "lang": "en", "expert_ids": ["e2"], "year": 2020},
    {"id": "d4", "title": "Battery safety", "text": "Thermal runaway of lithium batteries detected early",
     "lang": "en", "expert_ids": ["e3"], "year": 2022},
    {"id": "d5", "title": "消落带植被", "text": "三峡库区消落带植被恢复与边坡稳定", "lang": "zh",
     "expert_ids": ["e1"], "year": 2020},
]  # fmt: skip
QUERIES = [
    {"id": "q1", "text": "reservoir slope stability", "lang": "en"},
    {"id": "q2", "text": "lithium battery thermal runaway", "lang": "en"},
    {"id": "q3", "text": "concrete crack control", "lang": "en"},
    {"id": "q4", "text": "landslide rainfall warning", "lang": "en"},
]


def _folder(path: Path, qrels: str, queries: list[dict[str, str]] = QUERIES) -> Path:
    path.mkdir()
    (path / "docs.jsonl").write_text("\n".join(json.dumps(d) for d in DOCS), encoding="utf-8")
    (path / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in queries), encoding="utf-8")
    (path / "qrels.tsv").write_text(qrels, encoding="utf-8")
    return path


def test_ndcg_of_one_ranking_equals_trec_eval() -> None:
    gains = {"a": 2, "b": 0, "c": 1, "z": 1}
    ranked = ["c", "x", "a", "b"]
    expected = evaluate({"q": gains}, {"q": {t: 10.0 - i for i, t in enumerate(ranked)}})["ndcg_at_10"]
    assert cv.ndcg_at(ranked, gains) == pytest.approx(expected)
    assert cv.ndcg_at([], gains) == 0.0


def test_loss_parts_add_up_to_the_loss() -> None:
    ratings = {"e": {"p1": 5.0, "p2": 3.0}, "f": {"p1": 2.0, "p2": 4.0, "p3": 4.0}}
    scores = {"p1": {"e": 1.0, "f": 1.0}, "p2": {"e": 0.5, "f": 0.5}}
    parts = pairwise_loss_parts(ratings, scores)
    assert parts["e"] == (0.0, 2.0) and parts["f"] == (4.0, 4.0)  # f: both pairs the wrong way
    assert cv.loss_of(parts, ratings) == pytest.approx(pairwise_loss(ratings, scores))


def test_a_query_judged_by_a_held_out_expert_never_trains_its_fold(tmp_path: Path) -> None:
    bench = cv.load_set(
        _folder(tmp_path / "experts", "q1\te1\t1\nq1\te2\t1\nq2\te3\t1\nq3\te2\t1\nq4\te1\t2\n")
    )
    assert bench.expert_mode
    folds = cv.make_folds(bench, 3)
    for f in range(3):
        held = {e for e in ("e1", "e2", "e3") if cv.unit_fold(f"expert:{e}", 3) == f}
        for q in folds.train[f]:
            assert not set(bench.qrels[q]) & held
    assert set().union(*folds.test) == {"q1", "q2", "q3", "q4"}
    assert sum(len(t) for t in folds.test) == 4  # each query is held out exactly once


def test_paired_sets_share_folds_and_are_compared_on_the_same_queries(tmp_path: Path) -> None:
    qrels = "q1\td1\t1\nq2\td4\t1\nq3\td3\t1\nq4\td2\t1\n"
    mono = cv.load_set(_folder(tmp_path / "mono", qrels))
    chinese = [
        {"id": "q1", "text": "库岸边坡稳定", "lang": "zh"},
        {"id": "q2", "text": "锂电池热失控", "lang": "zh"},
    ]
    xl = cv.load_set(_folder(tmp_path / "xl", "q1\td1\t1\nq2\td4\t1\n", chinese))
    assert cv.make_folds(mono, 2).test[cv.unit_fold("query:q1", 2)] >= {"q1"}
    grid = {"k1": (1.2,), "b": (0.75,), "feedback_weight": (0.0, 0.5), "translation_weight": (0.5,)}
    res = cv.cross_validate([mono, xl], 2, grid)
    assert res["n_settings"] == 2 and res["n_index_builds"] == 1
    out = io.StringIO()
    print_report(Console(file=out, width=200), res)
    assert "(2 settings, score matrices per set: 1)" in out.getvalue()
    assert set(res["sets"]) == {"mono", "xl"}
    for s in res["sets"].values():
        assert len(s["joint"]["folds"]) == 2 and len(s["bm25"]["folds"]) == 2
        assert all(0.0 <= v <= 1.0 for v in s["joint"]["folds"])
    (pair,) = res["cross_lingual"]
    assert pair["set"] == "xl" and pair["monolingual"] == "mono" and pair["queries"] == 2
    assert pair["cross_lingual_ndcg"] > 0.5  # the dictionaries carry 边坡稳定 and 锂电池 across
    assert res["defaults"]["feedback_weight"] in (0.0, 0.5)


def test_settings_name_engine_fields_and_refuse_others() -> None:
    cfg = cv.config_for({"k1": 0.9, "word_weight": 0.0, "sense_evidence": 1, "calibration": "rr:10"})
    assert cfg.k1 == 0.9 and cfg.query.word_weight == 0.0 and cfg.sense_evidence == 1.0
    assert cfg.calibration == "rr" and cfg.calibration_k == 10.0
    with pytest.raises(ValueError, match="unknown setting"):
        cv.config_for({"k3": 1.0})
    order = list(cv.settings_of({"aggregation_temperature": (1.0, 3.0), "b": (0.4, 0.75)})[0])
    assert order == ["b", "aggregation_temperature"]  # index settings outermost


def test_a_query_reads_its_context_from_the_folder(tmp_path: Path) -> None:
    queries = [
        {
            "id": "q1",
            "text": "slope stability",
            "lang": "en",
            "full_text": "reservoir banks; slope stability",
        },
        {"id": "q2", "text": "battery", "lang": "en", "context": "thermal runaway"},
        {"id": "q3", "text": "crack control", "lang": "en"},
    ]
    bench = cv.load_set(_folder(tmp_path / "s", "q1\td1\t1\nq2\td4\t1\nq3\td3\t1\n", queries))
    assert [q.context for q in bench.queries] == ["reservoir banks; slope stability", "thermal runaway", ""]
    assert cv.config_for({"context_weight": 0.25, "phrase_weight": 0}).query.context_weight == 0.25


def test_every_grid_axis_holds_the_engines_default_and_names_a_setting() -> None:
    """A run without ``--grid`` must evaluate the engine as shipped: each axis of the built-in grid holds
    the default of its setting (read from the dataclasses here, not from the grid's own helper)."""
    engine = MatchConfig()
    shipped: dict[str, object] = {f.name: getattr(engine, f.name) for f in fields(MatchConfig)}
    shipped |= {f.name: getattr(engine.query, f.name) for f in fields(QueryOptions)}
    for name in [*cv.GRID, *cv.GRID_EXTRA]:
        assert name in shipped or name == cv.CALIBRATION_KEY, f"{name} is no engine setting"
    assert not set(cv.GRID) & set(cv.GRID_EXTRA)
    for name, values in cv.GRID.items():
        for v in values:
            cv.config_for({name: v})  # every value is one the engine accepts
        if name == cv.CALIBRATION_KEY:
            chosen = [cv.config_for({name: v}) for v in values]
            assert any(
                (c.calibration, c.calibration_k) == (engine.calibration, engine.calibration_k) for c in chosen
            ), f"calibration axis {values} lacks {engine.calibration} with k {engine.calibration_k:g}"
        else:
            assert shipped[name] in values, f"axis {name} {values} lacks the default {shipped[name]}"
    # The all-defaults setting is the grid's first, so ties between settings keep the engine as shipped.
    first = cv.config_for({**cv.settings_of(cv.GRID)[0], "calibration": cv.GRID["calibration"][0]})
    assert first == engine


def test_a_calibration_without_k_means_the_engines_k_everywhere() -> None:
    engine = MatchConfig()
    assert (
        cv.calibration_of("rr")
        == ("rr", engine.calibration_k)
        == cv.calibration_of(f"rr:{engine.calibration_k:g}")
    )
    cfg = cv.config_for({"calibration": "rr"})
    assert (cfg.calibration, cfg.calibration_k) == cv.calibration_of("rr")
    assert cv.calibration_of("rr:60") == ("rr", 60.0)
    with pytest.raises(ValueError, match="unknown calibration"):
        cv.calibration_of("softmax")
