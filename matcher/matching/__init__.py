"""Matching a patient against stored trials: pure evaluation over stored criteria (`evaluate`; each kind's
evaluator is in `matcher.eligibility.kinds`).

match_stored(session, patient, on, filters) -> list[TrialMatch], sorted as the output contract says
prepare_row(row, stored_criteria, sites) / prepare_rows(rows, sites) -> trials prepared once,
then match_prepared(trials, patient, on, kb) for each patient
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import msgspec

from matcher import geo, store_read
from matcher.config import DEFAULT_RADIUS_KM
from matcher.eligibility import parser_version
from matcher.eligibility.criteria import StoredCriterion
from matcher.knowledge_base import KnowledgeBase, load_knowledge
from matcher.matching.evaluate import (
    ENROLLING_SITE,
    VERDICT_ORDER,
    Evaluator,
    NearestSite,
    PreparedTrial,
    TrialInfo,
    TrialMatch,
    Verdict,
    from_record,
    matching_version,
    prepare,
)
from matcher.models import Contact, Site, trial_url
from matcher.patient import Patient

if TYPE_CHECKING:
    from sqlmodel import Session

    from matcher.tables import TrialRow

__all__ = [
    "Filters",
    "MatchReport",
    "TrialMatch",
    "Verdict",
    "contacts_for",
    "country_codes",
    "match_json",
    "match_prepared",
    "match_report",
    "match_stored",
    "prepare_row",
    "prepare_rows",
    "sort_matches",
]


class Filters(msgspec.Struct, frozen=True):
    statuses: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    within_km: float | None = None
    include_ineligible: bool = False


def sort_matches(matches: list[TrialMatch]) -> list[TrialMatch]:
    return sorted(matches, key=lambda m: (VERDICT_ORDER[m.verdict], -m.score, m.trial.nct_id))


def country_codes(names: Sequence[str]) -> tuple[str, ...]:
    """ISO codes of ``--country`` values ("USA", "US" and "United States" are one country).

    Raises:
        ValueError: a name that is no country (the message names it).
    """
    codes = []
    for name in names:
        code = geo.country_code(name)
        if code is None:
            raise ValueError(f"{name!r} is not a country name or code (e.g. 'United States', 'USA', 'DE')")
        codes.append(code)
    return tuple(codes)


def _keep(match: TrialMatch, filters: Filters, overridden: Collection[str] = ()) -> bool:
    if not _verdict_kept(match, filters, overridden):
        return False
    if filters.countries:
        wanted = set(country_codes(filters.countries))
        if not any(geo.country_code(s.country) in wanted for s in match.trial.sites):
            return False
    return filters.within_km is None or (
        match.nearest_site is not None and match.nearest_site.distance_km <= filters.within_km
    )


def _verdict_kept(match: TrialMatch, filters: Filters, overridden: Collection[str]) -> bool:
    """Whether the verdict filter keeps a match: an ineligible one only when asked for, or when a reviewer's override
    may change its verdict (its trial is in ``overridden``)."""
    return match.verdict is not Verdict.INELIGIBLE or filters.include_ineligible or match.trial.nct_id in overridden


class MatchReport(msgspec.Struct, frozen=True):
    """A patient's matches, and what distances could not say: ``unplaced_sites`` counts the sites of the listed
    trials that neither the registry nor the gazetteer could place; ``unplaced_left_out`` names the trials that
    ``--within`` left out only because none of their enrolling sites could be placed. ``contacts``: each trial's
    central contacts and officials; ``site_contacts``: the listed trials' sites that have contacts."""

    matches: list[TrialMatch]
    contacts: dict[str, tuple[Contact, ...]]
    unplaced_sites: int
    unplaced_left_out: tuple[str, ...]
    site_contacts: dict[str, list[Site]] = msgspec.field(default_factory=dict)

    def with_matches(self, matches: list[TrialMatch]) -> MatchReport:
        """The report with these matches (filtered or sorted again by the caller), the rest as it is."""
        return msgspec.structs.replace(self, matches=matches)

    def call(self, match: TrialMatch) -> list[Contact]:
        """Whom to call about this match (`contacts_for`)."""
        nct_id = match.trial.nct_id
        return contacts_for(match, self.contacts.get(nct_id, ()), self.site_contacts.get(nct_id))


def _with_site_contacts(match: TrialMatch, sites: Sequence[Site]) -> TrialMatch:
    """The match with its nearest site's contacts (sites are matched without them: most have none)."""
    near = match.nearest_site
    if near is None:
        return match
    key = (near.site.facility, near.site.city, near.site.country, near.site.lat, near.site.lon)
    found = next((s for s in sites if (s.facility, s.city, s.country, s.lat, s.lon) == key), None)
    if found is None:
        return match
    return msgspec.structs.replace(match, nearest_site=NearestSite(found, near.distance_km))


def match_report(
    session: Session | store_read.Reading,
    patient: Patient,
    on: date,
    filters: Filters,
    default_radius_km: float = DEFAULT_RADIUS_KM,
    overridden: Collection[str] = (),
) -> MatchReport:
    """Match one patient against every stored trial that passes the filters; with the trials' contacts and the
    count of sites that could not be placed (never dropped silently). ``overridden``: the trials with a reviewer's
    override in force, whose ineligible matches are kept whatever the filters say, for the caller to apply it
    (`overrides.apply_overrides`) and filter again.

    Trials are read, decoded, prepared and evaluated one at a time, and only the matches the verdict filter keeps
    are held: an ineligible trial's criteria are freed as soon as its verdict is known. The kept trials' sites are
    read afterwards (distances need the located ones, a country filter every one), then their contacts.

    ``session``: an ORM session, or a connection: SQLAlchemy's, or on SQLite the standard library's (`matcher match`
    reads through `store_read` without the ORM, and on SQLite without SQLAlchemy).
    """
    connection = _connection(session)
    evaluator = Evaluator(patient, on, load_knowledge(), default_radius_km)
    matches = []
    version = parser_version()
    from_hash: dict[str, str] = {}  # trials matched from their records -> the content hash the record is for
    for row in store_read.iter_matching(connection, version, matching_version(), filters.statuses, filters.phases):
        info = TrialInfo(row.nct_id, row.brief_title, row.overall_status, tuple(row.phases))
        if row.record is not None:
            prepared = from_record(info, row.record)
            from_hash[row.nct_id] = row.content_hash
        else:
            prepared = prepare(info, row.criteria_json or "")
        if filters.include_ineligible or row.nct_id in overridden:
            match: TrialMatch | None = evaluator.match(prepared)
        else:  # an ineligible trial is dropped: its other questions need no answer
            match = evaluator.match_unless_ineligible(prepared)
        if match is not None and _verdict_kept(match, filters, overridden):
            matches.append(match)
    matches = _with_criteria(connection, version, evaluator, matches, from_hash, filters, overridden)
    located = patient.location is not None and patient.location.lat is not None
    if located or filters.countries:
        ids = [m.trial.nct_id for m in matches]
        everywhere = bool(filters.countries)  # a country filter reads every site, distances the located ones
        sites = store_read.sites_by_trial(connection, located_only=not everywhere, with_contacts=False, nct_ids=ids)
        matches = [evaluator.placed(m, sites.get(m.trial.nct_id, ())) for m in matches]
    kept = sort_matches([m for m in matches if _keep(m, filters, overridden)])
    unplaced = store_read.unplaced_counts(connection, [m.trial.nct_id for m in matches])  # `kept` is among them
    unfiltered = Filters(filters.statuses, filters.phases, filters.countries, None, filters.include_ineligible)
    left_out = tuple(
        m.trial.nct_id
        for m in matches
        if filters.within_km is not None
        and m.nearest_site is None
        and unplaced.get(m.trial.nct_id, 0) > 0
        and _keep(m, unfiltered, overridden)
    )
    kept_ids = [m.trial.nct_id for m in kept]
    with_contacts = store_read.sites_with_contacts(connection, kept_ids)
    kept = [_with_site_contacts(m, with_contacts.get(m.trial.nct_id, ())) for m in kept]
    contacts = store_read.contacts_by_trial(connection, kept_ids)
    unplaced_sites = sum(unplaced.get(m.trial.nct_id, 0) for m in kept)
    return MatchReport(kept, contacts, unplaced_sites, left_out, with_contacts)


def _with_criteria(
    connection: store_read.Reading,
    version: str,
    evaluator: Evaluator,
    matches: list[TrialMatch],
    from_hash: dict[str, str],
    filters: Filters,
    overridden: Collection[str],
) -> list[TrialMatch]:
    """The matches with the stored criteria of the trials matched from their records (``from_hash``: the content
    hash each record was made for) attached: what their output shows, read for the kept trials only. A trial whose
    criteria changed meanwhile (another process parsed it) is matched again from its new criteria, and kept if the
    verdict filter keeps it; one whose criteria are gone is left out."""
    from_records = [m.trial.nct_id for m in matches if m.prepared.stored is None]
    texts = store_read.criteria_texts(connection, version, from_records)
    found = []
    for m in matches:
        if m.prepared.stored is not None:
            found.append(m)
        elif (text := texts.get(m.trial.nct_id)) is not None:
            if text.content_hash == from_hash[m.trial.nct_id]:
                found.append(msgspec.structs.replace(m, prepared=m.prepared.with_criteria_json(text.criteria_json)))
            elif _verdict_kept(again := evaluator.match(prepare(m.trial, text.criteria_json)), filters, overridden):
                found.append(again)
    return found


def _connection(source: Session | store_read.Reading) -> store_read.Reading:
    """The Core connection of an ORM session (its transaction's), or the connection itself (SQLAlchemy's, or the
    standard library's on SQLite: `store_read.open_sqlite`)."""
    if isinstance(source, sqlite3.Connection):
        return source
    from sqlalchemy import Connection

    return source if isinstance(source, Connection) else source.connection()


def contacts_for(
    match: TrialMatch, trial_contacts: Sequence[Contact] = (), sites: Sequence[Site] | None = None
) -> list[Contact]:
    """Whom to call about this trial for this patient: the nearest enrolling site's contacts, else the trial's
    central contacts, else its overall officials, else the contacts of its first enrolling site that has some
    (among ``sites``, by default the match's)."""
    if match.nearest_site is not None and match.nearest_site.site.contacts:
        return list(match.nearest_site.site.contacts)
    central = [c for c in trial_contacts if c.role.startswith("central")]
    officials = [c for c in trial_contacts if c.role == "official"]
    if central or officials:
        return central or officials
    candidates = match.trial.sites if sites is None else sites
    enrolling = (s for s in candidates if s.contacts and (s.status is None or s.status in ENROLLING_SITE))
    return list(next(enrolling, Site(None, None, None, None, None, None, None)).contacts)


def match_json(match: TrialMatch, contacts: Sequence[Contact] = ()) -> dict[str, Any]:
    """A trial's entry of the output contract, with its optional `url` and `contacts`."""
    data = match.to_json()
    data["url"] = trial_url(match.trial.nct_id)
    if contacts:
        data["contacts"] = [c.to_json() for c in contacts]
    return data


def prepare_row(
    row: TrialRow | store_read.TrialSummary,
    criteria: Sequence[StoredCriterion] | Sequence[Sequence[Any]],
    sites: dict[str, list[Site]],
) -> PreparedTrial:
    """A trial with its criteria in their stored form, prepared once for matching any number of patients."""
    info = TrialInfo(
        row.nct_id, row.brief_title, row.overall_status, tuple(row.phases), tuple(sites.get(row.nct_id, ()))
    )
    return prepare(info, criteria)


def prepare_rows(
    rows: Iterable[tuple[TrialRow | store_read.TrialSummary, Sequence[StoredCriterion] | Sequence[Sequence[Any]]]],
    sites: dict[str, list[Site]],
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
    """Match one patient against every stored trial that passes the filters (`match_report` says more)."""
    return match_report(session, patient, on, filters, default_radius_km).matches
