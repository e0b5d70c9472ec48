"""notices about sent matches (the expert's invitation e-mail): notice.match_id, notice.task_id optional

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 15:11:13
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("match_id", sa.Integer(), nullable=True))
        batch_op.alter_column("task_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(batch_op.f("ix_notice_match_id"), ["match_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_notice_match_id_demand_match"),
            "demand_match",
            ["match_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_notice_match_id_demand_match"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_notice_match_id"))
        batch_op.alter_column("task_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("match_id")
