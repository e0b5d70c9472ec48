"""The outbox: every e-mail notice Accord has written, as its recipient reads it.

Without an SMTP server (``ACCORD_SMTP_HOST`` empty) e-mail notices are planned all the same and wait
here, *held*, for an administrator to read; once a server is configured the worker sends them like any
other pending notice. Only administrators read the outbox: it holds every recipient's mail.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.config import Settings
from accord.i18n import _
from accord.models import NoticeChannel, NoticeRecord, NoticeState
from accord.schemas.outbox import OutboxNoticeOut
from accord.services import notices, records
from accord.services.errors import NotFound
from accord.services.listing import ListQuery, Page, paginate, sort_clause, text_filter
from accord.services.permissions import Principal, require

HELD = "held"
STATES = (HELD, NoticeState.PENDING.value, NoticeState.SENT.value, NoticeState.FAILED.value)
KINDS = ("reminder", "overdue", "escalation", "invitation")
SORTS = {
    "created": NoticeRecord.created_at,
    "recipient": NoticeRecord.recipient,
    "due": NoticeRecord.due_on,
    "state": NoticeRecord.status,
    "kind": NoticeRecord.kind,
}


def state_of(row: NoticeRecord, settings: Settings) -> str:
    """``held`` for pending e-mail while no SMTP server is configured, else the stored state."""
    if row.status is NoticeState.PENDING and notices.held(settings):
        return HELD
    return row.status.value


def _item(session: Session, row: NoticeRecord, settings: Settings) -> OutboxNoticeOut:
    try:
        rendered = notices.compose(session, row, settings)
        subject, body = rendered.subject, rendered.body
    except Exception:  # a notice whose task or match is gone still lists
        subject, body = "", ""
    return OutboxNoticeOut(
        id=row.id,
        created_at=row.created_at,
        recipient=row.recipient,
        language=row.language,
        kind=row.kind,
        level=row.level,
        state=state_of(row, settings),
        subject=subject,
        body=body,
        due_on=row.due_on,
        task_id=row.task_id,
        match_id=row.match_id,
        attempts=row.attempts,
        sent_at=row.sent_at,
        last_error=row.last_error,
    )


def list_outbox(
    session: Session, principal: Principal, query: ListQuery, settings: Settings
) -> Page[OutboxNoticeOut]:
    """E-mail notices matching the query, newest first unless sorted otherwise (administrators only)."""
    require(principal.is_admin)
    stmt = select(NoticeRecord).where(NoticeRecord.channel == NoticeChannel.EMAIL)
    found = text_filter(query.q, (NoticeRecord.recipient,))
    if found is not None:
        stmt = stmt.where(found)
    if state := query.filters.get("state"):
        if state == HELD:
            stmt = stmt.where(NoticeRecord.status == NoticeState.PENDING)
            if not notices.held(settings):
                stmt = stmt.where(NoticeRecord.id.is_(None))  # nothing is held once SMTP is configured
        else:
            stmt = stmt.where(NoticeRecord.status == state)
    if kind := query.filters.get("kind"):
        stmt = stmt.where(NoticeRecord.kind == kind)
    if task_id := query.filters.get("task_id"):
        stmt = stmt.where(NoticeRecord.task_id == task_id)
    stmt = stmt.order_by(*sort_clause(query.sort, SORTS, "-created"), NoticeRecord.id.desc())
    page = paginate(session, stmt, query)
    return Page(
        items=[_item(session, row, settings) for row in page.items],
        total=page.total,
        page=page.page,
        page_size=page.page_size,
    )


def get_outbox_notice(
    session: Session, principal: Principal, notice_id: int, settings: Settings
) -> OutboxNoticeOut:
    """One e-mail notice with its text (administrators only)."""
    require(principal.is_admin)
    row = records.get_or_404(session, NoticeRecord, notice_id)
    if row.channel is not NoticeChannel.EMAIL:
        raise NotFound(_("No such record."))
    return _item(session, row, settings)
