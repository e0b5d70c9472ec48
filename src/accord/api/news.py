"""/api/v1/news (public reading, token for writing), the per-agreement scorecard and the annual report.

Annotations are real objects here (no postponed evaluation) because FastAPI reads them.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, status
from pydantic import BaseModel
from sqlalchemy import select
from starlette.responses import Response

from accord import clock
from accord.api.crud import if_match_version, page_body
from accord.api.deps import ApiPrincipal, api_principal
from accord.delivery import Fulfilment, Period
from accord.deps import SessionDep
from accord.i18n import reset_language, set_language
from accord.models import Commitment, NewsItem, NewsKind, NewsStatus
from accord.schemas.common import PageOut
from accord.schemas.news import NewsIn, NewsOut
from accord.services import dashboards, fulfilment, news, reports
from accord.services.listing import ListQuery
from accord.services.permissions import ANONYMOUS, Principal

router = APIRouter(tags=["news and reports"])


def _reader(request: Request, session: SessionDep) -> Principal:
    """The token's owner when a token is sent, else an anonymous reader of published news."""
    if request.headers.get("authorization"):
        return api_principal(request, session)
    return ANONYMOUS


ReaderDep = Annotated[Principal, Depends(_reader)]


def news_out(item: NewsItem) -> NewsOut:
    """An item with its sanitised HTML in both languages."""
    out = NewsOut.model_validate(item)
    out.body_html_zh = news.render_markdown(item.body_zh)
    out.body_html_en = news.render_markdown(item.body_en)
    out.agreement_ids = [a.id for a in item.agreements]
    out.institution_ids = [i.id for i in item.institutions]
    return out


@router.get(
    "/news", response_model=PageOut[NewsOut], summary="Published news (drafts too for their publishers)"
)
def list_news(
    session: SessionDep,
    reader: ReaderDep,
    q: str | None = Query(None, max_length=200),
    kind: NewsKind | None = None,
    status_: NewsStatus | None = Query(None, alias="status"),
    year: int | None = Query(None, ge=1900, le=2200),
    agreement_id: int | None = Query(None, gt=0),
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(25, ge=1, le=500),
) -> Any:
    filters = {"kind": kind, "status": status_, "year": year, "agreement_id": agreement_id}
    query = ListQuery(
        q=q, filters={k: v for k, v in filters.items() if v is not None}, page=page, page_size=page_size
    )
    result = (
        news.list_news(session, reader, query) if reader.authenticated else news.list_public(session, query)
    )
    return page_body(result, news_out)


@router.get("/news/{news_id}", response_model=NewsOut, summary="One news item (not counted as a read)")
def get_news(news_id: int, session: SessionDep, reader: ReaderDep) -> Any:
    return news_out(news.get_news(session, reader, news_id))


@router.post(
    "/news", response_model=NewsOut, status_code=status.HTTP_201_CREATED, summary="Write a news item"
)
def create_news(data: NewsIn, session: SessionDep, principal: ApiPrincipal) -> Any:
    item = news.create_news(session, principal, data)
    session.commit()
    return news_out(item)


@router.put("/news/{news_id}", response_model=NewsOut, summary="Replace a news item")
def update_news(
    news_id: int,
    data: NewsIn,
    session: SessionDep,
    principal: ApiPrincipal,
    if_match: str | None = Header(None, description="The version you edited; a stale one gets 409."),
) -> Any:
    item = news.update_news(session, principal, news_id, data, if_match_version(if_match))
    session.commit()
    return news_out(item)


@router.post("/news/{news_id}/archive", response_model=NewsOut, summary="Archive a news item")
def archive_news(news_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
    item = news.archive_news(session, principal, news_id, None)
    session.commit()
    return news_out(item)


class CommitmentScore(BaseModel):
    """One accepted commitment and its fulfilment (computed from its tasks unless overridden)."""

    commitment_id: int
    action: str
    due_on: date | None
    state: Fulfilment
    override_reason: str | None
    task_ids: list[int]


class ScorecardOut(BaseModel):
    """An agreement's scorecard as of a date."""

    agreement_id: int
    as_of: date
    states: dict[Fulfilment, int]
    fulfilment_rate: float | None
    commitments: list[CommitmentScore]


@router.get(
    "/agreements/{agreement_id}/scorecard", response_model=ScorecardOut, summary="An agreement's scorecard"
)
def scorecard(
    agreement_id: int,
    session: SessionDep,
    principal: ApiPrincipal,
    as_of: date | None = Query(None, description="Judge on this date (default today)."),
) -> Any:
    board = dashboards.for_agreement(session, principal, agreement_id, as_of or clock.today())
    card = board.scorecards[0]
    return ScorecardOut(
        agreement_id=agreement_id,
        as_of=card.as_of,
        states=card.states,
        fulfilment_rate=card.rate,
        commitments=[
            CommitmentScore(
                commitment_id=row.commitment.id,
                action=row.commitment.action,
                due_on=row.commitment.due_on,
                state=row.state,
                override_reason=row.commitment.fulfilment_reason,
                task_ids=[t.id for t in row.tasks],
            )
            for row in card.commitments
        ],
    )


class FulfilmentOut(BaseModel):
    """A commitment's fulfilment on a date: computed from its tasks unless a coordinator set it."""

    commitment_id: int
    as_of: date
    year: int | None
    state: Fulfilment
    override: Fulfilment | None
    reason: str | None


class FulfilmentIn(BaseModel):
    """Set the fulfilment of a commitment (with the reason), or give ``state: null`` to compute it again."""

    state: Fulfilment | None
    reason: str | None = None


def _fulfilment_out(session: Any, commitment_id: int, as_of: date, year: int | None) -> FulfilmentOut:
    period = Period(date(year, 1, 1), date(year, 12, 31)) if year is not None else None
    judged = min(as_of, period.end) if period is not None else as_of
    row = session.execute(
        select(Commitment, fulfilment.fulfilment_sql(judged, period)).where(Commitment.id == commitment_id)
    ).one()
    commitment, state = row
    return FulfilmentOut(
        commitment_id=commitment.id,
        as_of=judged,
        year=year,
        state=Fulfilment(state),
        override=commitment.fulfilment_override,
        reason=commitment.fulfilment_reason,
    )


@router.get(
    "/commitments/{commitment_id}/fulfilment",
    response_model=FulfilmentOut,
    summary="A commitment's fulfilment (from its tasks, or as a coordinator set it)",
)
def get_fulfilment(
    commitment_id: int,
    session: SessionDep,
    principal: ApiPrincipal,
    as_of: date | None = Query(None, description="Judge on this date (default today)."),
    year: int | None = Query(
        None, ge=1990, le=2100, description="Judge a recurring commitment on that year's occurrences."
    ),
) -> Any:
    today = as_of or clock.today()
    fulfilment.describe(session, principal, commitment_id, today)
    return _fulfilment_out(session, commitment_id, today, year)


@router.put(
    "/commitments/{commitment_id}/fulfilment",
    response_model=FulfilmentOut,
    summary="Override a commitment's fulfilment with a reason (or clear the override)",
)
def put_fulfilment(
    commitment_id: int,
    data: FulfilmentIn,
    session: SessionDep,
    principal: ApiPrincipal,
    if_match: str | None = Header(None, description="The version you edited; a stale one gets 409."),
) -> Any:
    fulfilment.set_override(
        session, principal, commitment_id, data.state, data.reason, if_match_version(if_match)
    )
    session.commit()
    return _fulfilment_out(session, commitment_id, clock.today(), None)


@router.get(
    "/reports/annual",
    summary="The annual cooperation report as PDF or XLSX",
    responses={200: {"content": {"application/pdf": {}, reports.FORMATS["xlsx"]: {}}}},
)
def annual_report(
    session: SessionDep,
    principal: ApiPrincipal,
    year: str = Query(..., description="2021, or a span such as 2020-2021", max_length=9),
    partner_id: int = Query(..., gt=0),
    lang: str = Query("zh_Hans", pattern="^(zh_Hans|en)$"),
    format: str = Query("pdf", pattern="^(pdf|xlsx)$"),
) -> Response:
    first, last = reports.parse_years(year)
    token = set_language(lang)
    try:
        report = reports.build(
            session, principal, first_year=first, last_year=last, partner_id=partner_id,
            today=clock.today(),
        )  # fmt: skip
        body = reports.render(report, format)
    finally:
        reset_language(token)
    return Response(
        body,
        media_type=reports.FORMATS[format],
        headers={"Content-Disposition": f'attachment; filename="{reports.filename(report, format)}"'},
    )
