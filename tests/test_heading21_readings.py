"""Lines under a cohort's heading are that cohort's (heading21; tests/audit/heading21_changes.txt): a cohort named in
capitals on a line of its own above its sections (NCT01171898, fresh sample 21's AB099), the sub-items of an
alternative that names one phase (NCT00085566's "(phase I only)", AB002; NCT00521144), and a stratum named in capitals
before a colon (NCT02134886, Y056 and AB115). Real registry text, shortened to the lines that matter. Undecided for a
patient who may be in another cohort, such a line never excludes; what every cohort asks stays everyone's."""

from __future__ import annotations

from datetime import date

import pytest

from bench.rewrap import rewrap, to_legacy, to_markdown, unwrap
from matcher.eligibility.criteria import FactKind
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.readings import cohorts_by_text, line_criterion

# NCT01171898: three cohorts, each under its capitalised name, with lists of their own (shortened)
CRPC = """NON-METASTATIC CRPC

Inclusion Criteria

  1. Histologically or cytologically proven prostate cancer with high risk for development
     of metastases, defined as either a PSA value >=8 ng/mL within the last 3 months or PSA
     Doubling Time <=10 months

  2. Eastern Cooperative Oncology Group (ECOG) performance status of 0-1

Exclusion Criteria

  1. Distant metastases, including CNS and vertebral or meningeal involvement

  2. Prior treatment with abiraterone

  3. QTc > 450 msec

METASTATIC CRPC, TREATMENT-NAIVE

Inclusion Criteria

  1. Histologically or cytologically proven prostate cancer with progressive disease based
     on either PSA or radiographic progression

  2. Eastern Cooperative Oncology Group (ECOG) performance status of 0-1

Exclusion Criteria

  1. History of, or current metastases in the brain or untreated spinal cord compression

  2. Prior treatment with abiraterone

  3. QTc > 450 msec

METASTATIC CRPC, CHEMOTHERAPY-NAIVE, POST-ABIRATERONE

Inclusion Criteria

  1. Histologically or cytologically proven prostate cancer with progressive disease based
     on either PSA or radiographic progression

  2. Eastern Cooperative Oncology Group (ECOG) performance status of 0-1

  3. Patients must have received a minimum of 6 months of abiraterone treatment prior to
     disease progression

Exclusion Criteria

  1. History of, or current metastases in the brain or untreated spinal cord compression

  2. QTc > 450 msec
"""

ABIRATERONE_PROGRESSION = (
    "Patients must have received a minimum of 6 months of abiraterone treatment prior to disease progression"
)
PROGRESSIVE_PROSTATE = (
    "Histologically or cytologically proven prostate cancer with progressive disease based on either PSA or "
    "radiographic progression"
)


def _outcomes(text: str, profile: dict) -> dict[str, list[Outcome]]:  # type: ignore[type-arg]
    criteria = parse_text(text)
    info = TrialInfo("NCT00000000", "t", "RECRUITING", ())
    m = match_trial(info, criteria, parse_patient(profile).patient, date(2026, 12, 5), load_knowledge())
    found: dict[str, list[Outcome]] = {}
    for r in m.results:
        found.setdefault(" ".join(r.criterion.text.split()), []).append(r.outcome)
    return found


def test_a_capitalised_cohort_name_above_its_sections_heads_them() -> None:
    criteria = [c for c in parse_text(CRPC) if c.source == "text"]
    texts = {" ".join(c.text.split()) for c in criteria}
    # the names are headings, not criteria ("METASTATIC CRPC, CHEMOTHERAPY-NAIVE, ..." read no chemotherapy bar)
    assert not texts & {"NON-METASTATIC CRPC", "METASTATIC CRPC, TREATMENT-NAIVE"}
    assert "METASTATIC CRPC, CHEMOTHERAPY-NAIVE, POST-ABIRATERONE" not in texts
    cohorts: dict[str, list[list[str]]] = {}
    for c in criteria:
        cohorts.setdefault(" ".join(c.text.split()), []).append([k.text for k in c.scope.conditions])
    assert cohorts[ABIRATERONE_PROGRESSION] == [["METASTATIC CRPC, CHEMOTHERAPY-NAIVE, POST-ABIRATERONE"]]
    # asked in two cohorts, not in the post-abiraterone one, which asks the opposite
    assert cohorts["Prior treatment with abiraterone"] == [
        ["NON-METASTATIC CRPC"],
        ["METASTATIC CRPC, TREATMENT-NAIVE"],
    ]
    # what every cohort asks stays everyone's
    assert cohorts["QTc > 450 msec"] == [[], [], []]
    assert cohorts["Eastern Cooperative Oncology Group (ECOG) performance status of 0-1"] == [[], [], []]


def test_what_every_cohort_asks_beside_what_one_asks_stays_everyones() -> None:
    # every cohort asks prostate cancer; the non-metastatic one asks no progression
    c = next(c for c in parse_text(CRPC) if " ".join(c.text.split()) == PROGRESSIVE_PROSTATE)
    assert [k for k in c.scope.conditions if k.kind == "cohort"] == []
    [site] = [f for f in c.facts if f.kind is FactKind.PRIMARY_SITE]
    [progression] = [f for f in c.facts if f.kind is FactKind.PROGRESSION]
    assert site.uncertain is None
    # uncertain as one part's, and since therapy 21 first as another cancer's (the prostate cancer's) progression
    assert progression.uncertain and "another cancer's progression" in progression.uncertain


def test_a_cohorts_line_never_excludes_a_patient_who_may_be_in_another_cohort() -> None:
    # AB099: a patient whose disease is not progressing; the abiraterone line is one cohort's
    profile = {"id": "p", "diagnosis": {"histology": "anaplastic"}, "disease": {"progressing": False}}
    found = _outcomes(CRPC, profile)
    assert Outcome.VIOLATED not in found[ABIRATERONE_PROGRESSION]
    # X064: prostate cancer is asked in every cohort, so the line still excludes a thyroid patient
    assert found[PROGRESSIVE_PROSTATE] == [Outcome.VIOLATED] * 2
    # a QTc over 450 ms excludes from every cohort, and prostate cancer is every cohort's
    profile = {"id": "p", "qtcf_ms": 468}
    found = _outcomes(CRPC, profile)
    assert found["QTc > 450 msec"] == [Outcome.VIOLATED] * 3


def test_capitalised_section_headings_are_no_cohorts() -> None:
    # NCT00504101: a template's section heading, with its colon, above "Inclusion criteria:"
    text = """DISEASE CHARACTERISTICS:

Inclusion criteria:

  -  Confirmed diagnosis of multiple myeloma (M-protein by serum protein electrophoresis or
     urine protein electrophoresis) and either bone marrow biopsy and aspirate
     demonstrating a plasma cell count > 10% or biopsy of a bone or soft tissue mass
     demonstrating a plasmacytoma

Exclusion criteria:

  -  Evidence of active plasma cell leukemia
"""
    assert all(cohorts == [] for cohorts in cohorts_by_text(text).values())


# NCT00085566's disease lines: an any-of list of two diseases, each with its phase and its own sub-items
GBM = """DISEASE CHARACTERISTICS:

  -  Histologically confirmed diagnosis of 1 of the following:

       -  Glioblastoma multiforme (GBM) (phase I only)

            -  Progressive disease despite standard therapy

            -  Progressive disease based on 1 of the following:

                 -  New or progressive (25% bidimensional increase) soft tissue masses on
                    CT scan or MRI

                 -  New or prior lesions that have increased in size by physical
                    examination

       -  Castrate metastatic prostate cancer (closed to accrual as of 10/19/2006) (phase I
          and II)

            -  Progressive disease despite standard therapy AND castrate levels < 50 ng/dL
               of testosterone

  -  No brain metastases
"""


def test_the_sub_items_of_an_alternative_for_one_phase_are_that_phases() -> None:
    # AB002: "Progressive disease despite standard therapy" is the phase I GBM patients'
    cohorts = cohorts_by_text(GBM)
    assert cohorts["Progressive disease despite standard therapy"] == ["phase I"]
    assert cohorts["Progressive disease based on 1 of the following:"] == ["phase I"]
    # an alternative that names every phase passes on no cohort (its sub-items stay as read: V003, P001)
    line = "Progressive disease despite standard therapy AND castrate levels < 50 ng/dL of testosterone"
    assert cohorts[line] == []
    assert cohorts["No brain metastases"] == []


def test_a_phase_named_by_each_alternative_reaches_its_sub_items() -> None:
    # NCT00521144: phase I takes advanced solid tumours, phase II small cell lung cancer after platinum
    text = """Inclusion Criteria:

  -  Histologically or cytologically confirmed diagnosis of 1 of the following:

       -  Advanced solid tumor (phase I)

            -  Topotecan hydrochloride must be an appropriate treatment for this cancer

       -  Small cell lung cancer (SCLC) (phase II)

            -  Progressed after one prior platinum-based chemotherapy regimen

  -  No leptomeningeal involvement
"""
    cohorts = cohorts_by_text(text)
    assert cohorts["Progressed after one prior platinum-based chemotherapy regimen"] == ["phase II"]
    assert cohorts["Topotecan hydrochloride must be an appropriate treatment for this cancer"] == ["phase I"]
    assert cohorts["No leptomeningeal involvement"] == []


# NCT02134886's two strata, sub-items of its prior-therapy permission
STRATA = """Inclusion Criteria:

  -  Participants may have received any number of prior lines of chemotherapy (other than
     erlotinib or other EGFR-targeted therapy) for incurable non-small cell lung cancer

       -  PARTICIPANTS WITH NO PRIOR THERAPY FOR INCURABLE LUNG CANCER: trial eligibility
          will be restricted to those participants whose tumors harbor known EGFR
          activating mutations

       -  PARTICIPANTS WITH PRIOR LINES OF THERAPY: all other participants (those whose
          tumors harbor wild-type EGFR or unknown EGFR status, or those with EGFR mutations
          not previously treated with erlotinib/EGFR-targeted therapy)
"""

PRIOR_LINES = (
    "PARTICIPANTS WITH PRIOR LINES OF THERAPY: all other participants (those whose tumors harbor wild-type EGFR or "
    "unknown EGFR status, or those with EGFR mutations not previously treated with erlotinib/EGFR-targeted therapy)"
)


def test_a_stratum_named_in_capitals_before_a_colon_is_that_stratums() -> None:
    cohorts = cohorts_by_text(STRATA)
    assert cohorts[PRIOR_LINES] == ["PARTICIPANTS WITH PRIOR LINES OF THERAPY"]
    no_prior = next(k for k in cohorts if k.startswith("PARTICIPANTS WITH NO PRIOR"))
    assert cohorts[no_prior] == ["PARTICIPANTS WITH NO PRIOR THERAPY FOR INCURABLE LUNG CANCER"]
    # Y056, AB115: a patient with no erlotinib is not excluded by the stratum's definition
    profile = {"id": "p", "therapies": [{"name": "radioactive iodine", "kind": "radioiodine", "start": "2020-01-15"}]}
    assert Outcome.VIOLATED not in _outcomes(STRATA, profile)[PRIOR_LINES]


def test_a_group_in_small_letters_before_a_colon_is_the_criterion_itself() -> None:
    # NCT00048893's exclusion: the group is what excludes, no stratum
    text = (
        "Exclusion Criteria:\n\n- Patients with an autoimmune disease: autoimmune neutropenia, thrombocytopenia, or "
        "hemolytic anemia; Rheumatoid Arthritis, Systemic Lupus Erythematosus\n"
    )
    line = (
        "Patients with an autoimmune disease: autoimmune neutropenia, thrombocytopenia, or hemolytic anemia; "
        "Rheumatoid Arthritis, Systemic Lupus Erythematosus"
    )
    assert [k for k in line_criterion(text, line).scope.conditions if k.kind == "cohort"] == []


@pytest.mark.parametrize("layout", [unwrap, lambda t: rewrap(t, 60), lambda t: rewrap(t, 120), to_markdown, to_legacy])
def test_the_cohorts_are_the_same_whatever_the_layout(layout) -> None:  # type: ignore[no-untyped-def]
    for text in (CRPC, GBM, STRATA):

        def cohorts(t: str) -> list[tuple[str, list[str]]]:
            return [
                (" ".join(c.text.split()).strip("*- "), [k.text for k in c.scope.conditions if k.kind == "cohort"])
                for c in parse_text(t)
                if c.source == "text"
            ]

        assert cohorts(layout(text)) == cohorts(text)
