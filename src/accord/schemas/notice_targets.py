"""A messenger or webhook channel as entered on the settings pages and in the API, and as shown back
(its address and secret masked)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints

from accord.models import NoticeChannel
from accord.schemas.common import InputModel, OutputModel, blank_to_none

Address = Annotated[Annotated[str, StringConstraints(max_length=500)] | None, BeforeValidator(blank_to_none)]
Secret = Annotated[Annotated[str, StringConstraints(max_length=200)] | None, BeforeValidator(blank_to_none)]


class NoticeTargetIn(InputModel):
    """A channel to add or change. A blank address or secret keeps the stored one when changing."""

    platform: NoticeChannel = Field(
        description="Where the notices go: email, wecom, dingtalk, feishu, slack, teams or webhook.",
        examples=["dingtalk"],
    )
    label: Annotated[str, StringConstraints(min_length=1, max_length=100)] = Field(
        description="A name for the channel, shown on the settings page.", examples=["督查室钉钉群"]
    )
    address: Address = Field(
        default=None,
        description="The robot's or webhook's address (https://…), or the e-mail address for e-mail.",
        examples=["https://oapi.dingtalk.com/robot/send?access_token=0123abcd"],
    )
    secret: Secret = Field(
        default=None,
        description="The signing secret: DingTalk's SEC… secret, Feishu's signature key, the webhook's secret.",
        examples=["SEC0123456789abcdef"],
    )
    language: Annotated[Literal["zh", "en"] | None, BeforeValidator(blank_to_none)] = Field(
        default=None,
        description="Language of an organisation's channel; a person's channel follows the person's language.",
        examples=["zh"],
    )
    enabled: bool = Field(
        default=True, description="False to keep the channel without sending to it.", examples=[True]
    )


class NoticeTargetOut(OutputModel):
    """A configured channel; the address and secret are shown masked, never in full."""

    id: int = Field(description="The channel's id.", examples=[4])
    organisation_id: int | None = Field(
        description="Organisation whose channel it is, or null.", examples=[1]
    )
    user_id: int | None = Field(description="Account whose channel it is, or null.", examples=[None])
    platform: NoticeChannel = Field(description="Where the notices go.", examples=["dingtalk"])
    label: str = Field(description="Name of the channel.", examples=["督查室钉钉群"])
    address_hint: str = Field(
        description="The address with all but its host and last characters hidden.",
        examples=["https://oapi.dingtalk.com/…abcd"],
    )
    secret_hint: str | None = Field(
        description="The secret's last characters, or null without one.", examples=["…cdef"]
    )
    language: str | None = Field(description="Language of an organisation's channel.", examples=["zh"])
    enabled: bool = Field(description="Whether notices are sent to it.", examples=[True])
    created_at: datetime = Field(
        description="When the channel was added (UTC).", examples=["2026-12-07T12:00:00Z"]
    )
    tested_at: datetime | None = Field(
        description="When a test message was last sent (UTC).", examples=[None]
    )
    test_error: str | None = Field(description="Why the last test failed, or null.", examples=[None])


class ChannelTestOut(OutputModel):
    """What sending a test message to a channel gave."""

    ok: bool = Field(description="True when the platform accepted the message.", examples=[True])
    error: str | None = Field(
        description="What the platform or the network answered when it failed.", examples=[None]
    )
