"""A ledger (台账) as offices keep it: title rows, merged cells, blank rows, dates written every way."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from accord.intake import IntakeError
from accord.intake.ledger import (
    find_header,
    headings,
    parse_loose_date,
    parse_rows,
    read_sheet,
    suggest_mapping,
    term_end,
)
from tests.reliability.test_zip_limits import MB, lying_zip


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("2020.7.27", date(2020, 7, 27)),
        ("2020-07-27", date(2020, 7, 27)),
        ("2020/7/27", date(2020, 7, 27)),
        ("2020年7月27日", date(2020, 7, 27)),
        ("二〇二〇年七月二十七日", date(2020, 7, 27)),
        ("27/07/2020", date(2020, 7, 27)),
        ("07/27/2020", date(2020, 7, 27)),
        ("20200727", date(2020, 7, 27)),
        ("27 July 2020", date(2020, 7, 27)),
        (datetime(2020, 7, 27, 0, 0), date(2020, 7, 27)),
        (44039, date(2020, 7, 27)),
        ("2020.2.30", None),
        ("待定", None),
    ],
)
def test_dates_are_read_however_they_are_written(written: object, value: date | None) -> None:
    assert parse_loose_date(written) == value


def test_terms_give_the_end_date() -> None:
    assert term_end("5年", date(2020, 7, 27)) == date(2025, 7, 26)
    assert term_end("五年", date(2020, 7, 27)) == date(2025, 7, 26)
    assert term_end("36个月", date(2020, 7, 27)) == date(2023, 7, 26)
    assert term_end("2020.7.27-2023.7.26", None) == date(2023, 7, 26)
    assert term_end("长期", date(2020, 7, 27)) is None


def _sheet() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["2021年合作协议台账"])
    sheet.append(["序号", "协议名称", "合作单位", "签订日期", "有效期", "责任单位"])
    sheet.append([1, "战略合作协议", "万州区人民政府", "2021.3.15", "5年", "科研院"])
    sheet.append([None] * 6)
    sheet.append([2, "实习基地协议", "三峡职业学院", "某天", "3年", "教务处"])
    sheet.append([3, None, "三峡职业学院", "2020.9.1", "3年", None])
    sheet.merge_cells("F5:F6")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_ledger_is_read_with_its_header_merged_cells_and_row_problems() -> None:
    sheet = read_sheet(_sheet(), "台账.xlsx")
    header = find_header(sheet.rows)
    assert header == 1
    mapping = suggest_mapping(headings(sheet.rows, header))
    assert mapping == {"title": 1, "partner": 2, "signed_on": 3, "term": 4, "owner_unit": 5}
    rows = parse_rows(sheet.rows, header, mapping)
    assert [r.row for r in rows] == [3, 5, 6]  # the blank row 4 is skipped
    assert rows[0].values["expires_on"] == date(2026, 3, 14)
    assert rows[1].errors == (("signed_on", "bad_date"),)
    assert rows[2].values["owner_unit"] == "教务处"  # from the merged cell
    assert ("title", "missing") in rows[2].errors


def test_csv_ledgers_in_gb18030_and_bad_files() -> None:
    text = "协议名称,合作单位,签订日期\n战略合作协议,万州区人民政府,27/07/2020\n"
    sheet = read_sheet(text.encode("gb18030"), "ledger.csv")
    header = find_header(sheet.rows)
    assert header == 0
    rows = parse_rows(sheet.rows, header, suggest_mapping(headings(sheet.rows, 0)))
    assert rows[0].values["signed_on"] == date(2020, 7, 27)
    with pytest.raises(IntakeError):
        read_sheet(b"not a workbook", "ledger.xlsx")
    with pytest.raises(IntakeError):
        read_sheet(b"x", "ledger.pdf")


def test_a_workbook_that_inflates_beyond_its_limit_is_refused_before_openpyxl_sees_it() -> None:
    book = Workbook()
    book.active.append(["协议名称", "签订日期"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as honest:
        members = {n: honest.read(n) for n in honest.namelist() if n != "xl/worksheets/sheet1.xml"}
    bomb = lying_zip("xl/worksheets/sheet1.xml", inflated=256 * MB, declared=30 * MB, extra=members)
    with pytest.raises(IntakeError) as refused:
        read_sheet(bomb, "台账.xlsx")
    assert refused.value.code == "zip_bomb"
