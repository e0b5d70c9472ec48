"""Mapped classes, one module per concept; importing this package registers them all."""

from accord.models.agreement import Agreement, AgreementKind, AgreementParty, AgreementStatus, SignedDocument
from accord.models.audit import AuditEntry
from accord.models.base import Base
from accord.models.commitment import Commitment, Recurrence, Review
from accord.models.event import EventAttendee, SigningEvent
from accord.models.organisation import Organisation, OrgKind
from accord.models.person import Person
from accord.models.task import (
    Evidence,
    NoticeChannel,
    NoticeRecord,
    NoticeState,
    Occurrence,
    ProgressUpdate,
    Task,
    TaskKind,
)
from accord.models.text import AgreementText, Clause
from accord.models.user import ApiToken, Membership, Role, User

__all__ = [
    "Agreement",
    "AgreementKind",
    "AgreementParty",
    "AgreementStatus",
    "AgreementText",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Clause",
    "Commitment",
    "EventAttendee",
    "Evidence",
    "Membership",
    "NoticeChannel",
    "NoticeRecord",
    "NoticeState",
    "Occurrence",
    "OrgKind",
    "Organisation",
    "Person",
    "ProgressUpdate",
    "Recurrence",
    "Review",
    "Role",
    "SignedDocument",
    "SigningEvent",
    "Task",
    "TaskKind",
    "User",
]
