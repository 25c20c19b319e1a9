"""Rules of session 32's second round (mend54), from comorbid sample 52's wrong exclusion and one reading mend53 left
short: a limit written as a "fold" of the upper limit of normal; a limit asked only "if" another is just missed
("..., if just below 60 mL/min then Glomerular Filtration Rate > 60 mL/min"); the examples after "e.g." as one
sentence, so a state told before them reaches every one. Each criterion below barred a profile that the text, read as
a coordinator would, does not bar: the outcome is now unknown or met, and the profile the text does bar is still
barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_facts
from tests.test_issue10_examples import item_outcome, patient
from tests.test_mend53_readings import CROHN_IN_REMISSION, POORLY_CONTROLLED

RENAL = (  # NCT01016860 (inclusion): DL310
    "Creatinine ≤ 1.5 fold ULN or calculated creatinine clearance, using the Cockcroft-Gault formula > 60 mL/min, if "
    "just below 60 mL/min then Glomerular Filtration Rate > 60 mL/min as determined by 24 hour urine collection"
)
HEPATIC = "Aspartate transaminase (AST) and alanine transaminase (ALT) ≤ 2.5 fold upper limit of normal (ULN)"


def _lab(test: str, value: float, unit: str, upper: float | None = None) -> dict[str, object]:
    lab: dict[str, object] = {"test": test, "value": value, "unit": unit, "date": "2026-11-04"}
    if upper is not None:
        lab["upper_limit"] = upper
    return lab


def test_a_fold_of_the_upper_limit_is_a_multiple_of_it() -> None:
    ast, alt = item_facts("Inclusion", HEPATIC, FactKind.LAB)
    assert (ast.values.uln_multiple, alt.values.uln_multiple) == (2.5, 2.5)
    assert ast.values.value is None  # not 2.5 U/L
    (excluded,) = item_facts("Exclusion", "Alanine aminotransferase (ALT) >2.5-fold ULN", FactKind.LAB)
    assert (excluded.values.op, excluded.values.uln_multiple) == (">", 2.5)


def test_a_limit_asked_only_if_another_is_just_missed_is_no_limit_of_its_own() -> None:
    # creatinine 1.3 against an upper limit of 1.1 (1.18-fold) meets the first alternative; the eGFR of 40 fails only
    # the limit asked "if just below 60"
    kidney = patient(labs=[_lab("creatinine", 1.3, "mg/dL", upper=1.1), _lab("eGFR", 40, "mL/min/1.73m2")])
    assert item_outcome(RENAL, kidney).outcome is not Outcome.VIOLATED
    # the fold limit alone decides: 1.8-fold fails it, 1.18-fold meets it
    high = patient(labs=[_lab("creatinine", 2.0, "mg/dL", upper=1.1)])
    assert item_outcome("Creatinine ≤ 1.5 fold ULN", high).outcome is Outcome.VIOLATED
    assert item_outcome("Creatinine ≤ 1.5 fold ULN", kidney).outcome is Outcome.SATISFIED


def test_a_state_before_examples_reaches_each_example() -> None:
    colitis = patient(conditions=[{"name": "ulcerative colitis", "status": "in remission on mesalamine"}])
    assert item_outcome(POORLY_CONTROLLED, colitis, "exclusion").outcome is Outcome.UNKNOWN
    assert item_outcome(POORLY_CONTROLLED, patient(conditions=[CROHN_IN_REMISSION]), "exclusion").outcome is (
        Outcome.UNKNOWN
    )
