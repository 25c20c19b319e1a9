"""Rules of session 29's second round, from comorbid sample 38's wrong exclusions (mend39): a conjugated antibody; an
infection named as what a treatment keeps suppressed; a list whose head asks its agents active; a clearance asked
"or if" the creatinine is past its limit; a unit's "/1.73 m^2" before the "or" of an unread way in; a limit in the
second of two branches joined by a capital "OR". Each criterion below barred a profile that the text, read as a
coordinator would, does not bar: the outcome is now unknown (or met), and the profile the text does bar is still
barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient, with_therapies
from tests.test_mend38_readings import renal

CONJUGATED = "Prior radio- or toxin-conjugated antibody therapy."  # NCT02970318 (exclusion): CX038
HIV_SUPPRESSION = (  # NCT02229981 (exclusion), its last sentence: CX293
    "Patients who are receiving drugs other than highly active antiretroviral therapy (HAART) that are sensitive "
    "substrates of CYP450 3A4. Switching of ART prior to study entry is permitted given significant data for "
    "improvement/maintenance of HIV suppression when switching regimens in other contexts."
)
ACTIVE_LIST = (  # NCT00623064 (exclusion): CX226
    "No active or uncontrolled infections, serious illnesses, malabsorption syndrome or medical conditions, hepatitis, "
    "HIV, and/or cirrhosis"
)
OR_IF = (  # NCT01813136 (inclusion): CX355
    "Serum creatinine ≤ 1.5 mg/dL (133µM) or if serum creatinine> 1.5 mg/dL, calculated creatinine clearance (ClCR) ≥ "
    "50 mL/min (Cockcroft formula or MDRD formula for patients older than 65 years old)"
)
GFR_OR_TABLE = (  # NCT02642965 (inclusion): CX367
    "Creatinine clearance or radioisotope glomerular filtration rate (GFR) >= 70 mL/min/1.73 m^2 or a serum creatinine "
    "based on age/gender as follows:"
)
DIPSTICK_OR = (  # NCT00293371 (inclusion): CX345
    "Urinalysis ≤ 1+ proteinuria based on dipstick reading OR 2+ proteinuria on dipstick reading AND total urinary "
    "protein ≤ 3,500 mg on 24 hour urine collection and creatinine clearance ≥ 50 mL/min on a 24-hour urine collection"
)

PEMBROLIZUMAB = {"name": "pembrolizumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}
HIV = {"name": "HIV infection, viral load undetectable", "status": "controlled on antiretroviral therapy"}
CARRIER = {"name": "chronic hepatitis B, inactive carrier", "status": "inactive"}


def test_a_conjugated_antibody_is_not_every_antibody() -> None:
    found = item_outcome(CONJUGATED, with_therapies(PEMBROLIZUMAB), "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "antibody of one target or kind (conjugated)" in found.reason
    # "naked or conjugated", "non-conjugated": any antibody, as before (the review of rules 59)
    for line in (
        "Prior treatment with naked or conjugated monoclonal antibodies",
        "Prior non-conjugated antibody therapy",
    ):
        assert item_outcome(line, with_therapies(PEMBROLIZUMAB), "exclusion").outcome is Outcome.VIOLATED, line


def test_an_infection_named_as_what_a_treatment_keeps_suppressed_is_not_barred() -> None:
    assert item_outcome(HIV_SUPPRESSION, patient(conditions=[HIV]), "exclusion").outcome is Outcome.UNKNOWN
    assert item_outcome("Known HIV infection", patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED
    # such a mention still lets patients in (the review of rules 59)
    let_in = "Known HIV infection. Patients with HIV suppression on stable antiretroviral therapy are eligible."
    assert item_outcome(let_in, patient(conditions=[HIV]), "exclusion").outcome is Outcome.UNKNOWN


def test_a_list_whose_head_asks_its_agents_active() -> None:
    found = item_outcome(ACTIVE_LIST, patient(conditions=[CARRIER]), "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "whether the hepatitis is active" in found.reason
    active = {"name": "chronic hepatitis B", "status": "active, viremic"}
    assert item_outcome(ACTIVE_LIST, patient(conditions=[active]), "exclusion").outcome is Outcome.VIOLATED
    # an HIV in that list is barred as named, and a head of another kind asks nothing of the list (the review of rules
    # 59); a singular head and no comma tells no state of the agent after it
    assert item_outcome(ACTIVE_LIST, patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED
    for line in ("Active autoimmune diseases, HIV, hepatitis B", "Active infection or hepatitis B"):
        assert item_outcome(line, patient(conditions=[CARRIER]), "exclusion").outcome is Outcome.VIOLATED, line


def test_a_clearance_asked_or_if_the_creatinine_is_past_its_limit() -> None:
    assert item_outcome(OR_IF, renal(1.3, 41)).outcome is Outcome.SATISFIED  # CX355
    assert item_outcome(OR_IF, renal(1.8, 41)).outcome is Outcome.VIOLATED
    # beside other limits joined by "or", the pair is uncertain, not one group with them (NCT01418001, the review of
    # rules 59): a creatinine of 2.0 with a low clearance is no longer met by a urine protein ratio
    beside = (
        "Serum creatinine ≤1.5 mg/dL (133 μmol/L) Or, if serum creatinine, >1.5 mg/dL: Calculated creatinine clearance "
        "(ClCR) ≥30 mL/min. Urine Protein to Creatinine Ratio (UPC) <1 Or, 24-hour urine protein <1g"
    )
    assert item_outcome(beside, renal(2.0, 20)).outcome is Outcome.UNKNOWN


def test_a_units_tail_does_not_hide_an_unread_way_in() -> None:
    found = item_outcome(GFR_OR_TABLE, renal(1.3, 41))  # CX367
    assert found.outcome is Outcome.UNKNOWN and "another way to meet it is not read" in found.reason


def test_a_limit_in_the_second_of_two_branches_joined_by_or_is_unknown() -> None:
    found = item_outcome(DIPSTICK_OR, renal(1.3, 41))  # CX345: no dipstick on file
    assert found.outcome is Outcome.UNKNOWN and "another way to meet it is not read" in found.reason
    # limits read on both sides of the "OR" are alternatives as before, violated only when both fail
    counts = patient(
        labs=[
            {"test": "absolute neutrophil count", "value": 1.2, "unit": "10^9/L", "date": "2026-11-01"},
            {"test": "platelet count", "value": 90, "unit": "10^9/L", "date": "2026-11-01"},
        ]
    )
    assert item_outcome("ANC ≥ 1500/uL OR platelets ≥ 100,000/uL", counts).outcome is Outcome.VIOLATED
    # a first branch with no limit of its own shares the one after (NCT02620423, caught in the chain before any review)
    shared = (
        "Creatinine clearance (measured over 24 hours) OR calculated creatinine clearance (Cockcroft-Gault formula) of "
        "≥ 60 mL/min."
    )
    assert item_outcome(shared, renal(1.3, 41)).outcome is Outcome.VIOLATED
