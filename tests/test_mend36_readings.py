"""Rules of session 28, from comorbid sample 35's wrong exclusions (mend36): a lab limit asked only on a condition in
brackets, a lab limit with another way in that is not read, heart conditions given as examples of an illness the
investigators judge, a therapy against an infection named before it, and an infection asked "active with". Each
criterion below barred a profile that the text, read as a coordinator would, does not bar: the outcome is now unknown
or met, and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from typing import Any

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient

CLEARANCE_IF = (  # NCT00226941 (inclusion, under "Creatinine:" after "Within normal institutional limits", "OR"): CU053
    "Creatinine clearance > 60 mL/min/1.73 m2 (if serum creatinine levels above institutional normal)"
)
CLEARANCE_OR_TABLE = (  # NCT00679354 (inclusion, with the creatinine table as its sub-items): CU276
    "Creatinine clearance or radioisotope glomerular filtration rate >= 70mL/min OR serum creatinine based on "
    "age/gender as follows:"
)
ILLNESS_JUDGED = (  # NCT01522677 (exclusion): CU064
    "Patients with any acute or chronic illness including cardiovascular disease (e.g. history of atrial fibrillation "
    "or ventricular arrhythmias) or history of myocardial infarction, autoimmune state, or any psychiatric illness "
    "that in the opinion of the Investigators would compromise treatment."
)
INTERFERON_AGAINST = (  # NCT02029157 (exclusion): CU161
    "Concurrent interferon therapy against Hepatitis B Virus (HBV)/ Hepatitis C Virus (HCV)"
)
OTHER_DISORDERS_JUDGED = (  # NCT00700336 (exclusion): the judgement is the catch-all's (the review of rules 56)
    "The patient has an ongoing or active infection, symptomatic congestive heart failure, unstable angina pectoris, "
    "symptomatic or poorly controlled cardiac arrhythmia, uncontrolled thrombotic or hemorrhagic disorder, or any "
    "other serious uncontrolled medical disorders in the opinion of the investigator."
)
HIV_EG_TREATED = (  # NCT01908387 (exclusion): HIV barred as it is, its treatment an example (the review of rules 56)
    "Known human immunodeficiency virus (HIV) positivity (eg, subjects who are receiving antiretroviral therapy for "
    "HIV disease);"
)
NO_ART = "No concurrent combination antiretroviral therapy for HIV-positive patients"  # NCT00296062 (inclusion): CN110
ACTIVE_WITH = (  # NCT02264574 (exclusion): CU165
    "Known history of human immunodeficiency virus (HIV) or active with hepatitis B virus (HBV) or hepatitis C virus "
    "(HCV)."
)

CARRIER = {"name": "chronic hepatitis B, inactive carrier", "status": "inactive"}


def _labs(*labs: tuple[str, float, str]) -> dict[str, Any]:
    return patient(labs=[{"test": t, "value": v, "unit": u, "date": "2026-11-04"} for t, v, u in labs])


def test_a_lab_limit_asked_only_on_a_condition_in_brackets_is_uncertain() -> None:
    low = _labs(("creatinine", 1.2, "mg/dL"), ("creatinine clearance", 46, "mL/min"))
    found = item_outcome(CLEARANCE_IF, low)  # CU053: his creatinine is within normal, so the clearance is not asked
    assert found.outcome is Outcome.UNKNOWN and "a condition follows the limit" in found.reason
    assert item_outcome(CLEARANCE_IF.split(" (if")[0], low).outcome is Outcome.VIOLATED
    # a bracket that is no condition, or says how the value is had, leaves the limit as it was
    for note in (" (Cockcroft-Gault)", " (if using the Cockcroft-Gault formula below)"):
        assert item_outcome(CLEARANCE_IF.split(" (if")[0] + note, low).outcome is Outcome.VIOLATED


def test_a_lab_limit_with_another_way_in_that_is_not_read_is_uncertain() -> None:
    low = _labs(("creatinine", 1.3, "mg/dL"), ("creatinine clearance", 41, "mL/min"), ("eGFR", 40, "mL/min/1.73m2"))
    found = item_outcome(CLEARANCE_OR_TABLE, low)  # CU276: the table allows her creatinine
    assert found.outcome is Outcome.UNKNOWN and "another way to meet it is not read" in found.reason
    assert item_outcome(CLEARANCE_OR_TABLE.split(" OR ")[0], low).outcome is Outcome.VIOLATED
    # the other way given with its limit is read, and decides
    either = CLEARANCE_OR_TABLE.split(" OR ")[0] + " OR serum creatinine <= 1.0 mg/dL"
    assert item_outcome(either, low).outcome is Outcome.VIOLATED
    # the doubt is the limits' before the "or", not a later test's (the review of rules 56)
    later = "Creatinine clearance >= 60 mL/min or serum creatinine normal for age; platelets >= 100,000/mm3"
    thin = _labs(("creatinine clearance", 41, "mL/min"), ("platelets", 50, "10^9/L"))
    assert item_outcome(later, thin).outcome is Outcome.VIOLATED


def test_heart_conditions_given_as_examples_of_an_illness_the_investigators_judge_are_uncertain() -> None:
    af = patient(conditions=[{"name": "paroxysmal atrial fibrillation", "status": "controlled"}])
    found = item_outcome(ILLNESS_JUDGED, af, "exclusion")  # CU064
    assert found.outcome is Outcome.UNKNOWN and "investigator judges" in found.reason
    assert item_outcome("History of atrial fibrillation or ventricular arrhythmias.", af, "exclusion").outcome is (
        Outcome.VIOLATED
    )
    # a judgement of "any other" disorders after the heart conditions leaves them barred as named
    chf = patient(conditions=[{"name": "congestive heart failure", "status": "symptomatic, uncontrolled"}])
    assert item_outcome(OTHER_DISORDERS_JUDGED, chf, "exclusion").outcome is Outcome.VIOLATED


def test_a_therapy_against_an_infection_named_before_it_bars_the_infection_only_on_that_therapy() -> None:
    carrier = patient(conditions=[CARRIER])
    found = item_outcome(INTERFERON_AGAINST, carrier, "exclusion")  # CU161: an untreated carrier
    assert found.outcome is Outcome.UNKNOWN and "bars interferon therapy for hepatitis B" in found.reason
    assert item_outcome("Hepatitis B Virus (HBV)/ Hepatitis C Virus (HCV)", carrier, "exclusion").outcome is (
        Outcome.VIOLATED
    )
    # an HIV on antiretroviral therapy is barred by a ban of that therapy (judged right as CN110, CT189), with the
    # treatment as its reason; an infection named apart from the therapy's list is barred as it is
    on_art = patient(conditions=[{"name": "HIV infection", "status": "controlled on antiretroviral therapy"}])
    found = item_outcome(NO_ART, on_art)
    assert found.outcome is Outcome.VIOLATED and "the trial bars antiretroviral therapy" in found.reason
    hiv = patient(conditions=[{"name": "HIV infection", "status": "newly diagnosed, untreated"}])
    assert item_outcome(NO_ART, hiv).outcome is Outcome.UNKNOWN
    assert item_outcome(HIV_EG_TREATED, hiv, "exclusion").outcome is Outcome.VIOLATED  # HIV named apart, barred
    assert item_outcome(INTERFERON_AGAINST + "; or HIV", hiv, "exclusion").outcome is Outcome.VIOLATED


def test_an_infection_asked_active_with_leaves_an_inactive_carrier_unknown() -> None:
    found = item_outcome(ACTIVE_WITH, patient(conditions=[CARRIER]), "exclusion")  # CU165
    assert found.outcome is Outcome.UNKNOWN and "asks whether the hepatitis B is active" in found.reason
    active = patient(conditions=[{"name": "chronic hepatitis B", "status": "active"}])
    assert item_outcome(ACTIVE_WITH, active, "exclusion").outcome is Outcome.VIOLATED
