"""Shared fixtures: every database test runs on SQLite and, when ACCORD_TEST_POSTGRES_URL is set, PostgreSQL.

The schema is migrated once per backend; each test then starts from empty tables (a fresh copy of
the migrated SQLite file, or TRUNCATE on PostgreSQL), so tests never see each other's data.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.db import migrate
from accord.db.session import make_engine, make_sessionmaker
from accord.i18n import set_language
from accord.models import Base

POSTGRES_URL = os.environ.get("ACCORD_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    set_language("en")
    yield


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "accord.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _postgres_ready() -> str:
    if not POSTGRES_URL:
        pytest.skip("ACCORD_TEST_POSTGRES_URL is not set")
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    migrate.upgrade(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database on each backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        target = tmp_path / "accord.db"
        shutil.copy(template, target)
        return f"sqlite:///{target}"
    url: str = request.getfixturevalue("_postgres_ready")
    engine = make_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings pointing at the test database and a private data folder."""
    return Settings(data_dir=tmp_path / "var", database_url=database_url, secret_key="test-secret-key")


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.resolved_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    session = factory()
    yield session
    session.rollback()
    session.close()


@pytest.fixture
def world(factory: sessionmaker[Session], settings: Settings) -> dict[str, int]:
    """The Wanzhou demo registry and its accounts (personas), committed."""
    from accord.services import demo

    with factory() as session:
        ids = demo.load(session, settings.files_dir)
        session.commit()
    return ids


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    from accord.web.app import create_app

    app = create_app(settings)
    with TestClient(app, base_url="http://testserver") as test_client:
        test_client.headers["Accept-Language"] = "en"
        yield test_client
    app.state.engine.dispose()


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: TestClient, path: str = "/login") -> str:
    """The CSRF token embedded in a page's forms."""
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: TestClient, email: str, password: str = "accord-demo-2020") -> None:
    """Sign a test client in through the real form."""
    token = csrf_of(client)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


ADMIN = "admin@accord.example"
CQU = "cqu@accord.example"
WANZHOU = "wanzhou@accord.example"
VIEWER = "viewer@accord.example"
