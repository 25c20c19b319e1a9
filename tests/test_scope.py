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
