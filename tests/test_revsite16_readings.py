"""revsite16 (tests/audit/revsite16_changes.txt): second reading of site 16's `primary_site.open_to_many`. Two baskets
it missed, so their conditions lists still said 'trial is for <cancer>' to a thyroid patient who may enter: a colon
that introduces assay methods, not a list of cancers (NCT02153905), and a phase 1 open to any non-haematological
malignancy beside a named cancer (NCT00445198). Every text is the registry's."""

from __future__ import annotations

from tests.readings import conditions_site_facts, list_text

# NCT02153905, inclusion 1 in full (site 16's test stopped before the colon)
MAGE_A3 = (
    "Metastatic or locally advanced refractory/recurrent cancer that expresses MAGE-A3 as assessed by one of the "
    "following methods: reverse transcription polymerase chain reaction (RT-PCR) on tumor tissue defined as 30,000 "
    "copies of MAGE-A3 per 106 glyceraldehyde 3-phosphate dehydrogenase (GAPDH) copies, or by immunohistochemistry of "
    "resected tissue defined as 10% or greater of tumor cells being 2-3+ for MAGE-A3, or serum antibody reactive with "
    "MAGE-A3. Metastatic cancer diagnosis will be confirmed by the Laboratory of Pathology at the National Cancer "
    "Institute (NCI)."
)


def test_a_colon_before_assay_methods_is_no_closed_list_of_cancers() -> None:
    facts = conditions_site_facts(
        list_text(MAGE_A3), "breast cancer", "cervical cancer", "renal cancer", "melanoma", "bladder cancer"
    )
    assert facts and all(f.uncertain and f.uncertain.startswith("another line lets many cancers in") for f in facts)


def test_a_phase_for_any_non_haematological_malignancy_beside_a_named_cancer() -> None:
    # NCT00445198: conditions small cell lung cancer; phase 1 also takes any non-haematological malignancy
    text = list_text(
        "Histologically and/or cytologically documented diagnosis of small cell lung cancer (North America & UK) or "
        "other non-hematological malignancy (North America only).(Phase 1 only)",
        "Histologically and/or cytologically documented diagnosis of SCLC.(Phase 2a)",
    )
    facts = conditions_site_facts(text, "small cell lung cancer", "small cell lung carcinoma")
    assert facts and all(f.uncertain for f in facts)


def test_a_non_haematological_malignancy_treated_before_opens_nothing() -> None:
    # NCT02109627 (an AML trial): a history, not a cancer the trial takes
    text = list_text(
        "Age >=18", "Treatment for non-hematologic malignancy greater than 6 months prior to enrollment is acceptable."
    )
    facts = conditions_site_facts(text, "acute myeloid leukemia", "relapsed acute myeloid leukemia")
    assert facts and not any(f.uncertain for f in facts)
