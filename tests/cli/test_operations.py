"""What an operator meets: ``accord check``, clean one-line errors, masked passwords, private files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord import preflight
from accord.cli import app, main
from accord.config import Settings, get_settings
from tests.support.mail import Inbox

runner = CliRunner()
PG_URL = "postgresql+psycopg://accord:pa%24%24word@127.0.0.1:9/accord"


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ACCORD_* variable of the machine running the tests."""
    for name in list(os.environ):
        if name.startswith("ACCORD_") and name != "ACCORD_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)


@pytest.fixture
def env(clean: None, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("ACCORD_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ACCORD_BASE_URL", "https://accord.example.org")
    monkeypatch.setenv("ACCORD_SECRET_KEY", "k" * 48)
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The console script as an operator runs it: exit status, standard output and error."""
    get_settings.cache_clear()
    with pytest.raises(SystemExit) as stop:
        main(args)
    out = capsys.readouterr()
    code = stop.value.code
    return (code if isinstance(code, int) else 1), out.out, out.err


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def status(items: list[preflight.Item], name: str) -> str:
    return next(item.status for item in items if item.name == name)


def test_check_passes_on_a_sound_installation(env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["check"], capsys)
    assert code == 0, out
    names = [line.split(":")[0].split(None, 1)[1] for line in lines(out)]
    assert names[:6] == ["settings", "database", "data folder", "secret key", "base URL", "SMTP"]
    assert "FAIL" not in out


def test_check_names_the_variable_of_a_bad_setting(
    env: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_SECURE_COOKIES", "maybe")
    code, out, _err = run(["check"], capsys)
    assert code == 1
    assert lines(out) == [
        "FAIL  settings: ACCORD_SECURE_COOKIES: Input should be a valid boolean, unable to interpret input "
        "(got 'maybe')"
    ]


def test_a_bad_setting_stops_any_command_in_one_line(
    env: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_SMTP_PORT", "seventy")
    code, out, err = run(["db", "upgrade"], capsys)
    assert code == 1 and out == ""
    assert lines(err) == [
        "Invalid setting: ACCORD_SMTP_PORT: Input should be a valid integer, unable to parse string as an "
        "integer (got 'seventy')"
    ]
    with pytest.raises(Exception, match="smtp_port"):
        main(["--debug", "db", "upgrade"])


def test_a_database_that_refuses_says_so_without_the_password(
    env: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_DATABASE_URL", PG_URL)
    code, out, err = run(["db", "upgrade"], capsys)
    assert code == 1 and len(lines(err)) <= 2, err
    assert "postgresql+psycopg://accord:***@127.0.0.1:9/accord" in err
    assert "ACCORD_DATABASE_URL" in err and "pa%24%24word" not in err + out
    code, out, err = run(["check"], capsys)
    assert code == 1 and "FAIL  database: cannot connect to postgresql+psycopg://accord:***@" in out
    assert "pa%24%24word" not in out + err
    for command in (["serve", "--port", "9"], ["worker", "--once"]):
        code, out, err = run(command, capsys)
        assert code == 1 and lines(err)[0].startswith("database: cannot connect to "), err
        assert "Traceback" not in err and "pa%24%24word" not in out + err


def test_urls_are_printed_and_logged_with_the_password_masked() -> None:
    assert preflight.display_url(PG_URL) == "postgresql+psycopg://accord:***@127.0.0.1:9/accord"
    assert preflight.mask(f"failed for {PG_URL} and smtp://u:p@x") == (
        "failed for postgresql+psycopg://accord:***@127.0.0.1:9/accord and smtp://u:***@x"
    )
    assert (
        preflight.display_url("sqlite:////var/lib/accord/accord.db") == "sqlite:////var/lib/accord/accord.db"
    )
    import logging

    record = logging.LogRecord("x", logging.INFO, "", 0, "connecting to %s", (PG_URL,), None)
    assert preflight.MaskingFilter().filter(record)
    assert record.getMessage() == "connecting to postgresql+psycopg://accord:***@127.0.0.1:9/accord"


def test_upgrade_says_what_it_did(env: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from accord.db import migrate

    revisions = [revision for revision, _ in migrate.history(env.resolved_database_url)]
    head, previous = revisions[-1], revisions[-2]
    code, out, _err = run(["db", "upgrade"], capsys)
    assert code == 0 and out.startswith(f"Database already at {head}: ")
    code, out, _err = run(["db", "current"], capsys)
    assert code == 0 and out.startswith(f"{head} (newest)")
    code, out, _err = run(["db", "history"], capsys)
    assert lines(out)[0].startswith("  0001  registry") and lines(out)[-1].startswith(f"* {head}  ")
    if env.resolved_database_url.startswith("sqlite"):
        fresh = f"sqlite:///{tmp_path / 'fresh' / 'accord.db'}"
        os.environ["ACCORD_DATABASE_URL"] = fresh
        code, out, _err = run(["db", "upgrade", "--revision", previous], capsys)
        assert out.startswith(f"Database upgraded empty → {previous}: ")
        code, out, _err = run(["db", "current"], capsys)
        assert out.startswith(f"{previous} (Accord needs {head}: run 'accord db upgrade')")
        code, out, _err = run(["check"], capsys)
        assert code == 1 and "FAIL  database: " in out and f"is at {previous}, Accord needs {head}" in out
        code, out, _err = run(["db", "upgrade"], capsys)
        assert out.startswith(f"Database upgraded {previous} → {head}: ")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backups_exports_and_sqlite_files_are_private(
    env: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old = os.umask(0o022)
    try:
        backup = tmp_path / "accord.zip"
        assert run(["backup", str(backup)], capsys)[0] == 0
        assert mode(backup) == 0o600
        export = tmp_path / "registry.json"
        assert run(["export", str(export)], capsys)[0] == 0
        assert mode(export) == 0o600
        target = tmp_path / "restored"
        os.environ["ACCORD_DATABASE_URL"] = ""
        os.environ["ACCORD_DATA_DIR"] = str(target)
        code, _out, err = run(["restore", str(backup)], capsys)
        assert code == 0, err
        assert mode(target / "accord.db") == 0o600
        assert mode(target) == 0o750
    finally:
        os.umask(old)


def test_backup_and_restore_name_the_missing_folder_or_file(
    env: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(["backup", str(tmp_path / "nowhere" / "a.zip")], capsys)
    assert code == 2 and lines(err) == [
        f"The folder {tmp_path / 'nowhere'} does not exist; create it first (mkdir -p {tmp_path / 'nowhere'})."
    ]
    code, _out, err = run(["restore", str(tmp_path / "missing.zip")], capsys)
    assert code == 2 and lines(err) == [
        f"No file {tmp_path / 'missing.zip'}: give the path of a ZIP written by 'accord backup'."
    ]


def test_check_finds_a_data_folder_the_user_cannot_write(clean: None, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    (folder / "files").mkdir(parents=True)
    (folder / "files").chmod(0o500)
    try:
        item = preflight.check_data_dir(Settings(data_dir=folder))
        if os.geteuid() == 0:  # root writes anywhere; the service user is what matters
            assert item.status == "ok"
        else:
            assert (
                item.status == "fail" and "is not writable by" in item.message and "chown -R" in item.message
            )
    finally:
        (folder / "files").chmod(0o700)
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    item = preflight.check_data_dir(Settings(data_dir=blocked))
    assert item.status == "fail" and "is not a folder" in item.message


def test_check_finds_a_missing_base_url_and_secret_key(clean: None, tmp_path: Path) -> None:
    unset = Settings(data_dir=tmp_path, database_url=PG_URL)
    assert preflight.check_base_url(unset).status == "fail"
    assert "ACCORD_BASE_URL" in preflight.check_base_url(unset).message
    assert preflight.check_secret_key(unset).status == "warn"
    assert preflight.check_base_url(Settings(base_url="https://accord.example.org")).status == "ok"
    assert preflight.check_secret_key(Settings(secret_key="s" * 48)).status == "ok"


def test_check_tests_smtp_with_its_tls_mode(clean: None, smtp: tuple[Inbox, int]) -> None:
    _inbox, port = smtp
    plain = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
    assert preflight.check_smtp(plain).status == "ok"
    starttls = Settings(smtp_host="127.0.0.1", smtp_port=port)
    item = preflight.check_smtp(starttls)
    assert item.status == "fail" and "offers no STARTTLS" in item.message
    assert "ACCORD_SMTP_STARTTLS=false" in item.message
    from tests.support.servers import free_port

    closed = preflight.check_smtp(Settings(smtp_host="127.0.0.1", smtp_port=free_port()), timeout=2)
    assert closed.status == "fail" and "ConnectionRefusedError" in closed.message


def test_check_finds_missing_converters(clean: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_SOFFICE", "/nonexistent/soffice")
    monkeypatch.setenv("PATH", "/nonexistent")
    items = preflight.check_converters(Settings(ocr_engine="tesseract"))
    assert status(items, "LibreOffice") == "fail" and status(items, "OCR") == "fail"
    monkeypatch.delenv("ACCORD_SOFFICE")
    items = preflight.check_converters(Settings())
    assert status(items, "LibreOffice") == "warn"


def test_check_finds_missing_pdf_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("weasyprint", exc_type=OSError)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert preflight.check_pdf_fonts().status == "warn"


def test_commands_run_as_root_leave_the_data_folder_to_its_owner(tmp_path: Path) -> None:
    from accord.cli import ownership

    folder = tmp_path / "data"
    (folder / "files" / "ab").mkdir(parents=True)
    (folder / "files" / "ab" / "abc").write_text("x")
    if os.geteuid() != 0:
        assert ownership.chown_tree(folder) == 0  # nothing to hand over as an ordinary user
        return
    os.chown(folder, 65534, 65534)
    assert ownership.chown_tree(folder) == 3
    assert {p.stat().st_uid for p in folder.rglob("*")} == {65534}


def test_the_command_line_help_mentions_debug() -> None:
    result = runner.invoke(app, ["--help"])
    assert "--debug" in result.output


def test_check_creates_nothing(
    clean: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path / "new"))
    code, out, _err = run(["check"], capsys)
    assert code == 1 and f"FAIL  database: no database yet at {tmp_path / 'new' / 'accord.db'}" in out
    assert not (tmp_path / "new").exists()


def test_check_finds_missing_pango(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight, "_PDF_LIBRARIES", (("libaccord-no-such-0.so.0", "accord-no-such-0"),))
    item = preflight.check_pdf_fonts()
    assert item.status == "warn" and "Pango" in item.message
