"""Sample 7's rules (issue 10; tests/audit/README.md, "Fresh sample 7"): cohorts, alternatives laid out as separate
criteria, numbers of years that are not an age, negated and permitted lab limits, and requirements written under the
exclusion heading. Each phrasing is registry text, with the trial it came from; each class has a row that must keep
its reading."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity
from matcher.eligibility.kinds.age import AgeValues
from matcher.eligibility.kinds.lab import LabValues
from matcher.eligibility.parser import StructuredFields, parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.test_issue10_examples import patient

ON = date(2026, 11, 26)
TRIAL = TrialInfo("NCT00000000", "sample 7 example", "RECRUITING", ("PHASE2",))


def _outcomes(text: str, doc: dict[str, Any]) -> dict[str, Outcome]:
    m = match_trial(TRIAL, tuple(parse_text(text)), parse_patient(doc).patient, ON, load_knowledge())
    return {" ".join(r.criterion.display_text.split()): r.outcome for r in m.results}


def _outcome(text: str, doc: dict[str, Any], start: str) -> Outcome:
    found = [o for t, o in _outcomes(text, doc).items() if t.startswith(start)]
    assert len(found) == 1, f"{len(found)} criteria start with {start!r}"
    return found[0]


def _criterion(text: str, start: str) -> Criterion:
    found = [c for c in parse_text(text) if " ".join(c.text.split()).startswith(start)]
    assert len(found) == 1, f"{len(found)} criteria start with {start!r}"
    return found[0]


def _facts(section: str, line: str, kind: FactKind) -> list[Fact]:
    return [f for f in _criterion(f"{section} Criteria:\n\n- {line}\n", line[:30]).facts if f.kind is kind]


def _aged(years: int, **changes: Any) -> dict[str, Any]:
    return patient(birth_date=f"{ON.year - years - 1}-12-31", **changes)


# --- 1. a cohort's criterion: "FOR ... GROUP ONLY:", "For ... subjects only:" (cue.scope.cohort) -------------------

COHORTS = """Inclusion Criteria:

- FOR TREATMENT-NAIVE GROUP ONLY: Men and women ≥ 65 years of age with confirmed diagnosis of CLL/SLL, who require
  treatment per NCI or International Working Group guidelines 15-18
- FOR RELAPSED/REFRACTORY GROUP ONLY: Men and women ≥ 18 years of age with a confirmed diagnosis of relapsed/refractory
  CLL/SLL following previous therapy
"""  # NCT01105247 (sample 7 M018)

SUBJECTS_ONLY = """Inclusion Criteria:

- For treatment-naïve subjects only:
  - Subjects ≥ 60 years of age with newly diagnosed AML
"""  # NCT02306291


def test_one_groups_age_does_not_exclude_a_patient_of_another_group() -> None:
    c = _criterion(COHORTS, "FOR TREATMENT-NAIVE")
    assert [k.kind for k in c.scope.conditions] == ["cohort"]
    assert _outcome(COHORTS, _aged(44), "FOR TREATMENT-NAIVE") is Outcome.UNKNOWN


def test_a_cohort_lead_in_passes_its_cohort_to_its_sub_items() -> None:
    assert "cohort" in [k.kind for k in _criterion(SUBJECTS_ONLY, "Subjects ≥ 60").scope.conditions]
    assert _outcome(SUBJECTS_ONLY, _aged(44), "Subjects ≥ 60") is not Outcome.VIOLATED


def test_a_sex_named_as_the_only_group_is_no_cohort() -> None:
    c = _criterion("Inclusion Criteria:\n\n- For female patients only: negative pregnancy test\n", "For female")
    assert [k.kind for k in c.scope.conditions] == ["sex"]


# --- 2. alternatives laid out as separate criteria: a line that ends on "or" (parser `_dangling_alternatives`) ------

ONE_OF_THE_FOLLOWING = """Inclusion Criteria:

- Unable to receive intensive chemotherapy regimens at enrollment, based on one of the following:
  - Age ≥ 75 years, or
- II. Age < 75 years with at least 1 of the following co-morbidities:
  - An ECOG performance status of 2
"""  # NCT03151408 (sample 7 M021, sample 6 L010): the second alternative laid out outside the lead-in

ECOG_OR_KARNOFSKY = """Inclusion Criteria:

- Performance status:
- ECOG 0-1 OR
- Karnofsky 80-100%
"""  # NCT00077246


def test_one_alternative_of_a_lead_in_is_not_the_age_limit() -> None:
    assert _facts("Inclusion", "Age ≥ 75 years, or", FactKind.AGE)[0].uncertain
    assert _outcome(ONE_OF_THE_FOLLOWING, _aged(44), "Age ≥ 75 years, or") is Outcome.UNKNOWN
    assert _outcome(ONE_OF_THE_FOLLOWING, _aged(44), "Unable to receive") is not Outcome.VIOLATED


def test_a_line_ending_in_or_and_the_next_line_are_alternatives() -> None:
    doc = patient(ecog=2)
    assert _outcome(ECOG_OR_KARNOFSKY, doc, "ECOG 0-1 OR") is Outcome.UNKNOWN
    assert _outcome(ECOG_OR_KARNOFSKY, doc, "Karnofsky") is not Outcome.VIOLATED
    # without the "OR", the ECOG limit alone is the requirement, and excludes
    assert _outcome(ECOG_OR_KARNOFSKY.replace(" OR", ""), doc, "ECOG 0-1") is Outcome.VIOLATED


def test_a_structured_field_is_no_alternative_of_the_last_line() -> None:
    criteria = parse_text("Inclusion Criteria:\n\n- ECOG 0-1 OR\n", StructuredFields("18 Years"))
    (age,) = [c for c in criteria if c.source == "structured"]
    assert age.facts and not any(f.uncertain for f in age.facts)


def test_alternatives_inside_an_any_of_lead_in_are_left_to_the_matcher() -> None:
    text = "Inclusion Criteria:\n\n- One of the following:\n  - ECOG 0-1 OR\n  - Karnofsky 80-100%\n"
    assert not any(f.uncertain for f in _criterion(text, "ECOG 0-1").facts)


def test_ages_that_exclude_each_other_are_branches_not_a_limit() -> None:
    # NCT02264574 (sample 6 L016)
    line = "Age 65 yrs and older OR if less than 65 years, must have at least one of the following criteria:"
    assert _facts("Inclusion", line, FactKind.AGE)[0].uncertain


# --- 3. a number of years that is not an age (kinds/age.py) ---------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        # NCT01732640 (sample 7 M019): a disease-free interval
        "Any prior invasive malignancy (unless non-melanomatous resectable skin or the DFS is 2 years or more).",
        # NCT00498225
        "Active double cancer (synchronous double cancer or asynchronous double cancer with disease-free duration of "
        "3 years or less).",
        # NCT00684216: a time since a treatment
        "Other malignancy except carcinoma in situ, unless the other malignancy was treated 5 or more years ago with "
        "curative intent without the use of chemotherapy or radiation therapy.",
        # NCT01666314
        "Prior chemotherapy for prostate cancer, with the exception of neoadjuvant/adjuvant therapy as part of initial "
        "primary treatment for local disease that was completed 2 or more years before screening.",
        # NCT00101894: a grade, in a text that names years elsewhere
        "Myocardial infarction, cerebrovascular accident, grade 2 or greater peripheral vascular disease, or unstable "
        "angina within the past year",
    ],
)
def test_years_of_another_attribute_are_no_age(line: str) -> None:
    assert _facts("Exclusion", line, FactKind.AGE) == []


@pytest.mark.parametrize(
    ("section", "line", "expected"),
    [
        ("Inclusion", "18 years or older", AgeValues(">=", 18)),
        ("Inclusion", "Age 18 or older", AgeValues(">=", 18)),
        # NCT00429403: not "15 years and younger"
        ("Inclusion", "Female patients older than 15 years and younger than 46 years.", AgeValues(None, None, 16, 45)),
        # NCT02393859: 28 days is no age of 28 years
        ("Inclusion", "Age > 28 days and < 18 years at the time of informed consent/assent", AgeValues("<", 18)),
        # NCT02083536: ages outside a range excluded, the range required
        ("Exclusion", "Patients that are < 18 yrs. of age or > 80 yrs. of age.", AgeValues(None, None, 18, 80)),
        # NCT01146808
        ("Exclusion", "Patients younger than 21 years of age", AgeValues("<", 21)),
        # phrasings (review RE): words that name the age in the bound itself keep it an age beside an attribute word
        # ("remission", "interval", "survival") or a time word ("prior to")
        ("Inclusion", "Patients in first complete remission, aged 18 years or older", AgeValues(">=", 18)),
        ("Inclusion", "Disease-free interval of at least 6 months, age 18 or older", AgeValues(">=", 18)),
        ("Inclusion", "Patients must be 18 years of age or older prior to registration", AgeValues(">=", 18)),
        ("Inclusion", "Age ≥ 18 years prior to enrollment", AgeValues(">=", 18)),
        # an "if" after a word that lets the patient in states the limit, not a condition
        ("Inclusion", "Patients may be included if they are 18 years or older", AgeValues(">=", 18)),
        # NCT01044966: "no older than" is at most
        (
            "Inclusion",
            "Age Patients must be at least 18 years of age but no older than 85 years.",
            AgeValues(None, None, 18, 85),
        ),
        ("Inclusion", "Patients no older than 75 years", AgeValues("<=", 75)),
    ],
)
def test_age_limits_still_read(section: str, line: str, expected: AgeValues) -> None:
    facts = _facts(section, line, FactKind.AGE)
    assert [f.values for f in facts] == [expected]
    assert not facts[0].uncertain


def test_an_age_range_written_as_an_exclusion_excludes_outside_it() -> None:
    text = "Exclusion Criteria:\n\n- Patients that are < 18 yrs. of age or > 80 yrs. of age.\n"
    assert _outcome(text, _aged(44), "Patients that are") is Outcome.SATISFIED
    assert _outcome(text, _aged(85), "Patients that are") is Outcome.VIOLATED


@pytest.mark.parametrize(
    "line",
    [
        # phrasings (review RE): "older than" said of a thing, not of the patient
        "Tumour sample older than 3 years",
        "Archival tumour tissue not older than 5 years must be available",
    ],
)
def test_the_age_of_a_thing_is_no_age_limit(line: str) -> None:
    assert _facts("Exclusion", line, FactKind.AGE) == []
    assert _outcome(f"Exclusion Criteria:\n\n- {line}\n", _aged(60), line[:20]) is not Outcome.VIOLATED


def test_an_age_in_a_condition_is_not_the_limit() -> None:
    # NCT00983528
    line = (
        "Diagnosis of ALL. The phase II component of the study enrollment will be limited to 2 different prior "
        "induction regimens if patients are older than 30 years."
    )
    assert _facts("Inclusion", line, FactKind.AGE) == []
    # NCT02903069: the exclusion's own "if" states the limit
    line = "For those enrolled in Adjuvant Treatment with Optune, patients are excluded if they are < 22 years of age"
    assert [f.values for f in _facts("Exclusion", line, FactKind.AGE)] == [AgeValues("<", 22)]


# --- 4. lab limits: a negated limit, a permitted one, a requirement under the exclusion heading (kinds/lab.py) ------

PLATELET_REFRACTORY = (
    "Subjects with evidence of mucosal or internal bleeding and/or platelet refractory (i.e., unable to maintain a "
    "platelet count >= 50,000 cells/mm3)."
)  # NCT00401011 (sample 7 M012)


def _platelets(count: int) -> dict[str, Any]:
    return patient(labs=[{"test": "platelets", "value": count, "unit": "/µL", "date": "2026-11-12"}])


def test_unable_to_maintain_a_count_never_excludes_a_count_above_it() -> None:
    (fact,) = _facts("Exclusion", PLATELET_REFRACTORY, FactKind.LAB)
    assert fact.polarity is Polarity.REQUIRE and isinstance(fact.values, LabValues) and fact.values.op == ">="
    text = f"Exclusion Criteria:\n\n- {PLATELET_REFRACTORY}\n"
    assert _outcome(text, _platelets(265000), "Subjects with evidence") is not Outcome.VIOLATED
    # refractoriness is a failure to keep the count despite transfusion, over time: one low count does not show it
    assert fact.uncertain
    assert _outcome(text, _platelets(30000), "Subjects with evidence") is Outcome.UNKNOWN


BILIRUBIN = (
    "Direct bilirubin > 1.5x the institutional ULN for age. A total bilirubin result that is less than 1.5 times the "
    "institutional ULN for age may be used for eligibility if a direct bilirubin result is not available."
)  # NCT00928200 (sample 7 M036), NCT00439296 (sample 6 L030)


def test_a_permitted_limit_is_no_exclusion() -> None:
    facts = {f.values.lab: f for f in _facts("Exclusion", BILIRUBIN, FactKind.LAB) if isinstance(f.values, LabValues)}
    assert facts["lab.bilirubin_total"].uncertain
    assert facts["lab.bilirubin_direct"].polarity is Polarity.EXCLUDE and not facts["lab.bilirubin_direct"].uncertain
    doc = patient(labs=[{"test": "total bilirubin", "value": 0.7, "unit": "mg/dL", "date": "2026-11-12",
                         "upper_limit": 1.2}])  # fmt: skip
    assert _outcome(f"Exclusion Criteria:\n\n- {BILIRUBIN}\n", doc, "Direct bilirubin") is not Outcome.VIOLATED


def test_how_to_meet_a_limit_leaves_it_an_exclusion() -> None:
    # NCT03037385: the bracket says how to reach the limit; the limit itself excludes
    line = (
        "Hemoglobin < 9.0 g/dL (red blood cell transfusion and erythropoietin may be used to reach at least 9.0 g/dL, "
        "but must have been administered at least 2 weeks prior to the first dose of study drug."
    )
    (fact,) = _facts("Exclusion", line, FactKind.LAB)
    assert fact.polarity is Polarity.EXCLUDE and not fact.uncertain
    # phrasing (review RE): a new clause after the limit says how to meet it too
    (fact,) = _facts("Inclusion", "ANC ≥ 1500/µL, growth factors may be used", FactKind.LAB)
    assert fact.polarity is Polarity.REQUIRE and not fact.uncertain


@pytest.mark.parametrize(
    "line",
    [
        # NCT00604461 (sample 7 M035), under a "Laboratory Values:" heading after the exclusions
        "Patient must have adequate renal function with a serum creatinine level of less than 1.5 mg/dl and patient "
        "should have a calculated creatinine clearance of more than 40ml/min.",
        "Must have a platelet count >75,000.",  # NCT01042704
        "Adequate bone marrow function (absolute neutrophil count >1.5 x 109/L, platelets >100 x 109/L)",  # NCT00413192
        # phrasings (review RE): the requirement opens a sentence after the first; a pancreatic enzyme's adequate side
        "Laboratory values. Must have a platelet count >75,000.",
        "Patient must have adequate pancreatic function: lipase <= 1.5 x ULN",
    ],
)
def test_a_requirement_under_the_exclusion_heading_is_uncertain(line: str) -> None:
    facts = _facts("Exclusion", line, FactKind.LAB)
    assert facts and all(f.uncertain for f in facts)


@pytest.mark.parametrize(
    "line",
    [
        # NCT02870569 (judged right as v0391): whatever "Adequate" meant, a clearance of 60 or less is excluded
        "Adequate renal function defined as calculated creatinine clearance less than or equal to 60 mL/min per the "
        "Cockcroft and Gault formula.",
        # NCT01183559: the inadequate side of each count
        "Adequate bone marrow function as defined by granulocyte count < 1500/mm^3 and platelet count < 100,000",
    ],
)
def test_a_requirement_cue_before_the_inadequate_side_stays_an_exclusion(line: str) -> None:
    facts = _facts("Exclusion", line, FactKind.LAB)
    assert facts and all(f.polarity is Polarity.EXCLUDE and not f.uncertain for f in facts)


def test_an_exclusion_after_should_have_no_stays() -> None:
    # NCT01538537
    line = (
        "The patient should have no major 3rd space fluid, ascites requiring active medical management including "
        "paracentesis, peripheral bilateral edema, or hyponatremia (serum sodium value less than 134 Meq/L)."
    )
    (fact,) = _facts("Exclusion", line, FactKind.LAB)
    assert fact.polarity is Polarity.EXCLUDE and not fact.uncertain


# --- 5. a QTc upper limit under the exclusion heading (kinds/cardiac.py) --------------------------------------------


def test_an_upper_qtc_limit_under_the_exclusion_heading_is_uncertain() -> None:
    # NCT01034631 (sample 7 M017)
    line = "Corrected QT interval (QTc) ≤ 450 msec at least 7 days prior to registration for protocol therapy."
    (fact,) = _facts("Exclusion", line, FactKind.QTC)
    assert fact.uncertain
    text = f"Exclusion Criteria:\n\n- {line}\n"
    assert _outcome(text, patient(qtcf_ms=426), "Corrected QT") is Outcome.UNKNOWN


@pytest.mark.parametrize("line", ["QTc > 480 msec", "QTcF < 300 ms"])
def test_a_qtc_exclusion_stays(line: str) -> None:
    (fact,) = _facts("Exclusion", line, FactKind.QTC)
    assert fact.polarity is Polarity.EXCLUDE and not fact.uncertain


@pytest.mark.parametrize(
    "line",
    [
        "Glycosylated haemoglobin (HbA1C) ≥7.0% at screening",  # NCT02389842
        "Uncontrolled diabetes (defined as Hgb A1C > 8.0%)",  # NCT02655458
        "Have poorly controlled diabetes (HgB A1C ≥ 8%)",  # NCT02478125
    ],
)
def test_hba1c_spelled_out_is_no_hemoglobin(line: str) -> None:
    # review RE: read as a hemoglobin limit of 7 or 8 before
    (fact,) = _facts("Exclusion", line, FactKind.LAB)
    assert isinstance(fact.values, LabValues) and fact.values.lab == "lab.hba1c" and fact.values.unit == "%"
