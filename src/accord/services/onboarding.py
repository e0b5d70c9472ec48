"""Onboarding an office's backlog: many agreement files (and a ledger) read into proposals for review.

A batch is created from the uploaded files (each original stored by its SHA-256 at once; nothing
enters the registry), then the background job ``onboard.analyse`` reads every file with the intake
engine, proposes title, kind, parties (resolved against the registry), dates, term and parent, and
flags copies and revisions of agreements already known. One file that cannot be read gets its own
message and never stops the others; the job records each file when it is done, so a restart resumes
where it stopped. Reviewing and confirming are in ``services.onboarding_confirm``.
"""

from __future__ import annotations

import contextlib
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from accord import intake, safezip
from accord.config import Settings
from accord.i18n import N_
from accord.i18n import gettext as _
from accord.intake import dedupe, ledger, resolve
from accord.intake.meta import find_end_date, find_kind, find_parent_reference, find_signatories, find_title
from accord.intake.party_names import complete_parties, signatories
from accord.models import (
    Agreement,
    AgreementParty,
    AgreementText,
    BatchState,
    ImportBatch,
    ImportItem,
    ItemState,
    Job,
    Organisation,
    OrganisationAlias,
    Role,
    SignedDocument,
)
from accord.safezip import ZipLimits, ZipRefused
from accord.schemas.common import MAX_ID
from accord.services import audit, files, jobs, records
from accord.services import intake as intake_service
from accord.services.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from accord.services.permissions import Principal, agreement_visibility, require_signed_in

ANALYSE = "onboard.analyse"
#: Files in one batch; more must be split into several batches.
MAX_FILES = 1000
#: Bytes a ZIP may expand to, and how much more than its size.
MAX_ZIP_BYTES = 2 * 1024**3
MAX_ZIP_RATIO = 200
DOCUMENT_TYPES = {".docx", ".pdf", ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".doc", ".wps", ".rtf", ".odt", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # fmt: skip
LEDGER_TYPES = {".xlsx", ".xlsm", ".csv"}


@dataclass(frozen=True)
class Upload:
    """One file as received: its name (as the user's folder had it) and bytes."""

    name: str
    data: bytes


# Uploads ----------------------------------------------------------------------------------------


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError(field, message)])


def expand(
    uploads: Iterable[Upload], *, max_files: int, max_bytes: int
) -> tuple[list[Upload], list[tuple[str, str]]]:
    """The documents of an upload, ZIP archives opened; returns (documents, [(name, problem)]).

    Refuses, before anything is stored, uploads with more than ``max_files`` documents and ZIP
    archives that would expand beyond ``MAX_ZIP_BYTES`` or ``MAX_ZIP_RATIO`` times their size.
    Entries whose names leave their folder (``../``, absolute paths) are not read and are reported.
    """
    out: list[Upload] = []
    problems: list[tuple[str, str]] = []
    for upload in uploads:
        if PurePosixPath(upload.name.lower()).suffix != ".zip":
            out.append(upload)
        else:
            out.extend(_open_zip(upload, max_files=max_files, max_bytes=max_bytes, problems=problems))
        if len(out) > max_files:
            break
    if len(out) > max_files:
        raise _bad(
            "files",
            _(
                "A batch holds at most {limit} files; this upload has more. Split the folder into several batches.",
                limit=max_files,
            ),
        )
    if not out:
        raise _bad("files", _("Choose at least one agreement file (or a ZIP of a folder)."))
    return out, problems


def zip_limits(size: int) -> ZipLimits:
    """What an uploaded folder may expand to: 200 times its size (at least 10 MB), never 2 GB."""
    return ZipLimits.for_size(size, ratio=MAX_ZIP_RATIO, floor=10 * 1024**2, ceiling=MAX_ZIP_BYTES)


def _zip_refused(name: str, refused: ZipRefused) -> ValidationFailed:
    if refused.code == "too_large":
        return _bad(
            "files",
            _(
                "{name} would expand to more than {size} MB, far more than a folder of agreements; it was not opened.",
                name=name,
                size=int(refused.params.get("limit", 0)) // 1048576,
            ),
        )
    if refused.code == "encrypted":
        return _bad("files", _("{name} is protected by a password; upload an unprotected ZIP.", name=name))
    if refused.code == "unsupported_method":
        return _bad(
            "files",
            _(
                "{name} is compressed with a method that is not read; save the ZIP again with ordinary (deflate) compression.",
                name=name,
            ),
        )
    return _bad("files", _("{name} is not a readable ZIP archive.", name=name))


def _open_zip(
    upload: Upload, *, max_files: int, max_bytes: int, problems: list[tuple[str, str]]
) -> list[Upload]:
    """The documents of one ZIP, read through ``accord.safezip`` (the bytes actually inflated are counted)."""
    limits = zip_limits(len(upload.data))
    try:
        with safezip.open_archive(upload.data, limits) as archive:
            entries = [e for e in archive.infolist() if not e.is_dir()]
            if len(entries) > max_files:
                raise _bad(
                    "files",
                    _(
                        "{name} holds {count} files; a batch holds at most {limit}. Split the folder into several batches.",
                        name=upload.name,
                        count=len(entries),
                        limit=max_files,
                    ),
                )
            # Files over the upload limit fail alone (never inflated), so only the others count here.
            safezip.check_declared([e for e in entries if e.file_size <= max_bytes], limits)
            budget = safezip.Budget(limits)
            return [
                document
                for entry in entries
                if (document := _zip_entry(archive, entry, budget, max_bytes, problems)) is not None
            ]
    except ZipRefused as refused:
        raise _zip_refused(upload.name, refused) from None


def _entry_name(entry: zipfile.ZipInfo) -> str:
    """The member's name as its folder had it: archivers on Chinese Windows write GBK without saying so."""
    name = entry.filename
    if not entry.flag_bits & 0x800:  # no UTF-8 flag: zipfile decoded the bytes as cp437
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gb18030")
    return name.replace("\\", "/")


def _zip_entry(
    archive: zipfile.ZipFile,
    entry: zipfile.ZipInfo,
    budget: safezip.Budget,
    max_bytes: int,
    problems: list[tuple[str, str]],
) -> Upload | None:
    """One member of an uploaded folder, or None (with its problem noted) when it is not read."""
    name = _entry_name(entry)
    parts = PurePosixPath(name).parts
    if name.startswith("/") or ".." in parts or (parts and parts[0].endswith(":")):
        problems.append((name, N_("The ZIP entry points outside its folder; it was not read.")))
        return None
    if parts and (parts[-1].startswith(".") or "__MACOSX" in parts):
        return None  # hidden files and resource forks of the archiving program
    too_large = N_("The file is larger than the upload limit; it was not read.")
    if entry.file_size > max_bytes:
        problems.append((name, too_large))
        return None
    chunks: list[bytes] = []
    produced = 0
    for chunk in safezip.iter_member(archive, entry, budget):
        produced += len(chunk)
        if produced > max_bytes:  # the declared size lied
            problems.append((name, too_large))
            return None
        chunks.append(chunk)
    return Upload(name, b"".join(chunks))


def require_owner(session: Session, principal: Principal, organisation_id: int | None) -> Organisation:
    """The organisation a batch is imported for: one the principal coordinates."""
    require_signed_in(principal)
    if organisation_id is None:
        raise _bad("organisation_id", _("Choose the organisation whose agreements these are."))
    organisation = records.find(session, Organisation, organisation_id)
    if organisation is None or organisation.archived_at is not None:
        raise _bad("organisation_id", _("No such record (number {id}).", id=organisation_id))
    if not principal.has_role(organisation.id, Role.COORDINATOR):
        raise PermissionDenied(
            _(
                "Only coordinators of {name} can import agreements for it.",
                name=organisation.name_zh or organisation.name_en,
            )
        )
    return organisation


def create_batch(
    session: Session,
    principal: Principal,
    organisation_id: int | None,
    uploads: list[Upload],
    *,
    ledger_upload: Upload | None,
    files_dir: Path,
    max_bytes: int,
    max_files: int = MAX_FILES,
) -> tuple[ImportBatch, Job]:
    """Store the files by SHA-256 and queue their analysis; nothing enters the registry yet."""
    owner = require_owner(session, principal, organisation_id)
    documents, problems = expand(uploads, max_files=max_files, max_bytes=max_bytes)
    batch = ImportBatch(organisation_id=owner.id, user_id=principal.user_id, state=BatchState.ANALYSING)
    session.add(batch)
    position = 0
    for upload in documents:
        name = upload.name.replace("\\", "/")
        item = ImportItem(position=position, source="file", filename=name[-255:], size=len(upload.data))
        position += 1
        if not upload.data:
            item.state, item.error = ItemState.FAILED, N_("The file is empty.")
        elif len(upload.data) > max_bytes:
            item.state, item.error = (
                ItemState.FAILED,
                N_("The file is larger than the upload limit; it was not read."),
            )
            item.error_args = {}
        else:
            item.sha256 = files.store(files_dir, upload.data)
        batch.items.append(item)
    for name, problem in problems:
        batch.items.append(
            ImportItem(
                position=position, source="file", filename=name[-255:], state=ItemState.FAILED, error=problem
            )
        )
        position += 1
    if ledger_upload is not None:
        read_ledger(session, batch, ledger_upload, files_dir)
    session.flush()
    job = jobs.submit(
        session,
        principal,
        ANALYSE,
        {"batch_id": batch.id},
        organisation_id=owner.id,
        total=len(documents),
        message=N_("Waiting to start."),
    )
    batch.job_id = job.id
    audit.record(session, principal, "create", batch)
    return batch, job


# Ledger -----------------------------------------------------------------------------------------


def _remembered_mapping(session: Session, batch: ImportBatch, heads: list[str]) -> dict[str, int] | None:
    """The mapping the organisation confirmed last time for a ledger with these headings."""
    stmt = (
        select(ImportBatch)
        .where(
            ImportBatch.organisation_id == batch.organisation_id,
            ImportBatch.ledger_sha256.is_not(None),
            ImportBatch.id != (batch.id or 0),
        )
        .order_by(ImportBatch.id.desc())
        .limit(20)
    )
    for earlier in session.scalars(stmt):
        if earlier.ledger_headings == heads and earlier.ledger_mapping:
            return dict(earlier.ledger_mapping)
    return None


def read_ledger(session: Session, batch: ImportBatch, upload: Upload, files_dir: Path) -> None:
    """Store a ledger with the batch and propose its column mapping (the one used last time, if any)."""
    if PurePosixPath(upload.name.lower()).suffix not in LEDGER_TYPES:
        raise _bad("ledger", _("The ledger must be an XLSX or CSV file."))
    try:
        sheet = ledger.read_sheet(upload.data, upload.name)
    except intake.IntakeError as error:
        raise _bad("ledger", _ledger_error(upload.name, error)) from None
    header = ledger.find_header(sheet.rows)
    if header is None:
        raise _bad(
            "ledger",
            _(
                "No header row was found in {name}: the first rows must name columns such as 协议名称 and 签订日期.",
                name=upload.name,
            ),
        )
    heads = ledger.headings(sheet.rows, header)
    batch.ledger_filename = upload.name[-255:]
    batch.ledger_sha256 = files.store(files_dir, upload.data)
    batch.ledger_header_row = header
    batch.ledger_headings = heads
    batch.ledger_mapping = _remembered_mapping(session, batch, heads) or ledger.suggest_mapping(heads)


def _ledger_error(name: str, error: intake.IntakeError) -> str:
    """Why a ledger could not be read, in the user's language, naming it."""
    if error.code == "too_many_rows":
        return _(
            "The ledger {name} has {rows} rows; at most {limit} are read. Split it into several ledgers.",
            name=name,
            rows=error.params.get("rows", 0),
            limit=error.params.get("limit", 0),
        )
    if error.code == "zip_bomb":
        return _(
            "The ledger {name} expands to far more data than a spreadsheet would; it was not opened.",
            name=name,
        )
    if error.code == "encrypted":
        return _("The ledger {name} is protected by a password; upload an unprotected copy.", name=name)
    if error.code == "undecodable":
        return _(
            "The ledger {name} is in an encoding that could not be recognised; save it as UTF-8.", name=name
        )
    return _("The ledger {name} could not be read: it is damaged or is not what its name says.", name=name)


def ledger_rows(batch: ImportBatch, files_dir: Path) -> list[ledger.LedgerRow]:
    """The ledger's rows read through the batch's mapping."""
    if not batch.ledger_sha256 or batch.ledger_header_row is None:
        return []
    data = files.path_for(files_dir, batch.ledger_sha256).read_bytes()
    sheet = ledger.read_sheet(data, batch.ledger_filename or "ledger.xlsx")
    return ledger.parse_rows(sheet.rows, batch.ledger_header_row, dict(batch.ledger_mapping))


def ledger_preview(batch: ImportBatch, files_dir: Path, limit: int = 8) -> list[list[str]]:
    """The first rows under the header, as text, for the mapping preview."""
    if not batch.ledger_sha256 or batch.ledger_header_row is None:
        return []
    data = files.path_for(files_dir, batch.ledger_sha256).read_bytes()
    rows = ledger.read_sheet(data, batch.ledger_filename or "ledger.xlsx").rows
    out = []
    for row in rows[batch.ledger_header_row + 1 :]:
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        out.append(["" if v is None else str(v) for v in row])
        if len(out) >= limit:
            break
    return out


# The registry as the engines see it --------------------------------------------------------------


def registry_index(session: Session) -> resolve.RegistryIndex:
    """Every active organisation with all its names, for party resolution."""
    aliases: dict[int, list[str]] = {}
    for organisation_id, name in session.execute(
        select(OrganisationAlias.organisation_id, OrganisationAlias.name)
    ):
        aliases.setdefault(organisation_id, []).append(name)
    orgs = session.execute(
        select(
            Organisation.id,
            Organisation.name_zh,
            Organisation.name_en,
            Organisation.short_name_zh,
            Organisation.short_name_en,
            Organisation.parent_id,
            Organisation.kind,
        ).where(Organisation.archived_at.is_(None))
    )
    return resolve.RegistryIndex.build(
        resolve.RegistryOrg(
            id=row.id,
            name_zh=row.name_zh,
            name_en=row.name_en,
            short_names=tuple(n for n in (row.short_name_zh, row.short_name_en) if n),
            aliases=tuple(aliases.get(row.id, ())),
            parent_id=row.parent_id,
            kind=row.kind.value,
        )
        for row in orgs
    )


def known_documents(session: Session, finder: dedupe.DuplicateFinder) -> None:
    """Add every registry agreement's newest text and stored originals to ``finder``."""
    latest = (
        select(AgreementText.agreement_id, func.max(AgreementText.version_no).label("v"))
        .group_by(AgreementText.agreement_id)
        .subquery()
    )
    stmt = select(AgreementText).join(
        latest,
        (AgreementText.agreement_id == latest.c.agreement_id) & (AgreementText.version_no == latest.c.v),
    )
    names: dict[int, list[str]] = {}
    for agreement_id, name_zh, name_en in session.execute(
        select(AgreementParty.agreement_id, Organisation.name_zh, Organisation.name_en)
        .join(Organisation, Organisation.id == AgreementParty.organisation_id)
        .order_by(AgreementParty.agreement_id, AgreementParty.position)
    ):
        names.setdefault(agreement_id, []).append(name_zh or name_en or "")
    sha_of: dict[int, str] = {}
    for agreement_id, sha in session.execute(select(SignedDocument.agreement_id, SignedDocument.sha256)):
        sha_of.setdefault(agreement_id, sha)
    for text in session.scalars(stmt):
        finder.add(
            dedupe.Fingerprint(
                key=f"agreement:{text.agreement_id}",
                sha256=sha_of.get(text.agreement_id, ""),
                text_hash=dedupe.text_hash(text.body),
                signature=tuple(dedupe.signature(text.body)),
                parties=tuple(names.get(text.agreement_id, ())),
                title=find_title(text.body) or "",
                numbers=dedupe.numbers(text.body),
            )
        )
    # Originals stored without a text still catch the same file.
    for agreement_id, sha in sha_of.items():
        finder.add(dedupe.Fingerprint(f"agreement:{agreement_id}#file", sha, "", (), ()))


# Reading one document ----------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _party_json(label: str, name: str | None, found: resolve.Resolution) -> dict[str, Any]:
    return {
        "label": label,
        "name": name or "",
        "organisation_id": found.organisation_id,
        "confidence": found.confidence,
        "reason": found.reason,
        "matched": found.matched,
        "candidates": [[c.organisation_id, c.confidence, c.reason] for c in found.candidates],
        "new_kind": found.new_kind,
        "new_parent_id": found.new_parent_id,
    }


def analyse_document(
    data: bytes,
    filename: str,
    index: resolve.RegistryIndex,
    *,
    max_bytes: int,
    options: intake.ReadOptions | None = None,
) -> tuple[dict[str, Any], dedupe.Fingerprint]:
    """Everything proposed for one file (no database): raises ``intake.IntakeError`` when unreadable."""
    return analyse_reading(intake.read_document(data, filename, max_bytes=max_bytes, options=options), index)


def analyse_reading(
    read: intake.ReadResult, index: resolve.RegistryIndex
) -> tuple[dict[str, Any], dedupe.Fingerprint]:
    """Everything proposed for a file already read (no database)."""
    extraction = intake.extract(read.text)
    title = find_title(read.text)
    found_parties = complete_parties(read.text, extraction.lang, extraction.parties)
    signers = signatories(read.text, extraction.lang, found_parties)
    names = [p.name for p in found_parties]
    resolutions = [
        replace(r, new_kind=resolve.new_kind_in_context(r.name, read.text))
        if r.reason == "new" and r.name
        else r
        for r in resolve.resolve_all([n or "" for n in names], index)
    ]
    end = find_end_date(read.text, extraction.lang, extraction.term, extraction.signed_on)
    proposal: dict[str, Any] = {
        "lang": extraction.lang,
        "format": read.format,
        "title": title,
        "kind": find_kind(title, read.text),
        "signed_on": _iso(extraction.signed_on),
        "term": extraction.term,
        "expires_on": _iso(end),
        "parent_ref": find_parent_reference(title, read.text),
        "signatories": find_signatories(read.text, extraction.lang),
        "parties": [
            {**_party_json(p.label, p.name, r), "signatory": signers.get(p.label)}
            for p, r in zip(found_parties, resolutions, strict=True)
        ],
        "clauses": len(extraction.clauses),
        "commitments": len(extraction.commitments),
        "warnings": list(read.warnings),
    }
    fingerprint = dedupe.Fingerprint(
        key="",
        sha256=read.sha256,
        text_hash=dedupe.text_hash(read.text),
        signature=tuple(dedupe.signature(read.text)),
        parties=tuple(n for n in names if n),
        title=title or "",
        numbers=dedupe.numbers(read.text),
    )
    return proposal, fingerprint


# The text as read is kept beside the original, so that creating the agreement does not read the
# file a second time (reading a PDF's layout, or a scan by OCR, is most of the work). Version 2 keeps
# what OCR reported (engine, pages, line confidences), so a scan is not recognised twice either.
_READING_VERSION = 2
_READING_VERSIONS = (1, 2)


def _ocr_json(report: intake.OcrReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "engine": report.engine,
        "pages": list(report.pages),
        "unreadable_pages": list(report.unreadable_pages),
        "lines": [[span.start, span.end, span.confidence, span.page] for span in report.lines],
        "seconds": report.seconds,
    }


def _ocr_report(blob: dict[str, Any] | None) -> intake.OcrReport | None:
    if blob is None:
        return None
    return intake.OcrReport(
        engine=str(blob["engine"]),
        pages=[int(p) for p in blob.get("pages", [])],
        unreadable_pages=[int(p) for p in blob.get("unreadable_pages", [])],
        lines=[
            intake.OcrLineSpan(int(start), int(end), float(confidence), int(page))
            for start, end, confidence, page in blob.get("lines", [])
        ],
        seconds=float(blob.get("seconds", 0.0)),
    )


def store_reading(files_dir: Path, read: intake.ReadResult) -> str:
    """Store what reading a file gave (its text, format, headings, OCR report…) and return its digest."""
    blob = {
        "v": _READING_VERSION,
        "text": read.text,
        "format": read.format,
        "encoding": read.encoding,
        "sha256": read.sha256,
        "warnings": list(read.warnings),
        "headings": [list(span) for span in read.headings],
        "pages": read.pages,
        "ocr": _ocr_json(read.ocr),
    }
    return files.store(files_dir, json.dumps(blob, ensure_ascii=False).encode("utf-8"))


def stored_reading(files_dir: Path, digest: str | None, sha256: str | None) -> intake.ReadResult | None:
    """The reading kept by :func:`store_reading` for the file ``sha256``; None when absent or not its own."""
    raw = files.stored(files_dir, digest or "")
    if raw is None:
        return None
    try:
        blob = json.loads(raw.decode("utf-8"))
        if blob.get("v") not in _READING_VERSIONS or not sha256 or blob.get("sha256") != sha256:
            return None
        return intake.ReadResult(
            text=str(blob["text"]),
            format=str(blob["format"]),
            encoding=blob.get("encoding"),
            sha256=sha256,
            warnings=[str(w) for w in blob.get("warnings", [])],
            headings=[(int(a), int(b)) for a, b in blob.get("headings", [])],
            pages=blob.get("pages"),
            ocr=_ocr_report(blob.get("ocr")),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


_READ_ERRORS = {
    "too_large": N_("The file is larger than the upload limit; it was not read."),
    "unsupported_type": N_("This type of file is not supported; use DOCX, PDF, TXT, Markdown or HTML."),
    "corrupt_file": N_("The file is damaged or is not what its name says; it could not be read."),
    "encrypted": N_("The file is protected by a password; upload an unprotected copy."),
    "no_text_layer": N_("The PDF has no text layer (it is probably a scan) and could not be read."),
    "zip_bomb": N_("The file expands to far more data than a document would; it was not opened."),
    "undecodable": N_("The text is in an encoding that could not be recognised."),
    "empty": N_("The document contains no text."),
}


def read_error(error: intake.IntakeError) -> tuple[str, dict[str, Any]]:
    """A reading failure: the English source text (translated when shown) and its arguments."""
    if error.code in _READ_ERRORS:
        return _READ_ERRORS[error.code], {}
    # Failures of OCR and of converting a legacy file say what to do in the engine's own words.
    return N_("The file could not be read: {detail}"), {"detail": intake_service.intake_message(error)[:300]}


def reading_options(settings: Settings) -> intake.ReadOptions:
    """How a batch reads its files: scans by OCR, legacy formats converted (it runs in the background)."""
    return intake.ReadOptions(
        ocr_engine=settings.ocr_engine, convert=True, convert_timeout=settings.convert_timeout
    )


# The analysis job --------------------------------------------------------------------------------


def get_batch(session: Session, principal: Principal, batch_id: int) -> ImportBatch:
    """One batch the principal may see: whoever started it, coordinators of its organisation, admins."""
    require_signed_in(principal)
    batch = (
        records.find(session, ImportBatch, batch_id, options=[selectinload(ImportBatch.items)])
        if 0 < batch_id <= MAX_ID
        else None
    )
    visible = batch is not None and (
        principal.is_admin
        or (principal.user_id is not None and batch.user_id == principal.user_id)
        or principal.has_role(batch.organisation_id, Role.COORDINATOR)
    )
    if batch is None or not visible:
        raise NotFound(_("No such import (number {id}).", id=batch_id))
    return batch


def list_batches(session: Session, principal: Principal, limit: int = 50) -> list[ImportBatch]:
    """Batches the principal may see, newest first."""
    require_signed_in(principal)
    stmt = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)
    if not principal.is_admin:
        orgs = principal.orgs_with(Role.COORDINATOR)
        stmt = stmt.where(
            (ImportBatch.user_id == principal.user_id) | ImportBatch.organisation_id.in_(orgs or {0})
        )
    return list(session.scalars(stmt))


def _item_key(item_id: int) -> str:
    return f"item:{item_id}"


def _duplicate_json(verdict: dedupe.Verdict) -> dict[str, Any]:
    kind_of, _sep, number = verdict.other.partition(":")
    number = number.split("#")[0]
    return {
        "kind": verdict.kind,
        "similarity": verdict.similarity,
        "agreement_id": int(number) if kind_of == "agreement" else None,
        "item_id": int(number) if kind_of == "item" else None,
    }


@jobs.handler(ANALYSE, N_("Reading agreement files"))
def analyse_batch(run: jobs.JobRun) -> dict[str, Any]:
    """Read every pending file of the batch, one transaction per file; then link the ledger."""
    batch_id = int(run.params["batch_id"])
    settings: Settings = run.settings
    with run.factory() as session:
        principal = run.principal(session)  # the user must still be allowed to act
        index = registry_index(session)
        finder = dedupe.DuplicateFinder()
        known_documents(session, finder)
        items = list(
            session.scalars(
                select(ImportItem)
                .where(ImportItem.batch_id == batch_id, ImportItem.source == "file")
                .order_by(ImportItem.position)
            )
        )
        # Files read by an earlier run of this job count as known, so a resumed run flags the same copies.
        for item in items:
            if item.state == ItemState.READ and item.signature:
                finder.add(_fingerprint_of(item))
        work = [(i.id, i.filename, i.sha256) for i in items if i.state == ItemState.PENDING]
        total = len(items)
        done = total - len(work)
    for item_id, filename, sha in work:
        run.progress(
            done, total, N_("Reading {name} ({n} of {total})."), name=filename, n=done + 1, total=total
        )
        with run.factory() as session:
            current = records.find(session, ImportItem, item_id)
            assert current is not None
            item = current
            try:
                data = files.path_for(settings.files_dir, sha or "").read_bytes()
                read = intake.read_document(
                    data, filename, max_bytes=settings.upload_max_bytes, options=reading_options(settings)
                )
                proposal, fingerprint = analyse_reading(read, index)
                proposal["reading_sha256"] = store_reading(settings.files_dir, read)
            except intake.IntakeError as error:
                item.state = ItemState.FAILED
                item.error, item.error_args = read_error(error)
            except (OSError, ValueError):
                item.state, item.error = (
                    ItemState.FAILED,
                    N_("The stored copy of the file is missing; upload it again."),
                )
            except Exception as exc:  # one bad file never stops the others
                item.state, item.error = ItemState.FAILED, N_("The file could not be read: {detail}")
                item.error_args = {"detail": f"{type(exc).__name__}: {exc}"[:300]}
            else:
                fingerprint = dedupe.Fingerprint(_item_key(item.id), *_fields_after_key(fingerprint))
                verdict = finder.check(fingerprint)
                if verdict is not None and verdict.kind == "revised" and proposal.get("parent_ref"):
                    verdict = None  # a supplement repeats its main agreement's header, it does not revise it
                if verdict is not None:
                    proposal["duplicate"] = _duplicate_json(verdict)
                finder.add(fingerprint)
                if proposal.get("parent_ref"):
                    proposal["parent_id"] = _parent_match(session, proposal["parent_ref"])
                item.proposal = proposal
                item.text_hash = fingerprint.text_hash
                item.signature = list(fingerprint.signature)
                item.state = ItemState.READ
            session.commit()
        done += 1
    run.progress(done, total, N_("Matching the ledger with the files."))
    with run.factory() as session:
        batch = records.find(session, ImportBatch, batch_id)
        assert batch is not None
        _parents_in_batch(batch)
        link_ledger(session, principal, batch, settings.files_dir, index)
        from accord.services.onboarding_confirm import default_decisions

        default_decisions(session, batch)
        if batch.state == BatchState.ANALYSING:
            batch.state = BatchState.REVIEW
        session.commit()
    run.progress(total, total, N_("All {total} files read; the batch is ready for review."), total=total)
    return {"url": f"/imports/{batch_id}"}


def _parents_in_batch(batch: ImportBatch) -> None:
    """A supplement whose main agreement is in the same batch points at that file."""
    read = [i for i in batch.items if i.source == "file" and i.state == ItemState.READ]
    for item in read:
        reference = item.proposal.get("parent_ref")
        if not reference or item.proposal.get("parent_id"):
            continue
        others = [(o.id, o.proposal.get("title") or "", "") for o in read if o.id != item.id]
        parent = _best_title(reference, others, None)
        if parent is not None:
            item.proposal = {**item.proposal, "parent_item_id": parent}


def _fields_after_key(
    fp: dedupe.Fingerprint,
) -> tuple[str, str, tuple[int, ...], tuple[str, ...], str, tuple[str, ...]]:
    return fp.sha256, fp.text_hash, fp.signature, fp.parties, fp.title, fp.numbers


def _fingerprint_of(item: ImportItem) -> dedupe.Fingerprint:
    names = tuple(p.get("name") or "" for p in item.proposal.get("parties", []))
    return dedupe.Fingerprint(
        _item_key(item.id),
        item.sha256 or "",
        item.text_hash or "",
        tuple(item.signature),
        tuple(n for n in names if n),
        str(item.proposal.get("title") or ""),
    )


def _parent_match(session: Session, reference: str) -> int | None:
    """The registry agreement whose title best matches a supplement's reference to it."""
    best: tuple[float, int] | None = None
    for agreement_id, title_zh, title_en in session.execute(
        select(Agreement.id, Agreement.title_zh, Agreement.title_en).where(Agreement.archived_at.is_(None))
    ):
        for title in (title_zh, title_en):
            if title:
                score = fuzz.ratio(reference, title)
                if score >= 85 and (best is None or score > best[0]):
                    best = (score, agreement_id)
    return best[1] if best else None


def link_ledger(
    session: Session, principal: Principal, batch: ImportBatch, files_dir: Path, index: resolve.RegistryIndex
) -> None:
    """(Re)read the ledger's rows into items, each linked to the file whose title agrees, or to a known agreement."""
    for item in [i for i in batch.items if i.source == "ledger"]:
        batch.items.remove(item)
    session.flush()
    rows = ledger_rows(batch, files_dir)
    file_items = [i for i in batch.items if i.source == "file" and i.state == ItemState.READ]
    position = max((i.position for i in batch.items), default=-1) + 1
    known = list(
        session.execute(
            select(Agreement.id, Agreement.title_zh, Agreement.title_en).where(
                Agreement.archived_at.is_(None), agreement_visibility(principal)
            )
        )
    )
    for row in rows:
        values = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.values.items()}
        proposal: dict[str, Any] = {"row": row.row, "values": values, "errors": [list(e) for e in row.errors]}
        title = str(values.get("title") or "")
        partner = str(values.get("partner") or "")
        if partner:
            parties = [p for p in _split_partners(partner)]
            proposal["parties"] = [
                _party_json("", name, found)
                for name, found in zip(parties, resolve.resolve_all(parties, index), strict=True)
            ]
        linked = _best_title(
            title, [(i.id, i.proposal.get("title") or "", i.filename) for i in file_items], values.get("file")
        )
        item = ImportItem(
            position=position,
            source="ledger",
            filename=(batch.ledger_filename or "ledger")[-200:] + f" #{row.row}",
            row_no=row.row,
            state=ItemState.READ,
            linked_item_id=linked,
        )
        if linked is None:
            existing = _best_title(title, [(a, t_zh or t_en or "", "") for a, t_zh, t_en in known], None)
            if existing is not None:
                proposal["agreement_id"] = existing
        item.proposal = proposal
        position += 1
        batch.items.append(item)
    session.flush()


def _split_partners(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"[;；、\n]|\s{2,}|/(?=\S)", text) if p.strip()]
    return parts[:6] or [text]


def _best_title(title: str, options: list[tuple[int, str, str]], filename: Any) -> int | None:
    """The option whose title (or file name) agrees with ``title``: rapidfuzz ratio ≥ 90 after normalising."""
    if not title and not filename:
        return None
    key = dedupe.normalise(title)
    best: tuple[float, int] | None = None
    for option_id, option_title, option_file in options:
        scores = []
        if key and option_title:
            scores.append(fuzz.ratio(key, dedupe.normalise(option_title)))
        if filename and option_file:
            scores.append(
                100.0 if PurePosixPath(str(filename)).stem == PurePosixPath(option_file).stem else 0.0
            )
        if key and option_file:
            scores.append(fuzz.ratio(key, dedupe.normalise(PurePosixPath(option_file).stem)))
        score = max(scores, default=0.0)
        if score >= 90 and (best is None or score > best[0]):
            best = (score, option_id)
    return best[1] if best else None


def remap_ledger(
    session: Session, principal: Principal, batch_id: int, mapping: dict[str, int], files_dir: Path
) -> ImportBatch:
    """Read the ledger again with the columns the user chose (and remember them for next time)."""
    batch = get_batch(session, principal, batch_id)
    if not principal.has_role(batch.organisation_id, Role.COORDINATOR):
        raise PermissionDenied(_("Only coordinators of this organisation can change this import."))
    if batch.state != BatchState.REVIEW or not batch.ledger_sha256:
        raise _bad("mapping", _("This import has no ledger to read again now."))
    if "title" not in mapping:
        raise _bad("map.title", _("Choose the column that holds the agreement titles."))
    width = len(batch.ledger_headings)
    if any(column >= width for column in mapping.values()):
        raise _bad("mapping", _("A chosen column does not exist in the ledger."))
    before = audit.snapshot(batch)
    batch.ledger_mapping = dict(mapping)
    try:
        link_ledger(session, principal, batch, files_dir, registry_index(session))
    except intake.IntakeError as error:
        raise _bad("ledger", str(error)) from None
    from accord.services.onboarding_confirm import default_decisions

    default_decisions(session, batch)
    audit.record(session, principal, "update", batch, before=before)
    return batch
