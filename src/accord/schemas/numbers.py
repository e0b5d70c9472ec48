"""The one way Accord reads a whole number from text (query strings, paths, forms, headers, CLI).

``str.isdigit()`` is true for "²" and "٣", which ``int()`` then rejects or reads as another number, and
an unbounded number overflows the database's integers. Only ASCII digits are accepted here, with an
optional sign where negatives make sense, and only within the bounds the caller gives.
"""

from __future__ import annotations

import re

# Ids are PostgreSQL integers; a larger number can only be a mistake (or an attack).
MAX_ID = 2_147_483_647
# The longest number worth reading: 19 digits already exceed a 64-bit integer.
_NUMBER = re.compile(r"[+-]?[0-9]{1,19}")


def parse_int(raw: object, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """The integer written in ``raw`` if it is ASCII digits (surrounding spaces allowed) within
    ``low``..``high``; otherwise None."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if not _NUMBER.fullmatch(text):
            return None
        value = int(text)
    else:
        return None
    return value if low <= value <= high else None


def parse_id(raw: object) -> int | None:
    """A record id (1..MAX_ID) or None."""
    return parse_int(raw, low=1, high=MAX_ID)
