"""site16 (tests/audit/site16_changes.txt): no 'trial is for <cancer>' where the trial lets a thyroid patient in (issue
10 item 4). A line that opens the trial, or one part of it, to solid tumours or to any cancer makes the trial's other
site requirements, and its conditions list, uncertain; an organ's metastases from any primary and any cancer that
carries a target are baskets. Every text is the registry's."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind
from tests.readings import NONE, UNCERTAIN, check, conditions_site_facts, item_facts, line_facts, list_text

SITE = FactKind.PRIMARY_SITE


# NCT02289690: a phase 1 part for solid tumours beside the phase 2 part's small cell lung cancer
NCT02289690 = list_text(
    "Subject with histologically or cytologically confirmed extensive-stage disease SCLC which is newly diagnosed "
    "and chemotherapy naive",
    "Phase 1 ONLY: histologically or cytologically confirmed advanced/metastatic solid tumors for which "
    "carboplatin/etoposide treatment is considered appropriate.",
)


def test_a_phase_for_solid_tumours_makes_the_other_parts_site_uncertain() -> None:
    line = (
        "Subject with histologically or cytologically confirmed extensive-stage disease SCLC which is newly "
        "diagnosed and chemotherapy naive"
    )
    check(line_facts(NCT02289690, line, SITE), UNCERTAIN)
    assert all(f.uncertain and f.uncertain.startswith("another line lets many cancers in") for f in
               conditions_site_facts(NCT02289690, "small cell lung cancer"))  # fmt: skip


def test_the_parts_alone_still_say_what_the_trial_is_for() -> None:
    line = (
        "Subject with histologically or cytologically confirmed extensive-stage disease SCLC which is newly "
        "diagnosed and chemotherapy naive"
    )
    alone = list_text(line)
    assert [f.uncertain for f in line_facts(alone, line, SITE)] == [None]


def test_solid_tumours_named_beside_the_trials_cancer() -> None:
    # NCT00421889 Part C: "Patients with refractory solid tumors other than ovarian cancer."; conditions ovarian and
    # bladder cancer
    text = list_text("Patients with refractory solid tumors other than ovarian cancer.")
    facts = conditions_site_facts(text, "ovarian cancer", "bladder cancer")
    assert facts and all(f.uncertain for f in facts)


def test_conditions_list_beside_a_basket_line_is_uncertain() -> None:
    # NCT00315861, NCT00379639: conditions name other cancers, the text any advanced solid tumour
    for line, conditions in (
        ("Histologically proven advanced solid tumors", ("ovarian cancer", "endometrial cancer", "lung cancer")),
        ("histologically confirmed advanced solid tumors", ("pancreatic cancer",)),
        # NCT03295084
        (
            "Patients must have histological confirmed malignancy (solid tumor) that is metastatic or unresectable and "
            "for which standard curative or palliative measures do not exist or are no longer effective.",
            ("metastatic colorectal cancer",),
        ),
        # NCT01583686, NCT02153905: any cancer that carries the target
        (
            "Metastatic or unresectable measurable cancers that express mesothelin.",
            ("cervical cancer", "pancreatic cancer", "ovarian cancer", "mesothelioma", "lung cancer"),
        ),
        (
            "Metastatic or locally advanced refractory/recurrent cancer that expresses MAGE-A3 as assessed by one of "
            "the following methods",
            ("breast cancer", "cervical cancer", "renal cancer", "melanoma", "bladder cancer"),
        ),
    ):
        facts = conditions_site_facts(list_text(line), *conditions)
        assert facts and all(f.uncertain for f in facts), line


def test_not_a_basket_line() -> None:
    # a closed list after the solid cancer (NCT02835833), the response criteria (NCT02106546), a history
    # (NCT00115765), a breast cancer's "locally advanced cancers" (NCT00206453): the conditions stay certain
    for line, conditions in (
        (
            "Histologically proven advanced or metastatic solid cancer for which Bevacizumab has an indication: renal "
            "cell carcinoma, colorectal adenocarcinoma, non-squamous non-small cell lung cancer, platinum- refractory "
            "ovarian carcinoma, cervical carcinoma",
            ("renal cell carcinoma", "colorectal adenocarcinoma"),
        ),
        (
            "Subject must have at least 1 unidimensional measurable NSCLC lesion on a computerized tomography (CT) "
            "scan as defined by Response Evaluation Criteria In Solid Tumors (RECIST - version 1.1).",
            ("squamous non-small cell lung cancer",),
        ),
        (
            "Other primary solid tumor curatively treated with no known active disease present and no treatment "
            "administered during the last 3 years",
            ("colorectal cancer",),
        ),
        (
            "Locally advanced breast cancers or primary breast cancers with concomitant gross metastatic disease are "
            "eligible; locally advanced cancers must be of clinical and/or radiologic size > 4 cm and/or are deemed "
            "surgically inoperable.",
            ("breast cancer",),
        ),
        # NCT01016860, NCT00101907: an advanced cancer for a drug the trial names the cancers of ("Irinotecan must be
        # listed in the Compendia for reimbursement, ie. colorectal cancer; lung cancer; ...", fresh sample 10's Q012)
        (
            "Dose Escalation Phase: Histological or cytopathological diagnosis of an advanced cancer that is "
            "refractory to standard therapy or for which no standard therapy exists.",
            ("colorectal cancer",),
        ),
        (
            "Subjects with advanced cancer in whom the gemcitabine and cisplatin chemotherapy regimen is clinically "
            "indicated",
            ("lung cancer", "pancreatic cancer", "esophageal cancer"),
        ),
    ):
        facts = conditions_site_facts(list_text(line), *conditions)
        assert facts and not any(f.uncertain for f in facts), line


def test_closed_list_after_solid_tumour_keeps_the_trial_for_its_cancers() -> None:
    # NCT01476137: "a solid tumor malignancy with one of the following characteristics ...: breast cancer, ..."
    text = list_text(
        "Histologically or cytologically confirmed diagnosis of a solid tumor malignancy with one of the following "
        "characteristics that is not responsive to standard therapies or for which there is no approved or curative "
        "therapy or for subjects which refuse standard therapy: breast cancer, colorectal cancer, pancreatic cancer, "
        "endometrial cancer, non-small cell lung cancer, ovarian cancer, melanoma, renal cell carcinoma, head and neck "
        "cancer, prostate cancer, gastric cancer, hepatocellular cancer, or bladder cancer."
    )
    facts = conditions_site_facts(text, "breast cancer", "colorectal cancer")
    assert facts and not any(f.uncertain for f in facts)


def test_an_organs_metastases_from_any_primary_is_a_basket() -> None:
    # NCT00216437
    line = (
        "Histologically or cytologically confirmed unresectable hepatocellular carcinoma, liver mets with no evidence "
        "of extrahepatic disease, or cholangiocarcinoma. (see exclusion criteria 10)"
    )
    check(item_facts("Inclusion", line, SITE), NONE)
    # not the trial's cancer's own bone metastases (NCT01127763)
    own = "Women with metastatic breast cancer (measurable or evaluable including bone metastases only)"
    assert [f.values.sites for f in item_facts("Inclusion", own, SITE)] == [("site.breast",)]
