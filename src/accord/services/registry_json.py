"""The registry as one JSON document, and back, losing nothing (ids, versions, archive dates)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from accord.i18n import gettext as _
from accord.models import (
    Agreement,
    AgreementParty,
    EventAttendee,
    Organisation,
    Person,
    SignedDocument,
    SigningEvent,
)
from accord.models.base import Base
from accord.schemas.registry import AgreementIn, OrganisationIn, PersonIn, SigningEventIn
from accord.services.audit import snapshot
from accord.services.errors import FieldError, ValidationFailed
from accord.services.validation import field_errors

FORMAT = "accord-registry"
FORMAT_VERSION = 1
# Table order respects foreign keys; each entry: key in the document, model, input schema, children.
SECTIONS: tuple[tuple[str, type[Base], type[BaseModel]], ...] = (
    ("organisations", Organisation, OrganisationIn),
    ("people", Person, PersonIn),
    ("events", SigningEvent, SigningEventIn),
    ("agreements", Agreement, AgreementIn),
)
META = ("id", "version", "created_at", "updated_at", "archived_at")


def _rows(session: Session, model: type[Base]) -> list[Any]:
    return list(session.scalars(select(model).order_by(model.id)))  # type: ignore[attr-defined]


def export_registry(session: Session) -> dict[str, Any]:
    """Every registry record with its metadata, in a stable order."""
    data: dict[str, Any] = {"format": FORMAT, "version": FORMAT_VERSION}
    data["organisations"] = [snapshot(o) for o in _rows(session, Organisation)]
    data["people"] = [snapshot(p) for p in _rows(session, Person)]
    data["events"] = []
    for event in _rows(session, SigningEvent):
        item = snapshot(event)
        item["attendees"] = [
            {"person_id": a.person_id, "role_zh": a.role_zh, "role_en": a.role_en} for a in event.attendees
        ]
        data["events"].append(item)
    data["agreements"] = []
    for agreement in _rows(session, Agreement):
        item = snapshot(agreement)
        item["parties"] = [
            {"organisation_id": p.organisation_id, "signatory_id": p.signatory_id} for p in agreement.parties
        ]
        item["documents"] = [
            {k: v for k, v in snapshot(d).items() if k not in {"agreement_id", "uploaded_by_id"}}
            for d in agreement.documents
        ]
        data["agreements"].append(item)
    return data


def _meta(item: dict[str, Any], where: str, errors: list[FieldError]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if not isinstance(item.get("id"), int) or item["id"] <= 0:
        errors.append(FieldError(f"{where}.id", _("Must be a whole number.")))
    meta["id"] = item.get("id")
    meta["version"] = item.get("version") if isinstance(item.get("version"), int) else 1
    for key in ("created_at", "updated_at", "archived_at"):
        raw = item.get(key)
        if raw is None:
            continue
        try:
            meta[key] = datetime.fromisoformat(raw)
        except (TypeError, ValueError):
            errors.append(FieldError(f"{where}.{key}", _("Must be a date written as YYYY-MM-DD.")))
    return {k: v for k, v in meta.items() if v is not None}


def import_registry(session: Session, data: Any) -> dict[str, int]:
    """Insert an export into an empty registry, all or nothing; errors name the JSON path."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationFailed(
            _("This is not an Accord registry export."), [FieldError("format", _("Is not valid."))]
        )
    if data.get("version") != FORMAT_VERSION:
        raise ValidationFailed(_("Unsupported export version."), [FieldError("version", _("Is not valid."))])
    if session.scalar(select(func.count()).select_from(Organisation)):
        raise ValidationFailed(
            _("The registry is not empty; import into a new database."),
            [FieldError("organisations", _("Is not valid."))],
        )
    errors: list[FieldError] = []
    counts: dict[str, int] = {}
    pending: list[Base] = []
    ids: dict[str, set[int]] = {key: set() for key, _m, _s in SECTIONS}
    for key, model, schema in SECTIONS:
        items = data.get(key, [])
        if not isinstance(items, list):
            errors.append(FieldError(key, _("Has the wrong type.")))
            continue
        counts[key] = len(items)
        for index, item in enumerate(items):
            where = f"{key}[{index}]"
            if not isinstance(item, dict):
                errors.append(FieldError(where, _("Has the wrong type.")))
                continue
            meta = _meta(item, where, errors)
            fields = {k: v for k, v in item.items() if k not in META and k != "documents"}
            try:
                parsed = schema.model_validate(fields)
            except ValidationError as exc:
                for error in field_errors(exc.errors(include_url=False)):
                    errors.append(FieldError(f"{where}.{error.field}", error.message))
                continue
            ids[key].add(meta.get("id", 0))
            pending.extend(_build(model, parsed, meta, item, where, errors))
    _check_references(data, ids, errors)
    if errors:
        raise ValidationFailed(_("The file has errors; nothing was imported."), errors)
    for obj in pending:
        session.add(obj)
        session.flush()
    _reset_sequences(session)
    return counts


def _build(
    model: type[Base],
    parsed: BaseModel,
    meta: dict[str, Any],
    item: dict[str, Any],
    where: str,
    errors: list[FieldError],
) -> list[Base]:
    values = parsed.model_dump(exclude={"attendees", "parties"})
    obj = model(**values, **meta)
    if isinstance(parsed, SigningEventIn) and isinstance(obj, SigningEvent):
        obj.attendees = [EventAttendee(position=i, **a.model_dump()) for i, a in enumerate(parsed.attendees)]
    if isinstance(parsed, AgreementIn) and isinstance(obj, Agreement):
        obj.parties = [AgreementParty(position=i, **p.model_dump()) for i, p in enumerate(parsed.parties)]
        for d_index, doc in enumerate(item.get("documents") or []):
            try:
                obj.documents.append(
                    SignedDocument(
                        id=int(doc["id"]),
                        filename=str(doc["filename"])[:255],
                        content_type=str(doc["content_type"])[:100],
                        size=int(doc["size"]),
                        sha256=str(doc["sha256"])[:64],
                        uploaded_at=datetime.fromisoformat(doc["uploaded_at"]),
                    )
                )
            except (KeyError, TypeError, ValueError):
                errors.append(FieldError(f"{where}.documents[{d_index}]", _("Is not valid.")))
    return [obj]


def _check_references(data: dict[str, Any], ids: dict[str, set[int]], errors: list[FieldError]) -> None:
    def check(value: Any, target: str, where: str) -> None:
        if value is not None and value not in ids[target]:
            errors.append(FieldError(where, _("No such record.")))

    for i, org in enumerate(data.get("organisations") or []):
        if isinstance(org, dict):
            check(org.get("parent_id"), "organisations", f"organisations[{i}].parent_id")
    for i, person in enumerate(data.get("people") or []):
        if isinstance(person, dict):
            check(person.get("organisation_id"), "organisations", f"people[{i}].organisation_id")
    for i, event in enumerate(data.get("events") or []):
        if isinstance(event, dict):
            check(event.get("organiser_id"), "organisations", f"events[{i}].organiser_id")
            for j, attendee in enumerate(event.get("attendees") or []):
                if isinstance(attendee, dict):
                    check(attendee.get("person_id"), "people", f"events[{i}].attendees[{j}].person_id")
    for i, agreement in enumerate(data.get("agreements") or []):
        if isinstance(agreement, dict):
            check(agreement.get("signing_event_id"), "events", f"agreements[{i}].signing_event_id")
            check(agreement.get("parent_id"), "agreements", f"agreements[{i}].parent_id")
            for j, party in enumerate(agreement.get("parties") or []):
                if isinstance(party, dict):
                    check(
                        party.get("organisation_id"),
                        "organisations",
                        f"agreements[{i}].parties[{j}].organisation_id",
                    )
                    check(party.get("signatory_id"), "people", f"agreements[{i}].parties[{j}].signatory_id")


def _reset_sequences(session: Session) -> None:
    # Rows came in with their ids; PostgreSQL's sequences must move past them.
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in (
        "organisation",
        "person",
        "signing_event",
        "agreement",
        "signed_document",
        "event_attendee",
        "agreement_party",
    ):
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


__all__ = ["export_registry", "import_registry"]
