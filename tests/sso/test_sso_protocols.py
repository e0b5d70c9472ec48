"""The protocol engines against real servers: LDAP over StartTLS and LDAPS, CAS 2.0/3.0 XML, OpenID discovery."""

from __future__ import annotations

import httpx
import pytest

from accord.sso import AttributeMap, SsoError
from accord.sso.cas import CasConfig, parse_response, validate
from accord.sso.ldap import LdapConfig, authenticate, reachable
from accord.sso.oidc import OidcConfig, discover
from tests.sso.cas_server import CasServer
from tests.sso.slapd import SERVICE_DN, SERVICE_PASSWORD, SUFFIX, Slapd, free_port


def _ldap(slapd: Slapd, **changes: object) -> LdapConfig:
    values: dict[str, object] = {
        "url": slapd.url,
        "base_dn": SUFFIX,
        "bind_dn": SERVICE_DN,
        "bind_password": SERVICE_PASSWORD,
        "ca_file": slapd.ca_file,
        "group_base_dn": f"ou=groups,{SUFFIX}",
        "timeout": 3.0,
    }
    values.update(changes)
    return LdapConfig(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("transport", ["starttls", "ldaps"])
def test_a_directory_password_gives_the_person_with_their_groups(slapd: Slapd, transport: str) -> None:
    config = _ldap(slapd) if transport == "starttls" else _ldap(slapd, url=slapd.ldaps_url, start_tls=False)
    identity = authenticate(config, "lihua", "lihua-password-1")
    assert identity.subject == f"uid=lihua,ou=people,{SUFFIX}"
    assert identity.email == "lihua@campus.example"
    assert identity.name == "李华"
    assert identity.organisation == "Chongqing University"
    assert identity.unit == "School of Civil Engineering"
    assert identity.groups == {"cooperation-office", "all-staff"}
    assert reachable(config) is None


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("lihua", "wrong-password"),
        ("nobody", "whatever"),
        ("*", "whatever"),
        ("lihua)(uid=*", "x"),
        ("lihua", ""),
    ],
)
def test_wrong_names_passwords_and_filter_injection_are_refused_alike(
    slapd: Slapd, username: str, password: str
) -> None:
    with pytest.raises(SsoError) as caught:
        authenticate(_ldap(slapd), username, password)
    assert caught.value.code == "bad_credentials"


def test_a_directory_certificate_that_is_not_trusted_is_refused(slapd: Slapd) -> None:
    with pytest.raises(SsoError) as caught:
        authenticate(_ldap(slapd, ca_file=""), "lihua", "lihua-password-1")
    assert caught.value.code == "unreachable"
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.detail


def test_an_unreachable_directory_says_so() -> None:
    config = LdapConfig(url=f"ldap://127.0.0.1:{free_port()}", base_dn=SUFFIX, timeout=2.0)
    with pytest.raises(SsoError) as caught:
        authenticate(config, "lihua", "lihua-password-1")
    assert caught.value.code == "unreachable"
    assert reachable(config) is not None


def test_a_wrong_service_password_is_a_configuration_error(slapd: Slapd) -> None:
    with pytest.raises(SsoError) as caught:
        authenticate(_ldap(slapd, bind_password="wrong"), "lihua", "lihua-password-1")
    assert caught.value.code == "misconfigured"


def test_cas3_releases_attributes_and_cas2_names_the_user_only(cas_server: CasServer) -> None:
    service = "http://testserver/sso/campus/cas"
    identity = validate(CasConfig(cas_server.url), service, cas_server.issue("wangfang", service))
    assert identity.subject == "wangfang"
    assert identity.email == "wangfang@campus.example"
    assert identity.groups == {"cooperation-office", "all-staff"}
    bare = validate(CasConfig(cas_server.url, version="2.0"), service, cas_server.issue("wangfang", service))
    assert bare.subject == "wangfang"
    assert bare.email is None


@pytest.mark.parametrize("case", ["expired", "reused", "other_service", "unknown", "not_a_service_ticket"])
def test_cas_tickets_that_must_not_work_are_refused(cas_server: CasServer, case: str) -> None:
    service = "http://testserver/sso/campus/cas"
    config = CasConfig(cas_server.url)
    ticket = cas_server.issue("wangfang", service)
    if case == "expired":
        cas_server.age_tickets(3600)
    elif case == "reused":
        validate(config, service, ticket)
    elif case == "other_service":
        service = "http://elsewhere.example/"
    elif case == "unknown":
        ticket = "ST-never-issued"
    else:
        ticket = "PT-proxy-ticket"
    with pytest.raises(SsoError) as caught:
        validate(config, service, ticket)
    assert caught.value.code == "ticket_invalid"


def test_cas_answers_that_are_not_the_protocol_are_refused() -> None:
    for body in (b"<html>maintenance</html>", b"not xml", b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"):
        with pytest.raises(SsoError) as caught:
            parse_response(body, AttributeMap())
        assert caught.value.code == "unreachable"


def test_discovery_checks_that_the_provider_is_the_configured_issuer(oidc_issuer: str) -> None:
    metadata = discover(OidcConfig(issuer=oidc_issuer, client_id="accord"))
    assert metadata["issuer"] == oidc_issuer
    impostor = httpx.MockTransport(
        lambda request: httpx.Response(200, json={**metadata, "issuer": "https://elsewhere.example"})
    )
    with pytest.raises(SsoError) as caught:
        discover(OidcConfig(issuer=oidc_issuer, client_id="accord"), transport=impostor)
    assert caught.value.code == "misconfigured"
    with pytest.raises(SsoError) as caught:
        discover(OidcConfig(issuer=f"http://127.0.0.1:{free_port()}", client_id="accord", timeout=2))
    assert caught.value.code == "unreachable"
