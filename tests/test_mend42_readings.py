"""Rules of session 30 (mend42), from the ten wrong exclusions samples 38, 40 and 41 left open: a therapy ban "for
this cancer"; a "chronic" therapy as a current one; an antibody's target with its number apart ("anti-CTLA 4"); a
hepatitis asked active by "clinically significant", by the active disease it is an example of, by a lead-in that asks
its items grave, or by a viremia after a list of its types; an infection told by its load in other spellings
("HBV-DNA > 2000"); "coronary occlusion" as an event; a heart disease told as the company of a graded lipid disorder.
Each criterion below barred a profile that the text, read as a coordinator would, does not bar: the outcome is now
unknown (or met), and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from typing import Any

from matcher.eligibility.parser import parse_text
from matcher.matching.evaluate import Outcome
from tests.readings import list_trial
from tests.test_issue10_examples import item_outcome, outcome, patient
from tests.test_mend38_readings import STABLE_CAD
from tests.test_mend41_readings import ACTIVE_HBV, CARRIER

FOR_THIS_CANCER = "No other concurrent anticancer agents or therapies for this cancer."  # NCT01851408: CX162, CZ153
CHRONIC = "No chronic systemic immune therapy"  # NCT00969306, NCT01575782 (exclusion): CZ030, DA038
ANTI_CTLA4 = "No prior treatment with anti-CTLA 4 monoclonal antibody"  # NCT00702923 (exclusion): DA028
ANTI_PD1 = (  # NCT02580058 (exclusion): the same spacing of other targets
    "Prior therapy with an anti PD 1, anti PD L1, anti PD L2, anti CD137, or anti cytotoxic T lymphocyte associated "
    "antigen 4 (CTLA 4) antibody"
)
ACTIVE_HEPATIC = "Active hepatic disease (hepatitis, cirrhosis)"  # NCT02066454 (exclusion): DA237
SIGNIFICANT = (  # NCT01062230 (exclusion): CZ237
    "Clinically significant hepatic dysfunction as noted by bilirubin or AST > 3 times the upper normal limit or "
    "clinically significant concurrent hepatitis."
)
SERIOUS_LEAD = "No serious illnesses or medical conditions, including any of the following:"  # NCT00424164: CZ234
OCCLUSION = (  # NCT00571116 (exclusion): DA064
    "Subjects with severe myocardial disease or coronary occlusion, psychoses, and hypersensitivity to disulfiram or "
    "other thiuram derivatives used in pesticides and rubber vulcanization are excluded from the study."
)
LIPIDS = (  # NCT00674414 (exclusion): DA068
    "No hypercholesterolemia/hypertriglyceridemia ≥ grade 2 with history of coronary artery disease (despite "
    "lipid-lowering treatment if given)"
)

PROSTATE = {"name": "prostate cancer, Gleason 7, on androgen deprivation therapy", "status": "active"}
LEUPROLIDE = {"name": "leuprolide", "kind": "systemic", "start": "2020-09-01"}
LENVATINIB_NOW = {"name": "lenvatinib", "kind": "systemic", "start": "2025-01-10"}


def _therapies(*more: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": "total thyroidectomy", "kind": "surgery", "start": "2018-06-01"},
        {"name": "radioactive iodine", "kind": "radioiodine", "start": "2018-08-01"},
        *more,
    ]


def _under_lead(item: str, doc: dict[str, Any]) -> Outcome:
    info, _ = list_trial(exclusions=(item,))
    text = f"Exclusion Criteria:\n\n- {SERIOUS_LEAD}\n\n  - {item}\n\n  - Cirrhosis\n"
    return outcome((info, tuple(parse_text(text))), item, doc).outcome


def test_a_ban_for_this_cancer_does_not_count_another_cancers_therapy() -> None:
    on_adt = patient(conditions=[PROSTATE], therapies=_therapies(LEUPROLIDE))
    found = item_outcome(FOR_THIS_CANCER, on_adt, "exclusion")  # CX162, CZ153
    assert found.outcome is Outcome.UNKNOWN and "what those therapies were for" in (found.missing or "")
    on_lenvatinib = patient(conditions=[PROSTATE], therapies=_therapies(LEUPROLIDE, LENVATINIB_NOW))
    assert item_outcome(FOR_THIS_CANCER, on_lenvatinib, "exclusion").outcome is Outcome.VIOLATED
    # without "for this cancer" any concurrent anticancer therapy is barred, whatever cancer it treats
    anywhere = "No other concurrent anticancer agents or therapies."
    assert item_outcome(anywhere, on_adt, "exclusion").outcome is Outcome.VIOLATED


def test_a_chronic_therapy_is_one_given_now() -> None:
    past = {"name": "pembrolizumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}
    assert item_outcome(CHRONIC, patient(therapies=_therapies(past)), "exclusion").outcome is Outcome.SATISFIED
    now = {"name": "pembrolizumab", "kind": "systemic", "start": "2025-02-01"}
    assert item_outcome(CHRONIC, patient(therapies=_therapies(now)), "exclusion").outcome is Outcome.VIOLATED


def test_an_antibody_target_with_its_number_apart() -> None:
    pembrolizumab = {"name": "pembrolizumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}
    ipilimumab = {"name": "ipilimumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}
    on_pd1 = patient(therapies=_therapies(pembrolizumab))
    assert item_outcome(ANTI_CTLA4, on_pd1, "exclusion").outcome is Outcome.SATISFIED  # DA028
    assert item_outcome(ANTI_CTLA4, patient(therapies=_therapies(ipilimumab)), "exclusion").outcome is Outcome.VIOLATED
    assert item_outcome(ANTI_PD1, on_pd1, "exclusion").outcome is Outcome.VIOLATED  # "anti PD 1" is a PD-1 inhibitor


def test_a_hepatitis_asked_active_by_its_context() -> None:
    carrier, active = patient(conditions=[CARRIER]), patient(conditions=[ACTIVE_HBV])
    for line in (ACTIVE_HEPATIC, SIGNIFICANT, "Known hepatitis B or C viremia"):  # DA237, CZ237, a list of letters
        assert item_outcome(line, carrier, "exclusion").outcome is Outcome.UNKNOWN, line
        assert item_outcome(line, active, "exclusion").outcome is Outcome.VIOLATED, line
    assert _under_lead("Hepatitis", carrier) is Outcome.UNKNOWN  # CZ234
    assert _under_lead("Hepatitis", active) is Outcome.VIOLATED
    # an item that names the carrier's own state is barred as named, and a bare one under a lead-in of no gravity
    assert _under_lead("Chronic hepatitis B", carrier) is Outcome.VIOLATED
    info, _ = list_trial(exclusions=("Hepatitis",))
    text = "Exclusion Criteria:\n\n- History of any of the following:\n\n  - Hepatitis\n\n  - Cirrhosis\n"
    assert outcome((info, tuple(parse_text(text))), "Hepatitis", carrier).outcome is Outcome.VIOLATED


def test_a_coronary_event_and_a_heart_disease_as_company() -> None:
    stable = patient(conditions=[STABLE_CAD])
    assert item_outcome(OCCLUSION, stable, "exclusion").outcome is Outcome.UNKNOWN  # DA064
    occluded = {"name": "coronary occlusion, right coronary artery, 2026", "status": "recent"}
    assert item_outcome(OCCLUSION, patient(conditions=[occluded]), "exclusion").outcome is Outcome.VIOLATED
    found = item_outcome(LIPIDS, stable, "exclusion")  # DA068
    assert found.outcome is Outcome.UNKNOWN and "graded" in found.reason
    line = "No history of coronary artery disease"
    assert item_outcome(line, stable, "exclusion").outcome is Outcome.VIOLATED


def test_an_infection_told_by_its_load_in_other_spellings() -> None:
    carrier = patient(conditions=[CARRIER])
    for line in (
        "Hepatitis B with HBV-DNA > 2000 IU/mL",
        "HBV DNA > 2000 IU/mL",
        "Chronic hepatitis B with a viral load above 100 IU/mL",
    ):
        found = item_outcome(line, carrier, "exclusion")
        assert found.outcome is Outcome.UNKNOWN and "measure the profile does not record" in found.reason, line
    # a positive test names the infection the carrier has
    assert item_outcome("Known HBV DNA positive", carrier, "exclusion").outcome is Outcome.VIOLATED


def test_each_rule_stays_with_what_its_words_are_about() -> None:
    """The review of rules 62: each of these keeps the reading that bars the profile."""
    ipilimumab = {"name": "ipilimumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}
    # the drugs in the bracket after "(CTLA 4) antibody" are not examples of the PD-1 inhibitors named first
    line = ANTI_PD1 + " (including ipilimumab, tremelimumab or any other antibody)"
    assert item_outcome(line, patient(therapies=_therapies(ipilimumab)), "exclusion").outcome is Outcome.VIOLATED
    bevacizumab = {"name": "bevacizumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}
    line = "No prior treatment with anti-PD 1 monoclonal antibody"
    assert item_outcome(line, patient(therapies=_therapies(bevacizumab)), "exclusion").outcome is Outcome.SATISFIED
    # "chronic" in a history is no therapy now
    ended = {"name": "pembrolizumab", "kind": "systemic", "start": "2024-02-01", "end": "2025-06-01"}
    line = "History of chronic systemic immune therapy"
    assert item_outcome(line, patient(therapies=_therapies(ended)), "exclusion").outcome is Outcome.VIOLATED
    # a hepatitis the text names in a state the carrier has, or with "chronic or active"
    carrier = patient(conditions=[CARRIER])
    for line in (
        "Active liver disease (including hepatitis B carriers)",
        "Chronic or active liver disease (hepatitis B or C)",
        "Active liver disease (e.g., hepatitis B surface antigen positive)",
    ):
        assert item_outcome(line, carrier, "exclusion").outcome is Outcome.VIOLATED, line
    assert _under_lead("Prior or current hepatitis B", carrier) is Outcome.VIOLATED
    # the event in the text's own words, "coronary artery occlusion"
    occluded = {"name": "coronary artery occlusion, 2026", "status": "recent"}
    line = "History of coronary artery occlusion"
    assert item_outcome(line, patient(conditions=[occluded]), "exclusion").outcome is Outcome.VIOLATED
    # "for the tumor" is the trial's own cancer too
    on_adt = patient(conditions=[PROSTATE], therapies=_therapies(LEUPROLIDE))
    line = "No other concurrent treatment with anticancer agents for the tumor"
    assert item_outcome(line, on_adt, "exclusion").outcome is Outcome.UNKNOWN
