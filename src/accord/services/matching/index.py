"""The matching index of this process, fed from the database, and the admins' translation glossary.

One :class:`accord.match.Matcher` per index directory (``ACCORD_DATA_DIR/match-index``) lives in the
process. It is loaded at first use; a damaged index (``IndexCorruptedError``) is rebuilt from the
database, logged and reported on the matchmaking admin page. Before each use the index is reconciled
with the database: a cheap fingerprint (counts and latest change times of works, authorships,
achievements, organisations and institutions) says whether anything changed — in this process or in
another one — and only documents whose content changed are added or removed (incrementally, no
rebuild). Documents: works (``work:ID``, kind paper/patent, experts = linked authors), achievements
(``achievement:ID``, experts = inventors) and labs (institute organisations and co-built key labs,
R&D centres and institutes: ``lab:ID`` / ``inst:ID``, profiled by their own text and their members'
work titles).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from accord.i18n import gettext as _
from accord.match import (
    Document,
    IndexCorruptedError,
    IndexOutdatedError,
    Matcher,
    analyze,
    merge_glossary,
    read_glossary_file,
)
from accord.models import (
    Achievement,
    Authorship,
    AuthorState,
    Institution,
    InstitutionKind,
    Organisation,
    OrgKind,
    Person,
    Work,
)
from accord.services import records
from accord.services.errors import FieldError
from accord.services.permissions import Principal, can_manage_matching, require

log = logging.getLogger(__name__)

LAB_INSTITUTIONS = (InstitutionKind.KEY_LAB, InstitutionKind.RD_CENTRE, InstitutionKind.INSTITUTE)
LINKED = (AuthorState.MATCHED, AuthorState.CONFIRMED)
EXPERT_KINDS = frozenset({"paper", "patent", "achievement"})
MAX_LAB_TITLES = 40


@dataclass
class IndexState:
    """The process's matcher for one index directory, and what it knows about the database."""

    directory: Path
    matcher: Matcher
    hashes: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # doc id → lower-cased field text for filters
    fingerprint: str = ""
    notice: str | None = None  # why the index was rebuilt, for the admin page
    glossary_mtime: float = 0.0  # the admin glossary file last merged into the dictionary
    lock: threading.RLock = field(default_factory=threading.RLock)


_states: dict[str, IndexState] = {}
_states_lock = threading.Lock()


# Documents from the database ---------------------------------------------------------------------


def _fingerprint(session: Session) -> str:
    parts: list[Any] = []
    for model in (Work, Achievement, Organisation, Institution, Person):
        parts.extend(session.execute(select(func.count(model.id), func.max(model.updated_at))).one())
    parts.extend(session.execute(select(func.count(Authorship.id), func.max(Authorship.reviewed_at))).one())
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def join_text(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def documents(session: Session) -> tuple[list[Document], dict[str, str]]:
    """Every matchable document, and the field text of each (for the field filter)."""
    people = {p.id: p for p in session.scalars(select(Person).where(Person.archived_at.is_(None)))}
    docs: list[Document] = []
    fields: dict[str, str] = {}
    titles_by_org: dict[int, list[str]] = {}
    works = session.scalars(
        select(Work).options(selectinload(Work.authors)).where(Work.archived_at.is_(None)).order_by(Work.id)
    )
    for work in works:
        experts = [a.person_id for a in work.authors if a.person_id in people and a.state in LINKED]
        org = next((people[e].organisation_id for e in experts if people[e].organisation_id), None)
        doc_id = f"work:{work.id}"
        docs.append(
            Document(
                id=doc_id,
                kind=work.kind.value,
                title=work.title,
                text=join_text(work.abstract, work.keywords),
                lang=work.language if work.language in ("zh", "en") else None,
                expert_ids=tuple(str(e) for e in dict.fromkeys(experts)),
                org=str(org) if org else None,
                year=work.year,
            )
        )
        fields[doc_id] = join_text(work.keywords, work.venue).lower()
        for e in dict.fromkeys(experts):
            if people[e].organisation_id:
                titles_by_org.setdefault(people[e].organisation_id, []).append(work.title)  # type: ignore[arg-type]
    achievements = session.scalars(
        select(Achievement)
        .options(selectinload(Achievement.owners), selectinload(Achievement.inventors))
        .where(Achievement.archived_at.is_(None))
        .order_by(Achievement.id)
    )
    for item in achievements:
        doc_id = f"achievement:{item.id}"
        docs.append(
            Document(
                id=doc_id,
                kind="achievement",
                title=join_text(item.title_zh, item.title_en),
                text=join_text(item.abstract_zh, item.abstract_en, item.field_zh, item.field_en),
                expert_ids=tuple(str(i.person_id) for i in item.inventors if i.person_id in people),
                org=str(item.owners[0].organisation_id) if item.owners else None,
                year=item.created_at.year if item.created_at else None,
            )
        )
        fields[doc_id] = join_text(item.field_zh, item.field_en).lower()
    labs = session.scalars(
        select(Organisation)
        .where(Organisation.kind == OrgKind.INSTITUTE, Organisation.archived_at.is_(None))
        .order_by(Organisation.id)
    )
    for lab in labs:
        titles = titles_by_org.get(lab.id, [])[:MAX_LAB_TITLES]
        docs.append(
            Document(
                id=f"lab:{lab.id}",
                kind="lab",
                title=join_text(lab.name_zh, lab.name_en),
                text=join_text(lab.short_name_zh, lab.short_name_en, *titles),
                org=str(lab.id),
            )
        )
        fields[f"lab:{lab.id}"] = ""
    institutions = session.scalars(
        select(Institution)
        .options(selectinload(Institution.parties))
        .where(Institution.kind.in_(LAB_INSTITUTIONS), Institution.archived_at.is_(None))
        .order_by(Institution.id)
    )
    for inst in institutions:
        docs.append(
            Document(
                id=f"inst:{inst.id}",
                kind="lab",
                title=join_text(inst.name_zh, inst.name_en),
                text=join_text(inst.summary_zh, inst.summary_en),
                org=str(inst.parties[0].organisation_id) if inst.parties else None,
            )
        )
        fields[f"inst:{inst.id}"] = ""
    return docs, fields


def _hash(doc: Document) -> str:
    return hashlib.sha256(
        json.dumps(
            [doc.kind, doc.title, doc.text, doc.lang, list(doc.expert_ids), doc.org, doc.year],
            ensure_ascii=False,
        ).encode()
    ).hexdigest()[:24]


# The index of this process -----------------------------------------------------------------------


def index_dir(data_dir: Path) -> Path:
    """Where the index of a data directory lives."""
    return data_dir / "match-index"


def _engine_dir(directory: Path) -> Path:
    return directory / "engine"


def _stamps(directory: Path) -> Path:
    return directory / "stamps.json"


def _open(directory: Path) -> IndexState:
    engine = _engine_dir(directory)
    if not (engine / "manifest.json").exists() and not engine.exists():
        return IndexState(directory, Matcher())
    try:
        matcher = Matcher.load(engine)
        stamps = json.loads(_stamps(directory).read_text("utf-8"))
        hashes = dict(stamps["hashes"])
        if len(matcher) != len(hashes) or any(d not in matcher for d in hashes):
            raise IndexCorruptedError("the index and its stamps disagree")
    except IndexOutdatedError as error:
        # After an upgrade that changed the index format: expected, rebuilt without alarming anyone.
        log.info("The matching index was rebuilt for this version of Accord (%s).", error)
        return IndexState(directory, Matcher())
    except (IndexCorruptedError, OSError, ValueError, KeyError, TypeError) as error:
        notice = f"The matching index under {engine} was damaged ({error}); it was rebuilt from the database."
        log.warning(notice)
        state = IndexState(directory, Matcher(), notice=notice)
        return state
    return IndexState(directory, matcher, hashes=hashes)


def _save(state: IndexState) -> None:
    state.directory.mkdir(parents=True, exist_ok=True)
    state.matcher.save(_engine_dir(state.directory))
    tmp = _stamps(state.directory).with_suffix(".tmp")
    tmp.write_text(json.dumps({"hashes": state.hashes}), "utf-8")
    tmp.replace(_stamps(state.directory))


def sync(session: Session, state: IndexState, *, force: bool = False) -> int:
    """Bring the index up to date with the database; returns the number of documents added or removed."""
    fingerprint = _fingerprint(session)
    if fingerprint == state.fingerprint and not force:
        return 0
    docs, fields = documents(session)
    current = {doc.id: doc for doc in docs}
    changed = 0
    for doc_id in [d for d in state.hashes if d not in current]:
        state.matcher.remove(doc_id)
        del state.hashes[doc_id]
        changed += 1
    fresh = []
    for doc in docs:
        digest = _hash(doc)
        if state.hashes.get(doc.id) != digest:
            fresh.append(doc)
            state.hashes[doc.id] = digest
    if fresh:
        state.matcher.add_many(fresh)
        changed += len(fresh)
    state.fields = fields
    state.fingerprint = fingerprint
    if changed:
        try:
            _save(state)
        except OSError as error:  # a read-only data directory still serves from memory
            log.warning("could not save the matching index: %s", error)
    return changed


def get_index(session: Session, directory: Path) -> IndexState:
    """This process's index for ``directory``, loaded (or rebuilt) and reconciled with the database."""
    key = str(directory.resolve())
    with _states_lock:
        state = _states.get(key)
        if state is None:
            state = _states[key] = _open(directory)
    with state.lock:
        sync(session, state)
        _apply_glossary(state)
    return state


def warm_up(factory: sessionmaker[Session], directory: Path) -> None:
    """Load this process's index, the bilingual dictionary and the segmenter ahead of the first demand page,
    which would otherwise wait seconds for them; run in a background thread, never raises."""
    try:
        with factory() as session:
            get_index(session, directory)
        analyze("边坡监测 slope monitoring")  # segmenter, stemmer and the dictionary of query translation
    except Exception:
        log.exception("warming up the matching index failed; it loads at first use instead")


def _glossary(directory: Path) -> Path:
    return directory / "glossary.tsv"


def _apply_glossary(state: IndexState) -> None:
    """Merge the admin glossary into the dictionary when the file changed (also in other processes)."""
    path = _glossary(state.directory)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return
    if mtime != state.glossary_mtime:
        merge_glossary(read_glossary_file(path))
        state.glossary_mtime = mtime


def glossary_entries(directory: Path) -> list[tuple[str, str]]:
    """The pairs the admins added."""
    path = _glossary(directory)
    return read_glossary_file(path) if path.exists() else []


def parse_glossary(text: str) -> tuple[list[tuple[str, str]], list[FieldError]]:
    """``中文<TAB>english`` or ``中文 = english`` lines; ``#`` comments and blank lines are skipped."""
    pairs: list[tuple[str, str]] = []
    errors: list[FieldError] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        zh, sep, en = line.partition("\t") if "\t" in line else line.partition("=")
        zh, en = zh.strip(), en.strip()
        if not sep or not zh or not en or not any("\u4e00" <= c <= "\u9fff" for c in zh) or len(line) > 200:
            errors.append(
                FieldError(
                    "glossary",
                    _("Line {line}: write the Chinese term, a tab or =, then the English term.", line=number),
                )
            )
        else:
            pairs.append((zh, en))
    return pairs, errors


def extend_glossary(principal: Principal, directory: Path, text: str) -> int:
    """Add term pairs to the domain glossary (admins); they take effect at once, no rebuild needed."""
    require(principal.is_admin)
    pairs, errors = parse_glossary(text)
    if not pairs and not errors:
        errors.append(FieldError("glossary", _("Write at least one pair of terms.")))
    records.raise_if(errors)
    known = set(glossary_entries(directory))
    fresh = [p for p in dict.fromkeys(pairs) if p not in known]
    if fresh:
        directory.mkdir(parents=True, exist_ok=True)
        with _glossary(directory).open("a", encoding="utf-8") as out:
            out.writelines(f"{zh}\t{en}\n" for zh, en in fresh)
        merge_glossary(fresh)
    return len(fresh)


def rebuild(session: Session, principal: Principal, directory: Path) -> IndexState:
    """Throw the index away and build it again from the database (admins)."""
    require(principal.is_admin)
    key = str(directory.resolve())
    state = IndexState(directory, Matcher())
    with state.lock:
        sync(session, state, force=True)
    with _states_lock:
        _states[key] = state
    return state


def forget(directory: Path) -> None:
    """Drop this process's copy of an index (the next use loads it from disk again)."""
    with _states_lock:
        _states.pop(str(directory.resolve()), None)


def status(session: Session, principal: Principal, directory: Path) -> dict[str, Any]:
    """What the admin page shows about the index."""
    require(can_manage_matching(principal))
    state = get_index(session, directory)
    kinds: dict[str, int] = {}
    for doc_id in state.hashes:
        kinds[doc_id.split(":")[0]] = kinds.get(doc_id.split(":")[0], 0) + 1
    return {
        "documents": len(state.hashes),
        "by_source": kinds,
        "notice": state.notice,
        "directory": directory,
    }
