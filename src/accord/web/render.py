"""Template rendering with the helpers every page uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from accord import __version__
from accord.delivery import TaskStatus
from accord.i18n import (
    N_,
    current_language,
    gettext,
    localized,
)
from accord.labels import (
    COMMITMENT_STATE_LABELS,
    HEALTH_LABELS,
    NOTICE_LABELS,
    ORG_KIND_LABELS,
    RECURRENCE_LABELS,
    ROLE_LABELS,
    TASK_STATUS_LABELS,
    choice_label,
)
from accord.services.audit import changed_fields
from accord.services.fulfilment import next_due
from accord.services.intake import merged_into, party_text
from accord.services.permissions import (
    ANONYMOUS,
    AchievementAccess,
    achievement_access,
    can_read,
    readable,
)
from accord.services.tasks import rule_in_words
from accord.templating import environment
from accord.web.security import CSRF_FIELD, csrf_token, form_once

TEMPLATES = Path(__file__).parent / "templates"

# Existing badge colours: green, amber, orange, grey; the label is always written out too.
TASK_STATUS_CLASSES: dict[TaskStatus, str] = {
    TaskStatus.DONE: "state-accepted",
    TaskStatus.ON_TRACK: "",
    TaskStatus.AT_RISK: "state-proposed",
    TaskStatus.OVERDUE: "warn",
    TaskStatus.NOT_STARTED: "state-rejected",
    TaskStatus.CANCELLED: "state-rejected",
}


def task_status_badge(status: TaskStatus) -> dict[str, str]:
    """Label and badge class of a status, for templates."""
    return {"label": gettext(TASK_STATUS_LABELS[status]), "cls": TASK_STATUS_CLASSES[status]}


#: What each audited action is called in the history tables.
AUDIT_ACTIONS = {
    "archive": N_("Archived"),
    "attach": N_("File attached"),
    "cancel": N_("Cancelled"),
    "create": N_("Created"),
    "delete": N_("Deleted"),
    "grant": N_("Role granted"),
    "import": N_("Imported"),
    "merge": N_("Merged"),
    "move": N_("Moved"),
    "password": N_("Password changed"),
    "respond": N_("Answered"),
    "restore": N_("Restored"),
    "review": N_("Reviewed"),
    "review_author": N_("Authorship reviewed"),
    "revoke": N_("Revoked"),
    "send": N_("Sent"),
    "sign_out": N_("Signed out"),
    "split": N_("Split"),
    "stage": N_("Stage changed"),
    "status": N_("Status changed"),
    "to_project": N_("Turned into a project"),
    "update": N_("Edited"),
}


def audit_action(action: str) -> str:
    """An audited action in the reader's language."""
    return gettext(AUDIT_ACTIONS[action]) if action in AUDIT_ACTIONS else action


def audit_value(value: Any) -> str:
    """A value of the audit trail as a reader writes it: nothing is a dash, lists are comma-separated."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list | tuple):
        parts = [audit_value(v) for v in value if v is not None]
        return ", ".join(p for p in parts if p != "—") or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {audit_value(v)}" for k, v in value.items() if v is not None) or "—"
    return str(value)


templates = Jinja2Templates(
    env=environment(
        TEMPLATES,
        version=__version__,
        csrf_field=CSRF_FIELD,
        form_once=form_once,
        changed=changed_fields,
        audit_action=audit_action,
        audit_value=audit_value,
        role_label=lambda role: choice_label(ROLE_LABELS, role),
        org_kind_label=lambda kind: choice_label(ORG_KIND_LABELS, kind),
        task_status_badge=task_status_badge,
        health_label=lambda health: choice_label(HEALTH_LABELS, health),
        commitment_state_label=lambda state: choice_label(COMMITMENT_STATE_LABELS, state),
        recurrence_words=lambda commitment: (
            rule_in_words(commitment.recurrence.value, commitment.due_on)
            if commitment.due_on is not None and commitment.recurrence is not None
            else choice_label(RECURRENCE_LABELS, commitment.recurrence)
        ),
        rule_in_words=rule_in_words,
        next_due=next_due,
        notice_label=lambda value: choice_label(NOTICE_LABELS, value),
        party_text=party_text,
        merged_into=merged_into,
        choices_of=lambda objects, field: [(obj.id, localized(obj, field)) for obj in objects],
    )
)


def language_next(request: Request) -> str:
    """Where switching the language returns to: this page, or, for a page answering a POST (a form
    shown again with its errors), the page the form was sent from, which can be fetched again."""
    if request.method in {"GET", "HEAD"}:
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.path.startswith("/") and referer.netloc == request.url.netloc:
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/"


def query_with(request: Request, **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Render a page with the user, language, CSRF token and messages available."""
    flash = request.session.pop("flash", None)
    principal = getattr(request.state, "principal", None) or ANONYMOUS
    full = {
        "request": request,
        "user": getattr(request.state, "user", None),
        "nav_user": getattr(request.state, "nav_user", None),
        "principal": getattr(request.state, "principal", None),
        "lang": current_language(),
        "csrf_token": csrf_token(request),
        "flash": flash,
        "query_with": lambda **kw: query_with(request, **kw),
        "language_next": language_next(request),
        # A page names a linked record (parent, children, agreement, commitments…) only if the reader
        # may read it: the same rule as the services' references (permissions.can_read).
        "can_see": lambda obj: obj is not None and can_read(principal, obj),
        "visible": lambda objects: readable(principal, objects or []),
        "achievement_url": lambda obj: achievement_url(principal, obj),
    }
    full.update(context or {})
    return templates.TemplateResponse(request, name, full, status_code=status)


def achievement_url(principal: Any, achievement: Any) -> str | None:
    """Where a link to an achievement goes for this reader (permissions.achievement_access): its page
    for readers of its owners (and admins), its catalogue entry for others when it is in the
    catalogue, else nowhere (no link)."""
    if achievement is None:
        return None
    access = achievement_access(principal, achievement)
    if access is AchievementAccess.PAGE:
        return f"/achievements/{achievement.id}"
    return f"/catalogue/{achievement.id}" if access is AchievementAccess.CATALOGUE else None


def flash(request: Request, message: str, kind: str = "success") -> None:
    """A message shown once on the next page."""
    request.session["flash"] = {"message": message, "kind": kind}
