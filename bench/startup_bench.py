"""Start-up and whole-command speed: `matcher --help`, `matcher --version` and, given a database, `matcher match`,
each in a fresh process, as a user runs them (issue 14: `--help` ≤ 0.15 s, `match` on 2,000 trials ≤ 0.5 s).

Each command runs --runs times. Given more than one `matcher` executable (--matcher, repeatable: e.g. this
checkout's and an older commit's, each in its own virtualenv), they run in turn, run by run, so that a busy
machine slows each of them alike. Reported per command and executable: the minimum and median wall time, and the
minimum CPU time (user + system) of the process, which a loaded machine inflates less than the wall time.

Run from the repository root:

    .venv/bin/python -m bench.startup_bench [--matcher PATH ...] [--database sqlite:///bench.sqlite] [--runs 5]

For `match`, the database should hold the 2,000 trials of `bench.match_bench` (`--keep FILE` there writes it).

Every command runs once untimed first, so that its byte code is written (`_common.command_environment`).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench._common import REPO_ROOT, command_environment, machine, print_machine, write_json

PATIENT = REPO_ROOT / "examples" / "rair-papillary-braf.json"


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run of ``command`` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True, env=command_environment())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--matcher", action="append", type=Path, help="a matcher executable (default: this one's)")
    parser.add_argument("--database", metavar="URL", help="also time `matcher match` against this database")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()
    executables = args.matcher or [Path(sys.executable).parent / "matcher"]
    commands = {"--help": ["--help"], "--version": ["--version"]}
    if args.database:
        commands["match"] = ["--database", args.database, "match", str(PATIENT), "--any-status", "--json",
                             "--on", "2026-11-26"]  # fmt: skip
    info = machine()
    print_machine(info)
    results: dict[str, dict[str, list[tuple[float, float]]]] = {name: {} for name in commands}
    for command_args in commands.values():  # untimed: writes the byte code
        for executable in executables:
            timed([str(executable), *command_args])
    for _ in range(args.runs):
        for name, command_args in commands.items():
            for executable in executables:
                results[name].setdefault(str(executable), []).append(timed([str(executable), *command_args]))
    for name, by_executable in results.items():
        for executable, runs in by_executable.items():
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            print(f"matcher {name:<9} {executable}: wall min {min(walls):.3f} s, "
                  f"median {statistics.median(walls):.3f} s; CPU min {min(cpus):.3f} s ({len(runs)} runs)")  # fmt: skip
    write_json(args.json, {"machine": info, "runs": results})


if __name__ == "__main__":
    main()
