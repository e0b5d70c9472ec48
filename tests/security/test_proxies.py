"""Proxy headers are believed only from configured proxies, rate limits live in the database, absolute
links come from the configured base URL, and an https base URL turns on HSTS and Secure cookies
(issue 15, item 7)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.models import Throttle
from accord.web.app import create_app
from accord.web.routes import matching as matching_routes
from tests.conftest import csrf_of

FORM = {
    "title": "Bridge vibration monitoring for a river crossing",
    "description": "We need structural health monitoring for a river bridge, tested over a winter.",
    "contact_name": "Wang",
    "contact_email": "wang@example.com",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """``accord serve`` as deployed, with no proxy configured."""
    env = {
        **os.environ,
        "ACCORD_DATA_DIR": str(tmp_path / "var"),
        "ACCORD_DATABASE_URL": f"sqlite:///{tmp_path / 'accord.db'}",
        "ACCORD_MATCH_WARM_UP": "false",
    }
    env.pop("ACCORD_FORWARDED_ALLOW_IPS", None)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "accord", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):  # up to two minutes on a busy machine
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_client_on_the_loopback_cannot_pick_its_address(served: str) -> None:
    with httpx.Client(base_url=served, headers={"Accept-Language": "en"}) as client:
        page = client.get("/demands/new")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        answers = [
            client.post(
                "/demands/new",
                data={"csrf_token": token, **FORM},
                headers={"X-Forwarded-For": f"203.0.113.{n}", "X-Forwarded-Proto": "https"},
            ).status_code
            for n in range(matching_routes.PUBLIC_LIMIT.attempts + 1)
        ]
    assert answers[-1] == 429, answers


def test_a_configured_proxy_is_believed(settings: Settings) -> None:
    trusting = settings.model_copy(update={"forwarded_allow_ips": "testclient"})
    app = create_app(trusting)
    with TestClient(app) as client:
        token = csrf_of(client, "/demands/new")
        answers = [
            client.post(
                "/demands/new",
                data={"csrf_token": token, **FORM},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            ).status_code
            for n in range(matching_routes.PUBLIC_LIMIT.attempts + 1)
        ]
    app.state.engine.dispose()
    assert answers == [200] * (matching_routes.PUBLIC_LIMIT.attempts + 1)


def test_the_public_form_limit_is_shared_by_processes(
    settings: Settings, factory: sessionmaker[Session]
) -> None:
    first, second = create_app(settings), create_app(settings)
    with TestClient(first) as one, TestClient(second) as two:
        token_one, token_two = csrf_of(one, "/demands/new"), csrf_of(two, "/demands/new")
        answers = [
            (one if n % 2 else two)
            .post("/demands/new", data={"csrf_token": token_one if n % 2 else token_two, **FORM})
            .status_code
            for n in range(matching_routes.PUBLIC_LIMIT.attempts + 1)
        ]
    first.state.engine.dispose()
    second.state.engine.dispose()
    assert answers[-1] == 429
    with factory() as session:
        counted = session.scalar(select(Throttle.count).where(Throttle.bucket == "public-demand"))
        assert counted == matching_routes.PUBLIC_LIMIT.attempts  # counted in the shared database


def test_the_feed_links_to_the_configured_address_not_the_host_header(
    settings: Settings, world: dict[str, int]
) -> None:
    app = create_app(settings.model_copy(update={"base_url": "https://accord.example.org"}))
    with TestClient(app, base_url="http://evil.example") as client:
        feed = client.get("/news/feed.atom", headers={"Host": "evil.example"})
    app.state.engine.dispose()
    assert feed.status_code == 200
    assert "evil.example" not in feed.text
    assert "https://accord.example.org/news" in feed.text


def test_an_https_base_url_turns_on_hsts_and_secure_cookies(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"base_url": "https://accord.example.org"}))
    with TestClient(app, base_url="https://accord.example.org") as client:
        page = client.get("/login")
    app.state.engine.dispose()
    assert "max-age=" in page.headers.get("strict-transport-security", "")
    assert "secure" in page.headers.get("set-cookie", "").lower()
