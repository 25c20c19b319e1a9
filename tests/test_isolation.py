"""Issue 11, findings 1, 2 and 9: one bad patient, trial or address never stops the night, and nothing is lost.

Everything goes through the command line (`matcher nightly`, `fetch`, `trials`, `runs`, `patients add`,
`coordinators mute`) on an SQLite file and on PostgreSQL, against the loopback ClinicalTrials.gov API
(`tests.fake_ctgov`) serving real study records and aiosmtpd with fault modes (`tests.smtp_server`). The bad
inputs are the ones the fault drill used: a therapy that "ends" 9999-12-31 stored the way an old database holds
it (written straight to the table, past today's validation), criteria text with "within 9999999 days", a
criteria text over a million characters, a number the parser cannot hold, the coordinator
``x,evil@attacker.example``, a 550 for one recipient, a reply lost after DATA, a PostgreSQL connection killed
during delivery.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text
from sqlmodel import col, select

from matcher import db, store
from matcher.cli import cli
from matcher.parsing import MAX_CRITERIA_CHARS
from matcher.tables import (
    DigestRow,
    MatchEventRow,
    MatchRow,
    NightlyRunRow,
    PatientRow,
    TrialCriteriaRow,
    TrialQuarantineRow,
)
from tests.conftest import PG_ADMIN_URL, STUDIES, fixed_clock, load_study
from tests.fake_ctgov import FakeCtGov, serve
from tests.smtp_server import SmtpServer, smtp_server
from tests.test_nightly import (
    APATINIB,
    CABOZANTINIB,
    FTC,
    FTC_COORD,
    OPENING,
    PTC,
    PTC_COORD,
    SHR_A1811,
    STUDY_IDS,
    example,
    plain,
    set_status,
)

BAD_PATIENT = "ongoing-9999"
HUGE_WINDOW = "No anticancer therapy within 9999999 days before the first dose"


@dataclass
class World:
    """A database, the fake registry, the mail server, and `matcher` run through its command line."""

    url: str
    fake: FakeCtGov
    smtp: SmtpServer
    env: dict[str, str]

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(cli, list(args), env=self.env)

    def nightly(self, day: int) -> Result:
        # The clock is the real one: the nights differ by what the registry posts (last-update dates).
        return self.run("nightly", "--source", self.fake.base_url)

    def session(self) -> Any:
        return _Session(self.url)

    def edit(self, nct_id: str, change: Callable[[dict[str, Any]], None]) -> None:
        study = copy.deepcopy(self.fake.studies[nct_id])
        change(study["protocolSection"])
        posted_today(study)
        self.fake.put(study)


def posted_today(study: dict[str, Any]) -> None:
    """Stamp a study as updated today, by the real clock the nights run on: an incremental fetch asks for updates
    since its last watermark (the day of the last run) less a day, so a fixed date falls out of that window once the
    calendar passes it."""
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {"date": date.today().isoformat()}


class _Session:
    def __init__(self, url: str) -> None:
        self.engine = db.open_database(url)

    def __enter__(self) -> Any:
        self.session = db.session(self.engine)
        return self.session

    def __exit__(self, *exc: object) -> None:
        self.session.close()
        self.engine.dispose()


@pytest.fixture
def world(database_url: str, tmp_path: Path) -> Iterator[World]:
    config = tmp_path / "empty.toml"
    config.write_text("")
    with serve(FakeCtGov()) as fake, smtp_server() as smtp:
        for nct_id in STUDY_IDS:
            fake.put(load_study(nct_id))
        env = {
            "MATCHER_DATABASE_URL": database_url,
            "MATCHER_CONFIG": str(config),
            "MATCHER_REQUEST_INTERVAL_S": "0",
            "MATCHER_PAGE_SIZE": "10",
            "MATCHER_WATCH_LIST": "",
            "MATCHER_SMTP_HOST": smtp.host,
            "MATCHER_SMTP_PORT": str(smtp.port),
            "MATCHER_SMTP_TIMEOUT_S": "5",
            "MATCHER_MAIL_FROM": "matcher@hospital.example",
        }
        yield World(database_url, fake, smtp, env)


def add_patients(world: World, *names: str) -> None:
    files = [str(Path(__file__).resolve().parents[1] / "examples" / f"{name}.json") for name in names]
    added = world.run("patients", "add", *files)
    assert added.exit_code == 0, added.output


def store_as_old_database(world: World, profile: dict[str, Any], coordinator: str | None) -> None:
    """Write a patient row the way an older version stored it: straight to the table, no validation on the way."""
    with world.session() as session:
        store.save_patient(session, profile["id"], profile, None, fixed_clock()())
        session.commit()
        if coordinator is not None:  # an address today's checks refuse: set with plain SQL, as old data would be
            session.execute(text("UPDATE patient SET coordinator = :c WHERE id = :i"),
                            {"c": coordinator, "i": profile["id"]})  # fmt: skip
            session.commit()


def runs(world: World) -> list[NightlyRunRow]:
    with world.session() as session:
        return list(session.exec(select(NightlyRunRow).order_by(col(NightlyRunRow.id))).all())


def quarantine_rows(world: World) -> dict[str, TrialQuarantineRow]:
    with world.session() as session:
        return {row.nct_id: row for row in session.exec(select(TrialQuarantineRow))}


def digests(world: World) -> list[DigestRow]:
    with world.session() as session:
        return list(session.exec(select(DigestRow).order_by(col(DigestRow.id))).all())


# --- finding 1: one patient stops the night for everyone ------------------------------------------------------


def test_a_stored_patient_that_cannot_be_evaluated_is_set_aside_and_everyone_else_is_mailed(world: World) -> None:
    """Before: every `nightly` crashed with OverflowError (0 digests, the run left "running"). Now the stored profile
    no longer passes today's validation (dates after today), so the patient is set aside before matching."""
    add_patients(world, "rair-papillary-braf", "rair-follicular-untreated")
    bad = example("rair-papillary-braf") | {"id": BAD_PATIENT}
    bad["therapies"] = [t | {"end": "9999-12-31"} if t.get("end") else t for t in bad["therapies"]]
    store_as_old_database(world, bad, PTC_COORD)

    night = world.nightly(3)
    assert night.exit_code == 3, night.output
    assert f"completed with 1 set aside:\n    patient {BAD_PATIENT}: stored profile no longer validates" in night.output
    # Both coordinators got their digest; the bad patient's own coordinator is told in an admin line.
    assert sorted(r.rcpt_tos for r in world.smtp.received) == sorted([(PTC_COORD,), (FTC_COORD,)])
    [ptc_mail] = world.smtp.to(PTC_COORD)
    [ftc_mail] = world.smtp.to(FTC_COORD)
    assert f"Admin: patient {BAD_PATIENT} was not matched this run" in plain(ptc_mail)
    assert BAD_PATIENT not in plain(ftc_mail)  # another coordinator's patient is not named to this one
    assert f"Patient {PTC}" in plain(ptc_mail) and f"Patient {FTC}" in plain(ftc_mail)
    # No profile value anywhere: not in the output, the run record or the mail.
    [run] = runs(world)
    assert run.outcome == "partial" and run.n_set_aside == 1 and run.finished_at is not None
    assert run.set_aside == [{"kind": "patient", "id": BAD_PATIENT, "error": run.set_aside[0]["error"]}]
    everything = night.output + json.dumps(run.set_aside) + (run.error or "") + ptc_mail.as_string()
    for value in ("9999-12-31", "1967-09-22", "Houston", "Lenvima"):
        assert value not in everything
    # Nothing of the bad patient is stored (it is tried again next night); the others' pairs all are.
    with world.session() as session:
        stored = {m.patient_id for m in session.exec(select(MatchRow))}
        assert stored == {PTC, FTC}
        assert not session.exec(select(MatchEventRow).where(MatchEventRow.patient_id == BAD_PATIENT)).all()

    listed = world.run("runs", "--limit", "1")
    assert listed.exit_code == 0
    assert "partial" in listed.output and f"completed with 1 set aside: patient {BAD_PATIENT}" in listed.output

    # The next night: the bad patient is set aside again (and said so), nothing else to do. Its coordinator is
    # told even without news; the other coordinator hears nothing.
    again = world.nightly(4)
    assert again.exit_code == 3, again.output
    assert f"patient {BAD_PATIENT}" in again.output
    assert [r.outcome for r in runs(world)] == ["partial", "partial"]
    [_, notice] = world.smtp.to(PTC_COORD)
    assert notice["Subject"] == "[matcher] 1 admin notice"
    assert f"Admin: patient {BAD_PATIENT} was not matched this run" in plain(notice)
    assert len(world.smtp.to(FTC_COORD)) == 1


# --- finding 2: one upstream trial stops all matching ---------------------------------------------------------


def _with_exclusion(study: dict[str, Any], line: str) -> dict[str, Any]:
    study = copy.deepcopy(study)
    study["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] += f"\n\n  40. {line}"
    return study


def damage_stored_parse(world: World, nct_id: str) -> None:
    """Make a trial's stored parse unreadable the way a damaged or foreign row is: a fact of a kind no parser of
    this version writes. (Text can no longer make evaluation fail: out-of-bounds numbers are read as unknown.)"""
    with world.session() as session:
        row = session.get(TrialCriteriaRow, nct_id)
        criteria = copy.deepcopy(row.criteria)
        facts = next(c[9] for c in criteria if c[9])
        facts[0][0] = "no_such_kind|require|{}"
        row.criteria = criteria
        session.add(row)
        session.commit()


def test_a_trial_that_fails_to_evaluate_is_quarantined_and_reported(world: World) -> None:
    """Before: one trial that could not be evaluated ("within 9999999 days" raised OverflowError) made every
    `nightly` (and `match`) crash."""
    add_patients(world, "rair-papillary-braf")
    assert world.nightly(3).exit_code == 0
    sent_before = len(world.smtp.messages)
    damage_stored_parse(world, CABOZANTINIB)
    add_patients(world, "rair-follicular-untreated")  # a new patient: every trial is evaluated for her

    night = world.nightly(4)
    assert night.exit_code == 3, night.output
    assert f"trial {CABOZANTINIB}: evaluation failed: ValueError" in night.output
    held = quarantine_rows(world)
    assert list(held) == [CABOZANTINIB] and held[CABOZANTINIB].source == "evaluate"
    assert "ValueError" in held[CABOZANTINIB].reason
    # Every other pair was matched, and the night's digest went out with the admin line.
    with world.session() as session:
        pairs = {(m.patient_id, m.nct_id) for m in session.exec(select(MatchRow))}
    others = {n for n in STUDY_IDS if n != CABOZANTINIB}
    assert {(p, n) for p in (PTC, FTC) for n in others} <= pairs
    assert (FTC, CABOZANTINIB) not in pairs
    assert len(world.smtp.messages) > sent_before
    for message in world.smtp.messages[sent_before:]:
        assert f"Admin: trial {CABOZANTINIB} is set aside (quarantined, not matched): evaluation failed" in plain(
            message
        )
    listed = world.run("runs", "--limit", "1")
    assert f"completed with 1 set aside: trial {CABOZANTINIB}" in listed.output
    trials = world.run("trials")
    assert f"{CABOZANTINIB}  QUARANTINED (evaluate, since " in trials.output

    # Quarantined, it is not evaluated again: the next night is clean.
    clean = world.nightly(5)
    assert clean.exit_code == 0, clean.output
    assert "evaluated 0 pair(s)" in clean.output

    # The registry posts new content: it is parsed afresh, no longer set aside, and matched.
    fixed = load_study(CABOZANTINIB)
    posted_today(fixed)
    fixed["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] += "\n"
    world.fake.put(fixed)
    corrected = world.nightly(6)
    assert corrected.exit_code == 0, corrected.output
    assert quarantine_rows(world) == {}
    with world.session() as session:
        assert session.get(MatchRow, (FTC, CABOZANTINIB)) is not None


def test_an_out_of_bounds_window_is_read_as_unknown_not_a_crash(world: World) -> None:
    """Before: "within 9999999 days" raised OverflowError in every `match` and `nightly`. Now the number is out of
    the plausible bounds: the criterion is unknown ("reading uncertain"), never violated, and nothing is set aside."""
    world.fake.put(_with_exclusion(world.fake.studies[CABOZANTINIB], HUGE_WINDOW))
    add_patients(world, "rair-papillary-braf", "rair-follicular-untreated")
    night = world.nightly(3)
    assert night.exit_code == 0, night.output
    assert quarantine_rows(world) == {}
    explained = world.run("explain", str(Path(__file__).resolve().parents[1] / "examples" / "rair-papillary-braf.json"),
                          CABOZANTINIB, "--json")  # fmt: skip
    assert explained.exit_code == 0, explained.output
    [criterion] = [c for c in json.loads(explained.output)["criteria"] if "9999999" in c["text"]]
    assert criterion["outcome"] in ("unknown", "satisfied"), criterion
    assert criterion["outcome"] != "violated"


def _study_dir(tmp_path: Path, changed: dict[str, dict[str, Any]]) -> Path:
    directory = tmp_path / "studies"
    directory.mkdir()
    for nct_id in STUDY_IDS:
        shutil.copy(STUDIES / f"{nct_id}.json", directory / f"{nct_id}.json")
    for nct_id, study in changed.items():
        (directory / f"{nct_id}.json").write_text(json.dumps(study), encoding="utf-8")
    return directory


def test_fetch_sets_aside_an_over_long_or_unparseable_criteria_text_and_parses_the_rest(
    world: World, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Before: `matcher fetch` died in the parse step (spaCy E088 for the long text, OverflowError for the number),
    and every later command that parses died the same way."""
    long_text = "Patients must have adequate bone marrow and organ function. " * 20_000  # 1.2 M characters
    unparseable = "Major surgery within 1" + "0" * 400 + " months"
    directory = _study_dir(tmp_path, {
        APATINIB: _with_exclusion(load_study(APATINIB), long_text),
        SHR_A1811: _with_exclusion(load_study(SHR_A1811), unparseable),
    })  # fmt: skip
    fetched = world.run("fetch", "--source", str(directory))
    assert fetched.exit_code == 0, fetched.output
    logged = caplog.text  # on stderr outside the test runner
    assert f"{APATINIB} set aside (quarantined, not matched): criteria text of 1,2" in logged
    assert f"over the limit of {MAX_CRITERIA_CHARS:,} (not parsed)" in logged
    assert "E088" not in logged + fetched.output  # spaCy never saw it
    held = quarantine_rows(world)
    assert set(held) <= {APATINIB, SHR_A1811} and APATINIB in held
    if SHR_A1811 in held:  # the parser raised on it (until numbers are bounded); else it parsed
        assert held[SHR_A1811].reason.startswith("parse failed: OverflowError")
    parsed = len(STUDY_IDS) - len(held)
    assert f"parsed the criteria of {parsed} new or changed trial(s)" in fetched.output

    listed = world.run("trials", "quarantined", "--json")
    assert [row["nct_id"] for row in json.loads(listed.output)] == sorted(held)
    # Matching works on the rest; the trials set aside are not matched.
    add_patients(world, "rair-papillary-braf", "rair-follicular-untreated")
    night = world.run("nightly", "--source", str(directory))
    assert night.exit_code == 3, night.output  # set aside by `fetch`: reported by the next nightly run
    assert f"completed with {len(held)} set aside:\n    trial {APATINIB}: criteria text of 1,2" in night.output
    with world.session() as session:
        matched = {m.nct_id for m in session.exec(select(MatchRow))}
    assert matched == set(STUDY_IDS) - set(held)
    assert all(f"Admin: trial {APATINIB} is set aside" in plain(m) for m in world.smtp.messages)
    assert len(world.smtp.messages) == 2
    again = world.run("nightly", "--source", str(directory))
    assert again.exit_code == 0, again.output  # reported once; still set aside, nothing new to say


# --- setting trials aside by hand -----------------------------------------------------------------------------


def test_quarantine_and_release_by_hand(world: World) -> None:
    add_patients(world, "rair-papillary-braf", "rair-follicular-untreated")
    assert world.nightly(3).exit_code == 0

    put = world.run("trials", "quarantine", APATINIB.lower(), "--reason", "sites misreported", "--by", "dr.a")
    assert put.exit_code == 0, put.output
    assert f"{APATINIB}: quarantined (sites misreported)" in put.output
    trials = world.run("trials", "--status", "RECRUITING")
    assert f"{APATINIB}  QUARANTINED (manual, since " in trials.output and "sites misreported" in trials.output
    held = quarantine_rows(world)[APATINIB]
    assert (held.source, held.by, held.reason) == ("manual", "dr.a", "sites misreported")
    # `matcher match` leaves it out too (it did not, before: only the nightly job skipped quarantined trials)
    example_file = str(Path(__file__).resolve().parents[1] / "examples" / "rair-papillary-braf.json")
    listed = world.run("match", example_file, "--all", "--any-status", "--json")
    assert listed.exit_code == 0, listed.output
    assert APATINIB not in {t["nct_id"] for t in json.loads(listed.stdout)["trials"]}

    # The trial closes upstream: while quarantined, that is not matched and not news.
    world.edit(APATINIB, set_status("COMPLETED"))
    seen = len(world.smtp.messages)
    quiet = world.nightly(4)
    assert quiet.exit_code == 0, quiet.output
    assert "evaluated 0 pair(s)" in quiet.output and len(world.smtp.messages) == seen
    with world.session() as session:
        match = session.get(MatchRow, (PTC, APATINIB))
        assert match is not None and match.overall_status == "RECRUITING"

    released = world.run("trials", "release", APATINIB)
    assert released.exit_code == 0 and f"{APATINIB}: released" in released.output
    after = world.nightly(4)
    assert after.exit_code == 0, after.output
    assert "evaluated 2 pair(s)" in after.output
    assert {(str(m["To"]), APATINIB in plain(m)) for m in world.smtp.messages[seen:]} == {
        (PTC_COORD, True),
        (FTC_COORD, True),
    }

    for args, message in [
        (("trials", "quarantine", "NCT1", "--reason", "x"), "not an NCT id"),
        (("trials", "quarantine", "NCT99999999", "--reason", "x"), "not in the database"),
        (("trials", "quarantine", APATINIB), "Missing option '--reason'"),
        (("trials", "release", APATINIB), "not quarantined"),
    ]:
        refused = world.run(*args)
        assert refused.exit_code == 2 and message in refused.output, (args, refused.output)


# --- finding 9: addresses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["x,evil@attacker.example", "Bcc:evil@attacker.example"])
def test_a_coordinator_that_is_not_one_address_is_refused_when_stored(
    world: World, tmp_path: Path, address: str
) -> None:
    """Before: accepted, and the digest went to two parties."""
    profile = example("rair-papillary-braf") | {"coordinator": address}
    path = tmp_path / "patient.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    added = world.run("patients", "add", str(path))
    assert added.exit_code == 2, added.output
    assert "coordinator" in added.output and address in added.output
    with world.session() as session:
        assert session.exec(select(PatientRow)).all() == []


def test_coordinators_mute_refuses_what_is_not_an_address(world: World) -> None:
    muted = world.run("coordinators", "mute", "not-an-email")
    assert muted.exit_code == 2, muted.output
    assert "'not-an-email' is not one email address" in muted.output
    assert world.run("coordinators", "mute", FTC_COORD).exit_code == 0


def test_an_address_stored_before_the_checks_is_never_mailed_and_does_not_fail_the_night(world: World) -> None:
    """An old database may hold ``x,evil@attacker.example``: its digest is given up at once, the others go out."""
    add_patients(world, "rair-follicular-untreated")
    store_as_old_database(world, example("rair-papillary-braf"), "x,evil@attacker.example")
    night = world.nightly(3)
    assert night.exit_code == 3, night.output
    assert [r.rcpt_tos for r in world.smtp.received] == [(FTC_COORD,)]
    assert all("attacker" not in str(r.message["To"]) + str(r.message["Bcc"]) for r in world.smtp.received)
    given_up = [d for d in digests(world) if d.status == "failed_permanent"]
    assert [d.coordinator for d in given_up] == ["x,evil@attacker.example"]
    assert "is not one email address" in (given_up[0].last_error or "")


def test_a_recipient_refused_permanently_is_given_up_after_n_tries_and_stops_failing_the_night(world: World) -> None:
    """Before: a 550 for one recipient was retried every night forever, and every night exited 1."""
    add_patients(world, "rair-papillary-braf", "rair-follicular-untreated")
    world.smtp.refuse[PTC_COORD] = "550 5.1.1 <thyroid-trials@hospital.example>: mailbox unavailable"
    outcomes = []
    for day in (3, 4, 5):
        night = world.nightly(day)
        outcomes.append(night.exit_code)
    assert outcomes == [1, 1, 3]  # two nights failed (the 550 counts), the third gives the digest up
    assert world.smtp.handler.refused_rcpt == [PTC_COORD] * 3
    assert [r.rcpt_tos for r in world.smtp.received] == [(FTC_COORD,)]  # the other digest went out the first night
    [given_up] = [d for d in digests(world) if d.coordinator == PTC_COORD]
    assert (given_up.status, given_up.permanent_failures, given_up.attempts) == ("failed_permanent", 3, 3)
    assert "550" in (given_up.last_error or "")
    last = runs(world)[-1]
    assert last.outcome == "partial" and f"digest {given_up.id} to {PTC_COORD}" in (last.error or "")

    # The given-up digest is not tried again. News for the same dead address is tried once and given up at once:
    # the night is not failed (exit 3: set aside), and the other coordinator's digest carries the admin line.
    world.edit(OPENING, set_status("RECRUITING"))
    fourth = world.nightly(6)
    assert fourth.exit_code == 3, fourth.output
    assert world.smtp.handler.refused_rcpt == [PTC_COORD] * 4
    [news] = world.smtp.to(FTC_COORD)[1:]
    assert f"Admin: the digest of run 1 to {PTC_COORD} was given up after 3 permanent refusal(s)" in plain(news)
    assert [d.status for d in digests(world) if d.coordinator == PTC_COORD] == ["failed_permanent"] * 2
    # Once the mailbox is back, news reaches it again.
    world.smtp.refuse.clear()
    world.edit(OPENING, set_status("ACTIVE_NOT_RECRUITING"))
    fifth = world.nightly(7)
    assert fifth.exit_code == 0, fifth.output
    assert len(world.smtp.to(PTC_COORD)) == 1


def test_a_temporary_refusal_is_retried_without_limit(world: World) -> None:
    add_patients(world, "rair-papillary-braf", "rair-follicular-untreated")
    world.smtp.reply = "451 4.3.0 try again later"
    assert [world.nightly(day).exit_code for day in (3, 4, 5, 6)] == [1, 1, 1, 1]
    assert {(d.status, d.attempts, d.permanent_failures) for d in digests(world)} == {("pending", 4, 0)}
    world.smtp.reply = None
    assert world.nightly(7).exit_code == 0
    assert sorted(str(m["To"]) for m in world.smtp.messages) == sorted([PTC_COORD, FTC_COORD])


def test_a_reply_lost_after_data_is_the_documented_duplicate(world: World) -> None:
    """The server keeps the message but the connection drops before its reply: the digest stays pending and goes
    out once more the next night, with the same Message-ID (docs/deploy.md, the duplicate window)."""
    add_patients(world, "rair-papillary-braf", "rair-follicular-untreated")
    world.smtp.drop_after_data = True
    lost = world.nightly(3)
    assert lost.exit_code == 1, lost.output
    assert world.smtp.handler.dropped == 2 and len(world.smtp.messages) == 2
    world.smtp.drop_after_data = False
    assert world.nightly(4).exit_code == 0
    for coordinator in (PTC_COORD, FTC_COORD):
        copies = world.smtp.to(coordinator)
        assert len(copies) == 2 and copies[0]["Message-ID"] == copies[1]["Message-ID"]
    assert world.nightly(5).exit_code == 0 and len(world.smtp.messages) == 4  # and never a third time


# --- a lost PostgreSQL connection during delivery ---------------------------------------------------------------


def test_a_connection_lost_during_delivery_ends_the_run_failed_not_running(world: World) -> None:
    """Before: the error escaped as a traceback and the run stayed "running" until the next run."""
    if not world.url.startswith("postgresql"):
        pytest.skip("terminating a server connection is a PostgreSQL fault")
    add_patients(world, "rair-papillary-braf", "rair-follicular-untreated")
    name = world.url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def kill_connections() -> None:  # what a PostgreSQL restart does to the nightly run's connection
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"), {"d": name})

    world.smtp.on_accept = kill_connections
    try:
        night = world.nightly(3)
    finally:
        world.smtp.on_accept = None
        admin.dispose()
    assert night.exit_code == 1, night.output
    assert "database error during delivery: OperationalError" in night.output
    assert "Traceback" not in night.output
    [run] = runs(world)
    assert run.outcome == "failed" and run.finished_at is not None
    assert "database error during delivery" in (run.error or "")
    # The accepted digest was not marked sent: it goes out again (the duplicate window), the other for the first time.
    after = world.nightly(4)
    assert after.exit_code == 0, after.output
    assert [r.outcome for r in runs(world)] == ["failed", "succeeded"]
    assert {d.status for d in digests(world)} == {"sent"}
    assert len(world.smtp.messages) == 3
