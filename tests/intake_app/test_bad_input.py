"""Bad input to the signed-text import, each in both languages: an encrypted PDF, a wrong extension, an
image over the pixel limit (refused in the request, nothing stored); a scan too blurred to read, a
conversion that fails or runs past its limit (the job fails naming the file and pages, nothing of the
text is imported, the original stays attached unchanged); a scan with some blurred pages and a mixed
PDF with some scanned pages (imported, the review page naming the file and the pages)."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.bench import specimens
from accord.config import Settings
from accord.models import AgreementText, Commitment, Job, JobState, SignedDocument
from accord.services import files
from tests.conftest import ADMIN, login
from tests.intake.test_pdf_as_published import FIXTURES
from tests.intake_app.test_background_import import _finish, _job_id, _post
from tests.intake_app.test_intake_app import _coop_id, _upload

LANGUAGES = [("en", "en"), ("zh-CN", "zh")]


@pytest.fixture(params=LANGUAGES, ids=[lang for _accept, lang in LANGUAGES])
def lang(request: pytest.FixtureRequest, client: TestClient) -> str:
    """Each test in both languages: the browser asks for this one."""
    accept, language = request.param
    client.headers["Accept-Language"] = accept
    return str(language)


@pytest.fixture
def coop(client: TestClient, world: dict[str, int], lang: str) -> int:
    """The demo's cooperation agreement, with an administrator signed in to import its text."""
    login(client, ADMIN)
    return _coop_id(client)


def _pages(lang: str, *, blur: float | None = None) -> list[object]:
    pdf = (FIXTURES / f"agreement-{lang}.libreoffice.pdf").read_bytes()
    return list(specimens.scan(pdf, dpi=150, seed=5, blur=blur))


def _messages(page: str) -> str:
    """The flash messages and alerts of a page, as text (entities decoded)."""
    found = re.findall(r'<div[^>]*class="flash[^"]*"[^>]*>(.*?)</div>', page, re.S)
    return html.unescape(" | ".join(" ".join(re.sub(r"<[^>]+>", " ", m).split()) for m in found))


def _nothing_imported(factory: sessionmaker[Session], agreement: int) -> None:
    with factory() as session:
        for model in (AgreementText, Commitment):  # clauses hang on a text
            count = session.scalar(
                select(func.count()).select_from(model).where(model.agreement_id == agreement)  # type: ignore[attr-defined]
            )
            assert count == 0, model.__name__


def _original_kept(factory: sessionmaker[Session], settings: Settings, agreement: int, data: bytes) -> None:
    with factory() as session:
        document = session.scalar(select(SignedDocument).where(SignedDocument.agreement_id == agreement))
        assert document is not None
        assert files.path_for(settings.files_dir, document.sha256).read_bytes() == data


def _failed_job(
    client: TestClient, factory: sessionmaker[Session], settings: Settings, coop: int, name: str, data: bytes
) -> str:
    """Upload ``data``, run its job to the end, and return the job page (which must say it failed)."""
    status, location = _post(client, coop, name, data)
    assert status == 303, location
    job = _finish(factory, settings, _job_id(location))
    assert job.state == JobState.FAILED, job.result
    return _messages(client.get(location).text)


def test_refused_at_once_naming_the_file_with_nothing_stored(
    lang: str, coop: int, client: TestClient, factory: sessionmaker[Session]
) -> None:
    import pypdf
    from PIL import Image

    pdf = (FIXTURES / f"agreement-{lang}.libreoffice.pdf").read_bytes()
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)
    huge = io.BytesIO()
    Image.new("1", (9000, 7000), 1).save(huge, format="PNG")
    expected = {
        "en": [
            ("locked.pdf", locked.getvalue(), "locked.pdf: The file is protected by a password"),
            ("scan.jpg", pdf, "scan.jpg: The file's name ends in .jpg, but its content is not of that type (PDF)"),
            ("poster.png", huge.getvalue(), "poster.png: page 1 is 63000000 pixels, more than the limit of 60000000"),
        ],
        "zh": [
            ("locked.pdf", locked.getvalue(), "locked.pdf：文件受密码保护"),
            ("scan.jpg", pdf, "scan.jpg：文件扩展名为 .jpg，但其内容并非该类型（PDF）"),
            ("poster.png", huge.getvalue(), "poster.png：第 1 页有 63000000 像素，超过上限 60000000"),
        ],
    }[lang]  # fmt: skip
    for name, data, message in expected:
        assert message in _messages(_upload(client, coop, name, data)), name
    _nothing_imported(factory, coop)
    with factory() as session:
        stored = select(func.count()).select_from(SignedDocument).where(SignedDocument.agreement_id == coop)
        assert session.scalar(stored) == 0
        assert session.scalar(select(func.count()).select_from(Job)) == 0


@pytest.mark.xdist_group("ocr")  # with the other scans: see tests/support/ocr.py
def test_a_scan_too_blurred_fails_naming_its_pages(
    lang: str, coop: int, client: TestClient, factory: sessionmaker[Session], settings: Settings
) -> None:
    blurred = specimens.images_to_pdf(_pages(lang, blur=7.0))
    page = _failed_job(client, factory, settings, coop, "blurred.pdf", blurred)
    assert {
        "en": "blurred.pdf: no text could be read from page(s) 1, 2 of the scan",
        "zh": "blurred.pdf：扫描件第 1, 2 页无法识别出文字",
    }[lang] in page
    _nothing_imported(factory, coop)
    _original_kept(factory, settings, coop, blurred)


@pytest.mark.xdist_group("ocr")  # with the other scans: see tests/support/ocr.py
def test_a_scan_with_one_blurred_page_is_imported_naming_the_file_and_the_page(
    lang: str, coop: int, client: TestClient, factory: sessionmaker[Session], settings: Settings
) -> None:
    scan = specimens.images_to_pdf([_pages(lang)[0], _pages(lang, blur=7.0)[1]])
    _status, location = _post(client, coop, "half-blurred.pdf", scan)
    job = _finish(factory, settings, _job_id(location))
    assert job.state == JobState.DONE, job.error
    review = _messages(client.get(f"/agreements/{coop}/review").text)
    assert {
        "en": "Page(s) 2 of half-blurred.pdf could not be read",
        "zh": "half-blurred.pdf 第 2 页无法识别",
    }[lang] in review
    _original_kept(factory, settings, coop, scan)


@pytest.mark.xdist_group("ocr")  # with the other scans: see tests/support/ocr.py
def test_a_mixed_pdf_keeps_its_text_layer_and_reads_its_scanned_page(
    lang: str, coop: int, client: TestClient, factory: sessionmaker[Session], settings: Settings
) -> None:
    import pypdf

    text_layer = pypdf.PdfReader(FIXTURES / f"agreement-{lang}.libreoffice.pdf")
    scanned = pypdf.PdfReader(io.BytesIO(specimens.images_to_pdf([_pages(lang)[1]])))
    writer = pypdf.PdfWriter()
    writer.add_page(text_layer.pages[0])
    writer.add_page(scanned.pages[0])
    out = io.BytesIO()
    writer.write(out)
    status, location = _post(client, coop, "mixed.pdf", out.getvalue())
    assert status == 303 and location.startswith("/jobs/")  # a page needs OCR: read in the background
    job = _finish(factory, settings, _job_id(location))
    assert job.state == JobState.DONE, job.error
    with factory() as session:
        text = session.scalar(select(AgreementText).where(AgreementText.agreement_id == coop))
        assert text is not None and text.source_format == "pdf"
        assert text.detected["ocr"]["pages"] == [2]
    review = _messages(client.get(f"/agreements/{coop}/review").text)
    assert {
        "en": "This text was read from a scan by OCR (rapidocr), from page(s) 2 of mixed.pdf.",
        "zh": "本文本由 OCR（rapidocr）从扫描件 mixed.pdf 第 2 页识别而来。",
    }[lang] in review
    _original_kept(factory, settings, coop, out.getvalue())


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return script


def test_a_conversion_that_fails_or_runs_too_long_fails_the_job_naming_the_file(
    lang: str,
    coop: int,
    client: TestClient,
    factory: sessionmaker[Session],
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = (FIXTURES / f"agreement-{lang}.doc").read_bytes()
    monkeypatch.setenv(
        "ACCORD_SOFFICE",
        str(_fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")),
    )
    page = _failed_job(client, factory, settings, coop, "old.doc", data)
    assert {
        "en": "old.doc: LibreOffice could not convert this DOC file",
        "zh": "old.doc：LibreOffice 无法转换此 DOC 文件",
    }[lang] in page
    (tmp_path / "soffice").unlink()
    monkeypatch.setenv("ACCORD_SOFFICE", str(_fake_soffice(tmp_path, "sleep 300")))
    settings.convert_timeout = 2  # the application's runner reads the same settings
    page = _failed_job(client, factory, settings, coop, "slow.wps", data)
    assert {
        "en": "slow.wps: converting this WPS file took longer than 2 seconds and was stopped",
        "zh": "slow.wps：转换此 WPS 文件超过 2 秒，已被终止",
    }[lang] in page
    _nothing_imported(factory, coop)
    with factory() as session:  # both originals attached as uploaded
        documents = session.scalars(select(SignedDocument).where(SignedDocument.agreement_id == coop)).all()
        assert sorted(d.filename for d in documents) == ["old.doc", "slow.wps"]
        assert all(files.path_for(settings.files_dir, d.sha256).read_bytes() == data for d in documents)
