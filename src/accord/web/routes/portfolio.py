"""Portfolio pages: the overview, co-built institutions (stages, KPIs), joint projects, talent programmes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from accord.i18n import N_, format_date, format_number, gettext, localized
from accord.labels import (
    INDICATOR_UNIT_LABELS,
    INSTITUTION_KIND_LABELS,
    INSTITUTION_STAGE_LABELS,
    PROGRAMME_KIND_LABELS,
    choice_label,
    options,
)
from accord.models import (
    Institution,
    InstitutionKind,
    InstitutionStage,
    Programme,
    ProgrammeKind,
    Project,
)
from accord.schemas.portfolio import (
    CohortIn,
    IndicatorIn,
    IndicatorValueIn,
    InstitutionIn,
    ProgrammeIn,
    ProjectIn,
    StageChangeIn,
)
from accord.services import agreements, audit, institutions, organisations, people, programmes, projects
from accord.services.errors import ValidationFailed
from accord.services.listing import ListQuery
from accord.services.permissions import Principal, require
from accord.services.portfolio import commitment_choices
from accord.services.validation import parse
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.forms import FormDep, errors_by_field, nest, read_form
from accord.web.listing import FilterField, ListView, list_routes
from accord.web.render import render
from accord.web.saving import archive_route, save_or_rerender
from accord.web.tables import Column

router = APIRouter()
ROWS = 4


INSTITUTION_FILTERS: dict[str, type] = {
    "kind": InstitutionKind,
    "stage": InstitutionStage,
    "organisation_id": int,
    "agreement_id": int,
}
PROJECT_FILTERS: dict[str, type] = {"organisation_id": int, "agreement_id": int, "year": int}
PROGRAMME_FILTERS: dict[str, type] = {"kind": ProgrammeKind, "organisation_id": int, "agreement_id": int}


def names(items: list[Any], attribute: str = "organisation") -> str:
    """Localized names of the organisations (or people) of a party list, joined."""
    return " / ".join(localized(getattr(item, attribute), "name") for item in items)


def money(amount: Any, currency: str | None) -> str:
    """``CNY 1,200,000.00`` style, empty when there is no amount."""
    if amount is None:
        return ""
    return f"{currency or ''} {format_number(amount)}".strip()


def label_helpers() -> dict[str, Any]:
    """Label functions the portfolio templates use."""
    return {
        "institution_kind_label": lambda v: choice_label(INSTITUTION_KIND_LABELS, v),
        "institution_stage_label": lambda v: choice_label(INSTITUTION_STAGE_LABELS, v),
        "unit_label": lambda v: choice_label(INDICATOR_UNIT_LABELS, v),
        "programme_kind_label": lambda v: choice_label(PROGRAMME_KIND_LABELS, v),
        "names": names,
        "money": money,
    }


def _party_filter(session: Session) -> FilterField:
    return FilterField(
        "organisation_id",
        N_("Party"),
        [(str(o.id), localized(o, "name")) for o in organisations.choices(session)],
    )


def _agreement_filter(session: Session, principal: Principal) -> FilterField:
    return FilterField(
        "agreement_id",
        N_("Agreement"),
        [(str(a.id), localized(a, "title")) for a in agreements.choices(session, principal)],
    )


def _form_context(session: Session, principal: Principal) -> dict[str, Any]:
    return {
        "orgs": organisations.choices(session),
        "people": people.choices(session),
        "agreement_choices": agreements.choices(session, principal),
        "commitments": commitment_choices(session, principal),
        **label_helpers(),
    }


def _rows(values: dict[str, Any], name: str, count: int = ROWS) -> list[dict[str, Any]]:
    rows = list(values.get(name) or [])
    return rows + [{}] * max(count - len(rows), 1)


def _selected_commitments(values: dict[str, Any]) -> set[str]:
    return {str(row.get("commitment_id")) for row in values.get("fulfils") or []}


# Overview ---------------------------------------------------------------------------------------


@router.get("/portfolio")
def overview(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    everything = ListQuery(page_size=500)
    institution_page = institutions.list_institutions(session, principal, everything)
    project_page = projects.list_projects(session, principal, ListQuery(page_size=1))
    programme_page = programmes.list_programmes(session, principal, everything)
    return render(
        request,
        "portfolio/index.html",
        {
            "institutions": institution_page.items,
            "institution_total": institution_page.total,
            "project_total": project_page.total,
            "programme_total": programme_page.total,
            "trained": sum(programmes.participants(p) for p in programme_page.items),
            "stage_counts": institutions.stage_counts(session, principal),
            "stages": list(InstitutionStage),
            **label_helpers(),
        },
    )


# Institutions -----------------------------------------------------------------------------------


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
            _party_filter(session),
            _agreement_filter(session, principal),
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
        "parties": _rows(values, "parties"),
        "selected": _selected_commitments(values),
        "kinds": options(INSTITUTION_KIND_LABELS),
        "stages": options(INSTITUTION_STAGE_LABELS),
        **_form_context(session, principal),
    }
    return render(request, "portfolio/institution_form.html", context, status=status)


@router.get("/institutions/new")
def new_institution(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    require(principal.coordinates_any)
    return _institution_form(
        request, session, principal, {"kind": "institute", "stage": "proposed"}, {}, None
    )


@router.post("/institutions/new")
def create_institution(
    request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, _version = read_form(form)
    nested = nest(flat)
    return save_or_rerender(
        request,
        session,
        lambda: institutions.create_institution(session, principal, parse(InstitutionIn, nested)),
        lambda e: _institution_form(
            request, session, principal, nested, errors_by_field(e), None, status=e.status
        ),
        gettext("Institution saved."),
        lambda i: f"/institutions/{i.id}",
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


@router.get("/institutions/{institution_id}/edit")
def edit_institution(
    institution_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    institution = institutions.get_institution(session, principal, institution_id)
    require(institutions.can_manage(principal, institution))
    values: dict[str, Any] = {
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
        "version": institution.version,
    }
    return _institution_form(request, session, principal, values, {}, institution)


@router.post("/institutions/{institution_id}/edit")
def update_institution(
    institution_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, version = read_form(form)
    nested = nest(flat)

    def on_error(error: ValidationFailed) -> Response:
        nested["version"] = version
        institution = institutions.get_institution(session, principal, institution_id)
        return _institution_form(
            request, session, principal, nested, errors_by_field(error), institution, 422
        )

    return save_or_rerender(
        request,
        session,
        lambda: institutions.update_institution(
            session, principal, institution_id, parse(InstitutionIn, nested), version
        ),
        on_error,
        gettext("Institution saved."),
        lambda i: f"/institutions/{i.id}",
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


# Projects ---------------------------------------------------------------------------------------


def _project_view(session: Session, principal: Principal) -> ListView:
    return ListView(
        title=N_("Joint projects"),
        columns=[
            Column(N_("Title"), lambda p: localized(p, "title"), sort="title_zh", link=True),
            Column(N_("Parties"), lambda p: names(p.parties)),
            Column(N_("Budget"), lambda p: money(p.budget, p.currency), sort="budget"),
            Column(N_("Starts on"), lambda p: format_date(p.start_on), sort="start_on"),
            Column(N_("Ends on"), lambda p: format_date(p.end_on)),
        ],
        row_url=lambda p: f"/projects/{p.id}",
        filters=[_party_filter(session), _agreement_filter(session, principal)],
        new_url="/projects/new" if principal.coordinates_any else None,
        export_name="projects",
    )


list_routes(router, "/projects", PROJECT_FILTERS, _project_view, projects.list_projects)


def _project_form(
    request: Request,
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    project: Project | None,
    status: int = 200,
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "project": project,
        "parties": _rows(values, "parties"),
        "leads": _rows(values, "leads", 3),
        "selected": _selected_commitments(values),
        **_form_context(session, principal),
    }
    return render(request, "portfolio/project_form.html", context, status=status)


def _dump(model: type[BaseModel], obj: Any, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(obj, name, None) for name in model.model_fields}
    values.update(extra)
    for key, value in list(values.items()):
        if hasattr(value, "value"):
            values[key] = value.value
    return values


@router.get("/projects/new")
def new_project(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    require(principal.coordinates_any)
    return _project_form(request, session, principal, {"currency": "CNY"}, {}, None)


@router.post("/projects/new")
def create_project(request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep) -> Response:
    flat, _version = read_form(form)
    nested = nest(flat)
    return save_or_rerender(
        request,
        session,
        lambda: projects.create_project(session, principal, parse(ProjectIn, nested)),
        lambda e: _project_form(
            request, session, principal, nested, errors_by_field(e), None, status=e.status
        ),
        gettext("Project saved."),
        lambda p: f"/projects/{p.id}",
    )


@router.get("/projects/{project_id}")
def show_project(project_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    project = projects.get_project(session, principal, project_id)
    return render(
        request,
        "portfolio/project_detail.html",
        {
            "project": project,
            "can_edit": projects.can_manage(principal, project),
            "history": audit.history(session, "project", project.id),
            **label_helpers(),
        },
    )


@router.get("/projects/{project_id}/edit")
def edit_project(project_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    project = projects.get_project(session, principal, project_id)
    require(projects.can_manage(principal, project))
    values = _dump(
        ProjectIn,
        project,
        parties=[{"organisation_id": p.organisation_id} for p in project.parties],
        leads=[{"person_id": lead.person_id} for lead in project.leads],
        fulfils=[{"commitment_id": c.id} for c in project.commitments],
        version=project.version,
    )
    return _project_form(request, session, principal, values, {}, project)


@router.post("/projects/{project_id}/edit")
def update_project(
    project_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, version = read_form(form)
    nested = nest(flat)

    def on_error(error: ValidationFailed) -> Response:
        nested["version"] = version
        project = projects.get_project(session, principal, project_id)
        return _project_form(request, session, principal, nested, errors_by_field(error), project, 422)

    return save_or_rerender(
        request,
        session,
        lambda: projects.update_project(session, principal, project_id, parse(ProjectIn, nested), version),
        on_error,
        gettext("Project saved."),
        lambda p: f"/projects/{p.id}",
    )


archive_route(
    router,
    "/projects/{project_id}",
    projects.archive_project,
    archived=N_("Project archived."),
    restored=N_("Project restored."),
)


# Programmes -------------------------------------------------------------------------------------


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
            _party_filter(session),
            _agreement_filter(session, principal),
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
        "parties": _rows(values, "parties"),
        "selected": _selected_commitments(values),
        "kinds": options(PROGRAMME_KIND_LABELS),
        **_form_context(session, principal),
    }
    return render(request, "portfolio/programme_form.html", context, status=status)


@router.get("/programmes/new")
def new_programme(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    require(principal.coordinates_any)
    return _programme_form(request, session, principal, {"kind": "cadre_training"}, {}, None)


@router.post("/programmes/new")
def create_programme(
    request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, _version = read_form(form)
    nested = nest(flat)
    return save_or_rerender(
        request,
        session,
        lambda: programmes.create_programme(session, principal, parse(ProgrammeIn, nested)),
        lambda e: _programme_form(
            request, session, principal, nested, errors_by_field(e), None, status=e.status
        ),
        gettext("Programme saved."),
        lambda p: f"/programmes/{p.id}",
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
            "counts": _rows(values, "counts", 3),
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


@router.get("/programmes/{programme_id}/edit")
def edit_programme(
    programme_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    programme = programmes.get_programme(session, principal, programme_id)
    require(programmes.can_manage(principal, programme))
    values = _dump(
        ProgrammeIn,
        programme,
        parties=[{"organisation_id": p.organisation_id} for p in programme.parties],
        fulfils=[{"commitment_id": c.id} for c in programme.commitments],
        version=programme.version,
    )
    return _programme_form(request, session, principal, values, {}, programme)


@router.post("/programmes/{programme_id}/edit")
def update_programme(
    programme_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, version = read_form(form)
    nested = nest(flat)

    def on_error(error: ValidationFailed) -> Response:
        nested["version"] = version
        programme = programmes.get_programme(session, principal, programme_id)
        return _programme_form(request, session, principal, nested, errors_by_field(error), programme, 422)

    return save_or_rerender(
        request,
        session,
        lambda: programmes.update_programme(
            session, principal, programme_id, parse(ProgrammeIn, nested), version
        ),
        on_error,
        gettext("Programme saved."),
        lambda p: f"/programmes/{p.id}",
    )


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
