"""Review of therapy 7 (tests/audit/therapy7_changes.txt, "Review"): a requirement widened to any systemic therapy by an
unread systemic alternative ("chemotherapy or biological therapy") is easier to meet, never harder. A patient whose
only therapy is of the alternative's kind meets it; a patient with no systemic therapy fails it as before. The kind of
an alternative is told by its own words, or by what it names with "with" ("or treatment with a hormonal agent"). Each
text is registry text with the trial it came from."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds import therapy
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.patient import parse_patient

ON = date(2026, 11, 26)


def _meets(text: str, therapies: list[dict[str, Any]]) -> bool | None:
    """Whether the patient meets the criterion's one prior-therapy requirement (None: unknown)."""
    [fact] = [f for c in parse_text(f"Inclusion Criteria:\n\n- {text}\n") for f in c.facts
              if f.kind is FactKind.PRIOR_THERAPY]  # fmt: skip
    # NCT00565227's line tells the chemotherapy in the other cancers' course: uncertain since therapy 21, its values
    # (the widening read here) unchanged
    course = "about another cancer's therapy"
    assert fact.polarity is Polarity.REQUIRE and (not fact.uncertain or fact.uncertain.startswith(course)), fact
    patient = parse_patient({"id": "p", "therapies": therapies}).patient
    return therapy.evaluate(fact, patient, ON, load_knowledge()).has


WIDENED = [
    # NCT01799161 (fresh sample 13's T058)
    "Patient must have received and failed at least one line of palliative therapy (chemotherapy or biological "
    "therapy)",
    # NCT00565227 (HINT)
    "Only patients with non-small cell lung, prostate, and bladder/urothelial cancer that has progressed after "
    "chemotherapy or after hormone therapy.",
]
LENVATINIB = {"name": "lenvatinib", "kind": "systemic", "start": "2024-01-10", "end": "2025-06-01",
              "reason_stopped": "progression", "best_response": "PD"}  # fmt: skip
SURGERY = {"name": "total thyroidectomy", "kind": "surgery", "start": "2018-06-01"}


@pytest.mark.parametrize("text", WIDENED)
def test_a_widened_requirement_is_met_by_the_alternatives_kind_and_still_failed_by_no_systemic_therapy(
    text: str,
) -> None:
    """A thyroid patient's only systemic therapy (lenvatinib) is no chemotherapy: read as "chemotherapy" alone the
    requirement was violated; widened, it is met. A patient with surgery only fails it, as before."""
    assert _meets(text, [LENVATINIB]) is True
    assert _meets(text, [SURGERY]) is False


def test_an_alternative_named_by_with_keeps_its_kind() -> None:
    """ "or treatment with a hormonal agent": the kind is named after "with"; read from the alternative's own words
    and what it names, not from the therapy read beside it (NCT03514836, a lead-in's alternative)."""
    text = (
        "at least initial therapy (chemotherapy or treatment with a hormonal agent known to impact survival such as "
        "abiraterone and enzalutamide); or"
    )
    facts = [f for c in parse_text(f"Inclusion Criteria:\n\n- {text}\n") for f in c.facts]
    assert [(f.polarity, "systemic" in f.values.categories) for f in facts] == [(Polarity.REQUIRE, True)]
