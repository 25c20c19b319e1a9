"""The fetch/nightly lock is held by the database for as long as its holder lives (issue 11, finding 6).

Real processes on real databases: a holder started with ``python -c`` keeps the lock past any staleness time (before
the fix, a lock older than MATCHER_LOCK_STALE_S was taken from a live holder and both runs delivered the same
outbox); a SIGKILLed holder releases it by dying; a second ``matcher fetch`` is refused with a clear message.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert

from matcher import db, ingest, store
from matcher.errors import LockHeld
from matcher.sources import DirectorySource
from matcher.tables import LockRow
from tests.conftest import ROOT, STUDIES, fixed_clock

HOLDER = """
import sys, time
from datetime import UTC, datetime, timedelta
from matcher import db, store
engine = db.open_database(sys.argv[1])
with store.hold_lock(engine, sys.argv[2], datetime.now(UTC), timedelta(hours=12)):
    print("held", flush=True)
    time.sleep(600)
"""
FAR_FUTURE = datetime(2099, 1, 1, tzinfo=UTC)


@pytest.fixture
def holder(database_url: str) -> Iterator[subprocess.Popen[str]]:
    """Another process that holds the "fetch" lock until it is killed."""
    db.open_database(database_url).dispose()  # migrate first, so the holder does not race the test for it
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, database_url, "fetch"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    proc.stdout.close()


def acquire_eventually(engine: Engine, name: str, within_s: float = 20) -> None:
    """The lock of a killed holder is free as soon as its connection or file descriptor is closed by the kernel
    (PostgreSQL notices its client's death a moment later)."""
    deadline = time.monotonic() + within_s
    while True:
        try:
            with store.hold_lock(engine, name, fixed_clock()(), timedelta(hours=12)):
                return
        except LockHeld:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_a_live_holder_keeps_the_lock_past_any_staleness_and_a_killed_one_frees_it(
    engine: Engine, holder: subprocess.Popen[str]
) -> None:
    # Long after it was taken, with a staleness time of zero: still refused, naming the holder.
    refused = rf"another fetch run holds the lock \(holder [^ ]+:{holder.pid}, since "
    with pytest.raises(LockHeld, match=refused), store.hold_lock(engine, "fetch", FAR_FUTURE, timedelta(0)):
        pytest.fail("took the lock of a live holder")
    with pytest.raises(LockHeld):
        ingest.fetch(engine, DirectorySource(STUDIES), lambda: FAR_FUTURE, lock_stale_after=timedelta(0))
    # Another name is another lock.
    with store.hold_lock(engine, "nightly", FAR_FUTURE, timedelta(hours=12)):
        pass

    holder.send_signal(signal.SIGKILL)
    holder.wait()
    acquire_eventually(engine, "fetch")
    assert ingest.fetch(engine, DirectorySource(STUDIES), fixed_clock()).outcome == "succeeded"


def test_a_second_matcher_fetch_is_refused_with_a_clear_message(
    database_url: str, holder: subprocess.Popen[str], tmp_path: Path
) -> None:
    (tmp_path / "none.toml").write_text("")
    env = {**os.environ, "MATCHER_DATABASE_URL": database_url, "MATCHER_CONFIG": str(tmp_path / "none.toml"),
           "MATCHER_LOCK_STALE_S": "0"}  # fmt: skip
    second = subprocess.run(
        [sys.executable, "-m", "matcher", "fetch", "--source", str(STUDIES)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert second.returncode == 1
    assert f"Error: another fetch run holds the lock (holder {os.uname().nodename}" in second.stderr
    assert f":{holder.pid}, since " in second.stderr and "Traceback" not in second.stderr
    assert holder.poll() is None  # the holder was left alone


def test_a_row_left_by_a_dead_holder_decides_nothing(engine: Engine) -> None:
    with engine.begin() as connection:  # as a crashed run on another host would leave it
        connection.execute(insert(LockRow).values(name="fetch", holder="elsewhere:4242", acquired_at=FAR_FUTURE))
    with store.hold_lock(engine, "fetch", fixed_clock()(), timedelta(hours=12)), db.session(engine) as session:
        row = session.get(LockRow, "fetch")
        assert row is not None and row.holder == f"{os.uname().nodename}:{os.getpid()}"
    with db.session(engine) as session:
        assert session.get(LockRow, "fetch") is None
