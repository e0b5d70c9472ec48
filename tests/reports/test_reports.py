"""Dashboards, scorecards, charts and the annual report (service, pages, command line)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient
from typer.testing import CliRunner

from accord.cli import app as cli
from accord.config import Settings, get_settings
from accord.delivery import Fulfilment, TaskStatus
from accord.i18n import gettext, set_language
from accord.models import (
    Achievement,
    Agreement,
    AgreementKind,
    Cohort,
    CohortCount,
    Commitment,
    Deal,
    DealType,
    Evidence,
    Institution,
    InstitutionKind,
    InstitutionStage,
    IPType,
    PipelineStage,
    Programme,
    ProgrammeKind,
    ProgressUpdate,
    Review,
    Task,
)
from accord.schemas.registry import AgreementIn, PartyIn
from accord.services import agreements, charts, dashboards, reports
from accord.services.errors import NotFound, ValidationFailed
from accord.services.permissions import SYSTEM
from tests.conftest import ADMIN, CQU, WANZHOU, login
from tests.factories import WANZHOU_EN, organisation

# --- charts ---------------------------------------------------------------------------------------


def test_charts_are_svg_images_with_their_numbers() -> None:
    set_language("zh_Hans")
    chart = charts.bar_chart(
        "承诺事项", ["已履行", "推进中"], [3, 5], keys=["kept", "in_progress"], label_header="状态",
        value_header="数量",
    )  # fmt: skip
    assert chart.svg.startswith(b"<?xml") and b"<svg" in chart.svg
    assert b"<script" not in chart.svg
    assert chart.data_uri.startswith("data:image/svg+xml;base64,")
    assert chart.rows == [["已履行", 3], ["推进中", 5]] and not chart.empty
    line = charts.line_chart("进度", ["2021 Q1", "2021 Q2"], [("完成", [1, 2])], label_header="期间")
    assert line.headers == ["期间", "完成"] and line.rows[1] == ["2021 Q2", 2]
    assert charts.bar_chart("x", ["a"], [0], label_header="a", value_header="b").empty


# --- scorecards -------------------------------------------------------------------------------------


def _status_task(**kwargs: object) -> Task:
    values: dict[str, object] = {
        "title": "t",
        "start_on": date(2021, 1, 1),
        "due_on": date(2021, 6, 30),
        "progress_percent": Decimal(100),
        "done": True,
        "done_on": date(2021, 9, 1),
        "cancelled": False,
    }
    values.update(kwargs)
    return Task(**values)


def test_work_finished_after_the_report_date_is_not_done_yet() -> None:
    task = _status_task()
    assert dashboards.status_on(task, date(2021, 12, 31)) == TaskStatus.DONE
    assert dashboards.status_on(task, date(2021, 7, 15)) == TaskStatus.OVERDUE
    assert dashboards.status_on(task, date(2020, 12, 1)) == TaskStatus.NOT_STARTED


@pytest.fixture
def scored(factory: sessionmaker[Session], world: dict[str, int]) -> int:
    """An agreement with four accepted commitments: kept, in progress, late and not started (in 2021)."""
    with factory() as session:
        cqu, wanzhou = organisation(session, "Chongqing University"), organisation(session, WANZHOU_EN)
        agreement = agreements.create_agreement(
            session,
            SYSTEM,
            AgreementIn(
                title_en="Key laboratory agreement",
                kind=AgreementKind.FRAMEWORK,
                signed_on=date(2021, 1, 10),
                parties=[PartyIn(organisation_id=wanzhou.id), PartyIn(organisation_id=cqu.id)],
            ),
        )
        shapes = {
            "kept": {"done": True, "done_on": date(2021, 5, 1), "due_on": date(2021, 6, 1)},
            "in progress": {"done": False, "progress_percent": Decimal(60), "due_on": date(2022, 6, 1)},
            "late": {"done": False, "progress_percent": Decimal(10), "due_on": date(2021, 10, 1)},
            "not started": None,
        }
        for action, shape in shapes.items():
            commitment = Commitment(
                agreement_id=agreement.id, action=action, review=Review.ACCEPTED, organisation_id=cqu.id,
                due_on=date(2021, 11, 30),
            )  # fmt: skip
            session.add(commitment)
            session.flush()
            if shape is None:
                continue
            task = Task(
                agreement_id=agreement.id, commitment_id=commitment.id, title=f"work: {action}",
                owner_organisation_id=cqu.id, start_on=date(2021, 2, 1),
                **{"progress_percent": Decimal(100), **shape},
            )  # fmt: skip
            session.add(task)
            session.flush()
            if action in ("in progress", "late"):
                session.add(ProgressUpdate(task_id=task.id, reported_on=date(2021, 3, 1), percent=shape["progress_percent"],
                                           author_label="CQU"))  # fmt: skip
            if action == "kept":
                session.add(
                    Evidence(task_id=task.id, filename="minutes.pdf", content_type="application/pdf", size=1,
                             sha256="0" * 64, uploaded_at=datetime(2021, 5, 2, tzinfo=UTC))
                )  # fmt: skip
        session.add(Institution(name_en="Joint key laboratory", kind=InstitutionKind.KEY_LAB,
                                stage=InstitutionStage.OPERATING, agreement_id=agreement.id))  # fmt: skip
        programme = Programme(
            title_en="Cadre class", kind=ProgrammeKind.CADRE_TRAINING, agreement_id=agreement.id
        )
        session.add(programme)
        session.flush()
        session.add(Cohort(programme_id=programme.id, name_en="2021 class", start_on=date(2021, 9, 1),
                           counts=[CohortCount(organisation_id=wanzhou.id, participants=42)]))  # fmt: skip
        achievement = Achievement(title_en="Slope sensor", ip_type=IPType.PATENT, maturity=6,
                                  stage=PipelineStage.LICENSED, agreement_id=agreement.id)  # fmt: skip
        session.add(achievement)
        session.flush()
        session.add(Deal(achievement_id=achievement.id, deal_type=DealType.LICENCE, amount=Decimal("500000"),
                         currency="CNY", signed_on=date(2021, 11, 2), agreement_id=agreement.id))  # fmt: skip
        session.commit()
        return agreement.id


def test_the_scorecard_counts_fulfilled_in_progress_and_overdue(
    factory: sessionmaker[Session], scored: int
) -> None:
    with factory() as session:
        agreement = session.get(Agreement, scored)
        assert agreement is not None
        card = dashboards.scorecard(session, agreement, date(2021, 12, 31))
        states = {row.commitment.action: row.state for row in card.commitments}
        assert states == {
            "kept": Fulfilment.FULFILLED,
            "in progress": Fulfilment.IN_PROGRESS,
            "late": Fulfilment.OVERDUE,
            # no task at all, and the commitment's own date (30 November) has passed
            "not started": Fulfilment.OVERDUE,
        }
        assert card.rate == 0.25
        # Before the work was done, nothing was fulfilled yet and nothing was late.
        earlier = dashboards.scorecard(session, agreement, date(2021, 4, 1))
        assert earlier.states[Fulfilment.FULFILLED] == 0
        assert {row.commitment.action: row.state for row in earlier.commitments}["not started"] == (
            Fulfilment.NOT_STARTED
        )


# --- the annual report ------------------------------------------------------------------------------


def test_the_report_for_2021_is_written_from_the_data(factory: sessionmaker[Session], scored: int) -> None:
    with factory() as session:
        wanzhou = organisation(session, WANZHOU_EN)
        report = reports.build(
            session, SYSTEM, first_year=2021, last_year=2021, partner_id=wanzhou.id, today=date(2026, 1, 1)
        )
        titles = [localized_title(a) for a in report.agreements]
        assert "Key laboratory agreement" in titles
        assert report.as_of == date(2021, 12, 31)
        assert [a.title_en for a in report.signed] == ["Key laboratory agreement"]
        assert {t.title for t in report.done} >= {"work: kept"}
        assert "work: late" in {t.title for t in report.late}
        figures = dict(report.figures)
        assert figures["Agreements signed in the period"] == 1
        assert "Joint key laboratory" in [i.name_en for i in report.portfolio.institutions]
        assert figures["Institutions operating"] >= 1 and figures["People trained in the period"] >= 42
        assert 42 in [c.participants for c in report.portfolio.cohorts]
        assert Decimal("500000") in [d.amount for d in report.portfolio.deals]
        assert "Deal value (CNY)" in dict(report.deal_values)
        assert any(c.title == "People trained per year" for c in report.charts)
        assert "were fulfilled" in report.summary and "fulfilment rate of" in report.summary
        assert figures["Fulfilment rate"] == report.rate_text
        xlsx = load_workbook(io.BytesIO(reports.render(report, "xlsx")))
        assert xlsx.sheetnames[:3] == ["Summary", "Agreements", "Commitments due"]
        cells = [str(c.value) for row in xlsx["Agreements"].iter_rows() for c in row]
        assert "Key laboratory agreement" in cells
        training = [[c.value for c in row][1:] for row in xlsx["Training"].iter_rows(min_row=2)]
        assert ["2021 class", datetime(2021, 9, 1), 42] in training
        html = reports.render(report, "html").decode()
        assert "Joint key laboratory" in html and "Slope sensor" in html


def localized_title(agreement: Agreement) -> str:
    return agreement.title_en or agreement.title_zh or ""


def test_the_chinese_pdf_embeds_a_cjk_font_and_reads_in_chinese(
    factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    set_language("zh_Hans")
    with factory() as session:
        wanzhou = organisation(session, WANZHOU_EN)
        report = reports.build(
            session, SYSTEM, first_year=2020, last_year=2021, partner_id=wanzhou.id, today=date(2026, 1, 1)
        )
        assert report.language == "zh_Hans" and len(report.news) == 1 and len(report.events) == 1
        pdf = reports.render(report, "pdf")
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0].extract_text()
    assert "重庆市万州区人民政府" in first and "年度合作报告" in first
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()  # type: ignore[union-attr]
    }
    assert any("Noto-Sans-CJK" in name or "NotoSansCJK" in name for name in fonts), fonts


def test_a_year_without_data_gives_an_honest_empty_report(
    factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        wanzhou = organisation(session, WANZHOU_EN)
        report = reports.build(
            session, SYSTEM, first_year=2015, last_year=2015, partner_id=wanzhou.id, today=date(2026, 1, 1)
        )
        assert report.empty and all(value in (0, "—") for _label, value in report.figures)
        assert (
            "No cooperation with People's Government of Wanzhou District is recorded for 2015"
            in report.summary
        )
        assert reports.render(report, "pdf").startswith(b"%PDF")
        sheet = load_workbook(io.BytesIO(reports.render(report, "xlsx")))["Summary"]
        assert any("No cooperation" in str(c.value) for row in sheet.iter_rows() for c in row)


def test_years_and_partners_are_checked(factory: sessionmaker[Session], world: dict[str, int]) -> None:
    assert reports.parse_years("2021") == (2021, 2021)
    assert reports.parse_years("2020–2021") == (2020, 2021)
    for bad in ("", "21", "2021-2019", "abcd", "2000-2020", "2021-2022-2023"):
        with pytest.raises(ValidationFailed):
            reports.parse_years(bad)
    with factory() as session:
        assert reports.find_partner(session, "万州区政府").name_en == WANZHOU_EN
        assert reports.find_partner(session, "wanzhou district").name_en == WANZHOU_EN
        assert reports.find_partner(session, str(world["cqu"])).name_en == "Chongqing University"
        with pytest.raises(NotFound, match="No organisation matches"):
            reports.find_partner(session, "Atlantis")
        with pytest.raises(NotFound, match="Several organisations match"):
            reports.find_partner(session, "Wanzhou")


# --- pages --------------------------------------------------------------------------------------------


def test_dashboards_draw_charts_with_tables_in_both_languages(
    client: TestClient, world: dict[str, int]
) -> None:
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    login(client, CQU)
    for path in ("/dashboard", f"/dashboard/agreements/{world['strategic_agreement']}",
                 f"/dashboard/organisations/{world['cqu']}"):  # fmt: skip
        page = client.get(path)
        assert page.status_code == 200, path
        assert 'src="data:image/svg+xml;base64,' in page.text
        assert "<caption>Commitments by fulfilment</caption>" in page.text
        # Charts are images and tables: the only script is the site-wide one that keeps a form's
        # values across a language switch.
        assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/static/drafts.js" defer>']
    scorecard = client.get(f"/dashboard/agreements/{world['strategic_agreement']}")
    assert "Scorecard" in scorecard.text and "Fulfilment rate" in scorecard.text
    chinese = client.get("/dashboard", headers={"Accept-Language": "zh-CN"})
    set_language("zh_Hans")
    for message in (
        "Dashboard",
        "Scorecard per agreement",
        "Fulfilled",
        "Fulfilment rate",
        "Progress over time (cumulative)",
    ):
        assert gettext(message) != message and gettext(message) in chinese.text, message


def test_a_dashboard_of_an_agreement_one_may_not_read_is_not_found(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        other = session.scalars(
            select(Agreement.id).where(Agreement.kind == AgreementKind.COOPERATIVE_OPERATION)
        ).one()
    login(client, WANZHOU)
    assert client.get(f"/dashboard/agreements/{other}").status_code == 404
    assert client.get(f"/dashboard/agreements/{world['strategic_agreement']}").status_code == 200


def test_the_report_page_validates_and_downloads(client: TestClient, world: dict[str, int]) -> None:
    login(client, ADMIN)
    form = client.get("/reports")
    assert form.status_code == 200 and 'name="partner_id"' in form.text
    bad = client.get("/reports/annual?year=20x1&partner_id=&lang=en&format=pdf")
    assert bad.status_code == 422
    assert "Give a year such as 2021" in bad.text and "Choose the partner organisation." in bad.text
    unknown = client.get("/reports/annual?year=2021&partner_id=99999&lang=en&format=pdf")
    # A missing partner answers as an unreadable one would: 404, the form again, no number named.
    assert (
        unknown.status_code == 404
        and "No such record." in unknown.text
        and "number 99999" not in unknown.text
    )
    with_partner = f"year=2020-2021&partner_id={world['cqu']}"
    pdf = client.get(f"/reports/annual?{with_partner}&lang=zh_Hans&format=pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="annual-report-2020-2021-org' in pdf.headers["content-disposition"]
    xlsx = client.get(f"/reports/annual?{with_partner}&lang=en&format=xlsx")
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Summary"
    preview = client.get(f"/reports/annual?{with_partner}&lang=en&format=html")
    assert "Annual cooperation report 2020–2021: Chongqing University" in preview.text
    empty = client.get(f"/reports/annual?year=2016&partner_id={world['cqu']}&lang=en&format=html")
    assert (
        empty.status_code == 200
        and "No cooperation with Chongqing University is recorded for 2016" in empty.text
    )


# --- the command line ---------------------------------------------------------------------------------


@pytest.fixture
def env(settings: Settings, world: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("ACCORD_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def test_the_command_writes_the_report_and_names_bad_arguments(env: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "report.pdf"
    args = ["report", "annual", "--year", "2020-2021", "--partner", "万州区政府", "--lang", "zh"]
    done = runner.invoke(cli, [*args, "--format", "pdf", "--output", str(target)])
    assert done.exit_code == 0, done.output
    assert target.read_bytes().startswith(b"%PDF")
    sheet = tmp_path / "report.xlsx"
    assert runner.invoke(cli, [*args, "--format", "xlsx", "--output", str(sheet)]).exit_code == 0
    assert load_workbook(sheet).sheetnames[0] == "摘要"
    unknown = runner.invoke(
        cli, ["report", "annual", "--year", "2021", "--partner", "Atlantis", "--lang", "en", "--output",
              str(tmp_path / "x.pdf")],
    )  # fmt: skip
    assert unknown.exit_code == 2 and "--partner" in unknown.output and "Atlantis" in unknown.output
    assert not (tmp_path / "x.pdf").exists()
    bad_year = runner.invoke(
        cli, ["report", "annual", "--year", "soon", "--partner", "1", "--lang", "en", "--output", str(target)]
    )
    assert bad_year.exit_code == 2 and "--year" in bad_year.output
