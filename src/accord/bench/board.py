"""``accord bench board``: a deterministic portfolio at scale, then the supervision board and agreement page timed.

The generator writes agreements, parties, accepted commitments, tasks and progress updates in realistic
proportions (2 parties, 5 commitments, 20 tasks and 10 updates per agreement) with bulk inserts, into an
empty database; the timings go through the real ASGI application with a signed-in coordinator.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from accord import clock
from accord.config import Settings
from accord.db import migrate
from accord.db.session import make_engine, make_sessionmaker
from accord.demo.scale import PASSWORD, generate


def register(app: typer.Typer) -> None:
    app.command("board")(bench_board)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 1),
        "requests": len(ordered),
    }


def _measure(settings: Settings, requests: int, agreements: int) -> dict[str, dict[str, float]]:
    from starlette.testclient import TestClient

    from accord.web.app import create_app

    app = create_app(settings)
    results: dict[str, dict[str, float]] = {}
    with TestClient(app, base_url="http://bench") as client:
        client.headers["Accept-Language"] = "zh-CN"
        page = client.get("/login").text
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post(
            "/login", data={"email": "coordinator@bench.example", "password": PASSWORD, "csrf_token": token}
        )
        cases: dict[str, Callable[[int], str]] = {
            "board, first page": lambda _i: "/board",
            "board, overdue filter": lambda _i: "/board?status=overdue",
            "board, party + due within 30 days": lambda _i: "/board?organisation_id=1&due_within=30",
            "agreement page": lambda i: f"/agreements/{10 * (i % max(1, agreements // 10) + 1)}",
        }
        for name, url in cases.items():
            for i in range(5):
                client.get(url(i))  # warm caches and pools
            samples = []
            for i in range(requests):
                started = time.perf_counter()
                response = client.get(url(i))
                samples.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise typer.BadParameter(f"{url(i)} answered {response.status_code}")
            results[name] = _percentiles(samples)
    app.state.engine.dispose()
    return results


def bench_board(
    agreements: Annotated[int, typer.Option(help="Agreements to generate (20 tasks each)")] = 1000,
    requests: Annotated[int, typer.Option(help="Timed requests per page")] = 200,
    database_url: Annotated[
        str, typer.Option(help="An EMPTY database to fill (default: a temporary SQLite file)")
    ] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Generate a portfolio and time the supervision board and the agreement page (p50/p95)."""
    folder = Path(tempfile.mkdtemp(prefix="accord-bench-board-"))
    url = database_url or f"sqlite:///{folder / 'accord.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    with make_sessionmaker(engine)() as session:
        counts = generate(session, agreements, today=clock.today())
        session.commit()
    engine.dispose()
    generated = time.perf_counter() - started
    settings = Settings(data_dir=folder, database_url=url, secret_key="bench")
    timings = _measure(settings, requests, agreements)
    result = {
        "backend": make_engine(url).dialect.name,
        **counts,
        "generate_s": round(generated, 1),
        "pages": timings,
    }
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    table = Table(
        title=f"Supervision board, {counts['agreements']} agreements, {counts['tasks']} tasks ({result['backend']})"
    )
    for column in ("page", "p50 ms", "p95 ms", "requests"):
        table.add_column(column)
    for name, figures in timings.items():
        table.add_row(name, str(figures["p50_ms"]), str(figures["p95_ms"]), str(figures["requests"]))
    Console().print(table)
