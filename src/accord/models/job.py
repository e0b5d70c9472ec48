"""Background jobs: long work (a batch of files, an OCR run) with its state and progress in the database."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base, enum_column, utcnow


class JobState(enum.StrEnum):
    """queued → running → done | failed | cancelled."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


class Job(Base):
    """One run of a registered job kind for a user, with the progress a page shows.

    ``message`` and ``error`` hold English source texts (gettext message ids) filled from ``args``,
    so each reader sees them in their own language, whoever started the job.
    """

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_runnable", "state", "heartbeat_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    state: Mapped[JobState] = mapped_column(enum_column(JobState), default=JobState.QUEUED)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None]
    message: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str | None] = mapped_column(Text)
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    # How many times a runner took the job; a job whose runner died is taken again, up to a limit.
    attempts: Mapped[int] = mapped_column(default=0)
    # Touched by the runner while the job runs; a running job whose heartbeat stopped is taken again.
    heartbeat_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def active(self) -> bool:
        """Whether the job is still waiting or running."""
        return self.state in ACTIVE_STATES

    @property
    def percent(self) -> int | None:
        """Progress in whole percent, when the total is known."""
        if not self.total:
            return None
        return max(0, min(100, round(100 * self.done / self.total)))
