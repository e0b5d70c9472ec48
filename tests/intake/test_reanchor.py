"""Gold labels carried onto another reading of the same text (lines joined, numbers dropped, a misread)."""

from __future__ import annotations

from accord.bench.reanchor import offset_map, reanchor


def test_offsets_follow_the_text_through_joined_lines_and_dropped_page_numbers() -> None:
    body = "第一条 合作\n甲方负责提供\n场地。\n- 2 -\n乙方负责派驻人员。"
    read = "第一条 合作\n甲方负责提供场地。\n乙方负责派驻人员。"
    carry = offset_map(body, read)
    assert read[carry(body.index("乙方")) :].startswith("乙方")
    assert read[carry(body.index("甲方")) :].startswith("甲方")
    assert carry(len(body)) == len(read)


def test_quotes_are_cut_from_the_other_text_even_with_a_misread_character() -> None:
    body = "一、甲方负责在签约后三个月内提供用房。\n二、乙方每年提交报告。"
    read = "一、甲方负责在签约后三个月内提供用房。\n二、乙方每年提交报吿。"  # 告 read as 吿
    quote = "乙方每年提交报告"
    gold = {
        "clauses": [
            {"number": "一、", "start": 0, "end": body.index("二、")},
            {"number": "二、", "start": body.index("二、"), "end": len(body)},
        ],
        "commitments": [{"party": "乙方", "quote": quote, "quote_start": body.index(quote)}],
    }
    moved = reanchor(gold, body, read)
    assert moved["commitments"][0]["quote"] == "乙方每年提交报吿"
    assert moved["clauses"][1]["start"] == read.index("二、")
    assert gold["commitments"][0]["quote"] == quote  # the original labels are untouched
