"""Engine creation and schema migrations (Alembic scripts in db/migrations).

Commands call `open_database`, which applies pending migrations, so a new database needs no setup step;
`matcher db upgrade` does the same explicitly.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import Session, create_engine

from matcher.errors import ConfigError, DatabaseError

logger = logging.getLogger(__name__)

# The newest migration in db/migrations/versions (tests/test_db.py checks it against Alembic's own head).
# Knowing it here lets every command check the schema with one query, without importing Alembic.
SCHEMA_HEAD = "0004"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs (SQLAlchemy's default driver would be psycopg2)."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while a fetch writes; busy_timeout makes a second writer wait, not fail.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_db_engine(url: str, echo: bool = False) -> Engine:
    """An engine for ``url``; for an SQLite file, its directory is created on first use."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


@contextmanager
def _alembic_config(engine: Engine) -> Iterator[Any]:
    from alembic.config import Config

    with as_file(files("matcher.migrations")) as script_dir:
        config = Config()
        config.set_main_option("script_location", str(script_dir))
        config.attributes["engine"] = engine
        yield config


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    with _alembic_config(engine) as config:
        head: str | None = ScriptDirectory.from_config(config).get_current_head()
        return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Apply pending migrations; returns (revision before, revision after)."""
    from alembic import command

    try:
        before = current_revision(engine)
        with _alembic_config(engine) as config:
            command.upgrade(config, "head")
        return before, current_revision(engine)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot migrate the database at {engine.url!r}: {exc}") from exc


def open_database(url: str, echo: bool = False) -> Engine:
    """An engine whose schema is at the newest migration."""
    try:
        engine = create_db_engine(url, echo=echo)
    except (ArgumentError, ValueError) as exc:
        raise ConfigError(f"not a usable database URL {url!r}: {exc}") from exc
    try:
        if current_revision(engine) != SCHEMA_HEAD:
            before, after = upgrade(engine)
            logger.info("database migrated from %s to %s", before, after)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot open the database at {engine.url!r}: {exc}") from exc
    return engine


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)
