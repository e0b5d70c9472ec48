"""Rate limits and lock-outs kept in the database, so every application process shares them.

Each (bucket, key) row counts attempts in a fixed window; ``hit`` adds one with a single atomic
statement (an upsert returning the new count), so six attempts sent at once count six on SQLite and on
PostgreSQL alike. Keys are HMACs of the address or account under the site's secret key: the table
never holds an e-mail or IP address.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from accord.models import Throttle
from accord.models.base import utcnow


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` per ``window`` seconds; reaching it blocks the key for ``block`` seconds."""

    bucket: str
    attempts: int
    window: int
    block: int


def key_for(secret: str, bucket: str, value: str) -> str:
    """The stored key of ``value`` (an address, a normalised e-mail) in ``bucket``."""
    return hmac.new(secret.encode(), f"{bucket}\n{value}".encode(), hashlib.sha256).hexdigest()


def blocked(session: Session, limit: Limit, key: str) -> bool:
    """Whether ``key`` is blocked in the limit's bucket right now."""
    until = session.scalar(
        select(Throttle.blocked_until).where(Throttle.bucket == limit.bucket, Throttle.key == key)
    )
    return until is not None and until > utcnow()


def hit(session: Session, limit: Limit, key: str) -> int:
    """Count one attempt (atomically) and block the key once the limit is reached; returns the
    attempts counted in the current window, this one included."""
    now = utcnow()
    stamp = literal(now, Throttle.window_start.type)
    expired = Throttle.window_start <= literal(
        now - timedelta(seconds=limit.window), Throttle.window_start.type
    )
    values = {"bucket": limit.bucket, "key": key, "window_start": now, "count": 1}
    insert: Any = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(Throttle)
        .values(values)
        .on_conflict_do_update(
            index_elements=[Throttle.bucket, Throttle.key],
            set_={
                "count": case((expired, 1), else_=Throttle.count + 1),
                "window_start": case((expired, stamp), else_=Throttle.window_start),
            },
        )
        .returning(Throttle.count)
    )
    count = int(session.execute(stmt).scalar_one())
    if count >= limit.attempts:
        session.execute(
            update(Throttle)
            .where(Throttle.bucket == limit.bucket, Throttle.key == key)
            .values(blocked_until=now + timedelta(seconds=limit.block))
            .execution_options(synchronize_session=False)
        )
    return count


def clear(session: Session, limit: Limit, key: str) -> None:
    """Forget the attempts of ``key`` (a successful sign-in clears its account's failures)."""
    session.execute(delete(Throttle).where(Throttle.bucket == limit.bucket, Throttle.key == key))


def purge(session: Session, older_than: int) -> None:
    """Remove rows whose window and block both ended more than ``older_than`` seconds ago."""
    horizon = utcnow() - timedelta(seconds=older_than)
    session.execute(
        delete(Throttle).where(
            Throttle.window_start < horizon,
            (Throttle.blocked_until.is_(None)) | (Throttle.blocked_until < horizon),
        )
    )


#: One submission per rendered form: its one-time token is counted here, and a second count is a repeat.
FORM_ONCE = Limit(bucket="form-once", attempts=1_000_000, window=2 * 24 * 3600, block=0)


def first_submission(session: Session, token: str) -> bool:
    """Count a form's one-time token; True the first time it is sent (back + resend, a double click:
    False), decided by the same atomic upsert as the rate limits, so two requests at once count two."""
    if secrets.randbelow(500) == 0:
        purge(session, FORM_ONCE.window)
    return hit(session, FORM_ONCE, token) == 1
