"""Therapy 9 (issue 10; tests/audit/therapy9_changes.txt): fresh sample 14's prior-therapy items judged wrong, by class
of phrasing, each quoting the registry text it came from: a current therapy with its own discontinuation period (a
washout), a condition that precludes a therapy, a therapy during the study's treatment period, and a therapy for
another cancer named after a list of therapies are uncertain; an anticancer treatment whose examples name a
radiotherapy is not only a systemic one."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Polarity
from tests.readings import therapy_facts as _therapy

UNCERTAIN = [
    (
        "Concurrent anti-cancer therapy (chemotherapy, radiation therapy, surgery, immunotherapy, hormonal therapy, "
        "biologic therapy) other than the ones specified in the protocol. Patients must have discontinued the above "
        "cancer therapies for 1 week prior to the first dose of study medication, as well as recovered from toxicity "
        "(to ≤ than grade 1, except for alopecia) induced by previous treatments.",
        "own discontinuation period",
    ),  # NCT01918306 (U146)
    (
        "Gross ascites seen on CT that precludes accurate targeting of the tumor with radiation therapy",
        "a condition precludes",
    ),  # NCT00426829 (U180)
    (
        "E-11. Administration of other simultaneous chemotherapy drugs, any other anticancer therapy or "
        "anti-neoplastic hormonal therapy, or simultaneous radiotherapy during the trial treatment period (hormonal "
        "replacement therapy is permitted as are steroidal antiemetics).",
        "during the study",
    ),  # NCT02477644 (U209)
    (
        "Treatment including radiation therapy, chemotherapy, biotherapy, and/or hormonal therapy administered for "
        "the currently diagnosed breast cancer prior to study entry.",
        "another cancer",
    ),  # NCT00365417 (U178)
]


@pytest.mark.parametrize(("line", "reason"), UNCERTAIN)
def test_therapy_9_uncertain(line: str, reason: str) -> None:
    facts = [f for f in _therapy("Exclusion", line) if f.polarity is Polarity.EXCLUDE]
    first = facts[0]
    assert first.uncertain and reason in first.uncertain, [(f.values, f.uncertain) for f in facts]


def test_therapy_9_anticancer_treatment_with_radiotherapy_examples() -> None:
    """ "Received at least once anti-cancer treatment (including chemotherapy, radiotherapy, ...)" (NCT01278810,
    U158): radiotherapy (and radioiodine) meet it, not only a systemic therapy."""
    facts = _therapy(
        "Inclusion",
        "Received at least once anti-cancer treatment (including chemotherapy, radiotherapy, biological or endocrine "
        "treatment). And the last treatment must be at least four weeks before study enrollment or more than 5 times "
        "half life.",
    )
    first = facts[0]
    assert first.polarity is Polarity.REQUIRE and first.uncertain is None
    assert set(first.values.categories) == {"systemic", "radiotherapy", "radioiodine"}


def test_therapy_9_keeps_a_plain_concurrent_exclusion() -> None:
    """A concurrent therapy with no discontinuation period of its own stays a certain exclusion of an ongoing one."""
    facts = _therapy(
        "Exclusion",
        "Concurrent anti-cancer therapy (chemotherapy, radiation therapy, surgery, immunotherapy, hormonal therapy, "
        "biologic therapy) other than the ones specified in the protocol.",
    )
    assert facts and facts[0].values.ongoing and facts[0].uncertain is None
