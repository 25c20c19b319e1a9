"""Single facts against hand-written profiles: rules that the real-trial cases in test_matching.py do not pin down."""

from __future__ import annotations

from datetime import date
from typing import Any

from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Evaluator, Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient

ON = date(2026, 11, 26)


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
