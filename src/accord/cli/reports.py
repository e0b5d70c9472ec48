"""``accord report annual``: the annual cooperation report as XLSX or PDF, with a progress bar."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from accord.cli import app

console = Console()
err = Console(stderr=True)
report_app = typer.Typer(help="Reports written from the data.", no_args_is_help=True)
app.add_typer(report_app, name="report")


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class Fmt(StrEnum):
    xlsx = "xlsx"
    pdf = "pdf"


@report_app.command("annual")
def annual(
    year: Annotated[str, typer.Option("--year", help="The year (2021) or a span of years (2020-2021).")],
    partner: Annotated[str, typer.Option("--partner", help="Partner organisation: its number or name.")],
    output: Annotated[Path, typer.Option("--output", help="File to write.", dir_okay=False)],
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the report.")] = Lang.zh,
    fmt: Annotated[Fmt, typer.Option("--format", help="xlsx or pdf.")] = Fmt.pdf,
) -> None:
    """Write the annual cooperation report for one partner and year."""
    from accord import clock
    from accord.config import get_settings
    from accord.db.session import make_engine, make_sessionmaker
    from accord.i18n import set_language
    from accord.services import files, reports
    from accord.services.errors import ServiceError
    from accord.services.permissions import SYSTEM

    language = "zh_Hans" if lang == Lang.zh else "en"
    set_language(language)
    try:
        first, last = reports.parse_years(year)
    except ServiceError as error:
        err.print(f"[red]--year: {error.message}[/red]")
        raise typer.Exit(2) from None
    settings = get_settings()
    factory = make_sessionmaker(make_engine(settings.resolved_database_url))
    steps = 6
    with (
        factory() as session,
        Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=True
        ) as bar,
    ):
        task = bar.add_task("…", total=steps)
        try:
            organisation = reports.find_partner(session, partner)
        except ServiceError as error:
            bar.stop()
            err.print(f"[red]--partner: {error.message}[/red]")
            raise typer.Exit(2) from None

        def step(name: str) -> None:
            bar.update(task, description=name, advance=1)

        report = reports.build(
            session,
            SYSTEM,
            first_year=first,
            last_year=last,
            partner_id=organisation.id,
            today=clock.today(),
            progress=step,
        )
        bar.update(task, description=fmt.value.upper())
        body = reports.render(report, fmt.value)
        bar.update(task, advance=1)
        files.write_atomically(output, body)  # never a half-written report under the name asked for
        bar.update(task, completed=steps)
    console.print(f"{output} ({len(body):,} bytes): {report.title}")
    if report.empty:
        console.print(report.summary)
