"""Agreement pages: list, detail, forms, signed originals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, Response

from accord import clock
from accord.i18n import N_, current_language, format_date, gettext, localized
from accord.labels import AGREEMENT_KIND_LABELS, AGREEMENT_STATUS_LABELS, choice_label, options
from accord.models import Agreement, AgreementKind, AgreementStatus
from accord.schemas.registry import AgreementIn
from accord.services import (
    agreements,
    audit,
    events,
    files,
    intake,
    organisations,
    people,
    supervision,
    tasks,
)
from accord.services.permissions import can_edit_agreement
from accord.web.deps import PrincipalDep, SessionDep, SettingsDep
from accord.web.forms import FormDep
from accord.web.listing import FilterField, ListView, list_routes
from accord.web.render import render
from accord.web.saving import archive_route, form_routes, save_upload_or_flash
from accord.web.tables import Column

router = APIRouter(prefix="/agreements")
FILTERS: dict[str, type] = {
    "kind": AgreementKind,
    "status": AgreementStatus,
    "organisation_id": int,
    "year": int,
}
PARTY_ROWS = 4


def _parties_text(agreement: Agreement) -> str:
    return " / ".join(localized(p.organisation, "name") for p in agreement.parties)


def _view(session: SessionDep, can_create: bool) -> ListView:
    return ListView(
        title=N_("Agreements"),
        columns=[
            Column(N_("Title"), lambda a: localized(a, "title"), sort="title_zh", link=True),
            Column(N_("Parties"), _parties_text),
            Column(N_("Kind"), lambda a: choice_label(AGREEMENT_KIND_LABELS, a.kind)),
            Column(
                N_("Status"),
                lambda a: choice_label(AGREEMENT_STATUS_LABELS, agreements.status_on(a, clock.today())),
                sort="status",
            ),
            Column(N_("Signed on"), lambda a: format_date(a.signed_on), sort="signed_on"),
            Column(N_("Ends on"), lambda a: format_date(a.expires_on), sort="expires_on"),
        ],
        row_url=lambda a: f"/agreements/{a.id}",
        filters=[
            FilterField("kind", N_("Kind"), options(AGREEMENT_KIND_LABELS)),
            FilterField("status", N_("Status"), options(AGREEMENT_STATUS_LABELS)),
            FilterField(
                "organisation_id",
                N_("Party"),
                [(str(o.id), localized(o, "name")) for o in organisations.choices(session)],
            ),
        ],
        new_url="/agreements/new" if can_create else None,
        export_name="agreements",
    )


list_routes(router, "", FILTERS, lambda s, p: _view(s, p.coordinates_any), agreements.list_agreements)


def _form(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    values: dict[str, Any],
    errors: dict[str, str],
    agreement: Agreement | None,
    status: int = 200,
) -> Response:
    parties = list(values.get("parties") or [])
    parties += [{}] * max(PARTY_ROWS - len(parties), 1)
    context = {
        "values": values,
        "parties": parties,
        "errors": errors,
        "agreement": agreement,
        "orgs": organisations.choices(session),
        # A party's signatory is picked among the people of its organisation first, then everyone else.
        "people": (everyone := people.choices(session)),
        "people_by_org": people.by_organisation(everyone),
        "events": events.choices(session),
        "parents": [
            a for a in agreements.choices(session, principal) if agreement is None or a.id != agreement.id
        ],
        "kinds": options(AGREEMENT_KIND_LABELS),
        "statuses": options(AGREEMENT_STATUS_LABELS),
        "party_label": lambda i: agreements.party_label(i, current_language()),
    }
    return render(request, "agreements/form.html", context, status=status)


form_routes(
    router,
    "/{agreement_id}",
    show=_form,
    schema=AgreementIn,
    blank=lambda _request: {"kind": "strategic", "status": "signed"},
    filled=lambda agreement: AgreementIn.model_validate(agreement, from_attributes=True).model_dump(
        mode="json"
    ),
    get=agreements.get_agreement,
    may_edit=can_edit_agreement,
    create=agreements.create_agreement,
    update=agreements.update_agreement,
    saved=N_("Agreement saved."),
)


@router.get("/{agreement_id}")
def show_agreement(
    agreement_id: int, request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    agreement = agreements.get_agreement(session, principal, agreement_id, agreements.SHOWN_WITH)
    delivery = supervision.agreement_delivery(
        session, agreement, today=clock.today(), at_risk_days=settings.at_risk_days
    )
    text = intake.latest_text(session, agreement.id)
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "can_edit": can_edit_agreement(principal, agreement),
            "history": audit.history(session, "agreement", agreement.id),
            "party_label": lambda i: agreements.party_label(i, current_language()),
            "kind_label": choice_label(AGREEMENT_KIND_LABELS, agreement.kind),
            "status_label": choice_label(
                AGREEMENT_STATUS_LABELS, agreements.status_on(agreement, clock.today())
            ),
            "text": text,
            "clause_count": intake.clause_count(session, text),
            "review_counts": intake.review_counts(session, agreement.id),
            "delivery": delivery,
            "can_manage_tasks": tasks.can_manage_tasks(principal, agreement),
        },
    )


archive_route(
    router,
    "/{agreement_id}",
    agreements.archive_agreement,
    archived=N_("Agreement archived."),
    restored=N_("Agreement restored."),
)


@router.post("/{agreement_id}/documents")
def upload_document(
    agreement_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    return save_upload_or_flash(
        request,
        session,
        form,
        settings.upload_max_bytes,
        lambda upload, data: agreements.attach_document(
            session,
            principal,
            agreement_id,
            files_dir=settings.files_dir,
            filename=upload.filename,
            content_type=upload.content_type,
            data=data,
            limit=settings.upload_max_bytes,
        ),
        message=gettext("Document attached."),
        target=f"/agreements/{agreement_id}",
    )


@router.get("/documents/{document_id}")
def download_document(
    document_id: int, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    document = agreements.get_document(session, principal, document_id)
    # Served as a download with a fixed safe type: an uploaded HTML or SVG is never rendered here.
    return FileResponse(
        files.path_for(settings.files_dir, document.sha256),
        media_type="application/octet-stream",
        filename=document.filename,
    )
