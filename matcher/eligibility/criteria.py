"""The parser's output: criteria with their parsed facts, as plain frozen dataclasses stored as compact JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Any, ClassVar

import msgspec

from matcher.eligibility.numbers import Window
from matcher.eligibility.scope import Scope


class Section(StrEnum):
    INCLUSION = "inclusion"
    EXCLUSION = "exclusion"


class Polarity(StrEnum):
    """Whether the criterion asks for the fact (REQUIRE) or for its absence (EXCLUDE)."""

    REQUIRE = "require"
    EXCLUDE = "exclude"

    def flipped(self) -> Polarity:
        return Polarity.EXCLUDE if self is Polarity.REQUIRE else Polarity.REQUIRE


class FactKind(StrEnum):
    AGE = "age"
    SEX = "sex"
    PERFORMANCE_STATUS = "performance_status"
    LIFE_EXPECTANCY = "life_expectancy"
    HISTOLOGY = "histology"
    DISEASE_EXTENT = "disease_extent"
    RAI_REFRACTORY = "rai_refractory"
    PROGRESSION = "progression"
    MEASURABLE_DISEASE = "measurable_disease"
    BIOMARKER = "biomarker"
    PRIOR_THERAPY = "prior_therapy"
    LAB = "lab"
    QTC = "qtc"
    HYPERTENSION = "hypertension"
    LVEF = "lvef"
    CARDIAC = "cardiac"
    BRAIN_METASTASES = "brain_metastases"
    OTHER_MALIGNANCY = "other_malignancy"
    INFECTION = "infection"
    PREGNANCY = "pregnancy"
    BREASTFEEDING = "breastfeeding"
    CONTRACEPTION = "contraception"
    SCREENING_ONLY = "screening_only"  # consent, willingness, investigator judgement: not profile data
    CONDITION = "condition"  # other named conditions (autoimmune, transplant, bleeding...)
    HYPERSENSITIVITY = "hypersensitivity"
    PRIMARY_SITE = "primary_site"  # the cancer a trial is for: another primary site makes it irrelevant


def one_line(text: str) -> str:
    """The text with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())


def shortened(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word with "…"."""
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


_BIOMARKER_REQUIRED = f"{FactKind.BIOMARKER.value}|{Polarity.REQUIRE.value}|"  # the start of such a fact's key
_KEY_SEPARATOR = "\x1f"  # between the facts' keys in a criterion's key


def facts_key(fact_keys: list[str]) -> str:
    """A criterion's key from its facts' keys: criteria with equal keys get equal outcomes for one patient.

    A string, not a tuple: its hash is computed once and cached, which matters in the matching loop.
    """
    return _KEY_SEPARATOR.join(fact_keys)


def fact_keys(criterion_key: str) -> list[str]:
    """The facts' keys in a criterion's key (the inverse of `facts_key`)."""
    return criterion_key.split(_KEY_SEPARATOR)


def asks(criterion_key: str, opening: str) -> bool:
    """Whether one of a criterion's facts (by the criterion's key) has a key that opens on ``opening`` (a kind and
    polarity, "primary_site|require|"; a kind, "progression|"). Exact: a fact's key starts with its kind and polarity,
    and the separator between facts never occurs inside one (its values are JSON, which escapes control characters)."""
    return criterion_key.startswith(opening) or _KEY_SEPARATOR + opening in criterion_key


def requires_biomarker(criterion_key: str) -> bool:
    """Whether one of a criterion's facts (by the criterion's key) requires a biomarker: what makes a trial
    targeted to a patient."""
    return asks(criterion_key, _BIOMARKER_REQUIRED)


class Values(msgspec.Struct, frozen=True):
    """The base of each kind's typed values (a frozen struct in the kind's module, `matcher.eligibility.kinds`): a
    record read by field name. A msgspec struct rather than a dataclass: its class is made in C, where a frozen
    dataclass has its methods generated and compiled at import (matching imports every kind for its evaluator), and
    an instance is made without a Python-level ``__setattr__`` per field.

    ``DISPLAY_ONLY`` names the fields that explain a reading but that the kind's evaluator does not need (names
    shown to people, for instance); `tests/test_kinds.py` checks that every other field is read by the evaluator.
    """

    DISPLAY_ONLY: ClassVar[frozenset[str]] = frozenset()

    def to_json(self) -> dict[str, Any]:
        """The fields that are set (not None, not empty, not False), windows as {number, unit}."""
        found: dict[str, Any] = {}
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if value is None or value is False or value == ():
                continue
            found[name] = value.to_json() if isinstance(value, Window) else list(value) if isinstance(
                value, tuple) else value  # fmt: skip
        return found

    def changed(self, **changes: Any) -> Values:
        """A copy with some fields changed (the values are frozen)."""
        return msgspec.structs.replace(self, **changes)

    @classmethod
    def decoder(cls) -> msgspec.json.Decoder[Any]:
        """Reads the kind's values straight from the JSON object of a fact's key (`Fact.key`: the fields `to_json`
        wrote; the key's other entries are not fields, and are skipped). A number keeps its JSON type, as written:
        a field that holds a number is typed ``int | float``, so that 18 is not read back as 18.0 (keys and
        reasons show the number as the parser wrote it)."""
        return _decoder(cls)


class Fact(msgspec.Struct, frozen=True, dict=True):
    """One thing a criterion asks about.

    ``values`` is the kind's typed values (docs/parser.md lists them); ``rule`` is the id of the rule or vocabulary
    entry that produced it, so a verdict can say which rule fired; ``evidence`` is the matched text. ``uncertain``
    says what the reading could not settle (a window it could not read, a number out of bounds): such a fact can
    satisfy but never violate (docs/matching.md, the completeness rule).

    A frozen struct with a ``__dict__`` for its cached ``key``: matching makes one for each fact it decodes
    (`from_stored`), without a Python-level ``__init__``. `changed` makes a copy with other fields.
    """

    kind: FactKind
    polarity: Polarity
    values: Values
    rule: str
    evidence: str
    uncertain: str | None = None
    alternative: int = 0

    def changed(self, **changes: Any) -> Fact:
        """A copy with some fields changed (the key of the copy is computed again)."""
        return msgspec.structs.replace(self, **changes)

    def doubted(self, doubt: str) -> Fact:
        """The fact with one more thing its reading could not settle (after any it already has)."""
        return self.changed(uncertain="; ".join(filter(None, (self.uncertain, doubt))))

    @cached_property
    def key(self) -> str:
        """What the fact asks, as a string: equal keys get equal answers for one patient on one day."""
        asked = self.values.to_json()
        if self.uncertain:
            asked[_UNCERTAIN] = self.uncertain
        if self.alternative:
            asked[_ALTERNATIVE] = self.alternative
        return f"{self.kind.value}|{self.polarity.value}|{json.dumps(asked, sort_keys=True)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "polarity": self.polarity.value,
            "values": self.values.to_json(),
            "rule": self.rule,
            "evidence": self.evidence,
            "uncertain": self.uncertain,
            "alternative": self.alternative,
            "key": self.key,
        }

    def to_stored(self) -> list[str]:
        return [self.key, self.rule, self.evidence]

    @classmethod
    def from_stored(cls, stored: StoredFact) -> Fact:
        kind, polarity, values, uncertain, alternative = _asked(stored.key)
        fact = cls(kind, polarity, values, stored.rule, stored.evidence, uncertain, alternative)
        fact.__dict__["key"] = stored.key
        return fact


_UNCERTAIN = "uncertain"
_ALTERNATIVE = "in_alternative"  # not "alternative": a lab's values have a field of that name


@lru_cache(maxsize=64)
def _decoder(values: type[Values]) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(values)


class _Reading(msgspec.Struct, frozen=True):
    """What a fact's key holds beside the kind's values (`Fact.key`, written with `_UNCERTAIN` and `_ALTERNATIVE`)."""

    uncertain: str | None = None
    in_alternative: int = 0


_READING = msgspec.json.Decoder(_Reading)


@lru_cache(maxsize=65_536)
def _asked(key: str) -> tuple[FactKind, Polarity, Values, str | None, int]:
    """Kind, polarity, values, uncertainty and alternative from a fact's key, decoded once per distinct key (facts
    with equal keys share the values object, which is frozen): the JSON object is read twice by msgspec, in C, for
    the kind's typed values and for the reading's uncertainty and alternative."""
    from matcher.eligibility.kinds import KINDS  # the registry imports this module

    kind_name, polarity, encoded = key.split("|", 2)
    kind = FactKind(kind_name)
    reading = _READING.decode(encoded)
    values = KINDS[kind].values.decoder().decode(encoded)
    return kind, Polarity(polarity), values, reading.uncertain, reading.in_alternative


class StoredFact(msgspec.Struct, array_like=True, frozen=True):
    """A fact as stored (`Fact.to_stored`): the JSON list [key, rule, evidence], read by field name."""

    key: str
    rule: str
    evidence: str


class StoredCriterion(msgspec.Struct, array_like=True, frozen=True):
    """A criterion as the database keeps it (`Criterion.to_stored`): a JSON list, read by field name. Matching reads
    this form directly and decodes a criterion into a `Criterion` only to show it.

    Decoded by msgspec straight from the stored JSON text (`decode_stored`): one pass in C, into half as many
    objects for the garbage collector to scan as nested lists (a `StoredFact` holds only strings, and is not tracked),
    while a match holds 2,000 trials' criteria at once.
    """

    position: int  # Criterion.index
    section: str
    text: str
    start: int | None
    end: int | None
    parent: int | None
    any_of: bool
    heading: str | None
    source: str
    facts: tuple[StoredFact, ...]
    scope: tuple[Any, ...] | None  # Scope.to_stored


_STORED = msgspec.json.Decoder(tuple[StoredCriterion, ...])


def decode_stored(stored: str | bytes | Sequence[Any]) -> tuple[StoredCriterion, ...]:
    """A trial's stored criteria as typed records: from the column's JSON text, or from lists already decoded
    (`Criterion.to_stored`, a JSON column read through SQLAlchemy) or records already typed."""
    if isinstance(stored, str | bytes):
        return _STORED.decode(stored)
    if all(isinstance(c, StoredCriterion) for c in stored):
        return tuple(stored)
    return msgspec.convert(stored, tuple[StoredCriterion, ...])


@dataclass(frozen=True)
class Criterion:
    """One criterion: its text exactly as the registry wrote it, where it is, and what it asks.

    ``start``/``end`` index the eligibility text; structured fields (minimumAge, sex) become criteria with
    ``source="structured"`` and no span. ``parent`` is the index of the criterion this one is a sub-item of;
    ``any_of`` marks a parent whose sub-items are alternatives ("at least one of the following").
    """

    index: int
    section: Section
    text: str
    start: int | None
    end: int | None
    parent: int | None = None
    any_of: bool = False
    heading: str | None = None
    source: str = "text"
    facts: tuple[Fact, ...] = field(default=())
    scope: Scope = field(default_factory=Scope)

    def is_alternative(self, criteria: Sequence[Criterion]) -> bool:
        """Whether this is one sub-item of a lead-in whose sub-items are alternatives (its parent's ``any_of``), in
        the trial's ``criteria`` (indexed by ``index``)."""
        return self.parent is not None and criteria[self.parent].any_of

    @cached_property
    def display_text(self) -> str:
        return one_line(self.text)

    @cached_property
    def short_text(self) -> str:
        return shortened(self.display_text, 70)

    @cached_property
    def key(self) -> str:
        """Criteria with equal keys get equal outcomes for one patient (unparsed ones are keyed by their text)."""
        return facts_key([f.key for f in self.facts]) if self.facts else f"text{_KEY_SEPARATOR}{self.display_text}"

    def to_json(self) -> dict[str, Any]:
        """The criterion for people and scripts (`matcher parse --json`)."""
        return {
            "index": self.index,
            "section": self.section.value,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "parent": self.parent,
            "any_of": self.any_of,
            "heading": self.heading,
            "source": self.source,
            "facts": [fact.to_json() for fact in self.facts],
            "scope": self.scope.to_json(),
            "key": self.key,
        }

    def to_stored(self) -> list[Any]:
        """The criterion as stored in the database: a list in field order, each fact as [key, rule, evidence].

        Compact because `matcher match` reads every stored criterion on each run: named fields and repeated
        keys made the stored parse twice as large and twice as slow to read (docs/benchmarks.md). Matching
        reads this form directly (matching.evaluate.prepare) and decodes a criterion only to show it.
        """
        facts = [fact.to_stored() for fact in self.facts]
        return [self.index, self.section.value, self.text, self.start, self.end, self.parent, self.any_of,
                self.heading, self.source, facts, self.scope.to_stored()]  # fmt: skip

    @classmethod
    def from_stored(cls, stored: StoredCriterion | Sequence[Any]) -> Criterion:
        c = stored if isinstance(stored, StoredCriterion) else msgspec.convert(stored, StoredCriterion)
        return cls(c.position, Section(c.section), c.text, c.start, c.end, c.parent, c.any_of, c.heading, c.source,
                   tuple(Fact.from_stored(f) for f in c.facts), Scope.from_stored(c.scope))  # fmt: skip
