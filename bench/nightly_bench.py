"""The nightly job at scale (issue 14): a grid of patients x trials, three nights each, on SQLite and PostgreSQL.

What it measures, for each point PATIENTS x TRIALS and each database:
  * TRIALS study files built as in bench/match_bench.py (`build_trials`: the 48 real study objects of
    ctgov/studies under new NCT ids, carrying the real oncology eligibility texts of ctgov/hint);
  * PATIENTS profiles derived from tests/panel/*.json and examples/*.json: each a copy of one of them under a new
    id, with its birth date moved by up to 12 years, a location taken from another profile, the ECOG grade and
    one biomarker's result varied, all drawn from a seeded random generator (the same seed gives the same
    patients); one coordinator per 100 patients. They are stored with `matcher patients add`;
  * three nights, each `matcher nightly --source DIR --dry-run OUT --json` in its own process (the real command,
    with MATCHER_DATABASE_URL): the first night (everything new), a night with no change, and a night after 5% of
    the trials changed (each chosen trial's overall status switches between RECRUITING and ACTIVE_NOT_RECRUITING
    and its criteria gain one exclusion line). Each night reports its wall time, its CPU time (user + system,
    steadier than wall time on a busy machine), the child's peak RSS (`os.wait4`), the load average, its summary
    (pairs evaluated, events, digests) and the largest digest it wrote;
  * after the nights: the stored pairs (rows of `match`), the database size (the SQLite file with its WAL, or
    `pg_database_size`) and bytes a pair (database size / pairs).

Each night's process gets an address-space ceiling (RLIMIT_AS, --max-memory-gb, default 4) so that the benchmark
cannot take a shared machine down; a night that reaches it is reported as "out of memory at X GB".

Run from the repository root:
    .venv/bin/python -m bench.nightly_bench --points 200x500,1000x500 --db both --out bench/results/nightly.json
    .venv/bin/python -m bench.nightly_bench --points 200x500 --code /path/to/checkout-of-the-commit-before
`--code DIR` runs the nightly job from another source tree (the commit before a change, for a side-by-side), and
`--python EXE` with another interpreter (that tree's own virtual environment, so it runs with the dependencies it
was written for; `--code` alone is refused when the interpreter would apply another tree's migrations,
see `migrations_from`); `--workers N` is passed on to `matcher nightly` only when given; `--nights first,no_change` runs
only those nights (a side-by-side of the first and the no-change night need not wait for the third).
`--write-docs` replaces the section of docs/benchmarks.md between `<!-- nightly_bench:NAME -->` and
`<!-- /nightly_bench:NAME -->` (NAME from --docs-section) with the table and the sizing sentence.
`--report A.json B.json` runs nothing: it prints (and with --write-docs writes) one table from results saved by
earlier runs.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench._common import REPO_ROOT, add_common_args, machine, print_machine, shared_dir, write_json
from bench.ingest_bench import DEFAULT_PG_URL, scratch_postgres
from bench.match_bench import build_trials

GRID = "200x500,1000x500,200x2000,1000x2000,5000x2000"
PATIENTS_PER_COORDINATOR = 100
CHANGED_SHARE = 0.05
ADDED_LINE = "\n* Known hypersensitivity to the study drug or to any of its excipients"
NIGHT_NAMES = ("first", "no_change", "changed_5pct")
NIGHT_TITLES = {"first": "first", "no_change": "no-change", "changed_5pct": "5%-change"}
DOCS = REPO_ROOT / "docs" / "benchmarks.md"
FIRST_NIGHT_BUDGET_S = 20 * 60  # issue 14: a first night of 5,000 x 2,000 in 20 minutes, or the largest that does
OUT_OF_MEMORY_SIGNS = ("MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory")


@dataclass(frozen=True)
class Point:
    patients: int
    trials: int

    @property
    def name(self) -> str:
        return f"{self.patients}x{self.trials}"


SIZING_TARGET = Point(5000, 2000)


def _nights(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",")]
    if unknown := [name for name in names if name not in NIGHT_NAMES]:
        raise argparse.ArgumentTypeError(f"unknown night(s) {', '.join(unknown)}; choose from {', '.join(NIGHT_NAMES)}")
    return sorted(names, key=NIGHT_NAMES.index)


def parse_points(value: str) -> list[Point]:
    points = []
    for part in value.split(","):
        patients, _, trials = part.strip().lower().partition("x")
        points.append(Point(int(patients), int(trials)))
    return points


# --- inputs ----------------------------------------------------------------------------------------------------


def base_profiles() -> list[dict[str, Any]]:
    paths = sorted((REPO_ROOT / "tests" / "panel").glob("*.json")) + sorted((REPO_ROOT / "examples").glob("*.json"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def build_patients(folder: Path, count: int, seed: int) -> list[Path]:
    """`count` profile files varied from the panel and the examples (see the module docstring)."""
    bases = base_profiles()
    locations = [b["location"] for b in bases if "location" in b]
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        profile = copy.deepcopy(bases[i % len(bases)])
        profile["id"] = f"bench-{i:05d}"
        profile["coordinator"] = f"coordinator-{i // PATIENTS_PER_COORDINATOR:03d}@hospital.example"
        if "birth_date" in profile:
            year, rest = int(profile["birth_date"][:4]), profile["birth_date"][4:]
            profile["birth_date"] = f"{min(2006, year + rng.randint(-12, 12))}{rest}"
        if "location" in profile:
            profile["location"] = copy.deepcopy(rng.choice(locations))
        if "ecog" in profile:
            profile["ecog"] = rng.choice([0, 0, 1, 1, 2])
        if profile.get("biomarkers"):
            marker = rng.choice(profile["biomarkers"])
            marker["result"] = rng.choice(["positive", "negative"])
        path = folder / f"{profile['id']}.json"
        path.write_text(json.dumps(profile), encoding="utf-8")
        paths.append(path)
    return paths


def change_trials(folder: Path, share: float, seed: int) -> int:
    """Change `share` of the study files in place: status switched, one exclusion line added. Returns how many."""
    files = sorted(folder.glob("NCT*.json"))
    chosen = random.Random(seed).sample(files, max(1, round(share * len(files))))
    for path in chosen:
        study = json.loads(path.read_text(encoding="utf-8"))
        status = study["protocolSection"]["statusModule"]
        status["overallStatus"] = "ACTIVE_NOT_RECRUITING" if status["overallStatus"] == "RECRUITING" else "RECRUITING"
        eligibility = study["protocolSection"].setdefault("eligibilityModule", {})
        eligibility["eligibilityCriteria"] = eligibility.get("eligibilityCriteria", "") + ADDED_LINE
        path.write_text(json.dumps(study), encoding="utf-8")
    return len(chosen)


# --- running the real command ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Runner:
    """How to run `matcher` in a child process: environment, source tree, memory ceiling, time limit."""

    env: dict[str, str]
    max_memory_gb: float
    timeout_s: float
    python: str = sys.executable

    def run(self, args: list[str], log: Path) -> dict[str, Any]:
        """Run `python -P -m matcher ARGS`; wall time, peak RSS, exit status, stdout, and whether memory ran out."""
        limit = int(self.max_memory_gb * 2**30)

        def ceiling() -> None:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        load_before = round(os.getloadavg()[0], 1)
        with log.open("w+b") as err, tempfile.TemporaryFile() as out:
            start = time.perf_counter()
            # -P: the working directory does not shadow PYTHONPATH (the source tree under test).
            child = subprocess.Popen([self.python, "-P", "-m", "matcher", *args], stdout=out, stderr=err,
                                     env=self.env, preexec_fn=ceiling)  # fmt: skip
            status, usage = self._wait(child)
            seconds = time.perf_counter() - start
            out.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
        code = os.waitstatus_to_exitcode(status) if status is not None else None
        memory = code != 0 and any(sign in stderr for sign in OUT_OF_MEMORY_SIGNS)
        return {"seconds": round(seconds, 2), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1) if usage else None,
                "cpu_s": round(usage.ru_utime + usage.ru_stime, 1) if usage else None,  # steadier than wall time
                "exit": code, "out_of_memory": memory, "timed_out": status is None, "stdout": stdout,
                "load_average_1min": round(os.getloadavg()[0], 1),  # how busy the machine was, at the end
                "load_average_1min_before": load_before,
                "stderr_tail": stderr[-2000:]}  # fmt: skip

    def _wait(self, child: subprocess.Popen[bytes]) -> tuple[int | None, resource.struct_rusage | None]:
        """The child's exit status and its own resource usage (not the maximum over every child so far)."""
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                child.returncode = os.waitstatus_to_exitcode(status)
                return status, usage
            time.sleep(0.2)
        child.kill()
        _, _, usage = os.wait4(child.pid, 0)
        child.returncode = -9
        return None, usage


def run_night(runner: Runner, studies: Path, work: Path, name: str, workers: int | None) -> dict[str, Any]:
    out_dir = work / f"digests-{name}"
    args = ["nightly", "--source", str(studies), "--dry-run", str(out_dir), "--json"]
    if workers is not None:
        args += ["--workers", str(workers)]
    night = runner.run(args, work / f"night-{name}.log")
    summary = _json_or_none(night.pop("stdout"))
    night["summary"] = {k: summary.get(k) for k in ("run_id", "outcome", "parsed", "evaluated", "events",
                                                   "digests", "errors")} if summary else None  # fmt: skip
    run_id = summary.get("run_id") if summary else None
    mine = list(out_dir.glob(f"digest-{run_id}-*.eml")) if run_id is not None else []
    night["largest_digest_bytes"] = max((p.stat().st_size for p in mine), default=None)
    if night["exit"] not in (0, 3) and not night["out_of_memory"]:
        print(f"    night {name} exited {night['exit']}: {night['stderr_tail'][-500:]}")
    return night


def _json_or_none(text_: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text_)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


# --- one point on one database ---------------------------------------------------------------------------------


def storage(url: str, sqlite_file: Path | None) -> dict[str, Any]:
    """Stored pairs, database bytes and bytes a pair, read after the nights."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            pairs = connection.execute(text("SELECT count(*) FROM match")).scalar_one()
            if sqlite_file is None:
                size = connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
                state = connection.execute(text("SELECT pg_total_relation_size('match')")).scalar_one()
            else:  # the match table and its indexes, page by page (SQLite's dbstat)
                state = connection.execute(text(
                    "SELECT sum(pgsize) FROM dbstat WHERE name IN "
                    "(SELECT name FROM sqlite_master WHERE tbl_name = 'match')"
                )).scalar_one()  # fmt: skip
    finally:
        engine.dispose()
    if sqlite_file is not None:
        size = sum(p.stat().st_size for p in sqlite_file.parent.glob(sqlite_file.name + "*"))
    return {"pairs": pairs, "db_bytes": size, "bytes_per_pair": round(size / pairs, 1) if pairs else None,
            "state_bytes_per_pair": round(state / pairs, 1) if pairs and state else None}  # fmt: skip


def run_point(
    point: Point, database: str, args: argparse.Namespace, shared: Path, base_env: dict[str, str]
) -> dict[str, Any]:
    print(f"\n{point.name} on {database}")
    work = Path(tempfile.mkdtemp(prefix=f"nightly_bench_{point.name}_{database}_", dir=args.workdir))
    try:
        studies, patients = work / "studies", work / "patients"
        studies.mkdir()
        patients.mkdir()
        build_trials(shared, studies, point.trials)
        files = build_patients(patients, point.patients, args.seed)
        with _database(database, work, args.postgres_url) as (matcher_url, bench_url, sqlite_file):
            env = base_env | {"MATCHER_DATABASE_URL": matcher_url}
            runner = Runner(env, args.max_memory_gb, args.timeout_min * 60, str(args.python or sys.executable))
            added = runner.run(["patients", "add", *map(str, files)], work / "patients-add.log")
            if added["exit"] != 0:
                raise SystemExit(f"`matcher patients add` failed: {added['stderr_tail']}")
            print(f"  {point.patients} patients stored in {added['seconds']:.1f} s")
            nights: dict[str, Any] = {}
            for name in args.nights:
                if name == "changed_5pct":
                    nights["changed_trials"] = change_trials(studies, CHANGED_SHARE, args.seed)
                nights[name] = night = run_night(runner, studies, work, name, args.workers)
                print(f"  night {name:13} {describe(night, args.max_memory_gb)}")
                if name == "first" and night["summary"] is None:
                    break  # nothing to measure after a first night that did not finish
            stored = storage(bench_url, sqlite_file)
        print(
            f"  {stored['pairs']:,} pairs stored, database {stored['db_bytes'] / 2**20:,.0f} MiB, "
            f"{stored['bytes_per_pair']} bytes a pair; match table {stored['state_bytes_per_pair']} a pair"
        )
    finally:
        if args.keep:
            print(f"  kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return {"point": point.name, "patients": point.patients, "trials": point.trials, "db": database,
            "max_memory_gb": args.max_memory_gb, "nights": nights, **stored}  # fmt: skip


@contextmanager
def _database(kind: str, work: Path, postgres_url: str) -> Iterator[tuple[str, str, Path | None]]:
    """(URL for matcher, URL for this script, the SQLite file or None) of a fresh database."""
    if kind == "sqlite":
        file = work / "bench.sqlite"
        yield f"sqlite:///{file}", f"sqlite:///{file}", file
        return
    with scratch_postgres(postgres_url) as url:
        # matcher takes postgresql:// (psycopg 3); this script's SQLAlchemy names the driver.
        yield make_url(url).set(drivername="postgresql").render_as_string(hide_password=False), url, None


def describe(night: dict[str, Any], max_memory_gb: float) -> str:
    if night["out_of_memory"]:
        return f"out of memory at {max_memory_gb:g} GB after {night['seconds']:.0f} s"
    if night["timed_out"]:
        return f"stopped after {night['seconds']:.0f} s (time limit)"
    summary = night["summary"] or {}
    digest = night["largest_digest_bytes"]
    return (f"{night['seconds']:7.1f} s  CPU {night['cpu_s']:7.1f} s  peak RSS {night['peak_rss_mib']:,.0f} MiB  "
            f"evaluated {summary.get('evaluated')}  events {summary.get('events')}  digests {summary.get('digests')}"
            f"{f'  largest {digest / 2**20:.2f} MiB' if digest else ''}  exit {night['exit']}")  # fmt: skip


# --- the report ------------------------------------------------------------------------------------------------


def cell(night: dict[str, Any] | None, max_memory_gb: float, first: dict[str, Any] | None = None) -> str:
    if night is None:
        return "not run"
    if night["out_of_memory"]:
        return f"out of memory at {max_memory_gb:g} GB"
    if night["timed_out"] or night["summary"] is None:
        return f"failed (exit {night['exit']})"
    share = f" ({100 * night['seconds'] / first['seconds']:.0f}% of the first)" if first else ""
    cpu = f", CPU {night['cpu_s']:,.0f} s" if night.get("cpu_s") is not None else ""
    return f"{night['seconds']:,.0f} s{share}{cpu}"


def load(nights: dict[str, Any]) -> str:
    """The 1-minute load average at the end of each night that ran (the machine's business, not the night's)."""
    values = [n["load_average_1min"] for n in (nights.get(k) for k in NIGHT_NAMES) if n and "load_average_1min" in n]
    return f"{min(values):g} to {max(values):g}" if len(set(values)) > 1 else f"{values[0]:g}" if values else "-"


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| patients × trials | database | first night | no-change night | 5%-change night | peak RSS | "
             "database size | bytes a pair (database) | bytes a pair (match table) | largest digest | "
             "load at each night's end |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for r in results:
        nights = r["nights"]
        first = nights.get("first")
        ok_first = first if first and first["summary"] else None
        peaks = [n["peak_rss_mib"] for n in (nights.get(k) for k in NIGHT_NAMES) if n and n["peak_rss_mib"]] or [0]
        ceiling = r["max_memory_gb"]
        per_pair = f"{r['bytes_per_pair']:,.0f}" if r["bytes_per_pair"] else "-"
        state = f"{r['state_bytes_per_pair']:,.0f}" if r.get("state_bytes_per_pair") else "-"
        digests = [n["largest_digest_bytes"] for n in (nights.get(k) for k in NIGHT_NAMES)
                   if n and n["largest_digest_bytes"]]  # fmt: skip
        lines.append(
            f"| {r['patients']:,} × {r['trials']:,} | {r['db']} | {cell(first, ceiling)} | "
            f"{cell(nights.get('no_change'), ceiling, ok_first)} | "
            f"{cell(nights.get('changed_5pct'), ceiling, ok_first)} | "
            f"{max(peaks) / 1024:.1f} GiB | {r['db_bytes'] / 2**20:,.0f} MiB | "
            f"{per_pair} | {state} | {f'{max(digests) / 2**20:.2f} MiB' if digests else '-'} | {load(nights)} |"
        )
    return "\n".join(lines)


def _finished(r: dict[str, Any], name: str) -> bool:
    night = r["nights"].get(name)
    return bool(night and night["summary"])


def sizing(results: list[dict[str, Any]], cores: int = 2) -> str:
    """The sizing sentences: the largest point whose nights all finished, with its first night's rate; the smallest
    point that did not, with why; the largest first night measured within the 20-minute budget; and, labelled as an
    extrapolation, how many pairs a 20-minute first night holds at the largest first night's measured rate."""
    ran = {id(r): [k for k in NIGHT_NAMES if k in r["nights"]] for r in results}
    done = [r for r in results if ran[id(r)] and all(_finished(r, k) for k in ran[id(r)])]
    every = "all three nights" if all(len(ran[id(r)]) == len(NIGHT_NAMES) for r in results) else "every night it ran"
    if done:
        best = max(done, key=lambda r: (r["patients"] * r["trials"], r["db"]))
        rate = best["patients"] * best["trials"] / best["nights"]["first"]["seconds"]
        said = (f"The largest point that ran {every} is {best['patients']:,} patients × {best['trials']:,} "
                f"trials ({best['db']}); its first night evaluated about {rate:,.0f} pairs a second.")  # fmt: skip
    else:
        said = "No point ran its nights to the end on this machine."
    failed = [r for r in results if r not in done]
    if failed:
        worst = min(failed, key=lambda r: (r["patients"] * r["trials"], r["db"]))
        name = next(k for k in NIGHT_NAMES if k in worst["nights"] and not _finished(worst, k))
        why = cell(worst["nights"].get(name), worst["max_memory_gb"])
        said += (f" The smallest that did not is {worst['patients']:,} × {worst['trials']:,} ({worst['db']}): "
                 f"its {NIGHT_TITLES[name]} night: {why}.")  # fmt: skip
    return said + "\n\n" + first_night_budget(results, cores)


def first_night_budget(results: list[dict[str, Any]], cores: int = 2) -> str:
    """Which first night fits in FIRST_NIGHT_BUDGET_S: measured, then extrapolated (and said to be) from the rate of
    the largest first night that finished."""
    budget_min = FIRST_NIGHT_BUDGET_S / 60
    firsts = [r for r in results if _finished(r, "first")]
    if not firsts:
        return f"No first night finished, so nothing is known about a {budget_min:.0f}-minute night."
    pairs = {id(r): r["patients"] * r["trials"] for r in firsts}
    within = [r for r in firsts if r["nights"]["first"]["seconds"] <= FIRST_NIGHT_BUDGET_S]
    if within:
        best = max(within, key=lambda r: (pairs[id(r)], r["db"]))
        first = best["nights"]["first"]
        said = (f"**Measured:** the largest first night that finished within {budget_min:.0f} minutes is "
                f"{best['patients']:,} × {best['trials']:,} ({best['db']}): {first['seconds']:,.0f} s, "
                f"{pairs[id(best)] / first['seconds']:,.0f} pairs a second"
                + (f", load average {first['load_average_1min']:g} at its end" if "load_average_1min" in first else "")
                + ".")  # fmt: skip
    else:
        said = f"**Measured:** no first night finished within {budget_min:.0f} minutes."
    over = [r for r in results if r not in within]
    if over:
        said += (
            " Over it or unfinished: "
            + "; ".join(
                f"{r['patients']:,} × {r['trials']:,} ({r['db']}): {cell(r['nights'].get('first'), r['max_memory_gb'])}"
                f" (load average {load(r['nights'])})"
                for r in sorted(over, key=lambda r: r["patients"] * r["trials"])
            )
            + "."
        )
    ref = max(firsts, key=lambda r: (pairs[id(r)], r["db"]))
    first = ref["nights"]["first"]
    wall_rate = pairs[id(ref)] / first["seconds"]
    fits = wall_rate * FIRST_NIGHT_BUDGET_S
    target = SIZING_TARGET.patients * SIZING_TARGET.trials
    said += (f" **Extrapolated, not measured** (linear in pairs, from {ref['patients']:,} × {ref['trials']:,} "
             f"({ref['db']}) at {wall_rate:,.0f} pairs a second of wall time): a {budget_min:.0f}-minute first night "
             f"holds about {fits / 1e6:,.1f} million pairs, about "
             f"{int(fits / SIZING_TARGET.trials) // 100 * 100:,} patients × {SIZING_TARGET.trials:,} trials; "
             f"{SIZING_TARGET.patients:,} × {SIZING_TARGET.trials:,} "
             f"({target:,} pairs) would take about {target / wall_rate / 60:,.0f} minutes at that rate.")  # fmt: skip
    if first.get("cpu_s"):
        cpu_rate = pairs[id(ref)] / first["cpu_s"]
        said += (f" With every core of this machine busy on the night alone ({cpu_rate:,.0f} pairs a CPU second × "
                 f"{cores} cores, an upper bound: the writer's share is serial), "
                 f"{target:,} pairs would take at least {target / cpu_rate / cores / 60:,.0f} "
                 f"minutes.")  # fmt: skip
    return said


def write_docs(section: str, content: str) -> None:
    start, end = f"<!-- nightly_bench:{section} -->", f"<!-- /nightly_bench:{section} -->"
    doc = DOCS.read_text(encoding="utf-8")
    block = f"{start}\n{content}\n{end}"
    if start in doc and end in doc:
        doc = doc[: doc.index(start)] + block + doc[doc.index(end) + len(end) :]
    else:
        doc = doc.rstrip("\n") + f"\n\n{block}\n"
    DOCS.write_text(doc, encoding="utf-8")
    print(f"{DOCS} section {section!r} written")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument("--points", default=GRID, help=f"PATIENTSxTRIALS, comma-separated (default {GRID})")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_PG_URL, help="server for the scratch databases")
    parser.add_argument("--workers", type=int, default=None, help="passed on as `matcher nightly --workers N`")
    parser.add_argument("--max-memory-gb", type=float, default=4.0, help="address-space ceiling of each night")
    parser.add_argument("--timeout-min", type=float, default=90.0, help="time limit of each night (minutes)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--code", type=Path, default=None, help="run matcher from this source tree instead")
    parser.add_argument("--python", type=Path, default=None, help="run matcher with this interpreter instead")
    parser.add_argument("--nights", type=_nights, default=list(NIGHT_NAMES),
                        help=f"comma-separated, in order (default {','.join(NIGHT_NAMES)})")  # fmt: skip
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON (same as --json)")
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/benchmarks.md")
    parser.add_argument("--docs-section", default="nightly", help="NAME of the marked section (default nightly)")
    parser.add_argument("--workdir", type=Path, default=None, help="where to make the temporary directories")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directories")
    parser.add_argument("--report", type=Path, nargs="+", metavar="JSON", help="run nothing: report these results")
    args = parser.parse_args(argv)
    if args.report:
        runs = [json.loads(path.read_text(encoding="utf-8")) for path in args.report]
        results = [{"max_memory_gb": run["max_memory_gb"]} | r for run in runs for r in run["results"]]
        commits = list(dict.fromkeys(f"`{run['commit']}`" for run in runs))  # every run's, in the order given
        dates = sorted(run["machine"]["date_utc"] for run in runs)  # the first and the last
        report(
            args,
            runs[0]["machine"] | {"date_utc": " to ".join(dict.fromkeys(dates[:: max(1, len(dates) - 1)]))},
            ", ".join(commits),
            results,
        )
        return 0
    shared = shared_dir(args)
    info = machine()
    code = (args.code or REPO_ROOT).resolve()
    commit = subprocess.run(["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"  # fmt: skip
    print(f"nightly benchmark — `matcher nightly` from {code} (commit {commit})")
    print_machine(info)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    migrations_from(code, str(args.python or sys.executable))
    with tempfile.TemporaryDirectory(prefix="nightly_bench_config_") as config_dir:
        empty_config = Path(config_dir) / "matcher.toml"  # the user's own config file must not apply
        empty_config.write_text("")
        base_env = dict(os.environ) | {"MATCHER_CONFIG": str(empty_config), "PYTHONPATH": str(code)}
        results = [run_point(p, d, args, shared, base_env) for p in parse_points(args.points) for d in databases]
    python = str(args.python or sys.executable)
    write_json(args.out or args.json, {"machine": info, "commit": commit, "max_memory_gb": args.max_memory_gb,
                                       "workers": args.workers, "seed": args.seed, "python": python,
                                       "nights": args.nights, "results": results})  # fmt: skip
    report(args, info, commit, results)
    return 0


def migrations_from(code: Path, python: str) -> None:
    """Refuse to run when the migrations the nights would apply are not those of ``code``: an editable install
    maps `matcher.migrations` to its own checkout's db/migrations, which PYTHONPATH does not override (a --code
    run without --python would build the schema of the checkout the interpreter was installed from)."""
    ask = "import matcher.migrations as m; print(list(m.__path__)[0])"
    env = dict(os.environ) | {"PYTHONPATH": str(code)}
    found = subprocess.run([python, "-P", "-c", ask], env=env, capture_output=True, text=True)
    where = Path(found.stdout.strip() or "?").resolve()
    if found.returncode != 0 or not where.is_relative_to(code):
        raise SystemExit(
            f"{python} would apply the migrations in {where}, not those of {code}: pass --python "
            f"with {code}'s own environment, or link {code}/matcher/migrations to ../db/migrations"
        )


def report(args: argparse.Namespace, info: dict[str, Any], commit: str, results: list[dict[str, Any]]) -> None:
    """Print the table and the sizing sentence; with --write-docs, also into docs/benchmarks.md."""
    text_ = f"{table(results)}\n\n{sizing(results, info.get('cpu_count') or 2)}"
    print("\n" + text_)
    if args.write_docs:
        ceilings = ", ".join(sorted({f"{r['max_memory_gb']:g} GB" for r in results}))
        commits = commit if commit.startswith("`") else f"`{commit}`"  # --report passes them quoted already
        when = (f"{info['date_utc']}, commit {commits}, {info['cpu_model']}, {info['cpu_count']} cores, "
                f"{info['ram_gib']} GiB RAM; memory ceiling of a night: {ceilings}")  # fmt: skip
        write_docs(args.docs_section, f"Measured {when}.\n\n{text_}")


if __name__ == "__main__":
    raise SystemExit(main())
