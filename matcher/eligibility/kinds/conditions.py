"""Other named conditions (transplant, autoimmune disease, bleeding disorder, gastrointestinal conditions such as a
perforation or fistula, bowel obstruction or malabsorption, non-healing wound) and drug hypersensitivity. A listed
condition is present; one not listed is not known to be absent (../shared/contracts/patient.md), so it never satisfies
an exclusion."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Fact, FactKind, Section, Values
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, lazy_regex
from matcher.eligibility.numbers import Window
from matcher.eligibility.text import (
    IN_STATE,
    LEAD_LIST,
    PRESENT_NOW,
    STATES,
    THERAPY_LABELS,
    CriterionText,
    Mention,
    make_fact,
    permits,
    sentence_start,
    sentence_stop,
    window_in_words,
    window_near,
)
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Condition, Patient

_NAMES = {"concept.transplant": "organ or stem-cell transplant", "concept.autoimmune": "autoimmune disease",
          "concept.bleeding": "bleeding disorder", "concept.gi": "gastrointestinal perforation/fistula",
          "concept.wound": "non-healing wound"}  # fmt: skip


# concept.gi holds several conditions; each is named for what the text says, not all as a perforation or fistula:
# "diagnosis compatible with Malignant Bowel Obstruction" (NCT01083537, fresh sample 12 S040) asks for a bowel
# obstruction, "malabsorption syndrome" excludes malabsorption. (pattern on the phrase, name, words of a listed
# condition that are that condition: the gut's own, so that a thyroid patient's "airway obstruction", "tracheal
# obstruction", an "arteriovenous fistula" for dialysis or an immune-related "colitis" is no such condition)
_GI_NAMES = (
    (lazy_regex(r"perforat|fistula", re.I), "gastrointestinal perforation/fistula",
     ("gastrointestinal perforation", "gastrointestinal fistula", "bowel perforation", "intestinal perforation",
      "gastric perforation", "enterocutaneous fistula", "enteric fistula", "abdominal fistula")),
    (lazy_regex(r"obstruct", re.I), "bowel obstruction",
     ("bowel obstruction", "intestinal obstruction", "gastrointestinal obstruction", "gastric outlet obstruction")),
    (lazy_regex(r"absorp|short\s+(?:gut|bowel)", re.I), "malabsorption", ("malabsorption", "short bowel", "short gut")),
    # Crohn's disease is no ulcerative colitis (a Crohn's disease on file had been barred by "Ulcerative colitis",
    # NCT02048813, comorbid sample 30's CN009); "inflammatory bowel disease" or a bare "colitis" names either (cond30)
    (lazy_regex(r"crohn", re.I), "Crohn's disease", ("crohn",)),
    (lazy_regex(r"ulcerative\s+colitis", re.I), "ulcerative colitis", ("ulcerative colitis",)),
    (lazy_regex(r"colitis|inflammatory\s+bowel", re.I), "inflammatory bowel disease",
     ("crohn", "ulcerative colitis", "inflammatory bowel")),
    (lazy_regex(r"c(?:o?e)liac", re.I), "celiac disease", ("celiac", "coeliac")),
    (lazy_regex(r"pancreatitis", re.I), "pancreatitis", ("pancreatitis",)),
)  # fmt: skip
_GI_OTHER = "gastrointestinal disease"  # "gastrointestinal disease" and what the table does not name
# concept.autoimmune too: an immunodeficiency, or a pneumonitis, is no autoimmune disease, which a thyroid patient's
# "autoimmune thyroiditis" on file would meet ("Altered immunodeficiency", NCT00088933, review26_lead.jsonl L01)
_IMMUNE_NAMES = (
    (lazy_regex(r"immuno(?:defic|compromis|suppress)", re.I), "immunodeficiency",
     ("immunodeficien", "immune deficiency", "immunocompromised", "immunosuppressed")),
    # a pneumonitis is not the interstitial lung disease a pulmonary fibrosis on file is (comorbid sample 61's DU113,
    # DU118, mend63), nor the other way round
    (lazy_regex(r"pneumonitis", re.I), "pneumonitis", ("pneumonitis",)),
    (lazy_regex(r"interstitial|fibrosis", re.I), "interstitial lung disease", ("interstitial lung", "pulmonary fibrosis")),
    # ... and the two autoimmune diseases trials name most, which that disease on file is ("History of or current
    # active autoimmune diseases, including but not limited to inflammatory bowel diseases, rheumatoid arthritis, ...",
    # NCT02275416); a discoid lupus or a lupus anticoagulant on file is no systemic lupus
    (lazy_regex(r"rheumatoid", re.I), "rheumatoid arthritis", ("rheumatoid arthritis",)),
    (lazy_regex(r"lupus", re.I), "systemic lupus erythematosus", ("systemic lupus",)),
)  # fmt: skip
_SPLIT = {"concept.gi": (_GI_NAMES, _GI_OTHER), "concept.autoimmune": (_IMMUNE_NAMES, _NAMES["concept.autoimmune"])}
# ... and one autoimmune disease named in full: "Alcoholic and autoimmune hepatitis" (NCT02442531, comorbid sample 37's
# CW244) bars an autoimmune hepatitis, which a rheumatoid arthritis on file is not
_AUTOIMMUNE_HEPATITIS = "autoimmune hepatitis"
_HEPATITIS_AFTER = lazy_regex(r"\s+hepatitis\b", re.IGNORECASE)
_TERMS = {name: terms for _, name, terms in (*_GI_NAMES, *_IMMUNE_NAMES)} | {
    _GI_OTHER: ("gastrointestinal",),
    _AUTOIMMUNE_HEPATITIS: (_AUTOIMMUNE_HEPATITIS,),
}


def _name(c: CriterionText, m: Mention) -> str:
    if m.id not in _SPLIT:
        return _NAMES[m.id]
    if m.id == "concept.autoimmune" and m.text.lower() == "autoimmune" and _HEPATITIS_AFTER.match(c.text, m.end):
        return _AUTOIMMUNE_HEPATITIS
    names, other = _SPLIT[m.id]
    return next((name for pattern, name, _ in names if pattern.search(m.text)), other)


class ConditionValues(Values, frozen=True):
    conditions: tuple[str, ...]
    # "within 6 months": a profile's condition has no date, so one on file is in the window only when its status says
    # it is present now (`text.PRESENT_NOW`); else unknown (window26)
    within: Window | None = None
    # a state the text asks of the `qualified` conditions ("Active inflammatory bowel disease", "No uncontrolled
    # inflammatory GI disease (e.g., Crohn's disease ...)"): one on file is in it only when its status says so
    # (`text.IN_STATE`); a Crohn's disease "in remission" is not known to be active (cond30). A listed condition named
    # without it ("Evidence of active bleeding or bleeding diathesis": the diathesis) is barred as named.
    state: str | None = None
    qualified: tuple[str, ...] = ()
    # "History of pancreatitis": a history is asked, which a condition named on file as the cause of another meets
    # ("new-onset diabetes mellitus after pancreatitis", `_CAUSE_IN_NAME`; `_history_of`, mend71)
    history: bool = False


class HypersensitivityValues(Values, frozen=True):
    DISPLAY_ONLY = frozenset({"to"})

    to: tuple[str, ...] = ()


# A status that says a condition is over, word by word (past29): "resolved", "resolved 2022, on anticoagulation",
# "cured"; not "unresolved" or "not resolved"
_PAST = lazy_regex(r"(?<!\bnot\s)\b(?:resolved|cured)\b")


# The cause a condition's name gives after it, up to the next comma or bracket: "new-onset diabetes mellitus after
# pancreatitis" is a diabetes, no pancreatitis (comorbid sample 66's DZ021, mend71); "hand-foot skin reaction from
# cabozantinib"
_CAUSE_IN_NAME = lazy_regex(r"\s+(?:after|following|secondary\s+to|due\s+to|caused\s+by|from)\s+[^,;()]*")


def current(p: Patient, terms: tuple[str, ...]) -> list[Any]:
    """The patient's current conditions whose name, its cause left out (`_own_name`), contains one of ``terms`` (lower
    case; `_names`): not one whose status says it is over (`_PAST`) or "none"."""
    return [c for c in p.conditions if any(_names(_own_name(c.name), t) for t in terms) and not is_over(c)]


@cache
def _own_name(name: str) -> str:
    """A condition's name in lower case without the cause it gives (`_CAUSE_IN_NAME`), once per name."""
    return _CAUSE_IN_NAME.sub("", name.lower())


def _names(name: str, term: str) -> bool:
    """Whether a condition's name holds a term: a short one (an abbreviation, "tia", "hiv", "chf") where a word starts,
    not inside another word ("interstitial lung disease" holds no TIA: comorbid sample 61's DU058, mend63); a longer
    one anywhere."""
    if len(term) > 4:
        return term in name
    at = name.find(term)
    while at >= 0:
        if at == 0 or not name[at - 1].isalnum():
            return True
        at = name.find(term, at + 1)
    return False


def _history_of(p: Patient, terms: list[str]) -> Condition | None:
    """A condition on file whose name gives one of ``terms`` as its cause (`_CAUSE_IN_NAME`): a history of it. (Not a
    condition that is over: "resolved" says it happened, but the names a line bars are looked up by words, and a past
    "upper gastrointestinal bleeding" is no "bleeding diathesis"; tried and left, mend71.)"""
    for c in p.conditions:
        causes = " ".join(m.group(0) for m in _CAUSE_IN_NAME.finditer(c.name.lower()))
        if causes and any(_names(causes, t) for t in terms):
            return c
    return None


def is_over(c: Condition) -> bool:
    """Whether a condition's status says it is over: "none", "resolved", "cured"."""
    status = (c.status or "").lower()
    return status == "none" or bool(_PAST.search(status))


def listed_condition(p: Patient, label: str, terms: list[str]) -> Finding:
    """A listed condition whose name contains one of ``terms`` is present; an unlisted one is unknown."""
    found = current(p, tuple(t.lower() for t in terms if t))
    if found:
        return Finding(True, f"{found[0].name} on file", (found[0].path,))
    return Finding(None, f"{label} not recorded (not listed is not known to be absent)", missing=label)


_CANDIDACY = cue("cue.candidacy.before")
# what a condition is asked to do, which a profile does not say (`_CONSEQUENCE`, `_LEAD_STATE_OVER_CONSEQUENCE`)
CONSEQUENCE = (
    r"\b(?:that|which)\s+(?:would|may|might|could|will|can)\s+(?:\w+\s+){0,2}?(?:interfere|preclude|affect|impair|"
    r"alter|prevent|limit|compromise|impede)"
)
# The state told of a listed condition (cond30): right before it, with no alternative between ("Active or history of
# inflammatory bowel disease" asks no state), or of the disease the list gives examples of, or right after it
# ("Inflammatory bowel disease that is uncontrolled or on active treatment", NCT02782182)
_STATE_BEFORE = lazy_regex(
    rf"\b(?P<q>{STATES}|active|severe)\s+(?:(?!(?:and/)?or\b)[\w/'-]+\s+){{0,3}}$", re.IGNORECASE
)  # "Severe rheumatoid arthritis" (NCT01131364): a gravity the status may say (the review of rules 58)
_LEAD_STATE = lazy_regex(rf"\b(?P<q>{STATES}|active){LEAD_LIST}", re.IGNORECASE)
# ... over a consequence told of that disease before its examples: "Any history or presence of poorly controlled
# gastrointestinal disorders that could affect the absorption of the study drug (e.g. Crohn's disease, ...)"
# (NCT03652233, comorbid sample 51's DK112)
_LEAD_STATE_OVER_CONSEQUENCE = lazy_regex(
    rf"\b(?P<q>{STATES}|active)\s+(?:[\w/-]+\s+){{1,3}}?{CONSEQUENCE}[^.;:,()]{{0,80}}?\(?\s*"
    r"(?:\bsuch\s+as|\bincluding|\be\.\s*g\.|\bfor\s+example)[^.;]*$",
    re.IGNORECASE,
)
_STATE_AFTER = lazy_regex(rf"\s*(?:\([^()]{{0,40}}\)\s*)?,?\s*(?:(?:that|which)\s+(?:is|are)\s+(?P<q>{STATES}|active)\b|"
                          # "No rheumatoid arthritis or systemic lupus erythematosus requiring active treatment"
                          # (NCT00765765): a treatment the profile's conditions do not list (the review of rules 58)
                          r"(?P<treated>requiring\s+(?:active\s+)?(?:treatment|therapy)))",
                          re.IGNORECASE)  # fmt: skip
# ... but none where a history of it is the other way in, after it in its sentence or right before the state: "Active
# autoimmune disease or history of autoimmune disease that might recur" (NCT03511222), "Has an active autoimmune disease
# or a documented history of autoimmune disease" (NCT02819804), "History of or current active autoimmune diseases"
_OR_HISTORY = lazy_regex(
    r"\b(?:and/)?or\s+(?:an?\s+|any\s+)?(?:documented\s+|known\s+)?(?:history|prior|past|previous)\b", re.IGNORECASE
)
_HISTORY_OR = lazy_regex(r"\b(?:history|prior|past|previous)\s+(?:of\s+)?(?:and/)?or\s+(?:\w+\s+)?$", re.IGNORECASE)
# a condition told as the cause of what the text asks ("Patients with >= grade 2 diarrhea ... due to medications or a
# medical condition such as Crohn's disease", NCT02155465; "persistent diarrhea due to a malabsorptive syndrome (such
# as celiac sprue or inflammatory bowel disease)", NCT02323906): the condition alone is not what is excluded (cond30)
_CAUSE_BEFORE = lazy_regex(
    r"\b(?:due\s+to|caused\s+by|secondary\s+to|resulting\s+from|because\s+of)\b[^.;]{0,80}$", re.IGNORECASE
)
# ... or with a consequence the text asks of it: "inflammatory bowel disease that would interfere with the intestinal
# absorption of drug" (NCT02588261, comorbid sample 30's CN006), "chronic gastrointestinal diseases (e.g. inflammatory
# bowel disease), or significant bowel resection that would preclude adequate absorption" (NCT01016860, CN070): a
# profile does not say it (cond30). Not one a catch-all item owns: "Malabsorption syndrome or other condition that
# would interfere with enteral absorption" bars the malabsorption as named.
_CONSEQUENCE = lazy_regex(CONSEQUENCE, re.IGNORECASE)
# ... or told by a treatment for it, which a profile's conditions do not list: "No concurrent treatment for rheumatoid
# arthritis or systemic lupus erythematosus" (NCT00728845), "(e.g., methotrexate for rheumatoid arthritis)"
# (NCT00096486), "Conditions requiring chronic steroid or immunosuppressive treatment (eg, rheumatoid arthritis, ...)"
# (NCT02103335), "patients with rheumatoid arthritis taking hydroxychloroquine (Plaquenil)" (NCT02339168): the
# condition alone is not what is excluded, and is not read (the review of rules 58)
_FOR_BEFORE = lazy_regex(
    r"\b(?:treatments?|therap(?:y|ies)|medications?|drugs?|agents?|[a-z]{4,}(?:ate|ine|one|mab|nib))\s+"
    r"(?:[\w-]+\s+){0,4}?for\s+(?:the\s+)?(?:(?:management|treatment|control)\s+of\s+)?(?:comorbid\s+conditions?\s*)?"
    r"(?:\(\s*(?:e\.?\s*g\.?|such\s+as|including)[\s,.]*)?(?:[\w'\s-]{0,60}?(?:,|\bor\b|\band\b)\s*)?$",
    re.IGNORECASE,
)
_REQUIRING_BEFORE = lazy_regex(
    r"\brequir\w*\s+[^.;()]{0,60}?(?:treatments?|therapy|medications?)\s*\(\s*(?:e\.?\s*g\.?|such\s+as|including)"
    r"[^.;()]*$",
    re.IGNORECASE,
)
_TAKING_AFTER = lazy_regex(r"\s+(?:taking|receiving|treated\s+with)\s+[\w-]+", re.IGNORECASE)


_LIST_JOIN = lazy_regex(r"\s*(?:,\s*)?(?:(?:and/)?or\s+)?", re.IGNORECASE)
# A history asked earlier in the sentence ("History of pancreatitis", "History of, or clinical evidence of, pancreatic
# injury or pancreatitis"), of the condition as named, not of a kind of it told right before it ("Known history of
# chronic pancreatitis", "History of any L-asparaginase induced pancreatitis"), which a past one on file may not be
_HISTORY_OF = lazy_regex(r"\bhistory\s+of\b[^.;:]*$", re.IGNORECASE)
_KIND_OF = lazy_regex(
    r"\b(?:chronic|acute|induced|symptomatic|grade|recurrent|severe|active|current|ongoing|related|associated)\b",
    re.IGNORECASE,
)


def _treatment_of(c: CriterionText, m: Mention) -> bool:
    """Whether a listed condition is told by a treatment for it (`_FOR_BEFORE`, `_REQUIRING_BEFORE`,
    `_TAKING_AFTER`)."""
    start = max(sentence_start(c.text, m.start), m.start - 100)
    return bool(
        _FOR_BEFORE.search(c.text, start, m.start)
        or _REQUIRING_BEFORE.search(c.text, start, m.start)
        or _TAKING_AFTER.match(c.text, m.end)
    )


# the catch-all item that owns such a clause ("or any other gastrointestinal disorder or defect that would ...")
_CATCH_ALL = lazy_regex(r"\bother\b[^.;,]{0,50}$", re.IGNORECASE)
# where the first condition's state stops reaching the list: a risk of the condition ("or bleeding diathesis", "or a
# pathological condition that is associated with a high risk of bleeding") or its history
_AT_RISK = lazy_regex(r"diathes|\brisk|predispos|tendenc|\bhistory", re.IGNORECASE)
# a duration told as the least time passed: "> 100 days prior", "more than 6 months ago"
_LONGER_THAN = lazy_regex(
    r"(?:>|≥|\b(?:more|greater|longer)\s+than|\bover|\bat\s+least)\s*\d+\s*(?:days?|weeks?|months?|years?)\b", re.I
)
# "brain metastases without associated hemorrhage" (NCT02065466, fresh sample 12 S144): a lesion's bleeding, not a
# bleeding disorder of the patient's
_LESION_BLEEDING = cue("cue.condition.lesion_bleeding_before")


def _lesions(c: CriterionText, m: Mention) -> bool:
    return m.id == "concept.bleeding" and bool(_LESION_BLEEDING.search(c.text, max(0, m.start - 80), m.start))


# A waiver of an exclusion the profile cannot settle: "unless approved by the protocol Chair or Co-Chair" (NCT00601718,
# comorbid sample 39's CY128), "Other malignancies may be considered after consultation with the Medical Monitor"
# (NCT03151408, sample 43's DC134), "Additional exceptions may be made with medical monitor approval" (NCT03121716,
# sample 44's DD239: mend45). Other cancers' (other_malignancy.py, in the clause after the mention) and conditions'
# (anywhere after the first one)
WAIVER = lazy_regex(
    r"\bunless\s+(?:otherwise\s+|specifically\s+)?approved\s+by\b|\bmay\s+be\s+(?:considered|allowed|permitted|accepted)\s+"
    r"(?:\w+\s+){0,2}?(?:after|upon|following|with|pending)\s+(?:\w+\s+){0,2}?(?:consultation|discussion|approval|agreement)\b"
    r"|\bexceptions?\s+(?:may|can|could)\s+be\s+(?:made|granted|considered)\b[^.;]{0,40}?\b(?:approval|consultation|discussion)\b",
    re.IGNORECASE,
)


def waiver_doubt(text: str, start: int, stop: int | None = None) -> str | None:
    """Why a reading is uncertain when a waiver (`WAIVER`) stands in ``text[start:stop]``, or None."""
    waiver = WAIVER.search(text, start, len(text) if stop is None else stop)
    return None if waiver is None else f"a waiver the profile cannot settle ({' '.join(waiver.group(0).split())!r} ...)"


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = [
        m
        for m in c.mentions
        if m.id in _NAMES
        and not c.excepted(m)
        and not permits(c.clause_text(m.start))
        and not _lesions(c, m)
        and not _treatment_of(c, m)
    ]
    if not mentions or _CANDIDACY.search(c.text, max(0, mentions[0].start - 100), mentions[0].start):
        # "Must not be a candidate for autologous stem cell transplant (ASCT), have declined the option of ASCT, or
        # have relapsed after prior ASCT" (NCT02189343) asks whether a transplant could be given, not whether one
        # was; the criterion's later mentions are its alternatives (parser 20)
        return []
    named = {m: _name(c, m) for m in mentions}
    names = tuple(dict.fromkeys(named.values()))
    # "None of the following within 28 days of beginning treatment: abdominal fistula, gastrointestinal perforation,
    # ..." (NCT00698815) does not bar a perforation years ago (window26)
    window, unread = window_near(c, mentions[0])
    clause = c.clause_text(mentions[0].start)
    if window is not None and (numbers.SINCE_CUE.search(clause) or _LONGER_THAN.search(clause)):
        # "At least 4 weeks since prior autologous stem cell transplantation" (NCT00357305), "transplant was > 100 days
        # prior" (NCT01476137, review26_conditions.jsonl C03): a time since, not within
        unread = f"a time since the condition ({window}) is not read"
        window = None
    elif window is None and unread is None:
        unread = window_in_words(c.text)
    first = mentions[0]
    if unread is None and (cause := _CAUSE_BEFORE.search(c.text, max(0, first.start - 100), first.start)):
        unread = f"a condition told as the cause of another ({' '.join(cause.group(0).split()[:2])!r}) is not read"
    consequence = _CONSEQUENCE.search(c.text, first.end, sentence_stop(c.text, first.end))
    if unread is None and consequence and not _CATCH_ALL.search(c.text, first.end, consequence.start()):
        unread = f"a consequence asked of the condition ({consequence.group(0)!r} ...) is not read"
    unread = unread or waiver_doubt(c.text, first.end)
    states = {m: st for m in mentions if (st := _state_of(c, m))}
    if mentions[0] in states:  # the first's state reaches the list after it in its sentence ("The subject has active
        # ulcerative colitis, Crohn's disease, celiac disease", NCT01225302; "Inflammatory bowel disease that is
        # uncontrolled or on active treatment (Crohn's disease, ulcerative colitis)", NCT02782182) up to a risk of the
        # condition: "Evidence of active bleeding or bleeding diathesis" bars the diathesis as named
        for m in mentions[1:]:
            if m not in states and (
                _AT_RISK.search(c.text, max(0, m.start - 25), m.end) or not _same_sentence(c, mentions[0], m)
            ):
                break
            states.setdefault(m, states[mentions[0]])
    last = mentions[-1]
    if len(mentions) > 1 and last in states and _STATE_AFTER.match(c.text, last.end):
        # ... and a state told after the last of a list reaches back over it: "No rheumatoid arthritis or systemic
        # lupus erythematosus requiring active treatment" (NCT00765765)
        for before, m in zip(mentions[-2::-1], mentions[:0:-1], strict=True):
            if not _LIST_JOIN.fullmatch(c.text, before.end, m.start):
                break
            states.setdefault(before, states[last])
    # a name is asked in a state when each of its mentions is
    qualified = tuple(n for n in names if all(m in states for m in mentions if named[m] == n))
    told = "/".join(dict.fromkeys(" ".join(st.group(st.lastgroup or "q").lower().split()) for m, st in states.items()
                                  if named[m] in qualified))  # fmt: skip
    history = bool(_HISTORY_OF.search(c.text, sentence_start(c.text, first.start), first.start)) and not any(
        _KIND_OF.search(c.text, max(0, m.start - 20), m.end) for m in mentions
    )
    values = ConditionValues(names, window, told or None, qualified, history)
    return [make_fact(FactKind.CONDITION, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text, unread)]


def _state_of(c: CriterionText, m: Mention) -> re.Match[str] | None:
    """The state the text tells of a listed condition (`_STATE_BEFORE`, `_LEAD_STATE`, `_STATE_AFTER`), or None."""
    state = (
        _STATE_BEFORE.search(c.text, max(0, m.start - 50), m.start)
        or _LEAD_STATE.search(c.text, sentence_start(c.text, m.start), m.start)
        or _LEAD_STATE_OVER_CONSEQUENCE.search(c.text, sentence_start(c.text, m.start), m.start)
        or _STATE_AFTER.match(c.text, m.end)
    )
    if state and (
        _OR_HISTORY.search(c.text, m.end, sentence_stop(c.text, m.end))
        or _HISTORY_OR.search(c.text, max(0, state.start() - 40), state.start())
        # "Active or prior documented autoimmune or inflammatory disorders (including inflammatory bowel disease ...)"
        # (NCT03753919)
        or _OR_HISTORY.match(c.text, state.end("q") + 1)
    ):
        return None
    return state


def _same_sentence(c: CriterionText, a: Mention, b: Mention) -> bool:
    return sentence_start(c.text, a.start) == sentence_start(c.text, b.start)


def _terms_of(name: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in _TERMS.get(name, name.split()[:1]))


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    """A listed condition on file is present (`listed_condition`); one the text asks in a state only when its status
    says the state (`text.IN_STATE`), and one asked within a window only when its status says it is present now
    (`text.PRESENT_NOW`): else unknown."""
    v = fact.values
    assert isinstance(v, ConditionValues)
    terms = [t for n in v.conditions for t in _terms_of(n)]
    found = listed_condition(p, " / ".join(v.conditions), terms or ["-"])
    if found.has is None and v.history and v.within is None and not v.qualified and (past := _history_of(p, terms)):
        status = past.status or "status not stated"
        return Finding(True, f"{past.name} on file ({status}): a history of {' / '.join(v.conditions)}", (past.path,))
    if (v.within is None and not v.qualified) or found.has is not True:
        return found
    bare = tuple(t for n in v.conditions if n not in v.qualified for t in _terms_of(n))
    undecided = None  # the first condition on file that does not meet the text, and whether its state is why
    for condition in current(p, tuple(terms)):
        status = (condition.status or "").lower()
        # named bare, or only in the state asked and in it
        in_state = any(t in condition.name.lower() for t in bare) or bool(IN_STATE.search(status))
        if in_state and (v.within is None or PRESENT_NOW.search(status)):
            return Finding(True, f"{condition.name} on file", (condition.path,))
        undecided = undecided or (condition, status, not in_state)
    assert undecided is not None  # `found` holds one
    condition, status, unmet_state = undecided
    if unmet_state:
        return Finding(None, f"{condition.name} on file ({status or 'status not stated'}); the trial asks whether it "
                       f"is {v.state}", (condition.path,), missing=f"whether {condition.path} is {v.state}")  # fmt: skip
    return Finding(None, f"{condition.name} on file; its date is not (trial: within {v.within})", (condition.path,),
                   missing=f"date of {condition.path}")  # fmt: skip


# Intolerance offered beside a progression as the other way in: "progression following or intolerance to irinotecan
# and oxaliplatin" (NCT02393755), "documented disease progression during or after ... sorafenib therapy, or intolerance
# of sorafenib therapy" (NCT02572687): a prior therapy asked for, read by that kind (`TherapyValues.or_intolerant`),
# not a hypersensitivity (misread24)
_OR_INTOLERANT = cue("cue.therapy.or_intolerant")


def intolerance_offered(c: CriterionText, m: Mention) -> bool:
    """Whether a hypersensitivity mention is an intolerance an inclusion offers as the other way in beside a
    progression or a receipt of a therapy (`_OR_INTOLERANT`)."""
    return c.section is Section.INCLUSION and any(
        a.start() <= m.start < a.end() for a in _OR_INTOLERANT.finditer(c.text)
    )


def extract_hypersensitivity(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = [m for m in c.of("CONCEPT", "concept.hypersensitivity") if not intolerance_offered(c, m)]
    if not mentions:
        return []
    drugs = tuple(sorted({m.id for m in c.mentions if m.label in THERAPY_LABELS}))
    values = HypersensitivityValues(drugs)
    return [make_fact(FactKind.HYPERSENSITIVITY, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text)]


def evaluate_hypersensitivity(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    return Finding(None, "allergies are not in the profile", missing="drug allergies")


CONDITION = Kind(FactKind.CONDITION, ConditionValues, extract, evaluate, frozenset(_NAMES))
HYPERSENSITIVITY = Kind(FactKind.HYPERSENSITIVITY, HypersensitivityValues, extract_hypersensitivity,
                        evaluate_hypersensitivity, frozenset({"concept.hypersensitivity"}))  # fmt: skip
