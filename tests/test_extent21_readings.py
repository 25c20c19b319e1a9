"""extent21 (issue 10; tests/audit/extent21_changes.txt): a required extent beside a recurrent (persistent, residual,
relapsed, refractory) alternative is uncertain, so the extent alone never violates: the profile records no
recurrence, and a thyroid patient with neither distant metastases nor an unresectable tumour may have recurrent or
persistent disease (RAI-refractory DTC is persistent or recurrent after radioiodine). A locally recurrent tumour named
as the extent need not be unresectable either. Each row quotes registry text of the tuning corpora, with the trial it
came from; rows where the recurrence is the extent's adjective, or must be unresectable, keep a certain extent, and
exclusions keep theirs.
"""

from __future__ import annotations

from datetime import date

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.extent import ExtentValues
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.readings import item_facts

EXTENT = FactKind.DISEASE_EXTENT

# (registry text, the extents read, the recurrence word the reason names)
WAYS_IN = [
    ("Recurrent or metastatic disease", ("metastatic",), "recurrent"),  # NCT00126542
    ("Metastatic or recurrent disease", ("metastatic",), "recurrent"),  # NCT00052507, NCT00062387, NCT00290615
    ("Locally advanced, metastatic, or recurrent disease", ("locally_advanced", "metastatic"), "recurrent"),
    # NCT00281996
    (
        "Unresectable locally advanced, recurrent, or metastatic disease",
        ("locally_advanced", "metastatic"),
        "recurrent",
    ),
    # NCT00262769
    ("Metastatic or locally recurrent disease", ("metastatic", "locally_advanced"), "recurrent"),  # NCT00026299
    ("Metastatic or chest wall recurrent disease", ("metastatic",), "recurrent"),  # NCT00258349
    # thyroid studies
    ("Metastatic, locally advanced, or locally recurrent disease", ("metastatic", "locally_advanced"), "recurrent"),
    # NCT00095693
    ("Recurrent or persistent local disease and/or distant metastases", ("metastatic",), "persistent"),  # NCT01736878
    (
        "Recurrent, advanced, or metastatic (Stage IV) disease that is not amenable to surgical resection or "
        "radiation with curative intent.",
        ("advanced", "metastatic", "locally_advanced"),
        "recurrent",
    ),  # NCT03469011
    (
        "Persistent or locally recurrent PTC with macroscopic lymph node involvement which requires surgical "
        "resection.",
        ("locally_advanced",),
        "recurrent",
    ),  # NCT01709292: persistent nodal disease to be resected, which an unresectable tumour is not
    (
        "Phase I: Diagnosis of recurrent, metastatic or primary unresectable solid tumor that does not have curative "
        "standard treatment. Phase II: Diagnosis of recurrent, metastatic or primary unresectable medullary thyroid "
        "cancer (MTC).",
        ("metastatic", "locally_advanced"),
        "recurrent",
    ),  # NCT00923247
    # not amenable to curative therapy: the profile does not decide that of a recurrence either
    (
        "Has histologically- or cytologically-confirmed recurrent disease not amenable to curative treatment with "
        "local or systemic therapy, or metastatic (disseminated) head and neck squamous cell carcinoma of the oral "
        "cavity, oropharynx, hypopharynx, and larynx that is considered incurable by local therapies",
        ("metastatic",),
        "recurrent",
    ),  # NCT02252042
    ("Recurrent and/or metastatic SCCHN, not suitable for local therapy.", ("metastatic",), "recurrent"),  # NCT01360827
    (
        "Recurrent/metastatic Squamous Cell Carcinoma of the Head and Neck not previously treated with immunotherapy",
        ("metastatic",),
        "recurrent",
    ),  # NCT03652233
    (
        "Patients must have persistent, metastatic, or recurrent platinum resistant or refractory ovarian or primary "
        "peritoneal cancer.",
        ("metastatic",),
        "persistent",
    ),  # NCT01494012
    (
        "Patients with recurrent, refractory or metastatic squamous cell carcinoma of oral cavity, oropharynx and "
        "larynx, hypopharynx or paranasal sinus, and unknown primary SCCHN who failed to respond to, or relapsed "
        "from prior chemoradiotherapy for definitive treatment of disease.",
        ("metastatic",),
        "refractory",
    ),  # NCT01283334
    (
        "Women with advanced (recurrent or metastatic) breast cancer who received no prior therapy for advanced "
        "disease.",
        ("advanced", "metastatic"),
        "recurrent",
    ),  # NCT02154776
    ("Metastatic or relapsed Ewing's sarcoma", ("metastatic",), "relapsed"),  # NCT00003926
]


@pytest.mark.parametrize(("line", "extents", "word"), WAYS_IN, ids=[row[0][:50] for row in WAYS_IN])
def test_a_required_extent_beside_a_recurrence_is_uncertain(line: str, extents: tuple[str, ...], word: str) -> None:
    facts = item_facts("Inclusion", line, EXTENT)
    assert [(f.polarity, f.values.any_of) for f in facts if isinstance(f.values, ExtentValues)] == [
        (Polarity.REQUIRE, extents)
    ]
    assert facts[0].uncertain and facts[0].uncertain.startswith(f"recurrence not on file: {word!r} disease")


KEPT = [
    # the recurrence is the extent's adjective
    ("Recurrent advanced disease", ("advanced",)),  # NCT00303888
    ("Progressive, recurrent unresectable disease", ("locally_advanced",)),  # NCT01068483
    (
        "Must have histologic or cytologic confirmation of recurrent metastatic pancreatic adenocarcinoma based on "
        "standard diagnostic criteria. Recurrence must be documented by diagnostic biopsy.",
        ("metastatic",),
    ),  # NCT02734160
    (
        "Advanced, progressive, recurrent epithelial ovarian, fallopian tube or primary peritoneal carcinoma, which "
        "has recurred following at least one platinum-containing regimen.",
        ("advanced",),
    ),  # NCT02055690
    # the recurrence must be unresectable, which the profile's unresectable tumour decides
    ("Unresectable locoregional recurrent or metastatic soft tissue sarcoma", ("locally_advanced", "metastatic")),
    # NCT00699517
    (
        "Histologically or cytologically confirmed adenocarcinoma of the breast with locally recurrent or metastatic "
        "disease. NOTE: locally recurrent disease must not be amenable to surgery or radiation with curative intent.",
        ("locally_advanced", "metastatic"),
    ),  # NCT01265927
    (
        "Have locoregionally recurrent disease not amenable to resection or radiation therapy with curative intent or "
        "metastatic disease",
        ("locally_advanced", "metastatic"),
    ),  # NCT02246621
    # the recurrence is who is not eligible
    (
        "Metastatic disease consistent with colorectal adenocarcinoma. Stage M1, and not amenable to curative surgery. "
        "Subjects with only locally persistent or only locally recurrent disease are not eligible.",
        ("metastatic", "locally_advanced"),
    ),  # NCT00478946
]


@pytest.mark.parametrize(("line", "extents"), KEPT, ids=[row[0][:50] for row in KEPT])
def test_an_extent_whose_recurrence_is_decided_stays_certain(line: str, extents: tuple[str, ...]) -> None:
    facts = item_facts("Inclusion", line, EXTENT)
    assert [f.values.any_of for f in facts if isinstance(f.values, ExtentValues)] == [extents]
    assert facts[0].polarity is Polarity.REQUIRE and not facts[0].uncertain


def test_an_excluded_recurrence_stays_certain() -> None:
    # NCT00878657: recurrent and metastatic disease are both excluded; a metastatic patient is rightly violated
    [fact] = item_facts("Inclusion", "No recurrent or metastatic (M1) disease", EXTENT)
    assert fact.polarity is Polarity.EXCLUDE and not fact.uncertain


def _outcome(text: str, diagnosis: dict[str, object], section: str = "Inclusion") -> Outcome:
    criteria = [c for c in parse_text(f"{section} Criteria:\n\n- {text}\n") if c.source == "text"]
    surgery = {"name": "total thyroidectomy with central neck dissection", "kind": "surgery", "start": "2017-02-14"}
    profile = {"id": "p", "birth_date": "1982-01-30", "diagnosis": diagnosis, "therapies": [surgery]}
    patient = parse_patient(profile).patient
    info = TrialInfo("NCT00000000", "t", "RECRUITING", ())
    return match_trial(info, criteria, patient, date(2026, 12, 5), load_knowledge()).results[0].outcome


# A papillary carcinoma with no distant metastases and no unresectable tumour on file: it may be persistent or
# recurrent in the neck, which the profile does not record
NO_METASTASES = {
    "histology": "papillary",
    "diagnosed_on": "2017-01-20",
    "stage": "I",
    "metastatic_sites": [],
    "locally_advanced_unresectable": False,
}
METASTATIC = {**NO_METASTASES, "stage": "II", "metastatic_sites": ["lung"]}


def test_a_patient_without_metastases_is_not_violated_by_a_recurrent_way_in() -> None:
    for line in ("Recurrent or metastatic disease", "Metastatic or locally recurrent disease", WAYS_IN[7][0]):
        assert _outcome(line, NO_METASTASES) is Outcome.UNKNOWN, line
        assert _outcome(line, METASTATIC) is Outcome.SATISFIED, line
    # no other way in: the extent still violates (NCT00303888, NCT01068483: a recurrence that is advanced, or
    # unresectable)
    assert _outcome("Recurrent advanced disease", NO_METASTASES) is Outcome.VIOLATED
    assert _outcome(KEPT[1][0], NO_METASTASES) is Outcome.VIOLATED


def test_exclusions_of_metastatic_disease_still_violate() -> None:
    # NCT00878657, NCT00023673 (a recorded stage IVB against an excluded stage IV)
    assert _outcome("No recurrent or metastatic (M1) disease", METASTATIC) is Outcome.VIOLATED
    assert _outcome("No stage IV or recurrent disease", {**METASTATIC, "stage": "IVB"}) is Outcome.VIOLATED
