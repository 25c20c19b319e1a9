"""Radioiodine-refractory: stated ("RAI-refractory"), or one of the seed review's definitions (Introduction): no uptake,
progression after radioiodine (within a window), cumulative activity of 600 mCi or more. Radioiodine that failed ("did
not respond to the most recent radioactive iodine treatment", "no longer amenable to", "refractory to radio iodine",
"Radioactive iodine (RAI) - refractory") is refractoriness too. The activity of one treatment ("therapeutic dose of
radioactive iodine (> 50 mCi)") is not the cumulative activity of definition (3)."""

from __future__ import annotations

import re
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section, Values
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds import progression
from matcher.eligibility.kinds.base import Finding, Kind, add_window, fmt, lazy_regex
from matcher.eligibility.numbers import Window
from matcher.eligibility.text import CriterionText, Mention, make_fact, window_near
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient, Uptake

RAIR_CUMULATIVE_MCI = 600  # seed review, Introduction: RAIR definition (3)
MAX_MCI = 10_000  # far above any lifetime dose: past it the number is not read


class RaiValues(Values, frozen=True):
    definition: str  # stated | no_uptake | uptake | cumulative_activity | progression_after_rai
    min_mci: int | float | None = None
    within: Window | None = None


_CUMULATIVE = lazy_regex(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>mCi|GBq|gigabequerels?|MBq)", re.IGNORECASE)
_DEFINED = cue("cue.rai.defined")
# Some uptake asked for (a trial of radioiodine-avid disease): "with evidence of RAI uptake on delayed scan"
_UPTAKE = lazy_regex(
    r"\b(?:evidence\s+of|demonstrat\w*|showing|with)\s+(?:(?:RAI|radioiodine|radioactive\s+iodine|iodine|I-131|131I)[\s-]+)"
    r"(?:uptake|avidity)\b",
    re.IGNORECASE,
)
# Radioiodine that failed or cannot help, just before the mention: "did not respond to the most recent radioactive
# iodine treatment", "no longer amenable to radioactive iodine therapy", "failure of radioactive iodine (131I) to
# control the disease", "not a candidate for radioactive iodine therapy", "refractory to radio iodine"; an option
# ruled out may close a list ("should not be candidates for surgical resection, external beam radiotherapy or
# radioiodine"). Refractoriness as the seed review uses the word (progression despite radioiodine; and, like the
# vocabulary's "not candidates for radioiodine", RAI no longer an option), not whether radioiodine was given.
_RAI_FAILED_BEFORE = lazy_regex(
    r"\b(?:(?:(?:did|does|do)\s+not\s+respond|not\s+respond\w*|unresponsive|(?:no\s+longer|not)\s+responsive|"
    r"refractory\s+to|resistant\s+to|failure\s+of|failed)\s+(?:to\s+)?(?:the\s+)?(?:[\w-]+\s+){0,2}|"
    r"(?:(?:no\s+longer|not)\s+amenable\s+to|not\s+(?:be\s+)?(?:a\s+)?candidates?\s+for|ineligible\s+for)\s+(?:the\s+)?"
    r"(?:[\w-]+(?:\s*,\s*|\s+)){0,8}?)(?:\(\s*)?$",  # "... iodine (131I)": the same again
    re.IGNORECASE,
)
# ... or just after it: "Radioactive iodine (RAI) - refractory disease"
_RAI_FAILED_AFTER = lazy_regex(r"\s*(?:\(\s*[^()]{1,20}\)\s*)?[-–]?\s*(?:refractory|resistant)\b", re.IGNORECASE)
# One treatment's activity, not the cumulative one: "therapeutic dose of radioactive iodine (> 50 mCi)"
_ONE_DOSE = lazy_regex(
    r"\b(?:therapeutic|single|ablative|ablation|one|each)\s+(?:dose|activity|administration)\b|\bper\s+(?:dose|treatment)\b",
    re.IGNORECASE,
)
# "do not demonstrate"
_NEGATED = cue("cue.rai.negated_before")


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    facts = []
    # "No prior VEGFR-targeted therapy for radioiodine-refractory thyroid cancer": what a forbidden therapy was for
    stated = [m for m in c.of("CONCEPT", "concept.rai_refractory") if not (c.polarity(m) is Polarity.EXCLUDE
                                                                           and c.therapy_target(m))]  # fmt: skip
    if stated:
        facts.append(make_fact(FactKind.RAI_REFRACTORY, c.polarity(stated[0]), RaiValues("stated"), stated[0].id,
                               stated[0].text))  # fmt: skip
    failed = None  # "did not respond to the most recent radioactive iodine treatment": refractoriness too
    if not stated:
        failed = next((failure for m in c.of("CONCEPT", "concept.radioiodine") if (failure := rai_failure(c, m))), None)
    if failed:  # the failure is what is asked, whatever the negation in the phrase says
        facts.append(make_fact(FactKind.RAI_REFRACTORY, c.default_polarity, RaiValues("stated"), "rule.rai.failed",
                               failed))  # fmt: skip
    if stated and _DEFINED.search(c.text):
        return facts  # "RAI refractoriness is defined as no uptake or progression or > 600 mCi": the stated fact
    uptake = c.of("CONCEPT", "concept.rai_uptake_absent")
    if uptake:
        facts.append(make_fact(FactKind.RAI_REFRACTORY, c.polarity(uptake[0]), RaiValues("no_uptake"), uptake[0].id,
                               uptake[0].text))  # fmt: skip
    elif (
        (avid := _UPTAKE.search(c.text))
        and c.section is Section.INCLUSION
        and not _NEGATED.search(c.text, max(0, avid.start() - 15), avid.start())
    ):
        facts.append(make_fact(FactKind.RAI_REFRACTORY, c.default_polarity, RaiValues("uptake"), "rule.rai.uptake",
                               avid.group(0)))  # fmt: skip
    activity = _CUMULATIVE.search(c.text)
    one_dose = not c.has("concept.cumulative_activity") and _ONE_DOSE.search(c.text)
    if activity and (c.has("concept.cumulative_activity") or c.has("concept.radioiodine")) and not one_dose:
        value, unit = float(activity.group("n")), activity.group("u").lower()
        mci = value if unit == "mci" else value * 27.027 if unit.startswith("g") else value / 37.0
        uncertain = None if 0 < mci <= MAX_MCI else f"a cumulative activity of {activity.group(0)} is out of bounds"
        values = RaiValues("cumulative_activity", min_mci=round(mci) if uncertain is None else None)
        polarity, negation = activity_polarity(c, activity.start())
        if uncertain is None and negation:
            uncertain = f"a negation ({negation!r}) stands before the cumulative activity {activity.group(0)}"
        if uncertain is None and (cap := _UPPER_BOUND.search(c.text, max(0, activity.start() - 30), activity.start())):
            uncertain = f"an upper bound ({cap.group(0).strip()!r}) on the cumulative activity is not read"
        facts.append(make_fact(FactKind.RAI_REFRACTORY, polarity, values, "concept.cumulative_activity",
                               activity.group(0), uncertain))  # fmt: skip
    found = progression.mentions(c)
    if found and c.has("concept.radioiodine") and not (stated or failed) and c.section is Section.INCLUSION:
        window, uncertain = window_near(c, found[0])
        facts.append(make_fact(FactKind.RAI_REFRACTORY, c.polarity(found[0]),
                               RaiValues("progression_after_rai", within=window), "rule.rai.progression",
                               found[0].text, uncertain))  # fmt: skip
    return facts


_ALTERNATIVE_BETWEEN = lazy_regex(r",|;|\bor\b", re.IGNORECASE)


def activity_polarity(c: CriterionText, at: int) -> tuple[Polarity, str | None]:
    """What a cumulative activity asks, from the radioiodine mention it qualifies (the last one before it in its
    clause): a negated one is an exclusion of that activity ("No prior radiation therapy to > 25% of bone marrow, or
    radioactive iodine with cumulative activity > 600 mCi" under an inclusion heading excludes > 600 mCi, it does not
    require it). A negation earlier in the clause that does not reach the mention leaves the reading uncertain (the
    second value returned: the negating words), never a requirement of the activity."""
    low, _ = c.clause(at)
    before = [
        m for m in c.mentions if m.id in {"concept.cumulative_activity", "concept.radioiodine"} and low <= m.start < at
    ]
    if not before:
        return c.default_polarity, None
    mention = before[-1]
    if _ALTERNATIVE_BETWEEN.search(c.text, mention.end, at) or any(
        m.id == "concept.rai_uptake_absent" and low <= m.start < at for m in c.mentions
    ):
        # "defined as no RAI uptake or a cumulative activity >= 600 mCi": the "no" is the uptake's, the activity
        # another alternative of the definition
        return c.default_polarity, None
    polarity = c.polarity(mention)
    if polarity is c.default_polarity and c.section is Section.INCLUSION:
        stray = _CLAUSE_NEGATION.search(c.text, low, mention.start)
        if stray:
            return polarity, stray.group(0)
    return polarity, None


# A cap written before the number ("no more than 600 mCi", "< 600 mCi"): not the RAIR definition's lower bound
_UPPER_BOUND = lazy_regex(
    r"(?:<|≤|=<|<=|\b(?:no|not)\s+(?:more|greater)\s+than|\bless\s+than|\bup\s+to|\bbelow|\bmaximum(?:\s+of)?|"
    r"\bnot\s+(?:to\s+)?exceed(?:ing)?|\bat\s+most)\s*$",
    re.IGNORECASE,
)
_CLAUSE_NEGATION = lazy_regex(r"\b(?:no|not|without|never|none)\b", re.IGNORECASE)


def rai_failure(c: CriterionText, m: Mention) -> str | None:
    """The words of a failed radioiodine, the mention with its cue before or after it ("did not respond to the most
    recent radioactive iodine treatment", "Radioactive iodine (RAI) - refractory"); None without a cue."""
    found = _RAI_FAILED_BEFORE.search(c.text, max(0, m.start - 100), m.start)
    if found:
        return c.text[found.start() : m.end]
    after = _RAI_FAILED_AFTER.match(c.text, m.end)
    return c.text[m.start : after.end()] if after else None


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, RaiValues)
    r = p.radioiodine
    if v.definition == "no_uptake":
        if r is None or r.uptake is None:
            return Finding(None, "radioiodine uptake not on file", missing="radioiodine uptake on scan")
        return Finding(r.uptake is not Uptake.PRESENT, f"radioiodine uptake {r.uptake.value}", ("radioiodine.uptake",))
    if v.definition == "uptake":
        if r is None or r.uptake is None:
            return Finding(None, "radioiodine uptake not on file", missing="radioiodine uptake on scan")
        return Finding(r.uptake is not Uptake.ABSENT, f"radioiodine uptake {r.uptake.value} (trial: some uptake)",
                       ("radioiodine.uptake",))  # fmt: skip
    if v.definition == "cumulative_activity":
        if v.min_mci is None:
            return Finding(None, "the cumulative activity could not be read")
        if r is None or r.cumulative_activity_mci is None:
            return Finding(None, "cumulative radioiodine activity not on file", missing="cumulative RAI activity")
        return Finding(
            r.cumulative_activity_mci >= v.min_mci,
            f"cumulative activity {fmt(r.cumulative_activity_mci)} mCi (trial: >= {fmt(v.min_mci)} mCi)",
            ("radioiodine.cumulative_activity_mci",),
        )
    if v.definition == "progression_after_rai":
        return _progression_after_rai(v.within, p)
    return status(p)


def status(p: Patient) -> Finding:
    """Radioiodine-refractory: as stated, or derived by the four definitions of the seed review (Introduction)."""
    r, d, diag = p.radioiodine, p.disease, p.diagnosis
    if r is not None and r.refractory is not None:
        return Finding(
            r.refractory,
            f"radioiodine-refractory: {'yes' if r.refractory else 'no'} (as stated)",
            ("radioiodine.refractory",),
        )
    reasons = []
    if r is not None and r.uptake in (Uptake.ABSENT, Uptake.PARTIAL):
        reasons.append((f"{r.uptake.value} radioiodine uptake", "radioiodine.uptake"))
    if r is not None and r.progression_after_rai:
        reasons.append(("progression after radioiodine", "radioiodine.progression_after_rai"))
    if r is not None and (r.cumulative_activity_mci or 0) >= RAIR_CUMULATIVE_MCI and d is not None and d.progressing:
        reasons.append(
            (f"progression after {fmt(r.cumulative_activity_mci or 0)} mCi", "radioiodine.cumulative_activity_mci")
        )
    if diag is not None and diag.locally_advanced_unresectable and (r is None or r.uptake is None):
        reasons.append(
            ("unresectable locally advanced disease, uptake not assessable", "diagnosis.locally_advanced_unresectable")
        )
    if reasons:
        text = "; ".join(r for r, _ in reasons)
        return Finding(True, f"radioiodine-refractory, derived: {text}", tuple(p for _, p in reasons))
    if r is not None and r.uptake is Uptake.PRESENT and r.progression_after_rai is False:
        return Finding(
            False,
            "radioiodine-avid with no progression after radioiodine (derived)",
            ("radioiodine.uptake", "radioiodine.progression_after_rai"),
        )
    return Finding(
        None,
        "radioiodine-refractory status not on file and not derivable",
        missing="radioiodine-refractory status (uptake, progression after RAI)",
    )


def _progression_after_rai(window: Window | None, p: Patient) -> Finding:
    r, d = p.radioiodine, p.disease
    if r is None or r.progression_after_rai is None:
        return Finding(None, "progression after radioiodine not on file", missing="progression after RAI")
    if not r.progression_after_rai or window is None:
        return Finding(
            r.progression_after_rai,
            f"progression after radioiodine: {r.progression_after_rai}",
            ("radioiodine.progression_after_rai",),
        )
    if r.last_treatment_on is None or d is None or d.progression_date is None:
        return Finding(
            None, "dates of last radioiodine and progression not on file", missing="date of last RAI and of progression"
        )
    paths = ("radioiodine.last_treatment_on", "disease.progression_date")
    if r.last_treatment_on <= d.progression_date <= add_window(r.last_treatment_on, window):
        return Finding(
            True,
            f"progressed {d.progression_date}, last radioiodine {r.last_treatment_on} (trial: within {window})",
            paths,
        )
    # The date on file is the latest progression; the one after radioiodine may have come earlier, inside the window
    return Finding(
        None,
        f"latest progression {d.progression_date}, last radioiodine {r.last_treatment_on}: the date of the "
        f"progression after radioiodine is not on file (trial: within {window})",
        paths,
        missing="date of the progression after RAI",
    )


KIND = Kind(
    FactKind.RAI_REFRACTORY,
    RaiValues,
    extract,
    evaluate,
    frozenset(
        {"concept.rai_refractory", "concept.radioiodine", "concept.rai_uptake_absent", "concept.cumulative_activity"}
    ),
)
