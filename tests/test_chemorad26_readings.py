"""chemorad26: chemotherapy and radiotherapy named as one treatment. "Concomitant" or "concurrent" before
"chemoradiotherapy" tells how the two were given, not a therapy given now: "Receipt of concomitant or sequential
chemoradiotherapy, consisting of ... platinum-based chemotherapy and a minimum radiation dose of >= 50 Gy"
(NCT00960115) was read as platinum or radiotherapy *ongoing*, which a patient who completed it fails. And the
treatment asks both of its parts: read as either, the requirement was met by radiotherapy alone (a reason judged
untrue by earlier samples' readers: "the reading asks either ... marked ongoing, where the text asks both, completed").
Issue 10, item 3: violated only from a complete reading."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.readings import list_trial, therapy_facts
from tests.test_issue10_examples import outcome, with_therapies

CHEMORADIOTHERAPY = (  # NCT00960115 (inclusion)
    "Receipt of concomitant or sequential chemoradiotherapy, consisting of a minimum of two cycles of platinum-based "
    "chemotherapy and a minimum radiation dose of >= 50 Gy"
)
ALLOWED_AFTER_A_YEAR = (  # NCT02438722 (inclusion), its clause on non-metastatic disease
    "Patients must not have received any prior systemic anticancer therapy for advanced or metastatic disease; prior "
    "chemotherapy for non-metastatic disease (i.e. adjuvant therapy or concurrent chemo-radiotherapy) is allowed as "
    "long as > 12 months has passed since completion of therapy"
)
WASHOUT_LIST = (  # NCT00115739 (inclusion): chemoradiation is one item of a list that names radiation therapy apart
    "Prior chemotherapy, chemoradiation, radiation therapy, or surgery must have been completed at least 28 days prior "
    "to registration, and all toxicities must have resolved."
)


EBRT = {"name": "external beam radiotherapy to the neck", "kind": "radiotherapy", "start": "2025-01-06",
        "end": "2025-02-14"}  # fmt: skip
CARBOPLATIN = {"name": "carboplatin", "kind": "systemic", "start": "2025-01-06", "end": "2025-02-14"}


def test_concurrent_chemoradiotherapy_is_a_treatment_had_not_one_given_now() -> None:
    facts = therapy_facts("Inclusion", CHEMORADIOTHERAPY)
    assert sorted((f.values.classes, f.values.categories) for f in facts) == [
        ((), ("radiotherapy",)),
        (("class.platinum",), ()),
    ]
    assert not any(f.values.ongoing for f in facts)
    (capped,) = therapy_facts(
        "Inclusion",  # NCT00062387: past regimens counted, not current ones ...
        "No more than 1 prior adjuvant or neoadjuvant chemotherapy and/or concurrent chemoradiotherapy regimen",
    )
    assert not capped.values.ongoing and capped.values.max_count == 1
    # ... those of one setting only, which a profile does not tell: counted over all of them, the cap would bar a
    # patient with one adjuvant regimen and one for metastatic disease, which the trial's other cap allows
    assert capped.uncertain and "one setting ('adjuvant or neoadjuvant')" in capped.uncertain


def test_radiotherapy_alone_does_not_meet_a_chemoradiotherapy() -> None:
    trial = list_trial(CHEMORADIOTHERAPY)
    alone = outcome(trial, "Receipt of concomitant", with_therapies(EBRT))
    assert alone.outcome is Outcome.VIOLATED
    assert alone.reason == "no platinum-based chemotherapy (trial: 1+ platinum-based chemotherapy)"
    assert outcome(trial, "Receipt of concomitant", with_therapies(EBRT, CARBOPLATIN)).outcome is Outcome.SATISFIED


def test_a_washout_of_chemo_radiotherapy_does_not_bar_radiotherapy_alone() -> None:
    (washout,) = [f for f in therapy_facts("Inclusion", ALLOWED_AFTER_A_YEAR) if f.values.within is not None]
    assert washout.uncertain and "together ('chemo-radiotherapy')" in washout.uncertain
    # an item of a list that names radiation therapy apart keeps its reading: each item has the washout
    (listed,) = therapy_facts("Inclusion", WASHOUT_LIST)
    assert listed.uncertain is None
    assert set(listed.values.categories) >= {"radiotherapy", "surgery"} and listed.values.within is not None


def test_concurrent_with_a_partner_is_how_it_was_given_not_now() -> None:
    # NCT02277197: "Radiation must have included concurrent cetuximab" is the past radiotherapy's make-up
    (given,) = therapy_facts("Inclusion", "Radiation must have included concurrent cetuximab.")
    assert not given.values.ongoing
    # ... but "concurrent" after a patient with, or under treatment with, is now (NCT02687009)
    (now,) = therapy_facts(
        "Exclusion", "Patients with concurrent cytotoxic chemotherapy or radiation therapy are excluded"
    )
    assert now.values.ongoing
