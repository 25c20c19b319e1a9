"""Histology and primary site: "histologically confirmed differentiated thyroid cancer (papillary, follicular,
Hürthle cell)", "poorly differentiated variants are eligible provided ...", "medullary or anaplastic carcinoma".

Groups expand to their members (matcher/knowledge/histologies.json, after the seed review's classification). Where a
trial's list names a group's sibling subtypes but is silent on one the seed review groups under the same parent
(oncocytic/Hürthle, poorly differentiated under differentiated thyroid cancer), a patient with that subtype is
unknown, not violated: the list may not mean to exclude it (docs/matching.md).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity, Section, Values, one_line, shortened
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, lazy_regex
from matcher.eligibility.scope import Condition
from matcher.eligibility.text import CriterionText, Mention, make_fact, permits
from matcher.knowledge_base import KnowledgeBase, load_knowledge
from matcher.patient import Patient


class HistologyValues(Values, frozen=True):
    histologies: tuple[str, ...]
    permission: bool = False  # "... are eligible provided": widens the others; never a requirement


_DIAGNOSIS_CUE = lazy_regex(
    r"\b(?:histolog\w*|cytolog\w*|confirm\w*|diagnos\w*|patients with|subjects with|participants with|subtypes?|"
    r"variants?|carcinoma|cancer|tumou?rs?|malignan\w*|neoplasm)\b",
    re.IGNORECASE,
)
# "solid malignancy including but not limited to: pancreas, lung, ..." (NCT02555878), "advanced non-hematologic
# malignancy (except squamous cell of the lung) including ..." (NCT00703638): any solid tumour (sweep 4)
_BASKET = lazy_regex(
    r"\b(?:solid\s+tumou?rs?|(?:advanced|solid|non-?hematologic(?:al)?)\s+malignanc\w*|"
    r"any\s+(?:solid\s+)?(?:tumou?r|cancer))\b",
    re.I,
)
_EXAMPLES = cue("cue.histology.examples")
_PROVISO = cue("cue.histology.proviso")
_OTHER_ORGAN = cue("cue.histology.other_organ")
_OTHER_TUMOUR_AFTER = cue("cue.histology.other_tumour_after")
_MORE_TUMOURS_AFTER = cue("cue.histology.other_tumour_named_after")
_THYROID = lazy_regex(r"\bthyroid|\b(?:PTC|FTC|DTC|MTC|ATC|PDTC)\b|H[uü]rthle", re.IGNORECASE)
# Subtypes the seed review counts as differentiated thyroid cancer although lists often leave them out.
SILENT_SUBTYPES = {"oncocytic", "poorly_differentiated"}


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = [m for m in c.of("HISTOLOGY") if not c.in_condition(m)]
    if _BASKET.search(c.text):  # "advanced malignancy (solid tumor or lymphoma)": any lymphoma, not the thyroid's;
        # "solid tumor ... (e.g. colorectal, NSCLC, melanoma, papillary thyroid)": examples of any solid tumour
        mentions = [m for m in mentions if m.id != "hist.other" and not _EXAMPLES.search(c.text, 0, m.start)]
    if not mentions or not _DIAGNOSIS_CUE.search(c.text):
        return []
    if c.section is Section.INCLUSION and permits(c.text):
        return _permission(c, mentions)
    mentions = [m for m in mentions if not permits(c.clause_text(m.start))]  # "However, ... are eligible"
    if c.has("concept.other_malignancy"):
        return []  # "any other solid tumor or lymphoma": not the trial's cancer
    mentions = [m for m in mentions if not _listed_subtypes(c, m, mentions) and not _qualified(c, m)]
    named = mentions
    # another organ's tumour: "Grade 3b follicular lymphoma" (NCT01290549), the NSCLC's "large cell anaplastic
    # carcinoma" (NCT00555256); an exclusion naming another organ stays uncertain (`_other_organ`)
    mentions = [m for m in mentions if not (c.polarity(m) is Polarity.REQUIRE and another_organs(c, m))]
    mentions = [m for m in mentions if not other_tumour_site(c, m)]  # "Kaposi's sarcoma" excluded: no thyroid's
    # what a forbidden therapy was for is not a histology the patient must not have: "No prior systemic therapy for
    # locally advanced or metastatic differentiated thyroid cancer" (a first-line trial for that very cancer)
    mentions = [m for m in mentions if not (c.polarity(m) is Polarity.EXCLUDE and c.therapy_target(m))]
    facts = []
    for polarity in (Polarity.REQUIRE, Polarity.EXCLUDE):
        chosen = [m for m in mentions if c.polarity(m) is polarity]
        specific = [m for m in chosen if m.id != "hist.thyroid_cancer"]
        if specific or polarity is Polarity.EXCLUDE:
            chosen = specific  # "thyroid cancer" alongside subtypes adds nothing; in an exclusion it is context
        if polarity is Polarity.EXCLUDE and _THYROID.search(c.text):  # another tumour's word beside the thyroid's
            # goes, and the thyroid's stay certain: "Medullary or anaplastic thyroid carcinoma, or undifferentiated
            # small cell carcinoma" (revh15); only another tumour's words left are doubted below
            chosen = [m for m in chosen if not tumour_after(c.text, m.end)] or chosen
        if chosen:
            ids = tuple(dict.fromkeys(m.id for m in chosen))
            evidence = ", ".join(dict.fromkeys(m.text for m in chosen))
            # another tumour ("lymphoma") excluded is no thyroid cancer either way: only a thyroid subtype's name doubted
            # (asked of the names before another organ's were dropped: "Kirsten rat sarcoma ..., anaplastic lymphoma
            # receptor tyrosine kinase" stays doubted when its "anaplastic" goes)
            thyroid_named = any(m.id != "hist.other" for m in named if c.polarity(m) is polarity)
            doubt = _other_organ(c) if polarity is Polarity.EXCLUDE and thyroid_named else None
            if polarity is Polarity.EXCLUDE and (
                other := next((m for m in chosen if tumour_after(c.text, m.end)), None)
            ):
                doubt = doubt or f"the excluded histology names another tumour ({other.text!r} before it)"
            facts.append(make_fact(FactKind.HISTOLOGY, polarity, HistologyValues(ids), ids[0], evidence, doubt))
    return facts


# A bare "lymphoma" or "sarcoma" (hist.other's names without "thyroid") is the thyroid's only where the criterion
# names the thyroid ("Other histological subtypes of thyroid tumors: anaplastic, medullary, lymphoma or sarcoma",
# NCT02472080); elsewhere it is a blood cancer or a sarcoma of another site: "The participant has a B-cell malignancy
# (diffuse large B-cell lymphoma [DLBCL], ...)" (NCT02743546), "Histologically confirmed Kaposi's sarcoma"
# (NCT00427414), fresh sample 12 S055, S162 (primary_site reads them as those sites)
_BARE_OTHER_SITES = {"lymphoma": "site.blood", "sarcoma": "site.soft_tissue"}


def other_tumour_site(c: CriterionText, m: Mention) -> str | None:
    """The primary site a bare "lymphoma" or "sarcoma" names in a criterion that does not name the thyroid."""
    if m.id != "hist.other" or _THYROID.search(c.text) or _BASKET.search(c.text):
        return None  # "advanced non-hematologic malignancy ... including ... or sarcoma": any solid tumour
    if _GENE_BEFORE.search(c.text, max(0, m.start - 12), m.start) or _GENE_AFTER.match(c.text, m.end):
        return None  # "Kirsten rat sarcoma viral oncogene homolog (KRAS)": a gene's name
    return _BARE_OTHER_SITES.get(m.text.lower())


_GENE_BEFORE = lazy_regex(r"\b(?:rat|murine|kirsten|feline|avian)\s+$", re.IGNORECASE)
_GENE_AFTER = lazy_regex(r"\s*(?:viral|virus|oncogene)\b", re.IGNORECASE)


_OF_OTHER_ORGAN = cue("cue.histology.of_other_organ_after")
# what joins two histology names of one phrase: "undifferentiated/poorly differentiated", "adenocarcinoma or ..."
_JOINED_NAME = lazy_regex(r"\s*(?:/|,|&|\band/or\b|\bor\b|\band\b)\s*", re.IGNORECASE)
# the organ a histology is said to be of, as the primary site it names
_ORGAN_SITES = (
    (r"stomach|gastro", "site.stomach"), (r"esophag|oesophag", "site.esophagus"), (r"pancrea|ampulla", "site.pancreas"),
    (r"bile|biliary|gallbladder", "site.biliary"), (r"liver", "site.liver"), (r"lung", "site.lung"),
    (r"breast", "site.breast"), (r"prostate", "site.prostate"), (r"bladder|urothel", "site.bladder"),
    (r"kidney", "site.kidney"), (r"colo|rect", "site.colorectal"), (r"ovar|fallopian|peritone", "site.ovary"),
    (r"cervix", "site.cervix"), (r"uter|endometri", "site.uterus"),
    (r"head|oral|laryn|pharyn", "site.head_neck"), (r"skin", "site.skin"), (r"brain", "site.brain"),
)  # fmt: skip


def organ_site(c: CriterionText, m: Mention) -> str | None:
    """The primary site a histology's name is said to be of, when another organ than the thyroid: "poorly
    differentiated carcinoma of the stomach" (NCT02344810, fresh sample 12 S070). A name joined to the next one
    shares its organ: "undifferentiated/poorly differentiated carcinoma of the head and neck" (NCT01445405)."""
    if _THYROID.search(c.text):
        return None
    end = m.end
    for n in sorted(c.of("HISTOLOGY"), key=lambda n: n.start):
        if n.start >= end and _JOINED_NAME.fullmatch(c.text, end, n.start):
            end = n.end
    if (found := _OF_OTHER_ORGAN.match(c.text, end) or _organ_before(c, m)) is None:
        return None
    organ = found.group("organ").lower()
    return next((site for words, site in _ORGAN_SITES if re.match(words, organ)), None)


_OF_OTHER_ORGAN_BEFORE = cue("cue.histology.of_other_organ_before")
_ANOTHER_SUBJECT_BETWEEN = cue("cue.histology.another_subject_between")
_CLAUSE_END = lazy_regex(r"[.;](?=\s)")
_AN_ORGAN = lazy_regex(r"\b(?:" + "|".join(words for words, _ in _ORGAN_SITES) + ")", re.IGNORECASE)


def _organ_before(c: CriterionText, m: Mention) -> re.Match[str] | None:
    """Another organ's tumour named before the histology in its sentence: "squamous cell carcinoma of the head and
    neck, including variants or undifferentiated/poorly differentiated carcinoma" (NCT00629226, fresh sample 15's
    V037): the variants of that tumour. Not where a list goes on between them to another site or subject ("<cancer>
    of the lung or breast, or anaplastic carcinoma"): the word is then an alternative of its own (revh15)."""
    start = max((b.end() for b in _CLAUSE_END.finditer(c.text, 0, m.start)), default=0)
    found = next(reversed(list(_OF_OTHER_ORGAN_BEFORE.finditer(c.text, start, m.start))), None)
    if found is None or _ANOTHER_SUBJECT_BETWEEN.search(c.text, found.end(), m.start):
        return None
    return None if _AN_ORGAN.search(c.text, found.end(), m.start) else found


def names_diagnosis(c: CriterionText) -> bool:
    """Whether the criterion speaks of a diagnosis ("histologically confirmed", "patients with", "malignancy")."""
    return bool(_DIAGNOSIS_CUE.search(c.text))


def another_organs(c: CriterionText, m: Mention) -> bool:
    """Whether a histology mention names another organ's tumour: one followed by that tumour ("Grade 3b follicular
    lymphoma", "papillary ... type renal cell carcinoma"), or one after another organ's cancer in a criterion that
    does not name the thyroid ("histologically or cytologically proven NSCLC, including adenocarcinoma,
    broncho-alveolar cell and large cell anaplastic carcinoma", NCT00555256, sample 10 Q013)."""
    return tumour_after(c.text, m.end) or _organs_subtype(c, m) or bool(other_tumour_site(c, m) or organ_site(c, m))


def tumour_after(text: str, end: int) -> bool:
    """Whether another tumour follows a histology's name, which is then that tumour's subtype: "Grade 3b follicular
    lymphoma", "Diffuse anaplastic Wilms' tumor" (NCT00003926, fresh sample 15's V073)."""
    return bool(_OTHER_TUMOUR_AFTER.match(text, end) or _MORE_TUMOURS_AFTER.match(text, end))


def _organs_subtype(c: CriterionText, m: Mention) -> bool:
    if _THYROID.search(c.text):
        return False
    return any(s.id != "site.thyroid" and s.end <= m.start for s in c.of("SITE"))


def _other_organ(c: CriterionText) -> str | None:
    """Why an excluded histology may be another organ's subtype: the criterion names another organ's tumour and not
    the thyroid ("Collecting duct, papillary, or chromophobe type renal cell carcinoma ... are excluded", NCT00384969;
    "Squamous cell or undifferentiated gastric cancer", NCT02370498; sweep 4)."""
    if _THYROID.search(c.text):
        return None
    organ = _OTHER_ORGAN.search(c.text)
    if organ is None:
        return None
    return f"the excluded histology may be another organ's ({organ.group(0)!r}), not a thyroid cancer's"


def _permission(c: CriterionText, mentions: list[Mention]) -> list[Fact]:
    """ "PDTC and tall cell are eligible provided that ... no medullary nor anaplastic features": the permitted
    histologies (a permission: not applicable in matching) and what the proviso excludes."""
    cue = _PROVISO.search(c.text)
    if cue is None:
        return []  # "patients with MTC may be enrolled in cohort 2": a permission, not a requirement
    permitted = tuple(dict.fromkeys(m.id for m in mentions if m.start < cue.start()))
    excluded = tuple(dict.fromkeys(m.id for m in mentions if m.start >= cue.end() and c.negated(m)))
    facts = []
    if permitted:
        values = HistologyValues(permitted, permission=True)
        facts.append(make_fact(FactKind.HISTOLOGY, Polarity.REQUIRE, values, permitted[0], c.text[: cue.start()]))
    if excluded:
        facts.append(make_fact(FactKind.HISTOLOGY, Polarity.EXCLUDE, HistologyValues(excluded), excluded[0],
                               c.text[cue.end() :]))  # fmt: skip
    return facts


_RISK_BEFORE = cue("cue.histology.risk_before")
_WITH_AFTER = cue("cue.histology.with_after")


def _qualified(c: CriterionText, m: Mention) -> bool:
    """ "low-risk DTC patients" is a risk group; in an exclusion, "FTC with > 4 foci of vascular invasion" and "PTC
    with aggressive variants" exclude a subgroup that has no fact kind, not the histology."""
    if _RISK_BEFORE.search(c.text[max(0, m.start - 30) : m.start]):
        return True
    return c.section is Section.EXCLUSION and bool(_WITH_AFTER.match(c.text[m.end :]))


# Between a group and the list that spells it out: "DTC subtypes: papillary or follicular", "differentiated thyroid
# cancer (papillary, follicular and Hurthle cell)", "(i.e., papillary, follicular, or Hurthle cell disease)"; not a
# list of examples ("(e.g. papillary)", "including"), which leaves the whole group
_SPELLED_OUT = cue("cue.histology.spelled_out")


def _listed_subtypes(c: CriterionText, group: Mention, mentions: list[Mention]) -> bool:
    """ "one of the following DTC subtypes: papillary or follicular", "DTC (papillary, follicular and Hurthle cell)":
    the listed subtypes, not the whole group."""
    kb = load_knowledge()
    if group.id not in kb.histologies:
        return False
    members = kb.histology_members(group.id)
    listed = [
        m for m in mentions
        if m.start > group.end and m.id in kb.histologies and kb.histology_members(m.id) < members
    ]  # fmt: skip
    return bool(listed) and bool(_SPELLED_OUT.match(c.text[group.end : listed[0].start]))


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, HistologyValues)
    if v.permission:
        return Finding(None, "widens which histologies are eligible", not_applicable=True)
    wanted = set().union(*(kb.histology_members(h) for h in v.histologies))
    names = ", ".join(kb.histologies[h].name for h in v.histologies if h in kb.histologies)
    if p.diagnosis is None or p.diagnosis.histology is None:
        return Finding(None, "histology not on file", missing="histology")
    value = p.diagnosis.histology.value
    shown = f"{value.replace('_', ' ')} (trial: {names})"
    if value in wanted:
        return Finding(True, shown, ("diagnosis.histology",))
    if any(value in kb.histologies[h].undecided for h in v.histologies if h in kb.histologies):
        # "thyroid carcinoma of follicular origin (including papillary, ...)" and an anaplastic carcinoma, which
        # arises from follicular cells too (histologies.json `undecided`; fresh sample 13's T209)
        return Finding(None, f"{shown}; the trial's words may or may not take this histology",
                       ("diagnosis.histology",), missing="whether the trial accepts this histology")  # fmt: skip
    if fact.polarity is Polarity.REQUIRE and value in SILENT_SUBTYPES and _names_siblings(v.histologies, kb):
        return Finding(None, f"{shown}; the trial's list is silent on this subtype of differentiated thyroid cancer",
                       ("diagnosis.histology",), missing="whether the trial accepts this subtype")  # fmt: skip
    return Finding(False, shown, ("diagnosis.histology",))


def _names_siblings(histologies: tuple[str, ...], kb: KnowledgeBase) -> bool:
    """Whether the list names papillary or follicular carcinoma, the silent subtypes' siblings in the seed review's
    differentiated thyroid cancer."""
    return any(kb.histology_members(h) & {"papillary", "follicular"} for h in histologies)


def other_cohorts(criteria: list[Criterion]) -> list[Criterion]:
    """A trial's diagnosis criterion is one cohort's when another inclusion criterion opens a cohort for other
    histologies: "Metastatic, RAI refractory, differentiated thyroid cancer ..., with progression within 13 months" /
    "Exploratory cohort: incurable medullary thyroid cancer with prior TKI failure ... and anaplastic thyroid cancer"
    (NCT03246958). A patient with one of those histologies may enter that cohort, so the first criterion gets an
    `other_cohort` condition per histology the cohort adds: for such a patient it cannot violate (docs/matching.md).
    First, a histology word under a lead-in for another organ's cancer is that cancer's subtype (`_under_other_organ`),
    and a non-thyroid disease line other criteria set apart as one disease group's gets that cohort (`_set_apart`);
    a trial with a line that lets many cancers in asks no other site for sure (`primary_site.open_to_many`)."""
    from matcher.eligibility.kinds.primary_site import open_to_many  # primary_site reads histology's helpers

    criteria = open_to_many(_set_apart(_under_other_organ(criteria)))
    kb = load_knowledge()

    def required(c: Criterion) -> set[str]:
        wanted = [f.values for f in c.facts if f.kind is FactKind.HISTOLOGY and f.polarity is Polarity.REQUIRE]
        return {h for v in wanted if isinstance(v, HistologyValues) and not v.permission for h in v.histologies}

    inclusion = [c for c in criteria if c.section is Section.INCLUSION and required(c)]
    cohorts = [c for c in inclusion if any(k.kind == "cohort" for k in c.scope.conditions)]
    if not cohorts:
        return criteria
    changed = list(criteria)
    for c in inclusion:
        if any(k.kind in ("cohort", "histology", "other") for k in c.scope.conditions):
            continue  # a cohort's own criterion, or one already for some patients only
        members = set().union(*(kb.histology_members(h) for h in required(c) if h in kb.histologies))
        added = tuple(
            Condition("other_cohort", shortened(one_line(k.text), 90), h)
            for k in cohorts
            for h in sorted(required(k))
            if h in kb.histologies and not kb.histology_members(h) & members  # a histology the first does not name
        )
        if added:
            changed[c.index] = replace(c, scope=replace(c.scope, conditions=c.scope.conditions + added))
    return changed


def _under_other_organ(criteria: list[Criterion]) -> list[Criterion]:
    """A histology a sub-item requires is another organ's subtype when a lead-in above it asks for that organ's cancer
    (a primary-site requirement) and neither names the thyroid: "Histologically or cytologically confirmed non-small
    cell lung cancer (NSCLC)" / "Large cell anaplastic carcinoma, including giant and clear cell carcinoma"
    (NCT00033553, fresh sample 15's V231): the lung's large cell carcinoma, no anaplastic thyroid carcinoma. The
    sub-item keeps its other facts; the lead-in says what the trial is for. As `another_organs` within a criterion,
    only a requirement: an exclusion that may be another organ's is left to its doubt."""
    changed = _site_under_same_site(criteria)
    for c in changed:
        if c.parent is None:
            continue
        kept = tuple(f for f in c.facts if f.kind is not FactKind.HISTOLOGY or f.polarity is not Polarity.REQUIRE)
        if len(kept) == len(c.facts) or _THYROID.search(c.text):
            continue  # (the histology first: most sub-items require none, and then the text is not searched)
        lead: Criterion | None = criteria[c.parent]
        organ = False
        while lead is not None and not _THYROID.search(lead.text):
            organ = organ or any(f.kind is FactKind.PRIMARY_SITE and f.polarity is Polarity.REQUIRE and not f.uncertain
                                 for f in lead.facts)  # fmt: skip
            lead = criteria[lead.parent] if lead.parent is not None else None
        if organ and lead is None:  # a site asked above, the thyroid named nowhere on the way up
            changed[c.index] = replace(c, facts=kept)
    return changed


def _site_under_same_site(criteria: list[Criterion]) -> list[Criterion]:
    """A primary-site requirement of some alternatives of an any-of lead-in that already asks that site, certain, of
    every patient: "Patient 18 years or older with a diagnosis of non-Hodgkin Lymphoma or chronic lymphocytic leukemia
    (NHL or CLL) and one of the following:" / "Progression of CLL/SLL (small lymphocytic lymphoma) following at least 2
    prior chemotherapy regimens ..." beside "Progression of NHL ..." (NCT00625729). The lead-in says what the trial is
    for; the sub-item's site only names which alternative is that disease's. Kept, it would make the lead-in's site
    one its alternatives define (`matching.evaluate._own_apart`), met when an alternative without it holds: the trial
    would no longer be 'trial is for'. Where every alternative asks the site, nothing changes (each is violated)."""

    def sites(c: Criterion, certain: bool) -> set[str]:
        return {s for f in c.facts if f.kind is FactKind.PRIMARY_SITE and f.polarity is Polarity.REQUIRE
                and not (certain and f.uncertain) for s in getattr(f.values, "sites", ())}  # fmt: skip

    items: dict[int, list[Criterion]] = {}
    for c in criteria:
        if c.parent is not None:
            items.setdefault(c.parent, []).append(c)
    changed = list(criteria)
    for parent, kids in items.items():
        lead = criteria[parent]
        above = sites(lead, certain=True)
        if not lead.any_of or not above or _THYROID.search(lead.text):
            continue
        repeat = [k for k in kids if sites(k, certain=False) and sites(k, certain=False) <= above]
        if not repeat or len(repeat) == len(kids):
            continue
        for k in repeat:
            changed[k.index] = replace(k, facts=tuple(f for f in k.facts if f.kind is not FactKind.PRIMARY_SITE
                                                      or f.polarity is not Polarity.REQUIRE))  # fmt: skip
    return changed


def _set_apart(criteria: list[Criterion]) -> list[Criterion]:
    """A diagnosis line of one of the diseases the trial sets its patients apart by is that group's, not everyone's:
    "The subject has a histologically confirmed diagnosis of lymphoma ..." beside "The subject has a histologically
    confirmed solid tumor ...", where other criteria open on "For subjects with solid tumors," and "Subjects with
    indolent lymphoma must" (NCT00486135; fresh sample 12's S035). Only a diagnosis outside the thyroid's
    (`hist.other`) whose words name one group (`cue.scope.disease_group`), while another group names another disease:
    a thyroid trial's "Patients with DTC must ..." leaves its DTC diagnosis line everyone's. The line gets a cohort
    condition, which a profile does not decide: it cannot violate."""
    groups = [
        k.text
        for c in criteria
        for k in c.scope.conditions
        if k.kind in ("histology", "other", "cohort") and cue("cue.scope.disease_group").search(k.text)
    ]
    if len(groups) < 2:
        return criteria
    changed = list(criteria)
    for c in criteria:
        if c.section is not Section.INCLUSION or c.scope.conditions:
            continue
        wanted = [f for f in c.facts if f.kind is FactKind.HISTOLOGY and f.polarity is Polarity.REQUIRE]
        # ... or the site kind's reading of the same bare words ("lymphoma": a blood cancer, `other_tumour_site`)
        wanted += [f for f in c.facts if f.kind is FactKind.PRIMARY_SITE and f.polarity is Polarity.REQUIRE
                   and set(f.evidence.lower().split(", ")) <= set(_BARE_OTHER_SITES)]  # fmt: skip
        if not wanted or any(
            f.kind is FactKind.HISTOLOGY
            and (not isinstance(f.values, HistologyValues) or f.values.histologies != ("hist.other",)
                 or f.values.permission)
            for f in wanted
        ):  # fmt: skip
            continue
        words = {f.evidence.lower() for f in wanted}
        own = [g for g in groups if any(w in g.lower() for w in words)]
        if own and any(all(w not in g.lower() for w in words) for g in groups):
            changed[c.index] = replace(c, scope=replace(c.scope, conditions=(Condition("cohort", own[0]),)))
    return changed


KIND = Kind(FactKind.HISTOLOGY, HistologyValues, extract, evaluate, frozenset({"HISTOLOGY"}))
