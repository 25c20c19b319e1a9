"""QTc 14 (fresh sample 14 U247/U321; tests/audit/qtc14_changes.txt): a QTc limit followed by a review or a
re-measurement that can clear a reading past it ("If the screening ECG has a QTc ≥ 450 msecs, the ECG can be submitted
for a centralized, cardiologic evaluation", "the screen ECG may be repeated twice ... The average QTc from the three
screening ECGs must be <480 msec") is decided only by that review's result, which the profile does not hold: the limit
is uncertain, not an exclusion of a patient whose QTcF is past it (``cue.qtc.clearing_review``). A QTcF within the limit
still satisfies it. "Repeated demonstration of a QTc interval > 450 msec" defines the exclusion by repeated readings and
clears nothing (sample 13 T339, sample 14 U296, judged right): it keeps its reading. Each row quotes registry text of
the tuning corpora, with the trial it came from."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.cardiac import QtcValues
from matcher.matching.evaluate import Outcome
from tests.readings import UNCERTAIN
from tests.readings import check as _check
from tests.readings import item_facts as _item
from tests.test_issue10_examples import outcome, patient, quoted_criteria

QTC = FactKind.QTC

# NCT00724984 (sample 14 U247, U321)
_CENTRAL = (
    "QTc prolongation (defined as a QTc ≥ 450 msecs) or other significant ECG abnormalities including 2nd degree AV "
    "block type II, 3rd degree AV block, or bradycardia (ventricular rate less than 50 beats/min). If the screening "
    "ECG has a QTc ≥ 450 msecs, the ECG can be submitted for a centralized, cardiologic evaluation."
)
# NCT02941523
_REPEATED_TWICE = (
    "Patients with QTc of > 470 msec on screening ECG. (If a patient has QTc interval >470 msec on screening ECG, the "
    "screening ECG may be repeated twice (at least 24 hours apart). The average QTc from the 3 screening ECGs must be "
    "<470 msec in order for the patient to be eligible for the study."
)

_CLEARED = [
    _CENTRAL,
    _REPEATED_TWICE,
    # NCT02661815
    "The subject has a corrected QT interval calculated by the Fridericia formula (QTcF) >500 ms within 28 days before "
    "randomization. Note: if initial QTcF is found to be > 500 ms, two additional EKGs separated by at least 3 minutes "
    "should be performed. If the average of these three consecutive results for QTcF is ≤500 ms, the subject meets "
    "eligibility in this regard.",
    # NCT02697383
    "QTc > 470 milliseconds (msec) on a 12-lead EKG obtained during the Screening period. If a machine reading is "
    "above this value, the EKG should be reviewed by a qualified reader and confirmed on a subsequent EKG.",
    # NCT01372813: the repeat stands as a criterion of its own, with the limit it clears
    "If a patient has QTc greater than or equal to 480 msec on screening ECG, the screen ECG may be repeated twice (at "
    "least 24 hours apart).",
    # NCT03002623
    "Uncontrolled or severe cardiovascular disease, including myocardial infarction, unstable angina, or atrial "
    "fibrillation (AFib) within 6 months prior to study treatment, New York Heart Association (NYHA) Class II or "
    "greater congestive heart failure, serious arrhythmias requiring medication for treatment, clinically significant "
    "pericardial disease, cardiac amyloidosis, or corrected QT interval (QTc) with Fridericia's (QTcF) correction that "
    "is unmeasurable or greater than or equal to 480 msec on screening electrocardiogram (ECG). (Note: for QTcF "
    "greater than or equal to 480 sec on the screening ECG, the ECG may be repeated twice at least 24 hours apart; the "
    "mean QTcF from the three screening ECGs must be < 480 msec in order to meet eligibility for trial participation).",
    # NCT01918761: a limit to meet, and a repeat after the correctable causes are managed
    "Prolonged QTc interval on pre-entry electrocardiogram. QTc must be less than CTC Grade 2 (≤480 msec) using "
    "appropriate correction formula with manual read by investigator if required. The echocardiogram (ECG) may be "
    "repeated for evaluation of eligibility after management of correctable causes for observed QTc prolongation",
]


@pytest.mark.parametrize("line", _CLEARED, ids=[line[:40] for line in _CLEARED])
def test_a_qtc_limit_a_review_or_repeat_can_clear_is_uncertain(line: str) -> None:
    _check(_item("Exclusion", line, QTC), UNCERTAIN)


def test_the_doubt_names_the_review() -> None:
    (fact,) = _item("Exclusion", _CENTRAL, QTC)
    assert fact.polarity is Polarity.EXCLUDE and fact.values == QtcValues(">=", 450.0)
    assert fact.uncertain is not None and "submitted for a centralized, cardiologic evaluation" in fact.uncertain


def test_u247_and_u321_are_no_longer_violated() -> None:
    """U247 (QTcF 468) and U321 (QTcF 451) were violated; the criterion's bradycardia is not on file either way."""
    trial = quoted_criteria("exclusion", _CENTRAL)
    for qtcf in (451, 468):
        assert outcome(trial, "QTc prolongation", patient(qtcf_ms=qtcf)).outcome is Outcome.UNKNOWN


def test_a_qtcf_past_the_limit_is_unknown_and_one_within_it_still_satisfies() -> None:
    trial = quoted_criteria("exclusion", _REPEATED_TWICE)
    assert outcome(trial, "Patients with QTc", patient(qtcf_ms=495)).outcome is Outcome.UNKNOWN
    assert outcome(trial, "Patients with QTc", patient(qtcf_ms=430)).outcome is Outcome.SATISFIED


_KEPT = [
    # repeated readings define the exclusion and clear nothing (sample 13 T339, judged right)
    (
        "Patients with significant cardiovascular disease (New York Heart Association Class III or IV cardiac "
        "disease), symptomatic congestive heart failure, myocardial infarction within the past 6 months, unstable "
        "angina, unstable arrhythmia or a need for anti-arrhythmic therapy (use of frequency adjusting medication for "
        "atrial fibrillation is allowed, if stable medication for at least last month prior to initiation of "
        "belinostat treatment and medication not listed as causing Torsades de Points), or evidence of acute ischemia "
        "on electrocardiogram (ECG). Marked baseline prolongation of Q wave, T wave (QT)/Corrected QT Interval (QTc) "
        "interval, e.g., repeated demonstration of a QTc interval > 450 msec",
        [(Polarity.EXCLUDE, QtcValues(">", 450.0), None)],
    ),  # NCT01273155
    (
        "No marked baseline prolongation of QT/QTc interval (e.g., repeated demonstration of a QTc interval > 500 "
        "msec)",
        [(Polarity.EXCLUDE, QtcValues(">", 500.0), None)],
    ),  # NCT00351975, under its exclusion heading
    # an average of triplicate ECGs that defines the measurement
    (
        "Corrected QT interval (QTc) ≥480 msec (average of three measurements to be made at screening);",
        [(Polarity.EXCLUDE, QtcValues(">=", 480.0), None)],
    ),  # NCT00659178
    (
        "QTcF greater than 460 msec on Screening ECG (mean of triplicate recordings)",
        [(Polarity.EXCLUDE, QtcValues(">", 460.0, "qtcf"), None)],
    ),  # NCT02323906
]


@pytest.mark.parametrize(("line", "expected"), _KEPT, ids=[row[0][:40] for row in _KEPT])
def test_a_qtc_limit_without_a_clearing_review_keeps_its_reading(line: str, expected: object) -> None:
    _check(_item("Exclusion", line, QTC), expected)


def test_repeated_demonstration_past_the_limit_stays_violated() -> None:
    line = (
        "Patients presenting with marked baseline prolongation of QT/QTc interval defined as repeated demonstration of "
        "a QTc interval ≥450 ms (males) and ≥460 ms (females) using Fridericia's correction formula"
    )  # NCT02716012 (sample 13 T302, sample 14 U296, judged right)
    trial = quoted_criteria("exclusion", line)
    assert outcome(trial, "Patients presenting", patient(sex="male", qtcf_ms=468)).outcome is Outcome.VIOLATED
