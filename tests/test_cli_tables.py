"""CLI tables (issue 12): a header row on every table, lines cut to the terminal's width with "…", a pager when the
output is longer than the terminal and stdout is one (a real process on a real pseudo-terminal); the collect-next
list in `match` and `explain --all`."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher.cli import cli
from matcher.cli_common import cut, table
from tests.conftest import ROOT, STUDIES

EXAMPLE = str(ROOT / "examples" / "rair-papillary-braf.json")


@pytest.fixture
def run(sqlite_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "empty.toml").write_text("")
    env = {"MATCHER_DATABASE_URL": sqlite_url, "MATCHER_CONFIG": str(tmp_path / "empty.toml")}

    def invoke(*args: str, columns: int | None = None):  # type: ignore[no-untyped-def]
        extra = {"COLUMNS": str(columns)} if columns else {"COLUMNS": ""}
        return CliRunner().invoke(cli, list(args), env=env | extra, catch_exceptions=False)

    invoke.env = env  # type: ignore[attr-defined]
    return invoke


def test_cut_and_table() -> None:
    assert cut("abcdef", 4) == "abc…" and cut("abc", 4) == "abc" and cut("abcdef", None) == "abcdef"
    lines = table(["id", "title"], [["NCT1", "short"], ["NCT22", "a much longer title"]], width=16)
    assert lines == ["ID     TITLE", "NCT1   short", "NCT22  a much l…"]
    assert all(len(line) <= 16 for line in lines)


def test_every_listing_has_a_header_row_and_is_cut_to_the_width(run) -> None:  # type: ignore[no-untyped-def]
    assert run("fetch", "--source", str(STUDIES)).exit_code == 0
    assert run("patients", "add", EXAMPLE).exit_code == 0
    headers = {
        ("trials",): ["TRIAL", "STATUS", "PHASE", "TITLE"],
        ("patients", "list"): ["PATIENT", "VERSION", "COORDINATOR", "UPDATED"],
        ("runs",): ["FETCH", "STARTED", "OUTCOME", "MODE"],  # no nightly run yet: the fetch runs' table
    }
    for args, header in headers.items():
        result = run(*args, columns=70)
        assert result.exit_code == 0
        lines = result.stdout.splitlines()
        assert lines[0].split()[: len(header)] == header, (args, lines[0])
        assert all(len(line) <= 70 for line in lines), args
    cut_lines = [line for line in run("trials", columns=70).stdout.splitlines() if line.endswith("…")]
    assert cut_lines  # the long titles were cut, and say so
    whole = run("trials").stdout  # not a terminal, no COLUMNS: whole lines, as git does into a pipe
    assert "…" not in whole and max(len(line) for line in whole.splitlines()) > 70


def test_match_shows_a_trial_table_and_the_collect_next_list(run) -> None:  # type: ignore[no-untyped-def]
    run("fetch", "--source", str(STUDIES))
    table_out = run("match", EXAMPLE, "--on", "2026-11-26").stdout.splitlines()
    assert table_out[1].split() == ["VERDICT", "TRIAL", "STATUS", "SCORE", "KM", "NEAREST", "SITE"]
    start = next(i for i, line in enumerate(table_out) if line.startswith("collect next for ex-rair-ptc-braf"))
    assert table_out[start + 1].split()[:4] == ["DATA", "TO", "COLLECT", "TRIALS"]
    data = json.loads(run("match", EXAMPLE, "--on", "2026-11-26", "--json").stdout)
    possible = [t for t in data["trials"] if t["verdict"] == "possible"]
    assert data["collect_next"] and data["collect_next"][0]["count"] == max(
        sum(item["item"] in t["missing"] for t in possible) for item in data["collect_next"]
    )
    explained = run("explain", EXAMPLE, "--all", "--on", "2026-11-26")
    assert explained.exit_code == 0
    assert "collect next for ex-rair-ptc-braf" in explained.stdout
    assert explained.stdout.count("https://clinicaltrials.gov/study/") >= len(data["trials"])
    both = run("explain", EXAMPLE)
    assert both.exit_code == 2 and "give either an NCT id or --all" in both.output


def test_long_output_on_a_terminal_goes_through_the_pager(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("fetch", "--source", str(STUDIES))
    paged = tmp_path / "paged.txt"
    env = {**os.environ, **run.env, "LINES": "10", "COLUMNS": "80", "PAGER": f"tee {paged}"}  # type: ignore[attr-defined]

    def on_terminal(*args: str) -> None:
        leader, follower = pty.openpty()
        try:
            subprocess.run([sys.executable, "-m", "matcher", *args], env=env, stdout=follower, stderr=subprocess.PIPE,
                           stdin=follower, check=True, timeout=120)  # fmt: skip
        finally:
            os.close(follower)
            os.close(leader)

    on_terminal("trials")  # 48 trials on a 10-line terminal: paged
    lines = paged.read_text(encoding="utf-8").splitlines()
    assert lines[0].split()[:2] == ["TRIAL", "STATUS"], lines[:2]
    assert len([line for line in lines if line.startswith("NCT")]) == 48, lines
    paged.unlink()
    on_terminal("patients", "list")  # fits (an empty table): printed, no pager
    assert not paged.exists()
