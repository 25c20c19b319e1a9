"""The age and lab sweep (issue 10; tests/audit/agelab_sweep_changes.txt): every `violated` outcome of the audit pool
whose deciding fact is an age or a lab limit was read against its trial's text, and the wrong ones fall into classes
of phrasing. Each row quotes registry text of the tuning corpora, with the trial it came from, and its expected
reading; each class has rows that must keep their reading."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from matcher.eligibility.criteria import Fact, FactKind, Polarity
from matcher.eligibility.kinds import age
from matcher.eligibility.kinds.age import AgeValues
from matcher.eligibility.kinds.lab import LabValues
from matcher.knowledge_base import load_knowledge
from matcher.patient import load_patient
from tests.readings import item_facts as _facts

_PATIENT = load_patient(Path(__file__).parents[1] / "examples" / "rair-papillary-braf.json").patient
assert _PATIENT.diagnosis is not None
_DIAGNOSIS = _PATIENT.diagnosis


def _age(section: str, line: str) -> Fact:
    facts = _facts(section, line, FactKind.AGE)
    assert len(facts) == 1, facts
    return facts[0]


# --- age: an upper-bound comparator before the word "age" ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "values"),
    [
        # NCT00301951: "Under age 55" was read as >= 55
        (
            "Under age 55 and deemed ineligible for conventional high-dose chemotherapy, as indicated by any of the "
            "following:",
            AgeValues(op="<", years=55),
        ),
        # NCT00446173: "< age 65" was read as >= 65
        (
            "Patients with Philadelphia (Ph) chromosome positive CML < age 65 and older than 21 years.",
            AgeValues(min_years=22, max_years=64),
        ),
        # NCT02153905: the upper end was read as a second lower bound
        (
            "Greater than or equal to 18 years of age and less than or equal to age 70.",
            AgeValues(min_years=18, max_years=70),
        ),
        ("Healthy adults under age 60", AgeValues(op="<", years=60)),  # NCT05594173
        ("Age >= 18 years", AgeValues(op=">=", years=18)),  # kept
    ],
)
def test_an_upper_bound_before_age_reads_as_an_upper_limit(line: str, values: AgeValues) -> None:
    fact = _age("Inclusion", line)
    assert (fact.values, fact.uncertain) == (values, None)


# --- age: several age bands (groups, alternatives): their envelope ---------------------------------------------------


@pytest.mark.parametrize(
    ("line", "values"),
    [
        (  # NCT00636922: read as >= 60, which excluded the relapsed/refractory group
            "Untreated AML patients (defined by WHO 2008 criteria) over the age of 60 or relapsed/refractory AML over "
            "the age of 18 who have received up to 2 previous lines of intensive chemotherapy",
            AgeValues(op=">=", years=18),
        ),
        (  # NCT01130662
            "≥ 60 years of age with newly diagnosed AML that is not eligible for standard induction or ≥ 18 years of "
            "age with relapsed/refractory AML",
            AgeValues(op=">=", years=18),
        ),
        (  # NCT00719797: read as 71 to 75
            "ECOG performance status (PS) 0-2 (≤ 70 years of age) OR ECOG PS 0 (71-75 years of age)",
            AgeValues(op="<=", years=75),
        ),
        (  # NCT00030407: read as 18 to 69
            "Age 70 years and over with SWOG performance status 0-2 OR age 18 to 69 with SWOG performance status 2",
            AgeValues(op=">=", years=18),
        ),
        (  # NCT01090167: read as 60 to 74
            "Age at the time of informed consent 20 years up to 74 years; 60 years or older for patients with "
            "previously untreated AML",
            AgeValues(op=">=", years=20),
        ),
        (  # NCT00963872: read as 18 to 70
            "Age 18 to 70 years of age; patients ≥ 70 but ≤ 75 years are eligible if the co-morbidity score is ≤ 2",
            AgeValues(op="<=", years=75),
        ),
        (  # NCT00542971: read as 15 to 60
            "Patients aged 15 to 60 years are eligible. Patients older than 60 who are deemed fit to receive "
            "intensive chemotherapy by the treating physician are eligible after discussion with the Principal "
            "Investigator (PI).",
            AgeValues(op=">=", years=15),
        ),
        (  # NCT02212561: two groups' upper limits, kept as the higher one
            "Age criteria: Patients treated at collaborating sites and current St. Jude patients who are on therapy or "
            "within 3 years of completion of therapy must be ≤ 24 years old. All other St. Jude patients must be < 21 "
            "years old.",
            AgeValues(op="<=", years=24),
        ),
        ("Age 18-75", AgeValues(min_years=18, max_years=75)),  # one band: kept
    ],
)
def test_several_age_bands_read_as_their_envelope(line: str, values: AgeValues) -> None:
    fact = _age("Inclusion", line)
    assert (fact.values, fact.uncertain) == (values, None)


# --- age: one alternative of several, an age at diagnosis, an age with another condition: uncertain ------------------


@pytest.mark.parametrize(
    ("section", "line", "doubt"),
    [
        ("Inclusion", "Patient is age ≥ 65 year of age or who are ineligible for autologous stem cell transplantation.",
         "alternatives"),  # NCT01857115
        # NCT02255162
        ("Inclusion", "Have a diagnosis of high-risk AML as established by a poor-risk karyotype, adverse risk by ELN "
         "criteria, a therapy-related AML, age ≥ 60 or with antecedent hematologic disorder", "alternatives"),
        ("Inclusion", "Positive axillary lymph nodes;negative axillary lymph node with age< 35 years or Ⅲ grade or "
         "intravascular cancer embolus.", "alternatives"),  # NCT01378533
        ("Inclusion", "≥75 years of age OR", "alternatives"),  # NCT02348489
        ("Inclusion", "Age Patients must be < 21 years of age when originally diagnosed with ALL. Patient must be > 1 "
         "year of age at study entry.", "at diagnosis"),  # NCT00440726
        ("Exclusion", "Patients with a history of clinically significant atrial and/or ventricular arrhythmias "
         "including but not limited to: atrial fibrillation, ventricular tachycardia, heart block or greater than or "
         "equal to age 60 with an left ventricular ejection fraction (LVEF) < 50%", "another condition"),  # NCT00924001
    ],
)  # fmt: skip
def test_an_age_that_is_no_limit_of_today_is_uncertain(section: str, line: str, doubt: str) -> None:
    fact = _age(section, line)
    assert fact.uncertain and doubt in fact.uncertain


@pytest.mark.parametrize(
    "line",
    [
        "Age > 18 years or legal age of consent per local regulations.",  # NCT02655458
        "Male and female patients age at least 18 years of age, or age of consent in the region.",  # NCT02364999
        "Age 18 years or older",
        "Patients must be 70 years of age or older.",  # NCT00351039
    ],
)
def test_an_age_limit_with_a_legal_age_or_its_own_or_stays_decided(line: str) -> None:
    assert _age("Inclusion", line).uncertain is None


# --- review of the sweep (helper revagelab): an upper bound before "age" that is no upper limit ---------------------
# No tuning text words these as the sweep's rule reads them (the corpora hold six "under/< age N" texts, all kept
# above); the rows are the phrasings the rule reaches, each read before the review as an upper limit of today's age
# that excluded every adult, or an older patient diagnosed young. The real texts of the class stay as they were.


@pytest.mark.parametrize(
    "line",
    [
        # the brief's phrasing: a group the sentence asks consent of, not an upper limit
        "Patients under the age of 18 must have consent of a parent or guardian",
        "Patients under the age of 18 years at the time of consent will require assent",
        "Patients younger than 18 years must have consent of a parent or guardian",
        # a subgroup of another limit ("Karnofsky ≥ 70% for patients under age 65"), with the comparator between
        "Zubrod 0-2 for patients under age 65 and 0-1 for patients age 65 or older",
        # a condition of another attribute
        "Ineligible for transplant if under age 65",
    ],
)
def test_an_upper_age_bound_of_a_group_or_condition_is_no_limit(line: str) -> None:
    assert _facts("Inclusion", line, FactKind.AGE) == []


def test_an_upper_age_bound_with_a_negated_modal_stays_a_limit() -> None:
    fact = _age("Exclusion", "Patients under age 18 will not be enrolled")
    assert (fact.values, fact.polarity, fact.uncertain) == (AgeValues(op="<", years=18), Polarity.EXCLUDE, None)


@pytest.mark.parametrize(
    ("line", "values"),
    [
        # the group's bound is dropped, the limit stays
        ("Aged 18 to 75 years; patients under age 21 must have parental consent", AgeValues(min_years=18,
                                                                                           max_years=75)),
        ("Age 18 or older; subjects under age 21 need parental consent", AgeValues(op=">=", years=18)),
        # a negation before the comparator turns it
        ("Not younger than age 18", AgeValues(op=">=", years=18)),
        ("Patients must not be under age 18", AgeValues(op=">=", years=18)),
        ("Not older than age 75", AgeValues(op="<=", years=75)),
        ("Patients must be under age 70", AgeValues(op="<", years=70)),  # kept
        # the bound's own "or older" is not turned by a "below" before "age"
        ("In addition to the criteria listed below age 18 years or older", AgeValues(op=">=", years=18)),
    ],
)  # fmt: skip
def test_an_upper_bound_before_age_is_read_with_its_group_and_negation(line: str, values: AgeValues) -> None:
    fact = _age("Inclusion", line)
    assert (fact.values, fact.uncertain) == (values, None)


@pytest.mark.parametrize(
    "line",
    [
        "Patients diagnosed under age 40 with breast cancer",
        "Onset of disease below the age of 30",
        "Patients diagnosed under age 40, aged 18 years or older",
    ],
)
def test_an_upper_age_bound_at_an_event_named_before_is_uncertain(line: str) -> None:
    fact = _age("Inclusion", line)
    assert fact.uncertain and "at an event" in fact.uncertain


def test_an_age_at_diagnosis_needs_both_dates() -> None:
    fact = _age("Inclusion", "Age: < or = 21 years of age at the time of original diagnosis")  # NCT00665990
    knowledge, today = load_knowledge(), date(2026, 11, 26)
    diagnosed = replace(_DIAGNOSIS, diagnosed_on=date(2008, 6, 1))
    # 21 until the day before the 22nd birthday: born 1986-06-02 is 21 on 2008-06-01, born 1986-06-01 is 22
    assert age.evaluate(fact, replace(_PATIENT, birth_date=date(1986, 6, 2), diagnosis=diagnosed), today,
                        knowledge).has is True  # fmt: skip
    assert age.evaluate(fact, replace(_PATIENT, birth_date=date(1986, 6, 1), diagnosis=diagnosed), today,
                        knowledge).has is False  # fmt: skip
    # a stated age is today's: the age at diagnosis is unknown
    stated = replace(_PATIENT, birth_date=None, age=40, diagnosis=diagnosed)
    assert age.evaluate(fact, stated, today, knowledge).has is None


# --- lab ------------------------------------------------------------------------------------------------------------


def _lab(section: str, line: str, lab: str) -> Fact:
    facts = [f for f in _facts(section, line, FactKind.LAB) if isinstance(f.values, LabValues) and f.values.lab == lab]
    assert len(facts) == 1, facts
    return facts[0]


@pytest.mark.parametrize(
    ("section", "line", "lab", "doubt"),
    [
        # an abnormal value asked under an adequacy heading, in a list of features, or as a definition
        ("Inclusion", "Adequate renal function with creatinine ≥ 1.5 mg/dl.", "lab.creatinine", "Adequate"),
        ("Inclusion", "Adequate bone marrow function (neutrophil count >=1,500/mm3, and platelet count >=100,000/mm3), "
         "liver function (total bilirubin >=3 mg/dL and AST/ALT >=150 IU/L), and renal function (creatinine clearance "
         ">=45 mL/min)", "lab.bilirubin_total", "Adequate"),  # NCT02182778
        ("Inclusion", "Advanced myelofibrosis (MF) resistant or refractory to standard therapy; or untreated with one "
         "of following features (1) hemoglobin < 10 g/dL, (2) platelet count < 100 x 109/L, WBC < 4 or > 30 x 109/L, "
         "or splenomegaly ≥ 10 cm below left costal margin", "lab.hemoglobin", "one of following"),  # NCT01149915
        # NCT00387348
        ("Inclusion", "No severe anemia, defined as hemoglobin < 10 g/dL", "lab.hemoglobin", "defined as"),
        ("Inclusion", "Unfit for concurrent chemoradiation with cisplatin, e.g. GFR < 60 ml/min, cardiovascular "
         "co-morbidity, hearing loss or polyneuropathy", "lab.egfr", "e.g."),  # NCT02938273
        # a low creatinine or enzyme excluded
        ("Exclusion", "Serum creatinine (CR) < 1.5mg/dl or 24 hour CR clearance < 50 ml/min", "lab.creatinine",
         "a low"),  # NCT02728700 (sample 6 L007)
        ("Exclusion", "Hepatic: ALT < 2 x upper limit of normal,", "lab.alt", "a low"),  # NCT00625729
        # another limit for those who miss this one
        ("Inclusion", "Serum creatinine =< 1.0 mg/dL; if serum creatinine > 1.0 mg/dl, then the estimated glomerular "
         "filtration rate (GFR) must be >60 mL/min/1.73 m^2", "lab.creatinine", "another limit"),  # NCT00602225
        ("Inclusion", "AST/ALT no greater than ULN (or no greater than 2.5 times ULN if alkaline phosphatase no "
         "greater than ULN)", "lab.ast", "another limit"),  # NCT00030407
        ("Inclusion", "AST/SGOT and ALT/SGPT ≤ 1.5 x Upper Limit of Normal (ULN) if AP > 2.5 ULN", "lab.alt",
         "another limit"),  # NCT01361945
        # the condition of another limit
        ("Inclusion", "Alkaline phosphatase no greater than ULN (or no greater than 5 times ULN if AST/ALT no greater "
         "than ULN)", "lab.ast", "a condition"),  # NCT00030407
        ("Inclusion", "Serum creatinine or serum bilirubin < 1.5 times the upper limit of normal; higher levels are "
         "acceptable if ALT levels < 2 x upper limits of normal", "lab.alt", "a condition"),  # NCT00234000
        # an "=" where a comparator was meant; a limit the text lets change; a unit misread
        ("Inclusion", "INR < = 1.5", "lab.inr", "no limit"),  # NCT00650923
        ("Inclusion", "Hemoglobin ≥ 12 g/dL for the safety phase of the study; if the study treatment proved to be "
         "adequate tolerated during this safety phase, the threshold can be lowered to ≥ 10 g/dL according to the "
         "decision of the study steering committee", "lab.hemoglobin", "may change"),  # NCT02845050
        ("Inclusion", "Adequate hepatic, renal, heart, and hematologic functions (platelets > 80 × 109/L, neutrophil > "
         "1.5 × 109/L, hemoglobin > 90g/dl)", "lab.hemoglobin", "plausible"),  # NCT01645215
    ],
)  # fmt: skip
def test_a_lab_limit_read_doubtfully_is_uncertain(section: str, line: str, lab: str, doubt: str) -> None:
    fact = _lab(section, line, lab)
    assert fact.uncertain and doubt in fact.uncertain


@pytest.mark.parametrize(
    ("section", "line", "lab", "polarity"),
    [
        # kept: the limits of adequacy, a thrombocytopenia trial's count, an exclusion of a high value
        ("Inclusion", "Hemoglobin ≥ 11 g/dl", "lab.hemoglobin", Polarity.REQUIRE),
        ("Inclusion", "The mean of two platelet counts taken during the 2-week Screening Period must be ≤50 x 109/L",
         "lab.platelets", Polarity.REQUIRE),  # NCT01362036
        ("Exclusion", "Has poorly controlled diabetes mellitus defined as HbA1c > 6.5%.", "lab.hba1c",
         Polarity.EXCLUDE),  # NCT02393209
        ("Inclusion", "AST and ALT =< 1.5 times ULN", "lab.ast", Polarity.REQUIRE),  # NCT00095693
    ],
)  # fmt: skip
def test_a_plain_lab_limit_stays_decided(section: str, line: str, lab: str, polarity: Polarity) -> None:
    fact = _lab(section, line, lab)
    assert (fact.polarity, fact.uncertain) == (polarity, None)


@pytest.mark.parametrize(
    "line",
    [
        "Creatinine < 2 x normal for age or GFR > 70 ml/min/1.73m^2",  # NCT00042991
        "Serum creatinine =< 1.5 times upper limit of institutional normal for age or GFR >= 70 ml/min/1.73m^2",
        "Creatinine ≤ 1.5 X laboratory ULN OR calculated creatinine clearance ≥ 60 ml/min/1.73 m^2 for patients "
        "w/creatinine levels above the laboratory ULN",  # NCT00512668
    ],
)
def test_or_after_the_words_that_end_a_limit_makes_alternatives(line: str) -> None:
    fact = _lab("Inclusion", line, "lab.creatinine")
    assert isinstance(fact.values, LabValues) and fact.values.alternative


def test_as_well_as_is_no_alternative() -> None:
    line = (
        "Patient must have an adequate renal function as defined by a serum creatinine ≤ 1.5 x the institutional upper "
        "limit of normal, as well as a calculated or measured creatinine clearance (CrCl) ≥ 50 ml/min."
    )  # NCT00886457
    fact = _lab("Inclusion", line, "lab.creatinine")
    assert isinstance(fact.values, LabValues) and not fact.values.alternative


def test_an_age_at_diagnosis_is_read_on_the_diagnosis_date() -> None:
    fact = _age("Inclusion", "Age: < or = 21 years of age at the time of original diagnosis")  # NCT00665990
    assert (fact.values, fact.uncertain) == (AgeValues(op="<=", years=21, at_diagnosis=True), None)
    values = fact.values
    assert isinstance(values, AgeValues)
    born, diagnosed = date(1990, 5, 1), date(2008, 6, 1)  # 18 at diagnosis, 36 today
    young = replace(_PATIENT, birth_date=born, diagnosis=replace(_DIAGNOSIS, diagnosed_on=diagnosed))
    assert age.evaluate(fact, young, date(2026, 11, 26), load_knowledge()).has is True
    older = replace(young, diagnosis=replace(_DIAGNOSIS, diagnosed_on=date(2015, 1, 1)))  # 24 at diagnosis
    assert age.evaluate(fact, older, date(2026, 11, 26), load_knowledge()).has is False
    unknown = replace(young, diagnosis=replace(_DIAGNOSIS, diagnosed_on=None))
    assert age.evaluate(fact, unknown, date(2026, 11, 26), load_knowledge()).has is None
