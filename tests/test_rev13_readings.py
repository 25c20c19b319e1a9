"""Review of scope 13 (tests/audit/scope13_changes.txt, "Review"): two misfires of the branch, each row quoting
registry text of the tuning corpora with the trial it came from.

- A cohort lead-in that is a sub-item reaches only over its parent's sub-items: NCT02393209's "For Phase 2 of the
  study:" stands under "Has experienced failure of at least 1 prior chemotherapy regimen:"; the criteria back at the
  outer level ("Has Eastern Cooperative Oncology Group (ECOG) Performance Status of 0 or 1.") are everyone's.
- A gastro-oesophageal trial's conditions list names its cancer: NCT02344810 was ineligible for thyroid patients only
  through a wrong reading (J060, S070: 'poorly differentiated carcinoma of the stomach' as a thyroid histology); once
  that criterion is phase II's, the trial reached every thyroid patient as possible. Its conditions ("adenocarcinoma
  of the esophagus", "diffuse adenocarcinoma of the stomach", "gastrointestinal cancer", ...) now say it is for
  gastro-oesophageal cancer (primary_sites.json).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bench import violation_audit as audit
from bench.rewrap import rewrap, to_legacy, to_markdown, unwrap
from matcher.eligibility.kinds import primary_site
from matcher.matching.evaluate import Outcome, TrialMatch, Verdict
from tests.conftest import SHARED
from tests.readings import cohorts_by_text as _cohorts

# NCT02393209, verbatim (shortened lists)
NESTED_LEAD = """Inclusion Criteria

  -  Has locally advanced or metastatic disease (Stage IIIb or Stage IV) with
     radiographically or clinically evaluable lesions.

  -  Has experienced failure of at least 1 prior chemotherapy regimen:

       -  For Phase 2 of the study:

       -  Participants must have received 1 prior platinum-based chemotherapy regimen
          (excluding a docetaxel-containing regimen) for advanced or metastatic (Stage IIIb
          or Stage IV) disease followed by documented progressive disease (PD).

       -  For Phase 2, has archived or fresh tumor biopsy samples (obtained during
          screening) sufficient for genotyping.

  -  Has adequate organ function, before the first dose of study drug.

  -  Has Eastern Cooperative Oncology Group (ECOG) Performance Status of 0 or 1.

Exclusion Criteria:

  -  Previous treatment with a PI3K or AKT inhibitor.
"""


@pytest.mark.parametrize("layout", [unwrap, lambda t: rewrap(t, 60), to_markdown, to_legacy, lambda t: t])
def test_a_sub_item_cohort_lead_in_reaches_over_its_parents_sub_items_only(layout: Callable[[str], str]) -> None:
    read = _cohorts(layout(NESTED_LEAD))
    platinum = next(t for t in read if t.startswith("Participants must have received 1 prior platinum-based"))
    assert read[platinum] == ["For Phase 2 of the study"]
    assert read["Has Eastern Cooperative Oncology Group (ECOG) Performance Status of 0 or 1."] == []
    assert read["Has adequate organ function, before the first dose of study drug."] == []


@pytest.fixture(scope="module")
def matched() -> dict[str, dict[str, TrialMatch]]:
    """The example profiles matched on the audit day against the two trials, by patient and trial."""
    with audit.tuning_database(SHARED, {"NCT02393209", "NCT02344810"}, oncology=True) as engine:
        found = audit.match_panel(engine, audit.example_profiles())
    return {pid: {m.trial.nct_id: m for m in ms} for pid, ms in found.items()}


def test_an_ecog_limit_after_a_nested_cohort_lead_in_still_excludes(matched: dict[str, dict[str, TrialMatch]]) -> None:
    m = matched["ex-atc-braf"]["NCT02393209"]  # ECOG 2
    ecog = next(r for r in m.results if r.criterion.text.startswith("Has Eastern Cooperative Oncology Group"))
    assert ecog.outcome is Outcome.VIOLATED, ecog.reason


# NCT02344810's conditions list, verbatim
GASTRO_OESOPHAGEAL = [
    "adenocarcinoma of the esophagus",
    "adenocarcinoma of the gastroesophageal junction",
    "diffuse adenocarcinoma of the stomach",
    "gastrointestinal cancer",
    "intestinal adenocarcinoma of the stomach",
    "mixed adenocarcinoma of the stomach",
    "stage iiia esophageal cancer",
    "stage iv gastric cancer",
]


def test_a_gastro_oesophageal_conditions_list_names_its_cancer() -> None:
    fact = primary_site.from_conditions(GASTRO_OESOPHAGEAL)
    assert fact is not None
    assert set(getattr(fact.values, "sites", ())) == {"site.esophagus", "site.stomach", "site.gastrointestinal"}


@pytest.mark.parametrize("patient", ["ex-rair-ftc-untreated", "ex-sparse", "ex-mtc-ret-m918t"])
def test_a_gastro_oesophageal_trial_stays_hidden_from_a_thyroid_patient(
    patient: str, matched: dict[str, dict[str, TrialMatch]]
) -> None:
    # J060/S070's trial: its histology line is phase II's now, the trial is still for another cancer
    m = matched[patient]["NCT02344810"]
    assert m.verdict is Verdict.INELIGIBLE
    assert any("trial is for" in r.reason for r in m.results if r.outcome is Outcome.VIOLATED)
