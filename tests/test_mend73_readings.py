"""Rules of session 35's fourth round (mend73), from comorbid sample 68's six wrong exclusions, all of the infection
kind (issue 10, item 3): an infection asked at a site, above a grade, or "that requires parenteral" treatment; a
definition of an agent's "active infection"; an acute hepatitis asked of a chronic one; an exposure read as the
infection. Each line is quoted from the registry text."""

from __future__ import annotations

import pytest

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient
from tests.test_mend71_readings import WOUND

# comorbid-hcv-viremic-pad-65
CHRONIC_HCV = {"name": "chronic hepatitis C, genotype 1a, untreated", "status": "active, viremic"}


@pytest.mark.parametrize(
    "line",
    [
        "No nonhealing wounds or active infection in the area of the chest wall",  # NCT00346229, EB043
        "Active infections (> Grade 2 NCI-CTC v.3.0)",  # NCT02535351, EB078
        "Active infection that requires parenteral anti-microbial therapy",  # NCT02655458, EB083
        "Clinically significant history of liver disease, including cirrhosis, current alcohol abuse, or current known "
        "active infection with hepatitis B virus, or hepatitis C virus. Active infection is defined as requiring "
        "treatment with antiviral therapy or presence of positive test results for hepatitis B (HBsAg and/or "
        "quantitative HBV DNA) or hepatitis C (quantitative HCV RNA).",  # NCT02389842, EB075
    ],
)
def test_a_wound_infection_does_not_decide_an_infection_asked_more_of(line: str) -> None:
    assert item_outcome(line, patient(conditions=[WOUND]), "exclusion").outcome is Outcome.UNKNOWN


def test_an_infection_above_the_grade_asked_bars() -> None:
    graded = {"name": "neck wound infection", "status": "active, grade 3, hospitalized"}
    line = "Active infections (> Grade 2 NCI-CTC v.3.0)"
    assert item_outcome(line, patient(conditions=[graded]), "exclusion").outcome is Outcome.VIOLATED


def test_an_acute_hepatitis_asked_is_not_a_chronic_one() -> None:
    line = "Septicemia, severe infection, or acute hepatitis"  # NCT00287859, EB298
    assert item_outcome(line, patient(conditions=[CHRONIC_HCV]), "exclusion").outcome is Outcome.UNKNOWN
    acute = {"name": "acute hepatitis A", "status": "active"}
    assert item_outcome(line, patient(conditions=[acute]), "exclusion").outcome is Outcome.VIOLATED
    # "active or acute": either state bars
    either = "Documented cirrhotic liver disease, ongoing alcohol abuse, or known active or acute hepatitis"
    assert item_outcome(either, patient(conditions=[CHRONIC_HCV]), "exclusion").outcome is Outcome.VIOLATED


def test_an_exposure_is_not_the_infection() -> None:
    line = "History of new hepatitis C exposure within the last 6 months"  # NCT00882193, EB329
    assert item_outcome(line, patient(conditions=[CHRONIC_HCV]), "exclusion").outcome is Outcome.UNKNOWN
