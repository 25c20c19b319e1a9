"""Rules of session 31's second round (mend49), from comorbid sample 47's five wrong exclusions: another cancer the line
lets in as it stands ("History of prior malignancy is acceptable, but ...") or one told after the start of a therapy
the profile does not date it against ("... developed a second primary malignancy ... after initiation of lenalidomide
maintenance therapy") is not excluded; a hepatitis told "active viral or other" or an infection "of the" agents told
active, and an HIV told "uncompensated", bar only an active or uncontrolled infection. Each criterion below barred a
profile that the text, read as a coordinator would, does not bar: the outcome is now unknown or met, and the profile
the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient
from tests.test_mend41_readings import ACTIVE_HBV, CARRIER, HIV
from tests.test_mend48_readings import PROSTATE

ACCEPTABLE = (  # NCT02283372 (exclusion): DG163
    "History of prior malignancy is acceptable, but prior radiotherapy to the region of the study cancer that would "
    "result in overlap of radiation therapy fields is not allowed."
)
AFTER_LENALIDOMIDE = (  # NCT02322320 (exclusion): DG164
    "Patients who developed a second primary malignancy, excluding non-melanoma skin cancers after initiation of "
    "lenalidomide maintenance therapy on BMT CTN 0702."
)
LIVER = (  # NCT01064622 (exclusion): DG218
    "Patients with clinically active liver disease, including active viral or other hepatitis or cirrhosis are "
    "ineligible"
)
HCV_HBV = (  # NCT03602495 (exclusion): DG235
    "HIV infectious,active infection of the HCV and HBV (HBV-DNA more than 1000 copise/ml，expect the chronic "
    "asymptomatic HBV carrier);"
)
UNCOMPENSATED = "No uncompensated HIV without adequate CD4 (> 200/mm^3) and requiring HIV medication"  # NCT01076556
UNCONTROLLED_HIV = {"name": "HIV infection", "status": "uncontrolled"}


def test_another_cancer_the_line_lets_in_is_not_excluded() -> None:
    assert item_outcome(ACCEPTABLE, patient(conditions=[PROSTATE]), "exclusion").outcome is not Outcome.VIOLATED
    line = "No other prior malignancy is allowed except for adequately treated basal cell skin cancer"
    assert item_outcome(line, patient(conditions=[PROSTATE]), "exclusion").outcome is Outcome.VIOLATED


def test_another_cancer_told_after_the_start_of_a_therapy_is_unknown() -> None:
    found = item_outcome(AFTER_LENALIDOMIDE, patient(conditions=[PROSTATE]), "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "after initiation of" in found.reason
    # the start of the other cancer's own therapy is a window, not an event: what is missing is the cancer's date
    line = (
        "Has a known history of prior malignancy except if the participant has undergone potentially curative therapy "
        "with no evidence of that disease recurrence for 5 years since initiation of that therapy."
    )
    found = item_outcome(line, patient(conditions=[PROSTATE]), "exclusion")
    assert found.missing == ("date of diagnosis of conditions[0]",) and "event" not in found.reason


def test_an_infection_told_active_bars_only_an_active_one() -> None:
    for line in (LIVER, HCV_HBV):
        assert item_outcome(line, patient(conditions=[CARRIER]), "exclusion").outcome is not Outcome.VIOLATED
        assert item_outcome(line, patient(conditions=[ACTIVE_HBV]), "exclusion").outcome is Outcome.VIOLATED
    assert item_outcome(UNCOMPENSATED, patient(conditions=[HIV]), "exclusion").outcome is not Outcome.VIOLATED
    assert item_outcome(UNCOMPENSATED, patient(conditions=[UNCONTROLLED_HIV]), "exclusion").outcome is Outcome.VIOLATED
