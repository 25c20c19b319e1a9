"""Parser 24: washouts told as a gap, a drug named as the time it is given, the trial's own arms, what a therapy
"does not include", and an exclusion lead-in nested in an inclusion item. Each row quotes the registry text it came
from (HINT oncology texts; fresh sample 6's wrong items L005, L006, L013, L032, L046, L059, L065, L068, L072)."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Criterion, Fact, FactKind, Polarity, Section
from matcher.eligibility.parser import parse_text
from tests.readings import one_criterion as _one


def _therapy(c: Criterion) -> list[Fact]:
    return [f for f in c.facts if f.kind is FactKind.PRIOR_THERAPY]


# --- washouts told as a gap: the therapies are excluded within the window, never required ----------------------

WASHOUTS = [
    # NCT02152631 (L005)
    "Have discontinued all previous therapies for cancer (including chemotherapy, radiotherapy, immunotherapy, and "
    "investigational therapy) for at least 21 days for myelosuppressive agents or 14 days for nonmyelosuppressive "
    "agents prior to receiving study drug.",
    # NCT02446964 (L068)
    "Patients should be off all previous intensive therapy, chemotherapy or radiotherapy for 3 weeks prior to "
    "commencing therapy on this study",
    # NCT02109224 (L032)
    "At least 14 days between ibrutinib initiation and last cancer therapy; any number of prior cancer therapies is "
    "permitted",
    # NCT01014546
    "Patients must have been off any primary myelofibrosis (PMF)-directed experimental therapy for 4 weeks prior to "
    "entering this study",
    # NCT00610571
    "Prior Therapy: Interval of at least 2 weeks between prior surgical resection or prior radiotherapy (XRT) or 1 "
    "week from completion of chemotherapy",
]


@pytest.mark.parametrize("text", WASHOUTS)
def test_a_washout_told_as_a_gap_excludes_recent_therapy_and_never_requires_it(text: str) -> None:
    facts = [f for f in _therapy(_one(text)) if f.values.within is not None]  # type: ignore[attr-defined]
    assert facts
    assert all(f.polarity is Polarity.EXCLUDE for f in facts)


def test_a_window_the_therapy_was_had_in_stays_a_requirement_beside_a_gap() -> None:
    # review of parser 24, a constructed sentence (no tuning text has one): the gap ("discontinued ... for at least
    # 4 weeks") is not the window the therapy was had in ("within 6 months"), which stays required
    c = _one(
        "Must have received at least one prior platinum regimen within 6 months and discontinued it for at least "
        "4 weeks"
    )
    facts = _therapy(c)
    assert [(f.polarity, f.values.within.number) for f in facts] == [(Polarity.REQUIRE, 6)]  # type: ignore[attr-defined]


def test_a_subgroups_advice_is_no_requirement() -> None:
    # NCT02109224 (L032): what patients fit for transplant should do first
    c = _one(
        "At least 14 days between ibrutinib initiation and last cancer therapy; patients otherwise fit for blood or "
        "marrow transplantation (BMT) should receive second-line chemotherapy before considering enrollment"
    )
    required = [f for f in _therapy(c) if f.polarity is Polarity.REQUIRE]
    assert required and all(f.uncertain for f in required)


def test_must_not_start_other_therapy_is_no_entry_bar() -> None:
    # "start" bars entry only when it is the study's: "must not start any other anticancer therapy" is the trial's time
    c = _one("Patients must not start any other anticancer therapy within 4 weeks of study entry")
    assert all(f.polarity is Polarity.EXCLUDE for f in _therapy(c))
    c = _one("Patients receiving prior radiation cannot start study treatment within 7 days after radiation")
    assert [f.polarity for f in _therapy(c)] == [Polarity.EXCLUDE]


# --- a drug named as the time while it is given ---------------------------------------------------------------

DURING = [
    # NCT00623064 (L046)
    (
        "No drugs and herbal inducers or inhibitors of CYP3A4 (e.g., bergamottin or glabridin) within 10 days prior to "
        "study treatment and while receiving lapatinib ditosylate therapy",
        "Inclusion",
    ),
    # NCT00093613 (L065)
    (
        "Patients must not be on therapeutic anticoagulation; (Patients will be taken off treatment if they require "
        "therapeutic anticoagulation during BAY 43-9006 treatment)",
        "Exclusion",
    ),
    # NCT01313390
    ("No concurrent live vaccines during everolimus therapy", "Exclusion"),
    # NCT02041481
    (
        "NB: muscular activities, such as strenuous exercise, that can result in significant increases in plasma CK "
        "levels should be avoided while on MEK162 treatment",
        "Exclusion",
    ),
]


@pytest.mark.parametrize(("text", "section"), DURING)
def test_a_drug_named_as_the_time_it_is_given_is_uncertain(text: str, section: str) -> None:
    facts = _therapy(_one(text, section))
    assert facts and all(f.uncertain for f in facts)


def test_what_happened_on_a_drug_is_the_patients_past() -> None:
    # NCT00316953: progression on imatinib is the patient's history and stays required
    facts = _therapy(_one("Increasing WBC or platelet count while on imatinib mesylate therapy"))
    assert [(f.polarity, f.uncertain) for f in facts] == [(Polarity.REQUIRE, None)]


# --- the trial's own arms --------------------------------------------------------------------------------------


def test_the_arms_a_patient_can_still_enter_are_no_prior_therapy() -> None:
    # NCT02723006 (L072)
    c = _one(
        "BRAF V600 mutation-positive or NRAS mutation-positive disease previously untreated with RAF, MEK, or other "
        "inhibitors of the mitogen-activated protein kinase (MAPK) pathway. Participants who have progressed on these "
        "agents can still be enrolled in TAK-202 (plozalizumab) + nivolumab or vedolizumab + nivolumab + ipilimumab."
    )
    assert not [f for f in _therapy(c) if f.polarity is Polarity.REQUIRE]


def test_the_schedule_of_one_arm_is_a_cohort_condition() -> None:
    # NCT01926236 (L059)
    c = _one(
        "Patients must be randomised and those allocated chemotherapy must start treatment within 6 weeks of diagnosis "
        "of disease progression"
    )
    assert c.scope is not None
    assert [k.kind for k in c.scope.conditions] == ["cohort"]
    assert "based" not in repr(
        _one("Subjects randomized based on local testing should have tissue available for central testing").scope
    )


# --- what a therapy does not include ---------------------------------------------------------------------------


def test_what_a_therapy_does_not_include_is_neither_required_nor_excluded() -> None:
    # NCT02215980 (L006)
    c = _one(
        "Previous treatment with anti-myeloma therapy (does not include radiotherapy, bisphosphonates, or a single "
        "short course of steroid < to the equivalent of dexamethasone 40 mg/day for 4 days).",
        "Exclusion",
    )
    assert not _therapy(c)
    # NCT00660153: the adjuvant oxaliplatin is not counted
    c = _one(
        "No more than 2 prior chemotherapy regimens for metastatic disease (This does not include prior adjuvant "
        "chemotherapy with fluorouracil and/or oxaliplatin.)"
    )
    assert [f.values.drugs for f in _therapy(c)] == [()]  # type: ignore[attr-defined]


# --- an exclusion lead-in nested in an inclusion item (NCT00413192, L013) ----------------------------------------

NESTED_LEAD = """Inclusion Criteria:

  1. Histologically proven advanced and/or metastatic malignant soft tissue sarcoma, of one of the following
     histologies:

       -  Leiomyosarcoma

       -  The following tumor types are not eligible:

       -  Embryonal rhabdomyosarcoma

       -  Chondrosarcoma

  2. Presence of measurable disease, as defined by RECIST.

  3. At least 18 years of age.

Exclusion Criteria:

  1. Pregnant or lactating women.
"""


def test_a_nested_exclusion_lead_in_ends_with_its_item() -> None:
    criteria = {" ".join(c.text.split()): c for c in parse_text(NESTED_LEAD) if c.source == "text"}
    assert criteria["The following tumor types are not eligible:"].section is Section.EXCLUSION
    assert criteria["Chondrosarcoma"].section is Section.EXCLUSION
    measurable = criteria["Presence of measurable disease, as defined by RECIST."]
    assert measurable.section is Section.INCLUSION
    assert [f.polarity for f in measurable.facts] == [Polarity.REQUIRE]
    assert criteria["At least 18 years of age."].section is Section.INCLUSION
    assert criteria["Pregnant or lactating women."].section is Section.EXCLUSION


def test_a_top_level_exclusion_lead_in_still_opens_the_exclusions() -> None:
    # NCT00321685: an inclusion-only text whose exclusions start at a top-level lead-in
    text = """Inclusion Criteria:

  -  Age 18 or older

  -  Patients must not have any of the following:

       -  Unstable angina (within 12 months of study entry)

  -  Patients with clinically significant peripheral vascular disease are not eligible
"""
    criteria = {" ".join(c.text.split()): c for c in parse_text(text) if c.source == "text"}
    assert criteria["Patients must not have any of the following:"].section is Section.EXCLUSION
    assert criteria["Patients with clinically significant peripheral vascular disease are not eligible"].section is (
        Section.EXCLUSION
    )


# --- a result that stands in for another, a later phase, a therapy's setting ----------------------------------------


def test_a_result_that_may_stand_in_for_another_is_no_limit() -> None:
    # NCT00439296 (L030), also NCT00440726 and NCT00928200
    c = _one(
        "Direct bilirubin > 1.5x the institutional ULN for age. A total bilirubin result that is less than 1.5 times "
        "the institutional ULN for age may be used for eligibility if a direct bilirubin result is not available.",
        "Exclusion",
    )
    by_lab = {f.values.lab: f for f in c.facts if f.kind is FactKind.LAB}  # type: ignore[attr-defined]
    assert by_lab["lab.bilirubin_direct"].uncertain is None
    assert by_lab["lab.bilirubin_total"].uncertain


RETREATMENT = """Inclusion Criteria:

  -  Have measurable disease based on RECIST 1.1

  -  SECOND COURSE PHASE (RETREATMENT PERIOD FOR POST-COMPLETE RESPONSE RELAPSE ONLY)

  -  Subjects may be eligible to receive MK-3475 in the second course phase of this study if the study remains open
     and the subject meets the following conditions:

  -  Stopped initial treatment with MK-3475 after attaining an investigator-determined confirmed response according
     to RECIST1.1 response criteria

Exclusion Criteria:

  -  Has received prior therapy with vorinostat or other epigenetic agent
"""


def test_a_later_phase_heading_in_capitals_heads_its_criteria() -> None:
    # NCT02538510 (L069): the retreatment phase's conditions are no entry criteria
    criteria = {" ".join(c.text.split())[:40]: c for c in parse_text(RETREATMENT) if c.source == "text"}
    assert not any(text.startswith("SECOND COURSE") for text in criteria)
    assert criteria["Have measurable disease based on RECIST "].heading is None
    stopped = criteria["Stopped initial treatment with MK-3475 a"]
    assert stopped.heading is not None and "RETREATMENT" in stopped.heading
    assert criteria["Has received prior therapy with vorinost"].heading is None
    # a sentence that names retreatment is still a criterion
    assert _one("Retreatment with radioiodine is not planned").heading is None
    # review of parser 24, a constructed text in capitals: a criterion that names retreatment is no heading over the
    # criteria after it
    capitals = (
        "EXCLUSION CRITERIA:\n\n- NO PRIOR RETREATMENT WITH RADIOACTIVE IODINE WITHIN 6 MONTHS\n"
        "- PRIOR SORAFENIB OR LENVATINIB\n"
    )
    read = [c for c in parse_text(capitals) if c.source == "text"]
    assert [(c.heading, bool(c.facts)) for c in read] == [(None, True), (None, True)]


SETTINGS = [
    # NCT02358031 (L042)
    ("No prior systemic therapy administered in the recurrent or metastatic setting (with the exception of systemic "
     "therapy completed > 6 months prior if given as part of multimodal treatment for locally advanced disease)",
     "Inclusion", FactKind.DISEASE_EXTENT),
    # NCT00728845
    ("No prior cytotoxic chemotherapy or targeted therapy in the advanced or metastatic setting", "Inclusion",
     FactKind.DISEASE_EXTENT),
    # NCT00667953 (L064)
    ("Prior radiotherapy, or prior intratumor injection therapy, to areas of measurable disease that are used as "
     "target indicator lesions, unless progression has occurred at that site",
     "Exclusion", FactKind.MEASURABLE_DISEASE),
]  # fmt: skip


@pytest.mark.parametrize(("text", "section", "kind"), SETTINGS)
def test_a_forbidden_therapys_setting_or_target_is_not_the_patients_disease(
    text: str, section: str, kind: FactKind
) -> None:
    assert not [f for f in _one(text, section).facts if f.kind is kind]


CONDITIONAL_PROGRESSION = [
    # NCT00933426 (L018)
    "Patients on antiandrogens should be discontinued from flutamide, nilutamide or cyproterone acetate for at least 4 "
    "weeks and bicalutamide for 6 weeks. If progression is documented during or after this time interval, patients "
    "are eligible.",
    # NCT00104988
    "If all known sites of disease are within a previously irradiated port, disease progression must be clearly "
    "demonstrated",
    # NCT00293371
    "If improvement after antiandrogen withdrawal is noted, disease progression must be established",
]


@pytest.mark.parametrize("text", CONDITIONAL_PROGRESSION)
def test_a_progression_in_a_condition_is_not_asked_of_everyone(text: str) -> None:
    facts = [f for f in _one(text).facts if f.kind is FactKind.PROGRESSION]
    assert facts and all(f.uncertain for f in facts)


def test_a_progression_asked_of_everyone_stays_required() -> None:
    # NCT00038194's general progression criterion has no condition
    facts = [f for f in _one("Progressive disease after androgen deprivation").facts if f.kind is FactKind.PROGRESSION]
    assert [(f.polarity, f.uncertain) for f in facts] == [(Polarity.REQUIRE, None)]
