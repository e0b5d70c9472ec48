"""Notices for the messengers people read: WeCom (企业微信) and DingTalk (钉钉) group robots, Feishu/Lark
(飞书) bots, Slack and Microsoft Teams incoming webhooks, and Accord's own signed webhook.

Each platform gets its documented message format — a markdown message or a card with the task, the
due date, the status, the progress and a button back to the task — in the recipient's language, and
its own signature where it has one:

- DingTalk: ``sign = base64(HMAC-SHA256(key=secret, msg=f"{timestamp_ms}\\n{secret}"))``, sent as the
  ``timestamp`` and ``sign`` query parameters;
- Feishu/Lark: ``sign = base64(HMAC-SHA256(key=f"{timestamp_s}\\n{secret}", msg=b""))``, sent as the
  ``timestamp`` and ``sign`` fields of the JSON body;
- WeCom, Slack and Teams carry their secret in the webhook address itself;
- Accord's webhook: ``X-Accord-Signature: sha256=<hex HMAC of the body>`` (see :mod:`channels`).

:func:`prepare` builds the request (pure, testable without a network); :func:`deliver` posts it and
reads the platform's answer (WeCom and DingTalk answer 200 with ``errcode``, Feishu with ``code``), never
raising, like the other transports.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from accord.delivery.channels import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, webhook_body
from accord.delivery.escalation import Language, Level, Notice, NoticeKind, normalise_language
from accord.delivery.messages import RenderedNotice, TaskInfo, format_date

__all__ = [
    "Card",
    "Outgoing",
    "Platform",
    "PostResult",
    "card_for",
    "deliver",
    "dingtalk_signature",
    "feishu_signature",
    "mask",
    "prepare",
    "sample_card",
]


class Platform(StrEnum):
    """Where a channel delivers (e-mail is sent by :mod:`channels`)."""

    EMAIL = "email"
    WECOM = "wecom"
    DINGTALK = "dingtalk"
    FEISHU = "feishu"
    SLACK = "slack"
    TEAMS = "teams"
    WEBHOOK = "webhook"


@dataclass(frozen=True, slots=True)
class Card:
    """What every messenger shows, already worded in one language."""

    language: Language
    title: str  # the notice's subject
    text: str  # one or two sentences: what is asked of the reader
    task: str
    agreement: str
    due: str  # formatted date
    status: str  # "Overdue by 3 days", "即将到期（还有 3 天）"
    progress: str  # "60%"
    owner: str
    url: str
    urgent: bool  # overdue or escalated: red cards, warning colours


_LABELS: Final[dict[Language, dict[str, str]]] = {
    "zh": {
        "task": "任务",
        "agreement": "所属协议",
        "due": "到期日",
        "status": "状态",
        "progress": "进度",
        "owner": "负责人",
        "open": "查看任务",
        "footer": "Accord 协议落实平台自动发送",
    },
    "en": {
        "task": "Task",
        "agreement": "Agreement",
        "due": "Due",
        "status": "Status",
        "progress": "Progress",
        "owner": "Responsible",
        "open": "Open the task",
        "footer": "Sent automatically by Accord",
    },
}


def _status(notice: Notice, language: Language) -> str:
    days = notice.days
    if notice.kind is NoticeKind.REMINDER:
        if language == "zh":
            return "今天到期" if days == 0 else f"即将到期（还有 {days} 天）"
        return "Due today" if days == 0 else f"Due in {days} day{'s' if days != 1 else ''}"
    if language == "zh":
        extra = {Level.COORDINATOR: "，提请协调", Level.LEADERSHIP: "，报请督办"}.get(notice.level, "")
        return f"已逾期 {days} 天{extra}"
    tail = {Level.COORDINATOR: ", escalated to coordinators", Level.LEADERSHIP: ", escalated to leadership"}
    return f"Overdue by {days} day{'s' if days != 1 else ''}{tail.get(notice.level, '')}"


def _progress(value: float) -> str:
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%"


def card_for(notice: Notice, rendered: RenderedNotice, info: TaskInfo) -> Card:
    """The card of a reminder, overdue notice or escalation, in the rendered notice's language."""
    lang = rendered.language
    # The body's middle paragraphs say what is asked; greeting and footer are the messenger's own.
    paragraphs = [p.strip() for p in rendered.body.split("\n\n") if p.strip()]
    text = paragraphs[2] if len(paragraphs) > 3 else (paragraphs[1] if len(paragraphs) > 1 else "")
    return Card(
        language=lang,
        title=rendered.subject,
        text=text,
        task=info.title,
        agreement=info.agreement_title,
        due=format_date(notice.due, lang),
        status=_status(notice, lang),
        progress=_progress(info.progress_percent),
        owner=info.owner_name,
        url=info.url,
        urgent=notice.kind is not NoticeKind.REMINDER,
    )


_SAMPLE: Final[dict[Language, dict[str, str]]] = {
    "zh": {
        "title": "Accord 测试消息",
        "text": "这是通道「{channel}」的测试消息：任务提醒和督办通知将以这种形式送达。",
        "task": "（示例）建设联合实验室",
        "agreement": "（示例）全面深化战略合作协议",
        "due": "2026年12月31日",
        "status": "即将到期（还有 7 天）",
        "owner": "（示例）重庆大学",
    },
    "en": {
        "title": "Accord test message",
        "text": "This is a test of the channel “{channel}”: reminders and escalations will arrive like this.",
        "task": "(example) Set up the joint laboratory",
        "agreement": "(example) Agreement on comprehensively deepening strategic cooperation",
        "due": "31 December 2026",
        "status": "Due in 7 days",
        "owner": "(example) Chongqing University",
    },
}


def sample_card(language: str, url: str, channel_label: str) -> Card:
    """The message the settings page's "send a test message" button sends."""
    lang = normalise_language(language)
    sample = _SAMPLE[lang]
    return Card(
        language=lang,
        title=sample["title"],
        text=sample["text"].format(channel=channel_label),
        task=sample["task"],
        agreement=sample["agreement"],
        due=sample["due"],
        status=sample["status"],
        progress="60%",
        owner=sample["owner"],
        url=url,
        urgent=False,
    )


# --- signatures ----------------------------------------------------------------------------------


def dingtalk_signature(secret: str, timestamp_ms: int) -> str:
    """DingTalk robot signature: HMAC-SHA256 keyed with the secret over "timestamp\\nsecret", base64."""
    message = f"{timestamp_ms}\n{secret}".encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode("ascii")


def feishu_signature(secret: str, timestamp_s: int) -> str:
    """Feishu/Lark bot signature: HMAC-SHA256 keyed with "timestamp\\nsecret" over nothing, base64."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


# --- formats -------------------------------------------------------------------------------------


def _md_lines(card: Card, bold: str = "**") -> list[str]:
    labels = _LABELS[card.language]
    return [
        f"{bold}{labels['task']}{bold}: {card.task}",
        f"{bold}{labels['agreement']}{bold}: {card.agreement}",
        f"{bold}{labels['due']}{bold}: {card.due}",
        f"{bold}{labels['status']}{bold}: {card.status}",
        f"{bold}{labels['progress']}{bold}: {card.progress}",
        f"{bold}{labels['owner']}{bold}: {card.owner}",
    ]


def wecom_message(card: Card) -> dict[str, Any]:
    """WeCom group robot: ``msgtype: markdown`` (its markdown subset, with font colours)."""
    labels = _LABELS[card.language]
    colour = "warning" if card.urgent else "info"
    lines = [f"### {card.title}", f'<font color="{colour}">{card.status}</font>', ""]
    lines += [f"> {line}" for line in _md_lines(card)]
    lines += ["", card.text, "", f"[{labels['open']}]({card.url})"]
    return {"msgtype": "markdown", "markdown": {"content": "\n".join(lines)}}


def dingtalk_message(card: Card) -> dict[str, Any]:
    """DingTalk robot: an ``actionCard`` with markdown text and one button back to the task."""
    labels = _LABELS[card.language]
    lines = [f"### {card.title}", ""] + [f"- {line}" for line in _md_lines(card)] + ["", card.text]
    return {
        "msgtype": "actionCard",
        "actionCard": {
            "title": card.title,
            "text": "\n".join(lines),
            "btnOrientation": "0",
            "singleTitle": labels["open"],
            "singleURL": card.url,
        },
    }


def feishu_message(card: Card) -> dict[str, Any]:
    """Feishu/Lark bot: an interactive card (header, fields in lark_md, a button)."""
    labels = _LABELS[card.language]

    def field(key: str, value: str) -> dict[str, Any]:
        return {"is_short": True, "text": {"tag": "lark_md", "content": f"**{labels[key]}**\n{value}"}}

    return {
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {
                "title": {"tag": "plain_text", "content": card.title},
                "template": "red" if card.urgent else "blue",
            },
            "elements": [
                {"tag": "div", "text": {"tag": "lark_md", "content": card.text}},
                {
                    "tag": "div",
                    "fields": [
                        field("task", card.task),
                        field("agreement", card.agreement),
                        field("due", card.due),
                        field("status", card.status),
                        field("progress", card.progress),
                        field("owner", card.owner),
                    ],
                },
                {
                    "tag": "action",
                    "actions": [
                        {
                            "tag": "button",
                            "text": {"tag": "plain_text", "content": labels["open"]},
                            "type": "primary",
                            "url": card.url,
                        }
                    ],
                },
                {"tag": "note", "elements": [{"tag": "plain_text", "content": labels["footer"]}]},
            ],
        },
    }


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(card: Card) -> dict[str, Any]:
    """Slack incoming webhook: Block Kit (header, fields in mrkdwn, a button) with ``text`` as fallback."""
    labels = _LABELS[card.language]
    fields = [
        {"type": "mrkdwn", "text": f"*{labels[key]}*\n{_slack_escape(value)}"}
        for key, value in (
            ("task", card.task),
            ("agreement", card.agreement),
            ("due", card.due),
            ("status", card.status),
            ("progress", card.progress),
            ("owner", card.owner),
        )
    ]
    return {
        "text": f"{card.title} — {card.status}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": card.title[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(card.text) or " "}},
            {"type": "section", "fields": fields},
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": labels["open"]},
                        "url": card.url,
                        "style": "danger" if card.urgent else "primary",
                    }
                ],
            },
        ],
    }


def teams_message(card: Card) -> dict[str, Any]:
    """Microsoft Teams incoming webhook (or Workflows): a message with one Adaptive Card 1.4."""
    labels = _LABELS[card.language]
    facts = [
        {"title": labels[key], "value": value}
        for key, value in (
            ("task", card.task),
            ("agreement", card.agreement),
            ("due", card.due),
            ("status", card.status),
            ("progress", card.progress),
            ("owner", card.owner),
        )
    ]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "lang": "zh-CN" if card.language == "zh" else "en",
                    "body": [
                        {
                            "type": "TextBlock",
                            "text": card.title,
                            "weight": "Bolder",
                            "size": "Medium",
                            "wrap": True,
                            "color": "Attention" if card.urgent else "Default",
                        },
                        {"type": "TextBlock", "text": card.text, "wrap": True},
                        {"type": "FactSet", "facts": facts},
                    ],
                    "actions": [{"type": "Action.OpenUrl", "title": labels["open"], "url": card.url}],
                },
            }
        ],
    }


def generic_message(card: Card, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Accord's own webhook document for a card (a notice's adds its key, kind and ids in ``extra``)."""
    return {
        "type": "accord.test" if extra is None else extra.get("type", "accord.notice"),
        "language": card.language,
        "subject": card.title,
        "text": card.text,
        "status": card.status,
        "task": {
            "title": card.task,
            "agreement": card.agreement,
            "due": card.due,
            "progress": card.progress,
            "owner": card.owner,
            "url": card.url,
        },
        **({k: v for k, v in extra.items() if k != "type"} if extra else {}),
    }


# --- requests ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One HTTP request to a messenger, ready to post."""

    url: str
    body: bytes
    headers: dict[str, str]


def _json(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _with_query(url: str, extra: Mapping[str, str]) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in extra]
    return urlunsplit(parts._replace(query=urlencode([*query, *extra.items()])))


def prepare(
    platform: Platform,
    url: str,
    card: Card,
    *,
    secret: str = "",
    now: datetime | None = None,
    webhook_document: Mapping[str, Any] | None = None,
) -> Outgoing:
    """The signed request that delivers ``card`` on ``platform`` (not e-mail).

    ``webhook_document`` replaces the generic webhook's document (a notice's full payload).
    """
    moment = now or datetime.now(UTC)
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Accord-Notices/1"}
    if platform is Platform.WECOM:
        return Outgoing(url, _json(wecom_message(card)), headers)
    if platform is Platform.DINGTALK:
        if secret:
            stamp = int(moment.timestamp() * 1000)
            url = _with_query(url, {"timestamp": str(stamp), "sign": dingtalk_signature(secret, stamp)})
        return Outgoing(url, _json(dingtalk_message(card)), headers)
    if platform is Platform.FEISHU:
        message = feishu_message(card)
        if secret:
            stamp = int(moment.timestamp())
            message = {"timestamp": str(stamp), "sign": feishu_signature(secret, stamp), **message}
        return Outgoing(url, _json(message), headers)
    if platform is Platform.SLACK:
        return Outgoing(url, _json(slack_message(card)), headers)
    if platform is Platform.TEAMS:
        return Outgoing(url, _json(teams_message(card)), headers)
    if platform is Platform.WEBHOOK:
        body = webhook_body(webhook_document if webhook_document is not None else generic_message(card))
        signed = {SIGNATURE_HEADER: sign(secret, body), TIMESTAMP_HEADER: str(int(moment.timestamp()))}
        return Outgoing(url, body, {**headers, "User-Agent": "Accord-Webhook/1", **signed})
    raise ValueError(f"{platform} is not delivered over HTTP")


@dataclass(frozen=True, slots=True)
class PostResult:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    retryable: bool = True


def _platform_error(platform: Platform, response: httpx.Response) -> str | None:
    """The error a platform reports inside a 200 answer, or None."""
    if platform not in (Platform.WECOM, Platform.DINGTALK, Platform.FEISHU):
        return None
    try:
        answer = response.json()
    except ValueError:
        return None
    if not isinstance(answer, dict):
        return None
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code in (0, None, "0"):
        return None
    message = answer.get("errmsg", answer.get("msg", answer.get("StatusMessage", "")))
    return f"{platform.value} error {code}: {message}"


def deliver(
    platform: Platform,
    outgoing: Outgoing,
    *,
    timeout: float = 10.0,
    transport: httpx.BaseTransport | None = None,
) -> PostResult:
    """POST the request; 2xx without a platform error is success. Never raises; redirects not followed."""
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, transport=transport) as client:
            response = client.post(outgoing.url, content=outgoing.body, headers=outgoing.headers)
    except Exception as exc:  # the contract is "never raise": record the text, let the worker retry
        return PostResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
    code = response.status_code
    if 200 <= code < 300:
        problem = _platform_error(platform, response)
        if problem is None:
            return PostResult(ok=True, status_code=code)
        return PostResult(ok=False, status_code=code, error=problem[:500])
    excerpt = response.text[:200].strip()
    return PostResult(
        ok=False,
        status_code=code,
        error=f"HTTP {code}: {excerpt}"[:500],
        retryable=code >= 500 or code in (408, 429),
    )


def mask(value: str, keep: int = 4) -> str:
    """A secret as settings pages show it: its last few characters only (URLs keep their host)."""
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        rest = value[len(f"{parts.scheme}://{parts.netloc}") :]
        tail = rest[-keep:] if len(rest) > keep * 3 else ""
        return f"{parts.scheme}://{parts.netloc}/…{tail}"
    return "…" + value[-keep:] if len(value) > keep * 3 else "…"
