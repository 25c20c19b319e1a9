"""both26: therapies asked "both" are asked together, not any one of them. A requirement of "both a taxane and an
anthracycline" was read as either, so a patient who had one of them met it, and the reason said "trial: 1+ anthracycline
or taxane" (fresh samples' reasons judged untrue: NCT00306631, NCT00082433, NCT02103335); an exclusion of the pair
("Prior treatment with both pemetrexed and docetaxel chemotherapy") barred a patient who had docetaxel alone.
Issue 10, item 3: violated only from a complete reading."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import list_trial, therapy_facts
from tests.test_issue10_examples import outcome, with_therapies

TAXANE_AND_ANTHRACYCLINE = (  # NCT00306631 (inclusion)
    "Must have failed both a taxane and an anthracycline, given sequentially or in combination, either in an adjuvant "
    "or metastatic setting"
)
WITH_EXAMPLES = (  # NCT00082433 (inclusion): the examples in brackets stand between the two
    "Patients must have received prior treatment which included both an anthracycline (i.e., doxorubicin or "
    "epirubicin) and a taxane (i.e., paclitaxel or docetaxel)."
)
PAIR_EXCLUDED = "Prior treatment with both pemetrexed and docetaxel chemotherapy"  # NCT00660816 (exclusion)
NOT_BOTH = (  # NCT00329004 (inclusion)
    "Treatment with VEGFR2 or HER1 TKI allowed but not both (for instance Avastin or Tarceva, but not both)"
)


def _given(*drugs: str) -> list[dict[str, str]]:
    """Systemic therapies of ``drugs``, given together in 2023."""
    return [{"name": d, "kind": "systemic", "start": "2023-01-10", "end": "2023-09-01"} for d in drugs]


def test_a_requirement_of_both_is_a_requirement_of_each() -> None:
    for text in (TAXANE_AND_ANTHRACYCLINE, WITH_EXAMPLES):
        facts = therapy_facts("Inclusion", text)
        assert sorted(f.values.classes for f in facts) == [("class.anthracycline",), ("class.taxane",)], text
        assert all(f.uncertain is None for f in facts)
    lines = therapy_facts(
        "Inclusion",  # NCT02103335
        "Previously received 1 or more lines of anti-myeloma therapy that must have included both lenalidomide and "
        "bortezomib (either separately or in combination).",
    )
    assert sorted(f.values.drugs for f in lines) == [("drug.bortezomib",), ("drug.lenalidomide",)]


def test_one_of_the_two_does_not_meet_both() -> None:
    trial = list_trial(WITH_EXAMPLES)
    one = outcome(trial, "Patients must have received", with_therapies(*_given("paclitaxel")))
    assert one.outcome is Outcome.VIOLATED
    assert "no anthracycline (trial: 1+ anthracycline)" in one.reason and "taxane" not in one.reason.split(";")[0]
    assert outcome(
        trial, "Patients must have received", with_therapies(*_given("doxorubicin", "paclitaxel"))
    ).outcome is (Outcome.SATISFIED)


def test_an_exclusion_of_the_pair_does_not_bar_one_of_them() -> None:
    (fact,) = therapy_facts("Exclusion", PAIR_EXCLUDED)
    assert fact.uncertain and "together" in fact.uncertain
    (allowed,) = therapy_facts("Inclusion", NOT_BOTH)
    assert allowed.uncertain and "together" in allowed.uncertain
    trial = list_trial(
        "Adults",
        exclusions=(PAIR_EXCLUDED,),
    )
    assert outcome(trial, "Prior treatment with both", with_therapies(*_given("docetaxel"))).outcome is Outcome.UNKNOWN


def test_both_elsewhere_in_the_line_is_not_a_pair_of_therapies() -> None:
    # "both" of the classes' kinds, after the therapy the exclusion bars (NCT01039948): chemotherapy stays barred alone
    line = (
        "Prior chemotherapy or prior treatment with epidermal growth factor receptor (EGFR) inhibitor, including both "
        "tyrosine kinase inhibitors and monoclonal antibodies."
    )
    facts = therapy_facts("Exclusion", line)
    assert facts and all(f.uncertain is None for f in facts)
    # a count over the pair stays one fact: the lines are counted, not each therapy
    (counted,) = therapy_facts("Inclusion", "At least 3 prior lines including both a taxane and an anthracycline")
    assert counted.values.min_count == 3
