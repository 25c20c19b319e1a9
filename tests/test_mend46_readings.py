"""Rules of session 30's fifth round (mend46), from comorbid sample 45's one wrong exclusion: a multiple of normal after
"or" beside a limit in units ("serum creatinine < 1.5 mg/dL OR 1.5 x institutional normal") is another way in, not
read: a creatinine past the first limit is unknown, one within it still meets the line (issue 10, item 3)."""

from __future__ import annotations

from typing import Any

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient

OR_NORMAL = "serum creatinine < 1.5 mg/dL OR 1.5 x institutional normal"  # NCT02065466 (inclusion): DE142


def _creatinine(value: float) -> dict[str, Any]:
    lab = {"test": "creatinine", "value": value, "unit": "mg/dL", "date": "2026-11-06", "upper_limit": 1.3}
    return patient(labs=[lab])


def test_a_multiple_of_normal_after_or_is_another_way_in() -> None:
    found = item_outcome(OR_NORMAL, _creatinine(1.7))  # DE142: 1.7 is within 1.5 x 1.3
    assert found.outcome is Outcome.UNKNOWN and "another limit after 'or'" in found.reason
    assert item_outcome(OR_NORMAL, _creatinine(1.2)).outcome is Outcome.SATISFIED
    # one limit alone still decides
    assert item_outcome("serum creatinine < 1.5 mg/dL", _creatinine(1.7)).outcome is Outcome.VIOLATED
