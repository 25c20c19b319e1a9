"""Matching a patient against stored trials: pure evaluation over stored criteria (`evaluate`; each kind's
evaluator is in `matcher.eligibility.kinds`).

match_stored(session, patient, on, filters) -> list[TrialMatch], sorted as the output contract says
prepare_row(row, stored_criteria, sites) / prepare_rows(rows, sites) -> trials prepared once,
then match_prepared(trials, patient, on, kb) for each patient
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from matcher import store
from matcher.config import DEFAULT_RADIUS_KM
from matcher.eligibility import parser_version
from matcher.knowledge_base import KnowledgeBase, load_knowledge
from matcher.matching.evaluate import (
    VERDICT_ORDER,
    Evaluator,
    PreparedTrial,
    TrialInfo,
    TrialMatch,
    Verdict,
    prepare,
)
from matcher.models import Site
from matcher.patient import Patient
from matcher.tables import TrialRow

__all__ = [
    "Filters",
    "TrialMatch",
    "Verdict",
    "match_prepared",
    "match_stored",
    "prepare_row",
    "prepare_rows",
    "sort_matches",
]


@dataclass(frozen=True)
class Filters:
    statuses: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    within_km: float | None = None
    include_ineligible: bool = False


def sort_matches(matches: list[TrialMatch]) -> list[TrialMatch]:
    return sorted(matches, key=lambda m: (VERDICT_ORDER[m.verdict], -m.score, m.trial.nct_id))


def _keep(match: TrialMatch, filters: Filters) -> bool:
    if match.verdict is Verdict.INELIGIBLE and not filters.include_ineligible:
        return False
    if filters.countries:
        wanted = {c.lower() for c in filters.countries}
        if not any((s.country or "").lower() in wanted for s in match.trial.sites):
            return False
    return filters.within_km is None or (
        match.nearest_site is not None and match.nearest_site.distance_km <= filters.within_km
    )


def prepare_row(
    row: TrialRow | store.TrialSummary, criteria: Sequence[Sequence[Any]], sites: dict[str, list[Site]]
) -> PreparedTrial:
    """A trial with its criteria in their stored form, prepared once for matching any number of patients."""
    info = TrialInfo(
        row.nct_id, row.brief_title, row.overall_status, tuple(row.phases), tuple(sites.get(row.nct_id, ()))
    )
    return prepare(info, criteria)


def prepare_rows(
    rows: Iterable[tuple[TrialRow | store.TrialSummary, Sequence[Sequence[Any]]]], sites: dict[str, list[Site]]
) -> list[PreparedTrial]:
    return [prepare_row(row, criteria, sites) for row, criteria in rows]


def match_prepared(
    trials: Sequence[PreparedTrial],
    patient: Patient,
    on: date,
    kb: KnowledgeBase,
    default_radius_km: float = DEFAULT_RADIUS_KM,
) -> list[TrialMatch]:
    """Match one patient with one `Evaluator`, so each distinct question is answered once."""
    evaluator = Evaluator(patient, on, kb, default_radius_km)
    return [evaluator.match(trial) for trial in trials]


def match_stored(
    session: Session, patient: Patient, on: date, filters: Filters, default_radius_km: float = DEFAULT_RADIUS_KM
) -> list[TrialMatch]:
    """Match one patient against every stored trial that passes the status and phase filters."""
    # Sites matter only for distances and country filters; skip reading them otherwise.
    located = patient.location is not None and patient.location.lat is not None
    sites = store.sites_by_trial(session, located_only=not filters.countries) if located or filters.countries else {}
    trials = store.current_criteria(session, parser_version(), filters.statuses, filters.phases)
    prepared = prepare_rows(((t, t.criteria) for t in trials), sites)
    matches = match_prepared(prepared, patient, on, load_knowledge(), default_radius_km)
    return sort_matches([m for m in matches if _keep(m, filters)])
