"""The nightly job stores the same match rows, news and digests whichever runs the re-match: this process
(`--workers 1`), two worker processes (`--workers 2`), or a Dask cluster on loopback (`--dask`).

The nights are those of tests/test_nightly.py (the first pull, a trial that opens, a criterion added, a site that
opens near a patient, a trial that closes) on the real studies of ../shared."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import text

from matcher import db
from matcher.rematch import RematchProgress
from tests.conftest import load_study
from tests.fake_ctgov import FakeCtGov, serve
from tests.smtp_server import smtp_server
from tests.test_nightly import (
    APATINIB,
    CABOZANTINIB,
    HOUSTON_SITE,
    LENVATINIB_EXCLUSION,
    OPENING,
    PTC_COORD,
    STUDY_IDS,
    Monitor,
    add_exclusion,
    set_status,
    settings_for,
    store_patients,
)

Tables = dict[str, list[tuple[Any, ...]]]
# Every column but the clock's: rows, news and the digests as sent.
QUERIES = {
    "match": "SELECT patient_id, nct_id, verdict, score, overall_status, nearest_km, deciding, eligible_from, "
    "recheck_on, trial_hash, patient_hash, parser_version FROM match ORDER BY patient_id, nct_id",
    "match_event": "SELECT id, run_id, patient_id, nct_id, kind, before, after, digest_id FROM match_event ORDER BY id",
    "digest": "SELECT id, run_id, coordinator, subject, text_body, html_body, message_id, status FROM digest "
    "ORDER BY id",
}


def five_nights(url: str, **where: Any) -> Tables:
    """The five nights on a fresh database; the stored rows, as the database returns them."""
    engine = db.open_database(url)
    try:
        with serve(FakeCtGov()) as fake, smtp_server() as smtp:
            for nct_id in STUDY_IDS:
                fake.put(load_study(nct_id))
            store_patients(engine, ["rair-papillary-braf", "rair-follicular-untreated", "sparse-minimal"], PTC_COORD)
            monitor = Monitor(engine, fake, smtp, settings_for(fake, smtp), where)
            assert monitor.night(21).outcome == "succeeded"
            monitor.edit(OPENING, 22, set_status("RECRUITING"))
            assert monitor.night(22).outcome == "succeeded"
            monitor.edit(CABOZANTINIB, 23, add_exclusion(LENVATINIB_EXCLUSION))
            assert monitor.night(23).outcome == "succeeded"
            monitor.edit(APATINIB, 24, lambda p: p["contactsLocationsModule"]["locations"].append(HOUSTON_SITE))
            assert monitor.night(24).outcome == "succeeded"
            monitor.edit(APATINIB, 25, set_status("COMPLETED"))
            assert monitor.night(25).outcome == "succeeded"
        with engine.connect() as connection:
            return {name: [tuple(row) for row in connection.execute(text(query))] for name, query in QUERIES.items()}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    """`--workers 1` on SQLite."""
    return five_nights(f"sqlite:///{tmp_path_factory.mktemp('inline') / 'matcher.sqlite'}", workers=1)


def test_the_reference_has_news_on_every_night(reference: Tables) -> None:
    assert len({row[1] for row in reference["match_event"]}) == 5
    assert reference["match"] and reference["digest"]


def test_two_worker_processes_store_exactly_what_one_process_does(reference: Tables, sqlite_url: str) -> None:
    assert five_nights(sqlite_url, workers=2) == reference


def test_a_dask_cluster_stores_exactly_what_one_process_does(reference: Tables, sqlite_url: str) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        assert five_nights(sqlite_url, workers=2, dask=cluster.scheduler_address) == reference


def _plain(value: Any) -> Any:
    """One value as both databases can give it: JSON decoded, days as ISO text."""
    if isinstance(value, str) and (value[:1] in "{[" or value == "null"):
        try:
            return json.loads(value)
        except json.JSONDecodeError:  # text that only starts like JSON: a subject "[matcher] ..."
            return value
    if isinstance(value, date | datetime):
        return value.isoformat()[:10]
    return value


@pytest.mark.postgres
def test_two_worker_processes_on_postgresql_store_what_one_process_does_on_sqlite(
    reference: Tables, postgres_url: str
) -> None:
    got = five_nights(postgres_url, workers=2)
    plain = {name: [tuple(_plain(v) for v in row) for row in rows] for name, rows in reference.items()}
    assert {name: [tuple(_plain(v) for v in row) for row in rows] for name, rows in got.items()} == plain


def test_progress_hears_of_each_patient_and_of_the_end(sqlite_url: str) -> None:
    heard: list[tuple[int, int, int, bool]] = []

    def note(status: RematchProgress) -> None:
        heard.append((status.done, status.patients, status.pairs, status.finished))

    engine = db.open_database(sqlite_url)
    try:
        with serve(FakeCtGov()) as fake, smtp_server() as smtp:
            for nct_id in STUDY_IDS:
                fake.put(load_study(nct_id))
            store_patients(engine, ["rair-papillary-braf", "rair-follicular-untreated"])
            result = Monitor(engine, fake, smtp, settings_for(fake, smtp), {"progress": note}).night(21)
    finally:
        engine.dispose()
    assert [h[0] for h in heard] == [1, 2, 2] and [h[3] for h in heard] == [False, False, True]
    assert heard[-1][1:3] == (2, result.evaluated)
