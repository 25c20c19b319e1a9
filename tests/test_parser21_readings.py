"""Parser 21: phrasing classes whose reading depends on more than one criterion (a lead-in and its sub-items) or on
the matcher (an applicability condition), each with the registry text it came from. Single-criterion rows are in
the phrasing tables (tests/phrasings/*.json)."""

from __future__ import annotations

from datetime import date

from matcher.eligibility.criteria import Criterion
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.test_issue10_examples import patient

ON = date(2026, 11, 26)
TRIAL = TrialInfo("NCT00000000", "parser 21 example", "RECRUITING", ("PHASE2",))


def _outcomes(text: str, doc: dict[str, object]) -> dict[str, Outcome]:
    criteria = parse_text(text)
    m = match_trial(TRIAL, tuple(criteria), parse_patient(doc).patient, ON, load_knowledge())
    return {" ".join(r.criterion.display_text.split()): r.outcome for r in m.results}


def _criterion(text: str, start: str) -> Criterion:
    found = [c for c in parse_text(text) if " ".join(c.text.split()).startswith(start)]
    assert len(found) == 1, f"{len(found)} criteria start with {start!r}"
    return found[0]


# --- a. the row of a lab-by-age table applies to its age band (NCT01158885) --------------------------------------

LAB_BY_AGE = """Inclusion Criteria:

- Adequate renal function defined as:
  - Pediatric Population (age <18): Calculated creatinine clearance ≥ 90 ml/min/1.73m2 as calculated by the
    Schwartz formula for estimated glomerular filtration rate (GFR)
  - Adult Population (age ≥18): Serum creatinine ≤1.0 mg/dL
"""


def test_a_childrens_renal_limit_does_not_judge_an_adult() -> None:
    doc = patient(labs=[{"test": "creatinine clearance", "value": 70, "unit": "mL/min", "date": "2026-11-01"},
                        {"test": "creatinine", "value": 1.3, "unit": "mg/dL", "date": "2026-11-01"}])  # fmt: skip
    outcomes = _outcomes(LAB_BY_AGE, doc)
    children = next(o for text, o in outcomes.items() if text.startswith("Pediatric Population"))
    adults = next(o for text, o in outcomes.items() if text.startswith("Adult Population"))
    assert children is Outcome.NOT_APPLICABLE
    assert adults is Outcome.VIOLATED  # the adult row still applies to her


# --- c. "N or more of the following" lead-ins (NCT02535351, NCT00334932) ------------------------------------------

SURGICAL_RISK = """Exclusion Criteria:

- Patients with > 3 of the following surgical risk factors are not eligible:
  - Serum albumin CTCAE v 4.0 grade 2 or worse
  - Symptoms at presentation due to metastases
  - History of malabsorption syndrome
- Pregnant or breastfeeding women
"""


def test_one_item_of_more_than_3_risk_factors_does_not_exclude() -> None:
    sub_item = _criterion(SURGICAL_RISK, "History of malabsorption")
    assert sub_item.facts and all(f.uncertain for f in sub_item.facts)
    after = _criterion(SURGICAL_RISK, "Pregnant or breastfeeding")  # the list's end: back to plain prohibitions
    assert after.facts and not any(f.uncertain for f in after.facts)


def test_an_exclusion_of_one_or_more_of_the_following_still_excludes_per_item() -> None:
    text = "Exclusion Criteria:\n\n- One or more of the following:\n  - History of malabsorption syndrome\n"
    assert not any(f.uncertain for f in _criterion(text, "History of malabsorption").facts)


# --- f. a statement of how lines are counted (NCT05380414, a thyroid study) ----------------------------------------

COUNTED_OUT = (
    "Inclusion Criteria:\n\n- Patient pretreated with no more than one prior systemic chemotherapy for "
    "metastatic/advanced disease (radiotherapy is not counted as a line of therapy).\n"
)


def test_counting_radiotherapy_out_keeps_the_chemotherapy_limit() -> None:
    facts = _criterion(COUNTED_OUT, "Patient pretreated").facts
    assert [(f.values.to_json().get("max_count"), bool(f.uncertain)) for f in facts] == [(1, False)]


# --- parser 22, after a review: the items of an inclusion "No ...:" lead-in ----------------------------------------

DIABETES_DEFINED = """Inclusion Criteria:

- No diabetes with end-organ damage defined as:
  - Documented diabetic neuropathy
  - Cardiovascular disease requiring active therapy
"""  # NCT00049673: the items define the diabetic damage; heart disease alone does not exclude

COMORBIDITY_ANY_OF = """Inclusion Criteria:

- No severe, active comorbidity, defined as any of the following:
  - Transmural myocardial infarction within the past 6 months
"""  # NCT00423293: each item is a comorbidity the patient must not have


def test_the_items_that_define_a_negated_lead_in_are_uncertain() -> None:
    facts = _criterion(DIABETES_DEFINED, "Cardiovascular disease").facts
    assert facts and all(f.uncertain for f in facts)


def test_the_items_of_a_negated_lead_in_listing_comorbidities_exclude() -> None:
    facts = _criterion(COMORBIDITY_ANY_OF, "Transmural myocardial").facts
    assert [(f.kind.value, f.polarity.value, bool(f.uncertain)) for f in facts] == [("cardiac", "exclude", False)]


# --- parser 23, after a review: an RAI activity that is another alternative of a definition --------------------------

RAIR_DEFINED = (  # the single-line form of the seed review's RAIR definition (no registry text in ../shared has it)
    "Inclusion Criteria:\n\n- RAI refractory, defined as no RAI uptake or a cumulative activity ≥ 600 mCi of RAI\n"
)


def test_the_activity_alternative_of_a_rair_definition_is_required_not_excluded() -> None:
    facts = _criterion(RAIR_DEFINED, "RAI refractory").facts
    activity = [f for f in facts if f.values.to_json().get("definition") == "cumulative_activity"]
    assert [(f.polarity.value, bool(f.uncertain)) for f in activity] == [("require", False)]
