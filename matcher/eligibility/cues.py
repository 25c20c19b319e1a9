"""Context cues as data: negation, permission, prohibition, candidacy, definitions, other persons, conditions,
cohorts, recommendations and notes (matcher/knowledge/cues.json, the ConText idea: a cue with an id, a category and
real examples). The file is validated against cues.schema.json when first loaded; `tests/test_scope.py` checks every
example against its pattern."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from jsonschema import Draft202012Validator

from matcher.errors import RuleFileError

CUES_FILE = "cues.json"
SCHEMA_FILE = "cues.schema.json"


@dataclass(frozen=True)
class Cue:
    id: str
    category: str
    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    non_examples: tuple[str, ...]


@cache
def load_cues() -> dict[str, Cue]:
    knowledge = files("matcher.knowledge")
    data = json.loads(knowledge.joinpath(CUES_FILE).read_text(encoding="utf-8"))
    schema = json.loads(knowledge.joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
    error = next(iter(Draft202012Validator(schema).iter_errors(data)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "the file"
        raise RuleFileError(CUES_FILE, where, error.message)
    cues: dict[str, Cue] = {}
    for entry in data["entries"]:
        if entry["id"] in cues:
            raise RuleFileError(CUES_FILE, entry["id"], "ids are unique")
        try:
            pattern = re.compile(entry["pattern"], re.IGNORECASE)
        except re.error as exc:
            raise RuleFileError(CUES_FILE, entry["id"], f"the pattern does not compile: {exc}") from exc
        cues[entry["id"]] = Cue(entry["id"], entry["category"], pattern, tuple(entry["examples"]),
                                tuple(entry.get("non_examples", ())))  # fmt: skip
    return cues


def cue(cue_id: str) -> re.Pattern[str]:
    """The compiled pattern of one cue (KeyError names a cue the file lacks)."""
    return load_cues()[cue_id].pattern
