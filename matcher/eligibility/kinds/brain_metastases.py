"""Brain metastases: "untreated or symptomatic brain metastases" (active only), "any brain metastases", and the
permission "treated, stable brain metastases are allowed"."""

from __future__ import annotations

import re
from datetime import date

from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section, Values
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, lazy_regex
from matcher.eligibility.text import CriterionText, Mention, make_fact, permits
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import BrainMets, Patient

# "who have not completed radiosurgery or surgical resection": the untreated ones only
_NOT_TREATED = cue("cue.brain.not_treated")
# "untreated", "symptomatic"; "uncontrolled" is also the vocabulary's word for a condition not under control
_ACTIVE = ("concept.active_state", "concept.uncontrolled")
# The same words glued to a list marker the segmenter left ("--Symptomatic brain metastases or spinal cord
# compression (patients must be treated and stable ...)", NCT01974752), where the vocabulary does not see them
_ACTIVE_WORD = lazy_regex(
    r"(?<![A-Za-z])(?:symptomatic|untreated|active|progressive|progressing|unstable|uncontrolled)\b", re.IGNORECASE
)
_EXAMPLE = cue("cue.brain.example")
# An inclusion that says what brain metastases, or the patients who have them, must be: "Brain metastasis if present
# and treated must be stable ..." (NCT01799161), "Patients with brain metastasis can only be included if they were
# treated ..." (NCT00556049), "Brain metastases must be treated and stable for at least 3 months", "Participants with a
# history of CNS metastases ... must have received definitive local treatment". It does not ask the patient to have
# them: it excludes brain metastases that do not meet it, which the profile cannot tell apart (treated, stable,
# steroids), so it is read as an exclusion of active ones that can satisfy but never violate. So does one that names
# the state they must be in ("Brain metastases with clinically controlled neurologic symptoms, defined as ...").
_CONDITION_AFTER = cue("cue.brain.condition_after")
_CONDITION_BEFORE = cue("cue.brain.condition_before")


class BrainValues(Values, frozen=True):
    applies_to: str = "any"  # any | active
    permission: bool = False
    # only leptomeningeal disease is named, not the brain ("Uncontrolled leptomeningeal disease", "Have visceral crisis,
    # lymphangitic spread, or leptomeningeal carcinomatosis"): brain metastases on file do not say whether it is
    # (comorbid sample 61's DU026, DU131, DU137, mend63); none on file still answers it
    leptomeningeal: bool = False


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    # "since prior systemic chemotherapy for leptomeningeal disease": what the therapy was for, not asked
    mentions = [m for m in c.of("CONCEPT", "concept.brain_metastases") if not c.therapy_target(m)]
    if not mentions:
        return []
    m = mentions[0]
    if named_as_example(c, m):
        return []  # "No distant metastases, including but not limited to, brain metastases": an example of the extent
    low, high = c.clause(m.start)
    active = (
        any(x.id in _ACTIVE and low <= x.start < high for x in c.mentions)
        or bool(_NOT_TREATED.search(c.text, m.end, high))
        or bool(_ACTIVE_WORD.search(c.text, low, m.start))
    )
    treated_exception = any(
        x.id == "concept.treated_state"
        and x.start > m.start
        and (any(e < x.start for e, _ in c.exceptions) or permits(c.text))
        for x in c.mentions
    )
    polarity = c.polarity(m)
    permission = c.section is Section.INCLUSION and polarity is Polarity.REQUIRE and permits(c.text)
    if (
        c.section is Section.INCLUSION
        and polarity is Polarity.REQUIRE
        and not permission
        and (_CONDITION_AFTER.match(c.text, m.end) or _CONDITION_BEFORE.search(c.text, max(0, m.start - 50), m.start))
    ):
        unread = "what it asks of brain metastases (treated, stable, off steroids) is not read"
        return [make_fact(FactKind.BRAIN_METASTASES, Polarity.EXCLUDE, BrainValues("active"), m.id, m.text, unread)]
    meninges = all(_MENINGES.match(x.text) for x in mentions) and not _BRAIN_WORD.search(c.text)
    values = BrainValues("active" if active or treated_exception else "any", permission, meninges)
    doubt: str | None = None
    # "CD20+ lymphoid malignancies with either documented CNS involvement or peripheral nerve infiltration"
    # (NCT01596127, fresh sample 12 S042): another alternative than brain metastases, which is not read
    if (
        polarity is Polarity.REQUIRE
        and not permission
        and (other := _EITHER_OTHER.match(c.text, m.end))
        and _EITHER.search(c.text, c.clause(m.start)[0], m.start)
    ):
        doubt = f"an alternative is not read ({other.group(0).strip()!r})"
    if doubt is None and (
        told := _KIND_BEFORE.search(c.text, max(0, m.start - 20), m.start) or _ALONE_AFTER.match(c.text, m.end)
    ):
        # "Known hemorrhagic brain metastasis" (NCT00543335), "No patients with cerebral metastases alone" (NCT00551122;
        # comorbid sample 62's DV017, DV018, mend64): a kind of brain metastasis, or brain-only disease, which the
        # profile's state does not say
        doubt = f"brain metastases asked with what the profile does not record ({told.group(0).strip()!r})"
    if polarity is Polarity.REQUIRE and not permission and c.section is Section.EXCLUSION:
        # "Patients with central nervous system (CNS) involvement unless they meet ALL of the following criteria:
        # - Clinically stable CNS tumor ..." (NCT02429089): an exception's condition, not a requirement (sweep 3)
        doubt = "a requirement of brain metastases in the exclusions (an exception's condition?)"
    return [make_fact(FactKind.BRAIN_METASTASES, polarity, values, m.id, c.text[m.start : m.end], doubt)]


_MENINGES = lazy_regex(r"(?:lepto)?mening", re.IGNORECASE)
_KIND_BEFORE = lazy_regex(r"\b(?:ha?emorrhagic|bleeding|cystic|necrotic)\s+$", re.IGNORECASE)
_ALONE_AFTER = lazy_regex(r"\s+(?:alone|only)\b", re.IGNORECASE)
# ... with the brain named beside it ("brain or leptomeningeal metastases", "CNS lesions, leptomeningeal disease")
_BRAIN_WORD = lazy_regex(r"\b(?:brain|cns|cerebral|intracranial|central\s+nervous)", re.IGNORECASE)
_EITHER = lazy_regex(r"\beither\b", re.IGNORECASE)
_EITHER_OTHER = lazy_regex(
    r"\s+or\s+(?!brain\b|cns\b|central\b|leptomening|intracranial|cerebral)[\w-]+(?:\s+[\w-]+){0,2}", re.IGNORECASE
)


def named_as_example(c: CriterionText, m: Mention) -> bool:
    """Brain metastases named as an example ("No distant metastases, including but not limited to, brain
    metastases"): the extent's, not a criterion of their own. Searched from the criterion's start, not the clause's:
    "including but not limited to" holds a "but"."""
    return bool(_EXAMPLE.search(c.text, 0, m.start))


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, BrainValues)
    if v.permission:
        return Finding(None, "states which brain metastases are allowed", not_applicable=True)
    d = p.disease
    if d is None or d.brain_metastases is None:
        return Finding(None, "brain metastases status not on file", missing="brain imaging (brain metastases)")
    state = d.brain_metastases
    if state is BrainMets.NONE:
        return Finding(False, "no brain metastases", ("disease.brain_metastases",))
    if v.leptomeningeal:
        return Finding(None, f"brain metastases {state.value.replace('_', ' ')}; whether the meninges are involved is not "
                       "recorded (trial: leptomeningeal disease)", ("disease.brain_metastases",),
                       missing="leptomeningeal disease")  # fmt: skip
    active_only = v.applies_to == "active"
    scope = "active/untreated" if active_only else "any"
    return Finding(
        state is BrainMets.ACTIVE or not active_only,
        f"brain metastases {state.value.replace('_', ' ')} (trial: {scope})",
        ("disease.brain_metastases",),
    )


KIND = Kind(FactKind.BRAIN_METASTASES, BrainValues, extract, evaluate, frozenset({"concept.brain_metastases"}))
