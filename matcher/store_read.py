"""The reads of `matcher match`, in SQLAlchemy Core: the columns matching needs, as plain rows, on a `Connection`.

`matcher match` reads every stored trial's criteria, then the sites and contacts of the trials it lists. Doing it
through the ORM imported SQLModel, pydantic and the twenty table classes (`matcher.tables`) for rows it never
builds objects of: about a fifth of the command's time (docs/benchmarks.md). Here the tables are named by
lightweight `table()` clauses holding only the columns read; `tests/test_store_read.py` checks each against the
table classes, which stay the schema's one definition (and Alembic's). The same statements run on SQLite and
PostgreSQL. `matcher.store` keeps its session-taking functions for the other callers; they call these.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, DateTime, Float, Integer, Text, cast, column, exists, func, or_, select, table

from matcher.models import Contact, Site

if TYPE_CHECKING:
    from sqlalchemy import Connection, Select

    from matcher.eligibility.criteria import StoredCriterion

# A statement may carry at most 32,766 bound parameters on SQLite (its default SQLITE_MAX_VARIABLE_NUMBER) and
# 65,535 on PostgreSQL (psycopg binds on the server): a list of NCT ids as long as the trials stored (a first
# night, a whole-registry import) is sent in chunks of this many, one statement each.
IN_CHUNK = 10_000

TRIAL = table(
    "trial",
    column("nct_id", Text),
    column("brief_title", Text),
    column("overall_status", Text),
    column("phases", JSON),
    column("content_hash", Text),
    column("contacts", JSON),
)
CRITERIA = table(
    "trial_criteria",
    column("nct_id", Text),
    column("content_hash", Text),
    column("parser_version", Text),
    column("criteria", JSON),
)
QUARANTINE = table(
    "trial_quarantine",
    column("nct_id", Text),
    column("source", Text),
    column("content_hash", Text),
    column("parser_version", Text),
)
SITE = table(
    "trial_site",
    column("nct_id", Text),
    column("position", Integer),
    column("facility", Text),
    column("city", Text),
    column("state", Text),
    column("country", Text),
    column("status", Text),
    column("lat", Float),
    column("lon", Float),
    column("contacts", JSON(none_as_null=True)),
    column("geo_source", Text),
)
OVERRIDE = table("criterion_override", column("id", Integer), column("dropped_at", DateTime))
TABLES = (TRIAL, CRITERIA, QUARANTINE, SITE, OVERRIDE)  # checked against `matcher.tables` by the tests


def chunks(ids: Iterable[str], size: int = IN_CHUNK) -> Iterator[list[str]]:
    """These ids, sorted and without repeats, in lists of at most ``size``: one IN list each, and the chunks'
    results in NCT id order when each statement orders by it."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _chunked(query: Select[Any], key: Any, nct_ids: Sequence[str] | None) -> list[Select[Any]]:
    return [query] if nct_ids is None else [query.where(key.in_(ids)) for ids in chunks(nct_ids)]


# --- what `matcher match` checks before it reads --------------------------------------------------------------


def parse_due(connection: Connection, parser_version: str) -> bool:
    """Whether `parsing.parse_stale` has work: a trial whose stored parse is missing or stale and that is not set
    aside, or a trial set aside automatically whose content or the parser changed since (it is released and
    parsed). The command line parses (and loads the ORM and the parser) only then."""
    t, c, q = TRIAL.c, CRITERIA.c, QUARANTINE.c
    stale = (
        select(t.nct_id)
        .outerjoin(CRITERIA, c.nct_id == t.nct_id)
        .where(
            or_(c.nct_id.is_(None), c.content_hash != t.content_hash, c.parser_version != parser_version),
            t.nct_id.not_in(select(q.nct_id)),
        )
    )
    outdated = (
        select(q.nct_id)
        .join(TRIAL, t.nct_id == q.nct_id)
        .where(q.source != "manual", or_(q.content_hash.is_distinct_from(t.content_hash),
                                         q.parser_version.is_distinct_from(parser_version)))
    )  # fmt: skip
    return bool(connection.execute(select(or_(stale.exists(), outdated.exists()))).scalar())


def overrides_in_force(connection: Connection) -> bool:
    """Whether any reviewer's override is in force (not dropped): only then are overrides read and applied."""
    query = select(exists().where(OVERRIDE.c.dropped_at.is_(None)).select_from(OVERRIDE))
    return bool(connection.execute(query).scalar())


# --- trials and their criteria --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredTrial:
    """A trial's summary with its current criteria as stored JSON text (`current_criteria_text`)."""

    nct_id: str
    brief_title: str
    overall_status: str
    phases: list[str]
    content_hash: str
    criteria_json: str


@dataclass(frozen=True)
class TrialSummary:
    nct_id: str
    brief_title: str
    overall_status: str
    phases: list[str]
    content_hash: str
    criteria: tuple[StoredCriterion, ...]


def current(parser_version: str) -> Select[Any]:
    """The trials with parsed criteria for their current content and this parser version, not set aside, in NCT
    id order: their summary columns and the criteria as the column's JSON text."""
    t, c = TRIAL.c, CRITERIA.c
    return (
        select(t.nct_id, t.brief_title, t.overall_status, t.phases, t.content_hash, cast(c.criteria, Text))
        .join(CRITERIA, c.nct_id == t.nct_id)
        .where(
            c.content_hash == t.content_hash,
            c.parser_version == parser_version,
            # a trial set aside is matched nowhere (`matcher trials quarantine`)
            t.nct_id.not_in(select(QUARANTINE.c.nct_id)),
        )
        .order_by(t.nct_id)
    )


def iter_current_criteria(
    connection: Connection,
    parser_version: str,
    statuses: Sequence[str] = (),
    phases: Sequence[str] = (),
    nct_ids: Sequence[str] | None = None,
) -> Iterator[TrialSummary]:
    """The trials to match, one at a time in NCT id order, with their parsed criteria for their current content and
    this parser version (a stored form from another version is never decoded), each decoded when it is reached,
    straight from the column's JSON text into typed records (`decode_stored`): a caller that keeps only some of
    them (`matching.match_report`) never holds every trial's criteria at once. ``nct_ids`` limits them to these
    trials. Run no other query on the connection until the iteration ends."""
    from matcher.eligibility.criteria import decode_stored  # the criteria's format: only matching reads it

    query = current(parser_version)
    if statuses:
        query = query.where(TRIAL.c.overall_status.in_([s.upper() for s in statuses]))
    wanted = {p.upper() for p in phases}
    for chunk in _chunked(query, TRIAL.c.nct_id, nct_ids):
        for nct_id, title, status, trial_phases, content_hash, criteria in connection.execute(chunk):
            if not wanted or wanted & set(trial_phases):
                yield TrialSummary(nct_id, title, status, trial_phases, content_hash, decode_stored(criteria))


def current_criteria_text(connection: Connection, parser_version: str, nct_ids: Sequence[str]) -> list[StoredTrial]:
    """As `iter_current_criteria` for these trials, with the criteria left as the column's JSON text: whichever
    process prepares a trial decodes it (a string is cheap to keep and to send to a worker; typed records are not)."""
    return [
        StoredTrial(*row)
        for chunk in _chunked(current(parser_version), TRIAL.c.nct_id, nct_ids)
        for row in connection.execute(chunk)
    ]


# --- sites and contacts -----------------------------------------------------------------------------------------


def contacts_of(stored: list[dict[str, Any]] | None) -> tuple[Contact, ...]:
    return tuple(Contact.from_stored(c) for c in stored or () if isinstance(c, dict))


def sites_by_trial(
    connection: Connection,
    located_only: bool = False,
    with_contacts: bool = True,
    nct_ids: Sequence[str] | None = None,
    contacts_only: bool = False,
) -> dict[str, list[Site]]:
    """Stored sites by trial (plain column rows: tens of thousands of ORM objects would be slow).

    ``located_only`` keeps the sites with coordinates, the only ones a distance can be measured to;
    ``with_contacts`` False leaves the contacts out (matching needs them for the nearest sites only:
    `sites_with_contacts`); ``nct_ids`` limits the trials.
    """
    s = SITE.c
    columns = (s.nct_id, s.facility, s.city, s.state, s.country, s.status, s.lat, s.lon, s.geo_source)
    query = select(*columns, *((s.contacts,) if with_contacts else ())).order_by(s.nct_id, s.position)
    if located_only:
        query = query.where(s.lat.is_not(None))
    if contacts_only:
        query = query.where(s.contacts.is_not(None))
    result: dict[str, list[Site]] = {}
    rows = (row for chunk in _chunked(query, s.nct_id, nct_ids) for row in connection.execute(chunk))
    for nct_id, facility, city, state, country, status, lat, lon, source, *contacts in rows:
        stored = contacts_of(contacts[0]) if contacts else ()
        result.setdefault(nct_id, []).append(Site(facility, city, state, country, status, lat, lon, stored, source))
    return result


def sites_with_contacts(connection: Connection, nct_ids: Sequence[str]) -> dict[str, list[Site]]:
    """The sites of these trials that have contacts, with them (most sites have none: a small read)."""
    found = sites_by_trial(connection, nct_ids=nct_ids, contacts_only=True)
    return {n: [s for s in sites if s.contacts] for n, sites in found.items() if any(s.contacts for s in sites)}


def unplaced_counts(connection: Connection) -> dict[str, int]:
    """NCT id -> how many of its sites have no coordinates (neither the registry's nor the gazetteer's)."""
    s = SITE.c
    query = select(s.nct_id, func.count()).where(s.lat.is_(None)).group_by(s.nct_id)
    return {nct_id: int(n) for nct_id, n in connection.execute(query)}


def contacts_by_trial(connection: Connection, nct_ids: Sequence[str] | None = None) -> dict[str, tuple[Contact, ...]]:
    """NCT id -> central contacts and overall officials, for every stored trial (one query), or for these."""
    query = select(TRIAL.c.nct_id, TRIAL.c.contacts)
    rows = (row for chunk in _chunked(query, TRIAL.c.nct_id, nct_ids) for row in connection.execute(chunk))
    return {nct_id: contacts_of(contacts) for nct_id, contacts in rows}
