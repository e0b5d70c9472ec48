"""The import pages: upload a folder and a ledger, watch it read, correct, confirm; bad uploads refused."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.models import Agreement, ImportBatch, Organisation
from tests.conftest import CQU, WANZHOU, csrf_of, login
from tests.onboarding.folder import write_folder


def _wait(client: TestClient, url: str, until: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = client.get(url).text
        if until in page and 'http-equiv="refresh"' not in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {until!r}")


def test_a_folder_and_its_ledger_are_imported_from_the_page(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int], tmp_path: Path
) -> None:
    paths = write_folder(tmp_path / "folder")
    login(client, CQU)
    token = csrf_of(client, "/imports/new")
    files = [("files", (n, p.read_bytes())) for n, p in paths.items() if n != "ledger.xlsx"]
    files.append(("ledger", ("台账.xlsx", paths["ledger.xlsx"].read_bytes())))
    response = client.post(
        "/imports",
        data={"csrf_token": token, "organisation_id": str(world["cqu"])},
        files=files,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    url = response.headers["location"]
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 1
    page = _wait(client, url, "Ready for review")
    assert "The same text as file strategic.docx of this import in another format." in page
    assert re.search(r"A revised version of file strategic\.(docx|pdf) of this import \(\d+% alike\)", page)
    assert "The file is damaged or is not what its name says" in page
    assert "not in the registry: a new organisation is proposed" in page
    assert "Listed in the ledger on row 3." in page
    batch_id = int(url.rsplit("/", 1)[-1])
    item = int(re.search(r'name="items\.(\d+)\.title" value="Memorandum', page).group(1))  # type: ignore[union-attr]
    token = csrf_of(client, url)
    bad = client.post(f"{url}/review", data={"csrf_token": token, f"items.{item}.signed_on": "2022-13-45"})
    assert "Nothing was saved" in bad.text and "Write the date as YYYY-MM-DD." in bad.text
    confirm = client.post(
        f"{url}/review",
        data={"csrf_token": token, f"items.{item}.title": "Joint Graduate Training MoU", "confirm": "1"},
        follow_redirects=False,
    )
    assert confirm.status_code == 303
    page = _wait(client, url, "Done")
    with factory() as session:
        mou = session.scalar(select(Agreement).where(Agreement.title_en == "Joint Graduate Training MoU"))
        assert (
            mou is not None and [p.organisation.name_en for p in mou.parties][1] == "Montana State University"
        )
    assert "Open agreement" in page

    client.cookies.clear()
    login(client, WANZHOU)
    assert client.get(url).status_code == 404
    assert batch_id


def test_bad_uploads_are_refused_with_a_message_and_nothing_is_stored(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    login(client, CQU)
    token = csrf_of(client, "/imports/new")

    def post(files: list[tuple[str, tuple[str, bytes]]], owner: str = str(world["cqu"])) -> str:
        response = client.post("/imports", data={"csrf_token": token, "organisation_id": owner}, files=files)
        assert response.status_code in (403, 422), response.status_code
        return response.text

    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(1001):
            archive.writestr(f"folder/{n}.txt", "甲方：重庆大学")
    assert "holds 1001 files; a batch holds at most 1000" in post(
        [("files", ("folder.zip", many.getvalue()))]
    )
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(5):  # each file under the upload limit, together far beyond what the ZIP may give
            archive.writestr(f"big{n}.txt", b"0" * 15_000_000)
    assert "bomb.zip would expand to more than" in post([("files", ("bomb.zip", bomb.getvalue()))])
    assert "not a readable ZIP archive" in post([("files", ("broken.zip", b"PK nothing"))])
    assert "Choose at least one agreement file" in post([])
    ledger = ("ledger", ("台账.xlsx", b"not a workbook"))
    assert "could not be read" in post([("files", ("a.txt", "甲方：重庆大学".encode())), ledger])
    assert "Only coordinators" in post([("files", ("a.txt", b"x"))], owner="2")
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0
        assert (
            session.scalar(select(func.count()).select_from(Organisation).where(Organisation.id > 100)) == 0
        )


def test_a_zip_with_names_that_leave_the_folder_reads_only_the_safe_files(
    client: TestClient, world: dict[str, int]
) -> None:
    login(client, CQU)
    token = csrf_of(client, "/imports/new")
    archive_bytes = io.BytesIO()
    with zipfile.ZipFile(archive_bytes, "w") as archive:
        archive.writestr("../../etc/evil.txt", "甲方：重庆大学")
        archive.writestr("/abs.txt", "甲方：重庆大学")
        archive.writestr(
            "folder/good.txt",
            "合作协议\n\n甲方：重庆大学\n乙方：重庆市万州区人民政府\n\n第一条 甲方负责培训。",
        )
    response = client.post(
        "/imports",
        data={"csrf_token": token, "organisation_id": str(world["cqu"])},
        files=[("files", ("folder.zip", archive_bytes.getvalue()))],
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = _wait(client, response.headers["location"], "Ready for review")
    assert page.count("The ZIP entry points outside its folder; it was not read.") == 2
    assert "folder/good.txt" in page
