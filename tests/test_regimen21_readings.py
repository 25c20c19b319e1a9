"""Regimen 21 (issue 10; tests/audit/regimen21_changes.txt): prior-therapy requirements the text does not tell as
systemic, each quoting the registry text it came from. A "regimen of therapy" not told as systemic may be a radioiodine
or a radiotherapy, so a count it leaves unmet is uncertain when those, counted too, would meet it (samples 22 and 23's
AC151 and AD170); a standard therapy named as the alternative of a chemotherapy qualifies too, and for a thyroid cancer
may be a local one (AC228 and AD235). A line told as systemic stays unmet by radioiodine alone (AC186, AC298)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from matcher.eligibility.criteria import Polarity
from matcher.eligibility.kinds.therapy import evaluate
from matcher.knowledge_base import load_knowledge
from matcher.patient import load_patient
from tests.readings import therapy_facts

KB = load_knowledge()
ON = date(2026, 12, 5)
ROOT = Path(__file__).parents[1]
# surgery, external beam radiotherapy and radioiodine, no systemic therapy (topic 11's patient: AC151, AC228)
TOPIC11 = load_patient(ROOT / "examples" / "trec2021-topic11.json").patient
# three radioiodine treatments, then lenvatinib stopped for progression (the RAIR papillary example: AD170, AD235)
RAIR_PAPILLARY = load_patient(ROOT / "examples" / "rair-papillary-braf.json").patient
assert TOPIC11.therapies is not None and RAIR_PAPILLARY.therapies is not None
SURGERY_ONLY = replace(TOPIC11, therapies=TOPIC11.therapies[:1])
LENVATINIB_ONLY = replace(RAIR_PAPILLARY, therapies=RAIR_PAPILLARY.therapies[-1:])

# NCT01126450
REGIMENS_OF_THERAPY = "Subjects must have received prior treatment with at least 2 prior regimens of therapy"
STANDARD_THERAPY = (
    "Patients must have previously received prior first line standard therapy (or effective salvage chemotherapy "
    "regimens) for their disease, if known to be effective for that disease, and have been either non-responders "
    "(progressive disease) or have recurred."
)  # NCT02153905


def test_regimen21_regimens_of_therapy_may_be_radioiodine() -> None:
    """AC151 and AD170 (judged wrong when violated): two regimens of therapy, not told as systemic."""
    (fact,) = therapy_facts("Inclusion", REGIMENS_OF_THERAPY)
    assert fact.polarity is Polarity.REQUIRE and fact.uncertain is None
    assert (fact.values.categories, fact.values.min_count) == (("systemic",), 2)
    assert fact.values.maybe_categories == ("radioiodine", "radiotherapy")
    for patient in (TOPIC11, RAIR_PAPILLARY):  # radiotherapy and radioiodine; radioiodine and one kinase inhibitor
        found = evaluate(fact, patient, ON, KB)
        assert found.has is None and found.reason.startswith("reading uncertain: "), found
    assert evaluate(fact, SURGERY_ONLY, ON, KB).has is False  # surgery is not counted
    assert evaluate(fact, LENVATINIB_ONLY, ON, KB).has is False  # one regimen, nothing else that could count


def test_regimen21_a_systemic_therapy_enough_for_the_count_is_the_treatment() -> None:
    """Sorafenib stopped for toxicity after two radioiodine treatments (therapy 8's G169, judged right): the previous
    anti-tumor treatment regimen is the sorafenib, as many systemic therapies as the line asks, and she did not
    progress on it."""
    (fact,) = therapy_facts("Inclusion", "Progressive disease following the previous anti-tumor treatment regimen")
    sorafenib = load_patient(ROOT / "examples" / "ret-fusion-papillary.json").patient
    assert evaluate(fact, sorafenib, ON, KB).has is False


def test_regimen21_standard_therapy_alternative_is_uncertain() -> None:
    """AC228 and AD235 (judged wrong when violated): the chemotherapy is one alternative of any first-line standard
    therapy, which for a thyroid cancer may be surgery, radioiodine, radiotherapy or a kinase inhibitor."""
    facts = therapy_facts("Inclusion", STANDARD_THERAPY)
    assert facts and all(f.uncertain and "first line standard therapy" in f.uncertain for f in facts), facts


@pytest.mark.parametrize(
    "line",
    [
        # AC186 (judged right): a standard care told as systemic is a systemic therapy, which radioiodine is not
        "Patients must have previously received at least one systemic standard care (or effective salvage "
        "chemotherapy regimens) for metastatic or unresectable disease, if known to be effective for that disease, "
        "and have been either non-responders (progressive disease) or have recurred.",  # NCT01583686
        # AC298 (judged right): a line told as systemic
        "Progression after at least first-line systemic therapy for metastatic disease",  # NCT02835833
    ],
)
def test_regimen21_systemic_lines_stay_unmet_by_radioiodine(line: str) -> None:
    facts = [f for f in therapy_facts("Inclusion", line) if f.uncertain is None]
    assert facts and all(not f.values.maybe_categories for f in facts), facts
    assert all(evaluate(f, TOPIC11, ON, KB).has is False for f in facts)


@pytest.mark.parametrize(
    "line",
    [
        # a bare regimen is not widened (therapy 15's T347, judged right for a radioiodine-only patient)
        "Must have achieved a response (partial response [PR] or better based on investigator's determination of "
        "response by the IMWG criteria) to at least 1 prior regimen in the past",  # NCT02136134
        # a regimen told by its kind
        "Progression of disease after only one prior platinum containing chemotherapy regimen.",  # NCT00397293
    ],
)
def test_regimen21_regimens_told_or_bare_are_not_widened(line: str) -> None:
    facts = [f for f in therapy_facts("Inclusion", line) if f.uncertain is None]
    assert facts and all(not f.values.maybe_categories for f in facts), facts
