"""Done-when of issue 14: from an empty database an administrator walks the whole cooperation loop in
Chromium, in Chinese and in English — two organisations, an agreement, its text, an accepted annual
commitment, tasks for all of it at once, progress with evidence, completion, the reminder in the outbox —
and reads 100 % fulfilled in the scorecard, the dashboard and the annual report (PDF and XLSX)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.clock import today as accord_today
from accord.config import get_settings
from tests.support.browser import CHROMIUM, axe_violations, new_context, sign_in
from tests.support.databases import SqliteTemplates, fresh_database
from tests.support.servers import app_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-loop")]

ADMIN = "loop-admin@accord.example"
PASSWORD = "loop-admin-password-2026"


@pytest.fixture
def empty_server(tmp_path: Path, _sqlite_templates: SqliteTemplates) -> Iterator[tuple[str, dict[str, str]]]:
    """A server on a fresh empty database whose only account is an administrator; no SMTP."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    data = tmp_path / "var"
    database = fresh_database(_sqlite_templates, data, data / "files", demo=False)
    env = {**os.environ, "ACCORD_DATA_DIR": str(data), "ACCORD_DATABASE_URL": database}
    env.pop("ACCORD_SMTP_HOST", None)
    _accord(env, "user", "add", ADMIN, "--admin", "--name", "Loop Admin", "--password", PASSWORD)
    with app_server(env) as url:
        yield url, env


def _accord(env: dict[str, str], *arguments: str) -> str:
    """``accord ARGUMENTS`` with exactly ``env`` as its environment, run in this process (starting the
    command line in a process of its own is tested in tests/cli)."""
    environment: dict[str, str | None] = {name: None for name in os.environ if name not in env}
    environment.update(env)
    get_settings.cache_clear()
    try:
        done = CliRunner().invoke(app, list(arguments), env=environment, catch_exceptions=False)
    finally:
        get_settings.cache_clear()
    assert done.exit_code == 0, done.output
    return done.output


ORGANISATIONS = [
    ("重庆三峡学院", "Chongqing Three Gorges University"),
    ("万州区科学技术局", "Wanzhou Science Bureau"),
]
WORDS: dict[str, dict[str, Any]] = {
    "zh-CN": {
        "shown": 0,  # the organisations are picked by their Chinese names
        "text": "重庆三峡学院与万州区科学技术局合作协议\n\n第一条 甲乙双方每年召开一次联席会议。\n",
        "note": "联席会议已召开，会议纪要附后。",
        "task": "每年召开一次联席会议",
        "rate": "履约率",
        "language": "zh_Hans",
        "lang": "zh-Hans",
        "edited": "修改了任务",
    },
    "en-GB": {
        "shown": 1,
        "text": "Cooperation Agreement\n\nArticle 1. The Parties shall hold a joint meeting every year.\n",
        "note": "The joint meeting was held; the minutes are attached.",
        "task": "hold a joint meeting every year",
        "rate": "Fulfilment rate",
        "language": "en",
        "lang": "en",
        "edited": "edited the task",
    },
}


def _checked(page: Any) -> None:
    assert axe_violations(page) == [], page.url


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_the_cooperation_loop_from_an_empty_database(
    empty_server: tuple[str, dict[str, str]],
    browser: object,
    tmp_path: Path,
    locale: str,
) -> None:
    server, env = empty_server
    words = WORDS[locale]
    today = accord_today()  # the application's calendar day, in its time zone
    year = today.year
    context = new_context(browser, locale)
    page = context.new_page()
    sign_in(page, server, ADMIN, PASSWORD, next="/organisations/new")
    _checked(page)

    # Two organisations.
    names = []
    for zh, en in ORGANISATIONS:
        page.goto(f"{server}/organisations/new")
        page.fill("#f-name_zh", zh)
        page.fill("#f-name_en", en)
        page.click("main form[method=post][novalidate] button[type=submit]")
        page.wait_for_url(re.compile(r".*/organisations/\d+$"))
        _checked(page)
        names.append((zh, en)[words["shown"]])

    # The agreement between them, in force this year.
    page.goto(f"{server}/agreements/new")
    _checked(page)
    page.fill("#f-title_zh", "重庆三峡学院与万州区科学技术局合作协议")
    page.fill("#f-title_en", "Cooperation agreement of CTGU and the Wanzhou Science Bureau")
    page.select_option("[id='f-parties.0.organisation_id']", label=names[0])
    page.select_option("[id='f-parties.1.organisation_id']", label=names[1])
    # Switching the language in the middle of the form keeps what was typed, there and back.
    typed = {
        "#f-title_zh": page.input_value("#f-title_zh"),
        "#f-title_en": page.input_value("#f-title_en"),
        "[id='f-parties.0.organisation_id']": page.input_value("[id='f-parties.0.organisation_id']"),
        "[id='f-parties.1.organisation_id']": page.input_value("[id='f-parties.1.organisation_id']"),
    }
    other = "en" if locale.startswith("zh") else "zh_Hans"
    for language, html_lang in (
        (other, "en" if other == "en" else "zh-Hans"),
        (words["language"], words["lang"]),
    ):
        page.select_option("#language-choice", language)
        page.click("form[action='/language'] button[type=submit]")
        page.wait_for_function(f"document.documentElement.lang === '{html_lang}'")
        page.wait_for_load_state("load")
        assert page.url == f"{server}/agreements/new"
        for selector, value in typed.items():
            assert page.input_value(selector) == value, (language, selector)
    page.fill("#f-signed_on", f"{year}-01-01")
    page.fill("#f-effective_from", f"{year}-01-01")
    page.fill("#f-expires_on", f"{year}-12-31")
    page.click("main form[method=post][novalidate] button[type=submit]")
    page.wait_for_url(re.compile(r".*/agreements/\d+$"))
    _checked(page)
    agreement_id = int(page.url.rsplit("/", 1)[1])

    # Its text, then the proposed commitment accepted.
    text = tmp_path / "agreement.txt"
    text.write_text(words["text"], encoding="utf-8")
    page.set_input_files("#text-upload", str(text))
    page.click(f"form[action='/agreements/{agreement_id}/text'] button[type=submit]")
    page.wait_for_url(f"{server}/agreements/{agreement_id}/review")
    _checked(page)
    page.check("input[name=ids]")
    page.click("button[form=bulk][value=accepted]")
    page.wait_for_url(f"{server}/agreements/{agreement_id}/review")
    _checked(page)

    # The administrator coordinates the first party, so its reminders reach someone.
    page.goto(f"{server}/admin/users")
    _checked(page)
    page.select_option("form[action='/admin/users/1/roles'] select[name=organisation_id]", label=names[0])
    page.select_option("form[action='/admin/users/1/roles'] select[name=role]", "coordinator")
    page.click("form[action='/admin/users/1/roles'] button[type=submit]")
    page.wait_for_url(f"{server}/admin/users")

    # Tasks for all accepted commitments at once, the first occurrence due today.
    page.goto(f"{server}/agreements/{agreement_id}/tasks/all")
    _checked(page)
    assert page.locator("input[name$='.include']").count() == 1
    page.fill("input[name='rows.0.due_on']", today.isoformat())
    page.click(f"form[action='/agreements/{agreement_id}/tasks/all'] button[type=submit]")
    page.wait_for_url(re.compile(rf".*/agreements/{agreement_id}(#delivery)?$"))
    _checked(page)
    tasks = sorted(
        {int(h.rsplit("/", 1)[1]) for h in page.eval_on_selector_all(
            "main a[href^='/tasks/']", "links => links.map(a => a.getAttribute('href'))"
        ) if re.fullmatch(r"/tasks/\d+", h)}
    )  # fmt: skip
    assert tasks, "no task was created"

    # Progress with evidence on this year's occurrence of the annual task (not on the series itself):
    # the occurrence alone makes the commitment fulfilled for the year.
    evidence = tmp_path / "minutes.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    reported = []
    for task in tasks:
        page.goto(f"{server}/tasks/{task}")
        _checked(page)
        form = f"form[action='/tasks/{task}/updates']"
        if today.isoformat() not in page.inner_text("h1") or not page.locator(form).count():
            continue
        page.fill(f"{form} #f-percent", "50")
        page.fill(f"{form} #f-note", words["note"])
        page.set_input_files(f"{form} #f-files", str(evidence))
        page.click(f"{form} button[type=submit]")
        page.wait_for_url(f"{server}/tasks/{task}")
        _checked(page)
        assert "minutes.pdf" in page.inner_text("main")
        reported.append(task)
    assert len(reported) == 1, "no task is this year's occurrence"

    # The reminder of the task due today waits in the outbox (no SMTP is configured).
    _accord(env, "notices", "send-due")
    page.goto(f"{server}/admin/outbox?kind=reminder")
    _checked(page)
    outbox = page.inner_text("main")
    assert words["task"] in outbox, outbox

    # Completed.
    for task in reported:
        page.goto(f"{server}/tasks/{task}")
        form = f"form[action='/tasks/{task}/updates']"
        page.fill(f"{form} #f-percent", "100")
        page.check(f"{form} input[name=done]")
        page.click(f"{form} button[type=submit]")
        page.wait_for_url(f"{server}/tasks/{task}")
        _checked(page)

    # 100 % in the agreement's scorecard and on the dashboard.
    page.goto(f"{server}/dashboard/agreements/{agreement_id}")
    _checked(page)
    assert page.inner_text(".stats article.rate strong").strip() == "100 %"
    assert page.locator("main a.badge.state-fulfilled").count() == 1
    shots = Path(os.environ.get("ACCORD_SCREENSHOTS", tmp_path))
    lang = "zh" if locale.startswith("zh") else "en"
    page.screenshot(path=str(shots / f"loop-scorecard-{lang}.png"), full_page=True)
    page.goto(f"{server}/agreements/{agreement_id}/timeline")
    _checked(page)
    story = page.inner_text("main")
    assert words["note"] in story and words["edited"] not in story, story
    page.screenshot(path=str(shots / f"loop-timeline-{lang}.png"), full_page=True)
    page.goto(f"{server}/dashboard")
    _checked(page)
    assert words["rate"] in page.inner_text(".stats article.rate")
    assert page.inner_text(".stats article.rate strong").strip() == "100 %"
    assert page.inner_text("td.rate").strip() == "100 %"

    # And in the annual report of the first partner, as a PDF and as a workbook.
    report_language = "zh_Hans" if locale.startswith("zh") else "en"
    for fmt in ("pdf", "xlsx"):
        page.goto(f"{server}/reports?partner_id=1&year={year}")
        _checked(page)
        page.select_option("#f-lang", report_language)
        page.select_option("#f-format", fmt)
        with page.expect_download() as download:
            page.click("form[action='/reports/annual'] button[type=submit]")
        saved = tmp_path / f"report.{fmt}"
        download.value.save_as(saved)
        if fmt == "pdf":
            _check_pdf(saved, words["rate"])
        else:
            _check_xlsx(saved, words["rate"])
    context.close()


def _check_pdf(path: Path, rate: str) -> None:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    lines = [line for line in text.splitlines() if rate in line and "100" in line]
    assert lines, text


def _check_xlsx(path: Path, rate: str) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True) if len(row) > 1}
    assert summary.get(rate) == "100 %", summary
    agreements = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert agreements[0][-1] == rate and [row[-1] for row in agreements[1:]] == ["100 %"], agreements
