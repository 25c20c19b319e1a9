"""site22 (tests/audit/site22_changes.txt): a trial for another cancer is 'trial is for <cancer>' for a thyroid
patient (issue 10 item 4) when its conditions list names only other cancers the vocabulary did not know (a bare
"lymphoma" or "sarcoma", "non-small cell", MeSH's inverted "carcinoma, renal cell"), or when an inclusion line opens
on another cancer with only its stage or treatment state before it ("Operable colon cancer amenable to curative
surgery."). Generic words, non-cancer diseases, "head and neck cancer" and baskets still decide nothing. Every list
and line is the registry's."""

from __future__ import annotations

import json
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind
from matcher.eligibility.kinds.primary_site import PrimarySiteValues, evaluate, from_conditions
from matcher.knowledge_base import load_knowledge
from matcher.patient import parse_patient
from tests.conftest import ROOT
from tests.readings import conditions_site_facts, item_facts, list_text

PATIENT = parse_patient(
    json.loads((ROOT / "examples" / "rair-papillary-braf.json").read_text(encoding="utf-8"))
).patient
ON = date(2026, 11, 26)


def _sites(*conditions: str) -> tuple[str, ...] | None:
    fact = from_conditions(list(conditions))
    if fact is None:
        return None
    assert isinstance(fact.values, PrimarySiteValues) and not fact.uncertain
    return fact.values.sites


def _verdict(fact: Fact) -> tuple[bool | None, str]:
    found = evaluate(fact, PATIENT, ON, load_knowledge())
    return found.has, found.reason


def test_a_bare_lymphoma_or_sarcoma_in_a_conditions_list_is_another_cancer() -> None:
    assert _sites("lymphoma") == ("site.blood",)  # NCT00561418's list
    assert _sites("sarcoma") == ("site.soft_tissue",)  # NCT02888665
    assert _sites("thyroid lymphoma") is None  # the thyroid named: her own cancer's trial
    fact = from_conditions(["lymphoma"])
    assert fact is not None and _verdict(fact) == (False, "trial is for a blood cancer")


def test_mesh_inverted_conditions_are_read_in_both_orders() -> None:
    assert _sites("carcinoma, renal cell") == ("site.kidney",)  # NCT00334282's list
    assert _sites("neoplasms, colonic") == ("site.colorectal",)
    assert _sites("leukemia, myeloid, acute") == ("site.blood",)
    assert _sites("lymphoma, malignant") == ("site.blood",)


def test_conditions_the_vocabulary_now_knows() -> None:
    assert _sites("non-small cell") == ("site.lung",)
    assert _sites("anal cancer") == ("site.anus",)  # NCT00003652
    assert _sites("cancer of liver") == ("site.liver",)
    assert _sites("myelofibrosis") == ("site.blood",)
    assert _sites("waldenström's macroglobulinemia") == ("site.blood",)  # NCT00150462
    assert _sites("peritoneal cancer") == ("site.peritoneum",)
    assert _sites("kaposi sarcoma") == ("site.soft_tissue",)


def test_generic_and_non_cancer_conditions_and_head_and_neck_still_decide_nothing() -> None:
    for conditions in (["cancer"], ["neoplasms"], ["malignant neoplasm"], ["multiple sclerosis"],
                       ["graft versus host disease"], ["head and neck cancer"], ["neuroendocrine tumors"],
                       ["squamous cell carcinoma"], ["adenocarcinoma"], ["neoplasm metastasis"],
                       ["carcinoma of unknown primary"], ["solid tumors", "lymphoma"]):  # fmt: skip
        assert _sites(*conditions) is None, conditions


def test_conditions_only_names_are_not_read_in_criteria_text() -> None:
    # "lymphoma" alone in an exclusion is another malignancy the patient must not have, never the trial's cancer
    assert item_facts("Exclusion", "No prior lymphoma", FactKind.PRIMARY_SITE) == []
    # an example of any cancer, not the trial's: NCT01115803
    line = ("Dose Escalation portion (Part 1): have histological or cytological evidence of a diagnosis of cancer that "
            "is advanced and/or metastatic disease (including Non-Hodgkin's Lymphoma) for which no proven effective "
            "therapy exists")  # fmt: skip
    assert item_facts("Inclusion", line, FactKind.PRIMARY_SITE) == []


def test_a_line_opening_on_another_cancer_names_the_trials_cancer() -> None:
    for line, site in (
        ("Operable colon cancer amenable to curative surgery.", "site.colorectal"),  # NCT01681472
        ("Inoperable pancreatic cancer", "site.pancreas"),  # NCT00556023
        ("Multiple myeloma (MM)", "site.blood"),  # NCT00150462
        ("Previously treated chronic lymphocytic leukemia or small lymphocytic lymphoma that requires treatment",
         "site.blood"),  # NCT02200848
    ):  # fmt: skip
        [fact] = item_facts("Inclusion", line, FactKind.PRIMARY_SITE)
        assert isinstance(fact.values, PrimarySiteValues) and fact.values.sites[0] == site, line
        assert not fact.uncertain and _verdict(fact)[0] is False, line


def test_a_line_opening_on_a_cancer_that_permits_negates_or_names_a_group_reads_nothing() -> None:
    for line in (
        "CLL in transformation allowed",  # NCT00304005
        "Inoperable HCC which is not eligible for locoregional therapy",  # NCT02029157
        "CLL therapy, major surgery, or irradiation for CLL was completed > 4 weeks before registration in this study.",
        "AML, MDS and MM are diseases of the haematopoietic system and can cause myelosuppression.",  # NCT00689000
    ):
        assert item_facts("Inclusion", line, FactKind.PRIMARY_SITE) == [], line


def test_a_phase_one_solid_tumour_line_keeps_the_trial_open() -> None:
    # NCT00074022: "Prostate cancer (phase I only)*" beside "Solid tumor malignancy (phase I only)*"
    text = list_text("Solid tumor malignancy (phase I only)*", "Prostate cancer (phase I only)*",
                     "Non-small cell lung cancer (phase I and II)*")  # fmt: skip
    facts = conditions_site_facts(text, "prostate cancer", "lung cancer")
    assert facts and all(f.uncertain for f in facts)


def test_a_bare_brain_tumour_condition_decides_nothing() -> None:
    # NCT00395863, an imaging trial: "Confirmed or highly suspected to have brain tumor(s)"; a metastasis is one too
    assert _sites("brain tumor") is None
    assert _sites("brain neoplasms") is None
    assert _sites("brain neoplasms, malignant, primary") == ("site.brain",)  # NCT02343081


def test_an_organs_metastases_beside_its_cancers_keep_the_trial_open() -> None:
    # NCT00216437, listed for "cancer of liver"
    line = ("Histologically or cytologically confirmed unresectable hepatocellular carcinoma, liver mets with no "
            "evidence of extrahepatic disease, or cholangiocarcinoma. (see exclusion criteria 10)")  # fmt: skip
    facts = conditions_site_facts(list_text(line), "cancer of liver")
    assert facts and all(f.uncertain for f in facts)
    # a lab line's exception opens nothing: NCT00048633
    lab = ("Normal renal function: creatinine less than or equal to 2.0 mg/dl. Adequate liver function: ... less than "
           "or equal to 2.5 x of the upper limit of normal in the presence of radiologically apparent liver metastasis "
           "or bone metastasis")  # fmt: skip
    facts = conditions_site_facts(list_text("Histologically proven breast cancer", lab), "breast cancer")
    assert facts and not any(f.uncertain for f in facts)
