"""Works (publications and patents): create, import from CSV/JSONL/BibTeX/RIS, link authors to people.

Author names are matched to the registry with ``accord.bibliography.match_names``; a confident single
candidate is linked at once, anything ambiguous waits in the review queue for a coordinator.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from accord.bibliography import ReadError, ReadResult, Record, match_names, read_text
from accord.i18n import gettext as _
from accord.models import Authorship, AuthorState, Person, Work, WorkKind
from accord.models.base import utcnow
from accord.schemas.matching import WorkIn
from accord.services import audit, files, records
from accord.services.errors import FieldError, ValidationFailed
from accord.services.listing import ListQuery, Page, paginate, searched, sort_clause
from accord.services.permissions import (
    Principal,
    can_manage_matching,
    can_manage_person,
    require,
    require_signed_in,
)
from accord.services.validation import parse

FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".bib": "bibtex",
    ".ris": "ris",
}
SORTS = {"title": Work.title, "year": Work.year, "created": Work.created_at}
MAX_CANDIDATES = 5
# Below this confidence a name is shown to a person (the threshold docs/matching.md gives for names).
REVIEW_BELOW = 0.8


def format_of(filename: str) -> str | None:
    """The reader for a file name (by its extension), or None."""
    lower = filename.lower()
    return next((fmt for ext, fmt in FORMATS.items() if lower.endswith(ext)), None)


def staging_dir(data_dir: Path) -> Path:
    """Where an uploaded file waits, stored under its SHA-256 (``files.store``), between the preview
    and the import."""
    return data_dir / "imports"


def read_upload(data: bytes, filename: str, limit: int) -> ReadResult:
    """Read an uploaded file; an empty file, one over ``limit`` bytes (413) or with an unknown extension
    is a field error."""
    files.check_size(data, limit)
    fmt = format_of(filename)
    if fmt is None:
        raise ValidationFailed(
            _("Please correct the highlighted fields."),
            [FieldError("file", _("Upload a .csv, .jsonl, .bib or .ris file."))],
        )
    return read_text(data.decode("utf-8-sig", errors="replace"), fmt)


# Author linking ----------------------------------------------------------------------------------


@dataclass
class NameIndex:
    """Every active person's names, for matching author names."""

    by_name: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> NameIndex:
        index = cls()
        rows = session.execute(
            select(Person.id, Person.name_zh, Person.name_en).where(Person.archived_at.is_(None))
        )
        for person_id, name_zh, name_en in rows:
            for name in (name_zh, name_en):
                if name:
                    index.by_name.setdefault(name, []).append(person_id)
        return index

    def link(self, name: str) -> tuple[AuthorState, int | None, float | None, list[dict[str, Any]]]:
        """(state, person, confidence, candidates) for one author name."""
        # A person has several names (张宗益, Zhang Zongyi): candidates are compared per person, so two
        # spellings of one person are not rivals; a rival is another person about as likely.
        best: dict[int, tuple[float, str]] = {}
        for found in match_names(name, self.by_name):
            for person_id in self.by_name[found.candidate]:
                if person_id not in best or best[person_id][0] < found.confidence:
                    best[person_id] = (found.confidence, found.reason)
        if not best:
            return AuthorState.UNMATCHED, None, None, []
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:MAX_CANDIDATES]
        candidates = [{"person_id": pid, "confidence": conf, "reason": why} for pid, (conf, why) in ranked]
        top_id, (top_conf, _why) = ranked[0]
        rivals = [pid for pid, (conf, _w) in ranked[1:] if conf >= top_conf - 0.05]
        if top_conf >= REVIEW_BELOW and not rivals:
            return AuthorState.MATCHED, top_id, top_conf, candidates
        return AuthorState.PENDING, None, top_conf, candidates


def _authorships(names: Sequence[str], index: NameIndex) -> list[Authorship]:
    out = []
    for position, name in enumerate(names):
        state, person_id, confidence, candidates = index.link(name)
        out.append(
            Authorship(
                position=position,
                name=name,
                person_id=person_id,
                state=state,
                confidence=confidence,
                candidates=candidates or None,
            )
        )
    return out


# Works -------------------------------------------------------------------------------------------


def list_works(session: Session, principal: Principal, query: ListQuery) -> Page[Work]:
    """Works matching the query (any signed-in user reads them: publications are public)."""
    require_signed_in(principal)
    stmt = select(Work).options(selectinload(Work.authors).joinedload(Authorship.person))
    stmt = searched(
        stmt, query, Work.archived_at, (Work.title, Work.abstract, Work.keywords, Work.venue, Work.doi)
    )
    if kind := query.filters.get("kind"):
        stmt = stmt.where(Work.kind == kind)
    if person_id := query.filters.get("person_id"):
        stmt = stmt.where(Work.authors.any(Authorship.person_id == person_id))
    if year := query.filters.get("year"):
        stmt = stmt.where(Work.year == year)
    stmt = stmt.order_by(*sort_clause(query.sort, SORTS, "-year"), Work.id.desc())
    return paginate(session, stmt, query)


def get_work(session: Session, principal: Principal, work_id: int) -> Work:
    """One work."""
    require_signed_in(principal)
    return records.get_or_404(
        session, Work, work_id, options=[selectinload(Work.authors).joinedload(Authorship.person)]
    )


def _snapshot(work: Work) -> dict[str, Any]:
    state = audit.snapshot(work)
    state["authors"] = [[a.name, a.person_id, a.state.value] for a in work.authors]
    return state


def _new_work(data: WorkIn, index: NameIndex, source: str | None) -> Work:
    work = Work(**data.model_dump(exclude={"authors"}), source=source)
    work.authors = _authorships(data.authors, index)
    return work


def archive_work(
    session: Session, principal: Principal, work_id: int, version: int | None, *, restore: bool = False
) -> Work:
    """Archive (or restore) a work; it leaves (or re-enters) the matching index."""
    require(can_manage_matching(principal))
    work = get_work(session, principal, work_id)
    return records.set_archived(session, principal, work, version, restore=restore)


def record_to_input(record: Record) -> WorkIn:
    """A read record as the schema the form and API use (raises ValidationFailed on bad values)."""
    kind = WorkKind.PATENT if record.kind == "patent" else WorkKind.PAPER
    patent = (record.id or "").strip() or None
    return parse(
        WorkIn,
        {
            "kind": kind.value,
            "title": record.title[:500],
            "abstract": record.abstract or None,
            "keywords": "; ".join(record.keywords) or None,
            "year": record.year,
            "venue": (record.venue or "")[:300] or None,
            "doi": (record.doi or "")[:200] or None,
            "patent_number": patent[:100] if patent and kind == WorkKind.PATENT else None,
            "language": record.lang,
            "authors": [a[:200] for a in record.authors if a.strip()][:100],
        },
    )


@dataclass
class ImportResult:
    """What an import read and stored."""

    read: int
    errors: list[ReadError]
    imported: int = 0
    skipped_duplicates: int = 0
    pending_reviews: int = 0
    works: list[Work] = field(default_factory=list)


def check_records(result: ReadResult) -> tuple[list[tuple[Record, WorkIn]], list[ReadError]]:
    """Records that also pass the schema, and every error (reader's and schema's) by line."""
    good: list[tuple[Record, WorkIn]] = []
    errors = list(result.errors)
    for record in result.records:
        try:
            good.append((record, record_to_input(record)))
        except ValidationFailed as error:
            detail = "; ".join(f"{e.field}: {e.message}" for e in error.errors)
            errors.append(ReadError(record.line, detail))
    errors.sort(key=lambda e: e.line)
    return good, errors


def import_records(
    session: Session,
    principal: Principal,
    result: ReadResult,
    source: str,
    *,
    lenient: bool,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Store the works read from a file, all in the caller's transaction.

    With errors and ``lenient`` False nothing is stored (the caller shows the errors); with ``lenient``
    the valid records are stored and the errors reported. A DOI or patent number already registered is
    skipped, never duplicated.
    """
    require(can_manage_matching(principal))
    good, errors = check_records(result)
    outcome = ImportResult(read=len(result.records) + len(result.errors), errors=errors)
    if errors and not lenient:
        return outcome
    index = NameIndex.load(session)
    seen_doi: set[str] = set()
    seen_patent: set[str] = set()
    for number, (_record, data) in enumerate(good, start=1):
        if _duplicate(session, data, seen_doi, seen_patent):
            outcome.skipped_duplicates += 1
        else:
            work = _new_work(data, index, source)
            session.add(work)
            outcome.works.append(work)
            outcome.pending_reviews += sum(1 for a in work.authors if a.state == AuthorState.PENDING)
        if progress:
            progress(number)
    session.flush()
    for work in outcome.works:
        audit.record(session, principal, "import", work, after=_snapshot(work))
    outcome.imported = len(outcome.works)
    return outcome


def _duplicate(session: Session, data: WorkIn, seen_doi: set[str], seen_patent: set[str]) -> bool:
    doi = data.doi.lower() if data.doi else None
    patent = data.patent_number.upper() if data.patent_number else None
    if (doi and doi in seen_doi) or (patent and patent in seen_patent):
        return True
    conditions = []
    if doi:
        seen_doi.add(doi)
        conditions.append(Work.doi == data.doi)
    if patent:
        seen_patent.add(patent)
        conditions.append(Work.patent_number == data.patent_number)
    if not conditions:
        return False
    return session.scalar(select(Work.id).where(or_(*conditions)).limit(1)) is not None


# Review queue ------------------------------------------------------------------------------------


def pending_authorships(session: Session, principal: Principal, limit: int = 200) -> list[Authorship]:
    """Ambiguous author names waiting for a coordinator."""
    require(can_manage_matching(principal))
    stmt = (
        select(Authorship)
        .join(Work)
        .options(selectinload(Authorship.work))
        .where(Authorship.state == AuthorState.PENDING, Work.archived_at.is_(None))
        .order_by(Authorship.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def candidate_people(session: Session, authorships: Sequence[Authorship]) -> dict[int, Person]:
    """The people named as candidates by ``authorships``."""
    ids = {c["person_id"] for a in authorships for c in (a.candidates or [])}
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}


def resolve_authorship(
    session: Session, principal: Principal, authorship_id: int, person_id: int | None
) -> Authorship:
    """Link an author name to a person (or to nobody); the work's expert profile changes with it."""
    require(can_manage_matching(principal))
    authorship = records.get_or_404(session, Authorship, authorship_id)
    if person_id is not None:
        errors: list[FieldError] = []
        person = records.reference(session, principal, Person, person_id, "person_id", errors)
        records.raise_if(errors)
        assert person is not None
        require(can_manage_person(principal, person.organisation_id))
    work = authorship.work
    before = _snapshot(work)
    authorship.person_id = person_id
    authorship.state = AuthorState.CONFIRMED
    authorship.reviewed_by = principal.label
    authorship.reviewed_at = utcnow()
    work.updated_at = utcnow()  # the work's profile changed: the index picks it up
    session.flush()
    audit.record(session, principal, "review_author", work, before, after=_snapshot(work))
    return authorship
