"""Rules of session 32's fourth round (mend56), from comorbid sample 54's three wrong exclusions: an exclusion of other
cancers whose sub-item lets a treated one in on terms a profile does not record; a hepatitis among the examples of "a
known active fungal, bacterial, or viral infection"; an HIV asked with a CD4 count. Each criterion below barred a
profile that the text, read as a coordinator would, does not bar: the outcome is now unknown, and the profile the text
does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.eligibility.criteria import Criterion
from matcher.eligibility.parser import parse_text
from matcher.matching.evaluate import Outcome, TrialInfo
from tests.test_issue10_examples import item_outcome, outcome, patient
from tests.test_mend41_readings import HIV

ANOTHER = (
    "Patients with evidence of another malignancy (exclusive of a skin cancer that requires only local treatment);"
)
LET_INS = (  # NCT02548468 (exclusion): DN103
    "Patients with prior malignancies diagnosed> 5 years ago without evidence of disease are eligible.",
    "Patients with prior malignancy treated < 5 years ago but have a life expectancy of > 5 years for that malignancy "
    "are eligible.",
)
ACTIVE_EXAMPLES = (  # NCT02451943 (exclusion): DN166
    "The participant has a known active fungal, bacterial, or viral infection including human immunodeficiency virus "
    "(HIV) or viral (A, B, or C) hepatitis (screening is not required)."
)
CD_COUNTS = (  # NCT01260714 (exclusion): DN227
    "Human immunodeficiency virus (HIV)-positive patients with cluster of differentiation (CD) counts less than "
    "500/mm^3 and/or a history of HIV/acquired immune deficiency syndrome (AIDS)-related complications will be excluded"
)
PROSTATE_ON_ADT = {"name": "prostate cancer, Gleason 7, on androgen deprivation therapy", "status": "active"}
CLL_UNTREATED = {"name": "chronic lymphocytic leukemia, Rai stage 0, untreated, watch and wait", "status": "active"}
CARRIER = {"name": "chronic hepatitis B, inactive carrier", "status": "inactive"}


def _trial(*let_ins: str) -> tuple[TrialInfo, tuple[Criterion, ...]]:
    """The exclusion and its sub-items, laid out as the registry lays them out (NCT02548468)."""
    items = "".join(f"\n\n       -  {item}" for item in let_ins)
    text = f"Inclusion Criteria:\n\n  1. Age 18 or over\n\nExclusion Criteria:\n\n  9. {ANOTHER}{items}\n"
    return TrialInfo("NCT00000000", "reading test", "RECRUITING", ("PHASE2",)), tuple(parse_text(text))


def test_a_treated_other_cancer_a_sub_item_may_let_in_is_unknown() -> None:
    trial = _trial(*LET_INS)
    assert outcome(trial, ANOTHER[:30], patient(conditions=[PROSTATE_ON_ADT])).outcome is Outcome.UNKNOWN
    # an untreated one no exception covers is still barred (comorbid sample 33's CS054)
    assert outcome(trial, ANOTHER[:30], patient(conditions=[CLL_UNTREATED])).outcome is Outcome.VIOLATED
    # a let-in on the cancer's absence does not reach a treated cancer still there (NCT00765765)
    free = "Patients with prior malignancy treated with curative intent and disease free for 3 years are eligible."
    assert outcome(_trial(free), ANOTHER[:30], patient(conditions=[PROSTATE_ON_ADT])).outcome is Outcome.VIOLATED
    assert outcome(_trial(), ANOTHER[:30], patient(conditions=[PROSTATE_ON_ADT])).outcome is Outcome.VIOLATED


def test_a_hepatitis_among_an_active_infections_examples_is_asked_active() -> None:
    assert item_outcome(ACTIVE_EXAMPLES, patient(conditions=[CARRIER]), "exclusion").outcome is Outcome.UNKNOWN
    # the HIV of the same line is barred as named (comorbid sample 44's DD287)
    assert item_outcome(ACTIVE_EXAMPLES, patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED


def test_an_hiv_asked_with_a_cd4_count_is_unknown() -> None:
    assert item_outcome(CD_COUNTS, patient(conditions=[HIV]), "exclusion").outcome is Outcome.UNKNOWN
    assert item_outcome("HIV positive with CD4 count < 200", patient(conditions=[HIV]), "exclusion").outcome is (
        Outcome.UNKNOWN
    )
    assert item_outcome("Known HIV infection", patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED
