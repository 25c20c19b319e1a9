"""The nightly job: fetch, parse, re-match what changed, record news, build digests, deliver through the outbox.

    run_nightly(engine, settings, source, sender, now) -> NightlyResult

Work is proportional to change: a (patient, trial) pair is evaluated again only when the trial's content
hash, the patient's profile or the parser changed since its stored match. Events are stored whether or not
they are mailed. Digests are recorded (with their events) before sending and marked sent after the SMTP
server accepts them; a digest whose send failed stays pending and goes out on the next run. If the process
dies after the server accepted a digest and before it was marked sent, the next run sends it once more (at
most one duplicate; it keeps its Message-ID, so mail clients can fold the two).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from matcher import monitor_store, parsing, store
from matcher.config import Settings
from matcher.db import session as open_session
from matcher.eligibility import parser_version
from matcher.errors import MatcherError, NotifyError, PatientFileError
from matcher.ingest import fetch
from matcher.knowledge_base import load_knowledge
from matcher.matching import prepare_row
from matcher.matching.evaluate import ENROLLING_SITE, Evaluator, PreparedTrial, TrialMatch
from matcher.notify import DigestItem, Email, Sender, render_digest
from matcher.patient import parse_patient
from matcher.sources import StudySource
from matcher.tables import MatchEventRow, MatchRow, NightlyRunRow, PatientRow

logger = logging.getLogger(__name__)
NEWS_VERDICTS = {"eligible", "possible"}


@dataclass
class NightlyResult:
    run_id: int
    outcome: str = "running"
    fetched: dict[str, object] = field(default_factory=dict)
    parsed: int = 0
    evaluated: int = 0
    events: int = 0
    digests: int = 0
    sent: int = 0
    pending: int = 0
    errors: list[str] = field(default_factory=list)


def run_nightly(
    engine: Engine, settings: Settings, source: StudySource, sender: Sender, now: Callable[[], datetime]
) -> NightlyResult:
    """One nightly run; never overlaps another (database lock "nightly").

    Raises:
        LockHeld: another nightly run is in progress.
    """
    stale_after = timedelta(seconds=settings.lock_stale_s)
    with store.hold_lock(engine, "nightly", now(), stale_after), open_session(engine) as session:
        monitor_store.fail_interrupted_nightly(session, now())
        run = monitor_store.start_nightly(session, now())
        assert run.id is not None
        result = NightlyResult(run.id)
        try:
            summary = fetch(engine, source, now, overlap_days=settings.overlap_days, lock_stale_after=stale_after)
            result.fetched = summary.as_dict()
            run.fetch_run_id = summary.run_id
            session.add(run)
            session.commit()
            result.parsed = len(parsing.parse_stale(engine, now))
            result.evaluated, result.events = rematch(session, run.id, settings, now())
            result.digests = build_digests(session, run.id, settings, now())
        except (MatcherError, SQLAlchemyError) as exc:
            session.rollback()
            message = str(exc) if isinstance(exc, MatcherError) else f"database error: {type(exc).__name__}"
            result.errors.append(message)
            logger.error("nightly run %s stopped: %s", run.id, message)
        result.sent, result.pending = deliver(session, sender, settings.mail_from, now, result.errors)
        result.outcome = "failed" if result.errors else "succeeded"
        _finish(session, run, result, now())
        return result


def _finish(session: Session, run: NightlyRunRow, result: NightlyResult, now: datetime) -> None:
    run.finished_at, run.outcome = now, result.outcome
    run.n_parsed, run.n_evaluated, run.n_events = result.parsed, result.evaluated, result.events
    run.n_digests, run.n_sent = result.digests, result.sent
    run.error = "; ".join(result.errors) or None
    session.add(run)
    session.commit()


def rematch(session: Session, run_id: int, settings: Settings, now: datetime) -> tuple[int, int]:
    """Evaluate the pairs whose inputs changed or whose answer the calendar may have changed (`_due`); store the
    new state and the news. Returns (evaluated, events)."""
    version = parser_version()
    trials = store.current_criteria(session, version)
    previous = monitor_store.match_states(session)
    kb = load_knowledge()
    sites = store.sites_by_trial(session)
    prepared: dict[str, PreparedTrial] = {}  # each trial is prepared once per run, not once per patient
    evaluated = events = 0
    today = now.date()
    for patient_row in store.list_patients(session):
        try:
            patient = parse_patient(patient_row.profile, source=f"stored patient {patient_row.id}").patient
        except PatientFileError:
            # Say which patient, not what the profile holds (health data stays out of logs and run records).
            logger.error("stored patient %s no longer validates; skipped (run `matcher patients add`)", patient_row.id)
            continue
        inputs = (patient_row.profile_hash, version)
        changed = [
            t for t in trials
            if _inputs(old := previous.get((patient_row.id, t.nct_id))) != (t.content_hash, *inputs)
            or _due(old, today)
        ]  # fmt: skip
        if not changed:
            continue
        evaluator = Evaluator(patient, today, kb, settings.default_radius_km)  # one per patient: answers reused
        for trial in changed:
            if trial.nct_id not in prepared:
                prepared[trial.nct_id] = prepare_row(trial, trial.criteria, sites)
            plan = prepared[trial.nct_id]
            match = evaluator.match(plan)
            old = previous.get((patient_row.id, trial.nct_id))
            for kind, before, after in news(old, match, evaluator.radius_km):
                monitor_store.add_event(session, run_id, patient_row.id, trial.nct_id, kind, before, after, now)
                events += 1
            _store_match(session, old, patient_row, trial.content_hash, version, match, evaluator.recheck_on(plan), now)
            evaluated += 1
        session.commit()
    return evaluated, events


def _due(old: MatchRow | None, today: date) -> bool:
    """A stored match whose answer the calendar may have changed: a washout it waited for has passed, or a day
    from which an answer may read otherwise (a birthday, a window closing) has come."""
    if old is None:
        return False
    days = (old.result.get("match", {}).get("eligible_from"), old.result.get("recheck_on"))
    return any(day and date.fromisoformat(str(day)) <= today for day in days)


def _inputs(old: MatchRow | None) -> tuple[str, str, str] | None:
    return (old.trial_hash, old.patient_hash, old.parser_version) if old else None


def _state(match: TrialMatch) -> dict[str, object]:
    return {
        "verdict": match.verdict.value,
        "overall_status": match.trial.overall_status,
        "title": match.trial.title,
        "deciding": list(match.deciding[:3]),
        "missing": list(match.missing[:6]),
        "nearest_km": round(match.nearest_site.distance_km, 1) if match.nearest_site else None,
        "site": _site_text(match),
    }


def _site_text(match: TrialMatch) -> str | None:
    s = match.nearest_site
    return f"{s.site.facility}, {s.site.city}, {s.site.country} ({s.distance_km:.0f} km)" if s else None


def news(
    old: MatchRow | None, match: TrialMatch, radius_km: float
) -> list[tuple[str, dict[str, object] | None, dict[str, object]]]:
    """What a coordinator needs to hear about one pair, and nothing else (docs/deploy.md)."""
    after = _state(match)
    verdict, status = match.verdict.value, match.trial.overall_status
    if old is None:
        enrolling = status in ENROLLING_SITE
        return [("new_match", None, after)] if verdict in NEWS_VERDICTS and enrolling else []
    before = old.result.get("state", {}) | {"verdict": old.verdict, "overall_status": old.overall_status}
    found: list[tuple[str, dict[str, object] | None, dict[str, object]]] = []
    if verdict != old.verdict and (verdict in NEWS_VERDICTS or old.verdict in NEWS_VERDICTS):
        found.append(("verdict_change", before, after))
    if status != old.overall_status and (verdict in NEWS_VERDICTS or old.verdict in NEWS_VERDICTS):
        found.append(("status_change", before, after))
    was_near = old.nearest_km is not None and old.nearest_km <= radius_km
    now_near = match.nearest_site is not None and match.nearest_site.distance_km <= radius_km
    if now_near and not was_near and verdict in NEWS_VERDICTS:
        found.append(("site_opened", before, after))
    return found


def _store_match(session: Session, old: MatchRow | None, patient: PatientRow, trial_hash: str, version: str,
                 match: TrialMatch, recheck_on: date | None, now: datetime) -> None:  # fmt: skip
    row = old or MatchRow(patient_id=patient.id, nct_id=match.trial.nct_id, verdict="", score=0, overall_status="",
                          result={}, trial_hash="", patient_hash="", parser_version="", matched_on=now.date(),
                          updated_at=now)  # fmt: skip
    row.verdict, row.score, row.overall_status = match.verdict.value, match.score, match.trial.overall_status
    row.nearest_km = round(match.nearest_site.distance_km, 1) if match.nearest_site else None
    row.result = {"state": _state(match), "match": match.to_json(),
                  "recheck_on": recheck_on.isoformat() if recheck_on else None}  # fmt: skip
    row.trial_hash, row.patient_hash, row.parser_version = trial_hash, patient.profile_hash, version
    row.matched_on, row.updated_at = now.date(), now
    session.add(row)


def build_digests(session: Session, run_id: int, settings: Settings, now: datetime) -> int:
    """One digest per coordinator with news, recorded in the outbox together with its events."""
    patients = {p.id: p for p in store.list_patients(session)}
    quiet = monitor_store.muted(session)
    reviews = monitor_store.reviews(session)
    grouped: dict[str, list[MatchEventRow]] = {}
    for event in monitor_store.undigested_events(session):
        patient = patients.get(event.patient_id)
        coordinator = patient.coordinator if patient else None
        review = reviews.get((event.patient_id, event.nct_id))
        if coordinator is None or coordinator in quiet:
            continue  # kept: sent when the patient gets a coordinator or the coordinator is unmuted
        if review and review.status in monitor_store.QUIET_REVIEW and event.kind != "verdict_change":
            continue
        grouped.setdefault(coordinator, []).append(event)
    for coordinator, events in sorted(grouped.items()):
        items = [_item(e) for e in events]
        email = render_digest(coordinator, items, run_id, settings, now)
        monitor_store.add_digest(session, run_id, coordinator, email.subject, email.text, email.html,
                                 email.message_id, events, now)  # fmt: skip
    session.commit()
    return len(grouped)


def _item(event: MatchEventRow) -> DigestItem:
    after = event.after
    before = event.before or {}
    if event.kind == "verdict_change":
        was: str | None = str(before.get("verdict"))
    elif event.kind == "status_change":
        was = f"status {before.get('overall_status')}"
    else:
        was = None
    return DigestItem(
        patient_id=event.patient_id,
        nct_id=event.nct_id,
        kind=event.kind,
        title=str(after.get("title", "")),
        overall_status=str(after.get("overall_status", "")),
        verdict=str(after.get("verdict", "")),
        before=was,
        deciding=tuple(after.get("deciding", [])) if after.get("verdict") == "ineligible" else (),
        missing=tuple(after.get("missing", [])) if after.get("verdict") == "possible" else (),
        site=str(after["site"]) if event.kind == "site_opened" and after.get("site") else None,
    )


def deliver(
    session: Session, sender: Sender, mail_from: str, now: Callable[[], datetime], errors: list[str]
) -> tuple[int, int]:
    """Send every pending digest; returns (sent, still pending). A failure leaves the digest pending."""
    sent = pending = 0
    for digest in monitor_store.pending_digests(session):
        email = Email(digest.coordinator, mail_from, digest.subject, digest.text_body, digest.html_body,
                      digest.message_id, digest.created_at)  # fmt: skip
        try:
            sender.send(email)
        except NotifyError as exc:
            monitor_store.mark_failed(session, digest, str(exc))
            errors.append(str(exc))
            pending += 1
            continue
        if not sender.delivers:
            pending += 1  # a dry run shows the digest; the next real run sends it
            continue
        monitor_store.mark_sent(session, digest, now())
        sent += 1
    return sent, pending
