"""Therapy 8 (issue 10; tests/audit/therapy8_changes.txt): the pool's unread prior-therapy outcomes judged wrong, by
class of phrasing. Each phrasing is registry text with the trial it came from; the first rows are now uncertain (never
another requirement), the next are not read as a therapy at all, the next are read with a narrower class, the last
must keep their reading."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Polarity
from tests.readings import therapy_facts as _therapy

UNCERTAIN = [
    # an alternative to having had the therapy: declined, refused, unable, not eligible, none available
    (
        "Inclusion",
        "Treatment expansion phase only: Patients with inoperable, histologically proven locally advanced or "
        "metastatic pancreatic, refractory to conventional chemotherapy or a patient who has declined conventional "
        "chemotherapy.",
        "alternative to having had it",
    ),  # NCT03277209
    (
        "Inclusion",
        "Have progressive disease following standard/approved chemotherapy or have no appropriate alternative therapy "
        "available.",
        "alternative to having had it",
    ),  # NCT01041235
    (
        "Inclusion",
        "Ineligible (due to medical co-morbidities) or intolerant to platinum-based therapy per medical history or "
        "refusing cisplatin-based chemotherapy by the patient",
        "alternative to having had it",
    ),  # NCT02054442
    (
        "Inclusion",
        "All patients must have either received prior sunitinib or sorafenib (discontinued for disease progression or "
        "unacceptable toxicity) or be unable to receive these agents.",
        "alternative to having had it",
    ),  # NCT01372813
    # a count cap told in words
    ("Inclusion", "Less than or equal to one prior line of chemotherapy for advanced disease.", "count limit"),
    # NCT00722293
    # a permission or a counting note read as a requirement
    (
        "Inclusion",
        "There is no limit on prior courses of chemotherapy as long as the regimen did not contain docetaxel. Prior "
        "use of paclitaxel (Taxol) or other taxanes is permissible.",
        "permission",
    ),  # NCT00565227
    # a therapy not had
    ("Inclusion", "Patients must be previously untreated with chemotherapy or radiation therapy", "not had"),
    # NCT01954732
    (
        "Inclusion",
        "Untreated or previously treated for WM. Previously treated subjects must have either documented disease "
        "progression or had no response (stable disease) to the most recent treatment regimen",
        "either way",
    ),  # NCT02165397
    # a rule for some patients
    ("Inclusion", "For patients after progression on an ALK inhibitor:", "some patients"),  # NCT02292550
    (
        "Inclusion",
        "Patients with a progression-free-interval of 6 to 12 months after platinum-based chemotherapy are only "
        "eligible if a further course of platinum-based combination chemotherapy is not possible as judged by the "
        "investigator(s).",
        "some patients",
    ),  # NCT00862836
    # no washout needed, an enrolment quota, an alternative to the criterion before
    (
        "Inclusion",
        "No limit to prior therapies with last anti-cancer treatment ≥ 2 weeks from initiation of protocol-based "
        "therapy provided all toxicities (other than alopecia) have resolved to ≤Grade 1 or baseline. For lapatinib "
        "and IV trastuzumab and/or pertuzumab, no washout is required.",
        "no washout",
    ),  # NCT02650752
    (
        "Inclusion",
        "Population of patients who has previously received ≥ 3 lines of therapy for relapsed disease will be capped "
        "at 40%.",
        "quota",
    ),  # NCT02354131
    ("Inclusion", "Or patient who still refractory to first line chemotherapy for an ALL", "opens on 'or'"),
    # NCT00723346
    # whether a therapy could be given
    (
        "Inclusion",
        "Not amendable to surgical resection ,local ablative therapy and any other cured treatment.",
        "could",
    ),
    # NCT02774187
    ("Inclusion", "Prior radiation therapy that would exclude the use of TMLI", "could"),  # NCT02446964
    # a therapy a condition requires, with a bracket between
    ("Exclusion", "Infections requiring intravenous (IV) systemic therapy", "condition requires"),  # NCT00413322
    # some of a class
    ("Exclusion", "Previous therapy with certain molecularly targeted agents", "some therapies"),  # NCT00304525
    # a systemic treatment of another kind
    (
        "Exclusion",
        "Systemic treatment with strong cytochrome P450 3A (CYP3A) inducers (rifampin, rifapentine, rifabutin, "
        "carbamazepine, phenytoin, phenobarbital), or use of Ginkgo biloba or St. John's wort within 14 days before "
        "randomization in the study.",
        "what it is given with",
    ),  # NCT02181413
    # a definition
    (
        "Inclusion",
        "Active cancer defined as metastatic disease and/or any evidence of cancer on cross-sectional or positron "
        "emission tomography (PET) imaging, cancer related surgery, chemotherapy or radiation therapy within the past "
        "6 months",
        "definition",
    ),  # NCT02585713
    ("Inclusion", "Any combination of drugs given concurrently (considered 1 prior regimen)", "counted"),
    # NCT00334932
    # a washout in half-lives
    (
        "Exclusion",
        "Systemic treatment with any anti-cancer drug, including investigational drug that is administered on a "
        "chronic dosing schedule (e.g.: daily dosing, every-other-day dosing, MWF weekly) if ≤ 5 half-lives elapsed "
        "since the last dose, or if the patient has not recovered from any ongoing toxicity prior to study enrolment.",
        "half-lives",
    ),  # NCT01136499
    # radiotherapy of a site, share or kind the profile does not record
    ("Exclusion", "Pts who have received radiation therapy to > 30 percent of bone marrow", "named site"),
    # NCT00672295
    ("Exclusion", "Received prior hemibody external radiotherapy.", "named site"),  # NCT02406521
    ("Exclusion", "Prior splenectomy or splenic irradiation", "named site"),  # NCT02593760
    ("Exclusion", "Previous abdominal and/or pelvic external beam radiotherapy", "named site"),  # NCT01253681
    ("Exclusion", "Prior radiation therapy inclusive of all identified target lesions", "named site"),  # NCT01026844
    # the setting of a surgery or radiotherapy
    (
        "Inclusion",
        "Patients must have received no previous radiotherapy, surgery, chemotherapy or investigational therapy for "
        "the treatment of metastatic disease.",
        "setting",
    ),  # NCT02077881
    # a kinase inhibitor of one target the vocabulary does not name
    (
        "Exclusion",
        "Any prior treatment with an aurora kinase inhibitor (either an aurora A kinase or pan-aurora kinase "
        "inhibitor)",
        "kinase inhibitor",  # after the merge with main, therapy 7 tells "a kind of kinase inhibitor" first
    ),  # NCT02219789
    ("Exclusion", "Prior use of Raf-Kinase inhibitors, MEK or Farnesyl Transferase Inhibitors.", "one target"),
    # NCT00619541
    # a systemic therapy told only by a drug the vocabulary does not know
    ("Exclusion", "Have received previous systemic therapy with ramucirumab", "what it is given with"),  # NCT02572687
]


@pytest.mark.parametrize(("section", "line", "reason"), UNCERTAIN)
def test_therapy_8_uncertain(section: str, line: str, reason: str) -> None:
    facts = [f for f in _therapy(section, line) if f.uncertain or f.polarity is Polarity.REQUIRE]
    assert facts and all(f.uncertain for f in facts), [(f.polarity, f.values, f.uncertain) for f in facts]
    assert any(reason in (f.uncertain or "") for f in facts), [f.uncertain for f in facts]


NOT_READ = [
    # a condition named after radiotherapy, and the therapy's records
    (
        "Exclusion",
        "Has a history of interstitial lung disease, idiopathic pulmonary fibrosis, pneumoconiosis, non-infections "
        "pneumonitis, radiation-induced or drug-induced pneumonitis",
    ),  # NCT02572687
    ("Exclusion", "Original pathology report and radiation therapy records not available"),  # NCT02110992
    # a note that opens on whom it is for
    (
        "Inclusion",
        "Biologic (anti-neoplastic agent): at least 7 days since the completion of therapy with a biologic agent; "
        "Note: for agents that have known adverse events occurring beyond 7 days after administration (i.e. "
        "monoclonal antibodies), this period must be extended beyond the time during which acute adverse events are "
        "known to occur",
    ),  # NCT02642965 (the biologic agent is no vocabulary class: only the note's antibody was read, as required)
]


@pytest.mark.parametrize(("section", "line"), NOT_READ)
def test_therapy_8_not_read(section: str, line: str) -> None:
    assert _therapy(section, line) == []


def test_therapy_8_exception_heading_keeps_the_washout() -> None:
    """ "Exception: local radiation therapy for ..." (NCT01042704) no longer reads as a required radiotherapy; the
    4-week washout before it stays."""
    facts = _therapy(
        "Inclusion",
        "Patients should not have received any radiation for the preceding 4 weeks before entry onto the study. "
        "Exception: local radiation therapy for symptomatic bone lesions (eg,uncontrolled pain or high risk of "
        "pathologic fracture)",
    )
    assert [(f.polarity, f.values.categories, f.uncertain) for f in facts] == [
        (Polarity.EXCLUDE, ("radiotherapy",), None)
    ]
    assert facts[0].values.within is not None


NARROWED = [
    # "cytotoxic anticancer therapy": chemotherapy, not any systemic therapy
    ("Inclusion", "No prior cytotoxic anticancer therapy", set(), {"class.chemotherapy"}),  # NCT00002633
    (
        "Exclusion",
        "Any prior anti-angiogenic therapy, endocrine or cytotoxic anti-cancer therapy in the metastatic disease "
        "setting",
        set(),
        {"class.chemotherapy", "class.vegf_pathway_inhibitor"},
    ),  # NCT00417885
    # "systemic therapy targeting ..., and other immune checkpoint inhibitors": the class, not any systemic therapy
    (
        "Exclusion",
        "Has received any previous systemic therapy targeting programmed death (PD) 1 or PD-ligand 1/2 signaling "
        "pathways, and other immune checkpoint inhibitors",
        set(),
        {"class.immune_checkpoint_inhibitor"},
    ),  # NCT02572687
]


@pytest.mark.parametrize(("section", "line", "categories", "classes"), NARROWED)
def test_therapy_8_narrowed(section: str, line: str, categories: set[str], classes: set[str]) -> None:
    facts = _therapy(section, line)
    read = [(f.polarity, set(f.values.categories), set(f.values.classes), f.uncertain) for f in facts]
    assert read == [(Polarity.EXCLUDE, categories, classes, None)]


KEPT = [
    # a note with a washout of its own stays read
    ("Exclusion", "Note: For prior bevacizumab therapy at least 40 days should have elapsed since last dose.", 1),
    # NCT00678977
    # a count of mobilisation regimens judged right for a patient without chemotherapy (fresh sample 4's J033)
    (
        "Inclusion",
        "Mobilization with chemotherapy followed by either single or tandem autologous stem cell transplantation "
        "(considered 1 prior regimen)",
        1,
    ),  # NCT00334932
    # radiotherapy above the clavicles: the patient's neck radiotherapy is one
    ("Exclusion", "Any prior radiation above the clavicles", 1),  # NCT00882583
    # "Grade less than or equal to 1" is no count cap
    (
        "Exclusion",
        "Received chemotherapy, biological therapy, hormonal therapy, targeted therapy, or radiotherapy within the 30 "
        "days prior to commencing study treatment or have not recovered from all treatment-related toxicities to "
        "Grade less than or equal to 1",
        1,
    ),  # NCT01133756
]


@pytest.mark.parametrize(("section", "line", "count"), KEPT)
def test_therapy_8_kept(section: str, line: str, count: int) -> None:
    facts = _therapy(section, line)
    assert len([f for f in facts if not f.uncertain]) >= count, [(f.values, f.uncertain) for f in facts]


# Review (rev8): the narrowing to chemotherapy takes "cytotoxic" alone before the systemic therapy, not a list
# ("Any cytotoxic or biologic therapy", NCT02372240) and not "cytostatic", which GOG texts use for the non-cytotoxic
# agents ("Non-cytotoxic (biologic or cytostatic) agents include ...", NCT00722592).
@pytest.mark.parametrize(
    ("before", "narrowed"),
    [
        ("No prior cytotoxic ", True),  # NCT00002633 "No prior cytotoxic anticancer therapy"
        ("Any prior anti-angiogenic therapy, endocrine or cytotoxic ", True),  # NCT00417885 "... anti-cancer therapy"
        ("Any cytotoxic or ", False),  # NCT02372240 "Any cytotoxic or biologic therapy"
        ("Non-cytotoxic (biologic or cytostatic) ", False),  # NCT00722592 "... cytostatic) agents"
        ("Prior cytostatic ", False),
    ],
)
def test_therapy_8_review_cytotoxic_before(before: str, narrowed: bool) -> None:
    from matcher.eligibility.kinds.therapy.refine import _CYTOTOXIC_BEFORE

    assert bool(_CYTOTOXIC_BEFORE.search(before)) is narrowed


def test_therapy_8_review_required_cytotoxic_is_chemotherapy() -> None:
    """A required cytotoxic therapy is chemotherapy (as before the branch): a patient with only a kinase inhibitor has
    not had one, so the requirement is rightly not met."""
    facts = _therapy("Inclusion", "Patients must have had prior cytotoxic therapy for their disease.")  # NCT01352312
    assert [(f.polarity, f.values.classes) for f in facts] == [(Polarity.REQUIRE, ("class.chemotherapy",))]
