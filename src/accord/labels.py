"""Translatable labels for the enumerations shown to people."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.i18n import N_, gettext
from accord.models import AgreementKind, AgreementStatus, OrgKind, Recurrence, Review, Role

ORG_KIND_LABELS: dict[OrgKind, str] = {
    OrgKind.UNIVERSITY: N_("University"),
    OrgKind.GOVERNMENT: N_("Government body"),
    OrgKind.ENTERPRISE: N_("Enterprise"),
    OrgKind.HOSPITAL: N_("Hospital"),
    OrgKind.INSTITUTE: N_("Institute"),
    OrgKind.OTHER: N_("Other"),
}

AGREEMENT_KIND_LABELS: dict[AgreementKind, str] = {
    AgreementKind.STRATEGIC: N_("Strategic cooperation agreement"),
    AgreementKind.FRAMEWORK: N_("Framework agreement"),
    AgreementKind.COOPERATIVE_OPERATION: N_("Cooperative operation agreement"),
    AgreementKind.MOU: N_("Memorandum of understanding"),
    AgreementKind.OTHER: N_("Other agreement"),
}

AGREEMENT_STATUS_LABELS: dict[AgreementStatus, str] = {
    AgreementStatus.DRAFT: N_("Draft"),
    AgreementStatus.SIGNED: N_("Signed"),
    AgreementStatus.IN_FORCE: N_("In force"),
    AgreementStatus.EXPIRED: N_("Expired"),
    AgreementStatus.TERMINATED: N_("Terminated"),
}

ROLE_LABELS: dict[Role, str] = {
    Role.COORDINATOR: N_("Coordinator"),
    Role.MEMBER: N_("Member"),
    Role.VIEWER: N_("Viewer"),
}


def choice_label(labels: Mapping[Any, str], value: object) -> str:
    """The translated label of an enum value (its raw value if unknown)."""
    for key, label in labels.items():
        if key == value:
            return gettext(label)
    return str(value)


def options(labels: Mapping[Any, str]) -> list[tuple[str, str]]:
    """(value, translated label) pairs for a select."""
    return [(str(getattr(key, "value", key)), gettext(label)) for key, label in labels.items()]


REVIEW_LABELS: dict[Review, str] = {
    Review.PROPOSED: N_("Proposed"),
    Review.ACCEPTED: N_("Accepted"),
    Review.REJECTED: N_("Rejected"),
}

RECURRENCE_LABELS: dict[Recurrence, str] = {
    Recurrence.ANNUAL: N_("Every year"),
    Recurrence.SEMIANNUAL: N_("Every half year"),
    Recurrence.QUARTERLY: N_("Every quarter"),
    Recurrence.MONTHLY: N_("Every month"),
}
