"""Rules of session 31's fifth round (mend52), from comorbid sample 50's three wrong exclusions: a drug asked as given
in a trial of it ("Has participated in any other pembrolizumab trial and has been treated with pembrolizumab"); an
agent listed right after an uncontrolled condition ("uncontrolled psoriasis, HIV, or ..."); drugs named after the agent
("HIV antivirals"). Each criterion below barred a profile that the text, read as a coordinator would, does not bar:
the outcome is now unknown or met, and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient, with_therapies
from tests.test_mend41_readings import HIV

IN_A_TRIAL = "Has participated in any other pembrolizumab trial and has been treated with pembrolizumab."  # DJ043
ISOTOPE = "Calculated creatinine clearance OR isotope clearance measurement ≥ 50 mL/min"  # NCT01212887: DJ161
UNCONTROLLED_LIST = "uncontrolled psoriasis, HIV, or any other severe medical condition."  # NCT01259388: DJ294
ANTIVIRALS = (  # NCT01418001 (exclusion): DJ298
    "Similarly, co-administration with CYP3A inhibitors and inducers (e.g. Glucocorticoids, Anticonvulsants, HIV "
    "antivirals, Antibiotics) should also be avoided if possible"
)
PEMBROLIZUMAB = {"name": "pembrolizumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}
CLEARANCE_46 = {"test": "creatinine clearance", "value": 46, "unit": "mL/min", "date": "2026-11-07"}


def test_a_drug_asked_as_given_in_a_trial_of_it_is_unknown() -> None:
    found = item_outcome(IN_A_TRIAL, with_therapies(PEMBROLIZUMAB), "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "given in a trial of it" in found.reason
    assert item_outcome("Prior treatment with pembrolizumab", with_therapies(PEMBROLIZUMAB), "exclusion").outcome is (
        Outcome.VIOLATED
    )


def test_two_methods_for_one_clearance_are_one_limit() -> None:
    # comorbid samples 33 and 37 (CS296, CW258) judged the clearance on file decisive; sample 50's DJ161 was settled so
    assert item_outcome(ISOTOPE, patient(labs=[CLEARANCE_46])).outcome is Outcome.VIOLATED
    # two ways to obtain one value are no other test
    line = "Creatinine clearance, measured or calculated, ≥ 50 mL/min"
    assert item_outcome(line, patient(labs=[CLEARANCE_46])).outcome is Outcome.VIOLATED


def test_an_agent_listed_after_an_uncontrolled_condition_may_be_asked_uncontrolled() -> None:
    found = item_outcome(UNCONTROLLED_LIST, patient(conditions=[HIV]), "exclusion")
    assert found.outcome is Outcome.UNKNOWN
    assert item_outcome("Psoriasis, HIV, or any other severe medical condition.", patient(conditions=[HIV]),
                        "exclusion").outcome is Outcome.VIOLATED  # fmt: skip


def test_drugs_named_after_the_agent_are_no_infection() -> None:
    assert item_outcome(ANTIVIRALS, patient(conditions=[HIV]), "exclusion").outcome is not Outcome.VIOLATED
