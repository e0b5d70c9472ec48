"""drop user_account.failed_logins and locked_until: sign-in failures are counted in throttle (0011)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nothing has written these since the throttle table (0011) took over counting failed sign-ins.
    # ALTER TABLE … DROP COLUMN directly, on SQLite too (3.35 and later): a batch copy of the table would
    # drop user_account, which the rows of other tables point at, and fail on their foreign keys.
    op.drop_column("user_account", "locked_until")
    op.drop_column("user_account", "failed_logins")


def downgrade() -> None:
    op.add_column(
        "user_account", sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("user_account", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
