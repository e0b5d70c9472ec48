"""Shared fixtures: every database test runs on SQLite and, when ACCORD_TEST_POSTGRES_URL is set, PostgreSQL.

The schema is migrated once per backend and test process into a template, and the demo loaded once
into a second one (tests/support/databases.py); each test then gets a fresh copy of the empty template,
or of the demo's when it asks for ``world``, so tests never see each other's data. Passwords are hashed
with cheap argon2 parameters here only (production keeps its own: tests/services/test_passwords.py).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord import clock
from accord.config import Settings, get_settings
from accord.db.session import make_engine, make_sessionmaker
from accord.i18n import set_language
from accord.match import translate
from accord.services import users
from accord.services.matching import index as matching_index
from tests.support.accounts import ADMIN, CQU, CSRF, VIEWER, WANZHOU, csrf_of, login, token_for
from tests.support.databases import (
    POSTGRES_URL,
    PostgresTemplates,
    SqliteTemplates,
    Templates,
    fresh_database,
)
from tests.support.mail import smtp
from tests.support.ocr import remembered_answers

__all__ = ["ADMIN", "CQU", "CSRF", "VIEWER", "WANZHOU", "csrf_of", "login", "smtp", "token_for"]

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.hookimpl(trylast=True)  # after the cache provider's
def pytest_configure(config: pytest.Config) -> None:
    """The test processes and the servers they start (which inherit the environment) keep the parsed
    bilingual dictionary in the pytest cache (ACCORD_CACHE_DIR): the run's first process to rank matches
    parses it (about 3.5 s of processor time), every later one reads it in 0.3 s."""
    cache = getattr(config, "cache", None)  # absent under -p no:cacheprovider
    if cache is not None:
        os.environ.setdefault("ACCORD_CACHE_DIR", str(cache.mkdir("accord-cache")))


@pytest.fixture(autouse=True)
def _environment_restored() -> Iterator[None]:
    """Commands run in-process (``accord serve``, ``--env-file``) set variables meant for their own
    process; put the environment back so that no later test reads them as its settings."""
    before = dict(os.environ)
    yield
    for name in set(os.environ) - set(before) - {"PYTEST_CURRENT_TEST"}:
        del os.environ[name]
    for name, value in before.items():
        if name != "PYTEST_CURRENT_TEST" and os.environ.get(name) != value:
            os.environ[name] = value
    get_settings.cache_clear()


# Threads the application starts (web/app.py, services/jobs.py, cli/commands.py): their names begin so.
APPLICATION_THREADS = ("warm-up", "job-", "accord-worker")
THREAD_GRACE_SECONDS = 300


@pytest.fixture(autouse=True)
def _background_work_ends_with_its_test() -> Iterator[None]:
    """A thread the application started for a test (the warm-up, the job runner, a job, the reminder
    worker) is waited for before the next test begins, and a test that leaves one running fails.

    Such a thread keeps the test's engine and settings: left running it reads and writes the next
    test's database (on PostgreSQL every test of a worker reuses one database name). And it races the
    next test's warning filters: pydantic, FastAPI and matplotlib silence warnings with
    ``warnings.catch_warnings``, which swaps the process's filter list and is not thread-safe. A
    warm-up thread building the OpenAPI document while pytest installed the next test's filters left
    that test with ``error`` but without the ignores after it; FastAPI analyses a router's routes at
    its first request, under a filter of its own that the other thread's exit took away, and the
    warning it meant to silence was raised as an error: the first page of a router answered 500
    (dashboards, catalogue, agreements, works import, account channels)."""
    before = set(threading.enumerate())
    yield
    started = [
        thread
        for thread in threading.enumerate()
        if thread not in before and thread.name.startswith(APPLICATION_THREADS)
    ]
    for thread in started:
        thread.join(THREAD_GRACE_SECONDS)
    running = [thread.name for thread in started if thread.is_alive()]
    assert running == [], f"the test left application threads running: {running}"


Glossary = tuple[dict[str, list[str]], dict[str, list[str]]]


def _copy(zh_en: dict[str, list[str]], en_zh: dict[str, list[str]]) -> Glossary:
    return {k: list(v) for k, v in zh_en.items()}, {k: list(v) for k, v in en_zh.items()}


@cache
def _package_glossary() -> Glossary:
    """The glossary a freshly loaded dictionary has: the one that ships in the package."""
    shipped = object.__new__(translate.Dictionary)
    shipped.glossary_zh_en, shipped.glossary_en_zh = {}, {}
    shipped.merge_glossary(translate._read_glossary(translate._package_glossary_text()))
    return shipped.glossary_zh_en, shipped.glossary_en_zh


@pytest.fixture(autouse=True)
def _matching_state_of_the_test_only() -> Iterator[None]:
    """The process keeps a matching index per data folder and one bilingual dictionary that
    administrators' glossaries extend. After each test its indexes are dropped (each holds a whole
    matcher, and the data folder was the test's own) and the dictionary's glossary is put back, so a
    glossary one test uploaded (the authorisation matrix adds 极光 = aurora) translates nothing in
    the tests after it."""
    indexes = set(matching_index._states)
    loaded = translate._dictionary
    before = None if loaded is None else _copy(loaded.glossary_zh_en, loaded.glossary_en_zh)
    yield
    for directory in set(matching_index._states) - indexes:
        matching_index._states.pop(directory, None)
    dictionary = translate._dictionary
    if dictionary is not None:
        dictionary.glossary_zh_en, dictionary.glossary_en_zh = _copy(*(before or _package_glossary()))


@pytest.fixture(autouse=True)
def _process_clock_restored() -> Iterator[None]:
    """Building an application makes its time zone the process's clock (``clock.use``): a test whose
    settings name another zone would otherwise move "today" for every test after it."""
    before = clock.current()
    yield
    clock.use(before.zone.key)


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    set_language("en")
    yield


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """argon2 at its smallest cost: the tests hash and verify thousands of passwords."""
    production = users._hasher, users._DUMMY_HASH
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    users._hasher, users._DUMMY_HASH = cheap, cheap.hash("accord-timing-equaliser")
    yield
    users._hasher, users._DUMMY_HASH = production


@pytest.fixture(scope="session", autouse=True)
def _ocr_answers_remembered(pytestconfig: pytest.Config) -> Iterator[None]:
    """The recogniser reads each page image once, its answer kept in the pytest cache (tests/support/ocr.py)."""
    cache = getattr(pytestconfig, "cache", None)  # absent under -p no:cacheprovider
    folder = cache.mkdir("ocr-answers") if cache else None
    with remembered_answers(folder):
        yield


@pytest.fixture(scope="session")
def _sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    return SqliteTemplates(tmp_path_factory.mktemp("sqlite-templates"))


@pytest.fixture(scope="session")
def _postgres_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresTemplates]:
    if not POSTGRES_URL:
        pytest.skip("ACCORD_TEST_POSTGRES_URL is not set")
    templates = PostgresTemplates(POSTGRES_URL, tmp_path_factory.mktemp("postgres-templates"))
    yield templates
    templates.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The test's private data folder (files, generated keys)."""
    return tmp_path / "var"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, data_dir: Path) -> str:
    """A fresh migrated database on each backend: empty, or the demo's when the test uses ``world``."""
    templates: Templates = request.getfixturevalue(f"_{request.param}_templates")
    return fresh_database(
        templates, tmp_path / "db", data_dir / "files", demo="world" in request.fixturenames
    )


@pytest.fixture
def settings(database_url: str, data_dir: Path) -> Settings:
    """Settings pointing at the test database and a private data folder."""
    return Settings(data_dir=data_dir, database_url=database_url, secret_key="test-secret-key")


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
def world(request: pytest.FixtureRequest, database_url: str) -> dict[str, int]:
    """The Wanzhou demo registry and its accounts (personas), committed: the test's database is a copy
    of the demo template; this returns the ids of its main records."""
    backend = "postgres" if database_url.startswith("postgresql") else "sqlite"
    templates: Templates = request.getfixturevalue(f"_{backend}_templates")
    return dict(templates.demo().ids)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    from accord.web.app import create_app

    app = create_app(settings)
    with TestClient(app, base_url="http://testserver") as test_client:
        test_client.headers["Accept-Language"] = "en"
        yield test_client
    app.state.engine.dispose()
