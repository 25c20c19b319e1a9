"""The review desk in a real headless Chromium (Debian's package, driven by Playwright), served by uvicorn on
loopback: a coordinator's morning, screenshots of every main page (docs/images/web-*.png, shown in docs/web.md),
and accessibility basics. Runs whenever chromium is installed (.ci/run installs it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine

from matcher import db
from matcher.config import Settings
from matcher.web.app import create_app
from tests.conftest import ROOT
from tests.web_support import COORDINATOR, MINE, PASSWORD, SECRET, Clock, build_desk

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it with apt)")
IMAGES = ROOT / "docs" / "images"

# Every visible form control must have a name a screen reader reads: a <label for>, a wrapping <label>, an
# aria-label, or (buttons) their text. Returns the controls without one.
UNLABELLED = """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea, button'))
  .filter(el => {
    if (el.tagName === 'BUTTON') return !(el.textContent.trim() || el.getAttribute('aria-label'));
    if (el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
    return !(el.id && document.querySelector('label[for="' + el.id + '"]'));
  }).map(el => el.outerHTML.slice(0, 160))"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    """The real app served by uvicorn on 127.0.0.1 (a free port), in a thread, over a desk on real data."""
    tmp = tmp_path_factory.mktemp("browser")
    engine = db.open_database(f"sqlite:///{tmp / 'matcher.sqlite'}")
    build_desk(engine, tmp)
    app = create_app(Settings(database_url=str(engine.url), web_secret=SECRET), engine, Clock())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", engine
    server.should_exit = True
    thread.join(10)
    engine.dispose()


def shoot(page: object, name: str) -> Path:
    path = IMAGES / f"web-{name}.png"
    IMAGES.mkdir(parents=True, exist_ok=True)
    data = page.screenshot(path=str(path))  # type: ignore[attr-defined]
    assert len(data) > 10_000, f"{name}: the screenshot looks blank"
    return path


def unlabelled(page: object) -> list[str]:
    found: list[str] = page.evaluate(UNLABELLED)  # type: ignore[attr-defined]
    return found


def test_a_coordinators_morning_in_a_real_browser(served: tuple[str, Engine]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _ = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            # No session: the queue sends us to the sign-in form.
            page.goto(f"{base}/")
            assert "/login" in page.url
            assert unlabelled(page) == []
            shoot(page, "login")
            page.get_by_label("Email").fill(COORDINATOR)
            page.get_by_label("Password").fill(PASSWORD)
            page.keyboard.press("Enter")
            expect(page.locator("h1")).to_have_text("Queue")
            assert unlabelled(page) == []
            shoot(page, "queue")

            # The queue from the keyboard: Tab to the first match and open it with Enter.
            first = page.locator("table.queue td:nth-child(2) a").first
            target = first.get_attribute("href")
            for _ in range(60):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.matches('table.queue td:nth-child(2) a')"):
                    break
            else:
                pytest.fail("no queue row can be reached with Tab")
            assert page.evaluate("document.activeElement.getAttribute('href')") == target
            page.keyboard.press("Enter")
            page.wait_for_url(f"**{target}")
            assert unlabelled(page) == []
            before = page.locator(".verdict-line .verdict").inner_text().lower()
            assert before in ("eligible", "possible")

            # Set a review status with a note.
            page.get_by_label("Note (optional)").fill("Called the patient; wants to hear more")
            page.get_by_role("button", name="Contacted").click()
            expect(page.locator(".message")).to_have_text("Review status saved.")
            expect(page.locator(".review-status")).to_have_text("contacted")

            # Flag a reading: a top-level criterion the patient satisfies is violated for this patient.
            item = page.locator("li.criterion.o-satisfied:not(.sub)").first
            item.locator("summary").click()
            item.get_by_label("violated, for this patient").check()
            item.get_by_label("Note").fill("EHR: prior lenvatinib not in the profile yet")
            item.get_by_role("button", name="Save the flag").click()
            expect(page.locator(".message")).to_contain_text("Reading flagged")
            expect(page.locator(".verdict-line .verdict")).to_have_text("ineligible")
            page.evaluate("window.scrollTo(0, 0)")
            shoot(page, "match")

            # The history of the pair: the review and the flag.
            history = page.locator("#history").inner_text()
            assert "new → contacted" in history and "Called the patient" in history
            assert "reading flagged by thyroid-trials@hospital.example: violated for this patient" in history

            page.get_by_role("link", name=f"Patient {MINE}").click()
            expect(page.locator("h1")).to_have_text(f"Patient {MINE}")
            expect(page.locator("#collect")).to_be_visible()
            assert "would settle" in page.locator("ol.collect").inner_text()
            shoot(page, "patient")

            nct = target.rsplit("/", 1)[1] if target else ""
            page.goto(f"{base}/trials/{nct}")
            expect(page.get_by_role("heading", name="Criteria as parsed")).to_be_visible()
            assert "override" in page.locator("body").inner_text()
            shoot(page, "trial")

            page.get_by_role("link", name="Runs").click()
            expect(page.locator("h1")).to_have_text("Runs")
            assert "succeeded" in page.locator("table.runs").first.inner_text()
            shoot(page, "runs")

            page.get_by_role("button", name="Sign out").click()
            expect(page.locator(".message")).to_have_text("You are signed out.")
            page.goto(f"{base}/patients/{MINE}")
            assert "/login" in page.url
        finally:
            browser.close()


def test_matcher_serve_runs_as_a_real_process(tmp_path: Path) -> None:
    """`matcher serve` starts uvicorn on the database of the settings and answers on loopback."""
    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "empty.toml").write_text("")
    env = {**os.environ, "MATCHER_DATABASE_URL": url, "MATCHER_CONFIG": str(tmp_path / "empty.toml")}
    process = subprocess.Popen([sys.executable, "-m", "matcher", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
                    body = response.read().decode()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
                assert time.monotonic() < deadline, "matcher serve did not answer"
                time.sleep(0.2)
        assert "<h1>Sign in</h1>" in body
    finally:
        process.terminate()
        process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
