"""Background jobs in the JSON API: their state and progress, and cancelling."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from accord.api.deps import ApiPrincipal
from accord.deps import SessionDep
from accord.services import jobs

router = APIRouter(tags=["jobs"])


class JobOut(BaseModel):
    """A background job: state (queued, running, done, failed, cancelled), progress and messages
    in the caller's language."""

    id: int
    kind: str
    kind_label: str
    state: str
    done: int
    total: int | None
    percent: int | None
    message: str
    error: str | None
    cancel_requested: bool
    result: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@router.get("/jobs/{job_id}", response_model=JobOut, summary="A background job's state and progress")
def get_job(job_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
    return jobs.status(jobs.get_job(session, principal, job_id))


@router.post("/jobs/{job_id}/cancel", response_model=JobOut, summary="Ask a background job to stop")
def cancel_job(job_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
    job = jobs.request_cancel(session, principal, job_id)
    session.commit()
    return jobs.status(job)
