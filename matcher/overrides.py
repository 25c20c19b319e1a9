"""Reviewers' corrections of a criterion's reading ("this reading is wrong"), applied wherever results are made.

An override is keyed by the trial and the SHA-256 of the criterion's text, so it survives re-parsing while the
text is unchanged. It says "unknown for every patient" (the reading is wrong), or, for one patient, satisfied,
violated or unknown. When the trial's current criteria no longer contain that text (the registry text changed),
the override is dropped: kept in the table with when and why, listed by `matcher overrides list --all`, logged
by trial and override id (never the note, which may speak of a patient).

    apply_overrides(match, overrides, evaluator) -> TrialMatch   # the one place overrides change an answer
    active_overrides(session, now) -> {nct_id: [Override]}        # drops the stale ones first
    add_override(...), rematch_pairs(...)                         # the review desk's "flag a reading"

`matcher match`, `matcher explain`, the nightly job (hence the digests) and the review desk's pages all pass their
results through `apply_overrides`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import msgspec
from sqlmodel import Session, col, select

from matcher import store
from matcher.config import Settings
from matcher.eligibility import parser_version
from matcher.eligibility.criteria import one_line, shortened
from matcher.errors import MatcherError
from matcher.matching.evaluate import Answer, Evaluator, Outcome, PreparedTrial, TrialMatch
from matcher.tables import CriterionOverrideRow, MatchRow

logger = logging.getLogger(__name__)
OUTCOMES = (Outcome.SATISFIED, Outcome.VIOLATED, Outcome.UNKNOWN)
RULE = "override"  # the "rule" an overridden answer names


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Override:
    id: int
    nct_id: str
    text_hash: str
    patient_id: str | None  # None: for every patient
    outcome: Outcome
    note: str
    who: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: CriterionOverrideRow) -> Override:
        assert row.id is not None
        return cls(row.id, row.nct_id, row.text_hash, row.patient_id, Outcome(row.outcome), row.note, row.who,
                   row.created_at)  # fmt: skip

    def answer(self, text: str) -> Answer:
        whom = "for every patient" if self.patient_id is None else "for this patient"
        note = f": {self.note}" if self.note else ""
        reason = f"set {whom} by a reviewer ({self.who}, {self.created_at:%Y-%m-%d}, override {self.id}){note}"
        missing = (f"check: {shortened(one_line(text), 80)}",) if self.outcome is Outcome.UNKNOWN else ()
        return Answer(self.outcome, reason, (), missing, None, (RULE,))


def apply_overrides(match: TrialMatch, overrides: Sequence[Override], evaluator: Evaluator) -> TrialMatch:
    """The match with the overrides of its trial applied: each overridden criterion takes the override's answer
    (a patient's own override wins over one for every patient; an overridden parent no longer combines its
    sub-items), and the verdict, score and deciding criteria follow. Returns ``match`` itself when none applies.

    ``evaluator`` must be the one (patient, day) the match was made with: the trial is evaluated again through it,
    reusing its answers, so the result is exactly what matching gives with those answers.
    """
    patient_id = evaluator.patient.id
    mine = [o for o in overrides if o.nct_id == match.trial.nct_id and o.patient_id in (None, patient_id)]
    if not mine:
        return match
    chosen: dict[str, Override] = {}
    for o in sorted(mine, key=lambda o: (o.patient_id is not None, o.created_at, o.id)):  # the patient's win
        chosen[o.text_hash] = o
    prepared = match.prepared
    hits = {i: chosen[h] for i, c in enumerate(prepared.criteria_stored) if (h := text_hash(c.text)) in chosen}
    if not hits:
        return match
    return evaluator.match(_overridden(prepared, hits))


def _overridden(prepared: PreparedTrial, hits: dict[int, Override]) -> PreparedTrial:
    fixed = list(prepared.fixed)
    for i, o in hits.items():
        fixed[i] = o.answer(prepared.criteria_stored[i].text)
    return msgspec.structs.replace(
        prepared,
        fixed=tuple(fixed),
        asked=tuple(q for q in prepared.asked if q.position not in hits),
        children=tuple(c for c in prepared.children if c.position not in hits),
    )


# --- storage -------------------------------------------------------------------------------------------------


def active_overrides(session: Session, now: datetime) -> dict[str, list[Override]]:
    """The overrides in force, by NCT id, after dropping those whose criterion text is gone (committed)."""
    dropped = drop_stale(session, now)
    if dropped:
        session.commit()
    query = select(CriterionOverrideRow).where(col(CriterionOverrideRow.dropped_at).is_(None))
    found: dict[str, list[Override]] = {}
    for row in session.exec(query.order_by(col(CriterionOverrideRow.id))):
        found.setdefault(row.nct_id, []).append(Override.from_row(row))
    return found


def drop_stale(session: Session, now: datetime) -> list[CriterionOverrideRow]:
    """Mark dropped every override whose trial's current criteria no longer contain its text (the caller commits).
    Only a parse of the trial's current content counts: a trial not yet re-parsed keeps its overrides until it is."""
    query = select(CriterionOverrideRow).where(col(CriterionOverrideRow.dropped_at).is_(None))
    rows = list(session.exec(query))
    if not rows:
        return []
    parses = store.stored_criteria(session, sorted({r.nct_id for r in rows}))
    hashes = store.trial_hashes(session)
    dropped = []
    for row in rows:
        parse = parses.get(row.nct_id)
        if parse is None or parse.content_hash != hashes.get(row.nct_id):
            continue
        texts = {text_hash(c[2]) for c in parse.criteria}
        if row.text_hash not in texts:
            row.dropped_at = now
            row.dropped_reason = "the registry text of this criterion changed: it is no longer in the trial's criteria"
            session.add(row)
            dropped.append(row)
            logger.warning("override %s of %s dropped: the criterion's registry text changed", row.id, row.nct_id)
    return dropped


def add_override(session: Session, nct_id: str, criterion_text: str, patient_id: str | None, outcome: str,
                 note: str, who: str, now: datetime) -> CriterionOverrideRow:  # fmt: skip
    """Store an override (the caller commits); one for the same criterion and patient (or every patient) is
    replaced, and kept as dropped."""
    if outcome not in {o.value for o in OUTCOMES}:
        raise MatcherError(f"an override sets satisfied, violated or unknown, not {outcome!r}")
    if patient_id is None and outcome != Outcome.UNKNOWN.value:
        raise MatcherError("an override for every patient can only say 'unknown' (the reading is wrong)")
    digest = text_hash(criterion_text)
    query = select(CriterionOverrideRow).where(
        CriterionOverrideRow.nct_id == nct_id,
        CriterionOverrideRow.text_hash == digest,
        col(CriterionOverrideRow.dropped_at).is_(None),
    )
    row = CriterionOverrideRow(nct_id=nct_id, text_hash=digest, criterion_text=criterion_text, patient_id=patient_id,
                               outcome=outcome, note=note, who=who, created_at=now)  # fmt: skip
    session.add(row)
    session.flush()
    for old in session.exec(query):
        if old.patient_id == patient_id and old.id != row.id:
            old.dropped_at, old.dropped_reason = now, f"replaced by override {row.id}"
            session.add(old)
    return row


def list_overrides(session: Session, include_dropped: bool = False) -> list[CriterionOverrideRow]:
    query = select(CriterionOverrideRow)
    if not include_dropped:
        query = query.where(col(CriterionOverrideRow.dropped_at).is_(None))
    return list(session.exec(query.order_by(col(CriterionOverrideRow.id))).all())


def rematch_pairs(session: Session, nct_id: str, patient_id: str | None, settings: Settings, now: datetime) -> int:
    """Evaluate again the stored matches of one trial (for one patient, or all) with the overrides in force, store
    them and record their news as the nightly job would (committed). Returns how many pairs were evaluated."""
    from matcher.matching import prepare_row
    from matcher.rematch import rematch_and_store  # it uses apply_overrides: imported here, not at module level

    trial = next(iter(store.current_criteria(session, parser_version(), nct_ids=[nct_id])), None)
    if trial is None:
        return 0
    prepared = prepare_row(trial, trial.criteria, {nct_id: store.trial_sites(session, nct_id)})
    query = select(MatchRow.patient_id).where(MatchRow.nct_id == nct_id)
    if patient_id is not None:
        query = query.where(MatchRow.patient_id == patient_id)
    evaluated = 0
    for matched in list(session.exec(query.order_by(col(MatchRow.patient_id)))):
        patient_row = store.get_patient(session, matched)
        if patient_row is not None:
            evaluated += rematch_and_store(session, None, patient_row, [prepared], settings, now)
    return evaluated
