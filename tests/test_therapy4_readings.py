"""Therapy 4 (issue 10; tests/audit/therapy4_changes.txt): a least time told beside a required therapy ("after at
least 6 months", "> 6 months after conclusion of therapy", "At least 12 weeks of prior treatment") is a time elapsed
since it or how long it was given, never a recent window it must fall in. Each phrasing is registry text with the
trial it came from."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from tests.readings import NONE, UNCERTAIN, check, facts_of, item_facts, one_criterion

T = FactKind.PRIOR_THERAPY

# a required therapy with a least time told by the disease's course or the therapy's length: required, no window
KEPT_WITHOUT_WINDOW = [
    (
        "Have been treated one time with a platinum-based chemotherapy and your disease has come back at least six "
        "months after you completed treatment",
        {"classes": ("class.platinum",)},
    ),  # NCT01663857
    (
        "Received platinum and taxane combination chemotherapy as first-line treatment with disease recurrence > 6 "
        "months after conclusion of therapy",
        {"classes": ("class.chemotherapy", "class.platinum", "class.taxane")},
    ),  # NCT00303888
    (
        "Disease recurred ≥ 18 months after completion of prior external beam radiotherapy (EBRT) for stage T1-T2b, "
        "N0/X, M0 disease",
        {"categories": ("radiotherapy",)},
    ),  # NCT00788307
    (
        "Must have had at least a 6-month disease-free period following prior treatment with the penultimate "
        "platinum-based chemotherapy and achieved a response.",
        {"classes": ("class.platinum",)},
    ),  # NCT01968213
    (
        "Must have received an cetuximab-containing regimen for at least 6 weeks for treatment of metastatic disease",
        {"drugs": ("drug.cetuximab",)},
    ),  # NCT00551421
    (
        "Was treated for at least 24 weeks with MK-3475 before discontinuing therapy",
        {"drugs": ("drug.pembrolizumab",)},
    ),  # NCT02538510
    (
        "Failed to achieve a partial or complete cytogenetic response (i.e., ≤ 35% Ph+ cells) after 6 months of "
        "imatinib mesylate treatment",
        {"drugs": ("drug.imatinib",)},
    ),  # NCT00316953
]


@pytest.mark.parametrize(("line", "named"), KEPT_WITHOUT_WINDOW)
def test_a_least_time_is_no_recent_window(line: str, named: dict[str, tuple[str, ...]]) -> None:
    facts = item_facts("Inclusion", line, T)
    assert len(facts) == 1, facts
    f = facts[0]
    assert f.polarity is Polarity.REQUIRE and f.uncertain is None, f
    assert f.values.within is None, f
    for field, ids in named.items():
        assert getattr(f.values, field) == ids, f


def test_nct00325351_relapse_after_at_least_6_months_is_not_the_last_6_months() -> None:
    # the fresh-sample misreading: "got worse again after at least 6 months" read as "platinum in the last 6 months"
    c = one_criterion(
        "Must have evidence of ovarian cancer measurable by computed tomography (CT) scan or by CA125 blood levels- "
        "No radiation therapy in last 4 weeks- No chemotherapy in last 24 weeks - No immunotherapy in last 4 weeks- "
        "Good response after previous treatment with carboplatin or cisplatin and then the ovarian cancer got worse "
        "again after at least 6 months- Additional criteria determined at screening visit"
    )
    platinum = [f for f in facts_of(c, T) if "drug.carboplatin" in f.values.drugs]
    assert len(platinum) == 1 and platinum[0].polarity is Polarity.REQUIRE, platinum
    assert platinum[0].values.within is None
    # the washouts beside it keep their windows
    windows = {f.values.within.number for f in facts_of(c, T) if f.values.within is not None}
    assert windows == {4, 24}, facts_of(c, T)


# a least time from the therapy to entry with no course told: a gap, which asks for no therapy (uncertain)
GAPS = [
    "Patients must be greater than or equal to 12 weeks from completion of prior curative intent therapy including "
    "surgery, radiation, or systemic anticancer therapy.",  # NCT01009346 (second sentence)
    "Duration from the last therapy is more than 4 weeks for operation or radiotherapy; more than 4 weeks for prior "
    "systemic treatment",  # NCT01645215
    "A minimum time period of 4 weeks (6 weeks for nitrosoureas or mitomycin C) should elapse between the completion "
    "of prior chemotherapy and enrollment in the study.",  # NCT01445405 (third sentence)
]


@pytest.mark.parametrize("line", GAPS)
def test_a_least_time_before_entry_is_no_therapy_required(line: str) -> None:
    check([f for f in item_facts("Inclusion", line, T) if f.polarity is Polarity.REQUIRE], UNCERTAIN)


def test_a_window_to_a_recurrence_is_not_a_recent_window() -> None:
    # "within" here is the time from the therapy to the recurrence, not to today: the platinum at any time is what the
    # requirement implies (relapse26; therapy 4 had kept it as a window to today)
    facts = item_facts(
        "Inclusion",
        "Participants must have recurrence within 12 months of their last platinum-containing regimen.",
        T,
    )  # NCT02661815
    certain = [f for f in facts if not f.uncertain]
    assert [f.values.classes for f in certain] == [("class.platinum",)] and certain[0].values.within is None, facts


def test_a_kinase_target_with_a_wider_class_narrows_a_requirement() -> None:
    # "another EGFR small molecule TKI agent": EGFR inhibitors, not any kinase inhibitor (lenvatinib, selpercatinib);
    # the EGFR class also holds cetuximab, which a requirement may take in (it is implied), an exclusion may not
    facts = item_facts(
        "Inclusion",
        "At least 12 weeks of prior treatment with erlotinib, gefitinib, or another EGFR small molecule TKI agent.",
        T,
    )  # NCT01026844
    assert len(facts) == 1 and facts[0].uncertain is None, facts
    assert facts[0].values.classes == ("class.egfr_inhibitor",) and facts[0].values.within is None, facts
    excluded = item_facts(
        "Exclusion",
        "Previously received treatment with EGFR-TKIs (e.g., CO-1686, AZD9291) that can inhibit EGFR with the T790M "
        "mutation.",
        T,
    )  # NCT02192697
    check(excluded, UNCERTAIN)


# the sweep of the pool's least-read prior-therapy criteria (tests/audit/therapy4_changes.txt)
SWEPT_UNCERTAIN = [
    # a drug named as what a patient must absorb, what a risk comes with, or what an effect is associated with
    (
        "Exclusion",
        "Currently active diarrhea that may affect the ability of the patient to absorb ZD6474 or tolerate further "
        "diarrhea.",
        NONE,
    ),  # NCT01372813
    (
        "Exclusion",
        "Patients with a history a major cardiac event more than 3 months prior to enrolment will be evaluated by a "
        "cardiologist to assess cardiac status and potential for increased risk with ZD6474 therapy.",
        NONE,
    ),  # NCT01372813
    (
        "Inclusion",
        "Patient must not have had clinically significant hemoptysis, defined as greater than 1 tablespoon of bright "
        "red blood, within one year prior to registration; although hemoptysis has not been associated with "
        "cediranib, it may be a class effect for anti-angiogenic agents and therefore a risk factor for this "
        "experimental agent",
        NONE,
    ),  # NCT01064648
    # what kind a therapy is taken to be
    (
        "Exclusion",
        "Received more than 4 previous cytotoxic chemotherapeutic regimens, including regimens used as adjuvant or "
        "neo-adjuvant therapies. There is no limit on the number of noncytotoxic therapies (eg, hormonal and "
        "immunologic) that patients may have received. Tyrosine kinase inhibitors (eg, Tarceva and Iressa) are "
        "considered noncytotoxic compounds.",
        UNCERTAIN,
    ),  # NCT00249301
    # an antibody of one target named by a class that holds kinase inhibitors too
    (
        "Exclusion",
        "Prior AMG 706, panitumumab, or another anti-EGFr monoclonal antibody (mAb) (e.g., cetuximab [Erbitux®] or "
        "EMD 72000)",
        UNCERTAIN,
    ),  # NCT00101907
    (
        "Exclusion",
        "Has received anti-EGFR antibodies (cetuximab or panitumumab), regorafenib, or TAS-102.",
        UNCERTAIN,
    ),  # NCT02613221
    # a kinase target told in words
    (
        "Inclusion",
        "No prior gefitinib, erlotinib, or other epidermal growth factor tyrosine kinase inhibitor",
        UNCERTAIN,
    ),  # NCT00096486
]


@pytest.mark.parametrize(("section", "line", "expected"), SWEPT_UNCERTAIN)
def test_swept_classes(section: str, line: str, expected: str) -> None:
    check(item_facts(section, line, T), expected)


def test_antibodies_of_a_class_that_holds_only_antibodies_stay_read() -> None:
    # CTLA-4 inhibitors are antibodies: "anti-CTLA-4 antibodies" is the class (NCT03572478)
    facts = item_facts(
        "Exclusion",
        "Prior exposure to PD-1 or PD-L1 inhibitors, other immune checkpoint inhibitors (e.g. anti-LAG-3, and "
        "anti-CTLA-4 antibodies), or PARP inhibitors.",
        T,
    )
    assert facts and all(f.uncertain is None for f in facts), facts
    # "an anti-VEGF antibody or other VEGF/VEGF-R targeted therapy": every VEGF-pathway therapy (NCT00558103)
    facts = item_facts(
        "Exclusion", "Prior therapy with an anti-VEGF antibody or other VEGF/VEGF-R targeted therapy.", T
    )
    check(facts, [(Polarity.EXCLUDE, facts[0].values, None)])
    assert facts[0].values.classes == ("class.vegf_pathway_inhibitor",), facts
    # "anti-HER2 antibody or with small molecule HER2 inhibitors": the class itself (NCT02120911)
    facts = item_facts(
        "Exclusion",
        "Previous chemotherapy, radiotherapy, treatment with an anti-HER2 antibody or with small molecule HER2 "
        "inhibitors.",
        T,
    )
    assert facts and all(f.uncertain is None for f in facts), facts


# radiotherapy to a share of the marrow or nodes, or to a named organ (the TREC profile's neck radiotherapy is none)
SITED_RADIOTHERAPY = [
    ("Inclusion", "No prior radiotherapy to more than 10% of bone marrow"),  # NCT00003382
    ("Inclusion", "No prior radiotherapy to > 50 % of all nodal groups"),  # NCT00088933
    ("Inclusion", "No prior ovarian radiotherapy"),  # NCT00066703
    (
        "Inclusion",
        "No prior radiotherapy that potentially included the heart in the field (e.g., mantle) or chest",
    ),  # NCT00096005
    (
        "Exclusion",
        "Prior radiotherapy that included ≥ 30% of the bone marrow (e.g., the whole of the pelvis or half of the "
        "spine).",
    ),  # NCT00448734
]


@pytest.mark.parametrize(("section", "line"), SITED_RADIOTHERAPY)
def test_radiotherapy_to_a_share_of_the_marrow_is_not_any_radiotherapy(section: str, line: str) -> None:
    check(item_facts(section, line, T), UNCERTAIN)


def test_plain_radiotherapy_stays_read() -> None:
    facts = item_facts("Inclusion", "No prior radiotherapy", T)  # NCT00003958
    assert len(facts) == 1 and facts[0].uncertain is None and facts[0].polarity is Polarity.EXCLUDE, facts


@pytest.mark.parametrize(
    ("section", "line"),
    [
        ("Exclusion", "Prior WBRT"),  # NCT00470847
        ("Exclusion", "Previous total body irradiation or total lymphoid irradiation."),  # NCT00509145
        ("Exclusion", "Radiation therapy covering more than 25% of the bone marrow producing area."),  # NCT00115635
        ("Exclusion", "Prior radiation >=25% of bone marrow containing skeleton"),  # NCT00207025
        ("Exclusion", "The subject has received radiation to > 25% of his or her bone marrow."),  # NCT00485719
    ],
)
def test_a_kind_of_radiotherapy_told_by_its_name_or_share_is_not_any_radiotherapy(section: str, line: str) -> None:
    check(item_facts(section, line, T), UNCERTAIN)


# review of therapy 4 (second reader): any radiotherapy told beside a sited one keeps its washout
def test_any_radiotherapy_beside_a_marrow_share_keeps_its_washout() -> None:
    facts = item_facts(
        "Exclusion",
        "Patients who received radiotherapy to more than 33% of their bone marrow or received any radiotherapy within "
        "4 weeks of entry",
        T,
    )  # NCT00612677
    certain = [f for f in facts if f.uncertain is None]
    assert len(certain) == 1 and certain[0].polarity is Polarity.EXCLUDE, facts
    assert certain[0].values.categories == ("radiotherapy",) and certain[0].values.within is not None, facts
    assert any(f.uncertain for f in facts), facts  # the marrow share itself stays uncertain


def test_any_radiotherapy_beside_a_named_kind_keeps_its_washout() -> None:
    facts = item_facts(
        "Exclusion",
        "Any radiotherapy within 2 weeks prior to registration (4 weeks for brain radiotherapy as noted above).",
        T,
    )  # NCT02382406
    assert any(f.uncertain is None and f.values.within is not None for f in facts), facts


@pytest.mark.parametrize(
    "line",
    [
        # the site follows the window: not read apart (NCT00722592)
        "Prior abdominal or pelvic radiation therapy, radiation therapy to > 10% of the bone marrow, or prior "
        "radiation therapy within the past 3 years to the breast/sternum, dermal lesions, head or neck",
        # a drug beside a sited radiotherapy is not split off (its window may be misread: NCT00470054 kept uncertain)
        "Progressive or recurrent disease after an initial response to first-line treatment with a platinum-based "
        "chemotherapy with or without concurrent definitive radiotherapy to the chest (chemotherapy must have been "
        "completed at least 90 days prior to documentation of relapse)",
    ],
)
def test_a_sited_radiotherapy_without_any_keeps_the_fact_uncertain(line: str) -> None:
    check(item_facts("Exclusion" if line.startswith("Prior abd") else "Inclusion", line, T), UNCERTAIN)


def test_a_washout_told_as_a_least_time_is_still_a_washout() -> None:
    # the least-time rule (class L) is for required therapies only: "at least 4 weeks since" stays an exclusion
    facts = item_facts("Inclusion", "At least 4 weeks since prior chemotherapy", T)  # cue.therapy.least_time non-use
    assert len(facts) == 1 and facts[0].polarity is Polarity.EXCLUDE and facts[0].uncertain is None, facts
    assert facts[0].values.within is not None, facts


def test_egfr_tyrosine_kinase_inhibitors_are_egfr_inhibitors_only() -> None:
    facts = item_facts(
        "Inclusion", "Patients who have previously been treated with EGFR tyrosine-kinase inhibitors (EGFR-TKIs)*", T
    )  # NCT02192697: 'kinase inhibitors' after 'EGFR tyrosine-' is no kinase inhibitor of any target
    assert len(facts) == 1 and facts[0].polarity is Polarity.REQUIRE and facts[0].uncertain is None, facts
    assert facts[0].values.classes == ("class.egfr_inhibitor",), facts
