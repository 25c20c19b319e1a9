"""Rules of session 29's fourth round, from comorbid sample 40's wrong exclusions (mend41): a lab slip ("serum
creatine"); a lead-in "For patients without known ..." as the group its items are for; another cancer "actively
treated for"; an agent told by its viremia; an agent that names a cancer's kind ("HIV and associated non-Hodgkins
lymphoma"). Each criterion below barred a profile that the text, read as a coordinator would, does not bar: the
outcome is now unknown (or met), and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.eligibility.parser import parse_text
from matcher.matching.evaluate import Outcome
from tests.readings import list_trial
from tests.test_issue10_examples import item_outcome, outcome, patient
from tests.test_mend38_readings import renal

CREATINE = (  # NCT00170157 (inclusion): CZ250
    "Adequate organ function defined as: serum creatine =< 2.0 mg/dL or calculated creatinine clearance >= 60 mL/min"
)
WITHOUT_DIABETES = "For patients without known Type II diabetes, the following is required at screening:"  # CZ101
HBA1C = "Fasting blood glucose </= 135 mg/dL (7.49 mmol/L) and glycosylated hemoglobin (HbA1c) <7.0 %"
ACTIVELY_TREATED = "Being actively treated for another concurrent malignancy"  # NCT02141828 (exclusion): CZ138
VIREMIA = (  # NCT02155465 (exclusion): CZ243
    "Known human immunodeficiency virus infection, or hepatitis B virus (HBV) viremia or hepatitis C virus (HCV) "
    "viremia."
)
HIV_NHL = "Human immunodeficiency virus (HIV) and associated non-Hodgkins lymphoma (NHL)"  # NCT00625729: CZ272

CARRIER = {"name": "chronic hepatitis B, inactive carrier", "status": "inactive"}
ACTIVE_HBV = {"name": "chronic hepatitis B", "status": "active, viremic"}
HIV = {"name": "HIV infection, viral load undetectable", "status": "controlled on antiretroviral therapy"}
CLL = {"name": "chronic lymphocytic leukemia, Rai stage 0, untreated, watch and wait", "status": "active"}


def test_a_slip_for_creatinine_is_read_as_creatinine() -> None:
    assert item_outcome(CREATINE, renal(1.4, 48)).outcome is Outcome.SATISFIED  # CZ250
    assert item_outcome(CREATINE, renal(2.4, 48)).outcome is Outcome.VIOLATED
    # "serum creatine kinase" is the muscle enzyme, no creatinine
    assert item_outcome("Serum creatine kinase <= 2.5 x ULN", renal(2.4, 48)).outcome is Outcome.UNKNOWN


def test_a_lead_in_for_patients_without_a_condition_is_their_group() -> None:
    diabetic = patient(labs=[{"test": "HbA1c", "value": 8.4, "unit": "%", "date": "2026-11-03"}])
    info, _ = list_trial(HBA1C)
    text = f"Inclusion Criteria:\n\n- {WITHOUT_DIABETES}\n\n  - {HBA1C}\n"
    found = outcome((info, tuple(parse_text(text))), "Fasting blood glucose", diabetic)  # CZ101
    assert found.outcome is Outcome.UNKNOWN
    assert item_outcome(HBA1C, diabetic).outcome is Outcome.VIOLATED


def test_another_cancer_actively_treated_for_is_not_an_untreated_one() -> None:
    found = item_outcome(ACTIVELY_TREATED, patient(conditions=[CLL]), "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "whether it needs treatment now" in found.reason
    on_treatment = {"name": "prostate cancer, on androgen deprivation therapy", "status": "active"}
    assert item_outcome(ACTIVELY_TREATED, patient(conditions=[on_treatment]), "exclusion").outcome is Outcome.VIOLATED


def test_a_hepatitis_told_by_its_viremia_against_an_inactive_carrier() -> None:
    assert item_outcome(VIREMIA, patient(conditions=[CARRIER]), "exclusion").outcome is Outcome.UNKNOWN
    assert item_outcome(VIREMIA, patient(conditions=[ACTIVE_HBV]), "exclusion").outcome is Outcome.VIOLATED
    # the HIV the viremia line names bare is barred as before
    assert item_outcome(VIREMIA, patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED
    # a hepatitis named bare still bars a carrier: "No history of chronic hepatitis", "Known chronic hepatitis or
    # cirrhosis" (the chain of rules 61: a first version that asked it active lost 40 such outcomes)
    for line in ("No history of chronic hepatitis", "Known chronic hepatitis or cirrhosis"):
        assert item_outcome(line, patient(conditions=[CARRIER]), "exclusion").outcome is Outcome.VIOLATED, line


def test_an_agent_that_names_a_cancers_kind_is_no_infection_barred() -> None:
    assert item_outcome(HIV_NHL, patient(conditions=[HIV]), "exclusion").outcome is Outcome.UNKNOWN
    assert item_outcome("Known HIV infection", patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED


def test_each_rule_stays_with_what_its_words_are_about() -> None:
    """The review of rules 61: each of these kept its reading."""
    let_in = "Known HIV-positive status. Patients with HIV-associated malignancies may be enrolled"
    assert item_outcome(let_in, patient(conditions=[HIV]), "exclusion").outcome is Outcome.UNKNOWN
    fever = {"name": "urinary tract infection", "status": "active, on antibiotics"}
    line = "No active infection associated with fever requiring antibiotics"
    assert item_outcome(line, patient(conditions=[fever]), "exclusion").outcome is Outcome.VIOLATED
    for kinase in ("serum creatine-kinase <= 2.5 x ULN", "serum creatine (CK) <= 2.5 x ULN"):
        assert item_outcome(kinase, renal(3.0, 48)).outcome is Outcome.UNKNOWN, kinase
    past = "Patients who have been treated for another malignancy"
    assert item_outcome(past, patient(conditions=[CLL]), "exclusion").outcome is Outcome.VIOLATED
