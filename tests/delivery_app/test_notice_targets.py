"""Organisations' and people's own channels: each messenger receives a correctly signed message in its
format from the worker, along the escalation chain, in the channel's language; failures are retried
with backoff and shown; secrets are stored encrypted and shown masked; test messages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient
from typer.testing import CliRunner

from accord import clock
from accord.cli import app
from accord.config import Settings, get_settings
from accord.models import AuditEntry, NoticeRecord, NoticeState, NoticeTarget
from accord.schemas.notice_targets import NoticeTargetIn
from accord.services import notice_targets, notices
from accord.services.channel_secrets import open_sealed
from accord.services.errors import NotFound, PermissionDenied, ValidationFailed
from accord.services.permissions import SYSTEM
from tests import factories
from tests.delivery_app.conftest import MakeTask
from tests.support.accounts import CQU, WANZHOU, csrf_of, login, token_for
from tests.support.messengers import (
    DINGTALK_SECRET,
    FEISHU_SECRET,
    WEBHOOK_SECRET,
    Messengers,
    messengers,
)

TODAY = date(2024, 6, 1)
NOW = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
SECRETS = {"dingtalk": DINGTALK_SECRET, "feishu": FEISHU_SECRET, "webhook": WEBHOOK_SECRET}


@pytest.fixture
def orgs(session: Session, world: dict[str, int]) -> dict[str, int]:
    return {
        "cqu": factories.org_id(session, "Chongqing University"),
        "wanzhou": factories.org_id(session, factories.WANZHOU_EN),
        "wanzhou_st": factories.org_id(session, "Wanzhou District Science and Technology Bureau"),
    }


@pytest.fixture
def receivers() -> Iterator[Messengers]:
    with messengers() as state:
        yield state


def add(
    session: Session,
    settings: Settings,
    receivers: Messengers,
    platform: str,
    *,
    organisation_id: int | None = None,
    email: str | None = None,
    language: str | None = None,
) -> NoticeTarget:
    principal = factories.principal(session, email) if email else SYSTEM
    data = NoticeTargetIn(
        platform=platform,  # type: ignore[arg-type]
        label=f"{platform} 群",
        address=receivers.url(platform),
        secret=SECRETS.get(platform),
        language=language,  # type: ignore[arg-type]
    )
    target = notice_targets.create(session, principal, settings, data, organisation_id=organisation_id)
    session.commit()
    return target


def _config(settings: Settings) -> Settings:
    # No SMTP: e-mail waits in the outbox; the messengers go out.
    return settings.model_copy(update={"base_url": "https://accord.example.org"})


def test_each_messenger_receives_its_rung_of_the_chain_signed_and_in_its_format(
    session: Session, make_task: MakeTask, settings: Settings, orgs: dict[str, int], receivers: Messengers
) -> None:
    config = _config(settings)
    add(session, config, receivers, "wecom", organisation_id=orgs["wanzhou_st"])  # the owner
    add(
        session, config, receivers, "dingtalk", organisation_id=orgs["wanzhou"], language="en"
    )  # above it, a party
    for platform in ("feishu", "slack", "teams", "webhook"):
        add(session, config, receivers, platform, organisation_id=orgs["cqu"])  # the other party
    add(session, config, receivers, "webhook", email=CQU)  # a person's own channel
    task = make_task(
        title="建设联合实验室",
        owner_organisation_id=orgs["wanzhou_st"],
        start_on=date(2024, 1, 1),
        due_on=TODAY - timedelta(days=14),
    )

    summary = notices.plan_and_send(session, TODAY, config, now=NOW)

    rows = session.scalars(select(NoticeRecord).where(NoticeRecord.target_id.is_not(None))).all()
    assert rows and all(r.status is NoticeState.SENT for r in rows), [(r.channel, r.last_error) for r in rows]
    assert summary.failed == 0
    assert all(r.accepted for r in receivers.received), [(r.platform, r.problems) for r in receivers.received]
    counts = {
        p: len(receivers.accepted(p)) for p in ("wecom", "dingtalk", "feishu", "slack", "teams", "webhook")
    }
    # owner: the bureau's group; coordinators: the district above it; leadership: both parties' groups,
    # but the district's group, escalated to as coordinator already, is told once
    assert counts == {"wecom": 1, "dingtalk": 1, "feishu": 1, "slack": 1, "teams": 1, "webhook": 2}
    levels = {(r.channel.value, r.level) for r in rows}
    assert ("wecom", "owner") in levels and ("dingtalk", "coordinator") in levels
    assert ("dingtalk", "leadership") not in levels and ("feishu", "leadership") in levels
    for received in receivers.received:
        body = received.body.decode()
        assert task.title in body and "https://accord.example.org/tasks/" in body
    ding = receivers.accepted("dingtalk")[0].body.decode()
    assert "Overdue by 14 days" in ding and "14 June 2024" not in ding and "18 May 2024" in ding
    wecom = receivers.accepted("wecom")[0].message["markdown"]["content"]
    assert "已逾期 14 天" in wecom and "2024年5月18日" in wecom
    # Planned once: a second round sends nothing more.
    again = notices.plan_and_send(session, TODAY, config, now=NOW + timedelta(hours=1))
    assert again.planned == 0 and len(receivers.received) == sum(counts.values())


def test_a_failing_channel_is_retried_with_backoff_and_its_failure_shown(
    session: Session, make_task: MakeTask, settings: Settings, orgs: dict[str, int], receivers: Messengers
) -> None:
    config = _config(settings)
    add(session, config, receivers, "slack", organisation_id=orgs["wanzhou"])
    add(session, config, receivers, "teams", organisation_id=orgs["wanzhou"])
    make_task(start_on=date(2024, 1, 1), due_on=TODAY - timedelta(days=1))
    receivers.fail["slack"] = 503

    notices.plan_and_send(session, TODAY, config, now=NOW)

    slack = session.scalars(select(NoticeRecord).where(NoticeRecord.channel == "slack")).one()
    teams = session.scalars(select(NoticeRecord).where(NoticeRecord.channel == "teams")).one()
    assert teams.status is NoticeState.SENT
    assert slack.status is NoticeState.PENDING and slack.attempts == 1
    assert slack.last_error == "HTTP 503: temporarily unavailable"
    assert slack.next_attempt_at.replace(tzinfo=UTC) == NOW + timedelta(minutes=1)
    del receivers.fail["slack"]
    notices.plan_and_send(session, TODAY, config, now=NOW + timedelta(seconds=30))  # not yet due
    assert len(receivers.accepted("slack")) == 0
    notices.plan_and_send(session, TODAY, config, now=NOW + timedelta(minutes=2))
    session.refresh(slack)
    assert slack.status is NoticeState.SENT and slack.attempts == 2 and slack.last_error is None
    assert len(receivers.accepted("slack")) == 1


def test_secrets_are_stored_encrypted_and_shown_masked(
    session: Session, settings: Settings, orgs: dict[str, int], receivers: Messengers
) -> None:
    target = add(session, settings, receivers, "dingtalk", organisation_id=orgs["cqu"])
    raw = session.execute(
        text("SELECT address_encrypted, secret_encrypted, address_hint, secret_hint FROM notice_target")
    ).one()
    stored = " ".join(str(v) for v in raw)
    assert DINGTALK_SECRET not in stored and "access_token" not in stored
    assert target.address_hint.endswith("…c123") and target.address_hint.startswith("http://127.0.0.1:")
    assert target.secret_hint == "…def钉钉"[-5:] or target.secret_hint.startswith("…")
    # Changing the label with blank address and secret keeps both.
    notice_targets.update(
        session,
        SYSTEM,
        settings,
        target.id,
        NoticeTargetIn(platform="dingtalk", label="督查室", address="", secret=""),
    )
    session.commit()
    result = notice_targets.send_test(session, SYSTEM, settings, target.id, language="zh", smtp=None)
    assert result.ok and receivers.accepted("dingtalk")


def test_a_test_message_reports_what_the_platform_answered(
    session: Session, settings: Settings, orgs: dict[str, int], receivers: Messengers
) -> None:
    data: dict[str, Any] = {"platform": "feishu", "label": "飞书群", "address": receivers.url("feishu")}
    target = notice_targets.create(
        session, SYSTEM, settings, NoticeTargetIn(**data, secret="wrong"), organisation_id=orgs["cqu"]
    )
    result = notice_targets.send_test(session, SYSTEM, settings, target.id, language="en", smtp=None)
    assert not result.ok and "19021" in (result.error or "")
    assert target.tested_at is not None and "19021" in (target.test_error or "")
    notice_targets.update(session, SYSTEM, settings, target.id, NoticeTargetIn(**data, secret=FEISHU_SECRET))
    assert notice_targets.send_test(session, SYSTEM, settings, target.id, language="en", smtp=None).ok
    assert target.test_error is None
    card = receivers.accepted("feishu")[0].message["card"]
    assert card["header"]["title"]["content"] == "Accord test message"


def test_who_may_manage_channels(
    session: Session, settings: Settings, orgs: dict[str, int], receivers: Messengers
) -> None:
    cqu_group = add(session, settings, receivers, "slack", organisation_id=orgs["cqu"])
    own = add(session, settings, receivers, "teams", email=WANZHOU)
    wanzhou = factories.principal(session, WANZHOU)
    with pytest.raises(PermissionDenied):
        notice_targets.list_for_organisation(session, wanzhou, orgs["cqu"])
    with pytest.raises(NotFound):
        notice_targets.get(session, wanzhou, cqu_group.id)
    with pytest.raises(NotFound):
        notice_targets.get(session, factories.principal(session, CQU), own.id)
    assert [t.id for t in notice_targets.list_own(session, wanzhou)] == [own.id]
    with pytest.raises(ValidationFailed) as failed:
        notice_targets.create(
            session, wanzhou, settings, NoticeTargetIn(platform="webhook", label="x", address="ftp://x")
        )
    assert {e.field for e in failed.value.errors} == {"address", "secret"}


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("ACCORD_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ACCORD_SECRET_KEY", "test-secret-key")
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def test_accord_worker_delivers_to_every_messenger(
    env: Settings,
    factory: sessionmaker[Session],
    world: dict[str, int],
    orgs: dict[str, int],
    receivers: Messengers,
) -> None:
    today = clock.today()
    with factory() as session:
        for platform in ("wecom", "dingtalk", "feishu", "slack", "teams", "webhook"):
            add(session, env, receivers, platform, organisation_id=orgs["wanzhou"])
        factories.task(
            session,
            agreement_id=world["strategic_agreement"],
            start_on=today - timedelta(days=60),
            due_on=today - timedelta(days=1),
        )
        session.commit()
    result = CliRunner().invoke(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    for platform in ("wecom", "dingtalk", "feishu", "slack", "teams", "webhook"):
        assert len(receivers.accepted(platform)) == 1, platform
    assert all(r.accepted for r in receivers.received)


def test_coordinators_configure_and_test_channels_on_the_settings_page_and_in_the_api(
    client: TestClient,
    factory: sessionmaker[Session],
    orgs: dict[str, int],
    receivers: Messengers,
) -> None:
    page = f"/organisations/{orgs['wanzhou']}/channels"
    login(client, WANZHOU)
    csrf = csrf_of(client, page)
    bad = client.post(
        page, data={"csrf_token": csrf, "platform": "dingtalk", "label": "钉钉群", "address": "x"}
    )
    assert bad.status_code == 422 and "https://" in bad.text
    added = client.post(
        page,
        data={
            "csrf_token": csrf,
            "platform": "dingtalk",
            "label": "督查室钉钉群",
            "address": receivers.url("dingtalk"),
            "secret": DINGTALK_SECRET,
            "language": "",
        },
        follow_redirects=True,
    )
    assert added.status_code == 200 and "督查室钉钉群" in added.text
    assert "access_token=abc123" not in added.text and DINGTALK_SECRET not in added.text
    assert "…c123" in added.text
    with factory() as session:
        target = session.scalars(select(NoticeTarget)).one()
    tested = client.post(f"/channels/{target.id}/test", data={"csrf_token": csrf}, follow_redirects=True)
    assert "The test message was delivered." in tested.text
    assert receivers.accepted("dingtalk")[0].message["actionCard"]["title"] == "Accord test message"
    # Another organisation's coordinator neither sees nor tests it.
    login(client, CQU)
    assert client.get(page).status_code == 403
    assert (
        client.post(
            f"/channels/{target.id}/test", data={"csrf_token": csrf_of(client, "/account")}
        ).status_code
        == 404
    )
    # A person's own channel, through the API.
    headers = token_for(factory, CQU)
    created = client.post(
        "/api/v1/me/channels",
        json={"platform": "teams", "label": "my Teams", "address": receivers.url("teams")},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["address_hint"].endswith("…voke") and "workflows" not in body["address_hint"]
    result = client.post(f"/api/v1/channels/{body['id']}/test", headers=headers)
    assert result.json() == {"ok": True, "error": None}
    assert [c["id"] for c in client.get("/api/v1/me/channels", headers=headers).json()] == [body["id"]]
    assert client.delete(f"/api/v1/channels/{body['id']}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/organisations/{orgs['wanzhou']}/channels", headers=headers).status_code == 403


def _audited(factory: sessionmaker[Session], target_id: int) -> list[tuple[str, Any, Any]]:
    with factory() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "notice_target", AuditEntry.object_id == target_id)
            .order_by(AuditEntry.id)
        )
        return [(r.action, (r.before or {}).get("enabled"), (r.after or {}).get("enabled")) for r in rows]


WORDS = {
    "en": {
        "heading": "Change the channel 督查室钉钉群",
        "saved": "Channel saved.",
        "off": "Channel turned off: nothing is sent to it.",
        "on": "Channel turned on.",
        "turn_on": "Turn on",
        "keep": "Leave it blank to keep it",
    },
    "zh": {
        "heading": "修改通知渠道 督查室钉钉群",
        "saved": "通知渠道已保存。",
        "off": "通知渠道已关闭，不再向它发送通知。",
        "on": "通知渠道已开启。",
        "turn_on": "开启",
        "keep": "留空则保留原值",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_channels_are_changed_and_turned_off_and_on_on_the_settings_pages(
    lang: str,
    client: TestClient,
    factory: sessionmaker[Session],
    settings: Settings,
    orgs: dict[str, int],
    receivers: Messengers,
) -> None:
    words = WORDS[lang]
    with factory() as session:
        group = add(session, settings, receivers, "dingtalk", organisation_id=orgs["wanzhou"])
        group.label = "督查室钉钉群"
        own = add(session, settings, receivers, "teams", email=WANZHOU)
        session.commit()
        group_id, own_id = group.id, own.id
    login(client, WANZHOU)
    csrf = csrf_of(client, "/account")
    if lang == "zh":
        client.post("/language", data={"csrf_token": csrf, "language": "zh_Hans", "next": "/account"})
    page = f"/organisations/{orgs['wanzhou']}/channels"

    # The change page shows the address and the secret masked, never in full, and leaves them blank.
    form = client.get(f"/channels/{group_id}/edit")
    assert form.status_code == 200 and words["heading"] in form.text and words["keep"] in form.text
    assert "access_token=abc123" not in form.text and DINGTALK_SECRET not in form.text
    assert "…c123" in form.text and f"…{DINGTALK_SECRET[-4:]}" in form.text
    assert '<select name="language">' in form.text and 'name="enabled" value="1" checked' in form.text

    # A bad address is named next to its field, and the typed secret is not sent back.
    bad = client.post(
        f"/channels/{group_id}/edit",
        data={"csrf_token": csrf, "platform": "dingtalk", "label": "x", "address": "x", "secret": "SECnew"},
    )
    assert bad.status_code == 422 and 'id="e-address"' in bad.text and "SECnew" not in bad.text

    # Blank address and secret keep the stored ones; the rest changes, through the service the API uses.
    saved = client.post(
        f"/channels/{group_id}/edit",
        data={
            "csrf_token": csrf,
            "platform": "dingtalk",
            "label": "督查室钉钉群 v2",
            "address": "",
            "secret": "",
            "language": "en",
            "enabled": "1",
        },
        follow_redirects=True,
    )
    assert saved.status_code == 200 and words["saved"] in saved.text and "督查室钉钉群 v2" in saved.text
    with factory() as session:
        target = session.get(NoticeTarget, group_id)
        assert target is not None and target.label == "督查室钉钉群 v2" and target.language == "en"
        assert open_sealed(settings, target.address_encrypted) == receivers.url("dingtalk")
        assert open_sealed(settings, target.secret_encrypted) == DINGTALK_SECRET

    # Turned off, it keeps its settings, receives nothing, and the page offers to turn it on.
    off = client.post(
        f"/channels/{group_id}/enabled", data={"csrf_token": csrf, "enabled": "0"}, follow_redirects=True
    )
    assert words["off"] in off.text and f'action="/channels/{group_id}/enabled"' in off.text
    assert words["turn_on"] in off.text
    with factory() as session:
        assert group_id not in {
            t.id for t in notice_targets.enabled_for(session, organisation_ids=[orgs["wanzhou"]])
        }
        target = session.get(NoticeTarget, group_id)
        assert target is not None and target.label == "督查室钉钉群 v2" and target.secret_encrypted
    on = client.post(
        f"/channels/{group_id}/enabled", data={"csrf_token": csrf, "enabled": "1"}, follow_redirects=True
    )
    assert words["on"] in on.text
    assert f'href="/channels/{group_id}/edit"' in client.get(page).text
    assert _audited(factory, group_id) == [
        ("create", None, True),
        ("update", True, True),
        ("update", True, False),
        ("update", False, True),
    ]

    # A person's own channel: no language of its own; an unticked box turns it off.
    own_form = client.get(f"/channels/{own_id}/edit").text
    assert '<select name="language">' not in own_form and "…voke" in own_form
    client.post(
        f"/channels/{own_id}/edit",
        data={"csrf_token": csrf, "platform": "teams", "label": "my Teams", "address": ""},
    )
    with factory() as session:
        target = session.get(NoticeTarget, own_id)
        assert target is not None and target.label == "my Teams" and not target.enabled

    # Without the form's token nothing changes; another organisation's coordinator does not see it.
    assert client.post(f"/channels/{group_id}/enabled", data={"enabled": "0"}).status_code == 403
    login(client, CQU)
    other = csrf_of(client, "/account")
    assert client.get(f"/channels/{group_id}/edit").status_code == 404
    assert (
        client.post(f"/channels/{group_id}/enabled", data={"csrf_token": other, "enabled": "0"}).status_code
        == 404
    )
    assert (
        client.post(
            f"/channels/{own_id}/edit", data={"csrf_token": other, "platform": "teams", "label": "x"}
        ).status_code
        == 404
    )
    assert len(_audited(factory, group_id)) == 4
    with factory() as session:
        target = session.get(NoticeTarget, group_id)
        assert target is not None and target.enabled
