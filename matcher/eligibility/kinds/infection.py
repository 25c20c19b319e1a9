"""Infections: HIV, hepatitis B and C, active infection requiring treatment."""

from __future__ import annotations

from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Values
from matcher.eligibility.kinds.base import Finding, Kind, lazy_regex
from matcher.eligibility.kinds.conditions import current
from matcher.eligibility.text import CriterionText, Mention, make_fact
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient

_AGENTS = {"concept.hiv": "HIV", "concept.hepatitis_b": "hepatitis B", "concept.hepatitis_c": "hepatitis C",
           "concept.hepatitis": "hepatitis", "concept.infection": "active infection"}  # fmt: skip
_HEPATITIS = ("concept.hepatitis", "concept.hepatitis_b", "concept.hepatitis_c")
# The types a hepatitis mention names, read from the words themselves, because a longer phrase can hide the letter
# from the vocabulary ("chronic hepatitis B", "active hepatitis B or hepatitis C") and a list can share the word
# ("hepatitis B or C", "infectious hepatitis, type A, B, or C", "hepatitis c and/or hepatitis b"). B and C are
# written in either case; A only as a capital, since "hepatitis, a history of ..." is no type.
_TYPE = r"(?:(?i:[BC])|A)\b(?!-\w)"  # not "C-reactive protein"
_HEPATITIS_TYPES = lazy_regex(
    r"(?i:hepatitis)[\s,]*(?i:types?\s+)?" + _TYPE
    + r"(?:\s*(?:,|/|&)?\s*(?i:\bor\b|\band/or\b|\band\b)?\s*(?i:hepatitis\s+)?" + _TYPE + ")*"
)  # fmt: skip
_LETTER = lazy_regex(r"\b[ABCbc]\b")


class InfectionValues(Values, frozen=True):
    agents: tuple[str, ...]


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = [m for m in c.mentions if m.id in _AGENTS and not c.excepted(m)]
    if not mentions:
        return []
    values = InfectionValues(tuple(dict.fromkeys(agent for m in mentions for agent in _agents(c, m))))
    return [make_fact(FactKind.INFECTION, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]


def _agents(c: CriterionText, m: Mention) -> list[str]:
    if m.id in _HEPATITIS:
        word = c.text.lower().find("hepatitis", m.start, m.end)
        types = _HEPATITIS_TYPES.match(c.text, word) if word >= 0 else None
        if types is not None:
            listed = types.group(0)[len("hepatitis") :]
            return [f"hepatitis {letter.upper()}" for letter in _LETTER.findall(listed)]
    return [_AGENTS[m.id]]


# Conditions on file that count as each agent; "active infection" is an acute one that needs treatment, which a
# chronic infection under control (HIV on antiretroviral therapy) is not shown to be
_TERMS = {"HIV": ("hiv", "human immunodeficiency"), "hepatitis B": ("hepatitis b", "hbv"),
          "hepatitis C": ("hepatitis c", "hcv"), "hepatitis": ("hepatitis",), "active infection": ("infection",)}  # fmt: skip
_CONTROLLED = ("controlled", "suppressed", "undetectable", "on antiretroviral", "chronic", "resolved", "stable")


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    """A listed condition is the infection the criterion names (HIV is not hepatitis); for "active infection", one
    recorded as controlled or chronic is not shown to be active, and stays unknown."""
    v = fact.values
    assert isinstance(v, InfectionValues)
    specific = [a for a in v.agents if a != "active infection"]
    for agent in specific:
        found = current(p, _TERMS.get(agent, (agent.lower(),)))
        if found:
            return Finding(True, f"{found[0].name} on file", (found[0].path,))
    if "active infection" in v.agents and (found := current(p, _TERMS["active infection"])):
        status = (found[0].status or "").lower()
        if status and not any(word in status for word in _CONTROLLED):
            return Finding(True, f"{found[0].name} on file ({status})", (found[0].path,))
        return Finding(None, f"{found[0].name} on file ({status or 'status not stated'}); whether it is an active "
                       "infection is not decided", (found[0].path,), missing=f"whether {found[0].path} is active")  # fmt: skip
    label = " / ".join(v.agents) or "infection"
    return Finding(None, f"{label} not recorded (not listed is not known to be absent)", missing=label)


KIND = Kind(FactKind.INFECTION, InfectionValues, extract, evaluate, frozenset(_AGENTS))
