"""window26: a condition's window is read. "None of the following within 28 days of beginning treatment: abdominal
fistula, gastrointestinal perforation, ..." (NCT00698815; a blind reader's L27: "drops 'within 28 days', so it excludes
a GI perforation from years ago") barred the condition at any time. A profile's condition has no date: one on file is
in the window when its status says it is present now, else unknown. And a status is read word by word: "inactive" is
not "active" (the cardiac kind's qualifier test read it as active). Issue 10, item 3."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_facts, list_trial
from tests.test_issue10_examples import outcome, patient

WITHIN = (  # NCT00698815 (inclusion)
    "None of the following within 28 days of beginning treatment: abdominal fistula, gastrointestinal perforation, "
    "intra-abdominal abscess, serious or non-healing wound, ulcer, or bone fracture"
)
SINCE = "At least 4 weeks since prior autologous stem cell transplantation"  # NCT00357305 (inclusion)
SYMPTOMATIC = "Symptomatic congestive heart failure"  # NCT00296062 (an item of an exclusion list)


def _with(name: str, status: str) -> dict[str, object]:
    return patient(conditions=[{"name": name, "status": status}])


def test_a_condition_in_a_window_is_barred_only_when_present_now() -> None:
    (fact,) = item_facts("Inclusion", WITHIN, FactKind.CONDITION)
    assert str(fact.values.within) == "28 days" and fact.uncertain is None
    trial = list_trial(WITHIN)
    healed = outcome(trial, "None of the following", _with("gastrointestinal perforation", "healed"))
    assert healed.outcome is Outcome.UNKNOWN and "its date is not (trial: within 28 days)" in healed.reason
    active = outcome(trial, "None of the following", _with("enterocutaneous fistula", "active"))
    assert active.outcome is Outcome.VIOLATED


def test_a_time_since_a_condition_is_not_a_window_within() -> None:
    (fact,) = item_facts("Inclusion", SINCE, FactKind.CONDITION)
    assert fact.values.within is None and fact.uncertain == "a time since the condition (4 weeks) is not read"


def test_an_inactive_condition_is_not_an_active_one() -> None:
    trial = list_trial(exclusions=(SYMPTOMATIC,))
    inactive = outcome(trial, "Symptomatic congestive", _with("congestive heart failure", "inactive"))
    assert inactive.outcome is Outcome.UNKNOWN and "asks whether it is symptomatic" in inactive.reason
    assert outcome(trial, "Symptomatic congestive", _with("congestive heart failure", "symptomatic")).outcome is (
        Outcome.VIOLATED
    )


def test_a_least_time_since_a_condition_is_not_a_window_within() -> None:
    # NCT01476137 (a blind reader's C03: "turns '> 100 days' into 'within 100 days', the opposite")
    line = (
        "Subjects with a history of autologous stem cell transplant, provided these eligibility criteria are met: "
        "transplant was > 100 days prior to study enrollment, no active infection, subject meets remainder of "
        "eligibility criteria outlined in the protocol."
    )
    (fact,) = item_facts("Inclusion", line, FactKind.CONDITION)
    assert fact.values.within is None and fact.uncertain == "a time since the condition (100 days) is not read"
