"""A read counts once per visitor per day, the visitor being a salted hash of the client address: a
changed User-Agent is not a new visitor (issue 15, item 15)."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from accord.config import Settings
from accord.web.app import create_app

READS = re.compile(r"(\d+) reads?")


def test_reads_count_addresses_not_browser_strings(settings: Settings, world: dict[str, int]) -> None:
    # Behind a trusted proxy, so the test can speak for several addresses.
    app = create_app(settings.model_copy(update={"forwarded_allow_ips": "testclient"}))
    with TestClient(app, headers={"Accept-Language": "en"}) as client:
        item = int(re.findall(r'href="/news/(\d+)"', client.get("/news").text)[0])

        def read(address: str, agent: str) -> int:
            page = client.get(f"/news/{item}", headers={"X-Forwarded-For": address, "User-Agent": agent})
            found = READS.search(page.text)
            assert found, page.text[:300]
            return int(found.group(1))

        counts = [read("198.51.100.1", f"Browser/{n}") for n in range(5)]
        assert counts == [counts[0]] * 5  # five browser strings, one visitor
        assert read("198.51.100.2", "Browser/0") == counts[0] + 1  # another address, another visitor
    app.state.engine.dispose()
