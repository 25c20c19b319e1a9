"""Rules of session 30's fourth round (mend45), from comorbid sample 44's three wrong exclusions: an infection told at
a transplant the profile does not record; an infection the investigator judges; a hepatitis among an autoimmune
disease's examples, and a waiver of the whole line ("Additional exceptions may be made with medical monitor
approval"). Each criterion below barred a profile that the text, read as a coordinator would, does not bar: the
outcome is now unknown, and the profile the text does bar is still barred (issue 10, item 3)."""

from __future__ import annotations

from matcher.matching.evaluate import Outcome
from tests.test_issue10_examples import item_outcome, patient
from tests.test_mend41_readings import CARRIER, HIV

TRANSPLANT = "Recipients with hepatitis B surface antigen positivity prior to liver transplant."  # NCT01146808: DD231
JUDGED = (  # NCT00783471 (exclusion): DD273
    "Patients who are at risk (in the investigator's opinion) of transmitting human immunodeficiency virus (HIV) "
    "through blood or other body fluids are excluded."
)
AUTOIMMUNE = (  # NCT03121716 (exclusion): DD239
    "Subjects with any active autoimmune disease or history of autoimmune disease, including but not limited to the "
    "following: rheumatoid arthritis, pneumonitis, colitis (inflammatory bowel disease), hepatitis, hypophysitis, "
    "nephritis, hyperthyroidism, and hypothyroidism. Additional exceptions may be made with medical monitor approval;"
)

RA = {"name": "rheumatoid arthritis", "status": "active, on methotrexate"}


def test_an_infection_at_a_transplant_or_judged_by_the_investigator() -> None:
    assert item_outcome(TRANSPLANT, patient(conditions=[CARRIER]), "exclusion").outcome is Outcome.UNKNOWN  # DD231
    line = "Hepatitis B surface antigen positivity."
    assert item_outcome(line, patient(conditions=[CARRIER]), "exclusion").outcome is Outcome.VIOLATED
    assert item_outcome(JUDGED, patient(conditions=[HIV]), "exclusion").outcome is Outcome.UNKNOWN  # DD273
    # a judgement after the infections, of any other condition, leaves them barred
    line = "Known HIV infection, or any other condition that in the opinion of the investigator precludes participation"
    assert item_outcome(line, patient(conditions=[HIV]), "exclusion").outcome is Outcome.VIOLATED


def test_an_autoimmune_list_with_a_waiver() -> None:
    found = item_outcome(AUTOIMMUNE, patient(conditions=[CARRIER, RA]), "exclusion")  # DD239
    assert found.outcome is Outcome.UNKNOWN and "waiver" in found.reason
    # the hepatitis among the autoimmune examples is an immune one: no carrier barred, waiver or not
    without = AUTOIMMUNE.split(" Additional")[0]
    assert item_outcome(without, patient(conditions=[CARRIER]), "exclusion").outcome is not Outcome.VIOLATED
    assert item_outcome(without, patient(conditions=[RA]), "exclusion").outcome is Outcome.VIOLATED
