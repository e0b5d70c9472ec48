"""The matching index of this process, fed from the database, and the matches coordinators send.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from accord.i18n import gettext as _
from accord.i18n import localized
from accord.match import (
    Document,
    Explanation,
    Filters,
    IndexCorruptedError,
    Matcher,
    Span,
    analyze,
    merge_glossary,
    read_glossary_file,
)
from accord.models import (
    Achievement,
    Authorship,
    AuthorState,
    Demand,
    Institution,
    InstitutionKind,
    Match,
    MatchStatus,
    MatchTarget,
    NoticeChannel,
    NoticeRecord,
    NoticeState,
    Organisation,
    OrgKind,
    Person,
    Work,
)
from accord.schemas.matching import MatchProjectIn, MatchResponseIn, MatchSendIn
from accord.schemas.portfolio import OrganisationRef, PersonRef, ProjectIn
from accord.services import audit, demands, projects, records
from accord.services.errors import Conflict, FieldError, ValidationFailed
from accord.services.permissions import (
    Principal,
    can_manage_match,
    can_manage_matching,
    descendants,
    require,
)

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


def _join(*parts: str | None) -> str:
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
                text=_join(work.abstract, work.keywords),
                lang=work.language if work.language in ("zh", "en") else None,
                expert_ids=tuple(str(e) for e in dict.fromkeys(experts)),
                org=str(org) if org else None,
                year=work.year,
            )
        )
        fields[doc_id] = _join(work.keywords, work.venue).lower()
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
                title=_join(item.title_zh, item.title_en),
                text=_join(item.abstract_zh, item.abstract_en, item.field_zh, item.field_en),
                expert_ids=tuple(str(i.person_id) for i in item.inventors if i.person_id in people),
                org=str(item.owners[0].organisation_id) if item.owners else None,
                year=item.created_at.year if item.created_at else None,
            )
        )
        fields[doc_id] = _join(item.field_zh, item.field_en).lower()
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
                title=_join(lab.name_zh, lab.name_en),
                text=_join(lab.short_name_zh, lab.short_name_en, *titles),
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
                title=_join(inst.name_zh, inst.name_en),
                text=_join(inst.summary_zh, inst.summary_en),
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


# Ranking -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankFilters:
    """Filters of the ranking page: organisation (with its units), field text, works since a year."""

    organisation_id: int | None = None
    field: str | None = None
    since: int | None = None


def term_labels(terms: Iterable[tuple[str, str, str | None, str]], limit: int) -> list[tuple[str, str]]:
    """(label, source) of matched terms, (source, origin, via, term) each, as people read them: the
    demand's words (single characters left out when at least three longer words matched), translations
    as "word → gloss", related terms; no repeats."""
    items = list(terms)
    longer = sum(1 for source, origin, _via, _term in items if source == "query" and len(origin) > 1)
    labels: list[tuple[str, str]] = []
    seen: set[str] = set()
    for source, origin, via, term in items:
        if source == "translation":
            label = f"{origin} → {via}"
        elif source == "query":
            if len(origin) < 2 and longer >= 3:
                continue
            label = origin
        else:
            label = term
        if label not in seen:
            seen.add(label)
            labels.append((label, source))
    return labels[:limit]


@dataclass
class Suggestion:
    """One ranked, explained suggestion."""

    target: MatchTarget
    target_id: int
    label: str
    organisation: str | None
    score: float
    rank: int
    explanation: Explanation
    titles: dict[str, str]
    relative: float = 1.0  # score as a share of the best suggestion of its list

    def translations(self, limit: int = 8) -> list[tuple[str, str]]:
        """(word of the demand, gloss) pairs that carried the match across languages, no repeats."""
        pairs = dict.fromkeys((t.origin, t.via) for t in self.explanation.translated_terms)
        return list(pairs)[:limit]

    def chips(self, limit: int = 12) -> list[tuple[str, str]]:
        """(label, source) of the matched terms for display (see ``term_labels``)."""
        return term_labels(
            ((t.source, t.origin, t.via, t.term) for t in self.explanation.matched_terms), limit
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (for the API and for recording with a sent match)."""
        e = self.explanation

        def term(t: Any) -> dict[str, Any]:
            return {
                "term": t.term,
                "origin": t.origin,
                "source": t.source,
                "via": t.via,
                "contribution": round(float(t.contribution), 4),
            }

        return {
            "target": self.target.value,
            "target_id": self.target_id,
            "label": self.label,
            "organisation": self.organisation,
            "score": round(float(self.score), 4),
            "rank": self.rank,
            "relative": round(float(self.relative), 4),
            "matched_terms": [term(t) for t in e.matched_terms[:20]],
            "translated_terms": [term(t) for t in e.translated_terms[:20]],
            "documents": [
                {
                    "doc_id": d.doc_id,
                    "title": self.titles.get(d.doc_id, d.title),
                    "snippet": d.snippet,
                    "spans": [{"start": s.start, "end": s.end, "term": s.term} for s in d.spans],
                    "score": round(float(d.score), 4),
                }
                for d in e.documents
            ],
            "breakdown": {k: round(float(v), 4) for k, v in e.breakdown.items()},
        }


@dataclass
class Ranking:
    """Experts, achievements and labs for a demand."""

    experts: list[Suggestion]
    achievements: list[Suggestion]
    labs: list[Suggestion]
    reason: str | None
    truncated: bool


def demand_query(demand: Demand) -> str:
    """The text matched for a demand."""
    return _join(demand.title, demand.field, demand.description)


def _filters(session: Session, state: IndexState, kinds: frozenset[str], chosen: RankFilters) -> Filters:
    orgs = None
    if chosen.organisation_id:
        orgs = frozenset(str(o) for o in descendants(session, chosen.organisation_id))
    exclude: frozenset[str] = frozenset()
    if chosen.field:
        wanted = chosen.field.lower()
        exclude = frozenset(d for d, text in state.fields.items() if wanted not in text)
    return Filters(kinds=kinds, orgs=orgs, year_min=chosen.since, exclude_ids=exclude)


def _org_name(org: Organisation | None) -> str | None:
    return localized(org, "name") if org is not None else None


def _target_key(doc_id: str) -> tuple[str, int]:
    prefix, _sep, number = doc_id.partition(":")
    return prefix, int(number)


def rank(
    session: Session,
    principal: Principal,
    directory: Path,
    demand: Demand,
    chosen: RankFilters | None = None,
    k: int = 10,
) -> Ranking:
    """Experts, achievements and labs for ``demand``, each explained."""
    require(can_manage_matching(principal) or demands.get_demand(session, principal, demand.id) is demand)
    chosen = chosen or RankFilters()
    state = get_index(session, directory)
    query = demand_query(demand)
    with state.lock:
        matcher = state.matcher
        experts = matcher.search_experts(
            query, k=k * 3, filters=_filters(session, state, EXPERT_KINDS, chosen)
        )
        expert_hits = [e for e in experts.experts if e.expert_id.isdigit()]
        people = {
            p.id: p
            for p in session.scalars(
                select(Person).where(Person.id.in_([int(e.expert_id) for e in expert_hits]))
            )
        }
        allowed: set[int] | None = None
        if chosen.organisation_id:
            allowed = descendants(session, chosen.organisation_id)
        expert_out: list[Suggestion] = []
        for hit in expert_hits:
            person = people.get(int(hit.expert_id))
            if person is None or person.archived_at is not None:
                continue
            if allowed is not None and person.organisation_id not in allowed:
                continue
            why = matcher.explain(query, hit, terms=experts.terms)
            expert_out.append(
                Suggestion(
                    MatchTarget.EXPERT,
                    person.id,
                    localized(person, "name"),
                    _org_name(person.organisation),
                    hit.score,
                    len(expert_out) + 1,
                    why,
                    {},
                )
            )
            if len(expert_out) >= k:
                break
        items = matcher.search(
            query, k=k, filters=_filters(session, state, frozenset({"achievement"}), chosen)
        )
        achievement_out: list[Suggestion] = []
        for item_hit in items.hits:
            achievement = session.get(Achievement, _target_key(item_hit.doc_id)[1])
            if achievement is None:
                continue
            owner = achievement.owners[0].organisation if achievement.owners else None
            why = matcher.explain(query, item_hit, terms=items.terms)
            achievement_out.append(
                Suggestion(
                    MatchTarget.ACHIEVEMENT,
                    achievement.id,
                    localized(achievement, "title"),
                    _org_name(owner),
                    item_hit.score,
                    len(achievement_out) + 1,
                    why,
                    {item_hit.doc_id: localized(achievement, "title")},
                )
            )
        labs = matcher.search(query, k=k, filters=_filters(session, state, frozenset({"lab"}), chosen))
        lab_out: list[Suggestion] = []
        for lab_hit in labs.hits:
            prefix, number = _target_key(lab_hit.doc_id)
            if prefix == "lab":
                org = session.get(Organisation, number)
                if org is None:
                    continue
                label, org_id = localized(org, "name"), org.id
                parent = org.parent
            else:
                inst = session.get(Institution, number)
                if inst is None or not inst.parties:
                    continue
                label, org_id = localized(inst, "name"), inst.parties[0].organisation_id
                parent = inst.parties[0].organisation
            why = matcher.explain(query, lab_hit, terms=labs.terms)
            lab_out.append(
                Suggestion(
                    MatchTarget.LAB,
                    org_id if prefix == "lab" else number,
                    label,
                    _org_name(parent),
                    lab_hit.score,
                    len(lab_out) + 1,
                    why,
                    {lab_hit.doc_id: label},
                )
            )
    _retitle(session, [*expert_out, *achievement_out, *lab_out])
    for group in (expert_out, achievement_out, lab_out):
        top = max((s.score for s in group), default=0.0)
        for s in group:
            s.relative = s.score / top if top > 0 else 0.0
    lab_out = [s for s in lab_out if s.target_id]
    return Ranking(expert_out, achievement_out, lab_out, experts.reason, experts.truncated)


def _retitle(session: Session, suggestions: Sequence[Suggestion]) -> None:
    """Show achievement documents by their title in the current language (works keep theirs)."""
    for s in suggestions:
        for d in s.explanation.documents:
            if d.doc_id.startswith("achievement:") and d.doc_id not in s.titles:
                item = session.get(Achievement, _target_key(d.doc_id)[1])
                if item is not None:
                    s.titles[d.doc_id] = localized(item, "title")


def highlight(snippet: str, spans: Iterable[Span | dict[str, Any]]) -> Markup:
    """The snippet with the engine's spans wrapped in ``<mark>``; the text itself is always escaped."""
    pieces: list[str] = []
    position = 0
    ordered = sorted(
        ((s["start"], s["end"]) if isinstance(s, dict) else (s.start, s.end) for s in spans),
        key=lambda pair: pair[0],
    )
    for start, end in ordered:
        start, end = max(start, position), min(end, len(snippet))
        if start >= end:
            continue
        pieces.append(str(escape(snippet[position:start])))
        pieces.append(f"<mark>{escape(snippet[start:end])}</mark>")
        position = end
    pieces.append(str(escape(snippet[position:])))
    return Markup("".join(pieces))


# Matches sent to experts -------------------------------------------------------------------------


def _target_orgs(session: Session, target: MatchTarget, target_id: int) -> tuple[Any, list[int | None]]:
    """The record a match points at and the organisations whose coordinators handle it."""
    if target == MatchTarget.EXPERT:
        person = session.get(Person, target_id) if target_id > 0 else None
        return person, [person.organisation_id] if person else []
    if target == MatchTarget.ACHIEVEMENT:
        item = session.get(Achievement, target_id) if target_id > 0 else None
        return item, [o.organisation_id for o in item.owners] if item else []
    org = session.get(Organisation, target_id) if target_id > 0 else None
    return org, [org.id, org.parent_id] if org else []


def send_match(
    session: Session, principal: Principal, directory: Path | None, demand_id: int, data: MatchSendIn
) -> Match:
    """Record that a suggestion was sent to the expert (or owner, or lab), with its explanation."""
    demand = demands.get_demand(session, principal, demand_id)
    target, orgs = _target_orgs(session, data.target, data.target_id)
    if target is None or getattr(target, "archived_at", None) is not None:
        raise ValidationFailed(
            _("Please correct the highlighted fields."),
            [FieldError("target_id", _("No such record (number {id}).", id=data.target_id))],
        )
    require(can_manage_match(principal, orgs))
    existing = session.scalar(
        select(Match.id).where(
            Match.demand_id == demand.id,
            Match.target == data.target,
            {
                MatchTarget.EXPERT: Match.person_id,
                MatchTarget.ACHIEVEMENT: Match.achievement_id,
                MatchTarget.LAB: Match.organisation_id,
            }[data.target]
            == data.target_id,
        )
    )
    if existing is not None:
        raise Conflict(_("This suggestion was already sent for this demand."))
    explanation: dict[str, Any] | None = None
    score: float | None = None
    if directory is not None:
        ranking = rank(session, principal, directory, demand, k=20)
        pool = {MatchTarget.EXPERT: ranking.experts, MatchTarget.ACHIEVEMENT: ranking.achievements}
        for s in pool.get(data.target, ranking.labs):
            if s.target_id == data.target_id:
                explanation, score = s.as_dict(), float(s.score)
    match = Match(
        demand_id=demand.id,
        target=data.target,
        person_id=data.target_id if data.target == MatchTarget.EXPERT else None,
        achievement_id=data.target_id if data.target == MatchTarget.ACHIEVEMENT else None,
        organisation_id=data.target_id if data.target == MatchTarget.LAB else None,
        score=score,
        explanation=explanation,
        status=MatchStatus.SENT,
        sent_on=date.today(),
        sent_by=principal.label,
        note=data.note,
    )
    session.add(match)
    session.flush()
    audit.record(session, principal, "send", match)
    if data.target is MatchTarget.EXPERT:
        _invite(session, match, session.get(Person, data.target_id))
    return match


def _invite(session: Session, match: Match, person: Person | None) -> None:
    """Queue the invitation e-mail to a matched expert, in the same transaction as the match;
    ``accord worker`` sends it like any notice (lease, retries, record)."""
    if person is None or not person.email:
        return  # the demand page says to contact the expert directly
    now = datetime.now(UTC)
    session.add(
        NoticeRecord(
            key=f"m{match.id}:invitation#email",
            plan_key=f"m{match.id}:invitation",
            match_id=match.id,
            level="expert",
            kind="invitation",
            channel=NoticeChannel.EMAIL,
            recipient=person.email,
            # The expert's own language is unknown: Chinese when the registry has a Chinese name.
            language="zh" if person.name_zh else "en",
            due_on=match.demand.deadline or now.date(),
            status=NoticeState.PENDING,
            next_attempt_at=now,
            created_at=now,
        )
    )


def invitations(session: Session, matches: Sequence[Match]) -> dict[int, NoticeRecord]:
    """The invitation e-mail of each sent match that has one, by match id."""
    rows = session.scalars(select(NoticeRecord).where(NoticeRecord.match_id.in_([m.id for m in matches])))
    return {row.match_id: row for row in rows if row.match_id is not None}


def get_match(session: Session, principal: Principal, match_id: int) -> Match:
    """A sent match whose demand the principal may read."""
    match = records.get_or_404(session, Match, match_id)
    demands.get_demand(session, principal, match.demand_id)
    return match


def _manage(session: Session, principal: Principal, match: Match) -> None:
    target_id = match.person_id or match.achievement_id or match.organisation_id or 0
    _target, orgs = _target_orgs(session, match.target, target_id)
    require(can_manage_match(principal, orgs))


def respond(
    session: Session, principal: Principal, match_id: int, data: MatchResponseIn, version: int | None
) -> Match:
    """Record the expert's answer: accepted or declined."""
    match = get_match(session, principal, match_id)
    _manage(session, principal, match)
    records.check_version(match, version)
    if data.status == MatchStatus.SENT:
        raise ValidationFailed(
            _("Please correct the highlighted fields."),
            [FieldError("status", _("Record the answer: accepted or declined."))],
        )
    if match.project_id is not None:
        raise Conflict(_("This match already became a joint project."))
    before = audit.snapshot(match)
    match.status = data.status
    match.responded_on = data.responded_on or date.today()
    match.response_note = data.note
    session.flush()
    audit.record(session, principal, "respond", match, before)
    return match


def to_project(
    session: Session, principal: Principal, match_id: int, data: MatchProjectIn, version: int | None
) -> Match:
    """Turn an accepted match into a joint project of the enterprise and the expert's organisation."""
    match = get_match(session, principal, match_id)
    _manage(session, principal, match)
    records.check_version(match, version)
    if match.status != MatchStatus.ACCEPTED:
        raise Conflict(_("Only an accepted match can become a joint project."))
    if match.project_id is not None:
        raise Conflict(_("This match already became a joint project."))
    demand = match.demand
    parties: list[int] = []
    leads: list[int] = []
    if match.person is not None:
        leads.append(match.person.id)
        if match.person.organisation_id:
            parties.append(match.person.organisation_id)
    elif match.achievement is not None:
        parties.extend(o.organisation_id for o in match.achievement.owners)
        leads.extend(i.person_id for i in match.achievement.inventors)
    elif match.organisation_id:
        parties.append(match.organisation_id)
    if demand.organisation_id and demand.organisation_id not in parties:
        parties.append(demand.organisation_id)
    if not parties:
        raise ValidationFailed(
            _("Please correct the highlighted fields."),
            [FieldError("__all__", _("The expert belongs to no organisation, so there is no party."))],
        )
    chinese = demand.language == "zh"
    project = projects.create_project(
        session,
        principal,
        ProjectIn(
            title_zh=demand.title if chinese else None,
            title_en=None if chinese else demand.title,
            agreement_id=data.agreement_id,
            budget=demand.budget,
            currency=demand.currency,
            start_on=data.start_on,
            end_on=demand.deadline
            if demand.deadline and (not data.start_on or demand.deadline >= data.start_on)
            else None,
            outputs_zh=demand.description[:20000] if chinese else None,
            outputs_en=None if chinese else demand.description[:20000],
            parties=[OrganisationRef(organisation_id=p) for p in dict.fromkeys(parties)],
            leads=[PersonRef(person_id=p) for p in dict.fromkeys(leads)],
        ),
    )
    before = audit.snapshot(match)
    match.project_id = project.id
    session.flush()
    audit.record(session, principal, "to_project", match, before)
    return match


def matches_of(session: Session, demand: Demand) -> list[Match]:
    """The matches sent for a demand."""
    return list(
        session.scalars(
            select(Match)
            .options(
                selectinload(Match.person), selectinload(Match.achievement), selectinload(Match.organisation)
            )
            .where(Match.demand_id == demand.id)
            .order_by(Match.id)
        )
    )
