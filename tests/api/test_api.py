"""The JSON API: token authentication, CRUD, filters, problem details, object-level permissions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.services import users
from accord.services.permissions import SYSTEM
from tests.support.accounts import ADMIN, WANZHOU, token_for


def test_requests_without_a_valid_token_get_a_401_problem(client: TestClient, world: dict[str, int]) -> None:
    response = client.get("/api/v1/organisations")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 401
    assert (
        client.get("/api/v1/organisations", headers={"Authorization": "Bearer acc_nope"}).status_code == 401
    )


def test_revoked_tokens_stop_working(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    headers = token_for(factory, ADMIN)
    assert client.get("/api/v1/organisations", headers=headers).status_code == 200
    with factory() as session:
        from accord.models import ApiToken

        token = session.scalars(select(ApiToken)).one()
        users.revoke_token(session, SYSTEM, token.id)
        session.commit()
    assert client.get("/api/v1/organisations", headers=headers).status_code == 401


def test_registry_crud_round_trip(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    headers = token_for(factory, ADMIN)
    created = client.post(
        "/api/v1/organisations",
        json={"name_zh": "万州经开区", "name_en": "Wanzhou Economic Development Zone", "kind": "government"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    org = created.json()
    assert org["version"] == 1
    listing = client.get(
        "/api/v1/organisations", params={"q": "Economic", "kind": "government"}, headers=headers
    )
    assert [o["id"] for o in listing.json()["items"]] == [org["id"]]
    replaced = client.put(
        f"/api/v1/organisations/{org['id']}",
        json={"name_en": "Wanzhou EDZ", "kind": "government"},
        headers={**headers, "If-Match": '"1"'},
    )
    assert replaced.status_code == 200 and replaced.json()["version"] == 2
    stale = client.put(
        f"/api/v1/organisations/{org['id']}",
        json={"name_en": "Lost", "kind": "government"},
        headers={**headers, "If-Match": '"1"'},
    )
    assert stale.status_code == 409
    archived = client.post(f"/api/v1/organisations/{org['id']}/archive", headers=headers)
    assert archived.json()["archived_at"] is not None
    assert org["id"] not in [
        o["id"] for o in client.get("/api/v1/organisations", headers=headers).json()["items"]
    ]


def test_bad_bodies_get_422_naming_each_field(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    headers = token_for(factory, ADMIN)
    wrong_types = client.post(
        "/api/v1/agreements",
        json={
            "title_en": "x",
            "kind": "treaty",
            "parties": [{"organisation_id": "abc"}],
            "signed_on": "yesterday",
            "colour": "red",
        },
        headers=headers,
    )
    assert wrong_types.status_code == 422
    fields = {e["field"] for e in wrong_types.json()["errors"]}
    assert {"kind", "parties.0.organisation_id", "signed_on", "colour"} <= fields
    malformed = client.post(
        "/api/v1/organisations", content=b"{not json", headers={**headers, "Content-Type": "application/json"}
    )
    assert malformed.status_code == 422
    dangling = client.post(
        "/api/v1/agreements",
        json={
            "title_en": "x",
            "kind": "mou",
            "parties": [{"organisation_id": world["cqu"]}, {"organisation_id": 9999}],
        },
        headers=headers,
    )
    assert dangling.status_code == 404
    assert dangling.json()["errors"] == [{"field": "parties.1.organisation_id", "message": "No such record."}]


def test_coordinators_cannot_read_other_organisations_agreements(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    admin = token_for(factory, ADMIN)
    wanzhou = token_for(factory, WANZHOU)
    every = {a["id"] for a in client.get("/api/v1/agreements", headers=admin).json()["items"]}
    visible = {a["id"] for a in client.get("/api/v1/agreements", headers=wanzhou).json()["items"]}
    assert visible == {world["strategic_agreement"]} and len(every) == 2
    (hidden,) = every - visible
    assert client.get(f"/api/v1/agreements/{hidden}", headers=wanzhou).status_code == 404
    response = client.put(
        f"/api/v1/agreements/{hidden}",
        json={
            "title_en": "taken over",
            "kind": "mou",
            "parties": [{"organisation_id": 1}, {"organisation_id": 2}],
        },
        headers=wanzhou,
    )
    assert response.status_code == 404


def test_messages_follow_the_callers_language(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    headers = token_for(factory, ADMIN)
    response = client.post(
        "/api/v1/organisations", json={"kind": "government"}, headers={**headers, "Accept-Language": "zh-CN"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name_zh"
    assert "Give the Chinese" not in response.json()["errors"][0]["message"]


def test_openapi_and_docs_are_published(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/agreements" in schema["paths"] and "/organisations/{item_id}" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "/api/v1/agreements" in docs.text
