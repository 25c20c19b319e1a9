"""Rules of session 25, from comorbid sample 30b's wrong exclusions (mend31): a radiotherapy's region read against where
the patient's radiotherapies were given; an exception that names a therapy we do not read; a limit of one trial
phase. Each criterion below barred a profile that the text, read as a
coordinator would, does not bar: the outcome is now unknown or met, and the profile the text does bar is still barred
(issue 10, item 3: violated only from a complete reading)."""

from __future__ import annotations

from typing import Any

import pytest

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.kinds.therapy.regions import ABOVE_CLAVICLES, HEAD_AND_NECK, NECK, in_region, region_asked
from matcher.matching.evaluate import Outcome
from tests.readings import item_criterion, item_facts, list_trial
from tests.test_issue10_examples import outcome, patient, with_therapies

ABOVE_CLAVICLES_TEXT = "Any prior radiation above the clavicles."  # NCT01732640 (exclusion)
HEAD_AND_NECK_RT = "Previous head and neck radiation (RT) to >/= 50 Gy"  # NCT02110992 (inclusion)
THORACIC_OR_NECK = "Prior thoracic or neck radiotherapy"  # NCT00356941
HEAD_AND_NECK_AREA = "Prior treatment with radiotherapy in the head and neck area"  # NCT00401401 (exclusion)
FOR_A_CANCER_IN = "Previous radiation therapy for a cancer in the head and neck region."  # NCT01219673 (exclusion)
EXCEPTIONS_OF = (  # NCT02145559 (exclusion)
    "Patients may not be receiving any other investigational agents or any concomitant antineoplastic therapy, with "
    "the exceptions of octreotide LAR (for neuroendocrine tumors) and endocrine therapy (for prostate, breast, or "
    "gynecologic malignancies)."
)
EXCEPT_ENDOCRINE = "Prior systemic therapy for metastatic disease (except endocrine therapy)."  # NCT01989676
EXCEPT_EGFR = (  # NCT00692640 (exclusion, a sub-item of "The subject has received:")
    "a small-molecule kinase inhibitor (including investigational small molecule kinase inhibitors) excluding "
    "small-molecule inhibitors of EGFR or non-cytotoxic hormonal agent within 14 days of the scheduled first dose of "
    "XL147"
)
CREATININE_OR = (  # NCT02588261 (inclusion, a sub-item): the modifier letter "˂" for "<"
    "Serum creatinine ˂ 2.0 x upper limit of normal (ULN) or an estimated glomerular filtration rate (eGFR) of > 50 "
    "mL/min as calculated by the Cockcroft Gault Method"
)
STAGE_IV_OR = "Previously untreated stage IV disease (AJCC staging system, 6th edition), or,"  # NCT01445405
RESIDUAL_DISEASE = (  # NCT01445405 (inclusion, the item after it)
    "Patients with residual disease or regional recurrence of head and neck cancer after surgery and/or chemotherapy, "
    "but with no prior bortezomib, EGFR inhibitor therapy or head and neck radiotherapy."
)
ESCALATION = (  # NCT01202890 (inclusion)
    "Subjects must have calculated creatinine clearance > 60ml/min by Cockcroft-Gault formula during the escalation "
    "phase."
)

NECK_EBRT = {"name": "external beam radiotherapy to the neck", "kind": "radiotherapy", "start": "2019-04-01"}
BREAST_RT = {"name": "whole breast radiotherapy, left", "kind": "radiotherapy", "start": "2009-06-01"}
BRAIN_SRS = {"name": "stereotactic radiosurgery to two brain metastases", "kind": "radiotherapy", "start": "2024-02-01"}
UNSITED_RT = {"name": "palliative radiotherapy", "kind": "radiotherapy", "start": "2024-02-01"}
LEUPROLIDE = {"name": "leuprolide", "kind": "systemic", "start": "2020-09-01", "ongoing": True}
LENVATINIB_NOW = {"name": "lenvatinib", "kind": "systemic", "start": "2021-03-01", "ongoing": True}
LENVATINIB_LAST_WEEK = {"name": "lenvatinib", "kind": "systemic", "start": "2026-01-05", "end": "2026-11-20"}
VANDETANIB_LAST_WEEK = {"name": "vandetanib", "kind": "systemic", "start": "2026-01-05", "end": "2026-11-20"}


def _outcome(line: str, doc: dict[str, Any], section: str = "exclusion") -> Any:
    trial = list_trial(exclusions=(line,)) if section == "exclusion" else list_trial(line)
    return outcome(trial, line[:20], doc)


def _with_radiotherapy(therapy: dict[str, Any]) -> dict[str, Any]:
    return patient(therapies=[*patient()["therapies"], therapy])


@pytest.mark.parametrize(
    ("name", "neck", "head_and_neck", "above_clavicles"),
    [
        ("external beam radiotherapy to the thyroid bed and neck, 66 Gy", True, True, True),
        ("radiotherapy for T2N0 glottic carcinoma", True, True, True),  # a stage, not a vertebra
        ("stereotactic radiosurgery to two brain metastases", False, None, True),  # the brain: not oncology's "head"
        ("whole breast radiotherapy, left", False, False, False),
        ("external beam radiotherapy to T10 vertebra", False, False, False),
        ("radiotherapy to T10 vertebral metastasis of thyroid cancer", False, False, False),  # the cancer, not a site
        ("palliative radiotherapy to right femoral neck metastasis, 8 Gy", False, False, False),  # a femur's neck
        ("external beam radiotherapy to the neck and upper mediastinum", True, True, True),  # there, and below too
        ("external beam radiotherapy to cervical and upper mediastinal lymph nodes, 60 Gy", None, None, None),
        ("palliative radiotherapy", None, None, None),
        ("radiotherapy to the spine", None, None, None),  # which part of the spine is not told
    ],
)
def test_where_a_radiotherapy_was_given_is_read_from_its_name(
    name: str, neck: bool | None, head_and_neck: bool | None, above_clavicles: bool | None
) -> None:
    assert in_region(name, NECK) is neck
    assert in_region(name, HEAD_AND_NECK) is head_and_neck
    assert in_region(name, ABOVE_CLAVICLES) is above_clavicles


def test_the_region_asked_is_read_only_where_its_bounds_are_known() -> None:
    assert region_asked("above the clavicles") == ABOVE_CLAVICLES
    assert region_asked("head and neck radiation") == HEAD_AND_NECK
    assert region_asked("to the neck") == NECK
    assert region_asked("thoracic or neck radiotherapy") is None  # a region we do not bound
    assert region_asked("to the neck and/or thorax") is None
    assert region_asked("whole brain radiotherapy") is None
    assert region_asked("radiotherapy of the head and/or neck") == HEAD_AND_NECK


def test_radiation_above_the_clavicles_is_read_against_where_it_was_given() -> None:
    (fact,) = item_facts("Exclusion", ABOVE_CLAVICLES_TEXT, FactKind.PRIOR_THERAPY)
    assert fact.values.region == ABOVE_CLAVICLES and fact.uncertain is None
    assert _outcome(ABOVE_CLAVICLES_TEXT, _with_radiotherapy(NECK_EBRT)).outcome is Outcome.VIOLATED
    assert _outcome(ABOVE_CLAVICLES_TEXT, _with_radiotherapy(BRAIN_SRS)).outcome is Outcome.VIOLATED
    # comorbid sample 30b's CP090: a breast radiotherapy is below the clavicles
    assert _outcome(ABOVE_CLAVICLES_TEXT, _with_radiotherapy(BREAST_RT)).outcome is Outcome.SATISFIED
    unsited = _outcome(ABOVE_CLAVICLES_TEXT, _with_radiotherapy(UNSITED_RT))
    assert unsited.outcome is Outcome.UNKNOWN and unsited.missing == ("where therapies[3] was given",)


def test_a_region_beside_one_we_do_not_bound_stays_uncertain() -> None:
    (fact,) = item_facts("Exclusion", THORACIC_OR_NECK, FactKind.PRIOR_THERAPY)
    assert fact.values.region is None and fact.uncertain is not None
    assert _outcome(THORACIC_OR_NECK, _with_radiotherapy(BREAST_RT)).outcome is Outcome.UNKNOWN


def test_a_head_and_neck_radiotherapy_required_is_met_only_there() -> None:
    (fact,) = item_facts("Inclusion", HEAD_AND_NECK_RT, FactKind.PRIOR_THERAPY)
    assert fact.values.region == HEAD_AND_NECK
    assert _outcome(HEAD_AND_NECK_RT, _with_radiotherapy(NECK_EBRT), "inclusion").outcome is Outcome.SATISFIED
    assert _outcome(HEAD_AND_NECK_RT, _with_radiotherapy(BREAST_RT), "inclusion").outcome is Outcome.VIOLATED
    assert _outcome(HEAD_AND_NECK_RT, _with_radiotherapy(BRAIN_SRS), "inclusion").outcome is Outcome.UNKNOWN


def test_a_head_and_neck_area_or_a_cancer_there_is_read_against_where_hers_was_given() -> None:
    (fact,) = item_facts("Exclusion", HEAD_AND_NECK_AREA, FactKind.PRIOR_THERAPY)
    assert fact.values.region == HEAD_AND_NECK and fact.uncertain is None
    assert _outcome(HEAD_AND_NECK_AREA, _with_radiotherapy(NECK_EBRT)).outcome is Outcome.VIOLATED
    assert _outcome(HEAD_AND_NECK_AREA, _with_radiotherapy(BREAST_RT)).outcome is Outcome.SATISFIED
    # radiotherapy "for a cancer in" the region: a thyroid cancer's neck radiotherapy is one (judged right: Y183)
    (fact,) = item_facts("Exclusion", FOR_A_CANCER_IN, FactKind.PRIOR_THERAPY)
    assert fact.values.region == HEAD_AND_NECK and fact.uncertain is None
    assert _outcome(FOR_A_CANCER_IN, _with_radiotherapy(NECK_EBRT)).outcome is Outcome.VIOLATED
    assert _outcome(FOR_A_CANCER_IN, _with_radiotherapy(BREAST_RT)).outcome is Outcome.SATISFIED


def test_an_exception_that_names_a_therapy_we_do_not_read() -> None:
    (fact,) = item_facts("Exclusion", EXCEPTIONS_OF, FactKind.PRIOR_THERAPY)
    assert fact.values.excepted is not None and fact.values.excepted.startswith("with the exceptions of octreotide")
    # comorbid sample 30b's CP095: her leuprolide may be the endocrine therapy excepted
    found = _outcome(EXCEPTIONS_OF, with_therapies(LEUPROLIDE))
    assert found.outcome is Outcome.UNKNOWN and "one the text excepts" in found.reason
    # a kinase inhibitor is no endocrine therapy
    assert _outcome(EXCEPTIONS_OF, with_therapies(LENVATINIB_NOW)).outcome is Outcome.VIOLATED
    assert _outcome(EXCEPT_ENDOCRINE, patient()).outcome is Outcome.VIOLATED  # her lenvatinib
    assert _outcome(EXCEPT_ENDOCRINE, with_therapies(LEUPROLIDE)).outcome is Outcome.UNKNOWN


def test_a_drug_we_know_may_be_excepted_where_the_exception_names_its_class() -> None:
    # vandetanib inhibits EGFR among its targets; lenvatinib is a kinase inhibitor the exception does not name (its
    # washout is met by waiting)
    lenvatinib = _outcome(EXCEPT_EGFR, with_therapies(LENVATINIB_LAST_WEEK))
    assert lenvatinib.outcome is Outcome.SATISFIED and lenvatinib.eligible_from is not None
    vandetanib = _outcome(EXCEPT_EGFR, with_therapies(VANDETANIB_LAST_WEEK))
    assert vandetanib.outcome is Outcome.UNKNOWN and vandetanib.missing == ("whether therapies[2] is excepted",)


def test_a_limit_of_one_phase_is_asked_of_that_phase_only() -> None:
    # comorbid sample 30b's CP092: the expansion phase asks >= 30 mL/min
    (condition,) = item_criterion("Inclusion", ESCALATION).scope.conditions
    assert (condition.kind, condition.text) == ("cohort", "during the escalation phase")
    labs = [{"test": "creatinine clearance", "value": 38, "unit": "mL/min", "date": "2026-11-06"}]
    assert _outcome(ESCALATION, patient(labs=labs), "inclusion").outcome is Outcome.UNKNOWN


def test_a_modifier_letter_is_read_as_its_sign() -> None:
    # comorbid sample 31's CQ085: "˂ 2.0 x ULN" had been unread, and the eGFR alone barred her
    labs = [
        {"test": "creatinine", "value": 1.3, "unit": "mg/dL", "date": "2026-11-04", "upper_limit": 1.1},
        {"test": "eGFR", "value": 40, "unit": "mL/min/1.73m2", "date": "2026-11-04"},
    ]
    facts = item_facts("Inclusion", CREATININE_OR, FactKind.LAB)
    # the "eGFR ... as calculated by the Cockcroft Gault Method" is a creatinine clearance (mend51)
    assert [(f.values.lab, f.values.op, f.values.alternative) for f in facts] == [
        ("lab.creatinine", "<", True),
        ("lab.creatinine_clearance", ">", True),
    ]
    assert _outcome(CREATININE_OR, patient(labs=labs), "inclusion").outcome is Outcome.SATISFIED


def test_an_item_ending_on_or_and_a_comma_offers_the_next_as_its_alternative() -> None:
    trial = list_trial(STAGE_IV_OR, RESIDUAL_DISEASE)
    found = outcome(trial, RESIDUAL_DISEASE[:20], _with_radiotherapy(NECK_EBRT))
    assert found.outcome is Outcome.UNKNOWN
    assert "reading uncertain: one of alternatives laid out as separate criteria" in found.reason


def test_a_part_of_the_region_is_not_told_apart() -> None:
    # NCT00629226's "No prior radiotherapy to the head and neck" with a dose, as re-irradiation trials write it (no
    # tuning text does): a neck radiotherapy whose dose is not on file may be under it
    line = "No prior radiotherapy to the head and neck of more than 60 Gy"
    (fact,) = item_facts("Exclusion", line, FactKind.PRIOR_THERAPY)
    assert fact.values.region == HEAD_AND_NECK and fact.uncertain is not None
    assert _outcome(line, _with_radiotherapy(NECK_EBRT)).outcome is Outcome.UNKNOWN
    assert _outcome(line, _with_radiotherapy(BREAST_RT)).outcome is Outcome.SATISFIED
