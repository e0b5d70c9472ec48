"""Alembic environment: migrations run against the URL given by accord.db.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from accord.db.migrate import include_name
from accord.db.session import make_engine
from accord.models import Base

target_metadata = Base.metadata


def run_migrations() -> None:
    """Run migrations online; SQLite uses batch mode so ALTERs work."""
    given = context.config.attributes.get("connection")
    if isinstance(given, Connection):
        # accord.db.migrate.upgrade passes the connection that holds the migration lock.
        _run(given)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = make_engine(url)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
