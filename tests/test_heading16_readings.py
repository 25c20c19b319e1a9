"""Headings over the trial's parts, and a template's section heading glued to an item (heading16): real registry
text, shortened to the lines that matter. A criterion under a sub-heading that names one part of the trial is that
part's, undecided for a patient who may enter another; one that every part asks stays everyone's."""

from __future__ import annotations

from datetime import date

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.readings import cohorts_by_text, line_criterion

# NCT01476137 (audit item Y007), three of its lists shortened
PARTS = """Inclusion Criteria for Part 1:

  -  Male or female, at least 18 years of age at the time of signing informed consent form
     and capable of giving written informed consent.

  -  Histologically or cytologically confirmed diagnosis of a solid tumor malignancy with
     one of the following characteristics that is not responsive to standard therapies:
     breast cancer, colorectal cancer, pancreatic cancer.

  -  Eastern Cooperative Oncology Group (ECOG) Performance Status of 0 or 1.

Inclusion Criteria for Part 2A only:

  -  As listed for Part 1 with the exception of criterion 2 which should be replaced with
     the following:

       -  Histologically confirmed diagnosis of secretory multiple myeloma.

  -  Subjects with prior exposure to an AKT inhibitor or MEK inhibitor are not eligible.
     Perifosine is not considered an AKT inhibitor.

Inclusion Criteria for Part 2B only:

  -  As listed for Part 1, with the exception of criterion 2 which should be replaced with
     the following:

  -  Subjects with prior exposure to an AKT inhibitor or MEK inhibitor are not eligible.
     Perifosine is not considered an AKT inhibitor.

Exclusion Criteria:

  -  History of Type 1 diabetes.
"""

AKT = "Subjects with prior exposure to an AKT inhibitor or MEK inhibitor are not eligible. Perifosine is not considered an AKT inhibitor."  # noqa: E501


def _outcomes(text: str, profile: dict) -> dict[str, tuple[Outcome, str]]:  # type: ignore[type-arg]
    criteria = parse_text(text)
    info = TrialInfo("NCT00000000", "t", "RECRUITING", ())
    m = match_trial(info, criteria, parse_patient(profile).patient, date(2026, 11, 26), load_knowledge())
    return {" ".join(r.criterion.text.split()): (r.outcome, r.reason) for r in m.results}


def test_a_parts_exclusion_is_that_parts_and_never_excludes_from_another_part() -> None:
    cohorts = cohorts_by_text(PARTS)
    assert cohorts[AKT] == ["Inclusion Criteria for Part 2B only"]  # the later of the two, Part 2A's alike
    profile = {"id": "p", "therapies": [{"name": "trametinib", "start": "2026-09-24"}]}
    found, reason = _outcomes(PARTS, profile)[AKT]
    assert found is Outcome.UNKNOWN and "Part 2" in reason


def test_what_a_part_takes_from_another_stays_everyones_but_the_replaced_item() -> None:
    cohorts = cohorts_by_text(PARTS)
    # "As listed for Part 1 with the exception of criterion 2": Part 1's ECOG is every part's, its histology is not
    assert cohorts["Eastern Cooperative Oncology Group (ECOG) Performance Status of 0 or 1."] == []
    histology = next(t for t in cohorts if t.startswith("Histologically or cytologically confirmed diagnosis of a"))
    assert cohorts[histology] == ["Inclusion Criteria for Part 1"]
    found, _ = _outcomes(PARTS, {"id": "p", "ecog": 2})[
        "Eastern Cooperative Oncology Group (ECOG) Performance Status of 0 or 1."
    ]
    assert found is Outcome.VIOLATED
    assert cohorts["History of Type 1 diabetes."] == []  # under "Exclusion Criteria:": the whole trial's


# NCT00412412: the same QTc limit in other words under each group's heading; a criterion one group only asks
GROUPS = """Inclusion Criteria (Group A):

  -  Normal electrocardiogram (ECG) with QTc ≤450 msec for men and ≤470 msec for women.

  -  Evaluable disease either by measurable disease (RECIST) or nonmeasurable disease.

Inclusion Criteria (Group B):

  -  Normal ECG with QTc ≤450 msec for men and ≤470 msec for women.

  -  Measurable disease by RECIST or evaluable nonmeasurable disease

Exclusion Criteria (Group B):

  -  Diabetes treated with insulin.
"""


def test_what_every_group_asks_in_its_own_words_stays_everyones() -> None:
    cohorts = cohorts_by_text(GROUPS)
    assert cohorts["Normal ECG with QTc ≤450 msec for men and ≤470 msec for women."] == []
    assert cohorts["Normal electrocardiogram (ECG) with QTc ≤450 msec for men and ≤470 msec for women."] == []
    assert cohorts["Diabetes treated with insulin."] == ["Exclusion Criteria (Group B)"]


def test_a_heading_over_every_part_limits_nothing() -> None:
    # NCT00445458's inclusion criteria (the registry's text, its first items)
    text = (
        "Inclusion Criteria:\n\nInclusion criteria for both parts of clinical trial:\n\n"
        "  -  Good performance status\n\n  -  At least one measurable target lesion\n\n"
        "Inclusion Criteria for Part 1 Only:\n\n"
        "- Pathologically confirmed solid tumor not curable with available standard therapy\n\n"
        "Inclusion Criteria for Part 2 Only:\n\n"
        "  -  Pathologically confirmed breast cancer\n\n  -  HER2 positive tumor\n\n"
        "  -  Prior treatment with Herceptin\n"
    )
    cohorts = cohorts_by_text(text)
    assert cohorts["Good performance status"] == []
    assert cohorts["Prior treatment with Herceptin"] == ["Inclusion Criteria for Part 2 Only"]


def test_a_later_period_of_the_trial_is_no_entry_criterion() -> None:
    # NCT02677896: the criteria of the open-label extension, beside the main study's
    text = (
        "Inclusion Criteria:\n\n  -  Subject is age 18 years or older.\n\n"
        "Exclusion Criteria for Open-Label Extension:\n\n  -  Subject has taken commercially available enzalutamide"
        " (Xtandi).\n"
    )
    cohorts = cohorts_by_text(text)
    assert cohorts["Subject is age 18 years or older."] == []
    assert cohorts["Subject has taken commercially available enzalutamide (Xtandi)."] == [
        "Exclusion Criteria for Open-Label Extension"
    ]


# NCT02275286 (audit item X169): a cohort's line above each cohort's sections
COHORTS = """Cohort A: STS

Inclusion Criteria:

  1. Performance status ≤1 (ECOG).

  2. The patient must have been considered eligible for systemic chemotherapy.

Exclusion Criteria:

  1. Previous treatment with trabectedin.

Cohort C: Retroperitoneum sarcoma

Inclusion criteria:

  1. ECOG performance status 0-1.

Exclusion criteria:

  1. Patients who have previously received systemic treatment (chemotherapy or trabectedin).
"""


def test_a_cohorts_line_heads_the_sections_under_it() -> None:
    cohorts = cohorts_by_text(COHORTS)
    assert "Cohort A: STS" not in cohorts  # a heading, not a criterion
    assert cohorts["Performance status ≤1 (ECOG)."] == []  # every cohort asks it
    assert cohorts["ECOG performance status 0-1."] == []
    systemic = "Patients who have previously received systemic treatment (chemotherapy or trabectedin)."
    assert cohorts[systemic] == ["Cohort C: Retroperitoneum sarcoma"]
    profile = {"id": "p", "therapies": [{"name": "lenvatinib", "start": "2021-01-15", "end": "2026-08-20"}]}
    assert _outcomes(COHORTS, profile)[systemic][0] is not Outcome.VIOLATED


# NCT02655458 (audit item Y055): a template's headings, one on its own line, others glued to the item before them
TEMPLATE = """Exclusion Criteria:

Target Disease

  -  Active plasma cell leukemia.

  -  AST or ALT > 3X ULN.

  -  CrCl < 60 ml/min by Cockcroft-Gault Formula Prior Therapy or Surgery

  -  Major surgery within 3 weeks prior to treatment.

  -  History of Grade 4 rash associated with thalidomide treatment. Sex and Reproductive
     Status

  -  Women of childbearing potential (WOCBP) who are pregnant or lactating.
"""


def test_a_glued_template_heading_is_no_part_of_the_item() -> None:
    crcl = line_criterion(TEMPLATE, "CrCl < 60 ml/min by Cockcroft-Gault Formula")
    assert not [f for f in crcl.facts if f.kind is FactKind.PRIOR_THERAPY]
    assert [f.kind for f in crcl.facts] == [FactKind.LAB]
    line_criterion(TEMPLATE, "History of Grade 4 rash associated with thalidomide treatment.")


def test_a_template_heading_stays_where_the_text_has_none_on_its_own_line() -> None:
    text = "Exclusion Criteria:\n\n  -  CrCl < 60 ml/min by Cockcroft-Gault Formula Prior Therapy or Surgery\n"
    line_criterion(text, "CrCl < 60 ml/min by Cockcroft-Gault Formula Prior Therapy or Surgery")
