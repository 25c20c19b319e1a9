"""Facts from one criterion: spaCy's entities (vocabulary ids) plus eligibility idiom (negation, bounds, windows).

The one import point (`extract_facts`). By fact family: `extract_base` (the criterion's text, clauses and
polarity cues), `extract_therapy` (prior therapy), `extract_measures` (labs, QTc, LVEF, blood pressure, cardiac);
this module has the rest (age, performance status, histology, extent, RAIR, progression, biomarkers, conditions).

Polarity: an inclusion criterion asks for what it names, an exclusion criterion for its absence; a negation cue
("no", "without", "must not", "is not allowed") flips that. Bounds ("no more than", "at least") are not
negations. What follows "other than" / "except" / "unless" is an exception, not part of the fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section
from matcher.eligibility.extract_base import (
    THERAPY_LABELS,
    CriterionText,
    Mention,
    make_fact,
    permits,
    rai_failure,
    window_months,
)
from matcher.eligibility.extract_measures import cardiac, hypertension, labs, measure
from matcher.eligibility.extract_therapy import therapy
from matcher.knowledge_base import KnowledgeBase, load_knowledge

if TYPE_CHECKING:
    from spacy.tokens import Doc

_SUBGROUP = re.compile(r"\b(?:women|woman|female|females|men|male|males|children|pediatric|paediatric)\b", re.I)
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
_NODES = re.compile(r"\s*(?:lymph[- ]?)?nodes?\b|\s+lesions?\s+(?:is|are)\b", re.IGNORECASE)
# What a therapy was given for, not the patient's disease extent: "one prior chemotherapy regimen for metastatic
# disease", "no prior treatment for advanced or metastatic colorectal cancer"
_GIVEN_FOR = re.compile(
    r"\b(?:regimens?|therapy|therapies|treatment|chemotherapy|lines?)\s+(?:given\s+)?for\s+"
    r"(?:(?:[\w-]+\s+){1,2}(?:or|and)\s+|[\w-]+\s*/\s*)?$",
    re.IGNORECASE,
)
_TIME_ANCHOR_BEFORE = re.compile(
    r"\b(?:prior to|before|after|since|from)\s+(?:the\s+)?(?:signing|signature of|date of)?\s*(?:the\s+|an?\s+)?$"
    r"|\b(?:confirmation|date|day|time)\s+of\s+$",
    re.IGNORECASE,
)
_PROGRESSED_ON_THERAPY = re.compile(r"\s*\)?\s*(?:\([^)]{0,10}\)\s*)?(?:on|after|following|despite|during)\b", re.I)
_AGREE = re.compile(r"(?:must\s+)?agrees?|willing", re.IGNORECASE)
_CONTRACEPTION_METHOD = re.compile(r"contracept|birth control|barrier|abstinence|condom", re.IGNORECASE)
_PROVISO = re.compile(r"\b(?:are|is)\s+eligible\s+provided\s+(?:that\s+)?", re.IGNORECASE)
_LESION_RULE = re.compile(r"\bto be (?:deemed|considered) (?:a |as )?(?:target|measurable) lesions?\b", re.IGNORECASE)
_WILD_TYPE = re.compile(r"\b(?:wild[- ]?type|negative for|non-mutated|without)\b", re.IGNORECASE)
_RECIST = re.compile(r"\bRECIST\b", re.IGNORECASE)
_AGE = [
    re.compile(r"\b(?:age[d]?|age of)\s*(?:of\s*|is\s*|must be\s*)?" + numbers.OPERATOR + r"?\s*(?P<n>\d{1,3})\b", re.I),
    re.compile(numbers.OPERATOR + r"\s*(?P<n>\d{1,3})\s*(?:years?|yrs?)\b", re.I),
    re.compile(r"(?P<n>\d{1,3})\s*(?:years?|yrs?)(?:\s*of\s*age|\s*old)?\s*(?:or|and)\s*(?P<dir>older|above|over|greater|more|younger|less|below|under)\b", re.I),
]  # fmt: skip
_AGE_BETWEEN = re.compile(r"between\s*(?P<a>\d{1,3})\s*(?:years?\s*)?(?:and|-|to)\s*(?P<b>\d{1,3})\s*years", re.I)
_DIGITS_0_5 = re.compile(r"(?<![\d.])[0-5](?![\d.%])")
_CUMULATIVE = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>mCi|GBq|gigabequerels?|MBq)", re.IGNORECASE)


def _age(c: CriterionText) -> list[Fact]:
    if not c.has("concept.age") and "year" not in c.text.lower():
        return []
    subgroup = ("concept.lansky", "concept.pregnancy", "concept.contraception", "concept.breastfeeding")
    if _SUBGROUP.search(c.text) or any(c.has(concept) for concept in subgroup):
        return []  # "women < 50 years of age must ...", "Lansky (age < 16)": an age that picks a subgroup
    between = _AGE_BETWEEN.search(c.text)
    if between:
        values = {"min_years": int(between.group("a")), "max_years": int(between.group("b"))}
        return [make_fact(FactKind.AGE, Polarity.REQUIRE, values, "rule.age.between", between.group(0))]
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
        return [make_fact(FactKind.AGE, polarity, {"op": op, "years": n}, "rule.age.threshold", match.group(0))]
    return []


def _performance(c: CriterionText) -> list[Fact]:
    scales = [m for m in c.mentions if m.id in ("concept.ecog", "concept.karnofsky", "concept.lansky",
                                                "concept.performance_status")]  # fmt: skip
    if not scales:
        return []
    # "ECOG 0-2 or Lansky >= 40% (age < 16)": the children's scale is a fact of its own
    lansky = next((m for m in scales if m.id == "concept.lansky"), None)
    groups = [scales]
    if lansky is not None and scales[0] is not lansky:
        groups = [[m for m in scales if m.start < lansky.start], [m for m in scales if m.start >= lansky.start]]
    facts = []
    for index, group in enumerate(groups):
        end = groups[index + 1][0].start if index + 1 < len(groups) else len(c.text)
        fact = _performance_fact(c, group, end)
        if fact is not None:
            facts.append(fact)
    return facts


def _performance_fact(c: CriterionText, scales: list[Mention], end: int) -> Fact | None:
    first = scales[0]
    tail = c.text[first.start : min(end, first.start + 120)]
    if first.id == "concept.ecog":  # "ECOG <= 2 (Karnofsky >= 60%)": the bracketed scale is its equivalent
        scales = [m for m in scales if m.id != "concept.karnofsky" or not _in_brackets(c.text, first.end, m.start)]
        tail = re.sub(r"\([^()]*\bKarnofsky\b[^()]*\)?", "", tail, flags=re.IGNORECASE)
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
            return None
    if values.get("min") == 0:
        values.pop("min")
    if len(values) == 1:
        return None
    return make_fact(FactKind.PERFORMANCE_STATUS, c.polarity(first), values, first.id, tail[:60])


def _in_brackets(text: str, start: int, position: int) -> bool:
    between = text[start:position]
    return between.count("(") > between.count(")")


def _simple(kind: FactKind, concept: str, values: Callable[[CriterionText, Mention], dict[str, Any]] | None = None):  # type: ignore[no-untyped-def]
    def extract(c: CriterionText) -> list[Fact]:
        mentions = c.of("CONCEPT", concept)
        if not mentions:
            return []
        first = mentions[0]
        found = values(c, first) if values else {}
        if found is None:
            return []
        return [make_fact(kind, c.polarity(first), found, concept, first.text)]

    return extract


def _life_expectancy(c: CriterionText, m: Mention) -> dict[str, Any]:
    window = numbers.window_days(c.text[m.start :])
    return {"min_months": numbers.months(window[0])} if window else {}


def _histology(c: CriterionText) -> list[Fact]:
    mentions = c.of("HISTOLOGY")
    if not mentions or not _DIAGNOSIS_CUE.search(c.text):
        return []
    if c.section is Section.INCLUSION and permits(c.text):
        return _histology_permission(c, mentions)
    mentions = [m for m in mentions if not permits(c.clause_text(m.start))]  # "However, ... are eligible"
    if c.has("concept.other_malignancy"):
        return []  # "any other solid tumor or lymphoma": not the trial's cancer
    mentions = [m for m in mentions if not _listed_subtypes(c, m, mentions) and not _qualified(c, m)]
    facts = []
    for polarity in (Polarity.REQUIRE, Polarity.EXCLUDE):
        chosen = [m for m in mentions if c.polarity(m) is polarity]
        specific = [m for m in chosen if m.id != "hist.thyroid_cancer"]
        if specific or polarity is Polarity.EXCLUDE:
            chosen = specific  # "thyroid cancer" alongside subtypes adds nothing; in an exclusion it is context
        if chosen:
            ids = list(dict.fromkeys(m.id for m in chosen))
            evidence = ", ".join(dict.fromkeys(m.text for m in chosen))
            facts.append(make_fact(FactKind.HISTOLOGY, polarity, {"histologies": ids}, ids[0], evidence))
    return facts


def _histology_permission(c: CriterionText, mentions: list[Mention]) -> list[Fact]:
    """ "PDTC and tall cell are eligible provided that ... no medullary nor anaplastic features": the permitted
    histologies (marked ``permission``: they widen the others, matching treats them as not applicable) and what
    the proviso excludes."""
    cue = _PROVISO.search(c.text)
    if cue is None:
        return []  # "patients with MTC may be enrolled in cohort 2": a permission, not a requirement
    permitted = list(dict.fromkeys(m.id for m in mentions if m.start < cue.start()))
    excluded = list(dict.fromkeys(m.id for m in mentions if m.start >= cue.end() and c.negated(m)))
    facts = []
    if permitted:
        values: dict[str, object] = {"histologies": permitted, "permission": True}
        facts.append(make_fact(FactKind.HISTOLOGY, Polarity.REQUIRE, values, permitted[0], c.text[: cue.start()]))
    if excluded:
        values = {"histologies": excluded}
        facts.append(make_fact(FactKind.HISTOLOGY, Polarity.EXCLUDE, values, excluded[0], c.text[cue.end() :]))
    return facts


def _qualified(c: CriterionText, m: Mention) -> bool:
    """ "low-risk DTC patients" is a risk group; in an exclusion, "FTC with > 4 foci of vascular invasion" and "PTC with
    aggressive variants" exclude a subgroup that has no fact kind, not the histology."""
    if re.search(r"risk\s+(?:\w+\s+)?$", c.text[max(0, m.start - 30) : m.start], re.IGNORECASE):
        return True
    return c.section is Section.EXCLUSION and bool(re.match(r"\s*(?:\([^)]*\)\s*)?with\b", c.text[m.end :]))


def _listed_subtypes(c: CriterionText, group: Mention, mentions: list[Mention]) -> bool:
    """ "one of the following DTC subtypes: papillary or follicular": the listed subtypes, not the whole group."""
    kb = load_knowledge()
    if group.id not in kb.histologies:
        return False
    members = kb.histology_members(group.id)
    listed = [
        m for m in mentions
        if m.start > group.end and m.id in kb.histologies and kb.histology_members(m.id) < members
    ]  # fmt: skip
    return bool(listed) and ":" in c.text[group.end : listed[0].start]


def _extent(c: CriterionText) -> list[Fact]:
    if c.section is not Section.INCLUSION or any(m.label == "LAB" for m in c.mentions):
        return []
    kinds = {"concept.metastatic": "metastatic", "concept.locally_advanced": "locally_advanced",
             "concept.advanced": "advanced"}  # fmt: skip
    mentions = [
        m for m in c.mentions
        if m.id in kinds and not c.excepted(m) and not _NODES.match(c.text, m.end)
        and not _GIVEN_FOR.search(c.text, max(0, m.start - 40), m.start)
    ]  # fmt: skip
    if not mentions or c.has("concept.brain_metastases") or c.has("concept.other_malignancy"):
        return []
    extents = list(dict.fromkeys(kinds[m.id] for m in mentions))
    evidence = ", ".join(dict.fromkeys(m.text for m in mentions))
    return [make_fact(FactKind.DISEASE_EXTENT, c.polarity(mentions[0]), {"any_of": extents}, mentions[0].id, evidence)]


def _rai(c: CriterionText) -> list[Fact]:
    facts = []
    refractory = c.of("CONCEPT", "concept.rai_refractory")
    if refractory:
        facts.append(make_fact(FactKind.RAI_REFRACTORY, c.polarity(refractory[0]), {"definition": "stated"},
                           refractory[0].id, refractory[0].text))  # fmt: skip
    failed = None  # "did not respond to the most recent radioactive iodine treatment": refractoriness too
    if not refractory:
        mentions = c.of("CONCEPT", "concept.radioiodine")
        failed = next((cue + m.text for m in mentions if (cue := rai_failure(c, m))), None)
    if failed:  # "did not respond to radioactive iodine": the failure is what is asked, whatever the negation says
        facts.append(make_fact(FactKind.RAI_REFRACTORY, Polarity.REQUIRE if c.section is Section.INCLUSION
                               else Polarity.EXCLUDE, {"definition": "stated"}, "rule.rai.failed", failed))  # fmt: skip
    uptake = c.of("CONCEPT", "concept.rai_uptake_absent")
    defined = refractory and re.search(r"\b(?:is|are)\s+defined\s+as\b", c.text, re.IGNORECASE)
    if defined:  # "RAI refractoriness is defined as no uptake or progression or > 600 mCi": the stated fact
        return facts
    if uptake:
        facts.append(make_fact(FactKind.RAI_REFRACTORY, c.polarity(uptake[0]), {"definition": "no_uptake"},
                           uptake[0].id, uptake[0].text))  # fmt: skip
    activity = _CUMULATIVE.search(c.text)
    if activity and (c.has("concept.cumulative_activity") or c.has("concept.radioiodine")):
        value = float(activity.group("n"))
        unit = activity.group("u").lower()
        mci = value if unit == "mci" else value * 27.027 if unit.startswith("g") else value / 37.0
        facts.append(make_fact(FactKind.RAI_REFRACTORY, Polarity.REQUIRE if c.section is Section.INCLUSION
                           else Polarity.EXCLUDE, {"definition": "cumulative_activity", "min_mci": round(mci)},
                           "concept.cumulative_activity", activity.group(0)))  # fmt: skip
    progression = progressions(c)
    if progression and c.has("concept.radioiodine") and not (refractory or failed) and c.section is Section.INCLUSION:
        values = {"definition": "progression_after_rai", **window_months(c, progression[0])}
        facts.append(make_fact(FactKind.RAI_REFRACTORY, c.polarity(progression[0]), values, "rule.rai.progression",
                           progression[0].text))  # fmt: skip
    return facts


def _progression(c: CriterionText) -> list[Fact]:
    if c.section is not Section.INCLUSION or c.has("concept.brain_metastases"):
        return []
    for m in c.of("CONCEPT", "concept.progression"):
        low, high = c.clause(m.start)
        if any(x.id == "concept.radioiodine" and low <= x.start < high for x in c.mentions):
            continue  # progression after radioiodine defines refractoriness (_rai)
        anchor = _TIME_ANCHOR_BEFORE.search(c.text[max(0, m.start - 60) : m.start])
        if _PROGRESSED_ON_THERAPY.match(c.text, m.end) or (anchor and not numbers.window_days(c.text[low:high])):
            continue  # "progressed on lenvatinib" belongs to the therapy; "confirmation of PD by IIR" is a date
        values: dict[str, Any] = window_months(c, m)
        if _RECIST.search(c.text):
            values["recist"] = True
        return [make_fact(FactKind.PROGRESSION, c.polarity(m), values, m.id, m.text)]
    return []


def progressions(c: CriterionText) -> list[Mention]:
    """Progression mentions, with "progressive" that the vocabulary also lists as an active state."""
    return [
        m for m in c.mentions
        if m.id == "concept.progression" or (m.id == "concept.active_state" and m.text.lower().startswith("progress"))
    ]  # fmt: skip


def _measurable(c: CriterionText) -> list[Fact]:
    mentions = [
        m
        for m in c.of("CONCEPT", "concept.measurable")
        if not re.search(r"\bdefined\s+as\b", c.text[c.clause(m.start)[0] : m.start], re.IGNORECASE)
    ]  # fmt: skip: "RAI refractoriness is defined as absence of uptake ... in measurable lesions"
    if not mentions or re.search(r"\bmeasurable\s+(?:and/)?or\s+non-?measurable\b", c.text, re.I):
        return []  # "measurable or non-measurable disease": no constraint
    values: dict[str, Any] = {"recist": bool(_RECIST.search(c.text))}
    if c.has("concept.evaluable") or "evaluable" in mentions[0].text.lower():
        values["evaluable_ok"] = True
    return [make_fact(FactKind.MEASURABLE_DISEASE, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]


def _biomarkers(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
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
    unique: dict[tuple[str, Polarity], Fact] = {}
    for f in facts:  # "BRAF; ... BRAF mutation": one fact per gene, the one naming an alteration
        key = (f.values["gene"], f.polarity)
        if key not in unique or (f.values.get("alteration") and not unique[key].values.get("alteration")):
            unique[key] = f
    return list(unique.values())


def _biomarker_fact(
    c: CriterionText, kb: KnowledgeBase, gene_id: str, alteration: Mention | None, anchor: Mention
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
    return make_fact(FactKind.BIOMARKER, polarity, values, alteration.id if alteration else gene_id, evidence)


def _brain(c: CriterionText) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.brain_metastases")
    if not mentions:
        return []
    m = mentions[0]
    low, high = c.clause(m.start)
    active = any(x.id == "concept.active_state" and low <= x.start < high for x in c.mentions)
    treated_exception = any(
        x.id == "concept.treated_state"
        and x.start > m.start
        and (any(e < x.start for e, _ in c.exceptions) or permits(c.text))
        for x in c.mentions
    )
    values: dict[str, Any] = {"applies_to": "active" if active or treated_exception else "any"}
    polarity = c.polarity(m)
    if c.section is Section.INCLUSION and polarity is Polarity.REQUIRE and permits(c.text):
        values["permission"] = True  # "treated, stable brain metastases are allowed"
    return [make_fact(FactKind.BRAIN_METASTASES, polarity, values, m.id, c.text[m.start : m.end])]


def _pregnancy(c: CriterionText) -> list[Fact]:
    if re.match(r"[^.]{0,80}\b(?:is|are)\s+defined\b", c.text, re.IGNORECASE):
        return []  # '"Women of childbearing potential" is defined as ...': a definition
    facts = []
    pregnancy = [
        m for m in c.of("CONCEPT", "concept.pregnancy")
        if not re.search(r"\b(?:avoid|prevent)\w*\s+$", c.text[max(0, m.start - 20) : m.start], re.I)
    ]  # fmt: skip
    # No trial asks for a pregnancy: "negative pregnancy test", "must not be pregnant" and an exclusion
    # "pregnant or breast-feeding" all exclude it, whatever the section and the negations.
    if pregnancy:
        facts.append(make_fact(FactKind.PREGNANCY, Polarity.EXCLUDE, {}, pregnancy[0].id, pregnancy[0].text))
    feeding = c.of("CONCEPT", "concept.breastfeeding")
    if feeding:
        facts.append(make_fact(FactKind.BREASTFEEDING, Polarity.EXCLUDE, {}, feeding[0].id, feeding[0].text))
    contraception = c.of("CONCEPT", "concept.contraception")
    if contraception and (not facts or any(_CONTRACEPTION_METHOD.search(m.text) for m in contraception)):
        facts.append(
            make_fact(FactKind.CONTRACEPTION, Polarity.REQUIRE, {}, contraception[0].id, contraception[0].text)
        )
    return facts


def _infection(c: CriterionText) -> list[Fact]:
    agents = {"concept.hiv": "HIV", "concept.hepatitis_b": "hepatitis B", "concept.hepatitis_c": "hepatitis C",
              "concept.hepatitis": "hepatitis", "concept.infection": "active infection"}  # fmt: skip
    mentions = [m for m in c.mentions if m.id in agents and not c.excepted(m)]
    if not mentions:
        return []
    values = {"agents": list(dict.fromkeys(agents[m.id] for m in mentions))}
    return [make_fact(FactKind.INFECTION, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]


def _conditions(c: CriterionText) -> list[Fact]:
    names = {"concept.transplant": "organ or stem-cell transplant", "concept.autoimmune": "autoimmune disease",
             "concept.bleeding": "bleeding disorder", "concept.gi": "gastrointestinal perforation/fistula",
             "concept.wound": "non-healing wound"}  # fmt: skip
    mentions = [m for m in c.mentions if m.id in names and not c.excepted(m) and not permits(c.clause_text(m.start))]
    if not mentions:
        return []
    values = {"conditions": list(dict.fromkeys(names[m.id] for m in mentions))}
    return [make_fact(FactKind.CONDITION, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]


def _screening(c: CriterionText) -> list[Fact]:
    mentions = [
        m for m in c.of("CONCEPT", "concept.screening_only")
        if not (_TIME_ANCHOR_BEFORE.search(c.text[max(0, m.start - 60) : m.start]) and "consent" in m.text.lower())
        and not (_AGREE.match(m.text) and any(x.id == "concept.contraception" and 0 < x.start - m.end < 60
                                               for x in c.mentions))
    ]  # fmt: skip
    if not mentions:
        return []
    return [make_fact(FactKind.SCREENING_ONLY, Polarity.REQUIRE, {}, mentions[0].id, mentions[0].text)]


def _hypersensitivity(c: CriterionText) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.hypersensitivity")
    if not mentions:
        return []
    drugs = sorted({m.id for m in c.mentions if m.label in THERAPY_LABELS})
    return [
        make_fact(FactKind.HYPERSENSITIVITY, c.polarity(mentions[0]), {"to": drugs}, mentions[0].id, mentions[0].text)
    ]


_EXTRACTORS: list[Callable[[CriterionText], list[Fact]]] = [
    _age,
    _performance,
    _simple(FactKind.LIFE_EXPECTANCY, "concept.life_expectancy", _life_expectancy),
    _histology,
    _extent,
    _rai,
    _progression,
    _measurable,
]
_EXTRACTORS_AFTER_THERAPY: list[Callable[[CriterionText], list[Fact]]] = [
    measure(FactKind.QTC, "concept.qtc", lambda t: t.unit in (None, "ms", "msec") and 300 <= (t.value or 0) <= 600),
    measure(FactKind.LVEF, "concept.lvef", lambda t: t.unit in (None, "%") and 20 <= (t.value or 0) <= 80),
    hypertension,
    cardiac,
    _brain,
    _simple(FactKind.OTHER_MALIGNANCY, "concept.other_malignancy", window_months),
    _infection,
    _pregnancy,
    _conditions,
    _hypersensitivity,
    _screening,
]


def extract_facts(doc: Doc, section: Section, kb: KnowledgeBase) -> tuple[Fact, ...]:
    """Every fact one criterion asks about, in a stable order."""
    c = CriterionText(doc, section)
    if _LESION_RULE.search(c.text):
        return ()  # "... must show progression to be deemed a target lesion": how lesions are chosen
    facts: list[Fact] = []
    for extractor in _EXTRACTORS:
        facts.extend(extractor(c))
    facts.extend(therapy(c, kb))
    for extractor in _EXTRACTORS_AFTER_THERAPY:
        facts.extend(extractor(c))
    facts.extend(_biomarkers(c, kb))
    facts.extend(labs(c, kb))
    return tuple(facts)
