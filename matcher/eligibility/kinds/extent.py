"""Extent of disease: metastatic, locally advanced, advanced ("locally advanced or metastatic", "unresectable"). The
setting of a regimen ("chemotherapy for metastatic disease") and lymph-node lesions are not the patient's extent."""

from __future__ import annotations

import re
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section, Values, shortened
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, lazy_regex
from matcher.eligibility.kinds.brain_metastases import named_as_example
from matcher.eligibility.kinds.progression import group_asked_of
from matcher.eligibility.text import CriterionText, Mention, make_fact, sentence_start
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Diagnosis, Histology, Patient


class ExtentValues(Values, frozen=True):
    any_of: tuple[str, ...]  # metastatic | locally_advanced | advanced
    # the extents are one tumour's adjectives, not alternatives: "an unresectable, distantly metastatic tumor" is a
    # metastatic tumour (that also cannot be resected), so a patient known to have no metastases does not have it
    one_tumour: bool = False
    # metastases of these sites only ("No bony metastases by bone scan"): `SITES`' names; a patient has them when
    # one of the profile's known sites is one of them
    sites: tuple[str, ...] = ()
    # the extent named only as a stage ("No stage IV disease"): "IV", "IVB"; read against the stage on file, since a
    # thyroid cancer's AJCC stage is not its extent alone (differentiated, under 55: distant metastases are stage II)
    stage: str | None = None


_KINDS = {"concept.metastatic": "metastatic", "concept.locally_advanced": "locally_advanced",
          "concept.advanced": "advanced"}  # fmt: skip
_NODES = lazy_regex(r"\s*(?:lymph[- ]?)?nodes?\b|\s+lesions?\s+(?:is|are)\b", re.IGNORECASE)
# A lesion described, not the patient's extent: "no radioiodine uptake in the measured metastatic tumor"
# ("a tissue block from a primary or metastatic tumor resection or biopsy", NCT02684006)
_IN_A_LESION = cue("cue.extent.in_a_lesion")
_LESION_AFTER = lazy_regex(r"\s+(?:tumou?rs?|lesions?|sites?|foci|focus|deposits?)\b", re.IGNORECASE)
# Where a specimen comes from: "wild type in primary tumor or metastatic tissue" (NCT01038037, fresh sample 12 S066)
_SPECIMEN_AFTER = cue("cue.extent.specimen_after")
_ADJUVANT_LIST_BEFORE = cue("cue.extent.adjuvant_list_before")
_SETTING_LIST_AFTER = cue("cue.extent.setting_list_after")


def _in_a_setting_list(c: CriterionText, m: Mention) -> bool:
    """Whether the extent is one of the settings a therapy may have been given in, beside an adjuvant one: "This
    therapy may have been given in a neoadjuvant, adjuvant or metastatic setting" (NCT00471718, fresh sample 12 S021)
    asks no extent of the patient."""
    return bool(
        _ADJUVANT_LIST_BEFORE.search(c.text, max(0, m.start - 80), m.start) and _SETTING_LIST_AFTER.match(c.text, m.end)
    )


# What a therapy was given for, not the patient's disease extent: "one prior chemotherapy regimen for metastatic
# disease", "no prior treatment for advanced or metastatic colorectal cancer"
_GIVEN_FOR = cue("cue.extent.given_for")

# Metastases of one site, not the patient's extent: "No intracranial edema, intracranial metastasis, or active epidural
# disease" (NCT00719901) excludes brain metastases, not every metastatic patient; "Liver metastases" excludes those
_SITED = lazy_regex(
    r"\b(?:intracranial|cranial|brain|cerebral|cns|leptomeningeal|meningeal|liver|hepatic|bone|bony|osseous|skeletal|"
    r"lung|pulmonary|peritoneal|hemoperitoneal|pleural|adrenal|spinal|epidural|subdural|dural|skin|cutaneous|visceral|marrow)"
    r"\s+(?:\([^()]{0,40}\)\s+)?$",
    re.IGNORECASE,
)  # "No bony metastases by bone scan" (NCT00002633), "No history of CNS (central nervous system) metastases"
# ... or after it: "No known primary or metastatic hepatic tumor" (NCT00398047), "life-threatening metastatic visceral
# disease" (NCT02137837), "No metastatic cancer to the ovaries" (NCT00003298); not "metastatic disease in the liver,
# peritoneum, lungs, or paraaortic lymph nodes", a list of the sites that exclude
_SITED_AFTER = lazy_regex(
    r"\s+(?:visceral|hepatic|liver|bone|bony|osseous|brain|cerebral|cns|lung|pulmonary|peritoneal|pleural|ovarian)\b"
    r"|(?:\s+(?:cancer|disease|tumou?rs?|carcinoma|lesions?))?\s+to\s+(?:the\s+)?(?!distant\b|other\b)(?:[\w-]+\s+)?"
    r"(?:ovar\w*|liver|brain|bones?|lungs?|peritoneum|pleura|skin|adrenals?)\b",
    re.IGNORECASE,
)


# What may stand beside the extent in an exclusion that is about the extent alone: "Metastatic (M1) or stage IV
# disease", "Findings of metastatic disease."
_BARE = lazy_regex(
    r"(?:[\W_]|\b(?:findings?|evidence|presence|known|history|diagnosis|patients?|subjects?|participants?|with|of|or|"
    r"and|disease|cancer)\b)*",
    re.IGNORECASE,
)
_BRACKETS = lazy_regex(r"\([^()]*\)")
_ONE_TUMOUR = lazy_regex(r"unresectable,\s+(?:distantly\s+)?metastatic", re.IGNORECASE)
_STAGE = lazy_regex(r"stage\s+(IV[ABC]?)", re.IGNORECASE)  # concept.metastatic's stage names
_SUBSTAGE = lazy_regex(r"\bIV[ABC]\b", re.IGNORECASE)
_PATIENT_STAGE = lazy_regex(
    r"^\s*(?:(?:AJCC|TNM|clinical|pathologic(?:al)?)\s+)*(?:stage\s*)?(IV|I{1,3})([ABC])?\b", re.I
)


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    if any(m.label == "LAB" for m in c.mentions):
        return []
    if c.section is not Section.INCLUSION and not _about_extent_alone(c):
        return []  # exclusions name metastases in many settings ("metastases to the liver", "metastatic to bone")
    brain = [m for m in c.mentions if m.id == "concept.brain_metastases" and not named_as_example(c, m)]
    if brain or c.has("concept.other_malignancy"):
        return []  # "treated brain metastases": the brain kind's (an example, "including ... brain metastases", is not)
    mentions = [
        m for m in c.mentions
        if m.id in _KINDS and not c.excepted(m) and not _NODES.match(c.text, m.end)
        and not _GIVEN_FOR.search(c.text, max(0, m.start - 40), m.start)
        and not (_LESION_AFTER.match(c.text, m.end) and _IN_A_LESION.search(c.text, max(0, m.start - 40), m.start))
        and not _SPECIMEN_AFTER.match(c.text, m.end) and not _in_a_setting_list(c, m)
    ]  # fmt: skip
    # "no prior chemotherapies for the treatment of metastatic disease": what a forbidden therapy was for (a required
    # therapy for metastatic disease does imply it: "must have received >= 1 prior regimen for metastatic disease");
    # every name of the list goes ("for advanced or locally advanced pancreatic cancer")
    targets = [m for m in mentions if c.therapy_target(m)]
    if any(c.polarity(m) is not c.default_polarity for m in targets):
        mentions = [m for m in mentions if m not in targets]
    # ... and the setting, target, cause or history of something else, or a condition, in the other phrasings of
    # `_not_the_patients`
    others = [m for m in mentions if _not_the_patients(c, m)]
    if any(c.polarity(m) is not c.default_polarity for m in others):
        mentions = [m for m in mentions if m not in others]
    # ... and another organ's cancer's extent excluded: "No evidence of or history of metastatic adenocarcinoma of
    # the prostate" (NCT00788307, sample 10 Q017); with the names listed beside it ("No metastatic or locally
    # advanced breast cancer")
    cancers = [m for m in mentions if _OTHER_PRIMARY_AFTER.match(c.text, m.end)]
    if any(polarity(c, m) is not c.default_polarity for m in cancers):
        mentions = [m for m in mentions if m not in cancers]
    if not mentions:
        return []
    if c.section is Section.INCLUSION:
        # a site's metastases excluded in an inclusion ("No intracranial metastasis") do not exclude every metastasis
        # ("Serum transaminases <= 2.5xUNL in absence of liver metastases, or <= 5xUNL in presence of liver
        # metastases": neither of its site's mentions is the patient's extent)
        sited = [m for m in mentions if _SITED.search(c.text, max(0, m.start - 60), m.start)
                 or _SITED_AFTER.match(c.text, m.end) or _SITE_LIST.match(c.text, m.end)]  # fmt: skip
        if any(c.polarity(m) is not c.default_polarity for m in sited):
            mentions = [m for m in mentions if m not in sited]
            if not mentions:
                # "No bony metastases by bone scan" (NCT00002633): that site's metastases, read against the profile's
                # sites; a site the profile cannot name (brain: the brain kind's; "visceral") is not read
                sites = _sites_of(c, sited)
                opened = c.opens_with_no(sited[0]) or _MUST_HAVE_NO.search(c.text, 0, sited[0].start)
                metastases = all(m.id == "concept.metastatic" for m in sited)
                if not sites or not metastases or not opened or _LIMITED.search(c.clause_text(sited[0].start)):
                    # "3 x ULN without liver metastases" (NCT00709618): a lab limit's condition; "evidence of liver
                    # metastases estimated as involving > one third of the liver" (NCT00934895): a limit not read
                    return []
                evidence = ", ".join(dict.fromkeys(m.text for m in sited))
                values = ExtentValues(("metastatic",), sites=sites)
                return [make_fact(FactKind.DISEASE_EXTENT, Polarity.EXCLUDE, values, sited[0].id, evidence)]
            if any(_PERMITTED.search(c.text, m.end, c.clause(m.start)[1]) for m in mentions):
                # "Patients with presence of life-threatening metastatic visceral disease ... are not eligible.
                # Patients with discrete pulmonary parenchymal metastases are eligible" (NCT02137837): a permission
                # beside a site's exclusion, not a requirement of metastatic disease
                return []
        if not mentions:
            return []
    extents = tuple(dict.fromkeys(_KINDS[m.id] for m in mentions))
    evidence = ", ".join(dict.fromkeys(m.text for m in mentions))
    staged = [_STAGE.fullmatch(m.text) for m in mentions]
    if _ONE_TUMOUR.fullmatch(c.text, mentions[0].start, mentions[-1].end) and extents[-1] == "metastatic":
        values = ExtentValues(("metastatic",), one_tumour=True)
    elif all(staged) and len({s.group(1).upper() for s in staged if s}) == 1 and staged[0]:
        # "No stage IV disease" (NCT00093756, sample 10 Q007): a stage, which the text does not equate with an extent
        # ("Metastatic (M1) or stage IV disease" does, and stays the metastatic extent)
        stage = staged[0].group(1).upper()
        if len(stage) > 2 and len(_SUBSTAGE.findall(c.text)) > 1:
            stage = "IV"  # "Stage IVB or IVC disease": several substages, read as stage IV
        values = ExtentValues(extents, stage=stage)
    else:
        values = ExtentValues(extents)
    narrowed = next((m for m in mentions if _RESECTABLE_AFTER.match(c.text, m.end)
                     or _RESECTABLE_BEFORE.search(c.text, max(0, m.start - 25), m.start)), None)  # fmt: skip
    uncertain = None
    first = mentions[0]
    fact_polarity = polarity(c, first)
    excluded = fact_polarity is Polarity.EXCLUDE  # a limit or a narrowing matters only to an exclusion
    if narrowed is not None:
        # "No locally recurrent resectable disease" (NCT01013506, sample 5 K041): only the disease that can still be
        # resected, which the extent values do not tell apart from an unresectable one
        uncertain = f"the extent is narrowed to resectable disease ({narrowed.text!r}), which is not read"
    elif excluded and (
        counted := next((m for m in mentions if _COUNT_BEFORE.search(c.text, max(0, m.start - 40), m.start)), None)
    ):
        # "Patient's disease may not involve more than 3 metastatic sites" (NCT00216047): a limit on the number of
        # sites, which the profile may not list completely
        uncertain = f"a limit on the number of metastatic sites or lesions ({counted.text!r}) is not read"
    elif excluded and (narrowed_to := next((m for m in mentions if _NARROWED_AFTER.match(c.text, m.end)), None)):
        # "No patients with locally advanced disease for whom radiotherapy is indicated" (NCT01313390)
        uncertain = (
            f"the extent is narrowed to some of the patients who have it ({narrowed_to.text!r}), which is not read"
        )
    elif excluded and (candidacy := next((m for m in mentions if _CANDIDACY_AFTER.match(c.text, m.end)), None)):
        # "No locally advanced disease AND a candidate for radical surgery" (NCT01005199, sweep S17-048): the
        # candidates for a treatment only, or a second requirement beside the exclusion; which is unclear
        uncertain = f"the extent is joined to a candidacy for a treatment ({candidacy.text!r}, ...), which is not read"
    elif (group := group_asked_of(c.text[sentence_start(c.text, first.start) : first.start])) is not None:
        # "For <a group or a disease>, ...", "<marker>-positive patients ...": asked of that group only (prog16)
        uncertain = f"the extent is asked of a group of patients only ({shortened(group, 60)!r})"
    elif _two_negations(c, first):
        # "Patients with PSA >= 5 ng/ml only and no other radiographic evidence of metastatic prostate cancer were not
        # eligible" (NCT00439270): a negation and an exclusion in one clause ask for the extent, or for more than it
        uncertain = "two negations around the extent ('no ... not eligible'): required or excluded is unclear"
    elif values.stage and not excluded and (other := _STAGE_ALTERNATIVE.search(c.text)):
        # "Stage IIIB with pleural effusion or stage IV disease" (NCT00030407), "Stage IV, or Recurrent NSCLC"
        # (NCT02041533): the stage is one way in; the other (an earlier stage with its qualifier, recurrent disease)
        # is not read, and a thyroid patient with recurrent disease may be at an earlier stage (under 55 with distant
        # metastases: stage II), so the stage alone cannot violate
        way_in = shortened(" ".join(c.text[other.start() :].split()), 60)
        uncertain = f"stage {values.stage} is one way in; another is not read ({way_in!r})"
    elif not excluded and (recurrence := recurrence_alternative(c.text, mentions)) is not None:
        # "Recurrent or metastatic SCCHN" (NCT02054442), "Locally advanced, metastatic, or recurrent disease"
        # (NCT00281996): recurrent (persistent, residual, relapsed, refractory) disease is another way in, which the
        # profile does not record, and a thyroid patient with neither metastases nor an unresectable tumour may have it
        # (RAI-refractory disease is persistent or recurrent after radioiodine): the extent alone cannot violate
        word = recurrence.group(0).lower()
        way_in = shortened(" ".join(c.text[recurrence.start() :].split()), 60)
        what = "locoregional disease" if word.startswith("loco") else "recurrence"
        uncertain = f"{what} not on file: {word!r} disease is a way in ({way_in!r})"
    return [make_fact(FactKind.DISEASE_EXTENT, fact_polarity, values, first.id, evidence, uncertain)]


# Context cues of the extent (matcher/knowledge/cues.json): the setting of a therapy after the extent, the target,
# cause or history of something else before it, a condition or permission before it, a limit on the number of sites,
# a narrowing relative clause after it, and negations that are a candidacy, not a negation of the disease
_SETTING_AFTER = cue("cue.extent.setting_after")
_TARGET_BEFORE = cue("cue.extent.target_before")
_CONDITION_BEFORE = cue("cue.extent.condition_before")
_NARROWED_AFTER = cue("cue.extent.narrowed_after")
_CANDIDACY_AFTER = cue("cue.extent.candidacy_after")  # "No locally advanced disease AND a candidate for ..." (prog16)
_COUNT_BEFORE = cue("cue.extent.count_before")
_NOT_A_NEGATION = cue("cue.candidacy.not_a_negation")
_PERMITTED = cue("cue.permission")
_NOT_ELIGIBLE = cue("cue.extent.not_eligible")
_STAGE_ALTERNATIVE = cue("cue.extent.stage_alternative")  # an earlier stage or recurrence beside stage IV
# Another organ's cancer after the extent: "No evidence of or history of metastatic adenocarcinoma of the prostate"
# (NCT00788307, sample 10 Q017) excludes that cancer gone metastatic, which a thyroid patient does not have
_OTHER_PRIMARY_AFTER = cue("cue.extent.other_primary_after")


def _not_the_patients(c: CriterionText, m: Mention) -> bool:
    """Whether the extent is the setting of a therapy ("No prior treatment with cisplatin in the metastatic
    setting"), the target, cause or history of something else ("No prior thalidomide for stage IV disease", "No
    refractory pain secondary to metastatic disease", "No previously resected extrahepatic metastases") or lies in a
    condition or a permission ("For patients without clinical metastasis treated by surgery, ..."). Asked only of a
    negated extent: a required therapy for metastatic disease does imply it."""
    return bool(
        _SETTING_AFTER.match(c.text, m.end)
        or _TARGET_BEFORE.search(c.text, max(0, m.start - 120), m.start)
        or _CONDITION_BEFORE.search(c.text, c.clause(m.start)[0], m.start)
    )


# The sites a profile's `diagnosis.metastatic_sites` can name, each with the words that name it in a criterion and in a
# profile ("bony", "hepatic", "ovaries", "adrenal glands"); brain and CNS metastases are the brain kind's
SITES = {
    "bone": r"bon[ey]s?|osseous|skeletal",
    "liver": r"liver|hepatic",
    "lung": r"lungs?|pulmonary",
    "pleura": r"pleura[el]?",
    "peritoneum": r"peritone(?:um|al)",
    "adrenal": r"adrenals?",
    "skin": r"skin|cutaneous",
    "ovary": r"ovar(?:y|ies|ian)",
}
_SITE_WORDS = [(site, lazy_regex(rf"\b(?:{words})\b", re.IGNORECASE)) for site, words in SITES.items()]
_NOT_A_SITE = lazy_regex(r"\bmarrow\b", re.IGNORECASE)  # "bone marrow" is not bone


# A number or a limit in the clause: the site's metastases are bounded ("involving > one third of the liver"), or the
# clause is a lab limit's condition
_LIMITED = lazy_regex(r"\d|[<>≤≥%]|\binvolv\w*|\b(?:more|greater|less|fewer)\s+than\b|\bULN\b", re.I)
# A site adjective that names the primary cancer, not where the metastases are: "stage IV ovarian epithelial cancer"
_PRIMARY_AFTER = lazy_regex(r"\s+(?:[\w-]+\s+)?(?:cancer|carcinoma|adenocarcinoma|neoplasm)\b", re.I)


_SITE_ITEM = r"(?:[\w-]+\s+){0,2}?(?:bones?|liver|lungs?|pleura|peritoneum|adrenals?(?:\s+glands?)?|skin|ovar(?:y|ies)|(?:lymph\s+)?nodes?)"
# A list of the sites after the extent, to the end of the sentence: "metastatic disease in the liver, peritoneum, lungs,
# or paraaortic lymph nodes."
_SITE_LIST = lazy_regex(
    rf"(?:\s+(?:disease|cancer))?\s+(?:in|to|involving)\s+(?:the\s+)?(?P<items>{_SITE_ITEM}(?:\s*,\s*(?:(?:or|and)\s+)?"
    rf"{_SITE_ITEM}|\s+(?:or|and|and/or)\s+{_SITE_ITEM})+)\s*(?:[.;]|$)",
    re.IGNORECASE,
)
_LIST_SPLIT = lazy_regex(r"\s*,\s*(?:(?:or|and)\s+)?|\s+(?:or|and|and/or)\s+", re.IGNORECASE)
_NODE = lazy_regex(r"\bnodes?\b", re.IGNORECASE)
_MUST_HAVE_NO = cue("cue.extent.must_have_no")


def site_of(name: str) -> str | None:
    """The site (`SITES`) a profile's or a criterion's words name, if exactly one."""
    if _NOT_A_SITE.search(name):
        return None
    found = {site for site, words in _SITE_WORDS if words.search(name)}
    return found.pop() if len(found) == 1 else None


def _sites_of(c: CriterionText, sited: list[Mention]) -> tuple[str, ...]:
    """The sites of the mentions `_SITED` or `_SITED_AFTER` found, or () when one of them names another place."""
    sites: list[str] = []
    for m in sited:
        if listed := _SITE_LIST.match(c.text, m.end):
            # "no distant metastatic disease in the liver, peritoneum, lungs, or paraaortic lymph nodes" (NCT00503932):
            # every item a site, lymph nodes (which the profile's names do not tell apart) read as no site
            items = [i for i in _LIST_SPLIT.split(listed.group("items")) if i.strip() and not _NODE.search(i)]
            found = [site_of(i) for i in items]
            if not found or None in found:
                return ()
            sites.extend(s for s in found if s is not None)
            continue
        before = _SITED.search(c.text, max(0, m.start - 60), m.start)
        after = _SITED_AFTER.match(c.text, m.end)
        if after and not before and _PRIMARY_AFTER.match(c.text, after.end()):
            return ()  # "metastatic ovarian epithelial cancer": the primary's site
        words = _BRACKETS.sub(" ", before.group(0)) if before else after.group(0) if after else ""
        site = site_of(words)
        if site is None:
            return ()
        sites.append(site)
    return tuple(dict.fromkeys(sites))


def _own_negations(c: CriterionText, m: Mention) -> list[tuple[int, int]]:
    """The negation cues before the mention that negate it: not one inside a parenthesis closed before it ("archival
    FFPE tumor tissue block (not cut slides) from a primary or metastatic tumor", NCT02684006; "(stage IIIb/c not
    responding ...) or stage IV", NCT01361945), nor one that overlaps it ("HCC that is not amenable to surgical
    resection", NCT00712790), nor one that is a candidacy ("not surgically resectable or metastatic sarcomas")."""
    low, _ = c.clause(m.start)
    return [
        (a, b) for a, b in c.negations
        if low <= a < m.start and b <= m.start and c.in_scope(a, b, m)
        and not _closed_between(c.text, a, m.start) and not _NOT_A_NEGATION.match(c.text, a)
    ]  # fmt: skip


def _closed_between(text: str, start: int, end: int) -> bool:
    """Whether a parenthesis open at ``start`` closes before ``end``."""
    depth = 0
    for char in text[start:end]:
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return True
    return False


def polarity(c: CriterionText, m: Mention) -> Polarity:
    """The mention's polarity (`CriterionText.polarity`), but a negation that is not the disease's own
    (`_own_negations`; a post-negation that is a candidacy: "Inoperable HCC which is not eligible for locoregional
    therapy", NCT02029157) leaves the section's default."""
    found = c.polarity(m)
    if found is c.default_polarity or c.section is not Section.INCLUSION:
        return found
    _, high = c.clause(m.start)
    post = [cue for cue in c.post_negations if m.end <= cue < high]
    if post and all(_NOT_A_NEGATION.match(c.text, cue) for cue in post) and not _own_negations(c, m):
        return c.default_polarity
    if not post and c.negating_cues(m) and not _own_negations(c, m):
        return c.default_polarity
    return found


def _two_negations(c: CriterionText, m: Mention) -> bool:
    _, high = c.clause(m.start)
    return bool(_own_negations(c, m)) and bool(_NOT_ELIGIBLE.search(c.text, m.end, high))


# An extent that can still be removed: "locally recurrent resectable disease", "resectable locally advanced"
_RESECTABLE_AFTER = lazy_regex(
    r"\s*(?:and\s+|but\s+)?(?:(?:potentially|surgically)\s+)?(?:resectable|operable|amenable\s+to\s+"
    r"(?:curative\s+)?(?:surgery|resection))\b",
    re.IGNORECASE,
)
_RESECTABLE_BEFORE = lazy_regex(r"(?<!un)(?<!non-)(?<!non)\b(?:resectable|operable)\s*(?:,\s*)?$", re.IGNORECASE)


# A recurrence word (`recurrence_alternative`); "refractory" alone, not a therapy's ("RAI-refractory", "refractory to
# radioiodine", "hormone refractory": a word before it names what the disease is refractory to); not a time ("Stage IV
# disease at primary diagnosis or at relapse after curative-intent surgery", NCT00709618, asks stage IV at relapse)
_RECURRENCE = lazy_regex(
    r"(?<!\bat )(?<!\btime of )\b(?:recurr(?:ent|ence|ing|ed)|relaps(?:ed|e|ing)|persist(?:ent|ed|ing)|residual|"
    r"(?<![-/])(?<!\bRAI )(?<!iodine )(?<!hormone )refractory(?!\s+to\b)|loco-?regional)\b",
    re.IGNORECASE,
)  # ... and locoregional disease, which the profile does not record either ("Have locoregional and/or metastatic
# disease that has failed to respond to ... chemotherapy", NCT00392665: a neck recurrence is a way in; loco26)
_EXTENT_WORD = r"(?:metasta\w*|advanced|unresectable|non-?resectable|inoperable|M1\b|stage\s+IV[ABC]?\b)"
# What joins two alternatives: "or", "and/or", "/", a comma; an item of a list between ("metastatic, unresectable,
# progressive, or recurrent"); an enumeration ("1) unresectable 2)locally recurrent, or 3) metastatic disease")
_JOIN = r"(?P<join>\s*,\s*(?:or\s+|and/or\s+)?|\s+(?:or|and/or)\s+|\s*/\s*)"
_ITEMS = r"(?:\s*,\s*(?!(?:or|and)\b)[\w-]+(?:\s+(?!(?:or|and)\b)[\w-]+){0,2})*?"
_ENUMERATION = r"(?:\(?(?:\d|[a-c])\)\s*)?"
# A clause that narrows the recurrence to what no cure is offered for, which the profile does not decide either
# ("Recurrent and/or metastatic SCCHN, not suitable for local therapy", "recurrent disease not amenable to curative
# treatment with local or systemic therapy, or metastatic", NCT02252042)
_NO_CURE = (
    r"(?:\s+(?:that\s+is\s+|which\s+is\s+)?(?:not\s+amenable|not\s+suitable|unsuitable|unfit|not\s+eligible)\s+"
    r"(?:to|for)\b[^;()]{0,80}?)?"
)
# The extent after the recurrence: "Recurrent or metastatic", "Recurrent or persistent local disease and/or distant
# metastases" (NCT01736878), "recurrent (Stage IIIB ...) or metastatic"
_EXTENT_AFTER = lazy_regex(
    rf"(?:\s+(?:local|locoregional|regional))?(?:\s+(?:disease|cancer|tumou?rs?|lesions?))?{_NO_CURE}"
    rf"(?:\s*\([^()]{{0,100}}\))?\)?{_ITEMS}{_JOIN}{_ENUMERATION}(?:[\w-]+\s+){{0,2}}?{_EXTENT_WORD}",
    re.IGNORECASE,
)
# ... or before it: "Metastatic or locally recurrent disease", "Metastatic or chest wall recurrent disease",
# "locally advanced/metastatic disease (i.e., newly diagnosed Stage IV RCC ...) or has recurrent disease" (NCT02853331),
# "Stage IV advanced non-small cell lung cancer or recurrent disease after previous surgery" (NCT00411593), "Locally
# advanced (stage T3 or T4) prostate cancer or Relapsing prostate cancer following radical prostatectomy" (NCT00378690)
_EXTENT_BEFORE = lazy_regex(
    rf"{_EXTENT_WORD}\w*(?:\s+(?!(?:or|and|with|that|which|who|for)\b)[\w-]+|\s*\([^()]{{0,100}}\)){{0,5}}?\)?"
    rf"{_ITEMS}{_JOIN}\(?{_ENUMERATION}(?:(?!(?:or|and)\b)[\w-]+\s+){{0,4}}?$",
    re.IGNORECASE,
)
# A comma list goes on to an "or" ("Recurrent, metastatic, locally advanced unresectable, or treatment-refractory
# disease"), not a list of adjectives ("Advanced, progressive, recurrent epithelial ovarian ... carcinoma")
_LIST_GOES_ON = lazy_regex(
    r"(?:\s*,\s*(?:[\w-]+\s+){0,2}[\w-]+)*\s*,?\s+(?:or|and/or)\b|\s*/",
    re.IGNORECASE,
)
# A recurrence that is the extent's adjective, not another way in: "Recurrent advanced disease" (NCT00303888),
# "recurrent metastatic pancreatic adenocarcinoma" (NCT02734160), "Locally recurrent and unresectable" (NCT02973997)
_QUALIFIES_EXTENT = lazy_regex(
    r"\s+(?:and\s+)?(?:(?:locally|loco-?regionally|distantly|regionally)\s+)?(?:advanced|metasta|unresectable|"
    r"non-?resectable|inoperable)",
    re.IGNORECASE,
)
# A recurrence that must be unresectable, which the profile's unresectable tumour decides: "Unresectable locoregional
# recurrent or metastatic soft tissue sarcoma" (NCT00699517), "locally recurrent disease must not be amenable to
# surgery or radiation with curative intent" (NCT01265927)
_UNRESECTABLE_BEFORE = lazy_regex(
    r"\b(?:unresectable|non-?resectable|inoperable)\s+(?:(?:locally|local|loco-?regional(?:ly)?|regional(?:ly)?)\s+)?$",
    re.IGNORECASE,
)  # ... "Evidence of inoperable local recurrence or metastasis" (NCT00077246)
# ... "Metastatic or locally recurrent disease that is, in the opinion of the investigator, not amenable to resection or
# radiation therapy" (NCT00471276), "advanced/locally recurrent Medullary Thyroid Cancer not appropriate for surgical
# resection" (NCT00215605); not "not amenable to curative therapy", which a recurrence in the neck that a surgeon
# would not operate on again may be without an unresectable tumour on file
_UNRESECTABLE_RECURRENCE = lazy_regex(
    r"\brecurren\w*(?:\s+(?!(?:or|and)\b)[\w-]+){0,3}?\s+(?:must\s+not\s+be|(?:(?:that|which)\s+(?:is|are)\b[^.;]{0,50}?\s)?"
    r"not)\s+(?:amenable|appropriate|suitable)\s+(?:to|for)\s+(?:surgery|(?:surgical\s+)?resection|curative\s+"
    r"(?:surgery|resection))",
    re.IGNORECASE,
)
# The extent's noun, not another way in: "had metastatic recurrence within 6 months of adjuvant endocrine therapy"
# (NCT01240928)
_EXTENT_ADJECTIVE_BEFORE = lazy_regex(r"\b(?:metastatic|distant)\s+$", re.IGNORECASE)


def recurrence_alternative(text: str, mentions: list[Mention]) -> re.Match[str] | None:
    """A recurrence word that is a way in which the profile does not decide: another way in beside an extent
    ("Recurrent or metastatic disease"), joined to it by "or", "and/or", "/" or a comma in a list that goes on to an
    "or", or an extent named by its recurrence ("Metastatic or locally recurrent disease": a locally recurrent tumour
    need not be unresectable). None when every recurrence word is the extent's adjective ("Recurrent advanced disease")
    or must be unresectable ("Unresectable locoregional recurrent or metastatic")."""
    if _UNRESECTABLE_RECURRENCE.search(text):
        return None
    for found in _RECURRENCE.finditer(text):
        start, end = found.span()
        if (
            _QUALIFIES_EXTENT.match(text, end)
            or _UNRESECTABLE_BEFORE.search(text, max(0, start - 40), start)
            or _EXTENT_ADJECTIVE_BEFORE.search(text, max(0, start - 20), start)
        ):
            continue
        stop = text.find(".", end)
        if _NOT_ELIGIBLE.search(text, end, len(text) if stop < 0 else stop):
            continue  # "Subjects with only locally persistent or only locally recurrent disease are not eligible"
        if any(m.start <= start and end <= m.end for m in mentions):
            return found  # "locally recurrent", "locoregional recurrence": the extent's own name
        after = _EXTENT_AFTER.match(text, end)
        if after and (after.group("join").strip() != "," or _LIST_GOES_ON.match(text, after.end())):
            return found
        before = _EXTENT_BEFORE.search(text, max(0, start - 200), start)
        if before and (before.group("join").strip() != "," or _LIST_GOES_ON.match(text, end)):
            return found
    return None


def _about_extent_alone(c: CriterionText) -> bool:
    """Whether the criterion names nothing but an extent of disease ("Findings of metastatic disease."): then an
    exclusion excludes that extent."""
    extents = [m for m in c.mentions if m.id in _KINDS]
    if not extents:
        return False  # most exclusions: nothing to read, and nothing to strip
    unbracketed = _BRACKETS.sub(" ", c.text)
    text = unbracketed
    for m in extents:
        text = text.replace(m.text, " ")
    return text != unbracketed and bool(_BARE.fullmatch(text))  # an extent outside brackets, and nothing else


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, ExtentValues)
    d = p.diagnosis
    if v.sites:
        return _at_sites(v.sites, d)
    if v.stage:
        return _at_stage(v.stage, p, on, fact.polarity is Polarity.REQUIRE)
    wanted = set(v.any_of)
    metastatic = bool(d and d.metastatic_sites)
    local = bool(d and d.locally_advanced_unresectable)
    trial = " or ".join(w.replace("_", " ") for w in v.any_of)
    by_metastases = metastatic and bool({"metastatic", "advanced"} & wanted)
    if by_metastases or (local and ({"locally_advanced", "advanced"} & wanted)):
        # the reason names the extent that matched: a metastatic patient who is also locally advanced has "locally
        # advanced" by the latter (sweep S17-048's reason said "metastatic disease (trial: locally advanced)")
        what = "metastatic" if by_metastases else "locally advanced, unresectable"
        paths = ("diagnosis.metastatic_sites",) if by_metastases else ("diagnosis.locally_advanced_unresectable",)
        return Finding(True, f"{what} disease (trial: {trial})", paths)
    if v.one_tumour and d is not None and d.metastatic_sites == ():
        return Finding(
            False, "no metastases (trial: an unresectable, metastatic tumour)", ("diagnosis.metastatic_sites",)
        )
    if d is not None and d.metastatic_sites == () and d.locally_advanced_unresectable is False:
        return Finding(
            False,
            f"no metastases and not locally advanced (trial: {trial})",
            ("diagnosis.metastatic_sites", "diagnosis.locally_advanced_unresectable"),
        )
    return Finding(None, "extent of disease not on file", missing="extent of disease (metastatic sites)")


def _at_stage(stage: str, p: Patient, on: date, required: bool) -> Finding:
    """A stage named as the extent ("No stage IV disease"), read against the stage on file; without one, by the
    thyroid cancer's AJCC (8th edition) staging where it is certain: anaplastic carcinoma is stage IV; medullary with
    distant metastases is IVC; differentiated is stage IV only with distant metastases at 55 or older at diagnosis
    (under 55: stage II) or a T4b tumour (read as locally advanced, unresectable). A stage that differs, for a patient
    with distant metastases, leaves a required stage IV unknown (the text may mean metastatic disease by it)."""
    trial = f"stage {stage}"
    d = p.diagnosis
    if d is None:
        return Finding(None, f"diagnosis not on file (trial: {trial})", missing="stage of disease")
    distant = d.metastatic_sites is not None and any(not _NODE.search(site) for site in d.metastatic_sites)
    if d.stage:
        found = _PATIENT_STAGE.match(d.stage)
        if found is None:
            return Finding(None, f"stage {d.stage} not read (trial: {trial})", missing="stage of disease")
        roman, letter = found.group(1).upper(), (found.group(2) or "").upper()
        if roman == "IV" and len(stage) > 2 and not letter:
            return Finding(None, f"stage {d.stage}, substage not on file (trial: {trial})", missing="stage of disease")
        has: bool | None = roman == "IV" and (len(stage) == 2 or letter == stage[2])
        shown = f"stage {d.stage} (trial: {trial})"
        paths: tuple[str, ...] = ("diagnosis.stage",)
    else:
        has = None if len(stage) > 2 else _thyroid_stage_iv(p, on, distant)
        shown = f"stage not on file, {'distant metastases' if distant else 'no distant metastases'} (trial: {trial})"
        paths = ("diagnosis.histology", "diagnosis.metastatic_sites")
    if has is False and required and distant:
        return Finding(None, f"{shown}, which may mean metastatic disease",
                       missing="whether the trial's stage means metastatic disease")  # fmt: skip
    if has is None:
        return Finding(None, f"{shown}; a thyroid cancer's stage is not its extent alone", missing="stage of disease")
    return Finding(has, shown, paths)


def _thyroid_stage_iv(p: Patient, on: date, distant: bool) -> bool | None:
    """Whether the thyroid cancer is AJCC stage IV, where the profile makes it certain (`_at_stage`)."""
    d = p.diagnosis
    if d is None or d.histology is None:
        return None
    if d.histology is Histology.ANAPLASTIC:
        return True
    if d.histology is Histology.MEDULLARY:
        return True if distant else None
    if d.histology not in _DIFFERENTIATED:
        return None
    if not distant:
        known_free = d.metastatic_sites is not None and d.locally_advanced_unresectable is False
        return False if known_free else None
    # AJCC 8 stages a differentiated cancer by the age at diagnosis: 55 or older with distant metastases is IVB,
    # younger is stage II
    ages = _age_at_diagnosis(p, on)
    if ages is None:
        return None
    youngest, oldest = ages
    return False if oldest < 55 else True if youngest >= 55 else None


# Without a diagnosis date, the age at diagnosis is taken as at most this many years under the age today: a patient
# under 55 today was under 55 then (stage II); one of 55 to 64 may have been diagnosed before 55 (undecided); P032,
# a 75-year-old with adrenal metastases, is stage IV (a judgement: a differentiated cancer found over ten years
# before its distant metastases is not impossible)
_YEARS_SINCE_DIAGNOSIS = 10


def _age_at_diagnosis(p: Patient, on: date) -> tuple[int, int] | None:
    """The youngest and oldest the patient can have been at diagnosis: exact from the birth and diagnosis dates; from
    an age on file (today's) and the diagnosis date, within a year; without a diagnosis date, `_YEARS_SINCE_DIAGNOSIS`
    under today's age."""
    d = p.diagnosis
    diagnosed = d.diagnosed_on if d else None
    if diagnosed is not None and p.birth_date is not None:
        years = p.age_on(diagnosed)
        return None if years is None else (years, years)
    today = p.age_on(on)
    if today is None:
        return None
    if diagnosed is not None:
        elapsed = on.year - diagnosed.year
        return today - elapsed - 1, today - elapsed + 1
    return today - _YEARS_SINCE_DIAGNOSIS, today


_DIFFERENTIATED = {Histology.PAPILLARY, Histology.FOLLICULAR, Histology.ONCOCYTIC, Histology.POORLY_DIFFERENTIATED}


def _at_sites(sites: tuple[str, ...], d: Diagnosis | None) -> Finding:
    """Metastases at one of the sites: present when a known site of the profile is one of them, absent when the
    profile lists no metastases, unknown otherwise (a site not listed is not known to be free of metastases)."""
    trial = " or ".join(sites)
    if d is None or d.metastatic_sites is None:
        return Finding(None, f"metastatic sites not on file (trial: metastases in {trial})", missing="metastatic sites")
    if d.metastatic_sites == ():
        return Finding(False, f"no metastases (trial: metastases in {trial})", ("diagnosis.metastatic_sites",))
    found = [s for s in d.metastatic_sites if site_of(s) in sites]
    if found:
        return Finding(True, f"metastases in {', '.join(found)} (trial: metastases in {trial})",
                       ("diagnosis.metastatic_sites",))  # fmt: skip
    return Finding(
        None, f"metastases in {trial} not known (trial: metastases in {trial})", missing=f"metastases in {trial}"
    )


KIND = Kind(FactKind.DISEASE_EXTENT, ExtentValues, extract, evaluate, frozenset(_KINDS))
