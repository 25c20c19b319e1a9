"""prog16: progression and extent lines whose reading was not complete (issue 10, the completeness rule; sweep of
never-judged outcomes S17-221, S17-126, S17-181, S17-048; tests/audit/prog16_changes.txt). Each class, quoted from
registry text: a line that opens on the group it is asked of ("For recurrent HCC, ...", "<marker>-positive patients
..."), stable disease beside the progression ("stable or progressive"), an excluded extent joined to a candidacy
("No locally advanced disease AND a candidate for radical surgery"). The last rows keep their plain reading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.extent import ExtentValues, evaluate
from matcher.eligibility.text import make_fact
from matcher.knowledge_base import load_knowledge
from matcher.patient import load_patient
from tests.readings import UNCERTAIN, check, item_facts

PROGRESSION = FactKind.PROGRESSION
EXTENT = FactKind.DISEASE_EXTENT

CASES = [
    # --- a group named before what is asked: the progression is theirs only --------------------------------------
    ("Inclusion", "For recurrent HCC, radiographic evidence of progression.", PROGRESSION, UNCERTAIN),  # NCT00081900
    (
        "Inclusion",
        "Human epidermal growth factor receptor 2 (HER2)-positive patients, defined as immunohistochemistry (IHC) 3+ "
        "or fluorescence in situ hybridization (FISH) amplification > 2.1, must have received trastuzumab (Herceptin®) "
        "in either the adjuvant or metastatic setting and have had recurrence or progression of disease, respectively",
        PROGRESSION,
        UNCERTAIN,
    ),  # NCT00559507
    (
        "Inclusion",
        "For patients with hormone receptor-positive disease: disease progression or recurrence in any setting on "
        "prior hormonal therapy, given with or without HER2 directed therapy.",
        PROGRESSION,
        UNCERTAIN,
    ),  # NCT02658084
    # --- stable disease beside the progression: another way in ---------------------------------------------------
    ("Inclusion", "stable og progressive disease", PROGRESSION, UNCERTAIN),  # NCT00281476
    # --- an extent joined to a candidacy, or asked of a group --------------------------------------------------------
    ("Inclusion", "No locally advanced disease AND a candidate for radical surgery", EXTENT, UNCERTAIN),  # NCT01005199
    (
        "Inclusion",
        "ER/PR breast cancer positive patients must have received and progressed on at least one endocrine therapy "
        "(adjuvant or metastatic), or have disease that the treating physician believes to be inappropriate for "
        "endocrine therapy.",
        EXTENT,
        UNCERTAIN,
    ),  # NCT02000622
    # --- kept: plain requirements and exclusions ---------------------------------------------------------------------
    ("Inclusion", "Progression within previous 12 months", PROGRESSION, "plain"),  # NCT01736878
    ("Inclusion", "Progressive disease despite standard therapy", PROGRESSION, "plain"),  # NCT00085566
    ("Inclusion", "Documented progressive disease", PROGRESSION, "plain"),  # NCT00563147
    ("Inclusion", "No distant metastases", EXTENT, "plain"),  # NCT00066703
    ("Exclusion", "Metastatic disease or locally advanced cancer", EXTENT, "plain"),  # NCT00193128
    (
        "Inclusion",
        "For the patient to be eligible, the surgeon must prospectively define the tumor as either initially "
        "resectable or potentially resectable after pre-operative chemoradiation; clinically resectable tumors are "
        "defined as completely resectable with negative margins based on routine examination of the non-anesthetized "
        "patient; patients whose tumors are not resectable are not eligible; before pre-operative (op) "
        "chemoradiation, locally advanced tumors",
        EXTENT,
        "kept",
    ),  # NCT00321685: "For the patient to be eligible," opens on no group (its reading is not changed here)
]


@pytest.mark.parametrize(("section", "line", "kind", "expected"), CASES)
def test_prog16_reading(section: str, line: str, kind: FactKind, expected: object) -> None:
    facts = item_facts(section, line, kind)
    if expected == "plain":
        assert facts, "no fact read"
        assert all(f.uncertain is None for f in facts), facts
    elif expected == "kept":
        assert all(f.uncertain is None or "group" not in f.uncertain for f in facts), facts
    else:
        check(facts, expected)


def test_the_reason_names_the_extent_that_matched() -> None:
    """A patient both metastatic and locally advanced, unresectable, against an excluded locally advanced extent: the
    reason names the locally advanced disease (sweep S17-048's reason said "metastatic disease")."""
    patient = load_patient(Path(__file__).parents[1] / "examples" / "anaplastic-braf.json").patient
    fact = make_fact(EXTENT, Polarity.EXCLUDE, ExtentValues(("locally_advanced",)), "concept.locally_advanced", "x")
    found = evaluate(fact, patient, date(2026, 11, 26), load_knowledge())
    assert found.has is True
    assert found.reason.startswith("locally advanced, unresectable disease"), found.reason
    assert found.evidence == ("diagnosis.locally_advanced_unresectable",)
