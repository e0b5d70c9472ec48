"""works, authorships, demands and matches

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 13:02:27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "work",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind", sa.Enum("paper", "patent", name="workkind", native_enum=False, length=32), nullable=False
        ),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=True),
        sa.Column("keywords", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("venue", sa.String(length=300), nullable=True),
        sa.Column("doi", sa.String(length=200), nullable=True),
        sa.Column("patent_number", sa.String(length=100), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work")),
    )
    with op.batch_alter_table("work", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_doi"), ["doi"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_patent_number"), ["patent_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_title"), ["title"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_year"), ["year"], unique=False)

    op.create_table(
        "authorship",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "matched",
                "pending",
                "confirmed",
                "unmatched",
                name="authorstate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("candidates", sa.JSON(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_authorship_person_id_person")),
        sa.ForeignKeyConstraint(
            ["work_id"], ["work.id"], name=op.f("fk_authorship_work_id_work"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authorship")),
    )
    with op.batch_alter_table("authorship", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_authorship_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_authorship_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_authorship_work_id"), ["work_id"], unique=False)

    op.create_table(
        "demand",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=True),
        sa.Column("budget", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column(
            "status",
            sa.Enum("open", "closed", name="demandstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("contact_name", sa.String(length=100), nullable=True),
        sa.Column("contact_organisation", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=200), nullable=True),
        sa.Column("contact_phone", sa.String(length=50), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_demand_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["user_account.id"], name=op.f("fk_demand_submitted_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand")),
    )
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demand_field"), ["field"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_submitted_by_id"), ["submitted_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_title"), ["title"], unique=False)

    op.create_table(
        "demand_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column(
            "target",
            sa.Enum("expert", "achievement", "lab", name="matchtarget", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("achievement_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("explanation", sa.JSON(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("sent", "accepted", "declined", name="matchstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("sent_by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("response_note", sa.Text(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["achievement_id"], ["achievement.id"], name=op.f("fk_demand_match_achievement_id_achievement")
        ),
        sa.ForeignKeyConstraint(["demand_id"], ["demand.id"], name=op.f("fk_demand_match_demand_id_demand")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_demand_match_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_demand_match_person_id_person")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_demand_match_project_id_project")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_match")),
    )
    with op.batch_alter_table("demand_match", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demand_match_achievement_id"), ["achievement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_match_demand_id"), ["demand_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_demand_match_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_demand_match_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_match_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_match_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_demand_match_target"), ["target"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("demand_match", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_match_target"))
        batch_op.drop_index(batch_op.f("ix_demand_match_status"))
        batch_op.drop_index(batch_op.f("ix_demand_match_project_id"))
        batch_op.drop_index(batch_op.f("ix_demand_match_person_id"))
        batch_op.drop_index(batch_op.f("ix_demand_match_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_demand_match_demand_id"))
        batch_op.drop_index(batch_op.f("ix_demand_match_achievement_id"))

    op.drop_table("demand_match")
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demand_title"))
        batch_op.drop_index(batch_op.f("ix_demand_submitted_by_id"))
        batch_op.drop_index(batch_op.f("ix_demand_status"))
        batch_op.drop_index(batch_op.f("ix_demand_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_demand_field"))

    op.drop_table("demand")
    with op.batch_alter_table("authorship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_authorship_work_id"))
        batch_op.drop_index(batch_op.f("ix_authorship_state"))
        batch_op.drop_index(batch_op.f("ix_authorship_person_id"))

    op.drop_table("authorship")
    with op.batch_alter_table("work", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_year"))
        batch_op.drop_index(batch_op.f("ix_work_title"))
        batch_op.drop_index(batch_op.f("ix_work_patent_number"))
        batch_op.drop_index(batch_op.f("ix_work_kind"))
        batch_op.drop_index(batch_op.f("ix_work_doi"))

    op.drop_table("work")
