"""Rules of session 27, from comorbid sample 33's wrong exclusions (mend34): a ratio's denominator read as a serum
creatinine, an HTML character reference and a misspelt NYHA name that hid a class limit, another cancer told by what
it would do to the trial, "are not excluded", a group told what it should be on, a later sentence that lets an
infection's carriers in, a trial's own value for its ULN, and a conjugated bilirubin read as the total.
Each criterion below barred a profile that the text, read as a coordinator would, does not bar: the outcome is now
unknown or met, and the profile the text does bar is still barred (issue 10, item 3: violated only from a complete
reading)."""

from __future__ import annotations

from typing import Any

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_facts
from tests.test_issue10_examples import item_outcome, patient

RATIO_AND = (  # NCT00351039 (exclusion): CS028
    "Urine calculated creatinine clearance of less than 45ml/minute and a urinary protein. Creatinine ratio of more "
    "than 1."
)
CALCIUM_RATIO = "fasting spot urine calcium/creatinine ratio >0.20"  # NCT00904423 (exclusion)
HEART_FAILURE_CLASS = "congestive heart failure (New York Health Authority Class &gt; 2),"  # NCT03121716: CS060
MALIGNANCY_INTERFERING = (  # NCT00687674 (inclusion): CS076
    "No other active malignancy requiring treatment that would interfere with the assessments of response of the "
    "myeloma to protocol treatment"
)
AGED_80_NOT_EXCLUDED = (  # NCT01783054 (exclusion): CS088
    "Patients aged ≥ 80 are not excluded. However, candidates in this age group should be thoroughly evaluated before "
    "enrollment in the study, to ensure they are fit to receive chemotherapy, and to potentially undergo "
    "pancreaticoduodenectomy."
)
CORE_ANTIBODY_LAMIVUDINE = (  # NCT02038153 (exclusion): CS178
    "Patients who are positive for hepatitis B core antibody, but negative for the hepatitis B surface antigen, should "
    "be on lamivudine 100 mg daily until at least 3 months post-transplant"
)
HEPATITIS_DNA = (  # NCT04042051 (exclusion): CS187
    "Hepatitis B (HBV) or hepatitis C (HCV). All patients must be screened for HBV and HCV up to 28 days prior to "
    "study drug start using the routine hepatitis virus laboratory panel Patients who test positive for Hepatitis B "
    "surface Antigen (HBsAg) or Hepatitis B core Antigen (HBcAb) will be eligible if they are negative for HBV-DNA; "
    "patients who test positive for anti-HCV antibody will be eligible if they are negative for HCV-RNA."
)
HEPATITIS_ALONE = "Hepatitis B (HBV) or hepatitis C (HCV)."  # its first sentence alone
CREATININE_IE = (  # NCT00411593 (inclusion): CS291
    "Patients must have a serum creatinine </= the institutional upper limit of normal (i.e. 1.5 mg/dL) AND a "
    "creatinine clearance >/= 40 cc/min"
)
VOD = (  # NCT00981799 (exclusion): CS396
    "Patients with a history of prior veno-occlusive disease (VOD) or findings consistent with a diagnosis of VOD, "
    "defined as: conjugated serum bilirubin >1.4 mg/dL AND unexplained weight gain greater than 10% of baseline weight "
    "or ascites AND hepatomegaly or right upper quadrant pain without another explanation, OR reversal of portal vein "
    "flow on ultrasound, OR pathological confirmation of VOD on liver biopsy."
)
CARRIER = {"name": "chronic hepatitis B, inactive carrier", "status": "inactive"}


def _labs(*labs: tuple[str, float, str, float | None]) -> dict[str, Any]:
    return patient(
        labs=[
            {"test": t, "value": v, "unit": u, "date": "2026-11-04", **({"upper_limit": uln} if uln else {})}
            for t, v, u, uln in labs
        ]
    )


def test_a_ratio_of_creatinine_is_no_serum_creatinine() -> None:
    assert [f.values.lab for f in item_facts("Exclusion", RATIO_AND, FactKind.LAB)] == ["lab.creatinine_clearance"]
    assert item_facts("Exclusion", CALCIUM_RATIO, FactKind.LAB) == []
    # CS028: a clearance of 38 bars only with a protein/creatinine ratio over 1, which is not read
    low_clearance = _labs(("creatinine clearance", 38, "mL/min", None), ("creatinine", 1.7, "mg/dL", 1.3))
    found = item_outcome(RATIO_AND, low_clearance, "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "a ratio's limit that is not read" in found.reason
    # the clearance alone still bars
    assert (
        item_outcome("Creatinine clearance of less than 45ml/minute", low_clearance, "exclusion").outcome
        is Outcome.VIOLATED
    )


def test_a_class_limit_behind_a_character_reference_is_read() -> None:
    # CS060: a stable heart failure of NYHA class II is not known to be of class III or worse
    hfpef = patient(conditions=[{"name": "heart failure with preserved ejection fraction, NYHA class II"}])
    found = item_outcome(HEART_FAILURE_CLASS, hfpef, "exclusion")
    assert "Class > 2" in found.criterion.text
    assert [f.values.nyha_min for f in found.criterion.facts if f.kind is FactKind.CARDIAC] == [3]
    assert found.outcome is Outcome.UNKNOWN


def test_another_cancer_told_by_what_it_would_do_to_the_trial_is_uncertain() -> None:
    prostate = patient(conditions=[{"name": "prostate cancer, on androgen deprivation therapy", "status": "active"}])
    found = item_outcome(MALIGNANCY_INTERFERING, prostate)  # CS076
    assert found.outcome is Outcome.UNKNOWN and "what it would do to the trial" in found.reason
    assert item_outcome("No other active malignancy requiring treatment", prostate).outcome is Outcome.VIOLATED


def test_are_not_excluded_is_a_permission() -> None:
    aged_84 = patient(birth_date="1942-11-11")
    found = item_outcome(AGED_80_NOT_EXCLUDED, aged_84, "exclusion")  # CS088
    assert found.outcome is Outcome.UNKNOWN and "permission" in found.reason
    assert item_outcome("Patients aged ≥ 80", aged_84, "exclusion").outcome is Outcome.VIOLATED


def test_a_group_told_what_it_should_be_on_is_not_excluded() -> None:
    carrier = patient(conditions=[CARRIER])
    assert item_outcome(CORE_ANTIBODY_LAMIVUDINE, carrier, "exclusion").outcome is not Outcome.VIOLATED  # CS178
    assert (
        item_outcome("Positive for the hepatitis B surface antigen", carrier, "exclusion").outcome is Outcome.VIOLATED
    )


def test_a_later_sentence_that_lets_carriers_in_leaves_the_infection_uncertain() -> None:
    carrier = patient(conditions=[CARRIER])
    found = item_outcome(
        HEPATITIS_DNA, carrier, "exclusion"
    )  # CS187: which carriers are barred turns on an HBV-DNA test
    assert found.outcome is Outcome.UNKNOWN and "lets some patients with hepatitis B in" in found.reason
    assert item_outcome(HEPATITIS_ALONE, carrier, "exclusion").outcome is Outcome.VIOLATED
    # a permission of another agent later in the sentence lets in only that agent (the review of rules 54)
    hiv = patient(conditions=[{"name": "HIV infection", "status": "on antiretroviral therapy"}])
    other_agent = (
        "Known HIV infection or hepatitis B. Testing for HIV is not required; patients with hepatitis B are eligible."
    )
    assert item_outcome(other_agent, hiv, "exclusion").outcome is Outcome.VIOLATED


def test_the_trials_own_value_for_its_upper_limit_is_read() -> None:
    # CS291: 1.3 mg/dL is over her laboratory's ULN (1.1) but within the 1.5 mg/dL the text says its ULN is
    (fact, _) = item_facts("Inclusion", CREATININE_IE, FactKind.LAB)
    assert (fact.values.lab, fact.values.op, fact.values.canonical_value) == ("lab.creatinine", "<=", 1.5)
    creatinine = _labs(("creatinine", 1.3, "mg/dL", 1.1), ("creatinine clearance", 41, "mL/min", None))
    assert item_outcome(CREATININE_IE, creatinine).outcome is not Outcome.VIOLATED
    over = _labs(("creatinine", 1.7, "mg/dL", 1.3), ("creatinine clearance", 41, "mL/min", None))
    assert item_outcome(CREATININE_IE, over).outcome is Outcome.VIOLATED
    # a value beside a multiple other than the ULN itself may be the same limit or another way to meet it
    beside_multiple = "Serum creatinine <= 1.5 x ULN (2.0 mg/dL)"
    assert item_outcome(beside_multiple, _labs(("creatinine", 1.8, "mg/dL", 1.1))).outcome is Outcome.UNKNOWN
    # ... and so is a value for each sex (the review of rules 54)
    by_sex = "Serum creatinine <= ULN (i.e. 1.2 mg/dL for women, 1.5 mg/dL for men)"
    assert item_outcome(by_sex, _labs(("creatinine", 1.4, "mg/dL", 1.1))).outcome is Outcome.UNKNOWN


def test_a_conjugated_bilirubin_is_not_the_total() -> None:
    (fact,) = item_facts("Exclusion", VOD, FactKind.LAB)
    assert fact.values.lab == "lab.bilirubin_direct"
    # CS396: a total bilirubin of 1.6 says nothing of the conjugated one
    assert item_outcome(VOD, _labs(("total bilirubin", 1.6, "mg/dL", 1.2)), "exclusion").outcome is Outcome.UNKNOWN
