"""Sessions live on the server: a copied cookie stops working once the session is ended, by sign-out,
a password change or an administrator's "sign out everywhere", and the cookie holds nothing derived
from the password (issue 15, item 5)."""

from __future__ import annotations

import base64
import json

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.models import ApiToken, User, UserSession
from accord.services import sessions, users
from accord.services.permissions import SYSTEM
from tests.conftest import ADMIN, CQU, csrf_of, login


def _cookie(client: TestClient) -> str:
    value = client.cookies.get("accord_session")
    assert value
    return value


def _signed_in_with(client: TestClient, cookie: str) -> bool:
    client.cookies.clear()
    client.cookies.set("accord_session", cookie)
    response = client.get("/account", follow_redirects=False)
    return response.status_code == 200


def test_a_copied_cookie_stops_working_after_sign_out(client: TestClient, world: dict[str, int]) -> None:
    client.headers["User-Agent"] = "Copied-Cookie-Browser/1.0"
    login(client, CQU)
    copied = _cookie(client)
    page = client.get("/account")
    assert "Copied-Cookie-Browser/1.0" in page.text  # the page lists one's own sessions
    client.post("/logout", data={"csrf_token": csrf_of(client, "/account")})
    assert not _signed_in_with(client, copied)


def test_the_cookie_carries_no_password_material(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, CQU)
    payload = _cookie(client).split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    with factory() as session:
        user = session.scalar(select(User).where(User.email == CQU))
        assert user is not None
        digest = user.password_hash.rsplit("$", 1)[-1]
    assert "pw" not in data and "user_id" not in data
    assert not any(digest[i : i + 8] in json.dumps(data) for i in range(0, len(digest) - 8))


def test_a_password_change_ends_other_sessions_and_api_tokens(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, CQU)
    other = _cookie(client)
    with factory() as session:
        user = session.scalar(select(User).where(User.email == CQU))
        assert user is not None
        _token, secret = users.create_token(session, SYSTEM, user, "script")
        session.commit()
    assert client.get("/api/v1/agreements", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    client.cookies.clear()
    login(client, CQU)
    response = client.post(
        "/account/password",
        data={
            "current": "accord-demo-2020",
            "password": "a-new-password-2026",
            "csrf_token": csrf_of(client, "/account"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    mine = _cookie(client)
    assert client.get("/account", follow_redirects=False).status_code == 200  # this browser stays in
    assert client.get("/api/v1/agreements", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert not _signed_in_with(client, other)
    assert _signed_in_with(client, mine)
    with factory() as session:
        assert session.scalars(select(ApiToken).where(ApiToken.revoked_at.is_(None))).all() == []


def test_an_administrator_signs_a_user_out_everywhere(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, CQU)
    victim = _cookie(client)
    client.cookies.clear()
    login(client, ADMIN)
    with factory() as session:
        user = session.scalar(select(User).where(User.email == CQU))
        assert user is not None
        user_id = user.id
    page = client.get("/admin/users")
    assert f"/admin/users/{user_id}/sessions/end" in page.text
    response = client.post(
        f"/admin/users/{user_id}/sessions/end",
        data={"csrf_token": csrf_of(client, "/admin/users")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert not _signed_in_with(client, victim)


def test_one_can_end_one_of_ones_own_sessions_but_not_anothers(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    with factory() as session:
        cqu = session.scalar(select(User).where(User.email == CQU))
        admin = session.scalar(select(User).where(User.email == ADMIN))
        assert cqu is not None and admin is not None
        sessions.start(session, cqu, "Old laptop", max_age=3600)
        sessions.start(session, admin, "Admin laptop", max_age=3600)
        session.commit()
        rows = {row.user_agent: row.id for row in session.scalars(select(UserSession))}
    login(client, CQU)
    token = csrf_of(client, "/account")
    other = client.post(
        "/account/sessions/end", data={"csrf_token": token, "session_id": rows["Admin laptop"]}
    )
    assert other.status_code == 404  # someone else's session looks absent
    mine = client.post("/account/sessions/end", data={"csrf_token": token, "session_id": rows["Old laptop"]})
    assert mine.status_code == 200 and "Old laptop" not in mine.text
    with factory() as session:
        ended = {row.user_agent: row.ended_at for row in session.scalars(select(UserSession))}
    assert ended["Old laptop"] is not None and ended["Admin laptop"] is None
