"""What a therapy was given for, when the clause names another cancer or disease than the patient's thyroid
cancer ("previous systemic therapy for Hepatocellular carcinoma", "No prior radiotherapy for LCIS"): the profile's
therapies are for her thyroid cancer, so such a therapy is not told apart from hers. Asked once per clause
(`_another_disease`): another cancer for the fact's own doubt, and, for an exclusion, another disease for the
qualifier doubts'."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from matcher.eligibility.cues import QuickPattern, cue
from matcher.eligibility.kinds.base import lazy_regex
from matcher.eligibility.kinds.primary_site import THYROID
from matcher.eligibility.kinds.therapy.reading import _is_therapy
from matcher.eligibility.text import (
    CriterionText,
    Mention,
    sentence_start,
    sentence_stop,
)

_OTHER_CANCER_ABBREVIATION = cue("cue.therapy.other_cancer_abbreviation")
_OTHER_THAN = lazy_regex(r"\b(?:other\s+than|except|besides|apart\s+from)\b", re.IGNORECASE)
# What lies between a therapy and the cancer it was given for: "therapy for", "chemotherapy for the treatment of"
# "systemic therapy directed at advanced or metastatic RCC" (NCT02684006, fresh sample 9's P069): therapy sweep 2 review
# A word of the disease's description may carry its abbreviation or an aside in brackets: "Prior anticancer therapy for
# extensive disease (ED) SCLC" (NCT03116971, fresh sample 16's W323; therapy 16)
# Therapy 17 (sweeps 17 and 18): any tie of a therapy to the disease it treats ("against", "to treat", a surgery "of
# the cholangiocarcinoma", NCT02082522's Y019; "for first-line treatment of metastatic CRC", NCT01286818's Y142; "for
# primary disease of pancreatic adenocarcinoma", NCT02436668's Y097) and a longer description ("for inoperable locally
# advanced or metastatic TNBC", NCT02425891's Y022; "for epithelial ovarian, primary peritoneal or fallopian tube
# cancers", NCT01253681's X031); no time word (a window is not a description). An aside may tell a stage at length: "for
# advanced or recurrent (Stage IIIB not amenable for multimodality treatment) or metastatic (Stage IV) NSCLC"
# (NCT02075840, fresh sample 20's AA339: therapy 20)
_DISEASE_WORD = (
    r"(?!(?:years?|months?|weeks?|days?|prior|before|after|within|since|other|except)\b)"
    r"[A-Za-z][\w/-]*,?\s+(?:\([^()]{0,60}\)\s+)?"
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
    read late among the doubts (`_qualified_therapy`), after those a surgery's aim and the like give. Where neither is
    named, the course of another cancer the therapies are told in (`therapies_course`) is read last."""

    cancer: str | None
    disease: str | None


def _another_disease(c: CriterionText, high: int, kept: list[Mention], excluded: bool) -> _AnotherDisease:
    """The other cancer the first therapy given for one was given for (`_given_for_another`), else, for an exclusion,
    the other disease the first so given was given for, the other-disease cue counted too. The diseases of each span
    of text are found once, with every cue, and the other-disease cue's left out for the cancer."""
    names = (_OTHER_CANCER_ABBREVIATION, _OTHER_DISEASE) if excluded else ()
    if not _may_name_another(c, (_ORGAN_CANCER, *names)):
        return _AnotherDisease(None, None)  # every answer below is a disease the criterion names
    found: dict[tuple[int, int], list[_Disease]] = {}
    # most spans asked run to the clause's end, from each therapy's name, past its bracket, from the end of its list:
    # the diseases from the first therapy's end to the clause's end are found once, and each such span's are those
    # that start in it (`_to_clause_end`)
    scan_from = min(m.end for m in kept)
    to_clause_end: list[_Disease] | None = None

    def diseases(start: int, end: int) -> list[_Disease]:
        nonlocal to_clause_end
        if (listed := found.get((start, end))) is None:
            if end == high and start >= scan_from:
                if to_clause_end is None:
                    to_clause_end = _named_diseases(c, scan_from, high, names)
                listed = _to_clause_end(c, start, high, names, to_clause_end)
            else:
                listed = _diseases(c, start, end, names)
            found[start, end] = listed
        return listed

    def cancers(start: int, end: int) -> list[_Disease]:
        listed = diseases(start, end)
        return [x for x in listed if not x.other] if any(x.other for x in listed) else listed

    if cancer := next((x for m in kept if (x := _given_for_another(c, high, m, excluded, cancers))), None):
        return _AnotherDisease(cancer, None)
    # the same spans read again with the other-disease cue's diseases too: only where one of them holds one, for
    # elsewhere `cancers` gave each span's diseases whole, and the first pass already read them so
    if (
        excluded
        and any(x.other for listed in found.values() for x in listed)
        and (other := next((x for m in kept if (x := _given_for_another(c, high, m, True, diseases))), None))
    ):
        return _AnotherDisease(None, other)
    return _AnotherDisease(None, None)


def therapies_course(c: CriterionText, kept: list[Mention], excluded: bool) -> str | None:
    """The other cancer whose course a clause's therapies are told in, where the clause names no cancer or disease
    they were given for (`_another_disease`): "Chronic myelogenous leukemia resistant to imatinib therapy" (therapy
    21). As for a therapy given for another cancer, one such therapy makes the clause's reading the other cancer's;
    a surgery required that another cancer's name or the procedure tells is that cancer's (surgery 21). Read last
    among a fact's doubts (`_clause_facts`), only where none came before."""
    return next(
        (
            x
            for m in kept
            if (x := course_of_another(c, m.start, m.end) or (None if excluded else _surgery_of_another(c, m)))
        ),
        None,
    )


def _given_for_another(
    c: CriterionText, high: int, m: Mention, excluded: bool, diseases: Callable[[int, int], list[_Disease]]
) -> str | None:
    """The other disease (a cancer of a primary site other than the thyroid, or another disease) a therapy was given
    for, if the clause names one among ``diseases`` (`_diseases` of a span). The therapy's bracketed list or aside may
    stand between ("Previous systemic therapy (chemotherapy or biologic therapy) for ... gastric or esophagogastric
    adenocarcinoma", NCT00719550; "Previous anti-cancer treatment (cytotoxic chemotherapy, ...) with therapeutic intent
    for current breast cancer", NCT02032277: fresh sample 13's T052/T395), and the site may be told by its organ before
    the cancer's noun ("gastric ... adenocarcinoma", therapy 7). "For this cancer", "for the tumor" name no other
    disease here: the trial's own, the patient's in a thyroid or basket trial, another cancer in a trial for one, which
    the trial's list tells (`for_own_disease`, `across._own_disease_told`: therapy 22). Therapy 17's "-specific", "patients with" and "or <disease>" forms are read for an
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


def _may_name_another(c: CriterionText, names: tuple[QuickPattern, ...]) -> bool:
    """Whether the criterion may name a disease other than the patient's thyroid cancer, as `_named_diseases` and
    `_named_cancers` find them: a primary site of the vocabulary other than the thyroid, or a text in which one of
    ``names`` could match (`QuickPattern.possible`). Where it names none, no span of it names one: asked once, before
    the spans around each therapy are searched."""
    return any(x.label == "SITE" and x.id != THYROID for x in c.mentions) or any(p.possible(c.text) for p in names)


def _diseases(c: CriterionText, start: int, end: int, names: tuple[QuickPattern, ...] = ()) -> list[_Disease]:
    """The diseases other than the patient's thyroid cancer named from ``start`` to ``end``, in order: a primary site
    other than the thyroid, an organ before a cancer's noun, and what ``names`` finds (another cancer's abbreviation,
    `cue.therapy.other_cancer_abbreviation`; another disease, `cue.therapy.other_disease`, marked ``other``); none in
    an exception ("other than breast cancer")."""
    return _outside_exceptions(c, _named_diseases(c, start, end, names))


def _named_diseases(c: CriterionText, start: int, end: int, names: tuple[QuickPattern, ...]) -> list[_Disease]:
    """`_diseases` before the exceptions are taken out, in order: every match, for `_to_clause_end`."""
    found = [
        _Disease(x.text, x.start, x.end, False) for x in c.of("SITE") if start <= x.start < end and x.id != THYROID
    ]
    for pattern in (_ORGAN_CANCER, *names):
        other = pattern is _OTHER_DISEASE
        found += [_Disease(x.group(0), x.start(), x.end(), other) for x in pattern.finditer(c.text, start, end)]
    return sorted(found, key=lambda x: (x.start, -x.end))  # the first, the longest at a start


def _outside_exceptions(c: CriterionText, found: list[_Disease]) -> list[_Disease]:
    return [x for x in found if not any(a <= x.start < b for a, b in c.exceptions)]


def _to_clause_end(
    c: CriterionText, start: int, high: int, names: tuple[QuickPattern, ...], wider: list[_Disease]
) -> list[_Disease]:
    """`_diseases` from ``start`` to ``high``, taken from ``wider`` (`_named_diseases` of a span that ends at ``high``
    and starts at or before ``start``): those that start at or after ``start``. A pattern's search from ``start``
    finds the same as the wider search past it only where no match of the wider one runs across ``start`` (a match
    inside it might be found from ``start``); there the span is searched on its own."""
    if any(x.start < start < x.end for x in wider):
        return _diseases(c, start, high, names)
    return _outside_exceptions(c, [x for x in wider if x.start >= start])


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


# Therapy 21: a therapy told in the course of another cancer, the cancer named before it in its sentence: "Chronic
# myelogenous leukemia resistant to imatinib therapy" (NCT00376519, fresh sample 21's AB020), "Treatment-naive SSCHN,
# i.e. no prior chemotherapy, radiotherapy or attempted complete resection" (NCT00570674, AB206), "Relapse or
# progression of myeloma following prior systemic antineoplastic therapy" (NCT01464112, AB134): the other cancer's
# resistance, relapse, progression, treatment or its absence, of which a thyroid patient's therapies tell nothing.
# What joins the cancer to the therapy names its course ("resistant", "refractory", "relapsed", "progressed after",
# "failed", "previously treated with", "not previously treated with", "with no prior", "naive", "untreated").
_COURSE_WORD = lazy_regex(
    r"\b(?:resist\w*|refractory|intoleran\w*|relaps\w*|recurr\w*|progress\w*|fail\w*|(?:previously\s+)?treated|"
    r"pre-?treated|untreated|na[iï]ve|no\s+(?:prior|previous)|without\s+(?:any\s+)?(?:prior|previous)|following|after|"
    r"despite)\b",
    re.IGNORECASE,
)
# "i.e." and "e.g." are no stops; a bracket after the cancer ("(CML)") is passed
_ABBREVIATION_DOTS = lazy_regex(r"\b(?:i\.e|e\.g|vs)\.", re.IGNORECASE)
_STOP = lazy_regex(r"[.;:]")
# the therapy's name told by a course word that leads on to the cancer after it: "Imatinib mesylate-resistant
# Philadelphia chromosome-positive (Ph+) acute lymphoblastic leukemia" (NCT00316953), "chemotherapy-refractory
# metastatic CRPC" (NCT01083368)
_COURSE_SUFFIX = lazy_regex(
    r"(?:\s+[a-z]+)?\s*-\s*(?:resistant|refractory|na[iï]ve|pre-?treated|intolerant|exposed|failed)\b"
    r"(?:,?\s+(?:[\w+/-]+|\([^()]{0,20}\))){0,6}\s+",
    re.IGNORECASE,
)
# a cancer that is one of many, or no cancer of its own: a basket's "solid tumors, including NSCLC ..."; the therapy
# given "for any (other) cancer" is not the named cancer's
_WIDER_DISEASE = lazy_regex(
    r"\b(?:solid|any\s+(?:cancer|tumou?r|malignan)|other\s+(?:cancer|tumou?r|malignan|solid)|e\.g\.|such\s+as|"
    r"including)",
    re.IGNORECASE,
)
# the disease an event of its course is told of: "progression of myeloma", "relapse of their AML"
_OF_DISEASE = lazy_regex(
    r"\s+(?:of|in)\s+(?:(?:the|his|her|their|underlying|known)\s+)?(?:[\w-]+,?\s+){0,3}?", re.IGNORECASE
)
# the patient's own cancer named in the sentence: a basket of it and another ("NSCLC or thyroid cancer"), or its
# histologies, which the SITE mentions do not all carry
_THYROID_NAMED = lazy_regex(
    r"\b(?:thyroid|DTC|PTC|FTC|MTC|ATC|RAIR|papillary|follicular|medullary|anaplastic|H[uü]rthle|oncocytic)\b",
    re.IGNORECASE,
)
_FOR_ANY = lazy_regex(
    r"\s*(?:\([^()]*\)\s*)?(?:for|of)\s+(?:the\s+treatment\s+of\s+)?(?:any|other|another|an?\s+other|thyroid)\b",
    re.IGNORECASE,
)


def course_doubt(subject: str, cancer: str) -> str:
    """Why a therapy or progression (``subject``) told in another cancer's course (`course_of_another`) is uncertain;
    the only place this reason is written, and `COURSE_DOUBT` the only place it is read back."""
    return f"about another cancer's {subject} ({cancer!r}), not the patient's thyroid cancer's"


# `course_doubt`'s reason alone, which `across._courses_unsaid` tells such facts apart by
COURSE_DOUBT = lazy_regex(
    r"about another cancer's (?:therapy|progression) \((?:'(?P<single>[^']*)'|\"(?P<double>[^\"]*)\")\), "
    r"not the patient's thyroid cancer's"
)


# Therapy 22: a therapy told as given for the trial's own disease, named only by reference ("for this disease", "for
# the tumor", "for the current disease", "for this cancer", "for the study cancer": sweep 28's AI134, AI125, AI177,
# AI302, AI293). In a thyroid or basket trial it is the patient's own cancer; in a trial for another cancer, that
# cancer, whose therapy hers is not: the trial's list decides (`across._own_disease_told`).
_OWN_DISEASE = cue("cue.therapy.own_disease")


def for_own_disease(c: CriterionText, low: int, high: int) -> str | None:
    """The reference to the trial's own disease the therapies of the clause ``low``-``high`` are told as given for
    (`cue.therapy.own_disease`), before or after their names: "No previous therapy for the tumor, including
    chemotherapy, ..." (NCT00882583)."""
    found = _OWN_DISEASE.search(c.text, low, high)
    return None if found is None else " ".join(found.group(0).split())


def own_disease_doubt(said: str) -> str:
    """Why a therapy told for the trial's own disease (``said``: `for_own_disease`) is uncertain in a trial for another
    cancer, or in one that names no cancer of its own; the only place this reason is written, and `OWN_DISEASE_DOUBT`
    the only place it is read back."""
    return (
        f"a therapy for the trial's own cancer ({said!r}), which the trial does not say is the patient's thyroid cancer"
    )


# `own_disease_doubt`'s reason, at the start of a fact's doubts, which `across._own_disease_told` keeps or takes off
OWN_DISEASE_DOUBT = lazy_regex(
    r"a therapy for the trial's own cancer \((?:'[^']*'|\"[^\"]*\")\), which the trial does not say is the patient's"
    r" thyroid cancer(?:; |$)"
)


def course_of_another(c: CriterionText, start: int, end: int, event: bool = False) -> str | None:
    """The other cancer (not the thyroid's) whose course the therapy or event at ``start``-``end`` is told in: the
    cancer named before it in its sentence and joined to it by a course word (`_COURSE_WORD`), with no stop between,
    or named after it by a course word on its name ("Imatinib mesylate-resistant ... leukemia"); none when the
    sentence names the thyroid too, or a wider disease ("solid tumors including ..."), or the therapy is given "for
    any other cancer". The cancers are those `_named_cancers` finds. An ``event`` of the course itself (a progression,
    a relapse: `progression`) needs no course word between: "Progression of NHL following ..." (NCT00625729),
    "Multiple myeloma ... considered to have disease progression" (NCT00306813)."""
    if not _may_name_another(c, (_OTHER_CANCER_ABBREVIATION,)):
        return None  # no other cancer named, none whose course it is
    low = sentence_start(c.text, start)
    stop = sentence_stop(c.text, end)
    if _THYROID_NAMED.search(c.text, low, stop) or _FOR_ANY.match(c.text, end):
        return None
    for text, at, to, _ in reversed(_named_cancers(c, low, start)):
        link = _ABBREVIATION_DOTS.sub(lambda x: x.group(0).replace(".", " "), c.text[to:start])
        if len(link) > 120 or _STOP.search(link) or _WIDER_DISEASE.search(c.text, low, at):
            continue
        if _COURSE_WORD.search(link) or (event and len(link) <= 80):
            return text
    after = _named_cancers(c, end, stop)
    if event and after and _OF_DISEASE.fullmatch(c.text, end, after[0].start):
        return after[0].text
    wider = after and _WIDER_DISEASE.search(c.text, low, after[0].start)
    if after and not wider and _COURSE_SUFFIX.fullmatch(c.text, end, after[0].start):
        return after[0].text
    return None


def _named_cancers(c: CriterionText, start: int, end: int) -> list[_Disease]:
    """The other cancers named from ``start`` to ``end`` that tell a course apart (`course_of_another`): a primary site
    of the vocabulary but the thyroid, and an abbreviation of `cue.therapy.other_cancer_abbreviation`, the evidence the
    primary-site kind reads for "trial is for <cancer>"; not an organ before a cancer's noun (`_ORGAN_CANCER`: "fallopian
    tube or peritoneal cancer", NCT02728622, fresh sample 8's N065, a trial no site of the vocabulary names: the
    requirement is the one the patient fails there), nor another disease of `cue.therapy.other_disease`; none in an
    exception."""
    found = [
        _Disease(x.text, x.start, x.end, False) for x in c.of("SITE") if start <= x.start < end and x.id != THYROID
    ]
    found += [
        _Disease(x.group(0), x.start(), x.end(), False) for x in _OTHER_CANCER_ABBREVIATION.finditer(c.text, start, end)
    ]
    kept = (x for x in found if not any(a <= x.start < b for a, b in c.exceptions))
    return sorted(kept, key=lambda x: (x.start, -x.end))


# Surgery 21: a surgery named as another cancer's ("pancreatic cancer surgery", NCT01025570; "Completely removed
# melanoma by surgery", NCT02388906; "gross total surgical resection of ... squamous cell carcinoma (SCC)",
# NCT02775812), or as a procedure a thyroid cancer is not treated by ("cytoreductive surgery", NCT00310076,
# NCT00942838), or as the surgery the trial's treatment follows ("Ability to start treatment between 8 and 12 weeks
# following surgery", NCT00621049): another cancer's course, read as `course_of_another` is, uncertain only where the
# trial says it is for another cancer (`_courses_unsaid`), never a window from the patient's thyroidectomy.
_CANCER_THEN_SURGERY = lazy_regex(r"\s*(?:(?:cancers?|carcinomas?|tumou?rs?)\s+)?(?:by\s+)?", re.IGNORECASE)
_REMOVED = lazy_regex(r"\b(?:removed|resected|excised)\s+$", re.IGNORECASE)
_SURGERY_OF = lazy_regex(r"\s+(?:of|for)\s+(?:the\s+|their\s+|his\s+|her\s+)?(?:[\w()-]+,?\s+){0,8}?", re.IGNORECASE)
# a cancer the organ of which no site of the vocabulary names: "resection of high-risk oral cavity, oropharynx (p16
# negative), larynx, or hypopharynx squamous cell carcinoma (SCC)" (NCT02775812)
_OF_CANCER = lazy_regex(
    r"\s+(?:of|for)\s+(?P<cancer>[^.;:]{0,120}?\b(?:squamous\s+cell\s+)?(?:carcinomas?|cancers?))\b", re.IGNORECASE
)
_CYTOREDUCTIVE = lazy_regex(r"\bcytoreductive\s+$", re.IGNORECASE)
_TREATMENT_AFTER = lazy_regex(
    r"\b(?:start|begin|initiate)\s+(?:the\s+)?(?:adjuvant\s+|study\s+|protocol\s+)?(?:treatment|therapy)\b"
    r"[^.;:]{0,40}\b(?:after|following)\s+(?:the\s+|their\s+)?$",
    re.IGNORECASE,
)


def _surgery_of_another(c: CriterionText, m: Mention) -> str | None:
    """The other cancer's surgery a surgery mention names (surgery 21): the cancer just before it ("pancreatic cancer
    surgery", "melanoma by surgery" after a removal), or after it by "of" ("resection of ... SCC"), in a sentence that
    names no thyroid cancer nor a wider disease; a cytoreductive surgery; the surgery a trial's treatment starts after."""
    if m.id != "concept.surgery":
        return None
    low = sentence_start(c.text, m.start)
    stop = sentence_stop(c.text, m.end)
    if (
        _THYROID_NAMED.search(c.text, low, stop)
        or _FOR_ANY.match(c.text, m.end)
        or _WIDER_DISEASE.search(c.text, low, stop)
    ):
        return None
    before = _named_cancers(c, low, m.start)
    if before and (link := _CANCER_THEN_SURGERY.fullmatch(c.text, before[-1].end, m.start)):
        if "by" not in link.group(0).lower():
            return " ".join(c.text[before[-1].start : m.end].split())
        if _REMOVED.search(c.text, low, before[-1].start):
            return f"{m.text} of {before[-1].text}"
    after = _named_cancers(c, m.end, stop)
    if (
        after
        and _SURGERY_OF.fullmatch(c.text, m.end, after[0].start)
        and not _STOP.search(c.text, m.end, after[0].start)
    ):
        return f"{m.text} of {after[0].text}"
    if of_cancer := _OF_CANCER.match(c.text, m.end, stop):
        return f"{m.text} of {' '.join(of_cancer.group('cancer').split()[-3:])}"
    if _CYTOREDUCTIVE.search(c.text, low, m.start) or m.text.lower().startswith("cytoreductive"):
        return "cytoreductive surgery"
    if _TREATMENT_AFTER.search(c.text, low, m.start):
        return "the surgery the trial's treatment follows"
    return None
