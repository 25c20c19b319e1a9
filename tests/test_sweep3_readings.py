"""Sweep 3 (issue 10; tests/audit/sweep3_changes.txt): every `violated` outcome of the audit pool whose deciding fact is
a progression, a brain-metastases or a performance-status reading was read against its profile and trial text; the
wrong ones fall into classes of phrasing. Each row quotes registry text of the tuning corpora, with the trial it came
from, and its expected reading; each class has rows that must keep their reading."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.brain_metastases import BrainValues
from matcher.eligibility.kinds.performance import PerformanceValues
from matcher.eligibility.kinds.progression import ProgressionValues
from matcher.eligibility.numbers import Window
from matcher.eligibility.parser import parse_text
from tests.readings import NONE, UNCERTAIN
from tests.readings import check as _check
from tests.readings import item_facts as _item
from tests.readings import line_facts as _facts

PROGRESSION, BRAIN, PS = FactKind.PROGRESSION, FactKind.BRAIN_METASTASES, FactKind.PERFORMANCE_STATUS
# --- progression: not the patient's progression, or no plain requirement ---------------------------------------------

_NOT_ASKED = [
    # either way, a risk, what lesions serve for, a reason, pharmacodynamics, a rapid progression
    "Exhibiting a relapsing clinical course, with or without progression (relapsing remitting, secondary progressive "
    "or progressive relapsing);",  # NCT00134563
    "Patients must be high or intermediate risk of disease progression as defined by having one of the following "
    "criteria: 2.1 ISS stage 2 or 3 disease 2.2 Abnormal metaphase cytogenetics",  # NCT02043860
    "Patients must have at least one measurable lesion as defined by RECIST. Irradiated lesions and non-measurable "
    "disease are only evaluable for disease progression",  # NCT01361945
    # NCT00659178
    "The subject is likely to maintain good venous blood access for PK and PD sampling throughout the study;",
    "Able and willing to undergo blood sampling for PK and PD analysis;",  # NCT02418624
    # NCT02494583
    "Human epidermal growth factor receptor 2- (HER2/neu-) negative and programmed cell death ligand 1 "
    "(PD-L1)-positive",
    "Eligible for taxane monotherapy (i.e., absence of rapid clinical progression, life-threatening visceral "
    "metastases, or the need for rapid symptom and/or disease control)",  # NCT02425891
]


@pytest.mark.parametrize("line", _NOT_ASKED)
def test_a_progression_that_is_not_the_patients_is_not_read(line: str) -> None:
    _check(_item("Inclusion", line, PROGRESSION), NONE)


_DOUBTED = [
    # a permission to keep a therapy
    "Patients on stable doses of bisphosphonates that show subsequent tumor progression may continue on this "
    "medication; however, patients are not allowed to initiate bisphosphonate therapy within 4 weeks prior to "
    "starting therapy or throughout the study",  # NCT01083368
    # NCT03066947
    "Patients may be maintained on hormonal therapy provided there is clear evidence of tumor progression",
    # another way to qualify
    "Evidence of either progressive disease or stable disease following TACE.",  # NCT01618253
    "Radiographic progression is confirmed during or after systemic chemotherapy including sorafenib, or those who are "
    "intolerance to the chemotherapy.",  # NCT02029157
    # a group it is asked of
    "Patients with progressive disease between 4 and 12 weeks after completion of external beam radiotherapy must have "
    "clear evidence of progression on MRI",  # NCT00045110
    "Patients who have been recently withdrawn from treatment with bicalutamide or flutamide must demonstrate "
    "progression of disease",  # NCT00176527
    # an if-condition, a condition of a permission
    "Patients receive peripheral blood stem cell transplantation only if in complete remission or in very good "
    "partial remission with no disease progression",  # NCT00003926
    "Patients may have received prior lenalidomide as long as it has been at least two years since exposure and the "
    "patient may not have experienced a progression while receiving lenalidomide previously",  # NCT02160015
    # a window counted from a therapy's last dose
    "Subjects must have progressed either within 3 months following last dose of adjuvant trastuzumab treatment or "
    "progressed following trastuzumab based therapies for metastatic disease.",  # NCT00412412
]


@pytest.mark.parametrize("line", _DOUBTED)
def test_a_progression_asked_of_some_or_beside_an_alternative_is_uncertain(line: str) -> None:
    _check(_item("Inclusion", line, PROGRESSION), UNCERTAIN)


_NO_WINDOW = [
    # a drug's washout, the spacing of measurements, an assessment's date: not the progression's recency
    "Patients receiving non-steroidal anti-androgens (e.g., flutamide) or other hormonal treatment (such as "
    "ketoconazole, abiraterone, or TAK-700) must have stopped these drugs at least 28 days prior to enrollment for "
    "flutamide or ketoconazole, or at least 42 days prior to enrollment for bicalutamide or nilutamide, and the "
    "patients must have demonstrated progression of disease since the agents were suspended",  # NCT01267266
    "Progression of unidimensionally measurable disease assessed within 28 days prior to initial administration of "
    "drug",  # NCT00513071, NCT02339168
]


@pytest.mark.parametrize("line", _NO_WINDOW)
def test_a_duration_that_is_not_the_progressions_window_is_dropped_from_a_requirement(line: str) -> None:
    _check(_item("Inclusion", line, PROGRESSION), [(Polarity.REQUIRE, ProgressionValues(), None)])


def test_a_washouts_duration_is_dropped_and_the_progression_is_the_therapys_patients() -> None:
    # NCT00337077: the washout is no window; the progression is asked of the antiandrogen users only (prog14, U014)
    line = (
        "At least 4 weeks since prior flutamide (6 weeks for bicalutamide or nilutamide) and there is continued "
        "evidence of disease progression"
    )
    doubt = "the progression is asked of the patients who had the therapy of the washout before it"
    _check(_item("Inclusion", line, PROGRESSION), [(Polarity.REQUIRE, ProgressionValues(), doubt)])


@pytest.mark.parametrize(
    ("line", "values"),
    [
        (
            "Have evidence of disease progression by Response Evaluation Criteria in Solid Tumors (RECIST) 1.1 "
            "criteria within 3 months prior to study enrollment",
            ProgressionValues(Window(3, "month"), True),
        ),  # NCT02538510
        (
            "Patients must have documentation of disease progression within 6 months prior to study entry.",
            ProgressionValues(Window(6, "month")),
        ),  # NCT02275286
        ("Documented progressive disease", ProgressionValues()),  # NCT00563147
        ("Progressive disease after androgen deprivation", ProgressionValues()),  # NCT00473746
        ("Recurrent or progressive disease that is refractory to standard therapy", ProgressionValues()),  # NCT00679354
        ("Disease progression or recurrence after at least one endocrine therapy", ProgressionValues()),  # NCT02482753
    ],
)
def test_a_plain_progression_requirement_keeps_its_reading(line: str, values: ProgressionValues) -> None:
    _check(_item("Inclusion", line, PROGRESSION), [(Polarity.REQUIRE, values, None)])


def test_an_exclusion_drops_a_therapys_duration() -> None:
    line = (  # NCT02973399: "for at least 18 months" is ibrutinib's, not the progression's (fresh sample 15's V140,
        # V176, V397 judged the 18-month window a wrong reading; prog15): "without evidence of disease progression"
        # has no window. This test kept the window (it only narrowed the exclusion) until then.
        "A diagnosis of CLL as defined by IWCLL 2008 criteria and currently on treatment with ibrutinib for at least "
        "18 months with residual disease and without evidence of disease progression."
    )
    _check(_item("Inclusion", line, PROGRESSION), [(Polarity.EXCLUDE, ProgressionValues(), None)])


# --- brain metastases ------------------------------------------------------------------------------------------------


def test_a_bare_patients_with_brain_metastases_in_an_inclusion_list_is_no_requirement() -> None:
    # NCT00201838: an exclusion list under a second "Inclusion Criteria:" heading
    _check(_item("Inclusion", "Patients with known brain or leptomeningeal disease.", BRAIN), UNCERTAIN)


def test_a_brain_metastasis_required_under_an_exclusions_exception_is_uncertain() -> None:
    text = (  # NCT02429089
        "Exclusion Criteria:\n\n- Patients with central nervous system (CNS) involvement unless they meet ALL of the "
        "following criteria:\n  - At least 4 weeks from prior therapy completion (including radiation and/or surgery) "
        "to starting the study treatment\n  - Clinically stable CNS tumor at the time of screening and not receiving "
        "steroids and/or enzyme-inducing anti-epileptic medications for brain metastases.\n"
    )
    line = (
        "Clinically stable CNS tumor at the time of screening and not receiving steroids and/or enzyme-inducing "
        "anti-epileptic medications for brain metastases."
    )
    facts = _facts(text, line, BRAIN)
    assert all(f.uncertain for f in facts if f.polarity is Polarity.REQUIRE), facts


@pytest.mark.parametrize(
    ("line", "values"),
    [
        ("At least one parenchymal brain metastasis", BrainValues()),  # NCT00470847
        (
            "Newly developed inoperable brain metastases without associated hemorrhage or midline shift.",
            BrainValues(),
        ),  # NCT02065466
        (
            "Diagnosis of brain metastases on a Gadolinium-enhanced MRI. More than 3 sites of intracranial metastases, "
            "or the longest diameter of the intracranial lesion is more than 3cm.",
            BrainValues(),
        ),  # NCT01516983
        (
            "Radiologic evidence of new and/or progressive parenchymal brain metastasis, spinal cord metastases ( "
            "intramedullary) or leptomeningeal disease (LMD) by magnetic resonance (MR) imaging of the brain and/or "
            "spine, or CSF cytology evidence of new LMD.",
            BrainValues("active"),
        ),  # NCT02650752
    ],
)
def test_a_required_brain_metastasis_keeps_its_reading(line: str, values: BrainValues) -> None:
    _check(_item("Inclusion", line, BRAIN), [(Polarity.REQUIRE, values, None)])


# --- performance status --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "line"),
    [
        (
            "Inclusion",
            "PATIENT CHARACTERISTICS: Age: Any age Performance status: Not specified Hematopoietic: WBC at least 3,000 "
            "Platelets at least 75,000",
        ),  # NCT00002863: Karnofsky >= 3000
        (
            "Inclusion",
            "Patients must have a performance status corresponding to an Eastern Cooperative Oncology Group (ECOG) "
            "scores of 0, 1 or 2; use Karnofsky for patients > 16 years of age and Lansky for patients =< 16 years of "
            "age",
        ),  # NCT02642965: Karnofsky >= 26, Lansky <= 16
        ("Inclusion", "Eastern Cooperative Oncology Group (ECOG, R01-0787) performance score ¿ 2"),  # NCT02273388
        ("Inclusion", "Eastern Cooperative Oncology Group (ECOG) performance status (PS) £ 1"),  # NCT00234416
        (
            "Inclusion",
            "Zubrod performance status 0-1, meeting ≥ 1 of the following criteria OR Zubrod performance status 2 with "
            "no co-morbidities or meeting 1 of the following criteria:",
        ),  # NCT00288054
        ("Exclusion", "Performance status > ECOG 2 after optimization of analgesics"),  # NCT01466647
        (
            "Inclusion",
            "Performance status of < 2 as per ECOG scale, unless PS of 3-4 based solely on bone pain.",
        ),  # NCT01062230
    ],
)
def test_a_performance_status_read_through_a_doubt_is_uncertain(section: str, line: str) -> None:
    facts = _item(section, line, PS)
    assert facts and any(f.uncertain for f in facts), facts


def test_less_than_or_equal_in_symbol_and_words_is_an_upper_bound() -> None:
    line = "Eastern Cooperative Oncology Group (ECOG) performance status < or equal to 2"  # NCT01992952: read as 2-2
    _check(_item("Inclusion", line, PS), [(Polarity.REQUIRE, PerformanceValues("ecog", max=2), None)])


@pytest.mark.parametrize(
    "line",
    [
        "Patients who have an ECOG PS of 0, 1 or 2 or a Karnofsky Performance Status > 70 %",  # NCT01335074
        "Karnofsky performance status (KPS) ≥ 70%, or Eastern Cooperative Oncology Group (ECOG) performance status 0 "
        "to 1",  # NCT00609921
        "ECOG performance status (PS) 0-1 OR Karnofsky PS 70-100%",  # NCT00521144
        # NCT01220297
        "Karnofsky Performance Status (KPS) ≥ 70% or Lansky performance status > 70% for patients < 16 years of age.",
    ],
)
def test_scales_joined_by_or_are_alternatives(line: str) -> None:
    facts = _item("Inclusion", line, PS)
    assert len(facts) == 2 and all(isinstance(f.values, PerformanceValues) and f.values.alternative for f in facts)


@pytest.mark.parametrize(
    ("line", "values"),
    [
        ("Eastern Cooperative Oncology Group (ECOG) performance status of 0 or 1.", PerformanceValues("ecog", max=1)),
        ("ECOG performance status 0-1 (Karnofsky >= 70%)", PerformanceValues("ecog", max=1)),  # NCT00275028
        ("Karnofsky performance status ≥ 80%", PerformanceValues("karnofsky", min=80)),  # NCT01900327
        # (NCT00190710's "ECOG Performance Status of 2 ." keeps its reading beside its exclusion "ECOG PS other than
        # 2"; alone, a single grade no other line names is uncertain: tests/test_slips15_readings.py)
    ],
)
def test_a_plain_performance_status_keeps_its_reading(line: str, values: PerformanceValues) -> None:
    _check(_item("Inclusion", line, PS), [(Polarity.REQUIRE, values, None)])


@pytest.mark.parametrize(
    "line",
    [
        "Patients are also considered to have progressive disease when:",  # NCT01889420: a definition's lead-in
        "Measurable disease (RECIST 1.1 (Appendix 2) or Progressive Disease (PD) according to CA125 GCIG criteria with "
        "non-measurable disease on CT scan.",  # NCT02055690: an alternative before it
    ],
)
def test_a_defined_progression_or_one_after_another_alternative_is_uncertain(line: str) -> None:
    _check(_item("Inclusion", line, PROGRESSION), UNCERTAIN)


def test_a_bracketed_alternative_scale_makes_the_limit_uncertain() -> None:
    line = "Eastern Cooperative Oncology Group (ECOG) Performance Status ≤1 (or Karnofsky ≥70%)."  # NCT01618253
    _check(_item("Inclusion", line, PS), UNCERTAIN)


# --- review of sweep 3 (tests/audit/sweep3_changes.txt, "Review") ----------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        # a reason among others: the progression is read, and doubted (sweep 3 dropped every progression after "due to")
        "Failed 1 prior platinum-containing chemotherapy regimen for advanced or metastatic disease due to disease "
        "progression or treatment toxicity",  # NCT00081107
        "Not eligible for other protocols due to progressive disease OR maximum number of vaccine injections with "
        "stable disease has been attained",  # NCT00324623
    ],
)
def test_a_progression_given_as_one_reason_among_others_is_uncertain(line: str) -> None:
    _check(_item("Inclusion", line, PROGRESSION), UNCERTAIN)


def test_another_way_in_is_looked_for_in_the_progressions_sentence_only() -> None:
    # two sentences of the registry: NCT00563147's requirement, then NCT02186834's transplant sentence, whose
    # "(or refused)" is an alternative to the transplant, not to the progression
    line = (
        "Documented progressive disease. Patients must have previously received or be ineligible for (or refused) "
        "autologous stem cell transplant."
    )
    _check(_item("Inclusion", line, PROGRESSION), [(Polarity.REQUIRE, ProgressionValues(), None)])


def test_an_unless_in_a_later_item_of_the_same_line_does_not_doubt_the_performance_status() -> None:
    # Chia's NCT02804646: numbered items run on one line; the "unless" is the pregnancy test's (item 13)
    text = (
        "Inclusion Criteria:\n\n5) ECOG PS 0 or 1; 6) expected survival at least 3 months; 13) have an intact uterus "
        "in women prior to enrollment in the study must have a negative pregnancy test result (unless it is already 24 "
        "months of amenorrhea) within 28 days.\n"
    )
    facts = [f for c in parse_text(text) for f in c.facts if f.kind is PS]
    _check(facts, [(Polarity.REQUIRE, PerformanceValues("ecog", max=1), None)])


@pytest.mark.parametrize(
    "line",
    [
        # NCT00610792: a progression-free interval is a time without progression
        "Prior anthracycline limited to doxorubicin equivalent of 280mg/m2 with progression free interval of at least "
        "12 months for patients who have been pre-treated with CAELYX",
        # NCT00862836
        "Patients with a progression-free-interval of 6 to 12 months after platinum-based chemotherapy are only "
        "eligible if a further course of platinum-based combination chemotherapy is not possible as judged by the "
        "investigator(s).",
    ],
)
def test_a_progression_free_interval_is_no_progression(line: str) -> None:
    _check(_item("Inclusion", line, PROGRESSION), NONE)


def test_a_progression_free_intervals_durations_are_no_window_of_the_progression() -> None:
    line = (
        "Has evidence of PD, with progression-free interval ≥6 months in Phase 1 ≥18 months in Phase 2"  # NCT03687125
    )
    _check(_item("Inclusion", line, PROGRESSION), [(Polarity.REQUIRE, ProgressionValues(), None)])


def test_another_way_in_before_evidence_of_progression_makes_it_uncertain() -> None:
    line = (  # NCT00735878: the progression-free survival is skipped, the toxicities are another way in
        "For patients participating in the phase I part of the study, no alternative therapy is available that is "
        "expected to prolong overall or progression-free survival. Unacceptable toxicities during first- or "
        "second-line therapy or evidence for disease progression."
    )
    _check(_item("Inclusion", line, PROGRESSION), UNCERTAIN)
