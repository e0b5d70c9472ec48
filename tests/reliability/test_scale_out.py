"""Two application processes on one PostgreSQL database: concurrent edits never overwrite each other."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.models import Organisation, User
from accord.services import users
from accord.services.permissions import SYSTEM

pytestmark = pytest.mark.postgres


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def two_servers(settings: Settings, world: dict[str, int], tmp_path: Path) -> Iterator[list[str]]:
    if not settings.resolved_database_url.startswith("postgresql"):
        pytest.skip("several application processes need PostgreSQL")
    env = {
        **os.environ,
        "ACCORD_DATABASE_URL": settings.resolved_database_url,
        "ACCORD_DATA_DIR": str(settings.data_dir),
        "ACCORD_SECRET_KEY": "shared-secret",
    }
    processes, urls = [], []
    for _ in range(2):
        port = _free_port()
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "accord.web.app:create_app",
                    "--factory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                ],
                env=env,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        for _ in range(150):
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
    yield urls
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def test_concurrent_edits_through_two_processes_conflict_instead_of_overwriting(
    two_servers: list[str], world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    with factory() as session:
        admin = session.scalar(select(User).where(User.email == "admin@accord.example"))
        assert admin is not None
        _token, secret = users.create_token(session, SYSTEM, admin, "scale-out")
        session.commit()
    headers = {"Authorization": f"Bearer {secret}", "If-Match": '"1"'}
    org = world["cqu"]

    def edit(index: int) -> int:
        body = {
            "name_zh": "重庆大学",
            "name_en": "Chongqing University",
            "kind": "university",
            "website": f"https://edit-{index}.example",
        }
        url = two_servers[index % 2]
        return httpx.put(
            f"{url}/api/v1/organisations/{org}", json=body, headers=headers, timeout=30
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(edit, range(8)))
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 409}
    with factory() as session:
        organisation = session.get(Organisation, org)
        assert organisation is not None and organisation.version == 2
    # A session started on one process is honoured by the other (no per-process state).
    client = httpx.Client(base_url=two_servers[0])
    login_page = client.get("/login")
    token = login_page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={
            "email": "admin@accord.example",
            "password": "accord-demo-2020",
            "csrf_token": token,
            "next": "/",
        },
    )
    other = httpx.get(
        f"{two_servers[1]}/agreements", cookies=client.cookies, headers={"Accept-Language": "en"}
    )
    assert other.status_code == 200 and "Sign in" not in other.text.split("<main")[1][:500]
