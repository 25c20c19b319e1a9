"""Layout invariance: the same eligibility text re-wrapped, unwrapped, in Markdown or with its accented letters
decomposed must give the same criteria and the same verdicts.

What it measures, over the 174 thyroid texts (the 35 thyroid studies of ctgov/studies, legacy layout; the 13
thyroid texts of ctgov/hint/thyroid_cancer_trials.csv not already among them, legacy layout; the 126 TREC topic-11
trials, API v2 Markdown; their TREC labels are not read) and each layout transform of `bench.rewrap`
(wrap60, wrap120, unwrap, markdown, legacy, decomposed):

- criteria level: how many texts parse (matcher.eligibility.parse_texts) to different criteria than the original
  text: count, section, heading, parent, any_of, whitespace-normalised text, fact keys (`--show N` lists the first
  differences);
- verdict level (skip with `--no-verdicts`): every variant is stored as a study (through ingestion and
  `parse_stale`, one SQLite database per corpus and layout) and the patients of examples/*.json,
  tests/patients/*.json and tests/panel/*.json are matched against it; reported: (patient, trial) verdicts that
  differ from the original.

`--all-hint` checks the criteria level over all 1,443 HINT oncology texts instead (no verdicts; about 90 s).

Run from the repository root:  .venv/bin/python -m bench.invariance [--show 10] [--no-verdicts] [--json FILE]
The shared folder is $MATCHER_SHARED_DIR, else ../shared (or --shared DIR). Takes about 40 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench._common import (
    REPO_ROOT,
    add_common_args,
    load_hint,
    load_studies,
    load_trec,
    machine,
    print_machine,
    shared_dir,
)
from bench._common import write_json as write_results
from bench.rewrap import TRANSFORMS
from matcher.eligibility.criteria import Criterion
from matcher.eligibility.parser import parse_texts

ON = date(2026, 12, 1)


def thyroid_texts(shared: Path) -> list[tuple[str, str, str]]:
    """(corpus, NCT id, eligibility text) for the 174 thyroid texts: studies, HINT (not already in studies), TREC."""
    texts = [("studies", t.id, t.text) for t in load_studies(shared)]
    seen = {nct for _, nct, _ in texts}
    csv.field_size_limit(sys.maxsize)
    with (shared / "ctgov" / "hint" / "thyroid_cancer_trials.csv").open(encoding="utf-8", newline="") as handle:
        texts += [("hint", row["nctid"], row["criteria"]) for row in csv.DictReader(handle) if row["nctid"] not in seen]
    texts += [("trec", t.id, t.text) for t in load_trec(shared)]
    return texts


Reading = tuple[str, str | None, int | None, bool, str, tuple[str, ...]]


def reading(criteria: list[Criterion]) -> list[Reading]:
    """What must not depend on the layout: per criterion its section, heading, parent, any_of, text and facts."""
    return [
        (c.section.value, c.heading, c.parent, c.any_of, " ".join(c.text.split()), tuple(f.key for f in c.facts))
        for c in criteria
    ]


def first_difference(original: list[Reading], variant: list[Reading]) -> str:
    """A one-line description of where two readings first differ."""
    names = ("section", "heading", "parent", "any_of", "text", "facts")
    for index, (a, b) in enumerate(zip(original, variant, strict=False)):
        if a != b:
            at = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
            return f"criterion {index} {names[at]}: {str(a[at])[:90]!r} -> {str(b[at])[:90]!r}"
    longer = original if len(original) > len(variant) else variant
    extra = longer[min(len(original), len(variant))]
    return f"{len(original)} criteria -> {len(variant)} (first extra: {extra[4][:90]!r})"


def criteria_changes(
    texts: list[tuple[str, str, str]], transforms: list[str]
) -> tuple[dict[str, list[tuple[str, str, str]]], float]:
    """For each transform, the texts whose criteria change: (corpus, NCT id, first difference); and the seconds."""
    started = time.perf_counter()
    originals = [reading(c) for c in parse_texts([text for _, _, text in texts])]
    changed: dict[str, list[tuple[str, str, str]]] = {}
    for name in transforms:
        variants = parse_texts([TRANSFORMS[name](text) for _, _, text in texts])
        changed[name] = [
            (corpus, nct, first_difference(original, reading(variant)))
            for (corpus, nct, _), original, variant in zip(texts, originals, variants, strict=True)
            if reading(variant) != original
        ]
    return changed, time.perf_counter() - started


# --- verdicts ---------------------------------------------------------------------------------------------------


def _study(shared: Path, corpus: str, nct: str, text: str) -> dict[str, Any]:
    if corpus == "studies":
        study: dict[str, Any] = json.loads((shared / "ctgov" / "studies" / f"{nct}.json").read_text(encoding="utf-8"))
        study.pop("derivedFrom", None)
        study["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] = text
        return study
    if corpus == "trec":
        from bench.trec_topic11 import study as trec_study

        path = shared / "bench" / "trec2021_topic11_thyroid" / "trials" / f"{nct}.json"
        trial = json.loads(path.read_text(encoding="utf-8"))
        trial["raw_criteria"] = text
        return trec_study(trial)
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct, "briefTitle": nct},
            "statusModule": {"overallStatus": "UNKNOWN"},
            "eligibilityModule": {"eligibilityCriteria": text, "sex": "ALL"},
        }
    }


def _patients() -> list[Any]:
    from matcher.patient import load_patient

    folders = (REPO_ROOT / "examples", REPO_ROOT / "tests" / "patients", REPO_ROOT / "tests" / "panel")
    paths = [path for folder in folders for path in sorted(folder.glob("*.json"))]
    return [load_patient(path).patient for path in paths]


def verdicts(shared: Path, texts: list[tuple[str, str, str]], layout: str | None) -> dict[tuple[str, str, str], str]:
    """(patient id, corpus, NCT id) -> verdict, with every text in `layout` (None: as in the source)."""
    from matcher import db, ingest, parsing
    from matcher.matching import Filters, match_stored
    from matcher.sources import DirectorySource

    now = lambda: datetime(2026, 12, 1, 3, tzinfo=UTC)  # noqa: E731
    patients = _patients()
    found: dict[tuple[str, str, str], str] = {}
    for corpus in sorted({c for c, _, _ in texts}):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "studies"
            folder.mkdir()
            for c, nct, text in texts:
                if c == corpus:
                    variant = TRANSFORMS[layout](text) if layout else text
                    (folder / f"{nct}.json").write_text(json.dumps(_study(shared, c, nct, variant)), encoding="utf-8")
            engine = db.open_database(f"sqlite:///{Path(tmp) / 'invariance.sqlite'}")
            ingest.fetch(engine, DirectorySource(folder), now)
            parsing.parse_stale(engine, now)
            with db.session(engine) as session:
                for patient in patients:
                    for m in match_stored(session, patient, ON, Filters(include_ineligible=True)):
                        found[(patient.id, corpus, m.trial.nct_id)] = m.verdict.value
            engine.dispose()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument("--show", type=int, default=5, help="differences listed per transform (default 5)")
    parser.add_argument("--transform", nargs="+", choices=list(TRANSFORMS), default=list(TRANSFORMS))
    parser.add_argument("--no-verdicts", action="store_true", help="criteria level only")
    parser.add_argument("--all-hint", action="store_true", help="criteria level over all 1,443 HINT oncology texts")
    args = parser.parse_args(argv)
    shared = shared_dir(args)
    info = machine()
    print("layout invariance — the same texts re-laid out must give the same criteria and verdicts")
    print_machine(info)
    texts = thyroid_texts(shared)
    if args.all_hint:
        texts = [("hint-all", t.id, t.text) for t in load_hint(shared)]
        args.no_verdicts = True
    by_corpus = Counter(corpus for corpus, _, _ in texts)
    print(f"{len(texts)} texts: " + ", ".join(f"{n} {corpus}" for corpus, n in sorted(by_corpus.items())))
    changed, seconds = criteria_changes(texts, args.transform)
    print(f"\ncriteria level (parsed {len(texts) * (1 + len(args.transform))} texts in {seconds:.1f} s)")
    print(f"{'transform':<10} {'texts changed':>14}   " + "  ".join(f"{c:>7}" for c in sorted(by_corpus)))
    for name, rows in changed.items():
        per = Counter(corpus for corpus, _, _ in rows)
        print(f"{name:<10} {len(rows):>14}   " + "  ".join(f"{per[c]:>7}" for c in sorted(by_corpus)))
    for name, rows in changed.items():
        for corpus, nct, difference in rows[: args.show]:
            print(f"  {name} {corpus}/{nct}: {difference}")
    results: dict[str, Any] = {
        "machine": info,
        "texts": len(texts),
        "criteria_changed": {name: [f"{c}/{n}" for c, n, _ in rows] for name, rows in changed.items()},
    }
    if not args.no_verdicts:
        started = time.perf_counter()
        base = verdicts(shared, texts, None)
        print(f"\nverdict level: {len(base)} (patient, trial) verdicts per layout")
        results["verdicts_changed"] = {}
        for name in args.transform:
            variant = verdicts(shared, texts, name)
            diff = sorted(key for key in base if variant.get(key) != base[key])
            results["verdicts_changed"][name] = [f"{p} {c}/{n}: {base[(p, c, n)]} -> {variant.get((p, c, n))}"
                                                 for p, c, n in diff]  # fmt: skip
            print(f"{name:<10} {len(diff):>5} verdicts change")
            for line in results["verdicts_changed"][name][: args.show]:
                print(f"  {line}")
        print(f"(verdicts in {time.perf_counter() - started:.0f} s)")
    write_results(args.json, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
