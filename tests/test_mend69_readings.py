"""Rules of session 34's fifth round (mend69), from comorbid sample 65's DY329: a line that bars women able to become
pregnant "(or already pregnant or lactating)" and then lets in "those who have a negative ... pregnancy test ... and
agree to use two highly effective forms of contraception" does not decide a woman breast-feeding now (issue 10, item 3).
The line is quoted from the registry text."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient

NURSING = {"breastfeeding": True, "pregnant": False}


def test_a_breastfeeding_ban_a_later_sentence_lifts_on_terms_is_not_decided() -> None:
    line = (  # NCT02055690, DY329
        "Female patients who are able to become pregnant (or are already pregnant or lactating). Those who have a "
        "negative serum or urine pregnancy test before enrolment and agree to use two highly effective forms of "
        "contraception for four weeks before entering the trial, during the trial and for six months afterwards are "
        "considered eligible."
    )
    assert item_outcome(line, patient(**NURSING), "exclusion").outcome is Outcome.UNKNOWN
    assert item_outcome("Pregnant or lactating women.", patient(**NURSING), "exclusion").outcome is Outcome.VIOLATED
