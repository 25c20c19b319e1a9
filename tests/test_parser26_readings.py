"""Parser 26: permissions, notes and reasons read as requirements or exclusions, a requirement stated with an opening
"Not" under the exclusion heading, and a section's list nested under its first item by the legacy layout. Each row
quotes the registry text it came from (HINT oncology texts; fresh sample 8's wrong items N029, N032, N033, N036, N040,
N046, N071)."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.parser import StructuredFields, parse_text
from matcher.eligibility.scope import PERMISSION
from matcher.eligibility.segment import segment
from tests.readings import facts_of as _of
from tests.readings import one_criterion as _one

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


# --- review of parser 26 (r26): where the rules read too much ------------------------------------------------------

_NCT00411762_FIRST = """
        Inclusion Criteria:

          -  Patients with adequate hepatic function defined as

               -  AST/ALT ≤ 2.5 X ULN;

               -  Total Bilirubin ≤ 2.0 XULN;

               -  Alkaline Phosphatase ≤ 5 X ULN (in presence of liver metastasis); or

               -  Alkaline Phosphatase ≤ 2.5 X ULN (in absence of liver metastasis).

        Exclusion Criteria:

          -  Pregnancy
"""


def test_a_first_item_that_ends_unfinished_keeps_its_sub_items() -> None:
    # NCT00411762's lead-in "... defined as" (no colon), here the section's first item: its alkaline phosphatase limits
    # are alternatives of the lead-in, never four requirements of their own
    assert [s.parent for s in segment(_NCT00411762_FIRST)] == [None, 0, 0, 0, 0, None]


def _first_item_list(first: str, items: list[str]) -> str:
    lines = ["", "        Inclusion Criteria:", "", f"          -  {first}", ""]
    for item in items:
        lines += [f"               -  {item}", ""]
    return "\n".join([*lines, "        Exclusion Criteria:", "", "          -  Pregnancy", ""])


def test_a_first_item_that_offers_alternatives_or_a_window_or_a_condition_keeps_its_sub_items() -> None:
    # lead-in wordings of the corpora without their colon: "progressive disease may be defined as either"
    # (NCT01267266), "defined as either" (NCT02165397), "... all within 21 days prior to enrollment" (NCT02312102), a
    # cohort; released, each alternative would be a requirement and the window or the cohort would be lost
    items = ["New clinical or radiographic metastases", "Rising PSA", "Progression of measurable disease by RECIST"]
    for first in (
        "Disease that is refractory to the last prior rituximab-containing therapy defined as either",
        "Participants must have the following organ function all within 21 days prior to enrollment",
        "Patients must have progressive disease within 6 months prior to registration",
        "Dose expansion cohort only",
        "Patients must meet one of",
    ):
        assert [s.parent for s in segment(_first_item_list(first, items))] == [None, 0, 0, 0, None], first


def test_a_first_item_that_is_a_criterion_of_its_own_still_releases_the_list() -> None:
    # NCT00467012's "At least 20 years old and obtained a written informed consent" (N036's class)
    text = _first_item_list(
        "At least 20 years old and obtained a written informed consent",
        ["Histologically confirmed carcinoma", "ECOG performance status 0 or 1", "Life expectancy of at least 3 weeks"],
    )
    assert [s.parent for s in segment(text)] == [None, None, None, None, None]


def test_an_opening_not_before_what_excludes_by_its_absence_is_no_prohibition() -> None:
    # Chia NCT03304496 (exclusion): "Not have informed consent ..."; Leaf NCT03863938 (exclusion): "Not use of a
    # medically acceptable method of contraception"; Leaf NCT03864653 (exclusion): "Not currently enrolled within the
    # "Getting Off" program.": the patient without it is excluded, so the "Not" is no requirement's own
    from matcher.eligibility.cues import cue

    not_verb = cue("cue.prohibition.not_verb")
    for text in (
        "Not have informed consent for the present clinical trial, or do not fully understand the meaning of informed "
        "consent.",
        "Not use of a medically acceptable method of contraception",
        'Not currently enrolled within the "Getting Off" program.',
        "Not have recovered from the toxic effects of prior chemotherapy.",
    ):
        assert not not_verb.match(text, 3), text
    # NCT02065466, NCT02359058, NCT01805089: what the patient is on or had
    for text in (
        "Not be receiving any other investigational agent.",
        "Not have received prior first-line systemic chemotherapy for locally advanced",
        "Not currently receiving chemotherapy or hormonal therapy",
    ):
        assert not_verb.match(text, 3), text


def test_not_having_measurable_disease_under_the_exclusion_heading_excludes_no_measurable_disease() -> None:
    # read as the requirement's own "Not", "Not have measurable disease." would exclude the measurable disease the
    # trial needs; the plain reading asks for it
    c = _one("Not have measurable disease.", "Exclusion")
    assert not [f for f in _of(c, FactKind.MEASURABLE_DISEASE) if f.polarity is Polarity.EXCLUDE]


def test_can_be_considered_is_a_permission_only_of_the_patients() -> None:
    from matcher.eligibility.cues import cue

    closing = cue("cue.permission.closing")
    # NCT02078089, NCT00402415, NCT02215980: the patients or their lesions may be considered
    assert closing.search("NOTE: Patients on gabapentin or pregabalin can be considered if they can be tapered off")
    assert closing.search("Larger lesions may be considered if they meet all other criteria.")
    # what may be considered is a therapy or an exception within an exclusion: the exclusion stands
    warfarin = "Patients receiving warfarin, unless a switch to low molecular weight heparin can be considered."
    c = _one(warfarin, "Exclusion")
    assert c.scope.modality != PERMISSION
    c = _one("Patients with prior cabozantinib therapy in whom retreatment could be considered", "Exclusion")
    assert c.scope.modality != PERMISSION


def test_a_lesion_that_can_be_used_as_an_indicator_lesion_is_what_a_requirement_asks() -> None:
    # NCT00427414: "Must have ≥ 5 measurable, previously nonirradiated, cutaneous lesions that can be used as indicator
    # lesions": a requirement, not a rule for which lesions count; the same relative clause after "measurable lesion"
    # leaves the measurable disease required, certain
    from matcher.eligibility.cues import cue

    relative = cue("cue.note.lesion_rule_relative")
    assert relative.search(
        "Must have ≥ 5 measurable, previously nonirradiated, cutaneous lesions that can be used as indicator lesions"
    )
    c = _one("Must have at least one measurable lesion that\n   can be used as a target lesion per RECIST 1.1")
    assert [(f.polarity, f.uncertain) for f in _of(c, FactKind.MEASURABLE_DISEASE)] == [(Polarity.REQUIRE, None)]
    # NCT01033032: a rule stays a rule
    assert not relative.search(
        "(Note: Any measurable lesion that has been previously irradiated will not be considered as a target lesion)."
    )
