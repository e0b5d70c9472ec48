"""Details of the cooperation loop: occurrence titles, the horizon note in the API, the next due date of a
recurring commitment, reporting on occurrences rather than their series, and charts with nothing to draw."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.i18n import format_date, gettext, set_language
from accord.services import charts, tasks
from accord.services.permissions import SYSTEM
from tests import factories
from tests.conftest import ADMIN, WANZHOU, csrf_of, login
from tests.delivery_app.conftest import MakeTask
from tests.factories import design_agreement_id, org_id
from tests.support.accounts import token_for

LANGUAGES = (("en", "en"), ("zh-CN", "zh_Hans"))


def test_occurrence_titles_drop_the_sentences_full_stop(
    session: Session, world: dict[str, int], make_task: MakeTask
) -> None:
    series = make_task(title="Hold a joint meeting every year.", recurrence_rule="annual")
    titles = sorted(c.title for c in series.children)
    assert titles[0] == "Hold a joint meeting every year (2024-12-31)"
    chinese = make_task(title="每年召开联席会议。", recurrence_rule="annual", due_on=date(2024, 11, 19))
    assert sorted(c.title for c in chinese.children)[0] == "每年召开联席会议 (2024-11-19)"
    assert tasks.without_full_stop("。") == "。"  # never empty


def test_the_api_returns_the_horizon_note_the_page_shows(
    client: TestClient, session: Session, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    design = design_agreement_id(session)  # signed with no end date
    owner = org_id(session, "Wanzhou Planning and Design Institute")
    headers = token_for(factory, ADMIN)
    body = {
        "agreement_id": design,
        "title": "年度报告",
        "owner_organisation_id": owner,
        "due_on": "2025-03-31",
        "recurrence_rule": "annual",
    }
    for accept, language in LANGUAGES:
        client.cookies.clear()
        made = client.post("/api/v1/tasks", json=body, headers=headers | {"Accept-Language": accept})
        assert made.status_code == 201, made.text
        set_language(language)
        expected = gettext(
            "The agreement has no end date, so occurrences were made for {years} years, up to {date}. "
            "Create the task again later for the years after."
        ).split("{")[0]
        assert made.json()["horizon_note"].startswith(expected), made.json()["horizon_note"]
        again = client.get(
            f"/api/v1/tasks/{made.json()['id']}", headers=headers | {"Accept-Language": accept}
        )
        assert again.json()["horizon_note"] == made.json()["horizon_note"]
        login(client, ADMIN)
        client.cookies.set("accord_lang", language)
        page = client.get(f"/tasks/{made.json()['id']}").text
        assert made.json()["horizon_note"] in page
    # A task of an agreement with an end date, and an occurrence, have no note.
    dated = client.post(
        "/api/v1/tasks",
        json=body | {"agreement_id": world["strategic_agreement"], "owner_organisation_id": world["cqu"]},
        headers=headers,
    ).json()
    assert dated["horizon_note"] is None
    occurrence = client.get(f"/api/v1/tasks?agreement_id={design}", headers=headers).json()["items"][0]
    assert occurrence["parent_id"] is not None and occurrence["horizon_note"] is None


def test_a_series_refuses_progress_and_names_the_occurrence_to_report_on(
    client: TestClient, make_task: MakeTask, factory: sessionmaker[Session]
) -> None:
    series = make_task(
        title="Annual meeting",
        recurrence_rule="annual",
        start_on=date(2024, 1, 1),
        due_on=date(2024, 6, 30),
    )
    first = sorted(series.children, key=lambda t: t.due_on)[0]
    headers = token_for(factory, WANZHOU)
    refused = client.post(f"/api/v1/tasks/{series.id}/updates", json={"percent": 50}, headers=headers)
    assert refused.status_code == 422
    assert first.title in refused.text and f"task {first.id}" in refused.text
    accepted = client.post(f"/api/v1/tasks/{first.id}/updates", json={"percent": 50}, headers=headers)
    assert accepted.status_code == 201, accepted.text
    login(client, WANZHOU)
    for _accept, language in LANGUAGES:
        client.cookies.set("accord_lang", language)
        page = client.get(f"/tasks/{series.id}").text
        set_language(language)
        assert gettext("This task repeats: progress is reported on each occurrence.") in page
        assert f'<a href="/tasks/{first.id}">' in page
        assert f'action="/tasks/{series.id}/updates"' not in page  # no form that would be refused
        assert f'action="/tasks/{first.id}/updates"' in client.get(f"/tasks/{first.id}").text
    posted = client.post(
        f"/tasks/{series.id}/updates",
        data={"csrf_token": csrf_of(client, f"/tasks/{first.id}"), "percent": "10"},
    )
    assert posted.status_code == 422 and first.title in posted.text


def test_a_recurring_commitment_without_a_date_shows_its_next_occurrence(
    client: TestClient, session: Session, world: dict[str, int], commitment_id: int
) -> None:
    series = factories.task(
        session,
        title="双方每年召开一次联席会议",
        commitment_id=commitment_id,
        start_on=date(2021, 7, 27),
        due_on=date(2021, 7, 27),
    )
    session.commit()
    occurrences = sorted(series.children, key=lambda t: t.due_on)
    tasks.set_state(session, SYSTEM, occurrences[0].id, done=True, today=date(2021, 7, 27))
    session.commit()
    following = occurrences[1].due_on
    login(client, WANZHOU)
    for _accept, language in LANGUAGES:
        client.cookies.set("accord_lang", language)
        set_language(language)
        expected = gettext("next: {date}", date=format_date(following))
        scorecard = client.get(f"/dashboard/agreements/{world['strategic_agreement']}").text
        row = re.search(rf'href="/commitments/{commitment_id}">.*?</tr>', scorecard, re.S)
        assert row is not None and expected in row.group(0)
        assert expected in client.get(f"/commitments/{commitment_id}").text


def test_a_chart_with_nothing_to_draw_says_so(client: TestClient, world: dict[str, int]) -> None:
    empty = charts.bar_chart("Tasks", ["Done", "Overdue"], [0, 0], label_header="a", value_header="b")
    assert empty.empty and empty.svg == b""
    drawn = charts.bar_chart("Tasks", ["Done"], [1], label_header="a", value_header="b")
    assert drawn.svg.startswith(b"<?xml")
    login(client, WANZHOU)  # the demo without its tasks: every task count is zero
    for _accept, language in LANGUAGES:
        client.cookies.set("accord_lang", language)
        page = client.get(f"/dashboard/agreements/{world['strategic_agreement']}").text
        set_language(language)
        assert gettext("No data yet: every value is zero.") in page
        assert 'class="chart-empty' in page
