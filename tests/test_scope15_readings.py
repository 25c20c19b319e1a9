"""Scope 15 (issue 10; tests/audit/scope15_changes.txt): a later sentence of a criterion that opens on the patients it
is for asks its requirements of them only (`scope.sentence_groups`), and a lead-in that says its sub-items' patients
are to be monitored more closely makes them notes (`cue.modality.monitoring_lead`). Each row quotes registry text of
the tuning corpora, with its trial."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.eligibility.criteria import FactKind, Section
from matcher.eligibility.pipeline import find_mentions
from matcher.eligibility.scope import NOTE, sentence_groups
from matcher.eligibility.text import CriterionText
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.readings import UNCERTAIN, check, item_criterion, item_facts, line_criterion

# NCT02963610 #3 (prog14, rev14): the second sentence is the driver-mutated NSCLC patients'
NCT02963610 = (
    "Treatment on this protocol may begin as long as the patient has recovered from toxicities of prior therapy at "
    "the discretion of the treating physician. Patients with NSCLC harboring an EGFR, ALK or ROS-1 alteration must "
    "have progressed through at least one prior therapy with appropriate molecularly targeted agents."
)


@pytest.mark.parametrize("kind", [FactKind.PRIOR_THERAPY, FactKind.BIOMARKER])
def test_what_a_later_sentence_asks_of_its_group_is_uncertain(kind: FactKind) -> None:
    check(item_facts("Inclusion", NCT02963610, kind), UNCERTAIN)


def test_the_groups_words_make_the_conditions() -> None:
    [group] = sentence_groups(CriterionText(NCT02963610, next(find_mentions([NCT02963610])), Section.INCLUSION))
    assert [(k.kind, k.value) for k in group.conditions] == [("histology", "hist.other"), ("other", None)]
    assert NCT02963610[slice(*group.who)] == "NSCLC harboring an EGFR, ALK or ROS-1 alteration"


def test_a_thyroid_patient_is_not_excluded_by_the_nsclc_patients_therapy() -> None:
    criterion = item_criterion("Inclusion", NCT02963610)
    info = TrialInfo("NCT02963610", "t", "RECRUITING", ())
    profile = {"id": "p", "diagnosis": {"histology": "papillary"}, "therapies": [{"name": "radioactive iodine"}]}
    m = match_trial(info, [criterion], parse_patient(profile).patient, date(2026, 11, 26), load_knowledge())
    assert m.results[0].outcome is not Outcome.VIOLATED


@pytest.mark.parametrize(
    ("section", "line", "asked", "kept"),
    [
        # NCT03136627 #21: the LVEF is the heart-failure patients'; the symptomatic heart failure stays excluded
        (
            "Exclusion",
            "Clinically symptomatic heart failure. Subjects with a history of heart failure must have an ECHO or MUGA "
            "scan to document left ventricular ejection fraction (LVEF) > 45% prior to start of protocol therapy",
            FactKind.LVEF,
            FactKind.CARDIAC,
        ),
        # NCT00294359 #5: the albumin is asked of the PS2 patients; the ECOG limit is everyone's
        (
            "Inclusion",
            "ECOG performance status 0, 1 or 2. Patients with PS2 should have serum albumin >30 g/L",
            FactKind.LAB,
            FactKind.PERFORMANCE_STATUS,
        ),
        # NCT00471718 #2 (sample 12's S020): measurable disease is the soft-tissue/visceral patients'
        (
            "Inclusion",
            "Patients must have metastatic disease (e.g. bone metastases, pelvic mass, nodal, liver or lung "
            "metastases), with evidence of radiographic progression (including bone scans observed during last "
            "treatment) or serologically -Patients with bone-only metastases (i.e. lacking soft tissue or visceral "
            "disease) must have a PSA level > 10 ng/mls. Patients with soft tissue metastases and/or visceral "
            "disease must have either measurable disease OR a PSA level > 10 ng/ml.",
            FactKind.MEASURABLE_DISEASE,
            FactKind.PROGRESSION,
        ),
    ],
)
def test_the_other_sentences_requirements_stay_everyones(
    section: str, line: str, asked: FactKind, kept: FactKind
) -> None:
    check(item_facts(section, line, asked), UNCERTAIN)
    assert item_facts(section, line, kept) and not any(f.uncertain for f in item_facts(section, line, kept))


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        # NCT00722293 #5: the brain-metastases kind's own terms for those patients (a permission), left as read
        (
            "Less than or equal to one prior line of chemotherapy for advanced disease. Patients with metastatic "
            "disease to the brain should have definitive therapy for their brain metastases, should be asymptomatic. "
            "(Patients with previously treated brain metastases who are asymptomatic, off steroids and anti-seizure "
            "medications for greater than 3 months are eligible for the study).",
            FactKind.BRAIN_METASTASES,
        ),
        # NCT01352312 #1: the DLBCL sentence is not read; the first sentence's therapy is everyone's
        (
            "Patients must have had prior cytotoxic therapy for their disease. Patients with diffuse large B-cell "
            "lymphoma must have been treated with at least 2 prior cytotoxic therapies.",
            FactKind.PRIOR_THERAPY,
        ),
        # NCT00079612 #7: the looser limit of the patients with hepatic involvement is the lab kind's
        (
            "ALT and AST </= 2.5 x upper limit of normal. (For patients with hepatic involvement of their cancer, ALT "
            "and AST < 5.0 x upper limit of normal)",
            FactKind.LAB,
        ),
    ],
)
def test_left_as_read(line: str, kind: FactKind) -> None:
    c = item_criterion("Inclusion", line)
    assert not any(k.kind == "other" for k in c.scope.conditions)
    assert all("sentence opens on" not in (f.uncertain or "") for f in c.facts if f.kind is kind)


# NCT00275028 (therapy 8's G10), NCT01116648 (G64): the patients to watch, not an exclusion
MONITORING = """Inclusion Criteria:

  -  Consider patients who have the following risk factors to be at increased risk; these
     patients should have increased monitoring:

       -  Prior treatment with anthracyclines

       -  Prior treatment with trastuzumab

       -  A New York Heart Association classification of II controlled with treatment

       -  Prior central thoracic radiation therapy (RT), including RT to the heart

       -  History of myocardial infarction within 12 months
"""


@pytest.mark.parametrize(
    "line",
    [
        "Consider patients who have the following risk factors to be at increased risk; these patients should have "
        "increased monitoring:",
        "Prior treatment with anthracyclines",
        "A New York Heart Association classification of II controlled with treatment",
        "History of myocardial infarction within 12 months",
    ],
)
def test_a_monitoring_lead_in_and_its_items_are_notes(line: str) -> None:
    assert line_criterion(MONITORING, line).scope.modality == NOTE


def test_a_monitoring_note_inside_a_requirement_is_not_a_lead_in() -> None:
    # NCT00487786 #13
    line = (
        "Must be willing to undergo pharmacokinetic blood draws and frequent ECG monitoring on Days 1 and 2 of Cycle 1."
    )
    assert item_criterion("Inclusion", line).scope.modality != NOTE
