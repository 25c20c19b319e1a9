"""The command line as a user meets it: exit statuses, stdout vs stderr, JSON shapes, real databases."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from matcher import db, ingest, store
from matcher.cli import cli
from matcher.sources import DirectorySource
from tests.conftest import ROOT, STUDIES, fixed_clock

EXAMPLE = str(ROOT / "examples" / "rair-papillary-braf.json")


def test_fetch_twice_then_list_show_and_match(run) -> None:  # type: ignore[no-untyped-def]
    first = run("fetch", "--source", str(STUDIES))
    assert first.exit_code == 0
    assert "48 new, 0 changed, 0 unchanged, 0 failed" in first.stdout
    assert "parsed the criteria of 48" in first.stderr
    second = run("fetch", "--source", str(STUDIES), "--json")
    summary = json.loads(second.stdout)
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 0, 48)

    listed = run("trials", "--status", "RECRUITING", "--json")
    statuses = {t["overall_status"] for t in json.loads(listed.stdout)}
    assert statuses == {"RECRUITING"}
    shown = run("trial", "NCT03690388")
    assert "Measurable disease according to RECIST 1.1" in shown.stdout and "16 Years" in shown.stdout

    matched = run("match", EXAMPLE, "--on", "2026-11-26", "--json", "--all")
    assert matched.exit_code == 0
    output = json.loads(matched.stdout)
    assert output["patient_id"] == "ex-rair-ptc-braf" and output["matched_on"] == "2026-11-26"
    verdicts = [t["verdict"] for t in output["trials"]]
    order = {"eligible": 0, "possible": 1, "ineligible": 2}
    assert verdicts == sorted(verdicts, key=order.__getitem__)
    assert {t["overall_status"] for t in output["trials"]} <= {"RECRUITING", "NOT_YET_RECRUITING"}
    for trial in output["trials"]:
        assert trial["criteria"], trial["nct_id"]
        assert all(c["outcome"] in ("satisfied", "violated", "unknown", "not_applicable") for c in trial["criteria"])

    explained = run("explain", EXAMPLE, "NCT03690388", "--on", "2026-11-26")
    assert explained.exit_code == 0 and "ECOG 1" in explained.stdout


def test_fetch_json_parses_like_fetch_and_reports_it(run, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """Before, `fetch --json` returned before the parse step: the trials it stored had no criteria to match."""
    fetched = run("fetch", "--source", str(STUDIES), "--json", "--workers", "1")
    assert fetched.exit_code == 0
    summary = json.loads(fetched.stdout)
    assert (summary["new"], summary["parsed"], summary["set_aside"]) == (48, 48, 0)
    engine = db.open_database(database_url)
    with db.session(engine) as session:
        assert len(store.stored_criteria(session)) == 48
    engine.dispose()
    again = json.loads(run("fetch", "--source", str(STUDIES), "--json").stdout)
    assert (again["unchanged"], again["parsed"]) == (48, 0)


def test_parse_all_parses_what_a_fetch_stored(run, database_url: str) -> None:  # type: ignore[no-untyped-def]
    engine = db.open_database(database_url)
    ingest.fetch(engine, DirectorySource(STUDIES), fixed_clock())  # stores, does not parse
    engine.dispose()
    parsed = run("parse", "--all", "--workers", "2", "--json")
    assert parsed.exit_code == 0, parsed.output
    assert json.loads(parsed.stdout) == {"parsed": 48, "set_aside": 0}
    assert json.loads(run("parse", "--all", "--json").stdout) == {"parsed": 0, "set_aside": 0}
    assert run("parse", "--all", "NCT03690388").exit_code == 2


def test_bad_patient_file_exits_2_and_names_the_field(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "pt-1", "ecog": 9, "sex": "unknown"}))
    result = run("match", str(bad))
    assert result.exit_code == 2
    assert "ecog" in result.stderr and "sex" in result.stderr
    assert result.stdout == ""


def test_unknown_trial_and_bad_source_exit_2(run) -> None:  # type: ignore[no-untyped-def]
    assert run("trial", "NCT99999999").exit_code == 2
    assert run("fetch", "--source", "/no/such/dir").exit_code == 2
    assert run("fetch", "--full", "--since", "2026-01-01").exit_code == 2


def test_patients_add_update_list_show_remove(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert "ex-rair-ptc-braf: added" in run("patients", "add", EXAMPLE).stdout
    assert "ex-rair-ptc-braf: unchanged" in run("patients", "add", EXAMPLE).stdout
    changed = json.loads(Path(EXAMPLE).read_text())
    changed["ecog"] = 2
    (tmp_path / "v2.json").write_text(json.dumps(changed))
    assert "ex-rair-ptc-braf: updated" in run("patients", "add", str(tmp_path / "v2.json")).stdout
    listed = json.loads(run("patients", "list", "--json").stdout)
    assert [(p["id"], p["version"]) for p in listed] == [("ex-rair-ptc-braf", 2)]
    shown = run("patients", "show", "ex-rair-ptc-braf", "--versions")
    assert json.loads(shown.stdout)["ecog"] == 2 and "version 1" in shown.stderr
    assert run("patients", "remove", "ex-rair-ptc-braf").exit_code == 0
    assert run("patients", "remove", "ex-rair-ptc-braf").exit_code == 2


def test_patients_add_writes_nothing_when_one_file_is_bad(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bad.json").write_text("{not json")
    assert run("patients", "add", EXAMPLE, str(tmp_path / "bad.json")).exit_code == 2
    assert json.loads(run("patients", "list", "--json").stdout) == []


def test_parse_text_file_and_schema(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = tmp_path / "criteria.txt"
    text.write_text("Inclusion Criteria:\n\n* ECOG 0-1\n\nExclusion Criteria:\n\n* QTcF \\> 480 ms\n")
    parsed = json.loads(run("parse", "--text", str(text), "--json").stdout)
    assert [(c["section"], c["facts"][0]["kind"]) for c in parsed] == [("inclusion", "performance_status"),
                                                                        ("exclusion", "qtc")]  # fmt: skip
    assert parsed[1]["facts"][0]["values"] == {"op": ">", "value": 480.0, "correction": "qtcf"}
    schema = json.loads(run("schema", "patient").stdout)
    assert schema["required"] == ["id"]


def test_bad_configuration_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text("page_size = 5000\n")
    result = CliRunner().invoke(cli, ["trials"], env={"MATCHER_CONFIG": str(tmp_path / "c.toml")})
    assert result.exit_code == 2 and "page_size" in result.stderr


def test_bad_database_url_and_wrongly_typed_setting_are_bad_input(tmp_path: Path) -> None:
    (tmp_path / "empty.toml").write_text("")
    env = {"MATCHER_CONFIG": str(tmp_path / "empty.toml")}
    result = CliRunner().invoke(cli, ["--database", "not-a-url", "trials"], env=env)
    assert result.exit_code == 2 and "not a usable database URL" in result.stderr
    (tmp_path / "list.toml").write_text("page_size = [1]\n")
    result = CliRunner().invoke(cli, ["trials"], env={"MATCHER_CONFIG": str(tmp_path / "list.toml")})
    assert result.exit_code == 2 and "page_size" in result.stderr


def test_within_needs_the_patients_coordinates(run) -> None:  # type: ignore[no-untyped-def]
    result = run("match", str(ROOT / "examples" / "sparse-minimal.json"), "--within", "100")
    assert result.exit_code == 2 and "location.lat" in result.stderr
