"""Keep every stored trial's parsed criteria current: parse what is missing or stale, nothing else.

A parse is keyed by the trial's content hash and the parser version, so a trial is parsed again only when its
text (or status, sites, arms) or the parser changes. `matcher match` then reads criteria from the database
and never loads spaCy.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from matcher import store
from matcher.db import session as open_session
from matcher.eligibility import parser_version

BATCH = 200


def parse_stale(
    engine: Engine, now: Callable[[], datetime], progress: Callable[[int], None] | None = None
) -> list[str]:
    """Parse every trial whose stored criteria are missing or stale; returns the NCT ids parsed."""
    version = parser_version()
    parsed: list[str] = []
    with open_session(engine) as session:
        stale = store.stale_criteria(session, version)
        if not stale:
            return parsed
        from matcher.eligibility.parser import StructuredFields, parse_texts  # spaCy only when there is work

        for start in range(0, len(stale), BATCH):
            batch = stale[start : start + BATCH]
            fields = [StructuredFields(t.minimum_age, t.maximum_age, t.sex) for t in batch]
            results = parse_texts([t.eligibility_text for t in batch], fields)
            for trial, criteria in zip(batch, results, strict=True):
                store.save_criteria(session, trial, version, [c.to_stored() for c in criteria], now())
                parsed.append(trial.nct_id)
            session.commit()
            if progress:
                progress(len(parsed))
    return parsed
