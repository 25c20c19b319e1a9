"""Another cancer: "other malignancy within the past 3 years, except adequately treated non-melanoma skin cancer".
The profile lists conditions without dates, so a listed other cancer against a window is unknown, not violated."""

from __future__ import annotations

from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Values
from matcher.eligibility.kinds.base import Finding, Kind
from matcher.eligibility.kinds.conditions import current
from matcher.eligibility.numbers import Window
from matcher.eligibility.text import CriterionText, make_fact, window_near
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient

_MALIGNANCY = ("cancer", "carcinoma", "malignan", "lymphoma", "leukemia", "leukaemia", "melanoma", "sarcoma", "myeloma")


class OtherMalignancyValues(Values, frozen=True):
    within: Window | None = None


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.other_malignancy")
    if not mentions:
        return []
    window, uncertain = window_near(c, mentions[0])
    values = OtherMalignancyValues(window)
    return [make_fact(FactKind.OTHER_MALIGNANCY, c.polarity(mentions[0]), values, "concept.other_malignancy",
                      mentions[0].text, uncertain)]  # fmt: skip


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, OtherMalignancyValues)
    found = [c for c in current(p, _MALIGNANCY) if "thyroid" not in c.name.lower()]
    if not found:
        return Finding(
            None,
            "other cancers not recorded (not listed is not known to be absent)",
            missing="other malignancy history",
        )
    if v.within is not None:
        return Finding(None, f"{found[0].name} on file, without a date (trial: within {v.within})", (found[0].path,),
                       missing=f"date of diagnosis of {found[0].path}")  # fmt: skip
    return Finding(True, f"{found[0].name} on file", (found[0].path,))


KIND = Kind(
    FactKind.OTHER_MALIGNANCY, OtherMalignancyValues, extract, evaluate, frozenset({"concept.other_malignancy"})
)
