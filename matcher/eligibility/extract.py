"""Facts from one criterion: spaCy's entities (vocabulary ids) plus eligibility idiom (negation, bounds, windows).

Polarity: an inclusion criterion asks for what it names, an exclusion criterion for its absence; a negation cue
("no", "without", "must not", "is not allowed") flips that. Bounds ("no more than", "at least") are not
negations. What follows "other than" / "except" / "unless" is an exception, not part of the fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section
from matcher.knowledge_base import KnowledgeBase

if TYPE_CHECKING:
    from spacy.tokens import Doc

_PRE_NEGATION = re.compile(
    r"\b(?:no|not|without|never|neither|nor|none|absence of|free of|negative for|lack of|must not|should not|"
    r"cannot|can not|may not|did not|does not|do not|has not|have not|had not|is not|are not|non)\b",
    re.IGNORECASE,
)
_BOUND = re.compile(
    r"\b(?:no|not)\s+(?:more|less|greater|fewer|higher|lower|later|earlier|exceed\w*|to\s+exceed)\b|"
    r"\b(?:does|do|must|should)\s+not\s+exceed\b|\bnot\s+(?:only|necessarily|limited)\b|\bno\s+longer\b",
    re.IGNORECASE,
)
_POST_NEGATION = re.compile(
    r"\b(?:(?:is|are|will be|be)\s+not\s+(?:allowed|permitted|eligible)|prohibited|not allowed|not permitted|"
    r"disallowed|ineligible)\b",
    re.IGNORECASE,
)
_EXCEPTION = re.compile(
    r"\b(?:other than|except(?:\s+for)?|excluding|with the exception of|unless|apart from|besides|but not)\b", re.I
)
_PERMISSION = re.compile(
    r"\b(?:(?:is|are|be|remain|remains|considered)\s+eligible|allowed|permitted|acceptable|"
    r"may (?:be )?(?:enrolled|enroll|enrol|included|considered|participate|have)|"
    r"can (?:be )?(?:enrolled|enroll|enrol|included|participate))\b",
    re.I,
)
_NOT_PERMITTED = re.compile(
    r"\b(?:not|in)\s*eligible|ineligible|not\s+(?:be\s+)?(?:allowed|permitted|acceptable)", re.I
)
_CONDITIONAL = re.compile(
    r"\b(?:that|which|who)\s+(?:have|has|had)\s+(?:had|received|been|undergone)\b|\bif\b|\bwhen\b", re.I
)
_SUBGROUP = re.compile(r"\b(?:women|woman|female|females|men|male|males|children|pediatric|paediatric)\b", re.I)
_CLAUSE_BREAK = re.compile(r";|(?<=[a-z)\]])\.\s+(?=[A-Z])|\s+but\s+|\bhowever\b", re.IGNORECASE)
_THERAPY_CUE = re.compile(
    r"\b(?:prior|previous|previously|received|receiving|receipt|treated|treatment|therapy|therapies|exposure|"
    r"exposed|administ\w+|given|history|progressed|progression|underwent|undergone|use|line|lines|regimens?|"
    r"within|since|naive|naïve|refractory|intolerant|failed|failure)\b",
    re.IGNORECASE,
)
_PROGRESSED_ON = re.compile(
    r"\b(?:progress\w*|PD|refractory|failed|failure|intoleran\w*)\b[^.;]{0,40}?\b(?:on|after|following|during|to|despite|with)\b",
    re.IGNORECASE,
)
_DIAGNOSIS_CUE = re.compile(
    r"\b(?:histolog\w*|cytolog\w*|confirm\w*|diagnos\w*|patients with|subjects with|participants with|subtypes?|"
    r"variants?|carcinoma|cancer|tumou?rs?|malignan\w*|neoplasm)\b",
    re.IGNORECASE,
)
_GENE_CUE = re.compile(
    r"\b(?:mutat\w*|fusions?|rearrang\w*|alteration\w*|altered|amplif\w*|positive|negative|wild[- ]?type|"
    r"express\w*|variant|translocation|exon|gene|-driven|activating)\b",
    re.IGNORECASE,
)
_WILD_TYPE = re.compile(r"\b(?:wild[- ]?type|negative for|non-mutated|without)\b", re.IGNORECASE)
_QTCF = re.compile(r"\bQTcF\b|Fridericia", re.IGNORECASE)
_SYSTOLIC = re.compile(r"systolic|SBP", re.IGNORECASE)
_DIASTOLIC = re.compile(r"diastolic|DBP", re.IGNORECASE)
_RECIST = re.compile(r"\bRECIST\b", re.IGNORECASE)
_AGE = [
    re.compile(r"\b(?:age[d]?|age of)\s*(?:of\s*|is\s*|must be\s*)?" + numbers.OPERATOR + r"?\s*(?P<n>\d{1,3})\b", re.I),
    re.compile(numbers.OPERATOR + r"\s*(?P<n>\d{1,3})\s*(?:years?|yrs?)\b", re.I),
    re.compile(r"(?P<n>\d{1,3})\s*(?:years?|yrs?)(?:\s*of\s*age|\s*old)?\s*(?:or|and)\s*(?P<dir>older|above|over|greater|more|younger|less|below|under)\b", re.I),
]  # fmt: skip
_AGE_BETWEEN = re.compile(r"between\s*(?P<a>\d{1,3})\s*(?:years?\s*)?(?:and|-|to)\s*(?P<b>\d{1,3})\s*years", re.I)
_NYHA = re.compile(r"(?:NYHA|New York Heart Association)[^.;]{0,20}?class\s*(?P<c>IV|III|II|I|[1-4])", re.I)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_DIGITS_0_5 = re.compile(r"(?<![\d.])[0-5](?![\d.%])")
_CUMULATIVE = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>mCi|GBq|gigabequerels?|MBq)", re.IGNORECASE)

THERAPY_LABELS = {"DRUG", "CLASS"}
THERAPY_CONCEPTS = {
    "concept.systemic_therapy": "systemic",
    "concept.investigational": "investigational",
    "concept.surgery": "surgery",
    "concept.radiotherapy": "radiotherapy",
    "concept.radioiodine": "radioiodine",
}


@dataclass(frozen=True)
class Mention:
    label: str
    id: str
    start: int
    end: int
    text: str


def permits(text: str) -> bool:
    """ "... are eligible", "may be enrolled", "is allowed" - and not "are not eligible"."""
    return bool(_PERMISSION.search(text)) and not _NOT_PERMITTED.search(text)


class _Criterion:
    """One criterion's text, entities, clauses and cues, with helpers for polarity."""

    def __init__(self, doc: Doc, section: Section) -> None:
        self.text = doc.text
        self.section = section
        self.mentions = [Mention(e.label_, e.ent_id_, e.start_char, e.end_char, e.text) for e in doc.ents]
        self.breaks = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(self.text)), len(self.text) + 1]
        bounds = [m.span() for m in _BOUND.finditer(self.text)]
        self.negations = [
            m.start() for m in _PRE_NEGATION.finditer(self.text) if not any(a <= m.start() < b for a, b in bounds)
        ]
        self.post_negations = [m.start() for m in _POST_NEGATION.finditer(self.text)]
        self.exceptions = [m.start() for m in _EXCEPTION.finditer(self.text)]

    def clause(self, position: int) -> tuple[int, int]:
        for low, high in zip(self.breaks, self.breaks[1:], strict=False):
            if low <= position < high:
                return low, min(high, len(self.text))
        return 0, len(self.text)

    def clause_text(self, position: int) -> str:
        low, high = self.clause(position)
        return self.text[low:high]

    def excepted(self, mention: Mention) -> bool:
        low, _ = self.clause(mention.start)
        return any(low <= cue < mention.start for cue in self.exceptions)

    def negated(self, mention: Mention) -> bool:
        low, _ = self.clause(mention.start)
        last_exception = max((c for c in self.exceptions if low <= c < mention.start), default=-1)
        return any(max(low, last_exception) <= cue < mention.start for cue in self.negations)

    def polarity(self, mention: Mention) -> Polarity:
        _, high = self.clause(mention.start)
        if any(mention.end <= cue < high for cue in self.post_negations):
            return Polarity.EXCLUDE
        default = Polarity.REQUIRE if self.section is Section.INCLUSION else Polarity.EXCLUDE
        return default.flipped() if self.negated(mention) else default

    def of(self, label: str, *ids: str) -> list[Mention]:
        return [m for m in self.mentions if m.label == label and (not ids or m.id in ids) and not self.excepted(m)]

    def has(self, concept: str) -> bool:
        return any(m.id == concept for m in self.mentions)


def _fact(kind: FactKind, polarity: Polarity, values: dict[str, Any], rule: str, evidence: str) -> Fact:
    return Fact(kind, polarity, values, rule, evidence.strip())


def _age(c: _Criterion) -> list[Fact]:
    if not c.has("concept.age") and "year" not in c.text.lower():
        return []
    subgroup = ("concept.lansky", "concept.pregnancy", "concept.contraception", "concept.breastfeeding")
    if _SUBGROUP.search(c.text) or any(c.has(concept) for concept in subgroup):
        return []  # "women < 50 years of age must ...", "Lansky (age < 16)": an age that picks a subgroup
    between = _AGE_BETWEEN.search(c.text)
    if between:
        values = {"min_years": int(between.group("a")), "max_years": int(between.group("b"))}
        return [_fact(FactKind.AGE, Polarity.REQUIRE, values, "rule.age.between", between.group(0))]
    for pattern in _AGE:
        match = pattern.search(c.text)
        if not match or not (c.has("concept.age") or pattern is not _AGE[0]):
            continue
        n = int(match.group("n"))
        if "dir" in pattern.groupindex:
            op = ">=" if match.group("dir").lower() in ("older", "above", "over", "greater", "more") else "<="
        else:
            op = numbers.operator_for(match.group("op") or "") or ">="
        if op == "=" or not 0 < n < 120 or (pattern is _AGE[1] and not c.has("concept.age")):
            continue
        polarity = Polarity.REQUIRE if c.section is Section.INCLUSION else Polarity.EXCLUDE
        return [_fact(FactKind.AGE, polarity, {"op": op, "years": n}, "rule.age.threshold", match.group(0))]
    return []


def _performance(c: _Criterion) -> list[Fact]:
    scales = [m for m in c.mentions if m.id in ("concept.ecog", "concept.karnofsky", "concept.lansky",
                                                "concept.performance_status")]  # fmt: skip
    if not scales:
        return []
    first = scales[0]
    tail = c.text[first.start : first.start + 120]
    scale = "karnofsky" if any(m.id == "concept.karnofsky" for m in scales) else "ecog"
    if any(m.id == "concept.lansky" for m in scales) and scale != "karnofsky":
        scale = "lansky"
    values: dict[str, Any] = {"scale": scale}
    found = numbers.thresholds(tail)
    if scale in ("karnofsky", "lansky") or (found and (found[0].value or 0) > 5):
        values["scale"] = "karnofsky" if scale == "ecog" else scale
        if found and found[0].value is not None:
            values["min" if found[0].op in (">=", ">") else "max"] = found[0].value + (10 if found[0].op == ">" else 0)
    elif found and found[0].value is not None and found[0].value <= 5:
        v = int(found[0].value)
        values["max"] = v - 1 if found[0].op == "<" else v
        if found[0].op in (">=", ">"):
            values = {"scale": "ecog", "min": v}
    else:
        span = numbers.RANGE.search(tail)
        digits = [int(d) for d in _DIGITS_0_5.findall(re.sub(r"\b(?:1\.1|v\d)\b", "", tail))]
        if span and float(span.group("b")) <= 5:
            values["min"], values["max"] = int(float(span.group("a"))), int(float(span.group("b")))
        elif digits:
            values["min"], values["max"] = min(digits), max(digits)
        else:
            return []
    if values.get("min") == 0:
        values.pop("min")
    if len(values) == 1:
        return []
    return [_fact(FactKind.PERFORMANCE_STATUS, c.polarity(first), values, first.id, tail[:60])]


def _simple(kind: FactKind, concept: str, values: Callable[[_Criterion, Mention], dict[str, Any]] | None = None):  # type: ignore[no-untyped-def]
    def extract(c: _Criterion) -> list[Fact]:
        mentions = c.of("CONCEPT", concept)
        if not mentions:
            return []
        first = mentions[0]
        found = values(c, first) if values else {}
        if found is None:
            return []
        return [_fact(kind, c.polarity(first), found, concept, first.text)]

    return extract


def _window_months(c: _Criterion, m: Mention) -> dict[str, Any]:
    window = numbers.window_days(c.text[m.start :]) or numbers.window_days(c.clause_text(m.start))
    return {"within_months": numbers.months(window[0])} if window else {}


def _life_expectancy(c: _Criterion, m: Mention) -> dict[str, Any]:
    window = numbers.window_days(c.text[m.start :])
    return {"min_months": numbers.months(window[0])} if window else {}


def _histology(c: _Criterion) -> list[Fact]:
    mentions = c.of("HISTOLOGY")
    if not mentions or not _DIAGNOSIS_CUE.search(c.text):
        return []
    if c.section is Section.INCLUSION and permits(c.text):
        return []  # "patients with MTC may be enrolled in cohort 2": a permission, not a requirement
    mentions = [m for m in mentions if not permits(c.clause_text(m.start))]  # "However, ... are eligible"
    facts = []
    for polarity in (Polarity.REQUIRE, Polarity.EXCLUDE):
        chosen = [m for m in mentions if c.polarity(m) is polarity]
        specific = [m for m in chosen if m.id != "hist.thyroid_cancer"]
        if specific or polarity is Polarity.EXCLUDE:
            chosen = specific  # "thyroid cancer" alongside subtypes adds nothing; in an exclusion it is context
        if chosen:
            ids = list(dict.fromkeys(m.id for m in chosen))
            evidence = ", ".join(dict.fromkeys(m.text for m in chosen))
            facts.append(_fact(FactKind.HISTOLOGY, polarity, {"histologies": ids}, ids[0], evidence))
    return facts


def _extent(c: _Criterion) -> list[Fact]:
    other = THERAPY_LABELS | {"LAB", "GENE", "ALTERATION"}
    if c.section is not Section.INCLUSION or any(m.label in other for m in c.mentions):
        return []
    kinds = {"concept.metastatic": "metastatic", "concept.locally_advanced": "locally_advanced",
             "concept.advanced": "advanced"}  # fmt: skip
    mentions = [m for m in c.mentions if m.id in kinds and not c.excepted(m)]
    if not mentions or c.has("concept.brain_metastases") or c.has("concept.other_malignancy"):
        return []
    extents = list(dict.fromkeys(kinds[m.id] for m in mentions))
    evidence = ", ".join(dict.fromkeys(m.text for m in mentions))
    return [_fact(FactKind.DISEASE_EXTENT, c.polarity(mentions[0]), {"any_of": extents}, mentions[0].id, evidence)]


def _rai(c: _Criterion) -> list[Fact]:
    facts = []
    refractory = c.of("CONCEPT", "concept.rai_refractory")
    if refractory:
        facts.append(_fact(FactKind.RAI_REFRACTORY, c.polarity(refractory[0]), {"definition": "stated"},
                           refractory[0].id, refractory[0].text))  # fmt: skip
    uptake = c.of("CONCEPT", "concept.rai_uptake_absent")
    if uptake:
        facts.append(_fact(FactKind.RAI_REFRACTORY, c.polarity(uptake[0]), {"definition": "no_uptake"},
                           uptake[0].id, uptake[0].text))  # fmt: skip
    activity = _CUMULATIVE.search(c.text)
    if activity and (c.has("concept.cumulative_activity") or c.has("concept.radioiodine")):
        value = float(activity.group("n"))
        unit = activity.group("u").lower()
        mci = value if unit == "mci" else value * 27.027 if unit.startswith("g") else value / 37.0
        facts.append(_fact(FactKind.RAI_REFRACTORY, Polarity.REQUIRE if c.section is Section.INCLUSION
                           else Polarity.EXCLUDE, {"definition": "cumulative_activity", "min_mci": round(mci)},
                           "concept.cumulative_activity", activity.group(0)))  # fmt: skip
    progression = c.of("CONCEPT", "concept.progression")
    if progression and c.has("concept.radioiodine") and not refractory and c.section is Section.INCLUSION:
        values = {"definition": "progression_after_rai", **_window_months(c, progression[0])}
        facts.append(_fact(FactKind.RAI_REFRACTORY, c.polarity(progression[0]), values, "rule.rai.progression",
                           progression[0].text))  # fmt: skip
    return facts


def _progression(c: _Criterion) -> list[Fact]:
    if c.section is not Section.INCLUSION or c.has("concept.radioiodine") or c.has("concept.brain_metastases"):
        return []
    for m in c.of("CONCEPT", "concept.progression"):
        after = c.text[m.start : m.start + 60]
        if _PROGRESSED_ON.match(after) and any(x.label in THERAPY_LABELS and x.start > m.start for x in c.mentions):
            continue  # "progressed on lenvatinib" belongs to the prior-therapy fact
        values: dict[str, Any] = _window_months(c, m)
        if _RECIST.search(c.text):
            values["recist"] = True
        return [_fact(FactKind.PROGRESSION, c.polarity(m), values, m.id, m.text)]
    return []


def _measurable(c: _Criterion) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.measurable")
    if not mentions:
        return []
    values: dict[str, Any] = {"recist": bool(_RECIST.search(c.text))}
    if c.has("concept.evaluable") or "evaluable" in mentions[0].text.lower():
        values["evaluable_ok"] = True
    return [_fact(FactKind.MEASURABLE_DISEASE, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]


def _biomarkers(c: _Criterion, kb: KnowledgeBase) -> list[Fact]:
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
        facts.append(_biomarker_fact(c, kb, gene.id, alteration, gene))
    for alteration in alterations:
        gene_id = "gene." + alteration.id.split(".")[1]
        gene_name = kb.genes[gene_id].gene if gene_id in kb.genes else ""
        if alteration.start not in used and gene_name and gene_name.lower() in alteration.text.lower():
            facts.append(_biomarker_fact(c, kb, gene_id, alteration, alteration))
    unique = {(f.values["gene"], f.values.get("alteration"), f.polarity): f for f in facts}
    return list(unique.values())


def _biomarker_fact(
    c: _Criterion, kb: KnowledgeBase, gene_id: str, alteration: Mention | None, anchor: Mention
) -> Fact:
    polarity = c.polarity(anchor)
    window = c.text[max(0, anchor.start - 25) : anchor.end + 25]
    if _WILD_TYPE.search(window) and not c.negated(anchor):
        polarity = polarity.flipped()
    values: dict[str, Any] = {"gene": gene_id, "gene_name": kb.genes[gene_id].gene}
    if alteration is not None:
        values["alteration"] = alteration.id
        values["alteration_name"] = next(a.name for a in kb.genes[gene_id].alterations if a.id == alteration.id)
    evidence = c.text[anchor.start : (alteration.end if alteration else anchor.end)]
    return _fact(FactKind.BIOMARKER, polarity, values, alteration.id if alteration else gene_id, evidence)


def _therapy(c: _Criterion) -> list[Fact]:
    candidates = [m for m in c.mentions if m.label in THERAPY_LABELS or m.id in THERAPY_CONCEPTS]
    if not candidates or not _THERAPY_CUE.search(c.text) or c.has("concept.hypersensitivity"):
        return []
    if c.has("concept.pregnancy") or c.has("concept.breastfeeding"):
        return []  # "not pregnant, because this study involves an investigational agent"
    facts = []
    by_clause: dict[tuple[int, int], list[Mention]] = {}
    for m in candidates:
        by_clause.setdefault(c.clause(m.start), []).append(m)
    for (low, high), mentions in by_clause.items():
        clause = c.text[low:high]
        kept = [m for m in mentions if not c.excepted(m)]
        if not kept:
            continue
        values: dict[str, Any] = {
            "drugs": sorted({m.id for m in kept if m.label == "DRUG"}),
            "classes": sorted({m.id for m in kept if m.label == "CLASS"}),
            "categories": sorted({THERAPY_CONCEPTS[m.id] for m in kept if m.id in THERAPY_CONCEPTS}),
        }
        exceptions = [m for m in mentions if c.excepted(m) and m.label in THERAPY_LABELS]
        if exceptions:
            values["except_drugs"] = sorted({m.id for m in exceptions if m.label == "DRUG"})
            values["except_classes"] = sorted({m.id for m in exceptions if m.label == "CLASS"})
        low_count, high_count = numbers.count_bounds(clause)
        values["min_count"] = 1 if low_count is None else low_count
        if high_count is not None:
            values["max_count"] = high_count
        polarity = c.polarity(kept[0])
        window = numbers.window_days(clause)
        permission = c.section is Section.INCLUSION and permits(clause)
        if c.section is Section.INCLUSION and _CONDITIONAL.search(c.text[low : kept[0].start]):
            continue  # "lesions that have had radiotherapy must show progression": a condition, not a requirement
        if permission and not window:
            continue  # "prior radiotherapy is allowed": no requirement
        if window:
            values["within_days"] = window[0]
            if (window[1] or permission) and polarity is Polarity.REQUIRE:
                polarity = Polarity.EXCLUDE  # "at least 4 weeks since prior X", "X allowed if stopped 14 days before"
        if _PROGRESSED_ON.search(clause):
            values["progressed"] = True
        if c.has("concept.concomitant"):
            values["ongoing"] = True
        rule = kept[0].id
        facts.append(_fact(FactKind.PRIOR_THERAPY, polarity, values, rule, clause))
    return facts


def _labs(c: _Criterion, kb: KnowledgeBase) -> list[Fact]:
    labs = c.of("LAB")
    if not labs:
        return []
    facts: list[Fact] = []
    pending: list[Mention] = []
    seen: set[str] = set()
    found = numbers.thresholds(c.text)
    last_end = -1
    for index, lab in enumerate(labs):
        pending.append(lab)
        next_lab = labs[index + 1].start if index + 1 < len(labs) else len(c.text)
        after = [t for t in found if lab.end <= t.start < max(next_lab, lab.end + 1)]
        if not after and index + 1 < len(labs) and re.fullmatch(r"[\s,/()a-zA-Z]*?(?:and|or|,|/)?[\s()]*",
                                                                c.text[lab.end : labs[index + 1].start]):  # fmt: skip
            continue  # "AST and ALT <= 2.5 x ULN": the threshold after the last one applies to both
        if after:
            threshold = after[0]
            before = c.text[last_end : pending[0].start] if last_end >= 0 else ""
            alternative = bool(re.search(r"\bor\b", c.text[threshold.end : next_lab], re.I)) or bool(
                facts and re.search(r"\bor\b", before, re.I)
            )
            last_end = threshold.end
            for mention in pending:
                if mention.id in seen:
                    continue
                seen.add(mention.id)
                facts.append(_lab_fact(c, kb, mention, threshold, alternative))
        pending = []
    return facts


def _lab_fact(c: _Criterion, kb: KnowledgeBase, lab: Mention, t: numbers.Threshold, alternative: bool) -> Fact:
    test = kb.labs[lab.id]
    values: dict[str, Any] = {"lab": lab.id, "lab_name": test.name, "op": t.op}
    if t.uln is not None:
        values["uln_multiple"] = t.uln
    elif t.lln is not None:
        values["lln_multiple"] = t.lln
    else:
        values["value"] = t.value
        values["unit"] = t.unit
        canonical = test.to_canonical(t.value, t.unit) if t.value is not None and t.unit else None
        if canonical is None and t.value is not None and not t.unit and not test.canonical_unit:
            canonical = t.value  # unitless tests (INR)
        values["canonical_value"] = canonical
        values["canonical_unit"] = test.canonical_unit
    if alternative:
        values["alternative"] = True
    polarity = Polarity.REQUIRE if c.section is Section.INCLUSION else Polarity.EXCLUDE
    return _fact(FactKind.LAB, polarity, values, lab.id, c.text[lab.start : t.end])


def _measure(
    kind: FactKind, concept: str, unit_check: Callable[[numbers.Threshold], bool]
) -> Callable[[_Criterion], list[Fact]]:
    def extract(c: _Criterion) -> list[Fact]:
        mentions = c.of("CONCEPT", concept)
        if not mentions:
            return []
        m = mentions[0]
        for t in numbers.thresholds(c.text, m.start, min(len(c.text), m.end + 80)):
            if t.value is not None and unit_check(t):
                values: dict[str, Any] = {"op": t.op, "value": t.value}
                if kind is FactKind.QTC:
                    values["correction"] = "qtcf" if _QTCF.search(c.text) else "any"
                polarity = Polarity.REQUIRE if c.section is Section.INCLUSION else Polarity.EXCLUDE
                return [_fact(kind, polarity, values, concept, c.text[m.start : t.end])]
        if kind is FactKind.QTC and re.search(r"long QT|QT prolongation|prolonged QT", c.text, re.I):
            return [_fact(FactKind.CARDIAC, c.polarity(m), {"conditions": ["long QT"]}, concept, m.text)]
        return []

    return extract


def _hypertension(c: _Criterion) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.hypertension")
    if not mentions:
        return []
    values: dict[str, Any] = {}
    for t in numbers.thresholds(c.text, mentions[0].start):
        if t.value is None or not 40 <= t.value <= 250:
            continue
        before = c.text[max(0, t.start - 40) : t.start]
        if _DIASTOLIC.search(before) and "diastolic_over" not in values:
            values["diastolic_over"] = t.value
        elif "systolic_over" not in values and (_SYSTOLIC.search(before) or t.value > 120):
            values["systolic_over"] = t.value
    uncontrolled = c.has("concept.uncontrolled") or bool(re.search(r"uncontrolled|poorly controlled", c.text, re.I))
    if uncontrolled:
        values["uncontrolled"] = True
    if not values:
        return []
    polarity = Polarity.EXCLUDE if c.section is Section.EXCLUSION or uncontrolled else c.polarity(mentions[0])
    return [_fact(FactKind.HYPERTENSION, polarity, values, mentions[0].id, mentions[0].text)]


def _cardiac(c: _Criterion) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.cardiac")
    if not mentions:
        return []
    values: dict[str, Any] = {"conditions": list(dict.fromkeys(m.text.lower() for m in mentions))}
    nyha = _NYHA.search(c.text)
    if nyha:
        grade = nyha.group("c").upper()
        values["nyha_min"] = _ROMAN.get(grade) or int(grade)
    values.update(_window_months(c, mentions[0]))
    return [_fact(FactKind.CARDIAC, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]


def _brain(c: _Criterion) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.brain_metastases")
    if not mentions:
        return []
    m = mentions[0]
    low, high = c.clause(m.start)
    active = any(x.id == "concept.active_state" and low <= x.start < high for x in c.mentions)
    treated_exception = any(
        x.id == "concept.treated_state"
        and x.start > m.start
        and (any(e < x.start for e in c.exceptions) or permits(c.text))
        for x in c.mentions
    )
    values: dict[str, Any] = {"applies_to": "active" if active or treated_exception else "any"}
    polarity = c.polarity(m)
    if c.section is Section.INCLUSION and polarity is Polarity.REQUIRE and permits(c.text):
        values["permission"] = True  # "treated, stable brain metastases are allowed"
    return [_fact(FactKind.BRAIN_METASTASES, polarity, values, m.id, c.text[m.start : m.end])]


def _pregnancy(c: _Criterion) -> list[Fact]:
    facts = []
    pregnancy = c.of("CONCEPT", "concept.pregnancy")
    # No trial asks for a pregnancy: "negative pregnancy test", "must not be pregnant" and an exclusion
    # "pregnant or breast-feeding" all exclude it, whatever the section and the negations.
    if pregnancy:
        facts.append(_fact(FactKind.PREGNANCY, Polarity.EXCLUDE, {}, pregnancy[0].id, pregnancy[0].text))
    feeding = c.of("CONCEPT", "concept.breastfeeding")
    if feeding:
        facts.append(_fact(FactKind.BREASTFEEDING, Polarity.EXCLUDE, {}, feeding[0].id, feeding[0].text))
    contraception = c.of("CONCEPT", "concept.contraception")
    if contraception and not facts:
        facts.append(_fact(FactKind.CONTRACEPTION, Polarity.REQUIRE, {}, contraception[0].id, contraception[0].text))
    return facts


def _infection(c: _Criterion) -> list[Fact]:
    agents = {"concept.hiv": "HIV", "concept.hepatitis_b": "hepatitis B", "concept.hepatitis_c": "hepatitis C",
              "concept.hepatitis": "hepatitis", "concept.infection": "active infection"}  # fmt: skip
    mentions = [m for m in c.mentions if m.id in agents and not c.excepted(m)]
    if not mentions:
        return []
    values = {"agents": list(dict.fromkeys(agents[m.id] for m in mentions))}
    return [_fact(FactKind.INFECTION, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]


def _conditions(c: _Criterion) -> list[Fact]:
    names = {"concept.transplant": "organ or stem-cell transplant", "concept.autoimmune": "autoimmune disease",
             "concept.bleeding": "bleeding disorder", "concept.gi": "gastrointestinal perforation/fistula",
             "concept.wound": "non-healing wound"}  # fmt: skip
    mentions = [m for m in c.mentions if m.id in names and not c.excepted(m)]
    if not mentions:
        return []
    values = {"conditions": list(dict.fromkeys(names[m.id] for m in mentions))}
    return [_fact(FactKind.CONDITION, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]


def _screening(c: _Criterion) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.screening_only")
    if not mentions:
        return []
    return [_fact(FactKind.SCREENING_ONLY, Polarity.REQUIRE, {}, mentions[0].id, mentions[0].text)]


def _hypersensitivity(c: _Criterion) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.hypersensitivity")
    if not mentions:
        return []
    drugs = sorted({m.id for m in c.mentions if m.label in THERAPY_LABELS})
    return [_fact(FactKind.HYPERSENSITIVITY, c.polarity(mentions[0]), {"to": drugs}, mentions[0].id, mentions[0].text)]


_EXTRACTORS: list[Callable[[_Criterion], list[Fact]]] = [
    _age,
    _performance,
    _simple(FactKind.LIFE_EXPECTANCY, "concept.life_expectancy", _life_expectancy),
    _histology,
    _extent,
    _rai,
    _progression,
    _measurable,
    _therapy,
    _measure(FactKind.QTC, "concept.qtc", lambda t: t.unit in (None, "ms", "msec") and 300 <= (t.value or 0) <= 600),
    _measure(FactKind.LVEF, "concept.lvef", lambda t: t.unit in (None, "%") and 20 <= (t.value or 0) <= 80),
    _hypertension,
    _cardiac,
    _brain,
    _simple(FactKind.OTHER_MALIGNANCY, "concept.other_malignancy", _window_months),
    _infection,
    _pregnancy,
    _conditions,
    _hypersensitivity,
    _screening,
]


def extract_facts(doc: Doc, section: Section, kb: KnowledgeBase) -> tuple[Fact, ...]:
    """Every fact one criterion asks about, in a stable order."""
    c = _Criterion(doc, section)
    facts: list[Fact] = []
    for extractor in _EXTRACTORS:
        facts.extend(extractor(c))
    facts.extend(_biomarkers(c, kb))
    facts.extend(_labs(c, kb))
    return tuple(facts)
