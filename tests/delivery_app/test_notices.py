"""Reminders and escalations through a real local SMTP server and a real webhook receiver."""

from __future__ import annotations

import email
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.delivery import verify_signature
from accord.models import NoticeRecord, NoticeState
from accord.services import notices
from tests.delivery_app.conftest import MakeTask
from tests.support.mail import Inbox
from tests.support.servers import free_port

TODAY = date(2024, 6, 1)
NOW = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
SECRET = "whsec_test"


class Hooks:
    """What the webhook receiver got: raw bodies and whether each signature verified."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.verified: list[bool] = []
        self.status = 204


@pytest.fixture
def webhook() -> Iterator[tuple[Hooks, str]]:
    hooks = Hooks()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            hooks.bodies.append(body)
            hooks.verified.append(verify_signature(SECRET, body, self.headers.get("X-Accord-Signature")))
            self.send_response(hooks.status)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield hooks, f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def _settings(settings: Settings, **changes: Any) -> Settings:
    base = {"smtp_starttls": False, "smtp_sender": "duban@accord.example", "webhook_secret": SECRET}
    return settings.model_copy(update=base | changes)


def test_reminders_and_escalations_reach_smtp_and_the_webhook_once(
    session: Session,
    make_task: MakeTask,
    settings: Settings,
    smtp: tuple[Inbox, int],
    webhook: tuple[Hooks, str],
) -> None:
    inbox, port = smtp
    hooks, url = webhook
    overdue = make_task(title="建设联合实验室", start_on=date(2024, 1, 1), due_on=TODAY - timedelta(days=14))
    soon = make_task(title="提交年度报告", start_on=date(2024, 1, 1), due_on=TODAY + timedelta(days=7))
    make_task(title="已完成", due_on=TODAY - timedelta(days=3)).done = True
    session.commit()
    config = _settings(settings, smtp_host="127.0.0.1", smtp_port=port, webhook_url=url)

    summary = notices.plan_and_send(session, TODAY, config, now=NOW)

    rows = session.scalars(select(NoticeRecord).order_by(NoticeRecord.key)).all()
    assert rows and all(r.status is NoticeState.SENT for r in rows)
    assert summary.sent == len(rows) == len(inbox.messages) + len(hooks.bodies)
    assert {r.task_id for r in rows} == {overdue.id, soon.id}
    kinds = {(r.kind, r.level) for r in rows if r.task_id == overdue.id}
    assert kinds == {("overdue", "owner"), ("escalation", "coordinator"), ("escalation", "leadership")}
    assert {(r.kind, r.level) for r in rows if r.task_id == soon.id} == {("reminder", "owner")}
    subjects = [
        str(email.header.make_header(email.header.decode_header(m["Subject"]))) for m in inbox.messages
    ]
    assert any(s.startswith("督办通知") for s in subjects) and any(
        s.startswith("任务即将到期提醒") for s in subjects
    )

    def told(level: str) -> set[str]:
        return {m["To"].split("<")[-1].rstrip(">") for m in inbox.messages if level in m["X-Accord-Notice"]}

    # Wanzhou's coordinator is escalated to as the owner's coordinator, and not again as leadership.
    assert "wanzhou@accord.example" in told("coordinator")
    assert "cqu@accord.example" in told("leadership") and "wanzhou@accord.example" not in told("leadership")
    assert hooks.verified and all(hooks.verified)
    # Planning again (same day or later the same week) sends nothing new.
    again = notices.plan_and_send(session, TODAY, config, now=NOW + timedelta(hours=1))
    assert again.planned == again.sent == 0
    assert len(inbox.messages) + len(hooks.bodies) == summary.sent


def test_two_workers_at_once_send_each_notice_exactly_once(
    factory: sessionmaker[Session], make_task: MakeTask, settings: Settings, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    for n in range(6):
        make_task(title=f"任务{n}", start_on=date(2024, 1, 1), due_on=TODAY - timedelta(days=15 + n))
    config = _settings(settings, smtp_host="127.0.0.1", smtp_port=port)
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with factory() as own:
                barrier.wait()
                for _ in range(2):
                    notices.plan_and_send(own, TODAY, config, now=NOW)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    keys = [m["X-Accord-Notice"] for m in inbox.messages]
    assert len(keys) == len(set(keys)) > 0
    with factory() as check:
        rows = check.scalars(select(NoticeRecord)).all()
        assert len(rows) == len(keys) and all(r.status is NoticeState.SENT and r.attempts == 1 for r in rows)


def test_unreachable_smtp_is_recorded_and_retried_later_with_backoff(
    session: Session,
    make_task: MakeTask,
    settings: Settings,
    smtp: tuple[Inbox, int],
    webhook: tuple[Hooks, str],
) -> None:
    inbox, port = smtp
    hooks, url = webhook
    make_task(title="建设联合实验室", start_on=date(2024, 1, 1), due_on=TODAY - timedelta(days=1))
    dead = _settings(settings, smtp_host="127.0.0.1", smtp_port=free_port())

    first = notices.plan_and_send(session, TODAY, dead, now=NOW)
    row = session.scalars(select(NoticeRecord)).one()
    assert first.retrying == 1 and first.sent == 0
    assert row.status is NoticeState.PENDING and row.attempts == 1 and row.last_error
    assert "Connection" in row.last_error or "refused" in row.last_error.lower()
    assert row.next_attempt_at.replace(tzinfo=UTC) == NOW + timedelta(minutes=1)
    # Not before the backoff has passed.
    assert notices.plan_and_send(session, TODAY, dead, now=NOW + timedelta(seconds=30)).retrying == 0
    # The server is back: the same notice (same Message-ID) goes out, once.
    live = _settings(settings, smtp_host="127.0.0.1", smtp_port=port)
    later = notices.plan_and_send(session, TODAY, live, now=NOW + timedelta(minutes=2))
    assert later.sent == 1 and len(inbox.messages) == 1
    session.refresh(row)
    assert row.status is NoticeState.SENT and row.attempts == 2 and row.last_error is None

    # A webhook answering 400 is given up at once (the request itself is wrong).
    make_task(title="提交年度报告", start_on=date(2024, 1, 1), due_on=TODAY - timedelta(days=2))
    hooks.status = 400
    hooked = _settings(settings, webhook_url=url)
    notices.plan_and_send(session, TODAY, hooked, now=NOW + timedelta(minutes=3))
    failed = session.scalars(select(NoticeRecord).where(NoticeRecord.channel == "webhook")).one()
    assert failed.status is NoticeState.FAILED and failed.last_error and "400" in failed.last_error
    assert hooks.verified == [True]
