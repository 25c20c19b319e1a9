"""Rules of session 31's third round (mend50), from comorbid sample 48's two wrong exclusions: "active" before a list
reaches an agent named after "or viral" and a bracket ("active HIV or viral (A, B or C) hepatitis"); an inclusion that
ends on "or calculated" offers the next item as another way in ("Renal: Creatinine < 1.5 mg/dl. or calculated" /
"Creatinine clearance > 45 ml/min"), so neither item is asked alone. Each criterion below barred a profile that the
text, read as a coordinator would, does not bar: the outcome is now unknown or met, and the profile the text does bar
is still barred where the reading allows (issue 10, item 3)."""

from __future__ import annotations

from matcher.eligibility.parser import parse_text
from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient
from tests.test_mend41_readings import ACTIVE_HBV, CARRIER

ACTIVE_LIST = (  # NCT00345189 (exclusion): DH219
    "Active symptomatic fungal, bacterial and/or viral infection including active HIV or viral (A, B or C) hepatitis"
)
RENAL = (  # NCT00424840 (inclusion, two items of one lead-in): DH355
    "Inclusion Criteria:\n\n- Adequate organ function:\n\n  - Renal: Creatinine < 1.5 mg/dl. or calculated\n\n"
    "  - Creatinine clearance > 45 ml/min (NB: Urine protein:creatinine ratio in exclusion criteria)\n"
)


def test_active_reaches_an_agent_after_or_viral_and_a_bracket() -> None:
    assert item_outcome(ACTIVE_LIST, patient(conditions=[CARRIER]), "exclusion").outcome is not Outcome.VIOLATED
    assert item_outcome(ACTIVE_LIST, patient(conditions=[ACTIVE_HBV]), "exclusion").outcome is Outcome.VIOLATED


def test_an_item_ending_on_or_calculated_and_the_next_are_alternatives() -> None:
    renal = [c for c in parse_text(RENAL) if "reatinine" in c.text]
    assert len(renal) == 2
    for criterion in renal:
        assert [f.uncertain for f in criterion.facts] == [
            "one of alternatives laid out as separate criteria ('Renal: Creatinine < 1.5 mg/dl. or calculated')"
        ]
    # two ways to measure one test are no alternative laid out apart
    (clearance,) = parse_text(
        "Inclusion Criteria:\n\n- Renal: Creatinine clearance of ≥30mL/min, estimated or calculated\n"
    )
    assert [f.uncertain for f in clearance.facts] == [None]
