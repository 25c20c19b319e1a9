"""Therapy 16 (issue 10; tests/audit/therapy16_changes.txt): fresh sample 16's prior-therapy items judged wrong (W033,
W199, W155, W323), by class of phrasing, each quoting the registry text it came from: an exclusion whose clause tells
no window takes the window of a later verbless clause of its sentence (a list cut at ';' or "e.g."), and is uncertain
when its clause tells a window it did not attach or tells one in words; a window told as the time before a surgery or
radiotherapy does not time a past procedure of that kind; a therapy given for another cancer is uncertain also when
the disease has a bracketed abbreviation, or when a treatment for it is named first and the therapy opens its
examples."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Polarity
from matcher.eligibility.numbers import Window
from tests.readings import therapy_facts as _therapy

UNCERTAIN = [
    # a window in the clause, not attached
    (
        "Exclusion",
        "Use of chemotherapy, hormonal therapy, immunotherapy or any other cancer or experimental treatment ≤ 28 days "
        "prior to the first day of the first cycle.",
        "time window is not attached",
    ),  # NCT01032291
    # a window told in words
    (
        "Exclusion",
        "Use of any investigational agent within a month of treatment",
        "a window told in words",
    ),  # NCT00463840
    (
        "Exclusion",
        "The use of any investigational agent in the month before enrollment into the study.",
        "a window told in words",
    ),  # NCT02037230
    (
        "Exclusion",
        "Adjuvant therapy (including radiation therapy) within 2 calendar weeks. Toxicities from prior therapy for the "
        "malignancy should resolve to grade 1 or less.",
        "a window told in words",
    ),  # NCT01852890
    # a window before a surgery or radiotherapy (W155)
    (
        "Inclusion",
        "Patients for whom surgical resection is clinically indicated and are amenable to receiving GW572016 for 7-14 "
        "days prior to their resection",
        "a window before a surgery",
    ),  # NCT00095940 (W155)
    (
        "Inclusion",
        "Patients must have surgical resection of the pancreas planned, with enrollment at least 7 days prior to "
        "surgery; patients with surgery scheduled > 15 days will not be excluded",
        "a window before a surgery",
    ),  # NCT01954732
    (
        "Inclusion",
        "Patients must have acceptable organ and marrow function as defined below (within 2 weeks prior to "
        "radiotherapy):",
        "a window before a radiotherapy",
    ),  # NCT01494012
    # a therapy for another cancer (W323)
    (
        "Exclusion",
        "Prior anticancer therapy for extensive disease (ED) SCLC including experimental agents.",
        "a therapy for another cancer ('SCLC')",
    ),  # NCT03116971 (W323)
    ("Exclusion", "Prior therapy for lung cancer with chemotherapy", "another cancer ('lung cancer')"),  # NCT01565772
    (
        "Exclusion",
        "Prior therapy for AML with decitabine, azacitidine, mitoxantrone, or etoposide",
        "another cancer ('AML')",
    ),  # NCT01260714
    (
        "Exclusion",
        "Patient must not have had prior treatment for invasive breast cancer, including radiation, endocrine therapy, "
        "chemotherapy, or investigational agent; patients whose diagnosis was established by incision biopsy are not "
        "eligible",
        "another cancer ('breast cancer')",
    ),  # NCT01368263
    (
        "Exclusion",
        "Patients who underwent prior local treatment for retroperitoneal sarcoma: surgery or radiotherapy in the "
        "tumour bed.",
        "another cancer ('retroperitoneal sarcoma')",
    ),  # NCT02275286
    # the study's treatment phase
    (
        "Exclusion",
        "Prior investigational therapy within 4 weeks of treatment. Furthermore, other investigational anti-cancer "
        "therapy is not permitted during the treatment phase.",
        "during the treatment phase",
    ),  # NCT01558492
]


@pytest.mark.parametrize(("section", "line", "reason"), UNCERTAIN)
def test_therapy_16_uncertain(section: str, line: str, reason: str) -> None:
    facts = _therapy(section, line)
    uncertain = [f for f in facts if f.values.within is None or reason.startswith("a window before")]
    assert uncertain and all(f.uncertain and reason in f.uncertain for f in uncertain), [
        (f.values, f.uncertain) for f in facts
    ]


LIST_WINDOW = [
    (
        "Previous cancer systemic therapy such as chemotherapy, immunotherapy (e.g. antibody therapies, "
        "tumor-vaccines), biological response modifiers (e.g. cytokines) within 3 months of baseline",
        Window(3, "month"),
    ),  # NCT00128531 (W033): cut into clauses at "e.g."
    (
        "Anthracycline-containing regimen (e.g. VAD) within the last 3 months of study.",
        Window(3, "month"),
    ),  # NCT00306813
    (
        "Treatment with other investigational drugs; chemotherapy, immunotherapy, radiotherapy or hormone therapy "
        "(including LHRH agonists, megestrol acetate, or other hormones taken for breast cancer or prostate cancer); "
        "participation in another clinical study within the past 4 weeks before start of therapy or concomitantly "
        "with this study. Treatment with bisphosphonates is allowed.",
        Window(4, "week"),
    ),  # NCT00730821 (W199): the undated neck radiotherapy is no longer an exclusion
    (
        "Patients who have received any previous treatment consisting of standard chemotherapy (gemcitabine in Phase "
        "II study; others in Phase I) within 21 days or an investigational agent (Phase I) within 30 days on study.",
        Window(21, "day"),
    ),  # NCT00411762: the first window after the chemotherapy
]


@pytest.mark.parametrize(("line", "window"), LIST_WINDOW)
def test_therapy_16_a_list_window_is_every_items(line: str, window: Window) -> None:
    """The window at the end of a list cut into clauses (by ';' or at "e.g.") belongs to the items before it."""
    facts = _therapy("Exclusion", line)
    assert facts and all(f.polarity is Polarity.EXCLUDE and f.values.within for f in facts), facts
    assert facts[0].values.within == window and facts[0].uncertain is None, facts
    if "radiotherapy" in line:
        assert any("radiotherapy" in f.values.categories and f.values.within == window for f in facts), facts


def test_therapy_16_a_new_sentence_takes_no_list_window() -> None:
    """ "Prior treatment with systemic chemotherapy. ... Lesions within a prior field of radiation ..." (NCT00179608):
    the chemotherapy's sentence ends before the later window-like words; it stays an exclusion of any chemotherapy."""
    facts = _therapy(
        "Exclusion",
        "Prior treatment with systemic chemotherapy. Patients who have received prior immunotherapy, including "
        "thalidomide, or radiotherapy remain eligible.",
    )
    chemotherapy = [f for f in facts if "class.chemotherapy" in f.values.classes]
    assert chemotherapy and all(f.values.within is None and f.uncertain is None for f in chemotherapy), facts


@pytest.mark.parametrize(
    ("section", "line"),
    [
        # no window anywhere: any therapy ever had
        ("Exclusion", "Previously undergone chemotherapy, brachytherapy, or radiotherapy prior to entering the study"),
        # a therapy for the thyroid cancer
        ("Inclusion", "No prior systemic chemotherapy for thyroid cancer (stratum I)"),  # studies/NCT00095693
    ],
)
def test_therapy_16_certain_exclusions_stay(section: str, line: str) -> None:
    facts = _therapy(section, line)
    assert facts and all(f.polarity is Polarity.EXCLUDE and f.uncertain is None for f in facts), facts


def test_therapy_16_a_window_before_the_first_dose_stays() -> None:
    """A washout timed by the study's first dose, not by a surgery, keeps its window and is certain."""
    facts = _therapy("Exclusion", "Major surgery within 28 days prior to the first dose of study drug")
    assert [(f.values.categories, f.values.within, f.uncertain) for f in facts] == [
        (("surgery",), Window(28, "day"), None)
    ]


def test_therapy_16_at_any_time_is_not_a_later_window() -> None:
    """ "... bone marrow ... at any time; mitoxantrone, ... within prior nine months" (NCT00836719): the marrow
    radiotherapy's own doubt stays, not the later window's."""
    facts = _therapy(
        "Exclusion",
        "Previous treatment prior to study entry as follows: complete radiation ablation of the bone marrow or "
        "anti-CD4 antibody treatment (Campath) at any time; mitoxantrone, cyclophosphamide, cyclosporin, Natalizumab "
        "or other immunomodulatory or immunosuppressant therapies except for Copaxone or methylprednisone for relapses "
        "within prior nine months.",
    )
    radiotherapy = [f for f in facts if "radiotherapy" in f.values.categories]
    assert radiotherapy and all("marrow" in (f.uncertain or "") for f in radiotherapy), radiotherapy
