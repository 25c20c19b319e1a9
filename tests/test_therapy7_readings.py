"""Therapy 7 (issue 10; tests/audit/therapy7_changes.txt): fresh sample 13's prior-therapy items judged wrong showed
classes of wrong readings. Each phrasing is registry text with the trial it came from; the first rows are now
uncertain (never another requirement), the last must keep a certain reading."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Polarity
from tests.readings import therapy_facts as _therapy

UNCERTAIN = [
    # a negation carried over a semicolon: no required surgery or radiotherapy (T161, T255)
    (
        "Inclusion",
        "No other concurrent chemotherapy; surgery or radiation therapy during the treatment phase of this protocol",
        "negated one",
    ),  # NCT00993642
    # a therapy the patient may benefit from: the trial's drug (T165)
    ("Inclusion", "Patients have no better choice and may be benefit from the use of anthracyclines", "benefit from"),
    # NCT02043756
    # a plan of therapy (T287), and the same class elsewhere
    ("Inclusion", "Plan of curative radiotherapy with or without concurrent chemotherapy.", "planned"),  # NCT02059967
    (
        "Inclusion",
        "No planned palliative procedures for alleviation of bone pain such as radiation therapy or surgery",
        "planned",
    ),  # NCT01949337
    (
        "Exclusion",
        "Plan to administer non-protocol chemotherapy, radiation therapy, or immunotherapy during the study period.",
        "planned",
    ),  # NCT00981799
    # a clause opening on a time from a therapy: an interval, a washout (T185)
    (
        "Inclusion",
        "4 weeks from an investigational agent (not Food and Drug Administration [FDA] approved) (or 5 half lives, "
        "whichever is shorter)",
        "interval since a therapy",
    ),  # NCT02142803
    (
        "Inclusion",
        "2 weeks from administration of a non-cytotoxic, FDA-approved agent (e.g., erlotinib, hydroxychloroquine, "
        "etc.) (or 5 half lives, whichever is shorter)",
        "interval since a therapy",
    ),  # NCT02142803
    # a permission of the patients the clause before describes (T398)
    (
        "Inclusion",
        "Patients whose ovarian cancer recurs/progresses within 0-6 months following platinum-based chemotherapy have "
        "platinum resistant disease; such patients are eligible for this trial",
        "permission",
    ),  # NCT02275039
    # an alternative dropped: there being none (T083)
    ("Inclusion", "Tumor progression after standard chemotherapy, or where none yet approved", "there being none"),
    # NCT00413322
    # a class of experimental drugs, a kind of kinase the class does not hold (T111)
    ("Exclusion", "Treatment with experimental drugs (mTor inhibitor or tyrosin kinase inhibitor)", "experimental"),
    # NCT01298713
    (
        "Exclusion",
        "Any prior treatment with an aurora kinase inhibitor (either an aurora A kinase or pan-aurora kinase "
        "inhibitor)",
        "kind of kinase inhibitor",
    ),  # NCT02219789
    # a therapy for another cancer past the therapy's bracketed list, the site told by its organ (T052, T395)
    (
        "Exclusion",
        "Previous systemic therapy (chemotherapy or biologic therapy) for locally advanced or metastatic gastric or "
        "esophagogastric adenocarcinoma",
        "another cancer",
    ),  # NCT00719550
    (
        "Exclusion",
        "Previous anti-cancer treatment (cytotoxic chemotherapy, immunotherapy, biologic therapy radiotherapy or "
        "investigational agents) with therapeutic intent for current breast cancer.",
        "another cancer",
    ),  # NCT02032277
    (
        "Exclusion",
        "Prior systemic therapy (i.e., chemotherapy, immunotherapy, hormone therapy, , targeted therapy or any "
        "investigational anti-cancer drug) for metastatic pancreatic adenocarcinoma.",
        "another cancer",
    ),  # NCT01231581
]


@pytest.mark.parametrize(("section", "line", "reason"), UNCERTAIN)
def test_therapy_7_uncertain(section: str, line: str, reason: str) -> None:
    facts = _therapy(section, line)
    doubted = [f for f in facts if reason in (f.uncertain or "")]
    assert doubted, [(f.polarity, f.values, f.uncertain) for f in facts]
    # no certain fact of the same polarity stands beside it
    assert not any(f.polarity is doubted[0].polarity and not f.uncertain for f in facts), [
        (f.polarity, f.values, f.uncertain) for f in facts
    ]


WIDENED = [
    # an alternative the vocabulary does not read, told as a systemic therapy: any systemic therapy qualifies (T058);
    # a patient with none still fails it (sample 10's Q033)
    (
        "Inclusion",
        "Patient must have received and failed at least one line of palliative therapy (chemotherapy or biological "
        "therapy)",
    ),  # NCT01799161
    (
        "Inclusion",
        "PIK3CA mutant breast cancer progressed on at least one line of prior endocrine therapy or chemotherapy",
    ),  # NCT02389842
]


@pytest.mark.parametrize(("section", "line"), WIDENED)
def test_therapy_7_unread_systemic_alternative_widens(section: str, line: str) -> None:
    facts = _therapy(section, line)
    assert [(f.polarity, "systemic" in f.values.categories, f.uncertain) for f in facts] == [
        (Polarity.REQUIRE, True, None)
    ]


KEPT = [
    # the exclusion before the semicolon keeps its reading (T161's first clause)
    (
        "Inclusion",
        "No other concurrent chemotherapy; surgery or radiation therapy during the treatment phase of this protocol",
        Polarity.EXCLUDE,
    ),  # NCT00993642
    # what the therapy asked was given with is no alternative to it
    (
        "Inclusion",
        "At least two lines of anti-HER2 therapy must have been given in the metastatic setting as monotherapy or "
        "combined with chemotherapy or hormonal therapy. The HER2-targeted agent can include trastuzumab, lapatinib, "
        "or an investigational agent with HER2-inhibitory activity.",
        Polarity.REQUIRE,
    ),  # NCT00679211
    # (NCT02253212's "Subjects with recurrent glioma who have failed standard therapy with surgery and/or treatment with
    # radiation and temozolomide." is the glioma's course since therapy 21: tests/test_therapy21_readings.py)
    # a site excepted is not the cancer the therapy was for
    (
        "Inclusion",
        "Systemic hormonal anti-cancer therapy, with the exception of LHRH agonists for prostate cancer",
        Polarity.REQUIRE,
    ),  # NCT00660153 (a sub-item; read alone here)
    # a time anchor is no plan of therapy
    (
        "Exclusion",
        "Major surgical procedure, open biopsy, or significant traumatic injury within 28 days prior to planned start "
        "of study therapy.",
        Polarity.EXCLUDE,
    ),  # NCT00365417
]


@pytest.mark.parametrize(("section", "line", "polarity"), KEPT)
def test_therapy_7_readings_kept(section: str, line: str, polarity: Polarity) -> None:
    facts = _therapy(section, line)
    assert any(f.polarity is polarity and not f.uncertain for f in facts), [
        (f.polarity, f.values, f.uncertain) for f in facts
    ]
