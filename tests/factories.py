"""Records for tests: the demo's accounts, organisations and agreements looked up by name, principals,
and new tasks and commitments made through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.models import Agreement, AgreementText, Clause, Commitment, Organisation, Review, Task, User
from accord.schemas.tasks import TaskIn
from accord.services import tasks
from accord.services.permissions import SYSTEM, Principal, principal_for

WANZHOU_EN = "People's Government of Wanzhou District"


def user(session: Session, email: str) -> User:
    """A demo account by its e-mail address."""
    return session.scalars(select(User).where(User.email == email)).one()


def principal(session: Session, email: str) -> Principal:
    """The principal of a demo persona."""
    return principal_for(session, user(session, email))


def organisation(session: Session, name_en: str) -> Organisation:
    """A demo organisation by its English name."""
    return session.scalars(select(Organisation).where(Organisation.name_en == name_en)).one()


def org_id(session: Session, name_en: str) -> int:
    """The id of a demo organisation by its English name."""
    return session.scalars(select(Organisation.id).where(Organisation.name_en == name_en)).one()


def design_agreement_id(session: Session) -> int:
    """The cooperative operation agreement, to which neither CQU nor Wanzhou is a party."""
    return session.scalars(select(Agreement.id).where(Agreement.kind == "cooperative_operation")).one()


def accepted_commitment(session: Session, agreement_id: int) -> Commitment:
    """An accepted, annually recurring commitment of Wanzhou in ``agreement_id``, with its clause."""
    text = AgreementText(
        agreement_id=agreement_id,
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
        agreement_id=agreement_id,
        clause_id=clause.id,
        organisation_id=org_id(session, WANZHOU_EN),
        action="双方每年召开一次联席会议",
        recurrence="annual",
        review=Review.ACCEPTED,
    )
    session.add(commitment)
    session.flush()
    return commitment


def task(session: Session, principal: Principal = SYSTEM, **fields: Any) -> Task:
    """A task on ``fields["agreement_id"]`` owned by Wanzhou for 2024 unless ``fields`` say otherwise,
    made by the service (with its checks) as ``principal``."""
    values: dict[str, Any] = {
        "title": "建设联合实验室",
        "owner_organisation_id": org_id(session, WANZHOU_EN),
        "start_on": date(2024, 1, 1),
        "due_on": date(2024, 12, 31),
    }
    return tasks.create_task(session, principal, TaskIn(**(values | fields)))
