"""Rules of session 27's second round, from comorbid sample 34's wrong exclusions (mend35): another cancer told by the
patient's outlook, a limit a later "If ..." sentence lets the patient meet another way, a limit that a condition on
another test makes one of two ways in, a hormonal therapy the trial gives or excepts in its own words, and infections
named as examples of an uncontrolled illness. Each criterion below barred a profile that the text, read as a
coordinator would, does not bar: the outcome is now unknown or met, and the profile the text does bar is still barred
(issue 10, item 3)."""

from __future__ import annotations

from typing import Any

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_facts, list_trial
from tests.test_issue10_examples import item_outcome, outcome, patient, with_therapies

OUTLOOK = (  # NCT00113919 (exclusion): CT032
    "Patients with a prior malignancy in whom life expectancy is more likely to be determined by the prior malignancy "
    "than the myeloma. Patients must not currently be receiving therapy for the prior malignancy."
)
CLEARANCE_IF = (  # NCT02189343 (exclusion, under "Any of the following laboratory abnormalities:"): CT052
    "Creatinine clearance < 45 mL/min according to Cockcroft-Gault formula. If creatinine clearance calculated from "
    "the 24 hour urine sample is ≥ 45 mL/min, patient will qualify for the trial."
)
CREATININE_REQUIRES = (  # NCT01005979 (inclusion): CT083
    "Serum creatinine ≤ 1.5 mg/dL. Serum creatinine > 1.5 mg/dL requires creatinine clearance of ≥ 60 mL/min by "
    "Cockroft-Gault formula."
)
TO_BE_TREATED = (  # NCT01826838 (inclusion)
    "Histologically or pathologically confirmed adenocarcinoma of the prostate to be treated with radiation therapy "
    "and hormone therapy."
)
NO_CONCURRENT = "No concurrent anticancer therapy."  # NCT01826838 (inclusion): CT094
CONCURRENT_EXCEPT = (  # NCT02650752 (exclusion): CT116
    "Concurrent anti-cancer therapy (chemotherapy, hormonal therapy, radiation therapy, surgery, immunotherapy, tumor "
    "embolization, or biologic therapy including pertuzumab, but except IV trastuzumab or hormonal therapy, if patient "
    "is already being treated with either of the two agents.)"
)
UNCONTROLLED_HIV = (  # NCT01418001 (exclusion): CT218
    "Uncontrolled intercurrent illness including, but not limited to, ongoing or active infection, including HIV, "
    "active hepatitis B or C, symptomatic congestive heart failure, unstable angina pectoris, cardiac arrhythmia, "
    "poorly controlled diabetes or psychiatric illness/social situations that would limit compliance with study "
    "requirements."
)
UNCONTROLLED_LIVER = (  # NCT02782182 (exclusion): CT172
    "Uncontrolled intercurrent illness including, but not limited to, ongoing or active infection, symptomatic "
    "congestive heart failure, unstable angina pectoris, cardiac arrhythmia, active liver disease including viral or "
    "non-viral hepatitis and cirrhosis, chronic diarrhea or inflammatory disease of the colon or rectum, or "
    "psychiatric illness/social situations that would limit compliance with study requirements."
)

LEUPROLIDE = {"name": "leuprolide", "kind": "systemic", "start": "2020-09-01"}
LENVATINIB_NOW = {"name": "lenvatinib", "kind": "systemic", "start": "2021-03-01"}
HIV_CONTROLLED = {"name": "HIV infection, viral load undetectable", "status": "controlled on antiretroviral therapy"}


def _labs(*labs: tuple[str, float, str]) -> dict[str, Any]:
    return patient(labs=[{"test": t, "value": v, "unit": u, "date": "2026-11-04"} for t, v, u in labs])


def test_another_cancer_told_by_the_patients_outlook_is_uncertain() -> None:
    cll = patient(conditions=[{"name": "chronic lymphocytic leukemia, Rai stage 0, untreated", "status": "stable"}])
    assert item_outcome(OUTLOOK, cll, "exclusion").outcome is Outcome.UNKNOWN  # CT032
    assert item_outcome("Patients with a prior malignancy", cll, "exclusion").outcome is Outcome.VIOLATED


def test_a_limit_a_later_if_sentence_lets_be_met_another_way_is_uncertain() -> None:
    low = _labs(("creatinine clearance", 38, "mL/min"))
    found = item_outcome(CLEARANCE_IF, low, "exclusion")  # CT052: a 24-hour collection may show >= 45
    assert found.outcome is Outcome.UNKNOWN and "qualify another way" in found.reason
    assert item_outcome(CLEARANCE_IF.split(". If")[0] + ".", low, "exclusion").outcome is Outcome.VIOLATED


def test_a_limit_that_a_condition_on_another_test_asks_is_one_of_two_ways_in() -> None:
    facts = item_facts("Inclusion", CREATININE_REQUIRES, FactKind.LAB)
    assert [(f.values.lab, f.values.alternative) for f in facts] == [
        ("lab.creatinine", True),
        ("lab.creatinine_clearance", True),
    ]
    # CT083: a creatinine of 1.2 meets the line whatever the clearance
    both = _labs(("creatinine", 1.2, "mg/dL"), ("creatinine clearance", 46, "mL/min"))
    assert item_outcome(CREATININE_REQUIRES, both).outcome is Outcome.SATISFIED
    neither = _labs(("creatinine", 1.8, "mg/dL"), ("creatinine clearance", 46, "mL/min"))
    assert item_outcome(CREATININE_REQUIRES, neither).outcome is Outcome.VIOLATED
    # no limit on the other side read before it: "requires" is no condition (the review of rules 55)
    (kept,) = item_facts("Inclusion", "Hemoglobin ≥ 9 g/dL requires no transfusion in the prior week", FactKind.LAB)
    assert (kept.values.lab, kept.values.alternative) == ("lab.hemoglobin", False)


def test_a_hormonal_therapy_the_trial_gives_or_excepts_may_be_the_patients() -> None:
    on_leuprolide = with_therapies(LEUPROLIDE)
    trial = list_trial(TO_BE_TREATED, NO_CONCURRENT)
    assert outcome(trial, NO_CONCURRENT, on_leuprolide).outcome is Outcome.UNKNOWN  # CT094
    assert outcome(trial, NO_CONCURRENT, with_therapies(LENVATINIB_NOW)).outcome is Outcome.VIOLATED
    # without the line that says the trial gives hormone therapy, his leuprolide is a concurrent anticancer therapy
    assert outcome(list_trial(NO_CONCURRENT), NO_CONCURRENT, on_leuprolide).outcome is Outcome.VIOLATED
    assert item_outcome(CONCURRENT_EXCEPT, on_leuprolide, "exclusion").outcome is Outcome.UNKNOWN  # CT116
    assert item_outcome(CONCURRENT_EXCEPT, with_therapies(LENVATINIB_NOW), "exclusion").outcome is Outcome.VIOLATED
    # a line that allows something else, or a trial that bars the hormone therapy, excepts none (the review)
    not_permitted = (
        "Concurrent anticancer therapy including hormonal therapy is not permitted; bisphosphonates are allowed"
    )
    assert item_outcome(not_permitted, on_leuprolide, "exclusion").outcome is Outcome.VIOLATED
    without = "Adenocarcinoma of the prostate to be treated with radiation therapy without androgen deprivation therapy"
    assert outcome(list_trial(without, NO_CONCURRENT), NO_CONCURRENT, on_leuprolide).outcome is Outcome.VIOLATED


def test_infections_named_as_examples_of_an_uncontrolled_illness_are_asked_active() -> None:
    hiv = patient(conditions=[HIV_CONTROLLED])
    assert item_outcome(UNCONTROLLED_HIV, hiv, "exclusion").outcome is Outcome.UNKNOWN  # CT218
    carrier = patient(conditions=[{"name": "chronic hepatitis B, inactive carrier", "status": "inactive"}])
    assert item_outcome(UNCONTROLLED_LIVER, carrier, "exclusion").outcome is Outcome.UNKNOWN  # CT172
    assert item_outcome("Known HIV infection", hiv, "exclusion").outcome is Outcome.VIOLATED
