"""A person signs in through each single sign-on method in Chromium: OpenID Connect, CAS and LDAP."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.db.session import make_engine, make_sessionmaker
from accord.models import Organisation, Role, SsoKind
from accord.schemas.sso import GroupRoleIn, SsoProviderIn
from accord.services import sso as sso_service
from accord.services.permissions import SYSTEM
from tests.sso.cas_server import CasServer
from tests.sso.conftest import CAS_USERS, OIDC_USERS, oidc_issuer, slapd  # noqa: F401
from tests.sso.slapd import SERVICE_DN, SERVICE_PASSWORD, SUFFIX, Slapd
from tests.support.browser import CHROMIUM, axe_violations
from tests.support.databases import SqliteTemplates, fresh_database
from tests.support.servers import app_server

# One server and one Chromium for the module: its tests stay together on one pytest-xdist worker.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("sso-browser")]


@pytest.fixture(scope="module")
def cas() -> Iterator[CasServer]:
    server = CasServer(dict(CAS_USERS)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def sso_server(
    tmp_path_factory: pytest.TempPathFactory,
    oidc_issuer: str,  # noqa: F811
    cas: CasServer,
    slapd: Slapd,  # noqa: F811
    _sqlite_templates: SqliteTemplates,
) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    data = tmp_path_factory.mktemp("sso-browser-var")
    url = fresh_database(_sqlite_templates, data, data / "files", demo=True)
    cqu = _sqlite_templates.demo().ids["cqu"]
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        for fields in (
            {
                "slug": "keycloak",
                "kind": SsoKind.OIDC,
                "name_en": "Campus Keycloak",
                "issuer": oidc_issuer,
                "client_id": "accord",
            },
            {"slug": "campus", "kind": SsoKind.CAS, "name_en": "Unified Identity", "server_url": cas.url},
            {
                "slug": "campus-ldap",
                "kind": SsoKind.LDAP,
                "name_en": "Campus directory",
                "url": slapd.url,
                "ca_file": slapd.ca_file,
                "base_dn": SUFFIX,
                "user_filter": "(uid={username})",
                "bind_dn": SERVICE_DN,
                "group_base_dn": f"ou=groups,{SUFFIX}",
            },
        ):
            provider = sso_service.save_provider(session, SYSTEM, SsoProviderIn(**fields))  # type: ignore[arg-type]
            session.flush()
            sso_service.add_group_role(
                session,
                SYSTEM,
                provider.id,
                GroupRoleIn(group_name="cooperation-office", organisation_id=cqu, role=Role.COORDINATOR),
            )
        session.commit()
        assert session.get(Organisation, cqu) is not None
    engine.dispose()
    env = {
        **os.environ,
        "ACCORD_DATA_DIR": str(data),
        "ACCORD_DATABASE_URL": url,
        "ACCORD_SSO_SECRETS": json.dumps({"keycloak": "client-secret", "campus-ldap": SERVICE_PASSWORD}),
    }
    with app_server(env) as base:
        yield base


def _signed_in(page: object, name: str, server: str) -> None:
    page.goto(f"{server}/account")  # type: ignore[attr-defined]
    assert "/login" not in page.url  # type: ignore[attr-defined]
    assert name in page.content()  # type: ignore[attr-defined]


def test_signing_in_with_openid_connect(sso_server: str, browser: object) -> None:
    context = browser.new_context(locale="en-GB")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{sso_server}/agreements")
    assert "/login" in page.url
    assert axe_violations(page) == []
    page.click("text=Sign in with Campus Keycloak")
    page.fill("input[name=sub]", "li.hua")
    page.click("button:has-text('Authorize')")
    page.wait_for_url("**/agreements")
    _signed_in(page, OIDC_USERS["li.hua"]["name"], sso_server)
    context.close()


def test_signing_in_with_cas(sso_server: str, browser: object) -> None:
    context = browser.new_context(locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{sso_server}/login")
    page.click("text=使用Unified Identity登录")
    page.fill("#username", "wangfang")
    page.fill("#cas-password", "wangfang-password")
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{sso_server}/")
    _signed_in(page, "王芳", sso_server)
    context.close()


def test_signing_in_with_the_directory_and_a_wrong_password_first(sso_server: str, browser: object) -> None:
    context = browser.new_context(locale="en-GB")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{sso_server}/login")
    page.click("text=Sign in with Campus directory")
    page.fill("#username", "lihua")
    page.fill("#password", "not-her-password")
    page.click("button[type=submit]:has-text('Sign in')")
    assert "The user name or password is wrong." in page.content()
    assert axe_violations(page) == []
    page.fill("#username", "lihua")
    page.fill("#password", "lihua-password-1")
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_url(f"{sso_server}/")
    _signed_in(page, "李华", sso_server)
    context.close()
