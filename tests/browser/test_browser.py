"""A person in Chromium: sign in, register an agreement, switch to Chinese, and every page passes axe."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.accounts import ADMIN, CQU, WANZHOU
from tests.support.browser import CHROMIUM, axe_script, axe_violations, new_context, sign_in, submit_sign_in
from tests.support.databases import SqliteTemplates, fresh_database
from tests.support.servers import app_server

# One server and one Chromium for the module: its tests stay together on one pytest-xdist worker.
# Each browser module is a group of its own: its server and Chromium are module-wide, so two modules
# may run side by side on two workers, each with its own.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-pages")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, _sqlite_templates: SqliteTemplates) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    data = tmp_path_factory.mktemp("browser-var")
    url = fresh_database(_sqlite_templates, data, data / "files", demo=True)
    env = {**os.environ, "ACCORD_DATA_DIR": str(data), "ACCORD_DATABASE_URL": url}
    with app_server(env) as url:
        yield url


@pytest.fixture(scope="module")
def signed_in_admin(server: str, browser: object) -> Callable[[str], Any]:
    """New browser contexts in a locale with the administrator signed in. The sign-in form is filled once
    per locale and its cookies given to each new context: the page checks read some 90 pages, and
    signing in again before each (its form, its redirect, the home page) is not what they check."""
    states: dict[str, object] = {}

    def context_in(locale: str) -> Any:
        if locale not in states:
            context = new_context(browser, locale)
            sign_in(context.new_page(), server, ADMIN)
            states[locale] = context.storage_state()
            context.close()
        return new_context(browser, locale, states[locale])

    return context_in


@pytest.fixture(scope="module")
def admin_page(signed_in_admin: Callable[[str], Any]) -> Iterator[Callable[[str], Any]]:
    """One page per locale with the administrator signed in and axe-core loaded into every document it
    opens, kept for the module: each page check navigates it to its page. A new context, a new page and
    putting axe-core into the document again for each of some 90 checks is not what they check."""
    contexts: dict[str, Any] = {}
    pages: dict[str, Any] = {}

    def page_in(locale: str) -> Any:
        if locale not in pages or pages[locale].is_closed():
            if locale not in contexts:
                contexts[locale] = signed_in_admin(locale)
                contexts[locale].add_init_script(axe_script())
            pages[locale] = contexts[locale].new_page()
        return pages[locale]

    yield page_in
    for context in contexts.values():
        context.close()


def test_a_coordinator_registers_an_agreement_and_reads_it_in_chinese(server: str, browser: object) -> None:
    context = new_context(browser, "en-GB")
    page = context.new_page()
    page.goto(f"{server}/agreements/new")
    assert "/login" in page.url
    submit_sign_in(page, CQU)
    page.wait_for_url("**/agreements/new")
    page.fill("#f-title_zh", "重庆大学与万州区共建重点实验室协议")
    page.fill("#f-title_en", "Agreement to co-build a key laboratory")
    page.select_option("#f-kind", "framework")
    page.select_option("[id='f-parties.0.organisation_id']", label="People's Government of Wanzhou District")
    page.select_option("[id='f-parties.1.organisation_id']", label="Chongqing University")
    page.fill("#f-signed_on", "2021-03-15")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_url(re.compile(r".*/agreements/\d+$"))
    assert page.locator("h1").inner_text().startswith("Agreement to co-build a key laboratory")
    assert axe_violations(page) == []

    page.select_option("#language-choice", "zh_Hans")
    page.click("button:has-text('Switch')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("重庆大学与万州区共建重点实验室协议")
    assert "签订日期" in page.content() or "签署日期" in page.content()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    # The choice is remembered across pages.
    page.goto(f"{server}/agreements")
    assert "重庆大学与万州区共建重点实验室协议" in page.content()
    page.screenshot(
        path=str(Path(os.environ.get("ACCORD_SCREENSHOTS", "/tmp")) / "agreements-zh.png"), full_page=True
    )
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/agreements",
        "/organisations",
        "/people",
        "/events",
        "/agreements/1",
        "/organisations/1",
        "/events/1",
        "/agreements/new",
        "/account",
        "/account/channels",
        "/organisations/1/channels",
        "/admin/users",
        "/board",
        "/agreements/1/timeline",
        "/tasks/1",
        "/portfolio",
        "/institutions",
        "/institutions/1",
        "/institutions/new",
        "/projects/1",
        "/programmes/1",
        "/achievements/board",
        "/achievements/1",
        "/deals/1",
        "/catalogue",
        "/catalogue/1",
        "/news",
        "/news/1",
        "/news/manage",
        "/news/new",
        "/news/1/edit",
        "/dashboard",
        "/dashboard/agreements/1",
        "/dashboard/organisations/2",
        "/reports",
        "/matching",
        "/demands",
        "/demands/1",
        "/demands/new",
        "/works",
        "/works/1",
        "/works/import",
        "/works/review",
    ],
)
@pytest.mark.parametrize(
    ("locale", "lang", "nav_word"), [("zh-CN", "zh-Hans", "协议"), ("en-GB", "en", "Agreements")]
)
def test_pages_pass_the_accessibility_check(
    server: str, admin_page: Callable[[str], Any], path: str, locale: str, lang: str, nav_word: str
) -> None:
    page = admin_page(locale)
    response = page.goto(f"{server}{path}")
    assert response is not None and response.status == 200, path
    assert page.locator("html").get_attribute("lang") == lang
    assert nav_word in page.locator("header.site nav").inner_text()
    assert page.locator("h1").count() >= 1 and page.locator("h1").first.inner_text().strip()
    assert axe_violations(page, injected=True) == [], path


def test_the_public_news_and_the_dashboard_read_in_both_languages(server: str, browser: object) -> None:
    screenshots = Path(os.environ.get("ACCORD_SCREENSHOTS", "/tmp"))
    for locale, news_title, news_text, heading in [
        ("en-GB", "News and notices", "Liu Hanlong and Jiang Xuesong signed the agreement", "Dashboard"),
        ("zh-CN", "新闻与通知公告", "刘汉龙与蒋雪松签署了", "看板"),
    ]:
        context = new_context(browser, locale)
        page = context.new_page()
        # Anonymous visitors read the news without signing in; each visit is counted once a day.
        page.goto(f"{server}/news")
        assert page.locator("h1").inner_text() == news_title
        page.locator("article.news-item h2 a").first.click()
        page.wait_for_url(re.compile(r".*/news/\d+$"))
        assert news_text in page.locator(".article-body").inner_text()
        assert axe_violations(page) == []
        # Not the account the first test switched to Chinese: a saved preference would win over the browser.
        sign_in(page, server, WANZHOU)
        page.goto(f"{server}/dashboard")
        assert page.locator("h1").inner_text() == heading
        charts = page.locator("figure.chart img")
        assert charts.count() >= 4
        # Every chart is a server-drawn SVG that really loaded, with its numbers in a table beside it.
        assert all(
            page.evaluate("(img) => img.complete && img.naturalWidth > 0", charts.nth(i).element_handle())
            for i in range(charts.count())
        )
        assert page.locator("figure.chart table caption").count() == charts.count()
        page.screenshot(path=str(screenshots / f"dashboard-{locale[:2]}.png"), full_page=True)
        context.close()
