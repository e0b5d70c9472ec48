"""Steps the portfolio and transfer services share: party and people lists, fulfilled commitments,
linked agreements, money, and the pick lists of their forms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.interfaces import ORMOption

from accord.i18n import gettext as _
from accord.models import Agreement, Commitment, Institution, Organisation, Person, Programme, Project, Review
from accord.schemas.portfolio import CommitmentRef
from accord.services import records
from accord.services.errors import FieldError, NotFound
from accord.services.permissions import (
    Principal,
    agreement_visibility,
    can_manage_portfolio,
    can_read_portfolio,
    require,
    require_signed_in,
)

CURRENCY = re.compile(r"^[A-Z]{3}$")

#: A record its parties share: a co-built institution, a talent programme or a joint project.
SharedT = TypeVar("SharedT", Institution, Programme, Project)


def party_ids(record: Institution | Programme | Project) -> list[int]:
    """The organisations taking part in an institution, programme or project, in their order."""
    return [p.organisation_id for p in record.parties]


def can_manage(principal: Principal, record: Institution | Programme | Project) -> bool:
    """Coordinators of a party, and admins."""
    return can_manage_portfolio(principal, party_ids(record))


def get_shared(
    session: Session, principal: Principal, model: type[SharedT], record_id: int, options: Sequence[ORMOption]
) -> SharedT:
    """One institution, programme or project the principal may read (others look absent), with what
    ``options`` load."""
    require_signed_in(principal)
    record = records.get_or_404(session, model, record_id, options=options)
    if not can_read_portfolio(principal, party_ids(record)):
        raise NotFound(_("No such record."))
    return record


def check_organisations(
    session: Session, ids: Sequence[int], prefix: str, errors: list[FieldError], key: str = "organisation_id"
) -> None:
    """Each organisation exists and appears once."""
    seen: set[int] = set()
    for index, org_id in enumerate(ids):
        field = f"{prefix}.{index}.{key}"
        if org_id in seen:
            errors.append(FieldError(field, _("This organisation is already listed.")))
        seen.add(org_id)
        records.require_exists(session, Organisation, org_id, field, errors)


def check_people(session: Session, ids: Sequence[int], prefix: str, errors: list[FieldError]) -> None:
    """Each person exists and appears once."""
    seen: set[int] = set()
    for index, person_id in enumerate(ids):
        field = f"{prefix}.{index}.person_id"
        if person_id in seen:
            errors.append(FieldError(field, _("This person is already listed.")))
        seen.add(person_id)
        records.require_exists(session, Person, person_id, field, errors)


def check_agreement(
    session: Session, principal: Principal, agreement_id: int | None, errors: list[FieldError]
) -> None:
    """A linked agreement exists and the principal may read it."""
    if agreement_id is None:
        return
    records.reference(session, principal, Agreement, agreement_id, "agreement_id", errors)


def fulfilled_commitments(
    session: Session, principal: Principal, refs: Sequence[CommitmentRef], errors: list[FieldError]
) -> list[Commitment]:
    """The accepted commitments named by ``refs``, of agreements the principal may read."""
    found: list[Commitment] = []
    seen: set[int] = set()
    for index, ref in enumerate(refs):
        field = f"fulfils.{index}.commitment_id"
        commitment = records.reference(session, principal, Commitment, ref.commitment_id, field, errors)
        if commitment is None:
            continue
        if commitment.review != Review.ACCEPTED:
            errors.append(FieldError(field, _("Only accepted commitments can be fulfilled.")))
        elif commitment.id not in seen:
            seen.add(commitment.id)
            found.append(commitment)
    return found


def check_money(
    amount: Decimal | None,
    currency: str | None,
    errors: list[FieldError],
    amount_field: str = "amount",
    currency_field: str = "currency",
) -> str | None:
    """An amount needs its currency and a currency its amount; returns the currency upper-cased."""
    code = currency.upper() if currency else None
    if amount is not None and code is None:
        errors.append(FieldError(currency_field, _("Give the currency of the amount, such as CNY.")))
    elif code is not None and amount is None:
        errors.append(FieldError(amount_field, _("Give the amount in this currency, or leave both empty.")))
    if code is not None and not CURRENCY.match(code):
        errors.append(FieldError(currency_field, _("Use a three-letter currency code such as CNY.")))
    return code


def require_managed_party(principal: Principal, organisation_ids: Iterable[int]) -> None:
    """Creating or changing a record needs a party (one of ``organisation_ids``) the principal
    coordinates."""
    require(
        can_manage_portfolio(principal, organisation_ids),
        _("You can only register records in which an organisation you coordinate takes part."),
    )


def commitment_choices(session: Session, principal: Principal) -> list[Commitment]:
    """Accepted commitments of agreements the principal may read, for the 'fulfils' pick list."""
    stmt = (
        select(Commitment)
        .join(Agreement, Commitment.agreement_id == Agreement.id)
        .options(joinedload(Commitment.agreement))
        .where(
            Commitment.review == Review.ACCEPTED,
            Commitment.archived_at.is_(None),
            Agreement.archived_at.is_(None),
            agreement_visibility(principal),
        )
        .order_by(Agreement.signed_on.desc(), Commitment.agreement_id, Commitment.quote_start, Commitment.id)
    )
    return list(session.scalars(stmt))


def commitment_ids(commitments: Sequence[Commitment]) -> list[int]:
    """Ids for the audit trail."""
    return sorted(c.id for c in commitments)
