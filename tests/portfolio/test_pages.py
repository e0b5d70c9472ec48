"""Portfolio and transfer pages end to end: lists and exports, forms with field errors, the board,
the public catalogue, permissions and the API."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.models import Achievement, Institution, PipelineStage
from tests.conftest import ADMIN, CQU, VIEWER, WANZHOU, csrf_of, login
from tests.support.accounts import token_for


def _id(
    factory: sessionmaker[Session], model: type[Institution] | type[Achievement], column: str, text: str
) -> int:
    with factory() as session:
        found = session.scalar(select(model.id).where(getattr(model, column).contains(text)))
    assert found is not None
    return found


def test_lists_filter_and_export(client: TestClient, world: dict[str, int]) -> None:
    login(client, ADMIN)
    for path, expected in [
        ("/institutions", "Three Gorges Hospital"),
        ("/projects", "drawdown zone"),
        ("/programmes", "cadres"),
        ("/achievements", "mountain-city"),
        ("/deals", "mountain-city"),
    ]:
        page = client.get(path)
        assert page.status_code == 200 and expected in page.text, path
        assert expected in client.get(f"{path}/export.csv").content.decode("utf-8-sig")
        sheet = load_workbook(io.BytesIO(client.get(f"{path}/export.xlsx").content)).active
        assert sheet is not None and any(expected in str(c.value) for row in sheet.iter_rows() for c in row)
    operating = client.get("/institutions?stage=operating").text
    assert "Three Gorges Hospital" in operating and "Yangtze River Basin" not in operating
    assert "Yangtze River Basin" in client.get("/institutions?stage=under_construction").text
    assert client.get("/institutions?stage=bogus&kind=&page=-1").status_code == 200
    overview = client.get("/portfolio")
    assert overview.status_code == 200 and "People trained" in overview.text


def test_institution_pages_in_chinese_show_stage_history_and_kpis(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    login(client, CQU)
    hospital = _id(factory, Institution, "name_en", "Three Gorges Hospital")
    page = client.get(f"/institutions/{hospital}", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert "重庆大学附属三峡医院" in page.text and "运营中" in page.text and "开放床位" in page.text
    assert "2020年7月27日" in page.text


def test_institution_form_reports_bad_shares_next_to_the_field(
    client: TestClient, world: dict[str, int]
) -> None:
    login(client, CQU)
    token = csrf_of(client, "/institutions/new")
    bad = client.post(
        "/institutions/new",
        data={
            "csrf_token": token,
            "name_zh": "重庆大学万州孵化器",
            "kind": "incubator",
            "stage": "proposed",
            "parties.0.organisation_id": str(world["cqu"]),
            "parties.0.share": "70",
            "parties.1.organisation_id": "2",
            "parties.1.share": "45",
        },
    )
    assert bad.status_code == 422 and "may not exceed 100%" in bad.text
    assert 'value="重庆大学万州孵化器"' in bad.text  # the form keeps what was typed
    good = client.post(
        "/institutions/new",
        data={
            "csrf_token": token,
            "name_zh": "重庆大学万州孵化器",
            "kind": "incubator",
            "stage": "proposed",
            "parties.0.organisation_id": str(world["cqu"]),
            "parties.0.share": "70",
        },
        follow_redirects=False,
    )
    assert good.status_code == 303
    detail = client.get(good.headers["location"])
    assert "Incubator" in detail.text and "In preparation" in detail.text


def test_kpi_value_of_the_wrong_kind_is_refused_on_the_page(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    login(client, CQU)
    hospital = _id(factory, Institution, "name_en", "Three Gorges Hospital")
    page = client.get(f"/institutions/{hospital}")
    indicator = re.search(r"/indicators/(\d+)/values", page.text)
    assert page.status_code == 200 and indicator, f"no indicator form on the page ({page.status_code})"
    token = csrf_of(client, f"/institutions/{hospital}")
    url = f"/institutions/{hospital}/indicators/{indicator.group(1)}/values"
    wrong = client.post(url, data={"csrf_token": token, "period": "2023", "value": "12.5", "unit": "beds"})
    assert wrong.status_code == 422 and "whole numbers" in wrong.text
    unit = client.post(url, data={"csrf_token": token, "period": "2023", "value": "12", "unit": "percent"})
    assert unit.status_code == 422 and "another unit" in unit.text
    text = client.post(url, data={"csrf_token": token, "period": "2023", "value": "many", "unit": "beds"})
    assert text.status_code == 422 and "Must be a number" in text.text
    ok = client.post(url, data={"csrf_token": token, "period": "2023", "value": "1950", "unit": "beds"})
    assert ok.status_code == 200 and "1,950" in ok.text


def test_board_moves_and_refuses_skips(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    login(client, CQU)
    restoration = _id(factory, Achievement, "title_en", "Vegetation restoration")
    board = client.get("/achievements/board")
    assert board.status_code == 200 and "Vegetation restoration" in board.text and "Negotiating" in board.text
    token = csrf_of(client, "/achievements/board")
    with factory() as session:
        version = session.get(Achievement, restoration).version  # type: ignore[union-attr]
    skip = client.post(
        f"/achievements/{restoration}/move",
        data={"csrf_token": token, "version": str(version), "back": "board", "to_stage": "licensed"},
    )
    assert skip.status_code == 422 and "skips a required stage" in skip.text
    back = client.post(
        f"/achievements/{restoration}/move",
        data={"csrf_token": token, "version": str(version), "to_stage": "listed"},
    )
    assert back.status_code == 422 and "needs a reason" in back.text
    moved = client.post(
        f"/achievements/{restoration}/move",
        data={"csrf_token": token, "version": str(version), "back": "board", "to_stage": "negotiating"},
        follow_redirects=False,
    )
    assert moved.status_code == 303 and moved.headers["location"] == "/achievements/board"
    with factory() as session:
        achievement = session.get(Achievement, restoration)
        assert achievement is not None and achievement.stage == PipelineStage.NEGOTIATING


def test_deal_amount_without_currency_is_refused(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    login(client, CQU)
    restoration = _id(factory, Achievement, "title_en", "Vegetation restoration")
    token = csrf_of(client, f"/achievements/{restoration}")
    bad = client.post(
        f"/achievements/{restoration}/deals",
        data={"csrf_token": token, "deal_type": "licence", "amount": "50000", "currency": ""},
    )
    assert bad.status_code == 422 and "Give the currency of the amount" in bad.text


def test_the_public_catalogue_needs_no_sign_in_and_speaks_both_languages(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    page = client.get("/catalogue")
    assert page.status_code == 200 and "mountain-city" in page.text and "Vegetation restoration" in page.text
    chinese = client.get("/catalogue", headers={"Accept-Language": "zh-CN"})
    assert "山地城市规划设计数字化协同平台" in chinese.text and "成果目录" in chinese.text
    assert "Vegetation" not in client.get("/catalogue?ip_type=software_copyright").text
    assert "mountain-city" not in client.get("/catalogue?q=drawdown").text
    entry = _id(factory, Achievement, "title_en", "mountain-city")
    assert client.get(f"/catalogue/{entry}").status_code == 200
    # A private achievement is not in the catalogue, and the internal pages still need a sign-in.
    login(client, CQU)
    token = csrf_of(client, "/achievements/new")
    created = client.post(
        "/achievements/new",
        data={
            "csrf_token": token,
            "title_en": "Unpublished bridge sensor",
            "ip_type": "know_how",
            "maturity": "3",
            "owners.0.organisation_id": str(world["cqu"]),
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    private = int(created.headers["location"].rsplit("/", 1)[1])
    assert client.get(f"/catalogue/{private}").status_code == 404
    assert "Unpublished" not in client.get("/catalogue").text


def test_readers_read_only_and_strangers_get_404(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    branch = _id(factory, Institution, "name_en", "Northeast Chongqing Branch")
    login(client, WANZHOU)
    assert client.get(f"/institutions/{branch}").status_code == 404
    assert "Northeast Chongqing Branch" not in client.get("/institutions").text
    client.cookies.clear()
    login(client, VIEWER)
    page = client.get(f"/institutions/{branch}")
    assert page.status_code == 200 and "Change stage" not in page.text
    token = csrf_of(client, f"/institutions/{branch}")
    refused = client.post(
        f"/institutions/{branch}/stage",
        data={"csrf_token": token, "stage": "evaluated", "changed_on": "2022-01-01"},
    )
    assert refused.status_code == 403


def test_api_lists_moves_and_refuses_bad_moves(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    headers = token_for(factory, CQU)
    listing = client.get("/api/v1/institutions?stage=operating", headers=headers)
    assert listing.status_code == 200 and listing.json()["total"] == 2
    hospital = next(i for i in listing.json()["items"] if "Hospital" in i["name_en"])
    assert hospital["indicators"][0]["values"] and hospital["commitments"]
    restoration = _id(factory, Achievement, "title_en", "Vegetation restoration")
    skip = client.post(
        f"/api/v1/achievements/{restoration}/move", json={"to_stage": "equity"}, headers=headers
    )
    assert skip.status_code == 422 and skip.json()["errors"][0]["field"] == "to_stage"
    moved = client.post(
        f"/api/v1/achievements/{restoration}/move", json={"to_stage": "negotiating"}, headers=headers
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "negotiating"
    deal = client.post(
        "/api/v1/deals",
        json={"achievement_id": restoration, "deal_type": "licence", "amount": "1000"},
        headers=headers,
    )
    assert deal.status_code == 422 and "currency" in {e["field"] for e in deal.json()["errors"]}
    public = client.get("/api/v1/catalogue")
    assert public.status_code == 200 and public.json()["total"] == 2


def test_project_and_programme_forms_edit_link_commitments_and_add_cohorts(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    login(client, CQU)
    listing = client.get("/projects").text
    project = int(re.search(r'href="/projects/(\d+)"', listing).group(1))  # type: ignore[union-attr]
    form = client.get(f"/projects/{project}/edit").text
    assert 'name="fulfils.' in form and "checked" in form
    token = csrf_of(client, f"/projects/{project}/edit")
    version = re.search(r'name="version" value="(\d+)"', form).group(1)  # type: ignore[union-attr]
    commitment = re.search(r'name="fulfils\.\d+\.commitment_id" value="(\d+)"', form).group(1)  # type: ignore[union-attr]
    bad = client.post(
        f"/projects/{project}/edit",
        data={
            "csrf_token": token,
            "version": version,
            "title_en": "Joint research on the drawdown zone",
            "budget": "3000000",
            "currency": "",
            "parties.0.organisation_id": str(world["cqu"]),
            "start_on": "2022-01-01",
            "end_on": "2021-01-01",
        },
    )
    assert bad.status_code == 422
    assert (
        "Give the currency of the amount" in bad.text and "The end date is before the start date" in bad.text
    )
    saved = client.post(
        f"/projects/{project}/edit",
        data={
            "csrf_token": token,
            "version": version,
            "title_en": "Joint research on the drawdown zone",
            "budget": "3000000",
            "currency": "cny",
            "parties.0.organisation_id": str(world["cqu"]),
            "fulfils.0.commitment_id": commitment,
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    detail = client.get(f"/projects/{project}").text
    assert "CNY 3,000,000" in detail and "Commitments fulfilled" in detail
    stale = client.post(
        f"/projects/{project}/edit",
        data={
            "csrf_token": token,
            "version": version,
            "title_en": "x",
            "parties.0.organisation_id": str(world["cqu"]),
        },
    )
    assert stale.status_code == 409

    programme = int(re.search(r'href="/programmes/(\d+)"', client.get("/programmes").text).group(1))  # type: ignore[union-attr]
    token = csrf_of(client, f"/programmes/{programme}")
    refused = client.post(
        f"/programmes/{programme}/cohorts",
        data={
            "csrf_token": token,
            "name_zh": "2021年第二期",
            "start_on": "2021-11-08",
            "counts.0.organisation_id": str(world["cqu"]),
            "counts.0.participants": "-3",
        },
    )
    assert refused.status_code == 422 and "Must be 0 or more." in refused.text
    added = client.post(
        f"/programmes/{programme}/cohorts",
        data={
            "csrf_token": token,
            "name_zh": "2021年第二期",
            "start_on": "2021-11-08",
            "counts.0.organisation_id": str(world["cqu"]),
            "counts.0.participants": "40",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert "2021年第二期" in client.get(f"/programmes/{programme}").text
