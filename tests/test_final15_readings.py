"""Final read of session 15 (issue 10): the stored form keeps therapy 15's new value. `maybe_categories` (what an
anticancer treatment not told as systemic may also be) is written into a fact's key and read back by name, so a
stored parse gives the same outcome as a fresh one: uncertain, never violated, for a patient with radioiodine and no
systemic therapy."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from matcher.eligibility.criteria import Criterion, FactKind, decode_stored
from matcher.eligibility.kinds.therapy import evaluate
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.patient import load_patient

KB = load_knowledge()
ON = date(2026, 12, 5)
RADIOIODINE_ONLY = load_patient(Path(__file__).parent / "patients" / "vegfr-naive-rair.json").patient


def test_maybe_categories_round_trips_through_the_stored_form() -> None:
    # NCT00297089 (fresh sample 15's V147; tests/test_therapy15_readings.py)
    criteria = parse_text(
        "Inclusion Criteria:\n\n- Progressive disease following the previous anti-tumor treatment regimen\n"
    )
    stored = decode_stored(json.dumps([c.to_stored() for c in criteria]))
    pairs = [
        (f, g)
        for c, s in zip(criteria, stored, strict=True)
        for f, g in zip(c.facts, Criterion.from_stored(s).facts, strict=True)
        if f.kind is FactKind.PRIOR_THERAPY
    ]
    assert pairs and any(f.values.maybe_categories for f, _ in pairs)
    for fresh, back in pairs:
        assert back.values == fresh.values and back.uncertain == fresh.uncertain
        found = evaluate(back, RADIOIODINE_ONLY, ON, KB)
        assert found == evaluate(fresh, RADIOIODINE_ONLY, ON, KB)
        assert found.has is None and found.reason.startswith("reading uncertain:")
