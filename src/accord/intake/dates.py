"""Date grammar: absolute Chinese/English dates, relative deadlines and their resolution."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from .numerals import EN_NUMBER_RE, any_to_int, cn_to_int

_CN_N = "[0-9０-９零〇○一二三四五六七八九十两]"
ZH_DATE_RE = re.compile(rf"({_CN_N}{{4}})\s*年\s*({_CN_N}{{1,3}})\s*月\s*({_CN_N}{{1,3}})\s*[日号]")
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
EN_DATE_RE = re.compile(
    # "26th day of May, 2017", "1st of March 2003", and ordinals a PDF split in two ("26t h", "15 th")
    rf"(?i)\b(?:(\d{{1,2}})\s?(?:s\s?t|n\s?d|r\s?d|t\s?h)?\s+(?:day\s+of\s+|of\s+)?({_MONTH_RE})\.?,?\s+(\d{{4}})"
    rf"|({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}}))\b"
)
ISO_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _safe_date(y: int | None, m: int | None, d: int | None) -> date | None:
    if y is None or m is None or d is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None  # e.g. 9月31日 as published: keep the text, not a date


def parse_zh_date(match: re.Match[str]) -> date | None:
    y = cn_to_int(match.group(1).translate(_FW))
    return _safe_date(y, any_to_int(match.group(2)), any_to_int(match.group(3)))


def parse_en_date(match: re.Match[str]) -> date | None:
    if match.group(1):
        return _safe_date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
    return _safe_date(int(match.group(6)), _MONTHS[match.group(4).lower()], int(match.group(5)))


_FW = str.maketrans("０１２３４５６７８９", "0123456789")


def find_dates(text: str) -> list[tuple[int, int, date | None]]:
    """All absolute full-day dates (start, end, value or None when impossible)."""
    found: list[tuple[int, int, date | None]] = []
    for m in ZH_DATE_RE.finditer(text):
        found.append((m.start(), m.end(), parse_zh_date(m)))
    for m in EN_DATE_RE.finditer(text):
        found.append((m.start(), m.end(), parse_en_date(m)))
    for m in ISO_RE.finditer(text):
        found.append((m.start(), m.end(), _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
    found.sort()
    return found


# Relative deadlines -------------------------------------------------------------------------------

_ZH_UNIT = {
    "日": "d",
    "天": "d",
    "工作日": "wd",
    "个工作日": "wd",
    "周": "w",
    "星期": "w",
    "个星期": "w",
    "月": "m",
    "个月": "m",
    "年": "y",
    "个年": "y",
}
_EN_UNIT = {
    "day": "d",
    "days": "d",
    "business day": "wd",
    "business days": "wd",
    "working day": "wd",
    "working days": "wd",
    "week": "w",
    "weeks": "w",
    "month": "m",
    "months": "m",
    "year": "y",
    "years": "y",
}
_SIGNING_ZH = re.compile(r"(签订|签署|签约|签字|生效|订立)")
_SIGNING_EN = re.compile(r"(?i)(sign|execut|effective|entered)")
_ZH_OFFSET = re.compile(rf"({_CN_N}+)\s*(个工作日|工作日|个月|个星期|星期|周|日|天|月|年)")
_EN_OFFSET = re.compile(
    rf"(?i)\b(\d+|{EN_NUMBER_RE})\s*(?:\(\d+\)\s*)?"
    r"(business days?|working days?|days?|weeks?|months?|years?)\b"
)


def _add(start: date, n: int, unit: str) -> date:
    if unit == "d":
        return start + timedelta(days=n)
    if unit == "w":
        return start + timedelta(weeks=n)
    if unit == "wd":
        d = start
        left = n
        while left > 0:
            d += timedelta(days=1)
            if d.weekday() < 5:
                left -= 1
        return d
    months = n * 12 if unit == "y" else n
    y, m = divmod(start.month - 1 + months, 12)
    year = start.year + y
    month = m + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def resolve_due(due: str, signed_on: date | None) -> date | None:
    """The calendar date of a deadline relative to signing (签约后3个月内 / within 90 days after signing)."""
    iso = ISO_RE.fullmatch(due.strip())
    if iso:
        return _safe_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    if signed_on is None:
        return None
    if _SIGNING_ZH.search(due):
        m = _ZH_OFFSET.search(due)
        if m:
            n = any_to_int(m.group(1))
            if n is not None:
                return _add(signed_on, n, _ZH_UNIT[m.group(2)])
    if _SIGNING_EN.search(due):
        m = _EN_OFFSET.search(due)
        if m:
            n = any_to_int(m.group(1))
            unit = _EN_UNIT.get(m.group(2).lower())
            if n is not None and unit:
                return _add(signed_on, n, unit)
    return None
