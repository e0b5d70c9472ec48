"""Signing events and their attendees."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from accord.i18n import gettext as _
from accord.models import EventAttendee, Organisation, Person, SigningEvent
from accord.schemas.registry import SigningEventIn
from accord.services import audit, records
from accord.services.errors import FieldError
from accord.services.listing import ListQuery, Page, paginate, searched, sort_clause
from accord.services.permissions import Principal, can_manage_event, require, require_signed_in
from accord.services.validation import require_one_language

SORTS = {
    "held_on": SigningEvent.held_on,
    "title_zh": SigningEvent.title_zh,
    "title_en": SigningEvent.title_en,
}
SEARCHED = (SigningEvent.title_zh, SigningEvent.title_en, SigningEvent.place_zh, SigningEvent.place_en)


def list_events(session: Session, principal: Principal, query: ListQuery) -> Page[SigningEvent]:
    """Signing events matching the query, newest first by default."""
    require_signed_in(principal)
    stmt = select(SigningEvent).options(selectinload(SigningEvent.attendees))
    stmt = searched(stmt, query, SigningEvent.archived_at, SEARCHED)
    if organiser := query.filters.get("organiser_id"):
        stmt = stmt.where(SigningEvent.organiser_id == organiser)
    if year := query.filters.get("year"):
        stmt = stmt.where(SigningEvent.held_on.between(f"{year}-01-01", f"{year}-12-31"))
    stmt = stmt.order_by(*sort_clause(query.sort, SORTS, "-held_on"), SigningEvent.id)
    return paginate(session, stmt, query)


def get_event(session: Session, principal: Principal, event_id: int) -> SigningEvent:
    """One signing event."""
    require_signed_in(principal)
    return records.get_or_404(
        session,
        SigningEvent,
        event_id,
        options=[
            selectinload(SigningEvent.organiser),
            selectinload(SigningEvent.attendees)
            .joinedload(EventAttendee.person)
            .joinedload(Person.organisation),
        ],
    )


def _validate(session: Session, data: SigningEventIn) -> None:
    require_one_language(data, "title")
    errors: list[FieldError] = []
    records.require_exists(session, Organisation, data.organiser_id, "organiser_id", errors)
    seen: set[int] = set()
    for index, attendee in enumerate(data.attendees):
        field = f"attendees.{index}.person_id"
        if attendee.person_id in seen:
            errors.append(FieldError(field, _("This person is listed twice.")))
        seen.add(attendee.person_id)
        records.require_exists(session, Person, attendee.person_id, field, errors)
    records.raise_if(errors)


def _set_attendees(session: Session, event: SigningEvent, data: SigningEventIn) -> None:
    # Removals are flushed first so a person kept in the list does not hit the unique constraint.
    if event.attendees:
        event.attendees.clear()
        session.flush()
    event.attendees = [
        EventAttendee(person_id=a.person_id, role_zh=a.role_zh, role_en=a.role_en, position=i)
        for i, a in enumerate(data.attendees)
    ]


def _snapshot(event: SigningEvent) -> dict[str, object]:
    state = audit.snapshot(event)
    state["attendees"] = [[a.person_id, a.role_zh, a.role_en] for a in event.attendees]
    return state


def create_event(session: Session, principal: Principal, data: SigningEventIn) -> SigningEvent:
    """Record a signing event."""
    require(can_manage_event(principal, data.organiser_id))
    _validate(session, data)
    event = SigningEvent(**data.model_dump(exclude={"attendees"}))
    _set_attendees(session, event, data)
    session.add(event)
    session.flush()
    audit.record(session, principal, "create", event, after=_snapshot(event))
    return event


def update_event(
    session: Session, principal: Principal, event_id: int, data: SigningEventIn, version: int | None
) -> SigningEvent:
    """Change a signing event and its attendee list."""
    event = records.get_or_404(session, SigningEvent, event_id)
    require(can_manage_event(principal, event.organiser_id))
    require(can_manage_event(principal, data.organiser_id))
    records.check_version(event, version)
    _validate(session, data)
    before = _snapshot(event)
    records.apply(event, data.model_dump(exclude={"attendees"}))
    _set_attendees(session, event, data)
    session.flush()
    audit.record(session, principal, "update", event, before, after=_snapshot(event))
    return event


def archive_event(
    session: Session, principal: Principal, event_id: int, version: int | None, *, restore: bool = False
) -> SigningEvent:
    """Archive (or restore) a signing event."""
    event = records.get_or_404(session, SigningEvent, event_id)
    require(can_manage_event(principal, event.organiser_id))
    return records.set_archived(session, principal, event, version, restore=restore)


def choices(session: Session) -> list[SigningEvent]:
    """Active events for pick lists."""
    stmt = (
        select(SigningEvent).where(SigningEvent.archived_at.is_(None)).order_by(SigningEvent.held_on.desc())
    )
    return list(session.scalars(stmt))
