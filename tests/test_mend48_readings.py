"""Rules of session 31 (mend48), from comorbid sample 46's three open wrong exclusions: a comorbidity barred "per
assessment by the individual treating physician" is the physician's judgement; a later clause that lets a group of
patients in ("...; however, persons with other active malignancy ... can be considered for participation") names no
one the line excludes; a test the knowledge base does not name, offered after "or" under the same limit ("Calculated
creatinine clearance or MDRD > 60ml/min"), is another way in. Each criterion below barred a profile that the text,
read as a coordinator would, does not bar: the outcome is now unknown, and the profile the text does bar is still
barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient

COMORBIDITY = (  # NCT03600623 (exclusion): DF146
    "Any co-morbid condition such as but not limited to congestive heart failure, cardiac arrhythmia or psychiatric "
    "illness of sufficient severity to limit full compliance with the protocol per assessment by the individual "
    "treating physician"
)
KAPOSI = (  # NCT01249443 (exclusion): DF169
    "Due to availability of effective first- and second-line therapies (as well as disease-specific clinical trials), "
    "patients with diagnosis of active Kaposi sarcoma will be excluded from study participation; however, persons with "
    "other active malignancy with prior history of Kaposi sarcoma can be considered for participation at the "
    "discretion of the Study Chair"
)
MDRD = "Calculated creatinine clearance or MDRD > 60ml/min"  # NCT02054442 (inclusion): DF177

HFPEF = {"name": "heart failure with preserved ejection fraction, NYHA class II", "status": "stable"}
PROSTATE = {"name": "prostate cancer, Gleason 7, on androgen deprivation therapy", "status": "active"}
CLEARANCE_46 = {"test": "creatinine clearance", "value": 46, "unit": "mL/min", "date": "2026-11-07"}


def test_a_comorbidity_the_treating_physician_assesses_is_not_barred_by_its_name() -> None:
    found = item_outcome(COMORBIDITY, patient(conditions=[HFPEF]), "exclusion")
    assert found.outcome is Outcome.UNKNOWN
    assert "treating physician" in found.reason
    assert item_outcome("History of congestive heart failure", patient(conditions=[HFPEF]), "exclusion").outcome is (
        Outcome.VIOLATED
    )


def test_a_group_let_in_after_however_is_not_excluded() -> None:
    assert item_outcome(KAPOSI, patient(conditions=[PROSTATE]), "exclusion").outcome is not Outcome.VIOLATED
    line = "Active melanoma. Patients with other active malignancy may be included."
    assert item_outcome(line, patient(conditions=[PROSTATE]), "exclusion").outcome is not Outcome.VIOLATED
    assert item_outcome("Other active malignancy", patient(conditions=[PROSTATE]), "exclusion").outcome is (
        Outcome.VIOLATED
    )
    # a group the line names before it lets some of them in keeps its exclusion: untreated brain metastases
    line = "Brain metastases; however, patients with treated, stable brain metastases may be included."
    untreated = patient(disease={**patient()["disease"], "brain_metastases": "active"})
    assert item_outcome(line, untreated, "exclusion").outcome is Outcome.VIOLATED


def test_a_test_offered_after_or_that_is_not_read_leaves_the_limit_undecided() -> None:
    # the MDRD estimate is the eGFR, another way in (mend52): unknown without one, failed with one below the limit
    found = item_outcome(MDRD, patient(labs=[CLEARANCE_46]))
    assert found.outcome is Outcome.UNKNOWN
    assert found.missing == ("estimated glomerular filtration rate",)
    egfr_40 = {"test": "eGFR", "value": 40, "unit": "mL/min/1.73m2", "date": "2026-11-07"}
    assert item_outcome(MDRD, patient(labs=[CLEARANCE_46, egfr_40])).outcome is Outcome.VIOLATED
    upper = MDRD.replace(" or ", " OR ")
    assert item_outcome(upper, patient(labs=[CLEARANCE_46])).missing == ("estimated glomerular filtration rate",)
    found = item_outcome("Creatinine clearance or XYZ > 60 ml/min", patient(labs=[CLEARANCE_46]))
    assert found.outcome is Outcome.UNKNOWN and "'or XYZ'" in found.reason
    line = "Calculated creatinine clearance > 60ml/min"
    assert item_outcome(line, patient(labs=[CLEARANCE_46])).outcome is Outcome.VIOLATED
