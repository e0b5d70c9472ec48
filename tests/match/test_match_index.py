from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from accord.match import (
    Document,
    ExpertHit,
    Filters,
    Hit,
    IndexCorruptedError,
    IndexOutdatedError,
    MatchConfig,
    Matcher,
    merge_glossary,
)
from accord.match.query import QueryOptions

DOCS = [
    Document(
        id="en-battery",
        title="Early warning of thermal runaway in lithium-ion batteries",
        text="We monitor voltage and temperature to detect thermal runaway of lithium batteries early.",
        lang="en",
        expert_ids=("alice",),
        org="Tsinghua",
        year=2021,
    ),
    Document(
        id="en-reid",
        title="Progressive transfer learning for person re-identification",
        text="Fine-tuning a pretrained feature extractor improves person re-identification across cameras.",
        lang="en",
        expert_ids=("bob",),
        year=2019,
    ),
    Document(
        id="zh-concrete",
        title="高性能混凝土裂缝控制",
        text="研究了高性能混凝土早期收缩裂缝的成因与控制方法。",
        lang="zh",
        expert_ids=("carol",),
        kind="achievement",
        year=2020,
    ),
    Document(
        id="en-battery-2",
        title="Battery management systems",
        text="State of charge estimation for lithium battery packs in electric vehicles.",
        lang="en",
        expert_ids=("alice", "dave"),
        year=2022,
    ),
]


@pytest.fixture()
def matcher() -> Matcher:
    m = Matcher(MatchConfig(merge_min_docs=2))
    m.add_many(DOCS)
    return m


def test_monolingual_search(matcher: Matcher) -> None:
    res = matcher.search("lithium battery thermal runaway", k=3)
    assert [h.doc_id for h in res.hits][:2] == ["en-battery", "en-battery-2"]
    assert res.reason is None


def test_chinese_query_finds_english_document_and_names_translations(matcher: Matcher) -> None:
    res = matcher.search("锂电池热失控预警", k=2)
    assert res.hits and res.hits[0].doc_id == "en-battery"
    why = matcher.explain("锂电池热失控预警", res.hits[0], terms=res.terms)
    assert why.translated_terms, "the explanation must name the terms that came through translation"
    origins = {t.origin for t in why.translated_terms}
    assert any(o in "锂电池热失控预警" for o in origins)
    doc = why.documents[0]
    assert doc.spans and all(doc.snippet[s.start : s.end] for s in doc.spans)
    assert why.breakdown["translated_terms"] > 0


def test_english_query_finds_chinese_document(matcher: Matcher) -> None:
    res = matcher.search("concrete crack control", k=1)
    assert res.hits and res.hits[0].doc_id == "zh-concrete"


def test_translated_terms_weigh_less_than_originals(matcher: Matcher) -> None:
    terms = matcher.analyze("电池 concrete").terms
    original = {t.term: t.weight for t in terms if t.source == "query"}
    translated = [t for t in terms if t.source == "translation"]
    assert translated and max(t.weight for t in translated) < max(original.values())


def test_incremental_add_and_remove(matcher: Matcher) -> None:
    assert matcher.search("graphene membrane desalination").reason is not None
    matcher.add(
        Document(id="new", title="Graphene membranes", text="graphene membrane desalination", lang="en")
    )
    assert [h.doc_id for h in matcher.search("graphene membrane desalination").hits] == ["new"]
    assert matcher.remove("new") and not matcher.remove("new")
    assert matcher.search("graphene membrane desalination").hits == []
    assert matcher.remove("en-battery")
    assert "en-battery" not in [h.doc_id for h in matcher.search("thermal runaway battery").hits]
    # many additions trigger a merge of the delta segment into the main segment
    for i in range(10):
        matcher.add(
            Document(id=f"n{i}", title=f"solar cell {i}", text="perovskite solar cell efficiency", lang="en")
        )
    assert len(matcher) == len(DOCS) - 1 + 10
    assert len(matcher.search("perovskite", k=20).hits) == 10


def test_replacing_a_document_keeps_one_copy(matcher: Matcher) -> None:
    matcher.add(
        Document(id="en-reid", title="Gait recognition", text="gait recognition from video", lang="en")
    )
    assert len(matcher) == len(DOCS)
    assert matcher.search("re-identification").hits == [] or all(
        h.doc_id != "en-reid" for h in matcher.search("person re-identification").hits
    )


def test_filters(matcher: Matcher) -> None:
    assert [
        h.doc_id for h in matcher.search("混凝土", filters=Filters(kinds=frozenset({"paper"}))).hits
    ] == []
    res = matcher.search("battery", filters=Filters(year_min=2022))
    assert [h.doc_id for h in res.hits] == ["en-battery-2"]
    res = matcher.search("battery", filters=Filters(exclude_ids=frozenset({"en-battery-2"})))
    assert "en-battery-2" not in [h.doc_id for h in res.hits]
    assert (
        matcher.search("battery", filters=Filters(orgs=frozenset({"Tsinghua"}))).hits[0].doc_id
        == "en-battery"
    )


def test_empty_results_carry_a_reason() -> None:
    m = Matcher()
    assert m.search("battery").reason == "the index is empty"
    m.add(DOCS[0])
    assert m.search("").reason == "empty query"
    assert m.search("🙂🙂").reason
    assert m.search("the of").reason
    assert m.search("zzyzx quokka").reason
    assert m.search("电池" * 20_000).truncated


def test_expert_aggregation_and_explanation(matcher: Matcher) -> None:
    # Alice wrote the paper on thermal runaway and one on battery packs; Dave only the second.
    res, whys = matcher.match_experts("lithium battery thermal runaway", k=5)
    ids = [e.expert_id for e in res.experts]
    assert ids[0] == "alice"
    assert "dave" in ids
    assert [e.calibrated for e in res.experts] == sorted((e.calibrated for e in res.experts), reverse=True)
    assert whys[0].target_id == "alice" and len(whys[0].documents) == 2


def test_save_load_round_trip(matcher: Matcher, tmp_path: Path) -> None:
    matcher.remove("en-reid")
    before = [(h.doc_id, round(h.score, 4)) for h in matcher.search("battery thermal runaway").hits]
    matcher.save(tmp_path / "idx")
    loaded = Matcher.load(tmp_path / "idx")
    assert len(loaded) == len(matcher)
    after = [(h.doc_id, round(h.score, 4)) for h in loaded.search("battery thermal runaway").hits]
    assert after == before
    loaded.add(Document(id="x", title="Battery recycling", text="battery recycling", lang="en"))
    assert "x" in [h.doc_id for h in loaded.search("battery recycling").hits]
    loaded.save(tmp_path / "idx")  # overwrite in place
    assert "x" in Matcher.load(tmp_path / "idx")


def test_save_load_keeps_the_chinese_documents_parameters(tmp_path: Path) -> None:
    m = Matcher(MatchConfig(k1=1.2, b=0.75, k1_zh=1.8, b_zh=0.5))
    m.add_many(
        [
            Document(id="zh", title="边坡稳定", text="库区边坡稳定监测，边坡变形与水位", lang="zh"),
            Document(id="zh2", title="滑坡", text="滑坡监测预警", lang="zh"),
            Document(id="en", title="Slope", text="slope stability monitoring", lang="en"),
        ]
    )
    before = [(h.doc_id, h.score) for h in m.search("边坡监测 slope").hits]
    m.save(tmp_path / "idx")
    loaded = Matcher.load(tmp_path / "idx")
    assert (loaded.config.k1_zh, loaded.config.b_zh) == (1.8, 0.5)
    loaded.add(Document(id="zh3", title="水位", text="水位变化", lang="zh"))  # a delta segment, same rules
    loaded.remove("zh3")
    assert [(h.doc_id, h.score) for h in loaded.search("边坡监测 slope").hits] == before


@pytest.mark.parametrize("damage", ["flip", "delete", "manifest", "truncate"])
def test_corrupted_index_is_detected(matcher: Matcher, tmp_path: Path, damage: str) -> None:
    d = tmp_path / "idx"
    matcher.save(d)
    if damage == "flip":
        p = d / "seg0_data.npy"
        b = bytearray(p.read_bytes())
        b[-1] ^= 0xFF
        p.write_bytes(bytes(b))
    elif damage == "delete":
        (d / "docs.jsonl").unlink()
    elif damage == "manifest":
        (d / "manifest.json").write_text("{not json", encoding="utf-8")
    else:
        p = d / "vocab.json"
        data = p.read_bytes()[:10]
        p.write_bytes(data)
        manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["files"]["vocab.json"]["sha256"]
    with pytest.raises(IndexCorruptedError):
        Matcher.load(d)


def test_index_of_another_format_version_is_outdated_not_damaged(matcher: Matcher, tmp_path: Path) -> None:
    d = tmp_path / "idx"
    matcher.save(d)
    manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    (d / "manifest.json").write_text(json.dumps({**manifest, "version": 1}), encoding="utf-8")
    with pytest.raises(IndexOutdatedError):
        Matcher.load(d)


def test_missing_directory_is_reported_as_corrupted(tmp_path: Path) -> None:
    with pytest.raises(IndexCorruptedError):
        Matcher.load(tmp_path / "nothing")


def test_glossary_can_be_extended(matcher: Matcher) -> None:
    matcher.add(Document(id="q", title="Zorblax", text="zorblax interferometry", lang="en"))
    assert matcher.search("佐布拉克").hits == []
    assert merge_glossary([("佐布拉克", "zorblax")]) == 1
    res = matcher.search("佐布拉克")
    assert [h.doc_id for h in res.hits] == ["q"]
    assert any(t.from_glossary for t in res.terms)


def test_explain_a_document_hit_without_terms(matcher: Matcher) -> None:
    hit = Hit("en-reid", 1.0, "paper", "")
    why = matcher.explain("person re-identification", hit)
    assert why.matched_terms and why.documents[0].doc_id == "en-reid"
    assert matcher.explain("person", ExpertHit("nobody", 0.0, ())).documents == []


def test_chunked_main_segments_score_like_one_index(tmp_path: Path) -> None:
    one = Matcher(MatchConfig(feedback_docs=0))
    many = Matcher(MatchConfig(feedback_docs=0, segment_docs=1))
    for m in (one, many):
        m.add_many(DOCS)
        m.merge()
    assert len(many._mains) == len(DOCS)
    q = "lithium battery thermal runaway"
    ids_one = [h.doc_id for h in one.search(q).hits]
    ids_many = [h.doc_id for h in many.search(q).hits]
    assert ids_one[0] == ids_many[0] and set(ids_one) == set(ids_many)
    many.save(tmp_path / "idx")
    again = Matcher.load(tmp_path / "idx", MatchConfig(feedback_docs=0, segment_docs=1))
    assert [h.doc_id for h in again.search(q).hits] == ids_many


def test_very_long_demands_keep_their_most_informative_terms() -> None:
    m = Matcher(MatchConfig(max_query_terms=5, feedback_docs=0))
    m.add_many(DOCS)
    res = m.search("lithium battery thermal runaway warning voltage temperature monitor detect early packs")
    assert len(res.terms) == 5 and res.hits[0].doc_id.startswith("en-battery")


def test_duplicate_ids_in_one_batch_keep_statistics_right() -> None:
    import numpy as np

    m = Matcher()
    m.add_many([DOCS[0], DOCS[1], DOCS[0]])
    assert len(m) == 2
    df = np.zeros(len(m._terms), np.int64)
    for slot in range(len(m._ids)):
        if m._alive[slot]:
            df[np.unique(m._tokens.row(slot))] += 1
    assert np.array_equal(df, m._df[: len(m._terms)])


def test_a_demand_matched_through_translation_takes_its_own_temperature() -> None:
    m = Matcher(MatchConfig(merge_min_docs=2, aggregation_temperature=3.0, translated_temperature=1.0))
    m.add_many(DOCS)
    assert m.temperature_for(m.analyze("锂电池热失控预警").terms) == 1.0  # only translations are indexed
    assert m.temperature_for(m.analyze("lithium battery thermal runaway").terms) == 3.0
    same = Matcher(MatchConfig(merge_min_docs=2, aggregation_temperature=3.0, translated_temperature=0.0))
    same.add_many(DOCS)
    assert same.temperature_for(same.analyze("锂电池热失控预警").terms) == 3.0


def test_feedback_expands_only_demands_of_at_most_its_limit_of_terms() -> None:
    texts = [
        "lithium battery electrolyte separator",
        "lithium battery electrolyte additive",
        "battery thermal runaway electrolyte",
        "concrete crack dam",
        "slope stability reservoir",
    ]
    docs = [Document(id=f"d{i}", title="", text=t, lang="en") for i, t in enumerate(texts)]

    def expanded(limit: int, demand: str) -> bool:
        m = Matcher(
            MatchConfig(merge_min_docs=2, feedback_weight=0.5, feedback_docs=3, feedback_max_terms=limit)
        )
        m.add_many(docs)
        return any(t.source == "feedback" for t in m.retrieve(m.analyze(demand), 3).query.terms)

    demand = "lithium battery thermal runaway"
    assert expanded(0, demand) and expanded(4, demand)
    assert not expanded(3, demand)  # four terms of its own


def test_phrase_terms_rank_words_written_together_first() -> None:
    docs = [
        Document(id="apart", title="", text="A tree search, then spanning sets of minimum cost.", lang="en"),
        Document(
            id="together", title="", text="A minimum spanning tree of the graph, in linear time.", lang="en"
        ),
    ]
    m = Matcher(MatchConfig(merge_min_docs=2))
    m.add_many(docs)
    assert m.search("minimum spanning tree").hits[0].doc_id == "together"
    terms = {t.term: t.weight for t in m.analyze("minimum spanning tree").terms}
    assert terms["minimum span"] == terms["minimum"]  # phrase_weight 1 by default
    off = Matcher(MatchConfig(merge_min_docs=2, query=QueryOptions(phrase_weight=0.0)))
    assert not [t for t in off.analyze("minimum spanning tree").terms if " " in t.term]


def test_context_counts_below_the_demand_and_never_stands_alone() -> None:
    m = Matcher(MatchConfig(merge_min_docs=2, query=QueryOptions(context_weight=0.5)))
    m.add_many(DOCS)
    alone = {t.term: t.weight for t in m.analyze("thermal runaway").terms}
    both = {t.term: t.weight for t in m.analyze("thermal runaway", "lithium battery thermal runaway").terms}
    assert both["thermal"] == pytest.approx(alone["thermal"] * 1.5)
    assert both["lithium"] == pytest.approx(0.5) and "lithium" not in alone
    assert m.search("the of", context="lithium battery").reason == "only stop words in the query"
    hits = m.search("early warning", context="lithium battery thermal runaway").hits
    assert hits[0].doc_id == "en-battery"


def test_a_demand_matched_through_translation_takes_its_own_feedback() -> None:
    texts = [
        "Lithium battery thermal runaway: early warning by a sensor network.",
        "Lithium battery thermal runaway and the electrolyte, seen by a sensor network.",
        "A lithium battery separator and its electrolyte.",
        "Cracks in a concrete dam.",
    ]
    docs = [Document(id=f"d{i}", title="", text=t, lang="en") for i, t in enumerate(texts)]

    def feedback(demand: str, **settings: float) -> list[str]:
        cfg = MatchConfig(
            merge_min_docs=2,
            feedback_weight=0.5,
            feedback_terms=1,
            translated_feedback_weight=0.0,  # 0: the common settings
            translated_feedback_terms=0,
        )
        m = Matcher(replace(cfg, **settings))
        m.add_many(docs)
        return [t.term for t in m.retrieve(m.analyze(demand), 3).query.terms if t.source == "feedback"]

    translated, own = "锂电池热失控", "lithium battery thermal runaway"
    assert len(feedback(translated)) == 1
    wider = {"translated_feedback_terms": 6, "translated_feedback_weight": 1.0}
    assert len(feedback(translated, **wider)) > 1  # only translations of it are indexed
    assert feedback(own, **wider) == feedback(
        own
    )  # a demand in the documents' language keeps the common setting
