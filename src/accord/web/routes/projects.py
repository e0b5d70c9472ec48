"""Joint projects pages: list, form and detail (parties, lead people, budget, fulfilled commitments)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from accord.i18n import N_, format_date, localized
from accord.models import Project
from accord.schemas.portfolio import ProjectIn
from accord.services import audit, projects
from accord.services.permissions import Principal
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.listing import ListView, list_routes
from accord.web.portfolio_forms import (
    agreement_filter,
    blank_rows,
    form_choices,
    form_values,
    label_helpers,
    money,
    names,
    party_filter,
    people_first,
    selected_commitments,
)
from accord.web.render import render
from accord.web.saving import archive_route, form_routes
from accord.web.tables import Column

router = APIRouter()

PROJECT_FILTERS: dict[str, type] = {"organisation_id": int, "agreement_id": int, "year": int}


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
        filters=[party_filter(session), agreement_filter(session, principal)],
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
        "parties": blank_rows(values, "parties"),
        "leads": blank_rows(values, "leads", 3),
        "selected": selected_commitments(values),
        **form_choices(session, principal),
        "people_groups": people_first(session, values, "parties"),
    }
    return render(request, "portfolio/project_form.html", context, status=status)


form_routes(
    router,
    "/projects/{project_id}",
    show=_project_form,
    schema=ProjectIn,
    blank=lambda _request: {"currency": "CNY"},
    filled=lambda project: form_values(
        ProjectIn,
        project,
        parties=[{"organisation_id": p.organisation_id} for p in project.parties],
        leads=[{"person_id": lead.person_id} for lead in project.leads],
        fulfils=[{"commitment_id": c.id} for c in project.commitments],
    ),
    get=projects.get_project,
    may_edit=projects.can_manage,
    create=projects.create_project,
    update=projects.update_project,
    saved=N_("Project saved."),
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


archive_route(
    router,
    "/projects/{project_id}",
    projects.archive_project,
    archived=N_("Project archived."),
    restored=N_("Project restored."),
)
