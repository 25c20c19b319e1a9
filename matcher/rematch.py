"""The nightly re-match: which pairs are due, their evaluation wherever it runs, their news, their rows.

    rematch(session, run_id, settings, now, set_aside, workers=1, dask=None) -> (evaluated, events)
    rematch_and_store(session, run_id, patient_row, plans, settings, now)   # the review desk's "flag a reading"

Work is proportional to change: a (patient, trial) pair is evaluated again only when the trial's content hash, the
patient's profile or the parser changed since its stored match, or a day has come on which the calendar may change
its answer (`monitor_store.due_pairs`, in SQL). Evaluation is pure (`evaluate_partition`, `evaluate_pairs`) and
runs in this process, in worker processes or on a Dask cluster (`matcher.parallel`); the caller is the one writer.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from matcher import monitor_store, store
from matcher.config import Settings
from matcher.eligibility import parser_version
from matcher.eligibility.criteria import decode_stored
from matcher.errors import MatcherError, PatientFileError
from matcher.knowledge_base import load_knowledge
from matcher.matching import contacts_for, prepare_row
from matcher.matching.evaluate import ENROLLING_SITE, Evaluator, Outcome, PreparedTrial, TrialMatch, Verdict
from matcher.models import Contact, Site
from matcher.monitor_store import DuePair, StoredPair
from matcher.overrides import Override, active_overrides, apply_overrides
from matcher.parallel import ordered_map, work_pool
from matcher.patient import parse_patient
from matcher.store import StoredTrial, TrialSummary
from matcher.tables import HASH_CHARS, PatientRow

logger = logging.getLogger(__name__)
NEWS_VERDICTS = {"eligible", "possible"}
SetAside = dict[str, str]  # {"kind": "patient" | "trial" | "digest" | "coordinator", "id": ..., "error": ...}


def where_raised(exc: BaseException) -> str:
    """An exception's type and the innermost line of our code it came from: enough to find the bug, and no
    value (an exception's message may quote a profile value)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/matcher/" in f.filename.replace("\\", "/")]
    if not frames:
        return type(exc).__name__
    frame = frames[-1]
    module = frame.filename.replace("\\", "/").rsplit("/matcher/", 1)[1]
    return f"{type(exc).__name__} in {module}:{frame.lineno} ({frame.name})"


@dataclass
class RematchProgress:
    """Where the re-match is, for a progress display: patients done of those stored, pairs and news so far."""

    patients: int
    started: float = field(default_factory=time.monotonic)
    done: int = 0
    pairs: int = 0
    events: int = 0
    finished: bool = False

    def eta_s(self) -> float | None:
        """Seconds left at the pace so far; None before the first patient is done."""
        if not self.done:
            return None
        return (time.monotonic() - self.started) / self.done * (self.patients - self.done)


def rematch(
    session: Session,
    run_id: int,
    settings: Settings,
    now: datetime,
    set_aside: list[SetAside] | None = None,
    *,
    workers: int = 1,
    dask: str | None = None,
    progress: Callable[[RematchProgress], None] | None = None,
) -> tuple[int, int]:
    """Evaluate the pairs that are due (`monitor_store.due_pairs`: new, changed inputs, or a day the calendar may
    change the answer); store their new state and the news. Returns (evaluated, events).

    Patients go in partitions (`Partition`) to ``workers`` local processes or to the Dask scheduler at ``dask``
    (`matcher.parallel`); results come back in patient order to this process, the one writer, so the rows, the
    news and what is set aside are the same whichever runs the work.

    A pair whose evaluation raises is not stored (it is tried again next run) and is blamed: on the patient when
    the patient failed with two trials or more (the profile is the likely cause: none of the patient's pairs is
    stored or mailed this run), else on the trial (quarantined with its error until its content changes or it is
    released; the patients after it in order do not get that trial). Appends what it set aside to ``set_aside``."""
    set_aside = set_aside if set_aside is not None else []
    version = parser_version()
    held = monitor_store.quarantined(session)
    inputs = TrialInputs(session, version)
    overriding = active_overrides(session, now)  # reviewers' corrections of readings (matcher/overrides.py)
    patients = store.list_patients(session)
    status = RematchProgress(len(patients))

    def partitions() -> Iterator[Partition]:
        batch: list[PatientWork] = []
        for row in patients:
            due = monitor_store.due_pairs(session, row.id, row.profile_hash, version, now.date())
            due = [p for p in due if p.nct_id not in held]
            if due:
                batch.append(PatientWork(row.id, row.profile, row.profile_hash, tuple(due)))
            else:
                status.done += 1
            if len(batch) >= PATIENTS_PER_PARTITION:
                yield inputs.partition(batch, overriding, now, settings.default_radius_km)
                batch = []
        if batch:
            yield inputs.partition(batch, overriding, now, settings.default_radius_km)

    broken: dict[str, str] = {}  # trials to quarantine (not preparable, or blamed for a failure): NCT id -> why
    try:
        with work_pool(workers, dask) as pool:
            for result in ordered_map(pool, evaluate_partition, partitions(), in_flight=2 * workers):
                for nct_id, why in result.unprepared.items():
                    broken.setdefault(nct_id, why)
                for done in result.patients:
                    stored = _keep(session, run_id, done, broken, set_aside)
                    status.done, status.pairs = status.done + 1, status.pairs + len(stored.rows)
                    status.events += len(stored.events)
                    if progress is not None:
                        progress(status)
    except BrokenExecutor as exc:  # a worker process died (killed, out of memory): the patients stored so far stay
        raise MatcherError(f"a re-match worker process ended unexpectedly: {exc}") from exc
    for nct_id, why in sorted(broken.items()):
        monitor_store.quarantine(session, nct_id, "evaluate", why, now, content_hash=inputs.hashes.get(nct_id),
                                 parser_version=version, run_id=run_id)  # fmt: skip
        set_aside.append({"kind": "trial", "id": nct_id, "error": why})
        logger.error("%s set aside (quarantined, not matched): %s", nct_id, why)
    session.commit()
    status.done, status.finished = status.patients, True
    if progress is not None:
        progress(status)
    return status.pairs, status.events


def _keep(
    session: Session, run_id: int, done: PatientResult, broken: dict[str, str], set_aside: list[SetAside]
) -> Evaluated:
    """Store one patient's evaluated pairs (committed), but those of trials already set aside by a patient before
    (as if evaluated in order, one patient after the other), and blame failures. Returns what was stored."""
    if done.aside is not None:
        _patient_aside(set_aside, done.patient_id, done.aside)
        return Evaluated()
    failed = {n: where for n, where in done.evaluated.failed.items() if n not in broken}
    if len(failed) >= 2:  # the profile is the likely cause: nothing of this patient is stored or mailed
        _patient_aside(set_aside, done.patient_id,
                       f"evaluation failed with {len(failed)} trials: {next(iter(failed.values()))}")  # fmt: skip
        return Evaluated()
    kept = Evaluated([r for r in done.evaluated.rows if r["nct_id"] not in broken],
                     [e for e in done.evaluated.events if e["nct_id"] not in broken])  # fmt: skip
    for nct_id, where in failed.items():  # one trial failed with a patient who works with every other
        broken.setdefault(nct_id, f"evaluation failed: {where}")
    store_evaluated(session, run_id, kept)
    session.commit()
    return kept


PATIENTS_PER_PARTITION = 16  # a partition carries its trials' stored criteria once for this many patients


@dataclass(frozen=True)
class PatientWork:
    """One patient's due pairs, as a worker gets them (the profile as stored: the worker validates it)."""

    patient_id: str
    profile: dict[str, Any]
    profile_hash: str
    due: tuple[DuePair, ...]


@dataclass(frozen=True)
class Partition:
    """A few patients and every input their due pairs need, sent whole to whichever process evaluates them.

    The parent ships the trials' stored criteria (as the column's JSON text) and sites rather than prepared
    trials, and workers decode and prepare them (about 0.1 ms a trial, about 14 KB a trial to send): workers never
    open the database, so a Dask worker on another machine needs no access to it, and memory holds only the
    partitions in flight (`ordered_map`)."""

    patients: tuple[PatientWork, ...]
    trials: tuple[StoredTrial, ...]
    sites: dict[str, list[Site]]
    contacts: dict[str, tuple[Contact, ...]]
    overriding: dict[str, list[Override]]
    version: str
    now: datetime
    radius_km: float


@dataclass
class PatientResult:
    patient_id: str
    evaluated: Evaluated
    aside: str | None = None  # why the patient cannot be evaluated at all


@dataclass
class PartitionResult:
    patients: list[PatientResult]
    unprepared: dict[str, str]  # NCT id -> why its stored criteria cannot be prepared


class TrialInputs:
    """The stored inputs of a partition's due trials. The parent never holds every trial of the night as decoded
    records: it keeps the inputs of the last partition built (criteria as the column's JSON text, sites,
    contacts), which the partitions in flight share, reads from the database only the trials the last one did not
    carry, and of every trial read keeps its content hash only, to quarantine one the workers cannot prepare."""

    def __init__(self, session: Session, version: str) -> None:
        self.session, self.version = session, version
        self.hashes: dict[str, str] = {}
        self.last: dict[str, tuple[StoredTrial, list[Site] | None, tuple[Contact, ...] | None]] = {}

    def partition(self, patients: Sequence[PatientWork], overriding: Mapping[str, list[Override]], now: datetime,
                  radius_km: float) -> Partition:  # fmt: skip
        wanted = sorted({p.nct_id for work in patients for p in work.due})
        missing = [n for n in wanted if n not in self.last]
        read = store.current_criteria_text(self.session, self.version, missing) if missing else []
        sites = store.sites_by_trial(self.session, nct_ids=[t.nct_id for t in read]) if read else {}
        contacts = store.contacts_by_trial(self.session, nct_ids=[t.nct_id for t in read]) if read else {}
        fresh = {t.nct_id: (t, sites.get(t.nct_id), contacts.get(t.nct_id)) for t in read}
        self.hashes.update((t.nct_id, t.content_hash) for t in read)
        self.last = {n: found for n in wanted if (found := self.last.get(n) or fresh.get(n)) is not None}
        inputs = self.last.values()
        return Partition(
            patients=tuple(patients),
            trials=tuple(t for t, _, _ in inputs),
            sites={t.nct_id: s for t, s, _ in inputs if s is not None},
            contacts={t.nct_id: c for t, _, c in inputs if c is not None},
            overriding={n: overriding[n] for n in self.last if n in overriding},
            version=self.version,
            now=now,
            radius_km=radius_km,
        )


def evaluate_partition(part: Partition) -> PartitionResult:
    """Evaluate a partition's due pairs: in this process, a worker process or on a Dask worker (so module-level
    and picklable, and it reads no database). One evaluator a patient: its answers are reused across trials."""
    plans: dict[str, PreparedTrial] = {}
    unprepared: dict[str, str] = {}
    for trial in part.trials:
        try:
            decoded = TrialSummary(trial.nct_id, trial.brief_title, trial.overall_status, trial.phases,
                                   trial.content_hash, decode_stored(trial.criteria_json))  # fmt: skip
            plans[trial.nct_id] = prepare_row(decoded, decoded.criteria, part.sites)
        except Exception as exc:  # noqa: BLE001  (a trial's stored criteria: the writer quarantines it)
            unprepared[trial.nct_id] = f"its stored criteria cannot be prepared: {where_raised(exc)}"
    results = []
    for work in part.patients:
        try:
            evaluator = patient_evaluator(work.patient_id, work.profile, part.now.date(), part.radius_km)
        except PatientFileError as exc:
            # Say which patient, not what the profile holds (health data stays out of logs and run records).
            why = f"stored profile no longer validates ({len(exc.problems)} problem(s)); re-add it"
            results.append(PatientResult(work.patient_id, Evaluated(), why))
            continue
        except Exception as exc:  # noqa: BLE001  (one patient must not stop the others; named by id only)
            results.append(PatientResult(work.patient_id, Evaluated(), f"cannot be evaluated: {where_raised(exc)}"))
            continue
        pairs = [(plans[p.nct_id], p) for p in work.due if p.nct_id in plans]
        evaluated = evaluate_pairs(evaluator, work.patient_id, work.profile_hash, pairs, part.overriding,
                                   part.contacts, part.version, part.now)  # fmt: skip
        results.append(PatientResult(work.patient_id, evaluated))
    return PartitionResult(results, unprepared)


def patient_evaluator(patient_id: str, profile: dict[str, Any], today: date, radius_km: float) -> Evaluator:
    """One evaluator per patient and run: its answers are reused across the patient's trials.

    Raises:
        PatientFileError: the stored profile no longer validates.
    """
    patient = parse_patient(profile, source=f"stored patient {patient_id}").patient
    return Evaluator(patient, today, load_knowledge(), radius_km)


@dataclass
class Evaluated:
    """One patient's pairs evaluated: the match rows and events to write, and the pairs whose evaluation raised."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # NCT id -> where it raised


def evaluate_pairs(
    evaluator: Evaluator,
    patient_id: str,
    patient_hash: str,
    pairs: Sequence[tuple[PreparedTrial, DuePair]],
    overriding: Mapping[str, Sequence[Override]],
    contacts: Mapping[str, tuple[Contact, ...]],
    version: str,
    now: datetime,
) -> Evaluated:
    """Evaluate one patient's pairs with the overrides in force: their new rows and their news, computed only (no
    database). A pair whose evaluation raises is left out and named in ``failed``."""
    done = Evaluated()
    for plan, old in pairs:
        nct_id = plan.info.nct_id
        try:
            match = apply_overrides(evaluator.match(plan), overriding.get(nct_id, ()), evaluator)
            found = news(old.stored, match, evaluator.radius_km, contacts.get(nct_id, ()))
            row = match_row(match, evaluator.recheck_on(plan), old.trial_hash, patient_hash, version, now)
        except Exception as exc:  # noqa: BLE001  (the caller blames the patient or the trial)
            done.failed[nct_id] = where_raised(exc)
            continue
        row["patient_id"] = patient_id
        done.rows.append(row)
        done.events += [{"patient_id": patient_id, "nct_id": nct_id, "kind": kind, "before": before,
                         "after": after, "created_at": now} for kind, before, after in found]  # fmt: skip
    return done


def store_evaluated(session: Session, run_id: int | None, evaluated: Evaluated) -> int:
    """Write evaluated pairs: their events, then their rows, in bulk (the caller commits). Returns the events."""
    monitor_store.add_events(session, [e | {"run_id": run_id} for e in evaluated.events])
    monitor_store.upsert_matches(session, evaluated.rows)
    return len(evaluated.events)


def rematch_and_store(session: Session, run_id: int | None, patient_row: PatientRow, plans: Sequence[PreparedTrial],
                      settings: Settings, now: datetime) -> int:  # fmt: skip
    """Evaluate one patient with these prepared trials now, with the overrides in force, and store the rows and
    their news (committed): the review desk's "flag a reading" re-evaluates this way. Returns the pairs stored.

    Raises:
        PatientFileError: the stored profile no longer validates.
        MatcherError: a pair cannot be evaluated (named by trial).
    """
    version = parser_version()
    evaluator = patient_evaluator(patient_row.id, patient_row.profile, now.date(), settings.default_radius_km)
    hashes = store.trial_hashes(session)
    olds = monitor_store.pair_states(session, patient_row.id, [p.info.nct_id for p in plans])
    pairs = [(p, DuePair(p.info.nct_id, hashes[p.info.nct_id], olds.get(p.info.nct_id))) for p in plans]
    # No contacts in the news: as the desk's re-evaluation has always stored it (digests unchanged).
    outcome = evaluate_pairs(evaluator, patient_row.id, patient_row.profile_hash, pairs,
                             active_overrides(session, now), {}, version, now)  # fmt: skip
    if outcome.failed:
        nct_id, where = next(iter(outcome.failed.items()))
        raise MatcherError(f"patient {patient_row.id} with {nct_id} cannot be evaluated: {where}")
    store_evaluated(session, run_id, outcome)
    session.commit()
    return len(outcome.rows)


def _patient_aside(set_aside: list[SetAside], patient_id: str, why: str) -> None:
    set_aside.append({"kind": "patient", "id": patient_id, "error": why})
    logger.error("stored patient %s set aside for this run: %s", patient_id, why)


DECIDING_SHOWN = 5  # deciding or still-unknown criteria a digest item lists (it says how many more)


def _state(match: TrialMatch, contacts: tuple[Contact, ...] = ()) -> dict[str, object]:
    return {
        "verdict": match.verdict.value,
        "overall_status": match.trial.overall_status,
        "title": match.trial.title,
        "deciding": list(match.deciding[:DECIDING_SHOWN]),
        "more_deciding": max(0, len(match.deciding) - DECIDING_SHOWN),
        "missing": list(match.missing[:6]),
        "nearest_km": _km(match),
        "site": site_text(match),
        "contacts": [c.one_line() for c in contacts_for(match, contacts)[:2]],
    }


def _km(match: TrialMatch) -> float | None:
    return round(match.nearest_site.distance_km, 1) if match.nearest_site else None


def site_text(match: TrialMatch) -> str | None:
    """The nearest site in one line, as digests and the review desk show it."""
    s = match.nearest_site
    return f"{s.site.facility}, {s.site.city}, {s.site.country} ({s.distance_km:.0f} km)" if s else None


def news(
    old: StoredPair | None, match: TrialMatch, radius_km: float, contacts: tuple[Contact, ...] = ()
) -> list[tuple[str, dict[str, object] | None, dict[str, object]]]:
    """What a coordinator needs to hear about one pair, and nothing else (docs/deploy.md). An event's ``before``
    is what the match row kept: verdict, status and distance."""
    after = _state(match, contacts)
    verdict, status = match.verdict.value, match.trial.overall_status
    if old is None:
        enrolling = status in ENROLLING_SITE
        return [("new_match", None, after)] if verdict in NEWS_VERDICTS and enrolling else []
    before: dict[str, object] = {"verdict": old.verdict, "overall_status": old.overall_status,
                                 "nearest_km": old.nearest_km}  # fmt: skip
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


def match_row(match: TrialMatch, recheck_on: date | None, trial_hash: str, patient_hash: str, version: str,
              now: datetime) -> dict[str, Any]:  # fmt: skip
    """A match row's columns but the patient id: the answer and what it was computed from (`tables.MatchRow`)."""
    deciding = {Verdict.INELIGIBLE: Outcome.VIOLATED, Verdict.POSSIBLE: Outcome.UNKNOWN}.get(match.verdict)
    top = match.prepared.top
    return {
        "nct_id": match.trial.nct_id,
        "verdict": match.verdict.value,
        "score": match.score,
        "overall_status": match.trial.overall_status,
        "nearest_km": _km(match),
        "deciding": ",".join(str(i) for i in top if match.outcomes[i].outcome is deciding),
        "eligible_from": match.eligible_from,
        "recheck_on": recheck_on,
        "trial_hash": trial_hash[:HASH_CHARS],
        "patient_hash": patient_hash[:HASH_CHARS],
        "parser_version": version,
        "updated_at": now,
    }
