"""Request bodies are read in full, within a size limit and a time limit, before anything else runs.

Without this, a request held one of the database admission slots (``Admission``) while its body
trickled in, so a handful of slow uploads stopped the application before any authentication, and a huge
anonymous POST was written to disk before the form parser refused it. ``BodyLimit`` sits outside
``Admission``: it reads the body first, counting the bytes as they arrive and refusing with 413 as soon
as the route's limit is passed (or at once when Content-Length says so), with 408 when the client goes
quiet or is too slow; only a complete body is handed on, and only then does the request queue for a
database connection.

Limits per route: the upload routes (``UPLOAD_ROUTES``) take ``ACCORD_UPLOAD_MAX_BYTES`` plus room for
the form around the file; every other route ``ACCORD_FORM_MAX_BYTES``.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from typing import IO

from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.i18n import gettext as _

# Routes that take files; the path patterns of the pages and of the API.
UPLOAD_ROUTES = tuple(
    re.compile(pattern)
    for pattern in (
        r"/agreements/[0-9]+/(documents|text)",
        r"/tasks/[0-9]+/updates",
        r"/news/[0-9]+/images",
        r"/works/import",
        r"/api/v1/agreements/[0-9]+/text",
        r"/api/v1/works/import",
    )
)
FORM_ROOM = 256 * 1024  # the fields and multipart framing around an uploaded file
MIN_RATE = 16 * 1024  # bytes a second a body must average, beyond the idle allowance
SPOOL = 1024 * 1024  # bodies larger than this wait on disk, not in memory
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


def limit_for(path: str, *, form_max: int, upload_max: int) -> int:
    """The most bytes a body may have on ``path``."""
    if any(pattern.fullmatch(path) for pattern in UPLOAD_ROUTES):
        return upload_max + FORM_ROOM
    return form_max


class BodyLimit:
    """ASGI middleware reading each request body in full, within its route's size and time limits."""

    def __init__(self, app: ASGIApp, *, form_max: int, upload_max: int, idle_seconds: float) -> None:
        self.app = app
        self.form_max = form_max
        self.upload_max = upload_max
        self.idle_seconds = idle_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"], form_max=self.form_max, upload_max=self.upload_max)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, receive, send, 413, limit)
            return
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 (closed below)
        try:
            try:
                await self._read(receive, body, limit)
            except _TooLarge:
                await _refuse(scope, receive, send, 413, limit)
                return
            except _TooSlow:
                await _refuse(scope, receive, send, 408, limit)
                return
            body.seek(0)
            await self.app(scope, _replay(body, receive), send)
        finally:
            body.close()

    async def _read(self, receive: Receive, body: IO[bytes], limit: int) -> None:
        size = 0
        deadline = time.monotonic() + self.idle_seconds + limit / MIN_RATE
        while True:
            remaining = deadline - time.monotonic()
            try:
                message = await asyncio.wait_for(
                    receive(), timeout=max(0.0, min(self.idle_seconds, remaining))
                )
            except TimeoutError:
                raise _TooSlow from None
            if message["type"] == "http.disconnect":
                raise _TooSlow
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            body.write(chunk)
            if not message.get("more_body", False):
                return


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None
    return None


def _replay(body: IO[bytes], receive: Receive) -> Receive:
    """A ``receive`` handing on the stored body, then the client's own messages (a disconnect)."""
    done = False

    async def replayed() -> Message:
        nonlocal done
        if done:
            return await receive()
        chunk = body.read(64 * 1024)
        more = bool(chunk) and body.tell() < _size(body)
        if not more:
            done = True
        return {"type": "http.request", "body": chunk, "more_body": more}

    return replayed


def _size(body: IO[bytes]) -> int:
    position = body.tell()
    body.seek(0, 2)
    end = body.tell()
    body.seek(position)
    return end


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, limit: int) -> None:
    if status == 413:
        message = _("The request is larger than the limit of {mb} MB.", mb=round(limit / 1024 / 1024, 1))
    else:
        message = _("The request body arrived too slowly; please try again.")
    response: Response
    if scope["path"].startswith("/api/"):
        title = "Content too large" if status == 413 else "Request timeout"
        body = {"type": "about:blank", "title": title, "status": status, "detail": message}
        response = JSONResponse(body, status_code=status, media_type="application/problem+json")
    else:
        response = PlainTextResponse(message, status_code=status)
    # The rest of the body is not read: the connection closes after this answer.
    response.headers["Connection"] = "close"
    await response(scope, receive, send)
