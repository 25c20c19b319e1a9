"""Measurable disease ("at least one measurable lesion per RECIST 1.1"); "measurable or evaluable" accepts either, as
does "evaluable tumor; however, measurable disease is not required". "Measurable" with other words before its noun
("evidence of measurable, contrast-enhancing residual disease") is read too; "measurable" with no disease, lesion or
tumour after it ("measurable serum thyroglobulin") is not."""

from __future__ import annotations

import re
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section, Values
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, lazy_regex
from matcher.eligibility.kinds.extent import polarity as disease_polarity
from matcher.eligibility.text import CriterionText, Mention, make_fact
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient


class MeasurableValues(Values, frozen=True):
    DISPLAY_ONLY = frozenset({"recist"})

    recist: bool = False
    evaluable_ok: bool = False


_RECIST = lazy_regex(r"\bRECIST\b", re.IGNORECASE)
# A lesion as the place of something else, not a requirement of measurable disease: "absence of iodine uptake in at
# least one target lesion", "no prior radiotherapy to the only measurable lesion" (or "to the sole site of measurable
# disease")
_LOCATION = cue("cue.measurable.location")
# Measurable lesions as what a therapy was given for: "Previous radiotherapy for measurable lesions" (NCT02404363)
# excludes the radiotherapy, not measurable disease (parser 20)
_TREATED_FOR = cue("cue.measurable.treated_for")
# Which lesions count, not what the patient has: "... will not be considered as a target lesion" (NCT01033032)
# "... is not assessable as measurable disease" and "... in order to be considered to have measurable disease"
# (NCT02339168, sample 7 M006): which lesions count
# not "Patients must be considered to have measurable disease", a requirement
_COUNTED_AS = cue("cue.measurable.counted_as")
# Where the measurable disease lies, not whether there is some: "Subjects with bone or skin as the only site of
# measurable disease" (NCT00300781), "Bone disease may not be only source of measurable disease" (NCT00045188)
# A lesion that must not be one, not the patient's measurable disease: "(biopsied tumor lesion should not be a RECIST
# target lesion)" (NCT02684006, NCT02493751)
_NOT_TO_BE = cue("cue.measurable.not_to_be")
_ONLY_SITE = cue("cue.measurable.only_site")
_EITHER = lazy_regex(r"\bmeasurable\s+(?:and/)?or\s+non-?measurable\b", re.I)
# The bare word ("measurable", in the vocabulary so that the kind sees it) names measurable disease only with a
# disease, lesion or tumour noun after a few describing words: "measurable, contrast-enhancing residual disease",
# "measurable cancer"; not through a conjunction ("measurable and/or non-measurable disease")
_BARE = frozenset({"measurable", "measureable"})
_NOUN_AFTER = lazy_regex(
    r"(?:\s*,)?(?:\s+(?!(?:and|or|and/or|nor|but)\b)(?!measur)[\w-]+){0,2}\s+(?:disease|lesions?|tumou?rs?|cancers?)\b",
    re.IGNORECASE,
)
# ... and not for a site or a kind of lesion the profile does not record apart ("No clinically measurable distant
# disease", "measurable intracranial site of disease"), nor after "non-" ("Non-measurable disease with PSA >= 5")
_SITED = lazy_regex(
    r"\b(?:distant|intracranial|extracranial|brain|CNS|bone|bony|cutaneous|skin|breast|nodal|pelvic|hepatic|liver|lung|"
    r"pulmonary|chest|local|locoregional)\b",
    re.IGNORECASE,
)
# "Patients without ... measurable disease are not eligible": two negations ask for measurable disease
_NOT_ELIGIBLE = cue("cue.measurable.not_eligible")
# "measurable disease is not required": evaluable disease is enough
_NOT_REQUIRED = cue("cue.measurable.not_required")
_DEFINED_BEFORE = cue("cue.measurable.defined_before")
_EVALUABLE_BUT_NOT = lazy_regex(r"\bevaluable\s*(?:,|but|and)?\s*(?:not|non-?)\s*$", re.IGNORECASE)


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = [
        m
        for m in c.of("CONCEPT", "concept.measurable")
        if not _DEFINED_BEFORE.search(c.text[c.clause(m.start)[0] : m.start])
        and not _LOCATION.search(c.text, max(0, m.start - 40), m.start)
        and not _TREATED_FOR.search(c.text, max(0, m.start - 40), m.start)
        and not c.therapy_target(m)  # "No prior radiotherapy to measurable target lesion"
        and not c.treated_lesion(m)  # "Any measurable lesion that has been previously irradiated will not be ..."
        and not _COUNTED_AS.search(c.text, max(0, m.start - 40), m.start)
        and not _ONLY_SITE.search(c.text, max(0, m.start - 30), m.start)
        and not _NOT_TO_BE.search(c.text, max(0, m.start - 30), m.start)
        and not _of_another_cancer(c, m)
    ]  # fmt: skip: "RAI refractoriness is defined as absence of uptake ... in measurable lesions"
    mentions = [m for m in mentions if m.text.lower() not in _BARE or _bare_reads(c, m)]
    if not mentions or _EITHER.search(c.text):
        return []  # "measurable or non-measurable disease": no constraint
    m = mentions[0]
    unread = [x for x in c.mentions if x.id == "concept.measurable" and x.text.lower() in _BARE and x not in mentions]
    if unread:  # a bare word not read is no mention: it must not carry a negation past a comma to the one read
        c = _without(c, unread)
    evaluable = c.has("concept.evaluable") or "evaluable" in m.text.lower() or bool(_NOT_REQUIRED.match(c.text, m.end))
    values = MeasurableValues(recist=bool(_RECIST.search(c.text)), evaluable_ok=evaluable)
    polarity = disease_polarity(c, m)  # not a candidacy's negation: "not considered a candidate for ... therapy"
    if _double_negation(c, m):
        polarity = Polarity.REQUIRE  # "patients without measurable disease are not eligible"
    uncertain = None
    if c.section is Section.INCLUSION and polarity is Polarity.EXCLUDE and c.prefixed_non(m):
        # "Japanese patients who have advanced non-measurable disease ... may be eligible" (NCT01241461), "must have
        # non-measurable disease ... assessed within 28 days" (NCT02339168): mostly a permission or an assessment
        # (measurable disease not required), sometimes "non-measurable disease only"; not read as an exclusion
        uncertain = "'non-measurable disease' in an inclusion: measurable disease allowed or excluded is unclear"
    elif (
        c.section is Section.INCLUSION
        and polarity is Polarity.EXCLUDE
        and _EVALUABLE_BUT_NOT.search(c.text, max(0, m.start - 40), m.start)
    ):
        # "Progression of evaluable but not measurable disease assessed within 28 days ..." (NCT00513071, fresh sample
        # 12 S022): one way the disease may be followed, under a lead-in of alternatives; the trial allows measurable
        # disease elsewhere ("Measurable disease is not required but is allowed"): not an exclusion to apply
        uncertain = "'evaluable but not measurable disease' in an inclusion: a kind of disease described, not excluded?"
    elif c.section is Section.EXCLUSION and c.opens_with_no(m):
        # "No measurable disease" under an exclusion heading: a trial that needs measurable disease ("patients with no
        # measurable disease are excluded") and one that restates its exclusions as "No X" lines (an adjuvant trial:
        # measurable disease excludes) write it alike; either reading would hide trials from someone.
        uncertain = "'No measurable disease' under an exclusion heading: required or excluded is unclear"
    return [make_fact(FactKind.MEASURABLE_DISEASE, polarity, values, m.id, m.text, uncertain)]


def _without(c: CriterionText, dropped: list[Mention]) -> CriterionText:
    kept = CriterionText(c.text, [x for x in c.mentions if x not in dropped], c.section)
    kept.condition_spans = c.condition_spans
    return kept


def _of_another_cancer(c: CriterionText, m: Mention) -> bool:
    """Whether another malignancy is named before the mention in its clause: "Concurrent malignancies with evidence
    of active or measurable disease except non-melanoma skin cancer" (NCT01144169, sample 7 M027) is that cancer's
    measurable disease, not the patient's."""
    low, _ = c.clause(m.start)
    return any(x.id == "concept.other_malignancy" and low <= x.start < m.start for x in c.mentions)


def _bare_reads(c: CriterionText, m: Mention) -> bool:
    """Whether the bare word names measurable disease: a disease, lesion or tumour noun after it, no site between,
    no "non-" before it, and not negated unless a second negation makes it a requirement ("patients without
    measurable ... disease are not eligible")."""
    noun = _NOUN_AFTER.match(c.text, m.end)
    if noun is None or _SITED.search(noun.group(0)) or c.prefixed_non(m):
        return False
    return not c.negated(m) or _double_negation(c, m)


def _double_negation(c: CriterionText, m: Mention) -> bool:
    """ "Patients without ... measurable disease are not eligible" (in one clause; "non-measurable" is a kind of
    disease, not a negation of it)."""
    cues = c.negating_cues(m)
    _, high = c.clause(m.start)
    return any(cue.lower() != "non" for cue in cues) and bool(_NOT_ELIGIBLE.search(c.text, m.end, high))


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, MeasurableValues)
    d = p.disease
    if d is None or d.measurable is None:
        return Finding(None, "measurable disease not on file", missing="measurable disease (RECIST 1.1)")
    if not d.measurable and v.evaluable_ok:
        return Finding(None, "not measurable; evaluable disease not on file", missing="evaluable disease")
    return Finding(
        d.measurable, "measurable disease" if d.measurable else "no measurable disease", ("disease.measurable",)
    )


KIND = Kind(FactKind.MEASURABLE_DISEASE, MeasurableValues, extract, evaluate, frozenset({"concept.measurable"}))
