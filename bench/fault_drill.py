"""Fault drill: real `matcher fetch` and `matcher nightly` processes SIGKILLed at random points while a loopback
ClinicalTrials.gov API and an SMTP server misbehave; then every job runs to completion, and the database and the
mail are compared with a run of the same scenario that was never killed and met no fault.

    .venv/bin/python -m bench.fault_drill [--kills 24] [--rounds 5] [--backends sqlite postgres] [--seed 11]
                                          [--json FILE]

It measures, it does not assume (needs the test extras: aiosmtpd):

- The world: the 48 real study records of ``<shared>/ctgov/studies`` (``derivedFrom`` stripped) served by a
  loopback fake API (`tests.drill.faults.FaultyCtGov`), the example patients added with ``matcher patients add
  examples/*.json`` (each with its coordinator), an aiosmtpd server on 127.0.0.1, a fresh database per run (an
  SQLite file, or a scratch PostgreSQL database created and dropped like tests/conftest.py's ``postgres_url``).
  Every job is the venv's ``matcher`` entry point in its own process, configured by ``MATCHER_*`` variables.
- The scenario: ``fetch``, ``nightly``, then ``--rounds`` rounds of registry edits (status changes, an added
  exclusion criterion, an added site, each posted today; the same seeded edits in both runs), each followed by
  ``fetch`` + ``nightly`` (odd rounds) or ``nightly`` alone (even rounds).
- The reference: each step first runs in a world of its own with no fault and no kill; its timing and request
  counts place the drill's kill points for that step.
- The drill: then the same step with faults and kills. API faults on ``/studies`` requests (a seeded plan, one
  every 2-4 requests, kinds in shuffled turns): 503 bursts of 1-2, 429 with ``Retry-After: 1``, the connection
  dropped half-way through the body, a slowly dribbled body. SMTP faults on DATA (one every 2-4 messages): 451, or
  the message recorded and the connection dropped before the reply (the duplicate window of docs/deploy.md).
  ``--kills`` SIGKILLs are spread over the steps; a step that completes before its kill point passes its unused
  kills on, and rounds are added (to both worlds) while some remain. Each kill point is drawn by the seeded RNG: a
  time after the start (up to the reference step's duration), the n-th API request (killed while it is being
  answered), a delay after the fetch's last request (parse, match, digests), or the k-th SMTP message, before it
  is recorded or after it is recorded and before the reply. After its kills a step runs again until it exits 0
  (faults still on).
- The checks: a canonical dump of trial, trial_site, trial_criteria, patient, patient_version, match,
  match_event, digest, review, review_event, coordinator (ids, timestamps, run ids, attempts and errors left out;
  digest bodies with "run N"; an event names its digest by coordinator and rank) must equal the reference's;
  rows lost = reference rows missing, extra = rows the reference does not have. Mail: messages counted per
  (recipient, Message-ID); every digest of the database must have arrived, the mailed contents must equal the
  reference's, and a Message-ID that arrived more than once is a duplicate, "in the window" when the server
  held that message while its digest was still pending after the process ended (killed after the server
  recorded it, or the reply dropped). No lock and no run may be left behind; no process may print a traceback
  or hang (each run is stopped after ``--run-timeout``).

Each fault is counted against the run it was injected into: "absorbed" (the run still exited 0), "failed" (the
run exited 1 with a one-line error, for this fault or another one in it), "killed" (the drill killed that run).
"Survived": injected into a run that ended in exit 0, a one-line error (exit 1) or our kill, in a drill
whose final checks passed. The exit status is 1 when a check fails.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, select, text
from sqlmodel import SQLModel

import matcher.tables  # noqa: F401  (registers the tables in SQLModel.metadata)
from bench._common import REPO_ROOT, add_common_args, machine, print_machine, shared_dir, write_json
from matcher import db
from tests.drill.faults import API_FAULTS, SMTP_FAULTS, FaultyCtGov, FaultySmtpServer, serve_faulty

EXAMPLES = REPO_ROOT / "examples"
PG_ADMIN_URL = os.environ.get("MATCHER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MAIL_FROM = "matcher@hospital.example"
ENROLLING = ("RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION")
TRIGGERS = ("time", "api", "after-fetch", "smtp-before", "smtp-after")

# Columns that differ between two correct runs: ids, timestamps, run ids, delivery attempts. Run tables and the
# lock table are not compared (they are checked: no lock left, no run left "running").
IGNORED = {
    "trial": {"first_seen_at", "updated_at"},
    "trial_site": {"id"},
    "trial_criteria": {"parsed_at"},
    "patient": {"created_at", "updated_at"},
    "patient_version": {"id", "saved_at"},
    "match": {"matched_on", "updated_at"},
    "match_event": {"id", "run_id", "created_at", "digest_id"},
    "digest": {"id", "run_id", "message_id", "created_at", "sent_at", "attempts", "last_error"},
    "review": {"updated_at"},
    "review_event": {"id", "at"},
    "coordinator": {"updated_at"},
}
RUN_NUMBER = re.compile(r"\brun \d+\b")
# What differs between two reports of the same error: the time, the port, the run number, byte counts.
NOISE = [(re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ "), ""), (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:PORT"),
         (RUN_NUMBER, "run N"), (re.compile(r"\d+ bytes read, \d+ more"), "N bytes read, M more")]  # fmt: skip

# Sites an edit may open (near the papillary patient in Houston, and the follicular one in Munich).
SITES = [
    {"facility": "Houston Methodist Cancer Center", "status": "RECRUITING", "city": "Houston", "state": "Texas",
     "zip": "77030", "country": "United States", "geoPoint": {"lat": 29.71, "lon": -95.40}},
    {"facility": "Klinikum rechts der Isar", "status": "RECRUITING", "city": "Munich", "zip": "81675",
     "country": "Germany", "geoPoint": {"lat": 48.137, "lon": 11.599}},
]  # fmt: skip
EXCLUSIONS = ["Prior treatment with lenvatinib", "Prior treatment with sorafenib", "ECOG performance status of 2"]


class DrillError(RuntimeError):
    """The drill itself could not go on (a step never completed, the reference failed, the day changed)."""


@dataclass
class DrillConfig:
    studies: Path
    workdir: Path
    kills: int = 24  # per backend
    rounds: int = 5
    seed: int = 11
    page_size: int = 10
    api_gap: tuple[int, int] = (2, 4)  # a fault every this many /studies requests
    smtp_gap: tuple[int, int] = (2, 4)  # a fault every this many DATA commands
    max_attempts: int = 40  # runs of one step before the drill gives up on it
    run_timeout_s: float = 120.0
    pg_admin_url: str = PG_ADMIN_URL


@dataclass(frozen=True)
class Step:
    index: int
    job: str  # fetch | nightly
    edit_round: int | None  # registry edits posted before the step's first run


def scenario(rounds: int) -> list[Step]:
    jobs: list[tuple[str, int | None]] = [("fetch", None), ("nightly", None)]
    for r in range(1, rounds + 1):
        jobs += [("fetch", r), ("nightly", None)] if r % 2 else [("nightly", r)]
    return [Step(i, job, edit) for i, (job, edit) in enumerate(jobs)]


# --- the registry and its edits ------------------------------------------------------------------------------


def load_studies(directory: Path) -> dict[str, dict[str, Any]]:
    studies = {}
    for path in sorted(directory.glob("NCT*.json")):
        study = json.loads(path.read_text(encoding="utf-8"))
        study.pop("derivedFrom", None)
        studies[study["protocolSection"]["identificationModule"]["nctId"]] = study
    if not studies:
        raise DrillError(f"no study records in {directory}")
    return studies


def apply_edits(fake: FaultyCtGov, edit_round: int, seed: int, today: date) -> list[str]:
    """The registry's changes of one round (the same in every run of the same seed); returns what changed."""
    rng = random.Random(f"{seed}-edits-{edit_round}")
    changed = []
    for nct_id, what in zip(rng.sample(sorted(fake.studies), 4), ("status", "status", "criterion", "site"),
                            strict=True):  # fmt: skip
        study = copy.deepcopy(fake.studies[nct_id])
        protocol = study["protocolSection"]
        if what == "status":
            old = protocol["statusModule"]["overallStatus"]
            new = rng.choice(["ACTIVE_NOT_RECRUITING", "SUSPENDED"]) if old in ENROLLING else "RECRUITING"
            protocol["statusModule"]["overallStatus"] = new
            changed.append(f"{nct_id} status {old} -> {new}")
        elif what == "criterion":
            module = protocol.setdefault("eligibilityModule", {})
            criterion = rng.choice(EXCLUSIONS)
            module["eligibilityCriteria"] = module.get("eligibilityCriteria", "") + f"\n\n* {criterion}"
            changed.append(f"{nct_id} criterion + {criterion!r}")
        else:
            site = rng.choice(SITES)
            protocol.setdefault("contactsLocationsModule", {}).setdefault("locations", []).append(dict(site))
            changed.append(f"{nct_id} site + {site['city']}")
        protocol["statusModule"]["lastUpdatePostDateStruct"] = {"date": today.isoformat(), "type": "ACTUAL"}
        fake.put(study)
    return changed


# --- the fault plan ------------------------------------------------------------------------------------------


class FaultPlan:
    """Which request or message gets which fault: one every ``gap`` (seeded), kinds in shuffled turns."""

    def __init__(self, rng: random.Random, kinds: tuple[str, ...], gap: tuple[int, int]) -> None:
        self.rng, self.kinds, self.gap = rng, kinds, gap
        self.turn: list[str] = []
        self.countdown = rng.randint(*gap)
        self.burst_left = 0
        self.lock = threading.Lock()

    def next(self) -> str | None:
        with self.lock:
            if self.burst_left:
                self.burst_left -= 1
                return "503+"  # the rest of a burst: not a new fault
            self.countdown -= 1
            if self.countdown > 0:
                return None
            self.countdown = self.rng.randint(*self.gap)
            if not self.turn:
                self.turn = list(self.kinds)
                self.rng.shuffle(self.turn)
            kind = self.turn.pop()
            if kind == "503":
                self.burst_left = self.rng.choice((0, 1))
            return kind


# --- one process ---------------------------------------------------------------------------------------------


@dataclass
class Trigger:
    kind: str  # one of TRIGGERS
    at: float  # seconds (time), request number (api, after-fetch), message number (smtp-*)
    delay_s: float = 0.0  # after-fetch: how long after that request

    def describe(self) -> str:
        if self.kind == "time":
            return f"{self.at:.2f} s after start"
        if self.kind == "api":
            return f"while answering API request {int(self.at)}"
        if self.kind == "after-fetch":
            return f"{self.delay_s:.2f} s after API request {int(self.at)}"
        stage = "before it was recorded" if self.kind == "smtp-before" else "after it was recorded, before the reply"
        return f"SMTP message {int(self.at)}, {stage}"


@dataclass
class ProcessRun:
    step: int
    job: str
    attempt: int
    trigger: str | None = None  # Trigger.describe()
    trigger_kind: str | None = None
    killed: bool = False
    hung: bool = False
    exit_code: int | None = None
    seconds: float = 0.0
    api_requests: int = 0
    smtp_messages: int = 0
    last_api_s: float | None = None  # when the last API request arrived, from the start
    faults: list[str] = field(default_factory=list)
    phase: str | None = None  # where a kill landed, read from the database afterwards
    traceback: bool = False
    error: str | None = None  # the last line of stderr of a failed run


@dataclass
class Marks:
    """Highest ids and sent count before a process starts, to tell what it did before it was killed."""

    fetch_run: int
    nightly_run: int
    match_event: int
    digest: int
    sent: int


class World:
    """One database, one fake API, one SMTP server, and the processes run against them."""

    def __init__(self, label: str, url: str, config: DrillConfig, studies: dict[str, dict[str, Any]],
                 faults: bool, rng: random.Random) -> None:  # fmt: skip
        self.label, self.url, self.config, self.rng = label, url, config, rng
        self.fake = FaultyCtGov(studies=copy.deepcopy(studies), on_request=self._on_request)
        self.smtp = FaultySmtpServer()
        self.smtp.handler.on_data = self._on_data
        self.api_plan = FaultPlan(random.Random(rng.random()), API_FAULTS, config.api_gap) if faults else None
        self.smtp_plan = FaultPlan(random.Random(rng.random()), SMTP_FAULTS, config.smtp_gap) if faults else None
        if self.api_plan:
            self.fake.choose = self._choose_api
        if self.smtp_plan:
            self.smtp.handler.choose = self._choose_smtp
        self.runs: list[ProcessRun] = []
        self.window: Counter[str] = Counter()  # Message-ID -> copies the server held while the digest was pending
        self.engine: Engine | None = None
        self.logs = config.workdir / label
        self.logs.mkdir(parents=True, exist_ok=True)
        (self.logs / "none.toml").write_text("", encoding="utf-8")
        # per process
        self.current: ProcessRun | None = None
        self.trigger: Trigger | None = None
        self.started = 0.0
        self.fire = threading.Event()
        self.killed = threading.Event()
        self.deadline: float | None = None
        self.fired = False
        self.fire_lock = threading.Lock()

    @contextmanager
    def running(self) -> Iterator[World]:
        with serve_faulty(self.fake):
            self.smtp.start()
            try:
                yield self
            finally:
                self.smtp.stop()
                if self.engine is not None:
                    self.engine.dispose()

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHER_")}
        env.update(
            MATCHER_CONFIG=str(self.logs / "none.toml"),
            MATCHER_DATABASE_URL=self.url,
            MATCHER_CTGOV_URL=self.fake.base_url,
            MATCHER_REQUEST_INTERVAL_S="0",
            MATCHER_PAGE_SIZE=str(self.config.page_size),
            MATCHER_TIMEOUT_S="5",
            MATCHER_RETRIES="5",
            MATCHER_SMTP_HOST=self.smtp.host,
            MATCHER_SMTP_PORT=str(self.smtp.port),
            MATCHER_SMTP_TIMEOUT_S="5",
            MATCHER_MAIL_FROM=MAIL_FROM,
        )
        return env

    # hooks, called from the servers' threads

    def _choose_api(self, path: str) -> str | None:
        assert self.api_plan is not None
        fault = self.api_plan.next()
        if fault and self.current is not None:
            self.current.faults.append("api_" + fault)
        return None if fault is None else fault.rstrip("+")

    def _choose_smtp(self) -> str | None:
        assert self.smtp_plan is not None
        fault = self.smtp_plan.next()
        if fault and self.current is not None:
            self.current.faults.append("smtp_" + fault)
        return fault

    def _on_request(self, number: int, path: str) -> bool:
        run, trigger = self.current, self.trigger
        if run is None:
            return False
        run.api_requests += 1
        run.last_api_s = time.monotonic() - self.started
        if trigger is None or run.api_requests != int(trigger.at):
            return False
        if trigger.kind == "after-fetch":
            self.deadline = time.monotonic() + trigger.delay_s
        return trigger.kind == "api" and self._kill_from_server()

    def _on_data(self, number: int, stage: str) -> bool:
        run, trigger = self.current, self.trigger
        if run is None:
            return False
        if stage == "before":
            run.smtp_messages += 1
        if trigger is None or run.smtp_messages != int(trigger.at) or trigger.kind != f"smtp-{stage}":
            return False
        return self._kill_from_server()

    def _kill_from_server(self) -> bool:
        """Ask the main thread to kill the client now, and wait until it is dead."""
        with self.fire_lock:
            if self.fired:
                return False
            self.fired = True
        self.fire.set()
        return self.killed.wait(30)

    # processes

    def matcher(self, *args: str) -> list[str]:
        return [str(Path(sys.executable).with_name("matcher")), *args]

    def run(self, step: Step, attempt: int, args: list[str], trigger: Trigger | None) -> ProcessRun:
        run = ProcessRun(step.index, step.job, attempt)
        if trigger:
            run.trigger, run.trigger_kind = trigger.describe(), trigger.kind
        marks = self.marks() if trigger else None
        self.fire.clear()
        self.killed.clear()
        self.fired, self.deadline, self.trigger = False, None, trigger
        name = f"{len(self.runs):03d}-step{step.index}-{step.job}"
        with (self.logs / f"{name}.out").open("wb") as out, (self.logs / f"{name}.err").open("wb") as err:
            self.current = run
            self.started = time.monotonic()
            proc = subprocess.Popen(args, env=self.env(), stdout=out, stderr=err, cwd=REPO_ROOT)
            if trigger and trigger.kind == "time":
                self.deadline = self.started + trigger.at
            try:
                while proc.poll() is None:
                    now = time.monotonic()
                    if self.fire.is_set() or (self.deadline is not None and now >= self.deadline):
                        self._kill(proc)
                        run.killed = True
                        break
                    if now - self.started > self.config.run_timeout_s:
                        self._kill(proc)
                        run.hung = True
                        break
                    self.fire.wait(0.005)
            finally:
                if proc.poll() is None:
                    self._kill(proc)
                self.killed.set()
                self.current, self.trigger = None, None
        run.seconds = round(time.monotonic() - self.started, 3)
        run.exit_code = proc.returncode
        stderr = (self.logs / f"{name}.err").read_text(encoding="utf-8", errors="replace")
        run.traceback = "Traceback (most recent call last)" in stderr
        if not run.killed and proc.returncode != 0:
            # A failed nightly says why on stdout ("  error: ..."), other commands on stderr.
            stdout = (self.logs / f"{name}.out").read_text(encoding="utf-8", errors="replace")
            lines = [line.strip() for line in stdout.splitlines() if line.strip().startswith("error:")]
            lines += [line for line in stderr.splitlines() if line.strip()]
            run.error = lines[-1][:300] if lines else f"exit {proc.returncode} with no message"
        if run.killed and marks is not None:
            run.phase = self.phase(step.job, marks, trigger)
        self.note_window()
        self.runs.append(run)
        return run

    @staticmethod
    def _kill(proc: subprocess.Popen[bytes]) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait()  # reaped: a zombie would still look alive to the lock's pid check

    # the database, read by the drill between processes

    def db(self) -> Engine:
        if self.engine is None:
            self.engine = db.create_db_engine(self.url)
        return self.engine

    def scalar(self, sql: str) -> int:
        with self.db().connect() as connection:
            return int(connection.execute(text(sql)).scalar() or 0)

    def marks(self) -> Marks:
        return Marks(self.scalar("SELECT max(id) FROM fetch_run"), self.scalar("SELECT max(id) FROM nightly_run"),
                     self.scalar("SELECT max(id) FROM match_event"), self.scalar("SELECT max(id) FROM digest"),
                     self.scalar("SELECT count(*) FROM digest WHERE status = 'sent'"))  # fmt: skip

    def phase(self, job: str, before: Marks, trigger: Trigger | None) -> str:
        """Where the killed process was, from what it left in the database."""
        if trigger and trigger.kind.startswith("smtp"):
            return "deliver (SMTP " + ("before accept)" if trigger.kind == "smtp-before" else "accepted, no reply)")
        fetches = self.scalar(f"SELECT count(*) FROM fetch_run WHERE id > {before.fetch_run}")
        running = self.scalar(f"SELECT count(*) FROM fetch_run WHERE id > {before.fetch_run} AND outcome = 'running'")
        if fetches == 0:
            return "startup (before the fetch run)"
        if running:
            return "fetch"
        if job == "fetch":
            return "parse (after the fetch)"
        if self.scalar(f"SELECT count(*) FROM digest WHERE id > {before.digest}") or (
            self.scalar("SELECT count(*) FROM digest WHERE status = 'sent'") > before.sent
        ):
            return "digests built / deliver"
        if self.scalar(f"SELECT count(*) FROM match_event WHERE id > {before.match_event}"):
            return "match (events stored)"
        return "parse / match"

    def note_window(self) -> None:
        """A digest still pending whose message the server holds: the server accepted it and the sender never
        recorded that (killed after the server recorded it, or the reply was dropped): the documented window."""
        received = Counter(str(m["Message-ID"]) for m in self.smtp.messages)
        with self.db().connect() as connection:
            pending = connection.execute(text("SELECT message_id FROM digest WHERE status = 'pending'")).scalars()
            for message_id in pending:
                if received[message_id]:
                    self.window[message_id] = max(self.window[message_id], received[message_id])


# --- canonical dumps -----------------------------------------------------------------------------------------


def _canon(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return RUN_NUMBER.sub("run N", value)
    return value


def _quiet(error: str) -> str:
    for pattern, replacement in NOISE:
        error = pattern.sub(replacement, error)
    return error


def canonical_dump(engine: Engine) -> dict[str, list[str]]:
    """Every compared table as sorted JSON lines, without the columns that differ between two correct runs."""
    dump: dict[str, list[str]] = {}
    tables = SQLModel.metadata.tables
    with engine.connect() as connection:
        digests = connection.execute(select(tables["digest"]).order_by(tables["digest"].c.id)).mappings().all()
        rank: Counter[str] = Counter()
        digest_key = {}
        for row in digests:
            rank[row["coordinator"]] += 1
            digest_key[row["id"]] = f"{row['coordinator']}#{rank[row['coordinator']]}"
        for name, ignored in IGNORED.items():
            table = tables[name]
            rows = []
            for row in connection.execute(select(table)).mappings():
                item = {k: _canon(v) for k, v in row.items() if k not in ignored}
                if name == "match_event":
                    item["digest"] = digest_key.get(row["digest_id"]) if row["digest_id"] else None
                if name == "digest":
                    item["rank"] = digest_key[row["id"]]
                rows.append(json.dumps(item, sort_keys=True, ensure_ascii=False, default=str))
            dump[name] = sorted(rows)
    return dump


def mailed(server: FaultySmtpServer) -> tuple[Counter[str], dict[str, tuple[str, str, str]]]:
    """Copies per Message-ID, and each Message-ID's (recipient, subject, plain text with "run N")."""
    copies: Counter[str] = Counter()
    content: dict[str, tuple[str, str, str]] = {}
    for received in server.received:
        message = received.message
        message_id = str(message["Message-ID"])
        copies[message_id] += 1
        body = message.get_body(("plain",))
        plain = RUN_NUMBER.sub("run N", str(body.get_content()) if body is not None else "")
        key = (",".join(received.rcpt_tos), str(message["Subject"]), plain)
        if content.setdefault(message_id, key) != key:
            content[message_id + " (a different copy)"] = key
    return copies, content


# --- databases -----------------------------------------------------------------------------------------------


@contextmanager
def scratch_database(backend: str, config: DrillConfig, label: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{config.workdir / label / 'matcher.sqlite'}"
        return
    admin = create_engine(config.pg_admin_url, isolation_level="AUTOCOMMIT")
    name = f"matcher_drill_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield config.pg_admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- the drill -----------------------------------------------------------------------------------------------


@dataclass
class StepStats:
    seconds: float
    api_requests: int
    after_fetch_s: float  # from the last API request to the end
    smtp_messages: int


def add_patients(world: World) -> None:
    step = Step(-1, "patients", None)
    run = world.run(step, 1, world.matcher("patients", "add", *map(str, sorted(EXAMPLES.glob("*.json")))), None)
    if run.exit_code != 0:
        raise DrillError(f"{world.label}: `matcher patients add` failed: {run.error}")


def reference_step(world: World, step: Step, today: date) -> StepStats:
    """One step of the run that is never killed and meets no fault; its figures place the drill's kills."""
    if step.edit_round is not None:
        apply_edits(world.fake, step.edit_round, world.config.seed, today)
    run = world.run(step, 1, world.matcher(step.job), None)
    if run.exit_code != 0:
        raise DrillError(f"reference step {step.index} ({step.job}) failed with no fault: {run.error}")
    return StepStats(run.seconds, run.api_requests, run.seconds - (run.last_api_s or 0.0), run.smtp_messages)


def draw_trigger(rng: random.Random, stats: StepStats) -> Trigger:
    kinds = ["time", "api", "after-fetch"]
    if stats.smtp_messages:
        kinds += ["smtp-before", "smtp-after"]
    kind = rng.choice(kinds)
    if kind == "time":
        return Trigger(kind, round(rng.uniform(0.05, stats.seconds), 3))
    if kind == "api":
        return Trigger(kind, rng.randint(1, max(1, stats.api_requests)))
    if kind == "after-fetch":
        return Trigger(kind, max(1, stats.api_requests), round(rng.uniform(0.0, stats.after_fetch_s), 3))
    return Trigger(kind, rng.randint(1, stats.smtp_messages))


def drill_step(world: World, step: Step, stats: StepStats, today: date, budget: int) -> int:
    """One step with faults and up to ``budget`` kills, then run again until it exits 0; returns the kills."""
    config = world.config
    if step.edit_round is not None:
        apply_edits(world.fake, step.edit_round, config.seed, today)
    kills = 0
    for attempt in range(1, config.max_attempts + 1):
        trigger = draw_trigger(world.rng, stats) if kills < budget else None
        run = world.run(step, attempt, world.matcher(step.job), trigger)
        if run.killed:
            kills += 1
        elif run.exit_code == 0:
            return kills  # complete; kills it did not use go to the next step
    raise DrillError(f"{world.label}: step {step.index} ({step.job}) did not complete in {config.max_attempts} "
                     f"runs; last error: {world.runs[-1].error}")  # fmt: skip


def run_steps(
    reference: World, drill: World, config: DrillConfig, today: date
) -> tuple[list[Step], list[StepStats], int]:
    """The scenario, each step first in the reference and then in the drill. Kills a step did not use (it completed
    before its kill point) go to the next; rounds are added while some remain (at most 10 more)."""
    planned = scenario(config.rounds)
    every = scenario(config.rounds + 10)
    plan = [config.kills // len(planned) + (i < config.kills % len(planned)) for i in range(len(planned))]
    steps, stats = [], []
    budget = kills = 0
    for step in every:
        if step.index >= len(planned) and budget == 0:
            break
        budget += plan[step.index] if step.index < len(planned) else 0
        stats.append(reference_step(reference, step, today))
        done = drill_step(drill, step, stats[-1], today, budget)
        steps.append(step)
        budget -= done
        kills += done
    return steps, stats, kills


def compare(reference: World, drill: World, kills: int, started: float) -> dict[str, Any]:
    ref_dump, drill_dump = canonical_dump(reference.db()), canonical_dump(drill.db())
    lost = {t: sorted((Counter(ref_dump[t]) - Counter(drill_dump[t])).elements()) for t in ref_dump}
    extra = {t: sorted((Counter(drill_dump[t]) - Counter(ref_dump[t])).elements()) for t in ref_dump}

    ref_copies, ref_content = mailed(reference.smtp)
    copies, content = mailed(drill.smtp)
    with drill.db().connect() as connection:
        digest_rows = connection.execute(text("SELECT message_id, status FROM digest")).all()
        locks = int(connection.execute(text("SELECT count(*) FROM job_lock")).scalar() or 0)
        running = int(connection.execute(text(
            "SELECT (SELECT count(*) FROM fetch_run WHERE outcome = 'running')"
            " + (SELECT count(*) FROM nightly_run WHERE outcome = 'running')")).scalar() or 0)  # fmt: skip
    never_arrived = sorted(m for m, _ in digest_rows if copies[m] == 0)
    pending = sorted(m for m, status in digest_rows if status != "sent")
    contents_lost = Counter(ref_content.values()) - Counter(content.values())
    contents_extra = Counter(content.values()) - Counter(ref_content.values())
    duplicates = {m: n - 1 for m, n in copies.items() if n > 1}
    in_window = {m: min(d, drill.window[m]) for m, d in duplicates.items() if drill.window[m]}
    outside = {m: d - in_window.get(m, 0) for m, d in duplicates.items() if d > in_window.get(m, 0)}

    runs = [r for r in drill.runs if r.job != "patients"]
    broken = [r for r in drill.runs if r.traceback or r.hung]
    ok = (
        not any(lost.values()) and not any(extra.values()) and not never_arrived and not pending
        and not contents_lost and not contents_extra and not outside and not broken and not locks and not running
        and not any(n > 1 for n in ref_copies.values())
    )  # fmt: skip
    faults: dict[str, dict[str, int]] = {}
    for run in drill.runs:
        for fault in run.faults:
            if fault.endswith("+"):
                continue
            row = faults.setdefault(fault, dict.fromkeys(("injected", "absorbed", "failed_run", "killed_run",
                                                          "traceback_or_hang", "survived"), 0))  # fmt: skip
            row["injected"] += 1
            if run.traceback or run.hung:
                row["traceback_or_hang"] += 1
            elif run.killed:
                row["killed_run"] += 1
            elif run.exit_code == 0:
                row["absorbed"] += 1
            else:
                row["failed_run"] += 1
            row["survived"] += int(ok and not (run.traceback or run.hung))
    killed = [r for r in runs if r.killed]
    return {
        "ok": ok,
        "seconds": round(time.monotonic() - started, 1),
        "kills": {
            "total": kills,
            "by_job": dict(Counter(r.job for r in killed)),
            "by_trigger": dict(Counter(r.trigger_kind or "?" for r in killed)),
            "by_phase": dict(Counter(r.phase or "?" for r in killed)),
        },
        "kill_points": [
            {
                "step": r.step,
                "job": r.job,
                "at": r.trigger,
                "phase": r.phase,
                "api_requests": r.api_requests,
                "smtp_messages": r.smtp_messages,
            }
            for r in killed
        ],
        "faults": dict(sorted(faults.items())),
        "runs": [
            {
                "step": r.step,
                "job": r.job,
                "exit": r.exit_code,
                "killed": r.killed,
                "faults": r.faults,
                "error": r.error,
            }
            for r in drill.runs
        ],
        "processes": {
            "runs": len(runs),
            "killed": len(killed),
            "exit_0": sum(r.exit_code == 0 for r in runs),
            "failed_cleanly": sum(not r.killed and r.exit_code != 0 and not r.traceback and not r.hung for r in runs),
            # A run that failed with no fault in it that a run cannot absorb (a dropped body, an SMTP failure).
            "failed_without_cause": sum(
                not r.killed and r.exit_code != 0 and not {"api_drop", "smtp_451", "smtp_drop"} & set(r.faults)
                for r in runs
            ),
            "tracebacks": sum(r.traceback and not r.killed for r in drill.runs),
            "hung": sum(r.hung for r in drill.runs),
            "seconds": {
                "reference": round(sum(r.seconds for r in reference.runs), 1),
                "drill": round(sum(r.seconds for r in drill.runs), 1),
            },
            "errors_seen": dict(Counter(_quiet(r.error) for r in drill.runs if r.error)),
            "broken": [asdict(r) for r in broken],
        },
        "rows": {
            "reference": {t: len(rows) for t, rows in ref_dump.items()},
            "lost": {t: len(rows) for t, rows in lost.items()},
            "extra": {t: len(rows) for t, rows in extra.items()},
            "lost_examples": {t: [r[:300] for r in rows[:3]] for t, rows in lost.items() if rows},
            "extra_examples": {t: [r[:300] for r in rows[:3]] for t, rows in extra.items() if rows},
        },
        "digests": {
            "reference_messages": sum(ref_copies.values()),
            "digests_in_database": len(digest_rows),
            "messages_received": sum(copies.values()),
            "unique_received": len(copies),
            "never_arrived": never_arrived,
            "left_pending": pending,
            "contents_lost": len(list(contents_lost.elements())),
            "contents_extra": len(list(contents_extra.elements())),
            "duplicates": sum(duplicates.values()),
            "duplicates_in_window": sum(in_window.values()),
            "duplicates_outside_window": sum(outside.values()),
            "duplicate_ids": {m: {"copies": copies[m], "in_window": in_window.get(m, 0)} for m in duplicates},
            "replies_dropped_after_accept": len(drill.smtp.handler.dropped_after_accept),
        },
        "left_behind": {"locks": locks, "runs_running": running},
    }


def run_backend(backend: str, config: DrillConfig) -> dict[str, Any]:
    """Reference run, then the drill, on one backend; returns its figures (``ok`` says whether every check held)."""
    started = time.monotonic()
    today = datetime.now(UTC).date()
    studies = load_studies(config.studies)
    rng = random.Random(f"{config.seed}-{backend}")
    with scratch_database(backend, config, f"{backend}-reference") as ref_url, \
            scratch_database(backend, config, f"{backend}-drill") as drill_url:  # fmt: skip
        reference = World(f"{backend}-reference", ref_url, config, studies, faults=False, rng=rng)
        drill = World(f"{backend}-drill", drill_url, config, studies, faults=True, rng=rng)
        with reference.running(), drill.running():
            add_patients(reference)
            add_patients(drill)
            steps, stats, kills = run_steps(reference, drill, config, today)
            if datetime.now(UTC).date() != today:
                raise DrillError("the UTC day changed during the drill: the two runs matched on different days")
            result = compare(reference, drill, kills, started)
    result["backend"] = backend
    result["steps"] = [f"{s.index}: {s.job}" + (f" after edits {s.edit_round}" if s.edit_round else "") for s in steps]
    result["reference_steps"] = [asdict(s) for s in stats]
    return result


# --- output --------------------------------------------------------------------------------------------------


def print_report(result: dict[str, Any]) -> None:
    k, p, r, d = result["kills"], result["processes"], result["rows"], result["digests"]
    print(f"\n== {result['backend']}: {'OK' if result['ok'] else 'FAILED'} ({result['seconds']} s) ==")
    print(f"kills: {k['total']} (by job {k['by_job']}; by trigger {k['by_trigger']})")
    print(f"  where they landed: {k['by_phase']}")
    print(f"processes: {p['runs']} runs, {p['killed']} killed, {p['exit_0']} exit 0, {p['failed_cleanly']} failed "
          f"with a one-line error ({p['failed_without_cause']} with no dropped body or SMTP fault in it), "
          f"{p['tracebacks']} tracebacks, {p['hung']} hung")  # fmt: skip
    print(
        f"{'fault':<10} {'injected':>8} {'absorbed':>8} {'failed':>7} {'killed':>7} {'trace/hang':>10} {'survived':>8}"
    )
    for kind, f in result["faults"].items():
        print(f"{kind:<10} {f['injected']:>8} {f['absorbed']:>8} {f['failed_run']:>7} {f['killed_run']:>7} "
              f"{f['traceback_or_hang']:>10} {f['survived']:>8}")  # fmt: skip
    print(f"rows compared: {sum(r['reference'].values())} ({r['reference']})")
    print(f"rows lost: {sum(r['lost'].values())}  extra: {sum(r['extra'].values())}")
    for label in ("lost_examples", "extra_examples"):
        for table, rows in r[label].items():
            print(f"  {label.split('_')[0]} {table}: {rows}")
    print(f"digests: {d['digests_in_database']} in the database, {d['reference_messages']} mailed by the reference; "
          f"{d['messages_received']} messages received, {d['unique_received']} distinct Message-IDs; "
          f"never arrived {len(d['never_arrived'])}, left pending {len(d['left_pending'])}, contents lost "
          f"{d['contents_lost']}, extra {d['contents_extra']}")  # fmt: skip
    print(f"duplicates: {d['duplicates']} ({d['duplicates_in_window']} in the documented window, "
          f"{d['duplicates_outside_window']} outside); replies dropped after accept: "
          f"{d['replies_dropped_after_accept']}")  # fmt: skip
    print(f"left behind: {result['left_behind']}")
    for error, n in p["errors_seen"].items():
        print(f"  {n} x error: {error}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    add_common_args(parser)
    parser.add_argument("--kills", type=int, default=24, help="SIGKILLs per backend (default 24)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of registry edits after the first night")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--backends", nargs="+", choices=("sqlite", "postgres"), default=["sqlite", "postgres"])
    parser.add_argument("--run-timeout", type=float, default=120.0, help="seconds before a run counts as hung")
    parser.add_argument("--keep", type=Path, help="keep each process's stdout/stderr in this directory")
    args = parser.parse_args(argv)
    studies = shared_dir(args) / "ctgov" / "studies"
    info = machine()
    print_machine(info)
    results: dict[str, Any] = {"machine": info, "command": " ".join(sys.argv), "seed": args.seed, "backends": []}
    with tempfile.TemporaryDirectory(prefix="fault-drill-") as tmp:
        workdir = args.keep or Path(tmp)
        config = DrillConfig(studies=studies, workdir=workdir, kills=args.kills, rounds=args.rounds, seed=args.seed,
                             run_timeout_s=args.run_timeout)  # fmt: skip
        for backend in args.backends:
            result = run_backend(backend, config)
            print_report(result)
            results["backends"].append(result)
    write_json(args.json, results)
    return 0 if all(r["ok"] for r in results["backends"]) else 1


if __name__ == "__main__":
    sys.exit(main())
