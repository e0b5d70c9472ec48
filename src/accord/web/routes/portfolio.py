"""Portfolio overview: co-built institutions by stage, and the totals of projects and talent programmes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from accord.models import InstitutionStage
from accord.services import institutions, programmes, projects
from accord.services.listing import ListQuery
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.portfolio_forms import label_helpers
from accord.web.render import render

router = APIRouter()


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
