"""Histology words of another organ's or tumour's name (issue 10; fresh sample 15's V037, V073, V231 and their
criteria; tests/audit/hist15_changes.txt): "undifferentiated/poorly differentiated carcinoma" among the variants of
a head-and-neck squamous cell carcinoma, "anaplastic Wilms' tumor", the lung's "large cell anaplastic carcinoma"
under an NSCLC lead-in are no anaplastic or poorly differentiated thyroid carcinoma. A thyroid histology is read only
where the text (or a lead-in above it) names the thyroid, or names no other organ or tumour. Each row quotes registry
text of the tuning corpora, with its trial; the kept rows must keep their reading."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.histology import HistologyValues
from matcher.eligibility.kinds.primary_site import PrimarySiteValues
from tests.readings import NONE, UNCERTAIN, check, item_facts, line_facts

_HNSCC = (
    "Histologically or cytologically confirmed squamous cell carcinoma of the head and neck, including variants or "
    "undifferentiated/poorly differentiated carcinoma"
)  # NCT00629226 (V037, V082, V112, V157, V328; S126, T089, U182)


def test_head_and_neck_variants_are_that_cancers_not_thyroid_histologies() -> None:
    check(item_facts("Inclusion", _HNSCC, FactKind.HISTOLOGY), NONE)
    # what the trial is for: an anaplastic thyroid cancer patient no longer meets it (before: met, as anaplastic)
    sites = item_facts("Inclusion", _HNSCC, FactKind.PRIMARY_SITE)
    assert [(f.polarity, f.values.sites) for f in sites if isinstance(f.values, PrimarySiteValues)] == [
        (Polarity.REQUIRE, ("site.head_neck",))
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Diffuse anaplastic Wilms' tumor",  # NCT00003926 (V073; T035, T316, T367, U141, U372)
        "Primary cutaneous anaplastic large cell lymphoma",  # NCT00436618 (kept)
        "Anaplastic large cell lymphoma (T and null cell type)",  # NCT00436618 (kept)
        "Grade 3 follicular lymphoma",  # NCT00436618 (kept)
        "Anaplastic astrocytoma",  # NCT00679354 (kept)
        # NCT00679354 (kept)
        "High-grade astrocytoma not otherwise specified (i.e., anaplastic ganglioglioma, anaplastic mixed glioma, or "
        "anaplastic mixed glioneuronal tumors)",
        "Extra-ovarian papillary serous tumors eligible",  # NCT00003382 (kept)
    ],
)
def test_a_histology_word_before_another_tumour_is_that_tumours(line: str) -> None:
    check(item_facts("Inclusion", line, FactKind.HISTOLOGY), NONE)


# NCT00033553 (V231, V400; S241, U078, U112, U143, U229): the lung's large cell carcinoma under an NSCLC lead-in
_NSCLC = """DISEASE CHARACTERISTICS:

  -  Histologically or cytologically confirmed non-small cell lung cancer (NSCLC)

       -  Squamous cell carcinoma

       -  Adenocarcinoma, including bronchoalveolar cell carcinoma

       -  Large cell anaplastic carcinoma, including giant and clear cell carcinoma
"""


def test_a_sub_item_of_another_organs_lead_in_is_that_organs_subtype() -> None:
    line = "Large cell anaplastic carcinoma, including giant and clear cell carcinoma"
    check(line_facts(_NSCLC, line, FactKind.HISTOLOGY), NONE)
    lead = line_facts(_NSCLC, "Histologically or cytologically confirmed non-small cell lung cancer (NSCLC)",
                      FactKind.PRIMARY_SITE)  # fmt: skip
    assert [f.values.sites for f in lead if isinstance(f.values, PrimarySiteValues)] == [("site.lung",)]


# NCT01118065, a thyroid trial filed under "Head and Neck Cancer": a thyroid lead-in keeps its sub-items' histologies
_THYROID_SUBTYPES = """DISEASE CHARACTERISTICS:

  -  Meeting any of the following thyroid cancer subtypes:

       -  Differentiated thyroid cancer (i.e., papillary, follicular, or Hurthle cell
          disease) that is radio-iodine refractory

       -  Undifferentiated thyroid cancer (i.e., anaplastic disease)

       -  Medullary thyroid cancer
"""


@pytest.mark.parametrize(
    ("line", "histologies"),
    [
        ("Undifferentiated thyroid cancer (i.e., anaplastic disease)", ("hist.anaplastic",)),
        ("Medullary thyroid cancer", ("hist.medullary",)),
    ],
)
def test_a_thyroid_lead_ins_sub_items_keep_their_histology(line: str, histologies: tuple[str, ...]) -> None:
    check(line_facts(_THYROID_SUBTYPES, line, FactKind.HISTOLOGY),
          [(Polarity.REQUIRE, HistologyValues(histologies), None)])  # fmt: skip


@pytest.mark.parametrize(
    ("line", "histologies"),
    [
        # NCT03199677 (kept): "undifferentiated carcinoma" of a criterion that names the thyroid
        (
            "The pathologic subtype of thyroid carcinoma, which was confirmed by histopathological histology, included "
            "iodine refractory thyroid papillary carcinoma and follicular carcinoma, medullary thyroid carcinoma and "
            "undifferentiated carcinoma.",
            ("hist.papillary", "hist.follicular", "hist.medullary", "hist.anaplastic"),
        ),
        # NCT00115739 (kept)
        (
            "Patients with histologically confirmed anaplastic thyroid carcinoma, who have measurable disease.",
            ("hist.anaplastic",),
        ),
    ],
)
def test_thyroid_histologies_keep_their_reading(line: str, histologies: tuple[str, ...]) -> None:
    check(item_facts("Inclusion", line, FactKind.HISTOLOGY), [(Polarity.REQUIRE, HistologyValues(histologies), None)])


@pytest.mark.parametrize(
    "line",
    [
        "No undifferentiated small cell (oat cell or high-grade neuroendocrine) carcinoma",  # NCT00023673
        "Squamous cell or undifferentiated gastric cancer",  # NCT02370498
        "Mixed histology or undifferentiated small cell carcinoma, any stage",  # NCT01411098
    ],
)
def test_an_excluded_histology_of_another_organ_stays_doubted(line: str) -> None:
    check(item_facts("Exclusion", line, FactKind.HISTOLOGY), UNCERTAIN)
