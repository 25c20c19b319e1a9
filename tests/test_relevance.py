"""Issue 10, item 4: a trial for another cancer is `ineligible` for a thyroid patient ("trial is for <cancer>"), on
the evidence of its conditions list or of inclusion criteria that name only other primary sites; basket trials stay.

Real records: the 13 oncology studies of ../shared/ctgov/studies (pancreatic, ovarian, prostate, breast/gastric/
colorectal, GI, lung, endometrial trials; solid-tumour and "advanced cancers" baskets), matched with the example
patient of the README (metastatic papillary thyroid cancer)."""

from __future__ import annotations

import json

import pytest

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.kinds.primary_site import from_conditions, load_sites
from matcher.eligibility.parser import parse_text
from matcher.matching.evaluate import Outcome, Verdict
from tests.conftest import ROOT
from tests.test_matching import match, registry_trial

README_PATIENT = json.loads((ROOT / "examples" / "rair-papillary-braf.json").read_text(encoding="utf-8"))

OTHER_CANCERS = {  # trial -> the cancer its conditions list names
    "NCT05380414": "pancreatic cancer",
    "NCT00055614": "ovarian cancer",
    "NCT00056407": "prostate cancer",
    "NCT00739791": "prostate cancer",
    "NCT00739830": "endometrial cancer",
    "NCT05482568": "lung cancer",
    "NCT05382364": "breast cancer",
    "NCT05482516": "colorectal cancer",
}
BASKETS = ["NCT05380986", "NCT05382559", "NCT05481502", "NCT05380882"]  # "Solid Tumor", "Advanced Cancers"


@pytest.mark.parametrize("nct_id", sorted(OTHER_CANCERS))
def test_a_trial_for_another_cancer_is_ineligible_for_a_thyroid_patient(nct_id: str) -> None:
    m = match(nct_id, README_PATIENT)
    assert m.verdict is Verdict.INELIGIBLE
    sites = [r for r in m.results if any(f.kind is FactKind.PRIMARY_SITE for f in r.criterion.facts)]
    [listed] = [r for r in sites if r.criterion.source == "structured"]  # the conditions list
    assert listed.criterion.text.startswith("Conditions: ")
    assert all(r.outcome is Outcome.VIOLATED for r in sites)  # and any inclusion that names the site
    assert listed.reason.startswith("trial is for ") and OTHER_CANCERS[nct_id] in listed.reason


@pytest.mark.parametrize("nct_id", BASKETS)
def test_a_basket_trial_is_not_set_aside_by_its_primary_site(nct_id: str) -> None:
    assert from_conditions(registry_trial(nct_id).conditions) is None
    m = match(nct_id, README_PATIENT)
    assert not any(f.kind is FactKind.PRIMARY_SITE for r in m.results for f in r.criterion.facts)


def test_thyroid_trials_conditions_never_name_another_cancer() -> None:
    """Thyroid trials are filed under 'Head and Neck Cancer' too: that never makes them another cancer's."""
    for conditions in (["Head and Neck Cancer"], ["Thyroid Cancer", "Lung Cancer"], ["Carcinoma, Papillary"]):
        assert from_conditions(conditions) is None, conditions


def test_an_inclusion_naming_only_another_primary_site_is_read_as_one() -> None:
    """The issue's example, verbatim: it had been satisfied by metastatic thyroid cancer."""
    [c] = parse_text("Inclusion Criteria:\n\n- Advanced or metastatic non-small cell lung cancer\n")
    [site] = [f for f in c.facts if f.kind is FactKind.PRIMARY_SITE]
    assert site.values.to_json()["sites"] == ["site.lung"]
    basket = "Inclusion Criteria:\n\n- Histologically confirmed solid tumors including NSCLC with a RET fusion\n"
    assert not any(f.kind is FactKind.PRIMARY_SITE for c in parse_text(basket) for f in c.facts)
    for text in (
        "Exclusion Criteria:\n\n- Other malignancy such as breast cancer within 3 years\n",
        "Inclusion Criteria:\n\n- GnRH agonists for patients with hormone-refractory prostate cancer\n",
    ):
        assert not any(f.kind is FactKind.PRIMARY_SITE for c in parse_text(text) for f in c.facts), text


def test_a_patient_whose_primary_is_not_on_file_is_unknown_not_excluded() -> None:
    m = match("NCT05380414", {"id": "pt-sparse", "age": 60})
    sites = [r for r in m.results if any(f.kind is FactKind.PRIMARY_SITE for f in r.criterion.facts)]
    assert sites and all(r.outcome is Outcome.UNKNOWN for r in sites)


def test_the_vocabulary_has_the_common_primaries() -> None:
    names = {s.name for s in load_sites().values()}
    for cancer in ("lung cancer", "breast cancer", "colorectal cancer", "pancreatic cancer", "prostate cancer",
                   "melanoma", "ovarian cancer", "gastric cancer", "kidney cancer", "bladder cancer"):  # fmt: skip
        assert cancer in names
