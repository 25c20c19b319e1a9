"""One criterion as the kinds read it: its text, entities (vocabulary ids), clauses and polarity cues.

Polarity: an inclusion criterion asks for what it names, an exclusion criterion for its absence; a negation cue
("no", "without", "must not", "is not allowed") flips that. Bounds ("no more than", "at least") are not
negations. What follows "other than" / "except" / "unless" is an exception, not part of the fact.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any, Generic, NamedTuple, TypeVar, overload

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section, Values
from matcher.eligibility.cues import cue, quick
from matcher.eligibility.numbers import Window

_PRE_NEGATION = cue("cue.negation.before")
_NEGATION_REACH = 8  # words, not counting other entities
_LIST_END = cue("cue.negation.list_end")
_ITEM_END = cue("cue.negation.item_end")
_LIST_LEAD_IN = cue("cue.negation.list_lead_in")
_WINDOW_IN_WORDS = cue("cue.therapy.window_in_words")
_NOT_EXCLUDED = cue("cue.therapy.not_excluded")
_BOUND = cue("cue.negation.bound")
_POST_NEGATION = cue("cue.negation.after")
_EXCEPTION = cue("cue.exception")
_NOT_LIMITED = cue("cue.exception.not_limited")
_EXEMPT = cue("cue.exception.exempt")
_PERMISSION = cue("cue.permission")
_NOT_PERMITTED = cue("cue.permission.denied")
# A prohibition restates the exclusion wherever it stands: registries mix "Exclusion: prior X" with "Exclusion:
# patients may not be receiving X" and "no concurrent X may be given", which a double negation would turn into a
# requirement to have X.
_MODAL_NEGATION = cue("cue.prohibition.modal")
_MAY_BE_GIVEN = cue("cue.prohibition.may_be_given")
_CANNOT = cue("cue.prohibition.cannot")  # in an exclusion only: "Subjects cannot participate in studies of ..."
_CANNOT_RELATIVE = cue("cue.prohibition.cannot_relative")  # "Patients who cannot be evaluated for ...": no prohibition
# A reason given before the criterion: "Because lenalidomide may increase the risk of DVT, patients must stop
# Epogen ..." asks about Epogen, not lenalidomide or DVT. The reason ends at the comma before the main clause.
_RATIONALE = cue("cue.note.rationale")
_MAIN_CLAUSE = cue("cue.note.main_clause")
# "(no need for measurable disease)", "There is no limit to the number of prior regimens.": what follows is waived,
# neither asked for nor excluded
_WAIVER = cue("cue.note.waiver")
# "prior systemic chemotherapy for leptomeningeal disease", "Any measurable lesion that has been previously irradiated":
# the disease or lesion a therapy was for, not the patient's disease
_THERAPY_TARGET = cue("cue.note.therapy_target")
_THERAPY_TARGET_AFTER = cue("cue.note.therapy_target_after")
_LIST_JOIN = cue("cue.structure.list_join")
# "with or without evidence of measurable disease", "regardless of prior therapy": what follows is allowed either way,
# neither asked for nor excluded (`either_ways`); the "without" of "with or without" negates nothing
_EITHER_WAY = cue("cue.note.either_way")
_EITHER_WAY_END = quick(r"[,()]")  # with `cue.negation.list_end`: where what "either way" names ends
# "... evidence of leptomeningeal disease are irrelevant in terms of inclusion or exclusion into this study": what the
# sentence names before the statement does not bear on eligibility (`irrelevant`)
_IRRELEVANT = cue("cue.note.irrelevant")
_EXCLUSION_OF = cue("cue.negation.exclusion_of")
_IRRELEVANT_IF = cue("cue.note.irrelevant_if")
_CLAUSE_BREAK = cue("cue.clause_break")
_OTHER_PERSON = cue("cue.other_person")
_GAP_VERB = cue("cue.negation.gap_verb")
# The words a list item may end on that the clause before a negation also names (`CriterionText._next_alternative`):
# words of four letters or more, not the common ones that say nothing of what the items are
_HEAD_WORD = quick(r"[A-Za-z]{4,}")
_NOT_HEADS = frozenset({"with", "that", "which", "have", "from", "must", "been", "their", "this", "than", "other"})
_ITEM_STOP = quick(r"[,;.]")
_SENTENCE_STOP = quick(r"[;.](?:\s|$)")
_NON_BEFORE = cue("cue.negation.non_prefix")
# Where a sentence ends: a '.' or ';' before a capital or a bracket; where a numbered item may end one too, also
# before a digit ("ECOG 0-1. 2. Patients with brain metastases are excluded unless treated"). Punctuation, not words:
# they stay here, the home of the progression and performance kinds' sentence bounds (`sentence_break`); lab.py's
# `_sentence_start` (a '. ' or '; ' at any case) is older and differs, so its readings would change with it.
# Not the stop of an abbreviation that gives examples: "(e.g. Crohn's disease, ulcerative colitis, ...)" is one sentence
# (NCT03652233; mend54)
_NOT_EXAMPLES = r"(?<!\b[eE]\.[gG])(?<!\b[iI]\.[eE])"
_SENTENCE_BREAK = quick(rf"{_NOT_EXAMPLES}[.;](?=\s+[A-Z(])")
_SENTENCE_OR_ITEM_BREAK = quick(rf"{_NOT_EXAMPLES}[.;](?=\s+[A-Z(\d])")
# "e.g." opening a bracket: examples of what the words before it name (`CriterionText.unless_examples`)
_EXAMPLES = quick(r"\s*e\.?\s?g\b", re.IGNORECASE)
# a bracket, opening or closing: where an exception in brackets ends (`CriterionText._exception_end`)
_PARENTHESIS = re.compile(r"[()]")
# The verb of a requirement stated with an opening "Not" ("Not be receiving ...", "Not have received ..."): the "Not"
# is the requirement's own, not a negation of an exclusion
_NOT_VERB = cue("cue.prohibition.not_verb")
THERAPY_LABELS = {"DRUG", "CLASS"}
THERAPY_CONCEPTS = {
    "concept.systemic_therapy": "systemic",
    "concept.investigational": "investigational",
    "concept.surgery": "surgery",
    "concept.radiotherapy": "radiotherapy",
    "concept.radioiodine": "radioiodine",
}


class Mention(NamedTuple):
    """A vocabulary name found in a criterion (`matcher.eligibility.pipeline`): its label (DRUG, CONCEPT...), the
    entry's id, where it stands in the criterion's text, and its words."""

    label: str
    id: str
    start: int
    end: int
    text: str


def _a_therapy(mention: Mention) -> bool:
    """Whether the mention names a therapy. "with or without X" (`CriterionText.either_ways`) and a negation in a
    bracket closed before X (`CriterionText.in_scope`) are not read for a therapy here: the therapy kind reads an
    excepted therapy as an exception to the criterion's ("platinum-based regimen with or without intravenous
    consolidation chemotherapy", NCT01116648, would require a chemotherapy other than chemotherapy), or as its own when
    a window follows it, and doubts a bracketed negation itself; so these are left to that kind."""
    return mention.label in THERAPY_LABELS or mention.id in THERAPY_CONCEPTS


def permits(text: str) -> bool:
    """ "... are eligible", "may be enrolled", "is allowed" - and not "are not eligible"."""
    return bool(_PERMISSION.search(text)) and not _NOT_PERMITTED.search(text)


_PART_END = re.compile(r"[().;,]")

# A condition's states: the words that tell a state, not how grave it is ("uncontrolled atrial fibrillation",
# "symptomatic inflammatory bowel disease", "refractory congestive heart failure"), shared by the conditions and cardiac
# kinds (cardiac29, cardiac30, cond30)
STATE_WORDS = ("symptomatic", "uncontrolled", "unstable", "decompensated", "uncompensated", "refractory",
               "poorly controlled")  # fmt: skip


def alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of words, any whitespace between a phrase's words."""
    return "|".join(word.replace(" ", r"\s+") for word in words)


STATES = alternation(STATE_WORDS)
# ... a state told of a disease whose examples a list gives, earlier in the sentence ("Uncontrolled medical problems
# such as diabetes mellitus, coronary artery disease, ...", NCT00091624): what follows the state word, with no comma
# before the list's marker but right before it ("Refractory nausea and vomiting, chronic gastrointestinal diseases (e.g.
# inflammatory bowel disease)", NCT01016860, tells no state of the list)
LEAD_LIST = r"\b[^.;:,]{0,60}?,?\s*\(?(?:\bsuch\s+as|\bincluding|\bi\.\s*e\.|\be\.\s*g\.|\bfor\s+example)[^.;]*$"
# ... and what a profile's status says, word by word and not negated ("inactive", "not active", "non-symptomatic",
# "previously uncontrolled" say no state): a state asked (`IN_STATE`: such a word, "active" or "severe", which a
# status uses for a condition out of control), or that the condition is present now (`PRESENT_NOW`, against a window)
_NOT_BEFORE = (
    r"(?<![\w-])(?<!\bnot\s)(?<!\bnon\s)(?<!\bnon-)(?<!\bno\s)(?<!\bpreviously\s)(?<!\bformerly\s)(?<!\blonger\s)"
)
IN_STATE = quick(rf"{_NOT_BEFORE}(?:active|severe|{STATES})\b", re.IGNORECASE)
PRESENT_NOW = quick(rf"{_NOT_BEFORE}(?:active|current|ongoing|uncontrolled|symptomatic)\b", re.IGNORECASE)


def lets_in(text: str) -> bool:
    """`permits`, or says its patients "will not be excluded" (`cue.therapy.not_excluded`): how a part of an exclusion
    takes back what it names (the therapy kind, therapy 16b; the cardiac kind, cardiac29)."""
    return permits(text) or bool(_NOT_EXCLUDED.search(text))


_T = TypeVar("_T")


class found_once(Generic[_T]):
    """`functools.cached_property` without its lock: the value is computed on the first read and stored in the
    instance, where later reads find it without calling anything. A `CriterionText` belongs to one thread, and on
    Python 3.11 cached_property takes a lock on every first read: some 100,000 of them a pass over the HINT texts."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> found_once[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> found_once[_T] | _T:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


class CriterionText:
    """One criterion's text, entities, clauses and cues, with helpers for polarity."""

    def __init__(self, text: str, mentions: list[Mention], section: Section) -> None:
        self.text = text
        self.section = section
        self.mentions = mentions
        if _RATIONALE.match(text) and (main := _MAIN_CLAUSE.search(text)):  # what the reason names is not asked
            self.mentions = [m for m in self.mentions if m.start > main.start()]
        self.condition_spans: list[tuple[int, int]] = []  # set by the scope step (`matcher.eligibility.scope`)
        self._excepted: dict[Mention, bool] = {}  # `excepted`, asked by kind after kind about the same mentions
        self._polarity: dict[Mention, Polarity] = {}  # `polarity`, likewise
        # mentions a negation was kept from on the guess of one shared word (`_next_alternative`): read uncertain
        self.guessed: set[Mention] = set()

    # The clauses and cues below are found when a kind first asks for them: most criteria need only some of them,
    # many none.

    @found_once
    def breaks(self) -> list[int]:
        """Where each clause starts (0 and the end of each clause break), then one past the end of the text."""
        return [0, *(m.end() for m in _CLAUSE_BREAK.finditer(self.text)), len(self.text) + 1]

    @property
    def first_clause(self) -> str:
        """The text of the first clause, as ``clause_text(0)``: the scope step reads it for every criterion, and most
        criteria then ask for other clauses too, so the breaks are found once, in one pass, for both."""
        return self.text[: self.breaks[1]]

    @found_once
    def _cue_text(self) -> str:
        """The text searched for cues: "including, but not limited to" neither negates nor excepts, so it is blanked."""
        return _NOT_LIMITED.sub(lambda m: " " * len(m.group()), self.text)

    @found_once
    def negations(self) -> list[tuple[int, int]]:
        """Spans of the negation cues that stand before what they negate ("no", "without"), less bounds ("no more
        than")."""
        bounds = [m.span() for m in _BOUND.finditer(self._cue_text)]
        found = [
            m.span() for m in _PRE_NEGATION.finditer(self._cue_text) if not any(a <= m.start() < b for a, b in bounds)
        ]
        if self.section is Section.INCLUSION:  # "..., with the exclusion of central nervous system (CNS) metastases"
            found = sorted([*found, *(m.span() for m in _EXCLUSION_OF.finditer(self._cue_text))])
        return found

    @found_once
    def post_negations(self) -> list[int]:
        """Where the negation cues that follow what they negate start ("is not allowed", "prohibited")."""
        return [m.start() for m in _POST_NEGATION.finditer(self._cue_text)]

    @found_once
    def exceptions(self) -> list[tuple[int, int]]:
        """(start, end) of each exception ("other than X", "except X")."""
        return [(m.start(), self._exception_end(m.start())) for m in _EXCEPTION.finditer(self._cue_text)]

    @found_once
    def unless_examples(self) -> list[tuple[int, int]]:
        """Brackets of examples an "unless" opens, past the "e.g." that ends its clause: "unless disease is ...
        controlled or stable (e.g. ... [e.g. chronic viral hepatitis, human immunodeficiency virus (HIV)])"
        (NCT02044796, comorbid sample 32's CR176) names what it lets in, "unless adequately treated (e.g., uncontrolled
        seizure ...)" (NCT00719797) what it excludes: what is read there is uncertain (`parser._facts`)."""
        if "nless" not in self.text:
            return []
        found = []
        for start, _ in self.exceptions:
            if self._cue_text[start : start + 6].lower() != "unless":
                continue
            _, high = self.clause(start)
            opened = self.text.rfind("(", start, high)
            if opened >= 0 and self.text.find(")", opened, high) < 0 and _EXAMPLES.match(self.text, opened + 1):
                found.append((opened, self._bracket_end(opened + 1, len(self.text))))
        return found

    @found_once
    def waivers(self) -> list[tuple[int, int]]:
        """(start, end) of each waiver ("no need for X", "do not require X", "no limit to X"): to the end of its clause,
        or of the parenthesis it stands in."""
        return [(m.start(), self._exception_end(m.start())) for m in _WAIVER.finditer(self._cue_text)]

    @found_once
    def either_ways(self) -> list[tuple[int, int]]:
        """(start, end) of each "either way" cue with what it names ("with or without measurable disease", "regardless
        of prior therapy"): to the next comma or bracket, the end of the list it opens (`cue.negation.list_end`: a verb,
        a relative clause...) or the end of its clause. "..., with or without metastatic disease, with the exclusion of
        central nervous system (CNS) metastases" (NCT00170157) still excludes the CNS metastases."""
        found = []
        for m in _EITHER_WAY.finditer(self._cue_text):
            _, high = self.clause(m.start())
            stops = (
                _EITHER_WAY_END.search(self._cue_text, m.end(), high),
                _LIST_END.search(self._cue_text, m.end(), high),
            )
            end = min([high, *(stop.start() for stop in stops if stop)])
            found.append((m.start(), end))
        return found

    @found_once
    def _either_way_names(self) -> dict[str, int]:
        """The ids of the names (not therapies) that an "either way" cue governs, with where the first such cue stands:
        a later mention of the same name in the criterion is not asked either ("Patients will be eligible with or
        without measurable or evaluable disease. Patients with both measurable and evaluable disease will be evaluated
        for criteria for measurable disease", NCT01063478)."""
        found: dict[str, int] = {}
        for a, b in self.either_ways:
            for x in self.mentions:
                if a <= x.start < b and not _a_therapy(x):
                    found.setdefault(x.id, a)
        return found

    @found_once
    def irrelevant(self) -> list[tuple[int, int]]:
        """(start, end) of each statement that what it names does not bear on eligibility ("... are irrelevant in terms
        of inclusion or exclusion", "... is not an exclusion", "... does not exclude the patient"): from the start of
        its sentence, or of the bracket it stands in, to the end of the statement; to the end of the sentence when a
        condition follows ("Previous malignancy is not an exclusion provided that the other malignancy is considered
        under control, ...", NCT02721459: what the condition names is not asked of every patient either)."""
        found = []
        for m in _IRRELEVANT.finditer(self._cue_text):
            start = sentence_start(self.text, m.start())
            opened = self.text.rfind("(", start, m.start())
            if opened >= 0 and self.text.find(")", opened, m.start()) < 0:
                start = opened
            end = sentence_stop(self.text, m.end()) if _IRRELEVANT_IF.match(self._cue_text, m.end()) else m.end()
            found.append((start, end))
        return found

    @found_once
    def other_persons(self) -> list[int]:
        """Where another person than the patient is named ("1st degree relative", "partner")."""
        return [m.start() for m in _OTHER_PERSON.finditer(self._cue_text)]

    def _exception_end(self, cue: int) -> int:
        """An exception inside parentheses ends at the one that closes them: "(with the exception of Groups 3 and 4)",
        past any pair inside it: "(except for ... contralateral ductal carcinoma in situ (DCIS) treated with mastectomy
        or lumpectomy and radiation ...)" (NCT01368263) excepts the radiation too."""
        low, high = self.clause(cue)
        before = self.text[low:cue]
        if before.count("(") > before.count(")"):
            return self._bracket_end(cue, high)
        return high

    def _bracket_end(self, start: int, default: int) -> int:
        """Where the parenthesis open at ``start`` closes, past any pair inside it (``default`` if it never does)."""
        depth = 0
        for bracket in _PARENTHESIS.finditer(self.text, start):
            if bracket.group() == "(":
                depth += 1
            elif depth:
                depth -= 1
            else:
                return bracket.start()
        return default

    def clause(self, position: int) -> tuple[int, int]:
        index = bisect_right(self.breaks, position) - 1
        if 0 <= index < len(self.breaks) - 1:
            return self.breaks[index], min(self.breaks[index + 1], len(self.text))
        return 0, len(self.text)

    def clause_text(self, position: int) -> str:
        low, high = self.clause(position)
        return self.text[low:high]

    def let_in(self, m: Mention) -> bool:
        """Whether the mention is in a part that lets its patients in (`lets_in`), read from the mention up to the next
        bracket, comma or sentence end: "... atrial fibrillation in the absence of other cardiac abnormalities are
        eligible)", "Patients with stable atrial fibrillation or flutter controlled by medication are not excluded"
        (NCT02244502, cardiac29), "Survivors of previous cancers and HIV-positive subjects will not be excluded"
        (NCT00904423, infect30). Not a permission elsewhere in its clause: "(subjects with documented laboratory
        evidence of HBV clearance may be enrolled) or positive HCV antibody" (NCT01476137) still bars the antibody."""
        return lets_in(self.text[m.end : self.part_end(m)])

    def part_end(self, m: Mention) -> int:
        """Where the part a mention opens ends: at the next bracket, comma or sentence end (`let_in`)."""
        end = _PART_END.search(self.text, m.end)
        return end.start() if end else len(self.text)

    def excepted(self, mention: Mention) -> bool:
        """Whether the mention lies in an exception ("other than X", "except X") or a waiver ("no need for X"), or
        before an exemption in its clause ("patients with well controlled atrial fibrillation are exempt from this
        criterion"). Found once per mention."""
        found = self._excepted.get(mention)
        if found is None:
            found = self._excepted[mention] = self._find_excepted(mention)
        return found

    def _find_excepted(self, mention: Mention) -> bool:
        low, _ = self.clause(mention.start)
        if any(low <= cue < mention.start < end for cue, end in self.exceptions):
            return True
        if any(low <= cue <= mention.start < end for cue, end in self.waivers):
            return True  # waived: "Patients do not require measurable disease."
        if not _a_therapy(mention) and self._either_way_names.get(mention.id, len(self.text)) <= mention.start:
            return True  # either way: "with or without evidence of measurable disease" (NCT00861471)
        if any(start <= mention.start < end for start, end in self.irrelevant):
            return True  # "... evidence of leptomeningeal disease are irrelevant in terms of inclusion" (NCT01044966)
        exempt = _EXEMPT.search(self.text, mention.end, mention.end + 60)
        return exempt is not None and not re.search(r"[.;(]", self.text[mention.end : exempt.start()])

    def in_scope(self, cue_start: int, cue_end: int, mention: Mention) -> bool:
        """Whether a negation cue reaches a mention: "non-" only its own word; past a comma only through a list of
        entities ("no X, Y or Z", not "without aggressive subtype, follicular ... carcinoma")."""
        if self.text[cue_start:cue_end].lower() == "non":
            return mention.start - cue_end <= 1
        if not _a_therapy(mention) and any(a <= cue_start < b for a, b in self.either_ways):
            return False  # the "without" of "with or without X" negates no X
        if not _a_therapy(mention) and self.text.count(")", cue_end, mention.start) > self.text.count(
            "(", cue_end, mention.start
        ):
            # nor out of the bracket it stands in: "ALT and AST ≤ 3.0×ULN (without liver metastases), ALT and AST ≤
            # 5.0×ULN (with liver metastases)" (NCT02336750). A therapy's kind reads such a negation itself ("a
            # negation inside brackets (a definition) is not read as the criterion's", NCT00601718)
            return False
        if self._opening_no(cue_start, cue_end):
            end = _LIST_END.search(self._cue_text, cue_end, mention.start)
            if not end:
                # "No X, Y, or Z", "No prior anti-angiogenesis agents, including thalidomide": the whole list, but
                # not what an item names as its cause, time or setting ("neuropathy due to prior chemotherapy")
                item = max(cue_end, self._cue_text.rfind(",", cue_end, mention.start) + 1)
                if not _ITEM_END.search(self._cue_text, item, mention.start):
                    return True
            elif end.group(0).startswith(","):
                # "No clinically significant cardiac disease, and LVEF ≥ 50%": what follows ", and" is not "No"'s
                return False
        if self._lead_in_list(cue_end, mention):
            return True
        comma = self.text.find(",", cue_end, mention.start)
        if comma >= 0 and not any(cue_end <= m.start < comma for m in self.mentions):
            return False
        if comma >= 0 and self._next_alternative(cue_start, cue_end, comma, mention):
            return False
        # a cue reaches a few words, or further only through other entities ("absence of uptake of RAI on a
        # diagnostic test ... in measurable lesions" does not negate the measurable lesions)
        gap = self.text[cue_end : mention.start]
        for m in self.mentions:
            if cue_end <= m.start and m.end <= mention.start:
                gap = gap.replace(m.text, " ")
        # nor past the verb that closes its own clause ("for whom no standard therapy exists and with measurable
        # disease", NCT02442531)
        return len(gap.split()) <= _NEGATION_REACH and not _GAP_VERB.search(gap)

    def _lead_in_list(self, cue_end: int, mention: Mention) -> bool:
        """Whether the mention is an item of the list a negated lead-in opens with a colon (`cue.negation.list_lead_in`:
        "Patients may not have had any of the following within 6 months ...: MI, severe/unstable angina, symptomatic
        CHF", NCT00555256), in the colon's sentence. Not a negation in a clause of its own before the lead-in ("if the
        patient is not a medically appropriate candidate for biopsy, then all of the following criteria must be met:",
        NCT00081900)."""
        colon = self.text.find(":", cue_end, mention.start)
        return (
            colon >= 0
            and self.text.find(",", cue_end, colon) < 0
            and _LIST_LEAD_IN.search(self.text, cue_end, colon) is not None
            and _SENTENCE_STOP.search(self.text, colon, mention.start) is None
        )

    def _next_alternative(self, cue_start: int, cue_end: int, comma: int, mention: Mention) -> bool:
        """Whether the list past the comma after a negation is not the negation's but a list of alternatives that the
        negated phrase stands in, so the negation stays in its own item (`in_scope`): an item of the list ends on a
        word that the clause named before the negation ("presenting as stage IIIB disease without indications for
        definitive radiotherapy, stage IV disease, or recurrent disease following radiation therapy or surgical
        resection", NCT01165216: stage IV is one way in, not excluded), or the mention names again what was negated
        before the comma ("AST/ALT ≤ 2.5 x ULN for patients without liver metastasis, ≤ 5 times for liver
        metastases", NCT02145910)."""
        last_comma = self.text.rfind(",", cue_end, mention.start)
        if any(m.id == mention.id and cue_end <= m.start and m.end <= last_comma for m in self.mentions):
            return True
        low, _ = self.clause(cue_start)
        named = {w.lower() for w in _HEAD_WORD.findall(self.text, low, cue_start)} - _NOT_HEADS
        stop = _ITEM_STOP.search(self.text, mention.end)
        items = self.text[comma + 1 : stop.start() if stop else len(self.text)].split(",")
        if not any((last := _HEAD_WORD.findall(item)) and last[-1].lower() in named for item in items):
            return False
        # one shared word is a guess: right in NCT01165216's list of stages, wrong in a list that only happens to end
        # on such a word ("... without prior radioiodine, prior lenvatinib, or brain metastases from their disease",
        # rev20), so what is read of the mention is uncertain either way (`parser._facts`)
        self.guessed.add(mention)
        return True

    def _opening_no(self, cue_start: int, cue_end: int) -> bool:
        """Whether the cue is a "No" that opens the criterion or one of its sentences: it governs the list that
        follows it up to a verb, a relative clause, a condition or an exception (`cue.negation.list_end`)."""
        if self.text[cue_start:cue_end].lower() != "no":
            return False
        before = self.text[:cue_start].rstrip()
        return not before or before.endswith((".", ";", ":"))

    def negating_cues(self, mention: Mention) -> list[str]:
        low, _ = self.clause(mention.start)
        last_exception = max((c for c, _ in self.exceptions if low <= c < mention.start), default=-1)
        return [
            self.text[a:b]
            for a, b in self.negations
            if max(low, last_exception) <= a < mention.start and self.in_scope(a, b, mention)
        ]

    def negation_after(self, start: int, end: int) -> bool:
        """Whether a negation that follows what it negates ("is not allowed", "prohibited") lies in start..end, outside
        any parenthesis opened there ("Hemoglobin >= 9 g/dL (transfusion is not allowed within 7 days)")."""
        return any(
            start <= cue < end and self.text.count("(", start, cue) <= self.text.count(")", start, cue)
            for cue in self.post_negations
        )

    def negated(self, mention: Mention) -> bool:
        return bool(self.negating_cues(mention))

    def polarity(self, mention: Mention) -> Polarity:
        """What the criterion asks of the mention (`_find_polarity`). Kind after kind asks it of the same mentions
        (therapy of each mention in a clause, histology and extent of each site), so the answer is found once per
        mention: `_find_polarity` reads only the text, its mentions and its section, which never change (not
        ``condition_spans``, and its one side effect, adding to ``guessed``, is a set's add)."""
        found = self._polarity.get(mention)
        if found is None:
            found = self._polarity[mention] = self._find_polarity(mention)
        return found

    def _find_polarity(self, mention: Mention) -> Polarity:
        _, high = self.clause(mention.start)
        if any(mention.end <= cue < high for cue in self.post_negations):
            return Polarity.EXCLUDE
        default = Polarity.REQUIRE if self.section is Section.INCLUSION else Polarity.EXCLUDE
        cues = self.negating_cues(mention)
        if not cues:
            return default
        if _PERMISSION.search(self.text, mention.end, high) or _MAY_BE_GIVEN.search(self.text, mention.end, high):
            return Polarity.EXCLUDE  # "no concurrent investigational therapy is permitted / may be given"
        if any(_MODAL_NEGATION.fullmatch(cue) for cue in cues):
            return Polarity.EXCLUDE  # "must not have had X", and in an exclusion list "may not be receiving X"
        if (
            self.section is Section.EXCLUSION
            and any(_CANNOT.fullmatch(cue) for cue in cues)
            and not _CANNOT_RELATIVE.search(self.text, self.clause(mention.start)[0], mention.start)
        ):
            return Polarity.EXCLUDE  # "Subjects cannot participate in studies of other investigational therapies"
        if self.section is Section.EXCLUSION and self.opens_with_no(mention):
            return Polarity.EXCLUDE  # "No untreated brain metastases." under an exclusion heading: X excludes
        return default.flipped()

    def prefixed_non(self, mention: Mention) -> bool:
        """Whether "non-" stands just before the mention ("non-measurable disease", "non-platinum chemotherapy"): it
        names something other than the mention, it does not negate the criterion."""
        return bool(_NON_BEFORE.search(self.text, max(0, mention.start - 5), mention.start))

    def opens_with_no(self, mention: Mention) -> bool:
        """Whether the sentence of the mention opens with the "No" that negates it ("No prior taxanes.", "... would make
        patient ineligible. No prior taxanes."). Under an exclusion heading such an item is an inclusion-style line that
        restates what excludes (HINT lists of "No X" items under "Exclusion Criteria", e.g. NCT00147550, NCT00512798);
        read twice as a negation it would ask for X and exclude every patient without it. So does an opening "Not"
        before the verb of a requirement ("Not be receiving any other investigational agent.", NCT02065466, under the
        exclusion heading: the patient must not be on one)."""
        low, _ = self.clause(mention.start)
        for a, b in self.negations:
            word = self.text[a:b].lower()
            if word == "not" and not _NOT_VERB.match(self.text, b):
                continue
            if low <= a < mention.start and word in ("no", "not") and self.in_scope(a, b, mention):
                before = self.text[:a].rstrip()
                if not before or before.endswith((".", ";", ":")):
                    return True
        return False

    @property
    def default_polarity(self) -> Polarity:
        """What a fact with no cue of its own asks: an inclusion requires it, an exclusion excludes it."""
        return Polarity.REQUIRE if self.section is Section.INCLUSION else Polarity.EXCLUDE

    def therapy_target(self, mention: Mention) -> bool:
        """Whether the mention names what a therapy was given for or to ("chemotherapy for leptomeningeal disease",
        "no prior chemotherapies for the treatment of metastatic disease", "radiotherapy to measurable target lesion"):
        the therapy's target, not the patient's disease."""
        low, _ = self.clause(mention.start)
        start = mention.start
        while not _THERAPY_TARGET.search(self.text, max(low, start - 60), start):
            # the next name of a list the therapy was for: "radiotherapy for locally advanced or metastatic disease",
            # or a name that qualifies it: "therapy for metastatic differentiated thyroid cancer"
            joined = _LIST_JOIN.search(self.text, max(low, start - 12), start)
            end = joined.start() if joined else len(self.text[:start].rstrip())
            before = [m for m in self.mentions if m.start < start and end - 1 <= m.end <= end]
            if not before:
                return False
            start = before[0].start
        return True

    def treated_lesion(self, mention: Mention) -> bool:
        """Whether a lesion is described as already treated after its name ("Any measurable lesion that has been
        previously irradiated will not be considered as a target lesion"): which lesions count, not the patient's."""
        return bool(_THERAPY_TARGET_AFTER.match(self.text, mention.end))

    def about_someone_else(self, position: int) -> bool:
        """Whether the text at ``position`` is about another person than the patient: a relative or a partner named
        before it in the same clause ("1st degree relative with unexplained sudden death under 40 years of age")."""
        low, _ = self.clause(position)
        return any(low <= start < position for start in self.other_persons)

    def in_condition(self, mention: Mention) -> bool:
        """Whether a mention lies in a condition of the criterion ("For patients with medullary thyroid cancer:"):
        it picks the patients the criterion applies to, it is not asked of them."""
        return any(a <= mention.start < b for a, b in self.condition_spans)

    def of(self, label: str, *ids: str) -> list[Mention]:
        return [m for m in self.mentions if m.label == label and (not ids or m.id in ids) and not self.excepted(m)]

    @found_once
    def sentences(self) -> list[tuple[int, int]]:
        """Where each sentence starts and ends (the '.' or ';' before a capital or a bracket between them, left out):
        the scope step (`scope.unasked_spans`, `scope.sentence_groups`) and the parser (`_sentence_modalities`) each
        read the criterion sentence by sentence, so the breaks are found once for the three."""
        cuts = list(_SENTENCE_BREAK.finditer(self.text))
        starts = [0, *(m.end() for m in cuts)]
        ends = [*(m.start() for m in cuts), len(self.text)]
        return list(zip(starts, ends, strict=True))

    @found_once
    def _mention_ids(self) -> frozenset[str]:
        """The ids of every mention: `has` is asked of many concepts per criterion."""
        return frozenset(m.id for m in self.mentions)

    def has(self, concept: str) -> bool:
        return concept in self._mention_ids

    def has_any(self, concepts: frozenset[str]) -> bool:
        """Whether some mention is one of ``concepts``."""
        return not self._mention_ids.isdisjoint(concepts)


def sentence_break(text: str, position: int = 0, *, numbered_items: bool = False) -> re.Match[str] | None:
    """The first end of a sentence at or after ``position`` (a '.' or ';' before a capital or a bracket, and with
    ``numbered_items`` also before a digit: the number of the next item), or None."""
    return (_SENTENCE_OR_ITEM_BREAK if numbered_items else _SENTENCE_BREAK).search(text, position)


def sentence_start(text: str, position: int) -> int:
    """Where the sentence holding ``position`` starts."""
    start = 0
    for found in _SENTENCE_BREAK.finditer(text, 0, position):
        start = found.end()
    return start


def sentence_stop(text: str, position: int) -> int:
    """Where the sentence holding ``position`` ends, past its '.' or ';' (the text's end when no later sentence
    starts)."""
    found = _SENTENCE_BREAK.search(text, position)
    return found.end() if found is not None else len(text)


def clause_stop(text: str, at: int) -> int:
    """Where the sentence or ";"-clause that ``at`` stands in ends."""
    stop = sentence_stop(text, at)
    semicolon = text.find(";", at, stop)
    return semicolon if semicolon >= 0 else stop


def clause_start(text: str, at: int) -> int:
    """Where the sentence or ";"-clause that ``at`` stands in starts."""
    start = sentence_start(text, at)
    semicolon = text.rfind(";", start, at)
    return semicolon + 1 if semicolon >= 0 else start


def first_sentence_end(text: str) -> int | None:
    """Where the text's first sentence ends (a '.' or ';' before a capital or a bracket), or None if it has one."""
    found = _SENTENCE_BREAK.search(text)
    return None if found is None else found.start()


def make_fact(
    kind: FactKind, polarity: Polarity, values: Values, rule: str, evidence: str, uncertain: str | None = None
) -> Fact:
    return Fact(kind, polarity, values, rule, evidence.strip(), uncertain)


def window_in_words(text: str, start: int = 0) -> str | None:
    """What a window told in words, with no number to read, leaves unread (`cue.therapy.window_in_words`: "within a
    month of treatment", "within the past year"), found in ``text`` from ``start``: a fact read without it is not one
    of any time ever, so it is uncertain."""
    found = _WINDOW_IN_WORDS.search(text, start)
    return f"a window told in words ({found.group(0)!r}) is not read" if found else None


def window_near(c: CriterionText, m: Mention) -> tuple[Window | None, str | None]:
    """The time window after a mention, else in its clause, and what could not be read ("a window of 9999999
    days is out of bounds") if a window-like duration is there but unreadable."""
    for text in (c.text[m.start :], c.clause_text(m.start)):
        window, _, unread = numbers.longest_window(text)
        if window is not None or unread:
            return window, ("a time window could not be read" if unread and window is None else None)
    return None, None
