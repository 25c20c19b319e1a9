"""What the prior-therapy extractor and its doubts both read around a therapy's mention: a plan, a need, a
negation after the name, a duration or recurrence, a window told in the clause, a bracket left open, a radiotherapy's
site, a kinase inhibitor's target."""

from __future__ import annotations

import re
from typing import NamedTuple

from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import lazy_regex
from matcher.eligibility.text import (
    THERAPY_CONCEPTS,
    THERAPY_LABELS,
    CriterionText,
    Mention,
)

# A therapy a condition requires or needs (`cue.therapy.needed_by_condition`: "Patients requiring radiation therapy",
# "Infections requiring intravenous (IV) systemic therapy", "bone metastases for which radiation therapy ... are
# necessary"): not the patient's history. A generic anticancer therapy so named at most three words after the cue, with
# no bracket between, is no mention (`_therapy_mentions`: "requiring active, ongoing systemic treatment"); a fact whose
# therapies are all so named is uncertain (`_need_or_possibility`)
_NEEDED = cue("cue.therapy.needed_by_condition")


def _needed(c: CriterionText, low: int, m: Mention, near: bool = False) -> bool:
    start, found = max(low, m.start - 60), None
    while later := _NEEDED.search(c.text, start, m.start):  # the cue nearest the therapy
        start, found = later.start() + 1, later
    return found is not None and not (near and ("(" in found.group(0) or len(found.group(0).split()) > 4))


# The same, said otherwise: "Combined treatment with chemotherapy and radiation constitutes a single regimen",
# "Anti-cancer agents used for pleurodesis are not counted as a line of therapy" (NCT02031744). Only the therapies in
# the same bracket or outside any: "no more than one prior systemic chemotherapy ... (radiotherapy is not counted as a
# line of therapy)" (NCT05380414) still limits the chemotherapy (parser 21)
_COUNTED = lazy_regex(
    r"\b(?:constitutes?|(?:is|are)\s+(?:not\s+)?(?:considered|counted)(?:\s+as)?|(?:be\s+)?counted\s+as)\s+"
    r"(?:(?:one|1|a|an|the\s+same)\s+)?(?:(?:single|separate|additional|new|distinct)\s+)?(?:lines?|regimens?)\b",
    re.I,
)
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
_PROCEDURES = {"concept.surgery", "concept.radiotherapy", "concept.radioiodine"}
# Examples of what was just named: "immunotherapy, including combinations of immunotherapy and other anticancer or
# targeted agents" asks about immunotherapy, not about every targeted agent
_EXAMPLES = lazy_regex(r"\b(?:including|such\s+as|e\.g\.|for\s+example|i\.e\.)", re.IGNORECASE)


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


def _past_open_bracket(c: CriterionText, low: int, high: int) -> str:
    """The clause, carried on past a bracket it leaves open to the end of the clause the bracket closes in: "Patients
    with one prior relapse on a bevacizumab or an anti-VEGF(R) (i.e. VEGF-trap, vandetanib, ..., XL184, etc.)
    containing regimen are allowed to participate" (NCT01339039) is cut at "etc." inside the bracket (therapy 6)."""
    clause = c.text[low:high]
    if clause.count("(") <= clause.count(")"):
        return clause
    closed = c.text.find(")", high)
    return clause if closed < 0 else c.text[low : c.clause(closed)[1]]


# How long a therapy was given: "for at least 6 weeks", "at least 14 days of exposure", "At least 12 weeks of prior
# treatment with erlotinib", "for at least 56 days"
_THERAPY_DURATION = cue("cue.therapy.given_for")


def _given_for(clause: str) -> bool:
    """Whether a clause tells how long a therapy was given ("for at least 6 weeks"), not a gap told with a negation
    ("must not have received treatment with such antibodies for at least 6 weeks", NCT00249301)."""
    return bool(_THERAPY_DURATION.search(clause)) and not _NO_RECEIPT.search(clause)


_RECURRED = lazy_regex(r"\b(?:recur\w*|relaps\w*|progress\w*|(?:come|came)\s+back)\b", re.I)
_NO_RECEIPT = lazy_regex(r"\b(?:not|no|never|without|off)\b", re.I)
# A modal negation of having had the therapies that follow, however long their list: "may not have received a BRAF,
# Mitogen Activated Kinase (MEK) or HSP90 inhibitor in the past" (NCT02721459)
_MUST_NOT_HAVE = lazy_regex(
    r"\b(?:must|may|should|shall|can)\s*not\s+have\s+(?:previously\s+|already\s+)?(?:received|had|been\s+treated\s+with)\b",
    re.IGNORECASE,
)
_BRACKET = lazy_regex(r"\([^()]*\)")
_WINDOW_TOLD = cue("cue.therapy.window_told")
# A verb of the clause's own: then it says what it asks itself
_OWN_VERB = lazy_regex(
    r"\b(?:must|should|shall|will|may|can|is|are|was|were|be|been|has|have|had|received|receiving|undergone|"
    r"underwent|requir\w*|allowed|permitted)\b",
    re.IGNORECASE,
)


def _is_therapy(x: Mention) -> bool:
    """Whether a mention names a therapy: a drug, a class or a therapy concept (surgery, radiotherapy, ...)."""
    return x.label in THERAPY_LABELS or x.id in THERAPY_CONCEPTS


# A kind, site or share of radiotherapy (`cue.therapy.radiotherapy_of_kind`: "Prior WBRT", "total lymphoid
# irradiation", "to > 30 percent of bone marrow", "splenic irradiation"): one list, read next to a radiotherapy's name
# (`_sited`) and, for an exclusion of radiotherapy alone with no window, anywhere in the criterion (`_qualified_therapy`)
_RADIOTHERAPY_OF_KIND = cue("cue.therapy.radiotherapy_of_kind")


def _sited_reason(site: str) -> str:
    """The reason a radiotherapy of a site, share or kind is uncertain, quoting the words that name it."""
    return f"radiotherapy of a named site, share or kind ({site!r}) is not told apart from other radiotherapy"


_ANY_TKI = ("class.tki", "class.kinase_inhibitor")


class _KinaseTarget(NamedTuple):
    name: str  # "EGFR", "EGFR/VEGFR"
    class_id: str | None  # its class of kinase inhibitors in the vocabulary, if it has one
    wider: bool = False  # the class holds more than kinase inhibitors ("EGFR inhibitor" holds cetuximab too)


_NOT_EXCLUDED = cue("cue.therapy.not_excluded")
