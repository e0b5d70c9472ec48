"""Server-side sign-in sessions: start, look up, list and end them.

The browser's cookie carries only a random secret (never anything derived from the password); the
``user_session`` row keyed by its SHA-256 is what makes it valid. Ending the row ends the session for
every copy of the cookie.

Entry points for other front ends (the command line, for example):

- ``end_all(session, principal, user)`` ends every session of ``user`` (an administrator's or the
  system's "sign out everywhere"); it returns how many were open and writes one audit entry. The caller
  commits, as with every service.
- ``sessions_of(session, user)`` lists a user's open sessions, newest first.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from accord.i18n import gettext as _
from accord.models import User, UserSession
from accord.models.base import utcnow
from accord.services import audit, records
from accord.services.errors import NotFound
from accord.services.permissions import Principal, can_manage_users, require

# Seen-at is written at most this often per session, so reading pages does not write on every request.
TOUCH_EVERY = timedelta(minutes=1)
USER_AGENT_MAX = 300


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _clean_agent(user_agent: str) -> str:
    printable = "".join(ch for ch in user_agent if ch.isprintable())
    return printable[:USER_AGENT_MAX]


def start(session: Session, user: User, user_agent: str, *, max_age: int) -> str:
    """Open a session for ``user``; returns the secret for the cookie (only its hash is kept).

    Sessions that ended or expired more than ``max_age`` ago are removed on the way."""
    now = utcnow()
    horizon = now - timedelta(seconds=max_age)
    session.execute(
        delete(UserSession).where(
            or_(UserSession.ended_at < horizon, UserSession.created_at < horizon - timedelta(seconds=max_age))
        )
    )
    secret = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user.id,
            secret_hash=_digest(secret),
            created_at=now,
            last_seen_at=now,
            user_agent=_clean_agent(user_agent),
        )
    )
    session.flush()
    return secret


def resolve(session: Session, secret: str, *, max_age: int) -> UserSession | None:
    """The open session of a cookie's secret, or None (unknown, ended, expired, or the account disabled).

    Notes the time it was last seen (at most once a minute); the caller commits."""
    if not secret or len(secret) > 200:
        return None
    row = session.scalar(select(UserSession).where(UserSession.secret_hash == _digest(secret)))
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    if _aware(row.created_at) + timedelta(seconds=max_age) <= now:
        return None
    if not row.user.is_active:
        return None
    if now - _aware(row.last_seen_at) >= TOUCH_EVERY:
        session.execute(
            update(UserSession)
            .where(UserSession.id == row.id)
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
        session.refresh(row, ["last_seen_at"])
    return row


def end_current(session: Session, secret: str) -> None:
    """Sign-out: end the session of this cookie (nothing happens for an unknown secret)."""
    session.execute(
        update(UserSession)
        .where(UserSession.secret_hash == _digest(secret), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def sessions_of(session: Session, user: User, *, max_age: int | None = None) -> list[UserSession]:
    """The user's open sessions, most recently seen first (those older than ``max_age`` left out)."""
    stmt = select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if max_age is not None:
        stmt = stmt.where(UserSession.created_at > utcnow() - timedelta(seconds=max_age))
    return list(session.scalars(stmt.order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def end_one(session: Session, principal: Principal, session_id: int) -> UserSession:
    """End one of one's own sessions (administrators may end anyone's); others' look absent."""
    row = records.find(session, UserSession, session_id)
    if row is None or not (row.user_id == principal.user_id or can_manage_users(principal)):
        raise NotFound(_("No such record."))
    if row.ended_at is None:
        row.ended_at = utcnow()
    audit.record(session, principal, "sign_out", row.user, after={"sessions": 1})
    return row


def end_all(session: Session, principal: Principal, user: User, *, keep: int | None = None) -> int:
    """Sign ``user`` out everywhere (except the session ``keep``); the user themself or an administrator.

    Returns how many sessions were ended and records it in the audit trail."""
    require(principal.user_id == user.id or can_manage_users(principal))
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep)
    result = session.execute(stmt.values(ended_at=utcnow()).execution_options(synchronize_session=False))
    ended = int(getattr(result, "rowcount", 0) or 0)
    audit.record(session, principal, "sign_out", user, after={"sessions": ended})
    return ended
