"""No page links to something its reader cannot open.

For demo users of different roles (administrator, a coordinator of each party, a viewer), every GET page
reachable from the home page by following the pages' own links is opened, and every internal link on it
must answer with something other than 403 or 404 for that reader: New and Edit buttons, record links and
exports follow the reader's permissions. A page is followed once per path (the first query string seen
for a path stands for its variants), up to a bound per user, so the crawl stays within a test's time.
"""

from __future__ import annotations

import html.parser
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.support.accounts import ADMIN, CQU, VIEWER, WANZHOU, login

MAX_PAGES = 600  # the demo has about 410 distinct paths for an administrator, fewer for others
# Links that change state or leave the pages (signing out, files to download, the API's JSON).
SKIPPED = ("/logout", "/static/", "/api/", "/favicon")


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href and href.startswith("/") and not href.startswith("//"):
                self.found.append(urldefrag(href).url)


def _links(text: str) -> list[str]:
    parser = _Links()
    parser.feed(text)
    return parser.found


def _crawl(client: TestClient) -> tuple[dict[str, tuple[int, str]], int]:
    """Every internal link reachable from the home page that failed with 403 or 404 → (status, the page
    that showed it), and how many pages were opened."""
    seen_paths: set[str] = set()
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    dead: dict[str, tuple[int, str]] = {}
    opened = 0
    while queue and opened < MAX_PAGES:
        url, source = queue.popleft()
        path = urlsplit(url).path
        if path in seen_paths or path.startswith(SKIPPED):
            continue
        seen_paths.add(path)
        response = client.get(url, follow_redirects=True)
        opened += 1
        if response.status_code in (403, 404):
            dead[url] = (response.status_code, source)
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        for link in _links(response.text):
            if urlsplit(link).path not in seen_paths:
                queue.append((link, url))
    return dead, opened


# Links do not depend on the language; each reader crawls in one of the two, both languages covered.
READERS = [(ADMIN, "zh_Hans"), (CQU, "en"), (WANZHOU, "zh_Hans"), (VIEWER, "en")]


@pytest.mark.parametrize(("email", "language"), READERS)
def test_no_page_links_to_what_its_reader_cannot_open(
    client: TestClient, world: dict[str, int], email: str, language: str
) -> None:
    login(client, email)
    client.cookies.set("accord_lang", language)
    dead, opened = _crawl(client)
    assert opened < MAX_PAGES, "the crawl stopped at its bound: raise MAX_PAGES to cover every page"
    assert dead == {}, f"{email} ({language}): " + "; ".join(
        f"{url} → {status} (linked from {source})" for url, (status, source) in sorted(dead.items())
    )
