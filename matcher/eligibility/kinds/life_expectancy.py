"""Life expectancy ("life expectancy of at least 3 months"): the investigator's estimate, never in a profile."""

from __future__ import annotations

from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Values
from matcher.eligibility.kinds.base import Finding, Kind
from matcher.eligibility.numbers import Window
from matcher.eligibility.text import CriterionText, make_fact, window_near
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient


class LifeExpectancyValues(Values, frozen=True):
    at_least: Window | None = None


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.life_expectancy")
    if not mentions:
        return []
    window, _ = window_near(c, mentions[0])
    values = LifeExpectancyValues(window)
    return [make_fact(FactKind.LIFE_EXPECTANCY, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, LifeExpectancyValues)
    wanted = f" of at least {v.at_least}" if v.at_least else ""
    return Finding(
        None,
        f"life expectancy{wanted} is the investigator's estimate; not in the profile",
        missing=f"life expectancy{wanted} (investigator's estimate)",
    )


KIND = Kind(FactKind.LIFE_EXPECTANCY, LifeExpectancyValues, extract, evaluate, frozenset({"concept.life_expectancy"}))
