"""`match_report` reads, evaluates and keeps one trial at a time, and reads sites for the kept trials only: what it
returns must be what evaluating every stored trial with all its sites gives, filtered afterwards."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from matcher import db, geo, parsing, store
from matcher.eligibility import parser_version
from matcher.ingest import fetch
from matcher.knowledge_base import load_knowledge
from matcher.matching import (
    Filters,
    TrialMatch,
    Verdict,
    match_prepared,
    match_report,
    prepare_rows,
)
from matcher.patient import load_patient
from matcher.sources import DirectorySource
from tests.conftest import ROOT, STUDIES, fixed_clock

ON = date(2026, 11, 26)
PATIENTS = sorted((ROOT / "examples").glob("*.json"))


def _seen(m: TrialMatch) -> tuple[object, ...]:
    site = m.nearest_site
    return (m.trial.nct_id, m.verdict, m.score, m.eligible_from, m.deciding, m.missing,
            None if site is None else (site.site.facility, site.site.city, round(site.distance_km, 6)))  # fmt: skip


@pytest.fixture
def stored(engine: Engine) -> Engine:
    fetch(engine, DirectorySource(STUDIES), fixed_clock())
    parsing.parse_stale(engine, fixed_clock())
    return engine


FILTERS = [
    Filters(include_ineligible=True),
    Filters(),
    Filters(within_km=800),
    Filters(countries=("United States",)),
    Filters(statuses=("RECRUITING",)),
]


def test_streamed_report_equals_evaluating_every_trial_with_every_site(stored: Engine) -> None:
    kb = load_knowledge()
    with db.session(stored) as session:
        sites = store.sites_by_trial(session, with_contacts=False)
        for filters in FILTERS:
            every = store.current_criteria(session, parser_version(), filters.statuses)
            trials = prepare_rows(((t, t.criteria) for t in every), sites)
            for path in PATIENTS:
                patient = load_patient(path).patient
                report = match_report(session, patient, ON, filters)
                expected = [m for m in match_prepared(trials, patient, ON, kb) if _kept(m, filters)]
                assert sorted(map(_seen, report.matches)) == sorted(map(_seen, expected)), (path.name, filters)
                assert set(report.contacts) == {m.trial.nct_id for m in report.matches}


def _kept(m: TrialMatch, filters: Filters) -> bool:
    if m.verdict is Verdict.INELIGIBLE and not filters.include_ineligible:
        return False
    if filters.countries and not any(geo.country_code(s.country) == "US" for s in m.trial.sites):
        return False
    if filters.within_km is not None:
        return m.nearest_site is not None and m.nearest_site.distance_km <= filters.within_km
    return True


def test_an_overridden_trial_is_kept_while_ineligible_for_the_override_to_be_applied(stored: Engine) -> None:
    patient = load_patient(ROOT / "examples" / "rair-papillary-braf.json").patient
    with db.session(stored) as session:
        every = match_report(session, patient, ON, Filters(include_ineligible=True)).matches
        ineligible = [m.trial.nct_id for m in every if m.verdict is Verdict.INELIGIBLE]
        assert ineligible
        report = match_report(session, patient, ON, Filters(), overridden={ineligible[0]: []})
    kept = {m.trial.nct_id: m.verdict for m in report.matches}
    assert kept[ineligible[0]] is Verdict.INELIGIBLE
    assert all(v is not Verdict.INELIGIBLE for n, v in kept.items() if n != ineligible[0])
