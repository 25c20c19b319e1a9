"""Therapy 21 (issue 10; tests/audit/therapy21_changes.txt): a prior therapy or a progression told in the course of
another cancer than the patient's thyroid cancer ("Treatment-naive SSCHN, i.e. no prior chemotherapy, radiotherapy
...", "Chronic myelogenous leukemia resistant to imatinib therapy", "Relapse or progression of myeloma following prior
systemic antineoplastic therapy") is that cancer's, of which a thyroid patient's therapies and course tell nothing:
uncertain, not read as the thyroid cancer's (the trial's relevance says whom it is for), a requirement only where the
trial's list or conditions list names another cancer's primary site; and a therapy's start timed by another therapy is
the protocol's schedule. Each line quotes the registry text it came from; the thyroid lines keep
their readings."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Fact, FactKind, Polarity
from matcher.eligibility.parser import StructuredFields, parse_text
from tests.readings import UNCERTAIN, check, item_facts, list_text
from tests.readings import therapy_facts as _therapy

_COURSE = "about another cancer's therapy"


def _facts(text: str, line: str, kind: FactKind, *conditions: str) -> list[Fact]:
    """The facts of one kind of ``line`` in the trial's list ``text``, read beside its conditions list (the evidence
    the primary-site kind reads for "trial is for <cancer>")."""
    criteria = parse_text(text, StructuredFields(conditions=conditions))
    return [f for c in criteria if " ".join(c.text.split()) == line for f in c.facts if f.kind is kind]


# NCT00376519 (fresh sample 21's AB020): a line of its list that names a blood cancer as the trial's
_MDS = (
    "Myelodysplasia (MDS) IPSS Int-2 or High risk (i.e. RAEB, RAEBt) or refractory anemia with severe pancytopenia or "
    "high risk cytogenetics. Blasts must be < 10% by a representative bone marrow aspirate morphology (otherwise "
    "induction chemotherapy to achieve < 10% blasts is required pre-transplant)."
)
_MYELOMA = "Relapse or progression of myeloma following prior systemic antineoplastic therapy"  # NCT01464112 (AB134)
_CML = "Chronic myelogenous leukemia resistant to imatinib therapy"


@pytest.mark.parametrize(
    ("items", "line", "conditions", "cancer", "polarity"),
    [
        # NCT00570674 (fresh sample 21's AB206, judged wrong): the untreated cancer is the SSCHN; an exclusion of
        # another cancer's therapy is none of the patient's, whatever the trial's list says
        (
            (),
            "Treatment-naive SSCHN, i.e. no prior chemotherapy, radiotherapy or attempted complete resection.",
            (),
            "SSCHN",
            Polarity.EXCLUDE,
        ),
        # NCT00376519 (AB020): the leukemia's resistance, not an imatinib the thyroid patient lacks
        ((_MDS,), _CML, (), "leukemia", Polarity.REQUIRE),
        # NCT01464112 (AB134), a trial its conditions list gives to multiple myeloma
        ((), _MYELOMA, ("multiple myeloma",), "myeloma", Polarity.REQUIRE),
        # NCT02041533
        (
            (),
            "Histologically confirmed Stage IV, or Recurrent NSCLC with no prior systemic anticancer therapy",
            (),
            "NSCLC",
            Polarity.EXCLUDE,
        ),
        # NCT00345761
        (
            (),
            "Metastatic and/or locally advanced colorectal cancer not previously treated with chemotherapy for "
            "metastatic disease",
            (),
            "colorectal cancer",
            Polarity.EXCLUDE,
        ),
        # NCT01871805
        ((), "NSCLC that has failed crizotinib treatment", ("non-small cell lung cancer",), "NSCLC", Polarity.REQUIRE),
        # NCT01083368: the course word on the therapy's name, the cancer after it
        (
            (),
            "Patients must have evidence of chemotherapy-refractory metastatic CRPC following standard antiandrogen "
            "withdrawal (AAWD); CRPC will be defined as patients with metastatic prostate cancer with radiologic "
            "evidence of metastases on either bone scan, plain x-rays, CT scans, chest x-ray, and castrate levels of "
            "testosterone ( =< 50 mg/dL)",
            (),
            "CRPC",
            Polarity.REQUIRE,
        ),
        # NCT02253212 (a line tests/test_therapy7_readings.py kept certain before therapy 21): the glioma's failure
        (
            (),
            "Subjects with recurrent glioma who have failed standard therapy with surgery and/or treatment with "
            "radiation and temozolomide.",
            (),
            "glioma",
            Polarity.REQUIRE,
        ),
        # NCT03652233: a head and neck cancer named in full, its immunotherapy
        (
            (),
            "Recurrent/metastatic Squamous Cell Carcinoma of the Head and Neck not previously treated with "
            "immunotherapy",
            (),
            "Squamous Cell Carcinoma of the Head and Neck",
            Polarity.EXCLUDE,
        ),
    ],
)
def test_therapy_21_another_cancers_therapy_is_uncertain(
    items: tuple[str, ...], line: str, conditions: tuple[str, ...], cancer: str, polarity: Polarity
) -> None:
    facts = _facts(list_text(*items, line), line, FactKind.PRIOR_THERAPY, *conditions)
    check(facts, UNCERTAIN)
    assert all(f.polarity is polarity for f in facts), facts
    assert all(f.uncertain and f.uncertain.startswith(f"{_COURSE} ({cancer!r})") for f in facts), facts


def test_therapy_21_another_cancers_lines_excluded_are_none_of_hers() -> None:
    """NCT00989261 (Chia; kept certain by tests/test_therapy_sweep_readings.py before therapy 21), under the exclusions:
    the AML's lines of chemotherapy are none of the thyroid patient's."""
    facts = _therapy(
        "Exclusion",
        "AML in relapse or refractory after 3 or more previous lines of chemotherapy (and/or HSCT) treatment",
    )
    check(facts, UNCERTAIN)
    assert all(f.polarity is Polarity.EXCLUDE and f.uncertain.startswith(f"{_COURSE} ('AML')") for f in facts), facts


@pytest.mark.parametrize(
    ("line", "conditions"),
    [
        # NCT00376519's line alone: no line and no condition says the trial is for another cancer
        (_CML, ()),
        # NCT01602952 (fresh sample 15's V090), read beside its conditions list, which names no site the vocabulary
        # reads: the requirement is what tells a thyroid patient the trial is not hers
        (
            "Ph+ CML patients in chronic or accelerated phase who are resistant or intolerant to Imatinib mesylate",
            (
                "leukemia",
                "leukemia",
                "myeloid",
                "leukemia",
                "myelogenous",
                "chronic",
                "bcr-abl positive",
                "philadelphia chromosome",
                "hematologic diseases",
            ),
        ),
        # NCT02728622 (fresh sample 8's N065): an organ before the cancer's noun is no primary site of the vocabulary
        (
            "Patients with invasive epithelial ovarian, fallopian tube or peritoneal cancer, being resistant to "
            "treatment with platinum and a taxane, either given in combination or sequentially.",
            (),
        ),
    ],
)
def test_therapy_21_another_cancers_course_required_where_the_trial_names_no_other_site(
    line: str, conditions: tuple[str, ...]
) -> None:
    facts = _facts(list_text(line), line, FactKind.PRIOR_THERAPY, *conditions)
    assert facts and all(f.polarity is Polarity.REQUIRE and not f.uncertain for f in facts), facts


@pytest.mark.parametrize(
    ("line", "conditions", "cancer"),
    [
        # NCT01464112 (AB134): the myeloma's relapse or progression, not the thyroid cancer's
        (_MYELOMA, ("multiple myeloma",), "myeloma"),
        # NCT00738881
        ("Documented recurrence or disease progression of NSCLC", ("stage iv non-small cell lung cancer",), "NSCLC"),
        # NCT00326586
        ("Advanced castration-resistant prostate carcinoma with progressive disease", (), "prostate carcinoma"),
    ],
)
def test_therapy_21_another_cancers_progression_is_uncertain(
    line: str, conditions: tuple[str, ...], cancer: str
) -> None:
    facts = _facts(list_text(line), line, FactKind.PROGRESSION, *conditions)
    check(facts, UNCERTAIN)
    why = f"about another cancer's progression ({cancer!r})"
    assert all(f.uncertain and f.uncertain.startswith(why) for f in facts), facts


def test_therapy_21_a_therapys_start_timed_by_another_is_the_protocols_schedule() -> None:
    """NCT01336543 (fresh sample 5's K069, judged wrong), a stage III NSCLC trial whose list also says "No prior
    treatment for lung cancer": the consolidation after the concurrent chemoradiotherapy is the protocol's."""
    facts = _therapy(
        "Inclusion",
        "Initiation of consolidation chemotherapy within 4-8 weeks of concurrent chemo-radiotherapy without "
        "progression.",
    )
    check(facts, UNCERTAIN)
    assert all(f.uncertain and f.uncertain.startswith("a therapy's start timed by another") for f in facts), facts


@pytest.mark.parametrize(
    ("line", "kind", "polarity"),
    [
        # NCT03037385's thyroid group: the MTC's course is the patient's own
        (
            "Group 3 - patients must have pathologically documented, definitively diagnosed advanced MTC that has "
            "progressed within 14 months prior to the Screening Visit and was previously treated with cabozantinib "
            "and/or vandetanib.",
            FactKind.PRIOR_THERAPY,
            Polarity.REQUIRE,
        ),
        # NCT03690388
        (
            "Previously treated with at least one of the following VEGFR-targeting TKI agents for DTC: lenvatinib or "
            "sorafenib.",
            FactKind.PRIOR_THERAPY,
            Polarity.REQUIRE,
        ),
        # NCT00510640
        (
            "Tumor disease must be progressive (evidence of disease progression within 6 months before starting the "
            "study for follicular and medullary thyroid cancer or symptomatic disease)",
            FactKind.PROGRESSION,
            Polarity.REQUIRE,
        ),
    ],
)
def test_therapy_21_the_thyroid_cancers_course_keeps_its_reading(line: str, kind: FactKind, polarity: Polarity) -> None:
    facts = item_facts("Inclusion", line, kind)
    assert facts and all(f.polarity is polarity and not f.uncertain for f in facts), facts
