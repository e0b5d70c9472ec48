"""kill -9 of ``accord worker`` while it sends a notice: after restarts every notice arrives exactly once.

A real SMTP server (aiosmtpd on 127.0.0.1) holds one message before answering; the test kills the
worker process with SIGKILL while that message waits for its answer, so the server never accepts
it. Restarted workers then send the rest, leave the dead worker's leased notice alone until its
lease is over, and send it after that, once. On SQLite and on PostgreSQL, with the real worker
process (whatever scheduler it runs on that database).
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.models import NoticeRecord, NoticeState

HOLD = 5  # the server holds the fifth message it receives
DEADLINE = 120.0  # seconds a worker gets to send what is due before the test gives up


class HoldingInbox:
    """Accepts every message except the HOLD-th, which it keeps waiting and then refuses."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.received = 0
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        with self.lock:
            self.received += 1
            held = self.received == HOLD
        if held:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
            return "451 4.3.0 Not accepted: the sender went away"
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.keys.append(str(message["X-Accord-Notice"]))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[HoldingInbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    handler = HoldingInbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    handler.release.set()
    controller.stop()


def _rows(factory: sessionmaker[Session]) -> list[NoticeRecord]:
    with factory() as session:
        rows = list(session.scalars(select(NoticeRecord).order_by(NoticeRecord.id)))
        session.expunge_all()
        return rows


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    give_up = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < give_up, f"timed out waiting until {what}"
        time.sleep(0.2)


def _stop(worker: subprocess.Popen[bytes], how: signal.Signals) -> None:
    worker.send_signal(how)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=30)


def test_a_worker_killed_mid_send_loses_no_notice_and_sends_none_twice(
    world: dict[str, int],
    settings: Settings,
    factory: sessionmaker[Session],
    inbox: tuple[HoldingInbox, int],
    tmp_path: Path,
) -> None:
    handler, port = inbox
    env = {
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

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "accord", "worker"],
            env=env,
            stdout=(tmp_path / "worker.log").open("ab"),
            stderr=subprocess.STDOUT,
        )

    # 1. The worker plans the demo's reminders and escalations and starts sending; it dies
    #    while the server holds the fifth message, before the server has accepted it.
    worker = start()
    try:
        assert handler.holding.wait(DEADLINE), (tmp_path / "worker.log").read_text()
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    handler.release.set()
    rows = _rows(factory)
    assert len(rows) > HOLD
    assert len(handler.keys) == HOLD - 1
    sent = {r.key for r in rows if r.status is NoticeState.SENT}
    assert sent == set(handler.keys)  # the table records exactly what the server accepted
    leased = [r for r in rows if r.status is NoticeState.PENDING and r.attempts == 1]
    assert len(leased) == 1  # the notice the dead worker was sending
    held = leased[0].key

    # 2. A restarted worker sends everything else, but not the notice the dead worker leased:
    #    as far as it knows, that send may still be under way.
    worker = start()
    try:
        _wait_for(
            lambda: all(r.status is NoticeState.SENT or r.key == held for r in _rows(factory)),
            "the restarted worker sent every notice but the leased one",
        )
    finally:
        _stop(worker, signal.SIGTERM)
    assert held not in handler.keys

    # 3. The lease runs out (moved to now rather than waited for); the next worker sends it, once.
    with factory() as session:
        session.execute(
            update(NoticeRecord).where(NoticeRecord.key == held).values(next_attempt_at=datetime.now(UTC))
        )
        session.commit()
    worker = start()
    try:
        _wait_for(
            lambda: all(r.status is NoticeState.SENT for r in _rows(factory)),
            "every notice was sent",
        )
    finally:
        _stop(worker, signal.SIGTERM)

    rows = _rows(factory)
    received = Counter(handler.keys)
    assert set(received) == {r.key for r in rows}  # none lost
    assert max(received.values()) == 1  # none sent twice
    assert [r.attempts for r in rows if r.key == held] == [2]
