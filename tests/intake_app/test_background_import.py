"""Scans, photos and legacy files are imported by a background job, never inside the request; bad input
gets a message naming the file (and page), nothing half-imported, and the original kept as uploaded."""

from __future__ import annotations

import io
import re
import shutil
import time
from functools import cache

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.bench import specimens
from accord.config import Settings
from accord.models import AgreementText, Commitment, Job, JobState, SignedDocument
from accord.services import files, jobs
from tests.api.test_api import token_for
from tests.conftest import ADMIN, csrf_of, login
from tests.intake.test_pdf_as_published import FIXTURES
from tests.intake_app.test_intake_app import _coop_id

needs_soffice = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")


@cache
def scan_png(lang: str, page: int = 0, blur: float | None = None) -> bytes:
    pdf = (FIXTURES / f"agreement-{lang}.libreoffice.pdf").read_bytes()
    image = specimens.scan(pdf, dpi=150, seed=11, blur=blur)[page]
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _post(client: TestClient, agreement: int, name: str, data: bytes) -> tuple[int, str]:
    token = csrf_of(client, f"/agreements/{agreement}")
    response = client.post(
        f"/agreements/{agreement}/text",
        data={"csrf_token": token},
        files={"file": (name, data)},
        follow_redirects=False,
    )
    return response.status_code, response.headers.get("location", "")


def _finish(factory: sessionmaker[Session], settings: Settings, job_id: int) -> Job:
    """Run the job here if no runner has taken it yet, else wait for the runner to end it."""
    jobs.run(factory, settings, job_id)
    for _ in range(3000):
        with factory() as session:
            job = session.get(Job, job_id)
            assert job is not None
            if not job.active:
                session.expunge(job)
                return job
        time.sleep(0.2)
    pytest.fail(f"job {job_id} did not finish")


def _job_id(location: str) -> int:
    match = re.fullmatch(r"/jobs/(\d+)", location)
    assert match, location
    return int(match.group(1))


@pytest.mark.xdist_group("ocr")  # with the other scans: see tests/support/ocr.py
def test_a_scan_is_read_by_a_background_job_and_the_review_page_says_it_came_from_ocr(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session], settings: Settings
) -> None:
    login(client, ADMIN)
    coop = _coop_id(client)
    status, location = _post(client, coop, "scan-page-1.png", scan_png("zh"))
    assert status == 303
    job_id = _job_id(location)
    with factory() as session:  # the request stored the original and queued the job; no text yet
        assert (
            session.scalar(
                select(func.count()).select_from(AgreementText).where(AgreementText.agreement_id == coop)
            )
            == 0
        )
        document = session.scalar(select(SignedDocument).where(SignedDocument.agreement_id == coop))
        assert document is not None and document.filename == "scan-page-1.png"
        assert files.path_for(settings.files_dir, document.sha256).read_bytes() == scan_png("zh")
    page = client.get(location)
    assert "being read in the background" in page.text and "Reading a scan" in page.text
    job = _finish(factory, settings, job_id)
    assert job.state == JobState.DONE, job.error
    assert job.result["url"] == f"/agreements/{coop}/review" and job.result["ocr"]
    with factory() as session:
        text = session.scalar(select(AgreementText).where(AgreementText.agreement_id == coop))
        assert text is not None and text.source_format == "png"
        assert text.detected["ocr"]["engine"] == "rapidocr" and text.detected["ocr"]["pages"] == [1]
        assert session.scalar(
            select(func.count()).select_from(Commitment).where(Commitment.agreement_id == coop)
        )
    review = client.get(f"/agreements/{coop}/review")
    assert "read from a scan by OCR (rapidocr)" in review.text
    client.headers["Accept-Language"] = "zh-CN"
    assert "由 OCR（rapidocr）从扫描件" in client.get(f"/agreements/{coop}/review").text
    # Run again (a runner that died after committing): the text is not imported twice.
    with factory() as session:
        session.get(Job, job_id).state = JobState.QUEUED  # type: ignore[union-attr]
        session.commit()
    assert _finish(factory, settings, job_id).state == JobState.DONE
    with factory() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(AgreementText).where(AgreementText.agreement_id == coop)
            )
            == 1
        )


@pytest.mark.xdist_group("ocr")  # with the other scans: see tests/support/ocr.py
def test_low_confidence_lines_are_marked_on_the_review_page(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session], settings: Settings
) -> None:
    login(client, ADMIN)
    coop = _coop_id(client)
    _status, location = _post(client, coop, "scan.png", scan_png("zh"))
    _finish(factory, settings, _job_id(location))
    with factory() as session:
        text = session.scalar(select(AgreementText).where(AgreementText.agreement_id == coop))
        assert text is not None
        start = text.body.index("乙方：")
        text.detected = {
            **text.detected,
            "ocr": {
                **text.detected["ocr"],
                "low_confidence": [{"start": start, "end": start + 9, "confidence": 0.42, "page": 1}],
            },
        }
        session.commit()
    review = client.get(f"/agreements/{coop}/review").text
    assert 'class="ocr-low" title="Read by OCR with 42% confidence">乙方：青山理工大学' in review
    assert "1 line was read with low confidence" in review


@needs_soffice
@pytest.mark.parametrize("fmt", ["doc", "wps", "rtf", "odt"])
def test_a_legacy_file_is_converted_in_the_background(
    fmt: str, client: TestClient, world: dict[str, int], factory: sessionmaker[Session], settings: Settings
) -> None:
    login(client, ADMIN)
    coop = _coop_id(client)
    data = (FIXTURES / f"agreement-zh.{fmt}").read_bytes()
    _status, location = _post(client, coop, f"agreement.{fmt}", data)
    job = _finish(factory, settings, _job_id(location))
    assert job.state == JobState.DONE, job.error
    with factory() as session:
        text = session.scalar(select(AgreementText).where(AgreementText.agreement_id == coop))
        assert text is not None and text.source_format == fmt and "第一条 合作内容" in text.body
        document = session.scalar(select(SignedDocument).where(SignedDocument.agreement_id == coop))
        assert (
            document is not None and files.path_for(settings.files_dir, document.sha256).read_bytes() == data
        )


@pytest.mark.xdist_group("ocr")  # with the other scans: see tests/support/ocr.py
def test_the_api_answers_202_with_the_job_for_a_scan(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session], settings: Settings
) -> None:
    login(client, ADMIN)
    coop = _coop_id(client)
    headers = token_for(factory, ADMIN)
    response = client.post(
        f"/api/v1/agreements/{coop}/text",
        headers=headers,
        files={"file": ("scan.png", scan_png("en"))},
    )
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["kind"] == "intake.read" and response.headers["location"] == f"/api/v1/jobs/{body['id']}"
    assert _finish(factory, settings, body["id"]).state == JobState.DONE
    done = client.get(f"/api/v1/jobs/{body['id']}", headers=headers).json()
    assert done["state"] == "done" and done["result"]["version_no"] == 1
