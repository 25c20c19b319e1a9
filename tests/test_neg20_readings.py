"""neg20 (issue 10; tests/audit/neg20_changes.txt): three misreadings of fresh sample 20 whose outcomes were right only
because the trial is for another cancer, and the classes they stand for. Each row quotes registry text of the tuning
corpora, with the trial it came from; each class has rows that must keep their reading.

1. A negation reaches neither across the separators of a list of alternatives that the negated phrase stands in, nor
   out of the bracket it stands in (AA095).
2. "with or without X", "regardless of X", "whether or not X" ask nothing about X (AA291): X is neither required nor
   excluded, and the "without" negates nothing. A therapy is left to the therapy kind (tests below keep its reading).
3. A statement that something does not bear on eligibility ("... are irrelevant in terms of inclusion or exclusion",
   "... is not an exclusion", "... are not contraindications to enrollment") is a note, not a requirement (AA214).
"""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.brain_metastases import BrainValues
from matcher.eligibility.kinds.cardiac import CardiacValues
from matcher.eligibility.kinds.extent import ExtentValues
from matcher.eligibility.kinds.primary_site import PrimarySiteValues
from tests.readings import NONE, UNCERTAIN, check, item_facts, therapy_facts

EXTENT, MEASURABLE, BRAIN = FactKind.DISEASE_EXTENT, FactKind.MEASURABLE_DISEASE, FactKind.BRAIN_METASTASES
SITE, BIOMARKER, CONDITION = FactKind.PRIMARY_SITE, FactKind.BIOMARKER, FactKind.CONDITION

# --- 1. a negation stays in its own item of a list of alternatives, and in its bracket --------------------------------


def test_a_negation_inside_one_alternative_does_not_exclude_the_next() -> None:
    # NCT01165216 (fresh sample 20's AA095): stage IV is one way in; "without" belongs to the stage IIIB alternative
    line = (
        "Histologically or cytologically documented nonsmall-cell lung cancer (NSCLC) presenting as stage IIIB "
        "disease without indications for definitive radiotherapy, stage IV disease, or recurrent disease following "
        "radiation therapy or surgical resection"
    )
    # the other ways in (stage IIIB without an indication, recurrent disease) are not read: uncertain (extent20)
    [extent] = item_facts("Inclusion", line, EXTENT)
    assert extent.polarity is Polarity.REQUIRE and extent.values == ExtentValues(("metastatic",), stage="IV")
    assert extent.uncertain and "another is not read" in extent.uncertain
    # the therapies stay the therapy kind's reading: uncertain, never violated (therapy.py is not changed here)
    check(therapy_facts("Inclusion", line), UNCERTAIN)


def test_a_negation_in_brackets_does_not_reach_past_them() -> None:
    # NCT02299505: the "not" of the bracket is the stage IIIB alternative's; the NSCLC and ALK are required
    line = (
        "Histologically or cytologically confirmed diagnosis of stage IIIB (and is not a candidate for definitive "
        "multimodality therapy) or IV ALK-positive NSCLC."
    )
    check(
        item_facts("Inclusion", line, SITE),
        [(Polarity.REQUIRE, PrimarySiteValues(("site.lung",), ("lung cancer",)), None)],
    )
    assert [f.polarity for f in item_facts("Inclusion", line, BIOMARKER)] == [Polarity.REQUIRE]


def test_a_bracketed_negation_before_a_therapy_is_left_to_the_therapy_kind() -> None:
    # NCT00601718: "(i.e. not responded or progressed within 6 months)" defines refractory; the therapy kind doubts a
    # negation inside brackets itself (tests/test_therapy5_readings.py), so its reading is unchanged here
    line = (
        "Patients that are refractory (i.e. not responded or progressed within 6 months) to a carboplatin, "
        "cisplatin, ifosfamide, or etoposide-based regimen-based regimen"
    )
    facts = therapy_facts("Exclusion", line)
    assert facts and all("inside brackets" in (f.uncertain or "") for f in facts)


_LISTS_KEPT = [
    # a list the negation governs: every item negated
    # NCT00150462
    ("Inclusion", "Adequate cardiovascular function without symptomatic ischemia, conduction abnormalities "
     "uncontrolled by conventional intervention, or myocardial infarction in the past 6 months", FactKind.CARDIAC),
    # NCT02903069
    ("Inclusion", "Absence of known HIV infection, chronic hepatitis B, or hepatitis C infection", FactKind.INFECTION),
]  # fmt: skip


@pytest.mark.parametrize(("section", "line", "kind"), _LISTS_KEPT)
def test_a_list_the_negation_governs_stays_negated(section: str, line: str, kind: FactKind) -> None:
    facts = item_facts(section, line, kind)
    assert facts and all(f.polarity is Polarity.EXCLUDE for f in facts), facts


# --- 2. "with or without", "regardless of": asked neither way ---------------------------------------------------------

_EITHER_WAY = [
    # NCT00861471 (fresh sample 20's AA291)
    ("Inclusion", "Patients must have hormone-refractory prostate carcinoma as evidenced by PSA progression, with or "
     "without evidence of measurable disease, or evaluable disease by a positive bone scan. PSA progression is "
     "defined as > 25% increase in 2 consecutive tests in which the first increase in PSA should occur a minimum of "
     "1 week from the reference value and this increase in PSA should be confirmed and ≥ 5 ng/ml", MEASURABLE),
    # NCT03300609
    ("Inclusion", "Metastatic or locally advanced (unresectable) colorectal cancer with histological confirmation of "
     "adenocarcinoma (patients with or without measurable disease by imaging are eligible)", MEASURABLE),
    # NCT01063478: the later mention is how they are evaluated, not asked either
    ("Inclusion", "Patients will be eligible with or without measurable or evaluable disease. Patients with both "
     "measurable and evaluable disease will be evaluated for criteria for measurable disease", MEASURABLE),
    # NCT01131364
    ("Inclusion", "Histologically or cytologically confirmed solid cancer with/without evidence of locally advanced "
     "or metastatic disease (Appendix B).", EXTENT),
    # NCT01192165
    ("Inclusion", "The subject has a solid tumor. Expansion cohorts are limited to non-small cell lung cancer and/or "
     "pancreatic cancer with or without a KRAS mutation.", BIOMARKER),
    # NCT02658084
    ("Inclusion", "For patients with hormone receptor-positive disease: disease progression or recurrence in any "
     "setting on prior hormonal therapy, given with or without HER2 directed therapy.", BIOMARKER),
    # NCT02421939
    ("Inclusion", "Participant is refractory to or relapsed after first-line AML therapy (with or without "
     "hematopoietic stem cell transplant (HSCT)).", CONDITION),
    # NCT01975688
    ("Exclusion", "Subjects with RTOG Grade 4 oral mucositis (necrosis or deep ulceration, with or without "
     "bleeding).", CONDITION),
]  # fmt: skip


@pytest.mark.parametrize(("section", "line", "kind"), _EITHER_WAY)
def test_with_or_without_asks_nothing_of_what_it_names(section: str, line: str, kind: FactKind) -> None:
    check(item_facts(section, line, kind), NONE)


def test_with_or_without_leaves_the_rest_of_the_criterion_asked() -> None:
    # NCT00712790: the unresectable HCC is still asked, the metastases either way
    check(
        item_facts("Inclusion", "Unresectable HCC with or without systemic metastases.", EXTENT),
        [(Polarity.REQUIRE, ExtentValues(("locally_advanced",)), None)],
    )
    # NCT00170157: what follows the either-way names is still read: the CNS metastases are excluded
    line = (
        "Histologically confirmed adenocarcinoma of the prostate staged within 180 days of study enrollment, "
        ">cT2cN0/M0 stage with or without metastatic disease, with the exclusion of central nervous system (CNS) "
        "metastases; includes post radical prostatectomy patients with a rising PSA"
    )
    check(item_facts("Inclusion", line, BRAIN), [(Polarity.EXCLUDE, BrainValues("any"), None)])


def test_with_or_without_a_therapy_keeps_the_therapy_kinds_reading() -> None:
    # NCT01116648: the therapy kind would read an excepted therapy as an exception ("a chemotherapy other than
    # chemotherapy"), so "with or without" a therapy is left to it
    facts = therapy_facts(
        "Inclusion",
        "Prior chemotherapy must have included a first-line platinum-based regimen with or without intravenous "
        "consolidation chemotherapy",
    )
    assert [(f.polarity, f.values.classes, f.values.except_classes) for f in facts] == [  # type: ignore[attr-defined]
        (Polarity.REQUIRE, ("class.chemotherapy", "class.platinum"), ())
    ]


def test_independent_of_is_not_either_way() -> None:
    # NCT02412878: "independent of growth factor support" is a condition on the count, the count is still asked
    facts = item_facts(
        "Inclusion",
        "Absolute neutrophil count (ANC) ≥ 1000/mm³ (screening ANC should be independent of growth factor support "
        "for ≥ 1 week)",
        FactKind.LAB,
    )
    assert facts and all(f.polarity is Polarity.REQUIRE for f in facts)


# --- 3. a statement that something does not bear on eligibility -------------------------------------------------------


def test_what_is_irrelevant_to_eligibility_is_not_asked() -> None:
    # NCT01044966 (fresh sample 20's AA214): no brain metastases asked, no contraindication excluded; the GBM is
    line = (
        "Diagnosis Patients with the histological diagnosis of recurrent GBM made either by biopsy or resection of "
        "recurrent disease. Cytological evidence of malignant cells in CSF and/or clinical and radiographic evidence "
        "of leptomeningeal disease are irrelevant in terms of inclusion or exclusion into this study. Bihemispheric "
        'extension ("butterfly GBM"), multi-focality, and/or subependymal spread are not contraindications to '
        "enrollment."
    )
    check(item_facts("Inclusion", line, BRAIN), NONE)
    check(item_facts("Inclusion", line, FactKind.HYPERSENSITIVITY), NONE)
    brain_tumour = PrimarySiteValues(("site.brain",), ("brain tumour",))
    check(item_facts("Inclusion", line, SITE), [(Polarity.REQUIRE, brain_tumour, None)])


_NOT_AN_EXCLUSION = [
    # NCT01131364
    ("Patient requires or is taking corticosteroids or other immunosuppressant drugs on a long-term basis. Limited use "
     "of corticosteroids to treat or prevent acute hypersensitivity reactions is not considered an exclusion "
     "criterion.", FactKind.HYPERSENSITIVITY),
    # NCT02721459 (and NCT03501368): with a condition after it, what the condition names is not asked of everyone
    ("Previous malignancy is not an exclusion provided that the other malignancy is considered under control, "
     "patient is not on concomitant anti-cancer drug therapy, and target lesions from melanoma are clearly defined "
     "for response assessment.", FactKind.OTHER_MALIGNANCY),
]  # fmt: skip


@pytest.mark.parametrize(("line", "kind"), _NOT_AN_EXCLUSION)
def test_what_is_not_an_exclusion_does_not_exclude(line: str, kind: FactKind) -> None:
    check(item_facts("Exclusion", line, kind), NONE)


def test_a_note_that_one_condition_is_not_an_exclusion_leaves_the_others_excluded() -> None:
    # NCT02915666: the controlled atrial fibrillation is spared, the rest of the list still excludes
    line = (
        "Uncontrolled inter-current illness including, but not limited to, ongoing or active infection, symptomatic "
        "congestive heart failure (>class II based on NYHA), unstable angina pectoris, clinically significant and "
        "uncontrolled cardiac arrhythmia, uncontrolled thyroid disease, or psychiatric illness/social situations that "
        "would limit compliance with study requirements. Acute coronary syndrome within 24 weeks. Note atrial "
        "fibrillation controlled >30 days is not an exclusion."
    )
    facts = item_facts("Exclusion", line, FactKind.CARDIAC)
    assert len(facts) == 1 and facts[0].polarity is Polarity.EXCLUDE
    values = facts[0].values
    assert isinstance(values, CardiacValues)
    assert "atrial fibrillation" not in values.conditions and "unstable angina" in values.conditions
