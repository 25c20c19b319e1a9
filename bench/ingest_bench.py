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
With --db postgres the script connects to the given server with AUTOCOMMIT, creates a scratch database
matcher_bench_<random>, runs the same two ingestions in it and drops it at the end; no other database is touched.
The shared folder is $MATCHER_SHARED_DIR, else ../shared (or --shared DIR). The temporary directory (about 200 MB
of JSON plus the SQLite file) is removed at the end unless --keep.
"""

from __future__ import annotations

import argparse
import json
import math
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from bench._common import add_common_args, machine, peak_rss_mib, print_machine, shared_dir, write_json

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def replicate(source: Path, target_dir: Path, target: int) -> tuple[int, int, int]:
    """Copy every study in `source` under new NCT9xxxxxxx ids until there are >= target; (studies, copies, bytes)."""
    studies = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(source.glob("NCT*.json"))]
    copies = math.ceil(target / len(studies))
    written = 0
    size = 0
    for _ in range(copies):
        for study in studies:
            written += 1
            nct_id = f"NCT9{written:07d}"
            study["protocolSection"]["identificationModule"]["nctId"] = nct_id
            data = json.dumps(study, ensure_ascii=False).encode("utf-8")
            (target_dir / f"{nct_id}.json").write_bytes(data)
            size += len(data)
    return written, copies, size


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument("--target", type=int, default=10_000, help="at least this many studies (default 10,000)")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_PG_URL, help=f"server to create the scratch database on "
                        f"(default {DEFAULT_PG_URL})")  # fmt: skip
    parser.add_argument("--workdir", type=Path, default=None, help="where to make the temporary directory")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    raise SystemExit(main())
