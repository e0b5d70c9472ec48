"""Application processes for the browser and scale-out tests: each on a port of its own, waited for."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO

import httpx


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (the system picks it, so test processes differ)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 120.0, every: float = 0.2) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``timeout`` seconds."""
    give_up = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < give_up, f"timed out waiting until {what}"
        time.sleep(every)


def accord_process(
    env: Mapping[str, str], *arguments: str, log: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """``accord ARGUMENTS`` run as a child process with ``env``."""
    return subprocess.Popen(
        [sys.executable, "-m", "accord", *arguments],
        env=dict(env),
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
    )


def stop(process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """Terminate a child process, killing it if it does not end in time."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def _answering(process: subprocess.Popen[bytes], url: str) -> Callable[[], bool]:
    return lambda: process.poll() is not None or _healthy(url)


@contextmanager
def app_server(
    env: Mapping[str, str],
    log: Path | None = None,
    timeout: float = 120.0,
    factory: str = "accord.web.app:create_app",
) -> Iterator[str]:
    """The web application (made by ``factory``) in its own process on a free port, answering /healthz;
    yields its base URL, which is also its ``ACCORD_BASE_URL`` unless ``env`` sets one.

    A server that exits at once (its port taken meanwhile by another process) is started again on
    another port."""
    for _attempt in range(3):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        command = ["uvicorn", factory, "--factory", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--log-level", "warning"]
        with log.open("ab") if log else nullcontext(None) as output:
            process = subprocess.Popen(
                [sys.executable, "-m", *command],
                env={"ACCORD_BASE_URL": url, **env},
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
            )
            try:
                wait_until(_answering(process, url), f"{url} answers", timeout)
                if process.poll() is None:
                    yield url
                    return
            finally:
                stop(process)
    raise AssertionError("the application process exited at start three times")
