"""Webhook delivery against a real HTTP receiver (stdlib http.server) on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.delivery.channels import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    next_attempt_after,
    send_webhook,
    sign,
    verify_signature,
    webhook_body,
    webhook_payload,
)
from accord.delivery.escalation import EscalationPolicy, Recipient, WatchedTask, plan_notices
from accord.delivery.messages import TaskInfo, render_notice
from accord.delivery.status import TaskStatus

SECRET = "whsec_test_一二三"
NOW = datetime(2026, 7, 14, 9, 30, tzinfo=UTC)


@dataclass
class Receiver:
    url: str
    status: int = 204
    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.requests.append((self.path, dict(self.headers.items()), body))
            self.send_response(state.status)
            payload = b"" if state.status == 204 else b"receiver says no"
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/accord"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def escalation_payload() -> dict[str, object]:
    leader = Recipient(id="u3", name="张伟", language="zh")
    task = WatchedTask(task_id="t42", due=date(2026, 6, 30), status=TaskStatus.OVERDUE, leadership=(leader,))
    [notice] = plan_notices(task, EscalationPolicy(), set(), date(2026, 7, 14))
    info = TaskInfo(
        title="举办年度联合研讨会",
        agreement_title="中英高校合作备忘录",
        url="https://accord.example.org/tasks/t42",
        progress_percent=40,
        owner_name="王芳",
    )
    return webhook_payload(notice, render_notice(notice, info), info)


def test_a_delivered_webhook_carries_a_signature_the_receiver_can_verify(receiver: Receiver) -> None:
    payload = escalation_payload()
    result = send_webhook(receiver.url, payload, SECRET, timeout=5, now=NOW)
    assert result.ok
    assert result.status_code == 204
    assert result.error is None
    [(path, headers, body)] = receiver.requests
    assert path == "/hooks/accord"
    assert verify_signature(SECRET, body, headers[SIGNATURE_HEADER])
    assert headers[SIGNATURE_HEADER].startswith("sha256=")
    assert headers[TIMESTAMP_HEADER] == str(int(NOW.timestamp()))
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    received = json.loads(body)
    assert received == payload
    assert received["key"] == "t42:escalation:leadership:u3:2026-06-30:2026-07-14"
    assert received["subject"] == "督办通知：举办年度联合研讨会（已逾期 14 天）"
    assert "督办".encode() in body  # UTF-8 on the wire, not \\u escapes


def test_a_tampered_body_or_wrong_secret_does_not_verify(receiver: Receiver) -> None:
    send_webhook(receiver.url, {"key": "k", "n": 1}, SECRET, timeout=5, now=NOW)
    [(_, headers, body)] = receiver.requests
    header = headers[SIGNATURE_HEADER]
    assert not verify_signature(SECRET, body.replace(b"1", b"2"), header)
    assert not verify_signature("another secret", body, header)


@pytest.mark.parametrize("header", [None, "", "sha256=", "sha1=abc", "abc", "sha256=" + "0" * 64])
def test_malformed_signature_headers_do_not_verify(header: str | None) -> None:
    assert not verify_signature(SECRET, b"{}", header)


def test_the_signature_is_hmac_sha256_of_the_raw_body() -> None:
    # Known-answer check computed independently of the implementation under test.
    assert sign("key", b"The quick brown fox jumps over the lazy dog") == (
        "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
    )


def test_the_body_is_canonical_json() -> None:
    assert webhook_body({"b": 1, "a": "督办"}) == '{"a":"督办","b":1}'.encode()


@given(st.dictionaries(st.text(), st.one_of(st.integers(), st.text(), st.booleans())))
def test_any_payload_signed_by_us_verifies(payload: dict[str, object]) -> None:
    body = webhook_body(payload)
    assert verify_signature(SECRET, body, sign(SECRET, body))


def test_an_error_answer_is_a_failure_result_with_the_status_and_text(receiver: Receiver) -> None:
    receiver.status = 503
    result = send_webhook(receiver.url, {"key": "k"}, SECRET, timeout=5)
    assert not result.ok
    assert result.status_code == 503
    assert result.error == "HTTP 503: receiver says no"
    assert result.retryable


@pytest.mark.parametrize(
    ("status", "retryable"), [(400, False), (404, False), (408, True), (429, True), (302, False)]
)
def test_client_errors_are_not_worth_retrying_except_timeouts_and_rate_limits(
    receiver: Receiver, status: int, retryable: bool
) -> None:
    receiver.status = status
    result = send_webhook(receiver.url, {"key": "k"}, SECRET, timeout=5)
    assert not result.ok
    assert result.retryable is retryable


def test_an_unreachable_endpoint_is_a_failure_result_not_an_exception() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = send_webhook(f"http://127.0.0.1:{port}/hook", {"key": "k"}, SECRET, timeout=2)
    assert not result.ok
    assert result.status_code is None
    assert result.error is not None
    assert result.error.startswith("ConnectError")


def test_an_unserialisable_payload_or_bad_url_is_a_failure_result() -> None:
    assert not send_webhook("http://127.0.0.1:9/x", {"when": object()}, SECRET).ok
    assert not send_webhook("not a url", {}, SECRET).ok


# --- retry backoff -----------------------------------------------------------------------------


def test_backoff_doubles_from_one_minute() -> None:
    assert [next_attempt_after(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]


def test_backoff_is_capped_at_six_hours_even_after_very_many_attempts() -> None:
    assert next_attempt_after(9) == timedelta(minutes=256)
    assert next_attempt_after(10) == timedelta(hours=6)
    assert next_attempt_after(10_000) == timedelta(hours=6)


def test_backoff_base_and_cap_are_configurable() -> None:
    assert next_attempt_after(3, base=timedelta(seconds=10), cap=timedelta(seconds=30)) == timedelta(
        seconds=30
    )


def test_no_wait_before_the_first_attempt() -> None:
    assert next_attempt_after(0) == timedelta(0)


@given(st.integers(min_value=1, max_value=10_000))
def test_backoff_never_shrinks(attempts: int) -> None:
    assert next_attempt_after(attempts) <= next_attempt_after(attempts + 1) <= timedelta(hours=6)
