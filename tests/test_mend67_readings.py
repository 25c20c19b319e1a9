"""Rules of session 34's third round (mend67), from comorbid sample 63: a breast-feeding ban that lets in a woman who
stops, or bars breast-feeding over the study's time only, is not decided by breast-feeding now; a lab limit asked of a
finding of a named cause ("anemia attributed to the plasma cell disorder") is not decided by the value alone; a
malignant pleural effusion on file is the patient's own cancer's spread, not another cancer (issue 10, item 3). Each
line is quoted from the registry text."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient

NURSING = {"breastfeeding": True, "pregnant": False}
EFFUSION = {"name": "malignant pleural effusion, right", "status": "drained 2026-10-28, reaccumulating"}


def test_a_breastfeeding_ban_a_woman_may_meet_by_stopping_is_not_decided() -> None:
    for line in (
        "Pregnant or breast feeding females. (Lactating females must agree not to breast feed while taking "
        "lenalidomide).",  # NCT01202890, DW028
        "No nursing during and for ≥ 3 months after study participation",  # NCT00126542, DW334
    ):
        assert item_outcome(line, patient(**NURSING), "exclusion").outcome is Outcome.UNKNOWN, line
    assert item_outcome("Women who are pregnant or breast-feeding", patient(**NURSING), "exclusion").outcome is (
        Outcome.VIOLATED
    )


def test_a_lab_limit_asked_of_a_finding_of_a_cause_is_not_decided() -> None:
    anaemic = patient(labs=[{"test": "hemoglobin", "value": 9.4, "unit": "g/dL", "date": "2026-11-17"}])
    line = (  # NCT02697383, DW361
        "Absence of anemia attributed to the plasma cell disorder*: Hemoglobin >10 g/dl or not more than 2g/dL below "
        "the lower limit of normal"
    )
    assert item_outcome(line, anaemic).outcome is Outcome.UNKNOWN
    assert item_outcome("Hemoglobin >10 g/dl", anaemic).outcome is Outcome.VIOLATED


def test_a_malignant_effusion_is_no_other_cancer() -> None:
    line = "Other invasive malignancy except nonmelanoma skin cancer"  # NCT00705315, DW159
    assert item_outcome(line, patient(conditions=[EFFUSION]), "exclusion").outcome is not Outcome.VIOLATED
    second = {"name": "prostate adenocarcinoma", "status": "active, on androgen deprivation"}
    assert item_outcome(line, patient(conditions=[EFFUSION, second]), "exclusion").outcome is Outcome.VIOLATED
