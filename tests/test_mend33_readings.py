"""Rules of session 26, from comorbid sample 32's wrong exclusions (mend33): limits joined by "or" read both ways, a
hormonal therapy told by its adjective alone, examples inside an "unless", a lab value the text lets be corrected,
items laid out beside a lead-in that carries a window, a sentence the layout cut, and "other" concurrent therapy in a
trial that lets a hormonal therapy in. Each criterion below barred a profile that the text, read as a coordinator
would, does not bar: the outcome is now unknown or met, and the profile the text does bar is still barred (issue 10,
item 3: violated only from a complete reading)."""

from __future__ import annotations

from typing import Any

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.parser import parse_text
from matcher.matching.evaluate import Outcome, TrialInfo
from tests.readings import item_facts, list_trial
from tests.test_issue10_examples import item_outcome, outcome, patient, with_therapies

CLEARANCE_OR = (  # NCT03672851 (inclusion): CR195
    "Calculated creatinine clearance (absolute value) of >= 50 mL/minute or creatinine < 2.0 mg/dl or < 2 times upper "
    "limit of normal for the research participant's age group;"
)
BY_SEX_OR = (  # NCT01440127 (inclusion): CR266
    "Adequate renal function (serum creatinine levels <1.5 mg/dL [males], <1.4 mg/dL [females] or estimated "
    "creatinine clearance >= 60 ml/min)"
)
AS_WELL_AS = (  # NCT00886457 (inclusion): comorbid sample 29's CM069, judged right
    "Patient must have an adequate renal function as defined by a serum creatinine ≤ 1.5 x the institutional upper "
    "limit of normal, as well as a calculated or measured creatinine clearance (CrCl) ≥ 50 ml/min."
)
SAME_TESTS_OR = (  # NCT00496223 (inclusion)
    "AST and ALT ≤ 2.5 x ULN, or AST and ALT ≤ 5 x ULN if liver function abnormalities are due to underlying malignancy"
)
PLATELETS_TRANSFUSED = (  # NCT02275039 (inclusion)
    "Platelets >= 100,000/ul; low platelet counts may be corrected with transfusion to achieve eligibility for study"
)
HORMONAL_OR_RADIATION = "Prior treatment with hormonal and/or radiation therapy."  # NCT00063570 (inclusion): CR278
UNLESS_STABLE = (  # NCT02044796 (exclusion): CR176
    "Active systemic fungal, bacterial, viral, or other infection, unless disease is under treatment with "
    "anti-microbials and/or controlled or stable (e.g. if specific, effective therapy is not available/feasible or "
    "desired [e.g. chronic viral hepatitis, human immunodeficiency virus (HIV)]); patient needs to be clinically "
    "stable as defined as being afebrile and hemodynamically stable for 24 hours; patients with fever thought to be "
    "likely secondary to leukemia are eligible"
)
CALCIUM_SUPPLEMENTED = (  # NCT02188264 (exclusion): CR251
    "Baseline serum calcium < 8.4 mg/dL (calcium supplementation may be given to restore the serum calcium above this "
    "level prior to study entry)"
)
WINDOW_LEAD = "History of any of the following within 6 months prior to start of MLN0128:"  # NCT02142803: CR289
LVEF_ITEM = (  # NCT02142803, the item after it, at the same level
    "Left ventricular ejection fraction (LVEF) =< 55% as determined by multi gated acquisition (MUGA) scan or "
    "echocardiogram (ECHO)"
)
CARDIOVASCULAR_LEAD = (  # NCT00619424 (exclusion)
    "History of any one of more of the following cardiovascular conditions within the past 6 months:"
)
VEGFR_TKI = (  # NCT00619424 (exclusion): an item of the outer list
    "Prior use of an investigational or licensed tyrosine kinase inhibitor that targets VEGF receptors. Note: Prior "
    "use of bevacizumab is allowed."
)
CUT_MALIGNANCY = (  # NCT01650727, as the registry lays it out: CR093
    "Exclusion Criteria:\n\n"
    "  -  Prior malignancy, except for adequately treated basal cell or squamous cell skin\n"
    "     cancer, in situ cervical cancer or other cancer from which the subject is\n\n"
    "considered by his or her physician to have a 2 year survival expectation\n\n"
    "  -  Any investigational drugs within 4 weeks prior to the start of treatment\n"
)
HORMONAL_EXCEPTED = "No concurrent hormonal therapy, except for the following:"  # NCT00077103 (inclusion): CR107
GNRH_ITEM = (  # NCT00077103, its sub-item
    "Gonadotropin-releasing hormone agonists for patients with hormone-refractory prostate cancer"
)
OTHER_CONCURRENT = "No other concurrent antineoplastic therapy"  # NCT00077103
STEROIDS_EXCEPTED = "No concurrent corticosteroids except for premedication or hypersensitivity reaction"  # NCT00066443

TAMOXIFEN = {"name": "tamoxifen", "kind": "systemic", "start": "2012-03-01", "end": "2017-03-01"}
LEUPROLIDE = {"name": "leuprolide", "kind": "systemic", "start": "2020-09-01"}
LENVATINIB_NOW = {"name": "lenvatinib", "kind": "systemic", "start": "2021-03-01"}
LEVOTHYROXINE = {"name": "levothyroxine", "kind": "other", "start": "2018-06-02"}


def _labs(*labs: tuple[str, float, str]) -> dict[str, Any]:
    return patient(labs=[{"test": t, "value": v, "unit": u, "date": "2026-11-04"} for t, v, u in labs])


def test_limits_joined_by_or_are_alternatives_both_ways() -> None:
    for line in (CLEARANCE_OR, BY_SEX_OR):
        facts = item_facts("Inclusion", line, FactKind.LAB)
        assert [f.values.alternative for f in facts] == [True, True], line
    # CR195: a clearance of 48 with a creatinine of 1.4 mg/dL meets the creatinine alternative
    low_clearance = _labs(("creatinine clearance", 48, "mL/min"), ("creatinine", 1.4, "mg/dL"))
    assert item_outcome(CLEARANCE_OR, low_clearance).outcome is Outcome.SATISFIED
    # both failed: still barred
    both_failed = _labs(("creatinine clearance", 41, "mL/min"), ("creatinine", 2.3, "mg/dL"))
    assert item_outcome(BY_SEX_OR, both_failed).outcome is Outcome.VIOLATED


def test_a_second_limit_of_the_same_tests_leaves_the_first_asked() -> None:
    # the review of rules 53: "or AST and ALT <= 5 x ULN if ..." is a limit for some patients, not another way in
    labs = patient(
        labs=[
            {"test": "AST", "value": 160, "unit": "U/L", "date": "2026-11-04", "upper_limit": 40},
            {"test": "ALT", "value": 150, "unit": "U/L", "date": "2026-11-04", "upper_limit": 41},
        ]
    )
    assert item_outcome(SAME_TESTS_OR, labs).outcome is not Outcome.SATISFIED


def test_an_or_inside_the_second_tests_name_joins_nothing() -> None:
    # "as well as a calculated or measured creatinine clearance": both are asked (CM069, judged right)
    facts = item_facts("Inclusion", AS_WELL_AS, FactKind.LAB)
    assert [(f.values.lab, f.values.alternative) for f in facts] == [
        ("lab.creatinine", False),
        ("lab.creatinine_clearance", True),
    ]
    labs = _labs(("creatinine clearance", 48, "mL/min"), ("creatinine", 0.9, "mg/dL"))
    assert item_outcome(AS_WELL_AS, labs).outcome is Outcome.VIOLATED


def test_a_hormonal_therapy_told_by_its_adjective_is_an_unread_alternative() -> None:
    (fact,) = item_facts("Inclusion", HORMONAL_OR_RADIATION, FactKind.PRIOR_THERAPY)
    assert fact.values.categories == ("radiotherapy",) and fact.values.unread_drugs == ("hormonal",)
    # CR278: her tamoxifen, which our vocabulary does not hold, may be the hormonal therapy asked
    assert item_outcome(HORMONAL_OR_RADIATION, with_therapies(TAMOXIFEN)).outcome is Outcome.UNKNOWN
    # a kinase inhibitor is no hormonal therapy, nor is levothyroxine (a therapy the profile calls "other")
    assert item_outcome(HORMONAL_OR_RADIATION, patient()).outcome is Outcome.VIOLATED
    assert item_outcome(HORMONAL_OR_RADIATION, with_therapies(LEVOTHYROXINE)).outcome is Outcome.VIOLATED
    # ... but a leuprolide the profile calls "other" may be the hormonal therapy (the review of rules 53)
    leuprolide_other = with_therapies({**LEUPROLIDE, "kind": "other"})
    assert item_outcome(HORMONAL_OR_RADIATION, leuprolide_other).outcome is Outcome.UNKNOWN


def test_examples_inside_an_unless_are_uncertain() -> None:
    # CR176: the hepatitis and HIV in the "(e.g. ...)" may be examples of a stable disease the exception lets in
    (fact,) = item_facts("Exclusion", UNLESS_STABLE, FactKind.INFECTION)
    assert set(fact.values.agents) == {"hepatitis", "HIV"} and "examples after an 'unless'" in (fact.uncertain or "")
    carrier = patient(conditions=[{"name": "chronic hepatitis B, inactive carrier", "status": "inactive"}])
    assert item_outcome(UNLESS_STABLE, carrier, "exclusion").outcome is Outcome.UNKNOWN


def test_a_lab_value_the_text_lets_be_corrected_does_not_decide() -> None:
    (fact,) = item_facts("Exclusion", CALCIUM_SUPPLEMENTED, FactKind.LAB)
    assert fact.uncertain is not None and "supplementation may be given" in fact.uncertain
    found = item_outcome(CALCIUM_SUPPLEMENTED, _labs(("calcium", 8.1, "mg/dL")), "exclusion")  # CR251
    assert found.outcome is Outcome.UNKNOWN
    assert (
        item_outcome(CALCIUM_SUPPLEMENTED, _labs(("calcium", 9.2, "mg/dL")), "exclusion").outcome is Outcome.SATISFIED
    )
    # the next item of the same test tells it too
    low_platelets = _labs(("platelets", 98, "10^9/L"))
    assert item_outcome(PLATELETS_TRANSFUSED, low_platelets).outcome is Outcome.UNKNOWN


def test_items_beside_a_lead_in_with_a_window_may_carry_it() -> None:
    with_pe = patient(conditions=[{"name": "pulmonary embolism", "status": "on anticoagulation"}])
    trial = list_trial(exclusions=(WINDOW_LEAD, LVEF_ITEM, "Pulmonary embolism"))
    found = outcome(trial, "Pulmonary embolism", with_pe)  # CR289: the embolism may be older than 6 months
    assert found.outcome is Outcome.UNKNOWN and "whose window it would carry" in found.reason
    # a prior therapy after a list of heart conditions is an item of the outer list (NCT00619424)
    trial = list_trial(exclusions=(CARDIOVASCULAR_LEAD, "Myocardial infarction", VEGFR_TKI))
    assert outcome(trial, VEGFR_TKI[:20], patient()).outcome is Outcome.VIOLATED


def _trial(text: str) -> tuple[TrialInfo, tuple[Any, ...]]:
    return TrialInfo("NCT00000000", "reading test", "RECRUITING", ("PHASE2",)), tuple(parse_text(text))


def test_an_exclusion_whose_sentence_the_layout_cut_is_uncertain() -> None:
    cll = patient(conditions=[{"name": "chronic lymphocytic leukemia, Rai stage 0, untreated", "status": "stable"}])
    # CR093: "... or other cancer from which the subject is" / "considered by his or her physician to have ..."
    found = outcome(_trial(CUT_MALIGNANCY), "Prior malignancy", cll)
    assert found.outcome is Outcome.UNKNOWN and "its sentence goes on apart" in found.reason


def test_other_concurrent_therapy_leaves_out_the_hormonal_therapy_the_trial_lets_in() -> None:
    trial = _trial(f"Inclusion Criteria:\n\n- {HORMONAL_EXCEPTED}\n    - {GNRH_ITEM}\n- {OTHER_CONCURRENT}\n")
    # CR107: his leuprolide may be the agonist the trial lets in; a kinase inhibitor is not
    on_leuprolide = with_therapies(LEUPROLIDE)
    assert outcome(trial, OTHER_CONCURRENT, on_leuprolide).outcome is Outcome.UNKNOWN
    assert outcome(trial, OTHER_CONCURRENT, with_therapies(LENVATINIB_NOW)).outcome is Outcome.VIOLATED
    # corticosteroids let in are no hormonal anticancer therapy (CR106, judged right)
    trial = list_trial(STEROIDS_EXCEPTED, OTHER_CONCURRENT)
    assert outcome(trial, OTHER_CONCURRENT, on_leuprolide).outcome is Outcome.VIOLATED
