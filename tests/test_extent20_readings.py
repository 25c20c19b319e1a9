"""extent20 (issue 10; tests/audit/extent20_changes.txt): a required stage IV beside another way in that the extent
does not read (an earlier stage with its qualifier, recurrent or relapsed disease) is uncertain, so the stage alone
never violates: a thyroid patient under 55 is stage I without distant metastases and stage II with them, and recurrent
disease is common. Each row quotes registry text of the tuning corpora, with the trial it came from; rows that offer
no other way in keep a certain stage.
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
from tests.readings import check, item_facts

EXTENT = FactKind.DISEASE_EXTENT
STAGE_IV = ExtentValues(("metastatic",), stage="IV")

# (registry text, the other way in the reason quotes)
OTHER_WAYS_IN = [
    (
        "Histologically or cytologically documented nonsmall-cell lung cancer (NSCLC) presenting as stage IIIB "
        "disease without indications for definitive radiotherapy, stage IV disease, or recurrent disease following "
        "radiation therapy or surgical resection",
        "stage IIIB disease without indications for definitive…",
    ),  # NCT01165216 (neg20's open item)
    ("Stage IIIB with pleural effusion or stage IV disease", "Stage IIIB with pleural effusion or stage IV disease"),
    # NCT00030407
    (
        "Histologically confirmed Stage IV, or Recurrent NSCLC with no prior systemic anticancer therapy",
        "or Recurrent NSCLC with no prior systemic anticancer therapy",
    ),  # NCT02041533
    (
        "Stage III B because of pleural effusion or Stage IV disease",
        "Stage III B because of pleural effusion or Stage IV disease",
    ),
    # NCT00424840
    (
        "Patients must have histologically or cytologically confirmed stage IV (American Joint Committee on Cancer "
        "[AJCC] 7th Edition) or recurrent non-small cell lung cancer (NSCLC)",
        "or recurrent non-small cell lung cancer (NSCLC)",
    ),  # NCT02438722
    (
        "Histologic or cytologic diagnosis of NSCLC, Stage IV or selected stage IIIB (with malignant pleural or "
        "pericardial effusion) according to the American Joint Committee on Cancer (AJCC).",
        "stage IIIB (with malignant pleural or pericardial…",
    ),  # NCT00874328
    (
        "At least 1 prior systemic regimen (IV or oral agent) for Stage IV NSCLC or for recurrent disease.",
        "or for recurrent disease.",
    ),
    # NCT00787267
    (
        "Previously untreated stage IV disease OR residual disease or regionally recurrent disease after prior surgery "
        "and/or chemotherapy",
        "or regionally recurrent disease after prior surgery and/or…",
    ),  # NCT00629226
    ("Subject is diagnosed with Stage III or Stage IV HNSCC.", "Stage III or Stage IV HNSCC."),  # NCT01975688
    (
        "Chemotherapy-naive patients who are histologically or cytologically diagnosed NSCLC with stage IIIB (not "
        "applicable of radical thoracic radiation) or stage IV",
        "stage IIIB (not applicable of radical thoracic radiation)…",
    ),  # NCT00424775 (the extent sweep's: required, the "not" is the stage IIIB alternative's)
]


@pytest.mark.parametrize(("line", "way_in"), OTHER_WAYS_IN, ids=[row[0][:50] for row in OTHER_WAYS_IN])
def test_a_required_stage_beside_another_way_in_is_uncertain(line: str, way_in: str) -> None:
    [fact] = item_facts("Inclusion", line, EXTENT)
    assert (fact.polarity, fact.values) == (Polarity.REQUIRE, STAGE_IV)
    # (NCT01165216's stage IV is also freed from its negation by one shared word: rev20's doubt follows)
    assert fact.uncertain and fact.uncertain.startswith(f"stage IV is one way in; another is not read ({way_in!r})")


def test_recurrence_beside_a_substage_is_another_way_in() -> None:
    # NCT00322920: recurrent cervical cancer of any stage is eligible, not only a primary stage IVB one
    line = (
        "Patients must have persistent, recurrent, or primary Stage IVB carcinoma of the cervix not amenable to "
        "curative therapy with either surgery and/or radiation."
    )
    [fact] = item_facts("Inclusion", line, EXTENT)
    assert fact.values == ExtentValues(("metastatic",), stage="IVB") and fact.uncertain


KEPT = [
    "Stage IV disease",  # NCT00096486
    "Histologically or cytologically confirmed stage IV non-small cell lung cancer",  # NCT00077246
    # a relapse that is when the stage IV is found, not another way in (NCT00709618)
    "Subjects must have histologically confirmed invasive breast cancer with Stage IV disease at primary diagnosis or "
    "at relapse after curative-intent surgery.",
]


@pytest.mark.parametrize("line", KEPT, ids=[line[:50] for line in KEPT])
def test_a_stage_with_no_other_way_in_stays_certain(line: str) -> None:
    check(item_facts("Inclusion", line, EXTENT), [(Polarity.REQUIRE, STAGE_IV, None)])


def test_an_excluded_stage_beside_another_stage_stays_certain() -> None:
    # NCT00023673: each named extent is excluded; a stage IV patient is rightly violated (unchanged here)
    [fact] = item_facts("Inclusion", "No stage IV or recurrent disease", EXTENT)
    assert fact.polarity is Polarity.EXCLUDE and not fact.uncertain


def _outcome(text: str, diagnosis: dict[str, object]) -> Outcome:
    [criterion] = parse_text(f"Inclusion Criteria:\n\n- {text}\n")
    surgery = {"name": "total thyroidectomy with central neck dissection", "kind": "surgery", "start": "2017-02-14"}
    profile = {"id": "p", "birth_date": "1982-01-30", "diagnosis": diagnosis, "therapies": [surgery]}
    patient = parse_patient(profile).patient
    info = TrialInfo("NCT00000000", "t", "RECRUITING", ())
    return match_trial(info, [criterion], patient, date(2026, 12, 5), load_knowledge()).results[0].outcome


# A papillary carcinoma diagnosed at 35, recurrent in the neck: AJCC 8 stage I, no distant metastases
RECURRENT_IN_THE_NECK = {
    "histology": "papillary",
    "diagnosed_on": "2017-01-20",
    "stage": "I",
    "metastatic_sites": ["cervical lymph nodes"],
    "locally_advanced_unresectable": False,
}


def test_an_earlier_stage_with_recurrent_disease_is_not_violated() -> None:
    # NCT00629226: "or regionally recurrent disease after prior surgery" lets recurrent disease in at any stage; the
    # profile does not say recurrent, so the outcome is unknown, with the other way in named for the coordinator
    recurrent = OTHER_WAYS_IN[7][0]
    assert _outcome(recurrent, RECURRENT_IN_THE_NECK) is Outcome.UNKNOWN
    # NCT00030407, NCT00424840: an earlier stage with a qualifier the profile cannot decide
    assert _outcome(OTHER_WAYS_IN[1][0], RECURRENT_IN_THE_NECK) is Outcome.UNKNOWN
    assert _outcome(OTHER_WAYS_IN[3][0], RECURRENT_IN_THE_NECK) is Outcome.UNKNOWN
    # a stage IV patient meets the stage as before
    assert _outcome(OTHER_WAYS_IN[1][0], {**RECURRENT_IN_THE_NECK, "stage": "IVB"}) is Outcome.SATISFIED
    # with no other way in, the earlier stage still violates a required stage IV (NCT00096486)
    assert _outcome(KEPT[0], RECURRENT_IN_THE_NECK) is Outcome.VIOLATED
