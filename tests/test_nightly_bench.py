"""bench/nightly_bench.py at a tiny point (3 patients x 20 trials, SQLite): the real command three nights in a
row, and a report whose numbers agree with each other. No timing is asserted."""

from __future__ import annotations

import json
from pathlib import Path

from bench import nightly_bench
from tests.conftest import SHARED


def test_a_tiny_point_reports_consistent_numbers(tmp_path: Path) -> None:
    out = tmp_path / "nightly.json"
    assert nightly_bench.main(["--points", "3x20", "--db", "sqlite", "--out", str(out), "--shared", str(SHARED)]) == 0
    [point] = json.loads(out.read_text())["results"]
    nights = point["nights"]
    assert point["pairs"] == 3 * 20 == nights["first"]["summary"]["evaluated"]
    assert point["bytes_per_pair"] == round(point["db_bytes"] / point["pairs"], 1)
    assert 0 < point["state_bytes_per_pair"] < point["bytes_per_pair"]  # the match table is part of the database
    assert nights["no_change"]["summary"]["evaluated"] == 0  # nothing changed: nothing evaluated again
    assert nights["changed_trials"] == 1  # 5% of 20
    assert nights["changed_5pct"]["summary"]["evaluated"] == 3  # the changed trial with each patient
    for name in nightly_bench.NIGHT_NAMES:
        assert nights[name]["exit"] == 0 and not nights[name]["out_of_memory"]
        assert 0 < nights[name]["peak_rss_mib"] < 4 * 1024
