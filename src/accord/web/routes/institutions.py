"""Co-built institutions pages: list, form, detail, lifecycle stages, KPIs and their values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from accord.i18n import N_, format_date, gettext, localized
from accord.labels import (
    INDICATOR_UNIT_LABELS,
    INSTITUTION_KIND_LABELS,
    INSTITUTION_STAGE_LABELS,
    choice_label,
    options,
)
from accord.models import Institution, InstitutionKind, InstitutionStage
from accord.schemas.portfolio import IndicatorIn, IndicatorValueIn, InstitutionIn, StageChangeIn
from accord.services import audit, institutions
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
    label_helpers,
    names,
    party_filter,
    selected_commitments,
)
from accord.web.render import render
from accord.web.saving import archive_route, form_routes, save_or_rerender
from accord.web.tables import Column

router = APIRouter()

INSTITUTION_FILTERS: dict[str, type] = {
    "kind": InstitutionKind,
    "stage": InstitutionStage,
    "organisation_id": int,
    "agreement_id": int,
}


def _institution_view(session: Session, principal: Principal) -> ListView:
    return ListView(
        title=N_("Co-built institutions"),
        columns=[
            Column(N_("Name"), lambda i: localized(i, "name"), sort="name_zh", link=True),
            Column(N_("Kind"), lambda i: choice_label(INSTITUTION_KIND_LABELS, i.kind), sort="kind"),
            Column(N_("Parties"), lambda i: names(i.parties)),
            Column(N_("Stage"), lambda i: choice_label(INSTITUTION_STAGE_LABELS, i.stage), sort="stage"),
            Column(N_("Since"), lambda i: format_date(i.stage_since), sort="stage_since"),
        ],
        row_url=lambda i: f"/institutions/{i.id}",
        filters=[
            FilterField("kind", N_("Kind"), options(INSTITUTION_KIND_LABELS)),
            FilterField("stage", N_("Stage"), options(INSTITUTION_STAGE_LABELS)),
            party_filter(session),
            agreement_filter(session, principal),
        ],
        new_url="/institutions/new" if principal.coordinates_any else None,
        export_name="institutions",
    )


list_routes(router, "/institutions", INSTITUTION_FILTERS, _institution_view, institutions.list_institutions)


def _institution_form(
    request: Request,
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    institution: Institution | None,
    status: int = 200,
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "institution": institution,
        "parties": blank_rows(values, "parties"),
        "selected": selected_commitments(values),
        "kinds": options(INSTITUTION_KIND_LABELS),
        "stages": options(INSTITUTION_STAGE_LABELS),
        **form_choices(session, principal),
    }
    return render(request, "portfolio/institution_form.html", context, status=status)


def _institution_values(institution: Institution) -> dict[str, Any]:
    return {
        "name_zh": institution.name_zh,
        "name_en": institution.name_en,
        "kind": institution.kind.value,
        "stage": institution.stage.value,
        "stage_since": institution.stage_since,
        "agreement_id": institution.agreement_id,
        "summary_zh": institution.summary_zh,
        "summary_en": institution.summary_en,
        "parties": [{"organisation_id": p.organisation_id, "share": p.share} for p in institution.parties],
        "fulfils": [{"commitment_id": c.id} for c in institution.commitments],
    }


form_routes(
    router,
    "/institutions/{institution_id}",
    show=_institution_form,
    schema=InstitutionIn,
    blank=lambda _request: {"kind": "institute", "stage": "proposed"},
    filled=_institution_values,
    get=institutions.get_institution,
    may_edit=institutions.can_manage,
    create=institutions.create_institution,
    update=institutions.update_institution,
    saved=N_("Institution saved."),
)


@router.get("/institutions/{institution_id}")
def show_institution(
    institution_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    institution = institutions.get_institution(session, principal, institution_id)
    return _institution_detail(request, session, principal, institution, {}, {}, None)


def _institution_detail(
    request: Request,
    session: Session,
    principal: Principal,
    institution: Institution,
    values: dict[str, Any],
    errors: dict[str, str],
    form: str | None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "portfolio/institution_detail.html",
        {
            "institution": institution,
            "can_edit": institutions.can_manage(principal, institution),
            "history": audit.history(session, "institution", institution.id),
            "progress": institutions.progress,
            "stages": options(INSTITUTION_STAGE_LABELS),
            "units": options(INDICATOR_UNIT_LABELS),
            "values": values,
            "errors": errors,
            "form": form,
            **label_helpers(),
        },
        status=status,
    )


archive_route(
    router,
    "/institutions/{institution_id}",
    institutions.archive_institution,
    archived=N_("Institution archived."),
    restored=N_("Institution restored."),
)


def _institution_action(
    request: Request,
    session: Session,
    principal: Principal,
    institution_id: int,
    form: str,
    nested: dict[str, Any],
    action: Callable[[], Any],
    message: str,
) -> Response:
    def on_error(error: ValidationFailed) -> Response:
        institution = institutions.get_institution(session, principal, institution_id)
        return _institution_detail(
            request,
            session,
            principal,
            institution,
            nested,
            errors_by_field(error),
            form,
            status=error.status,
        )

    return save_or_rerender(
        request, session, action, on_error, message, lambda _r: f"/institutions/{institution_id}"
    )


@router.post("/institutions/{institution_id}/stage")
def change_stage(
    institution_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, version = read_form(form)
    nested = nest(flat)
    return _institution_action(
        request,
        session,
        principal,
        institution_id,
        "stage",
        nested,
        lambda: institutions.change_stage(
            session, principal, institution_id, parse(StageChangeIn, nested), version
        ),
        gettext("Stage changed."),
    )


@router.post("/institutions/{institution_id}/indicators")
def add_indicator(
    institution_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, _version = read_form(form)
    nested = nest(flat)
    return _institution_action(
        request,
        session,
        principal,
        institution_id,
        "indicator",
        nested,
        lambda: institutions.add_indicator(session, principal, institution_id, parse(IndicatorIn, nested)),
        gettext("Indicator added."),
    )


@router.post("/institutions/{institution_id}/indicators/{indicator_id}/values")
def record_value(
    institution_id: int,
    indicator_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
) -> Response:
    flat, _version = read_form(form)
    nested = nest(flat)
    indicator = institutions.get_indicator(session, principal, indicator_id)
    if indicator.institution_id != institution_id:
        return RedirectResponse(f"/institutions/{indicator.institution_id}", status_code=303)
    return _institution_action(
        request,
        session,
        principal,
        institution_id,
        f"value-{indicator_id}",
        nested,
        lambda: institutions.record_value(session, principal, indicator_id, parse(IndicatorValueIn, nested)),
        gettext("Value recorded."),
    )
