"""A review desk over real data: the 48 real studies of ../shared, the example patients, one nightly run (dry run),
and users; helpers to sign in through the real login form."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from starlette.testclient import TestClient

from matcher import db, store
from matcher.config import Settings
from matcher.jobs import run_nightly
from matcher.notify import DirectorySender
from matcher.patient import parse_patient
from matcher.sources import DirectorySource
from matcher.web import auth
from matcher.web.app import create_app
from tests.conftest import ROOT, STUDIES

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
COORDINATOR = "thyroid-trials@hospital.example"  # examples/rair-papillary-braf.json names this coordinator
OTHER = "atc-pathway@hospital.example"  # examples/anaplastic-braf.json
ADMIN = "admin@hospital.example"
PASSWORD = "correct horse battery"
MINE = "ex-rair-ptc-braf"
THEIRS = "ex-atc-braf"
SECRET = "test-secret-" + "x" * 40


class Clock:
    """The desk's clock, moved by tests (idle timeout)."""

    def __init__(self, moment: datetime = NOW) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **kwargs: float) -> None:
        self.moment += timedelta(**kwargs)


def build_desk(engine: Engine, tmp: Path) -> None:
    """Fetch the real studies, store every example patient, run one nightly (digests to files), add the users."""
    with db.session(engine) as session:
        for path in sorted((ROOT / "examples").glob("*.json")):
            loaded = parse_patient(json.loads(path.read_text(encoding="utf-8")), source=path.name)
            store.save_patient(session, loaded.patient.id, loaded.document, loaded.patient.coordinator, NOW)
        session.commit()
    settings = Settings(database_url=str(engine.url))
    run_nightly(engine, settings, DirectorySource(STUDIES), DirectorySender(tmp / "eml"), lambda: NOW)
    with db.session(engine) as session:
        for email, role in ((COORDINATOR, "coordinator"), (OTHER, "coordinator"), (ADMIN, "admin")):
            auth.add_user(session, email, role, PASSWORD, NOW)
        session.commit()


def client(engine: Engine, clock: Clock | None = None, **settings: Any) -> TestClient:
    app = create_app(Settings(database_url=str(engine.url), web_secret=SECRET, **settings), engine, clock or Clock())
    scheme = "https" if settings.get("web_secure_cookies") else "http"  # a Secure cookie comes back over HTTPS only
    return TestClient(app, base_url=f"{scheme}://127.0.0.1")


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(c: TestClient, email: str = COORDINATOR, password: str = PASSWORD) -> Any:
    form = c.get("/login")
    return c.post("/login", data={"email": email, "password": password, "csrf": csrf_of(form.text), "next": "/"},
                  follow_redirects=False)  # fmt: skip
