"""Steps every registry service shares: load, check version, apply fields, finish an edit, archive."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

from accord.i18n import gettext as _
from accord.models.base import Base, Versioned, utcnow
from accord.schemas.common import MAX_ID
from accord.services import audit
from accord.services.errors import (
    Conflict,
    FieldError,
    MissingReference,
    NotFound,
    ReferenceNotFound,
    ValidationFailed,
)
from accord.services.permissions import Principal, can_read

ModelT = TypeVar("ModelT", bound=Base)
RecordT = TypeVar("RecordT", bound=Versioned)


def find(
    session: Session, model: type[ModelT], object_id: int, options: Sequence[ORMOption] = ()
) -> ModelT | None:
    """The object with ``object_id``, or None (also for ids no database column can hold); ``options``
    load what its page shows with it (``selectinload(Model.parties)``)."""
    return session.get(model, object_id, options=options) if 0 < object_id <= MAX_ID else None


def get_or_404(
    session: Session, model: type[ModelT], object_id: int, options: Sequence[ORMOption] = ()
) -> ModelT:
    """The object with ``object_id`` (and what ``options`` load with it) or NotFound."""
    obj = find(session, model, object_id, options)
    if obj is None:
        raise NotFound(_("No such record."))
    return obj


def check_version(obj: Versioned, expected: int | None) -> None:
    """Refuse an edit made on a stale copy (someone saved in between)."""
    if expected is not None and obj.version != expected:
        raise Conflict(
            _(
                "Someone else changed this record while you were editing it. "
                "Reload the page to see their changes, then apply yours again."
            )
        )


def apply(obj: Base, values: Mapping[str, Any]) -> None:
    """Copy plain field values onto ``obj``."""
    for key, value in values.items():
        setattr(obj, key, value)


def reference(
    session: Session,
    principal: Principal,
    model: type[ModelT],
    object_id: int | None,
    field: str,
    errors: list[FieldError],
) -> ModelT | None:
    """The record a field refers to, if it exists, is not archived and the principal may read it;
    otherwise collect the same "No such record." error for the field (answered 404 by ``raise_if``)."""
    if object_id is None:
        return None
    obj = find(session, model, object_id)
    if obj is None or getattr(obj, "archived_at", None) is not None or not can_read(principal, obj):
        errors.append(MissingReference(field, _("No such record.")))
        return None
    return obj


def require_exists(
    session: Session, model: type[Base], object_id: int | None, field: str, errors: list[FieldError]
) -> None:
    """Collect the "No such record." error when a directory record (organisation, person, signing event,
    account: every signed-in user reads them) is missing or archived."""
    if object_id is None:
        return
    obj = find(session, model, object_id)
    if obj is None or getattr(obj, "archived_at", None) is not None:
        errors.append(MissingReference(field, _("No such record.")))


def raise_if(errors: list[FieldError]) -> None:
    """Raise ValidationFailed if any field error was collected (ReferenceNotFound, a 404, when one of
    them names a record that cannot be seen)."""
    if any(isinstance(error, MissingReference) for error in errors):
        raise ReferenceNotFound(_("No such record."), errors)
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), errors)


def unique_text(
    session: Session,
    model: type[Base],
    fields: Iterable[str],
    values: Mapping[str, Any],
    exclude_id: int | None,
    errors: list[FieldError],
) -> None:
    """Collect an error for each ``field`` whose value another record already uses."""
    for field in fields:
        value = values.get(field)
        if not value:
            continue
        column = getattr(model, field)
        stmt = select(model.id).where(column == value)  # type: ignore[attr-defined]
        if exclude_id is not None:
            stmt = stmt.where(model.id != exclude_id)  # type: ignore[attr-defined]
        if session.scalar(stmt.limit(1)) is not None:
            errors.append(FieldError(field, _("Another record already uses this name.")))


def set_archived(
    session: Session, principal: Principal, obj: RecordT, expected_version: int | None, *, restore: bool
) -> RecordT:
    """Hide a record from lists, keeping it (and what refers to it) for history, or with ``restore``
    bring an archived one back; answer the record."""
    check_version(obj, expected_version)
    before = audit.snapshot(obj)  # type: ignore[arg-type]
    obj.archived_at = None if restore else utcnow()
    audit.record(session, principal, "restore" if restore else "archive", obj, before)  # type: ignore[arg-type]
    return obj


def saved_edit(
    session: Session,
    principal: Principal,
    obj: RecordT,
    before: dict[str, Any],
    snapshot: Callable[[RecordT], dict[str, Any]],
) -> RecordT:
    """Finish an edit of ``obj``: touch it, so that a change to its lists alone still bumps its version,
    write it, and record the change from ``before`` to ``snapshot(obj)`` in the audit trail."""
    obj.updated_at = utcnow()
    session.flush()
    audit.record(session, principal, "update", obj, before, after=snapshot(obj))  # type: ignore[arg-type]
    return obj
