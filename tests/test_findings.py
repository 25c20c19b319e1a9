"""Single facts against hand-written profiles: rules that the real-trial cases in test_matching.py do not pin down."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Evaluator, Outcome, TrialInfo, match_trial, prepare
from matcher.patient import parse_patient

ON = date(2026, 11, 26)
SATISFIED, VIOLATED = Outcome.SATISFIED, Outcome.VIOLATED


def outcome_of(text: str, profile: dict[str, Any]) -> tuple[Outcome, str]:
    criteria = parse_text(text)
    assert criteria and criteria[0].facts, f"not parsed: {text!r}"
    result = match_trial(TrialInfo("NCT00000000", "t", "RECRUITING", ()), criteria, parse_patient(profile).patient,
                         ON, load_knowledge()).results[0]  # fmt: skip
    return result.outcome, result.reason


def therapy(name: str, start: str, end: str | None = None) -> dict[str, Any]:
    entry = {"name": name, "kind": "systemic", "start": start}
    return entry | ({"end": end, "reason_stopped": "completed"} if end else {})


def test_concurrent_therapy_is_about_now_not_the_history() -> None:
    text = "Inclusion Criteria:\n\n  -  No concurrent chemotherapy\n"
    past = {"id": "p1", "therapies": [therapy("doxorubicin", "2019-01-01", "2019-06-01")]}
    assert outcome_of(text, past)[0] is Outcome.SATISFIED
    now = {"id": "p2", "therapies": [therapy("doxorubicin", "2026-10-01")]}
    outcome, reason = outcome_of(text, now)
    assert outcome is Outcome.VIOLATED and "doxorubicin" in reason


def test_histology_permission_is_not_a_requirement() -> None:
    text = (
        "Inclusion Criteria:\n\n"
        "  -  Poorly differentiated and other thyroid variants (e.g. insular, tall cell, etc.) are\n"
        "     eligible provided that the histology has no medullary differentiation nor anaplastic features\n"
    )
    papillary = {"id": "p3", "diagnosis": {"histology": "papillary"}}
    assert outcome_of(text, papillary)[0] is Outcome.SATISFIED  # the permission is n/a; the proviso holds
    medullary = {"id": "p4", "diagnosis": {"histology": "medullary"}}
    assert outcome_of(text, medullary)[0] is Outcome.VIOLATED


def test_an_answer_cached_for_one_trial_keeps_each_criterions_own_standing() -> None:
    """The same question under a later-phase heading, or in one cohort's item, is not answered as elsewhere."""
    plain = parse_text("Inclusion Criteria:\n\n  -  ECOG performance status 0-1\n")
    later = parse_text(
        "Inclusion Criteria:\n\n  -  ECOG performance status 0-1\n\n"
        "Inclusion criteria for OOL Lenvatinib Treatment Period:\n\n  -  ECOG performance status 0-1\n"
    )
    kb, patient = load_knowledge(), parse_patient({"id": "p5", "ecog": 3}).patient
    info = TrialInfo("NCT00000000", "t", "RECRUITING", ())
    for order in ((plain, later), (later, plain)):
        evaluator = Evaluator(patient, ON, kb)
        results = [match_trial(info, criteria, patient, ON, kb, evaluator).results for criteria in order]
        outcomes = {len(r): [x.outcome for x in r] for r in results}
        assert outcomes[1] == [Outcome.VIOLATED]
        assert outcomes[2] == [Outcome.VIOLATED, Outcome.NOT_APPLICABLE]


def test_a_prohibition_in_an_exclusion_list_excludes_what_it_names() -> None:
    """NCT01655719 (TREC 2021 topic 11) writes exclusions as prohibitions; read as a double negation they had
    required the patient to be on an investigational agent and on radiotherapy or chemotherapy now."""
    agents = "Exclusion Criteria:\n\n1. Patients may not be receiving any other investigational agents.\n"
    concurrent = (
        "Exclusion Criteria:\n\n8. No concurrent radiotherapy or chemotherapy may be given to the patient during the "
        "administration of the study drug.\n"
    )
    past = {"id": "p6", "therapies": [therapy("doxorubicin", "2019-01-01", "2019-06-01")]}
    assert outcome_of(agents, past)[0] is Outcome.SATISFIED
    assert outcome_of(concurrent, past)[0] is Outcome.SATISFIED
    now = {"id": "p7", "therapies": [therapy("doxorubicin", "2026-10-01")]}
    outcome, reason = outcome_of(concurrent, now)
    assert outcome is Outcome.VIOLATED and "doxorubicin" in reason


def test_a_reason_is_not_asked_about_and_years_of_age_are_not_a_window() -> None:
    """NCT01947023 explains its age limit under "Age >= 18 years"; the note had become "no dabrafenib or
    lapatinib in the last 6570 days" (18 years)."""
    text = (
        "Inclusion Criteria:\n\n* Age \\>= 18 years\n\n  * Because no dosing or adverse event data are currently "
        "available on the use of dabrafenib in combination with lapatinib in patients \\< 18 years of age, children "
        "are excluded from this study, but will be eligible for future pediatric trials\n"
    )
    age, note = parse_text(text)[:2]
    assert note.parent == age.index and note.facts == ()
    adult = {"id": "p8", "birth_date": "1960-01-01", "therapies": []}
    assert outcome_of(text, adult)[0] is Outcome.UNKNOWN  # the note is left for a coordinator to read
    minor = {"id": "p9", "birth_date": "2010-01-01", "therapies": []}
    assert outcome_of(text, minor)[0] is Outcome.VIOLATED
    for age_words in ("less than 18 years old", "18 years or older"):
        other = f"Inclusion Criteria:\n\n- No prior sorafenib in patients {age_words}\n"
        assert all("within" not in f.values.to_json() for c in parse_text(other) for f in c.facts), age_words


def test_what_a_leading_reason_names_is_not_part_of_the_criterion() -> None:
    """A real exclusion (one of the 48 shared studies): it asks about Epogen, not lenalidomide, DVT or PE."""
    text = (
        "Exclusion Criteria:\n\n  -  Because lenalidomide may increase the risk of deep vein thrombosis (DVT) or "
        "pulmonary\n     embolism (PE), patients must stop Epogen (epoetin alfa) at least 4 weeks prior to\n"
        "     enrollment\n"
    )
    [criterion] = parse_text(text)
    assert not any("lenalidomide" in str(f.values.to_json()) or f.kind.value == "cardiac" for f in criterion.facts)
    listed = "Exclusion Criteria:\n\n- Because lenalidomide, thalidomide and pomalidomide increase the risk of DVT, "
    [criterion] = parse_text(listed + "patients with DVT within 6 months are excluded\n")
    assert [f.kind.value for f in criterion.facts] == ["cardiac"]  # the DVT of the criterion, not of the reason
    [criterion] = parse_text("Exclusion Criteria:\n\n- Because of the risk of bleeding patients on warfarin\n")
    assert criterion.facts  # no comma ends the reason: the whole text is read


def facts_of(text: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [(f.polarity.value, f.kind.value, f.values.to_json()) for c in parse_text(text) for f in c.facts]


def test_radioiodine_that_failed_is_refractoriness_not_a_therapy_history() -> None:
    """TREC 2021 topic 11 trials state refractoriness as a failure of radioiodine; read as prior-therapy facts, the
    negation in "did not respond" had excluded every patient who ever had radioiodine."""
    texts = {  # NCT00559949, NCT00094055, NCT00134043 (inclusion criteria, verbatim)
        "Tumor did not respond to the most recent radioactive iodine treatment",
        "No longer amenable to radioactive iodine therapy or curative surgical resection",
        "Failure of radioactive iodine (131I) to control the disease or radioactive iodine (131I) is not an "
        "appropriate therapy",
        "Not a candidate for radioactive iodine I^131 therapy",
    }
    for text in texts:
        facts = facts_of(f"Inclusion Criteria:\n\n  -  {text}\n")
        assert ("require", "rai_refractory", {"definition": "stated"}) in facts, text
        assert not [f for f in facts if f[1] == "prior_therapy"], text
    rai = {"name": "radioactive iodine", "kind": "radioiodine", "start": "2020-01-01"}
    refractory = {"id": "p8", "radioiodine": {"refractory": True}, "therapies": [rai]}
    text = "Inclusion Criteria:\n\n  -  Tumor did not respond to the most recent radioactive iodine treatment\n"
    assert outcome_of(text, refractory)[0] is Outcome.SATISFIED


def test_a_therapy_the_patient_could_or_must_be_able_to_have_is_not_history() -> None:
    """Candidacy, the trial's own treatment, a lesion's history and definitions are not prior-therapy criteria:
    NCT01164176, NCT00115895 (twice), NCT01947023, NCT02393690 (verbatim)."""
    had_ebrt = {"id": "p9", "therapies": [
        {"name": "external beam radiotherapy to the neck", "kind": "radiotherapy", "start": "2020-01-01",
         "end": "2020-02-01", "reason_stopped": "completed"},
        {"name": "radioactive iodine", "kind": "radioiodine", "start": "2019-01-01"},
    ]}  # fmt: skip
    candidacy = "Not amenable to surgical resection or external-beam radiotherapy or refractory to radioiodine therapy"
    facts = facts_of(f"Inclusion Criteria:\n\n  -  {candidacy}\n")
    assert ("require", "rai_refractory", {"definition": "stated"}) in facts  # "not" belongs to "amenable" only
    assert not [f for f in facts if f[1] == "prior_therapy"]
    for section, text in (
        ("Inclusion", "Physically and emotionally able to undergo radioiodine treatment"),
        ("Exclusion", "Physical or psychiatric illness that may deteriorate during the isolation period required by "
                      "radioiodine therapy"),
        ("Inclusion", "Absent or insufficient radioactive iodine uptake in either all lesions or an index lesion which "
                      "has never been resected or received external beam radiation therapy as documented on a "
                      "radioactive iodine scan"),
        ("Exclusion", "Having been treated with a total cumulative (lifetime) 131I therapeutic activity > 800 mCi "
                      "(excluding 131I activity administered for diagnostic scans)"),
    ):  # fmt: skip
        facts = facts_of(f"{section} Criteria:\n\n  -  {text}\n")
        assert not [f for f in facts if f[1] == "prior_therapy"], text
    washout = "131I therapy =< 6 months prior to registration; Note: 131I administered solely for diagnostic " \
              "purposes is not considered 131I therapy"  # fmt: skip
    therapy_facts = [f for f in facts_of(f"Exclusion Criteria:\n\n  -  {washout}\n") if f[1] == "prior_therapy"]
    assert [f[2].get("within") for f in therapy_facts] == [{"number": 6, "unit": "month"}]
    outcome, reason = outcome_of(f"Exclusion Criteria:\n\n  -  {washout}\n", had_ebrt)
    assert outcome is Outcome.SATISFIED, reason  # radioiodine in 2019, more than 6 months ago


def test_what_a_trial_says_about_its_own_drug_is_not_a_therapy_history() -> None:
    """NCT01947023 (TREC 2021 topic 11), verbatim sub-items: notes on dabrafenib, the trial's drug, had become
    "1+ dabrafenib" requirements and exclusions; a prohibition naming a drug still excludes it."""
    for section, text in (
        ("Inclusion", "Dabrafenib should not be administered to pediatric populations outside clinical trials"),
        ("Exclusion", "Prohibited: strong inducers of CYP3A or CYP2C8, since concentrations of dabrafenib may be "
                      "decreased"),
        ("Inclusion", "The effects of dabrafenib on the developing human fetus are unknown"),
    ):  # fmt: skip
        facts = facts_of(f"{section} Criteria:\n\n  -  {text}\n")
        assert not [f for f in facts if f[1] == "prior_therapy"], text
    # NCT01655719 writes its prohibitions this way; with a drug named, it is still a prohibition
    facts = facts_of("Exclusion Criteria:\n\n8. No concurrent dabrafenib may be given to the patient.\n")
    assert [f[0] for f in facts if f[1] == "prior_therapy"] == ["exclude"]


def test_a_lesions_treatment_a_permitted_aside_and_a_regimens_setting_are_not_the_patients_history() -> None:
    """Verbatim TREC 2021 topic 11 texts: NCT04462471, NCT01164176, NCT00381641 (three)."""
    cases = [
        ("Exclusion", "Untreated metastatic brain or leptomeningeal tumors (metastatic brain or leptomeningeal tumors "
                      "treated with radiation and/or surgery are allowed)"),
        ("Inclusion", "No prior surgical procedure affecting absorption"),
        ("Exclusion", "Patients with any condition (e.g., gastrointestinal tract disease resulting in an inability to "
                      "take oral medication or a requirement for intravenous [IV] alimentation, prior surgical "
                      "procedures affecting absorption, or active peptic ulcer disease) that impairs their ability to "
                      "swallow and retain sunitinib tablets are excluded"),
        ("Inclusion", "their disease must have progressed despite treatment with iodine-131 therapy or they are not "
                      "candidates for iodine-131 therapy and their disease cannot be completely removed by surgery"),
    ]  # fmt: skip
    for section, text in cases:
        facts = facts_of(f"{section} Criteria:\n\n  -  {text}\n")
        assert not [f for f in facts if f[1] == "prior_therapy"], text
    three = (
        "Patients cannot have received prior receptor tyrosine kinase inhibitors; patients cannot have received more "
        "than one prior chemotherapy regimen for metastatic disease; patients cannot have received prior external "
        "beam radiation to the measured tumor constituting the target lesion(s)"
    )
    facts = facts_of(f"Inclusion Criteria:\n\n  -  {three}\n")
    assert not [f for f in facts if f[1] == "disease_extent"]  # "for metastatic disease" is the regimen's setting
    therapies = [f for f in facts if f[1] == "prior_therapy"]
    assert [(f[0], f[2]["classes"], f[2].get("categories", [])) for f in therapies] == [
        ("exclude", ["class.tki"], []),
        ("exclude", ["class.chemotherapy"], []),
    ]


def test_poor_differentiated_is_poorly_differentiated_not_differentiated() -> None:
    """NCT04522570 exclusion, verbatim: a papillary (differentiated) cancer is not what it excludes."""
    text = "Exclusion Criteria:\n\n  -  Anaplastic or poor-differentiated thyroid carcinoma;\n"
    assert outcome_of(text, {"id": "p10", "diagnosis": {"histology": "papillary"}})[0] is Outcome.SATISFIED
    assert outcome_of(text, {"id": "p11", "diagnosis": {"histology": "poorly_differentiated"}})[0] is Outcome.VIOLATED


PROGRESSED_ON = [  # verbatim inclusions, each with a therapy it names that ended with no reason or response on file
    pytest.param(  # NCT03199677
        "Patients who underwent at least one failure of standard chemotherapy can be\n     recommended to get into "
        "the group.",
        {"name": "doxorubicin", "kind": "systemic", "start": "2024-01-01", "end": "2024-06-01"},
        id="no-window",
    ),
    pytest.param(  # NCT02973997: within a window, where only a therapy inside the window counts
        "For cohort 2 only: progressive disease (PD) on lenvatinib per RECIST 1.1 =< 60 days prior to registration, "
        "as confirmed by the site study PI",
        {"name": "lenvatinib", "kind": "systemic", "start": "2025-01-01", "end": "2026-10-27"},
        id="within-60-days",
    ),
]


@pytest.mark.parametrize(("criterion", "therapy"), PROGRESSED_ON)
def test_progressed_on_a_therapy_whose_outcome_is_not_on_file_is_unknown(
    criterion: str, therapy: dict[str, Any]
) -> None:
    """A therapy that ended with neither a reason stopped nor a best response may or may not have failed: unknown;
    "progression" or PD satisfies "progressed on", another reason does not."""
    text = f"Inclusion Criteria:\n\n  -  {criterion}\n"
    outcome, reason = outcome_of(text, {"id": "p12", "therapies": [therapy]})
    assert outcome is Outcome.UNKNOWN and "not whether the disease progressed" in reason, reason
    assert outcome_of(text, {"id": "p13", "therapies": [therapy | {"reason_stopped": "progression"}]})[0] is SATISFIED
    assert outcome_of(text, {"id": "p14", "therapies": [therapy | {"best_response": "PD"}]})[0] is SATISFIED
    outcome, reason = outcome_of(text, {"id": "p15", "therapies": [therapy | {"reason_stopped": "toxicity"}]})
    assert outcome is not SATISFIED and "not whether" not in reason, reason


def test_the_day_the_calendar_may_change_an_answer_is_known() -> None:
    """For the nightly job: a satisfied "within 12 months" window closes on a known day, a birthday moves an age
    limit (NCT01321554's inclusion, verbatim, and its structured minimum age); a stated age never moves."""
    text = (
        "Inclusion Criteria:\n\n  -  Evidence of disease progression within 12 months prior to signing informed "
        "consent (+1 month screening window).\n  -  Age >= 18 years\n"
    )
    prepared = prepare(TrialInfo("NCT01321554", "t", "RECRUITING", ()), [c.to_stored() for c in parse_text(text)])
    kb = load_knowledge()
    progressed = {"progressing": True, "progression_date": "2026-03-01"}
    patient = parse_patient({"id": "p18", "birth_date": "1960-05-10", "disease": progressed}).patient
    evaluator = Evaluator(patient, ON, kb)
    assert [r.outcome for r in evaluator.match(prepared).results] == [SATISFIED, SATISFIED]
    # 12 months of 30.44 days are 365.28 days: 2027-03-01 (365 days on) is inside, 2027-03-02 the first day
    # outside; the birthday (May) comes later
    assert evaluator.recheck_on(prepared) == date(2027, 3, 2)
    for day, outcome in ((date(2027, 3, 1), SATISFIED), (date(2027, 3, 2), VIOLATED)):
        assert [r.outcome for r in Evaluator(patient, day, kb).match(prepared).results] == [outcome, SATISFIED]
    stated = parse_patient({"id": "p19", "age": 66}).patient
    never = Evaluator(stated, ON, kb)
    never.match(prepared)
    assert never.recheck_on(prepared) is None
    turns_18 = parse_patient({"id": "p20", "birth_date": "2008-11-27", "disease": progressed}).patient
    tomorrow = Evaluator(turns_18, ON, kb)
    assert [r.outcome for r in tomorrow.match(prepared).results] == [SATISFIED, VIOLATED]
    assert tomorrow.recheck_on(prepared) == date(2026, 11, 27)
