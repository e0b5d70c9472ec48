from __future__ import annotations

import pytest

from accord.bibliography import match_names, name_similarity, parse_name


@pytest.mark.parametrize(
    "variant", ["Zhang Zongyi", "Zongyi Zhang", "Zong-Yi Zhang", "ZHANG Zongyi", "Zhang, Zongyi"]
)
def test_chinese_name_matches_full_pinyin_variants(variant: str) -> None:
    conf, _ = name_similarity("张宗益", variant)
    assert conf >= 0.8


@pytest.mark.parametrize("variant", ["Z. Zhang", "Zhang, Z.", "Z.Y. Zhang", "Zhang ZY"])
def test_initials_match_with_lower_confidence(variant: str) -> None:
    conf, reason = name_similarity("张宗益", variant)
    assert 0.4 <= conf < 0.8, reason


def test_non_matches() -> None:
    assert name_similarity("张宗益", "Wang Zongyi")[0] == 0.0
    assert name_similarity("张宗益", "Zhang Wei")[0] == 0.0
    assert name_similarity("Zhang Zongyi", "X. Zhang")[0] == 0.0


def test_homophones_are_flagged() -> None:
    conf, reason = name_similarity("张宗益", "张宗义")
    assert conf == 0.5 and "pinyin" in reason
    assert name_similarity("张宗益", "张宗益")[0] == 1.0


def test_surname_readings_and_umlaut_spellings() -> None:
    assert name_similarity("曾伟", "Zeng Wei")[0] >= 0.8
    assert name_similarity("吕明", "Lyu Ming")[0] >= 0.8
    assert name_similarity("吕明", "Lu Ming")[0] >= 0.8
    assert name_similarity("欧阳修", "Xiu Ouyang")[0] >= 0.8


def test_match_names_ranks_and_flags_ambiguity() -> None:
    matches = match_names("张宗益", ["Li Wei", "Zongyi Zhang", "Z. Zhang", "Zhang Zhongyi"])
    assert [m.candidate for m in matches] == ["Zongyi Zhang", "Z. Zhang"]
    assert not matches[0].ambiguous and matches[1].ambiguous
    two = match_names("Z. Zhang", ["Zongyi Zhang", "Zhiwei Zhang"])
    assert len(two) == 2 and all(m.ambiguous for m in two)


def test_parse_name_tolerates_junk() -> None:
    assert parse_name("") == []
    assert parse_name("Madonna") == []
    assert parse_name("张") == []
    assert name_similarity("", "Zhang Zongyi")[0] == 0.0
