"""Issue 10, item 1: one home per criterion kind. Every kind is registered once; every value a kind's extractor can
produce is read by its evaluator, or declared display-only (`Values.DISPLAY_ONLY`), or read by the matcher itself
(`alternative`: limits joined by "or"); and the performance-status reading and evaluation live in one file.

The last tests match a written profile against kinds' readings where the outcome, not only the reading, is the
point: what must stay unknown rather than violated, and what must still exclude (texts from the phrasing tables
and the judged audit)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity
from matcher.eligibility.kinds import KINDS
from matcher.eligibility.kinds.base import NoValues
from matcher.eligibility.parser import parse_text
from matcher.matching import evaluate as matcher_evaluate
from matcher.matching.evaluate import Outcome, TrialInfo
from tests.readings import hint_trial
from tests.test_issue10_examples import facts, outcome, patient, quoted_criteria, the_criterion

READ_BY_THE_MATCHER = {"alternative"}  # matching.evaluate combines "or"-joined limits


def test_every_kind_has_exactly_one_home() -> None:
    assert set(KINDS) == set(FactKind)
    for kind, entry in KINDS.items():
        assert entry.kind is kind
        module = inspect.getmodule(entry.evaluate)
        assert module is not None and module.__name__.startswith("matcher.eligibility.kinds."), kind
        assert entry.values is NoValues or entry.values.__module__ == module.__name__, f"{kind}: values elsewhere"


def _read_attributes(module: ModuleType, function_name: str) -> set[str]:
    """Attribute names read in a function and in the module-level functions it calls, transitively."""
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    seen, todo, read = set(), [function_name], set()
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Attribute):
                read.add(node.attr)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                todo.append(node.func.id)
    return read


@pytest.mark.parametrize("kind", list(FactKind), ids=lambda k: k.value)
def test_every_value_is_read_by_the_evaluator_or_declared_display_only(kind: FactKind) -> None:
    entry = KINDS[kind]
    module = inspect.getmodule(entry.evaluate)
    assert module is not None
    read = _read_attributes(module, entry.evaluate.__name__)
    unread = {
        name for name in entry.values.__struct_fields__
        if name not in read and name not in entry.values.DISPLAY_ONLY and name not in READ_BY_THE_MATCHER
    }  # fmt: skip
    assert not unread, f"{kind.value}: the evaluator never reads {sorted(unread)}"
    assert set(entry.values.__struct_fields__) >= entry.values.DISPLAY_ONLY


def test_the_matcher_reads_what_it_claims() -> None:
    source = inspect.getsource(matcher_evaluate)
    assert all(f'"{name}"' in source for name in READ_BY_THE_MATCHER)


def test_ecog_is_read_and_evaluated_in_one_file() -> None:
    entry = KINDS[FactKind.PERFORMANCE_STATUS]
    assert entry.extract is not None
    assert inspect.getsourcefile(entry.extract) == inspect.getsourcefile(entry.evaluate)
    assert Path(inspect.getsourcefile(entry.evaluate) or "").name == "performance.py"


# --- readings that must stay unknown rather than violated, and exclusions that must hold --------------------------

# Three alternatives, as the judged audit item v0382 quotes them (tests/audit)
CLEARANCE = (
    "Creatinine ≤ 1.5 mg/dL OR calculated creatinine clearance (Cockcroft-Gault formula) ≥ 50 mL/min OR 24-hour "
    "urine creatinine clearance ≥ 50 mL/min"
)


def _with_kidney_labs(creatinine: float, clearance: float) -> dict[str, Any]:
    labs = [
        {"test": "creatinine", "value": creatinine, "unit": "mg/dL", "date": "2026-11-02", "upper_limit": 1.3},
        {"test": "creatinine clearance", "value": clearance, "unit": "mL/min", "date": "2026-11-02"},
    ]
    return patient(labs=labs)


def test_a_measured_clearance_alternative_is_not_decided_by_a_clearance_of_unknown_method() -> None:
    result = outcome(quoted_criteria("inclusion", CLEARANCE), "Creatinine", _with_kidney_labs(1.6, 42))
    assert result.outcome is Outcome.UNKNOWN, result.reason
    assert "reading uncertain: a measured creatinine clearance" in result.reason


def test_the_calculated_clearance_alternative_still_satisfies() -> None:
    result = outcome(quoted_criteria("inclusion", CLEARANCE), "Creatinine", _with_kidney_labs(1.6, 60))
    assert result.outcome is Outcome.SATISFIED, result.reason


def test_an_estimated_or_measured_clearance_limit_is_decided_by_the_clearance_on_file() -> None:
    """NCT03037385 exclusion: both methods are named, so a low clearance on file excludes."""
    text = "Estimated (Cockcroft-Gault formula) or measured creatinine clearance <40 mL/min."
    result = outcome(quoted_criteria("exclusion", text), "Estimated", _with_kidney_labs(1.6, 35))
    assert result.outcome is Outcome.VIOLATED, result.reason


@pytest.mark.parametrize(("state", "expected"), [("treated_stable", Outcome.SATISFIED), ("active", Outcome.VIOLATED)])
def test_uncontrolled_brain_metastases_exclude_active_ones_only(state: str, expected: Outcome) -> None:
    doc = patient()
    doc["disease"]["brain_metastases"] = state
    result = outcome(quoted_criteria("exclusion", "Uncontrolled brain metastatic disease"), "Uncontrolled", doc)
    assert result.outcome is expected, result.reason


def test_an_exclusion_about_metastatic_disease_alone_excludes_a_metastatic_patient() -> None:
    result = outcome(quoted_criteria("exclusion", "Findings of metastatic disease."), "Findings", patient())
    assert result.outcome is Outcome.VIOLATED, result.reason


@pytest.mark.parametrize(("sex", "violated"), [("male", True), ("female", False)])
def test_an_age_named_with_a_sex_is_that_sexs_age_limit(sex: str, violated: bool) -> None:
    """ "Males aged 18 or over": a 16-year-old boy is too young; the limit is not asked of a girl."""
    result = outcome(
        quoted_criteria("inclusion", "Males aged 18 or over"), "Males", patient(sex=sex, birth_date="2010-01-01")
    )
    assert (result.outcome is Outcome.VIOLATED) is violated, result.reason


@pytest.mark.parametrize(
    ("section", "text", "birth_date", "expected"),
    [
        # NCT00234000 and 26 other HINT trials: "Age > 18 years"; an 18-year-old is older than 18 years on every day
        # but the birthday, or not at all if the trial means whole years: unknown, never violated
        ("inclusion", "Age > 18 years", "2008-06-01", Outcome.UNKNOWN),
        ("inclusion", "Age > 18 years", "2009-06-01", Outcome.VIOLATED),  # 17
        ("inclusion", "Age > 18 years", "2007-06-01", Outcome.SATISFIED),  # 19
        ("exclusion", "Age > 75 years", "1951-06-01", Outcome.UNKNOWN),  # 75: the boundary year either way
        ("exclusion", "Age > 75 years", "1950-06-01", Outcome.VIOLATED),  # 76
    ],
)
def test_the_year_after_an_older_than_birthday_is_unknown(
    section: str, text: str, birth_date: str, expected: Outcome
) -> None:
    result = outcome(quoted_criteria(section, text), "Age", patient(birth_date=birth_date))
    assert result.outcome is expected, result.reason


def test_an_age_that_picks_the_women_asked_for_something_else_is_no_age_limit() -> None:
    trial = quoted_criteria("inclusion", "Women < 50 years of age must have a negative pregnancy test")
    assert not [f for c in trial[1] for f in c.facts if f.kind is FactKind.AGE]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("No measurable or evaluable tumoral lesion", "not understood"),  # NCT00791544's exclusions (HINT)
        ("No measurable disease.", "required or excluded is unclear"),
    ],
)
def test_no_measurable_disease_under_an_exclusion_heading_never_excludes_a_patient_with_it(text: str, why: str) -> None:
    """Such a line is written alike by a trial that needs measurable disease and by one that restates "measurable
    disease excludes" as "No X": the reading is uncertain, so neither patient has the trial hidden."""
    trial = quoted_criteria("exclusion", text)
    with_lesion = outcome(trial, text[:20], patient())
    assert with_lesion.outcome is Outcome.UNKNOWN and why in with_lesion.reason, with_lesion.reason
    without = patient(disease={"progressing": True, "measurable": False})
    assert outcome(trial, text[:20], without).outcome is not Outcome.VIOLATED


def test_non_measurable_disease_in_an_inclusion_is_not_an_exclusion_of_measurable_disease() -> None:
    """NCT00649207 (HINT): a permission, not "measurable disease excludes": the fact can satisfy, never violate."""
    text = (
        "Pathologically or radiographically confirmed metastatic disease in the brain. Subjects with non-measurable "
        "lesions, including leptomeningeal carcinomatosis, are eligible."
    )
    _, criteria = quoted_criteria("inclusion", text)
    found = [f for c in criteria for f in c.facts if f.kind is FactKind.MEASURABLE_DISEASE]
    assert found and all(f.uncertain and "allowed or excluded is unclear" in f.uncertain for f in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Prior non-platinum chemotherapy",
        "Current treatment with a non-taxane, non-anthracycline based chemotherapy.",  # NCT00048633 (HINT)
    ],
)
def test_a_non_x_therapy_exclusion_never_excludes_a_patient_without_x(text: str) -> None:
    """ "non-platinum" names a therapy other than platinum: not a negation that turns the exclusion into a
    requirement of platinum (which every patient never given it would violate)."""
    result = outcome(quoted_criteria("exclusion", text), text[:12], patient())
    assert result.outcome is Outcome.UNKNOWN and "a therapy other than" in result.reason, result.reason


def test_a_lab_named_with_a_comparator_and_no_number_takes_no_other_tests_limit() -> None:
    """NCT02862145 (HINT) writes "ANC ≥, Plts ≥100,000 /mm3": the platelets' limit is not the neutrophils'."""
    _, criteria = quoted_criteria("inclusion", "ANC ≥, Plts ≥100,000 /mm3")
    assert [f for c in criteria for f in c.facts if f.kind is FactKind.LAB] == []
    _, kept = quoted_criteria("inclusion", "ANC ≥ 1,500/mm3, Plts ≥100,000 /mm3")
    assert [f.values.lab for c in kept for f in c.facts if f.kind is FactKind.LAB] == ["lab.anc"]  # type: ignore[attr-defined]


def test_a_conditional_lab_sentence_and_a_decimal_comma_give_no_limit_for_everyone() -> None:
    """NCT00783471 (HINT): "ALP < 2,5 x ULN" is not "ALP < 2" (the decimal comma is not read), and the sentence
    that opens with "If" says what follows from a condition, not a limit every patient must meet."""
    text = (
        "Alkaline phosphatase (ALP) < 2,5 x ULN. If alkaline phosphatase is > 2.5 x ULN, SGOT (AST) and SGPT (ALT) "
        "must be < 1.5 x ULN."
    )
    _, criteria = quoted_criteria("inclusion", text)
    assert [f for c in criteria for f in c.facts if f.kind is FactKind.LAB] == []
    _, plain = quoted_criteria("inclusion", "Alkaline phosphatase (ALP) < 2.5 x ULN. AST and ALT must be < 1.5 x ULN.")
    labs = [f.values.lab for c in plain for f in c.facts if f.kind is FactKind.LAB]  # type: ignore[attr-defined]
    assert labs == ["lab.alkaline_phosphatase", "lab.ast", "lab.alt"]


# --- fresh sample 4's causes (parser 20): each rule with the registry text it comes from ------------------------------


def _text_trial(text: str) -> tuple[TrialInfo, tuple[Criterion, ...]]:
    """A whole eligibility text (lead-ins with their sub-items) as a trial of its own."""
    return TrialInfo("NCT00000000", "fresh sample 4", "RECRUITING", ("PHASE2",)), tuple(parse_text(text))


def _kinds(criteria: tuple[Criterion, ...], start: str) -> list[Fact]:
    found = [c for c in criteria if c.display_text.startswith(start)]
    assert len(found) == 1, f"{len(found)} criteria start with {start!r}"
    return list(found[0].facts)


@pytest.mark.parametrize(
    "row",
    [
        "0.5 mg/dL (6 months to < 1 year of age)",  # NCT00679354 (J005)
        "No greater than 0.8 mg/dL (2- 5 years of age)",  # NCT00316953 (J038)
        "Age 10 to < 13 years: maximum serum creatinine 1.2 mg/dL (males and females)",  # NCT02642965 (J043)
    ],
)
def test_an_age_that_picks_the_row_of_a_lab_table_is_no_age_limit(row: str) -> None:
    text = (
        "Inclusion Criteria:\n\n- Creatinine clearance or radioisotope glomerular filtration rate >= 70 mL/min OR "
        f"serum creatinine based on age/gender as follows:\n\n    - {row}\n"
    )
    _, criteria = _text_trial(text)
    assert not [f for c in criteria for f in c.facts if f.kind is FactKind.AGE]
    _, plain = quoted_criteria("inclusion", "Patients >= 18 years old and <= 65 years old")  # NCT01048983: still one
    assert [f for c in plain for f in c.facts if f.kind is FactKind.AGE]


@pytest.mark.parametrize(
    "lead",
    [
        "Documented left ventricular ejection fraction (LVEF) of less than 45 percent in patients with:",  # NCT00610311
        "Documented left ventricular ejection fraction (LVEF) of less than or equal to 45% tested in patients with:",
    ],
)
def test_sub_items_of_an_in_patients_with_lead_in_say_whom_it_applies_to(lead: str) -> None:
    """J009, J017, J035: "Age greater than or equal to 60 years old" under the lead-in is not an exclusion of age."""
    text = f"Exclusion Criteria:\n\n1. {lead}\n\n   - Age greater than or equal to 60 years old.\n"
    result = outcome(_text_trial(text), "Age greater", patient(birth_date="1957-12-29"))
    assert result.outcome is not Outcome.VIOLATED, result.reason
    lead_result = outcome(_text_trial(text), "Documented", patient(birth_date="1957-12-29"))
    assert lead_result.outcome is not Outcome.VIOLATED, lead_result.reason


NON_TARGET = (  # NCT00110214 (J001)
    "Inclusion Criteria:\n\n- Definition of Non-measurable Disease/Non-target Lesions:\n\n    - Non-target lesions "
    "include all other lesions not included in above, including small lesions with longest diameter < 20 mm with "
    "conventional techniques or < 10 mm with spiral CT scan and truly non-measurable lesions, which include:\n\n"
    "        - Bone lesions\n\n        - CNS lesions, leptomeningeal disease\n"
)
CONSIDERED_NON_MEASURABLE = (  # NCT00698815 (J013)
    "Inclusion Criteria:\n\n- Patients must have measurable or non-measurable disease\n\n    - Lesions that are "
    "considered non-measurable include the following:\n\n        - Bone lesions\n\n        - Leptomeningeal disease\n"
)


@pytest.mark.parametrize(
    ("text", "start"), [(NON_TARGET, "CNS lesions"), (CONSIDERED_NON_MEASURABLE, "Leptomeningeal")]
)
def test_a_definition_lead_in_asks_nothing_of_the_patient(text: str, start: str) -> None:
    trial = _text_trial(text)
    result = outcome(trial, start, patient())
    assert result.outcome is not Outcome.VIOLATED, result.reason
    assert all(c.scope.modality == "note" for c in trial[1] if c.display_text.startswith(start))


def test_lesions_not_considered_sites_of_measurable_disease_is_a_definition() -> None:
    """NCT00934895 (J026, J036): the sub-item defines which lesions count; the patient's measurable disease meets the
    lead-in."""
    text = (
        "Inclusion Criteria:\n\n- Has ≥ 1 measurable lesion, as defined by RECIST criteria\n\n    - Lesions irradiated "
        "in the advanced setting are not considered sites of measurable disease unless clear tumor progression has "
        "been documented in these lesions since the completion of radiotherapy\n"
    )
    assert outcome(_text_trial(text), "Has", patient()).outcome is Outcome.SATISFIED
    assert outcome(_text_trial(text), "Lesions", patient()).outcome is not Outcome.VIOLATED


def test_a_progression_in_the_sentences_that_define_a_line_of_therapy_is_not_asked() -> None:
    """NCT03687125 (J032): "without intervening progression" defines a line of therapy."""
    text = (
        "Received treatment with ≤3 prior lines of therapy. A line of therapy is defined as 1 or more cycles of a "
        "planned treatment program. When patients have undergone sequential phases of treatment without intervening "
        "progression, such as induction, collection of peripheral blood stem cells, transplantation and "
        "consolidation/maintenance, this is considered to be 1 line of treatment."
    )
    _, criteria = quoted_criteria("inclusion", text)
    found = [f for c in criteria for f in c.facts if f.kind is FactKind.PROGRESSION]
    assert found and all(f.uncertain == "the progression is part of a definition" for f in found), found


def test_a_therapys_duration_before_a_progression_is_not_its_window() -> None:
    """NCT01171898 (J037): 6 months of abiraterone, not a progression within 6 months."""
    text = "Patients must have received a minimum of 6 months of abiraterone treatment prior to disease progression"
    (fact,) = [f for c in quoted_criteria("inclusion", text)[1] for f in c.facts if f.kind is FactKind.PROGRESSION]
    assert fact.values.to_json().get("within") is None
    # "within 6 months of completion of adjuvant therapy" (NCT02149108) is a window: kept
    kept = "Patients treated with oxaliplatin in adjuvant setting should have progressed within 6 months of completion"
    (window,) = [f for c in quoted_criteria("inclusion", kept)[1] for f in c.facts if f.kind is FactKind.PROGRESSION]
    assert window.values.to_json()["within"] == {"number": 6, "unit": "month"}


def test_radiotherapy_for_measurable_lesions_is_not_an_exclusion_of_measurable_disease() -> None:
    """NCT02404363 (J014)."""
    result = outcome(
        quoted_criteria("exclusion", "Previous radiotherapy for measurable lesions"), "Previous", patient()
    )
    assert result.outcome is Outcome.SATISFIED, result.reason


@pytest.mark.parametrize(
    ("section", "text", "why"),
    [
        ("inclusion", "Treatment with at least four (4) cycles of chemotherapy as planned.", "planned therapy"),
        (
            "exclusion",
            "Patients should not have received radiation overlapping with the proposed treatment field.",
            "named site",
        ),
        (
            "exclusion",
            "Subject has received previous systemic therapy for Hepatocellular carcinoma including "
            "sorafenib, chemotherapy and investigational agents",
            "another cancer",
        ),
    ],
)
def test_a_planned_sited_or_other_cancers_therapy_never_excludes(section: str, text: str, why: str) -> None:
    """NCT00429403 (J067), NCT01494012 (J068), NCT02323906 (J042): read, but uncertain."""
    doc = patient(therapies=[{"name": "external beam radiotherapy to the neck", "kind": "radiotherapy"},
                             {"name": "dabrafenib", "kind": "systemic", "start": "2026-09-24"}])  # fmt: skip
    result = outcome(quoted_criteria(section, text), text[:12], doc)
    assert result.outcome is Outcome.UNKNOWN and why in result.reason, result.reason


@pytest.mark.parametrize(
    "text",
    [
        # NCT02153905 (J071): a note that opens on whom it is for
        "More than four weeks must have elapsed since any prior systemic therapy at the time the patient receives the "
        "preparative regimen. Note: Patients who have previously received ipilimumab and have documented "
        "gastrointestinal (GI) toxicity must have a normal colonoscopy with normal colonic biopsies",
        # NCT00357305 (J012, J023): what does not count as prior therapy
        "Prior low-dose azacitidine, growth factors, cytokines, thalidomide, interferon, or imatinib mesylate for "
        "treatment of preceding MDS/MPD do not count as prior induction/reinduction therapy",
    ],
)
def test_a_therapy_in_a_note_or_a_counting_rule_is_not_required(text: str) -> None:
    _, criteria = quoted_criteria("inclusion", text)
    required = [f.values.to_json() for c in criteria for f in c.facts if f.kind is FactKind.PRIOR_THERAPY]
    assert not [v for v in required if v.get("drugs")], required


def test_a_qtc_limit_that_must_be_met_under_an_exclusion_heading_is_a_requirement() -> None:
    """NCT01372813 (J006)."""
    text = (
        "The average QTc from the three screening electrocardiograms (ECGs) must be less than 480 msec in order for "
        "the patient to be eligible for the study)."
    )
    assert outcome(quoted_criteria("exclusion", text), "The average", patient(qtcf_ms=442)).outcome is Outcome.SATISFIED
    assert outcome(quoted_criteria("exclusion", text), "The average", patient(qtcf_ms=495)).outcome is Outcome.VIOLATED


def test_a_modal_about_how_qtc_is_measured_does_not_turn_an_exclusion_into_a_requirement() -> None:
    """The rule above flips only a modal that states an upper limit; a reviewer's boundary phrasing (no registry text
    in ../shared has it) for a modal about the measurement, with the exclusion's limit in the next clause."""
    text = "Mean QTcF must be calculated from triplicate ECGs; QTcF > 480 ms"
    assert outcome(quoted_criteria("exclusion", text), "Mean", patient(qtcf_ms=442)).outcome is Outcome.SATISFIED
    assert outcome(quoted_criteria("exclusion", text), "Mean", patient(qtcf_ms=495)).outcome is Outcome.VIOLATED


def test_a_negation_of_another_verb_does_not_turn_a_lab_requirement_into_an_exclusion() -> None:
    """The "may not be greater than" rule below needs the negation right before the limit; a reviewer's boundary
    phrasing (no registry text in ../shared has it)."""
    text = "Hemoglobin, which may not be achieved by transfusion, of at least 9 g/dL"
    labs = [{"test": "hemoglobin", "value": 12.0, "unit": "g/dL", "date": "2026-11-05"}]
    assert outcome(quoted_criteria("inclusion", text), "Hemoglobin", patient(labs=labs)).outcome is Outcome.SATISFIED


def _liver(ast: float, alt: float) -> dict[str, Any]:
    labs = [
        {"test": "AST", "value": ast, "unit": "U/L", "date": "2026-11-05", "upper_limit": 40},
        {"test": "ALT", "value": alt, "unit": "U/L", "date": "2026-11-05", "upper_limit": 41},
    ]
    return patient(labs=labs)


def test_a_multiple_written_before_a_worded_comparator_is_the_limit() -> None:
    """NCT00524667 (J045): "6x above the upper limit of normal" is > 6 x ULN."""
    text = "Patients with hepatic disease or an AST/ALT 6x above the upper limit of normal"
    assert outcome(quoted_criteria("exclusion", text), "Patients", _liver(51, 64)).outcome is not Outcome.VIOLATED
    assert outcome(quoted_criteria("exclusion", text), "Patients", _liver(300, 320)).outcome is Outcome.VIOLATED


def test_may_not_both_be_above_the_uln_is_not_a_requirement_of_high_values() -> None:
    """NCT00365417 (J055)."""
    text = "Alkaline phosphatase and AST may not both be greater than the ULN."
    result = outcome(quoted_criteria("inclusion", text), "Alkaline", _liver(22, 18))
    assert result.outcome is not Outcome.VIOLATED, result.reason
    facts_ = [f for c in quoted_criteria("inclusion", text)[1] for f in c.facts if f.kind is FactKind.LAB]
    assert facts_ and all(f.polarity is Polarity.EXCLUDE and f.uncertain for f in facts_), facts_


def test_an_implausible_count_limit_is_not_read() -> None:
    """NCT00418028 (J004): no neutrophil count is 555 x 10^9/L."""
    labs = [{"test": "absolute neutrophil count", "value": 3.2, "unit": "10^9/L", "date": "2026-11-10"}]
    result = outcome(quoted_criteria("exclusion", "Neutrophil count < 555 x 109/l"), "Neutrophil", patient(labs=labs))
    assert result.outcome is Outcome.UNKNOWN and "plausible" in result.reason, result.reason


def test_a_misspelled_ecog_comparator_is_not_an_exact_score() -> None:
    """NCT00637390 (J049): "less tha 2" is not "ECOG 2"."""
    result = outcome(
        quoted_criteria("inclusion", "ECOG performance status less tha 2 (Karnofsky 60%)."), "ECOG", patient()
    )
    assert result.outcome is Outcome.UNKNOWN, result.reason


@pytest.mark.parametrize(
    ("section", "text", "ecog", "expected"),
    [
        # NCT02427893: ECOG 0-1 patients were wrongly excluded while "2 or less" read as exactly 2
        ("inclusion", "ECOG performance status 2 or less", 0, Outcome.SATISFIED),
        ("inclusion", "ECOG performance status 2 or less", 3, Outcome.VIOLATED),
        # NCT02891616: "1 or better" read as exactly 1
        (
            "inclusion",
            "The Eastern Cooperative Oncology Group (ECOG) performance status of 1 or better",
            0,
            Outcome.SATISFIED,
        ),
        # NCT00758693
        ("inclusion", "ECOG performance status better than or equal 2.", 1, Outcome.SATISFIED),
        # NCT00579111: under the exclusions, "Zubrod of 3 or greater" excludes ECOG 3 and 4, not ECOG 2
        (
            "exclusion",
            "Severe chronic pulmonary disease requiring oxygen (Zubrod of 3 or greater).",
            4,
            Outcome.VIOLATED,
        ),
        (
            "exclusion",
            "Severe chronic pulmonary disease requiring oxygen (Zubrod of 3 or greater).",
            2,
            Outcome.SATISFIED,
        ),
        # NCT02437318
        (
            "exclusion",
            "Patient has Eastern Cooperative Oncology Group (ECOG) performance status 2 or more",
            1,
            Outcome.SATISFIED,
        ),
        (
            "exclusion",
            "Patient has Eastern Cooperative Oncology Group (ECOG) performance status 2 or more",
            2,
            Outcome.VIOLATED,
        ),
        # NCT02038153: ECOG 0 is Karnofsky 90-100; ECOG 3 is 30-40
        ("inclusion", "Karnofsky performance status 70 or greater", 0, Outcome.SATISFIED),
        ("inclusion", "Karnofsky performance status 70 or greater", 3, Outcome.VIOLATED),
    ],
)
def test_a_performance_status_bound_in_words_is_read(section: str, text: str, ecog: int, expected: Outcome) -> None:
    result = outcome(quoted_criteria(section, text), text[:12], patient(ecog=ecog))
    assert result.outcome is expected, result.reason


@pytest.mark.parametrize(
    "text",
    [
        # NCT00543335: "0-2 or greater" contradicts itself; the 30% is a weight loss (was Karnofsky <= 30, violated
        # by every patient)
        "Eastern Cooperative Oncology Group (ECOG) Performance Status 0-2 or greater, weight loss </= 30% or less.",
        # NCT00046839: "more than 5%" is a weight loss (was ECOG >= 6, violated by every patient)
        "Zubrod 2 AND more than 5% weight loss over the past 3 months OR",
    ],
)
def test_a_performance_status_bound_that_is_not_the_scores_is_uncertain(text: str) -> None:
    for ecog in (0, 1, 2):
        result = outcome(quoted_criteria("inclusion", text), text[:12], patient(ecog=ecog))
        assert result.outcome is not Outcome.VIOLATED, result.reason
    (criterion,) = quoted_criteria("inclusion", text)[1]
    assert all(f.uncertain for f in criterion.facts if f.kind is FactKind.PERFORMANCE_STATUS), criterion.facts


def test_a_gene_named_as_a_drugs_target_is_not_the_tumours() -> None:
    """NCT02385669 (J010): "Targeted therapies specific for mutated BRAF or for MEK"."""
    _, criteria = quoted_criteria("exclusion", "Targeted therapies specific for mutated BRAF or for MEK")
    assert not [f for c in criteria for f in c.facts if f.kind is FactKind.BIOMARKER]


def test_brain_metastases_with_controlled_symptoms_are_not_required() -> None:
    """NCT00445198 (J002)."""
    text = (
        "Brain metastases with clinically controlled neurologic symptoms, defined as surgical excision and/or "
        "radiation therapy followed by 21 days of stable neurologic function & no evidence of CNS disease "
        "progression as determined by CT or MRI within 21 days prior to the first dose of study drug."
    )
    assert outcome(quoted_criteria("inclusion", text), "Brain", patient()).outcome is not Outcome.VIOLATED


def test_a_semicolon_or_opens_another_way_to_qualify() -> None:
    """NCT00456989 (J003): progression since anti-androgen withdrawal is one alternative."""
    text = (
        "Patients must be off anti-androgens such as flutamide (Eulexin) or nilutamide (Nilandron) for at least four "
        "weeks, and six weeks for bicalutamide (Casodex), without evidence of response; or have evidence of "
        "progression since anti-androgen withdrawal."
    )
    doc = patient(disease={"progressing": False, "measurable": True, "brain_metastases": "none"})
    assert outcome(quoted_criteria("inclusion", text), "Patients", doc).outcome is not Outcome.VIOLATED


def test_a_requirement_for_the_patients_of_some_parts_is_a_cohort_condition() -> None:
    """NCT02389842 (J018, J061): Part A takes any advanced solid tumour."""
    text = (
        "Inclusion Criteria:\n\n1. Prior cancer treatment as follows:\n\n   - Patients with ER+ve and HER2-ve breast "
        "cancer in Parts B1 and B3 should have progressed on at least one prior hormone therapy and had a maximum of "
        "two prior lines of chemotherapy for advanced breast cancer;\n"
    )
    assert outcome(_text_trial(text), "Patients with", patient()).outcome is Outcome.UNKNOWN


def test_sub_items_of_a_lead_in_whose_exceptions_are_noted_below_are_exceptions() -> None:
    """NCT02661815 (J021): "papillary serous" in an exception does not exclude papillary thyroid carcinoma."""
    text = (
        "Exclusion Criteria:\n\n- Patients with a history of other invasive malignancies, with the exception of "
        "non-melanoma skin cancer and other specific malignancies as noted below, are excluded if there is any "
        "evidence of other malignancy being present within the last three years.\n\n    - Primary endometrial cancer "
        "meeting the following conditions: Stage not greater than IA, grade 1 or 2; no poorly differentiated "
        "subtypes, including papillary serous, clear cell, or other FIGO grade 3 lesions.\n"
    )
    assert outcome(_text_trial(text), "Primary endometrial", patient()).outcome is not Outcome.VIOLATED


def test_patients_with_another_histology_must_is_their_criterion() -> None:
    """NCT00112619 (J054): "Patients with CNS leukemia or lymphoma must be refractory ...": not the trial's
    histology."""
    text = (
        "Patients with CNS leukemia or lymphoma must be refractory to conventional therapy, including radiotherapy "
        "(i.e., second or greater relapse)"
    )
    assert outcome(quoted_criteria("inclusion", text), "Patients", patient()).outcome is Outcome.UNKNOWN
    _, dtc = quoted_criteria("inclusion", "Patients with DTC must have radioiodine-refractory disease")
    assert all(not c.scope.conditions for c in dtc)  # a thyroid histology there stays the trial's requirement


def test_n_or_more_of_the_following_makes_each_sub_item_one_way_to_qualify() -> None:
    """NCT00556049 (J046): "PS > 1" is one of five characteristics of which three qualify."""
    text = (
        "Inclusion Criteria:\n\n- Histologically proven metastatic renal cell carcinoma with any sarcomatoid histology "
        "or poor-risk features as defined by having 3 or more of the following characteristics:\n\n    - PS > 1, high "
        "serum lactate dehydrogenase\n\n    - low hemoglobin\n"
    )
    _, criteria = _text_trial(text)
    assert criteria[0].any_of


@pytest.mark.parametrize(
    ("text", "start"),
    [
        # NCT02159248 (J059)
        (
            "Primary Inclusion Criteria:\n  1. Age ≥ 18 years\nPrimary Exclusion Criteria:\n  1. History or evidence "
            "of "
            "CNS disease (e.g., any brain metastases, primary brain tumor).\n",
            "History",
        ),
        # NCT01974752 (J007, J034)
        (
            "Inclusion Criteria: Clinical diagnosis of metastatic uveal melanoma\n\n  -  ECOG performance status "
            "0-1\n\n"
            "Exclusion Criteria:-Involvement in the planning and/or conduct of the study\n\n  -  QTcF >450 ms or other "
            "factors that increase the risk of QTc prolongation\n",
            "QTcF",
        ),
    ],
)
def test_primary_and_glued_exclusion_headings_open_the_exclusions(text: str, start: str) -> None:
    _, criteria = _text_trial(text)
    (found,) = [c for c in criteria if c.display_text.startswith(start)]
    assert found.section.value == "exclusion"
    assert outcome(_text_trial(text), start, patient(qtcf_ms=442)).outcome is not Outcome.VIOLATED


# --- the reviewer's safe-direction findings (parser 20) ------------------------------------------------------------


def test_a_subgroup_word_after_the_first_sentence_leaves_its_age_limit() -> None:
    """NCT00492206: "children" in the explanation does not drop the limit the first sentence states; in a menopause
    definition (NCT00619424) the age is still not the patient's."""
    _, criteria = quoted_criteria("inclusion", "Age >18 years. Lung cancer is extremely rare in children.")
    ages = [f.values.to_json() for c in criteria for f in c.facts if f.kind is FactKind.AGE]
    assert ages == [{"op": ">", "years": 18}], ages
    menopause = (
        "Subjects not using hormone replacement therapy (HRT) must have experienced total cessation of menses for ≥1 "
        "year and be greater than 45 years in age"
    )
    assert not [f for c in quoted_criteria("inclusion", menopause)[1] for f in c.facts if f.kind is FactKind.AGE]


@pytest.mark.parametrize(
    ("text", "therapy"),
    [
        ("Patients who have had bowel irradiation within 6 weeks.", "radiotherapy"),  # NCT01083537
        ("No prior major surgery to the upper gastrointestinal tract", "surgery"),  # NCT00646139
    ],
)
def test_a_radiotherapy_or_surgery_of_an_organ_on_the_one_organ_list_never_excludes(text: str, therapy: str) -> None:
    doc = patient(therapies=[{"name": f"prior {therapy}", "kind": therapy, "start": "2026-11-01", "end": "2026-11-02"}])
    result = outcome(quoted_criteria("exclusion", text), text[:12], doc)
    assert result.outcome is not Outcome.VIOLATED, result.reason
    read = [f for c in quoted_criteria("exclusion", text)[1] for f in c.facts if f.kind is FactKind.PRIOR_THERAPY]
    assert read and all(f.uncertain and "named site" in f.uncertain for f in read), read


def test_sub_items_of_an_exclusions_permission_are_its_terms() -> None:
    """NCT02389842 (sample 3's H037): "Patients with a history of treated CNS metastases are eligible, provided they
    meet all of the following criteria:" / "Evaluable or measurable disease outside the CNS is present." says on what
    terms they may enter; it does not exclude measurable disease."""
    text = (
        "Exclusion criteria:\n\n  1. Known untreated or active central nervous system (CNS) metastases (progressing or "
        "requiring corticosteroids for symptomatic control). Patients with a history of treated CNS metastases are "
        "eligible, provided they meet all of the following criteria:\n\n       -  Evaluable or measurable disease "
        "outside the CNS is present.\n\n       -  Not requiring dexamethasone treatment.\n"
    )
    trial = _text_trial(text)
    assert outcome(trial, "Evaluable", patient()).outcome is not Outcome.VIOLATED
    assert all(c.scope.modality == "permission" for c in trial[1] if c.parent is not None)


@pytest.mark.parametrize(
    ("nct_id", "lead_in", "sub_item", "doc"),
    [
        (
            "NCT00709618",
            "A subject will be eligible for inclusion in this study only if all of the following criteria apply:",
            "ECOG performance status (PS) of 0 to 2",
            {"ecog": 3},
        ),
        (
            "NCT00619424",
            "A subject will be considered eligible for inclusion in this study only if all of the following criteria "
            "are met:",
            "ECOG Performance status must be ≤1.",
            {"ecog": 2},
        ),
        (
            "NCT02354131",
            "A patient will be eligible for inclusion only if all of the following criteria are fulfilled:",
            "ECOG performance status 0-2",
            {"ecog": 3},
        ),
        (
            "NCT02189343",
            "Patients meeting all of the following criteria may be enrolled in the study:",
            "Must be ≥ 18 years of age at the time of signing the ICF.",
            {"birth_date": "2010-01-01"},
        ),
    ],
)
def test_sub_items_of_an_inclusion_lead_in_that_makes_eligibility_depend_on_all_of_them_are_requirements(
    nct_id: str, lead_in: str, sub_item: str, doc: dict[str, Any]
) -> None:
    """The sub-items were permissions ("be eligible", "may be enrolled" in the lead-in), so none could exclude."""
    trial = hint_trial(nct_id)
    (lead,) = [c for c in trial[1] if c.display_text == lead_in]
    assert lead.scope.modality == "requirement"
    assert the_criterion(trial[1], sub_item).scope.modality == "requirement"
    assert outcome(trial, sub_item, patient(**doc)).outcome is Outcome.VIOLATED


@pytest.mark.parametrize(
    ("nct_id", "lead_in"),
    [
        (
            "NCT02385669",
            "Participants who have had brain metastases will be eligible if all of the following are true:",
        ),
        (
            "NCT02642965",
            "Patients with a known history of human immunodeficiency virus (HIV) are eligible, if they meet all of the "
            "following conditions:",
        ),
    ],
)
def test_a_subgroups_lead_in_stays_a_permission(nct_id: str, lead_in: str) -> None:
    (lead,) = [c for c in hint_trial(nct_id)[1] if c.display_text == lead_in]
    assert lead.scope.modality == "permission"


def test_under_the_new_requirements_a_definitions_window_and_a_later_time_point_never_exclude() -> None:
    """NCT02354131, sub-items of "A patient will be eligible for inclusion only if all of the following criteria are
    fulfilled:": "platinum sensitivity defined as no recurrence within 6 months of last receipt of
    platinum/chemotherapy" does not ask for platinum in the last 6 months, and "8 weeks following progression of
    disease" is a time point after it, not a window on it."""
    trial = hint_trial("NCT02354131")
    doc = patient(therapies=[{"name": "carboplatin", "kind": "systemic", "start": "2025-01-01", "end": "2025-05-01"}])
    assert outcome(trial, "Recurrent platinum-sensitive", doc).outcome is not Outcome.VIOLATED
    assert outcome(trial, "The patient agrees to complete PROs", doc).outcome is not Outcome.VIOLATED


def test_a_candidate_for_a_transplant_has_not_had_one() -> None:
    """NCT02189343: "Must not be a candidate for autologous stem cell transplant (ASCT), have declined the option of
    ASCT, or have relapsed after prior ASCT." (now a requirement): a patient after a transplant may enter."""
    trial = hint_trial("NCT02189343")
    criterion = the_criterion(trial[1], "Must not be a candidate for autologous")
    assert not facts(criterion, FactKind.CONDITION)


@pytest.mark.parametrize(
    "text",
    [
        # NCT02412878
        "Disease progression within 60 days of discontinuation from most recent therapy",
        "Disease progression within 6 months after the last treatment.",  # NCT03042611
    ],
)
def test_a_progression_window_counted_from_a_therapys_end_never_excludes(text: str) -> None:
    """A progression 11 months ago, 45 days after lenvatinib stopped, is what these texts ask for."""
    doc = patient()
    doc["disease"]["progression_date"] = "2026-01-15"
    result = outcome(quoted_criteria("inclusion", text), text[:12], doc)
    assert result.outcome is not Outcome.VIOLATED, result.reason


@pytest.mark.parametrize(("state", "expected"), [("treated_stable", Outcome.SATISFIED), ("active", Outcome.VIOLATED)])
def test_symptomatic_brain_metastases_glued_to_a_list_marker_are_the_active_ones(state: str, expected: Outcome) -> None:
    """NCT01974752 (its whole registry text): "--Symptomatic brain metastases or spinal cord compression (patients must
    be treated and stable off steroids and anti-convulsants for at least 1 month prior to entry into the study)"
    excluded any brain metastases once parser 20's heading fix put it among the exclusions: "--Symptomatic" is one
    token the vocabulary did not see."""
    doc = patient()
    doc["disease"]["brain_metastases"] = state
    result = outcome(hint_trial("NCT01974752"), "--Symptomatic brain metastases", doc)
    assert result.outcome is expected, result.reason


def _performance(text: str) -> Fact:
    found = [f for c in quoted_criteria("inclusion", text)[1] for f in c.facts if f.kind is FactKind.PERFORMANCE_STATUS]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "high"),
    [
        ("Performance status of 0-2 on the ECOG Performance Scale and life expectancy > 3 months.", 2),  # NCT01235897
        ("ECOG PS:0-1,Life expectancy of more than 6 months", 1),  # NCT02586350
        ("ECOG PS：0-1,Expected Survival Time: Over 3 months", 1),  # NCT02388919
        ("PATIENT CHARACTERISTICS: Age: 16 to 44 Performance status: ECOG 0-2 Life expectancy: At least 3 months", 2),
    ],
)
def test_a_life_expectancy_limit_after_the_scores_is_not_the_performance_status_limit(text: str, high: int) -> None:
    """Read as ECOG >= 4 or >= 3 before (a reviewer's finding; the last is NCT00003060): every ECOG 0-1 patient was
    excluded."""
    fact = _performance(text)
    assert fact.polarity is Polarity.REQUIRE and fact.uncertain is None
    assert fact.values.to_json() == {"scale": "ecog", "max": high}


def test_a_negation_elsewhere_in_an_inclusion_sentence_does_not_exclude_the_scores() -> None:
    """NCT00003640: "Not specified" belongs to the life expectancy; read as a negation, WHO 0-1 excluded WHO 0-1."""
    fact = _performance(
        "PATIENT CHARACTERISTICS: Age: Not specified Performance status: WHO 0-1 Life expectancy: Not specified"
    )
    assert fact.uncertain and "negation" in fact.uncertain


# --- parser 23 ----------------------------------------------------------------------------------------------------

RAI_AND_MARROW = (
    "No prior radiation therapy to > 25% of bone marrow, or radioactive iodine with cumulative activity > 600 mCi"
)


@pytest.mark.parametrize("section", ["inclusion", "exclusion"])
def test_a_negated_cumulative_activity_is_a_cap_never_a_requirement(section: str) -> None:
    """A reported wrong exclusion (issue 10): this line read as requiring >= 600 mCi of radioiodine, so a RAIR-DTC
    patient given 250 mCi was excluded. "No ... radioactive iodine with cumulative activity > 600 mCi" caps it."""
    doc = patient()
    doc["radioiodine"]["cumulative_activity_mci"] = 250
    trial = quoted_criteria(section, RAI_AND_MARROW)
    rai = facts(the_criterion(trial[1], "No prior radiation"), FactKind.RAI_REFRACTORY)
    assert [f.polarity for f in rai] == [Polarity.EXCLUDE]
    assert outcome(trial, "No prior radiation", doc).outcome is not Outcome.VIOLATED


def test_a_negation_that_does_not_reach_the_activity_leaves_it_uncertain() -> None:
    """A negation earlier in the clause that the reading cannot tie to the activity: never a requirement decided."""
    trial = quoted_criteria("inclusion", "Not eligible for surgery; cumulative RAI activity of no more than 600 mCi")
    for criterion in trial[1]:
        for fact in facts(criterion, FactKind.RAI_REFRACTORY):
            assert fact.polarity is Polarity.EXCLUDE or fact.uncertain, fact


@pytest.mark.parametrize(
    "text",
    [
        # NCT02267707 (HINT) #4: read as requiring a biliary stent
        "For those patients who had a biliary stent inserted, 2 stable bilirubin readings within 48 to 72 hours of "
        "each other taken at least 5 days and not more than 14 days post-stenting must be obtained.",
        # NCT00555256 (HINT)
        "For all patients with reproductive potential, the use of adequate contraception and will be required for "
        "the duration of treatment and the 3 months following treatment",
    ],
)
def test_for_those_patients_who_is_a_condition_of_the_criterion(text: str) -> None:
    (criterion,) = quoted_criteria("inclusion", text)[1]
    assert [c.kind for c in criterion.scope.conditions] == ["other"], criterion.scope


@pytest.mark.parametrize(
    "text",
    [
        "Patients receiving prior radiation cannot register within 7 days after completion of radiation",
        "Patients who received prior chemotherapy may not be enrolled within 21 days after the last dose",
    ],
)
def test_patients_who_had_x_cannot_register_within_a_window_is_a_washout(text: str) -> None:
    """The washout class of issue 10 (brief of parser 23): the therapy within the window excludes, it is never
    required; a patient without it is not excluded."""
    trial = quoted_criteria("inclusion", text)
    therapy = facts(the_criterion(trial[1], "Patients"), FactKind.PRIOR_THERAPY)
    assert therapy and all(f.polarity is Polarity.EXCLUDE and f.values.within for f in therapy), therapy  # type: ignore[attr-defined]
    doc = patient(therapies=[])
    assert outcome(trial, "Patients", doc).outcome is not Outcome.VIOLATED


def test_past_and_an_opening_no_does_not_negate_a_limit() -> None:
    """The reviewer's variant of parser 21's ', and' (brief of parser 23): the LVEF limit is required, not excluded."""
    (criterion,) = quoted_criteria("inclusion", "No clinically significant cardiac disease, and LVEF ≥ 50%")[1]
    lvef = facts(criterion, FactKind.LVEF)
    assert [f.polarity for f in lvef] == [Polarity.REQUIRE], lvef


@pytest.mark.parametrize(
    ("section", "text"),
    [
        (
            "inclusion",
            "No serious cardiac arrhythmia or atrial fibrillation requiring treatment, except rate controlled "
            "atrial fibrillation",
        ),
        # NCT02610075 (HINT) exclusions
        (
            "exclusion",
            "Significant ventricular or supraventricular arrhythmias (patients with chronic rate-controlled "
            "atrial fibrillation in the absence of other cardiac abnormalities are eligible)",
        ),
        # NCT00537095 (thyroid study) exclusions, abridged: the list shortened, its last sentence kept
        (
            "exclusion",
            "History of arrhythmia (ventricular tachycardia or uncontrolled atrial fibrillation), which is "
            "symptomatic or requires treatment. Subjects with atrial fibrillation controlled by medication are "
            "permitted.",
        ),
    ],
)
def test_a_cardiac_exclusion_that_spares_a_form_of_its_condition_never_excludes_it(section: str, text: str) -> None:
    doc = patient(conditions=[{"name": "atrial fibrillation", "status": "active"}])
    trial = quoted_criteria(section, text)
    result = outcome(trial, text[:12], doc)
    assert result.outcome is not Outcome.VIOLATED, result.reason


def test_a_permission_outside_the_window_is_no_exception() -> None:
    """NCT01075048 (HINT): the 6 months already say which infarctions exclude; the reading stays certain."""
    text = (
        "Myocardial infarction that occurred within 6 months prior to start of study treatment (myocardial infarction "
        "that occurred greater than 6 months before the start of study treatment is permitted)."
    )
    (criterion,) = quoted_criteria("exclusion", text)[1]
    assert [f.uncertain for f in facts(criterion, FactKind.CARDIAC)] == [None]
