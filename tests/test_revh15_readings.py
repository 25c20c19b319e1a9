"""Second reading of hist15 (issue 10; tests/audit/revh15_changes.txt): another organ's tumour named before a
histology word makes the word that tumour's variant only where no other site or subject comes between them, and an
excluded thyroid histology stays certain beside another tumour's word. These rows quote registry text of the tuning
corpora, with its trial, and must keep their reading; the texts the two guards change were found by probing (no
registry text in ../shared has them: the audit lists them)."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.histology import HistologyValues
from matcher.eligibility.kinds.primary_site import PrimarySiteValues
from tests.readings import NONE, UNCERTAIN, check, item_facts


def test_the_variants_named_after_their_organs_tumour_stay_that_organs() -> None:
    # NCT00629226: "including variants or" comes between, no other site or subject: the head and neck's variants
    line = (
        "Histologically or cytologically confirmed squamous cell carcinoma of the head and neck, including variants or "
        "undifferentiated/poorly differentiated carcinoma"
    )
    check(item_facts("Inclusion", line, FactKind.HISTOLOGY), NONE)
    site = PrimarySiteValues(("site.head_neck",), ("head and neck squamous cell cancer",))
    check(item_facts("Inclusion", line, FactKind.PRIMARY_SITE), [(Polarity.REQUIRE, site, None)])


def test_an_apud_tumour_list_keeps_the_thyroids_medullary_carcinoma() -> None:
    # NCT00580320: "medullary carcinoma of the thyroid" before "small cell carcinoma of the lung" in one list; neither
    # the small cell after it nor the lung's carcinoma makes the medullary carcinoma another organ's
    line = (
        "Histologic diagnosis of cutaneous or mucosal melanoma, soft tissue sarcoma (STS), or an APUD (amine precursor "
        "uptake and decarboxylation) tumor. APUD tumors include parathyroid carcinoma, medullary carcinoma of the "
        "thyroid, small cell carcinoma of the lung, pheochromocytoma, islet cell tumors, carcinoid tumors, and "
        "malignant paraganglioma."
    )
    check(item_facts("Inclusion", line, FactKind.HISTOLOGY),
          [(Polarity.REQUIRE, HistologyValues(("hist.medullary",)), None)])  # fmt: skip


@pytest.mark.parametrize(
    ("line", "histologies"),
    [
        # NCT00984282: "lymphoma or sarcoma" beside the thyroid's subtypes; the exclusion stays certain
        (
            "Histologic subtypes of thyroid cancer other than differentiated (i.e. like anaplastic and medullary "
            "carcinoma, lymphoma or sarcoma)",
            ("hist.anaplastic", "hist.medullary", "hist.other"),
        ),
        # NCT01321554: "carcinoma of the thyroid" is no other organ's
        ("Anaplastic or medullary carcinoma of the thyroid", ("hist.anaplastic", "hist.medullary")),
        # NCT02472080
        (
            "Other histological subtypes of thyroid tumors: anaplastic, medullary, lymphoma or sarcoma",
            ("hist.anaplastic", "hist.medullary", "hist.other"),
        ),
    ],
)
def test_an_excluded_thyroid_histology_stays_certain(line: str, histologies: tuple[str, ...]) -> None:
    check(item_facts("Exclusion", line, FactKind.HISTOLOGY), [(Polarity.EXCLUDE, HistologyValues(histologies), None)])


def test_another_tumours_excluded_word_without_the_thyroid_stays_doubted() -> None:
    # NCT01411098: the criterion does not name the thyroid; the exclusion is left to its doubt
    check(item_facts("Exclusion", "Mixed histology or undifferentiated small cell carcinoma, any stage",
                     FactKind.HISTOLOGY), UNCERTAIN)  # fmt: skip
