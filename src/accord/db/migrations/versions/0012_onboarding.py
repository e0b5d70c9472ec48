"""onboarding: import batches and their items, other names of organisations (organisation_alias)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 04:46:35
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_alias_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_alias")),
        sa.UniqueConstraint(
            "organisation_id", "name", name=op.f("uq_organisation_alias_organisation_id_name")
        ),
    )
    with op.batch_alter_table("organisation_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_alias_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_organisation_alias_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "analysing",
                "review",
                "confirming",
                "done",
                "cancelled",
                name="batchstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("ledger_filename", sa.String(length=255), nullable=True),
        sa.Column("ledger_sha256", sa.String(length=64), nullable=True),
        sa.Column("ledger_header_row", sa.Integer(), nullable=True),
        sa.Column("ledger_headings", sa.JSON(), nullable=False),
        sa.Column("ledger_mapping", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["job.id"], name=op.f("fk_import_batch_job_id_job"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_import_batch_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_import_batch_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_batch_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_import_batch_user_id"), ["user_id"], unique=False)

    op.create_table(
        "import_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "read",
                "failed",
                "created",
                "skipped",
                name="itemstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("error_args", sa.JSON(), nullable=False),
        sa.Column("proposal", sa.JSON(), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=True),
        sa.Column("signature", sa.JSON(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("linked_item_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
            name=op.f("fk_import_item_agreement_id_agreement"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_import_item_batch_id_import_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["linked_item_id"],
            ["import_item.id"],
            name=op.f("fk_import_item_linked_item_id_import_item"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_item")),
        sa.UniqueConstraint("batch_id", "position", name=op.f("uq_import_item_batch_id_position")),
    )
    with op.batch_alter_table("import_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_item_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_item_sha256"), ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_item_sha256"))
        batch_op.drop_index(batch_op.f("ix_import_item_batch_id"))

    op.drop_table("import_item")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batch_user_id"))
        batch_op.drop_index(batch_op.f("ix_import_batch_organisation_id"))

    op.drop_table("import_batch")
    with op.batch_alter_table("organisation_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_alias_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_organisation_alias_name"))

    op.drop_table("organisation_alias")
