"""Every place says the same number: one portfolio (the demo, with its tasks) read through the dashboard,
the agreement and partner scorecards, the agreement page, the commitment pages, the API (scorecard and
the SQL-computed fulfilment of each commitment) and the annual report (HTML, XLSX, PDF), in Chinese and
in English — the same counts per fulfilment state and the same fulfilment rate everywhere."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord import clock
from accord.delivery import Fulfilment, Period, fulfilment_rate
from accord.i18n import reset_language, set_language
from accord.models import Agreement
from accord.services import dashboards, reports, supervision
from accord.services.permissions import SYSTEM
from tests.conftest import ADMIN, login
from tests.support.accounts import token_for


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)} %"


def test_every_place_says_the_same_number(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    today = clock.today()
    strategic = world["strategic_agreement"]
    with factory() as session:
        overview = dashboards.overview(session, SYSTEM, today)
        board = dashboards.for_agreement(session, SYSTEM, strategic, today)
        partner = dashboards.for_partner(session, SYSTEM, world["cqu"], today)
        card = board.scorecards[0]
        states = dict(card.states)
        rate = card.rate
        by_commitment = {row.commitment.id: row.state for row in card.commitments}
        # the demo's only-task-done commitment is fulfilled, and the dashboard no longer says 0
        assert states[Fulfilment.FULFILLED] > 0 and rate is not None and rate > 0
        assert any(
            row.commitment.action.startswith("建立全面深化战略合作关系") and row.state is Fulfilment.FULFILLED
            for row in card.commitments
        )
        assert {c.agreement.id: c.states for c in overview.scorecards}[strategic] == states
        assert {c.agreement.id: c.states for c in partner.scorecards}[strategic] == states
        assert overview.rate == fulfilment_rate(overview.states)
        agreement = session.get(Agreement, strategic)
        assert agreement is not None
        section = supervision.agreement_delivery(session, agreement, today=today)
        assert {row.commitment.id: row.state for row in section.commitments} == by_commitment

        year = 2024  # the demo agreement was in force (2020-07-27 to 2025-07-26)
        report = reports.build(
            session, SYSTEM, first_year=year, last_year=year, partner_id=world["cqu"], today=today
        )
        judged = dashboards.scorecard(
            session, agreement, report.as_of, period=Period(report.start, report.end)
        )
        report_card = {c.agreement.id: c for c in report.scorecards}[strategic]
        assert report_card.states == judged.states
        report_rate = report.rate_text

    headers = token_for(factory, ADMIN)
    api = client.get(f"/api/v1/agreements/{strategic}/scorecard", headers=headers).json()
    assert {Fulfilment(k): v for k, v in api["states"].items()} == states
    assert api["fulfilment_rate"] == rate
    for commitment_id, state in by_commitment.items():
        answer = client.get(f"/api/v1/commitments/{commitment_id}/fulfilment", headers=headers).json()
        assert answer["state"] == state.value, commitment_id  # the SQL expression says the same

    login(client, ADMIN)
    for language, label in (("en", "Fulfilment rate"), ("zh-CN", "履约率")):
        page = client.get(f"/dashboard/agreements/{strategic}", headers={"Accept-Language": language}).text
        assert f"<strong>{_percent(rate)}</strong>{label}" in page, language
        overview_page = client.get("/dashboard", headers={"Accept-Language": language}).text
        assert f"<strong>{_percent(overview.rate)}</strong>{label}" in overview_page
        for commitment_id, state in list(by_commitment.items())[:5]:
            shown = client.get(f"/commitments/{commitment_id}", headers={"Accept-Language": language}).text
            assert f"state-{state.value}" in shown

    for language in ("en", "zh_Hans"):
        token = set_language(language)
        try:
            with factory() as session:
                report = reports.build(
                    session, SYSTEM, first_year=year, last_year=year, partner_id=world["cqu"], today=today
                )
                xlsx = load_workbook(io.BytesIO(reports.render(report, "xlsx")))
                pdf = reports.render(report, "pdf")
                assert report.rate_text == report_rate
        finally:
            reset_language(token)
        summary = {
            row[0].value: row[1].value for row in xlsx.worksheets[0].iter_rows(min_row=10) if row[0].value
        }
        label = "Fulfilment rate" if language == "en" else "履约率"
        assert summary[label] == report_rate
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert label in text and report_rate.replace(" ", "") in text.replace(" ", "")
