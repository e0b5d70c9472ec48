"""Background jobs: long work (a batch of files, an OCR run) with its state and progress in the database.

A job is a row of ``job`` (kind, who started it, state, progress, message) plus a handler registered
for its kind with :func:`handler`. ``submit`` adds the row in the caller's transaction; after the
commit, a dispatcher hands it to a runner:

- on PostgreSQL, the procrastinate queue that ``accord worker`` works (``services.queue``);
- on SQLite (or with ``ACCORD_JOB_RUNNER=thread``), a :class:`ThreadRunner` in the web process.

A runner takes a job with a compare-and-set on its row (:func:`claim`), so a job dispatched twice
runs once. While the handler runs, a heartbeat keeps ``heartbeat_at`` fresh; a running job whose
heartbeat stopped (its process died) is taken again by the next runner, up to ``MAX_ATTEMPTS``
times. Handlers must therefore be resumable: they record what they finished and skip it when run
again. Cancelling sets a flag the handler sees at its next :meth:`JobRun.progress`.

Messages are stored as English source texts with their arguments and translated when shown, so a
job started in Chinese reads in English to an English-speaking colleague.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.i18n import N_, reset_language, set_language
from accord.i18n import gettext as _
from accord.models import Job, JobState, Role, User
from accord.models.base import utcnow
from accord.services import audit, records
from accord.services.errors import NotFound, ServiceError
from accord.services.permissions import SYSTEM, Principal, principal_for, require_signed_in

log = logging.getLogger(__name__)

#: Seconds between heartbeats of a running job.
HEARTBEAT_SECONDS = 15.0
#: A running job whose heartbeat is older than this is taken to have lost its runner.
STALE_AFTER = timedelta(seconds=90)
#: A job whose runner died this many times is stopped rather than taken again.
MAX_ATTEMPTS = 3
#: Modules that register job handlers; imported before a job runs.
HANDLER_MODULES: tuple[str, ...] = (
    "accord.services.intake_jobs",
    "accord.services.onboarding",
    "accord.services.onboarding_confirm",
)

Handler = Callable[["JobRun"], dict[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}
_LABELS: dict[str, str] = {}


def handler(kind: str, label: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of ``kind`` (it gets a :class:`JobRun`, returns the result);
    ``label`` names the kind for people (an English source text, marked with ``N_``)."""

    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        _LABELS[kind] = label
        return function

    return register


def _load_handlers(kind: str) -> None:
    if kind not in _HANDLERS:
        for module in HANDLER_MODULES:
            importlib.import_module(module)


def _handler_for(kind: str) -> Handler | None:
    _load_handlers(kind)
    return _HANDLERS.get(kind)


def kind_label(kind: str) -> str:
    """What jobs of ``kind`` do, in the reader's language."""
    _load_handlers(kind)
    return _(_LABELS[kind]) if kind in _LABELS else kind


class JobCancelled(Exception):
    """Raised inside a handler when the user cancelled the job."""


class JobFailed(Exception):
    """A handler's expected failure: ``message`` is an English source text filled from ``args``."""

    def __init__(self, message: str, **args: Any) -> None:
        super().__init__(message.format(**args) if args else message)
        self.message = message
        self.args_ = args


# Submitting, reading, cancelling -----------------------------------------------------------------


def submit(
    session: Session,
    principal: Principal,
    kind: str,
    params: dict[str, Any] | None = None,
    *,
    organisation_id: int | None = None,
    total: int | None = None,
    message: str | None = None,
    args: dict[str, Any] | None = None,
) -> Job:
    """Add a queued job (in the caller's transaction); dispatch it once that is committed."""
    job = Job(
        kind=kind,
        state=JobState.QUEUED,
        user_id=principal.user_id,
        organisation_id=organisation_id,
        params=dict(params or {}),
        result={},
        total=total,
        message=message or N_("Waiting to start."),
        args=_jsonable(args or {}),
    )
    session.add(job)
    session.flush()
    return job


def can_see(principal: Principal, job: Job) -> bool:
    """Whoever started the job, coordinators of its organisation, and admins."""
    if principal.is_admin:
        return True
    if principal.user_id is not None and job.user_id == principal.user_id:
        return True
    return job.organisation_id is not None and principal.has_role(job.organisation_id, Role.COORDINATOR)


def get_job(session: Session, principal: Principal, job_id: int) -> Job:
    """One job the principal may see (others look absent)."""
    require_signed_in(principal)
    job = records.find(session, Job, job_id)  # bounded: a huge id is simply not found
    if job is None or not can_see(principal, job):
        raise NotFound(_("No such record."))
    return job


def recent_jobs(session: Session, principal: Principal, limit: int = 50) -> list[Job]:
    """The principal's own jobs (all of them for admins), newest first."""
    require_signed_in(principal)
    stmt = select(Job).order_by(Job.id.desc()).limit(limit)
    if not principal.is_admin:
        stmt = stmt.where(Job.user_id == principal.user_id)
    return list(session.scalars(stmt))


def request_cancel(session: Session, principal: Principal, job_id: int) -> Job:
    """Ask a job to stop: a queued job is cancelled at once, a running one at its next step."""
    job = get_job(session, principal, job_id)
    if not job.active:
        raise ServiceError(_("This job has already ended."))
    now = utcnow()
    job.cancel_requested = True
    audit.record(session, principal, "cancel", job)
    if job.state == JobState.QUEUED:
        job.state = JobState.CANCELLED
        job.finished_at = now
        job.message = N_("Cancelled before it started.")
        job.args = {}
    session.flush()
    return job


def describe(job: Job) -> str:
    """The job's current message in the reader's language."""
    return _fill(job.message, job.args)


def error_text(job: Job) -> str | None:
    """The job's error in the reader's language."""
    return _fill(job.error, job.args) if job.error else None


def status(job: Job) -> dict[str, Any]:
    """The job as JSON for pages and the API."""
    return {
        "id": job.id,
        "kind": job.kind,
        "kind_label": kind_label(job.kind),
        "state": job.state.value,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": describe(job),
        "error": error_text(job),
        "cancel_requested": job.cancel_requested,
        "result": job.result,
        "created_at": job.created_at.isoformat(),
        "updated_at": job.updated_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def _fill(message: str | None, args: dict[str, Any]) -> str:
    if not message:
        return ""
    try:
        return _(message, **args) if args else _(message)
    except (KeyError, IndexError, ValueError):
        return _(message)


def _jsonable(args: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value if isinstance(value, int | float | bool) else str(value) for key, value in args.items()
    }


# Running -----------------------------------------------------------------------------------------


@dataclass
class JobRun:
    """What a handler gets: the job's parameters, a session factory and a way to report progress."""

    job_id: int
    kind: str
    params: dict[str, Any]
    user_id: int | None
    organisation_id: int | None
    factory: sessionmaker[Session]
    settings: Settings
    attempt: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def principal(self, session: Session) -> Principal:
        """The principal the job acts as: the user who started it (the system when none did)."""
        if self.user_id is None:
            return SYSTEM
        user = session.get(User, self.user_id)
        if user is None or not user.is_active:
            raise JobFailed(N_("The account that started this job no longer exists or is disabled."))
        return principal_for(session, user)

    def progress(
        self, done: int, total: int | None = None, message: str | None = None, /, **args: Any
    ) -> None:
        """Record progress (``message`` is an English source text filled from ``args``) and stop here if
        the user cancelled the job."""
        values: dict[str, Any] = {"done": done, "heartbeat_at": utcnow(), "updated_at": utcnow()}
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = message
            values["args"] = _jsonable(args)
        with self._lock, self.factory() as session:
            session.execute(update(Job).where(Job.id == self.job_id).values(**values))
            cancel = session.scalar(select(Job.cancel_requested).where(Job.id == self.job_id))
            session.commit()
        if cancel:
            raise JobCancelled()

    def cancelled(self) -> bool:
        """Whether the user asked the job to stop."""
        with self.factory() as session:
            return bool(session.scalar(select(Job.cancel_requested).where(Job.id == self.job_id)))

    def heartbeat(self) -> None:
        """Tell other runners this job's runner is alive."""
        with self._lock, self.factory() as session:
            session.execute(
                update(Job)
                .where(Job.id == self.job_id, Job.state == JobState.RUNNING)
                .values(heartbeat_at=utcnow())
            )
            session.commit()


def _runnable_condition(now: datetime, queued_before: datetime | None = None) -> Any:
    queued = Job.state == JobState.QUEUED
    if queued_before is not None:
        queued = queued & (Job.created_at < queued_before)
    stalled = (Job.state == JobState.RUNNING) & or_(
        Job.heartbeat_at.is_(None), Job.heartbeat_at < now - STALE_AFTER
    )
    return or_(queued, stalled)


def runnable_ids(
    factory: sessionmaker[Session],
    now: datetime | None = None,
    *,
    queued_before: datetime | None = None,
    limit: int = 20,
) -> list[int]:
    """Queued jobs (created before ``queued_before`` if given), and running jobs whose runner stopped
    beating, oldest first."""
    now = now or utcnow()
    with factory() as session:
        stmt = select(Job.id).where(_runnable_condition(now, queued_before)).order_by(Job.id).limit(limit)
        return list(session.scalars(stmt))


def claim(factory: sessionmaker[Session], job_id: int, now: datetime | None = None) -> bool:
    """Take the job for this runner (compare-and-set); False when it is taken, finished or cancelled."""
    now = now or utcnow()
    with factory() as session:
        result = session.execute(
            update(Job)
            .where(Job.id == job_id, _runnable_condition(now))
            .values(state=JobState.RUNNING, attempts=Job.attempts + 1, heartbeat_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        return bool(getattr(result, "rowcount", 0) == 1)


def run(factory: sessionmaker[Session], settings: Settings, job_id: int) -> JobState | None:
    """Claim the job and run it to the end; None when another runner has it. Never raises."""
    if not claim(factory, job_id):
        return None
    return run_claimed(factory, settings, job_id)


def run_claimed(factory: sessionmaker[Session], settings: Settings, job_id: int) -> JobState:
    """Run a job this runner has claimed, with a heartbeat, and record how it ended."""
    with factory() as session:
        job = session.get(Job, job_id)
        user = session.get(User, job.user_id) if job is not None and job.user_id is not None else None
        language = (user.language if user is not None else None) or settings.default_language
    # Messages the job writes (errors of the services it calls) are in the language of its user.
    token = set_language(language)
    try:
        return _run_claimed(factory, settings, job_id)
    finally:
        reset_language(token)


def _run_claimed(factory: sessionmaker[Session], settings: Settings, job_id: int) -> JobState:
    with factory() as session:
        job = session.get(Job, job_id)
        assert job is not None
        if job.started_at is None:
            job.started_at = utcnow()
        session.commit()
        work = JobRun(
            job_id=job.id,
            kind=job.kind,
            params=dict(job.params),
            user_id=job.user_id,
            organisation_id=job.organisation_id,
            factory=factory,
            settings=settings,
            attempt=job.attempts,
        )
    if job.cancel_requested:
        return _finish(factory, job_id, JobState.CANCELLED, message=N_("Cancelled."))
    if work.attempt > MAX_ATTEMPTS:
        return _finish(
            factory,
            job_id,
            JobState.FAILED,
            error=N_("The job was interrupted {n} times and was stopped."),
            args={"n": work.attempt - 1},
        )
    function = _handler_for(work.kind)
    if function is None:
        return _finish(
            factory,
            job_id,
            JobState.FAILED,
            error=N_("No handler is registered for jobs of kind {kind}."),
            args={"kind": work.kind},
        )
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(work, stop), name=f"job-{job_id}-heartbeat", daemon=True)
    beat.start()
    try:
        result = function(work) or {}
    except JobCancelled:
        return _finish(factory, job_id, JobState.CANCELLED, message=N_("Cancelled."))
    except JobFailed as failure:
        return _finish(factory, job_id, JobState.FAILED, error=failure.message, args=failure.args_)
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, work.kind)
        return _finish(
            factory,
            job_id,
            JobState.FAILED,
            error=N_("The job stopped on an unexpected error: {detail}"),
            args={"detail": f"{type(exc).__name__}: {exc}"[:500]},
        )
    finally:
        stop.set()
        beat.join(timeout=5)
    return _finish(factory, job_id, JobState.DONE, result=result)


def _beat(work: JobRun, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            work.heartbeat()
        except Exception:  # a missed beat is retried; the job itself reports real failures
            log.warning("heartbeat of job %s failed", work.job_id, exc_info=True)


def _finish(
    factory: sessionmaker[Session],
    job_id: int,
    state: JobState,
    *,
    message: str | None = None,
    error: str | None = None,
    args: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
) -> JobState:
    with factory() as session:
        job = session.get(Job, job_id)
        assert job is not None
        job.state = state
        job.finished_at = utcnow()
        job.heartbeat_at = None
        if message is not None:
            job.message = message
            job.args = _jsonable(args or {})
        if error is not None:
            job.error = error
            job.args = _jsonable(args or {})
        if result is not None:
            job.result = result
        if state == JobState.DONE and job.total is not None:
            job.done = max(job.done, job.total)
        session.commit()
    return state


# Dispatching -------------------------------------------------------------------------------------


class Dispatcher(Protocol):
    """Hands committed jobs to a runner."""

    def dispatch(self, job_id: int) -> None: ...

    def close(self) -> None: ...


class ThreadRunner:
    """Runs jobs in threads of this process (SQLite, or ACCORD_JOB_RUNNER=thread).

    One watcher thread takes runnable jobs (new ones as soon as they are dispatched, and every
    ``poll`` seconds jobs left queued or stalled by a process that stopped) and runs up to
    ``parallel`` of them at once.
    """

    def __init__(
        self, factory: sessionmaker[Session], settings: Settings, *, parallel: int = 2, poll: float = 30.0
    ) -> None:
        self.factory = factory
        self.settings = settings
        self.parallel = parallel
        self.poll = poll
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._running: dict[int, threading.Thread] = {}
        self._watcher: threading.Thread | None = None

    def start(self) -> None:
        """Start watching for jobs (picks up any left over from before a restart)."""
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, name="job-runner", daemon=True)
            self._watcher.start()
            self._wake.set()

    def dispatch(self, job_id: int) -> None:
        """Wake the watcher for a job just committed."""
        self._wake.set()

    def close(self) -> None:
        """Stop taking jobs and wait briefly for running ones (they resume after a restart if cut off)."""
        self._stop.set()
        self._wake.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
        for thread in list(self._running.values()):
            thread.join(timeout=5)

    def idle(self) -> bool:
        """Whether no job is running in this process."""
        return not any(thread.is_alive() for thread in self._running.values())

    def _watch(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.poll)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self._take()
            except Exception:
                log.exception("the job runner could not read the job table")

    def _take(self) -> None:
        self._running = {k: t for k, t in self._running.items() if t.is_alive()}
        for job_id in runnable_ids(self.factory):
            if len(self._running) >= self.parallel:
                return
            if job_id in self._running or not claim(self.factory, job_id):
                continue
            thread = threading.Thread(target=self._run, args=(job_id,), name=f"job-{job_id}", daemon=True)
            self._running[job_id] = thread
            thread.start()

    def _run(self, job_id: int) -> None:
        try:
            run_claimed(self.factory, self.settings, job_id)
        finally:
            self._wake.set()  # a slot is free: look for the next job


def uses_thread_runner(settings: Settings) -> bool:
    """Whether jobs run in this process's threads rather than on the procrastinate queue."""
    from accord.services import queue

    if settings.job_runner == "auto":
        return not queue.uses_queue(settings.resolved_database_url)
    return settings.job_runner == "thread"


def make_dispatcher(settings: Settings, factory: sessionmaker[Session]) -> Dispatcher:
    """The dispatcher this configuration uses (a started :class:`ThreadRunner`, or the queue's)."""
    if uses_thread_runner(settings):
        runner = ThreadRunner(factory, settings)
        runner.start()
        return runner
    from accord.services import queue

    return queue.JobDispatcher(settings, factory)
