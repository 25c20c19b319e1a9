"""How the words around a prior-therapy reading refine its values, before the doubts read it: narrowed (a
cytotoxic therapy is chemotherapy; a systemic therapy told by what it is given with or targets), widened (an
anticancer treatment whose examples name a local one; an alternative the vocabulary does not read, told as systemic),
split (a systemic therapy told as one kind only; therapies asked both), made a current therapy's (to be stopped
before entry), a window from stopping to a progression dropped, an investigational agent told as such, a targeted
therapy or an antibody of one target, and a counting note that counts other therapies in."""

from __future__ import annotations

import re

import msgspec

from matcher.eligibility.criteria import Fact, Polarity, shortened
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import lazy_regex
from matcher.eligibility.kinds.therapy.diseases import (
    _OTHER_CANCER_ABBREVIATION,
    _OTHER_THAN,
    _diseases,
    _site_given_for,
)
from matcher.eligibility.kinds.therapy.evaluator import TherapyValues, parts
from matcher.eligibility.kinds.therapy.reading import _COUNTED, _EXAMPLES, _PROCEDURES, _an_example, _is_therapy
from matcher.eligibility.text import (
    THERAPY_CONCEPTS,
    CriterionText,
    Mention,
    sentence_break,
    sentence_start,
)
from matcher.knowledge_base import KnowledgeBase


def _counting_widened(c: CriterionText, facts: list[Fact]) -> list[Fact]:
    """Facts beside a statement that counts other therapies in ("treatment with EGFR tyrosine kinase inhibitors will
    be counted as one regimen", NCT01069757) are uncertain: the count they ask for takes therapies they do not name.
    A statement that counts some out ("radiotherapy is not counted as a line of therapy") leaves them as read."""
    widening = [m for m in _COUNTED.finditer(c.text) if not re.search(r"\bnot\b", m.group(0), re.I)]
    if not widening:
        return facts
    doubt = f"the text counts other therapies in ({widening[0].group(0)!r})"
    return [f.doubted(doubt) for f in facts]


def _antibody_of_mixed_class(c: CriterionText, kb: KnowledgeBase, kept: list[Mention]) -> Mention | None:
    """A class named as an antibody's target (`cue.therapy.antibody_of_target`: "anti-EGFR antibodies") whose drugs
    are not all antibodies (EGFR inhibitors hold vandetanib; CTLA-4 inhibitors hold antibodies only)."""
    for m in kept:
        if (
            m.label == "CLASS"
            and m.id in kb.classes
            and (antibody := _ANTIBODY_OF.match(c.text, m.end))
            and not any(x is not m and x.id == m.id for x in kept)  # "anti-HER2 antibody or ... HER2 inhibitors"
            and not _OR_OTHER.match(
                c.text, antibody.end()
            )  # "anti-VEGF antibody or other VEGF/VEGF-R targeted therapy"
            and any(
                m.id in closure and "class.monoclonal_antibody" not in closure
                for drug in kb.drugs.values()
                if (closure := frozenset().union(*(kb.class_closure(x) for x in drug.classes if x in kb.classes)))
            )
        ):
            return m
    return None


_OR_OTHER = lazy_regex(r"\s*(?:\([^()]*\)\s*)?,?\s*(?:and/)?or\s+(?:any\s+)?other\b", re.I)
_ANTIBODY_OF = cue("cue.therapy.antibody_of_target")
# a target before "targeted": "Aurora A-targeted agents" (NCT01045421), "HER2-targeted therapy"; a target in mixed
# case, with a slash or a hyphen ("other Her2/ErbB2 targeted therapy" NCT00558103, "HER-2 targeted agents" NCT01471847,
# "IGF1-R targeted therapy" NCT00728390; review round 2), but not a capitalised word ("Oral targeted therapy")
_TARGETED_BY = lazy_regex(
    r"\b(?P<g>[A-Z]\w{0,12}(?:\s+[A-Z0-9]{1,2})?)\s*-\s*$"
    r"|\b(?P<u>[A-Z][A-Z0-9]{1,8}|[A-Z](?=[\w/-]*[A-Z0-9])[\w/-]{1,12})\s+$"
)
_TARGET_NOUN = lazy_regex(
    r"(?P<t>(?:\(?[\w-]+\)?\s+)?(?:receptors?|ligands?|family|checkpoints?|pathways?|class))\s*-?\s*$", re.I
)
_NOT_A_TARGET = lazy_regex(r"(?:VEGF\w*|Prior|Previous|Any|Other|No|The|A|An|Molecular|Molecularly)\b", re.IGNORECASE)


def _targeted_of_one_target(
    c: CriterionText, kb: KnowledgeBase, read: tuple[int, int, list[Mention]], polarity: Polarity, v: TherapyValues
) -> tuple[TherapyValues, str | None]:
    """A targeted therapy named with its target ("Aurora A-targeted agents, including MLN8237", NCT01045421; "other
    EGFR-targeted agents") is a class of that target, not any targeted therapy (sorafenib). A requirement with no cap
    keeps the wider class (no targeted therapy at all is none of that target either); otherwise the target's class
    ("EGFR inhibitor") takes its place when the vocabulary has one and the clause excepts nothing, else the class is
    dropped when the fact names other therapies (an exclusion read narrower stays sound), else the fact is uncertain."""
    low, high, kept = read
    if "class.targeted_therapy" not in v.classes or (polarity is Polarity.REQUIRE and v.max_count is None):
        return v, None
    for m in kept:
        if m.id != "class.targeted_therapy":
            continue
        found = _TARGETED_BY.search(c.text, max(0, m.start - 20), m.start)
        target = (found.group("g") or found.group("u")) if found else None
        if target is None and (told := re.match(r"([A-Za-z0-9]+)-targeted", m.text)):
            target = told.group(1)
        if target is None and (noun := _TARGET_NOUN.search(c.text, max(0, m.start - 40), m.start)):
            # a target told by a lower-case noun: "HER family-targeted therapy" (NCT00551421), "immune checkpoint
            # targeted therapy" (NCT03652233), "(RANK) ligand targeted agents" (NCT02107703) (therapy 6)
            target = noun.group("t")
        if not target or _NOT_A_TARGET.match(target) or _EXAMPLES.search(c.text, low, m.start):
            continue  # "No previous therapy for the tumor, including ... EGFR targeted therapy" (NCT00882583): an example
        known = kb.class_by_name(f"{target} inhibitor")
        if known is not None and known.id != m.id and not _OTHER_THAN.search(c.text, low, high):
            classes = tuple(sorted({known.id if x == m.id else x for x in v.classes}))
            return msgspec.structs.replace(v, classes=classes), None
        if polarity is Polarity.EXCLUDE and (v.drugs or v.categories or len(v.classes) > 1):
            classes = tuple(x for x in v.classes if x != "class.targeted_therapy")
            return msgspec.structs.replace(v, classes=classes), None
        return v, f"a therapy of one target ({target}) is not told apart from other targeted therapies"
    return v, None


def _antibody_of_unknown_target(
    c: CriterionText, kb: KnowledgeBase, read: tuple[int, int, list[Mention]], polarity: Polarity, v: TherapyValues
) -> tuple[TherapyValues, str | None]:
    """Monoclonal antibodies each named with its target are antibodies of those targets, not any antibody: "anti-CD33
    monoclonal antibody therapy (e.g., SGN-CD33 or Mylotarg)" (NCT02446964, comorbid sample 36's CV046) does not bar
    pembrolizumab, nor does "anti-CTLA-4 monoclonal antibody" (read as CTLA-4 inhibitors). The antibody class is
    dropped from an exclusion that names other therapies or the target's own class (read narrower, it stays sound),
    else the fact is uncertain. Read as before: an antibody named without a target or "or (any) other" antibodies
    beside it, a target with a class the reading lacks, and a requirement with no cap (no antibody at all is none of
    the target either, as `_targeted_of_one_target` keeps its wider class)."""
    low, _, kept = read
    antibodies = [m for m in kept if m.id == "class.monoclonal_antibody"]
    if not antibodies or (polarity is Polarity.REQUIRE and v.max_count is None):
        return v, None
    targets = []
    for m in antibodies:
        if _OR_OTHER.match(c.text, m.end):
            return v, None
        found = (
            _ANTI_TARGET.search(c.text, max(low, m.start - 30), m.start)
            or _ANTIBODY_KIND.search(c.text, max(low, m.start - 30), m.start)
            or _TARGETING_AFTER.match(c.text, m.end)
        )
        if found is None:
            return v, None
        known = kb.class_by_name(f"{target} inhibitor") if (target := found.groupdict().get("t")) else None
        if known is not None and known.id not in v.classes:
            return v, None  # a target with a class the reading lacks ("targeting PD-1 or PD-L1"): read as before
        targets.append(" ".join((found.groupdict().get("told") or found.group(0)).split()))
    classes = tuple(x for x in v.classes if x != "class.monoclonal_antibody")
    if polarity is Polarity.EXCLUDE and (v.drugs or v.categories or classes):
        return msgspec.structs.replace(v, classes=classes), None
    told = ", ".join(dict.fromkeys(targets))
    return v, f"an antibody of one target or kind ({told}) is not told apart from other antibodies"


# "anti-CD33 ", "anti-GD2 ": a target in capitals (with digits, "/" or "-") right before the antibody's name; its number
# may stand apart, "anti-CTLA 4 monoclonal antibody" (NCT00702923, comorbid sample 41's DA028; mend42)
_ANTI_TARGET = lazy_regex(
    r"\b[Aa]nti\s*-\s*(?P<t>[A-Z][A-Z0-9]*\d[A-Z0-9]*(?:[/-][A-Z0-9]+)*|[A-Z]{2,}[A-Z0-9]*(?:[/-][A-Z0-9]+)*(?: \d+)?)"
    r"\s+$"
)
# ... or the antibody's kind: "anti-cancer murine monoclonal antibody therapy" (NCT00226941, comorbid sample 37's CW010)
# does not bar a humanized pembrolizumab, nor does "Prior radio- or toxin-conjugated antibody therapy" (NCT02970318,
# comorbid sample 38's CX038). Not "humanized", which pembrolizumab is, nor "non-conjugated" or "naked or conjugated",
# which are any antibody (the reviews of rules 58 and 59)
_ANTIBODY_KIND = lazy_regex(
    r"(?<!non-)(?<!non)(?<!naked or )(?<!unconjugated or )\b"
    r"(?:murine|mouse|rat|chimeric|chimerized|conjugated|radiolabell?ed|radio-?immuno)\s+$",
    re.IGNORECASE,
)
# ... or a target after it, and after the therapies listed with it: "monoclonal antibody or signal transduction
# inhibitors targeting epidermal growth factor receptor" (NCT02383966, comorbid sample 37's CW026)
# ... or past its abbreviation (after either mention) and "treatment ... specifically": "Previous monoclonal antibody
# (mAb) treatment specifically directed against platelet-derived growth factor (PDGF) or PDGF receptors" (NCT01268059,
# comorbid sample 55's DO312)
_TARGETING_AFTER = lazy_regex(
    r"(?:\s*\))?(?:\s*\([^()]{0,12}\))?(?:\s+(?:treatments?|therap(?:y|ies)))?"
    r"(?:\s+(?:and/or|or|and)\s+[\w\s-]{0,40}?)?"
    r"\s+(?:specifically\s+)?(?P<told>(?:targeting|directed\s+(?:against|at|to))\s+(?:the\s+)?(?P<t>[\w-]+)"
    r"(?:\s+[\w-]+){0,4})",
    re.IGNORECASE,
)


def _unread_alternative(
    c: CriterionText, read: tuple[int, int, list[Mention]], polarity: Polarity, v: TherapyValues
) -> tuple[TherapyValues, str | None]:
    """A required therapy joined by "or" to one the vocabulary does not read ("at least one line of palliative therapy
    (chemotherapy or biological therapy)", NCT01799161, fresh sample 13's T058): the other qualifies too. Told as a
    systemic therapy (biologic, hormonal, targeted ...: `cue.therapy.systemic_alternative`) and with no count cap, the
    requirement is widened to any systemic therapy, which a patient without one still fails (sample 10's Q033); else it
    is uncertain (therapy 7)."""
    low, high, kept = read
    if polarity is not Polarity.REQUIRE:
        return v, None
    # not a partner of the therapy asked ("anti-HER2 therapy ... combined with chemotherapy or hormonal therapy",
    # NCT00679211): what it was given with
    if any(_PARTNER_BEFORE.search(c.text, max(low, x.start - 30), x.start) for x in kept):
        return v, None
    for m in kept:
        for found in (_UNREAD_ALTERNATIVE.match(c.text, m.end, high),
                      _UNREAD_ALTERNATIVE.search(c.text, max(low, m.start - 40), m.start),
                      _STANDARD_CARE_ALTERNATIVE.search(c.text, max(low, m.start - 60), m.start),
                      _STANDARD_THERAPY_ALTERNATIVE.search(c.text, max(low, m.start - 60), m.start)):  # fmt: skip
            if (
                found
                and (found.end() == m.start or found.start() == m.end)
                and not _read_alternative(c, m, found.start(), found.end())
            ):
                # the alternative's own words, and the kind it names by "with" or "of" ("or treatment with a hormonal
                # agent", NCT03514836); never the therapy read beside it, which would tell every alternative before a
                # chemotherapy ("local therapy or chemotherapy") as systemic (review of therapy 7)
                told = found.group(0)
                if found.start() == m.end and (by := _TOLD_BY.match(c.text, found.end())):
                    told += " " + re.split(r"[,;()]", c.text[by.end() : by.end() + 30])[0]
                if _SHARED_NOUN_HORMONAL.fullmatch(told.strip()):
                    # "Prior treatment with hormonal and/or radiation therapy" (NCT00063570, comorbid sample 32's
                    # CR278): the vocabulary holds no hormonal drug, so a drug it does not hold may be one (as an
                    # unread drug is), and one it holds is not; widened to any systemic therapy, a lenvatinib would
                    # meet it (earlier samples' M065, AD008)
                    return msgspec.structs.replace(v, unread_drugs=(*v.unread_drugs, "hormonal")), None
                if v.max_count is None and _SYSTEMIC_ALTERNATIVE.search(told):
                    categories = tuple(sorted({*v.categories, "systemic"}))
                    return msgspec.structs.replace(v, categories=categories), None
                return v, f"an alternative the vocabulary does not read ({found.group(0).strip()!r}) is not read"
    return v, None


def _read_alternative(c: CriterionText, m: Mention, start: int, end: int) -> bool:
    """Whether a therapy of the vocabulary is named in the alternative at start-end, or right after it by "with" or
    "of" ("and/or treatment with radiation and temozolomide", NCT02253212)."""
    told = _TOLD_BY.match(c.text, end)
    last = told.end() if told else end
    return any(
        (start < x.end and x.start < end) or (told and x.start == last)
        for x in c.mentions
        if x is not m and _is_therapy(x)
    )


_SYSTEMIC_ALTERNATIVE = cue("cue.therapy.systemic_alternative")
# a hormonal kind told by its adjective alone, sharing the noun of the therapy read after it ("hormonal and/or ")
_SHARED_NOUN_HORMONAL = lazy_regex(r"(?:hormonal|endocrine)\s*,?\s*(?:or|and/or)", re.IGNORECASE)
_PARTNER_BEFORE = lazy_regex(r"\b(?:with|plus)\s+$", re.IGNORECASE)
_TOLD_BY = lazy_regex(r"\s+(?:with|of)\s+(?:an?\s+|the\s+)?", re.IGNORECASE)
_UNREAD_ALTERNATIVE = cue("cue.therapy.unread_alternative")
# "No prior cytotoxic anticancer therapy" (NCT00002633): chemotherapy, not any systemic therapy; not "non-cytotoxic"
# and not one of a list ("Any cytotoxic or biologic therapy", NCT02372240). Not "cytostatic": GOG texts use it for the
# non-cytotoxic agents ("Non-cytotoxic (biologic or cytostatic) agents", NCT00722592), so a required one is not chemo.
_CYTOTOXIC_BEFORE = lazy_regex(r"(?<![\w-])cytotoxic\s+(?:(?!(?:or|and|and/or|nor|plus)\s)[\w-]+\s+)?$", re.IGNORECASE)
# "systemic therapy with ramucirumab" (NCT02572687), "systemic therapy ... targeting programmed death (PD) 1"
# (NCT02572687), "Prior systemic therapy with cytostatics" (NCT01374789): the systemic therapy is only what follows
_SYSTEMIC_QUALIFIED = lazy_regex(
    r"\s*(?:\([^()]*\)\s*)?(?:with|targeting|directed\s+(?:at|against))\s+"
    r"(?!(?:any|all|other|or|and|an?|the|no|therapeutic|curative|palliative)\b)",
    re.IGNORECASE,
)


def _narrowed(
    c: CriterionText, read: tuple[int, int, list[Mention]], polarity: Polarity, v: TherapyValues
) -> tuple[TherapyValues, str | None]:
    """The reading widened by local examples, or narrowed (a cytotoxic or a qualified systemic therapy), and why a
    qualified systemic therapy alone is uncertain (therapies 8 and 9)."""
    low, high, kept = read
    systemic = [m for m in kept if m.id == "concept.systemic_therapy"]
    # not under a cap ("at most N"): widened, a capped requirement would count more therapies against its cap and so
    # could be violated by a past radioiodine (review rev14)
    if polarity is Polarity.REQUIRE and v.max_count is None and (local := _local_examples(c, high, systemic)):
        # "Received at least once anti-cancer treatment (including chemotherapy, radiotherapy, biological or endocrine
        # treatment)" (NCT01278810, fresh sample 14's U158): an anticancer treatment whose examples name a local one
        # is any anticancer treatment, not only a systemic one; widened, a requirement is only met more easily
        # (radioiodine is a radiotherapy; therapy 9)
        categories = tuple(sorted({*v.categories, *local}))
        v = msgspec.structs.replace(v, categories=categories)
    if systemic and "systemic" in v.categories:
        if all(_CYTOTOXIC_BEFORE.search(c.text, max(low, m.start - 30), m.start) for m in systemic):
            categories = tuple(x for x in v.categories if x != "systemic")
            classes = tuple(sorted({*v.classes, "class.chemotherapy"}))
            v = msgspec.structs.replace(v, categories=categories, classes=classes)
        elif polarity is Polarity.EXCLUDE and all(_SYSTEMIC_QUALIFIED.match(c.text, m.end) for m in systemic):
            categories = tuple(x for x in v.categories if x != "systemic")
            if not (v.drugs or v.classes):
                return v, "a systemic therapy told by what it is given with or targets is not read as any"
            v = msgspec.structs.replace(v, categories=categories)
    return v, None


def _local_examples(c: CriterionText, high: int, systemic: list[Mention]) -> set[str]:
    """The local therapies (radiotherapy, radioiodine, surgery) among the examples of an anticancer treatment not told
    as systemic ("anti-cancer treatment (including chemotherapy, radiotherapy, ...)"), as categories (therapy 9)."""
    found: set[str] = set()
    for m in systemic:
        if "systemic" in m.text.lower():
            continue
        for x in c.mentions:
            if m.end <= x.start < high and x.id in _PROCEDURES and _an_example(c.text, m.end, x.start):
                found.add(THERAPY_CONCEPTS[x.id])
                if x.id == "concept.radiotherapy":
                    found.add("radioiodine")
    return found


_STOPPED_BEFORE_ENTRY = cue("cue.therapy.stopped_before_entry")
_PROGRESSED_AFTER_STOPPING = cue("cue.therapy.progressed_after_stopping")
_ANTICANCER_NOT_SYSTEMIC = cue("cue.therapy.anticancer_not_systemic")
_LINE_NOT_SYSTEMIC = cue("cue.therapy.line_not_systemic")  # therapy 17
_REGIMEN_NOT_SYSTEMIC = cue("cue.therapy.regimen_of_therapy_not_systemic")  # regimen21
_LOCAL_KINDS = ("radioiodine", "radiotherapy")


def _reread(
    c: CriterionText, read: tuple[int, int, list[Mention]], polarity: Polarity, v: TherapyValues
) -> tuple[TherapyValues, re.Match[str] | None]:
    """The reading changed by what the text tells of stopping and of local therapy: a therapy to be stopped before
    entry is a current one (and the words that say so, for `_window_unread`'s doubt), a window from stopping a therapy
    to a progression is not the therapy's, and an anticancer treatment not told as systemic may also be a radioiodine
    or radiotherapy (`_maybe_local`)."""
    low, high, kept = read
    stopped = _STOPPED_BEFORE_ENTRY.search(c.text, kept[-1].end, high)
    if polarity is Polarity.EXCLUDE and v.within is None and stopped:
        # "Treatment with any other anti-cancer therapy ... must be stopped prior to day of enrolment" (NCT00268593,
        # V104): a washout of no length, met by stopping: only a current therapy is asked about, and it may stop
        return msgspec.structs.replace(v, ongoing=True), stopped
    if (
        polarity is Polarity.REQUIRE
        and v.within is not None
        and not v.ongoing
        and _PROGRESSED_AFTER_STOPPING.search(c.text, low, high)
    ):
        # "progression on or after stopping treatment with VEGF-targeted therapies within 6 months" (NCT01152801, V268):
        # the window is from stopping to the progression, not from the therapy to today; the therapy is required at
        # any time, and a progression after it is not one on it
        v = msgspec.structs.replace(v, within=None, progressed=False)
    generic = v.categories == ("systemic",) and not v.drugs and not v.classes
    if polarity is Polarity.REQUIRE and generic and all(_anticancer_not_systemic(c, low, m) for m in kept):
        # "Only one prior anti-tumor treatment regimen in the non-curative setting", "Progressive disease following
        # the previous anti-tumor treatment regimen" (NCT00297089, V146 and V147): her radioiodine may be it
        v = msgspec.structs.replace(v, maybe_categories=_LOCAL_KINDS)
    return v, None


def _anticancer_not_systemic(c: CriterionText, low: int, m: Mention) -> bool:
    """Whether a systemic-therapy mention names an anticancer treatment, a line or a regimen without saying systemic
    (read on the mention and the words just before it, `cue.therapy.anticancer_not_systemic`, `line_not_systemic`)."""
    if m.id != "concept.systemic_therapy":
        return False
    told = c.text[max(low, m.start - 25) : m.end]
    if _ANTICANCER_NOT_SYSTEMIC.search(told):
        return True
    # a line or regimen not told as systemic ("at least one prior line of therapy", NCT00532389, Y131: therapy 17),
    # whose sentence names no drug or class it is of ("1-3 lines of therapy ..., including at least one standard
    # chemotherapy-containing regimen", NCT02005471)
    start, end = sentence_start(c.text, m.start), (found.start() if (found := sentence_break(c.text, m.end)) else None)
    named = any(x.label in ("DRUG", "CLASS") and start <= x.start < (end or len(c.text)) for x in c.mentions)
    # nor a line given for another cancer: "at least 1 prior line of therapy for MM" is one she lacks (X140)
    end = c.clause(m.start)[1]
    other = _site_given_for(c, m.end, _diseases(c, m.end, end, (_OTHER_CANCER_ABBREVIATION,)))
    if not named and not other and _LINE_NOT_SYSTEMIC.search(told):
        return True
    # "at least 2 prior regimens of therapy" (NCT01126450, AC151 and AD170: regimen21): the words after the mention
    # say it is a regimen of any therapy; read up to its clause's end, which may still tell it systemic
    after = c.text[max(low, m.start - 25) : min(c.clause(m.start)[1], m.end + 40)]
    return not named and not other and bool(_REGIMEN_NOT_SYSTEMIC.search(after))


_KIND_BEFORE_ANTICANCER = cue("cue.therapy.kind_before_anticancer")
_IN_ANOTHER_TRIAL = cue("cue.therapy.in_another_trial")
_STANDARD_CARE_ALTERNATIVE = cue("cue.therapy.standard_care_alternative")
# "prior first line standard therapy (or effective salvage chemotherapy regimens)" (NCT02153905, AC228 and AD235:
# regimen21): any standard therapy, which for her cancer may be a local one, not only the chemotherapy
_STANDARD_THERAPY_ALTERNATIVE = cue("cue.therapy.standard_therapy_alternative")
# a bracket right after a systemic therapy that tells what it is, as a list and not as examples: "systemic treatment
# (chemotherapy or trabectedin)" (NCT02275286, S17-169); "(i.e. ...)" tells it too, "(e.g. ...)" does not
_DEFINING_BRACKET = lazy_regex(r"\s*\(\s*(?:i\.\s?e\.?,?\s*|ie,?\s+|namely,?\s+)?(?P<list>[^()]{1,80})\)")
_NOT_A_LIST = lazy_regex(
    r"^(?:e\.\s?g|eg\b|including|includ|such\s+as|for\b|except|excluding|within|not\b|no\b|at\s+least|as\b|in\b|with\b|"
    r"\d)|\b(?:etc|days?|weeks?|months?|standard|any|all|other)\b",
    re.IGNORECASE,
)
_ANY_KIND = lazy_regex(r"\bany\s+(?:type|kind|form|sort)s?\s+of\s+$", re.IGNORECASE)
# a generic anticancer therapy heading the list, read or not: "No other concurrent antineoplastic or antitumor agents,
# including chemotherapy, radiotherapy, immunotherapy, or hormonal anticancer therapy" (NCT00280150) is any of them
_GENERIC_HEAD = lazy_regex(r"\b(?:anti-?\s?neoplastic|anti-?\s?tumou?r|anti-?\s?cancer|systemic|cancer\s+therap)", re.I)
_LIST_ITEM_JOIN = lazy_regex(r"\s*(?:,\s*(?:(?:and|or|and/or)\s+)?|/|\s(?:and/or|or|and)\s)\s*", re.IGNORECASE)


def _told_systemic(c: CriterionText, m: Mention) -> str | None:
    """What tells a generic systemic therapy as one kind only (therapy 16b): a kind just before it ("hormonal cancer
    therapy", NCT01313390), another trial it is given in ("anti-cancer treatment in another investigational trial",
    NCT02586025), or a bracket right after it that lists what it is ("systemic treatment (chemotherapy or
    trabectedin)", NCT02275286)."""
    if m.id != "concept.systemic_therapy":
        return None
    if not m.text.lower().startswith("systemic") and (kind := _KIND_BEFORE_ANTICANCER.search(c.text, 0, m.start)):
        return f"{kind.group(0).strip()} {m.text}"
    if trial := _IN_ANOTHER_TRIAL.match(c.text, m.end):
        return f"{m.text}{trial.group(0)}"
    # "Anticancer treatment (chemotherapy, radiotherapy)", "Any type of systemic therapy (...)": examples
    if not m.text.lower().startswith("systemic") or _ANY_KIND.search(c.text, 0, m.start):
        return None
    bracket = _DEFINING_BRACKET.match(c.text, m.end)
    if bracket is None or _NOT_A_LIST.search(bracket.group("list").strip()):
        return None
    items = [x for x in _LIST_ITEM_JOIN.split(bracket.group("list").strip()) if x]
    named = any(bracket.start("list") <= x.start < bracket.end("list") for x in c.mentions if _is_therapy(x))
    if named and all(len(item.split()) <= 3 for item in items):
        return f"{m.text} {bracket.group(0).strip()}"
    return None


def _told_systemic_apart(c: CriterionText, kept: list[Mention], fact: Fact) -> list[Fact]:
    """An exclusion of a generic systemic therapy that the text tells as one kind only (`_told_systemic`) is not an
    exclusion of any systemic therapy: "No other concurrent chemotherapy, radiotherapy, immunotherapy, or hormonal
    antitumor therapy" (NCT00303888, S17-111) names no targeted kinase inhibitor, "Concurrent anti-cancer treatment in
    another investigational trial" (NCT02586025, S17-170) no approved drug given outside a trial. The rest of the list
    keeps its reading; the systemic therapy so told is a fact of its own, uncertain (a profile does not tell a hormonal
    therapy, or a drug given within a trial)."""
    v = fact.values
    assert isinstance(v, TherapyValues)
    systemic = [m for m in kept if m.id == "concept.systemic_therapy"]
    if fact.polarity is not Polarity.EXCLUDE or "systemic" not in v.categories or not systemic:
        return [fact]
    told = [t for m in systemic if (t := _told_systemic(c, m))]
    if len(told) < len(systemic) or _GENERIC_HEAD.search(c.text, c.clause(kept[0].start)[0], kept[0].start):
        return [fact]
    doubt = f"a systemic therapy told as one kind ({shortened(told[0], 60)!r}) is not read as any systemic therapy"
    rest = msgspec.structs.replace(v, categories=tuple(x for x in v.categories if x != "systemic"))
    alone = msgspec.structs.replace(
        v, drugs=(), unread_drugs=(), classes=(), categories=("systemic",), except_drugs=(), except_classes=()
    )
    if not (rest.drugs or rest.classes or rest.categories):
        return [fact.doubted(doubt)]
    return [fact.changed(values=rest), fact.changed(values=alone).doubted(doubt)]


# "both" (or "both X and") just before a therapy a fact reads, "but not both" after them, or chemotherapy and
# radiotherapy named as one treatment ("chemo-radiotherapy"): the therapies are asked together
_BOTH_BEFORE = cue("cue.therapy.both_before")
_NOT_BOTH = cue("cue.therapy.not_both")
_COMBINED = cue("cue.therapy.combined_modality")
_AND = lazy_regex(r"\band\b", re.IGNORECASE)
_OR = lazy_regex(r"\bor\b", re.IGNORECASE)


def _each_of_both(c: CriterionText, kept: list[Mention], fact: Fact) -> list[Fact]:
    """Therapies asked together, not any one of them. A requirement of "both a taxane and an anthracycline"
    (NCT00306631), or of a chemoradiotherapy "consisting of a minimum of two cycles of platinum-based chemotherapy and a
    minimum radiation dose of >= 50 Gy" (NCT00960115), is a requirement of each, one fact apiece (a criterion asks every
    fact), so that a patient who had one of them does not meet it; a count over them ("at least 3 lines including both
    ...") stays one fact. An exclusion of the pair ("Prior treatment with both pemetrexed and docetaxel chemotherapy",
    NCT00660816; "VEGFR2 or HER1 TKI allowed but not both", NCT00329004; "concurrent chemo-radiotherapy", NCT02438722)
    is uncertain: one of them alone does not exclude, and a fact cannot ask for all of its therapies together."""
    v = fact.values
    assert isinstance(v, TherapyValues)
    first, last = kept[0], kept[-1]
    both = [m for m in kept if _BOTH_BEFORE.search(c.text, max(0, m.start - 60), m.start)]
    several = len(v.drugs) + len(v.unread_drugs) + len(v.classes) + len(v.categories) > 1  # `parts` gives several
    combined = _combined(c, kept) if several and "radiotherapy" in v.categories else None
    if fact.polarity is Polarity.EXCLUDE:
        if combined:
            return [fact.doubted(f"an exclusion of therapies together ({combined.group(0)!r}) is not read")]
        if both or _NOT_BOTH.search(c.text, last.end, last.end + 20):
            return [fact.doubted("an exclusion of therapies together ('both') is not read")]
        return [fact]
    asked_both = combined or (both[:1] == [first] and _AND.search(c.text, first.end, last.start))
    if not asked_both or not several or v.min_count != 1 or v.max_count is not None:
        return [fact]
    return [fact.changed(values=part, rule=_rule_of(kept, part, fact.rule)) for part in parts(v)]


def _combined(c: CriterionText, kept: list[Mention]) -> re.Match[str] | None:
    """Chemotherapy and radiotherapy named as one treatment in the fact's clause, where it is what the fact reads: the
    radiotherapy is read from within its name ("concurrent chemo-radiotherapy"), or the therapies the fact reads are
    its parts, joined by "and" ("chemoradiotherapy, consisting of ... platinum-based chemotherapy and a minimum
    radiation dose"). Not one item of a list of alternatives that names radiotherapy apart ("Prior chemotherapy,
    chemoradiation, radiation therapy, or surgery must have been completed at least 28 days prior", NCT00115739)."""
    first, last = kept[0], kept[-1]
    found = list(_COMBINED.finditer(c.text, max(0, first.start - 80), last.end))
    if not found:
        return None
    radiation = [m for m in kept if m.id == "concept.radiotherapy"]
    if all(any(f.start() <= m.start < f.end() for f in found) for m in radiation):
        return found[0]
    return None if _OR.search(c.text, first.end, last.start) else found[0]


def _rule_of(kept: list[Mention], part: TherapyValues, default: str) -> str:
    """The id of the mention a part of a split reading (`_each_of_both`) names: its drug, class or category."""
    ids = {*part.drugs, *part.classes}
    return next((m.id for m in kept if m.id in ids or THERAPY_CONCEPTS.get(m.id) in part.categories), default)


_INVESTIGATIONAL_KIND = cue("cue.therapy.investigational_kind")


def _investigational_only(c: CriterionText, kept: list[Mention], v: TherapyValues) -> TherapyValues:
    """An anticancer agent told as investigational just before it (`cue.therapy.investigational_kind`: "concurrent
    therapy with any other investigational anticancer agent while on study", NCT02620423, Y082) is an investigational
    one only, not any systemic therapy: an approved drug on file does not meet it."""
    systemic = [m for m in kept if m.id == "concept.systemic_therapy"]
    if not systemic or "systemic" not in v.categories:
        return v
    if not all(_INVESTIGATIONAL_KIND.search(c.text, max(0, m.start - 30), m.start) for m in systemic):
        return v
    categories = tuple(sorted({*(x for x in v.categories if x != "systemic"), "investigational"}))
    return msgspec.structs.replace(v, categories=categories)
