"""Therapy 20 (issue 10; tests/audit/therapy20_changes.txt): prior-therapy misreadings of fresh sample 20's blind audit
and two helpers, each quoting the registry text it came from. A therapy given for another cancer told far after "for"
(past a long bracket) or for "this recurrence" of the trial's disease is not told apart from the patient's; a therapy
named "with or without", "whether or not previously treated with" or "+/-" is neither required nor excluded; a drug
named in a statement of its metabolism, and a surgery named as the time of something done before it, are none the
patient had; a window counted to a relapse is not one counted to today."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Polarity
from tests.readings import NONE, UNCERTAIN, check
from tests.readings import therapy_facts as _therapy


@pytest.mark.parametrize(
    ("line", "why"),
    [
        # NCT02075840 (fresh sample 20's AA339): the disease is past a long stage bracket
        (
            "Participants with no prior systemic treatment for advanced or recurrent (Stage IIIB not amenable for "
            "multimodality treatment) or metastatic (Stage IV) NSCLC",
            "a therapy for another cancer ('NSCLC')",
        ),
        # NCT00087451 (fresh sample 20's AA002), a glioma trial: "this recurrence" is the glioma's
        (
            "Patients must have a radiographically suspected progressive or recurrent primary malignant glioma "
            "(glioblastoma multiforme or gliosarcoma) and must have failed standard therapy. Patients may not have "
            "received any systemic therapy for the treatment of this recurrence or relapse",
            "a therapy for one recurrence",
        ),
    ],
)
def test_therapy_20_a_therapy_of_another_disease_is_uncertain(line: str, why: str) -> None:
    facts = _therapy("Inclusion", line)
    check(facts, UNCERTAIN)
    assert all(f.polarity is Polarity.EXCLUDE and f.uncertain and f.uncertain.startswith(why) for f in facts)


def test_therapy_20_whether_or_not_previously_treated_asks_only_the_other_therapy() -> None:
    """NCT02040870: the crizotinib is asked for, the cytotoxic chemotherapy neither way."""
    facts = _therapy(
        "Inclusion",
        "Patients must have stage IIIB or IV NSCLC at the time of study entry and have had progressive disease during "
        "or after crizotinib treatment whether or not previously treated with cytotoxic chemotherapy. If treated with "
        "chemotherapy, maximum 2 lines are allowed.",
    )
    assert [(f.polarity, f.values.drugs, f.values.classes, bool(f.uncertain)) for f in facts] == [
        (Polarity.REQUIRE, ("drug.crizotinib",), (), True)
    ]


@pytest.mark.parametrize(
    ("line", "within"),
    [
        # NCT00423696: oxaliplatin is not barred, the adjuvant chemotherapy (uncertain) is
        ("At least 6 months since prior adjuvant chemotherapy (fluorouracil with or without oxaliplatin)", True),
        ("No prior adjuvant chemotherapy comprising irinotecan hydrochloride with or without bevacizumab", False),
    ],
)
def test_therapy_20_with_or_without_a_drug_does_not_bar_it(line: str, within: bool) -> None:
    facts = _therapy("Inclusion", line)
    assert [(f.polarity, f.values.drugs, f.values.classes, f.values.within is not None) for f in facts] == [
        (Polarity.EXCLUDE, (), ("class.chemotherapy",), within)
    ]
    assert all(f.uncertain for f in facts)


def test_therapy_20_a_regimen_with_or_without_more_chemotherapy_is_still_the_regimen() -> None:
    """NCT01116648: no "chemotherapy except chemotherapy"; the platinum regimen is asked for."""
    facts = _therapy(
        "Inclusion",
        "Prior chemotherapy must have included a first-line platinum-based regimen with or without intravenous "
        "consolidation chemotherapy",
    )
    assert [(f.polarity, f.values.classes, f.values.except_classes) for f in facts] == [
        (Polarity.REQUIRE, ("class.chemotherapy", "class.platinum"), ())
    ]


@pytest.mark.parametrize(
    "line",
    [
        # NCT00258349: the chemotherapy beside the trastuzumab is optional
        "Recurrent or progressive disease while receiving prior trastuzumab (Herceptin) (with or without chemotherapy) "
        "OR relapsed within 3 months of last dose of prior adjuvant trastuzumab for metastatic disease",
        # NCT02142803: a definition of relapse, "+/-" the chemotherapy
        "For stage 1 (all patients) and dose expansion (stage 2) endometrial and ovarian cancer cohorts, participants "
        "are allowed following unlimited prior therapy; for stage 2 GBM participants, no more than 2 prior relapses "
        "are allowed; for these patients, relapse is defined as progression following initial therapy (i.e. radiation "
        "+/- chemo if that was used as initial therapy) or a subsequent therapy",
        # NCT00268385 (moved from tests/test_scope20_readings.py, which read it uncertain by "if that was used"): the
        # "+/-" chemotherapy is not read at all
        "Patients with recurrent disease may have had treatment for any number of prior relapses; relapse is defined "
        "as progression following initial therapy (i.e. radiation +/- chemo if that was used as initial therapy)",
        # NCT01266031: statements about the study drug
        "Patients receiving treatment with any antiepileptic medications except Valproic acid (because of its HDAC "
        "inhibitory activity) can be included in the study. Vorinostat is not metabolized by Cytochrome P450 3A4 "
        "(CYP 3A4); however, Vorinostat may potentially suppress CYP 3A4 activity. Therefore, patients should "
        "preferably be treated with nonenzyme inducing anti-epileptic medications although this is not mandatory.",
        # NCT02775812, NCT00544076: the surgery to come
        "Examination by an ear nose and throat (ENT) or head & neck surgeon prior to surgery; a laryngopharyngoscopy "
        "(mirror and/or fiberoptic and/or direct procedure), if appropriate, is recommended but not required; "
        "intra-operative examination is acceptable documentation",
        "Ability to achieve erections sufficient for intercourse prior to surgery and an SHIMS-5 score of >= 22",
    ],
)
def test_therapy_20_no_therapy_of_the_patients_is_asked(line: str) -> None:
    check(_therapy("Inclusion", line), NONE)


def test_therapy_20_plus_minus_leaves_the_chemotherapy_unasked() -> None:
    """NCT00045708: progression after radiotherapy is asked for, the chemotherapy neither way."""
    facts = _therapy(
        "Inclusion",
        "Patients must have histologically proven malignant glioma (anaplastic astrocytoma or glioblastoma multiforme) "
        "which is progressive or recurrent following radiation therapy +/- chemotherapy; patients with previous low "
        "grade glioma who progressed after radiotherapy +/- chemotherapy and are biopsied and found to have a high "
        "grade glioma are eligible",
    )
    assert [(f.values.categories, f.values.classes) for f in facts] == [(("radiotherapy",), ())]


def test_therapy_20_a_window_counted_to_a_relapse_is_uncertain() -> None:
    """NCT00470054: the 90 days run from the chemotherapy to the relapse, not to today."""
    facts = _therapy(
        "Inclusion",
        "Progressive or recurrent disease after an initial response to first-line treatment with a platinum-based "
        "chemotherapy with or without concurrent definitive radiotherapy to the chest (chemotherapy must have been "
        "completed at least 90 days prior to documentation of relapse)",
    )
    check(facts, UNCERTAIN)
    assert all(f.uncertain == "the window is counted to a relapse, not to today" for f in facts)
