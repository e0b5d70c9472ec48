"""notice targets: messenger and webhook channels of organisations and people (notice_target, notice.target_id)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notice_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("address_encrypted", sa.Text(), nullable=False),
        sa.Column("secret_encrypted", sa.Text(), nullable=True),
        sa.Column("address_hint", sa.String(length=200), nullable=False),
        sa.Column("secret_hint", sa.String(length=20), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("test_error", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "(organisation_id IS NULL) <> (user_id IS NULL)", name=op.f("ck_notice_target_one_owner")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_notice_target_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_notice_target_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_target")),
    )
    op.create_index(
        op.f("ix_notice_target_organisation_id"), "notice_target", ["organisation_id"], unique=False
    )
    op.create_index(op.f("ix_notice_target_user_id"), "notice_target", ["user_id"], unique=False)
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("target_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_notice_target_id"), ["target_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_notice_target_id_notice_target"),
            "notice_target",
            ["target_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_notice_target_id_notice_target"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_notice_target_id"))
        batch_op.drop_column("target_id")
    op.drop_index(op.f("ix_notice_target_user_id"), table_name="notice_target")
    op.drop_index(op.f("ix_notice_target_organisation_id"), table_name="notice_target")
    op.drop_table("notice_target")
