"""Typed dependencies of the page routes: the signed-in user and principal (settings and sessions come
from accord.deps, which the API shares)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from accord.deps import SessionDep, SettingsDep, get_session, get_settings
from accord.models import User
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


def current_user(request: Request, session: SessionDep) -> User | None:
    """The signed-in user of the cookie session, if any and still active."""
    user_id = request.session.get("user_id")
    if not isinstance(user_id, int):
        return None
    user = session.get(User, user_id)
    if user is None or not user.is_active or request.session.get("pw") != user.password_hash[-16:]:
        # A password change (or a disabled account) ends every other session.
        request.session.pop("user_id", None)
        return None
    return user


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
