"""Dashboards: overall, per agreement (with its scorecard) and per partner organisation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from accord import clock
from accord.delivery import Fulfilment, TaskStatus
from accord.i18n import gettext
from accord.labels import INSTITUTION_STAGE_LABELS
from accord.services import dashboards
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.render import render

router = APIRouter(prefix="/dashboard")


def _page(request: Request, board: dashboards.Dashboard, kind: str) -> Response:
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "board": board,
            "kind": kind,
            "states": list(Fulfilment),
            "statuses": list(TaskStatus),
            "state_label": dashboards.state_label,
            "task_label": dashboards.task_label,
            "stage_label": lambda stage: gettext(INSTITUTION_STAGE_LABELS[stage]),
        },
    )


@router.get("")
def overview(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    return _page(request, dashboards.overview(session, principal, clock.today()), "overview")


@router.get("/agreements/{agreement_id}")
def agreement(agreement_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    return _page(
        request, dashboards.for_agreement(session, principal, agreement_id, clock.today()), "agreement"
    )


@router.get("/organisations/{organisation_id}")
def partner(organisation_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    return _page(
        request, dashboards.for_partner(session, principal, organisation_id, clock.today()), "partner"
    )
