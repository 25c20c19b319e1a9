"""Shared fixtures: the real records in ../shared, and real databases (SQLite files and PostgreSQL)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from matcher import db

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MATCHER_SHARED_DIR", ROOT.parent / "shared"))
CTGOV = SHARED / "ctgov"
STUDIES = CTGOV / "studies"
PG_ADMIN_URL = os.environ.get("MATCHER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def load_study(nct_id: str) -> dict[str, Any]:
    """A real study object: a thyroid/oncology conversion in studies/, else a raw API v2 record."""
    path = STUDIES / f"{nct_id}.json"
    if not path.exists():
        path = CTGOV / "raw" / "api_v2" / "studies" / f"{nct_id}.json"
    study: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    study.pop("derivedFrom", None)
    return study


def fixed_clock(iso: str = "2026-11-26T03:00:00") -> Any:
    moment = datetime.fromisoformat(iso).replace(tzinfo=UTC)
    return lambda: moment


@pytest.fixture(scope="session", autouse=True)
def _shared_present() -> None:
    if not STUDIES.is_dir():
        pytest.exit(f"the shared data is missing: {STUDIES} (set MATCHER_SHARED_DIR)", returncode=3)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'matcher.sqlite'}"


def _postgres_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect():
            pass
        engine.dispose()
        return None
    except OperationalError as exc:
        return f"PostgreSQL unreachable at {PG_ADMIN_URL}: {exc.orig}"


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    reason = _postgres_available()
    if reason:
        pytest.skip(reason)
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_admin: Engine) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"matcher_test_{uuid.uuid4().hex[:12]}"
    with postgres_admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with postgres_admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs on an SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'matcher.sqlite'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def run(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """`matcher ARGS...` through click's runner on this test's database, with an empty config file; returns the
    click Result (stdout, stderr, exit_code)."""
    from click.testing import CliRunner

    from matcher.cli import cli

    (tmp_path / "empty.toml").write_text("")
    env = {"MATCHER_DATABASE_URL": database_url, "MATCHER_CONFIG": str(tmp_path / "empty.toml")}
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, list(args), env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = db.open_database(database_url)
    yield engine
    engine.dispose()
