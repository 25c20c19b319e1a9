"""Ingestion: studies from any source into the database, fully or incrementally, one fetch run at a time.

Guarantees (docs/architecture.md):
- a trial and its sites are written in one transaction, batched; a crash loses at most the open batch;
- the watermark only advances when a run succeeds, so the next run after a failure asks again;
- an unchanged study (same content hash) is counted and not written;
- one fetch at a time, enforced by a lock the database holds for as long as the fetching process lives;
- memory stays flat whatever the source's size: studies go by in chunks, and what is stored is looked up a chunk
  at a time. With ``workers`` > 1 the chunks are decoded and read into `Trial`s in worker processes
  (`matcher.parallel`), results in source order; this process alone writes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice

from sqlalchemy import Engine
from sqlmodel import Session

from matcher import store
from matcher.ctgov_parse import parse_study
from matcher.db import session as open_session
from matcher.errors import CtGovDataError
from matcher.models import Trial
from matcher.parallel import ordered_map, work_pool
from matcher.sources import StudyFile, StudyRecord, StudySource, decode
from matcher.tables import FetchRunRow

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]


@dataclass
class FetchSummary:
    run_id: int
    source: str
    mode: str
    since: date | None
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failures: list[str] = field(default_factory=list)
    outcome: str = "running"
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "source": self.source,
            "mode": self.mode,
            "since": self.since.isoformat() if self.since else None,
            "outcome": self.outcome,
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "failed": len(self.failures),
            "error": self.error,
        }


def fetch(
    engine: Engine,
    source: StudySource,
    now: Callable[[], datetime],
    *,
    full: bool = False,
    since: date | None = None,
    overlap_days: int = 1,
    lock_stale_after: timedelta | None = None,
    batch_size: int = 200,
    progress: Progress | None = None,
    workers: int = 1,
) -> FetchSummary:
    """Run one fetch from ``source`` and record it as a fetch run; ``workers`` processes read the studies.

    ``lock_stale_after`` is ignored (kept for old callers): the lock is never taken from a live holder.

    Raises:
        LockHeld: another fetch is running.
        MatcherError: the source failed; the run is recorded as failed first.
    """
    with store.hold_lock(engine, "fetch", now(), lock_stale_after), open_session(engine) as session:
        store.fail_interrupted_runs(session, now())
        store.backfill_from_raw(session, now())  # trials stored before contacts and gazetteer coordinates were kept
        if since is None and not full and source.incremental:
            watermark = store.last_watermark(session, source.name)
            since = watermark - timedelta(days=overlap_days) if watermark else None
        mode = "incremental" if since is not None and source.incremental else "full"
        run = store.start_run(session, source.name, mode, since, now())
        assert run.id is not None
        summary = FetchSummary(run.id, source.name, mode, since)
        try:
            chunks = _chunks(source.records(since), batch_size)
            with work_pool(workers) as pool:
                # Inline, a chunk is written as soon as it is read; workers get two chunks each to keep busy (when a
                # source fails, what they hold is not written, as with any batch not yet committed).
                read = ordered_map(pool, read_studies, chunks, in_flight=1 if workers == 1 else 2 * workers)
                _Ingestion(session, summary, now, batch_size).run(read, progress)
        except Exception as exc:
            session.rollback()
            summary.outcome, summary.error = "failed", str(exc) or type(exc).__name__
            _record(session, run, summary, now())
            raise
        summary.outcome = "succeeded"
        _record(session, run, summary, now())
        return summary


@dataclass(frozen=True)
class Read:
    """One study as a worker read it: a `Trial`, or why it was skipped (naming the file or page it came from)."""

    trial: Trial | None
    failure: str | None = None


def read_studies(items: Sequence[StudyRecord | StudyFile]) -> list[Read]:
    """Decode and read a chunk of studies: the CPU work of an import (JSON, hashing, sites), done in a worker
    process when there are several; it needs nothing from the parent but its argument."""
    read = []
    for record in (r for item in items for r in decode(item)):
        if record.study is None:
            read.append(Read(None, f"{record.origin}: {record.error}"))
            continue
        try:
            read.append(Read(parse_study(record.study)))
        except CtGovDataError as exc:
            read.append(Read(None, f"{record.origin}: {exc}"))
    return read


def _chunks(items: Iterable[StudyRecord | StudyFile], size: int) -> Iterator[list[StudyRecord | StudyFile]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Ingestion:
    """The state of one run's writing: what was seen, the open batch."""

    def __init__(self, session: Session, summary: FetchSummary, now: Callable[[], datetime], batch_size: int):
        self.session = session
        self.summary = summary
        self.now = now
        self.batch_size = batch_size
        self.contact_updates: list[Trial] = []
        self.seen: set[str] = set()
        self.batch: list[Trial] = []

    def run(self, chunks: Iterable[list[Read]], progress: Progress | None) -> None:
        count = 0
        try:
            for chunk in chunks:
                self.take(chunk)
                count += len(chunk)
                if progress:
                    progress(count)
            self.save()
        except BaseException:
            # What was not committed was not ingested: count only what the database holds.
            unsaved = {trial.nct_id for trial in self.batch}
            self.summary.new = [n for n in self.summary.new if n not in unsaved]
            self.summary.changed = [n for n in self.summary.changed if n not in unsaved]
            raise

    def take(self, chunk: list[Read]) -> None:
        summary = self.summary
        ids = [r.trial.nct_id for r in chunk if r.trial is not None]
        known = store.trial_hashes(self.session, ids)
        contacts = store.contacts_hashes(self.session, ids)
        for read in chunk:
            trial = read.trial
            if trial is None:
                summary.failures.append(read.failure or "")
                logger.warning("skipped %s", read.failure)
                continue
            if trial.nct_id in self.seen:  # the watch list overlaps the search, and a restarted search repeats
                continue
            self.seen.add(trial.nct_id)
            previous = known.get(trial.nct_id)
            if previous == trial.content_hash:
                summary.unchanged += 1
                if contacts.get(trial.nct_id) != trial.contacts_hash:  # a new phone number: written, not re-parsed
                    self.contact_updates.append(trial)
                    if len(self.contact_updates) >= self.batch_size:
                        self.save()
                continue
            (summary.changed if previous else summary.new).append(trial.nct_id)
            self.batch.append(trial)
            if len(self.batch) >= self.batch_size:
                self.save()

    def save(self) -> None:
        store.save_trials(self.session, self.batch, self.now())
        store.save_contacts(self.session, self.contact_updates, self.now())
        self.session.commit()
        self.batch.clear()
        self.contact_updates.clear()


def _record(session: Session, run: FetchRunRow, summary: FetchSummary, now: datetime) -> None:
    run.n_new, run.n_changed = len(summary.new), len(summary.changed)
    run.n_unchanged, run.n_failed = summary.unchanged, len(summary.failures)
    store.finish_run(session, run, now, summary.error, advance=not summary.failures)
