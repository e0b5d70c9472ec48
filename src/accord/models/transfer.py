"""Technology transfer: achievements moving through the pipeline, and the deals that transfer them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.models.base import Base, Versioned, enum_column, utcnow
from accord.models.portfolio import fulfils_table

if TYPE_CHECKING:
    from accord.models.agreement import Agreement
    from accord.models.commitment import Commitment
    from accord.models.organisation import Organisation
    from accord.models.person import Person


deal_commitment = fulfils_table("deal_commitment", "deal")


class IPType(enum.StrEnum):
    """How an achievement is protected."""

    PATENT = "patent"
    SOFTWARE_COPYRIGHT = "software_copyright"
    KNOW_HOW = "know_how"
    OTHER = "other"


class PipelineStage(enum.StrEnum):
    """listed → matched → negotiating → licensed | transferred | equity → industrialised; or withdrawn."""

    LISTED = "listed"
    MATCHED = "matched"
    NEGOTIATING = "negotiating"
    LICENSED = "licensed"
    TRANSFERRED = "transferred"
    EQUITY = "equity"
    INDUSTRIALISED = "industrialised"
    WITHDRAWN = "withdrawn"


# The step of each stage; a move forward goes exactly one step (the three ways of closing share one).
PIPELINE_STEP: dict[PipelineStage, int] = {
    PipelineStage.LISTED: 0,
    PipelineStage.MATCHED: 1,
    PipelineStage.NEGOTIATING: 2,
    PipelineStage.LICENSED: 3,
    PipelineStage.TRANSFERRED: 3,
    PipelineStage.EQUITY: 3,
    PipelineStage.INDUSTRIALISED: 4,
}


class DealType(enum.StrEnum):
    """How an achievement changes hands."""

    LICENCE = "licence"
    ASSIGNMENT = "assignment"
    EQUITY = "equity"
    SERVICE = "service"


class Achievement(Versioned, Base):
    """A transferable research result: who owns it, who made it, how protected and how mature."""

    __tablename__ = "achievement"
    __table_args__ = (CheckConstraint("maturity BETWEEN 1 AND 9", name="maturity_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title_zh: Mapped[str | None] = mapped_column(String(300), index=True)
    title_en: Mapped[str | None] = mapped_column(String(300), index=True)
    ip_type: Mapped[IPType] = mapped_column(enum_column(IPType), index=True)
    ip_numbers: Mapped[str | None] = mapped_column(String(300))
    maturity: Mapped[int]
    field_zh: Mapped[str | None] = mapped_column(String(100), index=True)
    field_en: Mapped[str | None] = mapped_column(String(100), index=True)
    abstract_zh: Mapped[str | None] = mapped_column(Text)
    abstract_en: Mapped[str | None] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(default=False, index=True)
    stage: Mapped[PipelineStage] = mapped_column(
        enum_column(PipelineStage), default=PipelineStage.LISTED, index=True
    )
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)

    agreement: Mapped[Agreement | None] = relationship()
    owners: Mapped[list[AchievementOwner]] = relationship(
        back_populates="achievement", cascade="all, delete-orphan", order_by="AchievementOwner.position"
    )
    inventors: Mapped[list[AchievementInventor]] = relationship(
        back_populates="achievement", cascade="all, delete-orphan", order_by="AchievementInventor.position"
    )
    moves: Mapped[list[PipelineMove]] = relationship(
        back_populates="achievement",
        cascade="all, delete-orphan",
        order_by="(PipelineMove.at, PipelineMove.id)",
    )
    deals: Mapped[list[Deal]] = relationship(back_populates="achievement", order_by="Deal.id")


class AchievementOwner(Base):
    """An organisation owning (part of) an achievement."""

    __tablename__ = "achievement_owner"
    __table_args__ = (UniqueConstraint("achievement_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    position: Mapped[int]

    achievement: Mapped[Achievement] = relationship(back_populates="owners")
    organisation: Mapped[Organisation] = relationship()


class AchievementInventor(Base):
    """A person who made an achievement."""

    __tablename__ = "achievement_inventor"
    __table_args__ = (UniqueConstraint("achievement_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    position: Mapped[int]

    achievement: Mapped[Achievement] = relationship(back_populates="inventors")
    person: Mapped[Person] = relationship()


class PipelineMove(Base):
    """One move of an achievement between pipeline stages: who, when and why (append-only)."""

    __tablename__ = "pipeline_move"

    id: Mapped[int] = mapped_column(primary_key=True)
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[PipelineStage | None] = mapped_column(enum_column(PipelineStage))
    to_stage: Mapped[PipelineStage] = mapped_column(enum_column(PipelineStage))
    reason: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_label: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    achievement: Mapped[Achievement] = relationship(back_populates="moves")


class Deal(Versioned, Base):
    """A transfer of an achievement: licence, assignment, equity or service, with its amount."""

    __tablename__ = "deal"
    __table_args__ = (
        CheckConstraint(
            "(amount IS NULL AND currency IS NULL) OR (amount IS NOT NULL AND currency IS NOT NULL)",
            name="amount_with_currency",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    achievement_id: Mapped[int] = mapped_column(ForeignKey("achievement.id"), index=True)
    deal_type: Mapped[DealType] = mapped_column(enum_column(DealType), index=True)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    signed_on: Mapped[date | None] = mapped_column(index=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    note_zh: Mapped[str | None] = mapped_column(Text)
    note_en: Mapped[str | None] = mapped_column(Text)

    achievement: Mapped[Achievement] = relationship(back_populates="deals")
    agreement: Mapped[Agreement | None] = relationship()
    parties: Mapped[list[DealParty]] = relationship(
        back_populates="deal", cascade="all, delete-orphan", order_by="DealParty.position"
    )
    commitments: Mapped[list[Commitment]] = relationship(secondary=deal_commitment)


class DealParty(Base):
    """An organisation party to a deal (the licensor, the licensee…)."""

    __tablename__ = "deal_party"
    __table_args__ = (UniqueConstraint("deal_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    position: Mapped[int]

    deal: Mapped[Deal] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship()
