"""Extent of disease: metastatic, locally advanced, advanced ("locally advanced or metastatic", "unresectable"). The
setting of a regimen ("chemotherapy for metastatic disease") and lymph-node lesions are not the patient's extent."""

from __future__ import annotations

import re
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Section, Values
from matcher.eligibility.kinds.base import Finding, Kind, lazy_regex
from matcher.eligibility.kinds.brain_metastases import named_as_example
from matcher.eligibility.text import CriterionText, make_fact
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient


class ExtentValues(Values, frozen=True):
    any_of: tuple[str, ...]  # metastatic | locally_advanced | advanced
    # the extents are one tumour's adjectives, not alternatives: "an unresectable, distantly metastatic tumor" is a
    # metastatic tumour (that also cannot be resected), so a patient known to have no metastases does not have it
    one_tumour: bool = False


_KINDS = {"concept.metastatic": "metastatic", "concept.locally_advanced": "locally_advanced",
          "concept.advanced": "advanced"}  # fmt: skip
_NODES = lazy_regex(r"\s*(?:lymph[- ]?)?nodes?\b|\s+lesions?\s+(?:is|are)\b", re.IGNORECASE)
# A lesion described, not the patient's extent: "no radioiodine uptake in the measured metastatic tumor"
_IN_A_LESION = lazy_regex(
    r"\b(?:in|of|to|within|from)\s+(?:the\s+|a\s+|any\s+|all\s+)?(?:measured\s+|target\s+|index\s+)?$", re.I
)
_LESION_AFTER = lazy_regex(r"\s+(?:tumou?rs?|lesions?|sites?|foci|focus|deposits?)\b", re.IGNORECASE)
# What a therapy was given for, not the patient's disease extent: "one prior chemotherapy regimen for metastatic
# disease", "no prior treatment for advanced or metastatic colorectal cancer"
_GIVEN_FOR = lazy_regex(
    r"\b(?:regimens?|therapy|therapies|treatment|chemotherapy|lines?)\s+(?:given\s+)?for\s+"
    r"(?:(?:[\w-]+\s+){1,2}(?:or|and)\s+|[\w-]+\s*/\s*)?$",
    re.IGNORECASE,
)

# Metastases of one site, not the patient's extent: "No intracranial edema, intracranial metastasis, or active epidural
# disease" (NCT00719901) excludes brain metastases, not every metastatic patient; "Liver metastases" excludes those
_SITED = lazy_regex(
    r"\b(?:intracranial|cranial|brain|cerebral|cns|leptomeningeal|meningeal|liver|hepatic|bone|osseous|skeletal|"
    r"lung|pulmonary|peritoneal|hemoperitoneal|pleural|adrenal|spinal|epidural|subdural|dural|skin|cutaneous|visceral)\s+$",
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


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    if any(m.label == "LAB" for m in c.mentions):
        return []
    if c.section is not Section.INCLUSION and not _about_extent_alone(c):
        return []  # exclusions name metastases in many settings ("metastases to the liver", "metastatic to bone")
    mentions = [
        m for m in c.mentions
        if m.id in _KINDS and not c.excepted(m) and not _NODES.match(c.text, m.end)
        and not _GIVEN_FOR.search(c.text, max(0, m.start - 40), m.start)
        and not (_LESION_AFTER.match(c.text, m.end) and _IN_A_LESION.search(c.text, max(0, m.start - 40), m.start))
    ]  # fmt: skip
    # "no prior chemotherapies for the treatment of metastatic disease": what a forbidden therapy was for (a required
    # therapy for metastatic disease does imply it: "must have received >= 1 prior regimen for metastatic disease");
    # every name of the list goes ("for advanced or locally advanced pancreatic cancer")
    targets = [m for m in mentions if c.therapy_target(m)]
    if any(c.polarity(m) is not c.default_polarity for m in targets):
        mentions = [m for m in mentions if m not in targets]
    brain = [m for m in c.mentions if m.id == "concept.brain_metastases" and not named_as_example(c, m)]
    if not mentions or brain or c.has("concept.other_malignancy"):
        return []  # "treated brain metastases": the brain kind's; "including ... brain metastases": an example
    if c.section is Section.INCLUSION:
        # a site's metastases excluded in an inclusion ("No intracranial metastasis") do not exclude every metastasis
        # ("Serum transaminases <= 2.5xUNL in absence of liver metastases, or <= 5xUNL in presence of liver
        # metastases": neither of its site's mentions is the patient's extent)
        sited = [m for m in mentions if _SITED.search(c.text, max(0, m.start - 20), m.start)]
        if any(c.polarity(m) is not c.default_polarity for m in sited):
            mentions = [m for m in mentions if m not in sited]
        if not mentions:
            return []
    extents = tuple(dict.fromkeys(_KINDS[m.id] for m in mentions))
    evidence = ", ".join(dict.fromkeys(m.text for m in mentions))
    if _ONE_TUMOUR.fullmatch(c.text, mentions[0].start, mentions[-1].end) and extents[-1] == "metastatic":
        values = ExtentValues(("metastatic",), one_tumour=True)
    else:
        values = ExtentValues(extents)
    narrowed = next((m for m in mentions if _RESECTABLE_AFTER.match(c.text, m.end)
                     or _RESECTABLE_BEFORE.search(c.text, max(0, m.start - 25), m.start)), None)  # fmt: skip
    uncertain = None
    if narrowed is not None:
        # "No locally recurrent resectable disease" (NCT01013506, sample 5 K041): only the disease that can still be
        # resected, which the extent values do not tell apart from an unresectable one
        uncertain = f"the extent is narrowed to resectable disease ({narrowed.text!r}), which is not read"
    return [make_fact(FactKind.DISEASE_EXTENT, c.polarity(mentions[0]), values, mentions[0].id, evidence, uncertain)]


# An extent that can still be removed: "locally recurrent resectable disease", "resectable locally advanced"
_RESECTABLE_AFTER = lazy_regex(
    r"\s*(?:and\s+|but\s+)?(?:(?:potentially|surgically)\s+)?(?:resectable|operable|amenable\s+to\s+"
    r"(?:curative\s+)?(?:surgery|resection))\b",
    re.IGNORECASE,
)
_RESECTABLE_BEFORE = lazy_regex(r"(?<!un)(?<!non-)(?<!non)\b(?:resectable|operable)\s*(?:,\s*)?$", re.IGNORECASE)


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
    wanted = set(v.any_of)
    metastatic = bool(d and d.metastatic_sites)
    local = bool(d and d.locally_advanced_unresectable)
    trial = " or ".join(w.replace("_", " ") for w in v.any_of)
    if (metastatic and ({"metastatic", "advanced"} & wanted)) or (
        local and ({"locally_advanced", "advanced"} & wanted)
    ):
        what = "metastatic" if metastatic else "locally advanced, unresectable"
        paths = ("diagnosis.metastatic_sites",) if metastatic else ("diagnosis.locally_advanced_unresectable",)
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


KIND = Kind(FactKind.DISEASE_EXTENT, ExtentValues, extract, evaluate, frozenset(_KINDS))
