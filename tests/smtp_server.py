"""A real SMTP server on loopback for the nightly tests: aiosmtpd in a thread, recording what it accepts.

    with smtp_server() as smtp:
        Settings(smtp_host=smtp.host, smtp_port=smtp.port, ...)
        smtp.messages            # every accepted message, as email.message.EmailMessage, in order
        smtp.reply = "451 ..."   # answer DATA with this (a temporary failure); None accepts again
        smtp.stop()              # nothing listens on the port any more: connections are refused
        smtp.start()             # listen again, on the same port

The port comes from a socket bound to port 0 and closed again, so it stays the same across stop/start.
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    """One accepted message with its SMTP envelope."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage


@dataclass
class Recorder:
    """The aiosmtpd handler: records accepted messages, or answers DATA with ``reply`` when it is set."""

    received: list[Received] = field(default_factory=list)
    reply: str | None = None
    refused: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.reply is not None:
            self.refused += 1
            return self.reply
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.host = HOST
        self.port = port or free_port()
        self.handler = Recorder()
        self._controller: Controller | None = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    @property
    def messages(self) -> list[EmailMessage]:
        return [r.message for r in self.handler.received]

    @property
    def reply(self) -> str | None:
        return self.handler.reply

    @reply.setter
    def reply(self, value: str | None) -> None:
        self.handler.reply = value

    def to(self, address: str) -> list[EmailMessage]:
        """The accepted messages addressed to ``address`` (envelope recipients)."""
        return [r.message for r in self.handler.received if address in r.rcpt_tos]

    def clear(self) -> None:
        self.handler.received.clear()

    def start(self) -> None:
        if self._controller is None:
            # A stopped controller has closed its event loop; a new one listens on the same port.
            controller = Controller(self.handler, hostname=self.host, port=self.port, ready_timeout=5)
            controller.start()
            self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuses_connections(self) -> bool:
        """True when nothing listens on the port (a real ECONNREFUSED, as when the mail server is down)."""
        try:
            with socket.create_connection((self.host, self.port), timeout=2):
                return False
        except ConnectionRefusedError:
            return True


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
