"""Scope 11 (issue 10; tests/audit/scope_changes.txt): conditions, alternatives and lead-ins that samples 9 and 10 found
read as everyone's requirements (Q002, Q020, Q042, Q051, P019, P055). Each row quotes registry text of the tuning
corpora, with the trial it came from; each class has rows that must keep their reading."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Criterion, FactKind, Polarity
from matcher.eligibility.numbers import Window
from matcher.eligibility.parser import parse_text
from matcher.eligibility.scope import RECOMMENDATION
from tests.readings import UNCERTAIN, check, facts_of, one_criterion

THERAPY, QTC = FactKind.PRIOR_THERAPY, FactKind.QTC


def _others(c: Criterion) -> list[str]:
    return [k.text for k in c.scope.conditions if k.kind == "other"]


# --- a group of patients a criterion opens on is a condition, not everyone's requirement -----------------------------

_GROUPS = [
    # NCT00356928 (Q002)
    (
        "Patients with normal marrow cytogenetics or an isolated 5q- abnormality must have failed or are ineligible "
        "for or intolerant to treatment with lenalidomide",
        "Patients with normal marrow cytogenetics or an isolated 5q- abnormality must",
    ),
    # NCT01267266 (Q020)
    (
        "Patients receiving non-steroidal anti-androgens (e.g., flutamide) or other hormonal treatment (such as "
        "ketoconazole, abiraterone, or TAK-700) must have stopped these drugs at least 28 days prior to enrollment for "
        "flutamide or ketoconazole, or at least 42 days prior to enrollment for bicalutamide or nilutamide, and the "
        "patients must have demonstrated progression of disease since the agents were suspended",
        "Patients receiving non-steroidal anti-androgens (e.g., flutamide) or other hormonal treatment (such as "
        "ketoconazole, abiraterone, or TAK-700) must",
    ),
    # NCT01266031 (P019)
    (
        "Patients with prior therapy that included interstitial brachytherapy or stereotactic radiosurgery must have "
        "confirmation of true progressive disease rather than radiation necrosis based upon either PET or Thallium "
        "scanning, MR spectroscopy or surgical/pathological documentation of disease.",
        "Patients with prior therapy that included interstitial brachytherapy or stereotactic radiosurgery must",
    ),
    # NCT02354131: bevacizumab is not required of everyone
    (
        "Patients who are treated with bevacizumab just prior to entering in the trial must not have progressed under "
        "or within 3 months after bevacizumab.",
        "Patients who are treated with bevacizumab just prior to entering in the trial must",
    ),
    # NCT00573404
    (
        "Patients previously treated with imatinib mesylate must have documented progression of disease",
        "Patients previously treated with imatinib mesylate must",
    ),
]


@pytest.mark.parametrize(("line", "group"), _GROUPS)
def test_a_group_the_criterion_opens_on_is_an_undecided_condition(line: str, group: str) -> None:
    assert _others(one_criterion(line)) == [group]


_NOT_GROUPS = [
    "Patients must have documented progression",
    # the trial's own population, named by a histology, a tumour word or a leukaemia's abbreviation
    "Patients with DTC must have radioiodine-refractory disease",
    "Patients with metastatic thyroid cancer must have progression within 13 months",
    # NCT02212561
    "Patients with AML or ALL must have ≥ 5% leukemic blasts in the bone marrow or increasing levels of MRD in the "
    "bone marrow as assessed by flow cytometry.",
    # a kind reads the group's own state as excluded (NCT00110214: uncontrolled hypertension)
    "Patients with history of hypertension must be well controlled (< 160/90) on a regimen of anti-hypertensive "
    "therapy",
    # the pregnancy and contraception criteria's own group (NCT02594371)
    "Subjects who are of childbearing potential must have a negative screening serum pregnancy test.",
    # an exclusion of the group
    "Patients with known brain metastases must be excluded",
]


@pytest.mark.parametrize("line", _NOT_GROUPS)
def test_the_trials_own_population_or_a_state_a_kind_reads_is_no_group_condition(line: str) -> None:
    assert _others(one_criterion(line)) == []


def test_an_alternative_to_having_failed_a_therapy_leaves_the_requirement_uncertain() -> None:
    # NCT00356928: "or are ineligible for or intolerant to" qualifies too, which a profile does not record
    check(facts_of(one_criterion("Must have failed or are ineligible for or intolerant to treatment with "
                                 "lenalidomide"), THERAPY), UNCERTAIN)  # fmt: skip


def test_the_alternatives_under_a_groups_lead_in_inherit_its_condition() -> None:
    # NCT00357162 (Q051): one alternative of three under an undecided condition
    text = (
        "Inclusion Criteria:\n\n"
        "  - Patients with < 5 % bone marrow blasts must meet ≥ 1 of the following criteria:\n\n"
        "      - Symptomatic anemia with either hemoglobin < 10.0 g/dL or required RBC transfusions within the past 3 "
        "months\n"
        "      - Thrombocytopenia with ≥ 2 platelet counts < 50,000/mm³ or significant hemorrhage requiring platelet "
        "transfusions\n"
        "      - Neutropenia with ≥ 2 absolute neutrophil counts < 1,000/mm³\n"
    )
    lead, *items = parse_text(text)
    assert lead.any_of and _others(lead) == ["Patients with < 5 % bone marrow blasts must"]
    assert len(items) == 3 and all(_others(c) == _others(lead) for c in items)


# --- a washout lead-in: its items are therapies not to have had in that time ----------------------------------------


def test_the_items_of_a_washout_lead_in_are_excluded_within_its_window() -> None:
    # NCT00660153: not a required hormonal or experimental therapy in the last 3 weeks
    text = (
        "Inclusion Criteria:\n\n"
        "  - At least 3 weeks since prior treatment with:\n\n"
        "      - Chemotherapy (at least 6 weeks for nitrosoureas, mitomycin C, and liposomal doxorubicin)\n"
        "      - Any experimental therapy\n"
    )
    (fact,) = [f for c in parse_text(text) for f in c.facts]
    assert fact.polarity is Polarity.EXCLUDE and fact.values.within == Window(3, "week")


def test_the_items_of_a_window_lead_in_that_is_no_washout_stay_required() -> None:
    # a guard of the rule's edge, not registry text: no tuning text has a "within" lead-in over required therapies
    text = (
        "Inclusion Criteria:\n\n"
        "  - Must have received one of the following within the past 6 months:\n\n"
        "      - Prior chemotherapy\n"
        "      - Prior treatment with sorafenib\n"
    )
    facts = [f for c in parse_text(text) for f in c.facts if f.kind is THERAPY]
    assert facts and all(f.polarity is Polarity.REQUIRE and f.values.within == Window(6, "month") for f in facts)


# --- a recommendation lead-in whose items the layout put beside it ---------------------------------------------------

_BESIDE = (
    "Exclusion Criteria:\n\n"
    "  5. Concurrent medical condition which may increase the risk of toxicity, including:\n\n"
    "       -  Pleural or pericardial effusion of any grade.\n\n"
    "       -  Cardiac Symptoms; any of the following should be considered for exclusion:\n\n"
    "       -  Uncontrolled angina, congestive heart failure or MI within (6 months).\n\n"
    "       -  Prolonged QTc interval on pre-entry electrocardiogram (> 450 msec).\n\n"
    "  6. QTc > 480 msec\n"
)  # NCT00882583 (Q042)


def test_the_items_beside_a_recommendation_lead_in_are_uncertain() -> None:
    criteria = parse_text(_BESIDE)
    beside = next(c for c in criteria if c.text.startswith("Prolonged QTc"))
    check(facts_of(beside, QTC), UNCERTAIN)
    # the list's end is marked by the next item of the outer list, which stays a firm exclusion
    after = next(c for c in criteria if c.text.startswith("QTc > 480"))
    assert [f.uncertain for f in facts_of(after, QTC)] == [None]


def test_the_items_under_a_recommendation_lead_in_are_recommendations() -> None:
    # NCT01643603 (P055): the same text laid out under the lead-in
    text = (
        "Exclusion Criteria:\n\n"
        "  - Cardiac Symptoms; any of the following should be considered for exclusion:\n\n"
        "      - Uncontrolled angina, congestive heart failure or MI within (6 months)\n"
        "      - Prolonged QTc interval on pre-entry electrocardiogram (> 450 msec)\n"
    )
    item = next(c for c in parse_text(text) if c.text.startswith("Prolonged QTc"))
    assert item.scope.modality == RECOMMENDATION


# --- an any-of lead-in's own requirement is asked beside its alternatives (matching) ---------------------------------

_PROSTATE_LEAD = (
    "Inclusion Criteria:\n\n"
    "  - Must have prostate cancer considered to be hormone refractory or androgen independent by one or more of the "
    "following criteria (despite androgen deprivation and anti-androgen withdrawal when applicable):\n\n"
    "      - Progression of unidimensionally measurable disease assessed within 28 days prior to initial "
    "administration of drug\n"
    "      - Progression of evaluable but not measurable disease assessed within 28 days prior to initial "
    "administration of drug for PSA evaluation and within 42 days for imaging studies (e.g., bone scans)\n"
)  # NCT00513071 (sweep 3 lost these outcomes: the lead-in was met through its progression sub-item)


def test_an_any_of_lead_ins_own_requirement_is_asked_beside_its_alternatives() -> None:
    import json
    from datetime import date
    from pathlib import Path

    from matcher.knowledge_base import load_knowledge
    from matcher.matching.evaluate import TrialInfo, match_trial
    from matcher.patient import parse_patient

    doc = json.loads((Path(__file__).parent / "patients" / "cosmic-candidate.json").read_text(encoding="utf-8"))
    doc.setdefault("disease", {})["progressing"] = True
    criteria = parse_text(_PROSTATE_LEAD)
    assert criteria[0].any_of and facts_of(criteria[0], FactKind.PRIMARY_SITE)
    m = match_trial(TrialInfo("NCT00513071", "t", "RECRUITING", ()), criteria, parse_patient(doc).patient,
                    date(2026, 11, 26), load_knowledge())  # fmt: skip
    assert m.results[0].outcome.value == "violated"  # a thyroid cancer is no prostate cancer, progressing or not


# --- review of scope 11 ---------------------------------------------------------------------------------------------

_PHASE_SEGMENT = (
    "Inclusion Criteria:\n\n"
    "  - Male or female patients ≥18 years of age.\n\n"
    "For the Phase IIa segment, patients must meet the following additional criteria:\n\n"
    "  - Patients with a histological/cytological diagnosis of metastatic and/or\n\n"
    "unresectable sarcoma within one of the following histological subgroups:\n\n"
    "  - Bone sarcomas\n\n"
    "  - Leiomyosarcomas\n\n"
    "  - Liposarcomas\n"
)  # NCT00112372: the sarcoma requirement is the Phase IIa segment's, the layout moved its second half out of the list


def test_a_sentence_the_layout_moved_out_of_its_list_keeps_the_lists_conditions() -> None:
    criteria = parse_text(_PHASE_SEGMENT)
    sarcoma = next(c for c in criteria if c.text.startswith("unresectable sarcoma"))
    assert facts_of(sarcoma, FactKind.PRIMARY_SITE)  # a bare "sarcoma": a sarcoma, no thyroid histology (reasons)
    assert [k.kind for k in sarcoma.scope.conditions] == ["cohort"]
    # its sub-items inherit it in turn
    bone = next(c for c in criteria if c.text.startswith("Bone sarcomas"))
    assert [k.kind for k in bone.scope.conditions] == ["cohort"]


def test_items_of_one_list_ending_on_and_stay_each_read_alone() -> None:
    # NCT02664077: siblings of one list, the first ending on "and", are not one sentence's halves
    text = (
        "Inclusion Criteria:\n\n"
        "  - Adequate bone marrow function:\n\n"
        "      - platelet count must be greater than or equal to 100,000/mm3; and\n"
        "      - hemoglobin must be greater than or equal to 9 g/dL.\n"
    )
    hemoglobin = next(c for c in parse_text(text) if c.text.startswith("hemoglobin"))
    assert hemoglobin.scope.conditions == ()


_ROMAN_BESIDE = (
    "Exclusion Criteria:\n\n"
    "  3. Medical History and Concurrent Diseases\n\n"
    "       1. No malignancy [other than the one treated in this study] which required\n"
    "          radiotherapy or systemic treatment within the past 5 years.\n\n"
    "       2. Concurrent medical condition which may increase the risk of toxicity, including:\n"
    "          Pleural or pericardial effusion of any grade.\n\n"
    "       3. Cardiac Symptoms; any of the following should be considered for exclusion:\n\n"
    "     i) Uncontrolled angina, congestive heart failure or myocardial infarction (MI) within\n"
    "     (6 months) ii). Patients with intercurrent cardiac dysfunction or left ventricular\n"
    "     ejection fraction (LVEF) < 50%.\n\n"
    "     v) Prolonged corrected QT (QTc) interval on pre-entry electrocardiogram (450 msec).\n\n"
    "     d) History of significant bleeding disorder unrelated to cancer, including: i)\n"
    "     Diagnosed congenital bleeding disorders (e.g., von Willebrand's disease). ii)\n"
    "     Diagnosed acquired bleeding disorder within one year (e.g., acquired anti-factor VIII\n"
    "     antibodies).\n\n"
    "     iii) Ongoing or recent (≤ 3 months) significant gastrointestinal bleeding.\n\n"
    "  4. Allergies and Adverse Drug Reactions\n"
)  # NCT01306942: "d)" is the outer list's next item, after the recommendation's "i) ... v)"


def test_the_items_beside_a_recommendation_end_at_a_marker_of_another_style() -> None:
    criteria = parse_text(_ROMAN_BESIDE)
    angina = next(c for c in criteria if c.text.startswith("Uncontrolled angina"))
    check(facts_of(angina, FactKind.CARDIAC), UNCERTAIN)
    bleeding = next(c for c in criteria if c.text.startswith("History of significant bleeding"))
    assert [f.uncertain for f in facts_of(bleeding, FactKind.CONDITION)] == [None]
    gi = next(c for c in criteria if c.text.startswith("Ongoing or recent"))
    assert [f.uncertain for f in facts_of(gi, FactKind.CONDITION)] == [None]
