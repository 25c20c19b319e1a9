"""Engine creation and schema migrations (Alembic scripts in db/migrations).

Commands call `open_database`, which applies pending migrations, so a new database needs no setup step;
`matcher db upgrade` does the same explicitly.

SQLAlchemy is imported by the functions that use it, not by this module: `matcher match` on SQLite reads with the
standard library's `sqlite3` (`store_read.open_sqlite`) and needs only `SCHEMA_HEAD` from here.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matcher.config import default_database_url
from matcher.errors import ConfigError, DatabaseError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

logger = logging.getLogger(__name__)

# The newest migration in db/migrations/versions (tests/test_db.py checks it against Alembic's own head).
# Knowing it here lets every command check the schema with one query, without importing Alembic.
SCHEMA_HEAD = "0010"


SUPPORTED_URLS = "sqlite:///PATH (an SQLite file) or postgresql://USER@HOST[:PORT]/DATABASE (PostgreSQL, psycopg 3)"
_DRIVERS = {("sqlite", "pysqlite"), ("postgresql", "psycopg")}
DEFAULT_BUSY_TIMEOUT_S = 30.0


def normalise_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs (SQLAlchemy's default driver would be psycopg2)."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def create_db_engine(url: str, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> Engine:
    """An engine for ``url`` (SQLite or PostgreSQL). An SQLite file's directory must exist, except the default
    location's, which is created on first use. SQL parameters never appear in logs or error messages.

    Raises:
        ConfigError: not a database URL, an unsupported database or driver, or a missing SQLite directory.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"not a usable database URL {url!r}: {exc}; use {SUPPORTED_URLS}") from exc
    if (parsed.get_backend_name(), parsed.get_driver_name()) not in _DRIVERS:
        raise ConfigError(f"unsupported database URL {parsed.drivername}://...: use {SUPPORTED_URLS}")
    # hide_parameters: patient data travels in SQL parameters; they stay out of logs and exception messages.
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            _sqlite_directory(Path(parsed.database).expanduser().parent)
        engine = create_engine(url, hide_parameters=True, connect_args={"timeout": busy_timeout_s})
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_s))
        return engine
    return create_engine(url, hide_parameters=True, pool_pre_ping=True)


def _sqlite_directory(directory: Path) -> None:
    """Create the default location's directory; any other must exist (a typo must not make a new, empty database)."""
    from sqlalchemy.engine import make_url

    if directory.is_dir():
        return
    default = Path(make_url(default_database_url()).database or "").parent
    if directory.resolve() == default.resolve():
        directory.mkdir(parents=True, exist_ok=True)
        return
    raise ConfigError(f"the directory of the SQLite database does not exist: {directory} (create it, or fix the URL)")


def _sqlite_pragmas(busy_timeout_s: float) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers work while a fetch writes; busy_timeout makes a second writer wait, not fail.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return on_connect


def describe_error(exc: BaseException, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> str:
    """One line naming the cause of a database or driver error: never the SQL statement, its parameters, or a
    value the database quotes back (PostgreSQL's DETAIL of a duplicate key, for example)."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, sqlite3.Error):
        return _describe_sqlite(orig, busy_timeout_s)
    psycopg = sys.modules.get("psycopg")  # imported only when PostgreSQL is used: no error of its otherwise
    if psycopg is not None and isinstance(orig, psycopg.Error):
        return _describe_postgres(orig, exc)
    if orig is not exc:  # a value could not be sent or read: the message may quote it, so only the kinds are named
        return f"database error: {type(exc).__name__} from {type(orig).__name__} (SQL parameters are not shown)"
    # SQLAlchemy's own state errors, which quote no value (none when SQLAlchemy was never imported)
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.SQLAlchemyError):
        return f"database error ({type(exc).__name__}): {str(exc).splitlines()[0][:200]}"
    return f"database error ({type(orig).__name__})"


def _describe_sqlite(error: sqlite3.Error, busy_timeout_s: float) -> str:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    if message.startswith("database is locked") or message.startswith("database table is locked"):
        return (
            f"the SQLite database is locked: another matcher run held it for more than {busy_timeout_s:g} s "
            "(MATCHER_SQLITE_BUSY_TIMEOUT_S); try again when it has finished"
        )
    if "malformed" in message or "not a database" in message:
        return f"the SQLite file is damaged: {message} (restore it from a backup)"
    if isinstance(error, sqlite3.IntegrityError):
        return f"the database refused a write: {message}"
    return f"SQLite error: {message}"


def _describe_postgres(error: Any, wrapper: BaseException) -> str:
    diag = error.diag
    state = diag.sqlstate or ""
    primary = diag.message_primary or (str(error).splitlines()[0] if str(error) else type(error).__name__)
    lost = getattr(wrapper, "connection_invalidated", False) or state.startswith(("08", "57P"))
    if isinstance(error, sys.modules["psycopg"].OperationalError) and not state:
        if "connection failed" in primary or "could not connect" in primary or "Connection refused" in primary:
            return f"cannot connect to PostgreSQL: {primary}"
        lost = True
    if lost:
        return f"lost the connection to PostgreSQL: {primary}"
    if state.startswith(("22", "23")):  # data and integrity errors: the message may quote a value; name the place
        where = ", ".join(f"{k} {v}" for k, v in (("table", diag.table_name), ("column", diag.column_name),
                                                  ("constraint", diag.constraint_name)) if v)  # fmt: skip
        kind = "invalid data" if state.startswith("22") else "a constraint was violated"
        return f"PostgreSQL refused a write: {kind} (SQLSTATE {state}{', ' + where if where else ''})"
    return f"PostgreSQL error (SQLSTATE {state or '?'}): {primary}"


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
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def upgrade(engine: Engine) -> tuple[str | None, str | None]:
    """Apply pending migrations; returns (revision before, revision after)."""
    from alembic import command
    from sqlalchemy.exc import SQLAlchemyError

    try:
        before = current_revision(engine)
        with _alembic_config(engine) as config:
            command.upgrade(config, "head")
        return before, current_revision(engine)
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot migrate the database at {engine.url!r}: {describe_error(exc)}") from exc


def open_database(url: str, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> Engine:
    """An engine whose schema is at the newest migration.

    Raises:
        ConfigError: see `create_db_engine`.
        DatabaseError: the database cannot be reached, read or migrated (the message names the cause).
    """
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    try:
        engine = create_db_engine(url, busy_timeout_s)
    except ConfigError:
        raise
    except (ArgumentError, ValueError) as exc:
        raise ConfigError(f"not a usable database URL {url!r}: {exc}; use {SUPPORTED_URLS}") from exc
    try:
        if current_revision(engine) != SCHEMA_HEAD:
            before, after = upgrade(engine)
            logger.info("database migrated from %s to %s", before, after)
    except SQLAlchemyError as exc:
        engine.dispose()
        message = describe_error(exc, busy_timeout_s)
        raise DatabaseError(f"cannot open the database at {engine.url!r}: {message}") from exc
    return engine


def session(engine: Engine) -> Session:
    """An ORM session (SQLModel's). Reading with Core (`store_read`, on ``engine.connect()``) loads no ORM: the
    table classes and pydantic cost `matcher match` about a fifth of its time."""
    from sqlmodel import Session

    return Session(engine, expire_on_commit=False)
