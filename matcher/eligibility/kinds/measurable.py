"""Measurable disease ("at least one measurable lesion per RECIST 1.1"); "measurable or evaluable" accepts either."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Values
from matcher.eligibility.kinds.base import Finding, Kind
from matcher.eligibility.text import CriterionText, make_fact
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient


@dataclass(frozen=True)
class MeasurableValues(Values):
    DISPLAY_ONLY = frozenset({"recist"})

    recist: bool = False
    evaluable_ok: bool = False


_RECIST = re.compile(r"\bRECIST\b", re.IGNORECASE)
# A lesion as the place of something else, not a requirement of measurable disease: "absence of iodine uptake in at
# least one target lesion", "no prior radiotherapy to the only measurable lesion" (or "to the sole site of measurable
# disease")
_LOCATION = re.compile(
    r"\b(?:in|to|within|on|into)\s+(?:the\s+|a\s+|an\s+|any\s+|all\s+|each\s+)?(?:at\s+least\s+one\s+|one\s+)?"
    r"(?:only\s+|sole\s+|single\s+)?(?:sites?\s+of\s+)?$",
    re.IGNORECASE,
)
_EITHER = re.compile(r"\bmeasurable\s+(?:and/)?or\s+non-?measurable\b", re.I)


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = [
        m
        for m in c.of("CONCEPT", "concept.measurable")
        if not re.search(r"\bdefined\s+as\b", c.text[c.clause(m.start)[0] : m.start], re.IGNORECASE)
        and not _LOCATION.search(c.text, max(0, m.start - 40), m.start)
    ]  # fmt: skip: "RAI refractoriness is defined as absence of uptake ... in measurable lesions"
    if not mentions or _EITHER.search(c.text):
        return []  # "measurable or non-measurable disease": no constraint
    evaluable = c.has("concept.evaluable") or "evaluable" in mentions[0].text.lower()
    values = MeasurableValues(recist=bool(_RECIST.search(c.text)), evaluable_ok=evaluable)
    return [make_fact(FactKind.MEASURABLE_DISEASE, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, MeasurableValues)
    d = p.disease
    if d is None or d.measurable is None:
        return Finding(None, "measurable disease not on file", missing="measurable disease (RECIST 1.1)")
    if not d.measurable and v.evaluable_ok:
        return Finding(None, "not measurable; evaluable disease not on file", missing="evaluable disease")
    return Finding(
        d.measurable, "measurable disease" if d.measurable else "no measurable disease", ("disease.measurable",)
    )


KIND = Kind(FactKind.MEASURABLE_DISEASE, MeasurableValues, extract, evaluate, frozenset({"concept.measurable"}))
