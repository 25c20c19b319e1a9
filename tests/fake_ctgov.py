"""A loopback server that answers like ClinicalTrials.gov API v2, serving real study objects.

It replays; it does not search: ``query.*`` and ``filter.overallStatus`` are recorded, not applied (tests assert
on the parameters the client sent). It does apply ``filter.ids`` and the ``LastUpdatePostDate`` range of
``filter.advanced``, because incremental runs depend on them, and it pages with ``pageSize``/``pageToken``.
Tests change ``studies`` between runs and can make a given request fail (``fail_on``).

Fault modes, each off by default (the fault drills of issue 11):

- ``drop_token_on_page``: that page (1-based) of a search comes without its ``nextPageToken``, though
  ``totalCount`` says there is more;
- ``repeat_token``: every page of a search hands back page 1's ``nextPageToken``, so paging would loop;
- ``fail_on`` with ``headers``: e.g. a 429 with ``Retry-After: 3600``;
- ``dribble_s``: a 200 body is sent a few bytes at a time, this long apart (the answer never stalls long enough
  for a read timeout);
- ``extra_items``: items put before the studies of page 1 (e.g. numbers, strings, null), counted in ``totalCount``
  as the API would count whatever it lists;
- ``max_requests``: past this many requests the fake answers 500, so a client that loops fails instead of hanging.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

RANGE = re.compile(r"AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),MAX\]")


DRIBBLE_BYTES = 64


@dataclass
class Failure:
    status: int
    body: str = "Internal Server Error"
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeCtGov:
    studies: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    fail_on: dict[int, Failure] = field(default_factory=dict)  # request number (1-based) -> failure
    delay_s: float = 0.0
    base_url: str = ""
    drop_token_on_page: int | None = None
    repeat_token: bool = False
    dribble_s: float = 0.0
    extra_items: list[Any] = field(default_factory=list)
    max_requests: int = 1000

    def put(self, study: dict[str, Any]) -> None:
        self.studies[study["protocolSection"]["identificationModule"]["nctId"]] = study

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, str, str, dict[str, str]]:
        status, content_type, body = self._answer(path, params)
        failure = self.fail_on.get(len(self.requests))
        return status, content_type, body, failure.headers if failure else {}

    def _answer(self, path: str, params: dict[str, str]) -> tuple[int, str, str]:
        self.requests.append((path, params))
        if len(self.requests) > self.max_requests:
            return 500, "text/plain", f"fake: more than {self.max_requests} requests"
        failure = self.fail_on.get(len(self.requests))
        if failure:
            time.sleep(failure.delay_s)
            return failure.status, "text/plain", failure.body
        time.sleep(self.delay_s)
        if path == "/api/v2/version":
            return 200, "application/json", json.dumps({"apiVersion": "2.0.5", "dataTimestamp": "2026-11-26T09:00:00"})
        if path.startswith("/api/v2/studies/"):
            study = self.studies.get(path.rsplit("/", 1)[1].upper())
            if study is None:
                return 404, "text/plain", f"Study not found: {path.rsplit('/', 1)[1]}"
            return 200, "application/json", json.dumps(study)
        if path == "/api/v2/studies":
            return 200, "application/json", json.dumps(self.page(params))
        return 404, "text/plain", f"unknown path {path}"

    def page(self, params: dict[str, str]) -> dict[str, Any]:
        selected = sorted(self.studies.items())
        if "filter.ids" in params:
            wanted = set(params["filter.ids"].split(","))
            selected = [(k, v) for k, v in selected if k in wanted]
        since = RANGE.search(params.get("filter.advanced", ""))
        if since:
            selected = [(k, v) for k, v in selected if _last_update(v) >= since.group(1)]
        items: list[Any] = [*self.extra_items, *(v for _, v in selected)]
        size = int(params.get("pageSize", 10))
        start = int(params.get("pageToken", "0") or 0)
        page: dict[str, Any] = {"studies": items[start : start + size]}
        if "countTotal" in params:
            page["totalCount"] = len(items)
        if start + size < len(items) and start // size + 1 != self.drop_token_on_page:
            page["nextPageToken"] = str(size if self.repeat_token else start + size)
        return page


def _last_update(study: dict[str, Any]) -> str:
    struct = study["protocolSection"].get("statusModule", {}).get("lastUpdatePostDateStruct", {})
    return str(struct.get("date", "0000-00-00"))


@contextmanager
def serve(fake: FakeCtGov) -> Iterator[FakeCtGov]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            status, content_type, body, headers = fake.answer(parts.path, params)
            data = body.encode("utf-8")
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if status == 200 and fake.dribble_s:
                    for start in range(0, len(data), DRIBBLE_BYTES):
                        self.wfile.write(data[start : start + DRIBBLE_BYTES])
                        self.wfile.flush()
                        time.sleep(fake.dribble_s)
                else:
                    self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

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
