"""Rules of session 30's sixth round (mend47), from two of comorbid sample 46's five wrong exclusions: a therapy that
"must not be used" is a rule of the study's treatment, not a history; a drug named against the agent ("Anti-HIV
agents: ...") bars no infection, while an antibody against it still marks the infection. Each criterion below barred a
profile that the text, read as a coordinator would, does not bar: the outcome is now unknown or met, and the profile
the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient
from tests.test_mend41_readings import HIV

NOT_USED = (  # NCT01086345 (exclusion): DF029
    "Surgical procedures for tumor debulking, other types of chemotherapy, and immunotherapy or biologic therapy must "
    "not be used"
)
ANTI_HIV = "Anti-HIV agents: delavirdine, nelfinavir, amprenavir, ritonavir, indinavir, saquinavir, lopinavir"  # DF263

PEMBROLIZUMAB = {"name": "pembrolizumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}


def test_a_therapy_that_must_not_be_used_is_the_studys_rule() -> None:
    assert item_outcome(NOT_USED, patient(therapies=[PEMBROLIZUMAB]), "exclusion").outcome is not Outcome.VIOLATED
    line = "No prior immunotherapy"
    assert item_outcome(line, patient(therapies=[PEMBROLIZUMAB]), "exclusion").outcome is Outcome.VIOLATED


def test_a_drug_named_against_the_agent_is_no_infection() -> None:
    assert item_outcome(ANTI_HIV, patient(conditions=[HIV]), "exclusion").outcome is not Outcome.VIOLATED
    assert item_outcome("Known HIV infection", patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED
    line = "Diagnosis positive for anti-HIV antibody and/or anti-HTLV-1 antibody"  # NCT02029157
    assert item_outcome(line, patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED
