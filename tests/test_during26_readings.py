"""during26: an event told as happening during a prior therapy is what an exclusion bars, not the therapy. "Grade ≥3
rash during prior thalidomide or lenalidomide therapy" (NCT02103335) barred every patient who had lenalidomide, and
"any liver injury grade 3-4 during prior systemic therapy regimens" (NCT01202032) every patient with three or four
systemic regimens (the grades read as a count). A profile does not record such events: the fact is uncertain. A
required progression during a therapy is its course, and stays read (issue 10, item 3)."""

from __future__ import annotations

import pytest

from matcher.matching.evaluate import Outcome
from tests.readings import list_trial, therapy_facts
from tests.test_issue10_examples import outcome, with_therapies

EVENTS = [
    "Grade ≥3 rash during prior thalidomide or lenalidomide therapy.",  # NCT02103335
    "Patients with any liver injury grade 3-4 during prior systemic therapy regimens.",  # NCT01202032
    (  # NCT02213744
        "Patients with a history of LVEF decline to below 50% during or after prior trastuzumab/lapatinib or other "
        "HER2 directed therapy."
    ),
    (  # NCT02322320
        "Patients who experienced thromboembolic events while on full anticoagulation during prior therapy with "
        "lenalidomide."
    ),
]
# NCT02514447 (inclusion): the therapy's course, which the kind reads
PROGRESSION = (
    "Progression during or after prior first- or second-line chemotherapy and eligible to receive topotecan therapy"
)
NOT_A_CANDIDATE = (  # NCT02973737 (inclusion): not being a candidate for the therapies, not an exclusion of them
    "Prior treatment with trastuzumab(≥2 cycles in the metastatic setting, or ≥3 months in adjuvant setting), and the "
    "patients are not available for the trastuzumab or lapatinib"
)


@pytest.mark.parametrize("line", EVENTS)
def test_an_event_during_a_therapy_does_not_bar_the_therapy(line: str) -> None:
    facts = therapy_facts("Exclusion", line)
    assert facts and all(f.uncertain and "an event during a therapy" in f.uncertain for f in facts)


def test_a_patient_with_the_therapy_is_not_barred_for_an_event_not_on_file() -> None:
    lenalidomide = {"name": "lenalidomide", "kind": "systemic", "start": "2023-04-01", "end": "2024-01-10",
                    "reason_stopped": "progression"}  # fmt: skip
    found = outcome(list_trial(exclusions=(EVENTS[0],)), "Grade ≥3 rash", with_therapies(lenalidomide))
    assert found.outcome is Outcome.UNKNOWN and found.reason.startswith("reading uncertain: an event during")


def test_a_progression_during_a_therapy_is_still_read() -> None:
    (fact,) = therapy_facts("Inclusion", PROGRESSION)
    assert fact.uncertain is None and fact.values.classes == ("class.chemotherapy",)
    carboplatin = {"name": "carboplatin", "kind": "systemic", "start": "2023-04-01", "end": "2024-01-10",
                   "reason_stopped": "progression"}  # fmt: skip
    found = outcome(list_trial(PROGRESSION), "Progression during", with_therapies(carboplatin))
    assert found.outcome is Outcome.SATISFIED


def test_not_being_available_for_a_therapy_is_a_candidacy() -> None:
    facts = [f for f in therapy_facts("Inclusion", NOT_A_CANDIDATE) if "drug.lapatinib" in f.values.drugs]
    assert facts and all(f.uncertain and "fit for a therapy" in f.uncertain for f in facts)
