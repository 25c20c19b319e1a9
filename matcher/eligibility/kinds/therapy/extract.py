"""The prior-therapy extractor: the therapies a criterion names (drugs, classes, surgery, radiotherapy, radioiodine,
systemic and investigational therapy), grouped by the window each belongs to, with counts and exceptions, as facts.
A fact is made uncertain here where the clause itself tells why (a site, another cancer, a plan, a rule for some
patients, a therapy named as the time of another); its values are then refined (`refine`) and doubted (`doubts`),
in `_clause_facts`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import pairwise
from typing import NamedTuple

import msgspec

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section, shortened
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import INN_DRUG, lazy_regex
from matcher.eligibility.kinds.conditions import intolerance_offered
from matcher.eligibility.kinds.progression import no_standard_therapy
from matcher.eligibility.kinds.rai_refractory import rai_failure
from matcher.eligibility.kinds.therapy.diseases import (
    _another_disease,
    course_doubt,
    for_own_disease,
    own_disease_doubt,
    therapies_course,
)
from matcher.eligibility.kinds.therapy.doubts import _doubt, _Read
from matcher.eligibility.kinds.therapy.evaluator import TherapyValues
from matcher.eligibility.kinds.therapy.reading import (
    _ANY_TKI,
    _BRACKET,
    _COUNTED,
    _EXAMPLES,
    _FUTURE_THERAPY,
    _MUST_NOT_HAVE,
    _OWN_VERB,
    _PROCEDURES,
    _RADIOTHERAPY_OF_KIND,
    _RECURRED,
    _WINDOW_TOLD,
    _an_example,
    _given_for,
    _is_therapy,
    _KinaseTarget,
    _needed,
    _past_open_bracket,
    _sited_reason,
)
from matcher.eligibility.kinds.therapy.refine import (
    _antibody_of_mixed_class,
    _antibody_of_unknown_target,
    _counting_widened,
    _each_of_both,
    _investigational_only,
    _narrowed,
    _reread,
    _targeted_of_one_target,
    _told_systemic_apart,
    _unread_alternative,
)
from matcher.eligibility.kinds.therapy.regions import region_asked
from matcher.eligibility.numbers import Window
from matcher.eligibility.text import (
    THERAPY_CONCEPTS,
    THERAPY_LABELS,
    CriterionText,
    Mention,
    lets_in,
    make_fact,
    permits,
    sentence_start,
)
from matcher.knowledge_base import KnowledgeBase

_CONDITIONAL = cue("cue.condition.lesion")
# a clause that opens on "if": "if they have had radiotherapy, ..." (`_clause_facts`)
_IF_OPENING = lazy_regex(r"\W*if\b", re.IGNORECASE)
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
# The trial's own drug as a time anchor: "prior to planned start of LOXO-292", "first dose of lenvatinib", "first
# administration of trial drug (BIBF 1120)" (NCT01022853)
_ANCHOR_BEFORE = lazy_regex(
    r"\b(?:start(?:ing)?|initiation|initiating|first dose|last dose|final dose|dose|doses|administration|day 1|"
    r"cycle 1|completion)\s+(?:of\s+)?(?:the\s+)?(?:(?:study|trial)\s+drug\s*\(?\s*)?$|"
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
# a window counted to a relapse, not to today: "chemotherapy must have been completed at least 90 days prior to
# documentation of relapse" (NCT00470054: therapy 20)
_BEFORE_RELAPSE = lazy_regex(
    r"\b(?:prior\s+to|before)\s+(?:the\s+)?(?:(?:documentation|diagnosis|date)\s+of\s+(?:the\s+)?)?"
    r"(?:relapse|recurrence|progression|progressive\s+disease)\b",
    re.IGNORECASE,
)
# ... or from the therapy to a relapse: "Participants must have recurrence within 12 months of their last
# platinum-containing regimen" (NCT02661815), "No disease relapsed within 6 months of radiotherapy" (NCT01313390)
_RELAPSE_WITHIN = cue("cue.therapy.relapse_within")
# "131I administered solely for diagnostic purposes is not considered 131I therapy": a definition
_NOT_CONSIDERED_AFTER = cue("cue.definition.after")
# How therapies are counted, a definition: "prior adjuvant chemotherapy for early stage disease does not count as one
# line of therapy if 12 months or greater elapsed between completion of adjuvant therapy and initiation of first-line
# systemic therapy" (NCT02134886); every therapy in that clause is part of it (parser 20)
_COUNTING = lazy_regex(r"\b(?:does|do)\s+not\s+count\s+(?:as|towards?)\b|\bcounts?\s+as\s+(?:one|1|a|an)\b", re.I)
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
    # a statement of the drug's metabolism: "Vorinostat is not metabolized by Cytochrome P450 3A4 (CYP 3A4); however,
    # Vorinostat may potentially suppress CYP 3A4 activity" (NCT01266031, the trial's own drug: therapy 20)
    r"\s*(?:is|are)\s+(?:not\s+)?(?:metaboli[sz]ed|a\s+substrate)\b|"
    r"\s*(?:may|might|can|could)\s+(?:potentially\s+)?(?:suppress|inhibit|induce)\w*\b|"
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
# patterns below. The profile's surgeries are not read by site, nor its radiotherapies but for three regions
# (`regions`: above the clavicles, the head and neck, the neck), so a fact restricted to another site can satisfy but
# not violate. The thyroid is not among them (a thyroidectomy is the history the profile holds).
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
# including lung field", "radiation overlapping with the proposed treatment field", "Any prior radiation above the
# clavicles", NCT01732640, comorbid sample 30b's CP090; "Prior treatment with radiotherapy in the head and neck
# area", NCT00401401; "Previous radiation therapy for a cancer in the head and neck region.", NCT01219673): a site or
# field
_SITE_AFTER = lazy_regex(
    r"\s*(?:therapy\s+|treatment\s+)?(?:that\s+(?:\w+\s+)?)?"
    r"(?:(?:to|of|in|for\s+an?\s+(?:cancer|malignancy|tumou?r)\s+in|including|included|involving|involved|covering|at|"
    r"above|below|overlapping(?:\s+with)?)\s+|"
    r"(?=(?:>=?|≥|(?:more|greater)\s+than)\s*\d+\s*%))"
    r"(?!(?:any|all)\s+(?:other\s+)?sites?\b)"
    # a share of the marrow or nodes: "to more than 10% of bone marrow", "to > 50 % of all nodal groups" (therapy 4)
    r"(?:(?:(?:more|greater|less)\s+than|over|>=?|≥|<)\s*)?(?:\d+\s*%\s*(?:of\s+)?)?"
    r"(?:the\s+|a\s+|any\s+|all\s+|an?\s+|(?:his\s+or\s+her|their|his|her)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:" + _ORGANS + r"|clavicles?|diaphragm|marrow|nodal|fields?|sites?|areas?|regions?|lesions?)\b",
    re.IGNORECASE,
)
# A surgery of a named organ or site ("Have a history of cardiac or aortic surgery", "previous bowel surgery",
# "No previous history of gastric or hepatobiliary surgery"; HINT: NCT02154646, NCT02055690)
_SITED_SURGERY = lazy_regex(r"\b(?:" + _ORGANS + r")\b(?:\s+(?:or|and|and/or)\s+[\w-]+)?\s*$", re.IGNORECASE)


def _unread_excepted(c: CriterionText, kept: list[Mention], end: int) -> str | None:
    """The words of an exception after the therapy excluded, in its clause (up to ``end``), that name a therapy in
    their first words but no drug, class or category read ("... or any concomitant antineoplastic therapy, with the
    exceptions of octreotide LAR (for neuroendocrine tumors) and endocrine therapy (for prostate, breast, or
    gynecologic malignancies)", NCT02145559, comorbid sample 30b's CP095; "Prior systemic therapy for metastatic
    disease (except endocrine therapy)", NCT01989676): the patient's therapy may be the one excepted
    (`TherapyValues.excepted`; mend31). Not an exception told by a condition ("unless ...", "except if ...":
    `cue.therapy.unread_exception`)."""
    for start, stop in c.exceptions:
        if not kept[0].end <= start < end:
            continue
        if any(start <= m.start < stop and (m.label in THERAPY_LABELS or m.id in THERAPY_CONCEPTS) for m in c.mentions):
            continue  # read: `except_drugs` / `except_classes`, or a category ("other than radioiodine therapy")
        if _EXCEPTED_THERAPY.match(c.text, start, stop):
            return shortened(" ".join(c.text[start:stop].split()), 100)
    return None


_EXCEPTED_THERAPY = lazy_regex(
    r"(?:other\s+than|except(?:\s+for)?|excluding|with\s+the\s+exceptions?\s+of|apart\s+from|besides)\s+"
    # not a condition ("except if", "except as noted below"), nor the trial's own drug ("except for present trial drug")
    r"(?!(?:if|as|when|where|in)\b|(?:for\s+)?(?:the\s+)?(?:present|study|trial|protocol)\b)"
    # the therapy in its first words, before any time ("other than CLL within 28 days prior to initiating treatment")
    r"(?:(?!\b(?:within|prior|before|after|since)\b)[^.;:]){0,60}?"
    r"\b(?:\w*therap(?:y|ies)|treatments?|agents?|drugs?|medications?|hormones?)\b",
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
_PROCEDURE_CUE = lazy_regex(
    r"\b(?:prior|previous|previously|received|receiving|receipt|underwent|undergone|had|history|within|since|"
    r"treated|treatment|therapy|dose|doses|administered|completed|concurrent|concomitant|last|ablation)\b",
    re.IGNORECASE,
)
_UNLESS_BENEFIT = cue("cue.progression.unless_benefit")
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
# A therapy of a condition the criterion is about: "HIV requiring antiretroviral therapy", "brain metastases treated
# with radiotherapy": the condition's own kind reads it
_TREATED_CONDITIONS = frozenset({"concept.hiv", "concept.hepatitis_b", "concept.hepatitis_c", "concept.hepatitis",
                                  "concept.infection", "concept.tuberculosis", "concept.brain_metastases"})  # fmt: skip
# a pregnancy, breastfeeding or contraception criterion names a therapy as the reason for it (`extract`)
_PREGNANCY_CONCEPTS = frozenset({"concept.pregnancy", "concept.breastfeeding", "concept.contraception"})


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


# what joins the names of a list: commas, "or", "and/or", "and", slashes, a bracket ("anthracycline (doxorubicin or
# epirubicin)")
_LIST_GAP = lazy_regex(r"[\s,/()]*(?:(?:and/or|or|and)\b[\s,/()]*)?", re.IGNORECASE)


def _unread_drugs(c: CriterionText, low: int, high: int, kept: list[Mention]) -> tuple[str, ...]:
    """The drugs outside the vocabulary (`INN_DRUG`) that a list joins to a drug the fact reads: "refractory to
    treatment with imatinib mesylate or dasatinib" (NCT00357305) asks imatinib or dasatinib, and a patient whose
    dasatinib was dropped from the reading would be told she lacks it. The names, lower case, in the text's order."""
    drugs: list[tuple[int, int, str | None]] = [(m.start, m.end, None) for m in kept if m.label == "DRUG"]
    if not drugs:
        return ()
    covered = [(x.start, x.end) for x in c.mentions]
    unread: list[tuple[int, int, str | None]] = [
        (f.start(), f.end(), f.group(0).lower())
        for f in INN_DRUG.finditer(c.text, low, high)
        if not any(start <= f.start() < end for start, end in covered)
    ]
    if not unread:
        return ()
    found: list[str] = []
    spans = sorted(drugs + unread)
    # each run of names joined by list words; a run holding a drug read gives its unread names
    run: list[str | None] = [spans[0][2]]
    for (_, end, _), (start, _, name) in pairwise(spans):
        if not _LIST_GAP.fullmatch(c.text, end, start):
            found += _of_a_read_run(run)
            run = []
        run.append(name)
    found += _of_a_read_run(run)
    return tuple(dict.fromkeys(found))


def _of_a_read_run(run: list[str | None]) -> list[str]:
    """The unread names of a run of joined names (`_unread_drugs`: None for a drug read), if it holds a drug read."""
    return [name for name in run if name is not None] if None in run else []


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
    opened = c.text.rfind("(", 0, m.start)
    if opened < 0 or c.text.rfind(")", 0, m.start) > opened:
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


# A therapy named only as the time of a disease's absence (`cue.therapy.time_of_absence`), a therapy asked of a group
# of patients told by a biomarker status (`cue.condition.biomarker_group_after`), a sentence that lists what a term
# includes (`cue.definition.term_includes`): misread24
_TIME_OF_ABSENCE = cue("cue.therapy.time_of_absence")
_BIOMARKER_GROUP_AFTER = cue("cue.condition.biomarker_group_after")
_TERM_INCLUDES = cue("cue.definition.term_includes")


def _permitted_lists(c: CriterionText) -> list[tuple[int, int]]:
    """The sentences that list what a term of a permission before them includes: "Subjects are allowed to receive,
    but are not required to receive, one additional non-cytotoxic regimen ... Non-cytotoxic (biologic or cytostatic)
    agents include, but are not limited to, monoclonal antibodies, ..." (NCT00722592, fresh sample 34's AO270) permits
    monoclonal antibodies, it requires none (misread24)."""
    return [
        (a, b)
        for (p, q), (a, b) in pairwise(c.sentences)
        if _TERM_INCLUDES.search(c.text[a:b]) and permits(c.text[p:q])
    ]


def _biomarker_group_after(c: CriterionText, m: Mention) -> bool:
    """Whether the therapy is asked only of a group of patients told by a gene's status right after it ("anti-EGFR
    therapy (e.g., panitumumab or cetuximab) for RAS wild-type patients", NCT02393755): a gene must be named in the
    group, so "Prior radiotherapy for node positive disease" still asks radiotherapy."""
    group = _BIOMARKER_GROUP_AFTER.match(c.text, m.end)
    return group is not None and any(m.end <= gene.start < group.end() for gene in c.of("GENE"))


def _example_of_another(c: CriterionText, kb: KnowledgeBase, last: Mention, m: Mention) -> bool:
    """Whether a drug given as an example is one of another item of the list than the class read last, which the
    vocabulary does not put it in: "anti PD 1, anti PD L1, ..., or anti cytotoxic T lymphocyte associated antigen 4
    (CTLA 4) antibody (including ipilimumab, tremelimumab ...)" (NCT02580058: the review of rules 62) names the
    ipilimumab as an example of the CTLA-4 antibody, not of the PD-1 inhibitors; "anti-angiogenic agent, including
    thalidomide" gives an example of the class itself."""
    if last.label != "CLASS" or m.label != "DRUG" or last.id in kb.drug_classes(m.id):
        return False
    marker = _EXAMPLES.search(c.text, last.end, m.start)
    return marker is not None and _ANOTHER_ITEM.search(c.text, last.end, marker.start()) is not None


# another item of a list after the last one read: ", or anti cytotoxic T lymphocyte ..." (`_example_of_another`)
_ANOTHER_ITEM = lazy_regex(r"(?:,|\bor\b|\band\b)\s*[A-Za-z]", re.IGNORECASE)


def _therapy_mentions(c: CriterionText, elided: list[Mention], kb: KnowledgeBase) -> list[Mention]:
    """The mentions that name a therapy the patient had (or must not have had)."""
    kept: list[Mention] = []
    previous: Mention | None = None
    planned_end = -1  # where the last planned therapy's name ends
    notes = [note.span() for note in _NOTE.finditer(c.text)]
    permitted_lists = _permitted_lists(c)
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
        # the therapy of an exception for its benefit, which the progression kind reads: "... should not have
        # progression ... unless there is evidence for significant clinical benefit ... from treatment with BIBF 1120"
        # (NCT00715403; mend65)
        skip = skip or bool(_UNLESS_BENEFIT.search(c.text, max(0, m.start - 160), m.start))
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
        skip = skip or _either_way(c, m)
        # a surgery named as the time of something done before it is the one planned: "Examination by an ear nose and
        # throat (ENT) or head & neck surgeon prior to surgery" (NCT02775812), "Ability to achieve erections ... prior
        # to surgery" (NCT00544076): none the patient had (therapy 20)
        skip = skip or bool(m.id == "concept.surgery" and _surgery_to_come(before))
        # the time of a disease's absence: "No evidence of ... disease after completion of surgery and chemotherapy, or
        # during concurrent chemotherapy" (NCT01964391) asks no surgery or chemotherapy (misread24)
        skip = skip or bool(_TIME_OF_ABSENCE.search(c.text[sentence_start(c.text, m.start) : m.start]))
        # a therapy asked only of a biomarker group: "anti-EGFR therapy (e.g., panitumumab or cetuximab) for RAS
        # wild-type patients" (NCT02393755) is not asked of the others (misread24)
        skip = skip or _biomarker_group_after(c, m)
        skip = skip or any(a <= m.start < b for a, b in permitted_lists)
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
            skip = skip or (_an_example(c.text, kept[-1].end, m.start) and not _example_of_another(c, kb, kept[-1], m))
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
    if not candidates or not _THERAPY_CUE.search(c.text):
        return []
    if any(m.id == "concept.hypersensitivity" and not intolerance_offered(c, m) for m in c.mentions):
        return []  # a hypersensitivity's kind reads it; not an intolerance offered beside a progression (misread24)
    if c.has_any(_TREATED_CONDITIONS):
        return []
    if c.has_any(_PREGNANCY_CONCEPTS):
        return []  # "not pregnant, because this study involves an investigational agent"
    if _CAUTION.search(c.text):
        return []  # "drugs with a predisposition to hepatotoxicity should be used with caution"
    progression = any(
        m.id == "concept.progression" or (m.id == "concept.active_state" and m.text.lower().startswith("progress"))
        for m in c.mentions
    )
    rai_definition = c.section is Section.INCLUSION and progression and c.has("concept.radioiodine")
    mentions = [m for m in _therapy_mentions(c, elided, kb) if not (rai_definition and m.id == "concept.radioiodine")]
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
    if facts and c.section is Section.INCLUSION and _AFTER_INTOLERANCE.search(c.text):
        facts = [_progression_or(f, after_intolerance=True) for f in facts]
    if facts and _OR_INTOLERANT.search(c.text):
        facts = [_progression_or(f, or_intolerant=True) for f in facts]
    return no_standard_therapy(c, facts)  # "... refractory to standard therapy, or for which none exists"


def _concurrent(c: CriterionText, low: int, high: int) -> bool:
    """Whether a fact read from the clause at ``low``-``high`` asks about a current therapy: the criterion names one
    concurrent in that clause, or outside a bracket that gives examples of something else ("prior chemotherapy for
    non-metastatic disease (i.e. adjuvant therapy or concurrent chemo-radiotherapy) is allowed", NCT02438722, made
    "must not have received any prior systemic anticancer therapy for advanced or metastatic disease" a current
    therapy only; therapy 6). Not the way therapies were given together (`_CONCURRENT_MODALITY`, `_CONCURRENT_PARTNER`:
    "concurrent chemoradiotherapy", "concurrently with radiation", "included concurrent cetuximab")."""
    found = [
        m for m in c.mentions
        if m.id == "concept.concomitant" and not _CONCURRENT_MODALITY.match(c.text, m.end)
        and not _CONCURRENT_PARTNER.search(c.text, max(0, m.start - 20), m.start)
    ]  # fmt: skip
    return any(low <= m.start < high or not _EXAMPLE_BRACKET.search(c.text, 0, m.start) for m in found)


def _chronic(c: CriterionText, low: int, high: int) -> bool:
    """Whether a therapy of the clause ``low``-``high`` is told "chronic", which asks one given now: "No chronic systemic
    immune therapy" (NCT00969306, NCT01575782: comorbid samples 40 and 41's CZ030, DA038) does not bar a course that
    ended (mend42). Not in a history ("History of chronic systemic immune therapy"). The caller asks it only where no
    window is read, which tells the time the therapy was had in ("Chronic systemic immune therapy ... within the last 6
    weeks", NCT02077868: the review of rules 62)."""
    clause = c.text[low:high]
    return bool(_CHRONIC.search(clause)) and not _IN_HISTORY.search(clause)


# "chronic" before a therapy's name, across "systemic" (`_chronic`)
_CHRONIC = lazy_regex(r"\bchronic\s+(?:systemic\s+)?(?:immune|immuno|anti|treatment|therapy|use)", re.IGNORECASE)
_IN_HISTORY = lazy_regex(r"\b(?:history|prior|previous|previously|past|ever)\b", re.IGNORECASE)


# how chemotherapy and radiotherapy were given together ("concomitant or sequential chemoradiotherapy", NCT00960115),
# not a therapy given now (chemorad26)
_CONCURRENT_MODALITY = cue("cue.therapy.concurrent_modality")
# ... or after what a therapy was given with: "Radiation must have included concurrent cetuximab" (NCT02277197)
_CONCURRENT_PARTNER = cue("cue.therapy.concurrent_partner_before")


# a bracket of examples still open at the end of the text: "(i.e. adjuvant therapy or "
_EXAMPLE_BRACKET = lazy_regex(r"\(\s*(?:i\.e\.|e\.g\.|eg\b|ie\b|such\s+as|including)[^()]*$", re.IGNORECASE)


# the time before a surgery to come: "prior to surgery", "before the planned surgery" (`_therapy_mentions`)
_BEFORE_IT = lazy_regex(r"\b(?:prior\s+to|before)\s+(?:(?:the|their|his|her)\s+)?(?:planned\s+|scheduled\s+)?$", re.I)
# a time counted back from the surgery: "within 84 days prior to surgery"
_DAYS_BEFORE = lazy_regex(r"\b(?:days?|weeks?|months?)\s+$", re.IGNORECASE)


def _surgery_to_come(before: str) -> bool:
    """Whether the text before a surgery names it as the time of something done before it, with no window counted back
    from it: "within 84 days prior to surgery" (NCT02775812's imaging) is left as read, for two audit items judged
    right on the outcome (fresh samples 11 and 12, the trial being for head and neck SCC) rest on it until reread."""
    found = _BEFORE_IT.search(before)
    return found is not None and not _DAYS_BEFORE.search(before, 0, found.start())


# A therapy named as optional: "fluorouracil +/- oxaliplatin"
_PLUS_MINUS = cue("cue.therapy.plus_minus")


def _either_way(c: CriterionText, m: Mention) -> bool:
    """Whether the therapy is one the patient may have had or not: named by an "either way" cue ("whether or not
    previously treated with cytotoxic chemotherapy", NCT02040870; "fluorouracil with or without oxaliplatin",
    NCT00423696; "(with or without chemotherapy)", NCT00258349; `CriterionText.either_ways`, which leaves therapies to
    this kind) or "+/-" (`cue.therapy.plus_minus`). It is neither required nor excluded, and not an exception either:
    "a first-line platinum-based regimen with or without intravenous consolidation chemotherapy" (NCT01116648) still
    asks for the platinum regimen, with or without more chemotherapy (therapy 20)."""
    return any(a <= m.start < b for a, b in c.either_ways) or bool(
        _PLUS_MINUS.search(c.text, max(0, m.start - 12), m.start)
    )


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


def _clause_facts(c: CriterionText, kb: KnowledgeBase, low: int, high: int, mentions: list[Mention]) -> list[Fact]:
    clause = c.text[low:high]
    if _LESION_COUNTING.search(clause):
        return []
    durations, unread = _durations(clause)
    blockers = [x.start for x in c.mentions if low <= x.start < high and x.id in _BLOCKING]
    groups: dict[Window | None, list[Mention]] = {}
    exceptions: list[Mention] = []
    for m in mentions:
        window, after = _window_of(m, low, durations, blockers)
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
    either: dict[int, int] = {}  # a group split at "or at least N" (`_or_at_least`): its own least count
    progressed_either: set[int] = set()  # "... or progression on at least two prior MKIs": the second progressed on
    for window, kept in list(groups.items()):
        if split := _or_at_least(c, low, high, kept):
            alone, counted, count, told_progressed = split
            if told_progressed:
                progressed_either.add(id(counted))
            del groups[window]
            groups[window] = alone
            groups[_Either(window)] = counted  # type: ignore[index]
            either[id(alone)], either[id(counted)] = 1, count
    # "at least 4 weeks since prior X"; "off all previous ... therapy for 3 weeks prior to ...", "At least 14 days
    # between X initiation and last cancer therapy" (`cue.washout.gap`, parser 24): a gap, met by no recent therapy
    since = bool(numbers.SINCE_CUE.search(clause))
    gap = bool(_WASHOUT_GAP.search(clause))
    # a window told as "within 6 months" is a time the therapy was had in, not the gap: "Must have received a prior
    # platinum regimen within 6 months and discontinued it for at least 4 weeks" requires the platinum (review of
    # parser 24)
    had_within = {w for p, w in durations if _WITHIN_BEFORE.search(clause, max(0, p - 30), p)}
    unbracketed = _BRACKET.sub("", _past_open_bracket(c, low, high))  # "(... is allowed)" is aside
    permission = lets_in(unbracketed)  # "will not be excluded" (therapy 16b)
    if permission and c.section is Section.EXCLUSION:
        return []  # "Patients are eligible if ... no CNS surgery or radiation has been performed for 28 days"
    facts = []
    ongoing = _concurrent(c, low, high)
    chronic = _chronic(c, low, high)  # a therapy now, where no window tells when it was had (below)
    own_told = for_own_disease(c, low, high)
    work = list(groups.items())
    for window, kept in work:  # a group may be split below (appended)
        first = kept[0]
        if isinstance(window, _Either):
            window = window.window
        if c.section is Section.INCLUSION and _CONDITIONAL.search(c.text[low : first.start]):
            continue  # "lesions that have had radiotherapy must show progression": a condition, not a requirement
        if _IF_OPENING.match(c.text, low, first.start):
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
        if window is None and not durations and polarity is Polarity.EXCLUDE and not ongoing:
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
        group_low = either.get(id(kept), low_count)
        values = TherapyValues(
            drugs=tuple(sorted({m.id for m in kept if m.label == "DRUG"})),
            unread_drugs=_unread_drugs(c, low, high, kept),
            classes=tuple(sorted(_classes(c, kb, kept, targets))),
            categories=tuple(sorted({THERAPY_CONCEPTS[m.id] for m in kept if m.id in THERAPY_CONCEPTS})),
            except_drugs=tuple(sorted({m.id for m in exceptions if m.label == "DRUG"})),
            except_classes=tuple(sorted({m.id for m in exceptions if m.label == "CLASS"})),
            min_count=(0 if permission else 1) if group_low is None else group_low,
            max_count=high_count,
            within=window,
            progressed=any(_progressed(c, m) for m in kept) or id(kept) in progressed_either,
            ongoing=ongoing or (chronic and window is None),
            # "No other concurrent anticancer agents or therapies for this cancer" (NCT01851408, NCT00349206: comorbid
            # samples 38 and 40's CX162, CZ153): the trial's own cancer's therapies only (mend42)
            own_cancer=own_told is not None,
            unless_progressed=ongoing and polarity is Polarity.EXCLUDE and bool(_UNLESS_PROGRESSION.search(clause)),
            alternative=id(kept) in either and polarity is Polarity.REQUIRE,  # excluded: each of them is
            # an exclusion's, or a cap's ("No more than 2 prior systemic therapies (excluding hormonal therapy)")
            excepted=_unread_excepted(c, kept, high)
            if polarity is Polarity.EXCLUDE or high_count is not None
            else None,
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
        elif window is not None and _BEFORE_RELAPSE.search(clause):
            uncertain = "the window is counted to a relapse, not to today"
        sites = {m: _sited(c, low, m) for m in kept if m.id == "concept.radiotherapy"}  # read once: here and below
        sited = [m for m in kept if sites.get(m)]
        apart = (
            [m for m in kept if _apart_from_sited(c, low, m, sites)] if sited and polarity is Polarity.EXCLUDE else []
        )
        if apart and len(apart) < len(kept):
            # "radiotherapy to more than 33% of their bone marrow or received any radiotherapy within 4 weeks of entry"
            # (NCT00612677): an exclusion of either is an exclusion of each; any radiotherapy keeps a reading of its
            # own, the sited radiotherapy alone is uncertain (review of therapy 4)
            work.append((window, apart))
            work.append((window, [m for m in kept if m not in apart]))
            continue
        if sited and (region := _region(c, low, high, kept, sited)) is not None:
            values = msgspec.structs.replace(values, region=region)  # read against the names (mend31)
            if polarity is Polarity.EXCLUDE and (part := _NARROWED_SITE.search(clause)):
                # "... to the head and neck with a total dose greater than 60 Gy": a part of the region's
                uncertain = f"radiotherapy of a part of the region ({part.group(0)!r}) is not told apart"
        elif sited:
            uncertain = _sited_reason(sites[sited[0]] or sited[0].text)
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
        if polarity is Polarity.EXCLUDE and not uncertain and (spaced := _APART.search(clause)):
            # a spacing is not a window, and no window read is wider for an exclusion: "serum PSA values must be >
            # 0.2 ng/ml by two measurements at least two weeks apart" (NCT00582556)
            uncertain = f"a spacing ({spaced.group(0)!r}) is not read as the time of the therapy"
        values, narrowed = _narrowed(c, (low, high, kept), polarity, values)
        values, stopped = _reread(c, (low, high, kept), polarity, values)
        values = _investigational_only(c, kept, values)  # therapy 17b
        read = _Read(
            c=c, low=low, high=high, clause=clause, kept=kept, polarity=polarity, v=values, targets=targets,
            timed=bool(durations), another_disease=another.disease, narrowed=narrowed, stopped=stopped,
        )  # fmt: skip
        uncertain = uncertain or _doubt(read)
        values, one_target = _targeted_of_one_target(c, kb, (low, high, kept), polarity, values)
        uncertain = uncertain or one_target
        values, antibody_target = _antibody_of_unknown_target(c, kb, (low, high, kept), polarity, values)
        uncertain = uncertain or antibody_target
        values, dropped = _unread_alternative(c, (low, high, kept), polarity, values)
        uncertain = uncertain or dropped
        if polarity is Polarity.EXCLUDE and not uncertain and (antibody := _antibody_of_mixed_class(c, kb, kept)):
            # "another anti-EGFr monoclonal antibody (mAb)" (NCT00101894): not every EGFR inhibitor (vandetanib),
            # nor every antibody (therapy 4)
            uncertain = (
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
        relapse_window = None  # a requirement's window to a relapse, kept as a fact of its own (below)
        if values.within is not None and (relapse := _RELAPSE_WITHIN.search(clause)):
            # a window from the therapy to a relapse, not to today (relapse26). A requirement asks the therapy at any
            # time ("recurrence within 12 months of their last platinum-containing regimen", NCT02661815: no platinum
            # fails it), and the window beside it, uncertain: a platinum long ago may or may not have been followed
            # by an early recurrence. An exclusion of the therapy in the window would bar a patient with no relapse
            # ("No disease relapsed within 6 months of radiotherapy", NCT01313390): uncertain, unless it bars a
            # progression on the therapy, which the window only narrows ("Progression on any taxane-containing
            # regimen, or recurrent within 6 months of receiving a weekly taxane-containing regimen", NCT00102622)
            span = shortened(relapse.group(0), 60)
            doubt = f"a window from the therapy to a relapse ({span!r}) is not read as one to today"
            if polarity is Polarity.REQUIRE:
                relapse_window = values.within
                values = msgspec.structs.replace(values, within=None)
            elif not values.progressed:
                uncertain = uncertain or doubt
        if (
            not uncertain
            and another.disease is None
            and (course := therapies_course(c, kept, polarity is Polarity.EXCLUDE))
        ):
            # "Chronic myelogenous leukemia resistant to imatinib therapy" (NCT00376519), "Treatment-naive SSCHN, i.e. no
            # prior chemotherapy, radiotherapy ..." (NCT00570674): the other cancer's course, not the thyroid
            # cancer's; the trial's relevance says whom it is for; read last, after every doubt (therapy 21)
            uncertain = course_doubt("therapy", course)
        if not uncertain and own_told:
            # "No prior systemic anticancer treatment for this disease" (NCT01005199, an HCC trial): the trial's own
            # cancer, which the trial's list tells (`across._own_disease_told`); read last, after every doubt, so that
            # the pass can take it off again (therapy 22)
            uncertain = own_disease_doubt(own_told)
        fact = make_fact(FactKind.PRIOR_THERAPY, polarity, values, first.id, clause, uncertain)
        for told in _told_systemic_apart(c, kept, fact):  # therapy 16b
            facts.extend(_each_of_both(c, kept, told))  # both26
        if relapse_window is not None:
            facts.append(fact.changed(values=msgspec.structs.replace(values, within=relapse_window)).doubted(doubt))
    return facts


# "Patients with intolerable toxicity to MKIs that meet the prior inclusion criteria and experience disease
# progression by RECIST v1.1 after stopping therapy may be included." (NCT03753919): a therapy stopped for intolerable
# toxicity, with a progression after it, counts (`TherapyValues.after_intolerance`, cohort22)
_AFTER_INTOLERANCE = cue("cue.therapy.progressed_after_intolerance")
# "Resistant or intolerant to prior imatinib mesylate" (NCT00345826), "Patients who are intolerant of or who have
# progression on ... VEGF-targeted therapies" (NCT01152801): a therapy stopped for toxicity counts, as one progressed
# on does (`TherapyValues.or_intolerant`, intol23)
_OR_INTOLERANT = cue("cue.therapy.or_intolerant")


def _progression_or(fact: Fact, **ways_in: bool) -> Fact:
    """A "progressed on" requirement with the other ways in its criterion tells (``ways_in``: `TherapyValues` flags,
    `_AFTER_INTOLERANCE`, `_OR_INTOLERANT`); any other fact as it is."""
    v = fact.values
    if fact.polarity is not Polarity.REQUIRE or not isinstance(v, TherapyValues) or not v.progressed:
        return fact
    return fact.changed(values=msgspec.structs.replace(v, **ways_in))


class _Either(NamedTuple):
    """The key of the second part of a group split at "or at least N" (`_or_at_least`): the same window, apart."""

    window: Window | None


# "... or progression on at least two prior MKIs": a least count that belongs to what follows the "or" alone
_OR_AT_LEAST = lazy_regex(
    r"\bor\s+(?P<on>(?:disease\s+)?(?:progress\w*|relaps\w*|fail\w*|refractory)\s+(?:on|to|after|following|with)\s+)?"
    r"(?:at\s+least|a\s+minimum\s+of|>=|\u2265)\s*(?P<n>\d{1,2}|two|three|four|five)\b"
    r"(?!\s*(?:\(\w+\)\s*)?(?:hours?|days?|weeks?|months?|years?|cycles?|doses?|mg)\b)",  # a time, not a count
    re.IGNORECASE,
)


def _or_at_least(
    c: CriterionText, low: int, high: int, kept: list[Mention]
) -> tuple[list[Mention], list[Mention], int, bool] | None:
    """A therapy named alone, or a number of others: "Patients could be recruited in the study after progression on
    Lenvatinib (regardless prior lines) or progression on at least two prior MKIs which may or not include
    Lenvatinib" (NCT03753919) asks for a progression on lenvatinib, or on two MKIs; "at least two" is not the count of
    lenvatinib too. The group's mentions before the "or" (with no count of their own) and after it, and the count
    (two or more: "X or at least one Y" is one requirement of either), and whether the "or" tells a progression on
    what follows; None when the clause is not so told (cohort22)."""
    found = _OR_AT_LEAST.search(c.text, low, high)
    if found is None:
        return None
    n = found.group("n").lower()
    least = int(n) if n.isdigit() else numbers.WORD_NUMBERS[n]
    before = [m for m in kept if m.end <= found.start()]
    after = [m for m in kept if m.start >= found.end()]
    if least < 2 or not before or not after or len(before) + len(after) != len(kept):
        return None
    if numbers.count_bounds(c.text[low : found.start()]) != (None, None):
        return None  # "≥ 2 prior therapies including X or ≥ 2 prior therapies not including X": counted on both sides
    return before, after, least, found.group("on") is not None


_LEAST_TIME = cue("cue.therapy.least_time")
_COURSE_TOLD = cue("cue.therapy.course_told")


def _least_time(clause: str, durations: list[tuple[int, Window]], window: Window) -> str | None:
    """The least time (`cue.therapy.least_time`) the clause tells ``window`` by, when every place it tells it is one:
    "recurrence > 6 months after conclusion of therapy", "at least 6 weeks", not "within 6 months"."""
    spans = [(m.start(), m.end()) for m in _LEAST_TIME.finditer(clause)]
    places = [p for p, w in durations if w == window]
    found = [next((clause[a:b] for a, b in spans if a <= p < b), None) for p in places]
    return found[0] if found and all(found) else None


_CONTRAINDICATED = cue("cue.therapy.contraindicated")
_APART = cue("cue.therapy.apart")
_STARTING = cue("cue.therapy.starting")


def _started(c: CriterionText, m: Mention) -> bool:
    """Whether the text just before a therapy's name tells the start of it ("the patient starting chemotherapy")."""
    before = c.text[max(0, m.start - 40) : m.start]
    return any(not before[found.end() :].strip() and found.group(0).strip() for found in _STARTING.finditer(before))


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
# "No other concurrent anticancer therapy unless documented disease progression" (NCT00002633)
_UNLESS_PROGRESSION = lazy_regex(
    r"\bunless\s+(?:there\s+is\s+)?(?:(?:documented|radiographic|radiological|clinical|objective)\s+)*(?:disease\s+)?"
    r"progression\b",
    re.IGNORECASE,
)
_ENTRY_CONDITION = lazy_regex(r"\b(?:if|unless|when|provided)\b[^.;]{0,60}", re.IGNORECASE)
_DOSE_CAP = lazy_regex(r"\bcycles?\b|\bmg\s*/\s*m|\bdoses?\b", re.IGNORECASE)
# a full stop after an abbreviation ends no sentence: "(e.g. antibody therapies, ...)"
_ABBREVIATION_STOP = lazy_regex(r"\b(?:e\.g|i\.e|eg|ie|etc|vs|approx|incl)\.\s*$", re.IGNORECASE)
_AT_ANY_TIME = lazy_regex(r"\bat\s+any\s+time\b", re.IGNORECASE)
_CAPITAL_NEXT = lazy_regex(r"\s*[A-Z(]")


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


def _apart_from_sited(c: CriterionText, low: int, m: Mention, sites: Mapping[Mention, str | None]) -> bool:
    """Whether a radiotherapy beside a sited one is read apart from it: one told as any ("or received any radiotherapy
    within 4 weeks of entry"). Not an unsited radiotherapy otherwise: its site may follow its window ("prior radiation
    therapy within the past 3 years to the breast"); nor a drug beside (tried: it made certain the misread windows of
    "chemotherapy must have been completed at least 90 days prior to documentation of relapse", NCT00470054).
    ``sites``: the site each radiotherapy of the group names (`_sited`)."""
    if m.id != "concept.radiotherapy":
        return False
    return not sites[m] and bool(_ANY_RADIOTHERAPY.search(c.text, max(low, m.start - 20), m.start))


_ANY_RADIOTHERAPY = lazy_regex(r"\bany\s+(?:prior\s+|previous\s+|other\s+)?$", re.IGNORECASE)


def _region(c: CriterionText, low: int, high: int, kept: list[Mention], sited: list[Mention]) -> str | None:
    """The one region (`regions`) the sited radiotherapies name, read from the site's words to the clause's end ("to
    the neck and/or thorax", "to the head and neck" whole); None when they name none, or more than one, or when a
    surgery is named with them ("No prior surgery or radiotherapy to the neck": the site may be the surgery's too,
    which is not read)."""
    if any(m.id == "concept.surgery" for m in kept):
        return None
    regions = {region_asked(c.text[max(low, m.start - 30) : high]) for m in sited}
    return regions.pop() if len(regions) == 1 else None


# What makes a radiotherapy of a region a part of it, which the names do not tell: a dose, a side, a consequence, a
# re-irradiation, another cancer it was for ("Prior radiation to the neck of more than 70 Gy", "... resulting in
# carotid exposure", "... for a previous cancer"). Not any cancer: "Previous radiation therapy for a cancer in the head
# and neck region." (NCT01219673) bars a thyroid cancer's neck radiotherapy (judged right twice: Y183, CM034).
_NARROWED_SITE = lazy_regex(
    r"\b\d+(?:[.,]\d+)?\s*c?Gy\b|\b(?:ipsi|contra)lateral\b|\bsame\s+side\b|\bresult\w*\s+in\b|\bre-?irradiat\w*|"
    r"\bspinal\s+cord\b|\bfor\s+an?\s+(?:previous|prior|another|other|different)\s+(?:cancer|malignancy|tumou?r)\b",
    re.IGNORECASE,
)


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
_NAME_TAIL = lazy_regex(r"[\w\s()-]{0,25}")


def _of_kind(text: str) -> str | None:
    """The kind of radiotherapy ``text`` ends with: a kind named at most a short name before its end."""
    return next((x.group(0) for x in _RADIOTHERAPY_OF_KIND.finditer(text) if _NAME_TAIL.fullmatch(text, x.end())), None)


def _sited_surgery(c: CriterionText, low: int, m: Mention) -> bool:
    """Whether a surgery mention names the organ or site operated on: "cardiac or aortic surgery", "bowel surgery"."""
    return bool(_SITED_SURGERY.search(c.text[max(low, m.start - 40) : m.start]) or _SITE_AFTER.match(c.text, m.end))


def _progressed(c: CriterionText, m: Mention) -> bool:
    before = c.text[max(0, m.start - 60) : m.start]
    return bool(_PROGRESSED_BEFORE.search(before) or _PROGRESSED_AFTER.match(c.text, m.end))


# A kinase inhibitor named by its target just before it: "EGFR-TKIs", "ALK TKI", "BTK kinase inhibitor", "EGFR
# tyrosine-kinase inhibitors" (NCT02192697: 'kinase inhibitors' read after 'tyrosine-', review of therapy 4)
_TKI_TARGET = lazy_regex(
    r"\b(?P<g>[A-Z][A-Za-z0-9]{1,8}[A-Z0-9])(?:\s*-\s*|\s+)"
    r"(?:targeted\s+|targeting\s+|small[- ]molecule\s+|direct(?:ed|e)?\s+|specific\s+|tyrosine[- ])?$"
)
_SPELLED_TARGET = lazy_regex(
    r"\b(?P<w>epidermal|vascular\s+endothelial|platelet[- ]derived|fibroblast)\s+growth\s+factor(?:\s+receptors?)?"
    r"(?:\s*\([A-Za-z-]+\))?\s+$",
    re.I,
)
_SPELLED_TARGETS = {"epidermal": "EGFR", "vascular": "VEGFR", "platelet": "PDGFR", "fibroblast": "FGFR"}
# ... or right after it: "tyrosine kinase inhibitor that targets VEGF receptors" (NCT00619424), "TKI targeting VEGFR"
_TKI_TARGET_AFTER = cue("cue.therapy.tki_target_after")


def _tki_target(c: CriterionText, kb: KnowledgeBase, m: Mention) -> _KinaseTarget | None:
    """The target that narrows a kinase-inhibitor class ("EGFR-TKIs (e.g., CO-1686, AZD9291) that can inhibit EGFR
    with the T790M mutation", NCT02192697: EGFR inhibitors, not lenvatinib): (target, its class in the vocabulary or
    None). The target stands before the class, or right after it ("tyrosine kinase inhibitor that targets VEGF
    receptors", NCT00619424: `cue.therapy.tki_target_after`); a list of targets after it ("targets VEGFR, PDGFR and
    KIT"), which one class does not hold, has none. None when no target is told."""
    if m.id not in _ANY_TKI:
        return None
    spelled = _SPELLED_TARGET.search(c.text, max(0, m.start - 60), m.start)
    found = None if spelled else _TKI_TARGET.search(c.text, max(0, m.start - 30), m.start)
    if spelled:
        # "other epidermal growth factor tyrosine kinase inhibitor" (NCT00096486): EGFR told in words (therapy 4)
        target = _SPELLED_TARGETS[spelled.group("w").lower().replace("-", " ").split()[0]]
    elif found and found.group("g").upper() not in ("TKI", "TKIS", "MKI", "MKIS", "ORAL", "PRIOR", "ANY"):
        target = found.group("g")
        if c.text[max(0, found.start() - 1) : found.start()] in ("/", "-"):
            # "EGFR/VEGFR TKIs"
            return _KinaseTarget(f"{c.text[max(0, found.start() - 12) : found.start()].split()[-1]}{target}", None)
    elif after := _TKI_TARGET_AFTER.match(c.text, m.end):
        target = "VEGFR" if after.group("t").upper().startswith("VEGF") else after.group("t").upper()
        if after.group("more"):
            return _KinaseTarget(f"{target} and others", None)
    else:
        return None
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


_EXCEPTION_HEADING = cue("cue.therapy.exception_heading")
_NAMED_AFTER_RADIATION = cue("cue.therapy.named_after_radiation")


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


_ANY_NUMBER = cue("cue.therapy.any_number")


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
