"""Sex, from the registry's structured `sex` field (FEMALE or MALE; ALL gives no criterion)."""

from __future__ import annotations

from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Values
from matcher.eligibility.kinds.base import Finding, Kind
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient


class SexValues(Values, frozen=True):
    sex: str  # female | male


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, SexValues)
    if p.sex is None:
        return Finding(None, "sex not on file", missing="sex")
    return Finding(p.sex.value == v.sex, f"{p.sex.value} (trial: {v.sex} only)", ("sex",))


KIND = Kind(FactKind.SEX, SexValues, None, evaluate)
