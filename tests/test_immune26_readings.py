"""immune26: an immunodeficiency, or a pneumonitis, is no autoimmune disease. The autoimmune concept holds all three
(its phrases: "immunodeficiency", "immunocompromised", "pneumonitis", "interstitial lung disease"), and each was
named "autoimmune disease", whose lookup word "autoimmune" a thyroid patient's "autoimmune thyroiditis" on file
meets: "History of interstitial pneumonitis or pulmonary fibrosis" (NCT00115765) excluded her, and under lead26's
all-of reading so did "Altered immunodeficiency" (NCT00088933; a blind reader's L01). Each is now named, and looked
up, for what it is."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_facts, list_trial
from tests.test_issue10_examples import outcome, patient

PNEUMONITIS = (  # NCT00115765 (exclusion)
    "History of interstitial pneumonitis or pulmonary fibrosis or evidence of interstitial pneumonitis or pulmonary "
    "fibrosis on baseline chest X-ray or CT-scan"
)
# NCT00048893
IMMUNODEFICIENT = "Immunodeficient or immunosuppressed persons by disease or therapy, including HIV infection"
AUTOIMMUNE = (  # NCT02256436 (exclusion)
    "Active autoimmune disease requiring systemic treatment within the past 3 months or a documented history of "
    "clinically severe autoimmune disease, or a syndrome that requires systemic or immunosuppressive agents"
)


def _conditions(line: str) -> list[str]:
    return [name for f in item_facts("Exclusion", line, FactKind.CONDITION) for name in f.values.conditions]


def test_each_condition_is_named_for_what_it_is() -> None:
    # apart since mend63 ("pulmonary fibrosis" is interstitial lung disease)
    assert _conditions(PNEUMONITIS) == ["pneumonitis", "interstitial lung disease"]
    assert _conditions(IMMUNODEFICIENT) == ["immunodeficiency"]
    assert _conditions(AUTOIMMUNE) == ["autoimmune disease"]


def test_autoimmune_thyroiditis_is_not_a_pneumonitis() -> None:
    thyroiditis = patient(conditions=[{"name": "autoimmune thyroiditis", "status": "stable"}])
    found = outcome(list_trial(exclusions=(PNEUMONITIS,)), "History of interstitial", thyroiditis)
    assert found.outcome is Outcome.UNKNOWN  # not on file is not known to be absent
    pneumonitis = patient(conditions=[{"name": "radiation pneumonitis", "status": "active"}])
    assert outcome(list_trial(exclusions=(PNEUMONITIS,)), "History of interstitial", pneumonitis).outcome is (
        Outcome.VIOLATED
    )
