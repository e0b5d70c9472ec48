"""Request bodies are limited while they are read, per route, slow ones time out, and a request waits
for a database connection only once its body has arrived (issue 15, item 9)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.web.app import create_app
from tests.support.accounts import CQU, csrf_of, login, token_for


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The tests that talk to a real server share one, started once on their worker: each closes every
# connection it opens, and the server keeps nothing of a request it refused or timed out.
SERVED = pytest.mark.xdist_group("bodies-server")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``accord serve`` with small limits: 64 KiB forms, 200 kB uploads, 2 s of silence."""
    folder = tmp_path_factory.mktemp("served")
    env = {
        **os.environ,
        "ACCORD_DATA_DIR": str(folder / "var"),
        "ACCORD_DATABASE_URL": f"sqlite:///{folder / 'accord.db'}",
        "ACCORD_MATCH_WARM_UP": "false",
        "ACCORD_FORM_MAX_BYTES": "65536",
        "ACCORD_UPLOAD_MAX_BYTES": "200000",
        "ACCORD_BODY_TIMEOUT_SECONDS": "2",
    }
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "accord", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(1200):  # up to two minutes on a busy machine
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def _start(port: int, head: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(head.encode())
    return sock


def _status(sock: socket.socket) -> int:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0


FORM_HEAD = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"


@SERVED
def test_a_huge_anonymous_post_is_refused_before_it_is_sent(served: int) -> None:
    sock = _start(served, FORM_HEAD + "Content-Length: 500000000\r\n\r\n")
    assert _status(sock) == 413  # answered without a byte of the body
    sock.close()
    # Without a length, the count stops it as soon as it passes the limit.
    sock = _start(served, FORM_HEAD + "Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"a" * 16384
    try:
        for _ in range(8):
            sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
    except OSError:
        pass  # the server may close once it has answered
    assert _status(sock) == 413
    sock.close()


@SERVED
def test_a_slow_body_times_out(served: int) -> None:
    sock = _start(served, FORM_HEAD + "Content-Length: 100\r\n\r\nemail=")
    assert _status(sock) == 408
    sock.close()


@SERVED
def test_slow_bodies_do_not_hold_the_database(served: int) -> None:
    """Twenty uploads trickle in, more than the pool's admission slots; a page still answers."""
    stop = threading.Event()
    socks = [_start(served, FORM_HEAD + "Content-Length: 1000\r\n\r\n") for _ in range(20)]

    def trickle() -> None:
        while not stop.is_set():
            for sock in socks:
                with contextlib.suppress(OSError):
                    sock.sendall(b"a")
            time.sleep(0.5)

    feeder = threading.Thread(target=trickle, daemon=True)
    feeder.start()
    try:
        time.sleep(1)
        page = httpx.get(f"http://127.0.0.1:{served}/login", timeout=60)
        assert page.status_code == 200
    finally:
        stop.set()
        feeder.join()
        for sock in socks:
            sock.close()


def test_upload_routes_take_the_upload_limit_and_others_the_form_limit(settings: Settings) -> None:
    small = settings.model_copy(update={"form_max_bytes": 65536, "upload_max_bytes": 200_000})
    app = create_app(small)
    with TestClient(app) as client:
        login = client.post("/login", data={"email": "x" * 100_000, "password": "y"})
        assert login.status_code == 413
        api = client.post("/api/v1/agreements", content=b"{" + b" " * 100_000 + b"}",
                          headers={"Content-Type": "application/json"})  # fmt: skip
        assert api.status_code == 413 and api.headers["content-type"].startswith("application/problem+json")
        # An upload route takes more than a form, and is then refused by the sign-in check, not the size.
        upload = client.post("/api/v1/works/import", files={"file": ("w.csv", b"t" * 150_000)})
        assert upload.status_code == 401
        too_big = client.post("/api/v1/works/import", files={"file": ("w.csv", b"t" * 600_000)})
        assert too_big.status_code == 413
    app.state.engine.dispose()


def test_a_file_over_the_upload_limit_is_refused_with_413_on_pages_and_in_the_api(
    settings: Settings, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    """The limit is the setting everywhere (no route reads a fixed amount and keeps what it got), and a
    file just over it, which the body limit lets through with the form around it, is refused whole."""
    small = settings.model_copy(update={"upload_max_bytes": 2000})
    rows = "".join(f"Slope study {n},Li Xiaoqing,2020\n" for n in range(100))
    over = ("title,authors,year\n" + rows).encode()
    within = ("title,authors,year\n" + rows[: rows.index("study 40")].rsplit("\n", 2)[0] + "\n").encode()
    agreement = world["strategic_agreement"]
    app = create_app(small)
    with TestClient(app, headers={"Accept-Language": "en"}) as client:
        headers = token_for(factory, CQU)
        for path, name in [
            ("/api/v1/works/import", "w.csv"),
            (f"/api/v1/agreements/{agreement}/text", "a.txt"),
        ]:
            answer = client.post(path, headers=headers, files={"file": (name, over)})
            assert answer.status_code == 413, path
            assert answer.headers["content-type"].startswith("application/problem+json")
        imported = client.post("/api/v1/works/import", headers=headers, files={"file": ("w.csv", within)})
        assert len(within) < 2000 and imported.json()["imported"] == 39
        login(client, CQU)
        page = client.post(
            "/works/import",
            data={"csrf_token": csrf_of(client, "/works/import"), "action": "preview"},
            files={"file": ("w.csv", over)},
        )
        assert page.status_code == 413 and "larger than the limit" in page.text
    app.state.engine.dispose()
