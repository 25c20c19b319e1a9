"""Rules of session 33's fifth round (mend64), from comorbid sample 62: brain metastases asked as a kind the profile
does not record ("hemorrhagic") or as the only site ("cerebral metastases alone") are not decided by its brain
metastases; a pregnancy-testing schedule to adhere to bars no pregnancy (issue 10, item 3). Each line is quoted from
the registry text."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient
from tests.test_mend63_readings import ACTIVE_BRAIN, PREGNANT


def test_brain_metastases_of_a_kind_or_alone_are_not_decided() -> None:
    doc = patient(**ACTIVE_BRAIN)
    for line in ("Known hemorrhagic brain metastasis.", "No patients with cerebral metastases alone"):  # DV017, DV018
        assert item_outcome(line, doc, "exclusion").outcome is Outcome.UNKNOWN, line
    assert item_outcome("Known brain metastases", doc, "exclusion").outcome is Outcome.VIOLATED


def test_a_testing_schedule_bars_no_pregnancy() -> None:
    line = (  # NCT02030483, DV376
        "Females of reproductive potential must adhere to the scheduled pregnancy testing as required in the Revlimid "
        "REMS program."
    )
    assert item_outcome(line, patient(**PREGNANT)).outcome is not Outcome.VIOLATED
    assert item_outcome("Must have a negative pregnancy test", patient(**PREGNANT)).outcome is Outcome.VIOLATED
