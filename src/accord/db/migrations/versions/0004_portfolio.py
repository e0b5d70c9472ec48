"""institutions, projects, programmes, achievements and deals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 12:34:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "achievement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(length=300), nullable=True),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column(
            "ip_type",
            sa.Enum(
                "patent",
                "software_copyright",
                "know_how",
                "other",
                name="iptype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("ip_numbers", sa.String(length=300), nullable=True),
        sa.Column("maturity", sa.Integer(), nullable=False),
        sa.Column("field_zh", sa.String(length=100), nullable=True),
        sa.Column("field_en", sa.String(length=100), nullable=True),
        sa.Column("abstract_zh", sa.Text(), nullable=True),
        sa.Column("abstract_en", sa.Text(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "listed",
                "matched",
                "negotiating",
                "licensed",
                "transferred",
                "equity",
                "industrialised",
                "withdrawn",
                name="pipelinestage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("maturity BETWEEN 1 AND 9", name=op.f("ck_achievement_maturity_range")),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_achievement_agreement_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_achievement")),
    )
    with op.batch_alter_table("achievement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_achievement_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_achievement_field_en"), ["field_en"], unique=False)
        batch_op.create_index(batch_op.f("ix_achievement_field_zh"), ["field_zh"], unique=False)
        batch_op.create_index(batch_op.f("ix_achievement_ip_type"), ["ip_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_achievement_public"), ["public"], unique=False)
        batch_op.create_index(batch_op.f("ix_achievement_stage"), ["stage"], unique=False)
        batch_op.create_index(batch_op.f("ix_achievement_title_en"), ["title_en"], unique=False)
        batch_op.create_index(batch_op.f("ix_achievement_title_zh"), ["title_zh"], unique=False)

    op.create_table(
        "institution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "hospital",
                "institute",
                "branch",
                "key_lab",
                "rd_centre",
                "incubator",
                "joint_college",
                "other",
                name="institutionkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "stage",
            sa.Enum(
                "proposed",
                "approved",
                "under_construction",
                "operating",
                "evaluated",
                "closed",
                name="institutionstage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("stage_since", sa.Date(), nullable=True),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("summary_zh", sa.Text(), nullable=True),
        sa.Column("summary_en", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_institution_agreement_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution")),
    )
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institution_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_institution_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_institution_name_en"), ["name_en"], unique=False)
        batch_op.create_index(batch_op.f("ix_institution_name_zh"), ["name_zh"], unique=False)
        batch_op.create_index(batch_op.f("ix_institution_stage"), ["stage"], unique=False)

    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(length=300), nullable=True),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "joint_cultivation",
                "cadre_training",
                "secondment",
                "internship",
                "other",
                name="programmekind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("outcomes_zh", sa.Text(), nullable=True),
        sa.Column("outcomes_en", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_programme_agreement_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
    )
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_programme_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_programme_title_en"), ["title_en"], unique=False)
        batch_op.create_index(batch_op.f("ix_programme_title_zh"), ["title_zh"], unique=False)

    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(length=300), nullable=True),
        sa.Column("title_en", sa.String(length=300), nullable=True),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("budget", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("funding_zh", sa.Text(), nullable=True),
        sa.Column("funding_en", sa.Text(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("outputs_zh", sa.Text(), nullable=True),
        sa.Column("outputs_en", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_project_agreement_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_start_on"), ["start_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_title_en"), ["title_en"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_title_zh"), ["title_zh"], unique=False)

    op.create_table(
        "achievement_inventor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("achievement_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["achievement_id"],
            ["achievement.id"],
            name=op.f("fk_achievement_inventor_achievement_id_achievement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_achievement_inventor_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_achievement_inventor")),
        sa.UniqueConstraint(
            "achievement_id", "person_id", name=op.f("uq_achievement_inventor_achievement_id_person_id")
        ),
    )
    with op.batch_alter_table("achievement_inventor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_achievement_inventor_achievement_id"), ["achievement_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_achievement_inventor_person_id"), ["person_id"], unique=False)

    op.create_table(
        "achievement_owner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("achievement_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["achievement_id"],
            ["achievement.id"],
            name=op.f("fk_achievement_owner_achievement_id_achievement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_achievement_owner_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_achievement_owner")),
        sa.UniqueConstraint(
            "achievement_id",
            "organisation_id",
            name=op.f("uq_achievement_owner_achievement_id_organisation_id"),
        ),
    )
    with op.batch_alter_table("achievement_owner", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_achievement_owner_achievement_id"), ["achievement_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_achievement_owner_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "cohort",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("outcomes_zh", sa.Text(), nullable=True),
        sa.Column("outcomes_en", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_cohort_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort")),
    )
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "deal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("achievement_id", sa.Integer(), nullable=False),
        sa.Column(
            "deal_type",
            sa.Enum(
                "licence", "assignment", "equity", "service", name="dealtype", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("amount", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("note_zh", sa.Text(), nullable=True),
        sa.Column("note_en", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(amount IS NULL AND currency IS NULL) OR (amount IS NOT NULL AND currency IS NOT NULL)",
            name=op.f("ck_deal_amount_with_currency"),
        ),
        sa.ForeignKeyConstraint(
            ["achievement_id"], ["achievement.id"], name=op.f("fk_deal_achievement_id_achievement")
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_deal_agreement_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal")),
    )
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deal_achievement_id"), ["achievement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deal_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deal_deal_type"), ["deal_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_deal_signed_on"), ["signed_on"], unique=False)

    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column(
            "unit",
            sa.Enum(
                "count",
                "people",
                "beds",
                "visits",
                "projects",
                "patents",
                "firms",
                "cny",
                "cny_10k",
                "percent",
                name="indicatorunit",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("target", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_indicator_institution_id_institution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_institution_id"), ["institution_id"], unique=False)

    op.create_table(
        "institution_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("share", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_institution_party_institution_id_institution"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_institution_party_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution_party")),
        sa.UniqueConstraint(
            "institution_id",
            "organisation_id",
            name=op.f("uq_institution_party_institution_id_organisation_id"),
        ),
    )
    with op.batch_alter_table("institution_party", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_institution_party_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_institution_party_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "institution_stage_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_stage",
            sa.Enum(
                "proposed",
                "approved",
                "under_construction",
                "operating",
                "evaluated",
                "closed",
                name="institutionstage",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "stage",
            sa.Enum(
                "proposed",
                "approved",
                "under_construction",
                "operating",
                "evaluated",
                "closed",
                name="institutionstage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_institution_stage_change_institution_id_institution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution_stage_change")),
    )
    with op.batch_alter_table("institution_stage_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_institution_stage_change_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "pipeline_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("achievement_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_stage",
            sa.Enum(
                "listed",
                "matched",
                "negotiating",
                "licensed",
                "transferred",
                "equity",
                "industrialised",
                "withdrawn",
                name="pipelinestage",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_stage",
            sa.Enum(
                "listed",
                "matched",
                "negotiating",
                "licensed",
                "transferred",
                "equity",
                "industrialised",
                "withdrawn",
                name="pipelinestage",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["achievement_id"],
            ["achievement.id"],
            name=op.f("fk_pipeline_move_achievement_id_achievement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user_account.id"], name=op.f("fk_pipeline_move_actor_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipeline_move")),
    )
    with op.batch_alter_table("pipeline_move", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pipeline_move_achievement_id"), ["achievement_id"], unique=False)

    op.create_table(
        "programme_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_programme_party_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_party_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_party")),
        sa.UniqueConstraint(
            "programme_id", "organisation_id", name=op.f("uq_programme_party_programme_id_organisation_id")
        ),
    )
    with op.batch_alter_table("programme_party", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_party_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_programme_party_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "project_lead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_project_lead_person_id_person")),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_lead_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_lead")),
        sa.UniqueConstraint("project_id", "person_id", name=op.f("uq_project_lead_project_id_person_id")),
    )
    with op.batch_alter_table("project_lead", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_lead_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_lead_project_id"), ["project_id"], unique=False)

    op.create_table(
        "project_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_project_party_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_party_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_party")),
        sa.UniqueConstraint(
            "project_id", "organisation_id", name=op.f("uq_project_party_project_id_organisation_id")
        ),
    )
    with op.batch_alter_table("project_party", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_party_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_project_party_project_id"), ["project_id"], unique=False)

    op.create_table(
        "cohort_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohort.id"], name=op.f("fk_cohort_count_cohort_id_cohort"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_cohort_count_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_count")),
        sa.UniqueConstraint(
            "cohort_id", "organisation_id", name=op.f("uq_cohort_count_cohort_id_organisation_id")
        ),
    )
    with op.batch_alter_table("cohort_count", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_count_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cohort_count_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "deal_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deal_id"], ["deal.id"], name=op.f("fk_deal_party_deal_id_deal"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_deal_party_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_party")),
        sa.UniqueConstraint("deal_id", "organisation_id", name=op.f("uq_deal_party_deal_id_organisation_id")),
    )
    with op.batch_alter_table("deal_party", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deal_party_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deal_party_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "indicator_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=4), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_value_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_value")),
        sa.UniqueConstraint("indicator_id", "period", name=op.f("uq_indicator_value_indicator_id_period")),
    )
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_value_indicator_id"), ["indicator_id"], unique=False)

    op.create_table(
        "deal_commitment",
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_deal_commitment_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["deal_id"], ["deal.id"], name=op.f("fk_deal_commitment_deal_id_deal"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("deal_id", "commitment_id", name=op.f("pk_deal_commitment")),
    )
    op.create_table(
        "institution_commitment",
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_institution_commitment_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_institution_commitment_institution_id_institution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("institution_id", "commitment_id", name=op.f("pk_institution_commitment")),
    )
    op.create_table(
        "programme_commitment",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_programme_commitment_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_commitment_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("programme_id", "commitment_id", name=op.f("pk_programme_commitment")),
    )
    op.create_table(
        "project_commitment",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_project_commitment_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_commitment_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "commitment_id", name=op.f("pk_project_commitment")),
    )


def downgrade() -> None:
    op.drop_table("project_commitment")
    op.drop_table("programme_commitment")
    op.drop_table("institution_commitment")
    op.drop_table("deal_commitment")
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_value_indicator_id"))

    op.drop_table("indicator_value")
    with op.batch_alter_table("deal_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deal_party_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_deal_party_deal_id"))

    op.drop_table("deal_party")
    with op.batch_alter_table("cohort_count", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_count_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_cohort_count_cohort_id"))

    op.drop_table("cohort_count")
    with op.batch_alter_table("project_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_party_project_id"))
        batch_op.drop_index(batch_op.f("ix_project_party_organisation_id"))

    op.drop_table("project_party")
    with op.batch_alter_table("project_lead", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_lead_project_id"))
        batch_op.drop_index(batch_op.f("ix_project_lead_person_id"))

    op.drop_table("project_lead")
    with op.batch_alter_table("programme_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_party_programme_id"))
        batch_op.drop_index(batch_op.f("ix_programme_party_organisation_id"))

    op.drop_table("programme_party")
    with op.batch_alter_table("pipeline_move", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pipeline_move_achievement_id"))

    op.drop_table("pipeline_move")
    with op.batch_alter_table("institution_stage_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_stage_change_institution_id"))

    op.drop_table("institution_stage_change")
    with op.batch_alter_table("institution_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_party_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_institution_party_institution_id"))

    op.drop_table("institution_party")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_institution_id"))

    op.drop_table("indicator")
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deal_signed_on"))
        batch_op.drop_index(batch_op.f("ix_deal_deal_type"))
        batch_op.drop_index(batch_op.f("ix_deal_agreement_id"))
        batch_op.drop_index(batch_op.f("ix_deal_achievement_id"))

    op.drop_table("deal")
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_programme_id"))

    op.drop_table("cohort")
    with op.batch_alter_table("achievement_owner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_achievement_owner_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_achievement_owner_achievement_id"))

    op.drop_table("achievement_owner")
    with op.batch_alter_table("achievement_inventor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_achievement_inventor_person_id"))
        batch_op.drop_index(batch_op.f("ix_achievement_inventor_achievement_id"))

    op.drop_table("achievement_inventor")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_title_zh"))
        batch_op.drop_index(batch_op.f("ix_project_title_en"))
        batch_op.drop_index(batch_op.f("ix_project_start_on"))
        batch_op.drop_index(batch_op.f("ix_project_agreement_id"))

    op.drop_table("project")
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_title_zh"))
        batch_op.drop_index(batch_op.f("ix_programme_title_en"))
        batch_op.drop_index(batch_op.f("ix_programme_kind"))
        batch_op.drop_index(batch_op.f("ix_programme_agreement_id"))

    op.drop_table("programme")
    op.drop_table("institution")
    with op.batch_alter_table("achievement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_achievement_title_zh"))
        batch_op.drop_index(batch_op.f("ix_achievement_title_en"))
        batch_op.drop_index(batch_op.f("ix_achievement_stage"))
        batch_op.drop_index(batch_op.f("ix_achievement_public"))
        batch_op.drop_index(batch_op.f("ix_achievement_ip_type"))
        batch_op.drop_index(batch_op.f("ix_achievement_field_zh"))
        batch_op.drop_index(batch_op.f("ix_achievement_field_en"))
        batch_op.drop_index(batch_op.f("ix_achievement_agreement_id"))

    op.drop_table("achievement")
