"""The PostgreSQL job queue (procrastinate) that plans and sends reminders on several machines.

On PostgreSQL every ``accord worker`` joins one procrastinate queue. A periodic job plans the day's
notices (a notice is claimed under a UNIQUE key, so planning twice adds nothing) and defers one
``send`` job per due notice under a queueing lock, so a notice is queued at most once; the
workers fetch jobs with ``SELECT … FOR UPDATE SKIP LOCKED``, and ``notices.send_one`` leases the
row before it sends, so a notice is sent once even if two jobs for it ever ran. procrastinate
defers each periodic tick once across all workers. A worker killed mid-send leaves its lease to
expire; the next tick queues the notice again.

On SQLite (one machine) ``notices.run_worker`` is the scheduler instead.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import make_url
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.services import notices

log = logging.getLogger(__name__)

QUEUE = "notices"
PLAN_TASK = "accord.plan_notices"
SEND_TASK = "accord.send_notice"


def uses_queue(database_url: str) -> bool:
    """Whether workers on this database share the procrastinate queue (PostgreSQL only)."""
    return make_url(database_url).get_backend_name() == "postgresql"


def conninfo(database_url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def cron_for(seconds: int) -> str:
    """A cron line firing about every ``seconds``: seconds-resolution below a minute, else minutes."""
    if seconds < 60:
        return f"* * * * * */{seconds}"
    minutes = min(max(1, seconds // 60), 59)
    return f"*/{minutes} * * * *"


def make_queue(settings: Settings, factory: sessionmaker[Session]) -> procrastinate.App:
    """The queue with its two jobs, bound to ``settings`` and the session ``factory``."""
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(settings.resolved_database_url)),
        worker_defaults={"delete_jobs": "successful"},  # the notice table is the record, not the queue
    )

    @app.task(name=SEND_TASK, queue=QUEUE)
    def send(notice_id: int, attempts: int) -> None:
        now = datetime.now(UTC)
        with factory() as session:
            notices.send_one(session, notice_id, attempts, settings, now, notices.Summary())

    @app.periodic(cron=cron_for(settings.worker_interval_seconds), periodic_id="notices")
    @app.task(name=PLAN_TASK, queue=QUEUE, queueing_lock=PLAN_TASK)
    def plan(timestamp: int) -> None:
        now = datetime.now(UTC)
        with factory() as session:
            planned = notices.plan(session, now.date(), settings, now)
            queued = enqueue_due(session, send, now)
        log.info("notices: planned %s, queued %s", planned, queued)

    return app


def enqueue_due(session: Session, send: Any, now: datetime) -> int:
    """Defer one send job per due notice that is not queued yet; returns how many were deferred."""
    queued = 0
    for row_id, attempts in notices.due_notices(session, now):
        try:
            send.configure(queueing_lock=f"notice-{row_id}").defer(notice_id=row_id, attempts=attempts)
        except AlreadyEnqueued:
            continue  # another worker queued it this tick
        queued += 1
    return queued


def run(settings: Settings, factory: sessionmaker[Session]) -> None:
    """Work the queue until SIGINT/SIGTERM (several workers on several machines may run at once)."""
    make_queue(settings, factory).run_worker(queues=[QUEUE], concurrency=1, install_signal_handlers=True)
