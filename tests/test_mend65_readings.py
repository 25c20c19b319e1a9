"""Rules of session 34's first round (mend65), from comorbid sample 61's DU071: nintedanib in the drug vocabulary (its
code "BIBF 1120", Ofev, Vargatef), a progression barred "unless there is evidence for significant clinical benefit ...
from treatment with" a drug is not decided for a patient who had that drug (a profile records no benefit), and the
trial's drug named in brackets after "first administration of trial drug" is a time anchor, not a drug the line bars
(issue 10, item 3). Each line is quoted from the registry text."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import hint_trial
from tests.test_issue10_examples import item_outcome, outcome, patient, with_therapies

NINTEDANIB = {"name": "nintedanib", "kind": "other", "start": "2025-02-01"}
BIBF_LINE = "Male or female patients with advanced solid tumours who have completed a previous"  # NCT00715403


def test_a_progression_excepted_for_the_benefit_of_a_drug_the_patient_had_is_not_decided() -> None:
    trial = hint_trial("NCT00715403")
    on_nintedanib = patient(sex="male", therapies=[*patient()["therapies"], NINTEDANIB])
    result = outcome(trial, BIBF_LINE, on_nintedanib)  # DU071
    assert result.outcome is Outcome.UNKNOWN
    assert "clinical benefit from nintedanib" in result.reason
    # a progressing patient who never had the drug cannot be the exception, nor did she complete a BIBF 1120 study
    assert outcome(trial, BIBF_LINE, patient(sex="male")).outcome is Outcome.VIOLATED


def test_nintedanib_is_known_by_its_names() -> None:
    on_nintedanib = patient(therapies=[*patient()["therapies"], NINTEDANIB])
    for line in ("Previous treatment with nintedanib", "Prior treatment with nintedanib"):  # NCT02149108, NCT02393755
        assert item_outcome(line, on_nintedanib, "exclusion").outcome is Outcome.VIOLATED, line
        assert item_outcome(line, patient(), "exclusion").outcome is Outcome.SATISFIED, line


def test_the_trials_drug_in_brackets_after_its_first_administration_is_an_anchor() -> None:
    line = (  # NCT01022853, with the trial's drug of a thyroid trial in its brackets
        "Treatment with any other investigational drug or participation in any other interventional trial within 28 "
        "days before first administration of trial drug (lenvatinib) or concomitantly with this trial"
    )
    stopped = {"name": "lenvatinib", "kind": "systemic", "start": "2026-01-01", "end": "2026-11-16"}
    result = item_outcome(line, with_therapies(stopped), "exclusion")
    # no washout from lenvatinib: the line's own is of any other investigational drug
    assert result.outcome is Outcome.SATISFIED and result.eligible_from is None, result.reason
