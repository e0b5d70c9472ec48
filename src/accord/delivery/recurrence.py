"""Recurring obligations (annual meetings, quarterly reports) as dates over an agreement's term."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from types import MappingProxyType
from typing import Literal

from dateutil.rrule import rrule as RRule
from dateutil.rrule import rrulestr

__all__ = [
    "DEFAULT_MAX_COUNT",
    "Recurrence",
    "RecurrenceError",
    "RecurrenceErrorCode",
    "occurrences",
    "rrule_for",
]

DEFAULT_MAX_COUNT = 500

Recurrence = Literal["annual", "semiannual", "quarterly", "monthly"]
RecurrenceErrorCode = Literal["invalid_rrule", "unbounded", "too_many"]

_MONTHS_BETWEEN: dict[str, int] = {"annual": 12, "semiannual": 6, "quarterly": 3, "monthly": 1}
# Obligations are dated, not timed; sub-daily rules would also make the
# generator spin through millions of candidates.
_ALLOWED_FREQ = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})


class RecurrenceError(ValueError):
    """Bad recurrence input. ``code`` is stable; the web layer translates by it."""

    def __init__(
        self, code: RecurrenceErrorCode, message: str, params: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(message)
        self.code: RecurrenceErrorCode = code
        self.params: Mapping[str, object] = MappingProxyType(dict(params or {}))


def rrule_for(recurrence: Recurrence, start: date) -> str:
    """RRULE text for a preset cadence anchored on ``start``'s day of month.

    Days 29-31 use ``BYMONTHDAY=28..d;BYSETPOS=-1`` so the date falls on the
    last day of shorter months (31 Jan -> 28/29 Feb -> 31 Mar) instead of the
    month being skipped, as a plain ``BYMONTHDAY=31`` would do.
    Pass the same ``start`` as ``dtstart`` to :func:`occurrences`.
    """
    try:
        interval = _MONTHS_BETWEEN[recurrence]
    except KeyError:
        raise RecurrenceError(
            "invalid_rrule", f"unknown recurrence {recurrence!r}", {"recurrence": recurrence}
        ) from None
    if start.day <= 28:
        by_day = f"BYMONTHDAY={start.day}"
    else:
        days = ",".join(str(d) for d in range(28, start.day + 1))
        by_day = f"BYMONTHDAY={days};BYSETPOS=-1"
    return f"FREQ=MONTHLY;INTERVAL={interval};{by_day}"


def _parse_parts(text: str) -> dict[str, str]:
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if not body or "\n" in body or "\r" in body:
        # A single rule only: DTSTART, RDATE, EXDATE lines would override or
        # extend the agreement's own term in ways the UI cannot show.
        raise RecurrenceError("invalid_rrule", "expected a single RRULE line", {"rrule": text})
    parts: dict[str, str] = {}
    for chunk in body.split(";"):
        name, sep, value = chunk.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise RecurrenceError("invalid_rrule", f"malformed part {chunk!r}", {"rrule": text})
        parts[name.strip().upper()] = value.strip().upper()
    return parts


# Allowed magnitude of each BY* value (RFC 5545 section 3.3.10); negatives count from the end.
_BY_RANGES: dict[str, tuple[int, int]] = {
    "BYMONTH": (1, 12),
    "BYMONTHDAY": (1, 31),
    "BYYEARDAY": (1, 366),
    "BYWEEKNO": (1, 53),
    "BYSETPOS": (1, 366),
}
_MONTH_LENGTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _ints(text: str, name: str, value: str) -> list[int]:
    try:
        return [int(v) for v in value.split(",")]
    except ValueError:
        raise RecurrenceError("invalid_rrule", f"{name} must be integers", {"rrule": text}) from None


def _check_ranges(text: str, parts: dict[str, str]) -> None:
    """Reject values dateutil accepts but can never match.

    A rule that never matches makes dateutil search every day up to year 9999
    (seconds of CPU), so the common impossible cases are caught up front.
    """
    for name, (low, high) in _BY_RANGES.items():
        if name in parts:
            values = _ints(text, name, parts[name])
            positive_only = name == "BYMONTH"
            if any(not low <= abs(v) <= high or (positive_only and v < 0) for v in values):
                raise RecurrenceError("invalid_rrule", f"{name} out of range", {"rrule": text})
    for name in ("INTERVAL", "COUNT"):
        if name in parts and any(v < 1 for v in _ints(text, name, parts[name])):
            raise RecurrenceError("invalid_rrule", f"{name} must be at least 1", {"rrule": text})
    if "BYMONTH" in parts and "BYMONTHDAY" in parts:
        longest = max(_MONTH_LENGTH[m - 1] for m in _ints(text, "BYMONTH", parts["BYMONTH"]))
        if all(d > longest for d in _ints(text, "BYMONTHDAY", parts["BYMONTHDAY"])):
            raise RecurrenceError("invalid_rrule", "no such day in the chosen months", {"rrule": text})


def _parse(text: str, dtstart: date) -> tuple[RRule, dict[str, str]]:
    parts = _parse_parts(text)
    freq = parts.get("FREQ")
    if freq not in _ALLOWED_FREQ:
        raise RecurrenceError("invalid_rrule", f"unsupported FREQ {freq!r}", {"rrule": text, "freq": freq})
    _check_ranges(text, parts)
    if "COUNT" in parts and "UNTIL" in parts:
        raise RecurrenceError("invalid_rrule", "COUNT and UNTIL are mutually exclusive", {"rrule": text})
    if "UNTIL" in parts:
        # The term is date-based and naive; a trailing Z would make dateutil
        # reject the rule against a naive DTSTART, so read UNTIL as a plain date.
        parts["UNTIL"] = parts["UNTIL"][:8]
    normalised = ";".join(f"{k}={v}" for k, v in parts.items())
    try:
        rule = rrulestr(normalised, dtstart=datetime.combine(dtstart, time()))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise RecurrenceError("invalid_rrule", str(exc), {"rrule": text}) from exc
    if not isinstance(rule, RRule):  # pragma: no cover - single-line input always yields an rrule
        raise RecurrenceError("invalid_rrule", "expected a single RRULE", {"rrule": text})
    return rule, parts


def occurrences(
    rrule: str, dtstart: date, until: date | None, max_count: int = DEFAULT_MAX_COUNT
) -> list[date]:
    """Dates on which a recurring obligation falls, from ``dtstart`` to ``until`` inclusive.

    ``until`` is the agreement's term end (None for open-ended agreements);
    the rule's own COUNT/UNTIL also apply, whichever ends first.

    Raises RecurrenceError with code ``invalid_rrule`` (unparseable, several
    lines, sub-daily FREQ, COUNT with UNTIL), ``unbounded`` (no COUNT/UNTIL and
    no term end) or ``too_many`` (more than ``max_count`` dates).
    """
    if max_count < 1:
        raise ValueError(f"max_count must be positive, got {max_count!r}")
    rule, parts = _parse(rrule, dtstart)
    if until is None and "COUNT" not in parts and "UNTIL" not in parts:
        raise RecurrenceError("unbounded", "the rule never ends and the agreement has no end date", {})

    found: list[date] = []
    for moment in rule:
        day = moment.date()
        if until is not None and day > until:
            break
        if len(found) == max_count:
            raise RecurrenceError("too_many", f"more than {max_count} occurrences", {"max_count": max_count})
        found.append(day)
    return found
