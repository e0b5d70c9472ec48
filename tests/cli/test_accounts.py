"""Recovery from the command line: a new password, an unlock, roles, sessions, the list of accounts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from accord.cli import app
from accord.config import Settings, get_settings
from accord.models import ApiToken, AuditEntry, Organisation, OrgKind, Role, User, UserSession
from accord.services import sessions, users
from accord.services.permissions import SYSTEM
from accord.web.routes.auth import sign_in_policy

runner = CliRunner()
EMAIL = "admin@example.org"
OLD = "the-old-passphrase"
NEW = "a-brand-new-passphrase"


@pytest.fixture
def env(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, factory: sessionmaker[Session]
) -> Iterator[Settings]:
    monkeypatch.setenv("ACCORD_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ACCORD_SECRET_KEY", settings.secret_key)
    monkeypatch.delenv("ACCORD_PASSWORD", raising=False)
    get_settings.cache_clear()
    with factory() as session:
        admin = users.create_user(
            session,
            SYSTEM,
            email=EMAIL,
            display_name="Only admin",
            password=OLD,
            is_admin=True,
            language=None,
        )
        session.flush()
        sessions.start(session, admin, "browser", max_age=3600)
        sessions.start(session, admin, "phone", max_age=3600)
        users.create_token(session, SYSTEM, admin, "script")
        session.commit()
    yield settings
    get_settings.cache_clear()


def _sign_in(factory: sessionmaker[Session], settings: Settings, password: str) -> users.SignInResult:
    with factory() as session:
        result = users.authenticate(
            session, EMAIL, password, policy=sign_in_policy(settings), address="10.0.0.1"
        )
        session.commit()
        return result


def test_set_password_reads_stdin_ends_sessions_and_revokes_tokens(
    env: Settings, factory: sessionmaker[Session]
) -> None:
    result = runner.invoke(app, ["user", "set-password", "ADMIN@example.org"], input=NEW + "\n")
    assert result.exit_code == 0, result.output
    assert "New password set for admin@example.org" in result.output
    assert _sign_in(factory, env, NEW).user is not None
    with factory() as session:
        open_sessions = session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))).all()
        tokens = session.scalars(select(ApiToken).where(ApiToken.revoked_at.is_(None))).all()
        actions = session.scalars(select(AuditEntry.action)).all()
    assert open_sessions == [] and tokens == []
    assert "password" in actions


def test_set_password_refuses_a_weak_or_empty_one_and_unknown_accounts(env: Settings) -> None:
    weak = runner.invoke(app, ["user", "set-password", EMAIL], input="short\n")
    assert weak.exit_code == 1 and "at least 10 characters" in weak.output
    empty = runner.invoke(app, ["user", "set-password", EMAIL], input="")
    assert empty.exit_code == 2 and "No password" in empty.output
    unknown = runner.invoke(app, ["user", "set-password", "who@example.org", "--password", NEW])
    assert unknown.exit_code == 1 and "No account has the e-mail address who@example.org" in unknown.output


def test_a_terminal_asks_twice(env: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.cli import commands

    typed = iter([NEW, NEW + "x"])
    monkeypatch.setattr(commands, "_at_terminal", lambda: True)
    monkeypatch.setattr(commands.getpass, "getpass", lambda _prompt: next(typed))
    different = runner.invoke(app, ["user", "set-password", EMAIL])
    assert different.exit_code == 2 and "The two passwords differ" in different.output


def test_unlock_lets_a_locked_out_account_sign_in_again(
    env: Settings, factory: sessionmaker[Session]
) -> None:
    for _ in range(env.login_max_failures):
        _sign_in(factory, env, "wrong-passphrase")
    assert _sign_in(factory, env, OLD).locked
    result = runner.invoke(app, ["user", "unlock", EMAIL])
    assert result.exit_code == 0 and f"{EMAIL} unlocked." in result.output
    assert _sign_in(factory, env, OLD).user is not None
    again = runner.invoke(app, ["user", "unlock", EMAIL])
    assert again.exit_code == 0 and "was not locked" in again.output


def test_grant_by_name_or_number_and_list(env: Settings, factory: sessionmaker[Session]) -> None:
    with factory() as session:
        organisation = Organisation(name_en="Example University", name_zh="示例大学", kind=OrgKind.UNIVERSITY)
        session.add(organisation)
        session.commit()
        number = organisation.id
    result = runner.invoke(app, ["user", "grant", EMAIL, "--org", "示例大学", "--role", "coordinator"])
    assert result.exit_code == 0 and "is now coordinator of Example University" in result.output
    result = runner.invoke(app, ["user", "grant", EMAIL, "--org", str(number), "--role", "viewer"])
    assert result.exit_code == 0, result.output
    with factory() as session:
        user = session.scalars(select(User).where(User.email == EMAIL)).one()
        assert [(m.organisation_id, m.role) for m in user.memberships] == [(number, Role.VIEWER)]
    missing = runner.invoke(app, ["user", "grant", EMAIL, "--org", "Nowhere", "--role", "viewer"])
    assert (
        missing.exit_code == 2 and "--org: no organisation has the number or name 'Nowhere'" in missing.output
    )
    listed = runner.invoke(app, ["user", "list"])
    assert listed.exit_code == 0
    header, row, total = listed.output.splitlines()
    assert header.split("\t")[:4] == ["e-mail", "name", "admin", "active"]
    assert row.split("\t")[:5] == [EMAIL, "Only admin", "yes", "yes", "viewer of Example University"]
    assert total == "1 accounts"


def test_sessions_revoke_signs_an_account_out_everywhere(
    env: Settings, factory: sessionmaker[Session]
) -> None:
    result = runner.invoke(app, ["sessions", "revoke", "--user", EMAIL])
    assert result.exit_code == 0 and f"2 sessions of {EMAIL} ended." in result.output
    with factory() as session:
        assert session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))).all() == []
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "sign_out")).one()
        assert entry.actor_id is None
