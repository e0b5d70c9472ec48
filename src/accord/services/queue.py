"""The PostgreSQL job queue (procrastinate) that plans and sends reminders on several machines.

On PostgreSQL every ``accord worker`` joins one procrastinate queue. A periodic job plans the day's
notices (a notice is claimed under a UNIQUE key, so planning twice adds nothing) and defers one
``send`` job per due notice under a queueing lock, so a notice is queued at most once; the
workers fetch jobs with ``SELECT … FOR UPDATE SKIP LOCKED``, and ``notices.send_one`` leases the
row before it sends, so a notice is sent once even if two jobs for it ever ran. procrastinate
defers each periodic tick once across all workers. A worker killed mid-send leaves its lease to
expire; the next tick queues the notice again.

Background jobs (``services.jobs``) share the queue: ``JobDispatcher`` defers one ``accord.run_job``
per job under the queueing lock ``job-<id>``, and a periodic ``accord.recover_jobs`` defers again any
job left queued (its defer was lost) or running without a heartbeat (its worker died).

On SQLite (one machine) ``notices.run_worker`` is the scheduler instead, and jobs run in threads of
the web process.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import make_url
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.services import jobs, notices

log = logging.getLogger(__name__)

QUEUE = "notices"
PLAN_TASK = "accord.plan_notices"
SEND_TASK = "accord.send_notice"
JOBS_QUEUE = "jobs"
RUN_JOB_TASK = "accord.run_job"
RECOVER_TASK = "accord.recover_jobs"
#: A queued job older than this with no run is deferred again by the recovery tick.
RECOVER_QUEUED_AFTER = timedelta(minutes=1)


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
    """The queue with its tasks, bound to ``settings`` and the session ``factory``."""
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
            planned = notices.plan(session, settings.clock.day_of(now), settings, now)
            queued = enqueue_due(session, send, now, settings)
        log.info("notices: planned %s, queued %s", planned, queued)

    @app.task(name=RUN_JOB_TASK, queue=JOBS_QUEUE)
    def run_job(job_id: int) -> None:
        jobs.run(factory, settings, job_id)

    @app.periodic(cron="* * * * *", periodic_id="jobs")
    @app.task(name=RECOVER_TASK, queue=JOBS_QUEUE, queueing_lock=RECOVER_TASK)
    def recover(timestamp: int) -> None:
        deferred = recover_jobs(factory, run_job, datetime.now(UTC))
        if deferred:
            log.info("jobs: deferred %s again", deferred)

    return app


def defer_job(run_job: Any, job_id: int) -> bool:
    """Defer one run of a job; False when a run of it is already waiting in the queue."""
    try:
        run_job.configure(queueing_lock=f"job-{job_id}").defer(job_id=job_id)
    except AlreadyEnqueued:
        return False
    return True


def recover_jobs(factory: sessionmaker[Session], run_job: Any, now: datetime) -> int:
    """Defer again the jobs that no worker is running: queued a while ago, or stalled."""
    deferred = 0
    for job_id in jobs.runnable_ids(factory, now, queued_before=now - RECOVER_QUEUED_AFTER):
        deferred += defer_job(run_job, job_id)
    return deferred


class JobDispatcher:
    """Hands committed jobs to the queue from a process that does not work it (the web application)."""

    def __init__(self, settings: Settings, factory: sessionmaker[Session]) -> None:
        self._app = make_queue(settings, factory)
        self._open = False
        self._lock = threading.Lock()

    def dispatch(self, job_id: int) -> None:
        """Defer the job's run (the recovery tick defers it later if this fails)."""
        with self._lock:
            if not self._open:
                self._app.open()
                self._open = True
            try:
                defer_job(self._app.tasks[RUN_JOB_TASK], job_id)
            except Exception:
                log.exception("could not queue job %s; the next recovery tick will", job_id)

    def close(self) -> None:
        """Release the queue's connections."""
        with self._lock:
            if self._open:
                self._app.close()
                self._open = False


def enqueue_due(session: Session, send: Any, now: datetime, settings: Settings | None = None) -> int:
    """Defer one send job per due notice that is not queued yet; returns how many were deferred."""
    queued = 0
    for row_id, attempts in notices.due_notices(session, now, settings=settings):
        try:
            send.configure(queueing_lock=f"notice-{row_id}").defer(notice_id=row_id, attempts=attempts)
        except AlreadyEnqueued:
            continue  # another worker queued it this tick
        queued += 1
    return queued


def run(settings: Settings, factory: sessionmaker[Session]) -> None:
    """Work the queue until SIGINT/SIGTERM (several workers on several machines may run at once)."""
    # Two at a time, so a long batch of files does not hold up the reminders.
    make_queue(settings, factory).run_worker(
        queues=[QUEUE, JOBS_QUEUE], concurrency=2, install_signal_handlers=True
    )
