"""treat26: a condition told with the treatment it requires is asked in that state. "Angina pectoris requiring
antianginal medication" (NCT00498953) was read as any angina, so a patient with angina that needs no medication was
excluded (a reader's both-wrong item of session 21: NCT01964391's "angina pectoris requiring medication"). A profile's
condition status seldom says whether it is treated: unknown, unless the status says the condition is active (issue 10,
item 3: violated only from a complete reading)."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_facts, list_trial
from tests.test_issue10_examples import outcome, patient

ANGINA = "Angina pectoris requiring antianginal medication"  # NCT00498953 (under a "No ...:" lead-in)
ARRHYTHMIAS = (  # NCT01736878, a thyroid trial (exclusion)
    "Cardiac ventricular arrhythmias requiring anti-arrhythmic therapy other than beta-blockers or digoxin"
)
HEART_FAILURE_OR_ARRHYTHMIA = (  # NCT02896855 (exclusion): the treatment is the arrhythmia's only
    "History of congestive heart failure (CHF) of any New York Heart Association (NYHA) classification, or serious "
    "cardiac arrhythmia requiring treatment"
)


def test_a_condition_requiring_treatment_is_asked_in_that_state() -> None:
    (fact,) = item_facts("Exclusion", ANGINA, FactKind.CARDIAC)
    assert (fact.values.qualifier, fact.values.qualified) == ("requiring antianginal medication", ("angina pectoris",))
    trial = list_trial(exclusions=(ANGINA,))
    stable = outcome(trial, "Angina pectoris", patient(conditions=[{"name": "angina pectoris", "status": "stable"}]))
    assert stable.outcome is Outcome.UNKNOWN and "requiring antianginal medication" in stable.reason
    # nor by "active" (cardiac30: a status tells a state, not a treatment)
    active = outcome(trial, "Angina pectoris", patient(conditions=[{"name": "angina pectoris", "status": "active"}]))
    assert active.outcome is Outcome.UNKNOWN


def test_the_treatment_qualifies_only_the_condition_it_follows() -> None:
    (fact,) = item_facts("Exclusion", HEART_FAILURE_OR_ARRHYTHMIA, FactKind.CARDIAC)
    assert fact.values.qualified == ("cardiac arrhythmia",)
    heart_failure = patient(conditions=[{"name": "congestive heart failure", "status": "stable"}])
    found = outcome(list_trial(exclusions=(HEART_FAILURE_OR_ARRHYTHMIA,)), "History of congestive", heart_failure)
    assert found.outcome is Outcome.VIOLATED  # named bare: excluded as it stands
    (arrhythmias,) = item_facts("Exclusion", ARRHYTHMIAS, FactKind.CARDIAC)
    assert arrhythmias.values.qualifier == "requiring anti-arrhythmic therapy"


def test_a_window_told_in_words_is_not_dropped() -> None:
    # "Myocardial infarction within the past year" (NCT00674414): not any infarction ever
    (fact,) = item_facts("Inclusion", "No myocardial infarction within the past year", FactKind.CARDIAC)
    assert fact.values.within is None
    assert fact.uncertain == "a window told in words ('within the past year') is not read"
    old_infarction = patient(conditions=[{"name": "myocardial infarction", "status": "resolved 2015"}])
    found = outcome(list_trial("No myocardial infarction within the past year"), "No myocardial", old_infarction)
    assert found.outcome is not Outcome.VIOLATED


def test_a_heart_failure_class_told_as_a_classification_is_read() -> None:
    # NCT03179956: "History of documented congestive heart failure (New York Heart Association functional
    # classification III-IV)" barred every heart failure on file
    line = (
        "History of documented congestive heart failure (New York Heart Association functional classification III-IV)"
    )
    (fact,) = item_facts("Exclusion", line, FactKind.CARDIAC)
    assert fact.values.nyha_min == 3
    heart_failure = patient(conditions=[{"name": "congestive heart failure", "status": "stable"}])
    found = outcome(list_trial(exclusions=(line,)), "History of documented", heart_failure)
    assert found.outcome is Outcome.UNKNOWN and "NYHA class 3 or worse" in found.reason


def test_coronary_that_names_a_bypass_graft_is_no_coronary_disease() -> None:
    # NCT00436501 (a blind reader's L07): a patient's "coronary artery disease" is no bypass graft
    (fact,) = item_facts("Exclusion", "Coronary/peripheral artery bypass graft", FactKind.CARDIAC)  # NCT02853331
    assert fact.values.conditions == ("bypass graft",)
    disease = patient(conditions=[{"name": "coronary artery disease", "status": "stable"}])
    found = outcome(list_trial(exclusions=("Coronary/peripheral artery bypass graft",)), "Coronary/peripheral", disease)
    assert found.outcome is not Outcome.VIOLATED
