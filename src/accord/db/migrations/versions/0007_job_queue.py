"""the PostgreSQL job queue (procrastinate's schema); nothing on SQLite

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 15:00:00

The schema comes from the pinned procrastinate package. When its pin moves to a release with a
schema change, add a revision that applies procrastinate's migration scripts for the releases in
between (they ship in ``procrastinate/sql/migrations``).
"""

from __future__ import annotations

from typing import Any

from alembic import op
from procrastinate.schema import SchemaManager

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _cursor() -> Any:
    # The raw DB-API cursor of the migration's own transaction: the schema has '%' and ':' that
    # SQLAlchemy would read as parameters.
    return op.get_bind().connection.dbapi_connection.cursor()  # type: ignore[union-attr]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _cursor().execute(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    cursor = _cursor()
    cursor.execute(
        "DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,"
        " procrastinate_workers CASCADE"
    )
    cursor.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'"
    )
    for (signature,) in cursor.fetchall():
        cursor.execute(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
    cursor.execute(
        "DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type,"
        " procrastinate_job_status CASCADE"
    )
