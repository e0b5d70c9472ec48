"""Onboarding an office's backlog: a batch of uploaded files (and a ledger), one item per file or ledger row."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.models.base import Base, enum_column, utcnow


class BatchState(enum.StrEnum):
    """analysing → review → confirming → done; cancelled at any point before done."""

    ANALYSING = "analysing"
    REVIEW = "review"
    CONFIRMING = "confirming"
    DONE = "done"
    CANCELLED = "cancelled"


class ItemState(enum.StrEnum):
    """pending → read | failed; read → created | skipped when the batch is confirmed."""

    PENDING = "pending"
    READ = "read"
    FAILED = "failed"
    CREATED = "created"
    SKIPPED = "skipped"


class ImportBatch(Base):
    """Files (and optionally a ledger) uploaded together for one owner organisation."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[BatchState] = mapped_column(enum_column(BatchState), default=BatchState.ANALYSING)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    ledger_filename: Mapped[str | None] = mapped_column(String(255))
    ledger_sha256: Mapped[str | None] = mapped_column(String(64))
    ledger_header_row: Mapped[int | None]
    # The ledger's headings, and which column holds which field ({"title": 0, "partner": 2, …}).
    ledger_headings: Mapped[list[str]] = mapped_column(JSON, default=list)
    ledger_mapping: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    items: Mapped[list[ImportItem]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="ImportItem.position"
    )


class ImportItem(Base):
    """One uploaded file or one ledger row: what was found in it and what the user decided."""

    __tablename__ = "import_item"
    __table_args__ = (UniqueConstraint("batch_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    source: Mapped[str] = mapped_column(String(10))  # file | ledger
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    row_no: Mapped[int | None]  # ledger rows: the row number in the sheet
    state: Mapped[ItemState] = mapped_column(enum_column(ItemState), default=ItemState.PENDING)
    # English source text and its arguments, translated when shown.
    error: Mapped[str | None] = mapped_column(String(500))
    error_args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    proposal: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    text_hash: Mapped[str | None] = mapped_column(String(64))
    signature: Mapped[list[int]] = mapped_column(JSON, default=list)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id", ondelete="SET NULL"))
    linked_item_id: Mapped[int | None] = mapped_column(ForeignKey("import_item.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    batch: Mapped[ImportBatch] = relationship(back_populates="items")


class OrganisationAlias(Base):
    """Another name of an organisation: a former name, or a name agreements use for it."""

    __tablename__ = "organisation_alias"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
