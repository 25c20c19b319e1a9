"""Rules of session 33's third round (mend62), from comorbid sample 59: a limit "1.5 times of ULN" is a multiple of
the upper limit, not 1.5 in the test's unit; a heart failure asked "uncontrolled, symptomatic" is asked both, so one
not shown uncontrolled is unknown; hypertension defined by a change of treatment before randomization is not decided
by a status (issue 10, items 2 and 3). Each line is quoted from the registry text."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import hint_trial
from tests.test_issue10_examples import item_outcome, outcome, patient
from tests.test_mend60_readings import HFREF, HTN


def test_times_of_uln_is_a_multiple_of_the_upper_limit() -> None:
    inr = {"test": "INR", "value": 2.8, "unit": "", "date": "2026-11-12"}
    found = outcome(hint_trial("NCT03435302"), "Normal bone marrow function", patient(labs=[inr]))  # DS400
    assert found.outcome is Outcome.UNKNOWN and "its ULN is not on file" in found.reason, found.reason
    with_limit = {**inr, "upper_limit": 1.2}
    assert outcome(hint_trial("NCT03435302"), "Normal bone marrow function", patient(labs=[with_limit])).outcome is (
        Outcome.VIOLATED
    )


def test_uncontrolled_symptomatic_heart_failure_asks_both() -> None:
    doc = patient(conditions=[HFREF])
    assert item_outcome("No uncontrolled, symptomatic congestive heart failure", doc).outcome is Outcome.UNKNOWN
    uncontrolled = {"name": "congestive heart failure", "status": "uncontrolled"}
    assert item_outcome("No uncontrolled, symptomatic congestive heart failure", patient(conditions=[uncontrolled])
                        ).outcome is Outcome.VIOLATED  # fmt: skip


def test_hypertension_defined_by_a_change_of_treatment_is_undecided() -> None:
    found = outcome(hint_trial("NCT03042611"), "History of uncontrolled hypertension", patient(conditions=[HTN]))
    assert found.outcome is Outcome.UNKNOWN and "change of treatment" in found.reason  # DS236
