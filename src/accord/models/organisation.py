"""Organisations: universities, government bodies, enterprises, hospitals, institutes."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.models.base import Base, Versioned, enum_column


class OrgKind(enum.StrEnum):
    """What kind of body an organisation is."""

    UNIVERSITY = "university"
    GOVERNMENT = "government"
    ENTERPRISE = "enterprise"
    HOSPITAL = "hospital"
    INSTITUTE = "institute"
    OTHER = "other"


class Organisation(Versioned, Base):
    """A party to agreements; may sit under a parent (a bureau under its district government)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str | None] = mapped_column(String(200), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(200), unique=True)
    short_name_zh: Mapped[str | None] = mapped_column(String(60))
    short_name_en: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    region_zh: Mapped[str | None] = mapped_column(String(100))
    region_en: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(300))

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organisation]] = relationship(back_populates="parent")
