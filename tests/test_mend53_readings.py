"""Rules of session 32 (mend53), from comorbid sample 51's two wrong exclusions: a ban on "another anti-cancer therapy"
in a prostate-cancer trial that asks castrate testosterone "maintained by" an LHRH agonist; a state ("poorly
controlled") told of the disease a list gives examples of, across a consequence asked of it ("that could affect the
absorption of the study drug"). Each criterion below barred a profile that the text, read as a coordinator would, does
not bar: the outcome is now unknown, and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import list_trial
from tests.test_issue10_examples import item_outcome, outcome, patient, with_therapies

ANOTHER = "You are receiving another anti-cancer therapy."  # NCT00428714 (exclusion): DK069
MAINTAINED = (  # NCT00428714 (inclusion)
    "Must have evidence of androgen-independent PSA-progressive disease with castrate levels of testosterone "
    "(<50 ng/dL) maintained by luteinizing hormone-releasing hormone (LHRH) agonist or bilateral orchiectomy"
)
POORLY_CONTROLLED = (  # NCT03652233 (exclusion): DK112
    "Any history or presence of poorly controlled gastrointestinal disorders that could affect the absorption of the "
    "study drug (e.g. Crohn's disease, ulcerative colitis, chronic diarrhea and malabsorption)."
)
LEUPROLIDE = {"name": "leuprolide", "kind": "systemic", "start": "2020-09-01"}
LENVATINIB_NOW = {"name": "lenvatinib", "kind": "systemic", "start": "2026-01-10"}
CROHN_IN_REMISSION = {"name": "Crohn's disease", "status": "in remission on adalimumab"}


def test_the_hormonal_therapy_a_trial_asks_to_keep_is_not_another_therapy() -> None:
    trial = list_trial(MAINTAINED, exclusions=(ANOTHER,))
    assert outcome(trial, ANOTHER, with_therapies(LEUPROLIDE)).outcome is Outcome.UNKNOWN
    assert outcome(trial, ANOTHER, with_therapies(LENVATINIB_NOW)).outcome is Outcome.VIOLATED
    # without the line that keeps the LHRH agonist, his leuprolide is another anticancer therapy
    assert item_outcome(ANOTHER, with_therapies(LEUPROLIDE), "exclusion").outcome is Outcome.VIOLATED
    # a line that stops it keeps nothing
    stopped = "Must have discontinued luteinizing hormone-releasing hormone (LHRH) agonist therapy"
    assert outcome(list_trial(stopped, exclusions=(ANOTHER,)), ANOTHER, with_therapies(LEUPROLIDE)).outcome is (
        Outcome.VIOLATED
    )


def test_a_state_told_before_a_consequence_reaches_the_examples() -> None:
    in_remission = patient(conditions=[CROHN_IN_REMISSION])
    assert item_outcome(POORLY_CONTROLLED, in_remission, "exclusion").outcome is Outcome.UNKNOWN
    active = patient(conditions=[{"name": "Crohn's disease", "status": "poorly controlled, on steroids"}])
    assert item_outcome(POORLY_CONTROLLED, active, "exclusion").outcome is Outcome.VIOLATED
    # without a state the examples a consequence is told of are barred as named, as the earlier rulings on "Any Known
    # preexisting medical condition, that could interfere with ... including, but not limited to ..." (NCT00882193,
    # comorbid samples 42, 45, 49: DB201, DE312, DI260)
    plain = "Gastrointestinal disorders that could affect the absorption of the study drug (e.g. Crohn's disease)."
    assert item_outcome(plain, in_remission, "exclusion").outcome is Outcome.VIOLATED
