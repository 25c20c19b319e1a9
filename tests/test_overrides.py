"""apply_overrides on a real trial's parsed criteria: the overridden answer stands, parents and the verdict follow
the matcher's own rules, a patient's override wins over one for everyone, nothing else is touched. And the
nightly job keeps an override when it evaluates a pair again."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import select

from matcher import db
from matcher.config import Settings
from matcher.ctgov_parse import parse_study
from matcher.eligibility.parser import StructuredFields, parse_text
from matcher.jobs import rematch
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Evaluator, Outcome, TrialInfo, TrialMatch, Verdict, prepare
from matcher.overrides import Override, add_override, apply_overrides, text_hash
from matcher.patient import parse_patient
from matcher.tables import MatchRow, TrialCriteriaRow
from tests.conftest import load_study
from tests.web_support import MINE, NOW, build_desk

ON = date(2026, 11, 26)
NCT = "NCT02456701"  # "History or evidence of cardiovascular risk including any of the following:" / "QTc ≥ 450 msec"
PARENT = "History or evidence of cardiovascular risk including any of the following"
QTC = "Corrected QT (QTc) interval ≥ 450 msec"
PATIENTS = Path(__file__).parent / "patients"


def patient(patient_id: str = "braf-untested") -> Any:
    doc = json.loads((PATIENTS / "braf-untested.json").read_text(encoding="utf-8"))
    doc.update(qtcf_ms=470, id=patient_id)
    return parse_patient(doc).patient


def matched(patient_id: str = "braf-untested") -> tuple[TrialMatch, Evaluator]:
    t = parse_study(load_study(NCT))
    criteria = parse_text(t.eligibility_text, StructuredFields(t.minimum_age, t.maximum_age, t.sex))
    info = TrialInfo(t.nct_id, t.brief_title, t.overall_status, t.phases, t.sites)
    evaluator = Evaluator(patient(patient_id), ON, load_knowledge())
    return evaluator.match(prepare(info, [c.to_stored() for c in criteria])), evaluator


def result(m: TrialMatch, start: str) -> Any:
    found = [r for r in m.results if r.criterion.display_text.startswith(start)]
    assert len(found) == 1, [r.criterion.display_text for r in m.results]
    return found[0]


def override(m: TrialMatch, start: str, outcome: Outcome, patient_id: str | None, oid: int = 1) -> Override:
    text = result(m, start).criterion.text
    return Override(oid, NCT, text_hash(text), patient_id, outcome, "note", "r@hospital.example",
                    datetime(2026, 11, 26, oid, tzinfo=UTC))  # fmt: skip


def test_a_sub_item_read_as_unknown_for_everyone_lifts_the_parents_violation() -> None:
    m, ev = matched()
    assert m.verdict is Verdict.INELIGIBLE and result(m, QTC).outcome is Outcome.VIOLATED
    assert result(m, PARENT).outcome is Outcome.VIOLATED
    after = apply_overrides(m, [override(m, QTC, Outcome.UNKNOWN, None)], ev)
    qtc = result(after, QTC)
    assert qtc.outcome is Outcome.UNKNOWN and "override 1" in qtc.reason and qtc.rules == ("override",)
    assert qtc.missing and qtc.missing[0].startswith("check: Corrected QT")
    assert result(after, PARENT).outcome is Outcome.UNKNOWN  # the QTc was its only violated sub-item
    assert after.verdict is Verdict.POSSIBLE and PARENT[:40] in " ".join(after.deciding)


def test_an_overridden_parent_stands_whatever_its_sub_items_say() -> None:
    m, ev = matched()
    after = apply_overrides(m, [override(m, PARENT, Outcome.SATISFIED, "braf-untested")], ev)
    assert result(after, PARENT).outcome is Outcome.SATISFIED
    assert result(after, QTC).outcome is Outcome.VIOLATED  # the sub-item's own answer is still shown
    assert after.verdict is not Verdict.INELIGIBLE


def test_the_patients_own_override_wins_and_others_do_not_apply() -> None:
    m, ev = matched()
    everyone = override(m, QTC, Outcome.UNKNOWN, None, oid=2)
    mine = override(m, QTC, Outcome.VIOLATED, "braf-untested", oid=1)
    assert apply_overrides(m, [everyone, mine], ev).verdict is Verdict.INELIGIBLE
    other_patient = override(m, QTC, Outcome.UNKNOWN, "someone-else")
    other_trial = Override(3, "NCT03690388", everyone.text_hash, None, Outcome.UNKNOWN, "", "r", everyone.created_at)
    assert apply_overrides(m, [other_patient, other_trial], ev) is m
    same = apply_overrides(m, [override(m, QTC, Outcome.VIOLATED, None)], ev)  # its own answer: nothing moves
    assert (same.verdict, same.score, same.deciding) == (m.verdict, m.score, m.deciding)


def test_the_nightly_job_keeps_an_override_when_it_evaluates_the_pair_again(engine: Engine, tmp_path: Path) -> None:
    build_desk(engine, tmp_path)
    with db.session(engine) as session:
        row = session.exec(
            select(MatchRow).where(MatchRow.patient_id == MINE, MatchRow.verdict != "ineligible")
        ).first()
        assert row is not None
        parse = session.get(TrialCriteriaRow, row.nct_id)
        assert parse is not None
        index, top = next((i, c) for i, c in enumerate(parse.criteria) if c[5] is None)  # a top-level criterion
        add_override(session, row.nct_id, top[2], MINE, "violated", "", "r@hospital.example", NOW)
        row.trial_hash = "0" * 16  # as if the trial had changed: the next rematch evaluates the pair again
        session.add(row)
        session.commit()
        run = 99
        rematch(session, run, Settings(database_url=str(engine.url)), NOW)
        again = session.get(MatchRow, (MINE, row.nct_id))
        assert again is not None and again.verdict == "ineligible"
        assert str(index) in (again.deciding or "").split(",")  # the overridden criterion decides
