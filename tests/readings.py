"""What the reading tests share: parse one criterion, or one line of a list, and compare its facts of one kind."""

from __future__ import annotations

from matcher.eligibility.criteria import Criterion, Fact, FactKind
from matcher.eligibility.parser import parse_text

NONE = "none"  # no fact of the kind
UNCERTAIN = "uncertain"  # facts of the kind, every one uncertain


def one_criterion(text: str, section: str = "Inclusion") -> Criterion:
    """The one criterion read from ``text`` as the only item under a section heading."""
    criteria = [c for c in parse_text(f"{section} Criteria:\n\n- {text}\n") if c.source == "text"]
    assert len(criteria) == 1
    return criteria[0]


def facts_of(c: Criterion, kind: FactKind) -> list[Fact]:
    return [f for f in c.facts if f.kind is kind]


def line_facts(text: str, line: str, kind: FactKind) -> list[Fact]:
    """The facts of one kind read from the criterion whose text is ``line``, in the list ``text``."""
    found = [c for c in parse_text(text) if " ".join(c.text.split()) == line]
    assert len(found) == 1, f"{len(found)} criteria read as {line!r}"
    return facts_of(found[0], kind)


def item_facts(section: str, line: str, kind: FactKind) -> list[Fact]:
    """The facts of one kind read from ``line`` as the only item under a section heading."""
    return line_facts(f"{section} Criteria:\n\n- {line}\n", line, kind)


def check(facts: list[Fact], expected: object) -> None:
    """``expected`` is NONE, UNCERTAIN, or the list of (polarity, values, uncertain) of the facts."""
    if expected == NONE:
        assert facts == [], facts
    elif expected == UNCERTAIN:
        assert facts, "no fact read"
        assert all(f.uncertain for f in facts), facts
    else:
        assert [(f.polarity, f.values, f.uncertain) for f in facts] == expected, facts
