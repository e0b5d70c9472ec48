from __future__ import annotations

import pytest

from accord.intake import extract
from accord.intake.clauses import split_clauses


def numbers(text: str) -> list[str | None]:
    return [c.number for c in split_clauses(text)]


def paths(text: str) -> list[str]:
    return [c.path for c in split_clauses(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第一条 甲方负责。\n第二条 乙方负责。", ["第一条", "第二条"]),
        ("第一章 总则\n第二章 分则", ["第一章", "第二章"]),
        ("一、合作内容\n二、合作期限", ["一、", "二、"]),
        ("（一）甲方负责。\n（二）乙方负责。", ["（一）", "（二）"]),
        ("(一)甲方负责。\n(二)乙方负责。", ["(一)", "(二)"]),
        ("1、甲方负责。\n2、乙方负责。", ["1、", "2、"]),
        ("1. Party A shall pay.\n2. Party B shall deliver.", ["1.", "2."]),
        ("1.1 Party A shall pay.\n1.2 Party B shall deliver.", ["1.1", "1.2"]),
        ("1.1.1 Party A shall pay.\n1.1.2 Party B shall deliver.", ["1.1.1", "1.1.2"]),
        ("(1) Party A shall pay.\n(2) Party B shall deliver.", ["(1)", "(2)"]),
        ("（1）甲方负责。\n（2）乙方负责。", ["（1）", "（2）"]),
        ("a. Party A shall pay.\nb. Party B shall deliver.", ["a.", "b."]),
        ("a) Party A shall pay.\nb) Party B shall deliver.", ["a)", "b)"]),
        ("(a) Party A shall pay.\n(b) Party B shall deliver.", ["(a)", "(b)"]),
        ("(i) Party A shall pay.\n(ii) Party B shall deliver.", ["(i)", "(ii)"]),
        ("I. Scope\nII. Term", ["I.", "II."]),
        ("A. Scope\nB. Term", ["A.", "B."]),
        ("Article 1 Scope\nArticle 2 Term", ["Article 1", "Article 2"]),
        ("Section 2.3 Scope\nSection 2.4 Term", ["Section 2.3", "Section 2.4"]),
        ("Item One, Scope\nItem Two, Term", ["Item One", "Item Two"]),
    ],
)
def test_each_numbering_style_is_recognised(text: str, expected: list[str]) -> None:
    assert numbers(text) == expected


def test_nested_styles_build_paths_in_first_seen_order() -> None:
    text = "一、合作内容\n1. 甲方负责场地。\n2. 乙方负责人员。\n二、其他\n1. 本协议一式两份。"
    assert paths(text) == ["一、", "一、 > 1.", "一、 > 2.", "二、", "二、 > 1."]
    levels = [c.level for c in split_clauses(text)]
    assert levels == [1, 2, 2, 1, 2]


def test_parent_span_contains_its_children() -> None:
    text = "一、合作内容\n1. 甲方负责场地。\n2. 乙方负责人员。\n二、其他"
    clauses = split_clauses(text)
    assert clauses[0].end == clauses[3].start
    assert clauses[1].end == clauses[2].start


def test_marker_glued_after_sentence_end_starts_a_clause() -> None:
    text = "达成如下协议:一、甲方负责场地;1.1为国际部提供设备。二、乙方负责人员。"
    assert numbers(text) == ["一、", "1.1", "二、"]


def test_marker_glued_after_a_page_header_number_is_split_off() -> None:
    text = "一、甲方责任1.甲方提供资料。二、项目时间与费用家用设计协议31、合作时间:2016年。2、设计费用:元。"
    assert numbers(text) == ["一、", "1.", "二、", "1、", "2、"]


def test_lone_page_number_before_a_marker_is_ignored() -> None:
    text = "1. Term. The term is one year. 2. Payment. Party A shall pay. 1 3. Notices. Notices go by mail."
    assert numbers(text) == ["1.", "2.", "3."]


def test_title_recitals_and_signatures_are_not_clauses() -> None:
    text = (
        "COOPERATION AGREEMENT\nWHEREAS (A) the parties wish to cooperate;\n"
        "NOW, THEREFORE, the parties agree as follows:\n1. Party A shall pay.\n2. Party B shall deliver.\n"
        "Party A: ____ Party B: ____"
    )
    assert numbers(text) == ["1.", "2."]


def test_enumeration_inside_a_sentence_is_not_a_clause() -> None:
    text = "1. Party A agrees (1) not to disclose and (2) not to copy the data.\n2. Party B shall pay."
    assert numbers(text) == ["1.", "2."]


def test_cross_references_are_not_clauses() -> None:
    text = "第一条 甲方负责场地。\n第二条 乙方按照第一条的约定使用场地，并遵守第三条规定。\n第三条 其他。"
    assert numbers(text) == ["第一条", "第二条", "第三条"]


def test_decimal_amounts_are_not_clauses() -> None:
    text = "1. 甲方支付1.5万元。\n2. 乙方提交报告。"
    assert numbers(text) == ["1.", "2."]


def test_annex_title_is_level_zero_and_restarts_numbering() -> None:
    text = "一、甲方负责。\n二、乙方负责。\n附件二\n一、经费预算\n二、进度安排"
    clauses = split_clauses(text)
    assert [c.path for c in clauses] == ["一、", "二、", "附件二", "附件二 > 一、", "附件二 > 二、"]
    assert clauses[2].level == 0


def test_duplicate_and_missing_numbers_are_kept_as_published() -> None:
    text = "一、甲\n二、乙\n五、丙\n五、丁"
    assert numbers(text) == ["一、", "二、", "五、", "五、"]


def test_bilingual_translation_stays_inside_the_chinese_clause() -> None:
    text = (
        "一、双方责任I. Responsibilities1.中方的责任1. Duties of Chinese party"
        "1.1负责招生; 1.1 Enrol students;"
    )
    assert numbers(text) == ["一、", "1.", "1.1"]


def test_party_headings_without_numbers_are_clauses() -> None:
    text = "甲方主要责任：\n1、按时拨付资金。\n乙方主要责任：\n1、按进度完成任务。"
    clauses = split_clauses(text, ["甲方", "乙方"])
    assert [c.path for c in clauses] == [
        "甲方主要责任：",
        "甲方主要责任： > 1、",
        "乙方主要责任：",
        "乙方主要责任： > 1、",
    ]
    assert clauses[0].number is None


def test_headings_are_taken_when_they_read_as_titles() -> None:
    clauses = split_clauses(
        "1. PARTIES: X Corp and Y Ltd\n2. Term. This MOU will end in 2021.\n3. Party A shall pay."
    )
    assert [c.heading for c in clauses] == ["PARTIES", "Term", None]


def test_text_without_numbers_falls_back_to_paragraphs() -> None:
    result = extract("甲方负责提供场地。\n\n乙方负责派遣人员。")
    assert result.fallback_paragraphs is True
    assert len(result.clauses) == 2
    assert all(c.number is None for c in result.clauses)


def test_articles_numbered_across_chapters_nest_under_each_chapter() -> None:
    text = (
        "第一章 总则\n第一条 目的。\n第二条 原则。\n"
        "第二章 权利义务\n第三条 甲方负责。\n1. 提供场地。\n第四条 乙方负责。"
    )
    assert paths(text) == [
        "第一章",
        "第一章 > 第一条",
        "第一章 > 第二条",
        "第二章",
        "第二章 > 第三条",
        "第二章 > 第三条 > 1.",
        "第二章 > 第四条",
    ]


def test_enumeration_after_a_modal_is_not_a_clause() -> None:
    text = "1. Licensee shall not (a) sublicense the Software, (b) copy it, or (c) sell it.\n2. Licensor shall help."
    assert numbers(text) == ["1.", "2."]


@pytest.mark.parametrize(
    "text",
    [
        "鉴于：（1）甲方是某市政府；（2）乙方是某大学。\n经协商一致，签订本协议。\n第一条 甲方负责。\n第二条 乙方负责。",
        "WHEREAS (A) X is a company; (B) Y is a university.\nNOW THEREFORE, the parties agree:\n1. X shall pay.\n"
        "2. Y shall teach.",
    ],
)
def test_numbered_recitals_before_the_agreement_sentence_are_skipped(text: str) -> None:
    assert len(numbers(text)) == 2
    assert numbers(text)[0] in ("第一条", "1.")
