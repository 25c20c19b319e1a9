"""tki23: a "TKI" line of a trial of the patient's own cancer may count her BRAF or MEK inhibitor, so it is uncertain,
not unmet, for a patient who had dabrafenib with trametinib (fresh sample 30's AK389); in another cancer's trial the
TKI stays that cancer's (AK260, AK372 stay violated). A requirement of a therapy progressed on names the therapy she
had but did not progress on (AN055), and a requirement of several therapies within a window says which she never had
(AI034, AJ045). Issue 10, item 3."""

from __future__ import annotations

from typing import Any

from matcher.eligibility.criteria import Criterion, FactKind
from matcher.eligibility.parser import StructuredFields, parse_text
from matcher.matching.evaluate import Outcome, TrialInfo
from tests.readings import facts_of, list_text
from tests.test_issue10_examples import outcome, patient, registry_criteria

LOOSE = ("class.braf_inhibitor", "class.mek_inhibitor")

# NCT03246958 (nivolumab plus ipilimumab in thyroid cancer), the registry's words
OVER_65 = (
    "Any line of prior treatment for patients under 65y, over 65y must have at least one prior line of TKI treatment"
)
# NCT02078960 (CML, conditions "chronic myeloid leukemia")
CML_FAILURE = "TKI treatment failure will be defined as 1 of the following:"
CML_TEXT = list_text(
    "The patient has a confirmed diagnosis of Philadelphia chromosome (Ph) positive chronic myelogenous leukemia in "
    "either CP or AP.",
    "The patient has either failed, demonstrated intolerance, or a combination of prior failure and intolerance, to "
    "prior treatments with at least 2 tyrosine kinase inhibitors (TKI's).",
    CML_FAILURE,
)
# NCT02819804 (Ph+ ALL)
ALL_LINE = (
    "Patients must have primary refractory ALL based on failure to achieve a hematologic or molecular remission after "
    "induction therapy with dasatinib and steroids or dasatinib and chemotherapy, or have relapsed after treatment "
    "with a tyrosine kinase inhibitor with or without chemotherapy"
)
ALL_TEXT = list_text("Patients must have a histologically confirmed diagnosis of Ph+ ALL", ALL_LINE)
# NCT01034631 (clear cell RCC, conditions "renal cell carcinoma")
VEGF_TKIS = "Progressive disease after 1-2 prior VEGF-directed tyrosine kinase inhibitors (TKIs)."
RCC_TEXT = list_text(
    "Histological or cytological proof of component (any percent) of clear cell RCC (renal cell carcinoma).",
    "Metastatic or locally advanced unresectable RCC. NOTE: Prior nephrectomy is not mandatory.",
    VEGF_TKIS,
)
# NCT00310076 (peritoneal carcinomatosis of colorectal or appendiceal cancer)
IPHC = "Underwent cytoreductive surgery and intraperitoneal hyperthermic chemotherapy (IPHC) within the past 12 weeks"


def _trial(text: str, *conditions: str) -> tuple[TrialInfo, tuple[Criterion, ...]]:
    criteria = parse_text(text, StructuredFields(conditions=conditions))
    return TrialInfo("NCT00000000", "tki23", "RECRUITING", ("PHASE2",)), tuple(criteria)


def _therapy_values(trial: tuple[TrialInfo, tuple[Criterion, ...]], start: str) -> list[Any]:
    found = [c for c in trial[1] if " ".join(c.text.split()).startswith(start)]
    assert len(found) == 1, found
    return [f.values for f in facts_of(found[0], FactKind.PRIOR_THERAPY)]


def _braf_mek(**changes: Any) -> dict[str, Any]:
    """A 68-year-old on dabrafenib with trametinib since 2026-09-24 (as the anaplastic example profile)."""
    base = patient()["therapies"][:2]
    kinase = [
        {"name": name, "kind": "systemic", "start": "2026-09-24", "best_response": "PR"}
        for name in ("dabrafenib", "trametinib")
    ]
    return patient(birth_date="1958-05-01", therapies=[*base, *kinase], **changes)


# --- AK389: "TKI" in a thyroid trial ----------------------------------------------------------------------------


def test_a_tki_line_of_a_thyroid_trial_may_count_braf_and_mek_inhibitors() -> None:
    trial = registry_criteria("NCT03246958")
    assert [v.maybe_classes for v in _therapy_values(trial, "Any line of prior treatment")] == [LOOSE]
    found = outcome(trial, "Any line of prior treatment", _braf_mek())
    assert found.outcome is Outcome.UNKNOWN, found
    assert found.reason.startswith(
        "reading uncertain: 'tyrosine kinase inhibitor' may be meant to count the patient's dabrafenib, trametinib"
    ), found.reason


def test_the_thyroid_tki_line_still_excludes_a_68_year_old_with_no_kinase_inhibitor() -> None:
    trial = registry_criteria("NCT03246958")
    doc = patient(birth_date="1958-05-01", therapies=patient()["therapies"][:2])
    assert outcome(trial, "Any line of prior treatment", doc).outcome is Outcome.VIOLATED


def test_the_thyroid_tki_line_is_met_by_lenvatinib() -> None:
    trial = registry_criteria("NCT03246958")
    doc = patient(birth_date="1958-05-01")
    assert outcome(trial, "Any line of prior treatment", doc).outcome is Outcome.SATISFIED


# --- AK260, AK372: "TKI" in a leukaemia trial stays strict ---------------------------------------------------------


def test_a_tki_line_of_a_cml_trial_stays_strict() -> None:
    trial = _trial(CML_TEXT, "chronic myeloid leukemia")
    assert [v.maybe_classes for v in _therapy_values(trial, CML_FAILURE)] == [()]
    assert outcome(trial, CML_FAILURE, _braf_mek()).outcome is Outcome.VIOLATED


def test_a_tki_line_of_an_all_trial_stays_strict() -> None:
    trial = _trial(ALL_TEXT, "b acute lymphoblastic leukemia with t(9;22)(q34;q11.2); bcr-abl1")
    assert all(not v.maybe_classes for v in _therapy_values(trial, "Patients must have primary refractory ALL"))
    assert outcome(trial, "Patients must have primary refractory ALL", _braf_mek()).outcome is Outcome.VIOLATED


def test_a_tki_line_of_a_trial_that_names_no_cancer_stays_strict() -> None:
    trial = _trial(list_text(OVER_65))
    assert [v.maybe_classes for v in _therapy_values(trial, "Any line of prior treatment")] == [()]


def test_a_vegf_directed_tki_is_not_loosened() -> None:
    trial = _trial(list_text("Differentiated thyroid cancer.", VEGF_TKIS), "Thyroid Cancer")
    assert [v.maybe_classes for v in _therapy_values(trial, "Progressive disease after")] == [()]


# --- AN055: a therapy had, not progressed on, is named --------------------------------------------------------------


def test_a_vegf_tki_stopped_for_toxicity_is_named_not_denied() -> None:
    nexavar = {
        "name": "Nexavar",
        "kind": "systemic",
        "start": "2021-03-01",
        "end": "2023-05-10",
        "best_response": "SD",
        "reason_stopped": "toxicity",
    }
    doc = patient(therapies=[*patient()["therapies"][:2], nexavar])
    found = outcome(_trial(RCC_TEXT, "renal cell carcinoma"), "Progressive disease after", doc)
    assert found.outcome is Outcome.VIOLATED
    # the TKIs an RCC trial asks are the kidney cancer's, not her Nexavar: the reason says so (r1), naming it
    assert found.reason.startswith("the therapy asked (1-2 tyrosine kinase inhibitor"), found.reason
    assert found.reason.endswith("not the patient's Nexavar (trial is for kidney cancer)"), found.reason


# --- AI034, AJ045: a requirement of several therapies within a window ---------------------------------------------


def test_a_required_surgery_and_chemotherapy_window_says_which_she_never_had() -> None:
    doc = patient(therapies=patient()["therapies"][:2])
    trial = _trial(list_text(IPHC), "carcinoma of the appendix", "colorectal cancer")
    found = outcome(trial, "Underwent cytoreductive surgery", doc)
    assert found.outcome is Outcome.VIOLATED
    assert found.reason == (
        "no cytotoxic chemotherapy; last surgery (total thyroidectomy) ended 2018-06-01, more than 12 weeks ago"
    )
