"""grade25: a heart condition the trial limits by a CTCAE grade ("≥ grade 3 atrial fibrillation") is not met by the
condition on file, whose grade a profile does not record: unknown, never violated (issue 10, item 3: "violated only
from a complete reading"). "Atrial fibrillation of any grade" stays a ban of any atrial fibrillation.

Found by re-reading the reasons blind readers judged untrue that still stand (fresh sample 13's T252: "the reading
also drops the grade from '≥ grade 3 atrial fibrillation', excluding any atrial fibrillation")."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.kinds.cardiac import CardiacValues
from matcher.matching.evaluate import Outcome
from tests.readings import list_trial, one_criterion
from tests.test_issue10_examples import outcome, patient

# the registry's words (exclusions)
GRADE_3_AF = (  # NCT00581789
    "Ongoing cardiac dysrhythmias of grade >2, ≥ grade 3 atrial fibrillation, or QTc interval of >450 msec for males "
    "and >470 msec for females."
)
GRADE_3_OR_4 = "Grade 3 or Grade 4 cardiac arrhythmia (NCI CTCAE, version 3.0)"  # NCT00446030
ANY_GRADE_AF = (  # NCT01005199 (an inclusion that opens on "No")
    "No ongoing cardiac dysrhythmias of NCI CTCAE grade ≥ 2, atrial fibrillation of any grade, prolongation of QTc > "
    "500 msec on screening electrocardiogram (ECG), or history of familial long QT syndrome"
)


def _cardiac(text: str, section: str = "Exclusion") -> CardiacValues:
    (fact,) = [f for f in one_criterion(text, section).facts if f.kind is FactKind.CARDIAC]
    assert isinstance(fact.values, CardiacValues)
    return fact.values


def _with(condition: str) -> dict[str, object]:
    return patient(conditions=[{"name": condition, "status": "active"}])


def test_a_graded_condition_is_read_with_its_grade() -> None:
    assert _cardiac(GRADE_3_AF).graded == ("atrial fibrillation",)
    assert _cardiac(GRADE_3_OR_4).graded == ("cardiac arrhythmia",)
    assert _cardiac(ANY_GRADE_AF, "Inclusion").graded == ()  # "of any grade"


def test_atrial_fibrillation_on_file_does_not_break_a_ban_of_grade_3_atrial_fibrillation() -> None:
    trial = list_trial(
        "Adults",
        exclusions=(GRADE_3_AF,),
    )
    found = outcome(trial, "Ongoing cardiac dysrhythmias", _with("atrial fibrillation"))
    assert found.outcome is Outcome.UNKNOWN
    assert "its CTCAE grade is not (trial: a grade limit on atrial fibrillation)" in found.reason


def test_atrial_fibrillation_of_any_grade_is_still_banned() -> None:
    trial = list_trial(ANY_GRADE_AF)
    assert outcome(trial, "No ongoing cardiac", _with("atrial fibrillation")).outcome is Outcome.VIOLATED
