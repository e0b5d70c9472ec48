"""Import an agreement's signed text, propose its clauses and commitments, and review them.

The engine (``accord.intake``) is pure; this module stores what it finds, in one transaction,
and keeps reviewed work across re-imports of a revised text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from accord import intake
from accord.config import Settings
from accord.i18n import N_
from accord.i18n import gettext as _
from accord.models import (
    Agreement,
    AgreementText,
    Change,
    Clause,
    Commitment,
    Job,
    Origin,
    Recurrence,
    Review,
    Role,
    SignedDocument,
)
from accord.schemas.intake import CommitmentEdit, CommitmentNew
from accord.services import agreements, audit, files, jobs, records
from accord.services.errors import FieldError, TooLarge, ValidationFailed
from accord.services.permissions import Principal, can_edit_agreement, require

ZH_LABELS = "甲乙丙丁戊己庚辛壬癸"
GROUP_LABELS = {"both", "all", "either"}


_SHARED_PARTIES = {"both": N_("Both parties"), "all": N_("All parties"), "either": N_("Either party")}


def party_text(label: str | None) -> str:
    """A commitment's party as written, with the shared cases (both, all, either) in words."""
    return _(_SHARED_PARTIES[label]) if label in _SHARED_PARTIES else (label or "—")


def _intake_message(error: intake.IntakeError, filename: str | None = None) -> str:
    """The engine's error in the user's language, chosen by its stable code, naming the file."""
    p = error.params
    messages = {
        "too_large": _(
            "The file is larger than the limit of {mb} MB.", mb=round(int(p.get("limit", 0)) / 1048576, 1)
        ),
        "unsupported_type": _(
            "This type of file is not supported; use DOCX, PDF, DOC, WPS, RTF, ODT, TXT, Markdown, HTML, "
            "or a JPEG, PNG or TIFF scan."
        ),
        "wrong_extension": _(
            "The file's name ends in .{ext}, but its content is not of that type{actual}; rename it or "
            "upload the right file.",
            ext=p.get("ext", ""),
            actual=_(" ({type})", type=p["actual"]) if p.get("actual") else "",
        ),
        "corrupt_file": _("The file is damaged or is not what its name says; it could not be read."),
        "encrypted": _("The file is protected by a password; upload an unprotected copy."),
        "no_text_layer": _("The PDF has no text layer and its pages could not be read as a scan."),
        "zip_bomb": _("The DOCX file expands to far more data than a document would; it was not opened."),
        "undecodable": _(
            "The text is in an encoding that could not be recognised; save it as UTF-8 and retry."
        ),
        "empty": _("The document contains no text."),
        **_background_messages(p),
    }
    message = messages.get(error.code, str(error))
    return _("{file}: {problem}", file=filename, problem=message) if filename else message


def intake_message(error: intake.IntakeError, filename: str | None = None) -> str:
    """The engine's error in the user's language (for callers outside this module)."""
    return _intake_message(error, filename)


def _background_messages(p: dict[str, Any]) -> dict[str, str]:
    """Messages of failures met while reading a scan or converting a legacy file."""
    return {
        "unreadable_scan": _(
            "no text could be read from page(s) {pages} of the scan: they are too blurred, faint or "
            "small. Scan them again (300 dpi, in focus) and upload the new file.",
            pages=p.get("pages", ""),
        ),
        "image_too_large": _(
            "page {page} is {pixels} pixels, more than the limit of {limit}; scan it at a lower resolution.",
            page=p.get("page", ""),
            pixels=p.get("pixels", ""),
            limit=p.get("limit", ""),
        ),
        "ocr_missing": _(
            "the OCR engine {engine} is not installed on the server.", engine=p.get("engine", "")
        ),
        "ocr_failed": _("the OCR engine failed: {detail}", detail=p.get("detail", "")),
        "converter_missing": _(
            "{format} files are converted by LibreOffice, which is not installed on the server (Debian "
            "package libreoffice-writer-nogui); save the file as DOCX or PDF and upload that.",
            format=str(p.get("format", "")).upper(),
        ),
        "conversion_failed": _(
            "LibreOffice could not convert this {format} file; open it and save it as DOCX or PDF.",
            format=str(p.get("format", "")).upper(),
        ),
        "conversion_timeout": _(
            "converting this {format} file took longer than {seconds} seconds and was stopped; save it "
            "as DOCX or PDF and upload that.",
            format=str(p.get("format", "")).upper(),
            seconds=p.get("seconds", ""),
        ),
    }


_WARNINGS = {
    "table_flattened": N_("Tables were read row by row, their cells separated by tabs."),
    "pdf_permissions_encrypted": N_("The PDF restricts what may be done with it; its text was read anyway."),
    "pdf_page_unreadable": N_("A page of the PDF could not be read; its text is missing."),
    "text_layer_garbled": N_(
        "Part of the PDF's text layer is unreadable (its fonts do not say which characters they draw); "
        "compare the text with the original."
    ),
    "ocr_pages_unreadable": N_(
        "Some pages of the scan could not be read (too blurred, faint or small); their text is missing."
    ),
    "ocr_low_confidence": N_("Some lines were read with low confidence; they are marked in the text."),
    "no_structure": N_(
        "The text was read, but no numbered clauses or commitments were found in it. If the text below "
        "looks wrong, the file's text layer may be faulty: import the DOCX or a scan instead."
    ),
}


def warning_message(code: str) -> str:
    """A reading warning (stored by code on the text) in the user's language."""
    return _(_WARNINGS[code]) if code in _WARNINGS else code


def structure_warnings(extraction: intake.Extraction) -> list[str]:
    """An agreement in which nothing is proposed is suspicious: say so rather than show an empty review."""
    return [] if extraction.commitments else ["no_structure"]


@dataclass(frozen=True)
class ImportReport:
    """What an import did, for the page and the command line."""

    text: AgreementText
    clauses: int
    proposed: int
    kept: int
    recheck: int
    fallback_paragraphs: bool
    warnings: tuple[str, ...] = ()


def latest_text(session: Session, agreement_id: int) -> AgreementText | None:
    """The newest imported text of an agreement."""
    stmt = (
        select(AgreementText)
        .where(AgreementText.agreement_id == agreement_id)
        .order_by(AgreementText.version_no.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def clause_count(session: Session, text: AgreementText | None) -> int:
    """How many clauses were found in ``text`` (0 without a text), counted without loading them."""
    if text is None:
        return 0
    return session.scalar(select(func.count()).select_from(Clause).where(Clause.text_id == text.id)) or 0


def _party_organisations(agreement: Agreement, extraction: intake.Extraction) -> dict[str, int]:
    """Map the text's party labels (甲方, Party A, CLIENT…) to the agreement's organisations in order."""
    by_position = {p.position: p.organisation_id for p in agreement.parties}
    mapping: dict[str, int] = {}
    for index, party in enumerate(extraction.parties):
        if index in by_position:
            mapping[party.label] = by_position[index]
    for index, char in enumerate(ZH_LABELS):
        if index in by_position:
            mapping.setdefault(f"{char}方", by_position[index])
            mapping.setdefault(f"Party {chr(65 + index)}", by_position[index])
    return mapping


def _decimal(value: float | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _commitment_from(
    found: intake.Commitment, agreement: Agreement, clause: Clause | None, parties: dict[str, int]
) -> Commitment:
    amount = found.amount
    recurrence = Recurrence(found.recurrence) if found.recurrence in {r.value for r in Recurrence} else None
    return Commitment(
        agreement_id=agreement.id,
        clause=clause,
        party_label=found.party,
        organisation_id=parties.get(found.party or ""),
        action=found.action[:2000],
        due_text=(found.due or None) and found.due[:200],
        due_on=found.due_resolved,
        recurrence=recurrence,
        amount_text=amount.text[:200] if amount else None,
        amount_value=_decimal(amount.value) if amount else None,
        amount_unit=(amount.unit or None) if amount else None,
        currency=(amount.currency or None) if amount else None,
        conditional=found.conditional,
        quote=found.quote,
        quote_start=found.quote_start,
        quote_end=found.quote_end,
        review=Review.PROPOSED,
        origin=Origin.EXTRACTED,
    )


def _as_extraction(text: AgreementText) -> intake.Extraction:
    clauses = [
        intake.Clause(c.number, c.heading, c.level, c.path, c.start, c.end, c.fingerprint)
        for c in text.clauses
    ]
    return intake.Extraction(
        lang=text.lang, clauses=clauses, parties=[], signed_on=None, term=None, commitments=[]
    )


#: Codes of reading that needs OCR or a conversion: done by a background job, not in the request.
BACKGROUND_CODES = {"needs_ocr", "needs_conversion"}
READ_JOB = "intake.read"


def read_upload(
    data: bytes, filename: str | None, limit: int, options: intake.ReadOptions | None = None
) -> intake.ReadResult:
    """Read an uploaded file, or refuse it with a message in the user's language naming it."""
    try:
        return intake.read_document(data, filename or "upload.txt", max_bytes=limit, options=options)
    except intake.IntakeError as error:
        raise _refusal(error, filename) from None


def _refusal(error: intake.IntakeError, filename: str | None) -> ValidationFailed:
    """The field error for a file the engine refused (413 for one over the limit)."""
    message = _intake_message(error, filename)
    kind = TooLarge if error.code == "too_large" else ValidationFailed
    return kind(message, [FieldError("file", message)])


def import_text(
    session: Session,
    principal: Principal,
    agreement_id: int,
    *,
    data: bytes,
    filename: str | None,
    content_type: str | None,
    files_dir: Path,
    limit: int,
    options: intake.ReadOptions | None = None,
    read: intake.ReadResult | None = None,
) -> ImportReport:
    """Store the original, extract clauses and commitments, and carry reviewed work over from the last version.

    Without ``options`` a scan or legacy file is refused (see :func:`start_import` for the page and API,
    which read those in the background); the command line passes options and reads them here. A caller
    that has already read ``data`` (onboarding reads every file before the batch is confirmed) passes
    what it read as ``read``, and the file is not read again.
    """
    agreement = agreements.get_agreement(session, principal, agreement_id)
    require(can_edit_agreement(principal, agreement))
    if read is None or read.sha256 != files.sha256_hex(data):
        read = read_upload(data, filename, limit, options)
    document = agreements.attach_document(
        session,
        principal,
        agreement_id,
        files_dir=files_dir,
        filename=filename,
        content_type=content_type,
        data=data,
        limit=limit,
    )
    return store_reading(session, principal, agreement, read, document)


def start_import(
    session: Session,
    principal: Principal,
    agreement_id: int,
    *,
    data: bytes,
    filename: str | None,
    content_type: str | None,
    settings: Settings,
) -> ImportReport | Job:
    """Import at once what can be read at once; for a scan or a legacy file, attach the original
    unchanged and return the queued job that reads it (commit, then dispatch the job). The file is kept
    in the settings' files folder and may be as large as their upload limit."""
    files_dir, limit = settings.files_dir, settings.upload_max_bytes
    agreement = agreements.get_agreement(session, principal, agreement_id)
    require(can_edit_agreement(principal, agreement))
    read: intake.ReadResult | None = None
    try:
        read = intake.read_document(data, filename or "upload.txt", max_bytes=limit)
    except intake.IntakeError as error:
        if error.code not in BACKGROUND_CODES:
            raise _refusal(error, filename) from None
    document = agreements.attach_document(
        session,
        principal,
        agreement_id,
        files_dir=files_dir,
        filename=filename,
        content_type=content_type,
        data=data,
        limit=limit,
    )
    if read is not None:
        return store_reading(session, principal, agreement, read, document)
    session.flush()
    organisation = next(
        (
            p.organisation_id
            for p in agreement.parties
            if principal.has_role(p.organisation_id, Role.COORDINATOR)
        ),
        agreement.parties[0].organisation_id if agreement.parties else None,
    )
    return jobs.submit(
        session,
        principal,
        READ_JOB,
        {"agreement_id": agreement.id, "document_id": document.id, "filename": document.filename},
        organisation_id=organisation,
        message=N_("Waiting to read {file}."),
        args={"file": document.filename},
    )


def _ocr_detected(report: intake.OcrReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "engine": report.engine,
        "pages": report.pages,
        "unreadable_pages": report.unreadable_pages,
        "seconds": report.seconds,
        "lines": len(report.lines),
        "low_confidence": [
            {"start": s.start, "end": s.end, "confidence": s.confidence, "page": s.page}
            for s in report.low_confidence()
        ],
    }


def store_reading(
    session: Session,
    principal: Principal,
    agreement: Agreement,
    read: intake.ReadResult,
    document: SignedDocument,
) -> ImportReport:
    """Extract from a read text and store it as the agreement's next version, in the caller's transaction."""
    agreement_id = agreement.id
    extraction = intake.extract(read.text, signed_on=agreement.signed_on)
    previous = latest_text(session, agreement_id)
    version = (previous.version_no + 1) if previous else 1
    detected: dict[str, Any] = {
        "parties": [{"label": p.label, "name": p.name} for p in extraction.parties],
        "term": extraction.term,
        "headings": [list(span) for span in read.headings],
    }
    ocr = _ocr_detected(read.ocr)
    if ocr is not None:
        detected["ocr"] = ocr
    text = AgreementText(
        agreement_id=agreement.id,
        version_no=version,
        body=read.text,
        lang=extraction.lang,
        source_format=read.format,
        source_encoding=read.encoding,
        document=document,
        fallback_paragraphs=extraction.fallback_paragraphs,
        detected=detected,
        warnings=[*read.warnings, *structure_warnings(extraction)],
        signed_on_detected=extraction.signed_on,
        created_by_id=principal.user_id,
    )
    session.add(text)
    new_clauses = [
        Clause(
            position=i,
            number=c.number and c.number[:60],
            heading=c.heading and c.heading[:300],
            level=c.level,
            path=c.path[:600],
            start=c.start,
            end=c.end,
            fingerprint=c.fingerprint[:64],
            change=Change.NEW,
        )
        for i, c in enumerate(extraction.clauses)
    ]
    text.clauses = new_clauses
    session.flush()
    parties = _party_organisations(agreement, extraction)
    kept = recheck = 0
    propose_for: set[int | None] = set(range(len(new_clauses))) | {None}
    if previous is not None:
        diff = intake.diff_clauses(_as_extraction(previous), extraction)
        old_clauses = previous.clauses
        moved: dict[int, tuple[Clause, bool]] = {}
        for old_index, new_index in diff.unchanged.items():
            new_clauses[new_index].change = Change.UNCHANGED
            moved[old_clauses[old_index].id] = (new_clauses[new_index], False)
            propose_for.discard(new_index)
        for old_index, new_index in diff.changed.items():
            new_clauses[new_index].change = Change.CHANGED
            moved[old_clauses[old_index].id] = (new_clauses[new_index], True)
        for commitment in session.scalars(select(Commitment).where(Commitment.agreement_id == agreement.id)):
            target = moved.get(commitment.clause_id) if commitment.clause_id is not None else None
            reviewed = commitment.review != Review.PROPOSED or commitment.origin == Origin.MANUAL
            if target is not None and not target[1]:
                commitment.clause = target[0]
                _relocate(commitment, read.text, target[0])
                kept += 1
            elif reviewed:
                commitment.clause = target[0] if target else None
                commitment.needs_recheck = True
                _relocate(commitment, read.text, target[0] if target else None)
                recheck += 1
            else:
                session.delete(commitment)
    proposed = 0
    for found in extraction.commitments:
        if found.clause_index not in propose_for:
            continue
        clause = new_clauses[found.clause_index] if found.clause_index is not None else None
        session.add(_commitment_from(found, agreement, clause, parties))
        proposed += 1
    session.flush()
    audit.record(
        session,
        principal,
        "import",
        text,
        after={
            "version_no": version,
            "clauses": len(new_clauses),
            "proposed": proposed,
            "kept": kept,
            "recheck": recheck,
            "sha256": document.sha256,
        },
    )
    return ImportReport(
        text, len(new_clauses), proposed, kept, recheck, extraction.fallback_paragraphs, tuple(text.warnings)
    )


def _relocate(commitment: Commitment, body: str, clause: Clause | None) -> None:
    """Point the quote's offsets into the new text (searching the clause first), or drop them."""
    if not commitment.quote:
        commitment.quote_start = commitment.quote_end = None
        return
    start = body.find(commitment.quote, clause.start, clause.end) if clause else -1
    if start < 0:
        start = body.find(commitment.quote)
    if start < 0:
        commitment.quote_start = commitment.quote_end = None
        commitment.needs_recheck = True
    else:
        commitment.quote_start, commitment.quote_end = start, start + len(commitment.quote)


def commitments_of(
    session: Session, principal: Principal, agreement_id: int, review: Review | None = None
) -> list[Commitment]:
    """An agreement's commitments in text order (manual ones last)."""
    agreements.get_agreement(session, principal, agreement_id)
    stmt = (
        select(Commitment)
        .where(Commitment.agreement_id == agreement_id)
        .options(selectinload(Commitment.organisation))
    )
    if review is not None:
        stmt = stmt.where(Commitment.review == review)
    stmt = stmt.order_by(Commitment.quote_start.is_(None), Commitment.quote_start, Commitment.id)
    return list(session.scalars(stmt))


def review_counts(session: Session, agreement_id: int) -> dict[str, int]:
    """How many commitments are proposed, accepted and rejected."""
    rows = session.execute(
        select(Commitment.review, func.count())
        .where(Commitment.agreement_id == agreement_id)
        .group_by(Commitment.review)
    ).all()
    counts = {r.value: 0 for r in Review}
    counts.update({review.value: n for review, n in rows})
    return counts


def _editable(session: Session, principal: Principal, commitment_id: int) -> Commitment:
    commitment = records.get_or_404(session, Commitment, commitment_id)
    agreement = agreements.get_agreement(session, principal, commitment.agreement_id)
    require(can_edit_agreement(principal, agreement))
    return commitment


def get_commitment(session: Session, principal: Principal, commitment_id: int) -> Commitment:
    """One commitment of an agreement the principal may read."""
    commitment = records.get_or_404(session, Commitment, commitment_id)
    agreements.get_agreement(session, principal, commitment.agreement_id)
    return commitment


def set_review(
    session: Session, principal: Principal, commitment_ids: list[int], review: Review
) -> list[Commitment]:
    """Accept or reject (or send back to proposed) several commitments at once."""
    changed = []
    for commitment_id in commitment_ids:
        commitment = _editable(session, principal, commitment_id)
        before = audit.snapshot(commitment)
        commitment.review = review
        if review == Review.ACCEPTED:
            commitment.needs_recheck = False
        audit.record(session, principal, "review", commitment, before)
        changed.append(commitment)
    return changed


def accept_unconditional(session: Session, principal: Principal, agreement_id: int) -> list[Commitment]:
    """Accept every proposed commitment of the agreement that carries no condition (the CLI's ``--accept``
    and the demo); conditional ones stay proposed for a reviewer."""
    proposed = commitments_of(session, principal, agreement_id, Review.PROPOSED)
    return set_review(session, principal, [c.id for c in proposed if not c.conditional], Review.ACCEPTED)


def _check_party(session: Session, commitment_agreement: Agreement, organisation_id: int | None) -> None:
    if organisation_id is not None and organisation_id not in {
        p.organisation_id for p in commitment_agreement.parties
    }:
        raise ValidationFailed(
            _("Please correct the highlighted fields."),
            [FieldError("organisation_id", _("This organisation is not a party to the agreement."))],
        )


def edit_commitment(
    session: Session, principal: Principal, commitment_id: int, data: CommitmentEdit, version: int | None
) -> Commitment:
    """Correct what the extraction proposed (party, action, due date, recurrence, amount)."""
    commitment = _editable(session, principal, commitment_id)
    records.check_version(commitment, version)
    _check_party(session, commitment.agreement, data.organisation_id)
    before = audit.snapshot(commitment)
    records.apply(commitment, data.model_dump())
    audit.record(session, principal, "update", commitment, before)
    return commitment


def add_commitment(
    session: Session, principal: Principal, agreement_id: int, data: CommitmentNew
) -> Commitment:
    """A commitment the extraction missed, optionally tied to a span of the current text."""
    agreement = agreements.get_agreement(session, principal, agreement_id)
    require(can_edit_agreement(principal, agreement))
    _check_party(session, agreement, data.organisation_id)
    text = latest_text(session, agreement_id)
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    clause = None
    if data.quote:
        found = text.body.find(data.quote) if text is not None else -1
        if text is None or found < 0:
            raise ValidationFailed(
                _("Please correct the highlighted fields."),
                [FieldError("quote", _("This passage does not occur in the agreement's text."))],
            )
        quote, start, end = data.quote, found, found + len(data.quote)
        clause = _innermost_clause(text, found)
    commitment = Commitment(
        agreement_id=agreement.id,
        clause=clause,
        quote=quote,
        quote_start=start,
        quote_end=end,
        origin=Origin.MANUAL,
        review=Review.ACCEPTED,
        **data.model_dump(exclude={"quote"}),
    )
    session.add(commitment)
    audit.record(session, principal, "create", commitment)
    return commitment


def _innermost_clause(text: AgreementText, offset: int) -> Clause | None:
    best = None
    for clause in text.clauses:
        if clause.start <= offset < clause.end and (best is None or clause.level >= best.level):
            best = clause
    return best


def split_commitment(session: Session, principal: Principal, commitment_id: int) -> Commitment:
    """Make a second commitment from one that conjoins two actions; both are then edited apart."""
    commitment = _editable(session, principal, commitment_id)
    copy = Commitment(
        **{
            k: v
            for k, v in audit.snapshot(commitment).items()
            if k
            not in {
                "id",
                "version",
                "created_at",
                "updated_at",
                "archived_at",
                "recurrence",
                "review",
                "due_on",
                "amount_value",
            }
        },
        recurrence=commitment.recurrence,
        review=Review.PROPOSED,
        due_on=commitment.due_on,
        amount_value=commitment.amount_value,
    )
    copy.origin = Origin.SPLIT
    session.add(copy)
    audit.record(session, principal, "split", copy, after={**audit.snapshot(copy), "from": commitment.id})
    return copy


_MERGED = re.compile(r"(?:Merged into commitment|已合并入承诺事项)\s*(\d+)")


def merged_into(commitment: Commitment, others: Iterable[Commitment]) -> Commitment | None:
    """The commitment this one was merged into (its note records the id), when it is among ``others``."""
    found = _MERGED.search(commitment.note or "")
    if found is None:
        return None
    target = int(found.group(1))
    return next((c for c in others if c.id == target), None)


def merge_commitments(session: Session, principal: Principal, commitment_ids: list[int]) -> Commitment:
    """Merge several proposals of one agreement into the first; the others are rejected."""
    if len(set(commitment_ids)) < 2:
        raise ValidationFailed(
            _("Select at least two commitments to merge."), [FieldError("ids", _("Is not valid."))]
        )
    items = [_editable(session, principal, i) for i in dict.fromkeys(commitment_ids)]
    if len({c.agreement_id for c in items}) != 1:
        raise ValidationFailed(
            _("Only commitments of one agreement can be merged."), [FieldError("ids", _("Is not valid."))]
        )
    items.sort(key=lambda c: (c.quote_start is None, c.quote_start or 0, c.id))
    keeper, rest = items[0], items[1:]
    before = audit.snapshot(keeper)
    text = latest_text(session, keeper.agreement_id)
    spans = [
        (c.quote_start, c.quote_end) for c in items if c.quote_start is not None and c.quote_end is not None
    ]
    if text is not None and spans:
        start, end = min(s for s, _e in spans), max(e for _s, e in spans)
        keeper.quote_start, keeper.quote_end, keeper.quote = start, end, text.body[start:end]
    keeper.action = "; ".join(dict.fromkeys(c.action for c in items))[:2000]
    for other in rest:
        other_before = audit.snapshot(other)
        other.review = Review.REJECTED
        other.note = _("Merged into commitment {id}.", id=keeper.id)
        audit.record(
            session,
            principal,
            "merge",
            other,
            other_before,
            after={**audit.snapshot(other), "merged_into": keeper.id},
        )
    audit.record(session, principal, "merge", keeper, before)
    return keeper


def highlighted_segments(text: AgreementText, commitments: list[Commitment]) -> list[dict[str, Any]]:
    """Cut the text at clause and quote boundaries so a page can mark each span without overlaps."""
    body = text.body
    cuts = {0, len(body)}
    spans = [
        (c.quote_start, c.quote_end, c)
        for c in commitments
        if c.quote_start is not None and c.quote_end is not None
    ]
    for start, end, _c in spans:
        cuts.update((max(0, start), min(len(body), end)))
    clause_starts = {c.start: c for c in text.clauses}
    cuts.update(s for s in clause_starts if 0 <= s <= len(body))
    # Lines OCR read with low confidence are marked too, so a reviewer checks them against the scan.
    uncertain = [
        (int(line["start"]), int(line["end"]), float(line["confidence"]))
        for line in (text.detected or {}).get("ocr", {}).get("low_confidence", [])
        if 0 <= int(line["start"]) < int(line["end"]) <= len(body)
    ]
    for start, end, _confidence in uncertain:
        cuts.update((start, end))
    ordered = sorted(cuts)
    segments = []
    for start, end in itertools.pairwise(ordered):
        if start == end:
            continue
        covering = [c for s, e, c in spans if s <= start and end <= e]
        confidence = next((conf for s, e, conf in uncertain if s <= start and end <= e), None)
        segments.append(
            {
                "text": body[start:end],
                "commitments": covering,
                "clause": clause_starts.get(start),
                "ocr_confidence": confidence,
            }
        )
    return segments


def ocr_summary(text: AgreementText) -> dict[str, Any] | None:
    """How the text was recognised, for the review page (None when it was not read by OCR)."""
    ocr = (text.detected or {}).get("ocr")
    if not ocr:
        return None
    return {
        "engine": ocr.get("engine", ""),
        "file": text.document.filename if text.document else "",
        "pages": ", ".join(str(n) for n in ocr.get("pages", [])),
        "unreadable_pages": ", ".join(str(n) for n in ocr.get("unreadable_pages", [])),
        "low_confidence": len(ocr.get("low_confidence", [])),
        "lines": ocr.get("lines", 0),
    }
