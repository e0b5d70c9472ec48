"""Text as Accord stores it: no control characters, and dates within a sane range.

A NUL or a vertical tab in a title breaks the XLSX export (XML cannot hold them) and a due date of
9999-12-31 breaks date arithmetic in calendar feeds; such values are never meaningful input. Every input
schema cleans its text with ``clean_text`` and checks its dates with ``date_in_range`` (see
``InputModel``); exports and feeds use ``strip_controls`` on what older versions stored.
"""

from __future__ import annotations

import re
from datetime import date, datetime

# C0 controls, DEL and C1 controls; tab and line feed are the only ones text fields keep.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)


def strip_controls(value: str, keep: str = "\t\n") -> str:
    """``value`` without control characters other than those in ``keep``."""
    return _CONTROLS.sub(lambda m: m.group(0) if m.group(0) in keep else "", value)


def clean_text(value: str) -> str:
    """Line breaks as LF (CRLF and a bare CR alike), other control characters but tab removed."""
    return strip_controls(value.replace("\r\n", "\n").replace("\r", "\n"))


def date_in_range(value: date | datetime) -> bool:
    """Whether a date (or a moment's date) lies between 1900-01-01 and 2200-12-31."""
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST <= day <= LATEST
