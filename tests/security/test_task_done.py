"""One rule decides who marks a task done, for the page, the API and the bulk action (issue 15,
item 13): coordinators of the agreement; the owner's members report progress only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.models import Task
from tests.reliability import authz_world
from tests.reliability.test_authorization_matrix import Matrix, act_as


@pytest.fixture
def both(world: dict[str, int], factory: sessionmaker[Session], settings: Settings) -> Iterator[Matrix]:
    with factory() as session:
        built = authz_world.build(session, settings.files_dir)
        session.commit()
    yield Matrix(built, "", lambda: 0)


def _done(factory: sessionmaker[Session], task_id: int) -> bool:
    with factory() as session:
        task = session.get(Task, task_id)
        assert task is not None
        return task.done


def test_a_member_reports_progress_but_cannot_mark_the_task_done(
    client: TestClient, both: Matrix, factory: sessionmaker[Session]
) -> None:
    task = both.world.a.task
    csrf = act_as(client, both, "member")
    api = client.post(f"/api/v1/tasks/{task}/updates", json={"note": "aurora finished", "done": True})
    assert api.status_code == 403 and not _done(factory, task)
    page = client.get(f"/tasks/{task}")
    assert 'name="done"' not in page.text  # the form does not offer it
    form = client.post(
        f"/tasks/{task}/updates", data={"note": "aurora finished", "done": "1", "csrf_token": csrf}
    )
    assert form.status_code == 403 and not _done(factory, task)
    bulk = client.post("/api/v1/tasks/bulk", json={"action": "done", "task_ids": [task]})
    assert bulk.status_code == 403 and not _done(factory, task)
    progress = client.post(f"/api/v1/tasks/{task}/updates", json={"note": "aurora halfway", "percent": "50"})
    assert progress.status_code == 201


def test_a_coordinator_marks_it_done_through_the_api(
    client: TestClient, both: Matrix, factory: sessionmaker[Session]
) -> None:
    task = both.world.a.task
    act_as(client, both, "coordinator")
    assert 'name="done"' in client.get(f"/tasks/{task}").text
    api = client.post(f"/api/v1/tasks/{task}/updates", json={"note": "aurora finished", "done": True})
    assert api.status_code == 201 and _done(factory, task)
