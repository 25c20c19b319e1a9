"""The prior-therapy kind's typed values and its evaluator: how a patient's treatment history (drugs, classes,
categories, dates, progression) meets a requirement or an exclusion of a therapy, with its count and window."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import msgspec

from matcher.eligibility.criteria import Fact, Polarity, Values
from matcher.eligibility.kinds.base import Finding, add_window, lazy_regex
from matcher.eligibility.kinds.other_malignancy import other_cancer_names
from matcher.eligibility.kinds.therapy.regions import in_region
from matcher.eligibility.numbers import Window
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Patient, Therapy, TherapyKind


class TherapyValues(Values, frozen=True):
    drugs: tuple[str, ...] = ()
    # drugs outside the vocabulary that the text lists with a drug read, by name, lower case ("imatinib mesylate or
    # dasatinib": `extract._unread_drugs`): a therapy of that name is one of them; another name the vocabulary does not
    # hold may be one under a brand or code name, which cannot be told
    unread_drugs: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # systemic | investigational | surgery | radiotherapy | radioiodine
    except_drugs: tuple[str, ...] = ()
    except_classes: tuple[str, ...] = ()
    min_count: int = 1
    max_count: int | None = None
    within: Window | None = None
    progressed: bool = False
    ongoing: bool = False
    # what an anticancer treatment not told as systemic may also be (radioiodine, radiotherapy): a requirement unmet
    # without them and not unmet with them is uncertain (`cue.therapy.anticancer_not_systemic`, therapy 15)
    maybe_categories: tuple[str, ...] = ()
    # the classes a class told without a target may also be meant to hold: a "TKI" line in a trial of the patient's own
    # cancer may count her BRAF or MEK inhibitor (`across._kinase_lines_loose`, AK389); a requirement unmet without
    # them and not unmet with them is uncertain (`_wider_classes`)
    maybe_classes: tuple[str, ...] = ()
    # one of requirements joined by "or" ("after progression on Lenvatinib ... or progression on at least two prior
    # MKIs"): any one of them (matching.evaluate reads it, as a lab's limits joined by "or"; cohort22)
    alternative: bool = False
    # the text counts a therapy stopped for intolerable toxicity, with progression after stopping it, as one progressed
    # on (`cue.therapy.progressed_after_intolerance`, cohort22)
    after_intolerance: bool = False
    # the text offers intolerance as the other way in beside the progression ("Resistant or intolerant to prior
    # imatinib", NCT00345826): a therapy stopped for toxicity meets it (`cue.therapy.or_intolerant`)
    or_intolerant: bool = False
    # the other cancer a requirement's line tells its course in ("Ph+ CML patients who are resistant ... to imatinib":
    # "a blood cancer", the primary-site vocabulary's name), kept where the trial neither says it is for another
    # cancer nor names the patient's cancer or many cancers (`across._course_kept`): the reason names it
    course_of: str | None = None
    # the body region a radiotherapy is restricted to, where the therapies' names can be read against it ("Any prior
    # radiation above the clavicles", NCT01732640; "No prior radiotherapy to the head and neck", NCT00629226): a
    # radiotherapy named in it is one, one named only below the clavicles is not, another may be (`regions`; mend31)
    region: str | None = None
    # the words of an exception that names a therapy but no drug, class or category read ("with the exceptions of
    # octreotide LAR (for neuroendocrine tumors) and endocrine therapy (for prostate, ...)", NCT02145559): a therapy
    # that may be the one excepted is uncertain (`_may_be_excepted`; mend31)
    excepted: str | None = None
    # the text asks only of the therapies given for the trial's own cancer ("for this cancer"): one that may have been
    # given for another disease (`_for_another_cancer`) is not known to be one (mend42)
    own_cancer: bool = False
    # a ban on therapy now lifted by a progression ("No other concurrent anticancer therapy unless documented disease
    # progression", NCT00002633): a profile whose disease progresses, or does not say, may be the one it lets in
    unless_progressed: bool = False


_WORD = lazy_regex(r"[a-z]+")


def _matches(v: TherapyValues, t: Therapy, kb: KnowledgeBase) -> bool | None:
    """Whether a therapy is one the fact names; None when its name is not in our drug vocabulary, or when it may be
    the one an exception the text makes excepts (`TherapyValues.excepted`)."""
    found = _named_by(v, t, kb)
    if found and v.excepted is not None and _may_be_excepted(v.excepted, t, kb):
        return None
    return found


def _named_by(v: TherapyValues, t: Therapy, kb: KnowledgeBase) -> bool | None:
    categories = set(v.categories)
    kind = t.kind
    if kind is TherapyKind.RADIOTHERAPY and v.region is not None and kind.value in categories:
        return in_region(t.name, v.region)
    if kind is TherapyKind.SURGERY or kind is TherapyKind.RADIOTHERAPY or kind is TherapyKind.RADIOIODINE:
        return kind.value in categories
    drug = kb.drug_by_name(t.name)
    if drug is not None:
        classes = kb.drug_classes(drug.id)
        if drug.id in v.except_drugs or classes & set(v.except_classes):
            return False
        if drug.id in v.drugs or classes & set(v.classes):
            return True
    if drug is None and v.unread_drugs:
        if not set(_WORD.findall(t.name.lower())).isdisjoint(v.unread_drugs):
            return True
        if "systemic" not in categories and (kind is not TherapyKind.OTHER or _OTHER_KIND.search(t.name)):
            # "Sprycel" may be the dasatinib the text names; a therapy the profile calls "other" (levothyroxine, an
            # inhaler) is no cancer drug under another name (comorbid sample 32's CR137), unless its name tells a
            # hormonal or supportive kind the vocabulary does not hold (a leuprolide, a tamoxifen)
            return None
    if kind is TherapyKind.SYSTEMIC or (kind is None and drug is not None):
        if "systemic" in categories:
            return True
        if drug is None and (v.classes or "investigational" in categories):
            return None  # an unknown drug might belong to the class, or be investigational
    return False


# The words of an exception that may name any therapy: a setting, a route, the protocol's own
_SETTINGS = frozenset({"adjuvant", "neoadjuvant", "intrathecal", "protocol", "required", "curative", "definitive"})
# ... and those that name a kind of therapy the drug vocabulary does not hold
_KIND_WORDS = {
    TherapyKind.SURGERY: frozenset(
        {"surgery", "surgeries", "surgical", "procedure", "procedures", "resection", "biopsy"}
    ),
    TherapyKind.RADIOTHERAPY: frozenset({"radiation", "radiotherapy", "irradiation", "radiosurgery"}),
    TherapyKind.RADIOIODINE: frozenset({"radioiodine", "iodine", "rai", "radioactive", "radioisotopes", "isotopes"}),
}
# Words of the drug classes' names that name no class of their own
_CLASS_FILLER = frozenset({"therapy", "inhibitor", "agent", "drug", "selective", "targeting"})
# What an exception names that none of our drugs, and no surgery, radiotherapy or radioiodine, is: hormonal and
# supportive therapies ("except endocrine therapy", "other than replacement therapy", "excluding Luteinizing
# Hormone-Releasing Hormone (LHRH) agonists", "except steroids for adrenal failure", "other than letrozole or
# anastrozole therapy", "with the exceptions of octreotide LAR")
_OTHER_KIND = lazy_regex(
    r"\b(?:hormon\w*|endocrine|steroids?|corticosteroids?|luteini[sz]ing|gonadotropin|lh-?rh|gnrh|estrogen|oestrogen|"
    r"androgen\w*|antiandrogen\w*|adt|aromatase|letrozole|anastrozole|exemestane|tamoxifen|fulvestrant|leuprolide|"
    r"goserelin|octreotide|somatostatin|bisphosphonates?|denosumab|insulin|replacement|supportive|hydroxyurea)\b",
    re.IGNORECASE,
)


def _may_be_excepted(excepted: str, t: Therapy, kb: KnowledgeBase) -> bool:
    """Whether a therapy may be the one an exception excepts, from the exception's words: any, where they tell a
    setting or route ("except for adjuvant or neoadjuvant therapy"); a drug outside our vocabulary, always (the
    vocabulary holds no hormonal therapy: "except endocrine therapy" may be her leuprolide); a surgery, radiotherapy
    or radioiodine where they name its kind, a drug of the vocabulary where they name it or a class of it ("excluding
    small-molecule inhibitors of EGFR" and vandetanib, "except BRAF directed therapy" and dabrafenib); otherwise
    unless they name only a kind it is not (hormonal, supportive: "except endocrine therapy" does not except
    lenvatinib; "except first-line therapy" or "except multitargeted agents" may)."""
    words = {w for w in _WORD.findall(excepted.lower()) if len(w) > 2}
    if words & _SETTINGS:
        return True
    named: frozenset[str] | None = _KIND_WORDS.get(t.kind) if t.kind is not None else None
    if named is None:
        drug = kb.drug_by_name(t.name)
        if drug is None:
            return True
        names = [drug.name, *(kb.classes[c].name for c in kb.drug_classes(drug.id) if c in kb.classes)]
        named = frozenset(w for name in names for w in _WORD.findall(name.lower())) - _CLASS_FILLER
    return bool(words & named) or not _OTHER_KIND.search(excepted)


def _named(v: TherapyValues, t: Therapy, kb: KnowledgeBase) -> bool:
    """Whether a therapy the values match is one of the drugs or classes they name, where they name any beside a
    category: intolerance of those counts, not of anything the category holds ("... or intolerant to imatinib or
    resistant or intolerant to at least one second-generation targeted anticancer agent while being resistant ... to
    imatinib simultaneously", NCT01602952, read as imatinib or systemic therapy, asks for imatinib whatever her
    sorafenib). Values of categories only ("progressed on or intolerant of prior systemic therapy") count them."""
    if not (v.drugs or v.classes):
        return True
    return bool(_matches(msgspec.structs.replace(v, categories=()), t, kb))


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, TherapyValues)
    found = _evaluated(fact.polarity, v, p, on, kb)
    if fact.polarity is Polarity.REQUIRE and found.has is False and v.maybe_classes:
        found = _wider_classes(fact.polarity, v, p, on, kb, found)
    if fact.polarity is Polarity.REQUIRE and found.has is False and "radioiodine" in v.categories:
        found = _radioiodine_on_record(p, found)
    if fact.polarity is Polarity.REQUIRE and found.has is False and v.maybe_categories:
        return _maybe_local(fact.polarity, v, p, on, kb, found)
    if v.course_of is not None and fact.polarity is Polarity.REQUIRE and found.has is False:
        told = _of_another(v, found, p, kb, "the line's cancer", f"the line tells the course of {v.course_of}")
        return found if told is None else msgspec.structs.replace(found, reason=told)
    if v.unless_progressed and fact.polarity is Polarity.EXCLUDE and found.has is True:
        return _unless_progressed(found, p)
    return found


def _unless_progressed(found: Finding, p: Patient) -> Finding:
    """A therapy now barred unless the disease progressed: barred for a profile whose disease is not progressing
    (sweep 18's Y200); for one that progresses, or does not say, the exception may be its (comorbid sample 49's
    DI146): whose progression the line means, the trial's cancer's or any, is not said."""
    progressing = p.disease.progressing if p.disease else None
    if progressing is False:
        return found
    told = "a progression is on file" if progressing else "whether the disease progresses is not on file"
    return Finding(None, f"{found.reason}; the ban is lifted on documented progression and {told}",
                   (*found.evidence, "disease.progressing"),
                   missing=None if progressing else "disease progression")  # fmt: skip


def _evaluated(polarity: Polarity, v: TherapyValues, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    if p.therapies is None:
        return Finding(None, "treatment history not on file", missing="treatment history")
    named = _label(v, kb)
    matched, uncertain, response_unknown, not_progressed = [], [], [], []
    for t in p.therapies:
        if v.ongoing and not t.ongoing:
            continue  # "no concurrent radioiodine therapy" is about now, not the history
        hit = _matches(v, t, kb)
        if hit is None:
            uncertain.append(t)
        elif hit and v.progressed and not t.progressed:
            if v.or_intolerant and t.reason_stopped == "toxicity" and _named(v, t, kb):
                matched.append(t)  # stopped for toxicity: the intolerance the text accepts
                continue
            after = _progressed_after_stopping(t, p) if v.after_intolerance else False
            if after:
                matched.append(t)  # stopped for toxicity, then progressed: counted as the text allows
            elif t.progressed is None or after is None:
                response_unknown.append(t)  # "progressed on X": X on file, but not how it ended
            else:
                not_progressed.append(t)  # had, but ongoing or stopped for another reason: named in the reason
        elif hit:
            matched.append(t)
    if v.within is not None:
        return _washout(polarity, v, on, named, matched, uncertain, response_unknown, not_progressed, kb)
    count = _regimens(matched)
    paths = tuple(t.path for t in matched)
    # a therapy of the class had but not progressed on is named too: "no VEGF TKI" is false of a patient who stopped
    # sorafenib for toxicity (AN055)
    had = [*map(_text, matched), *map(_not_progressed_on, not_progressed)]
    described = ", ".join(had) or f"no {named}"
    inside = _in_bounds(v, count)
    if others := _for_another_cancer(polarity, v, p, matched, inside, kb):
        return Finding(None, f"{described}; {'; '.join(others.values())}: whether a therapy for another disease counts "
                       f"toward the trial's {_asked(v, named, kb)} is not decided", paths,
                       missing="what those therapies were for")  # fmt: skip
    if uncertain and not inside:
        told, missing = _cannot_tell(v, named, uncertain[0], kb)
        return Finding(None, f"{described}; {told}", (*paths, uncertain[0].path), missing=missing)
    if response_unknown and count < v.min_count:
        return _progression_unknown(response_unknown[0], named, paths)
    suffix = f" (trial: {_asked(v, named, kb)})"
    had_paths = (*paths, *(t.path for t in not_progressed))
    return Finding(inside, described + suffix, had_paths or ("therapies",))


def _cannot_tell(v: TherapyValues, named: str, t: Therapy, kb: KnowledgeBase) -> tuple[str, str]:
    """What cannot be told of a therapy the values cannot place, and what would tell it: where a radiotherapy was
    given, whether it is one the text excepts, or its drug class."""
    if v.region is not None and t.kind is TherapyKind.RADIOTHERAPY and in_region(t.name, v.region) is None:
        return f"cannot tell whether {t.name} is {named}", f"where {t.path} was given"
    if v.excepted is not None and _named_by(v, t, kb):
        return f"cannot tell whether {t.name} is one the text excepts ({v.excepted!r})", f"whether {t.path} is excepted"
    return f"cannot tell whether {t.name} is {named}", f"drug class of {t.path}"


def _for_another_cancer(
    polarity: Polarity, v: TherapyValues, p: Patient, matched: list[Therapy], inside: bool, kb: KnowledgeBase
) -> dict[Therapy, str]:
    """The therapies counted that may have been given for another disease, each with why, where a count of lines ("No
    more than one prior line of systemic therapy", NCT01736878; "at least 1, but no more than 2, prior lines of
    systemic therapy for locally recurrent and/or metastatic disease", NCT02708680) is failed only with them (count30):
    one that ended before the thyroid cancer was diagnosed (a past breast cancer's tamoxifen), a systemic drug our
    vocabulary does not know while another cancer is on file (a prostate cancer's leuprolide), or one the profile
    calls "other" (a pulmonary fibrosis's nintedanib, a psoriasis's methotrexate). A count of lines may
    not mean them. Empty where the count is passed, or where it is any prior therapy ("No prior chemotherapy": a
    history, not lines), unless the text asks only of the trial's own cancer ("No other concurrent anticancer agents
    or therapies for this cancer" and a prostate cancer's leuprolide: mend42)."""
    violated = inside is (polarity is Polarity.EXCLUDE)
    if not violated or (v.max_count is None and v.min_count < 2 and not v.own_cancer):
        return {}
    diagnosed = p.diagnosis.diagnosed_on if p.diagnosis else None
    cancers = other_cancer_names(p)
    others = {}
    for t in matched:
        if diagnosed is not None and (t.end or t.start or diagnosed) < diagnosed:
            others[t] = f"{t.name} ended {t.end or t.start}, before the thyroid cancer was diagnosed ({diagnosed})"
        elif cancers and t.kind is TherapyKind.SYSTEMIC and kb.drug_by_name(t.name) is None:
            others[t] = f"{t.name} is no thyroid cancer drug we know, and {cancers[0]} is on file"
        elif t.kind is TherapyKind.OTHER:
            # a drug of the class given for another disease: the nintedanib of a pulmonary fibrosis, a VEGFR
            # inhibitor, against "No more than 1 prior VEGF receptor targeted therapy" (NCT00563147; mend65)
            others[t] = f"{t.name} is on file as a therapy of another kind than the cancer's"
    inside_without = _in_bounds(v, _regimens(t for t in matched if t not in others))
    return others if others and inside_without != inside else {}


def _regimens(therapies: Iterable[Therapy]) -> int:
    """How many regimens: the therapies started on one day count once (dabrafenib with trametinib)."""
    return len({t.start or t.name.lower() for t in therapies})


def _in_bounds(v: TherapyValues, count: int) -> bool:
    """Whether a count of regimens is within the fact's bounds."""
    return count >= v.min_count and (v.max_count is None or count <= v.max_count)


def _asked(v: TherapyValues, named: str, kb: KnowledgeBase) -> str:
    """What a fact asks of the therapies it names (``named``, `_label`): how many, and how they ended."""
    bounds = f"{v.min_count}" + (f"-{v.max_count}" if v.max_count is not None else "+")
    ended = ", progressed on it" if v.progressed else ""
    if v.progressed and v.or_intolerant:  # intolerance of the drugs or classes named only (`_named`)
        drugs = _label(msgspec.structs.replace(v, categories=()), kb)
        mixed = v.categories and (v.drugs or v.classes)
        ended = f", progressed on it or intolerant of {drugs}" if mixed else ", progressed on or intolerant of it"
    return f"{bounds} {named}{ended}"


def in_another_cancer(fact: Fact, found: Finding, p: Patient, kb: KnowledgeBase, cancer: str) -> str | None:
    """A therapy required in a trial for another cancer is that cancer's therapy ("Progressive disease after two or more
    prior regimens" under "Follicular lymphoma as defined by:", NCT00561418; "Progressive disease after 1-2 prior
    VEGF-directed tyrosine kinase inhibitors (TKIs)" in an RCC trial, NCT01034631: fresh samples 33-34's AO390, AN055),
    which the patient's thyroid drugs are not: where her own therapies are what the evaluator's reason counts ("prior
    Lenvima ..., progressed (trial: 2+ systemic therapy, progressed on it)"), the reason says what is asked is that
    cancer's. A reason that tells what she lacks ("no trastuzumab ...") is true as it stands, and an exclusion's is hers
    (a ban her thyroid therapy breaks, or not), as is a limit her therapies exceed ("No more than 1 prior systemic
    therapy regimen for stage IV disease", NCT00104988: unqualified, her thyroid drugs count): those are kept (None)
    (`Kind.in_another_cancer`)."""
    v = fact.values
    assert isinstance(v, TherapyValues)
    if fact.polarity is not Polarity.REQUIRE:
        return None
    return _of_another(v, found, p, kb, "the trial's cancer", f"trial is for {cancer}")


def _of_another(v: TherapyValues, found: Finding, p: Patient, kb: KnowledgeBase, whose: str, why: str) -> str | None:
    """The reason of a requirement unmet, told in another cancer's course (``whose``, ``why``), where the finding's
    reason counts the patient's own therapies; None where it counts none (it tells what she lacks) or where her
    therapies exceed a limit (`in_another_cancer`)."""
    cited = [t for t in p.therapies or () if t.path in found.evidence]  # the ones the finding's reason counts
    regimens = _regimens(cited)
    if not cited or (v.max_count is not None and regimens > v.max_count):
        return None
    hers = ", ".join(dict.fromkeys(t.name for t in cited))
    asked = _asked(v, _label(v, kb), kb) + (f", in the last {v.within}" if v.within is not None else "")
    return f"the therapy asked ({asked}) is of {whose}, not the patient's {hers} ({why})"


def _progressed_after_stopping(t: Therapy, p: Patient) -> bool | None:
    """Whether a therapy stopped for toxicity was followed by a progression: the disease progressing, with a progression
    date after the therapy's end. None when the profile cannot tell (no end date, no progression date, or a
    progression dated on or before the end, which says nothing of one after it); False when it was not stopped for
    toxicity, or the disease is not progressing."""
    if t.reason_stopped != "toxicity":
        return False
    disease = p.disease
    if disease is None or disease.progressing is None:
        return None
    if not disease.progressing:
        return False
    if t.end is None or disease.progression_date is None:
        return None
    return disease.progression_date > t.end or None


def _not_progressed_on(t: Therapy) -> str:
    """A therapy the disease did not progress on (`Therapy.progressed` is False: ongoing, or stopped for another
    reason), told with why. An ongoing one may yet have seen a progression the profile does not tie to it."""
    if t.ongoing:
        return f"{_text(t)}, no progression on it on file"
    return f"{_text(t)}, {_STOPPED.get(t.reason_stopped or '', 'stopped for another reason')}, not progressed on it"


# How a therapy ended (`Therapy.reason_stopped`: progression, toxicity, completed, other), told in a reason
_STOPPED = {"toxicity": "stopped for toxicity", "completed": "completed"}


def _progression_unknown(t: Therapy, named: str, paths: tuple[str, ...] = ()) -> Finding:
    return Finding(
        None,
        f"{_text(t)} on file, but not whether the disease progressed on it (trial: progressed on {named})",
        (*paths, t.path),
        missing=f"response to {t.path} (reason stopped or best response)",
    )


def _washout(
    polarity: Polarity,
    v: TherapyValues,
    on: date,
    named: str,
    matched: list[Therapy],
    uncertain: list[Therapy],
    response_unknown: list[Therapy],
    not_progressed: list[Therapy],
    kb: KnowledgeBase,
) -> Finding:
    assert v.within is not None
    window = v.within
    latest: tuple[date, Therapy] | None = None
    for t in matched:
        if t.ongoing:
            return Finding(
                None, f"on {t.name} now; {window} must pass after it stops", (t.path,), missing=f"stop date of {t.path}"
            )
        last = t.end or t.start
        if last is None:
            return Finding(None, f"dates of {t.name} not on file", (t.path,), missing=f"dates of {t.path}")
        if latest is None or last > latest[0]:
            latest = (last, t)
    if latest is not None and on < (free := add_window(latest[0], window)):
        last, t = latest
        if polarity is Polarity.REQUIRE:  # met until the window closes
            return Finding(True, f"{t.name} ended {last}, within {window}", (t.path,), changes_on=free)
        return Finding(
            False,
            f"{t.name} ended {last}; the {window} washout is met from {free}",
            (t.path,),
            eligible_from=free,
        )
    for t in [*uncertain, *response_unknown]:  # a drug of unknown class, or of unknown outcome, in the window
        last = t.end or t.start
        if t.ongoing or last is None or on < add_window(last, window):
            if t in response_unknown:
                return _progression_unknown(t, named)
            told, missing = _cannot_tell(v, named, t, kb)
            return Finding(None, told, (t.path,), missing=missing)
    # a therapy of the class had but not progressed on is named, not told as missing (as in `_evaluated`)
    had = tuple(t.path for t in not_progressed)
    if latest is not None and polarity is Polarity.REQUIRE and len(each := parts(v)) > 1:
        reason = _each_lapsed(each, matched, not_progressed, window, kb)
        return Finding(False, reason, (*(t.path for t in matched), *had))
    if latest is not None:
        return Finding(False, f"last {named} ended {latest[0]}, more than {window} ago", (latest[1].path, *had))
    if not_progressed:
        counted = f"{named}, progressed on it, in the last {window}"
        return Finding(False, f"{', '.join(map(_not_progressed_on, not_progressed))}; no {counted}", had)
    return Finding(False, f"no {named} in the last {window}", ("therapies",))


def parts(v: TherapyValues) -> list[TherapyValues]:
    """Each drug, class and category the values name, alone (with the exceptions kept)."""
    alone = msgspec.structs.replace(v, drugs=(), unread_drugs=(), classes=(), categories=())
    return [
        *(msgspec.structs.replace(alone, drugs=(d,)) for d in v.drugs),
        *(msgspec.structs.replace(alone, unread_drugs=(d,)) for d in v.unread_drugs),
        *(msgspec.structs.replace(alone, classes=(c,)) for c in v.classes),
        *(msgspec.structs.replace(alone, categories=(c,)) for c in v.categories),
    ]


def _each_lapsed(
    parts: list[TherapyValues], matched: list[Therapy], not_progressed: list[Therapy], window: Window, kb: KnowledgeBase
) -> str:
    """Why a requirement of several therapies within a window, none of them in it, is unmet, therapy by therapy: the
    ones she never had first, then the last of each other. "last cytotoxic chemotherapy or surgery ended 2017-02-14"
    read as if her thyroidectomy were the text's "cytoreductive surgery and intraperitoneal hyperthermic
    chemotherapy (IPHC) within the past 12 weeks" (NCT00310076, AI034): "no cytotoxic chemotherapy" tells what she
    lacks; one she had but did not progress on is named (`_not_progressed_on`)."""
    never, lapsed = [], []
    for part in parts:
        hits = [t for t in matched if _matches(part, t, kb)]
        if not hits:
            had = [_not_progressed_on(t) for t in not_progressed if _matches(part, t, kb)]
            never.append(", ".join(had) or f"no {_label(part, kb)}")
            continue
        # every matched therapy has a date (`_washout` returned unknown for one without): `date.min` is for the type
        last = max(hits, key=lambda t: t.end or t.start or date.min)
        lapsed.append(f"last {_label(part, kb)} ({last.name}) ended {last.end or last.start}, more than {window} ago")
    return "; ".join([*never, *lapsed])


def _label(v: TherapyValues, kb: KnowledgeBase) -> str:
    names = [kb.drugs[d].name for d in v.drugs if d in kb.drugs] + list(v.unread_drugs)
    names += [kb.classes[c].name for c in v.classes if c in kb.classes]
    names += [c if c != "systemic" else "systemic therapy" for c in v.categories]
    if v.region is not None:
        names = [f"{name} to the {v.region}" if name == "radiotherapy" else name for name in names]
    return " or ".join(names) or "the named therapy"


def _text(t: Therapy) -> str:
    span = f" ({t.start})" if t.start else ""
    if t.end or t.ongoing:
        span = f" ({t.start or '?'} to {t.end or 'ongoing'})"
    return f"prior {t.name}{span}" + (", progressed" if t.progressed else "")


def _wider_classes(
    polarity: Polarity, v: TherapyValues, p: Patient, on: date, kb: KnowledgeBase, found: Finding
) -> Finding:
    """A requirement unmet, of a class the text may mean more widely (``v.maybe_classes``): uncertain when the patient's
    therapies of the wider classes would meet it ("over 65y must have at least one prior line of TKI treatment" in a
    thyroid trial, of a patient who had dabrafenib with trametinib: AK389)."""
    wider = msgspec.structs.replace(v, classes=(*v.classes, *v.maybe_classes), maybe_classes=())
    if _evaluated(polarity, wider, p, on, kb).has is False:
        return found
    only = TherapyValues(classes=v.maybe_classes)
    hers = [t for t in p.therapies or () if _matches(only, t, kb)]
    classes = _label(only, kb)
    return Finding(
        None,
        f"reading uncertain: {_label(v, kb)!r} may be meant to count the patient's {', '.join(t.name for t in hers)} "
        f"({classes}); {found.reason}",
        (*found.evidence, *(t.path for t in hers)),
    )


def _radioiodine_on_record(p: Patient, found: Finding) -> Finding:
    """A radioiodine therapy required and none at all in the treatment history, where the radioiodine record tells of
    one (a cumulative activity, a last treatment date, a progression after it) or calls the disease RAI-refractory, which
    mostly follows a therapeutic dose (seed review, Pitoia et al. 2022: refractoriness shown on a scan "following a
    therapeutic dose", "progression in a patient who has received RAI"; though also on a diagnostic scan alone):
    unknown, since the history may leave the radioiodine out (rai26)."""
    record = p.radioiodine
    if record is None or any(t.kind is TherapyKind.RADIOIODINE for t in p.therapies or ()):
        return found  # no record, or the history has radioiodine: the finding is the history's
    if record.cumulative_activity_mci:
        told = f"a cumulative activity of {record.cumulative_activity_mci:g} mCi"
    elif record.last_treatment_on:
        told = f"a last radioiodine treatment on {record.last_treatment_on}"
    elif record.progression_after_rai:
        told = "a progression after radioiodine"
    elif record.refractory:
        told = "radioiodine-refractory disease"
    else:
        return found
    return Finding(
        None,
        f"no radioiodine in the treatment history, but the radioiodine record tells of {told}; {found.reason}",
        (*found.evidence, "radioiodine"),
        missing="radioiodine therapy in the treatment history",
    )


def _maybe_local(
    polarity: Polarity, v: TherapyValues, p: Patient, on: date, kb: KnowledgeBase, found: Finding
) -> Finding:
    """A requirement of an anticancer treatment not told as systemic, unmet, of a patient with fewer systemic
    regimens than it asks (mostly none): uncertain when her radioiodine or radiotherapy (``v.maybe_categories``),
    counted too, would not leave it unmet. Systemic therapies on file as many as asked are the treatment a reader takes
    it for ("Progressive disease following the previous anti-tumor treatment regimen" after sorafenib stopped for
    toxicity stays unmet, therapy 8's G169)."""
    systemic = _regimens(t for t in p.therapies or () if t.kind is TherapyKind.SYSTEMIC)
    if systemic and systemic >= v.min_count:
        # her systemic therapies are as many as asked: a reader takes them for it. Fewer ("at least 2 prior regimens of
        # therapy", one kinase inhibitor after radioiodine, AD170: regimen21), her radioiodine may count too
        return found
    wider = msgspec.structs.replace(v, categories=(*v.categories, *v.maybe_categories), maybe_categories=())
    if _evaluated(polarity, wider, p, on, kb).has is False:
        return found
    local = next((t for t in p.therapies or () if t.kind is not None and t.kind.value in v.maybe_categories), None)
    if local is None:
        return found
    return Finding(
        None,
        f"reading uncertain: an anticancer treatment not told as systemic may be her {local.name} ({local.path}); "
        f"{found.reason}",
        (*found.evidence, local.path),
    )
