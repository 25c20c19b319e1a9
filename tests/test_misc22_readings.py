"""misc22: sweep sample 30's two judged-wrong items (the anaplastic BRAF example patient, ex-atc-braf, ECOG 2, on
dabrafenib + trametinib).

- AK285 (NCT02253277): a performance-status limit given per group ("≤ 1 for patients in CP, ≤ 2 for patients in
  AP/BC ...") was read as the first group's limit for everyone. A patient whose group is not decided is held to the
  most lenient limit; a score between the limits is unknown, never violated.
- AK389 (NCT03246958): "over 65y must have at least one prior line of TKI treatment" was violated by dabrafenib and
  trametinib (BRAF and MEK inhibitors, not tyrosine kinase inhibitors strictly, but thyroid trials say "TKI" loosely
  for kinase inhibitors). Knowledge (`DrugClass.loosely`, seed Table 1) makes such a requirement or exclusion
  uncertain when those drugs alone would settle it; a lenvatinib or sorafenib patient is still a TKI patient.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from matcher.eligibility.criteria import Fact, FactKind
from matcher.eligibility.kinds import performance
from matcher.eligibility.kinds.performance import PerformanceValues
from matcher.knowledge_base import load_knowledge
from matcher.patient import Patient, load_patient
from tests.readings import item_facts

_ROOT = Path(__file__).parents[1]
_ATC = load_patient(_ROOT / "examples" / "anaplastic-braf.json").patient  # dabrafenib + trametinib, ECOG 2
_KB = load_knowledge()
_ON = date(2026, 12, 1)

# --- AK285: performance-status limits given per group -------------------------------------------------------------

_AK285 = (
    "Patient has an Eastern Cooperative Oncology Group (ECOG) performance status of ≤ 1 for patients in CP, ≤ 2 for "
    "patients in AP/BC or with relapsed/refractory Ph+ ALL or with Ph+ ALL with MRD;"
)


def _performance(section: str, line: str) -> Fact:
    facts = item_facts(section, line, FactKind.PERFORMANCE_STATUS)
    assert len(facts) == 1, facts
    return facts[0]


@pytest.mark.parametrize(
    ("section", "line", "values"),
    [
        ("Inclusion", _AK285, PerformanceValues("ecog", max=2, group_limit=1)),  # NCT02253277, was max=1
        # NCT02630368, was max=1
        (
            "Inclusion",
            "ECOG ≤ 1 (Phase Ib), ≤ 2 (Phase II JX+CP) and ≤ 1 (Phase II avelumab+JX+CP).",
            PerformanceValues("ecog", max=2, group_limit=1),
        ),
        # NCT00445198, NCT01199367: the lenient limit came first and was read; the stricter one is now kept too
        (
            "Inclusion",
            "ECOG performance score <= 2(Ph 1) <=1(Phase 2a)",
            PerformanceValues("ecog", max=2, group_limit=1),
        ),
        (
            "Inclusion",
            "Eastern Cooperative Oncology Group (ECOG) performance status score of ≤ 2 at study entry in Phase 1 and ≤ "
            "1 in Phase 2;",
            PerformanceValues("ecog", max=2, group_limit=1),
        ),
        # NCT01350258: Karnofsky per age group: her age decides the group, which is not read yet; left as read (the
        # 68-year-old ex-atc-braf is rightly held to >= 80%, sample 30)
        (
            "Inclusion",
            "Performance status > or = 80% (TJU Karnofsky) for patients > or = 60 years old or > or = 70% for "
            "patients < 60.",
            PerformanceValues("karnofsky", min=80.0),
        ),
        (
            "Exclusion",
            "Performance status < 80% (TJU Karnofsky) for patients > or = 60 years old or < 70% for patients < 60.",
            PerformanceValues("karnofsky", max=70.0),
        ),
        # one limit, or a group's own limit in brackets after a range: as read before
        ("Inclusion", "ECOG performance status ≤2 (Karnofsky ≥60%, see Appendix A)", PerformanceValues("ecog", max=2)),
        (
            "Inclusion",
            "Zubrod performance status 0-2 (0-1 for patients who received 2 prior regimens [taxane and/or platinum "
            "regimens are counted separately])",
            PerformanceValues("ecog", max=2),
        ),
    ],
)
def test_limits_given_per_group_read_as_the_most_lenient(section: str, line: str, values: PerformanceValues) -> None:
    fact = _performance(section, line)
    assert fact.values == values
    assert fact.uncertain is None


def _with_ecog(patient: Patient, ecog: int) -> Patient:
    return replace(patient, ecog=ecog)


@pytest.mark.parametrize(("ecog", "has"), [(0, True), (1, True), (2, None), (3, False)])
def test_a_score_between_the_groups_limits_is_unknown(ecog: int, has: bool | None) -> None:
    finding = performance.evaluate(_performance("Inclusion", _AK285), _with_ecog(_ATC, ecog), _ON, _KB)
    assert finding.has is has, finding
    if has is None:
        assert finding.reason.startswith("reading uncertain: the line gives its limits per group")
