"""perm22 (tests/audit/perm22_changes.txt): a cancer named as a lab value's cause, as a past cancer's permission, or in
the conditions list of a trial whose participants need not have it, is not the cancer the trial is for; an inclusion
line that limits a trial's histology to a list of other primaries is ('... lung, breast, ..., bladder and
neuroendocrine tumors': unknown for a medullary patient or one with no histology on file). Every line is the
registry's."""

from __future__ import annotations

import json
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Polarity
from matcher.eligibility.kinds.primary_site import PrimarySiteValues, _limited_sites, evaluate
from matcher.knowledge_base import load_knowledge
from matcher.patient import parse_patient
from tests.conftest import ROOT
from tests.readings import NONE, check, conditions_site_facts, item_facts, line_facts, list_text

ON = date(2026, 11, 26)


def _patient(name: str):  # type: ignore[no-untyped-def]
    return parse_patient(json.loads((ROOT / "examples" / f"{name}.json").read_text(encoding="utf-8"))).patient


def _verdict(fact: Fact, patient: str) -> bool | None:
    return evaluate(fact, _patient(patient), ON, load_knowledge()).has


def test_a_cancer_named_as_a_lab_values_cause_is_not_the_trials() -> None:
    # NCT00536575 (fresh sample 28's AI077), NCT00590603 (fresh sample 32's AM101)
    check(
        item_facts(
            "Inclusion",
            "WBC >= 3000; ANC >= 1000; platelets >= 50,000 (Patients with platelets >= 30,000 are eligible if "
            "thrombocytopenia is felt to be due to extensive bone marrow involvement with myeloma).",
            FactKind.PRIMARY_SITE,
        ),
        NONE,
    )
    check(
        item_facts(
            "Inclusion",
            "Adequate organ function, patients with elevated creatinine due to myeloma are not excluded",
            FactKind.PRIMARY_SITE,
        ),
        NONE,
    )


def test_a_past_cancer_named_by_a_generic_word_keeps_its_sites_out() -> None:
    # NCT02234037, an AML trial (fresh sample 32's AM251)
    check(
        item_facts(
            "Inclusion",
            "Patients with a history of carcinoma in remission (on no therapy or on hormonal therapy for the adjuvant "
            "treatment of breast carcinoma or prostate carcinoma) are included in the study.",
            FactKind.PRIMARY_SITE,
        ),
        NONE,
    )


def test_the_trials_own_cancer_is_still_read() -> None:
    # the diagnosis lines beside them keep their reading
    facts = item_facts("Inclusion", "Histologically confirmed multiple myeloma", FactKind.PRIMARY_SITE)
    assert [f.values.sites for f in facts if isinstance(f.values, PrimarySiteValues)] == [("site.blood",)]


def test_a_screening_trials_conditions_list_is_uncertain() -> None:
    # NCT02125409 (fresh sample 32's AM231): a screening-colonoscopy/aspirin trial listed for "colorectal cancer"
    text = list_text(
        "Men and women, aged ≥ 18 and ≤ 69.",
        "Patients should have an indication for screening colonoscopy",
        "Routine hematological and biochemical parameters within the normal range.",
    )
    facts = conditions_site_facts(text, "colorectal cancer")
    assert len(facts) == 1 and facts[0].uncertain and "need not have the cancer" in facts[0].uncertain
    # NCT00096369, a breast cancer prevention trial
    facts = conditions_site_facts(
        list_text("At increased risk for breast cancer, as defined by 1 of the following criteria:"), "breast cancer"
    )
    assert len(facts) == 1 and facts[0].uncertain


def test_a_screening_that_found_the_patients_tumour_keeps_the_conditions_list() -> None:
    # NCT01816659, a surgery trial for colorectal cancer or adenoma (fresh samples 26/27's AG199, AH142, judged right)
    line = (
        "6.b. Patient found on initial MDACC colonoscopy to have CRC or endoscopically non-resectable adenoma, most "
        "commonly patients undergoing average or high risk (familial, history of adenoma) screening colonoscopy."
    )
    facts = conditions_site_facts(list_text(line), "colorectal carcinoma")
    assert len(facts) == 1 and not facts[0].uncertain


def test_a_treatment_trials_conditions_list_stays_certain() -> None:
    # "Patients at high risk of clinical relapse" (NCT00659399) and "Accepts Healthy Volunteers: No" take no one
    # without the cancer
    text = list_text("Patients at high risk of clinical relapse: first remission stage III/IV who were", "ECOG 0-1")
    facts = conditions_site_facts(text, "ovarian carcinoma")
    assert len(facts) == 1 and not facts[0].uncertain


_LIMITED = (
    "Patients with histologically confirmed metastatic or unresectable solid tumors for which standard curative "
    "measures do not exist or are no longer effective; histology will be limited to those tumors for which "
    "temsirolimus or vinorelbine have reported clinical activity: lung, breast, ovary, cervix, prostate, uterus, "
    "renal, bladder and neuroendocrine tumors"
)


def test_a_histology_limited_to_other_primaries_rules_out_a_papillary_patient() -> None:
    # NCT01155258
    facts = line_facts(list_text(_LIMITED, "SWOG performance status of 0-2"), _LIMITED, FactKind.PRIMARY_SITE)
    assert len(facts) == 1 and facts[0].polarity is Polarity.REQUIRE and not facts[0].uncertain
    v = facts[0].values
    assert isinstance(v, PrimarySiteValues) and "site.neuroendocrine" in v.sites and "site.lung" in v.sites
    assert _verdict(facts[0], "rair-papillary-braf") is False
    assert _verdict(facts[0], "rair-follicular-untreated") is False
    # medullary thyroid cancer is a neuroendocrine tumour
    assert _verdict(facts[0], "medullary-ret-mutant") is None


def test_a_first_stage_or_one_parts_limit_is_no_list_of_the_trial() -> None:
    # NCT01100619's first stage and NCT00983528's phase II component limit one stage or part, not the trial's histology
    initial = "Initial enrollment will be limited to differentiated thyroid cancer and renal cell carcinoma"
    phase = (
        "The phase II component of the study enrollment will be limited to 2 different prior induction regimens if "
        "patients are older than 30 years."
    )
    assert _limited_sites(initial) is None
    assert _limited_sites(phase) is None
    assert _limited_sites(_LIMITED) is not None
