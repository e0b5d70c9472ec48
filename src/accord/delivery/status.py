"""Computed task status and roll-ups (a commitment's fulfilment is in ``fulfilment``).

Status is never stored: it is derived from dates, progress and the two flags
every time it is shown, so it cannot drift out of date. The rules are listed
in order of precedence in ``docs/delivery.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "DEFAULT_AT_RISK_DAYS",
    "DEFAULT_BEHIND_MARGIN",
    "Health",
    "HealthThresholds",
    "Rollup",
    "TaskStatus",
    "expected_progress",
    "rollup",
    "task_status",
]

DEFAULT_AT_RISK_DAYS = 14
# Percentage points behind the straight line that count as at risk even when
# the due date is still far away: a task half-way through its window with no
# progress should not look healthy for months.
DEFAULT_BEHIND_MARGIN = 25.0


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    DONE = "done"
    CANCELLED = "cancelled"


def expected_progress(today: date, start: date, due: date) -> float:
    """Percent complete a task should be at on ``today`` if work were spread evenly.

    0 up to and including the start date, 100 from the due date on, a straight
    line in between. A window where start is on or after due jumps straight to
    100 on the due date.
    """
    if today >= due:
        return 100.0
    if today <= start:
        return 0.0
    return 100.0 * (today - start).days / (due - start).days


def task_status(
    *,
    today: date,
    start: date,
    due: date,
    progress_percent: float,
    done: bool,
    cancelled: bool,
    at_risk_days: int = DEFAULT_AT_RISK_DAYS,
    behind_margin: float | None = DEFAULT_BEHIND_MARGIN,
) -> TaskStatus:
    """Derive a task's status; the first matching rule wins.

    1. done                      -> DONE (delivered work stays delivered even if later cancelled)
    2. cancelled                 -> CANCELLED
    3. today > due               -> OVERDUE (the due date itself is still on time)
    4. today < start, progress 0 -> NOT_STARTED
    5. behind the straight line and either due within ``at_risk_days`` days or
       behind by more than ``behind_margin`` points -> AT_RISK
    6. otherwise                 -> ON_TRACK

    ``behind_margin=None`` switches off the margin part of rule 5.
    """
    if not 0 <= progress_percent <= 100:
        raise ValueError(f"progress_percent must be between 0 and 100, got {progress_percent!r}")
    if at_risk_days < 0:
        raise ValueError(f"at_risk_days must not be negative, got {at_risk_days!r}")
    if behind_margin is not None and behind_margin < 0:
        raise ValueError(f"behind_margin must not be negative, got {behind_margin!r}")

    if done:
        return TaskStatus.DONE
    if cancelled:
        return TaskStatus.CANCELLED
    if today > due:
        return TaskStatus.OVERDUE
    if today < start and progress_percent == 0:
        return TaskStatus.NOT_STARTED

    gap = expected_progress(today, start, due) - progress_percent
    if gap > 0:
        due_soon = (due - today).days <= at_risk_days
        far_behind = behind_margin is not None and gap > behind_margin
        if due_soon or far_behind:
            return TaskStatus.AT_RISK
    return TaskStatus.ON_TRACK


class Health(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True, slots=True)
class HealthThresholds:
    """Cut-offs for the overall health colour of a group of tasks.

    Shares are fractions (0-1) of *live* tasks, i.e. all tasks except cancelled.
    """

    red_overdue_share: float = 0.10
    red_on_track_below: float = 0.60
    amber_on_track_below: float = 0.85
    amber_if_any_overdue: bool = True


@dataclass(frozen=True, slots=True)
class Rollup:
    counts: Mapping[TaskStatus, int]  # every status present, zero when absent
    total: int
    live: int  # total minus cancelled
    on_track_share: float | None  # (done + on track + not started) / live; None when live == 0
    overdue: int
    health: Health


def rollup(statuses: Iterable[TaskStatus], thresholds: HealthThresholds | None = None) -> Rollup:
    """Summarise task statuses for an agreement, partner or portfolio.

    Health: RED if overdue share >= ``red_overdue_share`` or on-track share <
    ``red_on_track_below``; else AMBER if any task is overdue (when
    ``amber_if_any_overdue``) or on-track share < ``amber_on_track_below``;
    else GREEN. A group with no live tasks is GREEN.
    """
    return rollup_counts(Counter(TaskStatus(s) for s in statuses), thresholds)


def rollup_counts(tally: Mapping[TaskStatus, int], thresholds: HealthThresholds | None = None) -> Rollup:
    """``rollup`` of tasks already counted by status (e.g. by a SQL GROUP BY)."""
    t = thresholds or HealthThresholds()
    counts = MappingProxyType({s: tally.get(s, 0) for s in TaskStatus})
    total = sum(counts.values())
    live = total - counts[TaskStatus.CANCELLED]
    overdue = counts[TaskStatus.OVERDUE]

    if live == 0:
        return Rollup(counts, total, live, None, overdue, Health.GREEN)

    # Not-started tasks are not in trouble yet, so they count towards "on track".
    fine = counts[TaskStatus.DONE] + counts[TaskStatus.ON_TRACK] + counts[TaskStatus.NOT_STARTED]
    share = fine / live
    overdue_share = overdue / live

    if overdue_share >= t.red_overdue_share or share < t.red_on_track_below:
        health = Health.RED
    elif (t.amber_if_any_overdue and overdue > 0) or share < t.amber_on_track_below:
        health = Health.AMBER
    else:
        health = Health.GREEN
    return Rollup(counts, total, live, share, overdue, health)
