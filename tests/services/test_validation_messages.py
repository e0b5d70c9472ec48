"""Validation messages say what the rule says, with the count's plural, in both languages."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from accord.i18n import set_language
from accord.services.errors import ValidationFailed
from accord.services.validation import parse


class Sample(BaseModel):
    share: float | None = Field(default=None, le=100)
    below: float | None = Field(default=None, lt=100)
    least: int | None = Field(default=None, ge=1)
    code: str | None = Field(default=None, min_length=1, max_length=1)
    names: list[str] | None = Field(default=None, min_length=2)


def _messages(data: dict[str, object]) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        parse(Sample, data)
    return {e.field: e.message for e in caught.value.errors}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "share": "Must be 100 or less.",
                "below": "Must be less than 100.",
                "least": "Must be 1 or more.",
                "code": "Must be at most 1 character.",
                "names": "Needs at least 2 entries.",
            },
        ),
        (
            "zh_Hans",
            {
                "share": "不能大于 100。",
                "below": "须小于 100。",
                "least": "不能小于 1。",
                "code": "最多 1 个字符。",
                "names": "至少需要 2 项。",
            },
        ),
    ],
)
def test_messages_match_the_rule(language: str, expected: dict[str, str]) -> None:
    set_language(language)
    try:
        found = _messages({"share": 100.5, "below": 100, "least": 0, "code": "ab", "names": ["a"]})
    finally:
        set_language("en")
    assert found == expected
