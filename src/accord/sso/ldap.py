"""LDAP and Active Directory: find the person with a service account, then bind as them with their password.

The connection is encrypted with StartTLS (``ldap://`` plus ``start_tls``) or LDAPS (``ldaps://``),
and the server certificate is always checked (against ``ca_file`` when given, else the system's
trust store). Groups come from the person's ``memberOf`` values (Active Directory, or OpenLDAP with
the memberof overlay) and, when ``group_base_dn`` is set, from a search for groups listing them.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field

from ldap3 import NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException, LDAPSocketOpenError, LDAPStartTLSError
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import parse_dn

from accord.sso import AttributeMap, Identity, SsoError, identity_from


@dataclass(frozen=True)
class LdapConfig:
    """One directory as the administrator configured it (the bind password comes from the settings)."""

    url: str
    base_dn: str
    user_filter: str = "(uid={username})"
    bind_dn: str = ""
    bind_password: str = ""
    start_tls: bool = True
    ca_file: str = ""
    group_base_dn: str = ""
    group_filter: str = "(member={dn})"
    group_name_attribute: str = "cn"
    attributes: AttributeMap = field(
        default_factory=lambda: AttributeMap(
            email="mail", name="cn", organisation="o", unit="ou", groups="memberOf"
        )
    )
    timeout: float = 10.0


def _server(config: LdapConfig) -> Server:
    tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=config.ca_file or None)
    return Server(
        config.url,
        use_ssl=config.url.lower().startswith("ldaps://"),
        tls=tls,
        get_info=NONE,
        connect_timeout=config.timeout,
    )


def _open(config: LdapConfig, user: str, password: str) -> Connection:
    """A bound connection; raises LDAPException subclasses, which the caller sorts out."""
    connection = Connection(
        _server(config),
        user=user or None,
        password=password or None,
        auto_bind=False,
        receive_timeout=max(1, int(config.timeout)),
        raise_exceptions=False,
    )
    connection.open()
    if config.start_tls and not config.url.lower().startswith("ldaps://"):
        connection.start_tls()
    if not connection.bind():
        result = connection.result or {}
        connection.unbind()
        raise _BindRefused(str(result.get("description", "")), str(result.get("message", "")))
    return connection


class _BindRefused(Exception):
    def __init__(self, description: str, message: str) -> None:
        super().__init__(f"{description}: {message}".strip(": "))
        self.description = description


def _first_rdn_value(dn: str) -> str:
    try:
        return str(parse_dn(dn)[0][1])
    except (LDAPException, IndexError):
        return dn


def authenticate(config: LdapConfig, username: str, password: str) -> Identity:
    """The directory's identity for ``username`` once their password binds; raises ``SsoError``."""
    username = username.strip()
    if not username or not password:
        # An empty password would be an "unauthenticated bind", which many servers accept.
        raise SsoError("bad_credentials", "user name and password are required")
    names = config.attributes
    wanted = sorted({names.email, names.name, names.organisation, names.unit, names.groups} - {""})
    try:
        service = _open(config, config.bind_dn, config.bind_password)
    except _BindRefused as exc:
        raise SsoError("misconfigured", f"the service account could not bind: {exc}") from exc
    except (LDAPSocketOpenError, LDAPStartTLSError, LDAPException, OSError) as exc:
        raise SsoError("unreachable", f"{config.url}: {type(exc).__name__}: {exc}") from exc
    try:
        query = config.user_filter.replace("{username}", escape_filter_chars(username))
        service.search(config.base_dn, query, SUBTREE, attributes=wanted, size_limit=2)
        entries = list(service.entries)
        if len(entries) != 1:
            # None or ambiguous: report both as wrong credentials, so names cannot be probed.
            raise SsoError("bad_credentials", f"{len(entries)} entries match {query}")
        entry = entries[0]
        dn = entry.entry_dn
        attributes = {name: entry[name].values for name in wanted if name in entry}
        groups = {_first_rdn_value(str(g)) for g in attributes.pop(names.groups, [])}
        if config.group_base_dn:
            group_query = config.group_filter.replace("{dn}", escape_filter_chars(dn)).replace(
                "{username}", escape_filter_chars(username)
            )
            service.search(
                config.group_base_dn, group_query, SUBTREE, attributes=[config.group_name_attribute]
            )
            for group in service.entries:
                values = group[config.group_name_attribute].values
                groups.update(str(v) for v in values)
    except LDAPException as exc:
        raise SsoError("unreachable", f"{config.url}: search failed: {exc}") from exc
    finally:
        service.unbind()
    try:
        personal = _open(config, dn, password)
    except _BindRefused as exc:
        raise SsoError("bad_credentials", str(exc)) from exc
    except (LDAPException, OSError) as exc:
        raise SsoError("unreachable", f"{config.url}: {type(exc).__name__}: {exc}") from exc
    personal.unbind()
    attributes[names.groups] = sorted(groups)
    return identity_from(dn, attributes, names)


def reachable(config: LdapConfig) -> str | None:
    """None when the directory answers and the service account binds, else what went wrong."""
    try:
        _open(config, config.bind_dn, config.bind_password).unbind()
    except _BindRefused as exc:
        return f"the service account could not bind: {exc}"
    except (LDAPException, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None
