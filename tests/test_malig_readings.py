"""Malignancy history in a trial that is not for cancer (tests/audit/malig_changes.txt): "no history of previous or
active malignancy" in a multiple sclerosis transplant trial excludes any cancer, the patient's own thyroid cancer
included; where the trial may be for cancer, the exclusion stays one of other cancers. Each line quotes registry text
of the tuning corpora, with the trial it came from."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from matcher.eligibility.criteria import Fact, FactKind, Polarity
from matcher.eligibility.kinds import other_malignancy
from matcher.eligibility.kinds.other_malignancy import OtherMalignancyValues
from matcher.eligibility.parser import StructuredFields, parse_text
from matcher.knowledge_base import load_knowledge
from matcher.patient import load_patient

_PATIENT = load_patient(Path(__file__).parents[1] / "examples" / "rair-papillary-braf.json").patient
assert _PATIENT.diagnosis is not None
_ON = date(2026, 12, 5)

# NCT01679041 (conditions: multiple sclerosis; fresh samples 5, 11, 12: K052, R029, S043, S149, S291, S393)
_MS_TRIAL = (
    "Inclusion Criteria:\n\n"
    "Patients carry a diagnosis of multiple sclerosis, according to the McDonald's criteria for diagnosis "
    "(Polman et al, 2011).\n\n"
    "No evidence of myelodysplastic syndrome on peripheral blood smear\n\n"
    "Baseline serum creatinine must be <1.5 mg/dL, left ventricular ejection fraction >55%, adequate pulmonary "
    "functions (oxygen saturation at room air of >90%), and AST and ALT not > 2x upper limits of normal, and no "
    "history of previous or active malignancy, except for localized cutaneous basal or squamous cell carcinoma in "
    "situ of the cervix.\n\n"
    "Exclusion Criteria:\n\n"
    "Diagnosis of primary progressive MS.\n"
)
# NCT00882193 (conditions: chronic hepatitis c, genotype 1, relapse)
_HCV_TRIAL = (
    "Exclusion Criteria:\n\n"
    "- Evidence of active or suspected malignancy or a history of malignancy within the last five years (with the "
    "exception of adequately treated basal cell carcinoma of the skin).\n"
)


def _malignancy(text: str, conditions: tuple[str, ...]) -> Fact:
    found = [f for c in parse_text(text, StructuredFields(conditions=conditions)) for f in c.facts
             if f.kind is FactKind.OTHER_MALIGNANCY]  # fmt: skip
    assert len(found) == 1
    return found[0]


def test_a_trial_not_for_cancer_excludes_the_patients_own_cancer() -> None:
    fact = _malignancy(_MS_TRIAL, ("multiple sclerosis",))
    assert fact.polarity is Polarity.EXCLUDE and fact.uncertain is None
    assert isinstance(fact.values, OtherMalignancyValues) and fact.values.any_cancer
    finding = other_malignancy.evaluate(fact, _PATIENT, _ON, load_knowledge())
    assert finding.has is True
    assert finding.reason.startswith("trial excludes any history of cancer")
    assert "thyroid" in finding.reason


def test_without_a_conditions_list_it_stays_other_cancers() -> None:
    fact = _malignancy(_MS_TRIAL, ())
    assert isinstance(fact.values, OtherMalignancyValues) and not fact.values.any_cancer
    assert other_malignancy.evaluate(fact, _PATIENT, _ON, load_knowledge()).has is not True


def test_a_conditions_list_naming_a_cancer_or_a_transplant_keeps_other_cancers() -> None:
    # a transplant may be for a blood cancer; a cancer in the list makes the trial one for cancer
    for conditions in (("multiple sclerosis", "Hematopoietic Stem Cell Transplantation"), ("Thyroid Cancer",)):
        fact = _malignancy(_MS_TRIAL, conditions)
        assert isinstance(fact.values, OtherMalignancyValues) and not fact.values.any_cancer


def test_an_inclusion_naming_a_cancer_keeps_other_cancers() -> None:
    # NCT01679041's lines beside an inclusion that names a cancer (NCT03131206's cohort C) leave it unclear
    text = _MS_TRIAL.replace(
        "No evidence of myelodysplastic syndrome on peripheral blood smear",
        "Subjects must have a histologically or cytologically confirmed diagnosis of metastatic thyroid cancer (Stage "
        "IV) that carries either a RET rearrangement or activating RET mutation, as determined by FISH, RT-PCR, or NGS "
        "via a CLIA-certified LDT.",
    )
    fact = _malignancy(text, ("multiple sclerosis",))
    assert isinstance(fact.values, OtherMalignancyValues) and not fact.values.any_cancer


def test_a_window_counts_the_own_cancer_by_its_diagnosis_date() -> None:
    fact = _malignancy(_HCV_TRIAL, ("chronic hepatitis c", "genotype 1", "relapse"))
    assert isinstance(fact.values, OtherMalignancyValues) and fact.values.any_cancer
    assert fact.values.within is not None and str(fact.values.within) == "5 years"
    kb, diagnosis = load_knowledge(), _PATIENT.diagnosis
    assert diagnosis is not None
    recent = replace(_PATIENT, diagnosis=replace(diagnosis, diagnosed_on=date(2023, 3, 1)))
    undated = replace(_PATIENT, diagnosis=replace(diagnosis, diagnosed_on=None))
    assert other_malignancy.evaluate(fact, recent, _ON, kb).has is True
    assert other_malignancy.evaluate(fact, undated, _ON, kb).has is None


def test_a_malignancy_the_investigator_judges_stays_other_cancers() -> None:
    # NCT00300222 (conditions: peripheral nervous system diseases, pain, neuralgia, herpes zoster, shingles)
    text = (
        "Exclusion Criteria:\n\n"
        "- Significant ongoing or untreated abnormalities or conditions, including active malignancy defined as "
        "treatment required in the last five (5) years, that in the opinion of the investigator would interfere "
        "either with the ability to complete the study or the evaluation of AEs.\n"
    )
    conditions = ("peripheral nervous system diseases", "pain", "neuralgia", "herpes zoster", "shingles")
    fact = _malignancy(text, conditions)
    assert isinstance(fact.values, OtherMalignancyValues) and not fact.values.any_cancer


def test_a_trial_for_axial_spondyloarthritis_excludes_any_cancer() -> None:
    # NCT02552212 (conditions: Axial Spondyloarthritis, Nonradiographic Axial Spondyloarthritis, Nr-axSpA)
    text = "Exclusion Criteria:\n\n* Concurrent malignancy or a history of malignancy\n"
    fact = _malignancy(text, ("Axial Spondyloarthritis", "Nonradiographic Axial Spondyloarthritis", "Nr-axSpA"))
    assert isinstance(fact.values, OtherMalignancyValues) and fact.values.any_cancer
    assert other_malignancy.evaluate(fact, _PATIENT, _ON, load_knowledge()).has is True
