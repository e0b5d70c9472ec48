"""Setting up, serving, demo data, accounts, and registry export/import."""

from __future__ import annotations

import enum
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from accord.cli import app

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from accord.config import Settings
    from accord.models import Role
    from accord.services.errors import ServiceError

# Commands import the database, services and engines they use inside their bodies: `accord --help`
# and `accord check` then load no ORM models, no matching or reports libraries, no job queue.

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
import_app = typer.Typer(help="Load data from files.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(import_app, name="import")

LangOption = Annotated[str, typer.Option("--lang", help="Language of messages: zh_Hans or en.")]


class RoleName(enum.StrEnum):
    """The choices of ``--role``: the values of :class:`accord.models.Role`, without importing the models
    to list them (a test keeps the two equal)."""

    COORDINATOR = "coordinator"
    MEMBER = "member"
    VIEWER = "viewer"

    def role(self) -> Role:
        from accord.models import Role

        return Role(self.value)


def _settings(lang: str = "en") -> Settings:
    from accord.config import get_settings
    from accord.i18n import LANGUAGES, set_language

    if lang not in LANGUAGES:
        err.print(f"[red]Unknown language {lang!r}; use one of: {', '.join(LANGUAGES)}.[/red]")
        raise typer.Exit(2)
    set_language(lang)
    settings = get_settings()
    settings.data_dir.mkdir(mode=0o750, parents=True, exist_ok=True)
    return settings


def _at_terminal() -> bool:
    return sys.stdin.isatty()


def read_new_password(given: str | None = None) -> str:
    """A new password: ``given``, else ACCORD_PASSWORD, else typed twice at a terminal, else the first
    line of standard input (``printf '%s\\n' "$PASSWORD" | accord user set-password …``)."""
    secret = given or os.environ.get("ACCORD_PASSWORD")
    if secret:
        return secret
    if _at_terminal():
        secret = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != secret:
            err.print("[red]The two passwords differ; nothing was changed.[/red]")
            raise typer.Exit(2)
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        err.print(
            "[red]No password: type it at a terminal, or give it on standard input or in ACCORD_PASSWORD.[/red]"
        )
        raise typer.Exit(2)
    return secret


def start_or_stop(settings: Settings, *, need_head: bool = False) -> None:
    """What ``accord serve`` and ``accord worker`` need to run at all; otherwise one line and exit 1.

    ``accord serve`` migrates at start, so only the worker needs the schema at the newest revision."""
    from accord import preflight
    from accord.db.session import make_engine

    problem = preflight.fatal(settings, make_engine, need_head=need_head)
    if problem is not None:
        err.print(f"[red]{problem.name}: {problem.message}[/red]", highlight=False)
        raise typer.Exit(1)


def _fail(error: ServiceError) -> typer.Exit:
    err.print(f"[red]{error.message}[/red]")
    for item in error.errors:
        err.print(f"  [red]{item.field}[/red]: {item.message}")
    return typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Option(help="Revision to reach; the newest by default.")] = "head",
) -> None:
    """Apply database migrations (safe while others run: on PostgreSQL one process migrates at a time)."""
    from accord import preflight
    from accord.db import migrate

    settings = _settings()
    before, after = migrate.upgrade(settings.resolved_database_url, revision)
    where = preflight.display_url(settings.resolved_database_url)
    if before == after:
        console.print(f"Database already at {after}: {where}")
    else:
        console.print(f"Database upgraded {before or 'empty'} → {after}: {where}")


@db_app.command("current")
def db_current() -> None:
    """Print the database's schema revision and whether it is the newest."""
    from accord import preflight
    from accord.db import migrate
    from accord.db.session import make_engine

    settings = _settings()
    url = settings.resolved_database_url
    current = migrate.current_revision(make_engine(url))
    head = migrate.head_revision(url)
    state = "newest" if current == head else f"Accord needs {head}: run 'accord db upgrade'"
    console.print(f"{current or 'empty'} ({state}): {preflight.display_url(url)}")


@db_app.command("history")
def db_history() -> None:
    """List the schema revisions shipped with this Accord, marking the database's."""
    from accord.db import migrate
    from accord.db.session import make_engine

    settings = _settings()
    url = settings.resolved_database_url
    current = migrate.current_revision(make_engine(url))
    for revision, description in migrate.history(url):
        marker = "*" if revision == current else " "
        console.print(f"{marker} {revision}  {description}", highlight=False)


@app.command()
def init() -> None:
    """Create the data folder, the secret key and the database schema."""
    from accord import preflight
    from accord.db import migrate

    settings = _settings()
    settings.resolved_secret_key()
    settings.files_dir.mkdir(parents=True, exist_ok=True)
    _before, after = migrate.upgrade(settings.resolved_database_url)
    console.print(f"Ready at {after}: {preflight.display_url(settings.resolved_database_url)}")


@app.command()
def check(
    smtp_timeout: Annotated[float, typer.Option(help="Seconds to wait for the mail server.")] = 10.0,
) -> None:
    """Check the installation: settings, database, data folder, keys, base URL, SMTP, fonts, converters."""
    from accord import preflight
    from accord.db.session import make_engine

    items = preflight.run_all(make_engine, smtp_timeout=smtp_timeout)
    colours = {"ok": "green", "warn": "yellow", "fail": "red"}
    for item in items:
        console.print(
            f"[{colours[item.status]}]{item.status.upper():4}[/]  {item.name}: {item.message}",
            highlight=False,
        )
    if preflight.failed(items):
        raise typer.Exit(1)


@app.command("demo")
def demo_command(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the demo is already loaded.")
    ] = False,
    scale: Annotated[
        int | None,
        typer.Option(
            min=1, max=100_000, help="Instead, generate N agreements with tasks into an empty database."
        ),
    ] = None,
) -> None:
    """Load the Wanzhou demonstration data (organisations, people, the 2020 signing, agreements, accounts)."""
    from accord.db import migrate
    from accord.db.session import make_engine, make_sessionmaker, transaction
    from accord.demo import wanzhou

    settings = _settings()
    migrate.upgrade(settings.resolved_database_url)
    factory = make_sessionmaker(make_engine(settings.resolved_database_url))
    if scale is not None:
        _generate(factory, scale)
        return
    with transaction(factory) as session:
        if wanzhou.is_loaded(session):
            if if_empty:
                console.print("Demo data already loaded.")
                return
            err.print("[red]The demo data is already loaded.[/red]")
            raise typer.Exit(1)
        wanzhou.load(session, settings.files_dir)
    console.print("Demo data loaded. Sign in as one of:")
    for email, _name, _admin, _org, _role in wanzhou.DEMO_USERS:
        console.print(f"  {email}  /  {wanzhou.DEMO_PASSWORD}")


def _generate(factory: sessionmaker[Session], agreements: int) -> None:
    from sqlalchemy import func, select

    from accord import clock
    from accord.db.session import transaction
    from accord.demo import scale
    from accord.models import Organisation

    with transaction(factory) as session:
        if session.scalar(select(func.count()).select_from(Organisation)):
            err.print("[red]--scale writes into an empty database; this one already has data.[/red]")
            raise typer.Exit(1)
        with console.status(f"Generating {agreements} agreements…"):
            counts = scale.generate(session, agreements, today=clock.today())
    console.print("Generated: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    console.print(f"Sign in as coordinator@bench.example or admin@bench.example / {scale.PASSWORD}")


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Application processes.")] = 1,
    reload: bool = False,
    worker: Annotated[
        bool | None,
        typer.Option(
            "--worker/--no-worker",
            help="Also plan and send reminders from this process (default: on with SQLite, off with "
            "PostgreSQL, where `accord worker` processes share the job queue).",
        ),
    ] = None,
) -> None:
    """Serve the web application and API (and, on SQLite, the reminder worker)."""
    import uvicorn

    from accord.config import get_settings
    from accord.db import migrate
    from accord.services import queue

    # Each application process warms up in the background at start (not in tests): set before the
    # settings are first read, since they are read once per process.
    os.environ.setdefault("ACCORD_MATCH_WARM_UP", "true")
    settings = get_settings()
    start_or_stop(settings)
    settings = _settings()
    migrate.upgrade(settings.resolved_database_url)
    if worker if worker is not None else not queue.uses_queue(settings.resolved_database_url):
        _start_worker(settings, f"http://{host}:{port}")
    console.print(f"Accord is at http://{host}:{port}")
    if workers > 1:
        _spawn_without_the_command_line()
    uvicorn.run(
        "accord.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        # The application itself believes X-Forwarded-* only from ACCORD_FORWARDED_ALLOW_IPS.
        proxy_headers=False,
        log_level="info",
    )


def _spawn_without_the_command_line() -> None:
    """Application processes are spawned, and a spawned process first runs the parent's main script
    again: for the ``accord`` console script that is the whole command line (benchmarks and their
    libraries), seconds of imports during which uvicorn finds the process unresponsive and replaces it,
    over and over. They need only the application, which uvicorn imports itself."""
    main = sys.modules["__main__"]
    if getattr(main, "__spec__", None) is None and getattr(main, "__file__", None):
        del main.__file__


def _start_worker(settings: Settings, address: str) -> None:
    """Run the reminder rounds in a thread of this process, for as long as it serves."""
    import threading

    from accord.db.session import make_engine, make_sessionmaker
    from accord.services import notices

    if not settings.base_url_configured:
        settings = settings.model_copy(update={"base_url": address})  # links in notices point here
    factory = make_sessionmaker(make_engine(settings.resolved_database_url))
    thread = threading.Thread(
        target=notices.run_worker, args=(factory, settings), name="accord-worker", daemon=True
    )
    thread.start()
    where = (
        "sent by e-mail"
        if settings.smtp_host
        else "kept in the outbox (/admin/outbox) until ACCORD_SMTP_HOST is set"
    )
    console.print(f"Reminders: planned every {settings.worker_interval_seconds} s in this process, {where}.")


@user_app.command("add")
def user_add(
    email: str,
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    admin: Annotated[bool, typer.Option("--admin", help="Give full rights.")] = False,
    organisation: Annotated[int | None, typer.Option("--org", help="Organisation id for --role.")] = None,
    role: Annotated[RoleName | None, typer.Option(help="Role in --org.")] = None,
    password: Annotated[
        str | None,
        typer.Option(
            help="Otherwise ACCORD_PASSWORD, typed twice at a terminal, or read from standard input."
        ),
    ] = None,
    lang: LangOption = "en",
) -> None:
    """Create an account (the first admin, for example)."""
    from accord.db import migrate
    from accord.db.session import make_engine, make_sessionmaker, transaction
    from accord.services import users
    from accord.services.errors import ServiceError
    from accord.services.permissions import SYSTEM

    settings = _settings(lang)
    migrate.upgrade(settings.resolved_database_url)
    if (organisation is None) != (role is None):
        err.print("[red]--org and --role go together.[/red]")
        raise typer.Exit(2)
    secret = read_new_password(password)
    factory = make_sessionmaker(make_engine(settings.resolved_database_url))
    try:
        with transaction(factory) as session:
            user = users.create_user(
                session,
                SYSTEM,
                email=email,
                display_name=name or email,
                password=secret,
                is_admin=admin,
                language=None,
            )
            if organisation is not None and role is not None:
                session.flush()
                users.grant_role(session, SYSTEM, user, organisation, role.role())
    except ServiceError as error:
        raise _fail(error) from None
    console.print(f"Account created: {email}")


@app.command("export")
def export_command(
    output: Annotated[Path, typer.Argument(help="JSON file to write; - for standard output.")],
) -> None:
    """Write the whole registry as JSON."""
    from accord.db.session import make_engine, make_sessionmaker, transaction
    from accord.services import files, registry_json

    settings = _settings()
    factory = make_sessionmaker(make_engine(settings.resolved_database_url))
    with transaction(factory) as session:
        data = registry_json.export_registry(session)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    if str(output) == "-":
        sys.stdout.write(text + "\n")
    else:
        files.write_atomically(output, (text + "\n").encode("utf-8"), mode=0o600)
        console.print(
            f"Wrote {output}: " + ", ".join(f"{len(v)} {k}" for k, v in data.items() if isinstance(v, list))
        )


@import_app.command("registry")
def import_registry(
    source: Annotated[Path, typer.Argument(help="JSON file written by 'accord export'.")],
    lang: LangOption = "en",
) -> None:
    """Load a registry export into an empty database (all or nothing)."""
    from accord.db import migrate
    from accord.db.session import make_engine, make_sessionmaker, transaction
    from accord.services import registry_json
    from accord.services.errors import ServiceError

    settings = _settings(lang)
    migrate.upgrade(settings.resolved_database_url)
    try:
        raw = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]Cannot read {source}: {exc}[/red]")
        raise typer.Exit(2) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        err.print(f"[red]{source} is not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}[/red]")
        raise typer.Exit(2) from None
    factory = make_sessionmaker(make_engine(settings.resolved_database_url))
    try:
        with transaction(factory) as session:
            counts = registry_json.import_registry(session, data)
    except ServiceError as error:
        raise _fail(error) from None
    console.print("Imported: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@import_app.command("agreement")
def import_agreement(
    source: Annotated[
        Path,
        typer.Argument(
            help="The signed text: DOCX, PDF (scanned pages are read by OCR), DOC/WPS/RTF/ODT (converted "
            "by LibreOffice), a JPEG/PNG/TIFF scan or photo, TXT, Markdown or HTML."
        ),
    ],
    agreement: Annotated[int, typer.Option("--agreement", help="The agreement's number.", min=1)],
    accept: Annotated[bool, typer.Option(help="Accept every unconditional proposal at once.")] = False,
    lang: LangOption = "en",
) -> None:
    """Import an agreement's text: clauses and proposed commitments (reviewed work is kept on re-import)."""
    from rich.progress import Progress

    from accord.db import migrate
    from accord.db.session import make_engine, make_sessionmaker, transaction
    from accord.intake import ReadOptions
    from accord.services import intake
    from accord.services.errors import ServiceError
    from accord.services.permissions import SYSTEM

    settings = _settings(lang)
    migrate.upgrade(settings.resolved_database_url)
    try:
        data = source.read_bytes()
    except OSError as exc:
        err.print(f"[red]Cannot read {source}: {exc.strerror}[/red]")
        raise typer.Exit(2) from None
    factory = make_sessionmaker(make_engine(settings.resolved_database_url))
    try:
        with Progress(console=err, transient=True) as progress, transaction(factory) as session:
            task = progress.add_task(f"Importing {source.name}", total=2)
            pages = progress.add_task("Reading pages", total=None, visible=False)

            def page_read(done: int, total: int) -> None:
                progress.update(pages, completed=done, total=total, visible=True)

            report = intake.import_text(
                session,
                SYSTEM,
                agreement,
                data=data,
                filename=source.name,
                content_type=None,
                files_dir=settings.files_dir,
                limit=settings.upload_max_bytes,
                options=ReadOptions(
                    ocr_engine=settings.ocr_engine,
                    convert=True,
                    convert_timeout=settings.convert_timeout,
                    progress=page_read,
                ),
            )
            progress.advance(task)
            if accept:
                intake.accept_unconditional(session, SYSTEM, agreement)
            progress.advance(task)
    except ServiceError as error:
        raise _fail(error) from None
    console.print(
        f"Text version {report.text.version_no}: {report.clauses} clauses, {report.proposed} proposed, "
        f"{report.kept} kept, {report.recheck} to check again"
        + (" (no numbered clauses: split into paragraphs)" if report.fallback_paragraphs else "")
    )


def _progress_printer() -> Callable[[str, int], None]:
    def show(name: str, count: int) -> None:
        err.print(f"  {name}: {count}")

    return show


@app.command()
def backup(output: Annotated[Path, typer.Argument(help="ZIP file to write.")]) -> None:
    """Back up the whole database and every stored file into one ZIP (restorable on SQLite or PostgreSQL)."""
    from accord.db.session import make_engine
    from accord.services import backup as backups

    settings = _settings()
    folder = output.resolve().parent
    if not folder.is_dir():
        err.print(f"[red]The folder {folder} does not exist; create it first (mkdir -p {folder}).[/red]")
        raise typer.Exit(2)
    engine = make_engine(settings.resolved_database_url)
    manifest = backups.create_backup(engine, settings.files_dir, output, _progress_printer())
    rows = sum(manifest["tables"].values())
    console.print(
        f"Wrote {output}: {rows} rows in {len(manifest['tables'])} tables, {len(manifest['files'])} files"
    )


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(help="ZIP file written by 'accord backup'.")],
    lang: LangOption = "en",
) -> None:
    """Restore a backup into an empty database (all or nothing)."""
    from accord.db import migrate
    from accord.db.session import make_engine
    from accord.services import backup as backups
    from accord.services.errors import ServiceError

    settings = _settings(lang)
    if not source.is_file():
        err.print(f"[red]No file {source}: give the path of a ZIP written by 'accord backup'.[/red]")
        raise typer.Exit(2)
    engine = make_engine(settings.resolved_database_url)
    try:
        manifest = backups.read_manifest(source)
        migrate.upgrade(settings.resolved_database_url, manifest.get("revision") or "head")
        backups.restore_backup(engine, settings.files_dir, source, _progress_printer())
    except ServiceError as error:
        raise _fail(error) from None
    console.print(
        f"Restored {source} (taken {manifest['created_at']}); run 'accord db upgrade' if Accord is newer."
    )
