"""Pages work end to end: sign-in, lists, forms, permissions, CSRF, exports, uploads."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.models import Agreement, AgreementStatus
from tests.conftest import ADMIN, CQU, VIEWER, WANZHOU, csrf_of, login


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient, world: dict[str, int]) -> None:
    response = client.get("/agreements?kind=strategic", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/agreements%3Fkind%3Dstrategic"


def test_wrong_password_is_refused_and_repeated_failures_lock_the_account(
    client: TestClient, world: dict[str, int]
) -> None:
    token = csrf_of(client)
    for _ in range(5):
        response = client.post(
            "/login", data={"email": CQU, "password": "wrong-password", "csrf_token": token}
        )
        assert response.status_code == 401
    assert "Signing in is paused" in response.text
    # Even the right password is refused during the lock-out.
    response = client.post("/login", data={"email": CQU, "password": "accord-demo-2020", "csrf_token": token})
    assert response.status_code == 401


def test_every_list_renders_with_search_filters_and_both_exports(
    client: TestClient, world: dict[str, int]
) -> None:
    login(client, ADMIN)
    for path, expected in [
        ("/organisations", "Chongqing University"),
        ("/people", "Liu Hanlong"),
        ("/events", "Contract Signing Forum"),
        ("/agreements", "Comprehensively Deepening"),
    ]:
        page = client.get(path)
        assert page.status_code == 200 and expected in page.text
        csv = client.get(f"{path}/export.csv")
        assert csv.status_code == 200 and expected in csv.content.decode("utf-8-sig")
        xlsx = client.get(f"{path}/export.xlsx")
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet is not None and any(expected in str(c.value) for row in sheet.iter_rows() for c in row)
    assert "Chongqing University" not in client.get("/organisations?q=Wanzhou").text
    filtered = client.get("/organisations?kind=hospital")
    assert "Three Gorges Hospital" in filtered.text and "Dayou" not in filtered.text
    # Bad filter values are ignored rather than failing.
    assert client.get("/agreements?kind=nonsense&organisation_id=abc&page=-3&sort=evil").status_code == 200


def test_organisation_form_validates_and_saves(client: TestClient, world: dict[str, int]) -> None:
    login(client, ADMIN)
    token = csrf_of(client, "/organisations/new")
    empty = client.post("/organisations/new", data={"csrf_token": token, "kind": "enterprise"})
    assert empty.status_code == 422
    assert "Give the Chinese or the English text" in empty.text
    duplicate = client.post(
        "/organisations/new", data={"csrf_token": token, "kind": "enterprise", "name_zh": "重庆大学"}
    )
    assert duplicate.status_code == 422 and "Another record already uses this name" in duplicate.text
    too_long = client.post(
        "/organisations/new", data={"csrf_token": token, "kind": "enterprise", "name_en": "x" * 201}
    )
    assert too_long.status_code == 422 and "at most 200 characters" in too_long.text
    created = client.post(
        "/organisations/new",
        data={
            "csrf_token": token,
            "kind": "enterprise",
            "name_zh": "万州某电子科技公司",
            "name_en": "Wanzhou Electronics",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    detail = client.get(created.headers["location"])
    assert "Wanzhou Electronics" in detail.text and "History" in detail.text


def test_forms_without_the_csrf_token_are_rejected(client: TestClient, world: dict[str, int]) -> None:
    login(client, ADMIN)
    response = client.post("/organisations/new", data={"kind": "enterprise", "name_en": "No token"})
    assert response.status_code == 403
    assert "No token" not in client.get("/organisations").text


def test_coordinators_see_only_agreements_of_their_organisations(
    client: TestClient, world: dict[str, int]
) -> None:
    login(client, WANZHOU)
    listing = client.get("/agreements")
    assert "Comprehensively Deepening" in listing.text
    assert "Cooperative Operation Agreement" not in listing.text
    admin = TestClient(client.app, base_url="http://testserver", headers={"Accept-Language": "en"})
    login(admin, ADMIN)
    hidden = [line for line in admin.get("/agreements").text.splitlines() if "Cooperative Operation" in line]
    assert hidden
    coop_id = int(hidden[0].split('href="/agreements/')[1].split('"')[0])
    assert client.get(f"/agreements/{coop_id}").status_code == 404
    assert client.get(f"/agreements/{coop_id}/edit").status_code == 404


def test_viewers_read_but_cannot_change(client: TestClient, world: dict[str, int]) -> None:
    login(client, VIEWER)
    agreement = world["strategic_agreement"]
    page = client.get(f"/agreements/{agreement}")
    assert page.status_code == 200 and f"/agreements/{agreement}/edit" not in page.text
    token = csrf_of(client, f"/agreements/{agreement}")
    response = client.post(f"/agreements/{agreement}/archive", data={"csrf_token": token})
    assert response.status_code == 403


def test_a_stale_edit_gets_a_conflict_instead_of_overwriting(
    client: TestClient, world: dict[str, int]
) -> None:
    login(client, CQU)
    org = world["cqu"]
    token = csrf_of(client, f"/organisations/{org}/edit")
    fields = {
        "csrf_token": token,
        "kind": "university",
        "name_zh": "重庆大学",
        "name_en": "Chongqing University",
    }
    first = client.post(f"/organisations/{org}/edit", data={**fields, "version": "1", "website": "https://a"})
    assert first.status_code == 200 and "https://a" in first.text
    stale = client.post(f"/organisations/{org}/edit", data={**fields, "version": "1", "website": "https://b"})
    assert stale.status_code == 409 and "Someone else changed this record" in stale.text
    assert "https://a" in client.get(f"/organisations/{org}").text


def test_agreement_form_names_dangling_and_duplicate_parties(
    client: TestClient, world: dict[str, int]
) -> None:
    login(client, ADMIN)
    token = csrf_of(client, "/agreements/new")
    response = client.post(
        "/agreements/new",
        data={
            "csrf_token": token,
            "kind": "mou",
            "status": "signed",
            "title_en": "MoU",
            "parties.0.organisation_id": str(world["cqu"]),
            "parties.1.organisation_id": "99999",
            "parties.2.organisation_id": str(world["cqu"]),
        },
    )
    assert response.status_code == 404  # a missing reference: not found, the field named, no id echoed
    assert "No such record." in response.text and "(number 99999)" not in response.text
    assert "already a party" in response.text
    bad_date = client.post(
        "/agreements/new",
        data={
            "csrf_token": token,
            "kind": "mou",
            "status": "signed",
            "title_en": "MoU",
            "signed_on": "2021-02-30",
            "parties.0.organisation_id": str(world["cqu"]),
            "parties.1.organisation_id": "2",
        },
    )
    assert bad_date.status_code == 422 and "YYYY-MM-DD" in bad_date.text


def test_signed_documents_are_stored_with_their_digest_and_downloaded_safely(
    client: TestClient, world: dict[str, int]
) -> None:
    login(client, CQU)
    agreement = world["strategic_agreement"]
    token = csrf_of(client, f"/agreements/{agreement}")
    body = b"<script>alert(1)</script>"
    client.post(
        f"/agreements/{agreement}/documents",
        data={"csrf_token": token},
        files={"file": ("../../evil.html", body, "text/html")},
    )
    page = client.get(f"/agreements/{agreement}")
    assert "evil.html" in page.text and "../" not in page.text.split("evil.html")[0][-20:]
    link = re.search(r'href="/agreements/documents/(\d+)">evil.html', page.text).group(1)  # type: ignore[union-attr]
    download = client.get(f"/agreements/documents/{link}")
    assert download.content == body
    assert download.headers["content-type"] == "application/octet-stream"
    assert "attachment" in download.headers["content-disposition"]


def test_uploads_over_the_limit_are_refused(client: TestClient, world: dict[str, int]) -> None:
    client.app.state.settings.upload_max_bytes = 10  # type: ignore[attr-defined]
    login(client, CQU)
    agreement = world["strategic_agreement"]
    token = csrf_of(client, f"/agreements/{agreement}")
    page = client.post(
        f"/agreements/{agreement}/documents",
        data={"csrf_token": token},
        files={"file": ("a.pdf", b"x" * 11, "application/pdf")},
    )
    assert "larger than the limit" in page.text and "a.pdf" not in page.text


def test_pages_carry_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    cookie = response.headers.get("set-cookie", "")
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()


def test_unknown_pages_answer_404(client: TestClient, world: dict[str, int]) -> None:
    login(client, ADMIN)
    assert client.get("/organisations/424242").status_code == 404
    assert client.get("/no-such-page").status_code == 404


def test_the_home_page_shows_agreements_and_upcoming_work(client: TestClient, world: dict[str, int]) -> None:
    login(client, CQU)
    page = client.get("/")
    assert "Comprehensively Deepening" in page.text
    assert "Work due within a month" in page.text and 'href="/tasks/' in page.text


def test_an_agreement_past_its_end_date_reads_expired(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, ADMIN)
    with factory() as session:  # stored as in force before its end date passed
        agreement = session.get(Agreement, world["strategic_agreement"])
        assert agreement is not None
        agreement.status = AgreementStatus.IN_FORCE
        session.commit()
    url = f"/agreements/{world['strategic_agreement']}"
    page = client.get(url).text  # 5 years from 2020-07-27
    assert '<span class="badge">Expired</span>' in page
    listed = client.get("/agreements?status=expired").text
    assert url in listed
