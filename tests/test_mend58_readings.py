"""Rules of session 32's sixth round (mend58), from comorbid sample 56's wrong exclusion and a misreading its readers
noted: a line asked only of a group of patients with another primary site, named before any limit it sets ("for
subjects with CLL and CML"); "upper normal limit", one more spelling of the upper limit of normal. Each criterion below
barred a profile that the text, read as a coordinator would, does not bar: the outcome is now unknown or met, and the
profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_facts
from tests.test_issue10_examples import item_outcome, patient

FOR_CLL_CML = (  # NCT01110473 (inclusion): DP007
    "Hematologic function for subjects with CLL and CML demonstrated by hemoglobin > 9 g/dL, platelets > 100,000/µL, "
    "ANC > 1500/mm3"
)
PLATELETS_98 = {"test": "platelets", "value": 98, "unit": "10^9/L", "date": "2026-11-03"}


def test_a_line_asked_of_another_cancers_patients_is_unknown() -> None:
    low = patient(labs=[PLATELETS_98])
    assert item_outcome(FOR_CLL_CML, low).outcome is Outcome.UNKNOWN
    assert item_outcome("Hematologic function demonstrated by platelets > 100,000/µL", low).outcome is Outcome.VIOLATED
    # a group told after a limit is its other value's, not the line's (NCT03511222)
    high = patient(labs=[{"test": "AST", "value": 150, "unit": "U/L", "date": "2026-11-03", "upper_limit": 40}])
    line = "AST ≤ 2.5 x IULN (≤ 5 x IULN for patients with liver metastases or hepatocellular carcinoma)"
    assert item_outcome(line, high).outcome is not Outcome.SATISFIED


def test_upper_normal_limit_is_the_upper_limit_of_normal() -> None:
    (bilirubin,) = item_facts("Inclusion", "Total bilirubin ≤ 1.5 x upper normal limit.", FactKind.LAB)
    assert (bilirubin.values.uln_multiple, bilirubin.values.value) == (1.5, None)
    ast, alt = item_facts("Inclusion", "SGOT/SGPT ≤ 4 upper normal limit", FactKind.LAB)
    assert (ast.values.uln_multiple, alt.values.uln_multiple) == (4.0, 4.0)
