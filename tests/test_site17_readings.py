"""site17 (tests/audit/site17_changes.txt): a trial for another cancer is 'trial is for <cancer>' (issue 10 item 4)
when its conditions list names that cancer beside supportive-care symptoms or a bare "carcinoma", and named primary
brain tumours are a site of their own. Baskets and generic words alone still decide nothing. Every list and text is
the registry's."""

from __future__ import annotations

from matcher.eligibility.kinds.primary_site import PrimarySiteValues, from_conditions
from tests.readings import conditions_site_facts, list_text


def _sites(*conditions: str) -> tuple[str, ...] | None:
    fact = from_conditions(list(conditions))
    if fact is None:
        return None
    assert isinstance(fact.values, PrimarySiteValues) and not fact.uncertain
    return fact.values.sites


def test_symptoms_beside_a_named_cancer_leave_it_deciding() -> None:
    assert _sites("colorectal cancer", "chemotherapy-induced neutropenia") == ("site.colorectal",)  # NCT02251977
    assert _sites("breast cancer", "nausea and vomiting") == ("site.breast",)  # NCT00719173
    assert _sites("breast cancer", "nausea", "vomiting") == ("site.breast",)  # NCT01649258
    assert _sites("neutropenia", "breast cancer") == ("site.breast",)  # NCT02643420


def test_a_bare_carcinoma_beside_named_cancers_leaves_them_deciding() -> None:
    # NCT01253681
    assert _sites("carcinoma", "fallopian tube cancer", "ovarian cancer", "primary peritoneal cancer") == (
        "site.ovary",
    )
    assert _sites("non-small cell lung cancer", "carcinoma", "nsclc") == ("site.lung",)  # NCT02898116


def test_ovarian_histologies_are_the_ovary() -> None:
    # NCT01116648
    assert _sites(
        "ovarian endometrioid adenocarcinoma",
        "ovarian serous adenocarcinoma",
        "ovarian serous surface papillary adenocarcinoma",
        "recurrent breast carcinoma",
        "recurrent fallopian tube carcinoma",
        "recurrent ovarian carcinoma",
        "recurrent primary peritoneal carcinoma",
        "triple-negative breast carcinoma",
    ) == ("site.ovary", "site.breast")


def test_primary_brain_tumours_are_a_site() -> None:
    # NCT00095940
    assert _sites(
        "recurrent childhood anaplastic astrocytoma",
        "recurrent childhood brain stem glioma",
        "recurrent childhood ependymoma",
        "recurrent childhood giant cell glioblastoma",
        "recurrent childhood glioblastoma",
        "recurrent childhood gliosarcoma",
        "recurrent childhood medulloblastoma",
        "recurrent childhood oligodendroglioma",
    ) == ("site.brain",)
    # NCT01339039
    assert _sites(
        "high grade glioma: glioblastoma (gbm)",
        "high grade glioma: gliosarcoma",
        "anaplastic astrocytoma (aa)",
        "anaplastic oligodendroglioma (ao)",
        "mixed anaplastic oligoastrocytoma (aoa)",
    ) == ("site.brain",)


def test_what_still_decides_nothing() -> None:
    assert _sites("carcinoma") is None  # nothing named
    assert _sites("cancer", "breast cancer") is None  # NCT00082433: a generic "cancer" is not read as a side word
    # NCT00900627: phase I takes any "solid, malignant tumour"
    assert _sites("neoplasms", "breast neoplasms", "breast cancer") is None
    # NCT01034592 is for Diamond-Blackfan anemia: anemia is the disease, not a symptom beside leukemia
    assert _sites("anemia", "leukemia", "acute myeloid leukemia (aml)", "myelodysplastic syndromes (mds)") is None
    assert _sites("mucositis", "head and neck cancer") is None  # NCT00626639: "head and neck cancer" is no site yet


def test_a_basket_trial_gets_no_certain_site() -> None:
    # NCT01273155 names a solid tumour or lymphoma; the conditions list with "pain" beside cancers stays open
    text = list_text(
        "Patients must have histologically or cytologically confirmed (at original diagnosis or subsequent recurrence "
        "or progression) solid tumor or lymphoma that is metastatic, unresectable, progressive, or recurrent, and for "
        "which standard curative or palliative measures do not exist or are no longer effective."
    )
    facts = conditions_site_facts(text, "neoplasms", "lymphomas")
    assert all(f.uncertain for f in facts)
