"""accord worker --once and accord notices send-due against a real local SMTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from accord.cli import app
from accord.config import Settings, get_settings
from accord.demo import wanzhou
from accord.models import NoticeRecord, NoticeState
from tests.support.mail import Inbox

runner = CliRunner()


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch, smtp: tuple[Inbox, int]) -> Iterator[Settings]:
    _inbox, port = smtp
    monkeypatch.setenv("ACCORD_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ACCORD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ACCORD_SMTP_PORT", str(port))
    monkeypatch.setenv("ACCORD_SMTP_STARTTLS", "false")
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def test_the_worker_sends_the_demo_reminders_once(
    env: Settings,
    factory: sessionmaker[Session],
    smtp: tuple[Inbox, int],
) -> None:
    inbox, _port = smtp
    with factory() as session:
        wanzhou.load(session, env.files_dir)  # its overdue tasks are relative to the day it is loaded
        session.commit()
    first = runner.invoke(app, ["worker", "--once"])
    assert first.exit_code == 0, first.output
    with factory() as session:
        rows = session.scalars(select(NoticeRecord)).all()
    assert rows and all(r.status is NoticeState.SENT for r in rows)
    assert len(inbox.messages) == len(rows)
    again = runner.invoke(app, ["notices", "send-due"])
    assert again.exit_code == 0 and "sent 0" in again.output
    assert len(inbox.messages) == len(rows)


def test_send_due_prints_why_nothing_went_out_and_fails(
    env: Settings, factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The default STARTTLS against a relay that offers none: every notice fails, and says why.
    monkeypatch.setenv("ACCORD_SMTP_STARTTLS", "true")
    get_settings.cache_clear()
    with factory() as session:
        wanzhou.load(session, env.files_dir)
        session.commit()
    result = runner.invoke(app, ["notices", "send-due"])
    assert result.exit_code == 1
    assert "sent 0" in result.stdout
    reasons = [line for line in result.stderr.splitlines() if line.startswith("not sent: email to ")]
    assert reasons and all("STARTTLS" in line for line in reasons), result.stderr
    assert "accord check" in result.stderr
