"""Queries for the nightly monitor: match states, events, the digest outbox, reviews, coordinators, runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from matcher.config import DELIVERIES as DELIVERIES  # re-exported: their home is light to import
from matcher.config import NEWS_KINDS as NEWS_KINDS
from matcher.config import REVIEW_STATUSES as REVIEW_STATUSES
from matcher.store import chunks
from matcher.tables import (
    HASH_CHARS,
    CoordinatorRow,
    DigestRow,
    MatchEventRow,
    MatchRow,
    NightlyRunRow,
    PatientRow,
    ReviewEventRow,
    ReviewRow,
    TrialCriteriaRow,
    TrialQuarantineRow,
    TrialRow,
    short_hash_hex,
)

QUIET_REVIEW = {"dismissed", "not_eligible"}


@dataclass(frozen=True)
class StoredPair:
    """What a stored match says about a pair: enough to tell news (`rematch.news`)."""

    verdict: str
    overall_status: str
    nearest_km: float | None


@dataclass(frozen=True)
class DuePair:
    """A pair to evaluate: the trial, its current content hash, and its stored match (None: never matched)."""

    nct_id: str
    trial_hash: str
    stored: StoredPair | None


def due_pairs(session: Session, patient_id: str, profile_hash: str, version: str, today: date) -> list[DuePair]:
    """The patient's pairs to evaluate tonight, in NCT id order, found in SQL: a trial with current criteria (its
    content parsed by this parser version) that the patient has no match with, or whose match was computed from
    other trial content, another profile or another parser version, or whose `recheck_on` or `eligible_from` has
    come. A night without change returns no row: each match row is only looked up by its primary key."""
    m = MatchRow.__table__.c  # type: ignore[attr-defined]
    trial_hash = func.substr(col(TrialRow.content_hash), 1, HASH_CHARS)  # what the row's bytes say in hex
    query = (
        sa_select(TrialRow.nct_id, TrialRow.content_hash, m.verdict, m.overall_status, m.nearest_km)  # type: ignore[call-overload]
        .join(TrialCriteriaRow, col(TrialCriteriaRow.nct_id) == col(TrialRow.nct_id))
        .outerjoin(MatchRow, (m.patient_id == patient_id) & (m.nct_id == col(TrialRow.nct_id)))
        .where(
            col(TrialCriteriaRow.content_hash) == col(TrialRow.content_hash),
            col(TrialCriteriaRow.parser_version) == version,
            or_(
                m.patient_id.is_(None),
                short_hash_hex(m.trial_hash) != trial_hash,
                m.patient_hash != profile_hash[:HASH_CHARS],
                m.parser_version != version,
                m.recheck_on <= today,
                m.eligible_from <= today,
            ),
        )
        .order_by(col(TrialRow.nct_id))
    )
    return [
        DuePair(nct_id, content_hash, None if verdict is None else StoredPair(verdict, status, km))
        for nct_id, content_hash, verdict, status, km in session.connection().execute(query)
    ]


def pair_states(session: Session, patient_id: str, nct_ids: Sequence[str]) -> dict[str, StoredPair]:
    """The stored matches of one patient with these trials, by NCT id."""
    m = MatchRow.__table__.c  # type: ignore[attr-defined]
    query = sa_select(m.nct_id, m.verdict, m.overall_status, m.nearest_km).where(m.patient_id == patient_id)
    return {
        n: StoredPair(v, s, km)
        for ids in chunks(nct_ids)  # one IN list a chunk: within the bound parameters a statement may carry
        for n, v, s, km in session.connection().execute(query.where(m.nct_id.in_(ids)))
    }


def upsert_matches(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert or replace match rows (every column of `tables.MatchRow` each): one statement, executed for all
    (the caller commits)."""
    if not rows:
        return
    table = MatchRow.__table__  # type: ignore[attr-defined]
    statement: Any  # either dialect's INSERT, imported here: reading (`matcher match`) needs neither
    if session.get_bind().dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(table)
    else:
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        statement = postgresql_insert(table)
    keys = ("patient_id", "nct_id")
    changed = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys}
    session.connection().execute(statement.on_conflict_do_update(index_elements=list(keys), set_=changed), list(rows))
    for loaded in [o for o in session.identity_map.values() if isinstance(o, MatchRow)]:
        session.expire(loaded)  # written past the ORM: a row loaded before reads the new values when next used


def add_events(session: Session, events: Sequence[dict[str, Any]]) -> None:
    """Append news (`tables.MatchEventRow` columns each), in the given order (their ids keep it)."""
    if events:
        session.connection().execute(insert(MatchEventRow.__table__), list(events))  # type: ignore[attr-defined]


def undigested_events(session: Session, coordinator: str) -> list[MatchEventRow]:
    """The news about one coordinator's patients that no digest has carried yet, oldest first. One coordinator at
    a time: a first night's news for every coordinator (about 172,000 events at 1,000 x 2,000) would not fit in
    the 1 GB a night may use."""
    query = (
        select(MatchEventRow)
        .join(PatientRow, col(PatientRow.id) == col(MatchEventRow.patient_id))
        .where(PatientRow.coordinator == coordinator, col(MatchEventRow.digest_id).is_(None))
        .order_by(col(MatchEventRow.id))
    )
    return list(session.exec(query).all())


def add_digest(session: Session, run_id: int, coordinator: str, subject: str, text: str, html: str,
               message_id: str, events: Sequence[MatchEventRow], now: datetime) -> DigestRow:  # fmt: skip
    """Record a digest in the outbox and tie its events to it (one transaction with the caller's commit)."""
    digest = DigestRow(run_id=run_id, coordinator=coordinator, subject=subject, text_body=text, html_body=html,
                       message_id=message_id, created_at=now)  # fmt: skip
    session.add(digest)
    session.flush()
    for event in events:
        event.digest_id = digest.id
        session.add(event)
    return digest


def given_up_unreported(session: Session) -> list[DigestRow]:
    """Digests given up after permanent refusals that no digest has told the coordinators about yet."""
    query = select(DigestRow).where(DigestRow.status == "failed_permanent", col(DigestRow.reported_in_run).is_(None))
    return list(session.exec(query.order_by(col(DigestRow.id))).all())


def dead_addresses(session: Session) -> set[str]:
    """Recipients whose latest digest that is no longer pending was given up (refused permanently)."""
    latest: dict[str, str] = {}
    query = select(DigestRow).where(DigestRow.status != "pending").order_by(col(DigestRow.id))
    for digest in session.exec(query):
        latest[digest.coordinator] = digest.status
    return {address for address, status in latest.items() if status == "failed_permanent"}


def pending_digests(session: Session) -> list[DigestRow]:
    query = select(DigestRow).where(DigestRow.status == "pending").order_by(col(DigestRow.id))
    return list(session.exec(query).all())


def mark_sent(session: Session, digest: DigestRow, now: datetime) -> None:
    digest.status, digest.sent_at, digest.attempts, digest.last_error = "sent", now, digest.attempts + 1, None
    session.add(digest)
    session.commit()


def mark_failed(
    session: Session, digest: DigestRow, error: str, now: datetime, permanent: bool = False, give_up_after: int = 3
) -> bool:
    """Record a failed try; a permanent refusal (5xx) counts towards giving up. Returns True when the digest is
    now given up (status failed_permanent: no more tries)."""
    digest.attempts += 1
    digest.last_error = error
    if permanent:
        digest.permanent_failures += 1
        if digest.permanent_failures >= give_up_after:
            digest.status, digest.given_up_at = "failed_permanent", now
    session.add(digest)
    session.commit()
    return digest.status == "failed_permanent"


def muted(session: Session) -> set[str]:
    return {row.email for row in session.exec(select(CoordinatorRow).where(CoordinatorRow.muted == True))}  # noqa: E712


def preferences(session: Session) -> dict[str, CoordinatorRow]:
    """Every coordinator with a stored row (mute state and preferences), by email."""
    return {row.email: row for row in session.exec(select(CoordinatorRow))}


def set_preferences(session: Session, email: str, now: datetime, **changes: Any) -> CoordinatorRow:
    """Change some of a coordinator's preferences (``news_kinds``, ``delivery``, ``digest_weekday``, ``near_km``,
    ``not_enrolling_news``); the others keep their values. Commits."""
    row = session.get(CoordinatorRow, email) or CoordinatorRow(email=email, updated_at=now)
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = now
    session.add(row)
    session.commit()
    return row


def set_muted(session: Session, email: str, value: bool, now: datetime) -> None:
    row = session.get(CoordinatorRow, email) or CoordinatorRow(email=email, updated_at=now)
    row.muted, row.updated_at = value, now
    session.add(row)
    session.commit()


def reviews(session: Session) -> dict[tuple[str, str], ReviewRow]:
    return {(row.patient_id, row.nct_id): row for row in session.exec(select(ReviewRow))}


def set_review(session: Session, patient_id: str, nct_id: str, status: str, note: str | None, who: str,
               verdict: str | None, now: datetime) -> ReviewRow:  # fmt: skip
    """Change a review status and append it to the audit trail, in one transaction."""
    row = session.get(ReviewRow, (patient_id, nct_id))
    previous = row.status if row else None
    if row is None:
        row = ReviewRow(patient_id=patient_id, nct_id=nct_id, status=status, updated_by=who, updated_at=now)
    row.status, row.note, row.updated_by, row.updated_at, row.verdict_at_review = status, note, who, now, verdict
    session.add(row)
    session.add(ReviewEventRow(patient_id=patient_id, nct_id=nct_id, status=status, previous_status=previous,
                               note=note, who=who, at=now))  # fmt: skip
    session.commit()
    return row


def review_history(session: Session, patient_id: str, nct_id: str) -> list[ReviewEventRow]:
    query = select(ReviewEventRow).where(ReviewEventRow.patient_id == patient_id, ReviewEventRow.nct_id == nct_id)
    return list(session.exec(query.order_by(col(ReviewEventRow.id))).all())


def review_list(session: Session, coordinator: str | None, status: str | None) -> list[tuple[MatchRow, str]]:
    """Eligible and possible matches with their review status ("new" when never reviewed)."""
    query = select(MatchRow).join(PatientRow, col(PatientRow.id) == col(MatchRow.patient_id))
    query = query.where(col(MatchRow.verdict).in_(["eligible", "possible"]))
    if coordinator:
        query = query.where(PatientRow.coordinator == coordinator)
    states = reviews(session)
    found = []
    for match in session.exec(query.order_by(col(MatchRow.patient_id), col(MatchRow.score).desc())):
        review = states.get((match.patient_id, match.nct_id))
        current = review.status if review else "new"
        if status is None or current == status:
            found.append((match, current))
    return found


def fail_interrupted_nightly(session: Session, now: datetime) -> None:
    """Mark nightly runs left 'running' by a killed process as failed (called while holding the nightly lock)."""
    for row in session.exec(select(NightlyRunRow).where(NightlyRunRow.outcome == "running")):
        row.outcome, row.finished_at = "failed", now
        row.error = "interrupted: the process ended before the run finished"
        session.add(row)
    session.commit()


def start_nightly(session: Session, now: datetime) -> NightlyRunRow:
    run = NightlyRunRow(started_at=now)
    session.add(run)
    session.commit()
    return run


def list_nightly(session: Session, limit: int) -> list[NightlyRunRow]:
    return list(session.exec(select(NightlyRunRow).order_by(col(NightlyRunRow.id).desc()).limit(limit)).all())


# --- quarantined trials -------------------------------------------------------------------------------------


def quarantined(session: Session) -> dict[str, TrialQuarantineRow]:
    query = select(TrialQuarantineRow).order_by(col(TrialQuarantineRow.nct_id))
    return {row.nct_id: row for row in session.exec(query)}


def quarantine(session: Session, nct_id: str, source: str, reason: str, now: datetime, *,
               content_hash: str | None = None, parser_version: str | None = None, run_id: int | None = None,
               by: str | None = None) -> None:  # fmt: skip
    """Set a trial aside (the caller commits). A trial set aside by hand stays so whatever else happens."""
    row = session.get(TrialQuarantineRow, nct_id)
    if row is not None and row.source == "manual" and source != "manual":
        return
    row = row or TrialQuarantineRow(nct_id=nct_id, source=source, reason=reason, since=now)
    row.source, row.reason, row.since, row.by, row.run_id = source, reason, now, by, run_id
    row.content_hash, row.parser_version = content_hash, parser_version
    session.add(row)


def unreported_quarantines(session: Session) -> list[TrialQuarantineRow]:
    """Trials set aside automatically outside a nightly run (by `matcher fetch`'s parse step, by `matcher match`)
    that no nightly run has reported yet."""
    query = select(TrialQuarantineRow).where(TrialQuarantineRow.source != "manual",
                                             col(TrialQuarantineRow.run_id).is_(None))  # fmt: skip
    return list(session.exec(query.order_by(col(TrialQuarantineRow.nct_id))).all())


def release(session: Session, nct_id: str) -> TrialQuarantineRow | None:
    """Take a trial out of quarantine (the caller commits); returns the row removed, if any."""
    row = session.get(TrialQuarantineRow, nct_id)
    if row is not None:
        session.delete(row)
    return row


def lift_outdated_quarantines(session: Session, parser_version: str) -> list[str]:
    """Release the trials set aside automatically whose content or parser has changed since (the caller commits):
    the new text may parse and evaluate. Returns their NCT ids."""
    query = select(TrialQuarantineRow, TrialRow.content_hash).join(
        TrialRow, col(TrialRow.nct_id) == col(TrialQuarantineRow.nct_id), isouter=True
    )
    lifted = []
    for row, current_hash in session.exec(query.where(TrialQuarantineRow.source != "manual")):
        if current_hash is not None and (row.content_hash != current_hash or row.parser_version != parser_version):
            session.delete(row)
            lifted.append(row.nct_id)
    return lifted
