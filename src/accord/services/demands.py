"""Demands: an enterprise's technical problem, posted by a signed-in user or through the public form."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session, selectinload

from accord.i18n import gettext as _
from accord.i18n import localized
from accord.match import QueryOptions, analyze, detect_lang
from accord.models import Demand, DemandStatus, Organisation, OrgKind, Role
from accord.schemas.matching import DemandIn, PublicDemandIn
from accord.services import audit, records
from accord.services.errors import FieldError, NotFound, ValidationFailed
from accord.services.listing import ListQuery, Page, paginate, searched, sort_clause
from accord.services.permissions import (
    Principal,
    can_manage_matching,
    can_post_demand_for,
    can_read_demand,
    require,
    require_signed_in,
)
from accord.services.portfolio import check_money

SORTS = {"title": Demand.title, "deadline": Demand.deadline, "created": Demand.created_at}


def check_text(title: str, description: str, errors: list[FieldError]) -> None:
    """A demand must contain words the matcher can use: not only stop words, punctuation or emoji."""
    for name, text in (("title", title), ("description", description)):
        reason = analyze(text, QueryOptions(translate=False)).reason
        if reason == "only stop words in the query":
            errors.append(
                FieldError(
                    name, _("Describe the problem in words that carry meaning, not only common words.")
                )
            )
        elif reason is not None:
            errors.append(
                FieldError(
                    name, _("Write the demand in words: punctuation, symbols and emoji cannot be matched.")
                )
            )


def _validate(data: DemandIn | PublicDemandIn) -> tuple[str | None, str]:
    errors: list[FieldError] = []
    check_text(data.title, data.description, errors)
    # The form offers CNY: a currency without a budget is the untouched default, not an error.
    currency = check_money(
        data.budget, data.currency if data.budget is not None else None, errors, "budget", "currency"
    )
    records.raise_if(errors)
    return currency, detect_lang(f"{data.title}\n{data.description}")


def create_demand(session: Session, principal: Principal, data: DemandIn) -> Demand:
    """Post a demand as a signed-in user, for one of the user's organisations (or none)."""
    require_signed_in(principal)
    errors: list[FieldError] = []
    records.require_exists(session, Organisation, data.organisation_id, "organisation_id", errors)
    records.raise_if(errors)
    require(
        can_post_demand_for(principal, data.organisation_id),
        _("You can post demands only for organisations you belong to."),
    )
    organisation = records.find(session, Organisation, data.organisation_id) if data.organisation_id else None
    if organisation is not None and organisation.kind is not OrgKind.ENTERPRISE:
        message = _(
            "A demand is an enterprise's: {name} is not an enterprise. Choose one, or post it without.",
            name=localized(organisation, "name"),
        )
        raise ValidationFailed(message, [FieldError("organisation_id", message)])
    currency, language = _validate(data)
    demand = Demand(
        **data.model_dump(exclude={"currency"}),
        currency=currency,
        language=language,
        submitted_by_id=principal.user_id,
        public=False,
    )
    session.add(demand)
    session.flush()
    audit.record(session, principal, "create", demand)
    return demand


def create_public_demand(session: Session, principal: Principal, data: PublicDemandIn) -> Demand:
    """Post a demand from the public form (no account: the contact details say who asks)."""
    currency, language = _validate(data)
    demand = Demand(
        **data.model_dump(exclude={"currency"}), currency=currency, language=language, public=True
    )
    session.add(demand)
    session.flush()
    audit.record(session, principal, "create", demand)
    return demand


def _visible(principal: Principal) -> Any:
    if can_manage_matching(principal):
        return None
    conditions = []
    if principal.user_id is not None:
        conditions.append(Demand.submitted_by_id == principal.user_id)
    orgs = principal.orgs_with(Role.VIEWER)
    if orgs:
        conditions.append(Demand.organisation_id.in_(orgs))
    return or_(*conditions) if conditions else false()


def list_demands(session: Session, principal: Principal, query: ListQuery) -> Page[Demand]:
    """Demands the principal may read, matching the query."""
    require_signed_in(principal)
    stmt = select(Demand).options(selectinload(Demand.organisation))
    condition = _visible(principal)
    if condition is not None:
        stmt = stmt.where(condition)
    stmt = searched(stmt, query, Demand.archived_at, (Demand.title, Demand.description, Demand.field))
    if status := query.filters.get("status"):
        stmt = stmt.where(Demand.status == status)
    if organisation_id := query.filters.get("organisation_id"):
        stmt = stmt.where(Demand.organisation_id == organisation_id)
    stmt = stmt.order_by(*sort_clause(query.sort, SORTS, "-created"), Demand.id.desc())
    return paginate(session, stmt, query)


def get_demand(session: Session, principal: Principal, demand_id: int) -> Demand:
    """One demand the principal may read (others look absent)."""
    require_signed_in(principal)
    demand = records.get_or_404(session, Demand, demand_id, options=[selectinload(Demand.organisation)])
    if not can_read_demand(principal, demand.organisation_id, demand.submitted_by_id):
        raise NotFound(_("No such record."))
    return demand


def set_status(
    session: Session, principal: Principal, demand_id: int, status: DemandStatus, version: int | None
) -> Demand:
    """Close (or reopen) a demand: matchmakers and whoever posted it."""
    demand = get_demand(session, principal, demand_id)
    require(can_manage_matching(principal) or demand.submitted_by_id == principal.user_id)
    records.check_version(demand, version)
    before = audit.snapshot(demand)
    demand.status = status
    session.flush()
    audit.record(session, principal, "status", demand, before)
    return demand
