"""Delivery pages and API end to end: forms, progress with evidence, board, bulk, timeline, calendar."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord import clock
from accord.config import Settings
from accord.models import AuditEntry, Evidence, Task, User
from accord.services import supervision
from tests import factories
from tests.conftest import ADMIN, CQU, VIEWER, WANZHOU, csrf_of, login
from tests.delivery_app.conftest import MakeTask
from tests.factories import design_agreement_id, org_id
from tests.support.accounts import token_for

TODAY = clock.today()  # the pages compute status for the current day; tasks are placed around it


def _new_task(client: TestClient, agreement_id: int, **fields: str) -> tuple[int, str]:
    token = csrf_of(client, f"/tasks/new?agreement_id={agreement_id}")
    data = {"csrf_token": token, "agreement_id": str(agreement_id), "kind": "task"} | fields
    response = client.post("/tasks/new", data=data, follow_redirects=False)
    if response.status_code == 303:
        return int(response.headers["location"].rsplit("/", 1)[1]), ""
    return 0, response.text


def test_coordinators_create_tasks_from_the_form_with_specific_errors(
    client: TestClient, session: Session, world: dict[str, int]
) -> None:
    login(client, WANZHOU)
    agreement = world["strategic_agreement"]
    wanzhou = str(org_id(session, "People's Government of Wanzhou District"))
    _id, page = _new_task(
        client,
        agreement,
        title="建设联合实验室",
        owner_organisation_id=wanzhou,
        start_on="2024-05-01",
        due_on="2024-04-01",
    )
    assert "The due date is before the start date." in page
    _id, page = _new_task(client, agreement, title="", owner_organisation_id=wanzhou, due_on="2024-13-01")
    assert "This field is required." in page and "Must be a date" in page
    _id, page = _new_task(
        client,
        agreement,
        title="每月报告",
        owner_organisation_id=wanzhou,
        due_on="2021-01-01",
        recurrence_rule="FREQ=DAILY",
    )
    assert "more than 500" in page
    assert session.scalars(select(Task)).all() == []
    task_id, _page = _new_task(
        client,
        agreement,
        title="季度进展报告",
        owner_organisation_id=wanzhou,
        due_on="2021-01-31",
        recurrence_rule="quarterly",
    )
    detail = client.get(f"/tasks/{task_id}")
    assert detail.status_code == 200 and "Occurrences" in detail.text
    assert "季度进展报告 (2025-04-30)" in detail.text  # the last quarter before the term ends
    # The agreement page shows the delivery section with the task.
    page = client.get(f"/agreements/{agreement}")
    assert "Delivery" in page.text and "季度进展报告" in page.text
    # A sub-task, then moving the parent under it is refused.
    sub_id, _page = _new_task(
        client,
        agreement,
        title="第一季度报告",
        owner_organisation_id=wanzhou,
        due_on="2021-03-31",
        parent_id=str(task_id),
    )
    assert sub_id
    token = csrf_of(client, f"/tasks/{task_id}/edit")
    edit = client.post(
        f"/tasks/{task_id}/edit",
        data={
            "csrf_token": token,
            "title": "季度进展报告",
            "kind": "task",
            "owner_organisation_id": wanzhou,
            "due_on": "2025-04-30",
            "parent_id": str(sub_id),
            "recurrence_rule": "",
        },
    )
    assert edit.status_code == 422


def test_progress_with_evidence_upload_download_type_and_size_limits(
    client: TestClient, session: Session, world: dict[str, int], make_task: MakeTask, settings: Settings
) -> None:
    task = make_task(start_on=TODAY - timedelta(days=30), due_on=TODAY + timedelta(days=60))
    login(client, WANZHOU)
    token = csrf_of(client, f"/tasks/{task.id}")
    response = client.post(
        f"/tasks/{task.id}/updates",
        data={"csrf_token": token, "percent": "40", "note": "实验室完成选址"},
        files=[("files", ("site-plan.pdf", b"%PDF-1.4 plan", "application/pdf"))],
        follow_redirects=False,
    )
    assert response.status_code == 303
    evidence = session.scalars(select(Evidence)).one()
    download = client.get(f"/tasks/evidence/{evidence.id}")
    assert download.status_code == 200 and download.content == b"%PDF-1.4 plan"
    assert download.headers["content-type"] == "application/octet-stream"
    assert "attachment" in download.headers["content-disposition"]
    bad = client.post(
        f"/tasks/{task.id}/updates",
        data={"csrf_token": token, "percent": "50"},
        files=[("files", ("page.html", b"<script>alert(1)</script>", "text/html"))],
    )
    assert bad.status_code == 422 and "not accepted as evidence" in bad.text
    big = client.post(
        f"/tasks/{task.id}/updates",
        data={"csrf_token": token, "percent": "50"},
        files=[("files", ("scan.pdf", b"x" * (settings.upload_max_bytes + 1), "application/pdf"))],
    )
    assert big.status_code == 422 and "larger than the limit" in big.text
    not_a_number = client.post(f"/tasks/{task.id}/updates", data={"csrf_token": token, "percent": "forty"})
    assert not_a_number.status_code == 422 and "Must be a number." in not_a_number.text
    session.expire_all()
    assert session.get(Task, task.id).progress_percent == 40  # type: ignore[union-attr]
    assert len(session.scalars(select(Evidence)).all()) == 1
    # The viewer reads and downloads but cannot report.
    client.cookies.clear()
    login(client, VIEWER)
    assert client.get(f"/tasks/evidence/{evidence.id}").status_code == 200
    assert "Report progress" not in client.get(f"/tasks/{task.id}").text
    token = csrf_of(client, f"/tasks/{task.id}")
    assert (
        client.post(f"/tasks/{task.id}/updates", data={"csrf_token": token, "percent": "90"}).status_code
        == 403
    )
    assert client.post(f"/tasks/evidence/{evidence.id}/delete", data={"csrf_token": token}).status_code == 403
    # A coordinator removes the evidence record; the removal is in the audit trail.
    client.cookies.clear()
    login(client, WANZHOU)
    token = csrf_of(client, f"/tasks/{task.id}")
    assert client.post(f"/tasks/evidence/{evidence.id}/delete", data={"csrf_token": token}).status_code == 200
    assert client.get(f"/tasks/evidence/{evidence.id}").status_code == 404
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "evidence")).all()
    assert sorted(actions) == ["attach", "delete"]


def test_other_organisations_coordinators_get_404_everywhere(
    client: TestClient,
    session: Session,
    world: dict[str, int],
    make_task: MakeTask,
    factory: sessionmaker[Session],
) -> None:
    design = design_agreement_id(session)
    task = make_task(
        agreement_id=design, owner_organisation_id=org_id(session, "Chongqing Dayou Design Group")
    )
    login(client, CQU)
    assert client.get(f"/tasks/{task.id}").status_code == 404
    assert client.get(f"/agreements/{design}/timeline").status_code == 404
    assert task.title not in client.get("/board").text
    headers = token_for(factory, CQU)
    assert client.get(f"/api/v1/tasks/{task.id}", headers=headers).status_code == 404
    token = csrf_of(client, "/board")
    bulk = client.post(
        "/board/bulk", data={"csrf_token": token, "action": "done", "task_ids": [str(task.id)]}
    )
    assert bulk.status_code == 404
    session.expire_all()
    assert session.get(Task, task.id).done is False  # type: ignore[union-attr]


def test_board_filters_orders_exports_and_bulk_actions(
    client: TestClient, session: Session, world: dict[str, int], make_task: MakeTask
) -> None:
    cqu_org = org_id(session, "Chongqing University")
    late = make_task(title="逾期任务", start_on=TODAY - timedelta(days=90), due_on=TODAY - timedelta(days=5))
    fine = make_task(
        title="正常任务",
        owner_organisation_id=cqu_org,
        start_on=TODAY - timedelta(days=1),
        due_on=TODAY + timedelta(days=300),
    )
    later = make_task(
        title="未开始任务", start_on=TODAY + timedelta(days=10), due_on=TODAY + timedelta(days=400)
    )
    login(client, CQU)
    board = client.get("/board")
    assert board.status_code == 200
    text = board.text
    assert text.index("逾期任务") < text.index("正常任务") < text.index("未开始任务")
    assert "正常任务" not in client.get("/board?status=overdue").text
    assert "逾期任务" in client.get("/board?status=overdue").text
    owned = client.get(f"/board?owner_id={cqu_org}").text
    assert "正常任务" in owned and "逾期任务" not in owned
    assert "未开始任务" not in client.get("/board?due_within=30").text
    csv = client.get("/board/export.csv?status=overdue").content.decode("utf-8-sig")
    assert "逾期任务" in csv and "Overdue" in csv and "正常任务" not in csv
    sheet = load_workbook(io.BytesIO(client.get("/board/export.xlsx").content)).active
    assert sheet is not None and {str(c.value) for row in sheet.iter_rows() for c in row} >= {
        "逾期任务",
        "正常任务",
    }
    # Bulk: without a CSRF token nothing happens; with it, the due date moves and tasks are done.
    assert client.post("/board/bulk", data={"action": "done", "task_ids": [str(late.id)]}).status_code == 403
    token = csrf_of(client, "/board")
    moved = client.post(
        "/board/bulk",
        data={"csrf_token": token, "action": "due", "task_ids": [str(late.id)], "due_on": ""},
        follow_redirects=True,
    )
    assert "Give the new due date." in moved.text
    new_due = TODAY + timedelta(days=20)
    client.post(
        "/board/bulk",
        data={
            "csrf_token": token,
            "action": "due",
            "task_ids": [str(late.id)],
            "due_on": new_due.isoformat(),
        },
    )
    client.post(
        "/board/bulk", data={"csrf_token": token, "action": "done", "task_ids": [str(fine.id), str(later.id)]}
    )
    session.expire_all()
    assert session.get(Task, late.id).due_on == new_due  # type: ignore[union-attr]
    assert session.get(Task, fine.id).done and session.get(Task, later.id).done  # type: ignore[union-attr]
    history = client.get(f"/tasks/{late.id}").text
    assert "due_on" in history  # the audit trail shows the change


def test_timeline_lists_dates_tasks_updates_and_changes_in_order(
    client: TestClient, session: Session, world: dict[str, int], make_task: MakeTask
) -> None:
    task = make_task(title="共建研究院", start_on=date(2021, 1, 1), due_on=date(2021, 12, 31))
    login(client, WANZHOU)
    page = client.get(f"/agreements/{world['strategic_agreement']}/timeline")
    assert page.status_code == 200
    text = page.text
    assert (
        text.index("The agreement was signed")
        < text.index("共建研究院 is due")
        < text.index("The agreement ends")
    )
    assert f"/tasks/{task.id}" in text and "created the task 共建研究院" in text


def test_calendar_feed_is_a_valid_escaped_icalendar_behind_a_secret_url(
    client: TestClient, session: Session, world: dict[str, int], make_task: MakeTask, settings: Settings
) -> None:
    make_task(title="报告; 第一期, 含\\附件", due_on=date(2030, 3, 15), start_on=date(2030, 1, 1))
    login(client, WANZHOU)
    board = client.get("/board").text
    match = re.search(r'href="http://testserver(/calendar/\d+/[0-9a-f]+\.ics)"', board)
    assert match
    feed = client.get(match.group(1))
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    body = feed.text
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20300315\r\n" in body and "DTEND;VALUE=DATE:20300316\r\n" in body
    assert "SUMMARY:报告\\; 第一期\\, 含\\\\附件\r\n" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert client.get(match.group(1).replace(".ics", "0.ics")).status_code == 404
    user = session.scalars(select(User).where(User.email == WANZHOU)).one()
    assert supervision.calendar_token(settings.resolved_secret_key(), user) in match.group(1)


def test_api_creates_tasks_reports_progress_and_lists_the_board(
    client: TestClient, session: Session, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    headers = token_for(factory, WANZHOU)
    wanzhou = org_id(session, "People's Government of Wanzhou District")
    body = {
        "title": "培训干部",
        "agreement_id": world["strategic_agreement"],
        "owner_organisation_id": wanzhou,
        "start_on": (TODAY - timedelta(days=10)).isoformat(),
        "due_on": (TODAY + timedelta(days=100)).isoformat(),
        "metric_target": "100",
        "metric_unit": "人",
    }
    created = client.post("/api/v1/tasks", json=body, headers=headers)
    assert created.status_code == 201, created.text
    task = created.json()
    assert task["status"] in {"on_track", "at_risk"}
    bad = client.post(
        "/api/v1/tasks", json=body | {"due_on": (TODAY - timedelta(days=20)).isoformat()}, headers=headers
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "due_on"
    update = client.post(
        f"/api/v1/tasks/{task['id']}/updates", json={"metric_value": "30", "note": "第一批"}, headers=headers
    )
    assert update.status_code == 201 and update.json()["percent"] == "30.00"
    wrong = client.post(f"/api/v1/tasks/{task['id']}/updates", json={"percent": "abc"}, headers=headers)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "percent"
    listed = client.get(
        "/api/v1/tasks", params={"agreement_id": world["strategic_agreement"]}, headers=headers
    )
    assert listed.status_code == 200 and listed.json()["total"] >= 1
    assert client.get(f"/api/v1/tasks/{task['id']}/updates", headers=headers).json()[0]["note"] == "第一批"
    admin = token_for(factory, ADMIN)
    assert client.post(
        "/api/v1/tasks/bulk", json={"action": "done", "task_ids": [task["id"]]}, headers=admin
    ).json() == {"changed": 1}


def test_a_task_form_is_drafted_only_from_a_commitment_the_user_may_read(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        hidden = factories.accepted_commitment(session, design_agreement_id(session)).id
        mine = factories.accepted_commitment(session, world["strategic_agreement"]).id
        session.commit()
    login(client, CQU)
    refused = client.get(f"/tasks/new?commitment_id={hidden}")
    assert refused.status_code == 404 and "联席会议" not in refused.text
    assert "联席会议" in client.get(f"/tasks/new?commitment_id={mine}").text
