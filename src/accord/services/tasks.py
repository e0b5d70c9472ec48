"""Tasks and milestones that deliver accepted commitments: creation, recurrence, progress, evidence.

Who may do what (decided with the rules of ``services.permissions``):
- read a task, its updates and evidence: whoever may read its agreement (others get 404);
- create, edit, cancel, archive tasks: coordinators of a party of the agreement (and admins);
- post progress updates and evidence: members of the owner organisation, and those coordinators.

The status of a task is computed by ``accord.delivery.status.task_status`` each time it is shown
(``status_of`` here, ``status_sql`` for the board's SQL filters); it is never stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Float, case, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import ORMOption
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from accord.delivery import RecurrenceError, TaskStatus, occurrences, rrule_for, task_status
from accord.delivery.status import DEFAULT_BEHIND_MARGIN
from accord.i18n import current_language, format_date
from accord.i18n import gettext as _
from accord.models import (
    Agreement,
    Commitment,
    Evidence,
    Occurrence,
    Organisation,
    Person,
    ProgressUpdate,
    Review,
    Role,
    Task,
    TaskKind,
    User,
)
from accord.models.base import utcnow
from accord.schemas.tasks import ProgressIn, TaskIn
from accord.services import audit, files, records
from accord.services.errors import FieldError, NotFound, ValidationFailed
from accord.services.people import PeopleGroup
from accord.services.permissions import (
    Principal,
    can_edit_agreement,
    can_read_agreement,
    descendants,
    require,
    require_signed_in,
)

PRESETS = ("annual", "semiannual", "quarterly", "monthly")
# Evidence is shown to people, never executed: only document and image formats are accepted.
EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "txt": "text/plain",
    "csv": "text/csv",
}
SENTENCE_END = ".。;；,，、 "

STATUS_ORDER = (
    TaskStatus.OVERDUE,
    TaskStatus.AT_RISK,
    TaskStatus.ON_TRACK,
    TaskStatus.NOT_STARTED,
    TaskStatus.DONE,
    TaskStatus.CANCELLED,
)


# --- permissions -------------------------------------------------------------------------------


def can_manage_tasks(principal: Principal, agreement: Agreement) -> bool:
    """Coordinators of a party of the agreement, and admins."""
    return can_edit_agreement(principal, agreement)


def can_mark_done(principal: Principal, task: Task) -> bool:
    """Whether the principal may mark ``task`` done (or reopen or cancel it): coordinators of a party of
    its agreement and admins. The one rule for the task page, the progress form, the API and the bulk
    action; owners' members report progress but do not close tasks."""
    return can_manage_tasks(principal, task.agreement)


def can_report(principal: Principal, task: Task) -> bool:
    """Members of the owner organisation (or above it), and those who manage the agreement's tasks."""
    return principal.has_role(task.owner_organisation_id, Role.MEMBER) or can_manage_tasks(
        principal, task.agreement
    )


# --- status --------------------------------------------------------------------------------------


def effective_start(task: Task) -> date:
    """The task's start, else the agreement's effective or signing date, never after the due date."""
    start = task.start_on or task.agreement.effective_from or task.agreement.signed_on or task.due_on
    return min(start, task.due_on)


def status_of(task: Task, today: date, at_risk_days: int = 14) -> TaskStatus:
    """The computed status of ``task`` on ``today``."""
    return task_status(
        today=today,
        start=effective_start(task),
        due=task.due_on,
        progress_percent=float(task.progress_percent or 0),
        done=task.done,
        cancelled=task.cancelled,
        at_risk_days=at_risk_days,
    )


class _days_between(FunctionElement[float]):
    """Whole days from the second date to the first, on both databases."""

    type = Float()
    inherit_cache = True


@compiles(_days_between)
def _days_between_default(element: _days_between, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    return f"(CAST({compiler.process(first, **kw)} AS DATE) - CAST({compiler.process(second, **kw)} AS DATE))"


@compiles(_days_between, "sqlite")
def _days_between_sqlite(element: _days_between, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    return f"(julianday({compiler.process(first, **kw)}) - julianday({compiler.process(second, **kw)}))"


def start_sql() -> ColumnElement[date]:
    """``effective_start`` as SQL (the board joins Agreement)."""
    start = func.coalesce(Task.start_on, Agreement.effective_from, Agreement.signed_on, Task.due_on)
    return case((start > Task.due_on, Task.due_on), else_=start)


def status_sql(today: date, at_risk_days: int = 14) -> ColumnElement[str]:
    """``task_status`` as one SQL CASE, so the board filters and sorts by status in the database.

    It mirrors the rules of ``accord.delivery.status`` line by line; a test compares both.
    """
    day = literal(today, Date)
    start = start_sql()
    progress = func.coalesce(Task.progress_percent, 0)
    expected = case(
        (day >= Task.due_on, literal(100.0)),
        (day <= start, literal(0.0)),
        else_=100.0 * _days_between(day, start) / _days_between(Task.due_on, start),
    )
    gap = expected - progress
    return case(
        (Task.done.is_(True), literal(TaskStatus.DONE.value)),
        (Task.cancelled.is_(True), literal(TaskStatus.CANCELLED.value)),
        (Task.due_on < day, literal(TaskStatus.OVERDUE.value)),
        ((day < start) & (progress == 0), literal(TaskStatus.NOT_STARTED.value)),
        (
            (gap > 0) & ((_days_between(Task.due_on, day) <= at_risk_days) | (gap > DEFAULT_BEHIND_MARGIN)),
            literal(TaskStatus.AT_RISK.value),
        ),
        else_=literal(TaskStatus.ON_TRACK.value),
    )


# --- reading -------------------------------------------------------------------------------------


# What a task's own page shows with it: its commitment and clause, its owners.
SHOWN_WITH: tuple[ORMOption, ...] = (
    selectinload(Task.commitment).selectinload(Commitment.clause),
    selectinload(Task.owner_organisation),
    selectinload(Task.owner_person),
)


def get_task(session: Session, principal: Principal, task_id: int, options: Sequence[ORMOption] = ()) -> Task:
    """One task the principal may read (with what ``options`` load: ``SHOWN_WITH`` for its page);
    others look absent."""
    require_signed_in(principal)
    task = records.find(session, Task, task_id, options)
    if task is None or not can_read_agreement(principal, task.agreement):
        raise NotFound(_("No such record."))
    return task


def tasks_of_agreement(session: Session, agreement_id: int) -> list[Task]:
    """Every task of one agreement (caller has checked it may read the agreement), by due date."""
    stmt = (
        select(Task)
        .where(Task.agreement_id == agreement_id, Task.archived_at.is_(None))
        .options(selectinload(Task.owner_organisation), selectinload(Task.owner_person))
        .order_by(Task.due_on, Task.id)
    )
    return list(session.scalars(stmt))


def updates_of(session: Session, task_id: int) -> list[ProgressUpdate]:
    """A task's progress updates, newest first."""
    stmt = (
        select(ProgressUpdate)
        .where(ProgressUpdate.task_id == task_id)
        .options(selectinload(ProgressUpdate.evidence))
        .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())
    )
    return list(session.scalars(stmt))


def evidence_of(session: Session, task_id: int) -> list[Evidence]:
    """A task's evidence files, oldest first."""
    return list(session.scalars(select(Evidence).where(Evidence.task_id == task_id).order_by(Evidence.id)))


def is_series(task: Task) -> bool:
    """A recurring task only groups its occurrences; they are what is tracked."""
    return task.recurrence_rule is not None


def next_occurrence(task: Task) -> Task | None:
    """A series' occurrence to work on: its earliest one not done or cancelled, else its last one."""
    dated = sorted((t for t in task.children if t.archived_at is None), key=lambda t: (t.due_on, t.id))
    open_ = [t for t in dated if not t.done and not t.cancelled]
    chosen = open_ or dated[-1:]
    return chosen[0] if chosen else None


# --- validation ----------------------------------------------------------------------------------


def _agreement_for(
    session: Session, principal: Principal, data: TaskIn
) -> tuple[Agreement, Commitment | None]:
    errors: list[FieldError] = []
    commitment: Commitment | None = None
    agreement_id = data.agreement_id
    if data.commitment_id is not None:
        commitment = records.reference(
            session, principal, Commitment, data.commitment_id, "commitment_id", errors
        )
        if commitment is None:
            pass
        elif commitment.review != Review.ACCEPTED:
            errors.append(
                FieldError("commitment_id", _("Only accepted commitments can be turned into tasks."))
            )
        elif agreement_id is not None and agreement_id != commitment.agreement_id:
            errors.append(FieldError("commitment_id", _("The commitment belongs to another agreement.")))
        else:
            agreement_id = commitment.agreement_id
    if agreement_id is None and data.parent_id is not None:
        parent = records.reference(session, principal, Task, data.parent_id, "parent_id", errors)
        agreement_id = parent.agreement_id if parent is not None else None
    records.raise_if(errors)
    if agreement_id is None:
        records.raise_if([FieldError("agreement_id", _("This field is required."))])
    agreement = records.reference(session, principal, Agreement, agreement_id, "agreement_id", errors)
    records.raise_if(errors)
    assert agreement is not None
    return agreement, commitment


def _validate(
    session: Session,
    principal: Principal,
    agreement: Agreement,
    data: TaskIn,
    task_id: int | None,
    errors: list[FieldError],
) -> None:
    party_orgs: set[int] = set()
    for party in agreement.parties:
        party_orgs |= descendants(session, party.organisation_id)
    owner = records.reference(
        session, principal, Organisation, data.owner_organisation_id, "owner_organisation_id", errors
    )
    if owner is None:
        pass
    elif owner.id not in party_orgs:
        errors.append(
            FieldError(
                "owner_organisation_id",
                _("The owner must be a party to the agreement or one of its units."),
            )
        )
    if data.owner_person_id is not None:
        person = records.reference(
            session, principal, Person, data.owner_person_id, "owner_person_id", errors
        )
        if person is None:
            pass
        elif owner is not None and person.organisation_id not in descendants(session, owner.id):
            errors.append(
                FieldError("owner_person_id", _("This person does not work for the owner organisation."))
            )
    records.require_exists(session, User, data.owner_user_id, "owner_user_id", errors)
    if data.start_on is not None and data.due_on < data.start_on:
        errors.append(FieldError("due_on", _("The due date is before the start date.")))
    if data.parent_id is not None:
        parent = records.reference(session, principal, Task, data.parent_id, "parent_id", errors)
        if parent is None:
            pass
        elif parent.agreement_id != agreement.id:
            errors.append(FieldError("parent_id", _("The parent task belongs to another agreement.")))
        elif task_id is not None and _creates_cycle(session, task_id, data.parent_id):
            errors.append(
                FieldError("parent_id", _("A task cannot be placed under itself or one of its sub-tasks."))
            )


def _creates_cycle(session: Session, task_id: int, parent_id: int) -> bool:
    seen: set[int] = set()
    ancestor: int | None = parent_id
    while ancestor is not None and ancestor not in seen:
        if ancestor == task_id:
            return True
        seen.add(ancestor)
        ancestor = session.scalar(select(Task.parent_id).where(Task.id == ancestor))
    return False


def without_full_stop(text: str) -> str:
    """``text`` without the sentence's closing mark (a title is not a sentence); never empty."""
    return text.rstrip().rstrip(SENTENCE_END).rstrip() or text


def occurrence_title(title: str, day: date) -> str:
    """An occurrence's title: the series' title without the closing full stop, then its date
    ("Hold a joint meeting every year (2026-12-07)", not "…every year. (2026-12-07)")."""
    return f"{without_full_stop(title)} ({day.isoformat()})"


def horizon_end(first: date, years: int) -> date:
    """The last day occurrences are made for when the agreement has no end date: ``years`` after the first,
    less one day (29 February moves to 28 February)."""
    try:
        end = first.replace(year=first.year + years)
    except ValueError:
        end = first.replace(year=first.year + years, day=28)
    return end - timedelta(days=1)


def recurrence_dates(rule: str, first: date, until: date | None, max_count: int) -> tuple[str, list[date]]:
    """The stored rule (presets expanded) and its dates, or ValidationFailed naming ``recurrence_rule``.

    The first date is ``first`` itself (a commitment due on 19 November 2027 repeats on 19 November),
    later ones keep its day of the month."""
    text = rule.strip()
    try:
        stored = rrule_for(text, first) if text.lower() in PRESETS else text  # type: ignore[arg-type]
        dates = occurrences(stored, first, until, max_count=max_count)
    except RecurrenceError as error:
        if error.code == "unbounded":
            message = _("The rule never ends: give COUNT or UNTIL, or an end date to the agreement.")
        elif error.code == "too_many":
            message = _("The rule gives more than {n} dates; shorten it.", n=max_count)
        else:
            message = _("This is not a recurrence rule Accord understands (for example FREQ=YEARLY;COUNT=5).")
        raise ValidationFailed(message, [FieldError("recurrence_rule", message)]) from None
    if not dates:
        message = _("The rule gives no dates within the agreement's term.")
        raise ValidationFailed(message, [FieldError("recurrence_rule", message)])
    return stored, dates


_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _day_in_month(day: int, last: bool) -> str:
    if last:
        return (
            _("the last day of the month") if day >= 31 else _("day {day} (or the month's last day)", day=day)
        )
    return _("day {day}", day=day)


def rule_in_words(rule: str | None, first: date | None = None) -> str:
    """A recurrence rule as a person says it, in the current language: "every year on 19 November",
    "每年 11 月 19 日", "every quarter on day 15" — never the FREQ=… text."""
    if not rule:
        return ""
    text = rule.strip()
    if first is not None and text.lower() in PRESETS:
        text = rrule_for(text, first)  # type: ignore[arg-type]
    parts: dict[str, str] = {}
    for chunk in text.upper().removeprefix("RRULE:").split(";"):
        name, _sep, value = chunk.partition("=")
        parts[name.strip()] = value.strip()
    freq = parts.get("FREQ")
    interval = int(parts["INTERVAL"]) if parts.get("INTERVAL", "").isdigit() else 1
    days = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d.strip().lstrip("-").isdigit()]
    last = parts.get("BYSETPOS") == "-1" and len(days) > 1
    day = days[-1] if days else (first.day if first is not None else None)
    month = first.month if first is not None else None
    if (freq == "MONTHLY" and interval == 12) or (freq == "YEARLY" and interval == 1):
        if parts.get("BYMONTH", "").isdigit():
            month = int(parts["BYMONTH"])
        if month is not None and day is not None:
            # Chinese writes the month as a number (每年 11 月 19 日), English by its name.
            name = str(month) if current_language().startswith("zh") else _EN_MONTHS[month - 1]
            words = _("every year on {day} {month}", day=day, month=name)
        else:
            words = _("every year")
    elif freq == "MONTHLY" and day is not None and interval in (1, 3, 6):
        on = _day_in_month(day, last)
        words = {
            1: _("every month on {day}", day=on),
            3: _("every quarter on {day}", day=on),
            6: _("every six months on {day}", day=on),
        }[interval]
    elif freq == "MONTHLY":
        words = _("every {n} months", n=interval)
    elif freq == "WEEKLY":
        words = _("every week") if interval == 1 else _("every {n} weeks", n=interval)
    elif freq == "DAILY":
        words = _("every day") if interval == 1 else _("every {n} days", n=interval)
    elif freq == "YEARLY":
        words = _("every {n} years", n=interval)
    else:
        return _("on a custom schedule")
    if parts.get("COUNT", "").isdigit():
        words = _("{rule}, {n} times", rule=words, n=int(parts["COUNT"]))
    elif len(parts.get("UNTIL", "")) >= 8 and parts["UNTIL"][:8].isdigit():
        until = parts["UNTIL"][:8]
        words = _("{rule}, until {date}", rule=words, date=f"{until[:4]}-{until[4:6]}-{until[6:]}")
    return words


def _fields(data: TaskIn) -> dict[str, Any]:
    return data.model_dump(exclude={"agreement_id", "recurrence_rule"})


# --- writing -------------------------------------------------------------------------------------


def create_task(
    session: Session,
    principal: Principal,
    data: TaskIn,
    *,
    max_occurrences: int = 500,
    horizon_years: int = 5,
) -> Task:
    """Create a task (from an accepted commitment or by hand); a recurring one gets one sub-task per date,
    the first on the task's due date. An agreement without an end date gets ``horizon_years`` of them
    (``horizon_note`` says so)."""
    require_signed_in(principal)
    agreement, commitment = _agreement_for(session, principal, data)
    require(can_manage_tasks(principal, agreement))
    errors: list[FieldError] = []
    _validate(session, principal, agreement, data, None, errors)
    records.raise_if(errors)
    rule = data.recurrence_rule
    if rule is None and commitment is not None and commitment.recurrence is not None:
        rule = commitment.recurrence.value
    dates: list[date] = []
    until = agreement.expires_on
    if rule is not None and until is None:
        until = horizon_end(data.due_on, horizon_years)
    if rule is not None:
        rule, dates = recurrence_dates(rule, data.due_on, until, max_occurrences)
    task = Task(agreement_id=agreement.id, recurrence_rule=rule, **_fields(data))
    if dates:
        task.due_on = dates[-1]  # the series runs until its last occurrence
    session.add(task)
    session.flush()
    audit.record(session, principal, "create", task)
    previous = data.start_on
    for sequence, day in enumerate(dates, start=1):
        child = Task(
            agreement_id=agreement.id,
            commitment_id=task.commitment_id,
            parent_id=task.id,
            kind=TaskKind.MILESTONE,
            title=occurrence_title(data.title, day),
            owner_organisation_id=task.owner_organisation_id,
            owner_person_id=task.owner_person_id,
            owner_user_id=task.owner_user_id,
            start_on=previous,
            due_on=day,
            metric_target=task.metric_target,
            metric_unit=task.metric_unit,
        )
        session.add(child)
        session.flush()
        session.add(Occurrence(series_id=task.id, sequence=sequence, due_on=day, task_id=child.id))
        audit.record(session, principal, "create", child)
        previous = day + timedelta(days=1)
    return task


def update_task(
    session: Session, principal: Principal, task_id: int, data: TaskIn, version: int | None
) -> Task:
    """Change a task's fields; the agreement and the recurrence stay as created."""
    task = get_task(session, principal, task_id)
    require(can_manage_tasks(principal, task.agreement))
    records.check_version(task, version)
    errors: list[FieldError] = []
    if data.commitment_id is not None and data.commitment_id != task.commitment_id:
        commitment = records.reference(
            session, principal, Commitment, data.commitment_id, "commitment_id", errors
        )
        if commitment is None:
            pass
        elif commitment.agreement_id != task.agreement_id:
            errors.append(FieldError("commitment_id", _("The commitment belongs to another agreement.")))
        elif commitment.review != Review.ACCEPTED:
            errors.append(
                FieldError("commitment_id", _("Only accepted commitments can be turned into tasks."))
            )
    if (data.recurrence_rule or None) not in (None, task.recurrence_rule):
        errors.append(
            FieldError(
                "recurrence_rule",
                _("The recurrence of a task cannot be changed; cancel it and create a new one."),
            )
        )
    _validate(session, principal, task.agreement, data, task.id, errors)
    records.raise_if(errors)
    before = audit.snapshot(task)
    records.apply(task, _fields(data))
    session.flush()
    audit.record(session, principal, "update", task, before)
    return task


def set_state(
    session: Session,
    principal: Principal,
    task_id: int,
    *,
    done: bool | None = None,
    cancelled: bool | None = None,
    due_on: date | None = None,
    today: date,
    version: int | None = None,
) -> Task:
    """Mark done / cancelled (or undo) or move the due date; coordinators only."""
    task = get_task(session, principal, task_id)
    require(can_manage_tasks(principal, task.agreement))
    if done is not None or cancelled is not None:
        require(
            can_mark_done(principal, task),
            _("Only coordinators of the agreement can close or reopen a task."),
        )
    records.check_version(task, version)
    before = audit.snapshot(task)
    if due_on is not None:
        if task.start_on is not None and due_on < task.start_on:
            message = _("The due date is before the start date.")
            raise ValidationFailed(message, [FieldError("due_on", message)])
        task.due_on = due_on
    if done is not None:
        task.done = done
        task.done_on = today if done else None
        if done:
            task.progress_percent = Decimal(100)
    if cancelled is not None:
        task.cancelled = cancelled
    session.flush()
    audit.record(session, principal, "update", task, before)
    return task


def archive_task(
    session: Session, principal: Principal, task_id: int, version: int | None, *, restore: bool = False
) -> Task:
    """Archive (or restore) a task, keeping it for history."""
    task = get_task(session, principal, task_id)
    require(can_manage_tasks(principal, task.agreement))
    return records.set_archived(session, principal, task, version, restore=restore)


@dataclass(frozen=True)
class Upload:
    """A file received from a form or the API."""

    filename: str | None
    content_type: str | None
    data: bytes


def check_evidence(upload: Upload, limit: int, field: str = "file") -> str:
    """The stored content type of an acceptable evidence file, or ValidationFailed naming ``field``."""
    files.check_size(upload.data, limit, field)
    name = files.safe_filename(upload.filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_TYPES:
        message = _(
            "Files of this type are not accepted as evidence. Allowed: {types}.",
            types=", ".join(sorted({"jpg" if e == "jpeg" else e for e in EVIDENCE_TYPES})),
        )
        raise ValidationFailed(message, [FieldError(field, message)])
    return EVIDENCE_TYPES[extension]


def add_update(
    session: Session,
    principal: Principal,
    task_id: int,
    data: ProgressIn,
    *,
    today: date,
    uploads: Sequence[Upload] = (),
    files_dir: Path,
    limit: int,
) -> ProgressUpdate:
    """Record a progress report with its evidence files; everything or nothing is saved."""
    task = get_task(session, principal, task_id)
    require(
        can_report(principal, task), _("Only the owner organisation and coordinators can report progress.")
    )
    if is_series(task):
        occurrence = next_occurrence(task)
        message = (
            _(
                "This task repeats: progress is reported on each occurrence, such as “{title}” (task {id}).",
                title=occurrence.title,
                id=occurrence.id,
            )
            if occurrence is not None
            else _("This task repeats: progress is reported on each occurrence, and it has none.")
        )
        raise ValidationFailed(message, [FieldError("task_id", message)])
    if data.done:
        require(
            can_mark_done(principal, task),
            _("Only coordinators of the agreement can close or reopen a task."),
        )
    uploads = [u for u in uploads if u.data or u.filename]
    if data.percent is None and data.metric_value is None and not data.note and not uploads and not data.done:
        message = _("Give a percentage, a metric value, a note or a file.")
        raise ValidationFailed(message, [FieldError("percent", message)])
    if data.metric_value is not None and task.metric_target is None:
        message = _("This task has no metric target; give a percentage instead.")
        raise ValidationFailed(message, [FieldError("metric_value", message)])
    reported_on = data.reported_on or today
    if reported_on > today:
        message = _("Progress cannot be reported for a future date.")
        raise ValidationFailed(message, [FieldError("reported_on", message)])
    types = [check_evidence(u, limit, f"files.{i}") for i, u in enumerate(uploads)]
    before = audit.snapshot(task)
    percent = data.percent
    if percent is None and data.metric_value is not None and task.metric_target:
        percent = min(Decimal(100), data.metric_value * 100 / task.metric_target).quantize(Decimal("0.01"))
    update = ProgressUpdate(
        task_id=task.id,
        reported_on=reported_on,
        percent=percent,
        metric_value=data.metric_value,
        note=data.note,
        author_id=principal.user_id,
        author_label=principal.label,
    )
    session.add(update)
    session.flush()
    audit.record(session, principal, "create", update)
    for upload, content_type in zip(uploads, types, strict=True):
        digest = files.store(files_dir, upload.data)
        evidence = Evidence(
            task_id=task.id,
            update_id=update.id,
            filename=files.safe_filename(upload.filename),
            content_type=content_type,
            size=len(upload.data),
            sha256=digest,
            uploaded_by_id=principal.user_id,
        )
        session.add(evidence)
        audit.record(session, principal, "attach", evidence)
    if percent is not None:
        task.progress_percent = percent
    if data.metric_value is not None:
        task.metric_value = data.metric_value
    if data.done:
        task.done, task.done_on, task.progress_percent = True, reported_on, Decimal(100)
    task.updated_at = utcnow()
    session.flush()
    audit.record(session, principal, "update", task, before)
    return update


def get_evidence(session: Session, principal: Principal, evidence_id: int) -> Evidence:
    """An evidence file of a task the principal may read."""
    evidence = records.get_or_404(session, Evidence, evidence_id)
    get_task(session, principal, evidence.task_id)
    return evidence


def delete_evidence(session: Session, principal: Principal, evidence_id: int) -> None:
    """Remove an evidence record (the stored file stays, other records may share it)."""
    evidence = get_evidence(session, principal, evidence_id)
    task = get_task(session, principal, evidence.task_id)
    require(can_manage_tasks(principal, task.agreement))
    before = audit.snapshot(evidence)
    audit.record(session, principal, "delete", evidence, before, after={})
    session.delete(evidence)
    session.flush()


def owner_ids(session: Session, agreement: Agreement) -> set[int]:
    """The organisations that may own a task of ``agreement``: its parties and their units."""
    found: set[int] = set()
    for party in agreement.parties:
        found |= descendants(session, party.organisation_id)
    return found


def owner_people(
    session: Session, agreement: Agreement, owner_id: int | None, *, everyone: bool = False
) -> list[PeopleGroup]:
    """The task form's owner-person list: the people of the owner organisation (and its units) first,
    then those of the agreement's other parties, one group per organisation; ``everyone`` adds all
    other people last. The server still checks that the person works for the owner organisation."""
    allowed = owner_ids(session, agreement)
    own = descendants(session, owner_id) if owner_id in allowed and owner_id is not None else set()
    stmt = (
        select(Person)
        .where(Person.archived_at.is_(None))
        .options(selectinload(Person.organisation))
        .order_by(Person.name_zh, Person.name_en)
    )
    if not everyone:
        stmt = stmt.where(Person.organisation_id.in_(allowed))
    by_org: dict[int | None, list[Person]] = {}
    for person in session.scalars(stmt):
        key = person.organisation_id if person.organisation_id in allowed else None
        by_org.setdefault(key, []).append(person)
    groups = [
        PeopleGroup(people[0].organisation, people) for key, people in by_org.items() if key is not None
    ]
    groups.sort(
        key=lambda g: (
            g.organisation is None or g.organisation.id not in own,
            g.organisation.id if g.organisation else 0,
        )
    )
    if None in by_org:
        groups.append(PeopleGroup(None, by_org[None]))
    return groups


def commitments_for_tasks(session: Session, agreement_id: int) -> list[Commitment]:
    """Accepted commitments of an agreement, for the task form's pick list."""
    stmt = (
        select(Commitment)
        .where(Commitment.agreement_id == agreement_id, Commitment.review == Review.ACCEPTED)
        .order_by(Commitment.id)
    )
    return list(session.scalars(stmt))


def draft_from_commitment(commitment: Commitment, today: date) -> dict[str, Any]:
    """Form values proposed for a new task delivering ``commitment``."""
    agreement = commitment.agreement
    due = commitment.due_on or agreement.expires_on or today + timedelta(days=90)
    values: dict[str, Any] = {
        "title": without_full_stop(commitment.action)[:300],
        "commitment_id": commitment.id,
        "agreement_id": agreement.id,
        "owner_organisation_id": commitment.organisation_id,
        "start_on": (agreement.effective_from or agreement.signed_on or today).isoformat(),
        "due_on": due.isoformat(),
        "metric_target": commitment.amount_value,
        "metric_unit": commitment.amount_unit,
        "recurrence_rule": commitment.recurrence.value if commitment.recurrence else None,
    }
    if commitment.recurrence is not None and commitment.due_on is None:
        # No date in the text: the first occurrence a year after the start, on the same day of the month.
        start = agreement.effective_from or agreement.signed_on or today
        values["due_on"] = (horizon_end(start, 1) + timedelta(days=1)).isoformat()
    return values


def horizon_note(task: Task, years: int) -> str | None:
    """What to tell the person who created a recurring task of an agreement without an end date."""
    if task.recurrence_rule is None or task.agreement.expires_on is not None:
        return None
    return _(
        "The agreement has no end date, so occurrences were made for {years} years, up to {date}. "
        "Create the task again later for the years after.",
        years=years,
        date=format_date(task.due_on),
    )


def live(tasks: Iterable[Task]) -> list[Task]:
    """Tasks that are tracked (series only group their occurrences)."""
    return [t for t in tasks if not is_series(t)]


# --- tasks for every accepted commitment at once ---------------------------------------------------


def commitments_without_tasks(session: Session, agreement_id: int) -> list[Commitment]:
    """Accepted commitments of an agreement that no (unarchived) task delivers yet."""
    has_task = select(Task.id).where(Task.commitment_id == Commitment.id, Task.archived_at.is_(None)).exists()
    stmt = (
        select(Commitment)
        .where(Commitment.agreement_id == agreement_id, Commitment.review == Review.ACCEPTED, ~has_task)
        .order_by(Commitment.id)
    )
    return list(session.scalars(stmt))


def drafts_for_agreement(session: Session, agreement: Agreement, today: date) -> list[dict[str, Any]]:
    """One proposed task per accepted commitment without a task, owned by the organisation of the
    obligated party (else the first party), for a person to edit before confirming."""
    first_party = agreement.parties[0].organisation_id if agreement.parties else None
    drafts = []
    for commitment in commitments_without_tasks(session, agreement.id):
        draft = draft_from_commitment(commitment, today)
        draft["owner_organisation_id"] = draft["owner_organisation_id"] or first_party
        drafts.append(draft)
    return drafts


def create_for_commitments(
    session: Session,
    principal: Principal,
    agreement_id: int,
    rows: Sequence[TaskIn],
    *,
    max_occurrences: int = 500,
    horizon_years: int = 5,
) -> list[Task]:
    """Create the tasks of many commitments of one agreement in one transaction; an error names its row
    (``rows.3.due_on``) and nothing is saved."""
    agreement = records.get_or_404(session, Agreement, agreement_id)
    if not can_read_agreement(principal, agreement):
        raise NotFound(_("No such record."))
    require(can_manage_tasks(principal, agreement))
    made: list[Task] = []
    errors: list[FieldError] = []
    for index, row in enumerate(rows):
        try:
            with session.begin_nested():
                made.append(
                    create_task(
                        session,
                        principal,
                        row.model_copy(update={"agreement_id": agreement.id}),
                        max_occurrences=max_occurrences,
                        horizon_years=horizon_years,
                    )
                )
        except ValidationFailed as error:
            errors.extend(FieldError(f"rows.{index}.{e.field}", e.message) for e in error.errors)
    if errors:
        raise ValidationFailed(errors[0].message, errors)
    return made
