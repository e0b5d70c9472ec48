"""Recurring commitments make correctly dated tasks: the first occurrence on the commitment's due date,
later ones on the same day of the month, a horizon for agreements without an end date, and the rule
in words in both languages."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from accord.i18n import set_language
from accord.models import Agreement, Commitment, Recurrence, Review
from accord.schemas.tasks import TaskIn
from accord.services import tasks
from accord.services.permissions import SYSTEM
from tests.factories import WANZHOU_EN, org_id


def test_the_rule_is_said_in_words_in_both_languages() -> None:
    rule = tasks.rrule_for("annual", date(2027, 11, 19))
    assert tasks.rule_in_words(rule, date(2027, 11, 19)) == "every year on 19 November"
    assert tasks.rule_in_words("annual", date(2027, 11, 19)) == "every year on 19 November"
    assert tasks.rule_in_words("FREQ=YEARLY;COUNT=5", date(2021, 7, 27)) == "every year on 27 July, 5 times"
    assert tasks.rule_in_words("quarterly", date(2024, 3, 15)) == "every quarter on day 15"
    assert tasks.rule_in_words("monthly", date(2024, 1, 31)) == "every month on the last day of the month"
    assert "FREQ" not in tasks.rule_in_words("FREQ=HOURLY;COUNT=2")
    set_language("zh_Hans")
    assert tasks.rule_in_words(rule, date(2027, 11, 19)) == "每年 11 月 19 日"
    assert tasks.rule_in_words("semiannual", date(2024, 6, 10)) == "每半年的 10 日"


@pytest.fixture
def open_ended(session: Session, world: dict[str, int]) -> Commitment:
    agreement = session.get(Agreement, world["strategic_agreement"])
    assert agreement is not None
    agreement.expires_on = None
    commitment = Commitment(
        agreement_id=agreement.id,
        organisation_id=org_id(session, WANZHOU_EN),
        action="每年召开联席会议",
        recurrence=Recurrence.ANNUAL,
        due_on=date(2027, 11, 19),
        review=Review.ACCEPTED,
    )
    session.add(commitment)
    session.commit()
    return commitment


def test_occurrences_start_on_the_due_date_and_keep_its_day(session: Session, open_ended: Commitment) -> None:
    draft = tasks.draft_from_commitment(open_ended, date(2026, 12, 7))
    assert draft["due_on"] == "2027-11-19"
    data = TaskIn(**{k: v for k, v in draft.items() if k != "agreement_id"} | {"start_on": None})
    series = tasks.create_task(session, SYSTEM, data, horizon_years=5)
    days = sorted(c.due_on for c in series.children)
    assert days == [date(2027 + i, 11, 19) for i in range(5)]
    note = tasks.horizon_note(series, 5)
    assert note is not None and "5 years" in note
    assert series.due_on == date(2031, 11, 19)
