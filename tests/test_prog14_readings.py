"""Fresh sample 14's wrong progression and cohort exclusions (issue 10; tests/audit/prog14_changes.txt): a progression
asked of a group defined by a therapy or a biomarker, or after the washout of a named therapy, is that group's, and
uncertain for every patient; a cohort named by its dose ("For NSCLC patients at the MTD") or its dose-finding phase
is a cohort, whose items never exclude. Each row quotes registry text of the tuning corpora, with its trial."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.parser import parse_text
from tests.readings import item_criterion as _criterion


def _progression_doubt(line: str) -> str | None:
    facts = [f for f in _criterion("Inclusion", line).facts if f.kind is FactKind.PROGRESSION]
    assert len(facts) == 1, facts
    return facts[0].uncertain


@pytest.mark.parametrize(
    "line",
    [
        # NCT00337077 (U014): the progression is asked of the men who took an antiandrogen
        "At least 4 weeks since prior flutamide (6 weeks for bicalutamide or nilutamide) and there is continued "
        "evidence of disease progression",
        # NCT00728845 (U050): of the patients who had adjuvant therapy after a resected NSCLC
        "More than 1 year since post-operative adjuvant therapy for previously resected non-small cell lung cancer "
        "with evidence of disease progression",
        # NCT00513071
        "At least 28 days since prior non-steroidal anti-androgens (e.g., flutamide) (42 days for bicalutamide or "
        "nilutamide) or hormonal treatment (e.g., ketoconazole) and demonstrated progression of disease since the "
        "agents were suspended",
        # NCT00509587 (U024): of the patients with hormone receptor-positive breast cancer
        "Patients who may still benefit from hormonal therapy are ineligible (patients with hormone receptor-positive "
        "breast cancer should have received appropriate sequential hormonal therapy for metastatic disease until "
        "disease progression)",
        # NCT00633087
        "Patients with prostate cancer in whom bicalutamide or flutamide has been recently withdrawn, must demonstrate "
        "progression of disease and be at least 6 weeks and 4 weeks respectively beyond the discontinuation of such "
        "agents. LHRH agonists will be continued.",
        # NCT00573404
        "Patients previously treated with imatinib mesylate must have documented progression of disease",
        # NCT01740297
        "Subjects treated with prior ipilimumab must have had partial response (PR), complete response (CR), or at "
        "least 6 months of stable disease followed by disease progression.",
        # NCT02963610: a second sentence's group, named by a biomarker
        "Treatment on this protocol may begin as long as the patient has recovered from toxicities of prior therapy at "
        "the discretion of the treating physician. Patients with NSCLC harboring an EGFR, ALK or ROS-1 alteration "
        "must have progressed through at least one prior therapy with appropriate molecularly targeted agents.",
    ],
)
def test_a_groups_progression_is_uncertain(line: str) -> None:
    doubt = _progression_doubt(line)
    assert doubt is not None and ("group" in doubt or "washout" in doubt), doubt


@pytest.mark.parametrize(
    "line",
    [
        # every patient's progression: judged right (fresh samples 12-14)
        "Patient must have received a prior autologous stem cell transplantation with melphalan conditioning for "
        "multiple myeloma with subsequent disease progression and repeat autologous stem cell transplantation is "
        "deemed appropriate by the treating physician.",  # NCT01653418 (U129)
        "Progression more than 6 months after the start of initial chemotherapy treatment",  # NCT00113607 (S006)
        "Radiographic evidence of tumor progression as defined by a contrast enhanced MRI at least 3 months after the "
        "completion of radiation therapy",  # NCT01086345 (U157)
        "Patients must have evidence of disease progression (20% objective growth of existing tumors by Response "
        "Evaluation Criteria in Solid Tumors [RECIST] criteria) within the last 12 months",  # NCT01208051
    ],
)
def test_everyones_progression_stays_a_requirement(line: str) -> None:
    assert _progression_doubt(line) is None


# NCT00268905 (U064): the NSCLC items are the MTD cohort's; the dose-finding phase takes any advanced solid tumour
_NCT00268905 = """Inclusion Criteria:

  1. Patients ≥ 18 years of age.

For patients in the dose finding phase, the following additional inclusion criteria must be
fulfilled:

  1. Patients with disease progression despite standard therapy or have disease for which
     no standard therapy exists.

For NSCLC patients at the MTD, the following additional inclusion criteria must be
fulfilled:

  1. Patients with pathologically diagnosed, histologically or cytologically confirmed
     advanced NSCLC (Stage IIIB or IV) with measurable disease, not amenable to surgical or
     radiation treatment.
"""


def test_a_cohort_at_the_mtd_is_a_cohort() -> None:
    criteria = parse_text(_NCT00268905)
    nsclc = next(c for c in criteria if "advanced NSCLC" in c.text)
    assert any(f.kind is FactKind.PRIMARY_SITE for f in nsclc.facts)
    assert [k.kind for k in nsclc.scope.conditions] == ["cohort"]
    finding = next(c for c in criteria if "disease progression despite" in c.text)
    assert [k.kind for k in finding.scope.conditions] == ["cohort"]
    adult = next(c for c in criteria if "18 years" in c.text)
    assert not any(k.kind == "cohort" for k in adult.scope.conditions)


def test_a_cohort_of_patients_enrolled_at_the_mtd() -> None:
    # NCT00179608, NCT00412581
    line = "For the 10 patients enrolled at the MTD, at least one measurable lesion must be present."
    assert [k.kind for k in _criterion("Inclusion", line).scope.conditions] == ["cohort"]
