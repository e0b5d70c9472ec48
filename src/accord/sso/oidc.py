"""OpenID Connect: authorisation code flow with PKCE (S256), discovery, state and nonce, ID-token checks.

Authlib builds the authorisation URL and the S256 code challenge; the code is exchanged over httpx
(Authlib's own httpx client is being moved to another HTTP library); joserfc verifies the ID token's
signature against the provider's published keys and Authlib's ``CodeIDToken`` checks issuer,
audience, expiry, nonce and ``at_hash``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from accord.sso import AttributeMap, Identity, SsoError, identity_from

DISCOVERY = "/.well-known/openid-configuration"
LEEWAY_SECONDS = 120


@dataclass(frozen=True)
class OidcConfig:
    """One OpenID provider as the administrator configured it (the secret comes from the settings)."""

    issuer: str
    client_id: str
    client_secret: str = ""
    scopes: str = "openid email profile"
    attributes: AttributeMap = field(default_factory=AttributeMap)
    timeout: float = 10.0


@dataclass(frozen=True)
class Pending:
    """What the browser's session keeps between the redirect to the provider and the callback."""

    state: str
    nonce: str
    code_verifier: str

    def as_dict(self) -> dict[str, str]:
        """JSON-ready form for the signed session cookie."""
        return {"state": self.state, "nonce": self.nonce, "code_verifier": self.code_verifier}

    @classmethod
    def from_dict(cls, data: Any) -> Pending | None:
        """The pending sign-in kept in the session, or None when absent or malformed."""
        if not isinstance(data, Mapping):
            return None
        state, nonce, verifier = (data.get(k) for k in ("state", "nonce", "code_verifier"))
        if not (isinstance(state, str) and isinstance(nonce, str) and isinstance(verifier, str)):
            return None
        if not (state and nonce and verifier):
            return None
        return cls(state, nonce, verifier)


def discover(config: OidcConfig, *, transport: httpx.BaseTransport | None = None) -> dict[str, Any]:
    """The provider's metadata from its discovery document; its issuer must be the configured one."""
    url = config.issuer.rstrip("/") + DISCOVERY
    try:
        with httpx.Client(timeout=config.timeout, transport=transport) as client:
            response = client.get(url)
            response.raise_for_status()
            metadata = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SsoError("unreachable", f"{url}: {type(exc).__name__}: {exc}") from exc
    if not isinstance(metadata, dict):
        raise SsoError("unreachable", f"{url}: the discovery document is not a JSON object")
    for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(key), str):
            raise SsoError("misconfigured", f"the discovery document has no {key}")
    if metadata["issuer"].rstrip("/") != config.issuer.rstrip("/"):
        raise SsoError(
            "misconfigured", f"the provider calls itself {metadata['issuer']}, not {config.issuer}"
        )
    return metadata


def begin(config: OidcConfig, metadata: Mapping[str, Any], redirect_uri: str) -> tuple[str, Pending]:
    """The provider's sign-in URL and the state, nonce and PKCE verifier to keep until the callback."""
    pending = Pending(state=generate_token(32), nonce=generate_token(32), code_verifier=generate_token(64))
    url = prepare_grant_uri(
        metadata["authorization_endpoint"],
        client_id=config.client_id,
        response_type="code",
        redirect_uri=redirect_uri,
        scope=config.scopes,
        state=pending.state,
        nonce=pending.nonce,
        code_challenge=create_s256_code_challenge(pending.code_verifier),
        code_challenge_method="S256",
    )
    return str(url), pending


def _exchange(
    config: OidcConfig,
    metadata: Mapping[str, Any],
    redirect_uri: str,
    code: str,
    verifier: str,
    transport: httpx.BaseTransport | None,
) -> dict[str, Any]:
    """POST the code and the PKCE verifier to the token endpoint (client_secret_post, or none)."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": config.client_id,
        "code_verifier": verifier,
    }
    if config.client_secret:
        form["client_secret"] = config.client_secret
    try:
        with httpx.Client(timeout=config.timeout, transport=transport) as client:
            response = client.post(
                metadata["token_endpoint"], data=form, headers={"Accept": "application/json"}
            )
        token = response.json()
    except httpx.HTTPError as exc:
        raise SsoError("unreachable", f"token endpoint: {type(exc).__name__}: {exc}") from exc
    except ValueError as exc:
        raise SsoError("unreachable", f"token endpoint: HTTP {response.status_code}, not JSON") from exc
    if not isinstance(token, dict):
        raise SsoError("unreachable", "token endpoint: the answer is not a JSON object")
    if response.status_code != 200 or "error" in token:
        raise SsoError(
            "provider_error",
            f"token endpoint: HTTP {response.status_code}: {token.get('error')}: {token.get('error_description', '')}",
        )
    return token


def finish(
    config: OidcConfig,
    metadata: Mapping[str, Any],
    redirect_uri: str,
    pending: Pending | None,
    params: Mapping[str, str],
    *,
    transport: httpx.BaseTransport | None = None,
) -> Identity:
    """Check the callback, exchange the code (with the PKCE verifier) and validate the ID token."""
    state = params.get("state", "")
    if pending is None or not secrets.compare_digest(state.encode(), pending.state.encode()):
        raise SsoError("state_mismatch", "the callback's state does not match this browser's sign-in")
    if params.get("error"):
        raise SsoError("provider_error", f"{params['error']}: {params.get('error_description', '')}")
    code = params.get("code")
    if not code:
        raise SsoError("provider_error", "the callback carries no code")
    token = _exchange(config, metadata, redirect_uri, code, pending.code_verifier, transport)
    if not isinstance(token.get("id_token"), str):
        raise SsoError("token_invalid", "the token response has no id_token")
    claims = validate_id_token(config, metadata, token, pending.nonce, transport=transport)
    return identity_from(str(claims["sub"]), claims, config.attributes)


def _keys(metadata: Mapping[str, Any], timeout: float, transport: httpx.BaseTransport | None) -> KeySet:
    try:
        with httpx.Client(timeout=timeout, transport=transport) as client:
            response = client.get(metadata["jwks_uri"])
            response.raise_for_status()
            return KeySet.import_key_set(response.json())
    except (httpx.HTTPError, ValueError, JoseError) as exc:
        raise SsoError("unreachable", f"jwks_uri: {type(exc).__name__}: {exc}") from exc


def validate_id_token(
    config: OidcConfig,
    metadata: Mapping[str, Any],
    token: Mapping[str, Any],
    nonce: str,
    *,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, times, nonce and at_hash hold."""
    algorithms = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    try:
        decoded = jwt.decode(
            token["id_token"],
            key=_keys(metadata, config.timeout, transport),
            registry=JWSRegistry(algorithms=[a for a in algorithms if a != "none"]),
        )
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "value": metadata["issuer"]},
                "aud": {"essential": True, "value": config.client_id},
                "nonce": {"essential": True},
            },
            {"nonce": nonce, "client_id": config.client_id, "access_token": token.get("access_token")},
        )
        claims.validate(leeway=LEEWAY_SECONDS)
    except (JoseError, ValueError) as exc:
        raise SsoError("token_invalid", f"{type(exc).__name__}: {exc}") from exc
    return dict(claims)
