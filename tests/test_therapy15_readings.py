"""Therapy 15 (issue 10; tests/audit/therapy15_changes.txt): fresh sample 15's prior-therapy items judged wrong, by
class of phrasing, each quoting the registry text it came from: a therapy that must be stopped before entry (a washout
met by stopping), a therapy a condition limits the ability to receive, and a therapy the patient must or will receive
(the protocol's schedule or a plan) are uncertain; a window from stopping a therapy to a progression is not the
therapy's recency; an anticancer treatment not told as systemic may be a radioiodine, so a requirement of it is
uncertain for a patient with radioiodine and no systemic therapy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from matcher.eligibility.criteria import Polarity
from matcher.eligibility.kinds.therapy import evaluate
from matcher.knowledge_base import load_knowledge
from matcher.patient import load_patient
from tests.readings import therapy_facts as _therapy

UNCERTAIN = [
    (
        "Exclusion",
        "Treatment with any other anti-cancer therapy (except LHRH agonists) including any prescribed compounds "
        "and/or over-the-counter (OTC) products for the treatment of prostate cancer must be stopped prior to day of "
        "enrolment",
        "stopped before entry",
    ),  # NCT00268593 (V104)
    (
        "Exclusion",
        "An individual organ/ system impairment score of 4 as assessed by the CIRS definition limiting the ability to "
        "receive the treatment regimen of this trial with the exception of eyes, ears, nose, throat organ system",
        "could be given",
    ),  # NCT02242942 (V131)
    (
        "Exclusion",
        "Patients who are ineligible to receive cisplatin: Creatinine clearance of less than 60 mL/minute, hearing "
        "loss of 25 decibel (dB) at 2 contiguous frequencies, grade 2 or higher peripheral neuropathy, or New York "
        "Heart Association Class III or higher heart failure.",
        "could be given",
    ),  # NCT02300610
    (
        "Inclusion",
        "Patient must receive induction chemotherapy including 2 to 4 cycles of anti-myeloma therapy including "
        "bortezomib, with or without immune modulating agents and/or corticosteroids, Completion of induction therapy "
        "will occur within 30 days of first study drug dose.",
        "is to receive",
    ),  # NCT01653418 (V385)
    (
        "Inclusion",
        "Subjects with relapsed epithelial ovarian cancer (including fallopian tube and primary peritoneal cancer) who "
        "will receive liposomal doxorubicin as salvage therapy for recurrent disease",
        "is to receive",
    ),  # NCT01673217
    ("Exclusion", "Patient is to receive bevacizumab as maintenance treatment", "is to receive"),  # NCT02655016
]


@pytest.mark.parametrize(("section", "line", "reason"), UNCERTAIN)
def test_therapy_15_uncertain(section: str, line: str, reason: str) -> None:
    facts = _therapy(section, line)
    assert facts and all(f.uncertain and reason in f.uncertain for f in facts), [(f.values, f.uncertain) for f in facts]


def test_therapy_15_stopped_before_entry_is_a_current_therapy() -> None:
    """V104: only a current therapy is asked about; one that ended is not."""
    facts = _therapy(
        "Exclusion",
        "Treatment with any other anti-cancer therapy (except LHRH agonists) including any prescribed compounds "
        "and/or over-the-counter (OTC) products for the treatment of prostate cancer must be stopped prior to day of "
        "enrolment",
    )
    assert [(f.polarity, f.values.ongoing, f.values.within) for f in facts] == [(Polarity.EXCLUDE, True, None)]


def test_therapy_15_a_washout_with_its_time_keeps_its_window() -> None:
    """ "must be discontinued at least 3 weeks prior to first dose" is a washout read with its window, not changed."""
    facts = _therapy(
        "Inclusion",
        "Previous anticancer treatment must be discontinued at least 3 weeks prior to first dose of study treatment",
    )
    assert facts and facts[0].values.within is not None and facts[0].uncertain is None


@pytest.mark.parametrize(
    "line",
    [
        "Patients who are intolerant of or who have progression on or after stopping treatment with VEGF-targeted "
        "therapies within 6 months. Note: Prior treatment with vaccine therapy in the adjuvant setting and prior "
        "treatment with cytokines (i.e., IL-2, Interferon) or chemotherapy is permitted.",  # NCT01152801 (V268)
        "Relapse within 6 months after completion of an anthracycline or/and taxane containing chemotherapy "
        "regimen.",  # NCT00048633
    ],
)
def test_therapy_15_window_of_the_progression_after_stopping(line: str) -> None:
    facts = _therapy("Inclusion", line)
    assert facts and all(f.polarity is Polarity.REQUIRE and f.values.within is None for f in facts), facts
    assert all(not f.values.progressed and f.uncertain is None for f in facts), facts


def test_therapy_15_a_recent_therapy_keeps_its_window() -> None:
    """A requirement of a recent therapy with no progression after stopping it keeps its window."""
    facts = _therapy("Inclusion", "Must have received a prior platinum regimen within 6 months")
    assert facts and facts[0].values.within is not None


KB = load_knowledge()
ON = date(2026, 12, 5)
# surgery and two radioiodine treatments, no systemic therapy (V146, V147's patient)
RADIOIODINE_ONLY = load_patient(Path(__file__).parent / "patients" / "vegfr-naive-rair.json").patient
assert RADIOIODINE_ONLY.therapies is not None
SURGERY_ONLY = replace(RADIOIODINE_ONLY, therapies=RADIOIODINE_ONLY.therapies[:1])


@pytest.mark.parametrize(
    "line",
    [
        "Only one prior anti-tumor treatment regimen in the non-curative setting (i.e., 2nd-line therapy)",  # V146
        "Progressive disease following the previous anti-tumor treatment regimen",  # NCT00297089 (V147)
    ],
)
def test_therapy_15_anticancer_treatment_may_be_radioiodine(line: str) -> None:
    (fact,) = _therapy("Inclusion", line)
    assert fact.polarity is Polarity.REQUIRE and fact.uncertain is None
    found = evaluate(fact, RADIOIODINE_ONLY, ON, KB)
    assert found.has is None and found.reason.startswith("reading uncertain: "), found
    assert evaluate(fact, SURGERY_ONLY, ON, KB).has is False  # no radioiodine nor radiotherapy: still unmet


def test_therapy_15_a_systemic_therapy_on_file_is_the_treatment() -> None:
    """Sorafenib stopped for toxicity, after two radioiodine treatments (therapy 8's G169, judged right): the previous
    anti-tumor treatment regimen is the sorafenib, and she did not progress on it."""
    (fact,) = _therapy("Inclusion", "Progressive disease following the previous anti-tumor treatment regimen")
    sorafenib = load_patient(Path(__file__).parents[1] / "examples" / "ret-fusion-papillary.json").patient
    assert evaluate(fact, sorafenib, ON, KB).has is False


@pytest.mark.parametrize(
    "line",
    [
        # T345 and T347 (judged right for a radioiodine-only patient): a line or a regimen is not widened
        "Previously treated with 1-3 lines of therapy (example: completed greater than or equal to [>/=] 2 treatment "
        "cycles per therapy), including at least one standard chemotherapy-containing regimen",  # NCT02005471
        "Must have achieved a response (partial response [PR] or better based on investigator's determination of "
        "response by the IMWG criteria) to at least 1 prior regimen in the past",  # NCT02136134
        # U354 (judged right): the anticancer treatment is the named drug
        "Patients must have been treated with Fulvestrant for at least 56 days as their most recent anti-cancer "
        "treatment, and they must be tolerating Fulvestrant with at most grade I toxicity by CTCAE v4.0.",
    ],
)
def test_therapy_15_systemic_requirements_stay(line: str) -> None:
    facts = [f for f in _therapy("Inclusion", line) if f.uncertain is None]
    assert facts and all(not f.values.maybe_categories for f in facts)
    assert all(evaluate(f, RADIOIODINE_ONLY, ON, KB).has is False for f in facts)
