"""Scope 13 (issue 10; tests/audit/scope13_changes.txt): fresh sample 13's wrong exclusions outside prior therapy.
Cohort, part and phase lead-ins (T013, T167), a washout's cancer read as the trial's (T290), a definition of
menopause read as an age limit (T104), "thyroid carcinoma of follicular origin" read as a closed list (T209). Each
row quotes registry text of the tuning corpora, with the trial it came from; each class has rows that keep their
reading."""

from __future__ import annotations

import pytest

from bench.rewrap import rewrap, to_legacy, to_markdown, unwrap
from matcher.eligibility.criteria import Criterion, FactKind
from matcher.eligibility.parser import parse_text
from matcher.eligibility.scope import NOTE
from matcher.matching.evaluate import Outcome
from tests.readings import NONE, check, facts_of, one_criterion
from tests.readings import cohorts_by_text as _cohorts
from tests.test_matching import match, profile

# --- a cohort's lead-in makes the criteria after it that cohort's, whatever the layout ----------------------------

# NCT00240097 (T013), verbatim: "For Part I" / "For Part II" between the numbered items
PARTS = """Inclusion Criteria:

  1. Histologic or cytologic diagnosis of SCLC.

  2. Measurable or assessable tumor parameters.

  9. Must provide written informed consent and authorization to use and disclose health
     information (HIPAA).

     For Part I

 10. Extensive-stage SCLC as defined as disease not confined to one hemithorax, including
     ipsilateral pleural effusion or pericardial effusion.

 11. No prior chemotherapy.

     For Part II

 12. Patients with either refractory disease, or who have relapsed 1st line therapy. No
     prior chemotherapy with Oxaliplatin or irinotecan.

 13. Demonstrated tumor progression at the time of study entry.

Exclusion Criteria:

  1. Concurrent cancer chemotherapy, biologic therapy or radiotherapy.
"""

# NCT01131364 (T167), verbatim (shortened lists): Phase I takes any solid cancer, Phase II breast cancer only
PHASES = """Inclusion Criteria:

• For Phase I of the study:

  -  Histologically or cytologically confirmed solid cancer with/without evidence of
     locally advanced or metastatic disease (Appendix B).

For Phase II of the study:

  -  Histologically or cytologically confirmed breast cancer.

  -  Prior radiation therapy is allowed, if the irradiated area is not the only source of
     measurable or assessable disease.

     • For phase I and II of the study:

  -  Patients aged ≥18 years.

  -  Life expectancy of at least 12 weeks.

Exclusion Criteria:

  -  Uncontrolled hypertension.
"""

# NCT02344810, verbatim (shortened): the phases as items of the list, their criteria beside them
ITEM_LEADS = """Inclusion Criteria:

  -  Patients must be able to swallow tablets whole

  -  PHASE I:

  -  Patients must have histologically or cytologically confirmed adenocarcinoma originating
     from anywhere in the gastrointestinal tract

  -  PHASE II:

  -  Patients must have measurable disease by RECIST 1.1 criteria within 4 weeks prior to
     registration
"""


@pytest.mark.parametrize(
    ("text", "line", "cohort"),
    [
        (PARTS, "Demonstrated tumor progression at the time of study entry.", ["For Part II"]),
        (PARTS, "No prior chemotherapy.", ["For Part I"]),
        (PHASES, "Histologically or cytologically confirmed breast cancer.", ["For Phase II of the study"]),
        (
            ITEM_LEADS,
            "Patients must have histologically or cytologically confirmed adenocarcinoma originating from anywhere in "
            "the gastrointestinal tract",
            ["PHASE I"],
        ),
        (
            ITEM_LEADS,
            "Patients must have measurable disease by RECIST 1.1 criteria within 4 weeks prior to registration",
            ["PHASE II"],
        ),
    ],
)
def test_a_criterion_under_a_cohort_lead_in_is_that_cohorts(text: str, line: str, cohort: list[str]) -> None:
    for layout in (text, unwrap(text), rewrap(text, 60), to_markdown(text), to_legacy(text)):
        assert _cohorts(layout)[line] == cohort, layout


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (PARTS, "Histologic or cytologic diagnosis of SCLC."),  # before any lead-in
        (PARTS, "Concurrent cancer chemotherapy, biologic therapy or radiotherapy."),  # another section
        (PHASES, "Patients aged ≥18 years."),  # after "For phase I and II of the study:", which names every phase
        (PHASES, "Uncontrolled hypertension."),
        (ITEM_LEADS, "Patients must be able to swallow tablets whole"),
    ],
)
def test_a_criterion_outside_a_cohort_lead_in_stays_everyones(text: str, line: str) -> None:
    assert _cohorts(text)[line] == []


def test_the_sub_items_of_a_cohort_line_without_a_colon_are_that_cohorts() -> None:
    # NCT02723006, verbatim
    text = (
        "Exclusion Criteria:\n\n"
        "  -  Additional Exclusion Requirements for arm 1 only (nivolumab Plus TAK-580)\n\n"
        "       -  Left ventricular ejection fraction (LVEF) <50 percent (%) as measured by echocardiogram or\n"
        "          multiple gated acquisition scan (MUGA) within 4 weeks before receiving the first dose of study\n"
        "          drug.\n"
    )
    assert [c for c in _cohorts(text).values()][1] == ["arm 1"]


def test_the_sub_items_of_an_alternative_for_one_phase_are_that_phases() -> None:
    """NCT00085566: the GBM line is one of the alternatives of "1 of the following"; its sub-items are the phase I GBM
    patients' (fresh sample 21's AB002, which overrules T003's "stays as read"; heading21), while those of the
    alternative that names every phase ("(phase I and II)") keep their reading."""
    text = (
        "DISEASE CHARACTERISTICS:\n\n"
        "  -  Histologically confirmed diagnosis of 1 of the following:\n\n"
        "       -  Glioblastoma multiforme (GBM) (phase I only)\n\n"
        "            -  Progressive disease despite standard therapy\n\n"
        "       -  Castrate metastatic prostate cancer (closed to accrual as of 10/19/2006) (phase I\n"
        "          and II)\n\n"
        "            -  Progressive disease despite standard therapy AND castrate levels < 50 ng/dL\n"
        "               of testosterone\n"
    )
    cohorts = _cohorts(text)
    assert cohorts["Progressive disease despite standard therapy"] == ["phase I"]
    assert cohorts["Progressive disease despite standard therapy AND castrate levels < 50 ng/dL of testosterone"] == []


# --- a time to wait after a therapy for a cancer does not make the trial that cancer's ----------------------------


def _sites(c: Criterion) -> list[tuple[str, ...]]:
    return [getattr(f.values, "sites", ()) for f in facts_of(c, FactKind.PRIMARY_SITE)]


def test_a_washout_after_a_therapy_for_another_cancer_names_no_primary_site() -> None:
    # NCT02142803 (T290), under "the following intervals from previous treatments are required prior to day 1"
    c = one_criterion(
        "12 weeks from the completion of radiation for recurrent GBM unless there is surgical diagnosis of recurrence "
        "or a new lesion that was not previously radiated"
    )
    check(facts_of(c, FactKind.PRIMARY_SITE), NONE)
    # NCT00087334
    c = one_criterion("At least 4 weeks since prior chemotherapy for metastatic colorectal cancer (phase I)")
    check(facts_of(c, FactKind.PRIMARY_SITE), NONE)


@pytest.mark.parametrize(
    ("line", "site"),
    [
        ("Must have received 2 prior chemotherapy regimens for metastatic breast cancer", "site.breast"),  # NCT00765765
        # NCT02103335: a window after a therapy, not a time to wait before entry
        (
            "Documented disease progression during or within 60 days after their most recent line of anti myeloma "
            "therapy.",
            "site.blood",
        ),
    ],
)
def test_a_therapy_for_the_trials_cancer_without_a_wait_keeps_its_site(line: str, site: str) -> None:
    assert _sites(one_criterion(line)) == [(site,)]


# --- the items of a definition of menopause ask nothing ------------------------------------------------------------

# NCT01918306 (T104), verbatim: the definition's items laid out beside its lead-in
MENOPAUSE = """Inclusion Criteria:

  -  For patients who are not postmenopausal or surgically sterile (absence of ovaries
     and/or uterus), agreement to remain abstinent or to use two adequate methods of
     contraception, including at least one method with a failure rate of < 1% per year
     (e.g., hormonal implants, combined oral contraceptives, vasectomy/vasectomized
     partner, tubal ligation), during the treatment period and for at least 30 days after
     the last dose of GDC-0941 or 6 months after the last dose of cisplatin, whichever is
     longer; postmenopausal is defined as:

  -  Age >/= 60 years

  -  Age </= 60 years and amenorrheic for 12 months in the absence of chemotherapy,
     tamoxifen, toremifene, or ovarian suppression; and follicle stimulating hormone and
     estradiol in the postmenopausal range

  -  Patients may have received radiation therapy to painful bone metastases or areas of
     impending bone fracture as long as radiation therapy is completed ≥ 2 weeks prior to
     day 1 of cycle 1 of treatment.
"""


def _modalities(text: str) -> dict[str, str]:
    return {" ".join(c.text.split()): c.scope.modality for c in parse_text(text) if c.source == "text"}


def test_the_items_of_a_definition_of_menopause_are_notes() -> None:
    for layout in (MENOPAUSE, unwrap(MENOPAUSE), to_markdown(MENOPAUSE)):
        read = _modalities(layout)
        assert read["Age >/= 60 years"] == NOTE
        assert read[next(t for t in read if t.startswith("Age </= 60 years"))] == NOTE
        assert read[next(t for t in read if t.startswith("Patients may have received"))] != NOTE


def test_a_required_status_spelled_out_keeps_its_items() -> None:
    # NCT00101062: postmenopausal status is the trial's requirement, its items the ways to meet it
    text = (
        "Inclusion Criteria:\n\n  -  Postmenopausal, as defined by 1 of the following:\n\n"
        "       -  Prior bilateral oophorectomy\n\n       -  Age 55 and over AND prior hysterectomy without "
        "oophorectomy\n"
    )
    assert NOTE not in _modalities(text).values()


# --- "thyroid carcinoma of follicular origin" leaves an anaplastic carcinoma open ----------------------------------

T209 = "Patients must have histologically or cytologically confirmed thyroid carcinoma of follicular origin"


def test_follicular_origin_is_unknown_for_an_anaplastic_carcinoma() -> None:
    # NCT02456701 (T209); anaplastic carcinoma arises from follicular-cell carcinoma (seed review, "Selective BRAF
    # inhibitors": "an anaplastic transformation emerges from a prior history of PTC")
    m = match("NCT02456701", profile("vegfr-naive-rair", {"diagnosis.histology": "anaplastic"}))
    result = next(r for r in m.results if " ".join(r.criterion.text.split()).startswith(T209))
    assert result.outcome is Outcome.UNKNOWN, result.reason


@pytest.mark.parametrize(("histology", "violated"), [("papillary", False), ("medullary", True)])
def test_follicular_origin_keeps_its_members_and_excludes_medullary(histology: str, violated: bool) -> None:
    m = match("NCT02456701", profile("vegfr-naive-rair", {"diagnosis.histology": histology}))
    result = next(r for r in m.results if " ".join(r.criterion.text.split()).startswith(T209))
    assert (result.outcome is Outcome.VIOLATED) is violated, result.reason
