"""Pregnancy, breast-feeding and contraception. No trial asks for a pregnancy: "negative pregnancy test", "must not be
pregnant" and an exclusion "pregnant or breast-feeding" all exclude it, whatever the section and the negations.
Contraception is agreed at screening."""

from __future__ import annotations

import re
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Polarity
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, NoValues, lazy_regex
from matcher.eligibility.text import CriterionText, make_fact, sentence_stop
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient

_DEFINITION = cue("cue.pregnancy.definition")
_AVOID = cue("cue.pregnancy.avoid")
_NOT_NOW = cue("cue.pregnancy.not_now")
# mend67: a breast-feeding woman let in if she stops, or breast-feeding barred over the study's time only
_MAY_STOP = cue("cue.breastfeeding.may_stop")
_DURING_STUDY = cue("cue.breastfeeding.during_study")
# ... or let in by a later sentence: "Those who have a negative ... pregnancy test ... are eligible" (mend69)
_LET_IN = cue("cue.breastfeeding.let_in")
_METHOD = lazy_regex(r"contracept|birth control|barrier|abstinence|condom", re.IGNORECASE)


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    if _DEFINITION.match(c.text):
        return []  # '"Women of childbearing potential" is defined as ...': a definition
    facts = []
    pregnancy = [
        m
        for m in c.of("CONCEPT", "concept.pregnancy")
        if not _AVOID.search(c.text[max(0, m.start - 20) : m.start])
        and not _NOT_NOW.search(c.text[max(0, m.start - 40) : m.start])
    ]
    if pregnancy:
        facts.append(make_fact(FactKind.PREGNANCY, Polarity.EXCLUDE, NoValues(), pregnancy[0].id, pregnancy[0].text))
    feeding = c.of("CONCEPT", "concept.breastfeeding")
    if feeding:
        m = feeding[0]
        doubt = None
        if stops := _MAY_STOP.search(c.text):
            doubt = f"a breast-feeding woman may enter if she stops ({stops.group(0)!r}), which is not on file"
        elif _DURING_STUDY.match(c.text, m.end):
            doubt = "breast-feeding is barred during the study: one now may stop before entry"
        elif _LET_IN.search(c.text, sentence_stop(c.text, m.end)):
            # "Female patients who are able to become pregnant (or are already pregnant or lactating). Those who have a
            # negative serum or urine pregnancy test before enrolment and agree to use two highly effective forms of
            # contraception ... are eligible" (NCT02055690, comorbid sample 65's DY329, mend69)
            doubt = "a later sentence lets some of the women barred in, on terms not on file"
        facts.append(make_fact(FactKind.BREASTFEEDING, Polarity.EXCLUDE, NoValues(), m.id, m.text, doubt))
    contraception = c.of("CONCEPT", "concept.contraception")
    if contraception and (not facts or any(_METHOD.search(m.text) for m in contraception)):
        facts.append(make_fact(FactKind.CONTRACEPTION, Polarity.REQUIRE, NoValues(), contraception[0].id,
                               contraception[0].text))  # fmt: skip
    return facts


def _status(p: Patient, value: bool | None, field_name: str, word: str, missing: str) -> Finding:
    if value is not None:
        return Finding(value, word if value else f"not {word}", (field_name,))
    if p.sex is not None and p.sex.value == "male":
        return Finding(False, f"male patient: not {word}", ("sex",))
    return Finding(None, f"{missing} not on file", missing=missing)


def evaluate_pregnancy(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    return _status(p, p.pregnant, "pregnant", "pregnant", "pregnancy status")


def evaluate_breastfeeding(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    return _status(p, p.breastfeeding, "breastfeeding", "breast-feeding", "breast-feeding status")


def evaluate_contraception(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    return Finding(None, "contraception is agreed at screening", not_applicable=True)


PREGNANCY = Kind(
    FactKind.PREGNANCY,
    NoValues,
    extract,
    evaluate_pregnancy,
    frozenset({"concept.pregnancy", "concept.breastfeeding", "concept.contraception"}),
)
BREASTFEEDING = Kind(FactKind.BREASTFEEDING, NoValues, None, evaluate_breastfeeding)
CONTRACEPTION = Kind(FactKind.CONTRACEPTION, NoValues, None, evaluate_contraception)
