"""Signing events (ceremonies, forums) and who attended them in which role."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.models.base import Base, Versioned

if TYPE_CHECKING:
    from accord.models.organisation import Organisation
    from accord.models.person import Person


class SigningEvent(Versioned, Base):
    """A ceremony or forum where agreements are signed."""

    __tablename__ = "signing_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_zh: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    held_on: Mapped[date] = mapped_column(index=True)
    place_zh: Mapped[str | None] = mapped_column(String(200))
    place_en: Mapped[str | None] = mapped_column(String(200))
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)

    organiser: Mapped[Organisation | None] = relationship()
    attendees: Mapped[list[EventAttendee]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventAttendee.position"
    )


class EventAttendee(Base):
    """A person present at a signing event, with their role there."""

    __tablename__ = "event_attendee"
    __table_args__ = (UniqueConstraint("event_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("signing_event.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    role_zh: Mapped[str | None] = mapped_column(String(200))
    role_en: Mapped[str | None] = mapped_column(String(200))

    event: Mapped[SigningEvent] = relationship(back_populates="attendees")
    person: Mapped[Person] = relationship()
