"""Matchmaking: works (publications and patents) with their authorships, enterprise demands, and the
matches a coordinator sends to experts, achievement owners and labs."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Float, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord import clock
from accord.models.base import Base, Versioned, enum_column, utcnow

if TYPE_CHECKING:
    from accord.models.organisation import Organisation
    from accord.models.person import Person
    from accord.models.portfolio import Project
    from accord.models.transfer import Achievement
    from accord.models.user import User


class WorkKind(enum.StrEnum):
    """A publication or a patent."""

    PAPER = "paper"
    PATENT = "patent"


class AuthorState(enum.StrEnum):
    """How an author name is linked to a person of the registry."""

    MATCHED = "matched"  # linked automatically, one confident candidate
    PENDING = "pending"  # ambiguous: waits for a coordinator
    CONFIRMED = "confirmed"  # linked (or left unlinked) by a coordinator
    UNMATCHED = "unmatched"  # no candidate in the registry


class Work(Versioned, Base):
    """A publication or patent; its authors make expert profiles."""

    __tablename__ = "work"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[WorkKind] = mapped_column(enum_column(WorkKind), index=True)
    title: Mapped[str] = mapped_column(String(500), index=True)
    abstract: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(index=True)
    venue: Mapped[str | None] = mapped_column(String(300))
    doi: Mapped[str | None] = mapped_column(String(200), index=True)
    patent_number: Mapped[str | None] = mapped_column(String(100), index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    source: Mapped[str | None] = mapped_column(String(40))

    authors: Mapped[list[Authorship]] = relationship(
        back_populates="work", cascade="all, delete-orphan", order_by="Authorship.position"
    )


class Authorship(Base):
    """An author name of a work and the person it was linked to (if any)."""

    __tablename__ = "authorship"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("work.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    state: Mapped[AuthorState] = mapped_column(enum_column(AuthorState), index=True)
    confidence: Mapped[float | None] = mapped_column(Float)
    # [{"person_id": 3, "confidence": 0.62, "reason": "..."}] for the review queue
    candidates: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None]

    work: Mapped[Work] = relationship(back_populates="authors")
    person: Mapped[Person | None] = relationship()


class DemandStatus(enum.StrEnum):
    """open → closed (solved or withdrawn)."""

    OPEN = "open"
    CLOSED = "closed"


class Demand(Versioned, Base):
    """An enterprise's technical problem, posted by a user or through the public form."""

    __tablename__ = "demand"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), index=True)
    description: Mapped[str] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(String(100), index=True)
    budget: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    deadline: Mapped[date | None]
    language: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[DemandStatus] = mapped_column(
        enum_column(DemandStatus), default=DemandStatus.OPEN, index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    public: Mapped[bool] = mapped_column(default=False)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_organisation: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(50))

    organisation: Mapped[Organisation | None] = relationship()
    submitted_by: Mapped[User | None] = relationship()
    matches: Mapped[list[Match]] = relationship(back_populates="demand", order_by="Match.id")


class MatchTarget(enum.StrEnum):
    """What a demand was matched to."""

    EXPERT = "expert"
    ACHIEVEMENT = "achievement"
    LAB = "lab"


class MatchStatus(enum.StrEnum):
    """sent → accepted | declined."""

    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Match(Versioned, Base):
    """A suggestion for a demand that a coordinator sent on, with its explanation and the response."""

    __tablename__ = "demand_match"

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demand.id"), index=True)
    target: Mapped[MatchTarget] = mapped_column(enum_column(MatchTarget), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    achievement_id: Mapped[int | None] = mapped_column(ForeignKey("achievement.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    explanation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[MatchStatus] = mapped_column(
        enum_column(MatchStatus), default=MatchStatus.SENT, index=True
    )
    sent_on: Mapped[date] = mapped_column(default=clock.today)
    sent_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    responded_on: Mapped[date | None]
    response_note: Mapped[str | None] = mapped_column(Text)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    demand: Mapped[Demand] = relationship(back_populates="matches")
    person: Mapped[Person | None] = relationship()
    achievement: Mapped[Achievement | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    project: Mapped[Project | None] = relationship()
