"""Portfolio and transfer services: validation, pipeline rules, KPI checks, permissions, nothing half-saved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from accord.models import (
    Achievement,
    Deal,
    IndicatorUnit,
    Institution,
    InstitutionKind,
    InstitutionStage,
    IPType,
    PipelineMove,
    PipelineStage,
)
from accord.schemas.portfolio import (
    IndicatorIn,
    IndicatorValueIn,
    InstitutionIn,
    OrganisationRef,
    SharedPartyIn,
    StageChangeIn,
)
from accord.schemas.transfer import AchievementIn, DealIn, MoveIn
from accord.services import achievements, institutions
from accord.services.errors import NotFound, PermissionDenied, ValidationFailed
from accord.services.listing import ListQuery
from accord.services.permissions import SYSTEM
from tests.conftest import CQU, VIEWER, WANZHOU
from tests.factories import principal


def _fields(error: ValidationFailed) -> dict[str, str]:
    return {e.field: e.message for e in error.errors}


def _institution(cqu: int, **changes: object) -> InstitutionIn:
    data = InstitutionIn(
        name_zh="重庆大学万州研发中心",
        kind=InstitutionKind.RD_CENTRE,
        parties=[SharedPartyIn(organisation_id=cqu, share=Decimal(60))],
    )
    return data.model_copy(update=changes)


def test_shares_over_100_are_refused_and_nothing_is_saved(
    factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        before = session.scalar(select(func.count()).select_from(Institution))
        wanzhou = session.scalar(select(Institution.id).limit(0))  # placeholder to keep the session warm
        assert wanzhou is None
        data = _institution(
            world["cqu"],
            parties=[
                SharedPartyIn(organisation_id=world["cqu"], share=Decimal(60)),
                SharedPartyIn(organisation_id=2, share=Decimal("40.5")),
            ],
        )
        with pytest.raises(ValidationFailed) as failed:
            institutions.create_institution(session, SYSTEM, data)
        assert "100%" in _fields(failed.value)["parties"]
        session.rollback()
        assert session.scalar(select(func.count()).select_from(Institution)) == before


def test_stage_history_is_dated_and_going_back_needs_a_note(
    factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        institution = institutions.create_institution(
            session, SYSTEM, _institution(world["cqu"], stage_since=date(2021, 1, 1))
        )
        institutions.change_stage(
            session,
            SYSTEM,
            institution.id,
            StageChangeIn(stage=InstitutionStage.UNDER_CONSTRUCTION, changed_on=date(2021, 5, 1)),
            None,
        )
        with pytest.raises(ValidationFailed) as back:
            institutions.change_stage(
                session,
                SYSTEM,
                institution.id,
                StageChangeIn(stage=InstitutionStage.APPROVED, changed_on=date(2021, 6, 1)),
                None,
            )
        assert "note" in _fields(back.value)
        with pytest.raises(ValidationFailed) as early:
            institutions.change_stage(
                session,
                SYSTEM,
                institution.id,
                StageChangeIn(stage=InstitutionStage.OPERATING, changed_on=date(2021, 4, 1)),
                None,
            )
        assert "changed_on" in _fields(early.value)
        institutions.change_stage(
            session,
            SYSTEM,
            institution.id,
            StageChangeIn(
                stage=InstitutionStage.APPROVED, changed_on=date(2021, 6, 1), note="permit withdrawn"
            ),
            None,
        )
        session.commit()
        assert [(s.stage, s.changed_on) for s in institution.stages] == [
            (InstitutionStage.PROPOSED, date(2021, 1, 1)),
            (InstitutionStage.UNDER_CONSTRUCTION, date(2021, 5, 1)),
            (InstitutionStage.APPROVED, date(2021, 6, 1)),
        ]
        assert institution.stage_since == date(2021, 6, 1)


def test_kpi_values_are_checked_against_unit_and_kind(
    factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        institution = institutions.create_institution(session, SYSTEM, _institution(world["cqu"]))
        beds = institutions.add_indicator(
            session,
            SYSTEM,
            institution.id,
            IndicatorIn(name_en="Beds", unit=IndicatorUnit.BEDS, target=Decimal(100)),
        )
        share = institutions.add_indicator(
            session, SYSTEM, institution.id, IndicatorIn(name_en="Occupancy", unit=IndicatorUnit.PERCENT)
        )
        for indicator_id, data, field in [
            (beds.id, IndicatorValueIn(period="2021", value=Decimal("10.5")), "value"),
            (beds.id, IndicatorValueIn(period="2021", value=Decimal(10), unit=IndicatorUnit.PEOPLE), "unit"),
            (beds.id, IndicatorValueIn(period="21", value=Decimal(10)), "period"),
            (share.id, IndicatorValueIn(period="2021-Q1", value=Decimal(130)), "value"),
        ]:
            with pytest.raises(ValidationFailed) as failed:
                institutions.record_value(session, SYSTEM, indicator_id, data)
            assert field in _fields(failed.value)
        institutions.record_value(
            session, SYSTEM, beds.id, IndicatorValueIn(period="2021", value=Decimal(80))
        )
        # The same period again corrects the value rather than adding a second one.
        institutions.record_value(
            session, SYSTEM, beds.id, IndicatorValueIn(period="2021", value=Decimal(85))
        )
        session.commit()
        assert [(v.period, v.value) for v in beds.values] == [("2021", Decimal(85))]
        latest, ratio = institutions.progress(beds)
        assert latest is not None and ratio == pytest.approx(0.85)


def _achievement(session: Session, owner: int) -> Achievement:
    return achievements.create_achievement(
        session,
        SYSTEM,
        AchievementIn(
            title_en="Landslide monitoring sensor",
            ip_type=IPType.PATENT,
            maturity=5,
            owners=[OrganisationRef(organisation_id=owner)],
        ),
    )


def test_pipeline_moves_are_validated_and_kept(factory: sessionmaker[Session], world: dict[str, int]) -> None:
    with factory() as session:
        achievement = _achievement(session, world["cqu"])
        with pytest.raises(ValidationFailed) as skip:
            achievements.move(
                session, SYSTEM, achievement.id, MoveIn(to_stage=PipelineStage.NEGOTIATING), None
            )
        assert "Matched" in _fields(skip.value)["to_stage"]
        with pytest.raises(ValidationFailed):
            achievements.move(
                session, SYSTEM, achievement.id, MoveIn(to_stage=PipelineStage.INDUSTRIALISED), None
            )
        for stage in (PipelineStage.MATCHED, PipelineStage.NEGOTIATING, PipelineStage.EQUITY):
            achievements.move(session, SYSTEM, achievement.id, MoveIn(to_stage=stage), None)
        with pytest.raises(ValidationFailed) as back:
            achievements.move(
                session, SYSTEM, achievement.id, MoveIn(to_stage=PipelineStage.NEGOTIATING), None
            )
        assert "reason" in _fields(back.value)
        achievements.move(
            session,
            SYSTEM,
            achievement.id,
            MoveIn(to_stage=PipelineStage.NEGOTIATING, reason="term sheet fell through"),
            None,
        )
        achievements.move(session, SYSTEM, achievement.id, MoveIn(to_stage=PipelineStage.WITHDRAWN), None)
        with pytest.raises(ValidationFailed):
            achievements.move(session, SYSTEM, achievement.id, MoveIn(to_stage=PipelineStage.LISTED), None)
        session.commit()
        moves = session.scalars(
            select(PipelineMove)
            .where(PipelineMove.achievement_id == achievement.id)
            .order_by(PipelineMove.id)
        ).all()
        assert [m.to_stage for m in moves] == [
            PipelineStage.LISTED,
            PipelineStage.MATCHED,
            PipelineStage.NEGOTIATING,
            PipelineStage.EQUITY,
            PipelineStage.NEGOTIATING,
            PipelineStage.WITHDRAWN,
        ]
        assert moves[4].reason == "term sheet fell through" and moves[4].actor_label == "system"


def test_a_deal_amount_needs_its_currency(factory: sessionmaker[Session], world: dict[str, int]) -> None:
    with factory() as session:
        achievement = _achievement(session, world["cqu"])
        session.commit()
        for amount, currency, field in [
            (Decimal(1000), None, "currency"),
            (None, "CNY", "amount"),
            (Decimal(5), "RMBY", "currency"),
        ]:
            with pytest.raises(ValidationFailed) as failed:
                achievements.create_deal(
                    session,
                    SYSTEM,
                    DealIn(
                        achievement_id=achievement.id, deal_type="licence", amount=amount, currency=currency
                    ),  # type: ignore[arg-type]
                )
            assert field in _fields(failed.value)
            session.rollback()
        assert session.scalar(select(func.count()).select_from(Deal)) == 1  # the demo's deal only
        deal = achievements.create_deal(
            session,
            SYSTEM,
            DealIn(achievement_id=achievement.id, deal_type="licence", amount=Decimal(1000), currency="cny"),  # type: ignore[arg-type]
        )
        assert deal.currency == "CNY"


def test_parties_read_coordinators_manage_others_see_nothing(
    factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    cqu = world["cqu"]
    with factory() as session:
        viewer, coordinator, stranger = (principal(session, email) for email in (VIEWER, CQU, WANZHOU))
        institution = institutions.create_institution(session, coordinator, _institution(cqu))
        session.commit()
        assert institutions.get_institution(session, viewer, institution.id).id == institution.id
        with pytest.raises(PermissionDenied):
            institutions.change_stage(
                session,
                viewer,
                institution.id,
                StageChangeIn(stage=InstitutionStage.APPROVED, changed_on=date(2021, 1, 1)),
                None,
            )
        with pytest.raises(NotFound):
            institutions.get_institution(session, stranger, institution.id)
        assert institution.id not in {
            i.id for i in institutions.list_institutions(session, stranger, ListQuery()).items
        }
        with pytest.raises(PermissionDenied):
            institutions.create_institution(session, stranger, _institution(cqu))


def test_the_catalogue_lists_only_public_achievements(
    factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        private = _achievement(session, world["cqu"])
        session.commit()
        public = achievements.list_public(session, ListQuery())
        assert public.total == 2 and private.id not in {a.id for a in public.items}
        with pytest.raises(NotFound):
            achievements.get_public(session, private.id)
        assert achievements.list_public(session, ListQuery(q="drawdown")).total == 1
        assert achievements.list_public(session, ListQuery(filters={"ip_type": IPType.PATENT})).total == 1
