"""Laboratory values: "ANC ≥ 1.5 x 10^9/L", "AST and ALT ≤ 2.5 x ULN", "creatinine ≤ 1.5 mg/dL or clearance ≥ 60
mL/min" (alternatives), tests and units from matcher/knowledge/labs.json. A limit for a subgroup ("in presence of
Gilbert's disease") or another specimen ("in FNA washout fluid") is not the serum limit."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

import msgspec

from matcher.eligibility import numbers
from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section, Values
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import INN_DRUG, Finding, Kind, compare, fmt, lazy_regex
from matcher.eligibility.kinds.cardiac import electrolyte_conditions
from matcher.eligibility.kinds.conditions import current, is_over
from matcher.eligibility.kinds.other_malignancy import MALIGNANCY_WORDS
from matcher.eligibility.text import CriterionText, Mention, make_fact, sentence_start, sentence_stop
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Lab, Patient

if TYPE_CHECKING:
    from matcher.eligibility.criteria import Criterion


class LabValues(Values, frozen=True):
    DISPLAY_ONLY = frozenset({"lab_name", "value", "unit", "canonical_unit"})

    lab: str
    lab_name: str
    op: str
    value: int | float | None = None
    unit: str | None = None
    canonical_value: int | float | None = None
    canonical_unit: str | None = None
    uln_multiple: int | float | None = None
    lln_multiple: int | float | None = None
    alternative: bool = False  # one of several limits joined by "or": any one of them holding is enough
    # the other tests named with this one under the limit where the text may mean each test or either ("ALT and AST >
    # ULN" excluded, "AST and/or ALT <= 1.5 x ULN" required): decided only when all of them fall on the same side
    joined: tuple[str, ...] = ()
    # a limit for one sex ("creatinine less than 1.1 mg/dl for females and less than 1.4 mg/dl for males",
    # NCT01409174): "female" or "male"; ``both_sexes`` when the other sex's limit is read too
    sex: str | None = None
    both_sexes: bool = False
    # "(unless abnormality is caused by documented benign disease)": the limit is waived for a value that a benign
    # disease causes (`_waived_by_benign`)
    unless_benign: bool = False


_VERB = lazy_regex(r"\b(?:can|may|is|are|be|been|used|must|should|will)\b", re.IGNORECASE)
_OTHER_SPECIMEN = cue("cue.lab.other_specimen")
_SEX_AFTER = cue("cue.lab.sex_after")
_GRADE_BEFORE = lazy_regex(r"\bgrade\s*$", re.IGNORECASE)
_CONDITIONAL_LIMIT = cue("cue.lab.conditional_limit")
# A clearance measured from a timed urine collection, not estimated from serum creatinine: a profile's clearance does
# not say which it is, so it cannot decide a limit on the measured one ("... OR 24-hour urine creatinine clearance");
# "estimated or measured creatinine clearance" names both, which the one on file can decide
_MEASURED_BEFORE = lazy_regex(
    r"\b(?:24[- ]?h(?:ours?|rs?)?|timed)\s+urine\s+(?:collection\s+)?(?:for\s+)?$|(?<!\bor )(?<!\band )\bmeasured\s+$",
    re.I,
)
# A comparator with no number after a test's name ("ANC ≥, Plts ≥100,000 /mm3", NCT02862145): its limit is missing
# from the text, and the next number is another test's
_NO_NUMBER = lazy_regex(r"\s*(?:\([^()]*\)\s*)?(?:≥|≤|>=|<=|=>|=<|>|<)\s*(?:[,;]|$)")
# A decimal comma ("ALP < 2,5 x ULN", NCT00783471): the number read stops at the comma, so the limit is not read
_DECIMAL_COMMA = lazy_regex(r",\d{1,2}(?!\d)")
# A sentence that opens with "if" states a condition and what follows from it: no limit in it applies to everyone
_IF_SENTENCE = cue("cue.lab.if_sentence")
# A multiple written before a worded comparator: "AST/ALT 6x above the upper limit of normal" (NCT00524667) is > 6 x ULN
_MULTIPLE_BEFORE = lazy_regex(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:[x×]|times|-?fold)\s*$", re.IGNORECASE)
# A negation right before a test's limit: "Alkaline phosphatase and AST may not both be greater than the ULN"
# (NCT00365417) forbids the limit; "both" (or "together") asks it of the tests together, which is not read (parser 20).
# A negation of another verb is not the limit's ("Hemoglobin, which may not be achieved by transfusion, of at least
# 9 g/dL" stays a requirement)
_NEGATED_LIMIT = cue("cue.lab.negated_limit")
# A bare "not" right before the comparator: "AST and ALT not > 2x upper limits of normal" (NCT01679041, fresh sample
# 12 S043) forbids the limit, it does not ask for it
_BARE_NOT = cue("cue.lab.bare_not_before")
# "Prothrombin Time ≤ 1.5 x normal" (NCT01522677, fresh sample 12 S134): a multiple of normal the threshold did not read
# as one of the upper limit; the number is no value in the test's unit, so the limit is uncertain
_TIMES_NORMAL = cue("cue.lab.times_normal_after")
# A limit the patient fails to keep: "platelet refractory (i.e., unable to maintain a platelet count >= 50,000
# cells/mm3)" (NCT00401011, sample 7 M012) excludes a count below it, not one above: the limit reads the other way
_UNABLE_BEFORE = cue("cue.lab.unable_before")
# A limit the text permits in place of another: "Direct bilirubin > 1.5x the institutional ULN for age. A total
# bilirubin result that is less than 1.5 times the institutional ULN for age may be used for eligibility if a direct
# bilirubin result is not available." (NCT00928200, sample 7 M036; NCT00439296, sample 6 L030): neither a requirement
# nor an exclusion of its own; uncertain. Not a bracket or a new clause after the limit ("Hemoglobin < 9.0 g/dL (red
# blood cell transfusion and erythropoietin may be used to reach ...)", NCT03037385; "ANC ≥ 1500/µL, growth factors
# may be used"), which says how to meet it
# One rule with the stand-in of parser 24 ("... may be used for eligibility if a direct bilirubin result is not
# available", NCT00439296): a permission right after the limit, or one "for eligibility" anywhere in its clause.
_PERMITTED = cue("cue.lab.permitted")
_PERMITTED_NEAR = 30  # characters between the limit and its permission, none of them ".;,()"
# A requirement written under the exclusion heading: "Patient must have adequate renal function with a serum
# creatinine level of less than 1.5 mg/dl ..." (NCT00604461, sample 7 M035: a "Laboratory Values:" heading after the
# exclusions), "Must have a platelet count >75,000." (NCT01042704), "Adequate bone marrow function (absolute neutrophil
# count >1.5 x 109/L, ...)" (NCT00413192): when what it would exclude is the adequate side of the test (a low
# creatinine, a high platelet count), the limit is the one to meet, or the text is misplaced; either way not an
# exclusion to apply. Uncertain, as the inverted limits of parser 23. When it excludes the inadequate side, every
# reading excludes ("Adequate renal function defined as calculated creatinine clearance less than or equal to 60
# mL/min", NCT02870569, judged right as v0391), and "The patient should have no ... hyponatremia (serum sodium value
# less than 134 Meq/L)" stays the exclusion it is.
_REQUIRED_BEFORE = cue("cue.lab.required_before")
# The side of each test that is adequate: the other side is the only one NCI CTCAE v5.0 grades as an adverse event
# ("Neutrophil count decreased", "Platelet count decreased", "Anemia", "Chronic kidney disease" (a low clearance or
# eGFR), "Hypoalbuminemia"; "Creatinine increased", "Blood bilirubin increased", "Aspartate/Alanine aminotransferase
# increased", "Alkaline phosphatase increased", "INR increased", "Activated partial thromboplastin time prolonged",
# "Proteinuria", "Serum amylase increased", "Lipase increased"; HbA1c: a high one is the diabetes trials exclude). A
# prothrombin time is taken in seconds or as a ratio (a PT given as % activity, "PT less than 50%", NCT00234416, runs
# the other way: a requirement cue before it only makes it uncertain). Tests with both sides abnormal (WBC,
# lymphocytes, glucose, calcium, sodium, potassium, magnesium, phosphorus, TSH) are not listed
_ADEQUATE_HIGH = frozenset({"lab.anc", "lab.platelets", "lab.hemoglobin", "lab.creatinine_clearance", "lab.egfr",
                            "lab.albumin"})  # fmt: skip
_ADEQUATE_LOW = frozenset({"lab.creatinine", "lab.bilirubin_total", "lab.bilirubin_direct", "lab.ast", "lab.alt",
                           "lab.alkaline_phosphatase", "lab.inr", "lab.ptt", "lab.pt", "lab.urine_protein",
                           "lab.upcr", "lab.amylase", "lab.lipase", "lab.hba1c"})  # fmt: skip
_TOGETHER = cue("cue.lab.together")
# A limit that patients on anticoagulation are spared or given another of: "INR < 1.5 (except for patients receiving
# full-dose warfarin)" (NCT00100815), "INR =< 1.5 (=< 3 for patients on warfarin)" (NCT01064622), "Patients not on
# warfarin INR <=1.5; Patients on warfarin INR <=3" (NCT01127763). A profile does not say who is anticoagulated, so the
# clotting tests' limits in such a text are uncertain (parser 21), whatever the words around the anticoagulant: "or in
# the therapeutic range if on anticoagulation therapy" (NCT00421889), "... if given anticoagulant" (NCT01188707)
_ANTICOAGULATED = lazy_regex(
    r"\b(?:anti-?coagula\w*|warfarin|coumadin|heparin|LMWH|low[- ]molecular[- ]weight|vitamin\s+K\s+antagonists?|DOACs?|"
    r"apixaban|rivaroxaban|dabigatran|edoxaban|enoxaparin|dalteparin|therapeutic\s+range)",
    re.IGNORECASE,
)
_CLOTTING = frozenset({"lab.inr", "lab.pt", "lab.ptt"})
# A liver test's limit with another limit or a waiver for a group: "AST/ALT <= 2.5 x ULN (<= 5 x ULN in patients with
# liver metastases)", "Total bilirubin <= 1.5 x ULN (Gilbert's syndrome allowed)": which limit is the patient's, the
# profile does not say
_LIVER_GROUP = lazy_regex(r"\bGilbert\w*|\b(?:liver|hepatic)\s+(?:metastas[ie]s|mets|involvement|lesions?)\b", re.I)
_LIVER_TESTS = frozenset(
    {"lab.bilirubin_total", "lab.bilirubin_direct", "lab.ast", "lab.alt", "lab.alkaline_phosphatase"}
)
# A number that counts time is no lab value: "maintained a stable INR ... for at least 4 weeks" (NCT02159248)
_TIME_AFTER = lazy_regex(r"\s*(?:hours?|hrs?|days?|weeks?|wks?|months?|years?)\b", re.IGNORECASE)
# Counts no patient has, in the canonical unit: past them the limit is a typo ("Neutrophil count < 555 x 109/l",
# NCT00418028) and is not read (parser 20)
_PLAUSIBLE_MAX = {
    "lab.anc": 100.0,
    "lab.wbc": 500.0,
    "lab.lymphocytes": 500.0,
    "lab.platelets": 5000.0,
    "lab.hemoglobin": 25.0,
    "lab.albumin": 10.0,
}  # fmt: skip: "hemoglobin > 90g/dl" (NCT01645215) is 90 g/L; "Albumin ≥ 28 g/dL" (NCT02250118) is 28 g/L (lab29)
MAX_ULN_MULTIPLE = 100  # plausible bounds: past them the number is a typo, and the limit is not read


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    labs = c.of("LAB")
    if not labs:
        return []
    facts: list[Fact] = []
    pending: list[Mention] = []
    seen: set[tuple[str, bool]] = set()
    found = [
        t
        for t in numbers.thresholds(c.text)
        if not c.text.startswith("+", t.end)
        and not _GRADE_BEFORE.search(c.text[max(0, t.start - 12) : t.start])
        and not _DECIMAL_COMMA.match(c.text, t.end)
        and not (t.unit is None and t.uln is None and t.lln is None and _TIME_AFTER.match(c.text, t.end))
    ]  # fmt: skip: "> 1+" on a dipstick and "CTCAE Grade > 1" are not amounts; "< 2,5 x ULN" is not "< 2"
    last_end, group_start = -1, 0
    conditions = electrolyte_conditions(c.text) if c.has("concept.qtc") else []
    ratios: list[Mention] = []  # creatinine named as a ratio's denominator: no limit of the serum value
    conditional: list[Mention] = []  # tests named in a sentence that opens with "If"
    # "<test> <limit> requires ...": how many facts were read before it, its tests and its comparator
    condition: tuple[int, set[str], str] | None = None
    # a test named after "or" past the last limit, with no limit of its own, and the facts of the limits before it
    unread: tuple[Mention, int, int] | None = None
    for index, lab in enumerate(labs):
        # (up to the next test other than this one: "Glomerular filtration rate (GFR)" names it twice)
        next_other = next((m.start for m in labs[index + 1 :] if m.id != lab.id), len(c.text))
        if lab.id == "lab.egfr" and _BY_COCKCROFT.match(
            c.text, lab.end, min(sentence_stop(c.text, lab.end), next_other)
        ):
            # "Glomerular filtration rate (GFR) > 40 mL/minute as calculated by the Cockcroft-Gault formula"
            # (NCT02048813, comorbid sample 49's DI375): the formula gives a creatinine clearance, not the eGFR on file
            lab = lab._replace(id="lab.creatinine_clearance")
        if lab.id == "lab.creatinine" and _KINASE_AFTER.match(c.text, lab.end):
            continue  # "serum creatine kinase": the muscle enzyme, not the slip "serum creatine" for creatinine
        if lab.id == "lab.creatinine" and _RATIO_AFTER.match(c.text, lab.end):
            # "urine calcium/creatinine ratio >0.20" (NCT00904423), "protein. Creatinine ratio": neither the ratio's
            # limit nor the tests named before it (its numerator) are read
            ratios.append(lab)
            pending = []
            continue
        if any(a <= lab.start < b for a, b in conditions):
            continue  # "QTc > 450 in the presence of potassium >= 4": the levels a QTc limit applies at, no lab limit
        if _NO_NUMBER.match(c.text, lab.end):
            continue  # "ANC ≥,": no limit given for it
        if _IF_SENTENCE.match(c.text, _sentence_start(c.text, lab.start)):
            conditional.append(lab)
            continue  # "If alkaline phosphatase is > 2.5 x ULN, AST and ALT must be < 1.5 x ULN": a conditional limit
        pending.append(lab)
        next_lab = labs[index + 1].start if index + 1 < len(labs) else len(c.text)
        after = [t for t in found if lab.end <= t.start < max(next_lab, lab.end + 1)]
        if not after and index + 1 < len(labs) and _shares_threshold(c.text[lab.end : labs[index + 1].start]):
            continue  # "AST and ALT <= 2.5 x ULN": the threshold after the last one applies to both
        if (
            not after
            and facts
            and last_end >= 0
            and c.default_polarity is Polarity.REQUIRE
            and _OR_ONLY.fullmatch(c.text, last_end, pending[0].start)
        ):
            # "... >= 70mL/min OR serum creatinine based on age/gender as follows:"; its "or" is not one before the
            # next test's limit ("... or serum creatinine normal for age; ANC >= 1,500/mm3")
            unread = unread or (pending[0], group_start, len(facts))
            last_end = pending[-1].end
        if after:
            threshold = after[0]
            if (
                c.default_polarity is Polarity.REQUIRE
                and (
                    _REQUIRES_AFTER.match(c.text, threshold.end)
                    or (last_end >= 0 and _OR_IF.search(c.text, last_end, pending[0].start))
                )
                and any(_other_side(f, {m.id for m in pending}, threshold.op) for f in facts)
            ):
                # "Serum creatinine ≤ 1.5 mg/dL. Serum creatinine > 1.5 mg/dL requires creatinine clearance of ≥ 60
                # mL/min": past a limit read on its other side, a condition on the limit that follows, which is then
                # another way to meet that one
                condition = (len(facts), {m.id for m in pending}, threshold.op)
                last_end, pending = threshold.end, []
                continue
            before = c.text[last_end : pending[0].start] if last_end >= 0 else ""
            # "WBC >= 3.0 or granulocytes >= 1.5": "or" between two thresholds, not "or correctable with supplements"
            # (words before the "or" in a requirement only: under the exclusion heading, limits read as alternatives
            # would exclude only together)
            or_after = _OR_AFTER if c.default_polarity is Polarity.REQUIRE else _OR_RIGHT_AFTER
            # not an "or" in brackets: "creatinine clearance of > 50 ml/min (measured or calculated) and total serum
            # bilirubin < 2 mg/dl" (NCT00003298) asks the bilirubin too
            or_before = bool(facts and re.search(r"\bor\b", _BRACKETED.sub(" ", before), re.I))
            if (
                c.default_polarity is Polarity.REQUIRE
                and len(facts) - group_start == 1
                and len(pending) == 1
                and _IF_ABOVE_IT.fullmatch(before)
                and _SIDE.get(getattr(facts[-1].values, "op", "")) == "below"
            ):
                # "Serum creatinine <= 1.5mg/dl (If greater than 1.5, the creatinine clearance ... must be >= 50ml/min)"
                # (NCT00621049, comorbid sample 37's CW253): the one limit past the condition is the other way to meet
                # the one before it, as "... requires ..." (`condition`)
                facts[group_start:] = [_as_alternative(f) for f in facts[group_start:]]
                or_before = True
            alternative = or_before or bool(index + 1 < len(labs) and or_after.match(c.text[threshold.end : next_lab]))
            if (
                or_before
                and c.default_polarity is Polarity.REQUIRE
                and _joins_by_or(before, facts[group_start:], pending)
            ):
                facts[group_start:] = [_as_alternative(f) for f in facts[group_start:]]
            joined = c.text[pending[0].end : pending[-1].start]
            alternative = alternative or bool(len(pending) > 1 and re.search(r"(?<!and/)\bor\b", joined, re.I))
            # "ALT and AST > upper limit of Normal" (NCT01278810, sample 10 Q021): tests joined by "and" alone (not
            # "/", "or", "and/or") under one limit name them together: an exclusion of the limit needs every one
            # over it, which is the "any one holding is enough" of `alternative` for an excluded limit
            gaps = [c.text[a.end : b.start] for a, b in pairwise(pending)]
            together = all(_AND_ONLY.fullmatch(g) for g in gaps) and any("and" in g.lower() for g in gaps)
            # "AST and/or ALT <= 1.5 times ULN" required (NCT00305812), "AST/SGOT and/or ALT/SGPT </=1.5 x ULN"
            # (NCT02044354): met by either test within it, or by each: one within and one over is undecided
            # (only the tests the "and/or" joins: "ALP, along with AST and/or ALT <= 5 x ULN" asks ALP's alone)
            either = _either_groups(pending, gaps) if not any(_BARE_OR.search(g) for g in gaps) else {}
            last_end, group_start = threshold.end, len(facts)
            if _OTHER_SPECIMEN.match(c.text, threshold.end):
                pending = []
                continue  # "Tg (<10 ng/ml) in FNA washout fluid": not a serum value
            if not alternative and _CONDITIONAL_LIMIT.match(c.text, threshold.end):
                pending = []
                continue  # "direct bilirubin > 1.5 x ULN in presence of Gilbert's disease": a conditional limit
            for mention in pending:
                key = (mention.id, _measured(c, mention))
                if key in seen:
                    continue
                seen.add(key)
                fact = _fact(c, kb, mention, threshold, alternative, next_lab, pending[-1].end)
                if together and fact.polarity is Polarity.EXCLUDE and fact.uncertain is None:
                    fact = fact.changed(values=fact.values.changed(alternative=True))  # not a doubted limit's
                if together and fact.polarity is Polarity.EXCLUDE:
                    partners = tuple(dict.fromkeys(m.id for m in pending if m.id != mention.id))
                elif fact.polarity is Polarity.REQUIRE:
                    partners = tuple(i for i in either.get(mention.id, ()) if i != mention.id)
                else:
                    partners = ()
                if (
                    partners
                    and fact.uncertain is None
                    and not alternative
                    and _comparable(kb, mention.id, partners, fact.values)
                ):
                    fact = fact.changed(values=fact.values.changed(joined=partners))
                facts.extend(_by_sex(c, kb, mention, fact, after, next_lab, pending[-1].end))
            if c.default_polarity is Polarity.REQUIRE and (
                unnamed := _OR_UNREAD_TEST.fullmatch(c.text, pending[-1].end, threshold.start)
            ):
                # "Calculated creatinine clearance or MDRD > 60ml/min" (NCT02054442, comorbid sample 46's DF177): a
                # test the knowledge base does not name, offered after "or" under the same limit, is another way in.
                # A GFR estimated by its formula ("MDRD") is the eGFR on file, an alternative (a CKD stage 3b
                # patient's eGFR of 40 fails both); another test stays unread, and the limit uncertain
                if _GFR_FORMULA.search(unnamed.group(1)) and all(f.rule != "lab.egfr" for f in facts[group_start:]):
                    gfr = _fact(c, kb, pending[-1]._replace(id="lab.egfr"), threshold, True, next_lab, pending[-1].end)
                    facts[group_start:] = [*map(_as_alternative, facts[group_start:]), gfr]
                else:
                    why = f"another test offered under the limit is not read ('or {unnamed.group(1)}')"
                    facts[group_start:] = [f if f.uncertain else f.doubted(why) for f in facts[group_start:]]
        pending = []
    if ratios and c.default_polarity is Polarity.EXCLUDE:
        facts = [_joined_to_ratio(c, fact, ratios) for fact in facts]
    if conditional:
        facts = [_qualified_otherwise(c, fact, conditional) for fact in facts]
    if condition is not None and len(facts) > condition[0]:
        # the limits read on the condition's other side, and the first one asked past it, are two ways to meet the
        # line: alternatives ("Serum creatinine > 1.5 mg/dL requires creatinine clearance of ≥ 60 mL/min",
        # NCT01005979, comorbid sample 34's CT083)
        read_before, tests, op = condition
        pair = [i for i, f in enumerate(facts) if i == read_before or (i < read_before and _other_side(f, tests, op))]
        if any(getattr(f.values, "alternative", False) for i, f in enumerate(facts) if i not in pair):
            # ... but beside other limits joined by "or" ("... Or, if serum creatinine, >1.5 mg/dL: Calculated
            # creatinine clearance (ClCR) ≥30 ... Urine Protein to Creatinine Ratio (UPC) <1 Or, 24-hour urine protein
            # <1g", NCT01418001), which matching would take as one group of ways in: the two are uncertain (the review
            # of rules 59)
            facts = [f.doubted("a limit asked only past another, beside other alternatives") if i in pair else f
                     for i, f in enumerate(facts)]  # fmt: skip
        else:
            facts = [_as_alternative(f) if i in pair else f for i, f in enumerate(facts)]
    if facts and c.default_polarity is Polarity.REQUIRE and (branch := _BRANCH_OR.search(c.text)):
        facts = _after_unread_branch(c, facts, labs, branch)
    if len(facts) == 1 and (spared := _SPARED.search(c.text)):
        # "HbA1c < 8%* *Subjects in the bariatric surgery arm will not need to fulfil this criterion" (NCT02654665,
        # comorbid sample 39's CY112): which arm the patient would join is not on file. A line of one limit only: "...,
        # total bilirubin ≤ 1.5 x ULN (patients with Gilbert's syndrome will not need to fulfil this criterion)" spares
        # no one the other limits (the review of rules 60)
        told = c.text[sentence_start(c.text, spared.start()) : spared.end()].strip(" *")
        facts = [f if f.uncertain else f.doubted(f"some patients are spared the limit ({told!r})") for f in facts]
    if unread is not None:
        # "Creatinine clearance or radioisotope glomerular filtration rate >= 70mL/min OR serum creatinine based on
        # age/gender as follows:" (NCT00679354, comorbid sample 35's CU276): the limits before the "or" are one way in
        other, start, stop = unread
        told = c.text[other.start : sentence_stop(c.text, other.end)].strip()
        facts[start:stop] = [
            f if f.uncertain else f.doubted(f"another way to meet it is not read ('or {told}')")
            for f in facts[start:stop]
        ]
    return facts


# Only a condition past the limit just read, and no test of its own, before the next test: " (If greater than 1.5, the "
_IF_ABOVE_IT = lazy_regex(
    r"[\s,;.(]*(?:but\s+)?(?:if|when)\s+(?:(?:it|the\s+value|the\s+level)\s+is\s+)?"
    r"(?:greater|higher|more|above|over|>|≥|>=|exceed\w*|elevated)(?:\s+than)?(?:\s+or\s+equal\s+to)?\s*"
    r"(?:\d+(?:\.\d+)?\s*(?:x\s*ULN|times\s+ULN|mg/dl|umol/l|µmol/l)?)?"
    r"\s*,?\s*(?:then\s+)?(?:(?:the|a)\s+)?(?:(?:calculated|measured|estimated)\s+)?",
    re.IGNORECASE,
)
# ... or the condition told before the test: "Serum creatinine ≤ 1.5 mg/dL (133µM) or if serum creatinine> 1.5 mg/dL,
# calculated creatinine clearance (ClCR) ≥ 50 mL/min" (NCT01813136, comorbid sample 38's CX355)
_OR_IF = lazy_regex(r"\b(?:or|otherwise)\s*,?\s*(?:if|when)\s+(?:the\s+)?$", re.IGNORECASE)
_SPARED = lazy_regex(
    r"\b(?:will\s+)?(?:not|no)\s+(?:need|have|be\s+required)\s+to\s+(?:fulfil+|meet|satisfy)\s+this\s+criterion"
    r"|\b(?:are|is)\s+exempt(?:ed)?\s+from\s+this\s+criterion",
    re.IGNORECASE,
)
# Two branches joined by a capital "OR" ("Urinalysis ≤ 1+ proteinuria based on dipstick reading OR 2+ proteinuria on
# dipstick reading AND total urinary protein ≤ 3,500 mg ... and creatinine clearance ≥ 50 mL/min", NCT00293371, comorbid
# sample 38's CX345)
_BRANCH_OR = lazy_regex(r"\sOR\s")
_COMPARATOR = lazy_regex(r"[<>≤≥]|\b(?:less|greater|more|fewer|at\s+(?:least|most)|up\s+to)\b", re.IGNORECASE)


def _after_unread_branch(c: CriterionText, facts: list[Fact], labs: list[Mention], branch: re.Match[str]) -> list[Fact]:
    """The limits read after a capital "OR" whose first branch names a test and a limit that is not read (a dipstick
    grade): one way in; the other is not read, so they are uncertain. Not a first branch with no limit of its own,
    which shares the one after ("Creatinine clearance (measured over 24 hours) OR calculated creatinine clearance
    (Cockcroft-Gault formula) of ≥ 60 mL/min", NCT02620423)."""
    first = c.text[: branch.start()]
    if (
        not any(m.end <= branch.start() for m in labs)
        or not _COMPARATOR.search(first)
        or any(0 <= c.text.find(f.evidence) < branch.start() for f in facts)
    ):
        return facts
    told = " ".join(first.split())
    return [f if f.uncertain else f.doubted(f"another way to meet it is not read ({told!r} OR ...)") for f in facts]


_REQUIRES_AFTER = lazy_regex(r"\s*(?:\([^()]*\)\s*)?requires?\b", re.IGNORECASE)
_SIDE = {"<": "below", "<=": "below", ">": "above", ">=": "above"}


def _other_side(fact: Fact, tests: set[str], op: str) -> bool:
    """Whether the fact is a limit of one of ``tests`` on the other side of ``op``."""
    v = fact.values
    return isinstance(v, LabValues) and v.lab in tests and _SIDE.get(v.op) not in (None, _SIDE.get(op))


def _qualified_otherwise(c: CriterionText, fact: Fact, conditional: list[Mention]) -> Fact:
    """A limit of a test that a later "If ..." sentence lets the patient meet another way: "Creatinine clearance < 45
    mL/min according to Cockcroft-Gault formula. If creatinine clearance calculated from the 24 hour urine sample is ≥
    45 mL/min, patient will qualify for the trial." (NCT02189343, comorbid sample 34's CT052)."""
    v = fact.values
    if fact.uncertain or not isinstance(v, LabValues):
        return fact
    for lab in conditional:
        stop = sentence_stop(c.text, lab.end)
        told = c.text[_sentence_start(c.text, lab.start) : stop]
        if lab.id == v.lab and c.text.find(fact.evidence) < lab.start and _QUALIFIES.search(told):
            return fact.doubted(f"a later sentence lets the patient qualify another way ({told.strip()!r})")
    return fact


_QUALIFIES = lazy_regex(
    r"\b(?:will|may|can|would)\s+(?:still\s+)?(?:qualify|be\s+(?:eligible|allowed|included|enrolled))\b"
    r"|\b(?:is|are)\s+(?:eligible|allowed|acceptable)\b",
    re.IGNORECASE,
)


# a GFR told as calculated by the Cockcroft-Gault formula after its limit, before the next test named ("GFR >= 60 or
# creatinine clearance >= 60 calculated by Cockcroft-Gault" tells the clearance's)
_BY_COCKCROFT = lazy_regex(
    r"[^;]*?\d[^;]*?\b(?:as\s+)?(?:calculated|estimated|determined|measured)\s+(?:by|using|with|per)\s+(?:the\s+)?"
    r"Cockcroft",
    re.IGNORECASE,
)
_KINASE_AFTER = lazy_regex(r"\s*-?\s*(?:phospho-?\s*)?kinase\b|\s*\(\s*C?P?K\s*\)", re.IGNORECASE)
_RATIO_AFTER = lazy_regex(r"\s*(?:\([^()]{1,12}\)\s*)?ratio\b", re.IGNORECASE)  # "creatinine (UPC) ratio"
_AND_ONLY_WORDS = lazy_regex(r"[^\d;]*\band\b[^\d;]*", re.IGNORECASE)  # an "and", and no other limit, between


def _joined_to_ratio(c: CriterionText, fact: Fact, ratios: list[Mention]) -> Fact:
    """An excluded limit joined by "and" to a ratio's limit, which is not read: "Urine calculated creatinine clearance of
    less than 45ml/minute and a urinary protein. Creatinine ratio of more than 1." (NCT00351039, comorbid sample 33's
    CS028) excludes only with both."""
    at = c.text.find(fact.evidence)
    if fact.uncertain or at < 0:
        return fact
    end = at + len(fact.evidence)
    for ratio in ratios:
        if ratio.start > end and _AND_ONLY_WORDS.fullmatch(c.text[end : ratio.start]):
            told = c.text[ratio.start : sentence_stop(c.text, ratio.end)].strip()
            return fact.doubted(f"joined by 'and' to a ratio's limit that is not read ({told!r})")
    return fact


def _joins_by_or(between: str, before: list[Fact], tests: list[Mention]) -> bool:
    """Whether "or" joins the limits read just before to the tests named after ``between``, both ways: "creatinine
    clearance >= 50 mL/minute or creatinine < 2.0 mg/dl" (NCT03672851), "< 1.5 mg/dL [males], < 1.4 mg/dL [females]
    or estimated creatinine clearance >= 60" (NCT01440127), where the words after the first limit kept `_OR_AFTER`
    from seeing the "or". The last word joining them must be that "or", in a few words, outside brackets and within
    the item; not an "or" between adjectives ("... as well as a calculated or measured creatinine clearance", judged
    right as asked), nor "less than or equal", nor a second limit of the same test ("AST and ALT <= 2.5 x ULN, or AST
    and ALT <= 5 x ULN if ...": the first stays asked), nor past another test's words (a longer gap)."""
    words = _BRACKETED.sub(" ", between)
    joiners = list(_JOINER.finditer(words))
    if not joiners or "or" not in joiners[-1].group(0).lower():
        return False
    if len(words) > 50 or "(" in words or "[" in words or _ITEM_BREAK.search(between):
        return False
    limits = {f.values.lab for f in before if isinstance(f.values, LabValues)}
    return not limits & {m.id for m in tests}


def _as_alternative(fact: Fact) -> Fact:
    """A required limit as one of several joined by "or" (`LabValues.alternative`)."""
    if fact.polarity is not Polarity.REQUIRE or not isinstance(fact.values, LabValues) or fact.values.alternative:
        return fact
    return fact.changed(values=fact.values.changed(alternative=True))


# "or" after a limit, past its brackets and a few words that end it ("Creatinine < 2 x normal for age or GFR > 70
# ml/min/1.73m^2", NCT00042991; "=< 1.5 times upper limit of institutional normal for age or GFR >= 70", NCT00095940)
_OR_RIGHT_AFTER = cue("cue.lab.or_right_after")
# Only "or" between a limit and the next test named (`unread`)
_OR_ONLY = lazy_regex(
    # past the rest of the limit's unit: "GFR >= 70 mL/min/1.73 m^2 or a serum creatinine based on age/gender as
    # follows:" (NCT02642965, comorbid sample 38's CX367)
    r"(?:\s*/\s*1\.73\s*m\s*(?:\^\s*2|2|²))?[\s,;]*\bor\b[\s,]*(?:(?:a|an|the)\s+)?",
    re.IGNORECASE,
)
# Only brackets and "and" between the names of tests: "ALT and AST", "AST (SGOT) and ALT (SGPT)"; not "AST/ALT",
# "AST and/or ALT", "AST or ALT", nor a list with commas ("bilirubin, AST and ALT"), which exclusions mean as either
_AND_ONLY = lazy_regex(r"[\s()]*(?:\band\b[\s()]*)?", re.IGNORECASE)
_OR_AFTER = cue("cue.lab.or_after")
_AND_OR = lazy_regex(r"\band\s*/\s*or\b", re.IGNORECASE)
# A GFR estimated by its formula, read as the eGFR on file (`_OR_UNREAD_TEST`)
_GFR_FORMULA = lazy_regex(r"\b(?:MDRD|CKD-?EPI)\b", re.IGNORECASE)
# "or" and an acronym no test of the knowledge base is named by, between the tests named and their limit
# ("Calculated creatinine clearance or MDRD > 60ml/min"). Not another way to measure the same clearance ("Calculated
# creatinine clearance OR isotope clearance measurement >= 50 mL/min", NCT01212887: two methods for one limit, the
# value on file decides, as comorbid samples 33 and 37 ruled, CS296 and CW258, and sample 50's DJ161 was settled)
_OR_UNREAD_TEST = lazy_regex(
    r"\s*,?\s*(?i:or)\s+(?i:the\s+)?([A-Z][A-Za-z0-9-]*[A-Z0-9])\s*(?:\([^()]*\)\s*)?(?:of\s+)?"
)
_BARE_OR = lazy_regex(r"(?<!/)(?<!/\s)\bor\b", re.IGNORECASE)


# What may stand between tests an "and/or" joins: brackets, "/" ("AST/SGOT and/or ALT/SGPT") and the "and/or"
_EITHER_GAP = lazy_regex(r"[\s()/]*(?:\band\s*/\s*or\b[\s()/]*)?", re.IGNORECASE)


def _either_groups(pending: list[Mention], gaps: list[str]) -> dict[str, tuple[str, ...]]:
    """The tests joined by "and/or" under one limit, by test: runs of names with only brackets, "/" and "and/or"
    between them, holding an "and/or"."""
    groups: dict[str, tuple[str, ...]] = {}
    first = 0  # where the run of names starts in ``pending``
    for index, gap in enumerate(gaps, start=1):
        if not _EITHER_GAP.fullmatch(gap):
            groups.update(_run_group(pending[first:index], gaps[first : index - 1]))
            first = index
    groups.update(_run_group(pending[first:], gaps[first:]))
    return groups


def _run_group(run: list[Mention], gaps: list[str]) -> dict[str, tuple[str, ...]]:
    """A run's tests, each mapped to all of them, when an "and/or" stands in the run's gaps."""
    if len(run) < 2:
        return {}
    if not any(_AND_OR.search(g) for g in gaps):
        return {}
    ids = tuple(dict.fromkeys(m.id for m in run))
    return {i: ids for i in ids} if len(ids) > 1 else {}


def _comparable(kb: KnowledgeBase, lab_id: str, partners: tuple[str, ...], v: Values) -> bool:
    """Whether the limit read for ``lab_id`` compares the partner tests too: a multiple of their own normal limits,
    or a value in a unit they share."""
    if not isinstance(v, LabValues):
        return False
    if v.uln_multiple is not None or v.lln_multiple is not None:
        return True
    unit = kb.labs[lab_id].canonical_unit
    return v.canonical_value is not None and all(kb.labs[p].canonical_unit == unit for p in partners)


def _sex_of(c: CriterionText, t: numbers.Threshold) -> str | None:
    found = _SEX_AFTER.match(c.text, t.end)
    if found is None:
        return None
    return "female" if re.search(r"female|women", found.group(0), re.IGNORECASE) else "male"


def _by_sex(
    c: CriterionText, kb: KnowledgeBase, lab: Mention, fact: Fact, after: list[numbers.Threshold], until: int, end: int
) -> list[Fact]:
    """The fact, and when its limit is one sex's ("serum creatinine less than 1.1 mg/dl for females and less than 1.4
    mg/dl for males", NCT01409174; "Hemoglobin > 12 g/dl for females and >13 g/dl for males", NCT00882193), the
    other sex's limit after it as a fact of its own; each limit carries its sex (`evaluate`)."""
    v = fact.values
    if not isinstance(v, LabValues) or not after or (sex := _sex_of(c, after[0])) is None:
        return [fact]
    other = next((t for t in after[1:] if (s := _sex_of(c, t)) is not None and s != sex), None)
    if other is None:
        return [fact.changed(values=v.changed(sex=sex))]
    second = _fact(c, kb, lab, other, v.alternative, until, end)
    if not isinstance(second.values, LabValues) or second.polarity is not fact.polarity:
        return [fact.changed(values=v.changed(sex=sex))]
    return [
        fact.changed(values=v.changed(sex=sex, both_sexes=True)),
        second.changed(values=second.values.changed(sex=_sex_of(c, other), both_sexes=True)),
    ]


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence holding ``position`` starts: after the last ". " or "; " before it (0 if none)."""
    return max(text.rfind(". ", 0, position), text.rfind("; ", 0, position)) + 1


def _measured(c: CriterionText, lab: Mention) -> bool:
    """Whether the test is a measured clearance: "24-hour urine creatinine clearance", "measured CrCl"."""
    before = c.text[max(0, lab.start - 40) : lab.start]
    return bool(_MEASURED_BEFORE.search(before)) or (
        lab.text.lower().startswith("measured") and not re.search(r"\b(?:or|and)\s+$", before, re.I)
    )


def _permitted(c: CriterionText, t: numbers.Threshold) -> re.Match[str] | None:
    """The permission that makes the limit one the text permits in place of another (`_PERMITTED`): right after the
    limit in the same phrase, or "... may be used for eligibility" anywhere in the limit's clause."""
    low, high = c.clause(t.start)
    for found in _PERMITTED.finditer(c.text, low, high):
        gap = c.text[t.end : found.start()]
        if found.group("eligibility") or (
            found.start() >= t.end and len(gap) <= _PERMITTED_NEAR and not re.search(r"[.;,()]", gap)
        ):
            return found
    return None


def _shares_threshold(gap: str) -> bool:
    """ "AST (SGOT) and ALT", "INR or PT": names and brackets between two tests; not a clause ("[GFR] can also be
    used in place of creatinine")."""
    return bool(re.fullmatch(r"[\s,/()\[\]a-zA-Z-]*?(?:and|or|,|/)?[\s()]*", gap)) and not _VERB.search(gap)


# A finding of a named cause just before the test: "anemia attributed to the plasma cell disorder" (mend67)
_OF_A_CAUSE = lazy_regex(
    r"\b(?:attributed|attributable|due|secondary)\s+to\s+(?:the\s+|an?\s+)?[\w -]{2,40}?(?:disorder|disease|"
    r"myeloma|malignancy|cancer|tumou?r|lymphoma|leuka?emia|infiltration|involvement)\b",
    re.I,
)
# A drug a limit is for, right after it: "AST ≤ 1.5 x ULN for Cabazitaxel"
_FOR_BEFORE_DRUG = lazy_regex(
    r"\s*\(?\s*(?:for|in)\s+(?:(?:patients|subjects|participants|those)\s+"
    r"(?:receiving|treated\s+with|on|given|assigned\s+to)\s+)?(?:the\s+)?",
    re.I,
)


def _for_a_drug(c: CriterionText, end: int) -> str | None:
    """The drug a limit is said to be for, named right after it ("... for Cabazitaxel": one of the vocabulary, or a
    name with an anticancer drug's stem, `INN_DRUG`), or None."""
    lead = _FOR_BEFORE_DRUG.match(c.text, end)
    if lead is None:
        return None
    at = lead.end()
    named = next((m.text for m in c.of("DRUG") if m.start == at), None)
    if named is None and (stem := INN_DRUG.match(c.text, at)) is not None:
        named = stem.group(0)
    return named


def _fact(
    c: CriterionText, kb: KnowledgeBase, lab: Mention, t: numbers.Threshold, alternative: bool, until: int, after: int
) -> Fact:
    test = kb.labs[lab.id]
    evidence = c.text[lab.start : t.end]
    # "Concomitant elevation in bilirubin and ASAT/ALAT above 1.0 x ULN is not allowed": a limit that is forbidden,
    # up to the next test named
    polarity = c.default_polarity
    if c.negation_after(t.end, min(until, c.clause(t.start)[1])):
        polarity = Polarity.EXCLUDE  # in an exclusion ("... will be ineligible") it says the same again
    doubt = None  # what makes the limit uncertain whatever its number says
    if unable := _UNABLE_BEFORE.search(c.text, max(0, lab.start - 40), lab.start):
        # "unable to maintain a platelet count >= 50,000": a count at the limit is no exclusion; one below it may be
        # refractoriness (a failure despite support over time, which one count does not show) or not: uncertain
        polarity = polarity.flipped()
        doubt = f"a limit the patient fails to keep ({unable.group(0).strip()!r}): one low count does not show it"
    elif _permitted(c, t):
        # "A total bilirubin result that is less than 1.5 times the institutional ULN for age may be used for
        # eligibility if a direct bilirubin result is not available" (NCT00439296): a value that may stand in for
        # another test's, not a limit of its own (parser 24)
        doubt = f"a limit the text permits in place of another ({c.text[lab.start : t.end]!r} may be used)"
    elif (
        c.section is Section.EXCLUSION
        and polarity is Polarity.EXCLUDE
        and _adequate_side(lab.id, t.op)
        and (required := _REQUIRED_BEFORE.search(c.text[_sentence_start(c.text, lab.start) : lab.start]))
    ):
        doubt = f"a requirement ({required.group(0).strip()!r}) under the exclusion heading: the limit to meet?"
    between = c.text[after : t.start]
    if _NEGATED_LIMIT.search(between):
        polarity = Polarity.EXCLUDE  # "AST may not be greater than the ULN"
        if _TOGETHER.search(between):
            doubt = doubt or "a limit on several tests together ('both') is not read"
    elif _BARE_NOT.search(between):
        if polarity is Polarity.REQUIRE:
            polarity = Polarity.EXCLUDE  # "AST and ALT not > 2x ULN" required: over it excludes
        else:  # under the exclusion heading "not > 2x ULN" says the limit twice over, or the other way: unread
            doubt = doubt or f"a negated limit under the exclusion heading ('not{c.text[t.start : t.end]}')"
    if t.uln is None and t.lln is None and _TIMES_NORMAL.match(c.text, t.end):
        doubt = doubt or f"a multiple of normal after '{t.text.strip()}' is not a value in the test's unit"
    if lab.id in _CLOTTING and (on := _ANTICOAGULATED.search(c.text)):
        doubt = doubt or f"the limit differs with {on.group(0)!r}, which the profile does not say"
    elif lab.id in _LIVER_TESTS and (group := _LIVER_GROUP.search(c.text)):
        doubt = doubt or f"the limit differs for {group.group(0)!r}, which the profile does not say"
    doubt = doubt or _abnormal_limit(c, lab, t, polarity)
    if (drug := _for_a_drug(c, t.end)) is not None:
        # "AST ≤ 1.5 x ULN for Cabazitaxel" (NCT03043989, comorbid sample 64's DX294, mend68): the limit of the
        # patients given one arm's drug
        doubt = doubt or f"the limit is for the patients given {drug!r} only"
    if caused := _OF_A_CAUSE.search(c.text, max(0, lab.start - 80), lab.start):
        # "Absence of anemia attributed to the plasma cell disorder*: Hemoglobin >10 g/dl ..." (NCT02697383, comorbid
        # sample 63's DW361, mend67): the limit is asked of a finding of that cause, which the profile does not record
        doubt = doubt or f"the limit is asked of a finding of a cause ({caused.group(0).strip()!r}), not on file"
    correctable = _CORRECTABLE.search(c.text, t.end, sentence_stop(c.text, t.end))
    item = c.text.rfind(";", t.end, correctable.start()) if correctable else -1
    if correctable and not (
        item >= 0 and any(other.id != lab.id and item < other.start < correctable.start() for other in c.of("LAB"))
    ):
        # in its sentence, in its item or an item of the same test ("; low platelet counts may be corrected with
        # transfusion", NCT02275039), not another test's item ("...; Hemoglobin >=9 gm/dl (may be corrected by
        # transfusion)", NCT00402415)
        doubt = doubt or f"a correction of the value is told ({correctable.group(0).strip()!r}), not on file"
    # "serum creatinine < 1.5 mg/dL OR 1.5 x institutional normal" (NCT02065466, comorbid sample 45's DE142): the other
    # way in, a multiple of normal with no comparator of its own, is not read (mend46)
    or_number = _OR_NUMBER.match(c.text, t.end) if t.uln is None else None
    if or_number and (or_multiple := _TIMES_NORMAL.match(c.text, or_number.end())):
        other_way = " ".join(c.text[or_number.start() : or_multiple.end()].split())
        doubt = doubt or f"another limit after 'or' ({other_way!r}) is not read"
    if repeat := _REPEAT_ALLOWED.search(c.text):
        # "PLT >100x109/L. Red blood cell transfusions and repeat evaluations for study entry are allowed" (NCT00358319,
        # comorbid sample 42's DB080): a value past the limit may be measured again, as a QTc a repeat ECG may clear
        doubt = doubt or f"the text lets the value be measured again for entry ({repeat.group(0)!r}), not on file"
    stated = _STATED_VALUE.match(c.text, t.end) if t.uln is not None or t.lln is not None else None
    if (
        stated
        and stated.group("ie")
        and t.uln == 1
        and not (polarity is Polarity.REQUIRE and t.op in (">", ">="))  # an inverted limit stays doubted, below
        and (own := _stated_limit(stated, t)) is not None
    ):
        # "serum creatinine </= the institutional upper limit of normal (i.e. 1.5 mg/dL)" (NCT00411593, comorbid
        # sample 33's CS291): the trial says what its upper limit is, which the laboratory's on file may not be
        t, evidence = own, c.text[lab.start : own.end]
    elif stated:
        # "(1.5 mg/dL)" after "1.5 x ULN": the same limit, or another way to meet it
        doubt = doubt or f"the limit is given as a multiple of normal and as a value ({stated.group(0).strip()!r})"
    # "SGOT ≤ 1.5 times upper limit of normal (unless abnormality is caused by documented benign disease)"
    # (NCT00356941, comorbid sample 64's DX104, mend70): weighed against the conditions on file (`_waived_by_benign`)
    benign = _UNLESS_BENIGN.search(c.text, t.end, min(until, sentence_stop(c.text, t.end))) is not None
    if t.uln is not None or t.lln is not None:
        multiple = t.uln if t.uln is not None else t.lln
        uln, lln = t.uln, t.lln
        written = _MULTIPLE_BEFORE.search(c.text, max(0, t.start - 12), t.start)
        if written and not any(ch.isdigit() for ch in t.text):
            multiple = float(written.group(1))  # "6x above the upper limit of normal"
            uln, lln = (multiple, None) if t.uln is not None else (None, multiple)
        uncertain = doubt or (
            None if multiple and 0 < multiple <= MAX_ULN_MULTIPLE else f"the multiple in '{t.text}' is out of bounds"
        )
        if (
            uncertain is None
            and uln is not None
            and uln >= 1
            and t.op in (">", ">=")
            and polarity is Polarity.REQUIRE
            and not re.search(r"\bnot\s*$", c.text[max(0, t.start - 8) : t.start], re.IGNORECASE)  # left as it was
        ):
            # "Serum creatinine of at least 1.5 times the upper limit of normal" under "Adequate ... function"
            # (NCT02323906, sample 5 K042): an abnormal value asked for reads as an inverted limit; never decided
            uncertain = f"a value at or above the upper limit of normal is required ('{t.text}'): an inverted limit?"
        values = LabValues(lab.id, test.name, t.op, uln_multiple=uln, lln_multiple=lln, alternative=alternative,
                           unless_benign=benign)  # fmt: skip
        return make_fact(FactKind.LAB, polarity, values, lab.id, evidence, uncertain)
    canonical = test.to_canonical(t.value, t.unit) if t.value is not None and t.unit else None
    if canonical is None and t.value is not None and not t.unit and not test.canonical_unit:
        canonical = t.value  # unitless tests (INR)
    values = LabValues(lab.id, test.name, t.op, t.value, t.unit, canonical, test.canonical_unit,
                       alternative=alternative, unless_benign=benign)  # fmt: skip
    uncertain = f"a measured {test.name} is asked; the one on file may be estimated" if _measured(c, lab) else None
    if lab.id == "lab.glucose" and _FASTING.search(c.text, max(0, lab.start - 20), lab.end):
        # "Fasting blood glucose < 160 mg/dL" (NCT01298401): a profile's glucose does not say whether it was drawn
        # fasting; nor for "a non-fasting blood glucose > 160 mg/dL" (lab29)
        uncertain = f"the text asks a {test.name} drawn fasting or not; the one on file does not say which"
    if canonical is not None and canonical > _PLAUSIBLE_MAX.get(lab.id, float("inf")):
        uncertain = f"the limit in '{t.text}' is out of plausible bounds"
    return make_fact(FactKind.LAB, polarity, values, lab.id, evidence, doubt or uncertain)


_CORRECTABLE = cue("cue.lab.correctable")
_UNLESS_BENIGN = cue("cue.lab.unless_benign")
_REPEAT_ALLOWED = cue("cue.lab.repeat_allowed")
# a number joined by "or" right after a limit in units, before a multiple of normal (`_TIMES_NORMAL`, in `_fact`)
_OR_NUMBER = lazy_regex(r"\s*,?\s*or\s+(?:[<>≤≥]=?\s*)?\d+(?:\.\d+)?", re.IGNORECASE)
# A value in brackets right after a multiple of normal: "(i.e. 1.5 mg/dL)", "(= 2.0 mg/dl)", "(1.5 mg/dL)"
_STATED_VALUE = lazy_regex(
    r"\s*[(\[]\s*(?P<ie>i\.?\s*e\.?,?|=)?\s*(?P<value>(?:[<>≤≥]=?\s*)?\d+(?:\.\d+)?\s*(?:mg|µmol|μmol|umol|mmol|g|IU|U)\b"
    r"[^()\[\]]{0,80})[)\]]?",
    re.IGNORECASE,
)


_SEX_WORDS = lazy_regex(r"\b(?:wo)?m[ae]n\b|\b(?:fe)?males?\b", re.IGNORECASE)


def _stated_limit(stated: re.Match[str], t: numbers.Threshold) -> numbers.Threshold | None:
    """The limit the bracket states, with the multiple's comparator: "</= the institutional upper limit of normal (i.e.
    1.5 mg/dL)" is "<= 1.5 mg/dL". None when its number and unit are not read, or it states more than one ("i.e. 1.2
    mg/dL for women, 1.5 mg/dL for men")."""
    value = stated.group("value")
    found = numbers.thresholds(value if value[0] in "<>≤≥" else f"{t.op} {value}")
    if len(found) != 1 or found[0].value is None or not found[0].unit or _SEX_WORDS.search(value):
        return None
    return msgspec.structs.replace(found[0], op=t.op, start=t.start, end=stated.end())


# What `_joins_by_or` reads between two limits: the end of an item or sentence, brackets, and the words that join them
_ITEM_BREAK = lazy_regex(r";|\.\s")
_BRACKETED = lazy_regex(r"\([^()]*\)|\[[^\[\]]*\]")
_JOINER = lazy_regex(
    r"\band\s*/\s*or\b|(?<!than\s)(?<!calculated\s)(?<!measured\s)(?<!estimated\s)\bor\b|\band\b|\bas\s+well\s+as\b|"
    r"\bplus\b",
    re.IGNORECASE,
)
_FASTING = lazy_regex(r"\bfasting\b|\bFPG\b", re.IGNORECASE)
_IF_BEFORE = cue("cue.lab.if_before")
_OTHER_LIMIT_AFTER = cue("cue.lab.other_limit_after")
_THEN_AFTER_IF = cue("cue.lab.then_after_if")
_CONDITION_AFTER = cue("cue.lab.condition_after")
_LIMIT_MAY_CHANGE = cue("cue.lab.limit_may_change")
_ABNORMAL_CONTEXT = cue("cue.lab.abnormal_context")


def _abnormal_limit(c: CriterionText, lab: Mention, t: numbers.Threshold, polarity: Polarity) -> str | None:
    """What makes a limit uncertain by the way it is written (sweep of the lab violations, issue 10): an "=" that is
    no limit ("Platelet count >/ =100,000/mm^3", NCT00543335, read as "= 100,000"); another limit offered right after it (cue.lab.other_limit_after);
    a limit the text says may change (cue.lab.limit_may_change); an abnormal value required where the text speaks of
    adequacy, lists features or defines a condition (cue.lab.abnormal_context); a low creatinine, bilirubin or enzyme
    excluded ("Serum creatinine (CR) < 1.5mg/dl or 24 hour CR clearance < 50 ml/min" under the exclusions,
    NCT02728700, sample 6 L007; "Hepatic: ALT < 2 x upper limit of normal," under "Adequate organ function defined
    as:" among the exclusions, NCT00625729), which no trial means to exclude."""
    if t.op == "=":
        return f"'{t.text}' is no limit (an '=' where a comparator was meant?)"
    if condition := _IF_BEFORE.search(c.text, max(0, lab.start - 12), lab.start):
        # "Alkaline phosphatase no greater than ULN (or no greater than 5 times ULN if AST/ALT no greater than ULN)"
        # (NCT00030407): the AST/ALT limit is the condition of another limit, not a limit of its own
        return f"a condition ({condition.group(0).strip()!r} ...), not a limit of its own"
    if condition := _THEN_AFTER_IF.search(c.text, max(0, lab.start - 80), lab.start):
        told = " ".join(condition.group(0).split())
        return f"a limit asked only where a condition holds ({told!r} ...): the profile may not say whether it does"
    if other := _OTHER_LIMIT_AFTER.match(c.text, t.end):
        return f"another limit follows ({other.group(0).strip()!r}): which is the patient's, the profile may not say"
    if condition := _CONDITION_AFTER.match(c.text, t.end):
        told = condition.group(0).strip()
        return f"a condition follows the limit ({told!r}): the profile may not say whether it is the patient's"
    if change := _LIMIT_MAY_CHANGE.search(c.text):
        return f"the limit may change during the trial ({change.group(0)!r})"
    inadequate = (lab.id in _ADEQUATE_HIGH and t.op in ("<", "<=")) or (lab.id in _ADEQUATE_LOW and t.op in (">", ">="))
    if (
        polarity is Polarity.REQUIRE
        and inadequate
        and t.uln is None
        and t.lln is None
        and (why := _ABNORMAL_CONTEXT.search(c.text))
    ):
        return (
            f"an abnormal {lab.text} is asked where the text says {why.group(0)!r}: an inverted limit or one feature?"
        )
    if polarity is Polarity.EXCLUDE and lab.id in _ADEQUATE_LOW and t.op in ("<", "<="):
        return f"a low {lab.text} is excluded ('{t.text}'): an inverted limit?"
    return None


def _adequate_side(lab_id: str, op: str) -> bool:
    """Whether the values the limit picks are the test's adequate side ("creatinine < 1.5", "platelets > 100")."""
    return (lab_id in _ADEQUATE_HIGH and op in (">", ">=")) or (lab_id in _ADEQUATE_LOW and op in ("<", "<="))


def _latest(p: Patient, lab_id: str, kb: KnowledgeBase) -> Lab | None:
    found = [lab for lab in p.labs if (test := kb.lab_by_name(lab.test)) is not None and test.id == lab_id]
    return max(found, key=lambda lab: lab.date or date.min) if found else None


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, LabValues)
    if v.sex is not None and (p.sex is None or p.sex.value != v.sex):
        limit = f"{kb.labs[v.lab].name} {v.op} {fmt(v.value or v.uln_multiple or v.lln_multiple or 0)}"
        if p.sex is None:
            return Finding(None, f"the limit {limit} is for {v.sex} patients; sex not on file", missing="sex")
        if v.both_sexes:
            return Finding(None, f"the limit {limit} is for {v.sex} patients", not_applicable=True)
        return Finding(None, f"reading uncertain: the limit {limit} read is for {v.sex} patients, the one for "
                       f"{p.sex.value} patients is not read")  # fmt: skip
    own = _compared(v, p, kb)
    if own.has is False and v.unless_benign and (waived := _waived_by_benign(v, p, own)) is not None:
        return waived
    if not v.joined or own.has is None:
        return own
    # "ALT and AST > ULN", "AST and/or ALT <= 1.5 x ULN": each test or either; decided only when every test named
    # falls on the same side of the limit, so that both readings agree
    others = [_compared(msgspec.structs.replace(v, lab=lab), p, kb) for lab in v.joined]
    if all(o.has == own.has for o in others):
        return own
    names = " and ".join([kb.labs[v.lab].name, *(kb.labs[lab].name for lab in v.joined)])
    shown = "; ".join(o.reason for o in (own, *others))
    missing = next((o.missing for o in others if o.missing), None)
    return Finding(
        None,
        f"reading uncertain: a limit on {names} may mean each test or either, and they differ; {shown}",
        tuple(dict.fromkeys(path for o in (own, *others) for path in o.evidence)),
        missing=missing,
    )


# The conditions that may cause an abnormal value of a test, by the organ the test measures (names on file, lower
# case, as `conditions.current` reads them); a test of none of these is weighed against every current condition
_LIVER_CAUSES = ("liver", "hepat", "cirrho", "cholesta", "biliary", "gilbert", "steato")
_KIDNEY_CAUSES = ("kidney", "renal", "nephr", "ckd", "glomerul")
_BLOOD_CAUSES = ("anemia", "anaemia", "thrombocytopen", "neutropen", "marrow", "hemoly", "haemoly", "itp")
_CAUSES_BY_TEST = {
    **dict.fromkeys(_LIVER_TESTS, _LIVER_CAUSES),
    **dict.fromkeys(("lab.creatinine", "lab.creatinine_clearance", "lab.egfr", "lab.urine_protein", "lab.upcr"),
                    _KIDNEY_CAUSES),
    **dict.fromkeys(("lab.hemoglobin", "lab.platelets", "lab.anc", "lab.wbc"), _BLOOD_CAUSES),
}  # fmt: skip
# a condition that is a cancer, or its spread, is no benign cause ("liver metastases", comorbid sample 65's DQ371)
_MALIGNANT_WORDS = (*MALIGNANCY_WORDS, "metasta", "tumor", "tumour")


def _waived_by_benign(v: LabValues, p: Patient, failed: Finding) -> Finding | None:
    """A failed limit "unless abnormality is caused by documented benign disease": unknown where a current,
    non-malignant condition of the test's organ is on file (a profile does not say what caused a value), None (the
    limit stands) where none is."""
    terms = _CAUSES_BY_TEST.get(v.lab)
    candidates = current(p, terms) if terms else [c for c in p.conditions if not is_over(c)]
    cause = next((c for c in candidates if not any(w in c.name.lower() for w in _MALIGNANT_WORDS)), None)
    if cause is None:
        return None
    return Finding(
        None,
        f"{failed.reason}; the limit is waived for an abnormality caused by a benign disease, and {cause.name!r} is "
        "on file: whether it causes this value is not on file",
        (*failed.evidence, cause.path),
        missing="the cause of the abnormal value",
    )


def _compared(v: LabValues, p: Patient, kb: KnowledgeBase) -> Finding:
    name = kb.labs[v.lab].name
    result = _latest(p, v.lab, kb)
    if result is None:
        return Finding(None, f"no {name} on file", missing=name)
    when = f" on {result.date}" if result.date else ""
    shown = f"{name} {fmt(result.value)} {result.unit}{when}"
    for multiple, limit_name, limit in ((v.uln_multiple, "ULN", result.upper_limit),
                                        (v.lln_multiple, "LLN", result.lower_limit)):  # fmt: skip
        if multiple is not None:
            if limit is None:
                return Finding(None, f"{shown}; its {limit_name} is not on file", (result.path,),
                               missing=f"{name} {limit_name}")  # fmt: skip
            bound = multiple * limit
            return Finding(
                compare(result.value, v.op, bound),
                f"{shown} (trial: {v.op} {fmt(multiple)} x {limit_name} = {fmt(bound)})",
                (result.path,),
            )
    test = kb.labs[v.lab]
    mine = test.to_canonical(result.value, result.unit) if result.unit else (
        result.value if not test.canonical_unit else None)  # fmt: skip
    if v.canonical_value is None or mine is None:
        return Finding(
            None,
            f"{shown}; cannot compare units with the trial's {fmt(v.value or 0)} {v.unit or ''}".strip(),
            (result.path,),
            missing=f"{name} in a convertible unit",
        )
    met = compare(mine, v.op, v.canonical_value)
    told = (
        f"{shown} = {fmt(round(mine, 3))} {test.canonical_unit} (trial: {v.op} {fmt(v.canonical_value)} "
        f"{test.canonical_unit})"
    )
    if met is not None and (near := _limit_at_its_precision(v, result.value, mine, met)) is not None:
        return Finding(None, f"{told}; in {result.unit} at the precision of the value on file the trial's limit is "
                       f"{fmt(near)}, where the value stands", (result.path,), missing=f"{name} in {v.unit}")  # fmt: skip
    return Finding(met, told, (result.path,))


def _limit_at_its_precision(v: LabValues, value: float, canonical: float, met: bool) -> float | None:
    """The trial's limit, given in another unit than the value on file, converted to the value's unit and rounded as
    the value is written (at least one decimal below 10), when the value compares with it otherwise than with the
    exact limit (``met``): "Creatinine ≤ 150 μmol/L" is 1.697 mg/dL, 1.7 at the precision of a creatinine of 1.7 mg/dL
    on file (NCT00275080, comorbid sample 36's CV103); "Bilirubin greater than 1.5 mg/dL" is 25.7 μmol/L, 26 at the
    precision of a bilirubin of 26 μmol/L (the review of rules 57). None otherwise: the same unit, or a value clear of
    the limit."""
    if v.value is None or not v.canonical_value or not value or not canonical:
        return None
    own_factor = canonical / value
    if abs(v.canonical_value / v.value - own_factor) <= 1e-9 * abs(own_factor):
        return None  # the limit is in the value's unit: no conversion to blur it
    written = fmt(value)
    decimals = len(written.split(".")[1]) if "." in written else (1 if abs(value) < 10 else 0)
    near = round(v.canonical_value / own_factor, decimals)
    return near if compare(value, v.op, near) != met else None


def _asks_adequate(fact: Fact) -> bool | None:
    """Whether a certain lab fact lets in only the adequate side of its test (a required "ANC >= 1.5", an excluded
    "clearance < 50"), only the inadequate side (a required "hemoglobin <= 9", an excluded "creatinine < 1.5"), or
    neither is known (None: a test with both sides abnormal, an uncertain fact)."""
    v = fact.values
    if fact.kind is not FactKind.LAB or fact.uncertain or not isinstance(v, LabValues):
        return None
    if (v.lab not in _ADEQUATE_HIGH and v.lab not in _ADEQUATE_LOW) or v.op not in ("<", "<=", ">", ">="):
        return None
    if v.canonical_value is None and v.uln_multiple is None and v.lln_multiple is None:
        return None  # a value in a unit the test is not read in ("creatinine clearance >= 60 mL/min"): never decided
    return _adequate_side(v.lab, v.op) == (fact.polarity is Polarity.REQUIRE)


def inverted_among(criteria: list[Criterion]) -> list[Criterion]:
    """A limit that asks for the inadequate side of its test where every other test beside it asks for the adequate
    side reads as inverted (parser 25): "Hemoglobin less than or equal to 9 g/dL" among "Absolute neutrophil count
    greater than or equal to 1.5 x 10^9/L", "Platelet count greater than or equal to 75 x 10^9/L" under "Lab results,
    within 10 days of MKC-1 administration:" (NCT00306631), "Serum creatinine (CR) < 1.5mg/dl or 24 hour CR clearance
    < 50 ml/min" as an exclusion (NCT02728700). Beside means in the same criterion or under the same lead-in. Such a
    limit is uncertain, never decided: a list that asks for low counts throughout ("Hemoglobin level <= 9.0 g/dL;",
    "Platelet count <= 75,000 /uL;", NCT01908387) or for renal impairment ("Creatinine > 1.3 or ... creatinine
    clearance < 60 ml/min", NCT00490061) has no limit of the other side, and stays as read. An exclusion of a test's
    adequate side excludes the patients with normal values, whatever stands beside it: "Hepatic: ALT < 2 x upper limit
    of normal," (NCT00625729), "... must demonstrate < 1g of protein in 24 hours to be eligible" read as an excluded
    urine protein (NCT00426829); it is uncertain too."""
    groups: dict[tuple[str, int | None] | tuple[str, int], list[int]] = {}
    for c in criteria:
        if any(f.kind is FactKind.LAB for f in c.facts):
            groups.setdefault(("under", c.parent) if c.parent is not None else ("own", c.index), []).append(c.index)
    changed = list(criteria)
    for members in groups.values():
        asked = [(i, f.values.lab, _asks_adequate(f)) for i in members for f in criteria[i].facts
                 if isinstance(f.values, LabValues)]  # fmt: skip
        for i in members:
            c = criteria[i]
            facts = []
            for f in c.facts:
                if _asks_adequate(f) is False and isinstance(f.values, LabValues):
                    others = [ok for _, lab, ok in asked if lab != f.values.lab and ok is not None]
                    if f.polarity is Polarity.EXCLUDE:
                        f = f.doubted(f"'{f.evidence}' excludes the adequate side of the test: an inverted limit?")
                    elif others and all(others):
                        f = f.doubted(f"'{f.evidence}' asks for the inadequate side of the test where the limits "
                                      "beside it ask for the adequate side: an inverted limit?")  # fmt: skip
                facts.append(f)
            if facts != list(c.facts):
                changed[i] = replace(c, facts=tuple(facts))
    return changed


def met_otherwise_among(criteria: list[Criterion]) -> list[Criterion]:
    """A required limit that another line of the trial gives as one of two ways in, beside another test's limit, is
    read with that other way: "Creatinine clearance greater than 50 mL/min" and, under "Met criteria for
    re-registration after surgery", "creatinine ≤ 1.5 mg/dl or creatinine clearance of > 50 ml/min" (NCT00003298,
    comorbid sample 37's CW349): a creatinine of 1.3 mg/dL meets the line whatever the clearance, and a patient who
    meets neither still fails it. Only two ways of two tests, on a line of no cohort or condition of its own, and the
    same test, side and limit; not a line that asks the other test itself ("... and creatinine clearance ≥ 60")."""
    ways: dict[tuple[object, ...], tuple[Fact, str]] = {}  # a limit's key: the other way in, and its test
    for c in criteria:
        limits = {f: v for f in c.facts if (v := _required(f)) is not None and v.alternative and not f.alternative}
        if len(limits) == 2 and len({v.lab for v in limits.values()}) == 2 and not c.scope.conditions:
            (a, va), (b, vb) = limits.items()
            ways.setdefault(_limit_key(va), (b, vb.lab))
            ways.setdefault(_limit_key(vb), (a, va.lab))
    if not ways:
        return criteria
    changed = list(criteria)
    for c in criteria:
        facts = list(c.facts)
        asked = {v.lab for f in c.facts if (v := _required(f)) is not None}
        for i, f in enumerate(c.facts):
            v = _required(f)
            way = ways.get(_limit_key(v)) if v is not None and not v.alternative else None
            if way is not None and not f.uncertain and not f.alternative and way[1] not in asked:
                facts[i] = _as_alternative(f)
                facts.append(way[0])
        if facts != list(c.facts):
            changed[c.index] = replace(c, facts=tuple(facts))
    return changed


def _required(fact: Fact) -> LabValues | None:
    """A required limit's values; None for any other fact."""
    return fact.values if fact.polarity is Polarity.REQUIRE and isinstance(fact.values, LabValues) else None


def _limit_key(v: LabValues) -> tuple[object, ...]:
    """A limit's test, side and amount: its canonical value, its multiple of the normal limits, or its value as
    written with its unit."""
    if v.canonical_value is not None:
        return v.lab, _SIDE.get(v.op), v.canonical_value
    if v.uln_multiple is not None or v.lln_multiple is not None:
        return v.lab, _SIDE.get(v.op), v.uln_multiple, v.lln_multiple
    return v.lab, _SIDE.get(v.op), v.value, v.unit


KIND = Kind(FactKind.LAB, LabValues, extract, evaluate, frozenset({"LAB"}))
