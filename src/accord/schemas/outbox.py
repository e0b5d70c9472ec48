"""The outbox's shape, as the outbox service builds it and the pages and the API show it."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict


class OutboxNoticeOut(BaseModel):
    """An e-mail notice: ``held`` while no SMTP server is configured, then pending, sent or failed."""

    model_config = ConfigDict(frozen=True)

    id: int
    created_at: datetime
    recipient: str
    language: str
    kind: str
    level: str
    state: str
    subject: str
    body: str
    due_on: date
    task_id: int | None
    match_id: int | None
    attempts: int
    sent_at: datetime | None
    last_error: str | None
