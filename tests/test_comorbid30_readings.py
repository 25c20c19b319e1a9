"""Rules found with six more comorbid profiles (session 24): a heart failure's class, state, treatment or ejection
fraction (cardiac30); a condition's state ("active inflammatory bowel disease") or cause (cond30); another cancer told
as what a therapy or study is of, or asked only when it needs treatment (malig30); an organ's toxicity of a prior
therapy (tox30); lines of therapy given for another disease (count30); an uncontrolled infection's examples, a
permission and a condition on an infection (infect30). Each criterion below barred a profile that the text, read as a
coordinator would, does not bar: the outcome is now unknown, and the profile the text does bar is still barred (issue
10, item 3: violated only from a complete reading)."""

from __future__ import annotations

from typing import Any

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_facts, list_trial
from tests.test_issue10_examples import outcome, patient

# --- cardiac30 ------------------------------------------------------------------------------------------------------
CLASS_BARE = "Congestive heart failure, class IV"  # NCT00395863 (exclusion)
NY_HEART = "CHF NY Heart Association class III or IV"  # NCT01130662 (exclusion)
UNCOMPENSATED = "Unstable angina and uncompensated congestive heart failure (Zubrod of 3 or greater)."  # NCT00579111
REFRACTORY = (  # NCT02348489 (exclusion)
    "Refractory congestive heart failure unresponsive to medical treatment; active infection resistant to all "
    "antibiotics; or advanced pulmonary disease requiring >2 liters per minute (LPM) oxygen."
)
EF_BRACKET = "Heart failure (EF < 55%)."  # NCT00306813 (exclusion)
ABBREVIATED = "Subjects with a history of congestive heart failure (CHF) requiring medical therapy."  # NCT00333502
CURRENTLY = "Congestive heart failure (CHF) currently requiring therapy."  # NCT03511222 (exclusion, a sub-item)
MEDICATIONS_FOR = (  # NCT00446030 (exclusion, a sub-item)
    "Were currently receiving medications administered for cardiac arrhythmia, angina or congestive heart failure "
    "(e.g., digitalis, beta-blockers, calcium channel-blockers), that alter cardiac conduction, unless the medications "
    "were administered for other reasons (e.g., hypertension)"
)
RIGHT_HEART = (  # NCT02442531 (exclusion, a sub-item)
    "Ischemic hepatitis, Cardiovascular dysfunction or impaired liver oxygenation, including hypotension or right "
    "heart failure."
)
HFPEF = {"name": "heart failure with preserved ejection fraction, NYHA class II", "status": "stable"}

# --- cond30 ---------------------------------------------------------------------------------------------------------
ACTIVE_IBD = "Patients with active inflammatory bowel disease"  # NCT00048893 (exclusion)
UNCONTROLLED_EG = (  # NCT00265876 (exclusion)
    "No uncontrolled inflammatory gastrointestinal (GI) disease (e.g., Crohn's disease or ulcerative colitis)"
)
THAT_IS = (  # NCT02782182 (exclusion)
    "Inflammatory bowel disease that is uncontrolled or on active treatment (Crohn's disease, ulcerative colitis)."
)
ACTIVE_OR_HISTORY = (  # NCT02716805 (exclusion)
    "Active or history of inflammatory bowel disease (colitis, Crohn's), celiac disease, or other serious, chronic, "
    "gastrointestinal conditions associated with diarrhea."
)
REFRACTORY_NAUSEA = (  # NCT01016860 (exclusion)
    "Refractory nausea and vomiting, chronic gastrointestinal diseases (e.g. inflammatory bowel disease), or "
    "significant bowel resection that would preclude adequate absorption"
)
OR_A_HISTORY = (  # NCT03511222 (exclusion)
    "Active autoimmune disease or history of autoimmune disease that might recur"
)
DUE_TO = (  # NCT02155465 (exclusion)
    "Patients with ≥ grade 2 or greater diarrhea despite maximal medical management due to medications or a medical "
    "condition such as Crohn's disease, malabsorption."
)
CONSEQUENCE = (  # NCT02588261 (exclusion)
    "Subject has difficulty taking oral medication or any digestive tract dysfunction or inflammatory bowel disease "
    "that would interfere with the intestinal absorption of drug."
)
CATCH_ALL = (  # NCT02389842 (exclusion, its first sentence)
    "History of malabsorption syndrome or other condition that would interfere with enteral absorption."
)
CROHN = {"name": "Crohn's disease", "status": "in remission on adalimumab"}
AUTOIMMUNE = {"name": "autoimmune thyroiditis", "status": "controlled"}

# --- malig30 --------------------------------------------------------------------------------------------------------
CHEMOTHERAPY_FOR = "No prior chemotherapy for a different prior malignancy"  # NCT00003382 (exclusion, a sub-item)
CHEST_WALL = (  # NCT00365365 (exclusion)
    "Prior radiation therapy for breast cancer or any radiotherapy to the chest wall for any other malignancy."
)
CANCER_TREATMENT = "No prior cancer treatment that would preclude study treatment"  # NCT00436501 (inclusion)
PREVENTION_STUDY = "No prior or concurrent participation in any other cancer prevention study"  # NCT00096369
ASSOCIATED = "No parathyroid disorder or history of malignancy associated hypercalcemia"  # NCT00147550 (inclusion)
CAUSED_BY = "Patients diagnosed with MBO caused by malignancy other than primary ovarian cancer."  # NCT01083537
REQUIRING = "Second malignancy currently requiring active therapy"  # NCT02273388 (exclusion)
RECEIVING = (  # NCT00322608 (exclusion)
    "Concurrent, active second malignancy for which the patient is receiving therapy, excluding basal cell carcinoma "
    "of the skin or carcinoma in situ of the cervix"
)
OTHER_ACTIVE = "No other active malignancy except nonmelanoma skin cancer"  # NCT00100971 (inclusion)
CLL = {"name": "chronic lymphocytic leukemia, Rai stage 0, untreated, watch and wait", "status": "stable"}
ON_ADT = {"name": "prostate cancer, Gleason 7, on androgen deprivation therapy", "status": "active"}

# --- tox30, count30, infect30 ---------------------------------------------------------------------------------------
NEUROTOXICITY = (  # NCT00102635 (exclusion)
    "Patient has grade 3 or 4 neurotoxicity from previous anticancer treatment or significant neuropathy from any "
    "cause."
)
ONE_LINE = "No more than one prior line of systemic therapy"  # NCT01736878 (inclusion)
ONE_OR_TWO_LINES = (  # NCT02708680 (inclusion)
    "Has received at least 1, but no more than 2, prior lines of systemic therapy for locally recurrent and/or "
    "metastatic disease."
)
UNCONTROLLED_INCLUDING = (
    "No clinically uncontrolled infectious disease including HIV or AIDS-related illness"  # NCT00091572
)
NOT_EXCLUDED = (  # NCT00904423 (exclusion)
    "3.2.8 This study is designed to study women after completing primary therapy for breast cancer. Survivors of "
    "previous cancers and HIV-positive subjects will not be excluded."
)
ONLY_IF = (  # NCT03353753 (exclusion)
    "Known human immunodeficiency virus or hepatitis C infection only if the patient is taking medications that are "
    "excluded per protocol, active hepatitis B, or active hepatitis C infection."
)
HOUSEHOLD = (  # NCT02630368 (exclusion)
    "Household contact exclusions for patients enrolled: children< 1 year old ; People with skin disease (e.g., "
    "eczema, atopic dermatitis and related diseases…), Immunocompromised hosts (severe deficiencies in cell-mediated "
    "immunity, including AIDS, organ transplant recipients, hematologic malignancies)"
)
HIV = {"name": "HIV infection, viral load undetectable", "status": "controlled on antiretroviral therapy"}


def _fact(line: str, kind: FactKind, section: str = "Exclusion") -> Any:
    (fact,) = item_facts(section, line, kind)
    return fact


def _outcome(line: str, doc: dict[str, Any], section: str = "exclusion") -> Outcome:
    trial = list_trial(exclusions=(line,)) if section == "exclusion" else list_trial(line)
    return outcome(trial, line[:20], doc).outcome


def _with(*conditions: dict[str, str]) -> dict[str, Any]:
    return patient(conditions=list(conditions))


def test_a_heart_failure_class_without_the_classification_name_is_read() -> None:
    assert _fact(CLASS_BARE, FactKind.CARDIAC).values.nyha_min == 4
    assert _fact(NY_HEART, FactKind.CARDIAC).values.nyha_min == 3
    for line in (CLASS_BARE, NY_HEART):
        assert _outcome(line, _with(HFPEF)) is Outcome.UNKNOWN  # a profile records no class


def test_a_heart_failure_state_treatment_or_ejection_fraction_is_asked() -> None:
    for line, qualifier in (
        (UNCOMPENSATED, "uncompensated"),
        (REFRACTORY, "refractory"),
        (EF_BRACKET, "with EF < 55%"),
        (ABBREVIATED, "requiring medical therapy"),
        (CURRENTLY, "currently requiring therapy"),
        (MEDICATIONS_FOR, "treated with medication"),
    ):
        assert _fact(line, FactKind.CARDIAC).values.qualifier == qualifier, line
        assert _outcome(line, _with(HFPEF)) is Outcome.UNKNOWN, line
    # the abbreviation in brackets is its long form's, qualified with it
    assert _fact(ABBREVIATED, FactKind.CARDIAC).values.qualified == ("congestive heart failure", "chf")
    decompensated = {**HFPEF, "status": "decompensated"}
    assert _outcome(UNCOMPENSATED, _with(decompensated)) is Outcome.VIOLATED
    assert _outcome(REFRACTORY, _with({**HFPEF, "status": "refractory"})) is Outcome.VIOLATED


def test_right_heart_failure_is_not_any_heart_failure() -> None:
    assert _fact(RIGHT_HEART, FactKind.CARDIAC).values.conditions == ("right heart failure",)
    assert _outcome(RIGHT_HEART, _with(HFPEF)) is Outcome.UNKNOWN


def test_a_condition_asked_in_a_state_needs_the_state_on_file() -> None:
    for line, state in ((ACTIVE_IBD, "active"), (UNCONTROLLED_EG, "uncontrolled"), (THAT_IS, "uncontrolled")):
        fact = _fact(line, FactKind.CONDITION)
        assert fact.values.state == state and fact.values.qualified == fact.values.conditions, line
        assert _outcome(line, _with({**CROHN, "status": "active"})) is Outcome.VIOLATED, line
    for line in (ACTIVE_IBD, UNCONTROLLED_EG):
        assert _outcome(line, _with(CROHN)) is Outcome.UNKNOWN, line
    # a state told of one alternative leaves the other barred as named
    bleeding = "Evidence of active bleeding or bleeding diathesis"  # NCT01012362 (exclusion)
    assert _fact(bleeding, FactKind.CONDITION).values.qualified == ()
    assert _outcome(bleeding, _with({"name": "bleeding disorder", "status": "stable"})) is Outcome.VIOLATED


def test_no_state_where_the_text_bars_the_condition_as_named() -> None:
    # "Active or history of": any history; "Refractory nausea and vomiting, chronic gastrointestinal diseases (e.g.
    # ...)": the state is the nausea's; "or history of autoimmune disease that might recur": any history
    assert _fact(ACTIVE_OR_HISTORY, FactKind.CONDITION).values.state is None
    assert _outcome(ACTIVE_OR_HISTORY, _with(CROHN)) is Outcome.VIOLATED
    assert _fact(REFRACTORY_NAUSEA, FactKind.CONDITION).values.state is None
    assert _fact(OR_A_HISTORY, FactKind.CONDITION).values.state is None
    assert _outcome(OR_A_HISTORY, _with(AUTOIMMUNE)) is Outcome.VIOLATED


def test_a_consequence_asked_of_the_condition_is_not_on_file() -> None:
    for line in (CONSEQUENCE, REFRACTORY_NAUSEA):  # "... that would interfere / preclude ... absorption"
        fact = _fact(line, FactKind.CONDITION)
        assert fact.uncertain is not None and fact.uncertain.startswith("a consequence asked of the condition"), line
        assert _outcome(line, _with(CROHN)) is Outcome.UNKNOWN, line
    # a catch-all item owns its clause: the malabsorption is barred as named
    assert _fact(CATCH_ALL, FactKind.CONDITION).uncertain is None


def test_crohn_s_disease_is_no_ulcerative_colitis() -> None:
    assert _fact("Ulcerative colitis", FactKind.CONDITION).values.conditions == ("ulcerative colitis",)
    assert _outcome("Ulcerative colitis", _with(CROHN)) is Outcome.UNKNOWN  # NCT02048813 (exclusion, a sub-item)


def test_a_condition_told_as_a_cause_is_not_what_is_excluded() -> None:
    fact = _fact(DUE_TO, FactKind.CONDITION)
    assert fact.uncertain == "a condition told as the cause of another ('due to') is not read"
    assert _outcome(DUE_TO, _with(CROHN)) is Outcome.UNKNOWN


def test_another_cancer_told_as_what_a_therapy_or_study_is_of_is_not_read() -> None:
    for line, section in (
        (CHEMOTHERAPY_FOR, "exclusion"),
        (CHEST_WALL, "exclusion"),
        (CANCER_TREATMENT, "inclusion"),
        (PREVENTION_STUDY, "inclusion"),
        (ASSOCIATED, "inclusion"),
        (CAUSED_BY, "exclusion"),
    ):
        fact = _fact(line, FactKind.OTHER_MALIGNANCY, section.capitalize())
        assert fact.uncertain is not None and fact.uncertain.startswith("another cancer told as what"), line
        assert _outcome(line, _with(CLL), section) is Outcome.UNKNOWN, line


def test_another_cancer_asked_only_when_it_needs_treatment() -> None:
    for line in (REQUIRING, RECEIVING):
        assert _fact(line, FactKind.OTHER_MALIGNANCY).values.under_treatment, line
        assert _outcome(line, _with(CLL)) is Outcome.UNKNOWN, line  # watch and wait
        assert _outcome(line, _with(ON_ADT)) is Outcome.VIOLATED, line  # its name says it is treated now
    # an active other cancer is barred as before
    assert _outcome(OTHER_ACTIVE, _with(CLL), "inclusion") is Outcome.VIOLATED


def test_a_toxicity_of_one_organ_is_no_count_of_prior_therapies() -> None:
    assert item_facts("Exclusion", NEUROTOXICITY, FactKind.PRIOR_THERAPY) == []


def _lines(*therapies: dict[str, str], conditions: tuple[dict[str, str], ...] = ()) -> dict[str, Any]:
    kept = [t for t in patient()["therapies"] if t["kind"] != "systemic"]  # diagnosed 2018-05-02, lenvatinib kept
    lenvatinib = next(t for t in patient()["therapies"] if t["name"] == "lenvatinib")
    return patient(therapies=[*kept, lenvatinib, *therapies], conditions=list(conditions))


TAMOXIFEN = {"name": "tamoxifen", "kind": "systemic", "start": "2009-08-01", "end": "2014-08-01"}
LEUPROLIDE = {"name": "leuprolide", "kind": "systemic", "start": "2020-09-01"}
SORAFENIB = {"name": "sorafenib", "kind": "systemic", "start": "2019-01-01", "end": "2020-12-01"}
BREAST = {"name": "breast cancer, stage I, 2009", "status": "resolved"}


def test_lines_for_another_disease_leave_a_line_count_undecided() -> None:
    for line in (ONE_LINE, ONE_OR_TWO_LINES):
        extra = (TAMOXIFEN,) if line is ONE_LINE else (TAMOXIFEN, SORAFENIB)
        found = outcome(list_trial(line), line[:20], _lines(*extra, conditions=(BREAST,)))
        assert found.outcome is Outcome.UNKNOWN, line
        assert "tamoxifen ended 2014-08-01, before the thyroid cancer was diagnosed (2018-05-02)" in found.reason
    assert _outcome(ONE_LINE, _lines(LEUPROLIDE, conditions=(ON_ADT,)), "inclusion") is Outcome.UNKNOWN
    # two thyroid cancer lines, or an unknown drug without another cancer on file: counted as before
    assert _outcome(ONE_LINE, _lines(SORAFENIB), "inclusion") is Outcome.VIOLATED
    assert _outcome(ONE_LINE, _lines(LEUPROLIDE), "inclusion") is Outcome.VIOLATED


def test_an_uncontrolled_infection_s_examples_are_asked_uncontrolled() -> None:
    assert _fact(UNCONTROLLED_INCLUDING, FactKind.INFECTION, "Inclusion").values.active == ("HIV", "AIDS")
    assert _outcome(UNCONTROLLED_INCLUDING, _with(HIV), "inclusion") is Outcome.UNKNOWN
    assert _outcome(UNCONTROLLED_INCLUDING, _with({**HIV, "status": "uncontrolled"}), "inclusion") is Outcome.VIOLATED


def test_an_infection_let_in_or_excluded_on_a_condition_does_not_bar() -> None:
    assert item_facts("Exclusion", NOT_EXCLUDED, FactKind.INFECTION) == []
    assert _fact(ONLY_IF, FactKind.INFECTION).uncertain == "a condition on the infection ('only if' ...) is not read"
    for line in (NOT_EXCLUDED, ONLY_IF, HOUSEHOLD):
        assert _outcome(line, _with(HIV)) is not Outcome.VIOLATED, line


# --- mends after comorbid sample 30 and the review of the change (RULES_VERSION 50) --------------------------------
JUDGED = (  # NCT02275416 (exclusion; CN002)
    "History of another malignancy that in the opinion of the investigator may compromise the outcome of the study"
)
HORMONAL_EXCEPTED = (
    "Patients with second malignancy requiring active treatment (except hormonal therapy)"  # NCT00345189
)
PROGRESSING_OR = (  # NCT02256436 (exclusion)
    "Known additional malignancy that is progressing or requires active treatment with the exception of basal cell "
    "carcinoma of the skin"
)
NO_AIDS = "No known AIDS"  # NCT00423293 (inclusion; CN126)
GARBLED_ULN = "Creatinine < or = 1.5 mg/dL x ULN"  # NCT00667420 (inclusion, a sub-item; CN079)
UNREAD_UNIT_OR = (  # NCT01313429 (inclusion, a sub-item; CN018)
    "Serum creatinine less than or equal to 1.6 mg/ml or the creatinine clearance must be greater than 70 "
    "ml/min/1.73m(2)."
)
SYMPTOMATIC_CHF = "No symptomatic congestive heart failure"  # NCT00026299 (inclusion)
RATE = "Atrial fibrillation with heart rate >100 bpm"  # NCT01160926 (exclusion)


def test_another_cancer_judged_or_with_a_treatment_excepted_is_not_read() -> None:
    assert _outcome(JUDGED, _with(CLL)) is Outcome.UNKNOWN
    assert _outcome(HORMONAL_EXCEPTED, _with(ON_ADT)) is Outcome.UNKNOWN
    assert _fact(PROGRESSING_OR, FactKind.OTHER_MALIGNANCY).values.under_treatment
    assert _outcome(PROGRESSING_OR, _with(CLL)) is Outcome.UNKNOWN


def test_aids_is_no_hiv_infection() -> None:
    assert _fact(NO_AIDS, FactKind.INFECTION, "Inclusion").values.agents == ("AIDS",)
    assert _outcome(NO_AIDS, _with(HIV), "inclusion") is Outcome.UNKNOWN
    assert _outcome(NO_AIDS, _with({"name": "HIV/AIDS", "status": "active"}), "inclusion") is Outcome.VIOLATED


def _labs(*labs: tuple[str, float, str]) -> dict[str, Any]:
    return patient(
        labs=[{"test": t, "value": v, "unit": u, "date": "2026-11-04", "upper_limit": 1.3} for t, v, u in labs]
    )


def test_a_garbled_limit_and_an_alternative_past_an_unread_unit() -> None:
    creatinine, clearance = ("creatinine", 1.7, "mg/dL"), ("creatinine clearance", 41.0, "mL/min")
    assert _outcome(GARBLED_ULN, _labs(creatinine), "inclusion") is Outcome.UNKNOWN
    # creatinine 1.3 within 1.6 (mg/ml, no unit read): one alternative may be met, so the low clearance excludes nothing
    assert _outcome(UNREAD_UNIT_OR, _labs(("creatinine", 1.3, "mg/dL"), clearance), "inclusion") is not Outcome.VIOLATED
    assert all(f.values.alternative for f in item_facts("Inclusion", UNREAD_UNIT_OR, FactKind.LAB))


def test_a_status_present_now_or_negated_is_no_state() -> None:
    ongoing = {"name": "congestive heart failure", "status": "ongoing, NYHA I"}
    assert _outcome(SYMPTOMATIC_CHF, _with(ongoing), "inclusion") is Outcome.UNKNOWN
    assert _outcome(SYMPTOMATIC_CHF, _with({**ongoing, "status": "symptomatic"}), "inclusion") is Outcome.VIOLATED
    # a heart rate is never on file, whatever the status
    assert _outcome(RATE, _with({"name": "atrial fibrillation", "status": "uncontrolled"})) is Outcome.UNKNOWN
    assert _outcome(ACTIVE_IBD, _with({**CROHN, "status": "not active"})) is Outcome.UNKNOWN
