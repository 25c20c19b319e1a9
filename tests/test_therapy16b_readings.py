"""Therapy 16b (issue 10; tests/audit/therapy16b_changes.txt): sweep 17's prior-therapy items judged wrong of three
classes, each quoting the registry text it came from. A permission or an alternative route is not a requirement ("any
number lines of prior systemic therapy", "will not be excluded because of any prior regimen", access to a therapy,
another line's route for patients with none); a closed list of kinds is not any systemic therapy (a hormonal
anticancer therapy, an anticancer treatment within another trial, a systemic treatment its bracket lists); a systemic
standard care is not only chemotherapy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.therapy import TherapyValues, evaluate
from matcher.knowledge_base import load_knowledge
from matcher.patient import load_patient
from tests.readings import NONE, check, line_facts, list_text
from tests.readings import therapy_facts as _therapy

KB = load_knowledge()
ON = date(2026, 11, 26)
# dabrafenib and trametinib, ongoing (S17-111, S17-170 and S17-222's patient)
ON_DABRAFENIB = load_patient(Path(__file__).parents[1] / "examples" / "anaplastic-braf.json").patient
# lenvatinib, progressed (S17-084 and S17-169's patient)
ON_LENVATINIB = load_patient(Path(__file__).parent / "patients" / "cosmic-candidate.json").patient


@pytest.mark.parametrize(
    "line",
    [
        # NCT02538510 (S17-040)
        "Have received any number lines of prior systemic therapy (including systemic therapy in the curative intent "
        "setting)",
        # NCT02729194
        "Subjects may have received any number of the following therapies: cytokine therapy (e.g. high dose "
        "interleukin-2) or checkpoint inhibitor therapy (e.g. anti-PD1/PDL1, anti-CTLA4) or mTOR inhibitor therapy "
        "(e.g. everolimus, temsirolimus).",
        # NCT00590603 (S17-102)
        "Patients must be at least four weeks since their prior therapy. Patients will not be excluded because of any "
        "prior regimen they have received as long as they meet other requirements.",
    ],
)
def test_therapy_16b_a_permission_is_no_requirement(line: str) -> None:
    check(_therapy("Inclusion", line), NONE)


def test_therapy_16b_a_count_with_a_window_or_a_floor_stays() -> None:
    """'Any number of prior chemotherapy regimens is permitted, except within the last 3 weeks' (NCT00933426): the
    washout is read, and the sentence before it still requires the front-line chemotherapy."""
    facts = _therapy(
        "Inclusion",
        "Patient must have had front-line chemotherapy for castrate-resistant metastatic disease. Any number of prior "
        "chemotherapy regimens is permitted, except within the last 3 weeks.",
    )
    assert [(f.polarity, f.values.min_count, f.values.within is not None) for f in facts][:2] == [
        (Polarity.REQUIRE, 1, False),
        (Polarity.EXCLUDE, 0, True),
    ]


def test_therapy_16b_a_later_permission_makes_an_exclusion_uncertain_or_drops_it() -> None:
    """NCT02379247: nab-paclitaxel excludes only outside the adjuvant setting, which no profile tells."""
    facts = _therapy(
        "Exclusion",
        "Subject has been treated with Nab-Paclitaxel NOTE: Subjects who have had previous treatment with "
        "Nab-Paclitaxel will NOT be excluded if given in the adjuvant or neoadjuvant setting.",
    )
    assert all(f.uncertain for f in facts)


def test_therapy_16b_access_to_a_therapy_is_not_having_had_it() -> None:
    """NCT00334282 (S17-077): one circumstance of a route for patients with no prior systemic therapy."""
    facts = _therapy(
        "Inclusion",
        "Patients who live in countries or regions where there is no established standard first-line therapy for "
        "advanced/metastatic RCC or where there are barriers to the access of established therapies such as "
        "sunitinib, sorafenib, IFNα or IL-2.",
    )
    assert facts and all(f.uncertain and "access" in f.uncertain for f in facts)


def test_therapy_16b_another_lines_route_for_the_untreated() -> None:
    """NCT00301067 (S17-155): the requirement has a route around it, on terms (not a candidate for high-dose IL-2)
    the profile does not hold; without the route line the requirement stays certain."""
    required = "Must have had at least 1 prior systemic therapy"
    route = (
        "Patients with no prior systemic therapy are eligible provided they are not candidates for high-dose "
        "interleukin-2"
    )
    with_route = line_facts(list_text(required, "Negative pregnancy test", route), required, FactKind.PRIOR_THERAPY)
    assert with_route and all(f.uncertain and "no prior systemic therapy" in f.uncertain for f in with_route)
    alone = line_facts(list_text(required, "Negative pregnancy test"), required, FactKind.PRIOR_THERAPY)
    assert alone and not any(f.uncertain for f in alone)


@pytest.mark.parametrize(
    ("line", "told"),
    [
        # NCT01313390 (S17-222)
        (
            "No other concurrent chemotherapy, immunotherapy, hormonal cancer therapy, radiotherapy, or experimental "
            "medications",
            "hormonal cancer therapy",
        ),
        # NCT00303888 (S17-111)
        (
            "No other concurrent chemotherapy, radiotherapy, immunotherapy, or hormonal antitumor therapy",
            "hormonal antitumor therapy",
        ),
        # NCT02586025 (S17-170)
        (
            "Concurrent anti-cancer treatment in another investigational trial, including hormone therapy, "
            "bisphosphonate therapy, or immunotherapy",
            "another investigational trial",
        ),
    ],
)
def test_therapy_16b_a_closed_list_is_not_any_systemic_therapy(line: str, told: str) -> None:
    """The listed kinds keep a certain exclusion, which a current dabrafenib does not meet; the systemic therapy the
    text tells as one kind is a fact of its own, uncertain."""
    facts = _therapy("Exclusion" if line.startswith("Concurrent") else "Inclusion", line)
    certain = [f for f in facts if not f.uncertain]
    told_apart = [f for f in facts if f.uncertain]
    assert certain and told_apart and all(told in (f.uncertain or "") for f in told_apart)
    assert all(isinstance(f.values, TherapyValues) and "systemic" not in f.values.categories for f in certain)
    assert all(evaluate(f, ON_DABRAFENIB, ON, KB).has is False for f in certain)


def test_therapy_16b_a_list_under_a_generic_head_stays_any_of_them() -> None:
    """NCT00280150: 'antineoplastic or antitumor agents' heads the list, so a current dabrafenib still excludes."""
    facts = _therapy(
        "Inclusion",
        "No other concurrent antineoplastic or antitumor agents, including chemotherapy, radiotherapy, immunotherapy, "
        "or hormonal anticancer therapy",
    )
    assert len(facts) == 1 and not facts[0].uncertain and "systemic" in facts[0].values.categories


def test_therapy_16b_a_systemic_treatment_its_bracket_lists() -> None:
    """NCT02275286 (S17-169): 'systemic treatment (chemotherapy or trabectedin)'; prior lenvatinib is neither, and the
    exclusion can no longer be violated by it. 'Any type of systemic therapy (...)' (NCT02155465) keeps its reading."""
    facts = _therapy(
        "Exclusion", "Patients who have previously received systemic treatment (chemotherapy or trabectedin)."
    )
    certain = [f for f in facts if not f.uncertain]
    assert [f.values.classes for f in certain] == [("class.chemotherapy",)]
    assert all(evaluate(f, ON_LENVATINIB, ON, KB).has is False for f in certain)
    kept = _therapy(
        "Exclusion",
        "Any type of systemic therapy (chemotherapy or experimental drugs) within 3 weeks of starting treatment on "
        "protocol except for erlotinib or other EGFR TKI.",
    )
    assert len(kept) == 1 and "systemic" in kept[0].values.categories and not kept[0].uncertain


def test_therapy_16b_a_systemic_standard_care_is_any_systemic_therapy() -> None:
    """NCT01583686 (S17-084): progression on lenvatinib, a systemic standard care, meets it."""
    facts = _therapy(
        "Inclusion",
        "Patients must have previously received at least one systemic standard care (or effective salvage "
        "chemotherapy regimens) for metastatic or unresectable disease, if known to be effective for that disease, "
        "and have been either non-responders (progressive disease) or have recurred.",
    )
    assert [f.values.categories for f in facts] == [("systemic",)]
    assert evaluate(facts[0], ON_LENVATINIB, ON, KB).has is True
