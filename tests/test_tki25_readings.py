"""tki25: a kinase-inhibitor class whose target is told right after it ("tyrosine kinase inhibitor that targets VEGF
receptors") is that target's class, not every tyrosine kinase inhibitor: read whole, NCT00619424's exclusion barred a
patient on selpercatinib, a RET inhibitor (fresh sample 13's T046: "the reading widened the qualifier to any TKI").
Issue 10, item 3: violated only from a complete reading."""

from __future__ import annotations

from typing import Any

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import list_trial, one_criterion
from tests.test_issue10_examples import outcome, with_therapies

VEGFR_TKI = (  # NCT00619424 (exclusion)
    "Prior use of an investigational or licensed tyrosine kinase inhibitor that targets VEGF receptors. Note: Prior "
    "use of bevacizumab is allowed."
)


def _on(drug: str) -> dict[str, Any]:
    return with_therapies({"name": drug, "kind": "systemic", "start": "2024-03-01"})


def test_the_target_after_the_class_narrows_it() -> None:
    (fact,) = [f for f in one_criterion(VEGFR_TKI, "Exclusion").facts if f.kind is FactKind.PRIOR_THERAPY]
    assert fact.values.classes == ("class.vegfr_mki",)
    assert (
        one_criterion("Prior tyrosine kinase inhibitor targeting VEGFR, PDGFR and KIT", "Exclusion").facts[0].uncertain
    )


def test_a_ret_inhibitor_is_not_a_tki_that_targets_vegf_receptors() -> None:
    trial = list_trial(
        "Adults",
        exclusions=(VEGFR_TKI,),
    )
    assert outcome(trial, "Prior use of an investigational", _on("selpercatinib")).outcome is Outcome.SATISFIED
    assert outcome(trial, "Prior use of an investigational", _on("lenvatinib")).outcome is Outcome.VIOLATED
