"""Keep every stored trial's parsed criteria current: parse what is missing or stale, nothing else.

A parse is keyed by the trial's content hash and the parser version, so a trial is parsed again only when its
text (or status, sites, arms) or the parser changes. `matcher match` then reads criteria from the database
and never loads spaCy.

One bad trial never stops the others: a text over `MAX_CRITERIA_CHARS` is set aside before spaCy sees it, and a
text the parser fails on is set aside with its error (`trial_quarantine`, source "parse"); every other trial is
parsed. A trial set aside by hand is not parsed; one set aside automatically is tried again when its content or
the parser changes.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from matcher import monitor_store, store
from matcher.db import session as open_session
from matcher.eligibility import parser_version
from matcher.parallel import default_workers, ordered_map, work_pool
from matcher.store import ParseInput

logger = logging.getLogger(__name__)
BATCH = 200  # trials a worker parses in one nlp.pipe pass, and the parent writes and commits at once
# The longest criteria text the parser is given. The longest of the 71 real records in ../shared is 19,146
# characters; spaCy refuses more than 1,000,000 (E088) and needs about 1 GB per 100,000 characters.
MAX_CRITERIA_CHARS = 100_000
ERROR_CHARS = 300  # how much of an exception's message a quarantine keeps


@dataclass
class ParseResult:
    parsed: list[str] = field(default_factory=list)
    set_aside: dict[str, str] = field(default_factory=dict)  # NCT id -> why


@dataclass(frozen=True)
class Parsed:
    """One trial's parse as a worker returns it: its stored criteria, or why the parser failed on its text."""

    trial: ParseInput
    criteria: list[list[Any]] | None
    error: str | None = None


def parse_stale(
    engine: Engine,
    now: Callable[[], datetime],
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> list[str]:
    """Parse every trial whose stored criteria are missing or stale; returns the NCT ids parsed (those set aside
    are logged, named by NCT id, and recorded in `trial_quarantine`)."""
    return parse_all_stale(engine, now, progress, workers=workers).parsed


def parse_all_stale(
    engine: Engine,
    now: Callable[[], datetime],
    progress: Callable[[int], None] | None = None,
    run_id: int | None = None,
    workers: int | None = None,
    batch_size: int = BATCH,
) -> ParseResult:
    """Parse every stale trial that is not set aside, in batches, on ``workers`` processes; set aside those that
    cannot be parsed. ``workers`` None: the cores this process may use (the nightly job's parse step).

    Memory stays flat: the parent reads one page of texts at a time, at most ``2 * workers`` batches are out, and
    each batch is written (one upsert) and committed when it comes back, so a run that is killed keeps what it
    parsed and the next run goes on from there. Batches are the same whatever ``workers`` is, and so are results.
    """
    workers = workers or default_workers()
    version = parser_version()
    result = ParseResult()
    with open_session(engine) as session:
        for nct_id in monitor_store.lift_outdated_quarantines(session, version):
            logger.warning("%s: its content or the parser changed; no longer set aside, parsing it again", nct_id)
        session.commit()
        # A single batch is parsed here: starting processes (each loads spaCy) would cost more than it saves.
        batches_due = math.ceil(store.count_stale_criteria(session, version) / batch_size)
        pages = _stale_pages(session, version, batch_size, result, now, run_id)
        with work_pool(max(1, min(workers, batches_due))) as pool:
            for batch in ordered_map(pool, parse_batch, pages, in_flight=2 * workers):
                for failed in (p for p in batch if p.criteria is None):
                    _set_aside(session, failed.trial, version, failed.error or "", now(), run_id, result)
                done = [(p.trial, p.criteria) for p in batch if p.criteria is not None]
                store.save_criteria(session, done, version, now())
                session.commit()
                result.parsed += [trial.nct_id for trial, _ in done]
                if progress:
                    progress(len(result.parsed))
        session.commit()  # texts over the limit in the last page
    return result


def _stale_pages(session: Session, version: str, size: int, result: ParseResult, now: Callable[[], datetime],
                 run_id: int | None) -> Iterator[list[ParseInput]]:  # fmt: skip
    """Pages of stale trials, by NCT id; a text over `MAX_CRITERIA_CHARS` is set aside here, before spaCy sees it."""
    after: str | None = None
    while page := store.stale_criteria(session, version, after, size):
        after = page[-1].nct_id
        for trial in (t for t in page if len(t.eligibility_text) > MAX_CRITERIA_CHARS):
            why = (
                f"criteria text of {len(trial.eligibility_text):,} characters is over the limit of "
                f"{MAX_CRITERIA_CHARS:,} (not parsed)"
            )
            _set_aside(session, trial, version, why, now(), run_id, result)
        if batch := [t for t in page if t.nct_id not in result.set_aside]:
            yield batch


def parse_batch(trials: Sequence[ParseInput]) -> list[Parsed]:
    """Parse a batch in one `nlp.pipe` pass; if a text makes the parser fail, parse the texts one by one to find
    which. Runs in worker processes: it needs nothing from the parent but its argument."""
    try:
        return [Parsed(t, criteria) for t, criteria in zip(trials, _parse(trials), strict=True)]
    except Exception:  # noqa: BLE001  (one text failed: find it by parsing the batch's texts one by one)
        logger.debug("a batch of %d texts failed to parse; parsing them one by one", len(trials))
    parsed = []
    for trial in trials:
        try:
            parsed.append(Parsed(trial, _parse([trial])[0]))
        except Exception as exc:  # noqa: BLE001  (registry text: any parser failure sets it aside)
            parsed.append(Parsed(trial, None, f"parse failed: {type(exc).__name__}: {str(exc)[:ERROR_CHARS]}"))
    return parsed


def _parse(trials: Sequence[ParseInput]) -> list[list[list[Any]]]:
    from matcher.eligibility.parser import StructuredFields, parse_texts  # spaCy only when there is work

    fields = [StructuredFields(t.minimum_age, t.maximum_age, t.sex, t.conditions, t.interventions) for t in trials]
    parsed = parse_texts([t.eligibility_text for t in trials], fields)
    return [[c.to_stored() for c in criteria] for criteria in parsed]


def _set_aside(session: Session, trial: ParseInput, version: str, why: str, now: datetime, run_id: int | None,
               result: ParseResult) -> None:  # fmt: skip
    monitor_store.quarantine(session, trial.nct_id, "parse", why, now, content_hash=trial.content_hash,
                             parser_version=version, run_id=run_id)  # fmt: skip
    result.set_aside[trial.nct_id] = why
    logger.warning("%s set aside (quarantined, not matched): %s", trial.nct_id, why)
