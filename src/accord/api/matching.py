"""API routes of matchmaking: works (list, get, import), demands, ranked suggestions and matches.

Annotations are real objects here (no postponed evaluation) because FastAPI reads them.
"""

from typing import Any

from fastapi import APIRouter, Query, Request, UploadFile

from accord.api.crud import page_body
from accord.api.deps import ApiPrincipal
from accord.deps import SessionDep, SettingsDep
from accord.models import DemandStatus, WorkKind
from accord.schemas.common import PageOut
from accord.schemas.matching import (
    DemandIn,
    DemandOut,
    ImportOut,
    MatchOut,
    MatchProjectIn,
    MatchResponseIn,
    MatchSendIn,
    RankingOut,
    WorkOut,
)
from accord.services import demands, files, matching, works
from accord.services.listing import ListQuery

router = APIRouter(tags=["matchmaking"])


def _index(request: Request) -> Any:
    return matching.index_dir(request.app.state.settings.data_dir)


@router.get("/works", response_model=PageOut[WorkOut], summary="List publications and patents")
def list_works(
    session: SessionDep,
    principal: ApiPrincipal,
    q: str | None = Query(None, max_length=200),
    kind: WorkKind | None = None,
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=500),
) -> Any:
    result = works.list_works(
        session, principal, ListQuery(q=q, filters={"kind": kind}, page=page, page_size=page_size)
    )
    return page_body(result)


@router.get("/works/{work_id}", response_model=WorkOut, summary="One publication or patent")
def get_work(work_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
    return works.get_work(session, principal, work_id)


@router.post("/works/import", response_model=ImportOut, summary="Import works from CSV, JSONL, BibTeX or RIS")
def import_works(
    file: UploadFile,
    session: SessionDep,
    principal: ApiPrincipal,
    settings: SettingsDep,
    lenient: bool = Query(False, description="Import the valid records even when some entries have errors."),
) -> Any:
    data = files.read_upload(file.file, settings.upload_max_bytes)
    result = works.read_upload(data, file.filename or "", settings.upload_max_bytes)
    outcome = works.import_records(
        session, principal, result, works.format_of(file.filename or "") or "file", lenient=lenient
    )
    session.commit()  # with errors and not lenient, import_records has stored nothing
    return outcome


@router.get("/demands", response_model=PageOut[DemandOut], summary="List demands")
def list_demands(
    session: SessionDep,
    principal: ApiPrincipal,
    q: str | None = Query(None, max_length=200),
    status: DemandStatus | None = None,
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=500),
) -> Any:
    result = demands.list_demands(
        session, principal, ListQuery(q=q, filters={"status": status}, page=page, page_size=page_size)
    )
    return page_body(result)


@router.post("/demands", response_model=DemandOut, status_code=201, summary="Post a demand")
def create_demand(data: DemandIn, session: SessionDep, principal: ApiPrincipal) -> Any:
    demand = demands.create_demand(session, principal, data)
    session.commit()
    return demand


@router.get("/demands/{demand_id}", response_model=DemandOut, summary="One demand")
def get_demand(demand_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
    return demands.get_demand(session, principal, demand_id)


@router.get(
    "/demands/{demand_id}/suggestions",
    response_model=RankingOut,
    summary="Experts, achievements and labs for a demand, explained",
)
def suggestions(
    demand_id: int,
    request: Request,
    session: SessionDep,
    principal: ApiPrincipal,
    organisation_id: int | None = Query(None, gt=0, le=2147483647),
    field: str | None = Query(None, max_length=100),
    since: int | None = Query(None, ge=1000, le=2999, description="Only works from this year on."),
) -> Any:
    demand = demands.get_demand(session, principal, demand_id)
    ranking = matching.rank(
        session, principal, _index(request), demand, matching.RankFilters(organisation_id, field, since)
    )
    return {
        "demand_id": demand.id,
        "reason": ranking.reason,
        "experts": [s.as_dict() for s in ranking.experts],
        "achievements": [s.as_dict() for s in ranking.achievements],
        "labs": [s.as_dict() for s in ranking.labs],
    }


@router.get(
    "/demands/{demand_id}/matches", response_model=list[MatchOut], summary="Matches sent for a demand"
)
def list_matches(demand_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
    return matching.matches_of(session, demands.get_demand(session, principal, demand_id))


@router.post(
    "/demands/{demand_id}/matches",
    response_model=MatchOut,
    status_code=201,
    summary="Send a match to the expert",
)
def send_match(
    demand_id: int, data: MatchSendIn, request: Request, session: SessionDep, principal: ApiPrincipal
) -> Any:
    match = matching.send_match(session, principal, _index(request), demand_id, data)
    session.commit()
    return match


@router.post("/matches/{match_id}/response", response_model=MatchOut, summary="Record the expert's response")
def respond(match_id: int, data: MatchResponseIn, session: SessionDep, principal: ApiPrincipal) -> Any:
    match = matching.respond(session, principal, match_id, data, None)
    session.commit()
    return match


@router.post(
    "/matches/{match_id}/project",
    response_model=MatchOut,
    summary="Turn an accepted match into a joint project",
)
def to_project(match_id: int, data: MatchProjectIn, session: SessionDep, principal: ApiPrincipal) -> Any:
    match = matching.to_project(session, principal, match_id, data, None)
    session.commit()
    return match
