"""The collect-next list: what data to get for a patient, ranked by how many of the patient's trials it would settle.

    collect_next(matches) -> [CollectItem, ...]           from matches already computed (`matcher match`)
    patient_collect_next(session, patient, on) -> [...]     everything in one call (the web desk)

An item is a profile field a coordinator can fill in ("QTcF", "BRAF status"), as the matcher names it in a trial's
`missing`; criterion text the parser could not read is never an item (it stays an unknown criterion). Only
``possible`` trials count: data cannot turn a violated criterion around, and an eligible trial needs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import msgspec

from matcher.config import DEFAULT_RADIUS_KM
from matcher.matching import Filters, TrialMatch, Verdict, match_stored
from matcher.matching.evaluate import Outcome
from matcher.patient import Patient

if TYPE_CHECKING:
    from sqlmodel import Session  # for annotations: reading the list needs no ORM


class CollectItem(msgspec.Struct, frozen=True):
    item: str
    trials: tuple[str, ...]  # the possible trials with an unknown criterion that needs it
    settles: tuple[str, ...]  # those it would decide on its own: it is all they lack

    def to_json(self) -> dict[str, Any]:
        return {"item": self.item, "trials": list(self.trials), "count": len(self.trials),
                "settles_alone": list(self.settles)}  # fmt: skip

    def line(self) -> str:
        alone = f"; decides {len(self.settles)} on its own" if self.settles else ""
        return f"{self.item}: needed by {len(self.trials)} trial(s) ({', '.join(self.trials)}){alone}"


def _data_decidable(match: TrialMatch) -> bool:
    """Every unknown top-level criterion names data that would answer it (none is unreadable text)."""
    top = match.prepared.top
    return all(p.missing for i in top if (p := match.parts[i]).outcome is Outcome.UNKNOWN)


def collect_next(matches: Sequence[TrialMatch]) -> list[CollectItem]:
    """The missing items across the patient's possible trials, most trials first (then most decided on their
    own, then by name)."""
    needed: dict[str, list[str]] = {}
    alone: dict[str, list[str]] = {}
    for match in matches:
        if match.verdict is not Verdict.POSSIBLE:
            continue
        for item in match.missing:
            needed.setdefault(item, []).append(match.trial.nct_id)
        if len(match.missing) == 1 and _data_decidable(match):
            alone.setdefault(match.missing[0], []).append(match.trial.nct_id)
    items = [CollectItem(item, tuple(trials), tuple(alone.get(item, ()))) for item, trials in needed.items()]
    return sorted(items, key=lambda i: (-len(i.trials), -len(i.settles), i.item.lower()))


def patient_collect_next(
    session: Session, patient: Patient, on: date, filters: Filters | None = None,
    default_radius_km: float = DEFAULT_RADIUS_KM,
) -> list[CollectItem]:  # fmt: skip
    """A patient's collect-next list against the stored trials (default filters: every status)."""
    return collect_next(match_stored(session, patient, on, filters or Filters(), default_radius_km))
