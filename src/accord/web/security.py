"""Cookie session helpers, CSRF tokens and security headers."""

from __future__ import annotations

import hmac
import logging
import secrets

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.i18n import gettext as _
from accord.services import throttle
from accord.services.errors import Conflict, PermissionDenied

log = logging.getLogger(__name__)
CSRF_FIELD = "csrf_token"
ERROR_PAGE = (
    '<!doctype html><html><head><meta charset="utf-8"><title>500</title></head>'
    "<body><h1>500</h1><p>{text}</p></body></html>"
)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
ONCE_FIELD = "form_once"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def client_address(request: Request) -> str:
    """The client's address: the connection's peer, or what a trusted proxy reported for it (the
    ``ForwardedHeaders`` step believes X-Forwarded-For only from ACCORD_FORWARDED_ALLOW_IPS)."""
    return request.client.host if request.client else "unknown"


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def csrf_protect(request: Request) -> None:
    """Router dependency: every state-changing form must carry the session's token."""
    if request.method in SAFE_METHODS:
        return
    form = await request.form()
    sent = form.get(CSRF_FIELD) or request.headers.get("X-CSRF-Token", "")
    expected = request.session.get(CSRF_FIELD)
    if not isinstance(sent, str) or not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        raise PermissionDenied(_("The form has expired or did not come from this site. Please try again."))
    once = form.get(ONCE_FIELD)
    if not isinstance(once, str) or not 16 <= len(once) <= 64:
        return  # a request written by hand, not a form the site rendered
    if not await run_in_threadpool(_first_submission, request, once):
        raise Conflict(
            _(
                "This form was already sent, and what it asked for was done once. "
                "Open the page again to send it anew."
            )
        )


def _first_submission(request: Request, token: str) -> bool:
    with request.app.state.sessionmaker() as session:
        first = throttle.first_submission(session, token)
        session.commit()
    return first


def form_once() -> str:
    """A fresh one-time token for one rendered form (the ``csrf`` macro adds it to every form)."""
    return secrets.token_urlsafe(24)


class SecurityHeaders:
    """Headers that make the pages harder to abuse (no inline script, no framing, no sniffing).

    Plain ASGI rather than ``BaseHTTPMiddleware``, which would pass every response through an extra task
    and memory stream; a header the route set itself is kept. An error nothing else handled is logged
    and answered here, with the same headers, rather than by the server's bare 500 page outside it.
    """

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers = [
            ("Content-Security-Policy", CSP),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("X-Frame-Options", "DENY"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ]
        if hsts:
            self.headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    if name not in headers:
                        headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started:
                raise
            log.exception("unexpected error answering %s %s", scope.get("method"), scope.get("path"))
            page = ERROR_PAGE.format(text=_("Something went wrong on our side; the error was logged."))
            await HTMLResponse(page, status_code=500)(scope, receive, send_with_headers)
