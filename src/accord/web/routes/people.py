"""People pages."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from starlette.responses import Response

from accord.i18n import N_, localized
from accord.models import Person
from accord.schemas.registry import PersonIn
from accord.services import audit, organisations, people
from accord.services.permissions import Principal, can_manage_person
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.listing import FilterField, ListView, list_routes
from accord.web.render import render
from accord.web.saving import archive_route, form_routes
from accord.web.tables import Column

router = APIRouter(prefix="/people")
FILTERS: dict[str, type] = {"organisation_id": int}


def _view(session: SessionDep, can_create: bool) -> ListView:
    return ListView(
        title=N_("People"),
        columns=[
            Column(N_("Name"), lambda p: localized(p, "name"), sort="name_zh", link=True),
            Column(N_("Title"), lambda p: localized(p, "title")),
            Column(N_("Organisation"), lambda p: localized(p.organisation, "name") if p.organisation else ""),
            Column(N_("Email"), lambda p: p.email or ""),
        ],
        row_url=lambda p: f"/people/{p.id}",
        filters=[
            FilterField(
                "organisation_id",
                N_("Organisation"),
                [(str(o.id), localized(o, "name")) for o in organisations.choices(session)],
            )
        ],
        new_url="/people/new" if can_create else None,
        export_name="people",
    )


list_routes(router, "", FILTERS, lambda s, p: _view(s, p.coordinates_any), people.list_people)


def _form(
    request: Request,
    session: SessionDep,
    principal: Principal,
    values: Mapping[str, object],
    errors: dict[str, str],
    person: Person | None,
    status: int = 200,
) -> Response:
    context = {"values": values, "errors": errors, "person": person, "orgs": organisations.choices(session)}
    return render(request, "people/form.html", context, status=status)


form_routes(
    router,
    "/{person_id}",
    show=_form,
    schema=PersonIn,
    blank=lambda request: {"organisation_id": request.query_params.get("organisation_id", "")},
    filled=lambda person: PersonIn.model_validate(person, from_attributes=True).model_dump(),
    get=people.get_person,
    may_edit=lambda principal, person: can_manage_person(principal, person.organisation_id),
    create=people.create_person,
    update=people.update_person,
    saved=N_("Person saved."),
)


@router.get("/{person_id}")
def show_person(person_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    person = people.get_person(session, principal, person_id)
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "can_edit": can_manage_person(principal, person.organisation_id),
            "history": audit.history(session, "person", person.id),
        },
    )


archive_route(
    router,
    "/{person_id}",
    people.archive_person,
    archived=N_("Person archived."),
    restored=N_("Person restored."),
)
