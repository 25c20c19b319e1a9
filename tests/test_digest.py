"""A digest worth opening (issue 12): order, links, escaping, the run that made it, coordinators' preferences, and a
weekly digest against daily ones over 10 simulated nights; a digest that fits in a mailbox (issue 14: at most N
items a patient, then "and M more", and under the size cap however many patients). Real pieces as in
tests/test_nightly.py: the shared studies served by a loopback ClinicalTrials.gov, the example patients, SQLite and
PostgreSQL, aiosmtpd; the HTML is rendered in Debian's Chromium (Playwright) for the picture."""

from __future__ import annotations

import base64
import os
import re
import shutil
from collections import Counter
from dataclasses import replace
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from matcher import db, monitor_store, store
from matcher.cli import cli
from matcher.config import Settings
from matcher.errors import ConfigError
from matcher.jobs import digest_item
from matcher.notify import DigestItem, render_digest
from matcher.patient import parse_patient
from tests.conftest import ROOT, fixed_clock
from tests.fake_ctgov import FakeCtGov
from tests.smtp_server import SmtpServer
from tests.test_nightly import (
    APATINIB,
    CABOZANTINIB,
    HOUSTON_SITE,
    LENVATINIB_EXCLUSION,
    OPENING,
    SCRIPT,
    Monitor,
    add_exclusion,
    example,
    fake,  # noqa: F401  (fixture)
    html,
    listed,
    plain,
    set_status,
    settings_for,
    smtp,  # noqa: F401  (fixture)
)

DAILY, WEEKLY = "daily@hospital.example", "weekly@hospital.example"
SCREENSHOT = ROOT / "docs" / "images" / "digest.png"


def store_twins(engine: Engine) -> None:
    """The papillary patient twice, one copy per coordinator: the daily one's and the weekly one's."""
    with db.session(engine) as session:
        for prefix, coordinator in (("d", DAILY), ("w", WEEKLY)):
            document = example("rair-papillary-braf") | {"id": f"{prefix}-ptc", "coordinator": coordinator}
            loaded = parse_patient(document)
            store.save_patient(session, loaded.patient.id, loaded.document, coordinator, fixed_clock()())
        session.commit()
        monitor_store.set_preferences(session, WEEKLY, fixed_clock()(), delivery="weekly", digest_weekday=0)


def opens_with_markup(protocol: dict[str, Any]) -> None:
    set_status("RECRUITING")(protocol)
    protocol["identificationModule"]["briefTitle"] += f" {SCRIPT}"


# The registry's edits over ten nights (2026-11-21, a Saturday, to 2026-11-30): every kind of news, and news on
# both sides of the weekly digest's Mondays (23 and 30).
EDITS = {
    22: [(OPENING, opens_with_markup)],
    24: [(CABOZANTINIB, add_exclusion(LENVATINIB_EXCLUSION))],
    25: [(APATINIB, lambda p: p["contactsLocationsModule"]["locations"].append(HOUSTON_SITE))],
    27: [(OPENING, set_status("ACTIVE_NOT_RECRUITING"))],  # a matched trial stops enrolling: news
    28: [(OPENING, set_status("COMPLETED"))],  # from one non-enrolling status to another: not mailed
    29: [(APATINIB, set_status("COMPLETED"))],
}


def news_of(messages: list[EmailMessage]) -> Counter[str]:
    """Every item line mailed ("- Trial status changed: NCT... (STATUS) - verdict (was ...)"), counted: a repeat
    would count twice."""
    return Counter(line for m in messages for line in plain(m).splitlines() if re.match(r"^- [A-Za-z ]+: NCT", line))


def kinds_of(messages: list[EmailMessage]) -> set[tuple[str, str, str]]:
    return {(nct, kind, verdict) for m in messages for _patient, nct, kind, verdict in listed(m)}


@pytest.fixture
def ten_nights(engine: Engine, fake: FakeCtGov, smtp: SmtpServer) -> Monitor:  # noqa: F811
    store_twins(engine)
    monitor = Monitor(engine, fake, smtp, settings_for(fake, smtp))
    for day in range(21, 31):
        for nct_id, change in EDITS.get(day, []):
            monitor.edit(nct_id, day, change)
        result = monitor.night(day)
        assert result.outcome == "succeeded", (day, result.errors)
    return monitor


def test_weekly_digest_holds_the_daily_news_without_loss_or_repeat(ten_nights: Monitor) -> None:
    daily, weekly = ten_nights.smtp.to(DAILY), ten_nights.smtp.to(WEEKLY)
    assert len(daily) >= 5  # a digest on each night with news
    assert len(weekly) == 2  # Mondays 23 and 30 only
    assert [m["Date"][:16] for m in weekly] == ["Mon, 23 Nov 2026", "Mon, 30 Nov 2026"]
    assert news_of(daily) == news_of(weekly)
    assert max(news_of(daily).values()) == 1  # nothing repeated: each piece once
    kinds = {kind for _nct, kind, _verdict in kinds_of(daily)}
    assert kinds == {"new_match", "verdict_change", "site_opened", "status_change"}
    # The week's news went out on the Monday after it, in the weekly coordinator's second digest only.
    assert (CABOZANTINIB, "verdict_change", "ineligible") in kinds_of(weekly[1:])
    assert "covering the week to 2026-11-30" in plain(weekly[1])
    # the closure of a matched trial is news; the opening trial moving between two non-enrolling statuses is not
    lines = set(news_of(daily))
    assert f"- Trial status changed: {APATINIB} (COMPLETED) - possible (was status RECRUITING)" in lines
    assert f"- Trial status changed: {OPENING} (ACTIVE_NOT_RECRUITING) - possible (was status RECRUITING)" in lines
    assert not any(f"{OPENING} (COMPLETED)" in line for line in lines)
    recorded = [e for run in range(1, 11) for e in ten_nights.events(run) if e.nct_id == OPENING]
    assert any(e.after["overall_status"] == "COMPLETED" for e in recorded)  # recorded, not mailed


def test_digest_order_links_escaping_and_the_run_that_made_it(ten_nights: Monitor) -> None:
    first = ten_nights.smtp.to(WEEKLY)[0]  # news of runs 1 to 3, made by run 3
    text, page = plain(first), html(first)
    assert text.startswith("Trial matches for your patients, made by nightly run 3 on 2026-11-23")
    assert "(news from run 1)" in text and "(news from run 2)" in text
    items = listed(first)
    ranks = [
        {"new_match": 0, "verdict_change": 2, "site_opened": 3, "status_change": 4}[kind] for _, _, kind, _ in items
    ]
    ranks = [r + (v == "possible" and k == "new_match") for r, (_, _, k, v) in zip(ranks, items, strict=True)]
    assert ranks == sorted(ranks)
    assert items[0][1:] == (CABOZANTINIB, "new_match", "eligible")  # the eligible trial comes first
    assert items[-1][1:] == (OPENING, "status_change", "possible")
    for _patient, nct, _kind, _verdict in items:
        assert f"https://clinicaltrials.gov/study/{nct}" in text
        assert re.search(rf'<a href="https://clinicaltrials.gov/study/{nct}"[^>]*>{nct}</a>', page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page.lower()
    assert "<style" not in page and "<link" not in page and 'style="' in page  # inlined, no external asset
    assert not re.search(r'(src|href)="(?!https://clinicaltrials\.gov/|mailto:)', page)
    # each item: its site with distance and a contact, when the patient has one near enough to say
    assert re.search(r"site: .*\(\d+ km\)", text) and "contact: " in text
    assert "Tonight (run 3): 14 trial(s) checked, 0 new and 0 changed in the registry" in text  # the footer
    assert "open on the web desk" not in page  # MATCHER_WEB_URL is not set


def test_web_desk_link_when_matcher_web_url_is_set(
    engine: Engine,
    fake: FakeCtGov,  # noqa: F811
    smtp: SmtpServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    (tmp_path / "empty.toml").write_text("")
    environ = {"MATCHER_CONFIG": str(tmp_path / "empty.toml"), "MATCHER_WEB_URL": "https://desk.hospital.example/matcher/",
               "MATCHER_DIGEST_ITEMS_PER_PATIENT": "1"}  # fmt: skip
    configured = Settings.from_env(environ)
    store_twins(engine)
    settings = replace(settings_for(fake, smtp), web_url=configured.web_url,
                       digest_items_per_patient=configured.digest_items_per_patient)  # fmt: skip
    monitor = Monitor(engine, fake, smtp, settings)
    assert monitor.night(21).outcome == "succeeded"
    [message] = smtp.to(DAILY)
    link = f"https://desk.hospital.example/matcher/patients/d-ptc/trials/{CABOZANTINIB}"
    assert f"web desk: {link}" in plain(message)
    assert re.search(rf'<a href="{re.escape(link)}"[^>]*>open on the web desk</a>', html(message))
    # one item listed; the rest are on the patient's page of the desk
    more = len([e for e in monitor.events(1) if e.patient_id == "d-ptc"]) - 1
    page = "https://desk.hospital.example/matcher/patients/d-ptc"
    assert f"and {more} more for patient d-ptc: {page}" in plain(message).splitlines()
    assert re.search(
        rf'and {more} more for patient d-ptc: <a href="{re.escape(page)}"[^>]*>see them on the web desk', html(message)
    )


def test_preferences_leave_out_kinds_far_sites_and_keep_the_news(
    engine: Engine,
    fake: FakeCtGov,  # noqa: F811
    smtp: SmtpServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    store_twins(engine)
    (tmp_path / "empty.toml").write_text("")
    env = {"MATCHER_DATABASE_URL": str(engine.url.render_as_string(hide_password=False)),
           "MATCHER_CONFIG": str(tmp_path / "empty.toml")}  # fmt: skip
    runner = CliRunner()
    result = runner.invoke(cli, ["coordinators", "set", DAILY, "--kinds", "site_opened", "--near-km", "1"], env=env)
    assert result.exit_code == 0, result.output
    assert "site_opened; daily; sites opened within 1 km" in result.output
    bad = runner.invoke(cli, ["coordinators", "set", DAILY, "--kinds", "gossip"], env=env)
    assert bad.exit_code == 2 and "unknown kind(s) gossip" in bad.output
    listed_prefs = runner.invoke(cli, ["coordinators", "list"], env=env)
    assert listed_prefs.stdout.splitlines()[0].split() == ["EMAIL", "DELIVERY", "NEWS", "KINDS", "NEAR", "KM",
                                                            "NOT", "ENROLLING", "MUTED"]  # fmt: skip
    monitor = Monitor(engine, fake, smtp, settings_for(fake, smtp))
    assert monitor.night(21).outcome == "succeeded"
    monitor.edit(APATINIB, 22, lambda p: p["contactsLocationsModule"]["locations"].append(HOUSTON_SITE))
    assert monitor.night(22).outcome == "succeeded"
    assert smtp.to(DAILY) == []  # new matches not wanted; the Houston site is 6 km away, beyond 1 km
    runner.invoke(cli, ["coordinators", "set", DAILY, "--kinds", "all", "--any-distance"], env=env)
    assert monitor.night(23).outcome == "succeeded"
    [message] = smtp.to(DAILY)  # what was left out was kept, undigested, and goes out once wanted
    assert (APATINIB, "site_opened", "possible") in kinds_of([message])
    assert (CABOZANTINIB, "new_match", "eligible") in kinds_of([message])


def _distinct_colours(page: Any, png: bytes) -> int:
    """Distinct colours of a PNG, counted by the browser (no image library needed)."""
    page.set_content(f'<img id="shot" src="data:image/png;base64,{base64.b64encode(png).decode()}">')
    page.wait_for_function("document.getElementById('shot').complete")
    return int(
        page.evaluate(
            """() => { const img = document.getElementById('shot'); const c = document.createElement('canvas');
            c.width = img.naturalWidth; c.height = img.naturalHeight; const x = c.getContext('2d');
            x.drawImage(img, 0, 0); const d = x.getImageData(0, 0, c.width, c.height).data; const seen = new Set();
            for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
            return seen.size; }"""
        )
    )


def test_digest_renders_in_chromium_with_the_eligible_item_first(ten_nights: Monitor, tmp_path: Path) -> None:
    browser_path = shutil.which("chromium")
    if browser_path is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    message = ten_nights.smtp.to(WEEKLY)[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 760, "height": 900})
        page.route("**/*", lambda route: route.abort())  # no external asset may load (none is asked for)
        page.set_content(html(message))
        boxes = page.locator("div.box")
        assert boxes.count() == len(listed(message))
        first = boxes.nth(0)
        assert first.is_visible()
        assert first.locator("span.badge").inner_text() == "eligible"
        assert CABOZANTINIB in first.inner_text()
        tops = [boxes.nth(i).bounding_box()["y"] for i in range(boxes.count())]  # type: ignore[index]
        assert tops == sorted(tops) and tops[0] < tops[-1]
        background = first.evaluate("e => getComputedStyle(e).backgroundColor")
        assert background == "rgb(218, 251, 225)"  # the eligible item's green, from the inlined stylesheet
        shot = tmp_path / "digest.png"
        page.screenshot(path=str(shot), full_page=True)
        assert _distinct_colours(page, shot.read_bytes()) > 20  # not blank
        browser.close()
    if os.environ.get("MATCHER_WRITE_DOCS_SCREENSHOT"):  # the picture in docs/deploy.md
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, SCREENSHOT)


# --- a digest that fits in a mailbox (issue 14) ----------------------------------------------------------------

MORE_LINE = re.compile(r"^and (\d+) more for patient (\S+): ", re.MULTILINE)
LEFT_OUT_LINE = re.compile(
    r"^News for (\d+) more patients? is left out to keep this mail under [\d.]+ MB: (.+?)\. ", re.M
)
RANK = {("new_match", "eligible"): 0, ("new_match", "possible"): 1, ("verdict_change", None): 2,
        ("site_opened", None): 3, ("status_change", None): 4}  # fmt: skip


def rank_of(kind: str, verdict: str) -> int:
    return RANK.get((kind, verdict), RANK.get((kind, None), 5))


def more_of(message: EmailMessage) -> dict[str, int]:
    return {patient: int(n) for n, patient in MORE_LINE.findall(plain(message))}


def store_copies(engine: Engine, count: int) -> None:
    """``count`` copies of the papillary patient (p-00, p-01, ...), all the daily coordinator's."""
    with db.session(engine) as session:
        for i in range(count):
            loaded = parse_patient(example("rair-papillary-braf") | {"id": f"p-{i:02d}", "coordinator": DAILY})
            store.save_patient(session, loaded.patient.id, loaded.document, DAILY, fixed_clock()())
        session.commit()


def test_items_a_patient_are_capped_and_the_rest_counted_with_where_to_see_them(
    engine: Engine,
    fake: FakeCtGov,  # noqa: F811
    smtp: SmtpServer,  # noqa: F811
) -> None:
    store_twins(engine)
    monitor = Monitor(engine, fake, smtp, replace(settings_for(fake, smtp), digest_items_per_patient=2))
    assert monitor.night(21).outcome == "succeeded"
    [message] = smtp.to(DAILY)
    events = [e for e in monitor.events(1) if e.patient_id == "d-ptc"]
    assert len(events) > 2
    expected = sorted((rank_of(e.kind, str(e.after["verdict"])), e.nct_id) for e in events)[:2]
    assert [(rank_of(k, v), nct) for _, nct, k, v in listed(message)] == expected  # the two most pressing
    assert more_of(message) == {"d-ptc": len(events) - 2}
    assert f"and {len(events) - 2} more for patient d-ptc: see them with `matcher explain d-ptc --all`" in plain(
        message
    )
    assert (
        f"and {len(events) - 2} more for patient d-ptc: see them with <code>matcher explain d-ptc --all</code>"
        in html(message)
    )
    assert f"({len(events)} items, 2 listed here)" in plain(message)
    assert message["Subject"].startswith(f"[matcher] {len(events)} new matches")  # the subject counts them all
    # Left out of the mail, still delivered with it: the next night mails none of it again.
    assert all(e.digest_id is not None for e in events)
    assert monitor.night(22).outcome == "succeeded"
    assert smtp.to(DAILY) == [message]


def test_a_digest_for_many_patients_stays_under_the_size_cap_keeping_the_most_pressing_news(
    engine: Engine,
    fake: FakeCtGov,  # noqa: F811
    smtp: SmtpServer,  # noqa: F811
) -> None:
    store_copies(engine, 40)
    monitor = Monitor(engine, fake, smtp, replace(settings_for(fake, smtp), digest_max_bytes=50_000))
    assert monitor.night(21).outcome == "succeeded"
    [message] = smtp.to(DAILY)
    assert len(message.as_bytes()) <= 50_000
    events = monitor.events(1)
    shown = listed(message)
    more = more_of(message)
    [(count, names)] = LEFT_OUT_LINE.findall(plain(message))
    left_out = names.split(", ")
    assert int(count) == len(left_out) > 0
    assert "See it with `matcher review list --coordinator daily@hospital.example`." in plain(message)
    # every piece of news is listed, counted as "more" or in a patient named as left out
    per_patient = Counter(e.patient_id for e in events)
    assert len(shown) + sum(more.values()) + sum(per_patient[p] for p in left_out) == len(events)
    assert {p for p, *_ in shown} | set(left_out) == set(per_patient)
    # the most pressing kinds were kept: nothing listed ranks below anything left out
    kept = {(p, nct) for p, nct, *_ in shown}
    dropped = [rank_of(e.kind, str(e.after["verdict"])) for e in events if (e.patient_id, e.nct_id) not in kept]
    assert max(rank_of(k, v) for *_, k, v in shown) <= min(dropped)
    assert all(e.digest_id is not None for e in events)
    assert monitor.night(22).outcome == "succeeded"
    assert smtp.to(DAILY) == [message]


def test_a_realistic_worst_case_fits_under_one_megabyte(
    engine: Engine,
    fake: FakeCtGov,  # noqa: F811
    smtp: SmtpServer,  # noqa: F811
) -> None:
    """1,000 patients with 50 pieces of news each (a first night at 1,000 x 500): the items are the real night's,
    built by the nightly job's own code, under new patient ids and NCT ids."""
    store_twins(engine)
    monitor = Monitor(engine, fake, smtp, settings_for(fake, smtp))
    assert monitor.night(21).outcome == "succeeded"
    real = [digest_item(e) for e in monitor.events(1) if e.patient_id == "d-ptc"]
    items: list[DigestItem] = [replace(real[k % len(real)], patient_id=f"patient-{p:04d}", nct_id=f"NCT9{k:07d}")
                               for p in range(1000) for k in range(50)]  # fmt: skip
    settings = Settings(mail_from="matcher@hospital.example")
    email = render_digest(DAILY, items, 1, settings, datetime(2026, 11, 21, 2, 30))
    size = len(email.to_message().as_bytes())
    assert 900_000 < size <= settings.digest_max_bytes == 1_000_000  # full, not over
    message = email.to_message()
    shown = listed(message)
    assert max(Counter(p for p, *_ in shown).values()) <= settings.digest_items_per_patient == 10
    [(count, _names)] = LEFT_OUT_LINE.findall(plain(message))
    assert len(shown) + sum(more_of(message).values()) + 50 * int(count) == len(items)
    eligible = sum(1 for i in items[:50] if i.rank == 0)
    if len(shown) < 1000 * min(eligible, 10):  # fewer listed than new eligible matches: only those are listed
        assert {v for *_, v in shown} == {"eligible"}


@pytest.mark.parametrize(("name", "value"), [("MATCHER_DIGEST_ITEMS_PER_PATIENT", "0"),
                                             ("MATCHER_DIGEST_MAX_BYTES", "20000")])  # fmt: skip
def test_digest_limits_that_cannot_work_are_refused_by_name(name: str, value: str, tmp_path: Path) -> None:
    (tmp_path / "empty.toml").write_text("")
    with pytest.raises(ConfigError, match=name.removeprefix("MATCHER_").lower()):
        Settings.from_env({"MATCHER_CONFIG": str(tmp_path / "empty.toml"), name: value})
