"""What the parties build and run together: institutions (with KPIs), joint projects, talent programmes.

Each of them may fulfil accepted commitments of an agreement (the ``*_commitment`` link tables), so a
scorecard can say which promises were kept and by what.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Integer, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.models.base import Base, Versioned, enum_column, utcnow

if TYPE_CHECKING:
    from accord.models.agreement import Agreement
    from accord.models.commitment import Commitment
    from accord.models.organisation import Organisation
    from accord.models.person import Person


def fulfils_table(name: str, owner: str) -> Table:
    """A many-to-many link from ``owner`` rows to the commitments they fulfil."""
    return Table(
        name,
        Base.metadata,
        Column(f"{owner}_id", Integer, ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column("commitment_id", Integer, ForeignKey("commitment.id", ondelete="CASCADE"), primary_key=True),
    )


institution_commitment = fulfils_table("institution_commitment", "institution")
project_commitment = fulfils_table("project_commitment", "project")
programme_commitment = fulfils_table("programme_commitment", "programme")


class InstitutionKind(enum.StrEnum):
    """What was co-built."""

    HOSPITAL = "hospital"
    INSTITUTE = "institute"
    BRANCH = "branch"
    KEY_LAB = "key_lab"
    RD_CENTRE = "rd_centre"
    INCUBATOR = "incubator"
    JOINT_COLLEGE = "joint_college"
    OTHER = "other"


class InstitutionStage(enum.StrEnum):
    """Lifecycle: proposed → approved → under construction → operating → evaluated → closed."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    UNDER_CONSTRUCTION = "under_construction"
    OPERATING = "operating"
    EVALUATED = "evaluated"
    CLOSED = "closed"


STAGE_ORDER = list(InstitutionStage)


class IndicatorUnit(enum.StrEnum):
    """The unit of a KPI; it also fixes the kind of number a value must be."""

    COUNT = "count"
    PEOPLE = "people"
    BEDS = "beds"
    VISITS = "visits"
    PROJECTS = "projects"
    PATENTS = "patents"
    FIRMS = "firms"
    CNY = "cny"
    CNY_10K = "cny_10k"
    PERCENT = "percent"


# Units counted in whole numbers; money may have decimals; percentages lie between 0 and 100.
WHOLE_UNITS = frozenset(
    {
        IndicatorUnit.COUNT,
        IndicatorUnit.PEOPLE,
        IndicatorUnit.BEDS,
        IndicatorUnit.VISITS,
        IndicatorUnit.PROJECTS,
        IndicatorUnit.PATENTS,
        IndicatorUnit.FIRMS,
    }
)


class Institution(Versioned, Base):
    """Something the parties build together: a hospital, an institute, a branch, a lab, an incubator."""

    __tablename__ = "institution"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str | None] = mapped_column(String(200), index=True)
    name_en: Mapped[str | None] = mapped_column(String(200), index=True)
    kind: Mapped[InstitutionKind] = mapped_column(enum_column(InstitutionKind), index=True)
    stage: Mapped[InstitutionStage] = mapped_column(enum_column(InstitutionStage), index=True)
    stage_since: Mapped[date | None]
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    summary_zh: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)

    agreement: Mapped[Agreement | None] = relationship()
    parties: Mapped[list[InstitutionParty]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", order_by="InstitutionParty.position"
    )
    stages: Mapped[list[InstitutionStageChange]] = relationship(
        back_populates="institution",
        cascade="all, delete-orphan",
        order_by="(InstitutionStageChange.changed_on, InstitutionStageChange.id)",
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="institution", cascade="all, delete-orphan", order_by="Indicator.id"
    )
    commitments: Mapped[list[Commitment]] = relationship(secondary=institution_commitment)


class InstitutionParty(Base):
    """An organisation co-building an institution, with its share in percent."""

    __tablename__ = "institution_party"
    __table_args__ = (UniqueConstraint("institution_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    position: Mapped[int]
    share: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))

    institution: Mapped[Institution] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship()


class InstitutionStageChange(Base):
    """One step of an institution's lifecycle: the stage it reached and on which date (append-only)."""

    __tablename__ = "institution_stage_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[InstitutionStage | None] = mapped_column(enum_column(InstitutionStage))
    stage: Mapped[InstitutionStage] = mapped_column(enum_column(InstitutionStage))
    changed_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    actor_label: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution] = relationship(back_populates="stages")


class Indicator(Base):
    """A KPI of an institution: what is measured, in which unit, and the target."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[IndicatorUnit] = mapped_column(enum_column(IndicatorUnit))
    target: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))

    institution: Mapped[Institution] = relationship(back_populates="indicators")
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="IndicatorValue.period"
    )


class IndicatorValue(Base):
    """The value of a KPI for one period (``2021``, ``2021-H1``, ``2021-Q3`` or ``2021-07``)."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    value: Mapped[Decimal] = mapped_column(Numeric(20, 4))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="values")


class Project(Versioned, Base):
    """A joint project: who runs it, who leads it, what it costs and what it produces."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_zh: Mapped[str | None] = mapped_column(String(300), index=True)
    title_en: Mapped[str | None] = mapped_column(String(300), index=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    budget: Mapped[Decimal | None] = mapped_column(Numeric(20, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    funding_zh: Mapped[str | None] = mapped_column(Text)
    funding_en: Mapped[str | None] = mapped_column(Text)
    start_on: Mapped[date | None] = mapped_column(index=True)
    end_on: Mapped[date | None]
    outputs_zh: Mapped[str | None] = mapped_column(Text)
    outputs_en: Mapped[str | None] = mapped_column(Text)

    agreement: Mapped[Agreement | None] = relationship()
    parties: Mapped[list[ProjectParty]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectParty.position"
    )
    leads: Mapped[list[ProjectLead]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectLead.position"
    )
    commitments: Mapped[list[Commitment]] = relationship(secondary=project_commitment)


class ProjectParty(Base):
    """An organisation taking part in a project."""

    __tablename__ = "project_party"
    __table_args__ = (UniqueConstraint("project_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    position: Mapped[int]

    project: Mapped[Project] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship()


class ProjectLead(Base):
    """A person leading a project."""

    __tablename__ = "project_lead"
    __table_args__ = (UniqueConstraint("project_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    position: Mapped[int]

    project: Mapped[Project] = relationship(back_populates="leads")
    person: Mapped[Person] = relationship()


class ProgrammeKind(enum.StrEnum):
    """Kinds of talent programme."""

    JOINT_CULTIVATION = "joint_cultivation"
    CADRE_TRAINING = "cadre_training"
    SECONDMENT = "secondment"
    INTERNSHIP = "internship"
    OTHER = "other"


class Programme(Versioned, Base):
    """A talent cultivation, cadre training, secondment or internship programme run in cohorts."""

    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_zh: Mapped[str | None] = mapped_column(String(300), index=True)
    title_en: Mapped[str | None] = mapped_column(String(300), index=True)
    kind: Mapped[ProgrammeKind] = mapped_column(enum_column(ProgrammeKind), index=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    outcomes_zh: Mapped[str | None] = mapped_column(Text)
    outcomes_en: Mapped[str | None] = mapped_column(Text)

    agreement: Mapped[Agreement | None] = relationship()
    parties: Mapped[list[ProgrammeParty]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="ProgrammeParty.position"
    )
    cohorts: Mapped[list[Cohort]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="(Cohort.start_on, Cohort.id)"
    )
    commitments: Mapped[list[Commitment]] = relationship(secondary=programme_commitment)


class ProgrammeParty(Base):
    """An organisation running or sending people to a programme."""

    __tablename__ = "programme_party"
    __table_args__ = (UniqueConstraint("programme_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    position: Mapped[int]

    programme: Mapped[Programme] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship()


class Cohort(Base):
    """One class or intake of a programme, with its dates and outcomes."""

    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    start_on: Mapped[date]
    end_on: Mapped[date | None]
    outcomes_zh: Mapped[str | None] = mapped_column(Text)
    outcomes_en: Mapped[str | None] = mapped_column(Text)

    programme: Mapped[Programme] = relationship(back_populates="cohorts")
    counts: Mapped[list[CohortCount]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", order_by="CohortCount.id"
    )

    @property
    def participants(self) -> int:
        """Everyone in the cohort, over all organisations."""
        return sum(count.participants for count in self.counts)


class CohortCount(Base):
    """How many participants an organisation sent to a cohort."""

    __tablename__ = "cohort_count"
    __table_args__ = (UniqueConstraint("cohort_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    participants: Mapped[int]

    cohort: Mapped[Cohort] = relationship(back_populates="counts")
    organisation: Mapped[Organisation] = relationship()
