"""Biomarkers: "BRAF V600E mutation", "RET fusion-positive", "NTRK gene fusion", "RAS wild-type"; genes and
alterations from matcher/knowledge/biomarkers.json. A gene named without an alteration asks for any alteration of it."""

from __future__ import annotations

import re
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Polarity, Values
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, lazy_regex
from matcher.eligibility.text import CriterionText, Mention, make_fact
from matcher.knowledge_base import Alteration, KnowledgeBase
from matcher.patient import MarkerResult, Patient


class BiomarkerValues(Values, frozen=True):
    DISPLAY_ONLY = frozenset({"gene_name", "alteration_name"})

    gene: str
    gene_name: str
    alteration: str | None = None
    alteration_name: str | None = None


_GENE_CUE = lazy_regex(
    r"\b(?:mutat\w*|fusions?|rearrang\w*|alteration\w*|altered|amplif\w*|positive|negative|wild[- ]?type|"
    r"express\w*|variant|translocation|exon|gene|-driven|activating)\b",
    re.IGNORECASE,
)
_WILD_TYPE = lazy_regex(r"\b(?:wild[- ]?type|negative for|non-mutated|without)\b", re.IGNORECASE)
# "HER2/neu status may be positive or negative", "regardless of BRAF status": either result is accepted, so nothing
# is asked of the patient
_EITHER_RESULT = cue("cue.biomarker.either_result")
# A gene named as what a therapy targets, not the patient's tumour: "Targeted therapies specific for mutated BRAF or for
# MEK" (NCT02385669), "anti-epidermal growth factor receptor (EGFR) therapy" (NCT02393755) (parser 20)
_TARGET_BEFORE = cue("cue.biomarker.target_before")
# A gene named as who a therapy is asked of: "anti-EGFR therapy (e.g., panitumumab or cetuximab) for rat sarcoma viral
# oncogene homolog (RAS) wild-type patients" (NCT02393755, fresh samples 33's AN372 and 34's AO364) asks the anti-EGFR
# therapy of RAS wild-type patients, no RAS status of every patient: an applicability condition (misread24)
_GROUP_BEFORE = cue("cue.biomarker.group_before")
_GROUP_AFTER = cue("cue.biomarker.group_after")


def _spelt_out(c: CriterionText, anchor: Mention, targets: list[Mention]) -> bool:
    """Whether the gene is the bracketed short name of a target named right before it: "anti-epidermal growth factor
    receptor (EGFR) therapy" (NCT02393755) names EGFR twice, as the therapy's target both times (misread24)."""
    return any(
        t.id == anchor.id and re.fullmatch(r"\s*\(\s*", c.text[t.end : anchor.start]) is not None for t in targets
    )


_GENERIC = ("mutation", "fusion", "amplification", "expression", "alteration", "positive")
_NEAR = 40  # characters between a gene and the alteration that qualifies it ("BRAF mutation at V600")


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    genes = c.of("GENE")
    alterations = c.of("ALTERATION")
    if not (genes or alterations) or not _GENE_CUE.search(c.text):
        return []
    anchors = [(gene.id, gene) for gene in genes]
    # an alteration that names its gene stands for it: "HER2-positive", "BRAF mutation"
    anchors += [("gene." + a.id.split(".")[1], a) for a in alterations if _names_gene(kb, a)]
    placed: list[tuple[Fact, Mention]] = []
    targets: list[Mention] = []
    for gene_id, anchor in sorted(anchors, key=lambda pair: pair[1].start):
        if _EITHER_RESULT.search(c.clause_text(anchor.start)):
            continue
        if _TARGET_BEFORE.search(c.text, max(0, anchor.start - 50), anchor.start) or _spelt_out(c, anchor, targets):
            targets.append(anchor)
            continue  # "therapies specific for mutated BRAF", "anti-epidermal growth factor receptor (EGFR)": the target
        group = _GROUP_AFTER.match(c.text, anchor.end)
        if group and _GROUP_BEFORE.search(c.text, max(0, anchor.start - 60), anchor.start):
            continue  # "therapy ... for RAS wild-type patients": who the therapy is asked of, not a biomarker asked
        placed.append((_fact(c, kb, gene_id, _qualifier(kb, gene_id, anchor, alterations), anchor), anchor))
    facts = _after_wild_type(c, placed)
    unique: dict[tuple[str, Polarity], Fact] = {}
    for f in facts:  # "BRAF; ... BRAF mutation": one fact per gene, the one naming the most specific alteration
        v = f.values
        assert isinstance(v, BiomarkerValues)
        key = (v.gene, f.polarity)
        if key not in unique or _rank(kb, v) < _rank(kb, unique[key].values):  # type: ignore[arg-type]
            unique[key] = f
    return list(unique.values())


def _after_wild_type(c: CriterionText, placed: list[tuple[Fact, Mention]]) -> list[Fact]:
    """A gene asked wild type first, then named again in a later sentence that spells out what wild type means, is not
    asked mutated there: "Participants classified as KRAS/NRAS wild-type** ... **: Participants with no mutation in
    any of the codons shown below are considered wild type. KRAS: EXON2 (codon 12, 13), ..." (NCT02613221, fresh
    sample 12 S371) asks no KRAS or NRAS mutation."""
    first: dict[str, tuple[Fact, Mention]] = {}
    kept = []
    for f, anchor in placed:
        v = f.values
        assert isinstance(v, BiomarkerValues)
        earlier, at = first.setdefault(v.gene, (f, anchor))
        if (
            earlier is not f
            and earlier.polarity is not f.polarity
            and _WILD_TYPE.search(c.text, max(0, at.start - 25), at.end + 25)
            and re.search(r"[.;:]\s", c.text[at.end : anchor.start])
        ):
            continue  # a later sentence's gene, where the first asked it wild type
        kept.append(f)
    return kept


def _names_gene(kb: KnowledgeBase, alteration: Mention) -> bool:
    gene = kb.genes.get("gene." + alteration.id.split(".")[1])
    return gene is not None and any(
        re.search(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", alteration.text, re.IGNORECASE)
        for name in (gene.gene, *gene.synonyms)
    )


def _qualifier(kb: KnowledgeBase, gene_id: str, anchor: Mention, alterations: list[Mention]) -> Mention | None:
    """The alteration of the gene nearest the anchor, a specific one before a generic one: "BRAF mutation at V600"
    and "activating V600 BRAF mutation" ask for V600, not any BRAF mutation."""
    prefix = "alt." + gene_id.removeprefix("gene.") + "."
    near = [
        a for a in alterations
        if a.id.startswith(prefix) and (a is anchor or min(abs(a.start - anchor.end), abs(anchor.start - a.end)) < _NEAR)
    ]  # fmt: skip
    gene = kb.genes[gene_id]
    return min(
        near,
        key=lambda a: (_generic(next(x for x in gene.alterations if x.id == a.id)), abs(a.start - anchor.start)),
        default=None,
    )


def _rank(kb: KnowledgeBase, v: BiomarkerValues) -> int:
    """0 for a specific alteration, 1 for a generic one, 2 for none."""
    if v.alteration is None:
        return 2
    return int(_generic(next(a for a in kb.genes[v.gene].alterations if a.id == v.alteration)))


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
    spans = (anchor, alteration) if alteration else (anchor,)  # "activating V600 BRAF mutation": V600 comes first
    evidence = c.text[min(m.start for m in spans) : max(m.end for m in spans)]
    return make_fact(FactKind.BIOMARKER, polarity, values, alteration.id if alteration else gene_id, evidence)


def _generic(alteration: Alteration) -> bool:
    return alteration.kind == "any" or alteration.name.lower() in _GENERIC


def _at_codon(mine: Alteration, wanted: Alteration) -> bool:
    """Whether a substitution is one of the mutations at the codon the trial names: V600E is a V600 mutation."""
    return bool(re.fullmatch(r"[A-Z]\d+", wanted.name)) and bool(
        re.fullmatch(re.escape(wanted.name) + "[A-Z]", mine.name)
    )


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
                or _at_codon(mine, wanted)
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
