"""Imported agreement texts (one row per version) and the clauses found in them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.models.base import Base, enum_column, utcnow

if TYPE_CHECKING:
    from accord.models.agreement import Agreement, SignedDocument


class Change(enum.StrEnum):
    """How a clause compares with the previous version of the text."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


class AgreementText(Base):
    """One imported version of an agreement's text; offsets of clauses and quotes point into ``body``."""

    __tablename__ = "agreement_text"
    __table_args__ = (UniqueConstraint("agreement_id", "version_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    version_no: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    source_format: Mapped[str] = mapped_column(String(10))
    source_encoding: Mapped[str | None] = mapped_column(String(30))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("signed_document.id"))
    fallback_paragraphs: Mapped[bool] = mapped_column(default=False)
    detected: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    signed_on_detected: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    agreement: Mapped[Agreement] = relationship()
    document: Mapped[SignedDocument | None] = relationship()
    clauses: Mapped[list[Clause]] = relationship(
        back_populates="text", cascade="all, delete-orphan", order_by="Clause.position"
    )


class Clause(Base):
    """A numbered unit of one text version: number as written, heading, level, path and offsets."""

    __tablename__ = "clause"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("agreement_text.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    number: Mapped[str | None] = mapped_column(String(60))
    heading: Mapped[str | None] = mapped_column(String(300))
    level: Mapped[int]
    path: Mapped[str] = mapped_column(String(600))
    start: Mapped[int]
    end: Mapped[int]
    fingerprint: Mapped[str] = mapped_column(String(64))
    # Compared with the previous version of the text: unchanged, changed or new.
    change: Mapped[Change] = mapped_column(enum_column(Change, length=10), default=Change.NEW)

    text: Mapped[AgreementText] = relationship(back_populates="clauses")
