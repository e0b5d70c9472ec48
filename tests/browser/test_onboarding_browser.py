"""Done-when of issue 13: a coordinator onboards a folder of ten mixed files (two format twins, one revised
version, one unreadable) and a ledger in Chromium, in Chinese and in English, ending with the agreements,
parties and proposed commitments in the registry; every page passes axe."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accord.db.session import make_engine, make_sessionmaker
from accord.models import Agreement, Commitment, Organisation, Review
from tests.onboarding.folder import check_registry, write_folder
from tests.support.accounts import CQU
from tests.support.browser import CHROMIUM, axe_violations, new_context, sign_in
from tests.support.databases import SqliteTemplates, fresh_database
from tests.support.servers import app_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-onboarding")]


@pytest.fixture
def onboarding_server(tmp_path: Path, _sqlite_templates: SqliteTemplates) -> Iterator[tuple[str, str]]:
    """A fresh server with the demo registry for each run (the two languages import the same folder)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    data = tmp_path / "var"
    database = fresh_database(_sqlite_templates, data, data / "files", demo=True)
    env = {**os.environ, "ACCORD_DATA_DIR": str(data), "ACCORD_DATABASE_URL": database}
    with app_server(env) as url:
        yield url, database


def _wait_until(page: object, text: str, seconds: float = 120) -> None:
    # The page refreshes itself while the job runs: between two documents there is no body yet.
    page.wait_for_function(  # type: ignore[attr-defined]
        "t => document.body && document.body.innerText.includes(t)"
        " && !document.querySelector('meta[http-equiv=refresh]')",
        arg=text,
        timeout=seconds * 1000,
    )


@pytest.mark.parametrize(("locale", "words"), [
    ("zh-CN", {"ready": "待审核", "twin": "内容相同", "revised": "修订版本", "unreadable": "无法读取", "confirm": "确认并创建协议", "done": "已完成"}),
    ("en-GB", {"ready": "Ready for review", "twin": "in another format", "revised": "A revised version", "unreadable": "could not be read", "confirm": "Confirm and create the agreements", "done": "Done"}),
])  # fmt: skip
def test_a_coordinator_onboards_a_folder_and_its_ledger(
    onboarding_server: tuple[str, str],
    browser: object,
    tmp_path: Path,
    locale: str,
    words: dict[str, str],
) -> None:
    server, database = onboarding_server
    paths = write_folder(tmp_path / "folder")
    with make_sessionmaker(make_engine(database))() as session:
        since = int(session.scalar(select(func.max(Agreement.id))) or 0)
    context = new_context(browser, locale)
    page = context.new_page()
    sign_in(page, server, CQU, next="/imports/new")
    assert axe_violations(page) == []
    page.select_option(
        "#f-organisation_id", label="重庆大学" if locale.startswith("zh") else "Chongqing University"
    )
    page.set_input_files("#f-files", [str(p) for n, p in paths.items() if n != "ledger.xlsx"])
    page.set_input_files("#f-ledger", str(paths["ledger.xlsx"]))
    page.click("form[action='/imports'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/imports/\d+$"))
    _wait_until(page, words["ready"])
    body = page.inner_text("body")
    for key in ("twin", "revised", "unreadable"):
        assert words[key] in body, key
    assert axe_violations(page) == []
    page.click(f"button:has-text('{words['confirm']}')")
    _wait_until(page, words["done"])
    assert axe_violations(page) == []
    batch_url = page.url
    with make_sessionmaker(make_engine(database))() as session:
        check_registry(session, since)
        msu = session.scalar(select(Organisation).where(Organisation.name_en == "Montana State University"))
        assert msu is not None
        mou = session.scalar(
            select(Agreement)
            .where(Agreement.title_en == "Memorandum of Understanding on Joint Graduate Training")
            .order_by(Agreement.id.desc())
        )
        assert mou is not None and msu.id in [p.organisation_id for p in mou.parties]
        proposed = session.scalar(
            select(func.count())
            .select_from(Commitment)
            .where(Commitment.agreement_id == mou.id, Commitment.review == Review.PROPOSED)
        )
        assert proposed and proposed >= 2
    page.goto(f"{server}/agreements/{mou.id}/review")
    assert axe_violations(page) == []
    assert batch_url
    context.close()
