"""Rules of session 33 (mend60), from comorbid sample 57, the first drawn from eight new profiles: a latent
tuberculosis "treated 2018" is not an active infection (43 wrong items, 680 violated outcomes of one profile); a heart
condition whose status says only "active" is not shown uncontrolled or refractory (still symptomatic, as before); a
heart condition named as what a drug may cause is not the patient's; blood pressure asked as readings
at a set time, a treating physician's judgement and the criteria of one expansion cohort are not decided by a
profile (issue 10, items 2 and 3). Each line is quoted from the registry text."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import hint_trial
from tests.test_issue10_examples import item_outcome, outcome, patient

LATENT_TB = {"name": "latent tuberculosis infection", "status": "treated 2018"}  # comorbid-ms-ocrelizumab-44
HFREF = {"name": "heart failure with reduced ejection fraction, LVEF 30%, NYHA class II", "status": "active"}
VT = {"name": "ventricular tachycardia", "status": "controlled with amiodarone and ICD"}
HTN = {"name": "hypertension", "status": "uncontrolled"}


def test_a_treated_latent_tuberculosis_is_not_an_active_infection() -> None:
    for line in ("Active infection", "Has a known history of active tuberculosis.", "Active tuberculosis",
                 "Any active infection requiring antibiotic treatment", "History of tuberculosis."):  # fmt: skip
        found = item_outcome(line, patient(conditions=[LATENT_TB]), "exclusion")
        assert found.outcome is Outcome.UNKNOWN, (line, found.reason)
    # an infection its status says is active still bars, "uncontrolled" too (it holds "controlled")
    for status in ("active, on antibiotics", "uncontrolled"):
        uti = {"name": "urinary tract infection", "status": status}
        assert item_outcome("Active infection", patient(conditions=[uti]), "exclusion").outcome is Outcome.VIOLATED
    # latent is latent, whatever the status
    active_latent = {"name": "latent tuberculosis infection", "status": "active"}
    assert item_outcome("Active infection", patient(conditions=[active_latent]), "exclusion").outcome is Outcome.UNKNOWN


def test_an_active_heart_failure_is_not_shown_uncontrolled_or_refractory() -> None:
    doc = patient(conditions=[HFREF, VT])
    for line in (
        "Refractory congestive heart failure unresponsive to medical treatment; active infection resistant to all "
        "antibiotics; or advanced pulmonary disease requiring >2 liters per minute (LPM) oxygen.",  # NCT02348489
        "Uncontrolled cardiac disease, congestive heart failure, angina, arrhythmias or hypertension.",  # NCT02920450
        "Uncontrolled congestive heart failure",
    ):
        found = item_outcome(line, doc, "exclusion")
        assert found.outcome is Outcome.UNKNOWN, (line, found.reason)
    # "active" still answers "symptomatic" and a gravity, and a status that says the state still bars; "uncontrolled
    # or symptomatic" asks either (NCT00558103, DQ089)
    assert item_outcome("Symptomatic congestive heart failure", doc, "exclusion").outcome is Outcome.VIOLATED
    either = "Patients with known history of uncontrolled or symptomatic angina, arrhythmias, or heart failure"
    assert item_outcome(either, doc, "exclusion").outcome is Outcome.VIOLATED
    uncontrolled = {"name": "congestive heart failure", "status": "uncontrolled"}
    assert item_outcome("Uncontrolled congestive heart failure", patient(conditions=[uncontrolled]),
                        "exclusion").outcome is Outcome.VIOLATED  # fmt: skip


def test_a_tachycardia_a_drug_may_cause_is_not_the_patients() -> None:
    trial = hint_trial("NCT01575782")  # DQ119
    found = outcome(trial, "Medication that might cause QT-prolongation", patient(conditions=[VT]))
    assert found.outcome is not Outcome.VIOLATED, found.reason
    assert item_outcome("History of ventricular tachycardia", patient(conditions=[VT]), "exclusion").outcome is (
        Outcome.VIOLATED
    )


def test_blood_pressure_asked_as_readings_or_by_the_physician_or_for_one_cohort_is_undecided() -> None:
    doc = patient(conditions=[HTN])
    readings = outcome(hint_trial("NCT01851408"), "No uncontrolled hypertension, defined as", doc)  # DQ187
    assert readings.outcome is Outcome.UNKNOWN and "readings" in readings.reason
    judged = outcome(hint_trial("NCT02550743"), "Patients who have other concurrent severe", doc)  # DQ198
    assert judged.outcome is Outcome.UNKNOWN, judged.reason
    cohort_c = outcome(hint_trial("NCT02661815"), "Uncontrolled blood pressure (>140/90)", doc)  # DQ201
    assert cohort_c.outcome is Outcome.UNKNOWN, cohort_c.reason
    # a limit at the standard threshold, with nothing asked of when it is read, still bars an uncontrolled hypertension
    standard = "Uncontrolled hypertension (systolic blood pressure > 140 mmHg or diastolic blood pressure > 90 mmHg)"
    assert item_outcome(standard, doc, "exclusion").outcome is Outcome.VIOLATED
