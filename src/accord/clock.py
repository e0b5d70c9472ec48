"""The one clock: the current instant, and the current day where the organisation works.

Instants are stored and compared in UTC. A *day* — when a task is due, whether it is overdue, which
notices go out, the year a report covers, when a match was sent — is the calendar day in the time zone
of ``ACCORD_TIME_ZONE`` (the demo's partners work in ``Asia/Shanghai``, eight hours ahead of UTC, so
from midnight to 08:00 there UTC still says yesterday). Nothing else in Accord asks the machine or UTC
what day it is: ``tests/docs/test_clock.py`` looks for such calls in the source.

The web application sets its process's clock from its settings when it is created (``use``); elsewhere
(the command line, the worker) the first question reads ``ACCORD_TIME_ZONE`` from the environment's
settings. Code that has the settings at hand may equally ask ``Settings.clock``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

DEFAULT_TIME_ZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Clock:
    """What time it is (UTC) and what day it is in ``zone``."""

    zone: ZoneInfo

    def now(self) -> datetime:
        """The current instant, timezone-aware in UTC."""
        return datetime.now(UTC)

    def today(self) -> date:
        """The current day in the configured time zone."""
        return self.day_of(self.now())

    def day_of(self, moment: datetime) -> date:
        """The day ``moment`` falls on in the configured time zone (a naive moment is taken as UTC)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.zone).date()


@cache
def clock_for(time_zone: str) -> Clock:
    """The clock of an IANA time zone name (``Asia/Shanghai``, ``Europe/Berlin``, ``UTC``)."""
    return Clock(ZoneInfo(time_zone))


_current: Clock | None = None


def use(time_zone: str) -> Clock:
    """Make ``time_zone`` this process's clock; returns it."""
    global _current
    _current = clock_for(time_zone)
    return _current


def current() -> Clock:
    """This process's clock: the one set by ``use``, else that of the environment's settings."""
    if _current is None:
        from accord.config import get_settings  # settings import this module

        return use(get_settings().time_zone)
    return _current


def now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return current().now()


def today() -> date:
    """The current day where the organisation works (``ACCORD_TIME_ZONE``)."""
    return current().today()


def day_of(moment: datetime) -> date:
    """The day an instant falls on where the organisation works."""
    return current().day_of(moment)
