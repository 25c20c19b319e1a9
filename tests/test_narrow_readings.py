"""Narrow helper (issue 10; tests/audit/narrow_changes.txt): readings that dropped what narrows them, or decided an
ambiguous text against the patient, in fresh samples 9 and 10 (Q007, Q013, Q017, Q021, Q036, P046). Each row quotes
registry text of the tuning corpora, with the trial it came from; each class has rows that must keep their reading."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.extent import ExtentValues
from matcher.eligibility.kinds.histology import HistologyValues
from matcher.eligibility.kinds.lab import LabValues
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.readings import NONE, check, item_facts

EXTENT, LAB, HISTOLOGY, SITE = FactKind.DISEASE_EXTENT, FactKind.LAB, FactKind.HISTOLOGY, FactKind.PRIMARY_SITE


def _outcome(section: str, text: str, profile: dict[str, Any]) -> Outcome:
    [criterion] = [c for c in parse_text(f"{section} Criteria:\n\n- {text}\n") if c.source == "text"]
    patient = parse_patient({"id": "p", **profile}).patient
    info = TrialInfo("NCT00000000", "t", "RECRUITING", ())
    return match_trial(info, [criterion], patient, date(2026, 12, 5), load_knowledge()).results[0].outcome


# --- 1. another organ's cancer's extent, excluded: not the thyroid cancer's ------------------------------------------

_OTHER_CANCERS_EXTENT = [
    "No evidence of or history of metastatic adenocarcinoma of the prostate",  # NCT00788307 (sample 10 Q017)
    "No locally advanced inoperable breast cancer, including any of the following:",  # NCT00066703
    "Co-morbid conditions should be taken into consideration, but not the diagnosis of metastatic breast cancer.",
    # NCT01423123
]


@pytest.mark.parametrize("line", _OTHER_CANCERS_EXTENT)
def test_another_cancers_extent_excluded_is_no_extent_of_the_patient(line: str) -> None:
    check(item_facts("Inclusion", line, EXTENT), NONE)


def test_a_metastatic_thyroid_patient_meets_no_metastatic_prostate_adenocarcinoma() -> None:
    profile = {"diagnosis": {"histology": "papillary", "metastatic_sites": ["cervical lymph nodes", "lung"]}}
    assert _outcome("Inclusion", _OTHER_CANCERS_EXTENT[0], profile) is not Outcome.VIOLATED


@pytest.mark.parametrize(
    ("line", "polarity"),
    [
        ("No distant metastases", Polarity.EXCLUDE),  # still the patient's extent
        ("Patients with metastatic disease", Polarity.REQUIRE),
        # a required extent of the trial's cancer keeps its reading (the primary site decides)
        ("Histologically confirmed metastatic breast cancer", Polarity.REQUIRE),
    ],
)
def test_the_patients_extent_keeps_its_reading(line: str, polarity: Polarity) -> None:
    [fact] = item_facts("Inclusion", line, EXTENT)
    assert fact.polarity is polarity and isinstance(fact.values, ExtentValues)


# --- 2. a stage: read against the stage on file, by the thyroid's AJCC staging without one ----------------------------

NO_STAGE_IV = "No stage IV disease"  # NCT00093756 (sample 10 Q007), NCT00661336


def test_a_stage_alone_is_kept_as_the_stage() -> None:
    [fact] = item_facts("Inclusion", NO_STAGE_IV, EXTENT)
    assert isinstance(fact.values, ExtentValues) and fact.values.stage == "IV"
    # "No stage IV or recurrent disease" (NCT00023673): the same
    [fact] = item_facts("Inclusion", "No stage IV or recurrent disease", EXTENT)
    assert isinstance(fact.values, ExtentValues) and fact.values.stage == "IV"


def test_a_stage_the_text_equates_with_metastases_stays_the_extent() -> None:
    [fact] = item_facts("Exclusion", "Metastatic (M1) or stage IV disease", EXTENT)
    assert isinstance(fact.values, ExtentValues) and fact.values.stage is None


@pytest.mark.parametrize(
    ("diagnosis", "birth_date", "expected"),
    [
        # Q007: a 44-year-old's DTC with lung metastases, stage II on file: not stage IV
        ({"histology": "papillary", "stage": "II", "metastatic_sites": ["lung"]}, "1982-03-01", Outcome.SATISFIED),
        ({"histology": "papillary", "stage": "IVB", "metastatic_sites": ["lung"]}, "1950-03-01", Outcome.VIOLATED),
        # no stage on file: distant metastases at 55 or older (P032's 75-year-old with adrenal metastases) is IVB
        ({"histology": "papillary", "metastatic_sites": ["adrenal glands"]}, "1951-03-01", Outcome.VIOLATED),
        # ... under 55 it is stage II
        ({"histology": "papillary", "metastatic_sites": ["lung"]}, "1982-03-01", Outcome.SATISFIED),
        # ... anaplastic carcinoma is always stage IV
        ({"histology": "anaplastic", "metastatic_sites": []}, "1960-03-01", Outcome.VIOLATED),
        # ... medullary without distant metastases: IVA possible (N1b), unknown
        ({"histology": "medullary", "metastatic_sites": ["cervical lymph nodes"]}, "1960-03-01", Outcome.UNKNOWN),
    ],
)
def test_no_stage_iv_against_the_profile(diagnosis: dict[str, Any], birth_date: str, expected: Outcome) -> None:
    assert _outcome("Inclusion", NO_STAGE_IV, {"birth_date": birth_date, "diagnosis": diagnosis}) is expected


def test_a_required_stage_iv_is_not_failed_by_a_metastatic_patient_staged_lower() -> None:
    # "Stage IV disease" (NCT00096486): a stage II DTC with lung metastases may be what the text means by it
    profile = {"birth_date": "1982-03-01", "diagnosis": {"histology": "papillary", "stage": "II",
                                                         "metastatic_sites": ["lung"]}}  # fmt: skip
    assert _outcome("Inclusion", "Stage IV disease", profile) is Outcome.UNKNOWN


# --- 3. "ALT and AST > ULN": an exclusion of both --------------------------------------------------------------------


def _alternatives(section: str, line: str) -> list[bool]:
    facts = item_facts(section, line, LAB)
    return [f.values.alternative for f in facts if isinstance(f.values, LabValues)]


@pytest.mark.parametrize(
    ("section", "line", "both"),
    [
        ("Exclusion", "ALT and AST > upper limit of Normal", True),  # NCT01278810 (sample 10 Q021)
        ("Exclusion", "AST and ALT > 2.5 x institutional ULN", True),  # NCT00724984
        ("Exclusion", "AST (SGOT and ALT (SGPT) greater or equal to 2x ULN", True),  # NCT00729638
        # "/" and "or" stay either
        ("Exclusion", "AST/ALT > 2.5 x ULN", False),
        # a requirement of both stays two requirements
        ("Inclusion", "ALT and AST <= 2.5 x ULN", False),
    ],
)
def test_tests_joined_by_and_are_excluded_together(section: str, line: str, both: bool) -> None:
    assert _alternatives(section, line) == [both, both]


def test_alt_and_ast_over_excludes_when_both_are_over() -> None:
    labs = [
        {"test": "AST", "value": 33, "unit": "U/L", "date": "2026-11-18", "upper_limit": 32},
        {"test": "ALT", "value": 29, "unit": "U/L", "date": "2026-11-18", "upper_limit": 33},
    ]
    line = "ALT and AST > upper limit of Normal"
    # Q021: her ALT is normal; "ALT and AST > ULN" may mean both or either over (review wt-revnarrow): unknown
    assert _outcome("Exclusion", line, {"labs": labs}) is Outcome.UNKNOWN
    labs[1] = {**labs[1], "value": 40}
    assert _outcome("Exclusion", line, {"labs": labs}) is Outcome.VIOLATED


# --- 4. another organ's tumour named with the histology word ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "histologies", "sites"),
    [
        # NCT00555256 (sample 10 Q013): the lung's large cell anaplastic carcinoma; the trial is for lung cancer
        (
            "Patients must have a histologically or cytologically proven NSCLC, including adenocarcinoma, "
            "broncho-alveolar cell and large cell anaplastic carcinoma",
            NONE,
            ("site.lung",),
        ),
        # NCT01290549 (sample 10 Q036): "follicular lymphoma" is a lymphoma; and the lymphomas are a blood cancer,
        # no "other" thyroid histology (reasons, fresh sample 12 S100)
        (
            "History of one of the following histologically-documented hematologic malignancy for which no effective "
            "standard therapy exists: indolent non Hodgkin's lymphoma (NHL), Grade 3b follicular lymphoma (FL), "
            "diffuse large B-cell lymphoma (DLBCL), mantle cell lymphoma (MCL), or chronic lymphocytic leukemia (CLL)",
            NONE,
            ("site.blood",),
        ),
        # NCT02242045 (sample 9 P046): a blood cancer
        (
            "Subjects with mature B-cell malignancies of indolent non-Hodgkin lymphoma including follicular lymphoma, "
            "small lymphocytic lymphoma, lymphoplastic lymphoma, marginal zone lymphoma, and chronic lymphocytic "
            "leukemia by World Health Organization classification",
            NONE,
            ("site.blood",),
        ),
    ],
)
def test_another_organs_tumour_is_not_a_thyroid_histology(line: str, histologies: object, sites: object) -> None:
    found = item_facts("Inclusion", line, HISTOLOGY)
    if histologies == NONE:
        check(found, NONE)
    else:
        assert [f.values.histologies for f in found if isinstance(f.values, HistologyValues)] == [histologies]
    site = item_facts("Inclusion", line, SITE)
    if sites == NONE:
        check(site, NONE)
    else:
        assert [getattr(f.values, "sites", None) for f in site] == [sites]


@pytest.mark.parametrize(
    ("line", "histologies"),
    [
        ("Histologically confirmed follicular thyroid carcinoma", ("hist.follicular",)),
        ("Patients with papillary or follicular thyroid cancer", ("hist.papillary", "hist.follicular")),
        ("Histologically confirmed anaplastic thyroid carcinoma", ("hist.anaplastic",)),
    ],
)
def test_a_thyroid_histology_keeps_its_reading(line: str, histologies: tuple[str, ...]) -> None:
    [fact] = item_facts("Inclusion", line, HISTOLOGY)
    assert isinstance(fact.values, HistologyValues) and fact.values.histologies == histologies


def test_an_excluded_histology_named_with_another_tumour_is_uncertain() -> None:
    # NCT02370498: "undifferentiated gastric cancer" (sweep 4 made it uncertain; it stays so)
    [fact] = item_facts("Exclusion", "Squamous cell or undifferentiated gastric cancer", HISTOLOGY)
    assert fact.uncertain
