"""Dictionary translation: capitalised CC-CEDICT terms, written forms, prefixes and attested compounds."""

from __future__ import annotations

from accord.match import Document, MatchConfig, Matcher
from accord.match.translate import get_dictionary


def test_capitalised_terms_are_loaded_but_people_and_places_are_not() -> None:
    d = get_dictionary()
    assert "the North Pole" in d.zh_en["北极"][0]  # CC-CEDICT writes it [Bei3 ji2]
    assert d.zh_en["马尔可夫过程"] == ["Markov process"]
    assert "拉普拉斯" not in d.zh_en  # Laplace (1749-1827), a person
    assert "华沙" not in d.zh_en  # Warsaw, capital of Poland


def test_a_gloss_with_the_word_as_written_comes_before_one_sharing_its_stem() -> None:
    d = get_dictionary()
    indicator = [t.target for t in d.en_to_zh("indicator")]
    assert "指出" not in indicator  # "to indicate": same stem, other word
    pieces = d.en_pieces("indicator", 3, 8)
    assert "指标" in pieces[0].candidates


def test_each_part_of_a_sense_is_a_key_without_its_to() -> None:
    # 扩散: "to spread; to proliferate; to diffuse"
    assert "扩散" in [t.target for t in get_dictionary().en_to_zh("diffuse")]


def test_pieces_written_together_join_and_punctuation_separates() -> None:
    pieces = get_dictionary().en_pieces("indicator system; monitoring", 3, 8)
    assert [(p.source, p.joins_next) for p in pieces] == [
        ("indicator", True),
        ("system", False),
        ("monitoring", False),
    ]


def test_an_unknown_word_is_read_as_a_prefix_and_a_word() -> None:
    pieces = get_dictionary().en_pieces("nanoparticles", 3, 8)
    assert [p.source for p in pieces] == ["nanoparticles", "nanoparticles"]
    assert pieces[0].heads == ("纳米",) and pieces[0].joins_next
    assert "粒子" in pieces[1].heads


def _corpus() -> list[Document]:
    docs = [
        Document(id=f"sys{i}", title="评价指标体系的构建", text=f"建立了指标体系并计算权重{i}。", lang="zh")
        for i in range(3)
    ]
    docs += [
        Document(id="other", title="政治制度研究", text="讨论了制度与表征。", lang="zh"),
        Document(id="target", title="区域发展的指标体系", text="构建区域发展评价模型。", lang="zh"),
    ]
    return docs


def test_words_written_together_take_the_senses_the_documents_write_together() -> None:
    m = Matcher(MatchConfig(compound_weight=1.0, merge_min_docs=2))
    m.add_many(_corpus())
    r = m.retrieve(m.analyze("indicator system"), 5)
    chosen = {t.via for t in r.query.terms if t.source == "translation"}
    assert {"指标", "体系", "指标体系"} <= chosen
    assert "制度" not in chosen  # the documents never write 指标 and 制度 together
    join = next(t for t in r.query.terms if t.term == "标体")
    assert join.origin == "indicator system" and join.source == "translation"
    off = Matcher(MatchConfig(compound_weight=0.0, merge_min_docs=2))
    off.add_many(_corpus())
    terms = off.retrieve(off.analyze("indicator system"), 5).query.terms
    assert "标体" not in {t.term for t in terms if t.source == "translation"}


def test_sense_evidence_leaves_translations_into_english_alone() -> None:
    m = Matcher(MatchConfig(sense_evidence=1.0, merge_min_docs=2))
    m.add(Document(id="en", title="Slope stability", text="slope stability of the reservoir bank", lang="en"))
    base = {t.term: t.weight for t in m.analyze("边坡稳定").terms if t.source == "translation"}
    used = m.retrieve(m.analyze("边坡稳定"), 5).query.terms
    assert {t.term: t.weight for t in used if t.source == "translation"} == base


def test_chinese_words_written_together_search_the_english_phrase_the_documents_write() -> None:
    docs = [
        Document(id=f"t{i}", title="Automatic extraction of relations", text=f"Extraction {i}.", lang="en")
        for i in range(3)
    ]
    docs.append(Document(id="other", title="Voluntarily removed", text="Drawing and removing.", lang="en"))
    m = Matcher(MatchConfig(compound_weight=1.0, merge_min_docs=2))
    m.add_many(docs)
    used = m.retrieve(m.analyze("自动抽取"), 5).query.terms
    phrases = [t for t in used if t.source == "translation" and " " in t.term]
    assert [(t.term, t.origin) for t in phrases] == [("automat extract", "自动抽取")]
    off = Matcher(MatchConfig(compound_weight=0.0, merge_min_docs=2))
    off.add_many(docs)
    terms = off.retrieve(off.analyze("自动抽取"), 5).query.terms
    assert not [t for t in terms if t.source == "translation" and " " in t.term]
