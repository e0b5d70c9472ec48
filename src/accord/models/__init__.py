"""Mapped classes, one module per concept; importing this package registers them all."""

from accord.models.agreement import Agreement, AgreementKind, AgreementParty, AgreementStatus, SignedDocument
from accord.models.audit import AuditEntry
from accord.models.base import Base
from accord.models.event import EventAttendee, SigningEvent
from accord.models.organisation import Organisation, OrgKind
from accord.models.person import Person
from accord.models.user import ApiToken, Membership, Role, User

__all__ = [
    "Agreement",
    "AgreementKind",
    "AgreementParty",
    "AgreementStatus",
    "ApiToken",
    "AuditEntry",
    "Base",
    "EventAttendee",
    "Membership",
    "OrgKind",
    "Organisation",
    "Person",
    "Role",
    "SignedDocument",
    "SigningEvent",
    "User",
]
