"""Rules of session 29, from comorbid sample 37's wrong exclusions (mend38): a hepatitis told as acute, of a cause that
is no infection, or treated with a therapy named after it; an antibody told by its kind or by a target after it; a
therapy for a cancer named by its abbreviation ("TCC"); a clearance asked only past the creatinine limit before it,
or that another line of the trial gives as one of two ways in; a heart condition told by a feature after "with". Each
criterion below barred a profile that the text, read as a coordinator would, does not bar: the outcome is now unknown
(or met), and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from typing import Any

from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, match_trial
from matcher.patient import parse_patient
from tests.readings import hint_trial, list_trial
from tests.test_issue10_examples import ON, item_outcome, patient, with_therapies

HBV_CARRIER = {"name": "chronic hepatitis B, inactive carrier", "status": "inactive"}
ACTIVE_HBV = {"name": "chronic hepatitis B", "status": "active, viremic"}
RHEUMATOID = {"name": "rheumatoid arthritis", "status": "stable on methotrexate"}
STABLE_CAD = {"name": "coronary artery disease, drug-eluting stent 2015", "status": "stable"}

NO_ACUTE_HEPATITIS = "No acute hepatitis"  # NCT00467116 (exclusion): CW224
ACTIVE_OR_ACUTE = (  # NCT01694589 (exclusion): CW234
    "Documented cirrhotic liver disease, ongoing alcohol abuse, or known active or acute hepatitis"
)
ALCOHOLIC_AUTOIMMUNE = "Alcoholic and autoimmune hepatitis."  # NCT02442531 (under "Medical history of:"): CW244
INTERFERON_TREATED = (  # NCT00165633 (exclusion 2 (b)): CW220
    "(b) Patients with viral hepatitis treated with interferon preparations within the last 2 years (from the same "
    "day, 6 months earlier to the day of obtaining consent forms)"
)
MURINE_ANTIBODY = "Prior history of anti-cancer murine monoclonal antibody therapy"  # NCT00226941 (exclusion): CW010
EGFR_TARGETING = (  # NCT02383966 (exclusion): CW026
    "Previous treatment with monoclonal antibody or signal transduction inhibitors targeting epidermal growth factor "
    "receptor"
)
ANTIANGIOGENIC_FOR_TCC = (  # NCT02426125 (exclusion): CW396
    "Have received more than one prior antiangiogenic agent (that is, bevacizumab, sorafenib, sunitinib) for TCC of "
    "the urothelium."
)
CREATININE_IF_ABOVE = (  # NCT00621049 (inclusion): CW253
    "Serum creatinine <= 1.5mg/dl (If greater than 1.5, the creatinine clearance, calculated according to the "
    "Cockroft-Gault formula, must be >= 50ml/min)."
)
CAD_WITH_ANGINA = "Coronary artery disease with angina limiting exercise capability"  # NCT02234037 (exclusion): CW050

PEMBROLIZUMAB = {"name": "pembrolizumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}
CETUXIMAB = {"name": "cetuximab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}
CABOZANTINIB = {"name": "cabozantinib", "kind": "systemic", "start": "2026-01-01", "end": "2026-09-20"}


def renal(creatinine: float, clearance: float) -> dict[str, Any]:
    """`patient()` with a creatinine (mg/dL) and a creatinine clearance (mL/min) on file."""
    return patient(
        labs=[
            {"test": "creatinine", "value": creatinine, "unit": "mg/dL", "date": "2026-11-01"},
            {"test": "creatinine clearance", "value": clearance, "unit": "mL/min", "date": "2026-11-01"},
        ]
    )


def test_a_hepatitis_told_acute_does_not_bar_an_inactive_carrier() -> None:
    found = item_outcome(ACTIVE_OR_ACUTE, patient(conditions=[HBV_CARRIER]), "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "whether the hepatitis is active" in found.reason
    assert item_outcome(ACTIVE_OR_ACUTE, patient(conditions=[ACTIVE_HBV]), "exclusion").outcome is Outcome.VIOLATED
    # "acute" alone asks an acute one, which a chronic hepatitis, active or not, is not known to be (mend73, comorbid
    # sample 68's EB298; until then a chronic active one was barred)
    for condition in (HBV_CARRIER, ACTIVE_HBV):
        found = item_outcome(NO_ACUTE_HEPATITIS, patient(conditions=[condition]), "exclusion")
        assert found.outcome is Outcome.UNKNOWN and "whether the hepatitis is acute" in found.reason, condition
    acute = {"name": "acute hepatitis B", "status": "active"}
    assert item_outcome(NO_ACUTE_HEPATITIS, patient(conditions=[acute]), "exclusion").outcome is Outcome.VIOLATED
    # an agent told "acute" inside an aside does not take the list's "active" from the agent after it (the review of
    # rules 58): "... (including acute hepatitis B virus [HBV] or chronic HBV) or hepatitis C virus" (NCT05382559)
    aside = (
        "active hepatitis B (including acute hepatitis B virus [HBV] or chronic HBV) or hepatitis C virus [HCV] (RNA "
        "detected by qualitative assay)"
    )
    inactive_c = {"name": "chronic hepatitis C", "status": "inactive"}
    assert item_outcome(aside, patient(conditions=[inactive_c]), "exclusion").outcome is Outcome.UNKNOWN
    # "chronic or acute" is two ways to have it: the carrier is barred as before
    either = item_outcome("Chronic or acute hepatitis B", patient(conditions=[HBV_CARRIER]), "exclusion")
    assert either.outcome is Outcome.VIOLATED


def test_a_hepatitis_of_a_cause_that_is_no_infection_is_not_a_viral_one() -> None:
    for condition in (HBV_CARRIER, RHEUMATOID):  # CW244's profile has both
        found = item_outcome(ALCOHOLIC_AUTOIMMUNE, patient(conditions=[condition]), "exclusion")
        assert found.outcome is Outcome.UNKNOWN, condition["name"]
    autoimmune = {"name": "autoimmune hepatitis", "status": "on azathioprine"}
    assert item_outcome(ALCOHOLIC_AUTOIMMUNE, patient(conditions=[autoimmune]), "exclusion").outcome is Outcome.VIOLATED
    # a viral cause beside it still names the infection, anywhere in the list (the review of rules 58)
    for both in ("Active viral or autoimmune hepatitis", "History of viral, alcoholic, or autoimmune hepatitis"):
        assert item_outcome(both, patient(conditions=[ACTIVE_HBV]), "exclusion").outcome is Outcome.VIOLATED, both


def test_a_hepatitis_treated_with_a_therapy_named_after_it_bars_only_on_that_therapy() -> None:
    found = item_outcome(INTERFERON_TREATED, patient(conditions=[HBV_CARRIER]), "exclusion")
    assert found.outcome is Outcome.UNKNOWN and "the trial bars interferon preparations for hepatitis" in found.reason
    on_interferon = {"name": "chronic hepatitis B", "status": "treated with interferon until 2025"}
    barred = item_outcome(INTERFERON_TREATED, patient(conditions=[on_interferon]), "exclusion")
    assert barred.outcome is Outcome.VIOLATED
    # HIV "actively being treated with highly active anti-retroviral therapy (HAART)" (NCT02168270) bars an HIV
    # controlled on it; the trial's reason for a bar ("... because ... when treated with marrow-suppressive therapy",
    # NCT00758693) is no treatment of the infection (the review of rules 58)
    hiv = {"name": "HIV infection, viral load undetectable", "status": "controlled on antiretroviral therapy"}
    for line in (
        "Known human immunodeficiency virus (HIV)-positivity AND actively being treated with highly active "
        "anti-retroviral therapy (HAART)",
        "HIV-positive patients are ineligible because these patients are at increased risk of lethal infections when "
        "treated with marrow-suppressive therapy.",
    ):
        assert item_outcome(line, patient(conditions=[hiv]), "exclusion").outcome is Outcome.VIOLATED, line
    # a treatment that lets the infection in, or one the text asks not to have been given, is no such bar (the
    # review of rules 58)
    for line in (
        "Hepatitis B infection unless treated with entecavir",
        "Hepatitis B infection unless adequately treated with entecavir",
        "Hepatitis B not previously treated with interferon",
    ):
        assert item_outcome(line, patient(conditions=[ACTIVE_HBV]), "exclusion").outcome is Outcome.VIOLATED, line


def test_an_antibody_told_by_its_kind_or_a_target_after_it_is_not_every_antibody() -> None:
    found = item_outcome(MURINE_ANTIBODY, with_therapies(PEMBROLIZUMAB), "exclusion")  # CW010
    assert found.outcome is Outcome.UNKNOWN and "antibody of one target or kind (murine)" in found.reason
    found = item_outcome(EGFR_TARGETING, with_therapies(PEMBROLIZUMAB), "exclusion")  # CW026
    assert found.outcome is Outcome.UNKNOWN and "targeting epidermal growth factor receptor" in found.reason
    # cetuximab, an EGFR antibody, is not told apart either (the reading is uncertain, never a wrong bar)
    assert item_outcome(EGFR_TARGETING, with_therapies(CETUXIMAB), "exclusion").outcome is Outcome.UNKNOWN
    bare = "Prior history of anti-cancer monoclonal antibody therapy"
    assert item_outcome(bare, with_therapies(PEMBROLIZUMAB), "exclusion").outcome is Outcome.VIOLATED


def test_a_therapy_for_tcc_is_another_cancers() -> None:
    two = patient(therapies=[*patient()["therapies"], CABOZANTINIB])  # lenvatinib and cabozantinib
    found = item_outcome(ANTIANGIOGENIC_FOR_TCC, two, "exclusion")  # CW396
    assert found.outcome is Outcome.UNKNOWN and "a therapy for another cancer ('TCC')" in found.reason
    mine = "Have received more than one prior antiangiogenic agent (that is, bevacizumab, sorafenib, sunitinib)."
    assert item_outcome(mine, two, "exclusion").outcome is Outcome.VIOLATED


def test_a_clearance_asked_only_past_the_creatinine_limit_is_the_other_way_in() -> None:
    assert item_outcome(CREATININE_IF_ABOVE, renal(1.4, 48)).outcome is Outcome.SATISFIED  # CW253
    assert item_outcome(CREATININE_IF_ABOVE, renal(1.7, 55)).outcome is Outcome.SATISFIED
    assert item_outcome(CREATININE_IF_ABOVE, renal(1.7, 48)).outcome is Outcome.VIOLATED


def test_a_limit_another_line_gives_as_one_of_two_ways_in_is_read_with_the_other_way() -> None:
    trial = hint_trial("NCT00003298")  # "Creatinine clearance greater than 50 mL/min" and, for re-registration,
    # "creatinine ≤ 1.5 mg/dl or creatinine clearance of > 50 ml/min ... and total serum bilirubin < 2 mg/dl"
    kb = load_knowledge()

    def lines(creatinine: float, clearance: float) -> dict[str, Outcome]:
        found = match_trial(*trial, parse_patient(renal(creatinine, clearance)).patient, ON, kb)
        wanted = ("Creatinine clearance greater", "Creatinine no greater", "WBC ≥ 4000")
        return {w: r.outcome for r in found.results for w in wanted if r.criterion.display_text.startswith(w)}

    met = Outcome.SATISFIED
    # CW349: the creatinine meets both lines (the re-registration line asks counts not on file: unknown)
    assert lines(1.3, 41) == {
        "Creatinine clearance greater": met,
        "Creatinine no greater": met,
        "WBC ≥ 4000": Outcome.UNKNOWN,
    }
    assert set(lines(1.8, 41).values()) == {Outcome.VIOLATED}  # neither way: every line still bars (CV093)
    # the re-registration line's bilirubin is asked with "and", not as a third way in
    neither = match_trial(*trial, parse_patient(renal(1.8, 41)).patient, ON, kb)
    (line,) = [r for r in neither.results if r.criterion.display_text.startswith("WBC ≥ 4000")]
    bilirubin = [f for f in line.criterion.facts if getattr(f.values, "lab", None) == "lab.bilirubin_total"]
    assert [getattr(f.values, "alternative", None) for f in bilirubin] == [False]


def test_a_heart_condition_told_by_a_feature_after_with_is_not_the_bare_condition() -> None:
    found = item_outcome(CAD_WITH_ANGINA, patient(conditions=[STABLE_CAD]), "exclusion")  # CW050
    assert found.outcome is Outcome.UNKNOWN and "with angina limiting exercise capability" in found.reason
    bare = "Coronary artery disease"
    assert item_outcome(bare, patient(conditions=[STABLE_CAD]), "exclusion").outcome is Outcome.VIOLATED


def test_an_autoimmune_disease_the_text_names_is_that_disease() -> None:
    # "History of or current active autoimmune diseases, including ... rheumatoid arthritis, ..." (NCT02275416) bars a
    # rheumatoid arthritis on file (it had been barred only through her hepatitis B, the wrong reason)
    listed = (
        "History of or current active autoimmune diseases, including but not limited to inflammatory bowel diseases, "
        "rheumatoid arthritis, autoimmune thyroiditis, autoimmune hepatitis, systemic sclerosis (scleroderma and "
        "variants), systemic lupus erythematosus, autoimmune vasculitis. Patients with vitiligo are not excluded."
    )
    found = item_outcome(listed, patient(conditions=[RHEUMATOID]), "exclusion")
    assert found.outcome is Outcome.VIOLATED and found.reason == "rheumatoid arthritis on file"
    # a lupus anticoagulant, or a discoid lupus, on file is no systemic lupus (the review of rules 58)
    for name in ("lupus anticoagulant positive", "discoid lupus"):
        other = patient(conditions=[{"name": name, "status": "active"}])
        found = item_outcome("Systemic lupus erythematosus", other, "exclusion")
        assert found.outcome is Outcome.UNKNOWN, name


def test_a_named_disease_told_by_a_state_or_a_treatment_for_it_is_not_the_bare_disease() -> None:
    # the review of rules 58: each of these had barred a rheumatoid arthritis on file as named
    for line in (
        "Severe rheumatoid arthritis.",  # NCT01131364
        "No rheumatoid arthritis or systemic lupus erythematosus requiring active treatment",  # NCT00765765
        "No concurrent treatment for rheumatoid arthritis or systemic lupus erythematosus",  # NCT00728845
        "Patients with diabetes on a different agent or patients with rheumatoid arthritis taking hydroxychloroquine "
        "(Plaquenil)",  # NCT02339168
        "Subjects who require antifolate therapy for the management of comorbid conditions (e.g., rheumatoid "
        "arthritis) will be excluded from the trial.",  # NCT00722592
    ):
        assert item_outcome(line, patient(conditions=[RHEUMATOID]), "exclusion").outcome is Outcome.UNKNOWN, line
    severe = {"name": "rheumatoid arthritis", "status": "severe, erosive"}
    found = item_outcome("Severe rheumatoid arthritis.", patient(conditions=[severe]), "exclusion")
    assert found.outcome is Outcome.VIOLATED


def test_a_feature_after_with_written_in_the_condition_on_file_is_met() -> None:
    hfref = {"name": "heart failure with reduced ejection fraction", "status": "stable"}
    line = "Heart failure with reduced ejection fraction"
    assert item_outcome(line, patient(conditions=[hfref]), "exclusion").outcome is Outcome.VIOLATED
    hfpef = {"name": "heart failure with preserved ejection fraction", "status": "stable"}
    assert item_outcome(line, patient(conditions=[hfpef]), "exclusion").outcome is Outcome.UNKNOWN


def test_another_lines_way_in_is_taken_only_as_two_ways_of_two_tests() -> None:
    # the review of rules 58: a line of three alternatives ("Total serum calcium (corrected for serum albumin) or
    # ionized calcium ≥ LLN", NCT00993642) gives the albumin line no other way in, and a line that asks both tests with
    # "and" stays as read
    kb = load_knowledge()
    albumin = patient(
        labs=[
            {"test": "albumin", "value": 2.5, "unit": "g/dL", "date": "2026-11-01"},
            {"test": "calcium", "value": 9.5, "unit": "mg/dL", "date": "2026-11-01"},
        ]
    )
    trial = list_trial(
        "Serum albumin ≥ 3 g/dl", "Total serum calcium (corrected for serum albumin) or ionized calcium ≥ 8.5 mg/dL"
    )
    found = match_trial(*trial, parse_patient(albumin).patient, ON, kb)
    (line,) = [r for r in found.results if r.criterion.display_text.startswith("Serum albumin")]
    assert line.outcome is Outcome.VIOLATED
    both = list_trial(
        "Serum creatinine ≤ 1.5 mg/dL and creatinine clearance ≥ 60 mL/min",
        "Creatinine ≤ 1.5 mg/dL or creatinine clearance ≥ 60 mL/min within 14 days of registration",
    )
    found = match_trial(*both, parse_patient(renal(1.3, 45)).patient, ON, kb)
    (line,) = [r for r in found.results if r.criterion.display_text.startswith("Serum creatinine ≤ 1.5")]
    assert line.outcome is Outcome.VIOLATED and len(line.criterion.facts) == 2
