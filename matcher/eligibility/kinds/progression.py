"""Progression: "progressive disease within the past 12 months", "radiographic progression per RECIST 1.1",
"progressive metastatic disease". A progression on or after a therapy belongs to the therapy (`therapy`) when the
vocabulary names it; when it does not ("Progressive disease after androgen deprivation"), the progression is read
here (`_after_unnamed_therapy`); after
radioiodine it is refractoriness (`rai_refractory`), and "confirmation of PD by IIR" is a date, not a
requirement. An exclusion is not read: across the HINT oncology texts its progressions are mostly tied to a
transplant, an earlier therapy or a re-treatment ("A patient will not be eligible [for re-treatment] if ...: clinical
signs of disease progression"), which the text around them decides."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section, Values, shortened
from matcher.eligibility.cues import QuickPattern, cue
from matcher.eligibility.kinds.base import Finding, Kind, add_window, lazy_regex, within
from matcher.eligibility.numbers import Window
from matcher.eligibility.text import (
    CriterionText,
    Mention,
    first_sentence_end,
    make_fact,
    permits,
    sentence_break,
    sentence_start,
    sentence_stop,
    window_near,
)
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient


class ProgressionValues(Values, frozen=True):
    DISPLAY_ONLY = frozenset({"recist"})

    within: Window | None = None
    recist: bool = False
    # the other cancer the line tells the progression of ("Relapse or progression of myeloma ...": "a blood cancer", the
    # primary-site vocabulary's name), kept where the trial neither says it is for another cancer nor names the
    # patient's cancer or many cancers (`therapy.across._course_kept`): the reason names it
    course_of: str | None = None
    # the drugs of an exception for their clinical benefit ("... should not have progression ... unless there is
    # evidence for significant clinical benefit ... from treatment with BIBF 1120", NCT00715403): a patient who had one
    # may be the exception, which no profile records (`_benefit_exception`; mend65)
    unless_benefit_of: tuple[str, ...] = ()


_RECIST = lazy_regex(r"\bRECIST\b", re.IGNORECASE)
_TIME_ANCHOR_BEFORE = cue("cue.anchor.time_before")
_ON_THERAPY = cue("cue.progression.on_therapy")
# "progressive" (an active state too) is the disease's progression when it describes the disease ("progressive
# metastatic disease", "glioma which is progressive"), not another finding ("progressive lymphocytosis",
# "progressive splenomegaly", "progressive decline of platelet count", "a progressive subtype of multiple sclerosis")
_DISEASE_AFTER = cue("cue.progression.disease_after")
_OR_BEFORE = cue("cue.progression.or_before")
_OR_AFTER = cue("cue.progression.or_after")
_CONDITION = cue("cue.progression.condition")
# therapies another kind reads after "progression on/after": `therapy` and `rai_refractory` own them
_THERAPY_CONCEPTS = frozenset({"concept.surgery", "concept.radiotherapy", "concept.radioiodine",
                               "concept.systemic_therapy", "concept.investigational", "concept.transplant"})  # fmt: skip
# another way to qualify beside the progression: "progressed on, or be intolerant to", "or relapsed", "or refractory"
_ALTERNATIVE_AFTER = cue("cue.progression.alternative_after")
# the spacing of the measurements that show a progression ("PSA ... serially rises on two occasions each at least one
# week apart", NCT01313559; "2 consecutively rising PSA levels separated by 2 weeks", NCT00439270)
_TESTS_APART = cue("cue.progression.tests_apart")
# the text defines a term or says the progression is not asked: "Relapse is defined as progression of disease after
# an initial response", "Evidence of disease progression on a prior therapy is not required"
_NOT_ASKED = cue("cue.progression.not_asked")
# a text that defines a term: "When patients have undergone sequential phases of treatment without intervening
# progression, ..., this is considered to be 1 line of treatment" (NCT03687125) says what a line of therapy is
_DEFINES = cue("cue.progression.defines")
# how long a therapy was given, not a window on the progression: "a minimum of 6 months of abiraterone treatment
# prior to disease progression" (NCT01171898)
_THERAPY_DURATION = cue("cue.progression.therapy_duration")
# a time counted from the progression, not its recency: "at one additional time point 8 weeks following progression
# of disease" (NCT02354131)
_COUNTED_FROM = cue("cue.progression.counted_from")
# a window counted from the end of a therapy, not from today: "documented evidence of PD during or within 60 days
# (measured from the end of the last cycle) of completing treatment with the last antimyeloma drug regimen"
# (NCT02189343)
_FROM_A_THERAPY = cue("cue.progression.from_a_therapy")
# "disease progression within 3 months of platinum-based therapy" (NCT01249443), "relapsed within 6 months of
# adjuvant endocrine therapy": a window counted from a therapy, not a therapy's duration and not counted from today;
# not "within 28 days of study treatment" or "of the first dose", which count from the trial's start (parser 21)
_WITHIN_OF_THERAPY = cue("cue.progression.within_of_therapy")
# "progression-free interval", "progression free survival": a time without progression (review of sweep 3)
_FREE_AFTER = cue("cue.progression.free_after")
_WITHIN_BEFORE = cue("cue.progression.within_before")
_PREDICATE_BEFORE = cue("cue.progression.predicate_before")


def mentions(c: CriterionText) -> list[Mention]:
    """Progression mentions, with "progressive" that the vocabulary also lists as an active state."""
    return [
        m for m in c.mentions
        if m.id == "concept.progression" or (m.id == "concept.active_state" and m.text.lower().startswith("progress"))
    ]  # fmt: skip


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    if c.section is not Section.INCLUSION or c.has("concept.brain_metastases"):
        return []
    found = mentions(c)
    for m in found:
        if c.excepted(m):
            continue
        if m.id == "concept.active_state" and not _describes_the_disease(c, m):
            continue  # "progressive lymphocytosis", "recurrent or progressive tumor will be eligible"
        low, high = c.clause(m.start)
        if any(x.id == "concept.radioiodine" and low <= x.start < high for x in c.mentions):
            continue  # progression after radioiodine defines refractoriness (rai_refractory)
        anchor = _TIME_ANCHOR_BEFORE.search(c.text[max(0, m.start - 60) : m.start])
        if _ON_THERAPY.match(c.text, m.end) or (anchor and numbers.longest_window(c.text[low:high])[0] is None):
            continue  # "progressed on lenvatinib" belongs to the therapy; "confirmation of PD by IIR" is a date
        if _COUNTED_FROM.search(c.text, max(0, m.start - 40), m.start):
            continue  # "8 weeks following progression of disease": a time after it, not a window on it
        if cue("cue.progression.not_the_patients").search(c.text, max(0, m.start - 60), m.start) or (
            m.text.upper() == "PD" and cue("cue.progression.pd_not_progression").match(c.text[m.end :])
        ):
            continue  # "with or without progression", "risk of disease progression", "PK and PD sampling" (sweep 3)
        if _FREE_AFTER.match(c.text, m.end):
            continue  # "with progression free interval of at least 12 months" (NCT00610792): a time without it
        reason_for = cue("cue.progression.reason_for").search(c.text, max(0, m.start - 60), m.start)
        if reason_for is not None and not _OR_AFTER.match(c.text, m.end):
            # "Prior sorafenib discontinued due to disease progression": the patient's progression, read as it stands;
            # one reason among others ("due to disease progression or treatment toxicity", NCT00081107) is doubted
            # below (review of sweep 3: the sweep dropped every progression after "due to")
            reason_for = None
        window, uncertain = window_near(c, m)
        if window is not None and (own := _own_sentence_window(c.text, m)) is not None:
            # "Had disease progression while on a platinum ... or within 14 months after completing the first-line
            # platinum regimen. Participants who ... may have a longer interval since prior platinum-containing therapy
            # (≤24 months)." (NCT02426125): the window of the progression's own sentence, not the longest of the text
            window = own
        if reason_for is not None:
            uncertain = uncertain or "the progression is one reason among others ('due to ... or ...')"
        if window is not None and (stop := sentence_break(c.text, m.end)) is not None:
            low_clause, high_clause = c.clause(m.start)
            if numbers.longest_window(c.text[m.start : stop.start()])[0] is None and (
                numbers.longest_window(c.text[low_clause : min(high_clause, stop.start())])[0] is None
            ):
                # "Subjects must have progressed ... after at least one prior systemic therapy ... . ... Prior systemic
                # therapy must have been completed at least 28 days before registration." (NCT00571116): the window of
                # a later sentence may not be the progression's (parser 25)
                uncertain = uncertain or "the window is read from a later sentence: it may not be the progression's"
        if _DEFINES.search(c.text) and not _in_first_sentence(c.text, m.start):
            # "Received treatment with <=3 prior lines of therapy. A line of therapy is defined as ... without
            # intervening progression ...": a progression in the sentences that define a term is not asked
            uncertain = "the progression is part of a definition"
        if uncertain is None and (opened := _IF_CLAUSE.match(c.text, low, m.start)):
            # "Patients on antiandrogens should be discontinued ... If progression is documented during or after this
            # time interval, patients are eligible." (NCT00933426): a progression in a condition, of some patients
            uncertain = f"the progression is part of a condition ({opened.group(0).strip(' ,;')!r} ...)"
        if uncertain is None:
            uncertain = _context_doubt(c, m)
        if _RULED_OUT.search(c.text, max(0, m.start - 60), m.start):
            # "CT/MRI/PET should be performed within 2 months of study entry to exclude disease progression"
            # (NCT02550743): what the imaging is to rule out
            uncertain = uncertain or "the progression is what a test is to rule out, not asked"
        polarity = c.polarity(m)
        if window is not None and (other := _window_of_another(c, m, window)) is not None:
            # prog15: the duration is told of something else than the progression (fresh sample 15's V140, V176,
            # V397, V317). A requirement without it is looser; a therapy's duration ("on treatment with ibrutinib for
            # at least 18 months ... and without evidence of disease progression") is not the exclusion's either
            told, certain = other
            if polarity is Polarity.REQUIRE or certain:
                window = None
            else:
                uncertain = uncertain or told
        if window is not None and polarity is Polarity.REQUIRE and _window_not_its(c.text, window):
            # "(6 weeks for bicalutamide or nilutamide) and there is continued evidence of disease progression",
            # "over 4 weeks" (NCT00933426), "assessed within 28 days prior to initial administration of drug": a
            # washout, a spacing, an assessment's date (an interval between two measurements is `_window_of_another`'s,
            # above). A requirement without it is looser; an exclusion keeps it (its window only narrows what the
            # exclusion's words exclude).
            window = None
        if window is not None and any(_FREE_AFTER.match(c.text, x.end) for x in found):
            # "Has evidence of PD, with progression-free interval ≥6 months in Phase 1 ≥18 months in Phase 2"
            # (NCT03687125): the durations are the progression-free interval's, not the progression's recency
            if polarity is Polarity.REQUIRE:
                window = None
            else:
                uncertain = uncertain or "the window may be a progression-free interval's, not the progression's"
        if window is not None and (counted := _counted_from_a_therapy(c.text, window)):
            uncertain = f"the window is counted from {counted}, not from today"
        elif window is not None and _within_after_an_event(c.text, window):
            # "Progression while on or within 4 weeks since the last infusion of trastuzumab" (NCT01471847)
            uncertain = uncertain or "the window is counted from an event, not from today"
        elif window is not None and _on_or_within(c, m, window):
            # "progression while on therapy or within 6 months in the adjuvant/neoadjuvant setting" (NCT00765765)
            uncertain = uncertain or "the window is counted from the end of a therapy, not from today"
        if window is not None and _therapy_duration(c.text, low, high):
            # "a minimum of 6 months of abiraterone treatment prior to disease progression": the therapy's duration
            if polarity is Polarity.REQUIRE:
                window = None
            else:
                uncertain = "the window may be a therapy's duration, not the progression's"
        if window is not None and _TESTS_APART.search(c.text[low:high]):
            # "two rising PSA values each at least one week apart": the tests' spacing, not a window. A requirement
            # without it is looser (safe); an exclusion without it would be wider, so it becomes uncertain instead.
            if polarity is Polarity.REQUIRE:
                window = None
            else:
                uncertain = "the window may be the spacing of the tests, not the progression's"
        if uncertain is None:
            # "Relapse or progression of myeloma following prior systemic antineoplastic therapy" (NCT01464112, fresh
            # sample 21's AB134): another cancer's course, not the thyroid cancer's; read last (therapy 21)
            uncertain = _another_cancers_course(c, m)
        benefit_of, doubt = _benefit_exception(c, m)
        values = ProgressionValues(window, bool(_RECIST.search(c.text)), unless_benefit_of=benefit_of)
        uncertain = uncertain or doubt
        # "... progressed following standard therapies, or a disease for which no standard therapy exists"
        return no_standard_therapy(c, [make_fact(FactKind.PROGRESSION, polarity, values, m.id, m.text, uncertain)])
    for m in found:
        if m.id == "concept.progression" and not c.excepted(m) and _after_unnamed_therapy(c, m):
            values = ProgressionValues(None, bool(_RECIST.search(c.text)))
            return no_standard_therapy(c, [make_fact(FactKind.PROGRESSION, Polarity.REQUIRE, values, m.id, m.text)])
    return []


def _another_cancers_course(c: CriterionText, m: Mention) -> str | None:
    """The doubt of a progression or relapse the mention tells of another cancer, named after it ("progression of
    myeloma") or before it in its sentence ("Multiple myeloma ... considered to have disease progression"): the therapy
    kind's reading of another cancer's course (`course_of_another`, `course_doubt`; imported here, since the therapy
    kind imports this one)."""
    from matcher.eligibility.kinds.therapy.diseases import course_doubt, course_of_another

    cancer = course_of_another(c, m.start, m.end, event=True)
    return None if cancer is None else course_doubt("progression", cancer)


# A clause that opens on a condition: "If progression is documented ..., patients are eligible" (parser 24)
_IF_CLAUSE = cue("cue.progression.if_clause")


def _context_doubt(c: CriterionText, m: Mention) -> str | None:
    """What makes the progression no plain requirement of every patient (sweep 3): a permission to keep a therapy
    ("... that show subsequent tumor progression may continue on this medication"), another way to qualify ("either
    progressive disease or stable disease", "or refused therapy with a TKI"), a group it is asked of ("Patients with
    progressive disease between 4 and 12 weeks after ... must have ...", "Patients who have been recently withdrawn
    from ... must demonstrate progression"), an if-condition ("... only if in complete remission ... with no disease
    progression"). Not an exception ("The patients should not have progression of their underlying tumour disease unless
    there is evidence for significant clinical benefit ... from treatment with BIBF 1120", NCT00715403): the audit judged
    it right for patients who never had the drug (sample 5's K003)."""
    start = sentence_start(c.text, m.start)
    # the permission and the other way in are looked for in the progression's sentence only: "Patients must have
    # progressive disease. Patients unable to swallow ... or intolerant of ..." holds no alternative to the progression
    # (review of sweep 3)
    stop = sentence_stop(c.text, m.end)
    if cue("cue.progression.permission").search(c.text, start, stop):
        return "the progression is part of a permission to keep a therapy"
    if c.polarity(m) is Polarity.EXCLUDE and permits(c.text):
        # "Patients may have received prior lenalidomide as long as ... the patient may not have experienced a
        # progression while receiving lenalidomide previously" (NCT02160015): the condition of a permission
        return "the progression is part of a permission's condition"
    if (found := cue("cue.progression.other_way_in").search(c.text, m.end, stop)) is not None:
        return f"an alternative was not read ({shortened(c.text[found.start() :], 60)!r})"
    if (found := _STABLE_BEFORE.search(c.text, max(0, m.start - 30), m.start)) is not None:
        # "stable og progressive disease" (NCT00281476, sweep S17-181): stable disease is another way in
        return f"an alternative before the progression was not read ({found.group(0).strip()!r})"
    if (group := group_asked_of(c.text[start : m.start])) is not None:
        # "For recurrent HCC, radiographic evidence of progression." (NCT00081900), "Human epidermal growth factor
        # receptor 2 (HER2)-positive patients, ..., must have received trastuzumab ... and have had recurrence or
        # progression of disease" (NCT00559507): asked of that group only (sweep S17-221, S17-126)
        return f"the progression is asked of a group of patients only ({shortened(group, 60)!r})"
    if _CONSIDERED_TO_HAVE.search(c.text, start, m.start):
        # "Patients are also considered to have progressive disease when:" (NCT01889420): a definition's lead-in
        return "the progression is defined, not asked"
    before = _OR_BEFORE.search(c.text, max(0, m.start - 25), m.start) or _OR_EVIDENCE_BEFORE.search(
        c.text, max(0, m.start - 60), m.start
    )
    if before and not _RELAPSE_BEFORE.search(c.text, max(0, before.start() - 25), before.start()):
        # "Measurable disease (RECIST 1.1 (Appendix 2) or Progressive Disease (PD) according to CA125 GCIG criteria"
        # (NCT02055690): another way to qualify before it; not "Recurrent or progressive disease"
        return "an alternative before the progression was not read"
    if cue("cue.progression.subgroup").search(c.text[start:]):
        return "the progression is asked of some patients only"
    if _AFTER_WASHOUT.search(c.text[start : m.start]):
        # "At least 4 weeks since prior flutamide (...) and there is continued evidence of disease progression"
        # (NCT00337077), "More than 1 year since post-operative adjuvant therapy for ... with evidence of disease
        # progression" (NCT00728845): asked of the patients who had that therapy (fresh sample 14's U014, U050)
        return "the progression is asked of the patients who had the therapy of the washout before it"
    if (group := _subgroup_before(c, m, start)) is not None:
        return f"the progression is asked of a group of patients only ({shortened(group, 60)!r})"
    if cue("cue.progression.if_before").search(c.text, start, m.start):
        return "the progression is part of an if-condition"
    return None


_AFTER_WASHOUT = cue("cue.progression.after_washout")
# prog16: stable disease named beside the progression, and the groups a sentence opens on ("For recurrent HCC,",
# "HER2-positive patients, ...")
_STABLE_BEFORE = cue("cue.progression.stable_before")
_FOR_GROUP_BEFORE = cue("cue.progression.for_group_before")
_MARKER_GROUP = cue("cue.progression.marker_group")


_UNLESS_BENEFIT = cue("cue.progression.unless_benefit")


def _benefit_exception(c: CriterionText, m: Mention) -> tuple[tuple[str, ...], str | None]:
    """The drugs that an exception for their clinical benefit names after the progression, in its sentence
    (`cue.progression.unless_benefit`), and the doubt where the exception names none the vocabulary knows: the
    evaluator asks whether the patient had one."""
    stop = sentence_stop(c.text, m.end)
    found = _UNLESS_BENEFIT.search(c.text, m.end, stop)
    if found is None:
        return (), None
    drugs = tuple(dict.fromkeys(x.id for x in c.mentions if x.label == "DRUG" and found.end() <= x.start < stop))
    if drugs:
        return drugs, None
    told = shortened(c.text[found.end() : stop], 60)
    return (), f"the progression is excepted for the benefit of a therapy not read ({told!r})"


def group_asked_of(opening: str) -> str | None:
    """The group of patients a sentence opens on, when it opens on "For <a group or a disease>," or on the patients
    of a biomarker ("<marker>-positive patients"), from the sentence's start to the progression: what follows is
    asked of them only, which a profile does not decide here."""
    found = _FOR_GROUP_BEFORE.search(opening) or _MARKER_GROUP.search(opening)
    return None if found is None else found.group(0).strip(" ,:")


# not `group_asked_of`'s openings: a group defined by a therapy or a biomarker that says what they must have
# ("Patients with NSCLC harboring an EGFR ... alteration must have progressed ..."), read by `_subgroup_before`
_GROUP_OPENING = cue("cue.progression.group_opening")
_GROUP_DEFINED_BY = cue("cue.progression.group_defined_by")
_ITEM_OR_SENTENCE_BREAK = lazy_regex(r"\.\s|\s[-•]\s")


def _subgroup_before(c: CriterionText, m: Mention, start: int) -> str | None:
    """The group of patients the progression is asked of, when the progression's sentence, or the parenthesis it
    stands in, opens on a group defined by a therapy or a biomarker and says what they must have ("(patients with
    hormone receptor-positive breast cancer should have received ... hormonal therapy ... until disease progression)",
    NCT00509587; "Patients with NSCLC harboring an EGFR, ALK or ROS-1 alteration must have progressed through ...",
    NCT02963610): a patient not shown to be in it is not asked (fresh sample 14's U024). A group named by the trial's
    own disease alone ("Patients with metastatic thyroid cancer must have progression") is every patient's."""
    opening = c.text.rfind("(", start, m.start)
    if opening >= 0 and c.text.find(")", opening, m.start) < 0:
        start = opening + 1
    group = _GROUP_OPENING.search(c.text[start : m.start])
    if group is None or _ITEM_OR_SENTENCE_BREAK.search(c.text, start + group.end(), m.start):
        return None  # "... should have been off treatment for at least 3 weeks as wash-out period. - Have had disease
        # that has progressed within 6 months ..." (NCT00477386, items run together): the group's sentence ended
    low, high = start + group.start("who"), start + group.end("who")
    names_a_therapy = any(
        (x.label in ("DRUG", "CLASS") or x.id in _THERAPY_CONCEPTS) and low <= x.start < high for x in c.mentions
    )
    return group.group(0).strip() if names_a_therapy or _GROUP_DEFINED_BY.search(c.text, low, high) else None


_CONSIDERED_TO_HAVE = cue("cue.progression.defined_as")
# "Unacceptable toxicities during first- or second-line therapy or evidence for disease progression" (NCT00735878):
# another way to qualify before "evidence of" the progression (review of sweep 3)
_OR_EVIDENCE_BEFORE = cue("cue.progression.or_evidence_before")
# "Relapsed or progressive", "recurrent or progressive": the profile's progression answers both
_RELAPSE_BEFORE = cue("cue.progression.relapse_before")
# "Progression more than 6 months after the start of initial chemotherapy treatment" (NCT00113607, fresh sample 12
# S006): the time from an event to the progression, not the progression's recency
_INTERVAL_AFTER = cue("cue.progression.interval_after")


def _window_not_its(text: str, window: Window) -> bool:
    """Whether the duration the window was read from is a washout, a spacing, a delay or an assessment's date, not
    the progression's recency (cue.progression.window_not_its)."""
    pattern = cue("cue.progression.window_not_its")
    for found in numbers.DURATION.finditer(text):
        if numbers.window_of(found) != window:
            continue
        before = text[max(0, found.start() - 40) : found.start()]
        # "within 6 months after the last treatment" (NCT03042611) is a window counted from a therapy: kept, and
        # uncertain (`_counted_from_a_therapy`), since a progression may lie inside or outside it
        before_at = max(0, found.start() - 10)
        ending = pattern.search(before)
        if pattern.match(text[found.end() : found.end() + 40]) or (ending is not None and ending.end() == len(before)):
            return True
        if _INTERVAL_AFTER.match(text, found.end()) and not _WITHIN_BEFORE.search(text, before_at, found.start()):
            return True  # "progression ≥6 months after completing ... a platinum-containing regimen": from that event
    return False


# prog15: how a duration near a progression is told when it is another event's
_TREATED_FOR = cue("cue.progression.treated_for")
_MEASURE_INTERVAL = cue("cue.progression.measure_interval")
_OTHER_EVENT_WITHIN = cue("cue.progression.other_event_within")
_ON_OR_WITHIN = cue("cue.progression.on_or_within")
_RULED_OUT = cue("cue.progression.ruled_out")


def _own_sentence_window(text: str, m: Mention) -> Window | None:
    """The longest window of the progression's own sentence, from the mention on, when the text goes on after it
    (`window_near` reads to the end of the criterion)."""
    stop = sentence_break(text, m.end)
    return None if stop is None else numbers.longest_window(text[m.start : stop.start()])[0]


def _occurrences(c: CriterionText, m: Mention, window: Window) -> tuple[list[re.Match[str]], bool]:
    """The durations the window was read from (`window_near`: after the mention, else in its clause), and whether
    they all stand before the mention."""
    after = [d for d in numbers.DURATION.finditer(c.text, m.start) if numbers.window_of(d) == window]
    if after:
        return after, False
    low, high = c.clause(m.start)
    return [d for d in numbers.DURATION.finditer(c.text, low, high) if numbers.window_of(d) == window], True


def _holds(pattern: QuickPattern, text: str, duration: re.Match[str]) -> bool:
    """Whether a match of ``pattern`` around the duration holds it ("on treatment with ibrutinib for at least 18
    months")."""
    start, end = duration.span()
    return any(
        found.start() <= start and end <= found.end()
        for found in pattern.finditer(text, max(0, start - 100), min(len(text), end + 100))
    )


def _window_of_another(c: CriterionText, m: Mention, window: Window) -> tuple[str, bool] | None:
    """What the window's duration is told of, when not the progression's recency, and whether that is certain (a
    therapy's duration: "currently on treatment with ibrutinib for at least 18 months ... and without evidence of
    disease progression", NCT02973399). A duration only before the progression is another event's ("No more than 6
    weeks since prior external beam radiotherapy ... without evidence of progression", NCT00045110; "must start
    treatment within 6 weeks of diagnosis of disease progression", NCT01926236); an interval between two
    measurements ("with a 1-month interval", NCT00115635), a therapy's completion ("(completed within the previous
    12 months)", NCT02134015) or a time after a therapy ("while on therapy or within 6 months", NCT00765765) is not
    the progression's recency either."""
    found, before = _occurrences(c, m, window)
    if not found or _counted_from_a_therapy(c.text, window) or _within_after_an_event(c.text, window):
        return None  # a window counted from a therapy or an event is kept, uncertain (below)
    if all(_holds(_TREATED_FOR, c.text, d) or _holds(_THERAPY_DURATION, c.text, d) for d in found):
        return "the window is a therapy's duration, not the progression's", True
    if before:
        return "the window stands before the progression, told of another event: it may not be the progression's", False
    if all(_holds(_MEASURE_INTERVAL, c.text, d) for d in found):
        return "the window may be the interval between two measurements, not the progression's", False
    if all(_holds(_OTHER_EVENT_WITHIN, c.text, d) for d in found):
        return "the window is another event's (a therapy completed or given within it), not the progression's", False
    return None


def _on_or_within(c: CriterionText, m: Mention, window: Window) -> bool:
    """Whether the window is "while on <therapy> or within N" (cue.progression.on_or_within): counted from the end
    of that therapy."""
    found, _ = _occurrences(c, m, window)
    return any(_holds(_ON_OR_WITHIN, c.text, d) for d in found)


def _within_after_an_event(text: str, window: Window) -> bool:
    """Whether the window is "within" a duration "after", "following", "from" or "since" an event (a window
    `_window_not_its` keeps): "within 1 year from completion of adjuvant endocrine therapy" (NCT02107703)."""
    return any(
        numbers.window_of(found) == window
        and _WITHIN_BEFORE.search(text, max(0, found.start() - 10), found.start()) is not None
        and _INTERVAL_AFTER.match(text, found.end()) is not None
        for found in numbers.DURATION.finditer(text)
    )


def _therapy_duration(text: str, low: int, high: int) -> bool:
    """Whether the clause names how long a therapy was given ("a minimum of 6 months of abiraterone treatment"); not
    a window "within 6 months of <therapy>", which `_counted_from_a_therapy` reads."""
    return any(
        not _WITHIN_BEFORE.search(text, max(0, found.start() - 10), found.start())
        for found in _THERAPY_DURATION.finditer(text, low, high)
    )


def _counted_from_a_therapy(text: str, window: Window) -> str | None:
    """What the text counts this window from, if a therapy or its end ("within 60 days (measured from the end of the last
    cycle) of completing treatment") or from a therapy ("within 3 months of platinum-based therapy"), not from today
    ("progression within 13 months prior to study registration")."""
    for pattern, start in ((_FROM_A_THERAPY, "the end of a therapy"), (_WITHIN_OF_THERAPY, "a therapy")):
        for found in pattern.finditer(text):
            duration = numbers.DURATION.search(found.group(0))
            if duration is not None and numbers.window_of(duration) == window:
                return start
    return None


def _in_first_sentence(text: str, position: int) -> bool:
    """Whether ``position`` lies in the text's first sentence."""
    end = first_sentence_end(text)
    return end is None or position < end


def _after_unnamed_therapy(c: CriterionText, m: Mention) -> bool:
    """Whether "progressive disease after <X>" states a progression that only this kind can read: the words after
    it name no therapy the vocabulary knows (so `therapy` reads nothing), they are the whole criterion's subject
    ("Progressive disease after androgen deprivation", "Progressive disease after medical or surgical castration":
    prostate-cancer texts of HINT), and nothing beside it is an alternative, a condition, a permission or a cohort
    ("provided their disease has progressed on dasatinib", "progressed on, or be intolerant to ado-trastuzumab
    emtansine", "Progression following ... Herceptin (Arm A only)" stay unread). The disease must be progressing
    whatever X was, so the requirement is read; what X was is left to the coordinator (the reason names the
    progression only)."""
    low, _ = c.clause(m.start)
    if m.start - low > 25 or not _ON_THERAPY.match(c.text, m.end) or c.polarity(m) is not Polarity.REQUIRE:
        return False
    if any((x.label in ("DRUG", "CLASS") or x.id in _THERAPY_CONCEPTS) and m.end <= x.start for x in c.mentions):
        return False
    return not (
        _OR_BEFORE.search(c.text, max(0, m.start - 25), m.start)
        or _ALTERNATIVE_AFTER.search(c.text, m.end)
        or _NOT_ASKED.search(c.text)
        or numbers.longest_window(c.text)[0] is not None
        or _CONDITION.search(c.text)
        or permits(c.text)
        or cue("cue.scope.cohort").search(c.text)
        or group_asked_of(c.text[sentence_start(c.text, m.start) : m.start]) is not None
    )


def _describes_the_disease(c: CriterionText, m: Mention) -> bool:
    """Whether "progressive" asks for the disease's progression: it describes the disease ("progressive metastatic
    disease", "glioma which is progressive"), with no alternative beside it ("recurrent or progressive tumor",
    "progressive metastatic disease or stable metastatic disease with rising PSA") and no permission or condition in
    its clause ("... will be eligible", "if", "provided")."""
    low, high = c.clause(m.start)
    described = _DISEASE_AFTER.match(c.text, m.end)
    end = described.end() if described else m.end
    if not described and not _PREDICATE_BEFORE.search(c.text, max(0, m.start - 12), m.start):
        return False
    if _OR_BEFORE.search(c.text, max(0, m.start - 25), m.start) or _OR_AFTER.match(c.text, end):
        return False
    clause = c.text[low:high]
    return not (permits(clause) or _CONDITION.search(clause))


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, ProgressionValues)
    d = p.disease
    if d is None or d.progressing is None:
        return Finding(None, "progression status not on file", missing="disease progression (date)")
    if not d.progressing:
        if v.course_of is not None and fact.polarity is Polarity.REQUIRE:
            told = f"the progression asked is of the line's cancer (the line tells the course of {v.course_of})"
            return Finding(False, told, ("disease.progressing",))
        return Finding(False, "disease not progressing", ("disease.progressing",))
    if v.unless_benefit_of and (had := _had_one_of(v.unless_benefit_of, p, kb)) != "":
        return Finding(
            None,
            f"progressive disease, but the trial lets in a progression with clinical benefit from {had}: not on file",
            ("disease.progressing", "therapies"),
            missing=f"clinical benefit from {had}",
        )
    if v.within is None:
        return Finding(True, "progressive disease", ("disease.progressing",))
    if d.progression_date is None:
        return Finding(
            None,
            f"progression date not on file (trial: within {v.within})",
            missing=f"date of progression (within {v.within})",
        )
    closes = add_window(d.progression_date, v.within) + timedelta(days=1)  # the first day outside the window
    elapsed = relativedelta(on, d.progression_date)
    ago = f"{elapsed.years * 12 + elapsed.months} months ago" if on >= d.progression_date else "a future date"
    return Finding(
        within(d.progression_date, v.within, on),
        f"progressed {d.progression_date} ({ago}; trial: within {v.within})",
        ("disease.progression_date",),
        changes_on=closes if closes > on else None,
    )


def _had_one_of(drugs: tuple[str, ...], p: Patient, kb: KnowledgeBase) -> str:
    """The name of the patient's therapy that is one of the drugs ("" when none is); "the therapy named" when the
    history is not on file."""
    if p.therapies is None:
        return "the therapy named"
    for t in p.therapies:
        drug = kb.drug_by_name(t.name)
        if drug is not None and drug.id in drugs:
            return t.name
    return ""


def in_another_cancer(fact: Fact, found: Finding, p: Patient, kb: KnowledgeBase, cancer: str) -> str:
    """A progression asked or barred in a trial for another cancer is that cancer's course ("Progressive disease
    despite androgen deprivation therapy as defined by rising PSA levels", NCT02294461, a prostate trial; "no clinical
    evidence of disease progression (physical exam, imagery, CA 125) throughout her first line treatment", NCT02477644,
    an ovarian trial: fresh samples 33-34's AN224, AO222), not the thyroid disease's: the reason says so, not whether
    her own disease progresses (`Kind.in_another_cancer`)."""
    v = fact.values
    assert isinstance(v, ProgressionValues)
    told = "asked" if fact.polarity is Polarity.REQUIRE else "barred"
    within = f" (within {v.within})" if v.within is not None else ""
    return f"the progression {told}{within} is of the trial's cancer (trial is for {cancer})"


def no_standard_therapy(c: CriterionText, facts: list[Fact]) -> list[Fact]:
    """A requirement of progression on, or failure of, standard therapy that is also met when no standard therapy
    exists ("... progressed (or relapsed) following standard therapies, or a disease for which no standard therapy
    exists"): the progression and prior-therapy kinds pass their requirements through here, and they become
    uncertain, since the patient may qualify through the alternative no kind reads."""
    if c.section is not Section.INCLUSION or not facts:
        return facts
    found = cue("cue.alternative.no_standard_therapy").search(c.text)
    if found is None:
        return facts
    what = shortened(re.split(r"[.;]", c.text[found.end() :], maxsplit=1)[0].strip(), 60)
    doubt = f"an alternative was not read ({what!r})"
    return [f.doubted(doubt) if f.polarity is Polarity.REQUIRE else f for f in facts]


# "progressive" is also an active state ("progressive metastatic disease"): `mentions` takes both
KIND = Kind(
    FactKind.PROGRESSION,
    ProgressionValues,
    extract,
    evaluate,
    frozenset({"concept.progression", "concept.active_state"}),
    in_another_cancer,
)
