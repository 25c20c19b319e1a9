"""The heart: QTc ("QTcF > 470 ms"), LVEF ("LVEF < 50%"), and cardiac history (infarction, heart failure with NYHA
class, arrhythmia, long QT syndrome), each with a window where the text gives one ("within 6 months")."""

from __future__ import annotations

import re
from datetime import date

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section, Values, shortened
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, compare, fmt, lazy_regex
from matcher.eligibility.kinds.conditions import current
from matcher.eligibility.numbers import Window
from matcher.eligibility.text import (
    IN_STATE,
    LEAD_LIST,
    STATE_WORDS,
    STATES,
    CriterionText,
    Mention,
    alternation,
    make_fact,
    sentence_start,
    sentence_stop,
    window_in_words,
    window_near,
)
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient


class QtcValues(Values, frozen=True):
    op: str
    value: int | float
    correction: str = "any"  # qtcf (Fridericia) | bazett | any (the text does not say)
    sex: str | None = None  # male | female: the limit is that sex's ("QTcF >= 450 ms (male) or >= 470 ms (female)")


class LvefValues(Values, frozen=True):
    op: str
    value: int | float


class CardiacValues(Values, frozen=True):
    conditions: tuple[str, ...]
    nyha_min: int | None = None
    within: Window | None = None
    qualifier: str | None = None  # "symptomatic", "uncontrolled", "unstable": a listed condition may not be so
    # the listed conditions the qualifier is told of alone ("ventricular tachycardia, or uncontrolled atrial
    # fibrillation", NCT00923247); none: it is told of the whole list
    qualified: tuple[str, ...] = ()
    # the listed conditions the trial limits by a CTCAE grade ("≥ grade 3 atrial fibrillation"): a profile records no
    # grade, so one of them on file is not known to reach it
    graded: tuple[str, ...] = ()


_QTCF = lazy_regex(r"\bQTcF\b|Fridericia", re.IGNORECASE)
_LONG_QT = lazy_regex(r"\blong QT|QT prolongation|prolonged QT", re.IGNORECASE)
# the classification's name, as trials write it: "CHF NY Heart Association class III or IV" (NCT01130662, cardiac30),
# "congestive heart failure (New York Health Authority Class > 2)" (NCT03121716, comorbid sample 33's CS060)
_NYHA_NAME = r"(?:NYHA|N\.?\s?Y\.?\s+Heart\s+Association|New\s+York\s+(?:Heart\s+Association|Health\s+Authority))"
_NYHA = lazy_regex(
    r"(?:(?P<gt>greater than|more than|worse than|higher than|above|>)\s*(?:the\s+)?)?"
    rf"{_NYHA_NAME}"
    r"[^.;]{0,40}?(?:class(?:ification)?|grade)\s*(?P<gt2>>|greater than|higher than)?\s*(?P<c>IV|III|II|I|[1-4])\b",
    re.I,
)
# "Class III or IV heart failure as defined by the NYHA functional classification"
_NYHA_AFTER = lazy_regex(rf"\b(?:class|grade)\s*(?P<c>IV|III|II|I|[1-4])\b[^.;]{{0,80}}?\b{_NYHA_NAME}", re.I)
# "Severe cardiac insufficiency (NYHA III or IV)" (NCT02442739): the class right after the name (cardiac29)
_NYHA_BARE = lazy_regex(
    r"(?:(?P<gt>greater than|more than|worse than|higher than|above|>)\s*)?"
    rf"\b{_NYHA_NAME}\s+(?P<c>IV|III|II)\b",
    re.IGNORECASE,
)
# ... or a class told right after heart failure without the classification's name: "Congestive heart failure, class
# IV" (NCT00395863, cardiac30)
_CLASS_AFTER = lazy_regex(
    r"\s*[,(]?\s*(?:functional\s+)?class\s*(?:(?P<gt>>)(?!=)|≥|>=)?\s*(?P<c>IV|III|II|[2-4])\b", re.I
)
_FAILURE = lazy_regex(r"failure|\bchf\b", re.IGNORECASE)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
# how grave a condition is told, which a qualifier may say beside a state (`_a_state`)
_GRAVITY = ("severe", "significant", "clinically significant", "clinically relevant", "active", "serious")
# the states of control, which a status "active" does not say (`_state_said`)
_CONTROL = ("uncontrolled", "poorly controlled", "unstable", "decompensated", "uncompensated", "refractory")
_QUALIFIER = lazy_regex(
    # a word or two between, "/" and "-" within: "No active and/or untreated pulmonary embolism" (NCT00436501,
    # cardiac29); and one more after "or": "Non-controlled arterial or venous thromboembolism" (NCT02250118, comorbid
    # sample 66's DZ373, mend71)
    rf"\b(?P<q>{STATES}|{alternation(_GRAVITY)}|non-?controlled)\s+(?:[\w/-]+\s+){{0,2}}(?:(?:and/)?or\s+[\w/-]+\s+)?$",
    re.IGNORECASE,
)
# ... or a state told of a disease whose examples the list gives, earlier in the sentence: "Uncontrolled medical
# problems such as diabetes mellitus, coronary artery disease, ..." (NCT00091624), "Concurrent severe or uncontrolled
# medical disease (i.e., ..., coronary artery disease, congestive heart failure)" (NCT00345189): a stable coronary
# artery disease is not known to be one (cardiac29). A state, not a gravity: the examples of "clinically significant
# cardiac disease including myocardial infarction" are barred as named
_LEAD_STATE = lazy_regex(rf"\b(?P<q>{STATES}){LEAD_LIST}", re.IGNORECASE)
# A condition asked as one during or after a therapy: "symptomatic CHF with previous adjuvant trastuzumab treatment"
_OF_A_THERAPY = lazy_regex(
    r"\s*(?:with|during|after|on|following)\s+(?:previous|prior)\s+(?:[\w-]+\s+){0,2}?(?:treatment|therapy)\b",
    re.IGNORECASE,
)
# ... and a second one told as its alternative ("uncontrolled or symptomatic")
_OR_QUALIFIER = lazy_regex(rf"\s*(?:or|and/or)\s+(?P<q>{STATES}|{alternation(_GRAVITY)})\b", re.IGNORECASE)
# ... and a state of control told with it, both asked ("No uncontrolled, symptomatic congestive heart failure")
_CONTROL_WITH = lazy_regex(rf"\b(?P<q>{alternation(_CONTROL)})\s*(?:,|\band\b)\s*$", re.IGNORECASE)
# ... or of one listed condition, right before it ("or uncontrolled atrial fibrillation")
_OWN_QUALIFIER = lazy_regex(rf"\b(?P<q>{STATES})\s+$", re.IGNORECASE)
# ... or a treatment told right after a condition ("Cardiac ventricular arrhythmias requiring anti-arrhythmic therapy",
# "angina pectoris requiring medication", NCT01964391): a condition under treatment, which a profile's status seldom
# says (treat26)
_TREATED_AFTER = lazy_regex(
    # past an abbreviation in brackets: "Congestive heart failure (CHF) currently requiring therapy" (NCT03511222,
    # cardiac30)
    r"\s*(?:\([^()]{0,40}\)\s*)?(?:,?\s*(?P<q>(?:(?:currently\s+)?requiring|that\s+requires?|which\s+requires?|needing|"
    # "Coronary artery disease on nitrate therapy" (NCT00544076, cardiac29)
    r"on)\s+(?:[\w-]+\s+){0,3}?(?:medications?|treatment|therapy|intervention|drugs?))\b|"
    # a state or a heart rate told right after it (cardiac29): "History of arrhythmia that is symptomatic or requires
    # treatment" (NCT02244502), "Atrial fibrillation with heart rate >100 bpm" (NCT01160926), "Presence of atrial
    # fibrillation (ventricular heart rate >100 bpm)" (NCT00993642): a profile records neither
    rf"\s*,?\s*(?:that|which)\s+(?:is|are|was|were)\s+(?P<state>{STATES})\b|"
    # ... or told as not controlled: "chronic heart failure not controlled by appropriate medical treatment"
    # (NCT02250118, comorbid sample 53's DM052), "arrhythmias not well controlled with medication": uncontrolled
    r"\s*,?\s*(?P<uncontrolled>(?:not|inadequately|insufficiently)\s+(?:well\s+)?controlled)\b|"
    r"\s*(?:\(\s*|,?\s*with\s+(?:an?\s+)?)(?P<rate>(?:(?:ventricular|heart)\s+){1,2}rate\s*(?:>|≥|>=|greater\s+than|"
    r"above|over|of\s+more\s+than)\s*\d+(?:\s*(?:bpm|beats))?)|"
    # ... or an ejection fraction that defines it: "Heart failure (EF < 55%)" (NCT00306813, cardiac30)
    r"\s*(?:\(\s*|,?\s*with\s+(?:an?\s+)?)(?P<ef>(?:LV)?EF\s*(?:<|≤|<=|=<|less\s+than)\s*\d+\s*%)|"
    # ... or another feature told after "with": "Coronary artery disease with angina limiting exercise capability"
    # (NCT02234037, comorbid sample 37's CW050) is not a stable coronary artery disease with no angina on file. Not
    # a class, grade or window, read as such, nor "with or without"
    r"\s+with\s+(?P<feature>(?!(?:or|and|the|an?|any|either|exception|NYHA|New|class|grade|in|within)\b)[\w-]+"
    r"(?:\s+(?!(?:or|and|within|in|during|for)\b)[\w-]+){0,3}))",
    re.IGNORECASE,
)
# ... or a treatment told before the list: "Were currently receiving medications administered for cardiac arrhythmia,
# angina or congestive heart failure (e.g., digitalis, ...), that alter cardiac conduction" (NCT00446030, cardiac30)
_TREATED_BEFORE = lazy_regex(
    r"\b(?:receiving|taking|on)\s+(?:[\w-]+\s+){0,2}?(?:medications?|drugs?|treatment|therapy)"
    r"(?:\s+(?:administered|given|prescribed|used))?\s+for\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


# ... or told before the list as not responding to treatment: "Have documented major electrocardiogram (ECG)
# abnormalities (not responding to medical treatments; for example, atrial fibrillation, ...)" (NCT02734160, comorbid
# sample 39's CY013): a controlled atrial fibrillation is not one. Right before the examples only: "Uncontrolled
# hypertension (not responsive to antihypertensive medication) or congestive heart failure" says it of the
# hypertension (the review of rules 60)
_NOT_RESPONDING = lazy_regex(
    r"\bnot\s+(?:responding|responsive|respond)\s+to\s+(?:[\w-]+\s+)?(?:treatments?|therapy|medications?)\s*[;,]?\s*"
    r"(?:for\s+example|e\.\s*g\.|such\s+as|including)[\s,.:]*$",
    re.IGNORECASE,
)


# A judgement of the investigator after the heart conditions named (`extract_cardiac`), and what makes it another
# item's: "other", "and/or" (after the condition before the last one: "Unstable angina, or other significant cardiac
# disease that in the opinion of the investigator ...")
_JUDGED = cue("cue.investigator_judgement")
_OTHER_BETWEEN = lazy_regex(r"\bother\b|\band\s*/\s*or\b", re.IGNORECASE)

# A limit the patient must meet, stated with its modal: "QTc ... must be less than 480 msec"
_MUST_BE = cue("cue.cardiac.must_be")
# a CTCAE grade limit told right before a listed condition ("≥ grade 3 atrial fibrillation", "Grade 3 or Grade 4
# cardiac arrhythmia") or right after it ("cardiac dysrhythmias of NCI CTCAE grade >/= 2"); "of any grade" is none
_GRADE_BEFORE = cue("cue.cardiac.grade_before")
_GRADE_AFTER = cue("cue.cardiac.grade_after")
# What leaves a QTc limit undecided by the QTcF on file (sweep 4): a limit asked only of patients on some drug, an
# uncorrected QT
_DRUG_CONDITION = cue("cue.qtc.drug_condition")
_UNCORRECTED = cue("cue.qtc.uncorrected")
# ... and a limit asked only with the electrolytes at given levels (sample 12): "QTc > 450 in the presence of potassium
# >= 4 mEq/L and magnesium >= 1.7 mEq/L" (NCT01014546)
_ELECTROLYTE_CONDITION = cue("cue.qtc.electrolyte_condition")
# ... and a limit that a review or a re-measurement can clear (sample 14): "If the screening ECG has a QTc >= 450 msecs,
# the ECG can be submitted for a centralized, cardiologic evaluation" (NCT00724984), "the screen ECG may be repeated
# twice ... The average QTc from the three screening ECGs must be <480 msec" (NCT01183559)
_CLEARING_REVIEW = cue("cue.qtc.clearing_review")
# Where such a condition ends: at the next alternative, clause or sentence ("... and magnesium greater than or equal to
# 1.8 mg/dL, or underlying conduction disease that prevents measurement of the QTc interval", NCT00590603); a bracket
# opened inside it is read whole ("potassium (K) >= 4.0 mEq/L and magnesium (Mg) >= 1.8 mg/dL")
_CONDITION = lazy_regex(r"(?:[^;()]|\([^()]*\))*?(?=,\s*or\s|[;)]|\.(?:\s|$)|$)")
_REACH = 80  # characters from a QTc or LVEF mention to the limit that belongs to it


def _near(c: CriterionText, m: Mention) -> list[numbers.Threshold]:
    """The limits that start within reach of the mention, in order: a comparator written out in words ("greater than
    or equal to 450 ms") may carry its number past the reach. A limit written after its number ("45% or less") too."""
    found = numbers.thresholds(c.text, m.start) + numbers.trailing_thresholds(c.text, m.start)
    return sorted((t for t in found if t.start <= m.end + _REACH), key=lambda t: t.start)


def _polarity(c: CriterionText, m: Mention) -> tuple[Polarity, str | None]:
    """The polarity of a heart limit, and a doubt: under an exclusion heading a "no" inside a list item ("History of
    familial long QT, serious ventricular arrhythmia ..., no QTc >= 480 msec calculated ...", NCT03391050) negates the
    exclusion only by a slip of the pen; read as the exclusion it sits in, and uncertain (parser 21)."""
    polarity = c.polarity(m)
    if c.section is Section.EXCLUSION and polarity is Polarity.REQUIRE and c.negating_cues(m):
        return Polarity.EXCLUDE, f"a negation inside an exclusion ({', '.join(c.negating_cues(m))!r}) is not read"
    return polarity, None


_SEX_WORD = lazy_regex(r"\b(?:males?|men|man|females?|women|woman)\b", re.IGNORECASE)


def _sex_limits(c: CriterionText, m: Mention) -> list[tuple[numbers.Threshold, str]] | None:
    """The QTc limits of a criterion that gives one per sex ("QTcF >= 450 ms (male) or QTcF >= 470 ms (female)",
    sample 5 K060; "QTc > 450 msec for men and > 470 msec for women"), each with its sex: the sex word between the
    limit and the next one. None unless every limit has exactly one sex and both sexes are named."""
    limits = [
        t for t in numbers.thresholds(c.text, m.start)
        if t.value is not None and t.unit in (None, "ms", "msec") and 300 <= t.value <= 600
    ]  # fmt: skip
    if len(limits) < 2:
        return None
    # the sex word stands before each limit ("QTc interphase male ≥450ms, female≥470ms", NCT03199677) when one
    # stands between the mention and the first limit; else after each ("≥ 450 ms (male) or QTcF ≥ 470 ms (female)")
    before = bool(_SEX_WORD.search(c.text[m.end : limits[0].start]))
    paired = []
    for i, t in enumerate(limits):
        if before:
            low, end = (limits[i - 1].end if i else m.end), t.start
        else:
            low, end = t.end, limits[i + 1].start if i + 1 < len(limits) else min(len(c.text), t.end + 40)
        words = {w.group(0).lower().rstrip("s") for w in _SEX_WORD.finditer(c.text, low, end)}
        sexes = {"female" if w in ("female", "women", "woman") else "male" for w in words}
        if len(sexes) != 1:
            return None
        paired.append((t, sexes.pop()))
    return paired if {sex for _, sex in paired} == {"male", "female"} else None


def extract_qtc(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.qtc")
    if not mentions:
        return []
    m = mentions[0]
    for t in _near(c, m):
        if t.value is not None and t.unit in (None, "ms", "msec") and 300 <= t.value <= 600:
            # "by the Barrett Formula" (NCT00314782, comorbid sample 64's DX120, mend68): Bazett's, misspelt
            bazett = any(name in c.text.lower() for name in ("bazett", "barrett")) or bool(
                re.search(r"\bQTcB\b", c.text)
            )
            fridericia = bool(_QTCF.search(c.text))  # "by either the Bazett or Fridericia formula": either
            correction = "qtcf" if fridericia and not bazett else "bazett" if bazett and not fridericia else "any"
            values = QtcValues(t.op, t.value, correction)
            polarity, doubt = _polarity(c, m)
            must = _MUST_BE.search(c.text, m.end, t.start)
            # only a modal that states an upper limit, in the same clause ("must be less than CTC Grade 2 (<=480
            # msec)"); "QTcF must be calculated from triplicate ECGs; QTcF > 480 ms" stays the exclusion it is
            if (
                c.section is Section.EXCLUSION
                and must
                and t.op in ("<", "<=")
                and ";" not in c.text[must.end() : t.start]
            ):
                polarity, doubt = Polarity.REQUIRE, None  # "The average QTc ... must be less than 480 msec in order
                # for the patient to be eligible" under an exclusion heading states the limit to meet (NCT01372813)
            elif (
                c.section is Section.EXCLUSION
                and polarity is Polarity.EXCLUDE
                and t.op in ("<", "<=")
                and t.value >= 400
            ):
                # "Corrected QT interval (QTc) ≤ 450 msec at least 7 days prior to registration for protocol
                # therapy." under the exclusion heading (NCT01034631, sample 7 M017): a limit of 400 ms or more takes
                # in normal QTcs, which no trial excludes; a requirement written there, as an inverted lab limit
                # (parser 23). Uncertain (an abnormally short QTc, "QTcF < 300 ms", is an exclusion and stays one)
                doubt = (
                    doubt
                    or f"an upper QTc limit under the exclusion heading ({t.text!r}): a requirement written there?"
                )
            doubt = doubt or _qtc_doubt(c, m, t)
            by_sex = _sex_limits(c, m)
            if by_sex is not None:  # one limit per sex: each asks only that sex
                return [
                    make_fact(
                        FactKind.QTC,
                        polarity,
                        QtcValues(x.op, x.value or 0.0, correction, sex),
                        "concept.qtc",
                        c.text[x.start : x.end],
                        doubt,
                    )
                    for x, sex in by_sex
                ]
            if doubt is None and _SEX_WORD.search(c.text, max(m.end, t.start - 30), t.end + 40):
                doubt = "a QTc limit written for one sex is not told apart from the other's"
            return [make_fact(FactKind.QTC, polarity, values, "concept.qtc", c.text[m.start : t.end], doubt)]
    if _LONG_QT.search(c.text):
        return [make_fact(FactKind.CARDIAC, c.polarity(m), CardiacValues(("long QT",)), "concept.qtc", m.text)]
    return []


def _qtc_doubt(c: CriterionText, m: Mention, t: numbers.Threshold) -> str | None:
    """What the QTcF on file cannot settle about the QTc limit ``t`` read from this criterion (sweep 4). A drug
    condition counts only in the limit's sentence, before it: "QTc with Bazett's correction ... >= 480 msec ... (Note:
    ... Patients who are receiving a drug ... are excluded if QTc is >= 460 msec" (NCT00923247) keeps its first limit.
    A review or re-measurement after the limit that can clear it (``cue.qtc.clearing_review``, sample 14) leaves the
    limit undecided too."""
    found = _DRUG_CONDITION.search(c.text, 0, t.start)
    if found and not re.search(r"\.\s", c.text[found.end() : t.start]):
        return f"a QTc limit for patients on some drug ({shortened(found.group(0), 60)!r}): their drugs are not on file"
    if found := _UNCORRECTED.search(c.text):
        return f"an uncorrected QT interval ({found.group(0)!r}), not the QTc"
    for start, end in electrolyte_conditions(c.text):
        # in the limit's sentence: right after the limit, or before its mention
        after = t.end <= start <= t.end + _REACH and not re.search(r"\.\s|;", c.text[t.end : start])
        if after or (start < m.start and not re.search(r"\.\s|;", c.text[start : m.start])):
            return (
                f"a QTc limit that applies only with the electrolytes at given levels "
                f"({shortened(c.text[start:end], 120)!r}): whether it applies is not decided"
            )
    # a review or re-measurement after the limit that can clear a reading past it: the profile holds one QTcF, not the
    # review's result. "Repeated demonstration of a QTc interval > 450 msec" defines the exclusion and clears nothing
    if found := _CLEARING_REVIEW.search(c.text, t.end):
        return (
            f"a QTc past the limit can be cleared by a review or repeated ECGs ({shortened(found.group(0), 80)!r}): "
            "their result is not on file"
        )
    return None


def electrolyte_conditions(text: str) -> list[tuple[int, int]]:
    """Where the text states the electrolyte levels under which a QTc limit applies (``cue.qtc.electrolyte_condition``),
    from the cue to the end of its clause: "in the presence of serum potassium greater than or equal to 4.0 mEq/L and
    magnesium greater than or equal to 1.8 mg/dL" (NCT00590603). The levels there pick when the limit counts; they ask
    nothing of the patient themselves."""
    spans = []
    for found in _ELECTROLYTE_CONDITION.finditer(text):
        condition = _CONDITION.match(text, found.end())
        spans.append((found.start(), condition.end() if condition else len(text)))
    return spans


def extract_lvef(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = c.of("CONCEPT", "concept.lvef")
    if not mentions:
        return []
    m = mentions[0]
    for t in _near(c, m):
        if t.value is not None and t.unit in (None, "%") and 20 <= t.value <= 80:
            values = LvefValues(t.op, t.value)
            polarity, doubt = _polarity(c, m)
            return [make_fact(FactKind.LVEF, polarity, values, "concept.lvef", c.text[m.start : t.end], doubt)]
    return []


# "coronary" that names a bypass graft's artery ("coronary/peripheral artery bypass graft", "Coronary or peripheral
# artery bypass graft", NCT00436501, review26_lead.jsonl L07): no coronary disease of its own (treat26)
_BYPASS_AFTER = lazy_regex(r"\s*(?:/|,|or\b|and\b)?\s*(?:peripheral\s+)?(?:arter(?:y|ial)\s+)?bypass", re.IGNORECASE)
# A heart condition named as what a drug may cause, not the patient's: "Medication that might cause QT-prolongation or
# Torsades de pointes tachycardia is not allowed" (NCT01575782, comorbid sample 57's DQ119, mend60)
_DRUG_EFFECT = lazy_regex(
    r"\b(?:medications?|drugs?|agents?|medicines?)\b[^.;]{0,40}?\b(?:that|which)\s+(?:may|might|can|could|are\s+"
    r"known\s+to|is\s+known\s+to)\s+(?:cause|induce|provoke)\b[^.;]*$",
    re.IGNORECASE,
)


# "coronary" that names an event of the artery ("severe myocardial disease or coronary occlusion", NCT00571116, comorbid
# sample 41's DA064): that event, which a coronary artery disease on file is not known to be (mend42)
_CORONARY_EVENT = lazy_regex(r"\s+(?:artery\s+)?(?:occlusion|thrombosis|spasm|vasospasm|embolism)\b", re.IGNORECASE)
# A heart condition told as the company of another graded condition: "No hypercholesterolemia/hypertriglyceridemia >=
# grade 2 with history of coronary artery disease" (NCT00674414, comorbid sample 41's DA068) bars the lipid grade in
# such patients, not the heart disease alone (mend42)
_WITH_GRADED = lazy_regex(
    r"\bgrade\s*(?:[0-4]|IV|I{1,3})\s+with\s+(?:an?\s+)?(?:(?:history|diagnosis)\s+of\s+)?$", re.I
)


def _condition(c: CriterionText, m: Mention) -> str:
    """The condition a mention names: its words, or a bare "coronary" with the event after it, in the text's words
    (`_CORONARY_EVENT`: "coronary artery occlusion")."""
    name = m.text.lower()
    if name == "coronary" and (event := _CORONARY_EVENT.match(c.text, m.end)):
        return " ".join(c.text[m.start : event.end()].lower().split())
    return name


def extract_cardiac(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    mentions = [
        m
        for m in c.of("CONCEPT", "concept.cardiac")
        if not (m.text.lower() == "coronary" and _BYPASS_AFTER.match(c.text, m.end))
        and not _DRUG_EFFECT.search(c.text, sentence_start(c.text, m.start), m.start)
    ]
    if not mentions:
        return []
    nyha_min = None
    nyha = (
        _NYHA.search(c.text)
        or _NYHA_AFTER.search(c.text)
        or _NYHA_BARE.search(c.text)
        or next((a for m in mentions if _FAILURE.search(m.text) and (a := _CLASS_AFTER.match(c.text, m.end))), None)
    )
    if nyha:
        grade = nyha.group("c").upper()
        named = nyha.groupdict()
        above = 1 if named.get("gt") or named.get("gt2") else 0  # "> NYHA II": III
        nyha_min = (_ROMAN.get(grade) or int(grade)) + above
    window, uncertain = window_near(c, mentions[0])
    sentence = sentence_start(c.text, mentions[0].start)
    if window is None and uncertain is None:
        # "Myocardial infarction within the past year" (NCT00674414): not any one ever (treat26); nor when told before
        # it, "History within the last year of acute or subacute coronary syndromes" (NCT01131364, cardiac29)
        uncertain = window_in_words(c.text, sentence)
    qualifier = _QUALIFIER.search(c.text, max(0, mentions[0].start - 40), mentions[0].start) or _LEAD_STATE.search(
        c.text, sentence, mentions[0].start
    )
    told = _word(qualifier) if qualifier else None
    if qualifier and (either := _OR_QUALIFIER.match(c.text, qualifier.end("q"), mentions[0].start)):
        # "uncontrolled or symptomatic angina, arrhythmias, or congestive heart failure" (NCT00558103, comorbid sample
        # 57's DQ089): either state bars
        told = f"{told}/{either.group('q').lower()}"
    elif qualifier and (both := _CONTROL_WITH.search(c.text, max(0, qualifier.start("q") - 30), qualifier.start("q"))):
        # "No uncontrolled, symptomatic congestive heart failure" (NCT00304005, comorbid sample 59's DS091, mend62):
        # both asked, so the state of control, which the other does not answer
        told = both.group("q").lower()
    if told is None and _TREATED_BEFORE.search(c.text, max(0, mentions[0].start - 80), mentions[0].start):
        told = "treated with medication"
    if told is None and _NOT_RESPONDING.search(c.text, sentence, mentions[0].start):
        told = "not responding to medical treatment"
    names = {m: _condition(c, m) for m in mentions}
    # a later condition qualified alone (qual26): "History of arrhythmia (..., ventricular tachycardia, or uncontrolled
    # atrial fibrillation)" (NCT00923247) does not exclude a controlled atrial fibrillation
    own: dict[str, re.Match[str]] = {}
    if qualifier is None:
        for before, m in zip([None, *mentions[:-1]], mentions, strict=True):
            # an abbreviation in brackets is its long form's ("congestive heart failure (CHF) requiring medical
            # therapy", NCT00333502: cardiac30)
            if before is not None and _abbreviation(c, before, m):
                q = own.get(names[before])
            else:
                q = _told_of_one(c, m, mentions[0])
            if q:
                own[names[m]] = q
    if own:
        told = "/".join(dict.fromkeys(_word(q) for q in own.values()))
    # a NYHA class ("New York Heart Association > Grade 2") is the class limit, which leaves any condition unknown
    graded = () if nyha else tuple(dict.fromkeys(names[m] for m in mentions if _graded(c, m)))
    conditions = tuple(dict.fromkeys(names.values()))
    values = CardiacValues(conditions, nyha_min, window, told, qualified=tuple(own), graded=graded)
    excepted = [x for x in c.mentions if x.id == "concept.cardiac" and x not in mentions and c.excepted(x)]
    # the first condition too, last, so that a later one is the one quoted: "Patients with stable atrial fibrillation
    # are allowed in the study provided ..." (NCT02142803, cardiac29)
    spared = next(
        (
            m
            for m in [*excepted, *mentions[1:], mentions[0]]
            if (c.excepted(m) or c.let_in(m)) and _spares(c, m, values)
        ),
        None,
    )
    judged = _JUDGED.search(c.text, mentions[-1].end, sentence_stop(c.text, mentions[-1].end))
    if (
        judged is not None
        and uncertain is None
        and window is None
        and nyha is None
        and not graded
        and told is None
        and not own
        and not _OTHER_BETWEEN.search(c.text, mentions[-2].end if len(mentions) > 1 else 0, judged.start())
    ):
        # "any acute or chronic illness including cardiovascular disease (e.g. history of atrial fibrillation ...) ...
        # that in the opinion of the Investigators would compromise treatment" (NCT01522677, comorbid sample 35's
        # CU064): after the last condition named, a judgement the profile cannot make. Not of conditions told by a
        # window, a class, a grade or a state, which bar as told, nor one of "any other ... disorders in the opinion
        # of the investigator" (NCT00700336) or of a second item after "and/or" (NCT01235897)
        uncertain = f"the investigator judges whether the condition excludes ({judged.group(0)!r})"
    if uncertain is None and (
        of_therapy := next(filter(None, (_OF_A_THERAPY.match(c.text, m.end) for m in mentions)), None)
    ):
        # "symptomatic CHF with previous adjuvant trastuzumab treatment" (NCT00679211, comorbid sample 58's DR119,
        # mend61): a condition the therapy caused, which a profile does not tell
        uncertain = f"the condition is asked as one of a therapy ({of_therapy.group(0).strip()!r})"
    if uncertain is None and (
        graded_with := _WITH_GRADED.search(c.text, max(0, mentions[0].start - 40), mentions[0].start)
    ):
        uncertain = f"the condition is asked with another, graded one ({graded_with.group(0).strip()!r})"
    if spared is not None and uncertain is None:
        # "atrial fibrillation requiring treatment, except rate controlled atrial fibrillation", "(patients with
        # chronic rate-controlled atrial fibrillation ... are eligible)": the spared form of a condition is not told
        # apart from the excluded one in a profile
        uncertain = f"an exception ({spared.text!r}) to the cardiac conditions is not read"
    return [make_fact(FactKind.CARDIAC, c.polarity(mentions[0]), values, mentions[0].id, mentions[0].text, uncertain)]


# The conditions that have states (`text.STATE_WORDS`, a lead-in's state passed to its sub-items): a rhythm, heart
# failure, angina; not an event (an infarction, a stroke), a congenital syndrome or "unstable angina", which the text
# bars as named
_CONTROLLABLE = ("arrhythmi", "fibrillation", "flutter", "tachycardia", "bradycardia", "heart failure", "cardiac failure",
                 "chf", "angina")  # fmt: skip


def under_qualified_lead(fact: Fact, lead_facts: tuple[Fact, ...]) -> Fact:
    """A sub-item's cardiac fact that names a condition bare (no qualifier, window, class or grade of its own), with
    the state its lead-in asks of what it lists: under "No uncontrolled atrial arrhythmias or clinically significant
    arrhythmias, including any of the following:", "Atrial fibrillation or flutter" (NCT00077103) is one the trial
    may bar only uncontrolled, which a profile's controlled atrial fibrillation leaves unknown (lead26). Only a condition
    that has such states (`_CONTROLLABLE`): "History of cerebrovascular accident" or "Congenital long QT syndrome" under
    "uncontrolled or significant cardiovascular disease, including:" is barred as named (review26_lead.jsonl, L28-L33). A
    lead-in that says how grave ("significant cardiovascular disease, including:") passes nothing on. A qualifier told
    of one condition alone ("Atrial fibrillation, or arrhythmia that is uncontrolled") leaves the others bare: the
    whole list then takes both (cardiac29)."""
    v = fact.values
    if not isinstance(v, CardiacValues) or v.within or v.nyha_min is not None or v.graded:
        return fact
    if v.qualifier and not v.qualified:  # the list's own state
        return fact
    if not all(any(t in name for t in _CONTROLLABLE) and "unstable" not in name for name in v.conditions):
        return fact
    leads = [f.values for f in lead_facts if isinstance(f.values, CardiacValues)]
    state = next((lead.qualifier for lead in leads if lead.qualifier in STATE_WORDS), None)
    if state is None:
        return fact
    return fact.changed(values=v.changed(qualifier=f"{v.qualifier}/{state}" if v.qualifier else state, qualified=()))


def _told_of_one(c: CriterionText, m: Mention, first: Mention) -> re.Match[str] | None:
    """A qualifier told of one listed condition alone: right before it (before the first, it is the whole list's:
    `_QUALIFIER`), or a treatment it requires right after it (`_TREATED_AFTER`)."""
    before = None if m is first else _OWN_QUALIFIER.search(c.text, max(0, m.start - 25), m.start)
    return before or _TREATED_AFTER.match(c.text, m.end)


def _word(qualifier: re.Match[str]) -> str:
    """A qualifier's words as the values hold them: "poorly controlled", lower case, one space between; a heart rate
    or another feature with its "with" ("with heart rate >100 bpm", "with angina limiting exercise capability")."""
    name = qualifier.lastgroup or "q"
    words = " ".join(qualifier.group(name).split())
    if name == "uncontrolled" or words.lower().replace("-", "") == "noncontrolled":
        return "uncontrolled"  # "not controlled", "not well controlled", "non-controlled": the state `IN_STATE` reads
    if name == "ef":
        return f"with {words}"  # "EF", "LVEF" as written
    return f"with {words.lower()}" if name in ("rate", "feature") else words.lower()


def _abbreviation(c: CriterionText, before: Mention, m: Mention) -> bool:
    """Whether a mention stands alone in brackets right after another: its abbreviation ("congestive heart failure
    (CHF)")."""
    return bool(_OPENING.fullmatch(c.text, before.end, m.start) and _CLOSING.match(c.text, m.end))


_OPENING = lazy_regex(r"\s*\(\s*")
_CLOSING = lazy_regex(r"\s*\)")


def _graded(c: CriterionText, m: Mention) -> bool:
    """Whether a CTCAE grade limit is told right before or right after the listed condition."""
    return bool(_GRADE_BEFORE.search(c.text, max(0, m.start - 40), m.start) or _GRADE_AFTER.match(c.text, m.end))


def _spares(c: CriterionText, m: Mention, values: CardiacValues) -> bool:
    """Whether a spared mention takes back part of what the fact excludes: the same condition, or a rhythm under an
    arrhythmia exclusion ("cardiac arrhythmias requiring treatment, except rate controlled atrial fibrillation"), not
    the same condition outside the fact's window ("myocardial infarction that occurred greater than 6 months before
    the start of study treatment is permitted": the window already says it)."""
    name = m.text.lower()
    rhythm = any(re.search(r"rhythm|fibrillation|flutter", n) for n in values.conditions)
    if name not in values.conditions and not (rhythm and re.search(r"rhythm|fibrillation|flutter", name)):
        return False
    return not (values.within is not None and _LATER.search(c.text, m.end, m.end + 80))


_LATER = lazy_regex(r"\b(?:greater|more|longer)\s+than\s+\d|\bover\s+\d|>\s*\d|\bdistant\b", re.IGNORECASE)


def evaluate_qtc(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, QtcValues)
    if v.sex is not None:
        if p.sex is None:
            return Finding(None, f"sex not on file (trial: QTc {v.op} {fmt(v.value)} ms for {v.sex} patients)",
                           missing="sex")  # fmt: skip
        if p.sex.value != v.sex:  # another sex's limit: nothing asked of this patient
            return Finding(fact.polarity is Polarity.REQUIRE, f"the QTc limit {v.op} {fmt(v.value)} ms is for "
                           f"{v.sex} patients", ("sex",))  # fmt: skip
    if p.qtcf_ms is None:
        return Finding(None, "no QTcF on file", missing="QTcF")
    if v.correction == "bazett":  # the profile has Fridericia's value; Bazett's runs higher above 60 beats a minute
        return Finding(None, f"QTcF {fmt(p.qtcf_ms)} ms on file; the trial's limit is by Bazett's correction "
                       f"({v.op} {fmt(v.value)} ms)", ("qtcf_ms",), missing="QTc by Bazett's correction")  # fmt: skip
    formula = "QTcF" if v.correction == "qtcf" else "QTc (formula not stated; compared with the QTcF on file)"
    return Finding(
        compare(p.qtcf_ms, v.op, v.value), f"QTcF {fmt(p.qtcf_ms)} ms (trial: {formula} {v.op} {fmt(v.value)} ms)",
        ("qtcf_ms",),
    )  # fmt: skip


def evaluate_lvef(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, LvefValues)
    return Finding(None, f"no LVEF on file (trial: LVEF {v.op} {fmt(v.value)}%)", missing="LVEF (echocardiogram)")


# Words that name any heart condition: a listed one may or may not be what the trial means ("clinically significant
# cardiac disease"), so it leaves the answer unknown; a named condition must be the one on file.
_ANY_HEART = ("cardiac disease", "heart disease", "cardiovascular disease", "cardiovascular condition",
              "cardiovascular conditions", "cardiac conditions", "cardiac event", "cardiovascular event", "nyha",
              "new york heart association")  # fmt: skip


# The same condition under other names (congestive heart failure is how trials write heart failure)
_SAME = {"congestive heart failure": ("heart failure", "cardiac failure"), "chf": ("heart failure",),
         "cardiac failure": ("heart failure",), "heart failure": ("cardiac failure",),
         "heart attack": ("myocardial infarction",), "myocardial infarction": ("heart attack",),
         "ventricular arrhythmias": ("ventricular arrhythmia",), "coronary syndromes": ("coronary syndrome",),
         "acute coronary syndromes": ("acute coronary syndrome",)}  # fmt: skip


def evaluate_cardiac(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    """A listed condition is present when its name contains one the criterion names (heart failure is not angina).
    The profile holds no dates, NYHA class or symptoms: a window, a class limit or a qualifier ("symptomatic") that the
    condition's status does not settle leaves it unknown, and a generic "cardiac disease" leaves any listed heart
    condition unknown."""
    v = fact.values
    assert isinstance(v, CardiacValues)
    named = _terms(v.conditions)
    found = current(p, named)
    if not found:
        heart = current(p, _HEART_WORDS) if len(named) < len(v.conditions) else []
        if heart:
            return Finding(None, f"{heart[0].name} on file; whether the trial means it (\"{v.conditions[0]}\") is not "
                           "decided", (heart[0].path,), missing="whether the cardiac history counts for this trial")  # fmt: skip
        return Finding(None, "cardiac history not recorded (not listed is not known to be absent)",
                       missing="cardiac history")  # fmt: skip
    condition = found[0]
    if v.graded:
        if not (found := current(p, _terms(v.conditions, leaving=v.graded))):
            return Finding(None, f"{condition.name} on file; its CTCAE grade is not (trial: a grade limit on "
                           f"{' or '.join(v.graded)})", (condition.path,), missing=f"CTCAE grade of {condition.path}")  # fmt: skip
        condition = found[0]
    qualifier = v.qualifier
    # a condition the text names without the qualifier excludes as it is; one it names only qualified, by it
    if v.qualified and (unqualified := current(p, _terms(v.conditions, leaving=v.qualified))):
        condition, qualifier = unqualified[0], None
    status = (condition.status or "").lower()
    # a state or a gravity the status can say; a treatment, a heart rate or an ejection fraction it does not, but a
    # feature its name or status says in the text's words does ("Heart failure with reduced ejection fraction")
    said = f"{condition.name} {status}".lower()
    if qualifier and not (_a_state(qualifier) and _state_said(qualifier, status)) and not _said(qualifier, said):
        return Finding(None, f"{condition.name} on file ({status or 'status not stated'}); the trial asks whether it is "
                       f"{qualifier}", (condition.path,), missing=f"whether {condition.path} is {qualifier}")  # fmt: skip
    if v.within is not None or v.nyha_min is not None:
        limit = f"within {v.within}" if v.within is not None else f"NYHA class {v.nyha_min} or worse"
        return Finding(None, f"{condition.name} on file; its date or class is not (trial: {limit})", (condition.path,),
                       missing=f"date and severity of {condition.path}")  # fmt: skip
    return Finding(True, f"{condition.name} on file", (condition.path,))


def _state_said(qualifier: str, status: str) -> bool:
    """Whether a profile's status says the state a qualifier asks (`IN_STATE`). "Active" alone says the condition is
    present and manifest, which answers a gravity or "symptomatic", not that it is out of control: a heart failure
    "active" at NYHA class II is not shown uncontrolled or refractory (comorbid sample 57's DQ135, DQ147, DQ153,
    mend60)."""
    said = [m.group(0).lower() for m in IN_STATE.finditer(status)]
    if any(word != "active" for word in said):
        return True
    return bool(said) and not all(part in _CONTROL for part in qualifier.split("/"))


def _said(qualifier: str, said: str) -> bool:
    """Whether a feature told after "with" (`_word`: "with angina limiting exercise capability") is written, word for
    word, in the condition's name or status."""
    return qualifier.startswith("with ") and " ".join(qualifier.split()[1:]) in " ".join(said.split())


def _a_state(qualifier: str) -> bool:
    """Whether a qualifier tells only states or gravities ("uncontrolled", "symptomatic/unstable", "severe"), which a
    profile's status can say (`IN_STATE`), not a treatment, heart rate or ejection fraction (cardiac30)."""
    return all(part in STATE_WORDS or part in _GRAVITY for part in qualifier.split("/"))


def _terms(conditions: tuple[str, ...], leaving: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The names a profile's condition is looked up by: each listed condition but a generic heart one ("cardiac
    disease") and those ``leaving`` names, with its other names (`_SAME`)."""
    return tuple(t for c in conditions if c not in _ANY_HEART and c not in leaving for t in (c, *_SAME.get(c, ())))


_HEART_WORDS = ("cardi", "heart", "coronary", "infarction", "angina", "arrhythmia", "fibrillation")


QTC = Kind(FactKind.QTC, QtcValues, extract_qtc, evaluate_qtc, frozenset({"concept.qtc"}))
LVEF = Kind(FactKind.LVEF, LvefValues, extract_lvef, evaluate_lvef, frozenset({"concept.lvef"}))
CARDIAC = Kind(FactKind.CARDIAC, CardiacValues, extract_cardiac, evaluate_cardiac, frozenset({"concept.cardiac"}))
