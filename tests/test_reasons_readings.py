"""Reasons (fresh sample 12's right outcomes through wrong readings; tests/audit/reasons_changes.txt): a multiple of
"normal" the threshold does not read is uncertain; a gastrointestinal condition is named for what the text says; a
lesion's bleeding is no bleeding disorder; a bare "lymphoma" or "sarcoma" where the thyroid is not named is a blood
cancer or a sarcoma, not a thyroid histology, and a histology "of the stomach" that organ's cancer; a cancer named as
excluded is not the trial's; a time after an event is no recency window of the progression; a specimen's origin or a
list of settings asks no extent. Each row quotes registry text of the tuning corpora, with the trial it came from."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.readings import NONE, UNCERTAIN
from tests.readings import check as _check
from tests.readings import item_facts as _item

LAB, CONDITION, HISTOLOGY, SITE = FactKind.LAB, FactKind.CONDITION, FactKind.HISTOLOGY, FactKind.PRIMARY_SITE


@pytest.mark.parametrize(
    "line",
    [
        # NCT01522677 (fresh sample 12 S134): not a prothrombin time of 1.5 seconds
        "Eligible patients must have adequate initial hematologic and coagulation parameters, hemoglobin ≥ 11g/dl, "
        "platelet count >50,000, Protime and Prothrombin Time ≤ 1.5 x normal.",
        "AST ≤ 2 times normal",  # NCT00346359
        "Creatinine ≤ 1.5 times normal",  # NCT00084591
    ],
)
def test_a_multiple_of_normal_not_read_as_one_is_uncertain(line: str) -> None:
    facts = _item("Inclusion", line, LAB)
    multiple = [f for f in facts if f.rule in ("lab.pt", "lab.ast", "lab.creatinine")]
    _check(multiple, UNCERTAIN)


def test_a_value_in_the_tests_unit_keeps_its_limit() -> None:
    # NCT01522677: the hemoglobin beside the multiple of normal is a limit in g/dL
    line = (
        "Eligible patients must have adequate initial hematologic and coagulation parameters, hemoglobin ≥ 11g/dl, "
        "platelet count >50,000, Protime and Prothrombin Time ≤ 1.5 x normal."
    )
    (hemoglobin,) = [f for f in _item("Inclusion", line, LAB) if f.rule == "lab.hemoglobin"]
    assert hemoglobin.uncertain is None and hemoglobin.polarity is Polarity.REQUIRE


@pytest.mark.parametrize(
    ("line", "section", "names"),
    [
        # NCT01083537 (fresh sample 12 S040 and nine more): not a perforation or fistula
        ("Hospital admission and diagnosis compatible with Malignant Bowel Obstruction, as defined below:",
         "Inclusion", ("bowel obstruction",)),
        # NCT01149434
        ("Active peptic ulcer disease, inflammatory bowel disease, ulcerative colitis, or other gastrointestinal "
         "conditions with increased risk of perforation.", "Exclusion",
         ("non-healing wound", "inflammatory bowel disease", "ulcerative colitis")),  # cond30 names colitis apart
    ],
)  # fmt: skip
def test_a_gastrointestinal_condition_is_named_for_what_the_text_says(
    line: str, section: str, names: tuple[str, ...]
) -> None:
    (fact,) = _item(section, line, CONDITION)
    assert fact.values.conditions == names


def test_a_lesions_bleeding_is_no_bleeding_disorder() -> None:
    # NCT02065466 (fresh sample 12 S144, S175, S297, S395)
    line = "Newly developed inoperable brain metastases without associated hemorrhage or midline shift."
    _check(_item("Inclusion", line, CONDITION), NONE)


def test_a_bleeding_diathesis_beside_a_tumours_bleeding_stays() -> None:
    # NCT01149434
    line = "History of intratumoral bleeding or evidence of bleeding diathesis or coagulopathy"
    (fact,) = _item("Exclusion", line, CONDITION)
    assert fact.polarity is Polarity.EXCLUDE and fact.values.conditions == ("bleeding disorder",)


@pytest.mark.parametrize(
    ("line", "site"),
    [
        # NCT02743546 (fresh sample 12 S055, S110)
        ("The participant has a B-cell malignancy (diffuse large B-cell lymphoma [DLBCL], follicular lymphoma [FL], "
         "mantle cell lymphoma [MCL], or chronic lymphocytic leukemia [CLL]) with tumor progression following at "
         "least one (MCL and CLL) or two (DLBCL and FL) prior standard therapies", "site.blood"),
        ("Recurrent or refractory malignant lymphoma or Hodgkin's disease", "site.blood"),  # NCT00943293 (S385)
        ("Histologically confirmed Kaposi's sarcoma (KS) involving the following:", "site.soft_tissue"),  # NCT00427414
        # NCT00147875: was sweep 4's "other" histology kept; a blood cancer now (review of reasons)
        ("Hodgkin's lymphoma (histologically proven)", "site.blood"),
        # NCT00112372: was scope 11's histology; the Phase IIa segment's sarcoma (the cohort condition stays)
        ("unresectable sarcoma within one of the following histological subgroups:", "site.soft_tissue"),
    ],
)  # fmt: skip
def test_a_bare_lymphoma_or_sarcoma_is_another_cancer_not_a_thyroid_histology(line: str, site: str) -> None:
    _check(_item("Inclusion", line, HISTOLOGY), NONE)
    (fact,) = _item("Inclusion", line, SITE)
    assert fact.polarity is Polarity.REQUIRE and site in fact.values.sites


def test_lymphoma_named_beside_the_thyroid_stays_a_thyroid_histology() -> None:
    # NCT02472080
    line = "Other histological subtypes of thyroid tumors: anaplastic, medullary, lymphoma or sarcoma"
    (fact,) = _item("Exclusion", line, HISTOLOGY)
    assert fact.polarity is Polarity.EXCLUDE and "hist.other" in fact.values.histologies


@pytest.mark.parametrize(
    "line",
    [
        # NCT01016860: a gene's name
        "Cohort Expansion Phase: Histological or cytopathological diagnosis of advanced colorectal cancer with known "
        "Kirsten rat sarcoma (KRAS) mutation status.",
        # NCT00703638: a basket
        "Histologic or cytologic diagnosis of advanced non-hematologic malignancy (except squamous cell of the lung) "
        "including, but not limited to breast, lung, colon, pancreatic, prostate, head and neck, or sarcoma",
    ],
)
def test_a_sarcoma_in_a_genes_name_or_a_basket_is_no_sarcoma_site(line: str) -> None:
    assert all("site.soft_tissue" not in f.values.sites for f in _item("Inclusion", line, SITE))


PROGRESSION, EXTENT, BIOMARKER, BRAIN, MEASURABLE = (
    FactKind.PROGRESSION,
    FactKind.DISEASE_EXTENT,
    FactKind.BIOMARKER,
    FactKind.BRAIN_METASTASES,
    FactKind.MEASURABLE_DISEASE,
)


@pytest.mark.parametrize(
    "line",
    [
        # NCT02092363 (fresh sample 12 S178)
        "Recurrent platinum-sensitive disease, defined as disease progression ≥6 months after completing a minimum of "
        "4 cycles of a platinum-containing regimen",
        "Progression more than 6 months after the start of initial chemotherapy treatment",  # NCT00113607 (S006)
    ],
)
def test_a_time_after_an_event_is_no_recency_window_of_the_progression(line: str) -> None:
    (fact,) = _item("Inclusion", line, PROGRESSION)
    assert fact.polarity is Polarity.REQUIRE and fact.values.within is None


@pytest.mark.parametrize(
    "line",
    [
        "KRAS, BRAF and PI3K wild type in primary tumor or metastatic tissue.",  # NCT01038037 (S066)
        # NCT00471718 (S021)
        "Patients must have received prior therapy with docetaxel alone or in combination with either prednisone or "
        "estramustine. This therapy may have been given in a neoadjuvant, adjuvant or metastatic setting",
    ],
)
def test_a_specimens_origin_or_a_list_of_settings_asks_no_extent(line: str) -> None:
    _check(_item("Inclusion", line, EXTENT), NONE)


def test_a_therapy_in_the_metastatic_setting_alone_still_implies_metastatic_disease() -> None:
    # NCT00679211 (S127): the two lines "in the metastatic setting" imply it; the list with adjuvant does not
    line = (
        "Prior treatment with an anthracycline, trastuzumab, a taxane, lapatinib, and capecitabine in the neoadjuvant, "
        "adjuvant, locally advanced, or metastatic setting and prior treatment with at least two lines of therapy (a "
        "line of therapy can be a combination of two agents or single-agent chemotherapy) in the metastatic setting"
    )
    (fact,) = _item("Inclusion", line, EXTENT)
    assert fact.polarity is Polarity.REQUIRE and fact.values.any_of == ("metastatic",)


def test_a_gene_spelled_out_after_wild_type_is_not_asked_mutated() -> None:
    # NCT02613221 (S371)
    line = (
        "Participants classified as KRAS/NRAS wild-type** by KRAS/NRAS testing*. *: KRAS/NRAS test will be performed "
        "using the in vitro diagnostic listed in the National Health Insurance. **: Participants with no mutation in "
        "any of the codons shown below are considered wild type. KRAS: EXON2 (codon 12, 13), EXON3 (codon 59, 61), "
        "EXON4 (codon 117, 146) NRAS: EXON2 (codon 12, 13), EXON3 (codon 59, 61), EXON4 (codon 117, 146)"
    )
    facts = _item("Inclusion", line, BIOMARKER)
    assert {(f.values.gene, f.polarity) for f in facts} == {
        ("gene.kras", Polarity.EXCLUDE),
        ("gene.nras", Polarity.EXCLUDE),
    }


def test_brain_metastases_as_one_of_two_alternatives_is_uncertain() -> None:
    # NCT01596127 (S042, S138, S290): the lymphoid malignancy is the trial's cancer
    line = (
        "Patients must have relapsed or refractory CD20+ lymphoid malignancies with either documented CNS involvement "
        "or peripheral nerve infiltration."
    )
    _check(_item("Inclusion", line, BRAIN), UNCERTAIN)
    (site,) = _item("Inclusion", line, SITE)
    assert site.values.sites == ("site.blood",)


def test_evaluable_but_not_measurable_disease_in_an_inclusion_is_uncertain() -> None:
    # NCT00513071 (S022)
    line = (
        "Progression of evaluable but not measurable disease assessed within 28 days prior to initial administration "
        "of drug for PSA evaluation and within 42 days for imaging studies (e.g., bone scans)"
    )
    _check(_item("Inclusion", line, MEASURABLE), UNCERTAIN)


@pytest.mark.parametrize(
    ("line", "site"),
    [
        # NCT02344810 (S070), NCT00878657 (S166)
        ("Adenocarcinoma or poorly differentiated carcinoma of the stomach, esophagus or gastroesophageal (GE) "
         "junction", "site.stomach"),
        ("Pathologically confirmed adenocarcinoma or poorly differentiated carcinoma of the pancreas, ampulla of "
         "Vater, or distal bile duct", "site.pancreas"),
    ],
)  # fmt: skip
def test_a_histology_of_another_organ_is_that_organs_cancer(line: str, site: str) -> None:
    _check(_item("Inclusion", line, HISTOLOGY), NONE)
    (fact,) = _item("Inclusion", line, SITE)
    assert fact.values.sites == (site,)


@pytest.mark.parametrize(
    ("line", "sites"),
    [
        # NCT02359058: the esophageal cancer named is the excluded one
        ("A histopathologically or cytologically confirmed diagnosis of gastric or gastroesophageal junction (GEJ) "
         "adenocarcinoma which is metastatic or locally advanced and unresectable. A participant with esophageal "
         "cancer is not eligible.", ("site.stomach",)),
        # NCT02255461: the trial's tumours, not the excluded low grade gliomas
        ("Histologically confirmed Rb1 positive primary recurrent, progressive, or refractory central nervous system "
         "tumors; patients with low grade gliomas are excluded", ("site.brain",)),
    ],
)  # fmt: skip
def test_a_cancer_named_as_excluded_is_not_the_one_the_trial_is_for(line: str, sites: tuple[str, ...]) -> None:
    (fact,) = _item("Inclusion", line, SITE)
    assert fact.polarity is Polarity.REQUIRE and fact.values.sites == sites
    assert "glioma" not in fact.evidence and "esophageal" not in fact.evidence


def test_a_lymphoma_given_as_an_example_of_any_cancer_names_no_site() -> None:
    # NCT01115803: a dose escalation open to any advanced cancer
    line = (
        "Dose Escalation portion (Part 1): have histological or cytological evidence of a diagnosis of cancer that is "
        "advanced and/or metastatic disease (including Non-Hodgkin's Lymphoma) for which no proven effective therapy "
        "exists."
    )
    _check(_item("Inclusion", line, SITE), NONE)
    _check(_item("Inclusion", line, HISTOLOGY), NONE)


# --- Review (revreasons) ------------------------------------------------------------------------------------------


def test_a_histology_joined_to_another_organs_shares_its_organ() -> None:
    # NCT01445405 (a head and neck trial): "undifferentiated/" is of the same head and neck carcinoma, no anaplastic
    # thyroid carcinoma (a poorly differentiated thyroid patient would have been excluded by it alone)
    line = (
        "Histologically or cytologically confirmed squamous cell carcinoma, including variants, or "
        "undifferentiated/poorly differentiated carcinoma of the head and neck (any site, except nasopharynx)."
    )
    _check(_item("Inclusion", line, HISTOLOGY), NONE)


def _condition_outcome(text: str, condition: str) -> tuple[Outcome, str]:
    criteria = parse_text("Exclusion Criteria:\n\n  -  " + text + "\n")
    profile = {"id": "p", "conditions": [{"name": condition, "status": "active"}]}
    result = match_trial(TrialInfo("NCT00000000", "t", "RECRUITING", ()), criteria, parse_patient(profile).patient,
                         date(2026, 11, 26), load_knowledge()).results[0]  # fmt: skip
    return result.outcome, result.reason


@pytest.mark.parametrize(
    ("text", "other", "own"),
    [
        # NCT00421889, NCT00351039, NCT00345189
        ("Bowel obstruction or impending bowel obstruction.", "tracheal obstruction", "small bowel obstruction"),
        ("History of abdominal fistula, gastrointestinal perforation, or intra-abdominal abscess within 6 months prior "
         "to Day 1.", "arteriovenous fistula", "enterocutaneous fistula"),
        ("Gastrointestinal diseases including gastritis, ulcerative colitis, Crohn's disease, or hemorrhagic "
         "coloproctitis", "immune-related colitis", "Crohn's disease"),
    ],
)  # fmt: skip
def test_a_gastrointestinal_condition_is_matched_by_the_guts_own_words(text: str, other: str, own: str) -> None:
    assert _condition_outcome(text, other)[0] is Outcome.UNKNOWN  # an airway's obstruction, a dialysis fistula
    assert _condition_outcome(text, own)[0] is Outcome.VIOLATED


def test_a_lymphoma_named_as_what_involves_the_marrow_names_no_site() -> None:
    # NCT00625729: a waiver for the patients whose marrow the disease involves, not the cancer the trial is for (in a
    # trial for solid tumours as well it would have read "trial is for a blood cancer")
    line = (
        "Hematologic: platelets ≥ 80,000 x 10^9/L; hemoglobin ≥ 9g/dL, unsupported by transfusions; absolute "
        "neutrophil count (ANC) ≥ 1000 x 10^9/L, unsupported by granulocyte-colony stimulating factor or "
        "granulocyte-macrophage colony-stimulating factor (G-CSF or GM-CS)F for 10 days or Neulasta for 21 days - the "
        "hematologic requirements are waived for patients with inadequate counts due to known bone marrow involvement "
        "by lymphoma who are otherwise eligible"
    )
    _check(_item("Inclusion", line, SITE), NONE)
    _check(_item("Inclusion", line, HISTOLOGY), NONE)


def test_patients_ineligible_for_a_therapy_are_not_an_excluded_cancer() -> None:
    # NCT00963872: "who are ineligible for an autologous transplant" says which patients of these blood cancers the
    # trial takes, not that the cancers named are excluded
    line = (
        "Large-cell lymphoma, Hodgkin's lymphoma and multiple myeloma: patients with chemotherapy sensitive disease "
        "that has failed or who are ineligible for an autologous transplant."
    )
    (fact,) = _item("Inclusion", line, SITE)
    assert fact.values.sites == ("site.blood",)


@pytest.mark.parametrize(
    "line",
    [
        "Disease progression within 6 months after the last treatment.",  # NCT03042611
        # NCT01471847, NCT02107703: read as a window counted from today before, dropped by the branch
        "Progression while on or within 4 weeks since the last infusion of trastuzumab (or T-DM1) in the locally "
        "advanced or metastatic setting",
        "relapsed with radiologic evidence of progression within 1 year from completion of adjuvant endocrine "
        "therapy, with no subsequent endocrine therapy received following progression",
    ],
)
def test_a_window_within_a_time_after_an_event_is_kept_and_uncertain(line: str) -> None:
    # "within N after <event>" limits when the progression came (a platinum-resistant or endocrine-resistant
    # definition), so it is no looser requirement to drop; the profile cannot date it against that event
    (fact,) = _item("Inclusion", line, PROGRESSION)
    assert fact.values.within is not None and fact.uncertain and "not from today" in fact.uncertain


# NCT01679041 (fresh sample 12 S043, S149, S291, S393)
_NOT_OVER = (
    "Baseline serum creatinine must be <1.5 mg/dL, left ventricular ejection fraction >55%, adequate pulmonary "
    "functions (oxygen saturation at room air of >90%), and AST and ALT not > 2x upper limits of normal, and no "
    "history of previous or active malignancy, except for localized cutaneous basal or squamous cell carcinoma in "
    "situ of the cervix"
)


def test_a_bare_not_before_a_limit_excludes_what_is_over_it() -> None:
    facts = _item("Inclusion", _NOT_OVER, LAB)
    liver = [f for f in facts if f.rule in ("lab.ast", "lab.alt")]
    assert len(liver) == 2
    for fact in liver:
        assert fact.polarity is Polarity.EXCLUDE and fact.uncertain is None
        assert fact.values.op == ">" and fact.values.uln_multiple == 2.0
