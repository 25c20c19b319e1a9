"""The reads of `matcher match`, in plain SQL: the columns matching needs, as plain rows.

`matcher match` reads every stored trial's criteria, then the sites and contacts of the trials it lists: a few
SELECTs. On an SQLite file it runs them on the standard library's `sqlite3` (`open_sqlite`), so the command imports
neither SQLAlchemy (a quarter of its time, docs/benchmarks.md) nor the ORM and its twenty table classes. Every other
caller passes a SQLAlchemy connection (an ORM session's, `matcher.store`; `matcher match` on PostgreSQL, or on an
SQLite database it must first create or migrate): the same statements then go to its driver as they are
(`exec_driver_sql`). `Reading` names the two kinds of connection.

The statements name their columns in `COLUMNS`, which `tests/test_store_read.py` checks against the table classes
(`matcher.tables`, the schema's one definition, and Alembic's). JSON columns are read as their text (`CAST(... AS
TEXT)`) and decoded here, so that SQLite, which stores text, and PostgreSQL, whose driver would decode them itself,
give the same values.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from matcher.models import Contact, Site

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy import Connection

    from matcher.eligibility.criteria import StoredCriterion

    Reading: TypeAlias = sqlite3.Connection | Connection

# A statement may carry at most 32,766 bound parameters on SQLite (its default SQLITE_MAX_VARIABLE_NUMBER) and
# 65,535 on PostgreSQL (psycopg binds on the server): a list of NCT ids as long as the trials stored (a first
# night, a whole-registry import) is sent in chunks of this many, one statement each.
IN_CHUNK = 10_000

# table -> the columns the statements below read (checked against `matcher.tables` by the tests)
COLUMNS = {
    "trial": ("nct_id", "brief_title", "overall_status", "phases", "content_hash", "contacts"),
    "trial_criteria": ("nct_id", "content_hash", "parser_version", "criteria"),
    "trial_matching": ("nct_id", "content_hash", "parser_version", "matching_version", "record"),
    "trial_quarantine": ("nct_id", "source", "content_hash", "parser_version"),
    "trial_site": ("nct_id", "position", "facility", "city", "state", "country", "status", "lat", "lon",
                   "contacts", "geo_source"),
    "criterion_override": ("id", "dropped_at"),
    "alembic_version": ("version_num",),
}  # fmt: skip


def open_sqlite(url: str, busy_timeout_s: float) -> sqlite3.Connection | None:
    """A standard-library connection to the SQLite file of ``url``, when it can be read as it is: a plain
    ``sqlite:///PATH`` URL naming an existing file whose schema is at the newest migration (`db.SCHEMA_HEAD`).

    None otherwise (PostgreSQL, a URL with options, a database still to create or to migrate): the caller opens it
    the usual way (`db.open_database`), which creates and migrates. ``busy_timeout_s``: how long a read waits
    while another process writes (as `db.create_db_engine` sets it).
    """
    from matcher.db import SCHEMA_HEAD  # db imports SQLAlchemy only in the functions that use it

    prefix = "sqlite:///"  # "sqlite:///relative/path" and "sqlite:////absolute/path" name the file after it
    if not url.startswith(prefix) or any(mark in url for mark in "?%#"):
        return None
    path = url.removeprefix(prefix)
    if path in ("", ":memory:") or path.startswith("file:"):
        return None
    try:  # `sqlite3.connect` would create a missing file: only an existing one is opened here ("mode=rw")
        uri = f"{Path(path).absolute().as_uri()}?mode=rw"  # as_uri quotes what a URI cannot hold (spaces, "?")
        connection = sqlite3.connect(uri, uri=True, timeout=busy_timeout_s)
    except sqlite3.Error:
        return None
    try:
        found = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:  # no schema yet, or not a database: `db.open_database` says what is wrong
        found = []
    if [version for (version,) in found] != [SCHEMA_HEAD]:
        connection.close()
        return None
    connection.execute("PRAGMA query_only = ON")  # "mode=rw" opens it writable: these reads must not write
    return connection


def _rows(connection: Reading, sql: str, parameters: Sequence[Any] = ()) -> Iterable[Any]:
    """The rows of one statement written with ``?`` placeholders (sqlite3's style; psycopg's ``%s`` is put in for a
    driver that wants it). The statements hold no ``%`` of their own."""
    if isinstance(connection, sqlite3.Connection):
        log.debug("%s", sql)  # `-vv` shows the statements, as SQLAlchemy's log does; never the parameters
        return connection.execute(sql, parameters)
    if connection.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    return connection.exec_driver_sql(sql, tuple(parameters))


def _exists(connection: Reading, sql: str, parameters: Sequence[Any] = ()) -> bool:
    """Whether the query ``sql`` finds a row."""
    for (found,) in _rows(connection, f"SELECT EXISTS ({sql})", parameters):
        return bool(found)
    return False


def _placeholders(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def _phases(text: str) -> list[str]:
    """A trial's phases from the column's JSON text (msgspec: one call in C, a row of every trial read)."""
    phases: list[str] = msgspec.json.decode(text)
    return phases


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def chunks(ids: Iterable[str], size: int = IN_CHUNK) -> Iterator[list[str]]:
    """These ids, sorted and without repeats, in lists of at most ``size``: one IN list each, and the chunks'
    results in NCT id order when each statement orders by it."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _chunked(
    connection: Reading,
    select: str,
    conditions: Sequence[str],
    key: str,
    nct_ids: Sequence[str] | None,
    parameters: Sequence[Any] = (),
    tail: str = "",
) -> Iterator[Any]:
    """The rows of ``select`` (``SELECT ... FROM ...``) where all ``conditions`` hold, for every trial or, in
    chunks, for these NCT ids (``key IN (...)`` is one more condition); ``tail`` (an ORDER BY or a GROUP BY) ends
    each statement. ``parameters`` are those of the conditions, in order."""

    def statement(more: Sequence[str]) -> str:
        where = " AND ".join([*conditions, *more])
        return " ".join(part for part in (select, f"WHERE {where}" if where else "", tail) if part)

    if nct_ids is None:
        yield from _rows(connection, statement(()), parameters)
        return
    for ids in chunks(nct_ids):
        yield from _rows(connection, statement([f"{key} IN ({_placeholders(ids)})"]), [*parameters, *ids])


# --- what `matcher match` checks before it reads --------------------------------------------------------------

# Whether two columns' values differ, a NULL differing from any value and equal to NULL (SQL's IS DISTINCT FROM,
# which SQLite before 3.39 lacks), in a form both databases read.
_DIFFERENT = "({a} != {b} OR ({a} IS NULL) != ({b} IS NULL))"


def parse_due(connection: Reading, parser_version: str) -> bool:
    """Whether `parsing.parse_stale` has work: a trial whose stored parse is missing or stale and that is not set
    aside, or a trial set aside automatically whose content or the parser changed since (it is released and
    parsed). The command line parses (and loads the ORM and the parser) only then."""
    stale = (
        "SELECT 1 FROM trial t LEFT JOIN trial_criteria c ON c.nct_id = t.nct_id"
        " WHERE (c.nct_id IS NULL OR c.content_hash != t.content_hash OR c.parser_version != ?)"
        " AND t.nct_id NOT IN (SELECT nct_id FROM trial_quarantine)"
    )
    changed = _DIFFERENT.format(a="q.content_hash", b="t.content_hash")
    outdated = (
        "SELECT 1 FROM trial_quarantine q JOIN trial t ON t.nct_id = q.nct_id"
        f" WHERE q.source != 'manual' AND ({changed} OR q.parser_version IS NULL OR q.parser_version != ?)"
    )
    return _exists(connection, stale, [parser_version]) or _exists(connection, outdated, [parser_version])


def overrides_in_force(connection: Reading) -> bool:
    """Whether any reviewer's override is in force (not dropped): only then are overrides read and applied."""
    return _exists(connection, "SELECT 1 FROM criterion_override WHERE dropped_at IS NULL")


# --- trials and their criteria --------------------------------------------------------------------------------


class StoredTrial(msgspec.Struct, frozen=True):
    """A trial's summary with its current criteria as stored JSON text (`current_criteria_text`)."""

    nct_id: str
    brief_title: str
    overall_status: str
    phases: list[str]
    content_hash: str
    criteria_json: str


class TrialSummary(msgspec.Struct, frozen=True):
    nct_id: str
    brief_title: str
    overall_status: str
    phases: list[str]
    content_hash: str
    criteria: tuple[StoredCriterion, ...]


# The trials with parsed criteria for their current content and this parser version (the one parameter), not set
# aside (a trial set aside is matched nowhere: `matcher trials quarantine`); order by `_IN_ORDER`.
_WITH_CRITERIA = "FROM trial t JOIN trial_criteria c ON c.nct_id = t.nct_id"
_CURRENT_ONLY = (
    "c.content_hash = t.content_hash",
    "c.parser_version = ?",
    "t.nct_id NOT IN (SELECT nct_id FROM trial_quarantine)",
)
# their summary columns and the criteria as the column's JSON text
_CURRENT = (
    "SELECT t.nct_id, t.brief_title, t.overall_status, CAST(t.phases AS TEXT), t.content_hash,"
    f" CAST(c.criteria AS TEXT) {_WITH_CRITERIA}"
)
# (by the criteria's key, equal to the trial's by the join: SQLite then walks that index in order instead of sorting)
_IN_ORDER = "ORDER BY c.nct_id"


def iter_current_criteria(
    connection: Reading,
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

    conditions, parameters = _with_statuses(statuses, [parser_version])
    wanted = {p.upper() for p in phases}
    rows = _chunked(connection, _CURRENT, conditions, "t.nct_id", nct_ids, parameters, _IN_ORDER)
    for nct_id, title, status, phases_json, content_hash, criteria in rows:
        trial_phases = _phases(phases_json)
        if not wanted or wanted & set(trial_phases):
            yield TrialSummary(nct_id, title, status, trial_phases, content_hash, decode_stored(criteria))


def current_criteria_text(connection: Reading, parser_version: str, nct_ids: Sequence[str]) -> list[StoredTrial]:
    """As `iter_current_criteria` for these trials, with the criteria left as the column's JSON text: whichever
    process prepares a trial decodes it (a string is cheap to keep and to send to a worker; typed records are not)."""
    rows = _chunked(connection, _CURRENT, _CURRENT_ONLY, "t.nct_id", nct_ids, [parser_version], _IN_ORDER)
    return [
        StoredTrial(nct_id, title, status, _phases(phases_json), content_hash, criteria)
        for nct_id, title, status, phases_json, content_hash, criteria in rows
    ]


def _with_statuses(statuses: Sequence[str], parameters: list[Any]) -> tuple[list[str], list[Any]]:
    """`_CURRENT_ONLY`, and the trial's overall status among these (any, if none), with their parameters."""
    if not statuses:
        return [*_CURRENT_ONLY], parameters
    return [*_CURRENT_ONLY, f"t.overall_status IN ({_placeholders(statuses)})"], [
        *parameters,
        *(s.upper() for s in statuses),
    ]


# --- matching records (`matching.evaluate.MatchingRecord`) -------------------------------------------------------

# A trial's record, joined where it was made from its current criteria by this code (the first parameter)
_RECORD_JOIN = (
    " LEFT JOIN trial_matching m ON m.nct_id = c.nct_id AND m.content_hash = c.content_hash"
    " AND m.parser_version = c.parser_version AND m.matching_version = ?"
)


class MatchingRow(msgspec.Struct, frozen=True):
    """A trial to match: its summary, and its matching record (`matching.evaluate.encode_record`), or where it has
    no valid record its criteria as the column's JSON text."""

    nct_id: str
    brief_title: str
    overall_status: str
    phases: list[str]
    content_hash: str
    record: bytes | None
    criteria_json: str | None


def iter_matching(
    connection: Reading,
    parser_version: str,
    matching_version: str,
    statuses: Sequence[str] = (),
    phases: Sequence[str] = (),
) -> Iterator[MatchingRow]:
    """The trials to match (as `iter_current_criteria`), one at a time in NCT id order, each with its matching record
    where one was made from its current criteria by this code (``matching_version``), else with its criteria: the
    criteria column, by far the largest, is read only for those. Run no other query on the connection until the
    iteration ends."""
    select = (
        "SELECT t.nct_id, t.brief_title, t.overall_status, CAST(t.phases AS TEXT), t.content_hash, m.record,"
        f" CASE WHEN m.nct_id IS NULL THEN CAST(c.criteria AS TEXT) END {_WITH_CRITERIA}{_RECORD_JOIN}"
    )
    conditions, parameters = _with_statuses(statuses, [matching_version, parser_version])
    wanted = {p.upper() for p in phases}
    for nct_id, title, status, phases_json, content_hash, record, criteria in _chunked(
        connection, select, conditions, "t.nct_id", None, parameters, _IN_ORDER
    ):
        trial_phases = _phases(phases_json)
        if not wanted or wanted & set(trial_phases):
            yield MatchingRow(nct_id, title, status, trial_phases, content_hash, record, criteria)


class CriteriaText(msgspec.Struct, frozen=True):
    """A trial's current criteria as the column's JSON text, with the content hash they were parsed from."""

    nct_id: str
    content_hash: str
    criteria_json: str


def criteria_texts(connection: Reading, parser_version: str, nct_ids: Sequence[str]) -> dict[str, CriteriaText]:
    """NCT id -> the current criteria (as the column's JSON text) of these trials, with the content hash they were
    parsed from (the trials matched from their records, that a command shows)."""
    select = f"SELECT t.nct_id, c.content_hash, CAST(c.criteria AS TEXT) {_WITH_CRITERIA}"
    rows = _chunked(connection, select, _CURRENT_ONLY, "t.nct_id", nct_ids, [parser_version])
    return {nct_id: CriteriaText(nct_id, content_hash, criteria) for nct_id, content_hash, criteria in rows}


def matching_due(connection: Reading, parser_version: str, matching_version: str) -> bool:
    """Whether a trial's current criteria have no matching record made from them by this code."""
    stale = f"SELECT 1 {_WITH_CRITERIA}{_RECORD_JOIN} WHERE {' AND '.join(_CURRENT_ONLY)} AND m.nct_id IS NULL"
    return _exists(connection, stale, [matching_version, parser_version])


def records_to_make(
    connection: Reading, parser_version: str, matching_version: str, after: str | None, limit: int
) -> list[CriteriaText]:
    """The next ``limit`` trials by NCT id after ``after`` whose current criteria have no record made by this code
    (keyset pagination: the caller commits between pages)."""
    select = f"SELECT c.nct_id, c.content_hash, CAST(c.criteria AS TEXT) {_WITH_CRITERIA}{_RECORD_JOIN}"
    conditions = [*_CURRENT_ONLY, "m.nct_id IS NULL", *(["c.nct_id > ?"] if after is not None else [])]
    parameters = [matching_version, parser_version, *([after] if after is not None else [])]
    rows = _chunked(connection, select, conditions, "c.nct_id", None, parameters, f"ORDER BY c.nct_id LIMIT {limit:d}")
    return [CriteriaText(nct_id, content_hash, criteria) for nct_id, content_hash, criteria in rows]


# --- sites and contacts -----------------------------------------------------------------------------------------


def contacts_of(stored: list[dict[str, Any]] | None) -> tuple[Contact, ...]:
    return tuple(Contact.from_stored(c) for c in stored or () if isinstance(c, dict))


def sites_by_trial(
    connection: Reading,
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
    contacts = "CAST(contacts AS TEXT)" if with_contacts else "NULL"
    sql = f"SELECT nct_id, facility, city, state, country, status, lat, lon, geo_source, {contacts} FROM trial_site"
    conditions = [*(["lat IS NOT NULL"] if located_only else []), *(["contacts IS NOT NULL"] if contacts_only else [])]
    result: dict[str, list[Site]] = {}
    rows = _chunked(connection, sql, conditions, "nct_id", nct_ids, tail="ORDER BY nct_id, position")
    for nct_id, facility, city, state, country, status, lat, lon, source, contacts_json in rows:
        stored = contacts_of(_json(contacts_json))
        result.setdefault(nct_id, []).append(Site(facility, city, state, country, status, lat, lon, stored, source))
    return result


def sites_with_contacts(connection: Reading, nct_ids: Sequence[str]) -> dict[str, list[Site]]:
    """The sites of these trials that have contacts, with them (most sites have none: a small read)."""
    found = sites_by_trial(connection, nct_ids=nct_ids, contacts_only=True)
    return {n: [s for s in sites if s.contacts] for n, sites in found.items() if any(s.contacts for s in sites)}


def unplaced_counts(connection: Reading, nct_ids: Sequence[str] | None = None) -> dict[str, int]:
    """NCT id -> how many of its sites have no coordinates (neither the registry's nor the gazetteer's), for every
    trial that has such sites, or for these trials."""
    sql = "SELECT nct_id, COUNT(*) FROM trial_site"
    rows = _chunked(connection, sql, ["lat IS NULL"], "nct_id", nct_ids, tail="GROUP BY nct_id")
    return {nct_id: int(n) for nct_id, n in rows}


def contacts_by_trial(connection: Reading, nct_ids: Sequence[str] | None = None) -> dict[str, tuple[Contact, ...]]:
    """NCT id -> central contacts and overall officials, for every stored trial (one query), or for these."""
    rows = _chunked(connection, "SELECT nct_id, CAST(contacts AS TEXT) FROM trial", (), "nct_id", nct_ids)
    return {nct_id: contacts_of(_json(contacts)) for nct_id, contacts in rows}
