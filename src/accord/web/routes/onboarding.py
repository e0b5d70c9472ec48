"""Importing many agreements at once: upload, watch the reading, review the batch, confirm."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from accord.i18n import N_, gettext, localized
from accord.labels import AGREEMENT_KIND_LABELS, ORG_KIND_LABELS, options
from accord.models import Agreement, BatchState, ImportBatch, ItemState, Job, Organisation, Role
from accord.services import agreements, onboarding, onboarding_confirm, records
from accord.services.errors import ServiceError, ValidationFailed
from accord.web.deps import PrincipalDep, SessionDep, SettingsDep
from accord.web.forms import FormDep, errors_by_field
from accord.web.render import flash, render
from accord.web.routes.jobs import REFRESH_SECONDS, dispatch, job_context
from accord.web.saving import save_or_flash, save_or_rerender

router = APIRouter(prefix="/imports")
PAGE = 50

REASONS = {
    "exact": N_("same name as in the registry"),
    "alias": N_("a former name or other name in the registry"),
    "short_name": N_("the short name in the registry"),
    "abbreviation": N_("an abbreviation of the registry's name"),
    "translation": N_("the registry's name in the other language"),
    "similar": N_("a similar name in the registry"),
    "ambiguous": N_("fits several organisations equally: choose one"),
    "new": N_("not in the registry: a new organisation is proposed"),
    "new_unit": N_("not in the registry: a new unit of {parent} is proposed"),
    "empty": N_("no name is written for this party"),
}
DUPLICATES = {
    "same_file": N_("The same file as {other}."),
    "same_text": N_("The same text as {other} in another format."),
    "revised": N_("A revised version of {other} ({percent}% alike)."),
}
ACTION_LABELS = {
    "create": N_("Create a new agreement"),
    "version": N_("Import as a new version of the agreement"),
    "attach": N_("Attach the file to the agreement"),
    "skip": N_("Do not import"),
    "link": N_("Linked to its file"),
}
BATCH_STATES = {
    "analysing": N_("Reading the files"),
    "review": N_("Ready for review"),
    "confirming": N_("Creating the agreements"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
}
ITEM_STATES = {
    "pending": N_("Waiting"),
    "read": N_("Read"),
    "failed": N_("Could not be read"),
    "created": N_("Created"),
    "skipped": N_("Not imported"),
}
LEDGER_FIELDS = {
    "title": N_("Agreement title"),
    "partner": N_("Partner organisation"),
    "signed_on": N_("Signed on"),
    "term": N_("Term"),
    "expires_on": N_("Ends on"),
    "owner_unit": N_("Responsible unit"),
    "contact": N_("Contact person"),
    "kind": N_("Kind"),
    "file": N_("File name"),
    "note": N_("Note"),
}


def _owner_choices(session: SessionDep, principal: PrincipalDep) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Organisation.id, Organisation.name_zh, Organisation.name_en).where(
            Organisation.archived_at.is_(None)
        )
    )
    return [
        (row.id, localized(row, "name"))
        for row in rows
        if principal.is_admin or principal.has_role(row.id, Role.COORDINATOR)
    ]


@router.get("")
def batch_list(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    batches = onboarding.list_batches(session, principal)
    return render(
        request,
        "onboarding/list.html",
        {
            "batches": batches,
            "can_import": principal.coordinates_any,
            "state_label": lambda s: gettext(BATCH_STATES[s]),
        },
    )


@router.get("/new")
def new_form(
    request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    return _new_form(request, session, principal, settings, {}, {})


def _new_form(request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep,
              values: dict[str, Any], errors: dict[str, str], status: int = 200) -> Response:  # fmt: skip
    return render(
        request,
        "onboarding/new.html",
        {
            "owners": _owner_choices(session, principal),
            "values": values,
            "errors": errors,
            "max_files": onboarding.MAX_FILES,
            "max_mb": round(settings.upload_max_bytes / 1048576, 1),
        },
        status=status,
    )


def _uploads(form: FormData, name: str, limit: int) -> list[onboarding.Upload]:
    out = []
    for value in form.getlist(name):
        if isinstance(value, UploadFile) and value.filename:
            out.append(onboarding.Upload(value.filename, value.file.read(limit + 1)))
    return out


@router.post("")
def create(
    request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    raw_owner = str(form.get("organisation_id") or "")
    owner = int(raw_owner) if raw_owner.isdigit() and len(raw_owner) < 10 else None
    # A ZIP may be up to the ZIP limit; a single document up to the upload limit (checked per file).
    uploads = _uploads(form, "files", onboarding.MAX_ZIP_BYTES)
    ledgers = _uploads(form, "ledger", settings.upload_max_bytes)
    return save_or_rerender(
        request,
        session,
        lambda: onboarding.create_batch(
            session,
            principal,
            owner,
            uploads,
            ledger_upload=ledgers[0] if ledgers else None,
            files_dir=settings.files_dir,
            max_bytes=settings.upload_max_bytes,
        ),
        lambda e: _new_form(
            request, session, principal, settings, {"organisation_id": raw_owner}, errors_by_field(e), 422
        ),
        lambda made: gettext("{n} files uploaded; they are being read.", n=len(made[0].items)),
        lambda made: f"/imports/{made[0].id}",
        after_commit=lambda made: dispatch(request, made[1].id),
    )


def _other_text(item: Any, names: dict[int, str], agreement_titles: dict[int, str]) -> str:
    duplicate = item.proposal.get("duplicate") or {}
    if duplicate.get("agreement_id"):
        number = duplicate["agreement_id"]
        return gettext("agreement {n} ({title})", n=number, title=agreement_titles.get(number, "—"))
    if duplicate.get("item_id"):
        return gettext("file {name} of this import", name=names.get(duplicate["item_id"], "?"))
    return "—"


def _context(session: SessionDep, batch: ImportBatch, page: int) -> dict[str, Any]:
    files_ = [i for i in batch.items if i.source == "file"]
    rows = [i for i in batch.items if i.source == "ledger"]
    shown = files_[(page - 1) * PAGE : page * PAGE]
    org_ids: set[int] = {batch.organisation_id}
    agreement_ids: set[int] = set()
    for item in batch.items:
        for party in item.proposal.get("parties", []):
            org_ids.update(c[0] for c in party.get("candidates", []))
            if party.get("new_parent_id"):
                org_ids.add(party["new_parent_id"])
        for party in item.decision.get("parties", []):
            if party.get("organisation_id"):
                org_ids.add(party["organisation_id"])
        duplicate = item.proposal.get("duplicate") or {}
        for value in (
            duplicate.get("agreement_id"),
            item.decision.get("target_agreement_id"),
            item.agreement_id,
            item.proposal.get("agreement_id"),
        ):
            if value:
                agreement_ids.add(int(value))
    org_names = {
        row.id: localized(row, "name")
        for row in session.execute(
            select(Organisation.id, Organisation.name_zh, Organisation.name_en).where(
                Organisation.id.in_(org_ids)
            )
        )
    }
    titles = {
        row.id: localized(row, "title")
        for row in session.execute(
            select(Agreement.id, Agreement.title_zh, Agreement.title_en).where(
                Agreement.id.in_(agreement_ids)
            )
        )
    }
    job = records.find(session, Job, batch.job_id) if batch.job_id else None
    names = {i.id: i.filename for i in batch.items}
    counts = {state.value: 0 for state in ItemState}
    for item in files_:
        counts[item.state.value] += 1
    return {
        "batch": batch,
        "owner": records.find(session, Organisation, batch.organisation_id),
        "files": shown,
        "ledger_rows": rows,
        "page": page,
        "pages": max(1, -(-len(files_) // PAGE)),
        "counts": counts,
        "job": job,
        "refresh": REFRESH_SECONDS if job is not None and job.active else None,
        "org_names": org_names,
        "titles": titles,
        "other_text": lambda item: _other_text(item, names, titles),
        "reasons": REASONS,
        "duplicates": DUPLICATES,
        "actions": ACTION_LABELS,
        "kinds": options(AGREEMENT_KIND_LABELS),
        "org_kinds": options(ORG_KIND_LABELS),
        "ledger_fields": LEDGER_FIELDS,
        "state_label": lambda s: gettext(BATCH_STATES[s]),
        "item_state": lambda s: gettext(ITEM_STATES[s]),
        "item_error": lambda item: gettext(item.error, **item.error_args) if item.error else "",
        "waits": lambda item: [gettext(text, **args) for text, args in onboarding_confirm.waits_for(item)],
        **job_context(),
    }


@router.get("/{batch_id}")
def batch_page(
    batch_id: int, request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    batch = onboarding.get_batch(session, principal, batch_id)
    raw = request.query_params.get("page", "1")
    page = int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1
    context = _context(session, batch, page)
    context["preview"] = (
        onboarding.ledger_preview(batch, settings.files_dir) if batch.state == BatchState.REVIEW else []
    )
    context["errors"] = request.session.pop("import_errors", {}) if "import_errors" in request.session else {}
    context["parents"] = [(a.id, localized(a, "title")) for a in agreements.choices(session, principal)]
    return render(request, "onboarding/batch.html", context)


def parse_decisions(form: FormData) -> dict[int, dict[str, Any]]:
    """``items.<id>.<field>`` and ``items.<id>.parties.<n>.<field>`` form fields, per item."""
    out: dict[int, dict[str, Any]] = {}
    for key, value in form.multi_items():
        if not isinstance(value, str):
            continue
        parts = key.split(".")
        if len(parts) < 3 or parts[0] != "items" or not parts[1].isdigit() or len(parts[1]) > 9:
            continue
        item = out.setdefault(int(parts[1]), {})
        if len(parts) == 3:
            item[parts[2]] = value
        elif len(parts) == 5 and parts[2] == "parties" and parts[3].isdigit() and int(parts[3]) < 30:
            parties = item.setdefault("_parties", {})
            parties.setdefault(int(parts[3]), {})[parts[4]] = value
    for item in out.values():
        if "_parties" in item:
            item["parties"] = [row for _n, row in sorted(item.pop("_parties").items())]
    return out


@router.post("/{batch_id}/review")
def save_review(
    batch_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    decisions = parse_decisions(form)
    errors: dict[str, str] = {}
    for item_id, data in decisions.items():
        try:
            onboarding_confirm.update_decision(session, principal, batch_id, item_id, data)
        except ValidationFailed as error:
            errors.update(errors_by_field(error))
    if errors:
        session.rollback()
        request.session["import_errors"] = errors
        flash(request, gettext("Nothing was saved: please correct the highlighted fields."), "error")
        return RedirectResponse(f"/imports/{batch_id}", status_code=303)
    if form.get("confirm") == "1":
        try:
            job = onboarding_confirm.confirm(session, principal, batch_id)
        except ServiceError as error:
            session.rollback()
            flash(request, error.message, "error")
            return RedirectResponse(f"/imports/{batch_id}", status_code=303)
        session.commit()
        dispatch(request, job.id)
        flash(request, gettext("The agreements are being created."))
        return RedirectResponse(f"/imports/{batch_id}", status_code=303)
    session.commit()
    flash(request, gettext("Your corrections are saved."))
    page = str(form.get("page") or "1")
    return RedirectResponse(f"/imports/{batch_id}?page={page if page.isdigit() else 1}", status_code=303)


@router.post("/{batch_id}/ledger")
def save_mapping(
    batch_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    mapping: dict[str, int] = {}
    for field in LEDGER_FIELDS:
        raw = str(form.get(f"map.{field}") or "")
        if raw.isdigit() and int(raw) < 100:
            mapping[field] = int(raw)
    return save_or_flash(
        request,
        session,
        lambda: onboarding.remap_ledger(session, principal, batch_id, mapping, settings.files_dir),
        message=gettext(
            "The ledger was read again with your column mapping; it will be used for ledgers with the same columns next time."
        ),
        target=f"/imports/{batch_id}#ledger",
        back=f"/imports/{batch_id}",
        catching=ServiceError,
    )


@router.post("/{batch_id}/cancel")
def cancel(batch_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    return save_or_flash(
        request,
        session,
        lambda: onboarding_confirm.cancel(session, principal, batch_id),
        message=gettext("The import was cancelled; nothing more will be created."),
        target=f"/imports/{batch_id}",
        catching=ServiceError,
    )
