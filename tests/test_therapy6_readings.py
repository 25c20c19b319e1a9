"""Therapy 6 (issue 10; tests/audit/therapy6_changes.txt): therapy 4's read list left wrong readings of prior therapy
("not fixed"). Each phrasing is registry text with the trial it came from; the first rows are now uncertain (never
another requirement), the next are read with a narrower class, the last must keep their reading."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Polarity
from tests.readings import therapy_facts as _therapy

UNCERTAIN = [
    # a targeted therapy whose target is told in lower-case nouns, with no class of its own
    ("Inclusion", "No other concurrent HER family-targeted therapy", "one target"),  # NCT00551421
    (
        "Exclusion",
        "Have initiated bisphosphonates or approved Receptor activator of nuclear factor kappa-B (RANK) ligand "
        "targeted agents <7 days prior to randomization",
        "one target",
    ),  # NCT02107703
    # a combination
    (
        "Exclusion",
        "Prior exposure to pemetrexed or an EGFR inhibitor in combination with 5-FU or a 5FU prodrug.",
        "combination",
    ),  # NCT00528281
    # a heading
    ("Inclusion", "Prior Systemic Therapy", "heading"),  # NCT01184274
    # a negated outcome read as a therapy not had
    (
        "Inclusion",
        "Patients who relapsed after remission or who can not achieve remission after at least two cycle of systemic "
        "therapy (including chemotherapy, hematopoietic stem cell transplantation, etc.);",
        "negated outcome",
    ),  # NCT02886559
    # a rule for some patients in a bracket that opens on something else
    (
        "Inclusion",
        "Zubrod performance status 0-2 (0-1 for patients who received 2 prior regimens [taxane and/or platinum "
        "regimens are counted separately])",
        "some patients",
    ),  # NCT00436501
    # the setting a therapy was given in
    ("Exclusion", "Concurrent adjuvant cancer therapy", "setting"),  # NCT02643420
    ("Inclusion", "No prior neoadjuvant or adjuvant chemotherapy", "setting"),  # NCT00066703
    # the study's time
    (
        "Exclusion",
        "Other chemotherapy, radiation therapy, immunotherapy, hormonal therapy, or biologic therapy may not be used "
        "while the patient is on study",
        "during the study",
    ),  # NCT00170157
    # a therapy a condition needs
    ("Exclusion", "Patients requiring radiation therapy.", "needs"),  # NCT00088023
    (
        "Exclusion",
        "Evidence of painful and/or destructive bone metastases for which radiation therapy, bisphosphonates or "
        "bone-seeking radionuclides are necessary.",
        "needs",
    ),  # NCT00642018
    # a kind of radiotherapy
    (
        "Exclusion",
        "Prior intratumoral chemotherapy (e.g., Gliadel or IL13-PE38QQR), stereotactic radiosurgery, or interstitial "
        "brachytherapy unless there is a separate lesion on MRI",
        "named site",
    ),  # NCT00329719
    # a permission in brackets for part of the therapy excluded
    (
        "Exclusion",
        "Has had prior treatment with systemic chemotherapy for metastatic disease (prior intravesical therapy is "
        "permitted; prior neoadjuvant/adjuvant chemotherapy permitted if completed ≥ 1 year from study entry)",
        "permission in brackets",
    ),  # NCT01342172
    # the trial's drug as the time of a prohibition
    (
        "Exclusion",
        "Current use of prohibited medication during treatment with GSK1120212 and/ or GSK 2110183.",
        "time of another",
    ),  # NCT01476137
]


@pytest.mark.parametrize(("section", "line", "reason"), UNCERTAIN)
def test_therapy_6_uncertain(section: str, line: str, reason: str) -> None:
    facts = _therapy(section, line)
    assert facts and all(f.uncertain for f in facts), [(f.polarity, f.values, f.uncertain) for f in facts]
    assert any(reason in (f.uncertain or "") for f in facts), [f.uncertain for f in facts]


NOT_READ = [
    # a condition's treatment, with commas before it
    ("Exclusion", "Subject has history of concurrent second cancers requiring active, ongoing systemic treatment."),
    # NCT02323906
    # a permission cut at "i.e."/"etc." inside its bracket
    (
        "Exclusion",
        "Patients with one prior relapse on a bevacizumab or an anti-VEGF(R) (i.e. VEGF-trap, vandetanib, cediranib, "
        "sunitinib, sorafenib, XL184, etc.) containing regimen are allowed to participate.",
    ),  # NCT01339039
]


@pytest.mark.parametrize(("section", "line"), NOT_READ)
def test_therapy_6_not_read(section: str, line: str) -> None:
    assert _therapy(section, line) == []


NARROWED = [
    # "regimen of chemotherapy": chemotherapy, not any systemic therapy
    ("Inclusion", "No more than 1 prior regimen of chemotherapy", Polarity.REQUIRE, set(), {"class.chemotherapy"}),
    # NCT00006356
    # "VEGF receptor targeted": the VEGF class, as "VEGF receptor (VEGFR) targeted" is read
    (
        "Inclusion",
        "No more than 1 prior VEGF receptor targeted therapy",
        Polarity.REQUIRE,
        set(),
        {"class.vegf_pathway_inhibitor"},
    ),  # NCT00563147
    # "immune checkpoint targeted": the class of that name
    (
        "Exclusion",
        "Prior immune checkpoint targeted therapy, including anti-PD-1, anti-PD-L1 or anti-PD-L2.",
        Polarity.EXCLUDE,
        set(),
        {"class.immune_checkpoint_inhibitor"},
    ),  # NCT03652233
    # "hormonal therapy as cancer therapy": not any anticancer therapy
    (
        "Exclusion",
        "Concomitant chronic systemic immune therapy, or hormonal therapy as cancer therapy, steroid use ≥ 10 mg "
        "prednisone equivalent.",
        Polarity.EXCLUDE,
        set(),
        {"class.immunotherapy"},
    ),  # NCT01360827
    # examples after a semicolon take the washout of what they exemplify, not a requirement of their own
    (
        "Inclusion",
        "4 weeks must have elapsed since the patient has received any anti cancer treatment; including radiotherapy "
        "(except for single dose of palliative radiotherapy), cytotoxic chemotherapy, biologic agents or targeted "
        "therapy",
        Polarity.EXCLUDE,
        {"radiotherapy", "systemic"},
        {"class.chemotherapy", "class.targeted_therapy"},
    ),  # NCT02655952
]


@pytest.mark.parametrize(("section", "line", "polarity", "categories", "classes"), NARROWED)
def test_therapy_6_narrowed(
    section: str, line: str, polarity: Polarity, categories: set[str], classes: set[str]
) -> None:
    facts = _therapy(section, line)
    read = [(f.polarity, set(f.values.categories), set(f.values.classes), f.uncertain) for f in facts]
    assert read == [(polarity, categories, classes, None)]


KEPT = [
    # "for cancer treatment" after a list: judged to exclude a current dabrafenib (v0996, F050); "as" is the aim only
    (
        "Exclusion",
        "Any concurrent chemotherapy, IP, biologic, or hormonal therapy for cancer treatment.",
        Polarity.EXCLUDE,
    ),  # NCT03753919
    # a concurrent therapy named only inside a bracket of examples of a permitted one makes no other fact current
    (
        "Inclusion",
        "Patients must not have received any prior systemic anticancer therapy for advanced or metastatic disease "
        "including chemotherapy or EGFR tyrosine kinase inhibitor therapy (including gefitinib, erlotinib, afatinib, "
        "or any experimental EGFR tyrosine kinase inhibitors [TKI] agents); prior chemotherapy for non-metastatic "
        "disease (i.e. adjuvant therapy or concurrent chemo-radiotherapy) is allowed as long as > 12 months has "
        "passed since completion of therapy",
        Polarity.EXCLUDE,
    ),  # NCT02438722
    # a combination told as either
    (
        "Exclusion",
        "Prior treatment with any of the following: 1 systemic chemotherapy regimen (given as single agent or in "
        "combination with another chemotherapy agent)",
        Polarity.EXCLUDE,
    ),  # after NCT03690388's list item
    # a need for a later surgery beside a washout of a past one
    (
        "Exclusion",
        "Major surgical procedure, open biopsy, or significant traumatic injury within 28 days prior to Day 0, or "
        "anticipation of need for major surgical procedure during the course of the study.",
        Polarity.EXCLUDE,
    ),  # NCT00411593
    # a permission in brackets for another therapy than the one excluded
    (
        "Exclusion",
        "Any immunotherapy, chemotherapy, radiotherapy, or experimental therapy within 4 weeks before first dose of "
        "study drug (corticosteroids for disease-related symptoms allowed but require 1-week washout before study drug "
        "administration)",
        Polarity.EXCLUDE,
    ),  # NCT01105247
]


@pytest.mark.parametrize(("section", "line", "polarity"), KEPT)
def test_therapy_6_readings_kept(section: str, line: str, polarity: Polarity) -> None:
    facts = _therapy(section, line)
    assert any(f.polarity is polarity and not f.uncertain for f in facts), [
        (f.polarity, f.values, f.uncertain) for f in facts
    ]


def test_therapy_6_concurrent_only_in_examples_of_a_permission() -> None:
    """NCT02438722 (fresh sample 6's L037, sample 8's N004): "concurrent chemo-radiotherapy", an example of the
    allowed chemotherapy, made the exclusion of any prior systemic therapy for advanced disease a current one."""
    facts = _therapy(
        "Inclusion",
        "Patients must not have received any prior systemic anticancer therapy for advanced or metastatic disease "
        "including chemotherapy or EGFR tyrosine kinase inhibitor therapy (including gefitinib, erlotinib, afatinib, "
        "or any experimental EGFR tyrosine kinase inhibitors [TKI] agents); prior chemotherapy for non-metastatic "
        "disease (i.e. adjuvant therapy or concurrent chemo-radiotherapy) is allowed as long as > 12 months has "
        "passed since completion of therapy",
    )
    systemic = [f for f in facts if f.values.categories == ("systemic",)]
    assert [(f.polarity, f.values.ongoing, f.uncertain) for f in systemic] == [(Polarity.EXCLUDE, False, None)]
    assert not any(f.polarity is Polarity.REQUIRE for f in facts)


def test_review_a_named_kind_of_radiotherapy_as_the_trials_time_is_no_doubt() -> None:
    """Review of therapy 6: "SBRT", a kind of radiotherapy, made the washout of any radiotherapy uncertain where it is
    the trial's own treatment, the time the washout is counted to (NCT02989870)."""
    facts = _therapy(
        "Exclusion",
        "Have received radiation therapy, major surgery, other locoregional therapy, within 4 weeks prior to the first "
        "date of SBRT",
    )
    assert [(f.polarity, f.values.categories, f.uncertain) for f in facts] == [
        (Polarity.EXCLUDE, ("radiotherapy", "surgery"), None)
    ]
    assert facts[0].values.within is not None and facts[0].values.within.number == 4


def test_review_an_anchor_of_a_sited_radiotherapy_keeps_its_doubt() -> None:
    """Review of therapy 6: only a named kind is taken as the trial's time; a sited one keeps the doubt, which here
    also covers a recovery condition the surgery washout does not read (NCT03043599)."""
    facts = _therapy(
        "Exclusion",
        "Major surgery or significant traumatic injury that is not recovered at least 14 days before the initiation of "
        "thoracic radiation therapy.",
    )
    assert facts and all(f.uncertain for f in facts)
