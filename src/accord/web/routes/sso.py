"""Single sign-on pages: start a sign-in at a provider, come back from it, or sign in with a directory password."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from accord.config import Settings
from accord.i18n import gettext
from accord.models import SsoKind, SsoProvider
from accord.services import sso as sso_service
from accord.services.errors import NotFound
from accord.services.sso import SignInRefused
from accord.sso import SsoError, cas, ldap, oidc
from accord.web.deps import SessionDep, SettingsDep
from accord.web.forms import FormDep, read_form
from accord.web.render import render
from accord.web.routes.auth import login_page, safe_next, start_session

log = logging.getLogger(__name__)
router = APIRouter(prefix="/sso")
PENDING = "sso_pending"
_STATUS = {
    "state_mismatch": 400,
    "unreachable": 502,
    "misconfigured": 502,
    "bad_credentials": 401,
}


def _failed(
    request: Request, session: Session, provider: SsoProvider, code: str, detail: str, next_path: str
) -> Response:
    log.warning("sign-in with %s failed: %s %s", provider.slug, code, detail)
    status = _STATUS.get(code, 403 if code in {"not_provisioned", "account_disabled"} else 401)
    if provider.kind is SsoKind.LDAP and code in {"bad_credentials", "unreachable", "misconfigured"}:
        return _ldap_form(request, provider, next_path, sso_service.error_message(code), status)
    return login_page(
        request, session, next_path=next_path, error=sso_service.error_message(code), status=status
    )


def _ldap_form(
    request: Request, provider: SsoProvider, next_path: str, error: str | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "auth/ldap.html",
        {"provider": provider, "next": safe_next(next_path), "error": error},
        status,
    )


def _complete(
    request: Request,
    session: Session,
    settings: Settings,
    provider: SsoProvider,
    identity: Any,
    next_path: str,
) -> Response:
    try:
        user = sso_service.sign_in(session, provider, identity)
        session.commit()
    except SignInRefused as refused:
        session.rollback()
        return _failed(request, session, provider, refused.code, identity.subject, next_path)
    return start_session(request, session, user, settings, next_path)


@router.get("/{slug}")
def start(slug: str, request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """Send the browser to the provider (OpenID Connect, CAS), or show the directory's sign-in form."""
    provider = sso_service.provider_by_slug(session, slug)
    next_path = safe_next(request.query_params.get("next"))
    if not provider.enabled:
        return _failed(request, session, provider, "disabled_provider", "", next_path)
    if provider.kind is SsoKind.LDAP:
        return _ldap_form(request, provider, next_path)
    callback = sso_service.callback_url(provider, settings)
    if provider.kind is SsoKind.CAS:
        request.session[PENDING] = {"slug": slug, "next": next_path}
        return RedirectResponse(cas.login_url(sso_service.cas_config(provider, settings), callback), 303)
    config = sso_service.oidc_config(provider, settings)
    try:
        metadata = oidc.discover(config)
    except SsoError as exc:
        return _failed(request, session, provider, exc.code, exc.detail, next_path)
    url, pending = oidc.begin(config, metadata, callback)
    request.session[PENDING] = {"slug": slug, "next": next_path, **pending.as_dict()}
    return RedirectResponse(url, 303)


def _take_pending(request: Request, slug: str) -> dict[str, Any]:
    pending = request.session.pop(PENDING, None)
    if not isinstance(pending, dict) or pending.get("slug") != slug:
        return {}
    return pending


@router.get("/{slug}/callback")
def oidc_callback(slug: str, request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The OpenID provider's redirect back: check state, exchange the code, validate the ID token."""
    provider = sso_service.provider_by_slug(session, slug)
    pending = _take_pending(request, slug)
    next_path = safe_next(pending.get("next"))
    if provider.kind is not SsoKind.OIDC:
        raise NotFound(gettext("This page does not exist."))
    config = sso_service.oidc_config(provider, settings)
    try:
        expected = oidc.Pending.from_dict(pending)
        if expected is None:
            raise SsoError("state_mismatch", "no sign-in was started in this browser")
        metadata = oidc.discover(config)
        identity = oidc.finish(
            config,
            metadata,
            sso_service.callback_url(provider, settings),
            expected,
            dict(request.query_params),
        )
    except SsoError as exc:
        return _failed(request, session, provider, exc.code, exc.detail, next_path)
    return _complete(request, session, settings, provider, identity, next_path)


@router.get("/{slug}/cas")
def cas_callback(slug: str, request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The CAS server's redirect back with a service ticket, validated with the server."""
    provider = sso_service.provider_by_slug(session, slug)
    pending = _take_pending(request, slug)
    next_path = safe_next(pending.get("next"))
    if provider.kind is not SsoKind.CAS:
        raise NotFound(gettext("This page does not exist."))
    try:
        identity = cas.validate(
            sso_service.cas_config(provider, settings),
            sso_service.callback_url(provider, settings),
            request.query_params.get("ticket", ""),
        )
    except SsoError as exc:
        return _failed(request, session, provider, exc.code, exc.detail, next_path)
    return _complete(request, session, settings, provider, identity, next_path)


@router.post("/{slug}")
def ldap_sign_in(
    slug: str, request: Request, form: FormDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """Sign in with the directory's user name and password."""
    provider = sso_service.provider_by_slug(session, slug)
    flat, _version = read_form(form)
    next_path = safe_next(flat.get("next"))
    if provider.kind is not SsoKind.LDAP:
        raise NotFound(gettext("This page does not exist."))
    if not provider.enabled:
        return _failed(request, session, provider, "disabled_provider", "", next_path)
    try:
        identity = ldap.authenticate(
            sso_service.ldap_config(provider, settings), flat.get("username", ""), flat.get("password", "")
        )
    except SsoError as exc:
        return _failed(request, session, provider, exc.code, exc.detail, next_path)
    return _complete(request, session, settings, provider, identity, next_path)
