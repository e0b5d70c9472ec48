"""A commitment's fulfilment: the SQL expression says what the Python rules say, on many generated
cases, and a coordinator's override is kept with its reason in the audit trail."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.delivery import Fulfilment, Period
from accord.models import AuditEntry, Commitment, Occurrence, ProgressUpdate, Review, Task, TaskKind
from accord.services import fulfilment
from accord.services.errors import PermissionDenied, ValidationFailed
from accord.services.permissions import SYSTEM
from tests.conftest import VIEWER, WANZHOU
from tests.factories import principal

BASE = date(2021, 1, 1)


def _day(rng: random.Random) -> date:
    return BASE + timedelta(days=rng.randint(0, 1100))


def _generate(session: Session, agreement_id: int, owner_id: int, count: int, seed: int) -> list[Commitment]:
    rng = random.Random(seed)
    made = []
    for index in range(count):
        commitment = Commitment(
            agreement_id=agreement_id,
            action=f"承诺 {index}",
            review=Review.ACCEPTED,
            due_on=_day(rng) if rng.random() < 0.7 else None,
            fulfilment_override=rng.choice([Fulfilment.WAIVED, Fulfilment.FULFILLED])
            if rng.random() < 0.08
            else None,
        )
        session.add(commitment)
        session.flush()
        series = None
        if rng.random() < 0.3:
            series = Task(
                agreement_id=agreement_id,
                commitment_id=commitment.id,
                title="series",
                owner_organisation_id=owner_id,
                due_on=_day(rng),
                recurrence_rule="FREQ=YEARLY;COUNT=3",
            )
            session.add(series)
            session.flush()
        for sequence in range(rng.choice([0, 1, 1, 2, 3, 4])):
            done = rng.random() < 0.45
            task = Task(
                agreement_id=agreement_id,
                commitment_id=commitment.id,
                parent_id=series.id if series is not None else None,
                kind=TaskKind.MILESTONE if series is not None else TaskKind.TASK,
                title=f"t{index}.{sequence}",
                owner_organisation_id=owner_id,
                due_on=_day(rng),
                done=done,
                done_on=(_day(rng) if rng.random() < 0.9 else None) if done else None,
                cancelled=rng.random() < 0.12,
                archived_at=None,
            )
            session.add(task)
            session.flush()
            if series is not None:
                session.add(
                    Occurrence(
                        series_id=series.id, sequence=sequence + 1, due_on=task.due_on, task_id=task.id
                    )
                )
            for _ in range(rng.choice([0, 0, 1, 2])):
                session.add(
                    ProgressUpdate(task_id=task.id, reported_on=_day(rng), note="x", author_label="t")
                )
        made.append(commitment)
    session.flush()
    return made


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_and_python_agree_on_every_generated_commitment(
    session: Session, world: dict[str, int], seed: int
) -> None:
    agreement_id = world["strategic_agreement"]
    owner = session.scalars(select(Task.owner_organisation_id).limit(1)).first() or _party(
        session, agreement_id
    )
    commitments = _generate(session, agreement_id, owner, 80, seed)
    session.commit()
    ids = [c.id for c in commitments]
    cases = [
        (date(2021, 6, 30), None),
        (date(2022, 12, 31), Period(date(2022, 1, 1), date(2022, 12, 31))),
        (date(2023, 7, 1), None),
        (date(2024, 12, 31), Period(date(2021, 1, 1), date(2024, 12, 31))),
        (date(2022, 3, 1), Period(date(2021, 1, 1), date(2021, 12, 31))),
    ]
    seen: set[Fulfilment] = set()
    for as_of, period in cases:
        expected = fulfilment.states(session, commitments, as_of, period)
        rows = session.execute(
            select(Commitment.id, fulfilment.fulfilment_sql(as_of, period)).where(Commitment.id.in_(ids))
        )
        got = {i: Fulfilment(s) for i, s in rows}
        assert got == expected, (as_of, period)
        seen |= set(expected.values())
    assert seen == set(Fulfilment)  # every rule was exercised


def _party(session: Session, agreement_id: int) -> int:
    from accord.models import AgreementParty

    return (
        session.scalars(
            select(AgreementParty.organisation_id).where(AgreementParty.agreement_id == agreement_id)
        ).first()
        or 0
    )


def test_a_coordinator_overrides_with_a_reason_and_it_is_audited(
    session: Session, world: dict[str, int]
) -> None:
    commitment = session.scalars(
        select(Commitment).where(
            Commitment.agreement_id == world["strategic_agreement"], Commitment.review == Review.ACCEPTED
        )
    ).first()
    assert commitment is not None
    wanzhou = principal(session, WANZHOU)
    with pytest.raises(ValidationFailed) as missing:
        fulfilment.set_override(session, wanzhou, commitment.id, Fulfilment.WAIVED, "  ")
    assert missing.value.errors[0].field == "reason"
    fulfilment.set_override(session, wanzhou, commitment.id, Fulfilment.WAIVED, "双方书面同意取消")
    session.commit()
    assert fulfilment.states(session, [commitment], date(2030, 1, 1))[commitment.id] is Fulfilment.WAIVED
    entry = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == "commitment", AuditEntry.object_id == commitment.id)
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry is not None and entry.after["fulfilment_reason"] == "双方书面同意取消"
    viewer = principal(session, VIEWER)
    with pytest.raises(PermissionDenied):
        fulfilment.set_override(session, viewer, commitment.id, None, None)
    fulfilment.set_override(session, SYSTEM, commitment.id, None, None)
    assert commitment.fulfilment_override is None and commitment.fulfilment_reason is None
