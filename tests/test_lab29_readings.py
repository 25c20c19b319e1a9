"""lab29: a fasting glucose is not the glucose on file, and two albumin limits that barred every patient (found by
matching a profile with an albumin of 3.1 g/dL against the tuning texts). "Albumin ≥ 28 g/dL" (NCT02250118, under
"Adequate biological functions 14 days before inclusion:") means 28 g/L: as for counts and hemoglobin (parser 20), a
limit past the plausible bound of its test leaves the criterion unknown. And a lead-in's sub-items that require one
test on either side of a value, which no patient meets at once, are alternatives: "Modified Glasgow Prognostic Score
(mGPS) of 1 or 2 as defined below:" / "mGPS of 1: ... albumin ≥35 g/L" / "mGPS of 2: ... albumin <35 g/L"
(NCT02117479). A fasting glucose limit ("Fasting blood glucose < 160 mg/dL", NCT01298401) is uncertain against a
profile's glucose, seldom drawn fasting: a diabetic patient's random glucose of 162 mg/dL barred her (as for a
measured creatinine clearance, `_measured`)."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_facts, list_trial
from tests.test_issue10_examples import outcome, patient, quoted_criteria

ALBUMIN = "Albumin ≥ 28 g/dL"  # NCT02250118 (inclusion)
MGPS = "Modified Glasgow Prognostic Score (mGPS) of 1 or 2 as defined below:"  # NCT02117479 (inclusion), its items:
MGPS_1 = "mGPS of 1: C-reactive protein >10 mg/L and albumin ≥35 g/L"
MGPS_2 = "mGPS of 2: C-reactive protein >10 mg/L and albumin <35 g/L"
FASTING = "Fasting blood glucose < 160 mg/dL"  # NCT01298401 (inclusion)
ALBUMIN_31 = {"test": "albumin", "value": 3.1, "unit": "g/dL", "date": "2026-11-01"}


def test_an_albumin_limit_past_its_bound_is_not_read() -> None:
    (fact,) = item_facts("Inclusion", ALBUMIN, FactKind.LAB)
    assert fact.uncertain == "the limit in '≥ 28 g/dL' is out of plausible bounds"
    found = outcome(list_trial(ALBUMIN), "Albumin", patient(labs=[ALBUMIN_31]))
    assert found.outcome is not Outcome.VIOLATED
    # a plausible limit is read as written ("Albumin ≥ 2.8 g/dL", NCT01253681)
    (plausible,) = item_facts("Inclusion", "Albumin ≥ 2.8 g/dL", FactKind.LAB)
    assert plausible.uncertain is None and plausible.values.canonical_value == 2.8


def test_items_that_contradict_each_other_are_alternatives() -> None:
    trial = quoted_criteria("inclusion", f"{MGPS}\n  - {MGPS_1}\n  - {MGPS_2}")
    lead = next(c for c in trial[1] if c.text.startswith("Modified Glasgow"))
    assert lead.any_of
    found = outcome(trial, "Modified Glasgow", patient(labs=[ALBUMIN_31]))
    assert found.outcome is not Outcome.VIOLATED  # albumin 31 g/L meets mGPS 2's "<35 g/L"


def test_a_fasting_glucose_is_not_the_glucose_on_file() -> None:
    (fact,) = item_facts("Inclusion", FASTING, FactKind.LAB)
    assert fact.uncertain == "the text asks a blood glucose drawn fasting or not; the one on file does not say which"
    glucose = {"test": "glucose", "value": 162, "unit": "mg/dL", "date": "2026-11-01"}
    assert outcome(list_trial(FASTING), "Fasting", patient(labs=[glucose])).outcome is Outcome.UNKNOWN
