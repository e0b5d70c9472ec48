"""Agreement texts and commitments in the JSON API."""

from typing import Any

from fastapi import APIRouter, Header, Request, UploadFile, status
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

from accord.api.crud import if_match_version
from accord.api.deps import ApiPrincipal
from accord.api.jobs import JobOut
from accord.deps import SessionDep, SettingsDep
from accord.i18n import gettext as _
from accord.models import Job, Review
from accord.schemas.common import RecordId
from accord.schemas.intake import ClauseOut, CommitmentEdit, CommitmentNew, CommitmentOut, ReviewIn, TextOut
from accord.services import files, intake, jobs
from accord.services.errors import NotFound

router = APIRouter(tags=["commitments"])


class ImportOut(BaseModel):
    """What an import did."""

    version_no: int
    clauses: int
    proposed: int
    kept: int
    recheck: int
    fallback_paragraphs: bool


class MergeIn(BaseModel):
    """Commitments to merge into the first (in text order)."""

    ids: list[RecordId] = Field(min_length=2, max_length=100)


@router.post(
    "/agreements/{agreement_id}/text",
    response_model=ImportOut,
    status_code=status.HTTP_201_CREATED,
    summary="Import the signed text (DOCX, PDF, TXT, Markdown, HTML; scans and DOC/WPS/RTF/ODT in the background)",
    responses={
        202: {
            "model": JobOut,
            "description": "A scan (OCR) or a legacy file (conversion) is read by a background job; follow "
            "GET /api/v1/jobs/{id} until it is done (its result holds the version imported).",
        }
    },
)
def import_text(
    agreement_id: int,
    file: UploadFile,
    request: Request,
    session: SessionDep,
    principal: ApiPrincipal,
    settings: SettingsDep,
) -> Any:
    data = files.read_upload(file.file, settings.upload_max_bytes)
    report = intake.start_import(
        session,
        principal,
        agreement_id,
        data=data,
        filename=file.filename,
        content_type=file.content_type,
        settings=settings,
    )
    session.commit()
    if isinstance(report, Job):
        request.app.state.jobs.dispatch(report.id)
        return JSONResponse(
            jsonable_encoder(jobs.status(report)),
            status_code=status.HTTP_202_ACCEPTED,
            headers={"Location": f"/api/v1/jobs/{report.id}"},
        )
    return ImportOut(
        version_no=report.text.version_no,
        clauses=report.clauses,
        proposed=report.proposed,
        kept=report.kept,
        recheck=report.recheck,
        fallback_paragraphs=report.fallback_paragraphs,
    )


@router.get(
    "/agreements/{agreement_id}/text", response_model=TextOut, summary="The current text and its clauses"
)
def get_text(agreement_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
    intake.commitments_of(session, principal, agreement_id)  # permission check
    text = intake.latest_text(session, agreement_id)
    if text is None:
        raise NotFound(_("No text has been imported for this agreement yet."))
    return TextOut(
        version_no=text.version_no,
        lang=text.lang,
        source_format=text.source_format,
        fallback_paragraphs=text.fallback_paragraphs,
        body=text.body,
        clauses=[ClauseOut.model_validate(c) for c in text.clauses],
    )


@router.get(
    "/agreements/{agreement_id}/commitments",
    response_model=list[CommitmentOut],
    summary="The agreement's commitments in text order",
)
def list_commitments(
    agreement_id: int, session: SessionDep, principal: ApiPrincipal, review: Review | None = None
) -> Any:
    return intake.commitments_of(session, principal, agreement_id, review)


@router.post(
    "/agreements/{agreement_id}/commitments",
    response_model=CommitmentOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add a commitment by hand",
)
def add_commitment(
    agreement_id: int, data: CommitmentNew, session: SessionDep, principal: ApiPrincipal
) -> Any:
    commitment = intake.add_commitment(session, principal, agreement_id, data)
    session.commit()
    return commitment


@router.get("/commitments/{commitment_id}", response_model=CommitmentOut, summary="One commitment")
def get_commitment(commitment_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
    return intake.get_commitment(session, principal, commitment_id)


@router.put("/commitments/{commitment_id}", response_model=CommitmentOut, summary="Correct a commitment")
def edit_commitment(
    commitment_id: int,
    data: CommitmentEdit,
    session: SessionDep,
    principal: ApiPrincipal,
    if_match: str | None = Header(None, description="The version you edited; a stale one gets 409."),
) -> Any:
    commitment = intake.edit_commitment(session, principal, commitment_id, data, if_match_version(if_match))
    session.commit()
    return commitment


@router.post(
    "/commitments/review", response_model=list[CommitmentOut], summary="Accept or reject commitments"
)
def review(data: ReviewIn, session: SessionDep, principal: ApiPrincipal) -> Any:
    changed = intake.set_review(session, principal, data.ids, data.review)
    session.commit()
    return changed


@router.post("/commitments/merge", response_model=CommitmentOut, summary="Merge commitments into one")
def merge(data: MergeIn, session: SessionDep, principal: ApiPrincipal) -> Any:
    keeper = intake.merge_commitments(session, principal, data.ids)
    session.commit()
    return keeper


@router.post(
    "/commitments/{commitment_id}/split",
    response_model=CommitmentOut,
    status_code=status.HTTP_201_CREATED,
    summary="Copy a commitment to edit it apart",
)
def split(commitment_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
    copy = intake.split_commitment(session, principal, commitment_id)
    session.commit()
    return copy
