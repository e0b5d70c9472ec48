"""Record changes in the audit trail, in the same transaction as the change itself."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from accord.models import AuditEntry
from accord.models.base import Base
from accord.services.permissions import Principal

# Never copied into the trail.
_SECRET_COLUMNS = {"password_hash", "token_hash", "secret_hash"}


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        # SQLite hands back naive datetimes; every timestamp Accord writes is UTC.
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: Base) -> dict[str, Any]:
    """The object's column values as JSON-ready data."""
    mapper = inspect(obj).mapper
    return {
        column.key: _plain(getattr(obj, column.key))
        for column in mapper.column_attrs
        if column.key not in _SECRET_COLUMNS
    }


def record(
    session: Session,
    principal: Principal,
    action: str,
    obj: Base,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; ``after`` defaults to the object's current state (flushed for its id)."""
    session.flush()
    entry = AuditEntry(
        actor_id=principal.user_id,
        actor_label=principal.label,
        action=action,
        object_type=obj.__tablename__,
        object_id=inspect(obj).identity[0],  # type: ignore[index]
        before=before,
        after=after if after is not None else snapshot(obj),
    )
    session.add(entry)
    return entry


def history(session: Session, object_type: str, object_id: int) -> list[AuditEntry]:
    """Every entry about one object, newest first."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return list(session.scalars(stmt))


def changed_fields(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each field an entry changed, for display."""
    before = entry.before or {}
    after = entry.after or {}
    skip = {"version", "updated_at", "created_at"}
    keys = [k for k in after if k not in skip] + [k for k in before if k not in after and k not in skip]
    return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
