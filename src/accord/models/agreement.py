"""Agreements, their parties in order (party A, B, C…) and attached signed documents."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.models.base import Base, Versioned, enum_column, utcnow

if TYPE_CHECKING:
    from accord.models.event import SigningEvent
    from accord.models.organisation import Organisation
    from accord.models.person import Person


class AgreementKind(enum.StrEnum):
    """The kinds of agreement Accord distinguishes."""

    STRATEGIC = "strategic"
    FRAMEWORK = "framework"
    COOPERATIVE_OPERATION = "cooperative_operation"
    MOU = "mou"
    OTHER = "other"


class AgreementStatus(enum.StrEnum):
    """Lifecycle: draft → signed → in force → expired / terminated."""

    DRAFT = "draft"
    SIGNED = "signed"
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    TERMINATED = "terminated"


class Agreement(Versioned, Base):
    """A signed cooperation document between two or more organisations."""

    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_zh: Mapped[str | None] = mapped_column(String(300), index=True)
    title_en: Mapped[str | None] = mapped_column(String(300), index=True)
    kind: Mapped[AgreementKind] = mapped_column(enum_column(AgreementKind), index=True)
    status: Mapped[AgreementStatus] = mapped_column(enum_column(AgreementStatus), index=True)
    signed_on: Mapped[date | None] = mapped_column(index=True)
    effective_from: Mapped[date | None]
    expires_on: Mapped[date | None] = mapped_column(index=True)
    term_zh: Mapped[str | None] = mapped_column(String(100))
    term_en: Mapped[str | None] = mapped_column(String(100))
    summary_zh: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    signing_event_id: Mapped[int | None] = mapped_column(ForeignKey("signing_event.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)

    signing_event: Mapped[SigningEvent | None] = relationship()
    parent: Mapped[Agreement | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Agreement]] = relationship(back_populates="parent")
    parties: Mapped[list[AgreementParty]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementParty.position"
    )
    documents: Mapped[list[SignedDocument]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="SignedDocument.uploaded_at"
    )


class AgreementParty(Base):
    """An organisation's place in an agreement (position 0 = party A) and who signed for it."""

    __tablename__ = "agreement_party"
    __table_args__ = (
        UniqueConstraint("agreement_id", "organisation_id"),
        UniqueConstraint("agreement_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    position: Mapped[int]
    signatory_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    agreement: Mapped[Agreement] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship()
    signatory: Mapped[Person | None] = relationship()


class SignedDocument(Base):
    """An uploaded original (scan, DOCX, PDF), stored unchanged under its SHA-256."""

    __tablename__ = "signed_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="documents")
