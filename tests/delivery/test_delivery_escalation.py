from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.delivery.escalation import (
    EscalationPolicy,
    Level,
    Notice,
    NoticeKind,
    Recipient,
    WatchedTask,
    notice_key,
    plan_notices,
)
from accord.delivery.status import TaskStatus

DUE = date(2026, 6, 30)
OWNER = Recipient(id="u1", name="王芳", language="zh", email="wang@example.org")
COORDINATOR = Recipient(id="u2", name="Li Lei", language="en", email="li@example.org")
LEADER_A = Recipient(id="u3", name="张伟", language="zh")
LEADER_B = Recipient(id="u4", name="Ann Smith", language="en")
POLICY = EscalationPolicy()


def task(status: TaskStatus = TaskStatus.ON_TRACK, due: date = DUE) -> WatchedTask:
    return WatchedTask(
        task_id="t42",
        due=due,
        status=status,
        owners=(OWNER,),
        coordinators=(COORDINATOR,),
        leadership=(LEADER_A, LEADER_B),
    )


def on(offset: int) -> date:
    return DUE + timedelta(days=offset)


def plan(today: date, sent: set[str] | None = None, **kw: object) -> list[Notice]:
    return plan_notices(task(**kw), POLICY, sent or set(), today)  # type: ignore[arg-type]


def simulate(
    first: int, last: int, policy: EscalationPolicy = POLICY, skip: set[int] | None = None
) -> list[Notice]:
    """Run a daily worker from DUE+first to DUE+last, recording what it sends."""
    sent: set[str] = set()
    log: list[Notice] = []
    for offset in range(first, last + 1):
        if skip and offset in skip:
            continue
        for notice in plan_notices(task(), policy, sent, on(offset)):
            sent.add(notice.key)
            log.append(notice)
    return log


# --- reminders ---------------------------------------------------------------------------------


def test_nothing_is_planned_long_before_the_due_date() -> None:
    assert plan(on(-30)) == []
    assert plan(on(-8)) == []


def test_the_owner_is_reminded_seven_days_before_due() -> None:
    [notice] = plan(on(-7))
    assert notice.kind is NoticeKind.REMINDER
    assert notice.level is Level.OWNER
    assert notice.recipient == OWNER
    assert notice.language == "zh"
    assert notice.days == 7
    assert notice.scheduled == on(-7)
    assert notice.key == "t42:reminder:owner:u1:2026-06-30:2026-06-23"


def test_the_dedupe_key_is_a_stable_documented_format() -> None:
    key = notice_key("t42", NoticeKind.ESCALATION, Level.LEADERSHIP, "u3", DUE, on(14))
    assert key == "t42:escalation:leadership:u3:2026-06-30:2026-07-14"


def test_a_sent_reminder_is_not_planned_again_later_that_week() -> None:
    [first] = plan(on(-7))
    for offset in range(-7, -1):
        assert plan(on(offset), {first.key}) == []


def test_the_one_day_reminder_has_its_own_key() -> None:
    [week] = plan(on(-7))
    [day] = plan(on(-1), {week.key})
    assert day.days == 1
    assert day.key != week.key


def test_a_worker_outage_yields_only_the_latest_missed_reminder() -> None:
    [notice] = plan(on(-1))  # nothing was sent at -7
    assert notice.scheduled == on(-1)


def test_a_late_reminder_states_the_real_days_left() -> None:
    [notice] = plan(on(-5))  # the -7 reminder, sent two days late
    assert notice.scheduled == on(-7)
    assert notice.days == 5


def test_a_reminder_on_the_due_day_can_be_configured() -> None:
    policy = EscalationPolicy(remind_days_before=(0,))
    [notice] = plan_notices(task(), policy, set(), DUE)
    assert notice.kind is NoticeKind.REMINDER
    assert notice.days == 0


# --- overdue and escalation ladder -------------------------------------------------------------


def test_the_default_ladder_over_a_month_sends_each_notice_once_on_schedule() -> None:
    log = simulate(-30, 30)
    timeline = [((n.scheduled - DUE).days, n.kind.value, n.level.value, n.recipient.id) for n in log]
    assert timeline == [
        (-7, "reminder", "owner", "u1"),
        (-1, "reminder", "owner", "u1"),
        (1, "overdue", "owner", "u1"),
        (3, "escalation", "coordinator", "u2"),
        (8, "overdue", "owner", "u1"),
        (14, "escalation", "leadership", "u3"),
        (14, "escalation", "leadership", "u4"),
        (15, "overdue", "owner", "u1"),
        (22, "overdue", "owner", "u1"),
        (29, "overdue", "owner", "u1"),
    ]
    # Each notice goes out on the day it is scheduled when the worker runs daily.
    assert all(n.days == abs((n.scheduled - DUE).days) for n in log)
    assert len({n.key for n in log}) == len(log)


def test_the_due_day_itself_triggers_no_overdue_notice() -> None:
    assert plan(DUE, {n.key for n in plan(on(-1))}) == []


def test_escalations_carry_each_recipients_own_language() -> None:
    notices = plan(
        on(14),
        {f"t42:overdue:owner:u1:2026-06-30:{on(8)}", f"t42:escalation:coordinator:u2:2026-06-30:{on(3)}"},
    )
    by_recipient = {n.recipient.id: n.language for n in notices}
    assert by_recipient == {"u3": "zh", "u4": "en"}


def test_after_a_long_outage_every_owed_escalation_level_is_sent_but_only_the_latest_overdue_repeat() -> None:
    notices = plan(on(20))
    kinds = sorted((n.kind.value, n.level.value, (n.scheduled - DUE).days) for n in notices)
    assert kinds == [
        ("escalation", "coordinator", 3),
        ("escalation", "leadership", 14),
        ("escalation", "leadership", 14),
        ("overdue", "owner", 15),
    ]
    assert {n.days for n in notices} == {20}


def test_overdue_notices_can_be_sent_once_only() -> None:
    policy = EscalationPolicy(overdue_repeat_days=None)
    overdue = [n for n in simulate(1, 40, policy) if n.kind is NoticeKind.OVERDUE]
    assert [n.scheduled for n in overdue] == [on(1)]


def test_the_escalation_timing_is_configurable() -> None:
    policy = EscalationPolicy(
        remind_days_before=(), escalate_coordinator_after=1, escalate_leadership_after=2
    )
    log = simulate(-10, 3, policy)
    assert [((n.scheduled - DUE).days, n.level.value) for n in log if n.kind is NoticeKind.ESCALATION] == [
        (1, "coordinator"),
        (2, "leadership"),
        (2, "leadership"),
    ]


def test_moving_the_due_date_re_arms_the_ladder() -> None:
    [old] = plan(on(-7))
    new_due = DUE + timedelta(days=30)
    [fresh] = plan_notices(task(due=new_due), POLICY, {old.key}, new_due - timedelta(days=7))
    assert fresh.key != old.key
    assert fresh.due == new_due


@pytest.mark.parametrize("status", [TaskStatus.DONE, TaskStatus.CANCELLED])
def test_done_and_cancelled_tasks_get_no_notices(status: TaskStatus) -> None:
    assert plan(on(-7), status=status) == []
    assert plan(on(20), status=status) == []


def test_a_level_without_recipients_is_skipped() -> None:
    lonely = WatchedTask(task_id="t1", due=DUE, status=TaskStatus.OVERDUE, owners=(OWNER,))
    notices = plan_notices(lonely, POLICY, set(), on(20))
    assert [n.level for n in notices] == [Level.OWNER]


def test_a_person_listed_twice_at_one_level_gets_one_notice() -> None:
    doubled = WatchedTask(task_id="t1", due=DUE, status=TaskStatus.ON_TRACK, owners=(OWNER, OWNER))
    assert len(plan_notices(doubled, POLICY, set(), on(-7))) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"remind_days_before": (-1,)},
        {"overdue_repeat_days": 0},
        {"escalate_coordinator_after": 0},
        {"escalate_coordinator_after": 5, "escalate_leadership_after": 4},
    ],
)
def test_inconsistent_policies_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        EscalationPolicy(**kwargs)  # type: ignore[arg-type]


# --- properties --------------------------------------------------------------------------------


@given(offset=st.integers(min_value=-60, max_value=120))
def test_planning_twice_gives_identical_notices(offset: int) -> None:
    assert plan(on(offset)) == plan(on(offset))


@given(
    offsets=st.lists(st.integers(min_value=-60, max_value=120), min_size=1, max_size=40),
    workers=st.integers(min_value=1, max_value=3),
)
def test_no_notice_is_ever_sent_twice_whatever_days_the_workers_run(offsets: list[int], workers: int) -> None:
    """Workers plan concurrently from the same snapshot; the UNIQUE key lets only one claim each notice."""
    claimed: set[str] = set()
    deliveries = 0
    for offset in sorted(offsets):
        snapshot = frozenset(claimed)
        for _ in range(workers):
            for notice in plan_notices(task(), POLICY, snapshot, on(offset)):
                if notice.key not in claimed:  # INSERT ... under UNIQUE(key) succeeds once
                    claimed.add(notice.key)
                    deliveries += 1
    assert deliveries == len(claimed)
    for offset in sorted(offsets):
        assert plan_notices(task(), POLICY, claimed, on(offset)) == []


@given(offset=st.integers(min_value=-60, max_value=120))
def test_planned_notices_are_sorted_by_key_and_unique(offset: int) -> None:
    keys = [n.key for n in plan(on(offset))]
    assert keys == sorted(set(keys))


@pytest.mark.parametrize(
    ("stored", "language"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("EN_us", "en"),
        ("zh", "zh"),
        ("zh-Hans", "zh"),
        ("", "zh"),
        ("fr", "zh"),
    ],
)
def test_stored_locales_are_normalised_to_chinese_or_english(stored: str, language: str) -> None:
    person = Recipient(id="u9", name="X", language=stored)
    lonely = WatchedTask(task_id="t1", due=DUE, status=TaskStatus.ON_TRACK, owners=(person,))
    [notice] = plan_notices(lonely, POLICY, set(), on(-7))
    assert notice.language == language


def test_an_escalation_reaches_a_person_once() -> None:
    # The owner organisation's coordinator is often also a coordinator of a party: escalated to once.
    both = WatchedTask(
        task_id="t7",
        due=DUE,
        status=TaskStatus.OVERDUE,
        owners=(OWNER,),
        coordinators=(COORDINATOR,),
        leadership=(COORDINATOR, LEADER_A),
    )
    sent: set[str] = set()
    log: list[Notice] = []
    for offset in range(1, 30):
        for notice in plan_notices(both, POLICY, sent, on(offset)):
            sent.add(notice.key)
            log.append(notice)
    escalations = [(n.level.value, n.recipient.id) for n in log if n.kind is NoticeKind.ESCALATION]
    assert escalations == [("coordinator", "u2"), ("leadership", "u3")]
