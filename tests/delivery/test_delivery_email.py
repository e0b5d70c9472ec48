"""E-mail delivery against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from tests.support.mail import Inbox, smtp_server
from tests.support.servers import free_port

from accord.delivery.channels import EmailResult, SmtpConfig, build_email, send_email
from accord.delivery.escalation import EscalationPolicy, Recipient, WatchedTask, plan_notices
from accord.delivery.messages import TaskInfo, render_notice
from accord.delivery.status import TaskStatus

INFO = TaskInfo(
    title="举办年度联合研讨会",
    agreement_title="中英高校合作备忘录",
    url="https://accord.example.org/tasks/t42",
    progress_percent=40,
    owner_name="王芳",
)


def accept_only_alice(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"alice"
        and auth_data.password == b"s3cret"
    )
    return AuthResult(success=ok, handled=False)  # handled=False: let the server answer 535 itself


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    with smtp_server(handler) as port:
        yield handler, port


@pytest.fixture
def auth_inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    # plain-text AUTH is fine on loopback in a test
    with smtp_server(handler, authenticator=accept_only_alice, auth_require_tls=False) as port:
        yield handler, port


def notice_for(language: str) -> tuple[Recipient, EmailMessage]:
    person = Recipient(id="u1", name="王芳" if language == "zh" else "Ann Smith", language=language)
    task = WatchedTask(task_id="t42", due=date(2026, 6, 30), status=TaskStatus.ON_TRACK, owners=(person,))
    [notice] = plan_notices(task, EscalationPolicy(), set(), date(2026, 6, 23))
    rendered = render_notice(notice, INFO)
    message = build_email(
        rendered,
        sender="accord@example.org",
        sender_name="Accord 协议落实平台",
        to="owner@example.org",
        to_name=person.name,
        notice_key=notice.key,
    )
    return person, message


def local(port: int, **kw: Any) -> SmtpConfig:
    return SmtpConfig(host="127.0.0.1", port=port, starttls=False, timeout=5, **kw)


def test_a_chinese_reminder_arrives_with_its_subject_and_body_intact(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    _, message = notice_for("zh")
    assert send_email(local(port), message) == EmailResult(ok=True)
    [(mail_from, rcpt_tos, received)] = handler.received
    assert mail_from == "accord@example.org"
    assert rcpt_tos == ["owner@example.org"]
    assert received["Subject"] == "任务即将到期提醒：举办年度联合研讨会"
    assert received["X-Accord-Notice"] == "t42:reminder:owner:u1:2026-06-30:2026-06-23"
    assert received["Content-Language"] == "zh-CN"
    assert received["From"].addresses[0].display_name == "Accord 协议落实平台"
    body = received.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert text.startswith("王芳，您好：")
    assert "将于2026年6月30日到期（还有 7 天）" in text


def test_an_english_reminder_arrives_with_its_subject_and_body_intact(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    _, message = notice_for("en")
    assert send_email(local(port), message).ok
    [received] = handler.messages
    assert received["Subject"] == "Reminder: “举办年度联合研讨会” is due on 30 June 2026"
    body = received.get_body(preferencelist=("plain",))
    assert body is not None
    assert "Dear Ann Smith," in body.get_content()


def test_the_same_notice_always_gets_the_same_message_id() -> None:
    _, first = notice_for("zh")
    _, again = notice_for("zh")
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].endswith("@accord.invalid>")


def test_login_is_used_when_credentials_are_configured(auth_inbox: tuple[Inbox, int]) -> None:
    handler, port = auth_inbox
    _, message = notice_for("zh")
    assert send_email(local(port, username="alice", password="s3cret"), message).ok
    assert len(handler.messages) == 1


def test_a_rejected_login_is_a_failure_result_not_an_exception(auth_inbox: tuple[Inbox, int]) -> None:
    handler, port = auth_inbox
    _, message = notice_for("zh")
    result = send_email(local(port, username="alice", password="wrong"), message)
    assert not result.ok
    assert result.error is not None
    assert "SMTPAuthenticationError" in result.error
    assert "wrong" not in result.error
    assert handler.messages == []


def test_starttls_against_a_server_without_it_is_a_failure_result(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    _, message = notice_for("zh")
    result = send_email(SmtpConfig(host="127.0.0.1", port=port, starttls=True, timeout=5), message)
    assert not result.ok
    assert result.error is not None
    assert "STARTTLS" in result.error
    assert handler.messages == []


def test_an_unreachable_server_is_a_failure_result_not_an_exception() -> None:
    _, message = notice_for("zh")
    result = send_email(local(free_port()), message)
    assert not result.ok
    assert result.error is not None
    assert "ConnectionRefusedError" in result.error


def test_a_message_without_recipients_is_a_failure_result(inbox: tuple[Inbox, int]) -> None:
    _, port = inbox
    message = EmailMessage()
    message["Subject"] = "no one"
    message["From"] = "accord@example.org"
    message.set_content("x")
    result = send_email(local(port), message)
    assert not result.ok
    assert result.error is not None


def test_the_password_is_not_shown_in_the_config_repr() -> None:
    assert "s3cret" not in repr(SmtpConfig(host="h", username="alice", password="s3cret"))
