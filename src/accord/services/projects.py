"""Joint projects: parties, lead people, budget and funding, dates, outputs, fulfilled commitments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from accord.i18n import gettext as _
from accord.models import Commitment, Project, ProjectLead, ProjectParty
from accord.schemas.portfolio import ProjectIn
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
    check_money,
    check_organisations,
    check_people,
    commitment_ids,
    fulfilled_commitments,
    get_shared,
    party_ids,
    require_managed_party,
)
from accord.services.validation import require_one_language

SORTS = {
    "title_zh": Project.title_zh,
    "title_en": Project.title_en,
    "start_on": Project.start_on,
    "budget": Project.budget,
    "created": Project.created_at,
}
SEARCHED = (Project.title_zh, Project.title_en, Project.outputs_zh, Project.outputs_en)
#: Who may change one: coordinators of a party, and admins.
can_manage = portfolio.can_manage


def list_projects(session: Session, principal: Principal, query: ListQuery) -> Page[Project]:
    """Projects with a party the principal may read, matching the query."""
    require_signed_in(principal)
    stmt = (
        select(Project)
        .options(selectinload(Project.parties).joinedload(ProjectParty.organisation))
        .where(
            parties_visibility(principal, ProjectParty.organisation_id, ProjectParty.project_id == Project.id)
        )
    )
    stmt = searched(stmt, query, Project.archived_at, SEARCHED)
    if agreement_id := query.filters.get("agreement_id"):
        stmt = stmt.where(Project.agreement_id == agreement_id)
    if organisation_id := query.filters.get("organisation_id"):
        stmt = stmt.where(
            exists().where(
                ProjectParty.project_id == Project.id, ProjectParty.organisation_id == organisation_id
            )
        )
    if year := query.filters.get("year"):
        stmt = stmt.where(Project.start_on.between(f"{year}-01-01", f"{year}-12-31"))
    stmt = stmt.order_by(*sort_clause(query.sort, SORTS, "-start_on"), Project.id.desc())
    return paginate(session, stmt, query)


def get_project(session: Session, principal: Principal, project_id: int) -> Project:
    """One project the principal may read (others look absent)."""
    return get_shared(
        session,
        principal,
        Project,
        project_id,
        options=[
            selectinload(Project.agreement),
            selectinload(Project.parties).joinedload(ProjectParty.organisation),
            selectinload(Project.leads).joinedload(ProjectLead.person),
            selectinload(Project.commitments).joinedload(Commitment.agreement),
        ],
    )


def _validate(session: Session, principal: Principal, data: ProjectIn) -> tuple[list[Any], str | None]:
    require_one_language(data, "title")
    errors: list[FieldError] = []
    check_organisations(session, [p.organisation_id for p in data.parties], "parties", errors)
    check_people(session, [p.person_id for p in data.leads], "leads", errors)
    check_agreement(session, principal, data.agreement_id, errors)
    currency = check_money(data.budget, data.currency, errors, "budget", "currency")
    if data.start_on and data.end_on and data.end_on < data.start_on:
        errors.append(FieldError("end_on", _("The end date is before the start date.")))
    commitments = fulfilled_commitments(session, principal, data.fulfils, errors)
    records.raise_if(errors)
    return commitments, currency


def _set_people(session: Session, project: Project, data: ProjectIn) -> None:
    project.parties.clear()
    project.leads.clear()
    session.flush()
    for position, party in enumerate(data.parties):
        project.parties.append(ProjectParty(organisation_id=party.organisation_id, position=position))
    for position, lead in enumerate(data.leads):
        project.leads.append(ProjectLead(person_id=lead.person_id, position=position))


def _snapshot(project: Project) -> dict[str, object]:
    state = audit.snapshot(project)
    state["parties"] = party_ids(project)
    state["leads"] = [lead.person_id for lead in project.leads]
    state["fulfils"] = commitment_ids(project.commitments)
    return state


def _fields(data: ProjectIn, currency: str | None) -> dict[str, Any]:
    values = data.model_dump(exclude={"parties", "leads", "fulfils"})
    values["currency"] = currency
    return values


def create_project(session: Session, principal: Principal, data: ProjectIn) -> Project:
    """Register a joint project."""
    require_managed_party(principal, (p.organisation_id for p in data.parties))
    commitments, currency = _validate(session, principal, data)
    project = Project(**_fields(data, currency))
    project.commitments = commitments
    session.add(project)
    _set_people(session, project, data)
    session.flush()
    audit.record(session, principal, "create", project, after=_snapshot(project))
    return project


def update_project(
    session: Session, principal: Principal, project_id: int, data: ProjectIn, version: int | None
) -> Project:
    """Change a project's fields, parties, leads and fulfilled commitments."""
    project = get_project(session, principal, project_id)
    require(can_manage(principal, project))
    records.check_version(project, version)
    require_managed_party(principal, (p.organisation_id for p in data.parties))
    commitments, currency = _validate(session, principal, data)
    before = _snapshot(project)
    records.apply(project, _fields(data, currency))
    project.commitments = commitments
    if party_ids(project) != [p.organisation_id for p in data.parties] or [
        lead.person_id for lead in project.leads
    ] != [lead.person_id for lead in data.leads]:
        _set_people(session, project, data)
        session.flush()
    return records.saved_edit(session, principal, project, before, _snapshot)


def archive_project(
    session: Session, principal: Principal, project_id: int, version: int | None, *, restore: bool = False
) -> Project:
    """Archive (or restore) a project."""
    project = get_project(session, principal, project_id)
    require(can_manage(principal, project))
    return records.set_archived(session, principal, project, version, restore=restore)
