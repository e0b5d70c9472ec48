"""People acting for organisations (signatories, attendees, owners, experts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.models.base import Base, Versioned

if TYPE_CHECKING:
    from accord.models.organisation import Organisation


class Person(Versioned, Base):
    """Someone acting for an organisation; names and titles in both languages."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str | None] = mapped_column(String(100), index=True)
    name_en: Mapped[str | None] = mapped_column(String(100), index=True)
    title_zh: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))

    organisation: Mapped[Organisation | None] = relationship()
