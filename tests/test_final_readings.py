"""The final review of session 12's rule changes (tests/audit/final_changes.txt). Each row quotes registry text of
the tuning corpora, with the trial it came from, and its expected reading."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.kinds import other_malignancy
from matcher.eligibility.parser import parse_text
from tests.readings import item_facts as _facts

# --- primary site: a bare "lymphoma" or "sarcoma" passes the same filter as a named site ----------------------------
# The histology words read as sites (`other_tumour_site`) skipped `_not_the_trials`: a group the criterion is about
# ("Patients with ... lymphoma must ...") was read as the cancer the trial is for, and a "lymphoma" joined by "or" to
# a site that filter dropped ("CNS leukemia or lymphoma") kept it.
GROUPS = [
    # NCT00112619
    "Patients with CNS leukemia or lymphoma must have had a negative bone marrow aspiration within the past 2 weeks",
    # NCT00486135
    "Subjects with indolent lymphoma must have documented disease status within 12 months prior to study entry.",
    # NCT02109224
    "Note: Patients with CLL, SLL, or mantle cell lymphoma (MCL) may only be enrolled in Stratum C",
]


@pytest.mark.parametrize("line", GROUPS)
def test_a_group_named_by_a_bare_histology_is_no_trial_cancer(line: str) -> None:
    assert _facts("Inclusion", line, FactKind.PRIMARY_SITE) == []


KEPT = [
    # NCT00486135
    (
        "The subject has a histologically confirmed diagnosis of lymphoma which is relapsed or refractory to "
        "standard therapy.",
        ("site.blood",),
    ),
    # NCT00427414
    ("Histologically confirmed Kaposi's sarcoma (KS) involving the following:", ("site.soft_tissue",)),
]


@pytest.mark.parametrize(("line", "sites"), KEPT)
def test_a_diagnosis_named_by_a_bare_histology_stays(line: str, sites: tuple[str, ...]) -> None:
    facts = _facts("Inclusion", line, FactKind.PRIMARY_SITE)
    assert [f.values.sites for f in facts] == [sites]  # type: ignore[attr-defined]


# --- other malignancy: "other" said before the mention keeps a non-cancer trial's exclusion to other cancers --------
# `_of_any_cancer` looked for "other"/"second" in the fact's evidence only, the mention's words, which leave out what
# stands before them: "No other current active malignancy" (NCT00073723) has the evidence "active malignancy", so in a
# trial not for cancer it would have counted the patient's own cancer.
@pytest.mark.parametrize(
    ("line", "against_a_first"),
    [
        ("No other current active malignancy", True),  # NCT00073723
        ("No other concurrent active malignancy", True),  # NCT00077246
        ("Concurrent malignancy or a history of malignancy", False),  # NCT02552212
    ],
)
def test_other_said_before_the_mention(line: str, against_a_first: bool) -> None:
    (fact,) = _facts("Exclusion", line, FactKind.OTHER_MALIGNANCY)
    (criterion,) = [c for c in parse_text(f"Exclusion Criteria:\n\n- {line}\n") if c.text.strip() == line]
    assert other_malignancy._against_a_first(fact.evidence, criterion.text) is against_a_first


def test_a_non_cancer_trial_still_excludes_any_cancer() -> None:
    # NCT02552212, conditions of the real record: an axial spondyloarthritis trial
    line = "Concurrent malignancy or a history of malignancy"
    conditions = ["Axial Spondyloarthritis", "Nonradiographic Axial Spondyloarthritis", "Nr-axSpA"]
    criteria = other_malignancy.in_a_trial_not_for_cancer(parse_text(f"Exclusion Criteria:\n\n- {line}\n"), conditions)
    facts = [f for c in criteria for f in c.facts if f.kind is FactKind.OTHER_MALIGNANCY]
    assert [f.values.any_cancer for f in facts] == [True]  # type: ignore[attr-defined]
