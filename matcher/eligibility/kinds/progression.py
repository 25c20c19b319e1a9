"""Progression: "progressive disease within the past 12 months", "radiographic progression per RECIST 1.1",
"progressive metastatic disease". A progression on a therapy the vocabulary names belongs to the therapy (`therapy`);
after a therapy it does not name ("progressive disease after androgen deprivation") the progression is still asked.
After radioiodine it is refractoriness (`rai_refractory`), and "confirmation of PD by IIR" is a date, not a
requirement. An exclusion reads only the disease's own progression ("clinical signs of disease progression"), not
a progressive something else ("progressive multifocal leukoencephalopathy") nor one tied to a therapy or another
condition in the criterion."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Fact, FactKind, Section, Values
from matcher.eligibility.kinds.base import Finding, Kind, add_window, within
from matcher.eligibility.numbers import Window
from matcher.eligibility.text import (
    THERAPY_CONCEPTS,
    THERAPY_LABELS,
    CriterionText,
    Mention,
    make_fact,
    window_near,
)
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
_ON_THERAPY = re.compile(r"\s*\)?\s*(?:\([^)]{0,20}\)\s*)?(?:on|after|following|despite|during)\b", re.I)
# A therapy named in general words after "progressed on / after": the therapy's response, not read here
_THERAPY_WORDS = re.compile(
    r"\b(?:therap\w*|treatments?|regimens?|lines?|agents?|drugs?|inhibitors?|chemo\w*|TKIs?)\b", re.IGNORECASE
)
# What an exclusion reads as the disease's own progression; a bare "progressive" or "progression" may be another
# condition's ("progressive neurological disease") or a therapy's
_DISEASE_PROGRESSION = re.compile(
    r"(?:disease\s+progression|progressive\s+disease|progression\s+of\s+(?:the\s+)?disease|"
    r"radiolog\w*\s+progression|radiographic\s+progression)",
    re.IGNORECASE,
)
# Another condition's progression, which that condition's kind reads
_OTHER_CONDITIONS = ("concept.brain_metastases", "concept.other_malignancy", "concept.cardiac")


def mentions(c: CriterionText) -> list[Mention]:
    """Progression mentions, with "progressive" that the vocabulary also lists as an active state."""
    return [
        m for m in c.mentions
        if m.id == "concept.progression" or (m.id == "concept.active_state" and m.text.lower().startswith("progress"))
    ]  # fmt: skip


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    if c.has("concept.brain_metastases"):
        return []
    exclusion = c.section is not Section.INCLUSION
    if exclusion and any(c.has(other) for other in _OTHER_CONDITIONS):
        return []
    for m in mentions(c):
        if c.excepted(m):
            continue
        low, high = c.clause(m.start)
        if any(x.id == "concept.radioiodine" and low <= x.start < high for x in c.mentions):
            continue  # progression after radioiodine defines refractoriness (rai_refractory)
        therapy = [x for x in c.mentions if low <= x.start < high and _is_therapy(x)]
        if exclusion and (therapy or not _DISEASE_PROGRESSION.fullmatch(m.text)):
            continue  # "disease progression within 6 months of prior TKI" is the therapy's; "progressive PML" no one's
        anchor = _TIME_ANCHOR_BEFORE.search(c.text[max(0, m.start - 60) : m.start])
        on_therapy = _ON_THERAPY.match(c.text, m.end) and (
            any(x.start >= m.end for x in therapy) or _THERAPY_WORDS.search(c.text, m.end, high)
        )
        if on_therapy or (anchor and numbers.longest_window(c.text[low:high])[0] is None):
            continue  # "progressed on lenvatinib" belongs to the therapy; "confirmation of PD by IIR" is a date
        window, uncertain = window_near(c, m)
        values = ProgressionValues(window, bool(_RECIST.search(c.text)))
        return [make_fact(FactKind.PROGRESSION, c.polarity(m), values, m.id, m.text, uncertain)]
    return []


def _is_therapy(m: Mention) -> bool:
    return m.label in THERAPY_LABELS or m.id in THERAPY_CONCEPTS


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


# "progressive" is also an active state ("progressive metastatic disease"): `mentions` takes both
KIND = Kind(
    FactKind.PROGRESSION,
    ProgressionValues,
    extract,
    evaluate,
    frozenset({"concept.progression", "concept.active_state"}),
)
