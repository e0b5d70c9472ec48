"""The home page: the user's agreements and what is coming up."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from sqlalchemy import func, select
from starlette.responses import Response

from accord import clock
from accord.labels import AGREEMENT_STATUS_LABELS, choice_label
from accord.models import Agreement, AgreementStatus, Organisation, SigningEvent
from accord.services import agreements, supervision
from accord.services.listing import ListQuery
from accord.services.permissions import agreement_visibility
from accord.web.deps import PrincipalDep, SessionDep, SettingsDep
from accord.web.render import render

router = APIRouter()
HORIZON_DAYS = 365


@router.get("/")
def home(request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep) -> Response:
    visible = agreement_visibility(principal)
    live = Agreement.archived_at.is_(None)
    today = clock.today()
    status = agreements.status_sql(today)
    by_status = {
        AgreementStatus(value): count
        for value, count in session.execute(
            select(status, func.count()).where(visible, live).group_by(status)
        ).all()
    }
    ending = list(
        session.scalars(
            select(Agreement)
            .where(visible, live, Agreement.expires_on.between(today, today + timedelta(days=HORIZON_DAYS)))
            .order_by(Agreement.expires_on)
            .limit(10)
        )
    )
    recent = agreements.list_agreements(session, principal, ListQuery(page_size=8)).items
    events = list(
        session.scalars(
            select(SigningEvent)
            .where(SigningEvent.archived_at.is_(None))
            .order_by(SigningEvent.held_on.desc())
            .limit(5)
        )
    )
    # Upcoming work: overdue tasks first, then what falls due within a month.
    work = supervision.board(
        session,
        principal,
        ListQuery(filters={"due_within": 30}, page_size=8),
        today=today,
        at_risk_days=settings.at_risk_days,
    ).items
    organisations = session.scalar(
        select(func.count()).select_from(Organisation).where(Organisation.archived_at.is_(None))
    )
    return render(
        request,
        "home.html",
        {
            "by_status": [
                (choice_label(AGREEMENT_STATUS_LABELS, s), by_status.get(s, 0)) for s in AgreementStatus
            ],
            "total": sum(by_status.values()),
            "organisations": organisations,
            "ending": ending,
            "recent": recent,
            "events": events,
            "work": work,
        },
    )
