"""Issue 10, item 2: scope before facts. The context cues are data (matcher/knowledge/cues.json) validated with a
JSON Schema, each with real examples that must match and non-examples that must not; the scope step records whose
attribute a criterion names, its modality and its conditions, and the matcher lets only a complete reading violate."""

from __future__ import annotations

import json
from datetime import date

import pytest

from matcher.eligibility.cues import load_cues
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient

CUES = load_cues()


@pytest.mark.parametrize("cue_id", sorted(CUES))
def test_every_cue_matches_its_examples_and_not_its_non_examples(cue_id: str) -> None:
    cue = CUES[cue_id]
    assert all(cue.pattern.search(example) for example in cue.examples), cue.examples
    assert not any(cue.pattern.search(other) for other in cue.non_examples), cue.non_examples


def test_a_broken_cue_file_is_refused_by_its_schema(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jsonschema import Draft202012Validator

    from matcher.eligibility import cues

    schema = json.loads((cues.files("matcher.knowledge") / cues.SCHEMA_FILE).read_text(encoding="utf-8"))
    broken = {"entries": [{"id": "cue.x", "category": "gossip", "note": "n", "pattern": "a", "examples": []}]}
    errors = list(Draft202012Validator(schema).iter_errors(broken))
    assert errors  # an unknown category and no example


def read(section: str, text: str):  # type: ignore[no-untyped-def]
    [criterion] = parse_text(f"{section} Criteria:\n\n- {text}\n")
    return criterion


def outcome(section: str, text: str, profile: dict) -> tuple[Outcome, str]:  # type: ignore[type-arg]
    criterion = read(section, text)
    info = TrialInfo("NCT00000000", "t", "RECRUITING", ())
    m = match_trial(info, [criterion], parse_patient(profile).patient, date(2026, 11, 26), load_knowledge())
    return m.results[0].outcome, m.results[0].reason


def test_modality_is_read_before_the_facts() -> None:
    assert read("Inclusion", "Treated, stable brain metastases are allowed").scope.modality == "permission"
    assert read("Inclusion", "A biopsy is recommended").scope.modality == "recommendation"
    assert read("Exclusion", "Prior chemotherapy").scope.modality == "prohibition"
    assert read("Inclusion", "Note: radioiodine given for diagnosis is not therapy").scope.modality == "note"


def test_conditions_are_decided_for_the_patient_or_leave_the_criterion_unknown() -> None:
    text = "For patients with medullary thyroid cancer: no prior vandetanib"
    criterion = read("Inclusion", text)
    assert [c.kind for c in criterion.scope.conditions] == ["histology"]
    assert not any(f.kind.value == "histology" for f in criterion.facts)  # the condition picks; it is not asked
    papillary = {"id": "p", "diagnosis": {"histology": "papillary"}, "therapies": [{"name": "vandetanib"}]}
    medullary = {"id": "m", "diagnosis": {"histology": "medullary"}, "therapies": [{"name": "vandetanib"}]}
    unknown = {"id": "u", "therapies": [{"name": "vandetanib"}]}
    assert outcome("Inclusion", text, papillary)[0] is Outcome.NOT_APPLICABLE
    assert outcome("Inclusion", text, medullary)[0] is Outcome.VIOLATED
    found, reason = outcome("Inclusion", text, unknown)
    assert found is Outcome.UNKNOWN and reason.startswith("reading uncertain:")


def test_a_cohort_criterion_never_excludes_on_its_own() -> None:
    found, reason = outcome("Inclusion", "Cohort 2: ECOG 0-1", {"id": "p", "ecog": 3})
    assert found is Outcome.UNKNOWN and "cohort" in reason


def test_a_relative_named_in_the_criterion_keeps_it_from_violating() -> None:
    text = "Congenital long QT syndrome or 1st degree relative with unexplained sudden death under 40 years of age"
    criterion = read("Exclusion", text)
    assert criterion.scope.others == ("1st degree relative",)
    assert not any(f.kind.value == "age" for f in criterion.facts)


# NCT00287287, inclusion 2: two ways in, the second after "Alternatively,"
ALTERNATIVELY = (
    "Patients must have an unresectable, distantly metastatic tumor, which does not concentrate radioactive iodine. "
    "Alternatively, follicular or papillary thyroid carcinoma patients with large distant tumor burdens which have "
    "not sufficiently responded to more than 800 mCi I-131 cumulative therapy and are progressive (criteria #4) may "
    "be appropriate for inclusion."
)
METASTATIC_NO_UPTAKE = {
    "id": "a",
    "diagnosis": {"histology": "papillary", "metastatic_sites": ["lung"]},
    "radioiodine": {"uptake": "absent", "cumulative_activity_mci": 450, "progression_after_rai": True},
}


def test_a_requirement_offering_alternatives_records_them_and_reads_each_on_its_own() -> None:
    criterion = read("Inclusion", ALTERNATIVELY)
    assert len(criterion.scope.alternatives) == 2
    assert criterion.scope.alternatives[1].startswith("follicular or papillary")
    by_alternative = {(f.alternative, f.kind.value, getattr(f.values, "definition", None)) for f in criterion.facts}
    assert (1, "rai_refractory", "no_uptake") in by_alternative  # "which does not concentrate radioactive iodine"
    assert (2, "rai_refractory", "cumulative_activity") in by_alternative  # "more than 800 mCi"
    assert {f.alternative for f in criterion.facts} == {1, 2}


def test_alternatives_are_violated_only_when_every_alternative_is() -> None:
    # The first way in holds (distant metastases without uptake): 450 mCi against the second's 800 does not matter
    assert outcome("Inclusion", ALTERNATIVELY, METASTATIC_NO_UPTAKE)[0] is Outcome.SATISFIED
    avid = {**METASTATIC_NO_UPTAKE, "radioiodine": {"uptake": "present", "cumulative_activity_mci": 650}}
    found, reason = outcome("Inclusion", ALTERNATIVELY, avid)  # avid, and below 800 mCi: neither way in
    assert found is Outcome.VIOLATED and "650 mCi" in reason
    local = {**METASTATIC_NO_UPTAKE, "diagnosis": {"histology": "papillary", "metastatic_sites": [],
                                                    "locally_advanced_unresectable": True}}  # fmt: skip
    local["radioiodine"] = {"uptake": "absent", "cumulative_activity_mci": 200}
    assert outcome("Inclusion", ALTERNATIVELY, local)[0] is Outcome.VIOLATED  # both ways need distant disease


def test_an_alternative_that_was_not_read_keeps_the_others_from_violating() -> None:
    # NCT00507429: the first alternative names no fact the parser reads
    text = (
        "Refractory to or progressed during or after therapy, or relapsed within 6 months following initial combined "
        "modality therapy (usually including systemic chemotherapy and radiation) for regionally advanced disease"
    )
    criterion = read("Inclusion", text)
    assert criterion.scope.alternatives[0] == "Refractory to or progressed during or after therapy"
    assert all(f.uncertain and "an alternative was not read" in f.uncertain for f in criterion.facts)
    found, reason = outcome("Inclusion", text, {"id": "n", "therapies": []})
    assert found is Outcome.UNKNOWN and "reading uncertain: an alternative was not read" in reason


def test_or_between_names_is_not_an_alternative_and_exclusions_have_none() -> None:
    assert read("Inclusion", "Papillary or follicular thyroid carcinoma").scope.alternatives == ()
    assert read("Exclusion", "Prior chemotherapy, or relapsed within 6 months of surgery").scope.alternatives == ()


def test_an_alternative_sub_item_not_taken_is_not_a_violation() -> None:
    # NCT00077103: "... of either of the following:", the second alternative "without measurable disease"
    text = (
        "Inclusion Criteria:\n\n- Histologically confirmed anaplastic or poorly differentiated variant thyroid "
        "carcinoma of either of the following:\n  - Regionally advanced disease\n  - Completely resected disease "
        "without measurable or evaluable disease\n"
    )
    criteria = parse_text(text)
    assert criteria[0].any_of
    profile = {"id": "p", "diagnosis": {"histology": "anaplastic", "metastatic_sites": ["lung"]},
               "disease": {"measurable": True}}  # fmt: skip
    info = TrialInfo("NCT00000000", "t", "RECRUITING", ())
    m = match_trial(info, criteria, parse_patient(profile).patient, date(2026, 11, 26), load_knowledge())
    assert [r.outcome for r in m.results] == [Outcome.SATISFIED, Outcome.SATISFIED, Outcome.NOT_APPLICABLE]
    assert m.results[2].reason.startswith("an alternative not taken")


def test_radiotherapy_waits_the_profile_cannot_tell_apart_never_exclude() -> None:
    # NCT03131206, exclusion: a wait in hours and radiotherapy to the brain are read, but cannot violate
    text = (
        "Radiation therapy (except palliative to relieve bone pain) within 2 weeks of study entry. Palliative "
        "radiation (≤10 fractions) must have been completed at least 48 hours prior to study entry. Stereotactic or "
        "small field brain irradiation must have completed at least 2 weeks prior to study entry. Whole brain "
        "radiation must have completed at least 4 weeks prior to study entry."
    )
    uncertain = [f.uncertain for f in read("Exclusion", text).facts]
    assert uncertain[0] is None and "hours" in (uncertain[1] or "") and "named site" in (uncertain[3] or "")
    femur = {"name": "palliative external beam radiotherapy to left femur", "kind": "radiotherapy",
             "start": "2026-11-03", "end": "2026-11-09"}  # fmt: skip
    found, reason = outcome("Exclusion", text, {"id": "r", "therapies": [femur]})
    assert found is Outcome.UNKNOWN and reason.startswith("reading uncertain:")
    assert outcome("Exclusion", text, {"id": "n", "therapies": []})[0] is Outcome.SATISFIED


def test_a_radioiodine_avid_trial_asks_for_uptake_and_the_latest_progression_does_not_close_its_window() -> None:
    # NCT03506048, inclusion
    text = (
        "Prior treatment with therapeutic dose of radioactive iodine (> 50 mCi) with evidence of RAI uptake on "
        "delayed scan and with progression (biochemical or anatomic) within 12 months of RAI"
    )
    assert "uptake" in {getattr(f.values, "definition", None) for f in read("Inclusion", text).facts}
    absent = {"id": "a", "radioiodine": {"uptake": "absent", "cumulative_activity_mci": 450}}
    found, reason = outcome("Inclusion", text, absent)
    assert found is Outcome.VIOLATED and "uptake absent" in reason
    # partial uptake, progression after RAI on file; the latest progression is years after the last RAI, and the
    # progression after RAI may have come within 12 months of it
    partial = {"id": "p", "radioiodine": {"uptake": "partial", "cumulative_activity_mci": 600,
                                          "progression_after_rai": True, "last_treatment_on": "2018-03-01"},
               "disease": {"progressing": True, "progression_date": "2026-07-15"}}  # fmt: skip
    assert outcome("Inclusion", text, partial)[0] is Outcome.UNKNOWN


def test_blood_pressure_the_profile_cannot_settle_never_excludes() -> None:
    uncontrolled = {"id": "h", "conditions": [{"name": "hypertension", "status": "uncontrolled"}]}
    own_definition = (  # NCT03506048, exclusion
        "Patients with uncontrolled hypertension (requirement for more than 2 blood pressure [BP] medications or "
        "grade 2 or higher BP elevation while on adequate doses of not more than 2 antihypertensive agents) are "
        "excluded from the study"
    )
    judged = (  # NCT00923247, exclusion
        "Evidence of severe or uncontrolled systemic disease or any concurrent condition including, but not limited "
        "to symptomatic congestive heart failure, unstable angina pectoris, unstable hypertension, seizure disorder, "
        "or psychiatric illness which in the Investigators opinion makes it undesirable for the patient to "
        "participate in the trial or which would jeopardize compliance with the protocol."
    )
    for text in (own_definition, judged):
        found, reason = outcome("Exclusion", text, uncontrolled)
        assert found is Outcome.UNKNOWN and reason.startswith("reading uncertain:"), text
    # NCT01208051: the usual definition (>= 140/90) is what "uncontrolled" on file means
    usual = (
        "Patients with poorly controlled hypertension (systolic blood pressure of 140 mmHg or higher or diastolic "
        "blood pressure of 90 mmHg or higher) are ineligible"
    )
    assert outcome("Exclusion", usual, uncontrolled)[0] is Outcome.VIOLATED


def test_a_measured_clearance_named_as_an_alternative_keeps_the_limits_from_violating() -> None:
    text = (  # NCT02456701, under "normal organ and marrow function as defined below:"
        "Creatinine ≤ 1.5 mg/dL OR calculated creatinine clearance (Cockcroft-Gault formula) ≥ 50 mL/min OR 24-hour "
        "urine creatinine clearance ≥ 50 mL/min"
    )
    labs = [{"test": "creatinine", "value": 1.6, "unit": "mg/dL", "date": "2026-11-02"},
            {"test": "creatinine clearance", "value": 42, "unit": "mL/min", "date": "2026-11-02"}]  # fmt: skip
    found, reason = outcome("Inclusion", text, {"id": "k", "labs": labs})
    assert found is Outcome.UNKNOWN and "measured creatinine clearance" in reason
    labs[0]["value"] = 1.2
    assert outcome("Inclusion", text, {"id": "k", "labs": labs})[0] is Outcome.SATISFIED


def test_a_requirement_of_the_trials_own_drug_cannot_exclude() -> None:
    from matcher.eligibility.parser import StructuredFields

    # NCT01118065, an everolimus trial: "Must have received prior everolimus or other mTOR inhibitor therapy"
    text = "Inclusion Criteria:\n\n- Must have received prior everolimus or other mTOR inhibitor therapy\n"
    [own] = [c for c in parse_text(text, StructuredFields(interventions=("everolimus",))) if c.source == "text"]
    assert "the trial itself gives everolimus" in (own.facts[0].uncertain or "")
    [other] = [c for c in parse_text(text, StructuredFields(interventions=("lenvatinib",))) if c.source == "text"]
    assert other.facts[0].uncertain is None
    info = TrialInfo("NCT00000000", "t", "RECRUITING", ())
    patient = parse_patient({"id": "p", "therapies": []}).patient
    m = match_trial(info, [own], patient, date(2026, 11, 26), load_knowledge())
    assert m.results[0].outcome is Outcome.UNKNOWN and m.results[0].reason.startswith("reading uncertain:")
