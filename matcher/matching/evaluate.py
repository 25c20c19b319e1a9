"""From findings to outcomes, criteria, verdicts and scores: the answer a coordinator acts on.

Outcome of a fact: REQUIRE + present -> satisfied, EXCLUDE + present -> violated, unknown stays unknown.
A criterion's facts must all hold (an exclusion applies when any of its facts applies); lab facts joined by
"or" are alternatives. A parent whose sub-items are alternatives ("at least one of the following") is
satisfied by any one of them. The verdict reads only top-level criteria: ineligible if one is violated,
possible if one is unknown, else eligible (../shared/contracts/match-output.md).
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import msgspec

from matcher.config import DEFAULT_RADIUS_KM, ENROLLING_STATUSES
from matcher.eligibility.criteria import (
    Criterion,
    Fact,
    FactKind,
    Polarity,
    StoredCriterion,
    StoredFact,
    asks,
    decode_stored,
    fact_keys,
    facts_key,
    one_line,
    requires_biomarker,
    shortened,
)
from matcher.eligibility.kinds import KINDS, Finding
from matcher.eligibility.kinds.base import compare
from matcher.eligibility.kinds.conditions import is_over
from matcher.eligibility.kinds.primary_site import PrimarySiteValues, cancer_named, site_named
from matcher.eligibility.scope import NOTE, PERMISSION, RECOMMENDATION, Condition, Scope
from matcher.knowledge_base import KnowledgeBase
from matcher.models import Site
from matcher.patient import Condition as ConditionOnFile
from matcher.patient import Patient

ENROLLING_SITE = frozenset(ENROLLING_STATUSES)  # a site's status uses the trial status values
# Criteria under a heading like "Inclusion criteria for OOL Lenvatinib Treatment Period" decide a later phase.
_LATER_PHASE = re.compile(
    r"\b(?:period|extension|open[- ]label|crossover|cross-over|re-?treatment|continuation|OOL|"
    r"phase\s+(?:2|II|3|III))\b",
    re.IGNORECASE,
)


class Outcome(StrEnum):
    SATISFIED = "satisfied"
    VIOLATED = "violated"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    POSSIBLE = "possible"
    INELIGIBLE = "ineligible"


VERDICT_ORDER = {Verdict.ELIGIBLE: 0, Verdict.POSSIBLE: 1, Verdict.INELIGIBLE: 2}


class TrialInfo(msgspec.Struct, frozen=True):
    nct_id: str
    title: str
    overall_status: str
    phases: tuple[str, ...]
    sites: tuple[Site, ...] = ()


class Answer(NamedTuple):
    """One criterion's answer for one patient: what `CriterionResult` shows, computed before it is needed."""

    outcome: Outcome
    reason: str
    evidence: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    eligible_from: date | None = None
    rules: tuple[str, ...] = ()


class CriterionResult(msgspec.Struct, frozen=True):
    criterion: Criterion
    outcome: Outcome
    reason: str
    evidence: tuple[str, ...]
    missing: tuple[str, ...] = ()
    eligible_from: date | None = None
    rules: tuple[str, ...] = ()


class NearestSite(msgspec.Struct, frozen=True):
    site: Site
    distance_km: float

    def to_json(self) -> dict[str, Any]:
        return {
            "facility": self.site.facility,
            "city": self.site.city,
            "country": self.site.country,
            "status": self.site.status,
            "distance_km": round(self.distance_km, 1),
            **({"contacts": [c.to_json() for c in self.site.contacts]} if self.site.contacts else {}),
        }


class TrialMatch(msgspec.Struct, frozen=True, dict=True):
    """A trial's verdict for a patient; the per-criterion results are built when first asked for (a struct with a
    ``__dict__`` for its cached properties: one is made for each trial matched, without a Python-level ``__init__``)."""

    prepared: PreparedTrial
    verdict: Verdict
    score: float
    outcomes: Sequence[Answer]  # each criterion's answer; a parent's reason is assembled when `parts` is read
    eligible_from: date | None
    nearest_site: NearestSite | None

    @property
    def trial(self) -> TrialInfo:
        return self.prepared.info

    @property
    def criteria(self) -> Sequence[Criterion]:
        return self.prepared.criteria

    @cached_property
    def parts(self) -> Sequence[Answer]:
        """Each criterion's answer with its reason, evidence and missing items (see `_explain_parents`)."""
        return _explain_parents(self.prepared, self.outcomes)

    @cached_property
    def results(self) -> tuple[CriterionResult, ...]:
        return tuple(CriterionResult(c, *p) for c, p in zip(self.criteria, self.parts, strict=True))

    @cached_property
    def deciding(self) -> tuple[str, ...]:
        """The top-level criteria that decide the verdict: the violated ones, else the unknown ones."""
        if self.verdict is Verdict.ELIGIBLE:
            return ()
        deciding = Outcome.VIOLATED if self.verdict is Verdict.INELIGIBLE else Outcome.UNKNOWN
        shown = self.prepared.shown  # `Criterion.short_text`, without decoding every criterion
        top = self.prepared.top
        return tuple(shortened(one_line(shown[i].text), 70) for i in top if self.outcomes[i].outcome is deciding)

    @cached_property
    def missing(self) -> tuple[str, ...]:
        """What the profile lacks to answer the unknown top-level criteria, in clinical words."""
        unknown = (p for i in self.prepared.top if (p := self.parts[i]).outcome is Outcome.UNKNOWN)
        return tuple(dict.fromkeys(m for p in unknown for m in p.missing))

    def to_json(self) -> dict[str, Any]:
        """The output contract's entry. Verdicts and outcomes are string enums: a JSON encoder writes them as their
        values, so the members go in as they are (reading ``.value`` runs Python code, for each of some 20,000
        criteria when hundreds of trials are listed)."""
        data: dict[str, Any] = {
            "nct_id": self.trial.nct_id,
            "title": self.trial.title,
            "overall_status": self.trial.overall_status,
            "phases": list(self.trial.phases),
            "verdict": self.verdict,
            "score": self.score,
            "criteria": [  # from the stored form: the output lists every criterion of hundreds of trials
                {
                    "section": c.section,
                    "text": c.text,
                    "outcome": p.outcome,
                    "reason": p.reason,
                    "evidence": list(p.evidence),
                }
                for c, p in zip(self.prepared.shown, self.parts, strict=True)
            ],
            "missing": list(self.missing),
        }
        if self.eligible_from is not None:
            data["eligible_from"] = self.eligible_from.isoformat()
        if self.nearest_site is not None:
            data["nearest_site"] = self.nearest_site.to_json()
        return data


def _all(outcomes: list[Outcome]) -> Outcome:
    if Outcome.VIOLATED in outcomes:
        return Outcome.VIOLATED
    if Outcome.UNKNOWN in outcomes:
        return Outcome.UNKNOWN
    if outcomes and outcomes.count(Outcome.NOT_APPLICABLE) == len(outcomes):
        return Outcome.NOT_APPLICABLE
    return Outcome.SATISFIED


def _any(outcomes: list[Outcome]) -> Outcome:
    if Outcome.SATISFIED in outcomes:
        return Outcome.SATISFIED
    if Outcome.UNKNOWN in outcomes or not outcomes:
        return Outcome.UNKNOWN
    if outcomes.count(Outcome.NOT_APPLICABLE) == len(outcomes):
        return Outcome.NOT_APPLICABLE
    return Outcome.VIOLATED


class Evaluator:
    """Evaluates criteria for one patient on one day, remembering the answer to each distinct question.

    Trials ask the same things again and again (age >= 18, ECOG 0-1, ANC >= 1.5 x 10^9/L): a fact's answer
    depends only on the fact and the patient, so it is computed once per patient and reused.
    """

    def __init__(
        self, patient: Patient, on: date, kb: KnowledgeBase, default_radius_km: float = DEFAULT_RADIUS_KM
    ) -> None:
        self.patient, self.on, self.kb = patient, on, kb
        self._findings: dict[str, Finding] = {}
        self._criteria: dict[str, Answer] = {}
        self._cancers_on_file: dict[tuple[str, ...], ConditionOnFile | None] = {}  # `_on_file`, by the trial's sites
        location = patient.location  # the patient's travel radius: the score's proximity, the digests' "near"
        self.radius_km = location.radius_km if location and location.radius_km else default_radius_km

    def finding(self, fact: Fact) -> Finding:
        found = self._findings.get(fact.key)
        if found is None:
            found = self._findings[fact.key] = KINDS[fact.kind].evaluate(fact, self.patient, self.on, self.kb)
        return found

    def match(self, trial: PreparedTrial) -> TrialMatch:
        """The trial's verdict for this patient (the loop every patient x trial pair goes through)."""
        parts = self._answers(trial)
        assert parts is not None  # only `match_unless_ineligible` stops early
        return _verdict(trial, parts, nearest_site(self.patient, trial.info.sites), self.radius_km)

    def match_unless_ineligible(self, trial: PreparedTrial) -> TrialMatch | None:
        """As `match`, for a caller that drops ineligible trials: None as soon as a criterion that decides the
        verdict on its own (`Question.decides`) is violated, without answering the trial's other questions. For one
        patient against 2,000 stored trials, about 4 in 10 distinct questions are asked only by trials already
        ruled out."""
        parts = self._answers(trial, until_violated=True)
        if parts is None:
            return None
        return _verdict(trial, parts, nearest_site(self.patient, trial.info.sites), self.radius_km)

    def placed(self, match: TrialMatch, sites: Sequence[Site]) -> TrialMatch:
        """A match of a trial prepared without its sites (`matching.match_report` reads them for the kept trials
        only), with them: its nearest site and the score's proximity. The answers and the verdict do not depend on
        sites, so they are kept as they are."""
        info = msgspec.structs.replace(match.prepared.info, sites=tuple(sites))
        trial = msgspec.structs.replace(match.prepared, info=info)
        return _verdict(trial, list(match.outcomes), nearest_site(self.patient, trial.info.sites), self.radius_km)

    def _answers(self, trial: PreparedTrial, until_violated: bool = False) -> list[Answer] | None:
        """Each criterion's answer for this patient, parents combined with their sub-items; ``until_violated``:
        None as soon as a criterion that decides the verdict on its own is violated (the trial is ineligible),
        looking first at the questions already answered for other trials (`_ruled_out`)."""
        if until_violated and self._ruled_out(trial):
            return None
        cache, parts = self._criteria, list(trial.fixed)
        for question in trial.asked:
            answer = cache.get(question.key)
            if answer is None:
                answer = cache[question.key] = self._facts(trial.facts(question))
            answer = self._in_scope(trial, question, answer)
            if until_violated and question.decides and answer.outcome is Outcome.VIOLATED:
                return None
            parts[question.position] = answer
        if trial.children:
            _with_children(trial, parts)
        # most trials require no other primary site, or require the patient's own: asked in that order, the course
        # questions are listed only for a trial found to be for another cancer
        if trial.site_questions and (site := self._another_cancer(trial, parts)) is not None:
            self._courses_of(trial, parts, site)
        return parts

    def _another_cancer(self, trial: PreparedTrial, parts: list[Answer]) -> PrimarySiteValues | None:
        """The cancer a trial is for when a criterion's requirement of it, another primary site than the patient's, is
        violated ("trial is for prostate cancer") and so is each criterion it is a sub-item of, up to the top level
        (its violation makes the verdict: "DISEASE CHARACTERISTICS:" / "Must have received a BEAM ...-conditioned
        autologous stem cell transplantation for any of the following high-risk lymphomas:", NCT00561418); None when
        none is."""
        above = trial.parent_of
        for question in trial.site_questions:
            position: int | None = question.position
            while position is not None and parts[position].outcome is Outcome.VIOLATED:
                position = above.get(position)
            if position is not None:
                continue
            for fact in trial.facts(question):
                values = fact.values
                if fact.kind is FactKind.PRIMARY_SITE and fact.polarity is Polarity.REQUIRE:
                    assert isinstance(values, PrimarySiteValues)
                    if _fact_answer(fact, self.finding(fact))[0] is Outcome.VIOLATED:
                        return values
        return None

    def _courses_of(self, trial: PreparedTrial, parts: list[Answer], site: PrimarySiteValues) -> None:
        """In a trial for another cancer (``site``), each violated answer of a course the trial's cancer runs (its
        progression, its therapies: `Kind.in_another_cancer`) with the reason that it is that cancer's, in
        place. The outcome stays: only the reason changes, from the patient's own disease or therapy to the trial's
        cancer. But where that cancer is on file too, as one of the patient's conditions, a progression asked or
        barred is its course, which the profile does not record: unknown ("No evidence of clinical progression" in a
        prostate cancer trial, for a patient with prostate cancer on androgen deprivation therapy beside the thyroid
        cancer that progresses; NCT03043989, comorbid sample 36's CV195)."""
        cancer = cancer_named(site)
        for question in trial.course_questions:
            answer = parts[question.position]
            if answer.outcome is not Outcome.VIOLATED or answer.reason is _FROM_SUB_ITEMS:
                continue  # a parent combined with its sub-items takes their reasons (`_explain_parents`)
            reasons = []
            facts = trial.facts(question)
            if all(f.kind is FactKind.PROGRESSION for f in facts) and (own := self._on_file(site)) is not None:
                parts[question.position] = Answer(
                    Outcome.UNKNOWN,
                    f"the progression is of {cancer}, on file ({own.name}); its course is not",
                    (own.path,),
                    (f"the course of {own.path}",),
                )
                continue
            for fact in facts:
                found = self.finding(fact)
                outcome, reason = _fact_answer(fact, found)
                if outcome is not Outcome.VIOLATED:
                    continue  # a violated answer's reason is its violated facts' (`_facts`)
                told = KINDS[fact.kind].in_another_cancer
                reasons.append((told(fact, found, self.patient, self.kb, cancer) if told else None) or reason)
            said = f"trial is for {cancer}"
            if said in reasons:  # the line asks for the cancer itself: its course reasons need not say it again
                reasons = [r.replace(f" ({said})", "") for r in reasons]
            parts[question.position] = answer._replace(reason="; ".join(dict.fromkeys(reasons)))

    def _on_file(self, site: PrimarySiteValues) -> ConditionOnFile | None:
        """The patient's current condition that is a cancer of the trial's sites, if any (not of a site of many
        diseases: a CLL on file is not the myeloma a trial is for); looked up once per patient and sites."""
        if site.sites not in self._cancers_on_file:
            self._cancers_on_file[site.sites] = next(
                (
                    c
                    for c in self.patient.conditions
                    if (named := site_named(c.name)) in site.sites and named not in _MANY_DISEASES and not is_over(c)
                ),
                None,
            )
        return self._cancers_on_file[site.sites]

    def _ruled_out(self, trial: PreparedTrial) -> bool:
        """Whether a question that decides the verdict on its own and was already answered for another trial is
        violated here: then the trial is ineligible whatever its other answers, and none of its questions not yet
        answered is decoded or evaluated. (For one patient against 2,000 stored trials, about 1 in 10 of the
        distinct questions is asked only before such a violation, by a trial that `_answers` would drop later.)"""
        cache = self._criteria
        for question in trial.asked:
            answer = cache.get(question.key) if question.decides else None
            if answer is not None and self._in_scope(trial, question, answer).outcome is Outcome.VIOLATED:
                return True
        return False

    def _in_scope(self, trial: PreparedTrial, question: Question, answer: Answer) -> Answer:
        """The answer under the question's scope, if it has one: a satisfied answer stands whatever the scope."""
        if question.scope is not None and answer.outcome is not Outcome.SATISFIED:
            return self._scoped(answer, trial.scope(question))
        return answer

    def recheck_on(self, trial: PreparedTrial) -> date | None:
        """After `match`: the first day on which the calendar alone may change one of the trial's answers for this
        patient (a birthday against an age limit, a window closing), for the nightly job; None if none can."""
        days = [
            found.changes_on
            for question in trial.asked
            for fact_key in fact_keys(question.key)  # the answers are cached by fact key: nothing to decode
            if (found := self._findings.get(fact_key)) is not None and found.changes_on is not None
        ]
        return min(days, default=None)

    def _scoped(self, answer: Answer, scope: Scope) -> Answer:
        """The completeness rule's scope part: a violation stands only for the patient's own requirement or
        prohibition, with every condition decided and holding for this patient. A condition decided not to hold
        makes the criterion not applicable; anything undecided leaves it unknown, saying what to check."""
        conditions = [(c, self._holds(c)) for c in scope.conditions]
        # Histologies name whom the criterion is for, any of them ("for follicular and medullary"; "Subjects with
        # DTC, ...; Subjects with MTC, ..."): it does not apply when none is the patient's, and when one is but
        # another is not, what the text asks may be the other's.
        histology = [holds for c, holds in conditions if c.kind == "histology"]
        split = True in histology and False in histology
        if split:
            conditions = [(c, holds) for c, holds in conditions if c.kind != "histology" or holds is not False]
        if any(holds is False for _, holds in conditions):
            text = next(c.text for c, holds in conditions if holds is False)
            return Answer(Outcome.NOT_APPLICABLE, f"applies only to {text!r}, which this patient is not")
        if answer.outcome is not Outcome.VIOLATED:
            return answer
        doubts = (
            [f"the criterion is a {scope.modality}"] if scope.modality in (PERMISSION, RECOMMENDATION, NOTE) else []
        )
        doubts += [f"it speaks of another person ({', '.join(scope.others)})"] if scope.others else []
        doubts += [_UNDECIDED[c.kind].format(c.text) for c, holds in conditions if holds is None]
        if split:
            named = ", ".join(c.text for c in scope.conditions if c.kind == "histology")
            doubts.append(f"it sets terms for several histologies ({named}), not all of them this patient's")
        if not doubts:
            return answer
        missing = ("which cohort fits",) if any(c.kind == "cohort" for c in scope.conditions) else ()
        reason = f"reading uncertain: {'; '.join(doubts)}; {answer.reason}"
        return Answer(Outcome.UNKNOWN, reason, answer.evidence, missing, None, answer.rules)

    def _holds(self, condition: Condition) -> bool | None:
        """Whether a condition holds for this patient; None when the profile cannot say."""
        p = self.patient
        if condition.kind == "sex":
            return None if p.sex is None else p.sex.value == condition.value
        if condition.kind == "age" and condition.value:
            years = p.age_on(self.on)
            op, limit = re.fullmatch(r"([<>]=?)(\d+)", condition.value).groups()  # type: ignore[union-attr]
            return None if years is None else compare(years, op, float(limit))
        if condition.kind == "exempt" and condition.value:  # spared when the condition is on file
            name = condition.value.lower()
            return not any(name in c.name.lower() or c.name.lower() in name for c in p.conditions)
        if condition.kind == "histology" and condition.value and condition.value in self.kb.histologies:
            histology = p.diagnosis.histology if p.diagnosis else None
            return None if histology is None else histology.value in self.kb.histology_members(condition.value)
        if condition.kind == "listed_cohort":
            # one of the cohorts a lead-in's alternatives are (parser `_cohorts_as_alternatives`): the other cohorts
            # are its siblings, evaluated beside it, so the alternatives logic decides, not this condition
            return True
        if condition.kind == "other_cohort" and condition.value and condition.value in self.kb.histologies:
            histology = p.diagnosis.histology if p.diagnosis else None  # another cohort takes that histology
            taken = histology is None or histology.value in self.kb.histology_members(condition.value)
            return None if taken else True
        return None

    def _facts(self, facts: Sequence[Fact]) -> Answer:
        """A criterion's answer from its facts': all must hold, except limits joined by "or" (any one of them)."""
        if len(facts) == 1:  # most criteria ask one thing
            fact = facts[0]
            finding = self.finding(fact)
            outcome, reason = _fact_answer(fact, finding)
            needed: tuple[str, ...] = (finding.missing,) if outcome is Outcome.UNKNOWN and finding.missing else ()
            wait = finding.eligible_from if outcome is not Outcome.VIOLATED else None
            return Answer(outcome, reason, finding.evidence, needed, wait if wait and wait > self.on else None,
                          (fact.rule,))  # fmt: skip
        findings = [self.finding(fact) for fact in facts]
        answers = [_fact_answer(fact, finding) for fact, finding in zip(facts, findings, strict=True)]
        outcomes = [outcome for outcome, _ in answers]
        outcome = _combined(facts, outcomes)
        deciding = [i for i, o in enumerate(outcomes) if o is outcome] or range(len(facts))
        reason = "; ".join(dict.fromkeys([answers[i][1] for i in deciding]))
        evidence = tuple(dict.fromkeys([path for i in deciding for path in findings[i].evidence]))
        missing = tuple(
            dict.fromkeys([m for i in deciding if outcomes[i] is Outcome.UNKNOWN and (m := findings[i].missing)])
        )
        waits = [f.eligible_from for f in findings if f.eligible_from]
        wait = max(waits) if waits and outcome is not Outcome.VIOLATED else None
        if wait is not None and wait <= self.on:
            wait = None
        return Answer(outcome, reason, evidence, missing, wait, tuple([facts[i].rule for i in deciding]))


def _combined(facts: Sequence[Fact], outcomes: list[Outcome]) -> Outcome:
    """A criterion's outcome from its facts': when its text offers alternatives (`Fact.alternative`), any one
    alternative whose facts all hold; within one, all facts, except limits joined by "or" (any one of them)."""
    if not facts[0].alternative:
        return _every(facts, outcomes)
    alternatives: dict[int, tuple[list[Fact], list[Outcome]]] = {}
    for fact, outcome in zip(facts, outcomes, strict=True):
        alternative = alternatives.setdefault(fact.alternative, ([], []))
        alternative[0].append(fact)
        alternative[1].append(outcome)
    return _any([_every(*alternative) for alternative in alternatives.values()])


def _every(facts: Sequence[Fact], outcomes: list[Outcome]) -> Outcome:
    limits = [o for f, o in zip(facts, outcomes, strict=True) if getattr(f.values, "alternative", False)]
    if not limits:
        return _all(outcomes)
    rest = [o for f, o in zip(facts, outcomes, strict=True) if not getattr(f.values, "alternative", False)]
    return _all([*rest, _any(limits)])


def _fact_answer(fact: Fact, finding: Finding) -> tuple[Outcome, str]:
    """A fact's outcome and reason. `violated` only from a complete reading: a fact whose reading left something
    unsettled (``uncertain``) is unknown where it would have violated, and says what to check in the text. A washout
    not yet over is met by waiting (satisfied, with its date); read uncertain, the wait may not be the text's ("No
    disease relapsed within 6 months of radiotherapy" asks no wait of a patient without a relapse): unknown too."""
    if finding.not_applicable:
        return Outcome.NOT_APPLICABLE, finding.reason
    if finding.has is None:
        return Outcome.UNKNOWN, finding.reason
    if finding.has == (fact.polarity is Polarity.REQUIRE) and not (fact.uncertain and finding.eligible_from):
        return Outcome.SATISFIED, finding.reason
    if fact.uncertain:
        return Outcome.UNKNOWN, f"reading uncertain: {fact.uncertain}; {finding.reason}"
    return Outcome.VIOLATED, finding.reason


# What does not depend on the patient, computed once per process (trials repeat headings, and a nightly run
# asks about the same criteria for every patient); bounded, for a long-running `matcher schedule`.
@lru_cache(maxsize=4096)
def _later_phase(heading: str) -> Answer | None:
    if not _LATER_PHASE.search(heading):
        return None
    return Answer(Outcome.NOT_APPLICABLE, f"applies to the {heading.rstrip(' :')}, not to enrolment")


# Text the parser could not read is not a missing-data item (a coordinator cannot collect "Cohorts 3 and 4:
# Enrollment closed."): it stays an unknown criterion with its reason, and `missing` lists profile data only.
_NOT_UNDERSTOOD = Answer(Outcome.UNKNOWN, "not understood by the parser; check the text")


_UNDECIDED = {
    "cohort": "this criterion applies to one cohort ({!r}), so other cohorts may still fit",
    "exempt": "{!r}",
    "other": "it applies only when {!r}, which the profile does not say",
    "sex": "it applies only to {!r}, and the profile does not give the sex",
    "age": "it applies only to {!r}, and the profile does not give the age",
    "histology": "it applies only to {!r}, and the profile does not give the histology",
    "other_cohort": "another cohort of the trial may take this patient's histology ({!r})",
}


class Question(msgspec.Struct, array_like=True, frozen=True):
    """A criterion whose answer depends on the patient: where it is, what it asks (its key, `facts_key` of its
    facts' keys: equal keys, equal answers), the rules that read its facts (joined as their keys are), and its
    scope in the stored form where it is not plain (None: the patient's own, unconditional requirement; decoded in
    `PreparedTrial.scopes`). Strings and numbers only, mostly: the garbage collector does not track it."""

    position: int
    decides: bool  # top-level, and no sub-items combine with it: its answer is its outcome in the verdict
    key: str
    rules: str
    scope: tuple[Any, ...] | None


class Parent(msgspec.Struct, array_like=True, frozen=True):
    """A criterion with sub-items: the parent's position, its sub-items', whether they are alternatives ("at least
    one of the following"), whether the parent has facts of its own, and whether those ask something of their own
    beside the alternatives (`_own_apart`)."""

    position: int
    items: tuple[int, ...]
    any_of: bool
    has_facts: bool
    own_apart: bool = False


class LaterPhase(msgspec.Struct, array_like=True, frozen=True):
    """A criterion under a heading that names a later phase of the trial (`_later_phase`): not applicable."""

    position: int
    heading: str


class MatchingRecord(msgspec.Struct, array_like=True, frozen=True):
    """What matching needs of a trial's criteria, worked out from them once (`plan`) and stored beside them
    (table ``trial_matching``), so that `matcher match` reads and decodes one small record a trial instead of
    every criterion's text, facts and scope, and does not work it out again (`arrange`).

    ``children`` lists each parent with its sub-items, innermost parents first; ``top`` indexes the top-level
    criteria the verdict reads; ``targeted`` the top-level ones that require a biomarker (the score's "targeted"
    part). Valid for the criteria's content hash and parser version, and for this code (`matching_version`): a
    record made by other code is not read, and is made again from the stored criteria (no parsing)."""

    size: int  # how many criteria
    later: tuple[LaterPhase, ...]
    asked: tuple[Question, ...]
    children: tuple[Parent, ...]
    top: tuple[int, ...]
    targeted: tuple[int, ...]


class ShownCriterion(msgspec.Struct, array_like=True, frozen=True):
    """A stored criterion (the JSON list of `StoredCriterion`, field for field) read for what a match's output shows
    of it: its facts and scope are left as they are in the text (`msgspec.Raw`). The hundreds of trials a match lists
    are read this way: a record of strings and numbers, which the garbage collector does not track, instead of a
    tree of facts and scopes that it scans again and again while the matches are held."""

    position: int
    section: str
    text: str
    start: int | None
    end: int | None
    parent: int | None
    any_of: bool
    heading: str | None
    source: str
    facts: msgspec.Raw
    scope: msgspec.Raw


_SHOWN = msgspec.json.Decoder(tuple[ShownCriterion, ...])


class PreparedTrial(msgspec.Struct, frozen=True, dict=True):
    """A trial's criteria arranged for evaluation (`arrange`): its record, and what a patient's answers start from.

    ``fixed`` holds each criterion's answer where it is the same for every patient (under a later-phase heading;
    not understood by the parser) and a placeholder where the patient decides (``asked``); ``scopes`` the scopes of
    the questions that have one, each decoded when an answer first needs it (`scope`).

    ``stored`` is None for a trial prepared from its stored record, which evaluation needs alone: the criteria
    themselves (texts, for the output) are read for the trials a command shows and attached as the column's JSON
    text (`with_criteria_json`), read at first for their sections and texts only (``shown``: what a match's output
    shows of them), and decoded whole when something needs more (``criteria_stored``). A criterion becomes an
    object only when a result is shown (``criteria``).

    A struct with a ``__dict__`` for its cached properties, as `TrialMatch`: one is made for each stored trial.
    ``decoded`` and ``scopes`` are caches, filled as answers need them.
    """

    info: TrialInfo
    stored: tuple[StoredCriterion, ...] | None
    fixed: tuple[Answer, ...]
    asked: tuple[Question, ...]
    children: tuple[Parent, ...]
    top: tuple[int, ...]
    targeted: tuple[int, ...]
    decoded: dict[int, tuple[Fact, ...]] = msgspec.field(default_factory=dict)
    scopes: dict[int, Scope] = msgspec.field(default_factory=dict)
    texts: tuple[ShownCriterion, ...] | None = None
    criteria_json: str | None = None

    @property
    def shown(self) -> Sequence[StoredCriterion | ShownCriterion]:
        """Each criterion's section and text (and position, parent, ...): what a match's output shows of it."""
        if self.stored is not None:
            return self.stored
        if self.texts is None:
            raise ValueError(f"{self.info.nct_id}: prepared from its matching record; its criteria are not attached")
        return self.texts

    @cached_property
    def criteria_stored(self) -> tuple[StoredCriterion, ...]:
        """The stored criteria (attached as JSON text by `with_criteria_json` when the trial was prepared from its
        record)."""
        if self.stored is not None:
            return self.stored
        if self.criteria_json is None:
            raise ValueError(f"{self.info.nct_id}: prepared from its matching record; its criteria are not attached")
        return decode_stored(self.criteria_json)

    @cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(Criterion.from_stored(c) for c in self.criteria_stored)

    def with_criteria_json(self, text: str) -> PreparedTrial:
        """The trial with its stored criteria as the column's JSON text, which must be those its record was made
        from: read here for what is shown of them (`ShownCriterion`), decoded whole when first needed."""
        texts = _SHOWN.decode(text)
        if len(texts) != len(self.fixed):
            raise ValueError(f"{self.info.nct_id}: {len(texts)} stored criteria for a record of {len(self.fixed)}")
        return msgspec.structs.replace(self, texts=texts, criteria_json=text)

    @cached_property
    def site_questions(self) -> tuple[Question, ...]:
        """The questions that require a primary site (`Evaluator._another_cancer` reads them)."""
        return tuple(q for q in self.asked if asks(q.key, _SITE_REQUIRED))

    @cached_property
    def parent_of(self) -> dict[int, int]:
        """Each sub-item's parent, by position."""
        return {item: parent.position for parent in self.children for item in parent.items}

    @cached_property
    def course_questions(self) -> tuple[Question, ...]:
        """The questions of a kind that reads a cancer's course (`Kind.in_another_cancer`)."""
        return tuple(q for q in self.asked if any(asks(q.key, kind) for kind in _COURSE_KINDS))

    def scope(self, question: Question) -> Scope:
        """A question's scope (one it has: ``question.scope`` is not None), decoded the first time an answer that is
        not satisfied needs it: a satisfied answer stands whatever the scope, so most scopes are never read."""
        found = self.scopes.get(question.position)
        if found is None:
            found = self.scopes[question.position] = Scope.from_stored(question.scope)
        return found

    def facts(self, question: Question) -> tuple[Fact, ...]:
        """A question's facts, from their keys (`Fact.key` holds all a fact asks) and rules, decoded the first time
        a patient's answer needs them. Without the evidence (the text each was read from): no evaluator reads it,
        and results show the criteria decoded from the stored ones (``criteria``).

        Kept per trial, so a trial prepared once per run decodes each of its criteria at most once, whichever
        patients ask (the nightly job; `matcher match`: about once per distinct key, and those of the trials it
        does not show are freed with them).
        """
        found = self.decoded.get(question.position)
        if found is None:
            pairs = zip(fact_keys(question.key), fact_keys(question.rules), strict=True)
            found = self.decoded[question.position] = tuple(Fact.from_stored(StoredFact(k, r, "")) for k, r in pairs)
        return found


# a site that stands for many diseases: a CLL on file is not the myeloma a trial is for (the review of rules 57)
_MANY_DISEASES = frozenset({"site.blood"})
_ASKED = Answer(Outcome.UNKNOWN, "")  # placeholder in `fixed`, replaced for each patient
# how a key opens on a fact of a kind (`Fact.key`): a requirement of a primary site; the kinds of a cancer's course
_SITE_REQUIRED = f"{FactKind.PRIMARY_SITE.value}|{Polarity.REQUIRE.value}|"
_COURSE_KINDS = tuple(f"{kind.kind.value}|" for kind in KINDS.values() if kind.in_another_cancer is not None)

_RECORD = msgspec.msgpack.Decoder(MatchingRecord)
_RECORD_ENCODER = msgspec.msgpack.Encoder()


def plan(stored: Sequence[StoredCriterion]) -> MatchingRecord:
    """What does not depend on the patient, from a trial's stored criteria: which criteria fall under a
    later-phase heading, which ask the patient something (with their scope when it is not plain), which are
    sub-items of which, which are top-level, and which top-level ones require a biomarker. A criterion's scope is
    decoded only where it is read (a criterion that asks something, or a sub-item), and only when one is stored:
    most criteria are the patient's plain requirement, stored as None."""
    later: list[LaterPhase] = []
    asked: list[tuple[int, str, str, tuple[Any, ...] | None]] = []  # position, key, rules, scope
    children: dict[int, list[int]] = {}
    top, targeted = [], []
    for i, c in enumerate(stored):
        parent, heading, facts = c.parent, c.heading, c.facts
        read = c.scope is not None and (facts or parent is not None)  # its scope is read: decoded once, here
        scope = Scope.from_stored(c.scope) if read else None
        if heading and _later_phase(heading):
            later.append(LaterPhase(i, heading))
        elif facts:
            key = facts[0].key if len(facts) == 1 else facts_key([f.key for f in facts])
            rules = facts_key([f.rule for f in facts])  # rule ids hold no separator
            asked.append((i, key, rules, None if scope is None or scope.plain else c.scope))
            if parent is None and requires_biomarker(key):
                targeted.append(i)
        if parent is None:
            top.append(i)
        elif scope is None or scope.modality != NOTE:  # a position in the list
            children.setdefault(parent, []).append(i)  # a note or definition under a lead-in asks nothing
    parents = [
        Parent(
            parent,
            tuple(children[parent]),
            stored[parent].any_of,
            bool(stored[parent].facts),
            stored[parent].any_of and _own_apart(stored, parent, children[parent]),
        )
        for parent in sorted(children, reverse=True)  # innermost first
    ]
    questions = tuple(
        Question(i, stored[i].parent is None and i not in children, key, rules, scope) for i, key, rules, scope in asked
    )
    return MatchingRecord(len(stored), tuple(later), questions, tuple(parents), tuple(top), tuple(targeted))


def _own_apart(stored: Sequence[StoredCriterion], parent: int, items: Sequence[int]) -> bool:
    """Whether an any-of lead-in's own facts ask what none of its alternatives asks: "Must have prostate cancer
    considered to be hormone refractory ... by one or more of the following criteria ...:" / "Progression of
    unidimensionally measurable disease ..." (NCT00513071) asks for prostate cancer and one of the progressions, all
    of it. Where an alternative asks a kind the lead-in asks too ("RAI-refractory as defined by one of the
    following:"), the alternatives define the lead-in's own fact, and one that holds meets it; a lead-in's own
    exclusion ("... which has not responded or recurred following at least one prior chemotherapy regimen or radiation
    therapy:", NCT00629187, a requirement misread) is left as before (scope 11)."""
    own = {f.key.split("|", 1)[0] for f in stored[parent].facts}
    theirs = {f.key.split("|", 1)[0] for i in items for f in stored[i].facts}
    required = all(f.key.split("|", 2)[1] == "require" for f in stored[parent].facts)
    return required and bool(own) and bool(theirs) and not own & theirs


def arrange(info: TrialInfo, record: MatchingRecord, stored: tuple[StoredCriterion, ...] | None) -> PreparedTrial:
    """A trial prepared for evaluation from its record (``stored``: its criteria, or None to attach them later)."""
    fixed = [_NOT_UNDERSTOOD] * record.size  # not understood by the parser, unless asked or under a later phase
    for later in record.later:
        fixed[later.position] = _later_phase(later.heading) or _NOT_UNDERSTOOD
    for question in record.asked:
        fixed[question.position] = _ASKED
    return PreparedTrial(info, stored, tuple(fixed), record.asked, record.children, record.top, record.targeted)


def encode_record(record: MatchingRecord) -> bytes:
    """The record as stored: MessagePack, each record an array in field order (its strings, which hold JSON, need no
    escaping: it decodes in half the time of the same record as JSON text)."""
    return _RECORD_ENCODER.encode(record)


def from_record(info: TrialInfo, record: bytes) -> PreparedTrial:
    """A trial prepared from its stored record, without its criteria (`PreparedTrial.with_criteria_json`)."""
    return arrange(info, _RECORD.decode(record), None)


@lru_cache(maxsize=1)
def matching_version() -> str:
    """The version of the code that makes and reads matching records: a hash of its source (this module, the stored
    criteria's format and scopes). A record made by other code is not read (`MatchingRecord`)."""
    from matcher.eligibility import criteria, scope

    digest = hashlib.sha256()
    for module in (sys.modules[__name__], criteria, scope):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:16]


def prepare(info: TrialInfo, rows: str | Sequence[StoredCriterion] | Sequence[Sequence[Any]]) -> PreparedTrial:
    """Arrange a trial's stored criteria for matching (every run reads all of them: facts are decoded when asked)."""
    # Already typed when read by `store_read` (msgspec decodes a whole tuple of records): not checked again.
    typed = isinstance(rows, tuple) and (not rows or type(rows[0]) is StoredCriterion)
    stored: tuple[StoredCriterion, ...] = rows if typed else decode_stored(rows)  # type: ignore[assignment]
    return arrange(info, plan(stored), stored)


def _any_of_outcome(own: Outcome | None, kids: list[Outcome]) -> Outcome:
    """A sub-item that holds satisfies the parent; else the parent's own determinate statement; else the sub-items."""
    combined = _any(kids)
    if combined is not Outcome.SATISFIED and own in (Outcome.SATISFIED, Outcome.VIOLATED):
        return own
    return combined


_FROM_SUB_ITEMS = "(from the sub-items)"  # a parent's reason until `_explain_parents` assembles it


def _with_children(trial: PreparedTrial, parts: list[Answer]) -> None:
    """Combine each parent's outcome with its sub-items', in place (alternatives when the parent says "at least
    one of"). Only the outcome and the wait: the verdict needs no more, and most matches are never read."""
    for parent in trial.children:  # innermost parents first
        index, kid_indexes, any_of = parent.position, parent.items, parent.any_of
        own_parts = parts[index]
        own = own_parts.outcome if parent.has_facts else None
        outcomes = [parts[k].outcome for k in kid_indexes]
        if any_of and Outcome.VIOLATED in outcomes and _any(outcomes) is not Outcome.VIOLATED:
            _not_taken(parts, kid_indexes)
        # "by at least one of the following": any sub-item, or the parent's own statement; else all of them. A
        # lead-in's own requirement beside its alternatives is asked as well (`_own_apart`)
        if parent.own_apart and own is not None:  # own_apart is only ever set on an any-of parent
            outcome = _all([own, _any(outcomes)])
        else:
            outcome = _any_of_outcome(own, outcomes) if any_of else _all(outcomes if own is None else [*outcomes, own])
        if outcome is own:
            continue
        waits = [w for k in kid_indexes if (w := parts[k].eligible_from)]
        wait = max(waits) if waits else own_parts.eligible_from
        parts[index] = Answer(outcome, _FROM_SUB_ITEMS, (), (), wait, own_parts.rules)


def _not_taken(parts: list[Answer], alternatives: Sequence[int]) -> None:
    """Alternatives are violated only when every alternative is: while another holds or may hold, one the patient
    does not meet is an alternative not taken, not a violation (shown as not applicable, saying why)."""
    for k in alternatives:
        if (part := parts[k]).outcome is Outcome.VIOLATED:
            reason = f"an alternative not taken (another holds or may hold): {part.reason}"
            parts[k] = part._replace(outcome=Outcome.NOT_APPLICABLE, reason=reason, eligible_from=None)


def _explain_parents(trial: PreparedTrial, outcomes: Sequence[Answer]) -> list[Answer]:
    """The answers with each combined parent's reason, evidence and missing items taken from the sub-items that
    decided it (at most three reasons), innermost parents first, so that nested parents read explained ones."""
    parts = list(outcomes)
    for parent in trial.children:
        index, kid_indexes = parent.position, parent.items
        outcome, reason, _, _, wait, rules = parts[index]
        if reason is not _FROM_SUB_ITEMS:
            continue  # the parent's own answer stood
        kids = [parts[k] for k in kid_indexes]
        deciders = [k for k in kids if k.outcome is outcome] or kids
        reason = "; ".join(dict.fromkeys([k.reason for k in deciders[:3]]))
        missing = tuple(dict.fromkeys([m for k in deciders for m in k.missing])) if outcome is Outcome.UNKNOWN else ()
        evidence = tuple(dict.fromkeys([e for k in deciders for e in k.evidence]))
        parts[index] = Answer(outcome, reason, evidence, missing, wait, rules)
    return parts


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((rlat2 - rlat1) / 2) ** 2
        + math.cos(rlat1) * math.cos(rlat2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))


@lru_cache(maxsize=200_000)
def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    """A point on the unit sphere (cached: every patient measures to the same sites)."""
    rlat, rlon = math.radians(lat), math.radians(lon)
    c = math.cos(rlat)
    return c * math.cos(rlon), c * math.sin(rlon), math.sin(rlat)


def nearest_site(patient: Patient, sites: Sequence[Site]) -> NearestSite | None:
    """The nearest enrolling (or status-less) site with coordinates. Sites are compared by chord length on the
    unit sphere, which orders them as the great-circle distance does, and only the nearest one's distance is
    computed (the same value `haversine_km` gives): with every site placed, haversine for each was a fifth of
    matching's time."""
    loc = patient.location
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    px, py, pz = _unit(loc.lat, loc.lon)
    best: Site | None = None
    best_d2 = math.inf
    for site in sites:
        lat, lon = site.lat, site.lon
        if lat is None or lon is None or (site.status and site.status not in ENROLLING_SITE):
            continue
        x, y, z = _unit(lat, lon)
        d2 = (x - px) ** 2 + (y - py) ** 2 + (z - pz) ** 2
        if d2 < best_d2:
            best, best_d2 = site, d2
    if best is None:
        return None
    return NearestSite(best, 6371.0 * 2 * math.asin(min(1.0, math.sqrt(best_d2) / 2)))


def match_trial(
    trial: TrialInfo,
    criteria: Sequence[Criterion],
    patient: Patient,
    on: date,
    kb: KnowledgeBase,
    evaluator: Evaluator | None = None,
) -> TrialMatch:
    """Evaluate every criterion of one trial for one patient (pass one `Evaluator` for this patient and day across
    trials to reuse answers)."""
    return (evaluator or Evaluator(patient, on, kb)).match(prepare(trial, [c.to_stored() for c in criteria]))


def _verdict(trial: PreparedTrial, parts: list[Answer], site: NearestSite | None, radius_km: float) -> TrialMatch:
    """Ineligible if a top-level criterion is violated, possible if one is unknown, else eligible."""
    outcomes = [parts[i].outcome for i in trial.top]
    if Outcome.VIOLATED in outcomes:
        verdict = Verdict.INELIGIBLE
    elif Outcome.UNKNOWN in outcomes:
        verdict = Verdict.POSSIBLE
    else:
        verdict = Verdict.ELIGIBLE
    counted = len(outcomes) - outcomes.count(Outcome.NOT_APPLICABLE)
    share = outcomes.count(Outcome.SATISFIED) / counted if counted else 0.0
    waits = [
        w for i in trial.top if (w := parts[i].eligible_from) is not None and parts[i].outcome is Outcome.SATISFIED
    ]
    return TrialMatch(
        trial,
        verdict,
        _score(share, any(parts[i].outcome is Outcome.SATISFIED for i in trial.targeted), site, radius_km),
        parts,
        max(waits) if waits else None,
        site,
    )


def _score(share: float, targeted: bool, site: NearestSite | None, radius_km: float) -> float:
    """0..1: answerable criteria satisfied (70%), targeted to the patient's biomarkers (20%), proximity (10%)."""
    proximity = max(0.0, 1 - site.distance_km / radius_km) if site else 0.0
    return round(0.7 * share + 0.2 * targeted + 0.1 * proximity, 3)
