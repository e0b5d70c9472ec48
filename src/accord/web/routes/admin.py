"""Account administration (admins only): users and their roles per organisation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from starlette.responses import RedirectResponse, Response

from accord.i18n import gettext
from accord.labels import ROLE_LABELS, options
from accord.models import Membership, Role, User
from accord.schemas.numbers import parse_id
from accord.services import organisations, records, sessions, users
from accord.services.errors import ServiceError
from accord.services.permissions import can_manage_users, require
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.forms import FormDep, errors_by_field, read_form
from accord.web.render import flash, render

router = APIRouter(prefix="/admin")


def _page(
    request: Request, session: SessionDep, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    return render(
        request,
        "admin/users.html",
        {
            "users": list(
                session.scalars(
                    select(User)
                    .options(selectinload(User.memberships).joinedload(Membership.organisation))
                    .order_by(User.email)
                )
            ),
            "orgs": organisations.choices(session),
            "roles": options(ROLE_LABELS),
            "values": values,
            "errors": errors,
        },
        status=status,
    )


@router.get("/users")
def list_users(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    require(can_manage_users(principal))
    return _page(request, session, {}, {})


@router.post("/users")
def create_user(request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep) -> Response:
    flat, _version = read_form(form)
    try:
        users.create_user(
            session,
            principal,
            email=flat.get("email", ""),
            display_name=flat.get("display_name", ""),
            password=flat.get("password", ""),
            is_admin=flat.get("is_admin") == "1",
            language=flat.get("language") or None,
        )
        session.commit()
    except ServiceError as error:
        session.rollback()
        return _page(
            request, session, flat, errors_by_field(error) or {"email": error.message}, status=error.status
        )
    flash(request, gettext("Account created."))
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{user_id}/roles")
def grant_role(
    user_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    require(can_manage_users(principal))  # before looking the account up: no existence oracle
    flat, _version = read_form(form)
    user = records.get_or_404(session, User, user_id)
    org = flat.get("organisation_id", "")
    role = flat.get("role", "")
    organisation_id = parse_id(org)
    if organisation_id is None or role not in {r.value for r in Role}:
        flash(request, gettext("Choose an organisation and a role."), "error")
        return RedirectResponse("/admin/users", status_code=303)
    users.grant_role(session, principal, user, organisation_id, Role(role))
    session.commit()
    flash(request, gettext("Role granted."))
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{user_id}/sessions/end")
def sign_out_everywhere(
    user_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    """End every session of an account (a lost laptop, a departed colleague)."""
    require(can_manage_users(principal))
    user = records.get_or_404(session, User, user_id)
    ended = sessions.end_all(session, principal, user)
    session.commit()
    flash(request, gettext("{email} was signed out of {n} sessions.", email=user.email, n=ended))
    return RedirectResponse("/admin/users", status_code=303)
