"""Agreements, their parties and their attached signed originals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import Date, String, case, exists, func, literal, select, type_coerce, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import ORMOption
from sqlalchemy.sql.expression import ColumnElement

from accord import clock
from accord.i18n import gettext as _
from accord.intake.ledger import term_end
from accord.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    Organisation,
    Person,
    SignedDocument,
    SigningEvent,
)
from accord.schemas.registry import AgreementIn
from accord.services import audit, files, records
from accord.services.errors import FieldError, NotFound
from accord.services.listing import ListQuery, Page, paginate, searched, sort_clause
from accord.services.permissions import (
    Principal,
    agreement_visibility,
    can_create_agreement_for,
    can_edit_agreement,
    can_read_agreement,
    require,
    require_signed_in,
)
from accord.services.validation import require_one_language

SORTS = {
    "signed_on": Agreement.signed_on,
    "title_zh": Agreement.title_zh,
    "title_en": Agreement.title_en,
    "expires_on": Agreement.expires_on,
    "created": Agreement.created_at,
}
SEARCHED = (Agreement.title_zh, Agreement.title_en, Agreement.summary_zh, Agreement.summary_en)
PARTY_LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PARTY_LABELS_ZH = "甲乙丙丁戊己庚辛壬癸"


def party_label(position: int, language: str) -> str:
    """甲方 / Party A for position 0, and so on."""
    if language == "zh_Hans" and position < len(PARTY_LABELS_ZH):
        return f"{PARTY_LABELS_ZH[position]}方"
    return _("Party {letter}", letter=PARTY_LABELS[position % 26])


# --- status from the dates --------------------------------------------------------------------------

MANUAL_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.TERMINATED)


def status_from_dates(
    stored: AgreementStatus,
    signed_on: date | None,
    effective_from: date | None,
    expires_on: date | None,
    today: date,
) -> AgreementStatus:
    """Where an agreement stands on ``today``: draft and terminated are what a person set; otherwise
    expired after its last day, in force from its effective (else signing) date, signed before that."""
    if stored in MANUAL_STATUSES:
        return stored
    if expires_on is not None and expires_on < today:
        return AgreementStatus.EXPIRED
    start = effective_from or signed_on
    if start is not None and start <= today:
        return AgreementStatus.IN_FORCE
    if signed_on is not None:
        return AgreementStatus.SIGNED
    return stored


def status_on(agreement: Agreement, today: date) -> AgreementStatus:
    """``status_from_dates`` of one agreement."""
    return status_from_dates(
        agreement.status, agreement.signed_on, agreement.effective_from, agreement.expires_on, today
    )


def status_sql(today: date) -> ColumnElement[str]:
    """``status_from_dates`` as one SQL CASE, for the list's filter and sort and the home page's counts."""
    day = literal(today, Date)
    start = func.coalesce(Agreement.effective_from, Agreement.signed_on)
    stored = type_coerce(Agreement.status, String)
    return case(
        (Agreement.status.in_(MANUAL_STATUSES), stored),
        (Agreement.expires_on < day, literal(AgreementStatus.EXPIRED.value)),
        (start <= day, literal(AgreementStatus.IN_FORCE.value)),
        (Agreement.signed_on.is_not(None), literal(AgreementStatus.SIGNED.value)),
        else_=stored,
    )


def refresh_statuses(session: Session, today: date) -> int:
    """Store the status the dates give wherever it differs (the API and exports read the stored one).

    Plain UPDATEs without the version check: several workers may run this at once, and the status they
    write is the same."""
    changed = 0
    for status in (AgreementStatus.EXPIRED, AgreementStatus.IN_FORCE, AgreementStatus.SIGNED):
        result = session.execute(
            update(Agreement)
            .where(status_sql(today) == status.value, Agreement.status != status)
            .values(status=status)
            .execution_options(synchronize_session=False)
        )
        changed += getattr(result, "rowcount", 0) or 0
    session.expire_all()
    return changed


def _follow_dates(agreement: Agreement, today: date) -> None:
    """The end date from the term when none is given, and the status from the dates."""
    if agreement.expires_on is None:
        for term in (agreement.term_zh, agreement.term_en):
            if term and (end := term_end(term, agreement.effective_from or agreement.signed_on)):
                agreement.expires_on = end
                break
    agreement.status = status_on(agreement, today)


def list_agreements(session: Session, principal: Principal, query: ListQuery) -> Page[Agreement]:
    """Agreements the principal may read, matching the query."""
    require_signed_in(principal)
    stmt = (
        select(Agreement)
        .options(selectinload(Agreement.parties).joinedload(AgreementParty.organisation))
        .where(agreement_visibility(principal))
    )
    stmt = searched(stmt, query, Agreement.archived_at, SEARCHED)
    if kind := query.filters.get("kind"):
        stmt = stmt.where(Agreement.kind == kind)
    today = clock.today()
    if status := query.filters.get("status"):
        stmt = stmt.where(status_sql(today) == str(getattr(status, "value", status)))
    if organisation_id := query.filters.get("organisation_id"):
        stmt = stmt.where(
            exists().where(
                AgreementParty.agreement_id == Agreement.id,
                AgreementParty.organisation_id == organisation_id,
            )
        )
    if year := query.filters.get("year"):
        stmt = stmt.where(Agreement.signed_on.between(f"{year}-01-01", f"{year}-12-31"))
    stmt = stmt.order_by(
        *sort_clause(query.sort, SORTS | {"status": status_sql(today)}, "-signed_on"), Agreement.id.desc()
    )
    return paginate(session, stmt, query)


# What an agreement's own page shows with it: its parties (organisations and signatories), originals,
# signing event, parent and children.
SHOWN_WITH: tuple[ORMOption, ...] = (
    selectinload(Agreement.parties).joinedload(AgreementParty.organisation),
    selectinload(Agreement.parties).joinedload(AgreementParty.signatory),
    selectinload(Agreement.documents),
    selectinload(Agreement.signing_event),
    selectinload(Agreement.parent),
    selectinload(Agreement.children),
)


def get_agreement(
    session: Session, principal: Principal, agreement_id: int, options: Sequence[ORMOption] = ()
) -> Agreement:
    """One agreement the principal may read (others look absent, so their existence is not leaked),
    with what ``options`` load (``SHOWN_WITH`` for its page)."""
    require_signed_in(principal)
    agreement = records.get_or_404(session, Agreement, agreement_id, options)
    if not can_read_agreement(principal, agreement):
        raise NotFound(_("No such record."))
    return agreement


def _validate(session: Session, principal: Principal, data: AgreementIn, agreement_id: int | None) -> None:
    require_one_language(data, "title")
    errors: list[FieldError] = []
    seen: set[int] = set()
    for index, party in enumerate(data.parties):
        field = f"parties.{index}.organisation_id"
        if party.organisation_id in seen:
            errors.append(FieldError(field, _("This organisation is already a party.")))
        seen.add(party.organisation_id)
        records.require_exists(session, Organisation, party.organisation_id, field, errors)
        records.require_exists(session, Person, party.signatory_id, f"parties.{index}.signatory_id", errors)
    records.require_exists(session, SigningEvent, data.signing_event_id, "signing_event_id", errors)
    records.reference(session, principal, Agreement, data.parent_id, "parent_id", errors)
    if agreement_id is not None and data.parent_id is not None:
        ancestor: int | None = data.parent_id
        while ancestor is not None:
            if ancestor == agreement_id:
                errors.append(FieldError("parent_id", _("An agreement cannot be its own parent.")))
                break
            ancestor = session.scalar(select(Agreement.parent_id).where(Agreement.id == ancestor))
    start = data.effective_from or data.signed_on
    if start and data.expires_on and data.expires_on < start:
        errors.append(FieldError("expires_on", _("The end date is before the start of the agreement.")))
    if data.signed_on and data.effective_from and data.effective_from < data.signed_on:
        errors.append(
            FieldError("effective_from", _("The agreement cannot take effect before it is signed."))
        )
    records.raise_if(errors)


def _set_parties(session: Session, agreement: Agreement, data: AgreementIn) -> None:
    # Flush the removals first: the unit of work inserts before it deletes, which would
    # trip the unique (agreement, position) constraint when the list is replaced.
    agreement.parties.clear()
    session.flush()
    for position, party in enumerate(data.parties):
        agreement.parties.append(
            AgreementParty(
                organisation_id=party.organisation_id, signatory_id=party.signatory_id, position=position
            )
        )


def _snapshot(agreement: Agreement) -> dict[str, object]:
    state = audit.snapshot(agreement)
    state["parties"] = [[p.organisation_id, p.signatory_id] for p in agreement.parties]
    return state


def _fields(data: AgreementIn) -> Mapping[str, object]:
    return data.model_dump(exclude={"parties"})


def create_agreement(session: Session, principal: Principal, data: AgreementIn) -> Agreement:
    """Register an agreement with its parties in order."""
    require(
        can_create_agreement_for(principal, (p.organisation_id for p in data.parties)),
        _("You can only register agreements to which an organisation you coordinate is a party."),
    )
    _validate(session, principal, data, None)
    agreement = Agreement(**_fields(data))
    _follow_dates(agreement, clock.today())
    session.add(agreement)
    _set_parties(session, agreement, data)
    session.flush()
    audit.record(session, principal, "create", agreement, after=_snapshot(agreement))
    return agreement


def update_agreement(
    session: Session, principal: Principal, agreement_id: int, data: AgreementIn, version: int | None
) -> Agreement:
    """Change an agreement's fields and parties."""
    agreement = get_agreement(session, principal, agreement_id)
    require(can_edit_agreement(principal, agreement))
    records.check_version(agreement, version)
    require(
        can_create_agreement_for(principal, (p.organisation_id for p in data.parties)),
        _("You can only register agreements to which an organisation you coordinate is a party."),
    )
    _validate(session, principal, data, agreement_id)
    before = _snapshot(agreement)
    records.apply(agreement, _fields(data))
    _follow_dates(agreement, clock.today())
    if [(p.organisation_id, p.signatory_id) for p in agreement.parties] != [
        (p.organisation_id, p.signatory_id) for p in data.parties
    ]:
        _set_parties(session, agreement, data)
        session.flush()
    return records.saved_edit(session, principal, agreement, before, _snapshot)


def archive_agreement(
    session: Session, principal: Principal, agreement_id: int, version: int | None, *, restore: bool = False
) -> Agreement:
    """Archive (or restore) an agreement."""
    agreement = get_agreement(session, principal, agreement_id)
    require(can_edit_agreement(principal, agreement))
    return records.set_archived(session, principal, agreement, version, restore=restore)


def attach_document(
    session: Session,
    principal: Principal,
    agreement_id: int,
    *,
    files_dir: Path,
    filename: str | None,
    content_type: str | None,
    data: bytes,
    limit: int,
) -> SignedDocument:
    """Store a signed original unchanged, with its SHA-256, and attach it."""
    agreement = get_agreement(session, principal, agreement_id)
    require(can_edit_agreement(principal, agreement))
    files.check_size(data, limit)
    digest = files.store(files_dir, data)
    document = SignedDocument(
        agreement_id=agreement.id,
        filename=files.safe_filename(filename),
        content_type=(content_type or "application/octet-stream")[:100],
        size=len(data),
        sha256=digest,
        uploaded_by_id=principal.user_id,
    )
    session.add(document)
    audit.record(session, principal, "attach", document)
    return document


def get_document(session: Session, principal: Principal, document_id: int) -> SignedDocument:
    """A document of an agreement the principal may read."""
    document = records.get_or_404(session, SignedDocument, document_id)
    get_agreement(session, principal, document.agreement_id)
    return document


def choices(session: Session, principal: Principal) -> list[Agreement]:
    """Agreements the principal may read, for pick lists."""
    stmt = (
        select(Agreement)
        .where(Agreement.archived_at.is_(None), agreement_visibility(principal))
        .order_by(Agreement.signed_on.desc())
    )
    return list(session.scalars(stmt))
