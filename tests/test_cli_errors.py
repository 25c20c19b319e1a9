"""Findings 7 and 10 of issue 11, command-line side: database and driver errors are one line naming the cause
(exit 1, no SQL, no parameters, no profile content); bad option values, unsupported database URLs and a missing
SQLite directory are bad input (exit 2). Real databases throughout: a real SQLite lock held by another connection,
a damaged SQLite file, a PostgreSQL backend terminated mid-command, a closed port.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, create_engine, text

from matcher import db
from matcher.cli import cli
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "rair-papillary-braf.json"
# What the old tracebacks carried: the statement, its parameters, the patient's id and profile values.
LEAKS = ("Traceback", "[SQL", "INSERT", "SELECT", "parameters", "ex-rair-ptc-braf", "1967-09-22", "Houston")


def invoke(database_url: str | None, tmp_path: Path, *args: str, **env: str | None) -> Result:
    (tmp_path / "empty.toml").write_text("")
    environment: dict[str, str | None] = {"MATCHER_CONFIG": str(tmp_path / "empty.toml"), **env}
    environment["MATCHER_DATABASE_URL"] = database_url
    return CliRunner().invoke(cli, list(args), env=environment)


def assert_one_line_error(result: Result, *words: str) -> None:
    assert result.exit_code == 1, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    assert all(w in result.stderr for w in words), result.stderr
    assert not [leak for leak in LEAKS if leak in result.stderr], result.stderr


# --- database and driver errors: one line, exit 1


def test_an_sqlite_lock_held_past_the_busy_timeout_is_one_line(sqlite_url: str, tmp_path: Path) -> None:
    assert invoke(sqlite_url, tmp_path, "patients", "list").exit_code == 0  # the schema exists
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another writer, as a running fetch or nightly is
        result = invoke(sqlite_url, tmp_path, "patients", "add", str(EXAMPLE), MATCHER_SQLITE_BUSY_TIMEOUT_S="0.5")
    finally:
        holder.close()
    assert_one_line_error(result, "the SQLite database is locked", "for more than 0.5 s")
    assert invoke(sqlite_url, tmp_path, "patients", "add", str(EXAMPLE)).exit_code == 0  # released: it works


def test_a_damaged_sqlite_file_is_one_line(sqlite_url: str, tmp_path: Path) -> None:
    assert invoke(sqlite_url, tmp_path, "patients", "add", str(EXAMPLE)).exit_code == 0
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'patient'").fetchone()[0]
    connection.close()
    with path.open("r+b") as file:  # the patient table's page only: the schema still reads
        file.seek((root - 1) * page_size)
        file.write(b"\xa5" * page_size)
    assert_one_line_error(invoke(sqlite_url, tmp_path, "patients", "list"), "the SQLite file is damaged")

    path.write_bytes(os.urandom(8192))
    assert_one_line_error(invoke(sqlite_url, tmp_path, "trials"), "the SQLite file is damaged", "not a database")


@pytest.mark.postgres
def test_a_postgresql_connection_lost_mid_command_is_one_line(postgres_url: str, tmp_path: Path) -> None:
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    (tmp_path / "empty.toml").write_text("")
    env = {**os.environ, "MATCHER_DATABASE_URL": postgres_url, "MATCHER_CONFIG": str(tmp_path / "empty.toml")}
    matcher = [sys.executable, "-m", "matcher"]
    subprocess.run([*matcher, "patients", "list"], env=env, check=True, capture_output=True)
    try:
        with admin.connect() as locker:
            locker.execute(text("BEGIN"))
            locker.execute(text("LOCK TABLE patient IN ACCESS EXCLUSIVE MODE"))  # the command waits on it
            command = subprocess.Popen([*matcher, "patients", "add", str(EXAMPLE)], env=env, text=True,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
            waiting = _wait_for_backend(admin)
            admin_conn = admin.connect()
            admin_conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": waiting})
            admin_conn.close()
            out, err = command.communicate(timeout=60)
            locker.execute(text("ROLLBACK"))
    finally:
        admin.dispose()
    assert command.returncode == 1 and out == ""
    assert err == "Error: lost the connection to PostgreSQL: terminating connection due to administrator command\n"


def _wait_for_backend(admin: Engine) -> int:
    query = text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with admin.connect() as connection:
            pids = connection.execute(query).scalars().all()
        if pids:
            return int(pids[0])
        time.sleep(0.05)
    raise AssertionError("the command never waited on the lock")


def test_no_postgresql_server_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = invoke(f"postgresql://matcher@127.0.0.1:{port}/matcher", tmp_path, "runs")
    assert_one_line_error(result, "cannot connect to PostgreSQL", f"port {port} failed: Connection refused")


@pytest.mark.postgres
def test_postgresql_messages_name_the_constraint_not_the_value(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE person (name text PRIMARY KEY, born date)"))
            connection.execute(text("INSERT INTO person VALUES ('Jane Sentinel', '1941-03-17')"))
        with pytest.raises(Exception) as duplicate, engine.begin() as connection:
            connection.execute(text("INSERT INTO person VALUES (:n, :b)"), {"n": "Jane Sentinel", "b": "1941-03-17"})
        with pytest.raises(Exception) as bad_date, engine.begin() as connection:
            connection.execute(text("INSERT INTO person VALUES ('x', :b)"), {"b": "Sentinel-date"})
    finally:
        engine.dispose()
    assert "Jane Sentinel" in str(duplicate.value)  # the driver's own message quotes the value ...
    described = db.describe_error(duplicate.value)  # ... ours does not
    assert described == "PostgreSQL refused a write: a constraint was violated (SQLSTATE 23505, table person, " \
        "constraint person_pkey)"  # fmt: skip
    assert "Sentinel" not in db.describe_error(bad_date.value)


# --- bad input: exit 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["runs", "--limit", "99999999999999999999"], "is not in the range 1<=x<=10000"),
        (["runs", "--limit", "0"], "is not in the range"),
        (["trials", "--status", "BOGUS"], "'BOGUS' is not one of 'ACTIVE_NOT_RECRUITING'"),
        (["trials", "--phase", "PHASE9"], "'PHASE9' is not one of 'NA', 'EARLY_PHASE1'"),
        (["match", str(EXAMPLE), "--phase", "phase 2"], "is not one of"),
        (["match", str(EXAMPLE), "--status", "OPEN"], "is not one of"),
        (["match", str(EXAMPLE), "--within", "-5"], "-5.0 is not in the range x>0"),
        (["match", str(EXAMPLE), "--within", "0"], "is not in the range x>0"),
        (["match", str(EXAMPLE), "--on", "9999-12-31"], "9999-12-31 is not between 1900-01-01 and 2199-12-31"),
        (["explain", str(EXAMPLE), "NCT03690388", "--on", "9999-12-31"], "is not between"),
        (["fetch", "--since", "0001-01-01"], "0001-01-01 is not between 1900-01-01 and 2199-12-31"),
    ],
)
def test_bad_option_values_exit_2(sqlite_url: str, tmp_path: Path, args: list[str], words: str) -> None:
    result = invoke(sqlite_url, tmp_path, *args)
    assert result.exit_code == 2 and words in result.stderr, result.stderr


def test_statuses_and_phases_are_read_in_any_case(sqlite_url: str, tmp_path: Path) -> None:
    result = invoke(sqlite_url, tmp_path, "trials", "--status", "recruiting", "--phase", "phase2", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


@pytest.mark.parametrize("url", ["mysql://matcher@db/matcher", "postgresql+psycopg2://matcher@db/matcher",
                                 "oracle://scott@db/orcl", "mssql+pyodbc://sa@db/matcher"])  # fmt: skip
def test_an_unsupported_database_url_exits_2_with_the_supported_ones(url: str, tmp_path: Path) -> None:
    result = invoke(url, tmp_path, "trials")
    assert result.exit_code == 2 and "ModuleNotFoundError" not in result.stderr
    assert "unsupported database URL" in result.stderr
    assert "sqlite:///PATH" in result.stderr and "postgresql://USER@HOST[:PORT]/DATABASE" in result.stderr
    db_upgrade = invoke(url, tmp_path, "db", "upgrade")
    assert db_upgrade.exit_code == 2 and "unsupported database URL" in db_upgrade.stderr


def test_a_missing_sqlite_directory_is_an_error_but_the_default_one_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "matcher.sqlite"
    result = invoke(f"sqlite:///{missing}", tmp_path, "trials")
    assert result.exit_code == 2
    assert f"the directory of the SQLite database does not exist: {missing.parent}" in result.stderr
    assert not missing.parent.exists()

    data_home = tmp_path / "xdg-data"  # the default location: platformdirs' user data directory
    result = invoke(None, tmp_path, "trials", XDG_DATA_HOME=str(data_home))
    assert result.exit_code == 0 and "0 trial(s)" in result.stderr
    assert (data_home / "matcher" / "matcher.sqlite").is_file()


def test_an_error_about_a_value_names_only_its_kind(sqlite_url: str) -> None:
    from sqlalchemy import Column, Enum, MetaData, Table

    engine = db.create_db_engine(sqlite_url)
    table = Table("t", MetaData(), Column("sex", Enum("female", "male", validate_strings=True)))
    table.create(engine)
    try:
        with pytest.raises(Exception) as caught, engine.begin() as connection:
            connection.execute(table.insert(), {"sex": "Jane Sentinel"})  # refused by SQLAlchemy, quoting it
    finally:
        engine.dispose()
    assert "Jane Sentinel" in str(caught.value)
    assert db.describe_error(caught.value) == (
        "database error: StatementError from LookupError (SQL parameters are not shown)"
    )
