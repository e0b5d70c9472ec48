"""Column definitions shared by list pages and their CSV/XLSX exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from accord.i18n import gettext
from accord.services.spreadsheets import append_row, csv_cell


@dataclass(frozen=True)
class Column:
    """One column: a translatable label, how to read the cell, and the sort key if sortable."""

    label: str
    value: Callable[[Any], Any]
    sort: str | None = None
    link: bool = False

    @property
    def title(self) -> str:
        """The label in the current language."""
        return gettext(self.label)


def cell_text(value: Any) -> str:
    """A cell as text for display."""
    return "" if value is None else str(value)


def to_csv(columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    """UTF-8 CSV with a byte-order mark so spreadsheet programs read Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(c.title) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(c.value(row)) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(columns: Sequence[Column], rows: Iterable[Any], sheet: str) -> bytes:
    """An XLSX workbook with a bold header row and sensible column widths."""
    from openpyxl import Workbook  # imported when a list is first exported, not with every page
    from openpyxl.styles import Font

    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet[:31]
    append_row(worksheet, [c.title for c in columns])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    widths = [len(c.title) * 2 for c in columns]
    for row in rows:
        values = [c.value(row) for c in columns]
        append_row(worksheet, values)
        widths = [max(w, len(cell_text(v)) * 2) for w, v in zip(widths, values, strict=True)]
    for index, width in enumerate(widths):
        worksheet.column_dimensions[chr(65 + index) if index < 26 else "AA"].width = min(max(width, 8), 60)
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
