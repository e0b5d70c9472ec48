"""Two application processes and a worker on one PostgreSQL database: concurrent edits never overwrite
each other, sessions work across processes, and the worker sends every reminder once meanwhile."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.models import NoticeRecord, NoticeState, Organisation
from tests.support.accounts import ADMIN, login, token_for
from tests.support.mail import Inbox
from tests.support.servers import accord_process, app_server, stop, wait_until

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_servers(
    settings: Settings,
    world: dict[str, int],
    factory: sessionmaker[Session],
    smtp: tuple[Inbox, int],
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
    worker = accord_process(env, "worker")
    try:
        with app_server(env) as first, app_server(env) as second:
            yield [first, second]
            assert worker.poll() is None, "the worker stopped"
    finally:
        stop(worker)


def test_concurrent_edits_through_two_processes_conflict_instead_of_overwriting(
    two_servers: list[str],
    world: dict[str, int],
    factory: sessionmaker[Session],
    smtp: tuple[Inbox, int],
) -> None:
    headers = {**token_for(factory, ADMIN), "If-Match": '"1"'}
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
    login(client, ADMIN)
    other = httpx.get(
        f"{two_servers[1]}/agreements", cookies=client.cookies, headers={"Accept-Language": "en"}
    )
    assert other.status_code == 200 and "Sign in" not in other.text.split("<main")[1][:500]
    # Meanwhile the worker sent the demo's reminders and escalations, each once.
    inbox, _port = smtp

    def rows() -> list[NoticeRecord]:
        with factory() as session:
            return list(session.scalars(select(NoticeRecord)))

    wait_until(lambda: bool(rows()) and all(r.status is NoticeState.SENT for r in rows()), "all was sent")
    assert sorted(m["X-Accord-Notice"] for m in inbox.messages) == sorted(r.key for r in rows())
