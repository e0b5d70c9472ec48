"""Delivery commands: the reminder and escalation worker."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from accord.cli import app
from accord.config import Settings, get_settings
from accord.db.session import make_engine, make_sessionmaker
from accord.services import notices, queue

console = Console()
notices_app = typer.Typer(help="Reminders and escalations.", no_args_is_help=True)
app.add_typer(notices_app, name="notices")


def _factory() -> tuple[Settings, sessionmaker[Session]]:
    settings = get_settings()
    return settings, make_sessionmaker(make_engine(settings.resolved_database_url))


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Run one round and exit.")] = False,
) -> None:
    """Send reminders and escalations every ACCORD_WORKER_INTERVAL_SECONDS (safe to run several).

    On PostgreSQL the workers share a procrastinate job queue; on SQLite each runs its own rounds.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
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
    """Plan today's notices and send everything that is due, once."""
    settings, factory = _factory()
    now = settings.clock.now()
    with factory() as session:
        summary = notices.plan_and_send(session, settings.clock.day_of(now), settings, now=now)
    console.print(
        f"planned {summary.planned}, sent {summary.sent}, retrying {summary.retrying}, failed {summary.failed}"
    )
