"""Cells of every CSV and XLSX file Accord writes (list exports, reports): people's text stays text.

A value that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by spreadsheet
programs as a formula, which can run commands or send data away when the file is opened (CSV or formula
injection). In XLSX, text is written as a string cell, never a formula; in CSV such text gets a leading
apostrophe, the OWASP rule. Control characters XML cannot hold are dropped, so a stored value from before
input was cleaned cannot break an export.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from accord.schemas.text import strip_controls

if TYPE_CHECKING:  # openpyxl is imported by the code that writes a workbook, when it does
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TYPED = (int, float, Decimal, date, datetime)


def csv_cell(value: Any) -> str:
    """A value as CSV text, neutralised if a spreadsheet would take it for a formula."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, _TYPED) and not isinstance(value, bool):
        return text
    if text.startswith(FORMULA_START):
        text = "'" + text
    return strip_controls(text, keep="\t\n\r")


def xlsx_value(value: Any) -> Any:
    """A value for an XLSX cell: numbers and dates as they are, anything else as clean text."""
    if value is None or (isinstance(value, _TYPED) and not isinstance(value, bool)):
        return value
    return strip_controls(str(value), keep="\t\n\r")


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row; every text cell is a string cell, even one starting with ``=``."""
    cleaned = [xlsx_value(v) for v in values]
    sheet.append(cleaned)
    if not cleaned:
        return
    for cell, value in zip(sheet[sheet.max_row], cleaned, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
