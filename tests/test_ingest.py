"""Ingestion on real databases: full and incremental runs, unchanged detection, reruns, failures, locking."""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from matcher import db, ingest, store
from matcher.config import Settings
from matcher.ctgov_client import CtGovClient, make_session
from matcher.ctgov_parse import parse_study
from matcher.errors import CtGovHTTPError, LockHeld, SourceError
from matcher.sources import ApiSource, DirectorySource, ZipSource
from matcher.tables import FetchRunRow, SiteRow, TrialRow
from tests.conftest import STUDIES, fixed_clock, load_study
from tests.fake_ctgov import Failure, FakeCtGov, serve

ALL_STUDIES = sorted(p.stem for p in STUDIES.glob("*.json"))


def api_source(fake: FakeCtGov, **overrides: object) -> ApiSource:
    settings = Settings(ctgov_url=fake.base_url, request_interval_s=0, page_size=10, **overrides)  # type: ignore[arg-type]
    client = CtGovClient(fake.base_url, make_session(retries=0), timeout_s=5, interval_s=0)
    return ApiSource(client, settings)


def runs(engine: Engine) -> list[FetchRunRow]:
    with db.session(engine) as session:
        return list(session.exec(select(FetchRunRow).order_by(FetchRunRow.id)))  # type: ignore[arg-type]


def test_directory_twice_is_all_new_then_all_unchanged(engine: Engine) -> None:
    source = DirectorySource(STUDIES)
    first = ingest.fetch(engine, source, fixed_clock("2026-11-25T03:00:00"))
    assert sorted(first.new) == ALL_STUDIES and first.unchanged == 0 and not first.failures
    second = ingest.fetch(engine, source, fixed_clock("2026-11-26T03:00:00"))
    assert second.new == [] and second.changed == [] and second.unchanged == len(ALL_STUDIES)
    with db.session(engine) as session:
        # The second run wrote nothing: every trial keeps the first run's timestamp.
        stamps = {row.updated_at.date() for row in session.exec(select(TrialRow))}
        assert stamps == {date(2026, 11, 25)}
        row = store.get_trial(session, "NCT03690388")
        assert row is not None and row.overall_status == "RECRUITING" and row.minimum_age == "16 Years"
        assert "Measurable disease according to RECIST 1.1" in row.eligibility_text
        sites = store.trial_sites(session, "NCT03167385")
        assert sites and all(site.country for site in sites)
    assert [r.outcome for r in runs(engine)] == ["succeeded", "succeeded"]


def test_only_matching_relevant_edits_count_as_changed(tmp_path: Path, sqlite_url: str) -> None:
    engine = db.open_database(sqlite_url)
    folder = tmp_path / "studies"
    shutil.copytree(STUDIES, folder)
    ingest.fetch(engine, DirectorySource(folder), fixed_clock())

    edited = json.loads((folder / "NCT03690388.json").read_text())
    edited["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] += "\n  - Added criterion"
    (folder / "NCT03690388.json").write_text(json.dumps(edited))
    cosmetic = json.loads((folder / "NCT03167385.json").read_text())
    cosmetic["protocolSection"]["descriptionModule"]["briefSummary"] = "reworded summary"
    (folder / "NCT03167385.json").write_text(json.dumps(cosmetic))
    (folder / "broken.json").write_text("{not json")

    summary = ingest.fetch(engine, DirectorySource(folder), fixed_clock())
    assert summary.changed == ["NCT03690388"]
    assert summary.unchanged == len(ALL_STUDIES) - 1
    assert len(summary.failures) == 1 and "broken.json" in summary.failures[0]
    with db.session(engine) as session:
        row = store.get_trial(session, "NCT03690388")
        assert row is not None and row.eligibility_text.endswith("- Added criterion")


def test_incremental_api_run_asks_since_watermark_minus_overlap(engine: Engine) -> None:
    with serve(FakeCtGov()) as fake:
        for nct in ALL_STUDIES:
            fake.put(load_study(nct))
        first = ingest.fetch(engine, api_source(fake), fixed_clock("2026-11-25T03:00:00"))
        assert first.mode == "full" and sorted(first.new) == ALL_STUDIES
        assert not any("filter.advanced" in params for _, params in fake.requests)

        updated = copy.deepcopy(fake.studies["NCT03602495"])
        status = updated["protocolSection"]["statusModule"]
        status["overallStatus"] = "ACTIVE_NOT_RECRUITING"
        status["lastUpdatePostDateStruct"] = {"date": "2026-11-25", "type": "ACTUAL"}
        fake.put(updated)
        fake.requests.clear()
        second = ingest.fetch(engine, api_source(fake), fixed_clock("2026-11-26T03:00:00"))

    assert second.mode == "incremental" and second.since == date(2026, 11, 24)
    search = [params for path, params in fake.requests if "filter.ids" not in params]
    assert search[0]["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2026-11-24,MAX]"
    assert second.changed == ["NCT03602495"]
    assert second.unchanged == 1  # NCT03753919, on the watch list, is fetched every time
    with db.session(engine) as session:
        row = store.get_trial(session, "NCT03602495")
        assert row is not None and row.overall_status == "ACTIVE_NOT_RECRUITING"


def test_failure_on_page_three_keeps_database_consistent_and_watermark(engine: Engine) -> None:
    with serve(FakeCtGov()) as fake:
        for nct in ALL_STUDIES:
            fake.put(load_study(nct))
        ingest.fetch(engine, api_source(fake), fixed_clock("2026-11-20T03:00:00"))
        for nct in ALL_STUDIES[:30]:  # every study changes upstream
            changed = copy.deepcopy(fake.studies[nct])
            changed["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] += "\n  - amended"
            changed["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {"date": "2026-11-25"}
            fake.put(changed)
        fake.requests.clear()
        fake.fail_on = {3: Failure(500, "upstream exploded")}  # page 3 of the search
        with pytest.raises(CtGovHTTPError, match="500"):
            ingest.fetch(engine, api_source(fake), fixed_clock("2026-11-26T03:00:00"), batch_size=5)
        failed = runs(engine)[-1]
        assert failed.outcome == "failed" and "upstream exploded" in (failed.error or "")
        assert failed.watermark is None
        with db.session(engine) as session:
            assert store.last_watermark(session, fake.base_url) == date(2026, 11, 20)
            amended = [r.nct_id for r in session.exec(select(TrialRow)) if r.eligibility_text.endswith("amended")]
            # Pages 1 and 2 (20 studies) were committed whole, in batches; nothing of page 3.
            assert len(amended) == 20 == failed.n_changed
            for nct in amended:  # every committed trial has its sites (no half-written trial)
                assert len(store.trial_sites(session, nct)) == len(
                    fake.studies[nct]["protocolSection"].get("contactsLocationsModule", {}).get("locations", [])
                )

        fake.fail_on = {}
        retry = ingest.fetch(engine, api_source(fake), fixed_clock("2026-11-26T04:00:00"))
    assert retry.since == date(2026, 11, 19)  # the failed run did not move the watermark
    assert sorted(retry.changed) == sorted(set(ALL_STUDIES[:30]) - set(amended))
    assert retry.outcome == "succeeded"


def test_second_fetch_while_one_runs_is_refused(engine: Engine) -> None:
    clock = fixed_clock()
    with (
        store.hold_lock(engine, "fetch", clock(), timedelta(hours=1)),
        pytest.raises(LockHeld, match="another fetch run holds the lock"),
    ):
        ingest.fetch(engine, DirectorySource(STUDIES), clock)
    assert ingest.fetch(engine, DirectorySource(STUDIES), clock).outcome == "succeeded"


def test_killed_fetch_is_recovered_by_the_next_run(sqlite_url: str, tmp_path: Path) -> None:
    """A real process killed mid-run: its death released the lock; the next run marks it failed and completes."""
    with serve(FakeCtGov(delay_s=0.4)) as fake:
        for nct in ALL_STUDIES:
            fake.put(load_study(nct))
        env = {
            **os.environ,
            "MATCHER_DATABASE_URL": sqlite_url,
            "MATCHER_REQUEST_INTERVAL_S": "0",
            "MATCHER_PAGE_SIZE": "5",
            "MATCHER_CONFIG": str(tmp_path / "none.toml"),
        }
        (tmp_path / "none.toml").write_text("")
        proc = subprocess.Popen(
            [sys.executable, "-m", "matcher", "fetch", "--source", fake.base_url],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while len(fake.requests) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()

        engine = db.open_database(sqlite_url)
        with db.session(engine) as session:
            assert session.exec(select(FetchRunRow)).one().outcome == "running"
            partial = len(list(session.exec(select(TrialRow))))
            sites = list(session.exec(select(SiteRow)))
        assert partial < len(ALL_STUDIES)
        assert {s.nct_id for s in sites} <= {t for t in ALL_STUDIES}

        fake.delay_s = 0
        summary = ingest.fetch(engine, api_source(fake), fixed_clock())
    assert [r.outcome for r in runs(engine)] == ["failed", "succeeded"]
    assert "interrupted" in (runs(engine)[0].error or "")
    assert len(summary.new) + summary.unchanged == len(ALL_STUDIES)


def test_a_file_nested_too_deeply_is_one_unreadable_file(engine: Engine, tmp_path: Path) -> None:
    """Before: RecursionError escaped from the source and stopped the run with a traceback."""
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "good.json").write_text(json.dumps(load_study("NCT03690388")))
    summary = ingest.fetch(engine, DirectorySource(tmp_path), fixed_clock())
    assert summary.new == ["NCT03690388"]
    assert summary.failures == [f"{tmp_path / 'deep.json'}: not readable JSON: nested too deeply"]


def _bulk_zip(path: Path) -> Path:
    """A zip laid out like the registry's bulk download (a folder of NCT*.json), with a file that is no study and
    one that is not JSON."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ctg-studies/", b"")
        for study in sorted(STUDIES.glob("NCT*.json")):
            archive.write(study, f"ctg-studies/{study.name}")
        archive.writestr("ctg-studies/README.txt", b"not a study")
        archive.writestr("ctg-studies/NCT99999999.json", b"{not json")
    return path


def test_a_bulk_zip_read_by_two_workers_stores_every_study_in_archive_order(engine: Engine, tmp_path: Path) -> None:
    archive = _bulk_zip(tmp_path / "ctg-studies.json.zip")
    summary = ingest.fetch(engine, ZipSource(archive), fixed_clock(), batch_size=7, workers=2)
    assert summary.new == ALL_STUDIES  # in the archive's order, whichever worker read them
    assert len(summary.failures) == 1 and summary.failures[0].startswith(f"{archive}!ctg-studies/NCT99999999.json")
    with db.session(engine) as session:
        for nct in ALL_STUDIES:
            expected = parse_study(json.loads((STUDIES / f"{nct}.json").read_bytes()))
            row = store.get_trial(session, nct)
            assert row is not None and row.content_hash == expected.content_hash
            assert row.eligibility_text == expected.eligibility_text and row.raw == expected.raw
            assert len(store.trial_sites(session, nct)) == len(expected.sites)
    again = ingest.fetch(engine, ZipSource(archive), fixed_clock(), workers=2)
    assert (len(again.new), len(again.changed), again.unchanged) == (0, 0, 48)


def test_a_damaged_zip_fails_the_run_naming_the_file_and_keeps_the_committed_batches(
    engine: Engine, tmp_path: Path
) -> None:
    archive = _bulk_zip(tmp_path / "ctg-studies.json.zip")
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)  # a hole in one member's compressed data; the directory is intact
    archive.write_bytes(bytes(data))
    with pytest.raises(SourceError, match=f"cannot read {archive}"):
        ingest.fetch(engine, ZipSource(archive), fixed_clock(), batch_size=5)
    failed = runs(engine)[-1]
    assert failed.outcome == "failed" and str(archive) in (failed.error or "")
    assert 0 < failed.n_new < 48 and failed.n_new % 5 == 0  # whole batches, committed before the damage
    with db.session(engine) as session:
        assert store.count_trials(session) == failed.n_new
