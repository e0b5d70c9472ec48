"""Sign-in reveals nothing about which accounts exist, and its failures are counted atomically, per
account name and per client address, in the database (issue 15, item 6)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.models import Throttle
from accord.services import users
from accord.web.app import create_app
from accord.web.routes.auth import sign_in_policy
from tests.conftest import CQU, VIEWER, csrf_of

ERROR = re.compile(r'class="flash error" role="alert">([^<]+)<')


def _attempt(client: TestClient, email: str, password: str) -> tuple[int, str]:
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(client), "next": "/"},
        follow_redirects=False,
    )
    found = ERROR.search(response.text)
    return response.status_code, found.group(1).strip() if found else ""


def test_an_unknown_address_gets_the_same_answers_as_an_existing_one(
    client: TestClient, world: dict[str, int], settings: Settings
) -> None:
    for email in (CQU, "nobody@accord.example"):
        answers = [
            _attempt(client, email, "wrong-password-0") for _ in range(settings.login_max_failures + 1)
        ]
        if email == CQU:
            existing = answers
        else:
            unknown = answers
    assert existing == unknown
    assert existing[0][0] == 401 and existing[0][1]
    assert "paused" in existing[-1][1]  # the lock-out, worded the same for both
    # The lock-out holds for the right password too, and for neither address says more.
    assert _attempt(client, CQU, "accord-demo-2020")[1] == existing[-1][1]


def test_parallel_failures_are_each_counted(
    world: dict[str, int], factory: sessionmaker[Session], settings: Settings
) -> None:
    policy = sign_in_policy(settings.model_copy(update={"login_max_failures": 6}))

    def fail(n: int) -> None:
        with factory() as session:
            users.authenticate(session, CQU, f"wrong-{n}", policy=policy, address=f"192.0.2.{n}")
            session.commit()

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(fail, range(6)))
    with factory() as session:
        counted = session.scalar(select(Throttle.count).where(Throttle.bucket == "login-account"))
        assert counted == 6
        result = users.authenticate(session, CQU, "accord-demo-2020", policy=policy, address="192.0.2.99")
        assert result.user is None and result.locked


def test_failures_from_one_address_lock_it_out_across_accounts_and_processes(
    world: dict[str, int], settings: Settings, tmp_path: Path
) -> None:
    limited = settings.model_copy(update={"login_address_max_failures": 3})
    first, second = create_app(limited), create_app(limited)  # two processes sharing the database
    with TestClient(first) as one, TestClient(second) as two:
        one.headers["Accept-Language"] = two.headers["Accept-Language"] = "en"
        _attempt(one, "a@example.org", "wrong-password-1")
        _attempt(two, "b@example.org", "wrong-password-2")
        _status, said = _attempt(one, "c@example.org", "wrong-password-3")
        assert "paused" in said
        # Even the right password of another account is refused from this address for now.
        assert _attempt(two, VIEWER, "accord-demo-2020")[0] == 401
    with first.state.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Throttle)) >= 4
    first.state.engine.dispose()
    second.state.engine.dispose()
