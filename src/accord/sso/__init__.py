"""Single sign-on protocols: OpenID Connect, CAS and LDAP, each turning a sign-in into an ``Identity``.

Pure protocol code: no database, web framework or settings imports. The application passes in the
provider's configuration and secret, and provisions accounts from the ``Identity`` it gets back
(``accord.services.sso``). Every failure is an ``SsoError`` with a stable ``code`` that the pages
translate into the user's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

ErrorCode = Literal[
    "state_mismatch",  # the callback's state is not the one this browser started with
    "provider_error",  # the provider answered the sign-in with an error (e.g. access_denied)
    "token_invalid",  # the ID token failed validation (signature, issuer, audience, nonce, expiry)
    "ticket_invalid",  # the CAS server rejected the service ticket (expired, reused, wrong service)
    "unreachable",  # the provider or directory could not be reached or answered garbage
    "bad_credentials",  # the directory rejected the user name or password
    "no_email",  # the identity carries no e-mail address
    "misconfigured",  # the provider's configuration is incomplete or contradicts the server
]


class SsoError(Exception):
    """A sign-in that did not succeed; ``code`` is stable, ``detail`` is for the log and the admin."""

    def __init__(self, code: ErrorCode, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code: ErrorCode = code
        self.detail = detail[:500]


@dataclass(frozen=True)
class AttributeMap:
    """Which claim or attribute holds each piece of the identity."""

    email: str = "email"
    name: str = "name"
    organisation: str = "organisation"
    unit: str = "unit"
    groups: str = "groups"


@dataclass(frozen=True)
class Identity:
    """Who signed in, as the provider vouches for them."""

    subject: str
    email: str | None
    name: str | None = None
    organisation: str | None = None
    unit: str | None = None
    groups: frozenset[str] = field(default_factory=frozenset)


def first_text(value: Any) -> str | None:
    """A claim's value as one string: the first of a list, stripped; None when empty."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def as_groups(value: Any) -> frozenset[str]:
    """A groups claim (a list, one string, or comma-separated text) as a set of names."""
    if value is None:
        return frozenset()
    items: Iterable[Any] = (
        value if isinstance(value, (list, tuple, set, frozenset)) else str(value).split(",")
    )
    return frozenset(str(item).strip() for item in items if str(item).strip())


def identity_from(subject: str, attributes: Mapping[str, Any], names: AttributeMap) -> Identity:
    """Build an identity from a flat mapping of claims or attributes."""
    email = first_text(attributes.get(names.email))
    return Identity(
        subject=subject,
        email=email.lower() if email else None,
        name=first_text(attributes.get(names.name)),
        organisation=first_text(attributes.get(names.organisation)),
        unit=first_text(attributes.get(names.unit)),
        groups=as_groups(attributes.get(names.groups)),
    )
