"""Whether a commitment is fulfilled: computed from the tasks that deliver it, never typed.

This module is the one definition. The dashboards, scorecards, the board, the agreement and commitment
pages, the API and the annual report all call :func:`fulfilment` (through ``services.fulfilment``), and
``services.fulfilment.fulfilment_sql`` states the same rules as one SQL expression; a test compares the
two on many generated cases. The rules are listed in ``docs/delivery.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "Fulfilment",
    "FulfilmentTask",
    "Period",
    "fulfilment",
    "fulfilment_rate",
]


class Fulfilment(StrEnum):
    """Where a commitment stands on a date (listed in the order pages show them)."""

    FULFILLED = "fulfilled"
    PARTLY_FULFILLED = "partly_fulfilled"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    NOT_STARTED = "not_started"
    WAIVED = "waived"


@dataclass(frozen=True, slots=True)
class Period:
    """First and last day (inclusive) of the period a report judges, such as one year."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class FulfilmentTask:
    """What the rules need to know of one tracked task (a series only groups its occurrences, so it is
    never one of these).

    ``first_report`` is the date of the earliest progress report, ``occurrence`` whether the task is one
    dated occurrence of a recurring obligation (only those are limited to a period).
    """

    due: date
    done: bool
    done_on: date | None
    cancelled: bool
    first_report: date | None
    occurrence: bool = False

    def done_by(self, as_of: date) -> bool:
        """Done, and not only after ``as_of`` (a task marked done without a date counts as done)."""
        return self.done and (self.done_on is None or self.done_on <= as_of)


def fulfilment(
    tasks: Iterable[FulfilmentTask],
    *,
    as_of: date,
    due: date | None = None,
    period: Period | None = None,
    override: Fulfilment | None = None,
) -> Fulfilment:
    """The fulfilment of one commitment on ``as_of``; the first matching rule wins.

    1. a coordinator's override (with its reason, kept elsewhere)          -> that state
    2. cancelled tasks do not count; with a ``period``, occurrences due outside it do not count
    3. no task at all: the commitment's own ``due`` date has passed        -> OVERDUE, else NOT_STARTED
       (tasks exist but none falls in the period                           -> NOT_STARTED)
    4. every counted task done by ``as_of``                                -> FULFILLED
    5. a counted task is past its due date and not done: some are done     -> PARTLY_FULFILLED, else OVERDUE
    6. some task done, or progress reported by ``as_of``                   -> IN_PROGRESS
    7. otherwise                                                           -> NOT_STARTED
    """
    if override is not None:
        return override
    live = [t for t in tasks if not t.cancelled]
    if not live:
        return Fulfilment.OVERDUE if due is not None and due < as_of else Fulfilment.NOT_STARTED
    counted = [t for t in live if period is None or not t.occurrence or t.due in period]
    if not counted:
        return Fulfilment.NOT_STARTED
    done = [t.done_by(as_of) for t in counted]
    if all(done):
        return Fulfilment.FULFILLED
    late = any(not finished and t.due < as_of for t, finished in zip(counted, done, strict=True))
    if late:
        return Fulfilment.PARTLY_FULFILLED if any(done) else Fulfilment.OVERDUE
    reported = any(t.first_report is not None and t.first_report <= as_of for t in counted)
    if any(done) or reported:
        return Fulfilment.IN_PROGRESS
    return Fulfilment.NOT_STARTED


def fulfilment_rate(counts: Mapping[Fulfilment, int] | Iterable[Fulfilment]) -> float | None:
    """Fulfilled commitments as a share of those that are owed (all but the waived ones); None when
    none is owed. Partly fulfilled ones do not count as fulfilled."""
    tally = Counter(counts) if not isinstance(counts, Mapping) else counts
    owed = sum(tally.get(s, 0) for s in Fulfilment) - tally.get(Fulfilment.WAIVED, 0)
    return tally.get(Fulfilment.FULFILLED, 0) / owed if owed else None
