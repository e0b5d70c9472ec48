"""On PostgreSQL, `accord worker` processes share a procrastinate queue and send each notice once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from accord import clock
from accord.config import Settings
from accord.models import NoticeRecord, NoticeState
from accord.services import queue
from tests.delivery_app.conftest import MakeTask
from tests.support.mail import Inbox


def test_the_cron_line_follows_the_worker_interval() -> None:
    assert queue.cron_for(2) == "* * * * * */2"
    assert queue.cron_for(300) == "*/5 * * * *"
    assert queue.cron_for(86_400) == "*/59 * * * *"


def test_the_queue_is_for_postgresql_only() -> None:
    assert queue.uses_queue("postgresql+psycopg://accord@127.0.0.1:5432/accord")
    assert not queue.uses_queue("sqlite:///var/accord.db")
    assert (
        queue.conninfo("postgresql+psycopg://a:p%40ss@db:5432/accord")
        == "postgresql://a:p%40ss@db:5432/accord"
    )


@pytest.mark.postgres
def test_two_queue_workers_send_each_notice_exactly_once(
    settings: Settings,
    factory: sessionmaker[Session],
    make_task: MakeTask,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
) -> None:
    if not queue.uses_queue(settings.resolved_database_url):
        pytest.skip("the job queue runs on PostgreSQL")
    inbox, port = smtp
    today = clock.today()
    for n in range(5):
        make_task(
            title=f"任务{n}", start_on=today - timedelta(days=200), due_on=today - timedelta(days=15 + n)
        )
    make_task(title="提交年度报告", start_on=today - timedelta(days=30), due_on=today + timedelta(days=3))
    with factory() as session:
        session.execute(text("DELETE FROM procrastinate_jobs"))
        session.execute(text("DELETE FROM procrastinate_periodic_defers"))
        session.commit()
    env = {
        **os.environ,
        "ACCORD_DATABASE_URL": settings.resolved_database_url,
        "ACCORD_DATA_DIR": str(settings.data_dir),
        "ACCORD_SMTP_HOST": "127.0.0.1",
        "ACCORD_SMTP_PORT": str(port),
        "ACCORD_SMTP_STARTTLS": "false",
        "ACCORD_WORKER_INTERVAL_SECONDS": "1",
    }
    logs = [(tmp_path / f"worker{n}.log").open("w") for n in range(2)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "accord", "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        for log in logs
    ]
    try:
        deadline = time.monotonic() + 90
        rows: list[NoticeRecord] = []
        while time.monotonic() < deadline:
            with factory() as session:
                rows = list(session.scalars(select(NoticeRecord)))
            if rows and all(r.status is NoticeState.SENT for r in rows):
                time.sleep(3)  # several more ticks: nothing may be sent again
                break
            time.sleep(0.5)
        assert all(w.poll() is None for w in workers), "a worker stopped"
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        for log in logs:
            log.close()
    output = "".join((tmp_path / f"worker{n}.log").read_text() for n in range(2))
    with factory() as session:
        rows = list(session.scalars(select(NoticeRecord)))
        left = session.scalar(
            text("SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')")
        )
        ticks = session.scalar(
            text("SELECT count(*) FROM procrastinate_periodic_defers WHERE task_name = :name"),
            {"name": queue.PLAN_TASK},
        )
    assert rows and all(r.status is NoticeState.SENT and r.attempts == 1 for r in rows), output
    keys = [m["X-Accord-Notice"] for m in inbox.messages]
    assert sorted(keys) == sorted(r.key for r in rows)  # every notice once, none twice
    assert {r.kind for r in rows} >= {"reminder", "overdue", "escalation"}
    assert left == 0
    assert ticks == 1  # the queue's periodic job did the planning (procrastinate keeps the last tick)
