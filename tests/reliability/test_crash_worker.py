"""kill -9 of ``accord worker`` while it sends a notice, with a real SMTP server (aiosmtpd on 127.0.0.1).

The server holds one message before answering. In the first test the worker is killed while that
message waits for its answer, so the server never accepts it: restarted workers send the rest,
leave the dead worker's leased notice alone until its lease is over, and then send it, so every
notice arrives exactly once. The second test shows the one window SMTP leaves open: a worker killed
after the server accepted a message but before it recorded the notice as sent. That notice is sent
again after its lease, as a copy with the same Message-ID and X-Accord-Notice header (so mail
systems can fold it), and no notice is lost. On SQLite and on PostgreSQL, with the real worker
process (whatever scheduler it runs on that database).
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.db.session import make_engine
from accord.models import NoticeRecord, NoticeState
from tests.support.mail import smtp_server
from tests.support.servers import wait_until

HOLD = 5  # the server holds the fifth message it receives
DEADLINE = 120.0  # seconds a worker gets to send what is due before the test gives up


class HoldingInbox:
    """Accepts every message; the HOLD-th waits for ``release`` and is then refused or accepted."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.held_key = ""
        self.message_ids: dict[str, set[str]] = {}
        self.received = 0
        self.accept_held = False
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.release = threading.Event()
        self.quit_after_hold = threading.Event()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        with self.lock:
            self.received += 1
            held = self.received == HOLD
        if held:
            self.held_key = str(email.message_from_bytes(envelope.content)["X-Accord-Notice"])
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
            if not self.accept_held:
                return "451 4.3.0 Not accepted: the sender went away"
        message = email.message_from_bytes(envelope.content)
        key = str(message["X-Accord-Notice"])
        with self.lock:
            self.keys.append(key)
            self.message_ids.setdefault(key, set()).add(str(message["Message-ID"]))
        return "250 OK"

    async def handle_QUIT(self, _server: Any, _session: Any, _envelope: Any) -> str:
        if self.holding.is_set():
            self.quit_after_hold.set()  # the sender has the answer to the held message
        return "221 Bye"


@pytest.fixture
def inbox() -> Iterator[tuple[HoldingInbox, int]]:
    handler = HoldingInbox()
    with smtp_server(handler) as port:
        yield handler, port
        handler.release.set()


def _rows(factory: sessionmaker[Session]) -> list[NoticeRecord]:
    with factory() as session:
        rows = list(session.scalars(select(NoticeRecord).order_by(NoticeRecord.id)))
        session.expunge_all()
        return rows


def _stop(worker: subprocess.Popen[bytes], how: signal.Signals) -> None:
    worker.send_signal(how)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=30)


def _environment(settings: Settings, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "ACCORD_DATABASE_URL": settings.resolved_database_url,
        "ACCORD_DATA_DIR": str(settings.data_dir),
        "ACCORD_SECRET_KEY": "test-secret-key",
        "ACCORD_SMTP_HOST": "127.0.0.1",
        "ACCORD_SMTP_PORT": str(port),
        "ACCORD_SMTP_STARTTLS": "false",
        "ACCORD_WEBHOOK_URL": "",
        "ACCORD_WORKER_INTERVAL_SECONDS": "1",
    }


def _start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "accord", "worker"], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )


@contextmanager
def _notices_locked(url: str) -> Iterator[None]:
    """Hold a write lock on the notice table, so no worker can record an outcome meanwhile."""
    if url.startswith("sqlite"):
        raw = sqlite3.connect(str(make_url(url).database), isolation_level=None)
        raw.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            raw.execute("ROLLBACK")
            raw.close()
        return
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("LOCK TABLE notice IN EXCLUSIVE MODE"))
            yield
            connection.rollback()
    finally:
        engine.dispose()


def _in_flight(rows: list[NoticeRecord], handler: HoldingInbox) -> set[str]:
    """The notices the dead worker had leased and not recorded: the held one, and with a worker that
    sends two at a time (the queue's concurrency on PostgreSQL) perhaps the one beside it. A notice
    whose attempt failed (a slow server timing out on a busy machine) waits for its retry with the
    reason recorded, and is not in flight."""
    leased = {
        r.key for r in rows if r.status is NoticeState.PENDING and r.attempts == 1 and r.last_error is None
    }
    assert handler.held_key in leased and len(leased) <= 2, leased
    return leased


def _restart_until_all_sent(
    env: dict[str, str], log: Path, factory: sessionmaker[Session], leased: set[str], handler: HoldingInbox
) -> None:
    """A restarted worker sends all but the leased notices; once the lease is over, those too."""
    received_before = Counter(handler.keys)
    worker = _start(env, log)
    try:
        wait_until(
            lambda: all(r.status is NoticeState.SENT or r.key in leased for r in _rows(factory)),
            "the restarted worker sent every notice but the leased ones",
        )
    finally:
        _stop(worker, signal.SIGTERM)
    assert all(handler.keys.count(k) == received_before[k] for k in leased)  # the dead worker's lease held

    # The lease runs out (moved to now rather than waited for); the next worker sends them.
    with factory() as session:
        session.execute(
            update(NoticeRecord).where(NoticeRecord.key.in_(leased)).values(next_attempt_at=datetime.now(UTC))
        )
        session.commit()
    worker = _start(env, log)
    try:
        wait_until(lambda: all(r.status is NoticeState.SENT for r in _rows(factory)), "every notice was sent")
    finally:
        _stop(worker, signal.SIGTERM)
    assert all(handler.keys.count(k) == received_before[k] + 1 for k in leased)
    assert [r.attempts for r in _rows(factory) if r.key in leased] == [2] * len(leased)


def test_a_worker_killed_mid_send_loses_no_notice_and_sends_none_twice(
    world: dict[str, int],
    settings: Settings,
    factory: sessionmaker[Session],
    inbox: tuple[HoldingInbox, int],
    tmp_path: Path,
) -> None:
    handler, port = inbox
    env, log = _environment(settings, port), tmp_path / "worker.log"

    # The worker plans the demo's reminders and escalations and starts sending; it dies while
    # the server holds the fifth message, before the server has accepted it.
    worker = _start(env, log)
    try:
        assert handler.holding.wait(DEADLINE), log.read_text()
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    handler.release.set()
    rows = _rows(factory)
    assert len(rows) > HOLD
    leased = _in_flight(rows, handler)
    assert handler.held_key not in handler.keys  # the server never accepted the held message
    sent = {r.key for r in rows if r.status is NoticeState.SENT}
    accepted_unrecorded = set(handler.keys) - sent
    assert accepted_unrecorded <= leased - {handler.held_key}  # nothing recorded that was not accepted
    assert sent <= set(handler.keys)

    _restart_until_all_sent(env, log, factory, leased, handler)

    received = Counter(handler.keys)
    assert set(received) == {r.key for r in _rows(factory)}  # none lost
    # None twice, but for one the server accepted just as the worker died (only with two at a time).
    assert {k for k, n in received.items() if n > 1} == accepted_unrecorded


def test_a_worker_killed_after_the_server_accepted_sends_a_copy_with_the_same_message_id(
    world: dict[str, int],
    settings: Settings,
    factory: sessionmaker[Session],
    inbox: tuple[HoldingInbox, int],
    tmp_path: Path,
) -> None:
    handler, port = inbox
    handler.accept_held = True
    env, log = _environment(settings, port), tmp_path / "worker.log"

    worker = _start(env, log)
    try:
        assert handler.holding.wait(DEADLINE), log.read_text()
        with _notices_locked(settings.resolved_database_url):
            handler.release.set()  # the server accepts the held message ...
            assert handler.quit_after_hold.wait(DEADLINE)  # ... and the worker has heard so,
            os.kill(worker.pid, signal.SIGKILL)  # but dies before it can record the notice as sent
            worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    rows = _rows(factory)
    leased = _in_flight(rows, handler)
    held = handler.held_key
    assert handler.keys.count(held) == 1
    accepted_unrecorded = {k for k in leased if k in handler.keys}

    _restart_until_all_sent(env, log, factory, leased, handler)

    received = Counter(handler.keys)
    assert set(received) == {r.key for r in _rows(factory)}  # none lost
    duplicates = {k for k, n in received.items() if n > 1}
    assert held in duplicates and duplicates == accepted_unrecorded  # only those in the window, twice,
    assert all(len(handler.message_ids[k]) == 1 for k in duplicates)  # each copy with its one Message-ID
