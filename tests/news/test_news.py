"""News and notices: safe Markdown, public pages, read counts without personal data, the feed, images."""

from __future__ import annotations

import io
import re
import warnings
from datetime import date
from typing import Literal
from xml.etree import ElementTree as ET

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.models import Institution, NewsItem, NewsVisit
from accord.schemas.news import NewsIn
from accord.services import news
from accord.services.errors import PermissionDenied, ValidationFailed
from accord.services.permissions import SYSTEM
from tests.conftest import ADMIN, CQU, VIEWER, WANZHOU, csrf_of, login
from tests.factories import principal

ATOM = "{http://www.w3.org/2005/Atom}"
SEED_TITLE = "Contract Signing Forum for Deepening Strategic Cooperation"
SEED_TITLE_ZH = "重庆大学与万州区人民政府深化战略合作签约座谈会"


def _png(width: int = 4, height: int = 3) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


# --- Markdown is rendered safely -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("Hello <script>alert('x')</script> world", "alert"),
        ("[click](javascript:alert(1))", 'href="javascript'),
        ('<a href="javascript:alert(1)">click</a>', "javascript:"),
        ("<img src=/news/images/1 onerror=alert(1)>", "onerror"),
        ('<p onclick="steal()">text</p>', "onclick"),
        ("![pixel](https://tracker.example/p.gif)", "tracker.example"),
        ('<img src="https://tracker.example/p.gif">', "tracker.example"),
        ("<img src=//tracker.example/p.gif>", "tracker.example"),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ('<p style="background:url(https://t.example/x)">s</p>', "t.example"),
        ("<svg><script>alert(1)</script></svg>", "alert"),
    ],
)
def test_markdown_loses_scripts_handlers_and_remote_images(markdown: str, forbidden: str) -> None:
    html = news.render_markdown(markdown)
    assert forbidden not in html
    assert "<script" not in html
    assert news.removed_content(markdown)


def test_markdown_keeps_formatting_links_tables_and_local_images() -> None:
    html = news.render_markdown(
        "# Title\n\n**bold** and [a link](https://www.cqu.edu.cn)\n\n![hospital](/news/images/7)\n\n"
        "| year | beds |\n|---|---|\n| 2021 | 800 |\n"
    )
    assert "<h2>Title</h2>" in html  # the page's own h1 stays the only one
    assert "<strong>bold</strong>" in html
    assert 'href="https://www.cqu.edu.cn"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert '<img src="/news/images/7" alt="hospital">' in html
    assert "<td>800</td>" in html
    assert not news.removed_content("Plain **text** with [a link](https://example.org) is fine.")


# --- visitors are counted without keeping who they are -------------------------------------------


def test_visitor_keys_change_every_day_and_hide_the_address() -> None:
    today = news.visitor_hash("secret", date(2024, 5, 1), "203.0.113.7")
    assert today == news.visitor_hash("secret", date(2024, 5, 1), "203.0.113.7")
    assert today != news.visitor_hash("secret", date(2024, 5, 2), "203.0.113.7")
    assert today != news.visitor_hash("secret", date(2024, 5, 1), "203.0.113.8")
    assert today != news.visitor_hash("other", date(2024, 5, 1), "203.0.113.7")
    assert "203.0.113.7" not in today and len(today) == 32


def test_a_visitor_counts_once_a_day_and_old_keys_are_purged(
    factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        item = session.scalars(select(NewsItem)).one()
        start = item.read_count
        assert news.count_visit(session, item, "a" * 32, date(2024, 5, 1))
        assert not news.count_visit(session, item, "a" * 32, date(2024, 5, 1))
        assert news.count_visit(session, item, "b" * 32, date(2024, 5, 1))
        session.commit()
        assert item.read_count == start + 2
        # The next day the same visitor counts again, and yesterday's keys are gone.
        assert news.count_visit(session, item, "a" * 32, date(2024, 5, 2))
        session.commit()
        days = set(session.scalars(select(NewsVisit.day)))
        assert days == {date(2024, 5, 2)}
        assert item.read_count == start + 3
        assert item.version == 1  # a read is not an edit


def test_public_pages_need_no_sign_in_and_count_each_visitor_once(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    listing = client.get("/news")
    assert listing.status_code == 200 and SEED_TITLE in listing.text
    item_id = int(re.findall(r'href="/news/(\d+)"', listing.text)[0])
    first = client.get(f"/news/{item_id}", headers={"User-Agent": "reader-one"})
    assert first.status_code == 200
    assert "Liu Hanlong and Jiang Xuesong signed the agreement" in first.text
    assert "1 read" in first.text
    assert "1 read" in client.get(f"/news/{item_id}", headers={"User-Agent": "reader-one"}).text
    # Another browser string from the same address is the same visitor.
    assert "1 read" in client.get(f"/news/{item_id}", headers={"User-Agent": "reader-two"}).text
    # Anonymous readers see the agreements named but not linked (they may not open them).
    assert "/agreements/" not in first.text
    with factory() as session:
        stored = [(v.visitor, v.day) for v in session.scalars(select(NewsVisit))]
    assert len(stored) == 1
    assert all("testclient" not in visitor and "reader" not in visitor for visitor, _day in stored)


def test_the_seed_article_reads_in_chinese(client: TestClient, world: dict[str, int]) -> None:
    page = client.get("/news", headers={"Accept-Language": "zh-CN"})
    assert SEED_TITLE_ZH in page.text and "新闻" in page.text
    item_id = int(re.findall(r'href="/news/(\d+)"', page.text)[0])
    article = client.get(f"/news/{item_id}", headers={"Accept-Language": "zh-CN"})
    assert "刘汉龙与蒋雪松签署了" in article.text
    assert "签约只是一个开始" in article.text


def test_the_atom_feed_lists_published_items(client: TestClient, world: dict[str, int]) -> None:
    response = client.get("/news/feed.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert SEED_TITLE in (entries[0].findtext(f"{ATOM}title") or "")
    assert (
        entries[0]
        .find(f"{ATOM}link")
        .get("href")
        .startswith(
            "http://127.0.0.1:8000/news/"  # ACCORD_BASE_URL, never the Host header
        )
    )  # type: ignore[union-attr]
    assert entries[0].findtext(f"{ATOM}published", "").startswith("2020-10-12")
    assert "<script" not in (entries[0].findtext(f"{ATOM}content") or "")


# --- writing --------------------------------------------------------------------------------------


def test_drafts_are_hidden_until_published(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        draft = news.create_news(
            session,
            SYSTEM,
            NewsIn(
                title_zh="联席会议通知", body_zh="**2021年联席会议**将于万州召开。", publisher_id=world["cqu"]
            ),
        )
        session.commit()
        draft_id = draft.id
    assert client.get(f"/news/{draft_id}").status_code == 404
    assert "联席会议通知" not in client.get("/news").text
    login(client, CQU)
    page = client.get(f"/news/{draft_id}")
    assert page.status_code == 200 and "<strong>2021年联席会议</strong>" in page.text
    assert "联席会议通知" in client.get("/news/manage?status=draft").text
    export = client.get("/news/manage/export.csv?status=draft")
    assert export.status_code == 200 and "联席会议通知" in export.content.decode("utf-8-sig")


def test_only_coordinators_of_the_publisher_write_news(
    factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        data = NewsIn(title_en="Notice", body_en="Text", publisher_id=world["cqu"])
        with pytest.raises(PermissionDenied):
            news.create_news(session, principal(session, VIEWER), data)
        with pytest.raises(PermissionDenied):
            news.create_news(session, principal(session, WANZHOU), data)
        assert news.create_news(session, principal(session, CQU), data).id


def test_the_form_validates_strips_scripts_and_says_so(client: TestClient, world: dict[str, int]) -> None:
    login(client, CQU)
    token = csrf_of(client, "/news/new")
    empty = client.post(
        "/news/new", data={"csrf_token": token, "publisher_id": str(world["cqu"]), "kind": "news"}
    )
    assert empty.status_code == 422
    assert "Give the Chinese or the English text" in empty.text
    assert "Write the article in Chinese or in English" in empty.text
    bad_url = client.post(
        "/news/new",
        data={"csrf_token": token, "publisher_id": str(world["cqu"]), "title_en": "T", "body_en": "B",
              "source_url": "javascript:alert(1)"},
    )  # fmt: skip
    assert (
        bad_url.status_code == 422 and 'aria-invalid="true" aria-describedby="e-source_url"' in bad_url.text
    )
    created = client.post(
        "/news/new",
        data={
            "csrf_token": token,
            "publisher_id": str(world["cqu"]),
            "kind": "notice",
            "status": "published",
            "title_en": "Joint meeting",
            "body_en": "Meet <script>alert(1)</script> us <img src=https://t.example/p.gif onerror=x()>",
            "agreement_ids": [str(world["strategic_agreement"])],
        },
    )
    assert created.status_code == 200
    assert "were removed" in created.text
    body = created.text.split('<div class="article-body"')[1].split("</div>")[0]
    assert "alert(1)" not in body and "t.example" not in body and "onerror" not in body
    assert "Meet" in body and "Joint meeting" in created.text
    assert f'href="/agreements/{world["strategic_agreement"]}"' in created.text
    assert "Joint meeting" in client.get("/news").text


def test_images_must_really_be_images_and_small_enough(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        item_id = session.scalars(select(NewsItem.id)).one()
    login(client, CQU)
    token = csrf_of(client, f"/news/{item_id}/edit")
    fake = client.post(
        f"/news/{item_id}/images",
        data={"csrf_token": token},
        files={"file": ("photo.png", b"<script>alert(1)</script>", "image/png")},
    )
    assert "is not an image Accord accepts" in fake.text
    svg = client.post(
        f"/news/{item_id}/images",
        data={"csrf_token": token},
        files={"file": ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml")},
    )
    assert "is not an image Accord accepts" in svg.text
    big = client.post(
        f"/news/{item_id}/images",
        data={"csrf_token": token},
        files={"file": ("big.png", _png() + b"\0" * news.IMAGE_MAX_BYTES, "image/png")},
    )
    assert "larger than the limit of 5.0 MB" in big.text
    good = client.post(
        f"/news/{item_id}/images",
        data={"csrf_token": token},
        files={"file": ("../hospital.png", _png(), "text/html")},
    )
    assert "Image uploaded" in good.text
    with factory() as session:
        image = session.scalars(select(news.NewsImage)).one()
        assert (image.width, image.height, image.content_type, image.filename) == (
            4,
            3,
            "image/png",
            "hospital.png",
        )
    served = TestClient(client.app).get(f"/news/images/{image.id}")
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    assert served.content == _png()


def test_images_of_drafts_stay_private(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        draft = news.create_news(
            session, SYSTEM, NewsIn(title_en="Draft", body_en="x", publisher_id=world["cqu"])
        )
        image = news.add_image(session, SYSTEM, draft.id, files_dir=client.app.state.settings.files_dir,  # type: ignore[attr-defined]
                               filename="a.png", data=_png())  # fmt: skip
        session.commit()
        image_id = image.id
    assert client.get(f"/news/images/{image_id}").status_code == 404
    login(client, ADMIN)
    assert client.get(f"/news/images/{image_id}").status_code == 200


def test_check_image_rejects_truncated_files() -> None:
    with pytest.raises(ValidationFailed):
        news.check_image(_png()[:20])
    with pytest.raises(ValidationFailed):
        news.check_image(b"")
    assert news.check_image(_png(10, 20)).height == 20


@pytest.mark.parametrize("size", [(8000, 5200), (10000, 9000)])  # past Accord's limit; past Pillow's too
@pytest.mark.parametrize("action", ["ignore", "error"])
def test_check_image_refuses_too_many_pixels_whatever_the_warning_filters(
    size: tuple[int, int], action: Literal["ignore", "error"]
) -> None:
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, format="PNG")
    with warnings.catch_warnings(), pytest.raises(ValidationFailed):
        warnings.simplefilter(action, Image.DecompressionBombWarning)
        news.check_image(buffer.getvalue())


def test_articles_link_co_built_institutions(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with factory() as session:
        seed = session.scalars(select(NewsItem)).one()
        hospital = session.scalars(
            select(Institution).where(
                Institution.name_en == "Three Gorges Hospital Affiliated to Chongqing University"
            )
        ).one()
        assert hospital in seed.institutions  # the demo article reports the hospital's inauguration
        with pytest.raises(ValidationFailed) as failed:
            news.create_news(
                session,
                SYSTEM,
                NewsIn(title_en="T", body_en="B", publisher_id=world["cqu"], institution_ids=[999999]),
            )
        assert failed.value.errors[0].field == "institution_ids"
        seed_id, hospital_id = seed.id, hospital.id
    anonymous = client.get(f"/news/{seed_id}")
    assert "Three Gorges Hospital Affiliated to Chongqing University" in anonymous.text
    assert f'href="/institutions/{hospital_id}"' not in anonymous.text
    login(client, CQU)
    assert f'href="/institutions/{hospital_id}"' in client.get(f"/news/{seed_id}").text
    edit = client.get(f"/news/{seed_id}/edit")
    assert f'name="institution_ids" value="{hospital_id}" checked' in edit.text
