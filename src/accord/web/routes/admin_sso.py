"""Administration of single sign-on: providers, their group → role mapping, and the password policy."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from accord.i18n import gettext
from accord.labels import ROLE_LABELS, options
from accord.models import Provisioning, SsoKind, SsoProvider, User
from accord.schemas.sso import GroupRoleIn, PasswordPolicyIn, SsoProviderIn
from accord.services import organisations, records
from accord.services import sso as sso_service
from accord.services.errors import ServiceError
from accord.services.permissions import can_manage_users, require
from accord.services.validation import parse
from accord.web.deps import PrincipalDep, SessionDep, SettingsDep
from accord.web.forms import FormDep, errors_by_field, read_form
from accord.web.render import flash, render

router = APIRouter(prefix="/admin/sso")
CHECKBOXES = ("enabled", "start_tls")


def _kinds() -> list[tuple[str, str]]:
    return [
        (SsoKind.OIDC.value, gettext("OpenID Connect")),
        (SsoKind.CAS.value, gettext("CAS (unified identity authentication)")),
        (SsoKind.LDAP.value, gettext("LDAP / Active Directory")),
    ]


def _provisionings() -> list[tuple[str, str]]:
    return [
        (Provisioning.CREATE.value, gettext("Create an account at first sign-in")),
        (Provisioning.MATCH.value, gettext("Only let in people who already have an account")),
    ]


def _overview(
    request: Request,
    session: SessionDep,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    policy_errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    policy = sso_service.password_policy(session)
    admins = list(session.scalars(select(User).where(User.is_admin.is_(True)).order_by(User.email)))
    return render(
        request,
        "admin/sso.html",
        {
            "providers": sso_service.list_providers(session),
            "policy": policy,
            "admins": [(u.id, u.email) for u in admins],
            "kinds": _kinds(),
            "provisionings": _provisionings(),
            "values": values or {"kind": "oidc", "enabled": "1", "start_tls": "1", "provisioning": "create"},
            "errors": errors or {},
            "policy_errors": policy_errors or {},
        },
        status,
    )


def _provider_page(
    request: Request,
    session: SessionDep,
    provider: SsoProvider,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    checks: list[sso_service.Reachability] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "admin/sso_provider.html",
        {
            "provider": provider,
            "kinds": _kinds(),
            "provisionings": _provisionings(),
            "values": values or sso_service.form_values(provider),
            "errors": errors or {},
            "orgs": organisations.choices(session),
            "roles": options(ROLE_LABELS),
            "checks": checks,
            "callback": sso_service.callback_url(provider, request.app.state.settings),
        },
        status,
    )


def _provider_input(flat: dict[str, str]) -> SsoProviderIn:
    data: dict[str, object] = {k: v for k, v in flat.items() if k in SsoProviderIn.model_fields}
    for name in CHECKBOXES:
        data[name] = flat.get(name) == "1"
    if not data.get("cas_version"):
        data.pop("cas_version", None)
    return parse(SsoProviderIn, data)


@router.get("")
def overview(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    require(can_manage_users(principal))
    return _overview(request, session)


@router.post("")
def create_provider(
    request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, _version = read_form(form)
    try:
        provider = sso_service.save_provider(session, principal, _provider_input(flat))
        session.commit()
    except ServiceError as error:
        session.rollback()
        require(can_manage_users(principal))
        return _overview(
            request,
            session,
            values=flat,
            errors=errors_by_field(error) or {"__all__": error.message},
            status=error.status,
        )
    flash(request, gettext("Sign-in method saved."))
    return RedirectResponse(f"/admin/sso/{provider.id}", status_code=303)


@router.post("/policy")
def save_policy(request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep) -> Response:
    flat, _version = read_form(form)
    try:
        data = parse(
            PasswordPolicyIn,
            {
                "local_passwords": flat.get("local_passwords") == "1",
                "break_glass_user_id": flat.get("break_glass_user_id") or None,
            },
        )
        sso_service.set_password_policy(session, principal, data)
        session.commit()
    except ServiceError as error:
        session.rollback()
        require(can_manage_users(principal))
        return _overview(
            request,
            session,
            policy_errors=errors_by_field(error) or {"__all__": error.message},
            status=error.status,
        )
    flash(request, gettext("Password policy saved."))
    return RedirectResponse("/admin/sso", status_code=303)


@router.get("/{provider_id}")
def show_provider(
    provider_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    require(can_manage_users(principal))
    return _provider_page(request, session, records.get_or_404(session, SsoProvider, provider_id))


@router.post("/{provider_id}")
def update_provider(
    provider_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    require(can_manage_users(principal))
    provider = records.get_or_404(session, SsoProvider, provider_id)
    flat, version = read_form(form)
    try:
        sso_service.save_provider(session, principal, _provider_input(flat), provider, version)
        session.commit()
    except ServiceError as error:
        session.rollback()
        provider = records.get_or_404(session, SsoProvider, provider_id)
        return _provider_page(
            request,
            session,
            provider,
            values=flat,
            errors=errors_by_field(error) or {"__all__": error.message},
            status=error.status,
        )
    flash(request, gettext("Sign-in method saved."))
    return RedirectResponse(f"/admin/sso/{provider_id}", status_code=303)


@router.post("/{provider_id}/delete")
def delete_provider(
    provider_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    sso_service.delete_provider(session, principal, provider_id)
    session.commit()
    flash(request, gettext("Sign-in method removed."))
    return RedirectResponse("/admin/sso", status_code=303)


@router.post("/{provider_id}/check")
def check_provider(
    provider_id: int, request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    require(can_manage_users(principal))
    provider = records.get_or_404(session, SsoProvider, provider_id)
    checks = sso_service.reachability(session, settings, only=provider)
    return _provider_page(request, session, provider, checks=checks)


@router.post("/{provider_id}/groups")
def add_group(
    provider_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, _version = read_form(form)
    try:
        data = parse(
            GroupRoleIn,
            {
                "group_name": flat.get("group_name", ""),
                "organisation_id": flat.get("organisation_id") or None,
                "role": flat.get("role", ""),
            },
        )
        sso_service.add_group_role(session, principal, provider_id, data)
        session.commit()
    except ServiceError as error:
        session.rollback()
        require(can_manage_users(principal))
        flash(request, "; ".join(e.message for e in error.errors) or error.message, "error")
        return RedirectResponse(f"/admin/sso/{provider_id}", status_code=303)
    flash(request, gettext("Group mapped."))
    return RedirectResponse(f"/admin/sso/{provider_id}", status_code=303)


@router.post("/{provider_id}/groups/{mapping_id}/remove")
def remove_group(
    provider_id: int, mapping_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    sso_service.remove_group_role(session, principal, mapping_id)
    session.commit()
    flash(request, gettext("Mapping removed; its members lose the role at their next sign-in."))
    return RedirectResponse(f"/admin/sso/{provider_id}", status_code=303)
