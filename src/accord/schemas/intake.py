"""Schemas for reviewing commitments."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from accord.models import Origin, Recurrence, Review
from accord.schemas.common import (
    InputModel,
    OptionalDate,
    OptionalId,
    OutputModel,
    RecordId,
    Text60,
    Text100,
    Text200,
    blank_to_none,
)

OptionalRecurrence = Annotated[Recurrence | None, BeforeValidator(blank_to_none)]
OptionalDecimal = Annotated[Decimal | None, BeforeValidator(blank_to_none)]


class CommitmentEdit(InputModel):
    """What a reviewer may correct on a commitment."""

    party_label: Text100 = None
    organisation_id: OptionalId = None
    action: str = Field(min_length=1, max_length=2000)
    due_text: Text200 = None
    due_on: OptionalDate = None
    recurrence: OptionalRecurrence = None
    amount_text: Text200 = None
    amount_value: OptionalDecimal = None
    amount_unit: Text60 = None
    currency: Annotated[Annotated[str, Field(max_length=10)] | None, BeforeValidator(blank_to_none)] = None
    conditional: bool = False
    note: Annotated[Annotated[str, Field(max_length=2000)] | None, BeforeValidator(blank_to_none)] = None


class CommitmentNew(CommitmentEdit):
    """A commitment added by hand; ``quote`` ties it to a passage of the current text."""

    quote: Annotated[Annotated[str, Field(max_length=5000)] | None, BeforeValidator(blank_to_none)] = None


class ReviewIn(InputModel):
    """Accept, reject or reset several commitments."""

    ids: list[RecordId] = Field(min_length=1, max_length=1000)
    review: Review


class CommitmentOut(OutputModel):
    """A commitment as the API returns it."""

    id: int
    agreement_id: int
    clause_id: int | None
    party_label: str | None
    organisation_id: int | None
    action: str
    due_text: str | None
    due_on: object | None
    recurrence: Recurrence | None
    amount_text: str | None
    amount_value: Decimal | None
    amount_unit: str | None
    currency: str | None
    conditional: bool
    quote: str | None
    quote_start: int | None
    quote_end: int | None
    review: Review
    origin: Origin
    needs_recheck: bool
    version: int


class ClauseOut(OutputModel):
    """A clause of the current text."""

    id: int
    number: str | None
    heading: str | None
    level: int
    path: str
    start: int
    end: int
    change: str


class TextOut(BaseModel):
    """The current text of an agreement with its clauses."""

    version_no: int
    lang: str
    source_format: str
    fallback_paragraphs: bool
    body: str
    clauses: list[ClauseOut]
