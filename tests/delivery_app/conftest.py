"""Fixtures of the delivery tests: personas as principals, an accepted commitment, task factories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from accord.models import (
    Agreement,
    AgreementText,
    AuditEntry,
    Clause,
    Commitment,
    Organisation,
    Review,
    Task,
    User,
)
from accord.schemas.tasks import TaskIn
from accord.services import tasks
from accord.services.permissions import SYSTEM, Principal, principal_for

TODAY = date(2024, 6, 1)


def principal(session: Session, email: str) -> Principal:
    """The principal of a demo persona."""
    user = session.scalars(select(User).where(User.email == email)).one()
    return principal_for(session, user)


def org_id(session: Session, name_en: str) -> int:
    """The id of a demo organisation by its English name."""
    return session.scalars(select(Organisation.id).where(Organisation.name_en == name_en)).one()


def design_agreement_id(session: Session) -> int:
    """The cooperative operation agreement, to which neither CQU nor Wanzhou is a party."""
    return session.scalars(select(Agreement.id).where(Agreement.kind == "cooperative_operation")).one()


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
        text = AgreementText(
            agreement_id=world["strategic_agreement"],
            version_no=99,
            body="第五条 双方每年召开一次联席会议。",
            lang="zh",
            source_format="txt",
        )
        clause = Clause(position=0, number="第五条", level=1, path="5", start=0, end=17, fingerprint="x" * 64)
        text.clauses.append(clause)
        session.add(text)
        session.flush()
        commitment = Commitment(
            agreement_id=world["strategic_agreement"],
            clause_id=clause.id,
            organisation_id=org_id(session, "People's Government of Wanzhou District"),
            action="双方每年召开一次联席会议",
            recurrence="annual",
            review=Review.ACCEPTED,
        )
        session.add(commitment)
        session.commit()
        return commitment.id


MakeTask = Callable[..., Task]


@pytest.fixture
def make_task(session: Session, world: dict[str, int]) -> MakeTask:
    """Create (and commit) a task on the strategic agreement owned by Wanzhou unless told otherwise."""

    def make(**fields: Any) -> Task:
        values: dict[str, Any] = {
            "title": "建设联合实验室",
            "agreement_id": world["strategic_agreement"],
            "owner_organisation_id": org_id(session, "People's Government of Wanzhou District"),
            "start_on": date(2024, 1, 1),
            "due_on": date(2024, 12, 31),
        }
        values.update(fields)
        task = tasks.create_task(
            session,
            fields.pop("principal", SYSTEM),
            TaskIn(**{k: v for k, v in values.items() if k != "principal"}),
        )
        session.commit()
        return task

    return make
