"""Scope 20 (issue 10; tests/audit/scope20_changes.txt; the group clause: tests/audit/group20_changes.txt): fresh
sample 20 found prior therapy read as required from words that ask for none (AA194, AA172, AA123). A sentence that
lists what a permission before it allows, a sentence that recommends a therapy, a requirement under an "otherwise"
condition, a therapy named "if given", and a clause that opens on the group of patients it is for ask nothing of every
patient (`scope.unasked_spans`): a requirement read there is uncertain, never a violation. Each row quotes registry
text of the tuning corpora, with its trial."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.knowledge_base import load_knowledge
from matcher.matching.evaluate import Outcome, TrialInfo, match_trial
from matcher.patient import parse_patient
from tests.readings import UNCERTAIN, check, item_criterion, item_facts

# AA194: "Naïve or any number of prior ..." permits; "This includes ..." only lists the regimens it permits
NCT02915666 = (
    "Naïve or any number of prior systemic therapeutic regimens for unresectable stage III or stage IV melanoma, "
    "except prior BRAF or MEK inhibitor agents. This includes chemotherapy, immunotherapy, biochemotherapy, or "
    "investigational treatments. Patients may also have received therapies in the adjuvant setting."
)
# AA172: "should be considered for debulking chemotherapy" recommends
NCT00963872 = (
    "Chronic lymphocytic leukemia/small lymphocytic lymphoma (CLL/SLL), marginal zone B-cell lymphoma, follicular "
    "lymphoma which have progressed after at least two prior therapies. Patients with bulky disease should be "
    "considered for debulking chemotherapy before transplant. Patients with refractory disease are eligible, unless "
    "has bulky disease and an estimated tumor doubling time of less than one month. Patients with stable disease are "
    "eligible for transplantation if the largest residual nodal mass is < 5 cm (approximately). For patients who have "
    "responded to preceding therapy, the largest residual mass must represent a 50% reduction and be < 7.5 cm "
    "(approximately)."
)
# AA123: the induction chemotherapy is required only when the blasts are not < 10%
NCT00376519 = (
    "Myelodysplasia (MDS) IPSS Int-2 or High risk (i.e. RAEB, RAEBt) or refractory anemia with severe pancytopenia or "
    "high risk cytogenetics. Blasts must be < 10% by a representative bone marrow aspirate morphology (otherwise "
    "induction chemotherapy to achieve < 10% blasts is required pre-transplant)."
)
NCT02277197 = (
    "Disease recurrence within 6 months of completing definitive radiotherapy for locally advanced disease. Radiation "
    "must have included concurrent cetuximab. Induction chemotherapy, if given, may or may not have included cetuximab."
)


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (NCT02915666, "a list of what a permission before it allows ('This includes')"),
        (NCT00963872, "a recommendation ('should be considered for')"),
        (
            "Chronic lymphocytic leukemia/small lymphocytic lymphoma (CLL/SLL), marginal zone B-cell lymphoma or "
            "follicular lymphoma that have progressed after at least two prior therapies. Patients with bulky disease "
            "(nodal mass greater than 5 cm) should be considered for debulking chemotherapy before transplant.",
            "a recommendation",
        ),  # NCT00376519
        (NCT00376519, "asked under a condition ('otherwise induction chemotherapy"),
    ],
)
def test_no_therapy_is_required_by_words_that_ask_for_none(line: str, why: str) -> None:
    facts = item_facts("Inclusion", line, FactKind.PRIOR_THERAPY)
    check(facts, UNCERTAIN)
    assert all(why in (f.uncertain or "") for f in facts), facts


def test_a_condition_of_having_had_the_therapy_leaves_the_other_sentences_as_read() -> None:
    # NCT02277197: the chemotherapy "if given" is not asked; the cetuximab with the radiation still is
    facts = item_facts("Inclusion", NCT02277197, FactKind.PRIOR_THERAPY)
    by_evidence = {f.evidence: f for f in facts}
    assert by_evidence["Radiation must have included concurrent cetuximab."].uncertain is None
    assert "if given" in (by_evidence[NCT02277197.split(". ")[-1]].uncertain or "")


def test_an_otherwise_clause_makes_the_other_limit_uncertain_too() -> None:
    # NCT02955810: the >= 70 is the limit of the patients with < 50% plasma cells only
    line = (
        "platelet count ≥70x109/l for patients in whom <50% of bone marrow nucleated cells are plasma cells; otherwise "
        "platelet count >50x109/l (transfusions are not permitted to achieve this minimum platelet count)."
    )
    check(item_facts("Inclusion", line, FactKind.LAB), UNCERTAIN)


@pytest.mark.parametrize(
    ("section", "line", "polarity"),
    [
        # an exclusion of a therapy "if given" in a window is a washout: it stays (NCT01251640)
        (
            "Exclusion",
            "Previous gemcitabine or 5-fluorouracil (5-FU) given concurrently as radiosensitizers to radiation therapy "
            "in adjuvant intention if given within 6 months from start of study treatment",
            Polarity.EXCLUDE,
        ),
        # "This includes ..." after a requirement defines progression, not a permission (NCT00571116)
        (
            "Inclusion",
            "Subjects must have progressed based on Response Evaluation Criteria in Solid Tumors (RECIST) criteria "
            "after at least one prior systemic therapy (chemotherapy, biologic/immunotherapy, or a combination "
            "regimen) for metastatic disease. This includes development of any new lesion or a 20% increase in the "
            "sum of the subject's measurable disease compared to their previous nadir.",
            Polarity.REQUIRE,
        ),
    ],
)
def test_what_the_spans_do_not_cover_stays_as_read(section: str, line: str, polarity: Polarity) -> None:
    facts = item_facts(section, line, FactKind.PRIOR_THERAPY)
    assert facts and all(f.polarity is polarity and f.uncertain is None for f in facts), facts


@pytest.mark.parametrize("line", [NCT00963872, NCT00376519])
def test_the_trials_cancer_is_still_read_beside_the_unasked_span(line: str) -> None:
    # what a sentence recommends or asks under a condition is in doubt; the blood cancer the line names is not
    [site] = item_facts("Inclusion", line, FactKind.PRIMARY_SITE)
    assert site.uncertain is None and site.values.sites == ("site.blood",)


def test_a_thyroid_patient_without_chemotherapy_is_not_excluded_by_the_listed_regimens() -> None:
    criterion = item_criterion("Inclusion", NCT02915666)
    # the melanoma the line names excludes a thyroid patient on its own: the prior therapy is matched alone
    therapy_only = replace(criterion, facts=tuple(f for f in criterion.facts if f.kind is FactKind.PRIOR_THERAPY))
    info = TrialInfo("NCT02915666", "t", "RECRUITING", ())
    profile = {"id": "p", "diagnosis": {"histology": "papillary"}, "therapies": [{"name": "Lenvima"}]}
    m = match_trial(info, [therapy_only], parse_patient(profile).patient, date(2026, 12, 5), load_knowledge())
    assert m.results[0].outcome is not Outcome.VIOLATED


@pytest.mark.parametrize(
    ("line", "kind", "group"),
    [
        (
            "Refractory: is defined as patients that have not achieved a first CR after 2 cycles of induction "
            "chemotherapy; for patients with leukemia evolving from myelodysplastic syndrome, they should have "
            "completed at least one cycle of induction chemotherapy;",
            FactKind.PRIOR_THERAPY,
            "for patients with leukemia evolving from myelodysplastic syndrome",
        ),  # NCT03672851
        (
            "The tumor must be clinically Stage II (T3-4 N0) or stage III (N+). Stage of the tumor may be determined "
            "by CT scan, endorectal ultrasound or MRI. (For patients receiving chemotherapy prior to protocol "
            "chemoradiation, the initial clinical stage applies. CT/MRI/PET should be performed within 2 months of "
            "study entry to exclude disease progression.). For the MTD expansion phase only: patients who are stage "
            "IV, and in whom it is planned to administer capecitabine and radiation then have a resection of their "
            "rectal cancer, are also eligible.",
            FactKind.PRIOR_THERAPY,
            "For patients receiving chemotherapy prior to protocol chemoradiation",
        ),  # NCT02550743
        (
            "Staging by intravenous contrast-enhanced thin section helical abdominal computed tomography (2.5 mm cuts "
            "or less) or MRI (for patients with an IV contrast allergy) using pancreatic protocol. Endoscopic "
            "ultrasound is required for tissue acquisition and staging confirmation.",
            FactKind.HYPERSENSITIVITY,
            "for patients with an IV contrast allergy",
        ),  # NCT01783054
        (
            "Patient must be premenopausal confirmed by serum estradiol level in the premenopausal range (> 25 pg/ml) "
            "at the beginning of the study; for women on oral contraceptives, these agents must be held for two weeks "
            "before the estradiol assessment is made",
            FactKind.CONTRACEPTION,
            "for women on oral contraceptives",
        ),  # NCT01368263
        (
            # the cap is the non-RCC patients' (a thyroid patient's too), but whether a profile is one of "other
            # advanced refractory solid tumors" is not decided: unknown, not violated (group20_changes.txt)
            "Histologically progressive mRCC or other advanced refractory histologically or cytologically confirmed "
            "solid tumors. In mRCC situation, only patients who have received no prior therapy or who have failed "
            "only one prior systemic therapy (except tyrosine kinase inhibitors) are allowed; for patients with other "
            "advanced refractory solid tumors, no more than three prior systemic therapy regimens (except tyrosine "
            "kinase inhibitors) are permitted.",
            FactKind.PRIOR_THERAPY,
            "for patients with other advanced refractory solid tumors",
        ),  # NCT01202032
    ],
)
def test_what_a_clause_asks_of_the_group_it_opens_on_is_uncertain(line: str, kind: FactKind, group: str) -> None:
    facts = item_facts("Inclusion", line, kind)
    check(facts, UNCERTAIN)
    assert all(f"asked only of a group of patients ({group!r})" in (f.uncertain or "") for f in facts), facts


def test_what_stands_before_the_groups_clause_is_everyones() -> None:
    # NCT01624441: the cap on prior regimens is everyone's; only the adjuvant-counting clause is the group's
    line = (
        "Patients must have no more than two prior chemotherapy regimens for metastatic breast cancer; in patients "
        "who develop disease recurrence within 6 months of adjuvant or neoadjuvant chemotherapy, the adjuvant or "
        "neoadjuvant therapy will be considered one prior regimen for metastatic disease"
    )
    facts = item_facts("Inclusion", line, FactKind.PRIOR_THERAPY)
    cap = next(f for f in facts if f.values.max_count == 2)
    assert "group of patients" not in (cap.uncertain or "")
    assert all("group of patients" in (f.uncertain or "") for f in facts if f is not cap)
