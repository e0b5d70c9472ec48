"""``accord bench board``: a deterministic portfolio at scale, then the supervision board and agreement page timed.

The generator writes agreements, parties, accepted commitments, tasks and progress updates in realistic
proportions (2 parties, 5 commitments, 20 tasks and 10 updates per agreement) with bulk inserts, into an
empty database; the timings go through the real ASGI application with a signed-in coordinator.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from accord.config import Settings
from accord.db import migrate
from accord.db.session import make_engine, make_sessionmaker
from accord.models import (
    Agreement,
    AgreementParty,
    Commitment,
    Membership,
    Organisation,
    ProgressUpdate,
    Role,
    Task,
)
from accord.services import users
from accord.services.permissions import SYSTEM

PASSWORD = "bench-board-2020"
CHUNK = 5000


def register(app: typer.Typer) -> None:
    app.command("board")(bench_board)


def _chunks(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(model), rows[start : start + CHUNK])


def generate(session: Session, agreements: int, *, today: date, seed: int = 2020) -> dict[str, int]:
    """Fill an empty database; returns counts. The coordinator persona coordinates organisation 1."""
    rng = random.Random(seed)
    org_count = max(20, agreements // 10)
    _chunks(
        session,
        Organisation,
        [
            {"id": i, "name_zh": f"合作单位{i}", "name_en": f"Partner {i}", "kind": "enterprise"}
            for i in range(1, org_count + 1)
        ],
    )
    agreement_rows, parties, commitments, tasks, updates = [], [], [], [], []
    task_id = commitment_id = 0
    for a in range(1, agreements + 1):
        signed = today - timedelta(days=rng.randint(30, 5 * 365))
        agreement_rows.append(
            {
                "id": a,
                "title_zh": f"战略合作协议{a}",
                "title_en": f"Strategic cooperation agreement {a}",
                "kind": "strategic",
                "status": "in_force",
                "signed_on": signed,
                "effective_from": signed,
                "expires_on": signed + timedelta(days=5 * 365),
            }
        )
        # One agreement in ten has organisation 1 as a party: the coordinator's share of the portfolio.
        first = 1 if a % 10 == 0 else rng.randint(2, org_count)
        second = rng.choice(
            [o for o in (rng.randint(2, org_count), rng.randint(2, org_count)) if o != first] or [2]
        )
        if second == first:
            second = first % org_count + 1
        pair = (first, second)
        for position, org in enumerate(pair):
            parties.append({"agreement_id": a, "organisation_id": org, "position": position})
        for _c in range(5):
            commitment_id += 1
            owner = pair[commitment_id % 2]
            commitments.append(
                {
                    "id": commitment_id,
                    "agreement_id": a,
                    "organisation_id": owner,
                    "action": f"承诺事项{commitment_id}",
                    "review": "accepted",
                }
            )
            for _t in range(4):
                task_id += 1
                start = signed + timedelta(days=rng.randint(0, 900))
                due = start + timedelta(days=rng.randint(30, 720))
                done = due < today and rng.random() < 0.7
                progress = 100 if done else rng.choice([0, 10, 25, 40, 50, 60, 75, 90])
                tasks.append(
                    {
                        "id": task_id,
                        "agreement_id": a,
                        "commitment_id": commitment_id,
                        "kind": "task",
                        "title": f"任务{task_id}",
                        "owner_organisation_id": owner,
                        "start_on": start,
                        "due_on": due,
                        "done": done,
                        "done_on": due if done else None,
                        "cancelled": rng.random() < 0.02,
                        "progress_percent": Decimal(progress),
                    }
                )
                if task_id % 2 == 0 and progress:
                    updates.append(
                        {
                            "task_id": task_id,
                            "reported_on": min(today, start + timedelta(days=30)),
                            "percent": Decimal(progress),
                            "author_label": "bench",
                        }
                    )
    for model, rows in (
        (Agreement, agreement_rows),
        (AgreementParty, parties),
        (Commitment, commitments),
        (Task, tasks),
        (ProgressUpdate, updates),
    ):
        _chunks(session, model, rows)
    users.create_user(
        session, SYSTEM, email="admin@bench.example", display_name="admin", password=PASSWORD, is_admin=True
    )
    coordinator = users.create_user(
        session, SYSTEM, email="coordinator@bench.example", display_name="coordinator", password=PASSWORD
    )
    session.flush()
    session.execute(
        insert(Membership), [{"user_id": coordinator.id, "organisation_id": 1, "role": Role.COORDINATOR}]
    )
    if session.get_bind().dialect.name == "postgresql":
        # Explicit ids were inserted: move the sequences past them.
        for table in ("organisation", "agreement", "commitment", "task"):
            session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
        session.execute(text("ANALYZE"))
    else:
        session.execute(text("ANALYZE"))
    return {
        "agreements": agreements,
        "tasks": len(tasks),
        "updates": len(updates),
        "organisations": org_count,
    }


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
        counts = generate(session, agreements, today=date.today())
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
