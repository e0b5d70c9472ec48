"""Reminders, escalations (督办) and invitations to matched experts: plan with ``accord.delivery``, claim in
the database, send, retry.

No notice is sent twice, however many workers run against one database:

1. Planning inserts one ``notice`` row per planned notice and channel under a UNIQUE key
   (``INSERT … ON CONFLICT DO NOTHING``); every stored key is passed back to the planner as
   ``already_sent``, so a claimed notice is never planned again.
2. Sending takes a row only by a compare-and-set on ``attempts`` (a lease): of two workers that
   see the same pending row, exactly one update matches and only that worker sends.

Unlike the other services this one commits: a claim must be visible to the other workers before
the slow network send starts, and every attempt is recorded even if a later one fails.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload, sessionmaker

from accord.config import Settings
from accord.delivery import (
    DEFAULT_MAX_ATTEMPTS,
    EscalationPolicy,
    Level,
    MatchInfo,
    Notice,
    NoticeKind,
    PostResult,
    Recipient,
    RenderedNotice,
    SmtpConfig,
    TaskInfo,
    WatchedTask,
    build_email,
    card_for,
    next_attempt_after,
    plan_notices,
    render_match_invitation,
    render_notice,
    send_email,
    send_webhook,
    webhook_payload,
)
from accord.i18n import current_language, localized
from accord.models import (
    Agreement,
    AgreementParty,
    Match,
    Membership,
    NoticeChannel,
    NoticeRecord,
    NoticeState,
    NoticeTarget,
    Organisation,
    Role,
    Task,
    User,
)
from accord.services import agreements, notice_targets
from accord.services import tasks as task_service
from accord.services.matching import term_labels
from accord.services.permissions import Principal

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)  # a worker that dies mid-send releases its notice after this
BATCH = 200


@dataclass
class Summary:
    """What one round of the worker did."""

    planned: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    # Why each attempt that did not go out failed, one line per notice ("channel to recipient: reason").
    errors: list[str] = field(default_factory=list)


def policy(settings: Settings) -> EscalationPolicy:
    """The escalation ladder configured in the settings."""
    return EscalationPolicy(
        remind_days_before=tuple(int(d) for d in settings.remind_days_before.split(",")),
        overdue_repeat_days=settings.overdue_repeat_days,
        escalate_coordinator_after=settings.escalate_coordinator_after,
        escalate_leadership_after=max(
            settings.escalate_leadership_after, settings.escalate_coordinator_after
        ),
    )


def smtp_config(settings: Settings) -> SmtpConfig | None:
    """The SMTP server, or None when e-mail is not configured."""
    if not settings.smtp_host:
        return None
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_sender,
        username=settings.smtp_user or None,
        password=settings.smtp_password or None,
        starttls=settings.smtp_starttls and not settings.smtp_ssl,
        use_ssl=settings.smtp_ssl,
    )


def send_channel_test(
    session: Session, principal: Principal, settings: Settings, target_id: int
) -> PostResult:
    """Send a channel its test message now, in the reader's language (unless the channel has its own),
    a mailbox over the configured SMTP server; the outcome is kept on the channel."""
    return notice_targets.send_test(
        session,
        principal,
        settings,
        target_id,
        language="en" if current_language().startswith("en") else "zh",
        smtp=smtp_config(settings),
    )


def channels(settings: Settings) -> list[NoticeChannel]:
    """The channels every notice goes out on.

    E-mail is always one of them: without ``ACCORD_SMTP_HOST`` its notices wait in the outbox, where
    an administrator reads them, and go out once an SMTP server is configured.
    """
    found = [NoticeChannel.EMAIL]
    if settings.webhook_url:
        found.append(NoticeChannel.WEBHOOK)
    return found


# --- who is told ---------------------------------------------------------------------------------


def _noticed() -> tuple[ColumnElement[bool], ...]:
    """What makes a task one notices are planned for (joined with its agreement): open, not the rule
    of a recurring task (its occurrences are), on an agreement that is not archived."""
    return (
        Task.done.is_(False),
        Task.cancelled.is_(False),
        Task.archived_at.is_(None),
        Task.recurrence_rule.is_(None),
        Agreement.archived_at.is_(None),
    )


def _recipient(user: User, default_language: str) -> Recipient:
    return Recipient(
        id=f"u{user.id}", name=user.display_name, language=user.language or default_language, email=user.email
    )


def _members(session: Session, organisation_ids: set[int], roles: tuple[Role, ...]) -> list[User]:
    stmt = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id.in_(organisation_ids),
            Membership.role.in_(roles),
            User.is_active.is_(True),
        )
        .order_by(User.id)
    )
    return list(session.scalars(stmt).unique())


def stand_ins(session: Session) -> list[User]:
    """Who is told of a task whose owner organisation has no one to tell: the active administrators who
    hold no organisation role (they look after the installation as a whole), else every active
    administrator."""
    admins = list(
        session.scalars(
            select(User).where(User.is_admin.is_(True), User.is_active.is_(True)).order_by(User.id)
        )
    )
    with_roles = set(
        session.scalars(select(Membership.user_id).where(Membership.user_id.in_([u.id for u in admins])))
    )
    return [u for u in admins if u.id not in with_roles] or admins


def unreachable_tasks(session: Session) -> int:
    """Open tasks with no one to tell at any level (no owner account, no member or coordinator of the
    owner organisation, no coordinator above it or of a party): the administrators are told of them
    (``stand_ins``)."""
    active = select(User.id).where(User.is_active.is_(True))
    roles: dict[int, set[Role]] = {}
    for organisation_id, role in session.execute(
        select(Membership.organisation_id, Membership.role).where(Membership.user_id.in_(active))
    ):
        roles.setdefault(organisation_id, set()).add(role)
    people = set(
        session.scalars(select(User.person_id).where(User.is_active.is_(True), User.person_id.is_not(None)))
    )
    users = set(session.scalars(active))
    parent: dict[int, int | None] = {
        row.id: row.parent_id for row in session.execute(select(Organisation.id, Organisation.parent_id))
    }
    parties: dict[int, set[int]] = {}
    for agreement_id, organisation_id in session.execute(
        select(AgreementParty.agreement_id, AgreementParty.organisation_id)
    ):
        parties.setdefault(agreement_id, set()).add(organisation_id)

    def coordinated(organisation_id: int | None) -> bool:
        seen: set[int] = set()
        while organisation_id is not None and organisation_id not in seen:
            if Role.COORDINATOR in roles.get(organisation_id, set()):
                return True
            seen.add(organisation_id)
            organisation_id = parent.get(organisation_id)
        return False

    stmt = (
        select(Task.owner_organisation_id, Task.owner_user_id, Task.owner_person_id, Task.agreement_id)
        .join(Agreement, Agreement.id == Task.agreement_id)
        .where(*_noticed())
    )
    count = 0
    for owner, user_id, person_id, agreement_id in session.execute(stmt):
        reachable = (
            user_id in users
            or person_id in people
            or bool(roles.get(owner, set()) & {Role.MEMBER, Role.COORDINATOR})
            or coordinated(owner)
            or any(Role.COORDINATOR in roles.get(o, set()) for o in parties.get(agreement_id, set()))
        )
        count += not reachable
    return count


def _ancestors(session: Session, organisation_id: int) -> set[int]:
    found: set[int] = set()
    current: int | None = organisation_id
    while current is not None and current not in found:
        found.add(current)
        current = session.scalar(select(Organisation.parent_id).where(Organisation.id == current))
    return found


def watched(session: Session, task: Task, today: date, settings: Settings) -> WatchedTask:
    """The task as the planner sees it, with its three audiences.

    - owners: the owner user, else accounts of the owner person, else the owner organisation's
      members and coordinators; when no level has anyone, the administrators (``stand_ins``);
    - coordinators: coordinators of the owner organisation or an organisation above it;
    - leadership (督办): coordinators of every party to the agreement.
    """
    language = settings.default_language
    owners: list[User] = []
    if task.owner_user is not None and task.owner_user.is_active:
        owners = [task.owner_user]
    elif task.owner_person_id is not None:
        owners = list(
            session.scalars(
                select(User).where(User.person_id == task.owner_person_id, User.is_active.is_(True))
            )
        )
    if not owners:
        owners = _members(session, {task.owner_organisation_id}, (Role.MEMBER, Role.COORDINATOR))
    coordinators = _members(session, _ancestors(session, task.owner_organisation_id), (Role.COORDINATOR,))
    parties = {p.organisation_id for p in task.agreement.parties}
    leadership = _members(session, parties, (Role.COORDINATOR,))
    if not owners and not coordinators and not leadership:
        # No one to tell at any level: the administrators stand in for the owner, so a fresh
        # installation, where no one holds an organisation role yet, still hears of its deadlines.
        owners = stand_ins(session)
    return WatchedTask(
        task_id=f"t{task.id}",
        due=task.due_on,
        status=task_service.status_of(task, today, settings.at_risk_days),
        owners=tuple(_recipient(u, language) for u in owners),
        coordinators=tuple(_recipient(u, language) for u in coordinators),
        leadership=tuple(_recipient(u, language) for u in leadership),
    )


# --- planning and claiming -----------------------------------------------------------------------


def _claim(session: Session, notice: Notice, task: Task, now: datetime, **where: Any) -> bool:
    """Claim the row of a notice waiting to be sent (``where`` names its key, channel and recipient),
    committed at once; False when another worker claimed it first."""
    values = {
        "plan_key": notice.key,
        "task_id": task.id,
        "level": notice.level.value,
        "kind": notice.kind.value,
        "language": notice.language,
        "due_on": notice.due,
        "days": notice.days,
        "status": NoticeState.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        **where,
    }
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(NoticeRecord).values(**values).on_conflict_do_nothing(index_elements=["key"])
    result = session.execute(stmt)
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def plan(session: Session, today: date, settings: Settings, now: datetime) -> int:
    """Claim a row for every notice due today on every channel; returns how many were new."""
    wanted = channels(settings)
    if not wanted:
        return 0
    ladder = policy(settings)
    horizon = today + timedelta(days=max(ladder.remind_days_before, default=0))
    stmt = (
        select(Task)
        .join(Agreement, Agreement.id == Task.agreement_id)
        .where(*_noticed(), Task.due_on <= horizon)
        .options(selectinload(Task.agreement).selectinload(Agreement.parties), selectinload(Task.owner_user))
        .order_by(Task.id)
    )
    open_tasks = list(session.scalars(stmt))
    sent: dict[int, set[str]] = {}
    for task_id, key in session.execute(
        select(NoticeRecord.task_id, NoticeRecord.plan_key).where(
            NoticeRecord.task_id.in_([t.id for t in open_tasks])
        )
    ):
        if task_id is not None:
            sent.setdefault(task_id, set()).add(key)
    claimed = 0
    for task in open_tasks:
        watch = watched(session, task, today, settings)
        claimed += _claim_on_targets(
            session, task, watch, ladder, sent.get(task.id, set()), today, settings, now
        )
        for notice in plan_notices(watch, ladder, sent.get(task.id, set()), today):
            for channel in wanted:
                if channel is NoticeChannel.EMAIL and not notice.recipient.email:
                    continue
                claimed += _claim(
                    session,
                    notice,
                    task,
                    now,
                    key=f"{notice.key}#{channel.value}",
                    channel=channel.value,
                    recipient_user_id=int(notice.recipient.id[1:]),
                    recipient=notice.recipient.email or notice.recipient.name,
                )
    return claimed


# --- sending -------------------------------------------------------------------------------------


def _lease(session: Session, row_id: int, attempts: int, now: datetime) -> bool:
    result = session.execute(
        update(NoticeRecord)
        .where(
            NoticeRecord.id == row_id,
            NoticeRecord.status == NoticeState.PENDING,
            NoticeRecord.attempts == attempts,
            NoticeRecord.next_attempt_at <= now,
        )
        .values(attempts=attempts + 1, next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _rebuild(row: NoticeRecord, user: User | None) -> Notice:
    scheduled = date.fromisoformat(row.plan_key.rsplit(":", 1)[-1])
    recipient = Recipient(
        id=f"u{row.recipient_user_id}",
        name=user.display_name if user else row.recipient,
        language=row.language,
        email=user.email if user else row.recipient,
    )
    return Notice(
        key=row.plan_key,
        task_id=f"t{row.task_id}",
        level=Level(row.level),
        kind=NoticeKind(row.kind),
        recipient=recipient,
        language=row.language,  # type: ignore[arg-type]
        due=row.due_on,
        scheduled=scheduled,
        days=row.days,
    )


def _task_info(task: Task, language: str, settings: Settings) -> TaskInfo:
    owner = task.owner_person or task.owner_organisation
    lang = "zh_Hans" if language == "zh" else "en"
    return TaskInfo(
        title=task.title,
        agreement_title=localized(task.agreement, "title", lang),
        url=f"{settings.base_url.rstrip('/')}/tasks/{task.id}",
        progress_percent=float(task.progress_percent or 0),
        owner_name=localized(owner, "name", lang),
    )


def compose(session: Session, row: NoticeRecord, settings: Settings) -> RenderedNotice:
    """The subject and body of a stored notice, in its recipient's language, as it is (or was) sent."""
    if row.match_id is not None:
        match = session.get(Match, row.match_id)
        assert match is not None
        return render_match_invitation(match_info(match, row.language), row.language)
    task = session.get(Task, row.task_id)
    assert task is not None
    user = session.get(User, row.recipient_user_id) if row.recipient_user_id else None
    notice = _rebuild(row, user)
    return render_notice(notice, _task_info(task, notice.language, settings))


def _deliver(session: Session, row: NoticeRecord, settings: Settings) -> tuple[bool, str | None, bool]:
    """(ok, error, retryable) of one attempt; never raises."""
    try:
        if row.target_id is not None:
            return _deliver_to_target(session, row, settings)
        rendered = compose(session, row, settings)
        if row.channel is NoticeChannel.EMAIL:
            smtp = smtp_config(settings)
            if smtp is None:
                return False, "SMTP is not configured", True
            message = build_email(
                rendered,
                sender=smtp.sender,
                sender_name=smtp.sender_name,
                to=row.recipient,
                to_name=_recipient_name(session, row),
                notice_key=row.key,
            )
            email = send_email(smtp, message)
            return email.ok, email.error, True
        if not settings.webhook_url:
            return False, "The webhook URL is not configured", True
        task = session.get(Task, row.task_id)
        assert task is not None
        user = session.get(User, row.recipient_user_id) if row.recipient_user_id else None
        notice = _rebuild(row, user)
        info = _task_info(task, notice.language, settings)
        hook = send_webhook(
            settings.webhook_url, webhook_payload(notice, rendered, info), settings.webhook_secret
        )
        return hook.ok, hook.error, hook.retryable
    except Exception as exc:  # a bad row must not stop the worker
        log.exception("notice %s could not be sent", row.key)
        return False, f"{type(exc).__name__}: {exc}"[:500], True


def _recipient_name(session: Session, row: NoticeRecord) -> str:
    if row.match_id is not None:
        match = session.get(Match, row.match_id)
        return match_info(match, row.language).expert_name if match else ""
    user = session.get(User, row.recipient_user_id) if row.recipient_user_id else None
    return user.display_name if user else row.recipient


def match_info(match: Match, language: str) -> MatchInfo:
    """What the invitation to the expert of ``match`` says, from the demand and the recorded explanation."""
    lang = "zh_Hans" if language == "zh" else "en"
    demand = match.demand
    reasons = [label for label, _source in term_labels(match.explanation or {}, 6)]
    summary = demand.description.strip()
    return MatchInfo(
        expert_name=localized(match.person, "name", lang) if match.person else "",
        demand_title=demand.title,
        enterprise=localized(demand.organisation, "name", lang)
        if demand.organisation
        else (demand.contact_organisation or ""),
        summary=summary if len(summary) <= 300 else summary[:300] + "…",
        reasons=tuple(reasons),
        sender=match.sent_by,
        deadline=demand.deadline,
    )


def held(settings: Settings) -> bool:
    """Whether e-mail notices are held in the outbox (no SMTP server configured)."""
    return not settings.smtp_host


def due_notices(
    session: Session, now: datetime, limit: int = BATCH, *, settings: Settings | None = None
) -> list[tuple[int, int]]:
    """(id, attempts) of pending notices whose next attempt is due, oldest first.

    E-mail held in the outbox (``settings`` without an SMTP server) is left alone: it is not an
    attempt that failed, and it goes out as it is once a server is configured.
    """
    stmt = select(NoticeRecord.id, NoticeRecord.attempts).where(
        NoticeRecord.status == NoticeState.PENDING, NoticeRecord.next_attempt_at <= now
    )
    if settings is not None and held(settings):
        stmt = stmt.where(NoticeRecord.channel != NoticeChannel.EMAIL)
    due = session.execute(stmt.order_by(NoticeRecord.next_attempt_at, NoticeRecord.id).limit(limit)).all()
    session.commit()
    return [(row_id, attempts) for row_id, attempts in due]


def send_one(
    session: Session, row_id: int, attempts: int, settings: Settings, now: datetime, summary: Summary
) -> None:
    """Lease one notice and make one attempt, recording its outcome; another worker's lease wins."""
    if not _lease(session, row_id, attempts, now):
        return
    row = session.get(NoticeRecord, row_id)
    assert row is not None
    ok, error, retryable = _deliver(session, row, settings)
    if ok:
        row.status, row.sent_at, row.last_error = NoticeState.SENT, now, None
        summary.sent += 1
    else:
        row.last_error = (error or "unknown error")[:500]
        summary.errors.append(f"{row.channel.value} to {row.recipient}: {row.last_error}")
        if not retryable or row.attempts >= DEFAULT_MAX_ATTEMPTS:
            row.status = NoticeState.FAILED
            summary.failed += 1
        else:
            row.next_attempt_at = now + next_attempt_after(row.attempts)
            summary.retrying += 1
    session.commit()


def send_due(session: Session, settings: Settings, now: datetime, summary: Summary) -> None:
    """Send every pending notice whose attempt is due, recording each outcome."""
    for row_id, attempts in due_notices(session, now, settings=settings):
        send_one(session, row_id, attempts, settings, now, summary)


def plan_and_send(
    session: Session, today: date, settings: Settings, *, now: datetime | None = None
) -> Summary:
    """One round: plan and claim today's notices, then send whatever is due."""
    now = now or datetime.now(UTC)
    summary = Summary()
    # Agreements whose dates passed since the last round now read expired (or in force) in the API too.
    agreements.refresh_statuses(session, today)
    summary.planned = plan(session, today, settings, now)
    send_due(session, settings, now, summary)
    return summary


def run_worker(
    factory: sessionmaker[Session],
    settings: Settings,
    *,
    once: bool = False,
    stop: threading.Event | None = None,
) -> Summary:
    """Run rounds every ``worker_interval_seconds`` until ``stop`` is set (or once); never crashes."""
    stop = stop or threading.Event()
    last = Summary()
    while True:
        now = settings.clock.now()
        with factory() as session:
            try:
                last = plan_and_send(session, settings.clock.day_of(now), settings, now=now)
                log.info("notices: %s", last)
            except Exception:
                session.rollback()
                log.exception("worker round failed; trying again next round")
        if once or stop.wait(settings.worker_interval_seconds):
            return last


# --- organisations' and people's own channels (messengers, webhooks, mailboxes) ------------------


def _parents(session: Session, organisation_id: int) -> list[int]:
    """The organisations above ``organisation_id``, nearest first."""
    chain = []
    current = session.scalar(select(Organisation.parent_id).where(Organisation.id == organisation_id))
    while current is not None and current not in chain and current != organisation_id:
        chain.append(current)
        current = session.scalar(select(Organisation.parent_id).where(Organisation.id == current))
    return chain


def _group(target: NoticeTarget, name: str, default_language: str) -> Recipient:
    return Recipient(id=f"c{target.id}", name=name, language=target.language or default_language)


def _claim_on_targets(
    session: Session,
    task: Task,
    watch: WatchedTask,
    ladder: EscalationPolicy,
    already: set[str],
    today: date,
    settings: Settings,
    now: datetime,
) -> int:
    """Claim today's notices on the configured channels.

    People's own channels get what they get by e-mail. Organisations' channels follow the escalation
    chain: the owner organisation's channels its reminders and overdue notices, the channels of the
    organisations above it (else its own) the coordinators' escalation, the parties' channels the
    leadership's.
    """
    recipients = {int(r.id[1:]) for level in Level for r in watch.recipients(level)}
    personal: dict[int, list[NoticeTarget]] = {}
    for target in notice_targets.enabled_for(session, user_ids=recipients):
        assert target.user_id is not None
        personal.setdefault(target.user_id, []).append(target)
    owner = task.owner_organisation_id
    above = _parents(session, owner) or [owner]
    parties = sorted({p.organisation_id for p in task.agreement.parties})
    by_org: dict[int, list[NoticeTarget]] = {}
    for target in notice_targets.enabled_for(session, organisation_ids={owner, *above, *parties}):
        assert target.organisation_id is not None
        by_org.setdefault(target.organisation_id, []).append(target)
    lang = "zh_Hans" if settings.default_language.startswith("zh") else "en"

    def groups(organisation_ids: list[int]) -> tuple[Recipient, ...]:
        found = []
        for organisation_id in organisation_ids:
            organisation = session.get(Organisation, organisation_id)
            name = localized(organisation, "name", lang) if organisation else ""
            found += [_group(t, name, settings.default_language) for t in by_org.get(organisation_id, [])]
        return tuple(found)

    if not personal and not by_org:
        return 0
    chain = WatchedTask(
        task_id=watch.task_id,
        due=watch.due,
        status=watch.status,
        owners=groups([owner]),
        coordinators=groups(above),
        leadership=groups(parties),
    )
    rows: list[tuple[Notice, NoticeTarget, int | None]] = []
    targets = {t.id: t for ts in by_org.values() for t in ts}
    for notice in plan_notices(chain, ladder, already, today):
        rows.append((notice, targets[int(notice.recipient.id[1:])], None))
    for notice in plan_notices(watch, ladder, already, today):
        person = int(notice.recipient.id[1:])
        rows += [(notice, target, person) for target in personal.get(person, [])]
    claimed = 0
    for notice, target, user_id in rows:
        claimed += _claim(
            session,
            notice,
            task,
            now,
            key=f"{notice.key}#t{target.id}",
            target_id=target.id,
            channel=target.platform.value,
            recipient_user_id=user_id,
            recipient=f"{notice.recipient.name} · {target.label}"[:200],
        )
    return claimed


def _deliver_to_target(
    session: Session, row: NoticeRecord, settings: Settings
) -> tuple[bool, str | None, bool]:
    target = session.get(NoticeTarget, row.target_id)
    task = session.get(Task, row.task_id)
    if target is None or task is None:
        return False, "The channel or the task no longer exists", False
    if not target.enabled:
        return False, "The channel is turned off", False
    user = session.get(User, row.recipient_user_id) if row.recipient_user_id else None
    name = user.display_name if user else row.recipient.rsplit(" · ", 1)[0]
    notice = Notice(
        key=row.plan_key,
        task_id=f"t{row.task_id}",
        level=Level(row.level),
        kind=NoticeKind(row.kind),
        recipient=Recipient(id=row.plan_key.split(":")[3], name=name, language=row.language),
        language="en" if row.language == "en" else "zh",
        due=row.due_on,
        scheduled=date.fromisoformat(row.plan_key.rsplit(":", 1)[-1]),
        days=row.days,
    )
    info = _task_info(task, notice.language, settings)
    rendered = render_notice(notice, info)
    result = notice_targets.send(
        settings,
        target,
        card_for(notice, rendered, info),
        rendered=rendered,
        smtp=smtp_config(settings),
        notice_key=row.key,
        webhook_document=webhook_payload(notice, rendered, info),
    )
    return result.ok, result.error, result.retryable
