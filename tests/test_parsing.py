"""Stored parses: a trial is parsed once per content hash and parser version, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from sqlalchemy import Engine

from matcher import db, ingest, parsing, store
from matcher.ctgov_parse import parse_study
from matcher.eligibility import parser_version
from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity, facts_key, requires_biomarker
from matcher.eligibility.kinds.biomarker import BiomarkerValues
from matcher.eligibility.kinds.conditions import ConditionValues
from matcher.sources import DirectorySource, ZipSource
from tests.conftest import STUDIES, fixed_clock


def test_parse_once_per_content_hash(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "studies"
    shutil.copytree(STUDIES, folder)
    clock = fixed_clock()
    ingest.fetch(engine, DirectorySource(folder), clock)
    assert len(parsing.parse_stale(engine, clock)) == 48
    assert parsing.parse_stale(engine, clock) == []

    study = json.loads((folder / "NCT01321554.json").read_text())
    study["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] += "\n\n  4. QTcF > 500 ms"
    (folder / "NCT01321554.json").write_text(json.dumps(study))
    ingest.fetch(engine, DirectorySource(folder), clock)
    assert parsing.parse_stale(engine, clock) == ["NCT01321554"]

    with db.session(engine) as session:
        row = store.stored_criteria(session, ["NCT01321554"])["NCT01321554"]
        assert row.parser_version == parser_version()
        criteria = [Criterion.from_stored(c) for c in row.criteria]
    assert any(f.kind is FactKind.QTC for c in criteria for f in c.facts)
    assert criteria[-1].source == "structured"  # minimumAge 18 Years


def test_a_zip_of_study_files_is_a_source(sqlite_url: str, tmp_path: Path) -> None:
    archive = tmp_path / "ctg-studies.json.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(STUDIES.glob("*.json")):
            z.write(path, path.name)
    engine = db.open_database(sqlite_url)
    first = ingest.fetch(engine, ZipSource(archive), fixed_clock())
    assert len(first.new) == 48
    second = ingest.fetch(engine, DirectorySource(STUDIES), fixed_clock())
    assert second.unchanged == 48  # the same studies from another source: nothing to write


def test_stored_criteria_read_back_exactly_as_the_parser_made_them(engine: Engine) -> None:
    """The compact stored form loses nothing: every field and fact of every criterion of the 48 real studies."""
    from matcher.eligibility.parser import StructuredFields, parse_texts

    clock = fixed_clock()
    ingest.fetch(engine, DirectorySource(STUDIES), clock)
    parsing.parse_stale(engine, clock)
    with db.session(engine) as session:
        trials = store.list_trials(session)
        stored = store.stored_criteria(session)
    fresh = parse_texts(
        [t.eligibility_text for t in trials],
        [
            StructuredFields(t.minimum_age, t.maximum_age, t.sex, tuple(t.conditions), tuple(t.interventions))
            for t in trials
        ],
    )
    for trial, criteria in zip(trials, fresh, strict=True):
        read_back = [Criterion.from_stored(c) for c in stored[trial.nct_id].criteria]
        assert read_back == criteria, trial.nct_id
        assert [c.key for c in read_back] == [c.key for c in criteria]
    assert sum(len(c.facts) for criteria in fresh for c in criteria) > 500


def test_requires_biomarker_reads_the_key_as_the_facts_say() -> None:
    """Matching tells a biomarker-targeted criterion by its key alone; checked against the facts of every criterion
    of the 48 real studies, and against a value that holds the separator and the prefix."""
    from matcher.eligibility.parser import StructuredFields, parse_texts

    trials = [parse_study(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(STUDIES.glob("NCT*.json"))]
    fresh = parse_texts(
        [t.eligibility_text for t in trials],
        [StructuredFields(t.minimum_age, t.maximum_age, t.sex, tuple(t.conditions)) for t in trials],
    )
    criteria = [c for parsed in fresh for c in parsed if c.facts]
    wanted = [any(f.kind is FactKind.BIOMARKER and f.polarity is Polarity.REQUIRE for f in c.facts) for c in criteria]
    assert [requires_biomarker(c.key) for c in criteria] == wanted
    assert 0 < sum(wanted) < len(wanted)
    tricky = Fact(FactKind.CONDITION, Polarity.EXCLUDE, ConditionValues(("x\x1fbiomarker|require|{}",)), "r", "x")
    assert not requires_biomarker(tricky.key)
    braf = Fact(FactKind.BIOMARKER, Polarity.REQUIRE, BiomarkerValues("gene.braf", "BRAF"), "r", "")
    assert requires_biomarker(facts_key([tricky.key, braf.key]))
