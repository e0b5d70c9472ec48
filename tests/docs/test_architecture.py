"""The layout docs/architecture.md describes holds in the code."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from pathlib import Path

from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount

from accord.config import Settings
from accord.web.app import create_app


def test_every_route_is_a_plain_function_run_in_the_thread_pool(tmp_path: Path) -> None:
    """Database work, file reading and extraction never run on the event loop: forms and uploads are
    parsed by dependencies, and the route itself is a plain function, on the pages as in the API."""
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'accord.db'}", match_warm_up=False
    )
    app = create_app(settings)
    endpoints = list(_endpoints(app.routes))
    app.state.engine.dispose()
    assert len(endpoints) > 100
    coroutines = [
        f"{r.endpoint.__module__}.{r.name}" for r in endpoints if inspect.iscoroutinefunction(r.endpoint)
    ]
    assert coroutines == []


def _endpoints(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    """Every API route below ``routes``, through included routers and mounted applications."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif isinstance(route, Mount):
            yield from _endpoints(getattr(route.app, "routes", []))
        elif hasattr(route, "original_router"):  # a router included in another (FastAPI keeps it whole)
            yield from _endpoints(route.original_router.routes)
