"""anchor21 (issue 10; tests/audit/anchor21_changes.txt): three judged-wrong items of fresh sample 23, each the head of
a class. Every phrasing is registry text with the trial it came from.

1. A window before a procedure that times a test or document (imaging, labs, biopsy, consent), not a therapy the
   patient had: "Pre-op Imaging ... within 84 days prior to surgery" (AD296) is no surgery in the last 84 days.
2. Fitness, suitability or eligibility for a therapy, or the protocol's course of it ("fit to receive", "not suitable
   to", "the ability of the patient to receive", "expected ... while receiving"): a candidacy or the trial's own
   treatment, not a therapy had (AD309, K072).
3. "may not have" / "may have not" before a therapy stays a prohibition: in the tuning texts "may not have" asks that
   the patient has not (dozens of lines, under inclusions as under exclusions), and "may have not" is written only in
   two sister donafenib trials whose exclusions say the same ("Prior treatment to TKI or other molecular targeted
   drugs"), as 18 judged-right items read it. AD318 (judged wrong) is left open.
"""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Polarity
from tests.readings import therapy_facts as _therapy

_AD296 = (
    "Pre-op Imaging of the head and neck: a neck computerized tomography (CT) (with contrast) or CT/positron emission "
    "tomography (PET) (with contrast) and/or an magnetic resonance imaging (MRI) of the neck (T1 with gadolinium and "
    "T2) within 84 days prior to surgery; note: this imaging data (diagnostic pre-operative scan showing gross "
    "disease) is to be submitted in Digital Imaging and Communications in Medicine (DICOM) format via transfer of "
    "images and data (TRIAD); the report is to be uploaded into Rave"
)  # NCT02775812

_K072 = (
    "Must be ≥ 18 years of age. Due to increased risk of sepsis in patients >80 years old, candidate patients in this "
    "age group should be thoroughly evaluated prior to study randomization to ensure they are fit to receive "
    "chemotherapy. In addition to all of the inclusion/exclusion criteria listed, clinical judgment should be used "
    "regarding patients' susceptibility to infection (including but not limited to presence of ascites or diabetes "
    "mellitus increasing risk of infection). Furthermore, the expected stability of their performance status while "
    "receiving repeat weekly chemotherapy cycles should be given special attention. Patients in this age group should "
    "not be randomized on the study should there be any hesitation on any of these considerations."
)  # NCT02993731

UNCERTAIN = [
    # 1. a test timed before the protocol's surgery (AD296)
    ("Inclusion", _AD296, "a window before a surgery"),
    # 2. a candidacy or the protocol's course of a therapy (AD309, K072)
    ("Inclusion", _K072, "fit for a therapy"),
    (
        "Inclusion",
        "Patients recruited to Phase I, cohort I must be considered not suitable to doxorubicin/anthracycline therapy "
        "in the opinion of the Principal Investigator.",
        "fit for a therapy",
    ),  # NCT01131364
    (
        "Exclusion",
        "Serious concurrent medical illness, which would jeopardize the ability of the patient to receive the "
        "chemotherapy program outlined in this protocol with reasonable safety.",
        "fit for a therapy",
    ),  # NCT00411762
    (
        "Exclusion",
        "Patients with serious concurrent infection or medical illness, which would jeopardize the ability of the "
        "patient to receive the chemotherapy outlined in this protocol with reasonable safety.",
        "fit for a therapy",
    ),  # NCT00949026
]


@pytest.mark.parametrize(("section", "line", "reason"), UNCERTAIN)
def test_anchor21_uncertain(section: str, line: str, reason: str) -> None:
    facts = _therapy(section, line)
    assert facts and all(f.uncertain for f in facts), [(f.polarity, f.values, f.uncertain) for f in facts]
    assert any(reason in (f.uncertain or "") for f in facts), [f.uncertain for f in facts]


def test_anchor21_the_age_line_keeps_its_age_and_asks_no_chemotherapy() -> None:
    """NCT02993731 (AD309, K072): the age limit is read; neither the fitness for chemotherapy nor the weekly cycles
    the protocol gives ask for a chemotherapy had (topic 11's patient, 75, failed on the second sentence alone)."""
    facts = _therapy("Inclusion", _K072)
    assert all(f.uncertain for f in facts), [(f.evidence, f.uncertain) for f in facts]


KEPT = [
    # a history told with "while receiving": the erlotinib is the patient's
    (
        "Exclusion",
        "Part B/Cohort II subjects who have experienced disease progression while receiving erlotinib "
        "(erlotinib-resistant subjects)",
        Polarity.EXCLUDE,
    ),  # NCT00329004
    # a window counted from a past surgery, not a test's
    (
        "Inclusion",
        "Ability to start treatment between 8 and 12 weeks following surgery.",
        Polarity.REQUIRE,
    ),  # NCT00621049
    # 3. "may not have" / "may have not" before a therapy: a prohibition (AD318 stays open; U397, G024, L0015 ...)
    ("Inclusion", "Subjects may have not received molecular targeted therapy;", Polarity.EXCLUDE),  # NCT03602495
    (
        "Inclusion",
        "Patients may not have had prior therapy with other VEGF inhibitors",
        Polarity.EXCLUDE,
    ),  # NCT00088894
    (
        "Inclusion",
        "In the Phase II portion of this study patients may not have had prior chemotherapy.",
        Polarity.EXCLUDE,
    ),  # NCT00633087
]


@pytest.mark.parametrize(("section", "line", "polarity"), KEPT)
def test_anchor21_kept(section: str, line: str, polarity: Polarity) -> None:
    facts = _therapy(section, line)
    assert facts and all(f.polarity is polarity and not f.uncertain for f in facts), [
        (f.polarity, f.values, f.uncertain) for f in facts
    ]
