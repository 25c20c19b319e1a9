"""The schema: migrations apply on SQLite and PostgreSQL and match the tables; the head constant is right."""

from __future__ import annotations

import json

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

from matcher import db


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
        assert db.upgrade(engine) == ("0006", db.SCHEMA_HEAD)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT * FROM match ORDER BY patient_id")).mappings().all()
            columns = {c["name"] for c in inspect(connection).get_columns("match")}
        assert "result" not in columns and "matched_on" not in columns
        first, second = (dict(r) for r in rows)
        assert (first["verdict"], first["nearest_km"], first["trial_hash"], first["patient_hash"]) == (
            "possible", 12.5, "a" * 16, "a" * 16)  # fmt: skip
        assert (str(first["eligible_from"]), str(first["recheck_on"])) == ("2026-12-24", "2027-03-01")
        assert (second["verdict"], second["eligible_from"], second["recheck_on"]) == ("eligible", None, None)
        assert first["parser_version"] == second["parser_version"] == ""  # evaluated again by the next night
        with db._alembic_config(engine) as config:
            command.downgrade(config, "0006")
        with engine.connect() as connection:
            [result] = connection.execute(text("SELECT result FROM match WHERE patient_id = 'p1'")).scalars()
        result = json.loads(result) if isinstance(result, str) else result
        assert result["recheck_on"] == "2027-03-01" and result["match"] == {"eligible_from": "2026-12-24"}
        assert result["state"] == {"verdict": "possible", "overall_status": "RECRUITING", "nearest_km": 12.5}
    finally:
        engine.dispose()
