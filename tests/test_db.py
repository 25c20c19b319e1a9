"""The schema: migrations apply on SQLite and PostgreSQL and match the tables; the head constant is right."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
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
