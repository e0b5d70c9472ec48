from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.intake import extract

_PIECES = st.sampled_from(
    [
        "第一条",
        "一、",
        "（二）",
        "(1)",
        "1.",
        "1.1",
        "a)",
        "Article 2",
        "Item One",
        "\n",
        "。",
        "；",
        ", ",
        ". ",
        "甲方",
        "乙方",
        "双方",
        "Party A",
        "shall",
        "应",
        "负责",
        "不得",
        "每年",
        "签约后3个月内",
        "2020年7月27日",
        "100万元",
        "provide",
        "within 30 days",
        "WHEREAS",
        "附件一",
        "：",
        "的一方",
        "并",
    ]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_extract_never_crashes_and_offsets_stay_in_range(text: str) -> None:
    result = extract(text)
    for clause in result.clauses:
        assert 0 <= clause.start <= clause.end <= len(text)
    for commitment in result.commitments:
        assert 0 <= commitment.quote_start <= commitment.quote_end <= len(text)
        assert text[commitment.quote_start : commitment.quote_end] == commitment.quote
        assert commitment.clause_index is None or 0 <= commitment.clause_index < len(result.clauses)
