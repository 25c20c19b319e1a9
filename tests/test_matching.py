"""Matching correctness: hand-written patients against the real thyroid trials in ../shared/ctgov/studies.

Each case names the trial, the patient's situation, the expected verdict and the criterion that decides it.
Every expectation was checked by reading the trial's registry text (quoted next to the case). Where the
parser reads a trial differently, the test keeps the expectation that the text supports: a failure here is a
finding about the parser or the matcher, not about the test. The matching day is fixed (the clock is injected).

Profiles: tests/patients/*.json (hand-written for these tests) and examples/sparse-minimal.json; a case
changes a copy of a profile with ``profile(name, {"dotted.path": value})``.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
import pytest
from jsonschema import Draft202012Validator

from matcher.ctgov_parse import parse_study
from matcher.eligibility.criteria import Criterion
from matcher.eligibility.parser import StructuredFields, parse_text
from matcher.knowledge_base import KnowledgeBase, load_knowledge
from matcher.matching.evaluate import (
    CriterionResult,
    Evaluator,
    Outcome,
    TrialInfo,
    TrialMatch,
    Verdict,
    match_trial,
    prepare,
)
from matcher.models import Site, Trial
from matcher.patient import parse_patient
from tests.conftest import ROOT, STUDIES, load_study

ON = date(2026, 11, 26)
PATIENTS = Path(__file__).parent / "patients"
SPARSE = ROOT / "examples" / "sparse-minimal.json"
DELETE = object()  # a profile change that removes the field

SATISFIED, VIOLATED, UNKNOWN = Outcome.SATISFIED, Outcome.VIOLATED, Outcome.UNKNOWN

# --- helpers -----------------------------------------------------------------------------------------------


@cache
def kb() -> KnowledgeBase:
    return load_knowledge()


@cache
def registry_trial(nct_id: str) -> Trial:
    return parse_study(load_study(nct_id))


@cache
def trial(nct_id: str) -> tuple[TrialInfo, tuple[Criterion, ...]]:
    """The real trial's info and its criteria as the parser reads them (text plus structured age/sex)."""
    t = registry_trial(nct_id)
    fields = StructuredFields(t.minimum_age, t.maximum_age, t.sex, tuple(t.conditions))
    criteria = parse_text(t.eligibility_text, fields)
    return TrialInfo(t.nct_id, t.brief_title, t.overall_status, t.phases, t.sites), tuple(criteria)


def thyroid_trials() -> list[str]:
    """Every stored study whose conditions or title name the thyroid."""
    found = []
    for path in sorted(STUDIES.glob("NCT*.json")):
        t = registry_trial(path.stem)
        if "thyroid" in t.brief_title.lower() or any("thyroid" in c.lower() for c in t.conditions):
            found.append(t.nct_id)
    return found


def profile(name: str, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """A copy of a hand-written profile with ``{"a.b": value}`` changes (``DELETE`` removes a field)."""
    path = SPARSE if name == "sparse-minimal" else PATIENTS / f"{name}.json"
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for dotted, value in (changes or {}).items():
        *parents, last = dotted.split(".")
        node = doc
        for key in parents:
            node = node.setdefault(key, {})
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(value)
    return doc


def match(nct_id: str, doc: dict[str, Any]) -> TrialMatch:
    info, criteria = trial(nct_id)
    return match_trial(info, criteria, parse_patient(doc).patient, ON, kb())


def explain(m: TrialMatch) -> str:
    """Every criterion that is not satisfied, for failure messages."""
    lines = [f"{m.trial.nct_id}: verdict {m.verdict.value}"]
    for r in m.results:
        if r.outcome in (VIOLATED, UNKNOWN):
            where = "top" if r.criterion.parent is None else f"sub of [{r.criterion.parent}]"
            lines.append(
                f"  [{r.criterion.index}] {r.outcome.value} ({where}) {r.criterion.display_text[:90]!r} -> {r.reason}"
            )
    return "\n".join(lines)


def result(m: TrialMatch, start: str) -> CriterionResult:
    """The one criterion whose registry text starts with `start` (whitespace normalised)."""
    found = [r for r in m.results if r.criterion.display_text.startswith(start)]
    assert len(found) == 1, f"{m.trial.nct_id}: {len(found)} criteria start with {start!r}\n{explain(m)}"
    return found[0]


def check(m: TrialMatch, start: str, outcome: Outcome, word: str | None = None) -> CriterionResult:
    """The criterion starting with `start` has `outcome`, and its reason mentions `word`."""
    r = result(m, start)
    assert r.outcome is outcome, (
        f"{m.trial.nct_id}: {start!r} is {r.outcome.value} ({r.reason}); expected {outcome.value}\n{explain(m)}"
    )
    if word is not None:
        assert word.lower() in r.reason.lower(), f"{m.trial.nct_id}: {start!r}: {word!r} not in reason {r.reason!r}"
    return r


def check_ineligible_by(m: TrialMatch, start: str, word: str | None = None) -> CriterionResult:
    """Ineligible, and the criterion starting with `start` is a top-level violated one (it decides)."""
    r = check(m, start, VIOLATED, word)
    assert r.criterion.parent is None, f"{start!r} is a sub-item; the verdict reads top-level criteria"
    assert m.verdict is Verdict.INELIGIBLE, explain(m)
    return r


def check_not_ineligible(m: TrialMatch) -> None:
    assert m.verdict is not Verdict.INELIGIBLE, explain(m)


def therapy(name: str, start: str, end: str | None, kind: str = "systemic", **extra: str) -> dict[str, Any]:
    return {"name": name, "kind": kind, "start": start, **({"end": end} if end else {}), **extra}


def doxorubicin(start: str, end: str) -> dict[str, Any]:
    return therapy("doxorubicin", start, end, reason_stopped="completed")


def with_therapy(name: str, item: dict[str, Any], changes: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = profile(name, changes)
    doc["therapies"] = [*doc.get("therapies", []), item]
    return doc


def with_labs(name: str, *labs: dict[str, Any], changes: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = profile(name, changes)
    doc["labs"] = list(labs)
    return doc


def lab(test: str, value: float, unit: str, upper_limit: float | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"test": test, "value": value, "unit": unit, "date": "2026-11-20"}
    if upper_limit is not None:
        item["upper_limit"] = upper_limit
    return item


# --- BRAF not tested for a BRAF-required trial --------------------------------------------------------------
# NCT02456701 inclusion: "Confirmation in a CLIA certified laboratory or in an FDA-approved assay that one of the
#   patient's thyroid tumors ... possesses a BRAF mutation at V600."
# NCT01709292 inclusion: "BRAF V600E mutation detected in the primary tumor or the recurrent/persistent tumor."
# A gene that is not listed was not tested: unknown, so the trial stays possible and BRAF is in `missing`.


@pytest.mark.parametrize(
    ("nct_id", "start", "missing"),
    [
        ("NCT02456701", "Confirmation in a CLIA certified laboratory", "BRAF V600 test"),
        ("NCT01709292", "BRAF V600E mutation detected in the primary tumor", "BRAF V600E test"),
    ],
)
def test_braf_not_tested_is_unknown_and_the_trial_stays_possible(nct_id: str, start: str, missing: str) -> None:
    m = match(nct_id, profile("braf-untested"))
    r = check(m, start, UNKNOWN, "not tested")
    assert missing in r.missing
    assert missing in m.missing
    assert m.verdict is Verdict.POSSIBLE, explain(m)


def test_braf_v600e_positive_satisfies_the_braf_criterion() -> None:
    doc = profile("braf-untested", {"biomarkers": [{"gene": "BRAF", "alteration": "V600E", "result": "positive"}]})
    check(match("NCT02456701", doc), "Confirmation in a CLIA certified laboratory", SATISFIED, "V600E")


# --- prior lenvatinib against trials for targeted-therapy-naive patients ----------------------------------------
# NCT02870569 (donafenib) exclusion: "Prior treatment to sorafenib or other molecular targeted drugs;"
# NCT03602495 (donafenib) exclusion: "Prior treatment to TKI or other molecular targeted drugs；"
# Lenvatinib is a VEGFR multikinase inhibitor (a TKI, a molecular targeted drug): one prior course excludes.


@pytest.mark.parametrize(
    ("nct_id", "start"),
    [
        ("NCT02870569", "Prior treatment to sorafenib or other molecular targeted drugs"),
        ("NCT03602495", "Prior treatment to TKI or other molecular targeted drugs"),
    ],
)
def test_prior_lenvatinib_makes_a_vegfr_naive_trial_ineligible(nct_id: str, start: str) -> None:
    check_ineligible_by(match(nct_id, profile("cosmic-candidate")), start, "lenvatinib")


@pytest.mark.parametrize(
    ("nct_id", "start"),
    [
        ("NCT02870569", "Prior treatment to sorafenib or other molecular targeted drugs"),
        ("NCT03602495", "Prior treatment to TKI or other molecular targeted drugs"),
    ],
)
def test_targeted_therapy_naive_patient_meets_the_naive_exclusion(nct_id: str, start: str) -> None:
    check(match(nct_id, profile("vegfr-naive-rair")), start, SATISFIED)


def test_targeted_therapy_naive_rair_dtc_patient_is_not_ineligible_for_donafenib() -> None:
    """NCT02870569: RAI-refractory papillary DTC, progressed 10 months ago (text: within 14 months), measurable,
    ECOG 0, no targeted therapy, not pregnant. Nothing in the text excludes her: "Anaplastic or Medullary
    carcinoma of the thyroid" does not name papillary, and "All females must have a negative ... pregnancy test"
    is met by a patient who is not pregnant."""
    m = match("NCT02870569", profile("vegfr-naive-rair"))
    check(m, "Anaplastic or Medullary carcinoma of the thyroid", SATISFIED)
    check(m, "All females must have a negative serum or urine pregnancy test", SATISFIED)
    check_not_ineligible(m)


def test_one_prior_vegfr_therapy_is_allowed_by_select() -> None:
    """NCT01321554 exclusion: "2 or more prior VEGF/ VEGFR-targeted therapies": one lenvatinib course is allowed."""
    check(
        match("NCT01321554", profile("cosmic-candidate")), "2 or more prior VEGF/ VEGFR-targeted therapies", SATISFIED
    )


# --- COSMIC-311 (NCT03690388) ---------------------------------------------------------------------------------
# Inclusion: DTC; measurable (RECIST 1.1); previously treated with or ineligible for I-131; "Previously treated
# with at least one of the following VEGFR-targeting TKI agents for DTC: lenvatinib or sorafenib"; "ECOG PS of 0
# or 1". Exclusion 1: "Prior treatment with any of the following: Cabozantinib; ...". minimumAge 16 Years.

COSMIC = "NCT03690388"
COSMIC_TKI = "Previously treated with at least one of the following VEGFR-targeting TKI agents"
COSMIC_PRIOR = "Prior treatment with any of the following: Cabozantinib"
COSMIC_ECOG = "Eastern Cooperative Oncology Group (ECOG) PS of 0 or 1"
COSMIC_CHEMO_WASHOUT = "Receipt of any type of anticancer antibody"
COSMIC_RADIATION = "Receipt of radiation therapy for bone metastasis within 2 weeks"
COSMIC_BRAIN = "Known brain metastases or cranial epidural disease unless adequately treated"


def test_cosmic_progressed_on_lenvatinib_ecog1_measurable_rair_is_not_ineligible() -> None:
    m = match(COSMIC, profile("cosmic-candidate"))
    check(m, COSMIC_TKI, SATISFIED, "lenvatinib")
    check(m, COSMIC_ECOG, SATISFIED, "ECOG 1")
    check(m, "Measurable disease according to RECIST 1.1", SATISFIED)
    check_not_ineligible(m)


def test_cosmic_ecog2_is_ineligible_by_the_ecog_criterion() -> None:
    check_ineligible_by(match(COSMIC, profile("cosmic-candidate", {"ecog": 2})), COSMIC_ECOG, "ECOG 2")


def test_cosmic_prior_cabozantinib_is_ineligible_by_the_prior_treatment_exclusion() -> None:
    doc = with_therapy(
        "cosmic-candidate", therapy("cabozantinib", "2026-08-25", "2026-10-20", reason_stopped="progression")
    )
    check_ineligible_by(match(COSMIC, doc), COSMIC_PRIOR, "cabozantinib")


@pytest.mark.parametrize(
    ("state", "outcome"), [("active", VIOLATED), ("treated_stable", SATISFIED), ("none", SATISFIED)]
)
def test_cosmic_brain_metastases_unless_adequately_treated(state: str, outcome: Outcome) -> None:
    m = match(COSMIC, profile("cosmic-candidate", {"disease.brain_metastases": state}))
    check(m, COSMIC_BRAIN, outcome)
    if outcome is VIOLATED:
        check_ineligible_by(m, COSMIC_BRAIN, "active")


# --- washouts: met by waiting ---------------------------------------------------------------------------------
# COSMIC exclusion 3: "Receipt of any type of anticancer antibody (including investigational antibody) or systemic
# chemotherapy within 4 weeks before randomization". Doxorubicin ended 2026-10-30, 27 days before 2026-11-26: the
# 28-day window is met from 2026-11-27, so the criterion is satisfied by waiting and the trial's eligible_from is
# that day. Ended 40 days ago: satisfied, nothing to wait for.


def test_chemotherapy_ended_27_days_ago_is_met_by_waiting_until_day_28() -> None:
    doc = with_therapy("cosmic-candidate", doxorubicin("2026-09-01", "2026-10-30"))
    m = match(COSMIC, doc)
    r = check(m, COSMIC_CHEMO_WASHOUT, SATISFIED, "2026-11-27")
    assert r.eligible_from == date(2026, 11, 27)
    assert m.eligible_from == date(2026, 11, 27)


def test_chemotherapy_ended_40_days_ago_is_satisfied_with_no_waiting() -> None:
    doc = with_therapy("cosmic-candidate", doxorubicin("2026-08-01", "2026-10-17"))
    m = match(COSMIC, doc)
    r = check(m, COSMIC_CHEMO_WASHOUT, SATISFIED)
    assert r.eligible_from is None
    assert m.eligible_from is None
    assert "eligible_from" not in m.to_json()


def test_cosmic_one_prior_chemotherapy_regimen_excludes_as_the_registry_writes_it() -> None:
    """Exclusion 1 lists "1 systemic chemotherapy regimen (given as single agent or in combination ...)" among
    the prior treatments that exclude: one prior doxorubicin regimen makes the patient ineligible."""
    doc = with_therapy("cosmic-candidate", doxorubicin("2026-08-01", "2026-10-17"))
    check_ineligible_by(match(COSMIC, doc), COSMIC_PRIOR, "doxorubicin")


def test_radiotherapy_outside_bone_20_days_ago_waits_for_the_4_week_window() -> None:
    """COSMIC exclusion 4: "Receipt of radiation therapy for bone metastasis within 2 weeks or any other radiation
    therapy within 4 weeks before randomization." Neck radiotherapy (not for bone) ended 2026-11-06: the 4-week
    window is met from 2026-12-04."""
    item = therapy("external beam radiotherapy to the neck", "2026-10-20", "2026-11-06", kind="radiotherapy")
    m = match(COSMIC, with_therapy("cosmic-candidate", item))
    r = check(m, COSMIC_RADIATION, SATISFIED, "2026-12-04")
    assert r.eligible_from == date(2026, 12, 4)
    assert m.eligible_from == date(2026, 12, 4)


# --- x ULN labs -----------------------------------------------------------------------------------------------
# NCT02973997 inclusion: "Serum creatinine =< 1.5 X upper limit of normal (ULN) OR measured or calculated
#   creatinine clearance ... >= 60 mL/min for subject with creatinine levels > 1.5 X institutional ULN".
# NCT02456701 inclusion (under "normal organ and marrow function"): "Total bilirubin ≤ 1.5x institutional ULN".

CREATININE_ULN = "Serum creatinine =< 1.5 X upper limit of normal"
BILIRUBIN_ULN = "Total bilirubin ≤ 1.5x institutional ULN"


def test_creatinine_within_1_5_uln_satisfies_the_creatinine_criterion() -> None:
    doc = with_labs("vegfr-naive-rair", lab("creatinine", 1.0, "mg/dL", upper_limit=1.2))
    check(match("NCT02973997", doc), CREATININE_ULN, SATISFIED, "ULN")


def test_creatinine_above_1_5_uln_with_low_clearance_violates() -> None:
    doc = with_labs(
        "vegfr-naive-rair",
        lab("creatinine", 2.0, "mg/dL", upper_limit=1.2),
        lab("creatinine clearance", 45, "mL/min"),
    )
    check_ineligible_by(match("NCT02973997", doc), CREATININE_ULN)


def test_creatinine_without_its_upper_limit_is_unknown() -> None:
    doc = with_labs("vegfr-naive-rair", lab("creatinine", 1.0, "mg/dL"))
    check(match("NCT02973997", doc), CREATININE_ULN, UNKNOWN, "ULN")


@pytest.mark.parametrize(
    ("value", "upper_limit", "outcome"),
    [
        (0.9, 1.2, SATISFIED),
        (1.8, 1.2, SATISFIED),  # exactly 1.5 x ULN: "≤" includes it
        (2.0, 1.2, VIOLATED),
        (0.9, None, UNKNOWN),
    ],
)
def test_bilirubin_against_1_5_x_uln(value: float, upper_limit: float | None, outcome: Outcome) -> None:
    doc = with_labs("braf-untested", lab("total bilirubin", value, "mg/dL", upper_limit))
    check(match("NCT02456701", doc), BILIRUBIN_ULN, outcome, "ULN")


def test_less_than_or_equal_written_as_slash_equals_is_read_as_at_most() -> None:
    """NCT01709292: "Total bilirubin </= 1.5 x upper limit of normal (ULN). ... AST/ALT </= 2.5 x ULN ... ANC >/= 1.0
    x 10^9/L; platelets >/= 100 x 10^9/L". Bilirubin 0.8 (ULN 1.2) meets "</= 1.5 x ULN"; with AST, ALT, ANC and
    platelets not on file the criterion is unknown, never violated."""
    doc = with_labs("braf-untested", lab("total bilirubin", 0.8, "mg/dL", upper_limit=1.2))
    check(match("NCT01709292", doc), "Total bilirubin </= 1.5 x upper limit of normal", UNKNOWN)


# --- unit conversion ------------------------------------------------------------------------------------------
# NCT02456701: "Creatinine ≤ 1.5 mg/dL OR calculated creatinine clearance (Cockcroft-Gault formula) ≥ 50 mL/min OR
#   24-hour urine creatinine clearance ≥ 50 mL/min"; "Absolute neutrophil count (ANC) > 1500/mcl".
# NCT03037385 exclusion (any of the following within 14 days): "Absolute neutrophil count <1.0 × 10^9/L."
# 1 mg/dL creatinine = 88.4 µmol/L; 1 /µL = 0.001 x 10^9/L.


@pytest.mark.parametrize(
    ("labs", "outcome"),
    [
        ([lab("creatinine", 97, "µmol/L")], SATISFIED),  # 1.10 mg/dL
        # 1.70 mg/dL and a clearance too low; the third alternative, a measured (24-hour urine) clearance, is not
        # decided by a clearance of unknown method (audit item v0382)
        ([lab("creatinine", 150, "µmol/L"), lab("creatinine clearance", 42, "mL/min")], UNKNOWN),
        ([lab("creatinine", 150, "µmol/L")], UNKNOWN),  # too high, but clearance might still qualify
    ],
)
def test_creatinine_in_umol_per_litre_against_mg_per_dl(labs: list[dict[str, Any]], outcome: Outcome) -> None:
    check(match("NCT02456701", with_labs("braf-untested", *labs)), "Creatinine ≤ 1.5 mg/dL", outcome)


def test_creatinine_conversion_is_shown_in_the_reason() -> None:
    doc = with_labs("braf-untested", lab("creatinine", 97, "µmol/L"))
    check(match("NCT02456701", doc), "Creatinine ≤ 1.5 mg/dL", SATISFIED, "mg/dL")


@pytest.mark.parametrize(("value", "outcome"), [(2.1, SATISFIED), (1.2, VIOLATED)])
def test_anc_in_10e9_per_litre_against_per_microlitre(value: float, outcome: Outcome) -> None:
    doc = with_labs("braf-untested", lab("absolute neutrophil count", value, "10^9/L"))
    check(match("NCT02456701", doc), "Absolute neutrophil count (ANC) > 1500/mcl", outcome)


@pytest.mark.parametrize(("value", "outcome"), [(1800, SATISFIED), (800, VIOLATED)])
def test_anc_per_microlitre_against_10e9_per_litre(value: float, outcome: Outcome) -> None:
    doc = with_labs("cosmic-candidate", lab("ANC", value, "/µL"))
    check(match("NCT03037385", doc), "Absolute neutrophil count <1.0 × 10^9/L", outcome)


# --- exclusion groups: "any of the following" -------------------------------------------------------------------
# An exclusion that lists items under "any of the following" applies when any one item applies.
# NCT02456701: "History or evidence of cardiovascular risk including any of the following:" / "Corrected QT (QTc)
#   interval ≥ 450 msec at baseline ...". QTcF 470 ms -> excluded.
# NCT03037385: "Patient has any of the following within 14 days prior to the first dose of study drug:" /
#   "Absolute neutrophil count <1.0 × 10^9/L." ANC 800/µL -> excluded.


def test_qtc_item_of_an_exclusion_group_excludes() -> None:
    m = match("NCT02456701", profile("braf-untested", {"qtcf_ms": 470}))
    check(m, "Corrected QT (QTc) interval ≥ 450 msec", VIOLATED, "QTcF 470")
    # the parent's reason is its deciding sub-item's, so the coordinator sees why without expanding it
    check_ineligible_by(m, "History or evidence of cardiovascular risk including any of the following", "QTcF 470")


def test_lab_item_of_an_exclusion_group_excludes() -> None:
    m = match("NCT03037385", with_labs("cosmic-candidate", lab("ANC", 800, "/µL")))
    r = check_ineligible_by(m, "Patient has any of the following within 14 days", "neutrophil count 800 /µL")
    assert r.evidence == ("labs[0]",), r.evidence


# --- age ------------------------------------------------------------------------------------------------------
# NCT02456701: "Age ≥ 18 years." and minimumAge 18 Years. NCT03690388: minimumAge 16 Years.


@pytest.mark.parametrize("birth_date", ["2009-03-15", "2008-11-27"])  # 17 on 2026-11-26 (the second turns 18 tomorrow)
def test_seventeen_year_old_is_ineligible_for_an_18_plus_trial(birth_date: str) -> None:
    m = match("NCT02456701", profile("braf-untested", {"birth_date": birth_date}))
    check_ineligible_by(m, "Age ≥ 18 years.", "age 17")
    check(m, "Minimum age: 18 Years", VIOLATED, "age 17")


def test_eighteenth_birthday_today_meets_an_18_plus_trial() -> None:
    m = match("NCT02456701", profile("braf-untested", {"birth_date": "2008-11-26"}))
    check(m, "Age ≥ 18 years.", SATISFIED, "age 18")


def test_seventeen_year_old_meets_a_16_plus_trial() -> None:
    m = match(COSMIC, profile("cosmic-candidate", {"birth_date": "2009-03-15"}))
    check(m, "Minimum age: 16 Years", SATISFIED, "age 17")
    check_not_ineligible(m)


# --- progression windows --------------------------------------------------------------------------------------
# NCT01321554 (SELECT) inclusion: "Evidence of disease progression within 12 months prior to signing informed
# consent (+1 month screening window)." 10 months ago meets it; 20 months ago can only get older: violated.

SELECT = "NCT01321554"
SELECT_PROGRESSION = "Evidence of disease progression within 12 months"


def test_progression_10_months_ago_meets_a_12_month_window() -> None:
    m = match(SELECT, profile("vegfr-naive-rair", {"disease.progression_date": "2026-01-26"}))
    check(m, SELECT_PROGRESSION, SATISFIED, "2026-01-26")


def test_progression_20_months_ago_violates_a_12_month_window() -> None:
    m = match(SELECT, profile("vegfr-naive-rair", {"disease.progression_date": "2025-03-26"}))
    check_ineligible_by(m, SELECT_PROGRESSION, "20 months")


def test_vegfr_naive_rair_dtc_progressed_10_months_ago_is_not_ineligible_for_select() -> None:
    """SELECT: "Prior treatment with 0 or 1 VEGF or VEGFR targeted therapy" admits a VEGFR-naive patient; the
    criteria under "Participants were eligible for lenvatinib treatment in the OOL Lenvatinib Treatment Period
    if ..." describe the open-label extension for placebo patients, not entry to the trial."""
    m = match(SELECT, profile("vegfr-naive-rair"))
    check(m, "Prior treatment with 0 or 1 vascular endothelial growth-factor", SATISFIED)
    check_not_ineligible(m)


# --- radioiodine-refractory, derived ----------------------------------------------------------------------------
# SELECT inclusion: "131 I-refractory/resistant disease."


def test_rair_derived_from_absent_uptake_satisfies_and_says_so() -> None:
    doc = profile("vegfr-naive-rair", {"radioiodine": {"uptake": "absent"}})
    check(match(SELECT, doc), "131 I-refractory/resistant disease", SATISFIED, "derived")


def test_rai_avid_without_progression_after_rai_violates() -> None:
    doc = profile("vegfr-naive-rair", {"radioiodine": {"uptake": "present", "progression_after_rai": False}})
    check_ineligible_by(match(SELECT, doc), "131 I-refractory/resistant disease", "avid")


# --- QTcF -----------------------------------------------------------------------------------------------------
# NCT02973997 exclusion: "Corrected QT (QTc) prolongation > 480 msec, as calculated by either the Bazett or
# Fridericia formula, as per institutional standard".

QTC_480 = "Corrected QT (QTc) prolongation > 480 msec"


@pytest.mark.parametrize(("qtcf", "outcome"), [(450, SATISFIED), (480, SATISFIED), (481, VIOLATED)])
def test_qtcf_against_an_exclusion_threshold(qtcf: int, outcome: Outcome) -> None:
    m = match("NCT02973997", profile("vegfr-naive-rair", {"qtcf_ms": qtcf}))
    check(m, QTC_480, outcome, f"QTcF {qtcf}")
    if outcome is VIOLATED:
        check_ineligible_by(m, QTC_480)


def test_qtcf_not_on_file_is_unknown_and_missing() -> None:
    m = match("NCT02973997", profile("vegfr-naive-rair", {"qtcf_ms": DELETE}))
    r = check(m, QTC_480, UNKNOWN, "QTcF")
    assert "QTcF" in r.missing
    assert "QTcF" in m.missing


# --- brain metastases -----------------------------------------------------------------------------------------
# NCT02973997 exclusion: "Known active central nervous system (CNS) metastases and/or carcinomatous meningitis; NOTE:
# subjects with previously treated brain metastases may participate provided they are stable ..."


@pytest.mark.parametrize(
    ("state", "outcome"), [("active", VIOLATED), ("treated_stable", SATISFIED), ("none", SATISFIED)]
)
def test_active_cns_metastases_exclusion_allows_treated_stable(state: str, outcome: Outcome) -> None:
    m = match("NCT02973997", profile("vegfr-naive-rair", {"disease.brain_metastases": state}))
    check(m, "Known active central nervous system (CNS) metastases", outcome)


# --- pregnancy ------------------------------------------------------------------------------------------------
# NCT01709292 exclusion: "Pregnant or lactating women. ..."
# NCT00287287 exclusion: "Patients must not be pregnant or breastfeeding."
# A male patient is never excluded by either; a woman with no pregnancy status on file is unknown.

PREGNANCY_CASES = [
    pytest.param(
        "braf-untested", {"pregnant": True, "breastfeeding": False}, VIOLATED, "pregnant", id="pregnant-woman"
    ),
    pytest.param(
        "braf-untested", {"pregnant": False, "breastfeeding": False}, SATISFIED, "pregnant", id="not-pregnant-woman"
    ),
    pytest.param("cosmic-candidate", {}, SATISFIED, "sex", id="man"),
    pytest.param(
        "braf-untested", {"pregnant": DELETE, "breastfeeding": DELETE}, UNKNOWN, None, id="woman-status-unknown"
    ),
]


@pytest.mark.parametrize(
    ("nct_id", "start"),
    [("NCT01709292", "Pregnant or lactating women"), ("NCT00287287", "Patients must not be pregnant or breastfeeding")],
)
@pytest.mark.parametrize(("name", "changes", "outcome", "evidence"), PREGNANCY_CASES)
def test_pregnancy_exclusion(
    nct_id: str, start: str, name: str, changes: dict[str, Any], outcome: Outcome, evidence: str | None
) -> None:
    """The outcome, and the profile field it rests on: a pregnant woman is excluded because she is pregnant."""
    r = check(match(nct_id, profile(name, changes)), start, outcome)
    if evidence is not None:
        assert evidence in r.evidence, f"{nct_id}: {r.outcome.value} on {r.evidence} ({r.reason})"


# --- criteria the parser could not read -------------------------------------------------------------------------
# NCT00537095 inclusion: "Serum TSH<0.5mU/L." (no fact is parsed from it).


def test_unparsed_criterion_is_unknown_says_so_and_keeps_the_trial_possible() -> None:
    m = match("NCT00537095", profile("vegfr-naive-rair"))
    r = check(m, "Serum TSH<0.5mU/L.", UNKNOWN, "parser")
    assert not r.criterion.facts
    assert m.verdict is Verdict.POSSIBLE, explain(m)
    # Issue 12 / the contract: unreadable text is not a missing-data item; it stays an unknown criterion.
    assert not any("TSH" in item for item in m.missing), m.missing


# --- the sparse profile against every thyroid trial -------------------------------------------------------------
# examples/sparse-minimal.json: id, age 67, male, follicular histology. It can never be "eligible" (almost every
# criterion needs data it lacks), and it can only be "ineligible" through a fact it states.

SPARSE_FIELDS = {"age", "sex", "diagnosis.histology"}


@pytest.mark.parametrize("nct_id", thyroid_trials())
def test_sparse_profile_is_never_eligible_and_only_excluded_by_what_it_states(nct_id: str) -> None:
    m = match(nct_id, profile("sparse-minimal"))
    assert m.verdict is not Verdict.ELIGIBLE, explain(m)
    for r in m.results:
        if r.outcome is VIOLATED:
            assert r.evidence, f"violated with no evidence: {r.criterion.display_text[:80]!r} ({r.reason})"
            assert set(r.evidence) <= SPARSE_FIELDS, f"{r.criterion.display_text[:80]!r} cites {r.evidence}"


@pytest.mark.parametrize("nct_id", thyroid_trials())
def test_sparse_male_is_never_excluded_by_a_pregnancy_criterion(nct_id: str) -> None:
    m = match(nct_id, profile("sparse-minimal"))
    wrong = [
        f"[{r.criterion.index}] {r.criterion.display_text[:90]!r} -> {r.reason}"
        for r in m.results
        if r.outcome is VIOLATED and re.search(r"male patient: not (pregnant|breast-feeding)", r.reason)
    ]
    assert not wrong, "\n".join(wrong)


# Read trial by trial for a 67-year-old man with follicular thyroid carcinoma and nothing else on file.
SPARSE_EXPECTED = {
    # ineligible: the histology the text requires is not follicular carcinoma
    "NCT01709292": ("ineligible", "Primary papillary thyroid cancer (PTC)"),  # PTC only
    "NCT02143726": ("ineligible", "Documentation of disease: Histologic Documentation"),  # Hürthle cell only
    "NCT03002623": ("ineligible", "Thyroid cancer histology or cytology that is aggressive"),  # anaplastic, PDTC, ...
    "NCT03469011": ("ineligible", "Cytologically or histologically confirmed papillary thyroid cancer"),  # PTC only
    # not ineligible: follicular DTC is admitted, age 67 is within limits, and nothing applies to a man only
    "NCT00095693": ("not ineligible", "Papillary, follicular, Hurthle cell, insular, or anaplastic (stratum II)"),
    "NCT00287287": ("not ineligible", "follicular, papillary, insular, or Hürthle-cell; pregnancy applies to women"),
    "NCT00984282": ("not ineligible", "differentiated thyroid cancer (papillary, follicular and Hurthle cell)"),
    "NCT01208051": ("not ineligible", "papillary, follicular ...; pregnancy tests apply to FCBP"),
    "NCT01321554": ("not ineligible", "PTC or FTC; excludes anaplastic or medullary only"),
    "NCT01811212": ("not ineligible", "papillary, follicular or hurthle cell; pregnancy test for WOCBP"),
    "NCT01813136": ("not ineligible", "DTC (papillary, follicular and poorly differentiated)"),
    "NCT02472080": ("not ineligible", "differentiated or poorly differentiated; anaplastic etc. are non-inclusion"),
    "NCT02870569": ("not ineligible", "PTC, FTC or Hurthle; pregnancy test for females"),
    "NCT02973997": ("not ineligible", "DTC includes follicular thyroid cancer"),
    "NCT03037385": ("not ineligible", "Phase 1: any advanced solid tumor; RET not tested is unknown"),
    "NCT03157128": ("not ineligible", "any solid tumor, age 12+; Lansky applies under 16"),
    "NCT03199677": ("not ineligible", "papillary and follicular, age 18-75"),
    "NCT03246958": ("not ineligible", "DTC incl. follicular; MTC/ATC is an exploratory cohort"),
    "NCT03506048": ("not ineligible", "follicular or papillary"),
    "NCT03602495": ("not ineligible", "PTC, FTC, Hurthle, PDTC; pregnancy test for females"),
    "NCT03690388": ("not ineligible", "DTC, age 16+"),
    "NCT03753919": ("not ineligible", "cohort 1 DTC incl. follicular; age limits in the menopause note are for women"),
    "NCT04290663": ("not ineligible", "intermediate-risk PTC, FTC (< 4 foci of vascular invasion) or HCC"),
}


@pytest.mark.parametrize(("nct_id", "expected", "why"), [(k, *v) for k, v in SPARSE_EXPECTED.items()])
def test_sparse_profile_verdict_read_from_the_trial_text(nct_id: str, expected: str, why: str) -> None:
    m = match(nct_id, profile("sparse-minimal"))
    if expected == "ineligible":
        check_ineligible_by(m, why, "follicular")
    else:
        assert m.verdict is Verdict.POSSIBLE, f"expected possible ({why})\n{explain(m)}"


# --- the JSON output contract ----------------------------------------------------------------------------------
# ../shared/contracts/match-output.md: one object per trial in "trials".

OUTCOMES = ["satisfied", "violated", "unknown", "not_applicable"]
TRIAL_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["nct_id", "title", "overall_status", "phases", "verdict", "score", "criteria", "missing"],
    "properties": {
        "nct_id": {"type": "string", "pattern": "^NCT[0-9]{8}$"},
        "title": {"type": "string", "minLength": 1},
        "overall_status": {"type": "string", "minLength": 1},
        "phases": {"type": "array", "items": {"type": "string"}},
        "verdict": {"enum": ["eligible", "possible", "ineligible"]},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "criteria": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["section", "text", "outcome", "reason", "evidence"],
                "additionalProperties": False,
                "properties": {
                    "section": {"enum": ["inclusion", "exclusion"]},
                    "text": {"type": "string", "minLength": 1},
                    "outcome": {"enum": OUTCOMES},
                    "reason": {"type": "string", "minLength": 1},
                    "evidence": {"type": "array", "items": {"type": "string", "minLength": 1}},
                },
            },
        },
        "missing": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "eligible_from": {"type": "string", "format": "date"},
        "nearest_site": {
            "type": "object",
            "required": ["facility", "city", "country", "status", "distance_km"],
            "properties": {
                "facility": {"type": ["string", "null"]},
                "city": {"type": ["string", "null"]},
                "country": {"type": ["string", "null"]},
                "status": {"type": ["string", "null"]},
                "distance_km": {"type": "number", "minimum": 0},
            },
        },
    },
}
OUTPUT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["patient_id", "matched_on", "trials"],
    "properties": {
        "patient_id": {"type": "string"},
        "matched_on": {"type": "string", "format": "date"},
        "trials": {"type": "array", "items": TRIAL_SCHEMA},
    },
}


def _resolves(doc: Any, path: str) -> bool:
    """Whether a JSON path like ``therapies[2]`` or ``disease.progression_date`` points into the document."""
    node = doc
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if name:
            if not isinstance(node, dict) or name not in node:
                return False
            node = node[name]
        else:
            if not isinstance(node, list) or int(index) >= len(node):
                return False
            node = node[int(index)]
    return True


@pytest.mark.parametrize("name", ["cosmic-candidate", "vegfr-naive-rair", "braf-untested", "sparse-minimal"])
def test_to_json_follows_the_output_contract(name: str) -> None:
    Draft202012Validator.check_schema(OUTPUT_SCHEMA)
    validator = Draft202012Validator(OUTPUT_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    doc = profile(name)
    matches = [match(nct_id, doc) for nct_id in thyroid_trials()]
    output = {"patient_id": doc["id"], "matched_on": ON.isoformat(), "trials": [m.to_json() for m in matches]}
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(output)]
    assert not errors, "\n".join(errors[:20])
    for m, data in zip(matches, output["trials"], strict=True):
        assert len(data["criteria"]) == len(trial(m.trial.nct_id)[1]), "every criterion appears, parsed or not"
        top = {r.outcome for r in m.results if r.criterion.parent is None}
        verdict = "ineligible" if VIOLATED in top else "possible" if UNKNOWN in top else "eligible"
        assert data["verdict"] == verdict, f"{data['nct_id']}: top-level outcomes {sorted(top)}"
        for item in data["criteria"]:
            for path in item["evidence"]:
                assert _resolves(doc, path), f"{data['nct_id']}: evidence {path!r} is not in the patient file"


def test_json_of_a_waiting_trial_carries_eligible_from_and_the_nearest_site() -> None:
    """The stored studies carry no sites, so one recruiting site (Houston) is added to COSMIC-311's info."""
    info, criteria = trial(COSMIC)
    site = Site("MD Anderson Cancer Center", "Houston", "Texas", "United States", "RECRUITING", 29.707, -95.397)
    doc = with_therapy("cosmic-candidate", doxorubicin("2026-09-01", "2026-10-30"))
    m = match_trial(msgspec.structs.replace(info, sites=(site,)), criteria, parse_patient(doc).patient, ON, kb())
    data = m.to_json()
    Draft202012Validator(TRIAL_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(data)
    assert data["eligible_from"] == "2026-11-27"
    assert data["nearest_site"]["facility"] == "MD Anderson Cancer Center"
    assert 0 < data["nearest_site"]["distance_km"] < 10


def test_proximity_uses_the_patients_radius_else_the_configured_default() -> None:
    """A patient in Dallas (about 360 km from Houston) with no radius in the profile: the score's proximity part
    uses MATCHER_DEFAULT_RADIUS_KM (500 km unless set), the radius the digests use for "near"; a radius in the
    profile wins."""
    info, criteria = trial(COSMIC)
    site = Site("MD Anderson Cancer Center", "Houston", "Texas", "United States", "RECRUITING", 29.707, -95.397)
    prepared = prepare(msgspec.structs.replace(info, sites=(site,)), [c.to_stored() for c in criteria])
    dallas = {"country": "United States", "city": "Dallas", "lat": 32.78, "lon": -96.80}
    unset = parse_patient(profile("cosmic-candidate", {"location": dallas})).patient
    default, wider = (Evaluator(unset, ON, kb(), radius).match(prepared) for radius in (500.0, 1000.0))
    assert default.nearest_site is not None and 350 < default.nearest_site.distance_km < 370
    distance = default.nearest_site.distance_km  # proximity is 10% of the score: 0.1 x (1 - distance / radius)
    assert abs((wider.score - default.score) - 0.1 * distance * (1 / 500 - 1 / 1000)) < 0.002
    stated = parse_patient(profile("cosmic-candidate", {"location": dallas | {"radius_km": 1000}})).patient
    assert Evaluator(stated, ON, kb(), 500.0).match(prepared).score == wider.score
