"""Rules of session 33's fourth round (mend63), from comorbid sample 61 (six more new profiles): a pregnancy named as
one to come, suspected or a test to undergo is no current pregnancy; leptomeningeal disease named without the brain is
not decided by brain metastases on file; "TIA" is not found inside "interstitial"; a pneumonitis is not a pulmonary
fibrosis; an ECOG 3 allowed "if due to bone pain" is unknown for an ECOG 3 of unstated cause; "conjugated (direct)
serum bilirubin" is the direct bilirubin (issue 10, items 2 and 3). Each line is quoted from the registry text."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import hint_trial
from tests.test_issue10_examples import item_outcome, outcome, patient

PREGNANT = {"pregnant": True}
IPF = {"name": "idiopathic pulmonary fibrosis (interstitial lung disease)", "status": "progressive, on nintedanib"}
ACTIVE_BRAIN = {"diagnosis": {"cancer": "papillary thyroid carcinoma", "histology": "papillary",
                              "metastatic_sites": ["brain", "lung"]},
                "disease": {"progressing": True, "measurable": True, "brain_metastases": "active"}}  # fmt: skip


def test_a_pregnancy_to_come_or_suspected_is_no_current_one() -> None:
    doc = patient(**PREGNANT)
    for line in (
        "Women who contemplate pregnancy in the duration of the study",  # NCT00261326, DU331
        "Women of child-bearing potential and men must agree to use adequate contraception (hormonal or barrier method "
        "of birth control or abstinence) prior to study entry and for six months following duration of study "
        "participation; should a woman become pregnant or suspect that she is pregnant while participating on the "
        "trial, she should inform her treating physician immediately",  # NCT02446964, DU385
    ):
        assert item_outcome(line, doc, "exclusion").outcome is not Outcome.VIOLATED, line
    assert item_outcome("Pregnant or breastfeeding women", doc, "exclusion").outcome is Outcome.VIOLATED
    assert item_outcome("Women who are pregnant or plan to become pregnant", doc, "exclusion").outcome is (
        Outcome.VIOLATED
    )


def test_leptomeningeal_disease_alone_is_not_decided_by_brain_metastases() -> None:
    doc = patient(**ACTIVE_BRAIN)
    assert item_outcome("Uncontrolled leptomeningeal disease", doc, "exclusion").outcome is Outcome.UNKNOWN  # DU026
    assert item_outcome("Leptomeningeal disease", doc, "exclusion").outcome is Outcome.UNKNOWN  # DU137
    # named with the brain, as before
    assert item_outcome("Known brain or leptomeningeal metastases", doc, "exclusion").outcome is Outcome.VIOLATED


def test_tia_is_not_inside_interstitial_and_pneumonitis_is_not_fibrosis() -> None:
    doc = patient(conditions=[IPF])
    stroke = "History of stroke or transient ischemic attack (TIA)"  # NCT00446030, DU058
    assert item_outcome(stroke, doc, "exclusion").outcome is not Outcome.VIOLATED
    tia = patient(conditions=[{"name": "TIA, left hemisphere", "status": "2024, no deficit"}])
    assert item_outcome(stroke, tia, "exclusion").outcome is Outcome.VIOLATED
    pneumonitis = "Has a history of (non-infectious) pneumonitis that required steroids or current pneumonitis."
    assert item_outcome(pneumonitis, doc, "exclusion").outcome is Outcome.UNKNOWN  # NCT02853331, DU118
    assert item_outcome("History of interstitial lung disease", doc, "exclusion").outcome is Outcome.VIOLATED


def test_a_worse_score_allowed_for_a_cause_and_direct_bilirubin() -> None:
    line = "ECOG performance status ≤2 (Performance status of 3 if due to bone pain)"  # NCT00133224, DU050
    assert item_outcome(line, patient(ecog=3)).outcome is Outcome.UNKNOWN
    assert item_outcome("ECOG performance status ≤2", patient(ecog=3)).outcome is Outcome.VIOLATED
    total = {"test": "total bilirubin", "value": 2.3, "unit": "mg/dL", "date": "2026-11-11", "upper_limit": 1.2}
    found = outcome(hint_trial("NCT01158885"), "Conjugated (direct) serum bilirubin", patient(labs=[total]))  # DU193
    assert found.outcome is Outcome.UNKNOWN and "direct" in found.reason
