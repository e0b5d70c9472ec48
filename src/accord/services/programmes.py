"""Talent programmes (joint cultivation, cadre training, secondments, internships) and their cohorts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from accord.i18n import gettext as _
from accord.models import Cohort, CohortCount, Commitment, Programme, ProgrammeParty
from accord.schemas.portfolio import CohortIn, ProgrammeIn
from accord.services import audit, portfolio, records
from accord.services.errors import FieldError
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
    party_ids,
    require_managed_party,
)
from accord.services.validation import require_one_language

SORTS = {
    "title_zh": Programme.title_zh,
    "title_en": Programme.title_en,
    "kind": Programme.kind,
    "created": Programme.created_at,
}
SEARCHED = (Programme.title_zh, Programme.title_en, Programme.outcomes_zh, Programme.outcomes_en)
#: Who may change one: coordinators of a party, and admins.
can_manage = portfolio.can_manage


def list_programmes(session: Session, principal: Principal, query: ListQuery) -> Page[Programme]:
    """Programmes with a party the principal may read, matching the query."""
    require_signed_in(principal)
    stmt = (
        select(Programme)
        .options(
            selectinload(Programme.parties).joinedload(ProgrammeParty.organisation),
            selectinload(Programme.cohorts).selectinload(Cohort.counts),
        )
        .where(
            parties_visibility(
                principal, ProgrammeParty.organisation_id, ProgrammeParty.programme_id == Programme.id
            )
        )
    )
    stmt = searched(stmt, query, Programme.archived_at, SEARCHED)
    if kind := query.filters.get("kind"):
        stmt = stmt.where(Programme.kind == kind)
    if agreement_id := query.filters.get("agreement_id"):
        stmt = stmt.where(Programme.agreement_id == agreement_id)
    if organisation_id := query.filters.get("organisation_id"):
        stmt = stmt.where(
            exists().where(
                ProgrammeParty.programme_id == Programme.id, ProgrammeParty.organisation_id == organisation_id
            )
        )
    stmt = stmt.order_by(*sort_clause(query.sort, SORTS, "-created"), Programme.id.desc())
    return paginate(session, stmt, query)


def get_programme(session: Session, principal: Principal, programme_id: int) -> Programme:
    """One programme the principal may read (others look absent)."""
    return get_shared(
        session,
        principal,
        Programme,
        programme_id,
        options=[
            selectinload(Programme.agreement),
            selectinload(Programme.parties).joinedload(ProgrammeParty.organisation),
            selectinload(Programme.cohorts).selectinload(Cohort.counts).joinedload(CohortCount.organisation),
            selectinload(Programme.commitments).joinedload(Commitment.agreement),
        ],
    )


def _validate(session: Session, principal: Principal, data: ProgrammeIn) -> list[Any]:
    require_one_language(data, "title")
    errors: list[FieldError] = []
    check_organisations(session, [p.organisation_id for p in data.parties], "parties", errors)
    check_agreement(session, principal, data.agreement_id, errors)
    commitments = fulfilled_commitments(session, principal, data.fulfils, errors)
    records.raise_if(errors)
    return commitments


def _set_parties(session: Session, programme: Programme, data: ProgrammeIn) -> None:
    programme.parties.clear()
    session.flush()
    for position, party in enumerate(data.parties):
        programme.parties.append(ProgrammeParty(organisation_id=party.organisation_id, position=position))


def _snapshot(programme: Programme) -> dict[str, object]:
    state = audit.snapshot(programme)
    state["parties"] = party_ids(programme)
    state["fulfils"] = commitment_ids(programme.commitments)
    return state


def _fields(data: ProgrammeIn) -> dict[str, Any]:
    return data.model_dump(exclude={"parties", "fulfils"})


def create_programme(session: Session, principal: Principal, data: ProgrammeIn) -> Programme:
    """Register a talent programme."""
    require_managed_party(principal, (p.organisation_id for p in data.parties))
    commitments = _validate(session, principal, data)
    programme = Programme(**_fields(data))
    programme.commitments = commitments
    session.add(programme)
    _set_parties(session, programme, data)
    session.flush()
    audit.record(session, principal, "create", programme, after=_snapshot(programme))
    return programme


def update_programme(
    session: Session, principal: Principal, programme_id: int, data: ProgrammeIn, version: int | None
) -> Programme:
    """Change a programme's fields, parties and fulfilled commitments."""
    programme = get_programme(session, principal, programme_id)
    require(can_manage(principal, programme))
    records.check_version(programme, version)
    require_managed_party(principal, (p.organisation_id for p in data.parties))
    commitments = _validate(session, principal, data)
    before = _snapshot(programme)
    records.apply(programme, _fields(data))
    programme.commitments = commitments
    if party_ids(programme) != [p.organisation_id for p in data.parties]:
        _set_parties(session, programme, data)
        session.flush()
    return records.saved_edit(session, principal, programme, before, _snapshot)


def archive_programme(
    session: Session, principal: Principal, programme_id: int, version: int | None, *, restore: bool = False
) -> Programme:
    """Archive (or restore) a programme."""
    programme = get_programme(session, principal, programme_id)
    require(can_manage(principal, programme))
    return records.set_archived(session, principal, programme, version, restore=restore)


def add_cohort(session: Session, principal: Principal, programme_id: int, data: CohortIn) -> Cohort:
    """Add a cohort with its dates and participant counts by organisation."""
    programme = get_programme(session, principal, programme_id)
    require(can_manage(principal, programme))
    require_one_language(data, "name")
    errors: list[FieldError] = []
    check_organisations(session, [c.organisation_id for c in data.counts], "counts", errors)
    if data.end_on and data.end_on < data.start_on:
        errors.append(FieldError("end_on", _("The end date is before the start date.")))
    records.raise_if(errors)
    cohort = Cohort(**data.model_dump(exclude={"counts"}))
    cohort.counts = [
        CohortCount(organisation_id=c.organisation_id, participants=c.participants) for c in data.counts
    ]
    programme.cohorts.append(cohort)
    session.flush()
    after = audit.snapshot(cohort)
    after["counts"] = [[c.organisation_id, c.participants] for c in cohort.counts]
    audit.record(session, principal, "create", cohort, after=after)
    return cohort


def participants(programme: Programme) -> int:
    """Everyone trained by a programme, over all its cohorts."""
    return sum(cohort.participants for cohort in programme.cohorts)
