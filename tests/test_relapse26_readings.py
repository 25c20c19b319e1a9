"""relapse26: a window from a therapy to a relapse is not a window to today. "Participants must have recurrence within
12 months of their last platinum-containing regimen" (NCT02661815) was read as platinum in the last 12 months, which a
patient with platinum three years ago and an early recurrence after it fails; "No disease relapsed within 6 months of
radiotherapy" (NCT01313390) barred every patient with radiotherapy in the last 6 months, relapse or not (a reason judged
untrue by an earlier reader: NCT00574366's "no taxane in the last 12 months"). Issue 10, item 3: violated only from a
complete reading."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import list_trial, therapy_facts
from tests.test_issue10_examples import outcome, with_therapies

RECURRENCE_AFTER_PLATINUM = (
    "Participants must have recurrence within 12 months of their last platinum-containing regimen."
)
NO_EARLY_RELAPSE = "No disease relapsed within 6 months of radiotherapy"  # NCT01313390 (inclusion)
BEFORE_ENTRY = "No prior radiotherapy within 6 months of study entry"  # a window to today, as it was
TAXANE_PROGRESSION = (  # NCT00102622 (exclusion): a progression on the taxane, which the window only narrows
    "Progression on any taxane-containing regimen, or recurrent within 6 months of receiving a weekly "
    "taxane-containing regimen."
)


def test_a_required_therapy_before_a_relapse_is_asked_at_any_time() -> None:
    # the platinum at any time, certain; its window beside it, uncertain (the recurrence's timing is not read)
    anytime, timed = sorted(
        therapy_facts("Inclusion", RECURRENCE_AFTER_PLATINUM), key=lambda f: f.values.within is not None
    )
    assert anytime.values.classes == ("class.platinum",) and anytime.values.within is None and not anytime.uncertain
    assert timed.values.within is not None and timed.uncertain and "to a relapse" in timed.uncertain
    trial = list_trial(RECURRENCE_AFTER_PLATINUM)
    never = outcome(trial, "Participants must have", with_therapies())
    assert never.outcome is Outcome.VIOLATED
    assert never.reason == "no platinum-based chemotherapy (trial: 1+ platinum-based chemotherapy)"
    # platinum three years ago: was the recurrence within 12 months of it? the coordinator reads the record
    long_ago = {"name": "carboplatin", "kind": "systemic", "start": "2023-01-10", "end": "2023-05-02"}
    unsure = outcome(trial, "Participants must have", with_therapies(long_ago))
    assert unsure.outcome is Outcome.UNKNOWN and unsure.reason.startswith("reading uncertain: a window from")
    recent = {"name": "carboplatin", "kind": "systemic", "start": "2026-03-02", "end": "2026-06-15"}
    assert outcome(trial, "Participants must have", with_therapies(recent)).outcome is Outcome.SATISFIED


def test_an_exclusion_of_an_early_relapse_does_not_bar_recent_radiotherapy() -> None:
    (fact,) = therapy_facts("Inclusion", NO_EARLY_RELAPSE)
    assert fact.uncertain and "to a relapse ('relapsed within 6 months of')" in fact.uncertain
    recent = {"name": "external beam radiotherapy to the neck", "kind": "radiotherapy", "start": "2026-08-03",
              "end": "2026-09-11"}  # fmt: skip
    # a washout to entry is met by waiting: satisfied, from the day six calendar months after the radiotherapy ...
    (washout,) = therapy_facts("Inclusion", BEFORE_ENTRY)
    assert washout.uncertain is None and washout.values.within is not None
    waits = outcome(list_trial(BEFORE_ENTRY), "No prior radiotherapy", with_therapies(recent))
    assert waits.outcome is Outcome.SATISFIED and str(waits.eligible_from) == "2027-03-11"
    # ... but a window to a relapse asks no wait of a patient without one: the coordinator reads the text
    relapse = outcome(list_trial(NO_EARLY_RELAPSE), "No disease relapsed", with_therapies(recent))
    assert relapse.outcome is Outcome.UNKNOWN and relapse.reason.startswith("reading uncertain: a window from")


def test_a_progression_on_the_therapy_stays_barred_in_its_window() -> None:
    progressed = [f for f in therapy_facts("Exclusion", TAXANE_PROGRESSION) if f.values.progressed]
    assert [(f.values.within is not None, f.uncertain) for f in progressed] == [(True, None)]
