"""Rules of session 28's second round, from comorbid sample 36's wrong exclusions (mend37): an antibody named by a
target the vocabulary does not know, a lab limit in another unit that the value on file meets at its own precision,
the progression of a trial's cancer that the patient has too, a note that a test is not required, and an exclusion
that one phase's list asks and another's does not. Each criterion below barred a profile that the text, read as a
coordinator would, does not bar: the outcome is now unknown, and the profile the text does bar is still barred (issue
10, item 3)."""

from __future__ import annotations

from typing import Any

from matcher.eligibility.criteria import Criterion
from matcher.eligibility.parser import StructuredFields, parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.readings import hint_trial, list_text
from tests.test_issue10_examples import ON, item_outcome, outcome, patient, with_therapies

ANTI_CD33 = (  # NCT02446964 (exclusion): CV046
    "Patients treatment history may not include anti-CD33 monoclonal antibody therapy (e.g., SGN-CD33 or Mylotarg)"
)
CREATININE_UMOL = "Creatinine ≤ 150 μmol/L"  # NCT00275080 (inclusion): CV103
MCRPC = (  # NCT03043989 (inclusion 1)
    "Men with metastatic castrate-resistant prostate cancer (prostate cancer progressing despite castrate levels of "
    "testosterone <50 ng/dL), using standard measures of progression defined by PCWG2"
)
NO_CLINICAL_PROGRESSION = (  # NCT03043989 (inclusion 7): CV195
    "No evidence of clinical progression, in the form of increased lesions on cross-sectional imaging, or new "
    "cancer-attributable symptoms or worsening of existing symptoms"
)
AIDS_TESTING_NOTE = (  # NCT01086345 (exclusion): CV293
    "Acquired immune deficiency syndrome (AIDS) based upon current CDC definition; note, however, that HIV testing is "
    "not required for entry into this protocol"
)
AIDS_HIV_LET_IN = (  # NCT02775812 (exclusion): the same note, and HIV let in by a later clause (the review of rules 57)
    "Acquired immune deficiency syndrome (AIDS) based upon current Center for Disease Control and Prevention (CDC) "
    "definition; note: human immunodeficiency virus (HIV) testing is not required for entry into this protocol; the "
    "need to exclude patients with AIDS from this protocol is necessary because the cisplatin and IMRT involved in "
    "this protocol may be significantly immunosuppressive; patients with known HIV, CD4 counts >= 250/uL, and "
    "undetectable viral loads who are stable on an antiretroviral regimen may be included"
)

PEMBROLIZUMAB = {"name": "pembrolizumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}
HIV = {
    "name": "HIV infection, viral load undetectable, CD4 520 cells/uL",
    "status": "controlled on antiretroviral therapy",
}


def _creatinine(value: float, unit: str) -> dict[str, Any]:
    return patient(labs=[{"test": "creatinine", "value": value, "unit": unit, "date": "2026-11-06"}])


def _prostate_trial(*items: str) -> tuple[TrialInfo, tuple[Criterion, ...]]:
    criteria = parse_text(list_text(*items), StructuredFields(conditions=("Prostate Cancer",)))
    return TrialInfo("NCT03043989", "mend37", "RECRUITING", ("PHASE2",)), tuple(criteria)


def test_an_antibody_of_a_target_the_vocabulary_does_not_know_is_not_every_antibody() -> None:
    found = item_outcome(ANTI_CD33, with_therapies(PEMBROLIZUMAB), "exclusion")  # CV046
    assert found.outcome is Outcome.UNKNOWN and "antibody of one target or kind (anti-CD33)" in found.reason
    bare = "Patients treatment history may not include monoclonal antibody therapy"
    assert item_outcome(bare, with_therapies(PEMBROLIZUMAB), "exclusion").outcome is Outcome.VIOLATED
    # a target the vocabulary has a class for is that class ("anti-CTLA-4": not pembrolizumab, "anti-PD-1": it), and
    # other antibodies beside the target's are read as before (the review of rules 57)
    for line, barred in (
        ("Patients treatment history may not include anti-PD-1 monoclonal antibody therapy", Outcome.VIOLATED),
        ("Patients treatment history may not include anti-CTLA-4 monoclonal antibody therapy", Outcome.SATISFIED),
        ("Prior anti-CD137 monoclonal antibody or other monoclonal antibodies", Outcome.VIOLATED),
    ):
        assert item_outcome(line, with_therapies(PEMBROLIZUMAB), "exclusion").outcome is barred, line


def test_a_limit_in_another_unit_the_value_meets_at_its_own_precision_is_unknown() -> None:
    found = item_outcome(CREATININE_UMOL, _creatinine(1.7, "mg/dL"))  # CV103: 150.3 umol/L
    assert found.outcome is Outcome.UNKNOWN and "at the precision of the value on file" in found.reason
    # an exclusion too: "> 1.5 mg/dL" is 25.7 umol/L, 26 beside a bilirubin of 26 umol/L (the review of rules 57)
    bilirubin = patient(labs=[{"test": "total bilirubin", "value": 26, "unit": "μmol/L", "date": "2026-11-06"}])
    assert item_outcome("Bilirubin greater than 1.5 mg/dL", bilirubin, "exclusion").outcome is Outcome.UNKNOWN
    assert item_outcome(CREATININE_UMOL, _creatinine(2.0, "mg/dL")).outcome is Outcome.VIOLATED
    # in the trial's own unit no conversion blurs the value: 150.3 umol/L fails "<= 150 umol/L"
    assert item_outcome(CREATININE_UMOL, _creatinine(150.3, "μmol/L")).outcome is Outcome.VIOLATED
    # a value clear of the limit after conversion still fails it: 89 g/L is 8.9 g/dL
    low = patient(labs=[{"test": "hemoglobin", "value": 89, "unit": "g/L", "date": "2026-11-06"}])
    assert item_outcome("Hemoglobin ≥ 9 g/dL", low).outcome is Outcome.VIOLATED


def test_the_progression_of_a_trials_cancer_the_patient_has_too_is_unknown() -> None:
    trial = _prostate_trial(MCRPC, NO_CLINICAL_PROGRESSION)
    on_adt = patient(
        conditions=[{"name": "prostate cancer, Gleason 7, on androgen deprivation therapy", "status": "active"}]
    )
    found = outcome(trial, NO_CLINICAL_PROGRESSION[:20], on_adt)  # CV195: his thyroid cancer progresses
    assert found.outcome is Outcome.UNKNOWN and "is of prostate cancer, on file" in found.reason
    # without prostate cancer on file the line is still the trial's cancer's, violated as before
    found = outcome(trial, NO_CLINICAL_PROGRESSION[:20], patient())
    assert found.outcome is Outcome.VIOLATED and "trial is for prostate cancer" in found.reason


def test_a_test_the_text_says_is_not_required_asks_no_infection() -> None:
    found = item_outcome(AIDS_TESTING_NOTE, patient(conditions=[HIV]), "exclusion")  # CV293: HIV, no AIDS
    assert found.outcome is Outcome.UNKNOWN
    found = item_outcome(AIDS_HIV_LET_IN, patient(conditions=[HIV]), "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "lets some patients with HIV in" in found.reason
    other_order = "AIDS; note, however, that testing for HIV is not required"
    assert item_outcome(other_order, patient(conditions=[HIV]), "exclusion").outcome is Outcome.UNKNOWN
    assert item_outcome("Known HIV infection", patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED


def test_an_exclusion_only_one_phases_list_asks_does_not_bar_the_trial() -> None:
    trial = hint_trial("NCT01602952")  # "Phase I" / ... / "15. HIV infection" / "Phase II" / ... (no HIV)
    assert outcome(trial, "HIV infection", patient(conditions=[HIV])).outcome is Outcome.UNKNOWN  # CV300
    # what both phases' lists ask still bars: "Patients who are pregnant or breast-feeding ..." under each
    pregnant = match_trial(*trial, parse_patient(patient(pregnant=True)).patient, ON, load_knowledge())
    found = [r.outcome for r in pregnant.results if r.criterion.display_text.startswith("Patients who are pregnant")]
    assert found == [Outcome.VIOLATED, Outcome.VIOLATED]
