"""Schemas of matchmaking: works and authorships, demands, matches and ranked suggestions."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from accord.models import AuthorState, DemandStatus, MatchStatus, MatchTarget, WorkKind
from accord.schemas.common import (
    InputModel,
    LongText,
    OptionalDate,
    OptionalId,
    OutputModel,
    RecordId,
    Text100,
    Text200,
    Text300,
    blank_to_none,
)

Required300 = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Required500 = Annotated[str, StringConstraints(min_length=1, max_length=500)]
RequiredLong = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
AuthorName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text8 = Annotated[Annotated[str, StringConstraints(max_length=8)] | None, BeforeValidator(blank_to_none)]
Text10 = Annotated[Annotated[str, StringConstraints(max_length=10)] | None, BeforeValidator(blank_to_none)]
Text50 = Annotated[Annotated[str, StringConstraints(max_length=50)] | None, BeforeValidator(blank_to_none)]
Year = Annotated[Annotated[int, Field(ge=1000, le=2999)] | None, BeforeValidator(blank_to_none)]
Amount = Annotated[
    Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)] | None, BeforeValidator(blank_to_none)
]

_BUDGET = re.compile(
    r"^(?:[¥￥]|RMB|CNY)?\s*([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(万|亿)?\s*(?:元|人民币|RMB|CNY)?$", re.IGNORECASE
)
_UNITS = {None: Decimal(1), "万": Decimal(10_000), "亿": Decimal(100_000_000)}


def read_budget(value: object) -> object:
    """A budget as people write it: 800000, 800,000, ¥800,000, 80万, 80万元, 1.5亿 (in yuan)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    found = _BUDGET.match(text)
    if found is None:
        raise PydanticCustomError("budget_format", "unreadable budget")
    number = Decimal(found.group(1).replace(",", "").replace("，", ""))
    return (number * _UNITS[found.group(2)]).quantize(Decimal("0.01"))


Budget = Annotated[
    Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)] | None, BeforeValidator(read_budget)
]


class WorkIn(InputModel):
    """A publication or patent with its author names as written."""

    kind: WorkKind = WorkKind.PAPER
    title: Required500
    abstract: LongText = None
    keywords: LongText = None
    year: Year = None
    venue: Text300 = None
    doi: Text200 = None
    patent_number: Text100 = None
    language: Text8 = None
    authors: list[AuthorName] = Field(default_factory=list, max_length=100)


class AuthorshipOut(OutputModel):
    """An author of a work and the person it is linked to."""

    id: int
    position: int
    name: str
    person_id: int | None
    state: AuthorState
    confidence: float | None


class WorkOut(OutputModel):
    """A work as the API returns it."""

    id: int
    kind: WorkKind
    title: str
    abstract: str | None
    keywords: str | None
    year: int | None
    venue: str | None
    doi: str | None
    patent_number: str | None
    language: str | None
    source: str | None
    authors: list[AuthorshipOut]
    version: int
    archived_at: datetime | None


class LineError(OutputModel):
    """A malformed entry of an imported file."""

    line: int
    message: str


class ImportOut(OutputModel):
    """What an import read, and what it stored (nothing when there were errors and it was not lenient)."""

    read: int
    errors: list[LineError]
    imported: int
    skipped_duplicates: int
    pending_reviews: int


class DemandIn(InputModel):
    """What a signed-in user writes for a demand."""

    title: Required300
    description: RequiredLong
    field: Text100 = None
    budget: Budget = None
    currency: Text10 = None
    deadline: OptionalDate = None
    organisation_id: OptionalId = None


class PublicDemandIn(InputModel):
    """What a visitor writes on the public demand form (contact details instead of an account)."""

    title: Required300
    description: RequiredLong
    field: Text100 = None
    budget: Budget = None
    currency: Text10 = None
    deadline: OptionalDate = None
    contact_name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    contact_organisation: Text200 = None
    contact_email: Annotated[
        str, StringConstraints(min_length=3, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    ]
    contact_phone: Text50 = None


class DemandOut(OutputModel):
    """A demand as the API returns it."""

    id: int
    title: str
    description: str
    field: str | None
    budget: Decimal | None
    currency: str | None
    deadline: date | None
    language: str | None
    status: DemandStatus
    organisation_id: int | None
    public: bool
    version: int
    created_at: datetime


class MatchSendIn(InputModel):
    """Send a suggestion for a demand on to the expert (or the owner of an achievement, or a lab)."""

    target: MatchTarget
    target_id: RecordId
    note: LongText = None


class MatchResponseIn(InputModel):
    """The expert's answer."""

    status: MatchStatus
    responded_on: OptionalDate = None
    note: LongText = None


class MatchProjectIn(InputModel):
    """Turn an accepted match into a joint project."""

    agreement_id: OptionalId = None
    start_on: OptionalDate = None


class MatchOut(OutputModel):
    """A match that was sent, with its response."""

    id: int
    demand_id: int
    target: MatchTarget
    person_id: int | None
    achievement_id: int | None
    organisation_id: int | None
    score: float | None
    status: MatchStatus
    sent_on: date
    sent_by: str
    note: str | None
    responded_on: date | None
    response_note: str | None
    project_id: int | None
    version: int


class TermOut(OutputModel):
    """A matched term: the word of the demand it came from, and the translation when it crossed languages."""

    term: str
    origin: str
    source: str
    via: str
    contribution: float


class ReadableTermOut(OutputModel):
    """A matched term as a person reads it: a demand's word, "word → the sense that matched", or a
    related word from the documents."""

    text: str
    source: str
    origin: str
    gloss: str
    contribution: float


class SpanOut(OutputModel):
    """A highlighted part of a snippet (character offsets)."""

    start: int
    end: int
    term: str


class EvidenceOut(OutputModel):
    """A supporting document of a suggestion with a snippet."""

    doc_id: str
    title: str
    snippet: str
    spans: list[SpanOut]
    score: float


class SuggestionOut(OutputModel):
    """One ranked suggestion for a demand, explained."""

    target: MatchTarget
    target_id: int
    label: str
    organisation: str | None
    score: float
    rank: int
    relative: float
    summary: str
    readable_terms: list[ReadableTermOut]
    matched_terms: list[TermOut]
    translated_terms: list[TermOut]
    documents: list[EvidenceOut]
    breakdown: dict[str, float]


class RankingOut(OutputModel):
    """Experts, achievements and labs for a demand."""

    demand_id: int
    reason: str | None
    experts: list[SuggestionOut]
    achievements: list[SuggestionOut]
    labs: list[SuggestionOut]
