"""Eligibility parsing: a trial's criteria text becomes structured, explainable criteria.

- `segment`: sections, bullets, nesting, legacy wrapping -> criterion spans
- `pipeline`: spaCy's tokenizer (spacy.blank("en")) + phrase matchers over the vocabularies in matcher/knowledge
- `extract`: facts (kind, polarity, values, rule id) from one criterion
- `parser`: `parse_text` / `parse_texts`, the entry points (imports spaCy)
- `criteria`: the output types, which round-trip to JSON (no spaCy needed to read them)

See docs/parser.md.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files

RULES_VERSION = "93"  # bump with every change to the rule code or the stored form, so stored parses are redone


@cache
def parser_version() -> str:
    """The rules version plus a digest of the vocabularies: a change to either re-parses stored trials."""
    digest = hashlib.sha256(RULES_VERSION.encode())
    for entry in sorted(files("matcher.knowledge").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            digest.update(entry.read_bytes())
    return f"{RULES_VERSION}+{digest.hexdigest()[:10]}"


def __getattr__(name: str) -> object:
    """`parse_text`, `parse_texts` and `StructuredFields` load the parser (and spaCy) on first use only."""
    if name in ("parse_text", "parse_texts", "StructuredFields", "structured_criteria"):
        from matcher.eligibility import parser

        return getattr(parser, name)
    if name == "PARSER_VERSION":
        return parser_version()
    raise AttributeError(f"module 'matcher.eligibility' has no attribute {name!r}")
