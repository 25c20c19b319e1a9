"""`matcher match` reads with SQLAlchemy Core (`store_read`), not the ORM: its light table clauses must name the
schema's real columns (the table classes stay its one definition), its two questions before reading (is a parse
due? is an override in force?) must agree with the ORM code that acts on them, and a match through a Core connection
must equal one through an ORM session, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import JSON, Engine, Text, TypeDecorator, update
from sqlmodel import SQLModel, select

import matcher.tables  # noqa: F401  (the table classes fill SQLModel.metadata)
from matcher import db, ingest, parsing, store, store_read
from matcher.eligibility import parser_version
from matcher.matching import Filters, match_report
from matcher.overrides import add_override
from matcher.patient import load_patient
from matcher.sources import DirectorySource
from matcher.tables import TrialCriteriaRow, TrialQuarantineRow

ROOT = Path(__file__).parents[1]
STUDIES = ROOT.parent / "shared" / "ctgov" / "studies"
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
ON = date(2026, 11, 26)


def test_every_light_table_names_real_columns_of_compatible_types() -> None:
    for light in store_read.TABLES:
        real = SQLModel.metadata.tables[light.name]
        for column in light.columns:
            assert column.name in real.columns, f"{light.name}.{column.name} is not a column of the schema"
            real_type = real.columns[column.name].type
            real_type = real_type.impl_instance if isinstance(real_type, TypeDecorator) else real_type
            if isinstance(column.type, JSON):
                assert isinstance(real_type, JSON), f"{light.name}.{column.name}: JSON here, {real_type} there"
            elif not isinstance(column.type, Text):  # Text stands for any string column (VARCHAR(n) included)
                assert column.type.python_type is real_type.python_type, f"{light.name}.{column.name}"


def _fetched(engine: Engine, folder: Path, count: int = 6) -> list[str]:
    """A few of the shared real studies fetched (not parsed); their NCT ids."""
    folder.mkdir()
    for study in sorted(STUDIES.glob("*.json"))[:count]:
        shutil.copy(study, folder / study.name)
    ingest.fetch(engine, DirectorySource(folder), lambda: NOW)
    with db.session(engine) as session:
        return sorted(store.trial_hashes(session))


def _due(engine: Engine) -> bool:
    with engine.connect() as connection:
        return store_read.parse_due(connection, parser_version())


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
    with engine.connect() as connection:
        assert not store_read.overrides_in_force(connection)
    with db.session(engine) as session:
        text = store.stored_criteria(session, [ids[0]])[ids[0]].criteria[0][2]
        row = add_override(session, ids[0], text, None, "unknown", "", "reviewer@example.org", NOW)
        session.commit()
        with engine.connect() as connection:
            assert store_read.overrides_in_force(connection)
        row.dropped_at = NOW
        session.add(row)
        session.commit()
    with engine.connect() as connection:
        assert not store_read.overrides_in_force(connection)


def test_matching_through_a_connection_equals_matching_through_a_session(engine: Engine, tmp_path: Path) -> None:
    _fetched(engine, tmp_path / "studies", 12)
    parsing.parse_stale(engine, lambda: NOW)
    patient = load_patient(ROOT / "examples" / "rair-papillary-braf.json").patient
    for filters in (Filters(include_ineligible=True), Filters(("RECRUITING",), ("PHASE2",), ("United States",))):
        with engine.connect() as connection:
            core = match_report(connection, patient, ON, filters)
        with db.session(engine) as session:
            orm = match_report(session, patient, ON, filters)
        assert [m.to_json() for m in core.matches] == [m.to_json() for m in orm.matches]
        assert (core.contacts, core.unplaced_sites, core.site_contacts) == (
            orm.contacts, orm.unplaced_sites, orm.site_contacts)  # fmt: skip
    assert core.matches or filters.countries  # the second filter may leave none; the first lists every trial
