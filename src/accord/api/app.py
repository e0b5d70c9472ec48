"""The /api/v1 application: registry routers, OpenAPI, and a readable docs page."""

from functools import cache
from typing import Any

import swagger_ui_bundle
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from accord import __version__
from accord.api import channels as channels_api
from accord.api import intake as intake_api
from accord.api import jobs as jobs_api
from accord.api import matching as matching_api
from accord.api import news as news_api
from accord.api import onboarding as onboarding_api
from accord.api import outbox as outbox_api
from accord.api import portfolio as portfolio_api
from accord.api import problems
from accord.api import tasks as tasks_api
from accord.api.crud import crud_router
from accord.api.operations import build_openapi
from accord.models import AgreementKind, AgreementStatus, OrgKind
from accord.schemas.common import MAX_ID
from accord.schemas.registry import (
    AgreementIn,
    AgreementOut,
    OrganisationIn,
    OrganisationOut,
    PersonIn,
    PersonOut,
    SigningEventIn,
    SigningEventOut,
)
from accord.services import agreements, events, organisations, people
from accord.web.render import render


def _organisation_filters(
    kind: OrgKind | None = None, parent_id: int | None = Query(None, gt=0, le=MAX_ID)
) -> dict[str, Any]:
    return {"kind": kind, "parent_id": parent_id}


def _person_filters(organisation_id: int | None = Query(None, gt=0, le=MAX_ID)) -> dict[str, Any]:
    return {"organisation_id": organisation_id}


def _event_filters(
    organiser_id: int | None = Query(None, gt=0, le=MAX_ID), year: int | None = Query(None, ge=1900, le=2200)
) -> dict[str, Any]:
    return {"organiser_id": organiser_id, "year": year}


def _agreement_filters(
    kind: AgreementKind | None = None,
    status: AgreementStatus | None = None,
    organisation_id: int | None = Query(None, gt=0, le=MAX_ID),
    year: int | None = Query(None, ge=1900, le=2200),
) -> dict[str, Any]:
    return {"kind": kind, "status": status, "organisation_id": organisation_id, "year": year}


@cache
def _registry_routers() -> tuple[APIRouter, ...]:
    """The four registry routers, built once per process like the other modules' routers (building one
    analyses every endpoint's parameters and models: most of what making an application costs)."""
    return (
        crud_router(
            prefix="/organisations",
            tag="organisations",
            noun="organisation",
            schema_in=OrganisationIn,
            schema_out=OrganisationOut,
            list_fn=organisations.list_organisations,
            get_fn=organisations.get_organisation,
            create_fn=organisations.create_organisation,
            update_fn=organisations.update_organisation,
            archive_fn=organisations.archive_organisation,
            filters=Depends(_organisation_filters),
            sorts=list(organisations.SORTS),
        ),
        crud_router(
            prefix="/people",
            tag="people",
            noun="person",
            schema_in=PersonIn,
            schema_out=PersonOut,
            list_fn=people.list_people,
            get_fn=people.get_person,
            create_fn=people.create_person,
            update_fn=people.update_person,
            archive_fn=people.archive_person,
            filters=Depends(_person_filters),
            sorts=list(people.SORTS),
        ),
        crud_router(
            prefix="/events",
            tag="signing events",
            noun="signing event",
            schema_in=SigningEventIn,
            schema_out=SigningEventOut,
            list_fn=events.list_events,
            get_fn=events.get_event,
            create_fn=events.create_event,
            update_fn=events.update_event,
            archive_fn=events.archive_event,
            filters=Depends(_event_filters),
            sorts=list(events.SORTS),
        ),
        crud_router(
            prefix="/agreements",
            tag="agreements",
            noun="agreement",
            schema_in=AgreementIn,
            schema_out=AgreementOut,
            list_fn=agreements.list_agreements,
            get_fn=agreements.get_agreement,
            create_fn=agreements.create_agreement,
            update_fn=agreements.update_agreement,
            archive_fn=agreements.archive_agreement,
            filters=Depends(_agreement_filters),
            sorts=list(agreements.SORTS),
        ),
    )


def create_api() -> FastAPI:
    """The JSON API, mounted by the web application at /api/v1."""
    api = FastAPI(
        title="Accord API",
        version=__version__,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        responses=problems.PROBLEM_RESPONSES,
        description="Registry of cooperation agreements. Authenticate with `Authorization: Bearer <token>` "
        "(create a token on your account page). Errors are RFC 9457 problem details.",
    )
    problems.install(api)
    for router in _registry_routers():
        api.include_router(router)
    api.include_router(intake_api.router)

    api.include_router(jobs_api.router)

    api.include_router(onboarding_api.router)

    api.include_router(tasks_api.router)

    api.include_router(outbox_api.router)

    api.include_router(news_api.router)

    api.include_router(portfolio_api.router)

    api.include_router(matching_api.router)

    api.include_router(channels_api.router)

    api.openapi = lambda: build_openapi(api)  # type: ignore[method-assign]

    # Swagger UI's own files, served from the installed package (no CDN); the page that starts it is ours.
    api.mount(
        "/docs/assets", StaticFiles(directory=str(swagger_ui_bundle.swagger_ui_path)), name="swagger-ui"
    )

    @api.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        schema = api.openapi()
        return render(request, "api_docs.html", {"schema": schema})

    return api
