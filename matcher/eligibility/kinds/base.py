"""What every kind shares: the `Finding` an evaluator returns, the registry entry (`Kind`), and calendar arithmetic.

A kind's evaluator answers "does the patient have what the fact names?" as a `Finding`: yes, no, or unknown, with
one short clinical reason and the profile paths it used. Polarity is applied afterwards (`matcher.matching`): for a
REQUIRE fact "yes" satisfies, for an EXCLUDE fact "yes" violates. Absent data is always unknown, never a "no"
(../shared/contracts/patient.md). A finding's ``missing`` names the kind of data in clinical words and, for a listed
entry, its path ("dates of therapies[2]"), never the patient's own values: missing items go into digests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import msgspec
from dateutil.relativedelta import relativedelta

from matcher.eligibility.criteria import Fact, FactKind, Values
from matcher.eligibility.cues import QuickPattern, quick
from matcher.eligibility.numbers import Window

if TYPE_CHECKING:
    from matcher.eligibility.text import CriterionText
    from matcher.knowledge_base import KnowledgeBase
    from matcher.patient import Patient


class Finding(msgspec.Struct, frozen=True):
    """has: True (present / meets), False (absent / does not meet), None (unknown).

    ``not_applicable`` for things a profile cannot answer; ``eligible_from`` for a washout that is met by
    waiting (``has=False``). ``changes_on`` is the first day on which the calendar alone may change the answer (a
    birthday against an age limit, a "within 12 months" window closing): the nightly job evaluates the pair again
    from that day.
    """

    has: bool | None
    reason: str
    evidence: tuple[str, ...] = ()
    missing: str | None = None
    eligible_from: date | None = None
    not_applicable: bool = False
    changes_on: date | None = None


class NoValues(Values, frozen=True):
    """The values of a kind that asks one yes-or-no question (pregnancy, screening-only)."""


Extractor = Callable[["CriterionText", "KnowledgeBase"], list[Fact]]
Evaluator = Callable[[Fact, "Patient", date, "KnowledgeBase"], Finding]
# The reason of a fact's violated answer (its evaluator's finding given) in a trial for another cancer (named: "breast
# cancer"), where the finding's reason speaks of the patient's own disease or therapy; None keeps the finding's
# (`Kind.in_another_cancer`)
AnotherCancer = Callable[[Fact, Finding, "Patient", "KnowledgeBase", str], str | None]


class Kind(msgspec.Struct, frozen=True):
    """A registry entry: the kind, its typed values, its extractor (None for kinds only the structured fields give,
    or that another kind's extractor produces) and its evaluator.

    ``needs`` names the mention labels and ids (`matcher.eligibility.pipeline`) of which the extractor needs at least
    one to find anything: a criterion without any is not given to it. Empty: the extractor reads every criterion.

    ``in_another_cancer``, for a kind that reads a cancer's course (its progression, its therapies): the
    reason of a violated answer in a trial for another cancer, where the primary-site kind says "trial is for
    <cancer>" for this patient. There the course a line asks is that cancer's ("Progressive disease as demonstrated by
    a rising PSA" in a prostate trial), not the patient's thyroid disease's, and the evaluator's reason ("disease not
    progressing") is not why she fails it (`matcher.matching.evaluate`; the outcome is the evaluator's, only the
    reason changes).
    """

    kind: FactKind
    values: type[Values]
    extract: Extractor | None
    evaluate: Evaluator
    needs: frozenset[str] = frozenset()
    in_another_cancer: AnotherCancer | None = None


def lazy_regex(pattern: str, flags: int = 0) -> QuickPattern:
    """What the kinds write for a module-level pattern instead of ``re.compile(pattern, flags)``: the same pattern,
    compiled on first use, with a quick check for the words a match needs (`matcher.eligibility.cues.QuickPattern`).

    Matching imports every kind for its evaluator and never runs an extractor: compiling the kinds' hundred-odd
    patterns at import was most of the time it took to import them."""
    return quick(pattern, flags)


# A drug named by its International Nonproprietary Name stem for an anticancer or targeted agent (WHO, "The use of
# stems in the selection of International Nonproprietary Names (INN) for pharmaceutical substances", 2018,
# WHO/EMP/RHT/TSN/2018.1): -tinib and -anib (kinase and angiogenesis inhibitors), -rafenib, -ciclib, -lisib, -parib,
# -zomib, -degib, -inostat, -mab (monoclonal antibodies), -platin, -taxel, -rubicin, -citabine, -trexed, -tecan,
# -mustine, -limus. The drug vocabulary holds the thyroid trials' agents, not every oncology drug: the therapy kind
# reads those a list joins to a known drug, the lab kind a limit said to be for one arm's drug
INN_DRUG = lazy_regex(
    r"\b[a-z]{2,}(?:tinib|anib|rafenib|ciclib|lisib|parib|zomib|degib|inostat|mab|platin|taxel|rubicin|citabine|"
    r"trexed|tecan|mustine|limus)\b",
    re.IGNORECASE,
)


def compare(value: float, op: str, threshold: float) -> bool:
    """``value op threshold``, tolerant of float noise: 1.8 <= 1.5 x 1.2 (= 1.7999999999999998) holds."""
    if abs(value - threshold) <= 1e-9 * max(1.0, abs(threshold)):
        return op in (">=", "<=", "=")
    return {">=": value > threshold, ">": value > threshold, "<=": value < threshold, "<": value < threshold}.get(
        op, False
    )


def fmt(number: float) -> str:
    return f"{number:g}"


_STEPS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}


def add_window(day: date, window: Window) -> date:
    """``day`` plus the window in calendar units: 6 months after 31 August is 28 (or 29) February."""
    result: date = day + relativedelta(**{_STEPS[window.unit]: window.number})  # type: ignore[arg-type]
    return result


def subtract_window(day: date, window: Window) -> date:
    result: date = day - relativedelta(**{_STEPS[window.unit]: window.number})  # type: ignore[arg-type]
    return result


def within(event: date, window: Window, on: date) -> bool:
    """Whether ``event`` lies within the window before ``on`` ("within the past 3 years"): on or after the day the
    window opens."""
    return event >= subtract_window(on, window)
