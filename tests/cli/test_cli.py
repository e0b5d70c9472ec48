"""The command line: demo, accounts, and a lossless registry export/import."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.config import Settings, get_settings

runner = CliRunner()


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("ACCORD_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def test_demo_loads_once_and_if_empty_makes_a_second_run_harmless(env: Settings) -> None:
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "admin@accord.example" in first.output
    assert runner.invoke(app, ["demo", "--if-empty"]).exit_code == 0
    again = runner.invoke(app, ["demo"])
    assert again.exit_code == 1 and "already loaded" in again.output


def test_user_add_validates_the_password_and_refuses_duplicates(env: Settings) -> None:
    weak = runner.invoke(app, ["user", "add", "boss@example.org", "--admin", "--password", "short"])
    assert weak.exit_code == 1 and "at least 10 characters" in weak.output
    ok = runner.invoke(app, ["user", "add", "boss@example.org", "--admin", "--password", "a-long-passphrase"])
    assert ok.exit_code == 0, ok.output
    dup = runner.invoke(app, ["user", "add", "BOSS@example.org", "--password", "a-long-passphrase"])
    assert dup.exit_code == 1 and "already exists" in dup.output
    assert (
        runner.invoke(
            app, ["user", "add", "x@example.org", "--org", "1", "--password", "a-long-passphrase"]
        ).exit_code
        == 2
    )


def test_export_then_import_into_an_empty_database_loses_nothing(
    env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(app, ["demo"]).exit_code == 0
    first = tmp_path / "registry.json"
    assert runner.invoke(app, ["export", str(first)]).exit_code == 0
    exported = json.loads(first.read_text(encoding="utf-8"))
    names = {o["name_en"] for o in exported["organisations"]}
    assert {"Chongqing University", "People's Government of Wanzhou District"} <= names
    assert len(exported["agreements"]) == 2

    monkeypatch.setenv("ACCORD_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    get_settings.cache_clear()
    loaded = runner.invoke(app, ["import", "registry", str(first)])
    assert loaded.exit_code == 0, loaded.output
    second = tmp_path / "again.json"
    assert runner.invoke(app, ["export", str(second)]).exit_code == 0
    assert json.loads(second.read_text(encoding="utf-8")) == exported


def test_import_reports_malformed_json_and_bad_records_without_storing_anything(
    env: Settings, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "accord-registry",\n "version": 1,,}', encoding="utf-8")
    result = runner.invoke(app, ["import", "registry", str(broken)])
    assert result.exit_code == 2 and "line 2" in result.output

    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "accord-registry",
                "version": 1,
                "organisations": [
                    {"id": 1, "kind": "university", "name_en": "A"},
                    {"id": 2, "kind": "castle", "name_en": "B"},
                ],
                "people": [{"id": 1, "name_en": "P", "organisation_id": 7}],
            }
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", "registry", str(bad)])
    assert result.exit_code == 1
    assert "organisations[1].kind" in result.output and "people[0].organisation_id" in result.output
    export = tmp_path / "after.json"
    runner.invoke(app, ["export", str(export)])
    assert json.loads(export.read_text(encoding="utf-8"))["organisations"] == []


def test_unknown_language_option_is_refused(env: Settings) -> None:
    result = runner.invoke(app, ["import", "registry", "x.json", "--lang", "fr"])
    assert result.exit_code == 2 and "Unknown language" in result.output


def test_demo_scale_generates_a_portfolio_into_an_empty_database_only(env: Settings) -> None:
    result = runner.invoke(app, ["demo", "--scale", "3"])
    assert result.exit_code == 0, result.output
    assert "3 agreements" in result.output and "60 tasks" in result.output
    again = runner.invoke(app, ["demo", "--scale", "3"])
    assert again.exit_code == 1 and "empty database" in again.output
    assert runner.invoke(app, ["demo", "--scale", "0"]).exit_code == 2
