"""Importing an agreement's text and reviewing the commitments proposed from it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from accord.i18n import current_language, gettext, ngettext
from accord.labels import RECURRENCE_LABELS, REVIEW_LABELS, options
from accord.models import Commitment, Job, Review
from accord.schemas.intake import CommitmentEdit, CommitmentNew
from accord.schemas.numbers import parse_id
from accord.services import agreements, intake
from accord.services.errors import ValidationFailed
from accord.services.intake import ImportReport
from accord.services.permissions import can_edit_agreement, require
from accord.services.validation import parse
from accord.web.deps import PrincipalDep, SessionDep, SettingsDep
from accord.web.forms import FormDep, errors_by_field, nest, read_form
from accord.web.render import flash, render
from accord.web.routes.jobs import dispatch
from accord.web.saving import Flash, save_or_flash, save_or_rerender, save_upload_or_flash

router = APIRouter()


def _ids(values: list[Any]) -> list[int]:
    return [n for n in (parse_id(v) for v in values) if n is not None]


@router.post("/agreements/{agreement_id}/text")
def import_text(
    agreement_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    def started(report: ImportReport | Job) -> None:
        if isinstance(report, Job):
            dispatch(request, report.id)  # once committed, so the worker finds the job

    def said(report: ImportReport | Job) -> Flash:
        if isinstance(report, Job):
            # A scan or a legacy file: read in the background; the job page shows the progress.
            return Flash(
                gettext(
                    "{file} is being read in the background (OCR or conversion); this page shows its progress.",
                    file=report.args.get("file", ""),
                )
            )
        message = gettext(
            "Version {version} imported: {clauses}, {proposed}, {kept}, {recheck}.",
            version=report.text.version_no,
            clauses=ngettext("{n} clause", "{n} clauses", report.clauses),
            proposed=ngettext("{n} new proposal", "{n} new proposals", report.proposed),
            kept=ngettext("{n} reviewed commitment kept", "{n} reviewed commitments kept", report.kept),
            recheck=ngettext("{n} to check again", "{n} to check again", report.recheck),
        )
        if report.fallback_paragraphs:
            message += " " + gettext("No numbered clauses were found, so the text was split into paragraphs.")
        return Flash(message, "warning" if report.warnings else "success")

    return save_upload_or_flash(
        request,
        session,
        form,
        settings.upload_max_bytes,
        lambda upload, data: intake.start_import(
            session,
            principal,
            agreement_id,
            data=data,
            filename=upload.filename,
            content_type=upload.content_type,
            settings=settings,
        ),
        message=said,
        target=lambda r: f"/jobs/{r.id}" if isinstance(r, Job) else f"/agreements/{agreement_id}/review",
        back=f"/agreements/{agreement_id}",
        after_commit=started,
    )


@router.get("/agreements/{agreement_id}/review")
def review_page(
    agreement_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    agreement = agreements.get_agreement(session, principal, agreement_id, agreements.SHOWN_WITH)
    text = intake.latest_text(session, agreement_id)
    state = request.query_params.get("review", "")
    review = Review(state) if state in {r.value for r in Review} else None
    commitments = intake.commitments_of(session, principal, agreement_id)
    shown = [c for c in commitments if review is None or c.review == review]
    return render(
        request,
        "intake/review.html",
        {
            "agreement": agreement,
            "text": text,
            "segments": intake.highlighted_segments(text, commitments) if text else [],
            "commitments": shown,
            "counts": intake.review_counts(session, agreement_id),
            "state": state,
            "can_edit": can_edit_agreement(principal, agreement),
            "party_label": lambda i: agreements.party_label(i, current_language()),
            "warning_message": intake.warning_message,
            "ocr": intake.ocr_summary(text) if text else None,
            "review_labels": REVIEW_LABELS,
            "recurrence_labels": RECURRENCE_LABELS,
            "recurrences": options(RECURRENCE_LABELS),
            "values": {},
            "errors": {},
        },
    )


@router.post("/agreements/{agreement_id}/commitments/bulk")
def bulk(
    agreement_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    ids = _ids(form.getlist("ids"))
    action = form.get("action")
    target = f"/agreements/{agreement_id}/review"
    if not ids:
        flash(request, gettext("Select at least one commitment."), "error")
        return RedirectResponse(target, status_code=303)
    if action == "merge":
        try:
            intake.merge_commitments(session, principal, ids)
        except ValidationFailed as error:
            flash(request, error.message, "error")
            return RedirectResponse(target, status_code=303)
        session.commit()
        flash(request, gettext("Commitments merged."))
        return RedirectResponse(target, status_code=303)
    if action not in {r.value for r in Review}:
        flash(request, gettext("Unknown action."), "error")
        return RedirectResponse(target, status_code=303)
    changed = intake.set_review(session, principal, ids, Review(str(action)))
    session.commit()
    flash(request, ngettext("{n} commitment updated.", "{n} commitments updated.", len(changed)))
    return RedirectResponse(target, status_code=303)


def _edit_form(
    request: Request,
    commitment: Commitment,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    agreement = commitment.agreement
    return render(
        request,
        "intake/edit.html",
        {
            "commitment": commitment,
            "agreement": agreement,
            "values": values,
            "errors": errors,
            "recurrences": options(RECURRENCE_LABELS),
            "parties": [(p.organisation_id, p.organisation) for p in agreement.parties],
        },
        status=status,
    )


@router.get("/commitments/{commitment_id}/edit")
def edit_form(commitment_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    commitment = intake.get_commitment(session, principal, commitment_id)
    require(can_edit_agreement(principal, commitment.agreement))
    values = CommitmentEdit.model_validate(commitment, from_attributes=True).model_dump(mode="json")
    values["version"] = commitment.version
    return _edit_form(request, commitment, values, {})


@router.post("/commitments/{commitment_id}/edit")
def edit(
    commitment_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, version = read_form(form)
    # "Accept after saving" is an instruction, not a field of the commitment.
    fields = nest({key: value for key, value in flat.items() if key != "accept"})
    fields["conditional"] = flat.get("conditional") == "1"

    def save() -> Commitment:
        commitment = intake.edit_commitment(
            session, principal, commitment_id, parse(CommitmentEdit, fields), version
        )
        if flat.get("accept") == "1":
            intake.set_review(session, principal, [commitment.id], Review.ACCEPTED)
        return commitment

    def rerender(error: ValidationFailed) -> Response:
        commitment = intake.get_commitment(session, principal, commitment_id)
        return _edit_form(request, commitment, {**flat, "version": version}, errors_by_field(error), 422)

    return save_or_rerender(
        request,
        session,
        save,
        rerender,
        gettext("Commitment saved."),
        lambda c: f"/agreements/{c.agreement_id}/review#c-{c.id}",
    )


@router.post("/commitments/{commitment_id}/split")
def split(commitment_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    copy = intake.split_commitment(session, principal, commitment_id)
    session.commit()
    flash(request, gettext("Commitment split; edit both parts."))
    return RedirectResponse(f"/commitments/{copy.id}/edit", status_code=303)


@router.post("/agreements/{agreement_id}/commitments/new")
def add(
    agreement_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, _version = read_form(form)
    fields = nest(flat)
    fields["conditional"] = flat.get("conditional") == "1"
    return save_or_flash(
        request,
        session,
        lambda: intake.add_commitment(session, principal, agreement_id, parse(CommitmentNew, fields)),
        message=gettext("Commitment added."),
        target=lambda c: f"/agreements/{agreement_id}/review#c-{c.id}",
        back=f"/agreements/{agreement_id}/review",
    )
