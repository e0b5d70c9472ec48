"""/api/v1/tasks: the supervision board, tasks, progress updates and bulk actions as JSON.

Annotations are real objects here (no postponed evaluation) because FastAPI reads them.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, status
from pydantic import BaseModel, Field

from accord import clock
from accord.api.crud import created_links, if_match_version, page_body
from accord.api.deps import ApiPrincipal
from accord.config import Settings
from accord.delivery import TaskStatus
from accord.deps import SessionDep, SettingsDep
from accord.models import Task
from accord.schemas.common import MAX_ID, PageOut
from accord.schemas.tasks import BulkIn, ProgressIn, ProgressOut, TaskIn, TaskOut
from accord.services import agreements, supervision, tasks
from accord.services.listing import ListQuery

router = APIRouter(prefix="/tasks", tags=["tasks"])
TaskId = Annotated[int, Path(gt=0, le=MAX_ID)]


def task_out(task: Task, settings: Settings, computed: TaskStatus | None = None) -> TaskOut:
    """A task with its computed status, its commitment's clause and, for a recurring task of an
    agreement without an end date, the note on how far its occurrences go (the page shows it too)."""
    out = TaskOut.model_validate(task)
    out.status = (computed or tasks.status_of(task, clock.today(), settings.at_risk_days)).value
    out.clause_id = task.commitment.clause_id if task.commitment is not None else None
    out.horizon_note = tasks.horizon_note(task, settings.recurrence_horizon_years)
    return out


@router.get("", response_model=PageOut[TaskOut], summary="The supervision board: tasks across agreements")
def list_tasks(
    session: SessionDep,
    principal: ApiPrincipal,
    settings: SettingsDep,
    q: str | None = Query(None, max_length=200),
    agreement_id: int | None = Query(None, gt=0, le=MAX_ID),
    organisation_id: int | None = Query(
        None, gt=0, le=MAX_ID, description="A party to the task's agreement."
    ),
    owner_id: int | None = Query(
        None, gt=0, le=MAX_ID, description="The owner organisation (or one above it)."
    ),
    status_: TaskStatus | None = Query(None, alias="status"),
    due_within: int | None = Query(None, ge=0, le=3660, description="Due within N days (overdue included)."),
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(25, ge=1, le=500),
) -> Any:
    filters = {
        "agreement_id": agreement_id,
        "organisation_id": organisation_id,
        "owner_id": owner_id,
        "status": status_.value if status_ else None,
        "due_within": due_within,
    }
    query = ListQuery(
        q=q, filters={k: v for k, v in filters.items() if v is not None}, page=page, page_size=page_size
    )
    result = supervision.board(
        session, principal, query, today=clock.today(), at_risk_days=settings.at_risk_days
    )
    return page_body(result, lambda row: task_out(row.task, settings, row.status))


@router.get("/{task_id}", response_model=TaskOut, summary="Get one task")
def get_task(task_id: TaskId, session: SessionDep, principal: ApiPrincipal, settings: SettingsDep) -> Any:
    return task_out(tasks.get_task(session, principal, task_id), settings)


@router.post(
    "",
    response_model=TaskOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create a task",
    responses={201: {"description": "Created", "links": created_links("/tasks", "task_id")}},
)
def create_task(data: TaskIn, session: SessionDep, principal: ApiPrincipal, settings: SettingsDep) -> Any:
    task = tasks.create_task(
        session,
        principal,
        data,
        max_occurrences=settings.max_occurrences,
        horizon_years=settings.recurrence_horizon_years,
    )
    session.commit()
    return task_out(task, settings)


class FromCommitmentsIn(BaseModel):
    """Tasks for every accepted commitment of an agreement that has none yet."""

    agreement_id: int = Field(gt=0, le=MAX_ID)
    rows: list[TaskIn] | None = Field(
        None, description="The tasks as edited; leave out to take the proposals as they are."
    )


@router.post(
    "/from-commitments",
    response_model=list[TaskOut],
    status_code=status.HTTP_201_CREATED,
    summary="Create the tasks of all accepted commitments at once",
)
def create_from_commitments(
    data: FromCommitmentsIn, session: SessionDep, principal: ApiPrincipal, settings: SettingsDep
) -> Any:
    if data.rows is None:
        agreement = agreements.get_agreement(session, principal, data.agreement_id)
        rows = [TaskIn(**d) for d in tasks.drafts_for_agreement(session, agreement, clock.today())]
    else:
        rows = data.rows
    made = tasks.create_for_commitments(
        session,
        principal,
        data.agreement_id,
        rows,
        max_occurrences=settings.max_occurrences,
        horizon_years=settings.recurrence_horizon_years,
    )
    session.commit()
    return [task_out(t, settings) for t in made]


@router.put("/{task_id}", response_model=TaskOut, summary="Replace a task's fields")
def update_task(
    task_id: TaskId,
    data: TaskIn,
    session: SessionDep,
    principal: ApiPrincipal,
    settings: SettingsDep,
    if_match: str | None = Header(None, description="The version you edited; a stale one gets 409."),
) -> Any:
    task = tasks.update_task(session, principal, task_id, data, if_match_version(if_match))
    session.commit()
    return task_out(task, settings)


@router.post("/{task_id}/archive", response_model=TaskOut, summary="Archive a task")
def archive_task(task_id: TaskId, session: SessionDep, principal: ApiPrincipal, settings: SettingsDep) -> Any:
    task = tasks.archive_task(session, principal, task_id, None)
    session.commit()
    return task_out(task, settings)


@router.get("/{task_id}/updates", response_model=list[ProgressOut], summary="A task's progress updates")
def list_updates(task_id: TaskId, session: SessionDep, principal: ApiPrincipal) -> Any:
    tasks.get_task(session, principal, task_id)
    return tasks.updates_of(session, task_id)


@router.post(
    "/{task_id}/updates",
    response_model=ProgressOut,
    status_code=status.HTTP_201_CREATED,
    summary="Report progress (percentage and/or metric value, note)",
)
def add_update(
    task_id: TaskId, data: ProgressIn, session: SessionDep, principal: ApiPrincipal, settings: SettingsDep
) -> Any:
    update = tasks.add_update(
        session,
        principal,
        task_id,
        data,
        today=clock.today(),
        files_dir=settings.files_dir,
        limit=settings.upload_max_bytes,
    )
    session.commit()
    return update


@router.post("/bulk", summary="Mark done, cancel or move the due date of several tasks")
def bulk(data: BulkIn, session: SessionDep, principal: ApiPrincipal) -> Any:
    changed = supervision.bulk(session, principal, data, today=clock.today())
    session.commit()
    return {"changed": changed}
