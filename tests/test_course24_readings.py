"""course24: in a trial for another cancer, a line about that cancer's course (its progression, its regimens) fails
a thyroid patient because the trial is not hers, not because of her own disease or drug. The outcome stays violated
(the audit's rulings: "trial is for <cancer>" is right, and a required therapy of that cancer is one she lacks); the
reason says the course asked is the trial's cancer's ("the progression asked is of the trial's cancer (trial is for
prostate cancer)"), not "disease not progressing" or "prior Lenvima ..., progressed (trial: 2+ systemic therapy ...)"
(fresh samples 33-34's AN178, AN224, AO018, AO144, AO222, AO228, AO390, AO056: outcome right, reason wrong). A line
that names another cancer in a trial that does not say it is for one keeps the cancer it names ("Ph+ CML patients who
are resistant ... or intolerant to imatinib"). In a thyroid trial the same lines still answer with her own
progression and drugs. Issue 10, item 3."""

from __future__ import annotations

from typing import Any

from matcher.eligibility.criteria import Criterion, FactKind
from matcher.eligibility.parser import StructuredFields, parse_text
from matcher.matching.evaluate import Outcome, TrialInfo
from tests.readings import facts_of, line_criterion, list_text
from tests.test_issue10_examples import outcome, patient

# the registry's words
# NCT02294461 (prostate; conditions "progressive metastatic prostate cancer"): AN224
PROSTATE = (
    "Histologically confirmed adenocarcinoma of the prostate without neuroendocrine differentiation or small cell "
    "features"
)
DESPITE_ADT = (
    "Progressive disease despite androgen deprivation therapy as defined by rising PSA levels or progressive soft "
    "tissue or bone disease"
)
# NCT01717898 (prostate, "castrate-resistant prostate cancer"): AO144
PCWG2 = "Progressive disease as demonstrated by a rising PSA or radiographic progression per PCWG2 criteria."
# NCT00567879 (HER2+ breast, "breast cancer"): AO018
HER2_BREAST = "Confirmed HER2+ ve metastatic breast cancer"
ON_TRASTUZUMAB = "Prior treatment and progression on trastuzumab"
# NCT02482753 (HR+ breast, "breast cancer"): AO228
AFTER_ENDOCRINE = (
    "Disease progression or recurrence after at least one endocrine therapy (either in advanced/metastatic setting or "
    "adjuvant setting);"
)
# NCT02477644 (ovarian, "ovarian cancer"): AO222, an exclusion of progression
OVARIAN = (
    "I-3. Patient with newly diagnosed I-3-1 Ovarian cancer, primary peritoneal cancer and/or fallopian-tube cancer,"
)
NO_PROGRESSION = (
    "I-6. Patient must be prior to randomization without evidence of disease (NED) or in complete response (CR) or "
    "partial response (PR) from her first line treatment. There should be no clinical evidence of disease progression "
    "(physical exam, imagery, CA 125) throughout her first line treatment and prior to study randomization."
)
# NCT00561418 (lymphoma after BEAM-conditioned transplantation; conditions "lymphoma", "small intestine cancer"): AO390;
# its first two subgroups, each with its first sub-items
LYMPHOMA = """DISEASE CHARACTERISTICS:

  -  Must have received a BEAM (cytarabine, etoposide, melphalan, carmustine)-conditioned
     autologous stem cell transplantation for any of the following high-risk lymphomas:

       -  Diffuse large B-cell lymphoma as defined by:

            -  Induction failure but with response to salvage therapy

            -  Relapse less than one year after completion of induction therapy

       -  Follicular lymphoma as defined by:

            -  Progressive disease after two or more prior regimens

            -  Transformed to aggressive lymphoma but still chemotherapy sensitive
"""
TWO_REGIMENS = "Progressive disease after two or more prior regimens"
# NCT01602952 (CML; its conditions list names no primary site the vocabulary reads as sure): AO056
PH_CML = (
    "Ph+ CML patients who are resistant at chronic, accelerate, and acute phase, or suboptimal responsive, or "
    "intolerant to imatinib or resistant or intolerant to at least one second-generation targeted anticancer agent "
    "while being resistant, suboptimal responsive, or intolerant to imatinib simultaneously."
)
# NCT01558492 (prostate): one line asks for the cancer and for its progression
PROGRESSIVE_PROSTATE = (
    "Subject must have progressive metastatic prostate cancer despite adequate medical or surgical castration "
    "therapy. Furthermore, if applicable, medical castration must be maintained for the duration of the protocol."
)
# a thyroid trial's same-shaped lines (NCT03690388: "Histologically or cytologically confirmed diagnosis of
# Differentiated Thyroid Cancer (DTC)")
THYROID = "Histologically or cytologically confirmed diagnosis of Differentiated Thyroid Cancer (DTC)"


def _trial(*items: str, conditions: tuple[str, ...] = ()) -> tuple[TrialInfo, tuple[Criterion, ...]]:
    criteria = parse_text(list_text(*items), StructuredFields(conditions=conditions))
    return TrialInfo("NCT00000000", "course24", "RECRUITING", ("PHASE2",)), tuple(criteria)


def _not_progressing() -> dict[str, Any]:
    return patient(disease={"progressing": False, "measurable": True, "brain_metastases": "none"})


def _nexavar_stopped_for_toxicity() -> dict[str, Any]:
    nexavar = {"name": "Nexavar", "kind": "systemic", "start": "2021-03-01", "end": "2023-05-10"}
    return patient(therapies=[*patient()["therapies"][:2], {**nexavar, "reason_stopped": "toxicity"}])


def test_a_prostate_trials_progression_is_the_prostate_cancers() -> None:
    trial = _trial(PROSTATE, DESPITE_ADT, conditions=("progressive metastatic prostate cancer",))
    found = outcome(trial, "Progressive disease despite", _not_progressing())
    assert found.outcome is Outcome.VIOLATED
    assert found.reason == "the progression asked is of the trial's cancer (trial is for prostate cancer)"
    assert "disease not progressing" not in found.reason
    found = outcome(_trial(PROSTATE, PCWG2), "Progressive disease as demonstrated", _not_progressing())
    assert found.outcome is Outcome.VIOLATED
    assert found.reason == "the progression asked is of the trial's cancer (trial is for prostate cancer)"


def test_a_line_that_asks_for_the_cancer_and_its_progression_says_what_the_trial_is_for_once() -> None:
    found = outcome(_trial(PROGRESSIVE_PROSTATE), "Subject must have progressive", _not_progressing())
    assert found.outcome is Outcome.VIOLATED
    assert found.reason == "trial is for prostate cancer; the progression asked is of the trial's cancer"


def test_progression_on_trastuzumab_in_a_breast_trial_is_the_breast_cancers() -> None:
    trial = _trial(HER2_BREAST, ON_TRASTUZUMAB, conditions=("breast cancer",))
    found = outcome(trial, "Prior treatment and progression", _not_progressing())
    assert found.outcome is Outcome.VIOLATED
    assert found.reason == "the progression asked is of the trial's cancer (trial is for breast cancer)"
    found = outcome(
        _trial(HER2_BREAST, AFTER_ENDOCRINE, conditions=("breast cancer",)),
        "Disease progression or",
        _not_progressing(),
    )
    assert found.outcome is Outcome.VIOLATED
    assert found.reason.startswith("the progression asked is of the trial's cancer (trial is for breast cancer)")


def test_a_progression_an_ovarian_trial_bars_is_the_ovarian_cancers() -> None:
    trial = _trial(OVARIAN, NO_PROGRESSION, conditions=("ovarian cancer",))
    found = outcome(trial, "I-6.", patient())  # her own thyroid disease is progressing
    assert found.outcome is Outcome.VIOLATED
    assert found.reason == "the progression barred is of the trial's cancer (trial is for ovarian cancer)"


def test_the_regimens_a_lymphoma_subgroup_asks_are_the_lymphomas_not_her_lenvatinib() -> None:
    criteria = parse_text(LYMPHOMA, StructuredFields(conditions=("lymphoma", "small intestine cancer")))
    trial = TrialInfo("NCT00000000", "course24", "RECRUITING", ("PHASE2",)), tuple(criteria)
    found = outcome(trial, TWO_REGIMENS, patient())
    assert found.outcome is Outcome.VIOLATED
    assert found.reason == (
        "the therapy asked (2+ systemic therapy, progressed on it) is of the trial's cancer, not the patient's "
        "lenvatinib (trial is for a blood cancer)"
    )
    # the subgroup's lead-in, its own requirement of the cancer, says whose the trial is
    assert outcome(trial, "Follicular lymphoma as defined by", patient()).reason == "trial is for a blood cancer"


def test_a_line_that_names_cml_keeps_it_where_the_trial_does_not_say_it() -> None:
    (fact,) = facts_of(line_criterion(list_text(PH_CML), " ".join(PH_CML.split())), FactKind.PRIOR_THERAPY)
    assert fact.values.to_json()["course_of"] == "a blood cancer" and not fact.uncertain
    found = outcome(_trial(PH_CML), "Ph+ CML patients", _nexavar_stopped_for_toxicity())
    assert found.outcome is Outcome.VIOLATED
    assert found.reason == (
        "the therapy asked (1+ imatinib or systemic therapy, progressed on it or intolerant of imatinib) is of the "
        "line's cancer, not the patient's Nexavar (the line tells the course of a blood cancer)"
    )
    # without any such drug she lacks what it asks, as the reason always said
    found = outcome(_trial(PH_CML), "Ph+ CML patients", patient(therapies=patient()["therapies"][:2]))
    assert found.outcome is Outcome.VIOLATED and found.reason.startswith("no imatinib or systemic therapy")


def test_a_thyroid_trials_same_lines_still_answer_with_her_own_disease_and_drugs() -> None:
    trial = _trial(THYROID, PCWG2, TWO_REGIMENS, conditions=("thyroid cancer",))
    found = outcome(trial, "Progressive disease as demonstrated", _not_progressing())
    assert found.outcome is Outcome.VIOLATED and found.reason == "disease not progressing"
    found = outcome(trial, TWO_REGIMENS, patient())
    assert found.outcome is Outcome.VIOLATED
    assert (
        found.reason
        == "prior lenvatinib (2021-03-01 to 2025-12-01), progressed (trial: 2+ systemic therapy, progressed on it)"
    )


def test_a_limit_her_thyroid_drugs_exceed_is_still_told_with_them() -> None:
    """ "No more than 1 prior systemic therapy regimen for stage IV disease" (NCT00104988, a melanoma trial): an
    unqualified limit her thyroid drugs break (the rulings: right), told with them as before."""
    limit = "No more than 1 prior systemic therapy regimen for stage IV disease"
    two = [
        *patient()["therapies"],
        {
            "name": "cabozantinib",
            "kind": "systemic",
            "start": "2026-01-05",
            "reason_stopped": "progression",
            "end": "2026-08-01",
        },
    ]
    found = outcome(
        _trial("Histologically confirmed melanoma", limit, conditions=("melanoma",)),
        "No more than",
        patient(therapies=two),
    )
    assert found.outcome is Outcome.VIOLATED
    assert found.reason.startswith("prior lenvatinib") and "trial's cancer" not in found.reason
