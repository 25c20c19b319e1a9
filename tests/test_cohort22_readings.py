"""cohort22: a lead-in whose alternatives are the trial's cohorts ("Patients should meet one of the following
criteria:" / "1. Cohort 1: ..." / "2. Cohort 2: ..." / "3. Cohort 3: ...", NCT03753919, DUTHY) is answered by the
alternatives logic, not left unknown because "other cohorts may still fit"; "after progression on Lenvatinib
(regardless prior lines) or progression on at least two prior MKIs" asks for either, not for two MKIs including
lenvatinib; and "Patients with intolerable toxicity to MKIs ... and experience disease progression ... after stopping
therapy may be included" counts an MKI stopped for toxicity, then progression. Issue 10, items 2-3."""

from __future__ import annotations

from typing import Any

from matcher.eligibility.criteria import Polarity
from matcher.eligibility.parser import parse_text
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.readings import therapy_facts
from tests.test_issue10_examples import ON, _kb, outcome, patient, registry_criteria

DUTHY = "NCT03753919"
COHORT_1 = "Cohort 1: Patients with locally advanced or metastatic differentiated thyroid cancer"
LEAD = "Patients should meet one of the following criteria:"
# the registry's words (NCT03753919, cohort 1)
EITHER = (
    "Patients could be recruited in the study after progression on Lenvatinib (regardless prior lines) or progression "
    "on at least two prior MKIs which may or not include Lenvatinib."
)
TOXICITY = (
    "Patients with intolerable toxicity to MKIs that meet the prior inclusion criteria and experience disease "
    "progression by RECIST v1.1 after stopping therapy may be included."
)


def _verdict(doc: dict[str, Any], trial: tuple[TrialInfo, tuple[Any, ...]] | None = None) -> str:
    info, criteria = trial or registry_criteria(DUTHY)
    return str(match_trial(info, criteria, parse_patient(doc).patient, ON, _kb()).verdict.value)


def _cohorts(text: str) -> dict[str, list[tuple[str, str]]]:
    return {
        " ".join(c.text.split())[:20]: [(k.kind, k.text) for k in c.scope.conditions if "cohort" in k.kind]
        for c in parse_text(text)
        if c.source == "text"
    }


def _therapy(**changes: Any) -> list[dict[str, Any]]:
    base: list[dict[str, Any]] = [
        {"name": "total thyroidectomy", "kind": "surgery", "start": "2018-06-01"},
        {"name": "radioactive iodine", "kind": "radioiodine", "start": "2018-08-01"},
    ]
    return [*base, changes] if changes else base


# --- part 2: "X or at least N prior Y" ---------------------------------------------------------------------------


def test_lenvatinib_or_two_mkis_reads_as_two_alternatives() -> None:
    facts = [f for f in therapy_facts("Inclusion", EITHER) if f.polarity is Polarity.REQUIRE]
    read = sorted((f.values.drugs, f.values.classes, f.values.min_count, f.values.progressed) for f in facts)
    assert read == [
        (("drug.lenvatinib",), (), 1, True),
        (("drug.lenvatinib",), ("class.vegfr_mki",), 2, True),
    ]
    assert all(f.values.alternative for f in facts)


def test_a_count_on_both_sides_is_not_split() -> None:
    # NCT01217749: the count is told for each side; left as read before
    line = (
        "Subjects must have failed ≥ 2 prior therapies for CLL including a nucleoside analog or ≥ 2 prior therapies "
        "not including nucleoside analog if there is a contraindication"
    )
    assert not any(f.values.alternative for f in therapy_facts("Inclusion", line))


def test_at_least_one_of_either_is_not_split() -> None:
    # NCT02005471: "X or at least one Y" is one requirement of either
    line = (
        "previously treated with 1-3 lines of therapy, including at least one prior standard chemotherapy-containing "
        "regimen or at least one prior alemtuzumab-containing therapy"
    )
    assert not any(f.values.alternative for f in therapy_facts("Inclusion", line))


def test_progressed_on_lenvatinib_alone_meets_cohort_1() -> None:
    trial = registry_criteria(DUTHY)
    assert outcome(trial, COHORT_1, patient()).outcome is Outcome.SATISFIED
    assert outcome(trial, LEAD, patient()).outcome is Outcome.SATISFIED


def test_the_toxicity_permission_is_read_on_the_progressed_requirements() -> None:
    facts = [f for f in therapy_facts("Inclusion", f"{EITHER} {TOXICITY}") if f.values.progressed]
    assert facts and all(f.values.after_intolerance for f in facts)
    assert not any(f.values.after_intolerance for f in therapy_facts("Inclusion", EITHER))


def test_sorafenib_stopped_for_toxicity_then_progression_counts_as_progressed_on_an_mki() -> None:
    sorafenib = {"name": "sorafenib", "kind": "systemic", "start": "2021-03-01", "end": "2023-05-10",
                 "reason_stopped": "toxicity"}  # fmt: skip
    one_mki = f"after progression on MKIs. {TOXICITY}"
    text = f"Inclusion Criteria:\n\n- {one_mki}\n"
    trial = (TrialInfo("NCT00000000", "cohort22", "RECRUITING", ("PHASE2",)), tuple(parse_text(text)))
    doc = patient(therapies=_therapy(**sorafenib))
    assert outcome(trial, "after progression on MKIs", doc).outcome is Outcome.SATISFIED
    # the profile does not date the progression: unknown, not violated
    undated = patient(therapies=_therapy(**sorafenib), disease={"progressing": True, "measurable": True})
    assert outcome(trial, "after progression on MKIs", undated).outcome is Outcome.UNKNOWN
    # without the permission, a therapy stopped for toxicity is no progression on it
    plain = (trial[0], tuple(parse_text("Inclusion Criteria:\n\n- after progression on MKIs.\n")))
    assert outcome(plain, "after progression on MKIs", doc).outcome is Outcome.VIOLATED


def test_sorafenib_alone_stopped_for_toxicity_fails_cohort_1() -> None:
    # ex-ret-fusion-ptc's history: one MKI, not lenvatinib, so neither "Lenvatinib" nor "at least two prior MKIs"
    sorafenib = {"name": "Nexavar", "kind": "systemic", "start": "2021-03-01", "end": "2023-05-10",
                 "best_response": "SD", "reason_stopped": "toxicity"}  # fmt: skip
    doc = patient(therapies=_therapy(**sorafenib))
    assert outcome(registry_criteria(DUTHY), COHORT_1, doc).outcome is Outcome.VIOLATED
    assert _verdict(doc) == "ineligible"


# --- part 1: the alternatives are the cohorts -------------------------------------------------------------------


def test_duthy_cohort_alternatives_are_listed_cohorts() -> None:
    _, criteria = registry_criteria(DUTHY)
    items = [c for c in criteria if c.parent is not None and c.display_text.startswith("Cohort ")]
    assert [[(k.kind, k.text) for k in c.scope.conditions] for c in items] == [
        [("listed_cohort", "Cohort 1")],
        [("listed_cohort", "Cohort 2")],
        [("listed_cohort", "Cohort 3")],
    ]


def test_papillary_patient_with_no_mki_fails_every_cohort() -> None:
    doc = patient(therapies=_therapy())
    assert outcome(registry_criteria(DUTHY), LEAD, doc).outcome is Outcome.VIOLATED
    assert _verdict(doc) == "ineligible"


def test_a_medullary_patient_is_not_excluded_by_cohort_1() -> None:
    vandetanib = {"name": "vandetanib", "kind": "systemic", "start": "2021-03-01", "end": "2025-12-01",
                  "reason_stopped": "progression"}  # fmt: skip
    doc = patient(diagnosis={"cancer": "medullary thyroid carcinoma", "histology": "medullary",
                             "metastatic_sites": ["liver"]}, therapies=_therapy(**vandetanib))  # fmt: skip
    trial = registry_criteria(DUTHY)
    assert outcome(trial, COHORT_1, doc).outcome is Outcome.NOT_APPLICABLE  # an alternative not taken
    assert outcome(trial, LEAD, doc).outcome is Outcome.SATISFIED


_ITEMS = (
    "- Patients should meet one of the following criteria:\n\n"
    "   1. Cohort 1: Patients with metastatic differentiated thyroid cancer after progression on lenvatinib.\n\n"
    "   2. Cohort 2: Patients with metastatic medullary thyroid cancer after progression on vandetanib.\n"
)


def test_the_doubt_stays_where_the_trial_names_another_cohort() -> None:
    text = f"Inclusion Criteria:\n\n{_ITEMS}\n- Cohort 3: any solid tumour (enrollment closed)\n"
    read = _cohorts(text)
    assert read["Cohort 1: Patients w"] == [("cohort", "Cohort")]


def test_the_doubt_stays_where_the_trial_has_a_phase_i_part() -> None:
    text = f"Inclusion Criteria:\n\n{_ITEMS}\n- Phase I: patients with any advanced solid tumour\n"
    assert _cohorts(text)["Cohort 1: Patients w"] == [("cohort", "Cohort")]


def test_the_doubt_stays_where_the_lead_in_is_one_parts() -> None:
    text = "Inclusion Criteria:\n\n" + _ITEMS.replace(
        "Patients should meet one of the following criteria:", "Part A patients should meet one of the following:"
    )
    assert _cohorts(text)["Cohort 1: Patients w"] == [("cohort", "Cohort"), ("cohort", "Part A")]


def test_alone_the_cohort_list_is_answered_by_its_alternatives() -> None:
    read = _cohorts(f"Inclusion Criteria:\n\n{_ITEMS}")
    assert read["Cohort 1: Patients w"] == [("listed_cohort", "Cohort 1")]
    assert read["Cohort 2: Patients w"] == [("listed_cohort", "Cohort 2")]


def test_a_note_beside_the_cohort_alternatives_keeps_its_scope() -> None:
    # the review of the session's diff: a note among the alternatives is none of them, and once made the parse fail
    text = (
        f"Inclusion Criteria:\n\n  -  {LEAD}\n\n       1. {COHORT_1} after disease progression on systemic therapy with"
        " MKIs.\n\n       2. Cohort 2: Patients with locally advanced or metastatic medullary thyroid cancer.\n\n"
        "       3. Note: tissue is recommended but not required.\n"
    )
    cohorts = _cohorts(text)
    assert cohorts["Cohort 1: Patients w"] == [("listed_cohort", "Cohort 1")]
    assert cohorts["Cohort 2: Patients w"] == [("listed_cohort", "Cohort 2")]
    assert not any(kind == "listed_cohort" for kind, _ in cohorts["Note: tissue is reco"])
