"""Reviewing and confirming an onboarding batch: decisions per item, then one transaction per agreement.

Each item carries a ``decision`` — what the reviewer wants done with it — proposed from what was
found (a new agreement; a new text version of agreement N for a revised copy; the original attached
to agreement N for the same text in another format; nothing for the same file twice) and corrected
on the review page or through the API. Confirming runs the background job ``onboard.confirm``: each
item in its own transaction creates the new organisations it needs, the agreement with its parties in
order, stores the original, imports the text and proposes its commitments for the usual review. An
item that fails is left for correction with its message; the others go on.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.i18n import N_
from accord.i18n import gettext as _
from accord.models import (
    AgreementKind,
    BatchState,
    ImportBatch,
    ImportItem,
    ItemState,
    Job,
    Organisation,
    OrganisationAlias,
    OrgKind,
    Person,
    Role,
    User,
)
from accord.schemas.registry import AgreementIn, OrganisationIn, PartyIn
from accord.services import agreements, audit, files, intake, jobs, records
from accord.services.errors import FieldError, ServiceError, ValidationFailed
from accord.services.onboarding import get_batch, reading_options, stored_reading
from accord.services.permissions import Principal, principal_for, require

CONFIRM = "onboard.confirm"
ACTIONS = ("create", "version", "attach", "skip", "link")
#: Reasons for which a confirmed match teaches the registry the name as written.
_LEARNED = {"similar", "translation", "abbreviation"}


def _is_zh(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text or ""))


def _party_decision(party: dict[str, Any]) -> dict[str, Any]:
    decision = _organisation_decision(party)
    if party.get("signatory"):
        decision["signatory"] = party["signatory"]
    return decision


def _organisation_decision(party: dict[str, Any]) -> dict[str, Any]:
    if party.get("organisation_id") and party.get("confidence", 0) >= 0.85:
        return {"organisation_id": party["organisation_id"]}
    if party.get("reason") in ("new", "new_unit") and party.get("name"):
        return {
            "new_name": party["name"],
            "new_kind": party.get("new_kind") or "other",
            "new_parent_id": party.get("new_parent_id"),
        }
    # Ambiguous or unsure: a person chooses (the name as written, else the label, says which party it is).
    return (
        _unchosen(party)
        if not party.get("organisation_id")
        else {
            "organisation_id": party["organisation_id"],
            "name": _written(party),
        }
    )


def _unchosen(party: dict[str, Any]) -> dict[str, Any]:
    """A party no organisation is chosen for yet; ``blank`` when the text writes no name for it."""
    decision: dict[str, Any] = {"organisation_id": None, "name": _written(party)}
    if party.get("reason") == "empty" or not re.search(r"[^\W_]", str(party.get("name") or "")):
        decision["blank"] = True
        decision["name"] = str(party.get("label") or decision["name"])  # "甲方", not "____区人民政府"
    return decision


def waits_for(item: ImportItem) -> list[tuple[str, dict[str, Any]]]:
    """What a read file waits for before it can be created: each party without an organisation (left
    blank by the text, or fitting several or none surely), or a missing second party. Empty when it is
    ready (or when it is not to be created)."""
    decision = item.decision or {}
    if item.state != ItemState.READ or item.source != "file" or decision.get("action") != "create":
        return []
    out: list[tuple[str, dict[str, Any]]] = []
    parties = decision.get("parties") or []
    for party in parties:
        if party.get("organisation_id") or party.get("new_name"):
            continue
        if party.get("blank"):
            out.append((BLANK_PARTY, {"name": party.get("name") or ""}))
        else:
            out.append((UNSURE_PARTY, {"name": party.get("name") or ""}))
    if len(parties) < 2:
        out.append((TOO_FEW_PARTIES, {}))
    return out


BLANK_PARTY = N_(
    "The text leaves the party “{name}” blank (a form to fill in): choose its organisation or propose a new one."
)
UNSURE_PARTY = N_(
    "No organisation is chosen for the party “{name}” (it fits several, or none surely); choose one or propose a new one."
)
TOO_FEW_PARTIES = N_("An agreement needs at least two parties; choose or propose the missing ones.")


def _written(party: dict[str, Any]) -> str:
    """How the text names a party: its name when it has one (not a form's blank), else its label."""
    name = str(party.get("name") or "")
    return name if re.search(r"[^\W_]", name) else str(party.get("label") or name)


def default_decisions(session: Session, batch: ImportBatch) -> None:
    """Propose a decision for every read item that has none yet (after analysis, or a re-read ledger)."""
    by_id = {i.id: i for i in batch.items}
    ledger_of: dict[int, ImportItem] = {
        i.linked_item_id: i for i in batch.items if i.source == "ledger" and i.linked_item_id
    }
    for item in batch.items:
        if item.state != ItemState.READ or item.decision:
            continue
        proposal = item.proposal
        if item.source == "ledger":
            item.decision = _ledger_decision(batch, item)
            continue
        duplicate = proposal.get("duplicate") or {}
        action = {"same_file": "skip", "same_text": "attach", "revised": "version"}.get(
            duplicate.get("kind", ""), "create"
        )
        decision: dict[str, Any] = {
            "action": action,
            "target_agreement_id": duplicate.get("agreement_id"),
            "target_item_id": duplicate.get("item_id"),
            "title": proposal.get("title")
            or re.sub(r"\.[A-Za-z0-9]+$", "", item.filename.rsplit("/", 1)[-1]),
            "kind": proposal.get("kind") or "other",
            "signed_on": proposal.get("signed_on"),
            "expires_on": proposal.get("expires_on"),
            "term": (proposal.get("term") or "")[:100] or None,
            "parent_id": proposal.get("parent_id"),
            "parent_item_id": proposal.get("parent_item_id"),
            "parties": [_party_decision(p) for p in proposal.get("parties", [])],
        }
        _importer_in_the_blank(batch, decision)
        row = ledger_of.get(item.id)
        if row is not None:  # the office's ledger fills what the text leaves open
            values = row.proposal.get("values", {})
            item.proposal = {
                **proposal,
                "ledger_row": row.row_no,
            }  # a new dict: JSON columns see assignment only
            for key in ("signed_on", "expires_on", "term"):
                if not decision.get(key) and values.get(key):
                    decision[key] = values[key]
            if not decision["parties"] and row.proposal.get("parties"):
                decision["parties"] = [{"organisation_id": batch.organisation_id}] + [
                    _party_decision(p) for p in row.proposal["parties"]
                ]
        item.decision = decision
    del by_id


def _importer_in_the_blank(batch: ImportBatch, decision: dict[str, Any]) -> None:
    """An office imports the agreements it signed: when the text names every party but one, whose line it
    leaves blank (甲方：＿＿), and the importing organisation is not among those named, the blank one
    is proposed to be the importing organisation (shown as such on the review page)."""
    parties = decision["parties"]
    blank = [n for n, p in enumerate(parties) if p.get("blank")]
    named = [p for p in parties if p.get("organisation_id") or p.get("new_name")]
    if (
        decision["action"] == "create"
        and len(blank) == 1
        and len(named) == len(parties) - 1 >= 1
        and all(
            batch.organisation_id not in (p.get("organisation_id"), p.get("new_parent_id")) for p in named
        )
    ):
        parties[blank[0]] = {
            "organisation_id": batch.organisation_id,
            "importer": True,
            "name": parties[blank[0]].get("name"),
        }


def _ledger_decision(batch: ImportBatch, item: ImportItem) -> dict[str, Any]:
    values = item.proposal.get("values", {})
    if item.linked_item_id:
        return {"action": "link"}
    if item.proposal.get("agreement_id"):
        return {"action": "skip", "target_agreement_id": item.proposal["agreement_id"]}
    return {
        "action": "create",
        "title": values.get("title"),
        "kind": "other",
        "signed_on": values.get("signed_on"),
        "expires_on": values.get("expires_on"),
        "term": (values.get("term") or "")[:100] or None,
        "parent_id": None,
        "parties": [{"organisation_id": batch.organisation_id}]
        + [_party_decision(p) for p in item.proposal.get("parties", [])],
    }


# Decisions from the review page or the API -------------------------------------------------------


def _date_field(value: Any, field: str, errors: list[FieldError]) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        errors.append(FieldError(field, _("Write the date as YYYY-MM-DD.")))
        return None


def update_decision(
    session: Session, principal: Principal, batch_id: int, item_id: int, data: dict[str, Any]
) -> ImportItem:
    """Correct one item's decision; checks every field and names the wrong ones."""
    batch = _editable(session, principal, batch_id)
    item = next((i for i in batch.items if i.id == item_id), None)
    if item is None:
        raise ValidationFailed(
            _("No such item in this import."), [FieldError("item", _("No such item in this import."))]
        )
    if item.state != ItemState.READ:
        raise ValidationFailed(
            _("Only files that were read and are not created yet can be changed."),
            [FieldError("item", _("Only files that were read and are not created yet can be changed."))],
        )
    prefix = f"items.{item.id}"
    errors: list[FieldError] = []
    decision = dict(item.decision)
    action = str(data.get("action", decision.get("action", "create")))
    if action not in ACTIONS:
        errors.append(FieldError(f"{prefix}.action", _("Is not valid.")))
    decision["action"] = action
    if "title" in data:
        title = str(data.get("title") or "").strip()
        if action == "create" and not title:
            errors.append(FieldError(f"{prefix}.title", _("A title is required.")))
        decision["title"] = title[:300]
    if "kind" in data:
        kind = str(data.get("kind") or "other")
        if kind not in {k.value for k in AgreementKind}:
            errors.append(FieldError(f"{prefix}.kind", _("Is not valid.")))
        decision["kind"] = kind
    for key in ("signed_on", "expires_on"):
        if key in data:
            decision[key] = _date_field(data.get(key), f"{prefix}.{key}", errors)
    if "term" in data:
        decision["term"] = (str(data.get("term") or "").strip() or None) and str(data["term"]).strip()[:100]
    parent = str(data.get("parent_id") or "")
    if parent.isdigit() or parent == "none":
        # A parent chosen by hand (or none) replaces the main agreement found in the batch; left blank,
        # the one found stays.
        decision["parent_item_id"] = None
    for key in ("parent_id", "target_agreement_id"):
        if key in data:
            raw = str(data.get(key) or "")
            decision[key] = int(raw) if raw.isdigit() else None
    if action in ("version", "attach") and not (
        decision.get("target_agreement_id") or decision.get("target_item_id")
    ):
        errors.append(
            FieldError(f"{prefix}.target_agreement_id", _("Choose the agreement this file belongs to."))
        )
    if "parties" in data:
        parties = []
        found = item.proposal.get("parties", [])
        for n, party in enumerate(data.get("parties") or []):
            choice = str(party.get("choice", ""))
            signer = (found[n] if n < len(found) else {}).get("signatory")
            if choice == "new":
                name = str(party.get("new_name") or "").strip()
                kind = str(party.get("new_kind") or "other")
                if not name:
                    errors.append(
                        FieldError(f"{prefix}.parties.{n}.new_name", _("Write the new organisation's name."))
                    )
                if kind not in {k.value for k in OrgKind}:
                    errors.append(FieldError(f"{prefix}.parties.{n}.new_kind", _("Is not valid.")))
                parent = str(party.get("new_parent_id") or "")
                parties.append(
                    {
                        "new_name": name[:200],
                        "new_kind": kind,
                        "new_parent_id": int(parent) if parent.isdigit() else None,
                    }
                )
            elif choice.isdigit():
                records.require_exists(
                    session, Organisation, int(choice), f"{prefix}.parties.{n}.choice", errors
                )
                parties.append({"organisation_id": int(choice)})
            elif choice == "?":  # not chosen yet: confirming this item names the party
                parties.append(_unchosen(found[n] if n < len(found) else {}))
            elif choice == "":
                continue  # a party left out
            else:
                errors.append(FieldError(f"{prefix}.parties.{n}.choice", _("Is not valid.")))
                continue
            if signer:
                parties[-1]["signatory"] = signer
        decision["parties"] = parties
    records.raise_if(errors)
    before = audit.snapshot(item)
    item.decision = decision
    item.error, item.error_args = None, {}
    audit.record(session, principal, "update", item, before=before)
    return item


def _editable(session: Session, principal: Principal, batch_id: int) -> ImportBatch:
    batch = get_batch(session, principal, batch_id)
    require(principal.has_role(batch.organisation_id, Role.COORDINATOR))
    if batch.state not in (BatchState.REVIEW,):
        raise ServiceError(_("This import cannot be changed now (it is {state}).", state=batch.state.value))
    return batch


def confirm(session: Session, principal: Principal, batch_id: int) -> Job:
    """Queue the creation of every decided item (one transaction each)."""
    batch = _editable(session, principal, batch_id)
    todo = [
        i
        for i in batch.items
        if i.state == ItemState.READ and i.decision.get("action") not in ("skip", "link")
    ]
    batch.state = BatchState.CONFIRMING
    job = jobs.submit(
        session,
        principal,
        CONFIRM,
        {"batch_id": batch.id},
        organisation_id=batch.organisation_id,
        total=len(todo),
    )
    batch.job_id = job.id
    audit.record(session, principal, "confirm", batch)
    return job


def cancel(session: Session, principal: Principal, batch_id: int) -> ImportBatch:
    """Stop a batch: its running job stops at the next file; nothing more is created."""
    batch = get_batch(session, principal, batch_id)
    require(principal.has_role(batch.organisation_id, Role.COORDINATOR))
    if batch.state in (BatchState.DONE, BatchState.CANCELLED):
        raise ServiceError(_("This import has already ended."))
    if batch.job_id is not None:
        job = records.find(session, Job, batch.job_id)
        if job is not None and job.active:
            jobs.request_cancel(session, principal, job.id)
    before = audit.snapshot(batch)
    batch.state = BatchState.CANCELLED
    audit.record(session, principal, "cancel", batch, before=before)
    return batch


# Creating ------------------------------------------------------------------------------------------


def _organisation_for(
    session: Session, principal: Principal, party: dict[str, Any], created: dict[str, int]
) -> int:
    if party.get("organisation_id"):
        return int(party["organisation_id"])
    name = str(party.get("new_name") or "").strip()
    if not name:
        written = str(party.get("name") or "").strip()
        message = (
            _(BLANK_PARTY, name=written)
            if written and party.get("blank")
            else _(UNSURE_PARTY, name=written)
            if written
            else _("A party has no organisation chosen; choose one or propose a new one.")
        )
        raise ValidationFailed(message, [FieldError("parties", message)])
    if name in created:
        return created[name]
    column = Organisation.name_zh if _is_zh(name) else Organisation.name_en
    existing = session.scalar(select(Organisation.id).where(column == name))
    if existing is not None:
        created[name] = existing
        return existing
    parent_id = party.get("new_parent_id")
    data = OrganisationIn(
        name_zh=name if _is_zh(name) else None,
        name_en=None if _is_zh(name) else name,
        kind=OrgKind(party.get("new_kind") or "other"),
        parent_id=parent_id,
    )
    # Whoever may register agreements may register the partners those agreements name.
    organisation = Organisation(**data.model_dump())
    records.raise_if(_org_errors(session, data))
    session.add(organisation)
    audit.record(session, principal, "create", organisation)
    created[name] = organisation.id
    return organisation.id


def _org_errors(session: Session, data: OrganisationIn) -> list[FieldError]:
    errors: list[FieldError] = []
    records.unique_text(session, Organisation, ("name_zh", "name_en"), data.model_dump(), None, errors)
    records.require_exists(session, Organisation, data.parent_id, "parent_id", errors)
    return errors


def _person_named(session: Session, organisation_id: int, name: Any) -> int | None:
    """The registry's person of the organisation (or of one of its units) who signed under ``name``."""
    written = str(name or "").strip()
    if not written:
        return None
    units = select(Organisation.id).where(Organisation.parent_id == organisation_id)
    return session.scalar(
        select(Person.id)
        .where(
            (Person.organisation_id == organisation_id) | Person.organisation_id.in_(units),
            (Person.name_zh == written) | (func.lower(Person.name_en) == written.lower()),
            Person.archived_at.is_(None),
        )
        .order_by(Person.organisation_id != organisation_id, Person.id)
        .limit(1)
    )


def _learn_aliases(session: Session, item: ImportItem, org_ids: list[int]) -> None:
    """A name an agreement used for a known organisation is remembered, so the next import finds it at once."""
    for party, org_id in zip(item.proposal.get("parties", []), org_ids, strict=False):
        name = (party.get("name") or "").strip()
        if not name or party.get("organisation_id") != org_id or party.get("reason") not in _LEARNED:
            continue
        org = records.find(session, Organisation, org_id)
        if org is None or name in (org.name_zh, org.name_en, org.short_name_zh, org.short_name_en):
            continue
        if (
            session.scalar(
                select(OrganisationAlias.id).where(
                    OrganisationAlias.organisation_id == org_id, OrganisationAlias.name == name[:200]
                )
            )
            is None
        ):
            session.add(OrganisationAlias(organisation_id=org_id, name=name[:200]))


def _create_one(
    session: Session,
    principal: Principal,
    batch: ImportBatch,
    item: ImportItem,
    settings: Any,
    created: dict[str, int],
) -> int:
    decision = item.decision
    action = decision.get("action")
    data = (
        files.path_for(settings.files_dir, item.sha256).read_bytes()
        if item.source == "file" and item.sha256
        else None
    )
    # What the analysis read from the file, so that it is not read again.
    read = (
        stored_reading(settings.files_dir, item.proposal.get("reading_sha256"), item.sha256)
        if data is not None
        else None
    )
    target = decision.get("target_agreement_id")
    if not target and decision.get("target_item_id"):
        other = records.find(session, ImportItem, decision["target_item_id"])
        target = other.agreement_id if other is not None else None
        if target is None:
            action = "create"  # the copy it repeats was not created: this one stands alone
    if action in ("version", "attach") and target:
        if action == "version" and data is not None:
            intake.import_text(
                session,
                principal,
                int(target),
                data=data,
                filename=item.filename.rsplit("/", 1)[-1],
                content_type=None,
                files_dir=settings.files_dir,
                limit=settings.upload_max_bytes,
                read=read,
                options=reading_options(settings),
            )
        elif data is not None:
            agreements.attach_document(
                session,
                principal,
                int(target),
                files_dir=settings.files_dir,
                filename=item.filename.rsplit("/", 1)[-1],
                content_type=None,
                data=data,
                limit=settings.upload_max_bytes,
            )
        return int(target)
    org_ids: list[int] = []
    signed_by: dict[int, int] = {}
    known = len(created)
    for party in decision.get("parties", []):
        org_id = _organisation_for(session, principal, party, created)
        if org_id not in org_ids:
            org_ids.append(org_id)
            person = _person_named(session, org_id, party.get("signatory"))
            if person is not None:
                signed_by[org_id] = person
    if len(created) > known and principal.user_id is not None:
        # Roles reach the units below an organisation: a unit created just now counts too.
        user = records.find(session, User, principal.user_id)
        if user is not None:
            session.flush()
            principal = principal_for(session, user)
    parent_id = decision.get("parent_id")
    if not parent_id and decision.get("parent_item_id"):
        parent_item = records.find(session, ImportItem, decision["parent_item_id"])
        parent_id = parent_item.agreement_id if parent_item is not None else None
    title = str(decision.get("title") or "").strip()
    zh = _is_zh(title) or item.proposal.get("lang") == "zh"
    term = decision.get("term")
    record = (
        AgreementIn(
            title_zh=title if zh else None,
            title_en=None if zh else title,
            kind=AgreementKind(decision.get("kind") or "other"),
            signed_on=decision.get("signed_on"),
            expires_on=decision.get("expires_on"),
            term_zh=term if zh else None,
            term_en=None if zh else term,
            parent_id=parent_id,
            parties=[PartyIn(organisation_id=o, signatory_id=signed_by.get(o)) for o in org_ids],
        )
        if len(org_ids) >= 2
        else None
    )
    if record is None:
        raise ValidationFailed(
            _("An agreement needs at least two parties; choose or propose the missing ones."),
            [
                FieldError(
                    "parties",
                    _("An agreement needs at least two parties; choose or propose the missing ones."),
                )
            ],
        )
    agreement = agreements.create_agreement(session, principal, record)
    if data is not None:
        intake.import_text(
            session,
            principal,
            agreement.id,
            data=data,
            filename=item.filename.rsplit("/", 1)[-1],
            content_type=None,
            files_dir=settings.files_dir,
            limit=settings.upload_max_bytes,
            read=read,
            options=reading_options(settings),
        )
    _learn_aliases(session, item, org_ids)
    return agreement.id


@jobs.handler(CONFIRM, N_("Creating the imported agreements"))
def confirm_batch(run: jobs.JobRun) -> dict[str, Any]:
    """Create each decided item in its own transaction; a failure is recorded on the item, the others go on."""
    batch_id = int(run.params["batch_id"])
    with run.factory() as session:
        batch = records.find(session, ImportBatch, batch_id)
        assert batch is not None
        todo = [
            i.id
            # Main agreements before their supplements, files before ledger rows.
            for i in sorted(
                batch.items,
                key=lambda i: (i.source != "file", bool(i.decision.get("parent_item_id")), i.position),
            )
            if i.state == ItemState.READ and i.decision.get("action") not in ("skip", "link")
        ]
    total, done, failed = len(todo), 0, 0
    created_orgs: dict[str, int] = {}
    for item_id in todo:
        run.progress(done, total, N_("Creating agreement {n} of {total}."), n=done + 1, total=total)
        with run.factory() as session:
            principal = run.principal(session)
            item = records.find(session, ImportItem, item_id)
            assert item is not None
            batch = item.batch
            if item.state != ItemState.READ:  # created by an earlier run of this job
                done += 1
                continue
            try:
                agreement_id = _create_one(session, principal, batch, item, run.settings, created_orgs)
            except ServiceError as error:
                session.rollback()
                created_orgs.clear()  # names created in the rolled-back transaction are gone
                item = records.find(session, ImportItem, item_id)
                assert item is not None
                detail = " ".join(
                    [error.message, *(e.message for e in error.errors if e.message != error.message)]
                )
                item.error, item.error_args = N_("Not created: {detail}"), {"detail": detail[:400]}
                failed += 1
            else:
                item.state, item.agreement_id = ItemState.CREATED, agreement_id
                item.error, item.error_args = None, {}
            session.commit()
        done += 1
    with run.factory() as session:
        batch = records.find(session, ImportBatch, batch_id)
        assert batch is not None
        for item in batch.items:
            if item.state == ItemState.READ and item.decision.get("action") in ("skip", "link"):
                item.state = ItemState.SKIPPED
                if item.source == "ledger" and item.linked_item_id:
                    linked = records.find(session, ImportItem, item.linked_item_id)
                    item.agreement_id = linked.agreement_id if linked is not None else None
        batch.state = BatchState.REVIEW if failed else BatchState.DONE
        session.commit()
    run.progress(
        total,
        total,
        N_("{created} agreements created, {failed} left to correct."),
        created=total - failed,
        failed=failed,
    )
    return {"url": f"/imports/{batch_id}", "created": total - failed, "failed": failed}
