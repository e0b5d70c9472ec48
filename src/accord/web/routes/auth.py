"""Sign in, sign out, language choice and the user's own account (API tokens, password)."""

from __future__ import annotations

from urllib.parse import urlparse

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from accord.config import Settings
from accord.i18n import LANGUAGES, gettext, normalise
from accord.models import User
from accord.schemas.numbers import parse_id
from accord.services import sessions, sso, users
from accord.services.errors import ValidationFailed
from accord.services.throttle import Limit
from accord.web.deps import (
    SESSION_KEY,
    OptionalPrincipalDep,
    PrincipalDep,
    SessionDep,
    SettingsDep,
    UserDep,
)
from accord.web.forms import FormDep, read_form
from accord.web.language import COOKIE
from accord.web.render import flash, render
from accord.web.security import client_address

router = APIRouter()


def sign_in_policy(settings: Settings) -> users.SignInPolicy:
    """Sign-in throttling as configured: per account name and per client address."""
    return users.SignInPolicy(
        secret=settings.resolved_secret_key(),
        account=Limit(
            "login-account",
            settings.login_max_failures,
            settings.login_lockout_seconds,
            settings.login_lockout_seconds,
        ),
        address=Limit(
            "login-address",
            settings.login_address_max_failures,
            settings.login_lockout_seconds,
            settings.login_lockout_seconds,
        ),
    )


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would let a phishing link borrow our login page.
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/"
    return target


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else the home page."""
    return _safe_next(target)


def start_session(
    request: Request, session: Session, user: User, settings: Settings, target: str
) -> Response:
    """The one place a sign-in (password or single sign-on) becomes a session; answers with the redirect.

    The session is a row of ``user_session``; the cookie carries only its random secret."""
    secret = _start_session(session, user, request, settings)
    request.session.clear()
    request.session[SESSION_KEY] = secret
    response = RedirectResponse(_safe_next(target), status_code=303)
    if user.language:
        response.set_cookie(
            COOKIE,
            user.language,
            max_age=365 * 24 * 3600,
            samesite="lax",
            secure=settings.https,
            httponly=True,
        )
    return response


def login_page(
    request: Request,
    session: Session,
    *,
    next_path: str,
    error: str | None = None,
    email: str = "",
    status: int = 200,
) -> Response:
    """The sign-in page: the enabled providers, and the password form unless local passwords are off."""
    policy = sso.password_policy(session)
    return render(
        request,
        "auth/login.html",
        {
            "next": _safe_next(next_path),
            "error": error,
            "email": email,
            "providers": sso.list_providers(session, enabled_only=True),
            "passwords_on": policy.local_passwords or request.query_params.get("local") == "1",
            "break_glass": not policy.local_passwords,
        },
        status,
    )


@router.get("/login")
def login_form(request: Request, session: SessionDep, principal: OptionalPrincipalDep) -> Response:
    return login_page(request, session, next_path=request.query_params.get("next") or "/")


@router.post("/login")
def login(request: Request, form: FormDep, session: SessionDep, settings: SettingsDep) -> Response:
    # A plain function, run in the thread pool: argon2 takes a few hundred milliseconds.
    flat, _version = read_form(form)
    email = flat.get("email", "").strip()
    result = users.authenticate(
        session,
        email,
        flat.get("password", ""),
        policy=sign_in_policy(settings),
        address=client_address(request),
    )
    session.commit()
    user = result.user
    if user is None:
        # The same words for an unknown address as for an existing one.
        error = (
            gettext("Too many failed attempts. Signing in is paused for a while; try again later.")
            if result.locked
            else gettext("The email address or password is wrong.")
        )
        return login_page(
            request, session, next_path=flat.get("next", "/"), error=error, email=email, status=401
        )
    if not sso.password_allowed(session, user):
        error = gettext(
            "Local passwords are turned off on this site. Please sign in with your organisation's account."
        )
        return login_page(
            request, session, next_path=flat.get("next", "/"), error=error, email=email, status=403
        )
    return start_session(request, session, user, settings, flat.get("next", "/"))


def _start_session(session: Session, user: User, request: Request, settings: Settings) -> str:
    secret = sessions.start(
        session, user, request.headers.get("user-agent", ""), max_age=settings.session_max_age
    )
    session.commit()
    return secret


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    secret = request.session.get(SESSION_KEY)
    if isinstance(secret, str):
        sessions.end_current(session, secret)
        session.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/language")
def choose_language(
    request: Request, form: FormDep, session: SessionDep, user: UserDep, settings: SettingsDep
) -> Response:
    flat, _version = read_form(form)
    language = normalise(flat.get("language"))
    target = _safe_next(flat.get("next"))
    if language not in LANGUAGES:
        flash(request, gettext("Unknown language."), "error")
        return RedirectResponse(target, status_code=303)
    if user is not None:
        user.language = language
        session.commit()
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        language,
        max_age=365 * 24 * 3600,
        samesite="lax",
        secure=settings.https,
        httponly=True,
    )
    return response


def _account_page(request: Request, session: Session, settings: Settings, new_token: str | None) -> Response:
    user = request.state.user
    return render(
        request,
        "auth/account.html",
        {
            "tokens": users.tokens_of(session, user),
            "new_token": new_token,
            "sessions": sessions.sessions_of(session, user, max_age=settings.session_max_age),
            "current_session": getattr(request.state, "session_id", None),
        },
    )


@router.get("/account")
def account(
    request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    return _account_page(request, session, settings, None)


@router.post("/account/tokens")
def create_token(
    request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    flat, _version = read_form(form)
    user = request.state.user
    _token, secret = users.create_token(session, principal, user, flat.get("name", ""))
    session.commit()
    return _account_page(request, session, settings, secret)


@router.post("/account/sessions/end")
def end_sessions(request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep) -> Response:
    """End one of one's own sessions (``session_id``), or without it every other one."""
    flat, _version = read_form(form)
    raw = flat.get("session_id", "")
    if raw:
        sessions.end_one(session, principal, parse_id(raw) or 0)
    else:
        sessions.end_all(session, principal, request.state.user, keep=request.state.session_id)
    session.commit()
    flash(request, gettext("Signed out."))
    return RedirectResponse("/account", status_code=303)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    users.revoke_token(session, principal, token_id)
    session.commit()
    flash(request, gettext("Token revoked."))
    return RedirectResponse("/account", status_code=303)


@router.post("/account/password")
def change_password(
    request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    flat, _version = read_form(form)
    user = request.state.user
    checked = users.authenticate(
        session,
        user.email,
        flat.get("current", ""),
        policy=sign_in_policy(settings),
        address=client_address(request),
    )
    if checked.user is None:
        session.commit()
        flash(request, gettext("The current password is wrong."), "error")
        return RedirectResponse("/account", status_code=303)
    try:
        users.set_password(session, principal, user, flat.get("password", ""))
        session.commit()
    except ValidationFailed as error:
        session.rollback()
        flash(request, error.message, "error")
        return RedirectResponse("/account", status_code=303)
    # The change ended every session and token of the account; this browser gets a new session.
    request.session[SESSION_KEY] = _start_session(session, user, request, settings)
    flash(request, gettext("Password changed. Your other sessions and your API tokens have ended."))
    return RedirectResponse("/account", status_code=303)
