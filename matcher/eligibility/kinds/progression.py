"""Progression: "progressive disease within the past 12 months", "radiographic progression per RECIST 1.1". A
progression on a therapy belongs to the therapy (`therapy`), after radioiodine to refractoriness
(`rai_refractory`), and "confirmation of PD by IIR" is a date, not a requirement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Fact, FactKind, Section, Values
from matcher.eligibility.kinds.base import Finding, Kind, add_window, within
from matcher.eligibility.numbers import Window
from matcher.eligibility.text import CriterionText, Mention, make_fact, window_near
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient


@dataclass(frozen=True)
class ProgressionValues(Values):
    DISPLAY_ONLY = frozenset({"recist"})

    within: Window | None = None
    recist: bool = False


_RECIST = re.compile(r"\bRECIST\b", re.IGNORECASE)
_TIME_ANCHOR_BEFORE = re.compile(
    r"\b(?:prior to|before|after|since|from)\s+(?:the\s+)?(?:signing|signature of|date of)?\s*(?:the\s+|an?\s+)?$"
    r"|\b(?:confirmation|date|day|time)\s+of\s+$",
    re.IGNORECASE,
)
_ON_THERAPY = re.compile(r"\s*\)?\s*(?:\([^)]{0,10}\)\s*)?(?:on|after|following|despite|during)\b", re.I)


def mentions(c: CriterionText) -> list[Mention]:
    """Progression mentions, with "progressive" that the vocabulary also lists as an active state."""
    return [
        m for m in c.mentions
        if m.id == "concept.progression" or (m.id == "concept.active_state" and m.text.lower().startswith("progress"))
    ]  # fmt: skip


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    if c.section is not Section.INCLUSION or c.has("concept.brain_metastases"):
        return []
    for m in c.of("CONCEPT", "concept.progression"):
        low, high = c.clause(m.start)
        if any(x.id == "concept.radioiodine" and low <= x.start < high for x in c.mentions):
            continue  # progression after radioiodine defines refractoriness (rai_refractory)
        anchor = _TIME_ANCHOR_BEFORE.search(c.text[max(0, m.start - 60) : m.start])
        if _ON_THERAPY.match(c.text, m.end) or (anchor and numbers.longest_window(c.text[low:high])[0] is None):
            continue  # "progressed on lenvatinib" belongs to the therapy; "confirmation of PD by IIR" is a date
        window, uncertain = window_near(c, m)
        values = ProgressionValues(window, bool(_RECIST.search(c.text)))
        return [make_fact(FactKind.PROGRESSION, c.polarity(m), values, m.id, m.text, uncertain)]
    return []


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, ProgressionValues)
    d = p.disease
    if d is None or d.progressing is None:
        return Finding(None, "progression status not on file", missing="disease progression (date)")
    if not d.progressing:
        return Finding(False, "disease not progressing", ("disease.progressing",))
    if v.within is None:
        return Finding(True, "progressive disease", ("disease.progressing",))
    if d.progression_date is None:
        return Finding(
            None,
            f"progression date not on file (trial: within {v.within})",
            missing=f"date of progression (within {v.within})",
        )
    closes = add_window(d.progression_date, v.within) + timedelta(days=1)  # the first day outside the window
    elapsed = relativedelta(on, d.progression_date)
    ago = f"{elapsed.years * 12 + elapsed.months} months ago" if on >= d.progression_date else "a future date"
    return Finding(
        within(d.progression_date, v.within, on),
        f"progressed {d.progression_date} ({ago}; trial: within {v.within})",
        ("disease.progression_date",),
        changes_on=closes if closes > on else None,
    )


KIND = Kind(FactKind.PROGRESSION, ProgressionValues, extract, evaluate, frozenset({"concept.progression"}))
