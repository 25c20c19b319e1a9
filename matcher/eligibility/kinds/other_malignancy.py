"""Another cancer: "other malignancy within the past 3 years, except adequately treated non-melanoma skin cancer".
The profile lists conditions without dates, so a listed other cancer against a window is unknown, not violated.

In a trial that is not for cancer ("no history of previous or active malignancy" in a multiple sclerosis transplant
trial, NCT01679041) the exclusion is of any cancer, the patient's own included (`in_a_trial_not_for_cancer`). Where
it is unclear whether the trial is for cancer, it stays a matter of other cancers only."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity, Section, Values, one_line, shortened
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, lazy_regex, within
from matcher.eligibility.kinds.conditions import current, waiver_doubt
from matcher.eligibility.numbers import Window
from matcher.eligibility.text import CriterionText, clause_stop, make_fact, permits, sentence_start, window_near
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Condition, Histology, Patient

# the words that name a cancer in a condition on file (the lab kind's too: a cancer is no benign cause of a value)
MALIGNANCY_WORDS = ("cancer", "carcinoma", "malignan", "lymphoma", "leukemia", "leukaemia", "melanoma", "sarcoma",
                    "myeloma")  # fmt: skip


# What a conditions list names when the trial may be for a cancer, its treatment or its consequences, or for a
# transplant (whose patients may have had a blood cancer): any of these leaves it unclear whether the trial is for cancer
_CANCER_CONDITION = lazy_regex(
    r"cancer|carcinom|malignan|neoplas|tumou?r|lymphom|leuka?emi|myelom|sarcom|melanom|blastom|gliom|metasta|oncolog"
    r"|myelodysplas|carcinoid|mesotheliom|adenom|thymom|seminom|germ cell|hodgkin|waldenstr|macroglobulin|myelopro"
    r"|myelofibros|polycyth|thrombocyth|mastocyt|histiocyt|amyloid|papillom|dysplas|polyp|barrett|nodul|lesion|mass\b"
    r"|cyst|graft|transplant|gvhd|stem cell|\b(?:mds|aml|all|cll|cml|nhl|cin|hpv)\b|chemotherap|radiat|surviv"
    r"|mucositis|neutropeni|cachexi|lymphoedema|lymphedema|hot flash",
    re.IGNORECASE,
)
# An inclusion criterion that names a cancer may say the trial is for it ("patients with hematologic malignancy");
# "No evidence of myelodysplastic syndrome on peripheral blood smear" (NCT01679041) is a test before treatment, and a
# trial for it names it in its conditions
_CANCER_IN_TEXT = lazy_regex(
    r"cancer|carcinom|malignan|neoplas|tumou?r|lymphom|leuka?emi|myelom|sarcom|melanom|metasta|oncolog",
    re.IGNORECASE,
)
# "other malignancy", "a second cancer": said against a first cancer, so not of any cancer
_RELATIVE = lazy_regex(r"\b(?:other|another|second|secondary|additional)\b(?!\s+than)", re.IGNORECASE)
_INVESTIGATOR = cue("cue.investigator_judgement")


class OtherMalignancyValues(Values, frozen=True):
    within: Window | None = None
    any_cancer: bool = False  # the trial is not for cancer: the patient's own cancer counts
    # only one that needs treatment now ("Second malignancy currently requiring active therapy", NCT01145885): a
    # profile's other cancer is known to be one only when its status says it is under treatment (malig30)
    under_treatment: bool = False
    # a sub-item of the line lets in a treated cancer on terms a profile does not record ("Patients with prior
    # malignancy treated < 5 years ago but have a life expectancy of > 5 years for that malignancy are eligible",
    # NCT02548468, comorbid sample 54's DN103): its words; a treated other cancer on file may be the one let in
    treated_let_in: str | None = None


# The cancer told as what a therapy is for, or as the cause of a finding, not as a condition of the patient's: "No prior
# chemotherapy for a different prior malignancy" (NCT00003382), "any radiotherapy to the chest wall for any other
# malignancy" (NCT00365365), "MBO caused by malignancy other than primary ovarian cancer" (NCT01083537); or named before
# what it qualifies: "No prior cancer treatment that would preclude study treatment" (NCT00436501), "any other cancer
# prevention study" (NCT00096369), "history of malignancy associated hypercalcemia" (NCT00147550) (malig30)
_FOR_BEFORE = lazy_regex(
    r"(?:\b(?:therap(?:y|ies)|treatments?|chemotherapy|radiotherapy|radiation|irradiation|regimens?)\b[^.;]{0,80}?\bfor"
    r"|\b(?:caused\s+by|due\s+to|secondary\s+to))\s+(?:(?:a|an|any|the|different|other|another|previous|prior)\s+)*$",
    re.IGNORECASE,
)
_NAMED_BEFORE = lazy_regex(
    r"\s*-?\s*(?:treatments?|therap(?:y|ies)|prevention|screening|stud(?:y|ies)|trials?|associated|related)\b",
    re.IGNORECASE,
)
_UNDER_TREATMENT = lazy_regex(
    r"\s*(?:\([^()]*\)\s*)?,?\s*(?:(?:that|which)\s+(?:(?:is|are)\s+)?(?:[\w-]+\s+){0,3}?(?:or\s+)?|for\s+which\s+"
    r"(?:the\s+)?(?:patient|subject)s?\s+(?:is|are)\s+)?(?:currently\s+)?(?:requir(?:ing|es?)|receiving|needing|"
    r"undergoing|under|on)\s+(?:[\w-]+\s+){0,3}?(?:treatment|therapy|intervention)\b",
    re.IGNORECASE,
)
# ... but not with a treatment excepted ("second malignancy requiring active treatment (except hormonal therapy)",
# NCT00345189; "... except breast or prostate cancer stable on or responding to endocrine therapy", NCT02348489): a
# profile does not say which treatment a cancer is under; nor one left to the investigator ("another malignancy that in
# the opinion of the investigator may compromise the outcome of the study", NCT02275416, comorbid sample 30's CN002)
_TREATMENT_EXCEPTED = lazy_regex(
    r"[^.;]*?\b(?:except|excluding|other\s+than)\b[^.;]{0,80}?\b(?:therapy|treatment)\b", re.IGNORECASE
)
_JUDGED_AFTER = lazy_regex(
    r"\s*,?\s*(?:that|which)\s+(?:[\w,]+\s+){0,3}?(?:in\s+the\s+(?:opinion|judge?ment)\s+of|(?:is|are)\s+(?:deemed|"
    r"considered|judged))\b",
    re.IGNORECASE,
)
# ... or one told by what it would do to the trial or to the patient's outlook, which the profile cannot say: "No other
# active malignancy requiring treatment that would interfere with the assessments of response of the myeloma to
# protocol treatment" (NCT00687674, comorbid sample 33's CS076), "Patients with a prior malignancy in whom life
# expectancy is more likely to be determined by the prior malignancy than the myeloma" (NCT00113919, comorbid sample
# 34's CT032), "No prior malignancy likely to interfere with the patient's ability to comply with treatment and/or
# follow up" (NCT01313390, comorbid sample 49's DI135), after the cancer or after its treatment
_INTERFERING_AFTER = lazy_regex(
    r"\s*,?\s*(?:(?:(?:that|which)\s+(?:[\w,]+\s+){0,2}?(?:would|could|may|might|will|can)\s+(?:[\w-]+\s+){0,2}?|"
    r"(?:(?:that|which)\s+(?:is|are)\s+)?(?:likely|expected)\s+to\s+)"
    r"(?:interfere|compromise|confound|affect|impair|obscure)\b"
    r"|(?:in\s+whom|whose|for\s+whom)\s+[^.;]{0,40}?\b(?:life\s+expectancy|prognosis|survival)\b)",
    re.IGNORECASE,
)
# ... or one the line lets in as it stands, not on terms ("History of prior malignancy is acceptable, but prior
# radiotherapy to the region of the study cancer ... is not allowed", NCT02283372, comorbid sample 47's DG163); not
# "No other prior malignancy is allowed except ...", nor "... is allowed if treated with curative intent", whose terms
# are read as a requirement
_LET_IN_AFTER = lazy_regex(
    r"\s*(?:is|are)\s+(?:also\s+)?(?:acceptable|allowed|permitted)\b(?![\s,]*(?:if|provided|as\s+long\s+as|when|unless|only|"
    r"except)\b)",
    re.IGNORECASE,
)
_NO_BEFORE = lazy_regex(r"\b(?:no|not|without)\b", re.IGNORECASE)
# ... or one developed after the start of a therapy or a study ("Patients who developed a second primary malignancy,
# excluding non-melanoma skin cancers after initiation of lenalidomide maintenance therapy on BMT CTN 0702",
# NCT02322320, comorbid sample 47's DG164): when the profile's cancers arose against the profile's therapies is not on
# file. Not the start of the other cancer's own therapy ("... no evidence of that disease recurrence for 5 years since
# initiation of that therapy", NCT02775435), a window
_DEVELOPED_BEFORE = lazy_regex(
    r"\b(?:develop(?:ed|s|ing)?|aris(?:ing|en)|arose|occur(?:ring|red|s)?)\b[^.;]{0,40}$", re.IGNORECASE
)
_AFTER_EVENT = lazy_regex(
    r"\b(?:after|since|following)\s+(?:the\s+)?(?:initiation|start|starting|beginning|commencement)\s+of\b"
    r"(?!\s+(?:that|this|the|their|its)\s+(?:therapy|treatment)\b)",
    re.IGNORECASE,
)
# a name or status that says the cancer is under treatment now ("prostate cancer, on androgen deprivation therapy")
_TREATED_NOW = lazy_regex(
    r"\b(?:on|under|receiving|requiring|undergoing)\s+(?:[\w-]+\s+){0,2}?(?:treatment|therapy|chemotherapy|radiotherapy)\b",
    re.IGNORECASE,
)
# ... or that it was treated ("breast cancer 2019, treated with lumpectomy", "bladder cancer, treated with BCG")
_TREATED = lazy_regex(r"\b(?:treated|resected|excised)\b", re.IGNORECASE)
# A sub-item that lets a treated cancer in ("Patients with prior malignancy treated < 5 years ago but have a life
# expectancy of > 5 years for that malignancy are eligible"): read with its lead-in (`treated_let_in`)
_TREATED_LET_IN = lazy_regex(r"\b(?:malignanc\w*|cancers?|tumou?rs?)\b[^.;]{0,40}?\btreated\b", re.IGNORECASE)
# ... on terms other than the cancer's absence, which a treated cancer that is still there does not meet: "History of
# prior malignancy allowed provided patient has been treated with curative intent and has been disease free ..."
# (NCT00765765)
_FREE_OF_IT = lazy_regex(
    r"\b(?:curative|curatively|disease[- ]free|free\s+of\s+(?:the\s+)?disease|no\s+(?:evidence|signs?)\s+of|without\s+"
    r"(?:evidence|recurrence|relapse)|in\s+(?:complete\s+)?remission|NED)\b",
    re.IGNORECASE,
)


def treated_let_in(criteria: list[Criterion]) -> list[Criterion]:
    """An exclusion of other cancers whose sub-item lets a treated one in, on its own terms (`_TREATED_LET_IN`, in a
    sub-item that says so: `text.permits`): the exclusion carries the sub-item's words
    (`OtherMalignancyValues.treated_let_in`), and a treated other cancer on file is not known to be barred; an untreated
    one still is (comorbid sample 33's CS054: a chronic lymphocytic leukaemia under watch and wait, against the same
    line)."""
    changed = list(criteria)
    for c in criteria:
        if c.parent is None or not _TREATED_LET_IN.search(c.text) or _FREE_OF_IT.search(c.text) or not permits(c.text):
            continue
        lead = changed[c.parent]
        words = shortened(one_line(c.text), 100)
        facts = tuple(_letting_in(f, words) for f in lead.facts)
        if facts != lead.facts:
            changed[c.parent] = replace(lead, facts=facts)
    return changed


def _letting_in(fact: Fact, words: str) -> Fact:
    v = fact.values
    if fact.kind is not FactKind.OTHER_MALIGNANCY or fact.polarity is not Polarity.EXCLUDE:
        return fact
    assert isinstance(v, OtherMalignancyValues)
    return fact if v.treated_let_in is not None else fact.changed(values=v.changed(treated_let_in=words))


# A treatment now told before the other cancer, as `_UNDER_TREATMENT` after it: "Being actively treated for another
# concurrent malignancy" (NCT02141828, comorbid sample 40's CZ138) is not an untreated CLL on watch and wait; a word of now only ("Patients who have been treated for another
# malignancy" asks a past treatment: the review of rules 61)
_TREATED_FOR_BEFORE = lazy_regex(
    r"\b(?:(?:actively|currently|presently|being)\s+(?:being\s+)?treated|under\s+(?:active\s+)?treatment|"
    r"receiving\s+(?:active\s+)?(?:treatment|therapy))\s+for\s+"
    r"(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.other_malignancy")
    if not mentions:
        return []
    m = mentions[0]
    window, uncertain = window_near(c, m)
    if _FOR_BEFORE.search(c.text, max(0, m.start - 120), m.start) or _NAMED_BEFORE.match(c.text, m.end):
        uncertain = f"another cancer told as what a therapy, study or finding is of ({m.text!r}) is not read"
    elif _JUDGED_AFTER.match(c.text, m.end):
        uncertain = "another cancer the investigator judges is not read"
    treated = _UNDER_TREATMENT.match(c.text, m.end)
    if treated and _TREATMENT_EXCEPTED.match(c.text, treated.end()):
        uncertain = uncertain or "an exception of a treatment of the other cancer is not read"
    if _INTERFERING_AFTER.match(c.text, treated.end() if treated else m.end):
        uncertain = (
            uncertain
            or "another cancer told by what it would do to the trial or the patient's outlook, which the profile does not say"
        )
    # a waiver after the other cancer (`conditions.WAIVER`), in its sentence and ";"-clause only ("Other active
    # malignancy. No concurrent investigational agents unless approved by the sponsor" waives the agents: the review of
    # rules 60)
    uncertain = uncertain or waiver_doubt(c.text, m.end, clause_stop(c.text, m.end))
    if (
        uncertain is None
        and (let_in := _LET_IN_AFTER.match(c.text, m.end))
        and not _NO_BEFORE.search(c.text, sentence_start(c.text, m.start), m.start)
    ):
        uncertain = f"another cancer the line lets in ({let_in.group(0).strip()!r}) is not excluded"
    if (
        uncertain is None
        and _DEVELOPED_BEFORE.search(c.text, sentence_start(c.text, m.start), m.start)
        and (event := _AFTER_EVENT.search(c.text, m.end, clause_stop(c.text, m.end)))
    ):
        uncertain = f"another cancer told after an event the profile does not record ({event.group(0).strip()!r})"
    treated_before = _TREATED_FOR_BEFORE.search(c.text, max(0, m.start - 60), m.start)
    values = OtherMalignancyValues(window, under_treatment=bool(treated or treated_before))
    return [make_fact(FactKind.OTHER_MALIGNANCY, c.polarity(m), values, "concept.other_malignancy", m.text,
                      uncertain)]  # fmt: skip


def in_a_trial_not_for_cancer(criteria: list[Criterion], conditions: Sequence[str]) -> list[Criterion]:
    """In a trial that is not for cancer, "no history of previous or active malignancy" excludes any cancer, the
    patient's own included (NCT01679041, conditions "multiple sclerosis"). The trial is not for cancer when its
    conditions list names only other diseases and no inclusion criterion but the exclusion itself names a cancer; a
    mention said against a first cancer ("other malignancy", "second cancer"), or a line the investigator judges
    (`cue.investigator_judgement`), stays other cancers only."""
    if not conditions or any(_CANCER_CONDITION.search(condition) for condition in conditions):
        return criteria
    if any(c.section is Section.INCLUSION and c.source == "text" and _CANCER_IN_TEXT.search(c.text)
           and not any(f.kind is FactKind.OTHER_MALIGNANCY for f in c.facts) for c in criteria):  # fmt: skip
        return criteria
    read = []
    for c in criteria:
        facts = c.facts if _INVESTIGATOR.search(c.text) else tuple(_of_any_cancer(f, c.text) for f in c.facts)
        read.append(c if facts == c.facts else replace(c, facts=facts))
    return read


def _of_any_cancer(fact: Fact, text: str) -> Fact:
    if fact.kind is not FactKind.OTHER_MALIGNANCY or fact.polarity is not Polarity.EXCLUDE or _against_a_first(
            fact.evidence, text):  # fmt: skip
        return fact
    assert isinstance(fact.values, OtherMalignancyValues)
    return fact if fact.values.any_cancer else fact.changed(values=fact.values.changed(any_cancer=True))


def _against_a_first(evidence: str, text: str) -> bool:
    """Whether the malignancy is said against a first cancer ("other", "second") in the criterion up to its mention:
    the mention's own words leave out what stands before them ("No other current active malignancy", NCT00073723, has
    the evidence "active malignancy"). The whole criterion when the evidence is not found in it."""
    line = one_line(text)
    at = line.find(evidence)
    return bool(_RELATIVE.search(line, 0, at + len(evidence) if at >= 0 else len(line)))


# What "malignant" names beside a cancer: the patient's own cancer's spread ("malignant pleural effusion", comorbid
# sample 63's DW110 and its kin, mend67) or a state that is no cancer ("malignant hypertension")
_NO_CANCER = lazy_regex(
    r"\bmalignant\s+(?:(?:pleural|pericardial|peritoneal)\s+)?(?:effusions?|ascites)\b|"
    r"\bmalignant\s+(?:spinal\s+)?cord\s+compression\b|\bmalignant\s+(?:hypertension|hyperthermia)\b|"
    r"\bneuroleptic\s+malignant\b"
)


def _another_cancer(c: Condition) -> bool:
    """Whether a condition on file names a cancer other than the thyroid's (a past one too)."""
    name = _NO_CANCER.sub(" ", c.name.lower())
    return any(w in name for w in MALIGNANCY_WORDS) and "thyroid" not in name


def other_cancer_names(p: Patient) -> list[str]:
    """The names of the other cancers on file, past ones too (`_another_cancer`)."""
    return [c.name for c in p.conditions if _another_cancer(c)]


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, OtherMalignancyValues)
    if v.any_cancer and (own := _own_cancer(p, v.within, on)) is not None:
        return own
    found = [c for c in current(p, MALIGNANCY_WORDS) if _another_cancer(c)]
    if not found:
        return Finding(
            None,
            "other cancers not recorded (not listed is not known to be absent)",
            missing="other malignancy history",
        )
    if v.within is not None:
        return Finding(None, f"{found[0].name} on file, without a date (trial: within {v.within})", (found[0].path,),
                       missing=f"date of diagnosis of {found[0].path}")  # fmt: skip
    said = f"{found[0].name} {found[0].status or ''}"
    if v.treated_let_in is not None and (_TREATED_NOW.search(said) or _TREATED.search(said)):
        return Finding(None, f"{found[0].name} on file; the trial lets in a treated cancer on terms the profile does "
                       f"not record ({v.treated_let_in!r})", (found[0].path,),
                       missing=f"whether {found[0].path} meets the terms a treated cancer is allowed on")  # fmt: skip
    if v.under_treatment and not _TREATED_NOW.search(said):
        return Finding(None, f"{found[0].name} on file ({found[0].status or 'status not stated'}); the trial asks "
                       "whether it needs treatment now", (found[0].path,),
                       missing=f"whether {found[0].path} needs treatment now")  # fmt: skip
    return Finding(True, f"{found[0].name} on file", (found[0].path,))


def _own_cancer(p: Patient, window: Window | None, on: date) -> Finding | None:
    """The patient's own cancer against a trial not for cancer that excludes any cancer history; None when no cancer
    is on file or, under a window, it was diagnosed before it (then other cancers are looked at as before)."""
    d = p.diagnosis
    if d is None or not (d.cancer or d.histology is not None):
        return None
    kind = "" if d.histology in (None, Histology.OTHER) else f"{d.histology.value.replace('_', ' ')} "
    name = d.cancer or f"{kind}thyroid cancer"
    path = ("diagnosis.cancer",) if d.cancer else ("diagnosis.histology",)
    said = f"trial excludes any history of cancer (it is not a cancer trial); the patient has {name}"
    if window is None:
        return Finding(True, said, path)
    if d.diagnosed_on is None:
        return Finding(None, f"{said}, without a diagnosis date (trial: within {window})", path,
                       missing="date of diagnosis (diagnosis.diagnosed_on)")  # fmt: skip
    if within(d.diagnosed_on, window, on):
        return Finding(True, f"{said}, diagnosed {d.diagnosed_on} (trial: within {window})",
                       (*path, "diagnosis.diagnosed_on"))  # fmt: skip
    return None


KIND = Kind(
    FactKind.OTHER_MALIGNANCY, OtherMalignancyValues, extract, evaluate, frozenset({"concept.other_malignancy"})
)
