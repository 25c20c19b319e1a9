"""Therapy 5 (issue 10; tests/audit/therapy5_changes.txt): fresh sample 12's prior-therapy items judged wrong showed
classes of wrong readings. Each phrasing is registry text with the trial it came from; the first rows are now
uncertain (never another requirement), the next are read with the target's class, the last must keep their reading."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Polarity
from tests.readings import therapy_facts as _therapy

UNCERTAIN = [
    # a targeted therapy of one target with no class of its own (S039)
    ("Exclusion", "Prior treatment with Aurora A-targeted agents, including MLN8237", "one target"),  # NCT01045421
    ("Exclusion", "Prior exposure to FR-targeted therapy (EC145, EC0225, farletuzumab, etc)", "one target"),
    # a kinase inhibitor of one target ("directe[d]") (S315)
    (
        "Exclusion",
        "Received previous therapy with lapatinib, neratinib, pyrotinib or any other HER2 directe tyrosine kinase "
        "inhibitor.",
        "one target",
    ),  # NCT02973737
    # a therapy for another cancer named by its abbreviation (S204, S397)
    (
        "Inclusion",
        "No previous surgery, radiation therapy or chemotherapy for SSCHN is allowed at time of study entry",
        "another cancer",
    ),  # NCT01221753
    (
        "Exclusion",
        "Prior treatment with any systemic anti-cancer therapy for locally advanced/metastatic NSCLC.",
        "another cancer",
    ),  # NCT02296125
    ("Exclusion", "More than 1 line of therapy for treatment of MBC.", "another cancer"),  # NCT00709618
    ("Exclusion", "Any prior systemic treatment for CLL.", "another cancer"),  # NCT02475681
    # a count cap told after the noun (S180)
    ("Inclusion", "Prior chemotherapy regimens ≤1", "count limit"),  # NCT02639767
    # a biopsy timed by a therapy (S037)
    (
        "Inclusion",
        "Fresh tissue biopsy material for genomics analysis prior to initiating dasatinib. If prior XRT, tissue biopsy "
        "must be outside XRT field. Biopsy must be after any prior chemotherapy.",
        "biopsy",
    ),  # NCT00787267
    # a therapy said not to be required (S219)
    (
        "Inclusion",
        "Prior treatment with cytotoxic chemotherapy is not a requirement, but allowed only if used in neoadjuvant, "
        "adjuvant or for bladder preserving protocols, as long as was administered > 6 months prior to starting study.",
        "not to be required",
    ),  # NCT02300610
    (
        "Inclusion",
        "Participants are allowed to receive, but are not required to receive, biologic/targeted (non-cytotoxic) "
        "therapy as part of their primary treatment regimen.",
        "not to be required",
    ),  # NCT02661815
    # a negation only inside a bracketed definition, under the exclusions (S196)
    (
        "Exclusion",
        "Patients that are refractory (i.e. not responded or progressed within 6 months) to a carboplatin, cisplatin, "
        "ifosfamide, or etoposide-based regimen-based regimen",
        "inside brackets",
    ),  # NCT00601718
    # an alternative of not being a candidate (S106, S210)
    (
        "Inclusion",
        "Tumor progression after receiving standard/approved chemotherapy, or lack of candidacy for standard therapy.",
        "alternative",
    ),  # NCT02229981
    # a fragment (S394)
    ("Exclusion", "systemic therapy.", "fragment"),  # NCT01693276
]


@pytest.mark.parametrize(("section", "line", "reason"), UNCERTAIN)
def test_therapy_5_uncertain(section: str, line: str, reason: str) -> None:
    facts = _therapy(section, line)
    assert facts and all(f.uncertain for f in facts), [(f.polarity, f.values, f.uncertain) for f in facts]
    assert any(reason in (f.uncertain or "") for f in facts), [f.uncertain for f in facts]


NARROWED = [
    # a targeted therapy of a target the vocabulary has a class for: that class, not any targeted therapy
    (
        "Exclusion",
        "Participants who received prior treatment with erlotinib or other EGFR-targeted agents",
        {"class.egfr_inhibitor"},
    ),  # NCT02134886
    (
        "Exclusion",
        "Prior EGFR targeted therapy or chemotherapy",
        {"class.chemotherapy", "class.egfr_inhibitor"},
    ),  # constructed from NCT01732640's list; an example list ("No prior therapy, including ...") is left as read
]


@pytest.mark.parametrize(("section", "line", "classes"), NARROWED)
def test_therapy_5_target_class(section: str, line: str, classes: set[str]) -> None:
    facts = _therapy(section, line)
    assert [(f.polarity, set(f.values.classes), f.uncertain) for f in facts] == [(Polarity.EXCLUDE, classes, None)]


KEPT = [
    # "other than MDS": the therapy of other conditions, the patient's too
    (
        "Inclusion",
        "More than 12 months since prior radiotherapy, chemotherapy, or cytotoxic therapy for treatment of conditions "
        "other than MDS",
        Polarity.EXCLUDE,
    ),  # NCT00352001
    # the candidacy alternative belongs to the transplant before the therapy, not to the therapy
    (
        "Inclusion",
        "Patients must have have histologically or cytologically confirmed symptomatic Multiple Myeloma, who are "
        "non-responsive to or ineligible for autologous stem cell transplant, and who progress after prior exposure to "
        "proteasome inhibitor (bortezomib, carfilzomib) and lenalidomide or pomalidomide or thalidomide",
        Polarity.REQUIRE,
    ),  # NCT02477215
    # a required targeted therapy of one target: the wider class is implied (none at all is none of that target)
    (
        "Inclusion",
        "At least two lines of anti-HER2 therapy must have been given in the metastatic setting as monotherapy or "
        "combined with chemotherapy or hormonal therapy. The HER2-targeted agent can include trastuzumab, lapatinib, "
        "or an investigational agent with HER2-inhibitory activity.",
        Polarity.REQUIRE,
    ),  # NCT00679211
    ("Exclusion", "Prior systemic therapy.", Polarity.EXCLUDE),  # not a fragment: capitalised, a line of its own
]


@pytest.mark.parametrize(("section", "line", "polarity"), KEPT)
def test_therapy_5_readings_kept(section: str, line: str, polarity: Polarity) -> None:
    facts = _therapy(section, line)
    assert any(f.polarity is polarity and not f.uncertain for f in facts), [
        (f.polarity, f.values, f.uncertain) for f in facts
    ]
