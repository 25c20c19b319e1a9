"""Rules of session 32's third round (mend55), from comorbid sample 53's four wrong exclusions: the only sub-item of an
inclusion's lead-in of alternatives, the others laid out outside it; a heart failure "not controlled by" treatment; a
hepatitis asked "with abnormal liver function tests"; a hepatitis "requiring treatment with antiviral therapy". Each
criterion below barred a profile that the text, read as a coordinator would, does not bar: the outcome is now unknown,
and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import list_trial
from tests.test_issue10_examples import item_outcome, outcome, patient
from tests.test_mend41_readings import HIV

EITHER = "Adequate renal function as determined by either:"  # NCT01161186 (inclusion): DM044
CLEARANCE = (
    "Calculated or measured creatinine clearance ≥ 40 mL/min (for calculated creatinine clearance, Cockroft-Gault"
)
NOT_CONTROLLED = (  # NCT02250118 (exclusion): DM052
    "Any co morbidity considered to be incompatible with participation in the study, according to the investigator, "
    "particularly: untreated infectious disease, chronic respiratory insufficiency; chronic heart failure not "
    "controlled by appropriate medical treatment."
)
ABNORMAL_LIVER = "Hepatitis B surface antigen or hepatitis C positivity with abnormal liver function tests."  # DM174
REQUIRING_ANTIVIRAL = (  # NCT02664077 (exclusion): DM180
    "Known history of human immunodeficiency virus (HIV) infection or chronic or active hepatitis B or hepatitis C "
    "requiring treatment with antiviral therapy."
)
CARRIER = {"name": "chronic hepatitis B, inactive carrier", "status": "HBsAg positive, HBV DNA undetectable"}
HBV_ON_TENOFOVIR = {"name": "chronic hepatitis B", "status": "active, on tenofovir antiviral therapy"}


def test_the_only_alternative_laid_out_under_an_either_lead_in_is_unknown() -> None:
    low = patient(labs=[{"test": "creatinine clearance", "value": 38, "unit": "mL/min", "date": "2026-11-06"}])
    lone = list_trial(EITHER + "\n  - " + CLEARANCE + " equation will be used).")
    assert outcome(lone, CLEARANCE[:40], low).outcome is Outcome.UNKNOWN
    # laid out with its other alternative, a patient failing both is still barred
    both = list_trial(EITHER + "\n  - " + CLEARANCE + " equation will be used).\n  - Serum creatinine ≤ 1.5 X ULN")
    failing = patient(
        labs=[
            {"test": "creatinine clearance", "value": 38, "unit": "mL/min", "date": "2026-11-06"},
            {"test": "creatinine", "value": 2.4, "unit": "mg/dL", "date": "2026-11-06", "upper_limit": 1.3},
        ]
    )
    assert outcome(both, EITHER, failing).outcome is Outcome.VIOLATED


def test_heart_failure_not_controlled_is_asked_uncontrolled() -> None:
    stable = patient(conditions=[{"name": "heart failure with preserved ejection fraction", "status": "stable"}])
    assert item_outcome(NOT_CONTROLLED, stable, "exclusion").outcome is Outcome.UNKNOWN
    failing = patient(conditions=[{"name": "congestive heart failure", "status": "uncontrolled, NYHA III"}])
    assert item_outcome(NOT_CONTROLLED, failing, "exclusion").outcome is Outcome.VIOLATED


def test_a_hepatitis_asked_with_abnormal_liver_tests_is_unknown_for_a_carrier() -> None:
    carrier = patient(conditions=[CARRIER])
    assert item_outcome(ABNORMAL_LIVER, carrier, "exclusion").outcome is Outcome.UNKNOWN
    plain = "Hepatitis B surface antigen or hepatitis C positivity."
    assert item_outcome(plain, carrier, "exclusion").outcome is Outcome.VIOLATED


def test_a_hepatitis_requiring_antiviral_therapy_bars_the_treated_one() -> None:
    assert item_outcome(REQUIRING_ANTIVIRAL, patient(conditions=[CARRIER]), "exclusion").outcome is Outcome.UNKNOWN
    treated = patient(conditions=[HBV_ON_TENOFOVIR])
    assert item_outcome(REQUIRING_ANTIVIRAL, treated, "exclusion").outcome is Outcome.VIOLATED
    # an HIV on antiretroviral therapy is on an antiviral: still barred (comorbid sample 49's DI329)
    assert item_outcome(REQUIRING_ANTIVIRAL, patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED
