"""The interactive API documentation opens in Chromium under the site's CSP, with no console errors and no
outside requests, in both languages, and calls the API with a token pasted into "Authorize"."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from accord.db.session import make_engine, make_sessionmaker
from tests.support.accounts import token_for
from tests.support.browser import CHROMIUM, axe_violations, new_context
from tests.support.databases import SqliteTemplates, fresh_database
from tests.support.servers import app_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("api-docs-browser")]


@pytest.fixture(scope="module")
def docs_server(
    tmp_path_factory: pytest.TempPathFactory, _sqlite_templates: SqliteTemplates
) -> Iterator[tuple[str, str]]:
    """(base URL, bearer token of the Chongqing University coordinator)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    data = tmp_path_factory.mktemp("api-docs-var")
    url = fresh_database(_sqlite_templates, data, data / "files", demo=True)
    engine = make_engine(url)
    header = token_for(make_sessionmaker(engine), "cqu@accord.example")["Authorization"]
    engine.dispose()
    env = {**os.environ, "ACCORD_DATA_DIR": str(data), "ACCORD_DATABASE_URL": url}
    with app_server(env) as base:
        yield base, header.removeprefix("Bearer ")


def _watched_page(chromium: object, locale: str, server: str) -> tuple[Any, Any, list[str], list[str]]:
    context = new_context(chromium, locale)
    page = context.new_page()
    problems: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "request",
        lambda r: outside.append(r.url) if urlsplit(r.url).netloc != urlsplit(server).netloc else None,
    )
    return context, page, problems, outside


def test_the_api_docs_page_draws_every_operation_locally_and_calls_the_api(
    docs_server: tuple[str, str],
    browser: object,
) -> None:
    server, token = docs_server
    context, page, problems, outside = _watched_page(browser, "en-GB", server)
    page.goto(f"{server}/api/v1/docs")
    page.wait_for_selector(".opblock-summary")
    assert page.locator(".opblock").count() >= 90
    page.get_by_text("Create an organisation").first.wait_for()
    assert axe_violations(page) == []

    # Authorize with a real token, then run "List agreements" from the page.
    page.click("button.authorize")
    page.fill(".auth-container input", token)
    page.click(".auth-btn-wrapper button.authorize")
    page.click("button.btn-done")
    block = page.locator("#operations-agreements-list_items_agreements_get")
    block.locator(".opblock-summary").click()
    block.locator("button.try-out__btn").click()
    block.locator("button.execute").click()
    status = block.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert "Chongqing" in block.locator(".live-responses-table tbody .microlight").first.inner_text()

    assert problems == []
    assert outside == []
    context.close()


def test_the_api_docs_page_speaks_chinese_where_the_text_is_ours(
    docs_server: tuple[str, str],
    browser: object,
) -> None:
    server, _token = docs_server
    context, page, problems, outside = _watched_page(browser, "zh-CN", server)
    page.goto(f"{server}/api/v1/docs")
    page.wait_for_selector(".opblock-summary")
    assert "请在 Authorization 请求头中发送 API 令牌" in page.locator("main").inner_text()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert problems == []
    assert outside == []
    context.close()
