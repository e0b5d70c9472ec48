"""Ranking a demand's experts, achievements and labs, each with its explanation, for pages and the API."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import clock
from accord.i18n import gettext as _
from accord.i18n import localized, ngettext
from accord.match import ExpertHit, Explanation, Filters, MatchSummary, Span
from accord.models import (
    Achievement,
    AchievementOwner,
    Demand,
    Institution,
    InstitutionParty,
    MatchTarget,
    Organisation,
    Person,
    Role,
)
from accord.services import demands
from accord.services.matching.index import EXPERT_KINDS, LAB_INSTITUTIONS, IndexState, get_index, join_text
from accord.services.permissions import (
    Principal,
    can_manage_matching,
    catalogue_condition,
    descendants,
    require,
)

#: The summary counts an expert's works of the last this many years (this year included) as recent.
RECENT_YEARS = 5


@dataclass(frozen=True)
class RankFilters:
    """Filters of the ranking page: organisation (with its units), field text, works since a year."""

    organisation_id: int | None = None
    field: str | None = None
    since: int | None = None


def term_labels(explanation: Mapping[str, Any], limit: int) -> list[tuple[str, str]]:
    """(label, source) of the matched terms of a recorded explanation (``Suggestion.as_dict``), as people
    read them: the demand's words, translations as "word → the sense that matched", related words."""
    return [(t["text"], t["source"]) for t in explanation.get("readable_terms", [])][:limit]


def summary_text(summary: MatchSummary | None) -> str:
    """The match in a sentence: "Matched 5 of 7 demand terms, 3 through translation; 12 works, 2 since
    2022"."""
    if summary is None:
        return ""
    terms = ngettext(
        "Matched {matched} of {n} demand term",
        "Matched {matched} of {n} demand terms",
        summary.query_terms,
        matched=summary.matched,
    )
    if summary.translated:
        terms = _("{terms}, {count} through translation", terms=terms, count=summary.translated)
    works = ngettext("{n} matching work", "{n} matching works", summary.documents)
    if summary.since is not None and summary.documents:
        works = (
            _("{works}, {recent} since {year}", works=works, recent=summary.recent, year=summary.since)
            if summary.recent
            else _("{works}, none since {year}", works=works, year=summary.since)
        )
    return _("{terms}; {works}", terms=terms, works=works)


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
    #: Strength relative to the best suggestion of its list: for experts, their best document's score as
    #: a share of the best expert's (Model 2 scores fall exponentially and would read 100 %, 0 %, 0 %).
    relative: float = 1.0

    def translations(self, limit: int = 8) -> list[tuple[str, str]]:
        """(term of the demand, the sense that matched) pairs that carried the match across languages."""
        return [(t.origin, t.gloss) for t in self.explanation.readable if t.source == "translation"][:limit]

    def chips(self, limit: int = 12) -> list[tuple[str, str]]:
        """(label, source) of the matched terms as people read them (whole words, one sense each)."""
        return [(t.text, t.source) for t in self.explanation.readable][:limit]

    def summary(self) -> str:
        """The match in a sentence (see ``summary_text``)."""
        return summary_text(self.explanation.summary)

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
            "summary": self.summary(),
            "readable_terms": [
                {
                    "text": t.text,
                    "source": t.source,
                    "origin": t.origin,
                    "gloss": t.gloss,
                    "contribution": round(float(t.contribution), 4),
                }
                for t in e.readable[:20]
            ],
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
    return join_text(demand.title, demand.field, demand.description)


def hidden_documents(session: Session, principal: Principal) -> frozenset[str]:
    """Documents of the index the principal may not read: achievements outside the public catalogue
    (permissions.achievement_access) and co-built labs of organisations where they hold no role. They are left out of the search itself, so no suggestion,
    explanation, snippet or count is drawn from them."""
    if principal.is_admin:
        return frozenset()
    orgs = principal.orgs_with(Role.VIEWER)
    owned = select(AchievementOwner.achievement_id).where(AchievementOwner.organisation_id.in_(orgs))
    private = select(Achievement.id).where(~catalogue_condition(), Achievement.id.not_in(owned))
    shared = select(InstitutionParty.institution_id).where(InstitutionParty.organisation_id.in_(orgs))
    labs = select(Institution.id).where(Institution.kind.in_(LAB_INSTITUTIONS), Institution.id.not_in(shared))
    return frozenset(
        [f"achievement:{n}" for n in session.scalars(private)] + [f"inst:{n}" for n in session.scalars(labs)]
    )


def _filters(
    session: Session, state: IndexState, kinds: frozenset[str], chosen: RankFilters, hidden: frozenset[str]
) -> Filters:
    orgs = None
    if chosen.organisation_id:
        orgs = frozenset(str(o) for o in descendants(session, chosen.organisation_id))
    exclude = hidden
    if chosen.field:
        wanted = chosen.field.lower()
        exclude = exclude | frozenset(d for d, text in state.fields.items() if wanted not in text)
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
    hidden = hidden_documents(session, principal)
    since = clock.today().year - RECENT_YEARS + 1
    with state.lock:
        matcher = state.matcher
        experts = matcher.search_experts(
            query, k=k * 3, filters=_filters(session, state, EXPERT_KINDS, chosen, hidden)
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
        expert_hits_shown: list[ExpertHit] = []
        for hit in expert_hits:
            person = people.get(int(hit.expert_id))
            if person is None or person.archived_at is not None:
                continue
            if allowed is not None and person.organisation_id not in allowed:
                continue
            why = matcher.explain(query, hit, terms=experts.terms, since=since)
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
            expert_hits_shown.append(hit)
            if len(expert_out) >= k:
                break
        items = matcher.search(
            query, k=k, filters=_filters(session, state, frozenset({"achievement"}), chosen, hidden)
        )
        achievement_out: list[Suggestion] = []
        for item_hit in items.hits:
            achievement = session.get(Achievement, _target_key(item_hit.doc_id)[1])
            if achievement is None:
                continue
            owner = achievement.owners[0].organisation if achievement.owners else None
            why = matcher.explain(query, item_hit, terms=items.terms, since=since)
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
        labs = matcher.search(
            query, k=k, filters=_filters(session, state, frozenset({"lab"}), chosen, hidden)
        )
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
            why = matcher.explain(query, lab_hit, terms=labs.terms, since=since)
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
    best_doc = {id(s): h.best_doc_score for s, h in zip(expert_out, expert_hits_shown, strict=True)}
    for group in (expert_out, achievement_out, lab_out):
        value = {id(s): best_doc.get(id(s), s.score) for s in group}
        top = max(value.values(), default=0.0)
        for s in group:
            s.relative = value[id(s)] / top if top > 0 else 0.0
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
