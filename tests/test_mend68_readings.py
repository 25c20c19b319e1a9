"""Rules of session 34's fourth round (mend68), from comorbid sample 64: breast-feeding one may stop, in more words
("unwilling to discontinue breastfeeding", "should discontinue lactation prior to first use"); a lab limit said to be
for one arm's drug ("AST ≤ 1.5 x ULN for Cabazitaxel"); a QTc "by the Barrett Formula" is Bazett's (issue 10, item 3).
Each line is quoted from the registry text."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient

NURSING = {"breastfeeding": True, "pregnant": False}
AST_62 = {"labs": [{"test": "AST", "value": 62, "unit": "U/L", "date": "2026-11-18", "upper_limit": 40}]}


def test_breastfeeding_one_may_stop_is_not_decided() -> None:
    for line in (
        "Patients known or found to be pregnant or those unwilling to discontinue breastfeeding.",  # DX057
        "Lactating and pregnant women should discontinue lactation prior to first use of study drug and refrain from "
        "nursing throughout the treatment period and for 14 days after final dose.",  # DX322
    ):
        assert item_outcome(line, patient(**NURSING), "exclusion").outcome is Outcome.UNKNOWN, line


def test_a_lab_limit_for_one_arms_drug_is_not_decided() -> None:
    line = "AST ≤ 1.5 x ULN for Cabazitaxel"  # NCT03043989, DX294
    assert item_outcome(line, patient(**AST_62)).outcome is Outcome.UNKNOWN
    assert item_outcome("AST ≤ 1.5 x ULN", patient(**AST_62)).outcome is Outcome.VIOLATED


def test_a_qtc_by_the_barrett_formula_is_bazetts() -> None:
    line = "QT interval corrected for heart rate by the Barrett Formula (QTc) > 470 msec at screening"  # DX120
    result = item_outcome(line, patient(qtcf_ms=472), "exclusion")
    assert result.outcome is Outcome.UNKNOWN and "Bazett" in result.reason, result.reason
