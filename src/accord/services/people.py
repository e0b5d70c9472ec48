"""People: list, read, create, edit, archive."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from accord.models import Organisation, Person
from accord.schemas.registry import PersonIn
from accord.services import audit, records
from accord.services.errors import FieldError
from accord.services.listing import ListQuery, Page, paginate, searched, sort_clause
from accord.services.permissions import (
    Principal,
    can_manage_person,
    descendants,
    require,
    require_signed_in,
)
from accord.services.validation import require_one_language

SORTS = {"name_zh": Person.name_zh, "name_en": Person.name_en, "created": Person.created_at}
SEARCHED = (Person.name_zh, Person.name_en, Person.title_zh, Person.title_en)


def list_people(session: Session, principal: Principal, query: ListQuery) -> Page[Person]:
    """People matching the query."""
    require_signed_in(principal)
    stmt = select(Person).options(joinedload(Person.organisation))
    stmt = searched(stmt, query, Person.archived_at, SEARCHED)
    if organisation_id := query.filters.get("organisation_id"):
        stmt = stmt.where(Person.organisation_id == organisation_id)
    stmt = stmt.order_by(*sort_clause(query.sort, SORTS, "name_zh"), Person.id)
    return paginate(session, stmt, query)


def get_person(session: Session, principal: Principal, person_id: int) -> Person:
    """One person."""
    require_signed_in(principal)
    return records.get_or_404(session, Person, person_id, options=[joinedload(Person.organisation)])


def _validate(session: Session, data: PersonIn) -> None:
    require_one_language(data, "name")
    errors: list[FieldError] = []
    records.require_exists(session, Organisation, data.organisation_id, "organisation_id", errors)
    records.raise_if(errors)


def create_person(session: Session, principal: Principal, data: PersonIn) -> Person:
    """Register a person."""
    require(can_manage_person(principal, data.organisation_id))
    _validate(session, data)
    person = Person(**data.model_dump())
    session.add(person)
    audit.record(session, principal, "create", person)
    return person


def update_person(
    session: Session, principal: Principal, person_id: int, data: PersonIn, version: int | None
) -> Person:
    """Change a person's fields (moving them needs rights on both organisations)."""
    person = records.get_or_404(session, Person, person_id)
    require(can_manage_person(principal, person.organisation_id))
    require(can_manage_person(principal, data.organisation_id))
    records.check_version(person, version)
    _validate(session, data)
    before = audit.snapshot(person)
    records.apply(person, data.model_dump())
    audit.record(session, principal, "update", person, before)
    return person


def archive_person(
    session: Session, principal: Principal, person_id: int, version: int | None, *, restore: bool = False
) -> Person:
    """Archive (or restore) a person."""
    person = records.get_or_404(session, Person, person_id)
    require(can_manage_person(principal, person.organisation_id))
    return records.set_archived(session, principal, person, version, restore=restore)


def by_organisation(people: Iterable[Person]) -> dict[int | None, list[Person]]:
    """People grouped by the organisation they work for (None: none), for pick lists that offer the
    people of one organisation first."""
    groups: dict[int | None, list[Person]] = {}
    for person in people:
        groups.setdefault(person.organisation_id, []).append(person)
    return groups


@dataclass(frozen=True)
class PeopleGroup:
    """People of one organisation in a pick list (``organisation`` None: everyone else)."""

    organisation: Organisation | None
    people: list[Person]


def grouped_choices(session: Session, first: Iterable[int | None]) -> list[PeopleGroup]:
    """Active people for a pick list, those of the ``first`` organisations (and their units) first, one
    group per organisation in that order, then everyone else in one group. Only the order changes:
    every active person is offered, and the services check the choice as before."""
    wanted: list[int] = []
    for organisation_id in first:
        if organisation_id is not None and organisation_id not in wanted:
            wanted.append(organisation_id)
    home: dict[int, int] = {}  # organisation (or unit) → the wanted organisation it is grouped under
    for organisation_id in wanted:
        for unit in descendants(session, organisation_id):
            home.setdefault(unit, organisation_id)
    groups: dict[int, list[Person]] = {organisation_id: [] for organisation_id in wanted}
    others: list[Person] = []
    for person in choices(session):
        key = home.get(person.organisation_id) if person.organisation_id is not None else None
        (groups[key] if key is not None else others).append(person)
    found = [
        PeopleGroup(records.find(session, Organisation, organisation_id), people)
        for organisation_id, people in groups.items()
        if people
    ]
    return [*found, PeopleGroup(None, others)] if others else found


def choices(session: Session) -> list[Person]:
    """Active people for pick lists."""
    stmt = (
        select(Person)
        .options(joinedload(Person.organisation))
        .where(Person.archived_at.is_(None))
        .order_by(Person.name_zh, Person.name_en)
    )
    return list(session.scalars(stmt))
