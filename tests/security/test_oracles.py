"""Unreadable and missing records answer the same (issue 15, item 4): no 403 for a record that exists
but may not be seen where a missing one gets 404, and no message naming the id asked for."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from tests.reliability import authz_world
from tests.reliability.test_authorization_matrix import Matrix, act_as

MISSING = 2_000_000_000


@pytest.fixture
def both(world: dict[str, int], factory: sessionmaker[Session], settings: Settings) -> Iterator[Matrix]:
    with factory() as session:
        built = authz_world.build(session, settings.files_dir)
        session.commit()
    yield Matrix(built, "", lambda: 0)


def _same(first: tuple[int, str], second: tuple[int, str]) -> bool:
    return first == second and first[0] == 404


def test_the_api_answers_unreadable_records_like_missing_ones(client: TestClient, both: Matrix) -> None:
    b = both.world.b
    act_as(client, both, "coordinator")
    news = {"title_en": "aurora update", "body_en": "aurora text", "publisher_id": both.world.a.organisation}
    requests = {
        "PUT /api/v1/news/{}": ("PUT", "/api/v1/news/{}", b.news, news),
        "POST /api/v1/news/{}/archive": ("POST", "/api/v1/news/{}/archive", b.news, None),
        "GET /api/v1/news/{}": ("GET", "/api/v1/news/{}", b.news, None),
        "GET /api/v1/tasks/{}": ("GET", "/api/v1/tasks/{}", b.task, None),
        "GET /api/v1/commitments/{}": ("GET", "/api/v1/commitments/{}", b.commitment, None),
    }
    different = {}
    for name, (method, template, existing, body) in requests.items():
        answers = []
        for number in (existing, MISSING):
            response = client.request(method, template.format(number), json=body)
            answers.append((response.status_code, response.text.replace(str(number), "N")))
            assert str(number) not in response.json().get("detail", ""), name
        if not _same(answers[0], answers[1]):
            different[name] = answers
    assert different == {}


def test_pages_answer_unreadable_records_like_missing_ones(client: TestClient, both: Matrix) -> None:
    w = both.world
    csrf = act_as(client, both, "coordinator")
    pairs = {
        # a draft of B's: editing, archiving and adding images as for a missing article
        "/news/{}/edit": w.b.news,
        "/news/{}/archive": w.b.news,
        # an account: only administrators manage roles; others learn nothing about which ids exist
        "/admin/users/{}/roles": w.users["outsider"],
        "/admin/users/{}/sessions/end": w.users["outsider"],
        # someone else's API token
        "/account/tokens/{}/revoke": w.token_ids["outsider"],
    }
    different = {}
    for template, existing in pairs.items():
        answers = []
        for number in (existing, MISSING):
            response = client.post(
                template.format(number),
                data={"csrf_token": csrf, "organisation_id": str(w.a.organisation), "role": "viewer"},
                follow_redirects=False,
            )
            main = response.text.split("<main", 1)[-1].split("</main>", 1)[0]
            answers.append((response.status_code, main.replace(str(number), "N")))
            assert f"number {number}" not in main
        if answers[0] != answers[1]:
            different[template] = answers
    assert different == {}
