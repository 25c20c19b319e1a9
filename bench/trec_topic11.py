"""Matching against TREC 2021 Clinical Trials judgments: topic 11 (metastatic papillary thyroid cancer).

What it measures: the one thyroid-cancer patient of TREC 2021 (`examples/trec2021-topic11.json`, written from
`../shared/bench/trec2021_topic11_thyroid/topic11.txt`) matched against the 126 trials TREC assessors judged
eligible (53) or excluded (73) for him. Our verdicts map to TREC's two labels as: ineligible -> excluded;
eligible or possible -> not excluded. Reported: how many excluded trials we exclude (and on which criterion),
and how many eligible trials we wrongly exclude (each listed with the deciding criterion, to check by hand).
TREC labels are lenient ("eligible" often means nothing in the note contradicts the trial), and unknown never
excludes here, so the second number is the one that matters for a coordinator.

The trials' text is TrialGPT2's recent API v2 Markdown rendering; each is wrapped into an API v2-shaped study
object (nctId, title, status, phases, conditions, eligibility module) so that it goes through the same ingestion and
parser. The conditions list is the trial's own (TrialGPT2's ``condition`` field), as the API gives it to `matcher
fetch`: relevance reads it (a trial whose conditions name only other cancers is "for" them). Until session 17 it was
left out, so the held-out runs before then saw no conditions list.

Run from the repository root:  .venv/bin/python -m bench.trec_topic11 [--json FILE] [--show 20]
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from bench._common import REPO_ROOT, add_common_args, machine, print_machine, shared_dir, write_json
from matcher import db, ingest, parsing
from matcher.matching import Filters, match_stored
from matcher.patient import load_patient
from matcher.sources import DirectorySource

ON = date(2021, 4, 27)  # the TREC 2021 snapshot date


def study(trial: dict[str, object]) -> dict[str, object]:
    conditions = trial.get("condition")
    eligibility = {"eligibilityCriteria": trial["raw_criteria"], "sex": str(trial.get("sex") or "ALL").upper()}
    for key, field in (("minimum_age", "minimumAge"), ("maximum_age", "maximumAge")):
        if trial.get(key) and trial[key] != "N/A":
            eligibility[field] = trial[key]
    return {
        "protocolSection": {
            "identificationModule": {"nctId": trial["nctid"], "briefTitle": trial["title"]},
            "statusModule": {"overallStatus": trial.get("overall_status") or "UNKNOWN"},
            "designModule": {"phases": trial.get("phases") or []},
            "conditionsModule": {"conditions": conditions if isinstance(conditions, list) else []},
            "eligibilityModule": eligibility,
        }
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", type=int, default=20, help="how many disagreements to list")
    add_common_args(parser)
    args = parser.parse_args()
    folder = shared_dir(args) / "bench" / "trec2021_topic11_thyroid"
    info = machine()
    print_machine(info)
    with (folder / "labels.tsv").open(encoding="utf-8") as handle:
        labels = {row["nct_id"]: row["label_meaning"] for row in csv.DictReader(handle, delimiter="\t")}
    now = lambda: datetime.now(UTC)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        studies = Path(tmp) / "studies"
        studies.mkdir()
        for nct_id in labels:
            trial = json.loads((folder / "trials" / f"{nct_id}.json").read_text(encoding="utf-8"))
            (studies / f"{nct_id}.json").write_text(json.dumps(study(trial)), encoding="utf-8")
        engine = db.open_database(f"sqlite:///{Path(tmp) / 'trec.sqlite'}")
        ingest.fetch(engine, DirectorySource(studies), now)
        parsing.parse_stale(engine, now)
        patient = load_patient(REPO_ROOT / "examples" / "trec2021-topic11.json").patient
        with db.session(engine) as session:
            matches = match_stored(session, patient, ON, Filters(include_ineligible=True))
        engine.dispose()

    table: Counter[tuple[str, str]] = Counter()
    wrong, deciding = [], Counter()
    for m in matches:
        label = labels[m.trial.nct_id]
        table[(label, m.verdict.value)] += 1
        if m.verdict.value == "ineligible":
            deciding.update(r.criterion.short_text for r in m.results if r.outcome.value == "violated"
                            and r.criterion.parent is None)  # fmt: skip
            if label == "eligible":
                wrong.append((m.trial.nct_id, [r for r in m.results if r.outcome.value == "violated"]))
    print(f"{len(matches)} trials matched on {ON}\n")
    print(f"{'TREC label':<12} {'eligible':>9} {'possible':>9} {'ineligible':>11}")
    for label in ("eligible", "excluded"):
        row = [table[(label, v)] for v in ("eligible", "possible", "ineligible")]
        print(f"{label:<12} {row[0]:>9} {row[1]:>9} {row[2]:>11}   ({sum(row)} trials)")
    excluded_total = sum(table[("excluded", v)] for v in ("eligible", "possible", "ineligible"))
    eligible_total = sum(table[("eligible", v)] for v in ("eligible", "possible", "ineligible"))
    caught = table[("excluded", "ineligible")]
    false = table[("eligible", "ineligible")]
    print(f"\nexcluded trials we exclude: {caught}/{excluded_total} ({caught / excluded_total:.0%})")
    print(f"eligible trials we exclude (false exclusions): {false}/{eligible_total} ({false / eligible_total:.0%})")
    print("\nfalse exclusions, with the violated criteria (check each against the trial text):")
    for nct_id, results in wrong[: args.show]:
        for r in results[:2]:
            print(f"  {nct_id}: {r.criterion.short_text}\n      -> {r.reason}")
    print("\nmost frequent deciding criteria among our exclusions:")
    for text, count in deciding.most_common(10):
        print(f"  {count:>3}  {text}")
    write_json(args.json, {"machine": info, "table": {f"{k[0]}/{k[1]}": v for k, v in table.items()},
                           "false_exclusions": [n for n, _ in wrong]})  # fmt: skip


if __name__ == "__main__":
    main()
