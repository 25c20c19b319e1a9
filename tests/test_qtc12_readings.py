"""QTc 12 (fresh sample 12; tests/audit/qtc12_changes.txt): a QTc limit asked only with the electrolytes at given levels
("in the presence of potassium >= 4 mEq/L and magnesium >= 1.7 mEq/L") is decided only by levels the profile does not
hold: the limit is uncertain, not an exclusion of a patient whose QTcF is past it. A limit measured once the
electrolytes are corrected ("after electrolytes have been corrected", sample 4 J047, judged right) applies and keeps its
reading. Each row quotes registry text of the tuning corpora, with the trial it came from."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.cardiac import QtcValues, electrolyte_conditions
from tests.readings import UNCERTAIN
from tests.readings import check as _check
from tests.readings import item_facts as _item

QTC = FactKind.QTC

# NCT00590603
_MYELOMA = (
    "Corrected QT interval (QTc) interval greater than 460 msec in the presence of serum potassium greater than or "
    "equal to 4.0 mEq/L and magnesium greater than or equal to 1.8 mg/dL, or underlying conduction disease that "
    "prevents measurement of the QTc interval."
)
# NCT01014546
_MYELOFIBROSIS = "Corrected QT interval (QTc) > 450 in the presence of potassium >= 4 mEq/L and magnesium >= 1.7 mEq/L"

_CONDITIONED = [
    _MYELOMA,
    _MYELOFIBROSIS,
    # an uncorrected QT with the same condition: uncertain already (sweep 4), for the QT
    "Absolute QT interval > 460 msec in the presence of adequate serum potassium and magnesium values",  # NCT00234000
]


@pytest.mark.parametrize("line", _CONDITIONED)
def test_a_qtc_limit_asked_only_at_given_electrolyte_levels_is_uncertain(line: str) -> None:
    _check(_item("Exclusion", line, QTC), UNCERTAIN)


def test_the_doubt_names_the_electrolyte_condition() -> None:
    (fact,) = _item("Exclusion", _MYELOFIBROSIS, QTC)
    assert fact.polarity is Polarity.EXCLUDE and fact.values == QtcValues(">", 450.0)
    assert fact.uncertain is not None
    assert "in the presence of potassium >= 4 mEq/L and magnesium >= 1.7 mEq/L" in fact.uncertain


def test_the_condition_ends_at_the_next_alternative() -> None:
    # NCT00590603: "or underlying conduction disease ..." is another way to be excluded, not part of the condition
    ((start, end),) = electrolyte_conditions(_MYELOMA)
    assert _MYELOMA[start:end] == (
        "in the presence of serum potassium greater than or equal to 4.0 mEq/L and magnesium greater than or equal to "
        "1.8 mg/dL"
    )


_KEPT = [
    # measured once the electrolytes are corrected: the limit applies (sample 4 J047, judged right)
    (
        "Abnormal QT interval corrected for heart rate using Fridericia's formula prolonged (>450 msec) after "
        "electrolytes have been corrected on baseline electrocardiogram",
        [(Polarity.EXCLUDE, QtcValues(">", 450.0, "qtcf"), None)],
    ),  # NCT00560352
    (
        "QTcF > 450ms despite correction of predisposing factors (i.e electrolytes…)",
        [(Polarity.EXCLUDE, QtcValues(">", 450.0, "qtcf"), None)],
    ),  # NCT02201459
    # uncorrectable electrolyte abnormalities: another way to be excluded, not a condition on the limit
    (
        "Patients with history of long QT syndrome, uncorrectable electrolyte abnormalities, or QTc>500msec.",
        [(Polarity.EXCLUDE, QtcValues(">", 500.0), None)],
    ),  # NCT01709292
    (
        "Corrected QT (QTc) interval ≥ 450 msec at baseline or history of congenital long QT syndrome or "
        "uncorrectable electrolyte abnormalities. (Patients with well controlled atrial fibrillation are exempt from "
        "this criteria.)",
        [(Polarity.EXCLUDE, QtcValues(">=", 450.0), None)],
    ),  # NCT02456701
]


@pytest.mark.parametrize(("line", "expected"), _KEPT)
def test_a_qtc_limit_after_correction_of_the_electrolytes_keeps_its_reading(line: str, expected: object) -> None:
    _check(_item("Exclusion", line, QTC), expected)


@pytest.mark.parametrize("line", [_MYELOMA, _MYELOFIBROSIS])
def test_the_levels_a_qtc_limit_applies_at_are_no_lab_limit(line: str) -> None:
    """Normal potassium and magnesium were read as exclusions of their own; they are the QTc limit's condition."""
    assert _item("Exclusion", line, FactKind.LAB) == []


def test_a_bracket_inside_the_condition_does_not_end_it() -> None:
    """NCT01014546's condition with the electrolytes' symbols in brackets (adapted): the magnesium level after "(K)"
    is still the condition's, not a lab exclusion of its own (the final read's finding)."""
    line = "QTc > 450 msec in the presence of serum potassium (K) >= 4.0 mEq/L and magnesium (Mg) >= 1.8 mg/dL"
    assert electrolyte_conditions(line) == [(line.index("in the presence"), len(line))]
    assert _item("Exclusion", line, FactKind.LAB) == []
