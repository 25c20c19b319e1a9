"""Primary-site readings from the eligibility text (wt-site): a cancer named for a group of the trial's patients, as an
example, in an exception, as a drug's indication, beside a basket ("or other adenocarcinomas", "advanced
non-hematologic malignancy") or beside brain metastases from any primary is not the cancer the trial is for, so it
sets no thyroid patient aside (issue 10, item 4: `violated` only from a complete reading). Every text is a HINT
registry text (tests/audit/site_changes.txt)."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.eligibility.criteria import FactKind
from matcher.eligibility.kinds.primary_site import PrimarySiteValues
from matcher.eligibility.parser import parse_text
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.readings import item_facts

SITE = FactKind.PRIMARY_SITE

NOT_THE_TRIALS_CANCER = [
    # a group of the trial's patients, with what that group must do or may be
    "Patients with refractory or relapsed leukemia must have greater than 25% blasts in bone marrow (M3 bone marrow); "
    "active extramedullary disease may also be present.",  # NCT01184274 (Part B of a solid tumour trial)
    "Patients with AML or leukemia with ambiguous lineage must have greater than or equal to 5% blasts in the bone "
    "marrow.",  # NCT01411267
    # any malignancy, then a permission for one cancer
    "Patients must have histologically confirmed malignancy that is metastatic or unresectable and for which standard "
    "curative or palliative measures do not exist or are no longer effective. Patients with previously untreated "
    "metastatic renal cell carcinoma are eligible.",  # NCT00402415
    "Subjects with alternative tumor histologies and/or molecular profiles (eg KRAS mutant colorectal cancer) may be "
    "enrolled in Part 2B cohorts if emerging data suggest they would be likely to respond to therapy.",  # NCT01476137
    "Must have metastatic disease. Prostate cancer patients must be hormone refractory.",  # NCT00487786
    "Stage 2 endometrial and ovarian cancer patients must have at least one lesion amenable to biopsy",  # NCT02142803
    # an example of a wider group, an exception, a permission, a condition
    "Advanced neoplastic disease (i.e. metastatic or locally advanced disease) for which platinum-taxane doublet "
    "regimens are approved or constitutes the mainstay of care such as non small cell lung cancer, epithelial ovary "
    "cancer, gastric cancer, transitional cell and bladder cancer and head and neck cancer.",  # NCT00719524
    "Must have failed or become intolerant to prior standard therapy and is no longer likely to respond to such "
    "therapy except for patients diagnosed with mesothelioma. Mesothelioma patients may be enrolled with no prior "
    "therapy requirements since cisplatin and pemetrexed in combination is the current standard of care 1st line "
    "therapy.",  # NCT00703638
    "Participants may have received any number of prior lines of chemotherapy (other than erlotinib or other "
    "EGFR-targeted therapy) for incurable non-small cell lung cancer",  # NCT02134886
    "For recurrent HCC, radiographic evidence of progression.",  # NCT00081900
    "AST(SGOT)/ALT(SGPT) ≤ 2.5 x IULN (≤ 5 x IULN for patients with liver metastases or hepatocellular carcinoma "
    "(HCC))",  # NCT03511222: the whole "for patients with" group
    # a basket beside the named cancer
    "Advanced colorectal cancer or other adenocarcinomas",  # NCT00413322
    "Histologically proven malignancy (confirmed by Vanderbilt pathologists), advanced non-hematologic malignancy "
    "that is not curable by standard surgery, radiation therapy, or chemotherapy. Patients with melanoma, especially "
    "those with accessible tumors will be sought for this trial, but this part of the trial will not be limited to "
    "only melanoma patients",  # NCT00512798
    "Patients with recurrent malignant glioma or metastatic brain cancer requiring craniotomy for gross total "
    "resection, subtotal resection or biopsy",  # NCT02279992
    "Previously histopathologically proven glioma or radiographic appearance of metastatic lesion with a primary "
    "neoplasm that is known to metastasize to the brain",  # NCT02279992
]


@pytest.mark.parametrize("line", NOT_THE_TRIALS_CANCER)
def test_a_cancer_named_for_a_group_or_as_an_example_is_not_the_trials(line: str) -> None:
    assert item_facts("Inclusion", line, SITE) == []


THE_TRIALS_CANCER = [
    # a relative clause only narrows the patients the trial is for
    (  # NCT00081887
        "Patients with chronic lymphocytic leukemia (CLL), CLL/PLL (as defined by FAB), and PLL (B- and T-cell "
        "phenotypes) who have relapsed from or are refractory to at least one fludarabine-based regimen.",
        "site.blood",
    ),
    (
        "Subjects with relapsed epithelial ovarian cancer (including fallopian tube and primary peritoneal cancer) who "
        "will receive liposomal doxorubicin as salvage therapy for recurrent disease",  # NCT01673217
        "site.ovary",
    ),
    # "are eligible" says which of the trial's patients it takes (sample 6's L004, under the trial's leukaemia lead-in)
    (  # NCT02141828
        "Patients must have at least received an appropriate induction therapy regimen. Patients with persistent "
        "leukemia after induction therapy, or with recurrence of leukemia at any time during the course of treatment "
        "(including allogeneic HSCT) are eligible;",
        "site.blood",
    ),
    # a permission or a definition in a parenthesis is no predicate of the group
    (
        "Male and female subjects with confirmed HER2 adenocarcinoma of the breast with advanced disease (advanced "
        "disease will be defined as metastatic disease or locally advanced disease that is surgically unresectable and "
        "considered unmanageable with standard therapies such as radiation or systemic therapies) who have had disease "
        "progression on at least one standard hormonal or chemotherapy regimen for advanced breast cancer or who have "
        "refused standard therapies.",  # NCT00412412
        "site.breast",
    ),
    ("Advanced non squamous cell, lung cancer", "site.lung"),  # NCT00600821
    (  # NCT00660153
        "Histologically or cytologically confirmed metastatic colorectal cancer or other gastrointestinal malignancy "
        "for which FOLFOX6 chemotherapy is a standard treatment. Other gastrointestinal cancers include, but are not "
        "limited to, esophageal, gastric, and small intestine, appendiceal, and pancreatico-biliary cancers.",
        "site.colorectal",
    ),
    # any malignancy, then the cancer confirmed by name: a CLL trial (review)
    (  # NCT02160015
        "Patients must have histologically confirmed malignancy that is metastatic or unresectable and for which "
        "standard curative or palliative measures do not exist or are no longer effective; previously treated, "
        "pathologically confirmed chronic lymphocytic leukemia (CLL) or small lymphocytic lymphoma (SLL) that requires "
        "as per the National Cancer Institute (NCI) Working Group Guidelines for the treatment of CLL",
        "site.blood",
    ),
    # "<cancer> patients are eligible" says which patients the trial takes, as "Patients with <cancer> ... are
    # eligible" does (review: cue.primary_site.site_patients no longer reads a bare "are")
    (  # NCT00042991, a brain stem glioma trial
        "Phase II: only newly diagnosed non-disseminated diffuse intrinsic brain stem glioma patients are eligible",
        "site.brain",
    ),
]


@pytest.mark.parametrize(("line", "site"), THE_TRIALS_CANCER)
def test_the_trials_cancer_is_still_read(line: str, site: str) -> None:
    facts = item_facts("Inclusion", line, SITE)
    assert facts and not any(f.uncertain for f in facts)
    values = facts[0].values
    assert isinstance(values, PrimarySiteValues) and site in values.sites


def _outcome(text: str) -> Outcome:
    [criterion] = [c for c in parse_text(f"Inclusion Criteria:\n\n- {text}\n") if c.source == "text"]
    profile = {"id": "p", "diagnosis": {"histology": "papillary", "primary_site": "thyroid"}}
    patient = parse_patient(profile).patient
    info = TrialInfo("NCT00000000", "t", "RECRUITING", ())
    return match_trial(info, [criterion], patient, date(2026, 12, 5), load_knowledge()).results[0].outcome


def test_a_thyroid_patient_is_not_set_aside_by_a_group_or_a_basket() -> None:
    assert _outcome(NOT_THE_TRIALS_CANCER[0]) is not Outcome.VIOLATED
    assert _outcome("Advanced colorectal cancer or other adenocarcinomas") is not Outcome.VIOLATED
    # the trial's own cancer still sets a thyroid patient aside
    assert _outcome("Histologically confirmed renal cell carcinoma with metastases") is Outcome.VIOLATED  # NCT00113529
