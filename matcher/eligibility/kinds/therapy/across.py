"""The prior-therapy kind's passes over a trial's whole list, for what a line alone does not tell: a requirement
another line gives a route around for the untreated, an exclusion that tells no time, a therapy the trial itself
gives (`parse_texts`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import msgspec

from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity, Section, one_line, shortened
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import lazy_regex
from matcher.eligibility.kinds.primary_site import (
    THYROID,
    PrimarySiteValues,
    opens_to_many,
    site_name,
    site_named,
)
from matcher.eligibility.kinds.therapy.diseases import COURSE_DOUBT, OWN_DISEASE_DOUBT
from matcher.eligibility.kinds.therapy.evaluator import TherapyValues


def given_by_the_trial(fact: Fact, own_drugs: Mapping[str, str]) -> Fact:
    """A requirement of prior treatment with a drug the trial itself gives contradicts the trial ("Must have received
    prior everolimus or other mTOR inhibitor therapy" in an everolimus trial, NCT01118065): the text may mean "must
    not". Such a fact can satisfy, never violate. Progression on the drug ("progressed on sorafenib", in a trial that
    adds a drug to it), a count or a window are what such trials ask, and stay."""
    v = fact.values
    if fact.kind is not FactKind.PRIOR_THERAPY or fact.polarity is not Polarity.REQUIRE:
        return fact
    assert isinstance(v, TherapyValues)
    named = [own_drugs[d] for d in v.drugs if d in own_drugs]
    if not named or v.progressed or v.max_count is not None or v.within is not None:
        return fact
    doubt = f"the trial itself gives {', '.join(named)}, which this requires having had"
    return fact.doubted(doubt)


# A current use of a drug ("≥ 18 year old men and women who use pazopanib", NCT02138526, a HINT text with no
# interventions field, fresh samples 22-23's AE220, AF220, AG228): the drug word right after the verb
_CURRENT_USE = lazy_regex(
    r"\b(?:who|that)\s+(?:(?:are|is)\s+(?:currently\s+)?(?:using|taking)|(?:currently\s+)?(?:use|take)s?)"
    r"\s+([a-z][\w-]+)",
    re.IGNORECASE,
)
# what a trial calls the drug it gives: "within 28 days prior to first dose of investigational product" (NCT02138526)
_OWN_PRODUCT = lazy_regex(
    r"\binvestigational\s+(?:product|medicinal\s+product)s?\b|\bstudy\s+(?:drugs?|medications?)\b", re.IGNORECASE
)


def used_now_in_the_trial(criteria: list[Criterion], text: str) -> list[Criterion]:
    """A requirement told as a current use of a drug ("men and women who use pazopanib", NCT02138526) in a text that
    speaks of its investigational product or study drug and names the drug on another line too ("pharmacokinetics of
    pazopanib"): the drug is most likely the study's own, which the text's interventions field (absent from a HINT
    text) would name: as `given_by_the_trial`, uncertain, not a prior therapy required (own21)."""
    # the words are read only where a fact could be doubted: most trials, and most lines, require no drug
    required = [any(_drug_required(f) for f in c.facts) for c in criteria]
    if not any(required) or not _OWN_PRODUCT.search(text):
        return criteria
    checked = []
    for c, drug_required in zip(criteria, required, strict=True):
        if c.start is None or c.end is None or not drug_required or not (found := _CURRENT_USE.search(c.text)):
            checked.append(c)
            continue
        drug = found.group(1)
        elsewhere = re.search(rf"\b{re.escape(drug)}\b", text[: c.start] + " " + text[c.end :], re.IGNORECASE)
        facts = tuple(_used_now(f, found.group(0)) if elsewhere and drug in f.evidence else f for f in c.facts)
        checked.append(c if facts == c.facts else replace(c, facts=facts))
    return checked


# "No other concurrent antineoplastic therapy": other than what the trial lets in on another line
_OTHER_CONCURRENT = lazy_regex(r"\bother\s+(?:concurrent|concomitant)\b", re.IGNORECASE)
# A line about concurrent therapy (not the heading "PRIOR CONCURRENT THERAPY:") that lets an anticancer hormonal
# therapy in: "No concurrent hormonal therapy, except for the following:", "Concurrent LHRH agonists allowed"
_CONCURRENT = lazy_regex(r"(?<!prior\s)\b(?:concurrent(?:ly)?|concomitant)\b", re.IGNORECASE)
_LETS_IN = lazy_regex(
    r"(?<!not\s)\b(?:allowed|permitted|acceptable|except|unless|other\s+than|excluding|may\s+(?:continue|receive))\b",
    re.IGNORECASE,
)
# ... unless what it lets in is for symptoms, a replacement or a steroid, no cancer's treatment: "Concurrent systemic
# hormonal therapy for symptom control (e.g., appetite stimulation, pain, or nausea) allowed" (NCT00265876), "No
# concurrent hormonal therapy except steroids for adrenal failure ..." (NCT00033553)
_FOR_SYMPTOMS = lazy_regex(
    r"\b(?:symptom\w*|appetite|nausea|replacement|supportive|premedication|\w*steroids?|dexamethasone|insulin|"
    r"adrenal|non-disease)\b",
    re.IGNORECASE,
)
_HORMONAL = lazy_regex(
    r"\b(?:hormon\w*(?!\s+replacement)|endocrine|luteini[sz]ing|gonadotropin|lh-?rh|gnrh|antiandrogens?|"
    r"androgen\s+deprivation|aromatase|tamoxifen|leuprolide|goserelin)\b",
    re.IGNORECASE,
)


def other_than_allowed(criteria: list[Criterion], text: str) -> list[Criterion]:
    """An exclusion of "other" concurrent therapy ("No other concurrent antineoplastic therapy", NCT00077103) in a trial
    whose other lines let a concurrent anticancer hormonal therapy in ("No concurrent hormonal therapy, except for the
    following:" / "Gonadotropin-releasing hormone agonists for patients with hormone-refractory prostate cancer"):
    "other" leaves that therapy out, so the exclusion carries those words as an exception (`TherapyValues.excepted`),
    which may except a drug of that kind, as the patient's leuprolide (comorbid sample 32's CR107), and no drug of
    another kind (`evaluator._may_be_excepted`)."""
    changed = list(criteria)
    if _OTHER_CONCURRENT.search(text):  # the trial's whole text, once: most say no "other concurrent"
        allowed = next((let_in for c in criteria if (let_in := _hormonal_let_in(c, criteria))), None)
        if allowed is not None:
            for c in criteria:
                if _OTHER_CONCURRENT.search(c.text):
                    changed[c.index] = _excepting(c, allowed)
    # ... and a concurrent-therapy exclusion in a trial that gives a hormonal therapy itself ("adenocarcinoma of the
    # prostate to be treated with radiation therapy and hormone therapy" / "No concurrent anticancer therapy.",
    # NCT01826838, comorbid sample 34's CT094), or that excepts one in its own words ("Concurrent anti-cancer therapy
    # (..., but except IV trastuzumab or hormonal therapy, if patient is already being treated with either of the two
    # agents.)", NCT02650752, CT116): the patient's hormonal therapy may be the one let in
    # (what the trial gives is looked for only where one of its lines excludes a therapy now). The trial's own is
    # excepted from every such line, however worded: "You are receiving another anti-cancer therapy." beside
    # "castrate levels of testosterone (<50 ng/dL) maintained by luteinizing hormone-releasing hormone (LHRH) agonist"
    # (NCT00428714, comorbid sample 51's DK069)
    current = [c for c in criteria if any(_now_excluded(f) for f in c.facts)]
    if not current:
        return changed
    given = next(
        (found for c in criteria if c.section is Section.INCLUSION and (found := _GIVES_HORMONAL.search(c.text))), None
    )
    for c in current:
        own = _OWN_HORMONAL_EXCEPTION.search(c.text) if _CONCURRENT.search(c.text) else None
        if told := own or given:
            changed[c.index] = _excepting(changed[c.index], shortened(one_line(told.group(0)), 80))
    return changed


# what the trial itself will give, told in an inclusion line: "to be treated with radiation therapy and hormone therapy"
# (not "... without androgen deprivation therapy")
_GIVES_HORMONAL = lazy_regex(
    r"\b(?:to\s+be\s+treated|(?:scheduled|planned)\s+to\s+receive|who\s+will\s+(?:be\s+treated|receive))\s+"
    r"(?:(?!\b(?:without|not?|nor|except)\b)[^.;]){0,60}?\b(?:hormon\w*\s+therapy|androgen\s+deprivation|ADT)\b"
    # ... or what it asks the patient to keep on: "castrate levels of testosterone ... maintained by luteinizing
    # hormone-releasing hormone (LHRH) agonist" (NCT00428714), "must continue LHRH agonist" (NCT00471718)
    r"|\b(?:maintain\w*|continu\w*)\s+(?:(?!\b(?:without|not?|nor|except|discontinu\w*)\b)[^.;]){0,40}?"
    r"\b(?:LH-?RH|GnRH|luteini[sz]ing\s+hormone|gonadotropin|androgen\s+deprivation|ADT)\b",
    re.IGNORECASE,
)
# an exception a concurrent-therapy line makes in its own words, in the same clause: "but except IV trastuzumab or
# hormonal therapy, if patient is already being treated with either of the two agents"
_OWN_HORMONAL_EXCEPTION = lazy_regex(
    r"\b(?:except(?:\s+for)?|other\s+than|excluding)\s+[^.;()]{0,40}?\bhormon\w*\s+therap\w*[^.;()]{0,60}",
    re.IGNORECASE,
)


def _now_excluded(fact: Fact) -> bool:
    """Whether a fact is one `_other_than` may give an exception: an exclusion of ongoing therapy without one."""
    v = fact.values
    return (
        fact.kind is FactKind.PRIOR_THERAPY
        and fact.polarity is Polarity.EXCLUDE
        and isinstance(v, TherapyValues)
        and v.ongoing
        and v.excepted is None
    )


def _excepting(c: Criterion, allowed: str) -> Criterion:
    facts = tuple(_other_than(f, allowed) for f in c.facts)
    return c if facts == c.facts else replace(c, facts=facts)


def _hormonal_let_in(c: Criterion, criteria: list[Criterion]) -> str | None:
    """The words of an anticancer hormonal therapy a line about concurrent therapy lets in: what "allowed" follows
    ("Concurrent LHRH agonists allowed") or "except" precedes, or a sub-item of "... except for the following:"; not a
    therapy for symptoms, a replacement or steroids (`_FOR_SYMPTOMS`)."""
    if _OTHER_CONCURRENT.search(c.text) or not _CONCURRENT.search(c.text) or not (lets_in := _LETS_IN.search(c.text)):
        return None
    word = lets_in.group(0).lower()
    postposed = word in ("allowed", "permitted", "acceptable") or word.startswith("may")
    own = c.text[: lets_in.start()] if postposed else c.text[lets_in.end() :]
    for words in (own, *(d.text for d in criteria if d.parent == c.index)):
        if _HORMONAL.search(words) and not _FOR_SYMPTOMS.search(words):
            return shortened(one_line(words), 80)
    return None


def _other_than(fact: Fact, allowed: str) -> Fact:
    """An exclusion of ongoing therapy, with what the trial lets in as its exception (unless it has one already)."""
    if not _now_excluded(fact):
        return fact
    return fact.changed(values=msgspec.structs.replace(fact.values, excepted=allowed))


def _drug_required(fact: Fact) -> bool:
    """Whether a fact is what `_used_now` doubts: a certain requirement of having had a named drug, at any time, with
    no count cap and no progression on it."""
    v = _certain(fact, Polarity.REQUIRE)
    return v is not None and bool(v.drugs) and not v.progressed and v.max_count is None and v.within is None


def _used_now(fact: Fact, said: str) -> Fact:
    if not _drug_required(fact):
        return fact
    return fact.doubted(
        f"a current use ({said!r}) of what is likely the study's own drug, not a prior therapy required"
    )


_TIME_TOLD = cue("cue.therapy.time_told")
_UNTREATED_ROUTE = cue("cue.therapy.untreated_route")
_NO_PRIOR = lazy_regex(r"\bno\s+(?:prior|previous)\b", re.IGNORECASE)


def untreated_routes_among(criteria: list[Criterion], conditions: Sequence[str] = ()) -> list[Criterion]:
    """The therapy kind's cross-line pass in `parse_texts`, the trial's list read as a whole for what a line alone does
    not tell: exclusions that tell no time (`_untimed_among`, therapy 17b), then requirements another line gives a
    route around for the untreated (`_untreated_routes`, therapy 16b), then another cancer's course required where the
    trial does not say it is for another cancer (`_courses_unsaid`, therapy 21). First of all, a therapy told for the
    trial's own disease keeps its doubt only where it is another cancer's (`_own_disease_told`, therapy 22), so that
    the passes after it read the facts it clears as they were read before. Last, a "TKI" line of a trial of her own
    cancer may count her BRAF or MEK inhibitor (`_kinase_lines_loose`, AK389)."""
    told = _courses_unsaid(_untreated_routes(_untimed_among(_own_disease_told(criteria, conditions))), conditions)
    return _kinase_lines_loose(told, conditions)


def _own_disease_told(criteria: list[Criterion], conditions: Sequence[str]) -> list[Criterion]:
    """An exclusion of a therapy told for the trial's own disease ("No prior systemic anticancer treatment for this
    disease", NCT01005199, an HCC trial; "Prior surgery, radiotherapy or chemotherapy for this cancer", NCT02950259, a
    breast trial: sweep 28's AI134, AI302) is uncertain in a trial for another cancer (`_other_site_required`): that
    cancer's therapy, which the thyroid patient's is not; and in a trial whose lines and conditions list name neither
    her cancer nor many cancers (`_hers_unsaid`: "No previous therapy for the tumor, ..." in a trial for "squamous cell
    carcinoma of OC, OP, HP, or larynx", conditions "head and neck cancer", NCT00882583, AI125), where "the tumor" is
    not known to be hers. Elsewhere the doubt
    (`own_disease_doubt`) is taken off: in a thyroid or basket trial the disease is the patient's own, and a
    requirement in another cancer's trial is that cancer's therapy, which she lacks, and a concurrent therapy "for this
    cancer" is the one she is on ("No other concurrent anticancer agents or therapies for this cancer", NCT00349206, a
    melanoma trial: fresh sample 17's X073, judged right) (therapy 22), unless it may be another cancer's, which the
    evaluator leaves unknown (`TherapyValues.own_cancer`; mend42)."""

    def told(f: Fact) -> bool:
        return f.uncertain is not None and OWN_DISEASE_DOUBT.match(f.uncertain) is not None

    if not any(told(f) for c in criteria for f in c.facts):
        return criteria
    another = _another_cancer(criteria, conditions)
    changed = []
    for c in criteria:
        facts = tuple(_undoubted(f) if told(f) and not (another and _past_excluded(f)) else f for f in c.facts)
        changed.append(c if facts == c.facts else replace(c, facts=facts))
    return changed


def _another_cancer(criteria: list[Criterion], conditions: Sequence[str]) -> bool:
    """Whether the trial is not known to be for the patient's cancer: a line requires another primary site
    (`_other_site_required`), or neither its lines nor its conditions list name hers or many cancers (`_hers_unsaid`)."""
    return any(_other_site_required(c) for c in criteria) or _hers_unsaid(criteria, conditions)


# the kinase inhibitors that are not tyrosine kinase inhibitors but that a thyroid text may count as a "TKI" line:
# dabrafenib (BRAF, a serine/threonine kinase) with trametinib (MEK, a dual-specificity kinase) is the standard kinase
# inhibitor line of BRAF V600E anaplastic cancer, and the thyroid literature often names every small-molecule kinase
# inhibitor a TKI. mTOR and PI3K inhibitors are not so named (everolimus binds FKBP12; PI3K is a lipid kinase)
_CALLED_TKI = ("class.braf_inhibitor", "class.mek_inhibitor")


def _kinase_lines_loose(criteria: list[Criterion], conditions: Sequence[str]) -> list[Criterion]:
    """A certain requirement of a tyrosine kinase inhibitor told with no target and no drug ("over 65y must have at
    least one prior line of TKI treatment", NCT03246958, a thyroid trial: fresh sample 30's AK389, judged wrong for a
    patient who had dabrafenib with trametinib) may count her BRAF or MEK inhibitor (`_CALLED_TKI`): the
    requirement's ``maybe_classes``, which makes it uncertain, not unmet, for her. Only in a trial not of another
    cancer (`_another_cancer`: her own cancer's, or a basket or many-cancer trial): in another cancer's trial the TKI is
    that cancer's ("relapsed after treatment with a tyrosine kinase inhibitor" in a Ph+ ALL trial, NCT02819804; "TKI
    treatment failure" in a CML trial, NCT02078960: AK372, AK260, judged right), which a thyroid
    patient's BRAF or MEK inhibitor is not; nor where a target ("VEGF-directed TKIs") or a drug tells which."""

    def generic(f: Fact) -> bool:
        v = _certain(f, Polarity.REQUIRE)
        return v is not None and v.classes == ("class.tki",) and not v.drugs

    if not any(generic(f) for c in criteria for f in c.facts) or _another_cancer(criteria, conditions):
        return criteria
    changed = []
    for c in criteria:
        facts = tuple(_loose(f) if generic(f) else f for f in c.facts)
        changed.append(c if facts == c.facts else replace(c, facts=facts))
    return changed


def _loose(f: Fact) -> Fact:
    return f.changed(values=f.values.changed(maybe_classes=_CALLED_TKI))


# the patient's thyroid cancer named: the organ, its histologies, its radioiodine therapy and marker
_HERS_NAMED = lazy_regex(
    r"\b(?:thyroid\w*|DTC|PTC|FTC|MTC|ATC|RAIR|RAI|papillary|follicular|medullary|anaplastic|H[uü]rthle|oncocytic|"
    r"radio-?iodine|radioactive\s+iodine|I-?131|131-?I|thyroglobulin)\b",
    re.IGNORECASE,
)


def _hers_unsaid(criteria: list[Criterion], conditions: Sequence[str]) -> bool:
    """Whether no line of the trial, nor its conditions list, names the patient's thyroid cancer (`_HERS_NAMED`, a
    primary-site fact of the thyroid) and no line lets many cancers in (`primary_site.opens_to_many`): the trial's own
    disease is not known. (A thyroid trial whose lines never name the thyroid says so in its conditions list.)"""
    if any(_HERS_NAMED.search(condition) for condition in conditions):
        return False
    for c in criteria:
        if _HERS_NAMED.search(c.text) or opens_to_many(c):
            return False
        sites = (f.values for f in c.facts if f.kind is FactKind.PRIMARY_SITE)
        if any(isinstance(v, PrimarySiteValues) and THYROID in v.sites for v in sites):
            return False
    return True


def _past_excluded(f: Fact) -> bool:
    """Whether the fact excludes a past therapy, not a current one."""
    return f.polarity is Polarity.EXCLUDE and isinstance(f.values, TherapyValues) and not f.values.ongoing


def _undoubted(f: Fact) -> Fact:
    """The fact without the own-disease doubt its doubts open with, and any doubt added after it kept."""
    assert f.uncertain is not None
    rest = OWN_DISEASE_DOUBT.sub("", f.uncertain, count=1)
    return f.changed(uncertain=rest or None)


def _courses_unsaid(criteria: list[Criterion], conditions: Sequence[str]) -> list[Criterion]:
    """A requirement told in another cancer's course ("Ph+ CML patients in chronic or accelerated phase who are
    resistant or intolerant to Imatinib mesylate", NCT01602952, fresh sample 15's V090) is uncertain only where the
    trial says it is for another cancer: a certain requirement of a primary site other than the thyroid, with no
    condition, in its list or its conditions list, which the primary-site kind reads as "trial is for <cancer>". Where
    none does, the thyroid patient who lacks the other cancer's therapy lacks what the line asks, and nothing else
    tells her the trial is not hers: the requirement keeps its reading (therapy 21). An exclusion stays uncertain: the
    other cancer's therapy is none of hers ("Treatment-naive SSCHN, i.e. no prior chemotherapy, radiotherapy ...",
    NCT00570674, fresh sample 21's AB206). Where neither the trial's lines nor its conditions list name her cancer or
    many cancers (`_hers_unsaid`), the requirement keeps the cancer its line names (`_course_kept`)."""

    def course_only(f: Fact) -> bool:
        return f.polarity is Polarity.REQUIRE and f.uncertain is not None and bool(COURSE_DOUBT.fullmatch(f.uncertain))

    if not any(course_only(f) for c in criteria for f in c.facts) or any(_other_site_required(c) for c in criteria):
        return criteria
    hers_unsaid = _hers_unsaid(criteria, conditions)
    changed = []
    for c in criteria:
        facts = tuple(_course_kept(f, hers_unsaid) if course_only(f) else f for f in c.facts)
        changed.append(c if facts == c.facts else replace(c, facts=facts))
    return changed


def _course_kept(f: Fact, hers_unsaid: bool) -> Fact:
    """A requirement told in another cancer's course, certain (`_courses_unsaid`), that keeps the cancer its line names
    (``course_of``, the primary-site vocabulary's name: "a blood cancer" for "CML") where the vocabulary knows it as
    another site than the thyroid: the evaluator's reason then says the course asked is that cancer's, not her thyroid
    drug's or disease's ("Ph+ CML patients who are resistant ... or intolerant to imatinib or ... to at least one
    second-generation targeted anticancer agent ...", NCT01602952, fresh sample 34's AO056: "prior Nexavar ..., not
    progressed on it" was not why she fails it); only where the trial names neither her cancer nor many cancers
    (``hers_unsaid``; a basket trial's cohort of another cancer, "Cohort B: RET-positive NSCLC that has previously been
    treated with one RET TKI", NCT03131206, is left as it was)."""
    assert f.uncertain is not None
    if not hers_unsaid:
        return f.changed(uncertain=None)
    said = COURSE_DOUBT.fullmatch(f.uncertain)
    assert said is not None
    quoted = said.group("single")
    site = site_named(quoted if quoted is not None else said.group("double"))
    if site is None or site == THYROID:
        return f.changed(uncertain=None)
    return f.changed(uncertain=None, values=f.values.changed(course_of=site_name(site)))


def _other_site_required(c: Criterion) -> bool:
    """Whether the criterion requires, certainly and of every patient, a primary site other than the thyroid."""
    return c.scope.plain and any(
        f.kind is FactKind.PRIMARY_SITE
        and f.polarity is Polarity.REQUIRE
        and not f.uncertain
        and isinstance(f.values, PrimarySiteValues)
        and THYROID not in f.values.sites
        for f in c.facts
    )


def _untimed_among(criteria: list[Criterion]) -> list[Criterion]:
    """Exclusions of a therapy that tell no time at all (`cue.therapy.time_told`), in their text, heading or lead-in:
    "Anticancer therapies such as biologic therapy and chemotherapy, as well as radiation therapy or cancer surgery"
    (NCT01083368, sweep 18's Y033), a line of a bar on concomitant medications beside "Rifampicin": a current therapy
    or a past one, so uncertain (therapy 17b). A sub-item takes its lead-in's time ("Radiation therapy" under "... within
    28 days prior to ...:", NCT00381173), so the trial's list is read, not the line alone."""

    def told(c: Criterion) -> bool:
        text = " ".join(x for x in (c.text, c.heading or "") if x)
        return c.parent is not None or c.section is not Section.EXCLUSION or bool(_TIME_TOLD.search(text))

    doubt = "an exclusion that tells no time (current or past) is not read as any past therapy"
    return _doubted(criteria, told, _untimed, doubt)


def _untimed(f: Fact) -> bool:
    """A certain exclusion of a prior therapy with no window, not of a current one."""
    v = _certain(f, Polarity.EXCLUDE)
    return v is not None and v.within is None and not v.ongoing


def _untreated_routes(criteria: list[Criterion]) -> list[Criterion]:
    """Requirements of a prior systemic therapy that another inclusion line of the trial gives a route around for
    patients with none (`cue.therapy.untreated_route`): "Must have had at least 1 prior systemic therapy" beside
    "Patients with no prior systemic therapy are eligible provided they are not candidates for high-dose
    interleukin-2" (NCT00301067, sweep 17's S17-155). The route's terms (not a candidate for IL-2, a country without
    access to standard therapy) are not on a profile, so the requirement is uncertain: it can be met, not violated."""
    if not any(_systemic_required(f) for c in criteria for f in c.facts):
        return criteria  # no requirement to doubt: the lines that give a route around one are not looked for
    routes = [
        c
        for c in criteria
        if c.section is Section.INCLUSION
        and _NO_PRIOR.search(c.text)  # a quick test first: the cue is searched in the text joined again
        and _UNTREATED_ROUTE.search(" ".join(c.text.split()))
    ]
    if not routes:
        return criteria
    doubt = f"another line lets patients with no prior systemic therapy in ({shortened(routes[0].display_text, 60)!r})"
    return _doubted(criteria, lambda c: any(c is r for r in routes), _systemic_required, doubt)


def _systemic_required(f: Fact) -> bool:
    """A certain requirement of a prior systemic therapy (any, or of a drug or class), with no window."""
    v = _certain(f, Polarity.REQUIRE)
    return v is not None and v.within is None and bool(v.drugs or v.classes or "systemic" in v.categories)


def _certain(f: Fact, polarity: Polarity) -> TherapyValues | None:
    """The values of a certain prior-therapy fact of the given polarity, else None."""
    if f.kind is not FactKind.PRIOR_THERAPY or f.polarity is not polarity or f.uncertain:
        return None
    assert isinstance(f.values, TherapyValues)
    return f.values


def _doubted(
    criteria: list[Criterion], kept: Callable[[Criterion], bool], doubts: Callable[[Fact], bool], doubt: str
) -> list[Criterion]:
    """The criteria with ``doubt`` on each fact ``doubts`` picks, but in those ``kept`` leaves as they are."""
    changed = []
    for c in criteria:
        if not any(doubts(f) for f in c.facts) or kept(c):  # ``kept`` may search the text: asked only where it tells
            changed.append(c)
            continue
        facts = tuple(f.doubted(doubt) if doubts(f) else f for f in c.facts)
        changed.append(c if facts == c.facts else replace(c, facts=facts))
    return changed
