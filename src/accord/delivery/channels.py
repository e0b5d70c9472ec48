"""Transports for notices: e-mail over SMTP and signed JSON webhooks.

Senders never raise: a worker loops over many notices and one bad mail server
or endpoint must not stop the rest. Every failure comes back as a result with
the error text, which the app records with the attempt count and uses with
:func:`next_attempt_after` to schedule the retry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

import httpx

from accord.delivery.escalation import Notice
from accord.delivery.messages import RenderedNotice, TaskInfo, render_notice

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "EmailResult",
    "SmtpConfig",
    "WebhookResult",
    "build_email",
    "next_attempt_after",
    "render_notice",
    "send_email",
    "send_webhook",
    "sign",
    "verify_signature",
    "webhook_body",
    "webhook_payload",
]

SIGNATURE_HEADER = "X-Accord-Signature"
TIMESTAMP_HEADER = "X-Accord-Timestamp"
_SIGNATURE_PREFIX = "sha256="
DEFAULT_MAX_ATTEMPTS = 10
_ERROR_LIMIT = 500  # keep stored error text bounded; servers can answer with whole HTML pages


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text[:_ERROR_LIMIT]


# --- retry ---------------------------------------------------------------------------------------


def next_attempt_after(
    attempts: int,
    *,
    base: timedelta = timedelta(minutes=1),
    cap: timedelta = timedelta(hours=6),
) -> timedelta:
    """Delay before the next try after ``attempts`` failed attempts: base * 2**(attempts-1), capped.

    Defaults give 1, 2, 4, ... 256 minutes, then 6 hours. Deterministic on
    purpose; add jitter in the worker if many notices fail together.
    """
    if attempts < 1:
        return timedelta(0)
    # Past 2**20 the product would overflow timedelta long before any sane cap.
    exponent = min(attempts - 1, 20)
    delay: timedelta = base * (1 << exponent)
    return min(delay, cap)


# --- e-mail --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int = 587
    sender: str = "accord@localhost"
    sender_name: str = "Accord"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    use_ssl: bool = False  # implicit TLS (port 465); excludes starttls
    timeout: float = 10.0
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class EmailResult:
    ok: bool
    error: str | None = None
    refused: tuple[str, ...] = ()  # recipients the server rejected while accepting others


def build_email(
    rendered: RenderedNotice,
    *,
    sender: str,
    sender_name: str,
    to: str,
    to_name: str = "",
    notice_key: str | None = None,
    domain: str = "accord.invalid",
) -> EmailMessage:
    """A UTF-8 plain-text message; the notice key doubles as a stable Message-ID.

    A retried send of the same notice then carries the same Message-ID, so mail
    clients and archives can fold duplicates if a retry races a slow success.
    """
    msg = EmailMessage()
    msg["Subject"] = rendered.subject
    msg["From"] = Address(display_name=sender_name, addr_spec=sender)
    msg["To"] = Address(display_name=to_name, addr_spec=to)
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    if notice_key is not None:
        digest = hashlib.sha256(notice_key.encode()).hexdigest()[:32]
        msg["Message-ID"] = f"<{digest}@{domain}>"
        msg["X-Accord-Notice"] = notice_key
    msg.set_content(rendered.body, charset="utf-8")
    # After set_content, which replaces all Content-* headers.
    msg["Content-Language"] = "zh-CN" if rendered.language == "zh" else "en"
    return msg


def send_email(smtp: SmtpConfig, message: EmailMessage) -> EmailResult:
    """Send one message; any failure (connect, TLS, auth, refusal) becomes ``ok=False``."""
    try:
        # Built only when TLS is used: loading the CA bundle is not free.
        context = smtp.ssl_context or (
            ssl.create_default_context() if smtp.use_ssl or smtp.starttls else None
        )
        client: smtplib.SMTP
        if smtp.use_ssl:
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with client:
            if smtp.starttls and not smtp.use_ssl:
                client.starttls(context=context)
            if smtp.username is not None:
                client.login(smtp.username, smtp.password or "")
            refused = client.send_message(message)
    except Exception as exc:  # the contract is "never raise": record the text, let the worker retry
        return EmailResult(ok=False, error=_describe(exc))
    if refused:
        names = tuple(sorted(refused))
        return EmailResult(ok=False, error=f"recipients refused: {', '.join(names)}", refused=names)
    return EmailResult(ok=True)


# --- webhooks ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WebhookResult:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    # False for answers a retry will not fix (4xx other than 408/429); the
    # worker should mark the notice failed instead of backing off.
    retryable: bool = True


def sign(secret: str, body: bytes) -> str:
    """Header value for ``body``: ``sha256=`` + hex HMAC-SHA256 keyed with ``secret``."""
    mac = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return _SIGNATURE_PREFIX + mac


def verify_signature(secret: str, body: bytes, header: str | None) -> bool:
    """True when ``header`` is a valid signature of the raw ``body``; compares in constant time."""
    if not header or not header.startswith(_SIGNATURE_PREFIX):
        return False
    return hmac.compare_digest(sign(secret, body).encode("ascii"), header.strip().encode("utf-8"))


def webhook_body(payload: Mapping[str, Any]) -> bytes:
    """Canonical JSON bytes: sorted keys, no spaces, UTF-8 (Chinese text is not escaped)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def webhook_payload(notice: Notice, rendered: RenderedNotice, task_info: TaskInfo) -> dict[str, Any]:
    """The JSON document posted for a notice; ``key`` lets receivers drop duplicates."""
    return {
        "type": f"accord.notice.{notice.kind.value}",
        "key": notice.key,
        "task_id": notice.task_id,
        "kind": notice.kind.value,
        "level": notice.level.value,
        "due": notice.due.isoformat(),
        "days": notice.days,
        "recipient": {"id": notice.recipient.id, "name": notice.recipient.name},
        "language": rendered.language,
        "subject": rendered.subject,
        "body": rendered.body,
        "task": {
            "title": task_info.title,
            "agreement": task_info.agreement_title,
            "url": task_info.url,
            "progress_percent": task_info.progress_percent,
        },
    }


def send_webhook(
    url: str,
    payload: Mapping[str, Any],
    secret: str,
    timeout: float = 10.0,
    *,
    now: datetime | None = None,
    transport: httpx.BaseTransport | None = None,
) -> WebhookResult:
    """POST ``payload`` as signed JSON; 2xx is success, anything else a result with the error.

    Redirects are not followed: a signed notice must reach the configured URL
    or fail visibly.
    """
    try:
        body = webhook_body(payload)
        moment = now or datetime.now(UTC)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Accord-Webhook/1",
            SIGNATURE_HEADER: sign(secret, body),
            TIMESTAMP_HEADER: str(int(moment.timestamp())),
        }
        with httpx.Client(timeout=timeout, follow_redirects=False, transport=transport) as client:
            response = client.post(url, content=body, headers=headers)
    except Exception as exc:  # the contract is "never raise": record the text, let the worker retry
        return WebhookResult(ok=False, error=_describe(exc))
    code = response.status_code
    if 200 <= code < 300:
        return WebhookResult(ok=True, status_code=code)
    excerpt = response.text[:200].strip()
    retryable = code >= 500 or code in (408, 429)
    return WebhookResult(
        ok=False, status_code=code, error=f"HTTP {code}: {excerpt}"[:_ERROR_LIMIT], retryable=retryable
    )
