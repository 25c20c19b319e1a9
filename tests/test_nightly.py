"""The nightly monitor end to end, over several simulated nights, with a real SMTP server on loopback.

Real pieces only: study objects from the shared data served by a loopback ClinicalTrials.gov API v2 server
(`tests.fake_ctgov`), patients from examples/, a real database (SQLite file and PostgreSQL), aiosmtpd as the mail
server (`tests.smtp_server`). Each night is one `run_nightly` call at a fixed clock; between nights a test edits
the served studies the way the registry would (status, criteria, sites) and bumps their last-update date, so the
incremental fetch sees them.

What a coordinator received is read back from the mail server: the (coordinator, patient, NCT id, kind) of every
item is parsed from the plain-text part and compared with the events the run stored, and both must equal the
exact set the night's edit should cause.
"""

from __future__ import annotations

import copy
import email
import email.policy
import json
import pickle
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, event, text
from sqlmodel import col, select

from matcher import db, monitor_store, store
from matcher.cli import cli
from matcher.config import Settings
from matcher.ctgov_client import CtGovClient, make_session
from matcher.errors import LockHeld
from matcher.jobs import NightlyResult, run_nightly
from matcher.knowledge_base import load_knowledge
from matcher.matching import match_prepared, prepare_rows
from matcher.matching.evaluate import ENROLLING_SITE
from matcher.notify import KIND_TITLES, DigestItem, Email, Sender, SmtpSender, subject_for
from matcher.patient import parse_patient
from matcher.scheduler import JOB_ID, build_scheduler
from matcher.sources import ApiSource
from matcher.tables import DigestRow, FetchRunRow, MatchEventRow, MatchRow, NightlyRunRow, TrialRow
from tests.conftest import ROOT, fixed_clock, load_study
from tests.fake_ctgov import Failure, FakeCtGov, serve
from tests.smtp_server import SmtpServer, smtp_server

EXAMPLES = ROOT / "examples"
PTC, FTC, SPARSE = "ex-rair-ptc-braf", "ex-rair-ftc-untreated", "ex-sparse"
PTC_COORD = "thyroid-trials@hospital.example"  # the papillary patient's coordinator (Houston)
FTC_COORD = "studienzentrale@hospital.example"  # the follicular patient's coordinator (Munich)
MAIL_FROM = "matcher@hospital.example"

CABOZANTINIB = "NCT03690388"  # RECRUITING; eligible for PTC (progressed on lenvatinib), ineligible for FTC
APATINIB = "NCT03167385"  # RECRUITING, one site in Tianjin; possible for both
SHR_A1811 = "NCT05482568"  # NOT_YET_RECRUITING; a lung-cancer trial: ineligible for every thyroid patient
OPENING = "NCT03416686"  # NOT_YET_RECRUITING thyroid trial, possible for both: the one that opens in these tests
# Thyroid-cancer studies of the shared data: 14 studies, so the search has two pages of 10.
OTHER_STUDIES = ["NCT00984282", "NCT01321554", "NCT02973997", "NCT03246958", "NCT03416686", "NCT03469011"]
OTHER_STUDIES += ["NCT03506048", "NCT03602495", "NCT03753919", "NCT04290663", "NCT04447183"]
STUDY_IDS = sorted([CABOZANTINIB, APATINIB, SHR_A1811, *OTHER_STUDIES])
# The criterion added on night 3, in the numbered legacy style of the studies' own exclusion lists.
LENVATINIB_EXCLUSION = "Prior treatment with lenvatinib"
HOUSTON_SITE = {
    "facility": "Houston Methodist Cancer Center",
    "status": "RECRUITING",
    "city": "Houston",
    "state": "Texas",
    "zip": "77030",
    "country": "United States",
    "geoPoint": {"lat": 29.71, "lon": -95.40},  # ~6 km from the PTC patient, whose radius is 300 km
}
SCRIPT = "<script>alert(1)</script>"

Item = tuple[str, str, str, str]  # (coordinator, patient id, NCT id, kind)
KIND_OF_TITLE = {title: kind for kind, title in KIND_TITLES.items()}
PATIENT_LINE = re.compile(r"^Patient (\S+)$")
ITEM_LINE = re.compile(r"^- (?P<title>[A-Za-z ]+): (?P<nct>NCT\d{8}) \((?P<status>[A-Z_]+)\) - (?P<verdict>\w+)")


# --- the world: database with patients, fake registry, mail server -------------------------------------------


def example(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return document


def store_patients(engine: Engine, names: list[str], coordinator_for_none: str | None = None) -> None:
    with db.session(engine) as session:
        for name in names:
            loaded = parse_patient(example(name), source=name)
            coordinator = loaded.patient.coordinator or coordinator_for_none
            store.save_patient(session, loaded.patient.id, loaded.document, coordinator, fixed_clock()())
        session.commit()


@dataclass
class Monitor:
    engine: Engine
    fake: FakeCtGov
    smtp: SmtpServer
    settings: Settings
    where: dict[str, Any] = field(default_factory=dict)  # run_nightly's workers, dask, progress

    def source(self) -> ApiSource:
        client = CtGovClient(self.fake.base_url, make_session(retries=0), timeout_s=5, interval_s=0)
        return ApiSource(client, self.settings)

    def night(self, day: int, sender: Sender | None = None) -> NightlyResult:
        clock = fixed_clock(f"2026-11-{day:02d}T02:30:00")
        sender = sender or SmtpSender(self.settings)
        return run_nightly(self.engine, self.settings, self.source(), sender, clock, **self.where)

    def edit(self, nct_id: str, day: int, change: Callable[[dict[str, Any]], None]) -> None:
        """Change a served study as the registry would, and post the update on ``day``."""
        study = copy.deepcopy(self.fake.studies[nct_id])
        change(study["protocolSection"])
        study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"] = {
            "date": f"2026-11-{day:02d}",
            "type": "ACTUAL",
        }
        self.fake.put(study)

    def mailed(self, start: int = 0) -> set[Item]:
        """The items of every message the server accepted from position ``start`` on."""
        return {item for message in self.smtp.messages[start:] for item in items_of(message)}

    def stored(self, run_id: int) -> set[Item]:
        """The events the run recorded, with the coordinator of the digest they went into."""
        with db.session(self.engine) as session:
            rows = session.exec(
                select(MatchEventRow, DigestRow)
                .join(DigestRow, col(DigestRow.id) == col(MatchEventRow.digest_id))
                .where(MatchEventRow.run_id == run_id)
            ).all()
        return {(digest.coordinator, e.patient_id, e.nct_id, e.kind) for e, digest in rows}

    def events(self, run_id: int) -> list[MatchEventRow]:
        with db.session(self.engine) as session:
            return list(session.exec(select(MatchEventRow).where(MatchEventRow.run_id == run_id)).all())

    def digests(self) -> list[DigestRow]:
        with db.session(self.engine) as session:
            return list(session.exec(select(DigestRow).order_by(col(DigestRow.id))).all())


def set_status(status: str) -> Callable[[dict[str, Any]], None]:
    def change(protocol: dict[str, Any]) -> None:
        protocol["statusModule"]["overallStatus"] = status

    return change


def add_exclusion(text: str) -> Callable[[dict[str, Any]], None]:
    """Append an item to the exclusion list (the last list of the text), in the study's own layout: numbered
    (" 27. ..." / "  6. ...") or bulleted ("  -  ...")."""

    def change(protocol: dict[str, Any]) -> None:
        module = protocol["eligibilityModule"]
        numbered = re.findall(r"^( *)(\d+)\. ", module["eligibilityCriteria"], re.MULTILINE)
        if not numbered:
            module["eligibilityCriteria"] += f"\n\n  -  {text}"
            return
        last = numbered[-1]
        number = int(last[1]) + 1
        indent = " " * (len(last[0]) + len(last[1]) - len(str(number)))
        module["eligibilityCriteria"] += f"\n\n{indent}{number}. {text}"

    return change


@pytest.fixture
def fake() -> Iterator[FakeCtGov]:
    with serve(FakeCtGov()) as server:
        for nct_id in STUDY_IDS:
            server.put(load_study(nct_id))
        yield server


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


def settings_for(fake: FakeCtGov, smtp: SmtpServer) -> Settings:
    return Settings(
        ctgov_url=fake.base_url,
        request_interval_s=0,
        page_size=10,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_timeout_s=5,
        mail_from=MAIL_FROM,
        watch_list=(),
    )


@pytest.fixture
def two_patients(engine: Engine, fake: FakeCtGov, smtp: SmtpServer) -> Monitor:
    """The papillary and the follicular patient, each with their own coordinator (SQLite and PostgreSQL)."""
    store_patients(engine, ["rair-papillary-braf", "rair-follicular-untreated"])
    return Monitor(engine, fake, smtp, settings_for(fake, smtp))


# --- reading a digest ----------------------------------------------------------------------------------------


def plain(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def html(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def items_of(message: EmailMessage) -> set[Item]:
    return {(str(message["To"]), patient, nct, kind) for patient, nct, kind, _ in listed(message)}


def listed(message: EmailMessage) -> list[tuple[str, str, str, str]]:
    """(patient id, NCT id, kind, verdict) of each item of the text part, under its "Patient ..." heading."""
    found = []
    patient = None
    for line in plain(message).splitlines():
        if heading := PATIENT_LINE.match(line):
            patient = heading.group(1)
        elif item := ITEM_LINE.match(line):
            assert patient is not None, f"an item before any patient heading: {line!r}"
            found.append((patient, item["nct"], KIND_OF_TITLE[item["title"]], item["verdict"]))
    return found


def patients_in_order(message: EmailMessage) -> list[str]:
    return [m.group(1) for line in plain(message).splitlines() if (m := PATIENT_LINE.match(line))]


def expected_new_matches(engine: Engine, coordinators: dict[str, str], on: date) -> set[tuple[str, str, str, str]]:
    """(coordinator, patient, NCT, verdict) of every eligible or possible match in a trial that can enrol."""
    kb = load_knowledge()
    found = set()
    with db.session(engine) as session:
        stored = store.stored_criteria(session)
        sites = store.sites_by_trial(session)
        trials = prepare_rows(
            ((t, stored[t.nct_id].criteria) for t in store.list_trials(session)),
            sites,
        )
        for patient_row in store.list_patients(session):
            patient = parse_patient(patient_row.profile).patient
            for match in match_prepared(trials, patient, on, kb):
                if match.verdict.value in ("eligible", "possible") and match.trial.overall_status in ENROLLING_SITE:
                    found.add((coordinators[patient.id], patient.id, match.trial.nct_id, match.verdict.value))
    return found


# --- 1. several nights ---------------------------------------------------------------------------------------


def test_five_nights_mail_exactly_the_news(engine: Engine, fake: FakeCtGov, smtp: SmtpServer) -> None:
    # The sparse profile names no coordinator; it is filed under the papillary patient's coordinator, so that
    # one digest covers two patients (grouping).
    store_patients(engine, ["rair-papillary-braf", "rair-follicular-untreated", "sparse-minimal"], PTC_COORD)
    monitor = Monitor(engine, fake, smtp, settings_for(fake, smtp))

    # Night 1: the first pull. Every eligible/possible match with an enrolling status is news.
    first = monitor.night(21)
    assert first.outcome == "succeeded", first.errors
    assert (first.digests, first.sent, first.pending) == (2, 2, 0)
    assert first.evaluated == 3 * len(STUDY_IDS)
    # Which pairs are eligible or possible is the matcher's business (tests/test_matching.py checks verdicts
    # against the trial texts); here the digests must carry exactly those pairs that are news: every eligible
    # or possible match in a trial that can enrol, each once, to the patient's coordinator.
    expected = expected_new_matches(engine, {PTC: PTC_COORD, FTC: FTC_COORD, SPARSE: PTC_COORD}, date(2026, 11, 21))
    assert (PTC_COORD, PTC, CABOZANTINIB, "eligible") in expected  # COSMIC-311 for the lenvatinib-treated patient
    assert {coordinator for coordinator, *_ in expected} == {PTC_COORD, FTC_COORD}
    assert len(smtp.messages) == 2
    assert [r.rcpt_tos for r in smtp.received] == [(FTC_COORD,), (PTC_COORD,)]
    assert {(str(m["To"]), p, n, v) for m in smtp.messages for p, n, _, v in listed(m)} == expected
    assert monitor.mailed() == monitor.stored(first.run_id) == {(c, p, n, "new_match") for c, p, n, _ in expected}
    assert first.events == len(expected)

    [ptc_mail], [ftc_mail] = smtp.to(PTC_COORD), smtp.to(FTC_COORD)
    count = Counter(coordinator for coordinator, *_ in expected)
    assert ptc_mail["Subject"] == f"[matcher] {count[PTC_COORD]} new matches for 2 patients"
    assert (
        ftc_mail["Subject"]
        == f"[matcher] {count[FTC_COORD]} new match{'es' if count[FTC_COORD] > 1 else ''} for 1 patient"
    )
    assert patients_in_order(ptc_mail) == [PTC, SPARSE]  # grouped: one heading per patient, items under it
    assert patients_in_order(ftc_mail) == [FTC]
    for message in (ptc_mail, ftc_mail):
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
        assert message["Message-ID"].startswith("<digest-1-") and message["Message-ID"].endswith("@hospital.example>")
        for _patient, nct, _kind, _verdict in listed(message):
            assert f"https://clinicaltrials.gov/study/{nct}" in plain(message)
            assert re.search(rf'<a href="https://clinicaltrials.gov/study/{nct}"[^>]*>{nct}</a>', html(message))
    assert "1967-09-22" not in ptc_mail.as_string() + plain(ptc_mail) + html(ptc_mail)  # PTC's birth date
    assert "1955-04-03" not in ftc_mail.as_string() + plain(ftc_mail) + html(ftc_mail)  # FTC's birth date

    # The same night again: nothing fetched has changed, nothing is evaluated, nothing is mailed.
    rerun = monitor.night(21)
    assert (rerun.outcome, rerun.evaluated, rerun.events, rerun.digests, rerun.sent) == ("succeeded", 0, 0, 0, 0)
    assert len(smtp.messages) == 2

    # Night 2: SHR-A1811 opens (its title now carries markup from the registry).
    def opens(protocol: dict[str, Any]) -> None:
        set_status("RECRUITING")(protocol)
        protocol["identificationModule"]["briefTitle"] += f" {SCRIPT}"

    monitor.edit(OPENING, 22, opens)
    seen = len(smtp.messages)
    second = monitor.night(22)
    assert second.outcome == "succeeded", second.errors
    news = {
        (PTC_COORD, PTC, OPENING, "status_change"),
        (PTC_COORD, SPARSE, OPENING, "status_change"),
        (FTC_COORD, FTC, OPENING, "status_change"),
    }
    assert monitor.mailed(seen) == monitor.stored(second.run_id) == news
    assert second.evaluated == 3  # one changed trial, three patients
    [ptc_mail] = smtp.to(PTC_COORD)[1:]
    subject = str(ptc_mail["Subject"])  # its plural's wording: test_subject_counts_each_kind_in_plain_english
    assert subject.startswith("[matcher] 2 trial status change") and subject.endswith(" for 2 patients")
    assert f"{OPENING} (RECRUITING) - possible (was status NOT_YET_RECRUITING)" in plain(ptc_mail)
    for message in smtp.messages[seen:]:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html(message)
        assert "<script" not in html(message).lower()

    # Night 3: a criterion the papillary patient violates is added to the cabozantinib trial.
    monitor.edit(CABOZANTINIB, 23, add_exclusion(LENVATINIB_EXCLUSION))
    seen = len(smtp.messages)
    third = monitor.night(23)
    assert third.outcome == "succeeded", third.errors
    assert monitor.mailed(seen) == monitor.stored(third.run_id) == {(PTC_COORD, PTC, CABOZANTINIB, "verdict_change")}
    [ptc_mail] = smtp.messages[seen:]
    assert ptc_mail["Subject"] == "[matcher] 1 verdict change for 1 patient"
    assert listed(ptc_mail) == [(PTC, CABOZANTINIB, "verdict_change", "ineligible")]
    assert f"{CABOZANTINIB} (RECRUITING) - ineligible (was eligible)" in plain(ptc_mail)
    assert f"decided by: {LENVATINIB_EXCLUSION}" in plain(ptc_mail)
    assert re.search(rf"<li[^>]*>decided by: {LENVATINIB_EXCLUSION}</li>", html(ptc_mail))

    # Night 4: a recruiting site opens in Houston, within the papillary patient's radius (not Munich's).
    monitor.edit(APATINIB, 24, lambda p: p["contactsLocationsModule"]["locations"].append(HOUSTON_SITE))
    seen = len(smtp.messages)
    fourth = monitor.night(24)
    assert fourth.outcome == "succeeded", fourth.errors
    assert monitor.mailed(seen) == monitor.stored(fourth.run_id) == {(PTC_COORD, PTC, APATINIB, "site_opened")}
    [ptc_mail] = smtp.messages[seen:]
    assert "site: Houston Methodist Cancer Center, Houston, United States (6 km)" in plain(ptc_mail)

    # Night 5: the apatinib trial closes.
    monitor.edit(APATINIB, 25, set_status("COMPLETED"))
    seen = len(smtp.messages)
    fifth = monitor.night(25)
    assert fifth.outcome == "succeeded", fifth.errors
    news = {
        (PTC_COORD, PTC, APATINIB, "status_change"),
        (PTC_COORD, SPARSE, APATINIB, "status_change"),
        (FTC_COORD, FTC, APATINIB, "status_change"),
    }
    assert monitor.mailed(seen) == monitor.stored(fifth.run_id) == news
    assert all("(COMPLETED) - possible (was status RECRUITING)" in plain(m) for m in smtp.messages[seen:])

    # Every message went out once: one per coordinator with news per night, all marked sent.
    assert len({m["Message-ID"] for m in smtp.messages}) == len(smtp.messages) == 2 + 2 + 1 + 1 + 2
    assert {d.status for d in monitor.digests()} == {"sent"}


def test_a_night_without_change_reads_no_match_row(two_patients: Monitor) -> None:
    """The pairs due are found in SQL, one query a patient: on a night when nothing changed, no other statement
    touches the match table and no row comes back (nothing is evaluated, so none was due)."""
    assert two_patients.night(21).evaluated > 0
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if re.search(r"\bmatch\b(?!_)", statement):
            statements.append(statement)

    event.listen(two_patients.engine, "before_cursor_execute", seen)
    try:
        again = two_patients.night(21)
    finally:
        event.remove(two_patients.engine, "before_cursor_execute", seen)
    assert (again.outcome, again.evaluated, again.events) == ("succeeded", 0, 0)
    assert len(statements) == 2  # the due query of each of the two patients, and nothing else
    assert all(re.search(r"LEFT OUTER JOIN \"?match\"? ON", s) for s in statements), statements


def test_a_birthday_re_evaluates_the_patients_pairs_without_any_other_change(
    engine: Engine, fake: FakeCtGov, smtp: SmtpServer
) -> None:
    """A patient who turns 18 on 2026-11-22: nothing in the registry or the profile changes, yet trials for adults
    may now read otherwise; the night of the birthday re-evaluates that patient's pairs with an age limit, and only
    those (each stored match keeps the first day the calendar may change it)."""
    profile = example("rair-papillary-braf") | {"id": "turns-18", "birth_date": "2008-11-22"}
    with db.session(engine) as session:
        store.save_patient(session, "turns-18", profile, PTC_COORD, fixed_clock()())
        session.commit()
    store_patients(engine, ["rair-follicular-untreated"])
    monitor = Monitor(engine, fake, smtp, settings_for(fake, smtp))
    assert monitor.night(21).outcome == "succeeded"

    kb, patient = load_knowledge(), parse_patient(profile).patient
    with db.session(engine) as session:
        stored, sites = store.stored_criteria(session), store.sites_by_trial(session)
        trials = prepare_rows(((t, stored[t.nct_id].criteria) for t in store.list_trials(session)), sites)
    before, after = (
        {m.trial.nct_id: m.verdict.value for m in match_prepared(trials, patient, date(2026, 11, day), kb)}
        for day in (21, 22)
    )
    flipped = {n for n in before if before[n] != after[n] and {before[n], after[n]} & {"eligible", "possible"}}
    assert flipped, "no stored trial's verdict depends on turning 18: the test would prove nothing"

    seen = len(smtp.messages)
    birthday = monitor.night(22)
    assert birthday.outcome == "succeeded", birthday.errors
    # every served study has an age limit, so all of the one patient's pairs; the other patient's are untouched
    assert birthday.evaluated == len(STUDY_IDS)
    # News about a trial that is not enrolling is recorded but not mailed (issue 12: unless a preference asks).
    enrolling = {t.info.nct_id for t in trials if t.info.overall_status in ENROLLING_SITE}
    assert flipped & enrolling and flipped - enrolling
    recorded = {(e.patient_id, e.nct_id, e.kind) for e in monitor.events(birthday.run_id)}
    assert recorded == {("turns-18", nct, "verdict_change") for nct in flipped}
    news = {(PTC_COORD, "turns-18", nct, "verdict_change") for nct in flipped & enrolling}
    assert monitor.stored(birthday.run_id) == monitor.mailed(seen) == news
    assert monitor.night(22).evaluated == 0  # the same day again: nothing more to do


def test_digest_comes_from_mail_from(two_patients: Monitor) -> None:
    """Bug: `jobs.deliver` rebuilds each Email with ``sender=""``, so the message has an empty From header.

    smtplib then cannot derive the envelope sender (`send_message` raises IndexError here, on Python 3.11.7, which
    `SmtpSender` does not turn into NotifyError): no digest is ever sent by SMTP and `run_nightly` crashes.
    """
    result = two_patients.night(21)
    assert result.sent == 2
    for received in two_patients.smtp.received:
        assert received.message["From"] == MAIL_FROM
        assert received.mail_from == MAIL_FROM


def test_subject_counts_each_kind_in_plain_english() -> None:
    """Each kind is counted in plain English, singular and plural ("2 trial status changeds" was a bug)."""

    def item(patient: str, kind: str) -> DigestItem:
        return DigestItem(patient, CABOZANTINIB, kind, "t", "RECRUITING", "possible", None, (), (), None)

    kinds = ["new_match", "verdict_change", "status_change", "site_opened"]
    items = [item(patient, kind) for kind in kinds for patient in (PTC, FTC)]
    assert subject_for(items) == (
        "[matcher] 2 new matches, 2 verdict changes, 2 trial status changes, 2 sites opened nearby for 2 patients"
    )
    assert subject_for(items[::2]) == (
        "[matcher] 1 new match, 1 verdict change, 1 trial status change, 1 site opened nearby for 1 patient"
    )


# --- 2. failure paths ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("outage", ["refused", "451"])
def test_digest_held_back_by_the_mail_server_goes_out_once_next_night(two_patients: Monitor, outage: str) -> None:
    monitor, smtp = two_patients, two_patients.smtp
    assert monitor.night(21).sent == 2
    smtp.clear()

    monitor.edit(OPENING, 22, set_status("RECRUITING"))
    if outage == "refused":
        smtp.stop()
        assert smtp.refuses_connections()
    else:
        smtp.reply = "451 4.3.0 Mail server temporarily rejected message"
    failed = monitor.night(22)
    assert failed.outcome == "failed"
    assert (failed.events, failed.digests, failed.sent, failed.pending) == (2, 2, 0, 2)
    assert len(failed.errors) == 2
    assert all(f"SMTP 127.0.0.1:{smtp.port} did not accept the digest" in e for e in failed.errors)
    if outage == "451":
        assert all("451" in e for e in failed.errors)
        assert smtp.handler.refused == 2  # the server saw both and turned them away
    assert smtp.messages == []
    held = [d for d in monitor.digests() if d.run_id == failed.run_id]
    assert [(d.coordinator, d.status, d.attempts) for d in held] == [
        (FTC_COORD, "pending", 1),
        (PTC_COORD, "pending", 1),
    ]
    assert all(d.last_error for d in held)
    with db.session(monitor.engine) as session:
        run = session.get(NightlyRunRow, failed.run_id)
        assert run is not None and run.outcome == "failed" and "did not accept" in (run.error or "")

    # The mail server is back: the held digests go out, once each, with no new news.
    if outage == "refused":
        smtp.start()
    else:
        smtp.reply = None
    retry = monitor.night(23)
    assert (retry.outcome, retry.events, retry.digests, retry.sent, retry.pending) == ("succeeded", 0, 0, 2, 0)
    assert monitor.mailed() == {
        (PTC_COORD, PTC, OPENING, "status_change"),
        (FTC_COORD, FTC, OPENING, "status_change"),
    }
    assert sorted(m["Message-ID"] for m in smtp.messages) == sorted(d.message_id for d in held)
    sent = [d for d in monitor.digests() if d.run_id == failed.run_id]
    assert [(d.status, d.attempts, d.last_error) for d in sent] == [("sent", 2, None), ("sent", 2, None)]

    again = monitor.night(23)
    assert (again.outcome, again.sent, again.pending) == ("succeeded", 0, 0)
    assert len(smtp.messages) == 2


def test_fetch_failing_mid_run_builds_nothing_then_next_night_catches_up(two_patients: Monitor) -> None:
    monitor, fake, smtp = two_patients, two_patients.fake, two_patients.smtp
    monitor.night(21)
    smtp.clear()

    # Every study is updated upstream (two pages): apatinib (page 1) closes, SHR-A1811 (page 2) opens.
    for nct_id in STUDY_IDS:
        monitor.edit(nct_id, 22, lambda p: None)
    monitor.edit(APATINIB, 22, set_status("COMPLETED"))
    monitor.edit(OPENING, 22, set_status("RECRUITING"))
    fake.requests.clear()
    fake.fail_on = {2: Failure(500, "upstream exploded")}
    failed = monitor.night(22)
    assert failed.outcome == "failed"
    assert len(fake.requests) == 2  # page 1, then page 2 failed; no retries
    assert any("500" in e and "upstream exploded" in e for e in failed.errors)
    assert (failed.parsed, failed.evaluated, failed.events, failed.digests, failed.sent) == (0, 0, 0, 0, 0)
    assert monitor.events(failed.run_id) == []
    assert smtp.messages == []
    with db.session(monitor.engine) as session:
        fetch_run = session.exec(select(FetchRunRow).order_by(col(FetchRunRow.id).desc())).first()
        assert fetch_run is not None and fetch_run.outcome == "failed"
        trial = session.get(TrialRow, APATINIB)
        assert trial is not None and trial.overall_status == "RECRUITING"  # page 1 was not kept
        match = session.get(MatchRow, (PTC, APATINIB))
        assert match is not None and match.overall_status == "RECRUITING"
        run = session.get(NightlyRunRow, failed.run_id)
        assert run is not None and run.outcome == "failed" and "upstream exploded" in (run.error or "")
        assert session.exec(select(DigestRow).where(DigestRow.run_id == failed.run_id)).all() == []

    fake.fail_on = {}
    caught_up = monitor.night(23)
    assert caught_up.outcome == "succeeded", caught_up.errors
    news = {
        (PTC_COORD, PTC, APATINIB, "status_change"),
        (PTC_COORD, PTC, OPENING, "status_change"),
        (FTC_COORD, FTC, APATINIB, "status_change"),
        (FTC_COORD, FTC, OPENING, "status_change"),
    }
    assert monitor.mailed() == monitor.stored(caught_up.run_id) == news
    assert len(smtp.messages) == 2


class KilledAfterSending:
    """Hands the digest to the real SMTP sender, then the process is interrupted before it is marked sent."""

    delivers = True

    def __init__(self, settings: Settings) -> None:
        self.inner = SmtpSender(settings)

    def send(self, email: Email) -> None:
        self.inner.send(email)
        raise KeyboardInterrupt


def test_killed_between_send_and_mark_sends_again_once_with_same_message_id(two_patients: Monitor) -> None:
    monitor, smtp = two_patients, two_patients.smtp
    with pytest.raises(KeyboardInterrupt):
        monitor.night(21, sender=KilledAfterSending(monitor.settings))
    [first] = smtp.received  # the server accepted the first digest (FTC's, in coordinator order)
    assert first.rcpt_tos == (FTC_COORD,)
    assert [d.status for d in monitor.digests()] == ["pending", "pending"]

    after = monitor.night(22)  # the lock was released by the interrupted run
    assert (after.outcome, after.digests, after.sent, after.pending) == ("succeeded", 0, 2, 0)
    ftc_copies, ptc_copies = smtp.to(FTC_COORD), smtp.to(PTC_COORD)
    assert len(ftc_copies) == 2 and len(ptc_copies) == 1  # at most one duplicate
    assert ftc_copies[0]["Message-ID"] == ftc_copies[1]["Message-ID"]
    assert ftc_copies[0]["Subject"] == ftc_copies[1]["Subject"]
    assert ftc_copies[0]["Date"] == ftc_copies[1]["Date"]
    assert plain(ftc_copies[0]) == plain(ftc_copies[1])
    assert [d.status for d in monitor.digests()] == ["sent", "sent"]

    assert monitor.night(22).sent == 0
    assert len(smtp.messages) == 3


def test_killed_nightly_run_is_marked_interrupted_by_the_next(two_patients: Monitor) -> None:
    """Bug: a nightly run that dies stays "running" in `matcher runs` forever; fetch runs are marked failed by
    the next fetch (`store.fail_interrupted_runs`), nightly runs have no equivalent."""
    monitor = two_patients
    with pytest.raises(KeyboardInterrupt):
        monitor.night(21, sender=KilledAfterSending(monitor.settings))
    monitor.night(22)
    with db.session(monitor.engine) as session:
        outcomes = [r.outcome for r in session.exec(select(NightlyRunRow).order_by(col(NightlyRunRow.id)))]
    assert outcomes == ["failed", "succeeded"]


def test_second_nightly_run_while_one_runs_is_refused(two_patients: Monitor) -> None:
    monitor = two_patients
    clock = fixed_clock("2026-11-21T02:30:00")
    with store.hold_lock(monitor.engine, "nightly", clock(), timedelta(hours=1)):
        with pytest.raises(LockHeld, match="another nightly run holds the lock"):
            monitor.night(21)
        with db.session(monitor.engine) as session:
            assert session.exec(select(NightlyRunRow)).all() == []
    assert monitor.smtp.messages == []
    assert monitor.night(21).sent == 2  # once the other run is over


# --- 3. reviews and muted coordinators -----------------------------------------------------------------------


def test_dismissed_match_hears_only_verdict_changes_and_muted_coordinator_nothing(two_patients: Monitor) -> None:
    monitor, smtp = two_patients, two_patients.smtp
    monitor.night(21)
    smtp.clear()
    now = fixed_clock("2026-11-21T09:00:00")()
    with db.session(monitor.engine) as session:
        monitor_store.set_review(session, PTC, OPENING, "dismissed", "lung cancer trial", "dr.a", "possible", now)
        monitor_store.set_muted(session, FTC_COORD, True, now)

    # SHR-A1811 opens: news for both patients, but one pair is dismissed and the other coordinator is muted.
    monitor.edit(OPENING, 22, set_status("RECRUITING"))
    quiet = monitor.night(22)
    assert (quiet.outcome, quiet.events, quiet.digests, quiet.sent) == ("succeeded", 2, 0, 0)
    assert {(e.patient_id, e.kind) for e in monitor.events(quiet.run_id)} == {
        (PTC, "status_change"),
        (FTC, "status_change"),
    }
    assert smtp.messages == []

    # A criterion now excludes the papillary patient: a verdict change is mailed even for a dismissed match.
    monitor.edit(OPENING, 23, add_exclusion(LENVATINIB_EXCLUSION))
    verdict = monitor.night(23)
    assert verdict.outcome == "succeeded", verdict.errors
    assert monitor.mailed() == monitor.stored(verdict.run_id) == {(PTC_COORD, PTC, OPENING, "verdict_change")}
    assert listed(smtp.messages[0]) == [(PTC, OPENING, "verdict_change", "ineligible")]
    assert smtp.to(FTC_COORD) == []

    # Unmuted, the coordinator gets the news kept while muted; the dismissed status change stays unsent.
    with db.session(monitor.engine) as session:
        monitor_store.set_muted(session, FTC_COORD, False, now)
    unmuted = monitor.night(24)
    assert (unmuted.events, unmuted.digests, unmuted.sent) == (0, 1, 1)
    assert monitor.mailed(1) == {(FTC_COORD, FTC, OPENING, "status_change")}
    assert len(smtp.to(PTC_COORD)) == 1


# --- 4. the scheduler ----------------------------------------------------------------------------------------


def test_scheduler_runs_the_body_and_persists_the_job(sqlite_url: str) -> None:
    db.open_database(sqlite_url).dispose()
    settings = Settings(database_url=sqlite_url, smtp_password="s3cret-password")
    ran = threading.Event()
    scheduler = build_scheduler(settings, ran.set, scheduler=BackgroundScheduler(), trigger=IntervalTrigger(seconds=1))
    scheduler.start()
    try:
        assert ran.wait(timeout=10), "the job body did not run within 10 s"
        job = scheduler.get_job(JOB_ID)
        assert job is not None
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, settings.misfire_grace_s)
        assert job.func_ref == "matcher.scheduler:nightly_job"
    finally:
        scheduler.shutdown(wait=True)

    engine = create_engine(sqlite_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, job_state FROM apscheduler_jobs")).all()
    engine.dispose()
    assert [row.id for row in rows] == [JOB_ID]
    state = pickle.loads(rows[0].job_state)
    assert (state["coalesce"], state["max_instances"], state["misfire_grace_time"]) == (True, 1, 6 * 3600)
    assert state["func"] == "matcher.scheduler:nightly_job" and state["args"] == () and state["kwargs"] == {}
    assert b"s3cret-password" not in rows[0].job_state  # the settings are not persisted with the job


# --- 5. the command line -------------------------------------------------------------------------------------


def test_cli_nightly_dry_run_writes_eml_files_and_leaves_them_for_the_real_run(
    tmp_path: Path, fake: FakeCtGov, smtp: SmtpServer
) -> None:
    config = tmp_path / "empty.toml"
    config.write_text("")
    env = {
        "MATCHER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        "MATCHER_CONFIG": str(config),
        "MATCHER_REQUEST_INTERVAL_S": "0",
    }
    runner = CliRunner()
    files = [str(EXAMPLES / "rair-papillary-braf.json"), str(EXAMPLES / "rair-follicular-untreated.json")]
    added = runner.invoke(cli, ["patients", "add", *files], env=env)
    assert added.exit_code == 0, added.output
    assert f"{PTC}: added" in added.output and f"{FTC}: added" in added.output

    out = tmp_path / "digests"
    first = runner.invoke(cli, ["nightly", "--source", fake.base_url, "--dry-run", str(out)], env=env)
    assert first.exit_code == 0, first.output
    assert "succeeded" in first.output and "2 built, 0 sent, 2 pending" in first.output
    written = sorted(out.glob("*.eml"))
    assert len(written) == 2
    messages = [_read_eml(path) for path in written]
    assert sorted(str(m["To"]) for m in messages) == [FTC_COORD, PTC_COORD]
    assert all(listed(m) and m.get_content_type() == "multipart/alternative" for m in messages)

    # Another dry run builds nothing new and shows the same two digests again.
    again = runner.invoke(cli, ["nightly", "--source", fake.base_url, "--dry-run", str(out)], env=env)
    assert again.exit_code == 0, again.output
    assert "0 built, 0 sent, 2 pending" in again.output
    assert sorted(out.glob("*.eml")) == written

    # The first real run sends what the dry runs showed, once.
    real = {**env, "MATCHER_SMTP_HOST": "127.0.0.1", "MATCHER_SMTP_PORT": str(smtp.port)}
    sent = runner.invoke(cli, ["nightly", "--source", fake.base_url], env=real)
    assert sent.exit_code == 0, sent.output
    assert "0 built, 2 sent, 0 pending" in sent.output
    assert sorted(str(m["To"]) for m in smtp.messages) == [FTC_COORD, PTC_COORD]


def _read_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message
