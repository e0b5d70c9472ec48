"""Choose the interface language per request: explicit choice, then the browser's preference."""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Receive, Scope, Send

from accord.i18n import negotiate, normalise, reset_language, set_language

COOKIE = "accord_lang"


def language_from_headers(headers: dict[str, str], default: str) -> str:
    """The ``accord_lang`` cookie if valid, else ``Accept-Language``, else ``default``."""
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header must not break the page
        cookie = SimpleCookie()
    chosen = cookie.get(COOKIE)
    if chosen is not None and (language := normalise(chosen.value)):
        return language
    return negotiate(headers.get("accept-language"), default)


class LanguageMiddleware:
    """Sets the current language for everything the request runs (pages, services, errors)."""

    def __init__(self, app: ASGIApp, default: str) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        language = language_from_headers(headers, self.default)
        scope.setdefault("state", {})["language"] = language
        token = set_language(language)
        try:
            await self.app(scope, receive, send)
        finally:
            reset_language(token)
