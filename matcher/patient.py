"""The patient profile: validated against ``schemas/patient.schema.json``, then turned into typed objects.

Every problem in a file is reported at once (``PatientFileError`` with one ``Problem`` per path). Messages
locate a problem without echoing patient data: only a wrong enum or date/email value is quoted.
See docs/patient.md for the fields and what their absence means.

A file is bounded before it is decoded (``MAX_FILE_BYTES``, ``MAX_DEPTH``), so no file can make the reader run for
minutes or recurse until Python gives up; numbers beyond ``MAX_MAGNITUDE``, lone surrogates, duplicate keys and
dates after today are problems at their paths.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, fields, is_dataclass, replace
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeGuard, get_args, get_origin, get_type_hints

from jsonschema import Draft202012Validator, FormatChecker, ValidationError

from matcher.errors import PatientFileError, Problem

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")

# A profile is a few kilobytes; the largest example is under 3 KiB. A bigger file is a mistake (a wrong file, an
# export of a whole database), and is refused before it is read rather than parsed for minutes.
MAX_FILE_BYTES = 1024 * 1024
# The schema nests four levels (labs[0].value); unknown fields may nest deeper, up to this. Checked on the text
# before decoding, because Python's JSON decoder recurses and fails with RecursionError near 1,000 levels.
MAX_DEPTH = 32
# No measurement in a profile comes near 10^15 (platelets per litre are 10^11); a larger number is a mistake, and
# could not even be converted to a float beyond 10^308.
MAX_MAGNITUDE = 1e15
# A date from this year on is a placeholder for "no end" or "not known" (9999-12-31 is common), not a real date.
_PLACEHOLDER_YEAR = 2100
_SURROGATE = re.compile("[\ud800-\udfff]")
_LONE_SURROGATE = "a lone surrogate (an unpaired \\ud800-\\udfff escape)"
_NESTING_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class Histology(StrEnum):
    PAPILLARY = "papillary"
    FOLLICULAR = "follicular"
    ONCOCYTIC = "oncocytic"
    POORLY_DIFFERENTIATED = "poorly_differentiated"
    ANAPLASTIC = "anaplastic"
    MEDULLARY = "medullary"
    OTHER = "other"


class Uptake(StrEnum):
    ABSENT = "absent"
    PARTIAL = "partial"
    PRESENT = "present"


class BrainMets(StrEnum):
    NONE = "none"
    TREATED_STABLE = "treated_stable"
    ACTIVE = "active"


class MarkerResult(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    EQUIVOCAL = "equivocal"


class TherapyKind(StrEnum):
    SYSTEMIC = "systemic"
    SURGERY = "surgery"
    RADIOIODINE = "radioiodine"
    RADIOTHERAPY = "radiotherapy"
    OTHER = "other"


@dataclass(frozen=True)
class Location:
    country: str | None
    state: str | None
    city: str | None
    lat: float | None
    lon: float | None
    radius_km: float | None


@dataclass(frozen=True)
class Diagnosis:
    cancer: str | None
    histology: Histology | None
    variant: str | None
    diagnosed_on: dt.date | None
    stage: str | None
    metastatic_sites: tuple[str, ...] | None
    locally_advanced_unresectable: bool | None


@dataclass(frozen=True)
class Radioiodine:
    refractory: bool | None
    cumulative_activity_mci: float | None
    uptake: Uptake | None
    progression_after_rai: bool | None
    last_treatment_on: dt.date | None


@dataclass(frozen=True)
class Disease:
    progressing: bool | None
    progression_date: dt.date | None
    measurable: bool | None
    sum_of_diameters_mm: float | None
    brain_metastases: BrainMets | None


@dataclass(frozen=True)
class Biomarker:
    gene: str
    alteration: str | None
    result: MarkerResult
    path: str


@dataclass(frozen=True)
class Therapy:
    name: str
    kind: TherapyKind | None
    start: dt.date | None
    end: dt.date | None
    best_response: str | None
    reason_stopped: str | None
    path: str

    @property
    def ongoing(self) -> bool:
        """Started, with no end date and no reason stopped; a surgery or radioiodine dose is never ongoing, and an
        entry with no dates at all is history of unknown timing, not a current treatment."""
        one_off = self.kind in (TherapyKind.SURGERY, TherapyKind.RADIOIODINE)
        return self.start is not None and self.end is None and self.reason_stopped is None and not one_off

    @property
    def progressed(self) -> bool | None:
        """Whether the disease progressed on it: yes for `reason_stopped: progression` or best response PD; no when it
        is ongoing or stopped for another reason; None (not known) when it ended, or was a one-off, and the profile
        does not say why or how it responded."""
        if self.reason_stopped == "progression" or self.best_response == "PD":
            return True
        if self.reason_stopped is not None or self.ongoing:
            return False
        return None


@dataclass(frozen=True)
class Lab:
    test: str
    value: float
    unit: str
    date: dt.date | None
    upper_limit: float | None
    lower_limit: float | None
    path: str


@dataclass(frozen=True)
class Condition:
    name: str
    status: str | None
    path: str


@dataclass(frozen=True)
class Patient:
    id: str
    birth_date: dt.date | None
    age: int | None
    sex: Sex | None
    ecog: int | None
    location: Location | None
    diagnosis: Diagnosis | None
    radioiodine: Radioiodine | None
    disease: Disease | None
    biomarkers: tuple[Biomarker, ...]  # listed = tested; a gene not listed is unknown
    therapies: tuple[Therapy, ...] | None  # None = history unknown; () = known to have had none
    labs: tuple[Lab, ...]
    conditions: tuple[Condition, ...]
    qtcf_ms: float | None
    pregnant: bool | None
    breastfeeding: bool | None
    coordinator: str | None

    def age_on(self, day: dt.date) -> int | None:
        """Whole years on `day` from birth_date (Feb 29 birthdays count from Mar 1; None before birth), else `age`."""
        if self.birth_date is None:
            return self.age
        if day < self.birth_date:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


@dataclass(frozen=True)
class LoadedPatient:
    patient: Patient
    document: dict[str, Any]  # the file as validated: enum values in their canonical case
    warnings: tuple[str, ...]


@cache
def _schema() -> dict[str, Any]:
    text = resources.files("matcher.schemas").joinpath("patient.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def patient_schema() -> dict[str, Any]:
    """The published JSON Schema of a patient profile (a copy: change it freely)."""
    return copy.deepcopy(_schema())


@cache
def _validator() -> Draft202012Validator:
    checker = FormatChecker(formats=())
    checker.checks("date")(lambda value: not isinstance(value, str) or _parse_date(value) is not None)
    checker.checks("email")(lambda value: not isinstance(value, str) or bool(_EMAIL.fullmatch(value)))
    return Draft202012Validator(_schema(), format_checker=checker)


def load_patient(path: Path, today: dt.date | None = None) -> LoadedPatient:
    """Read and validate a patient file (dates must be on or before `today`, by default `latest_today()`).

    Raises:
        PatientFileError: the file is missing, unreadable, too large, too deeply nested, not JSON, or not a valid
            profile.
    """
    source = str(path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # never more, whatever the file is (a pipe, /dev/zero)
    except FileNotFoundError as exc:
        raise PatientFileError(source, [Problem("(file)", "a patient file", "no such file")]) from exc
    except OSError as exc:
        raise PatientFileError(source, [Problem("(file)", "a readable file", str(exc.strerror))]) from exc
    if len(data) > MAX_FILE_BYTES:
        found = "a larger file" if not path.is_file() else f"a file of {path.stat().st_size / 1024 / 1024:.1f} MiB"
        raise PatientFileError(source, [Problem("(file)", "a file of at most 1 MiB (MAX_FILE_BYTES)", found)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        found = f"a byte that is not UTF-8 at offset {exc.start}"
        raise PatientFileError(source, [Problem("(file)", "UTF-8 text", found)]) from exc
    return parse_patient(decode_json(text, source), source=source, today=today)


def decode_json(text: str, source: str = "<patient>") -> Any:
    """Decode a profile's JSON text: nesting bounded before decoding, a key given twice kept for `parse_patient`
    to report, and a number too long to read reported as such.

    Raises:
        PatientFileError: not JSON, or nested deeper than `MAX_DEPTH`.
    """
    deep_at = _nesting_exceeded(text)
    if deep_at is not None:
        line = text.count("\n", 0, deep_at) + 1
        column = deep_at - (text.rfind("\n", 0, deep_at) + 1) + 1
        found = f"deeper nesting (more than {MAX_DEPTH} levels of lists and objects)"
        problem = Problem(f"line {line}, column {column}", f"JSON nested at most {MAX_DEPTH} levels deep", found)
        raise PatientFileError(source, [problem])
    try:
        return json.loads(text, object_pairs_hook=_Object.from_pairs)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise PatientFileError(source, [Problem(where, "valid JSON", exc.msg)]) from exc
    except (ValueError, RecursionError) as exc:  # an integer of more than 4,300 digits (Python's int limit)
        found = "a number too long to read" if isinstance(exc, ValueError) else "nesting too deep to read"
        raise PatientFileError(source, [Problem("(file)", "valid JSON with plausible numbers", found)]) from exc


def _nesting_exceeded(text: str) -> int | None:
    """The offset of the first bracket nested deeper than `MAX_DEPTH` (strings skipped), or None."""
    depth = 0
    for token in _NESTING_TOKEN.finditer(text):
        char = token.group()[0]
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return token.start()
        elif char in "]}":
            depth -= 1
    return None


class _Object(dict[str, Any]):
    """A decoded JSON object that remembers the keys its text gave more than once (the last value is kept)."""

    duplicates: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> _Object:
        obj = cls(pairs)
        if len(obj) != len(pairs):
            counts = Counter(k for k, _ in pairs)
            obj.duplicates = tuple(k for k, n in counts.items() if n > 1)
        return obj


def latest_today() -> dt.date:
    """Today's date where it is latest (UTC+14): a date written today anywhere on Earth is never in the future."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()


def parse_patient(document: object, source: str = "<patient>", today: dt.date | None = None) -> LoadedPatient:
    """Validate a decoded JSON document and build the typed patient; dates must be on or before `today` (by
    default `latest_today()`).

    Raises:
        PatientFileError: listing every problem found, each with its path (e.g. ``labs[1].unit``).
    """
    warnings: list[str] = []
    problems: list[Problem] = []
    prepared = _Preparer(today or latest_today(), warnings, problems).prepare(document, _schema(), "", 0)
    own = {p.path for p in problems}  # a number too large or a placeholder date: the schema's view adds nothing
    problems += [p for p in _schema_problems(prepared) if p.path not in own]
    if isinstance(prepared, dict):
        problems += _consistency_problems(prepared)
    if problems:
        unique = {(p.path, p.expected, p.found): p for p in problems}.values()
        raise PatientFileError(source, sorted(unique, key=lambda p: _natural(p.path)))
    patient: Patient = _build(Patient, prepared)  # valid, so an object with a well-formed id
    return LoadedPatient(_placed(patient), prepared, tuple(warnings))


def _placed(patient: Patient) -> Patient:
    """A location given as city, state and country gets its coordinates from the offline gazetteer (`geo.place`);
    given coordinates are kept as they are. A city the gazetteer does not know leaves lat/lon empty."""
    from matcher import geo

    loc = patient.location
    if loc is None or (loc.lat is not None and loc.lon is not None) or not loc.city:
        return patient
    found = geo.place(loc.city, loc.state, loc.country)
    if found is None:
        return patient
    return replace(patient, location=replace(loc, lat=found.lat, lon=found.lon))


@dataclass
class _Preparer:
    """Copies a document, folding enum values to their canonical case and noting what the schema cannot: unknown
    fields (warnings); keys given twice, numbers that are not finite or absurdly large, lone surrogates, nesting
    past `MAX_DEPTH` and dates after today (problems)."""

    today: dt.date
    warnings: list[str]
    problems: list[Problem]

    def prepare(self, value: Any, schema: dict[str, Any], path: str, depth: int) -> Any:
        if isinstance(value, dict | list) and depth >= MAX_DEPTH:
            self._problem(path, f"at most {MAX_DEPTH} levels of nesting", "deeper nesting")
            return None
        if isinstance(value, dict):
            return self._object(value, schema, path, depth)
        if isinstance(value, list):
            item_schema = schema.get("items", {})
            return [self.prepare(v, item_schema, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
        if isinstance(value, str):
            return self._string(value, schema, path)
        if isinstance(value, float) and not math.isfinite(value):
            self._problem(path, _expected(schema), "a number that is not finite")
        elif _is_number(value) and abs(value) > MAX_MAGNITUDE:
            self._problem(path, _expected(schema), "a number too large to be real (beyond 10^15)")
        return value

    def _object(self, value: dict[Any, Any], schema: dict[str, Any], path: str, depth: int) -> dict[str, Any]:
        known = schema.get("properties")
        out = {}
        for key in getattr(value, "duplicates", ()):
            self._problem(_join(path, _printable(key)), "each key once in an object", f"the key {key!r} more than once")
        for key, item in value.items():
            sub = _join(path, _printable(key))
            if _SURROGATE.search(key):
                self._problem(sub, "a key of valid Unicode text", _LONE_SURROGATE)
            elif known is not None and key not in known:
                self.warnings.append(f"unknown field {key!r} at {sub}")
            out[key] = self.prepare(item, (known or {}).get(key, {}), sub, depth + 1)
        return out

    def _string(self, value: str, schema: dict[str, Any], path: str) -> str:
        if _SURROGATE.search(value):
            self._problem(path, "valid Unicode text", _LONE_SURROGATE)
            return value
        if "enum" in schema:
            return next((m for m in schema["enum"] if m.casefold() == value.casefold()), value)
        if schema.get("format") == "date":
            day = _parse_date(value)
            if day is not None and day.year >= _PLACEHOLDER_YEAR:
                self._problem(path, _placeholder_advice(path), f"{value!r} (a placeholder, not a real date)")
            elif day is not None and day > self.today:
                self._problem(path, "a date on or before today", "a date in the future")
        return value

    def _problem(self, path: str, expected: str, found: str) -> None:
        self.problems.append(Problem(path or "(top level)", expected, found))


def _placeholder_advice(path: str) -> str:
    if re.fullmatch(r"therapies\[\d+\]\.end", path):
        return "a date on or before today; for an ongoing treatment leave `end` out (no end means ongoing)"
    return "a date on or before today; leave the field out when it is not known"


def _printable(key: str) -> str:
    """A key as it can be printed: lone surrogates escaped."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8")


def _schema_problems(document: object) -> list[Problem]:
    errors = list(_validator().iter_errors(document))
    typed_wrong = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    problems = []
    for error in errors:
        where = tuple(error.absolute_path)
        if error.validator != "type" and where in typed_wrong:
            continue  # "expected a string, found a number" says it all; skip enum/format noise at that path
        problems += _describe_error(error)
    return problems


def _describe_error(error: ValidationError) -> list[Problem]:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    bound: Any = error.validator_value
    if error.validator == "required":
        missing = [k for k in bound if k not in instance]
        return [Problem(_join(path, k), _expected(schema["properties"][k]), "nothing") for k in missing]
    if error.validator == "dependentRequired":
        pairs = [(k, d) for k, deps in bound.items() if k in instance for d in deps if d not in instance]
        return [Problem(_join(path, d), f"{d} together with {k}", "nothing") for k, d in pairs]
    found = {
        "type": _type_name(instance),
        "enum": _quote(instance),
        "format": f"{_quote(instance)} (not a valid {schema.get('format')})",
        "minimum": f"a number below {bound}",
        "maximum": f"a number above {bound}",
        "exclusiveMinimum": f"a number of {bound} or less",
        "minLength": "an empty string",
        "pattern": f"a string of {len(str(instance))} characters that does not match",
    }.get(str(error.validator), _type_name(instance))
    return [Problem(path or "(top level)", _expected(schema), found)]


def _consistency_problems(doc: dict[str, Any]) -> list[Problem]:
    """Checks across fields that JSON Schema cannot express; malformed values are left to the schema."""
    problems = []
    diagnosis = doc.get("diagnosis")
    diagnosed_on = _parse_date(diagnosis.get("diagnosed_on")) if isinstance(diagnosis, dict) else None
    birth = _parse_date(doc.get("birth_date"))
    if birth and diagnosed_on and birth > diagnosed_on:
        problems.append(Problem("birth_date", "a date on or before diagnosis.diagnosed_on", "a later date"))
    for i, therapy in _items(doc, "therapies"):
        start, end = _parse_date(therapy.get("start")), _parse_date(therapy.get("end"))
        if start and end and end < start:
            problems.append(Problem(f"therapies[{i}].end", "a date on or after start", "a date before start"))
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    for i, marker in _items(doc, "biomarkers"):
        gene, alteration, result = (marker.get(k) for k in ("gene", "alteration", "result"))
        if not isinstance(gene, str) or not isinstance(result, str):
            continue
        key = (gene.casefold(), alteration.casefold() if isinstance(alteration, str) else "")
        first, first_result = seen.setdefault(key, (i, result))
        if first_result != result:
            expected = f"the result given in biomarkers[{first}] for the same gene and alteration"
            problems.append(Problem(f"biomarkers[{i}].result", expected, "a different result"))
    for i, lab in _items(doc, "labs"):
        low, high = lab.get("lower_limit"), lab.get("upper_limit")
        if _is_number(low) and _is_number(high) and low > high:
            problems.append(Problem(f"labs[{i}].lower_limit", "a number no greater than upper_limit", "a larger one"))
    return problems


def _build(cls: Any, value: dict[str, Any], path: str = "") -> Any:
    """Build dataclass `cls` from a validated object: its field names are the contract's keys."""
    hints = get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    kwargs = {n: _convert(hints[n], value.get(n), _join(path, n)) for n in names if n != "path"}
    return cls(**kwargs, **({"path": path} if "path" in names else {}))


def _convert(hint: Any, value: Any, path: str) -> Any:
    """Convert one validated JSON value to the type `hint` (``X | None`` is None when absent)."""
    optional = type(None) in get_args(hint)
    kind = next(a for a in get_args(hint) if a is not type(None)) if optional else hint
    if value is None:  # absent; validation guarantees that only list fields are both absent and not optional
        return None if optional else ()
    if get_origin(kind) is tuple:
        item = get_args(kind)[0]
        if is_dataclass(item):
            return tuple(_build(item, v, f"{path}[{i}]") for i, v in enumerate(value))
        return tuple(value)
    if is_dataclass(kind):
        return _build(kind, value, path)
    if kind is dt.date:
        return _parse_date(value)
    if kind in (int, float) or (isinstance(kind, type) and issubclass(kind, StrEnum)):
        return kind(value)
    return value


def _parse_date(value: object) -> dt.date | None:
    """A real calendar date written YYYY-MM-DD, else None (also the schema's date format check)."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _expected(schema: dict[str, Any]) -> str:
    kind, low, high = str(schema.get("type")), schema.get("minimum"), schema.get("maximum")
    noun = {"integer": "an integer", "number": "a number", "array": "a list", "object": "an object"}.get(kind, "")
    if "enum" in schema:
        return "one of " + ", ".join(schema["enum"])
    if "pattern" in schema:
        return f"a string matching {schema['pattern']}"
    if schema.get("format") == "date":
        return "a date as YYYY-MM-DD"
    if schema.get("format") == "email":
        return "an email address"
    if kind == "boolean":
        return "true or false"
    if kind == "string":
        return "a non-empty string" if schema.get("minLength") else "a string"
    if low is not None and high is not None:
        return f"{noun} from {low} to {high}"
    if low is not None:
        return f"{noun} of at least {low}"
    if "exclusiveMinimum" in schema:
        return f"{noun} greater than {schema['exclusiveMinimum']}"
    return noun or "a value"


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a number" if value.is_integer() else "a number with a fraction"
    names: dict[type, str] = {str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _quote(value: object) -> str:
    text = repr(value) if isinstance(value, str) else _type_name(value)
    return text if len(text) <= 42 else text[:39] + "...'"


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _natural(path: str) -> list[Any]:
    """Sort key: labs[2] before labs[10]."""
    return [int(part) if i % 2 else part for i, part in enumerate(re.split(r"(\d+)", path))]


def _items(doc: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    value = doc.get(key)
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)
