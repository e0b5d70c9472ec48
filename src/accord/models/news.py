"""News and notices: bilingual articles in Markdown about events, agreements and co-built institutions,
the images uploaded for them, and daily read tallies.

Read counts keep no personal data: a visitor is a keyed hash of the day, address and browser, stored
only for the current day (older rows are purged) so that a visit counts once per visitor per day.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.models.base import Base, Versioned, enum_column, utcnow

if TYPE_CHECKING:
    from accord.models.agreement import Agreement
    from accord.models.event import SigningEvent
    from accord.models.organisation import Organisation
    from accord.models.portfolio import Institution


class NewsKind(enum.StrEnum):
    """A news report, or a notice (an announcement of something to come)."""

    NEWS = "news"
    NOTICE = "notice"


class NewsStatus(enum.StrEnum):
    """Only published items are public."""

    DRAFT = "draft"
    PUBLISHED = "published"


news_agreement = Table(
    "news_agreement",
    Base.metadata,
    Column("news_id", ForeignKey("news_item.id", ondelete="CASCADE"), primary_key=True),
    Column("agreement_id", ForeignKey("agreement.id", ondelete="CASCADE"), primary_key=True, index=True),
)
news_institution = Table(
    "news_institution",
    Base.metadata,
    Column("news_id", ForeignKey("news_item.id", ondelete="CASCADE"), primary_key=True),
    Column("institution_id", ForeignKey("institution.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class NewsItem(Versioned, Base):
    """A bilingual article published by an organisation, about signing events and agreements."""

    __tablename__ = "news_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NewsKind] = mapped_column(enum_column(NewsKind), default=NewsKind.NEWS, index=True)
    status: Mapped[NewsStatus] = mapped_column(enum_column(NewsStatus), default=NewsStatus.DRAFT, index=True)
    title_zh: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    summary_zh: Mapped[str | None] = mapped_column(String(600))
    summary_en: Mapped[str | None] = mapped_column(String(600))
    # Markdown; rendered to HTML and sanitised with an allow-list every time it is shown.
    body_zh: Mapped[str | None] = mapped_column(Text)
    body_en: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(500))
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    publisher_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    signing_event_id: Mapped[int | None] = mapped_column(ForeignKey("signing_event.id"), index=True)
    read_count: Mapped[int] = mapped_column(default=0)

    publisher: Mapped[Organisation] = relationship()
    signing_event: Mapped[SigningEvent | None] = relationship()
    agreements: Mapped[list[Agreement]] = relationship(secondary=news_agreement, order_by="Agreement.id")
    institutions: Mapped[list[Institution]] = relationship(
        secondary=news_institution, order_by="Institution.id"
    )
    images: Mapped[list[NewsImage]] = relationship(
        back_populates="news", cascade="all, delete-orphan", order_by="NewsImage.id"
    )


class NewsImage(Base):
    """An image uploaded for an article, checked to be a real image, stored under its SHA-256."""

    __tablename__ = "news_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    news_id: Mapped[int] = mapped_column(ForeignKey("news_item.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    news: Mapped[NewsItem] = relationship(back_populates="images")


class NewsVisit(Base):
    """One counted visit: article, day and an anonymous visitor hash; rows of past days are purged."""

    __tablename__ = "news_visit"

    news_id: Mapped[int] = mapped_column(ForeignKey("news_item.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True, index=True)
    visitor: Mapped[str] = mapped_column(String(64), primary_key=True)
