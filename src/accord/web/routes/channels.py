"""Notice channels: an organisation's messenger robots, webhooks and mailboxes (its coordinators), and a
person's own (on their account), with a button that sends a test message."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from accord.i18n import gettext
from accord.labels import CHANNEL_PLATFORM_LABELS, choice_label
from accord.models import NoticeChannel, NoticeTarget
from accord.schemas.notice_targets import NoticeTargetIn
from accord.services import notice_targets, notices, organisations
from accord.services.errors import ValidationFailed
from accord.services.permissions import Principal
from accord.services.validation import parse
from accord.web.deps import PrincipalDep, SessionDep, SettingsDep
from accord.web.forms import FormDep, errors_by_field, read_form
from accord.web.render import flash, render
from accord.web.saving import save_or_rerender

router = APIRouter()


def platform_label(platform: NoticeChannel) -> str:
    """The translated name of a channel's platform."""
    return choice_label(CHANNEL_PLATFORM_LABELS, platform)


def _page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    organisation_id: int | None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    if organisation_id is not None:
        organisation = organisations.get_organisation(session, principal, organisation_id)
        targets = notice_targets.list_for_organisation(session, principal, organisation_id)
        action = f"/organisations/{organisation_id}/channels"
    else:
        organisation = None
        targets = notice_targets.list_own(session, principal)
        action = "/account/channels"
    return render(
        request,
        "channels/list.html",
        {
            "organisation": organisation,
            "targets": targets,
            "failures": notice_targets.last_failures(session, [t.id for t in targets]),
            "action": action,
            "platforms": [(p.value, platform_label(p)) for p in CHANNEL_PLATFORM_LABELS],
            "platform_label": platform_label,
            "values": values or {},
            "errors": errors or {},
        },
        status=status,
    )


def _create(
    request: Request,
    form: Any,
    session: Session,
    principal: Principal,
    settings: Any,
    organisation_id: int | None,
) -> Response:
    flat, _version = read_form(form)
    values = {k: v for k, v in flat.items() if k in NoticeTargetIn.model_fields}

    def rerender(error: ValidationFailed) -> Response:
        flat.pop("secret", None)
        return _page(
            request,
            session,
            principal,
            organisation_id=organisation_id,
            values=flat,
            errors=errors_by_field(error),
            status=error.status,
        )

    return save_or_rerender(
        request,
        session,
        lambda: notice_targets.create(
            session, principal, settings, parse(NoticeTargetIn, values), organisation_id=organisation_id
        ),
        rerender,
        gettext("Channel added. Send it a test message to check it."),
        _back(organisation_id),
    )


def _back(organisation_id: int | None) -> str:
    return (
        f"/organisations/{organisation_id}/channels" if organisation_id is not None else "/account/channels"
    )


@router.get("/account/channels")
def own_channels(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    return _page(request, session, principal, organisation_id=None)


@router.post("/account/channels")
def add_own_channel(
    request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    return _create(request, form, session, principal, settings, None)


@router.get("/organisations/{organisation_id}/channels")
def organisation_channels(
    organisation_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _page(request, session, principal, organisation_id=organisation_id)


@router.post("/organisations/{organisation_id}/channels")
def add_organisation_channel(
    organisation_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    return _create(request, form, session, principal, settings, organisation_id)


@router.post("/channels/{channel_id}/test")
def test_channel(
    channel_id: int, request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    target: NoticeTarget = notice_targets.get(session, principal, channel_id)
    back = _back(target.organisation_id)
    result = notices.send_channel_test(session, principal, settings, channel_id)
    session.commit()
    if result.ok:
        flash(request, gettext("The test message was delivered."))
    else:
        flash(
            request, gettext("The test message was not delivered: {error}", error=result.error or ""), "error"
        )
    return RedirectResponse(back, status_code=303)


@router.post("/channels/{channel_id}/delete")
def delete_channel(
    channel_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    back = _back(notice_targets.get(session, principal, channel_id).organisation_id)
    notice_targets.delete(session, principal, channel_id)
    session.commit()
    flash(request, gettext("Channel removed."))
    return RedirectResponse(back, status_code=303)
