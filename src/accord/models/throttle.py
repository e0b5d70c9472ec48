"""Counters of attempts per key (an account being signed in to, a client address), shared by every
application process because they live in the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from accord.models.base import Base


class Throttle(Base):
    """Attempts of one kind (``bucket``) for one key within the current window, and how long the key is
    blocked. The key is a keyed hash, so neither addresses nor e-mail addresses are stored."""

    __tablename__ = "throttle"

    bucket: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime]
    count: Mapped[int] = mapped_column(default=0)
    blocked_until: Mapped[datetime | None]
