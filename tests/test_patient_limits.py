"""Findings 1, 7 and 10 of issue 11, patient side: files that were accepted (exit 0), or crashed the command
(OverflowError, RecursionError), are refused with exit status 2 and the path of the problem, through every command
that reads a profile file, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher.cli import cli
from tests.conftest import ROOT, STUDIES

EXAMPLE = json.loads((ROOT / "examples" / "rair-papillary-braf.json").read_text())
# Past any time zone's today (the check allows today's date anywhere on Earth, up to UTC+14).
FUTURE = (dt.date.today() + dt.timedelta(days=3)).isoformat()


def with_changes(**changes: object) -> str:
    document = json.loads(json.dumps(EXAMPLE))
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = document
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value
    return json.dumps(document)


# (file text, the path named, words of the message)
CASES = {
    "therapy end 9999-12-31": (with_changes(therapies__4__end="9999-12-31"), "therapies[4].end",
                               "for an ongoing treatment leave `end` out"),
    "progression 9999-12-31": (with_changes(disease__progression_date="9999-12-31"), "disease.progression_date",
                               "'9999-12-31' (a placeholder, not a real date)"),
    "birth date in the future": (with_changes(birth_date=FUTURE), "birth_date", "a date on or before today"),
    "diagnosis in the future": (with_changes(diagnosis__diagnosed_on=FUTURE), "diagnosis.diagnosed_on",
                                "a date in the future"),
    "therapy start in the future": (with_changes(therapies__4__start=FUTURE, therapies__4__end=FUTURE),
                                    "therapies[4].start", "a date in the future"),
    "lab in the future": (with_changes(labs__0__date=FUTURE), "labs[0].date", "a date in the future"),
    "RAI in the future": (with_changes(radioiodine__last_treatment_on=FUTURE), "radioiodine.last_treatment_on",
                          "a date in the future"),
    "duplicate key": ('{"id": "pt-1", "ecog": 1, "sex": "male", "ecog": 3}', "ecog",
                      "the key 'ecog' more than once"),
    "duplicate nested key": ('{"id": "pt-1", "labs": [{"test": "AST", "value": 1, "unit": "U/L", "value": 2}]}',
                             "labs[0].value", "more than once"),
    "ecog 10^400": ('{"id": "pt-1", "ecog": 1' + "0" * 400 + "}", "ecog", "a number too large to be real"),
    "lab value 10^400": ('{"id": "pt-1", "labs": [{"test": "AST", "unit": "U/L", "value": 1' + "0" * 400 + "}]}",
                         "labs[0].value", "a number too large to be real"),
    "number of 5,000 digits": ('{"id": "pt-1", "ecog": 1' + "0" * 5000 + "}", "(file)", "a number too long"),
    "lone surrogate": ('{"id": "pt-1", "location": {"city": "\\ud800"}}', "location.city", "a lone surrogate"),
    "lone surrogate in a key": ('{"id": "pt-1", "\\udc00": 1}', "\\udc00", "a lone surrogate"),
    "nested 1,000 levels": ('{"id": "pt-1", "x": ' + "[" * 1000 + "]" * 1000 + "}", "line 1, column",
                            "JSON nested at most 32 levels deep"),
}  # fmt: skip


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    (tmp_path / "empty.toml").write_text("")
    return {"MATCHER_DATABASE_URL": database_url, "MATCHER_CONFIG": str(tmp_path / "empty.toml")}


@pytest.mark.parametrize("case", CASES)
def test_bad_file_exits_2_naming_the_path_in_match_explain_and_patients_add(
    case: str, env: dict[str, str], tmp_path: Path
) -> None:
    text, path, words = CASES[case]
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    runner = CliRunner()
    for args in (["match", str(bad), "--json"], ["explain", str(bad), "NCT03690388"], ["patients", "add", str(bad)]):
        result = runner.invoke(cli, args, env=env, catch_exceptions=False)
        assert result.exit_code == 2, (args, result.stderr)
        assert f"  - {path}" in result.stderr and words in result.stderr, (args, result.stderr)
        assert result.stdout == "" and "Traceback" not in result.stderr
    listed = runner.invoke(cli, ["patients", "list", "--json"], env=env, catch_exceptions=False)
    assert json.loads(listed.stdout) == []


def test_a_54_mb_file_is_refused_without_reading_it(env: dict[str, str], tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:
        file.truncate(54 * 1024 * 1024)
    result = CliRunner().invoke(cli, ["patients", "add", str(huge)], env=env, catch_exceptions=False)
    assert result.exit_code == 2
    assert "(file): expected a file of at most 1 MiB (MAX_FILE_BYTES), found a file of 54.0 MiB" in result.stderr
    just_over = tmp_path / "over.json"
    just_over.write_text('{"id": "pt-1", "x": "' + "a" * 1024 * 1024 + '"}')
    assert CliRunner().invoke(cli, ["match", str(just_over)], env=env).exit_code == 2


def test_today_and_an_absent_end_are_fine(env: dict[str, str], tmp_path: Path) -> None:
    ongoing = json.loads(json.dumps(EXAMPLE))
    ongoing["therapies"][4].pop("end")
    ongoing["therapies"][4].pop("reason_stopped")
    ongoing["labs"][0]["date"] = dt.date.today().isoformat()
    good = tmp_path / "good.json"
    good.write_text(json.dumps(ongoing))
    result = CliRunner().invoke(cli, ["patients", "add", str(good)], env=env, catch_exceptions=False)
    assert result.exit_code == 0 and "ex-rair-ptc-braf: added" in result.stdout


def test_a_placeholder_stored_by_an_earlier_version_does_not_stop_the_nightly(
    env: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    """Finding 1: such a profile made every match and nightly crash with OverflowError, for every patient."""
    from datetime import UTC, datetime

    from matcher import db, store

    bad = json.loads(with_changes(therapies__4__end="9999-12-31", disease__progression_date="9999-12-31"))
    bad.update(id="pt-placeholder", coordinator="other-team@hospital.example")
    engine = db.open_database(database_url)
    with db.session(engine) as session:  # as `patients add` stored it before dates were checked
        store.save_patient(session, bad["id"], bad, bad["coordinator"], datetime.now(UTC))
        session.commit()
    engine.dispose()
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["patients", "add", str(ROOT / "examples" / "rair-papillary-braf.json")], env=env).exit_code
        == 0
    )
    digests = tmp_path / "digests"
    result = runner.invoke(cli, ["nightly", "--source", str(STUDIES),
                                 "--dry-run", str(digests)], env=env)  # fmt: skip
    assert not isinstance(result.exception, OverflowError | ValueError), result.exception
    assert "pt-placeholder" in result.stderr  # named, and set aside
    mails = [path.read_text() for path in digests.glob("*.eml")]
    assert any("thyroid-trials@hospital.example" in mail for mail in mails)  # the other patient's digest is built
    # Its own coordinator hears that it was set aside, and nothing of the profile.
    own = [mail for mail in mails if "other-team@hospital.example" in mail]
    assert own and all("Admin: patient pt-placeholder" in mail and "9999-12-31" not in mail for mail in own)
    explained = runner.invoke(cli, ["explain", "pt-placeholder", "NCT03690388"], env=env)
    assert explained.exit_code == 2 and "therapies[4].end" in explained.stderr
