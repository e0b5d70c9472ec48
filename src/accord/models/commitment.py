"""Commitments: one obligation of one party (or several), proposed from the text and reviewed by a person."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.delivery.fulfilment import Fulfilment
from accord.models.base import Base, Versioned, enum_column

if TYPE_CHECKING:
    from accord.models.agreement import Agreement
    from accord.models.organisation import Organisation
    from accord.models.text import Clause


class Review(enum.StrEnum):
    """Only accepted commitments count."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Recurrence(enum.StrEnum):
    """How often the action repeats."""

    ANNUAL = "annual"
    SEMIANNUAL = "semiannual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


class Origin(enum.StrEnum):
    """Where a commitment came from."""

    EXTRACTED = "extracted"  # proposed from the text
    MANUAL = "manual"  # added by a reviewer
    SPLIT = "split"  # one part of a proposal a reviewer split


class Commitment(Versioned, Base):
    """Who must do what, by when, how often, how much — with the quote it came from."""

    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clause.id", ondelete="SET NULL"), index=True)
    party_label: Mapped[str | None] = mapped_column(String(100))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    action: Mapped[str] = mapped_column(Text)
    due_text: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(index=True)
    recurrence: Mapped[Recurrence | None] = mapped_column(enum_column(Recurrence))
    amount_text: Mapped[str | None] = mapped_column(String(200))
    amount_value: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    amount_unit: Mapped[str | None] = mapped_column(String(30))
    currency: Mapped[str | None] = mapped_column(String(10))
    conditional: Mapped[bool] = mapped_column(default=False)
    quote: Mapped[str | None] = mapped_column(Text)
    quote_start: Mapped[int | None]
    quote_end: Mapped[int | None]
    review: Mapped[Review] = mapped_column(enum_column(Review), default=Review.PROPOSED, index=True)
    origin: Mapped[Origin] = mapped_column(enum_column(Origin, length=12), default=Origin.EXTRACTED)
    # Set when a re-import changed the clause this commitment was reviewed against.
    needs_recheck: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    # Fulfilment is computed from the tasks; a coordinator may set it instead, giving the reason.
    fulfilment_override: Mapped[Fulfilment | None] = mapped_column(enum_column(Fulfilment))
    fulfilment_reason: Mapped[str | None] = mapped_column(Text)

    agreement: Mapped[Agreement] = relationship()
    clause: Mapped[Clause | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
