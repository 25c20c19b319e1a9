"""Measured facts: lab thresholds (units, ULN multiples, alternatives), QTc, LVEF, blood pressure, cardiac history."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section
from matcher.eligibility.extract_base import CriterionText, Mention, make_fact, window_months
from matcher.knowledge_base import KnowledgeBase

_VERB = re.compile(r"\b(?:can|may|is|are|be|been|used|must|should|will)\b", re.IGNORECASE)
_OTHER_SPECIMEN = re.compile(r"[^;.]{0,12}?\bin\s+(?:the\s+)?(?:FNA|fine[- ]needle|washout|cerebrospinal|CSF)\b", re.I)
_GRADE_BEFORE = re.compile(r"\bgrade\s*$", re.IGNORECASE)
_CONDITIONAL_LIMIT = re.compile(
    r"\s*(?:in\s+(?:the\s+)?presence\s+of|(?:for|in)\s+(?:subjects?|patients?|participants?)\s+with|if)\b", re.I
)
_QTCF = re.compile(r"\bQTcF\b|Fridericia", re.IGNORECASE)
_SYSTOLIC = re.compile(r"systolic|SBP", re.IGNORECASE)
_DIASTOLIC = re.compile(r"diastolic|DBP", re.IGNORECASE)
_NYHA = re.compile(
    r"(?:(?P<gt>greater than|more than|worse than|higher than|above|>)\s*(?:the\s+)?)?"
    r"(?:NYHA|New York Heart Association)"
    r"[^.;]{0,40}?(?:class|grade)\s*(?P<gt2>>|greater than|higher than)?\s*(?P<c>IV|III|II|I|[1-4])\b",
    re.I,
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def labs(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    labs = c.of("LAB")
    if not labs:
        return []
    facts: list[Fact] = []
    pending: list[Mention] = []
    seen: set[str] = set()
    found = [
        t
        for t in numbers.thresholds(c.text)
        if not c.text.startswith("+", t.end) and not _GRADE_BEFORE.search(c.text[max(0, t.start - 12) : t.start])
    ]  # fmt: skip: "> 1+" on a dipstick and "CTCAE Grade > 1" are not amounts
    last_end = -1
    for index, lab in enumerate(labs):
        pending.append(lab)
        next_lab = labs[index + 1].start if index + 1 < len(labs) else len(c.text)
        after = [t for t in found if lab.end <= t.start < max(next_lab, lab.end + 1)]
        if not after and index + 1 < len(labs) and _shares_threshold(c.text[lab.end : labs[index + 1].start]):
            continue  # "AST and ALT <= 2.5 x ULN": the threshold after the last one applies to both
        if after:
            threshold = after[0]
            before = c.text[last_end : pending[0].start] if last_end >= 0 else ""
            # "WBC >= 3.0 or granulocytes >= 1.5": "or" between two thresholds, not "or correctable with supplements"
            alternative = bool(
                index + 1 < len(labs)
                and re.match(r"[\s,;]*(?:\([^)]*\)\s*)?or\b", c.text[threshold.end : next_lab], re.I)
            ) or bool(facts and re.search(r"\bor\b", before, re.I))
            joined = c.text[pending[0].end : pending[-1].start]
            alternative = alternative or bool(len(pending) > 1 and re.search(r"(?<!and/)\bor\b", joined, re.I))
            last_end = threshold.end
            if _OTHER_SPECIMEN.match(c.text, threshold.end):
                pending = []
                continue  # "Tg (<10 ng/ml) in FNA washout fluid": not a serum value
            if not alternative and _CONDITIONAL_LIMIT.match(c.text, threshold.end):
                pending = []
                continue  # "direct bilirubin > 1.5 x ULN in presence of Gilbert's disease": a conditional limit
            for mention in pending:
                if mention.id in seen:
                    continue
                seen.add(mention.id)
                facts.append(_lab_fact(c, kb, mention, threshold, alternative))
        pending = []
    return facts


def _shares_threshold(gap: str) -> bool:
    """ "AST (SGOT) and ALT", "INR or PT": names and brackets between two tests; not a clause ("[GFR] can also be
    used in place of creatinine")."""
    return bool(re.fullmatch(r"[\s,/()\[\]a-zA-Z-]*?(?:and|or|,|/)?[\s()]*", gap)) and not _VERB.search(gap)


def _lab_fact(c: CriterionText, kb: KnowledgeBase, lab: Mention, t: numbers.Threshold, alternative: bool) -> Fact:
    test = kb.labs[lab.id]
    values: dict[str, Any] = {"lab": lab.id, "lab_name": test.name, "op": t.op}
    if t.uln is not None:
        values["uln_multiple"] = t.uln
    elif t.lln is not None:
        values["lln_multiple"] = t.lln
    else:
        values["value"] = t.value
        values["unit"] = t.unit
        canonical = test.to_canonical(t.value, t.unit) if t.value is not None and t.unit else None
        if canonical is None and t.value is not None and not t.unit and not test.canonical_unit:
            canonical = t.value  # unitless tests (INR)
        values["canonical_value"] = canonical
        values["canonical_unit"] = test.canonical_unit
    if alternative:
        values["alternative"] = True
    polarity = Polarity.REQUIRE if c.section is Section.INCLUSION else Polarity.EXCLUDE
    return make_fact(FactKind.LAB, polarity, values, lab.id, c.text[lab.start : t.end])


def measure(
    kind: FactKind, concept: str, unit_check: Callable[[numbers.Threshold], bool]
) -> Callable[[CriterionText], list[Fact]]:
    def extract(c: CriterionText) -> list[Fact]:
        mentions = c.of("CONCEPT", concept)
        if not mentions:
            return []
        m = mentions[0]
        for t in numbers.thresholds(c.text, m.start, min(len(c.text), m.end + 80)):
            if t.value is not None and unit_check(t):
                values: dict[str, Any] = {"op": t.op, "value": t.value}
                if kind is FactKind.QTC:
                    values["correction"] = "qtcf" if _QTCF.search(c.text) and "bazett" not in c.text.lower() else "any"
                polarity = Polarity.REQUIRE if c.section is Section.INCLUSION else Polarity.EXCLUDE
                return [make_fact(kind, polarity, values, concept, c.text[m.start : t.end])]
        if kind is FactKind.QTC and re.search(r"\blong QT|QT prolongation|prolonged QT", c.text, re.I):
            return [make_fact(FactKind.CARDIAC, c.polarity(m), {"conditions": ["long QT"]}, concept, m.text)]
        return []

    return extract


def hypertension(c: CriterionText) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.hypertension")
    if not mentions:
        return []
    values: dict[str, Any] = {}
    for t in numbers.thresholds(c.text, mentions[0].start):
        if t.value is None or not 40 <= t.value <= 250:
            continue
        before = c.text[max(0, t.start - 40) : t.start]
        if _DIASTOLIC.search(before) and "diastolic_over" not in values:
            values["diastolic_over"] = t.value
        elif "systolic_over" not in values and (_SYSTOLIC.search(before) or t.value > 120):
            values["systolic_over"] = t.value
            pair = re.match(r"\s*/\s*(\d{2,3})\b", c.text[t.end :])  # "140/90 mmHg"
            if pair and "diastolic_over" not in values:
                values["diastolic_over"] = float(pair.group(1))
    uncontrolled = c.has("concept.uncontrolled") or bool(re.search(r"uncontrolled|poorly controlled", c.text, re.I))
    if uncontrolled:
        values["uncontrolled"] = True
    if not values:
        return []
    # "BP < 150/90" in an inclusion criterion excludes what is over it, as "BP > 150/90" in an exclusion does
    limits = "systolic_over" in values or "diastolic_over" in values
    polarity = Polarity.EXCLUDE if c.section is Section.EXCLUSION or uncontrolled or limits else c.polarity(mentions[0])
    return [make_fact(FactKind.HYPERTENSION, polarity, values, mentions[0].id, mentions[0].text)]


def cardiac(c: CriterionText) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.cardiac")
    if not mentions:
        return []
    values: dict[str, Any] = {"conditions": list(dict.fromkeys(m.text.lower() for m in mentions))}
    nyha = _NYHA.search(c.text)
    if nyha:
        grade = nyha.group("c").upper()
        above = 1 if nyha.group("gt") or nyha.group("gt2") else 0  # "greater than NYHA class II" is class III
        values["nyha_min"] = (_ROMAN.get(grade) or int(grade)) + above
    values.update(window_months(c, mentions[0]))
    return [make_fact(FactKind.CARDIAC, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]
