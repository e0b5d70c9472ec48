"""Reminders out of the box: without SMTP notices wait in the outbox, which administrators read, and a
later SMTP configuration sends them; calendar links follow the address the page was served from."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.models import NoticeChannel, NoticeRecord, NoticeState
from accord.services import notices, outbox
from accord.services.listing import ListQuery
from accord.services.permissions import SYSTEM
from tests.delivery_app.conftest import MakeTask
from tests.support.accounts import ADMIN, WANZHOU, login, token_for
from tests.support.mail import Inbox

TODAY = date(2024, 6, 1)
NOW = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)


def _with(settings: Settings, **changes: Any) -> Settings:
    return settings.model_copy(update={"smtp_starttls": False} | changes)


def test_without_smtp_notices_wait_in_the_outbox_and_go_out_once_smtp_is_configured(
    session: Session, make_task: MakeTask, settings: Settings, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    make_task(title="建设联合实验室", start_on=date(2024, 1, 1), due_on=TODAY - timedelta(days=14))
    assert notices.held(settings)

    first = notices.plan_and_send(session, TODAY, settings, now=NOW)
    again = notices.plan_and_send(session, TODAY, settings, now=NOW + timedelta(hours=2))

    rows = session.scalars(select(NoticeRecord)).all()
    assert first.planned == len(rows) > 0 and again.planned == 0
    assert all(r.channel is NoticeChannel.EMAIL and r.status is NoticeState.PENDING for r in rows)
    assert all(r.attempts == 0 and r.last_error is None for r in rows)  # held, not failing
    page = outbox.list_outbox(session, SYSTEM, ListQuery(), settings)
    assert page.total == len(rows) and {i.state for i in page.items} == {"held"}
    assert any(i.subject.startswith("督办通知") and "建设联合实验室" in i.body for i in page.items)
    assert not inbox.messages

    live = _with(settings, smtp_host="127.0.0.1", smtp_port=port)
    sent = notices.plan_and_send(session, TODAY, live, now=NOW + timedelta(hours=3))
    assert sent.planned == 0 and sent.sent == len(rows) == len(inbox.messages)
    session.expire_all()
    assert {i.state for i in outbox.list_outbox(session, SYSTEM, ListQuery(), live).items} == {"sent"}


def test_administrators_read_the_outbox_in_pages_exports_and_the_api(
    client: TestClient,
    session: Session,
    factory: sessionmaker[Session],
    make_task: MakeTask,
    settings: Settings,
) -> None:
    make_task(title="提交年度报告", start_on=date(2024, 1, 1), due_on=TODAY + timedelta(days=7))
    make_task(title="建设联合实验室", start_on=date(2024, 1, 1), due_on=TODAY - timedelta(days=14))
    notices.plan_and_send(session, TODAY, settings, now=NOW)
    login(client, WANZHOU)
    assert client.get("/admin/outbox").status_code == 403
    assert client.get("/admin/outbox/export.csv").status_code == 403
    assert "/admin/outbox" not in client.get("/board").text
    login(client, ADMIN)

    page = client.get("/admin/outbox")
    assert page.status_code == 200
    assert "No e-mail server is configured" in page.text and "Include archived" not in page.text
    assert "Held" in page.text and "提交年度报告" in page.text
    reminders = client.get("/admin/outbox", params={"kind": "reminder"}).text
    assert "提交年度报告" in reminders and "建设联合实验室" not in reminders
    assert "建设联合实验室" not in client.get("/admin/outbox", params={"state": "sent"}).text
    ids = re.findall(r'href="/admin/outbox/(\d+)"', page.text)
    detail = client.get(f"/admin/outbox/{ids[0]}")
    assert detail.status_code == 200 and "accord.example" in detail.text
    csv = client.get("/admin/outbox/export.csv", params={"sort": "-due"})
    assert csv.status_code == 200 and "提交年度报告" in csv.content.decode("utf-8-sig")

    client.cookies.set("accord_lang", "zh_Hans")
    chinese = client.get("/admin/outbox").text
    assert "发件箱" in chinese and "暂存" in chinese

    api = client.get("/api/v1/outbox", params={"state": "held"}, headers=token_for(factory, ADMIN))
    assert api.status_code == 200
    body = api.json()
    assert body["total"] == len(ids) and {i["state"] for i in body["items"]} == {"held"}
    one = client.get(f"/api/v1/outbox/{body['items'][0]['id']}", headers=token_for(factory, ADMIN))
    assert one.status_code == 200 and one.json()["subject"]
    assert client.get("/api/v1/outbox", headers=token_for(factory, WANZHOU)).status_code == 403


def test_calendar_links_use_the_served_address_unless_a_base_url_is_set(
    client: TestClient, make_task: MakeTask, settings: Settings
) -> None:
    login(client, ADMIN)
    board = client.get("/board").text
    assert "your account belongs to no organisation" in board  # the admin is a member of none
    login(client, WANZHOU)
    make_task(title="提交年度报告", due_on=date(2030, 3, 15), start_on=date(2030, 1, 1))
    board = client.get("/board").text
    found = re.search(r'href="(http://testserver/calendar/\d+/[0-9a-f]+\.ics)"', board)
    assert found and "Your calendar feed is empty" not in board
    feed = client.get(found.group(1)).text
    assert "http://testserver/tasks/" in feed.replace("\r\n ", "")


def test_with_no_organisation_roles_the_administrators_are_reminded_and_the_outbox_says_why(
    client: TestClient, session: Session, make_task: MakeTask, settings: Settings
) -> None:
    from sqlalchemy import delete

    from accord.i18n import ngettext, set_language
    from accord.models import Membership, User

    # A fresh installation: an administrator, organisations and tasks, nobody with an organisation role.
    session.execute(delete(Membership))
    session.commit()
    task = make_task(title="建设联合实验室", start_on=date(2024, 1, 1), due_on=TODAY - timedelta(days=14))
    assert notices.unreachable_tasks(session) == 1
    notices.plan_and_send(session, TODAY, settings, now=NOW)
    rows = session.scalars(select(NoticeRecord).where(NoticeRecord.task_id == task.id)).all()
    admins = set(session.scalars(select(User.id).where(User.is_admin.is_(True))))
    assert rows and {r.recipient_user_id for r in rows} <= admins
    assert {(r.kind, r.level) for r in rows} == {("overdue", "owner")}  # told once, as the owner
    login(client, ADMIN)
    for language in ("en", "zh_Hans"):
        client.cookies.set("accord_lang", language)
        page = client.get("/admin/outbox").text
        set_language(language)
        reason = ngettext(
            "{count} open task has no one to remind: no account holds a role in its owner organisation, "
            "above it or in a party to its agreement. Its reminders come to the administrators until "
            "someone does (grant roles under Accounts).",
            "{count} open tasks have no one to remind: no account holds a role in their owner "
            "organisation, above it or in a party to their agreement. Their reminders come to the "
            "administrators until someone does (grant roles under Accounts).",
            1,
            count=1,
        )
        assert reason in page
    # Once someone holds a role, the task is theirs again and the outbox says nothing of it.
    wanzhou = session.scalars(select(User).where(User.email == WANZHOU)).one()
    session.add(
        Membership(user_id=wanzhou.id, organisation_id=task.owner_organisation_id, role="coordinator")
    )
    session.commit()
    assert notices.unreachable_tasks(session) == 0
    assert "no one to remind" not in client.get("/admin/outbox", cookies={"accord_lang": "en"}).text
