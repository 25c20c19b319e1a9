"""Prior therapy and washouts: drugs, classes and categories named in a criterion, with counts, windows (calendar
units) and exceptions; the evaluator reads the patient's treatment history.

A window belongs to the mentions before it ("anticancer treatment within 21 days or any investigational agent
within 30 days" -> two facts); a progression between a therapy and a window takes the window ("progressed within
14 months ... and was treated with cabozantinib": no cabozantinib window). The trial's own drug named as a time
anchor ("prior to planned start of LOXO-292", "OOL Lenvatinib Treatment Period") is not a prior therapy, nor is
the treatment of a condition ("infection requiring systemic therapy") or what a definition calls systemic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from typing import NamedTuple

import msgspec

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity, Section, Values, shortened
from matcher.eligibility.cues import QuickPattern, cue
from matcher.eligibility.kinds.base import Finding, Kind, add_window, lazy_regex
from matcher.eligibility.kinds.primary_site import THYROID
from matcher.eligibility.kinds.progression import no_standard_therapy
from matcher.eligibility.kinds.rai_refractory import rai_failure
from matcher.eligibility.numbers import Window
from matcher.eligibility.text import (
    THERAPY_CONCEPTS,
    THERAPY_LABELS,
    CriterionText,
    Mention,
    make_fact,
    permits,
    sentence_break,
    sentence_start,
)
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient, Therapy, TherapyKind


class TherapyValues(Values, frozen=True):
    drugs: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # systemic | investigational | surgery | radiotherapy | radioiodine
    except_drugs: tuple[str, ...] = ()
    except_classes: tuple[str, ...] = ()
    min_count: int = 1
    max_count: int | None = None
    within: Window | None = None
    progressed: bool = False
    ongoing: bool = False
    # what an anticancer treatment not told as systemic may also be (radioiodine, radiotherapy): a requirement unmet
    # without them and not unmet with them is uncertain (`cue.therapy.anticancer_not_systemic`, therapy 15)
    maybe_categories: tuple[str, ...] = ()


_CONDITIONAL = cue("cue.condition.lesion")
_THERAPY_CUE = lazy_regex(
    r"\b(?:prior|previous|previously|received|receiving|receipt|treated|treatment|therapy|therapies|exposure|"
    r"exposed|administ\w+|given|history|progressed|progression|underwent|undergone|use|line|lines|regimens?|"
    r"within|since|elapsed|naive|naïve|refractory|intolerant|failed|failure|concurrent|concomitant|currently|"
    r"ongoing)\b",
    re.IGNORECASE,
)
PROGRESSED_ON = lazy_regex(
    r"\b(?:progress\w*|PD|refractory|failed|failure|intoleran\w*)\b[^.;]{0,40}?\b(?:on|after|following|during|to|despite|with)\b",
    re.IGNORECASE,
)
# "progressed on", "failed prior", "refractory to" just before the therapy; "TKI failure" just after it
_PROGRESSED_BEFORE = lazy_regex(
    r"\b(?:progress\w*|PD|refractory|failed|failure|intoleran\w*)\b[^.;]{0,25}?\b(?:on|after|following|during|to|"
    r"despite|with|of)\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_PROGRESSED_AFTER = lazy_regex(r"\s*(?:\([^)]{0,20}\)\s*)?(?:failure|refractory|intoleran\w*|progression on)\b", re.I)
# The trial's own drug as a time anchor: "prior to planned start of LOXO-292", "first dose of lenvatinib"
_ANCHOR_BEFORE = lazy_regex(
    r"\b(?:start(?:ing)?|initiation|initiating|first dose|last dose|final dose|dose|doses|administration|day 1|"
    r"cycle 1|completion)\s+(?:of\s+)?(?:the\s+)?(?:study\s+drug\s+)?$|"
    r"\b(?:requested|request)\s+(?:treatment\s+with\s+)?$",
    re.IGNORECASE,
)
_ANCHOR_AFTER = lazy_regex(r"\s*(?:treatment\s+period|period|phase|arm)\b", re.IGNORECASE)
# The trial's own radiotherapy, of a named kind, as a time anchor: "radiation therapy, major surgery, ... within 4 weeks
# prior to the first date of SBRT" (NCT02989870) is a washout of any radiotherapy; read as the patient's, the kind
# (SBRT) made the washout uncertain (review of therapy 6). Only a named kind: "Major surgery ... that is not recovered
# at least 14 days before the initiation of thoracic radiation therapy" (NCT03043599) would become a certain surgery
# washout, which its recovery condition is not
_RADIOTHERAPY_ANCHOR = lazy_regex(
    r"\b(?:prior\s+to|before)\s+(?:the\s+)?(?:first\s+(?:date|day|dose|fraction)|start|initiation|beginning)\s+of\s+"
    r"(?:the\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
# A therapy a condition requires or needs (`cue.therapy.needed_by_condition`: "Patients requiring radiation therapy",
# "Infections requiring intravenous (IV) systemic therapy", "bone metastases for which radiation therapy ... are
# necessary"): not the patient's history. A generic anticancer therapy so named at most three words after the cue, with
# no bracket between, is no mention (`_therapy_mentions`: "requiring active, ongoing systemic treatment"); a fact whose
# therapies are all so named is uncertain (`_doubt`)
_NEEDED = cue("cue.therapy.needed_by_condition")


def _needed(c: CriterionText, low: int, m: Mention, near: bool = False) -> bool:
    start, found = max(low, m.start - 60), None
    while later := _NEEDED.search(c.text, start, m.start):  # the cue nearest the therapy
        start, found = later.start() + 1, later
    return found is not None and not (near and ("(" in found.group(0) or len(found.group(0).split()) > 4))


# The aim of a therapy named just before: "hormonal therapy as cancer therapy" (NCT01360827): the named therapy, not
# any anticancer therapy. Not "for": "Any concurrent chemotherapy, IP, biologic, or hormonal therapy for cancer
# treatment" (NCT03753919) was judged to exclude a current dabrafenib (v0996, F050) (therapy 6)
_AIM_OF_NAMED = lazy_regex(
    r"\b(?!(?:prior|previous|other|any|no|all)\b)[\w-]+\s+(?:therap(?:y|ies)|treatments?|agents?|drugs?)\s+"
    r"as\s+(?:(?:a|an|the)\s+)?$",
    re.IGNORECASE,
)
# Toxicity or sequelae of a therapy: not the therapy ("unresolved toxicity > CTCAE grade 1 (except alopecia) from
# previous anticancer therapy", "resolution of all acute toxic effects of prior anti-cancer therapy"). Every therapy
# named after the cue in its clause is the toxicity's cause (`cue.therapy.toxicity`); a condition put down to the
# therapy named right after "due to", "related to" ... (`cue.therapy.caused_by`): "No grade 1 or greater peripheral
# neuropathy due to prior chemotherapy" neither requires nor forbids the chemotherapy (therapy sweep 2)
_TOXICITY = cue("cue.therapy.toxicity")
_CAUSED_BY = cue("cue.therapy.caused_by")
# A day of the study's schedule told by its therapy: "within 21 days of radiation fraction 1" (therapy sweep 2)
_SCHEDULE_ANCHOR = cue("cue.therapy.schedule_anchor")
# What something does to a drug: "might affect the gastrointestinal absorption of capecitabine or imatinib mesylate"
_DRUG_PROPERTY = cue("cue.therapy.drug_property")
# A therapy's name in a group's name ("Radiation Therapy Oncology Group"), a toxicity named after its therapy
# ("cytotoxic therapy-associated acute toxicities"): no therapy asked about (therapy sweep 2)
_INSTITUTION = cue("cue.therapy.institution")
_TOXICITY_AFTER = cue("cue.therapy.toxicity_after")
_DEFINITION = cue("cue.definition.before")
# A sensitivity defined by the time from a therapy to a recurrence: "platinum sensitivity defined as no recurrence
# within 6 months of last receipt of platinum/chemotherapy" (NCT02354131): the window is the time from the therapy to
# the recurrence, not the therapy's recency
_DEFINED_BY_RECURRENCE = lazy_regex(
    r"\bdefined\s+as\b[^.;()]{0,40}?\b(?:recurr\w*|relaps\w*|progress\w*)\b", re.IGNORECASE
)
# "131I administered solely for diagnostic purposes is not considered 131I therapy": a definition
_NOT_CONSIDERED_AFTER = cue("cue.definition.after")
# How therapies are counted, a definition: "prior adjuvant chemotherapy for early stage disease does not count as one
# line of therapy if 12 months or greater elapsed between completion of adjuvant therapy and initiation of first-line
# systemic therapy" (NCT02134886); every therapy in that clause is part of it (parser 20)
_COUNTING = lazy_regex(r"\b(?:does|do)\s+not\s+count\s+(?:as|towards?)\b|\bcounts?\s+as\s+(?:one|1|a|an)\b", re.I)
# The same, said otherwise: "Combined treatment with chemotherapy and radiation constitutes a single regimen",
# "Anti-cancer agents used for pleurodesis are not counted as a line of therapy" (NCT02031744). Only the therapies in
# the same bracket or outside any: "no more than one prior systemic chemotherapy ... (radiotherapy is not counted as a
# line of therapy)" (NCT05380414) still limits the chemotherapy (parser 21)
_COUNTED = lazy_regex(
    r"\b(?:constitutes?|(?:is|are)\s+(?:not\s+)?(?:considered|counted)(?:\s+as)?|(?:be\s+)?counted\s+as)\s+"
    r"(?:(?:one|1|a|an|the\s+same)\s+)?(?:(?:single|separate|additional|new|distinct)\s+)?(?:lines?|regimens?)\b",
    re.I,
)
# Whether a therapy could be given, not whether it was: "not amenable to surgical resection or external-beam
# radiotherapy", "who cannot be treated with radiotherapy", "candidates for surgery"
_CANDIDACY = cue("cue.candidacy.before")
_CANDIDACY_AFTER = cue("cue.candidacy.after")
# the trial's own regimen, plan or schedule: "Patients for the triplet regimen (ganetespib, paclitaxel, trastuzumab):"
_OWN_REGIMEN = cue("cue.candidacy.own_regimen")
_IN_ITS_PARENTHESES = lazy_regex(r"\s*\([^()]*")
# What the text says about a drug, not about the patient: "since concentrations of dabrafenib may be decreased",
# "The effects of dabrafenib on the developing human fetus are unknown", "Dabrafenib should not be administered to
# pediatric populations outside clinical trials", "dabrafenib may cause damage to the tissue that makes sperm",
# "the ability to swallow and retain sunitinib tablets"
_ABOUT_THE_DRUG_BEFORE = lazy_regex(
    r"\b(?:concentrations?|levels?|effects?|exposure|metabolism|clearance|pharmacokinetics)\s+of\s+$", re.IGNORECASE
)
_ABOUT_THE_DRUG_AFTER = lazy_regex(
    r"\s*(?:\([^)]{0,30}\)\s*)?(?:may|might|can|could|should|will|is\s+known\s+to)\s+(?:not\s+)?(?:be\s+)?"
    r"(?:cause|increase|decrease|administered|given|used|interact|affect|induce|inhibit|prolong)\w*\b|"
    r"\s*(?:tablets?|capsules?|pills?)\b",
    re.IGNORECASE,
)
# A lesion's treatment, not the patient's: "prior external beam radiation to the measured tumor constituting the
# target lesion(s)"; and a surgery named only by what it affects: "surgical procedure affecting absorption"
_TO_A_LESION = lazy_regex(
    r"\s*(?:therapy\s+|treatment\s+)?(?:to|of)\s+(?:the\s+|a\s+|any\s+)?(?:only\s+|sole\s+|single\s+)?(?:sites?\s+of\s+)?"
    r"(?:measured\s+|measurable\s+|target\s+|index\s+)+(?:tumou?rs?|lesions?|diseases?)\b",
    re.IGNORECASE,
)
# Where a lesion lies, not the patient's radiotherapy: "Lesions must be outside a previous radiotherapy field if they
# are the sole site of disease" (NCT02031744), "radiation pneumonitis in the radiation field" (parser 21)
_IN_A_FIELD_BEFORE = lazy_regex(
    r"\b(?:outside|within|inside|in|into|from)\s+(?:of\s+)?(?:the\s+|a\s+|an\s+|any\s+)?(?:previous(?:ly)?\s+|prior\s+)?$",
    re.IGNORECASE,
)
_FIELD_AFTER = lazy_regex(r"\s*(?:treatment\s+)?(?:fields?|ports?|volumes?)\b", re.IGNORECASE)
# How lesions are counted, part of a measurable-disease definition: "lesions in previously irradiated anatomic areas
# (external beam radiation) cannot be considered target lesions unless there has been documented growth of those
# lesions after radiotherapy" asks nothing about the patient's radiotherapy
_LESION_COUNTING = lazy_regex(
    r"\b(?:can|cannot|can\s+not|may|may\s+not|will|will\s+not|are|are\s+not|is|is\s+not)\s+(?:be\s+)?"
    r"(?:considered|deemed|counted|used|selected|chosen)\s+(?:as\s+)?(?:an?\s+)?(?:target|measurable|index)\s+"
    r"(?:lesions?|disease)\b",
    re.IGNORECASE,
)
# The organs and body sites a radiotherapy or a surgery can be restricted to, adjective or noun: one list for the three
# patterns below. The profile's radiotherapies and surgeries are not read by site, so a fact restricted to one can
# satisfy but not violate. The thyroid is not among them (a thyroidectomy is the history the profile holds).
_ORGANS = (
    "brain|cranial|cranium|head|neck|bones?|bony|spine|spinal|chest|thorax|thoracic|cardiothoracic|lungs?|pulmonary|"
    "mediastinal|mediastinum|liver|hepatic|hepatobiliary|pelvis|pelvic|abdomen|abdominal|breast|prostate|cardiac|heart|"
    "aortic|vascular|bowel|intestinal|colonic|colorectal|gastric|stomach|gastrointestinal|GI|pancreatic|bariatric|"
    "ocular|eye|orthopa?edic|bladder|renal|kidney|o?esophageal|ovarian|ovary|ovaries|"
    # a heart or vessel procedure: "Coronary artery bypass graft surgery", "coronary artery by-pass graft surgery",
    # "coronary bypass surgery", "Cardiac valvular surgery", "gastric bypass surgery" (parser 25)
    r"coronary|by-?pass(?:\s+graft(?:ing)?)?|valve|valvular"
)
# Radiotherapy to a named site ("Stereotactic or small field brain irradiation must have completed at least 2
# weeks prior", "Whole brain radiation ... 4 weeks")
_SITED_RADIOTHERAPY = lazy_regex(r"\b(?:" + _ORGANS + r")\b[\w\s-]{0,25}$", re.IGNORECASE)
# ... or after it ("No prior radiotherapy to the thorax", "radiotherapy to planned field of treatment", "Radiotherapy
# including lung field", "radiation overlapping with the proposed treatment field"): a site or field
_SITE_AFTER = lazy_regex(
    r"\s*(?:therapy\s+|treatment\s+)?(?:that\s+(?:\w+\s+)?)?"
    r"(?:(?:to|of|including|included|involving|involved|covering|at|overlapping(?:\s+with)?)\s+|"
    r"(?=(?:>=?|≥|(?:more|greater)\s+than)\s*\d+\s*%))"
    r"(?!(?:any|all)\s+(?:other\s+)?sites?\b)"
    # a share of the marrow or nodes: "to more than 10% of bone marrow", "to > 50 % of all nodal groups" (therapy 4)
    r"(?:(?:(?:more|greater|less)\s+than|over|>=?|≥|<)\s*)?(?:\d+\s*%\s*(?:of\s+)?)?"
    r"(?:the\s+|a\s+|any\s+|all\s+|an?\s+|(?:his\s+or\s+her|their|his|her)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:" + _ORGANS + r"|marrow|nodal|fields?|sites?|areas?|regions?|lesions?)\b",
    re.IGNORECASE,
)
# A surgery of a named organ or site ("Have a history of cardiac or aortic surgery", "previous bowel surgery",
# "No previous history of gastric or hepatobiliary surgery"; HINT: NCT02154646, NCT02055690)
_SITED_SURGERY = lazy_regex(r"\b(?:" + _ORGANS + r")\b(?:\s+(?:or|and|and/or)\s+[\w-]+)?\s*$", re.IGNORECASE)
# A therapy the patient plans or will have, not one they had: "Patients planning on receiving other anti-cancer
# therapies while on this study" (NCT00439296), "Major surgery ... planned after study", "Radiotherapy including lung
# field concerned since the administration of the product until the end of the study" (NCT02250118), "no intention
# to start routine adjuvant systemic therapy": the profile holds the history, not plans, so a fact read from such a
# clause (often beside a history: "Major surgery during the previous month or planned after study") can satisfy,
# never violate. "within 4 weeks of planned start of LOXO-292" is a time anchor, not a plan.
_FUTURE_THERAPY = lazy_regex(
    r"\bplan(?:s|ning)\s+(?:on|to)\s+(?:receiv|undergo|hav|start|get|be\s+treated|participat)\w*|"
    r"\bplans?\s+to\s+(?:receiv|undergo|hav|start|get|participat)\w*|\b(?:or|and|is|are|be|been)\s+planned\b|"
    r"\bplanned\s+(?:after|during|for|participation)\b|\bas\s+planned\b|"
    r"\b(?:intention|intends?|due|scheduled)\s+to\s+(?:start|receiv|undergo|begin|have)\w*|"
    r"\buntil\s+the\s+end\s+of\s+(?:the\s+)?(?:study|trial)\b|"
    # "Intent to administer neoadjuvant chemotherapy" (NCT01440127), "a plan for surgical resection" (NCT00256334),
    # "Radiation therapy after start of the protocol" (NCT00306813): therapy sweep 2
    r"\bintent\s+to\s+(?:administer|give|start|receiv|undergo)\w*|\bplan\s+for\b|"
    # "Patient must have a completed treatment plan" (NCT01063478), "to be treated with radiation therapy"
    # (NCT01826838), "Scheduled or possibility of scheduling primary surgery" (NCT02802748), "Plan to initiate systemic
    # cancer therapy" (NCT02555878), "agree to not donate sperm ... after receiving their last dose" (NCT02393209)
    r"\btreatment\s+plan\b|\bto\s+be\s+treated\s+with\b|\bscheduling\b|\bscheduled\s+or\b|\bplans?\s+to\s+initiat\w*|"
    r"\bagree\w*\s+(?:not\s+)?to\b[^.;]{0,160}\b(?:after|during|until)\b|"
    r"\bafter\s+(?:the\s+)?start\s+of\s+(?:the\s+)?(?:protocol|study|trial)\b|"
    # the study's own schedule and agreements: "Starting 7 days prior to study virus injection continuing until after
    # the iodine I 131 radioiodine therapy on day 5" (NCT00788307), "Agree to abstain from donating blood while taking
    # CC-122 or sorafenib" (NCT02323906)
    r"\bcontinuing\s+until\b|\btherapy\s+on\s+(?:study\s+)?day\s+-?\d+\b|"
    r"\bagree\w*\s+(?:not\s+)?to\b[^.;]{0,80}\bwhile\s+(?:taking|receiving|on)\b",
    re.IGNORECASE,
)
# The same class in data ("Plan of curative radiotherapy with or without concurrent chemotherapy", NCT02059967; "No
# planned palliative procedures ...", NCT01949337: therapy 7)
_PLAN_OF = cue("cue.therapy.plan_of")
# A wait in hours ("Palliative radiation must have been completed at least 48 hours prior"): not a calendar window
_HOURS = lazy_regex(r"\b\d+\s*(?:hours?|hrs?)\b", re.IGNORECASE)
# The therapy a reaction or toxicity is put down to, not a therapy asked about: "No prior sensitivity (e.g., rash,
# dyspnea, ...) attributed to anthracyclines" (NCT00346229) neither requires nor forbids anthracyclines
_CAUSE_BEFORE = lazy_regex(r"\b(?:attributed|attributable|ascribed)\s+to\s+(?:(?:the|any|prior|previous)\s+)?$", re.I)
_AFFECTING = lazy_regex(r"\s*(?:[\w-]+\s+){0,2}?(?:affecting|that\s+(?:would|could|may)\s+affect)\s+absorption\b", re.I)
# The trial's own treatment as the reason for a criterion: "illness that may deteriorate during the isolation
# period required by radioiodine therapy"
_REQUIRED_BY = lazy_regex(r"\b(?:required|needed|necessary)\s+(?:by|for)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I)
# "anti-cancer treatment with tyrosine kinase inhibitors": the named classes, not all systemic therapy
_QUALIFIED_BY = lazy_regex(
    r"\s*(?:for\s+[^,;()]{1,40}?\s+)?(?:with|of)\s+(?!or\s+without\b)(?:use\s+of\s+)?(?:any\s+|the\s+|an?\s+)?"
    # the target of a class named after it: "with VEGF or VEGF receptor targeted therapy" (NCT02231749; therapy 6)
    r"(?:(?:(?-i:[A-Z])[\w/()-]*|or|receptors?)\s+){0,4}",
    re.IGNORECASE,
)
_WIDENING = lazy_regex(r"\bincluding\s+(?:those|patients|subjects|participants)\s+who\b[^,;()]*$", re.IGNORECASE)
_DIAGNOSTIC = lazy_regex(r"[\s-]*(?:scan\w*|uptake|imaging|avid\w*|whole[- ]body|diagnostic)\b", re.IGNORECASE)
_CAUTION = lazy_regex(r"\bwith caution\b", re.IGNORECASE)
_DERIVATIVES = lazy_regex(r"\s*(?:or|and)\s+(?:any\s+of\s+)?(?:its|their)\s+(?:derivatives|analogues|analogs)\b", re.I)
_VEGF_BEFORE = lazy_regex(
    r"\bVEGF(?:-?R|\s+receptors?)?\)?\s*-?\s*$|\bvascular endothelial growth[- ]factor\b[^,;]{0,20}$", re.I
)
_VEGF_AFTER = lazy_regex(r"\s*(?:\([^)]{0,40}\)\s*)?(?:that|which)\s+targets?\s+VEGF", re.IGNORECASE)
_PROCEDURES = {"concept.surgery", "concept.radiotherapy", "concept.radioiodine"}
_PROCEDURE_CUE = lazy_regex(
    r"\b(?:prior|previous|previously|received|receiving|receipt|underwent|undergone|had|history|within|since|"
    r"treated|treatment|therapy|dose|doses|administered|completed|concurrent|concomitant|last|ablation)\b",
    re.IGNORECASE,
)
_BLOCKING = {"concept.progression", "concept.cardiac", "concept.other_malignancy", "concept.brain_metastases"}
# A condition a surgery left, not the surgery: "surgical conditions (eg, stomach or intestinal surgery) that would
# interfere with ... absorption", "incomplete healing from previous major surgery"
_SURGERY_SEQUEL = lazy_regex(r"\b(?:absorption|absorb|heal(?:ed|ing)?|wounds?)\b", re.IGNORECASE)
# The trial's own treatment, not a history: "would compromise the patient's ability to tolerate this treatment"
_OWN_TREATMENT = lazy_regex(r"\b(?:this|the\s+study|study|protocol|trial)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
# A window the text refers to but does not give: the reading is not complete
_UNSTATED_WINDOW = lazy_regex(
    r"\bwithin\s+(?:a\s+|the\s+)?(?:certain|specified|defined|specific|given)\s+(?:amount\s+of\s+time|periods?|times?)",
    re.I,
)
# Examples of what was just named: "immunotherapy, including combinations of immunotherapy and other anticancer or
# targeted agents" asks about immunotherapy, not about every targeted agent
_EXAMPLES = lazy_regex(r"\b(?:including|such\s+as|e\.g\.|for\s+example|i\.e\.)", re.IGNORECASE)
# A therapy of a condition the criterion is about: "HIV requiring antiretroviral therapy", "brain metastases treated
# with radiotherapy": the condition's own kind reads it
_TREATED_CONDITIONS = ("concept.hiv", "concept.hepatitis_b", "concept.hepatitis_c", "concept.hepatitis",
                       "concept.infection", "concept.brain_metastases")  # fmt: skip


def _anchored(c: CriterionText, m: Mention, previous: Mention | None) -> bool:
    before = c.text[max(0, m.start - 60) : m.start]
    if m.label == "DRUG" and (_ANCHOR_BEFORE.search(before) or _ANCHOR_AFTER.match(c.text, m.end)):
        return True
    if m.id == "concept.radiotherapy" and _RADIOTHERAPY_ANCHOR.search(before) and _of_kind(m.text):
        return True
    # "start of LOXO-292 (selpercatinib)": the bracketed name shares its anchor
    return bool(
        previous is not None
        and previous.label == "DRUG"
        and re.fullmatch(r"\s*\(\s*", c.text[previous.end : m.start])
        and _anchored(c, previous, None)
    )


def _put_down_to(before: str) -> bool:
    """Whether the text before a therapy's name ends with a cause cue ("peripheral neuropathy due to prior")."""
    return any(not before[found.end() :].strip() for found in _CAUSED_BY.finditer(before))


# A list of therapies joined before the toxicity named after them: "sorafenib or lenvatinib related toxicity"
_JOINED = lazy_regex(r"\s*(?:,\s*(?:(?:and|or)\s+)?|/\s*|(?:and/or|or|and)\s+)", re.IGNORECASE)


def _toxicity_named_after(c: CriterionText, m: Mention) -> bool:
    """Whether a toxicity is named right after the therapy, or after the list of therapies it opens: "a grade 3 or
    higher sorafenib or lenvatinib related toxicity" (NCT02716012) is no sorafenib asked about (therapy sweep 2
    review)."""
    end = m.end
    for _ in range(4):
        if _TOXICITY_AFTER.match(c.text, end):
            return True
        joined = _JOINED.match(c.text, end)
        following = joined and next((n for n in c.mentions if n.start == joined.end()), None)
        if not following:
            return False
        end = following.end
    return False


def _of_a_drug_property(c: CriterionText, low: int, m: Mention) -> bool:
    """Whether the therapy is the drug whose property is named before it in its clause ("the gastrointestinal
    absorption of capecitabine or imatinib mesylate"), not a therapy named past a parenthesis that opens after the
    property: "alter the absorption of study drug ... (e.g., ... gastric bypass surgery within last 1 year)"
    (NCT02225574) still asks about the surgery (therapy sweep 2 review)."""
    return any("(" not in c.text[found.end() : m.start] for found in _DRUG_PROPERTY.finditer(c.text, low, m.start))


def _permitted_aside(c: CriterionText, m: Mention) -> bool:
    """Whether the mention sits in a parenthesis that permits: "(metastatic brain or leptomeningeal tumors treated
    with radiation and/or surgery are allowed)" says what stays eligible, not what excludes."""
    before = c.text[: m.start]
    opened = before.rfind("(")
    if opened < 0 or before.rfind(")") > opened:
        return False
    closed = c.text.find(")", m.end)
    return permits(c.text[opened + 1 : closed if closed >= 0 else len(c.text)])


def _cumulative(c: CriterionText, m: Mention) -> bool:
    """Whether the mention's clause is about the cumulative radioiodine activity and nothing else: "with the last
    dose administered at least 6 months prior to study entry" in the same clause still asks for a washout."""
    clause = c.clause(m.start)
    return not _durations(c.clause_text(m.start))[0] and any(
        x.id == "concept.cumulative_activity" and c.clause(x.start) == clause for x in c.mentions
    )


# A class named once for a list of targets: "other BRAF or MEK inhibitors", "BRAF, MEK or HSP90 inhibitor therapy".
# Each target whose "<target> inhibitor" is a class of the vocabulary names that class.
_ELIDED = lazy_regex(
    r"\b(?P<targets>(?:[A-Za-z][\w-]*(?:\s*,\s*(?:or\s+|and\s+)?|\s*/\s*|\s+(?:or|and|and/or)\s+))+)"
    r"(?P<last>[A-Za-z][\w-]*)\s+inhibitors?\b"
)
_TARGET = lazy_regex(r"[A-Za-z][\w-]*")
_UNTREATED = lazy_regex(r"\b(?:untreated|naive|naïve)\b", re.IGNORECASE)


def _elided_classes(c: CriterionText, kb: KnowledgeBase) -> list[Mention]:
    """CLASS mentions for the targets of a shared "inhibitor(s)" ("BRAF or MEK inhibitors" -> the BRAF-inhibitor
    class at "BRAF"), where no mention of the vocabulary already covers the target."""
    if "nhibitor" not in c.text:
        return []
    found = []
    for match in _ELIDED.finditer(c.text):
        if _UNTREATED.search(c.text, max(0, match.start() - 40), match.start()):
            continue  # "previously untreated with RAF, MEK, or other inhibitors": no polarity cue reads "untreated"
        for target in _TARGET.finditer(c.text, match.start("targets"), match.end("last")):
            drug_class = kb.class_by_name(f"{target.group(0)} inhibitor")
            start, end = target.span()
            covered = any(m.start < end and start < m.end and m.label in THERAPY_LABELS for m in c.mentions)
            if drug_class is not None and not covered:
                found.append(Mention("CLASS", drug_class.id, start, end, target.group(0)))
    return found


# A note inside the criterion asks nothing of the patient: "(Note: Must have had >= 1 radioiodine scan since the last
# radioiodine treatment)"
# or a note that opens on whom it is for, to the end of its sentence: "... prior systemic therapy ... Note: Patients who
# have previously received ipilimumab and have documented gastrointestinal (GI) toxicity must have a normal
# colonoscopy" (NCT02153905), "Note: If subject received major surgery, they must have recovered" (parser 20)
_NOTE = lazy_regex(
    r"\(\s*notes?\s*:[^()]*\)|\bnotes?\s*:\s*(?:if\b|(?:in\s+|for\s+)?(?:patients?|subjects?|participants?|those)\s+"
    r"(?:who|with)\b)[^.;]*",
    re.IGNORECASE,
)


def _therapy_mentions(c: CriterionText, elided: list[Mention]) -> list[Mention]:
    """The mentions that name a therapy the patient had (or must not have had)."""
    kept: list[Mention] = []
    previous: Mention | None = None
    planned_end = -1  # where the last planned therapy's name ends
    notes = [note.span() for note in _NOTE.finditer(c.text)]
    for m in sorted([*c.mentions, *elided], key=lambda x: x.start) if elided else c.mentions:
        if not _is_therapy(m):
            continue
        before = c.text[max(0, m.start - 60) : m.start]
        low, _ = c.clause(m.start)
        skip = (
            _anchored(c, m, previous)
            or bool((tox := _TOXICITY.search(c.text, low, m.start)) and tox.end() <= m.start)
            or bool(_DEFINITION.search(c.text, low, m.start) or _DEFINITION.search(before))
        )
        skip = skip or bool(_WIDENING.search(c.text, low, m.start))  # "including those who have not had any ..."
        # a wider look back: "poor candidates for or refractory to further surgery or radioactive I-131 therapy"
        candidacy = _CANDIDACY.search(c.text, max(0, m.start - 100), m.start)
        skip = skip or bool(candidacy or _CANDIDACY_AFTER.match(c.text, m.end))
        own_regimen = bool(_OWN_REGIMEN.search(c.text, max(low, m.start - 160), m.start))
        skip = skip or own_regimen
        # the drugs of a planned therapy, in its parentheses: "scheduled for treatment with cytotoxic chemotherapy
        # (Gemcitabine HCL/Carboplatin)" (NCT01466647)
        skip = skip or bool(planned_end >= 0 and _IN_ITS_PARENTHESES.fullmatch(c.text, planned_end, m.start))
        skip = skip or any(a <= m.start < b for a, b in notes)
        skip = skip or bool(_REQUIRED_BY.search(before) or _ABOUT_THE_DRUG_BEFORE.search(before))
        skip = skip or bool(_TO_A_LESION.match(c.text, m.end) or _AFFECTING.match(c.text, m.end))
        # an excepted therapy stays one, to be read as the exception: "(with the exception of when ... the treatment was
        # discontinued due to docetaxel related side effect)" (NCT02890511)
        skip = skip or bool(_CAUSE_BEFORE.search(before) or (_put_down_to(before) and not c.excepted(m)))
        skip = skip or bool(_SCHEDULE_ANCHOR.match(c.text, m.end) or _of_a_drug_property(c, low, m))
        skip = skip or bool(_INSTITUTION.match(c.text, m.end))
        # what a condition contraindicates or precludes: "a disease or condition that contraindicates the use of an
        # investigational drug" (NCT00551421, fresh sample 10's Q065): no therapy of the patient's (therapy 3)
        skip = skip or bool(_CONTRAINDICATED.search(before))
        # a time told by a therapy's start, most often the trial's own: "within 3 weeks of the patient starting
        # chemotherapy" (NCT00783471), "within 3 weeks of initiating investigational treatment" (therapy sweep 2)
        skip = skip or _started(c, m)
        skip = skip or bool(_toxicity_named_after(c, m) and not c.excepted(m))
        skip = skip or bool(_FIELD_AFTER.match(c.text, m.end) and _IN_A_FIELD_BEFORE.search(before))
        skip = skip or _permitted_aside(c, m)
        skip = skip or _not_included(c, low, m)
        skip = skip or _no_therapy_asked(c, m)
        # "No concurrent chemotherapy may be given" is a prohibition about the patient: only an unnegated subject
        skip = skip or bool(m.label == "DRUG" and _ABOUT_THE_DRUG_AFTER.match(c.text, m.end) and not c.negated(m))
        skip = skip or bool(_NOT_CONSIDERED_AFTER.match(c.text, m.end) or _COUNTING.search(c.clause_text(m.start)))
        skip = skip or _counted(c, m)
        if m.id == "concept.radioiodine" and (rai_failure(c, m) or _cumulative(c, m)):
            skip = True  # refractoriness ("did not respond to radioiodine", "cumulative activity > 600 mCi"): _rai
        if m.id == "concept.surgery" and _SURGERY_SEQUEL.search(c.text) and not _durations(c.clause_text(m.start))[0]:
            skip = True  # with a window it is a washout: "major surgery within 4 weeks, or incision not healed"
        if m.id == "concept.radioiodine" and (_DIAGNOSTIC.match(c.text, m.end) or "diagnostic" in before[-25:].lower()):
            skip = True  # "diagnostic radioiodine scanning performed within 28 days": a scan, not a therapy
        if m.id == "concept.systemic_therapy":
            skip = skip or _needed(c, low, m, near=True) or bool(_OWN_TREATMENT.search(before))
            skip = skip or bool(_AIM_OF_NAMED.search(before))
            following = next((x for x in c.mentions if x.start >= m.end and x.label in THERAPY_LABELS), None)
            if following is not None and _QUALIFIED_BY.fullmatch(c.text, m.end, following.start):
                skip = True  # "anti-cancer treatment with tyrosine kinase inhibitors": the named classes
        if kept and c.clause(kept[-1].start) == c.clause(m.start):
            skip = skip or _an_example(c.text, kept[-1].end, m.start)
        previous = m
        if not skip:
            kept.append(m)
        elif own_regimen:
            planned_end = m.end
    return kept


# What a therapy named before does not include: "Previous treatment with anti-myeloma therapy (does not include
# radiotherapy, bisphosphonates, or a single short course of steroid ... for 4 days)" (NCT02215980) neither asks for
# radiotherapy nor forbids it (an exception in `cue.exception`; parser 24)
_NOT_INCLUDED = lazy_regex(r"(?:does|do)\s+not\s+include|not\s+including", re.IGNORECASE)


def _not_included(c: CriterionText, low: int, m: Mention) -> bool:
    return any(low <= start < m.start < end and _NOT_INCLUDED.match(c.text, start) for start, end in c.exceptions)


def _an_example(text: str, start: int, position: int) -> bool:
    """Whether ``position`` lies in examples of what was named before ``start``: after "including" or "such as", up to
    the end of the clause or of the parenthesis the cue opened ("antibody (including investigational antibody) or
    systemic chemotherapy": the chemotherapy is not an example)."""
    cue = _EXAMPLES.search(text, start, position)
    if cue is None:
        return False
    between = text[cue.end() : position]
    opened = text[start : cue.start()].count("(") - text[start : cue.start()].count(")")
    return not (opened > 0 and between.count(")") > between.count("("))


def _durations(clause: str) -> tuple[list[tuple[int, Window]], bool]:
    """(position, window) of the windows in a clause, a parenthesised one only when it is the only kind; and whether
    a window-like duration could not be read (out of bounds)."""
    found, unread = [], False
    for match in numbers.DURATION.finditer(clause):
        if numbers.NOT_A_WINDOW.match(clause, match.end()) or _APART.match(clause, match.start()):
            continue  # "checked at least 7 days apart" (NCT03043989): a spacing, not a window (therapy sweep 2)
        window = numbers.window_of(match)
        if window is None:
            unread = True
            continue
        before = clause[: match.start()]
        found.append((match.start(), window, before.count("(") > before.count(")")))
    outside = [(p, w) for p, w, inside in found if not inside]
    return outside or [(p, w) for p, w, _ in found], unread


def _window_of(
    m: Mention, low: int, durations: list[tuple[int, Window]], blockers: list[int]
) -> tuple[Window | None, bool]:
    """The window of one mention: the first after it (unless a progression lies between), else one before it that
    no earlier mention claims. The flag says whether it came after the mention."""
    for position, window in durations:
        if position + low >= m.end:
            if any(m.end <= b < position + low for b in blockers):
                return None, True
            return window, True
    earlier = [(p, w) for p, w in durations if p + low < m.start]
    if earlier:
        position, window = earlier[-1]
        if not any(position + low > b for b in blockers if b < m.start):
            return window, False
    return None, False


def _next_window(low: int, durations: list[tuple[int, Window]], m: Mention) -> int:
    return next((p + low for p, _ in durations if p + low >= m.end), m.end)


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    elided = _elided_classes(c, kb)
    candidates = [m for m in c.mentions if _is_therapy(m)] + elided
    if not candidates or not _THERAPY_CUE.search(c.text) or c.has("concept.hypersensitivity"):
        return []
    if any(c.has(concept) for concept in _TREATED_CONDITIONS):
        return []
    if c.has("concept.pregnancy") or c.has("concept.breastfeeding") or c.has("concept.contraception"):
        return []  # "not pregnant, because this study involves an investigational agent"
    if _CAUTION.search(c.text):
        return []  # "drugs with a predisposition to hepatotoxicity should be used with caution"
    progression = any(
        m.id == "concept.progression" or (m.id == "concept.active_state" and m.text.lower().startswith("progress"))
        for m in c.mentions
    )
    rai_definition = c.section is Section.INCLUSION and progression and c.has("concept.radioiodine")
    mentions = [m for m in _therapy_mentions(c, elided) if not (rai_definition and m.id == "concept.radioiodine")]
    # A procedure named without a cue of having had it ("indication for other therapy modality (ie. surgery)",
    # "physical or psychiatric illness ... radioiodine") is not a prior-therapy criterion.
    mentions = [m for m in mentions if m.id not in _PROCEDURES or _PROCEDURE_CUE.search(c.clause_text(m.start))]
    facts = []
    by_clause: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        by_clause.setdefault(_examples_joined(c, m.start), []).append(m)
    for (low, high), clause_mentions in by_clause.items():
        facts.extend(_clause_facts(c, kb, low, high, clause_mentions))
    facts = _counting_widened(c, facts)
    return no_standard_therapy(c, facts)  # "... refractory to standard therapy, or for which none exists"


def _concurrent(c: CriterionText, low: int, high: int) -> bool:
    """Whether a fact read from the clause at ``low``-``high`` asks about a current therapy: the criterion names one
    concurrent in that clause, or outside a bracket that gives examples of something else ("prior chemotherapy for
    non-metastatic disease (i.e. adjuvant therapy or concurrent chemo-radiotherapy) is allowed", NCT02438722, made
    "must not have received any prior systemic anticancer therapy for advanced or metastatic disease" a current
    therapy only; therapy 6)."""
    found = [m for m in c.mentions if m.id == "concept.concomitant"]
    return any(low <= m.start < high or not _EXAMPLE_BRACKET.search(c.text, 0, m.start) for m in found)


# a bracket of examples still open at the end of the text: "(i.e. adjuvant therapy or "
_EXAMPLE_BRACKET = lazy_regex(r"\(\s*(?:i\.e\.|e\.g\.|eg\b|ie\b|such\s+as|including)[^()]*$", re.IGNORECASE)


def _past_open_bracket(c: CriterionText, low: int, high: int) -> str:
    """The clause, carried on past a bracket it leaves open to the end of the clause the bracket closes in: "Patients
    with one prior relapse on a bevacizumab or an anti-VEGF(R) (i.e. VEGF-trap, vandetanib, ..., XL184, etc.)
    containing regimen are allowed to participate" (NCT01339039) is cut at "etc." inside the bracket (therapy 6)."""
    clause = c.text[low:high]
    if clause.count("(") <= clause.count(")"):
        return clause
    closed = c.text.find(")", high)
    return clause if closed < 0 else c.text[low : c.clause(closed)[1]]


def _counted(c: CriterionText, m: Mention) -> bool:
    """Whether the mention is part of a statement of how lines or regimens are counted (`_COUNTED`) in its clause and
    in the same bracket: "History of >=1 prior chemotherapy regimen (treatment with EGFR tyrosine kinase inhibitors
    will be counted as one regimen)" (NCT01069757) still asks for the chemotherapy."""
    low, high = c.clause(m.start)
    for found in _COUNTED.finditer(c.text, low, high):
        between = c.text[min(m.end, found.start()) : max(m.start, found.end())]
        if "(" not in between and ")" not in between:
            return True
    return False


def _counting_widened(c: CriterionText, facts: list[Fact]) -> list[Fact]:
    """Facts beside a statement that counts other therapies in ("treatment with EGFR tyrosine kinase inhibitors will
    be counted as one regimen", NCT01069757) are uncertain: the count they ask for takes therapies they do not name.
    A statement that counts some out ("radiotherapy is not counted as a line of therapy") leaves them as read."""
    widening = [m for m in _COUNTED.finditer(c.text) if not re.search(r"\bnot\b", m.group(0), re.I)]
    if not widening:
        return facts
    doubt = f"the text counts other therapies in ({widening[0].group(0)!r})"
    return [f.doubted(doubt) for f in facts]


def _clause_facts(c: CriterionText, kb: KnowledgeBase, low: int, high: int, mentions: list[Mention]) -> list[Fact]:
    clause = c.text[low:high]
    if _LESION_COUNTING.search(clause):
        return []
    durations, unread = _durations(clause)
    others = [x for x in c.mentions if low <= x.start < high]
    groups: dict[Window | None, list[Mention]] = {}
    exceptions: list[Mention] = []
    for m in mentions:
        window, after = _window_of(m, low, durations, [x.start for x in others if x.id in _BLOCKING])
        window_at = _next_window(low, durations, m)
        own = after and window is not None and not any(m.end <= x.start < window_at for x in mentions)
        if c.excepted(m) and not own:
            if m.label in THERAPY_LABELS:
                exceptions.append(m)
            continue
        groups.setdefault(window, []).append(m)
    if not groups:
        return []
    low_count, high_count = numbers.count_bounds(clause)
    # "at least 4 weeks since prior X"; "off all previous ... therapy for 3 weeks prior to ...", "At least 14 days
    # between X initiation and last cancer therapy" (`cue.washout.gap`, parser 24): a gap, met by no recent therapy
    since = bool(numbers.SINCE_CUE.search(clause))
    gap = bool(_WASHOUT_GAP.search(clause))
    # a window told as "within 6 months" is a time the therapy was had in, not the gap: "Must have received a prior
    # platinum regimen within 6 months and discontinued it for at least 4 weeks" requires the platinum (review of
    # parser 24)
    had_within = {w for p, w in durations if _WITHIN_BEFORE.search(clause, max(0, p - 30), p)}
    unbracketed = _BRACKET.sub("", _past_open_bracket(c, low, high))  # "(... is allowed)" is aside
    permission = permits(unbracketed) or bool(_NOT_EXCLUDED.search(unbracketed))  # "will not be excluded" (therapy 16b)
    if permission and c.section is Section.EXCLUSION:
        return []  # "Patients are eligible if ... no CNS surgery or radiation has been performed for 28 days"
    facts = []
    work = list(groups.items())
    for window, kept in work:  # a group may be split below (appended)
        first = kept[0]
        if c.section is Section.INCLUSION and _CONDITIONAL.search(c.text[low : first.start]):
            continue  # "lesions that have had radiotherapy must show progression": a condition, not a requirement
        if re.match(r"\W*if\b", c.text[low : first.start], re.IGNORECASE):
            continue  # "if they have had radiotherapy, ...": a condition, not a requirement
        if permission and window is None and high_count is None:
            continue  # "prior radiotherapy is allowed": no requirement
        polarity = c.polarity(first)
        capped = False
        if polarity is Polarity.REQUIRE and _MUST_NOT_HAVE.search(c.text, low, first.start):
            polarity = Polarity.EXCLUDE  # "patients may not have received a BRAF, ... (MEK) or HSP90 inhibitor"
            capped = bool(_DOSE_CAP.search(clause))  # "may not have had > 450 mg/m2 of doxorubicin"
        if permission and window is None:
            polarity = Polarity.REQUIRE  # "up to two prior VEGFR TKIs are allowed": a cap on the count
        if polarity is Polarity.REQUIRE and _any_number(c, window, high_count, kept):
            continue  # "Have received any number lines of prior systemic therapy": none is a number too (therapy 16b)
        if (
            window is not None
            and (since or permission or (gap and window not in had_within))
            and polarity is Polarity.REQUIRE
        ):
            polarity = Polarity.EXCLUDE  # "at least 4 weeks since prior X", "X allowed if stopped 14 days before"
        entry_barred = None
        if window is not None and polarity is Polarity.REQUIRE:
            entry_barred = _CANNOT_ENTER.search(c.text, first.end, high)
        if entry_barred:
            polarity = Polarity.EXCLUDE  # "patients receiving prior radiation cannot register within 7 days after"
        if window is None and not durations and polarity is Polarity.EXCLUDE and not _concurrent(c, low, high):
            window = _list_window(c, low, high)  # "...; participation in ... within the past 4 weeks" (therapy 16)
        if high_count is not None and low_count is None:
            # "no more than 2 prior chemotherapy regimens" allows none; "must have \"progressed on\" up to 2 lines of
            # prior VEGFR-targeted therapy" (NCT01811212), "refractory to no more than 2 prior induction regimens"
            # (NCT01214655) ask for at least one: a progression on none is no progression (parser 25)
            low_count = 1 if _PROGRESSED_ON_COUNT.search(clause) else 0
        targets = {m: _tki_target(c, kb, m) for m in kept if m.label == "CLASS"}  # read once: classes and doubt
        # a wider class of the target ("EGFR inhibitor" for "EGFR small molecule TKI") is implied by a requirement only
        targets = {
            m: t._replace(class_id=None) if t and t.wider and polarity is not Polarity.REQUIRE else t
            for m, t in targets.items()
        }
        values = TherapyValues(
            drugs=tuple(sorted({m.id for m in kept if m.label == "DRUG"})),
            classes=tuple(sorted(_classes(c, kb, kept, targets))),
            categories=tuple(sorted({THERAPY_CONCEPTS[m.id] for m in kept if m.id in THERAPY_CONCEPTS})),
            except_drugs=tuple(sorted({m.id for m in exceptions if m.label == "DRUG"})),
            except_classes=tuple(sorted({m.id for m in exceptions if m.label == "CLASS"})),
            min_count=(0 if permission else 1) if low_count is None else low_count,
            max_count=high_count,
            within=window,
            progressed=any(_progressed(c, m) for m in kept),
            ongoing=_concurrent(c, low, high),
        )
        uncertain = "a time window could not be read" if unread and window is None else None
        if window is None and _UNSTATED_WINDOW.search(clause):
            uncertain = "the text refers to a window it does not give"
        elif window is None and _HOURS.search(clause):
            uncertain = "a wait in hours is not read"
        if capped:
            uncertain = "a dose or cycle limit is not read"
        if window is not None and _DEFINED_BY_RECURRENCE.search(clause):  # parser 20
            uncertain = "the window is part of a definition"
        sited = [m for m in kept if m.id == "concept.radiotherapy" and _sited(c, low, m)]
        apart = [m for m in kept if _apart_from_sited(c, low, m)] if sited and polarity is Polarity.EXCLUDE else []
        if apart and len(apart) < len(kept):
            # "radiotherapy to more than 33% of their bone marrow or received any radiotherapy within 4 weeks of entry"
            # (NCT00612677): an exclusion of either is an exclusion of each; any radiotherapy keeps a reading of its
            # own, the sited radiotherapy alone is uncertain (review of therapy 4)
            work.append((window, apart))
            work.append((window, [m for m in kept if m not in apart]))
            continue
        if sited:
            uncertain = _sited_reason(_sited(c, low, sited[0]) or sited[0].text)
        if future := _FUTURE_THERAPY.search(clause) or _PLAN_OF.search(clause):
            uncertain = f"a planned therapy ({future.group(0)!r}) is not told apart from a past one"
        sited_surgery = [m for m in kept if m.id == "concept.surgery" and _sited_surgery(c, low, m)]
        if sited_surgery and not any(m.id != "concept.surgery" for m in kept):
            uncertain = f"surgery of a named site ({sited_surgery[0].text!r}) is not told apart from other surgery"
        another = _another_disease(c, high, kept, polarity is Polarity.EXCLUDE)
        if cancer := another.cancer:
            # "previous systemic therapy for Hepatocellular carcinoma including sorafenib" (NCT02323906): a therapy
            # given for another cancer, which the profile's therapies (for the thyroid cancer) are not (parser 20)
            uncertain = f"a therapy for another cancer ({cancer!r}) is not told apart from the patient's"
        if other := next((m for m in kept if c.prefixed_non(m)), None):
            # "Prior non-platinum chemotherapy", "a non-taxane, non-anthracycline based chemotherapy": a therapy other
            # than the one named, which the classes cannot say; "non-" is not a negation of the criterion
            uncertain = f"a therapy other than {other.text!r} (non-{other.text}) is not read"
        if entry_barred and (cond := _ENTRY_CONDITION.search(c.text, entry_barred.end(), high)):
            # "... adjuvant chemotherapy may not be entered into the study if the relapse has occurred within 12
            # months of completion of adjuvant treatment" (NCT01022541): the window is the condition's, not read
            uncertain = f"the window belongs to a condition ({cond.group(0)!r}) that is not read"
        if during := next((m for m in kept if _during_treatment(c, low, m)), None):
            # "... while receiving lapatinib ditosylate therapy" (NCT00623064), "(Patients will be taken off treatment
            # if they require therapeutic anticoagulation during BAY 43-9006 treatment)" (NCT00093613): a time told by
            # a treatment being given, most often the trial's own, not the patient's past therapy (parser 24)
            uncertain = (
                f"a therapy named as the time of another ('{during.text}' while it is given) may be the trial's own"
            )
        if not (polarity is Polarity.EXCLUDE and window) and (some := _for_some(c, low, high, first)):
            # whom the rule is for, before what the fact reads (a washout stays read): "Patients who had prior
            # interstitial brachytherapy or stereotactic radiosurgery must have confirmation of true disease
            # progression" (NCT00085566) asks nothing about the radiotherapy's kind
            uncertain = f"a rule for some patients, whom the text marks out ({shortened(some, 60)!r}), is not read"
            uncertain += " as everyone's"
        if polarity is Polarity.EXCLUDE and (spaced := _APART.search(clause)):
            # a spacing is not a window, and no window read is wider for an exclusion: "serum PSA values must be >
            # 0.2 ng/ml by two measurements at least two weeks apart" (NCT00582556)
            uncertain = uncertain or f"a spacing ({spaced.group(0)!r}) is not read as the time of the therapy"
        values, narrowed = _narrowed(c, (low, high, kept), polarity, values)
        values = _reread(c, (low, high, kept), polarity, values)
        values = _investigational_only(c, kept, values)  # therapy 17b
        read = _Read(c, low, high, kept, polarity, values, targets, bool(durations), another.disease, narrowed)
        uncertain = uncertain or _doubt(read)
        values, one_target = _targeted_of_one_target(c, kb, (low, high, kept), polarity, values)
        uncertain = uncertain or one_target
        values, dropped = _unread_alternative(c, (low, high, kept), polarity, values)
        uncertain = uncertain or dropped
        if polarity is Polarity.EXCLUDE and (antibody := _antibody_of_mixed_class(c, kb, kept)):
            # "another anti-EGFr monoclonal antibody (mAb)" (NCT00101894): not every EGFR inhibitor (vandetanib),
            # nor every antibody (therapy 4)
            uncertain = uncertain or (
                f"an antibody of one target ({antibody.text!r}) is not told apart from other therapies of its class"
            )
        if polarity is Polarity.REQUIRE and window is not None and (least := _least_time(clause, durations, window)):
            # "... got worse again after at least 6 months" (NCT00325351), "At least 12 weeks of prior treatment with
            # erlotinib" (NCT01026844): a least time since the therapy, or how long it was given, not a recent window;
            # the therapy at any time is what the criterion implies (therapy 4)
            values = msgspec.structs.replace(values, within=None)
            if not (values.progressed or _given_for(clause) or _RECURRED.search(clause) or _COURSE_TOLD.search(clause)):
                # "Patients must be greater than or equal to 12 weeks from completion of prior curative intent
                # therapy" (NCT01009346): a gap before entry, which asks for no therapy (therapy 4)
                uncertain = uncertain or f"a least time since the therapy ({least!r}) is not read as a therapy required"
        fact = make_fact(FactKind.PRIOR_THERAPY, polarity, values, first.id, clause, uncertain)
        facts.extend(_told_systemic_apart(c, kept, fact))  # therapy 16b
    return facts


def _antibody_of_mixed_class(c: CriterionText, kb: KnowledgeBase, kept: list[Mention]) -> Mention | None:
    """A class named as an antibody's target (`cue.therapy.antibody_of_target`: "anti-EGFR antibodies") whose drugs
    are not all antibodies (EGFR inhibitors hold vandetanib; CTLA-4 inhibitors hold antibodies only)."""
    for m in kept:
        if (
            m.label == "CLASS"
            and m.id in kb.classes
            and (antibody := _ANTIBODY_OF.match(c.text, m.end))
            and not any(x is not m and x.id == m.id for x in kept)  # "anti-HER2 antibody or ... HER2 inhibitors"
            and not _OR_OTHER.match(
                c.text, antibody.end()
            )  # "anti-VEGF antibody or other VEGF/VEGF-R targeted therapy"
            and any(
                m.id in closure and "class.monoclonal_antibody" not in closure
                for drug in kb.drugs.values()
                if (closure := frozenset().union(*(kb.class_closure(x) for x in drug.classes if x in kb.classes)))
            )
        ):
            return m
    return None


_OR_OTHER = lazy_regex(r"\s*(?:\([^()]*\)\s*)?,?\s*(?:and/)?or\s+(?:any\s+)?other\b", re.I)
_LEAST_TIME = cue("cue.therapy.least_time")


_COURSE_TOLD = cue("cue.therapy.course_told")


def _least_time(clause: str, durations: list[tuple[int, Window]], window: Window) -> str | None:
    """The least time (`cue.therapy.least_time`) the clause tells ``window`` by, when every place it tells it is one:
    "recurrence > 6 months after conclusion of therapy", "at least 6 weeks", not "within 6 months"."""
    spans = [(m.start(), m.end()) for m in _LEAST_TIME.finditer(clause)]
    places = [p for p, w in durations if w == window]
    found = [next((clause[a:b] for a, b in spans if a <= p < b), None) for p in places]
    return found[0] if found and all(found) else None


_NOT_HISTORY = cue("cue.therapy.not_history")
_DEFINED_KIND = cue("cue.therapy.defined_kind")
_ANTIBODY_OF = cue("cue.therapy.antibody_of_target")
_LINE_ORDER = cue("cue.therapy.line_order")
_DEEMED = cue("cue.therapy.deemed")
_NO_FAILURE = cue("cue.therapy.no_failure")
_TREATED_ALTERNATIVE = cue("cue.therapy.treated_alternative")
_NOT_HAD = lazy_regex(r"\b(?:no|not|never|without|na[iï]ve|untreated)\b", re.IGNORECASE)


def _treated_alternative(c: CriterionText, low: int) -> re.Match[str] | None:
    """A treated way in (`cue.therapy.treated_alternative`) after a therapy not had: "no prior chemotherapy ..., or
    have been refractory to" (NCT00411762); not a disease state told in two words, "AML in relapse or refractory after
    3 or more previous lines of chemotherapy" (Chia NCT00989261), which still excludes the lines."""
    found = _TREATED_ALTERNATIVE.search(c.text, low)
    return found if found and _NOT_HAD.search(c.text, low, found.start()) else None


_UNTREATED_ALTERNATIVE = cue("cue.therapy.untreated_alternative")
_CONTRAINDICATED = cue("cue.therapy.contraindicated")


def _line_order(c: CriterionText, span: tuple[int, int], kept: list[Mention]) -> re.Match[str] | None:
    """A line of a given order (`cue.therapy.line_order`) that qualifies a therapy read: one of the fact's mentions
    starts within two words after it ("2nd line anti-cancer therapy"), or no therapy is named right after it ("for
    melanoma (second line)"). Not when it qualifies a therapy the fact does not read: "any concurrent biological,
    immunological, second-line hormonal therapy or chemotherapy" (NCT00933426) still excludes chemotherapy."""
    for found in _LINE_ORDER.finditer(c.text, *span):
        near = _NEXT_WORDS.match(c.text, found.end())
        end = near.end() if near else found.end()
        if any(found.end() <= m.start <= end for m in kept):
            return found
        if not _THERAPY_WORD.match(c.text, found.end()):
            return found
    return None


_NEXT_WORDS = lazy_regex(r"\W*(?:[\w-]+\W+){0,2}")
_THERAPY_WORD = lazy_regex(
    r"\W*(?:[\w-]+\s+){0,2}?(?:\w*therap\w*|treatments?|regimens?|chemo\w*|agents?|drugs?)\b", re.I
)


_NAIVE = cue("cue.therapy.naive")
_UNREAD_CAP = cue("cue.therapy.count_cap")
_DOSE_LIMIT = cue("cue.therapy.dose_limit")
_INCLUDED_IF = cue("cue.therapy.included_if")
_MUST_NEVER = cue("cue.therapy.must_never")
_GAP_BEFORE = cue("cue.therapy.gap_before")
# How long a therapy was given: "for at least 6 weeks", "at least 14 days of exposure", "At least 12 weeks of prior
# treatment with erlotinib", "for at least 56 days"
_THERAPY_DURATION = cue("cue.therapy.given_for")


def _given_for(clause: str) -> bool:
    """Whether a clause tells how long a therapy was given ("for at least 6 weeks"), not a gap told with a negation
    ("must not have received treatment with such antibodies for at least 6 weeks", NCT00249301)."""
    return bool(_THERAPY_DURATION.search(clause)) and not _NO_RECEIPT.search(clause)


_RECURRED = lazy_regex(r"\b(?:recur\w*|relaps\w*|progress\w*|(?:come|came)\s+back)\b", re.I)
_NO_RECEIPT = lazy_regex(r"\b(?:not|no|never|without|off)\b", re.I)
_WITHIN = lazy_regex(r"\bwithin\b", re.I)
_SURGERY_AIM = cue("cue.therapy.surgery_aim")
_MIN_GAP = cue("cue.therapy.min_gap")
_CO_ADMINISTERED = cue("cue.therapy.co_administered")
_LASTED = cue("cue.therapy.lasted")
_NOT_PERMITTED = cue("cue.therapy.not_permitted")
_DISCONTINUED = cue("cue.therapy.discontinued")
_TKI_KIND = cue("cue.therapy.tki_kind")
_APART = cue("cue.therapy.apart")
_STARTING = cue("cue.therapy.starting")


def _started(c: CriterionText, m: Mention) -> bool:
    """Whether the text just before a therapy's name tells the start of it ("the patient starting chemotherapy")."""
    before = c.text[max(0, m.start - 40) : m.start]
    return any(not before[found.end() :].strip() and found.group(0).strip() for found in _STARTING.finditer(before))


_NON_CANCER_DRUG = cue("cue.therapy.other_systemic")
_MAJOR_SURGERY = cue("cue.therapy.major_surgery")


def _plain_major_surgery(clause: str) -> bool:
    """Whether the clause names major surgery with no aim or site of its own, besides a named one: "Major surgery
    within 4 weeks of registration (breast cancer surgery regardless of timing is an exclusion criteria)"
    (NCT01484080) is a washout of any major surgery (therapy sweep 2 review); "History of major surgery to small
    intestine" (NCT00412412) is not."""
    aims = [found.span() for found in _SURGERY_AIM.finditer(clause)]
    return any(
        not any(a < major.end() and major.start() < b for a, b in aims) for major in _MAJOR_SURGERY.finditer(clause)
    )


# A modal negation of having had the therapies that follow, however long their list: "may not have received a BRAF,
# Mitogen Activated Kinase (MEK) or HSP90 inhibitor in the past" (NCT02721459)
_MUST_NOT_HAVE = lazy_regex(
    r"\b(?:must|may|should|shall|can)\s*not\s+have\s+(?:previously\s+|already\s+)?(?:received|had|been\s+treated\s+with)\b",
    re.IGNORECASE,
)

# A washout told as when the patients who had the therapy may not enter: "Patients receiving prior radiation cannot
# register within 7 days after completion of radiation" (NCT01642251) excludes radiotherapy within the window for
# them; it never requires the therapy.
_CANNOT_ENTER = lazy_regex(
    r"\b(?:cannot|can\s+not|may\s+not|must\s+not|should\s+not|shall\s+not|will\s+not)\s+(?:be\s+)?"
    r"(?:register(?:ed)?|enrol+(?:ed)?|enter(?:ed)?|randomi[sz]ed?|receive\s+study|participate|"
    # "start"/"begin" only the study: "must not start any other anticancer therapy" is a rule for the trial's time
    r"(?:start|begin)\s+(?:the\s+|on\s+)?(?:study|trial|protocol)\b)\b",
    re.IGNORECASE,
)
# A washout told as a gap (parser 24): `cue.washout.gap`
_WASHOUT_GAP = cue("cue.washout.gap")
_WITHIN_BEFORE = lazy_regex(
    r"\b(?:within|in\s+the\s+(?:past|last|previous|preceding)|during\s+the\s+(?:past|last|previous))\s+$", re.I
)
# A time told by a treatment being given ("while receiving lapatinib", "during BAY 43-9006 treatment"), unless the
# clause tells what happened in it before ("progressed while receiving sorafenib", "relapsed while on imatinib")
_DURING_BEFORE = lazy_regex(
    r"\b(?:while\s+(?:receiving|on|taking|being\s+treated\s+with|undergoing)|during)\s+(?:the\s+)?(?:study\s+|protocol\s+)?"
    # "Current use of prohibited medication during treatment with GSK1120212" (NCT01476137; therapy 6)
    r"(?:(?<=during\s)(?:treatment|therapy)\s+with\s+)?$",
    re.IGNORECASE,
)
_HAPPENED = lazy_regex(
    r"\b(?:progress\w*|PD|relaps\w*|recurr\w*|respon\w*|fail\w*|refractor\w*|intoleran\w*|toxicit\w*|discontinu\w*|"
    r"stopped|develop\w*|experienc\w*|occur\w*|stable|remission|increas\w*|appear\w*|ris(?:e|ing)|worsen\w*|"
    r"transform\w*|evol\w*|loss|lost)\b",
    re.IGNORECASE,
)
# The examples after "including but not limited to": the clause break at "but" cuts them from what they exemplify
_EXAMPLES_GO_ON = lazy_regex(
    # "... since the patient has received any anti cancer treatment; including radiotherapy (...), cytotoxic
    # chemotherapy, biologic agents or targeted therapy" (NCT02655952): examples cut off by a semicolon (therapy 6)
    # A clause starts just after its ";" (`cue.clause_break`), so the lookbehind sees it
    r"not\s+(?:be\s+)?(?:limited|restricted)\s+to\b|(?<=;)\s*(?:including|such\s+as|e\.g\.)",
    re.IGNORECASE,
)


def _examples_joined(c: CriterionText, position: int) -> tuple[int, int]:
    """The clause of a therapy mention, joined to the clause before it when it opens on "not limited to": in "A minimum
    of 4 weeks from prior chemotherapy, including but not limited to, docetaxel, ..., cisplatin, or estramustine"
    (NCT02963051, sample 7 M044) the drugs are examples of the chemotherapy and take its window and polarity; read on
    their own under the inclusion heading, they were a required docetaxel or cisplatin (parser 25). The clause before
    is joined to its examples too, so that the two are one group of mentions, read as one fact: in "Progression after
    at least one prior VEGFR-targeted therapy, including but not limited to sorafenib or lenvatinib" the class and its
    examples are alternatives; keyed apart, the examples were a second requirement, of sorafenib or lenvatinib itself,
    which a patient treated with cabozantinib alone does not meet (review of parser 25)."""
    low, high = c.clause(position)
    while low > 0 and _EXAMPLES_GO_ON.match(c.text, low):
        low = c.clause(low - 1)[0]
    while high < len(c.text) and _EXAMPLES_GO_ON.match(c.text, high):
        high = c.clause(high)[1]
    return low, high


# A progression on a counted number of therapies: "progressed on\" up to 2 lines", "refractory to no more than 2 prior"
_PROGRESSED_ON_COUNT = lazy_regex(
    r"\b(?:progressed|progression|failed|refractory)\W{0,3}\s+(?:on|after|to|following)\W{0,3}\s+(?:up\s+to|no\s+more\s+"
    r"than|a\s+maximum\s+of|at\s+most|≤|<=)\s*(?:\d|one\b|two\b|three\b)",
    re.IGNORECASE,
)


def _during_treatment(c: CriterionText, low: int, m: Mention) -> bool:
    """Whether a therapy is named as the time while it is given ("while receiving lapatinib ditosylate therapy"), with
    nothing in its clause before it that tells of the patient's past with it."""
    if m.label != "DRUG" or not _DURING_BEFORE.search(c.text, max(low, m.start - 40), m.start):
        return False
    # "... should be avoided while on MEK162 treatment" (NCT02041481): the trial's time, whatever the clause told before
    return bool(_AVOIDED.search(c.text, max(low, m.start - 60), m.start) or not _HAPPENED.search(c.text, low, m.start))


_AVOIDED = lazy_regex(
    r"\b(?:avoid\w*|prohibited|not\s+(?:be\s+)?(?:allowed|permitted|taken|used|given))\s+(?:while|during)\b", re.I
)


_ENTRY_CONDITION = lazy_regex(r"\b(?:if|unless|when|provided)\b[^.;]{0,60}", re.IGNORECASE)

_DOSE_CAP = lazy_regex(r"\bcycles?\b|\bmg\s*/\s*m|\bdoses?\b", re.IGNORECASE)


_TIMED_BY = cue("cue.therapy.timed_by")
_NOT_REQUIRED = cue("cue.therapy.not_required")
_CANDIDACY_ALTERNATIVE = cue("cue.therapy.candidacy_alternative")
_OTHER_CANCER_ABBREVIATION = cue("cue.therapy.other_cancer_abbreviation")
_FRAGMENT = cue("cue.therapy.fragment")
# a target before "targeted": "Aurora A-targeted agents" (NCT01045421), "HER2-targeted therapy"; a target in mixed
# case, with a slash or a hyphen ("other Her2/ErbB2 targeted therapy" NCT00558103, "HER-2 targeted agents" NCT01471847,
# "IGF1-R targeted therapy" NCT00728390; review round 2), but not a capitalised word ("Oral targeted therapy")
_TARGETED_BY = lazy_regex(
    r"\b(?P<g>[A-Z]\w{0,12}(?:\s+[A-Z0-9]{1,2})?)\s*-\s*$"
    r"|\b(?P<u>[A-Z][A-Z0-9]{1,8}|[A-Z](?=[\w/-]*[A-Z0-9])[\w/-]{1,12})\s+$"
)
_TARGET_NOUN = lazy_regex(
    r"(?P<t>(?:\(?[\w-]+\)?\s+)?(?:receptors?|ligands?|family|checkpoints?|pathways?|class))\s*-?\s*$", re.I
)
_NOT_A_TARGET = lazy_regex(r"(?:VEGF\w*|Prior|Previous|Any|Other|No|The|A|An|Molecular|Molecularly)\b", re.IGNORECASE)
_NEGATION = lazy_regex(r"\b(?:no|not|never|without|none)\b", re.IGNORECASE)
_OTHER_THAN = lazy_regex(r"\b(?:other\s+than|except|besides|apart\s+from)\b", re.IGNORECASE)


def _targeted_of_one_target(
    c: CriterionText, kb: KnowledgeBase, read: tuple[int, int, list[Mention]], polarity: Polarity, v: TherapyValues
) -> tuple[TherapyValues, str | None]:
    """A targeted therapy named with its target ("Aurora A-targeted agents, including MLN8237", NCT01045421; "other
    EGFR-targeted agents") is a class of that target, not any targeted therapy (sorafenib). A requirement with no cap
    keeps the wider class (no targeted therapy at all is none of that target either); otherwise the target's class
    ("EGFR inhibitor") takes its place when the vocabulary has one and the clause excepts nothing, else the class is
    dropped when the fact names other therapies (an exclusion read narrower stays sound), else the fact is uncertain."""
    low, high, kept = read
    if "class.targeted_therapy" not in v.classes or (polarity is Polarity.REQUIRE and v.max_count is None):
        return v, None
    for m in kept:
        if m.id != "class.targeted_therapy":
            continue
        found = _TARGETED_BY.search(c.text, max(0, m.start - 20), m.start)
        target = (found.group("g") or found.group("u")) if found else None
        if target is None and (told := re.match(r"([A-Za-z0-9]+)-targeted", m.text)):
            target = told.group(1)
        if target is None and (noun := _TARGET_NOUN.search(c.text, max(0, m.start - 40), m.start)):
            # a target told by a lower-case noun: "HER family-targeted therapy" (NCT00551421), "immune checkpoint
            # targeted therapy" (NCT03652233), "(RANK) ligand targeted agents" (NCT02107703) (therapy 6)
            target = noun.group("t")
        if not target or _NOT_A_TARGET.match(target) or _EXAMPLES.search(c.text, low, m.start):
            continue  # "No previous therapy for the tumor, including ... EGFR targeted therapy" (NCT00882583): an example
        known = kb.class_by_name(f"{target} inhibitor")
        if known is not None and known.id != m.id and not _OTHER_THAN.search(c.text, low, high):
            classes = tuple(sorted({known.id if x == m.id else x for x in v.classes}))
            return msgspec.structs.replace(v, classes=classes), None
        if polarity is Polarity.EXCLUDE and (v.drugs or v.categories or len(v.classes) > 1):
            classes = tuple(x for x in v.classes if x != "class.targeted_therapy")
            return msgspec.structs.replace(v, classes=classes), None
        return v, f"a therapy of one target ({target}) is not told apart from other targeted therapies"
    return v, None


# A therapy told as given with another: "an EGFR inhibitor in combination with 5-FU or a 5FU prodrug" (NCT00528281)
# asks about the combination, which the profile's separate therapies do not say was given; "alone or in combination
# with" is either (therapy 6)
_COMBINATION = lazy_regex(
    r"\b(?:in\s+combination\s+with|combined\s+with|in\s+conjunction\s+with)\b",
    re.IGNORECASE,
)
# "either as single agent or in combination with", "alone or in combination with": either (therapy 6)
_EITHER = lazy_regex(r"\b(?:alone|single[- ]agents?|monotherapy|either)\b[^.;]{0,20}$", re.IGNORECASE)
# A line of its own in title case, no verb and no stop: "Prior Systemic Therapy" (NCT01184274) heads the washouts
# listed after it, it asks nothing itself (therapy 6)
_HEADING = lazy_regex(r"\W*(?:[A-Z][\w/-]*\s+){1,5}[A-Z][\w/-]*\s*:?\s*")
# An outcome negated, not the therapy: "who can not achieve remission after at least two cycle of systemic therapy"
# (NCT02886559) asks for the therapy (therapy 6)
_NEGATED_OUTCOME = lazy_regex(
    r"\b(?:not|never|cannot|unable\s+to|fail(?:ed|s)?\s+to)\s+(?:achieve|attain|obtain|reach|respond|tolerate)\w*\b",
    re.IGNORECASE,
)
# The study's time, not the patient's past: "Other chemotherapy, radiation therapy, ... may not be used while the
# patient is on study" (NCT00170157) (therapy 6)
_ON_STUDY = lazy_regex(
    r"\bwhile\s+(?:the\s+)?(?:(?:patients?|subjects?|participants?)\s+(?:is|are)\s+)?(?:on|in|receiving)\s+"
    r"(?:the\s+|this\s+)?(?:study|trial|protocol)\b"
    # "... or simultaneous radiotherapy during the trial treatment period" (NCT02477644, fresh sample 14's U209): the
    # study's time told by its period (therapy 9)
    r"|\bduring\s+(?:the\s+|this\s+)?(?:study|trial|protocol)(?:\s+(?:treatment|therapy|drug|intervention))?\s+"
    r"(?:period|phase)\b"
    # "other investigational anti-cancer therapy is not permitted during the treatment phase" (NCT01558492; therapy 16)
    r"|\bduring\s+the\s+treatment\s+(?:period|phase)\b",
    re.IGNORECASE,
)
_BRACKET = lazy_regex(r"\([^()]*\)")


class _Read(NamedTuple):
    """What one fact reads: the criterion, its clause (``low``-``high``), the mentions it keeps, its polarity, its
    values and the kinase target of each class mention (`_tki_target`)."""

    c: CriterionText
    low: int
    high: int
    kept: list[Mention]
    polarity: Polarity
    v: TherapyValues
    targets: Mapping[Mention, _KinaseTarget | None]
    timed: bool  # the clause tells a duration
    another_disease: str | None  # `_AnotherDisease.disease`: for an exclusion, the other disease it was given for
    narrowed: str | None  # why `_narrowed` left a qualified systemic therapy as it was

    @property
    def clause(self) -> str:
        return self.c.text[self.low : self.high]

    @property
    def first(self) -> Mention:
        return self.kept[0]

    @property
    def exclude(self) -> bool:
        return self.polarity is Polarity.EXCLUDE

    @property
    def require(self) -> bool:
        return self.polarity is Polarity.REQUIRE


# The doubts: why a reading is uncertain. Each makes a fact `unknown` ("reading uncertain: ...") where the text says
# something the reading does not hold: a wrong `violated` hides a trial for good, a wrong `unknown` costs a coordinator
# a minute. They are grouped by what they are about and run in `_doubt`'s order; the first that answers is the reason.
# Each cue's entry in cues.json quotes the real text that called for it.


def _doubt(r: _Read) -> str | None:
    """Why a reading is uncertain: the first reason that holds, by subject. The reason only words the doubt (every
    doubt makes the fact uncertain; none changes its values), so the order decides which one a coordinator reads."""
    return (
        _may_need_or_get(r)
        or _not_asked(r)
        or _untreated_way_in(r)
        or _count_unread(r)
        or _polarity_unread(r)
        or _window_unread(r)
        or _systemic_of_another_kind(r)
        or _permission_or_exception(r)
        or _another_way_in(r)
        or _during_the_study(r)
        or _need_or_possibility(r)
        or _protocol_schedule(r)
        or _qualified_therapy(r)
    )


def _before_each(r: _Read, pattern: QuickPattern, reach: int) -> bool:
    """Whether ``pattern`` is told within ``reach`` characters before every therapy the fact reads (in its clause)."""
    return all(pattern.search(r.c.text, max(r.low, m.start - reach), m.start) for m in r.kept)


def _before_one(r: _Read, pattern: QuickPattern, reach: int) -> re.Match[str] | None:
    """``pattern`` as told within ``reach`` characters before the first therapy the fact reads that has it."""
    return next((f for m in r.kept if (f := pattern.search(r.c.text, max(r.low, m.start - reach), m.start))), None)


def _during_the_study(r: _Read) -> str | None:
    """A therapy told by the study's own time or procedures, not the patient's past: one given with the study's
    drugs, one that times a biopsy or sample, one during the study. A profile records what she had before; read as
    a history, such a therapy would exclude (or require) on a treatment that is not hers."""
    v, clause = r.v, r.clause
    if not v.ongoing and (found := _CO_ADMINISTERED.search(clause)):
        # "Co-administration of anti-cancer therapies other than those administered in this study" (therapy sweep 2)
        return f"a therapy given with the study's ({found.group(0)!r}) is not read as a past one"
    if found := _TIMED_BY.search(clause):
        # "Biopsy must be after any prior chemotherapy" (NCT00787267): the biopsy's timing
        return f"a therapy that times a biopsy or sample ({found.group(0)!r}) is not read as one asked of the patient"
    # the study's time: "... may not be used while the patient is on study" (NCT00170157)
    if not v.ongoing and v.within is None and (found := _ON_STUDY.search(clause)):
        return f"a therapy during the study ({found.group(0)!r}) is not read as a past one"
    return None


def _protocol_schedule(r: _Read) -> str | None:
    """A therapy of the protocol's own schedule, not the patient's past: one she is to receive, one the protocol
    times, defines, plans or doses, a 'use' set against a 'previous use' (a current one). A profile records what she
    had; read as a history, such a therapy would exclude (or require) on a treatment that is not hers."""
    c, low, kept, v = r.c, r.low, r.kept, r.v
    clause, first = r.clause, r.first
    if found := _before_one(r, _TO_RECEIVE, 60):
        # "Patient must receive induction chemotherapy ... Completion of induction therapy will occur within 30 days of
        # first study drug dose" (NCT01653418, V385): the protocol's schedule or a plan, not a history
        return f"a therapy the patient is to receive ({found.group(0).strip()!r}) is not read as one had"
    # the first mention's words, then the others' only while each is told too (the first without stops the search)
    told = _PROTOCOL_BEFORE.search(c.text, max(low, first.start - 100), first.start)
    if told and all(_PROTOCOL_BEFORE.search(c.text, max(low, m.start - 100), m.start) for m in kept[1:]):
        # "... prior to administration of chemotherapy" (NCT03404752, X015), "expected not be able to complete 6 months
        # of adjuvant chemotherapy" (NCT02251977, X025): the protocol's treatment, not the patient's past one
        words = shortened(told.group(0).strip(), 60)
        return f"a therapy of the protocol's own schedule ({words!r}) is not read as one had"
    if found := _PROTOCOL_DEFINED.search(clause):
        # "Currently receiving cancer therapy as specified in the protocol" (NCT01387204, Y048)
        return f"a therapy the protocol defines, plans or doses ({found.group(0)!r}) is not read as one had"
    if r.exclude and not v.ongoing and (found := _USE_AGAINST_PREVIOUS.search(c.text)):
        # "Use of any ... (VEGF) targeted therapy or previous use of regorafenib" (NCT02664077, Y136)
        return f"a 'use' set against a 'previous use' ({found.group(0).strip()!r}) may be a current use only"
    return None


def _need_or_possibility(r: _Read) -> str | None:
    """A therapy named for whether it could be had, not for having had it: one a condition needs or precludes, one
    she may benefit from, whether it could be given (her ability to receive it, her access to it). Read as a
    history, it would exclude or require on a treatment she may never have had."""
    c, low, kept, first = r.c, r.low, r.kept, r.first
    if all(_needed(c, low, m) for m in kept):
        return "a therapy a condition requires or needs is not read as one the patient had"
    # benefit: "Patients have no better choice and may be benefit from the use of anthracyclines" (NCT02043756)
    if found := _BENEFIT_FROM.search(c.text, low, first.start):
        return f"a therapy the patient may benefit from ({found.group(0)!r}) is not read as a past one"
    if found := _UNSAFE_FOR.search(r.clause):
        return f"whether a therapy could be given ({found.group(0)!r}) is not read as one had"
    if _before_each(r, _PRECLUDES, 80):
        # "Gross ascites seen on CT that precludes accurate targeting of the tumor with radiation therapy" (NCT00426829)
        return "a therapy a condition precludes is not read as one the patient had"
    if _before_each(r, _ABILITY_TO_RECEIVE, 80):
        # "... limiting the ability to receive the treatment regimen of this trial" (NCT02242942, V131)
        return "whether a therapy could be given (the ability to receive it) is not read as one had"
    if _before_each(r, _ACCESS_TO, 100):
        # "... or where there are barriers to the access of established therapies such as sunitinib, sorafenib, IFNα
        # or IL-2" (NCT00334282, S17-077): a circumstance of a route for untreated patients, not a therapy had
        return "whether a therapy can be had (access to it) is not read as one had"
    return None


def _not_asked(r: _Read) -> str | None:
    """Text that asks nothing of the patient's history: a definition (what a kind of drug is considered, when a line
    is deemed failed, what a therapy is defined as), a heading, a fragment whose verb was lost in the split, or a rule
    for the patients with a marker result. Read as a requirement or an exclusion, it would ask what the text does not."""
    c, low, kept, clause, first = r.c, r.low, r.kept, r.clause, r.first
    if found := _DEFINED_KIND.search(clause):
        # "Tyrosine kinase inhibitors (eg, Tarceva and Iressa) are considered noncytotoxic compounds" (NCT00249301)
        return f"a definition ({found.group(0)!r}) is not read as a therapy asked about"
    if r.require and (found := _DEEMED.search(clause)):
        # "... within 6 months after adjuvant chemotherapy will be considered to have failed one line of chemotherapy"
        # (NCT00559507, fresh sample 10's Q069): a definition, not a therapy required (therapy 3)
        return f"a definition ({found.group(0)!r}) is not read as a requirement"
    if found := _FRAGMENT.search(c.text.strip()):
        # "systemic therapy." (NCT01693276): a line whose verb was lost in the split
        return f"a fragment ({found.group(0)!r}) is not read"
    # heading: "Prior Systemic Therapy" (NCT01184274) heads the washouts listed after it
    if _HEADING.fullmatch(c.text) and not c.text.strip().isupper():
        return "a heading (a line in title case with no verb) is not read as a requirement"
    if r.require and (found := _DEFINITION_OF.search(c.text, low, first.start)):
        return f"a definition ({found.group(0)!r}) is not read as a therapy required"
    if found := _MARKER_GROUP.search(c.text, 0, kept[0].start):
        # "examined as positive in EGFR&ALK mutation detection and never take the treatment of TKIs" (NCT02388919, Y207)
        return f"a rule for the patients with a marker result ({shortened(found.group(0), 60)!r}) is not read as everyone's"
    return None


def _polarity_unread(r: _Read) -> str | None:
    """A negation or a section the reading does not hold: a failure negated, a requirement inside an exclusion (or an
    exclusion listed under the inclusions), a prohibition or a negation after the therapy's name, a negation inside a
    bracketed definition, a negated outcome, and a clause that may carry the negation of the one before. Read as they
    stand, they would turn an exclusion into a requirement or the other way round."""
    c, low, clause, first = r.c, r.low, r.clause, r.first
    exclude, require = r.exclude, r.require
    if require and (found := _NO_FAILURE.search(clause)):
        # "No prior failure to achieve at least a PR with Azacitidine or Everolimus" (NCT00636922) (therapy 3)
        return f"a negated failure ({found.group(0)!r}) is not read as a therapy required"
    if c.section is Section.EXCLUSION and require and (found := _MUST_NEVER.search(clause)):
        # an exclusion's own requirement: "Patients must never have had docetaxel or ... doxorubicin" (NCT00426127)
        return f"a requirement inside an exclusion ({found.group(0)!r}) is not read"
    if require and (found := _NOT_PERMITTED.search(clause)):
        # "Patients are not permitted any chemotherapeutic agents ... within four weeks prior to the first dose"
        return f"a prohibition ({found.group(0)!r}) is not read as a requirement"
    if require and (found := _MUST_NOT_HAVE.search(clause)):
        # "Myelosuppressive chemotherapy: must not have received myelosuppressive chemotherapy within 3 weeks of entry"
        # (NCT02642965): the negation after the therapy's first name
        return f"a negation ({found.group(0)!r}) after the therapy's name is not read"
    if (
        c.section is Section.EXCLUSION
        and require
        and _NEGATION.search(c.text, low, first.start)
        and not _NEGATION.search(re.sub(r"\([^()]*\)", "", c.text[: first.start]))
    ):
        # "Patients that are refractory (i.e. not responded or progressed within 6 months) to a carboplatin ...
        # regimen" (NCT00601718): the negation of a bracketed definition is not the criterion's
        return "a negation inside brackets (a definition) is not read as the criterion's"
    # negated outcome: "who can not achieve remission after at least two cycle of systemic therapy" (NCT02886559)
    if exclude and (found := _NEGATED_OUTCOME.search(c.text, low, first.start)):
        return f"a negated outcome ({found.group(0)!r}) is not read as a therapy not had"
    carried = require and low > 0 and _NEGATION_CARRIED.match(c.text[:low])
    if carried and not _NEGATION.search(clause) and not _OWN_VERB.search(clause):
        # "No other concurrent chemotherapy; surgery or radiation therapy during the treatment phase" (NCT00993642)
        return "a clause after a negated one may be part of its list (the negation not repeated)"
    return None


def _may_need_or_get(r: _Read) -> str | None:
    """A therapy told as one the patient may need or get (indicated, proposed, planned: `cue.therapy.not_history`),
    with no window or progression: the trial's or her coming treatment, not a past one, which a profile does not
    record."""
    v, clause = r.v, r.clause
    if v.within is None and not v.progressed and (found := _NOT_HISTORY.search(clause)):
        # "in whom the gemcitabine and cisplatin chemotherapy regimen is clinically indicated" (NCT00101907)
        return f"a therapy the patient may need or get ({found.group(0)!r}) is not read as a past one"
    return None


def _untreated_way_in(r: _Read) -> str | None:
    """Having had none of the therapy as a way in (naive, untreated patients) beside a requirement, or having had it
    as a way in beside an exclusion of it: the patient may enter either way, so the therapy alone decides nothing."""
    c, low, clause = r.c, r.low, r.clause
    exclude, require = r.exclude, r.require
    if require and (found := _NAIVE.search(clause)):
        return f"'{found.group(0)}' (not having had the therapy) is not read"  # "Taxane naïve" (NCT00133224)
    if require and (found := _UNTREATED_ALTERNATIVE.search(c.text, low)):
        # "Patients who have failed at least one line of a standard treatment ... or untreated patients with del17p by
        # FISH" (NCT02194374, fresh sample 10's Q034): no therapy is a way in too (therapy 3)
        return f"an untreated alternative ({found.group(0)!r}) is not read"
    if exclude and (found := _treated_alternative(c, low)):
        # "patients may either have had no prior chemotherapy (chemotherapy naive), or have been refractory to or
        # relapsed from standard chemotherapy" (NCT00411762): the therapy is a way in too (therapy 3)
        return f"a treated alternative ({found.group(0)!r}) is not read"
    return None


def _systemic_of_another_kind(r: _Read) -> str | None:
    """A generic systemic therapy told as another kind than the anticancer therapy read: a systemic treatment of
    another kind (corticosteroids, immunosuppressants, other agents), or a systemic therapy told only by what it is
    given with or targets (`_narrowed`). Read as any systemic therapy, it would exclude on her kinase inhibitor."""
    v, clause = r.v, r.clause
    systemic_only = v.categories == ("systemic",) and not v.drugs and not v.classes
    if systemic_only and v.within is None and (found := _NON_CANCER_DRUG.search(clause)):
        # "chronic, systemic treatment with corticosteroids or another immunosuppressive agent" (NCT01063478)
        return f"a systemic treatment of another kind ({found.group(0)!r}) is not read as anticancer therapy"
    if r.narrowed:  # why `_narrowed` left the reading as it was
        return r.narrowed
    if systemic_only and not v.ongoing and (found := _OTHER_AGENTS.search(clause)):
        return f"a systemic treatment of another kind ({found.group(0)!r}) is not read as anticancer therapy"
    return None


def _permission_or_exception(r: _Read) -> str | None:
    """A permission, an exception or a note read as a requirement or an exclusion: "will be included if", "is not a
    requirement", a bracket or a later sentence that permits some of the therapy, "such patients are eligible",
    "allowable", "are excepted", an enrolment quota, an exception told by a condition not on file. A permission asks
    for nothing; read as a requirement it would exclude the patients it lets in."""
    c, low, high, kept, v, clause, first = r.c, r.low, r.high, r.kept, r.v, r.clause, r.first
    exclude, require = r.exclude, r.require
    if not (exclude and v.within) and v.max_count is None and (found := _INCLUDED_IF.search(clause)):
        # "Patient previously treated with bortezomib will be included in the study, if ..." (NCT00431990)
        return f"a permission ({found.group(0)!r}) is not read as a requirement"
    if require and (found := _NOT_REQUIRED.search(clause)):
        # "Prior treatment with cytotoxic chemotherapy is not a requirement, but allowed only if ..." (NCT02300610)
        return f"a therapy said not to be required ({found.group(0)!r}) is not read as a requirement"
    # a bracket that permits some of an excluded therapy: "(...; prior neoadjuvant/adjuvant chemotherapy permitted if
    # completed >= 1 year from study entry)" (NCT01342172)
    for bracket in _BRACKET.finditer(_past_open_bracket(c, low, high)) if exclude else ():
        inside = (low + bracket.start(), low + bracket.end())
        named = any(m.id in {x.id for x in kept} and inside[0] <= m.start < inside[1] for m in c.mentions)
        if named and permits(bracket.group(0)):
            return f"a permission in brackets ({shortened(bracket.group(0), 60)!r}) for some of the therapy is not read"
    # "...; such patients are eligible for this trial" (NCT02275039): a definition and a permission
    if require and (found := _SUCH_ELIGIBLE.search(c.text, first.end)):
        return f"a permission ({found.group(0)!r}) is not read as a requirement"
    if require and (found := _ALLOWABLE.search(clause)):
        return f"a permission or a count note ({found.group(0)!r}) is not read as a requirement"
    if found := _QUOTA.search(clause):
        return f"an enrolment quota ({found.group(0)!r}) is not read as a requirement"
    if exclude and not v.ongoing:
        ids = {m.id for m in kept}
        for found in _NOT_EXCLUDED.finditer(c.text, high):
            again = [x for x in c.mentions if high <= x.start < found.start() and x.id in ids]
            if again and not re.search(r"[.;]", c.text[again[-1].end : found.start()]):
                # "Subject has been treated with Nab-Paclitaxel NOTE: Subjects who have had previous treatment with
                # Nab-Paclitaxel will NOT be excluded if given in the adjuvant or neoadjuvant setting" (NCT02379247)
                return f"a later sentence says some of the therapy will not exclude ({found.group(0)!r})"
    if require and (found := _ACCEPTED.search(clause)):
        # "Subjects with ... NPC who did't receive any Systemic chemotherapy ... are excepted." (NCT03121716, Y188)
        return f"a permission ({found.group(0).strip(' .')!r}) is not read as a requirement"
    sentence = _SENTENCE_END.search(c.text, kept[-1].end)
    if (
        exclude
        and v.within is None
        and (found := _UNREAD_EXCEPTION.search(c.text, kept[0].end, sentence.start() if sentence else len(c.text)))
    ):
        # "... or previous treatment with radiotherapy (except if previous radiotherapy treatment plus planned study
        # radiotherapy treatment allow tissues constrains)" (NCT02275286, Y161)
        return f"an exception told by a condition ({found.group(0)!r}) is not read"
    recent_surgery = require and v.within is not None and v.categories == ("surgery",)
    contraindication = _CONTRAINDICATION.search(clause)
    if c.section is Section.INCLUSION and recent_surgery and contraindication and not _HAD_VERB.search(clause):
        # "Major surgery or unhealed wound ≤ 2 weeks prior to registration." under the inclusions (NCT00093756, Y187):
        # an exclusion listed under the inclusions
        return f"a contraindication ({contraindication.group(0)!r}) under the inclusions is not a surgery required"
    return None


def _another_way_in(r: _Read) -> str | None:
    """An alternative to having had a required therapy that a profile does not record: not being a candidate for it,
    there being none approved, not having had it, either way, a procedure or an item that names no therapy, or a
    criterion that opens on "or" (the alternative to the one before). A patient may enter by the alternative, so the
    therapy alone decides nothing."""
    c, high, kept, first, require = r.c, r.high, r.kept, r.first, r.require
    if require and (found := _CANDIDACY_ALTERNATIVE.search(c.text, first.end, high)):
        # "Tumor progression after receiving standard/approved chemotherapy, or lack of candidacy for standard
        # therapy" (NCT02229981): not being a candidate qualifies too, which a profile does not record
        return f"an alternative to having had it ({found.group(0)!r}) is not read"
    # "Tumor progression after standard chemotherapy, or where none yet approved" (NCT00413322)
    if require and (found := _NONE_ALTERNATIVE.search(c.text, first.end)):
        return f"an alternative of there being none ({found.group(0).strip(' ,')!r}) is not read"
    if require and (found := _ALTERNATIVE_NOT_HAD.search(c.text)):
        return f"an alternative to having had it ({shortened(found.group(0), 60)!r}) is not read"
    if found := _EITHER_TREATED.search(c.text):
        return f"a therapy not had, or either way ({found.group(0)!r}), is not read as one asked about"
    if _OR_OPENING.match(c.text):
        return "a criterion that opens on 'or' is an alternative to the one before"
    if require and (dropped := _dropped_alternative(c, kept)):
        # "after surgery and/or chemotherapy" (NCT01445405, Y009): a surgery alone meets it
        return f"an alternative ({dropped.text!r}) is not read"
    if require and (bare := _bare_alternative(c, kept)):
        return f"an alternative that names no therapy ({shortened(bare, 60)!r}) is not read"
    return None


def _window_unread(r: _Read) -> str | None:
    """A window or washout the reading does not hold: a gap, a least time or a duration read as the time the therapy
    was had, a washout with no window (discontinued, stopped before entry, "no washout", half-lives), a window told in
    words or elsewhere in the clause, or a window before a procedure (the protocol's dosing). A washout is met by
    waiting; read as a therapy had within a window, it would exclude or require on the wrong dates."""
    c, kept, v, clause, first = r.c, r.kept, r.v, r.clause, r.first
    exclude, require = r.exclude, r.require
    duration = _given_for(clause)
    recurred = _RECURRED.search(clause)  # "disease has come back at least six months after": the recurrence's time
    if require and v.within is not None and not (duration or recurred) and (found := _GAP_BEFORE.search(clause)):
        # "Subjects may begin AZD2171 at least 3 weeks after their last dose of chemotherapy" (NCT00275028), "No prior
        # chemotherapy exceeding 6 weeks in duration" (NCT00427713): a gap or a duration, not a time the therapy was had
        return f"a gap or duration ({found.group(0)!r}) is not read as the time of the therapy"
    told_by_recurrence = bool(duration or recurred or v.progressed)  # "Progression more than 6 months after ..."
    if (
        require
        and v.within is not None
        and not told_by_recurrence
        and not _WITHIN.search(clause)  # "within 8 weeks after pancreatic cancer surgery (but no sooner than 3 weeks)"
        and (found := _MIN_GAP.search(clause))
    ):
        # ">= 3 months prior to registration for craniospinal irradiation; >= 4 weeks for local radiation"
        # (therapy sweep 2): a least time before entry, a washout, not a therapy had within the window
        return f"a minimum time before entry ({found.group(0)!r}) is not read as the time of the therapy"
    if v.within is not None and (found := _LASTED.search(clause)):
        # "Prior chemotherapy given as part of neoadjuvant treatment ... may last a maximum of 11-12 weeks" (NCT00427713)
        return f"how long a therapy lasted ({found.group(0)!r}) is not read as the time of the therapy"
    if require and v.within is None and r.timed and not told_by_recurrence and (found := _GAP_BEFORE.search(clause)):
        # "Biologic (anti-neoplastic agent): at least 7 days since the completion of therapy with a biologic agent"
        # (NCT02642965): a gap whose window was not attached
        return f"a gap ({found.group(0)!r}) without its window is not read"
    if require and v.within is None and (found := _DISCONTINUED.search(clause)):
        # "Have discontinued all previous therapies for cancer, including chemotherapy, radiotherapy" (NCT01241461)
        return f"a washout without its window ({found.group(0)!r}) is not read as a therapy required"
    if exclude and v.within is None and r.timed and _WINDOW_TOLD.search(clause):
        # "Major surgery, chemotherapy, radiotherapy, investigational agents or other cancer therapy within 1 week of
        # treatment day 1" (NCT00300781), "... or any other cancer or experimental treatment ≤ 28 days prior to the
        # first day of the first cycle" (NCT01032291): the clause's window was not attached
        return "the clause's time window is not attached to the therapy"
    if exclude and v.within is None and not v.ongoing and (found := _WINDOW_IN_WORDS.search(clause)):
        # "Use of any investigational agent within a month of treatment" (NCT00463840): not any one ever (therapy 16)
        return f"a window told in words ({found.group(0)!r}) is not read"
    if v.within is not None and (before := _before_procedure(r, clause)):
        return f"a window before a {before[0]} ({before[1]!r}) times what precedes it, not a past one"
    # an interval, a washout: "4 weeks from an investigational agent (not ... FDA approved)" (NCT02142803)
    if require and (found := _GAP_OPENING.search(clause)):
        return f"an interval since a therapy ({found.group(0).strip()!r}) is not read as a therapy required"
    if require and (found := _NO_WASHOUT.search(c.text)):
        return f"a therapy that needs no washout ({found.group(0)!r}) is not read as one required"
    if exclude and v.ongoing and v.within is None and (found := _DISCONTINUED_BEFORE.search(c.text, first.end)):
        # "Concurrent anti-cancer therapy (...) ... Patients must have discontinued the above cancer therapies for 1
        # week prior to the first dose" (NCT01918306): a washout, met by waiting
        return f"a current therapy with its own discontinuation period ({shortened(found.group(0), 60)!r}) is a washout"
    if exclude and v.within is None and not v.ongoing and (found := _HALF_LIVES.search(c.text)):
        return f"a washout in half-lives ({found.group(0)!r}) is not read"
    stopped = _STOPPED_BEFORE_ENTRY.search(c.text, kept[-1].end, r.high)
    if exclude and v.ongoing and v.within is None and stopped:
        return f"a therapy to be stopped before entry ({shortened(stopped.group(0), 60)!r}) is met by stopping it"
    return None


def _count_unread(r: _Read) -> str | None:
    """A count, a line or a dose the reading does not hold: a cap ("=< 2 prior regimens", in words, with "only", or
    negated under the exclusions), a line of a given order, a lifetime dose limit, or a note on how regimens are
    counted. A cap read as any therapy would exclude a patient within it."""
    c, low, high, kept, v, clause = r.c, r.low, r.high, r.kept, r.v, r.clause
    if v.max_count is None and (found := _UNREAD_CAP.search(clause)):
        # "Patients must have =< 2 prior chemotherapy regimens" (NCT00045708), "≤1 previous line of chemotherapy"
        return f"a count limit ({found.group(0)!r}) is not read"
    if r.exclude and v.min_count <= 1 and (found := _line_order(c, (low, high), kept)):
        # "I have received 2nd line anti-cancer therapy" (NCT00312377, fresh sample 10's Q023): a line of some order is
        # not any therapy; a requirement keeps its reading (no therapy is no 2nd line either) (therapy 3)
        return f"a line of a given order ({found.group(0)!r}) is not read as any therapy"
    if found := _DOSE_LIMIT.search(clause):
        # "Patients must have less than 400mg/m2 lifetime exposure of anthracycline chemotherapy" (NCT00440726)
        return f"a dose limit ({found.group(0)!r}) is not read"
    if c.section is Section.EXCLUSION and r.exclude and v.min_count == 0 and v.max_count is not None:
        # "No more than 1 prior course of palliative radiotherapy" under exclusions (NCT00439270): a cap, negated
        return "a count limit under the exclusions is not read"
    if v.max_count is None and (found := _CAP_IN_WORDS.search(clause)):
        return f"a count limit ({found.group(0)!r}) is not read"
    if v.ongoing and (found := _DEFINITION_OF.search(clause)) and found.group(0).startswith("("):
        # "Any combination of drugs given concurrently (considered 1 prior regimen)" (NCT00334932)
        return f"how regimens are counted ({found.group(0)!r}) is not a therapy asked about"
    if v.max_count is None and not v.maybe_categories and (found := _ONLY_COUNT.search(clause)):
        # (therapy 15 reads "Only one prior anti-tumor treatment regimen" as her radioiodine's, V146)
        # "Only one prior treatment with systemic chemotherapy" (NCT00133224, Y018): a cap or an exact count
        return f"a count told with 'only' ({found.group(0)!r}) may be a cap; it is not read"
    return None


def _qualified_therapy(r: _Read) -> str | None:
    """A therapy qualified by what a profile does not record, which the class or category read does not tell apart:
    a surgery's aim or site, a radiotherapy's site, share, kind or field, a systemic therapy told by what it is given
    with (`_narrowed`), a combination, a setting (adjuvant, metastatic), an intent (curative), an experimental drug of
    a class, some of a class, a class told as specific, a kinase inhibitor of one target or kind. Read as the whole
    class, it would exclude on a therapy of another kind."""
    c, low, high, kept, v, clause, first = r.c, r.low, r.high, r.kept, r.v, r.clause, r.first
    exclude = r.exclude
    surgery_only = v.categories == ("surgery",) and exclude  # a required one: no surgery fails
    if surgery_only and (found := _SURGERY_AIM.search(clause)) and not _plain_major_surgery(clause):
        # "No prior surgery to remove tumor" (NCT00003652), "Previous prostatic surgery" (NCT00128531)
        return f"surgery of a named aim or site ({found.group(0)!r}) is not told apart from other surgery"
    # combination: "an EGFR inhibitor in combination with 5-FU" (NCT00528281); "alone or in combination" is either
    found = _COMBINATION.search(c.text, first.end, high)
    if exclude and found and not _EITHER.search(c.text, max(low, found.start() - 40), found.start()):
        return f"a therapy given in combination ({found.group(0)!r}) is not told apart from either given alone"
    if exclude and (setting := _setting(c, low, high, kept)):
        return f"the setting a therapy was given in ({setting!r}) is not on file"
    for m in kept if exclude else ():
        experimental = m.label == "CLASS" and _EXPERIMENTAL_OF.search(c.text, max(low, m.start - 80), m.start)
        if experimental and ")" not in c.text[experimental.end() : m.start]:
            # "Treatment with experimental drugs (mTor inhibitor or ...)" (NCT01298713)
            return f"a class of experimental drugs ({experimental.group(0)!r}) is not told apart from approved ones"
    if exclude and (part := _before_one(r, _SOME_OF, 40)):
        return f"some therapies of a class ({part.group(0).strip()!r}) are not the whole class"
    radiotherapy_only = v.categories == ("radiotherapy",) and not v.drugs and not v.classes
    if radiotherapy_only and exclude and v.within is None and (found := _RADIOTHERAPY_OF_KIND.search(c.text)):
        return _sited_reason(found.group(0))
    if kinase := _kinase_of_one_target(r):
        return f"a kind of kinase inhibitor, of one target or kind ({kinase!r}), is not told apart from others"
    if found := _DISEASE_DESCRIBED.search(c.text, max(low, kept[0].start - 60), kept[0].start):
        # "advanced non-hematologic malignancy that is not curable by standard surgery, ..." (NCT00512798, Y137)
        return f"a disease described by the therapies that cannot treat it ({found.group(0).strip()!r}) is not read"
    if other := r.another_disease:
        # "No prior radiotherapy for LCIS" (NCT00096369, X032), "for amyloidosis" (Y021), "for head and neck cancer"
        return f"a therapy for another cancer ({other!r}) is not told apart from the patient's"
    if exclude and (found := _INTENT_QUALIFIED.search(c.text, max(low, kept[0].start - 40), kept[0].start)):
        # "No other concurrent, curative anticancer therapy" (NCT00262769, Y141): a palliative one is not curative; the
        # intent heads the fact's therapies ("Has had chemotherapy, ..., definitive radiation" is no curative chemo)
        return f"a therapy of a given intent ({found.group(0).strip()!r}) is not told apart from others"
    for m in kept if exclude else ():
        if m.label == "CLASS" and (found := _SPECIFIC_CLASS.search(c.text, max(low, m.start - 30), m.start)):
            # "or other specific EGFR inhibitor" (NCT00436072, Y093): vandetanib is an EGFR inhibitor, not a specific one
            return (
                f"another class told as specific ({found.group(0).strip()!r}) is not told apart from multi-target drugs"
            )
    if "radiotherapy" in v.categories and (found := _FIELD_OVERLAP.search(c.text)):
        # "Overlap of treatment field with a previous radiation field" (NCT00610246, Y198)
        return f"where a radiotherapy's field lay ({shortened(found.group(0), 60)!r}) is not on file"
    return None


# Therapy 16 (issue 10): fresh sample 16's prior-therapy items judged wrong (W033, W199, W155, W323), each by its
# class. Each cue names the real text that called for it.
_WINDOW_TOLD = cue("cue.therapy.window_told")
_WINDOW_IN_WORDS = cue("cue.therapy.window_in_words")
_BEFORE_PROCEDURE = cue("cue.therapy.before_procedure")
# a full stop after an abbreviation ends no sentence: "(e.g. antibody therapies, ...)"
_ABBREVIATION_STOP = lazy_regex(r"\b(?:e\.g|i\.e|eg|ie|etc|vs|approx|incl)\.\s*$", re.IGNORECASE)
_AT_ANY_TIME = lazy_regex(r"\bat\s+any\s+time\b", re.IGNORECASE)
_CAPITAL_NEXT = lazy_regex(r"\s*[A-Z(]")


def _before_procedure(r: _Read, clause: str) -> tuple[str, str] | None:
    """The kind of procedure (surgery or radiotherapy) the fact reads, and the words, when its window is told as the
    time before a procedure of that kind (`cue.therapy.before_procedure`): "amenable to receiving GW572016 for 7-14
    days prior to their resection" (NCT00095940, W155) is the protocol's dosing before a planned surgery, not a surgery
    had in the last 14 days. An exclusion so read is a washout the text does not set; a requirement only when the text
    marks the procedure as the patient's coming one (their, planned; indicated, amenable: `cue.therapy.not_history`):
    a bare "... within 84 days prior to surgery" in a workup list (NCT02775812) is unmet for a patient with none of it
    (fresh sample 11's R020, judged right)."""
    found = _BEFORE_PROCEDURE.search(clause)
    if found is None:
        return None
    kind = "surgery" if found.group("surgery") else "radiotherapy"
    coming = found.group("own") or _NOT_HISTORY.search(clause) or _FUTURE_THERAPY.search(clause)
    if kind in r.v.categories and (r.polarity is Polarity.EXCLUDE or coming):
        return kind, found.group(0)
    return None


def _list_window(c: CriterionText, low: int, high: int) -> Window | None:
    """The window of an exclusion whose clause tells none, told at the end of the list the clause is part of: the
    first window of a later clause of its sentence, each clause up to it with no verb of its own (the list's items, cut
    apart by a ';' or at "e.g."), as a window belongs to the mentions before it in one clause. "Treatment with other
    investigational drugs; chemotherapy, immunotherapy, radiotherapy or hormone therapy (...); participation in another
    clinical study within the past 4 weeks before start of therapy" (NCT00730821, fresh sample 16's W199), "Previous
    cancer systemic therapy such as chemotherapy, immunotherapy (e.g. antibody therapies, tumor-vaccines), biological
    response modifiers (e.g. cytokines) within 3 months of baseline" (NCT00128531, W033): therapy 16. Read with it, an
    exclusion excludes no more than read without it."""
    # "radiation ablation of the bone marrow ... at any time; mitoxantrone, ... within prior nine months" (NCT00836719)
    if _AT_ANY_TIME.search(c.text, low, high):
        return None
    for start, end in zip(c.breaks[1:], c.breaks[2:], strict=False):
        if start < high:
            continue
        before = c.text[:start].rstrip()
        ended = before.endswith(";") and _CAPITAL_NEXT.match(c.text, start)
        if ended or (before.endswith(".") and not _ABBREVIATION_STOP.search(before)) or before[-1:] not in ".;":
            return None  # the sentence ended, or a contrast ("but", "however") began
        later = c.text[start:end]
        if _OWN_VERB.search(later):
            return None  # a statement of its own
        if (durations := _durations(later)[0]) and _WINDOW_TOLD.search(later):
            return durations[0][1]
    return None


# The cues `_doubt` reads (therapies 6-10): each one's entry in cues.json quotes the real text that called for it
_BENEFIT_FROM = cue("cue.therapy.benefit_from")
_GAP_OPENING = cue("cue.therapy.gap_opening")
_SUCH_ELIGIBLE = cue("cue.therapy.such_eligible")
_NONE_ALTERNATIVE = cue("cue.therapy.none_alternative")
_NEGATION_CARRIED = cue("cue.therapy.negation_carried")
_EXPERIMENTAL_OF = cue("cue.therapy.experimental_of")
_ALTERNATIVE_NOT_HAD = cue("cue.therapy.alternative_not_had")
_CAP_IN_WORDS = cue("cue.therapy.cap_in_words")
_ALLOWABLE = cue("cue.therapy.allowable")
_EITHER_TREATED = cue("cue.therapy.either_treated")
_NO_WASHOUT = cue("cue.therapy.no_washout")
_QUOTA = cue("cue.therapy.quota")
_UNSAFE_FOR = cue("cue.therapy.unsafe_for")
_SOME_OF = cue("cue.therapy.some_of")
_OTHER_AGENTS = cue("cue.therapy.other_agents")
_DEFINITION_OF = cue("cue.therapy.definition_of")
_OR_OPENING = cue("cue.therapy.or_opening")
_HALF_LIVES = cue("cue.therapy.half_lives")
_DISCONTINUED_BEFORE = cue("cue.therapy.discontinued_before")  # therapy 9
_PRECLUDES = cue("cue.therapy.precludes")  # therapy 9
# A verb of the clause's own: then it says what it asks itself
_OWN_VERB = lazy_regex(
    r"\b(?:must|should|shall|will|may|can|is|are|was|were|be|been|has|have|had|received|receiving|undergone|"
    r"underwent|requir\w*|allowed|permitted)\b",
    re.IGNORECASE,
)
_RULE_FOR_SOME = cue("cue.therapy.rule_for_some")
# A clause that opens on a subgroup told by its fitness for a therapy: "patients otherwise fit for blood or marrow
# transplantation (BMT) should receive second-line chemotherapy" (NCT02109224)
_SUBGROUP_ADVICE = lazy_regex(
    r"\W*(?:patients?|subjects?|participants?|those)\s+(?:who\s+are\s+)?(?:otherwise\s+)?(?:fit|eligible|suitable|"
    r"candidates?)\s+for\b",
    re.IGNORECASE,
)
_SUBGROUP_RULE = cue("cue.therapy.subgroup_rule")


def _for_some(c: CriterionText, low: int, high: int, first: Mention) -> str | None:
    """A rule for some patients: told in the clause in a bracket, as a case or an 'only eligible if', or as a heading
    that opens the criterion (`cue.therapy.rule_for_some`); a clause that opens on whom a therapy fits
    (`_SUBGROUP_ADVICE`); or the patients a therapy history marks out, with their own requirement after it
    (`cue.therapy.subgroup_rule`, opening the criterion or the clause, the first therapy inside it: "Patients who have
    previously received MDX-010 must have a normal colonoscopy", NCT00924001; not "Patients with RAIR-DTC must have
    received prior lenvatinib")."""
    # the heading form opens the criterion: searched from a later clause's start, "^" would not match it
    if (
        found := _RULE_FOR_SOME.search(c.text, low, high)
        or _RULE_FOR_SOME.match(c.text)
        or _SUBGROUP_ADVICE.match(c.text, low)
    ):
        return found.group(0).strip()
    for offset in (0, low) if low else (0,):
        if (found := _SUBGROUP_RULE.search(c.text[offset:])) and first.start < offset + found.end():
            return found.group(0).strip()
    return None


_SETTING = cue("cue.therapy.setting")
_SETTING_GAP = lazy_regex(r"\s+(?:(?:or|and|and/or)\s+[\w-]+\s+)?(?:[\w-]+\s+)?")
_SETTING_NEAR = lazy_regex(r"[^.;]{0,60}")


def _setting(c: CriterionText, low: int, high: int, kept: list[Mention]) -> str | None:
    """The setting a therapy was given in (`cue.therapy.setting`), which the profile does not record: a setting word
    at most two words before a therapy ("Concurrent adjuvant cancer therapy", NCT02643420), or the disease a surgery or
    radiotherapy was given for, after it ("for the treatment of metastatic disease", NCT02077881)."""
    for found in _SETTING.finditer(c.text, low, high):
        for m in kept:
            before = found.group("word") and found.start() >= m.start - 40
            if before and _SETTING_GAP.fullmatch(c.text, found.end(), m.start):
                return c.text[found.start() : m.start].strip()  # "neoadjuvant or adjuvant", not "neoadjuvant"
            if (
                m.id in _PROCEDURES
                and not found.group("word")
                and _SETTING_NEAR.fullmatch(c.text, m.end, found.start())
            ):
                return found.group(0)
    return None


# What lies between a therapy and the cancer it was given for: "therapy for", "chemotherapy for the treatment of"
# "systemic therapy directed at advanced or metastatic RCC" (NCT02684006, fresh sample 9's P069): therapy sweep 2 review
# A word of the disease's description may carry its abbreviation or an aside in brackets: "Prior anticancer therapy for
# extensive disease (ED) SCLC" (NCT03116971, fresh sample 16's W323; therapy 16)
# Therapy 17 (sweeps 17 and 18): any tie of a therapy to the disease it treats ("against", "to treat", a surgery "of
# the cholangiocarcinoma", NCT02082522's Y019; "for first-line treatment of metastatic CRC", NCT01286818's Y142; "for
# primary disease of pancreatic adenocarcinoma", NCT02436668's Y097) and a longer description ("for inoperable locally
# advanced or metastatic TNBC", NCT02425891's Y022; "for epithelial ovarian, primary peritoneal or fallopian tube
# cancers", NCT01253681's X031); no time word (a window is not a description)
_DISEASE_WORD = (
    r"(?!(?:years?|months?|weeks?|days?|prior|before|after|within|since|other|except)\b)"
    r"[A-Za-z][\w/-]*,?\s+(?:\([^()]{0,40}\)\s+)?"
)
_GIVEN_FOR = lazy_regex(
    r"(?:[^.;()]{0,60}?\b(?:for|against|to\s+treat|(?:directed|aimed)\s+(?:at|against|to(?:wards?)?))|\s*of)\s+"
    r"(?:the\s+)?(?:(?:[\w-]+\s+)?(?:treatment|management|therapy|disease|diagnosis)\s+of\s+)?"
    r"(?:(?:their|the|his|her|an?)\s+)?(?:" + _DISEASE_WORD + r"){0,6}$",
    re.IGNORECASE,
)
# The patients a criterion is about, named by another disease: "Patients with Refractory MM (i.e. patients refractory
# to all prior therapies) who under all prior previous lines of therapy have" (NCT00532389, X075), "Subjects with
# recurrent and metastatic NPC who did't receive any Systemic chemotherapy" (NCT03121716, Y188): therapy 17
_PATIENTS_WITH = lazy_regex(
    r"\b(?:patients|subjects|participants|those|persons|individuals)\s+with\s+(?:" + _DISEASE_WORD + r"){0,4}$",
    re.IGNORECASE,
)
# Another disease told as the cancer a therapy is specific to ("Lung cancer-specific therapy (including surgery)",
# NCT00960115, X105), or as the last item of a list of therapies, a garbled "for" ("Previous chemotherapy or radiation
# therapy or lung cancer", NCT00482014, Y208): therapy 17
_SPECIFIC_TO = lazy_regex(r"\s*-\s*(?:specific|directed|related)\s+(?:therap(?:y|ies)|treatments?)\b", re.IGNORECASE)
_OR_A_DISEASE = lazy_regex(r"\s*,?\s*(?:and/)?or\s+(?:" + _DISEASE_WORD + r"){0,2}$", re.IGNORECASE)
_CLAUSE_END = lazy_regex(r"\W*$")
# a wider alternative after the disease, told by time or as any other cancer: "for current lung cancer or within the
# past 5 years" (NCT02059967), "for metastatic or locally advanced, unresectable pancreatic cancer, or other
# malignancy" (NCT01251640): the patient's therapy may be that one
_OR_WIDER = lazy_regex(
    r"\s*,?\s*or\s+(?:within|in\s+the\s+(?:past|last)|during|(?:any\s+)?other\s+(?:malignan|cancer|tumou?r|neoplas))",
    re.IGNORECASE,
)
# Diseases that are neither a primary site nor an abbreviation of one: see `cue.therapy.other_disease`
_OTHER_DISEASE = cue("cue.therapy.other_disease")


class _Disease(NamedTuple):
    """A disease other than the patient's thyroid cancer named in the text, and whether it is named only by the
    other-disease cue (`cue.therapy.other_disease`)."""

    text: str
    start: int
    end: int
    other: bool


class _AnotherDisease(NamedTuple):
    """What a clause says its therapies were given for, asked once per clause (`_another_disease`): another cancer,
    read with the fact (`_clause_facts`), and, for an exclusion, another disease, the other-disease cue counted too,
    read late among the doubts (`_qualified_therapy`), after those a surgery's aim and the like give."""

    cancer: str | None
    disease: str | None


def _another_disease(c: CriterionText, high: int, kept: list[Mention], excluded: bool) -> _AnotherDisease:
    """The other cancer the first therapy given for one was given for (`_given_for_another`), else, for an exclusion,
    the other disease the first so given was given for, the other-disease cue counted too. The diseases of each span
    of text are found once, with every cue, and the other-disease cue's left out for the cancer."""
    names = (_OTHER_CANCER_ABBREVIATION, _OTHER_DISEASE) if excluded else ()
    found: dict[tuple[int, int], list[_Disease]] = {}

    def diseases(start: int, end: int) -> list[_Disease]:
        if (start, end) not in found:
            found[start, end] = _diseases(c, start, end, names)
        return found[start, end]

    def cancers(start: int, end: int) -> list[_Disease]:
        return [x for x in diseases(start, end) if not x.other]

    if cancer := next((x for m in kept if (x := _given_for_another(c, high, m, excluded, cancers))), None):
        return _AnotherDisease(cancer, None)
    if not excluded:
        return _AnotherDisease(None, None)
    return _AnotherDisease(None, next((x for m in kept if (x := _given_for_another(c, high, m, True, diseases))), None))


def _given_for_another(
    c: CriterionText, high: int, m: Mention, excluded: bool, diseases: Callable[[int, int], list[_Disease]]
) -> str | None:
    """The other disease (a cancer of a primary site other than the thyroid, or another disease) a therapy was given
    for, if the clause names one among ``diseases`` (`_diseases` of a span). The therapy's bracketed list or aside may
    stand between ("Previous systemic therapy (chemotherapy or biologic therapy) for ... gastric or esophagogastric
    adenocarcinoma", NCT00719550; "Previous anti-cancer treatment (cytotoxic chemotherapy, ...) with therapeutic intent
    for current breast cancer", NCT02032277: fresh sample 13's T052/T395), and the site may be told by its organ before
    the cancer's noun ("gastric ... adenocarcinoma", therapy 7). "For this cancer", "for the tumor" name no other
    disease: the patient's own. Therapy 17's "-specific", "patients with" and "or <disease>" forms are read for an
    exclusion only (``excluded``): a therapy required of "Patients with invasive epithelial ovarian ... cancer, being
    resistant to treatment with platinum and a taxane" (NCT02728622, fresh sample 8's N065) is one a thyroid patient
    lacks."""
    # from the therapy's name, and from past its bracket: a therapy inside a bracket may be given for a site inside
    # it too ("(including radiotherapy for prostate cancer)"), which parser 20's rule read before the bracket was passed;
    # and from the end of the list the therapy opens ("radiation therapy, chemotherapy, biotherapy, and/or hormonal
    # therapy administered for the currently diagnosed breast cancer", NCT00365417, fresh sample 14's U178: therapy 9)
    # another cancer's abbreviation, for an exclusion (a required therapy "for MM" is one she lacks: fresh sample 17's
    # X140, as therapy 5 read it)
    listed = _list_end(c, high, m)
    for start in dict.fromkeys((m.end, _past_asides(c.text, m.end), listed)):
        if found := _site_given_for(c, start, diseases(start, high)):
            return found[0]
    low = c.clause(m.start)[0]
    # a treatment named before the therapy, given for another cancer, whose examples the therapy opens: "Prior therapy
    # for lung cancer with chemotherapy" (NCT01565772), "No previous treatment for metastatic colorectal cancer,
    # including chemotherapy, ..." (NCT01022541): the W323 class told the other way round (therapy 16); or which the
    # therapy times: "Treatment directed against the resected melanoma that is administrated after the surgery"
    # (NCT02388906, Y006: therapy 17)
    for told in _TREATMENT_FOR.finditer(c.text, low, m.start):
        found = _site_given_for(c, told.end(), diseases(told.end(), m.start))
        if found and _EXAMPLES_OF_IT.fullmatch(c.text, found[1], m.start):
            return found[0]
    if not excluded:
        return None
    for text, start, end, _ in diseases(sentence_start(c.text, m.start), m.start):
        specific = _SPECIFIC_TO.match(c.text, end)
        if specific and _EXAMPLES_OF_IT.fullmatch(c.text, specific.end(), m.start):
            return text  # "Lung cancer-specific therapy (including surgery)"
        if _PATIENTS_WITH.search(c.text, max(0, start - 80), start):
            return text  # "Patients with Refractory MM ... who under all prior previous lines of therapy have"
    for text, start, end, _ in diseases(listed, high):
        if _OR_A_DISEASE.fullmatch(c.text, listed, start) and _CLAUSE_END.fullmatch(c.text, end, high):
            return text  # "Previous chemotherapy or radiation therapy or lung cancer"
    return None


def _diseases(c: CriterionText, start: int, end: int, names: tuple[QuickPattern, ...] = ()) -> list[_Disease]:
    """The diseases other than the patient's thyroid cancer named from ``start`` to ``end``, in order: a primary site
    other than the thyroid, an organ before a cancer's noun, and what ``names`` finds (another cancer's abbreviation,
    `cue.therapy.other_cancer_abbreviation`; another disease, `cue.therapy.other_disease`, marked ``other``); none in
    an exception ("other than breast cancer")."""
    found = [
        _Disease(x.text, x.start, x.end, False) for x in c.of("SITE") if start <= x.start < end and x.id != THYROID
    ]
    for pattern in (_ORGAN_CANCER, *names):
        other = pattern is _OTHER_DISEASE
        found += [_Disease(x.group(0), x.start(), x.end(), other) for x in pattern.finditer(c.text, start, end)]
    kept = (x for x in found if not any(a <= x.start < b for a, b in c.exceptions))
    return sorted(kept, key=lambda x: (x.start, -x.end))  # the first, the longest at a start


def _site_given_for(c: CriterionText, start: int, diseases: list[_Disease]) -> tuple[str, int] | None:
    """The other disease (its text and where it ends) among ``diseases`` (`_diseases` from ``start``) that the text
    from ``start`` says a therapy was given for, with no exception between ("for cancers other than SCCHN") and no
    wider alternative after it (`_OR_WIDER`)."""
    for text, at, to, _ in diseases:
        given = _GIVEN_FOR.fullmatch(c.text, start, at) and not _OTHER_THAN.search(c.text, start, at)
        if given and not _OR_WIDER.match(c.text, to):
            return text, to
    return None


_TREATMENT_FOR = lazy_regex(
    r"\b(?:treatments?|therap(?:y|ies))(?=\s+(?:for|against|to\s+treat|(?:directed|aimed)\s+(?:at|against))\b)",
    re.IGNORECASE,
)
# what opens the examples of a treatment, after the cancer it was given for: ", including", "with", "by", ":", "(e.g.";
# or a relative clause that times the therapy by it ("that is administrated after the", therapy 17)
_EXAMPLES_OF_IT = lazy_regex(
    r"\s*(?:\([^()]*\)\s*)?,?\s*(?:\(\s*)?(?:including|with|by|such\s+as|e\.g\.|:)\s*|\s+(?:that|which)\b[^.;()]{0,60}",
    re.IGNORECASE,
)


# what joins a list of therapies: a comma, "and", "or", "and/or", with at most one word the vocabulary does not read
# between ("chemotherapy, biotherapy, and/or hormonal therapy")
_LIST_JOIN = lazy_regex(
    r"\s*(?:,\s*)?(?:(?:and/or|and|or)\s+)?(?:[\w-]+\s*,\s*(?:(?:and/or|and|or)\s+)?|[\w-]+\s+(?:and/or|and|or)\s+)?",
    re.IGNORECASE,
)
# a therapy the vocabulary does not read, after the last one read: ", biotherapy", ", and/or hormonal therapy"
_LIST_TAIL = lazy_regex(
    r"(?:\s*,\s*(?:(?:and/or|and|or)\s+)?|\s+(?:and/or|and|or)\s+)(?:[\w-]+\s+)?[\w-]*"
    r"(?:therapy|therapies|treatments?|agents?|drugs?)\b",
    re.IGNORECASE,
)


def _is_therapy(x: Mention) -> bool:
    """Whether a mention names a therapy: a drug, a class or a therapy concept (surgery, radiotherapy, ...)."""
    return x.label in THERAPY_LABELS or x.id in THERAPY_CONCEPTS


def _list_end(c: CriterionText, high: int, m: Mention) -> int:
    """Where the list of therapies that ``m`` opens ends (its last therapy's name), within the clause (therapy 9)."""
    end = m.end
    for x in c.mentions:
        if x.start < end or x.start >= high:
            continue
        if not (_is_therapy(x) and _LIST_JOIN.fullmatch(c.text, end, x.start)):
            break
        end = x.end
    while tail := _LIST_TAIL.match(c.text, end, high):  # therapies the vocabulary does not read: "biotherapy"
        end = tail.end()
    return end


# The organ of another cancer before its noun: "metastatic gastric or esophagogastric adenocarcinoma" (therapy 7). Not
# the head or neck (a thyroid cancer is a head and neck cancer), nor a bone or the brain (where its metastases lie)
_ORGAN_CANCER = lazy_regex(
    r"\b(?:gastric|stomach|o?esophag\w*|gastro-?o?esophageal|pancrea\w*|breast|prostat\w*|lungs?|pulmonary|colorectal|"
    r"colon|rectal|bowel|liver|hepatic|hepatocellular|ovarian|ovary|fallopian|endometrial|uterine|cervical|bladder|"
    r"urothelial|renal|kidney|abdominal|pelvic|skin|gyn[ae]{1,2}cologic\w*|"
    # "prior local treatment for retroperitoneal sarcoma: surgery or radiotherapy in the tumour bed" (NCT02275286), "No
    # prior chemotherapy for gastrointestinal stromal tumors" (NCT00103168): therapy 16
    r"retroperitoneal|soft[- ]tissue|gastrointestinal(?:\s+stromal)?|"
    # "for epithelial ovarian, primary peritoneal or fallopian tube cancers" (NCT01253681, X031: therapy 17)
    r"peritoneal|fallopian(?:\s+tube)?)\b(?:\s+(?:or|and|and/or)\s+[\w-]+(?:\s+tube)?)?\s+"
    r"(?:adenocarcinomas?|carcinomas?|cancers?|tumou?rs?|malignanc(?:y|ies)|sarcomas?|neoplasms?)\b",
    re.IGNORECASE,
)
_ASIDE = lazy_regex(r"\s*(?:\([^()]*\)|\[[^\[\]]*\])")


def _past_asides(text: str, position: int) -> int:
    """Where the text after a therapy's name goes on past the bracket the name stands in ("(chemotherapy or biologic
    therapy)") and past any bracketed aside after it."""
    opened = text.rfind("(", 0, position)
    if opened >= 0 and text.rfind(")", 0, position) < opened and (closed := text.find(")", position)) >= 0:
        position = closed + 1
    while aside := _ASIDE.match(text, position):
        position = aside.end()
    return position


def _apart_from_sited(c: CriterionText, low: int, m: Mention) -> bool:
    """Whether a radiotherapy beside a sited one is read apart from it: one told as any ("or received any radiotherapy
    within 4 weeks of entry"). Not an unsited radiotherapy otherwise: its site may follow its window ("prior radiation
    therapy within the past 3 years to the breast"); nor a drug beside (tried: it made certain the misread windows of
    "chemotherapy must have been completed at least 90 days prior to documentation of relapse", NCT00470054)."""
    if m.id != "concept.radiotherapy":
        return False
    return not _sited(c, low, m) and bool(_ANY_RADIOTHERAPY.search(c.text, max(low, m.start - 20), m.start))


_ANY_RADIOTHERAPY = lazy_regex(r"\bany\s+(?:prior\s+|previous\s+|other\s+)?$", re.IGNORECASE)


def _sited(c: CriterionText, low: int, m: Mention) -> str | None:
    """The site treated that a radiotherapy mention names ("whole brain radiation", "small field brain irradiation",
    "radiotherapy to the thorax"), or its kind by name ("Prior WBRT", "total lymphoid irradiation", therapy 4): the
    words the reason quotes ("pelvic" of "wide-field (full-dose pelvic) radiotherapy", not "radiotherapy")."""
    start = max(low, m.start - 30)
    before = c.text[start : m.end]
    if found := _SITED_RADIOTHERAPY.search(before):  # "brain radiation", "Whole brain radiation" whole
        return " ".join(c.text[min(m.start, start + found.start()) : m.end].split())
    if found := _SITE_AFTER.match(c.text, m.end):  # "to > 25% of bone marrow", not "... of bone"
        end = marrow.end() if (marrow := _MARROW_AFTER.match(c.text, found.end())) else found.end()
        return " ".join(c.text[found.start() : end].split())
    return _of_kind(before)


_MARROW_AFTER = lazy_regex(r"\s+marrow\b", re.IGNORECASE)


# A kind, site or share of radiotherapy (`cue.therapy.radiotherapy_of_kind`: "Prior WBRT", "total lymphoid
# irradiation", "to > 30 percent of bone marrow", "splenic irradiation"): one list, read next to a radiotherapy's name
# (`_sited`) and, for an exclusion of radiotherapy alone with no window, anywhere in the criterion (`_doubt`)
_RADIOTHERAPY_OF_KIND = cue("cue.therapy.radiotherapy_of_kind")
_NAME_TAIL = lazy_regex(r"[\w\s()-]{0,25}")


def _sited_reason(site: str) -> str:
    """The reason a radiotherapy of a site, share or kind is uncertain, quoting the words that name it."""
    return f"radiotherapy of a named site, share or kind ({site!r}) is not told apart from other radiotherapy"


def _of_kind(text: str) -> str | None:
    """The kind of radiotherapy ``text`` ends with: a kind named at most a short name before its end."""
    return next((x.group(0) for x in _RADIOTHERAPY_OF_KIND.finditer(text) if _NAME_TAIL.fullmatch(text, x.end())), None)


def _sited_surgery(c: CriterionText, low: int, m: Mention) -> bool:
    """Whether a surgery mention names the organ or site operated on: "cardiac or aortic surgery", "bowel surgery"."""
    return bool(_SITED_SURGERY.search(c.text[max(low, m.start - 40) : m.start]) or _SITE_AFTER.match(c.text, m.end))


def _unread_alternative(
    c: CriterionText, read: tuple[int, int, list[Mention]], polarity: Polarity, v: TherapyValues
) -> tuple[TherapyValues, str | None]:
    """A required therapy joined by "or" to one the vocabulary does not read ("at least one line of palliative therapy
    (chemotherapy or biological therapy)", NCT01799161, fresh sample 13's T058): the other qualifies too. Told as a
    systemic therapy (biologic, hormonal, targeted ...: `cue.therapy.systemic_alternative`) and with no count cap, the
    requirement is widened to any systemic therapy, which a patient without one still fails (sample 10's Q033); else it
    is uncertain (therapy 7)."""
    low, high, kept = read
    if polarity is not Polarity.REQUIRE:
        return v, None
    # not a partner of the therapy asked ("anti-HER2 therapy ... combined with chemotherapy or hormonal therapy",
    # NCT00679211): what it was given with
    if any(_PARTNER_BEFORE.search(c.text, max(low, x.start - 30), x.start) for x in kept):
        return v, None
    for m in kept:
        for found in (_UNREAD_ALTERNATIVE.match(c.text, m.end, high),
                      _UNREAD_ALTERNATIVE.search(c.text, max(low, m.start - 40), m.start),
                      _STANDARD_CARE_ALTERNATIVE.search(c.text, max(low, m.start - 60), m.start)):  # fmt: skip
            if (
                found
                and (found.end() == m.start or found.start() == m.end)
                and not _read_alternative(c, m, found.start(), found.end())
            ):
                # the alternative's own words, and the kind it names by "with" or "of" ("or treatment with a hormonal
                # agent", NCT03514836); never the therapy read beside it, which would tell every alternative before a
                # chemotherapy ("local therapy or chemotherapy") as systemic (review of therapy 7)
                told = found.group(0)
                if found.start() == m.end and (by := _TOLD_BY.match(c.text, found.end())):
                    told += " " + re.split(r"[,;()]", c.text[by.end() : by.end() + 30])[0]
                if v.max_count is None and _SYSTEMIC_ALTERNATIVE.search(told):
                    categories = tuple(sorted({*v.categories, "systemic"}))
                    return msgspec.structs.replace(v, categories=categories), None
                return v, f"an alternative the vocabulary does not read ({found.group(0).strip()!r}) is not read"
    return v, None


def _read_alternative(c: CriterionText, m: Mention, start: int, end: int) -> bool:
    """Whether a therapy of the vocabulary is named in the alternative at start-end, or right after it by "with" or
    "of" ("and/or treatment with radiation and temozolomide", NCT02253212)."""
    told = _TOLD_BY.match(c.text, end)
    last = told.end() if told else end
    return any(
        (start < x.end and x.start < end) or (told and x.start == last)
        for x in c.mentions
        if x is not m and _is_therapy(x)
    )


_SYSTEMIC_ALTERNATIVE = cue("cue.therapy.systemic_alternative")
_PARTNER_BEFORE = lazy_regex(r"\b(?:with|plus)\s+$", re.IGNORECASE)
_TOLD_BY = lazy_regex(r"\s+(?:with|of)\s+(?:an?\s+|the\s+)?", re.IGNORECASE)
_UNREAD_ALTERNATIVE = cue("cue.therapy.unread_alternative")


def given_by_the_trial(fact: Fact, own_drugs: Mapping[str, str]) -> Fact:
    """A requirement of prior treatment with a drug the trial itself gives contradicts the trial ("Must have received
    prior everolimus or other mTOR inhibitor therapy" in an everolimus trial, NCT01118065): the text may mean "must
    not". Such a fact can satisfy, never violate. Progression on the drug ("progressed on sorafenib", in a trial that
    adds a drug to it), a count or a window are what such trials ask, and stay."""
    v = fact.values
    if fact.kind is not FactKind.PRIOR_THERAPY or fact.polarity is not Polarity.REQUIRE:
        return fact
    assert isinstance(v, TherapyValues)
    named = [own_drugs[d] for d in v.drugs if d in own_drugs]
    if not named or v.progressed or v.max_count is not None or v.within is not None:
        return fact
    doubt = f"the trial itself gives {', '.join(named)}, which this requires having had"
    return fact.doubted(doubt)


def _progressed(c: CriterionText, m: Mention) -> bool:
    before = c.text[max(0, m.start - 60) : m.start]
    return bool(_PROGRESSED_BEFORE.search(before) or _PROGRESSED_AFTER.match(c.text, m.end))


# A kinase inhibitor named by its target just before it: "EGFR-TKIs", "ALK TKI", "BTK kinase inhibitor", "EGFR
# tyrosine-kinase inhibitors" (NCT02192697: 'kinase inhibitors' read after 'tyrosine-', review of therapy 4)
_TKI_TARGET = lazy_regex(
    r"\b(?P<g>[A-Z][A-Za-z0-9]{1,8}[A-Z0-9])(?:\s*-\s*|\s+)"
    r"(?:targeted\s+|targeting\s+|small[- ]molecule\s+|direct(?:ed|e)?\s+|specific\s+|tyrosine[- ])?$"
)
_ANY_TKI = ("class.tki", "class.kinase_inhibitor")
_SPELLED_TARGET = lazy_regex(
    r"\b(?P<w>epidermal|vascular\s+endothelial|platelet[- ]derived|fibroblast)\s+growth\s+factor(?:\s+receptors?)?"
    r"(?:\s*\([A-Za-z-]+\))?\s+$",
    re.I,
)
_SPELLED_TARGETS = {"epidermal": "EGFR", "vascular": "VEGFR", "platelet": "PDGFR", "fibroblast": "FGFR"}


class _KinaseTarget(NamedTuple):
    name: str  # "EGFR", "EGFR/VEGFR"
    class_id: str | None  # its class of kinase inhibitors in the vocabulary, if it has one
    wider: bool = False  # the class holds more than kinase inhibitors ("EGFR inhibitor" holds cetuximab too)


def _tki_target(c: CriterionText, kb: KnowledgeBase, m: Mention) -> _KinaseTarget | None:
    """The target that narrows a kinase-inhibitor class ("EGFR-TKIs (e.g., CO-1686, AZD9291) that can inhibit EGFR
    with the T790M mutation", NCT02192697: EGFR inhibitors, not lenvatinib): (target, its class in the vocabulary or
    None). None when no target stands before the class."""
    if m.id not in _ANY_TKI:
        return None
    spelled = _SPELLED_TARGET.search(c.text, max(0, m.start - 60), m.start)
    if spelled:
        # "other epidermal growth factor tyrosine kinase inhibitor" (NCT00096486): EGFR told in words (therapy 4)
        target = _SPELLED_TARGETS[spelled.group("w").lower().replace("-", " ").split()[0]]
    else:
        found = _TKI_TARGET.search(c.text, max(0, m.start - 30), m.start)
        if not found or found.group("g").upper() in ("TKI", "TKIS", "MKI", "MKIS", "ORAL", "PRIOR", "ANY"):
            return None
        target = found.group("g")
        if c.text[max(0, found.start() - 1) : found.start()] in ("/", "-"):
            # "EGFR/VEGFR TKIs"
            return _KinaseTarget(f"{c.text[max(0, found.start() - 12) : found.start()].split()[-1]}{target}", None)
    # the target's class stands for the kinase inhibitors only when it is one of theirs: "EGFR inhibitor" also holds
    # cetuximab and "VEGF inhibitor" bevacizumab (NCT00312377 permits bevacizumab beside "VEGFR-TKIs"): uncertain
    known = kb.class_by_name(f"{target} inhibitor")
    kinase = known is not None and known.id not in _ANY_TKI and not kb.class_closure(known.id).isdisjoint(_ANY_TKI)
    if known is not None and not kinase and known.id not in _ANY_TKI:
        # "another EGFR small molecule TKI agent" (NCT01026844): EGFR inhibitors hold it, and more; a requirement
        # read with the wider class is still implied by the text, an exclusion is not (therapy 4)
        return _KinaseTarget(target, known.id, wider=True)
    return _KinaseTarget(target, known.id if kinase and known is not None else None)


def _classes(
    c: CriterionText, kb: KnowledgeBase, kept: list[Mention], targets: Mapping[Mention, _KinaseTarget | None]
) -> set[str]:
    """The classes the kept mentions name; ``targets`` holds each class mention's kinase target (`_tki_target`)."""
    classes = set()
    for m in kept:
        if (
            m.label == "CLASS"
            and re.match(r"[^:;.]{0,30}:", c.text[m.end :])
            and any(x.label == "DRUG" and x.start > m.end for x in kept)
        ):
            continue  # "one of the following VEGFR-targeting TKI agents: lenvatinib or sorafenib"
        if m.label == "CLASS":
            before = c.text[max(0, m.start - 80) : m.start]
            vegf = m.id in ("class.targeted_therapy", "class.monoclonal_antibody") and (
                (m.id == "class.targeted_therapy" and _VEGF_BEFORE.search(before))
                or (m.id == "class.monoclonal_antibody" and _VEGF_AFTER.match(c.text, m.end))
            )
            target = targets[m]
            narrowed = target.class_id if target else None
            classes.add("class.vegf_pathway_inhibitor" if vegf else narrowed or m.id)
        elif m.label == "DRUG" and _DERIVATIVES.match(c.text, m.end) and m.id in kb.drugs:
            classes.update(kb.drugs[m.id].classes)  # "thalidomide or any of its derivatives"
    return classes


def _matches(v: TherapyValues, t: Therapy, kb: KnowledgeBase) -> bool | None:
    """Whether a therapy is one the fact names; None when its name is not in our drug vocabulary."""
    categories = set(v.categories)
    kind = t.kind
    if kind is TherapyKind.SURGERY or kind is TherapyKind.RADIOTHERAPY or kind is TherapyKind.RADIOIODINE:
        return kind.value in categories
    drug = kb.drug_by_name(t.name)
    if drug is not None:
        classes = kb.drug_classes(drug.id)
        if drug.id in v.except_drugs or classes & set(v.except_classes):
            return False
        if drug.id in v.drugs or classes & set(v.classes):
            return True
    if kind is TherapyKind.SYSTEMIC or (kind is None and drug is not None):
        if "systemic" in categories:
            return True
        if drug is None and (v.classes or "investigational" in categories):
            return None  # an unknown drug might belong to the class, or be investigational
    return False


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, TherapyValues)
    found = _evaluated(fact.polarity, v, p, on, kb)
    if fact.polarity is Polarity.REQUIRE and found.has is False and v.maybe_categories:
        return _maybe_local(fact.polarity, v, p, on, kb, found)
    return found


def _evaluated(polarity: Polarity, v: TherapyValues, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    if p.therapies is None:
        return Finding(None, "treatment history not on file", missing="treatment history")
    named = _label(v, kb)
    matched, uncertain, response_unknown = [], [], []
    for t in p.therapies:
        if v.ongoing and not t.ongoing:
            continue  # "no concurrent radioiodine therapy" is about now, not the history
        hit = _matches(v, t, kb)
        if hit is None:
            uncertain.append(t)
        elif hit and v.progressed and not t.progressed:
            if t.progressed is None:
                response_unknown.append(t)  # "progressed on X": X on file, but not how it ended
        elif hit:
            matched.append(t)
    if v.within is not None:
        return _washout(polarity, v.within, on, matched, uncertain, response_unknown, named)
    count = len({t.start or t.name.lower() for t in matched})  # drugs started together are one regimen
    low, high = v.min_count, v.max_count
    paths = tuple(t.path for t in matched)
    described = ", ".join(_text(t) for t in matched) or f"no {named}"
    inside = count >= low and (high is None or count <= high)
    if uncertain and not inside:
        return Finding(
            None,
            f"{described}; cannot tell whether {uncertain[0].name} is {named}",
            (*paths, uncertain[0].path),
            missing=f"drug class of {uncertain[0].path}",
        )
    if response_unknown and count < low:
        return _progression_unknown(response_unknown[0], named, paths)
    bounds = f"{low}" + (f"-{high}" if high is not None else "+")
    suffix = f" (trial: {bounds} {named}{', progressed on it' if v.progressed else ''})"
    return Finding(inside, described + suffix, paths or ("therapies",))


def _progression_unknown(t: Therapy, named: str, paths: tuple[str, ...] = ()) -> Finding:
    return Finding(
        None,
        f"{_text(t)} on file, but not whether the disease progressed on it (trial: progressed on {named})",
        (*paths, t.path),
        missing=f"response to {t.path} (reason stopped or best response)",
    )


def _washout(
    polarity: Polarity,
    window: Window,
    on: date,
    matched: list[Therapy],
    uncertain: list[Therapy],
    response_unknown: list[Therapy],
    named: str,
) -> Finding:
    latest: tuple[date, Therapy] | None = None
    for t in matched:
        if t.ongoing:
            return Finding(
                None, f"on {t.name} now; {window} must pass after it stops", (t.path,), missing=f"stop date of {t.path}"
            )
        last = t.end or t.start
        if last is None:
            return Finding(None, f"dates of {t.name} not on file", (t.path,), missing=f"dates of {t.path}")
        if latest is None or last > latest[0]:
            latest = (last, t)
    if latest is not None and on < (free := add_window(latest[0], window)):
        last, t = latest
        if polarity is Polarity.REQUIRE:  # met until the window closes
            return Finding(True, f"{t.name} ended {last}, within {window}", (t.path,), changes_on=free)
        return Finding(
            False,
            f"{t.name} ended {last}; the {window} washout is met from {free}",
            (t.path,),
            eligible_from=free,
        )
    for t in [*uncertain, *response_unknown]:  # a drug of unknown class, or of unknown outcome, in the window
        last = t.end or t.start
        if t.ongoing or last is None or on < add_window(last, window):
            if t in response_unknown:
                return _progression_unknown(t, named)
            return Finding(
                None, f"cannot tell whether {t.name} is {named}", (t.path,), missing=f"drug class of {t.path}"
            )
    if latest is not None:
        return Finding(False, f"last {named} ended {latest[0]}, more than {window} ago", (latest[1].path,))
    return Finding(False, f"no {named} in the last {window}", ("therapies",))


def _label(v: TherapyValues, kb: KnowledgeBase) -> str:
    names = [kb.drugs[d].name for d in v.drugs if d in kb.drugs]
    names += [kb.classes[c].name for c in v.classes if c in kb.classes]
    names += [c if c != "systemic" else "systemic therapy" for c in v.categories]
    return " or ".join(names) or "the named therapy"


def _text(t: Therapy) -> str:
    span = f" ({t.start})" if t.start else ""
    if t.end or t.ongoing:
        span = f" ({t.start or '?'} to {t.end or 'ongoing'})"
    return f"prior {t.name}{span}" + (", progressed" if t.progressed else "")


# GENE: a target of a shared "inhibitor(s)" ("BRAF or MEK inhibitors", `_elided_classes`)
KIND = Kind(
    FactKind.PRIOR_THERAPY, TherapyValues, extract, evaluate, frozenset({*THERAPY_LABELS, *THERAPY_CONCEPTS, "GENE"})
)


# Therapy 8 (issue 10): a therapy named in an exception or a note, or a radiotherapy that names a condition or a
# document, is no mention; a cytotoxic or a qualified systemic therapy is narrowed. Each cue names the real text that
# called for it.
_EXCEPTION_HEADING = cue("cue.therapy.exception_heading")
_NAMED_AFTER_RADIATION = cue("cue.therapy.named_after_radiation")
# "No prior cytotoxic anticancer therapy" (NCT00002633): chemotherapy, not any systemic therapy; not "non-cytotoxic"
# and not one of a list ("Any cytotoxic or biologic therapy", NCT02372240). Not "cytostatic": GOG texts use it for the
# non-cytotoxic agents ("Non-cytotoxic (biologic or cytostatic) agents", NCT00722592), so a required one is not chemo.
_CYTOTOXIC_BEFORE = lazy_regex(r"(?<![\w-])cytotoxic\s+(?:(?!(?:or|and|and/or|nor|plus)\s)[\w-]+\s+)?$", re.IGNORECASE)
# "systemic therapy with ramucirumab" (NCT02572687), "systemic therapy ... targeting programmed death (PD) 1"
# (NCT02572687), "Prior systemic therapy with cytostatics" (NCT01374789): the systemic therapy is only what follows
_SYSTEMIC_QUALIFIED = lazy_regex(
    r"\s*(?:\([^()]*\)\s*)?(?:with|targeting|directed\s+(?:at|against))\s+"
    r"(?!(?:any|all|other|or|and|an?|the|no|therapeutic|curative|palliative)\b)",
    re.IGNORECASE,
)
_KINASE_KIND = cue("cue.therapy.kinase_kind_before")
# a kinase inhibitor named by a target word the vocabulary does not take: "aurora kinase inhibitor" (NCT02219789),
# "Raf-Kinase inhibitors" (NCT00619541)
_KINASE_WORD = lazy_regex(r"\b(?P<t>[A-Za-z][A-Za-z0-9]*)(?:\s+[A-Z0-9])?\s*[\s-]\s*$")
_GENERIC_TEXT = (
    "tyrosine multi multikinase multitargeted targeted oral prior previous any other molecule small protein a an the "
    "of with or and novel selective receptor specific another including no serine threonine more to for than in on by "
    "as at from such these those all tyrosin kinase one two factor"
)
_GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())


def _no_therapy_asked(c: CriterionText, m: Mention) -> bool:
    """A therapy named in an exception or a note that opens a sentence ("Exception: local radiation therapy for
    symptomatic bone lesions", NCT01042704; "Note: for agents that ... (i.e. monoclonal antibodies)", NCT02642965), or
    a radiotherapy that names a condition or a document ("radiation pneumonitis", "radiation therapy records"): no
    therapy asked about."""
    for found in _EXCEPTION_HEADING.finditer(c.text):
        # a note on the washout of the therapy it opens on stays read: "Note: For prior bevacizumab therapy at least 40
        # days should have elapsed since last dose" (NCT00678977)
        own_washout = m.start - found.start() < 25 and _durations(found.group(0))[0]
        if found.start() < m.start < found.end() and not own_washout:
            return True
    return m.id == "concept.radiotherapy" and bool(_NAMED_AFTER_RADIATION.search(c.text[m.end : m.end + 40]))


def _narrowed(
    c: CriterionText, read: tuple[int, int, list[Mention]], polarity: Polarity, v: TherapyValues
) -> tuple[TherapyValues, str | None]:
    """The reading widened by local examples, or narrowed (a cytotoxic or a qualified systemic therapy), and why a
    qualified systemic therapy alone is uncertain (therapies 8 and 9)."""
    low, high, kept = read
    systemic = [m for m in kept if m.id == "concept.systemic_therapy"]
    # not under a cap ("at most N"): widened, a capped requirement would count more therapies against its cap and so
    # could be violated by a past radioiodine (review rev14)
    if polarity is Polarity.REQUIRE and v.max_count is None and (local := _local_examples(c, high, systemic)):
        # "Received at least once anti-cancer treatment (including chemotherapy, radiotherapy, biological or endocrine
        # treatment)" (NCT01278810, fresh sample 14's U158): an anticancer treatment whose examples name a local one
        # is any anticancer treatment, not only a systemic one; widened, a requirement is only met more easily
        # (radioiodine is a radiotherapy; therapy 9)
        categories = tuple(sorted({*v.categories, *local}))
        v = msgspec.structs.replace(v, categories=categories)
    if systemic and "systemic" in v.categories:
        if all(_CYTOTOXIC_BEFORE.search(c.text, max(low, m.start - 30), m.start) for m in systemic):
            categories = tuple(x for x in v.categories if x != "systemic")
            classes = tuple(sorted({*v.classes, "class.chemotherapy"}))
            v = msgspec.structs.replace(v, categories=categories, classes=classes)
        elif polarity is Polarity.EXCLUDE and all(_SYSTEMIC_QUALIFIED.match(c.text, m.end) for m in systemic):
            categories = tuple(x for x in v.categories if x != "systemic")
            if not (v.drugs or v.classes):
                return v, "a systemic therapy told by what it is given with or targets is not read as any"
            v = msgspec.structs.replace(v, categories=categories)
    return v, None


def _local_examples(c: CriterionText, high: int, systemic: list[Mention]) -> set[str]:
    """The local therapies (radiotherapy, radioiodine, surgery) among the examples of an anticancer treatment not told
    as systemic ("anti-cancer treatment (including chemotherapy, radiotherapy, ...)"), as categories (therapy 9)."""
    found: set[str] = set()
    for m in systemic:
        if "systemic" in m.text.lower():
            continue
        for x in c.mentions:
            if m.end <= x.start < high and x.id in _PROCEDURES and _an_example(c.text, m.end, x.start):
                found.add(THERAPY_CONCEPTS[x.id])
                if x.id == "concept.radiotherapy":
                    found.add("radioiodine")
    return found


def _kinase_of_one_target(r: _Read) -> str | None:
    """A kinase inhibitor of one target or kind, which its class does not tell apart: a target with no class of its
    own ("BTK tyrosine kinase inhibitor"), a kind told in the clause ("No Bruton's tyrosine kinase inhibitor", "3rd
    generation TKI": `cue.therapy.tki_kind`), or, for an exclusion, a kind or a target word just before a class left
    whole (`cue.therapy.kinase_kind_before`: "tyrosin kinase inhibitor", NCT01298713; "aurora kinase inhibitor",
    NCT02219789; "Raf-Kinase inhibitors", NCT00619541)."""
    c, low, high, kept, polarity, v, targets = r.c, r.low, r.high, r.kept, r.polarity, r.v, r.targets
    if name := next((t.name for t in targets.values() if t and t.class_id is None), None):
        return name
    if "class.tki" in v.classes and (found := _TKI_KIND.search(c.text, low, high)):
        return found.group(0)
    for m in kept if polarity is Polarity.EXCLUDE else ():
        if m.id not in _ANY_TKI or m.id not in v.classes:
            continue
        if found := _KINASE_KIND.search(c.text, max(low, m.start - 30), m.start):
            return found.group(0).strip()
        found = _KINASE_WORD.search(c.text, max(0, m.start - 25), m.start)
        word = found.group("t") if found else ""
        plain = word.lower() in _GENERIC_WORDS or word.lower().endswith(("ed", "al", "ar", "ly", "ic", "ive", "ing"))
        if len(word) > 2 and not plain and not word.isupper():
            return word
    return None


# Therapy 15 (issue 10): fresh sample 15's prior-therapy items judged wrong (V104, V131, V146, V147, V268, V385), each
# by its class. Each cue names the real text that called for it.
_STOPPED_BEFORE_ENTRY = cue("cue.therapy.stopped_before_entry")
_ABILITY_TO_RECEIVE = cue("cue.therapy.ability_to_receive")
_TO_RECEIVE = cue("cue.therapy.to_receive")
_PROGRESSED_AFTER_STOPPING = cue("cue.therapy.progressed_after_stopping")
_ANTICANCER_NOT_SYSTEMIC = cue("cue.therapy.anticancer_not_systemic")
_LINE_NOT_SYSTEMIC = cue("cue.therapy.line_not_systemic")  # therapy 17
_LOCAL_KINDS = ("radioiodine", "radiotherapy")


def _reread(
    c: CriterionText, read: tuple[int, int, list[Mention]], polarity: Polarity, v: TherapyValues
) -> TherapyValues:
    """The reading changed by therapy 15's classes: a therapy to be stopped before entry is a current one, a window
    from stopping a therapy to a progression is not the therapy's, and an anticancer treatment not told as systemic
    may also be a radioiodine or radiotherapy (their doubts are `_window_unread`'s and `_maybe_local`'s)."""
    low, high, kept = read
    if polarity is Polarity.EXCLUDE and v.within is None and _STOPPED_BEFORE_ENTRY.search(c.text, kept[-1].end, high):
        # "Treatment with any other anti-cancer therapy ... must be stopped prior to day of enrolment" (NCT00268593,
        # V104): a washout of no length, met by stopping: only a current therapy is asked about, and it may stop
        return msgspec.structs.replace(v, ongoing=True)
    if (
        polarity is Polarity.REQUIRE
        and v.within is not None
        and not v.ongoing
        and _PROGRESSED_AFTER_STOPPING.search(c.text, low, high)
    ):
        # "progression on or after stopping treatment with VEGF-targeted therapies within 6 months" (NCT01152801, V268):
        # the window is from stopping to the progression, not from the therapy to today; the therapy is required at
        # any time, and a progression after it is not one on it
        v = msgspec.structs.replace(v, within=None, progressed=False)
    generic = v.categories == ("systemic",) and not v.drugs and not v.classes
    if polarity is Polarity.REQUIRE and generic and all(_anticancer_not_systemic(c, low, m) for m in kept):
        # "Only one prior anti-tumor treatment regimen in the non-curative setting", "Progressive disease following
        # the previous anti-tumor treatment regimen" (NCT00297089, V146 and V147): her radioiodine may be it
        v = msgspec.structs.replace(v, maybe_categories=_LOCAL_KINDS)
    return v


# Therapy 17 (issue 10): the sweeps' (fresh samples 17 and 18) prior-therapy items judged wrong, by class: the
# protocol's own schedule, plan or dosing note read as a history, the disease described by the therapies that cannot
# cure it, a count told with "only", a contraindication listed under the inclusions. Each cue names its real text.
_PROTOCOL_BEFORE = cue("cue.therapy.protocol_before")
_PROTOCOL_DEFINED = cue("cue.therapy.protocol_defined")
_DISEASE_DESCRIBED = cue("cue.therapy.disease_described")
_ONLY_COUNT = cue("cue.therapy.only_count")
_CONTRAINDICATION = cue("cue.therapy.contraindication")
_ACCEPTED = cue("cue.therapy.accepted")
_HAD_VERB = lazy_regex(
    r"\b(?:must|should|ha(?:ve|s|d)|underw\w+|undergone|received|post|status|after|following|since|recover\w*)\b",
    re.IGNORECASE,
)


def _anticancer_not_systemic(c: CriterionText, low: int, m: Mention) -> bool:
    """Whether a systemic-therapy mention names an anticancer treatment, a line or a regimen without saying systemic
    (read on the mention and the words just before it, `cue.therapy.anticancer_not_systemic`, `line_not_systemic`)."""
    if m.id != "concept.systemic_therapy":
        return False
    told = c.text[max(low, m.start - 25) : m.end]
    if _ANTICANCER_NOT_SYSTEMIC.search(told):
        return True
    # a line or regimen not told as systemic ("at least one prior line of therapy", NCT00532389, Y131: therapy 17),
    # whose sentence names no drug or class it is of ("1-3 lines of therapy ..., including at least one standard
    # chemotherapy-containing regimen", NCT02005471)
    start, end = sentence_start(c.text, m.start), (found.start() if (found := sentence_break(c.text, m.end)) else None)
    named = any(x.label in ("DRUG", "CLASS") and start <= x.start < (end or len(c.text)) for x in c.mentions)
    # nor a line given for another cancer: "at least 1 prior line of therapy for MM" is one she lacks (X140)
    end = c.clause(m.start)[1]
    other = _site_given_for(c, m.end, _diseases(c, m.end, end, (_OTHER_CANCER_ABBREVIATION,)))
    return not named and not other and bool(_LINE_NOT_SYSTEMIC.search(told))


def _maybe_local(
    polarity: Polarity, v: TherapyValues, p: Patient, on: date, kb: KnowledgeBase, found: Finding
) -> Finding:
    """A requirement of an anticancer treatment not told as systemic, unmet, of a patient with no systemic therapy:
    uncertain when her radioiodine or radiotherapy (``v.maybe_categories``), counted too, would not leave it unmet. A
    systemic therapy on file is the treatment a reader takes it for ("Progressive disease following the previous
    anti-tumor treatment regimen" after sorafenib stopped for toxicity stays unmet, therapy 8's G169)."""
    if any(t.kind is TherapyKind.SYSTEMIC for t in p.therapies or ()):
        return found
    wider = msgspec.structs.replace(v, categories=(*v.categories, *v.maybe_categories), maybe_categories=())
    if _evaluated(polarity, wider, p, on, kb).has is False:
        return found
    local = next((t for t in p.therapies or () if t.kind is not None and t.kind.value in v.maybe_categories), None)
    if local is None:
        return found
    return Finding(
        None,
        f"reading uncertain: an anticancer treatment not told as systemic may be her {local.name} ({local.path}); "
        f"{found.reason}",
        (*found.evidence, local.path),
    )


# Therapy 16b (issue 10): sweep 17's prior-therapy items judged wrong of three classes, each fixed as a class: a
# permission or an alternative route read as a requirement (S17-040, S17-077, S17-102), a closed list of kinds widened
# to any systemic therapy (S17-111, S17-222, S17-170, S17-169), a systemic standard care narrowed to chemotherapy
# (S17-084). Each cue names the real text that called for it.
_ANY_NUMBER = cue("cue.therapy.any_number")
_NOT_EXCLUDED = cue("cue.therapy.not_excluded")
_ACCESS_TO = cue("cue.therapy.access_to")
_KIND_BEFORE_ANTICANCER = cue("cue.therapy.kind_before_anticancer")
_IN_ANOTHER_TRIAL = cue("cue.therapy.in_another_trial")
_STANDARD_CARE_ALTERNATIVE = cue("cue.therapy.standard_care_alternative")
# a bracket right after a systemic therapy that tells what it is, as a list and not as examples: "systemic treatment
# (chemotherapy or trabectedin)" (NCT02275286, S17-169); "(i.e. ...)" tells it too, "(e.g. ...)" does not
_DEFINING_BRACKET = lazy_regex(r"\s*\(\s*(?:i\.\s?e\.?,?\s*|ie,?\s+|namely,?\s+)?(?P<list>[^()]{1,80})\)")
_NOT_A_LIST = lazy_regex(
    r"^(?:e\.\s?g|eg\b|including|includ|such\s+as|for\b|except|excluding|within|not\b|no\b|at\s+least|as\b|in\b|with\b|"
    r"\d)|\b(?:etc|days?|weeks?|months?|standard|any|all|other)\b",
    re.IGNORECASE,
)
_ANY_KIND = lazy_regex(r"\bany\s+(?:type|kind|form|sort)s?\s+of\s+$", re.IGNORECASE)
# a generic anticancer therapy heading the list, read or not: "No other concurrent antineoplastic or antitumor agents,
# including chemotherapy, radiotherapy, immunotherapy, or hormonal anticancer therapy" (NCT00280150) is any of them
_GENERIC_HEAD = lazy_regex(r"\b(?:anti-?\s?neoplastic|anti-?\s?tumou?r|anti-?\s?cancer|systemic|cancer\s+therap)", re.I)
_LIST_ITEM_JOIN = lazy_regex(r"\s*(?:,\s*(?:(?:and|or|and/or)\s+)?|/|\s(?:and/or|or|and)\s)\s*", re.IGNORECASE)


def _any_number(c: CriterionText, window: Window | None, high_count: int | None, kept: list[Mention]) -> bool:
    """A requirement whose therapies a count with no floor opens ("Have received any number lines of prior systemic
    therapy (including systemic therapy in the curative intent setting)", NCT02538510, S17-040; "Subjects may have
    received any number of the following therapies: ...", NCT02729194): any number, none included, asks for none. A
    window, a cap or a progression on the therapy is still read."""
    first = kept[0]
    return (
        window is None
        and high_count is None
        and not any(_progressed(c, m) for m in kept)
        and bool(_ANY_NUMBER.search(c.text, max(0, first.start - 260), first.start))
    )


def _told_systemic(c: CriterionText, m: Mention) -> str | None:
    """What tells a generic systemic therapy as one kind only (therapy 16b): a kind just before it ("hormonal cancer
    therapy", NCT01313390), another trial it is given in ("anti-cancer treatment in another investigational trial",
    NCT02586025), or a bracket right after it that lists what it is ("systemic treatment (chemotherapy or
    trabectedin)", NCT02275286)."""
    if m.id != "concept.systemic_therapy":
        return None
    if not m.text.lower().startswith("systemic") and (kind := _KIND_BEFORE_ANTICANCER.search(c.text, 0, m.start)):
        return f"{kind.group(0).strip()} {m.text}"
    if trial := _IN_ANOTHER_TRIAL.match(c.text, m.end):
        return f"{m.text}{trial.group(0)}"
    # "Anticancer treatment (chemotherapy, radiotherapy)", "Any type of systemic therapy (...)": examples
    if not m.text.lower().startswith("systemic") or _ANY_KIND.search(c.text, 0, m.start):
        return None
    bracket = _DEFINING_BRACKET.match(c.text, m.end)
    if bracket is None or _NOT_A_LIST.search(bracket.group("list").strip()):
        return None
    items = [x for x in _LIST_ITEM_JOIN.split(bracket.group("list").strip()) if x]
    named = any(bracket.start("list") <= x.start < bracket.end("list") for x in c.mentions if _is_therapy(x))
    if named and all(len(item.split()) <= 3 for item in items):
        return f"{m.text} {bracket.group(0).strip()}"
    return None


def _told_systemic_apart(c: CriterionText, kept: list[Mention], fact: Fact) -> list[Fact]:
    """An exclusion of a generic systemic therapy that the text tells as one kind only (`_told_systemic`) is not an
    exclusion of any systemic therapy: "No other concurrent chemotherapy, radiotherapy, immunotherapy, or hormonal
    antitumor therapy" (NCT00303888, S17-111) names no targeted kinase inhibitor, "Concurrent anti-cancer treatment in
    another investigational trial" (NCT02586025, S17-170) no approved drug given outside a trial. The rest of the list
    keeps its reading; the systemic therapy so told is a fact of its own, uncertain (a profile does not tell a hormonal
    therapy, or a drug given within a trial)."""
    v = fact.values
    assert isinstance(v, TherapyValues)
    systemic = [m for m in kept if m.id == "concept.systemic_therapy"]
    if fact.polarity is not Polarity.EXCLUDE or "systemic" not in v.categories or not systemic:
        return [fact]
    told = [t for m in systemic if (t := _told_systemic(c, m))]
    if len(told) < len(systemic) or _GENERIC_HEAD.search(c.text, c.clause(kept[0].start)[0], kept[0].start):
        return [fact]
    doubt = f"a systemic therapy told as one kind ({shortened(told[0], 60)!r}) is not read as any systemic therapy"
    rest = msgspec.structs.replace(v, categories=tuple(x for x in v.categories if x != "systemic"))
    alone = msgspec.structs.replace(
        v, drugs=(), classes=(), categories=("systemic",), except_drugs=(), except_classes=()
    )
    if not (rest.drugs or rest.classes or rest.categories):
        return [fact.doubted(doubt)]
    return [fact.changed(values=rest), fact.changed(values=alone).doubted(doubt)]


# Therapy 17b (issue 10): sweep 18's prior-therapy items judged wrong of two classes, each fixed as a class: a qualified
# therapy word read bare (Y082, Y141, Y093, Y136, Y033), and an exception or alternative that needs data not on file
# (Y161, Y198, Y009, Y027, Y207). Each cue names the real text that called for it.
_INVESTIGATIONAL_KIND = cue("cue.therapy.investigational_kind")
_INTENT_QUALIFIED = cue("cue.therapy.intent_qualified")
_SPECIFIC_CLASS = cue("cue.therapy.specific_class")
_USE_AGAINST_PREVIOUS = cue("cue.therapy.use_against_previous")
_UNREAD_EXCEPTION = cue("cue.therapy.unread_exception")
_FIELD_OVERLAP = cue("cue.therapy.field_overlap")
_ANY_OF_LEAD_IN = cue("cue.therapy.any_of_lead_in")
_MARKER_GROUP = cue("cue.therapy.marker_group")
_TIME_TOLD = cue("cue.therapy.time_told")
_OR_JOIN = lazy_regex(r"\s*,?\s*(?:and/or|or)\s+", re.IGNORECASE)
_SENTENCE_END = lazy_regex(r"\.\s+(?=[A-Z])")


def _investigational_only(c: CriterionText, kept: list[Mention], v: TherapyValues) -> TherapyValues:
    """An anticancer agent told as investigational just before it (`cue.therapy.investigational_kind`: "concurrent
    therapy with any other investigational anticancer agent while on study", NCT02620423, Y082) is an investigational
    one only, not any systemic therapy: an approved drug on file does not meet it."""
    systemic = [m for m in kept if m.id == "concept.systemic_therapy"]
    if not systemic or "systemic" not in v.categories:
        return v
    if not all(_INVESTIGATIONAL_KIND.search(c.text, max(0, m.start - 30), m.start) for m in systemic):
        return v
    categories = tuple(sorted({*(x for x in v.categories if x != "systemic"), "investigational"}))
    return msgspec.structs.replace(v, categories=categories)


def _dropped_alternative(c: CriterionText, kept: list[Mention]) -> Mention | None:
    """A surgery or radiotherapy dropped as no history (`_PROCEDURE_CUE`) that is joined by "or" or "and/or" to a
    therapy kept: "residual disease ... after surgery and/or chemotherapy" (NCT01445405, Y009)."""
    for x in c.mentions:
        if x.id not in _PROCEDURES or any(x is m for m in kept):
            continue
        for m in kept:
            between = (x.end, m.start) if x.end <= m.start else (m.end, x.start)
            if between[0] <= between[1] and _OR_JOIN.fullmatch(c.text, *between):
                return x
    return None


def _bare_alternative(c: CriterionText, kept: list[Mention]) -> str | None:
    """The last item, cut at ';', that names no therapy among the alternatives an any-of lead-in opens before the last
    therapy (`cue.therapy.any_of_lead_in`): "as evidenced by one or more of the following: previous ... response to
    ... gefitinib; known somatic mutation of the EGFR tyrosine kinase" (NCT00372515, Y027)."""
    lead = _ANY_OF_LEAD_IN.search(c.text, 0, kept[-1].start)
    if lead is None:
        return None
    offset, bare = lead.end(), None
    for item in c.text[lead.end() :].split(";"):
        if item.strip() and not any(offset <= x.start < offset + len(item) for x in c.mentions if _is_therapy(x)):
            bare = item.strip()
        offset += len(item) + 1
    return bare


_UNTREATED_ROUTE = cue("cue.therapy.untreated_route")
_NO_PRIOR = lazy_regex(r"\bno\s+(?:prior|previous)\b", re.IGNORECASE)


def untreated_routes_among(criteria: list[Criterion]) -> list[Criterion]:
    """The therapy kind's cross-line pass in `parse_texts`, the trial's list read as a whole for what a line alone does
    not tell: exclusions that tell no time (`_untimed_among`, therapy 17b), then requirements another line gives a
    route around for the untreated (`_untreated_routes`, therapy 16b)."""
    return _untreated_routes(_untimed_among(criteria))


def _untimed_among(criteria: list[Criterion]) -> list[Criterion]:
    """Exclusions of a therapy that tell no time at all (`cue.therapy.time_told`), in their text, heading or lead-in:
    "Anticancer therapies such as biologic therapy and chemotherapy, as well as radiation therapy or cancer surgery"
    (NCT01083368, sweep 18's Y033), a line of a bar on concomitant medications beside "Rifampicin": a current therapy
    or a past one, so uncertain (therapy 17b). A sub-item takes its lead-in's time ("Radiation therapy" under "... within
    28 days prior to ...:", NCT00381173), so the trial's list is read, not the line alone."""

    def told(c: Criterion) -> bool:
        text = " ".join(x for x in (c.text, c.heading or "") if x)
        return c.parent is not None or c.section is not Section.EXCLUSION or bool(_TIME_TOLD.search(text))

    doubt = "an exclusion that tells no time (current or past) is not read as any past therapy"
    return _doubted(criteria, told, _untimed, doubt)


def _untimed(f: Fact) -> bool:
    """A certain exclusion of a prior therapy with no window, not of a current one."""
    v = _certain(f, Polarity.EXCLUDE)
    return v is not None and v.within is None and not v.ongoing


def _untreated_routes(criteria: list[Criterion]) -> list[Criterion]:
    """Requirements of a prior systemic therapy that another inclusion line of the trial gives a route around for
    patients with none (`cue.therapy.untreated_route`): "Must have had at least 1 prior systemic therapy" beside
    "Patients with no prior systemic therapy are eligible provided they are not candidates for high-dose
    interleukin-2" (NCT00301067, sweep 17's S17-155). The route's terms (not a candidate for IL-2, a country without
    access to standard therapy) are not on a profile, so the requirement is uncertain: it can be met, not violated."""
    routes = [
        c
        for c in criteria
        if c.section is Section.INCLUSION
        and _NO_PRIOR.search(c.text)  # a quick test first: the cue is searched in the text joined again
        and _UNTREATED_ROUTE.search(" ".join(c.text.split()))
    ]
    if not routes:
        return criteria
    doubt = f"another line lets patients with no prior systemic therapy in ({shortened(routes[0].display_text, 60)!r})"
    return _doubted(criteria, lambda c: any(c is r for r in routes), _systemic_required, doubt)


def _systemic_required(f: Fact) -> bool:
    """A certain requirement of a prior systemic therapy (any, or of a drug or class), with no window."""
    v = _certain(f, Polarity.REQUIRE)
    return v is not None and v.within is None and bool(v.drugs or v.classes or "systemic" in v.categories)


def _certain(f: Fact, polarity: Polarity) -> TherapyValues | None:
    """The values of a certain prior-therapy fact of the given polarity, else None."""
    if f.kind is not FactKind.PRIOR_THERAPY or f.polarity is not polarity or f.uncertain:
        return None
    assert isinstance(f.values, TherapyValues)
    return f.values


def _doubted(
    criteria: list[Criterion], kept: Callable[[Criterion], bool], doubts: Callable[[Fact], bool], doubt: str
) -> list[Criterion]:
    """The criteria with ``doubt`` on each fact ``doubts`` picks, but in those ``kept`` leaves as they are."""
    changed = []
    for c in criteria:
        if not any(doubts(f) for f in c.facts) or kept(c):  # ``kept`` may search the text: asked only where it tells
            changed.append(c)
            continue
        facts = tuple(f.doubted(doubt) if doubts(f) else f for f in c.facts)
        changed.append(c if facts == c.facts else replace(c, facts=facts))
    return changed
