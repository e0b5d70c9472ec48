"""A commitment's fulfilment as every page, the API and the report show it, and a coordinator's override.

The rules are ``accord.delivery.fulfilment.fulfilment``; this module gathers what they need from the
records (``facts``) and applies them (``states``), and states the same rules as one SQL expression
(``fulfilment_sql``) for lists and the API; a test compares both on many generated cases.

A coordinator of a party may set the fulfilment instead (a commitment waived by both parties, work
delivered outside Accord), always with a reason; the change is in the audit trail and the pages show
the reason beside the state. Clearing the override returns to the computed state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, String, case, exists, func, literal, or_, select, type_coerce
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.expression import ColumnElement

from accord.delivery import Fulfilment, FulfilmentTask, Period, fulfilment, fulfilment_rate
from accord.i18n import gettext
from accord.labels import COMMITMENT_STATE_LABELS
from accord.models import Commitment, Occurrence, ProgressUpdate, Review, Task
from accord.services import audit, records
from accord.services.errors import FieldError, NotFound, ValidationFailed
from accord.services.permissions import Principal, can_edit_agreement, can_read_agreement, require

__all__ = [
    "FULFILMENT_LABELS",
    "CommitmentFulfilment",
    "Tally",
    "describe",
    "facts",
    "fulfilment_label",
    "fulfilment_sql",
    "set_override",
    "state_of",
    "states",
    "tally",
]

FULFILMENT_LABELS: dict[Fulfilment, str] = COMMITMENT_STATE_LABELS


def fulfilment_label(state: Fulfilment | str) -> str:
    """The translated name of a fulfilment state."""
    return gettext(FULFILMENT_LABELS[Fulfilment(state)])


def _counted() -> list[ColumnElement[bool]]:
    """Tasks that deliver a commitment: not archived, and not a series (its occurrences are tracked)."""
    return [Task.archived_at.is_(None), Task.recurrence_rule.is_(None)]


def facts(session: Session, commitment_ids: Iterable[int]) -> dict[int, list[FulfilmentTask]]:
    """What the rules need of each commitment's tasks, in one query (every id present)."""
    ids = sorted(set(commitment_ids))
    found: dict[int, list[FulfilmentTask]] = {i: [] for i in ids}
    if not ids:
        return found
    first_report = (
        select(func.min(ProgressUpdate.reported_on))
        .where(ProgressUpdate.task_id == Task.id)
        .correlate(Task)
        .scalar_subquery()
    )
    occurrence = exists().where(Occurrence.task_id == Task.id).correlate(Task)
    rows = session.execute(
        select(
            Task.commitment_id,
            Task.due_on,
            Task.done,
            Task.done_on,
            Task.cancelled,
            first_report,
            occurrence,
        )
        .where(Task.commitment_id.in_(ids), *_counted())
        .order_by(Task.commitment_id, Task.due_on, Task.id)
    )
    for commitment_id, due_on, done, done_on, cancelled, reported, is_occurrence in rows:
        found[commitment_id or 0].append(
            FulfilmentTask(
                due=due_on,
                done=bool(done),
                done_on=done_on,
                cancelled=bool(cancelled),
                first_report=reported,
                occurrence=bool(is_occurrence),
            )
        )
    return found


def state_of(
    commitment: Commitment,
    tasks: Sequence[FulfilmentTask],
    as_of: date,
    period: Period | None = None,
) -> Fulfilment:
    """The fulfilment of ``commitment`` on ``as_of`` from its tasks' facts."""
    return fulfilment(
        tasks,
        as_of=as_of,
        due=commitment.due_on,
        period=period,
        override=commitment.fulfilment_override,
    )


def states(
    session: Session, commitments: Sequence[Commitment], as_of: date, period: Period | None = None
) -> dict[int, Fulfilment]:
    """The fulfilment of each commitment on ``as_of`` (by id)."""
    known = facts(session, (c.id for c in commitments))
    return {c.id: state_of(c, known[c.id], as_of, period) for c in commitments}


def fulfilment_sql(as_of: date, period: Period | None = None) -> ColumnElement[str]:
    """``fulfilment`` as one SQL expression over ``Commitment`` (correlated subqueries on its tasks).

    It mirrors the rules of ``accord.delivery.fulfilment`` one by one; a test compares both.
    """
    day = literal(as_of, Date)
    live = [Task.commitment_id == Commitment.id, *_counted(), Task.cancelled.is_(False)]
    counted = list(live)
    if period is not None:
        occurrence = exists().where(Occurrence.task_id == Task.id)
        counted.append(or_(~occurrence, Task.due_on.between(period.start, period.end)))
    done = Task.done.is_(True) & (Task.done_on.is_(None) | (Task.done_on <= day))
    reported = exists().where(ProgressUpdate.task_id == Task.id, ProgressUpdate.reported_on <= day)

    def count(*where: ColumnElement[bool]) -> ColumnElement[int]:
        return select(func.count(Task.id)).where(*where).correlate(Commitment).scalar_subquery()

    n_counted = count(*counted)
    n_done = count(*counted, done)

    def value(state: Fulfilment) -> ColumnElement[str]:
        return literal(state.value, String)

    return case(
        (
            Commitment.fulfilment_override.is_not(None),
            type_coerce(Commitment.fulfilment_override, String),
        ),
        (
            count(*live) == 0,
            case((Commitment.due_on < day, value(Fulfilment.OVERDUE)), else_=value(Fulfilment.NOT_STARTED)),
        ),
        (n_counted == 0, value(Fulfilment.NOT_STARTED)),
        (n_done == n_counted, value(Fulfilment.FULFILLED)),
        (
            count(*counted, ~done, Task.due_on < day) > 0,
            case((n_done > 0, value(Fulfilment.PARTLY_FULFILLED)), else_=value(Fulfilment.OVERDUE)),
        ),
        ((n_done > 0) | (count(*counted, reported) > 0), value(Fulfilment.IN_PROGRESS)),
        else_=value(Fulfilment.NOT_STARTED),
    )


@dataclass(frozen=True)
class Tally:
    """How many commitments are in each state (every state present), and the fulfilment rate."""

    counts: dict[Fulfilment, int]

    @property
    def total(self) -> int:
        """All the commitments counted."""
        return sum(self.counts.values())

    @property
    def rate(self) -> float | None:
        """Fulfilled ÷ (all − waived); None when none is owed."""
        return fulfilment_rate(self.counts)


def tally(states: Iterable[Fulfilment]) -> Tally:
    """Count fulfilment states."""
    found = Counter(states)
    return Tally({s: found.get(s, 0) for s in Fulfilment})


def set_override(
    session: Session,
    principal: Principal,
    commitment_id: int,
    state: Fulfilment | None,
    reason: str | None,
    version: int | None = None,
) -> Commitment:
    """Set (or, with ``state`` None, clear) a coordinator's fulfilment of an accepted commitment."""
    commitment = records.find(session, Commitment, commitment_id)
    if commitment is None or not can_read_agreement(principal, commitment.agreement):
        raise NotFound(gettext("No such record."))
    require(can_edit_agreement(principal, commitment.agreement))
    records.check_version(commitment, version)
    errors: list[FieldError] = []
    if commitment.review != Review.ACCEPTED:
        errors.append(FieldError("state", gettext("Only accepted commitments have a fulfilment.")))
    text = (reason or "").strip()
    if state is not None and not text:
        errors.append(FieldError("reason", gettext("Say why the computed fulfilment is overridden.")))
    if len(text) > 2000:
        errors.append(FieldError("reason", gettext("At most 2000 characters.")))
    if errors:
        raise ValidationFailed(errors[0].message, errors)
    before = audit.snapshot(commitment)
    commitment.fulfilment_override = state
    commitment.fulfilment_reason = text if state is not None else None
    session.flush()
    audit.record(session, principal, "update", commitment, before)
    return commitment


def next_due(commitment: Commitment, tasks: Iterable[Task]) -> date | None:
    """The date a commitment is due next: its own due date, else (a recurring commitment whose text
    names no date) the due date of its earliest open occurrence, else of its last one."""
    if commitment.due_on is not None:
        return commitment.due_on
    tracked = [t for t in tasks if t.recurrence_rule is None and t.archived_at is None]
    dated = sorted(t.due_on for t in tracked)
    open_ = sorted(t.due_on for t in tracked if not t.done and not t.cancelled)
    chosen = open_ or dated[-1:]
    return chosen[0] if chosen else None


@dataclass(frozen=True)
class CommitmentFulfilment:
    """What the commitment page and the API say about one commitment's fulfilment on a date."""

    commitment: Commitment
    as_of: date
    state: Fulfilment  # what every page shows: the override when there is one
    computed: Fulfilment  # what the tasks say
    tasks: list[Task]
    can_override: bool


def describe(session: Session, principal: Principal, commitment_id: int, as_of: date) -> CommitmentFulfilment:
    """One commitment's fulfilment, for a reader of its agreement (others get 404)."""
    commitment = records.find(
        session, Commitment, commitment_id, options=[selectinload(Commitment.organisation)]
    )
    if commitment is None or not can_read_agreement(principal, commitment.agreement):
        raise NotFound(gettext("No such record."))
    known = facts(session, [commitment.id])[commitment.id]
    computed = fulfilment(known, as_of=as_of, due=commitment.due_on)
    tasks = list(
        session.scalars(
            select(Task)
            .options(selectinload(Task.owner_organisation))
            .where(Task.commitment_id == commitment.id, Task.archived_at.is_(None))
            .order_by(Task.due_on, Task.id)
        )
    )
    return CommitmentFulfilment(
        commitment=commitment,
        as_of=as_of,
        state=commitment.fulfilment_override or computed,
        computed=computed,
        tasks=tasks,
        can_override=can_edit_agreement(principal, commitment.agreement),
    )
