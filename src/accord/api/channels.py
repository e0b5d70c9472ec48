"""Notice channels in the JSON API: an organisation's (its coordinators) and the caller's own."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, status
from starlette.responses import Response

from accord.api.deps import ApiPrincipal
from accord.deps import SessionDep, SettingsDep
from accord.schemas.common import MAX_ID
from accord.schemas.notice_targets import ChannelTestOut, NoticeTargetIn, NoticeTargetOut
from accord.services import notice_targets, notices

router = APIRouter(tags=["notice channels"])

OrganisationId = Path(gt=0, le=MAX_ID, description="Id of the organisation.", examples=[1])
ChannelId = Path(gt=0, le=MAX_ID, description="Id of the channel.", examples=[4])


@router.get(
    "/organisations/{organisation_id}/channels",
    response_model=list[NoticeTargetOut],
    summary="List an organisation's notice channels",
    description="The organisation's messenger robots, webhooks and mailboxes, with masked addresses; for its "
    "coordinators.",
)
def list_organisation_channels(
    session: SessionDep, principal: ApiPrincipal, organisation_id: int = OrganisationId
) -> Any:
    return notice_targets.list_for_organisation(session, principal, organisation_id)


@router.post(
    "/organisations/{organisation_id}/channels",
    response_model=NoticeTargetOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add a notice channel to an organisation",
    description="Add a WeCom, DingTalk or Feishu robot, a Slack or Teams webhook, a signed webhook or a "
    "mailbox; it receives the organisation's rung of the escalation chain.",
)
def add_organisation_channel(
    data: NoticeTargetIn,
    session: SessionDep,
    principal: ApiPrincipal,
    settings: SettingsDep,
    organisation_id: int = OrganisationId,
) -> Any:
    target = notice_targets.create(session, principal, settings, data, organisation_id=organisation_id)
    session.commit()
    return target


@router.get(
    "/me/channels",
    response_model=list[NoticeTargetOut],
    summary="List your notice channels",
    description="Your own channels: they receive what you receive by e-mail.",
)
def list_own_channels(session: SessionDep, principal: ApiPrincipal) -> Any:
    return notice_targets.list_own(session, principal)


@router.post(
    "/me/channels",
    response_model=NoticeTargetOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add a notice channel of your own",
    description="Add a channel that receives your reminders and escalations besides your e-mail.",
)
def add_own_channel(
    data: NoticeTargetIn, session: SessionDep, principal: ApiPrincipal, settings: SettingsDep
) -> Any:
    target = notice_targets.create(session, principal, settings, data)
    session.commit()
    return target


@router.put(
    "/channels/{channel_id}",
    response_model=NoticeTargetOut,
    summary="Change a notice channel",
    description="Replace the channel's fields; a blank or missing address or secret keeps the stored one.",
)
def update_channel(
    data: NoticeTargetIn,
    session: SessionDep,
    principal: ApiPrincipal,
    settings: SettingsDep,
    channel_id: int = ChannelId,
) -> Any:
    target = notice_targets.update(session, principal, settings, channel_id, data)
    session.commit()
    return target


@router.delete(
    "/channels/{channel_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a notice channel",
    description="Remove the channel with the notices sent to it.",
)
def delete_channel(session: SessionDep, principal: ApiPrincipal, channel_id: int = ChannelId) -> Response:
    notice_targets.delete(session, principal, channel_id)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/channels/{channel_id}/test",
    response_model=ChannelTestOut,
    summary="Send a test message to a channel",
    description="Send a sample notice now and answer what the platform said; the outcome is kept on the channel.",
)
def test_channel(
    session: SessionDep,
    principal: ApiPrincipal,
    settings: SettingsDep,
    channel_id: int = ChannelId,
) -> Any:
    result = notices.send_channel_test(session, principal, settings, channel_id)
    session.commit()
    return {"ok": result.ok, "error": result.error}
