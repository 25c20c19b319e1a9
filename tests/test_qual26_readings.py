"""qual26: a cardiac condition qualified alone in a list is excluded only as qualified.

"History of arrhythmia (..., ventricular tachycardia, or uncontrolled atrial fibrillation) ... Atrial fibrillation
controlled on medication is not excluded." (NCT00923247, a thyroid trial) barred a patient whose atrial fibrillation
is controlled: the qualifier was read before the list's first condition only. Found reading the panel's violated
outcomes on the thyroid trials. Issue 10, item 3: violated only from a complete reading."""

from __future__ import annotations

from typing import Any

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome, TrialInfo
from tests.readings import list_trial, one_criterion
from tests.test_issue10_examples import outcome, patient

ARRHYTHMIA = (  # NCT00923247 (exclusion)
    "History of arrhythmia (multifocal premature ventricular contractions PVCs, bigeminy, trigeminy, ventricular "
    "tachycardia, or uncontrolled atrial fibrillation) which is symptomatic or requires treatment (CTCAE grade 3) or "
    "asymptomatic sustained ventricular tachycardia. Atrial fibrillation controlled on medication is not excluded."
)
SYMPTOMATIC_CHF = "Any history of unstable angina, myocardial infarction or symptomatic congestive heart failure."


def _with(*conditions: dict[str, Any]) -> dict[str, Any]:
    return patient(conditions=list(conditions))


def _trial(text: str) -> tuple[TrialInfo, tuple[Any, ...]]:
    return list_trial("Adults", exclusions=(text,))


def test_a_condition_qualified_alone_is_read_with_its_qualifier() -> None:
    (fact,) = [f for f in one_criterion(ARRHYTHMIA, "Exclusion").facts if f.kind is FactKind.CARDIAC]
    assert fact.values.qualified == ("atrial fibrillation",) and fact.values.qualifier == "uncontrolled"
    (chf,) = [f for f in one_criterion(SYMPTOMATIC_CHF, "Exclusion").facts if f.kind is FactKind.CARDIAC]
    assert chf.values.qualified == ("congestive heart failure",) and chf.values.qualifier == "symptomatic"


def test_a_controlled_atrial_fibrillation_is_not_barred_by_an_uncontrolled_one() -> None:
    trial = _trial(ARRHYTHMIA)
    controlled = outcome(trial, "History of arrhythmia", _with({"name": "atrial fibrillation", "status": "controlled"}))
    assert controlled.outcome is Outcome.UNKNOWN
    assert "the trial asks whether it is uncontrolled" in controlled.reason
    # "Atrial fibrillation controlled on medication is not excluded" spares a form of it (cardiac29, as NCT00537095's
    # "are permitted", test_kinds.py): the fact is uncertain, so an uncontrolled one is a coordinator's check too
    uncontrolled = {"name": "atrial fibrillation", "status": "uncontrolled"}
    assert outcome(trial, "History of arrhythmia", _with(uncontrolled)).outcome is Outcome.UNKNOWN


def test_the_other_conditions_of_the_list_stay_barred_as_they_are() -> None:
    trial = _trial(SYMPTOMATIC_CHF)
    infarction = _with({"name": "myocardial infarction", "status": "history"})
    assert outcome(trial, "Any history of unstable", infarction).outcome is Outcome.VIOLATED
    failure = _with({"name": "congestive heart failure", "status": "controlled"})
    assert outcome(trial, "Any history of unstable", failure).outcome is Outcome.UNKNOWN
