"""The spaCy pipeline: ``spacy.blank("en")`` plus one SpanRuler fed from the vocabularies in matcher/knowledge.

No model is downloaded: the tokenizer is spaCy's rule-based English one and every entity comes from a phrase
pattern whose ``id`` is the vocabulary entry's id, so a fact can say which entry fired. Built once, reused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex

from matcher.eligibility.kinds.primary_site import load_sites
from matcher.errors import RuleFileError
from matcher.knowledge_base import KnowledgeBase, load_knowledge

CONCEPTS_FILE = "concepts.json"
_CONCEPT_KEYS = {"id", "phrases"}


@dataclass(frozen=True)
class Concept:
    id: str
    phrases: tuple[str, ...]


def load_concepts() -> tuple[Concept, ...]:
    """The eligibility-idiom concepts (matcher/knowledge/concepts.json), validated."""
    path = files("matcher.knowledge").joinpath(CONCEPTS_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    seen: set[str] = set()
    concepts = []
    for position, entry in enumerate(data.get("entries", [])):
        name = entry.get("id", f"entry {position}") if isinstance(entry, dict) else f"entry {position}"
        if not isinstance(entry, dict) or set(entry) != _CONCEPT_KEYS:
            raise RuleFileError(CONCEPTS_FILE, name, f"an entry has exactly the keys {sorted(_CONCEPT_KEYS)}")
        if not str(name).startswith("concept.") or name in seen:
            raise RuleFileError(CONCEPTS_FILE, name, "ids start with 'concept.' and are unique")
        phrases = entry["phrases"]
        if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise RuleFileError(CONCEPTS_FILE, name, "phrases is a non-empty list of non-empty strings")
        seen.add(name)
        concepts.append(Concept(name, tuple(phrases)))
    return tuple(concepts)


def patterns(kb: KnowledgeBase, concepts: tuple[Concept, ...]) -> list[dict[str, Any]]:
    """SpanRuler phrase patterns: label = what it is, id = the vocabulary entry."""
    found: list[dict[str, Any]] = []

    def add(label: str, entry_id: str, names: tuple[str, ...] | list[str]) -> None:
        for name in dict.fromkeys(names):
            # Short symbols match only as written: "MET" the gene, not "met" the verb; "PD", "Ca", "PS".
            if len(name) <= 5 and " " not in name and any(ch.isupper() for ch in name):
                found.append({"label": label, "pattern": [{"ORTH": name}], "id": entry_id})
            else:
                found.append({"label": label, "pattern": name, "id": entry_id})

    for drug in kb.drugs.values():
        add("DRUG", drug.id, [drug.name, *drug.synonyms])
    for drug_class in kb.classes.values():
        add("CLASS", drug_class.id, [drug_class.name, *drug_class.synonyms])
    for gene in kb.genes.values():
        add("GENE", gene.id, [gene.gene, *gene.synonyms])
        for alteration in gene.alterations:
            add("ALTERATION", alteration.id, [alteration.name, *alteration.synonyms])
    for histology in kb.histologies.values():
        add("HISTOLOGY", histology.id, [histology.name, *histology.synonyms])
    for lab in kb.labs.values():
        add("LAB", lab.id, [lab.name, *lab.synonyms])
    for concept in concepts:
        add("CONCEPT", concept.id, concept.phrases)
    for site in load_sites().values():
        add("SITE", site.id, site.synonyms)
    return found


@cache
def build_nlp() -> Language:
    """The pipeline, built once per process.

    Two SpanRulers, both phrase matchers: case-insensitive names, then the short symbols as written (a phrase
    matcher on ORTH is many times faster than the equivalent token patterns). Overlaps keep the longest span.
    """
    nlp = spacy.blank("en")
    # "time(PT)≤17s", "Ratio(INR)≤2": split a bracket glued to a word, and a comparator glued to the bracket
    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Za-z])\((?=[A-Za-z])", r"(?<=\))[≤≥<>]"]
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    found = patterns(load_knowledge(), load_concepts())
    phrases = [p for p in found if isinstance(p["pattern"], str)]
    symbols = [{**p, "pattern": p["pattern"][0]["ORTH"]} for p in found if not isinstance(p["pattern"], str)]
    for name, attr, entries in (("span_ruler", "LOWER", phrases), ("symbol_ruler", "ORTH", symbols)):
        ruler = nlp.add_pipe(
            "span_ruler",
            name=name,
            config={
                "annotate_ents": True,
                "spans_key": None,
                "phrase_matcher_attr": attr,
                "validate": False,
                "overwrite": False,
            },
        )
        ruler.add_patterns(entries)  # type: ignore[attr-defined]
    return nlp
