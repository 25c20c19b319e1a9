"""Rules of session 34's second round (mend66): a line that opens on both sexes ("Male or female patients", "Men or
women", "Females and males of child-bearing potential") is for every patient, not for the first sex it names. Found
while writing mend65's test: "Male or female patients with advanced solid tumours ..." (NCT00715403) had been read as
asked of men only, so for a woman every such line was "not applicable", an exclusion never shown (issue 10, item 2:
applicability conditions). Each line is quoted from the registry text."""

from __future__ import annotations

import pytest

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient

BOTH_SEXES = (
    ("Male or female patients aged ≥ 18 years and ≤ 75 years with legal capacity", "female"),  # NCT02845050
    ("Males or females ≥ 18 years old and ≤ 75 years old;", "female"),  # NCT02109341
    ("Men or women at least 18 years of age or older.", "female"),  # NCT02499900
    ("Female or male ≥18 years of age on day of signing informed consent.", "male"),  # NCT02950259
    ("Women or men of childbearing potential who are unwilling or unable to use an acceptable method", "male"),
)


@pytest.mark.parametrize(("line", "sex"), BOTH_SEXES)
def test_a_line_for_both_sexes_is_for_every_patient(line: str, sex: str) -> None:
    result = item_outcome(line, patient(sex=sex))
    assert not result.criterion.scope.conditions
    assert "applies only to" not in result.reason


def test_an_age_range_for_both_sexes_excludes_a_woman_past_it() -> None:
    line = "Male or female 18-70 years of age."  # NCT03121716
    assert item_outcome(line, patient(sex="female", birth_date="1950-01-01")).outcome is Outcome.VIOLATED


def test_a_line_for_one_sex_is_still_for_that_sex_only() -> None:
    line = "Male patients and female partners of childbearing potential must use two forms of contraception"
    assert item_outcome(line, patient(sex="female")).outcome is Outcome.NOT_APPLICABLE
