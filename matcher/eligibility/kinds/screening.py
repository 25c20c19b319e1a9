"""What is checked at screening, not in a profile: consent, willingness, compliance, the investigator's judgement."""

from __future__ import annotations

import re
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Polarity
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, NoValues, lazy_regex
from matcher.eligibility.text import CriterionText, make_fact
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient

_TIME_ANCHOR_BEFORE = cue("cue.anchor.time_before")
_AGREE = lazy_regex(r"(?:must\s+)?agrees?|willing", re.IGNORECASE)


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = [
        m for m in c.of("CONCEPT", "concept.screening_only")
        if not (_TIME_ANCHOR_BEFORE.search(c.text[max(0, m.start - 60) : m.start]) and "consent" in m.text.lower())
        and not (_AGREE.match(m.text) and any(x.id == "concept.contraception" and 0 < x.start - m.end < 60
                                               for x in c.mentions))
    ]  # fmt: skip
    if not mentions:
        return []
    return [make_fact(FactKind.SCREENING_ONLY, Polarity.REQUIRE, NoValues(), mentions[0].id, mentions[0].text)]


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    return Finding(
        None, "checked at screening (consent, willingness or the investigator's judgement)", not_applicable=True
    )


KIND = Kind(FactKind.SCREENING_ONLY, NoValues, extract, evaluate, frozenset({"concept.screening_only"}))
