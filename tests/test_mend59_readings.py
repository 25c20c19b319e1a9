"""Rules of session 32's seventh round (mend59): an infection barred only on a treatment it is on ("HIV-positive
patients on combination antiretroviral therapy are ineligible"), which eleven items of samples 50-56 judged right
through HIV alone (`reason_ok` false): the line now bars the HIV on that therapy, with the therapy as its reason, and
leaves an HIV on no such therapy unknown (issue 10, item 3)."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient
from tests.test_mend41_readings import HIV

ON_CART = "HIV-positive patients on combination antiretroviral therapy are ineligible"  # NCT02782182: DK233
RECEIVING = "HIV-positive patients receiving anti-retroviral therapy (HAART) are excluded from the study"  # NCT00634751
HIV_UNTREATED = {"name": "HIV infection", "status": "newly diagnosed, not on treatment"}


def test_an_infection_barred_on_a_therapy_it_is_on_bars_the_treated_one() -> None:
    on_art = item_outcome(ON_CART, patient(conditions=[HIV]), "exclusion")
    assert on_art.outcome is Outcome.VIOLATED and "combination antiretroviral therapy" in on_art.reason
    assert item_outcome(ON_CART, patient(conditions=[HIV_UNTREATED]), "exclusion").outcome is Outcome.UNKNOWN
    assert item_outcome(RECEIVING, patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED
    assert item_outcome(RECEIVING, patient(conditions=[HIV_UNTREATED]), "exclusion").outcome is Outcome.UNKNOWN
    # the line that bars any HIV still does
    assert item_outcome("Known HIV infection", patient(conditions=[HIV_UNTREATED]), "exclusion").outcome is (
        Outcome.VIOLATED
    )
