"""The heart: QTc ("QTcF > 470 ms"), LVEF ("LVEF < 50%"), and cardiac history (infarction, heart failure with NYHA
class, arrhythmia, long QT syndrome), each with a window where the text gives one ("within 6 months")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Fact, FactKind, Values
from matcher.eligibility.kinds.base import Finding, Kind, compare, fmt
from matcher.eligibility.kinds.conditions import listed_condition
from matcher.eligibility.numbers import Window
from matcher.eligibility.text import CriterionText, make_fact, window_near
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient


@dataclass(frozen=True)
class QtcValues(Values):
    op: str
    value: float
    correction: str = "any"  # qtcf (Fridericia) | any (the text does not say, or another formula)


@dataclass(frozen=True)
class LvefValues(Values):
    op: str
    value: float


@dataclass(frozen=True)
class CardiacValues(Values):
    conditions: tuple[str, ...]
    nyha_min: int | None = None
    within: Window | None = None


_QTCF = re.compile(r"\bQTcF\b|Fridericia", re.IGNORECASE)
_LONG_QT = re.compile(r"\blong QT|QT prolongation|prolonged QT", re.IGNORECASE)
_NYHA = re.compile(
    r"(?:(?P<gt>greater than|more than|worse than|higher than|above|>)\s*(?:the\s+)?)?"
    r"(?:NYHA|New York Heart Association)"
    r"[^.;]{0,40}?(?:class|grade)\s*(?P<gt2>>|greater than|higher than)?\s*(?P<c>IV|III|II|I|[1-4])\b",
    re.I,
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def extract_qtc(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.qtc")
    if not mentions:
        return []
    m = mentions[0]
    for t in numbers.thresholds(c.text, m.start, min(len(c.text), m.end + 80)):
        if t.value is not None and t.unit in (None, "ms", "msec") and 300 <= t.value <= 600:
            correction = "qtcf" if _QTCF.search(c.text) and "bazett" not in c.text.lower() else "any"
            values = QtcValues(t.op, t.value, correction)
            return [make_fact(FactKind.QTC, c.polarity(m), values, "concept.qtc", c.text[m.start : t.end])]
    if _LONG_QT.search(c.text):
        return [make_fact(FactKind.CARDIAC, c.polarity(m), CardiacValues(("long QT",)), "concept.qtc", m.text)]
    return []


def extract_lvef(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.lvef")
    if not mentions:
        return []
    m = mentions[0]
    for t in numbers.thresholds(c.text, m.start, min(len(c.text), m.end + 80)):
        if t.value is not None and t.unit in (None, "%") and 20 <= t.value <= 80:
            values = LvefValues(t.op, t.value)
            return [make_fact(FactKind.LVEF, c.polarity(m), values, "concept.lvef", c.text[m.start : t.end])]
    return []


def extract_cardiac(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.cardiac")
    if not mentions:
        return []
    nyha_min = None
    nyha = _NYHA.search(c.text)
    if nyha:
        grade = nyha.group("c").upper()
        above = 1 if nyha.group("gt") or nyha.group("gt2") else 0  # "greater than NYHA class II" is class III
        nyha_min = (_ROMAN.get(grade) or int(grade)) + above
    window, uncertain = window_near(c, mentions[0])
    values = CardiacValues(tuple(dict.fromkeys(m.text.lower() for m in mentions)), nyha_min, window)
    return [make_fact(FactKind.CARDIAC, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text, uncertain)]


def evaluate_qtc(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, QtcValues)
    if p.qtcf_ms is None:
        return Finding(None, "no QTcF on file", missing="QTcF")
    formula = "QTcF" if v.correction == "qtcf" else "QTc (formula not stated; compared with the QTcF on file)"
    return Finding(
        compare(p.qtcf_ms, v.op, v.value), f"QTcF {fmt(p.qtcf_ms)} ms (trial: {formula} {v.op} {fmt(v.value)} ms)",
        ("qtcf_ms",),
    )  # fmt: skip


def evaluate_lvef(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, LvefValues)
    return Finding(None, f"no LVEF on file (trial: LVEF {v.op} {fmt(v.value)}%)", missing="LVEF (echocardiogram)")


def evaluate_cardiac(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    """A listed cardiac condition is present; its date and NYHA class are not in the profile, so a window or a class
    limit leaves the answer unknown."""
    v = fact.values
    assert isinstance(v, CardiacValues)
    terms = [*v.conditions, "infarction", "heart failure", "angina", "arrhythmia"]
    found = listed_condition(p, "cardiac history", terms)
    if found.has and (v.within is not None or v.nyha_min is not None):
        limit = f"within {v.within}" if v.within is not None else f"NYHA class {v.nyha_min} or worse"
        return Finding(None, f"{found.reason}; its date or class is not on file (trial: {limit})", found.evidence,
                       missing=f"date and severity of {found.evidence[0]}")  # fmt: skip
    return found


QTC = Kind(FactKind.QTC, QtcValues, extract_qtc, evaluate_qtc)
LVEF = Kind(FactKind.LVEF, LvefValues, extract_lvef, evaluate_lvef)
CARDIAC = Kind(FactKind.CARDIAC, CardiacValues, extract_cardiac, evaluate_cardiac)
