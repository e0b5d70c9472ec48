"""Backups restore every table and every stored file exactly, on both databases."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from accord.cli import app
from accord.config import Settings, get_settings
from accord.db.session import make_engine
from accord.models import Base
from accord.services import backup

runner = CliRunner()


def _dump(engine: Engine) -> dict[str, list[dict[str, object]]]:
    with engine.connect() as connection:
        return {
            t.name: [
                dict(r) for r in connection.execute(select(t).order_by(*t.primary_key.columns)).mappings()
            ]
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("ACCORD_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def test_backup_then_restore_gives_back_every_row_and_file(
    env: Settings, world: dict[str, int], engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "accord-backup.zip"
    result = runner.invoke(app, ["backup", str(archive)])
    assert result.exit_code == 0, result.output
    original_rows = _dump(engine)
    original_files = {p.name: p.read_bytes() for p in env.files_dir.glob("*/*")}
    assert original_files, "the demo stores the imported agreement text"

    other_db = f"sqlite:///{tmp_path / 'restored.db'}"
    monkeypatch.setenv("ACCORD_DATABASE_URL", other_db)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "restored-var"))
    get_settings.cache_clear()
    restored = runner.invoke(app, ["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    restored_engine = make_engine(other_db)
    assert _normalised(_dump(restored_engine)) == _normalised(original_rows)
    restored_files = {p.name: p.read_bytes() for p in (tmp_path / "restored-var" / "files").glob("*/*")}
    assert restored_files == original_files

    second = tmp_path / "again.zip"
    assert runner.invoke(app, ["backup", str(second)]).exit_code == 0
    with zipfile.ZipFile(archive) as a, zipfile.ZipFile(second) as b:
        tables = [n for n in a.namelist() if n.startswith("tables/")]
        assert all(a.read(n) == b.read(n) for n in tables)
    assert runner.invoke(app, ["restore", str(archive)]).exit_code == 1  # no longer empty
    restored_engine.dispose()


def _normalised(rows: dict[str, list[dict[str, object]]]) -> str:
    # SQLite returns naive datetimes; compare values the way the archive writes them.
    encoded = {k: [{c: backup._encode(v) for c, v in r.items()} for r in rs] for k, rs in rows.items()}
    return json.dumps(encoded, sort_keys=True, default=str)


def test_a_damaged_archive_is_refused_and_nothing_is_written(
    env: Settings, tmp_path: Path, engine: Engine
) -> None:
    bogus = tmp_path / "bogus.zip"
    bogus.write_bytes(b"not a zip")
    result = runner.invoke(app, ["restore", str(bogus)])
    assert result.exit_code == 1 and "not an Accord backup" in result.output
    archive = tmp_path / "empty.zip"
    assert runner.invoke(app, ["backup", str(archive)]).exit_code == 0
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, b'{"id": 1, "email": }\n' if name == "tables/user_account.jsonl" else data)
    result = runner.invoke(app, ["restore", str(broken)])
    assert result.exit_code == 1 and "Line 1 of tables/user_account.jsonl is damaged" in result.output
    assert all(rows == [] for rows in _dump(engine).values())


def test_sessions_and_attempt_counters_are_left_out_and_not_restored(
    env: Settings, world: dict[str, int], engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import func
    from sqlalchemy.orm import Session

    from accord.models import Throttle, User, UserSession
    from accord.services import sessions, throttle

    limit = throttle.Limit("login-account", 5, 60, 60)
    with Session(engine) as session:
        user = session.scalars(select(User).order_by(User.id)).first()
        assert user is not None
        sessions.start(session, user, "test browser", max_age=3600)
        throttle.hit(session, limit, throttle.key_for("k", limit.bucket, user.email))
        session.commit()
    archive = tmp_path / "accord-backup.zip"
    assert runner.invoke(app, ["backup", str(archive)]).exit_code == 0
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        manifest = json.loads(zipped.read("manifest.json"))
    assert {"tables/user_session.jsonl", "tables/throttle.jsonl"}.isdisjoint(names)
    assert "tables/user_account.jsonl" in names
    assert {"user_session", "throttle"}.isdisjoint(manifest["tables"])

    # An archive of an older Accord that still holds them: restored without them.
    older = tmp_path / "older.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(older, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        with engine.connect() as connection:
            rows = [dict(r) for r in connection.execute(select(UserSession.__table__)).mappings()]
        target.writestr(
            "tables/user_session.jsonl",
            "".join(json.dumps({k: backup._encode(v) for k, v in r.items()}) + "\n" for r in rows),
        )
    for source_archive, name in ((archive, "restored"), (older, "restored-older")):
        other_db = f"sqlite:///{tmp_path / name}.db"
        monkeypatch.setenv("ACCORD_DATABASE_URL", other_db)
        monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / f"{name}-var"))
        get_settings.cache_clear()
        result = runner.invoke(app, ["restore", str(source_archive)])
        assert result.exit_code == 0, result.output
        restored = make_engine(other_db)
        with Session(restored) as copy, Session(engine) as live:
            assert copy.scalar(select(func.count()).select_from(UserSession)) == 0
            assert copy.scalar(select(func.count()).select_from(Throttle)) == 0
            assert copy.scalar(select(func.count()).select_from(User)) == live.scalar(
                select(func.count()).select_from(User)
            )
        restored.dispose()
