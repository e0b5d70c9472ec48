"""Translatable labels for the enumerations shown to people: one table per enumeration, used by pages,
API documentation, services (charts, reports, exports) and the command line alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.delivery import Fulfilment, Health, TaskStatus
from accord.i18n import N_, gettext
from accord.models import (
    AgreementKind,
    AgreementStatus,
    AuthorState,
    DealType,
    DemandStatus,
    IndicatorUnit,
    InstitutionKind,
    InstitutionStage,
    IPType,
    MatchStatus,
    NewsKind,
    NewsStatus,
    NoticeChannel,
    OrgKind,
    PipelineStage,
    ProgrammeKind,
    Recurrence,
    Review,
    Role,
    TaskKind,
    WorkKind,
)

# The platforms a notice channel delivers to, as the settings pages name them.
CHANNEL_PLATFORM_LABELS: dict[NoticeChannel, str] = {
    NoticeChannel.WECOM: N_("WeCom group robot"),
    NoticeChannel.DINGTALK: N_("DingTalk robot"),
    NoticeChannel.FEISHU: N_("Feishu / Lark bot"),
    NoticeChannel.SLACK: N_("Slack incoming webhook"),
    NoticeChannel.TEAMS: N_("Microsoft Teams incoming webhook"),
    NoticeChannel.WEBHOOK: N_("Signed webhook"),
    NoticeChannel.EMAIL: N_("E-mail address"),
}

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


TASK_STATUS_LABELS: dict[TaskStatus, str] = {
    TaskStatus.NOT_STARTED: N_("Not started"),
    TaskStatus.ON_TRACK: N_("On track"),
    TaskStatus.AT_RISK: N_("At risk"),
    TaskStatus.OVERDUE: N_("Overdue"),
    TaskStatus.DONE: N_("Done"),
    TaskStatus.CANCELLED: N_("Cancelled"),
}


HEALTH_LABELS: dict[Health, str] = {
    Health.GREEN: N_("Healthy"),
    Health.AMBER: N_("Needs attention"),
    Health.RED: N_("In trouble"),
}


COMMITMENT_STATE_LABELS: dict[Fulfilment, str] = {
    Fulfilment.FULFILLED: N_("Fulfilled"),
    Fulfilment.PARTLY_FULFILLED: N_("Partly fulfilled"),
    Fulfilment.IN_PROGRESS: N_("In progress"),
    Fulfilment.OVERDUE: N_("Overdue"),
    Fulfilment.NOT_STARTED: N_("Not started"),
    Fulfilment.WAIVED: N_("Waived"),
}


TASK_KIND_LABELS: dict[TaskKind, str] = {
    TaskKind.TASK: N_("Task"),
    TaskKind.MILESTONE: N_("Milestone"),
}


INSTITUTION_STAGE_LABELS: dict[InstitutionStage, str] = {
    InstitutionStage.PROPOSED: N_("In preparation"),
    InstitutionStage.APPROVED: N_("Approved"),
    InstitutionStage.UNDER_CONSTRUCTION: N_("Under construction"),
    InstitutionStage.OPERATING: N_("Operating"),
    InstitutionStage.EVALUATED: N_("Evaluated"),
    InstitutionStage.CLOSED: N_("Closed"),
}


PIPELINE_STAGE_LABELS: dict[PipelineStage, str] = {
    PipelineStage.LISTED: N_("Listed"),
    PipelineStage.MATCHED: N_("Matched"),
    PipelineStage.NEGOTIATING: N_("Negotiating"),
    PipelineStage.LICENSED: N_("Licensed"),
    PipelineStage.TRANSFERRED: N_("Transferred"),
    PipelineStage.EQUITY: N_("Equity stake"),
    PipelineStage.INDUSTRIALISED: N_("Industrialised"),
    PipelineStage.WITHDRAWN: N_("Withdrawn"),
}


INSTITUTION_KIND_LABELS: dict[InstitutionKind, str] = {
    InstitutionKind.HOSPITAL: N_("Affiliated hospital"),
    InstitutionKind.INSTITUTE: N_("Research institute"),
    InstitutionKind.BRANCH: N_("Branch"),
    InstitutionKind.KEY_LAB: N_("Key laboratory"),
    InstitutionKind.RD_CENTRE: N_("R&D centre"),
    InstitutionKind.INCUBATOR: N_("Incubator"),
    InstitutionKind.JOINT_COLLEGE: N_("Joint college"),
    InstitutionKind.OTHER: N_("Other institution"),
}


INDICATOR_UNIT_LABELS: dict[IndicatorUnit, str] = {
    IndicatorUnit.COUNT: N_("count"),
    IndicatorUnit.PEOPLE: N_("people"),
    IndicatorUnit.BEDS: N_("beds"),
    IndicatorUnit.VISITS: N_("patient visits"),
    IndicatorUnit.PROJECTS: N_("projects"),
    IndicatorUnit.PATENTS: N_("patents"),
    IndicatorUnit.FIRMS: N_("firms"),
    IndicatorUnit.CNY: N_("yuan (CNY)"),
    IndicatorUnit.CNY_10K: N_("10,000 yuan (CNY)"),
    IndicatorUnit.PERCENT: N_("percent"),
}


PROGRAMME_KIND_LABELS: dict[ProgrammeKind, str] = {
    ProgrammeKind.JOINT_CULTIVATION: N_("Joint cultivation"),
    ProgrammeKind.CADRE_TRAINING: N_("Cadre training"),
    ProgrammeKind.SECONDMENT: N_("Secondment"),
    ProgrammeKind.INTERNSHIP: N_("Internship"),
    ProgrammeKind.OTHER: N_("Other programme"),
}


IP_TYPE_LABELS: dict[IPType, str] = {
    IPType.PATENT: N_("Patent"),
    IPType.SOFTWARE_COPYRIGHT: N_("Software copyright"),
    IPType.KNOW_HOW: N_("Know-how"),
    IPType.OTHER: N_("Other intellectual property"),
}


DEAL_TYPE_LABELS: dict[DealType, str] = {
    DealType.LICENCE: N_("Licence"),
    DealType.ASSIGNMENT: N_("Assignment of rights"),
    DealType.EQUITY: N_("Equity investment"),
    DealType.SERVICE: N_("Technical service"),
}


WORK_KIND_LABELS: dict[WorkKind, str] = {
    WorkKind.PAPER: N_("Paper"),
    WorkKind.PATENT: N_("Patent"),
}


DEMAND_STATUS_LABELS: dict[DemandStatus, str] = {
    DemandStatus.OPEN: N_("Open"),
    DemandStatus.CLOSED: N_("Closed"),
}


MATCH_STATUS_LABELS: dict[MatchStatus, str] = {
    MatchStatus.SENT: N_("Sent to the expert"),
    MatchStatus.ACCEPTED: N_("Accepted"),
    MatchStatus.DECLINED: N_("Declined"),
}


AUTHOR_STATE_LABELS: dict[AuthorState, str] = {
    AuthorState.MATCHED: N_("Linked"),
    AuthorState.PENDING: N_("Awaiting review"),
    AuthorState.CONFIRMED: N_("Confirmed"),
    AuthorState.UNMATCHED: N_("Not in the registry"),
}


NEWS_KIND_LABELS: dict[NewsKind, str] = {
    NewsKind.NEWS: N_("News"),
    NewsKind.NOTICE: N_("Notice"),
}


NEWS_STATUS_LABELS: dict[NewsStatus, str] = {
    NewsStatus.DRAFT: N_("Draft"),
    NewsStatus.PUBLISHED: N_("Published"),
}


# What a delivery notice is, whom it is for, how it went and by which channel (stored as plain strings).
NOTICE_LABELS: dict[str, str] = {
    "reminder": N_("Reminder"),
    "overdue": N_("Overdue"),
    "escalation": N_("Escalation"),
    "owner": N_("Owner"),
    "coordinator": N_("Coordinator"),
    "leadership": N_("Leadership"),
    "pending": N_("Pending"),
    "sent": N_("Sent"),
    "failed": N_("Failed"),
    "email": N_("E-mail"),
    "webhook": N_("Webhook"),
    "wecom": N_("WeCom"),
    "dingtalk": N_("DingTalk"),
    "feishu": N_("Feishu / Lark"),
    "slack": N_("Slack"),
    "teams": N_("Microsoft Teams"),
}
