"""Delivery logic: computed task status, recurrence, reminder/escalation planning and transports.

Pure library code: no web, database or settings imports. The app supplies the
data (tasks, recipients, keys already sent, SMTP settings) and stores results.
"""

from accord.delivery.channels import (
    EmailResult,
    SmtpConfig,
    WebhookResult,
    build_email,
    next_attempt_after,
    send_email,
    send_webhook,
    verify_signature,
)
from accord.delivery.escalation import (
    EscalationPolicy,
    Level,
    Notice,
    NoticeKind,
    Recipient,
    WatchedTask,
    plan_notices,
)
from accord.delivery.messages import RenderedNotice, TaskInfo, render_notice
from accord.delivery.recurrence import RecurrenceError, occurrences, rrule_for
from accord.delivery.status import (
    CommitmentState,
    CommitmentTask,
    Health,
    Rollup,
    TaskStatus,
    commitment_state,
    expected_progress,
    rollup,
    task_status,
)

__all__ = [
    "CommitmentState",
    "CommitmentTask",
    "EmailResult",
    "EscalationPolicy",
    "Health",
    "Level",
    "Notice",
    "NoticeKind",
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
    "commitment_state",
    "expected_progress",
    "next_attempt_after",
    "occurrences",
    "plan_notices",
    "render_notice",
    "rollup",
    "rrule_for",
    "send_email",
    "send_webhook",
    "task_status",
    "verify_signature",
]
