"""Delivery logic: computed task status, recurrence, reminder/escalation planning and transports.

Pure library code: no web, database or settings imports. The app supplies the
data (tasks, recipients, keys already sent, SMTP settings) and stores results.
"""

from accord.delivery.channels import (
    DEFAULT_MAX_ATTEMPTS,
    EmailResult,
    SmtpConfig,
    WebhookResult,
    build_email,
    next_attempt_after,
    send_email,
    send_webhook,
    verify_signature,
    webhook_payload,
)
from accord.delivery.escalation import (
    EscalationPolicy,
    Level,
    Notice,
    NoticeKind,
    Recipient,
    WatchedTask,
    normalise_language,
    plan_notices,
)
from accord.delivery.fulfilment import Fulfilment, FulfilmentTask, Period, fulfilment, fulfilment_rate
from accord.delivery.messages import (
    MatchInfo,
    RenderedNotice,
    TaskInfo,
    render_match_invitation,
    render_notice,
)
from accord.delivery.messengers import (
    Card,
    Outgoing,
    Platform,
    PostResult,
    card_for,
    deliver,
    mask,
    prepare,
    sample_card,
)
from accord.delivery.recurrence import RecurrenceError, occurrences, rrule_for
from accord.delivery.status import (
    Health,
    HealthThresholds,
    Rollup,
    TaskStatus,
    expected_progress,
    rollup,
    rollup_counts,
    task_status,
)

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "Card",
    "EmailResult",
    "EscalationPolicy",
    "Fulfilment",
    "FulfilmentTask",
    "Health",
    "HealthThresholds",
    "Level",
    "MatchInfo",
    "Notice",
    "NoticeKind",
    "Outgoing",
    "Period",
    "Platform",
    "PostResult",
    "Recipient",
    "RecurrenceError",
    "RenderedNotice",
    "Rollup",
    "SmtpConfig",
    "TaskInfo",
    "TaskStatus",
    "WatchedTask",
    "WebhookResult",
    "build_email",
    "card_for",
    "deliver",
    "expected_progress",
    "fulfilment",
    "fulfilment_rate",
    "mask",
    "next_attempt_after",
    "normalise_language",
    "occurrences",
    "plan_notices",
    "prepare",
    "render_match_invitation",
    "render_notice",
    "rollup",
    "rollup_counts",
    "rrule_for",
    "sample_card",
    "send_email",
    "send_webhook",
    "task_status",
    "verify_signature",
    "webhook_payload",
]
