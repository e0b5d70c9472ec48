"""Published means the status and the time: an article scheduled for tomorrow is read by nobody but its
publisher's coordinators until then, in every list, search, export, feed and page (issue 15, item 3)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.models import NewsItem, NewsStatus
from tests.reliability import authz_world
from tests.reliability.test_authorization_matrix import Matrix, act_as

TITLE = "aurora embargoed announcement"


@pytest.fixture
def scheduled(world: dict[str, int], factory: sessionmaker[Session], settings: Settings) -> Iterator[Matrix]:
    with factory() as session:
        built = authz_world.build(session, settings.files_dir)
        item = session.get(NewsItem, built.a.news)
        assert item is not None
        item.status = NewsStatus.PUBLISHED
        item.published_at = datetime.now(UTC) + timedelta(days=1)
        item.title_en = TITLE
        session.commit()
    yield Matrix(built, "", lambda: 0)


READS = (
    "/api/v1/news",
    "/api/v1/news?q=embargoed",
    "/api/v1/news?status=published",
    "/news",
    "/news?q=embargoed",
    "/news/feed.atom",
    "/news/manage",
    "/news/manage?q=embargoed&status=published",
    "/news/manage/export.csv",
    "/news/manage/export.xlsx",
)


def _shows(client: TestClient, url: str) -> bool:
    response = client.get(url)
    assert response.status_code == 200, url
    if response.content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return any(TITLE.encode() in archive.read(n) for n in archive.namelist())
    return TITLE in response.text


def test_a_scheduled_article_is_not_read_early(client: TestClient, scheduled: Matrix) -> None:
    item = scheduled.world.a.news
    for role in ("anonymous", "viewer", "member", "outsider"):
        act_as(client, scheduled, role)
        early = [url for url in READS if (role != "anonymous" or "manage" not in url) and _shows(client, url)]
        assert early == [], role
        assert client.get(f"/news/{item}").status_code == 404
        if role != "anonymous":
            assert client.get(f"/api/v1/news/{item}").status_code == 404
    act_as(client, scheduled, "coordinator")  # the publisher's coordinators see what they scheduled
    assert _shows(client, "/news/manage") and _shows(client, "/api/v1/news")
    assert not _shows(client, "/news")  # but not on the public pages before its time
