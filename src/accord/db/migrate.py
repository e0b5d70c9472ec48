"""Alembic driven from code, so ``accord db upgrade`` needs no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's filter: the job queue's tables belong to procrastinate, not to Accord's models."""
    return not (type_ == "table" and (name or "").startswith("procrastinate_"))


# Key of the PostgreSQL advisory lock held while migrating ("Accord" in ASCII).
LOCK_KEY = 0x4163636F7264


def upgrade(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply migrations up to ``revision``; returns the revisions (before, after).

    On PostgreSQL the whole upgrade holds an advisory lock, so processes started together (two web
    processes, an administrator's ``accord db upgrade``) migrate one after the other: the second finds
    the schema already at the revision and does nothing."""
    from accord.db.session import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            locked = connection.dialect.name == "postgresql"
            if locked:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
                connection.commit()
            try:
                before = _revision_of(connection)
                connection.commit()
                config = alembic_config(url)
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                connection.commit()
                after = _revision_of(connection)
                connection.commit()
            finally:
                if locked:
                    connection.rollback()
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                    connection.commit()
    finally:
        engine.dispose()
    return before, after


def _revision_of(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def history(url: str) -> list[tuple[str, str]]:
    """Every shipped revision, oldest first, with the first line of its description."""
    script = ScriptDirectory.from_config(alembic_config(url))
    return [
        (rev.revision, (rev.doc or "").splitlines()[0] if rev.doc else "")
        for rev in reversed(list(script.walk_revisions()))
    ]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(url: str) -> str | None:
    """The newest revision shipped with this version of Accord."""
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()
