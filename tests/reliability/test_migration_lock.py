"""Two ``accord db upgrade`` at once on an empty PostgreSQL database both succeed: they take turns."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from accord.db import migrate
from tests.support.databases import PostgresTemplates


@pytest.mark.postgres
def test_concurrent_upgrades_of_an_empty_database_take_turns(_postgres_templates: PostgresTemplates) -> None:
    templates = _postgres_templates
    name = f"{templates.name}_lock"
    templates._create(name)  # empty: not even the template's schema
    url = templates.url(name)
    head = migrate.head_revision(url)
    env = {**os.environ, "ACCORD_DATABASE_URL": url, "ACCORD_DATA_DIR": str(templates.folder / "lock-data")}
    # Advisory locks belong to one database: hold it in the database being upgraded.
    holding = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with holding.connect() as holder:
            # Hold the migration lock so that both upgrades are certainly running, and waiting, together.
            holder.execute(text(f"SELECT pg_advisory_lock({migrate.LOCK_KEY})"))
            upgrades = [
                subprocess.Popen(
                    [sys.executable, "-m", "accord", "db", "upgrade"],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(2)
            ]
            waiting = 0
            for _ in range(600):
                waiting = holder.scalar(
                    text(
                        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                        "WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = :name"
                    ),
                    {"name": name},
                )
                if waiting == 2 or any(p.poll() is not None for p in upgrades):
                    break
                time.sleep(0.1)
            assert waiting == 2, [p.communicate() for p in upgrades if p.poll() is not None]
            holder.execute(text(f"SELECT pg_advisory_unlock({migrate.LOCK_KEY})"))
            results = [p.communicate(timeout=300) for p in upgrades]
        assert [p.returncode for p in upgrades] == [0, 0], results
        said = sorted(out.split(":")[0] for out, _err in results)
        assert said == [f"Database already at {head}", f"Database upgraded empty → {head}"]
        from accord.db.session import make_engine

        engine = make_engine(url)
        assert migrate.current_revision(engine) == head
        engine.dispose()
    finally:
        holding.dispose()
        with templates.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
