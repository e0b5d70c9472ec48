"""Notice channels: an organisation's messenger robots, webhooks and mailboxes (its coordinators), and a
person's own (on their account): added, changed, turned off and on, removed, and sent a test message.
Changing and turning off go through ``notice_targets.update``, as the API's PUT does."""

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
from accord.web.saving import save_or_flash, save_or_rerender

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


def _edit_page(
    request: Request,
    target: NoticeTarget,
    *,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "channels/edit.html",
        {
            "target": target,
            "back": _back(target.organisation_id),
            "platforms": [(p.value, platform_label(p)) for p in CHANNEL_PLATFORM_LABELS],
            "values": values,
            "errors": errors or {},
        },
        status=status,
    )


def _stored(target: NoticeTarget) -> dict[str, str]:
    """The form's fields as the channel has them; the address and secret stay blank (kept unless typed)."""
    return {
        "platform": target.platform.value,
        "label": target.label,
        "language": target.language or "",
        "enabled": "1" if target.enabled else "0",
    }


@router.get("/channels/{channel_id}/edit")
def edit_channel_form(
    channel_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    target = notice_targets.get(session, principal, channel_id)
    return _edit_page(request, target, values=_stored(target))


@router.post("/channels/{channel_id}/edit")
def edit_channel(
    channel_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    target = notice_targets.get(session, principal, channel_id)
    flat, _version = read_form(form)
    values = {k: v for k, v in flat.items() if k in NoticeTargetIn.model_fields}
    values["enabled"] = "1" if flat.get("enabled") == "1" else "0"  # an unticked box sends nothing
    if target.organisation_id is None:  # a person's channel follows the person's language: kept as stored
        values["language"] = target.language or ""

    def rerender(error: ValidationFailed) -> Response:
        shown = {k: v for k, v in values.items() if k != "secret"}
        return _edit_page(request, target, values=shown, errors=errors_by_field(error), status=error.status)

    return save_or_rerender(
        request,
        session,
        lambda: notice_targets.update(
            session, principal, settings, channel_id, parse(NoticeTargetIn, values)
        ),
        rerender,
        gettext("Channel saved."),
        _back(target.organisation_id),
    )


@router.post("/channels/{channel_id}/enabled")
def switch_channel(
    channel_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    """Turn a channel off (``enabled=0``) or on (``enabled=1``), keeping everything else as it is."""
    target = notice_targets.get(session, principal, channel_id)
    flat, _version = read_form(form)
    values = _stored(target) | {"enabled": "1" if flat.get("enabled") == "1" else "0"}
    on = values["enabled"] == "1"
    return save_or_flash(
        request,
        session,
        lambda: notice_targets.update(
            session, principal, settings, channel_id, parse(NoticeTargetIn, values)
        ),
        message=gettext("Channel turned on.")
        if on
        else gettext("Channel turned off: nothing is sent to it."),
        target=_back(target.organisation_id),
    )


@router.post("/channels/{channel_id}/delete")
def delete_channel(
    channel_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    back = _back(notice_targets.get(session, principal, channel_id).organisation_id)
    notice_targets.delete(session, principal, channel_id)
    session.commit()
    flash(request, gettext("Channel removed."))
    return RedirectResponse(back, status_code=303)
