"""The demo's personas, signing a test client in through the real form, and API tokens."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from accord.models import User
from accord.services import users
from accord.services.permissions import SYSTEM

ADMIN = "admin@accord.example"
CQU = "cqu@accord.example"
WANZHOU = "wanzhou@accord.example"
VIEWER = "viewer@accord.example"
PASSWORD = "accord-demo-2020"

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: httpx.Client, path: str = "/login") -> str:
    """The CSRF token embedded in a page's forms."""
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: httpx.Client, email: str, password: str = PASSWORD) -> None:
    """Sign a client (a TestClient, or httpx against a running server) in through the real form."""
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def token_for(factory: sessionmaker[Session], email: str) -> dict[str, str]:
    """Authorization headers with a new API token of the account ``email``."""
    with factory() as session:
        user = session.scalars(select(User).where(User.email == email)).one()
        _token, secret = users.create_token(session, SYSTEM, user, "tests")
        session.commit()
    return {"Authorization": f"Bearer {secret}"}
