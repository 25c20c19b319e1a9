"""Matching speed: one patient against 2,000 stored trials (whole process), and evaluations per second.

What it measures (issue "Matching", section Speed):
  (a) `matcher match PATIENT --any-status --json` as a user runs it, in a fresh process, against a database
      holding 2,000 stored trials with stored parses (all 2,000 evaluated; the output lists the eligible and
      possible ones, as the contract's default does): wall time (median of 5 runs). Goal (issue 14): at most 0.5 s.
  (b) patient x trial evaluations per second in one process (criteria already loaded and trials prepared; all
      example patients against all 2,000 trials; median of the runs). Goal: at least 20,000 pairs per second.

The 2,000 trials are built so that their criteria are as varied as real ones: each is one of the 48 real study
objects in ../shared/ctgov/studies (status, sites, arms, structured ages) under a new NCT id, with the
eligibility text of one of the 1,443 real oncology trials in ../shared/ctgov/hint (a different text for each
of the first 1,443, then the 48 studies' own texts and repeats). Matching answers each distinct fact once per
patient, so repeated criteria would flatter the numbers; the hint texts keep the repetition realistic.

Run from the repository root:  .venv/bin/python -m bench.match_bench [--trials 2000] [--json FILE] [--keep FILE]
(--keep FILE: build the database in this SQLite file and keep it, or reuse it if it exists; bench.startup_bench
times `matcher --help` and `matcher match` against it, beside other commits.)
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench._common import (
    REPO_ROOT,
    add_common_args,
    command_environment,
    load_hint,
    machine,
    print_machine,
    shared_dir,
    write_json,
)
from matcher import db, ingest, parsing, store
from matcher.knowledge_base import load_knowledge
from matcher.matching import match_prepared, prepare_rows
from matcher.patient import load_patient
from matcher.sources import DirectorySource

ON = date(2026, 11, 26)


def build_trials(shared: Path, folder: Path, count: int) -> None:
    """`count` study files: real study objects carrying real oncology criteria texts (see the module docstring)."""
    templates = [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((shared / "ctgov" / "studies").glob("*.json"))
    ]
    texts = [t.text for t in load_hint(shared)]
    texts += [t["protocolSection"]["eligibilityModule"].get("eligibilityCriteria", "") for t in templates]
    for i in range(count):
        study = copy.deepcopy(templates[i % len(templates)])
        nct_id = f"NCT9{i:07d}"
        study["protocolSection"]["identificationModule"]["nctId"] = nct_id
        study["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] = texts[i % len(texts)]
        (folder / f"{nct_id}.json").write_text(json.dumps(study), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, metavar="FILE", help="build the database in FILE (reused if it exists)")
    add_common_args(parser)
    args = parser.parse_args()
    shared = shared_dir(args)
    info = machine()
    print_machine(info)
    now = lambda: datetime.now(UTC)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        database = args.keep.resolve() if args.keep else Path(tmp) / "bench.sqlite"
        reuse = database.exists()
        url = f"sqlite:///{database}"
        engine = db.open_database(url)
        if not reuse:
            folder = Path(tmp) / "studies"
            folder.mkdir()
            build_trials(shared, folder, args.trials)
            ingest.fetch(engine, DirectorySource(folder), now)
        parsing.parse_stale(engine, now)
        with db.session(engine) as session:
            trials = store.list_trials(session)
            stored = store.stored_criteria(session)
            sites = store.sites_by_trial(session)
        print(f"{len(trials)} trials stored and parsed")

        patient_file = REPO_ROOT / "examples" / "rair-papillary-braf.json"
        command = [str(Path(sys.executable).parent / "matcher"), "--database", url, "match", str(patient_file),
                   "--any-status", "--json", "--on", ON.isoformat()]  # fmt: skip
        subprocess.run(command, capture_output=True, check=True, env=command_environment())  # writes the byte code
        walls = []
        for _ in range(args.runs):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, check=True, env=command_environment())
            walls.append(time.perf_counter() - start)
        matched = done.stdout.count(b'"nct_id"')
        print(f"(a) whole process, 1 patient x {len(trials)} trials: median {statistics.median(walls):.3f} s "
              f"(min {min(walls):.3f}, max {max(walls):.3f}); {matched} trials in the output")  # fmt: skip

        prepared = prepare_rows(((t, stored[t.nct_id].criteria) for t in trials), sites)
        patients = [load_patient(p).patient for p in sorted((REPO_ROOT / "examples").glob("*.json"))]
        kb = load_knowledge()
        pairs = len(patients) * len(prepared)
        rates = []
        for _ in range(args.runs):  # each run answers every patient's questions afresh (a new Evaluator each)
            start = time.perf_counter()
            for patient in patients:
                match_prepared(prepared, patient, ON, kb)
            rates.append(pairs / (time.perf_counter() - start))
        print(f"(b) {pairs} patient x trial evaluations per run: median {statistics.median(rates):,.0f} pairs/s "
              f"(min {min(rates):,.0f}, max {max(rates):,.0f}, {args.runs} runs)")  # fmt: skip
    write_json(args.json, {"machine": info, "trials": len(trials), "whole_process_s": walls,
                           "pairs": pairs, "pairs_per_s_runs": rates})  # fmt: skip


if __name__ == "__main__":
    main()
