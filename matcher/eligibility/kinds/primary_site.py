"""Primary site: the cancer a trial is for. A trial whose conditions list, or whose inclusion criteria, name only other
primary sites ("Advanced or metastatic non-small cell lung cancer") is for another cancer: `ineligible` for a
thyroid patient, with the reason "trial is for <cancer>". Basket trials stay: solid tumours with a RET, NTRK or BRAF
alteration, "any solid tumour", "advanced cancers". Sites come from matcher/knowledge/primary_sites.json; a thyroid
histology named beside them (matcher/knowledge/histologies.json) keeps the trial open to thyroid patients.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from importlib.resources import files

import msgspec
from jsonschema import Draft202012Validator

from matcher.eligibility.criteria import Fact, FactKind, Polarity, Section, Values
from matcher.eligibility.cues import cue
from matcher.eligibility.kinds.base import Finding, Kind, lazy_regex
from matcher.eligibility.kinds.histology import another_organs, names_diagnosis, organ_site, other_tumour_site
from matcher.eligibility.text import CriterionText, Mention, make_fact
from matcher.errors import RuleFileError
from matcher.knowledge_base import KnowledgeBase
from matcher.patient import Histology, Patient

SITES_FILE = "primary_sites.json"
THYROID = "site.thyroid"


class PrimarySiteValues(Values, frozen=True):
    DISPLAY_ONLY = frozenset({"names"})

    sites: tuple[str, ...]
    names: tuple[str, ...] = ()


class Site(msgspec.Struct, frozen=True):
    id: str
    name: str
    synonyms: tuple[str, ...]


@cache
def load_sites() -> dict[str, Site]:
    """The primary-site vocabulary, validated against its JSON Schema."""
    knowledge = files("matcher.knowledge")
    data = json.loads(knowledge.joinpath(SITES_FILE).read_text(encoding="utf-8"))
    schema = json.loads(knowledge.joinpath("primary_sites.schema.json").read_text(encoding="utf-8"))
    error = next(iter(Draft202012Validator(schema).iter_errors(data)), None)
    if error is not None:
        raise RuleFileError(SITES_FILE, "/".join(map(str, error.absolute_path)) or "the file", error.message)
    sites = {e["id"]: Site(e["id"], e["name"], tuple(e["synonyms"])) for e in data["entries"]}
    if len(sites) != len(data["entries"]) or THYROID not in sites:
        raise RuleFileError(SITES_FILE, "entries", f"ids are unique and {THYROID} is one of them")
    return sites


# A trial open to many cancers, whatever else it names: a basket trial.
_BASKET = lazy_regex(
    r"\b(?:solid\s+tumou?rs?|solid\s+malignanc\w+|any\s+(?:solid\s+)?(?:tumou?r|cancer|malignancy)|advanced\s+cancers|"
    r"(?:tumou?r|histology)[- ]agnostic|regardless\s+of\s+(?:tumou?r\s+)?(?:type|histology|origin)|"
    r"(?:multiple|various|other)\s+(?:tumou?r|cancer)\s+types|basket)\b",
    re.IGNORECASE,
)
_FOR_PATIENTS_WITH = cue("cue.primary_site.for_patients_with")
_TIME_SINCE_THERAPY = cue("cue.primary_site.time_since_therapy")
_DIAGNOSIS = lazy_regex(
    r"\b(?:histolog\w*|cytolog\w*|confirm\w*|diagnos\w*|documented|patients?\s+with|subjects?\s+with|"
    r"advanced|metastatic|recurrent|unresectable|refractory|stage)\b",
    re.IGNORECASE,
)
# The patient must have the cancer, named right after a few words of it: "Patients must have bladder cancer.",
# "Patent must have BCG unresponsive non-muscle-invasive bladder cancer defined as: ..." (NCT03106610), "must have
# platinum-resistant ovarian cancer"; not what must have been done for it ("must have received ... for multiple
# myeloma", "must have been completed"), nor its absence ("must have no history of breast cancer")
_MUST_HAVE = cue("cue.primary_site.must_have")
# a part of the trial before it: "Patients of the first stratum must have chronic myeloid leukemia" (NCT02253277),
# "For the expanded cohort portion of the study, patients must have NSCLC" (NCT02959619): that part's patients only
_PART_BEFORE = lazy_regex(r"\b(?:strat(?:um|a)|cohorts?|arms?|part|portion|phase|group)\b", re.IGNORECASE)


def _must_have(c: CriterionText, site: int) -> bool:
    found = _MUST_HAVE.search(c.text, max(0, site - 100), site)
    return found is not None and not _PART_BEFORE.search(c.text, 0, found.start())


def extract(c: CriterionText, kb: KnowledgeBase) -> list[Fact]:
    if c.section is not Section.INCLUSION or c.has("concept.other_malignancy") or _BASKET.search(c.text):
        return []
    sites = [
        m
        for m in c.of("SITE")
        if not c.about_someone_else(m.start)
        and not _FOR_PATIENTS_WITH.search(c.text, max(0, m.start - 60), m.start)
        and not (_TIME_SINCE_THERAPY.search(c.text, 0, m.start) and c.therapy_target(m))
    ]  # fmt: skip: "GnRH agonists for patients with hormone-refractory prostate cancer" picks patients; "12 weeks from
    # the completion of radiation for recurrent GBM unless ..." (NCT02142803, fresh sample 13's T290): a time to wait
    # after a therapy for that cancer, asked of the patients who had it, not the cancer the trial is for ("Must have
    # received 2 prior chemotherapy regimens for metastatic breast cancer", with no time, still says whose it is)
    # a bare "lymphoma" or "sarcoma" where the thyroid is not named: a blood cancer, a sarcoma (fresh sample 12 S055);
    # a histology of another organ: "poorly differentiated carcinoma of the stomach" (S070)
    bare = [
        Mention("SITE", site, m.start, m.end, m.text)
        for m in c.of("HISTOLOGY")
        if (site := other_tumour_site(c, m) or organ_site(c, m))
        and not c.about_someone_else(m.start)
        and not _FOR_PATIENTS_WITH.search(c.text, max(0, m.start - 60), m.start)
        and not _GENERIC_EXAMPLES.search(c.text, max(0, m.start - 200), m.start)
        and not _DISEASE_BY.search(c.text, max(0, m.start - 60), m.start)
    ]
    if not names_diagnosis(c):
        bare = []  # read where the histology kind read it before: "lymphoma" named as a diagnosis
    # a sentence that says who is excluded names no cancer the trial is for: "Participants with Kaposi's sarcoma,
    # GIST or myxoid liposarcoma will be excluded." (NCT02783599)
    sites = sorted((m for m in sites + bare if not _in_excluding_sentence(c.text, m.start)), key=lambda m: m.start)
    # a histology word that is another organ's tumour's ("NSCLC, including ... large cell anaplastic carcinoma",
    # NCT00555256) is no thyroid histology
    histologies = [m for m in c.of("HISTOLOGY") if not another_organs(c, m)]
    diagnosis = _DIAGNOSIS.search(c.text) or any(_must_have(c, m.start) for m in sites) or bool(bare)
    if not sites or not diagnosis or histologies or any(m.id == THYROID for m in sites):
        return []  # a thyroid histology or site beside them: the trial is open to thyroid patients
    ids = tuple(dict.fromkeys(m.id for m in sites))
    values = PrimarySiteValues(ids, tuple(load_sites()[i].name for i in ids))
    return [make_fact(FactKind.PRIMARY_SITE, c.polarity(sites[0]), values, "rule.primary_site.text",
                      ", ".join(dict.fromkeys(m.text for m in sites)))]  # fmt: skip


_BE_EXCLUDED = cue("cue.prohibition.be_excluded")
# "Subjects with pseudomyxoma, mesothelioma, ..., sarcoma, or neuroendocrine histology are excluded." (NCT01253681);
# not a therapy the patients cannot have: "Large-cell lymphoma, Hodgkin's lymphoma and multiple myeloma: patients with
# chemotherapy sensitive disease that has failed or who are ineligible for an autologous transplant." (NCT00963872)
_ARE_EXCLUDED = lazy_regex(
    r"\b(?:are|is)\s+(?:excluded|ineligible|not\s+eligible)\b(?!\s+by\b)"
    r"(?!\s+(?:for|to)\s+(?!(?:this|the)\s+(?:study|trial|protocol)\b))",
    re.IGNORECASE,
)
# a generic cancer with examples: "a diagnosis of cancer that is advanced and/or metastatic disease (including
# Non-Hodgkin's Lymphoma)" (NCT01115803) is any cancer; not "hematologic malignancy, including ... lymphoma"
_GENERIC_EXAMPLES = lazy_regex(
    r"(?<!hematologic )(?<!haematologic )(?<!hematological )(?<!lymphoid )(?<!blood )"
    r"\b(?:cancers?|malignanc(?:y|ies)|tumou?rs?|neoplasms?)\b[^.;]{0,80}?\b(?:including|such\s+as|e\.\s?g\.?)"
    r"[^.;]{0,80}$",
    re.IGNORECASE,
)


# "counts due to known bone marrow involvement by lymphoma" (NCT00625729): the disease's spread, no diagnosis asked
_DISEASE_BY = cue("cue.primary_site.disease_by_before")


_SEGMENT_BREAK = lazy_regex(r"[.;](?=\s)|[()]")


def _in_excluding_sentence(text: str, at: int) -> bool:
    """Whether the site stands in a sentence, clause or bracket that says who is excluded."""
    start = max((m.end() for m in _SEGMENT_BREAK.finditer(text, 0, at)), default=0)
    end = next((m.start() for m in _SEGMENT_BREAK.finditer(text, at)), len(text))
    return bool(_BE_EXCLUDED.search(text, start, end) or _ARE_EXCLUDED.search(text, start, end))


def from_conditions(conditions: Sequence[str]) -> Fact | None:
    """The trial's conditions list as a primary-site fact, when every condition names another primary site; None
    when one names thyroid cancer, a basket, or nothing the vocabulary knows (then the list says nothing sure)."""
    if not conditions:
        return None
    found: list[str] = []
    for condition in conditions:
        if "thyroid" in condition.lower() or _BASKET.search(condition):
            return None
        site = _site_named(condition)
        if site is None:
            return None
        found.append(site)
    ids = tuple(dict.fromkeys(found))
    values = PrimarySiteValues(ids, tuple(load_sites()[i].name for i in ids))
    return make_fact(FactKind.PRIMARY_SITE, Polarity.REQUIRE, values, "field.conditions", "; ".join(conditions))


def _site_named(condition: str) -> str | None:
    text = condition.lower()
    for site in load_sites().values():
        if any(re.search(rf"(?<!\w){re.escape(s.lower())}(?!\w)", text) for s in site.synonyms):
            return site.id
    return None


def evaluate(fact: Fact, p: Patient, on: date, kb: KnowledgeBase) -> Finding:
    v = fact.values
    assert isinstance(v, PrimarySiteValues)
    names = " or ".join(load_sites()[s].name for s in v.sites if s in load_sites())
    d = p.diagnosis
    thyroid = d is not None and (
        (d.histology is not None and d.histology is not Histology.OTHER) or "thyroid" in (d.cancer or "").lower()
    )
    if not thyroid:
        return Finding(None, f"the patient's primary site is not on file (trial is for {names})",
                       missing="primary cancer (diagnosis)")  # fmt: skip
    path = ("diagnosis.histology",) if d is not None and d.histology is not None else ("diagnosis.cancer",)
    return Finding(THYROID in v.sites, f"trial is for {names}" if THYROID not in v.sites else "thyroid cancer", path)


KIND = Kind(FactKind.PRIMARY_SITE, PrimarySiteValues, extract, evaluate, frozenset({"SITE", "HISTOLOGY"}))
