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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from matcher import monitor_store, store
from matcher.db import session as open_session
from matcher.eligibility import parser_version
from matcher.tables import TrialRow

logger = logging.getLogger(__name__)
BATCH = 200
# The longest criteria text the parser is given. The longest of the 71 real records in ../shared is 19,146
# characters; spaCy refuses more than 1,000,000 (E088) and needs about 1 GB per 100,000 characters.
MAX_CRITERIA_CHARS = 100_000
ERROR_CHARS = 300  # how much of an exception's message a quarantine keeps


@dataclass
class ParseResult:
    parsed: list[str] = field(default_factory=list)
    set_aside: dict[str, str] = field(default_factory=dict)  # NCT id -> why


def parse_stale(
    engine: Engine, now: Callable[[], datetime], progress: Callable[[int], None] | None = None
) -> list[str]:
    """Parse every trial whose stored criteria are missing or stale; returns the NCT ids parsed (those set aside
    are logged, named by NCT id, and recorded in `trial_quarantine`)."""
    return parse_all_stale(engine, now, progress).parsed


def parse_all_stale(
    engine: Engine,
    now: Callable[[], datetime],
    progress: Callable[[int], None] | None = None,
    run_id: int | None = None,
) -> ParseResult:
    """Parse every stale trial that is not set aside; set aside those that cannot be parsed."""
    version = parser_version()
    result = ParseResult()
    with open_session(engine) as session:
        for nct_id in monitor_store.lift_outdated_quarantines(session, version):
            logger.warning("%s: its content or the parser changed; no longer set aside, parsing it again", nct_id)
        session.commit()
        held = monitor_store.quarantined(session)
        stale = [t for t in store.stale_criteria(session, version) if t.nct_id not in held]
        for trial in [t for t in stale if len(t.eligibility_text) > MAX_CRITERIA_CHARS]:
            why = (
                f"criteria text of {len(trial.eligibility_text):,} characters is over the limit of "
                f"{MAX_CRITERIA_CHARS:,} (not parsed)"
            )
            _set_aside(session, trial, version, why, now(), run_id, result)
        session.commit()
        stale = [t for t in stale if t.nct_id not in result.set_aside]
        if not stale:
            return result
        from matcher.eligibility.parser import StructuredFields, parse_texts  # spaCy only when there is work

        def parse(trials: Sequence[TrialRow]) -> list[list[list[Any]]]:
            fields = [StructuredFields(t.minimum_age, t.maximum_age, t.sex, tuple(t.conditions), tuple(t.interventions))
                      for t in trials]  # fmt: skip
            parsed = parse_texts([t.eligibility_text for t in trials], fields)
            return [[c.to_stored() for c in criteria] for criteria in parsed]

        for start in range(0, len(stale), BATCH):
            batch = stale[start : start + BATCH]
            stored: list[list[list[Any]]] = []
            try:
                stored = parse(batch)
            except Exception:  # noqa: BLE001  (one text failed: find it by parsing the batch's texts one by one)
                stored = []
                for trial in batch:
                    try:
                        stored.extend(parse([trial]))
                    except Exception as exc:  # noqa: BLE001  (registry text: any parser failure sets it aside)
                        why = f"parse failed: {type(exc).__name__}: {str(exc)[:ERROR_CHARS]}"
                        _set_aside(session, trial, version, why, now(), run_id, result)
                        stored.append([])
            for trial, criteria in zip(batch, stored, strict=True):
                if trial.nct_id in result.set_aside:
                    continue
                store.save_criteria(session, trial, version, criteria, now())
                result.parsed.append(trial.nct_id)
            session.commit()
            if progress:
                progress(len(result.parsed))
    return result


def _set_aside(session: Session, trial: TrialRow, version: str, why: str, now: datetime, run_id: int | None,
               result: ParseResult) -> None:  # fmt: skip
    monitor_store.quarantine(session, trial.nct_id, "parse", why, now, content_hash=trial.content_hash,
                             parser_version=version, run_id=run_id)  # fmt: skip
    result.set_aside[trial.nct_id] = why
    logger.warning("%s set aside (quarantined, not matched): %s", trial.nct_id, why)
