"""The schema: migrations apply on SQLite and PostgreSQL and match the tables; the head constant is right."""

from __future__ import annotations

import json

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

from matcher import db
from matcher.ctgov_parse import parse_study
from matcher.eligibility import parse_text
from tests.conftest import load_study


def test_schema_head_constant_is_alembics_head(engine: Engine) -> None:
    assert db.SCHEMA_HEAD == db.head_revision(engine) == db.current_revision(engine)


def test_migrations_build_exactly_the_tables(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_upgrade_is_idempotent(engine: Engine) -> None:
    assert db.upgrade(engine) == (db.SCHEMA_HEAD, db.SCHEMA_HEAD)


def test_migration_0007_turns_match_documents_into_columns_and_back(database_url: str) -> None:
    """Match rows written by 0006 (a whole result document each) keep their answer, their dates and their hashes'
    first 16 digits; they are marked for evaluation again (no parser version). The downgrade rebuilds a document."""
    from alembic import command

    engine = db.create_db_engine(database_url)
    try:
        with db._alembic_config(engine) as config:
            command.upgrade(config, "0006")
        criteria = [{"text": "x" * 5000}]
        waits = {"state": {"verdict": "possible"}, "recheck_on": "2027-03-01",
                 "match": {"verdict": "possible", "eligible_from": "2026-12-24", "criteria": criteria}}  # fmt: skip
        insert = text(
            "INSERT INTO match (patient_id, nct_id, verdict, score, overall_status, nearest_km, result, trial_hash, "
            "patient_hash, parser_version, matched_on, updated_at) VALUES (:p, :n, :v, 0.5, 'RECRUITING', :km, :r, "
            ":h, :h, '14+abc', '2026-11-20', '2026-11-20 03:00:00')"
        )
        with engine.begin() as connection:
            connection.execute(insert, [
                {"p": "p1", "n": "NCT03690388", "v": "possible", "km": 12.5, "r": json.dumps(waits), "h": "a" * 64},
                {"p": "p2", "n": "NCT03690388", "v": "eligible", "km": None, "r": "{}", "h": "b" * 64},
            ])  # fmt: skip
        with db._alembic_config(engine) as config:
            command.upgrade(config, "0007")
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT * FROM match ORDER BY patient_id")).mappings().all()
            columns = {c["name"] for c in inspect(connection).get_columns("match")}
        assert "result" not in columns and "matched_on" not in columns
        first, second = (dict(r) for r in rows)
        assert (first["verdict"], first["nearest_km"], first["trial_hash"], first["patient_hash"]) == (
            "possible", 12.5, "a" * 16, "a" * 16)  # fmt: skip
        assert (str(first["eligible_from"]), str(first["recheck_on"])) == ("2026-12-24", "2027-03-01")
        assert (second["verdict"], second["eligible_from"], second["recheck_on"]) == ("eligible", None, None)
        assert first["parser_version"] == second["parser_version"] == ""  # no stored parse: evaluated again
        with db._alembic_config(engine) as config:
            command.downgrade(config, "0006")
        with engine.connect() as connection:
            [result] = connection.execute(text("SELECT result FROM match WHERE patient_id = 'p1'")).scalars()
        result = json.loads(result) if isinstance(result, str) else result
        assert result["recheck_on"] == "2027-03-01" and result["match"] == {"eligible_from": "2026-12-24"}
        assert result["state"] == {"verdict": "possible", "overall_status": "RECRUITING", "nearest_km": 12.5}
    finally:
        engine.dispose()


def test_migration_0007_keeps_the_parser_version_of_rows_whose_parse_is_still_stored(database_url: str) -> None:
    """A match row written by 0006 whose trial's stored parse is the one it was computed from (same content hash
    and parser version) gets its deciding criteria from its document's outcomes and keeps its parser version: the
    first night after upgrading does not evaluate every pair again. A row computed from another parse does."""
    from alembic import command

    engine = db.create_db_engine(database_url)
    study = load_study("NCT00055614")  # a real study and its real parse, stored as 0006 stored them
    trial = parse_study(study)
    criteria = [c.to_stored() for c in parse_text(trial.eligibility_text)]
    top = [i for i, c in enumerate(criteria) if c[5] is None]
    assert len(top) >= 3 and len(top) < len(criteria)  # top-level criteria and sub-items both
    outcomes = ["satisfied"] * len(criteria)
    outcomes[top[0]] = outcomes[top[2]] = "unknown"
    outcomes[next(i for i, c in enumerate(criteria) if c[5] is not None)] = "violated"  # a sub-item: not deciding
    try:
        with db._alembic_config(engine) as config:
            command.upgrade(config, "0006")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO trial (nct_id, brief_title, overall_status, phases, conditions, interventions, "
                "eligibility_text, content_hash, raw, first_seen_at, updated_at) VALUES (:n, 't', 'RECRUITING', "
                "'[]', '[]', '[]', :e, :h, '{}', '2026-11-20 03:00:00', '2026-11-20 03:00:00')"
            ), {"n": trial.nct_id, "e": trial.eligibility_text, "h": trial.content_hash})  # fmt: skip
            connection.execute(text(
                "INSERT INTO trial_criteria (nct_id, content_hash, parser_version, criteria, parsed_at) "
                "VALUES (:n, :h, '14+abc', :c, '2026-11-20 03:00:00')"
            ), {"n": trial.nct_id, "h": trial.content_hash, "c": json.dumps(criteria)})  # fmt: skip
            listed = [{"section": c[1], "text": c[2], "outcome": o, "reason": "", "evidence": []}
                      for c, o in zip(criteria, outcomes, strict=True)]  # fmt: skip
            document = {"state": {"verdict": "possible"}, "recheck_on": None,
                        "match": {"verdict": "possible", "criteria": listed}}  # fmt: skip
            connection.execute(text(
                "INSERT INTO match (patient_id, nct_id, verdict, score, overall_status, nearest_km, result, "
                "trial_hash, patient_hash, parser_version, matched_on, updated_at) VALUES (:p, :n, :v, 0.5, "
                "'RECRUITING', NULL, :r, :h, :ph, :pv, '2026-11-20', '2026-11-20 03:00:00')"
            ), [
                {"p": "same", "n": trial.nct_id, "v": "possible", "r": json.dumps(document), "h": trial.content_hash,
                 "ph": "c" * 64, "pv": "14+abc"},
                {"p": "eligible", "n": trial.nct_id, "v": "eligible", "r": json.dumps(document),
                 "h": trial.content_hash, "ph": "c" * 64, "pv": "14+abc"},
                {"p": "older-text", "n": trial.nct_id, "v": "possible", "r": json.dumps(document), "h": "d" * 64,
                 "ph": "c" * 64, "pv": "14+abc"},
                {"p": "older-parser", "n": trial.nct_id, "v": "possible", "r": json.dumps(document),
                 "h": trial.content_hash, "ph": "c" * 64, "pv": "13+abc"},
            ])  # fmt: skip
        with db._alembic_config(engine) as config:
            command.upgrade(config, "0007")
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT patient_id, deciding, parser_version, trial_hash FROM match"))
            found = {r.patient_id: (r.deciding, r.parser_version, r.trial_hash) for r in rows}
        assert found == {
            "same": (f"{top[0]},{top[2]}", "14+abc", trial.content_hash[:16]),
            "eligible": ("", "14+abc", trial.content_hash[:16]),
            "older-text": (None, "", "d" * 16),
            "older-parser": (None, "", trial.content_hash[:16]),
        }
    finally:
        engine.dispose()


def test_migration_0008_codes_the_match_rows_and_back(database_url: str) -> None:
    """Match rows written at 0007 read the same through the model after 0008 (names, hex digits, dates), while the
    table holds codes and bytes; the nightly job's query finds none of them due. The downgrade gives 0007's back."""
    from datetime import date

    from alembic import command
    from sqlmodel import Session, select

    from matcher import monitor_store
    from matcher.tables import MatchRow

    engine = db.create_db_engine(database_url)
    columns = "patient_id, nct_id, verdict, score, overall_status, nearest_km, deciding, eligible_from, recheck_on, "
    columns += "trial_hash, patient_hash, parser_version"
    rows = [  # one of each verdict; a status with a code, one without; a hash no version wrote (not hex)
        ("p1", "NCT03690388", "eligible", 1.0, "RECRUITING", 12.5, "", None, "2027-03-01", "a1" * 8, "0f" * 8, "17+x"),
        ("p1", "NCT03602495", "possible", 0.5, "NOT_YET_RECRUITING", None, "0,3", "2026-12-24", None, "b2" * 8,
         "0f" * 8, "17+x"),
        ("p2", "NCT03690388", "ineligible", 0.0, "SOME_NEW_STATUS", None, None, None, None, "a1" * 8, "h", ""),
    ]  # fmt: skip
    try:
        with db._alembic_config(engine) as config:
            command.upgrade(config, "0007")
        with engine.begin() as connection:
            for nct_id, content_hash in (("NCT03690388", "a1" * 32), ("NCT03602495", "b2" * 32)):
                connection.execute(text(
                    "INSERT INTO trial (nct_id, brief_title, overall_status, phases, conditions, interventions, "
                    "eligibility_text, content_hash, raw, first_seen_at, updated_at) VALUES (:n, 't', 'RECRUITING', "
                    "'[]', '[]', '[]', '', :h, '{}', '2026-11-20 03:00:00', '2026-11-20 03:00:00')"
                ), {"n": nct_id, "h": content_hash})  # fmt: skip
                connection.execute(text(
                    "INSERT INTO trial_criteria (nct_id, content_hash, parser_version, criteria, parsed_at) "
                    "VALUES (:n, :h, '17+x', '[]', '2026-11-20 03:00:00')"
                ), {"n": nct_id, "h": content_hash})  # fmt: skip
            values = ", ".join(f":{c.strip()}" for c in columns.split(","))
            connection.execute(
                text(f"INSERT INTO match ({columns}, updated_at) VALUES ({values}, '2026-11-20 03:00:00')"),
                [dict(zip([c.strip() for c in columns.split(",")], row, strict=True)) for row in rows],
            )
        assert db.upgrade(engine) == ("0007", db.SCHEMA_HEAD)  # through 0008, and the migrations after it
        with engine.connect() as connection:
            stored = connection.execute(text(
                "SELECT patient_id, verdict, overall_status, trial_hash, patient_hash FROM match ORDER BY verdict"
            )).all()  # fmt: skip
        assert [(r.verdict, r.overall_status) for r in stored] == [
            ("e", "R"), ("i", "SOME_NEW_STATUS"), ("p", "N")]  # fmt: skip
        assert [(bytes(r.trial_hash), bytes(r.patient_hash)) for r in stored] == [
            (b"\xa1" * 8, b"\x0f" * 8), (b"\xa1" * 8, b""), (b"\xb2" * 8, b"\x0f" * 8)]  # fmt: skip
        with Session(engine) as session:
            found = session.exec(select(MatchRow).order_by(MatchRow.patient_id, MatchRow.nct_id)).all()
            read = [(m.patient_id, m.nct_id, m.verdict, m.score, m.overall_status, m.nearest_km, m.deciding,
                     m.eligible_from and m.eligible_from.isoformat(), m.recheck_on and m.recheck_on.isoformat(),
                     m.trial_hash, m.patient_hash, m.parser_version) for m in found]  # fmt: skip
            assert read == sorted([*rows[:2], (*rows[2][:10], "", "")])
            # p1's hashes and parser version are those of the stored trials: nothing is due before a recheck day
            assert monitor_store.due_pairs(session, "p1", "0f" * 32, "17+x", date(2026, 12, 1)) == []
            due = monitor_store.due_pairs(session, "p1", "0f" * 32, "17+x", date(2026, 12, 24))
            assert [(p.nct_id, p.stored) for p in due] == [
                ("NCT03602495", monitor_store.StoredPair("possible", "NOT_YET_RECRUITING", None))]  # fmt: skip
            assert len(monitor_store.due_pairs(session, "p2", "0f" * 32, "17+x", date(2026, 12, 1))) == 2
            assert session.exec(select(MatchRow.nct_id).where(MatchRow.verdict == "possible")).all() == ["NCT03602495"]
        with db._alembic_config(engine) as config:
            command.downgrade(config, "0007")
        with engine.connect() as connection:
            back = connection.execute(text(f"SELECT {columns} FROM match ORDER BY patient_id, nct_id")).all()
        assert [tuple(str(v) if isinstance(v, date) else v for v in r) for r in back] == sorted(
            [*rows[:2], (*rows[2][:10], "", "")])  # fmt: skip
    finally:
        engine.dispose()
