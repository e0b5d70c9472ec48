"""Signing in to Accord through each provider: provisioning, group → role mapping, revocation, every failure."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.models import Membership, Organisation, OrgKind, Provisioning, Role, SsoKind, SsoProvider, User
from accord.schemas.sso import GroupRoleIn, PasswordPolicyIn, SsoProviderIn
from accord.services import sso as sso_service
from accord.services.permissions import SYSTEM
from tests.conftest import ADMIN, csrf_of, login
from tests.sso.cas_server import CasServer
from tests.sso.slapd import SERVICE_DN, SUFFIX, Slapd, free_port


def _wanzhou(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        found = session.scalar(
            select(Organisation.id).where(Organisation.name_en == "People's Government of Wanzhou District")
        )
        assert found is not None
        return found


def _provider(factory: sessionmaker[Session], world: dict[str, int], **fields: Any) -> int:
    world.setdefault("wanzhou", _wanzhou(factory))
    with factory() as session:
        provider = sso_service.save_provider(session, SYSTEM, SsoProviderIn(**fields))
        session.flush()
        sso_service.add_group_role(
            session,
            SYSTEM,
            provider.id,
            GroupRoleIn(group_name="cooperation-office", organisation_id=world["cqu"], role=Role.COORDINATOR),
        )
        sso_service.add_group_role(
            session,
            SYSTEM,
            provider.id,
            GroupRoleIn(group_name="all-staff", organisation_id=world["wanzhou"], role=Role.VIEWER),
        )
        session.commit()
        return provider.id


def _roles(factory: sessionmaker[Session], email: str) -> dict[int, Role]:
    with factory() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        return {m.organisation_id: m.role for m in user.memberships}


def _signed_in_as(client: TestClient) -> str:
    page = client.get("/account")
    assert page.status_code == 200, page.text
    return page.text


def _oidc_round(client: TestClient, sub: str, next_path: str = "/agreements") -> httpx.Response:
    start = client.get(f"/sso/keycloak?next={next_path}", follow_redirects=False)
    assert start.status_code == 303, start.text
    authorize = start.headers["location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    # The person chooses who they are on the provider's page; it redirects back with a code.
    answer = httpx.post(authorize, data={"sub": sub}, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    assert back.path == "/sso/keycloak/callback"
    return client.get(f"{back.path}?{back.query}", follow_redirects=False)  # type: ignore[return-value]


@pytest.fixture
def oidc_provider(factory: sessionmaker[Session], world: dict[str, int], oidc_issuer: str) -> int:
    return _provider(
        factory,
        world,
        slug="keycloak",
        kind=SsoKind.OIDC,
        name_en="Campus Keycloak",
        name_zh="校园统一认证",
        issuer=oidc_issuer,
        client_id="accord",
    )


def test_oidc_first_sign_in_creates_the_account_with_its_roles_and_person(
    sso_client: TestClient, factory: sessionmaker[Session], world: dict[str, int], oidc_provider: int
) -> None:
    with factory() as session:
        session.add(
            Organisation(
                name_en="School of Civil Engineering", kind=OrgKind.UNIVERSITY, parent_id=world["cqu"]
            )
        )
        session.commit()
    answer = _oidc_round(sso_client, "li.hua")
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/agreements"
    assert "李华" in _signed_in_as(sso_client)
    assert _roles(factory, "li.hua@campus.example") == {
        world["cqu"]: Role.COORDINATOR,
        world["wanzhou"]: Role.VIEWER,
    }
    with factory() as session:
        user = session.scalar(select(User).where(User.email == "li.hua@campus.example"))
        assert user is not None and user.person is not None
        assert user.person.name_zh == "李华"
        assert user.person.organisation is not None
        assert user.person.organisation.name_en == "School of Civil Engineering"


def test_a_group_the_person_left_loses_its_role_at_the_next_sign_in(
    sso_client: TestClient,
    factory: sessionmaker[Session],
    world: dict[str, int],
    oidc_provider: int,
    oidc_issuer: str,
) -> None:
    assert _oidc_round(sso_client, "li.hua").status_code == 303
    with factory() as session:
        user = session.scalar(select(User).where(User.email == "li.hua@campus.example"))
        assert user is not None
        # A role granted by hand is the administrator's decision and survives every sign-in.
        session.add(Membership(user_id=user.id, organisation_id=world["enterprise"], role=Role.MEMBER))
        session.commit()
    claims = {**_oidc_claims(), "groups": ["all-staff"]}
    assert httpx.put(f"{oidc_issuer}/users/li.hua", json=claims).status_code == 204
    sso_client.post("/logout", data={"csrf_token": csrf_of(sso_client, "/account")})
    try:
        assert _oidc_round(sso_client, "li.hua").status_code == 303
        assert _roles(factory, "li.hua@campus.example") == {
            world["wanzhou"]: Role.VIEWER,
            world["enterprise"]: Role.MEMBER,
        }
    finally:
        httpx.put(f"{oidc_issuer}/users/li.hua", json=_oidc_claims())


def _oidc_claims() -> dict[str, Any]:
    from tests.sso.conftest import OIDC_USERS

    return dict(OIDC_USERS["li.hua"])


def test_a_callback_with_another_state_is_refused_in_the_users_language(
    sso_client: TestClient, oidc_provider: int
) -> None:
    start = sso_client.get("/sso/keycloak", follow_redirects=False)
    answer = httpx.post(start.headers["location"], data={"sub": "li.hua"}, follow_redirects=False)
    back = urlsplit(answer.headers["location"])
    forged = re.sub(r"state=[^&]+", "state=forged", back.query)
    refused = sso_client.get(f"{back.path}?{forged}", headers={"Accept-Language": "zh-CN"})
    assert refused.status_code == 400
    assert "请重新开始" in refused.text
    assert sso_client.get("/account", follow_redirects=False).status_code == 303  # still signed out
    # A callback with no sign-in started in this browser at all is refused the same way.
    assert sso_client.get(f"{back.path}?{back.query}").status_code == 400


def test_a_provider_that_cannot_be_reached_is_reported(
    sso_client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    _provider(
        factory,
        world,
        slug="keycloak",
        kind=SsoKind.OIDC,
        name_en="Campus Keycloak",
        issuer=f"http://127.0.0.1:{free_port()}",
        client_id="accord",
    )
    answer = sso_client.get("/sso/keycloak")
    assert answer.status_code == 502
    assert "cannot be reached" in answer.text


def test_match_only_lets_in_existing_accounts_and_refuses_strangers(
    sso_client: TestClient, factory: sessionmaker[Session], world: dict[str, int], oidc_provider: int
) -> None:
    with factory() as session:
        provider = session.get(SsoProvider, oidc_provider)
        assert provider is not None
        provider.provisioning = Provisioning.MATCH
        session.commit()
    refused = _oidc_round(sso_client, "li.hua")
    assert refused.status_code == 403
    assert "ask an administrator to create one" in refused.text
    with factory() as session:
        assert session.scalar(select(User).where(User.email == "li.hua@campus.example")) is None
    answer = _oidc_round(sso_client, "cqu@accord.example")  # the mock's e-mail is the subject
    assert answer.status_code == 303
    assert "cqu@accord.example" in _signed_in_as(sso_client) or "Chongqing" in _signed_in_as(sso_client)


@pytest.fixture
def cas_provider(factory: sessionmaker[Session], world: dict[str, int], cas_server: CasServer) -> int:
    return _provider(
        factory, world, slug="campus", kind=SsoKind.CAS, name_zh="统一身份认证", server_url=cas_server.url
    )


def test_cas_sign_in_validates_the_ticket_and_maps_groups(
    sso_client: TestClient, factory: sessionmaker[Session], world: dict[str, int], cas_provider: int
) -> None:
    start = sso_client.get("/sso/campus?next=/tasks", follow_redirects=False)
    assert start.status_code == 303
    login_page = start.headers["location"]
    service = parse_qs(urlsplit(login_page).query)["service"][0]
    assert service == "http://testserver/sso/campus/cas"
    answer = httpx.post(
        login_page.split("?")[0],
        data={"service": service, "username": "wangfang", "password": "wangfang-password"},
    )
    assert answer.status_code == 303
    back = urlsplit(answer.headers["location"])
    done = sso_client.get(f"{back.path}?{back.query}", follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/tasks"
    assert "王芳" in _signed_in_as(sso_client)
    assert _roles(factory, "wangfang@campus.example")[world["cqu"]] == Role.COORDINATOR
    # The same ticket a second time (a replayed link) is refused.
    sso_client.cookies.clear()
    replay = sso_client.get(f"{back.path}?{back.query}")
    assert replay.status_code == 401
    assert "expired, already used" in replay.text


def test_an_expired_cas_ticket_is_refused_in_chinese(
    sso_client: TestClient, cas_provider: int, cas_server: CasServer
) -> None:
    ticket = cas_server.issue("wangfang", "http://testserver/sso/campus/cas")
    cas_server.age_tickets(3600)
    refused = sso_client.get(f"/sso/campus/cas?ticket={ticket}", headers={"Accept-Language": "zh-CN"})
    assert refused.status_code == 401
    assert "票据已过期" in refused.text


@pytest.fixture
def ldap_provider(factory: sessionmaker[Session], world: dict[str, int], slapd: Slapd) -> int:
    return _provider(
        factory,
        world,
        slug="campus-ldap",
        kind=SsoKind.LDAP,
        name_en="Campus directory",
        url=slapd.url,
        start_tls=True,
        ca_file=slapd.ca_file,
        base_dn=SUFFIX,
        user_filter="(uid={username})",
        bind_dn=SERVICE_DN,
        group_base_dn=f"ou=groups,{SUFFIX}",
    )


def _ldap_sign_in(client: TestClient, username: str, password: str, **headers: str) -> httpx.Response:
    form = client.get("/sso/campus-ldap")
    assert form.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token
    return client.post(  # type: ignore[return-value]
        "/sso/campus-ldap",
        data={"username": username, "password": password, "csrf_token": token.group(1), "next": "/"},
        headers=headers,
        follow_redirects=False,
    )


def test_ldap_sign_in_and_revocation_when_the_directory_drops_a_group(
    sso_client: TestClient,
    factory: sessionmaker[Session],
    world: dict[str, int],
    ldap_provider: int,
    slapd: Slapd,
) -> None:
    assert _ldap_sign_in(sso_client, "lihua", "lihua-password-1").status_code == 303
    assert _roles(factory, "lihua@campus.example") == {
        world["cqu"]: Role.COORDINATOR,
        world["wanzhou"]: Role.VIEWER,
    }
    group = f"cn=cooperation-office,ou=groups,{SUFFIX}"
    member = f"uid=lihua,ou=people,{SUFFIX}"
    slapd.modify(group, {"member": [("MODIFY_REPLACE", [f"uid=zhangwei,ou=people,{SUFFIX}"])]})
    try:
        sso_client.cookies.clear()
        assert _ldap_sign_in(sso_client, "lihua", "lihua-password-1").status_code == 303
        assert _roles(factory, "lihua@campus.example") == {world["wanzhou"]: Role.VIEWER}
    finally:
        slapd.modify(group, {"member": [("MODIFY_REPLACE", [member])]})


def test_ldap_failures_tell_the_person_what_happened(
    sso_client: TestClient, factory: sessionmaker[Session], ldap_provider: int
) -> None:
    wrong = _ldap_sign_in(sso_client, "lihua", "not-the-password")
    assert wrong.status_code == 401 and "user name or password is wrong" in wrong.text
    wrong_zh = _ldap_sign_in(sso_client, "lihua", "not-the-password", **{"Accept-Language": "zh-CN"})
    assert "用户名或密码错误" in wrong_zh.text
    with factory() as session:
        provider = session.get(SsoProvider, ldap_provider)
        assert provider is not None
        provider.config = {**provider.config, "url": f"ldap://127.0.0.1:{free_port()}"}
        session.commit()
    down = _ldap_sign_in(sso_client, "lihua", "lihua-password-1")
    assert down.status_code == 502 and "cannot be reached" in down.text


def test_local_passwords_off_leaves_only_the_break_glass_administrator(
    sso_client: TestClient, factory: sessionmaker[Session], world: dict[str, int], ldap_provider: int
) -> None:
    with factory() as session:
        admin = session.scalar(select(User).where(User.email == ADMIN))
        assert admin is not None
        sso_service.set_password_policy(
            session, SYSTEM, PasswordPolicyIn(local_passwords=False, break_glass_user_id=admin.id)
        )
        session.commit()
    page = sso_client.get("/login")
    assert 'name="password"' not in page.text and "Sign in with Campus directory" in page.text
    token = csrf_of(sso_client)
    refused = sso_client.post(
        "/login",
        data={
            "email": "cqu@accord.example",
            "password": "accord-demo-2020",
            "csrf_token": token,
            "next": "/",
        },
    )
    assert refused.status_code == 403 and "Local passwords are turned off" in refused.text
    assert 'name="password"' in sso_client.get("/login?local=1").text
    login(sso_client, ADMIN)


def test_turning_passwords_off_needs_an_active_administrator_as_break_glass(
    factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    from accord.services.errors import ValidationFailed

    with factory() as session:
        cqu = session.scalar(select(User).where(User.email == "cqu@accord.example"))
        assert cqu is not None
        for keeper in (None, cqu.id):
            with pytest.raises(ValidationFailed):
                sso_service.set_password_policy(
                    session, SYSTEM, PasswordPolicyIn(local_passwords=False, break_glass_user_id=keeper)
                )


def test_an_administrator_configures_a_provider_and_its_mapping_in_the_admin_pages(
    sso_client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    login(sso_client, ADMIN)
    token = csrf_of(sso_client, "/admin/sso")
    base = {"csrf_token": token, "slug": "campus", "kind": "cas", "name_zh": "统一身份认证", "enabled": "1"}
    missing = sso_client.post("/admin/sso", data=base)
    assert missing.status_code == 422 and "Required for this kind of sign-in" in missing.text
    created = sso_client.post(
        "/admin/sso", data={**base, "server_url": "https://cas.example.edu/cas"}, follow_redirects=False
    )
    assert created.status_code == 303
    page = sso_client.get(created.headers["location"])
    assert "http://testserver/sso/campus/cas" in page.text
    mapped = sso_client.post(
        f"{created.headers['location']}/groups",
        data={
            "csrf_token": token,
            "group_name": "office",
            "organisation_id": str(world["cqu"]),
            "role": "member",
        },
    )
    assert mapped.status_code == 200 and "office" in mapped.text
    with factory() as session:
        provider = session.scalar(select(SsoProvider).where(SsoProvider.slug == "campus"))
        assert provider is not None and [m.group_name for m in provider.mappings] == ["office"]
    sso_client.cookies.clear()
    login(sso_client, "cqu@accord.example")
    assert sso_client.get("/admin/sso").status_code == 403
