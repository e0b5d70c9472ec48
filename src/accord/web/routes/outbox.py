"""The outbox (administrators): e-mail notices as their recipients read them, held without SMTP."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from accord.config import Settings
from accord.i18n import N_, format_date, format_datetime, gettext, ngettext
from accord.schemas.outbox import OutboxNoticeOut
from accord.services import notices, outbox
from accord.services.listing import ListQuery, Page
from accord.web.deps import PrincipalDep, SessionDep, SettingsDep
from accord.web.forms import list_query
from accord.web.listing import FilterField, ListView, export, list_page
from accord.web.render import render
from accord.web.tables import Column

router = APIRouter(prefix="/admin/outbox")

STATE_LABELS = {
    outbox.HELD: N_("Held"),
    "pending": N_("Pending"),
    "sent": N_("Sent"),
    "failed": N_("Failed"),
}
KIND_LABELS = {
    "reminder": N_("Reminder"),
    "overdue": N_("Overdue"),
    "escalation": N_("Escalation"),
    "invitation": N_("Invitation"),
}
FILTERS: dict[str, type] = {"state": str, "kind": str, "task_id": int}


def state_label(state: str) -> str:
    """The translated state of an outbox notice."""
    return gettext(STATE_LABELS[state]) if state in STATE_LABELS else state


def kind_label(kind: str) -> str:
    """The translated kind of an outbox notice."""
    return gettext(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def _view(settings: Settings, unreachable: int = 0) -> ListView:
    states = [s for s in outbox.STATES if s != (outbox.HELD if not notices.held(settings) else "pending")]
    intro = (
        gettext(
            "No e-mail server is configured (ACCORD_SMTP_HOST), so reminders and escalations are held here. "
            "Once a server is configured, the worker sends every held e-mail."
        )
        if notices.held(settings)
        else gettext("Every e-mail Accord has written, with its state.")
    )
    if unreachable:
        intro += " " + ngettext(
            "{count} open task has no one to remind: no account holds a role in its owner organisation, "
            "above it or in a party to its agreement. Its reminders come to the administrators until "
            "someone does (grant roles under Accounts).",
            "{count} open tasks have no one to remind: no account holds a role in their owner "
            "organisation, above it or in a party to their agreement. Their reminders come to the "
            "administrators until someone does (grant roles under Accounts).",
            unreachable,
            count=unreachable,
        )
    return ListView(
        title=N_("Outbox"),
        columns=[
            Column(N_("Written"), lambda r: format_datetime(r.created_at), sort="created"),
            Column(N_("Subject"), lambda r: r.subject, link=True),
            Column(N_("To"), lambda r: r.recipient, sort="recipient"),
            Column(N_("Kind"), lambda r: kind_label(r.kind), sort="kind"),
            Column(N_("Due"), lambda r: format_date(r.due_on), sort="due"),
            Column(N_("State"), lambda r: state_label(r.state), sort="state"),
        ],
        row_url=lambda r: f"/admin/outbox/{r.id}",
        filters=[
            FilterField("state", N_("State"), [(s, state_label(s)) for s in states]),
            FilterField("kind", N_("Kind"), [(k, kind_label(k)) for k in outbox.KINDS]),
        ],
        export_name="outbox",
        intro=intro,
        archivable=False,
    )


def _fetch(session: Session, principal: Any, settings: Settings) -> Any:
    def fetch(query: ListQuery) -> Page[OutboxNoticeOut]:
        return outbox.list_outbox(session, principal, query, settings)

    return fetch


@router.get("")
def outbox_list(
    request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    page = _fetch(session, principal, settings)(list_query(request, settings, FILTERS))
    return list_page(request, _view(settings, notices.unreachable_tasks(session)), page)


@router.get("/export.{fmt}")
def outbox_export(
    fmt: str, request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    query = list_query(request, settings, FILTERS)
    fetch = _fetch(session, principal, settings)
    fetch(ListQuery(page_size=1))  # the permission check, before any header is written
    return export(_view(settings), fmt, fetch, query)


@router.get("/{notice_id}")
def outbox_notice(
    notice_id: int, request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    item = outbox.get_outbox_notice(session, principal, notice_id, settings)
    return render(
        request,
        "outbox/detail.html",
        {"item": item, "state": state_label(item.state), "kind": kind_label(item.kind)},
    )
