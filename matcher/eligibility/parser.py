"""The parser's entry points (this module imports spaCy; matching never needs it).

parse_text(text, fields)    -> list[Criterion]        one text and its structured age/sex fields
parse_texts(texts, fields)  -> list[list[Criterion]]  many, through one nlp.pipe pass
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise, takewhile
from typing import NamedTuple

from matcher.ctgov_parse import unescape_markdown
from matcher.eligibility import numbers
from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity, Section, one_line, shortened
from matcher.eligibility.cues import QuickPattern, cue, quick
from matcher.eligibility.kinds import (
    age,
    blood_pressure,
    cardiac,
    extractors,
    histology,
    infection,
    lab,
    other_malignancy,
    performance,
    primary_site,
    therapy,
)
from matcher.eligibility.kinds.sex import SexValues
from matcher.eligibility.numbers import Window
from matcher.eligibility.pipeline import find_mentions
from matcher.eligibility.scope import (
    NOTE,
    PERMISSION,
    PROHIBITION,
    RECOMMENDATION,
    Condition,
    Scope,
    alternative_spans,
    condition_spans,
    patients_group_end,
    read_scope,
    sentence_groups,
    unasked_spans,
)
from matcher.eligibility.segment import count_lead_end, ends_with_or, is_any_of, lead_ins, segment
from matcher.eligibility.text import CriterionText, found_once
from matcher.knowledge_base import KnowledgeBase, load_knowledge


@dataclass(frozen=True)
class StructuredFields:
    minimum_age: str | None = None
    maximum_age: str | None = None
    sex: str | None = None
    conditions: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()  # what the trial gives: a requirement of having had it is a contradiction


def structured_criteria(fields: StructuredFields, first_index: int) -> list[Criterion]:
    """minimumAge / maximumAge / sex from the registry's structured fields, as criteria."""
    found = age.structured(fields.minimum_age, fields.maximum_age)
    if fields.sex and fields.sex.upper() in ("FEMALE", "MALE"):
        found.append(
            (
                f"Sex: {fields.sex}",
                Fact(FactKind.SEX, Polarity.REQUIRE, SexValues(fields.sex.lower()), "field.sex", fields.sex),
            )
        )
    if (site := primary_site.from_conditions(fields.conditions)) is not None:
        found.append((f"Conditions: {'; '.join(fields.conditions)}", site))
    return [
        Criterion(first_index + i, Section.INCLUSION, text, None, None, source="structured", facts=(fact,))
        for i, (text, fact) in enumerate(found)
    ]


_LESION_RULE = quick(r"\bto be (?:deemed|considered) (?:a |as )?(?:target|measurable) lesions?\b", re.IGNORECASE)


def read_criterion(c: CriterionText, kb: KnowledgeBase) -> tuple[tuple[Fact, ...], Scope]:
    """One criterion's scope (`matcher.eligibility.scope`), then every fact it asks about, kind by kind
    (`matcher.eligibility.kinds`), in a stable order; a requirement that offers alternatives is read one
    alternative at a time (`_alternatives`)."""
    scope = read_scope(c)
    if _LESION_RULE.search(c.text):
        return (), scope  # "... must show progression to be deemed a target lesion": how lesions are chosen
    if scope.alternatives:
        return _sentence_groups(c, scope, _sentence_modalities(c, scope, kb, _alternatives(c, scope, kb), reread=False))
    facts = _sentence_modalities(c, scope, kb, _facts(c, scope, kb))
    facts, scope = _sentence_groups(c, _group_read_by_kind(c, scope, facts), facts)
    if (lead_end := count_lead_end(c.text)) is not None and lead_end < len(c.text.rstrip(" .;:")):
        # "At least 2 of the following adverse prognostic factors: Age >/= 70 years; or AHD; or ECOG ... = 2"
        # (NCT01160354): each item after the lead-in is one of several asked together, never asked alone
        facts = tuple(_counted(f, c.text[:lead_end]) if c.text.find(f.evidence, lead_end) >= 0 else f for f in facts)
    return facts, scope


def _group_read_by_kind(c: CriterionText, scope: Scope, facts: tuple[Fact, ...]) -> Scope:
    """The group a criterion opens on is no condition of its own when a kind read the group's words as what the
    criterion excludes: "Patients with history of hypertension must be well controlled (< 160/90) ..." (NCT00110214)
    excludes uncontrolled hypertension, "Patients with known central nervous system (CNS) involvement must have
    clinically stable CNS tumor ..." (NCT03179956) active brain metastases, the group's own state, which the kind
    decides; nor when a kind read the trial's cancer in it (a primary-site fact), whose patients are the trial's
    (scope 11; a group named by a histology or a leukaemia's abbreviation, "Patients with CLL/SLL must ...", is left
    out by `cue.scope.patients_who_must` itself)."""
    if not any(k.kind == "other" for k in scope.conditions):
        return scope  # the scope step made no group a condition (`scope._conditions`): nothing to take back
    end = patients_group_end(c)
    if end is None:
        return scope
    named = {m.id for m in c.mentions if m.start < end}
    if not any(f.kind is FactKind.PRIMARY_SITE for f in facts) and not any(
        f.polarity is Polarity.EXCLUDE and not f.uncertain and (0 <= c.text.find(f.evidence) < end or f.rule in named)
        for f in facts
    ):
        return scope
    group = Condition("other", c.text[:end].strip())
    return replace(scope, conditions=tuple(k for k in scope.conditions if k != group))


def _sentence_groups(c: CriterionText, scope: Scope, facts: tuple[Fact, ...]) -> tuple[tuple[Fact, ...], Scope]:
    """What a later sentence asks of the patients it opens on (`scope.sentence_groups`) is theirs: "... Patients with
    NSCLC harboring an EGFR, ALK or ROS-1 alteration must have progressed through at least one prior therapy with
    appropriate molecularly targeted agents." (NCT02963610). When that sentence holds every fact of the criterion and
    its group is named by histologies only, they are the criterion's conditions, decided by the matcher for each
    patient (not applicable to a patient of another histology); otherwise the sentence's facts are uncertain: they can
    satisfy, never violate. A group no profile decides ("other") is never made the whole criterion's: the sentences
    before it may ask something of everyone that no kind reads ("The subject's tumor must have relapsed after or
    failed to respond to frontline therapy ... Patients with desmoid fibromatosis must have relapsed after ...",
    NCT02557854). Left as read: a sentence whose group a kind read as what the criterion excludes (as
    `_group_read_by_kind`), or which a kind read as a permission ("Patients with metastatic disease to the brain should
    have definitive therapy for their brain metastases, should be asymptomatic", NCT00722293: the brain-metastases
    kind's own terms for those patients), and a limit a kind read as the group's own looser one ("In patients with liver
    metastasis, liver function tests should be less than 5 times the upper limit of normal": `alternative`)."""
    for group in sentence_groups(c) if facts else ():
        (a, b), ats = group.who, [c.text.find(f.evidence) for f in facts]
        named = {m.id for m in c.mentions if a <= m.start < b}
        if any(
            not f.uncertain
            and group.start <= at < group.end
            and (
                (f.polarity is Polarity.EXCLUDE and (a <= at < b or f.rule in named))
                or getattr(f.values, "permission", False)
            )
            for f, at in zip(facts, ats, strict=True)
        ):
            continue
        asked = [
            group.start <= at < group.end and not getattr(f.values, "alternative", False)
            for f, at in zip(facts, ats, strict=True)
        ]
        if not any(asked):
            continue
        if all(asked) and all(k.kind == "histology" for k in group.conditions):
            scope = replace(
                scope, conditions=(*scope.conditions, *(k for k in group.conditions if k not in scope.conditions))
            )
        else:
            doubt = (
                f"asked only of the patients its sentence opens on ({shortened(c.text[group.start : b].strip(), 60)!r})"
            )
            facts = tuple(
                f.doubted(doubt) if ask and not f.uncertain else f for f, ask in zip(facts, asked, strict=True)
            )
    return facts, scope


class _Doubt(NamedTuple):
    """A span of a criterion that asks nothing of the patient, why, and whether it doubts only what is required, or
    is a group the criterion lets in (``permission``: any fact read there, but a kind's own permission and one of a
    rule named before it, without reading the rest again)."""

    start: int
    end: int
    why: str
    required_only: bool = False
    permission: bool = False  # a group let in: the rest of the criterion is read as it stands, with it
    named_before: frozenset[str] = frozenset()  # what is named before a group let in (its facts may be read there)


# The cues `_sentence_modalities` asks of every sentence of every criterion with a fact, named once here
_RECOMMENDATION_SENTENCE = cue("cue.modality.recommendation_sentence")
_LESION_RULE_SENTENCE = cue("cue.note.lesion_rule")
_LESION_RULE_RELATIVE = cue("cue.note.lesion_rule_relative")
_REASON_SENTENCE = cue("cue.note.reason_sentence")
_POSSIBILITY = cue("cue.permission.possibility")
_EITHER_WAY_SENTENCE = cue("cue.permission.either_way")
_BE_EXCLUDED = cue("cue.prohibition.be_excluded")
_NOTE_INLINE = cue("cue.modality.note_inline")
_PERMITTED_GROUP = cue("cue.permission.later_clause")


def _sentence_modalities(
    c: CriterionText, scope: Scope, kb: KnowledgeBase, facts: tuple[Fact, ...], reread: bool = True
) -> tuple[Fact, ...]:
    """Scope below the criterion: a sentence or a note inside it that asks nothing of the patient makes uncertain the
    facts read from it (parser 25). The scope step reads the criterion's first clause; what a later sentence says of
    its own words is decided here, from cues (matcher/knowledge/cues.json):

    - a later sentence that recommends ("Subjects with symptomatic tumor lesions ... are strongly encouraged to
      receive palliative radiotherapy prior to enrollment.", NCT03572478);
    - a sentence that says what may be so ("New CNS metastasis could be the reason for disease progression, but they
      must be stable clinically", NCT00571116);
    - a sentence that allows a therapy either way ("Patients that either have received previous treatment with
      anthracyclines and/or taxanes or not", NCT00418028);
    - a sentence that says which lesions may count ("Lesions within a prior field of radiation may only be used as
      indicator lesions if there has been evidence of disease progression at that site.", NCT00412581);
    - a later sentence that gives a reason and asks nothing ("Because of the slow onset of action of ipilimumab ...,
      patients with rapidly progressive disease may not have been suitable for the protocol.", NCT01838200);
    - an inline note, to the end of the criterion ("Cytopathologically confirmed CNS infiltration NB: in absence of
      suspicion of CNS involvement, lumbar puncture is not required", NCT00384228);
    - a later sentence, or a clause after "; however", that lets a group in ("...; however, persons with other active
      malignancy ... can be considered for participation", NCT01249443: mend48);
    - under the inclusion heading, a sentence that says who is excluded ("Patients with ... history of a major surgical
      procedure ... within 28 days prior to beginning therapy should be excluded due to ...", NCT00665990): what it
      names is not required; a fact a kind read as excluded ("Pregnant and/or lactating women will be excluded")
      stays.

    Such a fact can satisfy, never violate: the reading is uncertain, never a new exclusion. A kind that reads the
    whole criterion as its own when it names its subject anywhere (brain metastases) would otherwise drop what the
    other sentences ask ("Subjects must have progressed ... after at least one prior systemic therapy ..."): the rest
    of the criterion is read again without the sentences that ask nothing, and its facts stand as read."""
    if not facts:
        return facts
    text = c.text
    doubts: list[_Doubt] = []
    for number, (start, end) in enumerate(c.sentences):
        sentence = text[start:end]
        if number and (found := _RECOMMENDATION_SENTENCE.search(sentence)):
            doubts.append(_Doubt(start, end, f"a recommendation ({found.group(0).strip()!r}), not a requirement"))
        elif (found := _LESION_RULE_SENTENCE.search(sentence)) and not _LESION_RULE_RELATIVE.search(sentence):
            # (not "lesions that can be used as indicator lesions": that is what a requirement asks for)
            why = f"a rule for which lesions count ({shortened(found.group(0).strip(), 60)!r}), asks nothing"
            doubts.append(_Doubt(start, end, why))
        elif number and _REASON_SENTENCE.match(sentence):
            doubts.append(_Doubt(start, end, f"a reason ({shortened(sentence.strip(), 60)!r}), asks nothing"))
        elif found := _POSSIBILITY.search(sentence):
            doubts.append(
                _Doubt(start, end, f"what may be so ({found.group(0).strip()!r}) is not asked of the patient")
            )
        elif found := _EITHER_WAY_SENTENCE.search(sentence):
            # from the cue on: "Patients must have stage IIIB or IV NSCLC ... whether or not previously treated with
            # cytotoxic chemotherapy" (NCT02040870) still asks for NSCLC
            why = f"a therapy allowed either way ({shortened(found.group(0), 60)!r})"
            doubts.append(_Doubt(start + found.start(), end, why))
        elif c.section is Section.INCLUSION and (found := _BE_EXCLUDED.search(sentence)):
            why = f"an exclusion ({found.group(0)!r}) under the inclusion heading"
            doubts.append(_Doubt(start, end, why, required_only=True))
        if (found := _PERMITTED_GROUP.search(sentence)) and (number or found.start()):
            # "...; however, persons with other active malignancy with prior history of Kaposi sarcoma can be
            # considered for participation" (NCT01249443, comorbid sample 46's DF169): who may enter, not what is
            # excluded. Kept: a fact a kind read as its own permission (brain metastases, histology), and one of a
            # rule named before the group too ("Clinically active cerebral melanoma metastases. Subjects with up to 3
            # cerebral metastases ... may be enrolled, provided ...", NCT01740297: the brain metastases excluded)
            at = start + found.start()
            told = shortened(sentence[found.start() :].strip(" ;,"), 60)
            before = frozenset(m.id for m in c.mentions if m.start < at)
            why = f"a group let in ({told!r}), not excluded"
            doubts.append(_Doubt(at, end, why, permission=True, named_before=before))
    if note := _NOTE_INLINE.search(text):
        doubts.append(_Doubt(note.start(), len(text), f"a note ({shortened(text[note.start() :], 60)!r}) asks nothing"))
    # recommended, permitted or conditional: what is required there is not asked (scope20)
    doubts.extend(_Doubt(*span, required_only=True) for span in unasked_spans(c))
    if not doubts:
        return facts
    blanked = [(d.start, d.end) for d in doubts if not (d.required_only or d.permission)]
    if not (reread and blanked):
        return tuple(_doubted(fact, text.find(fact.evidence), doubts) for fact in facts)
    kept = "".join(" " if any(a <= i < b for a, b in blanked) else ch for i, ch in enumerate(text))
    mentions = [m for m in c.mentions if not any(a <= m.start < b for a, b in blanked)]
    rest = _facts(CriterionText(kept, mentions, c.section), scope, kb) if kept.strip(" .;,") else ()
    spared = [
        d for d in doubts if d.required_only or d.permission
    ]  # what the rest is read with: only the doubts of what it still holds
    return (
        *(_as_whole(_doubted(f, at, spared), facts) for f in rest if not _within(at := kept.find(f.evidence), blanked)),
        *(_doubted(f, at, doubts) for f in facts if _overlaps(at := text.find(f.evidence), f.evidence, blanked)),
    )


def _within(at: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= at < b for a, b in spans)


def _as_whole(fact: Fact, whole: Sequence[Fact]) -> Fact:
    """A fact of the rest read again, against the whole criterion's reading (review of parser 25). The sentences left
    out may hold what qualifies the rest: "Known brain metastases NB: patients with treated, stable brain metastases
    are eligible" read as a whole excludes active brain metastases, its rest alone any; "Prior chemotherapy, whether or
    not previously treated with adjuvant therapy, unless completed more than 12 months before" loses its window. So a
    certain fact of a kind the whole criterion was read for stands only if the whole reading had it too, certain;
    otherwise it is uncertain, never a new exclusion. A kind the whole reading did not read at all (one kind took the
    criterion as its own: "New CNS metastasis could be the reason for disease progression", NCT00571116) stands as
    read."""
    if fact.uncertain or not any(f.kind is fact.kind for f in whole):
        return fact
    if any(not f.uncertain and f.polarity is fact.polarity and _no_wider(fact, f) for f in whole):
        return fact
    return fact.doubted("read without the sentences that ask nothing, the criterion reads otherwise as a whole")


def _no_wider(fact: Fact, whole: Fact) -> bool:
    """Whether the fact asks what the whole reading's fact asks, or (an exclusion) fewer of the same things: every
    value equal, but for a list of alternatives the rest names part of ("hepatitis" of "hepatitis", "hepatitis B")."""
    if fact.values == whole.values:
        return True
    if fact.polarity is not Polarity.EXCLUDE or type(fact.values) is not type(whole.values):
        return False
    for name in fact.values.__struct_fields__:
        mine, theirs = getattr(fact.values, name), getattr(whole.values, name)
        if mine == theirs:
            continue
        if not (isinstance(mine, tuple) and isinstance(theirs, tuple) and mine and not name.startswith("except")):
            return False
        if not set(mine) <= set(theirs):
            return False
    return True


def _overlaps(at: int, evidence: str, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether evidence found at ``at`` (-1: not found) overlaps any of the spans (start, end)."""
    return at >= 0 and any(at < end and start < at + len(evidence) for start, end in spans)


def _doubted(fact: Fact, at: int, doubts: Sequence[_Doubt]) -> Fact:
    """The fact with the doubt of the first span its evidence overlaps; one that doubts only what is required leaves
    an exclusion as read, and a group let in leaves a kind's own permission and a rule named before it."""
    for d in doubts:
        if d.permission and (getattr(fact.values, "permission", False) or fact.rule in d.named_before):
            continue
        if _overlaps(at, fact.evidence, [(d.start, d.end)]) and (
            fact.polarity is Polarity.REQUIRE or not d.required_only
        ):
            return fact.doubted(d.why)
    return fact


def _counted(fact: Fact, lead: str) -> Fact:
    """A fact that is one of several items a lead-in asks a number of ("> 3 of the following"): uncertain."""
    doubt = f"one of several items of which the text asks a number together ({shortened(one_line(lead), 60)!r})"
    return fact.doubted(doubt)


def _facts(c: CriterionText, scope: Scope, kb: KnowledgeBase) -> tuple[Fact, ...]:
    """Every fact of one criterion (or of one alternative), asking only the kinds that can find something in it."""
    c.condition_spans = condition_spans(c, scope)
    found = {m.label for m in c.mentions} | {m.id for m in c.mentions}
    facts = tuple(fact for extract in extractors(found) for fact in extract(c, kb))
    if c.guessed:
        doubt = "a negation before the comma may or may not reach this item (read as another way in)"
        facts = tuple(f.doubted(doubt) if any(m.text in f.evidence for m in c.guessed) else f for f in facts)
    if examples := c.unless_examples:
        named = [m for m in c.mentions if any(a < m.start < b for a, b in examples)]
        doubt = "examples after an 'unless' may be of what it lets in or of what it excludes"
        facts = tuple(f.doubted(doubt) if any(m.text in f.evidence for m in named) else f for f in facts)
    return facts


def _alternatives(c: CriterionText, scope: Scope, kb: KnowledgeBase) -> tuple[Fact, ...]:
    """The facts of each alternative, read on its own text and numbered from 1. An alternative with no fact was not
    read: the others' facts are then uncertain (they can satisfy the criterion, never violate it), since the
    unread alternative might be the one the patient meets."""
    found: list[Fact] = []
    unread = []
    for number, (start, end) in enumerate(alternative_spans(c.text), 1):
        mentions = [m._replace(start=m.start - start, end=m.end - start) for m in c.mentions
                    if m.start >= start and m.end <= end]  # fmt: skip
        facts = _facts(CriterionText(c.text[start:end], mentions, c.section), scope, kb)
        found.extend(f.changed(alternative=number) for f in facts)
        if not facts:
            unread.append(shortened(one_line(c.text[start:end]), 60))
    if unread:
        doubt = f"an alternative was not read ({'; '.join(repr(u) for u in unread)})"
        found = [f.doubted(doubt) for f in found]
    return tuple(found)


class _Line(NamedTuple):
    """A criterion as it is read: its words on one line, and its section."""

    text: str
    section: Section


def prepare(text: str) -> str:
    """The text as the parser reads it (criteria's ``start``/``end`` index it): Markdown backslash escapes removed
    ("CD4 \\> 200" is "CD4 > 200"), HTML character references written out ("New York Health Authority Class &gt; 2",
    NCT03121716, comorbid sample 33's CS060: a class limit no pattern read), and each accented letter one character
    (NFC): a registry may write "naïve" as "i" and a combining diaeresis (NCT00716794's "chemotherapy-naïve"), which no
    cue or vocabulary spelling matches."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\\" in text:
        text = unescape_markdown(text)
    if "&" in text:
        text = _CHARACTER_REFERENCE.sub(lambda m: html.unescape(m.group(1)), text)
    return text


# a named or numbered HTML character reference, with its semicolon: "&gt;", "&GT;", "&#8805;" (not "R&D", "A&E"); with
# the backslash the API's Markdown may put before it ("\\&GT;"), which the same text in the legacy layout lacks
_CHARACTER_REFERENCE = re.compile(r"\\?(&(?:[a-zA-Z]{2,8}|#[0-9]{2,6}|#[xX][0-9a-fA-F]{2,5});)")


def parse_texts(texts: Sequence[str], fields: Sequence[StructuredFields] | None = None) -> list[list[Criterion]]:
    """Parse many eligibility texts together (the batch path: ingestion, benchmarks).

    A criterion's reading depends only on its words (whitespace aside) and its section, and registries repeat the
    same criteria from trial to trial ("Pregnant or breast-feeding women"): each distinct one is read once per call.
    """
    kb = load_knowledge()
    prepared = [prepare(text) for text in texts]
    segmented = [segment(text) for text in prepared]
    lines = [[_Line(s.words, s.section) for s in segs] for segs in segmented]
    distinct = list(dict.fromkeys(line for text_lines in lines for line in text_lines))
    readings = {
        line: read_criterion(CriterionText(line.text, mentions, line.section), kb)
        for line, mentions in zip(
            distinct, find_mentions([line.text for line in distinct], collapsed=True), strict=True
        )
    }
    results = []
    for position, (text, segments, text_lines) in enumerate(zip(prepared, segmented, lines, strict=True)):
        criteria = []
        for index, (seg, line) in enumerate(zip(segments, text_lines, strict=True)):
            raw = text[seg.start : seg.end]
            facts, scope = readings[line]
            if seg.heading is not None:
                scope = _under_heading(seg.heading, scope)
            if seg.cohort is not None:
                scope = _in_cohort(seg.cohort, scope)
            if seg.maybe_exclusion:
                facts = tuple(f if f.uncertain else f.doubted(_MAYBE_EXCLUSION) for f in facts)
            criteria.append(
                Criterion(
                    index=index, section=seg.section, text=raw, start=seg.start, end=seg.end, parent=seg.parent,
                    any_of=raw.rstrip().endswith(":") and is_any_of(raw), heading=seg.heading, facts=facts,
                    scope=scope,
                )
            )  # fmt: skip
        criteria = _exclusions_of_one_phase(_under_part_headings(criteria))
        if fields is not None:
            criteria = _given_by_the_trial(criteria, fields[position].interventions, kb)
            criteria = _against_structured_ages(criteria, fields[position])
            criteria.extend(structured_criteria(fields[position], len(criteria)))
            criteria = other_malignancy.in_a_trial_not_for_cancer(criteria, fields[position].conditions)
        criteria = therapy.other_than_allowed(therapy.used_now_in_the_trial(criteria, text), text)
        criteria = _cut_sentences(_continued_sentences(_mark_parents(criteria)), text)
        criteria = _beside_recommendation_lead_ins(_beside_window_lead_ins(_inherit_lead_ins(criteria)), text)
        criteria = other_malignancy.treated_let_in(_status_definitions(criteria))
        criteria = _dangling_alternatives(_beside_negated_lead_ins(criteria))
        criteria = lab.inverted_among(histology.other_cohorts(_restated_by_sub_items(criteria)))
        criteria = blood_pressure.adjustable_among(lab.met_otherwise_among(criteria))
        criteria = _cohorts_as_alternatives(criteria)
        # last, on the finished criteria: a performance-status or age requirement that the trial's other lines make a
        # likely slip, and an age that is a group's, not everyone's (slips 15). Each kind reads the whole list, since
        # the evidence is on another line; which lines count does not depend on their order
        # (tests/test_revp15_readings.py).
        # untimed exclusions, routes in for the untreated, the trial's own disease
        criteria = therapy.untreated_routes_among(criteria, fields[position].conditions if fields is not None else ())
        results.append(age.slips_and_groups_among(performance.slips_among(criteria)))
    return results


_MAYBE_EXCLUSION = (
    "under a second 'Inclusion Criteria' heading in a text with no exclusion heading: may be an exclusion"
)


def _under_heading(heading: str, scope: Scope) -> Scope:
    """The scope of a criterion under a sub-heading. Under a heading over another person's criteria ("Donor Inclusion
    Criteria:", NCT01303965) it is that person's, whether or not the criterion names them (`cue.other_person.lead`).
    Under a heading that restricts it to one cohort ("EXC CRITERIA (AZD6244 cohorts)", NCT01160926; "Inclusion
    Criteria for Part 2A only:") it is that cohort's, not every patient's (`cue.scope.cohort_heading`)."""
    if _OTHER_PERSON_LEAD.search(heading) and (person := _OTHER_PERSON.search(heading)):
        others = tuple(dict.fromkeys((*scope.others, person.group(0).lower())))
        scope = scope if others == scope.others else replace(scope, others=others)
    if _COHORT.search(heading) and _COHORT_HEADING.search(heading):
        condition = Condition("cohort", heading.strip(" -*:"))
        if condition not in scope.conditions:
            scope = replace(scope, conditions=(*scope.conditions, condition))
    return scope


_HEADING_PART = cue("cue.scope.heading_part")
# a cohort named in capitals on a line of its own above its sections ("NON-METASTATIC CRPC", NCT01171898; segment.py)
_COHORT_NAME_LINE = cue("cue.heading.cohort_name_line")
_HEADING_EVERY_PART = cue("cue.scope.heading_every_part")
_PART_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5"}
_LATER_PERIODS = ("extension", "maintenance", "treatment period", "substudy", "sub-study")
_NOT_WORD = quick(r"[\W_]+")  # a criterion's words compared across parts, without punctuation or case
# a part that takes another's list: "As listed for Part 1 with the exception of criterion 2 ..."
_TAKES_LIST = quick(
    r"^\W*(?:(?:same|identical)\s+as(?:\s+(?:for|in))?|as\s+(?:listed|described|defined|stated|outlined|specified)"
    r"\s+(?:for|in|under))\s+(?:the\s+)?(?P<part>(?:part|phase|cohort|arm|group|stratum)\s*\w{1,3})\b",
    re.IGNORECASE,
)
_EXCEPT_ITEM = quick(
    r"\bexception\s+of\s+(?:inclusion\s+|exclusion\s+)?criteri(?:on|a)\s*#?\s*(\d{1,2})\b", re.IGNORECASE
)


def _heading_part(heading: str) -> str | None:
    """The one part, phase, cohort, arm, group or stratum a sub-heading names, as a key ("phase 2" for "Exclusion
    Criteria (Phase II)"), or a named period ("escalation", "extension"); None when it names none, or every one
    ("Key Exclusion Criteria (Phase 1 and Phase 2)")."""
    if _HEADING_EVERY_PART.search(heading):
        return None
    parts = set()
    for m in _HEADING_PART.finditer(heading):
        if m.group("named"):
            named = " ".join(m.group("named").lower().replace("dose", "").replace("-", " ").split())
            parts.add("expansion" if named.startswith("expan") else named)
        else:
            what, number = m.group(0)[: m.start("id") - m.start()].strip().lower(), m.group("id").lower()
            suffix = number[-1] if number[-1] in "ab" and number[:-1] in _PART_ROMAN else ""  # "IIa": "2a"
            base = number[: len(number) - len(suffix)]
            number = _PART_ROMAN.get(base, base) + suffix
            parts.add(f"{'phase' if what == 'portion' else what} {number}")
    if not parts and _COHORT_NAME_LINE.match(name := heading.split(": ", 1)[0]):
        return "cohort " + " ".join(name.lower().split())  # "NON-METASTATIC CRPC" / "Inclusion Criteria" (heading21)
    return parts.pop() if len(parts) == 1 else None


def _under_part_headings(criteria: list[Criterion]) -> list[Criterion]:
    """Criteria under sub-headings that name the trial's parts ("Inclusion Criteria for Part 1:" / "Inclusion
    Criteria for Part 2A only:" / "Inclusion Criteria for Part 2B only:", NCT01476137; "Inclusion Criteria (phase I)"
    / "Inclusion Criteria (phase II)") are their part's: a patient may enter another part, so no profile decides them
    and they cannot exclude (issue 10, items 2 and 3). It holds when the text's sub-headings name two parts or more,
    or one later period of the trial ("Exclusion Criteria for Open-Label Extension"). A criterion that every other
    part asks too is every part's and stays as it is: the same words, or the same certain facts (all it can be
    violated by), under every other part's heading of its section ("Normal electrocardiogram (ECG) with QTc <=450
    msec ..." under "Inclusion Criteria (Group A)", "Normal ECG with QTc <=450 msec ..." under "(Group B)",
    NCT00412412), or a part that takes another's list ("As listed for Part 1 with the exception of criterion 2 ...":
    Part 1's items but its second). A heading for the whole population ("Inclusion Criteria:", "DISEASE
    CHARACTERISTICS:") names no part (heading16)."""
    parts = {c.heading: _heading_part(c.heading) for c in criteria if c.heading is not None}
    named = set(parts.values()) - {None}
    if not named or (len(named) == 1 and not named & set(_LATER_PERIODS)):
        return criteria

    def keys(c: Criterion) -> set[object]:
        found: set[object] = {(c.section, " ".join(_NOT_WORD.sub(" ", c.text.lower()).split()))}
        # what it can be violated by: its certain facts, not a bare "must agree"
        if asks := sorted(f.key for f in c.facts if not f.uncertain and not f.key.endswith("|{}")):
            found.add((c.section, "\n".join(asks)))
        return found

    asked: dict[str | None, set[object]] = {}
    facts_asked: dict[str | None, set[tuple[Section, str]]] = {}  # each part's certain facts, one at a time
    for c in criteria:
        if c.heading is not None and (part := parts[c.heading]) is not None:
            asked.setdefault(part, set()).update(keys(c))
            facts_asked.setdefault(part, set()).update(
                (c.section, f.key) for f in c.facts if not f.uncertain and not f.key.endswith("|{}")
            )
    for c in criteria:  # "As listed for Part 1 with the exception of criterion 2 ...": Part 1's other items
        if c.heading is None or (part := parts[c.heading]) is None or not (taken := _TAKES_LIST.search(c.text)):
            continue
        source = _heading_part(taken.group("part"))
        but = {int(n) for n in _EXCEPT_ITEM.findall(c.text)}
        items = [k for k in criteria if k.heading is not None and parts[k.heading] == source and k.parent is None]
        for number, k in enumerate(items, 1):
            if number not in but:
                asked[part].update(keys(k))
    changed = []
    for c in criteria:
        part = parts.get(c.heading) if c.heading is not None else None
        if part is None or c.heading is None:
            changed.append(c)
            continue
        condition = Condition("cohort", c.heading.strip(" -*:"))
        if part not in _LATER_PERIODS and all(keys(c) & asked[p] for p in named if p != part):
            # every part's: not the heading's cohort (`_under_heading`), whatever its words
            kept = tuple(k for k in c.scope.conditions if k != condition)
            changed.append(c if kept == c.scope.conditions else replace(c, scope=replace(c.scope, conditions=kept)))
        elif (
            part not in _LATER_PERIODS
            and condition not in c.scope.conditions  # a heading naming its cohort itself keeps it (`_under_heading`)
            and (shared := _shared_facts(c, part, named, facts_asked))
        ):
            # what every part asks stays as read, the rest is this part's ("Histologically or cytologically proven
            # prostate cancer with progressive disease ..." under two of NCT01171898's three cohorts: every cohort
            # asks prostate cancer, one asks no progression; heading21)
            doubt = f"asked under {one_line(c.heading)!r} only, one part of the trial"
            facts = tuple(f if f in shared or f.uncertain else f.doubted(doubt) for f in c.facts)
            changed.append(replace(c, facts=facts))
        else:
            changed.append(c if condition in c.scope.conditions else replace(
                c, scope=replace(c.scope, conditions=(*c.scope.conditions, condition))))  # fmt: skip
    return changed


def _exclusions_of_one_phase(criteria: list[Criterion]) -> list[Criterion]:
    """Exclusions listed under bare phase lines of their own ("Phase I" / "1. CNS infiltration" / ... / "15. HIV
    infection" / "Phase II" / "1. Blast phase CML" / ..., NCT01602952), which are no part headings
    (`cue.heading.part_line`). An exclusion bars only its phase's patients, who may enter another phase: each certain
    fact that another phase's list does not ask too is uncertain ("HIV infection" under Phase I only, comorbid sample
    36's CV300); what every phase's list asks ("LVEF <45%") stays as read, and so does what a phase takes from
    another's list ("Phase 2" / "Same as phase 1 with the following addition", NCT00473746), but the items it excepts.
    A lead-in of its own after them ("Exclusion criteria for both phases:") ends the last phase's list. The same
    exclusion in other words under another phase ("HIV infection or active hepatitis B") is not told apart: facts are
    compared by what they ask, key for key. Inclusions under bare phase lines are read as every patient's: a phase's
    own requirement (Phase I's "ECOG 0-1" beside Phase II's "ECOG 0-2") still bars a patient another phase takes."""
    blocks: dict[str, list[int]] = {}  # each phase's items, by its key ("phase 1" for "Phase I")
    written: dict[str, str] = {}  # each phase's line as the text writes it
    phase: str | None = None
    for i, c in enumerate(criteria):
        if c.section is not Section.EXCLUSION:
            phase = None
        elif c.parent is None and not c.facts and _BARE_PHASE.fullmatch(line := one_line(c.text)):
            phase = _heading_part(line) or line
            blocks.setdefault(phase, [])
            written[phase] = line.strip(" -*:.")
        elif c.parent is None and not c.facts and one_line(c.text).rstrip().endswith(":"):
            phase = None  # "Exclusion criteria for both phases:"
        elif phase is not None:
            blocks[phase].append(i)
    if len(blocks) < 2:
        return criteria

    def keys(items: list[int]) -> set[str]:
        return {f.key for i in items for f in criteria[i].facts if not f.uncertain}

    asked = {name: keys(items) for name, items in blocks.items()}
    for name, items in blocks.items():
        for i in items:
            taken = _TAKES_LIST.search(one_line(criteria[i].text))
            source = _heading_part(taken.group("part")) if taken else None
            if source in blocks and source != name:
                but = {int(n) for n in _EXCEPT_ITEM.findall(criteria[i].text)}
                asked[name] |= keys([j for j, number in _numbered(criteria, blocks[source]) if number not in but])
    changed = list(criteria)
    for name, items in blocks.items():
        others = [keys for other, keys in asked.items() if other != name]
        doubt = f"asked under {written[name]!r} only, one phase of the trial"
        for i in items:
            c = criteria[i]
            facts = tuple(f if f.uncertain or all(f.key in o for o in others) else f.doubted(doubt) for f in c.facts)
            if facts != c.facts:
                changed[i] = replace(c, facts=facts)
    return changed


def _numbered(criteria: list[Criterion], items: list[int]) -> Iterator[tuple[int, int]]:
    """Each of a list's items with the number of the top-level item it is, or is under (1, 2, ...)."""
    number = 0
    for i in items:
        number += criteria[i].parent is None
        yield i, number


_BARE_PHASE = quick(r"\W*phase\s+(?:I{1,3}|IV|[1-4])[ab]?\W*", re.IGNORECASE)


def _shared_facts(
    c: Criterion, part: str, named: set[str | None], facts_asked: dict[str | None, set[tuple[Section, str]]]
) -> tuple[Fact, ...]:
    """The certain facts of a criterion under one part's heading that every other part asks too, in the same section,
    each on some line of its own: a patient who fails one fails every part, so it stays the trial's (the caution of
    NCT01602952: a line that excludes in every part must still exclude), also where the rest is already uncertain
    (another cancer's progression, therapy 21). None when every fact is a shared certain one (then nothing is the
    part's alone: `keys` in `_under_part_headings` decides the whole line)."""
    shared = tuple(
        f
        for f in c.facts
        if not f.uncertain
        and not f.key.endswith("|{}")
        and all((c.section, f.key) in facts_asked.get(p, ()) for p in named if p != part)
    )
    return shared if shared and any(f not in shared for f in c.facts) else ()


def _in_cohort(cohort: str, scope: Scope) -> Scope:
    """The scope of a criterion a cohort's lead-in stands over ("For Part II" / "13. Demonstrated tumor progression at
    the time of study entry.", NCT00240097; segment.py `cohort_lead`): that cohort's, which no profile decides."""
    condition = Condition("cohort", cohort)
    return scope if condition in scope.conditions else replace(scope, conditions=(*scope.conditions, condition))


def _given_by_the_trial(criteria: list[Criterion], interventions: Sequence[str], kb: KnowledgeBase) -> list[Criterion]:
    """Prior-therapy requirements of a drug the trial gives are uncertain (`therapy.given_by_the_trial`)."""
    own = {drug.id: drug.name for name in interventions if (drug := kb.drug_by_name(name)) is not None}
    if not own:
        return criteria
    return [replace(c, facts=tuple(therapy.given_by_the_trial(f, own) for f in c.facts)) for c in criteria]


def _against_structured_ages(criteria: list[Criterion], fields: StructuredFields) -> list[Criterion]:
    """A text's age requirement that contradicts the trial's structured ages is uncertain (`age.against_structured`);
    one for a subgroup (an age condition) is not the trial's entry limit and is left alone."""
    low, high = age.field_years(fields.minimum_age), age.field_years(fields.maximum_age)
    if low is None and high is None:
        return criteria
    checked = []
    for c in criteria:
        facts = (
            c.facts
            if any(k.kind == "age" for k in c.scope.conditions)
            else tuple(age.against_structured(f, low, high) for f in c.facts)
        )
        checked.append(c if facts == c.facts else replace(c, facts=facts))
    return checked


def _mark_parents(criteria: list[Criterion]) -> list[Criterion]:
    """A criterion that has sub-items and says "at least one of the following" is a group of alternatives. Not when
    its "No" or "may not" reaches the items (`_NEGATED_LEAD`): "No history of any of the following:" asks none of them
    (lead26), each item an exclusion of its own (`_inherit_lead_ins`)."""
    items: dict[int, list[Criterion]] = {}  # each lead-in's sub-items
    for c in criteria:
        if c.parent is not None:
            items.setdefault(c.parent, []).append(c)
    # "Patients with a solid tumor who:" / "- have progressed ..., or" / "- decline standard therapy": alternatives
    joined_by_or = {c.parent for c in criteria if c.parent is not None and ends_with_or(c.text)}
    marked = []
    for c in criteria:
        any_of = (
            c.section is Section.INCLUSION
            and (
                c.any_of
                or (
                    c.index in items
                    and (c.index in joined_by_or or is_any_of(c.text) or _contradicting(items[c.index]))
                )
            )
            and not _NEGATED_LEAD.search(c.text)
        )
        marked.append(c if any_of == c.any_of else replace(c, any_of=any_of))
    return marked


def _contradicting(items: list[Criterion]) -> bool:
    """Whether two of a lead-in's sub-items require one test on either side of a value, which no patient meets at once:
    "Modified Glasgow Prognostic Score (mGPS) of 1 or 2 as defined below:" / "mGPS of 1: ... albumin ≥35 g/L" / "mGPS
    of 2: ... albumin <35 g/L" (NCT02117479) offers alternatives, read as all of them it barred every patient
    (lab29). A value both limits hold ("≥ 3.5" and "≤ 3.5") is no contradiction."""
    lows: dict[str, tuple[float, bool]] = {}  # per test, the highest lower limit and whether it is strict
    highs: dict[str, tuple[float, bool]] = {}
    for item in items:
        for f in item.facts:
            v = f.values
            if f.polarity is not Polarity.REQUIRE or f.uncertain or not isinstance(v, lab.LabValues):
                continue
            if v.canonical_value is None or v.op not in (">", ">=", "<", "<="):
                continue
            bound = (float(v.canonical_value), v.op in (">", "<"))
            if v.op in (">", ">="):
                lows[v.lab] = max(lows.get(v.lab, bound), bound)
            else:
                highs[v.lab] = min(highs.get(v.lab, bound), bound, key=lambda b: (b[0], not b[1]))
    for test, (low, low_strict) in lows.items():
        if test in highs:
            high, high_strict = highs[test]
            if low > high or (low == high and (low_strict or high_strict)):
                return True
    return False


_LEAD_MODALITIES = (PERMISSION, RECOMMENDATION, NOTE)  # what a lead-in passes on to its sub-items
_OTHER_PERSON = cue("cue.other_person")
_OTHER_PERSON_LEAD = cue("cue.other_person.lead")
_COHORT = cue("cue.scope.cohort")
_COHORT_HEADING = cue("cue.scope.cohort_heading")
# A lead-in whose sub-items are its exceptions: "Second malignancy within the past 5 years except:" / "Treated
# medullary or papillary thyroid cancer" (NCT02412878) says who is allowed, not what excludes
_EXCEPTIONS_FOLLOW = quick(
    r"\b(?:except(?:\s+for)?|with\s+the\s+exceptions?\s+of|other\s+than|excluding|apart\s+from|aside\s+from)"
    r"(?:\s+(?:for\s+)?the\s+following)?\s*:\s*$"
    # "No prior systemic therapy with the following exceptions:", "...; the following prior therapies are allowed:"
    r"|\bwith\s+the\s+following\s+exceptions?\s*:\s*$|\bfollowing\s+(?:[\w-]+\s+){0,3}(?:are|is)\s+(?:allowed|permitted)\s*:\s*$",
    re.IGNORECASE,
)
# A lead-in whose sub-items say who is tested: "Documented LVEF <= 45%; testing is required in patients who are:" /
# "Age greater than or equal to 65 years old" (NCT02153905) names patients to test, not an exclusion; so do the
# sub-items of "Documented LVEF of less than 45 percent in patients with:" (NCT00610311) and "... tested in patients
# with:" (NCT01583686): the patients in whom the lead-in applies (parser 20)
_TESTED_FOLLOW = quick(
    r"\b(?:(?:testing|tests?|assessment|evaluation|screening)\s+(?:is\s+|are\s+)?(?:required|needed|mandatory|indicated)"
    r"\s+|tested\s+)?(?:in|for)\s+(?:patients|subjects|participants|those)\s*(?:who\s+(?:are|have)|with)\s*:\s*$"
    r"|\b(?:testing|tests?|assessment|evaluation|screening)\s+(?:is\s+|are\s+)?(?:required|needed|mandatory|indicated)"
    r"\s+(?:in|for)\s+(?:patients|subjects|participants|those)\s*:\s*$",
    re.IGNORECASE,
)
# A lead-in that says its exceptions follow, though it does not end on a colon: "Patients with a history of other
# invasive malignancies, with the exception of non-melanoma skin cancer and other specific malignancies as noted
# below, are excluded if ..." (NCT02661815): its sub-items are the exceptions (parser 20)
_EXCEPTIONS_BELOW = quick(
    r"\bexceptions?\b[^.;]{0,120}?\b(?:as\s+)?(?:noted|listed|specified|described|shown)\s+below\b", re.IGNORECASE
)
# A lead-in whose sub-items say when some patients are allowed: "... Patients with a history of treated CNS metastases
# are eligible, provided they meet all of the following criteria:" / "Evaluable or measurable disease outside the CNS is
# present" (NCT02389842) under an exclusion heading: the sub-items are the terms of a permission (parser 20). Not in an
# inclusion, where "... will be eligible only if all of the following criteria apply:" lists the requirements
_PERMITTED_FOLLOW = quick(
    r"\b(?:are|is|will\s+be|may\s+be)\s+(?:eligible|allowed|permitted|included)\b[^.;:]*:\s*$", re.IGNORECASE
)
_WINDOWED = (FactKind.PRIOR_THERAPY, FactKind.OTHER_MALIGNANCY, FactKind.CARDIAC, FactKind.PROGRESSION)
# An inclusion lead-in that opens with "No" and ends on a colon: its items are what the patient must not have. "No
# recent invasive surgical procedures; this includes:" / "Major surgical procedure ... within 28 days prior to
# registration" (NCT00088894), "No arterial thromboembolic event within the past 6 months, including any of the
# following:" / "Transient ischemic attack". Not when the lead-in names an exception or a condition ("No prior
# radiotherapy unless:"), whose items say when the lead-in does not apply, nor a bound ("No more than 1 of the
# following toxicities:") or a lead-in whose items show the absence ("No evidence of leukemia, as indicated by the
# following criteria:" / "WBC <= ULN", NCT00345826)
# Nor when the "No" may not reach the colon: a new clause or sentence ("No known contraindications; patients must meet
# all of the following:"), a verb of its own, a permission or an exception ("...; the following prior therapies are
# allowed:", "... with the following exceptions:") (review of parser 22). "; this includes:" continues the list.
# A lead-in whose own verb is negated by a modal says the same ("Patients may not have had any of the following within
# 6 months prior to study drug administration:", lead26), on the same terms.
_NEGATED_LEAD = quick(
    r"^\W*(?:no\b(?!\s+(?:more|less|fewer|greater|higher|lower|longer)\b)|"
    r"(?:(?:patients?|subjects?|participants?)\s+)?(?:must|may|should|can|shall)\s*not\s+(?:have|be|undergo|receive)\b"
    r"(?:\s+(?:had|been|received|experienced|undergone))?)"
    r"(?![^:]*\b(?:unless|except\w*|exceptions?|other\s+than|apart\s+from|aside\s+from|besides|if|provided|"
    r"excluding|indicated|evidenced|shown|demonstrated|criteria|must|should|shall|is|are|has|have|eligible|allowed|"
    r"permitted|acceptable)\b)"
    r"(?![^:]*(?:;(?!\s*(?:this|these|which)?\s*includ)|\.\s))"
    r"[^:]*:\s*$",
    re.IGNORECASE,
)
# What the patient must not have, when a "No ...:" lead-in's item names it: a therapy, a condition, an infection...
# An item of another kind may state the good state instead ("No hepatic dysfunction, defined as:" / "Total bilirubin
# <= 1.5 x ULN"; "No high-risk features, including:" / "Liver metastases" is no exclusion of every metastasis), and so
# may any item of a lead-in that defines ("No diabetes with end-organ damage defined as:", NCT00049673): uncertain.
_ADVERSE = frozenset({
    FactKind.PRIOR_THERAPY, FactKind.CARDIAC, FactKind.INFECTION, FactKind.CONDITION, FactKind.OTHER_MALIGNANCY,
    FactKind.BRAIN_METASTASES, FactKind.HYPERSENSITIVITY, FactKind.PREGNANCY, FactKind.BREASTFEEDING,
    FactKind.HYPERTENSION, FactKind.SCREENING_ONLY,
})  # fmt: skip
# ("No severe, active comorbidity, defined as any of the following:" lists comorbidities: its items exclude)
_ITEM_EXCEPTION = quick(r"\b(?:unless|except\s+(?:if|when|for)|provided\s+that|as\s+long\s+as)\b", re.IGNORECASE)
_DEFINING_LEAD = quick(r"\b(?:defined(?!\s+as\s+any\s+of\b)|i\.\s?e\.|as\s+follows)\b", re.IGNORECASE)
_OWN_NEGATION = quick(r"^\W*(?:no|not|none|without|never)\b|\b(?:must|should|may|can)\s*not\b", re.IGNORECASE)


class _LeadIn:
    """What a lead-in's own words say of its sub-items (`_inherit_lead_ins`): its window, whether it asks a number of
    them, and which of the lead-in cues its words hold (`says`: its exceptions below or after it, the terms of a
    permission, the patients to test, another person, a negation, a definition). A lead-in has several sub-items, and
    each would ask the same of the same text: each answer is found once per lead-in, when a sub-item first needs it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._said: dict[QuickPattern, bool] = {}

    @found_once
    def window(self) -> tuple[Window | None, bool]:
        """The lead-in's longest window, and whether it is a washout ("at least 4 weeks since")."""
        window, washout, _ = numbers.longest_window(self.text)
        return window, washout

    @found_once
    def counts_items(self) -> bool:
        return count_lead_end(self.text) is not None

    def says(self, cue_pattern: QuickPattern) -> bool:
        """Whether the lead-in's words hold the pattern (`_EXCEPTIONS_BELOW`, `_NEGATED_LEAD`, ...)."""
        found = self._said.get(cue_pattern)
        if found is None:
            found = self._said[cue_pattern] = cue_pattern.search(self.text) is not None
        return found


def _inherit_lead_ins(criteria: list[Criterion]) -> list[Criterion]:
    """Sub-items inherit their lead-in's conditions, window and modality: under "For patients with MTC:" every
    sub-item is for those patients; under "Major surgery within 28 days prior to randomization, as follows:" every
    sub-item's therapy has that window unless it states its own; under "The following are not considered measurable
    disease:" every sub-item is part of a definition, and under "The following groups are eligible provided ...:"
    part of a permission."""
    inherited = list(criteria)
    leads: dict[int, _LeadIn] = {}  # each lead-in's words, asked once for all its sub-items
    for i, c in enumerate(criteria):
        if c.parent is None:
            continue
        if c.parent not in leads:
            leads[c.parent] = _LeadIn(criteria[c.parent].text)
        said = leads[c.parent]
        if not said.text.rstrip().endswith(":"):
            scope = _cohorts_of(inherited[c.parent], c.scope, criteria)
            if c.scope.modality not in _LEAD_MODALITIES and said.says(_EXCEPTIONS_BELOW):
                scope = replace(scope, modality=PERMISSION)  # the exceptions noted below
            if scope is not c.scope:
                inherited[i] = replace(c, scope=scope)
            continue
        lead = inherited[c.parent]
        window, washout = said.window
        counted = lead.section is Section.EXCLUSION and said.counts_items
        facts = tuple(
            _counted(f, lead.text) if counted else f for f in c.facts
        )  # "Patients with > 3 of the following surgical risk factors are not eligible:" (NCT02535351)
        facts = tuple(
            _windowed(f, window, washout)
            if window is not None and f.kind in _WINDOWED and getattr(f.values, "within", False) is None
            else f
            for f in facts
        )
        if lead.facts:  # "No uncontrolled atrial arrhythmias ..., including:" / "Atrial fibrillation or flutter"
            facts = tuple(cardiac.under_qualified_lead(f, lead.facts) for f in facts)
        if said.says(infection.GRAVE_LEAD):  # "No serious illnesses ..., including any of the following:" / "Hepatitis"
            facts = tuple(infection.under_grave_lead(f, c.text) for f in facts)
        conditions = c.scope.conditions + tuple(k for k in lead.scope.conditions if k not in c.scope.conditions)
        scope = replace(c.scope, conditions=conditions) if conditions != c.scope.conditions else c.scope
        if lead.scope.others and said.says(_OTHER_PERSON_LEAD):
            # "Donor criteria:" / "Must have an ECOG performance status of 0 or 1" (NCT00241358): the donor's
            others = tuple(dict.fromkeys((*scope.others, *lead.scope.others)))
            scope = replace(scope, others=others) if others != scope.others else scope
        if lead.scope.modality in _LEAD_MODALITIES and scope.modality not in _LEAD_MODALITIES:
            scope = replace(scope, modality=lead.scope.modality)  # "The following are not considered ...:"
        elif scope.modality not in _LEAD_MODALITIES and said.says(_EXCEPTIONS_FOLLOW):
            scope = replace(scope, modality=PERMISSION)  # an exception to the lead-in: who is allowed
        elif scope.modality == PROHIBITION and lead.section is Section.EXCLUSION and said.says(_PERMITTED_FOLLOW):
            scope = replace(scope, modality=PERMISSION)  # the terms on which some patients are allowed
        elif scope.modality not in _LEAD_MODALITIES and said.says(_TESTED_FOLLOW):
            scope = replace(scope, modality=NOTE)  # who is to be tested
        if (
            lead.section is Section.INCLUSION
            and scope.modality not in _LEAD_MODALITIES
            and said.says(_NEGATED_LEAD)
            and not _OWN_NEGATION.search(c.text)
        ):
            # the lead-in's "No" reaches its items: what an item names excludes (an item with a negation of its own,
            # "No ...:" / "- no Y", already reads as an exclusion and is left alone)
            # an item with an exception of its own ("... NYHA class 3 or 4 in the past, unless a screening
            # echocardiogram ...", NCT01949337) is not simply excluded either
            unsure = said.says(_DEFINING_LEAD) or bool(_ITEM_EXCEPTION.search(c.text))
            doubt = f"an item of the negated lead-in {shortened(one_line(lead.text), 60)!r}"
            facts = tuple(_under_negated_lead(f, unsure, doubt) for f in facts)
        if facts != c.facts or scope is not c.scope:
            inherited[i] = replace(c, facts=facts, scope=scope)
    return inherited


def _cohorts_of(parent: Criterion, scope: Scope, criteria: list[Criterion]) -> Scope:
    """A sub-item's scope with the cohorts of its parent, whatever the parent ends with: "Additional Exclusion
    Requirements for arm 1 only (nivolumab Plus TAK-580)" / "Left ventricular ejection fraction (LVEF) <50 percent"
    (NCT02723006), "Small cell lung cancer (SCLC) (phase II)" / "Progressed after one prior platinum-based chemotherapy
    regimen" (NCT00521144) are asked of that arm's or phase's patients only; a parent that ends with ":" passes on all
    its conditions (`_inherit_lead_ins`). A parent that is itself one of alternatives passes its cohort on too
    ("Histologically confirmed diagnosis of 1 of the following:" / "Glioblastoma multiforme (GBM) (phase I only)" /
    "Progressive disease despite standard therapy", NCT00085566: the line is the phase I GBM patients', fresh sample
    21's AB002, which overrules sample 13's T003, judged right for a wrong reason), unless its words name every phase
    ("Castrate metastatic prostate cancer (...) (phase I and II)", whose cohort is no part of the trial; heading21)."""
    cohorts = tuple(k for k in parent.scope.conditions if k.kind == "cohort" and k not in scope.conditions)
    if parent.is_alternative(criteria):
        # an alternative's cohort reaches its sub-items unless the alternative's own words name every phase
        # ("Castrate metastatic prostate cancer (...) (phase I and II)", NCT00085566)
        cohorts = tuple(k for k in cohorts if not _names_every_phase(parent.text, k.text))
    return replace(scope, conditions=(*scope.conditions, *cohorts)) if cohorts else scope


_LABEL_OPENING = cue("cue.scope.cohort_label_opening")
_LABEL = cue("cue.scope.cohort_label")


def _label(text: str) -> str:
    return " ".join(text.lower().split())


def _cohorts_as_alternatives(criteria: list[Criterion]) -> list[Criterion]:
    """The alternatives of a lead-in that are the trial's cohorts: "Patients should meet one of the following
    criteria:" / "1. Cohort 1: Patients with ... differentiated thyroid cancer ..." / "2. Cohort 2: ... medullary
    thyroid cancer ..." / "3. Cohort 3: ... anaplastic thyroid cancer ..." (NCT03753919). Each alternative is one
    cohort's, but the other cohorts are its siblings, evaluated beside it: "other cohorts may still fit" is answered by
    the alternatives logic (a patient who fails every alternative fails the lead-in). So the cohort condition of each
    alternative, and of its sub-items, becomes a `listed_cohort` one, which the matcher takes as decided.

    Only when every alternative opens with a label of its own (`cue.scope.cohort_label_opening`), the lead-in is no
    cohort's (no cohort condition, heading or label of its own), and the trial names no cohort, part, arm or phase
    elsewhere but those labels (`cue.scope.cohort_label`, `cue.scope.cohort`; a criterion with a cohort condition
    outside the list): a trial with a phase I part open to other tumours, another heading's cohort or a cohort the
    list leaves out keeps the doubt (cohort22)."""
    parents = [c for c in criteria if c.any_of and c.section is Section.INCLUSION]
    if not parents:
        return criteria
    children: dict[int, list[int]] = {}
    for c in criteria:
        if c.parent is not None:
            children.setdefault(c.parent, []).append(c.index)
    changed = list(criteria)
    for lead in parents:
        items = [criteria[i] for i in children.get(lead.index, ()) if criteria[i].scope.modality != NOTE]
        if len(items) < 2 or lead.parent is not None:
            continue
        openings = [_LABEL_OPENING.search(one_line(c.text)) for c in items]
        named = [" ".join(m.group("label").split()) for m in openings if m is not None]
        labels = [_label(n) for n in named]
        if len(labels) < len(items) or len(set(labels)) < len(labels):
            continue
        if lead.heading or any(k.kind in ("cohort", "other_cohort") for k in lead.scope.conditions):
            continue
        if _COHORT.search(one_line(lead.text)) or _LABEL.search(one_line(lead.text)):
            continue
        subtree = _subtree(lead.index, children)
        if not _only_these_cohorts(criteria, subtree, set(labels)):
            continue
        # each alternative and its sub-items take its label; a note beside the alternatives ("Note: tissue is
        # recommended ...") is none of them and keeps its scope
        for item, label in zip(items, named, strict=True):
            for i in sorted(_subtree(item.index, children)):
                c = changed[i]
                conditions = tuple(
                    Condition("listed_cohort", label) if k.kind == "cohort" else k for k in c.scope.conditions
                )
                if conditions != c.scope.conditions:
                    changed[i] = replace(c, scope=replace(c.scope, conditions=tuple(dict.fromkeys(conditions))))
    return changed


def _subtree(root: int, children: dict[int, list[int]]) -> set[int]:
    found, todo = {root}, [root]
    while todo:
        for k in children.get(todo.pop(), ()):
            found.add(k)
            todo.append(k)
    return found


def _only_these_cohorts(criteria: list[Criterion], subtree: set[int], labels: set[str]) -> bool:
    """Whether the trial names no cohort, part, arm or phase outside the lead-in's subtree but the given labels."""
    for c in criteria:
        if c.heading and (_COHORT.search(c.heading) or _LABEL.search(c.heading)):
            return False
        if c.index not in subtree and any(k.kind == "cohort" for k in c.scope.conditions):
            return False
        text = one_line(c.text)
        named = {m.start() for m in _LABEL.finditer(text) if _label(m.group(0)) in labels}
        if any(m.start() not in named for m in _COHORT.finditer(text)):
            return False
        if any(_label(m.group(0)) not in labels for m in _LABEL.finditer(text)):
            return False
    return True


def _names_every_phase(text: str, cohort: str) -> bool:
    """Whether the words after a cohort's name in a text join another part to it ("phase I and II", "phase I/II")."""
    flat = " ".join(text.split())
    at = flat.find(cohort)
    return at >= 0 and _EVERY_COHORT_AFTER.match(flat, at + len(cohort)) is not None


_EVERY_COHORT_AFTER = quick(
    r"\s*(?:,|/|&|-|–|\band\b|\bor\b)\s*(?:phases?\s+|parts?\s+)?(?:[1-4]|i{1,3}|iv)[ab]?\b", re.IGNORECASE
)


def _windowed(fact: Fact, window: Window, washout: bool) -> Fact:
    """A sub-item's fact with its lead-in's window. Under a washout lead-in ("At least 3 weeks since prior treatment
    with:" / "Systemic hormonal anti-cancer therapy, ..." / "Any experimental therapy", NCT00660153) the therapy an
    item names is one the patient must not have had in that time, as "At least 4 weeks since prior chemotherapy"
    alone reads, not one required within it (scope 11)."""
    fact = fact.changed(values=fact.values.changed(within=window))
    if washout and fact.kind is _THERAPY and fact.polarity is Polarity.REQUIRE:
        return fact.changed(polarity=Polarity.EXCLUDE)
    return fact


# a criterion's text that stops mid-sentence, on a conjunction ("... diagnosis of metastatic and/or")
_OPEN_SENTENCE = quick(r"(?:\b(?:and|or|and/or|of|with)|,)\s*$", re.IGNORECASE)
_STARTS_LOWER = quick(r"^\W*[a-z]")


def _continued_sentences(criteria: list[Criterion]) -> list[Criterion]:
    """A criterion the layout moved out of its list mid-sentence takes the conditions of the one it continues: "For
    the Phase IIa segment, patients must meet the following additional criteria:" / "Patients with a histological/
    cytological diagnosis of metastatic and/or" (an item of it) / "unresectable sarcoma within one of the following
    histological subgroups:" (at the left margin, no item of it, NCT00112372) is the Phase IIa segment's requirement,
    not everyone's (review of scope 11). Only where the two stand in different lists: items of one list that end on
    "and"/"or" are siblings, each read alone."""
    changed = list(criteria)
    for before, c in pairwise(criteria):
        if (
            c.source != "text"
            or before.source != "text"
            or c.section is not before.section
            or c.parent == before.parent
            or not _OPEN_SENTENCE.search(before.text.rstrip())
            or not _STARTS_LOWER.match(c.text)
        ):
            continue
        conditions, at = [*before.scope.conditions], before.parent
        while at is not None:  # and the lead-ins it is an item of ("For the Phase IIa segment, ...:")
            conditions += criteria[at].scope.conditions
            at = criteria[at].parent
        missing = tuple(dict.fromkeys(k for k in conditions if k not in c.scope.conditions))
        if missing:
            changed[c.index] = replace(c, scope=replace(c.scope, conditions=(*c.scope.conditions, *missing)))
    return changed


def _cut_sentences(criteria: list[Criterion], text: str) -> list[Criterion]:
    """A criterion whose sentence the layout cut, its end standing on a line of its own with no list marker: "Prior
    malignancy, except for adequately treated basal cell ... or other cancer from which the subject is" / (a blank
    line) / "considered by his or her physician to have a 2 year survival expectation" (NCT01650727, comorbid sample
    32's CR093). What the criterion excludes may be qualified by the rest (here an exception), which is read apart:
    uncertain. (A requirement's rest names more of what is required: "Diagnosis of chronic lymphocytic leukemia (CLL) or
    small lymphocytic" / "lymphoma (SLL)", NCT01650727.)"""
    changed = list(criteria)
    for before, c in pairwise(criteria):
        if (
            c.text[:1].isupper()  # most criteria: asked first, it is the cheapest test
            or not _STARTS_LOWER.match(c.text)
            or c.source != "text"
            or before.source != "text"
            or c.section is not before.section
            or c.start is None
            or before.text.rstrip()[-1:] in (".", ";", ":", "!", "?")
            or text[text.rfind("\n", 0, c.start) + 1 : c.start].strip()  # an item of its own, after its marker
        ):
            continue
        doubt = f"its sentence goes on apart ({shortened(one_line(c.text), 40)!r})"
        facts = tuple(
            f.doubted(doubt) if f.polarity is Polarity.EXCLUDE and not f.uncertain else f for f in before.facts
        )
        if facts != before.facts:
            changed[before.index] = replace(before, facts=facts)
    return changed


# the list marker just before an item ("i) ", "d) ", "3. "): where a recommendation's laid-out items end
_ITEM_MARKER = quick(r"(?:^|\s)\(?(?P<marker>[a-zA-Z]{1,5}|\d{1,3})[.)]\s*$")
_ROMAN = quick(r"^(?:[ivx]+|[IVX]+)$")


def _marker_style(text: str, c: Criterion) -> str:
    """The style of the marker an item's line opens on: roman, letter, number, or "" (a bullet or none)."""
    if c.start is None:
        return ""
    found = _ITEM_MARKER.search(text[max(0, c.start - 12) : c.start])
    if found is None:
        return ""
    marker = found.group("marker")
    return "number" if marker.isdigit() else "roman" if _ROMAN.match(marker) else "letter" if len(marker) == 1 else ""


def _laid_out_beside(criteria: list[Criterion], i: int) -> Iterator[Criterion]:
    """The items laid out after the lead-in at ``i`` that may be its own (it has no sub-items, and where its list ends
    is not marked): those of its section, parent and source that follow it, up to the next lead-in (an item ending on
    a colon). Each pass over such items stops earlier where it can tell the list has ended."""
    lead = criteria[i]
    for c in criteria[i + 1 :]:
        if (
            c.section is not lead.section
            or c.parent != lead.parent
            or c.source != "text"
            or c.text.rstrip().endswith(":")
        ):
            return
        yield c


def _beside_recommendation_lead_ins(criteria: list[Criterion], text: str) -> list[Criterion]:
    """The items after a recommendation lead-in that has no sub-items, laid out beside it: "Cardiac Symptoms; any of
    the following should be considered for exclusion:" / "Uncontrolled angina, ..." / "Prolonged QTc interval on
    pre-entry electrocardiogram (> 450 msec)." (NCT00882583, where NCT01643603 puts the same items under it). Where
    its list ends is not marked, so what those items ask is uncertain (it may be only recommended), up to the next
    lead-in of their list (scope 11), or an item whose marker is of another style than the first's: "3. Cardiac
    Symptoms; any of the following should be considered for exclusion:" / "i) Uncontrolled angina ..." ... "vi) ..." /
    "d) History of significant bleeding disorder ..." (NCT01306942), an item of the outer list (review of scope 11)."""
    changed = list(criteria)
    parents = lead_ins(criteria)
    for i, lead in enumerate(criteria):
        if lead.scope.modality != RECOMMENDATION or lead.index in parents or not lead.text.rstrip().endswith(":"):
            continue
        doubt = f"may be an item of the recommendation {shortened(one_line(lead.text), 60)!r}"
        first = _marker_style(text, criteria[i + 1]) if i + 1 < len(criteria) else ""
        for c in _laid_out_beside(criteria, i):
            if first and (style := _marker_style(text, c)) and style != first:
                break  # "i) ... vi) ..." then "d) History of significant bleeding ..." (NCT01306942): the outer list
            facts = tuple(f if f.uncertain else f.doubted(doubt) for f in c.facts)
            if facts != c.facts:
                changed[c.index] = replace(c, facts=facts)
    return changed


_STATUS_LEAD = cue("cue.definition.status_lead")
_STATUS_ITEM = cue("cue.definition.status_item")


# Kinds an item list may mix under one lead-in: a list of heart conditions names QTc limits and LVEF too
_HEART = frozenset({FactKind.CARDIAC, FactKind.QTC, FactKind.LVEF, FactKind.HYPERTENSION})
_FAMILIES = dict.fromkeys(_HEART, _HEART)


def _beside_window_lead_ins(criteria: list[Criterion]) -> list[Criterion]:
    """The items after a lead-in that carries a window and has no sub-items, laid out beside it: "History of any of
    the following within 6 months prior to start of MLN0128:" / "Left ventricular ejection fraction ..." / ... /
    "Pulmonary embolism" (NCT02142803, comorbid sample 32's CR289). Where its list ends is not marked, so an item of a
    kind the window applies to (`_WINDOWED`) that states no window of its own may carry the lead-in's: uncertain, up to
    the next lead-in of the list, or the first item of another family of kinds than the first item's (`_FAMILIES`:
    "History of any one of more of the following cardiovascular conditions within the past 6 months:" lists heart
    conditions; a prior therapy after them, NCT00619424, is an item of the outer list)."""
    changed = list(criteria)
    parents = lead_ins(criteria)
    for i, lead in enumerate(criteria):
        if lead.source != "text" or lead.index in parents or not lead.text.rstrip().endswith(":"):
            continue
        if _LeadIn(lead.text).window[0] is None:
            continue
        doubt = f"may be an item of {shortened(one_line(lead.text), 60)!r}, whose window it would carry"
        family: frozenset[FactKind] | None = None
        for c in _laid_out_beside(criteria, i):
            kinds = {_FAMILIES.get(f.kind, frozenset({f.kind})) for f in c.facts}
            if family is None and kinds:
                family = next(iter(kinds))
            if kinds and family not in kinds:
                break
            facts = tuple(
                f.doubted(doubt)
                if f.kind in _WINDOWED and getattr(f.values, "within", False) is None and not f.uncertain
                else f
                for f in c.facts
            )
            if facts != c.facts:
                changed[c.index] = replace(c, facts=facts)
    return changed


def _status_definitions(criteria: list[Criterion]) -> list[Criterion]:
    """The items of a lead-in that ends on a definition of menopausal status or childbearing potential are notes:
    "... agreement to remain abstinent or to use two adequate methods of contraception ...; postmenopausal is defined
    as:" / "Age >/= 60 years" / "Age </= 60 years and amenorrheic for 12 months ..." (NCT01918306) say who is exempt
    from contraception, not the patient's age (fresh sample 13's T104). Its sub-items, or, when the layout put them
    beside it, the items after it, while they name what such a definition does (an age, menses, FSH, an
    oophorectomy: `cue.definition.status_item`) and up to the next lead-in."""
    changed = list(criteria)
    parents = lead_ins(criteria)
    for i, lead in enumerate(criteria):
        # the definition ends the lead-in on a colon (`cue.definition.status_lead`): a criterion that does not end on
        # one is no such lead-in, and is not searched
        if (
            lead.source != "text"
            or not lead.text.rstrip().endswith(":")
            or not _STATUS_LEAD.search(one_line(lead.text))
        ):
            continue
        if lead.index in parents:
            items = [c for c in criteria if c.parent == lead.index]
        else:
            items = list(takewhile(lambda c: _STATUS_ITEM.search(c.text), _laid_out_beside(criteria, i)))
        for c in items:
            if _STATUS_ITEM.search(c.text) and c.scope.modality not in _LEAD_MODALITIES:
                changed[c.index] = replace(c, scope=replace(c.scope, modality=NOTE))
    return changed


def _under_negated_lead(fact: Fact, unsure: bool, doubt: str) -> Fact:
    """An item's requirement under an inclusion "No ...:" lead-in: an exclusion when it names something adverse,
    else uncertain (it may state the good state, define the lead-in or carry an exception of its own)."""
    if fact.polarity is not Polarity.REQUIRE:
        return fact
    if fact.kind in _ADVERSE and not unsure:
        return fact.changed(polarity=Polarity.EXCLUDE)
    return fact if fact.uncertain else fact.changed(uncertain=doubt)


def _beside_negated_lead_ins(criteria: list[Criterion]) -> list[Criterion]:
    """The items after an inclusion lead-in "No ...:" that has no sub-items, laid out beside it: "No cardiac
    conduction disturbances or medication potentially causing them:" / "QT interval > 480 msec (...)" /
    "Complete left bundle branch block" / "No uncontrolled infectious disease" (NCT01575782). Where the lead-in's
    list ends is not marked, so what those items require is uncertain (it may be what the lead-in forbids), up to
    the first item with a negation of its own or a lead-in of its own."""
    changed = list(criteria)
    parents = lead_ins(criteria)
    for i, lead in enumerate(criteria):
        if lead.section is not Section.INCLUSION or lead.index in parents or not _NEGATED_LEAD.search(lead.text):
            continue
        doubt = f"may be an item of the negated lead-in {shortened(one_line(lead.text), 60)!r}"
        for c in _laid_out_beside(criteria, i):
            if _OWN_NEGATION.search(c.text):
                break
            facts = tuple(
                f.changed(uncertain=doubt) if f.polarity is Polarity.REQUIRE and not f.uncertain else f for f in c.facts
            )
            if facts != c.facts:
                changed[c.index] = replace(c, facts=facts)
    return changed


_OR_THE_FOLLOWING = quick(
    r"\bor\s+(?:must\s+)?(?:meet|fulfil+|satisfy)\s+(?:all\s+|each\s+)?(?:of\s+)?the\s+following\b", re.IGNORECASE
)
# (not "Creatinine clearance of >=30mL/min, estimated or calculated", NCT02043860: the two ways to measure it)
_OR_MEASURED_END = quick(r"(?:[.;,]\s*|(?<!ed)\s+)or\s+(?:calculated|measured|estimated)\s*[,;]?\s*$", re.IGNORECASE)


def _dangling_alternatives(criteria: list[Criterion]) -> list[Criterion]:
    """An inclusion that ends on "or" offers another way in, the criterion laid out after it ("ECOG 0-1 OR" /
    "Karnofsky 70-100%", NCT00077246; "Serum total bilirubin: =< 1.5 X ULN OR" / "Direct bilirubin: =< ULN for ...",
    NCT02775812). When the two are not sub-items of one "any of" lead-in, which the matcher reads as alternatives, they
    stand as separate criteria, each asked alone: neither is the trial's requirement on its own, so what each
    requires is uncertain. So is the last sub-item of a lead-in that ends on "or" ("based on one of the following:" /
    "Age >= 75 years, or", NCT03151408, whose next alternative was laid out outside the lead-in) and the criterion
    after it (sample 7). So is one that ends on "or" and the word that opens the next one's name ("Renal: Creatinine <
    1.5 mg/dl. or calculated" / "Creatinine clearance > 45 ml/min", NCT00424840, comorbid sample 48's DH355), and
    what a lead-in asks before "or must meet the following", its sub-items being the other way in. So is the only
    sub-item of an inclusion's lead-in of alternatives ("Adequate renal function as determined by either:" /
    "Calculated or measured creatinine clearance ≥ 40 mL/min ...", NCT01161186, whose other alternative, "Serum
    creatinine ≤ 1.5 X ULN", a formula line at the margin left outside it: comorbid sample 53's DM044)."""
    changed = list(criteria)
    sub_items = Counter(c.parent for c in criteria if c.parent is not None)  # the lead-ins, with how many each has
    for i, c in enumerate(criteria):
        if c.any_of and sub_items[i] == 1 and c.section is Section.INCLUSION and c.text.rstrip().endswith(":"):
            lone = next(d for d in changed if d.parent == i)
            doubt = f"the only alternative laid out under {shortened(one_line(c.text), 60)!r}: the others are not read"
            facts = tuple(f if f.uncertain else f.doubted(doubt) for f in lone.facts)
            changed[lone.index] = replace(lone, facts=facts)
        if sub_items[i] and (other := _OR_THE_FOLLOWING.search(c.text)):
            # "subjects must either have no history of hepatitis B or C, or must meet the following criteria in order
            # to be eligible:" (NCT02109224): what the lead-in asks before its "or" is one way in, its sub-items another
            doubt = f"one way in; the criteria listed after it are another ({other.group(0).strip()!r})"
            facts = tuple(
                f if f.uncertain or c.text.find(f.evidence) >= other.start() else f.doubted(doubt) for f in c.facts
            )
            changed[i] = replace(c, facts=facts)
        if (
            c.section is not Section.INCLUSION
            or c.source != "text"
            or not (ends_with_or(c.text) or _OR_MEASURED_END.search(c.text))
        ):
            continue
        following = next((d for d in criteria[i + 1 :] if d.parent == c.parent and d.source == "text"), None)
        if following is not None and c.is_alternative(criteria):
            continue  # alternatives the matcher combines
        if following is None and c.parent is not None:  # the next alternative is laid out after the lead-in
            lead = criteria[c.parent]
            if lead.is_alternative(criteria):
                continue  # the lead-in is itself one of alternatives the matcher combines
            following = next((d for d in criteria[i + 1 :] if d.parent == lead.parent and d.source == "text"), None)
        doubt = f"one of alternatives laid out as separate criteria ({shortened(one_line(c.text), 60)!r})"
        for j in (i,) if following is None or following.section is not c.section else (i, following.index):
            facts = tuple(f if f.uncertain else f.doubted(doubt) for f in changed[j].facts)
            if facts != changed[j].facts:
                changed[j] = replace(changed[j], facts=facts)
    return changed


def _restated_by_sub_items(criteria: list[Criterion]) -> list[Criterion]:
    """A lead-in's own prior-therapy fact is left to its sub-items when they state therapies again: "Treatment with
    any of the following anti-cancer therapies:" asks, through each sub-item, about a therapy within a window, not
    about any therapy ever. (Other kinds keep the lead-in's own fact: "RAI-refractory as defined by one of the
    following:" is answered by a stated status as well as by the definitions.)"""
    parents = lead_ins(criteria)
    restated = {c.parent for c in criteria if c.parent is not None and any(f.kind is _THERAPY for f in c.facts)}
    # a heading over its sub-items ("Other Systemic Therapy:" / "There is no limit to the number of prior regimens",
    # NCT02649686) names what they are about, it asks for nothing itself
    restated |= {c.index for c in criteria if c.index in parents and _HEADING.match(c.text)}
    return [
        replace(c, facts=tuple(f for f in c.facts if f.kind is not _THERAPY))
        if c.index in restated and c.text.rstrip().endswith(":")
        else c
        for c in criteria
    ]


_THERAPY = FactKind.PRIOR_THERAPY
_HEADING = quick(r"^\W*(?:[\w/-]+\s+){0,3}[\w/-]+\s*:\s*$")


def parse_text(text: str, fields: StructuredFields | None = None) -> list[Criterion]:
    """Parse one eligibility text (API Markdown or legacy layout) into ordered criteria."""
    return parse_texts([text], [fields or StructuredFields()])[0]
