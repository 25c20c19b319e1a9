"""A real SMTP server on loopback for the nightly tests: aiosmtpd in a thread, recording what it accepts.

    with smtp_server() as smtp:
        Settings(smtp_host=smtp.host, smtp_port=smtp.port, ...)
        smtp.messages            # every accepted message, as email.message.EmailMessage, in order
        smtp.reply = "451 ..."   # answer DATA with this (a temporary failure); None accepts again
        smtp.refuse["a@x.example"] = "550 5.1.1 ..."   # answer RCPT TO for this recipient with this reply
        smtp.drop_after_data = True   # keep the message, then close the connection before replying to DATA
        smtp.on_accept = callback     # called (in the server's thread) for each message kept
        smtp.stop()              # nothing listens on the port any more: connections are refused
        smtp.start()             # listen again, on the same port

The port comes from a socket bound to port 0 and closed again, so it stays the same across stop/start.
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Callable, Iterator
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
    """The aiosmtpd handler: records accepted messages, or answers DATA with ``reply`` when it is set, or refuses
    the recipients in ``refuse``, or keeps a message and drops the connection (``drop_after_data``)."""

    received: list[Received] = field(default_factory=list)
    reply: str | None = None
    refused: int = 0
    refuse: dict[str, str] = field(default_factory=dict)
    refused_rcpt: list[str] = field(default_factory=list)
    drop_after_data: bool = False
    dropped: int = 0
    on_accept: Callable[[], None] | None = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            self.refused_rcpt.append(address)
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.reply is not None:
            self.refused += 1
            return self.reply
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), message))
        if self.on_accept is not None:
            self.on_accept()
        if self.drop_after_data:
            # The message is kept, but the client never hears so: the reply is lost with the connection.
            self.dropped += 1
            server.transport.close()
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

    @property
    def refuse(self) -> dict[str, str]:
        return self.handler.refuse

    @property
    def drop_after_data(self) -> bool:
        return self.handler.drop_after_data

    @drop_after_data.setter
    def drop_after_data(self, value: bool) -> None:
        self.handler.drop_after_data = value

    @property
    def on_accept(self) -> Callable[[], None] | None:
        return self.handler.on_accept

    @on_accept.setter
    def on_accept(self, value: Callable[[], None] | None) -> None:
        self.handler.on_accept = value

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
