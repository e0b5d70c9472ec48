"""Messenger and webhook channels of organisations and people: configured, tested, and used by the
notice worker.

An organisation's channel (a WeCom, DingTalk or Feishu group robot, a Slack or Teams channel, a
webhook, a shared mailbox) receives the notices of its rung of the escalation chain: the owner
organisation's channels get reminders and overdue notices, the channels of the organisations above it
the coordinators' escalations, the parties' channels the leadership's. A person's channels receive
what the person receives. Coordinators of an organisation (and admins) manage its channels; every
signed-in person manages their own.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.config import Settings
from accord.delivery import (
    Card,
    Platform,
    PostResult,
    SmtpConfig,
    build_email,
    deliver,
    mask,
    prepare,
    sample_card,
    send_email,
)
from accord.delivery.messages import RenderedNotice
from accord.i18n import gettext as _
from accord.models import NoticeChannel, NoticeRecord, NoticeTarget, Organisation
from accord.schemas.notice_targets import NoticeTargetIn
from accord.services import audit, records
from accord.services.channel_secrets import open_sealed, seal
from accord.services.errors import FieldError, NotFound, ValidationFailed
from accord.services.permissions import Principal, can_edit_organisation, require, require_signed_in

# Platforms whose secret signs each message; for the webhook it is required.
SIGNED = {NoticeChannel.DINGTALK, NoticeChannel.FEISHU, NoticeChannel.WEBHOOK}


def can_manage(principal: Principal, target: NoticeTarget) -> bool:
    """Coordinators (and admins) for an organisation's channel; the person for their own."""
    if target.organisation_id is not None:
        return can_edit_organisation(principal, target.organisation_id)
    return principal.user_id is not None and principal.user_id == target.user_id


def list_for_organisation(session: Session, principal: Principal, organisation_id: int) -> list[NoticeTarget]:
    """An organisation's channels, for those who may manage them."""
    if records.find(session, Organisation, organisation_id) is None:
        raise NotFound(_("No such organisation."))
    require(can_edit_organisation(principal, organisation_id))
    stmt = (
        select(NoticeTarget).where(NoticeTarget.organisation_id == organisation_id).order_by(NoticeTarget.id)
    )
    return list(session.scalars(stmt))


def list_own(session: Session, principal: Principal) -> list[NoticeTarget]:
    """The signed-in person's channels."""
    require_signed_in(principal)
    if principal.user_id is None:
        return []
    stmt = select(NoticeTarget).where(NoticeTarget.user_id == principal.user_id).order_by(NoticeTarget.id)
    return list(session.scalars(stmt))


def get(session: Session, principal: Principal, target_id: int) -> NoticeTarget:
    """One channel the principal may manage (404 otherwise, so ids tell nothing)."""
    target = records.find(session, NoticeTarget, target_id)
    if target is None or not can_manage(principal, target):
        raise NotFound(_("No such channel."))
    return target


def _check(data: NoticeTargetIn, target: NoticeTarget | None) -> list[FieldError]:
    errors = []
    if data.address is None and target is None:
        errors.append(FieldError("address", _("Give the channel's address.")))
    elif data.address is not None:
        if data.platform is NoticeChannel.EMAIL:
            if "@" not in data.address or " " in data.address:
                errors.append(
                    FieldError("address", _("Give an e-mail address such as office@example.edu.cn."))
                )
        elif not data.address.startswith(("https://", "http://")):
            errors.append(
                FieldError("address", _("Give the robot's or webhook's address, starting with https://."))
            )
    has_secret = data.secret is not None or (
        target is not None and target.secret_encrypted and target.platform is data.platform
    )
    if data.platform is NoticeChannel.WEBHOOK and not has_secret:
        errors.append(FieldError("secret", _("A webhook needs a secret to sign its messages.")))
    if data.secret is not None and data.platform not in SIGNED:
        errors.append(
            FieldError("secret", _("This platform takes no signing secret; its key is in the address."))
        )
    return errors


def _summary(target: NoticeTarget) -> dict[str, Any]:
    """What the audit trail keeps: never the address or the secret."""
    return {
        "organisation_id": target.organisation_id,
        "user_id": target.user_id,
        "platform": target.platform.value,
        "label": target.label,
        "address_hint": target.address_hint,
        "secret_hint": target.secret_hint,
        "language": target.language,
        "enabled": target.enabled,
    }


def _apply(settings: Settings, target: NoticeTarget, data: NoticeTargetIn) -> None:
    target.platform = data.platform
    target.label = data.label
    target.language = data.language
    target.enabled = data.enabled
    if data.address is not None:
        target.address_encrypted = seal(settings, data.address)
        target.address_hint = mask(data.address) if data.platform is not NoticeChannel.EMAIL else data.address
    if data.secret is not None:
        target.secret_encrypted = seal(settings, data.secret)
        target.secret_hint = mask(data.secret)
    elif data.platform not in SIGNED:
        target.secret_encrypted = target.secret_hint = None


def create(
    session: Session,
    principal: Principal,
    settings: Settings,
    data: NoticeTargetIn,
    *,
    organisation_id: int | None = None,
) -> NoticeTarget:
    """Add a channel to an organisation (``organisation_id``) or to the signed-in person."""
    require_signed_in(principal)
    if organisation_id is not None:
        if records.find(session, Organisation, organisation_id) is None:
            raise NotFound(_("No such organisation."))
        require(can_edit_organisation(principal, organisation_id))
    elif principal.user_id is None:
        raise ValidationFailed(_("Only a person's account has channels of its own."))
    errors = _check(data, None)
    if errors:
        raise ValidationFailed(_("The channel could not be saved."), errors)
    target = NoticeTarget(
        organisation_id=organisation_id,
        user_id=None if organisation_id is not None else principal.user_id,
        created_at=datetime.now(UTC),
    )
    _apply(settings, target, data)
    session.add(target)
    audit.record(session, principal, "create", target, after=_summary(target))
    return target


def update(
    session: Session, principal: Principal, settings: Settings, target_id: int, data: NoticeTargetIn
) -> NoticeTarget:
    """Change a channel; a blank address or secret keeps the stored one."""
    target = get(session, principal, target_id)
    errors = _check(data, target)
    if errors:
        raise ValidationFailed(_("The channel could not be saved."), errors)
    before = _summary(target)
    _apply(settings, target, data)
    audit.record(session, principal, "update", target, before=before, after=_summary(target))
    return target


def delete(session: Session, principal: Principal, target_id: int) -> None:
    """Remove a channel with its notices."""
    target = get(session, principal, target_id)
    audit.record(session, principal, "delete", target, before=_summary(target), after={})
    session.delete(target)


def enabled_for(
    session: Session, *, user_ids: Collection[int] = (), organisation_ids: Collection[int] = ()
) -> list[NoticeTarget]:
    """Enabled channels of these people and organisations, in id order."""
    found: list[NoticeTarget] = []
    if user_ids:
        found += session.scalars(
            select(NoticeTarget).where(NoticeTarget.user_id.in_(user_ids), NoticeTarget.enabled.is_(True))
        )
    if organisation_ids:
        found += session.scalars(
            select(NoticeTarget).where(
                NoticeTarget.organisation_id.in_(organisation_ids), NoticeTarget.enabled.is_(True)
            )
        )
    return sorted(found, key=lambda t: t.id)


def send(
    settings: Settings,
    target: NoticeTarget,
    card: Card,
    *,
    rendered: RenderedNotice | None = None,
    smtp: SmtpConfig | None = None,
    notice_key: str | None = None,
    webhook_document: dict[str, Any] | None = None,
) -> PostResult:
    """Deliver ``card`` on the channel (one attempt; never raises)."""
    address = open_sealed(settings, target.address_encrypted)
    secret = open_sealed(settings, target.secret_encrypted) or ""
    if address is None:
        return PostResult(
            ok=False, error="The channel's address cannot be read; enter it again", retryable=False
        )
    if target.platform is NoticeChannel.EMAIL:
        if smtp is None:
            return PostResult(ok=False, error="SMTP is not configured")
        text = rendered or RenderedNotice(
            subject=card.title,
            body=f"{card.text}\n\n{card.task} — {card.due} — {card.status}\n{card.url}",
            language=card.language,
        )
        message = build_email(
            text,
            sender=smtp.sender,
            sender_name=smtp.sender_name,
            to=address,
            to_name=target.label,
            notice_key=notice_key,
        )
        result = send_email(smtp, message)
        return PostResult(ok=result.ok, error=result.error)
    platform = Platform(target.platform.value)
    outgoing = prepare(platform, address, card, secret=secret, webhook_document=webhook_document)
    return deliver(platform, outgoing)


def send_test(
    session: Session,
    principal: Principal,
    settings: Settings,
    target_id: int,
    *,
    language: str,
    smtp: SmtpConfig | None,
) -> PostResult:
    """Send the sample message to a channel now and record the outcome on it."""
    target = get(session, principal, target_id)
    card = sample_card(target.language or language, f"{settings.base_url.rstrip('/')}/", target.label)
    result = send(settings, target, card, smtp=smtp)
    target.tested_at = datetime.now(UTC)
    target.test_error = None if result.ok else (result.error or "unknown error")[:500]
    audit.record(
        session, principal, "test", target, before={}, after={"ok": result.ok, "error": target.test_error}
    )
    return result


def last_failures(session: Session, target_ids: Collection[int]) -> dict[int, NoticeRecord]:
    """For each channel, its latest notice that failed or is waiting to be retried after a failure."""
    if not target_ids:
        return {}
    stmt = (
        select(NoticeRecord)
        .where(NoticeRecord.target_id.in_(target_ids), NoticeRecord.last_error.is_not(None))
        .order_by(NoticeRecord.id)
    )
    return {row.target_id: row for row in session.scalars(stmt) if row.target_id is not None}
