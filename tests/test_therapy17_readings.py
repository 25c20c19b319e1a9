"""Therapy 17 (issue 10; tests/audit/therapy17_changes.txt): the prior-therapy items the two sweeps (fresh samples 17
and 18) left violated, by class of phrasing, each quoting the registry text it came from: a therapy tied to a disease
other than the patient's thyroid cancer (by "for", "against", "directed at", "to treat", "of the", "-specific", as the
therapy of "patients with" it, or a garbled "or <disease>" ending a list of therapies); the protocol's own schedule,
plan or dosing note; the disease described by the therapies that cannot cure it; a count told with "only"; a
contraindication under the inclusions; and a line or regimen of therapy not told as systemic, which a radioiodine may
be (the radioiodine ruling)."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Polarity
from matcher.eligibility.numbers import Window
from tests.readings import therapy_facts as _therapy

OTHER_DISEASE = [
    (
        "Exclusion",
        "Prior use of anticancer therapy or experimental therapy for epithelial ovarian, primary peritoneal or "
        "fallopian tube cancers",
        "fallopian tube cancers",
    ),  # NCT01253681 (X031)
    ("Inclusion", "No prior radiotherapy for LCIS", "LCIS"),  # NCT00096369 (X032)
    (
        "Inclusion",
        "No prior definitive surgery, radiotherapy, chemotherapy, immunotherapy, or epidermal growth factor receptor "
        "inhibitors for head and neck cancer",
        "head and neck cancer",
    ),  # NCT00352105 (X051)
    (
        "Exclusion",
        "Previous systemic therapy for locally advanced or metastatic gastric or GEJ or lower esophageal "
        "adenocarcinoma.",
        "GEJ",
    ),  # NCT02137343 (X072)
    (
        "Exclusion",
        "Patients with Refractory MM (i.e. patients refractory to all prior therapies) who under all prior previous "
        "lines of therapy have :",
        "MM",
    ),  # NCT00532389 (X075): the therapies of patients with another disease
    (
        "Exclusion",
        "Lung cancer-specific therapy (including surgery), other than primary chemoradiotherapy. Note: exploratory "
        "surgery before study entry is allowed",
        "Lung cancer",
    ),  # NCT00960115 (X105)
    (
        "Exclusion",
        "Treatment directed against the resected melanoma that is administrated after the surgery",
        "melanoma",
    ),  # NCT02388906 (Y006)
    ("Exclusion", "Previously undergone surgical resection of the cholangiocarcinoma", "cholangiocarcinoma"),  # Y019
    ("Inclusion", "No prior radiotherapy for amyloidosis", "amyloidosis"),  # NCT00052884 (Y021)
    (
        "Inclusion",
        "No prior chemotherapy or targeted systemic therapy for inoperable locally advanced or metastatic TNBC",
        "TNBC",
    ),  # NCT02425891 (Y022)
    (
        "Exclusion",
        "Prior treatment with: Systemic therapy, radiotherapy or surgery directed at locally advanced SCCHN.",
        "SCCHN",
    ),  # NCT02938273 (Y042)
    (
        "Exclusion",
        "Prior therapies: BTK inhibitor, radiotherapy, radiotherapy in the adjuvant setting, or cytotoxic chemotherapy "
        "for primary disease of pancreatic adenocarcinoma.",
        "pancreatic adenocarcinoma",
    ),  # NCT02436668 (Y097)
    (
        "Exclusion",
        "Has received any previous systemic therapy (other than a combination of bevacizumab, oxaliplatin, and a "
        "fluoropyrimidine) for first-line treatment of metastatic CRC",
        "CRC",
    ),  # NCT01286818 (Y142)
    ("Exclusion", "Previous chemotherapy or radiation therapy or lung cancer", "lung cancer"),  # NCT00482014 (Y208)
    (
        "Exclusion",
        "Received prior investigational or non-investigational cytotoxic chemotherapy, hormonal therapy, biological "
        "therapy (including but not limited to monoclonal antibodies, small molecules or other immunotherapy) to treat "
        "hepatocellular carcinoma.",
        "hepatocellular carcinoma",
    ),  # NCT01258608
    ("Exclusion", "Radiation or surgical treatment of melanoma within 28 days of starting study treatment", "melanoma"),
    # NCT00179608
]


def test_therapy_17_a_therapy_required_of_another_diseases_patients_stays() -> None:
    """ "Patients with ... ovarian ... cancer, being resistant to treatment with platinum and a taxane" (NCT02728622,
    fresh sample 8's N065, judged right): a thyroid patient lacks the therapy; the requirement stays certain."""
    facts = _therapy(
        "Inclusion",
        "Patients with invasive epithelial ovarian, fallopian tube or peritoneal cancer, being resistant to treatment "
        "with platinum and a taxane, either given in combination or sequentially.",
    )
    assert facts and all(f.polarity is Polarity.REQUIRE and f.uncertain is None for f in facts), facts


@pytest.mark.parametrize(("section", "line", "disease"), OTHER_DISEASE)
def test_therapy_17_a_therapy_for_another_disease_is_uncertain(section: str, line: str, disease: str) -> None:
    facts = [f for f in _therapy(section, line) if "IL-2" not in line or "systemic" in f.values.categories]
    told = [f.uncertain or "" for f in facts]
    assert facts and all("a therapy for another cancer" in x and f"{disease}')" in x for x in told), told


@pytest.mark.parametrize(
    ("section", "line"),
    [
        ("Inclusion", "No prior systemic chemotherapy for thyroid cancer (stratum I)"),  # studies/NCT00095693
        # a time alternative after the disease: chemotherapy within 5 years excludes whatever it was for
        (
            "Exclusion",
            "Previous chemotherapy or previous biologic response modifiers for current lung cancer or within the past "
            "5 years.",
        ),  # NCT02059967
        # a disease in an exception: the therapies for any other cancer stay excluded
        (
            "Exclusion",
            "Patients who have received prior chemotherapy for any abdominal or pelvic tumor OTHER THAN for the "
            "treatment of ovarian, fallopian tube, or primary peritoneal cancer within the last three years are "
            "excluded.",
        ),  # NCT02661815 (its first sentence)
    ],
)
def test_therapy_17_the_patients_own_or_any_cancer_stays(section: str, line: str) -> None:
    facts = _therapy(section, line)
    assert facts and all(f.polarity is Polarity.EXCLUDE for f in facts), facts
    assert all("another cancer ('lung cancer')" not in (f.uncertain or "") for f in facts), facts
    assert all("ovarian" not in (f.uncertain or "") for f in facts), facts


def test_therapy_17_the_time_alternative_keeps_its_window() -> None:
    facts = _therapy(
        "Exclusion",
        "Previous chemotherapy or previous biologic response modifiers for current lung cancer or within the past 5 "
        "years.",
    )
    assert [(f.values.within, f.uncertain) for f in facts] == [(Window(5, "year"), None)]


PROTOCOL_AND_POLARITY = [
    (
        "Inclusion",
        "Eastern Cooperative Oncology Group - ECOG Performance Status 0, 1 or 2 as determined on Day 1 or up to -3 of "
        "Cycle 1 prior to administration of chemotherapy",
        "the protocol's own schedule",
    ),  # NCT03404752 (X015)
    (
        "Exclusion",
        "Patients who received radical resection, but are expected not be able to complete 6 months of adjuvant "
        "chemotherapy",
        "the protocol's own schedule",
    ),  # NCT02251977 (X025)
    (
        "Exclusion",
        "Severe organ dysfunctions (e.g. Liver cirrhosis ≥ Child B; Cardio-pulmonal diseases (NYHA ≥III, arrhythmia "
        "Lown III/IV, global respiratory insufficiency); Ascites; Acute pancreatitis; bleeding diathesis, "
        "coagulopathy, need for full-dose anticoagulation or INR > 1.5; other severe diseases that might prevent "
        "completion of the treatment regimen)",
        "the protocol's own schedule",
    ),  # NCT01900327 (X027)
    (
        "Inclusion",
        "Subjects must have calculated creatinine clearance ≥ 30ml/min by Cockcroft-Gault formula during the expansion "
        'phase. See section below, "Dosing Regimen", regarding lenalidomide dose adjustment for calculated creatinine '
        "clearance > 30ml/min and < 60ml/min.",
        "the protocol defines, plans or doses",
    ),  # NCT01202890 (Y003)
    (
        "Exclusion",
        "Currently receiving cancer therapy as specified in the protocol.",
        "the protocol defines, plans or doses",
    ),  # NCT01387204 (Y048)
    (
        "Inclusion",
        "Radiation treatment field to receive planned dose of at least 50Gy to areas of the oral cavity/oropharynx "
        "mucosa that can be visualized",
        "the protocol defines, plans or doses",
    ),  # NCT00626639 (Y060)
    (
        "Inclusion",
        "Consent to biopsy before and after therapy with decitabine and LBH589.",
        "the protocol's own schedule",
    ),  # NCT01194908 (Y181)
    (
        "Inclusion",
        "Histologically proven malignancy (confirmed by Vanderbilt pathologists), advanced non-hematologic malignancy "
        "that is not curable by standard surgery, radiation therapy, or chemotherapy.",
        "a disease described by the therapies",
    ),  # NCT00512798 (Y137)
    (
        "Inclusion",
        "Major surgery or unhealed wound ≤ 2 weeks prior to registration.",
        "a contraindication ('Major surgery') under the inclusions",
    ),  # NCT00093756 (Y187)
    ("Inclusion", "Only one prior treatment with systemic chemotherapy", "a count told with 'only'"),  # Y018
    (
        "Inclusion",
        "Subjects with recurrent and metastatic NPC who did't receive any Systemic chemotherapy, neoadjuvant "
        "chemotherapy, concurrent radiochemotherapy and adjuvant chemotherapy 6 month before first dose are excepted.",
        "a permission ('are excepted')",
    ),  # NCT03121716 (Y188)
]


@pytest.mark.parametrize(("section", "line", "reason"), PROTOCOL_AND_POLARITY)
def test_therapy_17_the_protocols_own_or_a_misread_polarity_is_uncertain(section: str, line: str, reason: str) -> None:
    facts = _therapy(section, line)
    assert facts and all(f.uncertain and reason in f.uncertain for f in facts), [(f.values, f.uncertain) for f in facts]


@pytest.mark.parametrize(
    "line",
    [
        "One and only one prior treatment with a chemotherapy regimen, including a platinum based regimen for advanced "
        "disease (Stage IIIB with malignant effusion or Stage IV).",  # NCT00581789
        "Patients must have completed all previous anticancer therapy for at least 2 weeks prior to the first planned "
        "dose of omacetaxine, except as noted below, and must have fully recovered from side effects of a previous "
        "therapy.",  # NCT02078960: the first planned dose is the anchor of a washout
    ],
)
def test_therapy_17_an_exact_count_or_a_planned_first_dose_stays(line: str) -> None:
    facts = _therapy("Inclusion", line)
    assert facts and all(f.uncertain is None for f in facts), [(f.values, f.uncertain) for f in facts]


@pytest.mark.parametrize(
    "line",
    [
        "Patients must have received at least one prior line of therapy and includes patients whose disease has "
        "relapsed as well as relapsed-refractory MM . (Durie et. al., 2006).",  # NCT00532389 (Y131)
        "Refractory to or relapsed after at least 1 prior treatment regimen",  # NCT02013128 (Y134)
        "I have had 1st line anti-cancer therapy. Previous treatment with Avastin (bevacizumab) in first line NSCLC is "
        "allowed.",  # NCT00312377 (Y202)
    ],
)
def test_therapy_17_a_line_not_told_systemic_may_be_radioiodine(line: str) -> None:
    facts = _therapy("Inclusion", line)
    assert facts and all(f.values.maybe_categories == ("radioiodine", "radiotherapy") for f in facts), facts


@pytest.mark.parametrize(
    "line",
    [
        "Relapsed or refractory disease after at least 1 prior line of systemic therapy",  # a HINT trial's line
        "Has experienced failure of at least 1 prior chemotherapy regimen:",
    ],
)
def test_therapy_17_a_systemic_line_stays_systemic(line: str) -> None:
    facts = _therapy("Inclusion", line)
    assert facts and all(f.values.maybe_categories == () for f in facts), facts
