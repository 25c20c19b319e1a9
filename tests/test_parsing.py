"""Stored parses: a trial is parsed once per content hash and parser version, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
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


def _stored_parses(url: str) -> dict[str, tuple[str, str, list[list[object]]]]:
    engine = db.open_database(url)
    with db.session(engine) as session:
        found = {n: (r.content_hash, r.parser_version, r.criteria) for n, r in store.stored_criteria(session).items()}
    engine.dispose()
    return found


def test_worker_processes_store_exactly_what_one_process_stores(tmp_path: Path) -> None:
    """The 48 real studies parsed in batches of 10 by one process and by two worker processes."""
    stored = []
    for workers in (1, 2):
        url = f"sqlite:///{tmp_path / f'workers{workers}.sqlite'}"
        engine = db.open_database(url)
        ingest.fetch(engine, DirectorySource(STUDIES), fixed_clock())
        result = parsing.parse_all_stale(engine, fixed_clock(), workers=workers, batch_size=10)
        engine.dispose()
        assert len(result.parsed) == 48 and not result.set_aside
        stored.append(_stored_parses(url))
    assert stored[0] == stored[1]
    assert sum(len(criteria) for _, _, criteria in stored[0].values()) > 500


def test_a_killed_parse_keeps_the_batches_it_committed_and_the_next_run_goes_on(tmp_path: Path) -> None:
    """The parse is killed (SIGKILL, no clean-up) right after its first batch of 10 is committed."""
    url = f"sqlite:///{tmp_path / 'matcher.sqlite'}"
    engine = db.open_database(url)
    ingest.fetch(engine, DirectorySource(STUDIES), fixed_clock())
    script = (
        "import os, signal\n"
        "from datetime import UTC, datetime\n"
        "from matcher import db, parsing\n"
        f"engine = db.open_database({url!r})\n"
        "parsing.parse_all_stale(engine, lambda: datetime(2026, 11, 26, tzinfo=UTC), workers=1, batch_size=10,\n"
        "                        progress=lambda done: os.kill(os.getpid(), signal.SIGKILL))\n"
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=600)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    kept = _stored_parses(url)
    assert len(kept) == 10
    rest = parsing.parse_stale(engine, fixed_clock(), workers=1)
    engine.dispose()
    assert len(rest) == 38 and not set(rest) & set(kept)
    assert set(_stored_parses(url)) == {p.stem for p in STUDIES.glob("NCT*.json")}
