"""Generated from the application's route table, so a new route without a rule fails here.

- Anonymous visitors reach only the routes listed in PUBLIC; every other page sends them to sign in,
  every other API call answers 401, and every form is refused.
- A read-only viewer, posting a valid form to every route with every id the demo has, changes
  nothing: the audit trail (written in the same transaction as every change) does not grow.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from accord.models import AuditEntry
from tests.conftest import VIEWER, csrf_of, login

# Routes anyone may use without signing in (method, path template).
PUBLIC = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("POST", "/language"),
    ("GET", "/healthz"),
    ("GET", "/favicon.ico"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/docs"),
    ("GET", "/news"),
    ("GET", "/news/{news_id}"),
    ("GET", "/news/feed.atom"),
    ("GET", "/news/images/{image_id}"),
    ("GET", "/catalogue"),
    ("GET", "/catalogue/{achievement_id}"),
    ("GET", "/api/v1/catalogue"),
    ("GET", "/api/v1/news"),
    ("GET", "/api/v1/news/{news_id}"),
    ("GET", "/api/v1/catalogue/{item_id}"),
    ("GET", "/demands/new"),
    ("POST", "/demands/new"),
    ("GET", "/calendar/{user_id}/{token}.ics"),  # the secret token in the URL is the credential
    # single sign-on: starting a sign-in, the provider's redirect back, the directory's password form
    ("GET", "/sso/{slug}"),
    ("POST", "/sso/{slug}"),
    ("GET", "/sso/{slug}/callback"),
    ("GET", "/sso/{slug}/cas"),
}
PARAM = re.compile(r"\{[^}]+\}")


def _routes(app: object) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(routes: list[object], prefix: str) -> None:
        for route in routes:
            included = getattr(route, "original_router", None)  # routers FastAPI includes lazily
            if included is not None:
                walk(list(included.routes), prefix + route.include_context.prefix)  # type: ignore[attr-defined]
            elif isinstance(route, Mount):
                if route.path == "/static":
                    continue
                walk(list(route.routes), prefix + route.path)
            elif isinstance(route, APIRoute | Route):
                for method in sorted((route.methods or set()) - {"HEAD"}):
                    found.append((method, prefix + route.path))

    walk(list(app.routes), "")  # type: ignore[attr-defined]
    return sorted(set(found))


def _fill(path: str, value: str) -> str:
    return PARAM.sub(value, path).replace(":path}", "}")


def test_every_route_either_is_public_or_requires_sign_in(client: TestClient, world: dict[str, int]) -> None:
    routes = _routes(client.app)
    assert len(routes) > 40
    unexpected = []
    for method, path in routes:
        if (method, path) in PUBLIC:
            continue
        response = client.request(method, _fill(path, "1"), follow_redirects=False)
        refused = (
            response.status_code == 303 and response.headers["location"].startswith("/login")
        ) or response.status_code in {401, 403}
        if not refused:
            unexpected.append(f"{method} {path} -> {response.status_code}")
    assert unexpected == [], "add a rule (or list the route in PUBLIC if it is meant to be public)"


@pytest.mark.parametrize("value", ["1", "2", "3"])
def test_a_viewer_changes_nothing_through_any_route(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session], value: str
) -> None:
    login(client, VIEWER)
    token = csrf_of(client, "/")
    with factory() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry))
    for method, path in _routes(client.app):
        if method not in {"POST", "PUT", "PATCH", "DELETE"} or (method, path) in PUBLIC:
            continue
        if path.startswith("/account"):
            continue  # a viewer may manage their own tokens and password
        client.request(
            method,
            _fill(path, value),
            data={
                "csrf_token": token,
                "action": "accepted",
                "ids": value,
                "name": "x",
                "title_en": "x",
                "kind": "other",
            },
            follow_redirects=False,
        )
    with factory() as session:
        after = session.scalar(select(func.count()).select_from(AuditEntry))
    assert after == before
