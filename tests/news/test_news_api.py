"""/api/v1/news, the scorecard and the annual report over the JSON API."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from tests.conftest import CQU, VIEWER
from tests.support.accounts import token_for


def test_published_news_is_public_and_writing_needs_a_coordinator(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    public = client.get("/api/v1/news")
    assert public.status_code == 200
    item = public.json()["items"][0]
    assert item["title_zh"].startswith("重庆大学与万州区人民政府")
    assert "<p>" in item["body_html_en"] and item["agreement_ids"]
    assert client.get(f"/api/v1/news/{item['id']}").json()["read_count"] == 0  # the API does not count reads

    body = {
        "title_en": "Joint meeting notice",
        "body_en": "Hello <script>alert(1)</script> ![x](https://tracker.example/p.gif)",
        "kind": "notice",
        "publisher_id": world["cqu"],
    }
    assert client.post("/api/v1/news", json=body).status_code == 401
    assert client.post("/api/v1/news", json=body, headers=token_for(factory, VIEWER)).status_code == 403
    cqu = token_for(factory, CQU)
    created = client.post("/api/v1/news", json=body, headers=cqu)
    assert created.status_code == 201, created.text
    draft = created.json()
    assert draft["status"] == "draft" and "alert" not in draft["body_html_en"]
    assert "tracker.example" not in draft["body_html_en"]
    assert client.get(f"/api/v1/news/{draft['id']}").status_code == 404  # drafts are not public
    published = client.put(
        f"/api/v1/news/{draft['id']}",
        json={**body, "status": "published"},
        headers={**cqu, "If-Match": f'"{draft["version"]}"'},
    )
    assert published.status_code == 200 and published.json()["published_at"]
    stale = client.put(
        f"/api/v1/news/{draft['id']}", json=body, headers={**cqu, "If-Match": f'"{draft["version"]}"'}
    )
    assert stale.status_code == 409
    bad = client.post("/api/v1/news", json={"publisher_id": world["cqu"], "body_en": "x"}, headers=cqu)
    assert bad.status_code == 422 and "title_en" in bad.text


def test_scorecard_and_report_over_the_api(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    headers = token_for(factory, CQU)
    card = client.get(
        f"/api/v1/agreements/{world['strategic_agreement']}/scorecard?as_of=2021-12-31", headers=headers
    )
    assert card.status_code == 200, card.text
    data = card.json()
    assert data["as_of"] == "2021-12-31"
    assert set(data["states"]) == {
        "fulfilled",
        "partly_fulfilled",
        "in_progress",
        "overdue",
        "not_started",
        "waived",
    }
    assert sum(data["states"].values()) == len(data["commitments"]) > 0
    report = client.get(
        f"/api/v1/reports/annual?year=2020-2021&partner_id={world['cqu']}&lang=en&format=xlsx",
        headers=headers,
    )
    assert report.status_code == 200
    assert load_workbook(io.BytesIO(report.content)).sheetnames[0] == "Summary"
    bad = client.get(f"/api/v1/reports/annual?year=someday&partner_id={world['cqu']}", headers=headers)
    assert bad.status_code == 422 and "year" in bad.text
