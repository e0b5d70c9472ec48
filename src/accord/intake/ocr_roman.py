"""Roman clause numbers that the recogniser read as digits, put back from the numbering around them.

rapidocr reads a line-leading ``I.`` as ``1.`` and ``II.`` as ``11.``, ``Il.`` or ``I1.`` (a capital I,
a lower-case l and the digit 1 are nearly the same stroke in most typefaces). The clause splitter then
sees ``1.`` and ``11.`` where the text has ``I.`` and ``II.``, and the clauses are numbered wrongly or
not found. One line cannot tell ``1.`` from ``I.``; the document can: a number is Roman when it stands
next to a number that is surely Roman (``III.``, ``IV.``, ``I1.``) and follows on from it, and not
where Arabic numbering around it follows on instead (``1. … 2. …`` under ``VIII.``). The items of a
lettered list between Roman headings (``I. SERVICES``, ``A.``, ``B.``, ``II. EXPENSES``) are left out of
the Roman numbering, and are letters themselves where they follow on from a letter (``H.``, ``1.`` for
``I.``, ``J.``).

Only recognised lines go through this (a text layer's ``1.`` is what was typed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A line-leading clause number: digits, or letters a Roman numeral (or its misreading) is made of,
# followed by a full stop or a closing bracket, then a space or a letter (not ``1.1``).
_LEADING = re.compile(r"^(?P<number>[IVXlH|1]{1,6}|\d{1,3}|[A-Z])[.)．](?=\s|[A-Za-z\u4e00-\u9fff])")
_ROMAN = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$")
_VALUES = {"I": 1, "V": 5, "X": 10}
_ONE_LIKE = str.maketrans({"l": "I", "|": "I", "1": "I", "H": "II"})  # H: the two strokes of II run together


def roman_value(numeral: str) -> int | None:
    """The value of a Roman numeral up to XXXIX, None when it is not one."""
    if not numeral or not _ROMAN.match(numeral):
        return None
    total = 0
    for index, char in enumerate(numeral):
        value = _VALUES[char]
        following = _VALUES[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


class _Number:
    """One line-leading number: its value read as Roman and as Arabic, and whether it is surely Roman."""

    def __init__(self, line: int, number: str) -> None:
        self.line = line
        self.number = number
        self.as_roman = number.translate(_ONE_LIKE)
        self.roman = roman_value(self.as_roman)
        one_like = set(number) <= set("1Il|")
        self.arabic = int(number) if number.isdigit() else int("1" * len(number)) if one_like else None
        # Surely Roman: a V or an X (``IV.``), or capital I's and no digit (``II.``, ``Il.``). Digits,
        # alone or with an I (``1.``, ``11.``, ``I1.``), are Roman only where the numbering around says so.
        self.sure = self.roman is not None and (
            "V" in number or "X" in number or ("I" in number and not any(c.isdigit() for c in number))
        )
        self.decided = self.sure
        # As an item of a lettered list (``A.`` … ``H.``, ``I.`` read as ``1.``): its letter, if it can be one.
        self.as_letter = (
            "I" if number in ("1", "l", "|") else number if len(number) == 1 and number.isupper() else None
        )
        self.plain_letter = self.as_letter is not None and self.as_letter not in "IVX" and number.isalpha()
        self.letter = False


def _lettered(numbers: list[_Number]) -> None:
    """Mark the items of lettered lists: a letter next to the letter before or after it (``G.``, ``H.``,
    ``1.`` for ``I.``, ``J.``); a Roman heading's sub-list (``I.`` then ``A.``) is not one run."""
    for position, number in enumerate(numbers):
        if number.as_letter is None:
            continue
        neighbours = numbers[max(0, position - 1) : position] + numbers[position + 1 : position + 2]
        number.letter = any(
            n.plain_letter and n.as_letter is not None and abs(ord(n.as_letter) - ord(number.as_letter)) == 1
            for n in neighbours
        )
        number.letter = number.letter or (number.plain_letter and number.number != "H")


def _follows(a: int | None, b: int | None) -> bool:
    """Whether b can stand next to a in one numbered run (the next number, or the same after a sub-list)."""
    return a is not None and b is not None and abs(a - b) <= 1


def roman_clause_numbers(lines: Sequence[str]) -> list[str]:
    """The lines, with line-leading numbers that the numbering around them shows to be Roman written as
    Roman numerals (``1. Party A…`` → ``I. Party A…`` before ``I1. As required…`` and ``III. In…``)."""
    numbers = []
    for index, line in enumerate(lines):
        match = _LEADING.match(line.lstrip())
        if match:
            numbers.append(_Number(index, match.group("number")))
    if not any(n.sure for n in numbers):
        return list(lines)
    _lettered(numbers)
    out = list(lines)
    for number in numbers:  # a lettered list's I read as 1 is written as a letter
        if number.letter and number.as_letter is not None and number.as_letter != number.number:
            out[number.line] = _renumbered(out[number.line], number.number, number.as_letter)
    numbers = [n for n in numbers if not n.letter]  # the Roman headings around a lettered sub-list
    changed = True
    while changed:
        changed = False
        for position, number in enumerate(numbers):
            if number.decided or number.roman is None:
                continue
            neighbours = numbers[max(0, position - 1) : position] + numbers[position + 1 : position + 2]
            arabic_run = any(
                not n.decided and n.arabic != number.arabic and _follows(n.arabic, number.arabic)
                for n in neighbours
            )
            if not arabic_run and any(n.decided and _follows(n.roman, number.roman) for n in neighbours):
                number.decided = True
                changed = True
    _mend_gaps(numbers)
    for number in numbers:
        if number.decided and number.as_roman != number.number:
            out[number.line] = _renumbered(out[number.line], number.number, number.as_roman)
    return out


def _renumbered(line: str, number: str, written: str) -> str:
    start = len(line) - len(line.lstrip())
    return line[:start] + written + line[start + len(number) :]


def _mend_gaps(numbers: Sequence[_Number]) -> None:
    """A number of I's between two Roman numbers one apart from it is the one between them: a stroke
    of ``III.`` lost (``II.``) or read as an H (``IHI.``) between ``II.`` and ``IV.`` gives ``III.`` back."""
    for before, number, after in zip(numbers, numbers[1:], numbers[2:], strict=False):
        if not (before.decided and after.decided) or before.roman is None or after.roman is None:
            continue
        wanted = before.roman + 1
        strokes = set(number.number) <= set("Il1|H") and (number.decided or "H" in number.number)
        if after.roman == wanted + 1 and number.roman != wanted and wanted <= 3 and strokes:
            number.as_roman = "I" * wanted
            number.roman = wanted
            number.decided = True
