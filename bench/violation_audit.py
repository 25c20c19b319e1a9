"""Violation audit (issue 10, item 7): every `violated` outcome of the patient panel on the TUNING thyroid texts.

What it does: ingests the tuning texts through the ordinary path (API v2-shaped study files -> `ingest.fetch` ->
`parse_stale` into a temporary SQLite file), matches every profile of `tests/panel/*.json` on a fixed day
(2026-11-26) with `match_stored`, and lists each `violated` outcome of a top-level criterion, and of a sub-item
whose parent (and every ancestor) is violated, once per (criterion text, reading, patient id). Each item carries
the trial, the section, the text, the reading (the criterion's facts as `Fact.to_json()` gives them, without
their derived key), the kinds of the facts that decided it, the reason, and the patient fields it used (the
evidence paths with their values from the profile).

The tuning texts: the 35 thyroid studies of ``../shared/ctgov/studies`` (set "thyroid" in
``raw/legacy_xml/index.csv``) and the 14 thyroid texts of ``ctgov/hint/thyroid_cancer_trials.csv``, wrapped as
API v2-shaped studies as `bench/trec_topic11.py` does. The TREC 2021 topic-11 trials are the held-out set: their
text is never read here, and the trials whose NCT id is among them (10 of the 35 studies, 1 HINT text, known
from the file names only) are left out, so that nothing tuned on this audit has seen a held-out trial. A HINT
text whose NCT id is also a study is taken from the study.

Run from the repository root:
  .venv/bin/python -m bench.violation_audit                       # counts per kind
  .venv/bin/python -m bench.violation_audit --all FILE.jsonl      # every violated item, for reading
  .venv/bin/python -m bench.violation_audit --sample 420 --out FILE.jsonl   # stratified sample to judge
  .venv/bin/python -m bench.violation_audit --replay tests/audit/violations.jsonl   # the judged audit, today
"""

from __future__ import annotations

import argparse
import ast
import csv
import html
import json
import random
import re
import sys
import tempfile
import textwrap
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench._common import REPO_ROOT, add_common_args, default_shared_dir, shared_dir, write_json
from matcher import db, ingest, parsing
from matcher.eligibility.criteria import Criterion, one_line
from matcher.matching import Filters, match_stored
from matcher.matching.evaluate import CriterionResult, TrialMatch
from matcher.patient import LoadedPatient, load_patient
from matcher.sources import DirectorySource

ON = date(2026, 11, 26)  # the fixed matching day of the audit
PANEL_DIR = REPO_ROOT / "tests" / "panel"
EXAMPLES_DIR = REPO_ROOT / "examples"
TEST_PATIENTS_DIR = REPO_ROOT / "tests" / "patients"
HELD_OUT_EXAMPLE = "trec2021-topic11.json"  # topic 11's patient: its trials are the held-out set
FRESH_FILES = ("fresh_examples.jsonl", "fresh_examples_2.jsonl")  # simple random draws on the example profiles
AUDIT_FILE = REPO_ROOT / "tests" / "audit" / "violations.jsonl"
JUDGED_FILES = ("violations.jsonl", "violations_extra.jsonl", "violations_later.jsonl")
OPEN_FILE = AUDIT_FILE.with_name("open_wrong.txt")  # the judged-wrong items still violated: issue 10's to-do list
SEED = 10  # issue 10
_INDEX = re.compile(r"\[(\d+)\]")


# --- the tuning texts --------------------------------------------------------------------------------------------


def heldout_ids(shared: Path) -> set[str]:
    """NCT ids of the held-out TREC topic-11 trials, from their file names only (their text is not read)."""
    folder = shared / "bench" / "trec2021_topic11_thyroid" / "trials"
    return {path.stem for path in folder.glob("NCT*.json")}


def hint_conditions(diseases: str) -> list[str]:
    """A HINT row's ``diseases``: a Python list literal, whose names may hold commas ("carcinoma, renal cell")."""
    if not diseases.strip():
        return []
    names = ast.literal_eval(diseases)
    return [names] if isinstance(names, str) else [str(name) for name in names]


def hint_study(row: dict[str, str]) -> dict[str, Any]:
    """A HINT row as an API v2-shaped study: the legacy text with its common indentation removed (as the
    converter of ``ctgov/studies`` did), the status and phases mapped to API v2 values."""
    text = textwrap.dedent(row["criteria"]).strip("\n")
    phases = [f"PHASE{n}" for n in re.findall(r"phase\s*(\d)", row.get("phase") or "", re.I)]
    return {
        "protocolSection": {
            "identificationModule": {"nctId": row["nctid"], "briefTitle": f"HINT thyroid text {row['nctid']}"},
            "statusModule": {"overallStatus": (row.get("status") or "unknown").strip().upper().replace(" ", "_")},
            "designModule": {"phases": phases},
            "conditionsModule": {"conditions": hint_conditions(row.get("diseases", ""))},
            "eligibilityModule": {"eligibilityCriteria": text},
        }
    }


def tuning_studies(shared: Path, oncology: bool = False) -> dict[str, dict[str, Any]]:
    """The tuning texts by NCT id, as API v2-shaped studies, without any held-out trial; with ``oncology``, also
    every HINT oncology text (``ctgov/hint/oncology_all.csv``) not already there (the corpus of fresh sample 3)."""
    ctgov = shared / "ctgov"
    held = heldout_ids(shared)
    with (ctgov / "raw" / "legacy_xml" / "index.csv").open(encoding="utf-8", newline="") as handle:
        thyroid = sorted(row["nct_id"] for row in csv.DictReader(handle) if row["set"] == "thyroid")
    studies: dict[str, dict[str, Any]] = {}
    for nct_id in thyroid:
        if nct_id not in held:
            study = json.loads((ctgov / "studies" / f"{nct_id}.json").read_text(encoding="utf-8"))
            study.pop("derivedFrom", None)
            studies[nct_id] = study
    csv.field_size_limit(sys.maxsize)
    hint_files = ["thyroid_cancer_trials.csv", *(["oncology_all.csv"] if oncology else [])]
    for name in hint_files:
        with (ctgov / "hint" / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["nctid"] not in held and row["nctid"] not in studies:
                    studies[row["nctid"]] = hint_study(row)
    return studies


@contextmanager
def tuning_database(shared: Path, only: Iterable[str] | None = None, oncology: bool = False) -> Iterator[Any]:
    """A temporary SQLite database holding the tuning texts (or those of ``only``), ingested and parsed; with
    ``oncology``, the HINT oncology texts too."""
    studies = tuning_studies(shared, oncology)
    wanted = set(only) if only is not None else set(studies)
    now = lambda: datetime.now(UTC)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "studies"
        folder.mkdir()
        for nct_id in sorted(wanted & set(studies)):
            (folder / f"{nct_id}.json").write_text(json.dumps(studies[nct_id]), encoding="utf-8")
        engine = db.open_database(f"sqlite:///{Path(tmp) / 'audit.sqlite'}")
        try:
            ingest.fetch(engine, DirectorySource(folder), now)
            parsing.parse_stale(engine, now)
            yield engine
        finally:
            engine.dispose()


def load_panel(folder: Path = PANEL_DIR) -> list[LoadedPatient]:
    return [load_patient(path) for path in sorted(folder.glob("*.json"))]


def example_profiles() -> list[LoadedPatient]:
    """The profiles of the fresh samples (`tests/audit/fresh_examples*.jsonl`): `examples/*.json` but topic 11's
    (held out) and `tests/patients/*.json`, 9 profiles written apart from the panel and the rules."""
    paths = [p for p in sorted(EXAMPLES_DIR.glob("*.json")) if p.name != HELD_OUT_EXAMPLE]
    return [load_patient(path) for path in [*paths, *sorted(TEST_PATIENTS_DIR.glob("*.json"))]]


def sample_3_profiles() -> list[LoadedPatient]:
    """The profiles of fresh sample 3: the example profiles and topic 11's patient. His profile is written from the
    topic's note only (no judgment or outcome of topic 11 is read); matched against tuning texts, never against the
    held-out trials, he is fair tuning data."""
    return [*example_profiles(), load_patient(EXAMPLES_DIR / HELD_OUT_EXAMPLE)]


def match_panel(engine: Any, panel: Sequence[LoadedPatient], on: date = ON) -> dict[str, list[TrialMatch]]:
    """Each patient's matches (ineligible trials included), by patient id."""
    found = {}
    with db.session(engine) as session:
        for loaded in panel:
            found[loaded.patient.id] = match_stored(session, loaded.patient, on, Filters(include_ineligible=True))
    return found


# --- the violated outcomes ---------------------------------------------------------------------------------------


def reading(criterion: Criterion) -> list[dict[str, Any]]:
    """The criterion's facts as the parser read them (without the derived key)."""
    return [{k: v for k, v in fact.to_json().items() if k != "key"} for fact in criterion.facts]


def field_value(document: Any, path: str) -> Any:
    """The value at an evidence path such as ``therapies[4]`` or ``disease.brain_metastases`` (None if absent)."""
    value = document
    for part in path.split("."):
        name = _INDEX.sub("", part)
        if name:
            value = value.get(name) if isinstance(value, dict) else None
        for index in _INDEX.findall(part):
            value = value[int(index)] if isinstance(value, list) and int(index) < len(value) else None
    return value


def _chain_violated(results: Sequence[CriterionResult], result: CriterionResult) -> bool:
    parent = result.criterion.parent
    while parent is not None:
        if results[parent].outcome.value != "violated":
            return False
        parent = results[parent].criterion.parent
    return True


def _violating_sub_items(results: Sequence[CriterionResult], result: CriterionResult) -> list[str]:
    """The sub-items a parent's violation came from, one line each; empty when its own facts' answer stood. A parent
    with facts of its own can be violated through a sub-item alone ("Uncontrolled inter-current illness including
    ... active infection" over "Known infection with Human Immunodeficiency Virus (HIV) ...", NCT02993731): its reason
    is the sub-item's, and a reader shown the parent alone judges its own text against a reason it does not give
    (comorbid sample 30b's CP066). Matching combines the reasons of the first three deciding sub-items
    (`evaluate._explain_parents`)."""
    index = result.criterion.index
    kids = [r for r in results if r.criterion.parent == index and r.outcome is result.outcome]
    if not kids or result.reason != "; ".join(dict.fromkeys(k.reason for k in kids[:3])):
        return []
    return [one_line(k.criterion.text) for k in kids]


def _kinds(result: CriterionResult) -> list[str]:
    """The kinds of the facts that decided the outcome (by their rule ids), else of all the facts."""
    facts = result.criterion.facts
    deciding = [f.kind.value for f in facts if f.rule in result.rules] or [f.kind.value for f in facts]
    return list(dict.fromkeys(deciding))


def violations(matches: dict[str, list[TrialMatch]], documents: dict[str, Any]) -> list[dict[str, Any]]:
    """Every violated outcome to audit, de-duplicated by (trial, criterion text, reading, patient id)."""
    seen: set[tuple[str, str, str, str]] = set()
    items = []
    for patient_id, trial_matches in matches.items():
        for match in sorted(trial_matches, key=lambda m: m.trial.nct_id):
            results = match.results
            for result in results:
                criterion = result.criterion
                if result.outcome.value != "violated" or not criterion.facts:
                    continue  # a parent with no facts of its own is violated through the sub-items listed
                if not _chain_violated(results, result):
                    continue
                text = one_line(criterion.text)
                facts = reading(criterion)
                readings = json.dumps([[f["kind"], f["polarity"], f["values"]] for f in facts])
                key = (match.trial.nct_id, text, readings, patient_id)
                if key in seen:
                    continue
                seen.add(key)
                items.append(
                    {
                        "nct_id": match.trial.nct_id,
                        "patient": patient_id,
                        "section": criterion.section.value,
                        "text": text,
                        "parent_text": (
                            one_line(results[criterion.parent].criterion.text) if criterion.parent is not None else None
                        ),
                        "source": criterion.source,
                        "kind": "+".join(_kinds(result)),
                        "reading": facts,
                        "reason": result.reason,
                        "patient_fields": {p: field_value(documents[patient_id], p) for p in result.evidence},
                        "sub_items": _violating_sub_items(results, result),
                    }
                )
    for number, item in enumerate(items, 1):
        item["id"] = f"v{number:04d}"
    return items


def primary_kind(item: dict[str, Any]) -> str:
    return str(item["kind"]).split("+")[0]


def stratified_sample(items: Sequence[dict[str, Any]], size: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``size`` items, an equal share per primary kind (all of a kind with fewer than its share, the rest shared
    among the others), drawn with a fixed seed."""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_kind[primary_kind(item)].append(item)
    quota: dict[str, int] = {}
    left, kinds = min(size, len(items)), sorted(by_kind)
    while kinds:
        share = left // len(kinds)
        small = [k for k in kinds if len(by_kind[k]) <= share]
        if not small:
            extra = left - share * len(kinds)
            for i, kind in enumerate(sorted(kinds, key=lambda k: -len(by_kind[k]))):
                quota[kind] = share + (1 if i < extra else 0)
            break
        for kind in small:
            quota[kind] = len(by_kind[kind])
            left -= quota[kind]
            kinds.remove(kind)
    rng = random.Random(seed)
    chosen = []
    for kind in sorted(quota):
        pool = by_kind[kind]
        chosen.extend(rng.sample(pool, quota[kind]) if quota[kind] < len(pool) else pool)
    return sorted(chosen, key=lambda item: item["id"])


def simple_sample(items: Sequence[dict[str, Any]], size: int, seed: int) -> list[dict[str, Any]]:
    """``size`` items drawn at random, not stratified (the fresh samples: `random.Random(seed).sample`), in id
    order."""
    chosen = random.Random(seed).sample(list(items), min(size, len(items)))
    return sorted(chosen, key=lambda item: item["id"])


# --- replaying a judged audit -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replayed:
    item_id: str
    judgement: str
    found: bool  # a criterion with this text (or overlapping it) was found in the trial
    violated: bool  # one of them is violated for this patient today

    @property
    def holds(self) -> bool:
        """The judgement holds: a wrong exclusion is gone, a right one is still there."""
        return self.violated if self.judgement == "right" else not self.violated


def _normal(text: str) -> str:
    """The words of a criterion's text, lower case; accented letters composed (NFC) and character references written
    out, as the parser reads them (an audit file keeps the text as the registry wrote it: NCT00716794's "naïve" has a
    combining diaeresis, NCT03121716's "Class &gt; 2" an HTML reference)."""
    return re.sub(r"\W+", " ", unicodedata.normalize("NFC", html.unescape(text))).strip().lower()


def outcomes_for(match: TrialMatch, text: str) -> tuple[bool, bool]:
    """(found, violated) for the audited text in a trial's results: the criteria whose text is this text, else
    (the parser may now cut the text differently) those whose text contains it or is contained in it (ignoring
    fragments under 20 characters, which would match anywhere). Violated as the items were collected: the
    criterion and each of its parents (a violated alternative under a parent that holds excludes nobody)."""
    wanted = _normal(text)
    results = [(r, _normal(r.criterion.text)) for r in match.results]
    same = [r for r, t in results if t == wanted]
    near = same or [r for r, t in results if len(t) >= 20 and (wanted in t or t in wanted)]
    return bool(near), any(r.outcome.value == "violated" and _chain_violated(match.results, r) for r in near)


def replay(items: Sequence[dict[str, Any]], matches: dict[str, list[TrialMatch]]) -> list[Replayed]:
    by_trial = {pid: {m.trial.nct_id: m for m in ms} for pid, ms in matches.items()}
    replayed = []
    for item in items:
        match = by_trial.get(item["patient"], {}).get(item["nct_id"])
        found, violated = outcomes_for(match, item["text"]) if match is not None else (False, False)
        replayed.append(Replayed(item["id"], item["judgement"], found, violated))
    return replayed


def judged_items() -> list[dict[str, Any]]:
    """Every judged item: the sample, the extra file (what the sample missed) and the later file (judged as new
    readings made them violated)."""
    return [item for name in JUDGED_FILES for item in read_audit(AUDIT_FILE.with_name(name))]


def read_open() -> set[str]:
    return set(OPEN_FILE.read_text(encoding="utf-8").split())


def prune_open(shared: Path, panel: Sequence[LoadedPatient]) -> int:
    """Take the judged-wrong items that are no longer violated out of the open list; report, and exit 1 for, the
    judged-wrong items violated but not listed (a regression, or a new judgement to list by hand)."""
    items = judged_items()
    with tuning_database(shared, {i["nct_id"] for i in items}) as engine:
        matches = match_panel(engine, panel)
    still = {r.item_id for r in replay(items, matches) if r.judgement == "wrong" and r.violated}
    listed = read_open()
    OPEN_FILE.write_text("".join(f"{i}\n" for i in sorted(listed & still)), encoding="utf-8")
    print(f"open: {len(listed)} -> {len(listed & still)} ({len(listed - still)} fixed)")
    unlisted = sorted(still - listed)
    if unlisted:
        print(f"judged wrong, violated, not listed: {' '.join(unlisted)}")
    return 1 if unlisted else 0


def read_audit(path: Path = AUDIT_FILE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# --- reports -----------------------------------------------------------------------------------------------------


def print_counts(items: Sequence[dict[str, Any]], sample: Sequence[dict[str, Any]] | None = None) -> None:
    total = Counter(primary_kind(i) for i in items)
    sampled = Counter(primary_kind(i) for i in sample or ())
    print(f"{len(items)} violated outcomes to audit ({len({i['nct_id'] for i in items})} trials)")
    print(f"{'kind':<22} {'violated':>8} {'sampled':>8}")
    for kind, count in total.most_common():
        print(f"{kind:<22} {count:>8} {sampled[kind]:>8}")


def print_replay(items: Sequence[dict[str, Any]], replayed: Sequence[Replayed]) -> dict[str, Any]:
    kinds = {i["id"]: primary_kind(i) for i in items}
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for r in replayed:
        row = table[kinds[r.item_id]]
        row["judged"] += 1
        row[f"{r.judgement}"] += 1
        row["violated_now"] += r.violated
        row["wrong_still_violated"] += r.judgement == "wrong" and r.violated
        row["right_lost"] += r.judgement == "right" and not r.violated
    print(
        f"{'kind':<22} {'judged':>6} {'right':>6} {'wrong':>6} {'wrong still':>11} {'right lost':>10} {'precision':>9}"
    )
    summary = {}
    for kind in sorted(table, key=lambda k: -table[k]["judged"]):
        row = table[kind]
        violated_now = row["violated_now"]
        precision = (violated_now - row["wrong_still_violated"]) / violated_now if violated_now else 1.0
        summary[kind] = {**row, "precision": round(precision, 4)}
        print(
            f"{kind:<22} {row['judged']:>6} {row['right']:>6} {row['wrong']:>6} {row['wrong_still_violated']:>11} "
            f"{row['right_lost']:>10} {precision:>9.1%}"
        )
    violated = sum(r.violated for r in replayed)
    false = sum(r.violated and r.judgement == "wrong" for r in replayed)
    lost = sum(not r.violated and r.judgement == "right" for r in replayed)
    print(
        f"\nviolated precision today: {violated - false}/{violated}"
        + (f" ({1 - false / violated:.1%})" if violated else "")
    )
    print(f"judged-right items no longer violated (recall lost): {lost}")
    return {"per_kind": summary, "violated": violated, "false": false, "right_lost": lost}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--panel", type=Path, default=PANEL_DIR, help="folder of patient profiles (tests/panel)")
    parser.add_argument("--examples", action="store_true",
                        help="use the example profiles of the fresh samples (examples/ but topic 11's, and "
                        "tests/patients/) instead of --panel")  # fmt: skip
    parser.add_argument("--sample-3", dest="sample_3", action="store_true",
                        help="fresh sample 3's set-up: the example profiles and topic 11's patient (as --examples, "
                        "plus him) against the tuning texts and every HINT oncology text")  # fmt: skip
    parser.add_argument("--draw", type=int, default=0, metavar="N",
                        help="draw N items at random (simple, not stratified) with --seed, as the fresh samples "
                        "were")  # fmt: skip
    parser.add_argument("--sample", type=int, default=0, metavar="N", help="draw N items stratified by fact kind")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the sample (default %(default)s)")
    parser.add_argument("--out", type=Path, default=None, help="write the sample (or every item) as JSON lines")
    parser.add_argument("--all", dest="all_out", type=Path, default=None, help="write every item as JSON lines")
    parser.add_argument("--replay", type=Path, default=None, metavar="FILE", help="replay a judged audit")
    parser.add_argument("--prune-open", action="store_true",
                        help="replay every judged item and take the fixed ones out of the open list; a judged-wrong "
                        "item violated again is reported, never added back silently")  # fmt: skip
    add_common_args(parser)
    args = parser.parse_args(argv)
    shared = shared_dir(args) if args.shared else default_shared_dir()
    panel = sample_3_profiles() if args.sample_3 else example_profiles() if args.examples else load_panel(args.panel)
    documents = {p.patient.id: p.document for p in panel}
    print(f"{len(panel)} patients, matched on {ON}; held out: {len(heldout_ids(shared))} TREC topic-11 trials")
    if args.prune_open:
        return prune_open(shared, panel)
    if args.replay:
        audit = read_audit(args.replay)
        with tuning_database(shared, {i["nct_id"] for i in audit}, oncology=True) as engine:
            matches = match_panel(engine, [p for p in panel if p.patient.id in {i["patient"] for i in audit}])
        results = print_replay(audit, replay(audit, matches))
        write_json(args.json, results)
        return 0
    with tuning_database(shared, oncology=args.sample_3) as engine:
        matches = match_panel(engine, panel)
    items = violations(matches, documents)
    sample = stratified_sample(items, args.sample, args.seed) if args.sample else []
    if args.draw:
        sample = simple_sample(items, args.draw, args.seed)
    print(f"{len(tuning_studies(shared, oncology=args.sample_3))} tuning texts")
    print_counts(items, sample)
    for path, rows in ((args.all_out, items), (args.out, sample or items)):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    write_json(args.json, {"violated": len(items), "per_kind": Counter(primary_kind(i) for i in items)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
