"""An agreement's life as a story: dated sentences in the reader's language.

Each entry of the audit trail becomes a sentence naming who did what to which record ("李四 completed
the task 每年召开联席会议 (2021)"); progress reports name their author; notices about one task sent
the same day are told once with everyone who received them; the later open occurrences of a
recurring task are told once, at the next of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from accord import clock
from accord.i18n import format_date, localized, ngettext
from accord.i18n import gettext as _
from accord.models import (
    Agreement,
    AuditEntry,
    Commitment,
    Evidence,
    NoticeRecord,
    ProgressUpdate,
    Task,
    User,
)
from accord.services import tasks as task_service


@dataclass(frozen=True)
class TimelineItem:
    """One dated thing that happened (or is due) in an agreement's life, told as a sentence."""

    day: date
    at: datetime | None
    kind: str  # event, agreement, task, update, notice, audit
    text: str
    url: str | None = None
    detail: str = ""  # a short remark, already in the reader's language
    status: str = ""  # a task status value, drawn as a badge


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return {u.id: u.display_name or u.email for u in session.scalars(select(User).where(User.id.in_(ids)))}


def _actor(entry: AuditEntry, names: Mapping[int, str]) -> str:
    if entry.actor_id is not None and entry.actor_id in names:
        return names[entry.actor_id]
    if entry.actor_label in {"system", "anonymous", ""}:
        return _("Accord")
    return entry.actor_label


def _changed(entry: AuditEntry, field: str) -> tuple[Any, Any]:
    before = entry.before or {}
    after = entry.after or {}
    return before.get(field), after.get(field)


# Fields a progress report changes on its task: the report itself tells them on the timeline.
PROGRESS_FIELDS = frozenset({"progress_percent", "metric_value", "updated_at", "version"})


def _progress_only(entry: AuditEntry) -> bool:
    """Whether a task's audit entry only records the figures of a progress report."""
    before = entry.before or {}
    after = entry.after or {}
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return entry.action == "update" and changed <= PROGRESS_FIELDS


def _task_sentence(entry: AuditEntry, actor: str, title: str) -> str:
    if entry.action == "create":
        return _("{actor} created the task {title}", actor=actor, title=title)
    was_done, is_done = _changed(entry, "done")
    if is_done and not was_done:
        return _("{actor} completed the task {title}", actor=actor, title=title)
    if was_done and is_done is False:
        return _("{actor} reopened the task {title}", actor=actor, title=title)
    was_cancelled, is_cancelled = _changed(entry, "cancelled")
    if is_cancelled and not was_cancelled:
        return _("{actor} cancelled the task {title}", actor=actor, title=title)
    was_archived, is_archived = _changed(entry, "archived_at")
    if is_archived and not was_archived:
        return _("{actor} archived the task {title}", actor=actor, title=title)
    old_due, new_due = _changed(entry, "due_on")
    if new_due and old_due != new_due:
        try:
            when = format_date(date.fromisoformat(str(new_due)[:10]))
        except ValueError:
            when = str(new_due)
        return _("{actor} moved the due date of {title} to {date}", actor=actor, title=title, date=when)
    return _("{actor} edited the task {title}", actor=actor, title=title)


def _agreement_sentence(entry: AuditEntry, actor: str) -> str:
    if entry.action == "create":
        return _("{actor} registered the agreement", actor=actor)
    if entry.action == "attach":
        return _("{actor} attached a signed original", actor=actor)
    if entry.action == "archive":
        return _("{actor} archived the agreement", actor=actor)
    if entry.action == "restore":
        return _("{actor} restored the agreement", actor=actor)
    return _("{actor} edited the agreement", actor=actor)


def _commitment_sentence(entry: AuditEntry, actor: str, commitments: Mapping[int, Commitment]) -> str | None:
    commitment = commitments.get(entry.object_id)
    what = commitment.action if commitment is not None else ""
    what = what if len(what) <= 60 else what[:60] + "…"
    if entry.action == "merge":
        into = (entry.after or {}).get("merged_into")
        keeper = commitments.get(into) if isinstance(into, int) else None
        if keeper is None:
            return None  # the entry of the commitment the others were merged into
        target = keeper.action if len(keeper.action) <= 60 else keeper.action[:60] + "…"
        return _(
            "{actor} merged the commitment “{what}” into “{target}”", actor=actor, what=what, target=target
        )
    review = (entry.after or {}).get("review")
    if entry.action == "review" or review != (entry.before or {}).get("review"):
        if review == "accepted":
            return _("{actor} accepted the commitment “{what}”", actor=actor, what=what)
        if review == "rejected":
            return _("{actor} rejected the commitment “{what}”", actor=actor, what=what)
    return None  # edits while reviewing the text are told on the review page, not here


def timeline(
    session: Session, agreement: Agreement, *, today: date, at_risk_days: int = 14
) -> list[TimelineItem]:
    """Events, dates, tasks, progress, notices and changes of one agreement, in date order."""
    items: list[TimelineItem] = []
    if agreement.signing_event is not None:
        event = agreement.signing_event
        items.append(
            TimelineItem(
                event.held_on,
                None,
                "event",
                _("Signing event: {title}", title=localized(event, "title")),
                f"/events/{event.id}",
            )
        )
    for day, label in (
        (agreement.signed_on, _("The agreement was signed")),
        (agreement.effective_from, _("The agreement takes effect")),
        (agreement.expires_on, _("The agreement ends")),
    ):
        if day is not None:
            items.append(TimelineItem(day, None, "agreement", label, f"/agreements/{agreement.id}"))

    tasks = task_service.tasks_of_agreement(session, agreement.id)
    by_id = {t.id: t for t in tasks}
    live = task_service.live(tasks)
    # The later open occurrences of a series are told once, at the next of them.
    later: dict[int, list[Task]] = defaultdict(list)
    for task in live:
        parent = by_id.get(task.parent_id) if task.parent_id is not None else None
        if parent is not None and parent.recurrence_rule and not task.done and task.due_on >= today:
            later[parent.id].append(task)
    skipped: set[int] = set()
    remark: dict[int, str] = {}
    for series in later.values():
        series.sort(key=lambda t: t.due_on)
        first, rest = series[0], series[1:]
        if rest:
            skipped.update(t.id for t in rest)
            remark[first.id] = ngettext(
                "then {n} more occurrence, until {date}",
                "then {n} more occurrences, until {date}",
                len(rest),
                date=format_date(rest[-1].due_on),
            )
    for task in live:
        if task.id in skipped or (task.done and task.done_on is not None):
            continue  # done work is told by its completion
        status = task_service.status_of(task, today, at_risk_days)
        items.append(
            TimelineItem(
                task.due_on,
                None,
                "task",
                _("{title} is due", title=task.title),
                f"/tasks/{task.id}",
                remark.get(task.id, ""),
                status.value,
            )
        )

    ids = list(by_id)
    updates = (
        list(session.scalars(select(ProgressUpdate).where(ProgressUpdate.task_id.in_(ids)))) if ids else []
    )
    evidence = list(session.scalars(select(Evidence).where(Evidence.task_id.in_(ids)))) if ids else []
    notices = list(session.scalars(select(NoticeRecord).where(NoticeRecord.task_id.in_(ids)))) if ids else []
    commitments = {
        c.id: c for c in session.scalars(select(Commitment).where(Commitment.agreement_id == agreement.id))
    }
    audited = [
        ("agreement", [agreement.id]),
        ("task", ids),
        ("evidence", [e.id for e in evidence]),
        ("commitment", list(commitments)),
    ]
    conditions = [
        (AuditEntry.object_type == kind) & AuditEntry.object_id.in_(object_ids)
        for kind, object_ids in audited
        if object_ids
    ]
    entries = list(session.scalars(select(AuditEntry).where(or_(*conditions)))) if conditions else []
    names = _names(
        session,
        [e.actor_id for e in entries]
        + [u.author_id for u in updates]
        + [n.recipient_user_id for n in notices],
    )

    for update in updates:
        task = by_id[update.task_id]
        author = names.get(update.author_id or 0) or update.author_label
        if update.percent is not None:
            text = _(
                "{author} reported {percent} % on {title}",
                author=author,
                percent=f"{update.percent:.0f}",
                title=task.title,
            )
        else:
            text = _("{author} reported progress on {title}", author=author, title=task.title)
        note = (update.note or "").strip()
        items.append(
            TimelineItem(
                update.reported_on,
                _as_utc(update.created_at),
                "update",
                text,
                f"/tasks/{task.id}",
                note if len(note) <= 200 else note[:200] + "…",
            )
        )

    groups: dict[tuple[int, str, date], list[NoticeRecord]] = defaultdict(list)
    for notice in notices:
        if notice.task_id is not None:
            at = _as_utc(notice.sent_at or notice.created_at)
            groups[(notice.task_id, notice.kind, clock.day_of(at))].append(notice)
    for (task_id, kind, day), group in groups.items():
        title = by_id[task_id].title
        people = sorted({names.get(n.recipient_user_id or 0) or n.recipient for n in group})
        who = _(", ").join(people[:3])
        if len(people) > 3:
            who = ngettext("{names} and {n} other", "{names} and {n} others", len(people) - 3, names=who)
        if kind == "reminder":
            text = _("{who} reminded that {title} is due", who=who, title=title)
        elif kind == "overdue":
            text = _("{who} told that {title} is overdue", who=who, title=title)
        else:
            text = _("{title} escalated to {who}", title=title, who=who)
        at = max(_as_utc(n.sent_at or n.created_at) for n in group)
        sent = all(n.status.value == "sent" for n in group)
        items.append(
            TimelineItem(
                day,
                at,
                "notice",
                text,
                f"/tasks/{task_id}",
                _("Sent") if sent else _("Waiting in the outbox"),
            )
        )

    files = {e.id: e for e in evidence}
    completed: set[int] = set()
    for entry in entries:
        actor = _actor(entry, names)
        url: str | None = None
        sentence: str | None
        if entry.object_type == "task":
            if _progress_only(entry):
                continue
            target = by_id.get(entry.object_id)
            title = target.title if target else str((entry.after or entry.before or {}).get("title", ""))
            sentence = _task_sentence(entry, actor, title)
            if (entry.after or {}).get("done") and not (entry.before or {}).get("done"):
                completed.add(entry.object_id)
            url = f"/tasks/{entry.object_id}" if target else None
        elif entry.object_type == "evidence":
            item = files.get(entry.object_id)
            name = item.filename if item else str((entry.before or {}).get("filename", ""))
            title = by_id[item.task_id].title if item and item.task_id in by_id else ""
            if entry.action == "delete":
                sentence = _("{actor} removed the evidence {file}", actor=actor, file=name)
            else:
                sentence = _(
                    "{actor} attached the evidence {file} to {title}", actor=actor, file=name, title=title
                )
            url = f"/tasks/{item.task_id}" if item else None
        elif entry.object_type == "commitment":
            sentence = _commitment_sentence(entry, actor, commitments)
        else:
            sentence = _agreement_sentence(entry, actor)
            url = f"/agreements/{agreement.id}"
        if sentence is None:
            continue
        at = _as_utc(entry.at)
        day = clock.day_of(at)
        done_on = (
            by_id[entry.object_id].done_on
            if entry.object_id in completed and entry.object_id in by_id
            else None
        )
        if entry.object_type == "task" and done_on is not None:
            day = done_on  # told on the day the work was done, which may be before it was recorded
        items.append(TimelineItem(day, at, "audit", sentence, url))

    for task in live:
        if task.done and task.done_on is not None and task.id not in completed:
            items.append(
                TimelineItem(
                    task.done_on,
                    None,
                    "task",
                    _("{title} was completed", title=task.title),
                    f"/tasks/{task.id}",
                )
            )

    floor = datetime.min.replace(tzinfo=UTC)
    return sorted(items, key=lambda i: (i.day, i.at or floor, i.kind))
