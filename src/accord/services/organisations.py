"""Organisations: list, read, create, edit, archive."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Row, select
from sqlalchemy.orm import Session, selectinload

from accord.i18n import gettext as _
from accord.models import Organisation, OrgKind
from accord.schemas.registry import OrganisationIn
from accord.services import audit, records
from accord.services.errors import FieldError
from accord.services.listing import ListQuery, Page, paginate, searched, sort_clause
from accord.services.permissions import (
    Principal,
    can_create_organisation,
    can_edit_organisation,
    can_move_organisation,
    descendants,
    require,
    require_signed_in,
)
from accord.services.validation import require_one_language

SORTS = {
    "name_zh": Organisation.name_zh,
    "name_en": Organisation.name_en,
    "kind": Organisation.kind,
    "created": Organisation.created_at,
}
SEARCHED = (
    Organisation.name_zh,
    Organisation.name_en,
    Organisation.short_name_zh,
    Organisation.short_name_en,
)


def list_organisations(session: Session, principal: Principal, query: ListQuery) -> Page[Organisation]:
    """Organisations matching the query (any signed-in user reads the directory)."""
    require_signed_in(principal)
    stmt = select(Organisation)
    stmt = searched(stmt, query, Organisation.archived_at, SEARCHED)
    if kind := query.filters.get("kind"):
        stmt = stmt.where(Organisation.kind == kind)
    if parent := query.filters.get("parent_id"):
        stmt = stmt.where(Organisation.parent_id == parent)
    stmt = stmt.order_by(*sort_clause(query.sort, SORTS, "name_zh"), Organisation.id)
    return paginate(session, stmt, query)


def get_organisation(session: Session, principal: Principal, organisation_id: int) -> Organisation:
    """One organisation."""
    require_signed_in(principal)
    return records.get_or_404(
        session,
        Organisation,
        organisation_id,
        options=[selectinload(Organisation.parent), selectinload(Organisation.children)],
    )


def _validate(session: Session, data: OrganisationIn, organisation_id: int | None) -> None:
    require_one_language(data, "name")
    errors: list[FieldError] = []
    values = data.model_dump()
    records.unique_text(session, Organisation, ("name_zh", "name_en"), values, organisation_id, errors)
    records.require_exists(session, Organisation, data.parent_id, "parent_id", errors)
    if (
        organisation_id is not None
        and data.parent_id is not None
        and data.parent_id in descendants(session, organisation_id)
    ):
        errors.append(FieldError("parent_id", _("An organisation cannot sit under itself or its own units.")))
    records.raise_if(errors)


def create_organisation(session: Session, principal: Principal, data: OrganisationIn) -> Organisation:
    """Register a new organisation."""
    require(can_create_organisation(principal, data.parent_id))
    _validate(session, data, None)
    organisation = Organisation(**data.model_dump())
    session.add(organisation)
    audit.record(session, principal, "create", organisation)
    return organisation


def update_organisation(
    session: Session, principal: Principal, organisation_id: int, data: OrganisationIn, version: int | None
) -> Organisation:
    """Change an organisation's fields."""
    organisation = records.get_or_404(session, Organisation, organisation_id)
    require(can_edit_organisation(principal, organisation_id))
    if data.parent_id != organisation.parent_id:
        # Moving needs rights where it goes too: a coordinator there (admins for the top level).
        require(
            can_move_organisation(principal, organisation, data.parent_id),
            _("To move an organisation you need a coordinator role in the organisation it moves under."),
        )
    records.check_version(organisation, version)
    _validate(session, data, organisation_id)
    before = audit.snapshot(organisation)
    records.apply(organisation, data.model_dump())
    audit.record(session, principal, "update", organisation, before)
    return organisation


def archive_organisation(
    session: Session,
    principal: Principal,
    organisation_id: int,
    version: int | None,
    *,
    restore: bool = False,
) -> Organisation:
    """Archive (or restore) an organisation."""
    organisation = records.get_or_404(session, Organisation, organisation_id)
    require(can_edit_organisation(principal, organisation_id))
    return records.set_archived(session, principal, organisation, version, restore=restore)


def choices(
    session: Session, *, kinds: Iterable[OrgKind] | None = None, ids: Iterable[int] | None = None
) -> list[Row[int, str | None, str | None]]:
    """Active organisations for pick lists: (id, name_zh, name_en) rows, not whole records, as a list
    page draws one option per organisation (a thousand at scale) on every view. ``kinds`` and ``ids``
    narrow the list to what fits the field (enterprises, the parties of an agreement)."""
    stmt = (
        select(Organisation.id, Organisation.name_zh, Organisation.name_en)
        .where(Organisation.archived_at.is_(None))
        .order_by(Organisation.name_zh)
    )
    if kinds is not None:
        stmt = stmt.where(Organisation.kind.in_(list(kinds)))
    if ids is not None:
        stmt = stmt.where(Organisation.id.in_(list(ids)))
    return list(session.execute(stmt).all())
