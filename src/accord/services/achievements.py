"""Technology transfer: achievements, their pipeline (with every move kept), deals, and the public catalogue.

Pipeline rules:
- forward moves go one step at a time: listed → matched → negotiating → licensed | transferred | equity →
  industrialised; skipping a step is refused, naming the step that is missing;
- moving back (or across between licensed, transferred and equity) needs a reason;
- an achievement can be withdrawn from any stage; bringing it back from withdrawn needs a reason;
- every move is kept with who, when and why.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, selectinload

from accord.i18n import gettext as _
from accord.labels import PIPELINE_STAGE_LABELS
from accord.models import (
    Achievement,
    AchievementInventor,
    AchievementOwner,
    Deal,
    DealParty,
    PipelineMove,
    PipelineStage,
)
from accord.models.transfer import PIPELINE_STEP
from accord.schemas.transfer import AchievementIn, DealIn, MoveIn
from accord.services import audit, records
from accord.services.errors import FieldError, NotFound, ValidationFailed
from accord.services.listing import ListQuery, Page, paginate, searched, sort_clause, text_filter
from accord.services.permissions import (
    AchievementAccess,
    Principal,
    achievement_access,
    can_manage_portfolio,
    can_read_portfolio,
    catalogue_condition,
    in_catalogue,
    parties_visibility,
    require,
    require_signed_in,
)
from accord.services.portfolio import (
    check_agreement,
    check_money,
    check_organisations,
    check_people,
    commitment_ids,
    fulfilled_commitments,
    require_managed_party,
)
from accord.services.validation import require_one_language

SORTS = {
    "title_zh": Achievement.title_zh,
    "title_en": Achievement.title_en,
    "maturity": Achievement.maturity,
    "stage": Achievement.stage,
    "created": Achievement.created_at,
}
DEAL_SORTS = {"signed_on": Deal.signed_on, "amount": Deal.amount, "created": Deal.created_at}
SEARCHED = (
    Achievement.title_zh,
    Achievement.title_en,
    Achievement.field_zh,
    Achievement.field_en,
    Achievement.abstract_zh,
    Achievement.abstract_en,
    Achievement.ip_numbers,
)
BOARD_STAGES = list(PipelineStage)
# The step before each forward step, to name it when a move skips it.
_STEP_STAGE = {0: PipelineStage.LISTED, 1: PipelineStage.MATCHED, 2: PipelineStage.NEGOTIATING}


def owner_ids(achievement: Achievement) -> list[int]:
    """The organisations owning ``achievement``."""
    return [o.organisation_id for o in achievement.owners]


def can_manage(principal: Principal, achievement: Achievement) -> bool:
    """Coordinators of an owner, and admins."""
    return can_manage_portfolio(principal, owner_ids(achievement))


def _visible(principal: Principal) -> Any:
    return parties_visibility(
        principal, AchievementOwner.organisation_id, AchievementOwner.achievement_id == Achievement.id
    )


def _filtered(stmt: Any, query: ListQuery) -> Any:
    condition = text_filter(query.q, SEARCHED)
    if condition is not None:
        stmt = stmt.where(condition)
    if stage := query.filters.get("stage"):
        stmt = stmt.where(Achievement.stage == stage)
    if ip_type := query.filters.get("ip_type"):
        stmt = stmt.where(Achievement.ip_type == ip_type)
    if maturity := query.filters.get("maturity"):
        stmt = stmt.where(Achievement.maturity >= maturity)
    if field := query.filters.get("field"):
        stmt = stmt.where(or_(Achievement.field_zh == field, Achievement.field_en == field))
    if organisation_id := query.filters.get("organisation_id"):
        stmt = stmt.where(
            exists().where(
                AchievementOwner.achievement_id == Achievement.id,
                AchievementOwner.organisation_id == organisation_id,
            )
        )
    return stmt


def list_achievements(session: Session, principal: Principal, query: ListQuery) -> Page[Achievement]:
    """Achievements owned by an organisation the principal may read, matching the query."""
    require_signed_in(principal)
    stmt = (
        select(Achievement)
        .options(selectinload(Achievement.owners).joinedload(AchievementOwner.organisation))
        .where(_visible(principal))
    )
    if not query.include_archived:
        stmt = stmt.where(Achievement.archived_at.is_(None))
    if (public := query.filters.get("public")) is not None:
        stmt = stmt.where(Achievement.public.is_(public == "1"))
    stmt = _filtered(stmt, query)
    stmt = stmt.order_by(*sort_clause(query.sort, SORTS, "-created"), Achievement.id.desc())
    return paginate(session, stmt, query)


def board(session: Session, principal: Principal, query: ListQuery) -> dict[PipelineStage, list[Achievement]]:
    """Readable, unarchived achievements grouped by pipeline stage (every stage present)."""
    require_signed_in(principal)
    columns: dict[PipelineStage, list[Achievement]] = {stage: [] for stage in BOARD_STAGES}
    stmt = (
        select(Achievement)
        .options(selectinload(Achievement.owners).joinedload(AchievementOwner.organisation))
        .where(_visible(principal), Achievement.archived_at.is_(None))
    )
    stmt = _filtered(stmt, query).order_by(Achievement.updated_at.desc(), Achievement.id.desc())
    for achievement in session.scalars(stmt).unique():
        columns[achievement.stage].append(achievement)
    return columns


def get_achievement(session: Session, principal: Principal, achievement_id: int) -> Achievement:
    """One achievement the principal may read (others look absent)."""
    require_signed_in(principal)
    achievement = records.get_or_404(
        session,
        Achievement,
        achievement_id,
        options=[
            selectinload(Achievement.owners).joinedload(AchievementOwner.organisation),
            selectinload(Achievement.inventors),
            selectinload(Achievement.moves),
            selectinload(Achievement.deals).selectinload(Deal.parties).joinedload(DealParty.organisation),
        ],
    )
    if achievement_access(principal, achievement) is not AchievementAccess.PAGE:
        raise NotFound(_("No such record."))
    return achievement


def _validate(session: Session, principal: Principal, data: AchievementIn) -> None:
    require_one_language(data, "title")
    errors: list[FieldError] = []
    check_organisations(session, [o.organisation_id for o in data.owners], "owners", errors)
    check_people(session, [p.person_id for p in data.inventors], "inventors", errors)
    check_agreement(session, principal, data.agreement_id, errors)
    records.raise_if(errors)


def _set_people(session: Session, achievement: Achievement, data: AchievementIn) -> None:
    achievement.owners.clear()
    achievement.inventors.clear()
    session.flush()
    for position, owner in enumerate(data.owners):
        achievement.owners.append(AchievementOwner(organisation_id=owner.organisation_id, position=position))
    for position, inventor in enumerate(data.inventors):
        achievement.inventors.append(AchievementInventor(person_id=inventor.person_id, position=position))


def _snapshot(achievement: Achievement) -> dict[str, object]:
    state = audit.snapshot(achievement)
    state["owners"] = owner_ids(achievement)
    state["inventors"] = [i.person_id for i in achievement.inventors]
    return state


def _fields(data: AchievementIn) -> dict[str, Any]:
    return data.model_dump(exclude={"owners", "inventors"})


def create_achievement(session: Session, principal: Principal, data: AchievementIn) -> Achievement:
    """Register an achievement; it enters the pipeline as listed."""
    require_managed_party(principal, (o.organisation_id for o in data.owners))
    _validate(session, principal, data)
    achievement = Achievement(**_fields(data), stage=PipelineStage.LISTED)
    session.add(achievement)
    _set_people(session, achievement, data)
    achievement.moves.append(
        PipelineMove(
            from_stage=None,
            to_stage=PipelineStage.LISTED,
            actor_id=principal.user_id,
            actor_label=principal.label,
        )
    )
    session.flush()
    audit.record(session, principal, "create", achievement, after=_snapshot(achievement))
    return achievement


def update_achievement(
    session: Session, principal: Principal, achievement_id: int, data: AchievementIn, version: int | None
) -> Achievement:
    """Change an achievement's description, owners and inventors (its stage moves separately)."""
    achievement = get_achievement(session, principal, achievement_id)
    require(can_manage(principal, achievement))
    records.check_version(achievement, version)
    require_managed_party(principal, (o.organisation_id for o in data.owners))
    _validate(session, principal, data)
    before = _snapshot(achievement)
    records.apply(achievement, _fields(data))
    if owner_ids(achievement) != [o.organisation_id for o in data.owners] or [
        i.person_id for i in achievement.inventors
    ] != [i.person_id for i in data.inventors]:
        _set_people(session, achievement, data)
        session.flush()
    return records.saved_edit(session, principal, achievement, before, _snapshot)


def archive_achievement(
    session: Session, principal: Principal, achievement_id: int, version: int | None, *, restore: bool = False
) -> Achievement:
    """Archive (or restore) an achievement."""
    achievement = get_achievement(session, principal, achievement_id)
    require(can_manage(principal, achievement))
    return records.set_archived(session, principal, achievement, version, restore=restore)


def move_problem(current: PipelineStage, target: PipelineStage, reason: str | None) -> FieldError | None:
    """Why a move from ``current`` to ``target`` is refused, or None when it is allowed."""
    if target == current:
        return FieldError("to_stage", _("The achievement is already at this stage."))
    if target == PipelineStage.WITHDRAWN:
        return None
    if current == PipelineStage.WITHDRAWN:
        if not reason:
            return FieldError("reason", _("Bringing back a withdrawn achievement needs a reason."))
        return None
    step, target_step = PIPELINE_STEP[current], PIPELINE_STEP[target]
    if target_step > step + 1:
        missing = _STEP_STAGE.get(step + 1)
        if missing is None:
            return FieldError("to_stage", _("A deal (licensed, transferred or equity) comes first."))
        return FieldError(
            "to_stage",
            _("This skips a required stage: move it to '{stage}' first.", stage=stage_label(missing)),
        )
    if target_step <= step and not reason:
        return FieldError("reason", _("Going back to an earlier stage needs a reason."))
    return None


def stage_label(stage: PipelineStage) -> str:
    """The translated name of a stage."""
    return _(PIPELINE_STAGE_LABELS[stage])


def allowed_moves(stage: PipelineStage) -> list[PipelineStage]:
    """The stages an achievement at ``stage`` can move to without a reason (for the board's forms)."""
    return [s for s in PipelineStage if move_problem(stage, s, None) is None]


def move(
    session: Session, principal: Principal, achievement_id: int, data: MoveIn, version: int | None
) -> Achievement:
    """Move an achievement along the pipeline, keeping who, when and why."""
    achievement = get_achievement(session, principal, achievement_id)
    require(can_manage(principal, achievement))
    records.check_version(achievement, version)
    problem = move_problem(achievement.stage, data.to_stage, data.reason)
    if problem is not None:
        raise ValidationFailed(problem.message, [problem])
    before = _snapshot(achievement)
    achievement.moves.append(
        PipelineMove(
            from_stage=achievement.stage,
            to_stage=data.to_stage,
            reason=data.reason,
            actor_id=principal.user_id,
            actor_label=principal.label,
        )
    )
    achievement.stage = data.to_stage
    session.flush()
    audit.record(session, principal, "move", achievement, before, after=_snapshot(achievement))
    return achievement


# Deals ------------------------------------------------------------------------------------------


def deal_party_ids(deal: Deal) -> list[int]:
    """The deal's parties and the owners of its achievement."""
    return [p.organisation_id for p in deal.parties] + owner_ids(deal.achievement)


def can_manage_deal(principal: Principal, deal: Deal) -> bool:
    """Coordinators of a party to the deal or of an owner of the achievement, and admins."""
    return can_manage_portfolio(principal, deal_party_ids(deal))


def list_deals(session: Session, principal: Principal, query: ListQuery) -> Page[Deal]:
    """Deals the principal may read (as a party, or through the achievement's owners)."""
    require_signed_in(principal)
    stmt = (
        select(Deal)
        .join(Achievement, Deal.achievement_id == Achievement.id)
        .options(
            selectinload(Deal.parties).joinedload(DealParty.organisation),
            selectinload(Deal.achievement),
        )
        .where(
            or_(
                _visible(principal),
                parties_visibility(principal, DealParty.organisation_id, DealParty.deal_id == Deal.id),
            )
        )
    )
    stmt = searched(
        stmt,
        query,
        Deal.archived_at,
        (Achievement.title_zh, Achievement.title_en, Deal.note_zh, Deal.note_en),
    )
    if deal_type := query.filters.get("deal_type"):
        stmt = stmt.where(Deal.deal_type == deal_type)
    if achievement_id := query.filters.get("achievement_id"):
        stmt = stmt.where(Deal.achievement_id == achievement_id)
    if agreement_id := query.filters.get("agreement_id"):
        stmt = stmt.where(Deal.agreement_id == agreement_id)
    if year := query.filters.get("year"):
        stmt = stmt.where(Deal.signed_on.between(f"{year}-01-01", f"{year}-12-31"))
    stmt = stmt.order_by(*sort_clause(query.sort, DEAL_SORTS, "-signed_on"), Deal.id.desc())
    return paginate(session, stmt, query)


def get_deal(session: Session, principal: Principal, deal_id: int) -> Deal:
    """One deal the principal may read."""
    require_signed_in(principal)
    deal = records.get_or_404(
        session,
        Deal,
        deal_id,
        options=[
            selectinload(Deal.agreement),
            selectinload(Deal.commitments),
            selectinload(Deal.parties).joinedload(DealParty.organisation),
        ],
    )
    if not can_read_portfolio(principal, deal_party_ids(deal)):
        raise NotFound(_("No such record."))
    return deal


def _validate_deal(session: Session, principal: Principal, data: DealIn) -> tuple[list[Any], str | None]:
    errors: list[FieldError] = []
    check_organisations(session, [p.organisation_id for p in data.parties], "parties", errors)
    check_agreement(session, principal, data.agreement_id, errors)
    currency = check_money(data.amount, data.currency, errors)
    commitments = fulfilled_commitments(session, principal, data.fulfils, errors)
    records.raise_if(errors)
    return commitments, currency


def _deal_snapshot(deal: Deal) -> dict[str, object]:
    state = audit.snapshot(deal)
    state["parties"] = [p.organisation_id for p in deal.parties]
    state["fulfils"] = commitment_ids(deal.commitments)
    return state


def _set_deal_parties(session: Session, deal: Deal, data: DealIn) -> None:
    deal.parties.clear()
    session.flush()
    for position, party in enumerate(data.parties):
        deal.parties.append(DealParty(organisation_id=party.organisation_id, position=position))


def _deal_fields(data: DealIn, currency: str | None) -> dict[str, Any]:
    values = data.model_dump(exclude={"parties", "fulfils", "achievement_id"})
    values["currency"] = currency
    return values


def create_deal(session: Session, principal: Principal, data: DealIn) -> Deal:
    """Record a deal on an achievement whose owners the principal coordinates."""
    achievement = get_achievement(session, principal, data.achievement_id)
    require(can_manage(principal, achievement))
    commitments, currency = _validate_deal(session, principal, data)
    deal = Deal(**_deal_fields(data, currency), achievement_id=achievement.id)
    deal.commitments = commitments
    session.add(deal)
    _set_deal_parties(session, deal, data)
    session.flush()
    audit.record(session, principal, "create", deal, after=_deal_snapshot(deal))
    return deal


def update_deal(
    session: Session, principal: Principal, deal_id: int, data: DealIn, version: int | None
) -> Deal:
    """Change a deal (it stays with its achievement)."""
    deal = get_deal(session, principal, deal_id)
    require(can_manage_deal(principal, deal))
    records.check_version(deal, version)
    if data.achievement_id != deal.achievement_id:
        raise ValidationFailed(
            _("Please correct the highlighted fields."),
            [
                FieldError(
                    "achievement_id", _("A deal stays with its achievement; record a new deal instead.")
                )
            ],
        )
    commitments, currency = _validate_deal(session, principal, data)
    before = _deal_snapshot(deal)
    records.apply(deal, _deal_fields(data, currency))
    deal.commitments = commitments
    if [p.organisation_id for p in deal.parties] != [p.organisation_id for p in data.parties]:
        _set_deal_parties(session, deal, data)
        session.flush()
    return records.saved_edit(session, principal, deal, before, _deal_snapshot)


def archive_deal(
    session: Session, principal: Principal, deal_id: int, version: int | None, *, restore: bool = False
) -> Deal:
    """Archive (or restore) a deal."""
    deal = get_deal(session, principal, deal_id)
    require(can_manage_deal(principal, deal))
    return records.set_archived(session, principal, deal, version, restore=restore)


# The public catalogue ---------------------------------------------------------------------------


def list_public(session: Session, query: ListQuery) -> Page[Achievement]:
    """Achievements in the public catalogue (public, not archived or withdrawn), for anyone."""
    stmt = select(Achievement).where(catalogue_condition())
    stmt = _filtered(
        stmt, ListQuery(q=query.q, filters={k: v for k, v in query.filters.items() if k != "stage"})
    )
    stmt = stmt.order_by(*sort_clause(query.sort, SORTS, "-created"), Achievement.id.desc())
    return paginate(session, stmt, query)


def get_public(session: Session, achievement_id: int) -> Achievement:
    """A public achievement; anything else looks absent."""
    achievement = records.find(
        session,
        Achievement,
        achievement_id,
        options=[selectinload(Achievement.owners).joinedload(AchievementOwner.organisation)],
    )
    if achievement is None or not in_catalogue(achievement):
        raise NotFound(_("No such record."))
    return achievement


def public_fields(session: Session) -> list[tuple[str | None, str | None]]:
    """The (zh, en) fields of public achievements, for the catalogue's filter."""
    stmt = (
        select(Achievement.field_zh, Achievement.field_en)
        .where(Achievement.public.is_(True), Achievement.archived_at.is_(None))
        .distinct()
    )
    return [(zh, en) for zh, en in session.execute(stmt)]
