"""Typed dependencies of the page routes: the signed-in user and principal (settings and sessions come
from accord.deps, which the API shares)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from accord.config import Settings
from accord.deps import SessionDep, SettingsDep, get_session, get_settings
from accord.models import User
from accord.services import sessions
from accord.services.permissions import ANONYMOUS, Principal, principal_for
from accord.web.security import csrf_protect

__all__ = ["SessionDep", "SettingsDep", "get_session", "get_settings"]

csrf_dependency = Depends(csrf_protect)


@dataclass(frozen=True)
class NavUser:
    """What the page header shows of the signed-in user, copied once so error pages can draw it
    even after the request's session is gone."""

    display_name: str
    is_admin: bool


def _remember(request: Request, user: User | None, principal: Principal) -> None:
    request.state.principal = principal
    request.state.user = user
    request.state.nav_user = NavUser(user.display_name, user.is_admin) if user is not None else None


class LoginRequired(Exception):
    """Raised by page routes that need a signed-in user; answered with a redirect to the login page."""


SESSION_KEY = "sid"


def current_user(request: Request, session: SessionDep) -> User | None:
    """The signed-in user of the cookie's server-side session, if it is still open and the account active.

    The cookie holds only the session's random secret; a sign-out, a password change or an
    administrator's "sign out everywhere" ends the row, and with it every copy of the cookie."""
    secret = request.session.get(SESSION_KEY)
    if not isinstance(secret, str):
        return None
    settings: Settings = request.app.state.settings
    row = sessions.resolve(session, secret, max_age=settings.session_max_age)
    if row is None:
        request.session.pop(SESSION_KEY, None)
        return None
    session.commit()  # keeps last_seen_at
    request.state.session_id = row.id
    return row.user


UserDep = Annotated[User | None, Depends(current_user)]


def page_principal(request: Request, session: SessionDep, user: UserDep) -> Principal:
    """The acting principal of a page request; anonymous visitors are sent to sign in."""
    if user is None:
        raise LoginRequired()
    principal = principal_for(session, user)
    _remember(request, user, principal)
    return principal


PrincipalDep = Annotated[Principal, Depends(page_principal)]


def optional_principal(request: Request, session: SessionDep, user: UserDep) -> Principal:
    """The principal if signed in, else anonymous (public pages)."""
    principal = ANONYMOUS if user is None else principal_for(session, user)
    _remember(request, user, principal)
    return principal


OptionalPrincipalDep = Annotated[Principal, Depends(optional_principal)]
