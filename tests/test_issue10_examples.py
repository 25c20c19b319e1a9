"""The examples at the top of issue 10, each quoting its registry text, asserting the reading the text supports.

Where the issue's example comes from a trial in ../shared (the thyroid studies, not the held-out TREC topic-11
trials), the test reads that real trial; otherwise it parses the quoted criterion alone, in the section the text
belongs to. Facts are checked where the example is about a reading; a patient (written here) is matched where it
is about a verdict.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from matcher.ctgov_parse import parse_study
from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity
from matcher.eligibility.parser import StructuredFields, parse_text
from matcher.knowledge_base import KnowledgeBase, load_knowledge
from matcher.matching.evaluate import CriterionResult, Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.conftest import STUDIES, load_study
from tests.readings import hint_trial, list_trial

ON = date(2026, 11, 26)


@cache
def _kb() -> KnowledgeBase:
    return load_knowledge()


def patient(**changes: Any) -> dict[str, Any]:
    """A complete RAIR-DTC profile (papillary, lung metastases, progressed on lenvatinib), with top-level changes."""
    doc: dict[str, Any] = {
        "id": "issue10-rair",
        "birth_date": "1960-03-14",
        "sex": "female",
        "ecog": 1,
        "diagnosis": {
            "cancer": "differentiated thyroid carcinoma",
            "histology": "papillary",
            "diagnosed_on": "2018-05-02",
            "metastatic_sites": ["lung"],
        },
        "radioiodine": {
            "refractory": True,
            "uptake": "absent",
            "cumulative_activity_mci": 150,
            "last_treatment_on": "2018-08-01",
        },
        "disease": {
            "progressing": True,
            "progression_date": "2026-08-01",
            "measurable": True,
            "brain_metastases": "none",
        },
        "therapies": [
            {"name": "total thyroidectomy", "kind": "surgery", "start": "2018-06-01"},
            {"name": "radioactive iodine", "kind": "radioiodine", "start": "2018-08-01"},
            {
                "name": "lenvatinib",
                "kind": "systemic",
                "start": "2021-03-01",
                "end": "2025-12-01",
                "reason_stopped": "progression",
            },
        ],
        "conditions": [],
        "pregnant": False,
        "breastfeeding": False,
    }
    doc.update(changes)
    return doc


def with_therapies(*therapies: dict[str, Any]) -> dict[str, Any]:
    """`patient()` with its systemic therapies and radiotherapies replaced by ``therapies``."""
    kept = [t for t in patient()["therapies"] if t["kind"] not in ("systemic", "radiotherapy")]
    return patient(therapies=[*kept, *therapies])


@cache
def registry_criteria(nct_id: str) -> tuple[TrialInfo, tuple[Criterion, ...]]:
    t = parse_study(load_study(nct_id))
    criteria = parse_text(t.eligibility_text, StructuredFields(t.minimum_age, t.maximum_age, t.sex))
    return TrialInfo(t.nct_id, t.brief_title, t.overall_status, t.phases, t.sites), tuple(criteria)


def quoted_criteria(section: str, text: str) -> tuple[TrialInfo, tuple[Criterion, ...]]:
    """The quoted criterion as the only item of its section, as a trial of its own."""
    heading = "Inclusion Criteria:" if section == "inclusion" else "Exclusion Criteria:"
    criteria = parse_text(f"{heading}\n\n- {text}\n")
    return TrialInfo("NCT00000000", "issue 10 example", "RECRUITING", ("PHASE2",)), tuple(criteria)


def the_criterion(criteria: tuple[Criterion, ...], start: str) -> Criterion:
    found = [c for c in criteria if c.display_text.startswith(start)]
    assert len(found) == 1, f"{len(found)} criteria start with {start!r}"
    return found[0]


def facts(criterion: Criterion, kind: FactKind) -> list[Fact]:
    return [f for f in criterion.facts if f.kind is kind]


def outcome(trial: tuple[TrialInfo, tuple[Criterion, ...]], start: str, doc: dict[str, Any]) -> CriterionResult:
    info, criteria = trial
    m = match_trial(info, criteria, parse_patient(doc).patient, ON, _kb())
    found = [r for r in m.results if r.criterion.display_text.startswith(start)]
    assert len(found) == 1, f"{len(found)} results start with {start!r}"
    return found[0]


def item_outcome(line: str, doc: dict[str, Any], section: str = "inclusion") -> CriterionResult:
    """The result of ``line``, the only item of its section in a trial of its own, for the profile ``doc``."""
    trial = list_trial(line) if section == "inclusion" else list_trial(exclusions=(line,))
    return outcome(trial, line[:20], doc)


def _show(criterion: Criterion) -> str:
    return "; ".join(f"{f.kind.value}/{f.polarity.value} {json.dumps(f.values)}" for f in criterion.facts) or "none"


# --- ECOG --------------------------------------------------------------------------------------------------------

ECOG_0_OR_1 = "Eastern Cooperative Oncology Group (ECOG) performance status of 0 or 1."


def test_ecog_0_or_1_with_its_period_reads_at_most_1() -> None:
    (fact,) = facts(the_criterion(quoted_criteria("inclusion", ECOG_0_OR_1)[1], "Eastern"), FactKind.PERFORMANCE_STATUS)
    assert (
        fact.polarity is Polarity.REQUIRE
        and fact.values.to_json()["scale"] == "ecog"
        and fact.values.to_json()["max"] == 1
    )


def test_ecog_1_patient_meets_the_real_0_or_1_criterion() -> None:
    """NCT03753919 inclusion, as the registry writes it."""
    result = outcome(registry_criteria("NCT03753919"), ECOG_0_OR_1, patient(ecog=1))
    assert result.outcome is Outcome.SATISFIED, result.reason


def test_ecog_ps_of_0_or_1_reads_at_most_1() -> None:
    (fact,) = facts(the_criterion(quoted_criteria("inclusion", "ECOG PS of 0 or 1")[1], "ECOG"),
                    FactKind.PERFORMANCE_STATUS)  # fmt: skip
    assert fact.values.to_json()["scale"] == "ecog" and fact.values.to_json()["max"] == 1


def test_ecog_ps_of_0_tilde_2_reads_at_most_2() -> None:
    criterion = the_criterion(quoted_criteria("inclusion", "ECOG performance status (PS) of 0~2")[1], "ECOG")
    (fact,) = facts(criterion, FactKind.PERFORMANCE_STATUS)
    assert fact.values.to_json()["scale"] == "ecog" and fact.values.to_json()["max"] == 2


def test_ecog_0_tilde_2_as_the_registry_writes_it_reads_at_most_2() -> None:
    """NCT03199677: "Eastern Cooperative Oncology Group (ECOG) performance status (PS) of 0~2." """
    criterion = the_criterion(registry_criteria("NCT03199677")[1], "Eastern Cooperative Oncology Group (ECOG) perf")
    (fact,) = facts(criterion, FactKind.PERFORMANCE_STATUS)
    assert fact.values.to_json()["max"] == 2, _show(criterion)


# --- age ---------------------------------------------------------------------------------------------------------


def test_age_18_75_gives_both_bounds() -> None:
    (fact,) = facts(the_criterion(quoted_criteria("inclusion", "Age 18-75")[1], "Age"), FactKind.AGE)
    assert fact.values.to_json().get("min_years") == 18 and fact.values.to_json().get("max_years") == 75, (
        fact.values.to_json()
    )


def test_82_year_old_violates_age_18_75() -> None:
    result = outcome(quoted_criteria("inclusion", "Age 18-75"), "Age 18-75", patient(birth_date="1944-05-01"))
    assert result.outcome is Outcome.VIOLATED, result.reason


LONG_QT = "Congenital long QT syndrome or 1st degree relative with unexplained sudden death under 40 years of age"


def test_a_relatives_age_gives_no_age_fact() -> None:
    criterion = the_criterion(quoted_criteria("exclusion", LONG_QT)[1], "Congenital")
    assert not facts(criterion, FactKind.AGE), _show(criterion)


def test_a_35_year_old_is_not_excluded_by_a_relatives_age() -> None:
    result = outcome(quoted_criteria("exclusion", LONG_QT), "Congenital", patient(birth_date="1991-02-10"))
    assert result.outcome is not Outcome.VIOLATED, result.reason


def test_a_relatives_age_as_another_registry_writes_it_gives_no_age_fact() -> None:
    """NCT00969306 (HINT): the same exclusion in other words, under "No cardiac conduction disturbances or
    medication potentially causing them:" in the registry's text."""
    criterion = the_criterion(hint_trial("NCT00969306")[1], "Congenital long QT-syndrome or unexplained sudden death")
    assert not facts(criterion, FactKind.AGE), _show(criterion)


# --- prior therapy -----------------------------------------------------------------------------------------------

TARGETED_ALLOWED = (
    "Prior chemotherapy. Patients treated previously with molecular targeted therapies could be included."
)
_TARGETED = {"class.targeted_therapy", "class.kinase_inhibitor", "class.tki", "class.vegfr_mki"}


def test_permitted_targeted_therapy_is_not_excluded() -> None:
    """NCT02472080 exclusion: chemotherapy is excluded, targeted therapy explicitly allowed."""
    criterion = the_criterion(registry_criteria("NCT02472080")[1], TARGETED_ALLOWED)
    excluded = [f for f in facts(criterion, FactKind.PRIOR_THERAPY) if f.polarity is Polarity.EXCLUDE]
    assert any("class.chemotherapy" in f.values.classes for f in excluded), _show(criterion)
    assert not any(_TARGETED & set(f.values.classes) for f in excluded), _show(criterion)


def test_prior_lenvatinib_is_not_excluded_by_a_chemotherapy_exclusion_that_allows_targeted_therapy() -> None:
    result = outcome(registry_criteria("NCT02472080"), TARGETED_ALLOWED, patient())
    assert result.outcome is not Outcome.VIOLATED, result.reason


IMMUNOTHERAPY = (
    "Any previous treatment with immunotherapy, including combinations of immunotherapy and other anticancer or "
    "targeted agents."
)


def test_prior_lenvatinib_is_not_excluded_by_a_prior_immunotherapy_exclusion() -> None:
    """NCT03753919 exclusion: immunotherapy is excluded, alone or combined; lenvatinib alone is not immunotherapy."""
    result = outcome(registry_criteria("NCT03753919"), IMMUNOTHERAPY, patient())
    assert result.outcome is not Outcome.VIOLATED, result.reason


def test_prior_pembrolizumab_is_excluded_by_the_prior_immunotherapy_exclusion() -> None:
    """The other side: what the exclusion names does violate it."""
    doc = patient()
    doc["therapies"].append({"name": "pembrolizumab", "kind": "systemic", "start": "2026-01-05", "end": "2026-06-01",
                             "reason_stopped": "progression"})  # fmt: skip
    result = outcome(registry_criteria("NCT03753919"), IMMUNOTHERAPY, doc)
    assert result.outcome is Outcome.VIOLATED, result.reason


def test_prior_therapy_without_toxicity_data_is_not_excluded_by_an_unresolved_toxicity_exclusion() -> None:
    """NCT03753919: "Any unresolved toxicity NCI CTCAE Grade ≥2 from previous anticancer therapy ..." asks about
    toxicity, which the profile does not hold: at most unknown."""
    start = "Any unresolved toxicity NCI CTCAE Grade ≥2 from previous anticancer therapy"
    result = outcome(registry_criteria("NCT03753919"), start, patient())
    assert result.outcome is not Outcome.VIOLATED, result.reason


HIV_ART = "Human immunodeficiency virus (HIV)-positive patients on combination antiretroviral therapy are ineligible"


def test_hiv_antiretroviral_exclusion_does_not_fire_on_prior_lenvatinib() -> None:
    """NCT03506048: "... are ineligible because of the potential for pharmacokinetic interactions with lenvatinib"."""
    result = outcome(registry_criteria("NCT03506048"), HIV_ART, patient())
    assert result.outcome is not Outcome.VIOLATED, result.reason


BRAIN_RAI = "Patients with previously untreated and or symptomatic brain metastases are excluded"


def test_untreated_brain_metastases_exclusion_does_not_fire_on_past_radioiodine() -> None:
    """NCT03506048: "... because of the risk of intracranial bleeding with angiogenic agents and tumoral swelling
    from RAI". The patient had I-131 in 2018 and has no brain metastases."""
    result = outcome(registry_criteria("NCT03506048"), BRAIN_RAI, patient())
    assert result.outcome is not Outcome.VIOLATED, result.reason


def test_active_brain_metastases_violate_the_untreated_brain_metastases_exclusion() -> None:
    doc = patient()
    doc["disease"]["brain_metastases"] = "active"
    result = outcome(registry_criteria("NCT03506048"), BRAIN_RAI, doc)
    assert result.outcome is Outcome.VIOLATED, result.reason


# --- windows -----------------------------------------------------------------------------------------------------

OTHER_MALIGNANCY = "Other malignancy within the past 3 years"


def test_other_malignancy_window_is_read() -> None:
    criterion = the_criterion(quoted_criteria("exclusion", OTHER_MALIGNANCY)[1], "Other malignancy")
    (fact,) = facts(criterion, FactKind.OTHER_MALIGNANCY)
    assert fact.polarity is Polarity.EXCLUDE and fact.values.to_json().get("within") == {"number": 3, "unit": "year"}, (
        _show(criterion)
    )


def test_undated_other_cancer_is_unknown_against_a_3_year_window() -> None:
    doc = patient(conditions=[{"name": "breast cancer"}])
    result = outcome(quoted_criteria("exclusion", OTHER_MALIGNANCY), "Other malignancy", doc)
    assert result.outcome is Outcome.UNKNOWN, result.reason


SIX_MONTHS = "Patient has received radiation therapy within the past 6 months."  # NCT00102635 (HINT)


def test_six_month_washout_is_six_calendar_months() -> None:
    criterion = the_criterion(quoted_criteria("exclusion", SIX_MONTHS)[1], "Patient has")
    (fact,) = facts(criterion, FactKind.PRIOR_THERAPY)
    assert fact.values.to_json().get("within") == {"number": 6, "unit": "month"}, _show(criterion)


def test_radiotherapy_182_days_ago_is_inside_six_calendar_months() -> None:
    """Ended 2026-05-28; on 2026-11-26 that is 182 days ago. Counted as 180 days the washout would be over (since
    2026-11-24); in calendar months it ends on 2026-11-28. A washout not yet over is satisfied from the day it ends
    (docs/matching.md, "Time"), so the reason and the date must be 28 November."""
    doc = patient()
    doc["therapies"].append({"name": "external beam radiotherapy", "kind": "radiotherapy", "start": "2026-05-04",
                             "end": "2026-05-28"})  # fmt: skip
    result = outcome(quoted_criteria("exclusion", SIX_MONTHS), "Patient has", doc)
    assert result.outcome is Outcome.SATISFIED and result.eligible_from == date(2026, 11, 28), result.reason
    assert "2026-11-28" in result.reason


COMPLETED_RT = "Completed any radiotherapy at least 14 days prior"


def test_never_having_had_radiotherapy_meets_a_completed_radiotherapy_washout() -> None:
    """The patient had no radiotherapy (the complete history lists none): nothing to wait for."""
    result = outcome(quoted_criteria("inclusion", COMPLETED_RT), "Completed", patient())
    assert result.outcome is not Outcome.VIOLATED, result.reason


# --- structure ---------------------------------------------------------------------------------------------------

LEAD_IN = "Radioactive iodine deficiency (according with one of the following conditions):"


def test_lead_in_of_alternatives_is_any_of() -> None:
    """NCT03199677: the sub-items are four ways of being radioiodine-refractory; one is enough."""
    criterion = the_criterion(registry_criteria("NCT03199677")[1], LEAD_IN)
    assert criterion.any_of


def test_one_met_alternative_of_the_lead_in_is_enough() -> None:
    """Absent uptake ("completely deprived of iodine") meets the lead-in, whatever the cumulative activity."""
    result = outcome(registry_criteria("NCT03199677"), LEAD_IN, patient())
    assert result.outcome is not Outcome.VIOLATED, result.reason


RESISTANCE = "Resistance to therapeutic radioiodine (RAI) (for DTC) as demonstrated at least by one of the following:"


def _unwrapped(text: str) -> str:
    """The legacy text with each item's continuation lines joined onto it (the live API's layout)."""
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        starts_item = not stripped or stripped[0] in "-*•" or stripped[:2].rstrip(".").isdigit()
        if lines and lines[-1].strip() and not starts_item and not lines[-1].rstrip().endswith(":"):
            lines[-1] = f"{lines[-1].rstrip()} {stripped}"
        else:
            lines.append(line)
    return "\n".join(lines)


def test_unwrapping_keeps_the_text() -> None:
    text = json.loads((STUDIES / "NCT01813136.json").read_text(encoding="utf-8"))["protocolSection"]
    original = text["eligibilityModule"]["eligibilityCriteria"]
    assert _unwrapped(original).split() == original.split()
    assert len(_unwrapped(original).splitlines()) < len(original.splitlines())


def test_lead_in_is_any_of_however_the_text_is_wrapped() -> None:
    """NCT01813136 as the registry wraps it, and unwrapped: the same lead-in of alternatives."""
    original = parse_study(load_study("NCT01813136")).eligibility_text
    as_written = the_criterion(tuple(parse_text(original)), RESISTANCE)
    unwrapped = the_criterion(tuple(parse_text(_unwrapped(original))), RESISTANCE)
    assert as_written.any_of and unwrapped.any_of


# --- relevance ---------------------------------------------------------------------------------------------------

NSCLC = "Advanced or metastatic non-small cell lung cancer"


def test_metastatic_thyroid_cancer_does_not_meet_a_lung_cancer_inclusion() -> None:
    result = outcome(quoted_criteria("inclusion", NSCLC), "Advanced", patient())
    assert result.outcome is Outcome.VIOLATED, result.reason
