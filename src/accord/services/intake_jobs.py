"""The background job that reads a scan (OCR) or converts a legacy file, then imports its text.

:func:`accord.services.intake.start_import` attaches the original unchanged and queues this job; the
job reads the stored file with OCR and LibreOffice allowed, and stores the text, its clauses and
proposed commitments in one transaction. If reading fails, nothing of the text is stored and the job
fails with a message naming the file (and the pages, for a scan); the original stays attached as
uploaded. Run again after an interruption, the job finds the text it already stored and stops.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from accord import intake
from accord.i18n import N_
from accord.models import AgreementText, SignedDocument
from accord.services import agreements, files
from accord.services import intake as intake_service
from accord.services.jobs import JobFailed, JobRun, handler
from accord.services.permissions import can_edit_agreement, require

# Failures as English source texts with their arguments, translated when the job page shows them.
_FAILURES: dict[str, str] = {
    "unreadable_scan": N_(
        "{file}: no text could be read from page(s) {pages} of the scan: they are too blurred, faint or "
        "small. Scan them again (300 dpi, in focus) and upload the new file."
    ),
    "image_too_large": N_(
        "{file}: page {page} is {pixels} pixels, more than the limit of {limit}; scan it at a lower resolution."
    ),
    "ocr_missing": N_("{file}: the OCR engine {engine} is not installed on the server."),
    "ocr_failed": N_("{file}: the OCR engine failed: {detail}"),
    "converter_missing": N_(
        "{file}: {format} files are converted by LibreOffice, which is not installed on the server (Debian "
        "package libreoffice-writer-nogui); save the file as DOCX or PDF and upload that."
    ),
    "conversion_failed": N_(
        "{file}: LibreOffice could not convert this {format} file; open it and save it as DOCX or PDF."
    ),
    "conversion_timeout": N_(
        "{file}: converting this {format} file took longer than {seconds} seconds and was stopped; save it "
        "as DOCX or PDF and upload that."
    ),
    "corrupt_file": N_("{file}: the file is damaged or is not what its name says; it could not be read."),
    "encrypted": N_("{file}: the file is protected by a password; upload an unprotected copy."),
    "empty": N_("{file}: the document contains no text."),
}


def failure(error: intake.IntakeError, filename: str) -> JobFailed:
    """The job failure for a reading error, naming the file (and pages)."""
    message = _FAILURES.get(error.code, N_("{file}: {detail}"))
    params = {k: (str(v).upper() if k == "format" else v) for k, v in error.params.items()}
    return JobFailed(message, **{"detail": str(error), **params, "file": filename})


@handler(intake_service.READ_JOB, N_("Reading a scan or converting a document"))
def read_in_background(run: JobRun) -> dict[str, Any]:
    agreement_id = int(run.params["agreement_id"])
    document_id = int(run.params["document_id"])
    filename = str(run.params.get("filename") or "upload")
    url = f"/agreements/{agreement_id}/review"
    with run.factory() as session:
        document = session.get(SignedDocument, document_id)
        if document is None:
            raise JobFailed(N_("{file}: the uploaded file is no longer attached."), file=filename)
        stored = session.scalar(
            select(AgreementText.version_no).where(AgreementText.document_id == document_id)
        )
        if stored is not None:
            return {"url": url, "version_no": stored}  # an earlier run of this job finished the import
        data = files.path_for(run.settings.files_dir, document.sha256).read_bytes()

    def pages_done(done: int, total: int) -> None:
        run.progress(done, total, N_("{file}: page {n} of {total} read."), file=filename, n=done, total=total)

    run.progress(0, None, N_("Reading {file}."), file=filename)
    options = intake.ReadOptions(
        ocr_engine=run.settings.ocr_engine,
        convert=True,
        convert_timeout=run.settings.convert_timeout,
        progress=pages_done,
    )
    try:
        read = intake.read_document(data, filename, max_bytes=run.settings.upload_max_bytes, options=options)
    except intake.IntakeError as error:
        raise failure(error, filename) from None
    run.progress(1, 1, N_("{file}: finding clauses and commitments."), file=filename)
    with run.factory() as session:
        principal = run.principal(session)
        agreement = agreements.get_agreement(session, principal, agreement_id)
        require(can_edit_agreement(principal, agreement))
        document = session.get(SignedDocument, document_id)
        assert document is not None
        report = intake_service.store_reading(session, principal, agreement, read, document)
        session.commit()
        return {
            "url": url,
            "version_no": report.text.version_no,
            "clauses": report.clauses,
            "proposed": report.proposed,
            "kept": report.kept,
            "recheck": report.recheck,
            "ocr": read.ocr is not None,
        }
