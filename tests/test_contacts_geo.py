"""Contacts, links and coordinates without the internet (issue 12), on the real records of ../shared/ctgov:
studies/ (legacy layout, no geoPoint) and raw/api_v2/studies (geoPoint on most sites), through the real CLI on
SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from matcher import db, geo, monitor_store, store
from matcher.collect import collect_next
from matcher.config import ENROLLING_STATUSES
from matcher.ctgov_parse import parse_study
from matcher.ingest import fetch
from matcher.matching import Filters, match_stored
from matcher.patient import parse_patient
from matcher.sources import DirectorySource
from tests.conftest import CTGOV, ROOT, STUDIES, fixed_clock, load_study

EXAMPLES = ROOT / "examples"
HOUSTON = str(EXAMPLES / "rair-papillary-braf.json")
RAW = CTGOV / "raw" / "api_v2" / "studies"


def _studies(directory: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("NCT*.json"))]


# --- parsing: contacts and coordinates ------------------------------------------------------------------------


def test_contacts_of_a_legacy_record_and_a_site_placed_by_the_gazetteer() -> None:
    trial = parse_study(load_study("NCT03246958"))  # studies/: no geoPoint anywhere
    roles = [(c.role, c.name) for c in trial.contacts]
    assert roles == [
        ("central", "Patricia McHugh, BSN"),
        ("central_backup", "Michelle Flynn, BSN"),
        ("official", "Jochen Lorch, MD"),
    ]
    assert trial.contacts[0].phone == "617-632-3090" and trial.contacts[0].email == "patricia_mchugh@dfci.harvard.edu"
    assert trial.contacts[2].affiliation == "Dana-Farber Cancer Institute"
    [site] = [s for s in trial.sites if s.city == "Boston"]
    assert site.geo_source == "gazetteer"
    assert site.lat == pytest.approx(42.36, abs=0.05) and site.lon == pytest.approx(-71.06, abs=0.05)
    [raw] = [loc for loc in load_study("NCT03246958")["protocolSection"]["contactsLocationsModule"]["locations"]
             if loc["city"] == "Boston"]  # fmt: skip
    assert [(c.role, c.name) for c in site.contacts] == [("site", c["name"]) for c in raw["contacts"]]
    assert trial.url == "https://clinicaltrials.gov/study/NCT03246958"


def test_geopoint_is_kept_and_a_misspelt_city_is_counted_unplaced() -> None:
    study = load_study("NCT04078230")  # raw API v2: 11 of 13 sites have geoPoint; 2 say "Hanzhou"
    trial = parse_study(study)
    sources = [s.geo_source for s in trial.sites]
    assert sources.count("registry") == 11 and sources.count("unplaced") == 2
    raw_sites = study["protocolSection"]["contactsLocationsModule"]["locations"]
    for site, raw in zip(trial.sites, raw_sites, strict=True):
        if "geoPoint" in raw:
            assert (site.lat, site.lon) == (raw["geoPoint"]["lat"], raw["geoPoint"]["lon"])
        else:
            assert site.city == "Hanzhou" and site.lat is None and site.lon is None
    assert trial.contacts[0].role == "central" and trial.contacts[0].phone == "86-15906686716"


def test_gazetteer_agrees_with_the_registrys_geopoints() -> None:
    """Where the registry gives a geoPoint, the gazetteer's answer for the same city is near it (median < 5 km)."""
    errors = []
    for study in _studies(RAW):
        for loc in study["protocolSection"].get("contactsLocationsModule", {}).get("locations", []):
            point, found = loc.get("geoPoint"), geo.place(loc.get("city"), loc.get("state"), loc.get("country"))
            if point and found:
                from matcher.matching.evaluate import haversine_km

                errors.append(haversine_km(point["lat"], point["lon"], found.lat, found.lon))
    errors.sort()
    assert len(errors) > 600
    assert errors[len(errors) // 2] < 5


@pytest.mark.parametrize("name", ["USA", "US", "United States", "united states of america", "U.S.A."])
def test_country_names_are_one_country(name: str) -> None:
    assert geo.country_code(name) == "US"


def test_state_codes_and_names_and_unknown_places() -> None:
    assert geo.state_key("US", "tx") == geo.state_key("US", "Texas") == "TX"
    assert geo.country_code("Korea, Republic of") == geo.country_code("South Korea") == "KR"
    assert geo.country_code("Turkey (Türkiye)") == "TR" and geo.country_code("Atlantis") is None
    assert geo.place("Portland", "Maine", "United States").lat == pytest.approx(43.66, abs=0.1)  # type: ignore[union-attr]
    assert geo.place("Portland", "OR", "USA").lat == pytest.approx(45.52, abs=0.1)  # type: ignore[union-attr]
    assert geo.place("Nowhereville", "Texas", "United States") is None
    assert geo.place("Houston", None, None) is None  # no country: not guessed


# --- storing: contacts, backfill, contact-only changes --------------------------------------------------------


def test_stored_trials_get_contacts_and_coordinates_on_the_next_fetch(engine: Engine, tmp_path: Path) -> None:
    source = DirectorySource(STUDIES)
    fetch(engine, source, fixed_clock())
    with engine.begin() as connection:  # as a database written before 0005 holds them
        connection.execute(text("UPDATE trial SET contacts = NULL, contacts_hash = NULL"))
        connection.execute(text("UPDATE trial_site SET contacts = NULL, geo_source = NULL, lat = NULL, lon = NULL"))
    summary = fetch(engine, source, fixed_clock("2026-11-27T03:00:00"))
    assert (len(summary.new), len(summary.changed), summary.unchanged) == (0, 0, 48)  # nothing re-parsed
    with db.session(engine) as session:
        assert [c.name for c in store.trial_contacts(session, "NCT03246958")][:1] == ["Patricia McHugh, BSN"]
        sites = store.sites_by_trial(session)
    every = [s for found in sites.values() for s in found]
    assert all(s.geo_source in ("gazetteer", "unplaced") for s in every)
    placed = [s for s in every if s.geo_source == "gazetteer"]
    assert len(placed) > 0.8 * len(every) and all(s.lat is not None for s in placed)


def test_a_new_phone_number_is_written_without_re_parsing(engine: Engine, tmp_path: Path) -> None:
    directory = tmp_path / "studies"
    directory.mkdir()
    study = load_study("NCT03246958")
    (directory / "NCT03246958.json").write_text(json.dumps(study), encoding="utf-8")
    fetch(engine, DirectorySource(directory), fixed_clock())
    study["protocolSection"]["contactsLocationsModule"]["centralContacts"][0]["phone"] = "617-555-0199"
    (directory / "NCT03246958.json").write_text(json.dumps(study), encoding="utf-8")
    summary = fetch(engine, DirectorySource(directory), fixed_clock("2026-11-27T03:00:00"))
    assert (summary.new, summary.changed, summary.unchanged) == ([], [], 1)
    with db.session(engine) as session:
        assert store.trial_contacts(session, "NCT03246958")[0].phone == "617-555-0199"
        assert store.get_trial(session, "NCT03246958").content_hash == parse_study(study).content_hash  # type: ignore[union-attr]


# --- the command line --------------------------------------------------------------------------------------------


def _texas_trials() -> set[str]:
    found = set()
    for study in _studies(STUDIES):
        locations = study["protocolSection"].get("contactsLocationsModule", {}).get("locations", [])
        if any(geo.state_key("US", loc.get("state")) == "TX" for loc in locations if loc.get("country")):
            found.add(study["protocolSection"]["identificationModule"]["nctId"])
    return found


def test_within_500_km_of_houston_gives_the_trials_with_texas_sites(run) -> None:  # type: ignore[no-untyped-def]
    run("fetch", "--source", str(STUDIES))
    result = run("match", HOUSTON, "--on", "2026-11-26", "--within", "500", "--any-status", "--all", "--json")
    assert result.exit_code == 0
    trials = json.loads(result.stdout)["trials"]
    texas = _texas_trials()
    assert len(texas) >= 5
    assert {t["nct_id"] for t in trials} == texas
    assert all(t["nearest_site"]["distance_km"] <= 500 for t in trials)
    assert "could not be placed" in result.stderr  # counted and said, not dropped silently


def test_country_usa_is_united_states(run) -> None:  # type: ignore[no-untyped-def]
    run("fetch", "--source", str(STUDIES))
    found = []
    for name in ("USA", "US", "United States"):
        result = run("match", HOUSTON, "--on", "2026-11-26", "--any-status", "--all", "--country", name, "--json")
        found.append({t["nct_id"] for t in json.loads(result.stdout)["trials"]})
    assert found[0] == found[1] == found[2] and len(found[0]) > 10
    bad = run("match", HOUSTON, "--country", "Atlantis")
    assert bad.exit_code == 2 and "'Atlantis' is not a country" in bad.output


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_example_patients_see_a_nearest_site_and_a_contact_for_every_enrolling_trial_with_a_site(
    run, example: str
) -> None:  # type: ignore[no-untyped-def]
    run("fetch", "--source", str(STUDIES))
    document = json.loads((EXAMPLES / example).read_text(encoding="utf-8"))
    result = run("match", str(EXAMPLES / example), "--on", "2026-11-26", "--json")
    assert result.exit_code == 0
    output = json.loads(result.stdout)
    located = bool(document.get("location", {}).get("city") or document.get("location", {}).get("lat"))
    with_sites = 0
    for trial in output["trials"]:
        assert trial["url"] == f"https://clinicaltrials.gov/study/{trial['nct_id']}"
        stored = load_study(trial["nct_id"])["protocolSection"].get("contactsLocationsModule", {})
        if trial["overall_status"] not in ENROLLING_STATUSES or not stored.get("locations"):
            continue
        with_sites += 1
        if located:
            assert "nearest_site" in trial, trial["nct_id"]
        contacts = trial.get("contacts", []) + trial.get("nearest_site", {}).get("contacts", [])
        if located or stored.get("centralContacts") or stored.get("overallOfficials"):
            assert contacts, trial["nct_id"]  # without a location there is no nearest site to hold site contacts
        assert all(c["role"] in ("central", "central_backup", "official", "site") for c in contacts)
    assert with_sites > 0
    table = run("match", str(EXAMPLES / example), "--on", "2026-11-26")
    if located:
        assert "nearest enrolling site:" in table.stdout
    assert "contact: " in table.stdout and "https://clinicaltrials.gov/study/" in table.stdout


def test_a_patient_given_by_city_is_placed_and_within_works(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("fetch", "--source", str(STUDIES))
    document = json.loads(Path(HOUSTON).read_text(encoding="utf-8"))
    document["location"] = {"city": "Houston", "state": "TX", "country": "USA"}
    path = tmp_path / "by-city.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    by_city = run("match", str(path), "--on", "2026-11-26", "--within", "500", "--any-status", "--all", "--json")
    assert {t["nct_id"] for t in json.loads(by_city.stdout)["trials"]} == _texas_trials()
    document["location"] = {"city": "Smallville", "country": "United States"}
    path.write_text(json.dumps(document), encoding="utf-8")
    unknown = run("match", str(path), "--within", "500")
    assert unknown.exit_code == 2 and "gazetteer" in unknown.output and "Smallville" in unknown.output


def test_trial_lists_every_site_with_its_contacts(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    directory = tmp_path / "raw"
    directory.mkdir()
    shutil.copy(RAW / "NCT06077760.json", directory)  # 229 sites, 8 without geoPoint
    run("fetch", "--source", str(directory))
    shown = run("trial", "NCT06077760")
    locations = load_study("NCT06077760")["protocolSection"]["contactsLocationsModule"]["locations"]
    assert f"sites: {len(locations)}" in shown.stdout
    for loc in locations:
        assert loc["facility"] in shown.stdout
    assert "FACILITY" in shown.stdout and "https://clinicaltrials.gov/study/NCT06077760" in shown.stdout


# --- missing is a data to-do list; the collect-next list --------------------------------------------------------


def test_missing_never_holds_criterion_text_and_collect_next_is_ranked(engine: Engine) -> None:
    fetch(engine, DirectorySource(STUDIES), fixed_clock())
    from matcher import parsing

    parsing.parse_stale(engine, fixed_clock())
    patient = parse_patient(json.loads(Path(HOUSTON).read_text(encoding="utf-8"))).patient
    from datetime import date

    with db.session(engine) as session:
        matches = match_stored(session, patient, date(2026, 11, 26), Filters(include_ineligible=True))
    texts = {" ".join(c.text.split()) for m in matches for c in m.prepared.criteria_stored}
    unreadable = 0
    for m in matches:
        for item in m.missing:  # what the old code put there: the criterion's text, or its first 79 characters + "…"
            assert item not in texts, (m.trial.nct_id, item)
            assert not (item.endswith("…") and any(t.startswith(item[:-1]) for t in texts)), (m.trial.nct_id, item)
        unreadable += sum(1 for p in m.parts if p.reason.startswith("not understood by the parser"))
    assert unreadable > 0  # such criteria exist, and stay unknown criteria with their reason
    items = collect_next(matches)
    assert items
    counts = [len(i.trials) for i in items]
    assert counts == sorted(counts, reverse=True)
    possible = {m.trial.nct_id: m for m in matches if m.verdict.value == "possible"}
    for item in items:
        assert {n for n, m in possible.items() if item.item in m.missing} == set(item.trials)


def test_migration_0005_keeps_stored_rows_and_gives_coordinators_the_defaults(database_url: str) -> None:
    """A database at 0004 with a trial and a coordinator: 0005 adds the columns (the trial's contacts stay NULL
    until the next fetch fills them), and the coordinator gets daily delivery, every kind, any distance."""
    from alembic import command

    engine = db.create_db_engine(database_url)
    try:
        with db._alembic_config(engine) as config:
            command.upgrade(config, "0004")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO coordinator (email, muted, updated_at) "
                                    "VALUES ('old@hospital.example', false, '2026-11-01 00:00:00')"))  # fmt: skip
        assert db.upgrade(engine) == ("0004", db.SCHEMA_HEAD)  # through 0005, and the migrations after it
        with db.session(engine) as session:
            [row] = monitor_store.preferences(session).values()
        assert (row.delivery, row.news_kinds, row.near_km, row.not_enrolling_news) == ("daily", None, None, False)
        with db._alembic_config(engine) as config:
            command.downgrade(config, "0004")  # and back: the downgrade works on both databases
        assert db.current_revision(engine) == "0004"
    finally:
        engine.dispose()
