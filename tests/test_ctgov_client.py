"""The ClinicalTrials.gov API v2 client (`matcher.ctgov_client`) and the API source (`matcher.sources.ApiSource`).

Two kinds of test, both serving real study objects from ../shared and never calling clinicaltrials.gov:

* replays of vcrpy cassettes synthesised from real records (tests/cassettes/build_cassettes.py tells how), matched
  on method, URL and every query parameter, so a wrong parameter finds no interaction and fails;
* failures against a real HTTP server on 127.0.0.1 that answers from a per-test script and records every request.
"""

from __future__ import annotations

import importlib.util
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import vcr

from matcher import __version__
from matcher.config import CTGOV_URL, Settings
from matcher.ctgov_client import CtGovClient, make_session
from matcher.ctgov_parse import parse_study
from matcher.errors import (
    CtGovConnectionError,
    CtGovDataError,
    CtGovHTTPError,
    CtGovTimeout,
    PageTokenExpired,
)
from matcher.sources import ApiSource
from tests.conftest import load_study

CASSETTES = Path(__file__).parent / "cassettes"
REPLAY = vcr.VCR(
    cassette_library_dir=str(CASSETTES),
    record_mode="none",
    match_on=["method", "scheme", "host", "port", "path", "query"],
)
WATCH_LIST = ("NCT04554680", "NCT03753919")


def replay_client() -> CtGovClient:
    return CtGovClient(CTGOV_URL, make_session(retries=0), interval_s=0)


def nct(study: dict[str, Any]) -> str:
    nct_id: str = study["protocolSection"]["identificationModule"]["nctId"]
    return nct_id


# --- replays of synthesised cassettes -------------------------------------------------------------------------


def test_cassettes_are_what_the_builder_makes_from_shared() -> None:
    spec = importlib.util.spec_from_file_location("build_cassettes", CASSETTES / "build_cassettes.py")
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    for name, text in builder.build().items():
        assert (CASSETTES / name).read_text(encoding="utf-8") == text, f"rerun build_cassettes.py: {name} is stale"


def test_pages_follow_the_next_page_token_with_the_same_parameters() -> None:
    settings = Settings()
    params = {
        "query.cond": settings.search_condition,
        "query.term": settings.search_term,
        "filter.overallStatus": ",".join(settings.search_statuses),
    }
    with REPLAY.use_cassette("replay_thyroid_search_2pages.yaml") as cassette:
        pages = list(replay_client().pages(params, page_size=3))
    assert cassette.all_played
    assert [[nct(s) for s in p["studies"]] for p in pages] == [
        ["NCT01321554", "NCT02973997", "NCT03469011"],
        ["NCT03602495", "NCT03690388"],
    ]
    assert pages[0]["totalCount"] == 5
    assert "totalCount" not in pages[1] and "nextPageToken" not in pages[1]


def test_studies_yields_every_study_of_both_pages_in_order() -> None:
    settings = Settings()
    params = {
        "query.cond": settings.search_condition,
        "query.term": settings.search_term,
        "filter.overallStatus": ",".join(settings.search_statuses),
    }
    with REPLAY.use_cassette("replay_thyroid_search_2pages.yaml") as cassette:
        ids = [nct(s) for s in replay_client().studies(params, page_size=3)]
    assert cassette.all_played
    assert ids == ["NCT01321554", "NCT02973997", "NCT03469011", "NCT03602495", "NCT03690388"]


def test_api_source_without_since_sends_the_default_search_only() -> None:
    settings = Settings(ctgov_url=CTGOV_URL, watch_list=(), request_interval_s=0, page_size=3)
    with REPLAY.use_cassette("replay_thyroid_search_2pages.yaml") as cassette:
        records = list(ApiSource(replay_client(), settings).records(None))
    assert cassette.all_played  # no filter.advanced, else the first request would have found no interaction
    assert [nct(r.study) for r in records if r.study] == [
        "NCT01321554",
        "NCT02973997",
        "NCT03469011",
        "NCT03602495",
        "NCT03690388",
    ]
    assert {r.origin for r in records} == {CTGOV_URL} and all(r.error is None for r in records)


def test_api_source_since_filters_on_last_update_and_fetches_the_watch_list() -> None:
    settings = Settings(ctgov_url=CTGOV_URL, watch_list=WATCH_LIST, request_interval_s=0)
    with REPLAY.use_cassette("replay_api_source_since_2026-11-25.yaml") as cassette:
        records = list(ApiSource(replay_client(), settings).records(date(2026, 11, 25)))
    assert cassette.all_played
    sent = [dict(r.query) for r in cassette.requests]
    assert sent[0]["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2026-11-25,MAX]"
    assert sent[1] == {
        "filter.ids": "NCT04554680,NCT03753919",
        "format": "json",
        "pageSize": "1000",
        "countTotal": "true",
    }
    assert [nct(r.study) for r in records if r.study] == ["NCT03506048", "NCT03246958", "NCT03753919"]


def test_study_returns_the_study_object() -> None:
    with REPLAY.use_cassette("replay_study_NCT03690388.yaml") as cassette:
        study = replay_client().study("NCT03690388")
    assert cassette.all_played
    assert study == load_study("NCT03690388")


def test_version() -> None:
    with REPLAY.use_cassette("replay_version.yaml") as cassette:
        version = replay_client().version()
    assert cassette.all_played
    assert version["apiVersion"] == "2.0.5"
    assert version["dataTimestamp"] == "2026-11-25T09:00:05"


def test_markdown_escapes_in_live_eligibility_text_are_removed_by_the_parser() -> None:
    with REPLAY.use_cassette("replay_study_NCT01811212_markdown_criteria.yaml") as cassette:
        study = replay_client().study("NCT01811212")
    assert cassette.all_played
    raw = study["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
    assert "cumulative RAI dose of \\>= 600 mCi" in raw and "Creatinine =\\< 1.5 x ULN" in raw
    text = parse_study(study).eligibility_text
    assert "cumulative RAI dose of >= 600 mCi" in text
    assert "Creatinine =< 1.5 x ULN" in text
    assert "aminotransferase [ALT]" in text
    assert "\\" not in text


# --- a loopback server that answers from a script ------------------------------------------------------------


@dataclass
class Reply:
    """One scripted answer: a dict/list body is sent as JSON, a str as plain text (unless headers say otherwise)."""

    status: int = 200
    body: Any = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class Loopback(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: list[Reply] = []
        self.seen: list[Seen] = []
        self.closing = threading.Event()
        self.base_url = f"http://127.0.0.1:{self.server_port}/api/v2"


class _Handler(BaseHTTPRequestHandler):
    server: Loopback

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.server.seen.append(Seen(url.path, dict(parse_qsl(url.query)), dict(self.headers.items())))
        reply = self.server.script.pop(0) if self.server.script else Reply(418, "loopback: no scripted reply left")
        if self.server.closing.wait(reply.delay_s):
            return  # the test is over
        is_text = isinstance(reply.body, str)
        body = (reply.body if is_text else json.dumps(reply.body)).encode("utf-8")
        headers = {"Content-Type": "text/plain" if is_text else "application/json"} | reply.headers
        try:
            self.send_response(reply.status)
            for name, value in (headers | {"Content-Length": str(len(body))}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    server = Loopback()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.closing.set()
    server.shutdown()
    server.server_close()
    thread.join()


def client_for(server: Loopback, retries: int = 0, **options: Any) -> CtGovClient:
    options.setdefault("interval_s", 0)
    return CtGovClient(server.base_url, make_session(retries=retries, backoff_factor=0), **options)


def search_page(nct_ids: list[str], total: int | None = None, token: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {} if total is None else {"totalCount": total}
    page["studies"] = [load_study(n) for n in nct_ids]
    return page | ({"nextPageToken": token} if token else {})


COSMIC = "NCT03690388"


def test_429_with_retry_after_waits_then_succeeds(loopback: Loopback) -> None:
    loopback.script = [Reply(429, "Too Many Requests", {"Retry-After": "1"}), Reply(200, load_study(COSMIC))]
    started = time.monotonic()
    study = client_for(loopback, retries=2).study(COSMIC)
    waited = time.monotonic() - started
    assert nct(study) == COSMIC
    assert len(loopback.seen) == 2
    assert waited >= 0.95  # Retry-After: 1 was honoured


def test_503_every_time_raises_with_status_url_and_body_after_all_retries(loopback: Loopback) -> None:
    loopback.script = [Reply(503, "Service Unavailable: back soon")] * 3  # no Retry-After
    with pytest.raises(CtGovHTTPError) as caught:
        client_for(loopback, retries=2).study(COSMIC)
    assert caught.value.status == 503
    assert f"{loopback.base_url}/studies/{COSMIC}?format=json" in str(caught.value)
    assert "Service Unavailable: back soon" in str(caught.value)
    assert len(loopback.seen) == 3  # retries + 1


def test_no_answer_within_the_timeout_raises_ctgov_timeout(loopback: Loopback) -> None:
    loopback.script = [Reply(200, load_study(COSMIC), delay_s=5)]
    with pytest.raises(CtGovTimeout):
        client_for(loopback, retries=0, timeout_s=0.3).study(COSMIC)


def test_invalid_json_with_status_200_raises_data_error_naming_the_url(loopback: Loopback) -> None:
    cut_short = json.dumps(load_study(COSMIC))[:2000]
    loopback.script = [Reply(200, cut_short, {"Content-Type": "application/json"})]
    with pytest.raises(CtGovDataError) as caught:
        client_for(loopback).study(COSMIC)
    assert f"{loopback.base_url}/studies/{COSMIC}?format=json" in str(caught.value)


def test_400_bad_parameter_is_not_retried(loopback: Loopback) -> None:
    loopback.script = [Reply(400, "`filter.phase` is unknown parameter")]
    with pytest.raises(CtGovHTTPError) as caught:
        list(client_for(loopback, retries=2).studies({"filter.phase": "PHASE2"}))
    assert type(caught.value) is CtGovHTTPError  # not PageTokenExpired: page 1 has no token
    assert caught.value.status == 400
    assert "`filter.phase` is unknown parameter" in str(caught.value)
    assert len(loopback.seen) == 1
    assert loopback.seen[0].query["filter.phase"] == "PHASE2"


# The API's text for a stale token is not documented; any 400 on a pageToken request counts as expiry.
EXPIRED = Reply(400, "Invalid pageToken")
PARAMS = {"query.cond": "thyroid cancer"}


def test_an_expired_page_token_restarts_the_search_once(loopback: Loopback) -> None:
    loopback.script = [
        Reply(200, search_page(["NCT03469011", "NCT03602495"], total=3, token="tok-before-refresh")),
        EXPIRED,
        Reply(200, search_page(["NCT03469011", "NCT03602495"], total=3, token="tok-after-refresh")),
        Reply(200, search_page([COSMIC])),
    ]
    ids = [nct(s) for s in client_for(loopback).studies(PARAMS, page_size=2)]
    # The restart repeats page 1; the ingestion skips NCT ids it has seen in the run.
    assert ids == ["NCT03469011", "NCT03602495", "NCT03469011", "NCT03602495", COSMIC]
    queries = [s.query for s in loopback.seen]
    assert queries[0] == queries[2] == {**PARAMS, "format": "json", "pageSize": "2", "countTotal": "true"}
    assert queries[1] == {**PARAMS, "format": "json", "pageSize": "2", "pageToken": "tok-before-refresh"}
    assert queries[3] == {**PARAMS, "format": "json", "pageSize": "2", "pageToken": "tok-after-refresh"}


def test_a_second_expired_page_token_raises(loopback: Loopback) -> None:
    page_1 = Reply(200, search_page(["NCT03469011", "NCT03602495"], total=3, token="tok"))
    loopback.script = [page_1, EXPIRED, page_1, EXPIRED]
    with pytest.raises(PageTokenExpired) as caught:
        list(client_for(loopback).studies(PARAMS, page_size=2))
    assert caught.value.status == 400
    assert len(loopback.seen) == 4


def test_an_empty_page_mid_stream_is_followed(loopback: Loopback) -> None:
    loopback.script = [
        Reply(200, search_page(["NCT03469011"], total=2, token="t1")),
        Reply(200, search_page([], token="t2")),
        Reply(200, search_page([COSMIC])),
    ]
    assert [nct(s) for s in client_for(loopback).studies(PARAMS)] == ["NCT03469011", COSMIC]
    assert [s.query.get("pageToken") for s in loopback.seen] == [None, "t1", "t2"]


def test_404_for_an_unknown_study(loopback: Loopback) -> None:
    loopback.script = [Reply(404, "Study NCT99999999 not found")]
    with pytest.raises(CtGovHTTPError) as caught:
        client_for(loopback, retries=2).study("NCT99999999")
    assert caught.value.status == 404
    assert "Study NCT99999999 not found" in str(caught.value)
    assert [s.path for s in loopback.seen] == ["/api/v2/studies/NCT99999999"]


def test_a_301_from_an_alias_id_is_followed(loopback: Loopback) -> None:
    alias = "NCT09999999"  # made up: ../shared holds no real alias pair
    loopback.script = [
        Reply(301, "Moved Permanently", {"Location": f"/api/v2/studies/{COSMIC}?format=json"}),
        Reply(200, load_study(COSMIC)),
    ]
    study = client_for(loopback).study(alias)
    assert nct(study) == COSMIC
    assert [s.path for s in loopback.seen] == [f"/api/v2/studies/{alias}", f"/api/v2/studies/{COSMIC}"]


def test_requests_identify_matcher_in_the_user_agent(loopback: Loopback) -> None:
    loopback.script = [Reply(200, load_study(COSMIC))]
    client_for(loopback).study(COSMIC)
    assert loopback.seen[0].headers["User-Agent"].startswith(f"matcher/{__version__}")
    assert loopback.seen[0].headers["Accept"] == "application/json"


def test_requests_are_spaced_by_the_interval(loopback: Loopback) -> None:
    loopback.script = [Reply(200, load_study(COSMIC)) for _ in range(3)]
    client = client_for(loopback, interval_s=0.5)
    started = time.monotonic()
    for _ in range(3):
        client.study(COSMIC)
    assert time.monotonic() - started >= 0.99
    assert len(loopback.seen) == 3


def test_connection_refused_raises_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = CtGovClient(f"http://127.0.0.1:{port}/api/v2", make_session(retries=0), interval_s=0)
    with pytest.raises(CtGovConnectionError) as caught:
        client.study(COSMIC)
    assert f"cannot reach http://127.0.0.1:{port}/api/v2/studies/{COSMIC}" in str(caught.value)
