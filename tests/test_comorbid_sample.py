"""The comorbid sample (tests/audit/comorbid_sample_29.jsonl): 121 violated outcomes of the six comorbid profiles
(tests/comorbid) over the tuning texts, drawn at 474a248 (seed 20261206), stratified by kind, relevance reasons ("trial
is for ...") left out, judged by two blind readers who agreed on every item: 120 right, 1 wrong (CM097, mended by
infect29's "infection of"). The replay: each right one is still violated, the wrong one no longer is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench import violation_audit as audit
from tests.conftest import SHARED

SAMPLE = audit.read_audit(audit.AUDIT_FILE.with_name("comorbid_sample_29.jsonl"))


@pytest.fixture(scope="module")
def replayed() -> dict[str, audit.Replayed]:
    profiles = audit.load_panel(Path(__file__).parent / "comorbid")
    with audit.tuning_database(SHARED, only={i["nct_id"] for i in SAMPLE}, oncology=True) as engine:
        matches = audit.match_panel(engine, profiles)
    return {r.item_id: r for r in audit.replay(SAMPLE, matches)}


def test_the_sample_is_judged_and_varied() -> None:
    assert len(SAMPLE) == 121 and len({i["id"] for i in SAMPLE}) == 121
    assert all(i["judgement"] in ("right", "wrong") and i["why"] and i["why_second"] for i in SAMPLE)
    assert len({audit.primary_kind(i) for i in SAMPLE}) >= 12
    assert sum(i["judgement"] == "wrong" for i in SAMPLE) == 1


@pytest.mark.parametrize("item", SAMPLE, ids=[i["id"] for i in SAMPLE])
def test_judged_outcome_holds(item: dict[str, Any], replayed: dict[str, audit.Replayed]) -> None:
    now = replayed[item["id"]]
    assert now.found, f"{item['nct_id']}: criterion not found: {item['text'][:120]}"
    assert now.holds, f"{item['nct_id']} / {item['patient']} ({item['judgement']}): {item['why']}"
