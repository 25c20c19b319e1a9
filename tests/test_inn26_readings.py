"""inn26: a drug the vocabulary does not hold, listed with one it does, is one of the therapies a fact names. "Must be
refractory to treatment with imatinib mesylate or dasatinib" (NCT00357305) was read as imatinib alone, so a patient
refractory to dasatinib was told she lacks it: a wrong `violated` from an incomplete reading (issue 10, item 3). The
unread names are found by their INN stem (-tinib, -mab, -taxel, ...) and matched by name; another name the vocabulary
does not hold may be one of them under a brand, which cannot be told."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import list_trial, therapy_facts
from tests.test_issue10_examples import outcome, with_therapies

REFRACTORY = "Must be refractory to treatment with imatinib mesylate or dasatinib"  # NCT00357305
CYCLES = (  # NCT03043989
    "Have received at least 4 cycles of docetaxel or cabazitaxel, and less than ten, with two consecutive rising PSA "
    "values, checked at least 7 days apart."
)
EXCLUDED_PAIR = "Prior treatment with topotecan or pemetrexed"  # NCT00315861 (exclusion)
NOT_LISTED = (  # NCT00558103: trastuzumab is not listed with a drug the fact reads
    "Disease progression or relapse following treatment for invasive breast cancer, which must have included a "
    "chemotherapy regimen. In regions where trastuzumab is available with no barriers to access*, patients must have "
    "received prior trastuzumab in addition to chemotherapy in order to be eligible. * (Barriers to access may include "
    "financial considerations.)"
)


def _progressed_on(name: str) -> dict[str, str]:
    return {"name": name, "kind": "systemic", "start": "2024-02-01", "end": "2025-06-30",
            "reason_stopped": "progression"}  # fmt: skip


def test_an_unread_alternative_is_read_by_its_name() -> None:
    (fact,) = therapy_facts("Inclusion", REFRACTORY)
    assert fact.values.drugs == ("drug.imatinib",) and fact.values.unread_drugs == ("dasatinib",)
    trial = list_trial(REFRACTORY)
    on_dasatinib = outcome(trial, "Must be refractory", with_therapies(_progressed_on("Dasatinib")))
    assert on_dasatinib.outcome is Outcome.SATISFIED
    # the patient's thyroid drug is neither: still violated, and the reason names both
    on_sorafenib = outcome(trial, "Must be refractory", with_therapies(_progressed_on("sorafenib")))
    assert on_sorafenib.outcome is Outcome.VIOLATED
    assert "imatinib or dasatinib" in on_sorafenib.reason
    # a brand the vocabulary does not hold may be dasatinib (Sprycel is): the coordinator reads the record
    on_brand = outcome(trial, "Must be refractory", with_therapies(_progressed_on("Sprycel")))
    assert on_brand.outcome is Outcome.UNKNOWN and "cannot tell whether Sprycel is" in on_brand.reason


def test_a_count_of_cycles_of_either_drug() -> None:
    (fact,) = therapy_facts("Inclusion", CYCLES)
    assert fact.values.unread_drugs == ("cabazitaxel",)
    given = outcome(list_trial(CYCLES), "Have received at least 4", with_therapies(_progressed_on("cabazitaxel")))
    assert given.outcome is Outcome.SATISFIED


def test_an_exclusion_bars_the_unread_drug_by_name_only() -> None:
    (fact,) = therapy_facts("Exclusion", EXCLUDED_PAIR)
    assert fact.values.unread_drugs == ("pemetrexed",)
    trial = list_trial(exclusions=(EXCLUDED_PAIR,))
    barred = outcome(trial, "Prior treatment with topotecan", with_therapies(_progressed_on("pemetrexed")))
    assert barred.outcome is Outcome.VIOLATED and "pemetrexed" in barred.reason
    assert outcome(trial, "Prior treatment with topotecan", with_therapies()).outcome is Outcome.SATISFIED


def test_a_drug_not_listed_with_one_read_is_not_taken_in() -> None:
    assert all(not f.values.unread_drugs for f in therapy_facts("Inclusion", NOT_LISTED))
