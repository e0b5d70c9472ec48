"""Admission: no more requests at once than the database pool has connections.

A request holds its pooled connection from its first query (in a threadpool dependency) until its session
closes, and runs its dependencies and its handler as separate threadpool jobs. With more requests in
flight than connections, threads wait for connections held by requests that are waiting for a free
thread: nothing moves until the pool's 30 s timeout answers 500 (seen with 200 people under
``accord bench load``). Waiting here, before a thread or a connection is taken, turns overload into a
queue instead.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine
from starlette.types import ASGIApp, Receive, Scope, Send


def pool_capacity(engine: Engine) -> int:
    """Connections the engine's pool hands out at most (size plus overflow)."""
    pool = engine.pool
    size = pool.size() if hasattr(pool, "size") else 5
    overflow = getattr(pool, "_max_overflow", 0)
    return max(1, int(size) + max(0, int(overflow)))


class Admission:
    """ASGI middleware letting at most ``limit`` HTTP requests run at once; the rest wait their turn."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)
