"""Fixtures of the delivery tests: the demo without its tasks, an accepted commitment, a task maker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session, sessionmaker

from accord.models import AuditEntry, Task
from accord.services.permissions import SYSTEM, Principal
from tests import factories

TODAY = date(2024, 6, 1)


@pytest.fixture
def world(world: dict[str, int], factory: sessionmaker[Session]) -> dict[str, int]:
    """The demo registry without the demo's tasks, so each test sees only the tasks it made."""
    with factory() as session:
        session.execute(update(Task).values(parent_id=None))
        session.execute(delete(Task))
        session.execute(
            delete(AuditEntry).where(AuditEntry.object_type.in_(("task", "progress_update", "evidence")))
        )
        session.commit()
    return world


@pytest.fixture
def commitment_id(factory: sessionmaker[Session], world: dict[str, int]) -> int:
    """An accepted, annually recurring commitment of Wanzhou in the strategic agreement, with its clause."""
    with factory() as session:
        commitment = factories.accepted_commitment(session, world["strategic_agreement"])
        session.commit()
        return commitment.id


MakeTask = Callable[..., Task]


@pytest.fixture
def make_task(session: Session, world: dict[str, int]) -> MakeTask:
    """Create (and commit) a task on the strategic agreement owned by Wanzhou unless told otherwise."""

    def make(principal: Principal = SYSTEM, **fields: Any) -> Task:
        task = factories.task(session, principal, **({"agreement_id": world["strategic_agreement"]} | fields))
        session.commit()
        return task

    return make
