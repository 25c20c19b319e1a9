"""Rules of session 31's fourth round (mend51), from comorbid sample 49's seven wrong exclusions: a limit the line lets
the patient meet by treatment before entry ("can be enrolled after initiation or titration of anti-diabetic agents");
another cancer "likely to interfere" with compliance; a concurrent-therapy ban "unless documented disease progression"
read against the profile's progression; an agent named only after "would not be excluded for" or "must be tested for";
a GFR "calculated by the Cockcroft-Gault formula" (a creatinine clearance); an item ending on "---- OR-". Each criterion
below barred a profile that the text, read as a coordinator would, does not bar: the outcome is now unknown or met,
and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.eligibility.parser import parse_text
from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient
from tests.test_mend41_readings import ACTIVE_HBV, CARRIER, CLL, HIV

DIABETES = (  # NCT01313559 (exclusion): DI096
    "Poorly controlled diabetes mellitus (HbA1c > 7 %) or fasting blood glucose level >126 mg/dL in non-diabetic "
    "patients or > 189 mg/dL in diabetic patients (can be enrolled after initiation or titration of anti-diabetic "
    "agent(s))."
)
INTERFERE = (  # NCT01313390 (inclusion): DI135
    "No prior malignancy likely to interfere with the patient's ability to comply with treatment and/or follow up"
)
UNLESS_PROGRESSION = "No other concurrent anticancer therapy unless documented disease progression"  # NCT00002633
NOT_EXCLUDED_FOR = (  # NCT00924170 (exclusion): DI261
    "Patients who have human immunodeficiency virus (HIV) or hepatitis C, since in these patients reductions in normal "
    "T- or B-cells would increase the risk of exacerbation of their underlying disease. Patients would not be excluded "
    "for hepatitis B surface antigen positivity if on Lamivudine or Entecavir."
)
TESTED_FOR = "Patients with risk factors for hepatitis must be tested for hepatitis viral load"  # NCT01154335: DI267
COCKCROFT = "Glomerular filtration rate (GFR) > 40 mL/minute as calculated by the Cockcroft-Gault formula"  # DI375
RENAL_OR = (  # NCT03131206 (inclusion): DI381
    "Inclusion Criteria:\n\n- serum creatinine ≤1.5 x institutional ULN\n\n     ---- OR-\n\n"
    "- Estimated glomerular filtration rate (eGFR) ≥45 mL/min/1.73 m2 as calculated using the Modification of Diet "
    "Renal Disease Equation (See APPENDIX B)\n"
)

HBA1C = {"test": "HbA1c", "value": 8.4, "unit": "%", "date": "2026-11-03"}
LEUPROLIDE = {"name": "leuprolide", "kind": "systemic", "start": "2020-09-01"}


def labs(*entries: tuple[str, float, str]) -> list[dict[str, object]]:
    return [{"test": t, "value": v, "unit": u, "date": "2026-11-04"} for t, v, u in entries]


def test_a_limit_the_patient_may_meet_by_treatment_before_entry_is_unknown() -> None:
    found = item_outcome(DIABETES, patient(labs=[HBA1C]), "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "can be enrolled after initiation" in found.reason
    assert item_outcome("HbA1c > 7 %", patient(labs=[HBA1C]), "exclusion").outcome is Outcome.VIOLATED


def test_another_cancer_likely_to_interfere_is_a_judgement() -> None:
    assert item_outcome(INTERFERE, patient(conditions=[CLL])).outcome is Outcome.UNKNOWN
    assert item_outcome("No prior malignancy", patient(conditions=[CLL])).outcome is Outcome.VIOLATED


def test_a_ban_lifted_on_progression_is_read_against_the_profiles_progression() -> None:
    progressing = patient(therapies=[*patient()["therapies"], LEUPROLIDE])
    found = item_outcome(UNLESS_PROGRESSION, progressing)
    assert found.outcome is Outcome.UNKNOWN and "lifted on documented progression" in found.reason
    stable = patient(
        therapies=[*patient()["therapies"], LEUPROLIDE], disease={**patient()["disease"], "progressing": False}
    )
    assert item_outcome(UNLESS_PROGRESSION, stable).outcome is Outcome.VIOLATED


def test_an_agent_the_line_does_not_exclude_or_asks_to_test_for_is_not_barred() -> None:
    assert item_outcome(NOT_EXCLUDED_FOR, patient(conditions=[CARRIER]), "exclusion").outcome is not Outcome.VIOLATED
    assert item_outcome(NOT_EXCLUDED_FOR, patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED
    assert item_outcome(TESTED_FOR, patient(conditions=[ACTIVE_HBV]), "exclusion").outcome is not Outcome.VIOLATED


def test_a_gfr_by_the_cockcroft_gault_formula_is_a_creatinine_clearance() -> None:
    both = labs(("eGFR", 40, "mL/min/1.73m2"), ("creatinine clearance", 41, "mL/min"))
    assert item_outcome(COCKCROFT, patient(labs=both)).outcome is Outcome.SATISFIED
    low = labs(("eGFR", 45, "mL/min/1.73m2"), ("creatinine clearance", 38, "mL/min"))
    assert item_outcome(COCKCROFT, patient(labs=low)).outcome is Outcome.VIOLATED
    bracketed = "GFR > 40 mL/minute (calculated by the Cockcroft-Gault formula)"
    assert item_outcome(bracketed, patient(labs=both)).outcome is Outcome.SATISFIED


def test_an_or_line_with_dashes_joins_two_renal_limits() -> None:
    creatinine, egfr = [c for c in parse_text(RENAL_OR) if c.facts]
    for criterion in (creatinine, egfr):
        assert [f.uncertain for f in criterion.facts] == [
            "one of alternatives laid out as separate criteria ('serum creatinine ≤1.5 x institutional ULN ---- OR-')"
        ]
