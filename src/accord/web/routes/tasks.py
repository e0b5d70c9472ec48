"""Delivery pages: tasks, progress updates and evidence, the supervision board, timelines, calendar feeds."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, RedirectResponse, Response

from accord import clock
from accord.config import Settings
from accord.delivery import TaskStatus
from accord.i18n import N_, format_date, gettext, localized, ngettext
from accord.labels import RECURRENCE_LABELS, TASK_KIND_LABELS, TASK_STATUS_LABELS, options
from accord.models import Agreement, NoticeRecord, Organisation, Task
from accord.schemas.numbers import parse_id
from accord.schemas.tasks import BulkIn, ProgressIn, TaskIn
from accord.services import (
    agreements,
    audit,
    files,
    fulfilment,
    intake,
    organisations,
    supervision,
    tasks,
    timeline,
)
from accord.services.errors import FieldError, NotFound, ServiceError, ValidationFailed
from accord.services.permissions import Principal, descendants
from accord.services.validation import parse
from accord.web.deps import PrincipalDep, SessionDep, SettingsDep
from accord.web.forms import FormDep, errors_by_field, list_query, nest, read_form
from accord.web.listing import FilterField, ListView, export
from accord.web.render import flash, render
from accord.web.saving import archive_route, save_or_rerender
from accord.web.tables import Column

router = APIRouter()

TIMELINE_KINDS = {
    "event": N_("Signing event"),
    "agreement": N_("Agreement"),
    "task": N_("Task"),
    "update": N_("Progress update"),
    "notice": N_("Notice"),
    "audit": N_("Change"),
}
BOARD_FILTERS: dict[str, type] = {
    "agreement_id": int,
    "organisation_id": int,
    "owner_id": int,
    "status": TaskStatus,
    "due_within": int,
}


def public_base(request: Request, settings: Settings) -> str:
    """ACCORD_BASE_URL when it is set, else the address this page was served from (no trailing slash)."""
    if settings.base_url_configured:
        return settings.base_url.rstrip("/")
    return str(request.base_url).rstrip("/")


# --- the board -----------------------------------------------------------------------------------


def _board_view(session: SessionDep, principal: Principal) -> ListView:
    visible, parties = supervision.board_choices(session, principal)
    return ListView(
        title=N_("Supervision board"),
        columns=[
            Column(N_("Task"), lambda r: r.task.title, link=True),
            Column(N_("Status"), lambda r: gettext(TASK_STATUS_LABELS[r.status])),
            Column(N_("Due on"), lambda r: format_date(r.task.due_on)),
            Column(N_("Progress"), lambda r: float(r.task.progress_percent)),
            Column(N_("Owner"), lambda r: localized(r.task.owner_organisation, "name")),
            Column(
                N_("Owner person"),
                lambda r: localized(r.task.owner_person, "name") if r.task.owner_person else "",
            ),
            Column(N_("Agreement"), lambda r: localized(r.task.agreement, "title")),
        ],
        row_url=lambda r: f"/tasks/{r.task.id}",
        filters=[
            FilterField(
                "agreement_id", N_("Agreement"), [(str(a.id), localized(a, "title")) for a in visible]
            ),
            FilterField("organisation_id", N_("Party"), [(str(o.id), localized(o, "name")) for o in parties]),
            FilterField("owner_id", N_("Owner"), [(str(o.id), localized(o, "name")) for o in parties]),
            FilterField(
                "status", N_("Status"), [(s.value, gettext(label)) for s, label in TASK_STATUS_LABELS.items()]
            ),
            FilterField(
                "due_within",
                N_("Due within"),
                [(str(n), gettext("{n} days", n=n)) for n in (7, 30, 90, 365)],
            ),
        ],
        export_name="supervision-board",
    )


@router.get("/board")
def board(request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep) -> Response:
    query = list_query(request, settings, BOARD_FILTERS)
    counts = supervision.board_counts(
        session, principal, query, today=clock.today(), at_risk_days=settings.at_risk_days
    )
    page = supervision.board(
        session, principal, query, today=clock.today(), at_risk_days=settings.at_risk_days, counts=counts
    )
    user = request.state.user
    token = supervision.calendar_token(settings.resolved_secret_key(), user)
    feed = f"{public_base(request, settings)}/calendar/{user.id}/{token}.ics"
    return render(
        request,
        "tasks/board.html",
        {
            "view": _board_view(session, principal),
            "page": page,
            "counts": counts,
            "statuses": list(TASK_STATUS_LABELS),
            "can_bulk": principal.coordinates_any,
            "feed": feed,
            "feed_empty": supervision.calendar_emptiness(session, user),
        },
    )


@router.get("/board/export.{fmt}")
def export_board(
    fmt: str, request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    query = list_query(request, settings, BOARD_FILTERS)
    return export(
        _board_view(session, principal),
        fmt,
        lambda q: supervision.board(
            session, principal, q, today=clock.today(), at_risk_days=settings.at_risk_days
        ),
        query,
    )


@router.post("/board/bulk")
def bulk(request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep) -> Response:
    data = {
        "action": form.get("action") or "",
        "task_ids": [v for v in form.getlist("task_ids") if isinstance(v, str)],
        "due_on": form.get("due_on") or None,
    }
    back = str(form.get("back") or "/board")
    if not back.startswith("/board"):
        back = "/board"
    try:
        changed = supervision.bulk(session, principal, parse(BulkIn, data), today=clock.today())
        session.commit()
    except ValidationFailed as error:
        session.rollback()
        details = "; ".join(f"{e.field}: {e.message}" for e in error.errors)
        flash(request, f"{error.message} {details}".strip(), "error")
        return RedirectResponse(back, status_code=303)
    flash(request, gettext("{n} tasks changed.", n=changed))
    return RedirectResponse(back, status_code=303)


# --- task forms ----------------------------------------------------------------------------------


def _form(
    request: Request,
    session: SessionDep,
    agreement: Agreement,
    values: dict[str, Any],
    errors: dict[str, str],
    task_id: int | None,
    status: int = 200,
) -> Response:
    parents = [t for t in tasks.tasks_of_agreement(session, agreement.id) if t.id != task_id]
    # The owner person is picked among the people of the agreement's parties, the owner organisation's
    # first; "everyone" (a link on the form) lists all other people after them.
    everyone = request.query_params.get("people") == "all"  # kept on POST: the form posts to its own URL
    return render(
        request,
        "tasks/form.html",
        {
            "agreement": agreement,
            "values": values,
            "errors": errors,
            "task_id": task_id,
            "orgs": organisations.choices(session, ids=tasks.owner_ids(session, agreement)),
            "people_groups": tasks.owner_people(
                session,
                agreement,
                parse_id(str(values.get("owner_organisation_id") or "")),
                everyone=everyone,
            ),
            "everyone": everyone,
            "parents": [(t.id, t.title) for t in parents],
            "commitments": [
                (c.id, c.action[:120]) for c in tasks.commitments_for_tasks(session, agreement.id)
            ],
            "kinds": [(k.value, gettext(label)) for k, label in TASK_KIND_LABELS.items()],
            "recurrences": options(RECURRENCE_LABELS),
        },
        status=status,
    )


def _is_id(raw: str) -> bool:
    """A record id as the database can hold it (larger numbers would overflow SQLite's INTEGER)."""
    return parse_id(raw) is not None


@router.get("/tasks/new")
def new_task(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    params = request.query_params
    values: dict[str, Any] = {"kind": "task"}
    agreement_id = params.get("agreement_id", "")
    if _is_id(commitment_id := params.get("commitment_id", "")):
        commitment = intake.get_commitment(session, principal, int(commitment_id))
        values.update(tasks.draft_from_commitment(commitment, clock.today()))
        agreement_id = str(commitment.agreement_id)
    if _is_id(parent_id := params.get("parent_id", "")):
        parent = tasks.get_task(session, principal, int(parent_id))
        values.update(
            parent_id=parent.id,
            owner_organisation_id=parent.owner_organisation_id,
            owner_person_id=parent.owner_person_id,
            due_on=parent.due_on.isoformat(),
        )
        agreement_id = str(parent.agreement_id)
    if not _is_id(agreement_id):
        raise NotFound(gettext("Open the agreement first, then add a task to it."))
    agreement = agreements.get_agreement(session, principal, int(agreement_id))
    if not tasks.can_manage_tasks(principal, agreement):
        raise NotFound(gettext("No such record."))
    values["agreement_id"] = agreement.id
    return _form(request, session, agreement, values, {}, None)


@router.post("/tasks/new")
def create_task(
    request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    flat, _version = read_form(form)
    values = nest(flat)
    agreement = agreements.get_agreement(
        session,
        principal,
        parse_id(values.get("agreement_id")) or 0,
    )
    values["agreement_id"] = agreement.id
    return save_or_rerender(
        request,
        session,
        lambda: tasks.create_task(
            session,
            principal,
            parse(TaskIn, values),
            max_occurrences=settings.max_occurrences,
            horizon_years=settings.recurrence_horizon_years,
        ),
        lambda e: _form(request, session, agreement, values, errors_by_field(e), None, status=e.status),
        # A note on the recurrence horizon, when there is one, says more than "saved".
        lambda task: tasks.horizon_note(task, settings.recurrence_horizon_years) or gettext("Task saved."),
        lambda task: f"/tasks/{task.id}",
    )


def _detail(
    request: Request,
    session: SessionDep,
    principal: Principal,
    task_id: int,
    settings: Settings,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    at_risk_days = settings.at_risk_days
    task = tasks.get_task(session, principal, task_id, tasks.SHOWN_WITH)
    children = sorted((t for t in task.children if t.archived_at is None), key=lambda t: (t.due_on, t.id))
    notices = session.scalars(
        select(NoticeRecord).where(NoticeRecord.task_id == task.id).order_by(NoticeRecord.id.desc())
    )
    return render(
        request,
        "tasks/detail.html",
        {
            "task": task,
            "status": tasks.status_of(task, clock.today(), at_risk_days),
            "children": [(c, tasks.status_of(c, clock.today(), at_risk_days)) for c in children],
            "updates": tasks.updates_of(session, task.id),
            "evidence": tasks.evidence_of(session, task.id),
            "notices": list(notices),
            "can_manage": tasks.can_manage_tasks(principal, task.agreement),
            "can_report": tasks.can_report(principal, task),
            "next_occurrence": tasks.next_occurrence(task) if tasks.is_series(task) else None,
            "horizon_note": tasks.horizon_note(task, settings.recurrence_horizon_years),
            "can_mark_done": tasks.can_mark_done(principal, task),
            "history": audit.history(session, "task", task.id),
            "kind_label": gettext(TASK_KIND_LABELS[task.kind]),
            "values": values or {},
            "errors": errors or {},
            "today": clock.today().isoformat(),
            "allowed": ", ".join(sorted({"jpg" if e == "jpeg" else e for e in tasks.EVIDENCE_TYPES})),
        },
        status=422 if errors else 200,
    )


@router.get("/tasks/{task_id}")
def show_task(
    task_id: int, request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    return _detail(request, session, principal, task_id, settings)


@router.get("/tasks/{task_id}/edit")
def edit_task(task_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    task = tasks.get_task(session, principal, task_id)
    if not tasks.can_manage_tasks(principal, task.agreement):
        raise NotFound(gettext("No such record."))
    values = {k: getattr(task, k) for k in TaskIn.model_fields if hasattr(task, k)}
    values["version"] = task.version
    return _form(request, session, task.agreement, values, {}, task.id)


@router.post("/tasks/{task_id}/edit")
def update_task(
    task_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, version = read_form(form)
    values = nest(flat)
    task = tasks.get_task(session, principal, task_id)
    values["agreement_id"] = task.agreement_id

    def rerender(error: ValidationFailed) -> Response:
        values["version"] = version
        task = tasks.get_task(session, principal, task_id)
        return _form(
            request, session, task.agreement, values, errors_by_field(error), task_id, status=error.status
        )

    return save_or_rerender(
        request,
        session,
        lambda: tasks.update_task(session, principal, task_id, parse(TaskIn, values), version),
        rerender,
        gettext("Task saved."),
        f"/tasks/{task_id}",
    )


@router.post("/tasks/{task_id}/state")
def change_state(
    task_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, version = read_form(form)
    action = flat.get("action")
    changes: Mapping[str, bool] = {
        "done": {"done": True},
        "reopen": {"done": False, "cancelled": False},
        "cancel": {"cancelled": True},
    }.get(action or "", {})
    if not changes:
        flash(request, gettext("Unknown action."), "error")
        return RedirectResponse(f"/tasks/{task_id}", status_code=303)
    tasks.set_state(
        session,
        principal,
        task_id,
        done=changes.get("done"),
        cancelled=changes.get("cancelled"),
        today=clock.today(),
        version=version,
    )
    session.commit()
    flash(request, gettext("Task saved."))
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


archive_route(
    router,
    "/tasks/{task_id}",
    tasks.archive_task,
    archived=N_("Task archived."),
    restored=N_("Task restored."),
)


@router.post("/tasks/{task_id}/updates")
def add_update(
    task_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    values = {k: v for k, v in form.items() if isinstance(v, str) and k in ProgressIn.model_fields}
    uploads = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and item.filename:
            data = files.read_upload(item.file, settings.upload_max_bytes)
            uploads.append(tasks.Upload(item.filename, item.content_type, data))

    def rerender(error: ValidationFailed) -> Response:
        errors = errors_by_field(error) | {"__all__": error.message}
        return _detail(request, session, principal, task_id, settings, values, errors)

    return save_or_rerender(
        request,
        session,
        lambda: tasks.add_update(
            session,
            principal,
            task_id,
            parse(ProgressIn, values),
            today=clock.today(),
            uploads=uploads,
            files_dir=settings.files_dir,
            limit=settings.upload_max_bytes,
        ),
        rerender,
        gettext("Progress recorded."),
        f"/tasks/{task_id}",
    )


@router.get("/tasks/evidence/{evidence_id}")
def download_evidence(
    evidence_id: int, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    evidence = tasks.get_evidence(session, principal, evidence_id)
    # Always a download of a fixed safe type: an uploaded file is never rendered by the browser.
    return FileResponse(
        files.path_for(settings.files_dir, evidence.sha256),
        media_type="application/octet-stream",
        filename=evidence.filename,
    )


@router.post("/tasks/evidence/{evidence_id}/delete")
def delete_evidence(
    evidence_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    task_id = tasks.get_evidence(session, principal, evidence_id).task_id
    tasks.delete_evidence(session, principal, evidence_id)
    session.commit()
    flash(request, gettext("Evidence removed."))
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


# --- timeline and calendar -----------------------------------------------------------------------


@router.get("/agreements/{agreement_id}/timeline")
def agreement_timeline(
    agreement_id: int, request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    agreement = agreements.get_agreement(session, principal, agreement_id)
    items = timeline.timeline(session, agreement, today=clock.today(), at_risk_days=settings.at_risk_days)
    kinds = {kind: gettext(label) for kind, label in TIMELINE_KINDS.items()}
    return render(
        request,
        "tasks/timeline.html",
        {
            "agreement": agreement,
            "items": items,
            "timeline_kinds": kinds,
            "status_labels_by_value": {s.value: s for s in TaskStatus},
        },
    )


@router.get("/calendar/{user_id}/{token}.ics")
def calendar_feed(
    user_id: int, token: str, request: Request, session: SessionDep, settings: SettingsDep
) -> Response:
    # The secret token stands in for a sign-in: calendar programs cannot log in.
    try:
        body = supervision.user_calendar(
            session,
            user_id,
            token,
            secret_key=settings.resolved_secret_key(),
            base_url=public_base(request, settings),
            now=datetime.now(UTC),
        )
    except ServiceError:
        return Response(gettext("This page does not exist."), status_code=404, media_type="text/plain")
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'inline; filename="accord.ics"',
            "Cache-Control": "private, max-age=300",
        },
    )


# --- a commitment's fulfilment ---------------------------------------------------------------------


def _commitment_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    commitment_id: int,
    at_risk_days: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    shown = fulfilment.describe(session, principal, commitment_id, clock.today())
    commitment = shown.commitment
    return render(
        request,
        "tasks/commitment.html",
        {
            "shown": shown,
            "commitment": commitment,
            "statuses": {t.id: tasks.status_of(t, clock.today(), at_risk_days) for t in shown.tasks},
            "history": audit.history(session, "commitment", commitment.id),
            "choices": [(s.value, fulfilment.fulfilment_label(s)) for s in fulfilment.FULFILMENT_LABELS],
            "values": values
            or {
                "state": commitment.fulfilment_override.value if commitment.fulfilment_override else "",
                "reason": commitment.fulfilment_reason,
            },
            "errors": errors or {},
        },
        status=422 if errors else 200,
    )


@router.get("/commitments/{commitment_id}")
def show_commitment(
    commitment_id: int, request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    return _commitment_page(request, session, principal, commitment_id, settings.at_risk_days)


@router.post("/commitments/{commitment_id}/fulfilment")
def override_fulfilment(
    commitment_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    flat, version = read_form(form)
    raw = (flat.get("state") or "").strip()

    def save() -> None:
        if raw and raw not in {s.value for s in fulfilment.FULFILMENT_LABELS}:
            message = gettext("Choose one of the listed states.")
            raise ValidationFailed(message, [FieldError("state", message)])
        state = next((s for s in fulfilment.FULFILMENT_LABELS if s.value == raw), None)
        fulfilment.set_override(session, principal, commitment_id, state, flat.get("reason"), version)

    return save_or_rerender(
        request,
        session,
        save,
        lambda e: _commitment_page(
            request, session, principal, commitment_id, settings.at_risk_days, flat, errors_by_field(e)
        ),
        gettext("Fulfilment saved."),
        f"/commitments/{commitment_id}",
    )


# --- tasks for every accepted commitment at once ---------------------------------------------------


def _all_form(
    request: Request,
    session: SessionDep,
    agreement: Agreement,
    rows: list[dict[str, Any]],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    ids: set[int] = set()
    for party in agreement.parties:
        ids |= descendants(session, party.organisation_id)
    owners = session.scalars(
        select(Organisation).where(Organisation.id.in_(ids), Organisation.archived_at.is_(None))
    )
    return render(
        request,
        "tasks/all.html",
        {
            "agreement": agreement,
            "rows": rows,
            "errors": errors,
            "orgs": sorted(((o.id, localized(o, "name")) for o in owners), key=lambda pair: pair[1]),
            "commitments": {c.id: c for c in tasks.commitments_for_tasks(session, agreement.id)},
        },
        status=status,
    )


@router.get("/agreements/{agreement_id}/tasks/all")
def all_tasks_form(
    agreement_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    agreement = agreements.get_agreement(session, principal, agreement_id)
    if not tasks.can_manage_tasks(principal, agreement):
        raise NotFound(gettext("No such record."))
    rows = [d | {"include": "1"} for d in tasks.drafts_for_agreement(session, agreement, clock.today())]
    return _all_form(request, session, agreement, rows, {})


@router.post("/agreements/{agreement_id}/tasks/all")
def all_tasks_create(
    agreement_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    flat, _version = read_form(form)
    agreement = agreements.get_agreement(session, principal, agreement_id)
    posted = nest(flat).get("rows") or []
    rows: list[dict[str, Any]] = (
        [posted[k] for k in sorted(posted, key=lambda k: int(k) if str(k).isdigit() else 0)]
        if isinstance(posted, dict)
        else list(posted)
    )
    positions = [i for i, row in enumerate(rows) if isinstance(row, dict) and row.get("include") == "1"]
    errors: list[FieldError] = []
    parsed: list[TaskIn] = []
    for position in positions:
        fields = {k: v for k, v in rows[position].items() if k in TaskIn.model_fields and k != "agreement_id"}
        try:
            parsed.append(parse(TaskIn, fields))
        except ValidationFailed as error:
            errors.extend(FieldError(f"rows.{position}.{e.field}", e.message) for e in error.errors)

    def save() -> list[Task]:
        if errors:
            raise ValidationFailed(errors[0].message, errors)
        return tasks.create_for_commitments(
            session,
            principal,
            agreement.id,
            parsed,
            max_occurrences=settings.max_occurrences,
            horizon_years=settings.recurrence_horizon_years,
        )

    def rerender(error: ValidationFailed) -> Response:
        shown: dict[str, str] = {}
        for e in error.errors:
            parts = e.field.split(".")
            if not errors and len(parts) > 2 and parts[1].isdigit() and int(parts[1]) < len(positions):
                parts[1] = str(positions[int(parts[1])])  # the service counts the chosen rows only
            shown[".".join(parts)] = e.message
        again = agreements.get_agreement(session, principal, agreement_id)
        return _all_form(request, session, again, rows, shown, 422)

    return save_or_rerender(
        request,
        session,
        save,
        rerender,
        lambda made: _created(made, settings.recurrence_horizon_years),
        f"/agreements/{agreement.id}#delivery",
    )


def _created(made: list[Task], horizon_years: int) -> str:
    """How many tasks were made, with each different note on a series cut at the horizon."""
    message = ngettext("{count} task created.", "{count} tasks created.", len(made), count=len(made))
    notes = (tasks.horizon_note(t, horizon_years) for t in made)
    return " ".join([message, *dict.fromkeys(n for n in notes if n)])
