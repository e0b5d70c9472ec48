"""CAS 2.0 / 3.0: send the browser to the CAS server's /login, then validate the service ticket it returns.

CAS 3.0 validates at ``/p3/serviceValidate`` and may release attributes (e-mail, name, groups);
CAS 2.0 validates at ``/serviceValidate`` and names the user only. Responses are the protocol's XML,
read with defusedxml (no entity expansion, no external references).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode
from xml.etree.ElementTree import Element

import httpx
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from accord.sso import AttributeMap, Identity, SsoError, identity_from

NS = "{http://www.yale.edu/tp/cas}"


@dataclass(frozen=True)
class CasConfig:
    """One CAS server: its base URL (``https://cas.example.edu/cas``) and protocol version."""

    server_url: str
    version: Literal["2.0", "3.0"] = "3.0"
    attributes: AttributeMap = field(
        default_factory=lambda: AttributeMap(
            email="mail", name="cn", organisation="o", unit="ou", groups="memberOf"
        )
    )
    timeout: float = 10.0


def login_url(config: CasConfig, service: str, *, renew: bool = False) -> str:
    """Where to send the browser; the CAS server comes back to ``service`` with ``?ticket=ST-…``."""
    query = {"service": service, **({"renew": "true"} if renew else {})}
    return f"{config.server_url.rstrip('/')}/login?{urlencode(query)}"


def validate_url(config: CasConfig) -> str:
    """The ticket validation endpoint of the configured protocol version."""
    path = "/p3/serviceValidate" if config.version == "3.0" else "/serviceValidate"
    return config.server_url.rstrip("/") + path


def validate(
    config: CasConfig, service: str, ticket: str, *, transport: httpx.BaseTransport | None = None
) -> Identity:
    """Ask the CAS server whether ``ticket`` was issued for ``service``; the identity it vouches for."""
    if not ticket.startswith("ST-"):
        raise SsoError("ticket_invalid", "INVALID_TICKET_SPEC: a service ticket starts with ST-")
    try:
        with httpx.Client(timeout=config.timeout, transport=transport) as client:
            response = client.get(validate_url(config), params={"service": service, "ticket": ticket})
            response.raise_for_status()
    except httpx.HTTPError as exc:
        raise SsoError("unreachable", f"{validate_url(config)}: {type(exc).__name__}: {exc}") from exc
    return parse_response(response.content, config.attributes)


def _attributes(node: Element | None) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if node is None:
        return found
    for child in node:
        name = child.tag.removeprefix(NS)
        value = (child.text or "").strip()
        if name in found:  # a repeated element is a multi-valued attribute (memberOf, …)
            previous = found[name]
            found[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            found[name] = value
    return found


def parse_response(body: bytes, names: AttributeMap) -> Identity:
    """Read a ``cas:serviceResponse`` document into an identity, or raise with the server's code."""
    try:
        root = ElementTree.fromstring(body)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise SsoError("unreachable", f"the CAS answer is not valid XML: {exc}") from exc
    if root.tag != f"{NS}serviceResponse":
        raise SsoError("unreachable", f"the CAS answer is a {root.tag}, not a cas:serviceResponse")
    failure = root.find(f"{NS}authenticationFailure")
    if failure is not None:
        code = failure.get("code", "UNKNOWN")
        raise SsoError("ticket_invalid", f"{code}: {(failure.text or '').strip()}")
    success = root.find(f"{NS}authenticationSuccess")
    user = success.findtext(f"{NS}user", "").strip() if success is not None else ""
    if success is None or not user:
        raise SsoError("unreachable", "the CAS answer names no user")
    attributes = _attributes(success.find(f"{NS}attributes"))
    return identity_from(user, attributes, names)
