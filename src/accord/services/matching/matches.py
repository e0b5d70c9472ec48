"""The life of a sent match: sent to the expert (with the invitation e-mail), answered, made a project."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from accord import clock
from accord.i18n import gettext as _
from accord.models import (
    Achievement,
    Demand,
    Match,
    MatchStatus,
    MatchTarget,
    NoticeChannel,
    NoticeRecord,
    NoticeState,
    Organisation,
    Person,
)
from accord.schemas.matching import MatchProjectIn, MatchResponseIn, MatchSendIn
from accord.schemas.portfolio import OrganisationRef, PersonRef, ProjectIn
from accord.services import audit, demands, projects, records
from accord.services.errors import Conflict, FieldError, MissingReference, ValidationFailed
from accord.services.matching.ranking import rank
from accord.services.permissions import Principal, can_manage_match, can_read, require


def _target_orgs(session: Session, target: MatchTarget, target_id: int) -> tuple[Any, list[int | None]]:
    """The record a match points at and the organisations whose coordinators handle it."""
    if target == MatchTarget.EXPERT:
        person = records.find(session, Person, target_id) if target_id > 0 else None
        return person, [person.organisation_id] if person else []
    if target == MatchTarget.ACHIEVEMENT:
        item = records.find(session, Achievement, target_id) if target_id > 0 else None
        return item, [o.organisation_id for o in item.owners] if item else []
    org = records.find(session, Organisation, target_id) if target_id > 0 else None
    return org, [org.id, org.parent_id] if org else []


def can_handle(session: Session, principal: Principal, target: MatchTarget, target_id: int) -> bool:
    """Whether the principal may send a suggestion to this expert (or achievement, or lab), record its
    answer and turn it into a joint project: coordinators of its organisation (who therefore read it),
    and admins. The demand page shows those buttons only where this is true, as the services check."""
    item, orgs = _target_orgs(session, target, target_id)
    return item is not None and can_manage_match(principal, orgs)


def send_match(
    session: Session, principal: Principal, directory: Path | None, demand_id: int, data: MatchSendIn
) -> Match:
    """Record that a suggestion was sent to the expert (or owner, or lab), with its explanation."""
    demand = demands.get_demand(session, principal, demand_id)
    target, _orgs = _target_orgs(session, data.target, data.target_id)
    if target is None or getattr(target, "archived_at", None) is not None or not can_read(principal, target):
        records.raise_if([MissingReference("target_id", _("No such record."))])
    require(can_handle(session, principal, data.target, data.target_id))
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
        sent_on=clock.today(),
        sent_by=principal.label,
        note=data.note,
    )
    session.add(match)
    session.flush()
    audit.record(session, principal, "send", match)
    if data.target is MatchTarget.EXPERT:
        _invite(session, match, records.find(session, Person, data.target_id))
    return match


def _invite(session: Session, match: Match, person: Person | None) -> None:
    """Queue the invitation e-mail to a matched expert, in the same transaction as the match;
    ``accord worker`` sends it like any notice (lease, retries, record)."""
    if person is None or not person.email:
        return  # the demand page says to contact the expert directly
    now = clock.now()
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
            due_on=match.demand.deadline or clock.day_of(now),
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
    require(can_handle(session, principal, match.target, target_id))


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
    match.responded_on = data.responded_on or clock.today()
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
                selectinload(Match.person),
                selectinload(Match.achievement).selectinload(Achievement.owners),
                selectinload(Match.organisation),
            )
            .where(Match.demand_id == demand.id)
            .order_by(Match.id)
        )
    )
