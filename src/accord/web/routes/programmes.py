"""Talent programmes pages: list, form, detail and cohorts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from accord.i18n import N_, gettext, localized
from accord.labels import PROGRAMME_KIND_LABELS, choice_label, options
from accord.models import Programme, ProgrammeKind
from accord.schemas.portfolio import CohortIn, ProgrammeIn
from accord.services import audit, organisations, programmes
from accord.services.errors import ValidationFailed
from accord.services.permissions import Principal
from accord.services.validation import parse
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.forms import FormDep, errors_by_field, nest, read_form
from accord.web.listing import FilterField, ListView, list_routes
from accord.web.portfolio_forms import (
    agreement_filter,
    blank_rows,
    form_choices,
    form_values,
    label_helpers,
    names,
    party_filter,
    selected_commitments,
)
from accord.web.render import render
from accord.web.saving import archive_route, form_routes, save_or_rerender
from accord.web.tables import Column

router = APIRouter()

PROGRAMME_FILTERS: dict[str, type] = {"kind": ProgrammeKind, "organisation_id": int, "agreement_id": int}


def _programme_view(session: Session, principal: Principal) -> ListView:
    return ListView(
        title=N_("Talent programmes"),
        columns=[
            Column(N_("Title"), lambda p: localized(p, "title"), sort="title_zh", link=True),
            Column(N_("Kind"), lambda p: choice_label(PROGRAMME_KIND_LABELS, p.kind), sort="kind"),
            Column(N_("Parties"), lambda p: names(p.parties)),
            Column(N_("Cohorts"), lambda p: len(p.cohorts)),
            Column(N_("Participants"), programmes.participants),
        ],
        row_url=lambda p: f"/programmes/{p.id}",
        filters=[
            FilterField("kind", N_("Kind"), options(PROGRAMME_KIND_LABELS)),
            party_filter(session),
            agreement_filter(session, principal),
        ],
        new_url="/programmes/new" if principal.coordinates_any else None,
        export_name="programmes",
    )


list_routes(router, "/programmes", PROGRAMME_FILTERS, _programme_view, programmes.list_programmes)


def _programme_form(
    request: Request,
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    programme: Programme | None,
    status: int = 200,
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "programme": programme,
        "parties": blank_rows(values, "parties"),
        "selected": selected_commitments(values),
        "kinds": options(PROGRAMME_KIND_LABELS),
        **form_choices(session, principal),
    }
    return render(request, "portfolio/programme_form.html", context, status=status)


form_routes(
    router,
    "/programmes/{programme_id}",
    show=_programme_form,
    schema=ProgrammeIn,
    blank=lambda _request: {"kind": "cadre_training"},
    filled=lambda programme: form_values(
        ProgrammeIn,
        programme,
        parties=[{"organisation_id": p.organisation_id} for p in programme.parties],
        fulfils=[{"commitment_id": c.id} for c in programme.commitments],
    ),
    get=programmes.get_programme,
    may_edit=programmes.can_manage,
    create=programmes.create_programme,
    update=programmes.update_programme,
    saved=N_("Programme saved."),
)


def _programme_detail(
    request: Request,
    session: Session,
    principal: Principal,
    programme: Programme,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    return render(
        request,
        "portfolio/programme_detail.html",
        {
            "programme": programme,
            "can_edit": programmes.can_manage(principal, programme),
            "history": audit.history(session, "programme", programme.id),
            "orgs": organisations.choices(session),
            "counts": blank_rows(values, "counts", 3),
            "values": values,
            "errors": errors,
            "participants": programmes.participants(programme),
            **label_helpers(),
        },
        status=status,
    )


@router.get("/programmes/{programme_id}")
def show_programme(
    programme_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    programme = programmes.get_programme(session, principal, programme_id)
    return _programme_detail(request, session, principal, programme, {}, {})


archive_route(
    router,
    "/programmes/{programme_id}",
    programmes.archive_programme,
    archived=N_("Programme archived."),
    restored=N_("Programme restored."),
)


@router.post("/programmes/{programme_id}/cohorts")
def add_cohort(
    programme_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, _version = read_form(form)
    nested = nest(flat)

    def on_error(error: ValidationFailed) -> Response:
        programme = programmes.get_programme(session, principal, programme_id)
        return _programme_detail(request, session, principal, programme, nested, errors_by_field(error), 422)

    return save_or_rerender(
        request,
        session,
        lambda: programmes.add_cohort(session, principal, programme_id, parse(CohortIn, nested)),
        on_error,
        gettext("Cohort added."),
        lambda _c: f"/programmes/{programme_id}",
    )
