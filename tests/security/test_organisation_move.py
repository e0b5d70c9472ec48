"""Moving an organisation needs rights in both places (issue 15, item 14)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.models import Organisation
from tests.reliability import authz_world
from tests.reliability.test_authorization_matrix import Matrix, act_as


@pytest.fixture
def both(world: dict[str, int], factory: sessionmaker[Session], settings: Settings) -> Iterator[Matrix]:
    with factory() as session:
        built = authz_world.build(session, settings.files_dir)
        session.commit()
    yield Matrix(built, "", lambda: 0)


def _parent(factory: sessionmaker[Session], organisation_id: int) -> int | None:
    with factory() as session:
        organisation = session.get(Organisation, organisation_id)
        assert organisation is not None
        return organisation.parent_id


def test_a_coordinator_cannot_move_their_organisation_under_someone_elses(
    client: TestClient, both: Matrix, factory: sessionmaker[Session]
) -> None:
    w = both.world
    act_as(client, both, "coordinator")
    body = {"name_en": "Aurora organisation", "name_zh": "Aurora机构", "kind": "enterprise"}
    elsewhere = client.put(
        f"/api/v1/organisations/{w.a.organisation}", json=body | {"parent_id": w.b.organisation}
    )
    assert elsewhere.status_code == 403 and _parent(factory, w.a.organisation) is None
    csrf = act_as(client, both, "coordinator")
    page = client.post(
        f"/organisations/{w.a.organisation}/edit",
        data=body | {"parent_id": str(w.counterpart), "csrf_token": csrf},
    )
    assert page.status_code == 403 and _parent(factory, w.a.organisation) is None
    # A unit of A moves freely within A.
    unit = client.post(
        "/api/v1/organisations",
        json={"name_en": "aurora unit", "kind": "institute", "parent_id": w.a.organisation},
    )
    assert unit.status_code == 201
    sub = client.post(
        "/api/v1/organisations",
        json={"name_en": "aurora sub-unit", "kind": "institute", "parent_id": w.a.organisation},
    )
    moved = client.put(
        f"/api/v1/organisations/{sub.json()['id']}",
        json={"name_en": "aurora sub-unit", "kind": "institute", "parent_id": unit.json()["id"]},
    )
    assert moved.status_code == 200


def test_an_administrator_moves_any_organisation(
    client: TestClient, both: Matrix, factory: sessionmaker[Session]
) -> None:
    w = both.world
    act_as(client, both, "admin")
    body = {"name_en": "Aurora organisation", "name_zh": "Aurora机构", "kind": "enterprise"}
    moved = client.put(
        f"/api/v1/organisations/{w.a.organisation}", json=body | {"parent_id": w.b.organisation}
    )
    assert moved.status_code == 200 and _parent(factory, w.a.organisation) == w.b.organisation
