"""Parse coverage: how many real eligibility criteria the rule parser turns into at least one fact, and what it misses.

What it measures, per corpus:
  * trials, criteria (the parser's segments of the eligibility text; the structured age/sex fields are not used);
  * the share of criteria with at least one fact: overall, inclusion, exclusion, and without "lead-in" lines
    (segments ending with ":" such as "DISEASE CHARACTERISTICS:" or "Patients must meet all of the following:");
  * per fact kind, the share of criteria holding at least one fact of that kind;
  * the most frequent UNPARSED phrasings (criteria with no fact), normalised: lower-case, runs of digits -> "#",
    first 6 words, trailing ":;,." dropped; with counts and one verbatim example each. Lead-in lines are counted
    and their top 10 named, but left out of the list (they carry no requirement of their own);
    --include-lead-ins lists them with the rest.

Corpora (read in place from the shared folder):
  * hint    - all 1,443 oncology trials of ctgov/hint/oncology_all.csv (column "criteria", legacy text);
  * studies - the 35 thyroid studies of ctgov/studies/ (set "thyroid" in ctgov/raw/legacy_xml/index.csv;
              --all-studies for all 48), eligibilityModule.eligibilityCriteria (legacy layout);
  * trec    - the 126 TREC 2021 topic-11 thyroid trials, bench/trec2021_topic11_thyroid/trials/*.json, field
              "raw_criteria" (live API v2 Markdown).

Run from the repository root:
    .venv/bin/python -m bench.parse_coverage [--top 40] [--corpus hint studies trec] [--json out/coverage.json]
The shared folder is $MATCHER_SHARED_DIR, else ../shared (or --shared DIR). Takes about 20 s on one core.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from typing import Any

from bench._common import (
    Trial,
    add_common_args,
    load_hint,
    load_studies,
    load_trec,
    machine,
    pct,
    print_machine,
    shared_dir,
    write_json,
)
from matcher.eligibility import parser_version
from matcher.eligibility.criteria import Criterion, FactKind, Section
from matcher.eligibility.parser import parse_texts

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def phrasing(text: str) -> str:
    """The normalised opening of a criterion: lower-case, numbers -> '#', first 6 words."""
    words = _DIGITS.sub("#", text.lower()).split()[:6]
    return " ".join(words).rstrip(" :;,.")


def is_lead_in(criterion: Criterion) -> bool:
    return criterion.text.rstrip().endswith(":")


def coverage(
    trials: list[Trial], parsed: list[list[Criterion]], top: int, include_lead_ins: bool = False
) -> dict[str, Any]:
    criteria = [c for trial in parsed for c in trial]
    with_fact = [c for c in criteria if c.facts]
    by_section: dict[str, dict[str, int]] = {}
    for section in Section:
        members = [c for c in criteria if c.section is section]
        by_section[section.value] = {"criteria": len(members), "with_fact": sum(1 for c in members if c.facts)}
    content = [c for c in criteria if not is_lead_in(c)]
    kinds: Counter[str] = Counter()
    for c in criteria:
        for kind in {f.kind.value for f in c.facts}:
            kinds[kind] += 1
    unparsed: Counter[str] = Counter()
    lead_ins: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for c in criteria:
        if c.facts:
            continue
        if is_lead_in(c) and not include_lead_ins:
            lead_ins[phrasing(c.text)] += 1
            continue
        key = phrasing(c.text)
        unparsed[key] += 1
        examples.setdefault(key, " ".join(c.text.split())[:140])
    n = len(criteria)
    return {
        "trials": len(trials),
        "trials_without_criteria": sum(1 for p in parsed if not p),
        "trials_without_any_fact": sum(1 for p in parsed if p and not any(c.facts for c in p)),
        "criteria": n,
        "criteria_with_fact": len(with_fact),
        "share_with_fact": len(with_fact) / n if n else None,
        "by_section": by_section,
        "lead_in_lines": n - len(content),
        "share_with_fact_excluding_lead_ins": (sum(1 for c in content if c.facts) / len(content)) if content else None,
        "facts": sum(len(c.facts) for c in criteria),
        "by_kind": {kind.value: kinds.get(kind.value, 0) for kind in FactKind},
        "unparsed_total": n - len(with_fact),
        "unparsed_lead_ins": sum(lead_ins.values()),
        "top_unparsed_lead_ins": [{"phrasing": key, "count": count} for key, count in lead_ins.most_common(10)],
        "top_unparsed": [
            {"phrasing": key, "count": count, "example": examples[key]} for key, count in unparsed.most_common(top)
        ],
    }


def print_report(name: str, label: str, result: dict[str, Any], seconds: float) -> None:
    n = result["criteria"]
    print(f"\n=== {name}: {label} ===")
    print(f"trials {result['trials']}  criteria {n}  facts {result['facts']}  (parsed in {seconds:.1f} s)")
    print(
        f"trials with no criteria: {result['trials_without_criteria']}; "
        f"trials whose criteria have no fact at all: {result['trials_without_any_fact']}"
    )
    print(f"criteria with >= 1 fact: {result['criteria_with_fact']} / {n} = {pct(result['criteria_with_fact'], n)}")
    for section, counts in result["by_section"].items():
        print(
            f"  {section:<10} {counts['with_fact']:>6} / {counts['criteria']:<6} = "
            f"{pct(counts['with_fact'], counts['criteria'])}"
        )
    share = result["share_with_fact_excluding_lead_ins"]
    print(
        f"  without the {result['lead_in_lines']} lead-in lines (ending in ':'): "
        f"{'-' if share is None else f'{100 * share:.1f}%'}"
    )
    print("share of criteria holding a fact of each kind:")
    ranked = sorted(result["by_kind"].items(), key=lambda item: -item[1])
    for kind, count in ranked:
        print(f"  {kind:<20} {count:>6}  {pct(count, n)}")
    print(f"unparsed criteria: {result['unparsed_total']}, of which lead-in lines: {result['unparsed_lead_ins']}")
    if result["top_unparsed_lead_ins"]:
        heads = ", ".join(f"{row['phrasing']} ({row['count']})" for row in result["top_unparsed_lead_ins"])
        print(f"  most frequent unparsed lead-ins (not listed below): {heads}")
    listed = sum(row["count"] for row in result["top_unparsed"])
    rest = result["unparsed_total"] - result["unparsed_lead_ins"]
    print(
        f"most frequent unparsed phrasings (lead-in lines excluded unless --include-lead-ins); these "
        f"{len(result['top_unparsed'])} cover {listed} of {rest} ({pct(listed, rest).strip()}):"
    )
    for row in result["top_unparsed"]:
        print(f"  {row['count']:>5}  {row['phrasing']:<48}  e.g. {row['example'][:70]!r}")


CORPORA = {
    "hint": "HINT oncology_all.csv (1,443 oncology trials, legacy text)",
    "studies": "ctgov/studies thyroid trials (legacy layout)",
    "trec": "TREC 2021 topic 11 thyroid trials (API v2 Markdown)",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument("--top", type=int, default=40, help="how many unparsed phrasings to list (default 40)")
    parser.add_argument("--corpus", nargs="+", choices=list(CORPORA), default=list(CORPORA))
    parser.add_argument(
        "--include-lead-ins", action="store_true", help="list unparsed lead-in lines (ending in ':') with the rest"
    )
    parser.add_argument("--all-studies", action="store_true", help="use all 48 ctgov/studies files, not only thyroid")
    args = parser.parse_args(argv)
    shared = shared_dir(args)
    info = machine()
    print("parse coverage — matcher.eligibility.parse_texts over real eligibility texts")
    print_machine(info)
    print(f"parser version {parser_version()}; shared data {shared}")
    loaders = {
        "hint": lambda: load_hint(shared),
        "studies": lambda: load_studies(shared, args.all_studies),
        "trec": lambda: load_trec(shared),
    }
    results: dict[str, Any] = {"machine": info, "parser_version": parser_version(), "corpora": {}}
    for name in args.corpus:
        trials = loaders[name]()
        label = CORPORA[name]
        if name == "studies" and args.all_studies:
            label = "ctgov/studies, all 48 (35 thyroid + 13 oncology, legacy layout)"
        started = time.perf_counter()
        parsed = parse_texts([t.text for t in trials])
        seconds = time.perf_counter() - started
        result = coverage(trials, parsed, args.top, args.include_lead_ins)
        result["label"] = label
        results["corpora"][name] = result
        print_report(name, label, result, seconds)
    write_json(args.json, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
