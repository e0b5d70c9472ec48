"""``accord import agreements``: onboard a folder of agreement files (and a ledger) from the command line."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from accord.cli.commands import LangOption, _fail, _settings, import_app

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from accord.config import Settings
    from accord.models import ImportBatch, JobState
    from accord.services import onboarding

console = Console()
err = Console(stderr=True)


def _owner(session: Session, owner: str) -> int:
    from sqlalchemy import or_, select

    from accord.models import Organisation

    if owner.isdigit():
        return int(owner)
    found = session.scalars(
        select(Organisation.id).where(
            or_(
                Organisation.name_zh == owner,
                Organisation.name_en == owner,
                Organisation.short_name_zh == owner,
                Organisation.short_name_en == owner,
            )
        )
    ).all()
    if len(found) != 1:
        err.print(
            f"[red]--owner {owner!r}: {'no organisation has this name' if not found else 'several organisations have this name; give its number'}.[/red]"
        )
        raise typer.Exit(2)
    return found[0]


def _files(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    if not source.is_dir():
        err.print(f"[red]{source} is neither a folder nor a file.[/red]")
        raise typer.Exit(2)
    return sorted(
        p
        for p in source.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(source).parts)
    )


def _run_with_bar(factory: sessionmaker[Session], settings: Settings, job_id: int, title: str) -> JobState:
    """Run a job in this process while a progress bar follows its row."""
    from accord.models import Job, JobState
    from accord.services import jobs

    outcome: list[JobState | None] = []
    worker = threading.Thread(target=lambda: outcome.append(jobs.run(factory, settings, job_id)), daemon=True)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[note]}"),
        console=err, transient=False,
    ) as bar:  # fmt: skip
        task = bar.add_task(title, total=None, note="")
        worker.start()
        while worker.is_alive():
            with factory() as session:
                job = session.get(Job, job_id)
                if job is not None:
                    bar.update(task, completed=job.done, total=job.total, note=jobs.describe(job)[-60:])
            time.sleep(0.2)
        worker.join()
        with factory() as session:
            job = session.get(Job, job_id)
            if job is not None:
                bar.update(task, completed=job.total or job.done, total=job.total)
    state = outcome[0] if outcome else None
    return state or JobState.FAILED


def _summary(session: Session, batch: ImportBatch) -> tuple[Table, int]:
    from sqlalchemy import select

    from accord.i18n import gettext
    from accord.models import ItemState, Organisation

    table = Table(title=gettext("Import {id}", id=batch.id))
    for heading in ("File", "Result", "Title", "Parties", "Signed on"):
        table.add_column(heading, overflow="fold")
    failed = 0
    names: dict[int, str | None] = {
        row.id: row.name_zh for row in session.execute(select(Organisation.id, Organisation.name_zh))
    }
    for item in batch.items:
        decision, proposal = item.decision, item.proposal
        if item.state == ItemState.FAILED or (item.error and item.state == ItemState.READ):
            failed += 1
            result = "[red]" + gettext(item.error or "", **item.error_args) + "[/red]"
        elif item.state == ItemState.CREATED:
            result = f"agreement {item.agreement_id}"
        elif item.state == ItemState.SKIPPED:
            result = "not imported" + (
                f" ({proposal['duplicate']['kind']})" if proposal.get("duplicate") else ""
            )
        else:
            result = item.state.value
        parties = ", ".join(
            str(names.get(p.get("organisation_id")) or p.get("new_name") or "?")
            for p in decision.get("parties", [])
        )
        title = str(decision.get("title") or proposal.get("values", {}).get("title") or "")
        table.add_row(item.filename, result, title, parties, str(decision.get("signed_on") or ""))
    return table, failed


def _other(key: str, documents: list[onboarding.Upload]) -> str:
    kind, _sep, number = key.partition(":")
    if kind == "item":
        return documents[int(number)].name
    return f"agreement {number.split('#')[0]}"


def _dry_run(
    factory: sessionmaker[Session], settings: Settings, paths: list[Path], ledger: Path | None
) -> int:
    """Read every file and show what would be created; nothing is stored."""
    from accord import intake
    from accord.i18n import gettext
    from accord.intake import dedupe
    from accord.services import onboarding
    from accord.services.errors import ServiceError

    uploads = [onboarding.Upload(p.name, p.read_bytes()) for p in paths]
    try:
        documents, problems = onboarding.expand(
            uploads, max_files=onboarding.MAX_FILES, max_bytes=settings.upload_max_bytes
        )
    except ServiceError as error:
        raise _fail(error) from None
    with factory() as session:
        index = onboarding.registry_index(session)
        finder = dedupe.DuplicateFinder()
        onboarding.known_documents(session, finder)
    table = Table(title="Dry run: nothing was stored")
    for heading in ("File", "Result", "Title", "Parties", "Signed on"):
        table.add_column(heading, overflow="fold")
    failed = len(problems)
    for name, problem in problems:
        table.add_row(name, f"[red]{gettext(problem)}[/red]", "", "", "")
    with Progress(console=err) as bar:
        task = bar.add_task("Reading", total=len(documents))
        for n, upload in enumerate(documents):
            try:
                proposal, fingerprint = onboarding.analyse_document(
                    upload.data,
                    upload.name,
                    index,
                    max_bytes=settings.upload_max_bytes,
                    options=onboarding.reading_options(settings),
                )
            except intake.IntakeError as error:
                failed += 1
                message, args = onboarding.read_error(error)
                table.add_row(upload.name, f"[red]{gettext(message, **args)}[/red]", "", "", "")
            else:
                fingerprint = dedupe.Fingerprint(f"item:{n}", *onboarding._fields_after_key(fingerprint))
                verdict = finder.check(fingerprint)
                finder.add(fingerprint)
                result = (
                    f"{verdict.kind} of {_other(verdict.other, documents)}" if verdict else "new agreement"
                )
                parties = ", ".join(
                    f"{p['name']} → {p['matched'] or p['reason']}"
                    if p["organisation_id"]
                    else f"{p['name']} ({p['reason']})"
                    for p in proposal["parties"]
                )
                table.add_row(
                    upload.name, result, proposal["title"] or "", parties, proposal["signed_on"] or ""
                )
            bar.advance(task)
    if ledger is not None:
        table.caption = f"The ledger {ledger.name} is read when the files are imported (without --dry-run)."
    console.print(table)
    return failed


@import_app.command("agreements")
def import_agreements(
    source: Annotated[Path, typer.Argument(help="Folder of agreement files (read recursively), or one ZIP.")],
    owner: Annotated[
        str, typer.Option("--owner", help="Number or name of the organisation whose agreements these are.")
    ],
    ledger: Annotated[
        Path | None, typer.Option("--ledger", help="The office's ledger (台账), XLSX or CSV.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and show what would be created; store nothing.")
    ] = False,
    lang: LangOption = "en",
) -> None:
    """Onboard a backlog: read every file, find the parties, catch copies and revisions, create the agreements.

    Exits with 1 when any file could not be read or created.
    """
    from accord.db import migrate
    from accord.db.session import make_engine, make_sessionmaker
    from accord.models import ImportBatch, Job, JobState
    from accord.services import jobs, onboarding, onboarding_confirm
    from accord.services.errors import ServiceError
    from accord.services.permissions import SYSTEM

    settings = _settings(lang)
    migrate.upgrade(settings.resolved_database_url)
    factory = make_sessionmaker(make_engine(settings.resolved_database_url))
    paths = _files(source)
    with factory() as session:
        owner_id = _owner(session, owner)
    if dry_run:
        failed = _dry_run(factory, settings, paths, ledger)
        raise typer.Exit(1 if failed else 0)
    try:
        with factory() as session:
            batch, job = onboarding.create_batch(
                session, SYSTEM, owner_id, [onboarding.Upload(str(p.relative_to(source)) if source.is_dir() else p.name, p.read_bytes()) for p in paths],
                ledger_upload=onboarding.Upload(ledger.name, ledger.read_bytes()) if ledger else None,
                files_dir=settings.files_dir, max_bytes=settings.upload_max_bytes,
            )  # fmt: skip
            session.commit()
            batch_id, job_id = batch.id, job.id
    except ServiceError as error:
        raise _fail(error) from None
    if _run_with_bar(factory, settings, job_id, "Reading") != JobState.DONE:
        with factory() as session:
            job_row = session.get(Job, job_id)
            err.print(f"[red]{jobs.error_text(job_row) if job_row else 'The reading stopped.'}[/red]")
        raise typer.Exit(1)
    with factory() as session:
        confirm_job = onboarding_confirm.confirm(session, SYSTEM, batch_id)
        session.commit()
        confirm_id = confirm_job.id
    _run_with_bar(factory, settings, confirm_id, "Creating")
    with factory() as session:
        batch_row = session.get(ImportBatch, batch_id)
        assert batch_row is not None
        table, failed = _summary(session, batch_row)
    console.print(table)
    console.print(f"Import {batch_id}: review and correct it at /imports/{batch_id}")
    raise typer.Exit(1 if failed else 0)
