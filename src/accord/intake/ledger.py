"""Reading an office's agreement ledger (台账): an XLSX or CSV sheet with one agreement per row.

Ledgers are kept by hand: a title row above the header, merged cells (one partner over several
rows), blank rows between years, dates written every way (2020.7.27, 二〇二〇年七月二十七日, 27/07/2020,
real spreadsheet dates), terms as "5年" or "2020.7.27-2025.7.26". ``read_sheet`` returns the rows
with merged cells filled in; ``find_header`` and ``suggest_mapping`` propose which column holds
what (a person confirms on the preview); ``parse_rows`` reads every row under a mapping and names
the row and column of each value it could not read. Pure: no database.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from accord.safezip import ZipLimits, ZipRefused, stored_copy

from .dates import _add
from .errors import IntakeError
from .numerals import any_to_int, cn_to_int
from .reader import decode_text

MAX_ROWS = 20_000
MAX_COLUMNS = 60

#: What a ledger column can hold, with the headings offices use for it.
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("协议名称", "合同名称", "协议题目", "项目名称", "名称", "协议", "title", "agreement", "agreement title", "name"),
    "partner": ("合作单位", "合作方", "对方单位", "签约单位", "签约对象", "合作对象", "乙方", "甲方", "单位名称", "partner", "counterparty", "parties", "party"),
    "signed_on": ("签订日期", "签约日期", "签署日期", "签订时间", "签约时间", "日期", "signed", "signed on", "signing date", "date"),
    "term": ("有效期", "合作期限", "期限", "协议期限", "term", "duration", "validity"),
    "expires_on": ("到期日期", "截止日期", "终止日期", "到期时间", "expires", "end date", "expiry", "expiry date"),
    "owner_unit": ("责任单位", "负责单位", "承办单位", "牵头单位", "归口单位", "responsible unit", "owner", "department"),
    "contact": ("联系人", "负责人", "经办人", "contact", "contact person"),
    "kind": ("协议类型", "类型", "类别", "kind", "type", "category"),
    "file": ("文件名", "文件", "附件", "file", "filename", "file name"),
    "note": ("备注", "说明", "note", "notes", "remarks"),
}  # fmt: skip
REQUIRED = ("title",)


@dataclass(frozen=True)
class LedgerRow:
    """One agreement row: ``row`` is the 1-based row number in the sheet, as a person sees it."""

    row: int
    values: dict[str, Any]
    errors: tuple[tuple[str, str], ...] = ()  # (field, code): bad_date | bad_term | missing


@dataclass
class Sheet:
    rows: list[list[Any]]
    merged_filled: int = 0
    warnings: list[str] = field(default_factory=list)


def read_sheet(data: bytes, filename: str) -> Sheet:
    """The sheet's rows (first worksheet of an XLSX, or a CSV), merged cells filled from their top-left cell."""
    ext = PurePosixPath(filename.replace("\\", "/").lower()).suffix
    if ext in (".xlsx", ".xlsm"):
        return _read_xlsx(data)
    if ext in (".csv", ".tsv", ".txt"):
        return _read_csv(data)
    raise IntakeError("unsupported_type", ext=ext or filename)


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    limits = ZipLimits.for_size(len(data), ratio=100, floor=20 * 1024**2, ceiling=200 * 1024**2)
    try:
        package = stored_copy(data, limits)  # openpyxl opens the archive itself: hand it a bounded copy
    except ZipRefused as refused:
        if refused.code == "too_large":
            raise IntakeError("zip_bomb", uncompressed=limits.total, ratio=100) from None
        if refused.code == "encrypted":
            raise IntakeError("encrypted", format="XLSX") from None
        raise IntakeError("corrupt_file", format="XLSX", detail=str(refused)) from None
    try:
        book = load_workbook(io.BytesIO(package), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise IntakeError("corrupt_file", format="XLSX", detail=str(exc)[:200]) from None
    sheet = book.worksheets[0]
    if sheet.max_row > MAX_ROWS + 50:
        raise IntakeError("too_many_rows", rows=sheet.max_row, limit=MAX_ROWS)
    width = min(sheet.max_column, MAX_COLUMNS)
    rows = [list(r[:width]) for r in sheet.iter_rows(values_only=True)]
    filled = 0
    for merged in sheet.merged_cells.ranges:
        top = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_col <= width else None
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, min(merged.max_col, width) + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    rows[r - 1][c - 1] = top
                    filled += 1
    return Sheet(rows=rows, merged_filled=filled)


def _read_csv(data: bytes) -> Sheet:
    text, _encoding = decode_text(data)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t，")
    except csv.Error:
        dialect = csv.excel
    rows = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    if len(rows) > MAX_ROWS + 50:
        raise IntakeError("too_many_rows", rows=len(rows), limit=MAX_ROWS)
    return Sheet(rows=[[c if c != "" else None for c in r[:MAX_COLUMNS]] for r in rows])


def _heading_key(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).lower()
    return re.sub(r"[\s*:：()（）/_\-]+", " ", text).strip()


def _field_of(value: Any) -> str | None:
    key = _heading_key(value)
    if not key:
        return None
    for name, headings in FIELDS.items():
        if key in headings:
            return name
    for name, headings in FIELDS.items():  # "协议名称（全称）", "签订日期 2020"
        if any(len(h) >= 2 and key.startswith(h) for h in headings):
            return name
    return None


def find_header(rows: Sequence[Sequence[Any]], scan: int = 15) -> int | None:
    """The index of the header row: the first of the top rows naming at least two known columns."""
    best: tuple[int, int] | None = None
    for index, row in enumerate(rows[:scan]):
        known = len({f for f in (_field_of(v) for v in row) if f})
        if known >= 2 and (best is None or known > best[1]):
            best = (index, known)
    return best[0] if best else None


def headings(rows: Sequence[Sequence[Any]], header: int) -> list[str]:
    """The header row's cells as text (blank headings named by their column letter)."""
    out = []
    for column, value in enumerate(rows[header]):
        text = str(value).strip() if value is not None else ""
        out.append(text or _column_letter(column))
    return out


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def suggest_mapping(heads: Sequence[str]) -> dict[str, int]:
    """Field → column index for the headings recognised (the first column of each field wins)."""
    mapping: dict[str, int] = {}
    for column, heading in enumerate(heads):
        name = _field_of(heading)
        if name and name not in mapping:
            mapping[name] = column
    return mapping


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_rows(rows: Sequence[Sequence[Any]], header: int, mapping: dict[str, int]) -> list[LedgerRow]:
    """Every non-empty row under the header read through ``mapping``; problems are named per row and field."""
    out: list[LedgerRow] = []
    for index in range(header + 1, len(rows)):
        row = rows[index]
        cells = {name: row[col] if col < len(row) else None for name, col in mapping.items()}
        if all(_blank(v) for v in cells.values()):
            continue  # blank separator rows
        values: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        for name, raw in cells.items():
            if _blank(raw):
                values[name] = None
            elif name in ("signed_on", "expires_on"):
                parsed = parse_loose_date(raw)
                values[name] = parsed
                if parsed is None:
                    errors.append((name, "bad_date"))
            elif name == "term":
                values[name] = str(raw).strip()
            else:
                values[name] = re.sub(r"\s+", " ", str(raw)).strip()
        for name in REQUIRED:
            if name in mapping and not values.get(name):
                errors.append((name, "missing"))
        term = values.get("term")
        if term and not values.get("expires_on"):
            start = values.get("signed_on")
            end = term_end(term, start if isinstance(start, date) else None)
            if end is not None:
                values["expires_on"] = end
        out.append(LedgerRow(row=index + 1, values=values, errors=tuple(errors)))
    return out


# Dates ------------------------------------------------------------------------------------------

_CN_NUM = "[0-9零〇○一二三四五六七八九十两]"
_ZH_FULL = re.compile(
    rf"^\s*+({_CN_NUM}{{2,4}})\s*+年\s*+({_CN_NUM}{{1,3}})\s*+月\s*+({_CN_NUM}{{1,3}})\s*+[日号]?\s*+$"
)
_YMD = re.compile(r"^\s*+(\d{4})\s*+[./\-年]\s*+(\d{1,2})\s*+[./\-月]\s*+(\d{1,2})\s*+[日号]?\s*+$")
_DMY = re.compile(r"^\s*(\d{1,2})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{4})\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_EXCEL_EPOCH = date(1899, 12, 30)


def _date(y: int | None, m: int | None, d: int | None) -> date | None:
    if y is None or m is None or d is None:
        return None
    if y < 100:
        y += 2000 if y < 70 else 1900
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_loose_date(value: Any) -> date | None:
    """A date written in any of the ways ledgers use; None when it cannot be read.

    ``27/07/2020`` is read day first (as in China and Europe) unless that is impossible
    (``07/27/2020``). Whole numbers between 20000 and 80000 are spreadsheet serial days.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 <= value <= 80_000:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if m := _YMD.match(text) or _COMPACT.match(text):
        return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _ZH_FULL.match(text):
        return _date(cn_to_int(m.group(1)), any_to_int(m.group(2)), any_to_int(m.group(3)))
    if m := _DMY.match(text):
        first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if first <= 12 < second:
            return _date(year, first, second)
        return _date(year, second, first)
    from .dates import EN_DATE_RE, parse_en_date

    if (m2 := EN_DATE_RE.search(text)) and m2.start() == 0:
        return parse_en_date(m2)
    return None


_RANGE = re.compile(r"^(.{6,24}?)\s*(?:-|—|–|~|～|至|到|to)\s*(.{6,24})$")
#: 5年, 三十六个月, "ten years", "twelve (12) months", "twenty-four (24) months"
_LENGTH = re.compile(
    rf"({_CN_NUM}+|\d+|[a-z]+(?:-[a-z]+)?)\s*(?:\(\d+\)\s*)?(个月|年|月|years?\b|months?\b)", re.I
)


def term_end(term: str, start: date | None) -> date | None:
    """The last day of a term: the end of "2020.7.27-2025.7.26", or start + "5年" − 1 day."""
    text = unicodedata.normalize("NFKC", term).strip()
    if m := _RANGE.match(text):
        end = parse_loose_date(m.group(2).strip())
        if end is not None:
            return end
    # "from June 1, 2015 until May 31, 2016", "until December 31, 2025"
    if (until := re.search(r"(?i)\buntil\s+", text)) and (end := parse_loose_date(text[until.end() :])):
        return end
    if start is None or re.search(r"(?i)later\s+of|较晚|以后到期", text):
        return None  # "the later of five years and …": no sure last day
    if m3 := _LENGTH.search(text):
        n = any_to_int(m3.group(1))
        if n is None or n <= 0 or n > 100:
            return None
        unit = "y" if m3.group(2).lower().startswith(("年", "year")) else "m"
        return _add(start, n, unit) - timedelta(days=1)
    return None
