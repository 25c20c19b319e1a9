"""The nightly job: fetch, parse, re-match what changed, record news, build digests, deliver through the outbox.

    run_nightly(engine, settings, source, sender, now, workers=1, dask=None) -> NightlyResult

Work is proportional to change (`matcher.rematch`): a (patient, trial) pair is evaluated again only when the
trial's content hash, the patient's profile or the parser changed since its stored match, or the calendar may
change its answer. Events are stored whether or not
they are mailed. Digests are recorded (with their events) before sending and marked sent after the SMTP
server accepts them; a digest whose send failed stays pending and goes out on the next run. If the process
dies after the server accepted a digest and before it was marked sent, the next run sends it once more (at
most one duplicate; it keeps its Message-ID, so mail clients can fold the two).

No single record stops the night. A trial whose criteria cannot be parsed or evaluated is quarantined with its
error; a stored patient whose profile cannot be evaluated is set aside for the night; a digest refused
permanently (5xx) `smtp_permanent_tries` times is given up. Everything else is matched and sent, and the run
ends "partial" with what it set aside (named by patient id, NCT id or digest, never a profile value) in the run
record and in the digests' admin lines.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from matcher import monitor_store, parsing, store
from matcher.config import Settings
from matcher.db import session as open_session
from matcher.errors import MatcherError, NotifyError
from matcher.ingest import fetch
from matcher.matching.evaluate import ENROLLING_SITE
from matcher.notify import DeliveryRefused, DigestItem, Email, Sender, render_digest, web_base_url
from matcher.rematch import RematchProgress, SetAside, rematch, where_raised
from matcher.sources import StudySource
from matcher.tables import CoordinatorRow, MatchEventRow, NightlyRunRow, ReviewRow

logger = logging.getLogger(__name__)


@dataclass
class NightlyResult:
    run_id: int
    outcome: str = "running"  # running | succeeded | partial (something set aside) | failed
    fetched: dict[str, object] = field(default_factory=dict)
    parsed: int = 0
    evaluated: int = 0
    events: int = 0
    digests: int = 0
    sent: int = 0
    pending: int = 0
    errors: list[str] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)


def run_nightly(
    engine: Engine,
    settings: Settings,
    source: StudySource,
    sender: Sender,
    now: Callable[[], datetime],
    *,
    workers: int = 1,
    dask: str | None = None,
    progress: Callable[[RematchProgress], None] | None = None,
) -> NightlyResult:
    """One nightly run; never overlaps another (database lock "nightly"). The re-match runs in ``workers`` local
    processes, or on the Dask cluster whose scheduler is at ``dask`` (`rematch`); ``progress`` hears how far it is.

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
            parsed = parsing.parse_all_stale(engine, now, run_id=run.id)
            result.parsed = len(parsed.parsed)
            result.set_aside += [{"kind": "trial", "id": n, "error": why} for n, why in parsed.set_aside.items()]
            for held in monitor_store.unreported_quarantines(session):  # set aside since, by `matcher fetch`
                held.run_id = run.id
                session.add(held)
                result.set_aside.append({"kind": "trial", "id": held.nct_id, "error": held.reason})
            session.commit()
            result.evaluated, result.events = rematch(session, run.id, settings, now(), result.set_aside,
                                                      workers=workers, dask=dask, progress=progress)  # fmt: skip
            footer = _footer(result, store.count_trials(session))
            result.digests = build_digests(session, run.id, settings, now(), result.set_aside, footer)
        except (MatcherError, SQLAlchemyError) as exc:
            session.rollback()
            message = str(exc) if isinstance(exc, MatcherError) else f"database error: {type(exc).__name__}"
            result.errors.append(message)
            logger.error("nightly run %s stopped: %s", run.id, message)
        try:
            result.sent, result.pending = deliver(
                session, sender, settings.mail_from, now, result.errors, result.set_aside,
                give_up_after=settings.smtp_permanent_tries,
            )  # fmt: skip
        except SQLAlchemyError as exc:  # e.g. the connection to PostgreSQL was lost while marking a digest sent
            session.rollback()
            message = f"database error during delivery: {type(exc).__name__} (unmarked digests go out next run)"
            result.errors.append(message)
            logger.error("nightly run %s: %s", run.id, message)
        result.outcome = "failed" if result.errors else "partial" if result.set_aside else "succeeded"
        try:
            _finish(session, run, result, now())
        except SQLAlchemyError as exc:
            # The next run marks this one failed ("interrupted") when it starts; say why here.
            logger.error("nightly run %s: cannot record its end (%s)", run.id, type(exc).__name__)
            result.outcome = "failed"
            result.errors.append(f"database error recording the run: {type(exc).__name__}")
        return result


def _footer(result: NightlyResult, stored: int) -> str:
    """The night in one plain sentence, for the digests' footer."""
    fetched = result.fetched
    return (
        f"Tonight (run {result.run_id}): {stored} trial(s) checked, {fetched.get('new', 0)} new and "
        f"{fetched.get('changed', 0)} changed in the registry; {result.evaluated} patient-trial pair(s) evaluated "
        f"again; {result.events} piece(s) of news for all coordinators."
    )


def _finish(session: Session, run: NightlyRunRow, result: NightlyResult, now: datetime) -> None:
    run.finished_at, run.outcome = now, result.outcome
    run.n_parsed, run.n_evaluated, run.n_events = result.parsed, result.evaluated, result.events
    run.n_digests, run.n_sent = result.digests, result.sent
    run.n_set_aside, run.set_aside = len(result.set_aside), list(result.set_aside) or None
    errors = list(result.errors)
    if result.set_aside:
        named = ", ".join(f"{s['kind']} {s['id']}" for s in result.set_aside)
        errors.append(f"completed with {len(result.set_aside)} set aside: {named}")
    run.error = "; ".join(errors) or None
    session.add(run)
    session.commit()


def wanted(event: MatchEventRow, prefs: CoordinatorRow | None) -> bool:
    """Whether a coordinator with these preferences (None: the defaults) hears this news.

    By default every kind, and no news about a trial that is not enrolling, unless it just stopped enrolling (a
    closure of a matched trial is news); ``not_enrolling_news`` asks for all of it. ``near_km`` limits "site opened
    near your patient" to sites within that distance."""
    kinds = prefs.news_kinds if prefs is not None and prefs.news_kinds else None
    if kinds is not None and event.kind not in kinds:
        return False
    status = str(event.after.get("overall_status", ""))
    was = str((event.before or {}).get("overall_status", status))
    if status not in ENROLLING_SITE and was not in ENROLLING_SITE and not (prefs and prefs.not_enrolling_news):
        return False
    if event.kind == "site_opened" and prefs is not None and prefs.near_km is not None:
        distance = event.after.get("nearest_km")
        return isinstance(distance, int | float) and distance <= prefs.near_km
    return True


def digest_due(prefs: CoordinatorRow | None, now: datetime) -> bool:
    """Daily coordinators get a digest every night with news; weekly ones on their weekday (news waits, undigested,
    until then: nothing is lost, and each piece goes into exactly one digest)."""
    return prefs is None or prefs.delivery != "weekly" or now.weekday() == prefs.digest_weekday


def build_digests(
    session: Session,
    run_id: int,
    settings: Settings,
    now: datetime,
    set_aside: list[SetAside] | None = None,
    footer: str | None = None,
) -> int:
    """One digest per coordinator with news that is due, recorded in the outbox together with its events.

    Admin lines go first: the trials set aside this run and the digests given up since the last report (in every
    digest), the coordinator's own patients set aside this run (in theirs only; such a coordinator gets a digest
    even without news, and even on a night a weekly digest is not due). News a coordinator's preferences leave out
    stays undigested (not mailed) and is never counted as sent."""
    set_aside = set_aside if set_aside is not None else []
    patients = {p.id: p for p in store.list_patients(session)}
    quiet = monitor_store.muted(session)
    prefs = monitor_store.preferences(session)
    reviews = monitor_store.reviews(session)
    # News of a patient without a coordinator, or of a muted one, is kept: sent when the patient gets a
    # coordinator or the coordinator is unmuted.
    coordinators = {p.coordinator for p in patients.values() if p.coordinator and p.coordinator not in quiet}
    given_up = monitor_store.given_up_unreported(session)
    common = [f"trial {s['id']} is set aside (quarantined, not matched): {s['error']}"
              for s in set_aside if s["kind"] == "trial"]  # fmt: skip
    common += [f"the digest of run {d.run_id} to {d.coordinator} was given up after {d.permanent_failures} "
               f"permanent refusal(s): {d.last_error}" for d in given_up]  # fmt: skip
    own: dict[str, list[str]] = {}
    for s in set_aside:
        patient = patients.get(s["id"]) if s["kind"] == "patient" else None
        if patient is not None and patient.coordinator and patient.coordinator not in quiet:
            own.setdefault(patient.coordinator, []).append(
                f"patient {s['id']} was not matched this run: {s['error']}; check the stored profile"
            )
    built = 0
    web = web_base_url(settings)
    for coordinator in sorted(coordinators):
        # One coordinator's news in memory at a time; add_digest's changes are flushed by the next query.
        events = _due_news(session, coordinator, prefs.get(coordinator), reviews, now)
        if not events and coordinator not in own:
            continue  # no news tonight, or news waiting for a weekly digest
        weekly = (p := prefs.get(coordinator)) is not None and p.delivery == "weekly"
        period = f"the week to {now.date().isoformat()}" if weekly else None
        try:
            email = render_digest(coordinator, [digest_item(e, web) for e in events], run_id, settings, now,
                                  own.get(coordinator, []) + common, footer, period)  # fmt: skip
        except Exception as exc:  # noqa: BLE001  (one coordinator's digest must not stop the others')
            # Its events stay undigested: they go into the coordinator's next digest.
            set_aside.append(
                {"kind": "coordinator", "id": coordinator, "error": f"digest not built: {where_raised(exc)}"}
            )
            logger.error("the digest to %s could not be built: %s", coordinator, where_raised(exc))
            continue
        monitor_store.add_digest(session, run_id, coordinator, email.subject, email.text, email.html,
                                 email.message_id, events, now)  # fmt: skip
        built += 1
    if built:
        for digest in given_up:
            digest.reported_in_run = run_id
            session.add(digest)
    session.commit()
    return built


def _due_news(
    session: Session,
    coordinator: str,
    prefs: CoordinatorRow | None,
    reviews: dict[tuple[str, str], ReviewRow],
    now: datetime,
) -> list[MatchEventRow]:
    """The undigested news tonight's digest to ``coordinator`` carries, oldest first: what their preferences want,
    less what a quieting review leaves out (a verdict change is always news). None on a night their weekly digest
    is not due: it waits, undigested."""
    if not digest_due(prefs, now):
        return []
    due = []
    for event in monitor_store.undigested_events(session, coordinator):
        review = reviews.get((event.patient_id, event.nct_id))
        if review and review.status in monitor_store.QUIET_REVIEW and event.kind != "verdict_change":
            continue
        if wanted(event, prefs):
            due.append(event)
    return due


def digest_item(event: MatchEventRow, web_base: str | None = None) -> DigestItem:
    """One piece of news as a digest lists it (`notify.render_digest`): what the event's stored states say, with a
    link to the review desk at ``web_base`` if given."""
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
        deciding=tuple(after.get("deciding", [])) if after.get("verdict") in ("ineligible", "possible") else (),
        missing=tuple(after.get("missing", [])) if after.get("verdict") == "possible" else (),
        site=str(after["site"]) if after.get("site") else None,
        contacts=tuple(str(c) for c in after.get("contacts", []) or ()),
        more_deciding=int(after.get("more_deciding", 0) or 0) if after.get("verdict") != "eligible" else 0,
        run_id=event.run_id,
        web_base=web_base,
    )


def deliver(
    session: Session,
    sender: Sender,
    mail_from: str,
    now: Callable[[], datetime],
    errors: list[str],
    set_aside: list[SetAside] | None = None,
    give_up_after: int = 3,
) -> tuple[int, int]:
    """Send every pending digest; returns (sent, still pending). A failure leaves the digest pending, except a
    permanent refusal (5xx) seen for the ``give_up_after``-th time, or a recipient that is not one address: that
    digest is given up (status failed_permanent), reported in ``set_aside``, and does not fail the night. A new
    digest to an address whose last digest was given up is tried once: refused again, it is given up at once."""
    set_aside = set_aside if set_aside is not None else []
    sent = pending = 0
    dead = monitor_store.dead_addresses(session)
    for digest in monitor_store.pending_digests(session):
        email = Email(digest.coordinator, mail_from, digest.subject, digest.text_body, digest.html_body,
                      digest.message_id, digest.created_at)  # fmt: skip
        try:
            sender.send(email)
        except DeliveryRefused as exc:
            # An address that is not one, or one that was refused for good before: retrying cannot help.
            tries = 1 if exc.code is None or digest.coordinator in dead else give_up_after
            if monitor_store.mark_failed(session, digest, str(exc), now(), permanent=True, give_up_after=tries):
                set_aside.append({"kind": "digest", "id": f"{digest.id} to {digest.coordinator}", "error": str(exc)})
                logger.error("digest %s to %s given up: %s", digest.id, digest.coordinator, exc)
            else:
                errors.append(str(exc))
                pending += 1
            continue
        except NotifyError as exc:
            monitor_store.mark_failed(session, digest, str(exc), now())
            errors.append(str(exc))
            pending += 1
            continue
        if not sender.delivers:
            pending += 1  # a dry run shows the digest; the next real run sends it
            continue
        monitor_store.mark_sent(session, digest, now())
        sent += 1
    return sent, pending
