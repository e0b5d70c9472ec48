"""Families of errors found by cross-validation on agreements the rules were not written on.

Each test is a small agreement written for it; the rules alone are checked (``mode="rules"``), so
that a retrained model does not hide a rule that stopped working.
"""

from __future__ import annotations

from accord.intake import Commitment, extract


def rules(text: str) -> list[Commitment]:
    return extract(text, mode="rules").commitments


def test_chinese_items_run_into_one_paragraph_keep_their_subject() -> None:
    # A list flattened into one line: each item's marker follows the previous item's full stop.
    text = (
        "甲方：某市医院\n乙方：某社区中心\n"
        "一、甲方的义务：（一）甲方接受乙方医生进修。（二）甲方负责指派一名联络员。3、乙方定期上报病例。"
    )
    found = [(c.party, c.quote) for c in rules(text)]
    assert ("甲方", "甲方接受乙方医生进修") in found
    assert ("甲方", "甲方负责指派一名联络员") in found
    assert ("乙方", "乙方定期上报病例") in found


def test_chinese_adverbs_and_verbs_of_going_before_the_action() -> None:
    text = (
        "甲方：某制药厂\n乙方：某研究所\n"
        "一、甲方在合同签订后先预付设计费三成。\n"
        "二、甲方另支付调试补贴五千元。\n"
        "三、乙方在样机完成后到甲方车间安装调试。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("甲方", "甲方在合同签订后先预付设计费三成"),
        ("甲方", "甲方另支付调试补贴五千元"),
        ("乙方", "乙方在样机完成后到甲方车间安装调试"),
    ]


def test_chinese_parties_named_by_their_kinds_are_both() -> None:
    text = (
        "甲方：某职业学院\n乙方：某机械公司\n一、校企双方共建实训基地。\n二、政校双方每年召开一次联席会议。"
    )
    assert [c.party for c in rules(text)] == ["both", "both"]
