"""Co-built institutions: parties and shares, dated lifecycle stages, KPIs and their periodic values."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from accord import clock
from accord.i18n import gettext as _
from accord.models import (
    Commitment,
    Indicator,
    IndicatorValue,
    Institution,
    InstitutionParty,
    InstitutionStage,
    InstitutionStageChange,
)
from accord.models.base import utcnow
from accord.models.portfolio import STAGE_ORDER, WHOLE_UNITS, IndicatorUnit
from accord.schemas.portfolio import IndicatorIn, IndicatorValueIn, InstitutionIn, StageChangeIn
from accord.services import audit, portfolio, records
from accord.services.errors import FieldError, ValidationFailed
from accord.services.listing import ListQuery, Page, paginate, searched, sort_clause
from accord.services.permissions import (
    Principal,
    parties_visibility,
    require,
    require_signed_in,
)
from accord.services.portfolio import (
    check_agreement,
    check_organisations,
    commitment_ids,
    fulfilled_commitments,
    get_shared,
    require_managed_party,
)
from accord.services.validation import require_one_language

SORTS = {
    "name_zh": Institution.name_zh,
    "name_en": Institution.name_en,
    "kind": Institution.kind,
    "stage": Institution.stage,
    "stage_since": Institution.stage_since,
    "created": Institution.created_at,
}
SEARCHED = (Institution.name_zh, Institution.name_en, Institution.summary_zh, Institution.summary_en)
#: Who may change one: coordinators of a party, and admins.
can_manage = portfolio.can_manage
PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$")


def _visible(principal: Principal) -> Any:
    return parties_visibility(
        principal, InstitutionParty.organisation_id, InstitutionParty.institution_id == Institution.id
    )


def list_institutions(session: Session, principal: Principal, query: ListQuery) -> Page[Institution]:
    """Institutions with a party the principal may read, matching the query."""
    require_signed_in(principal)
    stmt = (
        select(Institution)
        .options(selectinload(Institution.parties).joinedload(InstitutionParty.organisation))
        .where(_visible(principal))
    )
    stmt = searched(stmt, query, Institution.archived_at, SEARCHED)
    if kind := query.filters.get("kind"):
        stmt = stmt.where(Institution.kind == kind)
    if stage := query.filters.get("stage"):
        stmt = stmt.where(Institution.stage == stage)
    if agreement_id := query.filters.get("agreement_id"):
        stmt = stmt.where(Institution.agreement_id == agreement_id)
    if organisation_id := query.filters.get("organisation_id"):
        stmt = stmt.where(
            exists().where(
                InstitutionParty.institution_id == Institution.id,
                InstitutionParty.organisation_id == organisation_id,
            )
        )
    stmt = stmt.order_by(*sort_clause(query.sort, SORTS, "name_zh"), Institution.id)
    return paginate(session, stmt, query)


def get_institution(session: Session, principal: Principal, institution_id: int) -> Institution:
    """One institution the principal may read (others look absent)."""
    return get_shared(
        session,
        principal,
        Institution,
        institution_id,
        options=[
            selectinload(Institution.agreement),
            selectinload(Institution.parties).joinedload(InstitutionParty.organisation),
            selectinload(Institution.stages),
            selectinload(Institution.indicators).selectinload(Indicator.values),
            selectinload(Institution.commitments).joinedload(Commitment.agreement),
        ],
    )


def _validate(session: Session, principal: Principal, data: InstitutionIn) -> list[Any]:
    require_one_language(data, "name")
    errors: list[FieldError] = []
    check_organisations(session, [p.organisation_id for p in data.parties], "parties", errors)
    total = sum((p.share for p in data.parties if p.share is not None), Decimal(0))
    if total > 100:
        errors.append(
            FieldError(
                "parties",
                _("The shares add up to {total}%; together they may not exceed 100%.", total=total),
            )
        )
    check_agreement(session, principal, data.agreement_id, errors)
    if data.stage_since and data.stage_since > clock.today():
        errors.append(FieldError("stage_since", _("This date is in the future.")))
    commitments = fulfilled_commitments(session, principal, data.fulfils, errors)
    records.raise_if(errors)
    return commitments


def _set_parties(session: Session, institution: Institution, data: InstitutionIn) -> None:
    institution.parties.clear()
    session.flush()
    for position, party in enumerate(data.parties):
        institution.parties.append(
            InstitutionParty(organisation_id=party.organisation_id, share=party.share, position=position)
        )


def _snapshot(institution: Institution) -> dict[str, object]:
    state = audit.snapshot(institution)
    state["parties"] = [
        [p.organisation_id, str(p.share) if p.share is not None else None] for p in institution.parties
    ]
    state["fulfils"] = commitment_ids(institution.commitments)
    return state


def _fields(data: InstitutionIn) -> dict[str, Any]:
    return data.model_dump(exclude={"parties", "fulfils", "stage", "stage_since"})


def create_institution(session: Session, principal: Principal, data: InstitutionIn) -> Institution:
    """Register an institution with its parties, starting stage (dated) and fulfilled commitments."""
    require_managed_party(principal, (p.organisation_id for p in data.parties))
    commitments = _validate(session, principal, data)
    institution = Institution(**_fields(data), stage=data.stage, stage_since=data.stage_since)
    institution.commitments = commitments
    session.add(institution)
    _set_parties(session, institution, data)
    institution.stages.append(
        InstitutionStageChange(
            from_stage=None,
            stage=data.stage,
            changed_on=data.stage_since or clock.today(),
            actor_label=principal.label,
        )
    )
    session.flush()
    audit.record(session, principal, "create", institution, after=_snapshot(institution))
    return institution


def update_institution(
    session: Session, principal: Principal, institution_id: int, data: InstitutionIn, version: int | None
) -> Institution:
    """Change an institution's fields, parties and fulfilled commitments (its stage moves separately)."""
    institution = get_institution(session, principal, institution_id)
    require(can_manage(principal, institution))
    records.check_version(institution, version)
    require_managed_party(principal, (p.organisation_id for p in data.parties))
    commitments = _validate(session, principal, data)
    if data.stage != institution.stage:
        raise ValidationFailed(
            _("Please correct the highlighted fields."),
            [FieldError("stage", _("Change the stage with the stage form, which keeps its dated history."))],
        )
    before = _snapshot(institution)
    records.apply(institution, _fields(data))
    institution.commitments = commitments
    if [(p.organisation_id, p.share) for p in institution.parties] != [
        (p.organisation_id, p.share) for p in data.parties
    ]:
        _set_parties(session, institution, data)
        session.flush()
    return records.saved_edit(session, principal, institution, before, _snapshot)


def archive_institution(
    session: Session, principal: Principal, institution_id: int, version: int | None, *, restore: bool = False
) -> Institution:
    """Archive (or restore) an institution."""
    institution = get_institution(session, principal, institution_id)
    require(can_manage(principal, institution))
    return records.set_archived(session, principal, institution, version, restore=restore)


def change_stage(
    session: Session, principal: Principal, institution_id: int, data: StageChangeIn, version: int | None
) -> Institution:
    """Move an institution to another lifecycle stage on a date, keeping every step as history.

    Moving forward may pass over stages (an institution may open already approved); moving back needs
    a note; the date may not precede the previous step or lie in the future.
    """
    institution = get_institution(session, principal, institution_id)
    require(can_manage(principal, institution))
    records.check_version(institution, version)
    errors: list[FieldError] = []
    if data.stage == institution.stage:
        errors.append(FieldError("stage", _("The institution is already at this stage.")))
    elif STAGE_ORDER.index(data.stage) < STAGE_ORDER.index(institution.stage) and not data.note:
        errors.append(FieldError("note", _("Going back to an earlier stage needs a note saying why.")))
    last = institution.stages[-1].changed_on if institution.stages else None
    if last is not None and data.changed_on < last:
        errors.append(
            FieldError(
                "changed_on", _("The previous stage began on {date}; pick that day or later.", date=last)
            )
        )
    if data.changed_on > clock.today():
        errors.append(FieldError("changed_on", _("This date is in the future.")))
    records.raise_if(errors)
    before = _snapshot(institution)
    institution.stages.append(
        InstitutionStageChange(
            from_stage=institution.stage,
            stage=data.stage,
            changed_on=data.changed_on,
            note=data.note,
            actor_label=principal.label,
        )
    )
    institution.stage = data.stage
    institution.stage_since = data.changed_on
    session.flush()
    audit.record(session, principal, "stage", institution, before, after=_snapshot(institution))
    return institution


def add_indicator(
    session: Session, principal: Principal, institution_id: int, data: IndicatorIn
) -> Indicator:
    """Add a KPI to an institution."""
    institution = get_institution(session, principal, institution_id)
    require(can_manage(principal, institution))
    require_one_language(data, "name")
    errors: list[FieldError] = []
    _check_measure(data.unit, data.target, "target", errors)
    records.raise_if(errors)
    indicator = Indicator(**data.model_dump())
    institution.indicators.append(indicator)
    session.flush()
    audit.record(session, principal, "create", indicator)
    return indicator


def _check_measure(unit: IndicatorUnit, value: Decimal | None, field: str, errors: list[FieldError]) -> None:
    if value is None:
        return
    if unit in WHOLE_UNITS and value != value.to_integral_value():
        errors.append(
            FieldError(field, _("This indicator counts whole numbers; write a number without decimals."))
        )
    if value < 0:
        errors.append(FieldError(field, _("Must be greater than {n}.", n=0)))
    if unit == IndicatorUnit.PERCENT and value > 100:
        errors.append(FieldError(field, _("A percentage lies between 0 and 100.")))


def get_indicator(session: Session, principal: Principal, indicator_id: int) -> Indicator:
    """A KPI of an institution the principal may read."""
    indicator = records.get_or_404(session, Indicator, indicator_id)
    get_institution(session, principal, indicator.institution_id)
    return indicator


def record_value(
    session: Session, principal: Principal, indicator_id: int, data: IndicatorValueIn
) -> IndicatorValue:
    """Record (or correct) the value of a KPI for a period, checking its unit and kind of number."""
    indicator = get_indicator(session, principal, indicator_id)
    require(can_manage(principal, indicator.institution))
    errors: list[FieldError] = []
    period = data.period.strip().upper()
    if not PERIOD.match(period):
        errors.append(FieldError("period", _("Write the period as 2021, 2021-H1, 2021-Q3 or 2021-07.")))
    if data.unit is not None and data.unit != indicator.unit:
        errors.append(
            FieldError("unit", _("This indicator is measured in another unit; convert the value first."))
        )
    _check_measure(indicator.unit, data.value, "value", errors)
    records.raise_if(errors)
    existing = session.scalar(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator.id, IndicatorValue.period == period
        )
    )
    before = audit.snapshot(existing) if existing else None
    if existing is None:
        existing = IndicatorValue(period=period, value=data.value)
        indicator.values.append(existing)
    else:
        existing.value = data.value
        existing.recorded_at = utcnow()
    session.flush()
    audit.record(session, principal, "update" if before else "create", existing, before)
    return existing


def progress(indicator: Indicator) -> tuple[IndicatorValue | None, float | None]:
    """The latest value and its share of the target (None when either is missing)."""
    latest = indicator.values[-1] if indicator.values else None
    if latest is None or not indicator.target:
        return latest, None
    return latest, float(latest.value / indicator.target)


def stage_counts(session: Session, principal: Principal) -> dict[InstitutionStage, int]:
    """How many readable, unarchived institutions are at each stage."""
    counts = dict.fromkeys(InstitutionStage, 0)
    stmt = select(Institution.stage).where(Institution.archived_at.is_(None), _visible(principal))
    for stage in session.scalars(stmt):
        counts[stage] += 1
    return counts
