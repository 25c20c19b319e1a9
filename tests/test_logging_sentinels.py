"""Finding 8 of issue 11: `-v` put patient data in logs and SQL on stdout, which broke `--json`.

Every command runs at `-vv` on a patient whose values are unique strings (sentinels); no sentinel may appear on
stderr (logs), none but the id may appear on stdout outside the commands whose output is the patient's own data,
and every `--json` output must parse. The list of commands comes from the CLI itself, so a new command without a
case here fails the test.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from matcher.cli import cli
from tests.conftest import ROOT, STUDIES

PATIENT_ID = "sntl-Qx7Vb2"
BIRTH_DATE = "1941-03-17"
DIAGNOSED_ON = "2013-10-29"
PROGRESSION_DATE = "2026-07-23"
CITY = "Vexmoor-Quillan"
STATE = "Zarthshire"
COORDINATOR = "sntl-coord-k3@vexmoor-hospital.example"
LAB_VALUE = "0.917364"
CONDITION = "sentinel-zebrafinch-syndrome"
STAGE = "IVB-sntl"
ECOG_PATTERNS = (r"ecog\W{1,4}4\b", r"\b4\W{1,4}ecog")  # ecog is 0-5: look for it next to its name

# On stderr (logs, progress, warnings), not even the patient id: nothing of the profile travels there.
NEVER_ON_STDERR = (PATIENT_ID, BIRTH_DATE, DIAGNOSED_ON, PROGRESSION_DATE, CITY, STATE, COORDINATOR, LAB_VALUE,
                   CONDITION, STAGE)  # fmt: skip
# On stdout, the values of the profile, except from the commands whose output is, by design, about this patient:
# the profile itself, and the evaluation (reasons quote the value they read: "ECOG 4 (trial: ECOG 0-1)").
# The id and the coordinator's address are how `patients list`, `review` and `coordinators` name whom they list.
NEVER_ON_STDOUT = tuple(s for s in NEVER_ON_STDERR if s not in (PATIENT_ID, COORDINATOR))
PATIENT_ON_STDOUT = {("patients", "show"), ("match",), ("explain",)}

NCT = "NCT03690388"
# Commands that other changes for issue 11 add: run here once they exist.


def sentinel_patient() -> dict[str, Any]:
    patient: dict[str, Any] = json.loads((ROOT / "examples" / "rair-papillary-braf.json").read_text())
    patient.update(id=PATIENT_ID, birth_date=BIRTH_DATE, ecog=4, coordinator=COORDINATOR)
    patient["location"].update(city=CITY, state=STATE)
    patient["diagnosis"].update(diagnosed_on=DIAGNOSED_ON, stage=STAGE)
    patient["disease"]["progression_date"] = PROGRESSION_DATE
    patient["labs"][0]["value"] = float(LAB_VALUE)
    patient["conditions"].append({"name": CONDITION, "status": "active"})
    return patient


def command_paths(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    paths: set[tuple[str, ...]] = set()
    ctx = click.Context(group)  # the root group loads each command when asked for it (matcher.cli.LazyGroup)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            paths |= command_paths(command, (*prefix, name))
            if command.invoke_without_command:  # `matcher trials` lists, `matcher trials quarantine ...` acts
                paths.add((*prefix, name))
        else:
            paths.add((*prefix, name))
    return paths


def invocations(patient_file: Path, criteria_file: Path, digests: Path) -> list[list[str]]:
    """Every command with real arguments, in an order that works on an empty database; `--json` where offered."""
    pf = str(patient_file)
    return [
        ["db", "upgrade"],
        ["fetch", "--source", str(STUDIES), "--json"],
        ["fetch", "--source", str(STUDIES)],
        ["trials", "--json"],
        ["trials", "--status", "recruiting"],
        ["trial", NCT],
        ["trial", NCT, "--json"],
        ["parse", NCT, "--json"],
        ["parse", "--text", str(criteria_file)],
        ["schema", "patient"],
        ["match", pf, "--json", "--all"],
        ["match", pf, "--within", "500"],
        ["explain", pf, NCT, "--json"],
        ["explain", pf, NCT],
        ["patients", "add", pf],
        ["patients", "list", "--json"],
        ["patients", "list"],
        ["patients", "show", PATIENT_ID, "--versions"],
        ["explain", PATIENT_ID, NCT],
        ["nightly", "--source", str(STUDIES), "--dry-run", str(digests), "--json"],
        ["nightly", "--source", str(STUDIES), "--dry-run", str(digests)],
        ["runs", "--json"],
        ["runs"],
        ["review", "list", "--json"],
        ["review", "list", "--coordinator", COORDINATOR],
        ["review", "set", PATIENT_ID, NCT, "contacted", "--note", "sentinel note"],
        ["coordinators", "mute", COORDINATOR],
        ["coordinators", "unmute", COORDINATOR],
        ["coordinators", "set", COORDINATOR, "--weekly", "--near-km", "200"],
        ["coordinators", "list"],
        ["coordinators", "list", "--json"],
        ["explain", pf, "--all"],
        ["trials", "quarantine", NCT, "--reason", "sentinel reason"],
        ["trials", "quarantined", "--json"],
        ["trials", "release", NCT],
        ["users", "add", COORDINATOR, "--role", "coordinator", "--password-stdin"],
        ["users", "list", "--json"],
        ["users", "disable", COORDINATOR],
        ["audit", "--patient", PATIENT_ID, "--json"],
        ["overrides", "list", "--all", "--json"],
        ["patients", "remove", PATIENT_ID],
    ]


def leaked(text: str, sentinels: tuple[str, ...]) -> list[str]:
    found = [s for s in sentinels if s.lower() in text.lower()]
    return found + [p for p in ECOG_PATTERNS if re.search(p, text, re.IGNORECASE)]


def test_every_command_at_vv_keeps_patient_data_out_of_logs_and_json_valid(database_url: str, tmp_path: Path) -> None:
    patient_file = tmp_path / "sentinel.json"
    patient_file.write_text(json.dumps(sentinel_patient()))
    criteria_file = tmp_path / "criteria.txt"
    criteria_file.write_text("Inclusion Criteria:\n\n* ECOG 0-1\n\nExclusion Criteria:\n\n* QTcF > 480 ms\n")
    (tmp_path / "empty.toml").write_text("")
    env = {"MATCHER_DATABASE_URL": database_url, "MATCHER_CONFIG": str(tmp_path / "empty.toml")}
    runner = CliRunner()
    existing = command_paths()
    # Long-running processes: `schedule` has its own test below, `serve` in tests/test_web_browser.py.
    covered: set[tuple[str, ...]] = {("schedule",), ("serve",)}
    saw_sql = False
    for args in invocations(patient_file, criteria_file, tmp_path / "digests"):
        path = next(tuple(args[:n]) for n in (2, 1) if tuple(args[:n]) in existing)
        covered.add(path)
        stdin = "sentinel password\n" if "--password-stdin" in args else None
        result: Result = runner.invoke(cli, ["-vv", *args], env=env, catch_exceptions=False, input=stdin)
        assert result.exit_code == 0, (args, result.stderr)
        assert leaked(result.stderr, NEVER_ON_STDERR) == [], args
        if path not in PATIENT_ON_STDOUT:
            assert leaked(result.stdout, NEVER_ON_STDOUT) == [], args
        if "--json" in args or path in {("schema",), ("patients", "show")}:
            json.loads(result.stdout)  # valid JSON: no log line or SQL echo mixed in
        assert "sqlalchemy.engine" not in result.stdout and "DEBUG" not in result.stdout, args
        saw_sql |= "SQL parameters hidden" in result.stderr
    assert existing - covered == set(), "commands without a case in this test"
    assert saw_sql  # -vv does log SQL statements, and says their parameters are hidden


def test_a_real_process_at_vv_writes_logs_to_stderr_only(sqlite_url: str, tmp_path: Path) -> None:
    patient_file = tmp_path / "sentinel.json"
    patient_file.write_text(json.dumps(sentinel_patient()))
    (tmp_path / "empty.toml").write_text("")
    env = {**os.environ, "MATCHER_DATABASE_URL": sqlite_url, "MATCHER_CONFIG": str(tmp_path / "empty.toml")}
    matcher = [sys.executable, "-m", "matcher", "-vv"]
    added = subprocess.run([*matcher, "patients", "add", str(patient_file)], env=env, capture_output=True, text=True)
    assert added.returncode == 0 and "INSERT INTO patient" in added.stderr
    assert leaked(added.stderr, NEVER_ON_STDERR) == []
    listed = subprocess.run([*matcher, "patients", "list", "--json"], env=env, capture_output=True, text=True)
    assert [p["id"] for p in json.loads(listed.stdout)] == [PATIENT_ID]
    assert "SELECT" in listed.stderr and leaked(listed.stderr, NEVER_ON_STDERR) == []

    scheduler = subprocess.Popen([*matcher, "schedule"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)  # fmt: skip
    try:
        assert scheduler.stderr is not None
        deadline = time.monotonic() + 60
        lines: list[str] = []
        while time.monotonic() < deadline and not any("Scheduler started" in line for line in lines):
            lines.append(scheduler.stderr.readline())  # APScheduler's INFO line, once the job is in its store
        scheduler.send_signal(signal.SIGTERM)
        out, err = scheduler.communicate(timeout=60)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
    assert any("scheduling the nightly run" in line for line in lines)
    assert out == "" and leaked("".join(lines) + err, NEVER_ON_STDERR) == []
    # APScheduler's job store has its own engine: its parameters (the job's id and pickled state) are hidden too.
    assert "INSERT INTO apscheduler_jobs" in "".join(lines) + err and "'matcher-nightly'" not in "".join(lines) + err


@pytest.mark.parametrize("flags", [[], ["-v"], ["-vv"]])
def test_json_output_parses_at_every_verbosity(sqlite_url: str, tmp_path: Path, flags: list[str]) -> None:
    (tmp_path / "empty.toml").write_text("")
    env = {"MATCHER_DATABASE_URL": sqlite_url, "MATCHER_CONFIG": str(tmp_path / "empty.toml")}
    result = CliRunner().invoke(cli, [*flags, "runs", "--json"], env=env, catch_exceptions=False)
    assert json.loads(result.stdout) == {"fetch": [], "nightly": []}
    assert ("sqlalchemy.engine" in result.stderr) == (flags == ["-vv"])
