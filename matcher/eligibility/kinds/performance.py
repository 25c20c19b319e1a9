"""Performance status: ECOG (0-5), Karnofsky and Lansky (0-100%). "ECOG 0 or 1", "0-1", "0 to 1", "≤ 1", "of 0, 1",
"0~2", "PS 0/1", "Eastern Cooperative Oncology Group (ECOG) performance status of 0 or 1", "Karnofsky ≥ 70%"; a
bracketed Karnofsky after an ECOG limit is its equivalent, and the children's Lansky scale is a fact of its own.
Bounds in words: "ECOG 2 or less", "1 or better", "Zubrod of 3 or greater", "2 and above", "less or equal 2",
"better than or equal 2", "Karnofsky performance status 70 or greater" (parser 20)."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date

import msgspec

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity, Section, Values, one_line
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, fmt, lazy_regex
from matcher.eligibility.text import CriterionText, Mention, make_fact, sentence_break
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient

# ECOG grade -> the Karnofsky range it corresponds to (Oken MM et al., Am J Clin Oncol 1982;5:649-655).
ECOG_TO_KARNOFSKY = {0: (90, 100), 1: (70, 80), 2: (50, 60), 3: (30, 40), 4: (10, 20), 5: (0, 0)}
# The correspondence is approximate at its edges (ECOG 2 is Karnofsky 60-70 in some tables): a limit within one
# Karnofsky step of the patient's range is left unknown rather than violated
_STEP = 10
_SCALES = ("concept.ecog", "concept.karnofsky", "concept.lansky", "concept.performance_status")


class PerformanceValues(Values, frozen=True):
    scale: str  # ecog | karnofsky | lansky
    min: int | float | None = None
    max: int | float | None = None
    alternative: bool = False  # one of several scales joined by "or": any one of them holding is enough (sweep 3)
    # The strictest of several limits the line gives per group ("≤ 1 for patients in CP, ≤ 2 for patients in AP/BC",
    # NCT02253277): min/max are then the most lenient, which holds whatever the patient's group; where this one and
    # they disagree, the patient's group decides, which the profile does not tell (misc22)
    group_limit: int | float | None = None


_BRACKETED = lazy_regex(r"[(（][^()（）]{0,40}[)）]")  # "(ECOG)", "(PS)", "（Eastern ... Group）": names, not values
_KARNOFSKY_ASIDE = lazy_regex(r"\([^()]*\bKarnofsky\b[^()]*\)?", re.IGNORECASE)
_VERSION = lazy_regex(r"\b(?:1\.1|v\d+(?:\.\d+)?|version\s+\d+(?:\.\d+)?)\b", re.IGNORECASE)
_DIGIT = lazy_regex(r"(?<![\d.])[0-5](?![\d.%])")
_UNREAD_BOUND = lazy_regex(
    r"\b(?:less|lower|below|under|fewer|greater|more|higher|above|over|up\s+to|at\s+(?:most|least)|maximum|minimum)\b",
    re.IGNORECASE,
)
# Comparators written in words that numbers.thresholds does not know: "less or equal 2", "less than or equal 1",
# "less than/equal to 2", "better than or equal 2" (NCT00716417, NCT02154646, NCT03253289, NCT00758693)
_AT_MOST = lazy_regex(
    r"\b(?:less\s+(?:than\s*)?(?:or|/)\s*equal(?:\s+to)?|equal\s+(?:to\s+)?or\s+less(?:\s+than)?|"
    r"better\s+than\s+or\s+equal(?:\s+to)?)\b",
    re.IGNORECASE,
)
_AT_LEAST = lazy_regex(
    r"\b(?:(?:greater|more)\s+(?:than\s*)?(?:or|/)\s*equal(?:\s+to)?|equal\s+(?:to\s+)?or\s+(?:greater|more)(?:\s+than)?)\b",
    re.IGNORECASE,
)
# A bound written after its score: "ECOG 2 or less", "of 1 or better", "Zubrod of 3 or greater", "2 and above",
# "Karnofsky performance status 70 or greater", "KPS 70% or greater"; not "Zubrod 2 AND more than 5% weight loss"
_TRAILING = lazy_regex(
    r"(?<![\d.])(?P<num>\d{1,3})\s*(?P<percent>%)?\s*(?:or|and|&)\s+"
    r"(?P<word>less|lower|below|fewer|under|better|greater|more|higher|above|over|worse)\b(?!\s+than\b)",
    re.IGNORECASE,
)
_COMPLEMENT = cue("cue.performance.complement")
_LOWER_WORDS = frozenset({"less", "lower", "below", "fewer", "under"})  # a lower number; "better"/"worse" by scale
# The scores end where the clause does, or where another measure with its own limit begins: "ECOG 0-2 Life
# expectancy: At least 3 months" (NCT00003060) and "... ECOG Performance Scale and life expectancy > 3 months"
# (NCT01235897) read as ECOG >= 3 and >= 4 before
_CLAUSE_END = lazy_regex(
    r"[;.](?:\s|$)|,\s+(?=[A-Z][a-z])|\bor\s+(?:Karnofsky|KPS|Lansky)\b|(?i:\b(?:life\s+expectancy|survival)\b)"
)


# "< or equal to 2" (NCT01992952): the comparator in symbol and words, read as its symbol (sweep 3)
_AT_MOST_MIXED = lazy_regex(r"<\s*(?:or|/)\s*equal(?:\s+to)?\b", re.IGNORECASE)
_AT_LEAST_MIXED = lazy_regex(r">\s*(?:or|/)\s*equal(?:\s+to)?\b", re.IGNORECASE)
# A symbol lost in the registry's encoding where the comparator stands: "performance score ¿ 2" (NCT02273388),
# "performance status (PS) £ 1" (NCT00234416): the bound is not known (sweep 3)
_LOST_SYMBOL = lazy_regex(r"[¿£�]")
# "meeting ≥ 1 of the following criteria" (NCT00288054): a count of criteria, not a score (sweep 3)
_COUNT_OF_FOLLOWING = cue("cue.performance.count_of_following")


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    scales = [m for m in c.mentions if m.id in _SCALES]
    if not scales:
        return []
    # "ECOG 0-2 or Lansky >= 40% (age < 16)", "WHO <= 2; Karnofsky index >= 50%": each scale is a fact of its own,
    # except a bracketed equivalent ("ECOG <= 2 (Karnofsky >= 60%)")
    groups: list[list[Mention]] = [[scales[0]]]
    for m in scales[1:]:
        head = groups[-1][0]
        generic = m.id == "concept.performance_status"  # "Lansky Performance Score": the scale named before it
        if not generic and _family(m) != _family(head) and not _in_brackets(c.text, head.end, m.start):
            groups.append([m])
        else:
            groups[-1].append(m)
    facts = []
    for index, group in enumerate(groups):
        end = groups[index + 1][0].start if index + 1 < len(groups) else len(c.text)
        fact = _fact(c, group, end)
        if fact is not None and fact.polarity is not c.default_polarity and c.section is Section.INCLUSION:
            # A negation in an inclusion's sentence is seldom about the scores: "Performance status: WHO 0-1 Life
            # expectancy: Not specified" (NCT00003640) would exclude WHO 0-1
            doubt = "a negation in the sentence may not be about the performance status"
            fact = fact.doubted(doubt)
        if fact is not None and _COMPLEMENT.search(c.text, group[0].end, end):
            # "ECOG PS other than 2" (NCT00190710): every score but the one named, not the one named
            doubt = "the scores are named as an exception ('other than', 'except')"
            fact = fact.doubted(doubt)
        if fact is not None and fact.uncertain is None:
            fact = _doubted_value(c, group, end, fact)
        if fact is not None:
            facts.append(fact)
    if len(facts) > 1 and any(
        _OR_BETWEEN.search(c.text, before[-1].end, after[0].start) for before, after in itertools.pairwise(groups)
    ):
        # "ECOG PS of 0, 1 or 2 or a Karnofsky Performance Status > 70 %" (NCT01335074), "Karnofsky performance
        # status (KPS) >= 70%, or ECOG performance status 0 to 1" (NCT00609921): either scale's limit is enough
        facts = [f.changed(values=f.values.changed(alternative=True)) for f in facts]
    return facts


_OR_BETWEEN = cue("cue.performance.or_between")
# "Performance status > ECOG 2" (NCT01466647): a comparator before the scale's name, which the scores after it do not
# carry (sweep 3)
_BOUND_BEFORE = lazy_regex(r"(?:[<>≤≥]=?|\b(?:greater|more|less|lower|higher)\s+than)\s*$", re.IGNORECASE)
_UNLESS = cue("cue.performance.unless")
_OR_BRACKETED = cue("cue.performance.or_bracketed")
_IF_CAUSED = lazy_regex(
    r"\b(?:if|when)\s+(?:[\w-]+\s+){0,3}?(?:is\s+|are\s+)?(?:solely\s+|only\s+)?(?:due|related|secondary|attributable)\s+to\b",
    re.IGNORECASE,
)


def _doubted_value(c: CriterionText, group: list[Mention], end: int, fact: Fact) -> Fact:
    """A reading whose score is not one of its scale's, or read through a lost symbol, a count, a comparator before the
    scale's name or an exception (sweep 3)."""
    start = group[0].end
    v = fact.values
    assert isinstance(v, PerformanceValues)
    if v.scale != "ecog" and any(x is not None and (not 0 <= x <= 100 or x % 10) for x in (v.min, v.max)):
        # "Performance status: Not specified ... WBC at least 3,000" (NCT00002863) read as Karnofsky >= 3000;
        # "Lansky for patients =< 16 years of age" (NCT02642965) as Lansky <= 16
        return fact.doubted(f"the {v.scale.title()} limit is not a score of the scale")
    if (lost := _LOST_SYMBOL.search(c.text, start, min(end, start + 80))) is not None:
        return fact.doubted(f"a symbol ({lost.group(0)!r}) is lost where the comparator stands")
    if _COUNT_OF_FOLLOWING.search(c.text, start, end):
        return fact.doubted("a count of the following criteria stands beside the scores")
    if any(_BOUND_BEFORE.search(c.text, max(0, m.start - 20), m.start) for m in group):
        return fact.doubted("a comparator before the scale's name is not read")
    if v.scale == "ecog" and v.min is not None and v.max is None:
        aside = _KARNOFSKY_ASIDE.search(c.text, start, min(end, start + 80))
        if aside and any(t.op in (">=", ">") for t in numbers.thresholds(aside.group(0))):
            # "ECOG performance status >=2 (Karnofsky >=60%). Patients with PS of 3 are eligible if their PS is due to
            # pain" (NCT01042704): the bracketed equivalent is a better score's limit, the ECOG bound a worse one's
            return fact.doubted(
                f"the ECOG lower bound and its bracketed equivalent ({aside.group(0)!r}) point opposite ways: may be"
                " a slip for an upper bound"
            )
    if _OR_BRACKETED.search(c.text, start, min(end, start + 80)):
        # "ECOG Performance Status ≤1 (or Karnofsky ≥70%)" (NCT01618253): an alternative limit, not an equivalent
        return fact.doubted("an alternative limit in brackets ('(or ...') is not read")
    # the end of the scores' sentence, or of their numbered item: an "unless" in a later sentence ("ECOG 0-1. Patients
    # with brain metastases are excluded unless treated") is not the performance status's exception (review of sweep 3)
    sentence = sentence_break(c.text, start, numbered_items=True)
    if _UNLESS.search(c.text, start, sentence.start() if sentence else len(c.text)):
        # "Performance status of < 2 as per ECOG scale, unless PS of 3-4 based solely on bone pain" (NCT01062230)
        return fact.doubted("an exception ('unless ...') is not read")
    if _IF_CAUSED.search(c.text, start, sentence.start() if sentence else len(c.text)):
        # "ECOG performance status ≤2 (Performance status of 3 if due to bone pain)" (NCT00133224, comorbid sample
        # 61's DU050, mend63): a worse score allowed for a cause the profile does not record
        return fact.doubted("a worse score allowed for a cause ('if due to ...') is not read")
    return fact


def _family(m: Mention) -> str:
    return {"concept.karnofsky": "karnofsky", "concept.lansky": "lansky"}.get(m.id, "ecog")


def _fact(c: CriterionText, scales: list[Mention], end: int) -> Fact | None:
    first = scales[0]
    tail = c.text[first.start : min(end, first.start + 120)]
    raw = tail
    if first.id == "concept.ecog":  # "ECOG <= 2 (Karnofsky >= 60%)": the bracketed scale is its equivalent
        scales = [m for m in scales if m.id != "concept.karnofsky" or not _in_brackets(c.text, first.end, m.start)]
        tail = _KARNOFSKY_ASIDE.sub("", tail)
    scale = "karnofsky" if any(m.id == "concept.karnofsky" for m in scales) else "ecog"
    if any(m.id == "concept.lansky" for m in scales) and scale != "karnofsky":
        scale = "lansky"
    tail = _VERSION.sub(" ", _BRACKETED.sub(" ", tail))
    stop = _CLAUSE_END.search(tail, len(first.text))
    tail = tail[: stop.start()] if stop else tail
    evidence = tail[:60]  # as written
    tail = _AT_LEAST_MIXED.sub("≥", _AT_MOST_MIXED.sub("≤", tail))
    tail = _AT_LEAST.sub("≥", _AT_MOST.sub("≤", tail))
    found = [t for t in numbers.thresholds(tail) if t.op != "=" and t.value is not None]
    trailing = list(_TRAILING.finditer(tail))
    ecog_only = first.id == "concept.ecog" and scale == "ecog"
    if ecog_only:  # "Zubrod 2 AND more than 5% weight loss": a percentage is no ECOG score
        found = [t for t in found if t.unit != "%"]
        trailing = [m for m in trailing if not m.group("percent") and int(m.group("num")) <= 5]
    if trailing and (not found or trailing[0].start() < found[0].start):
        return _trailing_bound(c, first, scale, tail, trailing[0], evidence)
    if scale == "karnofsky" and found and (found[0].value or 0) <= 5 and first.id == "concept.performance_status":
        # "Performance status less than or equal 2 (Karnofsky >60%)" (NCT02071537): the bracketed Karnofsky is the
        # equivalent of an ECOG limit
        scale = "ecog"
    if scale in ("karnofsky", "lansky") or (found and (found[0].value or 0) > 5):
        scale = "karnofsky" if scale == "ecog" else scale
        if not found:
            return _percent_range(c, first, scale, tail, evidence)
        t = found[0]
        value = t.value or 0
        if t.op in (">=", ">"):
            values = PerformanceValues(scale, min=value + (10 if t.op == ">" else 0))
        else:
            values = PerformanceValues(scale, max=value - (10 if t.op == "<" else 0))
        values = _per_group(values, raw, found, c.polarity(first), step=10)
        return make_fact(FactKind.PERFORMANCE_STATUS, c.polarity(first), values, first.id, evidence)
    if found and found[0].value is not None and found[0].value <= 5:
        t = found[0]
        v = int(t.value or 0)
        if t.op in (">=", ">"):
            values = PerformanceValues("ecog", min=v + (1 if t.op == ">" else 0))
        else:
            values = PerformanceValues("ecog", max=v - 1 if t.op == "<" else v)
        values = _per_group(values, raw, found, c.polarity(first), step=1)
    else:
        digits = [int(d) for d in _DIGIT.findall(tail)]
        if not digits:
            return None
        values = PerformanceValues("ecog", min=min(digits) or None, max=max(digits))
        if bound := _UNREAD_BOUND.search(tail) or _TRAILING.search(tail):
            # "ECOG performance status less tha 2" (NCT00637390): a comparator the thresholds did not read (a typo),
            # so the digits are not the scores allowed (parser 20)
            reason = f"a bound ({bound.group(0)!r}) beside the scores is not read"
            return make_fact(FactKind.PERFORMANCE_STATUS, c.polarity(first), values, first.id, evidence, reason)
    return make_fact(FactKind.PERFORMANCE_STATUS, c.polarity(first), values, first.id, evidence)


_GROUP_AFTER_LIMIT = cue("cue.performance.group_after_limit")
_SCORE = lazy_regex(r"\d\s*%?")
_AGE_GROUP = lazy_regex(r"\b(?:years?|yrs?|aged?)\b", re.IGNORECASE)


def _per_group(
    values: PerformanceValues, raw: str, found: list[numbers.Threshold], polarity: Polarity, step: int
) -> PerformanceValues:
    """Limits given per group ("performance status of ≤ 1 for patients in CP, ≤ 2 for patients in AP/BC",
    NCT02253277; "ECOG ≤ 1 (Phase Ib), ≤ 2 (Phase II JX+CP)", NCT02630368): the first limit read is one group's only. A patient
    whose group is not decided is held to the most lenient limit (for an exclusion, the narrowest range it excludes),
    with the strictest kept as ``group_limit``; never the strictest alone (sample 30's AK285, misc22). Limits are the
    scale's scores, in the first one's direction and unit, and a score in the line as written (``raw``: the
    brackets kept) is followed by its group."""
    ecog = values.scale == "ecog"
    upper = values.max is not None
    first = found[0]
    limits = []
    for t in found:
        if t.value is None or (t.op in ("<=", "<")) != upper or t.unit != first.unit:
            continue
        valid = 0 <= t.value <= 5 if ecog else 0 <= t.value <= 100 and not t.value % 10
        if not valid:
            continue
        strict = step if t.op in ("<", ">") else 0
        limits.append((t, t.value - strict if upper else t.value + strict))
    if len({v for _, v in limits}) < 2 or not any(_GROUP_AFTER_LIMIT.match(raw, m.end()) for m in _SCORE.finditer(raw)):
        return values
    if _AGE_GROUP.search(raw):
        # groups by age ("> or = 80% ... for patients > or = 60 years old or > or = 70% for patients < 60",
        # NCT01350258): her age decides the group, which this reading does not yet take; left as read
        return values
    scores = [int(v) if ecog else v for _, v in limits]
    # a requirement is most lenient where its range is widest, an exclusion where it is narrowest
    wide = (polarity is Polarity.REQUIRE) == upper
    lenient, strictest = (max(scores), min(scores)) if wide else (min(scores), max(scores))
    if upper:
        return msgspec.structs.replace(values, max=lenient, group_limit=strictest)
    return msgspec.structs.replace(values, min=lenient, group_limit=strictest)


def _trailing_bound(
    c: CriterionText, first: Mention, scale: str, tail: str, bound: re.Match[str], evidence: str
) -> Fact | None:
    """ "ECOG 2 or less" is ECOG <= 2, "ECOG 1 or better" <= 1, "Zubrod of 3 or greater" >= 3, "Karnofsky 70 or
    higher" >= 70. Scores before the bound that it contradicts ("ECOG 0-2 or greater", NCT00543335) leave the
    reading uncertain."""
    value = int(bound.group("num"))
    word = bound.group("word").lower()
    if scale == "ecog" and (value > 5 or bound.group("percent")):
        scale = "karnofsky"  # "performance status of 60 or greater": a percent scale
    # a better ECOG is a lower one, a better Karnofsky a higher one
    lower = (word == "better") == (scale == "ecog") if word in ("better", "worse") else word in _LOWER_WORDS
    if scale == "ecog":
        values = PerformanceValues("ecog", max=value) if lower else PerformanceValues("ecog", min=value or None)
        before = [int(d) for d in _DIGIT.findall(tail, 0, bound.start())]
        if any(d > value if lower else d < value for d in before):
            scores = [*before, value]
            values = PerformanceValues("ecog", min=min(scores) or None, max=max(scores))
            reason = f"the scores and the bound ({word!r}) after them disagree"
            return make_fact(FactKind.PERFORMANCE_STATUS, c.polarity(first), values, first.id, evidence, reason)
    elif value > 100:
        return None
    else:
        values = PerformanceValues(scale, max=float(value)) if lower else PerformanceValues(scale, min=float(value))
    return make_fact(FactKind.PERFORMANCE_STATUS, c.polarity(first), values, first.id, evidence)


def _percent_range(c: CriterionText, first: Mention, scale: str, tail: str, evidence: str) -> Fact | None:
    """ "Karnofsky performance score 70-100%": a range on a percent scale; its top at 100 is no limit."""
    found = numbers.RANGE.search(tail)
    if found is None:
        return None
    low, high = float(found.group("a")), float(found.group("b"))
    if not 0 <= low < high <= 100:
        return None
    values = PerformanceValues(scale, min=low, max=high if high < 100 else None)
    return make_fact(FactKind.PERFORMANCE_STATUS, c.polarity(first), values, first.id, evidence)


def _in_brackets(text: str, start: int, position: int) -> bool:
    between = text[start:position]
    return between.count("(") > between.count(")")


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, PerformanceValues)
    if p.ecog is None:
        return Finding(None, "no ECOG performance status on file", missing="ECOG performance status")
    found = _evaluated(v, p.ecog)
    if v.group_limit is None:
        return found
    # limits given per group: the most lenient read holds whatever the patient's group; where the strictest
    # disagrees, the group decides, and the profile does not tell it (misc22)
    side = {"max": v.group_limit} if v.max is not None else {"min": v.group_limit}
    strictest = _evaluated(msgspec.structs.replace(v, group_limit=None, **side), p.ecog)
    if strictest.has == found.has:
        return found
    scale = "ECOG" if v.scale == "ecog" else v.scale.title()
    limit = f"{scale} {'<=' if v.max is not None else '>='} {fmt(v.group_limit)}"
    return Finding(
        None,
        f"reading uncertain: the line gives its limits per group, and the patient's group is not known;"
        f" {found.reason}, but {limit} for another group",
        found.evidence,
    )


def _evaluated(v: PerformanceValues, ecog: int) -> Finding:
    low, high = v.min, v.max
    if v.scale == "ecog":
        meets = (low is None or ecog >= low) and (high is None or ecog <= high)
        wanted = f"{fmt(low or 0)}-{fmt(high)}" if high is not None else f">= {fmt(low or 0)}"
        return Finding(meets, f"ECOG {ecog} (trial: ECOG {wanted})", ("ecog",))
    k_low, k_high = ECOG_TO_KARNOFSKY.get(ecog, (0, 0))
    reason = f"ECOG {ecog} corresponds to {v.scale.title()} {k_low}-{k_high}"
    if low is not None:
        if k_low >= low:
            return Finding(True, f"{reason} (trial: >= {fmt(low)})", ("ecog",))
        if k_high + _STEP < low:
            return Finding(False, f"{reason} (trial: >= {fmt(low)})", ("ecog",))
    if high is not None:
        if k_high <= high:
            return Finding(True, f"{reason} (trial: <= {fmt(high)})", ("ecog",))
        if k_low - _STEP > high:
            return Finding(False, f"{reason} (trial: <= {fmt(high)})", ("ecog",))
    return Finding(
        None,
        f"{reason}; the trial's {v.scale.title()} limit falls inside that range",
        ("ecog",),
        missing=f"{v.scale.title()} performance status",
    )


# A strict "< 1" (NCT00681798 "ECOG performance status <1", NCT01361945 "WHO Performance Status of < 1"): ECOG 0 only
_BELOW_ONE = lazy_regex(r"<\s*1\b(?!\s*(?:\.\d|%))")
# The trial asks its patients to be fit for a transplant or intensive therapy ("... and are eligible for auto-SCT for
# consolidation", NCT02655458): a performance status of 2 or worse is not what such a trial takes
_FIT_FOR_INTENSIVE = cue("cue.performance.fit_for_intensive")
_NEGATION_BEFORE = cue("cue.negation.before")


def slips_among(criteria: list[Criterion]) -> list[Criterion]:
    """Performance-status requirements that are likely slips, judged against the trial's other lines (slips 15): a
    single grade ("Have a performance status of 2 on the ECOG Performance Scale.", NCT02289222; "ECOG performance
    status = 1" in a text that lost every "≤", NCT02149108) or ECOG 0 through a strict "<1" (NCT00681798) that no
    other line of the trial names; a lower bound that only poor performance meets where another line asks for a
    better score, or for patients fit for a transplant or intensive therapy ("ECOG ≥ 2" where the patients "are
    eligible for auto-SCT", NCT02655458). Read literally they exclude the fittest patients; the text does not settle
    which it means, so the reading is uncertain, never violated. A single grade another line names stays as read:
    "ECOG Performance Status of 2 ." beside the exclusion "ECOG PS other than 2" (NCT00190710), "An ECOG performance
    status of 2" (a comorbidity) beside "ECOG performance status ≤ 2" (NCT03151408). Nor is a grade that is one
    alternative under an any-of lead-in a slip: "A minimum of any one of the following disease-related symptoms must be
    present:" / "Extreme fatigue (ie, ECOG PS 2; ...)" (NCT00758693) names one way in, as age.slips_and_groups_among
    leaves such branches (review 15)."""
    found = [(i, f) for i, c in enumerate(criteria) if c.source == "text" and not c.scope.others for f in c.facts
             if isinstance(f.values, PerformanceValues) and f.values.scale == "ecog"]  # fmt: skip
    if not found:
        return criteria
    changed = list(criteria)
    for i in dict.fromkeys(i for i, _ in found):  # only a line with an ECOG fact may hold a slip (`_slip`)
        c = criteria[i]
        if c.is_alternative(criteria):
            continue
        others = [g for j, g in found if j != i and one_line(criteria[j].text) != one_line(c.text)]
        facts = tuple(_slip(f, others, criteria, i) for f in c.facts)
        if facts != c.facts:
            changed[i] = replace(c, facts=facts)
    return changed


def _slip(f: Fact, others: list[Fact], criteria: list[Criterion], at: int) -> Fact:
    v = f.values
    if not isinstance(v, PerformanceValues) or v.scale != "ecog" or f.polarity is not Polarity.REQUIRE:
        return f
    if f.uncertain or v.alternative or f.alternative:
        return f
    edges = [(g.values.min or 0, g.values.max) for g in others if isinstance(g.values, PerformanceValues)]
    if v.min is not None and v.min >= 1 and v.max == v.min:
        grade = int(v.min)
        if any(grade in (low, high) for low, high in edges):
            return f  # another line names the grade: "ECOG PS other than 2", "ECOG performance status ≤ 2"
        return f.doubted(
            f"a single ECOG grade ({f.evidence!r}) that no other line of the trial names: may be a slip for ECOG ≤ {grade}"
        )
    if v.min is None and v.max == 0 and _BELOW_ONE.search(f.evidence):
        if any(high == 0 for _, high in edges):
            return f
        return f.doubted(f"ECOG 0 only, through a strict '<1' ({f.evidence!r}): may be a slip for ECOG ≤ 1")
    if v.min is not None and v.min >= 1 and v.max is None:
        requirements = [g for g in others if g.polarity is Polarity.REQUIRE and not g.uncertain]
        better = [g for g in requirements if isinstance(g.values, PerformanceValues) and g.values.max is not None
                  and g.values.max < v.min]  # fmt: skip
        if better:
            return f.doubted(
                f"the lower bound ({f.evidence!r}) contradicts another line of the trial ({better[0].evidence!r}):"
                " may be a slip for an upper bound"
            )
        for j, c in enumerate(criteria):
            if j == at or c.source != "text" or c.section is not Section.INCLUSION or c.scope.others:
                continue  # "... are potential candidates for autologous transplantation" excluded: no such trial
            text = one_line(c.text)
            fit = _FIT_FOR_INTENSIVE.search(text)
            if fit and not _NEGATION_BEFORE.search(text, max(0, fit.start() - 30), fit.start()):
                return f.doubted(
                    f"a lower bound ({f.evidence!r}) in a trial for patients {fit.group(0)!r}: may be a slip for an"
                    " upper bound"
                )
    return f


KIND = Kind(FactKind.PERFORMANCE_STATUS, PerformanceValues, extract, evaluate, frozenset(_SCALES))
