"""fulfilment override: a coordinator's fulfilment of a commitment and the reason for it

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fulfilment_override", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("fulfilment_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.drop_column("fulfilment_reason")
        batch_op.drop_column("fulfilment_override")
