"""Test databases that cost a file copy, not a migration or a demo load.

Each backend is migrated once per test process into a template, and a second template holds the
Wanzhou demo; every test gets a fresh copy of one of them: a copied file on SQLite,
``CREATE DATABASE … TEMPLATE`` on PostgreSQL. Under pytest-xdist each worker has databases of its own,
named after the worker (``<name>_gw0``, ``<name>_gw0_empty``, ``<name>_gw0_demo``), so workers never
share one.

The demo's tasks and due dates are laid out around the day it is loaded (``clock.today()``), so its
template belongs to that day: a test process still running after midnight in the configured time zone
loads it again rather than hand a test yesterday's demo, whose "overdue" and "due this week" differ
from what the pages compute today.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, make_url, text
from sqlalchemy.pool import NullPool

from accord import clock
from accord.db import migrate
from accord.db.session import make_engine, make_sessionmaker

POSTGRES_URL = os.environ.get("ACCORD_TEST_POSTGRES_URL", "")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


@dataclass(frozen=True)
class Demo:
    """The demo template: its database, the files it stored, the ids ``wanzhou.load`` returned and the
    day it was loaded for."""

    url: str
    files: Path
    ids: dict[str, int]
    day: date

    def current(self) -> bool:
        """Whether the demo was loaded today (its dates are laid out around the day of loading)."""
        return self.day == clock.today()


def load_demo(url: str, files: Path) -> dict[str, int]:
    """Load the Wanzhou demo into the database at ``url``, its files under ``files``."""
    from accord.demo import wanzhou

    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            ids = wanzhou.load(session, files)
            session.commit()
    finally:
        engine.dispose()
    return ids


class SqliteTemplates:
    """Template files in a folder of the session; a test's database is a copy in its own folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.empty = folder / "empty.db"
        migrate.upgrade(f"sqlite:///{self.empty}")
        self._demo: Demo | None = None

    def demo(self) -> Demo:
        if self._demo is None or not self._demo.current():
            path = self.folder / "demo.db"
            shutil.copy(self.empty, path)
            files = self.folder / "demo-files"
            shutil.rmtree(files, ignore_errors=True)
            day = clock.today()
            self._demo = Demo(f"sqlite:///{path}", files, load_demo(f"sqlite:///{path}", files), day)
        return self._demo

    def fresh(self, folder: Path, *, demo: bool) -> str:
        source = make_url(self.demo().url).database if demo else str(self.empty)
        assert source
        target = folder / "accord.db"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        return f"sqlite:///{target}"

    def close(self) -> None:
        """Nothing to do: the files go with pytest's temporary folders."""


class PostgresTemplates:
    """Template databases of this worker; a test's database is dropped and created again from one."""

    def __init__(self, url: str, folder: Path) -> None:
        base = make_url(url)
        assert base.database, "ACCORD_TEST_POSTGRES_URL names no database"
        self.name = f"{base.database}_{WORKER}"
        self.base = base
        self.folder = folder
        # The base database is only connected to, to create and drop this worker's databases.
        self.admin: Engine = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.empty = f"{self.name}_empty"
        self._create(self.empty)
        migrate.upgrade(self.url(self.empty))
        self._demo: Demo | None = None

    def url(self, database: str) -> str:
        address: URL = self.base.set(database=database)
        return address.render_as_string(hide_password=False)

    def _create(self, database: str, template: str | None = None) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            clause = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{database}"{clause}'))

    def demo(self) -> Demo:
        if self._demo is None or not self._demo.current():
            name = f"{self.name}_demo"
            self._create(name, template=self.empty)
            files = self.folder / "demo-files"
            shutil.rmtree(files, ignore_errors=True)
            day = clock.today()
            self._demo = Demo(self.url(name), files, load_demo(self.url(name), files), day)
        return self._demo

    def fresh(self, folder: Path, *, demo: bool) -> str:
        del folder  # the database lives in the server
        template = make_url(self.demo().url).database if demo else self.empty
        assert template
        self._create(self.name, template=template)
        return self.url(self.name)

    def close(self) -> None:
        with self.admin.connect() as connection:
            for database in (self.name, f"{self.name}_demo", self.empty):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        self.admin.dispose()


Templates = SqliteTemplates | PostgresTemplates


def fresh_database(templates: Templates, folder: Path, files_dir: Path, *, demo: bool) -> str:
    """A new database copied from the empty or the demo template (with the demo's files); its URL."""
    url = templates.fresh(folder, demo=demo)
    if demo and templates.demo().files.exists():
        shutil.copytree(templates.demo().files, files_dir, dirs_exist_ok=True)
    return url
