"""Queries for the nightly monitor: match states, events, the digest outbox, reviews, coordinators, runs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from matcher.tables import (
    CoordinatorRow,
    DigestRow,
    MatchEventRow,
    MatchRow,
    NightlyRunRow,
    PatientRow,
    ReviewEventRow,
    ReviewRow,
    TrialQuarantineRow,
    TrialRow,
)

REVIEW_STATUSES = ("new", "reviewing", "contacted", "enrolled", "not_eligible", "dismissed")
QUIET_REVIEW = {"dismissed", "not_eligible"}


def match_states(session: Session) -> dict[tuple[str, str], MatchRow]:
    return {(row.patient_id, row.nct_id): row for row in session.exec(select(MatchRow))}


def add_event(session: Session, run_id: int, patient_id: str, nct_id: str, kind: str,
              before: dict[str, Any] | None, after: dict[str, Any], now: datetime) -> None:  # fmt: skip
    session.add(MatchEventRow(run_id=run_id, patient_id=patient_id, nct_id=nct_id, kind=kind, before=before,
                              after=after, created_at=now))  # fmt: skip


def undigested_events(session: Session) -> list[MatchEventRow]:
    query = select(MatchEventRow).where(col(MatchEventRow.digest_id).is_(None)).order_by(col(MatchEventRow.id))
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


NEWS_KINDS = ("new_match", "verdict_change", "status_change", "site_opened")
DELIVERIES = ("daily", "weekly")


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
