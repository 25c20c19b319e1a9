"""`matcher match` reads in plain SQL (`store_read`), not through the ORM: its statements must name the schema's
real columns (the table classes stay its one definition), its two questions before reading (is a parse due? is an
override in force?) must agree with the ORM code that acts on them, and a match must be the same whichever way it
reads: through an ORM session, a SQLAlchemy Core connection, or on SQLite the standard library's `sqlite3`
(`store_read.open_sqlite`), on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text, update
from sqlmodel import SQLModel, col, select

import matcher.tables  # noqa: F401  (the table classes fill SQLModel.metadata)
from matcher import db, ingest, parsing, store, store_read
from matcher.eligibility import parser_version
from matcher.matching import Filters, match_report
from matcher.models import Site
from matcher.overrides import add_override
from matcher.patient import load_patient
from matcher.sources import DirectorySource
from matcher.tables import SiteRow, TrialCriteriaRow, TrialQuarantineRow, TrialRow

ROOT = Path(__file__).parents[1]
STUDIES = ROOT.parent / "shared" / "ctgov" / "studies"
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
ON = date(2026, 11, 26)


def test_every_column_read_is_a_real_column_of_the_schema() -> None:
    for name, columns in store_read.COLUMNS.items():
        if name == "alembic_version":  # Alembic's own table: `open_sqlite` is tested below
            continue
        real = SQLModel.metadata.tables[name]
        for column in columns:
            assert column in real.columns, f"{name}.{column} is not a column of the schema"


@contextmanager
def readings(engine: Engine) -> Iterator[list[store_read.Reading]]:
    """Every kind of connection `store_read` reads on for this database: SQLAlchemy Core's, and on SQLite the
    standard library's as `matcher match` opens it."""
    with engine.connect() as connection:
        direct = store_read.open_sqlite(engine.url.render_as_string(hide_password=False), 5.0)
        assert (direct is not None) == (engine.dialect.name == "sqlite")
        if direct is None:
            yield [connection]
            return
        with closing(direct):
            yield [connection, direct]


def _fetched(engine: Engine, folder: Path, count: int = 6) -> list[str]:
    """A few of the shared real studies fetched (not parsed); their NCT ids."""
    folder.mkdir()
    for study in sorted(STUDIES.glob("*.json"))[:count]:
        shutil.copy(study, folder / study.name)
    ingest.fetch(engine, DirectorySource(folder), lambda: NOW)
    with db.session(engine) as session:
        return sorted(store.trial_hashes(session))


def _agreed(engine: Engine, ask: Callable[[store_read.Reading], bool]) -> bool:
    """The answer every kind of connection gives to ``ask`` (they must agree)."""
    with readings(engine) as connections:
        answers = {ask(connection) for connection in connections}
    assert len(answers) == 1, "the connections disagree"
    return answers.pop()


def _due(engine: Engine) -> bool:
    return _agreed(engine, lambda connection: store_read.parse_due(connection, parser_version()))


def _in_force(engine: Engine) -> bool:
    return _agreed(engine, store_read.overrides_in_force)


def test_a_parse_is_due_exactly_when_parsing_has_work(engine: Engine, tmp_path: Path) -> None:
    ids = _fetched(engine, tmp_path / "studies")
    assert _due(engine)  # fetched, never parsed
    parsing.parse_stale(engine, lambda: NOW)
    assert not _due(engine)
    with db.session(engine) as session:  # one parse from another parser version: stale
        session.exec(update(TrialCriteriaRow).where(TrialCriteriaRow.nct_id == ids[0]).values(parser_version="0"))
        session.commit()
    assert _due(engine)
    assert parsing.parse_stale(engine, lambda: NOW) == [ids[0]] and not _due(engine)
    with db.session(engine) as session:  # set aside by hand: never due; set aside for an older parser: due
        session.add(TrialQuarantineRow(nct_id=ids[1], source="manual", reason="by hand", since=NOW))
        old = store.trial_hashes(session)[ids[2]]
        session.add(TrialQuarantineRow(nct_id=ids[2], source="parse", reason="failed", since=NOW, content_hash=old,
                                       parser_version="0"))  # fmt: skip
        session.commit()
    assert _due(engine)
    parsing.parse_stale(engine, lambda: NOW)  # releases ids[2] and parses it again
    assert not _due(engine)
    with db.session(engine) as session:
        assert [q.nct_id for q in session.exec(select(TrialQuarantineRow))] == [ids[1]]


def test_an_override_in_force_is_seen_and_a_dropped_one_is_not(engine: Engine, tmp_path: Path) -> None:
    ids = _fetched(engine, tmp_path / "studies", 2)
    parsing.parse_stale(engine, lambda: NOW)
    assert not _in_force(engine)
    with db.session(engine) as session:
        text = store.stored_criteria(session, [ids[0]])[ids[0]].criteria[0][2]
        row = add_override(session, ids[0], text, None, "unknown", "", "reviewer@example.org", NOW)
        session.commit()
        assert _in_force(engine)
        row.dropped_at = NOW
        session.add(row)
        session.commit()
    assert not _in_force(engine)


def test_matching_reads_the_same_through_every_connection(engine: Engine, tmp_path: Path) -> None:
    _fetched(engine, tmp_path / "studies", 12)
    parsing.parse_stale(engine, lambda: NOW)
    patient = load_patient(ROOT / "examples" / "rair-papillary-braf.json").patient
    for filters in (Filters(include_ineligible=True), Filters(("RECRUITING",), ("PHASE2",), ("United States",))):
        with db.session(engine) as session:
            orm = match_report(session, patient, ON, filters)
        with readings(engine) as connections:
            for connection in connections:
                read = match_report(connection, patient, ON, filters)
                assert [m.to_json() for m in read.matches] == [m.to_json() for m in orm.matches]
                assert (read.contacts, read.unplaced_sites, read.site_contacts) == (
                    orm.contacts, orm.unplaced_sites, orm.site_contacts)  # fmt: skip
        assert orm.matches or filters.countries  # the second filter may leave none; the first lists every trial


def test_sites_and_contacts_read_as_the_orm_reads_them(engine: Engine, tmp_path: Path) -> None:
    """Sites with and without contacts and the trials' contacts, JSON columns decoded alike on both databases,
    whole or in chunks of NCT ids, equal to what the table classes read."""
    ids = _fetched(engine, tmp_path / "studies", 48)
    parsing.parse_stale(engine, lambda: NOW)
    with db.session(engine) as session:
        sites: dict[str, list[Site]] = {}
        for r in session.exec(select(SiteRow).order_by(col(SiteRow.nct_id), col(SiteRow.position))):
            stored = store_read.contacts_of(r.contacts)
            site = Site(r.facility, r.city, r.state, r.country, r.status, r.lat, r.lon, stored, r.geo_source)
            sites.setdefault(r.nct_id, []).append(site)
        contacts = {r.nct_id: store_read.contacts_of(r.contacts) for r in session.exec(select(TrialRow))}
    assert any(s.contacts for found in sites.values() for s in found) and any(contacts.values())
    unplaced = {n: n_sites for n, found in sites.items() if (n_sites := sum(s.lat is None for s in found))}
    assert unplaced and set(unplaced) & set(ids[:20]) and set(unplaced) - set(ids[:20])
    located = {n: [s._replace(contacts=()) for s in found if s.lat is not None] for n, found in sites.items()}
    texts = []
    with readings(engine) as connections:
        for connection in connections:
            assert store_read.sites_by_trial(connection) == sites
            assert store_read.contacts_by_trial(connection) == contacts
            assert store_read.contacts_by_trial(connection, ids[:3]) == {n: contacts[n] for n in ids[:3]}
            by_chunks = store_read.sites_by_trial(connection, located_only=True, with_contacts=False, nct_ids=ids)
            assert by_chunks == {n: found for n, found in located.items() if found}
            texts.append(store_read.current_criteria_text(connection, parser_version(), ids[:2]))
            assert store_read.unplaced_counts(connection) == unplaced
            assert store_read.unplaced_counts(connection, ids[:20]) == {
                n: unplaced[n] for n in ids[:20] if n in unplaced
            }
    assert texts[0] == texts[-1] and [t.nct_id for t in texts[0]] == ids[:2]


def test_open_sqlite_opens_only_an_existing_file_at_the_current_schema(tmp_path: Path) -> None:
    """Anything else goes the usual way (`db.open_database`), which creates and migrates: no file is made here."""
    missing = tmp_path / "missing.sqlite"
    for url in (f"sqlite:///{missing}", "sqlite://", "sqlite:///:memory:", "postgresql://u@h/d",
                f"sqlite:///{missing}?timeout=1"):  # fmt: skip
        assert store_read.open_sqlite(url, 1.0) is None, url
    assert not missing.exists()
    url = f"sqlite:///{tmp_path / 'a folder' / 'm.sqlite'}"  # a path a URI must quote
    (tmp_path / "a folder").mkdir()
    db.open_database(url).dispose()
    with closing(store_read.open_sqlite(url, 1.0)) as connection:  # type: ignore[type-var]
        assert isinstance(connection, sqlite3.Connection)
        assert not store_read.parse_due(connection, parser_version())
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            connection.execute("DELETE FROM trial")
    engine = db.create_db_engine(url)
    with engine.begin() as connection:  # an older schema: to be migrated first
        connection.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    engine.dispose()
    assert store_read.open_sqlite(url, 1.0) is None
    (tmp_path / "not.sqlite").write_text("not a database")
    assert store_read.open_sqlite(f"sqlite:///{tmp_path / 'not.sqlite'}", 1.0) is None


def test_the_sqlite3_reads_are_logged_at_debug_without_their_parameters(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`-vv` shows SQL statements (as SQLAlchemy's log does on the other path), never the values bound to them."""
    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    engine = db.open_database(url)
    ids = _fetched(engine, tmp_path / "studies")
    engine.dispose()
    with (
        closing(store_read.open_sqlite(url, 1.0)) as connection,  # type: ignore[type-var]
        caplog.at_level(logging.DEBUG, logger="matcher.store_read"),
    ):
        sites = store_read.sites_by_trial(connection, nct_ids=ids)
    assert sites and set(sites) <= set(ids)
    logged = [r.getMessage() for r in caplog.records if r.name == "matcher.store_read"]
    assert logged and all("SELECT" in line for line in logged)
    assert not any(nct_id in line for line in logged for nct_id in ids)


def test_the_checks_before_reading_read_the_trials_hashes_from_their_index(tmp_path: Path) -> None:
    """`parse_due` and `matching_due` compare every trial's content hash with its stored parse's: on SQLite they
    read it from the index of (nct_id, content_hash) (migration 0010), not from each trial's row, where the hash
    comes after the eligibility text."""
    from matcher.matching.evaluate import matching_version

    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    engine = db.open_database(url)
    _fetched(engine, tmp_path / "studies")
    parsing.parse_stale(engine, lambda: NOW)
    engine.dispose()
    statements: list[str] = []
    with closing(store_read.open_sqlite(url, 1.0)) as connection:  # type: ignore[type-var]
        connection.set_trace_callback(statements.append)
        store_read.parse_due(connection, parser_version())
        store_read.matching_due(connection, parser_version(), matching_version())
        connection.set_trace_callback(None)
        plans = [[row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}")] for sql in statements]
    trial_steps = [step for plan in plans for step in plan if " t " in f"{step} "]
    assert len(statements) == 3 and trial_steps
    hashes = [step for step in trial_steps if "COVERING INDEX ix_trial_nct_id_content_hash" in step]
    assert len(hashes) == 2, plans  # the stale parses' and the stale records' checks; the quarantine's reads by id
