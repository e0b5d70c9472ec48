"""Done-when of issue 12: each form in which offices hold a signed agreement — a PDF as published, a scan
(image-only PDF), a phone photo (JPEG), .doc, .wps, .rtf and .odt — is imported through the running
application in Chromium, in Chinese and in English, and reaches the review page with proposed commitments
(and, for scans and photos, the notice that the text came from OCR).

The PDFs as published are two of the labelled corpus's originals; the scan and the photo are made here
from a printed fixture (accord.bench.specimens: 150 dpi with a scanner's faults, a photo in perspective);
the legacy files are the small fixtures LibreOffice wrote. A .wps file from WPS Office (Kingsoft) is a
Word 97 compound document under another name, which LibreOffice recognises by its content, so the
fixture is such a file.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accord.db.session import make_engine, make_sessionmaker
from accord.models import Commitment, Review
from tests.support.accounts import CQU
from tests.support.browser import CHROMIUM, axe_violations, new_context, sign_in
from tests.support.databases import SqliteTemplates, fresh_database
from tests.support.servers import app_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-formats")]

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "intake" / "fixtures"
PUBLISHED = {
    "zh": ROOT
    / "data/agreements/dev/originals/107_zh_zhejiang-industry-polytechnic-enterprise-cooperation.pdf",
    "en": ROOT / "data/agreements/dev/originals/201_en_fenyi-county-pv-cooperation.pdf",
}
FORMATS = ["pdf", "scan", "photo", "doc", "wps", "rtf", "odt"]
LEGACY = {"doc", "wps", "rtf", "odt"}
WORDS = {
    "zh-CN": {"ocr": "由 OCR（rapidocr）从扫描件", "review": "审核"},
    "en-GB": {"ocr": "read from a scan by OCR (rapidocr)", "review": "Review"},
}


@pytest.fixture(scope="module")
def formats_server(
    tmp_path_factory: pytest.TempPathFactory, _sqlite_templates: SqliteTemplates, pytestconfig: pytest.Config
) -> Iterator[tuple[str, str]]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    data = tmp_path_factory.mktemp("formats-var")
    database = fresh_database(_sqlite_templates, data, data / "files", demo=True)
    env = {**os.environ, "ACCORD_DATA_DIR": str(data), "ACCORD_DATABASE_URL": database}
    # the recogniser's answer for each page image is kept in the pytest cache (tests/support/ocr.py)
    cache = getattr(pytestconfig, "cache", None)  # absent under -p no:cacheprovider
    answers = cache.mkdir("ocr-answers") if cache else data / "ocr-answers"
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env |= {"ACCORD_TEST_OCR_ANSWERS": str(answers), "PYTHONPATH": pythonpath}
    with app_server(env, factory="tests.support.ocr_app:create_app") as url:
        yield url, database


def specimen(fmt: str, lang: str, folder: Path) -> Path:
    """The file of one format in ``lang``, written into ``folder``."""
    from accord.bench import specimens

    if fmt == "pdf":
        return PUBLISHED[lang]
    if fmt in LEGACY:
        return FIXTURES / f"agreement-{lang}.{fmt}"
    printed = (FIXTURES / f"agreement-{lang}.libreoffice.pdf").read_bytes()
    pages = specimens.scan(printed, dpi=150, seed=12)
    if fmt == "scan":
        path = folder / f"scan-{lang}.pdf"
        path.write_bytes(specimens.images_to_pdf(pages, 150))
    else:
        path = folder / f"photo-{lang}.jpg"
        path.write_bytes(specimens.photo(pages[0], seed=4))
    return path


def _new_agreement(database: str, title: str) -> int:
    """An agreement of Chongqing University and Wanzhou with no text yet, registered as its coordinator."""
    from accord.models import Organisation
    from accord.schemas.registry import AgreementIn, PartyIn
    from accord.services.agreements import create_agreement
    from tests.factories import principal

    with make_sessionmaker(make_engine(database))() as session:
        ids = [
            session.scalar(select(Organisation.id).where(Organisation.name_en == name))
            for name in ("Chongqing University", "People's Government of Wanzhou District")
        ]
        data = AgreementIn(
            title_zh=title,
            title_en=title,
            kind="framework",  # type: ignore[arg-type]
            parties=[PartyIn(organisation_id=i) for i in ids],  # type: ignore[arg-type]
        )
        agreement = create_agreement(session, principal(session, "cqu@accord.example"), data)
        session.commit()
        return agreement.id


def _proposed(database: str, agreement_id: int) -> int:
    with make_sessionmaker(make_engine(database))() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Commitment)
                .where(Commitment.agreement_id == agreement_id, Commitment.review == Review.PROPOSED)
            )
            or 0
        )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_each_format_is_imported_to_the_review_page(
    formats_server: tuple[str, str],
    browser: object,
    tmp_path: Path,
    locale: str,
    fmt: str,
) -> None:
    if fmt in LEGACY and not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    server, database = formats_server
    lang = locale[:2]
    path = specimen(fmt, lang, tmp_path)
    agreement_id = _new_agreement(database, f"{fmt} {locale}")
    context = new_context(browser, locale)
    page = context.new_page()
    sign_in(page, server, CQU, next=f"/agreements/{agreement_id}")
    page.set_input_files("#text-upload", str(path))
    page.click(f"form[action='/agreements/{agreement_id}/text'] button[type=submit]")
    page.wait_for_url(re.compile(rf".*/(jobs/\d+|agreements/{agreement_id}/review)$"))
    if "/jobs/" in page.url:  # read in the background: the job page reloads until it links to the review
        assert path.name in page.inner_text("body")
        finished = page.locator(".job-done, .job-failed, .job-cancelled")
        finished.wait_for(timeout=600_000)
        body = page.inner_text("body")
        assert page.locator(".job-done").count() == 1, body
        assert axe_violations(page) == []
        page.click(f"a[role=button][href='/agreements/{agreement_id}/review']")
        page.wait_for_url(f"{server}/agreements/{agreement_id}/review")
    body = page.inner_text("body")
    assert page.locator("html").get_attribute("lang") == ("zh-Hans" if lang == "zh" else "en")
    assert WORDS[locale]["review"] in body
    assert _proposed(database, agreement_id) >= 2, body
    assert page.locator("mark").count() >= 2  # the proposals' quotes are marked in the text
    if fmt in ("scan", "photo"):
        assert WORDS[locale]["ocr"] in body
    else:
        assert page.locator(".ocr-notice").count() == 0
    assert axe_violations(page) == []
    page.screenshot(
        path=str(Path(os.environ.get("ACCORD_SCREENSHOTS", "/tmp")) / f"format-{fmt}-{lang}.png"),
        full_page=True,
    )
    context.close()
