"""Fault modes for the fault drill (bench/fault_drill.py, tests/drill/test_drill.py), on loopback only.

Built on the shared test servers without changing them:

- `FaultyCtGov` is a `tests.fake_ctgov.FakeCtGov` served by `serve_faulty`, whose handler can answer a
  ``/studies`` request with a 503, a 429 with ``Retry-After``, drop the connection half-way through the body
  (headers promise the whole body, half arrives, the socket closes), or dribble the body slowly (each gap shorter
  than the client's read timeout, so only a total deadline would notice).
- `FaultySmtpServer` is a `tests.smtp_server.SmtpServer` whose handler can answer DATA with a 451, or record the
  message and drop the connection instead of replying (the sender never learns the server accepted it: the
  duplicate window of docs/deploy.md).

Which fault hits which request is decided by a caller-supplied ``choose`` function (the drill's seeded plan), and
``on_request`` / ``on_data`` hooks let the drill SIGKILL the client at an exact point: while a given request is
being answered, or before / after a given message is recorded.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fake_ctgov import FakeCtGov
from tests.smtp_server import Received, Recorder, SmtpServer

API_FAULTS = ("503", "429", "drop", "slow")
SMTP_FAULTS = ("451", "drop")


@dataclass
class FaultyCtGov(FakeCtGov):
    """The fake API with fault modes on ``/studies`` requests.

    ``choose(path)`` returns one of `API_FAULTS` or None for each request; ``on_request(n, path)`` is called first
    (n counts every request this server received) and returns True when the client was killed meanwhile (the
    request is then not answered).
    """

    choose: Callable[[str], str | None] | None = None
    on_request: Callable[[int, str], bool] | None = None
    retry_after_s: int = 1
    slow_chunks: int = 8
    slow_gap_s: float = 0.15
    received: int = 0
    faults: list[tuple[int, str]] = field(default_factory=list)  # (request number, fault) in order
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def begin(self, path: str) -> tuple[bool, str | None]:
        """(client killed, fault to inject) for the next request."""
        with self._lock:
            self.received += 1
            number = self.received
        if self.on_request is not None and self.on_request(number, path):
            return True, None
        fault = self.choose(path) if self.choose is not None and path == "/api/v2/studies" else None
        if fault is not None:
            with self._lock:
                self.faults.append((number, fault))
        return False, fault


@contextmanager
def serve_faulty(fake: FaultyCtGov) -> Iterator[FaultyCtGov]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def handle(self) -> None:
            # The client may be killed between two requests on a kept-alive connection.
            with contextlib.suppress(ConnectionResetError, BrokenPipeError):
                super().handle()

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            killed, fault = fake.begin(parts.path)
            if killed:
                self.close_connection = True
                return
            try:
                if fault == "503":
                    self._send(503, "text/plain", b"Service Unavailable")
                elif fault == "429":
                    self._send(429, "text/plain", b"Too Many Requests", {"Retry-After": str(fake.retry_after_s)})
                else:
                    status, content_type, body, headers = fake.answer(parts.path, params)
                    self._send(status, content_type, body.encode("utf-8"), headers, fault=fault)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client died (a kill) or gave up

        def _send(self, status: int, content_type: str, data: bytes, headers: dict[str, str] | None = None,
                  fault: str | None = None) -> None:  # fmt: skip
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if fault == "drop":
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
            elif fault == "slow":
                step = max(1, -(-len(data) // fake.slow_chunks))
                for start in range(0, len(data), step):
                    self.wfile.write(data[start : start + step])
                    self.wfile.flush()
                    time.sleep(fake.slow_gap_s)
            else:
                self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/api/v2"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class FaultyRecorder(Recorder):
    """`Recorder` with fault modes on DATA: ``choose()`` returns one of `SMTP_FAULTS` or None per message.

    ``on_data(n, stage)`` is called with stage "before" (nothing recorded yet) and "after" (recorded, no reply
    sent yet); it returns True when the client was killed meanwhile.
    """

    choose: Callable[[], str | None] | None = None
    on_data: Callable[[int, str], bool] | None = None
    data_commands: int = 0
    faults: list[tuple[int, str]] = field(default_factory=list)
    dropped_after_accept: list[str] = field(default_factory=list)  # Message-IDs recorded whose reply was dropped

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_commands += 1
        number = self.data_commands
        if self.on_data is not None and self.on_data(number, "before"):
            return "421 4.3.0 client gone"
        fault = self.choose() if self.choose is not None else None
        if fault is not None:
            self.faults.append((number, fault))
        if fault == "451":
            self.refused += 1
            return "451 4.3.0 Temporary failure, please try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), message))
        if self.on_data is not None and self.on_data(number, "after"):
            return "421 4.3.0 client gone"
        if fault == "drop":
            self.dropped_after_accept.append(str(message["Message-ID"]))
            server.transport.abort()  # accepted, but the reply never reaches the sender
            return "421 4.3.0 connection dropped"
        return "250 Message accepted for delivery"


class FaultySmtpServer(SmtpServer):
    def __init__(self, port: int | None = None) -> None:
        super().__init__(port)
        self.handler: FaultyRecorder = FaultyRecorder()


@contextmanager
def faulty_smtp_server() -> Iterator[FaultySmtpServer]:
    server = FaultySmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
