"""Review rev14 (issue 10) of prog14 and therapy 9: readings their new rules must keep, each quoting registry text."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.parser import parse_text


def test_rev14_lead_in_exclusion_of_the_mtd_cohort_is_kept_as_that_cohorts() -> None:
    """NCT00268905: the lead-in's exclusion item is kept (a prohibition), as the MTD cohort's, not dropped."""
    criteria = parse_text(
        "Exclusion Criteria:\n\n"
        "- For NSCLC patients at the MTD, the following additional exclusion criterion must be fulfilled:\n\n"
        "  - Patients who have had a prior malignancy, other than carcinoma in situ of the cervix, or non-melanoma "
        "skin cancer, unless the prior malignancy was diagnosed and definitively treated ≥ five years previously "
        "with no subsequent evidence of recurrence.\n"
    )
    item = criteria[-1]
    assert [f.kind for f in item.facts] == [FactKind.OTHER_MALIGNANCY]
    assert item.facts[0].polarity is Polarity.EXCLUDE
    assert item.scope is not None
    assert [x.kind for x in item.scope.conditions] == ["cohort"]


def test_rev14_group_named_by_its_disease_is_not_a_subgroup() -> None:
    """NCT00559507: "Patients with locally advanced, unresectable disease must have progression of disease following
    no more than one first-line chemotherapy regimen": a group named by its disease is not one of the progression rule's
    therapy/biomarker groups; nothing here is read as asked of a group only."""
    criteria = parse_text(
        "Inclusion Criteria:\n\n- Patients with locally advanced, unresectable disease must have progression of "
        "disease following no more than one first-line chemotherapy regimen\n"
    )
    facts = [f for c in criteria for f in c.facts]
    assert facts
    assert not any(f.uncertain and "group of patients" in f.uncertain for f in facts)
    assert all(f.polarity is Polarity.REQUIRE for f in facts)
