"""Review 15 (issue 10; tests/audit/revp15_changes.txt): the cross-line passes of slips 15 (performance.slips_among,
age.slips_and_groups_among) judge a line by what the trial's other lines say, not by where they stand. Each text quotes
registry text of the tuning corpora (lines of one trial, with its id), read in the registry's order and reversed."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.kinds.performance import PerformanceValues
from tests.readings import line_facts, list_text

PS = FactKind.PERFORMANCE_STATUS
AGE = FactKind.AGE


@pytest.mark.parametrize(
    ("items", "exclusions", "line", "kind", "uncertain"),
    [
        (  # NCT02655458: the transplant-fitness line stands before the ECOG lower bound in the registry
            (
                "Subjects with symptomatic MM by IMWG criteria who are receiving or have completed induction "
                "chemotherapy, who have achieved at least a PR on most recent therapy by IMWG criteria, and are "
                "eligible for auto-SCT for consolidation.",
                "Age > 18 years or legal age of consent per local regulations.",
                "Eastern Cooperative Oncology Group (ECOG) performance status ≥ 2.",
            ),
            (),
            "Eastern Cooperative Oncology Group (ECOG) performance status ≥ 2.",
            PS,
            True,
        ),
        (  # NCT00190710: the exclusion that names the single grade comes after it
            (
                "No prior chemotherapy, including adjuvant or neoadjuvant therapy, for the treatment of NSCLC.",
                "ECOG Performance Status of 2 .",
            ),
            ("Active and ongoing systemic infection.", "ECOG PS other than 2"),
            "ECOG Performance Status of 2 .",
            PS,
            False,
        ),
        (  # NCT01149915: the trial's own age line first, the AML group's age after it
            (
                "At least 18 years of age.",
                "Age > 60 years with AML not candidates for or have refused standard chemotherapy, excluding subjects "
                "with acute promyelocytic leukemia (APL) or with favorable cytogenetic abnormalities [inv16, t(8;21)].",
                "ECOG performance status of less than or equal to 3",
            ),
            (),
            "Age > 60 years with AML not candidates for or have refused standard chemotherapy, excluding subjects "
            "with acute promyelocytic leukemia (APL) or with favorable cytogenetic abnormalities [inv16, t(8;21)].",
            AGE,
            True,
        ),
        (  # NCT01149915: the trial's own age line keeps its reading in either order
            (
                "At least 18 years of age.",
                "Age > 60 years with AML not candidates for or have refused standard chemotherapy, excluding subjects "
                "with acute promyelocytic leukemia (APL) or with favorable cytogenetic abnormalities [inv16, t(8;21)].",
            ),
            (),
            "At least 18 years of age.",
            AGE,
            False,
        ),
    ],
)
@pytest.mark.parametrize("reverse", [False, True])
def test_a_cross_line_doubt_does_not_depend_on_the_lines_order(
    items: tuple[str, ...], exclusions: tuple[str, ...], line: str, kind: FactKind, uncertain: bool, reverse: bool
) -> None:
    if reverse:
        items, exclusions = items[::-1], exclusions[::-1]
    facts = line_facts(list_text(*items, exclusions=exclusions), line, kind)
    assert facts
    assert all(bool(f.uncertain) is uncertain for f in facts), [f.uncertain for f in facts]


def test_a_single_grade_that_is_one_alternative_under_an_any_of_lead_in_is_no_slip() -> None:
    # NCT00758693, the lead-in and its first sub-items, without the trial's "ECOG performance status better than or
    # equal 2." line that alone kept the grade before review 15: one way in, not a slip for "ECOG <= 2"
    text = (
        "Inclusion Criteria:\n\n"
        "  -  A minimum of any one of the following disease-related symptoms must be present:\n\n"
        "       -  Weight loss ≥10% within the previous 6 months.\n\n"
        "       -  Extreme fatigue (ie, ECOG PS 2; cannot work or unable to perform usual\n"
        "          activities).\n\n"
        '       -  Fevers of greater than 100.5"F for ≥ 2 weeks without evidence of infection.\n'
    )
    line = "Extreme fatigue (ie, ECOG PS 2; cannot work or unable to perform usual activities)."
    facts = line_facts(text, line, PS)
    assert [(f.values.min, f.values.max) for f in facts if isinstance(f.values, PerformanceValues)] == [(2, 2)]
    assert all(f.uncertain is None for f in facts), [f.uncertain for f in facts]
