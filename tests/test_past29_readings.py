"""past29: a condition whose status says it is over is not a current one. Only a status of exactly "resolved" or "none"
was; a coordinator's "cured", "resolved 2022, on anticoagulation" or "resolved with minor residual weakness" kept the
condition current, so a cured hepatitis C barred the patient from every "Active or chronic hepatitis B or C" trial
(found by matching a profile with that history against the tuning texts: some 60 criteria). A condition that is over is
not on file as present: a criterion about it is unknown, never violated by it (as for "resolved" before)."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import list_trial
from tests.test_issue10_examples import outcome, patient

ACTIVE_OR_CHRONIC = "Active or chronic hepatitis B or C"  # NCT02420821 (exclusion)
EMBOLISM = "History of prior deep venous thrombosis or pulmonary embolism"  # NCT01900327 (exclusion)


def _outcome(line: str, condition: dict[str, str]) -> Outcome:
    return outcome(list_trial(exclusions=(line,)), line[:20], patient(conditions=[condition])).outcome


def test_a_cured_or_resolved_condition_is_not_current() -> None:
    cured = {"name": "hepatitis C, cured (sustained virologic response)", "status": "cured"}
    assert _outcome(ACTIVE_OR_CHRONIC, cured) is Outcome.UNKNOWN
    resolved = {"name": "pulmonary embolism", "status": "resolved 2022, on anticoagulation"}
    assert _outcome(EMBOLISM, resolved) is Outcome.UNKNOWN


def test_a_status_that_says_it_is_not_over_keeps_it_current() -> None:
    for status in ("not resolved", "unresolved", "chronic"):
        chronic = {"name": "chronic hepatitis C", "status": status}
        assert _outcome(ACTIVE_OR_CHRONIC, chronic) is Outcome.VIOLATED, status
