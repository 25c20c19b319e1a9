"""The review desk through Starlette's TestClient, on real data (48 real studies, the example patients, a real
nightly run), on SQLite and PostgreSQL; and its security properties."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlmodel import select

from matcher import db, store
from matcher.cli import cli
from matcher.tables import AccessLogRow, CriterionOverrideRow, MatchRow, TrialCriteriaRow, TrialRow
from tests.conftest import ROOT
from tests.web_support import (
    ADMIN,
    COORDINATOR,
    MINE,
    OTHER,
    PASSWORD,
    THEIRS,
    Clock,
    build_desk,
    client,
    csrf_of,
    sign_in,
)


@pytest.fixture
def desk(engine: Engine, tmp_path: Path) -> Engine:
    build_desk(engine, tmp_path)
    return engine


@pytest.fixture(scope="module")
def sqlite_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One desk on SQLite shared by the read-only security tests (each test signs in on its own)."""
    tmp = tmp_path_factory.mktemp("desk")
    engine = db.open_database(f"sqlite:///{tmp / 'matcher.sqlite'}")
    build_desk(engine, tmp)
    yield engine
    engine.dispose()


def rows_of(html: str) -> list[tuple[str, str, str]]:
    """(patient id, NCT id, verdict) of each queue row, in page order."""
    return re.findall(r'href="/patients/([^"/]+)/trials/(NCT\d{8})">.*?class="(?:verdict )?v-(\w+)"', html, re.S)


def cli_run(engine: Engine, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--database", str(engine.url.render_as_string(hide_password=False)), *args],
                                input=stdin)  # fmt: skip
    return result.exit_code, result.output


def cli_json(engine: Engine, *args: str) -> tuple[int, Any]:
    """A command's --json output, as a script reads it: stdout only (messages such as unplaced sites go to stderr)."""
    result = CliRunner().invoke(cli, ["--database", str(engine.url.render_as_string(hide_password=False)), *args])
    return result.exit_code, json.loads(result.stdout) if result.exit_code == 0 else result.output


# --- the pages, on both databases ---------------------------------------------------------------------------


def test_coordinator_works_the_queue_patient_and_match_pages(desk: Engine) -> None:
    c = client(desk)
    assert sign_in(c).status_code == 303
    queue = c.get("/")
    assert queue.status_code == 200
    rows = rows_of(queue.text)
    assert rows, "the coordinator's queue is empty"
    assert {pid for pid, _, _ in rows} == {MINE}, "another coordinator's patient is in the queue"
    with db.session(desk) as session:
        stored = {(m.nct_id, m.verdict) for m in session.exec(select(MatchRow).where(MatchRow.patient_id == MINE))}
        enrolling = {t.nct_id for t in store.list_trials(session, ("RECRUITING", "NOT_YET_RECRUITING",
                                                                    "ENROLLING_BY_INVITATION"))}  # fmt: skip
    expected = {(n, v) for n, v in stored if v in ("eligible", "possible") and n in enrolling}
    assert {(n, v) for _, n, v in rows} == expected
    verdicts = [v for _, _, v in rows]
    assert verdicts == sorted(verdicts, key=["eligible", "possible"].index), "eligible rows must come first"
    assert f"{len(rows)} match" in queue.text
    # Filters: ineligible only, any status.
    ineligible = rows_of(c.get("/?verdict=ineligible&status=any").text)
    assert ineligible and {v for _, _, v in ineligible} == {"ineligible"}

    patient = c.get(f"/patients/{MINE}")
    assert patient.status_code == 200 and "Collect next" in patient.text and "would settle" in patient.text
    assert "Radioiodine-refractory" in patient.text and "BRAF V600E positive" in patient.text

    _, nct, verdict = rows[0]
    page = c.get(f"/patients/{MINE}/trials/{nct}")
    assert page.status_code == 200
    assert f'class="verdict v-{verdict}"' in page.text and f"https://clinicaltrials.gov/study/{nct}" in page.text
    assert page.text.count('class="criterion ') >= 3 and "Evidence:" in page.text

    note = "called the research nurse, 26 Nov"
    saved = c.post(f"/patients/{MINE}/trials/{nct}/review",
                   data={"csrf": csrf_of(page.text), "status": "contacted", "note": note})  # fmt: skip
    assert saved.status_code == 200 and "Review status saved." in saved.text
    assert "new → contacted by thyroid-trials@hospital.example" in saved.text and note in saved.text
    # The review left the "new" group for "contacted"; the CLI's review trail has it.
    assert 'id="g-contacted"' in c.get("/").text
    code, out = cli_run(desk, "review", "list", "--coordinator", COORDINATOR, "--status", "contacted")
    assert code == 0 and nct in out

    with db.session(desk) as session:
        pages = [(a.who, a.patient_id, a.page) for a in session.exec(select(AccessLogRow))]
    assert (COORDINATOR, MINE, "queue") in pages and (COORDINATOR, MINE, "match") in pages
    assert (COORDINATOR, MINE, "patient") in pages and all(p == MINE for _, p, _ in pages)
    code, out = cli_run(desk, "audit", "--patient", MINE, "--user", COORDINATOR, "--since", "2026-11-26")
    assert code == 0 and "match" in out and nct in out
    code, out = cli_run(desk, "audit", "--since", "2026-11-27")
    assert code == 0 and out.strip() == ""


def test_flagging_a_reading_changes_the_verdict_everywhere_and_is_dropped_when_the_text_changes(
    desk: Engine, tmp_path: Path
) -> None:
    c = client(desk)
    sign_in(c)
    _, nct, verdict = rows_of(c.get("/").text)[0]
    page = c.get(f"/patients/{MINE}/trials/{nct}").text
    # A top-level criterion the patient satisfies: read it as violated for this patient.
    found = re.search(r'<li class="criterion o-satisfied" id="c(\d+)">.*?name="text_hash" value="(\w+)"', page, re.S)
    assert found, "no satisfied top-level criterion to flag"
    index, digest = found.groups()
    flagged = c.post(
        f"/patients/{MINE}/trials/{nct}/flag",
        data={
            "csrf": csrf_of(page),
            "index": index,
            "text_hash": digest,
            "choice": "one:violated",
            "note": "seen in EHR",
        },
    )
    assert flagged.status_code == 200 and "Reading flagged" in flagged.text
    assert 'class="verdict v-ineligible"' in flagged.text and verdict != "ineligible"
    assert (
        "flagged by a reviewer" in flagged.text and "reading flagged by thyroid-trials@hospital.example" in flagged.text
    )
    with db.session(desk) as session:
        stored = session.get(MatchRow, (MINE, nct))
        assert stored is not None and stored.verdict == "ineligible"
    # The CLI reads it too: explain (stored patient) and the override list.
    code, out = cli_run(desk, "explain", MINE, nct, "--on", "2026-11-26", "--json")
    assert code == 0 and '"verdict": "ineligible"' in out and "seen in EHR" in out
    code, out = cli_run(desk, "overrides", "list")
    assert code == 0 and nct in out and f"patient {MINE}" in out
    example = str(ROOT / "examples" / "rair-papillary-braf.json")
    code, data = cli_json(desk, "match", example, "--on", "2026-11-26", "--json", "--any-status", "--all")
    assert code == 0 and {t["nct_id"]: t["verdict"] for t in data["trials"]}[nct] == "ineligible"
    code, data = cli_json(desk, "match", example, "--on", "2026-11-26", "--json", "--any-status")
    assert code == 0 and nct not in {t["nct_id"] for t in data["trials"]}
    # The queue no longer lists it (ineligible), the nightly keeps it so.
    assert (MINE, nct) not in {(p, n) for p, n, _ in rows_of(c.get("/").text)}

    # The registry text changes: the next read drops the override and says so.
    with db.session(desk) as session:
        trial = session.get(TrialRow, nct)
        parse = session.get(TrialCriteriaRow, nct)
        assert trial is not None and parse is not None
        criteria = [list(c) for c in parse.criteria]
        criteria[int(index)][2] = criteria[int(index)][2] + " (amended)"
        parse.criteria = criteria
        session.add(parse)
        session.commit()
    code, out = cli_run(desk, "overrides", "list", "--all")
    assert code == 0 and "dropped now: the registry text of this criterion changed" in out and "DROPPED" in out
    with db.session(desk) as session:
        row = session.exec(select(CriterionOverrideRow)).one()
        assert row.dropped_at is not None


def test_a_reading_flagged_unknown_for_every_patient_reaches_each_patients_match(desk: Engine) -> None:
    c = client(desk, Clock())
    sign_in(c, ADMIN)
    with db.session(desk) as session:
        pairs = list(session.exec(select(MatchRow).where(MatchRow.verdict == "ineligible")))
    by_trial: dict[str, list[MatchRow]] = {}
    for m in pairs:
        by_trial.setdefault(m.nct_id, []).append(m)
    nct, matches = max(by_trial.items(), key=lambda kv: len(kv[1]))
    pid = matches[0].patient_id
    page = c.get(f"/patients/{pid}/trials/{nct}").text
    violated = re.findall(r'<li class="criterion o-violated" id="c(\d+)">.*?name="text_hash" value="(\w+)"', page, re.S)
    assert violated
    for index, digest in violated:  # every violated criterion of this patient read as unknown for everyone
        page = c.post(
            f"/patients/{pid}/trials/{nct}/flag",
            data={"csrf": csrf_of(page), "index": index, "text_hash": digest, "choice": "all:unknown", "note": ""},
        ).text
    assert 'class="verdict v-possible"' in page or 'class="verdict v-eligible"' in page
    with db.session(desk) as session:
        assert session.get(MatchRow, (pid, nct)).verdict in ("possible", "eligible")  # type: ignore[union-attr]


# --- security ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", f"/patients/{MINE}", f"/patients/{MINE}/trials/NCT03690388", "/runs",
                                  "/trials/NCT03690388"])  # fmt: skip
def test_no_session_redirects_to_login(sqlite_desk: Engine, path: str) -> None:
    response = client(sqlite_desk).get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")


def test_another_coordinators_patient_answers_exactly_like_a_missing_one(sqlite_desk: Engine) -> None:
    c = client(sqlite_desk)
    sign_in(c, COORDINATOR)
    theirs, missing = c.get(f"/patients/{THEIRS}"), c.get("/patients/no-such-patient")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.text == missing.text and THEIRS not in theirs.text
    pair, missing_pair = c.get(f"/patients/{THEIRS}/trials/NCT03690388"), c.get("/patients/nobody/trials/NCT03690388")
    assert pair.status_code == missing_pair.status_code == 404 and pair.text == missing_pair.text
    page = c.get("/").text
    post = c.post(f"/patients/{THEIRS}/trials/NCT03690388/review", data={"csrf": csrf_of(page), "status": "dismissed"})
    assert post.status_code == 404
    # An admin sees them.
    admin = client(sqlite_desk)
    sign_in(admin, ADMIN)
    assert admin.get(f"/patients/{THEIRS}").status_code == 200


def test_posts_without_the_csrf_token_are_refused(sqlite_desk: Engine) -> None:
    c = client(sqlite_desk)
    sign_in(c, OTHER)
    target = f"/patients/{THEIRS}/trials/NCT03690388"
    for path, data in ((f"{target}/review", {"status": "dismissed"}),
                       (f"{target}/flag", {"index": "0", "choice": "all:unknown"}),
                       ("/logout", {})):  # fmt: skip
        for token in (None, "forged"):
            sent = dict(data, csrf=token) if token else data
            response = c.post(path, data=sent)
            assert response.status_code == 403, path
    assert c.get("/").status_code == 200, "still signed in: the logout without a token was refused"
    with db.session(sqlite_desk) as session:
        assert session.get(CriterionOverrideRow, 1) is None
    # The login form too.
    fresh = client(sqlite_desk)
    fresh.get("/login")
    refused = fresh.post("/login", data={"email": OTHER, "password": PASSWORD, "csrf": "forged"})
    assert refused.status_code == 403


def test_script_in_registry_text_and_notes_is_escaped_everywhere(database_url: str, tmp_path: Path) -> None:
    engine = db.open_database(database_url)
    try:
        build_desk(engine, tmp_path)
        evil = "<script>alert('x')</script>"
        c = client(engine)
        sign_in(c)
        nct = rows_of(c.get("/").text)[0][1]
        with db.session(engine) as session:
            trial = session.get(TrialRow, nct)
            parse = session.get(TrialCriteriaRow, nct)
            assert trial is not None and parse is not None
            trial.brief_title = f"Trial {evil}"
            criteria = [list(x) for x in parse.criteria]
            criteria[0][2] = f"{criteria[0][2]} {evil}"
            parse.criteria = criteria
            session.add_all([trial, parse])
            session.commit()
        page = c.get(f"/patients/{MINE}/trials/{nct}").text
        c.post(
            f"/patients/{MINE}/trials/{nct}/review", data={"csrf": csrf_of(page), "status": "reviewing", "note": evil}
        )
        index, digest = re.search(r'name="index" value="(\d+)">\s*<input type="hidden" name="text_hash" value="(\w+)"',
                                  page).groups()  # type: ignore[union-attr]  # fmt: skip
        c.post(
            f"/patients/{MINE}/trials/{nct}/flag",
            data={"csrf": csrf_of(page), "index": index, "text_hash": digest, "choice": "one:unknown", "note": evil},
        )
        for path in ("/", "/?review=any", f"/patients/{MINE}", f"/patients/{MINE}/trials/{nct}", f"/trials/{nct}"):
            html = c.get(path).text
            assert "<script" not in html, path
        match_page = c.get(f"/patients/{MINE}/trials/{nct}").text
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in match_page
        assert match_page.count("&lt;script&gt;") >= 3  # title, criterion text, the notes
    finally:
        engine.dispose()


def test_sign_in_is_throttled_per_account_and_per_address(sqlite_url: str, tmp_path: Path) -> None:
    sqlite_desk = db.open_database(sqlite_url)  # its own desk: the failed attempts stay in its database
    build_desk(sqlite_desk, tmp_path)
    c = client(sqlite_desk)
    for _ in range(5):
        assert sign_in(c, COORDINATOR, "wrong password!").status_code == 401
    blocked = sign_in(c, COORDINATOR, PASSWORD)
    assert blocked.status_code == 429 and "Too many failed sign-ins" in blocked.text
    # Another account from the same address still signs in ...
    assert sign_in(client(sqlite_desk), ADMIN).status_code == 303
    # ... until the address has failed 20 times (any accounts).
    for i in range(15):
        sign_in(c, f"nobody{i}@hospital.example", "wrong password!")
    assert sign_in(client(sqlite_desk), ADMIN).status_code == 429
    # Fifteen minutes later, both are free again.
    later = Clock()
    later.advance(minutes=16)
    assert sign_in(client(sqlite_desk, later), COORDINATOR).status_code == 303
    sqlite_desk.dispose()


def test_the_session_id_changes_at_login_and_ends_at_logout_and_when_idle(sqlite_desk: Engine) -> None:
    clock = Clock()
    c = client(sqlite_desk, clock)
    sign_in(c, OTHER)
    first = c.cookies.get("matcher_session")
    response = sign_in(c, OTHER)
    second = c.cookies.get("matcher_session")
    assert response.status_code == 303 and first and second and first != second
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    old = client(sqlite_desk, clock)
    old.cookies.set("matcher_session", first)
    assert old.get("/", follow_redirects=False).status_code == 303, "the session before the login still works"
    assert c.get("/").status_code == 200
    clock.advance(minutes=31)
    assert c.get("/", follow_redirects=False).status_code == 303, "the idle session still works"
    sign_in(c, OTHER)
    page = c.get("/").text
    out = c.post("/logout", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert out.status_code == 303
    stolen = client(sqlite_desk, clock)
    stolen.cookies.set("matcher_session", c.cookies.get("matcher_session") or second)
    assert stolen.get("/", follow_redirects=False).status_code == 303
    secure = client(sqlite_desk, clock, web_secure_cookies=True)
    assert "secure" in sign_in(secure, OTHER).headers["set-cookie"].lower()


def test_a_disabled_user_is_out_at_once(database_url: str, tmp_path: Path) -> None:
    engine = db.open_database(database_url)
    try:
        build_desk(engine, tmp_path)
        c = client(engine)
        sign_in(c, COORDINATOR)
        assert c.get(f"/patients/{MINE}").status_code == 200
        code, out = cli_run(engine, "users", "disable", COORDINATOR)
        assert code == 0 and "1 open session(s) ended" in out
        assert c.get(f"/patients/{MINE}", follow_redirects=False).status_code == 303
        assert sign_in(c, COORDINATOR).status_code == 401
        code, out = cli_run(engine, "users", "list")
        assert code == 0 and re.search(rf"{re.escape(COORDINATOR)}\s+coordinator\s+disabled", out)
    finally:
        engine.dispose()


def test_login_redirects_only_to_this_site(sqlite_desk: Engine) -> None:
    c = client(sqlite_desk)
    form = c.get("/login?next=//evil.example/x").text
    response = c.post("/login", data={"email": ADMIN, "password": PASSWORD, "csrf": csrf_of(form),
                                      "next": "//evil.example/x"}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/"
    page = c.get("/")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_users_cli_reads_the_password_from_stdin_and_refuses_a_short_one(tmp_path: Path) -> None:
    engine = db.open_database(f"sqlite:///{tmp_path / 'm.sqlite'}")
    try:
        code, out = cli_run(engine, "users", "add", "Nurse@Hospital.example", "--role", "coordinator",
                            "--password-stdin", stdin="long enough secret\n")  # fmt: skip
        assert code == 0 and "nurse@hospital.example: coordinator" in out and "long enough" not in out
        code, out = cli_run(engine, "users", "add", "x@hospital.example", "--role", "admin", "--password-stdin",
                            stdin="short\n")  # fmt: skip
        assert code == 2 and "too short" in out
        code, out = cli_run(engine, "users", "add", "y@hospital.example", "--role", "boss", "--password-stdin",
                            stdin="long enough secret\n")  # fmt: skip
        assert code == 2
        code, out = cli_run(engine, "users", "disable", "ghost@hospital.example")
        assert code == 2 and "no user" in out
    finally:
        engine.dispose()
