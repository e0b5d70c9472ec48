from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.delivery.status import (
    Health,
    HealthThresholds,
    TaskStatus,
    expected_progress,
    rollup,
    task_status,
)

START = date(2026, 1, 1)
DUE = date(2026, 12, 31)  # 364 days after START


def status(
    today: date, progress: float = 0, *, done: bool = False, cancelled: bool = False, **kw: object
) -> TaskStatus:
    return task_status(
        today=today,
        start=START,
        due=DUE,
        progress_percent=progress,
        done=done,
        cancelled=cancelled,
        **kw,  # type: ignore[arg-type]
    )


# --- expected progress -------------------------------------------------------------------------


def test_expected_progress_is_zero_up_to_and_including_the_start_date() -> None:
    assert expected_progress(START - timedelta(days=30), START, DUE) == 0
    assert expected_progress(START, START, DUE) == 0


def test_expected_progress_is_a_straight_line_between_start_and_due() -> None:
    assert expected_progress(START + timedelta(days=91), START, DUE) == pytest.approx(25.0)
    assert expected_progress(START + timedelta(days=182), START, DUE) == pytest.approx(50.0)


def test_expected_progress_is_full_on_and_after_the_due_date() -> None:
    assert expected_progress(DUE, START, DUE) == 100
    assert expected_progress(DUE + timedelta(days=1), START, DUE) == 100


def test_expected_progress_of_a_one_day_window_jumps_to_full_on_the_due_date() -> None:
    assert expected_progress(START, START, START) == 100
    assert expected_progress(START - timedelta(days=1), START, START) == 0


# --- the rules, in order of precedence ---------------------------------------------------------


def test_a_task_marked_done_is_done_even_when_late_or_cancelled() -> None:
    assert status(DUE + timedelta(days=40), 10, done=True) is TaskStatus.DONE
    assert status(START, 0, done=True, cancelled=True) is TaskStatus.DONE


def test_a_cancelled_task_is_cancelled_even_when_past_due() -> None:
    assert status(DUE + timedelta(days=40), 10, cancelled=True) is TaskStatus.CANCELLED


def test_the_due_date_itself_is_not_yet_overdue_but_the_next_day_is() -> None:
    assert status(DUE, 100) is TaskStatus.ON_TRACK
    assert status(DUE + timedelta(days=1), 100) is TaskStatus.OVERDUE


def test_full_progress_without_being_marked_done_still_becomes_overdue() -> None:
    assert status(DUE + timedelta(days=1), 100) is TaskStatus.OVERDUE


def test_a_task_before_its_start_with_no_progress_is_not_started() -> None:
    assert status(START - timedelta(days=1), 0) is TaskStatus.NOT_STARTED


def test_a_task_before_its_start_with_early_progress_is_on_track() -> None:
    assert status(START - timedelta(days=1), 5) is TaskStatus.ON_TRACK


def test_on_its_start_date_a_task_with_no_progress_is_on_track_not_not_started() -> None:
    assert status(START, 0) is TaskStatus.ON_TRACK


def test_within_the_risk_window_any_shortfall_against_the_line_is_at_risk() -> None:
    today = DUE - timedelta(days=14)  # expected = 350/364 = 96.15 %
    assert status(today, 96) is TaskStatus.AT_RISK
    assert status(today, 96.2) is TaskStatus.ON_TRACK


def test_the_risk_window_boundary_is_inclusive() -> None:
    # 15 days out, 10 points behind, within the margin: still on track.
    assert status(DUE - timedelta(days=15), 85) is TaskStatus.ON_TRACK
    assert status(DUE - timedelta(days=14), 86) is TaskStatus.AT_RISK


def test_on_the_due_date_anything_short_of_full_progress_is_at_risk() -> None:
    assert status(DUE, 99) is TaskStatus.AT_RISK


def test_the_risk_window_is_configurable() -> None:
    today = DUE - timedelta(days=20)  # expected ~94.5 %
    assert status(today, 90) is TaskStatus.ON_TRACK
    assert status(today, 90, at_risk_days=30) is TaskStatus.AT_RISK
    assert status(DUE, 99, at_risk_days=0) is TaskStatus.AT_RISK


def test_far_from_due_a_task_more_than_the_margin_behind_the_line_is_at_risk() -> None:
    mid = START + timedelta(days=182)  # expected 50 %
    assert status(mid, 25) is TaskStatus.ON_TRACK  # exactly 25 points behind: not more than the margin
    assert status(mid, 24) is TaskStatus.AT_RISK
    assert status(mid, 0) is TaskStatus.AT_RISK


def test_the_behind_margin_is_configurable_and_can_be_switched_off() -> None:
    mid = START + timedelta(days=182)
    assert status(mid, 45, behind_margin=4) is TaskStatus.AT_RISK
    assert status(mid, 0, behind_margin=None) is TaskStatus.ON_TRACK


def test_ahead_of_the_line_is_on_track() -> None:
    assert status(START + timedelta(days=182), 80) is TaskStatus.ON_TRACK


@pytest.mark.parametrize(
    ("progress", "at_risk_days", "margin"),
    [(-1, 14, 25), (100.5, 14, 25), (50, -1, 25), (50, 14, -0.1)],
)
def test_out_of_range_inputs_are_rejected(progress: float, at_risk_days: int, margin: float) -> None:
    with pytest.raises(ValueError):
        task_status(
            today=START,
            start=START,
            due=DUE,
            progress_percent=progress,
            done=False,
            cancelled=False,
            at_risk_days=at_risk_days,
            behind_margin=margin,
        )


# --- properties --------------------------------------------------------------------------------

days = st.integers(min_value=-400, max_value=800)
progress_values = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(offset=days, length=st.integers(min_value=0, max_value=500), progress=progress_values)
def test_expected_progress_is_within_bounds_and_never_falls(
    offset: int, length: int, progress: float
) -> None:
    due = START + timedelta(days=length)
    today = START + timedelta(days=offset)
    now = expected_progress(today, START, due)
    later = expected_progress(today + timedelta(days=1), START, due)
    assert 0 <= now <= later <= 100


@given(
    offset=days,
    length=st.integers(min_value=0, max_value=500),
    progress=progress_values,
    done=st.booleans(),
    cancelled=st.booleans(),
    at_risk_days=st.integers(min_value=0, max_value=60),
    margin=st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
)
def test_status_is_always_exactly_one_value_and_follows_the_precedence(
    offset: int,
    length: int,
    progress: float,
    done: bool,
    cancelled: bool,
    at_risk_days: int,
    margin: float | None,
) -> None:
    today = START + timedelta(days=offset)
    due = START + timedelta(days=length)
    result = task_status(
        today=today,
        start=START,
        due=due,
        progress_percent=progress,
        done=done,
        cancelled=cancelled,
        at_risk_days=at_risk_days,
        behind_margin=margin,
    )
    assert isinstance(result, TaskStatus)
    if done:
        assert result is TaskStatus.DONE
    elif cancelled:
        assert result is TaskStatus.CANCELLED
    elif today > due:
        assert result is TaskStatus.OVERDUE
    else:
        assert result not in (TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.OVERDUE)
        if result is TaskStatus.AT_RISK:
            assert progress < expected_progress(today, START, due)


@given(offset=st.integers(min_value=0, max_value=364), low=progress_values, high=progress_values)
def test_more_progress_never_makes_a_task_look_worse(offset: int, low: float, high: float) -> None:
    low, high = sorted((low, high))
    today = START + timedelta(days=offset)
    worse = status(today, low)
    better = status(today, high)
    if worse is TaskStatus.ON_TRACK:
        assert better is TaskStatus.ON_TRACK


# --- roll-up -----------------------------------------------------------------------------------


def test_rollup_counts_every_status_including_absent_ones() -> None:
    r = rollup([TaskStatus.DONE, TaskStatus.DONE, TaskStatus.ON_TRACK])
    assert r.counts[TaskStatus.DONE] == 2
    assert r.counts[TaskStatus.OVERDUE] == 0
    assert set(r.counts) == set(TaskStatus)
    assert r.total == 3


def test_rollup_of_nothing_is_green_with_no_share() -> None:
    r = rollup([])
    assert (r.total, r.live, r.on_track_share, r.health) == (0, 0, None, Health.GREEN)


def test_rollup_ignores_cancelled_tasks_for_shares() -> None:
    r = rollup([TaskStatus.CANCELLED] * 5 + [TaskStatus.ON_TRACK])
    assert r.live == 1
    assert r.on_track_share == 1.0
    assert r.health is Health.GREEN


def test_rollup_of_only_cancelled_tasks_is_green() -> None:
    assert rollup([TaskStatus.CANCELLED]).health is Health.GREEN


def test_rollup_counts_not_started_and_done_as_on_track() -> None:
    r = rollup([TaskStatus.NOT_STARTED, TaskStatus.DONE, TaskStatus.ON_TRACK, TaskStatus.AT_RISK])
    assert r.on_track_share == 0.75


def test_rollup_is_amber_with_a_single_overdue_task_among_many() -> None:
    r = rollup([TaskStatus.OVERDUE] + [TaskStatus.ON_TRACK] * 19)  # 5 % overdue, 95 % fine
    assert r.overdue == 1
    assert r.health is Health.AMBER


def test_rollup_is_red_from_ten_percent_overdue() -> None:
    assert rollup([TaskStatus.OVERDUE] + [TaskStatus.ON_TRACK] * 9).health is Health.RED


def test_rollup_health_follows_the_on_track_share_thresholds() -> None:
    def health(fine: int, risky: int) -> Health:
        return rollup([TaskStatus.ON_TRACK] * fine + [TaskStatus.AT_RISK] * risky).health

    assert health(85, 15) is Health.GREEN  # exactly 85 %
    assert health(84, 16) is Health.AMBER
    assert health(60, 40) is Health.AMBER  # exactly 60 %
    assert health(59, 41) is Health.RED


def test_rollup_thresholds_are_configurable() -> None:
    lenient = HealthThresholds(amber_if_any_overdue=False, red_overdue_share=0.5)
    r = rollup([TaskStatus.OVERDUE] + [TaskStatus.ON_TRACK] * 19, lenient)
    assert r.health is Health.GREEN


def test_rollup_accepts_status_strings_from_storage() -> None:
    assert rollup(["overdue", "done"]).counts[TaskStatus.OVERDUE] == 1  # type: ignore[list-item]
