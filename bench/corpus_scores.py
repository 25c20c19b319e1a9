"""Entity extraction scored against two public annotated corpora of eligibility criteria: Chia and Leaf LCT.

What it measures: our entity step (`matcher.eligibility.pipeline.find_mentions()`: spaCy tokenizer, phrase matchers over
the project's vocabularies) is run over every criterion line of the corpus text; its entities are mapped to the
corpus's entity types by the table below and scored per type with precision, recall and F1, micro-averaged over
the CORE types we claim, in two modes (the definitions of the published Chia numbers, Tian et al. 2021 / Li et
al. 2022):
  STRICT  - a prediction counts only if type, start and end are identical to a gold entity;
  RELAXED - a prediction counts if it overlaps a gold entity of the same type (precision: predictions that
            overlap a gold entity; recall: gold entities overlapped by a prediction).
Offsets: each line is parsed on its own and entity offsets are shifted by the line's start, so they are
character offsets into the .txt file, like the brat .ann spans (CRLF files keep their "\\r"; the 13 Chia spans whose
offsets disagree with their text, mostly by a trailing "\\r", are re-aligned where the text is found within 3
characters, else dropped; discontinuous spans "a b;c d" are scored as their outer extent [min start, max end]).
Also negation: for every gold concept entity, does our polarity logic (matcher.eligibility.text: a negation
cue in the same clause before the entity, a "not allowed" cue after it, and for Chia an exception cue such as
"other than", which Chia annotates as Negation) call it negated? Gold: Chia Has_negation relations, LCT
Negation events. Reported as accuracy (with the all-"not negated" baseline) and P/R/F1 of the negated class.

Mapping (ours -> corpus type; only the corpus types on the right are scored, every other gold type is ignored):

| ours (label / vocabulary id)                                            | Chia         | LCT           |
|-------------------------------------------------------------------------|--------------|---------------|
| DRUG; CLASS naming agents (inhibitor, antibody, agent, platinum, ...)    | Drug         | Drug          |
| CLASS naming a therapy (its words contain therapy / chemo)              | Procedure    | Procedure     |
| concept.surgery, .radiotherapy, .radioiodine, .systemic_therapy,        | Procedure    | Procedure     |
|   .transplant                                                           |              |               |
| HISTOLOGY; concept.brain_metastases, .other_malignancy, .cardiac,       | Condition    | Condition     |
|   .hypertension, .hiv, .hepatitis_b, .hepatitis_c, .hepatitis,          |              |               |
|   .infection, .autoimmune, .bleeding, .gi, .wound, .pregnancy,          |              |               |
|   .breastfeeding, .progression, .measurable, .rai_refractory,           |              |               |
|   .rai_uptake_absent                                                    |              |               |
| concept.hypersensitivity                                                | Condition    | Allergy       |
| LAB; concept.ecog, .karnofsky, .lansky, .performance_status, .qtc,      | Measurement  | Observation   |
|   .lvef                                                                 |              |               |
| concept.life_expectancy                                                 | (Observation, not scored) | Observation |
| concept.age                                                             | (Person, not scored)      | Age         |
| negation cues (_PRE_NEGATION outside "no more than"-type bounds;        | Negation *   | Negation *    |
|   Chia also _EXCEPTION: "other than", "except", "unless")               |              |               |
| numeric thresholds (matcher.eligibility.numbers.thresholds spans)       | Value *      | Eq-Comparison * |
| not scored: GENE, ALTERATION (the corpora split biomarkers over Condition/Measurement/Value/Polarity);      |
|   qualifiers concept.metastatic, .locally_advanced, .advanced, .active_state, .treated_state, .uncontrolled |
|   (Chia Qualifier / LCT Modifier, which we do not claim); concept.contraception, .screening_only,           |
|   .investigational, .concomitant, .recist, .evaluable, .cumulative_activity (no corresponding type)        |
* optional types: reported, but not in the core micro-average.
Why: Chia's guideline calls therapies ("chemotherapy", "radiation therapy") Procedure and substances or agent
classes Drug; diseases, findings and pregnancy are Condition; lab tests, vital signs and scores Measurement.
LCT puts labs, vitals and clinical scores under Observation and has its own Age and Allergy types.

Published numbers (stored in shared/bench/README.md; none is on LCT entity types we could match): Chia NER F1
PubMedBERT 0.622 strict / 0.744 relaxed, clinical RoBERTa 0.658 / 0.798 — models TRAINED on Chia (cross-validation)
over all its entity types; Criteria2Query NER 0.795 and negation accuracy 0.984 on its own corpus, not on Chia.

Run from the repository root (about 10 s):
    .venv/bin/python -m bench.corpus_scores [--corpus chia lct] [--examples 8] [--json out/corpus.json]
The shared folder is $MATCHER_SHARED_DIR, else ../shared (or --shared DIR).
"""

from __future__ import annotations

import argparse
import re
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench._common import add_common_args, machine, print_machine, shared_dir, write_json

# --- the mapping ------------------------------------------------------------------------------------------------

PROCEDURE_CONCEPTS = {"concept.surgery", "concept.radiotherapy", "concept.radioiodine", "concept.systemic_therapy",
                      "concept.transplant"}  # fmt: skip
CONDITION_CONCEPTS = {
    "concept.brain_metastases", "concept.other_malignancy", "concept.cardiac", "concept.hypertension", "concept.hiv",
    "concept.hepatitis_b", "concept.hepatitis_c", "concept.hepatitis", "concept.infection", "concept.autoimmune",
    "concept.bleeding", "concept.gi", "concept.wound", "concept.pregnancy", "concept.breastfeeding",
    "concept.progression", "concept.measurable", "concept.rai_refractory", "concept.rai_uptake_absent",
}  # fmt: skip
MEASUREMENT_CONCEPTS = {"concept.ecog", "concept.karnofsky", "concept.lansky", "concept.performance_status",
                        "concept.qtc", "concept.lvef"}  # fmt: skip
_THERAPY_WORDS = re.compile(r"therap|chemo", re.IGNORECASE)


def _common_type(label: str, entity_id: str, text: str) -> str | None:
    """The corpus-neutral class of one of our entities: drug, procedure, condition, measurement, or None."""
    if label == "DRUG":
        return "drug"
    if label == "CLASS":
        return "procedure" if _THERAPY_WORDS.search(text) else "drug"
    if label == "HISTOLOGY" or entity_id in CONDITION_CONCEPTS:
        return "condition"
    if label == "LAB" or entity_id in MEASUREMENT_CONCEPTS:
        return "measurement"
    if entity_id in PROCEDURE_CONCEPTS:
        return "procedure"
    return None


def chia_type(label: str, entity_id: str, text: str) -> str | None:
    if entity_id == "concept.hypersensitivity":
        return "Condition"
    common = _common_type(label, entity_id, text)
    return {"drug": "Drug", "procedure": "Procedure", "condition": "Condition", "measurement": "Measurement"}.get(
        common or ""
    )


def lct_type(label: str, entity_id: str, text: str) -> str | None:
    if entity_id == "concept.hypersensitivity":
        return "Allergy"
    if entity_id == "concept.life_expectancy":
        return "Observation"
    if entity_id == "concept.age":
        return "Age"
    common = _common_type(label, entity_id, text)
    return {"drug": "Drug", "procedure": "Procedure", "condition": "Condition", "measurement": "Observation"}.get(
        common or ""
    )


@dataclass(frozen=True)
class CorpusSpec:
    name: str
    core: tuple[str, ...]
    negation_type: str
    value_type: str
    concept_types: frozenset[str]  # gold entity types whose negation is scored
    exceptions_negate: bool
    map_entity: Callable[[str, str, str], str | None]


CHIA = CorpusSpec(
    "chia", ("Condition", "Drug", "Procedure", "Measurement"), "Negation", "Value",
    frozenset({"Condition", "Drug", "Procedure", "Measurement", "Observation", "Device", "Visit", "Person"}),
    True, chia_type,
)  # fmt: skip
LCT = CorpusSpec(
    "lct", ("Condition", "Drug", "Procedure", "Observation", "Age", "Allergy"), "Negation", "Eq-Comparison",
    frozenset({"Condition", "Drug", "Procedure", "Observation", "Allergy", "Age"}),
    False, lct_type,
)  # fmt: skip

PUBLISHED: dict[str, list[tuple[Any, ...]]] = {
    "chia": [
        ("PubMedBERT (Li et al. 2022, trained on Chia, 10-fold CV)", 0.622, 0.744),
        ("clinical RoBERTa (Tian et al. 2021, trained on Chia)", 0.658, 0.798),
        ("Criteria2Query NER (Yuan et al. 2019, its own corpus, not Chia)", 0.795, None),
    ],
    "negation": [("Criteria2Query negation detection accuracy (its own corpus)", 0.984)],
}

# --- reading brat -----------------------------------------------------------------------------------------------


@dataclass
class Document:
    name: str
    text: str
    section: str  # "inclusion" | "exclusion" | "mixed" (LCT: headings inside the text)
    entities: dict[str, tuple[str, int, int, str]] = field(default_factory=dict)  # id -> (type, start, end, text)
    negated: set[str] = field(default_factory=set)  # ids of entities the annotators marked negated
    or_groups: list[list[str]] = field(default_factory=list)  # alternatives ("A or B"): Chia "*\tOR", LCT "Or"
    negated_or: set[str] = field(default_factory=set)  # `negated` spread over OR groups


def parse_ann(doc: Document, ann: str, counts: Counter[str]) -> None:
    """Text-bound annotations (outer span of discontinuous ones), Chia Has_negation, LCT Negation events."""
    events: dict[str, str] = {}
    negation_events: list[str] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            head = parts[1].split(" ", 1)
            fragments = [tuple(int(x) for x in f.split()) for f in head[1].split(";")]
            start, end = min(f[0] for f in fragments), max(f[1] for f in fragments)
            gold = parts[2]
            if len(fragments) == 1 and doc.text[start:end] != gold:
                shifts = (0, -1, 1, -2, 2, -3, 3)
                found = next((start + d for d in shifts if doc.text[start + d : start + d + len(gold)] == gold), None)
                if found is None:
                    counts["unaligned_spans"] += 1
                    continue
                start, end = found, found + len(gold)
                counts["realigned_spans"] += 1
            doc.entities[parts[0]] = (head[0], start, end, gold)
        elif line.startswith("E") and len(parts) >= 2:
            args = parts[1].split()
            kind, trigger = args[0].split(":", 1)
            events[parts[0]] = trigger
            if kind == "Negation":
                negation_events.extend(a.split(":", 1)[1] for a in args[1:] if a.startswith("Negates"))
        elif line.startswith("*") and len(parts) >= 2 and parts[1].startswith("OR "):
            doc.or_groups.append(parts[1].split()[1:])
        elif line.startswith("R") and len(parts) >= 2 and parts[1].startswith(("OR ", "Or ")):
            doc.or_groups.append([a.split(":", 1)[1] for a in parts[1].split()[1:]])
        elif line.startswith("R") and len(parts) >= 2 and parts[1].startswith("Has_negation"):
            # Arg1 is the negated entity, Arg2 the cue; keep both here, the cue is dropped below by its type
            # (relations may come before their entities in the file).
            doc.negated.update(a.split(":", 1)[1] for a in parts[1].split()[1:])
    for target in negation_events:
        doc.negated.add(events.get(target, target))
    doc.negated = {i for i in doc.negated if i in doc.entities and doc.entities[i][0] != "Negation"}
    doc.or_groups = [[events.get(i, i) for i in group] for group in doc.or_groups]  # LCT: event -> its trigger
    # "No A or B": the annotators link the cue to one member of an OR group; the propagated variant negates all.
    doc.negated_or = set(doc.negated)
    changed = True
    while changed:
        changed = False
        for group in doc.or_groups:
            if doc.negated_or & set(group) and not set(group) <= doc.negated_or:
                doc.negated_or |= {i for i in group if i in doc.entities}
                changed = True


def read_chia(shared: Path, counts: Counter[str]) -> list[Document]:
    docs = []
    with zipfile.ZipFile(shared / "bench" / "chia" / "chia_without_scope.zip") as archive:
        for name in sorted(n for n in archive.namelist() if n.endswith(".txt")):
            text = archive.read(name).decode("utf-8")
            section = "exclusion" if name.endswith("_exc.txt") else "inclusion"
            doc = Document(Path(name).stem, text, section)
            parse_ann(doc, archive.read(name[:-4] + ".ann").decode("utf-8"), counts)
            docs.append(doc)
    return docs


def read_lct(shared: Path, counts: Counter[str]) -> list[Document]:
    folder = shared / "bench" / "lct_corpus" / "ner" / "nic"
    seen: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.txt")):
        seen.setdefault(path.name, path)
    docs = []
    for name, path in sorted(seen.items()):
        doc = Document(Path(name).stem, path.read_bytes().decode("utf-8"), "mixed")
        parse_ann(doc, path.with_suffix(".ann").read_text(encoding="utf-8"), counts)
        docs.append(doc)
    return docs


def lines(doc: Document) -> Iterator[tuple[int, str, str]]:
    """(offset, line, section) for every non-empty line; LCT sections follow the text's own headings."""
    from matcher.eligibility.segment import header_of

    section = "inclusion" if doc.section == "mixed" else doc.section
    offset = 0
    for raw in doc.text.split("\n"):
        line = raw.rstrip("\r")
        if doc.section == "mixed":
            header = header_of(line)
            if header is not None and header[0] is not None:
                section = header[0].value
        if line.strip():
            yield offset, line, section
        offset += len(raw) + 1


# --- scoring ----------------------------------------------------------------------------------------------------

Span = tuple[str, int, int]  # (type, start, end)


@dataclass
class TypeScore:
    gold: int = 0
    pred: int = 0
    strict_tp: int = 0
    relaxed_pred_hits: int = 0
    relaxed_gold_hits: int = 0

    def add(self, other: TypeScore) -> None:
        self.gold += other.gold
        self.pred += other.pred
        self.strict_tp += other.strict_tp
        self.relaxed_pred_hits += other.relaxed_pred_hits
        self.relaxed_gold_hits += other.relaxed_gold_hits

    def scores(self) -> dict[str, Any]:
        def prf(p_hits: int, g_hits: int) -> dict[str, float]:
            p = p_hits / self.pred if self.pred else 0.0
            r = g_hits / self.gold if self.gold else 0.0
            return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}

        return {
            "gold": self.gold,
            "pred": self.pred,
            "strict": prf(self.strict_tp, self.strict_tp),
            "relaxed": prf(self.relaxed_pred_hits, self.relaxed_gold_hits),
        }


def score_doc(gold: set[Span], pred: set[Span], scores: dict[str, TypeScore], misses: dict[str, Counter[str]],
              spurious: dict[str, Counter[str]], text: str) -> None:  # fmt: skip
    by_type_gold: dict[str, list[Span]] = defaultdict(list)
    by_type_pred: dict[str, list[Span]] = defaultdict(list)
    for span in gold:
        by_type_gold[span[0]].append(span)
    for span in pred:
        by_type_pred[span[0]].append(span)
    for kind in set(by_type_gold) | set(by_type_pred):
        g, p = by_type_gold.get(kind, []), by_type_pred.get(kind, [])
        s = scores[kind]
        s.gold += len(g)
        s.pred += len(p)
        s.strict_tp += len(set(g) & set(p))
        for _, a, b in p:
            if any(ga < b and a < gb for _, ga, gb in g):
                s.relaxed_pred_hits += 1
            else:
                spurious[kind][text[a:b].lower()] += 1
        for _, ga, gb in g:
            if any(ga < b and a < gb for _, a, b in p):
                s.relaxed_gold_hits += 1
            else:
                misses[kind][" ".join(text[ga:gb].lower().split())] += 1


@dataclass
class NegationScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    skipped: int = 0

    def result(self) -> dict[str, Any]:
        total = self.tp + self.fp + self.fn + self.tn
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return {
            "entities": total,
            "gold_negated": self.tp + self.fn,
            "accuracy": (self.tp + self.tn) / total if total else 0.0,
            "baseline_accuracy_all_not_negated": (self.fp + self.tn) / total if total else 0.0,
            "negated_p": p,
            "negated_r": r,
            "negated_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "skipped_cross_line": self.skipped,
        }


def _cue(criterion: Any, mention: Any, text: str, pre: re.Pattern[str], exception: re.Pattern[str]) -> str:
    """The words that made our logic call a mention negated: the nearest cue before it in its clause, else after."""
    low, high = criterion.clause(mention.start)
    starts = [start for start, _ in criterion.negations] + [start for start, _ in criterion.exceptions]
    before = [c for c in starts if low <= c < mention.start]
    if before:
        position = max(before)
        match = pre.match(text, position) or exception.match(text, position)
        return match.group(0).lower() if match else "?"
    after = [c for c in criterion.post_negations if mention.end <= c < high]
    return "after: " + text[after[0] : after[0] + 20].lower().strip() if after else "?"


def evaluate(spec: CorpusSpec, docs: list[Document], examples: int) -> dict[str, Any]:
    from matcher.eligibility import numbers
    from matcher.eligibility.criteria import Section
    from matcher.eligibility.pipeline import find_mentions
    from matcher.eligibility.text import _BOUND, _EXCEPTION, _PRE_NEGATION, Mention
    from matcher.eligibility.text import CriterionText as _Criterion

    scored_types = {*spec.core, spec.negation_type, spec.value_type}
    scores: dict[str, TypeScore] = defaultdict(TypeScore)
    misses: dict[str, Counter[str]] = defaultdict(Counter)
    spurious: dict[str, Counter[str]] = defaultdict(Counter)
    negation = NegationScore()
    negation_or = NegationScore()
    false_cues: Counter[str] = Counter()  # the cue behind each "negated" call the annotators did not make
    gold_types: Counter[str] = Counter()
    n_lines = 0
    for doc in docs:
        line_list = list(lines(doc))
        n_lines += len(line_list)
        pred: set[Span] = set()
        line_of: list[tuple[int, int, str, str, list[Mention]]] = []
        for (offset, line, section), found in zip(line_list, find_mentions([t for _, t, _ in line_list]), strict=True):
            line_of.append((offset, offset + len(line), section, line, found))
            for ent in found:
                kind = spec.map_entity(ent.label, ent.id, ent.text)
                if kind:
                    pred.add((kind, offset + ent.start, offset + ent.end))
            bounds = [m.span() for m in _BOUND.finditer(line)]
            cues = [m.span() for m in _PRE_NEGATION.finditer(line) if not any(a <= m.start() < b for a, b in bounds)]
            if spec.exceptions_negate:
                cues += [m.span() for m in _EXCEPTION.finditer(line)]
            pred.update((spec.negation_type, offset + a, offset + b) for a, b in cues)
            for t in numbers.thresholds(line):
                if t.value is not None or t.uln is not None or t.lln is not None:
                    text = line[t.start : t.end]
                    start = t.start + len(text) - len(text.lstrip())
                    pred.add((spec.value_type, offset + start, offset + t.start + len(text.rstrip())))
        gold: set[Span] = set()
        for kind, start, end, _ in doc.entities.values():
            gold_types[kind] += 1
            if kind in scored_types:
                gold.add((kind, start, end))
        score_doc(gold, pred, scores, misses, spurious, doc.text)
        # negation: our polarity logic applied to the gold entity spans
        for entity_id, (kind, start, end, text) in doc.entities.items():
            if kind not in spec.concept_types:
                continue
            where = next((x for x in line_of if x[0] <= start and end <= x[1]), None)
            if where is None:
                negation.skipped += 1
                continue
            low, _, section, line, found = where
            criterion = _Criterion(line, found, Section(section))
            mention = Mention(kind, "", start - low, end - low, text)
            _, clause_end = criterion.clause(mention.start)
            predicted = criterion.negated(mention) or any(
                mention.end <= cue < clause_end for cue in criterion.post_negations
            )
            if spec.exceptions_negate:
                predicted = predicted or criterion.excepted(mention)
            if predicted and entity_id not in doc.negated:
                false_cues[_cue(criterion, mention, line, _PRE_NEGATION, _EXCEPTION)] += 1
            for tally, actual in ((negation, entity_id in doc.negated), (negation_or, entity_id in doc.negated_or)):
                if predicted and actual:
                    tally.tp += 1
                elif predicted:
                    tally.fp += 1
                elif actual:
                    tally.fn += 1
                else:
                    tally.tn += 1
    micro = TypeScore()
    for kind in spec.core:
        micro.add(scores[kind])
    all_entities = sum(gold_types.values())
    core_gold = sum(gold_types[k] for k in spec.core)
    return {
        "documents": len(docs),
        "lines": n_lines,
        "gold_entities_all_types": all_entities,
        "gold_entities_core_types": core_gold,
        "gold_types": dict(gold_types.most_common()),
        "types": {kind: scores[kind].scores() for kind in (*spec.core, spec.negation_type, spec.value_type)},
        "micro_core": micro.scores(),
        "negation": negation.result(),
        "negation_or_propagated": negation_or.result(),
        "negation_false_positive_cues": false_cues.most_common(12),
        "top_missed": {k: misses[k].most_common(examples) for k in (*spec.core, spec.negation_type)},
        "top_spurious": {k: spurious[k].most_common(examples) for k in (*spec.core, spec.negation_type)},
    }


def print_report(spec: CorpusSpec, result: dict[str, Any], counts: Counter[str], seconds: float) -> None:
    print(f"\n=== {spec.name.upper()} ===")
    print(
        f"documents {result['documents']}, criterion lines {result['lines']}, "
        f"gold entities {result['gold_entities_all_types']} of which core types {result['gold_entities_core_types']} "
        f"({100 * result['gold_entities_core_types'] / max(1, result['gold_entities_all_types']):.0f}%); "
        f"spans re-aligned {counts['realigned_spans']}, dropped {counts['unaligned_spans']}; {seconds:.1f} s"
    )
    print(f"{'type':<15}{'gold':>7}{'pred':>7} | {'strict P':>9}{'R':>7}{'F1':>7} | {'relaxed P':>10}{'R':>7}{'F1':>7}")

    def row(name: str, s: dict[str, Any]) -> None:
        st, rl = s["strict"], s["relaxed"]
        print(
            f"{name:<15}{s['gold']:>7}{s['pred']:>7} | {st['p']:>9.3f}{st['r']:>7.3f}{st['f1']:>7.3f} | "
            f"{rl['p']:>10.3f}{rl['r']:>7.3f}{rl['f1']:>7.3f}"
        )

    for kind in spec.core:
        row(kind, result["types"][kind])
    row("micro (core)", result["micro_core"])
    for kind in (spec.negation_type, spec.value_type):
        row(f"{kind} *"[:15], result["types"][kind])
    print("* optional, not in the micro-average")
    if spec.name == "chia":
        print("published (Chia, all entity types, models trained on Chia):")
        for name, strict, relaxed in PUBLISHED["chia"]:
            scores = f"strict {strict:.3f}  relaxed {relaxed:.3f}" if relaxed else f"F1 {strict:.3f}"
            print(f"  {name:<66} {scores}")
    neg = result["negation"]
    print(
        f"negation of the {neg['entities']} gold concept entities ({neg['skipped_cross_line']} spanning lines skipped)"
    )
    for label, neg in (
        ("as annotated", result["negation"]),
        ("spread over OR groups", result["negation_or_propagated"]),
    ):
        print(
            f"  gold {label:<22} {neg['gold_negated']:>5} negated: accuracy {neg['accuracy']:.3f} "
            f"(all-'not negated' baseline {neg['baseline_accuracy_all_not_negated']:.3f}); negated class "
            f"P {neg['negated_p']:.3f} R {neg['negated_r']:.3f} F1 {neg['negated_f1']:.3f}"
        )
    cues = ", ".join(f"{cue} ({n})" for cue, n in result["negation_false_positive_cues"])
    print(f"  cues behind our 'negated' calls the annotators did not make: {cues}")
    if spec.name == "chia":
        for name, value in PUBLISHED["negation"]:
            print(f"  published: {name} {value:.3f}")
    print("most frequent misses (gold text not overlapped by a prediction of its type):")
    for kind, rows in result["top_missed"].items():
        print(f"  {kind:<12} " + "; ".join(f"{text[:30]} ({n})" for text, n in rows))
    print("most frequent spurious predictions (no gold entity of the type overlaps):")
    for kind, rows in result["top_spurious"].items():
        print(f"  {kind:<12} " + "; ".join(f"{text[:30]} ({n})" for text, n in rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument("--corpus", nargs="+", choices=["chia", "lct"], default=["chia", "lct"])
    parser.add_argument("--examples", type=int, default=8, help="misses / spurious texts listed per type")
    args = parser.parse_args(argv)
    shared = shared_dir(args)
    info = machine()
    print("corpus scores — entity extraction of build_nlp() against Chia and Leaf LCT (brat)")
    print_machine(info)
    from matcher.eligibility import parser_version

    print(f"parser version {parser_version()}; shared data {shared}")
    results: dict[str, Any] = {"machine": info, "parser_version": parser_version(), "published": PUBLISHED}
    for name in args.corpus:
        spec = CHIA if name == "chia" else LCT
        counts: Counter[str] = Counter()
        started = time.perf_counter()
        docs = read_chia(shared, counts) if name == "chia" else read_lct(shared, counts)
        result = evaluate(spec, docs, args.examples)
        seconds = time.perf_counter() - started
        result["spans_realigned"] = counts["realigned_spans"]
        result["spans_dropped"] = counts["unaligned_spans"]
        results[name] = result
        print_report(spec, result, counts, seconds)
    write_json(args.json, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
