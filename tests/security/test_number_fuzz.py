"""Numbers from paths, query strings, forms and headers are read in one place, with ASCII digits and
bounds: Unicode digits and huge numbers get a 4xx, never a 500, and even a 500 keeps the security headers
(issue 15, item 12)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.web.app import create_app
from tests.reliability import authz_world
from tests.reliability.test_authorization import _routes
from tests.reliability.test_authorization_matrix import Matrix, act_as, harvest_forms

BAD = ["²", "٣", "１２", "99999999999999999999", "9223372036854775808", "-1", "0"]
QUERY = ("page", "size", "organisation_id", "year", "partner_id", "agreement_id", "parent_id",
         "commitment_id", "person_id", "recent", "as_of", "format", "lang", "status", "kind")  # fmt: skip
PARAM = re.compile(r"\{([a-z_]+)(?::path)?\}")
NUMERIC_FIELD = re.compile(r"(^|\.|_)(id|ids|version|percent|value|year|maturity|share|amount|budget)$")


@pytest.fixture
def fuzz(world: dict[str, int], factory: sessionmaker[Session], settings: Settings) -> Iterator[Matrix]:
    with factory() as session:
        built = authz_world.build(session, settings.files_dir)
        session.commit()
    yield Matrix(built, "0" * 40, lambda: 0)


def _fill(path: str, value: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return {"fmt": "csv", "token": "0" * 40}.get(name, value)

    return PARAM.sub(one, path)


def _check(response: object, where: str, failures: list[str]) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    headers = response.headers  # type: ignore[attr-defined]
    if status >= 500 or "content-security-policy" not in headers:
        failures.append(f"{where} -> {status}")


def test_every_get_route_survives_bad_numbers(client: TestClient, fuzz: Matrix) -> None:
    routes = [path for method, path in _routes(client.app) if method == "GET"]
    failures: list[str] = []
    for role in ("anonymous", "admin"):
        act_as(client, fuzz, role)
        for path in routes:
            for value in BAD:
                url = _fill(path, value) if "{" in path else path
                query = "&".join(f"{key}={value}" for key in QUERY)
                _check(
                    client.get(f"{url}?{query}", follow_redirects=False),
                    f"{role} GET {url}?…={value}",
                    failures,
                )
    assert failures == []


def test_every_form_and_header_survives_bad_numbers(client: TestClient, fuzz: Matrix) -> None:
    forms = harvest_forms(client, fuzz)
    csrf = act_as(client, fuzz, "admin")
    failures: list[str] = []
    for action, fields in forms.items():
        for value in ("²", "99999999999999999999", "-1"):
            data = {key: (value if NUMERIC_FIELD.search(key) else text) for key, text in fields.items()}
            data |= {"csrf_token": csrf, "parties.²³.organisation_id": "1", "version": value}
            response = client.post(action, data=data, follow_redirects=False)
            _check(response, f"POST {action} with {value}", failures)
    a = fuzz.world.a
    for value in ('"²"', '"99999999999999999999"', 'W/"٣"', "²"):
        response = client.put(
            f"/api/v1/agreements/{a.agreement}",
            json={"title_en": "aurora", "kind": "other", "parties": [{"organisation_id": a.organisation},
                  {"organisation_id": fuzz.world.counterpart}]},
            headers={"If-Match": value.encode()},  # a real client can send any bytes
        )  # fmt: skip
        if response.status_code != 409:
            failures.append(f"If-Match {value} -> {response.status_code}")
    assert failures == []


def test_an_unexpected_error_keeps_the_security_headers(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("broken on purpose")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    app.state.engine.dispose()
    assert response.status_code == 500
    assert "default-src 'self'" in response.headers.get("content-security-policy", "")
    assert response.headers.get("x-frame-options") == "DENY"
