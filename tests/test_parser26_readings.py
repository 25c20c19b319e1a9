"""Parser 26: permissions, notes and reasons read as requirements or exclusions, a requirement stated with an opening
"Not" under the exclusion heading, and a section's list nested under its first item by the legacy layout. Each row
quotes the registry text it came from (HINT oncology texts; fresh sample 8's wrong items N029, N032, N033, N036, N040,
N046, N071)."""

from __future__ import annotations

from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity
from matcher.eligibility.parser import StructuredFields, parse_text
from matcher.eligibility.scope import PERMISSION
from matcher.eligibility.segment import segment


def _one(text: str, section: str = "Inclusion") -> Criterion:
    criteria = [c for c in parse_text(f"{section} Criteria:\n\n- {text}\n") if c.source == "text"]
    assert len(criteria) == 1
    return criteria[0]


def _of(c: Criterion, kind: FactKind) -> list[Fact]:
    return [f for f in c.facts if f.kind is kind]


# --- a sentence that says which lesions count asks nothing of the patient ------------------------------------------


def test_a_rule_for_indicator_lesions_excludes_no_radiotherapy() -> None:
    # NCT00412581 and NCT00179608 (N032, N071): radiotherapy "remain eligible"; the last sentence is a note on lesions
    c = _one(
        "Prior treatment with systemic chemotherapy. Patients who have received prior immunotherapy, including "
        "thalidomide, or radiotherapy remain eligible. Lesions within a prior field of radiation may only be used as "
        "indicator lesions if there has been evidence of disease progression at that site.",
        "Exclusion",
    )
    certain = [f for f in _of(c, FactKind.PRIOR_THERAPY) if not f.uncertain]
    assert [(f.polarity, f.values.classes, f.values.categories) for f in certain] == [  # type: ignore[attr-defined]
        (Polarity.EXCLUDE, ("class.chemotherapy",), ())
    ]


def test_a_lesion_ineligible_to_be_measurable_leaves_the_measurable_requirement() -> None:
    # NCT02164240 (sample 7's M006 in other words, N050): "Measurable disease" is required; the lesion rule asks nothing
    c = _one(
        "Measurable disease per modified RECIST 1.1. A lesion in a previously irradiated area is ineligible to be "
        "considered as measurable disease unless there is objective evidence of progression of the lesion prior to "
        "study enrollment."
    )
    facts = _of(c, FactKind.MEASURABLE_DISEASE)
    assert [(f.polarity, bool(f.uncertain)) for f in facts] == [(Polarity.REQUIRE, False)]


# --- a reason asks nothing ----------------------------------------------------------------------------------------


def test_a_later_sentence_that_gives_a_reason_requires_no_progression() -> None:
    # NCT01838200 (N046)
    c = _one(
        "Estimated life expectancy of at least 4 to 6 months. Because of the slow onset of action of ipilimumab and "
        "the protocol requirement for a 5-week delay post-BCG, patients with rapidly progressive disease may not have "
        "been suitable for the protocol."
    )
    assert all(f.uncertain for f in _of(c, FactKind.PROGRESSION))
    assert [bool(f.uncertain) for f in _of(c, FactKind.LIFE_EXPECTANCY)] == [False]


def test_a_reason_whose_main_clause_asks_stays_asked() -> None:
    # NCT01009346: "Because ..., breastfeeding should be discontinued." asks (the cue's non-example form)
    c = _one(
        "Pregnant women are excluded from this study because RAD001 is a mTOR inhibitor with the potential for "
        "teratogenic or abortifacient effects. Because there is an unknown but potential risk for adverse events in "
        "nursing infants secondary to treatment of the mother with RAD001, breastfeeding should be discontinued. These "
        "potential risks may also apply to other agents used in this study.",
        "Exclusion",
    )
    assert [(f.polarity, bool(f.uncertain)) for f in _of(c, FactKind.BREASTFEEDING)] == [(Polarity.EXCLUDE, False)]


# --- a lead-in that says who "can be considered" ------------------------------------------------------------------


def test_the_items_of_a_can_be_considered_lead_in_are_a_permission() -> None:
    # NCT02215980 (N033)
    criteria = [
        c
        for c in parse_text(
            "Inclusion Criteria:\n\n"
            "- In order to include patients who normally are not select for clinical trials, also patients with the "
            "following abnormal laboratory values can be considered:\n"
            "  - absolute neutrophil count (ANC) < 1 x 10^9/L\n"
            "  - platelet count < 80 x 10^9/L\n"
        )
        if c.source == "text"
    ]
    assert [c.scope.modality for c in criteria] == [PERMISSION, PERMISSION, PERMISSION]


# --- "Not be receiving ..." under the exclusion heading -----------------------------------------------------------


def test_an_opening_not_under_the_exclusion_heading_excludes_what_it_names() -> None:
    # NCT02065466 (N029): the patient must not be on another investigational agent; read twice as a negation it
    # would require one
    c = _one("Not be receiving any other investigational agent.", "Exclusion")
    facts = _of(c, FactKind.PRIOR_THERAPY)
    assert [f.polarity for f in facts] == [Polarity.EXCLUDE]


# --- a section's list nested under its first item -----------------------------------------------------------------

_NCT02655952 = """
        Inclusion Criteria:

          -  Males and females of at least 18 years of age

               -  Histologically/cytologically documented diagnosis of metastatic breast, colon or
                  prostate cancer, refractory to standard therapy or for which no curative therapy
                  exists

               -  Eastern Cooperative Oncology Group (ECOG) performance status of <= 1

               -  Life expectancy of at least 3 months

               -  Unresectable disease, i.e. the metastases cannot be surgically removed with a
                  curative intent

                    -  4 weeks must have elapsed since the patient has received any other IMP

        Exclusion Criteria:

          -  Active uncontrolled bleeding or bleeding diathesis (e.g., active peptic ulcer disease)

               -  Any active infection requiring antibiotic treatment

               -  Known infection with human immunodeficiency virus (HIV) or hepatitis virus

               -  Active heart disease including myocardial infarction or congestive heart failure
                  within the previous 6 months
"""


def test_a_list_nested_under_its_first_item_is_the_sections_list() -> None:
    # NCT02655952 (N036): the first item's "sub-items" are the rest of the section, each asked alone
    parents = [s.parent for s in segment(_NCT02655952)]
    assert parents == [None, None, None, None, None, 4, None, None, None, None]


def test_a_first_item_that_leads_in_keeps_its_sub_items() -> None:
    # a lead-in without a colon ("... of the following types") keeps its list, as does one that ends on a colon
    text = (
        "Inclusion Criteria:\n\n-  Histologically confirmed lymphoma of one of the following types\n\n"
        "     -  Follicular lymphoma\n\n     -  Mantle cell lymphoma\n\n     -  Marginal zone lymphoma\n"
    )
    assert [s.parent for s in segment(text)] == [None, 0, 0, 0]


def test_a_first_item_with_later_items_at_its_level_keeps_its_sub_items() -> None:
    text = (
        "Exclusion Criteria:\n\n-  Cardiac disease\n\n     -  Myocardial infarction\n\n     -  Unstable angina\n\n"
        "     -  Heart failure\n\n-  Pregnancy\n"
    )
    assert [s.parent for s in segment(text)] == [None, 0, 0, 0, None]


def test_more_than_four_prior_regimens_keeps_its_own_reading_alone() -> None:
    # NCT00724984 (= K049, M050, N040): the later exclusions are not its sub-items
    text = (
        "Exclusion Criteria:\n\n"
        "          -  • More than four prior systemic treatment regimens (not counting maintenance\n"
        "             rituximab; salvage therapy/conditioning regimen preceding autologous bone marrow\n"
        "             transplantation [ABMT] and ABMT count as one regimen)\n\n"
        "               -  Allogeneic bone marrow transplant\n\n"
        "               -  Major surgery within 4 weeks before first day of study drug dosing\n\n"
        "               -  QTc prolongation (defined as a QTc ≥ 450 msecs)\n"
    )
    criteria = [c for c in parse_text(text) if c.source == "text"]
    assert [c.parent for c in criteria] == [None, None, None, None]


# --- an age limit that contradicts the trial's structured ages ----------------------------------------------------


def test_an_age_limit_below_the_structured_minimum_is_uncertain() -> None:
    # NCT01918306 (N023): "Patients must be <18 years of age." in an adult stage IV breast cancer trial. The HINT text
    # has no structured ages, so N023 stays open; with a structured minimum of 18 the slip is uncertain
    text = "Inclusion Criteria:\n\n- Patients must be <18 years of age.\n"
    adult = [f for c in parse_text(text, StructuredFields("18 Years")) if c.source == "text" for f in c.facts]
    assert [(f.kind, bool(f.uncertain)) for f in adult] == [(FactKind.AGE, True)]
    alone = [f for c in parse_text(text) if c.source == "text" for f in c.facts]
    assert [(f.kind, bool(f.uncertain)) for f in alone] == [(FactKind.AGE, False)]


def test_an_age_limit_the_structured_ages_allow_stands() -> None:
    text = "Inclusion Criteria:\n\n- Age >= 18 years\n"
    facts = [f for c in parse_text(text, StructuredFields("18 Years")) if c.source == "text" for f in c.facts]
    assert [(f.kind, bool(f.uncertain)) for f in facts] == [(FactKind.AGE, False)]
