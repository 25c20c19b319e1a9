"""Ingestion speed: >= 10,000 study files into a fresh database, then a second run that must write nothing.

What it measures:
  * the 48 real study files of ctgov/studies/ (35 thyroid, 13 oncology; 7 KB to 200 KB each) are copied under new
    NCT ids (protocolSection.identificationModule.nctId rewritten to NCT9xxxxxxx, one file per study) into a
    temporary directory until there are at least --target studies (default 10,000 -> 209 copies = 10,032);
  * run 1: `matcher.ingest.fetch(engine, DirectorySource(dir), now)` into a fresh database (schema migrations
    applied first and timed separately): wall time, studies/s, the run summary, peak RSS
    (`resource.getrusage(RUSAGE_SELF).ru_maxrss`);
  * run 2, nothing changed: wall time, studies/s, and a check that it wrote nothing: the summary says 0 new / 0
    changed / N unchanged, every trial's updated_at and content_hash and the trial and site row counts are
    unchanged (only the run's own fetch_run row is added). The script exits 1 if that check fails.

Run from the repository root (about 1 minute on SQLite):
    .venv/bin/python -m bench.ingest_bench [--target 10000] [--json out/ingest.json]
    .venv/bin/python -m bench.ingest_bench --db postgres [--postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
Whole-registry mode (issue 14), the bulk download's shape: a zip of one JSON file per study.
    .venv/bin/python -m bench.ingest_bench --zip --target 100000 [--workers 2] [--db both] [--parse-on sqlite]
builds a zip of >= --target replicated studies (deflated, under the temporary directory, never in the repository),
then, for each database, imports it (`ingest.fetch(engine, ZipSource(zip), now, workers=N)`) and, on the databases
named by --parse-on, parses every trial (`parsing.parse_all_stale(..., workers=N)`). Each step runs in its own child
process with an address-space ceiling (RLIMIT_AS, --memory-limit-gib, default 3) so a runaway cannot hurt a shared
machine. Reported per step: wall time, studies/s, peak RSS of the largest process (`os.wait4`'s rusage of the child:
ru_maxrss covers the child and its worker processes, each on its own), CPU seconds (user + system from the same
rusage: less noisy than wall time on a shared machine), the largest sum of the process tree's RSS (sampled from /proc
every 0.2 s), and the time extrapolated linearly to the registry's 598,000 studies.

With --db postgres the script connects to the given server with AUTOCOMMIT, creates a scratch database
matcher_bench_<random>, runs the same two ingestions in it and drops it at the end; no other database is touched.
The shared folder is $MATCHER_SHARED_DIR, else ../shared (or --shared DIR). The temporary directory (about 200 MB
of JSON plus the SQLite file) is removed at the end unless --keep.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from bench._common import add_common_args, machine, peak_rss_mib, print_machine, shared_dir, write_json

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REGISTRY_STUDIES = 598_000  # the bulk download, about 10 GB of JSON (issue 14)


def _replicas(source: Path, target: int) -> Iterator[tuple[str, bytes]]:
    """Every study in `source` under new NCT9xxxxxxx ids, again and again until there are >= target: (id, JSON)."""
    studies = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(source.glob("NCT*.json"))]
    written = 0
    for _ in range(math.ceil(target / len(studies))):
        for study in studies:
            written += 1
            nct_id = f"NCT9{written:07d}"
            study["protocolSection"]["identificationModule"]["nctId"] = nct_id
            yield nct_id, json.dumps(study, ensure_ascii=False).encode("utf-8")


def replicate(source: Path, target_dir: Path, target: int) -> tuple[int, int, int]:
    """Copy every study in `source` under new ids until there are >= target, one file each; (studies, copies,
    bytes)."""
    written = size = 0
    for nct_id, data in _replicas(source, target):
        (target_dir / f"{nct_id}.json").write_bytes(data)
        written, size = written + 1, size + len(data)
    return written, math.ceil(target / len(list(source.glob("NCT*.json")))), size


def replicate_zip(source: Path, archive: Path, target: int) -> tuple[int, int]:
    """The same copies as one deflated zip laid out like the bulk download (ctg-studies/NCT*.json); (studies,
    bytes of JSON)."""
    written = size = 0
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for nct_id, data in _replicas(source, target):
            out.writestr(f"ctg-studies/{nct_id}.json", data)
            written, size = written + 1, size + len(data)
    return written, size


def snapshot(engine: Engine) -> dict[str, Any]:
    """What a no-change run must leave as it was: every trial's updated_at and hash, the row counts."""
    with engine.connect() as connection:
        trials = {row[0]: (str(row[1]), row[2]) for row in connection.execute(
            text("SELECT nct_id, updated_at, content_hash FROM trial"))}  # fmt: skip
        sites = connection.execute(text("SELECT count(*) FROM trial_site")).scalar_one()
        runs = connection.execute(text("SELECT count(*) FROM fetch_run")).scalar_one()
    return {"trials": trials, "sites": sites, "runs": runs}


@contextmanager
def scratch_postgres(url: str) -> Iterator[str]:
    """A new, empty database on the server of `url`, dropped afterwards; yields its URL."""
    name = f"matcher_bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        print(f"scratch database {name} dropped")


def _brief(summary: dict[str, Any]) -> str:
    return " ".join(f"{key} {summary[key]}" for key in ("outcome", "new", "changed", "unchanged", "failed"))


def run_benchmark(url: str, studies_dir: Path, n: int) -> dict[str, Any]:
    from matcher.db import open_database
    from matcher.ingest import fetch
    from matcher.sources import DirectorySource

    def now() -> datetime:
        return datetime.now(UTC)

    tick = time.perf_counter()
    engine = open_database(url)
    migrate_s = time.perf_counter() - tick
    print(f"fresh database, migrations applied in {migrate_s:.2f} s")

    tick = time.perf_counter()
    first = fetch(engine, DirectorySource(studies_dir), now)
    first_s = time.perf_counter() - tick
    peak_first = peak_rss_mib()
    print(
        f"run 1 (all new):  {first_s:7.2f} s  {n / first_s:8,.0f} studies/s   {_brief(first.as_dict())}  "
        f"peak RSS {peak_first:.0f} MiB"
    )
    before = snapshot(engine)

    tick = time.perf_counter()
    second = fetch(engine, DirectorySource(studies_dir), now)
    second_s = time.perf_counter() - tick
    print(
        f"run 2 (no change): {second_s:6.2f} s  {n / second_s:8,.0f} studies/s   {_brief(second.as_dict())}  "
        f"peak RSS {peak_rss_mib():.0f} MiB"
    )
    after = snapshot(engine)
    engine.dispose()

    changed_rows = sum(1 for key, value in before["trials"].items() if after["trials"].get(key) != value)
    checks = {
        "summary_new_0": len(second.new) == 0,
        "summary_changed_0": len(second.changed) == 0,
        "summary_unchanged_all": second.unchanged == n,
        "trial_count_unchanged": len(after["trials"]) == len(before["trials"]) == n,
        "updated_at_and_hash_unchanged": changed_rows == 0,
        "site_count_unchanged": after["sites"] == before["sites"],
        "one_run_row_added": after["runs"] == before["runs"] + 1,
    }
    ok = all(checks.values())
    print(
        f"no-change check: {'PASSED' if ok else 'FAILED'} — trials {len(before['trials'])} -> {len(after['trials'])}, "
        f"sites {before['sites']} -> {after['sites']}, trials whose updated_at/hash changed: {changed_rows}, "
        f"fetch_run rows {before['runs']} -> {after['runs']}"
    )
    if not ok:
        print("  failed checks: " + ", ".join(k for k, v in checks.items() if not v))
    return {
        "migrate_s": migrate_s,
        "run1": {
            "seconds": first_s,
            "studies_per_s": n / first_s,
            "summary": first.as_dict(),
            "peak_rss_mib": peak_first,
        },
        "run2": {"seconds": second_s, "studies_per_s": n / second_s, "summary": second.as_dict()},
        "sites": after["sites"],
        "no_change_checks": checks,
        "no_change_ok": ok,
        "peak_rss_mib": peak_rss_mib(),
    }


# --- whole-registry mode (--zip) -----------------------------------------------------------------------------


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants now, from /proc (0 once it is gone)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        pending += [int(child) for child in children]
    return total


def run_step(step: str, url: str, archive: Path, args: argparse.Namespace) -> dict[str, Any]:
    """One step in a child process under an address-space ceiling: wall time, its peak RSS, the tree's peak sum.

    A parse still running after --parse-timeout-s is killed with its workers (SIGKILL to its process group): what it
    committed stays, and the rate is taken from the trials it parsed until then."""
    limit = int(args.memory_limit_gib * 2**30)
    command = [sys.executable, "-m", "bench.ingest_bench", "--child", step, "--child-url", url,
               "--child-zip", str(archive), "--workers", str(args.workers)]  # fmt: skip
    tick = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True,
                             preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)))  # fmt: skip
    tree_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak
        while not done.wait(0.2):
            tree_peak = max(tree_peak, _tree_rss_kib(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stopper = threading.Timer(args.parse_timeout_s, os.killpg, (child.pid, signal.SIGKILL))
    if step == "parse" and args.parse_timeout_s:
        stopper.start()
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - tick
    stopper.cancel()
    done.set()
    sampler.join()
    code = os.waitstatus_to_exitcode(status)
    result: dict[str, Any]
    if code == -signal.SIGKILL and step == "parse":
        engine = create_engine(url)
        with engine.connect() as connection:
            parsed = connection.execute(text("SELECT count(*) FROM trial_criteria")).scalar_one()
        engine.dispose()
        result = {"studies": parsed, "parsed": parsed, "stopped_after_s": seconds}
    elif code != 0:
        raise SystemExit(f"{step} on {url.split(':')[0]} failed (exit {code})")
    else:
        result = json.loads(output.strip().splitlines()[-1])
    rate = result["studies"] / seconds
    return {
        **result,
        "seconds": seconds,
        "studies_per_s": rate,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,  # the child and the workers it waited for: load-independent
        "tree_peak_rss_mib": tree_peak / 1024,
        "extrapolated_598k_s": REGISTRY_STUDIES / rate if rate else None,
    }


def child_step(step: str, url: str, archive: Path, workers: int) -> None:
    """Run in the child process: one import or one parse, then a JSON line on stdout."""
    from matcher.db import open_database
    from matcher.ingest import fetch
    from matcher.parsing import parse_all_stale
    from matcher.sources import ZipSource

    def now() -> datetime:
        return datetime.now(UTC)

    engine = open_database(url)
    if step == "import":
        summary = fetch(engine, ZipSource(archive), now, workers=workers)
        result = {"studies": len(summary.new) + len(summary.changed) + summary.unchanged, **summary.as_dict()}
    else:
        parsed = parse_all_stale(engine, now, workers=workers)
        result = {"studies": len(parsed.parsed) + len(parsed.set_aside), "parsed": len(parsed.parsed),
                  "set_aside": len(parsed.set_aside)}  # fmt: skip
    engine.dispose()
    print(json.dumps(result))


def _line(db_name: str, step: str, r: dict[str, Any]) -> str:
    return (
        f"{db_name:8} {step:6} {r['studies']:>8,} studies  {r['seconds']:8.1f} s  {r['studies_per_s']:7,.0f}/s  "
        f"CPU {r['cpu_s']:7.0f} s  peak RSS {r['peak_rss_mib']:5.0f} MiB (tree {r['tree_peak_rss_mib']:5.0f} MiB)  "
        f"598k in ~{(r['extrapolated_598k_s'] or math.inf) / 60:5.1f} min"
        + (f"  (stopped after {r['stopped_after_s']:.0f} s)" if "stopped_after_s" in r else "")
    )


def run_registry(args: argparse.Namespace, shared: Path, workdir: Path) -> dict[str, Any]:
    archive = workdir / "ctg-studies.json.zip"
    tick = time.perf_counter()
    n, size = replicate_zip(shared / "ctgov" / "studies", archive, args.target)
    print(f"{n:,} studies ({size / 2**20:,.0f} MiB of JSON, a {archive.stat().st_size / 2**20:,.0f} MiB zip) written "
          f"to {archive} in {time.perf_counter() - tick:.0f} s")  # fmt: skip
    results: dict[str, Any] = {"studies": n, "json_mib": size / 2**20, "zip_mib": archive.stat().st_size / 2**20}
    for db_name in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        steps = ["import", "parse"] if db_name in args.parse_on else ["import"]
        if db_name == "sqlite":
            url = f"sqlite:///{workdir / 'registry.sqlite'}"
            results[db_name] = {s: run_step(s, url, archive, args) for s in steps}
            results[db_name]["file_mib"] = sum(p.stat().st_size for p in workdir.glob("registry.sqlite*")) / 2**20
        else:
            with scratch_postgres(args.postgres_url) as url:
                results[db_name] = {s: run_step(s, url, archive, args) for s in steps}
        for s in steps:
            print(_line(db_name, s, results[db_name][s]), flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument("--target", type=int, default=10_000, help="at least this many studies (default 10,000)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite", help="both: --zip only")
    parser.add_argument("--postgres-url", default=DEFAULT_PG_URL, help=f"server to create the scratch database on "
                        f"(default {DEFAULT_PG_URL})")  # fmt: skip
    parser.add_argument("--workdir", type=Path, default=None, help="where to make the temporary directory")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--zip", action="store_true", help="whole-registry mode: import a zip of --target studies")
    parser.add_argument("--workers", type=int, default=2, help="worker processes in --zip mode (default 2)")
    parser.add_argument("--parse-on", nargs="*", default=["sqlite"], choices=["sqlite", "postgres"],
                        help="--zip mode: parse after the import on these databases (default sqlite)")  # fmt: skip
    parser.add_argument("--memory-limit-gib", type=float, default=3.0, help="--zip mode: RLIMIT_AS of each step")
    parser.add_argument("--parse-timeout-s", type=float, default=0, help="--zip mode: stop a parse after this long")
    parser.add_argument("--child", choices=["import", "parse"], help=argparse.SUPPRESS)
    parser.add_argument("--child-url", help=argparse.SUPPRESS)
    parser.add_argument("--child-zip", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_step(args.child, args.child_url, args.child_zip, args.workers)
        return 0
    if args.zip:
        return registry_main(args)
    shared = shared_dir(args)
    info = machine()
    print(f"ingest benchmark — matcher.ingest.fetch from a DirectorySource into {args.db}")
    print_machine(info)
    workdir = Path(tempfile.mkdtemp(prefix="matcher_ingest_bench_", dir=args.workdir))
    try:
        studies_dir = workdir / "studies"
        studies_dir.mkdir()
        tick = time.perf_counter()
        n, copies, size = replicate(shared / "ctgov" / "studies", studies_dir, args.target)
        print(
            f"{n:,} study files ({copies} copies of the 48 in ctgov/studies, {size / 2**20:.0f} MiB of JSON) "
            f"written to {studies_dir} in {time.perf_counter() - tick:.1f} s"
        )
        if args.db == "sqlite":
            db_file = workdir / "bench.sqlite"
            result = run_benchmark(f"sqlite:///{db_file}", studies_dir, n)
            result["sqlite_file_mib"] = sum(p.stat().st_size for p in workdir.glob("bench.sqlite*")) / 2**20
            print(f"SQLite file (with WAL): {result['sqlite_file_mib']:.0f} MiB")
        else:
            with scratch_postgres(args.postgres_url) as url:
                result = run_benchmark(url, studies_dir, n)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    results = {"machine": info, "db": args.db, "studies": n, "copies": copies, "json_mib": size / 2**20, **result}
    write_json(args.json, results)
    return 0 if result["no_change_ok"] else 1


def registry_main(args: argparse.Namespace) -> int:
    shared = shared_dir(args)
    info = machine()
    print(f"whole-registry import benchmark — a zip of >= {args.target:,} studies, {args.workers} workers")
    print_machine(info)
    workdir = Path(tempfile.mkdtemp(prefix="matcher_registry_bench_", dir=args.workdir))
    try:
        results = run_registry(args, shared, workdir)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    write_json(args.json, {"machine": info, "workers": args.workers, **results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
