"""``accord bench load``: many signed-in people using real application processes at once, measured by locust.

An empty database is filled with the deterministic portfolio of ``accord bench board`` plus one account per
simulated person; ``accord serve --workers N`` (and optionally ``accord worker``) then runs on a free port of
127.0.0.1 and locust drives it in a subprocess. locust is never imported here: it monkey-patches the
standard library with gevent on import, and this module is imported whenever the CLI starts.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from accord import clock
from accord.bench import load_plan
from accord.db import migrate
from accord.db.session import make_engine, make_sessionmaker
from accord.demo.scale import PASSWORD, generate
from accord.models import Organisation

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
SEED = 2020


def register(app: typer.Typer) -> None:
    app.command("load")(bench_load)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fill(url: str, agreements: int, users: int) -> tuple[dict[str, int], list[dict[str, Any]], float]:
    migrate.upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    try:
        with make_sessionmaker(engine)() as session:
            if session.scalar(select(func.count()).select_from(Organisation)):
                raise typer.BadParameter("the database is not empty", param_hint="--database-url")
            counts = generate(session, agreements, today=clock.today(), seed=SEED)
            accounts = load_plan.add_accounts(session, users, seed=SEED)
            session.commit()
    finally:
        engine.dispose()
    return counts, accounts, time.perf_counter() - started


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        # A session of its own, so stopping it never signals the benchmark's own process group.
        return subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    import httpx

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise typer.BadParameter(f"the application stopped; see {log}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise typer.BadParameter(f"the application did not answer within 90 s; see {log}")


def _percentile(histogram: dict[int, int], share: float) -> float:
    # locust keeps a histogram of response times (exact below 100 ms, then rounded to 10 / 100 ms).
    total = sum(histogram.values())
    if not total:
        return 0.0
    rank, seen = share * total, 0
    for millis in sorted(histogram):
        seen += histogram[millis]
        if seen >= rank:
            return float(millis)
    return float(max(histogram))


def _window(entries: list[dict[str, Any]]) -> float:
    started = min((e["start_time"] for e in entries), default=0.0)
    ended = max((e["last_request_timestamp"] or 0.0 for e in entries), default=0.0)
    return max(0.0, ended - started)


def _figures(entries: list[dict[str, Any]], window: float) -> dict[str, Any]:
    histogram: dict[int, int] = {}
    for entry in entries:
        for millis, count in entry["response_times"].items():
            histogram[int(millis)] = histogram.get(int(millis), 0) + count
    requests = sum(e["num_requests"] for e in entries)
    return {
        "requests": requests,
        "errors": sum(e["num_failures"] for e in entries),
        "rps": round(requests / window, 1) if window else 0.0,
        "p50_ms": _percentile(histogram, 0.50),
        "p95_ms": _percentile(histogram, 0.95),
        "p99_ms": _percentile(histogram, 0.99),
    }


def _run_locust(
    folder: Path, base: str, users: int, spawn_rate: float, plan: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    env = {
        **os.environ,
        "ACCORD_LOAD_PLAN": str(folder / "plan.json"),
        "ACCORD_LOAD_ERRORS": str(folder / "errors.json"),
    }
    # The locustfile restarts the statistics `warmup` s after everyone has signed in and stops `duration`
    # s later; --run-time only ends a run whose sign-ins failed.
    run_time = math.ceil(users / spawn_rate) + plan["warmup"] + plan["duration"] + 120
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        base,
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{run_time}s",
        "--only-summary",
        "--json-file",
        str(folder / "stats"),
    ]
    log = folder / "locust.log"
    with log.open("wb") as out:
        # locust exits with 1 when any request failed; the statistics say which, so the code is not used.
        subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=run_time + 300)
    stats, errors = folder / "stats.json", folder / "errors.json"
    if not stats.exists():
        raise typer.BadParameter(f"locust wrote no statistics; see {log}")
    return (
        json.loads(stats.read_text(encoding="utf-8")),
        json.loads(errors.read_text(encoding="utf-8")) if errors.exists() else [],
    )


def bench_load(
    agreements: Annotated[int, typer.Option(min=1, help="Agreements to generate (20 tasks each)")] = 10_000,
    users: Annotated[int, typer.Option(min=1, max=2000, help="Concurrent signed-in people")] = 200,
    spawn_rate: Annotated[float, typer.Option(min=0.1, help="People starting per second")] = 5.0,
    warmup: Annotated[int, typer.Option(min=0, help="Unmeasured seconds after everyone has signed in")] = 10,
    duration: Annotated[int, typer.Option(min=1, help="Measured seconds, after the warm-up")] = 60,
    processes: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Application processes (default 2; 1 on SQLite)"),
    ] = None,
    worker: Annotated[bool, typer.Option("--worker", help="Also run `accord worker` alongside")] = False,
    wait_min: Annotated[float, typer.Option(min=0, help="Shortest think time between requests (s)")] = 1.0,
    wait_max: Annotated[float, typer.Option(min=0, help="Longest think time between requests (s)")] = 5.0,
    database_url: Annotated[
        str, typer.Option(help="An EMPTY database to fill (default: a temporary SQLite file)")
    ] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Serve a generated portfolio on 127.0.0.1 and load it with signed-in people (req/s, p50/p95/p99, errors)."""
    folder = Path(tempfile.mkdtemp(prefix="accord-bench-load-"))
    url = database_url or f"sqlite:///{folder / 'accord.db'}"
    backend = make_engine(url).dialect.name
    # SQLite serialises writers across processes; one process is its intended deployment.
    processes = processes or (1 if backend == "sqlite" else 2)
    counts, accounts, generated = _fill(url, agreements, users)
    env = {
        **os.environ,
        "ACCORD_DATABASE_URL": url,
        "ACCORD_DATA_DIR": str(folder),
        "ACCORD_SECRET_KEY": secrets.token_urlsafe(32),
    }
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    accord = [sys.executable, "-m", "accord"]
    serve = [*accord, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(processes)]
    started = [_start(serve, env, folder / "server.log")]
    try:
        _wait_ready(base, started[0], folder / "server.log")
        if worker:
            started.append(_start([*accord, "worker"], env, folder / "worker.log"))
        load_before = os.getloadavg()[0]
        plan = {
            "seed": SEED,
            "password": PASSWORD,
            "wait_min": wait_min,
            "wait_max": wait_max,
            "warmup": warmup,
            "duration": duration,
            "accounts": accounts,
        }
        stats, errors = _run_locust(folder, base, users, spawn_rate, plan)
        load_after = os.getloadavg()[0]
    finally:
        for process in reversed(started):
            _stop(process)
    window = _window(stats)
    kinds = {e["name"]: _figures([e], window) for e in sorted(stats, key=lambda e: str(e["name"]))}
    result: dict[str, Any] = {
        "backend": backend,
        "processes": processes,
        "worker": worker,
        **counts,
        "accounts": len(accounts),
        "generate_s": round(generated, 1),
        "users": users,
        "warmup_s": warmup,
        "duration_s": duration,
        "think_s": [wait_min, wait_max],
        "load_average": [round(load_before, 2), round(load_after, 2)],
        "measured_s": round(window, 1),
        "overall": _figures(stats, window),
        "kinds": kinds,
        "error_samples": errors[:20],
    }
    if result["overall"]["errors"] == 0:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        result["logs"] = str(folder)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    _print_table(result)


def _print_table(result: dict[str, Any]) -> None:
    table = Table(
        title=(
            f"Load: {result['users']} people, {result['duration_s']} s, {result['agreements']} agreements, "
            f"{result['processes']} process(es) on {result['backend']} "
            f"(load average {result['load_average'][0]} → {result['load_average'][1]})"
        )
    )
    for column in ("kind", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    rows = [*result["kinds"].items(), ("all", result["overall"])]
    for name, f in rows:
        table.add_row(
            name,
            str(f["requests"]),
            str(f["rps"]),
            str(f["p50_ms"]),
            str(f["p95_ms"]),
            str(f["p99_ms"]),
            str(f["errors"]),
        )
    console = Console()
    console.print(table)
    for sample in result["error_samples"]:
        console.print(f"[red]{sample['kind']}: {sample['error']} × {sample['occurrences']}[/red]")
    if "logs" in result:
        console.print(f"Logs and statistics kept in {result['logs']}")
