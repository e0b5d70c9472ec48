"""Supervision (督办): the board across agreements, bulk actions, roll-ups, timelines and calendar feeds."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from accord.delivery import (
    Fulfilment,
    Rollup,
    TaskStatus,
    rollup,
    rollup_counts,
)
from accord.i18n import gettext as _
from accord.i18n import localized
from accord.models import (
    Agreement,
    AgreementParty,
    Commitment,
    Membership,
    Organisation,
    Role,
    Task,
    User,
)
from accord.schemas.tasks import BulkIn
from accord.schemas.text import strip_controls
from accord.services import fulfilment as fulfilment_service
from accord.services import records
from accord.services import tasks as task_service
from accord.services.errors import FieldError, NotFound, ValidationFailed
from accord.services.listing import ListQuery, Page, text_filter
from accord.services.permissions import (
    Principal,
    agreement_visibility,
    descendants,
    principal_for,
    require,
    require_signed_in,
)


@dataclass(frozen=True)
class BoardRow:
    """One task on the board with its computed status."""

    task: Task
    status: TaskStatus

    @property
    def id(self) -> int:
        """The task's id (for row links)."""
        return self.task.id


def _board_where(
    session: Session, principal: Principal, query: ListQuery, status: ColumnElement[str], today: date
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        agreement_visibility(principal),
        Agreement.archived_at.is_(None),
        Task.recurrence_rule.is_(None),
    ]
    if not query.include_archived:
        conditions.append(Task.archived_at.is_(None))
    condition = text_filter(query.q, (Task.title,))
    if condition is not None:
        conditions.append(condition)
    filters = query.filters
    if agreement_id := filters.get("agreement_id"):
        conditions.append(Task.agreement_id == agreement_id)
    if organisation_id := filters.get("organisation_id"):
        # IN (not EXISTS) lets the planner start from the party's agreements and their tasks.
        party_agreements = select(AgreementParty.agreement_id).where(
            AgreementParty.organisation_id == organisation_id
        )
        conditions.append(Task.agreement_id.in_(party_agreements))
    if owner_id := filters.get("owner_id"):
        conditions.append(Task.owner_organisation_id.in_(descendants(session, owner_id)))
    if person_id := filters.get("owner_person_id"):
        conditions.append(Task.owner_person_id == person_id)
    if wanted := filters.get("status"):
        conditions.append(status_condition(TaskStatus(wanted), status, today))
    if within := filters.get("due_within"):
        conditions.append(Task.due_on <= today + timedelta(days=int(within)))
    return conditions


def status_condition(wanted: TaskStatus, status: ColumnElement[str], today: date) -> ColumnElement[bool]:
    """Tasks in one status. Done, cancelled and overdue are plain column tests (the first rules of
    ``task_status``) that ``ix_task_open_due`` serves in due-date order; the rest need the CASE."""
    if wanted is TaskStatus.DONE:
        return Task.done.is_(True)
    if wanted is TaskStatus.CANCELLED:
        return and_(Task.done.is_(False), Task.cancelled.is_(True))
    if wanted is TaskStatus.OVERDUE:
        return and_(Task.done.is_(False), Task.cancelled.is_(False), Task.due_on < today)
    return status == wanted.value


def board(
    session: Session,
    principal: Principal,
    query: ListQuery,
    *,
    today: date,
    at_risk_days: int = 14,
    counts: Rollup | None = None,
) -> Page[BoardRow]:
    """Every task the principal may see across agreements: overdue first, then by due date.

    Pass the ``board_counts`` of the same query to spare counting again. The counts say which
    status buckets the page falls in, so only those are read, each in due-date order: the first
    page is usually the oldest overdue tasks, read from an index instead of sorting every task.
    """
    require_signed_in(principal)
    if counts is None:
        counts = board_counts(session, principal, query, today=today, at_risk_days=at_risk_days)
    status = task_service.status_sql(today, at_risk_days)
    conditions = _board_where(session, principal, query, status, today)
    wanted = query.filters.get("status")
    buckets = [TaskStatus(wanted)] if wanted else list(task_service.STATUS_ORDER)
    total = sum(counts.counts[bucket] for bucket in buckets)
    skip, need = query.offset, query.size
    page_ids: list[tuple[int, TaskStatus]] = []
    for bucket in buckets:
        size = counts.counts[bucket]
        if skip >= size:
            skip -= size
            continue
        ids = session.scalars(
            select(Task.id)
            .join(Agreement, Agreement.id == Task.agreement_id)
            .where(*conditions, status_condition(bucket, status, today))
            .order_by(Task.due_on, Task.id)
            .limit(min(need, size - skip))
            .offset(skip)
        ).all()
        page_ids.extend((task_id, bucket) for task_id in ids)
        need -= len(ids)
        skip = 0
        if need <= 0:
            break
    loaded = {
        task.id: task
        for task in session.scalars(
            select(Task)
            .where(Task.id.in_([task_id for task_id, _ in page_ids]))
            .options(
                selectinload(Task.agreement),
                selectinload(Task.owner_organisation),
                selectinload(Task.owner_person),
            )
        )
    }
    rows = [BoardRow(loaded[task_id], bucket) for task_id, bucket in page_ids if task_id in loaded]
    return Page(items=rows, total=total, page=max(query.page, 1), page_size=query.size)


def board_choices(session: Session, principal: Principal, limit: int = 300) -> tuple[list[Any], list[Any]]:
    """(agreements, organisations) for the board's filter lists: the most recent visible agreements
    and the parties to them, at most ``limit`` each so the page stays small at any scale."""
    visible = and_(agreement_visibility(principal), Agreement.archived_at.is_(None))
    agreement_rows = session.execute(
        select(Agreement.id, Agreement.title_zh, Agreement.title_en)
        .where(visible)
        .order_by(Agreement.signed_on.desc(), Agreement.id.desc())
        .limit(limit)
    ).all()
    party = aliased(AgreementParty)  # the visibility test has its own agreement_party; keep them apart
    party_ids = select(party.organisation_id).where(
        party.agreement_id.in_(select(Agreement.id).where(visible))
    )
    organisation_rows = session.execute(
        select(Organisation.id, Organisation.name_zh, Organisation.name_en)
        .where(Organisation.id.in_(party_ids), Organisation.archived_at.is_(None))
        .order_by(Organisation.name_zh, Organisation.id)
        .limit(limit)
    ).all()
    return list(agreement_rows), list(organisation_rows)


def board_counts(
    session: Session, principal: Principal, query: ListQuery, *, today: date, at_risk_days: int = 14
) -> Rollup:
    """The status counts and health of everything the board's filters select (all statuses)."""
    status = task_service.status_sql(today, at_risk_days)
    unfiltered = ListQuery(q=query.q, filters={**query.filters, "status": None})
    counted = session.execute(
        select(status, func.count())
        .select_from(Task)
        .join(Agreement, Agreement.id == Task.agreement_id)
        .where(*_board_where(session, principal, unfiltered, status, today))
        .group_by(status)
    )
    return rollup_counts({TaskStatus(value): count for value, count in counted})


def bulk(session: Session, principal: Principal, data: BulkIn, *, today: date) -> int:
    """Mark done, cancel or move the due date of several tasks; all or nothing."""
    require_signed_in(principal)
    if data.action == "due" and data.due_on is None:
        message = _("Give the new due date.")
        raise ValidationFailed(message, [FieldError("due_on", message)])
    for task_id in data.task_ids:
        task = task_service.get_task(session, principal, task_id)
        require(
            task_service.can_mark_done(principal, task)
            if data.action in {"done", "cancel"}
            else task_service.can_manage_tasks(principal, task.agreement),
            _("You can only change tasks of agreements you coordinate."),
        )
        task_service.set_state(
            session,
            principal,
            task_id,
            done=True if data.action == "done" else None,
            cancelled=True if data.action == "cancel" else None,
            due_on=data.due_on if data.action == "due" else None,
            today=today,
        )
    return len(data.task_ids)


# --- roll-ups ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyRollup:
    """One party's share of an agreement's tasks."""

    party: AgreementParty
    rollup: Rollup


@dataclass(frozen=True)
class CommitmentRow:
    """An accepted commitment with its tasks and its fulfilment."""

    commitment: Commitment
    tasks: list[Task]
    state: Fulfilment


@dataclass(frozen=True)
class AgreementDelivery:
    """Everything the agreement page shows about delivery."""

    tasks: list[tuple[Task, TaskStatus]]
    children: dict[int, int]  # sub-task count per task id
    rollup: Rollup
    parties: list[PartyRollup]
    commitments: list[CommitmentRow]
    # A recurring series is shown by its next open occurrence (its earliest one not done or cancelled),
    # or its last one once all are closed.
    shown: dict[int, tuple[Task, TaskStatus]] = field(default_factory=dict)


def agreement_delivery(
    session: Session, agreement: Agreement, *, today: date, at_risk_days: int = 14
) -> AgreementDelivery:
    """Tasks, status roll-ups per agreement and per party, and the commitment scorecard."""
    tasks = task_service.tasks_of_agreement(session, agreement.id)
    statuses = {t.id: task_service.status_of(t, today, at_risk_days) for t in tasks}
    tracked = task_service.live(tasks)
    parties = []
    for party in agreement.parties:
        orgs = descendants(session, party.organisation_id)
        parties.append(
            PartyRollup(party, rollup(statuses[t.id] for t in tracked if t.owner_organisation_id in orgs))
        )
    accepted = task_service.commitments_for_tasks(session, agreement.id)
    states = fulfilment_service.states(session, accepted, today)
    commitments = [
        CommitmentRow(
            commitment, [t for t in tracked if t.commitment_id == commitment.id], states[commitment.id]
        )
        for commitment in accepted
    ]
    shown: dict[int, tuple[Task, TaskStatus]] = {}
    for series in tasks:
        if series.recurrence_rule is None:
            continue
        dated = sorted((t for t in tasks if t.parent_id == series.id), key=lambda t: (t.due_on, t.id))
        open_ = [t for t in dated if not t.done and not t.cancelled]
        if chosen := (open_ or dated[-1:]):
            shown[series.id] = (chosen[0], statuses[chosen[0].id])
    return AgreementDelivery(
        shown=shown,
        tasks=[(t, statuses[t.id]) for t in tasks],
        children={t.id: sum(1 for c in tasks if c.parent_id == t.id) for t in tasks if t.parent_id is None},
        rollup=rollup(statuses[t.id] for t in tracked),
        parties=parties,
        commitments=commitments,
    )


# --- calendar feed -------------------------------------------------------------------------------


def calendar_token(secret_key: str, user: User) -> str:
    """The secret part of a user's feed URL; changes when the password changes."""
    message = f"calendar:{user.id}:{user.password_hash[-16:]}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()[:40]


def _ics_text(value: str) -> str:
    # RFC 5545 3.3.11: backslash, semicolon, comma and line breaks (CRLF, LF or a bare CR) are escaped in
    # TEXT values; other control characters are not allowed in it at all (3.1), so they are dropped.
    escaped = (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )
    return strip_controls(escaped, keep="\t")


def _fold(line: str) -> str:
    # RFC 5545 3.1: lines longer than 75 octets continue on the next line after a space,
    # split between characters (never inside a UTF-8 sequence).
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode())
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)


def ics_calendar(name: str, events: Sequence[dict[str, str | date]], stamp: datetime) -> str:
    """An iCalendar document of all-day events (keys: uid, day, summary, description, url)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Accord//Supervision//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(name)}",
    ]
    dtstamp = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    for event in events:
        day = event["day"]
        assert isinstance(day, date)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            # No DTEND on the last day a date can hold: an all-day event lasts that one day anyway.
            *([f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}"] if day < date.max else []),
            f"SUMMARY:{_ics_text(str(event['summary']))}",
            f"DESCRIPTION:{_ics_text(str(event['description']))}",
            f"URL:{event['url']}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _calendar_tasks(session: Session, user: User) -> Select[Task]:
    principal = principal_for(session, user)
    orgs = principal.orgs_with(Role.MEMBER)
    return (
        select(Task)
        .join(Agreement, Agreement.id == Task.agreement_id)
        .where(
            agreement_visibility(principal),
            or_(Task.owner_user_id == user.id, Task.owner_organisation_id.in_(orgs)),
            Task.done.is_(False),
            Task.cancelled.is_(False),
            Task.archived_at.is_(None),
            Task.recurrence_rule.is_(None),
        )
    )


def calendar_emptiness(session: Session, user: User) -> str | None:
    """Why the user's calendar feed is empty (a sentence), or None when it has deadlines."""
    stmt = _calendar_tasks(session, user)
    if session.scalar(select(func.count()).select_from(stmt.subquery())):
        return None
    if not session.scalar(select(func.count()).select_from(Membership).where(Membership.user_id == user.id)):
        return _(
            "Your calendar feed is empty for now: it lists the open tasks you own or that your "
            "organisations own, and your account belongs to no organisation yet."
        )
    return _(
        "Your calendar feed is empty for now: it lists the open tasks you own or that your "
        "organisations own, and none is open at the moment."
    )


def user_calendar(
    session: Session, user_id: int, token: str, *, secret_key: str, base_url: str, now: datetime
) -> str:
    """Deadlines of open tasks the user owns or whose owner organisation they belong to."""
    user = records.find(session, User, user_id)
    if user is None or not user.is_active or not hmac.compare_digest(calendar_token(secret_key, user), token):
        raise NotFound(_("This page does not exist."))
    stmt = _calendar_tasks(session, user).options(selectinload(Task.agreement)).order_by(Task.due_on, Task.id)
    base = base_url.rstrip("/")
    events: list[dict[str, str | date]] = [
        {
            "uid": f"task-{task.id}@accord",
            "day": task.due_on,
            "summary": task.title,
            "description": localized(task.agreement, "title"),
            "url": f"{base}/tasks/{task.id}",
        }
        for task in session.scalars(stmt)
    ]
    return ics_calendar(_("Accord deadlines"), events, now)
