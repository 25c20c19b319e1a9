"""Domain vocabularies (drugs, drug classes, biomarkers, histologies, labs), validated on load.

Drug classes and molecular targets follow the seed review, Pitoia F, Jerkovich F, Trimboli P, Smulever A.
New approaches for patients with advanced radioiodine-refractory thyroid cancer. World J Clin Oncol
2022;13(1):9-27, doi:10.5306/wjco.v13.i1.9 (Table 1 and text); each entry's `cite` says where it comes from.

The data lives in `matcher/knowledge/*.json`, each `{"source": ..., "entries": [...]}` with prefixed ids.
Like medspacy's `ConTextRule.from_dict`, loading rejects unknown keys; any problem raises
`RuleFileError(path, entry, problem)`.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import msgspec

from matcher.errors import RuleFileError

PROFILE_VALUES = frozenset(
    {"papillary", "follicular", "oncocytic", "poorly_differentiated", "anaplastic", "medullary", "other"}
)
ALTERATION_KINDS = frozenset({"mutation", "fusion", "amplification", "expression", "any"})


@functools.lru_cache(maxsize=16384)
def name_key(text: str) -> str:
    """Lookup key for a name: case-folded, accents dropped; spaces, hyphens, underscores and ®/™ removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-‐‑‒–—_®™©]+", "", plain)


@functools.lru_cache(maxsize=4096)
def unit_key(unit: str) -> str:
    """Lookup key for a unit: "× 10⁹/L", "x109/L" and "10*9/l" agree, as do µ, μ, u and mc."""
    text = unicodedata.normalize("NFKD", unit.casefold())  # superscripts -> digits, micro sign -> Greek mu
    text = re.sub(r"\s+per\s+", "/", text)
    text = re.sub(r"\s+", "", text).replace("μ", "u").replace("mc", "u").replace("cells/", "/")
    text = text.lstrip("x×*").replace("**", "").replace("^", "").replace("litre", "l").replace("liter", "l")
    return re.sub(r"^10[*e]?(\d)", r"10\1", text)


class Drug(msgspec.Struct, frozen=True):
    id: str
    name: str
    synonyms: tuple[str, ...]
    classes: tuple[str, ...]
    targets: tuple[str, ...]
    cite: str


class DrugClass(msgspec.Struct, frozen=True):
    id: str
    name: str
    synonyms: tuple[str, ...]
    parents: tuple[str, ...]
    cite: str


class Alteration(msgspec.Struct, frozen=True):
    id: str
    name: str
    kind: str
    synonyms: tuple[str, ...]


class Gene(msgspec.Struct, frozen=True):
    id: str
    gene: str
    synonyms: tuple[str, ...]
    alterations: tuple[Alteration, ...]
    members: tuple[str, ...] = ()  # group entries (RAS, NTRK) list their member genes
    cite: str = ""


class Histology(msgspec.Struct, frozen=True):
    id: str
    name: str
    profile_value: str | None  # None for group entries (DTC, thyroid cancer)
    synonyms: tuple[str, ...]
    groups: tuple[str, ...] = ()
    members: tuple[str, ...] = ()  # group entries (DTC, thyroid cancer) list their members
    cite: str = ""
    # profile values a group's words leave open, neither in nor out of it ("thyroid carcinoma of follicular origin" and
    # an anaplastic carcinoma): a requirement or exclusion of the group is unknown for them
    undecided: tuple[str, ...] = ()


class LabTest(msgspec.Struct, frozen=True):
    id: str
    name: str
    synonyms: tuple[str, ...]
    canonical_unit: str
    units: Mapping[str, float]  # spelling -> factor: value_canonical = value * factor
    uln_allowed: bool
    note: str = ""

    def to_canonical(self, value: float, unit: str) -> float | None:
        """`value` in `canonical_unit`, or None when `unit` is not a known spelling for this test."""
        key = unit_key(unit)
        return next((value * f for u, f in self.units.items() if unit_key(u) == key), None)


def _names_index(where: str, named: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """Name key -> entry id; a name shared by two entries is an error."""
    index: dict[str, str] = {}
    for entry_id, names in named:
        for name in names:
            other = index.setdefault(name_key(name), entry_id)
            if other != entry_id:
                raise RuleFileError(where, entry_id, f"synonym {name!r} also names {other}")
    return index


@dataclass(frozen=True)
class KnowledgeBase:
    drugs: Mapping[str, Drug]
    classes: Mapping[str, DrugClass]
    genes: Mapping[str, Gene]
    histologies: Mapping[str, Histology]
    labs: Mapping[str, LabTest]
    _index: Mapping[str, Mapping[str, str]] = field(init=False, repr=False, compare=False)
    _drug_classes: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        tables = {
            "drugs": ((d.id, (d.name, *d.synonyms)) for d in self.drugs.values()),
            "classes": ((c.id, (c.name, *c.synonyms)) for c in self.classes.values()),
            "histologies": ((h.id, (h.name, *h.synonyms)) for h in self.histologies.values()),
            "genes": ((g.id, (g.gene, *g.synonyms)) for g in self.genes.values()),
            "labs": ((t.id, (t.name, *t.synonyms)) for t in self.labs.values()),
        }
        object.__setattr__(self, "_index", {k: _names_index(k, v) for k, v in tables.items()})

    def drug_by_name(self, name: str) -> Drug | None:
        return self.drugs.get(self._index["drugs"].get(name_key(name), ""))

    def class_by_name(self, name: str) -> DrugClass | None:
        return self.classes.get(self._index["classes"].get(name_key(name), ""))

    def histology_by_name(self, name: str) -> Histology | None:
        return self.histologies.get(self._index["histologies"].get(name_key(name), ""))

    def gene_by_name(self, name: str) -> Gene | None:
        return self.genes.get(self._index["genes"].get(name_key(name), ""))

    def lab_by_name(self, name: str) -> LabTest | None:
        return self.labs.get(self._index["labs"].get(name_key(name), ""))

    def class_closure(self, class_id: str) -> frozenset[str]:
        """The class and all its ancestors (KeyError for an unknown id)."""
        found, stack = {class_id}, [class_id]
        while stack:
            for parent in self.classes[stack.pop()].parents:
                if parent not in found:
                    found.add(parent)
                    stack.append(parent)
        return frozenset(found)

    def drug_classes(self, drug_id: str) -> frozenset[str]:
        found = self._drug_classes.get(drug_id)
        if found is None:  # asked for every therapy of every patient: computed once per drug
            found = frozenset[str]().union(*(self.class_closure(c) for c in self.drugs[drug_id].classes))
            self._drug_classes[drug_id] = found
        return found

    def histology_members(self, hist_id: str) -> frozenset[str]:
        """Patient `diagnosis.histology` values covered by a histology or group (KeyError if unknown)."""
        hist = self.histologies[hist_id]
        own = frozenset[str]() if hist.profile_value is None else frozenset({hist.profile_value})
        return own.union(*(self.histology_members(m) for m in hist.members))


_STR = (lambda v: isinstance(v, str) and v != "", "a non-empty string")
_STRS = (lambda v: isinstance(v, list) and all(isinstance(s, str) and s for s in v), "a list of non-empty strings")
# Every key has one type in every file: key -> (check, what the error says was expected).
_TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    **dict.fromkeys(("id", "name", "gene", "kind", "cite", "note", "source"), _STR),
    **dict.fromkeys(("synonyms", "classes", "targets", "parents", "members", "groups", "undecided"), _STRS),
    "alterations": (lambda v: isinstance(v, list), "a list"),
    "entries": (lambda v: isinstance(v, list), "a list"),
    "profile_value": (lambda v: v is None or isinstance(v, str), "a string or null"),
    "canonical_unit": (lambda v: isinstance(v, str), "a string"),
    "uln_allowed": (lambda v: isinstance(v, bool), "true or false"),
    "units": (lambda v: isinstance(v, dict) and all(type(f) in (int, float) for f in v.values()), "unit -> number"),
}


def _spec(required: str, optional: str = "") -> dict[str, bool]:
    """Allowed keys of an entry: key -> required."""
    return {**dict.fromkeys(optional.split(), False), **dict.fromkeys(required.split(), True)}


_FILE = _spec("source entries")
_DRUG = _spec("id name synonyms classes targets cite")
_CLASS = _spec("id name synonyms parents cite")
_GENE = _spec("id gene synonyms alterations cite", "members")
_ALT = _spec("id name kind synonyms")
_HIST = _spec("id name profile_value synonyms", "groups members cite undecided")
_LAB = _spec("id name synonyms canonical_unit units uln_allowed", "note")


def _checked(path: str, label: str, raw: object, spec: Mapping[str, bool]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise RuleFileError(path, label, f"expected an object, found {type(raw).__name__}")
    unknown = raw.keys() - spec.keys()
    if unknown:
        raise RuleFileError(path, label, f"unknown key(s) {sorted(unknown)}; allowed keys: {sorted(spec)}")
    for key, required in spec.items():
        if key not in raw:
            if required:
                raise RuleFileError(path, label, f"missing required key {key!r}")
            continue
        check, expected = _TYPES[key]
        if not check(raw[key]):
            raise RuleFileError(path, label, f"{key!r} must be {expected}, found {raw[key]!r}")
    return raw


def _entries(root: Traversable, name: str, spec: Mapping[str, bool], prefix: str) -> tuple[str, list[dict[str, Any]]]:
    """The checked entries of one file, with unique ids starting with `prefix`."""
    path = str(root / name)
    try:
        data = json.loads((root / name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RuleFileError(path, "(file)", f"cannot read JSON: {exc}") from exc
    top = _checked(path, "(file)", data, _FILE)
    entries, seen = [], set()
    for i, raw in enumerate(top["entries"]):
        label = raw["id"] if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"entries[{i}]"
        entry = _checked(path, label, raw, spec)
        alts = [a["id"] for a in entry.get("alterations", []) if isinstance(a, dict) and isinstance(a.get("id"), str)]
        for entry_id in (entry["id"], *alts):
            if entry_id in seen:
                raise RuleFileError(path, label, f"duplicate id {entry_id!r}")
            seen.add(entry_id)
        if not entry["id"].startswith(prefix):
            raise RuleFileError(path, label, f"id must start with {prefix!r}")
        entries.append(entry)
    return path, entries


def _links(path: str, edges: Mapping[str, tuple[str, ...]], known: Mapping[str, object], key: str) -> None:
    """Every id in `edges` values exists in `known`, and following `edges` never loops."""
    done: set[str] = set()

    def visit(node: str, trail: tuple[str, ...]) -> None:
        if node in trail:
            raise RuleFileError(path, node, f"cycle in {key}: {' -> '.join((*trail, node))}")
        if node not in done:
            for nxt in edges.get(node, ()):
                if nxt not in known:
                    raise RuleFileError(path, node, f"{key} refers to unknown id {nxt!r}")
                visit(nxt, (*trail, node))
            done.add(node)

    for node in edges:
        visit(node, ())


def _fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Entry keys are dataclass field names; JSON lists become tuples."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}


def _classes(root: Traversable) -> dict[str, DrugClass]:
    path, raws = _entries(root, "drug_classes.json", _CLASS, "class.")
    classes = {r["id"]: DrugClass(**_fields(r)) for r in raws}
    _links(path, {c.id: c.parents for c in classes.values()}, classes, "parents")
    _names_index(path, ((c.id, (c.name, *c.synonyms)) for c in classes.values()))
    return classes


def _drugs(root: Traversable, classes: Mapping[str, DrugClass]) -> dict[str, Drug]:
    path, raws = _entries(root, "drugs.json", _DRUG, "drug.")
    drugs = {r["id"]: Drug(**_fields(r)) for r in raws}
    _links(path, {d.id: d.classes for d in drugs.values()}, classes, "classes")
    _names_index(path, ((d.id, (d.name, *d.synonyms)) for d in drugs.values()))
    return drugs


def _alteration(path: str, label: str, raw: object, gene_id: str) -> Alteration:
    alt = Alteration(**_fields(_checked(path, label, raw, _ALT)))
    if not alt.id.startswith(f"alt.{gene_id.removeprefix('gene.')}."):
        raise RuleFileError(path, alt.id, f"an alteration id must start with 'alt.' plus the gene ({gene_id})")
    if alt.kind not in ALTERATION_KINDS:
        raise RuleFileError(path, alt.id, f"kind {alt.kind!r} not in {sorted(ALTERATION_KINDS)}")
    return alt


def _genes(root: Traversable) -> dict[str, Gene]:
    path, raws = _entries(root, "biomarkers.json", _GENE, "gene.")
    genes: dict[str, Gene] = {}
    for r in raws:
        alts = tuple(
            _alteration(path, f"{r['id']}.alterations[{i}]", a, r["id"]) for i, a in enumerate(r["alterations"])
        )
        _names_index(path, ((a.id, (a.name, *a.synonyms)) for a in alts))
        genes[r["id"]] = Gene(**{**_fields(r), "alterations": alts})
    _links(path, {g.id: g.members for g in genes.values()}, genes, "members")
    _names_index(path, ((g.id, (g.gene, *g.synonyms)) for g in genes.values()))
    return genes


def _histologies(root: Traversable) -> dict[str, Histology]:
    path, raws = _entries(root, "histologies.json", _HIST, "hist.")
    hists = {r["id"]: Histology(**_fields(r)) for r in raws}
    for h in hists.values():
        if h.profile_value not in PROFILE_VALUES and not (h.profile_value is None and h.members):
            raise RuleFileError(path, h.id, f"profile_value must be in {sorted(PROFILE_VALUES)}, or null for a group")
        if not set(h.undecided) <= PROFILE_VALUES:
            raise RuleFileError(path, h.id, f"undecided values must be in {sorted(PROFILE_VALUES)}")
    _links(path, {h.id: h.groups for h in hists.values()}, hists, "groups")
    _links(path, {h.id: h.members for h in hists.values()}, hists, "members")
    in_groups = {(h.id, g) for h in hists.values() for g in h.groups}
    in_members = {(m, h.id) for h in hists.values() for m in h.members}
    for child, group in sorted(in_groups ^ in_members):
        raise RuleFileError(path, child, f"groups and members disagree on whether it belongs to {group}")
    _names_index(path, ((h.id, (h.name, *h.synonyms)) for h in hists.values()))
    return hists


def _labs(root: Traversable) -> dict[str, LabTest]:
    path, raws = _entries(root, "labs.json", _LAB, "lab.")
    labs: dict[str, LabTest] = {}
    for r in raws:
        seen: dict[str, tuple[str, float]] = {}
        for unit, factor in r["units"].items():
            if not factor > 0:
                raise RuleFileError(path, r["id"], f"unit {unit!r}: factor must be a positive number, found {factor}")
            first, first_factor = seen.setdefault(unit_key(unit), (unit, factor))
            if first_factor != factor:
                raise RuleFileError(path, r["id"], f"units {first!r} and {unit!r} are one spelling, factors differ")
        if r["units"].get(r["canonical_unit"]) != 1:
            raise RuleFileError(path, r["id"], f"canonical_unit {r['canonical_unit']!r} must be in units, factor 1")
        units = MappingProxyType({u: float(f) for u, f in r["units"].items()})
        labs[r["id"]] = LabTest(**{**_fields(r), "units": units})
    _names_index(path, ((t.id, (t.name, *t.synonyms)) for t in labs.values()))
    return labs


def load_knowledge_from(directory: Path | Traversable) -> KnowledgeBase:
    """Read and validate the five vocabulary files in `directory`.

    Raises:
        RuleFileError: a file is unreadable or an entry is invalid (names the file and the entry).
    """
    classes = _classes(directory)
    return KnowledgeBase(
        drugs=MappingProxyType(_drugs(directory, classes)),
        classes=MappingProxyType(classes),
        genes=MappingProxyType(_genes(directory)),
        histologies=MappingProxyType(_histologies(directory)),
        labs=MappingProxyType(_labs(directory)),
    )


@functools.cache
def load_knowledge() -> KnowledgeBase:
    """The vocabularies shipped in `matcher/knowledge/`, loaded once."""
    return load_knowledge_from(resources.files("matcher.knowledge"))
