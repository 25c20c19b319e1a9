"""Rules of session 35's first round (mend70), from comorbid sample 64's DX104: a lab limit waived "unless abnormality
is caused by documented benign disease" is not decided for a patient with a benign disease of the test's organ on file,
and stands for one without (issue 10, item 3). The line is quoted from the registry text."""

from __future__ import annotations

from typing import Any

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient

SGOT = (  # NCT00356941, DX104
    "Serum glutamic oxaloacetic transaminase (SGOT) ≤ 1.5 times upper limit of normal (unless abnormality is caused "
    "by documented benign disease)"
)
AST_62 = [{"test": "AST", "value": 62, "unit": "U/L", "date": "2026-11-18", "upper_limit": 40}]


def with_conditions(*conditions: tuple[str, str]) -> dict[str, Any]:
    return patient(labs=AST_62, conditions=[{"name": name, "status": status} for name, status in conditions])


def test_a_limit_waived_for_a_benign_cause_is_not_decided_beside_a_benign_disease_of_its_organ() -> None:
    result = item_outcome(SGOT, with_conditions(("drug-induced liver injury (isoniazid)", "grade 1")))
    assert result.outcome is Outcome.UNKNOWN
    assert "drug-induced liver injury (isoniazid)" in result.reason
    assert "62" in result.reason


def test_the_waived_limit_stands_without_such_a_disease() -> None:
    # no condition of the liver on file (DQ371's profile), one of another organ, one that is over, a liver cancer
    for conditions in (
        (),
        (("iron deficiency anemia", "active"),),
        (("hepatitis A", "resolved 2001"),),
        (("liver metastases", "progressing"),),
    ):
        assert item_outcome(SGOT, with_conditions(*conditions)).outcome is Outcome.VIOLATED, conditions


def test_an_exception_for_another_cause_is_not_the_benign_one() -> None:
    # "unless due to tumor obstructing the ureters" (CS031, judged right beside chronic kidney disease): no waiver read
    line = "Creatinine clearance > 50 mL/min (unless due to tumor obstructing the ureters)"
    doc = patient(
        labs=[{"test": "creatinine clearance", "value": 38, "unit": "mL/min", "date": "2026-11-06"}],
        conditions=[{"name": "chronic kidney disease stage 3b", "status": "stable"}],
    )
    assert item_outcome(line, doc).outcome is Outcome.VIOLATED
