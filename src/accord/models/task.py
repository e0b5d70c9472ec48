"""Delivery records: tasks, their occurrences, progress updates, evidence and the notices sent about them.

A task's status is never stored: it is computed from its dates, progress and flags by
``accord.delivery.status.task_status`` whenever it is shown.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.models.base import Base, Versioned, enum_column, utcnow

if TYPE_CHECKING:
    from accord.models.agreement import Agreement
    from accord.models.commitment import Commitment
    from accord.models.organisation import Organisation
    from accord.models.person import Person
    from accord.models.user import User


class TaskKind(enum.StrEnum):
    """A task is work over a period; a milestone is a single deliverable date."""

    TASK = "task"
    MILESTONE = "milestone"


class Task(Versioned, Base):
    """A piece of work that delivers (part of) a commitment, owned by one organisation."""

    __tablename__ = "task"
    __table_args__ = (Index("ix_task_open_due", "done", "cancelled", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Denormalised from the commitment so that hand-made tasks and board queries need no join.
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("commitment.id", ondelete="SET NULL"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), index=True)
    kind: Mapped[TaskKind] = mapped_column(enum_column(TaskKind), default=TaskKind.TASK)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    owner_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    start_on: Mapped[date | None]
    due_on: Mapped[date] = mapped_column(index=True)
    done: Mapped[bool] = mapped_column(default=False)
    done_on: Mapped[date | None]
    cancelled: Mapped[bool] = mapped_column(default=False)
    progress_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    metric_target: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    metric_unit: Mapped[str | None] = mapped_column(String(50))
    metric_value: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    # iCalendar RRULE of a recurring obligation; its occurrences are child tasks.
    recurrence_rule: Mapped[str | None] = mapped_column(String(300))

    agreement: Mapped[Agreement] = relationship()
    commitment: Mapped[Commitment | None] = relationship()
    parent: Mapped[Task | None] = relationship(remote_side=[id], back_populates="children")
    # Not ordered in SQL: with ORDER BY due_on SQLite prefers the due_on index and scans the table.
    children: Mapped[list[Task]] = relationship(back_populates="parent")
    owner_organisation: Mapped[Organisation] = relationship()
    owner_person: Mapped[Person | None] = relationship()
    owner_user: Mapped[User | None] = relationship()


class Occurrence(Base):
    """One date of a recurring task; tracked on its own through the child task created for it."""

    __tablename__ = "task_occurrence"
    __table_args__ = (UniqueConstraint("series_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int]
    due_on: Mapped[date]
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), unique=True)

    task: Mapped[Task] = relationship(foreign_keys=[task_id])


class ProgressUpdate(Base):
    """An owner's report: a percentage and/or a metric value, with a note."""

    __tablename__ = "progress_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    reported_on: Mapped[date]
    percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    metric_value: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    author_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    task: Mapped[Task] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(back_populates="update", order_by="Evidence.id")


class Evidence(Base):
    """A file proving progress, stored unchanged under its SHA-256."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    update_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_update.id", ondelete="SET NULL"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    update: Mapped[ProgressUpdate | None] = relationship(back_populates="evidence")


class NoticeChannel(enum.StrEnum):
    """How a notice is delivered."""

    EMAIL = "email"
    WEBHOOK = "webhook"
    WECOM = "wecom"
    DINGTALK = "dingtalk"
    FEISHU = "feishu"
    SLACK = "slack"
    TEAMS = "teams"


class NoticeState(enum.StrEnum):
    """Pending until delivered (sent) or given up on (failed)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class NoticeRecord(Base):
    """One reminder, escalation or invitation on one channel; the UNIQUE key is the claim against double sends."""

    __tablename__ = "notice"
    __table_args__ = (Index("ix_notice_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The planner's dedupe key plus the channel: "t42:overdue:owner:u1:2026-06-30:2026-07-01#email".
    key: Mapped[str] = mapped_column(String(255), unique=True)
    plan_key: Mapped[str] = mapped_column(String(240))
    # A notice is about a task (reminders, escalations) or a sent match (the expert's invitation).
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    match_id: Mapped[int | None] = mapped_column(
        ForeignKey("demand_match.id", ondelete="CASCADE"), index=True
    )
    # The configured channel (organisation's or person's) it goes out on; null for the settings' e-mail/webhook.
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("notice_target.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[NoticeChannel] = mapped_column(enum_column(NoticeChannel))
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recipient: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    due_on: Mapped[date]
    days: Mapped[int] = mapped_column(default=0)
    status: Mapped[NoticeState] = mapped_column(enum_column(NoticeState), default=NoticeState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    task: Mapped[Task | None] = relationship()
