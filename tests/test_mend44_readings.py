"""Rules of session 30's third round (mend44), from comorbid sample 43's four wrong exclusions: an alternative after a
capital "Or:"; another cancer's waiver told as a later consultation; a donor's infection; a hepatitis given as an
example of an active infection. Each criterion below barred a profile that the text, read as a coordinator would,
does not bar: the outcome is now unknown, and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from typing import Any

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient
from tests.test_mend41_readings import ACTIVE_HBV, CARRIER, CLL

EITHER_OR = (  # NCT02055690 (inclusion): DC123
    "Either: Calculated creatinine clearance ≥ 40 mL/min (uncorrected value) Or: Isotope clearance measurement ≥ 40 "
    "mL/min (corrected)"
)
CONSULTATION = (  # NCT03151408 (exclusion): DC134
    "Presence of an active malignant disease within the last 12 months, with the exception of adequately treated "
    "cervical cancer in-situ, non-melanoma skin cancer and superficial bladder tumors. Other malignancies may be "
    "considered after consultation with the Medical Monitor"
)
GRAFTS = "Grafts from hepatitis B surface antigen positive patients."  # NCT01146808 (exclusion): DC233
ACTIVE_INFECTION = (  # NCT02296125 (exclusion): DC241
    "Any evidence of severe or uncontrolled systemic diseases, including uncontrolled hypertension and active bleeding "
    "diatheses; or active infection including hepatitis B, hepatitis C and human immunodeficiency virus (HIV)."
)


def _clearance(value: float) -> dict[str, Any]:
    return patient(labs=[{"test": "creatinine clearance", "value": value, "unit": "mL/min", "date": "2026-11-06"}])


def test_an_alternative_after_a_capital_or() -> None:
    assert item_outcome(EITHER_OR, _clearance(38)).outcome is Outcome.UNKNOWN  # DC123: the isotope clearance unread
    assert item_outcome(EITHER_OR, _clearance(45)).outcome is Outcome.SATISFIED
    # one limit with no other way in still decides
    line = "Calculated creatinine clearance ≥ 40 mL/min (uncorrected value)"
    assert item_outcome(line, _clearance(38)).outcome is Outcome.VIOLATED


def test_another_cancers_waiver_told_as_a_consultation() -> None:
    assert item_outcome(CONSULTATION, patient(conditions=[CLL]), "exclusion").outcome is Outcome.UNKNOWN  # DC134
    without = CONSULTATION.split(". Other")[0] + ". Other malignancies are excluded."
    assert item_outcome(without, patient(conditions=[CLL]), "exclusion").outcome is Outcome.VIOLATED


def test_a_donors_infection_is_not_the_patients() -> None:
    assert item_outcome(GRAFTS, patient(conditions=[CARRIER]), "exclusion").outcome is not Outcome.VIOLATED  # DC233
    line = "Hepatitis B surface antigen positive patients."
    assert item_outcome(line, patient(conditions=[CARRIER]), "exclusion").outcome is Outcome.VIOLATED


def test_a_hepatitis_given_as_an_example_of_an_active_infection() -> None:
    assert item_outcome(ACTIVE_INFECTION, patient(conditions=[CARRIER]), "exclusion").outcome is Outcome.UNKNOWN
    assert item_outcome(ACTIVE_INFECTION, patient(conditions=[ACTIVE_HBV]), "exclusion").outcome is Outcome.VIOLATED
    # a hepatitis the line defines by a state the carrier has is barred as defined (NCT03753919)
    defined = (
        "Active infection including tuberculosis, hepatitis B (known positive HBV surface antigen (HBsAg) result), "
        "hepatitis C, or human immunodeficiency virus (positive HIV 1/2 antibodies)"
    )
    assert item_outcome(defined, patient(conditions=[CARRIER]), "exclusion").outcome is Outcome.VIOLATED
