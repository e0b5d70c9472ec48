"""People pages."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from starlette.responses import Response

from accord.i18n import N_, gettext, localized
from accord.models import Person
from accord.schemas.registry import PersonIn
from accord.services import audit, organisations, people
from accord.services.permissions import can_manage_person, require
from accord.services.validation import parse
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.forms import FormDep, errors_by_field, nest, read_form
from accord.web.listing import FilterField, ListView, list_routes
from accord.web.render import render
from accord.web.saving import archive_route, save_or_rerender
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
    values: Mapping[str, object],
    errors: dict[str, str],
    person: Person | None,
    status: int = 200,
) -> Response:
    context = {"values": values, "errors": errors, "person": person, "orgs": organisations.choices(session)}
    return render(request, "people/form.html", context, status=status)


@router.get("/new")
def new_person(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    require(principal.coordinates_any)
    return _form(
        request, session, {"organisation_id": request.query_params.get("organisation_id", "")}, {}, None
    )


@router.post("/new")
def create_person(request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep) -> Response:
    flat, _version = read_form(form)
    return save_or_rerender(
        request,
        session,
        lambda: people.create_person(session, principal, parse(PersonIn, nest(flat))),
        lambda error: _form(request, session, flat, errors_by_field(error), None, status=error.status),
        gettext("Person saved."),
        lambda person: f"/people/{person.id}",
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


@router.get("/{person_id}/edit")
def edit_person(person_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    person = people.get_person(session, principal, person_id)
    require(can_manage_person(principal, person.organisation_id))
    values = PersonIn.model_validate(person, from_attributes=True).model_dump()
    values["version"] = person.version
    return _form(request, session, values, {}, person)


@router.post("/{person_id}/edit")
def update_person(
    person_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, version = read_form(form)
    return save_or_rerender(
        request,
        session,
        lambda: people.update_person(session, principal, person_id, parse(PersonIn, nest(flat)), version),
        lambda error: _form(
            request,
            session,
            flat,
            errors_by_field(error),
            people.get_person(session, principal, person_id),
            error.status,
        ),
        gettext("Person saved."),
        f"/people/{person_id}",
    )


archive_route(
    router,
    "/{person_id}",
    people.archive_person,
    archived=N_("Person archived."),
    restored=N_("Person restored."),
)
