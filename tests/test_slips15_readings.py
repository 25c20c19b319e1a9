"""Slips 15 (issue 10; tests/audit/slips15_changes.txt): a performance-status or age requirement that is likely a slip,
and a group's age read as everyone's, judged against the trial's other lines. Each text quotes registry text of the
tuning corpora (lines of one trial, with its id); each class has rows that must keep their reading."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.age import AgeValues
from matcher.eligibility.kinds.performance import PerformanceValues
from tests.readings import UNCERTAIN, check, item_facts, line_facts
from tests.readings import list_text as _trial

PS = FactKind.PERFORMANCE_STATUS
AGE = FactKind.AGE


# --- a single ECOG grade, or ECOG 0 through "<1", that no other line of the trial names --------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (  # NCT02289222 (sample 15 V049, V132; M039)
            _trial(
                "Be over 18 years of age on day of signing informed consent.",
                "Have a performance status of 2 on the ECOG Performance Scale.",
                "Demonstrate adequate organ function as defined by the protocol.",
            ),
            "Have a performance status of 2 on the ECOG Performance Scale.",
        ),
        (  # NCT02149108 (sample 14 U052): a text that lost every "≤" to "="
            _trial(
                "Age >= 18 years",
                "Eastern Cooperative Oncology Group (ECOG) performance status = 1",
                "At least one measurable lesion according to Response Evaluation Criteria In Solid Tumours (RECIST) "
                "version 1.1",
            ),
            "Eastern Cooperative Oncology Group (ECOG) performance status = 1",
        ),
        (  # NCT00681798 (sample 15 V376; J051): the whole text
            _trial(
                "Confirmed diagnosis of locally advanced unresectable or metastatic pancreatic adenocarcinoma",
                "ECOG performance status <1",
                "Measurable disease",
                exclusions=("Severe or uncontrolled systemic disease",),
            ),
            "ECOG performance status <1",
        ),
        (  # NCT01361945
            _trial("Age 18 years", "World Health Organization (WHO) Performance Status of < 1"),
            "World Health Organization (WHO) Performance Status of < 1",
        ),
    ],
)
def test_a_single_grade_no_other_line_names_is_uncertain(text: str, line: str) -> None:
    facts = line_facts(text, line, PS)
    check(facts, UNCERTAIN)
    assert all("may be a slip" in (f.uncertain or "") for f in facts)


@pytest.mark.parametrize(
    ("text", "line", "values"),
    [
        (  # NCT00190710 (sample 15 V372, sample 12 S117: right): the exclusion names the grade too
            _trial(
                "No prior chemotherapy, including adjuvant or neoadjuvant therapy, for the treatment of NSCLC.",
                "ECOG Performance Status of 2 .",
                exclusions=("Active and ongoing systemic infection.", "ECOG PS other than 2"),
            ),
            "ECOG Performance Status of 2 .",
            PerformanceValues("ecog", min=2, max=2),
        ),
        (  # NCT00758693: another line bounds the scores at the same grade
            _trial(
                "Extreme fatigue (ie, ECOG PS 2; cannot work or unable to perform usual activities).",
                "Age >65 years.",
                "ECOG performance status better than or equal 2.",
            ),
            "Extreme fatigue (ie, ECOG PS 2; cannot work or unable to perform usual activities).",
            PerformanceValues("ecog", min=2, max=2),
        ),
    ],
)
def test_a_single_grade_another_line_names_keeps_its_reading(text: str, line: str, values: PerformanceValues) -> None:
    check(line_facts(text, line, PS), [(Polarity.REQUIRE, values, None)])


def test_the_same_single_grade_alone_is_uncertain() -> None:
    check(item_facts("Inclusion", "ECOG Performance Status of 2 .", PS), UNCERTAIN)  # NCT00190710's line alone


# --- a lower bound that the trial's other lines contradict ---------------------------------------------------------


def test_a_lower_bound_in_a_trial_for_transplant_eligible_patients_is_uncertain() -> None:
    text = _trial(  # NCT02655458 (sample 12 S311; sample 6 L026 re-judged)
        "Subjects with symptomatic MM by IMWG criteria who are receiving or have completed induction chemotherapy, "
        "who have achieved at least a PR on most recent therapy by IMWG criteria, and are eligible for auto-SCT for "
        "consolidation.",
        "Age > 18 years or legal age of consent per local regulations.",
        "Eastern Cooperative Oncology Group (ECOG) performance status ≥ 2.",
    )
    check(line_facts(text, "Eastern Cooperative Oncology Group (ECOG) performance status ≥ 2.", PS), UNCERTAIN)


def test_a_lower_bound_whose_bracketed_equivalent_points_the_other_way_is_uncertain() -> None:
    line = (  # NCT01042704
        "ECOG performance status >=2 (Karnofsky >=60%). Patients with PS of 3 are eligible if their PS is due to "
        "pain, which would likely improve with treatment."
    )
    check(item_facts("Inclusion", line, PS), UNCERTAIN)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (  # NCT00549328 (sample 15 V255, sample 12 S335: right)
            _trial(
                "18 years of age or older.",
                "Eastern Cooperative Oncology Group performance status of at least 2.",
                "Measurable disease according to RECIST.",
                exclusions=("Presence of uncontrolled infection.",),
            ),
            "Eastern Cooperative Oncology Group performance status of at least 2.",
        ),
        (  # NCT01056510 (samples 12 and 14, S273, U042, U325: right)
            _trial(
                "adult patients, >/=18 years of age",
                "active CLL with progressive Binet stage B or C",
                "EOCG performance status >/=2",
            ),
            "EOCG performance status >/=2",
        ),
        (  # NCT01042704: an exclusion of transplant candidates is no trial for fit patients
            _trial(
                "Age >= 18 years",
                "ECOG performance status >=2.",
                exclusions=(
                    "Patients who have not collected hematopoietic progenitors and are potential candidates for "
                    "autologous transplantation .",
                ),
            ),
            "ECOG performance status >=2.",
        ),
    ],
)
def test_a_lower_bound_nothing_contradicts_keeps_its_reading(text: str, line: str) -> None:
    check(line_facts(text, line, PS), [(Polarity.REQUIRE, PerformanceValues("ecog", min=2), None)])


# --- an upper age limit another line of the trial contradicts -------------------------------------------------------


def test_an_upper_age_limit_below_an_age_the_trial_names_is_uncertain() -> None:
    text = _trial(  # NCT01918306 (samples 8, 12, 14, 15: N023, S142, U388, V200)
        "Patients must provide informed written consent.",
        "Patients must be <18 years of age.",
        "ECOG performance status 0-1.",
        "For patients who are not postmenopausal or surgically sterile (absence of ovaries and/or uterus), agreement "
        "to remain abstinent or to use two adequate methods of contraception; postmenopausal is defined as:",
        "Age >/= 60 years",
    )
    facts = line_facts(text, "Patients must be <18 years of age.", AGE)
    check(facts, UNCERTAIN)
    assert "'Age >/= 60'" in (facts[0].uncertain or "")


@pytest.mark.parametrize(
    ("text", "line", "values"),
    [
        # a pediatric limit nothing else contradicts
        (_trial("Patients must be <18 years of age."), "Patients must be <18 years of age.", AgeValues("<", 18)),
        (  # NCT00365365: two limits of one band
            _trial("Women >/= 18 years of age.", "age < 35 years"),
            "age < 35 years",
            AgeValues("<", 35),
        ),
    ],
)
def test_an_upper_age_limit_nothing_contradicts_keeps_its_reading(text: str, line: str, values: AgeValues) -> None:
    check(line_facts(text, line, AGE), [(Polarity.REQUIRE, values, None)])


# --- a group's age, where the trial states its own age limit on a line of its own -----------------------------------

_NCT01149915 = _trial(
    "At least 18 years of age.",
    "Acute myelogenous leukemia (AML) by WHO classification relapsed or refractory to standard chemotherapy; "
    "unsuitable for standard chemotherapy or unwilling to undergo standard chemotherapy.",
    "Age > 60 years with AML not candidates for or have refused standard chemotherapy, excluding subjects with acute "
    "promyelocytic leukemia (APL) or with favorable cytogenetic abnormalities [inv16, t(8;21)].",
    "ECOG performance status of less than or equal to 3",
)
_NCT01220297 = _trial(
    "Acute myelogenous leukemia (AML), beyond 2nd remission or relapsed/refractory disease, age 2 to 60 years",
    "AML, in first or subsequent remission or relapsed/refractory disease, age 51 to 60 years of age",
    "ALL, age 51 - 60 years in first or subsequent remission or relapsed/refractory disease",
    "Males and females of any ethnic background, 2 to 60 years of age",
)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (  # sample 15 V045
            _NCT01149915,
            "Age > 60 years with AML not candidates for or have refused standard chemotherapy, excluding subjects with "
            "acute promyelocytic leukemia (APL) or with favorable cytogenetic abnormalities [inv16, t(8;21)].",
        ),
        (  # sample 15 V337
            _NCT01220297,
            "Acute myelogenous leukemia (AML), beyond 2nd remission or relapsed/refractory disease, age 2 to 60 years",
        ),
        (
            _NCT01220297,
            "AML, in first or subsequent remission or relapsed/refractory disease, age 51 to 60 years of age",
        ),
        (  # sample 15 V338
            _NCT01220297,
            "ALL, age 51 - 60 years in first or subsequent remission or relapsed/refractory disease",
        ),
    ],
)
def test_an_age_in_a_line_that_names_a_group_is_that_groups(text: str, line: str) -> None:
    facts = line_facts(text, line, AGE)
    check(facts, UNCERTAIN)
    assert all("the group this line names" in (f.uncertain or "") for f in facts)


@pytest.mark.parametrize(
    ("text", "line", "values"),
    [
        (_NCT01149915, "At least 18 years of age.", AgeValues(">=", 18)),
        (
            _NCT01220297,
            "Males and females of any ethnic background, 2 to 60 years of age",
            AgeValues(min_years=2, max_years=60),
        ),
    ],
)
def test_the_trials_own_age_line_keeps_its_reading(text: str, line: str, values: AgeValues) -> None:
    check(line_facts(text, line, AGE), [(Polarity.REQUIRE, values, None)])
