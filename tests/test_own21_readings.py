"""own21 (tests/audit/own21_changes.txt): a current use of what is likely the study's own drug is read as uncertain;
"may have not received" stays the prohibition the trials mean (the lead kept the 19 judgements that read it so). Each
row quotes registry text of the tuning corpora with the trial it came from."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind, Polarity
from tests.readings import item_facts, line_facts, list_text

# NCT02138526 (HINT text, no interventions field): its exclusions speak of the investigational product and of
# pazopanib's pharmacokinetics
_PAZOPANIB = list_text(
    "≥ 18 year old men and women who use pazopanib",
    exclusions=(
        "Major surgery or trauma within 28 days prior to first dose of investigational product",
        "Concurrent use of other substances known or likely to interfere with the pharmacokinetics of pazopanib.",
    ),
)


def test_current_use_of_the_study_drug_is_uncertain() -> None:
    facts = line_facts(_PAZOPANIB, "≥ 18 year old men and women who use pazopanib", FactKind.PRIOR_THERAPY)
    assert len(facts) == 1
    assert facts[0].polarity is Polarity.REQUIRE and facts[0].uncertain


def test_current_use_without_an_investigational_product_is_kept() -> None:
    # the line alone: nothing says the drug is the study's own
    facts = item_facts("Inclusion", "≥ 18 year old men and women who use pazopanib", FactKind.PRIOR_THERAPY)
    assert len(facts) == 1 and not facts[0].uncertain


def test_may_have_not_received_stays_a_prohibition() -> None:
    # NCT03602495 and NCT02870569 (donafenib thyroid trials), inclusion; their exclusion says the same ("Prior
    # treatment to TKI or other molecular targeted drugs"): AD318, U397 and 17 more judged the prohibition right
    facts = item_facts(
        "Inclusion", "Subjects may have not received molecular targeted therapy;", FactKind.PRIOR_THERAPY
    )
    assert len(facts) == 1 and facts[0].polarity is Polarity.EXCLUDE and not facts[0].uncertain


def test_may_not_have_received_stays_a_prohibition() -> None:
    # NCT00087451: the registry idiom "may not have" (= must not); the recurrence doubt aside, never a requirement
    facts = item_facts(
        "Inclusion",
        "Patients may not have received any systemic therapy for the treatment of this recurrence or relapse",
        FactKind.PRIOR_THERAPY,
    )
    assert facts and all(f.polarity is Polarity.EXCLUDE for f in facts)
    assert not any("slip" in (f.uncertain or "") for f in facts)
