"""From findings to outcomes, criteria, verdicts and scores: the answer a coordinator acts on.

Outcome of a fact: REQUIRE + present -> satisfied, EXCLUDE + present -> violated, unknown stays unknown.
A criterion's facts must all hold (an exclusion applies when any of its facts applies); lab facts joined by
"or" are alternatives. A parent whose sub-items are alternatives ("at least one of the following") is
satisfied by any one of them. The verdict reads only top-level criteria: ineligible if one is violated,
possible if one is unknown, else eligible (../shared/contracts/match-output.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity
from matcher.knowledge_base import KnowledgeBase
from matcher.matching.findings import Finding, find
from matcher.models import Site
from matcher.patient import Patient

ENROLLING_SITE = {"RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"}


class Outcome(StrEnum):
    SATISFIED = "satisfied"
    VIOLATED = "violated"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    POSSIBLE = "possible"
    INELIGIBLE = "ineligible"


VERDICT_ORDER = {Verdict.ELIGIBLE: 0, Verdict.POSSIBLE: 1, Verdict.INELIGIBLE: 2}


@dataclass(frozen=True)
class TrialInfo:
    nct_id: str
    title: str
    overall_status: str
    phases: tuple[str, ...]
    sites: tuple[Site, ...] = ()


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    outcome: Outcome
    reason: str
    evidence: tuple[str, ...]
    missing: tuple[str, ...] = ()
    eligible_from: date | None = None
    rules: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.criterion.section.value,
            "text": self.criterion.text,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class NearestSite:
    site: Site
    distance_km: float

    def to_json(self) -> dict[str, Any]:
        return {
            "facility": self.site.facility,
            "city": self.site.city,
            "country": self.site.country,
            "status": self.site.status,
            "distance_km": round(self.distance_km, 1),
        }


@dataclass(frozen=True)
class TrialMatch:
    trial: TrialInfo
    verdict: Verdict
    score: float
    results: tuple[CriterionResult, ...]
    missing: tuple[str, ...]
    eligible_from: date | None
    nearest_site: NearestSite | None
    deciding: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "nct_id": self.trial.nct_id,
            "title": self.trial.title,
            "overall_status": self.trial.overall_status,
            "phases": list(self.trial.phases),
            "verdict": self.verdict.value,
            "score": self.score,
            "criteria": [r.to_json() for r in self.results],
            "missing": list(self.missing),
        }
        if self.eligible_from is not None:
            data["eligible_from"] = self.eligible_from.isoformat()
        if self.nearest_site is not None:
            data["nearest_site"] = self.nearest_site.to_json()
        return data


def _fact_outcome(fact: Fact, finding: Finding) -> Outcome:
    if finding.not_applicable:
        return Outcome.NOT_APPLICABLE
    if finding.has is None:
        return Outcome.UNKNOWN
    wanted = fact.polarity is Polarity.REQUIRE
    return Outcome.SATISFIED if finding.has == wanted else Outcome.VIOLATED


def _all(outcomes: Sequence[Outcome]) -> Outcome:
    if Outcome.VIOLATED in outcomes:
        return Outcome.VIOLATED
    if Outcome.UNKNOWN in outcomes:
        return Outcome.UNKNOWN
    if outcomes and all(o is Outcome.NOT_APPLICABLE for o in outcomes):
        return Outcome.NOT_APPLICABLE
    return Outcome.SATISFIED


def _any(outcomes: Sequence[Outcome]) -> Outcome:
    if Outcome.SATISFIED in outcomes:
        return Outcome.SATISFIED
    if Outcome.UNKNOWN in outcomes or not outcomes:
        return Outcome.UNKNOWN
    if all(o is Outcome.NOT_APPLICABLE for o in outcomes):
        return Outcome.NOT_APPLICABLE
    return Outcome.VIOLATED


def evaluate_criterion(criterion: Criterion, patient: Patient, on: date, kb: KnowledgeBase) -> CriterionResult:
    if not criterion.facts:
        return CriterionResult(
            criterion,
            Outcome.UNKNOWN,
            "not understood by the parser; check the text",
            (),
            (_short(criterion.display_text),),
        )
    pairs = [(fact, find(fact, patient, on, kb)) for fact in criterion.facts]
    outcomes = [_fact_outcome(fact, finding) for fact, finding in pairs]
    alternatives = [o for (fact, _), o in zip(pairs, outcomes, strict=True) if fact.values.get("alternative")]
    rest = [o for (fact, _), o in zip(pairs, outcomes, strict=True) if not fact.values.get("alternative")]
    outcome = _all([*rest, _any(alternatives)] if alternatives else rest)
    deciding = [(f, fi, o) for (f, fi), o in zip(pairs, outcomes, strict=True) if o is outcome] or [
        (f, fi, o) for (f, fi), o in zip(pairs, outcomes, strict=True)
    ]
    if outcome is Outcome.SATISFIED and alternatives:
        deciding = [(f, fi, o) for (f, fi), o in zip(pairs, outcomes, strict=True) if o is Outcome.SATISFIED]
    reason = "; ".join(dict.fromkeys(fi.reason for _, fi, _ in deciding))
    evidence = tuple(dict.fromkeys(path for _, fi, _ in deciding for path in fi.evidence))
    missing = tuple(dict.fromkeys(fi.missing for _, fi, o in deciding if o is Outcome.UNKNOWN and fi.missing))
    waits = [fi.eligible_from for _, fi in pairs if fi.eligible_from]
    wait = max(waits) if waits and outcome is not Outcome.VIOLATED else None
    if wait is not None and wait <= on:
        wait = None
    return CriterionResult(criterion, outcome, reason, evidence, missing, wait, tuple(f.rule for f, _, _ in deciding))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _with_children(results: list[CriterionResult]) -> list[CriterionResult]:
    """Combine each parent with its sub-items (alternatives when the parent says "at least one of")."""
    children: dict[int, list[CriterionResult]] = {}
    for r in results:
        if r.criterion.parent is not None:
            children.setdefault(r.criterion.parent, []).append(r)
    combined = list(results)
    for index in sorted(children, reverse=True):  # innermost parents first
        parent = combined[index]
        kids = [combined[k.criterion.index] for k in children[index]]
        own = parent.outcome if parent.criterion.facts else None
        if parent.criterion.any_of:
            kid_outcome = _any([k.outcome for k in kids])
            outcome = own if own in (Outcome.SATISFIED, Outcome.VIOLATED) else kid_outcome
        else:
            outcome = _all([o for o in [own, *(k.outcome for k in kids)] if o is not None])
        if outcome is parent.outcome and parent.criterion.facts:
            continue
        deciders = [k for k in kids if k.outcome is outcome] or kids
        reason = (
            parent.reason
            if parent.criterion.facts and own is outcome
            else "; ".join(dict.fromkeys(k.reason for k in deciders[:3]))
        )
        missing = tuple(dict.fromkeys(m for k in deciders for m in k.missing)) if outcome is Outcome.UNKNOWN else ()
        evidence = tuple(dict.fromkeys(e for k in deciders for e in k.evidence))
        waits = [k.eligible_from for k in kids if k.eligible_from]
        combined[index] = CriterionResult(
            parent.criterion,
            outcome,
            reason,
            evidence,
            missing,
            max(waits) if waits else parent.eligible_from,
            parent.rules,
        )
    return combined


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((rlat2 - rlat1) / 2) ** 2
        + math.cos(rlat1) * math.cos(rlat2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def nearest_site(patient: Patient, sites: Sequence[Site]) -> NearestSite | None:
    loc = patient.location
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    best: NearestSite | None = None
    for site in sites:
        if site.lat is None or site.lon is None or (site.status and site.status not in ENROLLING_SITE):
            continue
        distance = haversine_km(loc.lat, loc.lon, site.lat, site.lon)
        if best is None or distance < best.distance_km:
            best = NearestSite(site, distance)
    return best


def match_trial(
    trial: TrialInfo, criteria: Sequence[Criterion], patient: Patient, on: date, kb: KnowledgeBase
) -> TrialMatch:
    """Evaluate every criterion of one trial for one patient."""
    results = _with_children([evaluate_criterion(c, patient, on, kb) for c in criteria])
    top = [r for r in results if r.criterion.parent is None]
    outcomes = [r.outcome for r in top]
    if Outcome.VIOLATED in outcomes:
        verdict = Verdict.INELIGIBLE
    elif Outcome.UNKNOWN in outcomes:
        verdict = Verdict.POSSIBLE
    else:
        verdict = Verdict.ELIGIBLE
    missing = tuple(dict.fromkeys(m for r in top if r.outcome is Outcome.UNKNOWN for m in r.missing))
    waits = [r.eligible_from for r in top if r.eligible_from and r.outcome is Outcome.SATISFIED]
    deciding_outcome = {Verdict.INELIGIBLE: Outcome.VIOLATED, Verdict.POSSIBLE: Outcome.UNKNOWN}.get(verdict)
    deciding = tuple(_short(r.criterion.display_text, 70) for r in top if r.outcome is deciding_outcome)
    site = nearest_site(patient, trial.sites)
    return TrialMatch(
        trial,
        verdict,
        _score(top, patient, site),
        tuple(results),
        missing,
        max(waits) if waits else None,
        site,
        deciding,
    )


def _score(top: Sequence[CriterionResult], patient: Patient, site: NearestSite | None) -> float:
    """0..1: answerable criteria satisfied (70%), targeted to the patient's biomarkers (20%), proximity (10%)."""
    counted = [r for r in top if r.outcome is not Outcome.NOT_APPLICABLE]
    satisfied = sum(r.outcome is Outcome.SATISFIED for r in counted)
    share = satisfied / len(counted) if counted else 0.0
    targeted = any(
        r.outcome is Outcome.SATISFIED
        and any(f.kind is FactKind.BIOMARKER and f.polarity is Polarity.REQUIRE for f in r.criterion.facts)
        for r in top
    )
    radius = patient.location.radius_km if patient.location and patient.location.radius_km else 1000.0
    proximity = max(0.0, 1 - site.distance_km / radius) if site else 0.0
    return round(0.7 * share + 0.2 * targeted + 0.1 * proximity, 3)
