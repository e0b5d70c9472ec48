"""``accord import works FILE [--lenient]``: publications and patents from CSV, JSONL, BibTeX or RIS."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from accord.cli.commands import import_app

err = Console(stderr=True)


@import_app.command("works")
def import_works(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="The file to read.")
    ],
    lenient: Annotated[
        bool, typer.Option("--lenient", help="Import the valid records even when some entries have errors.")
    ] = False,
) -> None:
    """Import works; authors are linked to people, ambiguous names wait in the review queue."""
    from accord.bibliography import read_file
    from accord.config import get_settings
    from accord.db.session import make_engine, make_sessionmaker
    from accord.services import works
    from accord.services.permissions import SYSTEM

    fmt = works.format_of(file.name)
    if fmt is None:
        err.print("[red]Use a .csv, .jsonl, .bib or .ris file.[/red]")
        raise typer.Exit(2)
    result = read_file(file, fmt)
    for error in result.errors:
        err.print(f"{file.name}:{error.line}: {error.message}")
    settings = get_settings()
    factory = make_sessionmaker(make_engine(settings.resolved_database_url))
    with (
        factory() as session,
        Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err
        ) as progress,
    ):
        task = progress.add_task("import", total=len(result.records))
        outcome = works.import_records(
            session,
            SYSTEM,
            result,
            fmt,
            lenient=lenient,
            progress=lambda n: progress.update(task, completed=n),
        )
        if outcome.errors and not lenient:
            err.print(
                f"[red]Nothing imported: {len(outcome.errors)} entries have errors "
                "(fix them, or pass --lenient to import the valid records).[/red]"
            )
            raise typer.Exit(1)
        session.commit()
    typer.echo(
        f"{outcome.imported} works imported, {outcome.skipped_duplicates} duplicates skipped, "
        f"{outcome.pending_reviews} author names await review, {len(outcome.errors)} entries left out."
    )
