"""Signing event pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from accord.i18n import N_, format_date, localized
from accord.models import SigningEvent
from accord.schemas.numbers import parse_id
from accord.schemas.registry import SigningEventIn
from accord.services import agreements, audit, events, organisations, people
from accord.services.permissions import Principal, can_manage_event
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.listing import ListView, list_routes
from accord.web.render import render
from accord.web.saving import archive_route, form_routes
from accord.web.tables import Column

router = APIRouter(prefix="/events")
FILTERS: dict[str, type] = {"organiser_id": int, "year": int}
BLANK_ATTENDEE_ROWS = 4


def _view(can_create: bool) -> ListView:
    return ListView(
        title=N_("Signing events"),
        columns=[
            Column(N_("Title"), lambda e: localized(e, "title"), sort="title_zh", link=True),
            Column(N_("Date"), lambda e: format_date(e.held_on), sort="held_on"),
            Column(N_("Place"), lambda e: localized(e, "place")),
            Column(N_("Attendees"), lambda e: len(e.attendees)),
        ],
        row_url=lambda e: f"/events/{e.id}",
        new_url="/events/new" if can_create else None,
        export_name="signing-events",
    )


list_routes(router, "", FILTERS, lambda _s, p: _view(p.coordinates_any), events.list_events)


def _form(
    request: Request,
    session: SessionDep,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    event: SigningEvent | None,
    status: int = 200,
) -> Response:
    attendees = list(values.get("attendees") or [])
    attendees += [{}] * BLANK_ATTENDEE_ROWS
    context = {
        "values": values,
        "attendees": attendees,
        "errors": errors,
        "event": event,
        "orgs": organisations.choices(session),
        # The organiser's people first (and its units'), then everyone else.
        "people_groups": people.grouped_choices(session, [parse_id(str(values.get("organiser_id") or ""))]),
    }
    return render(request, "events/form.html", context, status=status)


form_routes(
    router,
    "/{event_id}",
    show=_form,
    schema=SigningEventIn,
    blank=lambda _request: {},
    filled=lambda event: SigningEventIn.model_validate(event, from_attributes=True).model_dump(),
    get=events.get_event,
    may_edit=lambda principal, event: can_manage_event(principal, event.organiser_id),
    create=events.create_event,
    update=events.update_event,
    saved=N_("Signing event saved."),
)


@router.get("/{event_id}")
def show_event(event_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    event = events.get_event(session, principal, event_id)
    signed = [a for a in agreements.choices(session, principal) if a.signing_event_id == event.id]
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "agreements": signed,
            "can_edit": can_manage_event(principal, event.organiser_id),
            "history": audit.history(session, "signing_event", event.id),
        },
    )


archive_route(
    router,
    "/{event_id}",
    events.archive_event,
    archived=N_("Signing event archived."),
    restored=N_("Signing event restored."),
)
