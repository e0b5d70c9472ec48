"""`accord import agreements` and the JSON API do what the import page does."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient
from typer.testing import CliRunner

from accord.cli import app
from accord.config import Settings
from accord.models import Agreement, ImportBatch, Organisation
from tests.api.test_api import token_for
from tests.conftest import CQU, WANZHOU
from tests.onboarding.folder import MOU_EN, check_registry, write_folder


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.config import get_settings

    monkeypatch.setenv("ACCORD_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _agreements(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(Agreement)) or 0)


def test_the_command_line_reads_a_folder_dry_and_then_imports_it(
    cli_env: None, factory: sessionmaker[Session], world: dict[str, int], tmp_path: Path
) -> None:
    paths = write_folder(tmp_path / "folder")
    before = _agreements(factory)
    with factory() as session:
        since = int(session.scalar(select(func.max(Agreement.id))) or 0)
    runner = CliRunner()
    dry = runner.invoke(
        app, ["import", "agreements", str(tmp_path / "folder"), "--owner", "重庆大学", "--dry-run"]
    )
    assert dry.exit_code == 1, dry.output  # broken.pdf
    assert "Dry run: nothing was stored" in dry.output and "same_text of" in dry.output
    assert _agreements(factory) == before
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    real = runner.invoke(
        app,
        [
            "import",
            "agreements",
            str(tmp_path / "folder"),
            "--owner",
            str(world["cqu"]),
            "--ledger",
            str(paths["ledger.xlsx"]),
        ],
    )
    assert real.exit_code == 1, real.output  # broken.pdf again, and only it
    assert "broken.pdf" in real.output and "damaged" in real.output
    # Seven agreements from the files (twin attached, revision a new version) and two from ledger rows.
    assert _agreements(factory) == before + 9
    with factory() as session:
        check_registry(session, since)
    bad_owner = runner.invoke(
        app, ["import", "agreements", str(tmp_path / "folder"), "--owner", "没有这个单位"]
    )
    assert bad_owner.exit_code == 2 and "no organisation has this name" in bad_owner.output


def test_the_api_uploads_reads_corrects_and_confirms(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    headers = token_for(factory, CQU)
    started = client.post(
        "/api/v1/imports",
        headers=headers,
        data={"organisation_id": str(world["cqu"])},
        files=[("files", ("mou.txt", MOU_EN.encode()))],
    )
    assert started.status_code == 202, started.text
    batch_id, job_id = started.json()["batch_id"], started.json()["job_id"]
    deadline = time.monotonic() + 60
    while client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()["state"] != "done":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    batch = client.get(f"/api/v1/imports/{batch_id}", headers=headers).json()
    assert batch["state"] == "review"
    item = batch["items"][0]
    assert item["proposal"]["parties"][1]["reason"] == "new"
    wrong = client.patch(
        f"/api/v1/imports/{batch_id}/items/{item['id']}", headers=headers, json={"signed_on": "12/05/2022"}
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"].endswith(".signed_on")
    fixed = client.patch(
        f"/api/v1/imports/{batch_id}/items/{item['id']}",
        headers=headers,
        json={
            "title": "Graduate training MoU",
            "parties": [
                {"choice": str(world["cqu"])},
                {"choice": "new", "new_name": "Montana State University", "new_kind": "university"},
            ],
        },
    )
    assert fixed.status_code == 200, fixed.text
    assert client.get(f"/api/v1/imports/{batch_id}", headers=token_for(factory, WANZHOU)).status_code == 404
    confirm = client.post(f"/api/v1/imports/{batch_id}/confirm", headers=headers)
    assert confirm.status_code == 202
    confirm_job = confirm.json()["job_id"]
    while client.get(f"/api/v1/jobs/{confirm_job}", headers=headers).json()["state"] != "done":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    with factory() as session:
        assert session.scalar(select(Agreement.id).where(Agreement.title_en == "Graduate training MoU"))
        assert (
            session.scalar(
                select(Organisation.kind).where(Organisation.name_en == "Montana State University")
            ).value
            == "university"
        )  # type: ignore[union-attr]
