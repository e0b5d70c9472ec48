"""news items, their images, agreement and institution links and daily visit hashes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 12:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "news_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind", sa.Enum("news", "notice", name="newskind", native_enum=False, length=32), nullable=False
        ),
        sa.Column(
            "status",
            sa.Enum("draft", "published", name="newsstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("title_zh", sa.String(length=300), nullable=True),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column("summary_zh", sa.String(length=600), nullable=True),
        sa.Column("summary_en", sa.String(length=600), nullable=True),
        sa.Column("body_zh", sa.Text(), nullable=True),
        sa.Column("body_en", sa.Text(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column("signing_event_id", sa.Integer(), nullable=True),
        sa.Column("read_count", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["publisher_id"], ["organisation.id"], name=op.f("fk_news_item_publisher_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["signing_event_id"],
            ["signing_event.id"],
            name=op.f("fk_news_item_signing_event_id_signing_event"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news_item")),
    )
    with op.batch_alter_table("news_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_news_item_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_news_item_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_news_item_published_at"), ["published_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_news_item_publisher_id"), ["publisher_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_news_item_signing_event_id"), ["signing_event_id"], unique=False)

    op.create_table(
        "news_agreement",
        sa.Column("news_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
            name=op.f("fk_news_agreement_agreement_id_agreement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["news_id"],
            ["news_item.id"],
            name=op.f("fk_news_agreement_news_id_news_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("news_id", "agreement_id", name=op.f("pk_news_agreement")),
    )
    with op.batch_alter_table("news_agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_news_agreement_agreement_id"), ["agreement_id"], unique=False)

    op.create_table(
        "news_institution",
        sa.Column("news_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_news_institution_institution_id_institution"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["news_id"],
            ["news_item.id"],
            name=op.f("fk_news_institution_news_id_news_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("news_id", "institution_id", name=op.f("pk_news_institution")),
    )
    with op.batch_alter_table("news_institution", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_news_institution_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "news_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("news_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["news_id"], ["news_item.id"], name=op.f("fk_news_image_news_id_news_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["user_account.id"], name=op.f("fk_news_image_uploaded_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news_image")),
    )
    with op.batch_alter_table("news_image", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_news_image_news_id"), ["news_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_news_image_sha256"), ["sha256"], unique=False)

    op.create_table(
        "news_visit",
        sa.Column("news_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("visitor", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["news_id"], ["news_item.id"], name=op.f("fk_news_visit_news_id_news_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("news_id", "day", "visitor", name=op.f("pk_news_visit")),
    )
    with op.batch_alter_table("news_visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_news_visit_day"), ["day"], unique=False)


def downgrade() -> None:
    op.drop_table("news_visit")
    op.drop_table("news_image")
    op.drop_table("news_institution")
    op.drop_table("news_agreement")
    op.drop_table("news_item")
