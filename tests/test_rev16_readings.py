"""Rev 16 (issue 10; tests/audit/rev16_changes.txt): the second reading of prog 16, therapy 16 and therapy 16b. The
group a sentence opens on (`progression.group_asked_of`, renamed from `group_opening` so that it is not taken for the
`cue.progression.group_opening` of `_subgroup_before`), and therapy 16b's closed lists of kinds: a generic anticancer
therapy that heads a list of kinds still stands for any of them, a hormonal cancer therapy among the kinds does not.
Each test quotes the registry text it came from."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.progression import group_asked_of
from tests.readings import item_facts


@pytest.mark.parametrize(
    ("opening", "group"),
    [
        ("For recurrent HCC, radiographic evidence of ", "For recurrent HCC"),  # NCT00081900 (sweep S17-221)
        # NCT01739439
        ("For the expansion phase, patients must have borderline resectable or ", "For the expansion phase"),
        (
            "Human epidermal growth factor receptor 2 (HER2)-positive patients, defined as immunohistochemistry (IHC) "
            "3+",
            "Human epidermal growth factor receptor 2 (HER2)-positive patients",
        ),  # NCT00559507 (sweep S17-126)
        ("ER/PR breast cancer positive patients must have received and ", "ER/PR breast cancer positive patients"),
        # NCT00321685: "For the patient to be eligible, the surgeon must ..." names no group
        ("For the patient to be eligible, the surgeon must prospectively define the tumor as ", None),
    ],
)
def test_rev16_the_group_a_sentence_opens_on(opening: str, group: str | None) -> None:
    assert group_asked_of(opening) == group


def test_rev16_a_generic_head_of_a_list_stays_any_systemic_therapy() -> None:
    """NCT00280150: "antineoplastic or antitumor agents" head the list, the hormonal therapy is one of its examples."""
    facts = item_facts(
        "Inclusion",
        "No other concurrent antineoplastic or antitumor agents, including chemotherapy, radiotherapy, "
        "immunotherapy, or hormonal anticancer therapy",
        FactKind.PRIOR_THERAPY,
    )
    assert [(f.polarity, f.values.categories, f.uncertain) for f in facts] == [
        (Polarity.EXCLUDE, ("radiotherapy", "systemic"), None)
    ]


def test_rev16_the_other_kinds_of_a_closed_list_stay_certain() -> None:
    """NCT01313390 (sweep 17's S17-222): chemotherapy, immunotherapy and radiotherapy still exclude; only the
    hormonal cancer therapy is uncertain."""
    facts = item_facts(
        "Inclusion",
        "No other concurrent chemotherapy, immunotherapy, hormonal cancer therapy, radiotherapy, or experimental "
        "medications",
        FactKind.PRIOR_THERAPY,
    )
    assert [(f.values.categories, f.uncertain is None) for f in facts] == [
        (("radiotherapy",), True),
        (("systemic",), False),
    ]
