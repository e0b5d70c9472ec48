"""Importing a signed text in the running application, reviewing its commitments, and re-importing."""

from __future__ import annotations

import io
import re

from docx import Document
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient
from typer.testing import CliRunner

from accord.intake.samples import CQU_WANZHOU_STRATEGIC
from accord.models import AgreementText, Commitment, Review, SignedDocument
from tests.conftest import ADMIN, CQU, WANZHOU, csrf_of, login
from tests.support.accounts import token_for

COOP_TEXT = """合作运营协议

甲方：重庆大学建筑规划设计研究总院有限公司
乙方：万州区规划设计研究院
丙方：重庆大有设计集团

第一条 合作内容
三方共同运营渝东北分院。

第二条 各方责任
（一）甲方负责派驻技术骨干不少于10人。
（二）乙方应在签约后30日内提供办公场所。
（三）丙方每年投入运营经费100万元。
"""


def _coop_id(client: TestClient) -> int:
    page = client.get("/agreements?kind=cooperative_operation")
    found = re.search(r'href="/agreements/(\d+)"', page.text)
    assert page.status_code == 200 and found, f"no such agreement listed ({page.status_code})"
    return int(found.group(1))


def _upload(client: TestClient, agreement: int, name: str, data: bytes) -> str:
    token = csrf_of(client, f"/agreements/{agreement}")
    response = client.post(
        f"/agreements/{agreement}/text", data={"csrf_token": token}, files={"file": (name, data)}
    )
    return response.text


def _docx(paragraphs: list[str]) -> bytes:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_demo_agreement_arrives_with_reviewed_commitments(
    client: TestClient, world: dict[str, int]
) -> None:
    login(client, CQU)
    agreement = world["strategic_agreement"]
    detail = client.get(f"/agreements/{agreement}")
    assert "Text version 1" in detail.text
    review = client.get(f"/agreements/{agreement}/review")
    assert review.status_code == 200
    assert "每年召开一次联席会议" in review.text
    assert 'class="q-accepted"' in review.text
    assert "Every year" in review.text


def test_a_docx_import_proposes_commitments_with_parties_and_resolved_dates(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, ADMIN)
    coop = _coop_id(client)
    page = _upload(client, coop, "coop.docx", _docx(COOP_TEXT.splitlines()))
    assert "Version 1 imported" in page and "new proposal" in page
    with factory() as session:
        found = list(session.scalars(select(Commitment).where(Commitment.agreement_id == coop)))
    by_label = {c.party_label: c for c in found}
    assert {"甲方", "乙方", "丙方"} <= set(by_label)
    assert by_label["丙方"].recurrence is not None and by_label["丙方"].amount_text == "100万元"
    assert by_label["乙方"].due_on is not None and str(by_label["乙方"].due_on) == "2020-08-26"
    assert all(c.organisation_id is not None for c in (by_label["甲方"], by_label["乙方"], by_label["丙方"]))


def test_bad_files_are_refused_with_a_clear_message_and_nothing_is_stored(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, ADMIN)
    coop = _coop_id(client)
    with factory() as session:
        before = session.scalar(select(func.count()).select_from(SignedDocument))
    assert "damaged" in _upload(client, coop, "broken.docx", b"PK\x03\x04 not really a zip")
    assert "not supported" in _upload(client, coop, "macro.exe", b"MZ\x90\x00")
    assert "no text" in _upload(client, coop, "empty.txt", b"   \n  ")
    client.headers["Accept-Language"] = "zh-CN"
    assert "不支持" in _upload(client, coop, "picture.bmp", b"BM....")
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(SignedDocument)) == before
        assert (
            session.scalar(
                select(func.count()).select_from(AgreementText).where(AgreementText.agreement_id == coop)
            )
            == 0
        )


def test_text_without_numbered_clauses_falls_back_to_paragraphs_and_says_so(
    client: TestClient, world: dict[str, int]
) -> None:
    login(client, ADMIN)
    coop = _coop_id(client)
    page = _upload(
        client, coop, "plain.txt", "三方共同运营分院。\n\n甲方负责提供场地。\n\n乙方负责派驻人员。".encode()
    )
    assert "split into paragraphs" in page


def test_reviewers_accept_reject_edit_merge_split_and_add(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, ADMIN)
    coop = _coop_id(client)
    _upload(client, coop, "coop.txt", COOP_TEXT.encode("gb18030"))
    with factory() as session:
        ids = [
            c.id
            for c in session.scalars(
                select(Commitment).where(Commitment.agreement_id == coop).order_by(Commitment.quote_start)
            )
        ]
    token = csrf_of(client, f"/agreements/{coop}/review")
    client.post(
        f"/agreements/{coop}/commitments/bulk",
        data={"csrf_token": token, "ids": [str(ids[0])], "action": "rejected"},
    )
    client.post(
        f"/agreements/{coop}/commitments/bulk",
        data={"csrf_token": token, "ids": [str(i) for i in ids[1:]], "action": "accepted"},
    )
    edit = client.post(
        f"/commitments/{ids[1]}/edit", data={"csrf_token": token, "version": "999", "action": "x"}
    )
    assert edit.status_code == 409
    not_party = client.post(
        f"/commitments/{ids[1]}/edit",
        data={"csrf_token": token, "action": "派驻技术骨干", "organisation_id": str(world["cqu"])},
    )
    assert not_party.status_code == 422 and "not a party" in not_party.text
    saved = client.post(
        f"/commitments/{ids[1]}/edit",
        data={
            "csrf_token": token,
            "action": "派驻技术骨干不少于10人",
            "due_on": "2020-12-31",
            "recurrence": "",
        },
    )
    assert saved.status_code == 200
    client.post(f"/commitments/{ids[2]}/split", data={"csrf_token": token})
    client.post(
        f"/agreements/{coop}/commitments/bulk",
        data={"csrf_token": token, "ids": [str(ids[1]), str(ids[2])], "action": "merge"},
    )
    missing = client.post(
        f"/agreements/{coop}/commitments/new",
        data={"csrf_token": token, "action": "x", "quote": "不存在的句子"},
    )
    assert "does not occur" in missing.text
    client.post(
        f"/agreements/{coop}/commitments/new",
        data={"csrf_token": token, "action": "三方共同运营分院", "quote": "三方共同运营渝东北分院。"},
    )
    with factory() as session:
        rows = {c.id: c for c in session.scalars(select(Commitment).where(Commitment.agreement_id == coop))}
        assert rows[ids[0]].review == Review.REJECTED
        assert str(rows[ids[1]].due_on) == "2020-12-31"
        assert rows[ids[2]].review == Review.REJECTED and "Merged into" in (rows[ids[2]].note or "")
        manual = [c for c in rows.values() if c.origin == "manual"]
        assert manual and manual[0].clause_id is not None and manual[0].review == Review.ACCEPTED
        assert any(c.origin == "split" for c in rows.values())


def test_reimporting_a_revised_text_keeps_reviewed_work_and_flags_changed_clauses(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, ADMIN)
    coop = _coop_id(client)
    _upload(client, coop, "v1.txt", COOP_TEXT.encode())
    with factory() as session:
        first = {
            c.party_label: c.id
            for c in session.scalars(select(Commitment).where(Commitment.agreement_id == coop))
        }
    token = csrf_of(client, f"/agreements/{coop}/review")
    client.post(
        f"/agreements/{coop}/commitments/bulk",
        data={"csrf_token": token, "ids": [str(i) for i in first.values()], "action": "accepted"},
    )
    revised = COOP_TEXT.replace("每年投入运营经费100万元", "每年投入运营经费150万元")
    page = _upload(client, coop, "v2.txt", revised.encode())
    assert "Version 2 imported" in page and "to check again" in page
    with factory() as session:
        rows = {c.id: c for c in session.scalars(select(Commitment).where(Commitment.agreement_id == coop))}
    assert rows[first["甲方"]].review == Review.ACCEPTED and not rows[first["甲方"]].needs_recheck
    assert rows[first["丙方"]].needs_recheck
    assert "changed" in client.get(f"/agreements/{coop}/review").text


def test_other_organisations_cannot_import_or_review(client: TestClient, world: dict[str, int]) -> None:
    login(client, WANZHOU)
    coop_admin = TestClient(client.app, base_url="http://testserver", headers={"Accept-Language": "en"})
    login(coop_admin, ADMIN)
    coop = _coop_id(coop_admin)
    assert client.get(f"/agreements/{coop}/review").status_code == 404
    token = csrf_of(client, "/agreements")
    response = client.post(
        f"/agreements/{coop}/text", data={"csrf_token": token}, files={"file": ("a.txt", b"x")}
    )
    assert response.status_code == 404


def test_the_api_imports_lists_and_reviews(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    headers = token_for(factory, ADMIN)
    listing = client.get(
        "/api/v1/agreements", params={"kind": "cooperative_operation"}, headers=headers
    ).json()
    coop = next(a["id"] for a in listing["items"])
    imported = client.post(
        f"/api/v1/agreements/{coop}/text", files={"file": ("coop.md", COOP_TEXT.encode())}, headers=headers
    )
    assert imported.status_code == 201 and imported.json()["proposed"] >= 3
    text = client.get(f"/api/v1/agreements/{coop}/text", headers=headers).json()
    assert text["clauses"][0]["number"] == "第一条"
    items = client.get(
        f"/api/v1/agreements/{coop}/commitments", params={"review": "proposed"}, headers=headers
    ).json()
    body = text["body"]
    assert all(body[c["quote_start"] : c["quote_end"]] == c["quote"] for c in items)
    reviewed = client.post(
        "/api/v1/commitments/review", json={"ids": [items[0]["id"]], "review": "accepted"}, headers=headers
    )
    assert reviewed.json()[0]["review"] == "accepted"
    stale = client.put(
        f"/api/v1/commitments/{items[0]['id']}", json={"action": "x"}, headers={**headers, "If-Match": '"1"'}
    )
    assert stale.status_code == 409
    bad = client.post(
        f"/api/v1/agreements/{coop}/text", files={"file": ("scan.pdf", b"%PDF-1.4 broken")}, headers=headers
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "file"


def test_the_command_line_imports_a_text_and_accepts_it(
    world: dict[str, int], settings: object, monkeypatch: object
) -> None:
    from accord.cli import app
    from accord.config import get_settings

    monkeypatch.setenv("ACCORD_DATABASE_URL", settings.resolved_database_url)  # type: ignore[attr-defined]
    monkeypatch.setenv("ACCORD_DATA_DIR", str(settings.data_dir))  # type: ignore[attr-defined]
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app,
            [
                "import",
                "agreement",
                str(CQU_WANZHOU_STRATEGIC),
                "--agreement",
                str(world["strategic_agreement"]),
                "--accept",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "Text version 2" in result.output and "0 to check again" in result.output
        missing = CliRunner().invoke(app, ["import", "agreement", "/nonexistent.docx", "--agreement", "1"])
        assert missing.exit_code == 2
    finally:
        get_settings.cache_clear()


def test_a_browser_printed_pdf_is_imported_with_its_commitments(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    from tests.intake.test_pdf_as_published import FIXTURES

    login(client, ADMIN)
    coop = _coop_id(client)
    page = _upload(client, coop, "agreement.pdf", (FIXTURES / "agreement-zh.chromium.pdf").read_bytes())
    assert "Version 1 imported" in page
    with factory() as session:
        text = session.scalar(select(AgreementText).where(AgreementText.agreement_id == coop))
        assert text is not None and "乙方" in text.body and "no_structure" not in text.warnings
        assert session.scalar(
            select(func.count()).select_from(Commitment).where(Commitment.agreement_id == coop)
        )


def test_a_text_in_which_nothing_is_found_says_so_on_the_review_page(
    client: TestClient, world: dict[str, int]
) -> None:
    login(client, ADMIN)
    coop = _coop_id(client)
    page = _upload(client, coop, "notes.txt", "会议纪要\n\n与会人员交流了情况。".encode())
    assert "no numbered clauses or commitments were found" in page
    client.headers["Accept-Language"] = "zh-CN"
    assert "未发现编号条款或承诺" in client.get(f"/agreements/{coop}/review").text
