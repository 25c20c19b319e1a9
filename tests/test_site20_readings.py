"""site20 (tests/audit/site20_changes.txt): fresh sample 20's primary-site items. A line that takes a cancer of any
primary ("liver dominant or liver only malignancy") keeps a conditions list from saying the trial is for one site
(AA227); a bare "Part A" / "Part B" line heads its part's items (AA046); a site in a drug ban's exceptions is not the
trial's cancer (AA109); a line that names several cancers names them all (AA107, AA404). Every text is the
registry's."""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.kinds.primary_site import PrimarySiteValues
from tests.readings import NONE, UNCERTAIN, check, cohorts_by_text, conditions_site_facts, item_facts, list_text


def _sites(line: str) -> tuple[str, ...]:
    facts = item_facts("Inclusion", line, FactKind.PRIMARY_SITE)
    assert len(facts) == 1 and facts[0].polarity is Polarity.REQUIRE and not facts[0].uncertain, facts
    assert isinstance(facts[0].values, PrimarySiteValues)
    return facts[0].values.sites


def test_a_liver_dominant_malignancy_keeps_the_conditions_list_from_deciding() -> None:
    # NCT02753881 (AA227), a TACE trial listed for "liver cancer"
    text = list_text(
        "Age ≥ 18 years.",
        "Histologically, cytologically, or radiologically confirmed liver dominant or liver only malignancy.",
        "Preserved liver function (Child-Pugh A-B class) without significant liver decompensation.",
    )
    check(conditions_site_facts(text, "liver cancer"), UNCERTAIN)


def test_bare_part_lines_head_their_parts_items() -> None:
    # NCT01294735 (AA046)
    text = (
        "Inclusion criteria\n\nPart A\n\n"
        "  -  Participants with histologically-confirmed advanced solid tumors who have failed to\n"
        "     respond to standard therapy, or progressed on standard therapy, or for whom standard\n"
        "     therapy does not exist.\n\nPart B\n\n"
        "  -  Participants must have a histologically-confirmed recurrent glioblastoma multiforme\n"
        "     (GBM) with radiographic evidence of progression/recurrence of disease, with up to two\n"
        "     prior treatment regimens (not including temozolomide or bevacizumab) for their\n"
        "     recurrent disease.\n\nPart A and Part B\n\n"
        "  -  Participants with Eastern Cooperative Oncology Group (ECOG) Performance Status of 0 or\n     1.\n"
    )
    cohorts = cohorts_by_text(text)
    assert cohorts == {
        "Participants with histologically-confirmed advanced solid tumors who have failed to respond to standard "
        "therapy, or progressed on standard therapy, or for whom standard therapy does not exist.": ["Part A"],
        "Participants must have a histologically-confirmed recurrent glioblastoma multiforme (GBM) with radiographic "
        "evidence of progression/recurrence of disease, with up to two prior treatment regimens (not including "
        "temozolomide or bevacizumab) for their recurrent disease.": ["Part B"],
        "Participants with Eastern Cooperative Oncology Group (ECOG) Performance Status of 0 or 1.": [],
    }


def test_a_site_in_a_drug_bans_exceptions_is_not_the_trials() -> None:
    # NCT02530476 (AA109)
    line = (
        "In the absence of rapidly progressing disease, the interval from prior treatment to time of initiation of "
        "selinexor and sorafenib administration will be at least 2 weeks for cytotoxic agents or at least 5 "
        "half-lives for cytotoxic/noncytotoxic agents. The use of chemotherapeutic or anti-leukemic agents is not "
        "permitted during the study with the following exceptions: (1) intrathecal (IT) therapy for patients with "
        "controlled Central Nervous System (CNS) leukemia at the discretion of the PI and with the agreement of the "
        "Sponsor. Controlled CNS leukemia is defined by the absence of active clinical signs of CNS disease and no "
        "evidence of CNS leukemia on the most recent 2 simultaneous CSF evaluations."
    )
    check(item_facts("Inclusion", line, FactKind.PRIMARY_SITE), NONE)


def test_a_line_of_several_cancers_names_them_all() -> None:
    # NCT00565227 (AA404)
    assert _sites(
        "Only patients with non-small cell lung, prostate, and bladder/urothelial cancer that has progressed after "
        "chemotherapy or after hormone therapy."
    ) == ("site.lung", "site.prostate", "site.bladder")
    # NCT02442739 (AA107)
    assert _sites(
        "Stage -II-IV epidermoid cancer of the head and neck OR stage III-IV pancreatic cancer, with prognosis of at "
        "least three months, per oncologist."
    ) == ("site.head_neck", "site.pancreas")
    # NCT02655952
    assert _sites(
        "Histologically/cytologically documented diagnosis of metastatic breast, colon or prostate cancer, refractory "
        "to standard therapy or for which no curative therapy exists"
    ) == ("site.breast", "site.colorectal", "site.prostate")
