"""Background jobs: state and progress in the database, one runner per job, cancelling, resuming
after a dead runner, the thread runner, the procrastinate queue on PostgreSQL, the page and the API."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.i18n import N_, set_language
from accord.models import Job, JobState, User
from accord.models.base import utcnow
from accord.services import jobs, queue
from accord.services.permissions import SYSTEM, principal_for
from tests.conftest import ADMIN, CQU, WANZHOU, login
from tests.support.accounts import token_for

STEPS = threading.Semaphore(0)


@jobs.handler("test.count", N_("Counting"))
def _count(run: jobs.JobRun) -> dict[str, Any]:
    total = int(run.params["n"])
    with run.factory() as session:
        run.principal(session)
    for n in range(1, total + 1):
        if run.params.get("wait"):
            STEPS.acquire(timeout=10)
        run.progress(n, total, N_("Counted {n} of {total}."), n=n, total=total)
    return {"counted": total, "url": "/agreements"}


@jobs.handler("test.broken", N_("Breaking"))
def _broken(run: jobs.JobRun) -> None:
    if run.params.get("expected"):
        raise jobs.JobFailed(N_("The file {name} could not be read."), name="a.pdf")
    raise RuntimeError("disk on fire")


def _user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def _submit(factory: sessionmaker[Session], kind: str, email: str | None = ADMIN, **params: Any) -> int:
    with factory() as session:
        principal = SYSTEM if email is None else principal_for(session, _user(session, email))
        job = jobs.submit(session, principal, kind, params)
        session.commit()
        return job.id


def _job(factory: sessionmaker[Session], job_id: int) -> Job:
    with factory() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_a_job_runs_to_the_end_with_its_progress_and_result(
    factory: sessionmaker[Session], settings: Settings, world: dict[str, int]
) -> None:
    job_id = _submit(factory, "test.count", n=3)
    queued = _job(factory, job_id)
    assert queued.state == JobState.QUEUED
    set_language("zh_Hans")
    assert jobs.describe(queued) == "等待开始。"
    set_language("en")
    assert jobs.describe(queued) == "Waiting to start."
    assert jobs.run(factory, settings, job_id) == JobState.DONE
    job = _job(factory, job_id)
    assert (job.state, job.done, job.total, job.percent) == (JobState.DONE, 3, 3, 100)
    assert job.result == {"counted": 3, "url": "/agreements"}
    assert job.started_at is not None and job.finished_at is not None and job.attempts == 1
    assert jobs.describe(job) == "Counted 3 of 3."
    assert jobs.kind_label(job.kind) == "Counting"
    # Finished jobs are not taken again.
    assert jobs.run(factory, settings, job_id) is None


def test_failures_are_recorded_in_the_readers_language(
    factory: sessionmaker[Session], settings: Settings, world: dict[str, int]
) -> None:
    expected = _submit(factory, "test.broken", expected=True)
    unexpected = _submit(factory, "test.broken")
    unknown = _submit(factory, "test.nobody-handles-this")
    assert jobs.run(factory, settings, expected) == JobState.FAILED
    assert jobs.run(factory, settings, unexpected) == JobState.FAILED
    assert jobs.run(factory, settings, unknown) == JobState.FAILED
    assert jobs.error_text(_job(factory, expected)) == "The file a.pdf could not be read."
    assert "RuntimeError: disk on fire" in (jobs.error_text(_job(factory, unexpected)) or "")
    assert "test.nobody-handles-this" in (jobs.error_text(_job(factory, unknown)) or "")


def test_only_one_runner_takes_a_job(
    factory: sessionmaker[Session], settings: Settings, world: dict[str, int]
) -> None:
    job_id = _submit(factory, "test.count", n=1)
    assert jobs.claim(factory, job_id)
    assert not jobs.claim(factory, job_id)
    assert jobs.runnable_ids(factory) == []


def test_a_job_whose_runner_died_is_taken_again_and_stopped_after_too_many_deaths(
    factory: sessionmaker[Session], settings: Settings, world: dict[str, int]
) -> None:
    job_id = _submit(factory, "test.count", n=2)
    assert jobs.claim(factory, job_id)  # a runner takes it … and dies: the heartbeat stops
    later = utcnow() + jobs.STALE_AFTER + timedelta(seconds=1)
    assert jobs.runnable_ids(factory, later) == [job_id]
    assert jobs.claim(factory, job_id, later)
    assert jobs.run_claimed(factory, settings, job_id) == JobState.DONE
    assert _job(factory, job_id).attempts == 2

    dying = _submit(factory, "test.count", n=2)
    with factory() as session:
        session.execute(update(Job).where(Job.id == dying).values(attempts=jobs.MAX_ATTEMPTS))
        session.commit()
    assert jobs.run(factory, settings, dying) == JobState.FAILED
    assert (
        jobs.error_text(_job(factory, dying))
        == f"The job was interrupted {jobs.MAX_ATTEMPTS} times and was stopped."
    )


def test_cancelling_stops_a_queued_job_at_once_and_a_running_one_at_its_next_step(
    factory: sessionmaker[Session], settings: Settings, world: dict[str, int]
) -> None:
    queued = _submit(factory, "test.count", n=2)
    with factory() as session:
        jobs.request_cancel(session, principal_for(session, _user(session, ADMIN)), queued)
        session.commit()
    assert _job(factory, queued).state == JobState.CANCELLED
    assert jobs.run(factory, settings, queued) is None

    global STEPS
    STEPS = threading.Semaphore(0)  # no permits left over from another run of this test
    running = _submit(factory, "test.count", n=5, wait=True)
    outcome: list[JobState | None] = []
    worker = threading.Thread(target=lambda: outcome.append(jobs.run(factory, settings, running)))
    worker.start()
    STEPS.release()  # let it count one, then cancel and let it go on
    while _job(factory, running).done < 1:
        time.sleep(0.01)
    with factory() as session:
        jobs.request_cancel(session, SYSTEM, running)
        session.commit()
    for _ in range(4):
        STEPS.release()
    worker.join(10)
    assert outcome == [JobState.CANCELLED]
    job = _job(factory, running)
    assert job.state == JobState.CANCELLED and job.done < 5


def test_jobs_are_seen_by_who_started_them_coordinators_of_their_organisation_and_admins(
    factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        cqu = principal_for(session, _user(session, CQU))
        job = jobs.submit(session, cqu, "test.count", {"n": 1}, organisation_id=world["cqu"])
        session.commit()
        wanzhou = principal_for(session, _user(session, WANZHOU))
        admin = principal_for(session, _user(session, ADMIN))
        assert jobs.can_see(cqu, job) and jobs.can_see(admin, job)
        assert not jobs.can_see(wanzhou, job)
        assert [j.id for j in jobs.recent_jobs(session, cqu)] == [job.id]
        assert jobs.recent_jobs(session, wanzhou) == []


def test_the_thread_runner_runs_dispatched_jobs_and_those_left_from_before_a_restart(
    factory: sessionmaker[Session], settings: Settings, world: dict[str, int]
) -> None:
    left_over = _submit(factory, "test.count", n=2)  # queued while no runner was up
    runner = jobs.ThreadRunner(factory, settings, poll=0.2)
    runner.start()
    try:
        fresh = _submit(factory, "test.count", n=3)
        runner.dispatch(fresh)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (
            _job(factory, left_over).state == _job(factory, fresh).state == JobState.DONE
        ):
            time.sleep(0.05)
    finally:
        runner.close()
    assert _job(factory, left_over).state == JobState.DONE
    assert _job(factory, fresh).state == JobState.DONE


@pytest.mark.postgres
def test_on_postgresql_the_queue_runs_jobs_and_recovers_lost_ones(
    factory: sessionmaker[Session], settings: Settings, world: dict[str, int]
) -> None:
    if not queue.uses_queue(settings.resolved_database_url):
        pytest.skip("the job queue runs on PostgreSQL")
    with factory() as session:
        session.execute(text("DELETE FROM procrastinate_jobs"))
        session.commit()
    dispatched = _submit(factory, "test.count", n=2)
    lost = _submit(factory, "test.count", n=1)  # its defer never happened
    dispatcher = queue.JobDispatcher(settings, factory)
    try:
        dispatcher.dispatch(dispatched)
        dispatcher.dispatch(dispatched)  # a second defer while one waits adds nothing
    finally:
        dispatcher.close()
    app = queue.make_queue(settings, factory)
    with app.open():
        later = utcnow() + queue.RECOVER_QUEUED_AFTER + timedelta(seconds=1)
        assert queue.recover_jobs(factory, app.tasks[queue.RUN_JOB_TASK], later) == 1
    with factory() as session:
        waiting = session.scalar(text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo'"))
    assert waiting == 2
    app.run_worker(queues=[queue.JOBS_QUEUE], wait=False, install_signal_handlers=False)
    assert _job(factory, dispatched).state == JobState.DONE
    assert _job(factory, lost).state == JobState.DONE


@pytest.fixture
def runner_stopped(client: TestClient) -> None:
    """The application's runner thread stopped, for tests that hold a job in a state and run it
    themselves: the runner takes queued jobs when it starts and at every poll, and would race them."""
    dispatcher = client.app.state.jobs  # type: ignore[attr-defined]
    if isinstance(dispatcher, jobs.ThreadRunner):
        dispatcher.close()


@pytest.mark.usefixtures("runner_stopped")
def test_the_page_refreshes_while_the_job_runs_and_offers_the_result_when_done(
    client: TestClient, factory: sessionmaker[Session], settings: Settings, world: dict[str, int]
) -> None:
    job_id = _submit(factory, "test.count", CQU, n=2)
    with factory() as session:  # hold it as running so the page sees it active
        session.execute(update(Job).where(Job.id == job_id).values(state=JobState.RUNNING, done=1, total=2))
        session.commit()
    login(client, CQU)
    page = client.get(f"/jobs/{job_id}")
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="2">' in page.text
    assert 'value="1" max="2"' in page.text and "Cancel the job" in page.text
    status = client.get(f"/jobs/{job_id}/status").json()
    assert (status["state"], status["done"], status["total"], status["percent"]) == ("running", 1, 2, 50)
    with factory() as session:
        session.execute(update(Job).where(Job.id == job_id).values(state=JobState.QUEUED))
        session.commit()
    assert jobs.run(factory, settings, job_id) == JobState.DONE
    page = client.get(f"/jobs/{job_id}")
    assert "http-equiv" not in page.text and 'href="/agreements" role="button"' in page.text
    assert "Counted 2 of 2." in client.get("/jobs").text

    client.cookies.clear()
    login(client, WANZHOU)
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert client.get(f"/jobs/{job_id}/status").status_code == 404


@pytest.mark.usefixtures("runner_stopped")
def test_a_job_is_cancelled_from_its_page_and_through_the_api(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    from tests.conftest import csrf_of

    first = _submit(factory, "test.count", CQU, n=2)
    second = _submit(factory, "test.count", CQU, n=2)
    login(client, CQU)
    token = csrf_of(client, f"/jobs/{first}")
    response = client.post(f"/jobs/{first}/cancel", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert _job(factory, first).state == JobState.CANCELLED

    headers = token_for(factory, CQU)
    got = client.get(f"/api/v1/jobs/{second}", headers=headers)
    assert got.status_code == 200 and got.json()["state"] in ("queued", "running", "done")
    cancelled = client.post(f"/api/v1/jobs/{first}/cancel", headers=headers)
    assert cancelled.status_code == 400  # already ended
    assert client.get(f"/api/v1/jobs/{second}", headers=token_for(factory, WANZHOU)).status_code == 404
