"""What the reading tests share: parse one criterion, or one line of a list, and compare its facts of one kind."""

from __future__ import annotations

import csv

from matcher.eligibility.criteria import Criterion, Fact, FactKind
from matcher.eligibility.parser import StructuredFields, parse_text
from matcher.matching.evaluate import TrialInfo
from tests.conftest import CTGOV

NONE = "none"  # no fact of the kind
UNCERTAIN = "uncertain"  # facts of the kind, every one uncertain


def one_criterion(text: str, section: str = "Inclusion") -> Criterion:
    """The one criterion read from ``text`` as the only item under a section heading."""
    criteria = [c for c in parse_text(f"{section} Criteria:\n\n- {text}\n") if c.source == "text"]
    assert len(criteria) == 1
    return criteria[0]


def facts_of(c: Criterion, kind: FactKind) -> list[Fact]:
    return [f for f in c.facts if f.kind is kind]


def list_text(*items: str, exclusions: tuple[str, ...] = ()) -> str:
    """One trial's text from its lines: ``items`` under "Inclusion Criteria:", ``exclusions`` under "Exclusion
    Criteria:"."""
    text = "Inclusion Criteria:\n\n" + "".join(f"- {item}\n" for item in items)
    if exclusions:
        text += "\nExclusion Criteria:\n\n" + "".join(f"- {item}\n" for item in exclusions)
    return text


def list_trial(*items: str, exclusions: tuple[str, ...] = ()) -> tuple[TrialInfo, tuple[Criterion, ...]]:
    """A recruiting trial whose text is `list_text` of ``items`` and ``exclusions``, parsed: what
    `tests.test_issue10_examples.outcome` matches a profile against."""
    info = TrialInfo("NCT00000000", "reading test", "RECRUITING", ("PHASE2",))
    return info, tuple(parse_text(list_text(*items, exclusions=exclusions)))


def hint_trial(nct_id: str) -> tuple[TrialInfo, tuple[Criterion, ...]]:
    """A HINT oncology trial's whole eligibility text, as the registry wrote it, parsed."""
    csv.field_size_limit(1 << 30)
    with (CTGOV / "hint" / "oncology_all.csv").open(encoding="utf-8", newline="") as f:
        (text,) = [r["criteria"] for r in csv.DictReader(f) if r["nctid"] == nct_id]
    return TrialInfo(nct_id, "HINT", "RECRUITING", ("PHASE2",)), tuple(parse_text(text))


def line_criterion(text: str, line: str) -> Criterion:
    """The criterion whose text is ``line``, in the list ``text``."""
    found = [c for c in parse_text(text) if " ".join(c.text.split()) == line]
    assert len(found) == 1, f"{len(found)} criteria read as {line!r}"
    return found[0]


def line_facts(text: str, line: str, kind: FactKind) -> list[Fact]:
    """The facts of one kind read from the criterion whose text is ``line``, in the list ``text``."""
    return facts_of(line_criterion(text, line), kind)


def item_criterion(section: str, line: str) -> Criterion:
    """The criterion ``line`` as the only item under a section heading."""
    return line_criterion(f"{section} Criteria:\n\n- {line}\n", line)


def item_facts(section: str, line: str, kind: FactKind) -> list[Fact]:
    """The facts of one kind read from ``line`` as the only item under a section heading."""
    return facts_of(item_criterion(section, line), kind)


def therapy_facts(section: str, line: str) -> list[Fact]:
    """The prior-therapy facts of every criterion read from ``line`` as the only item under a section heading (a line
    may be read as more than one criterion)."""
    return [f for c in parse_text(f"{section} Criteria:\n\n- {line}\n") for f in facts_of(c, FactKind.PRIOR_THERAPY)]


def conditions_site_facts(text: str, *conditions: str) -> list[Fact]:
    """The primary-site facts the trial's conditions list gives, read beside its eligibility text."""
    criteria = parse_text(text, StructuredFields(conditions=conditions))
    return [f for c in criteria if c.source == "structured" for f in c.facts if f.kind is FactKind.PRIMARY_SITE]


def cohorts_by_text(text: str) -> dict[str, list[str]]:
    """The cohort conditions of each criterion read from the text, by the criterion's text."""
    return {
        " ".join(c.text.split()): [k.text for k in c.scope.conditions if k.kind == "cohort"]
        for c in parse_text(text)
        if c.source == "text"
    }


def check(facts: list[Fact], expected: object) -> None:
    """``expected`` is NONE, UNCERTAIN, or the list of (polarity, values, uncertain) of the facts."""
    if expected == NONE:
        assert facts == [], facts
    elif expected == UNCERTAIN:
        assert facts, "no fact read"
        assert all(f.uncertain for f in facts), facts
    else:
        assert [(f.polarity, f.values, f.uncertain) for f in facts] == expected, facts
