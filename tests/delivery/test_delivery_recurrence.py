from __future__ import annotations

from datetime import date

import pytest

from accord.delivery.recurrence import RecurrenceError, occurrences, rrule_for


def test_an_annual_meeting_over_a_five_year_term_happens_five_times() -> None:
    start, end = date(2026, 3, 15), date(2031, 3, 14)
    dates = occurrences(rrule_for("annual", start), start, end)
    assert dates == [date(y, 3, 15) for y in range(2026, 2031)]


def test_the_term_end_date_is_inclusive() -> None:
    start = date(2026, 3, 15)
    assert len(occurrences("FREQ=YEARLY", start, date(2031, 3, 15))) == 6


def test_a_count_in_the_rule_ends_the_series_before_the_term() -> None:
    assert occurrences("RRULE:FREQ=MONTHLY;COUNT=3", date(2026, 1, 10), date(2030, 1, 1)) == [
        date(2026, 1, 10),
        date(2026, 2, 10),
        date(2026, 3, 10),
    ]


def test_the_term_end_cuts_a_longer_count_short() -> None:
    dates = occurrences("FREQ=YEARLY;COUNT=50", date(2026, 1, 1), date(2027, 6, 30))
    assert dates == [date(2026, 1, 1), date(2027, 1, 1)]


def test_an_until_in_the_rule_ends_an_open_ended_agreement_series() -> None:
    dates = occurrences("FREQ=YEARLY;UNTIL=20280101T000000Z", date(2026, 1, 1), None)
    assert dates == [date(2026, 1, 1), date(2027, 1, 1), date(2028, 1, 1)]


def test_quarterly_and_semiannual_presets_keep_their_cadence() -> None:
    start, end = date(2026, 1, 20), date(2026, 12, 31)
    assert occurrences(rrule_for("quarterly", start), start, end) == [
        date(2026, 1, 20),
        date(2026, 4, 20),
        date(2026, 7, 20),
        date(2026, 10, 20),
    ]
    assert occurrences(rrule_for("semiannual", start), start, end) == [date(2026, 1, 20), date(2026, 7, 20)]


def test_a_monthly_preset_from_the_31st_falls_on_the_last_day_of_short_months() -> None:
    start = date(2026, 1, 31)
    dates = occurrences(rrule_for("monthly", start), start, date(2026, 5, 31))
    assert dates == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]


def test_an_annual_preset_from_a_leap_day_moves_to_28_february_in_common_years() -> None:
    start = date(2028, 2, 29)
    dates = occurrences(rrule_for("annual", start), start, date(2032, 12, 31))
    assert dates == [
        date(2028, 2, 29),
        date(2029, 2, 28),
        date(2030, 2, 28),
        date(2031, 2, 28),
        date(2032, 2, 29),
    ]


def test_a_preset_rule_is_plain_rrule_text() -> None:
    assert rrule_for("quarterly", date(2026, 1, 5)) == "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=5"
    assert (
        rrule_for("annual", date(2026, 1, 30)) == "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=28,29,30;BYSETPOS=-1"
    )


def test_an_unknown_preset_is_an_invalid_rule() -> None:
    with pytest.raises(RecurrenceError) as err:
        rrule_for("weekly", date(2026, 1, 1))  # type: ignore[arg-type]
    assert err.value.code == "invalid_rrule"


def test_a_never_ending_rule_on_an_open_ended_agreement_is_unbounded() -> None:
    with pytest.raises(RecurrenceError) as err:
        occurrences("FREQ=MONTHLY", date(2026, 1, 1), None)
    assert err.value.code == "unbounded"
    assert isinstance(err.value, ValueError)


def test_more_occurrences_than_allowed_is_too_many() -> None:
    with pytest.raises(RecurrenceError) as err:
        occurrences("FREQ=DAILY", date(2026, 1, 1), date(2030, 1, 1))
    assert err.value.code == "too_many"
    assert err.value.params == {"max_count": 500}


def test_exactly_max_count_occurrences_is_allowed() -> None:
    assert len(occurrences("FREQ=DAILY;COUNT=10", date(2026, 1, 1), None, max_count=10)) == 10
    with pytest.raises(RecurrenceError) as err:
        occurrences("FREQ=DAILY;COUNT=11", date(2026, 1, 1), None, max_count=10)
    assert err.value.code == "too_many"


def test_a_huge_count_without_a_term_is_stopped_at_the_limit() -> None:
    with pytest.raises(RecurrenceError) as err:
        occurrences("FREQ=DAILY;COUNT=100000000", date(2026, 1, 1), None)
    assert err.value.code == "too_many"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "FREQ=FORTNIGHTLY",
        "FREQ=YEARLY;BYMONTH=13",
        "FREQ=YEARLY;BYMONTH=-1",
        "FREQ=MONTHLY;BYMONTHDAY=32",
        "FREQ=MONTHLY;BYMONTHDAY=0",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=YEARLY;BYMONTH=4,6;BYMONTHDAY=31",
        "FREQ=MONTHLY;INTERVAL=0",
        "FREQ=MONTHLY;COUNT=0",
        "FREQ=MONTHLY;BYSETPOS=x",
        "FREQ=YEARLY;FOO=1",
        "YEARLY",
        "FREQ=HOURLY;COUNT=3",
        "FREQ=YEARLY;COUNT=2;UNTIL=20300101",
        "FREQ=YEARLY;COUNT=many",
        "DTSTART:20200101\nRRULE:FREQ=YEARLY;COUNT=2",
        "RRULE:FREQ=YEARLY;COUNT=2\nEXDATE:20270101",
    ],
)
def test_malformed_or_unsupported_rules_are_invalid(text: str) -> None:
    with pytest.raises(RecurrenceError) as err:
        occurrences(text, date(2026, 1, 1), date(2030, 1, 1))
    assert err.value.code == "invalid_rrule"
    assert err.value.params["rrule"] == text


def test_a_term_that_ends_before_it_starts_has_no_occurrences() -> None:
    assert occurrences("FREQ=YEARLY", date(2026, 1, 1), date(2025, 1, 1)) == []


def test_a_day_that_exists_in_only_some_chosen_months_is_accepted() -> None:
    dates = occurrences("FREQ=YEARLY;BYMONTH=2,3;BYMONTHDAY=30", date(2026, 1, 1), date(2027, 12, 31))
    assert dates == [date(2026, 3, 30), date(2027, 3, 30)]


def test_negative_month_days_count_from_the_end_of_the_month() -> None:
    dates = occurrences("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=2", date(2026, 1, 1), None)
    assert dates == [date(2026, 1, 31), date(2026, 2, 28)]
