import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from matcher.errors import PatientFileError, Problem
from matcher.patient import (
    MAX_DEPTH,
    BrainMets,
    Histology,
    MarkerResult,
    Patient,
    Sex,
    TherapyKind,
    Uptake,
    decode_json,
    latest_today,
    load_patient,
    parse_patient,
    patient_schema,
)

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
SHARED = Path(os.environ.get("MATCHER_SHARED_DIR") or ROOT.parent / "shared")


def json_blocks(markdown: str) -> list[str]:
    return re.findall(r"```json\n(.*?)```", markdown, re.DOTALL)


def problems_of(document: object) -> list[Problem]:
    with pytest.raises(PatientFileError) as caught:
        parse_patient(document)
    return caught.value.problems


def paths_of(document: object) -> set[str]:
    return {p.path for p in problems_of(document)}


def patient(**fields: Any) -> Patient:
    return parse_patient({"id": "pt-1", **fields}).patient


# --- the schema itself


def test_schema_is_valid_draft_2020_12_with_a_description_on_every_property():
    schema = patient_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"]

    def walk(node: dict[str, Any], path: str) -> None:
        for name, sub in node.get("properties", {}).items():
            assert sub.get("description"), f"{path}{name} has no description"
            walk(sub, f"{path}{name}.")
        if "items" in node:
            walk(node["items"], path)

    walk(schema, "")


@pytest.mark.parametrize(
    ("enum", "pointer"),
    [
        (Sex, ["sex"]),
        (Histology, ["diagnosis", "histology"]),
        (Uptake, ["radioiodine", "uptake"]),
        (BrainMets, ["disease", "brain_metastases"]),
        (MarkerResult, ["biomarkers", "result"]),
        (TherapyKind, ["therapies", "kind"]),
    ],
)
def test_python_enums_match_the_schema_value_sets(enum, pointer):
    node = patient_schema()
    for key in pointer:
        node = node["properties"][key]
        node = node.get("items", node)
    assert [member.value for member in enum] == node["enum"]


def test_patient_schema_returns_a_copy():
    patient_schema()["properties"].clear()
    assert "id" in patient_schema()["properties"]


# --- valid files


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_loads_without_warnings(path):
    loaded = load_patient(path)
    assert loaded.warnings == ()
    assert loaded.patient.id == loaded.document["id"]


def test_the_examples_cover_the_situations_the_readme_names():
    names = {p.name for p in EXAMPLES}
    readme = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    assert len(names) >= 6
    assert names == set(re.findall(r"`([\w-]+\.json)`", readme))


def test_example_situations_hold():
    braf = load_patient(ROOT / "examples" / "rair-papillary-braf.json").patient
    assert any(b.gene == "BRAF" and b.result is MarkerResult.POSITIVE for b in braf.biomarkers)
    assert [t.name for t in braf.therapies or () if t.progressed] == ["Lenvima"]
    untreated = load_patient(ROOT / "examples" / "rair-follicular-untreated.json").patient
    assert untreated.therapies and {t.kind for t in untreated.therapies} == {
        TherapyKind.SURGERY,
        TherapyKind.RADIOIODINE,
    }
    assert not {"RET", "NTRK"} & {b.gene for b in untreated.biomarkers}
    sparse = load_patient(ROOT / "examples" / "sparse-minimal.json")
    assert set(sparse.document) == {"id", "age", "sex", "diagnosis"}
    assert sparse.patient.therapies is None and sparse.patient.labs == ()


def test_the_contract_example_maps_to_typed_values():
    contract = SHARED / "contracts" / "patient.md"
    if not contract.exists():
        pytest.skip(f"{contract} not found; set MATCHER_SHARED_DIR")
    [block] = json_blocks(contract.read_text(encoding="utf-8"))
    loaded = parse_patient(json.loads(block), source="contract")
    p = loaded.patient

    assert loaded.warnings == ()
    assert (p.id, p.birth_date, p.age, p.sex, p.ecog) == ("pt-0007", dt.date(1961, 5, 14), 64, Sex.FEMALE, 1)
    assert p.location is not None and (p.location.city, p.location.lat, p.location.lon) == ("Houston", 29.76, -95.37)
    assert p.location.radius_km is None
    assert p.diagnosis is not None
    assert p.diagnosis.histology is Histology.PAPILLARY
    assert p.diagnosis.diagnosed_on == dt.date(2016, 3, 1)
    assert p.diagnosis.metastatic_sites == ("lung", "bone")
    assert p.diagnosis.locally_advanced_unresectable is False
    assert p.radioiodine is not None
    assert (p.radioiodine.refractory, p.radioiodine.cumulative_activity_mci, p.radioiodine.uptake) == (
        True,
        350.0,
        Uptake.ABSENT,
    )
    assert p.disease is not None and p.disease.brain_metastases is BrainMets.NONE
    assert p.disease.progression_date == dt.date(2026, 8, 1)
    assert [(b.gene, b.result, b.path) for b in p.biomarkers] == [
        ("BRAF", MarkerResult.POSITIVE, "biomarkers[0]"),
        ("RET", MarkerResult.NEGATIVE, "biomarkers[1]"),
    ]
    assert p.therapies is not None
    surgery, rai, lenvatinib = p.therapies
    assert (surgery.kind, surgery.ongoing, rai.kind, rai.ongoing) == (
        TherapyKind.SURGERY,
        False,
        TherapyKind.RADIOIODINE,
        False,
    )
    assert lenvatinib.path == "therapies[2]"
    assert (lenvatinib.start, lenvatinib.end) == (dt.date(2020, 1, 10), dt.date(2021, 11, 2))
    assert lenvatinib.progressed and not lenvatinib.ongoing
    creatinine, anc = p.labs
    assert (creatinine.value, creatinine.unit, creatinine.upper_limit, creatinine.path) == (
        1.0,
        "mg/dL",
        1.2,
        "labs[0]",
    )
    assert (anc.unit, anc.upper_limit, anc.date) == ("10^9/L", None, dt.date(2026, 11, 1))
    assert p.conditions[0].name == "hypertension" and p.conditions[0].status == "controlled"
    assert (p.qtcf_ms, p.pregnant, p.breastfeeding) == (430.0, False, False)
    assert p.coordinator == "coordinator@hospital.example"
    assert p.age_on(dt.date(2026, 11, 26)) == 65


# --- every problem at once


def test_a_file_with_several_mistakes_lists_each_with_its_path():
    document = {
        "birth_date": "2020-13-01",
        "sex": "unknown",
        "ecog": 7,
        "labs": [{"test": "ALT", "value": 30, "unit": "U/L"}, {"test": "AST", "value": "high", "unit": "U/L"}],
        "therapies": [{"name": "sorafenib", "kind": "systemic", "start": "2022-05-01", "end": "2021-01-01"}],
    }
    problems = {p.path: p for p in problems_of(document)}

    assert set(problems) == {"id", "birth_date", "sex", "ecog", "labs[1].value", "therapies[0].end"}
    assert problems["id"].found == "nothing"
    assert problems["birth_date"] == Problem("birth_date", "a date as YYYY-MM-DD", "'2020-13-01' (not a valid date)")
    assert problems["sex"] == Problem("sex", "one of female, male", "'unknown'")
    assert problems["ecog"] == Problem("ecog", "an integer from 0 to 5", "a number above 5")
    assert problems["labs[1].value"] == Problem("labs[1].value", "a number", "a string")
    assert problems["therapies[0].end"].expected == "a date on or after start"


def test_the_error_message_names_source_and_every_problem():
    with pytest.raises(PatientFileError) as caught:
        parse_patient({"id": "pt-1", "sex": "x", "ecog": -1}, source="bad.json")
    message = str(caught.value)
    assert message.startswith("bad.json: invalid patient profile (2 problem(s)):")
    assert "  - ecog: expected an integer from 0 to 5, found a number below 0" in message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"id": ""}, "id"),
        ({"id": "jane doe"}, "id"),
        ({"id": "x" * 65}, "id"),
        ({"age": 121}, "age"),
        ({"age": 64.5}, "age"),
        ({"ecog": True}, "ecog"),
        ({"birth_date": "2020-02-30"}, "birth_date"),
        ({"birth_date": "20200101"}, "birth_date"),
        ({"location": {"lat": 91, "lon": 0}}, "location.lat"),
        ({"location": {"lat": 10, "lon": -181}}, "location.lon"),
        ({"location": {"lat": 10}}, "location.lon"),
        ({"location": {"radius_km": 0}}, "location.radius_km"),
        ({"radioiodine": {"cumulative_activity_mci": -1}}, "radioiodine.cumulative_activity_mci"),
        ({"qtcf_ms": 150}, "qtcf_ms"),
        ({"qtcf_ms": float("nan")}, "qtcf_ms"),
        ({"biomarkers": [{"gene": "BRAF"}]}, "biomarkers[0].result"),
        ({"therapies": [{"kind": "systemic"}]}, "therapies[0].name"),
        ({"therapies": [{"name": "x", "best_response": "partial"}]}, "therapies[0].best_response"),
        ({"labs": [{"test": "ALT", "value": 30}]}, "labs[0].unit"),
        ({"conditions": ["hypertension"]}, "conditions[0]"),
        ({"diagnosis": {"metastatic_sites": "lung"}}, "diagnosis.metastatic_sites"),
        ({"pregnant": "no"}, "pregnant"),
        ({"coordinator": "coordinator at hospital"}, "coordinator"),
        ({"coordinator": "someone@localhost"}, "coordinator"),
    ],
)
def test_each_kind_of_mistake_is_reported_at_its_path(fields, path):
    assert paths_of({"id": "pt-1", **fields}) == {path}


def test_cross_field_mistakes():
    document = {
        "id": "pt-1",
        "birth_date": "1990-01-01",
        "diagnosis": {"diagnosed_on": "1989-12-31"},
        "biomarkers": [
            {"gene": "BRAF", "alteration": "V600E", "result": "positive"},
            {"gene": "RET", "alteration": "fusion", "result": "negative"},
            {"gene": "braf", "alteration": "v600e", "result": "negative"},
        ],
        "labs": [{"test": "ALT", "value": 30, "unit": "U/L", "lower_limit": 50, "upper_limit": 40}],
    }
    problems = {p.path: p for p in problems_of(document)}
    assert set(problems) == {"birth_date", "biomarkers[2].result", "labs[0].lower_limit"}
    assert "biomarkers[0]" in problems["biomarkers[2].result"].expected


def test_the_same_biomarker_twice_with_the_same_result_is_fine():
    markers = [{"gene": "BRAF", "alteration": "V600E", "result": "positive"}] * 2
    assert len(patient(biomarkers=markers).biomarkers) == 2


def test_not_an_object_is_a_problem_at_the_top_level():
    assert problems_of(["pt-1"]) == [Problem("(top level)", "an object", "a list")]


def test_messages_do_not_echo_patient_values():
    with pytest.raises(PatientFileError) as caught:
        parse_patient(
            {
                "id": "Jane Doe 1961",
                "ecog": "Jane Doe",
                "labs": [{"test": "ALT", "value": "Jane Doe", "unit": "U/L"}],
                "conditions": [{"name": "x", "status": {"note": "Jane Doe"}}],
            }
        )
    assert "Jane" not in str(caught.value)
    assert len(caught.value.problems) == 4


# --- input conveniences


def test_enum_values_are_case_insensitive_and_canonical_afterwards():
    loaded = parse_patient(
        {
            "id": "pt-1",
            "sex": "Female",
            "diagnosis": {"histology": "PAPILLARY"},
            "therapies": [
                {"name": "sorafenib", "kind": "Systemic", "best_response": "pd", "reason_stopped": "Toxicity"}
            ],
            "biomarkers": [{"gene": "RET", "result": "Positive"}],
        }
    )
    p = loaded.patient
    assert p.sex is Sex.FEMALE
    assert p.diagnosis is not None and p.diagnosis.histology is Histology.PAPILLARY
    assert p.therapies is not None
    assert (p.therapies[0].kind, p.therapies[0].best_response, p.therapies[0].reason_stopped) == (
        TherapyKind.SYSTEMIC,
        "PD",
        "toxicity",
    )
    assert p.therapies[0].progressed
    assert loaded.document["sex"] == "female" and loaded.document["diagnosis"]["histology"] == "papillary"


def test_enum_values_are_not_trimmed():
    assert problems_of({"id": "pt-1", "sex": "Female "}) == [Problem("sex", "one of female, male", "'Female '")]


def test_unknown_fields_are_warnings_with_their_paths():
    loaded = parse_patient(
        {
            "id": "pt-1",
            "mrn": "123",
            "diagnosis": {"histology": "papillary", "foo": 1},
            "labs": [{"test": "ALT", "value": 30, "unit": "U/L", "flag": "H", "extra": {"nested": 1}}],
        }
    )
    assert loaded.warnings == (
        "unknown field 'mrn' at mrn",
        "unknown field 'foo' at diagnosis.foo",
        "unknown field 'flag' at labs[0].flag",
        "unknown field 'extra' at labs[0].extra",
    )
    assert loaded.document["mrn"] == "123"


# --- files


def test_invalid_json_reports_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "id": "pt-1",\n  "age": 64,,\n}\n', encoding="utf-8")
    with pytest.raises(PatientFileError) as caught:
        load_patient(path)
    [problem] = caught.value.problems
    assert problem == Problem("line 3, column 13", "valid JSON", "Expecting property name enclosed in double quotes")
    assert caught.value.source == str(path)


def test_missing_file_and_non_utf8_file(tmp_path):
    with pytest.raises(PatientFileError, match="no such file"):
        load_patient(tmp_path / "nope.json")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"id": "pt-1", "diagnosis": {"cancer": "carcinome différencié"}}'.encode("latin-1"))
    with pytest.raises(PatientFileError, match="not UTF-8"):
        load_patient(latin1)


def test_a_utf8_bom_and_non_ascii_units_are_fine(tmp_path):
    path = tmp_path / "bom.json"
    path.write_text(
        '{"id": "pt-1", "labs": [{"test": "creatinine", "value": 80, "unit": "µmol/L"}]}', encoding="utf-8-sig"
    )
    assert load_patient(path).patient.labs[0].unit == "µmol/L"


def test_dates_may_be_today_but_not_later():
    today = dt.date(2026, 11, 26)
    fine = {"id": "pt-1", "birth_date": "1960-01-01", "labs": [{"test": "AST", "value": 1, "unit": "U/L",
                                                              "date": "2026-11-26"}]}  # fmt: skip
    assert parse_patient(fine, today=today).patient.labs[0].date == today
    with pytest.raises(PatientFileError) as caught:
        parse_patient({**fine, "disease": {"progression_date": "2026-11-27"}}, today=today)
    assert caught.value.problems == [
        Problem("disease.progression_date", "a date on or before today", "a date in the future")
    ]


def test_today_is_the_latest_date_on_earth():
    now = dt.datetime.now(dt.UTC)
    assert latest_today() in {(now + dt.timedelta(hours=14)).date(), (now + dt.timedelta(hours=14, minutes=1)).date()}
    assert latest_today() >= dt.date.today()


def test_far_future_placeholders_say_what_to_write_instead():
    today = dt.date(2026, 11, 26)
    document = {"id": "pt-1", "therapies": [{"name": "lenvatinib", "start": "2020-01-01", "end": "9999-12-31"}],
                "diagnosis": {"diagnosed_on": "2999-01-01"}}  # fmt: skip
    with pytest.raises(PatientFileError) as caught:
        parse_patient(document, today=today)
    assert caught.value.problems == [
        Problem("diagnosis.diagnosed_on", "a date on or before today; leave the field out when it is not known",
                "'2999-01-01' (a placeholder, not a real date)"),
        Problem("therapies[0].end",
                "a date on or before today; for an ongoing treatment leave `end` out (no end means ongoing)",
                "'9999-12-31' (a placeholder, not a real date)"),
    ]  # fmt: skip


def test_absurd_numbers_are_problems_at_their_path_not_overflow_errors():
    huge = 10**400
    document = {"id": "pt-1", "ecog": huge, "location": {"lat": huge, "lon": -huge},
                "labs": [{"test": "AST", "unit": "U/L", "value": 1e16}], "radioiodine": {"uptake": huge}}  # fmt: skip
    found = {p.path: p.found for p in problems_of(document)}
    too_large = "a number too large to be real (beyond 10^15)"
    assert found == {"ecog": too_large, "location.lat": too_large, "location.lon": too_large,
                     "labs[0].value": too_large, "radioiodine.uptake": too_large}  # fmt: skip
    assert parse_patient({"id": "pt-1", "labs": [{"test": "platelets", "unit": "/L", "value": 2.1e11}]})


def test_nesting_past_the_limit_is_a_problem_even_for_a_decoded_document():
    deep: object = 1
    for _ in range(MAX_DEPTH + 5):
        deep = [deep]
    [problem] = problems_of({"id": "pt-1", "extra": {"x": deep}})
    assert problem.path.startswith("extra.x[0][0]") and problem.found == "deeper nesting"


def test_decode_json_reports_duplicates_depth_and_unreadable_numbers():
    assert decode_json('{"a": {"b": 1, "b": 2}}')["a"].duplicates == ("b",)
    with pytest.raises(PatientFileError, match="nested at most 32 levels"):
        decode_json('{"x": ' + "[" * 33 + "]" * 33 + "}")
    assert decode_json('{"x": "' + "[" * 100 + '"}') == {"x": "[" * 100}  # brackets inside strings do not count
    with pytest.raises(PatientFileError, match="a number too long to read"):
        decode_json("[" + "9" * 5000 + "]")


def test_a_lone_surrogate_is_a_problem_wherever_it_is():
    found = paths_of({"id": "pt-1", "conditions": [{"name": "x\udfffy"}], "\ud800": True})
    assert found == {"conditions[0].name", "\\ud800"}


# --- typed values


def test_age_on_counts_whole_years_across_the_birthday():
    p = patient(birth_date="1961-05-14", age=30)
    assert p.age_on(dt.date(2026, 5, 13)) == 64
    assert p.age_on(dt.date(2026, 5, 14)) == 65
    assert p.age_on(dt.date(1961, 5, 14)) == 0
    assert p.age_on(dt.date(1961, 5, 13)) is None


def test_age_on_for_a_29_february_birthday():
    p = patient(birth_date="2000-02-29")
    assert p.age_on(dt.date(2018, 2, 28)) == 17
    assert p.age_on(dt.date(2018, 3, 1)) == 18
    assert p.age_on(dt.date(2020, 2, 28)) == 19
    assert p.age_on(dt.date(2020, 2, 29)) == 20


def test_age_on_falls_back_to_age_then_unknown():
    assert patient(age=70).age_on(dt.date(2030, 1, 1)) == 70
    assert patient().age_on(dt.date(2030, 1, 1)) is None


def test_therapies_absent_means_unknown_and_empty_means_none_given():
    assert patient().therapies is None
    assert patient(therapies=[]).therapies == ()


def test_absent_sections_and_lists():
    p = patient()
    assert (p.location, p.diagnosis, p.radioiodine, p.disease) == (None, None, None, None)
    assert (p.biomarkers, p.labs, p.conditions) == ((), (), ())
    assert patient(diagnosis={}).diagnosis is not None
    assert patient(diagnosis={}).diagnosis.metastatic_sites is None  # type: ignore[union-attr]
    assert patient(diagnosis={"metastatic_sites": []}).diagnosis.metastatic_sites == ()  # type: ignore[union-attr]


def test_biomarker_and_list_paths_point_into_the_file():
    p = patient(
        biomarkers=[
            {"gene": "BRAF", "result": "negative"},
            {"gene": "NTRK1", "alteration": "fusion", "result": "equivocal"},
        ],
        conditions=[{"name": "a"}, {"name": "b"}],
        labs=[{"test": "INR", "value": 1, "unit": ""}],
    )
    assert [b.path for b in p.biomarkers] == ["biomarkers[0]", "biomarkers[1]"]
    assert p.biomarkers[1].alteration == "fusion" and p.biomarkers[0].alteration is None
    assert [c.path for c in p.conditions] == ["conditions[0]", "conditions[1]"]
    assert p.labs[0].value == 1.0 and isinstance(p.labs[0].value, float)


def test_ongoing_and_progressed():
    therapies = [
        {"name": "lenvatinib", "kind": "systemic", "start": "2024-01-01"},
        {"name": "sorafenib", "kind": "systemic", "start": "2022-01-01", "reason_stopped": "toxicity"},
        {"name": "cabozantinib", "kind": "systemic", "start": "2021-01-01", "end": "2021-06-01", "best_response": "PD"},
        {"name": "thyroidectomy", "kind": "surgery", "start": "2020-01-01"},
        {"name": "external beam radiotherapy", "kind": "radiotherapy", "start": "2026-11-01"},
        {"name": "vandetanib", "kind": "systemic", "start": "2019-01-01", "end": "2020-01-01"},
    ]
    result = patient(therapies=therapies).therapies
    assert result is not None
    assert [t.ongoing for t in result] == [True, False, False, False, True, False]
    # ongoing, or stopped for another reason: no; PD: yes; ended (or a one-off) with no reason or response: not known
    assert [t.progressed for t in result] == [False, False, True, None, False, None]


# --- the docs


def test_docs_list_every_schema_field():
    docs = (ROOT / "docs" / "patient.md").read_text(encoding="utf-8")

    def paths(node: dict[str, Any], prefix: str) -> list[str]:
        found = []
        for name, sub in node.get("properties", {}).items():
            found.append(prefix + name)
            found += paths(sub.get("items", sub), f"{prefix}{name}{'[].' if 'items' in sub else '.'}")
        return found

    missing = [p for p in paths(patient_schema(), "") if f"`{p}`" not in docs]
    assert missing == []


def test_docs_error_example_is_the_real_output():
    docs = (ROOT / "docs" / "patient.md").read_text(encoding="utf-8")
    section = docs.split("<!-- error-example -->")[1]
    document = json.loads(json_blocks(section)[0])
    shown = re.search(r"```text\n(.*?)```", section, re.DOTALL)
    assert shown is not None
    with pytest.raises(PatientFileError) as caught:
        parse_patient(document, source="bad-patient.json")
    assert shown.group(1).strip() == str(caught.value)
