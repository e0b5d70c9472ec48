"""Where an organisation's or a person's notices go besides the default e-mail: messenger robots and
webhooks configured in the application.

The address (a webhook URL carries its key) and the signing secret are stored encrypted
(``services.channel_secrets``); ``address_hint`` is the masked form pages show.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.models.base import Base, enum_column, utcnow
from accord.models.task import NoticeChannel

if TYPE_CHECKING:
    from accord.models.organisation import Organisation
    from accord.models.user import User


class NoticeTarget(Base):
    """One channel of one organisation (group robots: its chain's notices) or one person (their own)."""

    __tablename__ = "notice_target"
    __table_args__ = (CheckConstraint("(organisation_id IS NULL) <> (user_id IS NULL)", name="one_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    platform: Mapped[NoticeChannel] = mapped_column(enum_column(NoticeChannel))
    label: Mapped[str] = mapped_column(String(100))
    address_encrypted: Mapped[str] = mapped_column(Text)
    secret_encrypted: Mapped[str | None] = mapped_column(Text)
    address_hint: Mapped[str] = mapped_column(String(200))
    secret_hint: Mapped[str | None] = mapped_column(String(20))
    # Language of an organisation's channel (a group reads one language); a person's follows the person.
    language: Mapped[str | None] = mapped_column(String(8))
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    tested_at: Mapped[datetime | None]
    test_error: Mapped[str | None] = mapped_column(String(500))

    organisation: Mapped[Organisation | None] = relationship()
    user: Mapped[User | None] = relationship()
