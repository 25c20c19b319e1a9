"""paren25: an exception in brackets ends at the bracket that closes it, past any pair inside it. NCT01368263's
exception ended at "(DCIS)", so the radiation that treated the excepted DCIS was read as a radiotherapy every patient
must have had (fresh samples 16's W170, 23's AD192, 30's AK215: judged right on the outcome, "no radiotherapy" judged
untrue). Issue 10, item 2 (scope before facts: what an exception names is not asked)."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import list_trial, one_criterion
from tests.test_issue10_examples import outcome, patient

SURVIVOR = (  # NCT01368263, under "If the patient is a cancer survivor, all of the following criteria must be met"
    "Patient must have no evidence of any prior malignancies for at least 5 years with no evidence of recurrence "
    "(except for successfully treated cervical carcinoma in situ, lobular carcinoma in situ of the breast, "
    "contralateral ductal carcinoma in situ (DCIS) treated with mastectomy or lumpectomy and radiation but without "
    "tamoxifen treatment, or non-melanoma skin cancer with no evidence of recurrence)"
)


def test_a_therapy_after_a_bracket_inside_an_exception_is_not_asked() -> None:
    kinds = [f.kind for f in one_criterion(SURVIVOR).facts]
    assert kinds == [FactKind.OTHER_MALIGNANCY]


def test_a_patient_who_never_had_radiotherapy_is_not_excluded_by_the_exception() -> None:
    trial = list_trial(SURVIVOR)
    never_irradiated = patient(therapies=[t for t in patient()["therapies"] if t["kind"] != "radiotherapy"])
    assert outcome(trial, "Patient must have no evidence", never_irradiated).outcome is not Outcome.VIOLATED
