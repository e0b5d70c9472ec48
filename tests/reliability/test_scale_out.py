"""Two application processes and a worker on one PostgreSQL database: concurrent edits never overwrite
each other, sessions work across processes, and the worker sends every reminder once meanwhile."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.models import NoticeRecord, NoticeState, Organisation, User
from accord.services import users
from accord.services.permissions import SYSTEM
from tests.delivery_app.test_notices import Inbox, smtp  # noqa: F401  (fixture)

pytestmark = pytest.mark.postgres


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def two_servers(
    settings: Settings,
    world: dict[str, int],
    factory: sessionmaker[Session],
    smtp: tuple[Inbox, int],  # noqa: F811
) -> Iterator[list[str]]:
    if not settings.resolved_database_url.startswith("postgresql"):
        pytest.skip("several application processes need PostgreSQL")
    env = {
        **os.environ,
        "ACCORD_DATABASE_URL": settings.resolved_database_url,
        "ACCORD_DATA_DIR": str(settings.data_dir),
        "ACCORD_SECRET_KEY": "shared-secret",
        "ACCORD_SMTP_HOST": "127.0.0.1",
        "ACCORD_SMTP_PORT": str(smtp[1]),
        "ACCORD_SMTP_STARTTLS": "false",
        "ACCORD_WORKER_INTERVAL_SECONDS": "1",
    }
    with factory() as session:
        session.execute(text("DELETE FROM procrastinate_jobs"))
        session.execute(text("DELETE FROM procrastinate_periodic_defers"))
        session.commit()
    worker = subprocess.Popen([sys.executable, "-m", "accord", "worker"], env=env)
    processes, urls = [worker], []
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
    assert worker.poll() is None, "the worker stopped"
    for process in processes:
        process.terminate()
        process.wait(timeout=20)


def test_concurrent_edits_through_two_processes_conflict_instead_of_overwriting(
    two_servers: list[str],
    world: dict[str, int],
    factory: sessionmaker[Session],
    smtp: tuple[Inbox, int],  # noqa: F811
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
    # Meanwhile the worker sent the demo's reminders and escalations, each once.
    inbox, _port = smtp
    rows: list[NoticeRecord] = []
    for _ in range(120):
        with factory() as session:
            rows = list(session.scalars(select(NoticeRecord)))
        if rows and all(r.status is NoticeState.SENT for r in rows):
            break
        time.sleep(0.5)
    assert rows and all(r.status is NoticeState.SENT for r in rows)
    assert sorted(m["X-Accord-Notice"] for m in inbox.messages) == sorted(r.key for r in rows)
