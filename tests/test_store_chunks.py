"""Lists of NCT ids longer than a statement's bound parameters may be (issue 14): SQLite allows 32,766 by default
(SQLITE_MAX_VARIABLE_NUMBER; some builds raise it, so the test sets SQLite's own default on its connections) and
PostgreSQL 65,535. A first night over a large registry asks about more trials than that at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event, insert
from sqlmodel import Session

from matcher import db, monitor_store, store
from matcher.tables import MatchRow, SiteRow, TrialCriteriaRow, TrialRow

SQLITE_DEFAULT_MAX_VARIABLES = 32_766
POSTGRES_MAX_PARAMETERS = 65_535
SPARSE = 1_000  # every SPARSE-th trial has a site and a match: the id lists are long, the rows few
NOW = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)
VERSION = "chunk-test"


@pytest.fixture
def many_trials(database_url: str) -> Iterator[tuple[Engine, list[str]]]:
    """More minimal trials than the database takes parameters in one statement, each with parsed criteria;
    every SPARSE-th with one site and a match with patient P1."""
    engine = db.open_database(database_url)
    many = POSTGRES_MAX_PARAMETERS + 500
    if engine.dialect.name == "sqlite":
        many = SQLITE_DEFAULT_MAX_VARIABLES + 500

        @event.listens_for(engine, "connect")
        def _default_limit(connection: Any, _record: Any) -> None:
            connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, SQLITE_DEFAULT_MAX_VARIABLES)

        engine.dispose()  # connections opened from now on have SQLite's default limit
    ids = [f"NCT{n:08d}" for n in range(many)]
    with engine.begin() as connection:
        connection.execute(insert(TrialRow.__table__), [  # type: ignore[attr-defined]
            {"nct_id": n, "brief_title": n, "overall_status": "RECRUITING", "phases": [], "conditions": [],
             "interventions": [], "eligibility_text": "", "content_hash": f"h{n}", "raw": {}, "contacts": [],
             "contacts_hash": f"c{n}", "first_seen_at": NOW, "updated_at": NOW}
            for n in ids
        ])  # fmt: skip
        connection.execute(insert(TrialCriteriaRow.__table__), [  # type: ignore[attr-defined]
            {"nct_id": n, "content_hash": f"h{n}", "parser_version": VERSION, "criteria": [], "parsed_at": NOW}
            for n in ids
        ])  # fmt: skip
        connection.execute(insert(SiteRow.__table__), [  # type: ignore[attr-defined]
            {"nct_id": n, "position": 0, "city": "Lyon", "country": "France", "lat": 45.76, "lon": 4.84}
            for n in ids[::SPARSE]
        ])  # fmt: skip
        connection.execute(insert(MatchRow.__table__), [  # type: ignore[attr-defined]
            {"patient_id": "P1", "nct_id": n, "verdict": "possible", "score": 0.5, "overall_status": "RECRUITING",
             "trial_hash": "0" * 16, "patient_hash": "1" * 16, "parser_version": VERSION, "updated_at": NOW}
            for n in ids[::SPARSE]
        ])  # fmt: skip
    yield engine, ids
    engine.dispose()


def test_id_lists_past_the_bound_parameter_limit_are_read_whole(many_trials: tuple[Engine, list[str]]) -> None:
    engine, ids = many_trials
    wanted = [*ids[::-1], "NCT99999999"]  # any order, and one unknown id
    with Session(engine) as session:
        assert store.trial_hashes(session, wanted) == {n: f"h{n}" for n in ids}
        assert store.contacts_hashes(session, wanted) == {n: f"c{n}" for n in ids}
        sites = store.sites_by_trial(session, nct_ids=wanted)
        assert list(sites) == ids[::SPARSE] and sites[ids[0]][0].city == "Lyon"
        trials = store.current_criteria(session, VERSION, nct_ids=wanted)
        assert [t.nct_id for t in trials] == ids  # in NCT id order, as one statement gave them
        assert [t.nct_id for t in store.current_criteria_text(session, VERSION, wanted)] == ids
        assert list(store.contacts_by_trial(session, wanted)) == ids
        assert set(monitor_store.pair_states(session, "P1", wanted)) == set(ids[::SPARSE])
