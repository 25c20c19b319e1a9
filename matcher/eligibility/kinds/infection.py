"""Infections: HIV, hepatitis B and C, active infection requiring treatment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Values
from matcher.eligibility.kinds.base import Finding, Kind
from matcher.eligibility.kinds.conditions import listed_condition
from matcher.eligibility.text import CriterionText, make_fact
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient

_AGENTS = {"concept.hiv": "HIV", "concept.hepatitis_b": "hepatitis B", "concept.hepatitis_c": "hepatitis C",
           "concept.hepatitis": "hepatitis", "concept.infection": "active infection"}  # fmt: skip


@dataclass(frozen=True)
class InfectionValues(Values):
    agents: tuple[str, ...]


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = [m for m in c.mentions if m.id in _AGENTS and not c.excepted(m)]
    if not mentions:
        return []
    values = InfectionValues(tuple(dict.fromkeys(_AGENTS[m.id] for m in mentions)))
    return [make_fact(FactKind.INFECTION, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, InfectionValues)
    return listed_condition(p, " / ".join(v.agents) or "infection", [*v.agents, "HIV", "hepatitis"])


KIND = Kind(FactKind.INFECTION, InfectionValues, extract, evaluate)
