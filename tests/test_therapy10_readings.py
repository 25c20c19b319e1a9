"""Therapy 10 (issue 10; tests/audit/therapy10_changes.txt): the readings that folding therapy.py's near-duplicate rules
changed, each registry text with the trial it came from. One rule per notion reads more of each: a therapy a condition
requires or needs ("for which ... is a standard treatment", "which required radiotherapy"), a rule for some patients (a
therapy history that marks them out, with a window too), a kind or site of radiotherapy ("Splenic", "Systemic
radiotherapy", "implanted", "(full-dose pelvic)"). Each is now uncertain, never another requirement."""

from __future__ import annotations

import pytest

from tests.readings import therapy_facts as _therapy

UNCERTAIN = [
    (  # NCT00660153
        "Inclusion",
        "Histologically or cytologically confirmed metastatic colorectal cancer or other gastrointestinal "
        "malignancy for which FOLFOX6 chemotherapy is a standard treatment. Other gastrointestinal "
        "cancers include, but are not limited to, esophageal, gastric, and small intestine, appendiceal, "
        "and pancreatico-biliary cancers.",
        "condition requires or needs",
    ),
    (  # NCT01286818
        "Exclusion",
        "Has received wide-field (full-dose pelvic) radiotherapy within 28 days prior to study registration",
        "named site",
    ),
    (  # NCT01306942
        "Exclusion",
        "No malignancy [other than the one treated in this study] which required radiotherapy or systemic "
        "treatment within the past 5 years.",
        "condition requires or needs",
    ),
    (  # NCT01335204
        "Exclusion",
        "Systemic radiotherapy (Sm-153, Sr-89) within 56 days before study day 1.",
        "named site",
    ),
    (  # NCT01339039
        "Exclusion",
        "Patients who have received prior treatment with implanted radiotherapy or chemotherapy sources "
        "such as wafers of polifeprosan 20 with carmustine (e.g. Gliadel wafers).",
        "named site",
    ),
    (  # NCT01609816
        "Exclusion",
        "No malignancy (other than the one treated in this study) which required radiotherapy or systemic "
        "treatment within the past 5 years",
        "condition requires or needs",
    ),
    (  # NCT01643603
        "Exclusion",
        "No malignancy [other than the one treated in this study] which required radiotherapy or systemic "
        "treatment within the past 5 years",
        "condition requires or needs",
    ),
    (  # NCT01740297
        "Inclusion",
        "Subjects treated with prior ipilimumab must have had partial response (PR), complete response "
        "(CR), or at least 6 months of stable disease followed by disease progression.",
        "some patients",
    ),
    (  # NCT01826838
        "Inclusion",
        "No malignancy [other than the one treated in this study] which required radiotherapy or systemic "
        "treatment within the past 5 years.",
        "condition requires or needs",
    ),
    (  # NCT02087059
        "Exclusion",
        "Splenic irradiation within 12 months before screening",
        "named site",
    ),
    (  # NCT02289690
        "Inclusion",
        "Phase 1 ONLY: histologically or cytologically confirmed advanced/metastatic solid tumors for "
        "which carboplatin/etoposide treatment is considered appropriate.",
        "condition requires or needs",
    ),
    (  # NCT02323906
        "Exclusion",
        "Subject has any clinically significant bleeding, including bleeding from esophageal/gastric "
        "varices within ≤ 3 months of signing the informed consent form, which required transfusion, "
        "surgical procedure or hospitalization. Esophageal varices should be treated according to local "
        "standard practice (eg, ligation or banding and procedure completed ≤ 3 months prior to signing "
        "the informed consent form). See Inclusion Criterion 10",
        "condition requires or needs",
    ),
    (  # NCT02442531
        "Exclusion",
        "Less than 4 weeks since the last treatment of chemotherapy, biological therapy, immunotherapy or "
        "systemic radiotherapy (except palliative radiation delivered to <20% of bone marrow), and less "
        "than 6 weeks for nitrosoureas and mitomycin C prior to Cycle 1 Day 1.",
        "named site",
    ),
    (  # NCT02835833
        "Inclusion",
        "Histologically proven advanced or metastatic solid cancer for which Bevacizumab has an "
        "indication: renal cell carcinoma, colorectal adenocarcinoma, non-squamous non-small cell lung "
        "cancer, platinum- refractory ovarian carcinoma, cervical carcinoma.",
        "condition requires or needs",
    ),
]


@pytest.mark.parametrize(("section", "line", "reason"), UNCERTAIN)
def test_therapy_10_uncertain(section: str, line: str, reason: str) -> None:
    facts = _therapy(section, line)
    assert facts and all(reason in (f.uncertain or "") for f in facts), [(f.values, f.uncertain) for f in facts]


def test_a_need_for_anticancer_therapy_is_no_systemic_therapy() -> None:
    # NCT01258608: "Need for" names what the patient may need, not a current systemic therapy of any kind
    line = (
        "Need for concomitant anticancer therapy (surgery, radiation therapy, chemotherapy, "
        "immunotherapy, radiofrequency ablation) or other investigational agents during the study "
        "treatment period."
    )
    facts = _therapy("Exclusion", line)
    assert facts and all(f.uncertain for f in facts)
    assert all("systemic" not in f.values.categories for f in facts)
