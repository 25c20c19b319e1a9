"""Rules of session 30's second round (mend43), from comorbid sample 42's three wrong exclusions: a lab value the text
lets be measured again for entry; a hepatitis told "symptomatic"; a drug named by the HIV enzyme it inhibits
("inhibitors of HIV protease"). Each criterion below barred a profile that the text, read as a coordinator would, does
not bar: the outcome is now unknown, and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient
from tests.test_mend41_readings import ACTIVE_HBV, CARRIER, HIV

REPEATED = (  # NCT00358319 (inclusion): DB080
    "The subject has no major impairment of hematological function, as defined by the following laboratory "
    "parameters: WBC > 3.0x109/L; ANC > 1.5 x 109/L; Hgb > 9.0g/dL; PLT >100x109/L. Red blood cell transfusions and "
    "repeat evaluations for study entry are allowed"
)
SYMPTOMATIC = (  # NCT00602225 (exclusion): DB239
    "Have any other severe concurrent disease, history of serious organ dysfunction, or disease involving the heart, "
    "kidney, liver (including symptomatic hepatitis, veno-occlusive disease, or hepatic graft versus host disease)"
)
PROTEASE = (  # NCT02066454 (exclusion): DB297
    "inhibitors of CYP3A4 and P-gp : azole antimycotic agents (ketoconazole, itraconazole, voriconazole, "
    "posaconazole), inhibitors of HIV protease (ritonavir, indinavir, nelfinavir, atazanavir, saquinavir)"
)


def _platelets(count: float) -> dict[str, object]:
    """A blood count with every other test of the line met."""
    tests = [("white blood cell count", 5.2), ("absolute neutrophil count", 3.1), ("platelets", count)]
    labs = [{"test": name, "value": value, "unit": "10^9/L", "date": "2026-11-03"} for name, value in tests]
    return patient(labs=[*labs, {"test": "hemoglobin", "value": 12.4, "unit": "g/dL", "date": "2026-11-03"}])


def test_a_lab_the_text_lets_be_measured_again() -> None:
    found = item_outcome(REPEATED, _platelets(98))  # DB080
    assert found.outcome is Outcome.UNKNOWN and "measured again" in found.reason
    assert item_outcome(REPEATED, _platelets(180)).outcome is Outcome.SATISFIED
    # without the repeat the count on file decides
    assert item_outcome("Platelets > 100 x 10^9/L", _platelets(98)).outcome is Outcome.VIOLATED


def test_a_hepatitis_told_symptomatic() -> None:
    assert item_outcome(SYMPTOMATIC, patient(conditions=[CARRIER]), "exclusion").outcome is Outcome.UNKNOWN  # DB239
    assert item_outcome(SYMPTOMATIC, patient(conditions=[ACTIVE_HBV]), "exclusion").outcome is Outcome.VIOLATED


def test_a_drug_named_by_the_enzyme_it_inhibits_is_no_infection() -> None:
    found = item_outcome(PROTEASE, patient(conditions=[HIV]), "exclusion")  # DB297
    assert found.outcome is not Outcome.VIOLATED
    assert item_outcome("Known HIV infection", patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED
