"""Rules of session 29's third round, from comorbid sample 39's wrong exclusions (mend40): heart conditions given as
examples of abnormalities "not responding to medical treatments"; a lab limit a group of patients is spared; another
cancer's exclusion with a waiver "unless approved by the protocol Chair"; an infection told by its viral load or by the
liver tests that define it. Each criterion below barred a profile that the text, read as a coordinator would, does not
bar: the outcome is now unknown, and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient

ECG_NOT_RESPONDING = (  # NCT02734160 (exclusion, under "Have moderate or severe cardiovascular disease:"): CY013
    "Have documented major electrocardiogram (ECG) abnormalities (not responding to medical treatments; for example, "
    "atrial fibrillation, bundle branch blocks, or as approved by the sponsors)."
)
HBA1C_SPARED = "HbA1c < 8%* *Subjects in the bariatric surgery arm will not need to fulfil this criterion."  # CY112
WAIVER = (  # NCT00601718 (exclusion): CY128
    "Patients with other prior malignancies except for adequately treated basal cell carcinoma, squamous cell "
    "carcinoma of the skin, cervical cancer in situ, or other cancer from which the patient has been disease free for "
    "5 years or greater, unless approved by the protocol Chair or Co-Chair"
)
HBV_DNA = "Hepatitis B virus deoxyribonucleic acid (DNA) levels >2,000 international units/mL."  # NCT01258608: CY235
HEPATITIS_BY_TESTS = (  # NCT01313559 (exclusion): CY237
    "Active gallbladder disease or hepatitis (AST or ALT > 2.0, or bilirubin > 1.5x ULN), liver cirrhosis, or severe "
    "liver impairment (Child-Pugh class C)."
)

CONTROLLED_AF = {"name": "paroxysmal atrial fibrillation", "status": "controlled"}
CARRIER = {"name": "chronic hepatitis B, inactive carrier", "status": "inactive"}
CLL = {"name": "chronic lymphocytic leukemia, Rai stage 0, untreated, watch and wait", "status": "active"}


def test_heart_conditions_told_not_responding_to_treatment() -> None:
    found = item_outcome(ECG_NOT_RESPONDING, patient(conditions=[CONTROLLED_AF]), "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "not responding to medical treatment" in found.reason
    bare = "Have documented major electrocardiogram (ECG) abnormalities (for example, atrial fibrillation)."
    assert item_outcome(bare, patient(conditions=[CONTROLLED_AF]), "exclusion").outcome is Outcome.VIOLATED


def test_a_limit_some_patients_are_spared_is_unknown() -> None:
    high = patient(labs=[{"test": "HbA1c", "value": 8.4, "unit": "%", "date": "2026-11-03"}])
    found = item_outcome(HBA1C_SPARED, high)
    assert found.outcome is Outcome.UNKNOWN and "some patients are spared the limit" in found.reason
    assert item_outcome("HbA1c < 8%", high).outcome is Outcome.VIOLATED


def test_another_cancer_with_a_waiver_is_unknown() -> None:
    found = item_outcome(WAIVER, patient(conditions=[CLL]), "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "a waiver the profile cannot settle" in found.reason
    without = WAIVER.removesuffix(", unless approved by the protocol Chair or Co-Chair")
    assert item_outcome(without, patient(conditions=[CLL]), "exclusion").outcome is Outcome.VIOLATED


def test_an_infection_told_by_a_measure_the_profile_lacks() -> None:
    for line in (HBV_DNA, HEPATITIS_BY_TESTS):
        found = item_outcome(line, patient(conditions=[CARRIER]), "exclusion")
        assert found.outcome is Outcome.UNKNOWN and "a measure the profile does not record" in found.reason, line
    hiv = {"name": "HIV infection, viral load undetectable", "status": "controlled on antiretroviral therapy"}
    load = "Known HIV infection with viral load > 200 copies/mL"
    assert item_outcome(load, patient(conditions=[hiv]), "exclusion").outcome is Outcome.UNKNOWN
    assert item_outcome("Known hepatitis B infection", patient(conditions=[CARRIER]), "exclusion").outcome is (
        Outcome.VIOLATED
    )


def test_each_rule_stays_with_what_its_words_are_about() -> None:
    """The review of rules 60: each of these kept its violated outcome."""
    chf = {"name": "congestive heart failure", "status": "stable"}
    line = "Uncontrolled hypertension (not responsive to antihypertensive medication) or congestive heart failure"
    assert item_outcome(line, patient(conditions=[chf]), "exclusion").outcome is Outcome.VIOLATED
    low_anc = patient(
        labs=[{"test": "absolute neutrophil count", "value": 1.0, "unit": "10^9/L", "date": "2026-11-03"}]
    )
    gilbert = (
        "ANC ≥ 1.5 x 10^9/L, total bilirubin ≤ 1.5 x ULN (patients with Gilbert's syndrome will not need to fulfil "
        "this criterion)"
    )
    assert item_outcome(gilbert, low_anc).outcome is Outcome.VIOLATED
    other = "Other active malignancy. No concurrent investigational agents unless approved by the sponsor."
    assert item_outcome(other, patient(conditions=[CLL]), "exclusion").outcome is Outcome.VIOLATED
    hepatitis_c = {"name": "chronic hepatitis C", "status": "active"}
    both = "HIV infection with viral load > 200 copies/mL, or active hepatitis B or C"
    assert item_outcome(both, patient(conditions=[hepatitis_c]), "exclusion").outcome is Outcome.VIOLATED
