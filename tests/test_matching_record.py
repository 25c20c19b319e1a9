"""Matching records (`matching.evaluate.MatchingRecord`, table ``trial_matching``): `matcher match` reads one record
a trial instead of its criteria. A record must give exactly what reading the criteria gives; one made by other code
or for other criteria is never read, and is made again from the stored criteria; migration 0009 adds the table on
SQLite and PostgreSQL, and the first `matcher match` fills it."""

from __future__ import annotations

import json
from itertools import product
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text
from sqlmodel import select

from matcher import db, parsing, store, store_read
from matcher.eligibility import parser_version
from matcher.ingest import fetch
from matcher.matching import Filters, match_json, match_report
from matcher.matching.evaluate import matching_version
from matcher.patient import load_patient
from matcher.sources import DirectorySource
from matcher.tables import TrialMatchingRow
from tests.conftest import ROOT, STUDIES, fixed_clock

ON = "2026-11-26"
PATIENTS = sorted((ROOT / "examples").glob("*.json"))


@pytest.fixture
def stored(engine: Engine) -> Engine:
    fetch(engine, DirectorySource(STUDIES), fixed_clock())
    parsing.parse_stale(engine, fixed_clock())
    return engine


def _reports(engine: Engine) -> list[Any]:
    """Every example patient's whole output (contract JSON with every criterion's outcome and reason, and the
    rules behind each answer): the trials listed by default (evaluation stops early in the trials not listed), and
    every trial, ineligible ones included."""
    from datetime import date

    found = []
    with engine.connect() as connection:
        for path, filters in product(PATIENTS, (Filters(), Filters(include_ineligible=True))):
            patient = load_patient(path).patient
            report = match_report(connection, patient, date.fromisoformat(ON), filters)
            found.append([(match_json(m), [p.rules for p in m.parts]) for m in report.matches])
    return found


def _records(engine: Engine) -> dict[str, tuple[str, str]]:
    with db.session(engine) as session:
        return {r.nct_id: (r.matching_version, r.record) for r in session.exec(select(TrialMatchingRow))}


def _due(engine: Engine) -> bool:
    with engine.connect() as connection:
        return store_read.matching_due(connection, parser_version(), matching_version())


def test_parsing_writes_a_record_per_trial_and_records_give_what_the_criteria_give(stored: Engine) -> None:
    records = _records(stored)
    with db.session(stored) as session:
        assert set(records) == set(store.stored_criteria(session)) and len(records) == 48
    assert {version for version, _ in records.values()} == {matching_version()} and not _due(stored)
    with stored.connect() as connection:
        rows = list(store_read.iter_matching(connection, parser_version(), matching_version()))
    assert len(rows) == 48 and all(r.record is not None and r.criteria_json is None for r in rows)
    from_records = _reports(stored)
    with stored.begin() as connection:  # no records: every trial is matched from its criteria, as before 0009
        connection.execute(text("DELETE FROM trial_matching"))
    assert _due(stored)
    assert _reports(stored) == from_records
    assert sum(len(r) for r in from_records[1::2]) == 48 * len(PATIENTS) and any(from_records[0::2])


def test_a_record_made_by_other_code_is_not_read_and_is_made_again_from_the_criteria(stored: Engine) -> None:
    expected, records = _reports(stored), _records(stored)
    with stored.begin() as connection:  # records of another version of matcher, in a form this one cannot read
        connection.execute(text("UPDATE trial_matching SET matching_version = 'other', record = 'not a record'"))
    assert _due(stored)
    assert _reports(stored) == expected
    assert store.refresh_matching_records(stored, parser_version(), batch=10) == 48  # pages of 10
    assert _records(stored) == records and not _due(stored)
    assert store.refresh_matching_records(stored, parser_version()) == 0


def test_a_record_for_other_criteria_is_not_read(stored: Engine) -> None:
    """A record is valid for the content hash and parser version of the criteria it was made from."""
    expected = _reports(stored)
    with stored.begin() as connection:
        connection.execute(text("UPDATE trial_matching SET content_hash = 'other', record = 'not a record'"))
    assert _due(stored) and _reports(stored) == expected
    with stored.begin() as connection:
        connection.execute(text("UPDATE trial_matching SET content_hash = (SELECT content_hash FROM trial_criteria "
                                "c WHERE c.nct_id = trial_matching.nct_id), parser_version = '0'"))  # fmt: skip
    assert _due(stored) and _reports(stored) == expected


def test_migration_0009_adds_the_table_and_matcher_match_fills_it(database_url: str, run: Any) -> None:
    from alembic import command

    engine = db.open_database(database_url)
    try:
        fetch(engine, DirectorySource(STUDIES), fixed_clock())
        parsing.parse_stale(engine, fixed_clock())
        patient = str(ROOT / "examples" / "rair-papillary-braf.json")
        before = run("match", patient, "--on", ON, "--any-status", "--all", "--json")
        assert before.exit_code == 0 and len(json.loads(before.stdout)["trials"]) == 48
        with db._alembic_config(engine) as config:
            command.downgrade(config, "0008")
        with engine.connect() as connection:
            assert "trial_matching" not in inspect(connection).get_table_names()
        after = run("match", patient, "--on", ON, "--any-status", "--all", "--json")  # migrates, then makes the records
        assert db.current_revision(engine) == db.SCHEMA_HEAD
        assert (after.exit_code, after.stdout, after.stderr) == (before.exit_code, before.stdout, before.stderr)
        assert len(_records(engine)) == 48 and not _due(engine)
    finally:
        engine.dispose()


def test_matching_that_drops_ineligible_trials_stops_at_the_first_deciding_violation(stored: Engine) -> None:
    """`Evaluator.match_unless_ineligible` gives None exactly for the trials `match` finds ineligible through a
    criterion that decides alone, and otherwise the same match; it asks fewer questions. (An answer's ``rules``
    are those of the first criterion that asked its key, in either: the order in which trials ask may differ.)"""
    from datetime import date

    from matcher.knowledge_base import load_knowledge
    from matcher.matching.evaluate import Evaluator, TrialInfo, Verdict, from_record

    kb, on = load_knowledge(), date.fromisoformat(ON)
    with stored.connect() as connection:
        rows = list(store_read.iter_matching(connection, parser_version(), matching_version()))
    trials = [from_record(TrialInfo(r.nct_id, r.brief_title, r.overall_status, tuple(r.phases)), r.record or "")
              for r in rows]  # fmt: skip
    stopped = 0
    for path in PATIENTS:
        patient = load_patient(path).patient
        full, early = Evaluator(patient, on, kb), Evaluator(patient, on, kb)
        for trial in trials:
            whole, found = full.match(trial), early.match_unless_ineligible(trial)
            violated = {q.position for q in trial.asked if q.decides} & {
                i for i, a in enumerate(whole.outcomes) if a.outcome.value == "violated"}  # fmt: skip
            assert (found is None) == bool(violated), (path.name, trial.info.nct_id)
            if found is None:
                stopped += 1
                assert whole.verdict is Verdict.INELIGIBLE
            else:
                assert (found.verdict, found.score, _shown(found)) == (whole.verdict, whole.score, _shown(whole))
        assert len(early._criteria) <= len(full._criteria)
    assert stopped > 0


def _shown(match: Any) -> list[Any]:
    return [(a.outcome, a.reason, a.evidence, a.missing, a.eligible_from) for a in match.parts]


def test_criteria_read_after_the_records_are_those_the_records_were_made_from(stored: Engine) -> None:
    """`matcher match` reads the listed trials' criteria after matching them from their records: a trial parsed
    again meanwhile (its criteria now for another content hash) is matched again from its new criteria, and a
    trial whose criteria are gone is left out."""
    from datetime import date

    from matcher.knowledge_base import load_knowledge
    from matcher.matching import _with_criteria
    from matcher.matching.evaluate import Evaluator, TrialInfo, from_record

    patient = load_patient(PATIENTS[0]).patient
    evaluator = Evaluator(patient, date.fromisoformat(ON), load_knowledge())
    with stored.connect() as connection:
        rows = list(store_read.iter_matching(connection, parser_version(), matching_version()))
    matches = [evaluator.match(from_record(TrialInfo(r.nct_id, r.brief_title, r.overall_status, tuple(r.phases)),
                                           r.record or b"")) for r in rows]  # fmt: skip
    changed, gone, source = rows[0].nct_id, rows[1].nct_id, rows[2].nct_id
    with stored.begin() as connection:  # the first trial now has the third's criteria, under a new content hash
        connection.execute(text("UPDATE trial SET content_hash = 'new' WHERE nct_id = :n"), {"n": changed})
        connection.execute(text(
            "UPDATE trial_criteria SET content_hash = 'new', criteria = (SELECT c.criteria FROM trial_criteria c "
            "WHERE c.nct_id = :s) WHERE nct_id = :n"), {"n": changed, "s": source})  # fmt: skip
        connection.execute(text("DELETE FROM trial_criteria WHERE nct_id = :n"), {"n": gone})
    with stored.connect() as connection:
        hashes = {r.nct_id: r.content_hash for r in rows}
        found = _with_criteria(
            connection, parser_version(), evaluator, matches, hashes, Filters(include_ineligible=True), ()
        )
    assert [m.trial.nct_id for m in found] == [r.nct_id for r in rows if r.nct_id != gone]
    assert all(len(m.prepared.criteria_stored) == len(m.prepared.fixed) for m in found)
    assert match_json(found[0])["criteria"] == match_json(found[1])["criteria"]  # matched from the third's criteria
    assert matches[0].prepared.fixed != matches[2].prepared.fixed  # the two trials' criteria differed


def test_the_criteria_shown_are_read_from_the_stored_format_field_for_field(stored: Engine) -> None:
    """`ShownCriterion` reads the JSON list of `StoredCriterion`, facts and scope left undecoded: the same fields in
    the same order, and the sections and texts of the matches `match_report` lists are those of their criteria."""
    from datetime import date

    from matcher.eligibility.criteria import StoredCriterion
    from matcher.matching.evaluate import ShownCriterion

    assert ShownCriterion.__struct_fields__ == StoredCriterion.__struct_fields__
    patient = load_patient(PATIENTS[0]).patient
    with stored.connect() as connection:
        report = match_report(connection, patient, date.fromisoformat(ON), Filters(include_ineligible=True))
    assert report.matches and all(m.prepared.stored is None for m in report.matches)  # matched from their records
    for m in report.matches:
        shown = [(c.position, c.section, c.text, c.parent) for c in m.prepared.shown]
        assert shown == [(c.position, c.section, c.text, c.parent) for c in m.prepared.criteria_stored]
