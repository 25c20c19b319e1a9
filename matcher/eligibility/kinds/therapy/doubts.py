"""Why a prior-therapy reading is uncertain: each doubt makes a fact `unknown` ("reading uncertain: ...") where the
text says something the reading does not hold. A wrong `violated` hides a trial for good; a wrong `unknown` costs a
coordinator a minute. The doubts are grouped by what they are about and run in `_doubt`'s order; the first that
answers is the reason. Each cue's entry in cues.json quotes the real text that called for it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from matcher.eligibility.criteria import Polarity, Section, shortened
from matcher.eligibility.cues import QuickPattern, cue
from matcher.eligibility.kinds.base import lazy_regex
from matcher.eligibility.kinds.therapy.evaluator import TherapyValues
from matcher.eligibility.kinds.therapy.reading import (
    _ANY_TKI,
    _BRACKET,
    _FUTURE_THERAPY,
    _MUST_NOT_HAVE,
    _NOT_EXCLUDED,
    _OWN_VERB,
    _PROCEDURES,
    _RADIOTHERAPY_OF_KIND,
    _RECURRED,
    _WINDOW_TOLD,
    _given_for,
    _is_therapy,
    _KinaseTarget,
    _needed,
    _past_open_bracket,
    _sited_reason,
)
from matcher.eligibility.text import (
    CriterionText,
    Mention,
    permits,
    window_in_words,
)


class _Read(NamedTuple):
    """What one fact reads, for the doubts: the criterion, its clause (``low``-``high``, and its text), the mentions
    it keeps, its polarity, its values, the kinase target of each class mention (`_tki_target`), and what the
    extractor found on the way (another disease, why a narrowing was left, a therapy to be stopped before entry)."""

    c: CriterionText
    low: int
    high: int
    # the clause's text, the one string `_clause_facts` searched: each doubt searches this same object, whose lower
    # case and plainness the patterns then know already (`cues.QuickPattern`), not a new slice of it per doubt
    clause: str
    kept: list[Mention]
    polarity: Polarity
    v: TherapyValues
    targets: Mapping[Mention, _KinaseTarget | None]
    timed: bool  # the clause tells a duration
    another_disease: str | None  # `_AnotherDisease.disease`: for an exclusion, the other disease it was given for
    narrowed: str | None  # why `_narrowed` left a qualified systemic therapy as it was
    stopped: re.Match[str] | None  # an exclusion's therapy to be stopped before entry (`_reread`)

    @property
    def first(self) -> Mention:
        return self.kept[0]

    @property
    def exclude(self) -> bool:
        return self.polarity is Polarity.EXCLUDE

    @property
    def require(self) -> bool:
        return self.polarity is Polarity.REQUIRE


def _doubt(r: _Read) -> str | None:
    """Why a reading is uncertain: the first reason that holds, by subject. The reason only words the doubt (every
    doubt makes the fact uncertain; none changes its values), so the order decides which one a coordinator reads."""
    return (
        _may_need_or_get(r)
        or _not_asked(r)
        or _untreated_way_in(r)
        or _count_unread(r)
        or _polarity_unread(r)
        or _window_unread(r)
        or _systemic_of_another_kind(r)
        or _permission_or_exception(r)
        or _another_way_in(r)
        or _during_the_study(r)
        or _event_during(r)
        or _need_or_possibility(r)
        or _protocol_schedule(r)
        or _qualified_therapy(r)
    )


def _before_each(r: _Read, pattern: QuickPattern, reach: int) -> bool:
    """Whether ``pattern`` is told within ``reach`` characters before every therapy the fact reads (in its clause)."""
    return all(pattern.search(r.c.text, max(r.low, m.start - reach), m.start) for m in r.kept)


def _before_one(r: _Read, pattern: QuickPattern, reach: int) -> re.Match[str] | None:
    """``pattern`` as told within ``reach`` characters before the first therapy the fact reads that has it."""
    return next((f for m in r.kept if (f := pattern.search(r.c.text, max(r.low, m.start - reach), m.start))), None)


_NOT_HISTORY = cue("cue.therapy.not_history")
_DEFINITION_OF = cue("cue.therapy.definition_of")


def _may_need_or_get(r: _Read) -> str | None:
    """A therapy told as one the patient may need or get (indicated, proposed, planned: `cue.therapy.not_history`),
    with no window or progression: the trial's or her coming treatment, not a past one, which a profile does not
    record."""
    v, clause = r.v, r.clause
    if v.within is None and not v.progressed and (found := _NOT_HISTORY.search(clause)):
        # "in whom the gemcitabine and cisplatin chemotherapy regimen is clinically indicated" (NCT00101907)
        return f"a therapy the patient may need or get ({found.group(0)!r}) is not read as a past one"
    return None


_DEFINED_KIND = cue("cue.therapy.defined_kind")
_DEEMED = cue("cue.therapy.deemed")
_FRAGMENT = cue("cue.therapy.fragment")
# A line of its own in title case, no verb and no stop: "Prior Systemic Therapy" (NCT01184274) heads the washouts
# listed after it, it asks nothing itself (therapy 6)
_HEADING = lazy_regex(r"\W*(?:[A-Z][\w/-]*\s+){1,5}[A-Z][\w/-]*\s*:?\s*")
_MARKER_GROUP = cue("cue.therapy.marker_group")


def _not_asked(r: _Read) -> str | None:
    """Text that asks nothing of the patient's history: a definition (what a kind of drug is considered, when a line
    is deemed failed, what a therapy is defined as), a heading, a fragment whose verb was lost in the split, or a rule
    for the patients with a marker result. Read as a requirement or an exclusion, it would ask what the text does not."""
    c, low, kept, clause, first = r.c, r.low, r.kept, r.clause, r.first
    if found := _DEFINED_KIND.search(clause):
        # "Tyrosine kinase inhibitors (eg, Tarceva and Iressa) are considered noncytotoxic compounds" (NCT00249301)
        return f"a definition ({found.group(0)!r}) is not read as a therapy asked about"
    if r.require and (found := _DEEMED.search(clause)):
        # "... within 6 months after adjuvant chemotherapy will be considered to have failed one line of chemotherapy"
        # (NCT00559507, fresh sample 10's Q069): a definition, not a therapy required (therapy 3)
        return f"a definition ({found.group(0)!r}) is not read as a requirement"
    if found := _FRAGMENT.search(c.text.strip()):
        # "systemic therapy." (NCT01693276): a line whose verb was lost in the split
        return f"a fragment ({found.group(0)!r}) is not read"
    # heading: "Prior Systemic Therapy" (NCT01184274) heads the washouts listed after it
    if _HEADING.fullmatch(c.text) and not c.text.strip().isupper():
        return "a heading (a line in title case with no verb) is not read as a requirement"
    if r.require and (found := _DEFINITION_OF.search(c.text, low, first.start)):
        return f"a definition ({found.group(0)!r}) is not read as a therapy required"
    if found := _MARKER_GROUP.search(c.text, 0, kept[0].start):
        # "examined as positive in EGFR&ALK mutation detection and never take the treatment of TKIs" (NCT02388919, Y207)
        return f"a rule for the patients with a marker result ({shortened(found.group(0), 60)!r}) is not read as everyone's"
    return None


_TREATED_ALTERNATIVE = cue("cue.therapy.treated_alternative")
_NOT_HAD = lazy_regex(r"\b(?:no|not|never|without|na[iï]ve|untreated)\b", re.IGNORECASE)


def _treated_alternative(c: CriterionText, low: int) -> re.Match[str] | None:
    """A treated way in (`cue.therapy.treated_alternative`) after a therapy not had: "no prior chemotherapy ..., or
    have been refractory to" (NCT00411762); not a disease state told in two words, "AML in relapse or refractory after
    3 or more previous lines of chemotherapy" (Chia NCT00989261), which still excludes the lines."""
    found = _TREATED_ALTERNATIVE.search(c.text, low)
    return found if found and _NOT_HAD.search(c.text, low, found.start()) else None


_UNTREATED_ALTERNATIVE = cue("cue.therapy.untreated_alternative")
_NAIVE = cue("cue.therapy.naive")


def _untreated_way_in(r: _Read) -> str | None:
    """Having had none of the therapy as a way in (naive, untreated patients) beside a requirement, or having had it
    as a way in beside an exclusion of it: the patient may enter either way, so the therapy alone decides nothing."""
    c, low, clause = r.c, r.low, r.clause
    exclude, require = r.exclude, r.require
    if require and (found := _NAIVE.search(clause)):
        return f"'{found.group(0)}' (not having had the therapy) is not read"  # "Taxane naïve" (NCT00133224)
    if require and (found := _UNTREATED_ALTERNATIVE.search(c.text, low)):
        # "Patients who have failed at least one line of a standard treatment ... or untreated patients with del17p by
        # FISH" (NCT02194374, fresh sample 10's Q034): no therapy is a way in too (therapy 3)
        return f"an untreated alternative ({found.group(0)!r}) is not read"
    if exclude and (found := _treated_alternative(c, low)):
        # "patients may either have had no prior chemotherapy (chemotherapy naive), or have been refractory to or
        # relapsed from standard chemotherapy" (NCT00411762): the therapy is a way in too (therapy 3)
        return f"a treated alternative ({found.group(0)!r}) is not read"
    return None


_LINE_ORDER = cue("cue.therapy.line_order")


def _line_order(c: CriterionText, span: tuple[int, int], kept: list[Mention]) -> re.Match[str] | None:
    """A line of a given order (`cue.therapy.line_order`) that qualifies a therapy read: one of the fact's mentions
    starts within two words after it ("2nd line anti-cancer therapy"), or no therapy is named right after it ("for
    melanoma (second line)"). Not when it qualifies a therapy the fact does not read: "any concurrent biological,
    immunological, second-line hormonal therapy or chemotherapy" (NCT00933426) still excludes chemotherapy."""
    for found in _LINE_ORDER.finditer(c.text, *span):
        near = _NEXT_WORDS.match(c.text, found.end())
        end = near.end() if near else found.end()
        if any(found.end() <= m.start <= end for m in kept):
            return found
        if not _THERAPY_WORD.match(c.text, found.end()):
            return found
    return None


_NEXT_WORDS = lazy_regex(r"\W*(?:[\w-]+\W+){0,2}")
_THERAPY_WORD = lazy_regex(
    r"\W*(?:[\w-]+\s+){0,2}?(?:\w*therap\w*|treatments?|regimens?|chemo\w*|agents?|drugs?)\b", re.I
)
_UNREAD_CAP = cue("cue.therapy.count_cap")
_DOSE_LIMIT = cue("cue.therapy.dose_limit")
_CAP_IN_WORDS = cue("cue.therapy.cap_in_words")
_ONLY_COUNT = cue("cue.therapy.only_count")


def _count_unread(r: _Read) -> str | None:
    """A count, a line or a dose the reading does not hold: a cap ("=< 2 prior regimens", in words, with "only", or
    negated under the exclusions), a line of a given order, a lifetime dose limit, or a note on how regimens are
    counted. A cap read as any therapy would exclude a patient within it."""
    c, low, high, kept, v, clause = r.c, r.low, r.high, r.kept, r.v, r.clause
    if v.max_count is None and (found := _UNREAD_CAP.search(clause)):
        # "Patients must have =< 2 prior chemotherapy regimens" (NCT00045708), "≤1 previous line of chemotherapy"
        return f"a count limit ({found.group(0)!r}) is not read"
    if r.exclude and v.min_count <= 1 and (found := _line_order(c, (low, high), kept)):
        # "I have received 2nd line anti-cancer therapy" (NCT00312377, fresh sample 10's Q023): a line of some order is
        # not any therapy; a requirement keeps its reading (no therapy is no 2nd line either) (therapy 3)
        return f"a line of a given order ({found.group(0)!r}) is not read as any therapy"
    if found := _DOSE_LIMIT.search(clause):
        # "Patients must have less than 400mg/m2 lifetime exposure of anthracycline chemotherapy" (NCT00440726)
        return f"a dose limit ({found.group(0)!r}) is not read"
    if c.section is Section.EXCLUSION and r.exclude and v.min_count == 0 and v.max_count is not None:
        # "No more than 1 prior course of palliative radiotherapy" under exclusions (NCT00439270): a cap, negated
        return "a count limit under the exclusions is not read"
    if v.max_count is None and (found := _CAP_IN_WORDS.search(clause)):
        return f"a count limit ({found.group(0)!r}) is not read"
    if v.max_count is not None and (setting := _before_one(r, _ADJUVANT_ONLY, 40)):
        # "No more than 1 prior adjuvant or neoadjuvant chemotherapy and/or concurrent chemoradiotherapy regimen"
        # (NCT00062387, beside a cap of its own on chemotherapy for metastatic disease): the count is of the therapies
        # given in that setting, which the profile does not tell; counted over all of them, it bars a patient within it
        return f"a count limit on therapies of one setting ({setting.group(0).strip()!r}) is not read"
    if v.ongoing and (found := _DEFINITION_OF.search(clause)) and found.group(0).startswith("("):
        # "Any combination of drugs given concurrently (considered 1 prior regimen)" (NCT00334932)
        return f"how regimens are counted ({found.group(0)!r}) is not a therapy asked about"
    if v.max_count is None and not v.maybe_categories and (found := _ONLY_COUNT.search(clause)):
        # (therapy 15 reads "Only one prior anti-tumor treatment regimen" as her radioiodine's, V146)
        # "Only one prior treatment with systemic chemotherapy" (NCT00133224, Y018): a cap or an exact count
        return f"a count told with 'only' ({found.group(0)!r}) may be a cap; it is not read"
    return None


_ADJUVANT_ONLY = cue("cue.therapy.adjuvant_only_before")
_NO_FAILURE = cue("cue.therapy.no_failure")
_MUST_NEVER = cue("cue.therapy.must_never")
_NOT_PERMITTED = cue("cue.therapy.not_permitted")
_NEGATION = lazy_regex(r"\b(?:no|not|never|without|none)\b", re.IGNORECASE)
# An outcome negated, not the therapy: "who can not achieve remission after at least two cycle of systemic therapy"
# (NCT02886559) asks for the therapy (therapy 6)
_NEGATED_OUTCOME = lazy_regex(
    r"\b(?:not|never|cannot|unable\s+to|fail(?:ed|s)?\s+to)\s+(?:achieve|attain|obtain|reach|respond|tolerate)\w*\b",
    re.IGNORECASE,
)
_NEGATION_CARRIED = cue("cue.therapy.negation_carried")


def _polarity_unread(r: _Read) -> str | None:
    """A negation or a section the reading does not hold: a failure negated, a requirement inside an exclusion (or an
    exclusion listed under the inclusions), a prohibition or a negation after the therapy's name, a negation inside a
    bracketed definition, a negated outcome, and a clause that may carry the negation of the one before. Read as they
    stand, they would turn an exclusion into a requirement or the other way round."""
    c, low, clause, first = r.c, r.low, r.clause, r.first
    exclude, require = r.exclude, r.require
    if require and (found := _NO_FAILURE.search(clause)):
        # "No prior failure to achieve at least a PR with Azacitidine or Everolimus" (NCT00636922) (therapy 3)
        return f"a negated failure ({found.group(0)!r}) is not read as a therapy required"
    if c.section is Section.EXCLUSION and require and (found := _MUST_NEVER.search(clause)):
        # an exclusion's own requirement: "Patients must never have had docetaxel or ... doxorubicin" (NCT00426127)
        return f"a requirement inside an exclusion ({found.group(0)!r}) is not read"
    if require and (found := _NOT_PERMITTED.search(clause)):
        # "Patients are not permitted any chemotherapeutic agents ... within four weeks prior to the first dose"
        return f"a prohibition ({found.group(0)!r}) is not read as a requirement"
    if require and (found := _MUST_NOT_HAVE.search(clause)):
        # "Myelosuppressive chemotherapy: must not have received myelosuppressive chemotherapy within 3 weeks of entry"
        # (NCT02642965): the negation after the therapy's first name
        return f"a negation ({found.group(0)!r}) after the therapy's name is not read"
    if (
        c.section is Section.EXCLUSION
        and require
        and _NEGATION.search(c.text, low, first.start)
        and not _NEGATION.search(re.sub(r"\([^()]*\)", "", c.text[: first.start]))
    ):
        # "Patients that are refractory (i.e. not responded or progressed within 6 months) to a carboplatin ...
        # regimen" (NCT00601718): the negation of a bracketed definition is not the criterion's
        return "a negation inside brackets (a definition) is not read as the criterion's"
    # negated outcome: "who can not achieve remission after at least two cycle of systemic therapy" (NCT02886559)
    if exclude and (found := _NEGATED_OUTCOME.search(c.text, low, first.start)):
        return f"a negated outcome ({found.group(0)!r}) is not read as a therapy not had"
    carried = require and low > 0 and _NEGATION_CARRIED.match(c.text[:low])
    if carried and not _NEGATION.search(clause) and not _OWN_VERB.search(clause):
        # "No other concurrent chemotherapy; surgery or radiation therapy during the treatment phase" (NCT00993642)
        return "a clause after a negated one may be part of its list (the negation not repeated)"
    return None


_GAP_BEFORE = cue("cue.therapy.gap_before")
_WITHIN = lazy_regex(r"\bwithin\b", re.I)
_MIN_GAP = cue("cue.therapy.min_gap")
_LASTED = cue("cue.therapy.lasted")
_DISCONTINUED = cue("cue.therapy.discontinued")
_BEFORE_PROCEDURE = cue("cue.therapy.before_procedure")
_TEST_BEFORE_PROCEDURE = cue("cue.therapy.test_before_procedure")  # anchor21


def _before_procedure(r: _Read, clause: str) -> tuple[str, str] | None:
    """The kind of procedure (surgery or radiotherapy) the fact reads, and the words, when its window is told as the
    time before a procedure of that kind (`cue.therapy.before_procedure`): "amenable to receiving GW572016 for 7-14
    days prior to their resection" (NCT00095940, W155) is the protocol's dosing before a planned surgery, not a surgery
    had in the last 14 days. An exclusion so read is a washout the text does not set; a requirement only when the text
    marks the procedure as the patient's coming one (their, planned; indicated, amenable: `cue.therapy.not_history`),
    or when what the window times is a test or document named before it (`cue.therapy.test_before_procedure`): "Pre-op
    Imaging of the head and neck ... within 84 days prior to surgery" (NCT02775812, AD296) times the imaging before the
    protocol's surgery; the imaging is not on file (fresh sample 11's R020 and 12's S374, judged right through this
    wrong reading, are excluded by "trial is for head and neck squamous cell cancer")."""
    found = _BEFORE_PROCEDURE.search(clause)
    if found is None:
        return None
    kind = "surgery" if found.group("surgery") else "radiotherapy"
    coming = found.group("own") or _NOT_HISTORY.search(clause) or _FUTURE_THERAPY.search(clause)
    coming = coming or _TEST_BEFORE_PROCEDURE.search(clause, 0, found.start())
    if kind in r.v.categories and (r.polarity is Polarity.EXCLUDE or coming):
        return kind, found.group(0)
    return None


_GAP_OPENING = cue("cue.therapy.gap_opening")
_NO_WASHOUT = cue("cue.therapy.no_washout")
_HALF_LIVES = cue("cue.therapy.half_lives")
_DISCONTINUED_BEFORE = cue("cue.therapy.discontinued_before")  # therapy 9


def _window_unread(r: _Read) -> str | None:
    """A window or washout the reading does not hold: a gap, a least time or a duration read as the time the therapy
    was had, a washout with no window (discontinued, stopped before entry, "no washout", half-lives), a window told in
    words or elsewhere in the clause, or a window before a procedure (the protocol's dosing). A washout is met by
    waiting; read as a therapy had within a window, it would exclude or require on the wrong dates."""
    c, v, clause, first = r.c, r.v, r.clause, r.first
    exclude, require = r.exclude, r.require
    duration = _given_for(clause)
    recurred = _RECURRED.search(clause)  # "disease has come back at least six months after": the recurrence's time
    if require and v.within is not None and not (duration or recurred) and (found := _GAP_BEFORE.search(clause)):
        # "Subjects may begin AZD2171 at least 3 weeks after their last dose of chemotherapy" (NCT00275028), "No prior
        # chemotherapy exceeding 6 weeks in duration" (NCT00427713): a gap or a duration, not a time the therapy was had
        return f"a gap or duration ({found.group(0)!r}) is not read as the time of the therapy"
    told_by_recurrence = bool(duration or recurred or v.progressed)  # "Progression more than 6 months after ..."
    if (
        require
        and v.within is not None
        and not told_by_recurrence
        and not _WITHIN.search(clause)  # "within 8 weeks after pancreatic cancer surgery (but no sooner than 3 weeks)"
        and (found := _MIN_GAP.search(clause))
    ):
        # ">= 3 months prior to registration for craniospinal irradiation; >= 4 weeks for local radiation"
        # (therapy sweep 2): a least time before entry, a washout, not a therapy had within the window
        return f"a minimum time before entry ({found.group(0)!r}) is not read as the time of the therapy"
    if v.within is not None and (found := _LASTED.search(clause)):
        # "Prior chemotherapy given as part of neoadjuvant treatment ... may last a maximum of 11-12 weeks" (NCT00427713)
        return f"how long a therapy lasted ({found.group(0)!r}) is not read as the time of the therapy"
    if require and v.within is None and r.timed and not told_by_recurrence and (found := _GAP_BEFORE.search(clause)):
        # "Biologic (anti-neoplastic agent): at least 7 days since the completion of therapy with a biologic agent"
        # (NCT02642965): a gap whose window was not attached
        return f"a gap ({found.group(0)!r}) without its window is not read"
    if require and v.within is None and (found := _DISCONTINUED.search(clause)):
        # "Have discontinued all previous therapies for cancer, including chemotherapy, radiotherapy" (NCT01241461)
        return f"a washout without its window ({found.group(0)!r}) is not read as a therapy required"
    if exclude and v.within is None and r.timed and _WINDOW_TOLD.search(clause):
        # "Major surgery, chemotherapy, radiotherapy, investigational agents or other cancer therapy within 1 week of
        # treatment day 1" (NCT00300781), "... or any other cancer or experimental treatment ≤ 28 days prior to the
        # first day of the first cycle" (NCT01032291): the clause's window was not attached
        return "the clause's time window is not attached to the therapy"
    if exclude and v.within is None and not v.ongoing and (words := window_in_words(clause)):
        # "Use of any investigational agent within a month of treatment" (NCT00463840): not any one ever (therapy 16)
        return words
    if v.within is not None and (before := _before_procedure(r, clause)):
        return f"a window before a {before[0]} ({before[1]!r}) times what precedes it, not a past one"
    # an interval, a washout: "4 weeks from an investigational agent (not ... FDA approved)" (NCT02142803)
    if require and (found := _GAP_OPENING.search(clause)):
        return f"an interval since a therapy ({found.group(0).strip()!r}) is not read as a therapy required"
    if require and (found := _NO_WASHOUT.search(c.text)):
        return f"a therapy that needs no washout ({found.group(0)!r}) is not read as one required"
    if exclude and v.ongoing and v.within is None and (found := _DISCONTINUED_BEFORE.search(c.text, first.end)):
        # "Concurrent anti-cancer therapy (...) ... Patients must have discontinued the above cancer therapies for 1
        # week prior to the first dose" (NCT01918306): a washout, met by waiting
        return f"a current therapy with its own discontinuation period ({shortened(found.group(0), 60)!r}) is a washout"
    if exclude and v.within is None and not v.ongoing and (found := _HALF_LIVES.search(c.text)):
        return f"a washout in half-lives ({found.group(0)!r}) is not read"
    if r.stopped:  # an exclusion with no window, made a current therapy's by `_reread`
        return f"a therapy to be stopped before entry ({shortened(r.stopped.group(0), 60)!r}) is met by stopping it"
    return None


_NON_CANCER_DRUG = cue("cue.therapy.other_systemic")
_OTHER_AGENTS = cue("cue.therapy.other_agents")


def _systemic_of_another_kind(r: _Read) -> str | None:
    """A generic systemic therapy told as another kind than the anticancer therapy read: a systemic treatment of
    another kind (corticosteroids, immunosuppressants, other agents), or a systemic therapy told only by what it is
    given with or targets (`_narrowed`). Read as any systemic therapy, it would exclude on her kinase inhibitor."""
    v, clause = r.v, r.clause
    systemic_only = v.categories == ("systemic",) and not v.drugs and not v.classes
    if systemic_only and v.within is None and (found := _NON_CANCER_DRUG.search(clause)):
        # "chronic, systemic treatment with corticosteroids or another immunosuppressive agent" (NCT01063478)
        return f"a systemic treatment of another kind ({found.group(0)!r}) is not read as anticancer therapy"
    if r.narrowed:  # why `_narrowed` left the reading as it was
        return r.narrowed
    if systemic_only and not v.ongoing and (found := _OTHER_AGENTS.search(clause)):
        return f"a systemic treatment of another kind ({found.group(0)!r}) is not read as anticancer therapy"
    return None


_INCLUDED_IF = cue("cue.therapy.included_if")
_NOT_REQUIRED = cue("cue.therapy.not_required")
_SUCH_ELIGIBLE = cue("cue.therapy.such_eligible")
_ALLOWABLE = cue("cue.therapy.allowable")
_OTHER_CANCER_ALLOWED = cue("cue.therapy.other_cancer_allowed")
_QUOTA = cue("cue.therapy.quota")
_CONTRAINDICATION = cue("cue.therapy.contraindication")
_ACCEPTED = cue("cue.therapy.accepted")
_HAD_VERB = lazy_regex(
    r"\b(?:must|should|ha(?:ve|s|d)|underw\w+|undergone|received|post|status|after|following|since|recover\w*)\b",
    re.IGNORECASE,
)
_UNREAD_EXCEPTION = cue("cue.therapy.unread_exception")
_IN_A_TRIAL = lazy_regex(
    r"\bparticipated\s+in\s+(?:an?\s+|any\s+)?(?:other\s+|another\s+|prior\s+|previous\s+)*(?:[\w-]+\s+){1,3}?"
    r"(?:clinical\s+)?(?:trials?|stud(?:y|ies))\s*,?\s+and\s+(?:has\s+|have\s+)?(?:been\s+treated|received)\b",
    re.IGNORECASE,
)
_SENTENCE_END = lazy_regex(r"\.\s+(?=[A-Z])")


def _permission_or_exception(r: _Read) -> str | None:
    """A permission, an exception or a note read as a requirement or an exclusion: "will be included if", "is not a
    requirement", a bracket or a later sentence that permits some of the therapy, "such patients are eligible",
    "allowable", "are excepted", an enrolment quota, an exception told by a condition not on file. A permission asks
    for nothing; read as a requirement it would exclude the patients it lets in."""
    c, low, high, kept, v, clause, first = r.c, r.low, r.high, r.kept, r.v, r.clause, r.first
    exclude, require = r.exclude, r.require
    if not (exclude and v.within) and v.max_count is None and (found := _INCLUDED_IF.search(clause)):
        # "Patient previously treated with bortezomib will be included in the study, if ..." (NCT00431990)
        return f"a permission ({found.group(0)!r}) is not read as a requirement"
    if require and (found := _NOT_REQUIRED.search(clause)):
        # "Prior treatment with cytotoxic chemotherapy is not a requirement, but allowed only if ..." (NCT02300610)
        return f"a therapy said not to be required ({found.group(0)!r}) is not read as a requirement"
    # a bracket that permits some of an excluded therapy: "(...; prior neoadjuvant/adjuvant chemotherapy permitted if
    # completed >= 1 year from study entry)" (NCT01342172)
    for bracket in _BRACKET.finditer(_past_open_bracket(c, low, high)) if exclude else ():
        inside = (low + bracket.start(), low + bracket.end())
        named = any(m.id in {x.id for x in kept} and inside[0] <= m.start < inside[1] for m in c.mentions)
        if named and permits(bracket.group(0)):
            return f"a permission in brackets ({shortened(bracket.group(0), 60)!r}) for some of the therapy is not read"
    # "...; such patients are eligible for this trial" (NCT02275039): a definition and a permission
    if require and (found := _SUCH_ELIGIBLE.search(c.text, first.end)):
        return f"a permission ({found.group(0)!r}) is not read as a requirement"
    if require and (found := _ALLOWABLE.search(clause)):
        return f"a permission or a count note ({found.group(0)!r}) is not read as a requirement"
    if exclude and (found := _OTHER_CANCER_ALLOWED.search(clause)):
        # "note: prior cytotoxic chemotherapy or biologic/targeted therapy for a different cancer is allowable"
        # (NCT02775812, sweep 28's AI293): a permission, not an exclusion of the therapies it names (therapy 22)
        return f"a permission of therapy for another cancer ({shortened(found.group(0), 60)!r}) is not an exclusion"
    if found := _QUOTA.search(clause):
        return f"an enrolment quota ({found.group(0)!r}) is not read as a requirement"
    if exclude and not v.ongoing:
        ids = {m.id for m in kept}
        for found in _NOT_EXCLUDED.finditer(c.text, high):
            again = [x for x in c.mentions if high <= x.start < found.start() and x.id in ids]
            if again and not re.search(r"[.;]", c.text[again[-1].end : found.start()]):
                # "Subject has been treated with Nab-Paclitaxel NOTE: Subjects who have had previous treatment with
                # Nab-Paclitaxel will NOT be excluded if given in the adjuvant or neoadjuvant setting" (NCT02379247)
                return f"a later sentence says some of the therapy will not exclude ({found.group(0)!r})"
    if require and (found := _ACCEPTED.search(clause)):
        # "Subjects with ... NPC who did't receive any Systemic chemotherapy ... are excepted." (NCT03121716, Y188)
        return f"a permission ({found.group(0).strip(' .')!r}) is not read as a requirement"
    sentence = _SENTENCE_END.search(c.text, kept[-1].end)
    if (
        exclude
        and v.within is None
        and (found := _UNREAD_EXCEPTION.search(c.text, kept[0].end, sentence.start() if sentence else len(c.text)))
    ):
        # "... or previous treatment with radiotherapy (except if previous radiotherapy treatment plus planned study
        # radiotherapy treatment allow tissues constrains)" (NCT02275286, Y161)
        return f"an exception told by a condition ({found.group(0)!r}) is not read"
    recent_surgery = require and v.within is not None and v.categories == ("surgery",)
    contraindication = _CONTRAINDICATION.search(clause)
    if c.section is Section.INCLUSION and recent_surgery and contraindication and not _HAD_VERB.search(clause):
        # "Major surgery or unhealed wound ≤ 2 weeks prior to registration." under the inclusions (NCT00093756, Y187):
        # an exclusion listed under the inclusions
        return f"a contraindication ({contraindication.group(0)!r}) under the inclusions is not a surgery required"
    return None


_CANDIDACY_ALTERNATIVE = cue("cue.therapy.candidacy_alternative")
_NONE_ALTERNATIVE = cue("cue.therapy.none_alternative")
_ALTERNATIVE_NOT_HAD = cue("cue.therapy.alternative_not_had")
_EITHER_TREATED = cue("cue.therapy.either_treated")
_OR_OPENING = cue("cue.therapy.or_opening")
_ANY_OF_LEAD_IN = cue("cue.therapy.any_of_lead_in")
_OR_JOIN = lazy_regex(r"\s*,?\s*(?:and/or|or)\s+", re.IGNORECASE)


def _dropped_alternative(c: CriterionText, kept: list[Mention]) -> Mention | None:
    """A surgery or radiotherapy dropped as no history (`_PROCEDURE_CUE`) that is joined by "or" or "and/or" to a
    therapy kept: "residual disease ... after surgery and/or chemotherapy" (NCT01445405, Y009)."""
    for x in c.mentions:
        if x.id not in _PROCEDURES or any(x is m for m in kept):
            continue
        for m in kept:
            between = (x.end, m.start) if x.end <= m.start else (m.end, x.start)
            if between[0] <= between[1] and _OR_JOIN.fullmatch(c.text, *between):
                return x
    return None


def _bare_alternative(c: CriterionText, kept: list[Mention]) -> str | None:
    """The last item, cut at ';', that names no therapy among the alternatives an any-of lead-in opens before the last
    therapy (`cue.therapy.any_of_lead_in`): "as evidenced by one or more of the following: previous ... response to
    ... gefitinib; known somatic mutation of the EGFR tyrosine kinase" (NCT00372515, Y027)."""
    lead = _ANY_OF_LEAD_IN.search(c.text, 0, kept[-1].start)
    if lead is None:
        return None
    offset, bare = lead.end(), None
    for item in c.text[lead.end() :].split(";"):
        if item.strip() and not any(offset <= x.start < offset + len(item) for x in c.mentions if _is_therapy(x)):
            bare = item.strip()
        offset += len(item) + 1
    return bare


def _another_way_in(r: _Read) -> str | None:
    """An alternative to having had a required therapy that a profile does not record: not being a candidate for it,
    there being none approved, not having had it, either way, a procedure or an item that names no therapy, or a
    criterion that opens on "or" (the alternative to the one before). A patient may enter by the alternative, so the
    therapy alone decides nothing."""
    c, high, kept, first, require = r.c, r.high, r.kept, r.first, r.require
    if require and (found := _CANDIDACY_ALTERNATIVE.search(c.text, first.end, high)):
        # "Tumor progression after receiving standard/approved chemotherapy, or lack of candidacy for standard
        # therapy" (NCT02229981): not being a candidate qualifies too, which a profile does not record
        return f"an alternative to having had it ({found.group(0)!r}) is not read"
    # "Tumor progression after standard chemotherapy, or where none yet approved" (NCT00413322)
    if require and (found := _NONE_ALTERNATIVE.search(c.text, first.end)):
        return f"an alternative of there being none ({found.group(0).strip(' ,')!r}) is not read"
    if require and (found := _ALTERNATIVE_NOT_HAD.search(c.text)):
        return f"an alternative to having had it ({shortened(found.group(0), 60)!r}) is not read"
    if found := _EITHER_TREATED.search(c.text):
        return f"a therapy not had, or either way ({found.group(0)!r}), is not read as one asked about"
    if _OR_OPENING.match(c.text):
        return "a criterion that opens on 'or' is an alternative to the one before"
    if require and (dropped := _dropped_alternative(c, kept)):
        # "after surgery and/or chemotherapy" (NCT01445405, Y009): a surgery alone meets it
        return f"an alternative ({dropped.text!r}) is not read"
    if require and (bare := _bare_alternative(c, kept)):
        return f"an alternative that names no therapy ({shortened(bare, 60)!r}) is not read"
    return None


_CO_ADMINISTERED = cue("cue.therapy.co_administered")
_TIMED_BY = cue("cue.therapy.timed_by")
# The study's time, not the patient's past: "Other chemotherapy, radiation therapy, ... may not be used while the
# patient is on study" (NCT00170157) (therapy 6)
_ON_STUDY = lazy_regex(
    r"\bwhile\s+(?:the\s+)?(?:(?:patients?|subjects?|participants?)\s+(?:is|are)\s+)?(?:on|in|receiving)\s+"
    r"(?:the\s+|this\s+)?(?:study|trial|protocol)\b"
    # "... or simultaneous radiotherapy during the trial treatment period" (NCT02477644, fresh sample 14's U209): the
    # study's time told by its period (therapy 9)
    r"|\bduring\s+(?:the\s+|this\s+)?(?:study|trial|protocol)(?:\s+(?:treatment|therapy|drug|intervention))?\s+"
    r"(?:period|phase)\b"
    # "other investigational anti-cancer therapy is not permitted during the treatment phase" (NCT01558492; therapy 16)
    r"|\bduring\s+the\s+treatment\s+(?:period|phase)\b"
    # "... other types of chemotherapy, and immunotherapy or biologic therapy must not be used" (NCT01086345, comorbid
    # sample 46's DF029; mend47): a rule of the study's treatment, with no window
    r"|\b(?:must|may|shall)\s+not\s+be\s+used\s*$",
    re.IGNORECASE,
)


def _during_the_study(r: _Read) -> str | None:
    """A therapy told by the study's own time or procedures, not the patient's past: one given with the study's
    drugs, one that times a biopsy or sample, one during the study. A profile records what she had before; read as
    a history, such a therapy would exclude (or require) on a treatment that is not hers."""
    v, clause = r.v, r.clause
    if not v.ongoing and (found := _CO_ADMINISTERED.search(clause)):
        # "Co-administration of anti-cancer therapies other than those administered in this study" (therapy sweep 2)
        return f"a therapy given with the study's ({found.group(0)!r}) is not read as a past one"
    if found := _TIMED_BY.search(clause):
        # "Biopsy must be after any prior chemotherapy" (NCT00787267): the biopsy's timing
        return f"a therapy that times a biopsy or sample ({found.group(0)!r}) is not read as one asked of the patient"
    # the study's time: "... may not be used while the patient is on study" (NCT00170157)
    if not v.ongoing and v.within is None and (found := _ON_STUDY.search(clause)):
        return f"a therapy during the study ({found.group(0)!r}) is not read as a past one"
    return None


_EVENT_DURING = cue("cue.therapy.event_during")


def _event_during(r: _Read) -> str | None:
    """An exclusion of an event told as happening during a prior therapy (`cue.therapy.event_during`: "Grade >=3 rash
    during prior thalidomide or lenalidomide therapy", NCT02103335): the event is excluded, not the therapy, which
    only times it, and a profile does not record the event. A requirement ("Progression during or after prior first-
    or second-line chemotherapy", NCT02514447) is the therapy's course, which the kind reads."""
    if r.exclude and (found := _before_one(r, _EVENT_DURING, 60)):
        return f"an event during a therapy ({found.group(0).strip()!r}) is not read as an exclusion of the therapy"
    return None


_BENEFIT_FROM = cue("cue.therapy.benefit_from")
_UNSAFE_FOR = cue("cue.therapy.unsafe_for")
_PRECLUDES = cue("cue.therapy.precludes")  # therapy 9
_ABILITY_TO_RECEIVE = cue("cue.therapy.ability_to_receive")
_ACCESS_TO = cue("cue.therapy.access_to")
_FIT_TO_RECEIVE = cue("cue.therapy.fit_to_receive")  # anchor21


def _need_or_possibility(r: _Read) -> str | None:
    """A therapy named for whether it could be had, not for having had it: one a condition needs or precludes, one
    she may benefit from, whether it could be given (her ability to receive it, her access to it). Read as a
    history, it would exclude or require on a treatment she may never have had."""
    c, low, kept, first = r.c, r.low, r.kept, r.first
    if all(_needed(c, low, m) for m in kept):
        return "a therapy a condition requires or needs is not read as one the patient had"
    # benefit: "Patients have no better choice and may be benefit from the use of anthracyclines" (NCT02043756)
    if found := _BENEFIT_FROM.search(c.text, low, first.start):
        return f"a therapy the patient may benefit from ({found.group(0)!r}) is not read as a past one"
    if found := _UNSAFE_FOR.search(r.clause):
        return f"whether a therapy could be given ({found.group(0)!r}) is not read as one had"
    if _before_each(r, _PRECLUDES, 80):
        # "Gross ascites seen on CT that precludes accurate targeting of the tumor with radiation therapy" (NCT00426829)
        return "a therapy a condition precludes is not read as one the patient had"
    if _before_each(r, _ABILITY_TO_RECEIVE, 80):
        # "... limiting the ability to receive the treatment regimen of this trial" (NCT02242942, V131)
        return "whether a therapy could be given (the ability to receive it) is not read as one had"
    if _before_each(r, _ACCESS_TO, 100):
        # "... or where there are barriers to the access of established therapies such as sunitinib, sorafenib, IFNα
        # or IL-2" (NCT00334282, S17-077): a circumstance of a route for untreated patients, not a therapy had
        return "whether a therapy can be had (access to it) is not read as one had"
    if _before_each(r, _FIT_TO_RECEIVE, 100):
        # "... must be considered not suitable to doxorubicin/anthracycline therapy" (NCT01131364), "the expected
        # stability of their performance status while receiving repeat weekly chemotherapy cycles" (NCT02993731, K072)
        return "whether the patient is fit for a therapy, or could take the protocol's course of it, is not read as one had"
    return None


_TO_RECEIVE = cue("cue.therapy.to_receive")
_PROTOCOL_BEFORE = cue("cue.therapy.protocol_before")
_PROTOCOL_DEFINED = cue("cue.therapy.protocol_defined")
_USE_AGAINST_PREVIOUS = cue("cue.therapy.use_against_previous")
_INITIATION_TIMED = cue("cue.therapy.initiation_timed")


def _protocol_schedule(r: _Read) -> str | None:
    """A therapy of the protocol's own schedule, not the patient's past: one she is to receive, one the protocol
    times, defines, plans or doses, a 'use' set against a 'previous use' (a current one). A profile records what she
    had; read as a history, such a therapy would exclude (or require) on a treatment that is not hers."""
    c, low, kept, v = r.c, r.low, r.kept, r.v
    clause, first = r.clause, r.first
    if found := _before_one(r, _TO_RECEIVE, 60):
        # "Patient must receive induction chemotherapy ... Completion of induction therapy will occur within 30 days of
        # first study drug dose" (NCT01653418, V385): the protocol's schedule or a plan, not a history
        return f"a therapy the patient is to receive ({found.group(0).strip()!r}) is not read as one had"
    # the first mention's words, then the others' only while each is told too (the first without stops the search)
    told = _PROTOCOL_BEFORE.search(c.text, max(low, first.start - 100), first.start)
    if told and all(_PROTOCOL_BEFORE.search(c.text, max(low, m.start - 100), m.start) for m in kept[1:]):
        # "... prior to administration of chemotherapy" (NCT03404752, X015), "expected not be able to complete 6 months
        # of adjuvant chemotherapy" (NCT02251977, X025): the protocol's treatment, not the patient's past one
        words = shortened(told.group(0).strip(), 60)
        return f"a therapy of the protocol's own schedule ({words!r}) is not read as one had"
    if found := _INITIATION_TIMED.search(c.text):
        # "Initiation of consolidation chemotherapy within 4-8 weeks of concurrent chemo-radiotherapy without
        # progression." (NCT01336543, K069): the protocol's schedule, not a therapy had within the window (therapy 21)
        words = shortened(found.group(0).strip(), 60)
        return f"a therapy's start timed by another ({words!r}) is the protocol's schedule, not read as one had"
    if found := _PROTOCOL_DEFINED.search(clause):
        # "Currently receiving cancer therapy as specified in the protocol" (NCT01387204, Y048)
        return f"a therapy the protocol defines, plans or doses ({found.group(0)!r}) is not read as one had"
    if r.exclude and not v.ongoing and (found := _USE_AGAINST_PREVIOUS.search(c.text)):
        # "Use of any ... (VEGF) targeted therapy or previous use of regorafenib" (NCT02664077, Y136)
        return f"a 'use' set against a 'previous use' ({found.group(0).strip()!r}) may be a current use only"
    return None


_SURGERY_AIM = cue("cue.therapy.surgery_aim")
_TKI_KIND = cue("cue.therapy.tki_kind")
_MAJOR_SURGERY = cue("cue.therapy.major_surgery")


def _plain_major_surgery(clause: str) -> bool:
    """Whether the clause names major surgery with no aim or site of its own, besides a named one: "Major surgery
    within 4 weeks of registration (breast cancer surgery regardless of timing is an exclusion criteria)"
    (NCT01484080) is a washout of any major surgery (therapy sweep 2 review); "History of major surgery to small
    intestine" (NCT00412412) is not."""
    aims = [found.span() for found in _SURGERY_AIM.finditer(clause)]
    return any(
        not any(a < major.end() and major.start() < b for a, b in aims) for major in _MAJOR_SURGERY.finditer(clause)
    )


# A therapy told as given with another: "an EGFR inhibitor in combination with 5-FU or a 5FU prodrug" (NCT00528281)
# asks about the combination, which the profile's separate therapies do not say was given; "alone or in combination
# with" is either (therapy 6)
_COMBINATION = lazy_regex(
    r"\b(?:in\s+combination\s+with|combined\s+with|in\s+conjunction\s+with)\b",
    re.IGNORECASE,
)
# "either as single agent or in combination with", "alone or in combination with": either (therapy 6)
_EITHER = lazy_regex(r"\b(?:alone|single[- ]agents?|monotherapy|either)\b[^.;]{0,20}$", re.IGNORECASE)
_EXPERIMENTAL_OF = cue("cue.therapy.experimental_of")
_SOME_OF = cue("cue.therapy.some_of")
_SETTING = cue("cue.therapy.setting")
_SETTING_GAP = lazy_regex(r"\s+(?:(?:or|and|and/or)\s+[\w-]+\s+)?(?:[\w-]+\s+)?")
_SETTING_NEAR = lazy_regex(r"[^.;]{0,60}")


def _setting(c: CriterionText, low: int, high: int, kept: list[Mention]) -> str | None:
    """The setting a therapy was given in (`cue.therapy.setting`), which the profile does not record: a setting word
    at most two words before a therapy ("Concurrent adjuvant cancer therapy", NCT02643420), or the disease a surgery or
    radiotherapy was given for, after it ("for the treatment of metastatic disease", NCT02077881)."""
    for found in _SETTING.finditer(c.text, low, high):
        for m in kept:
            before = found.group("word") and found.start() >= m.start - 40
            if before and _SETTING_GAP.fullmatch(c.text, found.end(), m.start):
                return c.text[found.start() : m.start].strip()  # "neoadjuvant or adjuvant", not "neoadjuvant"
            if (
                m.id in _PROCEDURES
                and not found.group("word")
                and _SETTING_NEAR.fullmatch(c.text, m.end, found.start())
            ):
                return found.group(0)
    return None


_KINASE_KIND = cue("cue.therapy.kinase_kind_before")
# a kinase inhibitor named by a target word the vocabulary does not take: "aurora kinase inhibitor" (NCT02219789),
# "Raf-Kinase inhibitors" (NCT00619541)
_KINASE_WORD = lazy_regex(r"\b(?P<t>[A-Za-z][A-Za-z0-9]*)(?:\s+[A-Z0-9])?\s*[\s-]\s*$")
_GENERIC_TEXT = (
    "tyrosine multi multikinase multitargeted targeted oral prior previous any other molecule small protein a an the "
    "of with or and novel selective receptor specific another including no serine threonine more to for than in on by "
    "as at from such these those all tyrosin kinase one two factor"
)
_GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())


def _kinase_of_one_target(r: _Read) -> str | None:
    """A kinase inhibitor of one target or kind, which its class does not tell apart: a target with no class of its
    own ("BTK tyrosine kinase inhibitor"), a kind told in the clause ("No Bruton's tyrosine kinase inhibitor", "3rd
    generation TKI": `cue.therapy.tki_kind`), or, for an exclusion, a kind or a target word just before a class left
    whole (`cue.therapy.kinase_kind_before`: "tyrosin kinase inhibitor", NCT01298713; "aurora kinase inhibitor",
    NCT02219789; "Raf-Kinase inhibitors", NCT00619541)."""
    c, low, high, kept, polarity, v, targets = r.c, r.low, r.high, r.kept, r.polarity, r.v, r.targets
    if name := next((t.name for t in targets.values() if t and t.class_id is None), None):
        return name
    if "class.tki" in v.classes and (found := _TKI_KIND.search(c.text, low, high)):
        return found.group(0)
    for m in kept if polarity is Polarity.EXCLUDE else ():
        if m.id not in _ANY_TKI or m.id not in v.classes:
            continue
        if found := _KINASE_KIND.search(c.text, max(low, m.start - 30), m.start):
            return found.group(0).strip()
        found = _KINASE_WORD.search(c.text, max(0, m.start - 25), m.start)
        word = found.group("t") if found else ""
        plain = word.lower() in _GENERIC_WORDS or word.lower().endswith(("ed", "al", "ar", "ly", "ic", "ive", "ing"))
        if len(word) > 2 and not plain and not word.isupper():
            return word
    return None


_DISEASE_DESCRIBED = cue("cue.therapy.disease_described")
_INTENT_QUALIFIED = cue("cue.therapy.intent_qualified")
_SPECIFIC_CLASS = cue("cue.therapy.specific_class")
_FIELD_OVERLAP = cue("cue.therapy.field_overlap")
_THIS_EPISODE = cue("cue.therapy.this_episode")


def _qualified_therapy(r: _Read) -> str | None:
    """A therapy qualified by what a profile does not record, which the class or category read does not tell apart:
    a surgery's aim or site, a radiotherapy's site, share, kind or field, a systemic therapy told by what it is given
    with (`_narrowed`), a combination, a setting (adjuvant, metastatic), an intent (curative), an experimental drug of
    a class, some of a class, a class told as specific, a kinase inhibitor of one target or kind. Read as the whole
    class, it would exclude on a therapy of another kind."""
    c, low, high, kept, v, clause, first = r.c, r.low, r.high, r.kept, r.v, r.clause, r.first
    exclude = r.exclude
    surgery_only = v.categories == ("surgery",) and exclude  # a required one: no surgery fails
    if surgery_only and (found := _SURGERY_AIM.search(clause)) and not _plain_major_surgery(clause):
        # "No prior surgery to remove tumor" (NCT00003652), "Previous prostatic surgery" (NCT00128531)
        return f"surgery of a named aim or site ({found.group(0)!r}) is not told apart from other surgery"
    # combination: "an EGFR inhibitor in combination with 5-FU" (NCT00528281); "alone or in combination" is either
    found = _COMBINATION.search(c.text, first.end, high)
    if exclude and found and not _EITHER.search(c.text, max(low, found.start() - 40), found.start()):
        return f"a therapy given in combination ({found.group(0)!r}) is not told apart from either given alone"
    if exclude and (setting := _setting(c, low, high, kept)):
        return f"the setting a therapy was given in ({setting!r}) is not on file"
    if (
        exclude
        and (trial := _IN_A_TRIAL.search(c.text, low, high))
        and any(m.label == "DRUG" and trial.start() <= m.start < trial.end() for m in kept)
    ):
        # "Has participated in any other pembrolizumab trial and has been treated with pembrolizumab." (NCT02775435,
        # comorbid sample 50's DJ043): the drug given in a trial of it, which a profile does not say. Not "or
        # participated in an MK-3475 clinical trial" beside a therapy barred on its own, nor a study of an
        # investigational agent (no drug named)
        return f"a therapy asked as given in a trial of it ({trial.group(0)!r}) is not told apart from others"
    for m in kept if exclude else ():
        experimental = m.label == "CLASS" and _EXPERIMENTAL_OF.search(c.text, max(low, m.start - 80), m.start)
        if experimental and ")" not in c.text[experimental.end() : m.start]:
            # "Treatment with experimental drugs (mTor inhibitor or ...)" (NCT01298713)
            return f"a class of experimental drugs ({experimental.group(0)!r}) is not told apart from approved ones"
    if exclude and (part := _before_one(r, _SOME_OF, 40)):
        return f"some therapies of a class ({part.group(0).strip()!r}) are not the whole class"
    radiotherapy_only = v.categories == ("radiotherapy",) and not v.drugs and not v.classes
    if radiotherapy_only and exclude and v.within is None and (found := _RADIOTHERAPY_OF_KIND.search(c.text)):
        return _sited_reason(found.group(0))
    if kinase := _kinase_of_one_target(r):
        return f"a kind of kinase inhibitor, of one target or kind ({kinase!r}), is not told apart from others"
    if found := _DISEASE_DESCRIBED.search(c.text, max(low, kept[0].start - 60), kept[0].start):
        # "advanced non-hematologic malignancy that is not curable by standard surgery, ..." (NCT00512798, Y137)
        return f"a disease described by the therapies that cannot treat it ({found.group(0).strip()!r}) is not read"
    if other := r.another_disease:
        # "No prior radiotherapy for LCIS" (NCT00096369, X032), "for amyloidosis" (Y021), "for head and neck cancer"
        return f"a therapy for another cancer ({other!r}) is not told apart from the patient's"
    if found := _THIS_EPISODE.search(c.text, first.end, high):
        # "Patients may not have received any systemic therapy for the treatment of this recurrence or relapse"
        # (NCT00087451, fresh sample 20's AA002): the recurrence is the trial's disease, a glioma's there, not her thyroid
        # cancer; nor does a profile tell which recurrence a therapy treated (therapy 20)
        return f"a therapy for one recurrence ({found.group(0)!r}) is not told apart from therapy of the cancer before"
    if exclude and (found := _INTENT_QUALIFIED.search(c.text, max(low, kept[0].start - 40), kept[0].start)):
        # "No other concurrent, curative anticancer therapy" (NCT00262769, Y141): a palliative one is not curative; the
        # intent heads the fact's therapies ("Has had chemotherapy, ..., definitive radiation" is no curative chemo)
        return f"a therapy of a given intent ({found.group(0).strip()!r}) is not told apart from others"
    for m in kept if exclude else ():
        if m.label == "CLASS" and (found := _SPECIFIC_CLASS.search(c.text, max(low, m.start - 30), m.start)):
            # "or other specific EGFR inhibitor" (NCT00436072, Y093): vandetanib is an EGFR inhibitor, not a specific one
            return (
                f"another class told as specific ({found.group(0).strip()!r}) is not told apart from multi-target drugs"
            )
    if "radiotherapy" in v.categories and (found := _FIELD_OVERLAP.search(c.text)):
        # "Overlap of treatment field with a previous radiation field" (NCT00610246, Y198)
        return f"where a radiotherapy's field lay ({shortened(found.group(0), 60)!r}) is not on file"
    return None
