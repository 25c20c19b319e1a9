"""Rules of session 33's second round (mend61), from comorbid sample 58: a heart failure asked as one after a therapy
("symptomatic CHF with previous adjuvant trastuzumab treatment") is not decided by a heart failure on file; a
blood-pressure limit is read with the next item's note that treatment may be adjusted and the blood pressure read
again before entry;
a normal blood pressure asked as a clinic reading before the start is a reading the profile does not hold (issue 10,
items 2 and 3). Each line is quoted from the registry text."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import hint_trial
from tests.test_issue10_examples import item_outcome, outcome, patient
from tests.test_mend60_readings import HFREF, HTN


def test_a_heart_failure_asked_after_a_therapy_is_not_decided_by_one_on_file() -> None:
    after_trastuzumab = (
        "History of decreased LVEF to < 50% or symptomatic CHF with previous adjuvant trastuzumab treatment"
    )
    found = outcome(hint_trial("NCT00679211"), after_trastuzumab, patient(conditions=[HFREF]))  # DR119
    assert found.outcome is Outcome.UNKNOWN and "trastuzumab" in found.reason
    assert item_outcome("Symptomatic CHF", patient(conditions=[HFREF]), "exclusion").outcome is Outcome.VIOLATED


def test_blood_pressure_read_with_the_next_notes_adjustment_or_asked_as_a_clinic_reading() -> None:
    doc = patient(conditions=[HTN])
    noted = outcome(hint_trial("NCT00334282"), "Poorly controlled hypertension [defined", doc)  # DR184
    assert noted.outcome is Outcome.UNKNOWN and "read again" in noted.reason
    clinic = outcome(hint_trial("NCT01116648"), "Patients may not have any evidence of pre-existing", doc)  # DR199
    assert clinic.outcome is Outcome.UNKNOWN and "readings" in clinic.reason
    # the same limit without such a note or reading still bars (sample 58's DR190, right), and so does one whose note
    # only permits the adjustment (DR207, right)
    standard = outcome(hint_trial("NCT00549328"), "Poorly controlled hypertension (systolic", doc)
    assert standard.outcome is Outcome.VIOLATED
    adjusted_only = outcome(hint_trial("NCT01542047"), "Poorly controlled hypertension [defined", doc)
    assert adjusted_only.outcome is Outcome.VIOLATED
