"""basket21 (tests/audit/basket21_changes.txt): relevance, issue 10 item 4. A phase that takes any solid tumour is a
basket even when "solid" is not right before the cancer word ("any solid/GI tumor", "solid, malignant tumour") or when
the line also names a cancer "with or without prior therapy": the conditions list or another phase's one-cancer line
no longer says 'trial is for <cancer>' to a thyroid patient, who may enter that phase (fresh sample 22's AC071).
Every text is the registry's."""

from __future__ import annotations

from matcher.eligibility.criteria import Fact, FactKind
from tests.readings import NONE, check, conditions_site_facts, line_facts, list_text

# NCT00460603 (conditions: colorectal neoplasms), inclusion 1 and 2
ANY_SOLID_GI = (
    "(Phase 1) Patients with any solid/GI tumor who have had no more than 1 previous chemotherapy for greater than 3 "
    "months prior to enrollment"
)
CRC_PHASE_2 = (
    "(Phase 2) Patients with locally advanced or metastatic colorectal cancer (CRC) previously untreated with any "
    "systemic therapy."
)
# NCT00900627 (conditions: neoplasms, breast neoplasms, breast cancer), inclusion 1
SOLID_MALIGNANT = (
    "Male/ female with solid, malignant tumour which is unresponsive to standard therapies (Phase I). Female patients "
    "with advanced breast cancer with low HER2 expression (Phase II)"
)
# NCT01039948, inclusion 3 and 4
PHASE_1B = (
    "Phase 1b (only): Diagnosis of one of the following unresectable NSCLC with or without prior therapy advanced "
    "solid tumor that progressed after standard therapy"
)
PHASE_2_LUNG = (
    "Phase 2 only: Histologic or cytologic confirmation of unresectable locally advanced or metastatic stage IIIB/IV "
    "lung adenocarcinoma with at least one measurable lesion, per Response Evaluation Criteria in Solid Tumors "
    "(RECIST-Version 1.1)."
)


def _doubted(facts: list[Fact]) -> bool:
    doubt = "another line lets many cancers in"
    return bool(facts) and all(f.uncertain is not None and f.uncertain.startswith(doubt) for f in facts)


def test_any_solid_slash_gi_tumour_is_a_basket_beside_a_one_cancer_conditions_list() -> None:
    # AC071: phase 1 takes any solid or GI tumour; the conditions list (colorectal) is phase 2's cancer
    text = list_text(ANY_SOLID_GI, CRC_PHASE_2)
    assert _doubted(conditions_site_facts(text, "colorectal neoplasms"))
    assert _doubted(line_facts(text, CRC_PHASE_2, FactKind.PRIMARY_SITE))
    check(line_facts(text, ANY_SOLID_GI, FactKind.PRIMARY_SITE), NONE)


def test_a_one_cancer_trial_stays_closed() -> None:
    # NCT01075048 (conditions: metastatic colorectal cancer), inclusion 1: its phase 1 takes more prior therapy, not
    # more cancers
    text = list_text(
        "Participants with surgically unresectable locally advanced or metastatic disease who have received one prior "
        "line of chemotherapy. (The Phase 1 portion of the study will be open for enrollment for subjects who received "
        "1 or more prior therapies). Both relapsed and refractory CRC are allowed.",
        "All participants must express the wild-type form of the gene KRAS.",
    )
    facts = conditions_site_facts(text, "metastatic colorectal cancer")
    assert facts and not any(f.uncertain for f in facts)


def test_solid_comma_malignant_tumour_is_a_basket_on_its_own_line() -> None:
    # phase I takes any solid, malignant tumour; the breast cancer is phase II's
    check(line_facts(list_text(SOLID_MALIGNANT, "Suitable for paclitaxel chemotherapy"), SOLID_MALIGNANT,
                     FactKind.PRIMARY_SITE), NONE)  # fmt: skip


def test_with_or_without_prior_therapy_is_no_history_of_the_solid_tumour() -> None:
    # phase 1b takes an advanced solid tumour that progressed after standard therapy; phase 2 is for lung cancer
    text = list_text("Asian ethnicity.", "ECOG performance status of 0-2.", PHASE_1B, PHASE_2_LUNG)
    assert _doubted(line_facts(text, PHASE_2_LUNG, FactKind.PRIMARY_SITE))


def test_a_prior_solid_tumour_still_opens_nothing() -> None:
    # NCT00115765 (conditions: colorectal cancer): a history of another solid tumour, not a cancer the trial takes
    text = list_text(
        "Adenocarcinoma of the colon or rectum",
        "Metastatic colorectal cancer (mCRC)",
        "If history of other primary cancer, subject will be eligible only if she or he has:",
        "Curatively resected non-melanomatous skin cancer;",
        "Curatively treated cervical carcinoma in situ;",
        "Other primary solid tumor curatively treated with no known active disease present",
    )
    facts = conditions_site_facts(text, "colorectal cancer")
    assert facts and not any(f.uncertain for f in facts)
