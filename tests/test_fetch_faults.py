"""Fetch completeness and bounded waits (issue 11, findings 3 and 5): the loopback fake API misbehaves on command.

Each test here failed before the fix: a page without its token ended the run "succeeded" with the watermark moved;
a repeated token looped; ``Retry-After: 3600`` was waited for; a dribbled body ran on; a run had no deadline;
non-object items in ``studies`` raised AttributeError.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from matcher import db, ingest, store
from matcher.config import Settings
from matcher.ctgov_client import CtGovClient, make_session
from matcher.errors import ConfigError, CtGovDataError, CtGovHTTPError, CtGovTimeout
from matcher.sources import ApiSource, open_source
from matcher.tables import FetchRunRow, TrialRow
from tests.conftest import STUDIES, fixed_clock, load_study
from tests.fake_ctgov import Failure, FakeCtGov, serve

ALL_STUDIES = sorted(p.stem for p in STUDIES.glob("*.json"))


def api_source(fake: FakeCtGov, retries: int = 0, **client_options: Any) -> ApiSource:
    settings = Settings(ctgov_url=fake.base_url, request_interval_s=0, page_size=10, watch_list=())
    client_options.setdefault("timeout_s", 5)
    session = make_session(retries=retries, backoff_factor=0)
    return ApiSource(CtGovClient(fake.base_url, session, interval_s=0, **client_options), settings)


def last_run(engine: Engine) -> FetchRunRow:
    with db.session(engine) as session:
        return session.exec(select(FetchRunRow).order_by(FetchRunRow.id.desc())).first()  # type: ignore[union-attr,return-value]


def amend_all(fake: FakeCtGov, on: str = "2026-11-25") -> None:
    for nct in list(fake.studies):
        changed = copy.deepcopy(fake.studies[nct])
        changed["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] += "\n  - amended"
        changed["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {"date": on}
        fake.put(changed)


@pytest.fixture
def fake() -> Any:
    with serve(FakeCtGov()) as server:
        for nct in ALL_STUDIES:
            server.put(load_study(nct))
        yield server


def test_a_page_without_its_token_fails_the_run_and_keeps_the_watermark(engine: Engine, fake: FakeCtGov) -> None:
    ingest.fetch(engine, api_source(fake), fixed_clock("2026-11-20T03:00:00"))
    amend_all(fake)
    fake.drop_token_on_page = 2  # totalCount says 48; page 2 has no nextPageToken
    with pytest.raises(CtGovDataError, match=rf"received 20 of {len(ALL_STUDIES)} studies \(totalCount\)"):
        ingest.fetch(engine, api_source(fake), fixed_clock("2026-11-26T03:00:00"))
    failed = last_run(engine)
    assert failed.outcome == "failed" and failed.watermark is None
    assert f"received 20 of {len(ALL_STUDIES)}" in (failed.error or "")
    with db.session(engine) as session:
        assert store.last_watermark(session, fake.base_url) == date(2026, 11, 20)

    fake.drop_token_on_page = None
    retry = ingest.fetch(engine, api_source(fake), fixed_clock("2026-11-27T03:00:00"))
    assert retry.outcome == "succeeded" and retry.since == date(2026, 11, 19)
    with db.session(engine) as session:  # every update reached the database in the end
        texts = [row.eligibility_text for row in session.exec(select(TrialRow))]
    assert len(texts) == len(ALL_STUDIES) and all(text.endswith("amended") for text in texts)


def test_a_repeated_page_token_fails_at_once(engine: Engine, fake: FakeCtGov) -> None:
    fake.repeat_token = True
    fake.max_requests = 20  # before the fix the client asked until the fake refused
    with pytest.raises(CtGovDataError, match="repeats the nextPageToken '10' of an earlier page"):
        ingest.fetch(engine, api_source(fake), fixed_clock())
    assert len(fake.requests) == 2  # page 1 hands out token 10, page 2 hands it out again: stop
    assert last_run(engine).outcome == "failed"


def test_non_object_items_are_unreadable_studies_named_not_a_crash(engine: Engine, fake: FakeCtGov) -> None:
    fake.extra_items = [42, "NCT03690388", None]
    summary = ingest.fetch(engine, api_source(fake), fixed_clock())
    assert summary.outcome == "succeeded" and sorted(summary.new) == ALL_STUDIES
    assert summary.failures == [
        f"{fake.base_url} (search, study 1): expected a study object, found int",
        f"{fake.base_url} (search, study 2): expected a study object, found str",
        f"{fake.base_url} (search, study 3): expected a study object, found NoneType",
    ]
    assert last_run(engine).watermark is None  # unreadable studies: the next run asks again


def test_non_object_items_through_the_cli_exit_cleanly(sqlite_url: str, fake: FakeCtGov, tmp_path: Path) -> None:
    fake.extra_items = [{"not": "a study"}, 7]
    (tmp_path / "none.toml").write_text("")
    env = {**os.environ, "MATCHER_DATABASE_URL": sqlite_url, "MATCHER_REQUEST_INTERVAL_S": "0",
           "MATCHER_CONFIG": str(tmp_path / "none.toml"), "MATCHER_WATCH_LIST": ""}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "matcher", "fetch", "--source", fake.base_url],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert f"{len(ALL_STUDIES)} new" in done.stdout and "2 failed" in done.stdout
    assert "(search, study 2): expected a study object, found int" in done.stderr
    assert "study has no protocolSection" in done.stderr


def test_retry_after_beyond_the_cap_fails_without_waiting(fake: FakeCtGov) -> None:
    fake.fail_on = {1: Failure(429, "Too Many Requests", headers={"Retry-After": "3600"})}
    source = api_source(fake, retries=3, retry_after_max_s=300)
    outcome: list[BaseException | None] = []

    def fetch() -> None:
        try:
            list(source.records(None))
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 (handed to the test thread)
            outcome.append(exc)

    worker = threading.Thread(target=fetch, daemon=True)
    worker.start()
    worker.join(60)  # before the fix, the client slept 3600 s here
    assert outcome, "the client is still waiting for Retry-After: 3600"
    error = outcome[0]
    assert isinstance(error, CtGovHTTPError) and error.status == 429
    assert "asks to wait 3600 s (Retry-After), more than retry_after_max_s (300 s)" in str(error)
    assert len(fake.requests) == 1  # not retried into the same refusal


def test_retry_after_within_the_cap_is_waited_for(fake: FakeCtGov) -> None:
    fake.fail_on = {1: Failure(503, "back soon", headers={"Retry-After": "1"})}
    records = list(api_source(fake, retries=2, retry_after_max_s=2).records(None))
    assert len(records) == len(ALL_STUDIES) and len(fake.requests) == 1 + 1 + (len(ALL_STUDIES) - 1) // 10


def test_a_dribbled_body_is_cut_off_at_the_request_deadline(engine: Engine, fake: FakeCtGov) -> None:
    fake.dribble_s = 0.01  # 64 bytes every 10 ms: no read ever waits long, the page would take about a minute
    source = api_source(fake, timeout_s=5, request_deadline_s=1)
    with pytest.raises(CtGovTimeout, match=r"cut off at the request deadline of 1 s \(request_deadline_s\)"):
        ingest.fetch(engine, source, fixed_clock())
    assert last_run(engine).outcome == "failed"


def test_the_run_stops_at_its_deadline(engine: Engine, fake: FakeCtGov) -> None:
    fake.delay_s = 0.4  # each page answers slowly but within every per-request limit
    source = api_source(fake, run_deadline_s=1)
    with pytest.raises(CtGovTimeout, match=r"deadline of 1 s \(run_deadline_s\)"):
        ingest.fetch(engine, source, fixed_clock())
    assert 1 <= len(fake.requests) < 5  # 5 pages at 0.4 s each cannot all be asked for within 1 s
    run = last_run(engine)
    assert run.outcome == "failed" and run.watermark is None


def test_the_limits_are_settings_passed_to_the_client(fake: FakeCtGov) -> None:
    environ = {"MATCHER_CONFIG": os.devnull, "MATCHER_RETRY_AFTER_MAX_S": "60", "MATCHER_REQUEST_DEADLINE_S": "90",
               "MATCHER_RUN_DEADLINE_S": "0"}  # fmt: skip
    settings = Settings.from_env(environ)
    source = open_source(fake.base_url, settings)
    assert isinstance(source, ApiSource)
    assert (source.client.retry_after_max_s, source.client.request_deadline_s) == (60, 90)
    assert source.client.run_deadline_s is None  # 0: no deadline
    defaults = Settings.from_env({"MATCHER_CONFIG": os.devnull})
    assert (defaults.retry_after_max_s, defaults.request_deadline_s, defaults.run_deadline_s) == (300, 300, 14400)
    with pytest.raises(ConfigError, match="request_deadline_s must be a number of seconds > 0"):
        Settings.from_env({"MATCHER_CONFIG": os.devnull, "MATCHER_REQUEST_DEADLINE_S": "0"})


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ({"drop_token_on_page": 1}, f"Error: received 10 of {len(ALL_STUDIES)} studies (totalCount)"),
        ({"repeat_token": True}, "Error: page 2 of /studies repeats the nextPageToken '10' of an earlier page"),
        (
            {"fail_on": {1: Failure(429, "slow down", headers={"Retry-After": "3600"})}},
            "asks to wait 3600 s (Retry-After), more than retry_after_max_s (300 s); not waiting",
        ),
    ],
)
def test_fetch_faults_through_the_cli_exit_1_with_one_clear_line(
    sqlite_url: str, fake: FakeCtGov, tmp_path: Path, fault: dict[str, Any], message: str
) -> None:
    for name, value in fault.items():
        setattr(fake, name, value)
    (tmp_path / "none.toml").write_text("")
    env = {**os.environ, "MATCHER_DATABASE_URL": sqlite_url, "MATCHER_REQUEST_INTERVAL_S": "0",
           "MATCHER_PAGE_SIZE": "10", "MATCHER_RETRIES": "2",
           "MATCHER_CONFIG": str(tmp_path / "none.toml")}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "matcher", "fetch", "--source", fake.base_url],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert message in done.stderr
    engine = db.open_database(sqlite_url)
    assert last_run(engine).outcome == "failed" and last_run(engine).watermark is None
    engine.dispose()
