"""Background jobs: a status page that refreshes itself, its JSON, and cancelling."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from accord.i18n import gettext
from accord.services import jobs
from accord.services.errors import ServiceError
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.render import render
from accord.web.saving import save_or_flash

router = APIRouter()

#: Seconds between reloads of a page that shows an active job (no JavaScript needed).
REFRESH_SECONDS = 2


def dispatch(request: Request, job_id: int) -> None:
    """Hand a committed job to this application's runner (a thread or the queue)."""
    request.app.state.jobs.dispatch(job_id)


@router.get("/jobs")
def job_list(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    items = jobs.recent_jobs(session, principal)
    return render(request, "jobs/list.html", {"jobs": items, **job_context()})


@router.get("/jobs/{job_id}")
def job_page(job_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    job = jobs.get_job(session, principal, job_id)
    return render(
        request,
        "jobs/detail.html",
        {"job": job, "refresh": REFRESH_SECONDS if job.active else None, **job_context()},
    )


@router.get("/jobs/{job_id}/status")
def job_status(job_id: int, session: SessionDep, principal: PrincipalDep) -> Response:
    job = jobs.get_job(session, principal, job_id)
    return JSONResponse(jobs.status(job), headers={"Cache-Control": "no-store"})


@router.post("/jobs/{job_id}/cancel")
def cancel(job_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    target = request.query_params.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = f"/jobs/{job_id}"
    return save_or_flash(
        request,
        session,
        lambda: jobs.request_cancel(session, principal, job_id),
        message=gettext("The job will stop after the step it is on."),
        target=target,
        catching=ServiceError,
    )


def job_context() -> dict[str, object]:
    """The helpers the job status block (``jobs/_status.html``) and lists of jobs use."""
    return {"describe": jobs.describe, "error_text": jobs.error_text, "kind_label": jobs.kind_label}
