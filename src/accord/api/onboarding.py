"""Importing many agreements through the JSON API: upload, read the proposals, correct, confirm."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request, UploadFile, status
from pydantic import BaseModel, Field

from accord.api.deps import ApiPrincipal
from accord.deps import SessionDep, SettingsDep
from accord.i18n import gettext
from accord.models import ImportBatch, ImportItem
from accord.services import files as files_service
from accord.services import onboarding, onboarding_confirm

router = APIRouter(tags=["imports"])


class ImportStarted(BaseModel):
    """A batch that was stored and the job that reads it (poll ``/jobs/{job_id}``)."""

    batch_id: int
    job_id: int
    files: int


class ItemOut(BaseModel):
    """One file or ledger row: what was found (``proposal``), what will be done (``decision``)."""

    id: int
    source: str
    filename: str
    row_no: int | None
    state: str
    error: str | None
    waits_for: list[str] = []
    sha256: str | None
    proposal: dict[str, Any]
    decision: dict[str, Any]
    agreement_id: int | None
    linked_item_id: int | None


class BatchOut(BaseModel):
    """An import batch with its items."""

    id: int
    organisation_id: int
    state: str
    job_id: int | None
    ledger_filename: str | None
    ledger_headings: list[str]
    ledger_mapping: dict[str, int]
    items: list[ItemOut]


class PartyChoice(BaseModel):
    """A party: an organisation's number as ``choice``, or ``"new"`` with the new organisation's name and kind."""

    choice: str = Field(max_length=12)
    new_name: str | None = Field(None, max_length=200)
    new_kind: str | None = Field(None, max_length=32)
    new_parent_id: int | None = None


class DecisionIn(BaseModel):
    """Corrections to one item; fields left out keep their value."""

    action: str | None = Field(None, max_length=10)
    target_agreement_id: int | None = None
    title: str | None = Field(None, max_length=300)
    kind: str | None = Field(None, max_length=32)
    signed_on: str | None = Field(None, max_length=10)
    expires_on: str | None = Field(None, max_length=10)
    term: str | None = Field(None, max_length=100)
    parent_id: int | None = None
    parties: list[PartyChoice] | None = Field(None, max_length=26)


class MappingIn(BaseModel):
    """Ledger field → column index (0 = the first column)."""

    mapping: dict[str, int]


class JobStarted(BaseModel):
    job_id: int


def _item(item: ImportItem) -> ItemOut:
    return ItemOut(
        id=item.id,
        source=item.source,
        filename=item.filename,
        row_no=item.row_no,
        state=item.state.value,
        error=gettext(item.error, **item.error_args) if item.error else None,
        waits_for=[gettext(text, **args) for text, args in onboarding_confirm.waits_for(item)],
        sha256=item.sha256,
        proposal=item.proposal,
        decision=item.decision,
        agreement_id=item.agreement_id,
        linked_item_id=item.linked_item_id,
    )


def _batch(batch: ImportBatch) -> BatchOut:
    return BatchOut(
        id=batch.id,
        organisation_id=batch.organisation_id,
        state=batch.state.value,
        job_id=batch.job_id,
        ledger_filename=batch.ledger_filename,
        ledger_headings=batch.ledger_headings,
        ledger_mapping=batch.ledger_mapping,
        items=[_item(i) for i in batch.items],
    )


@router.post(
    "/imports",
    response_model=ImportStarted,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Upload agreement files (or ZIPs of folders) and optionally a ledger; they are read in the background",
)
def start_import(
    request: Request,
    session: SessionDep,
    principal: ApiPrincipal,
    settings: SettingsDep,
    organisation_id: int = Form(..., gt=0, le=2**31 - 1),
    files: list[UploadFile] = Form(...),
    ledger: UploadFile | None = None,
) -> Any:
    # A ZIP may be up to the ZIP limit; each document up to the upload limit (the service checks both).
    uploads = [
        onboarding.Upload(f.filename or "upload", files_service.read_upload(f.file, onboarding.MAX_ZIP_BYTES))
        for f in files
    ]
    ledger_upload = (
        onboarding.Upload(
            ledger.filename or "ledger.xlsx",
            files_service.read_upload(ledger.file, settings.upload_max_bytes),
        )
        if ledger is not None and ledger.filename
        else None
    )
    batch, job = onboarding.create_batch(
        session,
        principal,
        organisation_id,
        uploads,
        ledger_upload=ledger_upload,
        files_dir=settings.files_dir,
        max_bytes=settings.upload_max_bytes,
    )
    session.commit()
    request.app.state.jobs.dispatch(job.id)
    return ImportStarted(batch_id=batch.id, job_id=job.id, files=len(batch.items))


@router.get(
    "/imports/{batch_id}", response_model=BatchOut, summary="An import with what was found in each file"
)
def get_import(batch_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
    return _batch(onboarding.get_batch(session, principal, batch_id))


@router.patch(
    "/imports/{batch_id}/items/{item_id}", response_model=ItemOut, summary="Correct one item's decision"
)
def correct_item(
    batch_id: int, item_id: int, data: DecisionIn, session: SessionDep, principal: ApiPrincipal
) -> Any:
    values = data.model_dump(exclude_unset=True)
    item = onboarding_confirm.update_decision(session, principal, batch_id, item_id, values)
    session.commit()
    return _item(item)


@router.put(
    "/imports/{batch_id}/ledger-mapping",
    response_model=BatchOut,
    summary="Read the ledger again with these columns",
)
def set_mapping(
    batch_id: int, data: MappingIn, session: SessionDep, principal: ApiPrincipal, settings: SettingsDep
) -> Any:
    batch = onboarding.remap_ledger(session, principal, batch_id, data.mapping, settings.files_dir)
    session.commit()
    return _batch(batch)


@router.post(
    "/imports/{batch_id}/confirm",
    response_model=JobStarted,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Create everything decided, one transaction per agreement",
)
def confirm_import(batch_id: int, request: Request, session: SessionDep, principal: ApiPrincipal) -> Any:
    job = onboarding_confirm.confirm(session, principal, batch_id)
    session.commit()
    request.app.state.jobs.dispatch(job.id)
    return JobStarted(job_id=job.id)


@router.post(
    "/imports/{batch_id}/cancel", response_model=BatchOut, summary="Cancel an import; nothing more is created"
)
def cancel_import(batch_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
    batch = onboarding_confirm.cancel(session, principal, batch_id)
    session.commit()
    return _batch(batch)
