"""A deterministic portfolio at scale, for benchmarks and for trying Accord with realistic volumes.

Agreements, parties, accepted commitments, tasks and progress updates in realistic proportions
(2 parties, 5 commitments, 20 tasks and 10 updates per agreement), written with bulk inserts into an
empty database. The coordinator persona ``coordinator@bench.example`` coordinates organisation 1.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

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
