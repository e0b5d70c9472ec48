"""API routes of the portfolio and technology transfer: CRUD per concept plus stages, KPIs, cohorts,
pipeline moves, and the public catalogue (no token needed).

Annotations are real objects here (no postponed evaluation) because FastAPI reads them.
"""

from typing import Any

from fastapi import APIRouter, Depends, Query

from accord.api.crud import crud_router, page_body, record_action
from accord.deps import SessionDep
from accord.models import DealType, InstitutionKind, InstitutionStage, IPType, PipelineStage, ProgrammeKind
from accord.schemas.common import MAX_ID, PageOut
from accord.schemas.portfolio import (
    CohortIn,
    CohortOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorValueIn,
    IndicatorValueOut,
    InstitutionIn,
    InstitutionOut,
    ProgrammeIn,
    ProgrammeOut,
    ProjectIn,
    ProjectOut,
    StageChangeIn,
)
from accord.schemas.transfer import (
    AchievementIn,
    AchievementOut,
    DealIn,
    DealOut,
    MoveIn,
    PublicAchievementOut,
)
from accord.services import achievements, institutions, programmes, projects
from accord.services.listing import ListQuery


def _institution_filters(
    kind: InstitutionKind | None = None,
    stage: InstitutionStage | None = None,
    organisation_id: int | None = Query(None, gt=0, le=MAX_ID),
    agreement_id: int | None = Query(None, gt=0, le=MAX_ID),
) -> dict[str, Any]:
    return {"kind": kind, "stage": stage, "organisation_id": organisation_id, "agreement_id": agreement_id}


def _project_filters(
    organisation_id: int | None = Query(None, gt=0, le=MAX_ID),
    agreement_id: int | None = Query(None, gt=0, le=MAX_ID),
    year: int | None = Query(None, ge=1900, le=2200),
) -> dict[str, Any]:
    return {"organisation_id": organisation_id, "agreement_id": agreement_id, "year": year}


def _programme_filters(
    kind: ProgrammeKind | None = None,
    organisation_id: int | None = Query(None, gt=0, le=MAX_ID),
    agreement_id: int | None = Query(None, gt=0, le=MAX_ID),
) -> dict[str, Any]:
    return {"kind": kind, "organisation_id": organisation_id, "agreement_id": agreement_id}


def _achievement_filters(
    stage: PipelineStage | None = None,
    ip_type: IPType | None = None,
    organisation_id: int | None = Query(None, gt=0, le=MAX_ID),
    maturity: int | None = Query(None, ge=1, le=9, description="At least this maturity level."),
) -> dict[str, Any]:
    return {"stage": stage, "ip_type": ip_type, "organisation_id": organisation_id, "maturity": maturity}


def _deal_filters(
    deal_type: DealType | None = None,
    achievement_id: int | None = Query(None, gt=0, le=MAX_ID),
    agreement_id: int | None = Query(None, gt=0, le=MAX_ID),
    year: int | None = Query(None, ge=1900, le=2200),
) -> dict[str, Any]:
    return {
        "deal_type": deal_type,
        "achievement_id": achievement_id,
        "agreement_id": agreement_id,
        "year": year,
    }


def _actions() -> APIRouter:
    router = APIRouter()
    record_action(
        router,
        "/institutions/{item_id}/stage",
        institutions.change_stage,
        body=StageChangeIn,
        response_model=InstitutionOut,
        tag="institutions",
        summary="Move an institution to another lifecycle stage",
        versioned=True,
    )
    record_action(
        router,
        "/institutions/{item_id}/indicators",
        institutions.add_indicator,
        body=IndicatorIn,
        response_model=IndicatorOut,
        tag="institutions",
        summary="Add a KPI to an institution",
        status_code=201,
    )
    record_action(
        router,
        "/indicators/{item_id}/values",
        institutions.record_value,
        body=IndicatorValueIn,
        response_model=IndicatorValueOut,
        tag="institutions",
        summary="Record (or correct) a KPI value for a period",
        method="PUT",
    )
    record_action(
        router,
        "/programmes/{item_id}/cohorts",
        programmes.add_cohort,
        body=CohortIn,
        response_model=CohortOut,
        tag="programmes",
        summary="Add a cohort to a programme",
        status_code=201,
    )
    record_action(
        router,
        "/achievements/{item_id}/move",
        achievements.move,
        body=MoveIn,
        response_model=AchievementOut,
        tag="achievements",
        summary="Move an achievement along the transfer pipeline",
        versioned=True,
    )

    @router.get(
        "/catalogue",
        response_model=PageOut[PublicAchievementOut],
        tags=["catalogue"],
        summary="The public catalogue of achievements (no token needed)",
    )
    def catalogue(
        session: SessionDep,
        q: str | None = Query(None, max_length=200),
        ip_type: IPType | None = None,
        maturity: int | None = Query(None, ge=1, le=9),
        page: int = Query(1, ge=1, le=100000),
        page_size: int = Query(25, ge=1, le=500),
    ) -> Any:
        filters = {k: v for k, v in {"ip_type": ip_type, "maturity": maturity}.items() if v is not None}
        return page_body(
            achievements.list_public(session, ListQuery(q=q, filters=filters, page=page, page_size=page_size))
        )

    @router.get(
        "/catalogue/{item_id}",
        response_model=PublicAchievementOut,
        tags=["catalogue"],
        summary="One public achievement",
    )
    def catalogue_entry(item_id: int, session: SessionDep) -> Any:
        return achievements.get_public(session, item_id)

    return router


def portfolio_router() -> APIRouter:
    """Every portfolio and transfer route, to include in the API application."""
    router = APIRouter()
    # Actions first: their fixed paths (/catalogue) must win over nothing else, and /{id}/… never clash.
    router.include_router(_actions())
    router.include_router(
        crud_router(
            prefix="/institutions",
            tag="institutions",
            noun="co-built institution",
            schema_in=InstitutionIn,
            schema_out=InstitutionOut,
            list_fn=institutions.list_institutions,
            get_fn=institutions.get_institution,
            create_fn=institutions.create_institution,
            update_fn=institutions.update_institution,
            archive_fn=institutions.archive_institution,
            filters=Depends(_institution_filters),
            sorts=list(institutions.SORTS),
        )
    )
    router.include_router(
        crud_router(
            prefix="/projects",
            tag="projects",
            noun="joint project",
            schema_in=ProjectIn,
            schema_out=ProjectOut,
            list_fn=projects.list_projects,
            get_fn=projects.get_project,
            create_fn=projects.create_project,
            update_fn=projects.update_project,
            archive_fn=projects.archive_project,
            filters=Depends(_project_filters),
            sorts=list(projects.SORTS),
        )
    )
    router.include_router(
        crud_router(
            prefix="/programmes",
            tag="programmes",
            noun="programme",
            schema_in=ProgrammeIn,
            schema_out=ProgrammeOut,
            list_fn=programmes.list_programmes,
            get_fn=programmes.get_programme,
            create_fn=programmes.create_programme,
            update_fn=programmes.update_programme,
            archive_fn=programmes.archive_programme,
            filters=Depends(_programme_filters),
            sorts=list(programmes.SORTS),
        )
    )
    router.include_router(
        crud_router(
            prefix="/achievements",
            tag="achievements",
            noun="achievement",
            schema_in=AchievementIn,
            schema_out=AchievementOut,
            list_fn=achievements.list_achievements,
            get_fn=achievements.get_achievement,
            create_fn=achievements.create_achievement,
            update_fn=achievements.update_achievement,
            archive_fn=achievements.archive_achievement,
            filters=Depends(_achievement_filters),
            sorts=list(achievements.SORTS),
        )
    )
    router.include_router(
        crud_router(
            prefix="/deals",
            tag="deals",
            noun="deal",
            schema_in=DealIn,
            schema_out=DealOut,
            list_fn=achievements.list_deals,
            get_fn=achievements.get_deal,
            create_fn=achievements.create_deal,
            update_fn=achievements.update_deal,
            archive_fn=achievements.archive_deal,
            filters=Depends(_deal_filters),
            sorts=list(achievements.DEAL_SORTS),
        )
    )
    return router


router = portfolio_router()
