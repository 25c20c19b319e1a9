"""Reading identity: a hash of each tuning trial's stored criteria, to show that a change to the parser's speed changed
no reading.

Parses every tuning text - the 1,443 HINT oncology trials (what bench.parse_speed times), HINT's thyroid trials
and the ClinicalTrials.gov studies in ../shared/ctgov (with their structured age, sex, conditions and interventions,
as ingestion gives them), and the thyroid texts again re-laid out (`bench.rewrap`: API v2 Markdown, unwrapped,
wrapped at 60 columns) - never the held-out TREC topic-11 trials. For each trial it hashes the criteria exactly as
they are stored (`Criterion.to_stored`, as JSON) and writes one line per trial, "corpus/NCT id<TAB>sha256", and
a digest over all lines. Compare two runs with `--compare`:

    .venv/bin/python -m bench.parse_digest --out out/digest-before.tsv            # on the commit before
    .venv/bin/python -m bench.parse_digest --out out/digest-after.tsv --compare out/digest-before.tsv

The texts are parsed the way ingestion parses them (`matcher.parsing`): in batches of 200 through `parse_texts`.
Takes about a minute.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from bench._common import add_common_args, load_hint, shared_dir
from bench.rewrap import rewrap, to_markdown, unwrap

BATCH = 200  # as matcher.parsing.BATCH: one parse_texts call per batch


@dataclass(frozen=True)
class TuningText:
    key: str  # corpus/NCT id
    text: str
    minimum_age: str | None = None
    maximum_age: str | None = None
    sex: str | None = None
    conditions: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()


def tuning_texts(shared: Path) -> list[TuningText]:
    """Every tuning text, in a fixed order; the held-out TREC topic-11 trials are not among them."""
    from matcher.ctgov_parse import parse_study

    found = [TuningText(f"hint/{t.id}", t.text) for t in load_hint(shared)]
    csv.field_size_limit(sys.maxsize)
    with (shared / "ctgov" / "hint" / "thyroid_cancer_trials.csv").open(encoding="utf-8", newline="") as handle:
        found += [TuningText(f"hint-thyroid/{row['nctid']}", row["criteria"]) for row in csv.DictReader(handle)]
    for folder in ("studies", "raw/api_v2/studies"):
        for path in sorted((shared / "ctgov" / folder).glob("NCT*.json")):
            trial = parse_study(json.loads(path.read_text(encoding="utf-8")))
            found.append(TuningText(f"{folder}/{trial.nct_id}", trial.eligibility_text, trial.minimum_age,
                                    trial.maximum_age, trial.sex, trial.conditions, trial.interventions))  # fmt: skip
    thyroid = [t for t in found if not t.key.startswith("hint/")]
    for name, layout in (("markdown", to_markdown), ("unwrapped", unwrap), ("wrapped-60", partial(rewrap, width=60))):
        found += [replace(t, key=f"{name}:{t.key}", text=layout(t.text)) for t in thyroid]
    return found


def digests(texts: list[TuningText]) -> Iterator[tuple[str, str]]:
    """(key, sha256 of the stored criteria as JSON) per text."""
    from matcher.eligibility.parser import StructuredFields, parse_texts

    for first in range(0, len(texts), BATCH):
        batch = texts[first : first + BATCH]
        fields = [StructuredFields(t.minimum_age, t.maximum_age, t.sex, t.conditions, t.interventions) for t in batch]
        for text, criteria in zip(batch, parse_texts([t.text for t in batch], fields), strict=True):
            stored = json.dumps([c.to_stored() for c in criteria], ensure_ascii=False, separators=(",", ":"))
            yield text.key, hashlib.sha256(stored.encode()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument("--out", type=Path, required=True, help="where to write the per-trial hashes (TSV)")
    parser.add_argument("--compare", type=Path, help="an earlier --out file: list the trials whose hash differs")
    args = parser.parse_args(argv)
    texts = tuning_texts(shared_dir(args))
    lines = [f"{key}\t{digest}" for key, digest in digests(texts)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    overall = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    print(f"{len(lines)} trials parsed; digest of all stored criteria {overall[:16]} ({args.out})")
    if args.compare is None:
        return 0
    before = dict(line.split("\t") for line in args.compare.read_text(encoding="utf-8").splitlines())
    after = dict(line.split("\t") for line in lines)
    changed = sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    for key in changed:
        print(f"  differs: {key}")
    print(f"{len(changed)} of {len(after)} trials differ from {args.compare}")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
