"""Schemas of the portfolio: institutions (stages, KPIs), joint projects, talent programmes and cohorts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints

from accord.models import IndicatorUnit, InstitutionKind, InstitutionStage, ProgrammeKind
from accord.schemas.common import (
    InputModel,
    LongText,
    OptionalDate,
    OptionalId,
    OutputModel,
    RecordId,
    Text200,
    Text300,
    blank_to_none,
)

Text10 = Annotated[Annotated[str, StringConstraints(max_length=10)] | None, BeforeValidator(blank_to_none)]
Share = Annotated[
    Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)] | None,
    BeforeValidator(blank_to_none),
]
Amount = Annotated[
    Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)] | None, BeforeValidator(blank_to_none)
]
Measure = Annotated[
    Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=4)] | None, BeforeValidator(blank_to_none)
]


class OrganisationRef(InputModel):
    """An organisation taking part."""

    organisation_id: RecordId


class PersonRef(InputModel):
    """A person taking part."""

    person_id: RecordId


class CommitmentRef(InputModel):
    """An accepted commitment this record fulfils."""

    commitment_id: RecordId


class SharedPartyIn(InputModel):
    """A party of an institution with its share in percent (the shares add up to at most 100)."""

    organisation_id: RecordId
    share: Share = None


class CommitmentBrief(OutputModel):
    """A fulfilled commitment as the API returns it."""

    id: int
    agreement_id: int
    action: str


class InstitutionIn(InputModel):
    """Fields a person writes for an institution; ``stage`` and ``stage_since`` are the starting point.

    Later stage changes go through their own action, which keeps the dated history.
    """

    name_zh: Text200 = None
    name_en: Text200 = None
    kind: InstitutionKind
    stage: InstitutionStage = InstitutionStage.PROPOSED
    stage_since: OptionalDate = None
    agreement_id: OptionalId = None
    summary_zh: LongText = None
    summary_en: LongText = None
    parties: list[SharedPartyIn] = Field(min_length=1, max_length=20)
    fulfils: list[CommitmentRef] = Field(default_factory=list, max_length=200)


class StageChangeIn(InputModel):
    """Move an institution to another stage on a date; going back needs a note."""

    stage: InstitutionStage
    changed_on: date
    note: LongText = None


class IndicatorIn(InputModel):
    """A KPI: what is measured, in which unit, and the target."""

    name_zh: Text200 = None
    name_en: Text200 = None
    unit: IndicatorUnit
    target: Measure = None


class IndicatorValueIn(InputModel):
    """The value of a KPI for a period; ``unit``, when given, must be the indicator's."""

    period: str = Field(min_length=1, max_length=10)
    value: Decimal = Field(max_digits=16, decimal_places=4)
    unit: Annotated[IndicatorUnit | None, BeforeValidator(blank_to_none)] = None


class SharedPartyOut(OutputModel):
    """A party of an institution as the API returns it."""

    organisation_id: int
    share: Decimal | None


class StageChangeOut(OutputModel):
    """One dated step of an institution's lifecycle."""

    from_stage: InstitutionStage | None
    stage: InstitutionStage
    changed_on: date
    note: str | None
    actor_label: str


class IndicatorValueOut(OutputModel):
    """A periodic KPI value."""

    period: str
    value: Decimal


class IndicatorOut(OutputModel):
    """A KPI with its values."""

    id: int
    name_zh: str | None
    name_en: str | None
    unit: IndicatorUnit
    target: Decimal | None
    values: list[IndicatorValueOut]


class InstitutionOut(OutputModel):
    """An institution as the API returns it."""

    id: int
    name_zh: str | None
    name_en: str | None
    kind: InstitutionKind
    stage: InstitutionStage
    stage_since: date | None
    agreement_id: int | None
    summary_zh: str | None
    summary_en: str | None
    parties: list[SharedPartyOut]
    stages: list[StageChangeOut]
    indicators: list[IndicatorOut]
    commitments: list[CommitmentBrief]
    version: int
    archived_at: datetime | None


class ProjectIn(InputModel):
    """Fields a person writes for a joint project."""

    title_zh: Text300 = None
    title_en: Text300 = None
    agreement_id: OptionalId = None
    budget: Amount = None
    currency: Text10 = None
    funding_zh: LongText = None
    funding_en: LongText = None
    start_on: OptionalDate = None
    end_on: OptionalDate = None
    outputs_zh: LongText = None
    outputs_en: LongText = None
    parties: list[OrganisationRef] = Field(min_length=1, max_length=20)
    leads: list[PersonRef] = Field(default_factory=list, max_length=20)
    fulfils: list[CommitmentRef] = Field(default_factory=list, max_length=200)


class OrganisationRefOut(OutputModel):
    """An organisation taking part."""

    organisation_id: int


class PersonRefOut(OutputModel):
    """A person taking part."""

    person_id: int


class ProjectOut(OutputModel):
    """A joint project as the API returns it."""

    id: int
    title_zh: str | None
    title_en: str | None
    agreement_id: int | None
    budget: Decimal | None
    currency: str | None
    funding_zh: str | None
    funding_en: str | None
    start_on: date | None
    end_on: date | None
    outputs_zh: str | None
    outputs_en: str | None
    parties: list[OrganisationRefOut]
    leads: list[PersonRefOut]
    commitments: list[CommitmentBrief]
    version: int
    archived_at: datetime | None


class ProgrammeIn(InputModel):
    """Fields a person writes for a talent programme."""

    title_zh: Text300 = None
    title_en: Text300 = None
    kind: ProgrammeKind
    agreement_id: OptionalId = None
    outcomes_zh: LongText = None
    outcomes_en: LongText = None
    parties: list[OrganisationRef] = Field(min_length=1, max_length=20)
    fulfils: list[CommitmentRef] = Field(default_factory=list, max_length=200)


class CohortCountIn(InputModel):
    """How many participants one organisation sent."""

    organisation_id: RecordId
    participants: int = Field(ge=0, le=1_000_000)


class CohortIn(InputModel):
    """One class or intake of a programme."""

    name_zh: Text200 = None
    name_en: Text200 = None
    start_on: date
    end_on: OptionalDate = None
    outcomes_zh: LongText = None
    outcomes_en: LongText = None
    counts: list[CohortCountIn] = Field(default_factory=list, max_length=50)


class CohortCountOut(OutputModel):
    """Participants from one organisation."""

    organisation_id: int
    participants: int


class CohortOut(OutputModel):
    """A cohort as the API returns it."""

    id: int
    name_zh: str | None
    name_en: str | None
    start_on: date
    end_on: date | None
    outcomes_zh: str | None
    outcomes_en: str | None
    counts: list[CohortCountOut]
    participants: int


class ProgrammeOut(OutputModel):
    """A programme as the API returns it."""

    id: int
    title_zh: str | None
    title_en: str | None
    kind: ProgrammeKind
    agreement_id: int | None
    outcomes_zh: str | None
    outcomes_en: str | None
    parties: list[OrganisationRefOut]
    cohorts: list[CohortOut]
    commitments: list[CommitmentBrief]
    version: int
    archived_at: datetime | None
