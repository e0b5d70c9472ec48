"""Object-level checks: organisation A's people never see organisation B's private records.

The world (tests/reliability/authz_world.py) marks every record of A with ``aurora`` and every record of
B with ``borealis``. For A's viewer and coordinator, each list, search, export, API list, report and
calendar feed must show A's rows (so the check is looking at the right place) and none of B's; B's
records by id answer 404 in pages, API and downloads.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.models import User
from accord.services.supervision import calendar_token
from tests.reliability import authz_world
from tests.reliability.authz_world import AuthzWorld
from tests.reliability.test_authorization_matrix import Matrix, act_as

# Lists of private records (pages and API), searched for each side's word.
LISTS = (
    "/agreements",
    "/board",
    "/institutions",
    "/projects",
    "/programmes",
    "/achievements",
    "/achievements/board",
    "/deals",
    "/news/manage",
    "/api/v1/agreements",
    "/api/v1/tasks",
    "/api/v1/institutions",
    "/api/v1/projects",
    "/api/v1/programmes",
    "/api/v1/achievements",
    "/api/v1/deals",
)
EXPORTS = (
    "agreements",
    "board",
    "institutions",
    "projects",
    "programmes",
    "achievements",
    "deals",
    "news/manage",
)


# The titles of B's records (the search word alone is echoed in the search box).
def titles(marker: str) -> re.Pattern[str]:
    return re.compile(
        marker
        + r" (cooperation|合作|laboratory|institute|研究院|project|项目|programme|培训|achievement|成果"
        r"|licence|draft|草稿|demand|needs|progress|builds|spare|signing|签约)"
    )


A_TITLES, B_TITLES = titles("aurora"), titles("borealis")
# Demands are read by every matchmaker (any coordinator), so only a viewer's view is private.
VIEWER_ONLY = ("/demands", "/api/v1/demands", "/demands/export.csv")


@pytest.fixture
def both(world: dict[str, int], factory: sessionmaker[Session], settings: Settings) -> Iterator[Matrix]:
    with factory() as session:
        built = authz_world.build(session, settings.files_dir)
        session.commit()
        user = session.get(User, built.users["coordinator"])
        assert user is not None
        secret = calendar_token(settings.resolved_secret_key(), user)
    yield Matrix(built, secret, lambda: 0)


def _text(body: bytes) -> str:
    """The text of a response, with XLSX files unzipped."""
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(
                archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")
            )
    return body.decode("utf-8", "replace")


@pytest.mark.parametrize("role", ["viewer", "coordinator"])
def test_lists_searches_and_exports_show_none_of_the_other_organisations_rows(
    client: TestClient, both: Matrix, role: str
) -> None:
    act_as(client, both, role)
    urls = [f"{path}?q={word}" for path in LISTS for word in ("aurora", "borealis")]
    urls += [f"/{name}/export.{fmt}" for name in EXPORTS for fmt in ("csv", "xlsx")]
    urls += [f"/{name}/export.csv?q=borealis" for name in EXPORTS]
    if role == "viewer":
        urls += list(VIEWER_ONLY)
    leaks, blind = [], []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response.content)
        if B_TITLES.search(text):
            leaks.append(url)
        drafts = role == "viewer" and "news/manage" in url  # only coordinators see draft articles
        if "q=borealis" not in url and not drafts and not A_TITLES.search(text):
            blind.append(url)
    assert leaks == []
    assert blind == [], "these views do not show organisation A's own records"


def test_the_other_organisations_records_answer_404(client: TestClient, both: Matrix) -> None:
    w: AuthzWorld = both.world
    act_as(client, both, "coordinator")
    b = w.b
    urls = [
        f"/agreements/{b.agreement}",
        f"/agreements/{b.agreement}/review",
        f"/agreements/{b.agreement}/timeline",
        f"/agreements/documents/{b.document}",
        f"/commitments/{b.commitment}/edit",
        f"/tasks/{b.task}",
        f"/tasks/evidence/{b.evidence}",
        f"/institutions/{b.institution}",
        f"/projects/{b.project}",
        f"/programmes/{b.programme}",
        f"/achievements/{b.achievement}",
        f"/deals/{b.deal}",
        f"/news/{b.news}",
        f"/news/images/{b.image}",
        f"/dashboard/agreements/{b.agreement}",
        f"/api/v1/agreements/{b.agreement}",
        f"/api/v1/agreements/{b.agreement}/text",
        f"/api/v1/agreements/{b.agreement}/commitments",
        f"/api/v1/agreements/{b.agreement}/scorecard",
        f"/api/v1/commitments/{b.commitment}",
        f"/api/v1/tasks/{b.task}",
        f"/api/v1/tasks/{b.task}/updates",
        f"/api/v1/institutions/{b.institution}",
        f"/api/v1/projects/{b.project}",
        f"/api/v1/programmes/{b.programme}",
        f"/api/v1/achievements/{b.achievement}",
        f"/api/v1/deals/{b.deal}",
        f"/api/v1/news/{b.news}",
        f"/catalogue/{b.achievement}",
    ]
    shown = {url: client.get(url).status_code for url in urls}
    assert {url: status for url, status in shown.items() if status != 404} == {}
    # The same pages of A's own records open, so a 404 above is about B.
    own = [url.replace(f"/{b.agreement}", f"/{w.a.agreement}") for url in urls[:3]]
    assert all(client.get(url).status_code == 200 for url in own)


def test_the_calendar_feed_holds_only_the_users_deadlines(client: TestClient, both: Matrix) -> None:
    w = both.world
    feed = f"/calendar/{w.users['coordinator']}/{both.calendar}.ics"
    response = client.get(feed)
    assert response.status_code == 200
    assert "aurora laboratory task" in response.text
    assert "borealis" not in response.text
    wrong = [
        f"/calendar/{w.users['coordinator']}/{'0' * 40}.ics",
        f"/calendar/{w.users['outsider']}/{both.calendar}.ics",  # A's token does not open B's feed
        f"/calendar/{w.users['coordinator']}/{both.calendar[:-1]}.ics",
    ]
    assert [client.get(url).status_code for url in wrong] == [404, 404, 404]


def test_the_annual_report_for_a_shared_partner_leaves_out_the_other_organisation(
    client: TestClient, both: Matrix
) -> None:
    act_as(client, both, "coordinator")
    query = f"year=2024&partner_id={both.world.counterpart}&format=xlsx&lang=en"
    for url in (f"/reports/annual?{query}", f"/api/v1/reports/annual?{query}"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response.content)
        assert "aurora" in text
        assert "borealis" not in text
