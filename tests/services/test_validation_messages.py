"""Validation messages say what the rule says, with the count's plural, in both languages."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from accord.i18n import set_language
from accord.schemas.matching import DemandIn
from accord.services import demands
from accord.services.errors import ValidationFailed
from accord.services.permissions import SYSTEM
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


@pytest.mark.parametrize(
    ("written", "yuan"),
    [
        ("800000", "800000.00"),
        ("800,000", "800000.00"),
        ("¥800,000", "800000.00"),
        ("80万", "800000.00"),
        ("80万元", "800000.00"),
        ("1.5亿", "150000000.00"),
        ("", None),
    ],
)
def test_demand_budgets_are_read_as_people_write_them(written: str, yuan: str | None) -> None:
    demand = parse(DemandIn, {"title": "边坡监测", "description": "库岸边坡监测预警", "budget": written})
    assert (str(demand.budget) if demand.budget is not None else None) == yuan


def test_an_unreadable_budget_says_how_to_write_it() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse(DemandIn, {"title": "边坡监测", "description": "库岸边坡监测预警", "budget": "about a million"})
    assert caught.value.errors[0].field == "budget"
    assert "80万" in caught.value.errors[0].message


def test_the_demand_forms_default_currency_needs_no_budget(session: Session, world: dict[str, int]) -> None:
    data = DemandIn(
        title="边坡监测预警技术", description="需要库岸边坡变形实时监测与滑坡预警技术", currency="CNY"
    )
    demand = demands.create_demand(session, SYSTEM, data)
    assert demand.budget is None and demand.currency is None
