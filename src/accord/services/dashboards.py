"""Dashboards: overall, per agreement and per partner organisation — figures, scorecards and charts.

Everything is computed from the records when asked (statuses are never stored) and limited to the
agreements the principal may read. The scorecard of an agreement comes from its accepted
commitments: each is fulfilled, partly fulfilled, in progress, overdue, not started or waived according
to the tasks that deliver it (``services.fulfilment``, the one definition every page, the API and the
report use), judged on an "as of" date so that a past year can be reported as it stood at its end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from accord.delivery import Fulfilment, Period, TaskStatus, fulfilment_rate, task_status
from accord.i18n import gettext, localized
from accord.labels import (
    INSTITUTION_STAGE_LABELS,
    PIPELINE_STAGE_LABELS,
    TASK_STATUS_LABELS,
)
from accord.models import (
    Achievement,
    Agreement,
    AgreementParty,
    Cohort,
    CohortCount,
    Commitment,
    Deal,
    Institution,
    InstitutionStage,
    NewsItem,
    Organisation,
    PipelineStage,
    Programme,
    Review,
    Task,
)
from accord.services import charts, news, records
from accord.services import fulfilment as fulfilment_service
from accord.services import tasks as task_service
from accord.services.errors import NotFound
from accord.services.permissions import (
    Principal,
    agreement_visibility,
    can_read_agreement,
    can_read_dashboards,
    descendants,
    require,
)

MAX_PERIODS = 40


def state_label(state: Fulfilment) -> str:
    """The translated name of a commitment's fulfilment."""
    return fulfilment_service.fulfilment_label(state)


def task_label(status: TaskStatus) -> str:
    """The translated name of a task status."""
    return gettext(TASK_STATUS_LABELS[status])


@dataclass(frozen=True)
class ScoredCommitment:
    """An accepted commitment, its tasks and its fulfilment on the as-of date."""

    commitment: Commitment
    tasks: list[Task]
    state: Fulfilment


@dataclass
class Scorecard:
    """One agreement's commitments and tasks, judged on ``as_of``."""

    agreement: Agreement
    as_of: date
    commitments: list[ScoredCommitment]
    task_statuses: dict[int, TaskStatus]
    tasks: list[Task]

    @property
    def states(self) -> dict[Fulfilment, int]:
        """How many commitments are in each state (every state present)."""
        tally = Counter(c.state for c in self.commitments)
        return {s: tally.get(s, 0) for s in Fulfilment}

    @property
    def statuses(self) -> dict[TaskStatus, int]:
        """How many tracked tasks have each status (every status present)."""
        tally = Counter(self.task_statuses.values())
        return {s: tally.get(s, 0) for s in TaskStatus}

    @property
    def rate(self) -> float | None:
        """The fulfilment rate (履约率): fulfilled ÷ (accepted − waived)."""
        return fulfilment_rate(self.states)


def status_on(task: Task, as_of: date, at_risk_days: int = 14) -> TaskStatus:
    """A task's status on ``as_of``: work finished later does not count as done yet."""
    done = task.done and (task.done_on is None or task.done_on <= as_of)
    start = task_service.effective_start(task)
    # Progress is only known as it stands now; before the start date there was none.
    progress = float(task.progress_percent or 0) if as_of >= start else 0.0
    return task_status(
        today=as_of,
        start=start,
        due=task.due_on,
        progress_percent=progress,
        done=done,
        cancelled=task.cancelled,
        at_risk_days=at_risk_days,
    )


def scorecard(
    session: Session, agreement: Agreement, as_of: date, at_risk_days: int = 14, period: Period | None = None
) -> Scorecard:
    """The scorecard of one agreement the caller may read (recurring commitments judged on their
    occurrences in ``period`` when one is given)."""
    tasks = task_service.live(task_service.tasks_of_agreement(session, agreement.id))
    statuses = {t.id: status_on(t, as_of, at_risk_days) for t in tasks}
    accepted = list(
        session.scalars(
            select(Commitment)
            .where(Commitment.agreement_id == agreement.id, Commitment.review == Review.ACCEPTED)
            .order_by(Commitment.id)
        )
    )
    states = fulfilment_service.states(session, accepted, as_of, period)
    scored = [
        ScoredCommitment(
            commitment, [t for t in tasks if t.commitment_id == commitment.id], states[commitment.id]
        )
        for commitment in accepted
    ]
    return Scorecard(agreement, as_of, scored, statuses, tasks)


# --- portfolio: institutions, transfers, people trained --------------------------------------------


@dataclass
class Portfolio:
    """What the agreements produced: co-built institutions, achievements and deals, people trained."""

    institutions: list[Institution] = field(default_factory=list)
    achievements: list[Achievement] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)

    @property
    def by_stage(self) -> dict[InstitutionStage, int]:
        """Institutions per lifecycle stage (every stage present)."""
        tally = Counter(i.stage for i in self.institutions)
        return {s: tally.get(s, 0) for s in InstitutionStage}

    @property
    def pipeline(self) -> dict[PipelineStage, int]:
        """Achievements per pipeline stage (every stage present)."""
        tally = Counter(a.stage for a in self.achievements)
        return {s: tally.get(s, 0) for s in PipelineStage}

    @property
    def deal_value(self) -> dict[str, Decimal]:
        """Total deal amounts per currency."""
        totals: dict[str, Decimal] = {}
        for deal in self.deals:
            if deal.amount is not None and deal.currency:
                totals[deal.currency] = totals.get(deal.currency, Decimal(0)) + deal.amount
        return totals

    @property
    def trained(self) -> int:
        """Participants over all cohorts."""
        return sum(c.participants for c in self.cohorts)

    @property
    def empty(self) -> bool:
        """Whether nothing is recorded."""
        return not (self.institutions or self.achievements or self.deals or self.cohorts)


def portfolio_of(
    session: Session, agreement_ids: Sequence[int], start: date | None = None, end: date | None = None
) -> Portfolio:
    """Institutions, achievements, deals and cohorts linked to the agreements (deals and cohorts in the period)."""
    if not agreement_ids:
        return Portfolio()
    ids = list(agreement_ids)
    institutions = session.scalars(
        select(Institution)
        .where(Institution.agreement_id.in_(ids), Institution.archived_at.is_(None))
        .order_by(Institution.id)
    )
    achievements = session.scalars(
        select(Achievement)
        .where(Achievement.agreement_id.in_(ids), Achievement.archived_at.is_(None))
        .order_by(Achievement.id)
    )
    deals = select(Deal).where(
        or_(Deal.agreement_id.in_(ids), Deal.achievement.has(Achievement.agreement_id.in_(ids))),
        Deal.archived_at.is_(None),
    )
    cohorts = (
        select(Cohort)
        .join(Programme, Cohort.programme_id == Programme.id)
        .where(Programme.agreement_id.in_(ids), Programme.archived_at.is_(None))
        .options(selectinload(Cohort.counts).selectinload(CohortCount.organisation))
    )
    if start is not None and end is not None:
        deals = deals.where(Deal.signed_on.between(start, end))
        cohorts = cohorts.where(Cohort.start_on.between(start, end))
    return Portfolio(
        institutions=list(institutions),
        achievements=list(achievements),
        deals=list(session.scalars(deals.order_by(Deal.signed_on, Deal.id))),
        cohorts=list(session.scalars(cohorts.order_by(Cohort.start_on, Cohort.id))),
    )


def portfolio_charts(portfolio: Portfolio) -> list[charts.Chart]:
    """Institutions by stage, achievements by pipeline stage with deal value, people trained per year."""
    drawn = [
        charts.bar_chart(
            gettext("Co-built institutions by stage"),
            [gettext(INSTITUTION_STAGE_LABELS[s]) for s in InstitutionStage],
            list(portfolio.by_stage.values()),
            label_header=gettext("Stage"),
            value_header=gettext("Institutions"),
        ),
        charts.bar_chart(
            gettext("Achievements by transfer stage"),
            [gettext(PIPELINE_STAGE_LABELS[s]) for s in PipelineStage],
            list(portfolio.pipeline.values()),
            label_header=gettext("Stage"),
            value_header=gettext("Achievements"),
            horizontal=True,
        ),
    ]
    years: dict[str, Decimal] = {}
    currency = max(portfolio.deal_value, key=lambda c: portfolio.deal_value[c], default="CNY")
    for deal in portfolio.deals:
        if deal.amount is not None and deal.currency == currency and deal.signed_on:
            key = str(deal.signed_on.year)
            years[key] = years.get(key, Decimal(0)) + deal.amount / Decimal(10000)
    drawn.append(
        charts.bar_chart(
            gettext("Deal value per year (10,000 {currency})", currency=currency),
            sorted(years),
            [float(years[y]) for y in sorted(years)],
            label_header=gettext("Year"),
            value_header=gettext("10,000 {currency}", currency=currency),
        )
    )
    trained: dict[str, int] = {}
    for cohort in portfolio.cohorts:
        key = str(cohort.start_on.year)
        trained[key] = trained.get(key, 0) + cohort.participants
    drawn.append(
        charts.bar_chart(
            gettext("People trained per year"),
            sorted(trained),
            [trained[y] for y in sorted(trained)],
            label_header=gettext("Year"),
            value_header=gettext("People"),
        )
    )
    return drawn


# --- dashboards -----------------------------------------------------------------------------------


@dataclass
class Dashboard:
    """What a dashboard page shows."""

    title: str
    as_of: date
    scorecards: list[Scorecard]
    charts: list[charts.Chart] = field(default_factory=list)
    news: list[NewsItem] = field(default_factory=list)
    partners: list[Organisation] = field(default_factory=list)
    subject: Agreement | Organisation | None = None
    portfolio: Portfolio = field(default_factory=Portfolio)

    @property
    def states(self) -> dict[Fulfilment, int]:
        """Commitment states summed over the agreements."""
        total: Counter[Fulfilment] = Counter()
        for card in self.scorecards:
            total.update(card.states)
        return {s: total.get(s, 0) for s in Fulfilment}

    @property
    def rate(self) -> float | None:
        """The fulfilment rate over all the agreements."""
        return fulfilment_rate(self.states)

    @property
    def statuses(self) -> dict[TaskStatus, int]:
        """Task statuses summed over the agreements."""
        total: Counter[TaskStatus] = Counter()
        for card in self.scorecards:
            total.update(card.statuses)
        return {s: total.get(s, 0) for s in TaskStatus}

    @property
    def commitments(self) -> int:
        """Accepted commitments in all the agreements."""
        return sum(len(card.commitments) for card in self.scorecards)

    @property
    def tasks(self) -> int:
        """Tracked tasks in all the agreements."""
        return sum(len(card.tasks) for card in self.scorecards)


def _visible_agreements(
    session: Session, principal: Principal, organisation_ids: set[int] | None
) -> list[Agreement]:
    stmt = (
        select(Agreement)
        .where(Agreement.archived_at.is_(None), agreement_visibility(principal))
        .options(selectinload(Agreement.parties).selectinload(AgreementParty.organisation))
        .order_by(Agreement.signed_on.desc(), Agreement.id)
    )
    if organisation_ids is not None:
        stmt = stmt.where(Agreement.parties.any(AgreementParty.organisation_id.in_(organisation_ids)))
    return list(session.scalars(stmt))


def _periods(first: date, last: date) -> list[tuple[str, date]]:
    """(label, last day) of each month from ``first`` to ``last``; quarters when that is over two years."""
    months: list[date] = []
    cursor = date(first.year, first.month, 1)
    while cursor <= last:
        months.append(cursor)
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    if len(months) <= 24:
        return [(f"{m.year}-{m.month:02d}", min(_month_end(m), last)) for m in months]
    quarters: dict[str, date] = {}
    for m in months:
        quarters[f"{m.year} Q{(m.month - 1) // 3 + 1}"] = min(_month_end(m), last)
    return list(quarters.items())[-MAX_PERIODS:]


def _month_end(month: date) -> date:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return following - timedelta(days=1)


def progress_series(
    cards: Sequence[Scorecard], as_of: date
) -> tuple[list[str], list[int], list[int], list[int]]:
    """Per month (or quarter) up to ``as_of``: commitments due, tasks due and tasks done, each cumulative."""
    starts = [c.agreement.effective_from or c.agreement.signed_on for c in cards]
    known = [s for s in starts if s is not None and s <= as_of]
    if not known:
        return [], [], [], []
    periods = _periods(min(known), as_of)
    commitments_due = [c.commitment.due_on for card in cards for c in card.commitments if c.commitment.due_on]
    tasks = [t for card in cards for t in card.tasks if not t.cancelled]
    labels, due, planned, done = [], [], [], []
    for label, end in periods:
        labels.append(label)
        due.append(sum(1 for d in commitments_due if d <= end))
        planned.append(sum(1 for t in tasks if t.due_on <= end))
        done.append(sum(1 for t in tasks if t.done and t.done_on is not None and t.done_on <= end))
    return labels, due, planned, done


def build_charts(cards: Sequence[Scorecard], as_of: date) -> list[charts.Chart]:
    """The dashboard's charts: commitments by state, tasks by status, progress over time."""
    states: Counter[Fulfilment] = Counter()
    statuses: Counter[TaskStatus] = Counter()
    for card in cards:
        states.update(card.states)
        statuses.update(card.statuses)
    drawn = [
        charts.bar_chart(
            gettext("Commitments by fulfilment"),
            [state_label(s) for s in Fulfilment],
            [states.get(s, 0) for s in Fulfilment],
            keys=[s.value for s in Fulfilment],
            label_header=gettext("State"),
            value_header=gettext("Commitments"),
        ),
        charts.bar_chart(
            gettext("Tasks by status"),
            [task_label(s) for s in TaskStatus],
            [statuses.get(s, 0) for s in TaskStatus],
            keys=[s.value for s in TaskStatus],
            label_header=gettext("Status"),
            value_header=gettext("Tasks"),
        ),
    ]
    periods, due, planned, done = progress_series(cards, as_of)
    if periods:
        drawn.append(
            charts.line_chart(
                gettext("Progress over time (cumulative)"),
                periods,
                [
                    (gettext("Commitments due"), due),
                    (gettext("Tasks due"), planned),
                    (gettext("Tasks done"), done),
                ],
                keys=["not_started", "on_track", "done"],
                label_header=gettext("Period"),
            )
        )
    return drawn


def _news_of(session: Session, agreements: Iterable[Agreement]) -> list[NewsItem]:
    chosen = list(agreements)
    return news.news_about(
        session,
        agreement_ids=[a.id for a in chosen],
        event_ids=[a.signing_event_id for a in chosen if a.signing_event_id],
    )[:10]


def _finish(session: Session, board: Dashboard) -> Dashboard:
    board.portfolio = portfolio_of(session, [card.agreement.id for card in board.scorecards])
    board.charts.extend(portfolio_charts(board.portfolio))
    return board


def partners_of(session: Session, principal: Principal) -> list[Organisation]:
    """Top-level organisations that are parties to agreements the principal may read."""
    seen: dict[int, Organisation] = {}
    for agreement in _visible_agreements(session, principal, None):
        for party in agreement.parties:
            org = party.organisation
            while org.parent is not None:
                org = org.parent
            seen.setdefault(org.id, org)
    return sorted(seen.values(), key=lambda o: localized(o, "name"))


def overview(session: Session, principal: Principal, today: date) -> Dashboard:
    """Every agreement the principal may read."""
    require(can_read_dashboards(principal))
    cards = [scorecard(session, a, today) for a in _visible_agreements(session, principal, None)]
    return _finish(
        session,
        Dashboard(
            title=gettext("Dashboard"),
            as_of=today,
            scorecards=cards,
            charts=build_charts(cards, today),
            news=_news_of(session, (c.agreement for c in cards)),
            partners=partners_of(session, principal),
        ),
    )


def for_agreement(session: Session, principal: Principal, agreement_id: int, today: date) -> Dashboard:
    """One agreement's scorecard and charts."""
    require(can_read_dashboards(principal))
    agreement = records.find(session, Agreement, agreement_id)
    if agreement is None or not can_read_agreement(principal, agreement):
        raise NotFound(gettext("No such record."))
    cards = [scorecard(session, agreement, today)]
    return _finish(
        session,
        Dashboard(
            title=localized(agreement, "title"),
            as_of=today,
            scorecards=cards,
            charts=build_charts(cards, today),
            news=_news_of(session, [agreement]),
            subject=agreement,
        ),
    )


def for_partner(session: Session, principal: Principal, organisation_id: int, today: date) -> Dashboard:
    """The agreements of one organisation (and its units) that the principal may read."""
    require(can_read_dashboards(principal))
    organisation = records.find(session, Organisation, organisation_id)
    if organisation is None:
        raise NotFound(gettext("No such record."))
    orgs = descendants(session, organisation.id)
    cards = [scorecard(session, a, today) for a in _visible_agreements(session, principal, orgs)]
    return _finish(
        session,
        Dashboard(
            title=localized(organisation, "name"),
            as_of=today,
            scorecards=cards,
            charts=build_charts(cards, today),
            news=_news_of(session, (c.agreement for c in cards)),
            subject=organisation,
        ),
    )
