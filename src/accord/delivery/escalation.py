"""Planning of reminders and escalations (督办) for one task.

Planning is pure and idempotent: given the same task, policy, day and set of
keys already sent, it returns the same notices with the same keys. The app
stores each key under a UNIQUE constraint *before* sending, so two workers
planning at once can both propose a notice but only one can claim it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from accord.delivery.status import TaskStatus

__all__ = [
    "EscalationPolicy",
    "Language",
    "Level",
    "Notice",
    "NoticeKind",
    "Recipient",
    "WatchedTask",
    "normalise_language",
    "notice_key",
    "plan_notices",
]

Language = Literal["zh", "en"]


def normalise_language(value: str | None) -> Language:
    """Map stored locale strings (``en``, ``en-GB``, ``zh_CN``, ``zh-Hans``, None) to ``en``/``zh``.

    Chinese is the fallback: Accord's users are primarily Chinese institutions.
    """
    return "en" if (value or "").strip().lower().startswith("en") else "zh"


class Level(StrEnum):
    OWNER = "owner"
    COORDINATOR = "coordinator"
    LEADERSHIP = "leadership"


class NoticeKind(StrEnum):
    REMINDER = "reminder"  # before the due date, to the owner
    OVERDUE = "overdue"  # after the due date, to the owner
    ESCALATION = "escalation"  # after the due date, to coordinator or leadership


@dataclass(frozen=True, slots=True)
class Recipient:
    id: str  # stable user or contact id; part of the dedupe key, so never an address that may change
    name: str
    language: str = "zh"  # any stored locale; notices normalise it to zh/en
    email: str | None = None


@dataclass(frozen=True, slots=True)
class WatchedTask:
    task_id: str
    due: date
    status: TaskStatus
    owners: tuple[Recipient, ...] = ()
    coordinators: tuple[Recipient, ...] = ()
    leadership: tuple[Recipient, ...] = ()

    def recipients(self, level: Level) -> tuple[Recipient, ...]:
        """Who is told at ``level``. An escalation reaches a person once: a coordinator of the owner
        organisation who is also a coordinator of a party is escalated to as coordinator only."""
        if level is Level.LEADERSHIP:
            escalated = {person.id for person in self.coordinators}
            return tuple(person for person in self.leadership if person.id not in escalated)
        return {Level.OWNER: self.owners, Level.COORDINATOR: self.coordinators}[level]


@dataclass(frozen=True, slots=True)
class EscalationPolicy:
    """When to remind and escalate, in whole days relative to the due date.

    ``remind_days_before``: reminders to the owner this many days before due
    (0 means on the due day). ``overdue_repeat_days``: the owner's overdue
    notice is sent on the first day overdue and repeated every N days while the
    task stays overdue (None: once). ``escalate_coordinator_after`` /
    ``escalate_leadership_after``: days overdue at which the task is escalated
    (one notice per level and due date).
    """

    remind_days_before: tuple[int, ...] = (7, 1)
    overdue_repeat_days: int | None = 7
    escalate_coordinator_after: int = 3
    escalate_leadership_after: int = 14

    def __post_init__(self) -> None:
        if any(d < 0 for d in self.remind_days_before):
            raise ValueError("remind_days_before must not contain negative days")
        if self.overdue_repeat_days is not None and self.overdue_repeat_days < 1:
            raise ValueError("overdue_repeat_days must be at least 1 or None")
        if self.escalate_coordinator_after < 1:
            raise ValueError("escalate_coordinator_after must be at least 1 day")
        if self.escalate_leadership_after < self.escalate_coordinator_after:
            raise ValueError("leadership escalation cannot come before coordinator escalation")


@dataclass(frozen=True, slots=True)
class Notice:
    key: str
    task_id: str
    level: Level
    kind: NoticeKind
    recipient: Recipient
    language: Language
    due: date
    scheduled: date  # the day the ladder put this notice on
    # As of planning day: days left until due (reminder) or days overdue; after
    # a worker outage this differs from the rung's nominal offset.
    days: int = field(default=0)


def notice_key(
    task_id: str, kind: NoticeKind, level: Level, recipient_id: str, due: date, scheduled: date
) -> str:
    """Deterministic dedupe key.

    The due date is part of the key so that moving a deadline re-arms the
    ladder; the scheduled date distinguishes repeats and rungs.
    """
    return f"{task_id}:{kind.value}:{level.value}:{recipient_id}:{due.isoformat()}:{scheduled.isoformat()}"


def _rungs(
    task: WatchedTask, policy: EscalationPolicy, today: date
) -> Iterator[tuple[NoticeKind, Level, int]]:
    """(kind, level, offset) for each ladder rung that is due today, latest catch-up only where it matters."""
    until_due = (task.due - today).days
    if until_due >= 0:
        # A missed reminder is superseded by a later one: after a worker outage
        # the owner gets the nearest reminder, not a backlog of stale ones.
        passed = [d for d in set(policy.remind_days_before) if d >= until_due]
        if passed:
            yield NoticeKind.REMINDER, Level.OWNER, min(passed)
        return

    overdue_days = -until_due
    if policy.overdue_repeat_days is None:
        last_repeat = 1
    else:
        last_repeat = 1 + (overdue_days - 1) // policy.overdue_repeat_days * policy.overdue_repeat_days
    yield NoticeKind.OVERDUE, Level.OWNER, last_repeat
    # Escalations are cumulative: after an outage both levels are still owed.
    if overdue_days >= policy.escalate_coordinator_after:
        yield NoticeKind.ESCALATION, Level.COORDINATOR, policy.escalate_coordinator_after
    if overdue_days >= policy.escalate_leadership_after:
        yield NoticeKind.ESCALATION, Level.LEADERSHIP, policy.escalate_leadership_after


def plan_notices(
    task: WatchedTask,
    policy: EscalationPolicy,
    already_sent: Collection[str],
    today: date,
) -> list[Notice]:
    """Notices that should go out for ``task`` on ``today`` and have not been sent.

    Done and cancelled tasks get nothing. Levels without recipients are
    skipped. The result is sorted by key, so repeated planning is stable.
    """
    if task.status in (TaskStatus.DONE, TaskStatus.CANCELLED):
        return []
    planned: dict[str, Notice] = {}
    for kind, level, days in _rungs(task, policy, today):
        offset = -days if kind is NoticeKind.REMINDER else days
        scheduled = task.due + timedelta(days=offset)
        for person in task.recipients(level):
            key = notice_key(task.task_id, kind, level, person.id, task.due, scheduled)
            if key in already_sent or key in planned:
                continue
            planned[key] = Notice(
                key=key,
                task_id=task.task_id,
                level=level,
                kind=kind,
                recipient=person,
                language=normalise_language(person.language),
                due=task.due,
                scheduled=scheduled,
                days=abs((task.due - today).days),
            )
    return [planned[k] for k in sorted(planned)]
