"""Primary sites named in the forms the vocabulary missed (issue 10 §4; tests/audit/site15_changes.txt): an organ
noun after "of" ("adenocarcinoma of the prostate", "carcinoma of the breast", "adenocarcinoma of the pancreas"), the
organ noun before the cancer ("pancreas adenocarcinoma", "mammary carcinoma"), and the leukaemia abbreviations of a
disease line (AML, CML, CLL, MDS). Each row quotes registry text of the tuning corpora with the trial it came from."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.primary_site import PrimarySiteValues, from_conditions
from tests.readings import item_facts


def _sites(line: str) -> list[tuple[Polarity, tuple[str, ...], str | None]]:
    facts = item_facts("Inclusion", line, FactKind.PRIMARY_SITE)
    return [(f.polarity, f.values.sites, f.uncertain) for f in facts if isinstance(f.values, PrimarySiteValues)]


@pytest.mark.parametrize(
    ("line", "site"),
    [
        # NCT01918306 (triple-negative breast cancer; was 'possible' for thyroid patients)
        (
            "Clinical stage IV invasive mammary carcinoma, ER negative (defined as expression of ER in < 5% cells), "
            "PR negative (defined as expression of PR in < 5% cells), HER2 negative [acceptable FDA approved methods "
            "of HER2 analysis include IHC (0, 1+), fluorescence in situ hybridization (FISH) with HER2/CEN-17 ratio "
            "<2, and/or chromogenic in situ hybridization (CISH)] with HER2/CEN-17 ratio <2, as previously "
            "documented by histological analysis.",
            "site.breast",
        ),
        # NCT00169104
        ("All patients must have pathological confirmation of carcinoma of the breast.", "site.breast"),
        # NCT02184195 (a pancreatic maintenance trial; was 'possible')
        (
            "Histologically or cytologically confirmed pancreas adenocarcinoma receiving initial chemotherapy for "
            "metastatic disease and without evidence of disease progression on treatment",
            "site.pancreas",
        ),
        # NCT00088894
        (
            "Histologic or cytologic documentation of adenocarcinoma of the pancreas; documentation of disease "
            "extent by CT scan is required; radiologically measurable disease is not required",
            "site.pancreas",
        ),
        # NCT00096304
        ("Histologically confirmed adenocarcinoma of the prostate", "site.prostate"),
        # NCT00290615
        ("Histologically confirmed adenocarcinoma of the colon or rectum", "site.colorectal"),
        # NCT00062387
        ("Histologically or cytologically confirmed squamous cell cancer of the head and neck", "site.head_neck"),
        # NCT01231581: "Response Evaluation Criteria in Solid Tumors" names the response criteria, no basket
        (
            "Histologically or cytologically confirmed diagnosis of metastatic (Stage IV) adenocarcinoma of the "
            "pancreas with measurable or non-measurable disease per Response Evaluation Criteria in Solid Tumors "
            "(RECIST) 1.1",
            "site.pancreas",
        ),
        # NCT00090051
        ("Established diagnosis of B-cell CLL by NCI Working Group criteria", "site.blood"),
        # NCT02348489
        (
            "Cytologically or histologically confirmed diagnosis of AML (except M3 acute promyelocytic leukemia) "
            "according to World Health Organization (WHO) classification.",
            "site.blood",
        ),
    ],
)
def test_another_primary_site_is_read(line: str, site: str) -> None:
    assert _sites(line) == [(Polarity.REQUIRE, (site,), None)]


@pytest.mark.parametrize(
    "line",
    [
        # NCT00633087: a basket in its phase I part, whatever the phase II part names
        "Patients with any histologically proven metastatic solid tumor malignancy, without a standard option of "
        "therapy will be eligible for the Phase I portion of this trial. Patients with prostate cancer with "
        "metastatic disease, and progression after initial hormonal therapy will be eligible for both the Phase I "
        "and II portion of this trial. Phase II patients must have either measurable disease or a PSA value > 5 "
        "ng/ml.",
        # NCT00411762: other solid malignancies allowed in phase I
        "Men or women ≥18 years of age with either a histologic or cytologic diagnosis of locally advanced or "
        "metastatic pancreatic adenocarcinoma. However, patients with other solid malignancies will be allowed to "
        "participate during the dose escalating Phase I part of the study, who had failed to respond to standard "
        "therapy or for which no standard therapy exists.",
        # NCT00602576: another malignancy's exceptions name no trial site
        "No other concurrent malignancies, except basal cell or squamous cell skin cancer, carcinoma in situ of the "
        "cervix, or ductal or lobular carcinoma in situ of the breast",
    ],
)
def test_baskets_and_other_malignancies_stay_open(line: str) -> None:
    assert _sites(line) == []


def test_conditions_with_the_new_names() -> None:
    # NCT02184195's conditions name a gene line that is no site: the list says nothing sure, the text decides
    assert from_conditions(["germline brca1/2 mutations and", "metastatic adenocarcinoma of the pancreas"]) is None
    # NCT01918306
    fact = from_conditions(
        [
            "estrogen receptor negative breast cancer",
            "human epidermal growth factor 2 negative carcinoma of breast",
            "triple negative breast cancer",
            "recurrent breast cancer",
            "stage iv breast cancer",
            "triple-negative breast cancer",
        ]
    )
    assert fact is not None and isinstance(fact.values, PrimarySiteValues)
    assert fact.values.sites == ("site.breast",)


@pytest.mark.parametrize(
    "line",
    [
        # NCT00275080: a group's permission
        "Patients with AML, ALL, or CML-BC who have cerebral spinal fluid involvement may be included",
        "Patients with previously untreated AML who refuse induction chemotherapy allowed",
        # NCT02044796
        "For patients with relapsed/refractory disease: patients may have previously received chemotherapy with a "
        "mitoxantrone- or cladribine-based regimen for MDS or AML; if that patient has received G-CLAM before and "
        "has been sensitive to this regimen, eligibility will be determined on a case by case basis",
        # NCT02370888: a condition for the AML group
        "For AML subjects, they must have a documented CR within 45 days prior to allo-HCT;",
    ],
)
def test_a_groups_permission_or_condition_names_no_trial_site(line: str) -> None:
    assert _sites(line) == []


def test_who_the_trial_takes_stays() -> None:
    # NCT02212561: "are eligible at ..." says who the trial takes
    line = (
        "Patients with AML, MPAL or MDS are eligible at first or subsequent relapse, whereas patients with ALL are "
        "eligible at second or subsequent relapse or any relapse that is refractory to salvage chemotherapy."
    )
    assert _sites(line) == [(Polarity.REQUIRE, ("site.blood",), None)]


@pytest.mark.parametrize(
    "line",
    [
        # NCT01220297 (S099): the AML group's band, beside the trial's "age 2 to 60 years"
        "AML, in first or subsequent remission or relapsed/refractory disease, age 51 to 60 years of age",
        # NCT00351975 (AML; was 'possible'; its "1 of the following" diagnosis list flags it)
        "Evidence of AML associated with dysplasia on bone marrow histology for elderly patients (i.e., > 60 years "
        "old) who are previously untreated and not candidates for or unwilling to undergoing induction therapy",
    ],
)
def test_an_older_groups_disease_line_is_uncertain(line: str) -> None:
    found = _sites(line)
    assert len(found) == 1 and found[0][1] == ("site.blood",) and found[0][2], found
