"""Regular expressions for the numeric idiom of eligibility text: comparators, values, units, windows, counts.

Pure functions over a string; `extract` ties them to the entities spaCy found.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import msgspec

from matcher.eligibility.cues import quick

WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "single": 1,
}  # fmt: skip
_NUMBER_WORD = r"(?:\d+(?:\.\d+)?|" + "|".join(WORD_NUMBERS) + r")"

# Comparator phrases, longest first, mapped to a canonical operator.
_OPERATORS = [
    # "less than equals to (<=) 2" (NCT03116971), "greater than equal to (>=) 3 x ULN" (NCT01300247), "greater than and
    # equal to (>=) 1.0*10^9" (NCT02381080): the "or" left out (parser 21)
    ("greater than or equals to", ">="), ("less than or equals to", "<="), ("greater than and equal to", ">="),
    ("less than and equal to", "<="), ("greater than equals to", ">="), ("less than equals to", "<="),
    ("greater than equal to", ">="), ("less than equal to", "<="), ("more than equal to", ">="),
    ("greater than or equal to", ">="), ("more than or equal to", ">="), ("less than or equal to", "<="),
    ("equal to or greater than", ">="), ("equal to or less than", "<="), ("equal or greater than", ">="),
    ("greater or equal to", ">="), ("less or equal to", "<="),
    ("no greater than", "<="), ("not greater than", "<="), ("no more than", "<="), ("not more than", "<="),
    ("not exceeding", "<="), ("not to exceed", "<="), ("not exceed", "<="), ("no less than", ">="),
    ("not less than", ">="), ("greater than", ">"), ("more than", ">"), ("higher than", ">"), ("in excess of", ">"),
    ("less than", "<"), ("lower than", "<"), ("at least", ">="), ("at most", "<="), ("up to", "<="),
    ("above", ">"), ("below", "<"), ("over", ">"), ("under", "<"), ("exceeding", ">"), ("exceeds", ">"),
    ("minimum of", ">="), ("maximum of", "<="), ("> or = to", ">="), ("< or = to", "<="), ("> or =", ">="),
    ("< or =", "<="), ("</=", "<="), (">/=", ">="), ("=/<", "<="), ("=/>", ">="), ("≥", ">="), (">=", ">="), ("=>", ">="), ("≧", ">="), ("⩾", ">="),
    ("≤", "<="), ("<=", "<="), ("=<", "<="), ("≦", "<="), ("⩽", "<="), (">", ">"), ("<", "<"), ("＞", ">"),
    # the modifier letters as signs: "Serum creatinine ˂ 2.0 x upper limit of normal (ULN) or an estimated glomerular
    # filtration rate (eGFR) of > 50 mL/min" (NCT02588261, comorbid sample 31's CQ085: the creatinine limit unread)
    ("＜", "<"), ("˃", ">"), ("˂", "<"), ("=", "="),
]  # fmt: skip


def _by_first_character(phrases: list[str]) -> str:
    """The phrases as one alternation, those with the same first character (in any case) gathered in a group of their
    own: re then tries the group's first character once at each position, not each phrase's, and takes the prefix
    they share out of the group. Phrases with different first characters never match at the same position, so the
    order among groups does not matter; within a group the phrases keep theirs (longest first) and the matches are
    the flat alternation's."""
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        groups.setdefault(phrase[0].lower(), []).append(re.escape(phrase))
    return "|".join(group[0] if len(group) == 1 else "(?:" + "|".join(group) + ")" for group in groups.values())


OPERATOR = "(?P<op>" + _by_first_character([text for text, _ in _OPERATORS]) + ")"
_OPERATOR_MAP = {text: op for text, op in _OPERATORS}

# A count per microlitre is a whole number, so a point or a space before three digits groups thousands: "100.000/mm3",
# "100 000 / mm3" (the European habits); elsewhere a point is a decimal point
_PER_MICROLITRE = r"\s*/\s*(?:mm3|mm³|mm\^3|µL|μL|uL|ul|mcL|cmm|cu\.?\s*mm)\b"
_GROUPED = r"(?P<grouped>\d{1,3}(?:[. ]\d{3})+)(?=" + _PER_MICROLITRE + ")"
_VALUE = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|" + _GROUPED + r"|\d+(?:\.\d+)?)"
_UNIT = (
    r"(?P<unit>(?:[x×*]\s*)?10\s*(?:\^|\*\*|\*|e)?\s*\(?(?:9|⁹)\)?\s*/\s*[lL]\b|(?:[x×*]\s*)?10\s*(?:\^|\*\*|\*)?\s*\(?"
    r"(?:3|6|12|³|⁶)\)?\s*/\s*(?:µ|μ|u|mc|m)?[lL]\b|(?:[x×]\s*)?10\s*(?:9|⁹)\s*/\s*[lL]\b|(?:cells?\s*)?/\s*(?:mm3|mm³|mm\^3|"
    r"µL|μL|uL|ul|mcL|cmm|cu\.?\s*mm)\b|g\s*/\s*dL|g\s*/\s*dl|g\s*/\s*L|mg\s*/\s*dL|mg\s*/\s*dl|mg\s*/\s*L|µmol\s*/\s*L|"
    r"μmol\s*/\s*L|umol\s*/\s*L|mmol\s*/\s*L|m[lL]\s*/\s*min(?:\s*/\s*1\.73\s*m\s*(?:2|²))?|U\s*/\s*L|IU\s*/\s*L|IU\s*/\s*mL|"
    r"mIU\s*/\s*L|µIU\s*/\s*mL|uIU\s*/\s*mL|mU\s*/\s*L|ng\s*/\s*mL|Gi?\s*/\s*L|%|msec|ms\b|mmHg|mm\s*Hg|seconds|sec\b|mCi|GBq|"
    r"m?g\s*/\s*24\s*-?\s*h(?:ours|our|rs|r)?\b|s(?![a-zA-Z]))"
)
# a multiple of a limit of normal, in its spellings ("x", "times", "times of", "fold"; "ULN", "upper normal limit",
# "UNL"): "less than 1.5 times of ULN" (NCT03435302, comorbid sample 59's DS400, mend62)
_ULN = (
    r"(?P<uln>\s*(?:[x×X*]|times|-?\s*fold)?\s*(?:of\s+)?(?:the\s+)?(?:institutional\s+|local\s+)?"
    r"(?:upper\s+limits?\s+of\s+(?:the\s+)?normal|upper\s+normal\s+limits?|ULN|IULN|UNL\b))"
)
_LLN = (
    r"(?P<lln>\s*(?:[x×X*]|times|-?\s*fold)?\s*(?:of\s+)?(?:the\s+)?(?:institutional\s+)?"
    r"(?:lower\s+limits?\s+of\s+(?:the\s+)?normal|lower\s+normal\s+limits?|LLN))"
)
# A threshold starts with an operator's first character: the lookahead lets re pass over other positions at once
# instead of trying each of the operators there (Python's re does not do this itself for a case-insensitive pattern)
_OPERATOR_START = "(?=[" + "".join(sorted({re.escape(text[0]) for text, _ in _OPERATORS})) + "])"
_OPERATOR_HERE = _OPERATOR_START + OPERATOR
# The symbol a worded comparator repeats in brackets: "less than or equal to (<=) 2", "greater than or equal to (>/=) 12"
_BRACKETED_SYMBOL = r"(?:\s*\(\s*(?P<sym>" + OPERATOR[len("(?P<op>") :] + r"\s*\))?"
BRACKETED_OPERATOR = r"(?:\s*\(\s*(?:" + OPERATOR[len("(?P<op>") :] + r"\s*\))?"  # the same, as a group of no name
THRESHOLD = quick(
    _OPERATOR_HERE
    + _BRACKETED_SYMBOL
    + r"\s*(?:(?:the|an?)\s+)?"
    + _VALUE
    + r"?\s*(?:"
    + _ULN
    + "|"
    + _LLN
    + "|"
    + _UNIT
    + r")?",
    re.IGNORECASE,
)
RANGE = quick(r"(?P<a>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(?P<b>\d+(?:\.\d+)?)")
_DURATION_UNITS = {"day": 1, "week": 7, "wk": 7, "month": 30, "mo": 30, "year": 365, "yr": 365}
DURATION = quick(
    r"(?P<n>" + _NUMBER_WORD + r")\s*(?:\(\s*\d+\s*\)\s*)?[- ]?(?P<unit>days?|weeks?|wks?|months?|mos?|years?|yrs?)\b",
    re.IGNORECASE,
)
# A window that must have passed, not one the therapy must fall in: "at least 4 weeks since prior X", "last dose more
# than 4 weeks prior", "must have been completed at least 28 days prior to registration", "discontinued at least 4
# weeks before" (not "within 4 weeks before")
SINCE_CUE = quick(
    r"\b(?:since|elapsed|must have passed|from (?:the )?(?:last|prior|end)|after (?:the )?(?:last|end))\b|"
    r"\blast dose\b[^.;]{0,30}\bat least\b|"
    r"\b(?:last|complet\w*|discontinu\w*|stopped|finished|ended)\b(?:(?!\bwithin\b)[^.;]){0,80}?"
    r"\b(?:more\s+than|at\s+least|greater\s+than|≥|>=?)?\s*\S+\s*(?:\(\s*\d+\s*\)\s*)?(?:days?|weeks?|months?|years?)\s+"
    r"(?:\([^)]*\)\s*)?(?:prior|before)\b|"
    r"\b(?:more\s+than|at\s+least|greater\s+than|≥|>=?)\s*\S+\s*(?:days?|weeks?|months?|years?)\s+(?:\([^)]*\)\s*)?"
    r"(?:prior|before)\b",
    re.I,
)
_COUNT_PATTERNS = [
    (quick(r"\bat least (?P<n>" + _NUMBER_WORD + r")\b", re.I), "min"),
    (quick(r"(?:≥|>=)\s*(?P<n>\d+)\s+(?:prior|previous|line|regimen|systemic)", re.I), "min"),
    (quick(r"\b(?P<n>" + _NUMBER_WORD + r") or more\b", re.I), "min"),
    (quick(r"(?<!no )(?<!not )\b(?:more than|greater than|>)\s*(?P<n>" + _NUMBER_WORD + r")\b(?!\s*(?:days?|weeks?|months?))", re.I), "over"),
    (quick(r"\b(?:no more than|not more than|up to|at most|maximum of|a maximum of|limited to|≤|<=|=<)\s*(?P<n>" + _NUMBER_WORD
                + r")\b(?!\s*(?:days?|weeks?|months?|years?))", re.I), "max"),
    (quick(r"\b(?P<n>" + _NUMBER_WORD + r") or (?:fewer|less)\b", re.I), "max"),
    (quick(r"\b(?P<n>" + _NUMBER_WORD + r")\s*(?:or|-|–|to)\s*(?P<m>" + _NUMBER_WORD + r")\b", re.I), "range"),
]  # fmt: skip
_COUNT_CONTEXT = quick(
    r"^[^.;\d]{0,60}?\b(?:prior|previous|lines?|regimens?|therap|agents?|treatments?|inhibitors?|drugs?|TKIs?|MKIs?|VEGF)",
    re.IGNORECASE,
)


class Threshold(msgspec.Struct, frozen=True):
    op: str
    value: float | None
    unit: str | None
    uln: float | None  # multiple of the upper limit of normal
    lln: float | None
    start: int
    end: int
    text: str


# No clinical threshold, count or window in eligibility text comes near this: a bigger number is a typo or a test of
# the parser ("within 1000...0 months"), and is not read.
MAX_NUMBER = 10_000_000


def number(text: str) -> float:
    """The number a numeral or number word says; NaN past `MAX_NUMBER`, which no comparison accepts."""
    text = text.lower()
    value = float(WORD_NUMBERS[text]) if text in WORD_NUMBERS else float(text.replace(",", ""))
    return value if value <= MAX_NUMBER else math.nan


def thresholds(text: str, start: int = 0, end: int | None = None) -> list[Threshold]:
    found = []
    for match in THRESHOLD.finditer(text, start, len(text) if end is None else end):
        op = _OPERATOR_MAP.get(match.group("op").lower(), "=")
        if match.group("sym") and _OPERATOR_MAP.get(match.group("sym").lower()) != op:
            continue  # "less than or equal to (>=) 2" (NCT02519452): the words and the symbol disagree; not read
        written = match.group("num")
        if match.group("grouped"):  # "100.000/mm3", "100 000 / mm3"
            written = written.replace(" ", "").replace(".", "")
        num = number(written) if written else None
        if num is not None and math.isnan(num):
            continue
        uln = lln = None
        if match.group("uln"):
            uln = num if num is not None else 1.0
        elif match.group("lln"):
            lln = num if num is not None else 1.0
        elif num is None:
            continue
        unit = match.group("unit")
        found.append(
            Threshold(op, num if uln is None and lln is None else None, " ".join(unit.split()) if unit else None,
                      uln, lln, match.start(), match.end(), match.group(0))
        )  # fmt: skip
    return found


# A comparator written after its number: "LVEF of 45% or less", "QTc 480 ms or more"
_TRAILING = quick(
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>%|ms\b|msec\b)?\s+or\s+(?P<word>less|lower|below|more|greater|higher|above)\b",
    re.IGNORECASE,
)


def trailing_thresholds(text: str, start: int = 0) -> list[Threshold]:
    """Limits whose comparator follows the number ("45% or less"), as `Threshold`s."""
    found = []
    for match in _TRAILING.finditer(text, start):
        op = "<=" if match.group("word").lower() in ("less", "lower", "below") else ">="
        unit = match.group("unit")
        found.append(Threshold(op, number(match.group("num")), unit, None, None, match.start(), match.end(),
                               match.group(0)))  # fmt: skip
    return found


def operator_for(word: str) -> str | None:
    return _OPERATOR_MAP.get(word.lower())


@dataclass(frozen=True, slots=True)
class Window:
    """A span of calendar time as the text wrote it: (6, "month") is 6 calendar months, not 180 days."""

    number: int
    unit: str  # day | week | month | year

    def __str__(self) -> str:
        return f"{self.number} {self.unit}{'s' if self.number != 1 else ''}"

    @property
    def approx_days(self) -> int:
        """For ordering windows only; date arithmetic uses `matcher.eligibility.kinds.base.add_window`."""
        return self.number * _DURATION_UNITS[self.unit]

    def to_json(self) -> dict[str, object]:
        return {"number": self.number, "unit": self.unit}


_UNIT_NAMES = {"day": "day", "week": "week", "wk": "week", "month": "month", "mo": "month", "year": "year",
               "yr": "year"}  # fmt: skip
# Plausible clinical bounds: a window longer than this is not a washout or a history window but a typo or a
# test of the parser ("within 9999999 days"); the criterion is read as unknown instead.
MAX_WINDOW_DAYS = 100 * 365


def window_of(match: re.Match[str]) -> Window | None:
    """The window a DURATION match names, or None past the plausible bound."""
    n = number(match.group("n"))
    unit = _UNIT_NAMES[match.group("unit").lower().rstrip("s")]
    if not 0 < n * _DURATION_UNITS[unit] <= MAX_WINDOW_DAYS or n != int(n):
        return None
    return Window(int(n), unit)


def longest_window(text: str) -> tuple[Window | None, bool, bool]:
    """The longest time window in a clause (the conservative reading of "2 weeks for bone, 4 weeks for any other
    radiation"), whether it is a "since" window ("at least 4 weeks since"), and whether a window-like duration
    could not be read (out of bounds or fractional): then the reading is not complete."""
    windows, unread = [], False
    for m in DURATION.finditer(text):
        if NOT_A_WINDOW.match(text, m.end()):
            continue
        window = window_of(m)
        if window is None:
            unread = True
        else:
            windows.append(window)
    best = max(windows, key=lambda w: w.approx_days) if windows else None
    return best, bool(SINCE_CUE.search(text)), unread


# After a duration: "3 months or more before entry" is a minimum time and "patients < 18 years of age" an age,
# not windows.
NOT_A_WINDOW = quick(r"\s*(?:(?:or|and)\s+(?:more|longer|greater|older)|of\s+age|old)\b", re.IGNORECASE)


_TIME_UNIT_AHEAD = quick(r"\s*(?:\(\s*\d+\s*\)\s*)?(?:days?|weeks?|wks?|months?|years?|half|hours?|cm|mm|mg|%)", re.I)


def count_bounds(text: str) -> tuple[int | None, int | None]:
    """Bounds on a number of prior therapies: "at least one", "no more than 2", "0 or 1", "more than 2"."""
    low: int | None = None
    high: int | None = None
    if not _COUNT_CONTEXT.possible(text):
        return low, high  # every count is of therapies the text names after it: with no such word, no count is read
    for pattern, kind in _COUNT_PATTERNS:
        for match in pattern.finditer(text):
            if _TIME_UNIT_AHEAD.match(text, match.end()) or not _COUNT_CONTEXT.match(text[match.end() :]):
                continue
            found = number(match.group("n"))
            if not 0 <= found <= 100:
                continue  # NaN too: not a count of prior therapies
            n = int(found)
            if kind == "min":
                low = n if low is None else max(low, n)
            elif kind == "over":
                low = n + 1 if low is None else max(low, n + 1)
            elif kind == "max":
                high = n if high is None else min(high, n)
            else:
                second = number(match.group("m"))
                if not 0 <= second <= 100:
                    continue
                m = int(second)
                low, high = min(n, m), max(n, m)
    return low, high
