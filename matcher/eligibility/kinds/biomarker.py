"""Biomarkers: "BRAF V600E mutation", "RET fusion-positive", "NTRK gene fusion", "RAS wild-type"; genes and
alterations from matcher/knowledge/biomarkers.json. A gene named without an alteration asks for any alteration of it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Polarity, Values
from matcher.eligibility.kinds.base import Finding, Kind
from matcher.eligibility.text import CriterionText, Mention, make_fact
from matcher.knowledge_base import Alteration, KnowledgeBase
from matcher.patient import MarkerResult, Patient


@dataclass(frozen=True)
class BiomarkerValues(Values):
    DISPLAY_ONLY = frozenset({"gene_name", "alteration_name"})

    gene: str
    gene_name: str
    alteration: str | None = None
    alteration_name: str | None = None


_GENE_CUE = re.compile(
    r"\b(?:mutat\w*|fusions?|rearrang\w*|alteration\w*|altered|amplif\w*|positive|negative|wild[- ]?type|"
    r"express\w*|variant|translocation|exon|gene|-driven|activating)\b",
    re.IGNORECASE,
)
_WILD_TYPE = re.compile(r"\b(?:wild[- ]?type|negative for|non-mutated|without)\b", re.IGNORECASE)
_GENERIC = ("mutation", "fusion", "amplification", "expression", "alteration", "positive")


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    genes = c.of("GENE")
    alterations = c.of("ALTERATION")
    if not (genes or alterations) or not _GENE_CUE.search(c.text):
        return []
    facts = []
    used: set[int] = set()
    for gene in genes:
        prefix = "alt." + gene.id.removeprefix("gene.") + "."
        near = [a for a in alterations if a.id.startswith(prefix) and abs(a.start - gene.end) < 40]
        alteration = near[0] if near else None
        if alteration:
            used.add(alteration.start)
        facts.append(_fact(c, kb, gene.id, alteration, gene))
    for alteration in alterations:
        gene_id = "gene." + alteration.id.split(".")[1]
        gene_name = kb.genes[gene_id].gene if gene_id in kb.genes else ""
        if alteration.start not in used and gene_name and gene_name.lower() in alteration.text.lower():
            facts.append(_fact(c, kb, gene_id, alteration, alteration))
    unique: dict[tuple[str, Polarity], Fact] = {}
    for f in facts:  # "BRAF; ... BRAF mutation": one fact per gene, the one naming an alteration
        v = f.values
        assert isinstance(v, BiomarkerValues)
        key = (v.gene, f.polarity)
        if key not in unique or (v.alteration and not unique[key].values.alteration):  # type: ignore[attr-defined]
            unique[key] = f
    return list(unique.values())


def _fact(c: CriterionText, kb: KnowledgeBase, gene_id: str, alteration: Mention | None, anchor: Mention) -> Fact:
    polarity = c.polarity(anchor)
    window = c.text[max(0, anchor.start - 25) : anchor.end + 25]
    if _WILD_TYPE.search(window) and not c.negated(anchor):
        polarity = polarity.flipped()
    gene = kb.genes[gene_id]
    values = BiomarkerValues(gene_id, gene.gene)
    if alteration is not None:
        name = next(a.name for a in gene.alterations if a.id == alteration.id)
        values = BiomarkerValues(gene_id, gene.gene, alteration.id, name)
    evidence = c.text[anchor.start : (alteration.end if alteration else anchor.end)]
    return make_fact(FactKind.BIOMARKER, polarity, values, alteration.id if alteration else gene_id, evidence)


def _generic(alteration: Alteration) -> bool:
    return alteration.kind == "any" or alteration.name.lower() in _GENERIC


def _patient_alteration(kb: KnowledgeBase, gene_id: str, text: str | None) -> Alteration | None:
    if not text:
        return None
    key = re.sub(r"[\s_-]+", "", text.lower())
    for alteration in kb.genes[gene_id].alterations:
        if any(re.sub(r"[\s_-]+", "", n.lower()) == key for n in (alteration.name, *alteration.synonyms)):
            return alteration
    return None


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, BiomarkerValues)
    gene = kb.genes[v.gene]
    wanted = next((a for a in gene.alterations if a.id == v.alteration), None)
    label = f"{gene.gene} {wanted.name}" if wanted else gene.gene
    covered = {v.gene, *gene.members}
    unclear = []
    for marker in p.biomarkers:
        found = kb.gene_by_name(marker.gene)
        if found is None or found.id not in covered:
            continue
        mine = _patient_alteration(kb, found.id, marker.alteration)
        described = f"{marker.gene} {marker.alteration or ''}".strip()
        same = wanted is None or (
            mine is not None
            and (
                mine.id.split(".")[-1] == wanted.id.split(".")[-1]
                or (_generic(wanted) and (wanted.kind in ("any", mine.kind)))
            )
        )
        if marker.result is MarkerResult.POSITIVE and same:
            return Finding(True, f"{described} positive (trial: {label})", (marker.path,))
        broader = (mine is None and not marker.alteration) or (
            mine is not None and _generic(mine) and (wanted is None or mine.kind in ("any", wanted.kind))
        )
        exact = wanted is not None and mine is not None and mine.id.split(".")[-1] == wanted.id.split(".")[-1]
        # A negative test answers only what it tested: "V600E negative" does not rule out another BRAF V600 mutation
        if marker.result is MarkerResult.NEGATIVE and (exact or broader):
            return Finding(False, f"{described} negative (trial: {label})", (marker.path,))
        unclear.append(marker.path)
    if unclear:
        return Finding(None, f"{label}: the tests on file do not answer it", tuple(unclear), missing=f"{label} test")
    return Finding(None, f"{label} not tested", missing=f"{label} test")


KIND = Kind(FactKind.BIOMARKER, BiomarkerValues, extract, evaluate, frozenset({"GENE", "ALTERATION"}))
