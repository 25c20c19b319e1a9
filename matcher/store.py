"""Every query against the database. Functions take the session first and never commit unless they say so."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from sqlalchemy import Engine, delete, func, insert, or_, text
from sqlalchemy import select as sa_select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, select

from matcher import store_read
from matcher.errors import LockHeld
from matcher.models import Contact, Site, Trial
from matcher.store_read import StoredTrial as StoredTrial  # re-exported: the nightly re-match reads them here
from matcher.store_read import TrialSummary as TrialSummary
from matcher.store_read import chunks as chunks
from matcher.store_read import contacts_of
from matcher.tables import (
    FetchRunRow,
    LockRow,
    MatchEventRow,
    MatchRow,
    PatientRow,
    PatientVersionRow,
    SiteRow,
    TrialCriteriaRow,
    TrialMatchingRow,
    TrialQuarantineRow,
    TrialRow,
)

logger = logging.getLogger(__name__)

# --- trials -------------------------------------------------------------------------------------------------


def trial_hashes(session: Session, nct_ids: Sequence[str] | None = None) -> dict[str, str]:
    """NCT id -> content hash of the stored trials (of these, if given): one query, to skip unchanged studies."""
    query = select(TrialRow.nct_id, TrialRow.content_hash)
    if nct_ids is None:
        return dict(session.exec(query).all())
    return {n: h for ids in chunks(nct_ids) for n, h in session.exec(query.where(col(TrialRow.nct_id).in_(ids)))}


def save_trials(session: Session, trials: Sequence[Trial], now: datetime) -> None:
    """Insert or replace trials and their sites (the caller commits: a batch is written whole or not at all).

    One upsert for the trials (a replaced trial keeps its ``first_seen_at``), one DELETE and one multi-row INSERT
    for their sites: one ORM object a row made large first loads slow (docs/benchmarks.md, Ingestion).
    """
    rows = [
        {
            "nct_id": t.nct_id, "brief_title": t.brief_title, "official_title": t.official_title,
            "overall_status": t.overall_status, "phases": list(t.phases), "conditions": list(t.conditions),
            "interventions": list(t.interventions), "minimum_age": t.minimum_age, "maximum_age": t.maximum_age,
            "sex": t.sex, "healthy_volunteers": t.healthy_volunteers, "eligibility_text": t.eligibility_text,
            "last_update_posted": t.last_update_posted, "content_hash": t.content_hash, "raw": t.raw,
            "contacts": [c.to_stored() for c in t.contacts], "contacts_hash": t.contacts_hash,
            "first_seen_at": now, "updated_at": now,
        }
        for t in trials
    ]  # fmt: skip
    upsert(session, TrialRow, rows, key=("nct_id",), keep=("first_seen_at",))
    if trials:
        _replace_sites(session, trials)


def _replace_sites(session: Session, trials: Sequence[Trial]) -> None:
    connection = session.connection()
    for ids in chunks(t.nct_id for t in trials):
        connection.execute(delete(SiteRow).where(col(SiteRow.nct_id).in_(ids)))
    sites = [
        {**site._asdict(), "nct_id": t.nct_id, "position": i,
         "contacts": [c.to_stored() for c in site.contacts] or None}
        for t in trials
        for i, site in enumerate(t.sites)
    ]  # fmt: skip
    if sites:
        connection.execute(insert(SiteRow), sites)


def contacts_hashes(session: Session, nct_ids: Sequence[str] | None = None) -> dict[str, str | None]:
    """NCT id -> hash of the stored contacts (None: stored before contacts were kept), of these trials if given."""
    query = select(TrialRow.nct_id, TrialRow.contacts_hash)
    if nct_ids is None:
        return dict(session.exec(query).all())
    return {n: h for ids in chunks(nct_ids) for n, h in session.exec(query.where(col(TrialRow.nct_id).in_(ids)))}


def save_contacts(session: Session, trials: Sequence[Trial], now: datetime) -> None:
    """Write the contacts of trials whose content is otherwise unchanged (and their sites, whose coordinates and
    contacts are re-read with them); nothing is re-parsed or re-matched. The caller commits."""
    if not trials:
        return
    rows = {
        r.nct_id: r
        for ids in chunks(t.nct_id for t in trials)
        for r in session.exec(select(TrialRow).where(col(TrialRow.nct_id).in_(ids)))
    }
    for trial in trials:
        row = rows.get(trial.nct_id)
        if row is None:
            continue
        row.contacts, row.contacts_hash = [c.to_stored() for c in trial.contacts], trial.contacts_hash
        session.add(row)
    session.flush()
    _replace_sites(session, [t for t in trials if t.nct_id in rows])


def backfill_from_raw(session: Session, now: datetime, batch_size: int = 200) -> int:
    """Trials stored before contacts and gazetteer coordinates were kept (``contacts_hash`` NULL): read their
    stored study JSON again and write their contacts and sites. Commits each batch; returns how many were filled.

    A stored study that no longer reads (it read when it was stored) is left as it is and logged by NCT id."""
    from matcher.ctgov_parse import parse_study  # the only reader of raw study dicts
    from matcher.errors import CtGovDataError

    ids = list(session.exec(select(TrialRow.nct_id).where(col(TrialRow.contacts_hash).is_(None))).all())
    filled = 0
    for start in range(0, len(ids), batch_size):
        batch: list[Trial] = []
        for row in session.exec(select(TrialRow).where(col(TrialRow.nct_id).in_(ids[start : start + batch_size]))):
            try:
                batch.append(parse_study(row.raw))
            except CtGovDataError as exc:
                logger.warning("%s: its stored study JSON no longer reads (%s); contacts not filled", row.nct_id, exc)
        save_contacts(session, batch, now)
        session.commit()
        filled += len(batch)
    return filled


def get_trial(session: Session, nct_id: str) -> TrialRow | None:
    return session.get(TrialRow, nct_id.strip().upper())


def trial_sites(session: Session, nct_id: str) -> list[Site]:
    rows = session.exec(select(SiteRow).where(SiteRow.nct_id == nct_id).order_by(col(SiteRow.position))).all()
    return [_site(row) for row in rows]


def sites_by_trial(
    session: Session,
    located_only: bool = False,
    with_contacts: bool = True,
    nct_ids: Sequence[str] | None = None,
    contacts_only: bool = False,
) -> dict[str, list[Site]]:
    """Stored sites by trial (`store_read.sites_by_trial`, which says more)."""
    return store_read.sites_by_trial(session.connection(), located_only, with_contacts, nct_ids, contacts_only)


def _site(row: SiteRow) -> Site:
    return Site(row.facility, row.city, row.state, row.country, row.status, row.lat, row.lon,
                contacts_of(row.contacts), row.geo_source)  # fmt: skip


def trial_contacts(session: Session, nct_id: str) -> list[Contact]:
    """A stored trial's central contacts and overall officials (empty for an unknown trial)."""
    row = session.get(TrialRow, nct_id.strip().upper())
    return list(contacts_of(row.contacts)) if row is not None else []


def contacts_by_trial(session: Session, nct_ids: Sequence[str] | None = None) -> dict[str, tuple[Contact, ...]]:
    """NCT id -> central contacts and overall officials, for every stored trial (one query), or for these."""
    return store_read.contacts_by_trial(session.connection(), nct_ids)


def list_trials(session: Session, statuses: Sequence[str] = (), phases: Sequence[str] = ()) -> list[TrialRow]:
    query = select(TrialRow).order_by(col(TrialRow.nct_id))
    if statuses:
        query = query.where(col(TrialRow.overall_status).in_([s.upper() for s in statuses]))
    rows = list(session.exec(query).all())
    if phases:
        wanted = {p.upper() for p in phases}
        rows = [row for row in rows if wanted & set(row.phases)]
    return rows


def count_trials(session: Session) -> int:
    return session.exec(select(func.count()).select_from(TrialRow)).one()


# --- fetch runs ---------------------------------------------------------------------------------------------


def start_run(session: Session, source: str, mode: str, since: date | None, now: datetime) -> FetchRunRow:
    run = FetchRunRow(source=source, mode=mode, since=since, started_at=now)
    session.add(run)
    session.commit()
    return run


def finish_run(
    session: Session, run: FetchRunRow, now: datetime, error: str | None = None, advance: bool = True
) -> None:
    """Record the end of a run; only a successful run with ``advance`` sets a watermark (a run in which some
    studies could not be read leaves it, so the next incremental run asks for them again)."""
    run.finished_at = now
    run.outcome = "failed" if error else "succeeded"
    run.error = error
    if not error and advance:
        run.watermark = run.started_at.date()
    session.add(run)
    session.commit()


def last_watermark(session: Session, source: str) -> date | None:
    """The watermark of the newest successful run from this source (failed runs never advance it)."""
    query = (
        select(FetchRunRow)
        .where(
            FetchRunRow.source == source,
            FetchRunRow.outcome == "succeeded",
            col(FetchRunRow.watermark).is_not(None),
        )
        .order_by(col(FetchRunRow.started_at).desc())
        .limit(1)
    )
    run = session.exec(query).first()
    return run.watermark if run else None


def list_runs(session: Session, limit: int = 20) -> list[FetchRunRow]:
    query = select(FetchRunRow).order_by(col(FetchRunRow.id).desc()).limit(limit)
    return list(session.exec(query).all())


def fail_interrupted_runs(session: Session, now: datetime) -> int:
    """Mark runs left 'running' by a killed process as failed (called while holding the fetch lock)."""
    rows = session.exec(select(FetchRunRow).where(FetchRunRow.outcome == "running")).all()
    for row in rows:
        row.outcome = "failed"
        row.finished_at = now
        row.error = "interrupted: the process ended before the run finished"
        session.add(row)
    session.commit()
    return len(rows)


# --- locks --------------------------------------------------------------------------------------------------


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def _advisory_key(name: str) -> int:
    """A stable signed 64-bit key for PostgreSQL's advisory locks, one per lock name."""
    digest = hashlib.sha256(f"matcher:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


_LOCAL_LOCKS: dict[tuple[str, str], threading.Lock] = {}  # in-memory SQLite: no file, one process


@contextmanager
def _database_lock(engine: Engine, name: str) -> Iterator[bool]:
    """Yield True while this process holds the named lock, False if another one does (nothing is held then)."""
    if engine.dialect.name == "postgresql":
        key = _advisory_key(name)
        connection = engine.connect()  # its own connection, open for as long as the lock is held
        try:
            acquired = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
            connection.commit()  # idle, not "idle in transaction": the lock is the session's, not a transaction's
        except BaseException:
            connection.close()
            raise
        try:
            yield acquired
        finally:
            try:
                if acquired:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                    connection.commit()
                connection.close()
            except SQLAlchemyError as exc:  # the connection is gone, and the lock with it
                logger.warning("releasing the %s lock: its connection was lost (%s)", name, type(exc).__name__)
                connection.invalidate()
        return
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        path = Path(database).expanduser().resolve()
        file_lock = FileLock(path.with_name(f"{path.name}.{name}.lock"), fallback_to_soft=False)
        try:
            file_lock.acquire(blocking=False)
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            file_lock.release()
        return
    local = _LOCAL_LOCKS.setdefault((str(engine.url), name), threading.Lock())
    if not local.acquire(blocking=False):
        yield False
        return
    try:
        yield True
    finally:
        local.release()


@contextmanager
def hold_lock(engine: Engine, name: str, now: datetime, stale_after: timedelta | None = None) -> Iterator[None]:
    """Hold the named lock ("fetch", "nightly") for the duration of the block.

    The database holds the lock, for exactly as long as the holding process lives: on PostgreSQL a session advisory
    lock (``pg_try_advisory_lock``) on a connection kept open for the block; on SQLite an OS file lock (``flock``,
    via ``filelock``) on ``<database file>.<name>.lock`` beside the database. A live holder never loses it, however
    long it runs; a holder that dies, even by SIGKILL, releases it with its connection or file descriptor. There is
    no takeover: ``stale_after`` is accepted for old callers and ignored.

    The ``job_lock`` row only tells who holds the lock and since when, for the refusal message; it decides nothing.

    Raises:
        LockHeld: another process holds it.
    """
    with _database_lock(engine, name) as acquired:
        if not acquired:
            with Session(engine) as session:
                current = session.get(LockRow, name)
                holder = current.holder if current else "unknown"
                since = current.acquired_at.isoformat() if current else "unknown"
            raise LockHeld(name, holder, since)
        me = _holder()
        with Session(engine) as session:  # a row left by a holder that died is simply replaced
            session.execute(delete(LockRow).where(col(LockRow.name) == name))
            session.execute(insert(LockRow).values(name=name, holder=me, acquired_at=now))
            session.commit()
        try:
            yield
        finally:
            try:
                with Session(engine) as session:
                    session.execute(delete(LockRow).where(col(LockRow.name) == name, col(LockRow.holder) == me))
                    session.commit()
            except SQLAlchemyError as exc:  # the next holder replaces the row anyway
                logger.warning("could not clear the %s lock's holder row (%s)", name, type(exc).__name__)


# --- parsed criteria ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParseInput:
    """What the parser reads of a stored trial: its text and structured fields, never its raw study JSON (about
    71 KiB a trial), so a batch is small and can be sent to a worker process."""

    nct_id: str
    content_hash: str
    eligibility_text: str
    minimum_age: str | None
    maximum_age: str | None
    sex: str | None
    conditions: tuple[str, ...]
    interventions: tuple[str, ...]  # the trial's own drugs: a requirement of having had them cannot exclude


def _needs_parse(parser_version: str) -> Any:
    """Trials whose stored parse is missing, for another content hash, or from another parser version, and that
    are not set aside (`trial_quarantine`)."""
    set_aside = sa_select(TrialQuarantineRow.nct_id)  # type: ignore[call-overload]
    query = sa_select(TrialRow.nct_id)  # type: ignore[call-overload]
    return query.outerjoin(TrialCriteriaRow, col(TrialCriteriaRow.nct_id) == col(TrialRow.nct_id)).where(
        or_(
            col(TrialCriteriaRow.nct_id).is_(None),
            col(TrialCriteriaRow.content_hash) != col(TrialRow.content_hash),
            col(TrialCriteriaRow.parser_version) != parser_version,
        ),
        col(TrialRow.nct_id).not_in(set_aside),
    )


def count_stale_criteria(session: Session, parser_version: str) -> int:
    query = sa_select(func.count()).select_from(_needs_parse(parser_version).subquery())
    return int(session.connection().execute(query).scalar_one())


def stale_criteria(session: Session, parser_version: str, after: str | None, limit: int) -> list[ParseInput]:
    """The next ``limit`` trials, by NCT id after ``after``, whose stored parse is missing or stale.

    Keyset pagination: each page is its own short query, so the caller can commit between pages and memory holds
    one page, however many trials are stale."""
    query = _needs_parse(parser_version).with_only_columns(
        TrialRow.nct_id, TrialRow.content_hash, TrialRow.eligibility_text, TrialRow.minimum_age,
        TrialRow.maximum_age, TrialRow.sex, TrialRow.conditions, TrialRow.interventions,
    )  # fmt: skip
    if after is not None:
        query = query.where(col(TrialRow.nct_id) > after)
    rows = session.connection().execute(query.order_by(col(TrialRow.nct_id)).limit(limit))
    return [
        ParseInput(n, h, text, low, high, sex, tuple(conditions), tuple(drugs))
        for n, h, text, low, high, sex, conditions, drugs in rows
    ]


def save_criteria(session: Session, parsed: Sequence[tuple[ParseInput, list[list[Any]]]], parser_version: str,
                  now: datetime) -> None:  # fmt: skip
    """Insert or replace the parsed criteria of these trials in one statement (the caller commits)."""
    rows = [
        {"nct_id": trial.nct_id, "content_hash": trial.content_hash, "parser_version": parser_version,
         "criteria": criteria, "parsed_at": now}
        for trial, criteria in parsed
    ]  # fmt: skip
    upsert(session, TrialCriteriaRow, rows, key=("nct_id",))
    save_matching_records(session, [(t.nct_id, t.content_hash, criteria) for t, criteria in parsed], parser_version)


def save_matching_records(session: Session, trials: Sequence[tuple[str, str, str | list[list[Any]]]],
                          parser_version: str) -> None:  # fmt: skip
    """Insert or replace the matching records (`matching.evaluate.MatchingRecord`) of these trials' criteria, each
    given as (NCT id, content hash, criteria: stored lists or the column's JSON text). A trial whose criteria cannot
    be arranged gets no record: matching reads its criteria (and says what is wrong with them)."""
    from matcher.eligibility.criteria import decode_stored
    from matcher.matching.evaluate import encode_record, matching_version, plan

    version, rows = matching_version(), []
    for nct_id, content_hash, criteria in trials:
        try:
            record = encode_record(plan(decode_stored(criteria)))
        except (ValueError, TypeError, LookupError) as exc:  # msgspec's errors are ValueErrors
            logger.warning("%s: no matching record (its stored criteria: %s)", nct_id, exc)
            continue
        rows.append({"nct_id": nct_id, "content_hash": content_hash, "parser_version": parser_version,
                     "matching_version": version, "record": record})  # fmt: skip
    upsert(session, TrialMatchingRow, rows, key=("nct_id",))


def refresh_matching_records(engine: Engine, parser_version: str, batch: int = 500) -> int:
    """Make the matching records that are missing or were made by other code, from the stored criteria (no parsing):
    after a migration, an upgrade of matcher, or records lost. Committed page by page; returns how many were made."""
    from matcher.matching.evaluate import matching_version

    made, after = 0, None
    with Session(engine) as session:
        connection = session.connection()
        while page := store_read.records_to_make(connection, parser_version, matching_version(), after, batch):
            after = page[-1].nct_id
            save_matching_records(session, [(t.nct_id, t.content_hash, t.criteria_json) for t in page], parser_version)
            session.commit()
            connection = session.connection()
            made += len(page)
    return made


def upsert(session: Session, table: type[SQLModel], rows: Sequence[dict[str, Any]], key: Sequence[str],
           keep: Sequence[str] = ()) -> None:  # fmt: skip
    """INSERT the rows, or on a conflict over ``key`` UPDATE every column given except ``keep`` (SQLite and
    PostgreSQL share the ON CONFLICT form): one statement a batch, not one ORM object a row."""
    if not rows:
        return
    statement: Any  # either dialect's INSERT, imported here: reading (`matcher match`) needs neither
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        statement = postgresql_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(table)
    update = {name: statement.excluded[name] for name in rows[0] if name not in key and name not in keep}
    session.connection().execute(statement.on_conflict_do_update(index_elements=list(key), set_=update), rows)


def current_criteria(
    session: Session,
    parser_version: str,
    statuses: Sequence[str] = (),
    phases: Sequence[str] = (),
    nct_ids: Sequence[str] | None = None,
) -> list[TrialSummary]:
    """The trials to match, with their parsed criteria decoded (`store_read.iter_current_criteria`, which says
    more)."""
    return list(store_read.iter_current_criteria(session.connection(), parser_version, statuses, phases, nct_ids))


def current_criteria_text(session: Session, parser_version: str, nct_ids: Sequence[str]) -> list[StoredTrial]:
    """As `current_criteria` for these trials, with the criteria left as the column's JSON text
    (`store_read.current_criteria_text`)."""
    return store_read.current_criteria_text(session.connection(), parser_version, nct_ids)


def stored_criteria(session: Session, nct_ids: Sequence[str] | None = None) -> dict[str, TrialCriteriaRow]:
    query = select(TrialCriteriaRow)
    if nct_ids is None:
        return {row.nct_id: row for row in session.exec(query)}
    rows = (row for ids in chunks(nct_ids) for row in session.exec(query.where(col(TrialCriteriaRow.nct_id).in_(ids))))
    return {row.nct_id: row for row in rows}


# --- patients -----------------------------------------------------------------------------------------------


def save_patient(
    session: Session, patient_id: str, profile: dict[str, Any], coordinator: str | None, now: datetime
) -> str:
    """Insert or update a patient, keeping every version; returns "added", "updated" or "unchanged"."""
    digest = profile_hash(profile)
    row = session.get(PatientRow, patient_id)
    if row is not None and row.profile_hash == digest:
        return "unchanged"
    outcome = "updated" if row is not None else "added"
    if row is None:
        row = PatientRow(id=patient_id, version=0, profile={}, profile_hash="", created_at=now, updated_at=now)
    row.version += 1
    row.profile, row.profile_hash, row.coordinator, row.updated_at = profile, digest, coordinator, now
    session.add(row)
    session.add(PatientVersionRow(patient_id=patient_id, version=row.version, profile=profile, saved_at=now))
    return outcome


def profile_hash(profile: dict[str, Any]) -> str:
    canonical = json.dumps(profile, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def get_patient(session: Session, patient_id: str) -> PatientRow | None:
    return session.get(PatientRow, patient_id)


def list_patients(session: Session) -> list[PatientRow]:
    return list(session.exec(select(PatientRow).order_by(col(PatientRow.id))).all())


def patient_versions(session: Session, patient_id: str) -> list[PatientVersionRow]:
    query = select(PatientVersionRow).where(PatientVersionRow.patient_id == patient_id)
    return list(session.exec(query.order_by(col(PatientVersionRow.version))).all())


def remove_patient(session: Session, patient_id: str) -> bool:
    """Remove a patient, their stored matches and their news not yet mailed (re-adding the id later must not mail
    it); the version history and the review trail are kept for the audit."""
    row = session.get(PatientRow, patient_id)
    if row is None:
        return False
    session.delete(row)
    session.exec(delete(MatchRow).where(col(MatchRow.patient_id) == patient_id))
    unsent = (col(MatchEventRow.patient_id) == patient_id, col(MatchEventRow.digest_id).is_(None))
    session.exec(delete(MatchEventRow).where(*unsent))
    return True
