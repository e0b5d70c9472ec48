"""The annual cooperation report: one partner, one year (or a span of years), written from the data.

The report collects the agreements with the partner (and its units) that were in force during the
period, judges their accepted commitments as of the period's end (or today, for the current year),
lists what was due, done and late, the signing events and news, and renders the result as HTML,
PDF (WeasyPrint, Noto Sans CJK) or XLSX (openpyxl) in Chinese or English. A period without any
recorded cooperation gives an honest, empty report rather than an error.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from accord import clock
from accord.delivery import Fulfilment, Period, TaskStatus, fulfilment_rate
from accord.i18n import (
    current_language,
    format_date,
    format_number,
    gettext,
    localized,
    ngettext,
    reset_language,
    set_language,
)
from accord.labels import INSTITUTION_STAGE_LABELS
from accord.models import (
    Agreement,
    AgreementParty,
    InstitutionStage,
    NewsItem,
    Organisation,
    SigningEvent,
    Task,
)
from accord.schemas.numbers import parse_id, parse_int
from accord.services import charts, dashboards, intake, news, records
from accord.services.dashboards import Portfolio, Scorecard, ScoredCommitment, state_label, task_label
from accord.services.errors import FieldError, NotFound, ValidationFailed
from accord.services.permissions import (
    Principal,
    agreement_visibility,
    can_read_dashboards,
    descendants,
    require,
)
from accord.services.spreadsheets import append_row
from accord.templating import environment

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

TEMPLATES = Path(__file__).resolve().parent / "report_templates"
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
Progress = Callable[[str], None]


@dataclass
class AnnualReport:
    """Everything the report says, computed once and rendered in any format."""

    first_year: int
    last_year: int
    partner: Organisation
    language: str
    as_of: date
    generated_on: date
    agreements: list[Agreement] = field(default_factory=list)
    signed: list[Agreement] = field(default_factory=list)
    scorecards: list[Scorecard] = field(default_factory=list)
    due: list[tuple[Agreement, ScoredCommitment]] = field(default_factory=list)
    done: list[Task] = field(default_factory=list)
    late: list[Task] = field(default_factory=list)
    events: list[SigningEvent] = field(default_factory=list)
    news: list[NewsItem] = field(default_factory=list)
    portfolio: Portfolio = field(default_factory=Portfolio)
    charts: list[charts.Chart] = field(default_factory=list)

    @property
    def start(self) -> date:
        """First day of the period."""
        return date(self.first_year, 1, 1)

    @property
    def end(self) -> date:
        """Last day of the period."""
        return date(self.last_year, 12, 31)

    @property
    def period(self) -> str:
        """``2021`` or ``2020–2021``."""
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    @property
    def empty(self) -> bool:
        """Whether nothing at all is recorded for the period."""
        return not (self.agreements or self.events or self.news or not self.portfolio.empty)

    @property
    def states(self) -> dict[Fulfilment, int]:
        """Commitment fulfilment over all the agreements, as of the report date."""
        total = {s: 0 for s in Fulfilment}
        for card in self.scorecards:
            for state, count in card.states.items():
                total[state] += count
        return total

    @property
    def rate(self) -> float | None:
        """The fulfilment rate (履约率) over all the agreements."""
        return fulfilment_rate(self.states)

    @property
    def rate_text(self) -> str:
        """The fulfilment rate as the report writes it ("100 %", or a dash when nothing is owed)."""
        return percent_text(self.rate)

    @property
    def commitments(self) -> int:
        """Accepted commitments over all the agreements."""
        return sum(len(card.commitments) for card in self.scorecards)

    @property
    def figures(self) -> list[tuple[str, int | str]]:
        """The key figures, labelled in the report's language."""
        states = self.states
        return [
            (gettext("Agreements in force"), len(self.agreements)),
            (gettext("Agreements signed in the period"), len(self.signed)),
            (gettext("Accepted commitments"), self.commitments),
            (gettext("Fulfilment rate"), self.rate_text),
            *((state_label(s), states[s]) for s in Fulfilment),
            (gettext("Commitments due in the period"), len(self.due)),
            (gettext("Tasks completed in the period"), len(self.done)),
            (gettext("Tasks late at the report date"), len(self.late)),
            (gettext("Co-built institutions"), len(self.portfolio.institutions)),
            (gettext("Institutions operating"), self.portfolio.by_stage[InstitutionStage.OPERATING]),
            (gettext("Achievements in the transfer pipeline"), len(self.portfolio.achievements)),
            (gettext("Deals signed in the period"), len(self.portfolio.deals)),
            (gettext("People trained in the period"), self.portfolio.trained),
            (gettext("Signing events"), len(self.events)),
            (gettext("News published"), len(self.news)),
        ]

    @property
    def deal_values(self) -> list[tuple[str, str]]:
        """Deal value per currency, as (label, amount) in the report's language."""
        return [
            (gettext("Deal value ({currency})", currency=currency), format_number(value))
            for currency, value in sorted(self.portfolio.deal_value.items())
        ]

    @property
    def title(self) -> str:
        """The report's title."""
        return gettext(
            "Annual cooperation report {period}: {partner}",
            period=self.period,
            partner=localized(self.partner, "name"),
        )

    @property
    def summary(self) -> str:
        """One paragraph a reader can quote."""
        name = localized(self.partner, "name")
        if self.empty:
            return gettext(
                "No cooperation with {partner} is recorded for {period}: no agreement was in force, "
                "no signing event was held and no news was published. This report is empty because the "
                "records are, not because of an error.",
                partner=name,
                period=self.period,
            )
        states = self.states
        return " ".join(
            [
                ngettext(
                    "In {period}, {n} agreement with {partner} was in force ({signed} signed in the period).",
                    "In {period}, {n} agreements with {partner} were in force ({signed} signed in the period).",
                    len(self.agreements),
                    period=self.period,
                    partner=name,
                    signed=len(self.signed),
                ),
                gettext(
                    "Of {total} accepted commitments, as of {date} {fulfilled} were fulfilled, {partly} partly "
                    "fulfilled, {progress} in progress, {late} overdue, {waiting} not started and {waived} "
                    "waived: a fulfilment rate of {rate}.",
                    total=self.commitments,
                    date=format_date(self.as_of),
                    fulfilled=states[Fulfilment.FULFILLED],
                    partly=states[Fulfilment.PARTLY_FULFILLED],
                    progress=states[Fulfilment.IN_PROGRESS],
                    late=states[Fulfilment.OVERDUE],
                    waiting=states[Fulfilment.NOT_STARTED],
                    waived=states[Fulfilment.WAIVED],
                    rate=self.rate_text,
                ),
                gettext(
                    "{done} tasks were completed in the period; {late} were late at the report date.",
                    done=len(self.done),
                    late=len(self.late),
                ),
            ]
        )


def percent_text(rate: float | None) -> str:
    """A share as a whole percentage in the current language ("67 %"), or a dash for none."""
    return "—" if rate is None else f"{format_number(round(rate * 100))} %"


def parse_years(text: str) -> tuple[int, int]:
    """``2021`` or ``2020-2021`` (also with an en dash) → (first, last); ValidationFailed otherwise."""
    cleaned = text.strip().replace("–", "-").replace("—", "-")
    parts = [p.strip() for p in cleaned.split("-")]
    message = gettext("Give a year such as 2021, or a span such as 2020-2021.")
    years = [parse_int(p, low=1000, high=9999) if len(p) == 4 else None for p in parts]
    if not 1 <= len(parts) <= 2 or None in years:
        raise ValidationFailed(message, [FieldError("year", message)])
    first, last = int(years[0] or 0), int(years[-1] or 0)
    if not 1990 <= first <= last <= 2100 or last - first > 10:
        raise ValidationFailed(message, [FieldError("year", message)])
    return first, last


def find_partner(session: Session, name_or_id: str) -> Organisation:
    """An organisation by id, by exact name (either language, or short name), else by a unique partial name."""
    text = name_or_id.strip()
    if (number := parse_id(text)) is not None:
        found = records.find(session, Organisation, number)
        if found is not None:
            return found
    names = (
        Organisation.name_zh,
        Organisation.name_en,
        Organisation.short_name_zh,
        Organisation.short_name_en,
    )
    live = Organisation.archived_at.is_(None)
    exact = list(
        session.scalars(
            select(Organisation).where(live, or_(*(func.lower(c) == text.lower() for c in names)))
        )
    )
    if len(exact) == 1:
        return exact[0]
    partial = list(
        session.scalars(select(Organisation).where(live, or_(*(c.ilike(f"%{text}%") for c in names))))
    )
    if len(partial) == 1 and text:
        return partial[0]
    if len(exact) > 1 or len(partial) > 1:
        choices = ", ".join(f"{o.id} {localized(o, 'name')}" for o in (exact or partial)[:8])
        message = gettext("Several organisations match {name!r}: {choices}. Give the number.", name=text,
                          choices=choices)  # fmt: skip
    else:
        message = gettext("No organisation matches {name!r}.", name=text)
    raise NotFound(message, [FieldError("partner", message)])


def _in_force(start: date, end: date) -> Any:
    begun = Agreement.signed_on <= end
    not_over = Agreement.expires_on.is_(None) | (Agreement.expires_on >= start)
    return begun & not_over


def build(
    session: Session,
    principal: Principal,
    *,
    first_year: int,
    last_year: int,
    partner_id: int,
    today: date,
    progress: Progress | None = None,
) -> AnnualReport:
    """Collect the report's contents (in the current language) from the records the principal may read."""
    require(can_read_dashboards(principal))
    step = progress or (lambda _name: None)
    partner = records.find(session, Organisation, partner_id)
    if partner is None:
        message = gettext("No such record.")
        raise NotFound(message, [FieldError("partner_id", message)])
    start, end = date(first_year, 1, 1), date(last_year, 12, 31)
    as_of = min(end, today)
    report = AnnualReport(first_year, last_year, partner, current_language(), as_of, today)

    step(gettext("Agreements"))
    orgs = descendants(session, partner.id)
    stmt = (
        select(Agreement)
        .where(
            Agreement.archived_at.is_(None),
            agreement_visibility(principal),
            Agreement.parties.any(AgreementParty.organisation_id.in_(orgs)),
            _in_force(start, end),
        )
        .order_by(Agreement.signed_on, Agreement.id)
    )
    report.agreements = list(session.scalars(stmt))
    report.signed = [a for a in report.agreements if a.signed_on and start <= a.signed_on <= end]

    step(gettext("Scorecards"))
    period = Period(start, end)
    report.scorecards = [dashboards.scorecard(session, a, as_of, period=period) for a in report.agreements]
    for card in report.scorecards:
        for row in card.commitments:
            if row.commitment.due_on and start <= row.commitment.due_on <= end:
                report.due.append((card.agreement, row))
        for task in card.tasks:
            if task.done and task.done_on and start <= task.done_on <= end:
                report.done.append(task)
            if card.task_statuses.get(task.id) == TaskStatus.OVERDUE:
                report.late.append(task)
    report.due.sort(key=lambda pair: (pair[1].commitment.due_on or end, pair[1].commitment.id))
    report.done.sort(key=lambda t: (t.done_on or end, t.id))
    report.late.sort(key=lambda t: (t.due_on, t.id))

    step(gettext("Events and news"))
    event_ids = {a.signing_event_id for a in report.agreements if a.signing_event_id}
    if event_ids:
        report.events = list(
            session.scalars(
                select(SigningEvent)
                .where(SigningEvent.id.in_(event_ids), SigningEvent.held_on.between(start, end))
                .order_by(SigningEvent.held_on)
            )
        )
    about = news.news_about(
        session, agreement_ids=[a.id for a in report.agreements], event_ids=sorted(event_ids)
    )
    report.news = [
        n for n in about if n.published_at and first_year <= clock.day_of(n.published_at).year <= last_year
    ]
    report.news.sort(key=lambda n: _utc(n.published_at))

    step(gettext("Institutions, transfers and training"))
    report.portfolio = dashboards.portfolio_of(session, [a.id for a in report.agreements], start, end)

    step(gettext("Charts"))
    report.charts = dashboards.build_charts(report.scorecards, as_of)[:2] if report.scorecards else []
    if not report.portfolio.empty:
        institutions, _pipeline, deals, trained = dashboards.portfolio_charts(report.portfolio)
        report.charts += [c for c in (institutions, deals, trained) if not c.empty]
    return report


def _utc(value: datetime | None) -> datetime:
    assert value is not None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# --- rendering ------------------------------------------------------------------------------------

_env = environment(
    TEMPLATES,
    compact=True,
    state_label=state_label,
    task_label=task_label,
    states=list(Fulfilment),
    percent_text=percent_text,
    institution_stage=lambda stage: gettext(INSTITUTION_STAGE_LABELS[stage]),
    party_text=intake.party_text,
)


def render_html(report: AnnualReport, *, standalone: bool = True) -> str:
    """The report as one HTML document (the PDF's source), or as a fragment for a page."""
    template = _env.get_template("annual_print.html" if standalone else "_annual.html")
    return template.render(report=report, lang=report.language)


def render_pdf(report: AnnualReport) -> bytes:
    """The report as PDF (A4, Noto Sans CJK so Chinese prints)."""
    try:
        from weasyprint import HTML
    except OSError:
        # WeasyPrint needs the Pango library from the system; say so rather than fail obscurely.
        message = gettext(
            "PDF output needs the Pango library (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk); XLSX works without it."
        )
        raise ValidationFailed(message, [FieldError("format", message)]) from None

    pdf: bytes = HTML(string=render_html(report), base_url=str(TEMPLATES)).write_pdf()
    return pdf


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list[Any]]) -> Worksheet:
    from openpyxl.styles import Alignment, Font

    sheet = workbook.create_sheet(title[:31])
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    for index, header in enumerate(headers):
        width = max([len(str(header))] + [len(str(r[index])) for r in rows if r[index] is not None]) * 1.6
        sheet.column_dimensions[chr(65 + index)].width = min(max(width, 10), 70)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return sheet


def render_xlsx(report: AnnualReport) -> bytes:
    """The report as a workbook: a summary sheet and one sheet per section."""
    from openpyxl import Workbook  # imported when a workbook is written, not with the application
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = gettext("Summary")[:31]
    append_row(summary, [report.title])
    summary["A1"].font = Font(bold=True, size=14)
    append_row(summary, [gettext("Partner"), localized(report.partner, "name")])
    append_row(summary, [gettext("Period"), report.period])
    append_row(summary, [gettext("As of"), report.as_of])
    append_row(summary, [gettext("Generated on"), report.generated_on])
    append_row(summary, [])
    append_row(summary, [report.summary])
    summary["A7"].alignment = Alignment(wrap_text=True, vertical="top")
    summary.merge_cells("A7:D7")
    summary.row_dimensions[7].height = 90
    append_row(summary, [])
    append_row(summary, [gettext("Figure"), gettext("Value")])
    for cell in summary[9]:
        cell.font = Font(bold=True)
    for label, value in report.figures:
        append_row(summary, [label, value])
    for label, text in report.deal_values:
        append_row(summary, [label, text])
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 40
    for row in (4, 5):
        summary.cell(row=row, column=2).number_format = "yyyy-mm-dd"

    _sheet(
        workbook,
        gettext("Agreements"),
        [gettext("Agreement"), gettext("Parties"), gettext("Signed on"), gettext("Ends on"),
         *(state_label(s) for s in Fulfilment), gettext("Fulfilment rate")],
        [
            [
                localized(card.agreement, "title"),
                "; ".join(localized(p.organisation, "name") for p in card.agreement.parties),
                card.agreement.signed_on,
                card.agreement.expires_on,
                *(card.states[s] for s in Fulfilment),
                percent_text(card.rate),
            ]
            for card in report.scorecards
        ],
    )  # fmt: skip
    _sheet(
        workbook,
        gettext("Commitments due"),
        [gettext("Agreement"), gettext("Commitment"), gettext("Party"), gettext("Due"), gettext("State")],
        [
            [
                localized(agreement, "title"),
                row.commitment.action,
                localized(row.commitment.organisation, "name")
                if row.commitment.organisation
                else row.commitment.party_label,
                row.commitment.due_on,
                state_label(row.state),
            ]
            for agreement, row in report.due
        ],
    )
    _sheet(
        workbook,
        gettext("Tasks completed"),
        [gettext("Task"), gettext("Owner"), gettext("Due"), gettext("Done on")],
        [[t.title, localized(t.owner_organisation, "name"), t.due_on, t.done_on] for t in report.done],
    )
    _sheet(
        workbook,
        gettext("Late tasks"),
        [gettext("Task"), gettext("Owner"), gettext("Due")],
        [[t.title, localized(t.owner_organisation, "name"), t.due_on] for t in report.late],
    )
    _sheet(
        workbook,
        gettext("Institutions"),
        [gettext("Institution"), gettext("Stage"), gettext("Since")],
        [
            [localized(i, "name"), gettext(INSTITUTION_STAGE_LABELS[i.stage]), i.stage_since]
            for i in report.portfolio.institutions
        ],
    )
    _sheet(
        workbook,
        gettext("Deals"),
        [gettext("Achievement"), gettext("Signed on"), gettext("Amount"), gettext("Currency")],
        [
            [localized(d.achievement, "title"), d.signed_on, float(d.amount) if d.amount is not None else None,
             d.currency]
            for d in report.portfolio.deals
        ],
    )  # fmt: skip
    _sheet(
        workbook,
        gettext("Training"),
        [gettext("Programme"), gettext("Cohort"), gettext("Start"), gettext("Participants")],
        [
            [localized(c.programme, "title"), localized(c, "name"), c.start_on, c.participants]
            for c in report.portfolio.cohorts
        ],
    )
    _sheet(
        workbook,
        gettext("News"),
        [gettext("Title"), gettext("Published"), gettext("Reads")],
        [[localized(n, "title"), clock.day_of(_utc(n.published_at)), n.read_count] for n in report.news],
    )
    for sheet in workbook.worksheets[1:]:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render(report: AnnualReport, fmt: str) -> bytes:
    """The report in ``fmt`` (pdf, xlsx or html), rendered in the report's language."""
    token = set_language(report.language)
    try:
        if fmt == "pdf":
            return render_pdf(report)
        if fmt == "xlsx":
            return render_xlsx(report)
        return render_html(report).encode("utf-8")
    finally:
        reset_language(token)


def filename(report: AnnualReport, fmt: str) -> str:
    """A download name without spaces: ``annual-report-2021-org3-zh_Hans.pdf``."""
    return f"annual-report-{report.period.replace('–', '-')}-org{report.partner.id}-{report.language}.{fmt}"
