"""Schemas of the registry: organisations, people, signing events, agreements."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BeforeValidator, EmailStr, Field

from accord.models import AgreementKind, AgreementStatus, OrgKind
from accord.schemas.common import (
    InputModel,
    LongText,
    OptionalDate,
    OptionalId,
    OutputModel,
    RecordId,
    Text60,
    Text100,
    Text200,
    Text300,
    blank_to_none,
)


class OrganisationIn(InputModel):
    """Fields a person writes for an organisation."""

    name_zh: Text200 = None
    name_en: Text200 = None
    short_name_zh: Text60 = None
    short_name_en: Text60 = None
    kind: OrgKind
    parent_id: OptionalId = None
    region_zh: Text100 = None
    region_en: Text100 = None
    website: Text300 = None


class OrganisationOut(OutputModel):
    """An organisation as the API returns it."""

    id: int
    name_zh: str | None
    name_en: str | None
    short_name_zh: str | None
    short_name_en: str | None
    kind: OrgKind
    parent_id: int | None
    region_zh: str | None
    region_en: str | None
    website: str | None
    version: int
    archived_at: datetime | None


class PersonIn(InputModel):
    """Fields a person writes for a person."""

    name_zh: Text100 = None
    name_en: Text100 = None
    title_zh: Text300 = None
    title_en: Text300 = None
    organisation_id: OptionalId = None
    email: Annotated[EmailStr | None, BeforeValidator(blank_to_none)] = None
    phone: Text60 = None


class PersonOut(OutputModel):
    """A person as the API returns them."""

    id: int
    name_zh: str | None
    name_en: str | None
    title_zh: str | None
    title_en: str | None
    organisation_id: int | None
    email: str | None
    phone: str | None
    version: int
    archived_at: datetime | None


class AttendeeIn(InputModel):
    """A person present at an event, with their role there."""

    person_id: RecordId
    role_zh: Text200 = None
    role_en: Text200 = None


class AttendeeOut(OutputModel):
    """An attendee as the API returns them."""

    person_id: int
    role_zh: str | None
    role_en: str | None


class SigningEventIn(InputModel):
    """Fields a person writes for a signing event."""

    title_zh: Text300 = None
    title_en: Text300 = None
    held_on: date
    place_zh: Text200 = None
    place_en: Text200 = None
    organiser_id: OptionalId = None
    attendees: list[AttendeeIn] = Field(default_factory=list, max_length=500)


class SigningEventOut(OutputModel):
    """A signing event as the API returns it."""

    id: int
    title_zh: str | None
    title_en: str | None
    held_on: date
    place_zh: str | None
    place_en: str | None
    organiser_id: int | None
    attendees: list[AttendeeOut]
    version: int
    archived_at: datetime | None


class PartyIn(InputModel):
    """One party of an agreement, in order (the first is party A)."""

    organisation_id: RecordId
    signatory_id: OptionalId = None


class PartyOut(OutputModel):
    """A party as the API returns it."""

    organisation_id: int
    position: int
    signatory_id: int | None


class AgreementIn(InputModel):
    """Fields a person writes for an agreement."""

    title_zh: Text300 = None
    title_en: Text300 = None
    kind: AgreementKind
    status: AgreementStatus = AgreementStatus.SIGNED
    signed_on: OptionalDate = None
    effective_from: OptionalDate = None
    expires_on: OptionalDate = None
    term_zh: Text100 = None
    term_en: Text100 = None
    summary_zh: LongText = None
    summary_en: LongText = None
    signing_event_id: OptionalId = None
    parent_id: OptionalId = None
    parties: list[PartyIn] = Field(min_length=2, max_length=26)


class DocumentOut(OutputModel):
    """An attached original as the API returns it."""

    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class AgreementOut(OutputModel):
    """An agreement as the API returns it."""

    id: int
    title_zh: str | None
    title_en: str | None
    kind: AgreementKind
    status: AgreementStatus
    signed_on: date | None
    effective_from: date | None
    expires_on: date | None
    term_zh: str | None
    term_en: str | None
    summary_zh: str | None
    summary_en: str | None
    signing_event_id: int | None
    parent_id: int | None
    parties: list[PartyOut]
    documents: list[DocumentOut]
    version: int
    archived_at: datetime | None
