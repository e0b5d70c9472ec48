"""Schemas of delivery: tasks, progress updates, bulk actions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from accord.models import TaskKind
from accord.schemas.common import (
    InputModel,
    LongText,
    OptionalDate,
    OptionalId,
    OutputModel,
    RecordId,
    blank_to_none,
)


def _required_text(value: object) -> object:
    # A blank required field reads as missing, so the message says "required" rather than "wrong type".
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PydanticCustomError("missing", "Field required")
    return value


Title = Annotated[str, StringConstraints(min_length=1, max_length=300), BeforeValidator(_required_text)]
Unit = Annotated[Annotated[str, StringConstraints(max_length=50)] | None, BeforeValidator(blank_to_none)]
Rule = Annotated[Annotated[str, StringConstraints(max_length=300)] | None, BeforeValidator(blank_to_none)]
Percent = Annotated[
    Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)] | None,
    BeforeValidator(blank_to_none),
]
Amount = Annotated[
    Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=4)] | None, BeforeValidator(blank_to_none)
]
Checkbox = Annotated[bool, BeforeValidator(lambda v: v in (True, "1", "on", "true") if v != "" else False)]


class TaskIn(InputModel):
    """Fields a coordinator writes for a task or milestone."""

    title: Title
    kind: TaskKind = TaskKind.TASK
    description: LongText = None
    agreement_id: OptionalId = None
    commitment_id: OptionalId = None
    parent_id: OptionalId = None
    owner_organisation_id: RecordId
    owner_person_id: OptionalId = None
    owner_user_id: OptionalId = None
    start_on: OptionalDate = None
    due_on: date
    metric_target: Amount = None
    metric_unit: Unit = None
    # A preset (annual, semiannual, quarterly, monthly) or an iCalendar RRULE.
    recurrence_rule: Rule = None


class TaskOut(OutputModel):
    """A task as the API returns it, with its computed status."""

    id: int
    agreement_id: int
    commitment_id: int | None
    clause_id: int | None = None
    parent_id: int | None
    kind: TaskKind
    title: str
    description: str | None
    owner_organisation_id: int
    owner_person_id: int | None
    owner_user_id: int | None
    start_on: date | None
    due_on: date
    done: bool
    cancelled: bool
    progress_percent: Decimal
    metric_target: Decimal | None
    metric_unit: str | None
    metric_value: Decimal | None
    recurrence_rule: str | None
    status: str = ""
    horizon_note: str | None = None
    version: int
    archived_at: datetime | None


class ProgressIn(InputModel):
    """An owner's progress report: a percentage and/or a metric value, and a note."""

    percent: Percent = None
    metric_value: Amount = None
    note: LongText = None
    reported_on: OptionalDate = None
    done: Checkbox = False


class ProgressOut(OutputModel):
    """A progress update as the API returns it."""

    id: int
    task_id: int
    reported_on: date
    percent: Decimal | None
    metric_value: Decimal | None
    note: str | None
    author_label: str
    created_at: datetime


class BulkIn(InputModel):
    """A coordinator's action on several tasks of the board at once."""

    action: Literal["done", "cancel", "due"]
    task_ids: Annotated[list[RecordId], Field(min_length=1, max_length=500)]
    due_on: OptionalDate = None
