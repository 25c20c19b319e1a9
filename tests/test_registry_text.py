"""Registry text and NCT ids on both databases (issue 11, finding 4), and migration 0003 for existing databases.

Before the fix: a 250-character city (or a long status, age or sex) stopped the whole batch on PostgreSQL with a
varchar error and a traceback, and an ``nctId`` with a trailing newline was a second trial on SQLite.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
from sqlmodel import select

from matcher import db, ingest, store
from matcher.config import Settings
from matcher.ctgov_client import CtGovClient, make_session
from matcher.ctgov_parse import normalise_nct_id, parse_study
from matcher.errors import CtGovDataError, SourceError
from matcher.sources import ApiSource, DirectorySource
from matcher.tables import SiteRow, TrialRow
from tests.conftest import fixed_clock, load_study

COSMIC = "NCT03690388"
WITH_SITES = "NCT03167385"
LONG = "Saint-" + "x" * 244  # 250 characters


def write(folder: Path, name: str, study: dict[str, Any]) -> None:
    (folder / f"{name}.json").write_text(json.dumps(study), encoding="utf-8")


def test_long_registry_text_and_a_padded_nct_id_are_stored_once(engine: Engine, tmp_path: Path) -> None:
    study = load_study(WITH_SITES)
    section = study["protocolSection"]
    section["statusModule"]["overallStatus"] = "RECRUITING " + "y" * 60
    section["eligibilityModule"]["minimumAge"] = "18 Years " + "z" * 50
    section["eligibilityModule"]["sex"] = "ALL (as stated by the sponsor)"
    site = section["contactsLocationsModule"]["locations"][0]
    site.update(city=LONG, state=LONG, country=LONG, status="RECRUITING\x00 " + "s" * 60, facility=LONG * 5)
    padded = copy.deepcopy(study)
    padded["protocolSection"]["identificationModule"]["nctId"] = f" {WITH_SITES.lower()}\n"
    write(tmp_path, "a", study)
    write(tmp_path, "b", padded)

    summary = ingest.fetch(engine, DirectorySource(tmp_path), fixed_clock())
    assert summary.outcome == "succeeded" and not summary.failures
    assert summary.new == [WITH_SITES]
    with db.session(engine) as session:
        assert [row.nct_id for row in session.exec(select(TrialRow))] == [WITH_SITES]
        row = store.get_trial(session, f"  {WITH_SITES.lower()} ")
        assert row is not None and row.overall_status.endswith("y" * 60) and row.minimum_age.endswith("z" * 50)  # type: ignore[union-attr]
        first = session.exec(select(SiteRow).where(SiteRow.nct_id == WITH_SITES, SiteRow.position == 0)).one()
    assert (first.city, first.state, first.country, first.facility) == (LONG, LONG, LONG, LONG * 5)
    assert first.status == "RECRUITING " + "s" * 60  # the NUL PostgreSQL cannot hold is dropped


@pytest.mark.parametrize(
    ("nct_id", "shown"),
    [
        ("NCT123", "'NCT123'"),
        ("NCT0369038８", "'NCT0369038８'"),
        (None, "None"),
        ("NCT03690388 extra", "'NCT03690388 extra'"),
    ],
)
def test_an_invalid_nct_id_makes_that_study_unreadable_and_named(
    engine: Engine, tmp_path: Path, nct_id: str | None, shown: str
) -> None:
    bad = load_study(COSMIC)
    bad["protocolSection"]["identificationModule"]["nctId"] = nct_id
    write(tmp_path, "bad", bad)
    write(tmp_path, "good", load_study("NCT03602495"))
    summary = ingest.fetch(engine, DirectorySource(tmp_path), fixed_clock())
    assert summary.new == ["NCT03602495"]
    assert summary.failures == [
        f"{tmp_path / 'bad.json'}: study has no valid identificationModule.nctId (found {shown})"
    ]


def test_normalise_nct_id() -> None:
    assert normalise_nct_id(" nct03690388\n") == COSMIC
    for bad in ("NCT03690388\nNCT1", "NCT0369038", "NCT036903881", "", 3690388):
        with pytest.raises(CtGovDataError, match="is not an NCT id"):
            normalise_nct_id(bad)


def test_registry_text_that_cannot_be_stored_is_a_named_error() -> None:
    study = load_study(WITH_SITES)
    study["protocolSection"]["contactsLocationsModule"]["locations"][0]["city"] = "Lyon\ud800"
    with pytest.raises(
        CtGovDataError, match=rf"{WITH_SITES}: contactsLocationsModule.locations\[0\].city is not valid"
    ):
        parse_study(study)
    study["protocolSection"]["contactsLocationsModule"]["locations"][0]["city"] = {"name": "Lyon"}
    with pytest.raises(CtGovDataError, match=r"locations\[0\].city is dict, not text"):
        parse_study(study)


# --- migration 0003 on a database written by the previous schema --------------------------------------------------


def _at_0002(url: str) -> Engine:
    engine = db.create_db_engine(url)
    with db._alembic_config(engine) as config:
        command.upgrade(config, "0002")
    return engine


def _insert_trial(connection: Any, nct_id: str, status: str = "RECRUITING") -> None:
    connection.execute(
        text(
            "INSERT INTO trial (nct_id, brief_title, overall_status, phases, conditions, interventions, "
            "eligibility_text, content_hash, raw, first_seen_at, updated_at) VALUES (:id, 'A trial', :status, '[]', "
            "'[]', '[]', 'criteria', :hash, '{}', '2026-11-20 03:00:00', '2026-11-20 03:00:00')"
        ),
        {"id": nct_id, "status": status, "hash": nct_id.strip()[-4:] * 16},
    )
    connection.execute(
        text("INSERT INTO trial_site (nct_id, position, city) VALUES (:id, 0, :city)"),
        {"id": nct_id, "city": f"city of {nct_id.strip()}"},
    )
    connection.execute(
        text(
            "INSERT INTO trial_criteria (nct_id, content_hash, parser_version, criteria, parsed_at) "
            "VALUES (:id, 'h', '8', '[]', '2026-11-20 03:00:00')"
        ),
        {"id": nct_id},
    )


def _insert_match(connection: Any, patient: str, nct_id: str) -> None:
    connection.execute(
        text(
            "INSERT INTO match (patient_id, nct_id, verdict, score, overall_status, result, trial_hash, "
            "patient_hash, parser_version, matched_on, updated_at) VALUES (:p, :id, 'eligible', 1.0, 'RECRUITING', "
            "'{}', 'h', 'h', '8', '2026-11-20', '2026-11-20 03:00:00')"
        ),
        {"p": patient, "id": nct_id},
    )


def test_migration_0003_normalises_stored_ids_and_widens_registry_columns(database_url: str) -> None:
    engine = _at_0002(database_url)
    sqlite = engine.dialect.name == "sqlite"
    # PostgreSQL's varchar(11) kept the newline out; a lower-case id fits, and SQLite took anything.
    messy = "NCT03690388\n" if sqlite else "nct03690388"
    with engine.begin() as connection:
        _insert_trial(connection, "NCT03690388")
        _insert_trial(connection, messy)  # the duplicate of the same study
        _insert_trial(connection, "nct03602495")  # alone: renamed with its site and criteria
        _insert_match(connection, "p1", messy)  # p1 only under the messy id: moved
        _insert_match(connection, "p2", messy)
        _insert_match(connection, "p2", "NCT03690388")  # p2 under both: the clean one is kept
        if sqlite:
            _insert_trial(connection, "not-an-id")  # no NCT id at all: dropped
    engine.dispose()

    engine = db.open_database(database_url)
    with engine.connect() as connection:
        trials = connection.execute(text("SELECT nct_id, content_hash FROM trial ORDER BY nct_id")).all()
        sites = connection.execute(text("SELECT nct_id, city FROM trial_site ORDER BY nct_id")).all()
        criteria = connection.execute(text("SELECT nct_id FROM trial_criteria ORDER BY nct_id")).scalars().all()
        matches = connection.execute(text("SELECT patient_id, nct_id FROM match ORDER BY patient_id")).all()
        types = {c["name"]: c["type"] for c in inspect(connection).get_columns("trial_site")}
    assert [t.nct_id for t in trials] == ["NCT03602495", "NCT03690388"]
    assert trials[1].content_hash == "0388" * 16  # the clean row was kept
    assert [tuple(s) for s in sites] == [("NCT03602495", "city of nct03602495"), ("NCT03690388", "city of NCT03690388")]
    assert criteria == ["NCT03602495", "NCT03690388"]
    assert [tuple(m) for m in matches] == [("p1", "NCT03690388"), ("p2", "NCT03690388")]
    assert str(types["city"]).upper() == "TEXT"
    with db.session(engine) as session:  # a value past the old varchar(200) now fits, on PostgreSQL too
        session.exec(text("UPDATE trial_site SET city = :city").bindparams(city=LONG))  # type: ignore[call-overload]
        session.commit()
        assert {s.city for s in store.trial_sites(session, "NCT03602495")} == {LONG}
    engine.dispose()


def test_the_watch_list_is_normalised_and_checked() -> None:
    client = CtGovClient("http://127.0.0.1:9/api/v2", make_session(retries=0))  # never asked
    settings = Settings(watch_list=(" nct04554680\n", "NCT04554680", "NCT03753919"))
    assert ApiSource(client, settings).watch_list == ("NCT04554680", "NCT03753919")
    with pytest.raises(SourceError, match="watch_list: 'NCT123' is not an NCT id"):
        ApiSource(client, Settings(watch_list=("NCT04554680", "NCT123")))
