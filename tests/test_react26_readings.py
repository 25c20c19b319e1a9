"""react26: a reaction to a therapy is not the therapy. "Prior severe infusion reaction to a monoclonal antibody"
(NCT01283334) was read as an exclusion of any prior monoclonal antibody, which bars a patient who had pembrolizumab
without a reaction; "Prior unanticipated severe reaction to bevacizumab" (NCT00426829) barred any bevacizumab. An
infusion reaction, a severe or serious reaction to a drug, an anaphylactic or a hypersensitive reaction is a
hypersensitivity, which the profile does not record: unknown, for the coordinator to check (issue 10, item 3)."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_criterion, list_trial
from tests.test_issue10_examples import outcome, with_therapies

REACTIONS = [
    ("Prior severe infusion reaction to a monoclonal antibody.", ("class.monoclonal_antibody",)),  # NCT01283334
    ("Prior unanticipated severe reaction to bevacizumab.", ("drug.bevacizumab",)),  # NCT00426829
    ("Patients with a prior serious infusion reaction to cetuximab", ("drug.cetuximab",)),  # NCT01602315
    (  # NCT02205398
        "History of severe reactions to cetuximab and/or panitumumab (except for G3 rash and G3 hypomagnesaemia)",
        ("drug.cetuximab",),
    ),
    (  # NCT00659178
        "The subject has a history of a severe infusion-related reaction following treatment with pegylated "
        "liposomal doxorubicin as described in the protocol;",
        ("drug.doxorubicin",),
    ),
]


@pytest.mark.parametrize(("line", "to"), REACTIONS)
def test_a_reaction_to_a_therapy_is_a_hypersensitivity(line: str, to: tuple[str, ...]) -> None:
    criterion = item_criterion("Exclusion", line)
    assert [(f.kind, f.values.to) for f in criterion.facts] == [(FactKind.HYPERSENSITIVITY, to)]


def test_a_patient_who_had_the_antibody_is_not_barred() -> None:
    pembrolizumab = {"name": "pembrolizumab", "kind": "systemic", "start": "2024-03-01", "end": "2025-01-15",
                     "reason_stopped": "progression"}  # fmt: skip
    trial = list_trial(exclusions=(REACTIONS[0][0],))
    found = outcome(trial, "Prior severe infusion reaction", with_therapies(pembrolizumab))
    assert found.outcome is Outcome.UNKNOWN and found.reason == "allergies are not in the profile"
