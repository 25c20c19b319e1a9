"""Scope before facts: for each criterion, one step decides and records whose attribute it names, its modality, the
conditions under which it applies, and its time anchor, before any kind reads it.

- **Whose.** The patient, unless the text names another person (a relative, a partner, a donor): then what it says
  of that person is not the patient's (`others`).
- **Modality.** requirement (inclusion), prohibition (exclusion, or "must not"), permission ("may be included", "is
  allowed"), recommendation ("is recommended", "preferably") or note (a note, a definition, a reason).
- **Conditions.** "For patients with medullary thyroid cancer: ...", "Women of childbearing potential must ...",
  "Cohort 3: ...", "If ...": the criterion applies only when the condition holds. Sex, age and histology conditions
  are decided for each patient; others (a cohort, "if ...") are not, and leave a violation unknown.
- **Alternatives.** A requirement that offers another way to meet it ("... which does not concentrate radioactive
  iodine. Alternatively, ... more than 800 mCi ..."; "Refractory to ... therapy, or relapsed within 6 months
  following ...") is read one alternative at a time (`alternative_spans`): each fact records the alternative it
  belongs to, and the matcher violates the criterion only when every alternative is violated.
- **Anchor.** The time a window counts from ("prior to randomization", "before the first dose"), for display.
- **Unasked spans.** A sentence that recommends a therapy, lists what a permission allows, or asks under an
  "otherwise" condition, and a therapy named "if given" (`unasked_spans`): a requirement read there is uncertain.

The cues are data (matcher/knowledge/cues.json). The matcher applies the scope (docs/matching.md, the completeness
rule): a criterion is `violated` only when it is the patient's, a requirement or prohibition, and every condition is
decided and holds for this patient.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from matcher.eligibility import numbers
from matcher.eligibility.cues import cue, quick

if TYPE_CHECKING:
    from matcher.eligibility.text import CriterionText, Mention

REQUIREMENT, PROHIBITION, PERMISSION, RECOMMENDATION, NOTE = (
    "requirement",
    "prohibition",
    "permission",
    "recommendation",
    "note",
)
_AGE_BAND = quick(
    r"^\W*(?:for\s+|in\s+)?(?:patients?|subjects?|participants?|children|adults|those)\s*(?:aged?\s*|who\s+are\s*)?"
    r"(?P<op>" + numbers.OPERATOR[len("(?P<op>") :] + r"\s*(?P<n>\d{1,3})\s*(?:years?|yrs?)?(?:\s*(?:of\s+age|old))?",
    re.IGNORECASE,
)
# "..., over 65y must have at least one prior line of TKI treatment": a clause for an age band
_AGE_CLAUSE = quick(
    r"\b(?:patients\s+)?(?P<op>over|above|under|below|older\s+than|younger\s+than|aged\s+(?:over|under))\s*"
    r"(?P<n>\d{1,3})\s*(?:y|yrs?|years?)\b(?:\s+(?:of\s+age|old))?\s*(?:,\s*)?(?:must|should|need|are|have)\b",
    re.IGNORECASE,
)
# The row of a lab-by-age table: a lab value with its unit, and the age band of the patients it is for, either heading
# the row ("Age 10 to < 13 years: maximum serum creatinine 1.2 mg/dL", NCT02642965; "Pediatric Population (age <18):
# Calculated creatinine clearance >= 90 ml/min/1.73m2", NCT01158885; "Patients 18 years and older (Adult population):
# Serum creatinine <1.0 mg/dL", NCT00852709) or opening a bracket after the value ("<= 0.8 mg/dL (for patients 1 to 5
# years old)", NCT00098839; "Serum creatinine < 1.0 mg/dL in adolescent/young adults (patients 12 to 17 years of
# age)", NCT00852709). The band is when the row applies (age conditions), not the patient's entry age (parser 21)
_LAB_VALUE = quick(r"\d\s*(?:(?:mg|g|µmol|μmol|umol|mmol|mcg|ng)\s*/\s*d?l|ml\s*/\s*min)\b", re.I)
_YRS = r"\s*(?:years?|yrs?|y)\b(?:\s*(?:of\s+age|old))?"
_BAND = (
    r"(?:(?P<a>\d{1,2})\s*(?P<au>months?|years?|yrs?)?(?:\s*of\s+age)?\s*(?:-|–|to|through)\s*(?P<lt><|less\s+than)?\s*"
    r"(?P<b>\d{1,2})(?!\d)" + _YRS + "|" + numbers.OPERATOR + r"\s*(?P<n>\d{1,2})(?![\d.])(?:" + _YRS + ")?|"
    r"(?:older|younger|greater|less)\s+than\s+(?P<n2>\d{1,2})" + _YRS + "|"
    r"(?P<n3>\d{1,2})" + _YRS + r"\s*(?:and|or|&)\s*(?P<dir>over|older|above|under|younger|below))"
)
_ROW_AGE = quick(
    # heading the row, before its ":"; or opening a bracket ("(age <18)", "(for patients 1 to 5 years old)")
    r"(?:^\W*|\(\s*)(?:for\s+)?(?:(?:pediatric|paediatric|adult|adolescent)\s+(?:population|patients?)\s*\(\s*)?"
    r"(?:(?:patients?|subjects?|participants?|children)\s+)?(?:age[ds]?\s*(?::\s*)?)?" + _BAND + r"[^.;:()]{0,40}?"
    r"(?:\)[^.;:]{0,30})?(?::|\)|\(\s*adults?\s+population\s*\)\s*:)",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_AGE_WORD = quick(r"\b(?:age[ds]?|years?|yrs?|y|months?)\b", re.IGNORECASE)
_HISTOLOGY_ONLY = cue("cue.scope.histology_only")
_FOR_PATIENTS_WITH = cue("cue.scope.for_patients_with_before")
_GROUP_WITH_BEFORE = quick(
    r"\b(?:for|in)\s+(?:patients?|subjects?|participants?|those)\s+with\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE
)
# "(Patients with well controlled atrial fibrillation are exempt from this criteria.)": the criterion does not apply to
# a patient with that condition on file
_EXEMPT_GROUP = cue("cue.scope.exempt_group")
# Four cues read a group of patients named before what is asked of them ("Patients with X must ..."), each where it
# stands: `cue.scope.patients_with` a clause with its own subject after the group (`_conditions`, histology
# conditions); `cue.scope.patients_with_must` the criterion's opening, picked by a histology with no thyroid id;
# `cue.scope.patients_who_must` the criterion's opening, picked by what they have, had or receive
# (`patients_group_end`); `cue.scope.sentence_group` a sentence after the first (`sentence_groups`). The kinds read the
# same form for their own doubts: `cue.therapy.subgroup_rule` (kinds/therapy/), `cue.progression.group_opening`.
#
# A criterion that opens on the patients it is for and says what they must be: "Patients with CNS leukemia or lymphoma
# must be refractory to conventional therapy, including radiotherapy" (NCT00112619). When what picks them is a
# histology the vocabulary has no thyroid id for ("other"), the criterion is theirs: for anyone else it is undecided,
# never the trial's requirement of that histology (parser 20). A thyroid histology there stays a requirement ("Patients
# with DTC must have radioiodine-refractory disease").
_PATIENTS_WITH_MUST = cue("cue.scope.patients_with_must")
# A criterion that opens on the patients it is for, picked by what they have, had or receive, then says what they must
# do: "Patients with normal marrow cytogenetics or an isolated 5q- abnormality must have failed ... lenalidomide"
# (NCT00356928), "Patients receiving non-steroidal anti-androgens ... must have demonstrated progression of disease
# since the agents were suspended" (NCT01267266). The group is a condition a profile does not decide (scope 11); a
# group named by a histology or a tumour word is the trial's own population, and the criterion stays everyone's.
_PATIENTS_WHO_MUST = cue("cue.scope.patients_who_must")
# A sentence after a criterion's first that opens on the patients it is for: what it asks is theirs (`sentence_groups`)
_SENTENCE_GROUP = cue("cue.scope.sentence_group")
# the histology a primary site named in such a sentence's group makes (any other site: the "other" histology)
_SITE_HISTOLOGY = {"site.thyroid": "hist.thyroid_cancer"}
_DEFINED_BY = cue("cue.progression.group_defined_by")  # a group narrowed by a therapy or a biomarker
_PERMISSION = cue("cue.permission")
_QUALIFIERS = quick(r"\b(?:well|adequately|medically)?\s*(?:controlled|stable|treated)\b", re.IGNORECASE)
_ANCHOR = cue("cue.scope.anchor")
_RECOMMENDATION_LEAD = cue("cue.modality.recommendation_lead")
_GROUP_INSTRUCTION = cue("cue.modality.group_instruction")
_MONITORING_LEAD = cue("cue.modality.monitoring_lead")
# A stratum's name in capitals before a colon: "PARTICIPANTS WITH PRIOR LINES OF THERAPY: all other participants (...)"
# (NCT02134886): what follows defines or asks of that stratum, a cohort no profile decides (heading21)
_STRATUM_LINE = cue("cue.scope.stratum_line")


@dataclass(frozen=True)
class Condition:
    """When a criterion applies: ``kind`` sex (``value`` female or male), age (``value`` like "<18"), histology
    (``value`` a vocabulary id; several are any-of), exempt (``value`` a condition whose patients the criterion
    spares), other_cohort (``value`` a histology another cohort of the trial takes: for its patients the criterion
    is undecided; set across criteria by `kinds.histology.other_cohorts`), listed_cohort (one of the cohorts a lead-in's
    alternatives are, ``text`` its label: decided by the alternatives logic, parser `_cohorts_as_alternatives`), cohort
    or other (undecidable from a profile); ``text`` is the text's words."""

    kind: str
    text: str
    value: str | None = None


@dataclass(frozen=True)
class Scope:
    modality: str = REQUIREMENT
    conditions: tuple[Condition, ...] = ()
    others: tuple[str, ...] = ()  # other persons the criterion names ("1st degree relative")
    anchor: str | None = None
    alternatives: tuple[str, ...] = ()  # the texts of the alternatives a requirement offers, when it offers some

    @property
    def plain(self) -> bool:
        """The patient's own requirement or prohibition, with no condition: nothing for the matcher to do."""
        return self.modality in (REQUIREMENT, PROHIBITION) and not self.conditions and not self.others

    def to_stored(self) -> list[Any] | None:
        if self == _DEFAULTS[self.modality]:
            return None if self.modality == REQUIREMENT else [self.modality]
        return [self.modality, [[c.kind, c.text, c.value] for c in self.conditions], list(self.others), self.anchor,
                list(self.alternatives)]  # fmt: skip

    @classmethod
    def from_stored(cls, stored: Sequence[Any] | None) -> Scope:
        if stored is None:
            return _DEFAULTS[REQUIREMENT]
        if len(stored) == 1:
            return _DEFAULTS[stored[0]]
        modality, conditions, others, anchor, alternatives = stored
        return cls(modality, tuple(Condition(*c) for c in conditions), tuple(others), anchor, tuple(alternatives))

    def to_json(self) -> dict[str, Any]:
        return {
            "modality": self.modality,
            "conditions": [{"kind": c.kind, "text": c.text, "value": c.value} for c in self.conditions],
            "others": list(self.others),
            "anchor": self.anchor,
            "alternatives": list(self.alternatives),
        }


_DEFAULTS = {m: Scope(m) for m in (REQUIREMENT, PROHIBITION, PERMISSION, RECOMMENDATION, NOTE)}


def read_scope(c: CriterionText) -> Scope:
    """The criterion's scope, from its text and the entities spaCy found (histology conditions)."""
    text = c.text
    first_clause = c.first_clause
    if cue("cue.modality.note").search(text) or _MONITORING_LEAD.search(text):
        # "...; these patients should have increased monitoring:" (NCT00275028): its sub-items are notes too
        modality = NOTE
    elif (
        cue("cue.modality.recommendation").search(first_clause)
        or _RECOMMENDATION_LEAD.search(text)
        or (c.section == "exclusion" and _GROUP_INSTRUCTION.search(text))
    ):
        # "Cardiac Symptoms; any of the following should be considered for exclusion:" (NCT01643603): its sub-items
        # are recommendations too (`parser._inherit_lead_ins`); "Patients who are positive for hepatitis B core
        # antibody ... should be on lamivudine ..." (NCT02038153) under the exclusion heading manages that group
        modality = RECOMMENDATION
    elif (c.section == "inclusion" and _permits(first_clause)) or cue("cue.permission.closing").search(first_clause):
        # In an exclusion, "... is allowed" inside the sentence is an exception, which the kinds read; a sentence
        # that closes on it ("... that do not meet the above criteria are allowed.") says who may enter
        modality = PERMISSION
    elif c.section == "exclusion" or cue("cue.prohibition.modal").search(first_clause):
        modality = PROHIBITION
    else:
        modality = REQUIREMENT
    conditions = _conditions(c)
    others = tuple(dict.fromkeys(m.group(0).lower() for m in cue("cue.other_person").finditer(text)))
    anchor = _ANCHOR.search(text)
    spans = alternative_spans(text) if modality == REQUIREMENT else []
    alternatives = tuple(text[a:b].strip() for a, b in spans)
    return Scope(modality, conditions, others, anchor.group(0).strip() if anchor else None, alternatives)


def alternative_spans(text: str) -> list[tuple[int, int]]:
    """Where each alternative of a requirement stands in its text (none when the text offers no alternative): the
    text is cut at each "Alternatively," and at each ", or" that opens another way to qualify ("..., or relapsed
    within 6 months"). "Or" between two words ("papillary or follicular") joins names, not alternatives."""
    cuts = list(cue("cue.alternative").finditer(text))
    if not cuts:
        return []
    starts = [0, *(m.end() for m in cuts)]
    ends = [*(m.start() for m in cuts), len(text)]
    spans = [(a, b) for a, b in zip(starts, ends, strict=True) if text[a:b].strip(" .,;")]
    return spans if len(spans) > 1 else []


def _permits(text: str) -> bool:
    """ "Prior radiotherapy is allowed", not "... is not allowed"; nor an inclusion lead-in that makes eligibility
    depend on all its sub-items ("A subject will be eligible for inclusion in this study only if all of the following
    criteria apply:", NCT00709618), whose sub-items are requirements (parser 20). An opening "Acceptable liver
    function:" is no permission (parser 21), but a permission after it still is ("...; patients with Gilbert's
    syndrome may be included")."""
    if acceptable := cue("cue.requirement.acceptable").search(text):
        text = text[acceptable.end() :]
    return (
        bool(_PERMISSION.search(text))
        and not cue("cue.permission.denied").search(text)
        and not cue("cue.requirement.all_following").search(text)
    )


def _conditions(c: CriterionText) -> tuple[Condition, ...]:
    text = c.text
    found: list[Condition] = []
    if women := cue("cue.scope.women").search(text):
        found.append(Condition("sex", women.group(0).strip(), "female"))
    elif men := cue("cue.scope.men").search(text):
        found.append(Condition("sex", men.group(0).strip(), "male"))
    if _DIGIT.search(text):  # an age band and a lab table's row name their ages in digits
        if band := _AGE_BAND.search(text) or _AGE_CLAUSE.search(text):
            op = numbers.operator_for(band.group("op").lower().replace("aged ", "").replace("older than", "over")
                                      .replace("younger than", "under"))  # fmt: skip
            if op in ("<", "<=", ">", ">="):
                found.append(Condition("age", band.group(0).strip(), f"{op}{band.group('n')}"))
        if not any(k.kind == "age" for k in found):
            found.extend(_row_ages(text))
    histologies = c.of("HISTOLOGY")
    # "Subjects with DTC, serum TSH ... should be ...; Subjects with MTC, ...": the patients each clause is for
    groups = [m.span("who") for m in cue("cue.scope.patients_with").finditer(text)] if histologies else []
    for m in histologies:
        before = text[max(0, m.start - 60) : m.start]
        in_group = any(a <= m.start and m.end <= b for a, b in groups)
        if in_group or _FOR_PATIENTS_WITH.search(before) or _HISTOLOGY_ONLY.match(text, m.end):
            found.append(Condition("histology", text[max(0, m.start - 20) : m.end].strip(), m.id))
    # ... and a group of patients with another primary site, named before any limit the line sets: "Hematologic
    # function for subjects with CLL and CML demonstrated by ... platelets > 100,000/µL" (NCT01110473, comorbid sample
    # 56's DP007) asks those patients only; a profile does not place the patient in another cancer's group. Not a
    # group after a number, which a limit's other value is for ("AST ≤ 2.5 x IULN (≤ 5 x IULN for patients with liver
    # metastases or hepatocellular carcinoma)", NCT03511222), nor one of a later sentence ("Confirmed diagnosis of MDS
    # ... For patients with lower-risk MDS only: ...", NCT00234000: `sentence_groups`)
    for m in c.of("SITE"):
        group = _GROUP_WITH_BEFORE.search(text, max(0, m.start - 60), m.start)
        if group is not None and group.start() < c.sentences[0][1] and not _DIGIT.search(text, 0, group.start()):
            found.append(Condition("other", text[group.start() : m.end]))
            break
    # an opening group of patients matters here only when a histology with no thyroid id picks it: asked of those
    other_histologies = [m for m in histologies if m.id == "hist.other"]
    if (
        other_histologies
        and (opener := _PATIENTS_WITH_MUST.match(text))
        and any(m.end <= opener.end("who") for m in other_histologies)
    ):
        found.append(Condition("other", opener.group(0).strip()))
    elif (end := patients_group_end(c)) is not None:
        found.append(Condition("other", text[:end].strip()))
    if exempt := _EXEMPT_GROUP.search(text):
        found.append(Condition("exempt", exempt.group(0).strip(), _QUALIFIERS.sub("", exempt.group("what")).strip()))
    if cohort := (
        cue("cue.scope.cohort").search(text)
        or cue("cue.scope.phase").search(text)
        or cue("cue.scope.cohort_at_dose").search(text)  # "For NSCLC patients at the MTD, ..." (prog14)
    ):
        found.append(Condition("cohort", cohort.group(0).strip()))
    elif stratum := _STRATUM_LINE.match(text):
        found.append(Condition("cohort", stratum.group("who").strip()))
    # a condition of its own is read only where no histology, age or other condition is, a group only where none is
    decided = any(k.kind in ("histology", "age", "other") for k in found)
    if not decided and (other := cue("cue.scope.condition").search(text)):
        found.append(Condition("other", other.group(0).strip()))
    elif not found and (group := cue("cue.scope.for_group").search(text)):
        # "For stage 2 GBM participants, no prior treatment with bevacizumab ..." (NCT02142803): a group of the
        # trial's patients that a profile cannot place (parser 25)
        found.append(Condition("cohort", group.group(0).strip()))
    return tuple(found)


@dataclass(frozen=True)
class SentenceGroup:
    """A later sentence of a criterion that opens on the patients it is for (`sentence_groups`): where the sentence
    stands, where the group's words stand, and the conditions they make."""

    start: int
    end: int
    who: tuple[int, int]
    conditions: tuple[Condition, ...]


def sentence_groups(c: CriterionText) -> list[SentenceGroup]:
    """The sentences after a criterion's first that open on the patients they are for (`cue.scope.sentence_group`):
    "... at the discretion of the treating physician. Patients with NSCLC harboring an EGFR, ALK or ROS-1 alteration
    must have progressed through at least one prior therapy with appropriate molecularly targeted agents."
    (NCT02963610) asks the targeted therapy of those patients only. The group's words make the conditions: a
    histology named there (a primary site other than the thyroid as the "other" histology, as a non-thyroid
    histology word is), decided for each patient; and a group no profile decides ("other") when nothing such is named
    or a therapy or a biomarker narrows it ("harboring an EGFR ... alteration"). The parser applies them to what the
    sentence asks (`parser._sentence_groups`; scope 15)."""
    text = c.text
    found: list[SentenceGroup] = []
    if not _SENTENCE_GROUP.possible(text) or len(c.sentences) < 2:
        return found
    for start, end in c.sentences[1:]:
        group = _SENTENCE_GROUP.match(text, start, end)
        if group is None:
            continue
        a, b = group.span("who") if group.group("who") else group.span("for_who")
        if _PERMISSION.search(text, a, b):
            # "(Patients with a history of atrial arrhythmia are eligible but should be discussed with the Sponsor
            # ...)" (NCT00532389): the group's words say who may enter, a permission, not the patients asked
            continue
        words = text[a:b]
        named = [m for m in c.mentions if m.label in ("HISTOLOGY", "SITE") and a <= m.start < b]
        conditions = [
            Condition("histology", words, m.id if m.label == "HISTOLOGY" else _SITE_HISTOLOGY.get(m.id, "hist.other"))
            for m in named
        ]
        if not named or _DEFINED_BY.search(words):
            conditions.append(Condition("other", text[start : group.end()].strip()))
        found.append(SentenceGroup(start, end, (a, b), tuple(dict.fromkeys(conditions))))
    return found


def patients_group_end(c: CriterionText) -> int | None:
    """Where the group of patients a criterion opens on ends, with its modal verb (`cue.scope.patients_who_must`),
    None when it opens on none or the group names a histology or a primary site (the trial's own population)."""
    group = _PATIENTS_WHO_MUST.match(c.text)
    if group is None or any(m.label in ("HISTOLOGY", "SITE") and m.start < group.end("who") for m in c.mentions):
        return None
    return group.end()


# Spans of a criterion that ask nothing a kind can read as required there (`unasked_spans`, scope20)
_ANY_COUNT = cue("cue.permission.any_count")
_LISTS_WHAT = cue("cue.definition.lists_what")
_CONSIDERED_FOR = cue("cue.modality.considered_for")
_OTHERWISE = cue("cue.condition.otherwise")
_IF_GIVEN = cue("cue.condition.if_given")
_GROUP_CLAUSE = cue("cue.scope.group_clause")


class Unasked(NamedTuple):
    """A span of a criterion whose requirements are not the patient's, and why."""

    start: int
    end: int
    why: str


def unasked_spans(c: CriterionText) -> list[Unasked]:
    """The spans of a criterion's sentences that a kind may read a requirement from though they ask for nothing
    (fresh sample 20's AA194, AA172, AA123). The parser makes a requirement read there uncertain
    (`parser._sentence_modalities`); an exclusion read there stays as read, and the rest of the criterion is not read
    again without the span, since the span's words may be what tells the rest's reading ("Patients with bulky disease
    ..." is what makes "Chronic lymphocytic leukemia ... that have progressed" a diagnosis the trial asks for).

    - a sentence that recommends a therapy ("Patients with bulky disease should be considered for debulking
      chemotherapy before transplant.", NCT00963872): nothing in it is asked;
    - a sentence that lists what a permission before it allows ("Naïve or any number of prior systemic therapeutic
      regimens for unresectable stage III or stage IV melanoma, except prior BRAF or MEK inhibitor agents. This
      includes chemotherapy, immunotherapy, biochemotherapy, or investigational treatments.", NCT02915666): it
      permits them, none is required; the exclusion beside the permission ("except prior BRAF ...") stays;
    - a sentence with an "otherwise" clause ("Blasts must be < 10% ... (otherwise induction chemotherapy to achieve
      < 10% blasts is required pre-transplant).", NCT00376519): each half is asked under a condition a profile does
      not decide;
    - a therapy named with a condition of its having been given ("Induction chemotherapy, if given, may or may not
      have included cetuximab.", NCT02277197), from where its clause opens to the condition: not asked for;
    - a clause after a semicolon that opens on the group of patients it is for ("...; for patients with leukemia
      evolving from myelodysplastic syndrome, they should have completed at least one cycle of induction
      chemotherapy", NCT03672851), or a bracket that does ("(For patients receiving chemotherapy prior to protocol
      chemoradiation, the initial clinical stage applies.", NCT02550743), to its end: asked of that group only. What
      the bracket follows is left as read: it may be everyone's ("Total bilirubin level ≤ 1.5 × the ULN range and AST
      and ALT levels ≤ 2.5 × ULN or AST and ALT levels ≤ 5 X ULN (for subjects with documented metastatic disease to
      the liver)", NCT03481920). A clause naming a thyroid histology or the thyroid is left to the histology
      conditions, which the matcher decides (`_conditions`).
    """
    text = c.text
    found: list[Unasked] = []
    previous = ""
    for start, end in c.sentences:
        sentence = text[start:end]
        if advised := _CONSIDERED_FOR.search(sentence):
            why = f"a recommendation ({advised.group(0).strip()!r}), not a requirement"
            found.append(Unasked(start, end, why))
        elif (listed := _LISTS_WHAT.search(sentence)) and (_ANY_COUNT.search(previous) or _permits(previous)):
            why = f"a list of what a permission before it allows ({listed.group(0).strip()!r}), not a requirement"
            found.append(Unasked(start, end, why))
        if otherwise := _OTHERWISE.search(sentence):
            told = " ".join(sentence[otherwise.start() :].strip(" (;:.").split()[:6])
            why = f"asked under a condition ({told + ' ...'!r}) that the profile does not decide"
            found.append(Unasked(start, end, why))
        for given in _IF_GIVEN.finditer(sentence):
            # the clause the condition stands in: from the bracket, semicolon or colon before it, or the sentence
            opens = max(sentence.rfind(mark, 0, given.start()) + 1 for mark in "(;:")
            why = f"a therapy named under a condition of its having been given ({given.group(0)!r}), not asked for"
            found.append(Unasked(start + opens, start + given.end(), why))
        for group in _GROUP_CLAUSE.finditer(sentence):
            # from the group's words (after the semicolon or the bracket) to the next semicolon, or the bracket's close
            at, opened = start + group.start() + 1, start + group.end()
            marks = ";)" if text[at - 1] == "(" else ";"
            stop = min([end, *(x for mark in marks if (x := text.find(mark, opened, end)) >= 0)])
            if any(_thyroid(m) for m in c.mentions if at <= m.start < stop):
                continue
            who = text[at:stop].split(",")[0].strip(" (;")
            found.append(Unasked(at, stop, f"asked only of a group of patients ({who!r})"))
        previous = sentence
    return found


def _thyroid(m: Mention) -> bool:
    """Whether a mention names a thyroid histology or the thyroid."""
    return (m.label == "HISTOLOGY" and m.id != "hist.other") or m.id == "site.thyroid"


def _row_ages(text: str) -> list[Condition]:
    """The age band of a lab-by-age table's row, as age conditions (`_ROW_AGE`); none when the text holds no lab
    value, or more than one band (several rows in one text: which limit is whose is not read here)."""
    if not _LAB_VALUE.search(text):
        return []
    bands = [band for band in _ROW_AGE.finditer(text) if _AGE_WORD.search(band.group(0))]  # not "(< 50 ng/dL)"
    if len(bands) != 1:
        return []
    band = bands[0]
    words = band.group(0).strip(" (:)")
    if band.group("b"):
        found = [] if (band.group("au") or "").lower().startswith("month") else [(">=", band.group("a"))]
        return [
            Condition("age", words, f"{op}{n}")
            for op, n in [*found, ("<" if band.group("lt") else "<=", band.group("b"))]
        ]
    if band.group("n"):
        op = numbers.operator_for(band.group("op"))
        return [Condition("age", words, f"{op}{band.group('n')}")] if op in ("<", "<=", ">", ">=") else []
    if band.group("n2"):
        op = ">" if any(word in band.group(0).lower() for word in ("older", "greater")) else "<"
        return [Condition("age", words, f"{op}{band.group('n2')}")]
    older = band.group("dir").lower() in ("over", "older", "above")
    return [Condition("age", words, f"{'>=' if older else '<='}{band.group('n3')}")]


def condition_spans(c: CriterionText, scope: Scope) -> list[tuple[int, int]]:
    """Where the histology conditions stand in the text: what lies there picks the patients, it is not asked of them."""
    spans = []
    for condition in scope.conditions:
        if condition.kind == "histology" and (at := c.text.find(condition.text)) >= 0:
            spans.append((at, at + len(condition.text)))
    return spans
