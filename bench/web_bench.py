"""The review desk's queue page: server time and size with 500+ stored matches for one coordinator.

What it measures (issue 13, "Done when"): the queue page (`GET /`) of `matcher serve` for a coordinator whose
patients have 500 or more stored matches: the time the server takes to answer (in process, through the ASGI app
with Starlette's TestClient: routing, session check, the queries, the template, the access log; no network), and
the size of the HTML (and of the gzip-compressed body the server sends). Goal: under 100 ms and under 200 KB.

The data is real: the 48 real studies of ../shared/ctgov/studies, fetched, parsed and matched by one nightly run
(dry run) against N copies of examples/rair-papillary-braf.json under different ids, all naming one coordinator
(11 copies x 48 trials = 528 stored matches). Two views are timed: every match (`?verdict=any&status=any&review=any`,
all 528 rows) and the default view (eligible or possible, enrolling trials, needing attention).

Run from the repository root:  .venv/bin/python -m bench.web_bench [--patients 11] [--runs 21] [--json FILE]
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import statistics
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

from bench._common import REPO_ROOT, add_common_args, machine, print_machine, shared_dir, write_json
from matcher import db, store
from matcher.config import Settings
from matcher.jobs import run_nightly
from matcher.notify import DirectorySender
from matcher.patient import parse_patient
from matcher.sources import DirectorySource
from matcher.web import auth
from matcher.web.app import create_app

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
COORDINATOR = "thyroid-trials@hospital.example"
PASSWORD = "benchmark password"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument("--patients", type=int, default=11, help="copies of the example patient (x 48 trials)")
    parser.add_argument("--runs", type=int, default=21, help="timed requests per view (median reported)")
    args = parser.parse_args()
    shared = shared_dir(args)
    from starlette.testclient import TestClient

    info = machine()
    print_machine(info)
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.open_database(f"sqlite:///{Path(tmp) / 'matcher.sqlite'}")
        example = json.loads((REPO_ROOT / "examples" / "rair-papillary-braf.json").read_text(encoding="utf-8"))
        with db.session(engine) as session:
            for i in range(args.patients):
                document = copy.deepcopy(example)
                document["id"], document["coordinator"] = f"bench-{i:03d}", COORDINATOR
                loaded = parse_patient(document, source="bench")
                store.save_patient(session, loaded.patient.id, loaded.document, COORDINATOR, NOW)
            auth.add_user(session, COORDINATOR, "coordinator", PASSWORD, NOW)
            session.commit()
        settings = Settings(database_url=str(engine.url), web_secret="bench-" + "s" * 40)
        run_nightly(engine, settings, DirectorySource(shared / "ctgov" / "studies"), DirectorySender(Path(tmp) / "eml"),
                    lambda: NOW)  # fmt: skip
        with db.session(engine) as session:
            stored = len(store.list_patients(session)) * len(store.list_trials(session))
        app = create_app(settings, engine, lambda: NOW)
        results: dict[str, object] = {"machine": info, "stored_matches": stored, "runs": args.runs}
        with warnings.catch_warnings(), TestClient(app, base_url="http://127.0.0.1") as client:
            warnings.simplefilter("ignore")
            form = client.get("/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
            client.post("/login", data={"email": COORDINATOR, "password": PASSWORD, "csrf": csrf, "next": "/"})
            for name, path in (("all", "/?verdict=any&status=any&review=any"), ("default", "/")):
                client.get(path)  # warm: templates compiled, caches filled
                times, size, sent, rows = [], 0, 0, 0
                for _ in range(args.runs):
                    start = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200
                    size, rows = len(response.content), len(re.findall(r'/trials/NCT\d{8}">', response.text))
                    sent = int(response.headers.get("content-length", size))  # gzip, as sent to the browser
                median = statistics.median(times)
                results[name] = {"rows": rows, "median_ms": round(median, 1), "min_ms": round(min(times), 1),
                                 "max_ms": round(max(times), 1), "html_bytes": size, "gzip_bytes": sent}  # fmt: skip
                print(f"queue ({name}, {rows} rows): median {median:.1f} ms (min {min(times):.1f}, max "
                      f"{max(times):.1f}, {args.runs} runs), {size / 1024:.1f} KB of HTML, "
                      f"{sent / 1024:.1f} KB sent (gzip)")  # fmt: skip
        engine.dispose()
    print(f"stored matches: {stored}; goal: < 100 ms and < 200 KB")
    write_json(args.json, results)


if __name__ == "__main__":
    main()
