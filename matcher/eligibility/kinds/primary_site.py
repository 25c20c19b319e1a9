"""Primary site: the cancer a trial is for. A trial whose conditions list, or whose inclusion criteria, name only other
primary sites ("Advanced or metastatic non-small cell lung cancer") is for another cancer: `ineligible` for a
thyroid patient, with the reason "trial is for <cancer>". Basket trials stay: solid tumours with a RET, NTRK or BRAF
alteration, "any solid tumour", "advanced cancers". Sites come from matcher/knowledge/primary_sites.json; a thyroid
histology named beside them (matcher/knowledge/histologies.json) keeps the trial open to thyroid patients.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from functools import cache, lru_cache
from importlib.resources import files
from typing import NamedTuple

import msgspec
from jsonschema import Draft202012Validator

from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity, Section, Values, one_line, shortened
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, lazy_regex
from matcher.eligibility.kinds.histology import another_organs, names_diagnosis, organ_site, other_tumour_site
from matcher.eligibility.text import CriterionText, Mention, make_fact
from matcher.errors import RuleFileError
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Histology, Patient

SITES_FILE = "primary_sites.json"
THYROID = "site.thyroid"
# neuroendocrine tumours, read only as an item of a list the trial is limited to (`_limited_sites`): medullary thyroid
# cancer is one (`evaluate`). Not in primary_sites.json: its schema has no list-only synonyms, and a conditions list or
# criteria text naming "neuroendocrine" may be a medullary thyroid trial's.
NEUROENDOCRINE = "site.neuroendocrine"
_LIST_ONLY_NAMES = {NEUROENDOCRINE: "neuroendocrine tumours"}


class PrimarySiteValues(Values, frozen=True):
    DISPLAY_ONLY = frozenset({"names"})

    sites: tuple[str, ...]
    names: tuple[str, ...] = ()


class Site(msgspec.Struct, frozen=True):
    id: str
    name: str
    synonyms: tuple[str, ...]
    # read only in a conditions list, never in criteria text ("lymphoma", "sarcoma", "non-small cell"; the JSON's about)
    conditions_synonyms: tuple[str, ...] = ()


@cache
def load_sites() -> dict[str, Site]:
    """The primary-site vocabulary, validated against its JSON Schema."""
    knowledge = files("matcher.knowledge")
    data = json.loads(knowledge.joinpath(SITES_FILE).read_text(encoding="utf-8"))
    schema = json.loads(knowledge.joinpath("primary_sites.schema.json").read_text(encoding="utf-8"))
    error = next(iter(Draft202012Validator(schema).iter_errors(data)), None)
    if error is not None:
        raise RuleFileError(SITES_FILE, "/".join(map(str, error.absolute_path)) or "the file", error.message)
    sites = {
        e["id"]: Site(e["id"], e["name"], tuple(e["synonyms"]), tuple(e.get("conditions_synonyms", ())))
        for e in data["entries"]
    }
    if len(sites) != len(data["entries"]) or THYROID not in sites:
        raise RuleFileError(SITES_FILE, "entries", f"ids are unique and {THYROID} is one of them")
    return sites


# Any cancer that carries a target: "Metastatic or unresectable measurable cancers that express mesothelin"
# (NCT01583686), "Metastatic or locally advanced refractory/recurrent cancer that expresses MAGE-A3" (NCT02153905).
# One pattern text for `_BASKET` (the line's own site) and `_MANY` (the whole trial's sites).
_EXPRESSING = (
    r"(?<![\w-])(?:(?:metastatic|advanced|unresectable|measurable|refractory|recurrent|locally|inoperable|or|and)"
    r"[\s/,]+){1,6}(?:cancers?|tumou?rs?|malignanc(?:y|ies))\s+(?:that|which)\s+express(?:es)?"
)
# "solid" before the cancer word, with what may stand between: "any solid/GI tumor" (NCT00460603, fresh sample 22's
# AC071: solid or gastrointestinal), "solid, malignant tumour which is unresponsive to standard therapies (Phase I)"
# (NCT00900627)
_SOLID_WORD = r"solid(?:\s*/\s*[\w-]+|,?\s+malignant)?\s+"
# A trial open to many cancers, whatever else it names: a basket trial.
_BASKET = lazy_regex(
    # not the response criteria's name: "adenocarcinoma of the pancreas with measurable or non-measurable disease per
    # Response Evaluation Criteria in Solid Tumors (RECIST) 1.1" (NCT01231581) names no basket
    r"\b(?:(?<!criteria\sin\s)(?<!criteria\sfor\s)" + _SOLID_WORD + r"tumou?rs?|" + _SOLID_WORD + r"malignanc\w+|"
    r"any\s+(?:" + _SOLID_WORD + r")?(?:tumou?r|cancer|malignancy)|advanced\s+cancers|"
    r"(?:tumou?r|histology)[- ]agnostic|regardless\s+of\s+(?:tumou?r\s+)?(?:type|histology|origin)|"
    r"(?:multiple|various|other)\s+(?:tumou?r|cancer)\s+types|basket|"
    # "advanced non-hematologic malignancy" (NCT00512798, NCT00703638); "Advanced colorectal cancer or other
    # adenocarcinomas" (NCT00413322): the named site is one of many
    r"non-?hematologic(?:al)?\s+malignanc\w*|other\s+(?:adeno)?carcinomas|other\s+(?:solid\s+)?(?:tumou?rs|cancers|malignancies)|"
    # a brain tumour or a metastasis to the brain from any primary: "recurrent malignant glioma or metastatic brain
    # cancer" (NCT02279992), "proven glioma or radiographic appearance of metastatic lesion" (NCT02279992)
    r"or\s+(?:[\w-]+\s+){0,3}(?:brain\s+metastas[ie]s|metastatic\s+brain\s+\w+)|"
    r"metastatic\s+lesions?\s+(?:with|from)\s+(?:a|any)\s+primary|"
    # an organ's metastases from any primary beside its own cancers: "unresectable hepatocellular carcinoma, liver
    # mets with no evidence of extrahepatic disease, or cholangiocarcinoma" (NCT00216437)
    r"(?:,|\bor)\s+(?:(?:isolated|solitary|unresectable|metastatic)\s+)?(?:liver|hepatic|lung|pulmonary|peritoneal)\s+"
    r"(?:metastas[ie]s|mets)\b"
    # (not "liver metastases are allowed"); last, any cancer that carries a target (`_EXPRESSING`)
    r"(?!\s+(?:are|is|must|should|will|may|allowed|permitted)\b)|" + _EXPRESSING + r")\b",
    re.IGNORECASE,
)
# Any malignancy, "Patients must have histologically confirmed malignancy that is metastatic or unresectable"
# (NCT00402415), is a basket unless the criterion goes on to confirm a cancer by name: "...; previously treated,
# pathologically confirmed chronic lymphocytic leukemia (CLL) or small lymphocytic lymphoma" (NCT02160015, CLL only)
_ANY_MALIGNANCY = lazy_regex(
    r"\b(?:histologically|cytologically|pathologically)\s+(?:or\s+\w+\s+)?(?:confirmed|proven|documented)\s+"
    r"malignancy\b(?!\s+of)",
    re.IGNORECASE,
)
_CONFIRMED_BEFORE = lazy_regex(
    r"\b(?:histologically|cytologically|pathologically)\s+(?:or\s+\w+\s+)?(?:confirmed|proven|documented)\s+"
    r"(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_FOR_PATIENTS_WITH = cue("cue.primary_site.for_patients_with")
_TIME_SINCE_THERAPY = cue("cue.primary_site.time_since_therapy")
_DIAGNOSIS = lazy_regex(
    r"\b(?:histolog\w*|cytolog\w*|confirm\w*|diagnos\w*|documented|patients?\s+with|subjects?\s+with|"
    r"advanced|metastatic|recurrent|unresectable|refractory|stage)\b",
    re.IGNORECASE,
)
# The patient must have the cancer, named right after a few words of it: "Patients must have bladder cancer.",
# "Patent must have BCG unresponsive non-muscle-invasive bladder cancer defined as: ..." (NCT03106610), "must have
# platinum-resistant ovarian cancer"; not what must have been done for it ("must have received ... for multiple
# myeloma", "must have been completed"), nor its absence ("must have no history of breast cancer")
_MUST_HAVE = cue("cue.primary_site.must_have")
# a part of the trial before it: "Patients of the first stratum must have chronic myeloid leukemia" (NCT02253277),
# "For the expanded cohort portion of the study, patients must have NSCLC" (NCT02959619): that part's patients only
_PART_BEFORE = lazy_regex(r"\b(?:strat(?:um|a)|cohorts?|arms?|part|portion|phase|group)\b", re.IGNORECASE)


# The line opens on the cancer, with only words that tell its stage or treatment state before it: "Operable colon
# cancer amenable to curative surgery." (NCT01681472), "Inoperable pancreatic cancer" (NCT00556023), "Multiple myeloma
# (MM)" (NCT00150462), "Chronic myelogenous leukemia in accelerated or blast phase" (NCT00351975): a diagnosis named
# as the line's subject, as "Patients with ..." names one
_OPENS_ON_SITE = lazy_regex(
    r"^[\s*•·\-–\d.)(]*(?:(?:operable|inoperable|resectable|unresectable|locali[sz]ed|non-?metastatic|"
    r"newly[- ]diagnosed|previously[- ](?:un)?treated|untreated|relapsed|refractory|recurrent|persistent|progressive|"
    r"primary|invasive|high[- ]risk|early[- ]stage|early|(?:women|men|females?|males?)\s+with)[\s,/]+|(?:or|and)\s+)*$",
    re.IGNORECASE,
)


# not where the line permits, negates or excludes ("CLL in transformation allowed", NCT00304005; "Inoperable HCC which
# is not eligible for locoregional therapy", NCT02029157), nor where the cancer names a group or a therapy's target
# ("Melanoma patients can have up to 2 regimens ...", NCT00512798; "CLL therapy, major surgery, or irradiation for CLL
# was completed > 4 weeks before registration", NCT01558167), nor a statement ("AML, MDS and MM are diseases of the
# haematopoietic system ...", NCT00689000), nor a line that tells the cancer's course ("relapsed multiple myeloma that
# has progressed following therapies that included bortezomib ...", NCT01023880; "NSCLC that has failed crizotinib
# treatment", NCT01871805), which the therapy kinds read as that cancer's (therapy 21)
_NOT_OPENING = lazy_regex(
    r"\b(?:not|no|allowed|permitted|eligible|ineligible|excluded|acceptable|progress\w*|failed|following)\b",
    re.IGNORECASE,
)
_AFTER_OPENING_SITE = lazy_regex(
    r"(?:\s*\([^()]*\))?(?:\s*(?:,|\band\b|\bor\b)\s*[A-Z]{2,5}\b)?"
    r"\s*(?:patients?|subjects?|participants?|therapy|treatment|are|is)\b",
    re.IGNORECASE,
)


def _opens_on(c: CriterionText, sites: list[Mention]) -> bool:
    """Whether the line opens on its first site (`_OPENS_ON_SITE`) and says nothing that makes the sites something other
    than the diagnosis asked (`_NOT_OPENING`, `_AFTER_OPENING_SITE`: after any site, or a short name joined to it)."""
    return (
        _OPENS_ON_SITE.match(c.text[: sites[0].start]) is not None
        and not _NOT_OPENING.search(c.text)
        and not any(_AFTER_OPENING_SITE.match(c.text, m.end) for m in sites)
    )


def _must_have(c: CriterionText, site: int) -> bool:
    found = _MUST_HAVE.search(c.text, max(0, site - 100), site)
    return found is not None and not _PART_BEFORE.search(c.text, 0, found.start())


# A site that names a group the criterion is about, or that is not the trial's cancer at all (cues.json): "Patients
# with refractory or relapsed leukemia must have greater than 25% blasts" (NCT01184274), "Prostate cancer patients
# must be hormone refractory." (NCT00487786), "... such as non small cell lung cancer" (NCT00719524), "except for
# patients diagnosed with mesothelioma" (NCT00703638), "approved for the treatment of advanced/metastatic RCC"
# (NCT00334282), "For recurrent HCC, radiographic evidence of progression." (NCT00081900)
_GROUP_SUBJECT = cue("cue.primary_site.group_subject")
_GROUP_PREDICATE = cue("cue.primary_site.group_predicate")
_SITE_PATIENTS = cue("cue.primary_site.site_patients")
_EXAMPLE = cue("cue.primary_site.example")
_EXCEPTION = cue("cue.primary_site.exception")
_MEDICATION_RULE = cue("cue.primary_site.medication_rule")
_APPROVED_FOR = cue("cue.primary_site.approved_for")
_PERMISSION = cue("cue.primary_site.permission")
_FOR_CONDITION = cue("cue.primary_site.for_condition")
_GROUP_PERMISSION = cue("cue.primary_site.group_permission")
_PERMISSION_ADVERB = cue("cue.primary_site.permission_adverb")
# a cancer named as a lab value's cause or an organ's involvement: "(Patients with platelets >= 30,000 are eligible if
# thrombocytopenia is felt to be due to extensive bone marrow involvement with myeloma)" (NCT00536575), "patients with
# elevated creatinine due to myeloma are not excluded" (NCT00590603)
_CAUSE_BEFORE = cue("cue.primary_site.cause_before")
# a past cancer named by a generic word before the site: "Patients with a history of carcinoma in remission (on no
# therapy or on hormonal therapy for the adjuvant treatment of breast carcinoma or prostate carcinoma) are included in
# the study." (NCT02234037, an AML trial)
_HISTORY_OF_CANCER = cue("cue.primary_site.history_of_cancer")
# "For AML subjects, they must have a documented CR within 45 days prior to allo-HCT;" (NCT02370888): the group's
# noun may stand between the site and the comma
_COMMA_AFTER = lazy_regex(r"\s*(?:\([^()]*\)\s*)?(?:(?:patients|subjects|participants)\s*)?,", re.IGNORECASE)
# sites joined to the one before by "or", "and", a comma or a parenthesis share its reading: "(≤ 5 x IULN for patients
# with liver metastases or hepatocellular carcinoma (HCC))" (NCT03511222)
_JOINED = lazy_regex(r"[\s,/()]*(?:(?:and/or|or|and)\b[\s(]*)?")
_SENTENCE_END = lazy_regex(r"[.;]\s")
_PARENTHESIS = lazy_regex(r"\([^()]*\)")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence (or ";" clause) holding text[start:end]."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return (before[-1] if before else 0), (after.start() + 1 if after else len(text))


def _not_the_trials(c: CriterionText, m: Mention) -> bool:
    """Whether the site mention names a group, an example, an exception, a drug's indication or a washout's therapy
    target rather than the cancer the trial is for."""
    text, start, end = c.text, m.start, m.end
    if c.about_someone_else(start) or _FOR_PATIENTS_WITH.search(text, max(0, start - 60), start):
        return True  # "GnRH agonists for patients with hormone-refractory prostate cancer" picks patients
    if _TIME_SINCE_THERAPY.search(text, 0, start) and c.therapy_target(m):
        # "12 weeks from the completion of radiation for recurrent GBM unless ..." (NCT02142803, fresh sample 13's
        # T290): a time to wait after a therapy for that cancer, asked of the patients who had it, not the cancer the
        # trial is for ("Must have received 2 prior chemotherapy regimens for metastatic breast cancer", with no
        # time, still says whose it is)
        return True
    first, last = _sentence(text, start, end)
    if _CAUSE_BEFORE.search(text, max(first, start - 80), start) or _HISTORY_OF_CANCER.search(text, first, start):
        return True  # the cause of a lab value, or a past cancer: no diagnosis the trial asks
    # the cues read after the site start with "^": searched in the rest of the sentence, its parentheses left out
    rest = _PARENTHESIS.sub(" ", text[end:last])
    if _GROUP_SUBJECT.search(text, max(first, start - 120), start) and (
        _GROUP_PREDICATE.search(rest) or _GROUP_PERMISSION.search(rest)
    ):
        return True
    if (
        _SITE_PATIENTS.search(rest)
        or _PERMISSION.search(text, first, start)
        or _PERMISSION_ADVERB.search(text, first, start)
    ):
        return True
    if _FOR_CONDITION.search(text[:start]) and _COMMA_AFTER.match(text, end):
        return True
    if _MEDICATION_RULE.search(text, 0, start):
        # who may have a drug the study bars: "... not permitted during the study with the following exceptions: (1)
        # intrathecal (IT) therapy for patients with controlled Central Nervous System (CNS) leukemia" (NCT02530476)
        return True
    return any(p.search(text, max(first, start - 160), start) for p in (_EXAMPLE, _EXCEPTION, _APPROVED_FOR))


def _the_trials(c: CriterionText, mentions: list[Mention]) -> list[Mention]:
    """The site mentions that name the cancer the trial is for (`_not_the_trials`), in text order; a site joined to a
    dropped one by "or", "and", a comma or a parenthesis is dropped with it."""
    sites = []
    dropped_end = -1
    for m in mentions:
        joined = dropped_end >= 0 and _JOINED.fullmatch(c.text, dropped_end, m.start) is not None
        if joined or _not_the_trials(c, m):
            dropped_end = m.end
        else:
            sites.append(m)
            dropped_end = -1
    return sites


# Sites listed before a cancer word they share: "non-small cell lung, prostate, and bladder/urothelial cancer"
# (NCT00565227), whose "lung" and "prostate" name no site alone (`_elided`)
_SHARED_HEAD = lazy_regex(r"\b(?:cancers?|carcinomas?)$", re.IGNORECASE)
# what separates the sites of such a list: a comma (", and", ", or"), "and", "or", a slash
_SEPARATOR = r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|/)"
_LISTED_BEFORE = lazy_regex(rf"(?:[\w-]+(?:\s+[\w-]+){{0,3}}\s*{_SEPARATOR})+$")
# how such a list ends, right before the site (`_LISTED_BEFORE`'s last step): asked first, for the list's pattern is
# tried from every start in the 120 characters before the site, and most sites follow no list
_LIST_END = lazy_regex(rf"{_SEPARATOR}$")
_LIST_BREAK = lazy_regex(rf"\s*{_SEPARATOR}\s*")


def _elided(c: CriterionText, sites: list[Mention]) -> list[Mention]:
    """The sites listed before a site mention that share its cancer word ("non-small cell lung, prostate, and
    bladder/urothelial cancer": lung, prostate and bladder cancer), in the reading of that mention: the trial is for
    each of them, and the reason names all. A listed thyroid ("thyroid, lung and breast cancer") is read as the
    thyroid site, which keeps the trial open."""
    found = []
    for m in sites:
        head = _SHARED_HEAD.search(m.text)
        if head is None or not _LIST_END.search(c.text, max(0, m.start - 120), m.start):
            continue
        listed = _LISTED_BEFORE.search(c.text, max(0, m.start - 120), m.start)
        if listed is None:
            continue
        offset = listed.start()
        for part in _LIST_BREAK.split(c.text[listed.start() : m.start]):
            # a conjunct with its own cancer word ("epithelial ovarian cancer or") is a mention of its own
            words = [] if _SHARED_HEAD.search(part.rstrip()) else part.split()
            # the shortest end of the words that, with the shared cancer word, names a site ("Only patients with
            # non-small cell lung": "lung cancer")
            named = next(
                (
                    (site, tail)
                    for k in range(len(words) - 1, -1, -1)
                    if (tail := " ".join(words[k:]))
                    and (site := THYROID if "thyroid" in tail.lower() else site_named(f"{tail} {head.group(0)}"))
                ),
                None,
            )
            start = c.text.find(part, offset) if part else -1
            if named is not None and start >= 0:
                end = start + len(part)
                found.append(Mention("SITE", named[0], end - len(named[1]), end, named[1]))
            if start >= 0:
                offset = start + len(part)
    return found


# A basket narrowed to a closed list of cancers: "Patients with histologically confirmed metastatic or unresectable
# solid tumors ...; histology will be limited to those tumors for which temsirolimus or vinorelbine have reported
# clinical activity: lung, breast, ovary, cervix, prostate, uterus, renal, bladder and neuroendocrine tumors"
# (NCT01155258). Not a first stage ("Initial enrollment will be limited to differentiated thyroid cancer and renal cell
# carcinoma", NCT01100619) nor one part ("Expansion cohorts are limited to ...", NCT01192165: its escalation takes any
# solid tumour; "The phase II component of the study enrollment will be limited to ...", NCT00983528): the subject is
# the whole trial's histology, tumour types, eligibility or enrolment.
_LIMITED_TO = lazy_regex(
    r"(?<!initial\s)(?<!first\s)\b(?:histolog(?:y|ies)|tumou?r\s+types?|eligibility|enrol(?:l)?ment|accrual)\s+"
    r"(?:will\s+be|is|are)\s+(?:limited|restricted)\s+to\b(?P<list>[^.;]*)",
    re.IGNORECASE,
)
_LIST_ITEM = lazy_regex(r"\s*(?:,\s*(?:and\s+|or\s+)?|\band/or\b|\band\b|\bor\b)\s*", re.IGNORECASE)
_ITEM_HEAD = lazy_regex(r"\s+(?:tumou?rs?|cancers?|carcinomas?|malignanc(?:y|ies))$", re.IGNORECASE)
# an organ's bare name as a list item ("ovary", "renal"), which names no site alone in criteria text
_ORGAN_WORDS = {"lung": "site.lung", "breast": "site.breast", "ovary": "site.ovary", "ovarian": "site.ovary",
                "cervix": "site.cervix", "cervical": "site.cervix", "prostate": "site.prostate", "uterus": "site.uterus",
                "uterine": "site.uterus", "endometrium": "site.uterus", "renal": "site.kidney", "kidney": "site.kidney",
                "bladder": "site.bladder", "colon": "site.colorectal", "rectum": "site.colorectal",
                "stomach": "site.stomach", "pancreas": "site.pancreas", "liver": "site.liver",
                "neuroendocrine": NEUROENDOCRINE, "thyroid": THYROID}  # fmt: skip


class _Limited(NamedTuple):
    sites: tuple[str, ...]
    evidence: str  # the words that limit the trial ("histology will be limited to ...")


@lru_cache(maxsize=1024)
def _limited_sites(text: str) -> _Limited | None:
    """The sites of the closed list a trial is limited to (`_LIMITED_TO`), or None when there is none, it has one item,
    or an item is not a site known here (then the list is not read: unsure). Kept for the last lines asked: every
    inclusion line of a trial is asked by `_limited_lists` and then again by `opens_to_many`, with the same words."""
    found = _LIMITED_TO.search(text)
    if found is None or _PART_BEFORE.search(text, _sentence(text, found.start(), found.end())[0], found.start()):
        return None  # one part's limit: "The phase II component of the study enrollment will be limited to ..."
    listed = found.group("list")
    listed = listed[listed.index(":") + 1 :] if ":" in listed else listed
    sites = []
    for item in _LIST_ITEM.split(listed.strip()):
        word = _ITEM_HEAD.sub("", item.strip()).lower()
        site = _ORGAN_WORDS.get(word) or (site_named(f"{word} cancer") if word else None)
        if site is None:
            return None
        sites.append(site)
    return _Limited(tuple(dict.fromkeys(sites)), found.group(0).strip()) if len(sites) > 1 else None


def site_name(site: str) -> str:
    """A site's name as reasons say it ("a blood cancer"), by its id."""
    return load_sites()[site].name if site in load_sites() else _LIST_ONLY_NAMES.get(site, site)


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    if c.section is not Section.INCLUSION or c.has("concept.other_malignancy") or _BASKET.search(c.text):
        return []
    sites = _the_trials(c, c.of("SITE"))
    if sites:
        sites = sorted([*sites, *_elided(c, sites)], key=lambda m: m.start)
    if _ANY_MALIGNANCY.search(c.text) and not any(
        _CONFIRMED_BEFORE.search(c.text, max(0, m.start - 80), m.start) for m in sites
    ):
        return []
    # a bare "lymphoma" or "sarcoma" where the thyroid is not named: a blood cancer, a sarcoma (fresh sample 12 S055);
    # a histology of another organ: "poorly differentiated carcinoma of the stomach" (S070)
    bare = [
        Mention("SITE", site, m.start, m.end, m.text)
        for m in c.of("HISTOLOGY")
        if (site := other_tumour_site(c, m) or organ_site(c, m))
        and not _GENERIC_EXAMPLES.search(c.text, max(0, m.start - 200), m.start)
        and not _DISEASE_BY.search(c.text, max(0, m.start - 60), m.start)
    ]
    # the same filter as the sites, in one pass with them: "Patients with CNS leukemia or lymphoma must have had a
    # negative bone marrow aspiration" (NCT00112619) names a group, its "lymphoma" joined to the group's leukemia
    if bare:  # (none in most lines: then the pass would read the sites again for nothing)
        kept = {id(m) for m in _the_trials(c, sorted([*c.of("SITE"), *bare], key=lambda m: m.start))}
        bare = [m for m in bare if id(m) in kept]
    if not names_diagnosis(c):
        bare = []  # read where the histology kind read it before: "lymphoma" named as a diagnosis
    # a sentence that says who is excluded names no cancer the trial is for: "Participants with Kaposi's sarcoma,
    # GIST or myxoid liposarcoma will be excluded." (NCT02783599)
    sites = sorted((m for m in sites + bare if not _in_excluding_sentence(c.text, m.start)), key=lambda m: m.start)
    # a histology word that is another organ's tumour's ("NSCLC, including ... large cell anaplastic carcinoma",
    # NCT00555256) is no thyroid histology
    histologies = [m for m in c.of("HISTOLOGY") if not another_organs(c, m)]
    diagnosis = (
        _DIAGNOSIS.search(c.text)
        or any(_must_have(c, m.start) for m in sites)
        or bool(bare)
        or (bool(sites) and _opens_on(c, sites))
    )
    if not sites or not diagnosis or histologies or any(m.id == THYROID for m in sites):
        return []  # a thyroid histology or site beside them: the trial is open to thyroid patients
    ids = tuple(dict.fromkeys(m.id for m in sites))
    values = PrimarySiteValues(ids, tuple(load_sites()[i].name for i in ids))
    # one group of the trial's patients, named by an age band: "AML, in first or subsequent remission or
    # relapsed/refractory disease, age 51 to 60 years of age" (NCT01220297, beside "... age 2 to 60 years"),
    # "Evidence of AML associated with dysplasia ... for elderly patients (i.e., > 60 years old)" (NCT00351975)
    band = _GROUP_AGE.search(c.text)
    uncertain = f"the line names one group of patients by age ('{band.group(0).strip()}')" if band else None
    return [make_fact(FactKind.PRIMARY_SITE, c.polarity(sites[0]), values, "rule.primary_site.text",
                      ", ".join(dict.fromkeys(m.text for m in sites)), uncertain)]  # fmt: skip


# an older group's age in a disease line: a band that starts at 40 or more after a comma (", age 51 to 60 years of
# age"; not "aged 55-59 years" in a definition of postmenopausal, NCT00904423), or a lower
# limit of 50 or more ("> 60 years old", "over the age of 60", "≥ 65 years of age"); not an adult floor ("aged 18 to
# 75 years", "18 years of age or older") nor an upper limit ("age </= 85 years old")
_GROUP_AGE = lazy_regex(
    r"[,;]\s*age[sd]?\s+[4-9]\d\s*(?:to|-|–|through)\s*\d{2,3}\s*(?:years|yrs)\b"
    r"|\b(?:over|older\s+than)\s+(?:the\s+age\s+of\s+)?[5-9]\d\b(?![\d,.])"
    r"|\bage\s*(?:>|≥|>=)\s*[5-9]\d\b(?![\d,.])"
    r"|(?<![<≤/])(?:>|≥|>=)\s*[5-9]\d\s*(?:years|yrs)\b",
    re.IGNORECASE,
)


_BE_EXCLUDED = cue("cue.prohibition.be_excluded")
# "Subjects with pseudomyxoma, mesothelioma, ..., sarcoma, or neuroendocrine histology are excluded." (NCT01253681);
# not a therapy the patients cannot have: "Large-cell lymphoma, Hodgkin's lymphoma and multiple myeloma: patients with
# chemotherapy sensitive disease that has failed or who are ineligible for an autologous transplant." (NCT00963872)
_ARE_EXCLUDED = lazy_regex(
    r"\b(?:are|is)\s+(?:excluded|ineligible|not\s+eligible)\b(?!\s+by\b)"
    r"(?!\s+(?:for|to)\s+(?!(?:this|the)\s+(?:study|trial|protocol)\b))",
    re.IGNORECASE,
)
# a generic cancer with examples: "a diagnosis of cancer that is advanced and/or metastatic disease (including
# Non-Hodgkin's Lymphoma)" (NCT01115803) is any cancer; not "hematologic malignancy, including ... lymphoma"
_GENERIC_EXAMPLES = lazy_regex(
    r"(?<!hematologic )(?<!haematologic )(?<!hematological )(?<!lymphoid )(?<!blood )"
    r"\b(?:cancers?|malignanc(?:y|ies)|tumou?rs?|neoplasms?)\b[^.;]{0,80}?\b(?:including|such\s+as|e\.\s?g\.?)"
    r"[^.;]{0,80}$",
    re.IGNORECASE,
)


# "counts due to known bone marrow involvement by lymphoma" (NCT00625729): the disease's spread, no diagnosis asked
_DISEASE_BY = cue("cue.primary_site.disease_by_before")


_SEGMENT_BREAK = lazy_regex(r"[.;](?=\s)|[()]")


def _in_excluding_sentence(text: str, at: int) -> bool:
    """Whether the site stands in a sentence, clause or bracket that says who is excluded."""
    start = max((m.end() for m in _SEGMENT_BREAK.finditer(text, 0, at)), default=0)
    end = next((m.start() for m in _SEGMENT_BREAK.finditer(text, at)), len(text))
    return bool(_BE_EXCLUDED.search(text, start, end) or _ARE_EXCLUDED.search(text, start, end))


# A condition that names no cancer of its own beside named ones: a supportive-care symptom ("colorectal cancer",
# "chemotherapy-induced neutropenia", NCT02251977; "mucositis", "head and neck cancer", NCT00626639) or a generic
# "carcinoma" ("carcinoma", "fallopian tube cancer", "ovarian cancer", "primary peritoneal cancer", NCT01253681).
# Whole conditions only; "solid tumors" and the like are baskets (`_BASKET`), read before this. Not "cancer" or
# "neoplasms": ['neoplasms', 'breast neoplasms', 'breast cancer'] (NCT00900627) takes any "solid, malignant tumour"
# in phase I; nor "anemia": ['anemia', 'leukemia', ...] (NCT01034592) is for Diamond-Blackfan anemia. A phase or
# course of the named diseases too: "accelerated phase of disease", "blastic phase", "recurrent disease" beside a list of
# leukemias (NCT00351975: the review of rules 64)
_SIDE_CONDITION = lazy_regex(
    r"(?:(?:chemotherapy|radiation|radiotherapy|treatment|cancer|therapy)[- ](?:induced|related|associated)\s+|"
    r"(?:acute|chronic|delayed|febrile|oral|peripheral|radiation|mucosal)\s+)*"
    r"(?:neutropenia|mucositis|stomatitis|nausea|vomiting|nausea\s+and\s+vomiting|pain|fatigue|xerostomia|"
    r"thrombocytopenia|diarrh(?:o)?ea|dermatitis|neuropathy|cachexia|lymphedema|hot\s+flashes|carcinoma)"
    r"|(?:accelerated|blast(?:ic)?|chronic)\s+phase(?:\s+of\s+disease)?|(?:recurrent|refractory|relapsed)\s+disease",
    re.IGNORECASE,
)


def from_conditions(conditions: Sequence[str]) -> Fact | None:
    """The trial's conditions list as a primary-site fact, when every condition names another primary site; None
    when one names thyroid cancer, a basket, or nothing the vocabulary knows (then the list says nothing sure)."""
    if not conditions:
        return None
    found: list[str] = []
    for condition in conditions:
        if "thyroid" in condition.lower() or _BASKET.search(condition):
            return None
        site = _condition_site(condition)
        if site is None:
            if _SIDE_CONDITION.fullmatch(condition.strip()):
                continue  # a symptom, a bare "carcinoma" or a phase beside named cancers: they decide
            return None
        found.append(site)
    if not found:
        return None  # only symptoms or generic words: nothing sure
    ids = tuple(dict.fromkeys(found))
    values = PrimarySiteValues(ids, tuple(load_sites()[i].name for i in ids))
    return make_fact(FactKind.PRIMARY_SITE, Polarity.REQUIRE, values, "field.conditions", "; ".join(conditions))


# MeSH's inverted names: "carcinoma, renal cell", "neoplasms, colonic", "leukemia, myeloid, acute", "lymphoma, large
# b-cell, diffuse", "brain neoplasms, malignant, primary" (NCT02343081): the head noun first, its modifiers after, the
# nearest last
_INVERTED_HEAD = lazy_regex(
    r"^[^,]*\b(?:carcinoma|adenocarcinoma|neoplasms?|cancers?|tumou?rs?|leuka?emias?|lymphomas?|sarcomas?|"
    r"melanomas?|gliomas?|myelomas?|astrocytomas?)\s*,",
    re.IGNORECASE,
)


def _condition_site(condition: str) -> str | None:
    """The site one of the trial's conditions names: by a synonym read in text or one read only in a conditions list
    (`Site.conditions_synonyms`), the condition in its written order or, when MeSH's inverted form, turned back
    ("carcinoma, renal cell": "renal cell carcinoma")."""
    forms = [condition]
    if _INVERTED_HEAD.match(condition):
        forms.append(" ".join(part.strip() for part in reversed(condition.split(",")) if part.strip()))
    for form in forms:
        site = site_named(form) or next(
            (site for site, synonyms in _conditions_synonyms() if synonyms.search(form.lower())), None
        )
        if site is not None:
            return site
    return None


@cache
def _conditions_synonyms() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each site's conditions-only synonyms as one compiled alternation (sites that have any), built once."""
    return tuple(
        (site.id, _whole_words(site.conditions_synonyms)) for site in load_sites().values() if site.conditions_synonyms
    )


def site_named(condition: str) -> str | None:
    """The first site (its id, in the vocabulary's order) one of whose synonyms the text names as a whole word ("CML":
    a blood cancer); None if none."""
    text = condition.lower()
    if _any_site_synonym().search(text) is None:
        return None  # most lines name no site: one search of every synonym at once, not one per site
    return next((site for site, synonyms in _site_synonyms() if synonyms.search(text)), None)


@cache
def _any_site_synonym() -> re.Pattern[str]:
    """Every site's synonyms as one alternation, built once: it finds a match iff one of `_site_synonyms` does (the same
    lookarounds around each synonym), so a line it finds nothing in names no site, and the first site is looked for
    only in a line that names one."""
    return _whole_words([s for site in load_sites().values() for s in site.synonyms])


@cache
def _site_synonyms() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each site's synonyms as one compiled alternation, built once: `open_to_many` asks `site_named` of every
    inclusion line, and ~200 patterns looked up and searched per call cost ~3 ms a line (8x this).
    Same matches: the lookarounds around the alternation hold for some synonym iff they held for one searched alone."""
    return tuple(
        (site.id, _whole_words(site.synonyms))
        for site in load_sites().values()
        if site.synonyms  # a site known only in conditions lists has no text synonym (an empty one would match anywhere)
    )


def _whole_words(words: Sequence[str]) -> re.Pattern[str]:
    """One alternation of the words, lower case, each matched as a whole word (the same lookarounds around each)."""
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(w.lower()) for w in words)})(?!\w)")


def cancer_named(v: PrimarySiteValues) -> str:
    """The cancer (or cancers, joined by "or") a primary-site fact names, as its reasons say it: "trial is for <it>"."""
    return " or ".join(site_name(s) for s in v.sites)


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, PrimarySiteValues)
    names = cancer_named(v)
    d = p.diagnosis
    thyroid = d is not None and (
        (d.histology is not None and d.histology is not Histology.OTHER) or "thyroid" in (d.cancer or "").lower()
    )
    if not thyroid:
        return Finding(None, f"the patient's primary site is not on file (trial is for {names})",
                       missing="primary cancer (diagnosis)")  # fmt: skip
    path = ("diagnosis.histology",) if d is not None and d.histology is not None else ("diagnosis.cancer",)
    if (
        NEUROENDOCRINE in v.sites
        and THYROID not in v.sites
        and (d is None or d.histology in (None, Histology.MEDULLARY))
    ):
        # medullary thyroid cancer is a neuroendocrine tumour; a histology not on file may be medullary
        return Finding(None, f"the trial's neuroendocrine tumours may take medullary thyroid cancer (trial is for {names})",
                       path)  # fmt: skip
    return Finding(THYROID in v.sites, f"trial is for {names}" if THYROID not in v.sites else "thyroid cancer", path)


KIND = Kind(FactKind.PRIMARY_SITE, PrimarySiteValues, extract, evaluate, frozenset({"SITE", "HISTOLOGY"}))


# A line that opens the trial to many cancers (`open_to_many`): solid tumours by name, even beside a named site ("Patients
# with refractory solid tumors other than ovarian cancer", NCT00421889; "patients with other solid malignancies will be
# allowed to participate during the dose escalating Phase I part", NCT00411762), and a non-haematological malignancy,
# which is the same many cancers ("... small cell lung cancer (North America & UK) or other non-hematological
# malignancy (North America only).(Phase 1 only)", NCT00445198); any other basket form only where the line names no
# site ("Locally advanced breast cancers ...; locally advanced cancers must be ..." names breast cancer)
_SOLID = lazy_regex(
    r"(?<!criteria\sin\s)(?<!criteria\sfor\s)(?<!criterion\sin\s)\b"
    + _SOLID_WORD
    + r"(?:tumou?rs?|malignanc(?:y|ies)|cancers?)\b|"
    r"\bnon-?hematologic(?:al)?\s+malignanc(?:y|ies)\b",
    re.IGNORECASE,
)
# (the organ-metastases form of `_BASKET`, which keeps the line itself from naming the trial's cancer)
_ORGAN_METASTASES = lazy_regex(
    r"(?:,|\bor)\s+(?:(?:isolated|solitary|unresectable|metastatic)\s+)?(?:liver|hepatic|lung|pulmonary|peritoneal)\s+"
    r"(?:metastas[ie]s|mets)\b(?!\s+(?:are|is|must|should|will|may|allowed|permitted)\b)",
    re.IGNORECASE,
)


def _organ_metastases(text: str) -> re.Match[str] | None:
    """An organ's metastases listed beside a named cancer of the same sentence, as one of the cancers the line takes;
    not a lab line's exception ("... in the presence of radiologically apparent liver metastasis", NCT00048633) nor an
    example of metastatic disease ("(e.g. bone metastases, pelvic mass, nodal, liver or lung metastases)",
    NCT00471718), which name no cancer before it."""
    found = _ORGAN_METASTASES.search(text)
    if found is None:
        return None
    first, _ = _sentence(text, found.start(), found.end())
    return found if site_named(text[first : found.start()]) is not None else None


# not a cancer the patient had or is free of: "No prior chemotherapy for any cancer", "Other primary solid tumor
# curatively treated with no known active disease present" (NCT00115765); "with or without prior therapy" says no
# history: "Phase 1b (only): Diagnosis of one of the following unresectable NSCLC with or without prior therapy
# advanced solid tumor that progressed after standard therapy" (NCT01039948)
_HISTORY_BEFORE = lazy_regex(
    r"\b(?:no|not|(?<!with\sor\s)without|(?<!without\s)prior|previous(?:ly)?|history|except|exception|other\s+primary|"
    r"second(?:ary)?|concurrent|"
    r"for\s+(?:the\s+)?(?:treatment|therapy)|(?:treatment|therapy|treated)\s+(?:for|of))\b",
    re.IGNORECASE,
)
_HISTORY_AFTER = lazy_regex(
    r"^[^.;]{0,80}?\b(?:curatively|with\s+curative\s+intent|disease[- ]free|no\s+(?:known\s+)?(?:active|evidence)|"
    r"in\s+remission|excluded|ineligible|not\s+eligible)\b",
    re.IGNORECASE,
)
# the other basket forms that open a whole trial, where the line names no site: not an organ's metastases or the
# response criteria, which lab and lesion lines name ("AST and ALT <= 2.5 times ULN, independently of liver metastases")
_MANY = lazy_regex(
    r"\bany\s+(?:solid\s+)?(?:tumou?r|cancer|malignancy)\b(?!\s+(?:therapy|treatment|mass|lesion))|"
    r"\b(?:tumou?r|histology)[- ]agnostic\b|\bregardless\s+of\s+(?:tumou?r\s+)?(?:type|histology|origin)\b|"
    # a cancer told by where it lies, of any primary: "Histologically, cytologically, or radiologically confirmed liver
    # dominant or liver only malignancy" (NCT02753881, a TACE trial listed for "liver cancer"; fresh sample 20's
    # AA227); not "liver-dominant disease", which a colorectal trial's line may ask of its own cancer
    r"\b(?:liver|hepatic|bone|brain|lung|pulmonary|peritoneal)[- ](?:dominant|predominant|only)\b"
    r"(?:\s+or\s+[\w-]+[- ](?:dominant|predominant|only))?\s+(?:malignanc(?:y|ies)|cancers?|tumou?rs?)\b|"
    # metastases from any primary: "metastatic to the liver from any primary", "of any histology"
    r"\b(?:from|of)\s+any\s+(?:solid\s+)?(?:primary|origin|histolog\w*)\b|" + _EXPRESSING + r"\b",
    re.IGNORECASE,
)


def opens_to_many(c: Criterion) -> bool:
    """Whether an inclusion line lets patients with many cancers in (a basket or a part of the trial for one)."""
    if c.section is not Section.INCLUSION or any(f.kind is FactKind.OTHER_MALIGNANCY for f in c.facts):
        return False
    text = " ".join(c.text.split())
    if (limited := _limited_sites(text)) is not None and THYROID not in limited.sites:
        return False  # a basket narrowed to a closed list of other cancers (NCT01155258; `_limited_lists`)
    if text.endswith(":"):
        # a lead-in whose sub-items list the tumours: "Histologically confirmed high-risk or relapsed solid tumors or
        # brain tumors, including:" over Ewing's sarcoma, ..., hepatoblastoma (NCT00003926; fresh sample 2's T035)
        return False
    # an organ's metastases from any primary beside its own cancers: "unresectable hepatocellular carcinoma, liver mets
    # with no evidence of extrahepatic disease, or cholangiocarcinoma" (NCT00216437, listed for "cancer of liver"); its
    # "no evidence" is of disease elsewhere, no history
    if (mets := _organ_metastases(text)) is not None and not _in_excluding_sentence(text, mets.start()):
        return True
    found = _SOLID.search(text)
    if found is None and (many := _MANY.search(text) or _ANY_MALIGNANCY.search(text)) and site_named(text) is None:
        found = many  # the other basket forms, where the line names no site (asked only of a line with one of them)
    if found is None or _in_excluding_sentence(text, found.start()):
        return False
    first, last = _sentence(text, found.start(), found.end())
    closed = _CLOSED_LIST.match(text, found.end(), last)
    if closed and (closed.group("colon") is None or site_named(text[closed.end() - 1 : last]) is not None):
        return False  # "solid cancer for which Bevacizumab has an indication: renal cell carcinoma, ..." (NCT02835833)
    return not _HISTORY_BEFORE.search(text, first, found.start()) and not _HISTORY_AFTER.search(text[found.end() :])


# the many cancers then listed, after a colon with no "including" (a closed list; "solid tumors or brain tumors,
# including:" gives examples) when the list names a cancer (not "cancer that expresses MAGE-A3 as assessed by one of
# the following methods: reverse transcription polymerase chain reaction ...", NCT02153905), or those a drug is known
# for: "an advanced solid tumor in which bevacizumab has shown benefit in specific disease population" (NCT02142803). Not "an advanced cancer" either: "Dose Escalation Phase: ...
# diagnosis of an advanced cancer that is refractory to standard therapy" goes on "Irinotecan must be listed in the
# Compendia for reimbursement, ie. colorectal cancer; lung cancer; ..." (NCT01016860, fresh sample 10's Q012)
_CLOSED_LIST = lazy_regex(
    r"(?P<colon>(?:(?!\b(?:including|such\s+as|e\.\s?g)\b)[^:.;]){0,260}:)\s*\S"
    r"|[^.;]{0,40}?\b(?:in|for)\s+which\s+[\w-]+\s+(?:has|have)\s+(?:shown\s+benefit|an?\s+indication)\b",
    re.IGNORECASE,
)


def open_to_many(criteria: list[Criterion]) -> list[Criterion]:
    """A trial with an inclusion line that lets many cancers in ("Phase 1 ONLY: histologically or cytologically
    confirmed advanced/metastatic solid tumors ..." beside "... confirmed extensive-stage disease SCLC", NCT02289690;
    "Inclusion criteria Part A: Participants with histologically-confirmed advanced solid tumors ..." beside Part B's
    glioblastoma and melanoma, NCT01294735; a conditions list of five cancers beside "Metastatic or locally advanced
    refractory/recurrent cancer that expresses MAGE-A3", NCT02153905) is no trial for its other lines' or its
    conditions' cancers alone: a thyroid patient may enter that part. Their primary-site requirements become uncertain
    (-> unknown), never 'trial is for'. Before that, the trial-level site readings (perm22): a histology limited to a
    list of other primaries becomes a site requirement (`_limited_lists`), and the conditions list of a trial whose
    participants need not have the cancer (screening, risk, healthy volunteers) is doubted (`_without_the_cancer`)."""
    criteria = _without_the_cancer(_limited_lists(criteria))
    if not _any_picked(criteria, _site_requirement):
        return criteria  # no site requirement to doubt: no line that lets many cancers in is looked for
    basket = next((c for c in criteria if opens_to_many(c)), None)
    if basket is None:
        return criteria
    doubt = f"another line lets many cancers in ('{shortened(one_line(basket.text), 80)}')"
    return _sites_doubted(criteria, _site_requirement, doubt)


def _site_requirement(f: Fact) -> bool:
    """Whether a primary-site fact is a requirement (the trial is for that site), which `open_to_many` doubts."""
    return f.polarity is Polarity.REQUIRE


def _from_conditions(f: Fact) -> bool:
    return f.rule == "field.conditions"


def _picked(f: Fact, which: Callable[[Fact], bool]) -> bool:
    """Whether `_sites_doubted` doubts the fact: a certain primary-site fact that ``which`` picks."""
    return f.kind is FactKind.PRIMARY_SITE and not f.uncertain and which(f)


def _any_picked(criteria: list[Criterion], which: Callable[[Fact], bool]) -> bool:
    """Whether `_sites_doubted` would doubt any fact of the criteria. Asked first, per trial: the lines that would
    doubt them (a basket line, one that takes people without the cancer) are then looked for only where there is
    something to doubt (most trials hold no fact from a conditions list, many no certain site requirement)."""
    return any(_picked(f, which) for c in criteria for f in c.facts)


def _sites_doubted(criteria: list[Criterion], which: Callable[[Fact], bool], doubt: str) -> list[Criterion]:
    """The criteria with each certain primary-site fact that ``which`` picks doubted (-> unknown) for ``doubt``."""
    changed = list(criteria)
    for c in criteria:
        if any(_picked(f, which) for f in c.facts):
            changed[c.index] = replace(c, facts=tuple(f.doubted(doubt) if _picked(f, which) else f for f in c.facts))
    return changed


_WITHOUT_THE_CANCER = cue("cue.primary_site.without_the_cancer")


def _takes_without_the_cancer(c: Criterion) -> bool:
    """Whether an inclusion line takes people by a screening test, a risk of a cancer or as healthy volunteers, and
    names no cancer they have beside it: not "Patient found on initial MDACC colonoscopy to have CRC or endoscopically
    non-resectable adenoma, most commonly patients undergoing average or high risk (familial, history of adenoma)
    screening colonoscopy." (NCT01816659, a surgery trial for colorectal cancer or adenoma), whose screening tells how
    the tumour was found."""
    if c.section is not Section.INCLUSION or c.source != "text":
        return False
    text = " ".join(c.text.split())
    found = _WITHOUT_THE_CANCER.search(text)
    return found is not None and site_named(text[: found.start()] + " " + text[found.end() :]) is None


def _without_the_cancer(criteria: list[Criterion]) -> list[Criterion]:
    """A trial whose own inclusion line takes people who need not have a cancer (a screening colonoscopy, a risk of the
    cancer, healthy volunteers: cue.primary_site.without_the_cancer) lists the cancer it studies as its condition, not
    one its participants must have: "Patients should have an indication for screening colonoscopy" (NCT02125409, listed
    for "colorectal cancer"). Its conditions-list site requirement becomes uncertain (-> unknown); a site its criteria
    text asks keeps its reading."""
    if not _any_picked(criteria, _from_conditions):
        return criteria
    line = next((c for c in criteria if _takes_without_the_cancer(c)), None)
    if line is None:
        return criteria
    doubt = f"the trial takes people who need not have the cancer ('{shortened(one_line(line.text), 80)}')"
    return _sites_doubted(criteria, _from_conditions, doubt)


def _limited_lists(criteria: list[Criterion]) -> list[Criterion]:
    """Each inclusion line that limits the trial to a closed list of other cancers (`_limited_sites`), with that list
    as its primary-site requirement. Read here, over every line, because the list's items ("lung, breast, ovary,
    ...") are no site mentions the extractor is given lines for."""
    changed = list(criteria)
    for c in criteria:
        if c.section is not Section.INCLUSION or any(f.kind is FactKind.PRIMARY_SITE for f in c.facts):
            continue
        text = " ".join(c.text.split())
        if (limited := _limited_sites(text)) is None or THYROID in limited.sites:
            continue
        values = PrimarySiteValues(limited.sites, tuple(site_name(i) for i in limited.sites))
        fact = make_fact(FactKind.PRIMARY_SITE, Polarity.REQUIRE, values, "rule.primary_site.text",
                         shortened(limited.evidence, 200))  # fmt: skip
        changed[c.index] = replace(c, facts=(*c.facts, fact))
    return changed
