"""infect29: "Active hepatitis B" asks of an active infection. The infection kind read the agents and not the state,
so a "chronic hepatitis B, inactive carrier" on file was barred by every "Active hepatitis B or C" exclusion (found by
matching a profile with an inactive carrier state against the tuning texts: some 150 criteria). The state is now read
from the words right before the agent ("active", "uncontrolled"; told of one agent, it reaches those listed after
it), and an agent on file whose status does not say it is active is unknown. "Active or chronic hepatitis B" is met
by a chronic carrier, and "Known HIV infection or infection with hepatitis B or C" asks of no state."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_facts, list_trial
from tests.test_issue10_examples import outcome, patient

ACTIVE = "Active hepatitis B or C"  # NCT02409355 (exclusion)
ACTIVE_OR_CHRONIC = "Active or chronic hepatitis B or C"  # NCT02420821 (exclusion)
ACTIVE_VIRAL = "Active viral hepatitis (HBV or HCV infection)"  # NCT02398058 (exclusion)
KNOWN = "Known HIV infection or infection with hepatitis B or C"  # NCT01736878 (exclusion)
UNCONTROLLED = "Uncontrolled viral infection with known HIV or Hepatitis type B or C"  # NCT00636922 (exclusion)
LIST = "Known active infection with HIV, hepatitis B, or hepatitis C"  # NCT01149915 (exclusion)
INFECTION_OF = "Active or uncontrolled infection of hepatitis B or hepatitis C."  # NCT01717898 (exclusion)
ASIDES = (  # NCT02339324 (exclusion): the list goes on past each bracketed example
    "Has known active Hepatitis B (e.g., HBsAg reactive) or Hepatitis C (e.g., HCV RNA [qualitative] is detected)."
)
EITHER = (  # NCT03600623 (exclusion): a past infection as well as an active one
    "Patient with known historical or active infection with HIV, Hepatitis B or Hepatitis C"
)

CARRIER = {"name": "chronic hepatitis B, inactive carrier", "status": "inactive"}


def _values(line: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    (fact,) = item_facts("Exclusion", line, FactKind.INFECTION)
    return fact.values.agents, fact.values.active


def _outcome(line: str, condition: dict[str, str]) -> Outcome:
    return outcome(list_trial(exclusions=(line,)), line[:20], patient(conditions=[condition])).outcome


def test_the_state_is_read_with_the_agents() -> None:
    assert _values(ACTIVE) == (("hepatitis B", "hepatitis C"), ("hepatitis B", "hepatitis C"))
    assert _values(ACTIVE_VIRAL)[1] == ("hepatitis", "hepatitis B", "hepatitis C")
    assert _values(UNCONTROLLED)[1] == ("HIV", "hepatitis B", "hepatitis C")
    assert _values(ACTIVE_OR_CHRONIC)[1] == ()
    assert _values(KNOWN)[1] == ()
    assert _values(LIST)[1] == ("HIV", "hepatitis B", "hepatitis C")  # told of the first of a list, it is the list's
    assert _values(EITHER)[1] == ()
    assert _values(INFECTION_OF)[1] == ("hepatitis B", "hepatitis C")  # the comorbid sample's CM097
    assert _values(ASIDES)[1] == ("hepatitis B", "hepatitis C")


def test_an_inactive_carrier_is_not_known_to_have_an_active_infection() -> None:
    assert _outcome(ACTIVE, CARRIER) is Outcome.UNKNOWN
    assert _outcome(ACTIVE_VIRAL, CARRIER) is Outcome.UNKNOWN
    assert _outcome(ACTIVE, {**CARRIER, "status": "active"}) is Outcome.VIOLATED
    # a chronic carrier is what "or chronic" and "infection with hepatitis B" name
    assert _outcome(ACTIVE_OR_CHRONIC, CARRIER) is Outcome.VIOLATED
    assert _outcome(KNOWN, CARRIER) is Outcome.VIOLATED
    # another agent of the list, active on file, still bars her
    hepatitis_c = {"name": "chronic hepatitis C", "status": "active"}
    found = outcome(list_trial(exclusions=(ACTIVE,)), ACTIVE, patient(conditions=[CARRIER, hepatitis_c]))
    assert found.outcome is Outcome.VIOLATED and found.reason == "chronic hepatitis C on file"


def test_controlled_hiv_is_not_known_to_be_an_uncontrolled_infection() -> None:
    hiv = {"name": "HIV infection", "status": "controlled on antiretroviral therapy"}
    assert _outcome(UNCONTROLLED, hiv) is Outcome.UNKNOWN
    assert _outcome(KNOWN, hiv) is Outcome.VIOLATED
