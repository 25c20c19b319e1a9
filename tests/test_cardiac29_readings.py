"""cardiac29: a heart condition is asked in the state, rate, grade or class the text tells of it. Found by matching
two profiles with the comorbidities of an older thyroid cancer patient (a controlled paroxysmal atrial fibrillation, a
stable coronary artery disease with a stent) against the tuning texts: each criterion below barred them, and each
asks what a profile does not record. A profile's "stable" or "controlled" status leaves such a condition unknown;
"uncontrolled" or "active" on file still bars it (issue 10, item 3: violated only from a complete reading)."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from matcher.matching.evaluate import Outcome
from tests.readings import item_facts, list_trial
from tests.test_issue10_examples import outcome, patient

UNCONTROLLED_SUCH_AS = (  # NCT00091624 (exclusion)
    "Uncontrolled medical problems such as diabetes mellitus, coronary artery disease, hypertension, unstable angina, "
    "arrhythmias), pulmonary, hepatic and renal diseases unless renal insufficiency is felt to be secondary to "
    "multiple myeloma."
)
SEVERE_OR_UNCONTROLLED_IE = (  # NCT00345189 (exclusion)
    "Concurrent severe or uncontrolled medical disease (i.e., systemic infection, diabetes, hypertension, coronary "
    "artery disease, congestive heart failure)"
)
RATE_IN_BRACKETS = "Presence of atrial fibrillation (ventricular heart rate >100 bpm)"  # NCT00993642 (exclusion)
RATE_WITH = "Atrial fibrillation with heart rate >100 bpm"  # NCT01160926 (exclusion)
STABLE_ALLOWED = (  # NCT02142803 (exclusion)
    "Patients with stable atrial fibrillation are allowed in the study provided they do not meet the other cardiac "
    "exclusion criteria"
)
NOT_EXCLUDED = (  # NCT02244502 (exclusion)
    "History of arrhythmia that is symptomatic or requires treatment. Patients with stable atrial fibrillation or "
    "flutter controlled by medication are not excluded from participation in the trial."
)
GRADE_AFTER_BRACKET = (  # NCT02495233 (exclusion)
    "Participant had ongoing cardiac arrhythmia (including atrial fibrillation) that was grade ≥ 2."
)
ON_NITRATES = "Coronary artery disease on nitrate therapy (including oral sublingual nitrates)"  # NCT00544076
NYHA_BARE = (  # NCT02442739 (exclusion)
    "Severe cardiac insufficiency (NYHA III or IV), with uncontrolled and/or unstable cardiac or coronary artery "
    "disease."
)
NYHA_ABOVE = (  # NCT00715403 (exclusion)
    "Significant cardiovascular diseases (i.e. uncontrolled severe hypertension, unstable angina pectoris, history of "
    "myocardial infarction, congestive heart failure > NYHA II)"
)
ACUTE_CORONARY = "History or presence of acute coronary syndrome,"  # NCT01136499 (exclusion)
WINDOW_BEFORE = (  # NCT01131364 (exclusion)
    "History within the last year of acute or subacute coronary syndromes including myocardial infarction, unstable or "
    "severe stable angina pectoris."
)
VENTRICULAR = "Ventricular arrhythmias requiring anti-arrhythmic therapy."  # NCT00466232 (exclusion)
SYNDROMES = (  # NCT02041481 (exclusion)
    "History of acute coronary syndromes (including myocardial infarction, unstable angina, coronary artery bypass "
    "grafting [CABG], coronary angioplasty, or stenting) < 6 months prior to screening"
)
UNTREATED_EMBOLISM = (  # NCT00436501 (inclusion)
    "No active and/or untreated pulmonary embolism, deep vein thrombosis, or other thromboembolic event (i.e., any "
    "condition associated with aberrant clotting or migration of an induced clot)"
)

STABLE_CAD = {"name": "coronary artery disease, drug-eluting stent 2015", "status": "stable"}
CONTROLLED_AF = {"name": "paroxysmal atrial fibrillation", "status": "controlled"}
ACUTE = {"name": "acute coronary syndrome", "status": "active"}


def _cardiac(line: str) -> object:
    (fact,) = item_facts("Exclusion", line, FactKind.CARDIAC)
    return fact


def _outcome(line: str, *conditions: dict[str, str]) -> Outcome:
    return outcome(list_trial(exclusions=(line,)), line[:20], patient(conditions=list(conditions))).outcome


def test_a_state_told_of_a_list_of_examples_reaches_each() -> None:
    assert _cardiac(UNCONTROLLED_SUCH_AS).values.qualifier == "uncontrolled"
    assert _cardiac(SEVERE_OR_UNCONTROLLED_IE).values.qualifier == "uncontrolled"
    assert _outcome(UNCONTROLLED_SUCH_AS, STABLE_CAD) is Outcome.UNKNOWN
    assert _outcome(SEVERE_OR_UNCONTROLLED_IE, {**STABLE_CAD, "status": "uncontrolled"}) is Outcome.VIOLATED


def test_a_heart_rate_told_of_a_rhythm_is_not_on_file() -> None:
    for line, rate in (
        (RATE_IN_BRACKETS, "with ventricular heart rate >100 bpm"),
        (RATE_WITH, "with heart rate >100 bpm"),
    ):
        fact = _cardiac(line)
        assert (fact.values.qualifier, fact.values.qualified) == (rate, ("atrial fibrillation",))
        assert _outcome(line, CONTROLLED_AF) is Outcome.UNKNOWN
        # nor by "uncontrolled" (cardiac30: a status tells a state, never a heart rate)
        assert _outcome(line, {**CONTROLLED_AF, "status": "uncontrolled"}) is Outcome.UNKNOWN


def test_a_permitted_rhythm_is_no_exclusion_of_it() -> None:
    for line in (STABLE_ALLOWED, NOT_EXCLUDED):
        fact = _cardiac(line)
        assert fact.uncertain is not None and "an exception" in fact.uncertain
        assert _outcome(line, CONTROLLED_AF) is Outcome.UNKNOWN
    assert _cardiac(NOT_EXCLUDED).values.qualified == ("arrhythmia",)  # "that is symptomatic or requires treatment"


def test_a_grade_after_a_bracket_limits_the_whole_list() -> None:
    assert _cardiac(GRADE_AFTER_BRACKET).values.graded == ("cardiac arrhythmia", "atrial fibrillation")
    assert _outcome(GRADE_AFTER_BRACKET, CONTROLLED_AF) is Outcome.UNKNOWN


def test_a_treatment_after_the_condition_is_asked() -> None:
    assert _cardiac(ON_NITRATES).values.qualifier == "on nitrate therapy"
    assert _outcome(ON_NITRATES, STABLE_CAD) is Outcome.UNKNOWN


def test_a_class_named_right_after_nyha_is_read() -> None:
    assert _cardiac(NYHA_BARE).values.nyha_min == 3
    assert _cardiac(NYHA_ABOVE).values.nyha_min == 3  # "> NYHA II"
    assert _outcome(NYHA_BARE, STABLE_CAD) is Outcome.UNKNOWN


def test_an_acute_coronary_syndrome_is_no_coronary_artery_disease() -> None:
    assert _cardiac(ACUTE_CORONARY).values.conditions == ("acute coronary syndrome",)
    assert _outcome(ACUTE_CORONARY, STABLE_CAD) is Outcome.UNKNOWN
    assert _outcome(ACUTE_CORONARY, ACUTE) is Outcome.VIOLATED
    # the plural the text names is the condition a profile names in the singular: found, then unknown by the window
    found = outcome(list_trial(exclusions=(SYNDROMES,)), SYNDROMES[:20], patient(conditions=[ACUTE]))
    assert found.outcome is Outcome.UNKNOWN and found.reason.startswith("acute coronary syndrome on file")
    fact = _cardiac(WINDOW_BEFORE)
    assert fact.uncertain == "a window told in words ('within the last year') is not read"


def test_ventricular_arrhythmias_are_not_every_arrhythmia() -> None:
    assert _cardiac(VENTRICULAR).values.conditions == ("ventricular arrhythmias",)
    atrial = {"name": "atrial arrhythmias", "status": "active"}
    assert _outcome(VENTRICULAR, atrial) is Outcome.UNKNOWN


def test_a_state_told_across_and_or_is_read() -> None:
    (fact,) = item_facts("Inclusion", UNTREATED_EMBOLISM, FactKind.CARDIAC)
    assert fact.values.qualifier == "active"
    embolism = {"name": "pulmonary embolism", "status": "resolved 2022, on anticoagulation"}
    found = outcome(list_trial(UNTREATED_EMBOLISM), "No active", patient(conditions=[embolism]))
    assert found.outcome is Outcome.UNKNOWN
