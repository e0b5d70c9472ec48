"""People's text in CSV and XLSX exports and reports is never a formula (issue 15, item 10), and a
value stored before input was cleaned (a NUL, a vertical tab, a due date of 9999-12-31) breaks no export
or feed (item 11)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.models import Agreement, Deal, Institution, Programme, Project, Task, User
from accord.models.transfer import Achievement
from accord.services.supervision import calendar_token
from tests.conftest import csrf_of
from tests.reliability import authz_world
from tests.reliability.test_authorization_matrix import Matrix, act_as
from tests.reliability.test_object_level import EXPORTS

FORMULAS = ('=HYPERLINK("http://evil.example")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1")


@pytest.fixture
def hostile(world: dict[str, int], factory: sessionmaker[Session], settings: Settings) -> Iterator[Matrix]:
    """A's records with titles a spreadsheet would run, and stored values no input accepts today."""
    with factory() as session:
        built = authz_world.build(session, settings.files_dir)
        a = built.a
        records = [
            (Agreement, a.agreement, "title_en"),
            (Institution, a.institution, "name_en"),
            (Project, a.project, "title_en"),
            (Programme, a.programme, "title_en"),
            (Achievement, a.achievement, "title_en"),
            (Task, a.task, "title"),
        ]
        for n, (model, key, field) in enumerate(records):
            record = session.get(model, key)
            # PostgreSQL cannot store a NUL at all; SQLite can, and did before input was cleaned.
            nul = "\x00" if session.get_bind().dialect.name == "sqlite" else ""
            setattr(record, field, FORMULAS[n % len(FORMULAS)] + f" aurora{nul}\x0b\x1f")
        deal = session.get(Deal, a.deal)
        assert deal is not None
        deal.note_en = "=1+1 aurora"
        task = session.get(Task, a.task)
        assert task is not None
        task.due_on = date(9999, 12, 31)
        task.title = "aurora\rlate\x0b task =1"
        session.commit()
        owner = session.get(User, built.users["coordinator"])
        assert owner is not None
        secret = calendar_token(settings.resolved_secret_key(), owner)
    yield Matrix(built, secret, lambda: 0)


def _xlsx_cells(body: bytes) -> list[tuple[object, str]]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name  # no formula anywhere
    workbook = load_workbook(io.BytesIO(body))
    return [(cell.value, cell.data_type) for sheet in workbook for row in sheet.iter_rows() for cell in row]


def test_exports_write_text_never_formulas(client: TestClient, hostile: Matrix) -> None:
    act_as(client, hostile, "coordinator")
    for name in EXPORTS:
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/{name}/export.{fmt}")
            assert response.status_code == 200, (name, fmt)
            if fmt == "csv":
                rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
                risky = [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
                assert risky == [], name
            else:
                cells = _xlsx_cells(response.content)
                text = [value for value, kind in cells if isinstance(value, str) and "aurora" in value]
                assert all(kind == "s" for value, kind in cells if isinstance(value, str)), name
                assert not any(ch in value for value in text for ch in "\x00\x0b\x1f"), name
    report = client.get(
        f"/reports/annual?year=2024&partner_id={hostile.world.counterpart}&format=xlsx&lang=en"
    )
    assert report.status_code == 200
    cells = _xlsx_cells(report.content)
    assert any(isinstance(v, str) and v.startswith("=HYPERLINK") for v, _kind in cells)


def test_a_public_demand_with_a_formula_and_a_nul_exports_safely(client: TestClient, hostile: Matrix) -> None:
    token = csrf_of(client, "/demands/new")
    posted = client.post(
        "/demands/new",
        data={
            "csrf_token": token,
            "title": '=HYPERLINK("http://evil.example","aurora")\x00 river sensor demand',
            "description": "@SUM(1) aurora needs\x0b a corrosion sensor for river banks over two winters",
            "contact_name": "+Visitor",
            "contact_email": "visitor@example.org",
        },
    )
    assert posted.status_code == 200
    act_as(client, hostile, "admin")
    listing = client.get("/demands/export.csv")
    rows = list(csv.reader(io.StringIO(listing.content.decode("utf-8-sig"))))
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    workbook = client.get("/demands/export.xlsx")
    assert workbook.status_code == 200
    assert any(
        v == '=HYPERLINK("http://evil.example","aurora") river sensor demand' and kind == "s"
        for v, kind in _xlsx_cells(workbook.content)
    )


def test_inputs_refuse_far_dates_and_drop_control_characters(client: TestClient, hostile: Matrix) -> None:
    a = hostile.world.a
    act_as(client, hostile, "coordinator")
    far = client.post(
        "/api/v1/tasks",
        json={"title": "aurora far", "agreement_id": a.agreement, "owner_organisation_id": a.organisation,
              "due_on": "9999-12-31"},
    )  # fmt: skip
    assert far.status_code == 422
    assert [e["field"] for e in far.json()["errors"]] == ["due_on"]
    made = client.post(
        "/api/v1/tasks",
        json={"title": "aurora\x00 clean\x0b task\r\nnext", "agreement_id": a.agreement,
              "owner_organisation_id": a.organisation, "due_on": "2030-01-01"},
    )  # fmt: skip
    assert made.status_code == 201
    assert made.json()["title"] == "aurora clean task\nnext"


def test_feeds_survive_what_is_already_stored(client: TestClient, hostile: Matrix) -> None:
    w = hostile.world
    feed = client.get(f"/calendar/{w.users['coordinator']}/{hostile.calendar}.ics")
    assert feed.status_code == 200
    body = feed.content.decode()
    assert "\r" not in body.replace("\r\n", "")  # no bare CR: line breaks in text are escaped
    assert "\x0b" not in body
    assert "DTSTART;VALUE=DATE:99991231" in body
    act_as(client, hostile, "coordinator")
    assert client.get("/board/export.xlsx").status_code == 200
    assert client.get(f"/tasks/{w.a.task}").status_code == 200
