"""The whole-kind sweep of disease_extent and measurable_disease (issue 10; tests/audit/extent_sweep_changes.txt):
every `violated` outcome of the two kinds over the sample-3 profiles and the tuning texts, read against its trial.
The wrong ones fell into classes: a therapy's setting or target, a cause or a history read as the patient's extent;
a condition or a permission; a site's metastases; a limit on the number of sites; a negation that is a candidacy
("not eligible for locoregional therapy") or that stays in its parenthesis; two negations; another cancer's measurable
disease; a definition of which lesions count; the only site of measurable disease. Each row quotes registry text with
the trial it came from and its expected reading; the last rows must keep their exclusion."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.eligibility.criteria import Fact, FactKind, Polarity
from matcher.eligibility.kinds.extent import ExtentValues
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient

EXTENT = FactKind.DISEASE_EXTENT
MEASURABLE = FactKind.MEASURABLE_DISEASE
NONE = "no fact"
UNCERTAIN = "uncertain"


def _facts(section: str, line: str, kind: FactKind) -> list[Fact]:
    criteria = parse_text(f"{section} Criteria:\n\n- {line}\n")
    return [f for c in criteria for f in c.facts if f.kind is kind]


CASES = [
    # --- a therapy's setting or target, a cause, a history: not the patient's extent ----------------------------
    ("Inclusion", "No prior thalidomide for stage IV disease", EXTENT, NONE),  # NCT00104988 (sample 7 M026)
    ("Inclusion", "No prior temozolomide or dacarbazine for stage IV disease", EXTENT, NONE),  # NCT00104988
    ("Inclusion", "No previously resected extrahepatic metastases", EXTENT, NONE),  # NCT00056030 (sample 7 M009)
    ("Inclusion", "No previous chemotherapy either in an adjuvant or metastatic setting", EXTENT, NONE),  # NCT02404363
    ("Inclusion", "No prior treatment with cisplatin in the metastatic setting.", EXTENT, NONE),  # NCT01918306
    (
        "Inclusion",
        "No previous oestrogen or steroid as metastatic prostate cancer treatment.",
        EXTENT,
        NONE,
    ),  # NCT00115635
    ("Inclusion", "Must not require concurrent glucocorticoids for control of metastases", EXTENT, NONE),  # NCT00096486
    ("Inclusion", "No refractory pain secondary to metastatic disease", EXTENT, NONE),  # NCT00346229
    (
        "Inclusion",
        "Patients must have not been previously treated with anticancer drugs for advanced disease.",
        EXTENT,
        NONE,
    ),  # NCT00783471
    (
        "Inclusion",
        "Patients with a history of prior chemotherapy or hormone therapy or immunotherapy for recurrent or metastatic "
        "disease are NOT eligible.",
        EXTENT,
        NONE,
    ),  # NCT02137837
    # --- a condition or a permission ----------------------------------------------------------------------------
    (
        "Inclusion",
        "For patients without clinical metastasis treated by surgery, serum PSA values must be > 0.2 ng/ml by two "
        "measurements at least two weeks apart.",
        EXTENT,
        NONE,
    ),  # NCT00582556
    (
        "Inclusion",
        "Bone scan within 12 weeks prior to registration. Equivocal bone scan findings are allowed if plain films are "
        "negative for metastasis.",
        EXTENT,
        NONE,
    ),  # NCT01826838
    # --- a site's metastases, or the tissue a sample comes from --------------------------------------------------
    ("Inclusion", "No history of CNS (central nervous system) metastases", EXTENT, NONE),  # NCT00376948
    (
        "Inclusion",
        "Alternatively, a recently obtained archival FFPE tumor tissue block (not cut slides) from a primary or "
        "metastatic tumor resection or biopsy can be provided.",
        EXTENT,
        NONE,
    ),  # NCT02684006
    # --- a limit, a narrowing, two negations: uncertain ----------------------------------------------------------
    (
        "Inclusion",
        "Patient's disease may not involve more than 3 metastatic sites. In addition, patient may not be symptomatic "
        "from pulmonary metastasis or have liver metastasis involving > 50% of parenchyma.",
        EXTENT,
        UNCERTAIN,
    ),  # NCT00216047 (sample 7 M032, sample 3 H052)
    ("Inclusion", "No patients with locally advanced disease for whom radiotherapy is indicated", EXTENT, UNCERTAIN),
    (
        "Inclusion",
        "Measurable disease on either computer tomography scan or magnetic resonance imaging or positive bone scan. "
        "Patients with PSA ≥5 ng/ml only and no other radiographic evidence of metastatic prostate cancer were not "
        "eligible",
        EXTENT,
        NONE,
    ),  # NCT00439270: the prostate cancer's extent, not a thyroid patient's (narrow helper; was uncertain)
    # --- a candidacy's negation, a negation inside its parenthesis: the extent stays required --------------------
    ("Inclusion", "Inoperable HCC which is not eligible for locoregional therapy", EXTENT, Polarity.REQUIRE),
    (
        "Inclusion",
        "HCC that is not amenable to surgical resection or immediate liver transplantation",
        EXTENT,
        Polarity.REQUIRE,
    ),  # NCT00712790
    (
        "Inclusion",
        "Locally-advanced unresectable disease or be ineligible for neo-adjuvant therapy or have metastatic disease.",
        EXTENT,
        Polarity.REQUIRE,
    ),  # NCT00426127
    (
        "Inclusion",
        "histologically documented and not surgically resectable or metastatic sarcomas which progressed after first "
        "or further line treatments for relapsing disease",
        EXTENT,
        Polarity.REQUIRE,
    ),  # NCT02398058
    (
        "Inclusion",
        "Chemotherapy-naive patients who are histologically or cytologically diagnosed NSCLC with stage IIIB (not "
        "applicable of radical thoracic radiation) or stage IV",
        EXTENT,
        UNCERTAIN,
    ),  # NCT00424775: required (tests/test_extent20_readings.py), beside an alternative not read
    # --- measurable disease: another cancer's, a definition, the only site ----------------------------------------
    (
        "Exclusion",
        "Concurrent malignancies with evidence of active or measurable disease except non-melanoma skin cancer",
        MEASURABLE,
        NONE,
    ),  # NCT01144169 (sample 7 M027)
    ("Exclusion", "Subjects with bone or skin as the only site of measurable disease", MEASURABLE, NONE),  # NCT00300781
    ("Inclusion", "Bone disease may not be only source of measurable disease", MEASURABLE, NONE),  # NCT00045188
    (
        "Inclusion",
        "Soft tissue disease that has been radiated within the two months prior to registration is not assessable as "
        "measurable disease; soft tissue disease that has been radiated two or more months prior to registration is "
        "assessable as measurable disease provided that the lesion has progressed following radiation; patients must "
        "have at least one measurable lesion outside the previously irradiated region in order to be considered to "
        "have measurable disease",
        MEASURABLE,
        Polarity.REQUIRE,
    ),  # NCT02339168 (sample 7 M006)
    (
        "Inclusion",
        "Measurable disease per modified RECIST 1.1. A lesion in a previously irradiated area is ineligible to be "
        "considered as measurable disease unless there is objective evidence of progression of the lesion prior to "
        "study enrollment.",
        MEASURABLE,
        Polarity.REQUIRE,
    ),  # NCT02164240
    (
        "Inclusion",
        "DISEASE CHARACTERISTICS: Histologically or cytologically proven gallbladder or bile duct carcinoma with "
        "metastatic or recurrent disease deemed unresectable and not considered a candidate for potentially curative "
        "therapy Measurable or evaluable disease No known active CNS disease",
        MEASURABLE,
        Polarity.REQUIRE,
    ),  # NCT00003276 (sample 7 M058)
    (
        "Inclusion",
        "Availability of a formalin-fixed, paraffin-embedded (FFPE) tumor tissue block from a de novo tumor biopsy "
        "during screening (biopsied tumor lesion should not be a RECIST target lesion).",
        MEASURABLE,
        NONE,
    ),  # NCT02684006
    # --- kept: the extent or measurable disease the criterion excludes -------------------------------------------
    ("Inclusion", "No distant metastases", EXTENT, Polarity.EXCLUDE),  # NCT00066703
    ("Inclusion", "No evidence of extrahepatic metastases by physical examination or x-ray", EXTENT, Polarity.EXCLUDE),
    (
        "Inclusion",
        "All patients must have no distant metastatic disease in the liver, peritoneum, lungs, or paraaortic lymph "
        "nodes.",
        EXTENT,
        Polarity.EXCLUDE,
    ),  # NCT00503932
    (
        "Inclusion",
        "No evidence of metastasis to distant organs (liver, peritoneum, lung, others).",
        EXTENT,
        Polarity.EXCLUDE,
    ),
    ("Inclusion", "No stage IV or recurrent disease", EXTENT, Polarity.EXCLUDE),  # NCT00023673
    ("Exclusion", "Metastatic disease or locally advanced cancer", EXTENT, Polarity.EXCLUDE),  # NCT00193128
    ("Inclusion", "No measurable disease.", MEASURABLE, Polarity.EXCLUDE),  # NCT01025570 (adjuvant)
    # NCT01005199: kept here once; the sweep of never-judged outcomes (S17-048, prog16) read it in full as ambiguous
    # (the candidates for radical surgery only, in an HCC trial that admits unresectable disease): uncertain
    ("Inclusion", "No locally advanced disease AND a candidate for radical surgery", EXTENT, UNCERTAIN),
]


@pytest.mark.parametrize(("section", "text", "kind", "expected"), CASES, ids=[c[1][:50] for c in CASES])
def test_extent_sweep_reading(section: str, text: str, kind: FactKind, expected: object) -> None:
    facts = _facts(section, text, kind)
    if expected == NONE:
        assert facts == []
        return
    assert len(facts) == 1, facts
    if expected == UNCERTAIN:
        assert facts[0].uncertain, facts[0]
        return
    assert facts[0].polarity is expected and not facts[0].uncertain, facts[0]


# --- second reading (helper 'extrev'): where the sweep's rules were too broad ---------------------------------------
# A candidacy is one for a treatment: an exclusion from the study, a phase or a cohort stays an exclusion (the sweep's
# candidacy cue read "Patients with distant metastases are not eligible for this phase II study" as requiring them).
# A time after the extent is not a therapy's setting; a finding's "evidence for" after a prior therapy is not its
# target.
SECOND_READING = [
    (
        "Inclusion",
        "Patients with distant metastases are not eligible for this phase II study.",
        EXTENT,
        Polarity.EXCLUDE,
    ),
    ("Inclusion", "Patients with distant metastases are not eligible for the phase II part", EXTENT, Polarity.EXCLUDE),
    (
        "Inclusion",
        "Patients with distant metastases are not eligible for admission into the study",
        EXTENT,
        Polarity.EXCLUDE,
    ),
    ("Inclusion", "No evidence of metastatic disease prior to treatment", EXTENT, Polarity.EXCLUDE),
    (
        "Inclusion",
        "Previously untreated patients with no radiological evidence for distant metastases",
        EXTENT,
        Polarity.EXCLUDE,
    ),
    ("Inclusion", "No prior surgery and negative for metastatic disease", EXTENT, Polarity.EXCLUDE),
    # the candidacies of the sweep stay required
    ("Inclusion", "Inoperable HCC which is not eligible for locoregional therapy", EXTENT, Polarity.REQUIRE),
    # a permission beside a site's exclusion is not a requirement of metastatic disease
    (
        "Inclusion",
        "Patients with presence of life-threatening metastatic visceral disease, defined as extensive hepatic "
        "involvement, or any degree of brain or leptomeningeal involvement (past or present), or symptomatic "
        "pulmonary lymphangitic spread are not eligible. Patients with discrete pulmonary parenchymal metastases are "
        "eligible, provided their respiratory function is not significantly compromised as a result of disease in the "
        "opinion of the investigator.",
        EXTENT,
        NONE,
    ),  # NCT02137837
    # a site's metastases in a lab limit's condition, a bounded site, the primary's site: not read
    ("Inclusion", "3 × ULN without liver metastases", EXTENT, NONE),  # NCT00709618
    (
        "Inclusion",
        "Serum transaminases ≤ 2.5xUNL in absence of liver metastases, or ≤ 5xUNL in presence of liver metastases",
        EXTENT,
        NONE,
    ),  # NCT01038037
    (
        "Inclusion",
        "No bilateral diffuse lymphangitis carcinomatosa of the lung (> 50% of lung involvement) or evidence of liver "
        "metastases estimated as involving > one third of the liver by sonogram and/or CT scan",
        EXTENT,
        NONE,
    ),  # NCT00934895
    ("Inclusion", "No bone marrow metastases", EXTENT, NONE),
    # "in order to be considered to have measurable disease" defines which lesions count; this asks for it
    (
        "Inclusion",
        "Patients must be considered to have measurable disease per RECIST 1.1",
        MEASURABLE,
        Polarity.REQUIRE,
    ),
]


@pytest.mark.parametrize(
    ("section", "text", "kind", "expected"), SECOND_READING, ids=[c[1][:50] for c in SECOND_READING]
)
def test_second_reading(section: str, text: str, kind: FactKind, expected: object) -> None:
    test_extent_sweep_reading(section, text, kind, expected)


# A site's metastases excluded ("No bony metastases"): read against the profile's known sites, violated only when one
# of them is that site; unknown when the profile lists other sites (not listed is not known to be absent).
SITED = [
    ("No bony metastases by bone scan", ("bone",)),  # NCT00002633
    ("No known primary or metastatic hepatic tumor", ("liver",)),  # NCT00398047
    ("No metastatic cancer to the ovaries", ("ovary",)),  # NCT00003298
    ("No extra-abdominal disease or parenchymal liver metastases", ("liver",)),  # NCT00310076
    (
        "All patients must have no distant metastatic disease in the liver, peritoneum, lungs, or paraaortic lymph "
        "nodes.",
        ("liver", "peritoneum", "lung"),
    ),  # NCT00503932: lymph nodes, which the profile's names do not tell apart, are read as no site
]


@pytest.mark.parametrize(("text", "sites"), SITED, ids=[c[0][:50] for c in SITED])
def test_a_sites_metastases_are_read_against_the_profiles_sites(text: str, sites: tuple[str, ...]) -> None:
    [fact] = _facts("Inclusion", text, EXTENT)
    assert fact.polarity is Polarity.EXCLUDE and not fact.uncertain
    assert isinstance(fact.values, ExtentValues) and fact.values.sites == sites


def _outcome(text: str, metastatic_sites: list[str] | None) -> Outcome:
    [criterion] = parse_text(f"Inclusion Criteria:\n\n- {text}\n")
    diagnosis = {} if metastatic_sites is None else {"metastatic_sites": metastatic_sites}
    patient = parse_patient({"id": "p", "diagnosis": diagnosis}).patient
    info = TrialInfo("NCT00000000", "t", "RECRUITING", ())
    return match_trial(info, [criterion], patient, date(2026, 11, 26), load_knowledge()).results[0].outcome


def test_a_sites_exclusion_is_violated_only_by_that_site() -> None:
    text = "No bony metastases by bone scan"
    assert _outcome(text, ["lung", "bone"]) is Outcome.VIOLATED
    assert _outcome(text, ["Bones (T12 vertebra)"]) is Outcome.VIOLATED
    assert _outcome(text, ["lung", "mediastinal lymph nodes"]) is Outcome.UNKNOWN  # bone not known either way
    assert _outcome(text, ["bone marrow"]) is Outcome.UNKNOWN
    assert _outcome(text, []) is Outcome.SATISFIED  # no metastases at all
    assert _outcome(text, None) is Outcome.UNKNOWN
    assert _outcome("No known primary or metastatic hepatic tumor", ["liver", "lung"]) is Outcome.VIOLATED
    assert _outcome("No known primary or metastatic hepatic tumor", ["adrenal glands"]) is Outcome.UNKNOWN
    listed = (
        "All patients must have no distant metastatic disease in the liver, peritoneum, lungs, or paraaortic nodes."
    )
    assert _outcome(listed, ["cervical lymph nodes", "adrenal glands"]) is Outcome.UNKNOWN
    assert _outcome(listed, ["lung", "mediastinal lymph nodes"]) is Outcome.VIOLATED
    # "to distant organs (liver, peritoneum, lung, others)": every distant organ, still every metastasis
    assert _outcome("No evidence of metastasis to distant organs (liver, peritoneum, lung, others).", ["adrenal"]) is (
        Outcome.VIOLATED
    )


def test_a_recommendation_naming_the_extent_never_violates() -> None:
    # NCT01423123: what the investigator should weigh, not a criterion; read as excluding metastatic disease, it
    # violated every metastatic patient
    text = "Co-morbid conditions should be taken into consideration, but not the diagnosis of metastatic breast cancer."
    [criterion] = parse_text(f"Inclusion Criteria:\n\n- {text}\n")
    assert criterion.scope.modality == "recommendation"
    assert _outcome(text, ["lung", "bone"]) is not Outcome.VIOLATED
