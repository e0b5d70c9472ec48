"""Messenger formats and signatures, delivered to local receivers that check them as the platforms do."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from tests.support.messengers import (
    DINGTALK_SECRET,
    FEISHU_SECRET,
    WEBHOOK_SECRET,
    Messengers,
    messengers,
)

from accord.delivery.escalation import EscalationPolicy, Recipient, WatchedTask, plan_notices
from accord.delivery.messages import TaskInfo, render_notice
from accord.delivery.messengers import (
    Card,
    Platform,
    card_for,
    deliver,
    dingtalk_signature,
    feishu_signature,
    mask,
    prepare,
    sample_card,
)
from accord.delivery.status import TaskStatus

HTTP_PLATFORMS = [p for p in Platform if p is not Platform.EMAIL]
SECRETS = {
    Platform.DINGTALK: DINGTALK_SECRET,
    Platform.FEISHU: FEISHU_SECRET,
    Platform.WEBHOOK: WEBHOOK_SECRET,
}


@pytest.fixture
def receivers() -> Iterator[Messengers]:
    with messengers() as state:
        yield state


def escalation_card(language: str) -> Card:
    leader = Recipient(id="u3", name="张伟", language=language)
    task = WatchedTask(
        task_id="t42", due=date(2026, 6, 30), status=TaskStatus.OVERDUE, coordinators=(leader,)
    )
    [notice] = plan_notices(task, EscalationPolicy(), set(), date(2026, 7, 3))
    info = TaskInfo(
        title="举办年度联合研讨会",
        agreement_title="全面深化战略合作协议",
        url="https://accord.example.org/tasks/42",
        progress_percent=40,
        owner_name="重庆大学",
    )
    return card_for(notice, render_notice(notice, info), info)


def test_a_card_holds_task_due_date_status_and_link_in_the_recipients_language() -> None:
    zh, en = escalation_card("zh"), escalation_card("en")
    assert zh.due == "2026年6月30日" and en.due == "30 June 2026"
    assert zh.status == "已逾期 3 天，提请协调"
    assert en.status == "Overdue by 3 days, escalated to coordinators"
    assert zh.progress == "40%" and zh.urgent and zh.url.endswith("/tasks/42")
    assert "跟进" in zh.text and "follow up" in en.text


@pytest.mark.parametrize("platform", HTTP_PLATFORMS, ids=str)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_each_platform_accepts_a_signed_message_in_its_format(
    receivers: Messengers, platform: Platform, language: str
) -> None:
    card = escalation_card(language)
    outgoing = prepare(platform, receivers.url(platform.value), card, secret=SECRETS.get(platform, ""))
    result = deliver(platform, outgoing, timeout=5)
    assert result.ok, result.error
    [received] = receivers.received
    assert received.accepted, received.problems
    body = received.body.decode()
    assert card.task in body and card.due in body and card.status in body and card.url in body


@pytest.mark.parametrize("platform", [Platform.DINGTALK, Platform.FEISHU, Platform.WEBHOOK], ids=str)
def test_a_wrong_secret_is_refused_and_reported(receivers: Messengers, platform: Platform) -> None:
    outgoing = prepare(
        platform, receivers.url(platform.value), sample_card("en", "https://a.example/", "x"), secret="nope"
    )
    result = deliver(platform, outgoing, timeout=5)
    assert not result.ok
    assert result.error and ("310000" in result.error or "19021" in result.error or "401" in result.error)


def test_platform_errors_inside_a_200_answer_are_failures(receivers: Messengers) -> None:
    url = receivers.url("wecom").replace("key=", "key=wrong")
    result = deliver(
        Platform.WECOM, prepare(Platform.WECOM, url, sample_card("zh", "https://a.example/", "群"))
    )
    assert not result.ok and result.status_code == 200 and "93000" in (result.error or "")


def test_a_server_error_is_retryable_and_a_refusal_is_not(receivers: Messengers) -> None:
    card = sample_card("en", "https://a.example/", "Slack")
    receivers.fail["slack"] = 503
    assert deliver(Platform.SLACK, prepare(Platform.SLACK, receivers.url("slack"), card)).retryable
    receivers.fail["slack"] = 404
    assert not deliver(Platform.SLACK, prepare(Platform.SLACK, receivers.url("slack"), card)).retryable


def test_an_unreachable_endpoint_is_a_failure_not_an_exception() -> None:
    card = sample_card("en", "https://a.example/", "Teams")
    result = deliver(Platform.TEAMS, prepare(Platform.TEAMS, "http://127.0.0.1:9/teams", card), timeout=2)
    assert not result.ok and result.retryable and result.error


def test_signatures_follow_the_documented_schemes() -> None:
    # Computed here from the platforms' published recipes, independently of the implementation.
    stamp_ms, secret = 1577808000000, "SECabc"
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{stamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert dingtalk_signature(secret, stamp_ms) == expected
    stamp_s = 1577808000
    expected = base64.b64encode(
        hmac.new(f"{stamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    ).decode()
    assert feishu_signature(secret, stamp_s) == expected


def test_dingtalk_signs_in_the_query_and_feishu_in_the_body() -> None:
    now = datetime(2026, 7, 3, 1, 0, tzinfo=UTC)
    card = sample_card("zh", "https://a.example/", "钉钉")
    ding = prepare(
        Platform.DINGTALK, "https://oapi.dingtalk.com/robot/send?access_token=t", card, secret="s", now=now
    )
    stamp = int(now.timestamp() * 1000)
    assert f"timestamp={stamp}" in ding.url and "access_token=t" in ding.url and "sign=" in ding.url
    feishu = prepare(
        Platform.FEISHU, "https://open.feishu.cn/open-apis/bot/v2/hook/x", card, secret="s", now=now
    )
    assert feishu.body.startswith(f'{{"timestamp":"{int(now.timestamp())}","sign":"'.encode())


def test_masked_secrets_keep_only_their_end() -> None:
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
    assert mask(url) == "https://qyapi.weixin.qq.com/…5aaa"
    assert mask("SEC0123456789abcdef") == "…cdef"
    assert mask("short") == "…" and mask("") == ""
