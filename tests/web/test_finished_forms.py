"""Forms as finished work: a form sent twice creates once, switching language after a form was sent
returns to a page that can be fetched, public pages offer to sign in, and the site has an icon."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from accord.models import Organisation
from tests.conftest import ADMIN, login


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert found, name
    return found.group(1)


def test_a_form_sent_twice_creates_once(client: TestClient, session: Session, world: dict[str, int]) -> None:
    login(client, ADMIN)
    page = client.get("/organisations/new").text
    form = {
        "csrf_token": _hidden(page, "csrf_token"),
        "form_once": _hidden(page, "form_once"),
        "kind": "enterprise",
        "name_zh": "重庆两江新材料有限公司",
    }
    first = client.post("/organisations/new", data=form, follow_redirects=False)
    again = client.post(
        "/organisations/new", data=form, follow_redirects=False
    )  # back + resend, a double click

    assert first.status_code == 303
    assert again.status_code == 409 and "already sent" in again.text
    count = session.scalar(
        select(func.count()).select_from(Organisation).where(Organisation.name_zh == "重庆两江新材料有限公司")
    )
    assert count == 1
    # A form shown again with its errors carries a new token, so correcting it and sending it works.
    page = client.get("/organisations/new").text
    form = {
        "csrf_token": _hidden(page, "csrf_token"),
        "form_once": _hidden(page, "form_once"),
        "kind": "enterprise",
    }
    invalid = client.post("/organisations/new", data=form)
    assert invalid.status_code == 422
    fixed = {**form, "form_once": _hidden(invalid.text, "form_once"), "name_zh": "万州新材料有限公司"}
    assert client.post("/organisations/new", data=fixed, follow_redirects=False).status_code == 303


def test_switching_language_after_a_form_was_sent_returns_to_the_form_page(
    client: TestClient, world: dict[str, int]
) -> None:
    login(client, ADMIN)
    page = client.get("/organisations/new").text
    invalid = client.post(
        "/organisations/new",
        data={"csrf_token": _hidden(page, "csrf_token"), "kind": "enterprise"},
        headers={"Referer": "http://testserver/organisations/new?parent_id=1"},
    )
    assert invalid.status_code == 422
    back = _hidden(invalid.text, "next")
    assert back == "/organisations/new?parent_id=1"
    switched = client.post(
        "/language", data={"csrf_token": _hidden(page, "csrf_token"), "language": "zh_Hans", "next": back}
    )
    assert (switched.status_code == 200 and "新建单位" in switched.text) or "单位" in switched.text


def test_public_pages_offer_to_sign_in_and_the_site_has_an_icon(
    client: TestClient, world: dict[str, int]
) -> None:
    news = client.get("/news").text
    assert 'href="/login?next=/news"' in news and "Sign in" in news
    assert "/static/favicon.svg" in news
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
