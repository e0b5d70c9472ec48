"""API authentication: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from accord.deps import SessionDep
from accord.i18n import gettext as _
from accord.services import users
from accord.services.errors import ServiceError
from accord.services.permissions import Principal, principal_for


class Unauthorized(ServiceError):
    """No valid token was sent."""

    status = 401


# Declares the bearer scheme in the OpenAPI document (and the docs page's "Authorize" button); the
# header is read below so that a missing or unknown token gets its own message in the caller's language.
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearerAuth",
    bearerFormat="acc_…",
    description="An API token created on your account page: `Authorization: Bearer acc_…`.",
)


def api_principal(
    request: Request,
    session: SessionDep,
    _credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> Principal:
    """The principal owning the bearer token, or 401."""
    header = request.headers.get("authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized(_("Send an API token in the Authorization header: Bearer <token>."))
    user = users.user_for_token(session, secret.strip())
    if user is None:
        raise Unauthorized(_("The API token is unknown or revoked."))
    session.commit()  # keeps last_used_at
    return principal_for(session, user)


ApiPrincipal = Annotated[Principal, Depends(api_principal)]
