"""Recovering accounts from the command line: passwords, lock-outs, roles and sessions.

These are the commands an operator needs when no administrator can sign in: they act as the system
(recorded as such in the audit trail) and need only the server's settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from accord.cli import app
from accord.cli.commands import RoleName, _fail, _settings, read_new_password, user_app

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from accord.models import Organisation, User

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
sessions_app = typer.Typer(help="Sign-in sessions.", no_args_is_help=True)
app.add_typer(sessions_app, name="sessions")

EmailArgument = Annotated[str, typer.Argument(help="The account's e-mail address (any case).")]


def _account(session: Session, email: str) -> User:
    from accord.services import users

    user = session.scalar(users.user_by_email(email))
    if user is None:
        err.print(f"[red]No account has the e-mail address {email} ('accord user list' shows them).[/red]")
        raise typer.Exit(1)
    return user


def _factory() -> tuple[str, sessionmaker[Session]]:
    from accord.db import migrate
    from accord.db.session import make_engine, make_sessionmaker

    settings = _settings()
    migrate.upgrade(settings.resolved_database_url)
    return settings.resolved_secret_key(), make_sessionmaker(make_engine(settings.resolved_database_url))


@user_app.command("set-password")
def set_password(
    email: EmailArgument,
    password: Annotated[
        str | None,
        typer.Option(
            help="Otherwise ACCORD_PASSWORD, typed twice at a terminal, or read from standard input."
        ),
    ] = None,
) -> None:
    """Give an account a new password; its sessions end and its API tokens are revoked."""
    from accord.db.session import transaction
    from accord.services import users
    from accord.services.errors import ServiceError
    from accord.services.permissions import SYSTEM

    _secret, factory = _factory()
    secret = read_new_password(password)
    try:
        with transaction(factory) as session:
            user = _account(session, email)
            users.set_password(session, SYSTEM, user, secret)
    except ServiceError as error:
        raise _fail(error) from None
    console.print(f"New password set for {user.email}; its sessions ended and its API tokens were revoked.")


@user_app.command("unlock")
def unlock(email: EmailArgument) -> None:
    """Let an account locked out by failed sign-ins sign in again at once."""
    from accord.db.session import transaction
    from accord.services import users
    from accord.services.permissions import SYSTEM

    secret, factory = _factory()
    with transaction(factory) as session:
        user = _account(session, email)
        was_locked = users.unlock(session, SYSTEM, user, secret=secret)
        active = user.is_active
    state = "unlocked" if was_locked else "was not locked"
    console.print(f"{user.email} {state}" + ("" if active else " (the account is disabled)") + ".")


@user_app.command("list")
def list_users(
    search: Annotated[str, typer.Option(help="Only addresses or names containing this.")] = "",
) -> None:
    """List the accounts, one a line (tab-separated): e-mail, name, administrator, active, roles, last sign-in."""
    from sqlalchemy import or_, select

    from accord.db.session import transaction
    from accord.models import Organisation, User

    _secret, factory = _factory()
    rows = [("e-mail", "name", "admin", "active", "roles", "last sign-in")]
    with transaction(factory) as session:
        query = select(User).order_by(User.email)
        if search:
            pattern = f"%{search.lower()}%"
            query = query.where(or_(User.email.ilike(pattern), User.display_name.ilike(pattern)))
        accounts = session.scalars(query).all()
        names = {
            number: name for number, name in session.execute(select(Organisation.id, Organisation.name_en))
        }
        for user in accounts:
            roles = ", ".join(
                f"{m.role.value} of {names.get(m.organisation_id) or m.organisation_id}"
                for m in user.memberships
            )
            rows.append(
                (
                    user.email,
                    user.display_name,
                    "yes" if user.is_admin else "",
                    "yes" if user.is_active else "no",
                    roles,
                    user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "",
                )
            )
    # Tab-separated, one account a line: readable, and easy to cut or sort.
    for row in rows:
        typer.echo("\t".join(row))
    console.print(f"{len(accounts)} accounts")


def _organisation(session: Session, given: str) -> Organisation:
    from sqlalchemy import or_, select

    from accord.models import Organisation
    from accord.services import records

    if given.isdigit():
        found = records.find(session, Organisation, int(given))
    else:
        found = session.scalar(
            select(Organisation).where(or_(Organisation.name_en == given, Organisation.name_zh == given))
        )
    if found is None:
        err.print(f"[red]--org: no organisation has the number or name {given!r}.[/red]")
        raise typer.Exit(2)
    return found


@user_app.command("grant")
def grant(
    email: EmailArgument,
    organisation: Annotated[str, typer.Option("--org", help="The organisation's number or full name.")],
    role: Annotated[RoleName, typer.Option(help="The role in that organisation.")],
) -> None:
    """Give an account a role in an organisation (replacing the role it had there)."""
    from accord.db.session import transaction
    from accord.services import users
    from accord.services.errors import ServiceError
    from accord.services.permissions import SYSTEM

    _secret, factory = _factory()
    try:
        with transaction(factory) as session:
            user = _account(session, email)
            found = _organisation(session, organisation)
            users.grant_role(session, SYSTEM, user, found.id, role.role())
            name = found.name_en or found.name_zh
    except ServiceError as error:
        raise _fail(error) from None
    console.print(f"{user.email} is now {role.value} of {name}.")


@sessions_app.command("revoke")
def revoke(
    user: Annotated[str, typer.Option("--user", help="The account's e-mail address.")],
) -> None:
    """Sign an account out everywhere: every session it has open ends."""
    from accord.db.session import transaction
    from accord.services import sessions
    from accord.services.permissions import SYSTEM

    _secret, factory = _factory()
    with transaction(factory) as session:
        account = _account(session, user)
        ended = sessions.end_all(session, SYSTEM, account)
    console.print(f"{ended} sessions of {account.email} ended.")
