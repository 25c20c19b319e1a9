"""The fault drill (bench/fault_drill.py) in a small configuration: real `matcher fetch` and `matcher nightly`
processes SIGKILLed at seeded random points while the loopback API and SMTP server inject faults, on an SQLite file
and on PostgreSQL. After the jobs run to completion, the database must equal that of a run that was never killed
and every digest must have arrived exactly once, except within the documented duplicate window (docs/deploy.md).

The bench runs the same drill with more kills and rounds (docs/benchmarks.md, "Fault drill").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.fault_drill import DrillConfig, run_backend
from tests.conftest import PG_ADMIN_URL, STUDIES

KILLS = 3


def drill(backend: str, tmp_path: Path) -> dict[str, Any]:
    config = DrillConfig(studies=STUDIES, workdir=tmp_path, kills=KILLS, rounds=0, seed=3, pg_admin_url=PG_ADMIN_URL)
    return run_backend(backend, config)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_killed_and_faulted_jobs_end_where_an_unkilled_run_ends(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "postgres":
        request.getfixturevalue("postgres_admin")  # skips, and says why, when PostgreSQL is unreachable
    result = drill(backend, tmp_path)
    rows, digests, processes = result["rows"], result["digests"], result["processes"]

    # The drill did what it says: it killed, it injected faults, and the reference has something to lose.
    assert result["kills"]["total"] >= KILLS, result["kill_points"]
    assert sum(f["injected"] for f in result["faults"].values()) > 0
    assert rows["reference"]["trial"] == len(list(STUDIES.glob("NCT*.json")))
    assert rows["reference"]["match"] == rows["reference"]["trial"] * rows["reference"]["patient"]
    assert rows["reference"]["match_event"] > 0 and digests["reference_messages"] > 0

    # No row lost, none added, no traceback, nothing left holding a lock or "running".
    assert (rows["lost_examples"], rows["extra_examples"]) == ({}, {}), result["kill_points"]
    assert (processes["tracebacks"], processes["hung"]) == (0, 0), processes["broken"]
    # 503s, 429s and slow bodies are absorbed by the client's retries: a run fails only for a fault it cannot absorb.
    assert processes["failed_without_cause"] == 0, result["runs"]
    assert result["left_behind"] == {"locks": 0, "runs_running": 0}

    # Every digest arrived, with the reference's contents, and only the documented window duplicates it.
    assert (digests["never_arrived"], digests["left_pending"]) == ([], [])
    assert (digests["contents_lost"], digests["contents_extra"]) == (0, 0)
    assert digests["duplicates_outside_window"] == 0, digests["duplicate_ids"]
    assert digests["unique_received"] == digests["digests_in_database"] == digests["reference_messages"]
    assert result["ok"]
