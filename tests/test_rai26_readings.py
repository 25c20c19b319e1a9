"""rai26: a required radioiodine therapy, none in the treatment history, where the radioiodine record tells of one (an
activity, a last treatment, a progression after it) or calls the disease RAI-refractory, is unknown: the history may
leave the radioiodine out. panel-14 (a sparse RAI-refractory profile whose history lists lenvatinib alone) was barred
from NCT01813136 by "Patients must have been treated with therapeutic RAI". Found reading the panel's violated outcomes
on the thyroid trials. Issue 10, item 3: violated only from a complete reading."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import list_trial
from tests.test_issue10_examples import outcome, patient

TREATED_WITH_RAI = "Patients must have been treated with therapeutic RAI."  # NCT01813136 (inclusion)
LENVATINIB = {"name": "lenvatinib", "kind": "systemic", "start": "2024-01-10"}


def test_a_radioiodine_record_leaves_a_history_without_radioiodine_unknown() -> None:
    refractory = patient(therapies=[LENVATINIB], radioiodine={"refractory": True})
    found = outcome(list_trial(TREATED_WITH_RAI), "Patients must have been treated", refractory)
    assert found.outcome is Outcome.UNKNOWN
    assert "the radioiodine record tells of radioiodine-refractory disease" in found.reason
    dosed = patient(therapies=[LENVATINIB], radioiodine={"refractory": True, "cumulative_activity_mci": 450})
    assert (
        "a cumulative activity of 450 mCi"
        in outcome(list_trial(TREATED_WITH_RAI), "Patients must have been treated", dosed).reason
    )


def test_without_a_radioiodine_record_the_history_decides() -> None:
    medullary = patient(therapies=[LENVATINIB])
    del medullary["radioiodine"]
    found = outcome(list_trial(TREATED_WITH_RAI), "Patients must have been treated", medullary)
    assert found.outcome is Outcome.VIOLATED and found.reason == "no radioiodine (trial: 1+ radioiodine)"
    treated = patient(
        therapies=[LENVATINIB, {"name": "radioactive iodine", "kind": "radioiodine", "start": "2019-03-01"}]
    )
    assert (
        outcome(list_trial(TREATED_WITH_RAI), "Patients must have been treated", treated).outcome is Outcome.SATISFIED
    )


def test_a_history_with_radioiodine_decides_alone() -> None:
    # a radioiodine on file outside a required window stays the history's answer: the record adds nothing
    within = list_trial("Radioactive iodine therapy within 12 weeks prior to enrollment")
    long_ago = {"name": "radioactive iodine", "kind": "radioiodine", "start": "2019-03-01"}
    dosed = patient(therapies=[long_ago], radioiodine={"refractory": True, "cumulative_activity_mci": 450})
    found = outcome(within, "Radioactive iodine therapy", dosed)
    assert found.outcome is Outcome.VIOLATED and "radioiodine record" not in found.reason
