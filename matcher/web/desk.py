"""What the review desk's pages show, read from the same tables as the CLI (no HTML here).

queue(session, user, filters, settings, now) -> Queue
patient_page / match_page / trial_page / runs_page
record_views(session, user, patient_ids, page, nct_id, now)    # the access log
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from matcher import monitor_store, store
from matcher.collect import CollectItem, patient_collect_next
from matcher.config import ENROLLING_STATUSES, Settings
from matcher.eligibility import parser_version
from matcher.eligibility.criteria import Criterion
from matcher.eligibility.kinds.rai_refractory import status as rai_status
from matcher.errors import PatientFileError
from matcher.knowledge_base import load_knowledge
from matcher.matching import Filters, prepare_row
from matcher.matching.evaluate import CriterionResult, Evaluator, TrialMatch
from matcher.models import Site
from matcher.overrides import active_overrides, apply_overrides, list_overrides, text_hash
from matcher.patient import Patient, parse_patient
from matcher.rematch import site_text
from matcher.tables import (
    AccessLogRow,
    CriterionOverrideRow,
    MatchEventRow,
    MatchRow,
    PatientRow,
    ReviewRow,
    TrialRow,
    WebUserRow,
)
from matcher.web.auth import User, aware

VERDICTS = ("eligible", "possible", "ineligible")
OPEN_REVIEW = ("new", "reviewing", "contacted")  # needing attention; enrolled, not eligible, dismissed are done
REVIEW_FILTERS = ("open", "any", *monitor_store.REVIEW_STATUSES)
VERDICT_FILTERS = ("eligible+possible", "any", *VERDICTS)
STATUS_FILTERS = ("enrolling", "any")


def record_views(session: Session, user: User, patient_ids: Iterable[str], page: str, nct_id: str | None,
                 now: datetime) -> None:  # fmt: skip
    """One access-log row per patient shown (committed)."""
    for patient_id in dict.fromkeys(patient_ids):
        session.add(AccessLogRow(at=now, who=user.email, patient_id=patient_id, page=page, nct_id=nct_id))
    session.commit()


def audit(session: Session, patient_id: str | None, who: str | None, since: date | None) -> list[AccessLogRow]:
    query = select(AccessLogRow)
    if patient_id:
        query = query.where(AccessLogRow.patient_id == patient_id)
    if who:
        query = query.where(AccessLogRow.who == who.strip().lower())
    if since:
        query = query.where(col(AccessLogRow.at) >= datetime(since.year, since.month, since.day, tzinfo=UTC))
    return list(session.exec(query.order_by(col(AccessLogRow.id))).all())


# --- the queue -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    verdict: str = "eligible+possible"
    status: str = "enrolling"
    review: str = "open"

    @classmethod
    def read(cls, params: dict[str, str]) -> QueueFilters:
        """From query parameters; an unknown value is the default (a bookmark from another version still opens)."""

        def pick(name: str, allowed: Sequence[str], default: str) -> str:
            value = params.get(name, default)
            return value if value in allowed else default

        return cls(pick("verdict", VERDICT_FILTERS, cls.verdict), pick("status", STATUS_FILTERS, cls.status),
                   pick("review", REVIEW_FILTERS, cls.review))  # fmt: skip


@dataclass(frozen=True)
class QueueRow:
    patient_id: str
    nct_id: str
    title: str
    overall_status: str
    verdict: str
    score: float
    review: str
    deciding: tuple[str, ...]
    site: str | None
    fresh: bool  # changed since the user last looked at the queue
    changed_since_review: bool


@dataclass
class Queue:
    groups: list[tuple[str, list[QueueRow]]]
    counts: dict[str, int]  # by verdict, of the rows shown
    total: int
    since: datetime | None
    patients: list[str] = field(default_factory=list)


def queue(session: Session, user: User, filters: QueueFilters, settings: Settings, now: datetime) -> Queue:
    """The user's matches needing attention, grouped by review status (in the workflow's order), eligible first then
    by score. What decides each (or what is missing) and the nearest site are computed now, for the rows shown."""
    query = sa_select(  # type: ignore[call-overload]
        MatchRow.patient_id,
        MatchRow.nct_id,
        MatchRow.verdict,
        MatchRow.score,
        MatchRow.overall_status,
        MatchRow.updated_at,
        TrialRow.brief_title,
        ReviewRow.status,
        ReviewRow.verdict_at_review,
    ).join(PatientRow, col(PatientRow.id) == col(MatchRow.patient_id))
    query = query.join(TrialRow, col(TrialRow.nct_id) == col(MatchRow.nct_id))
    query = query.outerjoin(
        ReviewRow,
        (col(ReviewRow.patient_id) == col(MatchRow.patient_id)) & (col(ReviewRow.nct_id) == col(MatchRow.nct_id)),
    )
    if not user.admin:
        query = query.where(func.lower(col(PatientRow.coordinator)) == user.email)
    if filters.verdict == "eligible+possible":
        query = query.where(col(MatchRow.verdict).in_(["eligible", "possible"]))
    elif filters.verdict != "any":
        query = query.where(MatchRow.verdict == filters.verdict)
    if filters.status == "enrolling":
        query = query.where(col(MatchRow.overall_status).in_(ENROLLING_STATUSES))
    me = session.get(WebUserRow, user.email)
    since = aware(me.last_queue_at) if me and me.last_queue_at else None
    shown = []
    for found in session.connection().execute(query):
        current = found.status or "new"
        if filters.review == "open" and current not in OPEN_REVIEW:
            continue
        if filters.review not in ("open", "any") and current != filters.review:
            continue
        shown.append(found)
    explained = explain_pairs(session, [(f.patient_id, f.nct_id) for f in shown], settings, now)
    rows: list[QueueRow] = []
    for pid, nct, verdict, score, status, updated, title, review, at_review in shown:
        match = explained.get((pid, nct))
        deciding = (match.deciding if verdict == "ineligible" else match.missing) if match else ()
        rows.append(QueueRow(pid, nct, title, status, verdict, score, review or "new", deciding[:3],
                             site_text(match) if match else None, since is None or aware(updated) > since,
                             review is not None and at_review is not None and at_review != verdict))  # fmt: skip
    order = {s: i for i, s in enumerate(monitor_store.REVIEW_STATUSES)}
    verdict_order = {v: i for i, v in enumerate(VERDICTS)}
    rows.sort(
        key=lambda r: (order.get(r.review, 99), verdict_order.get(r.verdict, 9), -r.score, r.patient_id, r.nct_id)
    )
    groups: dict[str, list[QueueRow]] = {}
    for row in rows:
        groups.setdefault(row.review, []).append(row)
    if me is not None:
        me.last_queue_at = now
        session.add(me)
        session.commit()
    return Queue(list(groups.items()), dict(Counter(r.verdict for r in rows)), len(rows), since,
                 sorted({r.patient_id for r in rows}))  # fmt: skip


# --- the patient page ----------------------------------------------------------------------------------------


@dataclass
class PatientPage:
    row: PatientRow
    summary: list[tuple[str, str]]
    by_verdict: list[tuple[str, list[MatchRow]]]
    titles: dict[str, str]
    collect: list[CollectItem]
    reviews: dict[str, str]
    problem: str | None = None


def patient_summary(patient: Patient, today: date) -> list[tuple[str, str]]:
    p = patient
    age = p.age_on(today)
    d, disease = p.diagnosis, p.disease
    histology = d.histology.value if d and d.histology else "not given"
    histology += f" ({d.variant})" if d and d.variant else ""
    rai = rai_status(p)
    rai_text = "not known" if rai.has is None else rai.reason
    markers = [f"{b.gene} {b.alteration or ''} {b.result.value}".replace("  ", " ") for b in p.biomarkers]
    lines = [
        f"{t.name}{f' ({t.kind.value})' if t.kind else ''}, {t.start or '?'} to {t.end or 'now'}"
        for t in (p.therapies or ())
        if t.kind is None or t.kind.value not in ("surgery", "radioiodine")
    ]
    return [
        ("Age", "not given" if age is None else f"{age} years"),
        ("Sex", p.sex.value if p.sex else "not given"),
        ("Histology", histology),
        ("Radioiodine-refractory", rai_text),
        ("Biomarkers", "; ".join(markers) or "none tested"),
        ("Therapy lines", "; ".join(lines) or ("unknown" if p.therapies is None else "none")),
        ("Last progression", str(disease.progression_date) if disease and disease.progression_date else "not given"),
    ]


def patient_page(session: Session, row: PatientRow, settings: Settings, now: datetime) -> PatientPage:
    """The patient's stored matches by verdict, and what to collect next, worked out now against the enrolling
    trials."""
    matches = list(session.exec(select(MatchRow).where(MatchRow.patient_id == row.id)).all())
    titles_of = sa_select(TrialRow.nct_id, TrialRow.brief_title).where(  # type: ignore[call-overload]
        col(TrialRow.nct_id).in_([m.nct_id for m in matches])
    )
    titles = {nct_id: title for nct_id, title in session.connection().execute(titles_of)}
    reviews = {r.nct_id: r.status for r in session.exec(select(ReviewRow).where(ReviewRow.patient_id == row.id)).all()}
    groups = []
    for verdict in VERDICTS:
        found = sorted((m for m in matches if m.verdict == verdict), key=lambda m: (-m.score, m.nct_id))
        if found:
            groups.append((verdict, found))
    enrolling = Filters(statuses=ENROLLING_STATUSES)
    try:
        patient = parse_patient(row.profile, source=f"stored patient {row.id}").patient
        summary = patient_summary(patient, now.date())
        collect = patient_collect_next(session, patient, now.date(), enrolling, settings.default_radius_km)
        problem = None
    except Exception as exc:  # noqa: BLE001  (a stored profile that no longer validates: say so, show the rest)
        summary, collect = [], []
        problem = f"the stored profile does not validate ({type(exc).__name__}); re-add it"
    return PatientPage(row, summary, groups, titles, collect, reviews, problem)


# --- the match page ------------------------------------------------------------------------------------------


@dataclass
class SiteView:
    site: Site
    contacts: list[str]


@dataclass
class MatchPage:
    patient: PatientRow
    trial: TrialRow
    match: TrialMatch | None
    results: list[tuple[CriterionResult, str]]  # each with its text hash (what a flag is keyed by)
    sponsor: str | None
    sites: list[SiteView]
    review: ReviewRow | None
    history: list[tuple[datetime, str, str]]  # when, what, note
    overrides: list[CriterionOverrideRow]
    problem: str | None = None


def _contacts(raw: dict[str, Any]) -> list[list[str]]:
    locations = raw.get("protocolSection", {}).get("contactsLocationsModule", {}).get("locations", []) or []
    found = []
    for loc in locations:
        people = []
        for c in (loc.get("contacts") or []) if isinstance(loc, dict) else []:
            if isinstance(c, dict):
                parts = [str(c[k]) for k in ("name", "phone", "email") if c.get(k)]
                people.append(", ".join(parts))
        found.append(people)
    return found


def _sponsor(raw: dict[str, Any]) -> str | None:
    lead = raw.get("protocolSection", {}).get("sponsorCollaboratorsModule", {}).get("leadSponsor", {})
    name = lead.get("name") if isinstance(lead, dict) else None
    return str(name) if name else None


def trial_sites(session: Session, trial: TrialRow) -> list[SiteView]:
    contacts = _contacts(trial.raw)
    sites = store.trial_sites(session, trial.nct_id)
    return [SiteView(s, contacts[i] if i < len(contacts) else []) for i, s in enumerate(sites)]


def evaluate_pair(session: Session, patient: Patient, nct_id: str, settings: Settings, now: datetime,
                  ) -> TrialMatch | None:  # fmt: skip
    """The pair's explanation, computed now from the trial's current parse, with the overrides in force."""
    trial = next(iter(store.current_criteria(session, parser_version(), nct_ids=[nct_id])), None)
    if trial is None:
        return None
    prepared = prepare_row(trial, trial.criteria, {nct_id: store.trial_sites(session, nct_id)})
    evaluator = Evaluator(patient, now.date(), load_knowledge(), settings.default_radius_km)
    return apply_overrides(evaluator.match(prepared), active_overrides(session, now).get(nct_id, []), evaluator)


def explain_pairs(session: Session, pairs: Sequence[tuple[str, str]], settings: Settings, now: datetime,
                  ) -> dict[tuple[str, str], TrialMatch]:  # fmt: skip
    """The explanations of these (patient id, NCT id) pairs, computed now (one evaluator a patient, each trial
    prepared once), with the overrides in force. A pair that cannot be explained (a profile that no longer
    validates, a trial not parsed for its current content) is left out: its page says why."""
    wanted = sorted({nct_id for _, nct_id in pairs})
    if not wanted:
        return {}
    sites = store.sites_by_trial(session, nct_ids=wanted)
    plans = {t.nct_id: prepare_row(t, t.criteria, sites)
             for t in store.current_criteria(session, parser_version(), nct_ids=wanted)}  # fmt: skip
    overriding = active_overrides(session, now)
    kb = load_knowledge()
    found: dict[tuple[str, str], TrialMatch] = {}
    for patient_id in sorted({p for p, _ in pairs}):
        row = store.get_patient(session, patient_id)
        try:
            patient = parse_patient(row.profile, source=f"stored patient {patient_id}").patient if row else None
        except PatientFileError:
            continue
        if patient is None:
            continue
        evaluator = Evaluator(patient, now.date(), kb, settings.default_radius_km)
        for pid, nct_id in pairs:
            if pid == patient_id and nct_id in plans:
                match = evaluator.match(plans[nct_id])
                found[(pid, nct_id)] = apply_overrides(match, overriding.get(nct_id, []), evaluator)
    return found


def match_page(session: Session, row: PatientRow, trial: TrialRow, settings: Settings, now: datetime) -> MatchPage:
    problem = None
    match = None
    try:
        patient = parse_patient(row.profile, source=f"stored patient {row.id}").patient
        match = evaluate_pair(session, patient, trial.nct_id, settings, now)
        if match is None:
            problem = "this trial's criteria are not parsed yet (run `matcher nightly` or `matcher fetch`)"
    except Exception as exc:  # noqa: BLE001  (say what failed, by kind only: the profile may be quoted otherwise)
        problem = f"this pair cannot be evaluated ({type(exc).__name__}); see `matcher runs`"
    results = [(r, text_hash(r.criterion.text)) for r in match.results] if match else []
    history: list[tuple[datetime, str, str]] = []
    events = select(MatchEventRow).where(MatchEventRow.patient_id == row.id, MatchEventRow.nct_id == trial.nct_id)
    for e in session.exec(events.order_by(col(MatchEventRow.id))):
        before = (e.before or {}).get("verdict")
        after = e.after.get("verdict")
        what = {
            "new_match": f"new match: {after}",
            "verdict_change": f"verdict {before} → {after}",
            "status_change": f"trial status {(e.before or {}).get('overall_status')} → {e.after.get('overall_status')}",
            "site_opened": f"a site opened near the patient: {e.after.get('site')}",
        }.get(e.kind, e.kind)
        history.append((aware(e.created_at), what, ""))
    for r in monitor_store.review_history(session, row.id, trial.nct_id):
        history.append((aware(r.at), f"review {r.previous_status or 'new'} → {r.status} by {r.who}", r.note or ""))
    overrides = [o for o in list_overrides(session, include_dropped=True)
                 if o.nct_id == trial.nct_id and o.patient_id in (None, row.id)]  # fmt: skip
    for o in overrides:
        whom = "every patient" if o.patient_id is None else "this patient"
        history.append((aware(o.created_at), f"reading flagged by {o.who}: {o.outcome} for {whom}", o.note))
    history.sort(key=lambda h: h[0])
    return MatchPage(row, trial, match, results, _sponsor(trial.raw), trial_sites(session, trial),
                     session.get(ReviewRow, (row.id, trial.nct_id)), history, overrides, problem)  # fmt: skip


# --- the trial and runs pages --------------------------------------------------------------------------------


@dataclass
class TrialPage:
    trial: TrialRow
    criteria: list[Criterion]
    parsed_at: datetime | None
    sponsor: str | None
    sites: list[SiteView]
    overrides: list[CriterionOverrideRow]
    changes: list[tuple[datetime, str]]


def trial_page(session: Session, trial: TrialRow) -> TrialPage:
    parse = store.stored_criteria(session, [trial.nct_id]).get(trial.nct_id)
    criteria = [Criterion.from_stored(c) for c in parse.criteria] if parse else []
    overrides = [o for o in list_overrides(session, include_dropped=True) if o.nct_id == trial.nct_id]
    changes = [(aware(trial.first_seen_at), "first fetched")]
    if trial.updated_at != trial.first_seen_at:
        changes.append((aware(trial.updated_at), "registry record changed (last stored version)"))
    statuses = select(MatchEventRow).where(MatchEventRow.nct_id == trial.nct_id, MatchEventRow.kind == "status_change")
    seen = set()
    for e in session.exec(statuses.order_by(col(MatchEventRow.id))):
        what = f"status {(e.before or {}).get('overall_status')} → {e.after.get('overall_status')}"
        if (e.run_id, what) not in seen:
            seen.add((e.run_id, what))
            changes.append((aware(e.created_at), what))
    for o in overrides:
        if o.dropped_at is not None and o.dropped_reason and not o.dropped_reason.startswith("replaced"):
            changes.append((aware(o.dropped_at), f"override {o.id} dropped: {o.dropped_reason}"))
    changes.sort(key=lambda c: c[0])
    return TrialPage(trial, criteria, parse.parsed_at if parse else None, _sponsor(trial.raw),
                     trial_sites(session, trial), overrides, changes)  # fmt: skip


def runs_page(session: Session) -> tuple[list[Any], list[Any]]:
    return monitor_store.list_nightly(session, 50), store.list_runs(session, 50)
