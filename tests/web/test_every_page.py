"""Every page of the demo reads as finished work, in Chinese and in English.

Each GET page route is opened with the demo's ids (the first record of each kind, and the demo's own
agreements) by an administrator, who may open everything, in both languages. A page fails on:

- a literal ``None``/``null`` or an empty separator ("良好 · ·", "· ·", a trailing "·");
- on a Chinese page, a piece of English interface text: a text node that is one of the catalogue's
  English messages (so data, such as an English name, is not mistaken for it);
- on an English page, a piece of Chinese interface text: a text node that is one of the catalogue's
  Chinese translations.
"""

from __future__ import annotations

import html.parser
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import clock
from accord.config import Settings
from accord.models import (
    Achievement,
    Agreement,
    Commitment,
    Deal,
    Demand,
    Institution,
    Job,
    NewsItem,
    NoticeRecord,
    Organisation,
    Person,
    Programme,
    Project,
    SigningEvent,
    Task,
    Work,
)
from accord.services import notices
from tests.reliability.test_authorization import _routes
from tests.support.accounts import ADMIN, login

LOCALE = Path(__file__).parents[2] / "src" / "accord" / "i18n" / "locale"

MODELS: dict[str, type[Any]] = {
    "achievement_id": Achievement,
    "agreement_id": Agreement,
    "commitment_id": Commitment,
    "deal_id": Deal,
    "demand_id": Demand,
    "event_id": SigningEvent,
    "institution_id": Institution,
    "job_id": Job,
    "news_id": NewsItem,
    "notice_id": NoticeRecord,
    "organisation_id": Organisation,
    "person_id": Person,
    "programme_id": Programme,
    "project_id": Project,
    "task_id": Task,
    "work_id": Work,
}
# Files, feeds, redirects to sign-in providers and JSON: not pages.
NOT_PAGES = re.compile(
    r"/export\.\{fmt\}$|^/calendar/|^/sso/|^/healthz$|/feed\.atom$|/status$|^/agreements/documents/"
    r"|^/news/images/|^/tasks/evidence/|^/reports/annual$"
)
SAMPLE = 4  # records of each kind opened besides the agreements (all of them)
# Pages that are opened from another with the record they are about.
QUERIES = {"/tasks/new": "?agreement_id={agreement_id}"}
EMPTY_SEPARATOR = re.compile(r"·\s*·|·\s*$|^\s*·|[:：]\s*·")
NONE = re.compile(r"\b(None|null)\b")
# Words every language writes the same way.
SAME_IN_BOTH = {
    "Accord",
    "API",
    "CSV",
    "XLSX",
    "PDF",
    "DOCX",
    "ORCID",
    "OpenAPI",
    "URL",
    "ID",
    "CAS",
    "OpenID Connect",
    "LDAP / Active Directory",
}


INLINE = {
    "a",
    "abbr",
    "b",
    "bdi",
    "cite",
    "em",
    "i",
    "kbd",
    "mark",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
    "br",
    "img",
    "input",
    "button",
    "label",
    "select",
}
HIDDEN = {"script", "style", "option", "pre", "code", "textarea", "template"}
DATA = {"mark", "blockquote"}  # quoted records: their words are data, whatever their language


class _Text(html.parser.HTMLParser):
    """What a reader sees: the text nodes, and the lines they make (inline elements join a line)."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self._flow: list[str] = []
        self._skip = 0
        self._data = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DATA:
            self._data += 1
        if tag in HIDDEN:
            self._skip += 1
        elif tag not in INLINE:
            self._flow.append("\x00")

    def handle_endtag(self, tag: str) -> None:
        if tag in DATA:
            self._data = max(self._data - 1, 0)
        if tag in HIDDEN:
            self._skip = max(self._skip - 1, 0)
        elif tag not in INLINE:
            self._flow.append("\x00")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._flow.append(data)
        text = " ".join(data.split())
        if text and not self._data:
            self.nodes.append(text)

    @property
    def lines(self) -> list[str]:
        return [line for line in (" ".join(x.split()) for x in "".join(self._flow).split("\x00")) if line]


def _read(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    return parser


def _catalogue() -> tuple[set[str], set[str]]:
    """(English interface messages, their Chinese translations), of two words or characters at least."""
    with (LOCALE / "zh_Hans" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    english: set[str] = set()
    chinese: set[str] = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            if text and "{" not in text and text not in SAME_IN_BOTH and re.search(r"[A-Za-z]{3}", text):
                english.add(text)
        for text in strings:
            if text and "{" not in text and len(text) >= 2 and re.search(r"[\u4e00-\u9fff]", text):
                chinese.add(text)
    return english - chinese, chinese - english


def _paths(session: Session, world: dict[str, int], app: Any) -> list[str]:
    firsts = {name: session.scalar(select(model.id).order_by(model.id)) for name, model in MODELS.items()}
    agreements = list(session.scalars(select(Agreement.id).order_by(Agreement.id)))
    assert world["strategic_agreement"] in agreements
    paths: list[str] = []
    for method, template in sorted(_routes(app)):
        if method != "GET" or template.startswith("/api/") or NOT_PAGES.search(template):
            continue
        names = re.findall(r"\{(\w+)\}", template)
        if any(firsts.get(name) is None for name in names):
            continue  # the demo has none of these (an import batch, a directory sign-in method)
        variants = [firsts]
        if "agreement_id" in names:  # every agreement of the demo: they differ most
            variants = [{**firsts, "agreement_id": a} for a in agreements]
        elif len(names) == 1 and not template.endswith("/edit"):  # a few records of every other kind
            model = MODELS[names[0]]
            some = session.scalars(select(model.id).order_by(model.id).limit(SAMPLE))
            variants = [{**firsts, names[0]: i} for i in some]
        for values in variants:
            path = re.sub(r"\{(\w+)\}", lambda m, v=values: str(v[m.group(1)]), template)
            paths.append(path + QUERIES.get(template, "").format(**firsts))
    return paths


def _problems(page: str, language: str, english: set[str], chinese: set[str]) -> list[str]:
    found: list[str] = []
    read = _read(page)
    for line in read.lines:
        if NONE.search(line):
            found.append(f"literal None/null: {line!r}")
        if EMPTY_SEPARATOR.search(line):
            found.append(f"empty separator: {line!r}")
    for node in read.nodes:
        if language == "zh_Hans" and node in english:
            found.append(f"English on a Chinese page: {node!r}")
        if language == "en" and node in chinese:
            found.append(f"Chinese on an English page: {node!r}")
    return found


def test_every_page_of_the_demo_reads_as_finished_work_in_both_languages(
    client: TestClient, session: Session, world: dict[str, int], settings: Settings
) -> None:
    # The worker's first round, so the outbox and the tasks' notices have something to show.
    notices.plan_and_send(session, clock.today(), settings, now=clock.now())
    english, chinese = _catalogue()
    paths = _paths(session, world, client.app)
    assert len(paths) > 60
    login(client, ADMIN)
    problems: dict[str, list[str]] = {}
    for language in ("zh_Hans", "en"):
        client.cookies.set("accord_lang", language)
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                problems[f"{path} ({language})"] = [f"status {response.status_code}"]
                continue
            if not response.headers["content-type"].startswith("text/html"):
                continue
            if found := _problems(response.text, language, english, chinese):
                problems[f"{path} ({language})"] = sorted(set(found))
    assert not problems, "\n".join(f"{where}: {'; '.join(found)}" for where, found in problems.items())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<main><p>健康度: 良好 · ·</p></main>", "empty separator"),
        ("<main><td>None</td></main>", "literal None"),
        ("<main><p>2021 · </p></main>", "empty separator"),
    ],
)
def test_the_page_check_catches_what_it_looks_for(text: str, problem: str) -> None:
    assert any(p.startswith(problem) for p in _problems(text, "zh_Hans", set(), set()))
    fine = "<main><p>李四 completed the task</p><pre>None</pre><p>a · <a href='/'>b</a></p></main>"
    assert not _problems(fine, "en", set(), set())
