"""Age: "18 years and older", "Age 18-75", "between 18 and 75 years", "≥ 18 and ≤ 75", the structured minimumAge and
maximumAge fields. An age that picks a subgroup ("women < 50 years of age must ...", "Lansky (age < 16)") or belongs
to another person ("1st degree relative with unexplained sudden death under 40 years of age") is not the patient's
age limit."""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date
from typing import NamedTuple

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity, Section, Values, one_line, shortened
from matcher.eligibility.cues import cue, quick
from matcher.eligibility.kinds.base import Finding, Kind, compare, fmt
from matcher.eligibility.text import CriterionText, first_sentence_end, make_fact
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient


class AgeValues(Values, frozen=True):
    """Either a bound (``op`` and ``years``) or a range (``min_years`` to ``max_years``, both inclusive)."""

    op: str | None = None
    years: int | float | None = None
    min_years: int | float | None = None
    max_years: int | float | None = None
    at_diagnosis: bool = False  # a bound on the age at diagnosis (cue.age.at_event), not today's age


# An age that picks a subgroup ("children"), or that is part of a definition of menopause ("Subjects not using HRT
# must have experienced total cessation of menses for >= 1 year and be greater than 45 years in age", NCT00619424):
# not the patient's entry limit, in the sentence that names it
_SUBGROUP = cue("cue.age.subgroup")
# A lab value with its unit beside an age: the age picks the row of a lab-by-age table ("0.5 mg/dL (6 months to < 1
# year of age)", NCT00679354; "Age 10 to < 13 years: maximum serum creatinine 1.2 mg/dL", NCT02642965), or it is one
# way to qualify ("> or = 65 years of age or diagnosed with renal insufficiency, defined as having a creatinine > 3
# mg/dl", NCT00113919): not the patient's entry limit (parser 20; 25 criteria of the tuning texts, every one a row or
# an alternative)
_LAB_VALUE = quick(r"\d\s*(?:(?:mg|g|µmol|μmol|umol|mmol|mcg|ng)\s*/\s*d?l|ml\s*/\s*min)\b", re.I)
# A sex named with an age: "Males aged 18 or over" is the age limit for men (the scope step makes the sex a condition
# of the criterion), but in "Women < 50 years of age must have a negative pregnancy test" the age picks the women
# the rest of the sentence asks something of; "male or female" names no group at all
_SEX = quick(r"\b(?:women|woman|females?|men|man|males?)\b", re.I)
_ANY_SEX = quick(
    r"\b(?:(?:fe)?males?|(?:wo)?men)\s*(?:or|and|/|&)\s*(?:(?:fe)?males?|(?:wo)?men)\b|\b(?:either|both|any)\s+sex",
    re.I,
)
_PREDICATE = quick(
    r"\b(?:must|should|shall|need|needs|will|are|is|who|with|of\s+(?:child|reproductive)\w*|ha(?:ve|s)|agree\w*|us(?:e|ing))\b",
    re.I,
)
# "≥18 years old": the words name an age even where the tokenizer keeps them from the vocabulary ("old，")
_AGE_WORDS = quick(r"\byears?\s+(?:old|of\s+age)\b", re.I)
_YEARS = r"\s*(?:years?|yrs?)?(?:\s*(?:of\s*age|old))?"
_AGE_RANGE = [
    # "between 18 and 75 years", "Age 18-75", "aged 18 to 75 years", "18 - 75 years old", "≥18 and ≤75 years"
    quick(r"\bbetween\s*(?P<a>\d{1,3})" + _YEARS + r"\s*(?:and|-|–|to)\s*(?P<b>\d{1,3})\b", re.I),
    quick(r"\bage[ds]?\s*(?:of\s*|is\s*|:\s*)?(?:from\s*)?(?P<a>\d{1,3})" + _YEARS + r"\s*(?:-|–|~|to)\s*(?P<b>\d{1,3})\b", re.I),
    quick(r"(?P<a>\d{1,3})\s*(?:-|–|~|to)\s*(?P<b>\d{1,3})\s*(?:years?|yrs?)\b", re.I),
    quick(r"(?:≥|>=|=>)\s*(?P<a>\d{1,3})" + _YEARS + r"\s*(?:and|,)\s*(?:≤|<=|=<)\s*(?P<b>\d{1,3})\b", re.I),
    # "Age at the time of informed consent 20 years up to 74 years" (NCT01090167)
    # ("untreated AML patients (60 years to 74 years)", NCT01090167, is one alternative's band: not read)
    quick(r"(?P<a>\d{1,3})\s*(?:years?|yrs?)\s*up\s+to\s*(?P<b>\d{1,3})\s*(?:years?|yrs?)\b", re.I),
]  # fmt: skip
# Words just before an age-like bound that make it something else: a subgroup the sentence asks something of
# ("Performance status ≥ 80% (Karnofsky) for patients ≥ 60 years old or ≥ 70% for patients < 60", NCT01350258), or a
# duration ("Cancer survivors, who ... have no evidence of that disease for 3 years or more", NCT02389842)
_NOT_THE_PATIENTS_LIMIT = cue("cue.age.not_the_patients_limit")
# A number of years that measures another attribute, named just before it in its clause: a disease-free interval ("Any
# prior invasive malignancy (unless non-melanomatous resectable skin or the DFS is 2 years or more)", NCT01732640;
# "asynchronous double cancer with disease-free duration of 3 years or less", NCT00498225), a remission, a follow-up
# (sample 7, M019); or a time since an event, named just after it ("... unless the other malignancy was treated 5 or
# more years ago", NCT00684216; "... completed 2 or more years before screening", NCT01666314): not an age
_OTHER_ATTRIBUTE = cue("cue.age.other_attribute")
# another unit after the number: "Age > 28 days and < 18 years" (NCT02393859) is no limit of 28 years
_OTHER_UNIT = quick(r"\s*(?:days?|weeks?|wks?|months?|mos?)\b", re.I)
# Words in the bound itself that name an age ("Age ≥ 18", "aged 18 years or older", "18 years of age or older"):
# an age, whatever stands around it ("Patients in first complete remission, aged 18 years or older"; "Must be 18 years
# of age or older prior to registration" is an age limit, not a time since an event)
_AGE_IN_BOUND = quick(r"\b(?:age[ds]?|old)\b|\b(?:or|and)\s+(?:older|younger)\b", re.I)
# "older/younger than N": whose age, the word before says: a person's ("Male patients older than 18 years",
# NCT02044354; "Older than 18 years of age", NCT00361244) or a thing's ("Archival tumour tissue not older than 5 years",
# "a biopsy older than 6 months": no age of the patient's). The last such word in the clause decides
_PERSON_OR_THING = quick(
    r"\b(?:(?P<person>patients?|subjects?|participants?|people|persons?|individuals?|adults?|(?:wo)?m[ae]n|"
    r"(?:fe)?males?|girls?|boys?|age[ds]?|who|they)|(?P<thing>tissues?|samples?|specimens?|biops(?:y|ies)|blocks?|"
    r"slides?|scans?|images?|imaging|materials?|tests?|results?|data|lesions?|malignanc(?:y|ies)|cancers?|"
    r"tumou?rs?|diseases?|diagnos[ie]s|therap(?:y|ies)|treatments?|surger(?:y|ies)|transplant\w*|events?|"
    r"histor(?:y|ies)|infections?|values?|measurements?|reports?|ECGs?|MRIs?|CT))\b",
    re.I,
)
# "no older than 85 years" ("must be at least 18 years of age but no older than 85 years", NCT01044966): at most 85
_NEGATED_COMPARISON = quick(r"\b(?:no|not|never)\s*$", re.I)
# An upper-bound comparator before the word "age": "Patients with Philadelphia (Ph) chromosome positive CML < age 65
# and older than 21 years" (NCT00446173), "Under age 55 and deemed ineligible for conventional high-dose
# chemotherapy" (NCT00301951): the number after "age" is an upper limit, not a lower one
# A negation before the comparator turns it ("Not younger than age 18", "must not be under age 18": at least 18;
# review of the sweep: read as "< 18" they excluded every adult)
_UPPER_BEFORE_AGE = quick(
    r"(?:(?P<inclusive>≤|<=|=<|\bup\s+to|\bat\s+most|\bno[t]?\s+older\s+than|\bless\s+than\s+or\s+equal\s+to)|"
    r"(?P<negated>\b(?:not|no|never)\s+(?:be\s+)?)?(?:<|\b(?:under|below|less\s+than|younger\s+than)))\s*(?:the\s+)?$",
    re.I,
)
# the bound's own direction after it ("age 18 or older"), which a comparator before "age" does not turn
_OWN_DIRECTION = quick(
    r"\s*(?:years?|yrs?)?(?:\s*(?:of\s+age|old))?\s*(?:or|and)\s+(?:older|over|above|younger|under|below)\b(?!\s+than)",
    re.I,
)
# "if" right before "under age N": the age conditions something else ("Ineligible for transplant if under age 65"),
# not "patients are excluded if under age 18", the limit
_CONDITION_BEFORE = cue("cue.age.condition_before")
_TIME_SINCE = quick(r"\s*(?:(?:years?|yrs?)\s+)?(?:ago|before|prior|since|after|earlier|previously)\b", re.I)
# the symbol a worded comparator repeats in brackets: "aged greater than or equal to (>=) 18 years" (NCT01085331)
_SYMBOL = numbers.BRACKETED_OPERATOR
_AGE = [
    quick(r"\b(?:age[ds]?|age of)\s*(?:of\s*|is\s*|must be\s*|:\s*)?(?:" + numbers.OPERATOR + _SYMBOL + r")?\s*(?P<n>\d{1,3})\b",
          re.I),
    quick(numbers.OPERATOR + _SYMBOL + r"\s*(?P<n>\d{1,3})\s*(?:years?|yrs?)\b", re.I),
    quick(r"(?P<n>\d{1,3})\s*(?:years?|yrs?)?(?:\s*of\s*age|\s*old)?\s*(?:or|and)\s*(?P<dir>older|above|over|greater|more|younger|less|below|under)\b(?!\s*than\b)", re.I),
    # "Female patients older than 15 years and younger than 46 years" (NCT00429403): not "15 years and younger"
    quick(r"\b(?P<cmp>older|younger)\s+than\s+(?P<n>\d{1,3})\b(?P<unit>\s*(?:years?|yrs?)\b)?", re.I),
]  # fmt: skip


class _Limit(NamedTuple):
    """One end of an age range, in whole years, inclusive; ``match`` is the bound it was read from."""

    years: int
    match: re.Match[str]


def _between(text: str, a: _Limit, b: _Limit) -> str:
    """The text from the first bound to the last: the evidence of a range."""
    return text[min(a.match.start(), b.match.start()) : max(a.match.end(), b.match.end())]


# concepts whose criterion's age picks a subgroup: "Lansky (age < 16)", "women < 50 years of age must ..." (`extract`)
_SUBGROUP_CONCEPTS = frozenset(
    {"concept.lansky", "concept.pregnancy", "concept.contraception", "concept.breastfeeding"}
)


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    if not c.has("concept.age") and "year" not in c.text.lower():
        return []
    if _sex_subgroup(c.text) or c.has_any(_SUBGROUP_CONCEPTS):
        return []  # "women < 50 years of age must ...", "Lansky (age < 16)": an age that picks a subgroup
    if _LAB_VALUE.search(c.text):
        return []  # "0.5 mg/dL (6 months to < 1 year of age)": the row of a lab-by-age table
    named = c.has("concept.age") or bool(_AGE_WORDS.search(c.text))
    subgroups = _subgroup_sentences(c.text)
    ranges: list[tuple[_Limit, _Limit]] = []
    for pattern in _AGE_RANGE:
        for match in pattern.finditer(c.text):
            low, high = int(match.group("a")), int(match.group("b"))
            if c.about_someone_else(match.start()) or not 0 < low < high < 120 or _within(subgroups, match):
                continue
            if pattern is not _AGE_RANGE[0] and not (named or "year" in match.group(0).lower()):
                continue
            if any(_overlap(match, a.match) for a, _ in ranges):
                continue
            ranges.append((_Limit(low, match), _Limit(high, match)))
    bounds = [(op, n, m) for op, n, m in _bounds(c, named)
              if not _within(subgroups, m) and not any(_overlap(m, a.match) for a, _ in ranges)
              and not any(_restates(op, n, a.years, b.years) for a, b in ranges)]  # fmt: skip
    distinct: dict[tuple[int, int], tuple[_Limit, _Limit]] = {}  # a range said twice is one band
    for a, b in ranges:
        distinct.setdefault((a.years, b.years), (a, b))
    ranges = list(distinct.values())
    lowers = [(op, n, m) for op, n, m in bounds if op in (">=", ">")]
    uppers = [(op, n, m) for op, n, m in bounds if op in ("<=", "<")]
    if (
        len(ranges) > 1
        or (ranges and bounds)
        or len({n for _, n, _ in lowers}) > 1
        or len({n for _, n, _ in uppers}) > 1
    ):
        return _bands(c, ranges, bounds)  # "over the age of 60 or relapsed/refractory AML over the age of 18"
    if ranges:
        first, last = ranges[0]
        values = AgeValues(min_years=first.years, max_years=last.years)
        doubt = _not_a_limit(c, first.match)
        return [make_fact(FactKind.AGE, c.default_polarity, values, "rule.age.range", first.match.group(0), doubt)]
    lower = next((_Limit(n + (op == ">"), m) for op, n, m in lowers), None)
    upper = next((_Limit(n - (op == "<"), m) for op, n, m in uppers), None)
    if lower and upper and lower.years < upper.years:  # "Aged greater than or equal to 18 and ≤75 years": a range
        # whole years, both ends inclusive: "> 17 and < 76" is 18 to 75
        return [make_fact(FactKind.AGE, c.default_polarity, AgeValues(min_years=lower.years, max_years=upper.years),
                          "rule.age.range", _between(c.text, lower, upper),
                          _not_a_limit(c, lower.match) or _not_a_limit(c, upper.match)
                          or _event_before(c, "<", upper.match))]  # fmt: skip
    doubt = None
    if lower and upper and c.default_polarity is Polarity.EXCLUDE and upper.years + 1 < lower.years - 1:
        # "Patients that are < 18 yrs. of age or > 80 yrs. of age." (NCT02083536) under the exclusion heading: ages
        # outside a range are excluded, the range is required
        values = AgeValues(min_years=upper.years + 1, max_years=lower.years - 1)
        return [make_fact(FactKind.AGE, Polarity.REQUIRE, values, "rule.age.range", _between(c.text, lower, upper))]
    if lower and upper and lower.years > upper.years:
        # "Age 65 yrs and older OR if less than 65 years, must have at least one of the following criteria:"
        # (NCT02264574, sample 6 L016): two ages that exclude each other are the branches of alternatives, not a limit
        doubt = f"the text names ages that exclude each other ({lower.match.group(0)!r}, {upper.match.group(0)!r}): branches"
    for op, n, match in bounds:
        # "Age: < or = 21 years of age at the time of original diagnosis" (NCT00665990): a bound on the age at
        # diagnosis, read on the diagnosis date
        at_diagnosis = bool(cue("cue.age.at_event").match(c.text, match.end()))
        values = AgeValues(op=op, years=n, at_diagnosis=at_diagnosis)
        doubt = doubt or _let_in(c, match) or _not_a_limit(c, match, at_event=not at_diagnosis)
        doubt = doubt or (None if at_diagnosis else _event_before(c, op, match))
        return [make_fact(FactKind.AGE, c.default_polarity, values, "rule.age.threshold", match.group(0), doubt)]
    return []


def _restates(op: str, n: int, low: int, high: int) -> bool:
    """Whether a bound says again one end of a range ("Age 18-75 years ... patients aged 18 years or older")."""
    return (op, n) in ((">=", low), (">", low - 1), ("<=", high), ("<", high + 1))


def _overlap(a: re.Match[str], b: re.Match[str]) -> bool:
    return a.start() < b.end() and b.start() < a.end()


def _bands(
    c: CriterionText, ranges: list[tuple[_Limit, _Limit]], bounds: list[tuple[str, int, re.Match[str]]]
) -> list[Fact]:
    """Several age bands in one criterion: "Untreated AML patients over the age of 60 or relapsed/refractory AML over
    the age of 18" (NCT00636922), "ECOG PS 0-2 (≤ 70 years of age) OR ECOG PS 0 (71-75 years of age)" (NCT00719797),
    "Age at the time of informed consent 20 years up to 74 years; 60 years or older for patients with previously
    untreated AML" (NCT01090167): each band is that of a group or of one alternative, which the profile does not
    decide. Any patient the trial takes is in one of them, so the limit read is their envelope: the lowest lower bound
    if every band has one, the highest upper bound if every band has one (each bound on its own is a band of one side;
    a bound of each side only, as in "≥ 18 and ≤ 75", is read as a range before this). No envelope: uncertain."""
    spans = [a.match for a, _ in ranges] + [m for _, _, m in bounds]
    evidence = c.text[min(m.start() for m in spans) : max(m.end() for m in spans)]
    # (inclusive whole years) per band; "> 60" counts as 60 here, the loosest reading of its boundary year
    lows = [a.years for a, _ in ranges] + [n for op, n, _ in bounds if op in (">=", ">")]
    highs = [b.years for _, b in ranges] + [n for op, n, _ in bounds if op in ("<=", "<")]
    low = min(lows) if len(lows) == len(ranges) + len(bounds) else None  # every band has a lower bound
    high = max(highs) if len(highs) == len(ranges) + len(bounds) else None
    last = max(m.start() for m in spans)  # an "or" after an earlier band leads to the next band
    doubt = next((d for m in spans if (d := _not_a_limit(c, m, alternatives=m.start() == last))), None)
    doubt = doubt or next((d for op, _, m in bounds if (d := _event_before(c, op, m))), None)
    if low is not None and high is not None:
        values = AgeValues(min_years=low, max_years=high) if low < high else AgeValues()
        if not low < high:
            doubt = doubt or f"the age bands of the text ({evidence!r}) do not make one limit"
    elif low is not None:  # the loosest lower bound, as written ("> 13" stays "> 13")
        values = _loosest(
            low, [(op, n) for op, n, _ in bounds if op in (">=", ">")], [a.years for a, _ in ranges], ">="
        )
    elif high is not None:
        values = _loosest(
            high, [(op, n) for op, n, _ in bounds if op in ("<=", "<")], [b.years for _, b in ranges], "<="
        )
    else:
        values = AgeValues()
        doubt = doubt or f"the ages of the text ({evidence!r}) are those of several groups or alternatives"
    if not doubt and c.default_polarity is Polarity.EXCLUDE:
        doubt = f"several age bands under the exclusion heading ({evidence!r})"
    rule = "rule.age.range" if values.min_years is not None else "rule.age.threshold"
    return [make_fact(FactKind.AGE, c.default_polarity, values, rule, evidence, doubt)]


def _loosest(years: int, bounds: list[tuple[str, int]], ends: list[int], inclusive: str) -> AgeValues:
    """The loosest one-sided limit at ``years``: a range's end there or an inclusive bound is read inclusive, else the
    strict bound as written."""
    if years in ends or (inclusive, years) in bounds:
        return AgeValues(op=inclusive, years=years)
    return AgeValues(op=next(op for op, n in bounds if n == years), years=years)


def _not_a_limit(
    c: CriterionText, match: re.Match[str], alternatives: bool = True, at_event: bool = True
) -> str | None:
    """Whether what follows an age bound makes it no limit of the patient's age today: an age at diagnosis
    (cue.age.at_event), one alternative of several (cue.age.alternative), or, under the exclusion heading, an age
    that excludes only with another condition (cue.age.with_condition)."""
    if at_event and cue("cue.age.at_event").match(c.text, match.end()):
        return f"the age ({match.group(0)!r}) is one at diagnosis, not today's"
    if alternatives and cue("cue.age.alternative").match(c.text, match.end()):
        return f"the age ({match.group(0)!r}) is one of several alternatives"
    if c.default_polarity is Polarity.EXCLUDE and cue("cue.age.with_condition").match(c.text, match.end()):
        return f"the age ({match.group(0)!r}) excludes only with another condition"
    return None


def _event_before(c: CriterionText, op: str, match: re.Match[str]) -> str | None:
    """Whether an upper bound is the age at an event named just before it (cue.age.event_before): "Patients diagnosed
    under age 40 with breast cancer", "Onset of disease below the age of 30". Today's age only grows, so read as
    today's the bound would exclude a patient who met it then (a lower bound read on today's age excludes no one who
    met it then). Uncertain."""
    if op not in ("<", "<="):
        return None
    start = max(
        0, match.start() - 40, c.text.rfind(". ", 0, match.start()) + 1, c.text.rfind(";", 0, match.start()) + 1
    )
    if event := cue("cue.age.event_before").search(c.text, start, match.start()):
        return f"the age ({match.group(0)!r}) may be one at an event ({event.group(0).strip()!r}), not today's"
    return None


# An alternative way in: "... are also eligible", "may also be enrolled" (not "Patients 18 years or older ... are
# eligible", the limit itself)
_ALSO_ELIGIBLE = cue("cue.age.also_eligible")


def _let_in(c: CriterionText, match: re.Match[str]) -> str | None:
    """Whether the age stands in a sentence that lets a group in ("Patients who are over age 65 and have not
    received therapy for AML are also eligible, if ...", NCT02296242, sample 5 K038): the age of an alternative way
    in, not the patient's limit; the reading is uncertain (the doubt returned)."""
    end = c.text.find(". ", match.end())
    sentence = c.text[match.start() : end if end >= 0 else len(c.text)]
    if _ALSO_ELIGIBLE.search(sentence):
        return f"the age ({match.group(0)!r}) is that of a group the text lets in, not a limit"
    return None


def _subgroup_sentences(text: str) -> list[tuple[int, int]]:
    """Where an age is not the patient's limit, when the text names a subgroup or a menopause definition: the whole
    text, unless its first sentence names none; then the sentences after it ("Age >18 years. Lung cancer is extremely
    rare in children.", NCT00492206: the first sentence is the limit, the others explain it; parser 20)."""
    if not _SUBGROUP.search(text):
        return []
    first = first_sentence_end(text)
    if first is None or _SUBGROUP.search(text, 0, first + 1):
        return [(0, len(text))]
    return [(first + 1, len(text))]


def _within(spans: list[tuple[int, int]], match: re.Match[str]) -> bool:
    return any(a <= match.start() < b for a, b in spans)


def _sex_subgroup(text: str) -> bool:
    """Whether a sex is named as a group of whom the sentence asks something more than the age."""
    any_sex = [m.span() for m in _ANY_SEX.finditer(text)]
    sexes = [m for m in _SEX.finditer(text) if not any(a <= m.start() < b for a, b in any_sex)]
    return any(_PREDICATE.search(text, m.end()) for m in sexes)


def _bounds(c: CriterionText, named: bool) -> list[tuple[str, int, re.Match[str]]]:
    """Every age bound of the patient's in the text, in order, as (operator, years, match); ``named``: whether the
    text names an age ("age", "years old")."""
    found: list[tuple[str, int, re.Match[str]]] = []
    for pattern in _AGE:
        for match in pattern.finditer(c.text):
            if c.about_someone_else(match.start()):
                continue  # "1st degree relative with unexplained sudden death under 40 years of age"
            # "Zubrod 0-2 for patients under age 65": the subgroup's words stand before the comparator
            lead = (
                _UPPER_BEFORE_AGE.search(c.text, max(0, match.start() - 24), match.start())
                if pattern is _AGE[0] and not match.group("op")
                else None
            )
            if lead and _OWN_DIRECTION.match(c.text, match.end()):
                lead = None  # "... below age 18 or older": the bound says its own direction
            start = lead.start() if lead else match.start()
            if _NOT_THE_PATIENTS_LIMIT.search(c.text, max(0, start - 40), start):
                continue  # "... for patients ≥ 60 years old" (a subgroup), "no evidence of disease for 3 years or more"
            if lead and _CONDITION_BEFORE.search(c.text, max(0, start - 40), start):
                continue  # "Ineligible for transplant if under age 65": a condition of another attribute
            if _OTHER_UNIT.match(c.text, match.end()) or (
                not _AGE_IN_BOUND.search(match.group(0))
                and (
                    _OTHER_ATTRIBUTE.search(c.text, max(0, match.start() - 40), match.start())
                    or _TIME_SINCE.match(c.text, match.end())
                )
            ):
                continue  # "the DFS is 2 years or more", "treated 5 or more years ago", "> 28 days": not an age
            if not (named or pattern is not _AGE[0]):
                continue
            if pattern is _AGE[2] and not named and not re.search(r"\d\s*(?:years?|yrs?)\b", match.group(0), re.I):
                continue  # "grade 2 or greater", "2 or more risk factors": a number with no unit in a text naming no age
            n = int(match.group("n"))
            if "cmp" in pattern.groupindex:
                if not (match.group("unit") or named):
                    continue  # "older than 30": of what, the text does not say
                if not _a_persons_age(c.text, match.start()):
                    continue  # "tissue not older than 5 years": the age of a thing
                older = match.group("cmp").lower() == "older"
                if _NEGATED_COMPARISON.search(c.text, max(0, match.start() - 8), match.start()):
                    op = "<=" if older else ">="  # "no older than 85 years", "not younger than 18 years"
                else:
                    op = ">" if older else "<"
            elif "dir" in pattern.groupindex:
                op = ">=" if match.group("dir").lower() in ("older", "above", "over", "greater", "more") else "<="
            elif lead:  # "CML < age 65", "Under age 55": an upper limit; "not under age 18": a lower one
                op = "<=" if lead.group("inclusive") else ">=" if lead.group("negated") else "<"
            else:
                op = numbers.operator_for(match.group("op") or "") or ">="
            if op == "=" or not 0 < n < 120 or (pattern is _AGE[1] and not named):
                continue
            if op in ("<", "<=") and _group_asked(c.text, match):
                continue  # "Patients under the age of 18 must have consent of a parent": a group, not the limit
            if any(m.start() <= match.start() < m.end() or match.start() <= m.start() < match.end()
                   for _, _, m in found):  # fmt: skip
                continue  # the same words read by two patterns
            found.append((op, n, match))
    found.sort(key=lambda b: b[2].start())
    return found


# A person named right before an upper bound, its comparator words between ("Patients under the age of 18 must ...",
# "subjects under age 21 need ...", "Patients < 18 years of age must ...")
_PERSON_BEFORE = cue("cue.age.person_before")


def _group_asked(text: str, match: re.Match[str]) -> bool:
    """Whether an upper age bound picks the group its sentence asks something of (cue.age.group_asked): "Patients
    under the age of 18 must have consent of a parent or guardian" is no upper limit of the patient's age (review of
    the age/lab sweep: read as "< 18" it excluded every adult)."""
    before = _PERSON_BEFORE.search(text, max(0, match.start() - 40), match.start())
    return bool(before and cue("cue.age.group_asked").match(text, match.end()))


def _a_persons_age(text: str, start: int) -> bool:
    """Whether "older/younger than" at ``start`` is said of a person: the last person or thing named before it in its
    clause is a person, or nothing but a negation stands before it ("Older than 18 years of age", "Not older than ...")."""
    clause = text[max(0, start - 60) : start]
    clause = clause[max(clause.rfind(". "), clause.rfind(";"), clause.rfind("\n")) + 1 :]
    named = [*_PERSON_OR_THING.finditer(clause)]
    if not named:
        return not re.search(r"[a-z]{2,}", _NEGATED_COMPARISON.sub("", clause), re.I)
    return named[-1].group("person") is not None


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, AgeValues)
    if v.at_diagnosis:
        return _at_diagnosis(v, p)
    years = p.age_on(on)
    if years is None:
        return Finding(None, "age not on file", missing="date of birth or age")
    paths = ("birth_date",) if p.birth_date else ("age",)
    if v.min_years is not None and v.max_years is not None:
        reason = f"age {years} on {on} (trial: {fmt(v.min_years)} to {fmt(v.max_years)})"
        return Finding(v.min_years <= years <= v.max_years, reason, paths, changes_on=_next_birthday(p, on))
    if v.op is None or v.years is None:
        return Finding(None, "the age limit could not be read", missing=None)
    reason = f"age {years} on {on} (trial: {v.op} {fmt(v.years)})"
    if v.op == ">" and years == v.years:
        # "> 18 years", "older than 65": a patient of 18 in whole years is older than 18 years on every day but the
        # birthday itself, and the text does not say whether it means whole years (19 and up). Either reading would
        # exclude someone, so the boundary year is unknown.
        reason = f"age {years} on {on}: 'older than {fmt(v.years)}' may or may not include the year after that birthday"
        return Finding(None, reason, paths, changes_on=_next_birthday(p, on))
    return Finding(compare(years, v.op, v.years), reason, paths, changes_on=_next_birthday(p, on))


def _at_diagnosis(v: AgeValues, p: Patient) -> Finding:
    """A bound on the age at diagnosis: the age on the diagnosis date, from the date of birth (a stated age is
    today's)."""
    diagnosed = p.diagnosis.diagnosed_on if p.diagnosis is not None else None
    if diagnosed is None or p.birth_date is None or v.op is None or v.years is None:
        return Finding(None, "age at diagnosis not on file", missing="date of birth and date of diagnosis")
    years = p.age_on(diagnosed)
    if years is None:
        return Finding(None, "age at diagnosis not on file", missing="date of birth and date of diagnosis")
    reason = f"age {years} at diagnosis on {diagnosed} (trial: {v.op} {fmt(v.years)} at diagnosis)"
    if v.op == ">" and years == v.years:
        return Finding(None, reason + ": the boundary year is not decided", ("birth_date", "diagnosis.diagnosed_on"))
    return Finding(compare(years, v.op, v.years), reason, ("birth_date", "diagnosis.diagnosed_on"))


def _next_birthday(p: Patient, on: date) -> date | None:
    """The first day after ``on`` on which the patient is a year older (None for a stated age, which does not move)."""
    if p.birth_date is None or (years := p.age_on(on)) is None:
        return None
    for year in (on.year, on.year + 1):
        month, day = p.birth_date.month, p.birth_date.day
        birthday = date(year, month, day) if (month, day) != (2, 29) or calendar.isleap(year) else date(year, 3, 1)
        if birthday > on and p.age_on(birthday) != years:
            return birthday
    return None


KIND = Kind(FactKind.AGE, AgeValues, extract, evaluate)


# the registry's minimumAge / maximumAge: "18 Years", "6 Months"
_AGE_FIELD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day)s?\s*$", re.IGNORECASE)
_UNIT_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365, "day": 1 / 365}


def field_years(field: str | None) -> float | None:
    """A structured age field in years ("6 Months" is 0.5), None when it is empty or not a number and a unit."""
    match = _AGE_FIELD.match(field or "")
    return float(match.group(1)) * _UNIT_YEARS[match.group(2).lower()] if match else None


def structured(minimum_age: str | None, maximum_age: str | None) -> list[tuple[str, Fact]]:
    """minimumAge / maximumAge from the registry's structured fields, as (criterion text, fact)."""
    found = []
    if low := field_years(minimum_age):
        found.append((f"Minimum age: {minimum_age}",
                      Fact(FactKind.AGE, Polarity.REQUIRE, AgeValues(">=", low), "field.minimumAge",
                           minimum_age or "")))  # fmt: skip
    if high := field_years(maximum_age):
        found.append((f"Maximum age: {maximum_age}",
                      Fact(FactKind.AGE, Polarity.REQUIRE, AgeValues("<=", high), "field.maximumAge",
                           maximum_age or "")))  # fmt: skip
    return found


def against_structured(fact: Fact, low: float | None, high: float | None) -> Fact:
    """A text's age requirement that no age the trial's own structured fields allow can meet is a slip ("Patients must
    be <18 years of age." where minimumAge is 18 years, as NCT01918306's adult stage IV breast cancer text says): the
    reading is uncertain, never a violation (the structured limits stay the trial's)."""
    v = fact.values
    if fact.kind is not FactKind.AGE or fact.polarity is not Polarity.REQUIRE or not isinstance(v, AgeValues):
        return fact
    if v.at_diagnosis or fact.uncertain:
        return fact
    top = v.max_years if v.max_years is not None else v.years if v.op in ("<", "<=") else None
    bottom = v.min_years if v.min_years is not None else v.years if v.op in (">", ">=") else None
    below = top is not None and low is not None and (top < low or (top == low and v.op == "<"))
    above = bottom is not None and high is not None and (bottom > high or (bottom == high and v.op == ">"))
    if not (below or above):
        return fact
    field = f"minimum age {fmt(low)}" if below and low is not None else f"maximum age {fmt(high or 0)}"
    return fact.doubted(f"the text's age limit contradicts the trial's structured {field}: a slip in the text?")


# What a line that states only the trial's age limit holds beside the age: the persons, their sex, when the age counts
# ("Males and females of any ethnic background, 2 to 60 years of age", NCT01220297; "At least 18 years of age.",
# NCT01149915; "Age ≥18 years at the time of informed consent")
_AGE_LINE_WORDS = quick(
    r"\b(?:patients?|subjects?|participants?|persons?|people|individuals?|adults?|(?:wo)?m[ae]n|(?:fe)?males?|of|any|"
    r"ethnic\w*|backgrounds?|races?|sex|genders?|and|or|must|be|are|is|who|aged?|years?|yrs?|old|older|over|above|at|"
    r"least|the|a|an|time|day|date|signing|signs?|signed|informed|consent|form|registration|enrol+ment|study|entry|"
    r"screening|inclusive(?:ly)?|on|in|to|greater|than|equal|less|more|between|legal|local|regulations?|per|majority|"
    r"country|through|up)\b",
    re.I,
)


def slips_and_groups_among(criteria: list[Criterion]) -> list[Criterion]:
    """Age requirements that the trial's other lines make uncertain (slips 15): a likely slip, or a group's age.

    - A slip: an upper limit that admits no patient of an age another line of the trial names ("Patients must be <18
      years of age." in a trial whose text defines postmenopause as "Age >/= 60 years", NCT01918306; "<75 years of age
      with at least 1 of the following:" beside "≥75 years of age OR", NCT02348489). Read literally it excludes the
      patients the rest of the text is about.
    - A group's age: where the trial states its age limit on a line of its own ("At least 18 years of age.",
      NCT01149915; "Males and females of any ethnic background, 2 to 60 years of age", NCT01220297), an age in a line
      that names a group ("Age > 60 years with AML not candidates for ... standard chemotherapy"; "ALL, age 51 - 60
      years in first or subsequent remission") is that group's, a condition of that alternative, not everyone's. It
      stays as read where it bounds a side the trial's own line leaves open ("Age ≥ 18" and "... aged 18-75 with ...":
      the 75 is read)."""
    ages = [(i, f) for i, c in enumerate(criteria) if not c.scope.others for f in c.facts
            if f.kind is FactKind.AGE and isinstance(f.values, AgeValues) and not f.values.at_diagnosis]  # fmt: skip
    if len(ages) < 2:
        return criteria
    own = [
        (i, f)
        for i, f in ages
        if _plain(criteria[i], f) and _age_only(criteria[i], f) and not criteria[i].is_alternative(criteria)
    ]
    changed = list(criteria)
    for i, c in enumerate(criteria):
        facts = []
        for f in c.facts:
            if (
                f.kind is FactKind.AGE
                and isinstance(f.values, AgeValues)
                and _plain(c, f)
                and not c.scope.others
                # "Meets 1 of the following criteria:" / "Age 55-70 years" / "Under age 55 and deemed ineligible ..."
                # (NCT00301951): branches the any-of lead-in reads
                and not c.is_alternative(criteria)
            ):
                others = [g for j, g in ages if one_line(criteria[j].text) != one_line(c.text)]
                f = _against_other_lines(f, others)
                if not f.uncertain and own and not _age_only(c, f):
                    f = _a_groups_age(f, [(criteria[j], g) for j, g in own if j != i])
            facts.append(f)
        if tuple(facts) != c.facts:
            changed[i] = replace(c, facts=tuple(facts))
    return changed


def _plain(c: Criterion, f: Fact) -> bool:
    """A text's age requirement for everyone, not yet doubted."""
    return (
        c.source == "text"
        and c.section is Section.INCLUSION
        and f.polarity is Polarity.REQUIRE
        and not f.uncertain
        and not f.alternative
        and not any(k.kind in ("age", "cohort", "other") for k in c.scope.conditions)
    )


def _age_only(c: Criterion, f: Fact) -> bool:
    """Whether the line states nothing but the age limit (`_AGE_LINE_WORDS`)."""
    rest = _AGE_LINE_WORDS.sub(" ", one_line(c.text).replace(f.evidence, " ", 1))
    return not re.search(r"[^\W\d_]{2,}", rest)


def _sides(v: AgeValues) -> tuple[int | float | None, int | float | None]:
    """(lowest age admitted, highest age admitted), in whole years, None where the limit leaves that side open."""
    if v.min_years is not None or v.max_years is not None:
        return v.min_years, v.max_years
    if v.years is None:
        return None, None
    if v.op in (">", ">="):
        return v.years + (v.op == ">"), None
    if v.op in ("<", "<="):
        return None, v.years - (v.op == "<")
    return None, None


def _against_other_lines(f: Fact, others: list[Fact]) -> Fact:
    v = f.values
    assert isinstance(v, AgeValues)
    if v.op not in ("<", "<=") or v.years is None:
        return f  # an upper limit alone: "<18 years" (a range is a band its text chose)
    _, top = _sides(v)
    for g in others:
        w = g.values
        assert isinstance(w, AgeValues)
        bottom: int | float | None
        if g.polarity is Polarity.EXCLUDE and w.op in ("<", "<=") and w.years is not None:
            bottom = w.years + (w.op == "<=")  # excluded under 18: at least 18
        elif g.polarity is Polarity.REQUIRE:
            bottom = _sides(w)[0]
        else:
            continue
        if top is not None and bottom is not None and bottom > top:
            return f.doubted(
                f"the upper age limit ({f.evidence!r}) admits no patient of the age another line of the trial names"
                f" ({g.evidence!r}): a slip, or one branch of alternatives"
            )
    return f


def _a_groups_age(f: Fact, own: list[tuple[Criterion, Fact]]) -> Fact:
    v = f.values
    assert isinstance(v, AgeValues)
    low, high = _sides(v)
    bounded = [_sides(g.values) for _, g in own if isinstance(g.values, AgeValues)]
    if (low is not None and not any(b[0] is not None for b in bounded)) or (
        high is not None and not any(b[1] is not None for b in bounded)
    ):
        return f  # it bounds a side the trial's own age line leaves open: a limit of its own
    line = shortened(one_line(own[0][0].text), 60)
    return f.doubted(
        f"the age ({f.evidence!r}) is that of the group this line names; the trial's age limit is {line!r}"
    )
