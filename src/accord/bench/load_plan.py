"""The people of the load benchmark: accounts added to a generated portfolio, and what each one opens and edits.

Every tenth account coordinates organisation 1 (a supervision office watching one agreement in ten, the
expensive board); the others are members of one organisation each, who report on their own tasks. No two
accounts ever edit the same task: tasks are split by owner organisation, and within one organisation by
``task id % accounts in it``. A conflict (409) during a load run is therefore a bug, not contention.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.demo.scale import PASSWORD
from accord.models import AgreementParty, Membership, Role, Task, User
from accord.services import users

SUPERVISION_ORGANISATION = 1
SAMPLE_AGREEMENTS = 40
SAMPLE_TASKS = 60
SAMPLE_EDITABLE = 30


def email(index: int) -> str:
    """The sign-in address of load account ``index``."""
    return f"user{index:03d}@bench.example"


def add_accounts(session: Session, count: int, *, seed: int = 2020) -> list[dict[str, Any]]:
    """Create ``count`` accounts (password ``scale.PASSWORD``) and return one plan entry per account."""
    open_owners = session.scalars(
        select(Task.owner_organisation_id)
        .where(~Task.done, ~Task.cancelled, Task.owner_organisation_id != SUPERVISION_ORGANISATION)
        .distinct()
        .order_by(Task.owner_organisation_id)
    ).all()
    if not open_owners:
        raise ValueError("the portfolio has no open tasks to report on")
    assignments: list[tuple[int, Role]] = []
    for index in range(count):
        if index % 10 == 0:
            assignments.append((SUPERVISION_ORGANISATION, Role.COORDINATOR))
        else:
            members_so_far = index - index // 10 - 1
            assignments.append((open_owners[members_so_far % len(open_owners)], Role.MEMBER))
    # One argon2 hash for all: hashing 200 passwords would add seconds and measure nothing.
    password_hash = users.hash_password(PASSWORD)
    accounts = [
        User(email=email(i), display_name=f"Load user {i}", password_hash=password_hash) for i in range(count)
    ]
    session.add_all(accounts)
    session.flush()
    session.add_all(
        Membership(user_id=account.id, organisation_id=org, role=role)
        for account, (org, role) in zip(accounts, assignments, strict=True)
    )
    session.flush()

    group: dict[int, list[int]] = defaultdict(list)
    for index, (org, _role) in enumerate(assignments):
        group[org].append(index)
    plan = []
    for index, (org, role) in enumerate(assignments):
        rng = random.Random(seed + index)
        agreements = session.scalars(
            select(AgreementParty.agreement_id)
            .where(AgreementParty.organisation_id == org)
            .order_by(AgreementParty.agreement_id)
        ).all()
        agreements = sorted(rng.sample(list(agreements), min(SAMPLE_AGREEMENTS, len(agreements))))
        visible = session.scalars(
            select(Task.id).where(Task.agreement_id.in_(agreements)).order_by(Task.id)
        ).all()
        peers, rank = len(group[org]), group[org].index(index)
        owned = session.scalars(
            select(Task.id)
            .where(Task.owner_organisation_id == org, ~Task.done, ~Task.cancelled, Task.id % peers == rank)
            .order_by(Task.id)
        ).all()
        plan.append(
            {
                "email": email(index),
                "organisation_id": org,
                "role": role.value,
                "agreements": agreements,
                "tasks": sorted(rng.sample(list(visible), min(SAMPLE_TASKS, len(visible)))),
                "editable": sorted(rng.sample(list(owned), min(SAMPLE_EDITABLE, len(owned)))),
            }
        )
    return plan
