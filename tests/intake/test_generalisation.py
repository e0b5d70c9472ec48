"""Families of texts the rules once failed on outside the labelled set; each test covers the family."""

from __future__ import annotations

import pytest

from accord.intake import extract
from accord.intake.ideographs import unify_ideographs

_ZH = (
    "合作协议\n甲方：某区人民政府\n乙方：某大学\n双方经友好协商，达成如下协议：\n"
    "一、甲方负责提供办公场地，并于签约后3个月内拨付启动经费100万元。\n"
    "二、乙方应当组建研究团队，每年向甲方报告工作进展。\n"
)
# The same text as a PDF printed from a browser gives it: Kangxi radicals for 一 二 乙 方 …
_KANGXI = str.maketrans({"一": "⼀", "二": "⼆", "乙": "⼄", "方": "⽅", "人": "⼈", "大": "⼤", "工": "⼯"})


def test_text_with_kangxi_radicals_extracts_as_the_unified_text() -> None:
    radicals = _ZH.translate(_KANGXI)
    assert radicals != _ZH and unify_ideographs(radicals) == _ZH
    plain, mapped = extract(_ZH), extract(radicals)
    assert [(c.start, c.end, c.level) for c in mapped.clauses] == [
        (c.start, c.end, c.level) for c in plain.clauses
    ]
    assert [c.number for c in mapped.clauses] == ["⼀、", "⼆、"]  # numbers as written
    assert [(c.party, c.quote_start, c.quote_end) for c in mapped.commitments] == [
        (c.party, c.quote_start, c.quote_end) for c in plain.commitments
    ]
    for c in mapped.commitments:
        assert radicals[c.quote_start : c.quote_end] == c.quote


def test_only_radicals_and_compatibility_ideographs_are_mapped() -> None:
    kept = "（一）１．①、：；“”《》"
    assert unify_ideographs(kept) == kept
    assert unify_ideographs("\u2f00\u2f08\uf900") == "一人豈"


def _wrapped(words: str, width: int) -> str:
    lines, line = [], ""
    for word in words.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


@pytest.mark.parametrize("width", [40, 60, 80])
def test_hard_wrapped_english_sentences_are_proposed_whole(width: int) -> None:
    body = (
        "Party A shall provide the laboratory space, the equipment and the technical staff needed for the "
        "joint research programme described in the annex. Party B will pay the research fees within thirty "
        "days after each invoice is received and will report the results to Party A every quarter."
    )
    text = 'This Agreement is made between Alpha Ltd. ("Party A") and Beta Inc. ("Party B").\n1. Duties.\n'
    text += _wrapped(body, width)
    found = extract(text).commitments
    quotes = [" ".join(c.quote.split()) for c in found]
    assert quotes and all(len(q.split()) >= 5 for q in quotes)  # no fragments such as "clients."
    assert not [
        c.quote for c in found if text[c.quote_end : c.quote_end + 1] == "\n"
    ]  # none cut at a line end
    assert any(q.startswith("Party A shall provide") and "annex" in q for q in quotes)
    assert any(q.startswith("Party B will pay") and "within thirty days" in q for q in quotes)


@pytest.mark.parametrize("width", [18, 24, 30])
def test_hard_wrapped_chinese_sentences_are_proposed_whole(width: int) -> None:
    body = (
        "乙方应当按照项目任务书的要求组织研究团队开展研究工作，按期完成全部研究任务并提交研究报告。"
        "甲方负责提供项目实施所需的场地和设备，并协调有关部门为项目的顺利实施创造条件。"
    )
    text = "甲方：某公司\n乙方：某大学\n经协商，达成如下协议：\n一、乙方的义务\n"
    text += "\n".join(body[i : i + width] for i in range(0, len(body), width)) + "\n二、其他\n"
    found = extract(text).commitments
    assert not [
        c.quote for c in found if text[c.quote_end : c.quote_end + 1] == "\n"
    ]  # none cut at a line end
    assert any(
        c.quote.startswith("乙方应当按照") and "开展研究工作" in c.quote.replace("\n", "") for c in found
    )


@pytest.mark.parametrize(
    ("preamble", "expected"),
    [
        (
            "This Agreement is entered into by and between Hyatt Franchising Latin America, L.L.C., a limited "
            "liability company organized under the laws of Delaware with its principal place of business at 71 "
            'South Wacker Drive, Chicago ("Hyatt"), and Playa Hotels & Resorts, B.V., a private limited '
            'liability company with its registered address at Amsterdam ("Playa").',
            [("Hyatt", "Hyatt Franchising Latin America, L.L.C."), ("Playa", "Playa Hotels & Resorts, B.V.")],
        ),
        (
            "This Cooperation Agreement is entered into by and between:\n(1) Nanjing Tuniu Technology Co., Ltd., "
            'with its registered address at Nanjing ("Party A");\n(2) Beijing Tuniu Technology Co., Ltd., with its '
            'registered address at Beijing ("Party B").',
            [
                ("Party A", "Nanjing Tuniu Technology Co., Ltd."),
                ("Party B", "Beijing Tuniu Technology Co., Ltd."),
            ],
        ),
        (
            'EXHIBIT 10.13\nJOINT VENTURE AGREEMENT\nCollectible Concepts Group, Inc. ("CCGI") and Pivotal Self '
            'Service Tech, Inc. ("PVSS"), (the "Parties"), by this Agreement associate themselves.',
            [("CCGI", "Collectible Concepts Group, Inc."), ("PVSS", "Pivotal Self Service Tech, Inc.")],
        ),
    ],
)
def test_english_parties_are_found_behind_their_descriptions(
    preamble: str, expected: list[tuple[str, str]]
) -> None:
    text = (
        preamble
        + "\nNOW, THEREFORE, the parties agree as follows:\n1. Cooperation. Both parties shall cooperate."
    )
    assert [(p.label, p.name) for p in extract(text).parties] == expected
