"""Schemas of technology transfer: achievements, pipeline moves, deals, and the public catalogue."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from accord.models import DealType, IPType, PipelineStage
from accord.schemas.common import (
    InputModel,
    LongText,
    OptionalDate,
    OptionalId,
    OutputModel,
    RecordId,
    Text100,
    Text300,
)
from accord.schemas.portfolio import (
    Amount,
    CommitmentBrief,
    CommitmentRef,
    OrganisationRef,
    OrganisationRefOut,
    PersonRef,
    PersonRefOut,
    Text10,
)


class AchievementIn(InputModel):
    """Fields a person writes for an achievement; its stage moves through the pipeline separately."""

    title_zh: Text300 = None
    title_en: Text300 = None
    ip_type: IPType
    ip_numbers: Text300 = None
    maturity: int = Field(ge=1, le=9)
    field_zh: Text100 = None
    field_en: Text100 = None
    abstract_zh: LongText = None
    abstract_en: LongText = None
    public: bool = False
    agreement_id: OptionalId = None
    owners: list[OrganisationRef] = Field(min_length=1, max_length=20)
    inventors: list[PersonRef] = Field(default_factory=list, max_length=50)


class MoveIn(InputModel):
    """Move an achievement to another pipeline stage; going back (or reopening) needs a reason."""

    to_stage: PipelineStage
    reason: LongText = None


class MoveOut(OutputModel):
    """One recorded move."""

    from_stage: PipelineStage | None
    to_stage: PipelineStage
    reason: str | None
    actor_label: str
    at: datetime


class AchievementOut(OutputModel):
    """An achievement as the API returns it."""

    id: int
    title_zh: str | None
    title_en: str | None
    ip_type: IPType
    ip_numbers: str | None
    maturity: int
    field_zh: str | None
    field_en: str | None
    abstract_zh: str | None
    abstract_en: str | None
    public: bool
    stage: PipelineStage
    agreement_id: int | None
    owners: list[OrganisationRefOut]
    inventors: list[PersonRefOut]
    moves: list[MoveOut]
    version: int
    archived_at: datetime | None


class PublicAchievementOut(OutputModel):
    """What the public catalogue shows of an achievement (no pipeline or deal details)."""

    id: int
    title_zh: str | None
    title_en: str | None
    ip_type: IPType
    maturity: int
    field_zh: str | None
    field_en: str | None
    abstract_zh: str | None
    abstract_en: str | None


class DealIn(InputModel):
    """A transfer of an achievement; an amount needs its currency (and the other way round)."""

    achievement_id: RecordId
    deal_type: DealType
    amount: Amount = None
    currency: Text10 = None
    signed_on: OptionalDate = None
    agreement_id: OptionalId = None
    note_zh: LongText = None
    note_en: LongText = None
    parties: list[OrganisationRef] = Field(default_factory=list, max_length=20)
    fulfils: list[CommitmentRef] = Field(default_factory=list, max_length=200)


class DealOut(OutputModel):
    """A deal as the API returns it."""

    id: int
    achievement_id: int
    deal_type: DealType
    amount: Decimal | None
    currency: str | None
    signed_on: date | None
    agreement_id: int | None
    note_zh: str | None
    note_en: str | None
    parties: list[OrganisationRefOut]
    commitments: list[CommitmentBrief]
    version: int
    archived_at: datetime | None
