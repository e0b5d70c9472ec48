"""Delivery commands: the reminder and escalation worker."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from accord.cli import app
from accord.cli.commands import start_or_stop

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from accord.config import Settings

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
notices_app = typer.Typer(help="Reminders and escalations.", no_args_is_help=True)
app.add_typer(notices_app, name="notices")


def _factory() -> tuple[Settings, sessionmaker[Session]]:
    from accord.config import get_settings
    from accord.db.session import make_engine, make_sessionmaker

    settings = get_settings()
    return settings, make_sessionmaker(make_engine(settings.resolved_database_url))


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Run one round and exit.")] = False,
) -> None:
    """Send reminders and escalations every ACCORD_WORKER_INTERVAL_SECONDS (safe to run several).

    On PostgreSQL the workers share a procrastinate job queue; on SQLite each runs its own rounds.
    """
    from accord import preflight
    from accord.config import get_settings
    from accord.services import notices, queue

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(preflight.MaskingFilter())
    start_or_stop(get_settings(), need_head=True)
    settings, factory = _factory()
    if notices.held(settings):
        console.print(
            "[yellow]No e-mail server (ACCORD_SMTP_HOST): e-mail notices are kept in the outbox "
            "(/admin/outbox) and sent once one is configured.[/yellow]"
        )
    if not once and queue.uses_queue(settings.resolved_database_url):
        queue.run(settings, factory)
        return
    summary = notices.run_worker(factory, settings, once=once)
    if once:
        console.print(
            f"planned {summary.planned}, sent {summary.sent}, retrying {summary.retrying}, failed {summary.failed}"
        )


@notices_app.command("send-due")
def send_due() -> None:
    """Plan today's notices and send everything that is due, once; each failure is printed with its reason.

    Exits with status 1 when notices were due and none could be sent."""
    from accord.services import notices

    settings, factory = _factory()
    now = settings.clock.now()
    with factory() as session:
        summary = notices.plan_and_send(session, settings.clock.day_of(now), settings, now=now)
    for line in summary.errors:
        err.print(f"[red]not sent[/red]: {line}", highlight=False, markup=True)
    console.print(
        f"planned {summary.planned}, sent {summary.sent}, retrying {summary.retrying}, failed {summary.failed}"
    )
    if summary.errors and not summary.sent:
        if settings.smtp_host and settings.smtp_starttls and not settings.smtp_ssl:
            err.print(
                "Run 'accord check' to test the mail server with ACCORD_SMTP_STARTTLS.", highlight=False
            )
        raise typer.Exit(1)
