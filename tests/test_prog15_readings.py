"""Fresh sample 15's progressions read with a window that is not theirs (issue 10; tests/audit/prog15_changes.txt): a
therapy's duration ("on treatment with ibrutinib for at least 18 months"), the interval between two measurements
("with a 1-month interval"), a therapy's completion ("completed within the previous 12 months") or any duration that
stands before the progression, told of another event, is not the progression's window. A requirement is read
without it (looser); an exclusion keeps it, uncertain, unless it is a therapy's duration; a window counted from the
end of a therapy ("while on therapy or within 6 months") is uncertain. Each row quotes registry text of the tuning
corpora, with its trial."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Fact, FactKind, Polarity
from matcher.eligibility.kinds.progression import ProgressionValues
from matcher.eligibility.numbers import Window
from tests.readings import UNCERTAIN, check, item_facts

NO_WINDOW = ProgressionValues(None, False)


def _progression(line: str) -> list[Fact]:
    return item_facts("Inclusion", line, FactKind.PROGRESSION)


@pytest.mark.parametrize(
    ("line", "polarity"),
    [
        # NCT02973399 (V140, V176, V397): how long she has been on ibrutinib; "without evidence of disease
        # progression" is the exclusion's whole reading
        (
            "A diagnosis of CLL as defined by IWCLL 2008 criteria and currently on treatment with ibrutinib for at "
            "least 18 months with residual disease and without evidence of disease progression.",
            Polarity.EXCLUDE,
        ),
        # NCT02184195: the weeks of platinum given
        (
            "Patients are on treatment with a first line platinum-based (cisplatin, carboplatin or oxaliplatin) "
            "regimen for metastatic pancreas cancer, have received a minimum of 16 weeks of continuous platinum "
            "treatment and have no evidence of progression based on investigator's opinion.",
            Polarity.EXCLUDE,
        ),
        # NCT00115635 (V317): the interval between two PSA measurements
        (
            "PSA progression defined as a > 25% increase between two independent measurements performed with a "
            "1-month interval or more after discontinuation of anti-androgen treatment.",
            Polarity.REQUIRE,
        ),
        # NCT02134015: the regimen's completion
        (
            "Must have disease progression or recurrence documented by radiographic assessment following treatment "
            "after last chemotherapy or chemoradiation regimen (completed within the previous 12 months).",
            Polarity.REQUIRE,
        ),
        # NCT01926236: when the allocated chemotherapy starts, counted from the progression
        (
            "Patients must be randomised and those allocated chemotherapy must start treatment within 6 weeks of "
            "diagnosis of disease progression",
            Polarity.REQUIRE,
        ),
        # NCT01039948: how long the response lasted before the progression
        (
            "Phase 2 only: Subjects on Gefitinib monotherapy arm must have documented CR, PR, or SD for ≥12 weeks "
            "prior to disease progression in order to cross over to combination therapy arm.",
            Polarity.REQUIRE,
        ),
    ],
)
def test_a_window_of_another_event_is_dropped(line: str, polarity: Polarity) -> None:
    check(_progression(line), [(polarity, NO_WINDOW, None)])


@pytest.mark.parametrize(
    "line",
    [
        # NCT00045110: the weeks since radiotherapy, before "without evidence of progression"
        "No more than 6 weeks since prior external beam radiotherapy for patients with GBM without evidence of "
        "progression",
        # NCT01336543 (K069's criterion): the consolidation chemotherapy's start
        "Initiation of consolidation chemotherapy within 4-8 weeks of concurrent chemo-radiotherapy without "
        "progression.",
    ],
)
def test_an_exclusions_window_of_another_event_is_uncertain(line: str) -> None:
    facts = _progression(line)
    check(facts, UNCERTAIN)
    assert all(f.polarity is Polarity.EXCLUDE and "another event" in (f.uncertain or "") for f in facts), facts


@pytest.mark.parametrize(
    ("line", "window"),
    [
        # NCT00765765: a resistance defined by a progression after the anthracycline ended
        (
            "Anthracycline resistance is defined as progression while on therapy or within 6 months in the "
            "adjuvant/neoadjuvant setting or 3 months in the metastatic setting",
            Window(6, "month"),
        ),
        # NCT02426125: the window of the progression's own sentence (14 months), not the later sentence's 24
        (
            "Had disease progression while on a platinum containing regimen in the first-line setting or within 14 "
            "months after completing the first-line platinum regimen. Participants who received treatment with one "
            "immune checkpoint inhibitor regimen are eligible (for example Programmed death 1 (PD-1), Programmed "
            "death-ligand 1 (PDL1), or CTLA4) and may have a longer interval since prior platinum-containing therapy "
            "(≤24 months).",
            Window(14, "month"),
        ),
    ],
)
def test_a_window_after_a_therapy_is_uncertain(line: str, window: Window) -> None:
    facts = _progression(line)
    assert [(f.polarity, f.values) for f in facts] == [(Polarity.REQUIRE, ProgressionValues(window, False))], facts
    assert all("counted from the end of a therapy" in (f.uncertain or "") for f in facts), facts


def test_a_progression_a_test_rules_out_is_not_asked() -> None:
    """NCT02550743: the imaging is done to rule the progression out."""
    facts = _progression(
        "The tumor must be clinically Stage II (T3-4 N0) or stage III (N+). Stage of the tumor may be determined by "
        "CT scan, endorectal ultrasound or MRI. (For patients receiving chemotherapy prior to protocol "
        "chemoradiation, the initial clinical stage applies. CT/MRI/PET should be performed within 2 months of study "
        "entry to exclude disease progression.)."
    )
    check(facts, UNCERTAIN)
    assert all("rule out" in (f.uncertain or "") for f in facts), facts


@pytest.mark.parametrize(
    ("line", "window"),
    [
        # NCT01736878, NCT02275286, NCT01813136: the progression's own recency stays
        ("Progression within previous 12 months", Window(12, "month")),
        (
            "Patients must have documentation of disease progression within 6 months prior to study entry.",
            Window(6, "month"),
        ),
        (
            "Documented progression as per RECIST 1.1 based on 2 consecutives imaging performed within the last 12 "
            "months,",
            Window(12, "month"),
        ),
    ],
)
def test_the_progressions_own_window_stays(line: str, window: Window) -> None:
    recist = "RECIST" in line
    check(_progression(line), [(Polarity.REQUIRE, ProgressionValues(window, recist), None)])
