"""Phrasing tables (issue 10, item 6): real criterion texts per kind, each with the reading its text supports.

Each table, tests/phrasings/<kind>.json, is a list of rows:

- ``text``: one criterion, copied from the HINT texts (../shared/ctgov/hint) or the thyroid studies
  (../shared/ctgov/studies), whitespace normalised; ``source`` its NCT id (``"issue 10"`` for a phrasing the issue
  lists that no corpus text has). The TREC topic-11 trials are held out and never a source.
- ``section``: inclusion or exclusion, as the registry placed it (texts before any heading are inclusion).
- ``reading``: the facts the text asks about, written from the text (not from the parser): ``kind``, ``polarity``
  (docs/parser.md: an exclusion criterion asks for the absence of what it names) and the key ``values`` in today's
  value names. Only the values written are compared; lists as sets, ``histologies`` by the patient histologies
  they cover. Time windows use the calendar form ``{"window": {"number": 6, "unit": "month"}}``.
- ``absent`` (optional): kinds the text must not produce ("measurable or non-measurable disease").
- ``uncertain`` (optional, per expected fact): whether the fact must be uncertain (true: it can never violate) or
  certain (false).
- ``scope`` (optional): the criterion's ``modality`` and/or its ``conditions`` as "kind:value" strings (an age
  band of a lab-by-age row is "age:>=10", "age:<13"; an undecidable condition "other:"), compared exactly.
- ``xfail`` (optional): why today's parser reads the row wrongly; a strict xfail, so a fix flips it and the entry
  must go. ``invariance_xfail`` (optional): the same, per variant family (bullet, punctuation, symbols, wrap).

A parsed fact of a kind the row names that matches no expected fact is a failure too (a second, different ECOG
bound is a wrong reading). The invariance tests check that the reading does not change under bullet style,
trailing punctuation, symbols against words and re-wrapping, variants generated from each row.
"""

from __future__ import annotations

import csv
import json
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity, Section
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import KnowledgeBase, load_knowledge
from tests.conftest import CTGOV, SHARED, STUDIES

PHRASINGS = Path(__file__).parent / "phrasings"
TABLES: dict[str, list[dict[str, Any]]] = {
    path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(PHRASINGS.glob("*.json"))
}
HEADINGS = {"inclusion": "Inclusion Criteria:", "exclusion": "Exclusion Criteria:"}
ROW_KEYS = {"text", "source", "section", "reading", "absent", "xfail", "invariance_xfail", "note", "scope"}
FAMILIES = ("bullet", "punctuation", "symbols", "wrap")
MIN_ROWS = 15


@cache
def _kb() -> KnowledgeBase:
    return load_knowledge()


# --- comparing a parsed fact with an expected one -----------------------------------------------------------------


def _unit(unit: Any) -> Any:
    """A unit as written, without spacing and symbol variants: "× 10^9/L" == "x10^9/l"."""
    if not isinstance(unit, str):
        return unit
    return re.sub(r"\s+", "", unit).replace("×", "x").replace("*", "x").replace("^", "").replace("³", "3").lower()


def _covered(histologies: Sequence[str]) -> frozenset[str]:
    kb = _kb()
    return frozenset().union(*(kb.histology_members(h) for h in histologies if h in kb.histologies)) | frozenset(
        h for h in histologies if h not in kb.histologies
    )


def _value_differs(key: str, expected: Any, values: dict[str, Any]) -> str | None:
    """Why a parsed fact's values do not hold the expected value under `key` (None when they do)."""
    if key == "window":  # a window in calendar units: "within" (a washout, a history), "at_least" (life expectancy)
        got = values.get("within") or values.get("at_least")
        return None if got == expected else f"window: expected {expected}, got {got or 'none'}"
    got = values.get(key)
    if key == "histologies":
        same = isinstance(got, list) and _covered(expected) == _covered(got)
    elif key == "unit":
        same = _unit(expected) == _unit(got)
    elif isinstance(expected, list):
        same = isinstance(got, list) and {json.dumps(v) for v in expected} == {json.dumps(v) for v in got}
    elif isinstance(expected, bool) or isinstance(got, bool):
        same = expected is got
    elif isinstance(expected, int | float):
        same = isinstance(got, int | float) and math.isclose(expected, got, rel_tol=1e-6, abs_tol=1e-9)
    else:
        same = expected == got
    return None if same else f"{key}: expected {expected!r}, got {got!r}"


def _differences(expected: dict[str, Any], fact: Fact) -> list[str]:
    found = []
    if fact.kind.value != expected["kind"]:
        found.append(f"kind {fact.kind.value} != {expected['kind']}")
    if fact.polarity.value != expected["polarity"]:
        found.append(f"polarity {fact.polarity.value} != {expected['polarity']}")
    if "uncertain" in expected and bool(fact.uncertain) is not expected["uncertain"]:
        found.append(f"uncertain: expected {expected['uncertain']}, got {fact.uncertain!r}")
    for key, value in expected["values"].items():
        why = _value_differs(key, value, fact.values.to_json())
        if why:
            found.append(why)
    return found


def _show(fact: Fact) -> str:
    shown = {k: v for k, v in fact.values.to_json().items() if not k.endswith("_name") and k != "canonical_unit"}
    return f"{fact.kind.value}/{fact.polarity.value} {json.dumps(shown, ensure_ascii=False)}"


def reading_problems(expected: Sequence[dict[str, Any]], absent: Sequence[str], facts: Sequence[Fact]) -> list[str]:
    """What keeps the parsed facts from giving the expected reading ([] when they give it).

    Every expected fact must be matched by its own parsed fact; a parsed fact of a kind the row names (in its
    reading or ``absent``) that no expected fact matches is a problem too. Facts of other kinds are not judged.
    """
    fits = [[j for j, fact in enumerate(facts) if not _differences(e, fact)] for e in expected]
    owner: dict[int, int] = {}

    def assign(i: int, seen: set[int]) -> bool:
        for j in fits[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or assign(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(expected)):
        assign(i, set())
    matched = {i for i in owner.values()}
    problems = []
    named = {e["kind"] for e in expected} | set(absent)
    for i, e in enumerate(expected):
        if i in matched:
            continue
        same_kind = [f for j, f in enumerate(facts) if f.kind.value == e["kind"] and j not in owner]
        if same_kind:
            closest = min(same_kind, key=lambda f: len(_differences(e, f)))
            problems.append(f"{e['kind']}/{e['polarity']}: " + "; ".join(_differences(e, closest)))
        else:
            problems.append(f"{e['kind']}/{e['polarity']}: no {e['kind']} fact")
    for j, fact in enumerate(facts):
        if j not in owner and fact.kind.value in named:
            problems.append(f"unexpected {_show(fact)}")
    return problems


# --- parsing a row -------------------------------------------------------------------------------------------------


def wrapped(section: str, body: str) -> str:
    """One criterion as the only item of its section."""
    return f"{HEADINGS[section]}\n\n{body}\n"


def facts_of(text: str) -> list[Fact]:
    return [fact for criterion in parse_text(text) for fact in criterion.facts]


def reading_key(facts: Sequence[Fact]) -> list[str]:
    """A reading for comparing variants: kind, polarity and values (units without spacing), in a stable order."""
    keys = []
    for fact in facts:
        values = {k: (_unit(v) if k == "unit" else v) for k, v in fact.values.to_json().items()}
        keys.append(f"{fact.kind.value}|{fact.polarity.value}|{json.dumps(values, sort_keys=True)}")
    return sorted(keys)


# --- variants -----------------------------------------------------------------------------------------------------

_GE = ("≥", ">=", "greater than or equal to")
_LE = ("≤", "<=", "less than or equal to")
# a multiple of the upper limit of normal: "1.5 x ULN", "2.5 times the upper limit", "1.5x institutional ULN"
_TIMES_ULN = re.compile(r"(?<=\d)\s*(?:×|x|X|times)\s*(?=(?:the\s+)?(?:institutional\s+)?(?:ULN|IULN|upper))")
_TIMES_POWER = re.compile(r"(?<=\d)\s*[×xX]\s*(?=10\s*\^?\d)")  # "1.5 × 10^9/L"
_RANGE = re.compile(r"(?<=\d)\s*(?:–|-|\bto\b)\s*(?=\d)")  # "0-1", "18 to 75", "70–100"
_TRAILING = re.compile(r"[\s.;,；]+$")


def _symbol_variants(text: str) -> list[tuple[str, str]]:
    variants = []
    for group in (_GE, _LE):
        for written in group:
            if written in text:
                for other in group:
                    if other != written:
                        changed = " ".join(text.replace(written, f" {other} ").split())
                        variants.append((f"{written} -> {other}", changed))
    for name, pattern, choices in (("times ULN", _TIMES_ULN, (" × ", " x ", " times ")),
                                   ("x 10^9", _TIMES_POWER, (" × ", " x ")),
                                   ("range", _RANGE, ("–", "-", " to "))):  # fmt: skip
        if pattern.search(text):
            for choice in choices:
                changed = pattern.sub(choice, text)
                if changed != text:
                    variants.append((f"{name} -> {choice.strip()}", changed))
    return variants


def variants(row: dict[str, Any], family: str) -> list[tuple[str, str]]:
    """(name, eligibility text) variants of a row in one family; [] where the family does not apply."""
    text, section = row["text"], row["section"]
    if family == "bullet":
        return [(f"bullet {m or 'none'}", wrapped(section, f"{m} {text}".strip())) for m in ("*", "•", "1.", "")]
    if family == "punctuation":
        if text.rstrip().endswith(":"):
            return []  # a lead-in: its colon is structure
        bare = _TRAILING.sub("", text)
        return [(f"ending {end or 'bare'}", wrapped(section, f"- {bare}{end}")) for end in (".", ";", "")]
    if family == "symbols":
        return [(name, wrapped(section, f"- {changed}")) for name, changed in _symbol_variants(text)]
    if family == "wrap":
        return [
            (f"wrapped at {width}", wrapped(section, textwrap.fill(text, width, initial_indent="- ",
                                                                   subsequent_indent="  ", break_on_hyphens=False)))
            for width in (40, 70)
            if len(text) + 2 > width
        ]  # fmt: skip
    raise ValueError(family)


# --- the cases ----------------------------------------------------------------------------------------------------


def _row_id(kind: str, index: int, row: dict[str, Any]) -> str:
    return f"{kind}-{index:02d}-{row['source'].replace(' ', '')}"


def _cases(xfail: Callable[[dict[str, Any]], str | None]) -> list[Any]:
    cases = []
    for kind, rows in TABLES.items():
        for index, row in enumerate(rows):
            reason = xfail(row)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(kind, index, id=_row_id(kind, index, row), marks=marks))
    return cases


def _invariance_cases() -> list[Any]:
    cases = []
    for kind, rows in TABLES.items():
        for index, row in enumerate(rows):
            for family in FAMILIES:
                if not variants(row, family):
                    continue
                reason = row.get("invariance_xfail", {}).get(family)
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                cases.append(pytest.param(kind, index, family, id=f"{_row_id(kind, index, row)}-{family}", marks=marks))
    return cases


@cache
def _held_out() -> frozenset[str]:
    """The TREC 2021 topic-11 trials (judged or labelled): never a phrasing's source."""
    bench = SHARED / "bench" / "trec2021_topic11_thyroid"
    ids = {line.split()[2] for line in (bench / "qrels2021_topic11.txt").read_text().splitlines() if line.strip()}
    ids |= {line.split("\t")[0] for line in (bench / "labels.tsv").read_text().splitlines()[1:] if line.strip()}
    return frozenset(ids | {path.stem for path in (bench / "trials").glob("NCT*.json")})


@cache
def _thyroid_studies() -> frozenset[str]:
    with (CTGOV / "raw" / "legacy_xml" / "index.csv").open(encoding="utf-8", newline="") as f:
        return frozenset(r["nct_id"] for r in csv.DictReader(f) if r["set"] == "thyroid")


@cache
def _corpus_texts() -> dict[str, list[str]]:
    """NCT id -> its eligibility texts (whitespace normalised) in the allowed corpora."""
    texts: dict[str, list[str]] = {}
    for nct_id in _thyroid_studies():
        study = json.loads((STUDIES / f"{nct_id}.json").read_text(encoding="utf-8"))
        text = study["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
        texts.setdefault(nct_id, []).append(" ".join(text.split()))
    csv.field_size_limit(1 << 30)
    for name in ("thyroid_cancer_trials.csv", "oncology_all.csv"):
        with (CTGOV / "hint" / name).open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                texts.setdefault(r["nctid"], []).append(" ".join(r["criteria"].split()))
    return texts


def test_every_common_kind_has_a_table_of_at_least_15_rows() -> None:
    expected = {"age", "performance_status", "histology", "disease_extent", "measurable_disease", "progression",
                "rai_refractory", "prior_therapy", "biomarker", "lab", "qtc", "hypertension", "lvef",
                "brain_metastases", "pregnancy", "other_malignancy", "infection"}  # fmt: skip
    assert expected <= set(TABLES), f"missing tables: {sorted(expected - set(TABLES))}"
    short = {kind: len(rows) for kind, rows in TABLES.items() if len(rows) < MIN_ROWS}
    assert not short, f"tables with fewer than {MIN_ROWS} rows: {short}"
    real = {kind: sum(row["source"] != "issue 10" for row in rows) for kind, rows in TABLES.items()}
    assert all(n >= MIN_ROWS for n in real.values()), f"rows with a corpus source per table: {real}"


@pytest.mark.parametrize("kind", sorted(TABLES))
def test_rows_are_well_formed_and_copied_verbatim(kind: str) -> None:
    """Known keys, kinds, polarities and vocabulary ids; each text is in its source, which is not held out."""
    kb = _kb()
    known = set(kb.histologies) | set(kb.labs) | set(kb.drugs) | set(kb.classes) | set(kb.genes)
    known |= {a.id for gene in kb.genes.values() for a in gene.alterations}
    seen = set()
    for index, row in enumerate(TABLES[kind]):
        where = f"{kind} row {index} ({row.get('text', '')[:50]!r})"
        assert set(row) <= ROW_KEYS and {"text", "source", "section", "reading"} <= set(row), where
        assert Section(row["section"]) and row["text"] == " ".join(row["text"].split()), where
        assert (row["section"], row["text"]) not in seen, f"{where}: duplicate"
        seen.add((row["section"], row["text"]))
        assert row["reading"] or row.get("absent"), f"{where}: say what is read, or what must not be"
        assert set(row.get("invariance_xfail", {})) <= set(FAMILIES), where
        for fact in row["reading"]:
            assert FactKind(fact["kind"]) and Polarity(fact["polarity"]), where
            for key, value in fact["values"].items():
                if key == "window":
                    assert set(value) == {"number", "unit"} and value["unit"] in ("day", "week", "month", "year")
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str) and item.split(".")[0] in ("hist", "lab", "drug", "class", "gene", "alt"):
                        assert item in known, f"{where}: {item} is not in matcher/knowledge"
        for absent_kind in row.get("absent", []):
            assert FactKind(absent_kind), where
        if row["source"] == "issue 10":
            continue
        assert re.fullmatch(r"NCT\d{8}", row["source"]), where
        assert row["source"] not in _held_out(), f"{where}: {row['source']} is a held-out TREC topic-11 trial"
        sources = _corpus_texts().get(row["source"])
        assert sources, f"{where}: {row['source']} is in neither the HINT texts nor the thyroid studies"
        assert any(row["text"] in text for text in sources), f"{where}: not verbatim in {row['source']}"


def scope_problems(expected: dict[str, Any], criteria: Sequence[Criterion]) -> list[str]:
    """What keeps the row's criterion (its first) from having the expected modality and conditions."""
    scope = criteria[0].scope
    got = {"modality": scope.modality, "conditions": [f"{c.kind}:{c.value or ''}" for c in scope.conditions]}
    return [
        f"scope {key}: expected {value!r}, got {got[key]!r}" for key, value in expected.items() if got[key] != value
    ]


@pytest.mark.parametrize(("kind", "index"), _cases(lambda row: row.get("xfail")))
def test_phrasing_reading(kind: str, index: int) -> None:
    row = TABLES[kind][index]
    criteria = parse_text(wrapped(row["section"], f"- {row['text']}"))
    facts = [fact for criterion in criteria for fact in criterion.facts]
    problems = reading_problems(row["reading"], row.get("absent", []), facts)
    problems += scope_problems(row.get("scope", {}), criteria)
    assert not problems, (
        f"{row['source']} {row['section']}: {row['text']!r}\n  "
        + "\n  ".join(problems)
        + "\n  parsed: "
        + ("; ".join(_show(f) for f in facts) or "no facts")
    )


@pytest.mark.parametrize(("kind", "index", "family"), _invariance_cases())
def test_reading_is_invariant(kind: str, index: int, family: str) -> None:
    """The reading of a row does not change under the family's variants (compared with the row as written)."""
    row = TABLES[kind][index]
    base = reading_key(facts_of(wrapped(row["section"], f"- {row['text']}")))
    changed = []
    for name, text in variants(row, family):
        got = reading_key(facts_of(text))
        if got != base:
            changed.append(f"{name}: {got}\n    text: {text!r}")
    assert not changed, f"{row['text']!r} reads {base}\n  " + "\n  ".join(changed)


def test_symbol_variants_cover_the_issue_list() -> None:
    """The generator makes the substitutions item 6 names, where the text has them."""
    names = [name for name, _ in _symbol_variants("Age ≥ 18 and ≤ 75 years, bilirubin ≤ 1.5 x ULN, ECOG 0-1")]
    assert {"≥ -> >=", "≥ -> greater than or equal to", "≤ -> <=", "≤ -> less than or equal to"} <= set(names)
    assert {"times ULN -> ×", "times ULN -> times", "range -> –", "range -> to"} <= set(names)
    assert dict(_symbol_variants("ANC ≥ 1.5 × 10^9/L"))["x 10^9 -> x"] == "ANC ≥ 1.5 x 10^9/L"
    assert dict(_symbol_variants("Platelets ≥ 100 x ULN"))["times ULN -> times"] == "Platelets ≥ 100 times ULN"
