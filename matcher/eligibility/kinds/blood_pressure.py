"""Blood pressure: "uncontrolled hypertension (systolic > 150 mmHg or diastolic > 90 mmHg despite treatment)", "BP <
150/90" in an inclusion (which excludes what is over it). The profile records hypertension and whether it is
controlled, not readings: a reading threshold leaves a controlled patient unknown."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from itertools import pairwise

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity, Section, Values
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, fmt, lazy_regex
from matcher.eligibility.kinds.conditions import current
from matcher.eligibility.text import CriterionText, make_fact
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient


class BloodPressureValues(Values, frozen=True):
    uncontrolled: bool = False
    systolic_over: int | float | None = None
    diastolic_over: int | float | None = None


_SYSTOLIC = lazy_regex(r"systolic|SBP", re.IGNORECASE)
_DIASTOLIC = lazy_regex(r"diastolic|DBP", re.IGNORECASE)
# Uncontrolled, also as a clause about the treatment: "hypertension that cannot be controlled by medications", "that
# drugs can't control", "hypertension, unless adequately controlled by medication" (excluded unless controlled)
_UNCONTROLLED = lazy_regex(
    r"uncontrolled|poorly controlled|\b(?:cannot|can\s*not|can['’]t|could\s+not|not\s+able\s+to)\s+(?:be\s+)?"
    r"(?:adequately\s+|well\s+)?control(?:led)?\b|\bunless\s+(?:it\s+is\s+|they\s+are\s+)?(?:adequately\s+|well\s+|"
    r"medically\s+)?controlled\b",
    re.IGNORECASE,
)
# What the profile's "controlled / uncontrolled" cannot settle, so the fact can satisfy but not violate: the
# investigator's judgement ("unstable hypertension ... which in the Investigators opinion makes it undesirable"),
# a definition by medications or a CTCAE grade ("requirement for more than 2 blood pressure [BP] medications or
# grade 2 or higher BP elevation"), blood pressure the patient may still bring under control ("Initiation or
# adjustment of antihypertensive medication(s) is permitted prior to study entry"), and readings asked at a set time
# ("... > 140 mm Hg on 2 separate days < 1 week prior to study entry", mend60), or a change of treatment at a set
# time ("... and change in antihypertensive medication within 7 days prior to randomization", mend62)
_MAY_ADJUST = cue("cue.blood_pressure.may_adjust")
_UNSETTLED = (
    (cue("cue.investigator_judgement"), "the investigator judges whether it excludes"),
    (cue("cue.blood_pressure.defined_by_count"),
     "uncontrolled is defined by the number of medications or a CTCAE grade, which the profile does not record"),
    (_MAY_ADJUST, "antihypertensive treatment may be adjusted before entry"),
    (cue("cue.blood_pressure.readings_asked"), "readings taken at a set time, which the profile does not hold"),
    (cue("cue.blood_pressure.medication_change"), "a change of treatment at a set time, which the profile does not show"),
)  # fmt: skip
# Blood pressure not at goal on treatment (2017 ACC/AHA guideline, stage 2 threshold): what "uncontrolled" on file
# is taken to mean; a trial limit above it cannot be decided without readings
_UNCONTROLLED_SYSTOLIC, _UNCONTROLLED_DIASTOLIC = 140, 90


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.hypertension")
    if not mentions:
        return []
    systolic = diastolic = None
    for t in numbers.thresholds(c.text, mentions[0].start):
        if t.value is None or not 40 <= t.value <= 250:
            continue
        before = c.text[max(0, t.start - 40) : t.start]
        if _DIASTOLIC.search(before) and diastolic is None:
            diastolic = t.value
        elif systolic is None and (_SYSTOLIC.search(before) or t.value > 120):
            systolic = t.value
            pair = re.match(r"\s*/\s*(\d{2,3})(?!\d)", c.text[t.end :])  # "140/90 mmHg", "150/100mmHg"
            if pair and diastolic is None:
                diastolic = float(pair.group(1))
    uncontrolled = c.has("concept.uncontrolled") or bool(_UNCONTROLLED.search(c.text))
    if not (uncontrolled or systolic or diastolic):
        return []
    values = BloodPressureValues(uncontrolled, systolic, diastolic)
    # "BP < 150/90" in an inclusion criterion excludes what is over it, as "BP > 150/90" in an exclusion does
    limits = systolic is not None or diastolic is not None
    polarity = Polarity.EXCLUDE if c.section is Section.EXCLUSION or uncontrolled or limits else c.polarity(mentions[0])
    uncertain = "; ".join(doubt for pattern, doubt in _UNSETTLED if pattern.search(c.text)) or None
    return [make_fact(FactKind.HYPERTENSION, polarity, values, mentions[0].id, mentions[0].text, uncertain)]


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, BloodPressureValues)
    found = current(p, ("hypertension", "high blood pressure"))
    limits = " / ".join(f"{name} > {fmt(x)}" for name, x in (("systolic", v.systolic_over),
                                                            ("diastolic", v.diastolic_over)) if x)  # fmt: skip
    if not found:
        return Finding(None, "hypertension not recorded", missing="blood pressure control")
    c = found[0]
    status = (c.status or "").lower()
    if v.uncontrolled and not limits and status in ("controlled", "uncontrolled"):
        return Finding(status == "uncontrolled", f"hypertension, {status}", (c.path,))
    # Uncontrolled hypertension is >= 140/90 on treatment: it answers limits at or under those, not higher ones
    standard = (v.systolic_over or 0) <= _UNCONTROLLED_SYSTOLIC and (v.diastolic_over or 0) <= _UNCONTROLLED_DIASTOLIC
    if status == "uncontrolled" and v.uncontrolled and standard:
        return Finding(True, f"hypertension, uncontrolled (trial: {limits or 'uncontrolled'})", (c.path,))
    return Finding(
        None,
        f"hypertension ({status or 'control not stated'}); blood pressure readings not on file"
        + (f" (trial: {limits} mmHg)" if limits else ""),
        (c.path,),
        missing="blood pressure readings",
    )


KIND = Kind(FactKind.HYPERTENSION, BloodPressureValues, extract, evaluate, frozenset({"concept.hypertension"}))


def adjustable_among(criteria: list[Criterion]) -> list[Criterion]:
    """A blood-pressure limit whose next item lets antihypertensive treatment be adjusted before entry and asks the
    blood pressure re-assessed then: "Poorly controlled hypertension [defined as systolic blood pressure (SBP) of
    ≥140mmHg, ...]" and "Note: Initiation or adjustment of antihypertensive medication(s) is permitted prior to study
    entry. The blood pressure must be re-assessed on two occasions ..." (NCT00334282, comorbid sample 58's DR184,
    mend61): eligibility rests on readings to come, so it can satisfy but not violate. A note that only permits the
    adjustment leaves the limit as it is (DR207, judged right by both readers)."""
    changed = list(criteria)
    for c, after in pairwise(criteria):
        if after.section is c.section and _MAY_ADJUST.search(after.text) and _REASSESSED.search(after.text):
            facts = tuple(f.doubted(_READ_AGAIN) if f.kind is FactKind.HYPERTENSION and not f.uncertain else f
                          for f in c.facts)  # fmt: skip
            if facts != c.facts:
                changed[c.index] = replace(c, facts=facts)
    return changed


_REASSESSED = lazy_regex(r"\b(?:blood\s+pressure|BP)\s+(?:must|should|will)\s+be\s+re-?(?:assessed|measured|checked)\b",
                         re.IGNORECASE)  # fmt: skip
_READ_AGAIN = "the next item lets treatment be adjusted before entry and the blood pressure be read again"
