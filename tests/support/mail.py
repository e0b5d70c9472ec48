"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, NamedTuple

import pytest
from aiosmtpd.controller import Controller

from tests.support.servers import free_port


class Received(NamedTuple):
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class Inbox:
    """aiosmtpd handler keeping every message received, with its envelope."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [r.message for r in self.received]

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(handler: object, **options: Any) -> Iterator[int]:
    """Serve ``handler`` on a free port of 127.0.0.1 for the block; yields the port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """An empty inbox and the port of its SMTP server."""
    inbox = Inbox()
    with smtp_server(inbox) as port:
        yield inbox, port
