"""rev20 (issue 10; tests/audit/rev20_changes.txt): neg20's shared-word rule keeps a negation out of the items past its
comma when one of them ends on a word the clause named before the negation (`CriterionText._next_alternative`). That
is a guess from one word: right in NCT01165216's list of stages, wrong in a list that only happens to end on such a
word, where lifting the negation turns an exclusion into a requirement. So what is read of an item freed that way is
uncertain: it can satisfy, never violate."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from tests.readings import item_facts

EXTENT, BRAIN, HISTOLOGY = FactKind.DISEASE_EXTENT, FactKind.BRAIN_METASTASES, FactKind.HISTOLOGY
GUESS = "a negation before the comma may or may not reach this item"


FREED_BY_A_SHARED_WORD = [
    # NCT01988493: "advanced HCC of BCLC Stage C" is the second way in, after intermediate HCC "who were not eligible
    # for surgical ... therapies": read as required, uncertain (the first way in is not read)
    "Participants were either intermediate HCC of BCLC Stage B, who were not eligible for surgical and/or "
    "local-regional therapies or who had progressive disease (PD) after surgical and/or local-regional therapies "
    "(note: the local-regional therapy must not contain sorafenib), or advanced HCC of BCLC Stage C",
    # NCT01165216 (fresh sample 20's AA095): stage IV is a way in, uncertain on both counts (extent20's too)
    "Histologically or cytologically documented nonsmall-cell lung cancer (NSCLC) presenting as stage IIIB disease "
    "without indications for definitive radiotherapy, stage IV disease, or recurrent disease following radiation "
    "therapy or surgical resection",
]


@pytest.mark.parametrize("line", FREED_BY_A_SHARED_WORD, ids=["NCT01988493", "NCT01165216"])
def test_an_alternative_freed_from_a_negation_by_one_shared_word_is_uncertain(line: str) -> None:
    [extent] = item_facts("Inclusion", line, EXTENT)
    assert extent.polarity is Polarity.REQUIRE and extent.uncertain and GUESS in extent.uncertain


def test_a_list_that_only_ends_on_a_shared_word_never_gains_a_requirement_that_excludes() -> None:
    # rev20's probes: constructed lines, not registry text, in the form of the lists the shared word misreads (what
    # the negation negates is an ordinary list whose last item happens to end on a word the clause named before it)
    line = (
        "Patients with measurable disease, without prior radioiodine, prior lenvatinib, or brain metastases from their"
        " disease"
    )
    [brain] = item_facts("Inclusion", line, BRAIN)
    assert brain.uncertain and GUESS in brain.uncertain
    line = (
        "Histologically confirmed thyroid carcinoma without anaplastic transformation, medullary carcinoma, or poorly "
        "differentiated carcinoma"
    )
    facts = item_facts("Inclusion", line, HISTOLOGY)
    required = [f for f in facts if f.polarity is Polarity.REQUIRE]
    assert required and all(f.uncertain and GUESS in f.uncertain for f in required)
    # what stands before the comma keeps its certain reading: anaplastic transformation excluded
    assert any(f.polarity is Polarity.EXCLUDE and not f.uncertain for f in facts)
