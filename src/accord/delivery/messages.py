"""Subject and body text for reminder, overdue and escalation notices and for the invitation a matched
expert receives, in Chinese and English.

These few messages live here rather than in the app's gettext catalogues
because they are rendered by background workers with no request locale, and
the wording of a 督办 notice is part of the delivery policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from accord.delivery.escalation import Language, Level, Notice, NoticeKind, normalise_language

__all__ = [
    "TEMPLATES",
    "MatchInfo",
    "RenderedNotice",
    "TaskInfo",
    "format_date",
    "render_match_invitation",
    "render_notice",
]


@dataclass(frozen=True, slots=True)
class TaskInfo:
    title: str
    agreement_title: str
    url: str  # absolute link to the task page
    progress_percent: float
    owner_name: str  # shown to coordinators and leadership in escalations


@dataclass(frozen=True, slots=True)
class MatchInfo:
    """What the invitation to a matched expert says."""

    expert_name: str
    demand_title: str
    enterprise: str  # the organisation that posted the demand, or "" for a public visitor
    summary: str  # the start of the demand's description
    reasons: tuple[str, ...]  # matched terms ("term → translation" when the match crossed languages)
    sender: str  # the coordinator who sent the match
    deadline: date | None


@dataclass(frozen=True, slots=True)
class RenderedNotice:
    subject: str
    body: str
    language: Language


_ZH_FOOTER = "\n\n查看任务：{url}\n\n—— Accord 协议落实平台（系统自动发送，请勿直接回复）"
_EN_FOOTER = "\n\nOpen the task: {url}\n\n— Accord (automatic message, please do not reply)"

# (subject, body) per language and kind. Placeholders: name, task, agreement,
# due, days (already worded: " 3 天" / "3 days"), when (reminders: "还有 3 天" /
# "in 3 days", "明天" / "tomorrow", "今天" / "today"), progress, owner, url, and for
# escalations ``audience`` (coordinator or leadership wording).
TEMPLATES: Final[dict[Language, dict[NoticeKind, tuple[str, str]]]] = {
    "zh": {
        NoticeKind.REMINDER: (
            "任务即将到期提醒：{task}",
            "{name}，您好：\n\n"
            "您负责的任务「{task}」（所属协议：{agreement}）将于{due}到期（{when}），"
            "当前进度为 {progress}%。\n\n"
            "请按计划推进；如预计无法按期完成，请尽早在平台上更新进度并说明原因。" + _ZH_FOOTER,
        ),
        NoticeKind.OVERDUE: (
            "任务逾期提醒：{task}",
            "{name}，您好：\n\n"
            "您负责的任务「{task}」（所属协议：{agreement}）已于{due}到期，目前已逾期{days}，"
            "当前进度为 {progress}%。\n\n"
            "请尽快完成；如确有困难，请在平台上更新进度、说明原因并提出新的完成时间。" + _ZH_FOOTER,
        ),
        NoticeKind.ESCALATION: (
            "督办通知：{task}（已逾期{days}）",
            "{name}，您好：\n\n"
            "协议「{agreement}」项下的任务「{task}」已于{due}到期，目前已逾期{days}，尚未完成"
            "（当前进度 {progress}%，负责人：{owner}）。\n\n"
            "{audience}" + _ZH_FOOTER,
        ),
    },
    "en": {
        NoticeKind.REMINDER: (
            "Reminder: “{task}” is due on {due}",
            "Dear {name},\n\n"
            "The task “{task}” under the agreement “{agreement}”, which you are responsible for, "
            "is due on {due} ({when}). It is currently {progress}% complete.\n\n"
            "Please keep it on schedule. If you expect to miss the date, update its progress "
            "and explain why as early as possible." + _EN_FOOTER,
        ),
        NoticeKind.OVERDUE: (
            "Overdue: “{task}” was due on {due}",
            "Dear {name},\n\n"
            "The task “{task}” under the agreement “{agreement}”, which you are responsible for, "
            "was due on {due} and is now {days} overdue. It is currently {progress}% complete.\n\n"
            "Please complete it as soon as possible, or update its progress, explain the delay "
            "and propose a new completion date." + _EN_FOOTER,
        ),
        NoticeKind.ESCALATION: (
            "Escalation: “{task}” is {days} overdue",
            "Dear {name},\n\n"
            "The task “{task}” under the agreement “{agreement}” was due on {due} and is now "
            "{days} overdue. It is {progress}% complete; the person responsible is {owner}.\n\n"
            "{audience}" + _EN_FOOTER,
        ),
    },
}

_AUDIENCE: Final[dict[Language, dict[Level, str]]] = {
    "zh": {
        Level.COORDINATOR: "按照督办规则，现提请您跟进并协调推动落实，督促负责人尽快完成。",
        Level.LEADERSHIP: "该任务已逾期较长时间，目前仍未完成。按照督办规则，现报请您关注并督办。",
        Level.OWNER: "",
    },
    "en": {
        Level.COORDINATOR: (
            "Under the escalation rules, please follow up with the person responsible "
            "and help get the task completed."
        ),
        Level.LEADERSHIP: (
            "The task has been overdue for some time and is still open. Under the escalation "
            "rules it is now referred to you for your attention and supervision."
        ),
        Level.OWNER: "",
    },
}

_EN_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(day: date, language: Language) -> str:
    """Locale-independent date wording: 2026年12月1日 / 1 December 2026."""
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"


def _days(n: int, language: Language) -> str:
    if language == "zh":
        return f" {n} 天"
    return "1 day" if n == 1 else f"{n} days"


def _when(n: int, language: Language) -> str:
    words = {"zh": ("今天", "明天", f"还有 {n} 天"), "en": ("today", "tomorrow", f"in {n} days")}[language]
    return words[min(n, 2)]


def _progress(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def render_notice(notice: Notice, task_info: TaskInfo, language: str | None = None) -> RenderedNotice:
    """Subject and plain-text body for ``notice``.

    ``language`` defaults to the notice's (i.e. the recipient's) language;
    anything other than ``zh``/``en`` (including ``zh-CN``, ``en-GB``) is
    matched on its prefix, falling back to Chinese.
    """
    lang = normalise_language(language or notice.language)
    subject, body = TEMPLATES[lang][notice.kind]
    values = {
        "name": notice.recipient.name,
        "task": task_info.title,
        "agreement": task_info.agreement_title,
        "due": format_date(notice.due, lang),
        "days": _days(notice.days, lang),
        "when": _when(notice.days, lang),
        "progress": _progress(task_info.progress_percent),
        "owner": task_info.owner_name,
        "url": task_info.url,
        "audience": _AUDIENCE[lang][notice.level],
    }
    # Single-pass substitution: braces inside task titles are left untouched.
    return RenderedNotice(subject=subject.format_map(values), body=body.format_map(values), language=lang)


_INVITATION: Final[dict[Language, tuple[str, str]]] = {
    "zh": (
        "技术需求对接邀请：{demand}",
        "{name}，您好：\n\n"
        "{enterprise}提出了技术需求「{demand}」{deadline}。根据您的论文、专利和成果，平台认为您可能"
        "是合适的合作专家；匹配依据：{reasons}。\n\n需求摘要：{summary}\n\n"
        "如您有意对接，请回复{sender}，由其记录您的意见并安排后续联系。"
        "\n\n—— Accord 协议落实平台（系统自动发送）",
    ),
    "en": (
        "Invitation: a technical demand that matches your work — {demand}",
        "Dear {name},\n\n"
        "{enterprise} has posted the technical demand “{demand}”{deadline}. Judging by your papers, patents "
        "and results, you may be the right expert to work on it; the match rests on: {reasons}.\n\n"
        "Summary: {summary}\n\n"
        "If you are interested, please reply to {sender}, who will record your answer and arrange the next "
        "steps.\n\n— Accord (automatic message)",
    ),
}


def render_match_invitation(info: MatchInfo, language: str) -> RenderedNotice:
    """Subject and plain-text body of the e-mail that tells an expert about a matching demand."""
    lang = normalise_language(language)
    subject, body = _INVITATION[lang]
    unnamed = {"zh": "一家单位", "en": "An organisation"}[lang]
    if info.deadline is None:
        deadline = ""
    elif lang == "zh":
        deadline = f"（希望于{format_date(info.deadline, lang)}前解决）"
    else:
        deadline = f" (to be solved by {format_date(info.deadline, lang)})"
    values = {
        "name": info.expert_name,
        "demand": info.demand_title,
        "enterprise": info.enterprise or unnamed,
        "summary": info.summary,
        "reasons": ("、" if lang == "zh" else ", ").join(info.reasons) or "—",
        "sender": info.sender,
        "deadline": deadline,
    }
    return RenderedNotice(subject=subject.format_map(values), body=body.format_map(values), language=lang)
