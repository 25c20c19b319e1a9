"""Rules of session 35's third round (mend72), from comorbid sample 67's EA059: an infection asked "requiring
parenteral antibiotics" after a comma is still asked that state (issue 10, item 3). The line is quoted from the
registry text."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient
from tests.test_mend71_readings import WOUND

LINE = (  # NCT01185964, EA059
    "The participant has an uncontrolled intercurrent illness including, but not limited to, ongoing or active "
    "infection, requiring parenteral antibiotics, symptomatic congestive heart failure, severe myocardial "
    "insufficiency, cardiac arrhythmia, or psychiatric illness/social situations that would limit compliance with "
    "study requirements."
)


def test_an_infection_requiring_parenteral_antibiotics_after_a_comma_asks_that_state() -> None:
    found = item_outcome(LINE, patient(conditions=[WOUND]), "exclusion")
    assert found.outcome is Outcome.UNKNOWN, found.reason
    on_iv = {"name": "neck wound infection", "status": "active, on intravenous antibiotics"}
    assert item_outcome(LINE, patient(conditions=[on_iv]), "exclusion").outcome is Outcome.VIOLATED


def test_a_comma_does_not_join_another_condition_s_state_to_the_infection() -> None:
    line = "Active infection, uncontrolled diabetes or uncontrolled hypertension"
    assert item_outcome(line, patient(conditions=[WOUND]), "exclusion").outcome is Outcome.VIOLATED
