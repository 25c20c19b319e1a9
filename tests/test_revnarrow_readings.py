"""Second reading of the narrow change (wt-revnarrow): tests named under one limit that may mean each test or either
("ALT and AST > upper limit of Normal" excluded, "AST and/or ALT ≤ 1.5 times ULN" required) are decided only when
the tests fall on the same side of it; a lab limit for one sex is uncertain; "must have <site> cancer" names the
trial's primary site; a differentiated thyroid cancer's AJCC stage follows the age at diagnosis."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.lab import LabValues
from matcher.eligibility.kinds.primary_site import PrimarySiteValues
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.readings import item_facts

LAB = FactKind.LAB
SITE = FactKind.PRIMARY_SITE


def _result(section: str, text: str, profile: dict[str, Any]) -> tuple[Outcome, str]:
    [criterion] = [c for c in parse_text(f"{section} Criteria:\n\n- {text}\n") if c.source == "text"]
    patient = parse_patient({"id": "p", **profile}).patient
    info = TrialInfo("NCT00000000", "t", "RECRUITING", ())
    result = match_trial(info, [criterion], patient, date(2026, 12, 5), load_knowledge()).results[0]
    return result.outcome, result.reason


def _labs(ast: float | None, alt: float | None) -> dict[str, Any]:
    labs = []
    if ast is not None:
        labs.append({"test": "AST", "value": ast, "unit": "U/L", "date": "2026-11-18", "upper_limit": 40})
    if alt is not None:
        labs.append({"test": "ALT", "value": alt, "unit": "U/L", "date": "2026-11-18", "upper_limit": 40})
    return {"labs": labs}


# --- 1. "and/or" in a requirement, "and" in an exclusion: each test or either -----------------------------------------

AND_OR = [
    "AST and/or ALT ≤ 1.5 times ULN",  # NCT00305812 (R040, S254)
    "AST/SGOT and/or ALT/SGPT </=1.5 x ULN;",  # NCT02044354 (N047)
]


@pytest.mark.parametrize("line", AND_OR)
@pytest.mark.parametrize(
    ("ast", "alt", "expected"),
    [
        (30, 90, Outcome.UNKNOWN),  # one within, one over: met by "either", not by "each"
        (90, 30, Outcome.UNKNOWN),
        (30, 45, Outcome.SATISFIED),  # both within
        (90, 70, Outcome.VIOLATED),  # both over: neither reading admits
        (90, None, Outcome.UNKNOWN),  # one over, the other not on file
    ],
)
def test_and_or_required_is_met_by_either(line: str, ast: float, alt: float | None, expected: Outcome) -> None:
    outcome, reason = _result("Inclusion", line, _labs(ast, alt))
    assert outcome is expected, reason
    if expected is Outcome.UNKNOWN and alt is not None:
        assert "reading uncertain" in reason


def test_slash_without_and_or_stays_each() -> None:
    # "AST/ALT ≤ 2.5 × ULN": each within, as before
    assert _result("Inclusion", "AST/ALT ≤ 2.5 × ULN", _labs(30, 200))[0] is Outcome.VIOLATED
    for f in item_facts("Inclusion", "AST/ALT ≤ 2.5 × ULN", LAB):
        assert isinstance(f.values, LabValues) and f.values.joined == ()


@pytest.mark.parametrize(
    ("ast", "alt", "expected"),
    [
        (45, 30, Outcome.UNKNOWN),  # Q021's kind: one over, one normal; both or either? (was satisfied)
        (45, 50, Outcome.VIOLATED),  # both over
        (30, 35, Outcome.SATISFIED),  # both normal
    ],
)
def test_alt_and_ast_over_excluded(ast: float, alt: float, expected: Outcome) -> None:
    line = "ALT and AST > upper limit of Normal"  # NCT01278810 (sample 10 Q021)
    outcome, reason = _result("Exclusion", line, _labs(ast, alt))
    assert outcome is expected, reason


def test_and_or_excluded_stays_either() -> None:
    # an excluded "and/or" is either over: no joined reading
    for f in item_facts("Exclusion", "AST and/or ALT > 2.5 x ULN", LAB):
        assert isinstance(f.values, LabValues) and f.values.joined == ()


# --- 2. a limit for one sex ------------------------------------------------------------------------------------------

NCT01409174 = (
    "They should have normal blood counts with a (white blood cell (WBC) count of more than or equal to 3000/mm^3 an "
    "absolute neutrophil count of more than or equal to 1500/mm^3 and a platelet count of more than 100,000/mm^3 and "
    "have no impairment of renal function (serum creatinine less than 1.1 mg/dl for females and less than 1.4 mg/dl "
    "for males), hepatic function (serum bilirubin level of less than 1.2 mg/dl) and no evidence of significant "
    "cardiac or pulmonary dysfunction."
)


def _creatinine(value: float, sex: str | None) -> dict[str, Any]:
    labs = [{"test": "creatinine", "value": value, "unit": "mg/dL", "date": "2026-11-18"}]
    return {"labs": labs, **({"sex": sex} if sex else {})}


def test_each_limit_carries_its_sex() -> None:
    facts = [f for f in item_facts("Inclusion", NCT01409174, LAB) if isinstance(f.values, LabValues)]
    creatinine = [(f.values.sex, f.values.value) for f in facts if f.values.lab == "lab.creatinine"]
    assert creatinine == [("female", 1.1), ("male", 1.4)]
    bilirubin = [f for f in facts if f.values.lab == "lab.bilirubin_total"]
    assert bilirubin and bilirubin[0].values.sex is None


@pytest.mark.parametrize(
    ("value", "sex", "expected"),
    [
        (1.2, "male", Outcome.SATISFIED),  # S391: the women's limit is not his
        (1.5, "male", Outcome.VIOLATED),
        (1.2, "female", Outcome.VIOLATED),
        (1.0, "female", Outcome.SATISFIED),
        (1.2, None, Outcome.UNKNOWN),  # no sex on file
    ],
)
def test_a_limit_for_one_sex_against_the_profile(value: float, sex: str | None, expected: Outcome) -> None:
    line = "serum creatinine less than 1.1 mg/dl for females and less than 1.4 mg/dl for males"  # from NCT01409174
    outcome, reason = _result("Inclusion", line, _creatinine(value, sex))
    assert outcome is expected, reason


def test_hemoglobin_below_both_sexes_limits() -> None:
    # NCT00882193 (sample 12 S051, judged right): hemoglobin 10.9 is under both the women's 12 and the men's 13
    line = "Hemoglobin > 12 g/dl for females and >13 g/dl for males, WBC > 3000/mm3"
    for sex in ("male", "female"):
        labs = [{"test": "hemoglobin", "value": 10.9, "unit": "g/dL", "date": "2026-11-18"}]
        assert _result("Inclusion", line, {"labs": labs, "sex": sex})[0] is Outcome.VIOLATED


def test_one_sex_limit_alone_is_uncertain_for_the_other() -> None:
    # "Creatinine =< 1.5 for men and 1.4 for women" (NCT02050009): the women's "1.4" has no comparator, not read
    [fact] = item_facts("Inclusion", "Creatinine =< 1.5 for men and 1.4 for women", LAB)
    assert isinstance(fact.values, LabValues) and fact.values.sex == "male" and not fact.values.both_sexes
    outcome, reason = _result("Inclusion", "Creatinine =< 1.5 for men and 1.4 for women", _creatinine(1.6, "female"))
    assert outcome is Outcome.UNKNOWN and "reading uncertain" in reason


# --- 3. "must have <site> cancer": the trial's primary site -----------------------------------------------------------

NCT03106610 = (
    "Patent must have BCG unresponsive non-muscle-invasive bladder cancer defined as: Persistent or recurrence of CIS "
    "within 12 months, or recurrence of CIS with Ta/T1 papillary disease within 12 months"
)


@pytest.mark.parametrize(
    ("line", "polarity"),
    [
        (NCT03106610, Polarity.REQUIRE),  # R050, S377
        ("Patients must have bladder cancer.", Polarity.REQUIRE),
        # NCT00722592
        (
            "Subjects must have platinum-resistant ovarian cancer, where platinum-resistant is defined as disease that "
            "responded to primary platinum therapy",
            Polarity.REQUIRE,
        ),
    ],
)
def test_must_have_a_site_cancer(line: str, polarity: Polarity) -> None:
    [fact] = item_facts("Inclusion", line, SITE)
    assert fact.polarity is polarity and isinstance(fact.values, PrimarySiteValues)
    assert fact.values.sites in (("site.bladder",), ("site.ovary",))


@pytest.mark.parametrize(
    "line",
    [
        "Patients must have no history of breast cancer",
        # NCT02253277: one stratum's patients
        "Patients of the first stratum must have chronic myeloid leukemia receiving nilotinib first-line therapy or "
        "receiving second-line or subsequent-line treatment with nilotinib.",
        "Must have received at least 1 prior line of therapy for multiple myeloma",  # NCT02136134
        "Breast cancer participants must have measurable disease by RECIST criteria",  # NCT01116648 (a cohort's)
        "Cohort A: RET-positive NSCLC subjects must have received at least one prior line of therapy, but must be "
        "RET TKI-naive.",  # NCT03131206, a thyroid trial
        "The most recent surgical resections or gamma-knife therapy for malignant melanoma must have been completed "
        "≥ 1 week prior to registration.",  # NCT02385669
    ],
)
def test_must_have_without_the_cancer_after_it(line: str) -> None:
    assert item_facts("Inclusion", line, SITE) == []


def test_a_thyroid_patient_is_not_in_a_bladder_trial() -> None:
    profile = {"diagnosis": {"histology": "papillary", "primary_site": "thyroid"}}
    assert _result("Inclusion", NCT03106610, profile)[0] is Outcome.VIOLATED
    assert _result("Inclusion", "Patients must have no history of breast cancer", profile)[0] is not Outcome.VIOLATED


# --- 4. a differentiated cancer's stage: the age at diagnosis --------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "diagnosed_on", "expected"),
    [
        ("1966-03-01", None, Outcome.UNKNOWN),  # 60 today, no diagnosis date: maybe under 55 then
        ("1980-03-01", None, Outcome.SATISFIED),  # 46 today: under 55 then, stage II
        ("1951-03-01", None, Outcome.VIOLATED),  # 75 today (P032): stage IVB
        ("1966-03-01", "2015-06-01", Outcome.SATISFIED),  # 49 at diagnosis, 60 today: stage II
        ("1956-03-01", "2020-06-01", Outcome.VIOLATED),  # 64 at diagnosis
    ],
)
def test_no_stage_iv_by_the_age_at_diagnosis(birth_date: str, diagnosed_on: str | None, expected: Outcome) -> None:
    diagnosis: dict[str, Any] = {"histology": "papillary", "metastatic_sites": ["lung"]}
    if diagnosed_on:
        diagnosis["diagnosed_on"] = diagnosed_on
    outcome, reason = _result("Inclusion", "No stage IV disease", {"birth_date": birth_date, "diagnosis": diagnosis})
    assert outcome is expected, reason
