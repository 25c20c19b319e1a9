"""Per-fact evaluation: what the patient's profile says about one parsed fact.

Each evaluator answers "does the patient have what the fact names?" as a `Finding`: yes, no, or unknown,
with one short clinical reason and the profile paths it used. Polarity is applied afterwards
(`matcher.matching.evaluate`): for a REQUIRE fact "yes" satisfies, for an EXCLUDE fact "yes" violates.
Absent data is always unknown, never a "no" (../shared/contracts/patient.md). A finding's ``missing`` names
the kind of data in clinical words and, for a listed entry, its path ("dates of therapies[2]"), never the
patient's own values: missing items go into digests, which carry the minimum.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from matcher.eligibility.criteria import Fact, FactKind, Polarity
from matcher.knowledge_base import Alteration, KnowledgeBase
from matcher.patient import BrainMets, Lab, MarkerResult, Patient, Therapy, TherapyKind, Uptake

# ECOG grade -> the Karnofsky range it corresponds to (Oken MM et al., Am J Clin Oncol 1982;5:649-655).
ECOG_TO_KARNOFSKY = {0: (90, 100), 1: (70, 80), 2: (50, 60), 3: (30, 40), 4: (10, 20), 5: (0, 0)}
RAIR_CUMULATIVE_MCI = 600  # seed review, Introduction: RAIR definition (3)
_MALIGNANCY = ("cancer", "carcinoma", "malignan", "lymphoma", "leukemia", "leukaemia", "melanoma", "sarcoma", "myeloma")


@dataclass(frozen=True)
class Finding:
    """has: True (present / meets), False (absent / does not meet), None (unknown).

    ``decided`` overrides polarity: NOT_APPLICABLE for things a profile cannot answer, or a washout that is
    met by waiting (``has=False`` with ``eligible_from``). ``changes_on`` is the first day on which the calendar
    alone may change the answer (a birthday against an age limit, a "within 12 months" window closing): the
    nightly job evaluates the pair again from that day.
    """

    has: bool | None
    reason: str
    evidence: tuple[str, ...] = ()
    missing: str | None = None
    eligible_from: date | None = None
    not_applicable: bool = False
    changes_on: date | None = None


Evaluator = Callable[[Fact, Patient, date, KnowledgeBase], Finding]


def compare(value: float, op: str, threshold: float) -> bool:
    """``value op threshold``, tolerant of float noise: 1.8 <= 1.5 x 1.2 (= 1.7999999999999998) holds."""
    if abs(value - threshold) <= 1e-9 * max(1.0, abs(threshold)):
        return op in (">=", "<=", "=")
    return {">=": value > threshold, ">": value > threshold, "<=": value < threshold, "<": value < threshold}.get(
        op, False
    )


def _fmt(number: float) -> str:
    return f"{number:g}"


_DAYS_PER_MONTH = 30.44


def _months_between(earlier: date, later: date) -> float:
    return (later - earlier).days / _DAYS_PER_MONTH


def age(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    if "min_years" in fact.values:
        low, high = fact.values["min_years"], fact.values["max_years"]
        years = p.age_on(on)
        if years is None:
            return Finding(None, "age not on file", missing="date of birth or age")
        reason = f"age {years} on {on} (trial: {low} to {high})"
        return Finding(low <= years <= high, reason, _age_path(p), changes_on=_next_birthday(p, on))
    years = p.age_on(on)
    if years is None:
        return Finding(None, "age not on file", missing="date of birth or age")
    op, limit = fact.values["op"], fact.values["years"]
    reason = f"age {years} on {on} (trial: {op} {_fmt(limit)})"
    return Finding(compare(years, op, limit), reason, _age_path(p), changes_on=_next_birthday(p, on))


def _age_path(p: Patient) -> tuple[str, ...]:
    return ("birth_date",) if p.birth_date else ("age",)


def _next_birthday(p: Patient, on: date) -> date | None:
    """The first day after ``on`` on which the patient is a year older (None for a stated age, which does not move)."""
    if p.birth_date is None or (years := p.age_on(on)) is None:
        return None
    for year in (on.year, on.year + 1):
        month, day = p.birth_date.month, p.birth_date.day
        birthday = date(year, month, day) if (month, day) != (2, 29) or calendar.isleap(year) else date(year, 3, 1)
        if birthday > on and p.age_on(birthday) != years:
            return birthday
    return None


def sex(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    if p.sex is None:
        return Finding(None, "sex not on file", missing="sex")
    wanted = fact.values["sex"]
    return Finding(p.sex.value == wanted, f"{p.sex.value} (trial: {wanted} only)", ("sex",))


def performance(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    if p.ecog is None:
        return Finding(None, "no ECOG performance status on file", missing="ECOG performance status")
    scale, low, high = fact.values["scale"], fact.values.get("min"), fact.values.get("max")
    if scale == "ecog":
        meets = (low is None or p.ecog >= low) and (high is None or p.ecog <= high)
        wanted = f"{low if low is not None else 0}-{high}" if high is not None else f">= {low}"
        return Finding(meets, f"ECOG {p.ecog} (trial: ECOG {wanted})", ("ecog",))
    k_low, k_high = ECOG_TO_KARNOFSKY.get(p.ecog, (0, 0))
    reason = f"ECOG {p.ecog} corresponds to Karnofsky {k_low}-{k_high}"
    if low is not None:
        if k_low >= low:
            return Finding(True, f"{reason} (trial: Karnofsky >= {_fmt(low)})", ("ecog",))
        if k_high < low:
            return Finding(False, f"{reason} (trial: Karnofsky >= {_fmt(low)})", ("ecog",))
    return Finding(
        None,
        f"{reason}; the trial's Karnofsky limit falls inside that range",
        ("ecog",),
        missing="Karnofsky performance status",
    )


def life_expectancy(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    months = fact.values.get("min_months")
    wanted = f" of at least {months} months" if months else ""
    return Finding(
        None,
        f"life expectancy{wanted} is the investigator's estimate; not in the profile",
        missing=f"life expectancy{wanted} (investigator's estimate)",
    )


def histology(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    if fact.values.get("permission"):
        return Finding(None, "widens which histologies are eligible", not_applicable=True)
    wanted = set().union(*(kb.histology_members(h) for h in fact.values["histologies"]))
    names = ", ".join(kb.histologies[h].name for h in fact.values["histologies"] if h in kb.histologies)
    if p.diagnosis is None or p.diagnosis.histology is None:
        return Finding(None, "histology not on file", missing="histology")
    value = p.diagnosis.histology.value
    return Finding(value in wanted, f"{value.replace('_', ' ')} (trial: {names})", ("diagnosis.histology",))


def extent(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    d = p.diagnosis
    wanted = fact.values["any_of"]
    metastatic = bool(d and d.metastatic_sites)
    local = bool(d and d.locally_advanced_unresectable)
    trial = " or ".join(w.replace("_", " ") for w in wanted)
    if (metastatic and ({"metastatic", "advanced"} & set(wanted))) or (
        local and ({"locally_advanced", "advanced"} & set(wanted))
    ):
        what = "metastatic" if metastatic else "locally advanced, unresectable"
        paths = ("diagnosis.metastatic_sites",) if metastatic else ("diagnosis.locally_advanced_unresectable",)
        return Finding(True, f"{what} disease (trial: {trial})", paths)
    if d is not None and d.metastatic_sites == () and d.locally_advanced_unresectable is False:
        return Finding(
            False,
            f"no metastases and not locally advanced (trial: {trial})",
            ("diagnosis.metastatic_sites", "diagnosis.locally_advanced_unresectable"),
        )
    return Finding(None, "extent of disease not on file", missing="extent of disease (metastatic sites)")


def rai_status(p: Patient) -> Finding:
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
            (f"progression after {_fmt(r.cumulative_activity_mci or 0)} mCi", "radioiodine.cumulative_activity_mci")
        )
    if diag is not None and diag.locally_advanced_unresectable and (r is None or r.uptake is None):
        reasons.append(
            ("unresectable locally advanced disease, uptake not assessable", "diagnosis.locally_advanced_unresectable")
        )
    if reasons:
        text = "; ".join(r for r, _ in reasons)
        return Finding(True, f"radioiodine-refractory, derived: {text}", tuple(p for _, p in reasons))
    known = r is not None and r.uptake is Uptake.PRESENT and r.progression_after_rai is False
    if known:
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


def rai(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    definition = fact.values.get("definition")
    r = p.radioiodine
    if definition == "no_uptake":
        if r is None or r.uptake is None:
            return Finding(None, "radioiodine uptake not on file", missing="radioiodine uptake on scan")
        return Finding(r.uptake is not Uptake.PRESENT, f"radioiodine uptake {r.uptake.value}", ("radioiodine.uptake",))
    if definition == "cumulative_activity":
        if r is None or r.cumulative_activity_mci is None:
            return Finding(None, "cumulative radioiodine activity not on file", missing="cumulative RAI activity")
        limit = fact.values["min_mci"]
        return Finding(
            r.cumulative_activity_mci >= limit,
            f"cumulative activity {_fmt(r.cumulative_activity_mci)} mCi (trial: >= {limit} mCi)",
            ("radioiodine.cumulative_activity_mci",),
        )
    if definition == "progression_after_rai":
        return _progression_after_rai(fact, p)
    return rai_status(p)


def _progression_after_rai(fact: Fact, p: Patient) -> Finding:
    r, d = p.radioiodine, p.disease
    if r is None or r.progression_after_rai is None:
        return Finding(None, "progression after radioiodine not on file", missing="progression after RAI")
    months = fact.values.get("within_months")
    if not r.progression_after_rai or months is None:
        return Finding(
            r.progression_after_rai,
            f"progression after radioiodine: {r.progression_after_rai}",
            ("radioiodine.progression_after_rai",),
        )
    if r.last_treatment_on is None or d is None or d.progression_date is None:
        return Finding(
            None, "dates of last radioiodine and progression not on file", missing="date of last RAI and of progression"
        )
    gap = _months_between(r.last_treatment_on, d.progression_date)
    return Finding(
        0 <= gap <= months,
        f"progression {gap:.0f} months after the last radioiodine (trial: within {months})",
        ("radioiodine.last_treatment_on", "disease.progression_date"),
    )


def progression(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    d = p.disease
    if d is None or d.progressing is None:
        return Finding(None, "progression status not on file", missing="disease progression (date)")
    months = fact.values.get("within_months")
    if not d.progressing:
        return Finding(False, "disease not progressing", ("disease.progressing",))
    if months is None:
        return Finding(True, "progressive disease", ("disease.progressing",))
    if d.progression_date is None:
        return Finding(
            None,
            f"progression date not on file (trial: within {months} months)",
            missing=f"date of progression (within {months} months)",
        )
    age_months = _months_between(d.progression_date, on)
    closes = d.progression_date + timedelta(days=math.floor(months * _DAYS_PER_MONTH) + 1)  # first day outside
    return Finding(
        age_months <= months,
        f"progressed {d.progression_date} ({age_months:.0f} months ago; trial: within {months})",
        ("disease.progression_date",),
        changes_on=closes if closes > on else None,
    )


def measurable(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    d = p.disease
    if d is None or d.measurable is None:
        return Finding(None, "measurable disease not on file", missing="measurable disease (RECIST 1.1)")
    if not d.measurable and fact.values.get("evaluable_ok"):
        return Finding(None, "not measurable; evaluable disease not on file", missing="evaluable disease")
    return Finding(
        d.measurable, "measurable disease" if d.measurable else "no measurable disease", ("disease.measurable",)
    )


def _generic(alteration: Alteration) -> bool:
    return alteration.kind == "any" or alteration.name.lower() in (
        "mutation",
        "fusion",
        "amplification",
        "expression",
        "alteration",
        "positive",
    )


def _patient_alteration(kb: KnowledgeBase, gene_id: str, text: str | None) -> Alteration | None:
    if not text:
        return None
    key = re.sub(r"[\s_-]+", "", text.lower())
    for alteration in kb.genes[gene_id].alterations:
        names = [alteration.name, *alteration.synonyms]
        if any(re.sub(r"[\s_-]+", "", n.lower()) == key for n in names):
            return alteration
    return None


def biomarker(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    gene_id = fact.values["gene"]
    gene = kb.genes[gene_id]
    wanted_id = fact.values.get("alteration")
    wanted = next((a for a in gene.alterations if a.id == wanted_id), None)
    label = f"{gene.gene} {wanted.name}" if wanted else gene.gene
    covered = {gene_id, *gene.members}
    unclear = []
    for marker in p.biomarkers:
        found = kb.gene_by_name(marker.gene)
        if found is None or found.id not in covered:
            continue
        mine = _patient_alteration(kb, found.id, marker.alteration)
        described = f"{marker.gene} {marker.alteration or ''}".strip()
        same = wanted is None or (
            mine is not None
            and (
                mine.id.split(".")[-1] == wanted.id.split(".")[-1]
                or (_generic(wanted) and (wanted.kind in ("any", mine.kind)))
            )
        )
        if marker.result is MarkerResult.POSITIVE and same:
            return Finding(True, f"{described} positive (trial: {label})", (marker.path,))
        broader = (mine is None and not marker.alteration) or (
            mine is not None and _generic(mine) and (wanted is None or mine.kind in ("any", wanted.kind))
        )
        if marker.result is MarkerResult.NEGATIVE and (same or broader):
            return Finding(False, f"{described} negative (trial: {label})", (marker.path,))
        unclear.append(marker.path)
    if unclear:
        return Finding(None, f"{label}: the tests on file do not answer it", tuple(unclear), missing=f"{label} test")
    return Finding(None, f"{label} not tested", missing=f"{label} test")


def _therapy_matches(fact: Fact, t: Therapy, kb: KnowledgeBase) -> bool | None:
    """Whether a therapy is one the fact names; None when its name is not in our drug vocabulary."""
    values = fact.values
    categories = set(values.get("categories", []))
    kind = t.kind
    if kind is TherapyKind.SURGERY or kind is TherapyKind.RADIOTHERAPY or kind is TherapyKind.RADIOIODINE:
        return kind.value in categories
    drug = kb.drug_by_name(t.name)
    if drug is not None:
        classes = kb.drug_classes(drug.id)
        if drug.id in values.get("except_drugs", []) or classes & set(values.get("except_classes", [])):
            return False
        if drug.id in values.get("drugs", []) or classes & set(values.get("classes", [])):
            return True
    if kind is TherapyKind.SYSTEMIC or (kind is None and drug is not None):
        if "systemic" in categories:
            return True
        if drug is None and (values.get("classes") or "investigational" in categories):
            return None  # an unknown drug might belong to the class, or be investigational
    return False


def prior_therapy(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    if p.therapies is None:
        return Finding(None, "treatment history not on file", missing="treatment history")
    values = fact.values
    named = _therapy_label(fact, kb)
    matched, uncertain, response_unknown = [], [], []
    for t in p.therapies:
        if values.get("ongoing") and not t.ongoing:
            continue  # "no concurrent radioiodine therapy" is about now, not the history
        hit = _therapy_matches(fact, t, kb)
        if hit is None:
            uncertain.append(t)
        elif hit and values.get("progressed") and not t.progressed:
            if t.progressed is None:
                response_unknown.append(t)  # "progressed on X": X on file, but not how it ended
        elif hit:
            matched.append(t)
    if "within_days" in values:
        return _washout(fact, on, matched, uncertain, response_unknown, named)
    count = len({t.name.lower() for t in matched})
    low, high = values.get("min_count", 1), values.get("max_count")
    paths = tuple(t.path for t in matched)
    described = ", ".join(_therapy_text(t) for t in matched) or f"no {named}"
    within = count >= low and (high is None or count <= high)
    if uncertain and not within:
        return Finding(
            None,
            f"{described}; cannot tell whether {uncertain[0].name} is {named}",
            (*paths, uncertain[0].path),
            missing=f"drug class of {uncertain[0].path}",
        )
    if response_unknown and count < low:
        return _progression_unknown(response_unknown[0], named, paths)
    bounds = f"{low}" + (f"-{high}" if high is not None else "+")
    suffix = f" (trial: {bounds} {named}{', progressed on it' if values.get('progressed') else ''})"
    return Finding(within, described + suffix, paths or ("therapies",))


def _progression_unknown(t: Therapy, named: str, paths: tuple[str, ...] = ()) -> Finding:
    return Finding(
        None,
        f"{_therapy_text(t)} on file, but not whether the disease progressed on it (trial: progressed on {named})",
        (*paths, t.path),
        missing=f"response to {t.path} (reason stopped or best response)",
    )


def _washout(
    fact: Fact,
    on: date,
    matched: list[Therapy],
    uncertain: list[Therapy],
    response_unknown: list[Therapy],
    named: str,
) -> Finding:
    days = fact.values["within_days"]
    latest: tuple[date, Therapy] | None = None
    for t in matched:
        if t.ongoing:
            return Finding(
                None,
                f"on {t.name} now; {days} days must pass after it stops",
                (t.path,),
                missing=f"stop date of {t.path}",
            )
        last = t.end or t.start
        if last is None:
            return Finding(None, f"dates of {t.name} not on file", (t.path,), missing=f"dates of {t.path}")
        if latest is None or last > latest[0]:
            latest = (last, t)
    if latest is not None and (on - latest[0]).days < days:
        last, t = latest
        free = last + timedelta(days=days)
        if fact.polarity is Polarity.REQUIRE:  # met until the window closes
            return Finding(True, f"{t.name} ended {last}, within {days} days", (t.path,), changes_on=free)
        return Finding(
            False,
            f"{t.name} ended {last} ({(on - last).days} days ago); the {days}-day washout is met from {free}",
            (t.path,),
            eligible_from=free,
        )
    for t in [*uncertain, *response_unknown]:  # a drug of unknown class, or of unknown outcome, in the window
        last = t.end or t.start
        if t.ongoing or last is None or (on - last).days < days:
            if t in response_unknown:
                return _progression_unknown(t, named)
            return Finding(
                None, f"cannot tell whether {t.name} is {named}", (t.path,), missing=f"drug class of {t.path}"
            )
    if latest is not None:
        return Finding(False, f"last {named} ended {latest[0]}, more than {days} days ago", (latest[1].path,))
    return Finding(False, f"no {named} in the last {days} days", ("therapies",))


def _therapy_label(fact: Fact, kb: KnowledgeBase) -> str:
    v = fact.values
    names = [kb.drugs[d].name for d in v.get("drugs", []) if d in kb.drugs]
    names += [kb.classes[c].name for c in v.get("classes", []) if c in kb.classes]
    names += [c if c != "systemic" else "systemic therapy" for c in v.get("categories", [])]
    return " or ".join(names) or "the named therapy"


def _therapy_text(t: Therapy) -> str:
    span = f" ({t.start})" if t.start else ""
    if t.end or t.ongoing:
        span = f" ({t.start or '?'} to {t.end or 'ongoing'})"
    return f"prior {t.name}{span}" + (", progressed" if t.progressed else "")


def _latest_lab(p: Patient, lab_id: str, kb: KnowledgeBase) -> Lab | None:
    found = [lab for lab in p.labs if (test := kb.lab_by_name(lab.test)) is not None and test.id == lab_id]
    return max(found, key=lambda lab: lab.date or date.min) if found else None


def lab(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    name, op = v["lab_name"], v["op"]
    result = _latest_lab(p, v["lab"], kb)
    if result is None:
        return Finding(None, f"no {name} on file", missing=name)
    when = f" on {result.date}" if result.date else ""
    shown = f"{name} {_fmt(result.value)} {result.unit}{when}"
    for key, limit_name, limit in (
        ("uln_multiple", "ULN", result.upper_limit),
        ("lln_multiple", "LLN", result.lower_limit),
    ):
        if key in v:
            if limit is None:
                return Finding(
                    None, f"{shown}; its {limit_name} is not on file", (result.path,), missing=f"{name} {limit_name}"
                )
            bound = v[key] * limit
            return Finding(
                compare(result.value, op, bound),
                f"{shown} (trial: {op} {_fmt(v[key])} x {limit_name} = {_fmt(bound)})",
                (result.path,),
            )
    threshold = v.get("canonical_value")
    test = kb.labs[v["lab"]]
    mine = (
        test.to_canonical(result.value, result.unit)
        if result.unit
        else (result.value if not test.canonical_unit else None)
    )
    if threshold is None or mine is None:
        return Finding(
            None,
            f"{shown}; cannot compare units with the trial's {v.get('value')} {v.get('unit') or ''}".strip(),
            (result.path,),
            missing=f"{name} in a convertible unit",
        )
    return Finding(
        compare(mine, op, threshold),
        f"{shown} = {_fmt(round(mine, 3))} {test.canonical_unit} (trial: {op} {_fmt(threshold)} {test.canonical_unit})",
        (result.path,),
    )


def qtc(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    if p.qtcf_ms is None:
        return Finding(None, "no QTcF on file", missing="QTcF")
    op, value = fact.values["op"], fact.values["value"]
    return Finding(
        compare(p.qtcf_ms, op, value), f"QTcF {_fmt(p.qtcf_ms)} ms (trial: {op} {_fmt(value)} ms)", ("qtcf_ms",)
    )


def _conditions(p: Patient, terms: tuple[str, ...]) -> list[Any]:
    """The patient's current conditions whose name contains one of ``terms`` (lower case)."""
    found = []
    for c in p.conditions:
        name = c.name.lower()
        if any(t in name for t in terms) and (c.status or "").lower() not in ("resolved", "none"):
            found.append(c)
    return found


def hypertension(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    found = _conditions(p, ("hypertension", "high blood pressure"))
    if not found:
        return Finding(None, "hypertension not recorded", missing="blood pressure control")
    c = found[0]
    status = (c.status or "").lower()
    if fact.values.get("uncontrolled") and status in ("controlled", "uncontrolled"):
        return Finding(status == "uncontrolled", f"hypertension, {status}", (c.path,))
    return Finding(
        None,
        f"hypertension ({status or 'control not stated'}); blood pressure values not on file",
        (c.path,),
        missing="blood pressure readings",
    )


def _condition_named(p: Patient, label: str, terms: list[str]) -> Finding:
    """A listed condition whose name contains one of ``terms`` is present; an unlisted one is unknown."""
    found = _conditions(p, tuple(t.lower() for t in terms if t))
    if found:
        return Finding(True, f"{found[0].name} on file", (found[0].path,))
    return Finding(None, f"{label} not recorded (not listed is not known to be absent)", missing=label)


def cardiac(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    names = fact.values.get("conditions", []) or ["cardiac"]
    return _condition_named(p, "cardiac history", [*names, "infarction", "heart failure", "angina", "arrhythmia"])


def brain(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    if fact.values.get("permission"):
        return Finding(None, "states which brain metastases are allowed", not_applicable=True)
    d = p.disease
    if d is None or d.brain_metastases is None:
        return Finding(None, "brain metastases status not on file", missing="brain imaging (brain metastases)")
    state = d.brain_metastases
    if state is BrainMets.NONE:
        return Finding(False, "no brain metastases", ("disease.brain_metastases",))
    active_only = fact.values.get("applies_to") == "active"
    has = state is BrainMets.ACTIVE or not active_only
    scope = "active/untreated" if active_only else "any"
    return Finding(
        has, f"brain metastases {state.value.replace('_', ' ')} (trial: {scope})", ("disease.brain_metastases",)
    )


def other_malignancy(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    found = [c for c in _conditions(p, _MALIGNANCY) if "thyroid" not in c.name.lower()]
    if found:
        return Finding(True, f"{found[0].name} on file", (found[0].path,))
    return Finding(
        None, "other cancers not recorded (not listed is not known to be absent)", missing="other malignancy history"
    )


def infection(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    agents = fact.values.get("agents", [])
    return _condition_named(p, " / ".join(agents) or "infection", [*agents, "HIV", "hepatitis"])


def pregnancy(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    return _female_status(p, p.pregnant, "pregnant", "pregnancy status")


def breastfeeding(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    return _female_status(p, p.breastfeeding, "breast-feeding", "breast-feeding status")


def _female_status(p: Patient, value: bool | None, word: str, missing: str) -> Finding:
    field_name = "pregnant" if word == "pregnant" else "breastfeeding"
    if value is not None:
        return Finding(value, word if value else f"not {word}", (field_name,))
    if p.sex is not None and p.sex.value == "male":
        return Finding(False, f"male patient: not {word}", ("sex",))
    return Finding(None, f"{missing} not on file", missing=missing)


def screening_only(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    return Finding(
        None, "checked at screening (consent, willingness or the investigator's judgement)", not_applicable=True
    )


def contraception(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    return Finding(None, "contraception is agreed at screening", not_applicable=True)


def lvef(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    return Finding(None, "no LVEF on file", missing="LVEF (echocardiogram)")


def hypersensitivity(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    return Finding(None, "allergies are not in the profile", missing="drug allergies")


def other_condition(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    names = fact.values.get("conditions", [])
    return _condition_named(p, " / ".join(names), [n.split()[0] for n in names if n.split()] or ["condition"])


EVALUATORS: dict[FactKind, Evaluator] = {
    FactKind.AGE: age,
    FactKind.SEX: sex,
    FactKind.PERFORMANCE_STATUS: performance,
    FactKind.LIFE_EXPECTANCY: life_expectancy,
    FactKind.HISTOLOGY: histology,
    FactKind.DISEASE_EXTENT: extent,
    FactKind.RAI_REFRACTORY: rai,
    FactKind.PROGRESSION: progression,
    FactKind.MEASURABLE_DISEASE: measurable,
    FactKind.BIOMARKER: biomarker,
    FactKind.PRIOR_THERAPY: prior_therapy,
    FactKind.LAB: lab,
    FactKind.QTC: qtc,
    FactKind.HYPERTENSION: hypertension,
    FactKind.LVEF: lvef,
    FactKind.CARDIAC: cardiac,
    FactKind.BRAIN_METASTASES: brain,
    FactKind.OTHER_MALIGNANCY: other_malignancy,
    FactKind.INFECTION: infection,
    FactKind.PREGNANCY: pregnancy,
    FactKind.BREASTFEEDING: breastfeeding,
    FactKind.CONTRACEPTION: contraception,
    FactKind.SCREENING_ONLY: screening_only,
    FactKind.CONDITION: other_condition,
    FactKind.HYPERSENSITIVITY: hypersensitivity,
}


def find(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    return EVALUATORS[fact.kind](fact, p, on, kb)
