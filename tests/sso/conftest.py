"""Real sign-in servers for the tests: slapd, an OpenID provider made for testing, and a CAS 3.0 server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from accord.config import Settings
from tests.sso.cas_server import CasServer, CasUser
from tests.sso.slapd import SERVICE_PASSWORD, Slapd

OIDC_USERS = {
    "li.hua": {
        "email": "li.hua@campus.example",
        "name": "李华",
        "organisation": "Chongqing University",
        "unit": "School of Civil Engineering",
        "groups": ["cooperation-office", "all-staff"],
    },
}
CAS_USERS = {
    "wangfang": CasUser(
        "wangfang-password",
        {
            "mail": ["wangfang@campus.example"],
            "cn": ["王芳"],
            "o": ["Chongqing University"],
            "memberOf": ["cooperation-office", "all-staff"],
        },
    ),
}


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    if not shutil.which("slapd") and not Path("/usr/sbin/slapd").exists():
        pytest.skip("slapd is not installed (apt-get install slapd ldap-utils)")
    server = Slapd(tmp_path_factory.mktemp("slapd")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[str]:
    mock = pytest.importorskip("oidc_provider_mock")
    users = [mock.User(sub=sub, claims=claims) for sub, claims in OIDC_USERS.items()]
    with mock.run_server_in_thread(require_nonce=True, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def cas_server() -> Iterator[CasServer]:
    server = CasServer(dict(CAS_USERS)).start()
    yield server
    server.stop()


@pytest.fixture
def sso_settings(settings: Settings) -> Settings:
    """Settings whose public address is the test client's, with the providers' secrets."""
    return settings.model_copy(
        update={
            "base_url": "http://testserver",
            "sso_secrets": {"campus-ldap": SERVICE_PASSWORD, "keycloak": "client-secret"},
            "sso_timeout_seconds": 3.0,
        }
    )


@pytest.fixture
def sso_client(sso_settings: Settings) -> Iterator[TestClient]:
    from accord.web.app import create_app

    app = create_app(sso_settings)
    with TestClient(app, base_url="http://testserver") as test_client:
        test_client.headers["Accept-Language"] = "en"
        yield test_client
    app.state.engine.dispose()
