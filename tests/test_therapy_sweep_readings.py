"""The therapy sweep (issue 10; tests/audit/therapy_sweep_changes.txt): `violated` outcomes decided by prior-therapy
facts, read criterion by criterion, showed classes of wrong readings. Each is now uncertain, never another
requirement. Each phrasing is registry text with the trial it came from; the last rows must keep their reading."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Polarity
from tests.readings import therapy_facts as _therapy

UNCERTAIN = [
    # a therapy the patient may need or get, not one had (cue.therapy.not_history)
    (
        "Inclusion",
        "Subjects with advanced cancer in whom the gemcitabine and cisplatin chemotherapy regimen is "
        "clinically indicated",
        "may need",
    ),  # NCT00101907
    (
        "Exclusion",
        "Requirement for immediate palliative treatment of any kind including surgery",
        "may need",
    ),  # NCT02168907
    (
        "Inclusion",
        "No anticipated need for a major surgical procedure during study treatment",
        "may need",
    ),  # NCT00410774
    ("Inclusion", "Paclitaxel/trastuzumab (Herceptin®) may be appropriate therapy", "may need"),  # NCT00068757
    # naïve (cue.therapy.naive)
    ("Inclusion", "Taxane naïve", "naïve"),  # NCT00133224
    ("Inclusion", "Patients must be chemotherapy naive.", "naive"),  # NCT00702962
    # a count cap told with a symbol
    ("Inclusion", "Patients must have =< 2 prior chemotherapy regimens", "count limit"),  # NCT00045708
    ("Inclusion", "≤1 previous line of chemotherapy", "count limit"),  # NCT00090051
    # a cumulative dose
    (
        "Inclusion",
        "Prior anthracycline exposure: Patients must have less than 400mg/m2 lifetime exposure of "
        "anthracycline chemotherapy.",
        "dose limit",
    ),  # NCT00440726
    # a gap read as the time of the therapy
    (
        "Inclusion",
        "Subjects may begin AZD2171 at least 3 weeks after their last dose of chemotherapy or hormonal therapy",
        "gap or duration",
    ),  # NCT00275028
    # surgery of a named aim or site
    ("Inclusion", "No prior surgery to remove tumor", "surgery of a named aim"),  # NCT00003652
    (
        "Exclusion",
        "Previous surgery with curative intent for head and neck cancer",
        "surgery of a named aim",
    ),  # NCT00401401
    # a systemic treatment that is not anticancer therapy
    (
        "Exclusion",
        "Patients receiving chronic, systemic treatment with corticosteroids or another immunosuppressive "
        "agent. Topical or inhaled corticosteroids are allowed.",
        "another kind",
    ),  # NCT01063478
    # a washout window not attached
    (
        "Exclusion",
        "Major surgery, chemotherapy, radiotherapy, investigational agents or other cancer therapy within 1 "
        "week of treatment day 1",
        "not attached",
    ),  # NCT00300781
    # a permission
    (
        "Inclusion",
        "Patient previously treated with bortezomib will be included in the study, if the duration of "
        "response was >6mths from the completion of therapy.",
        "permission",
    ),  # NCT00431990
]


@pytest.mark.parametrize(("section", "line", "why"), UNCERTAIN)
def test_swept_classes_are_uncertain(section: str, line: str, why: str) -> None:
    facts = _therapy(section, line)
    assert facts, line
    assert all(f.uncertain for f in facts), [(f.polarity, f.values, f.uncertain) for f in facts]
    assert any(why in (f.uncertain or "") for f in facts), [f.uncertain for f in facts]


KEPT = [
    # washouts and plain requirements keep a certain reading
    ("Exclusion", "Radiation therapy ≤ 2 weeks prior to registration.", Polarity.EXCLUDE),  # NCT00398710
    ("Exclusion", "Chemotherapy =< 3 weeks prior to pre-registration", Polarity.EXCLUDE),  # NCT00738881
    (
        "Inclusion",
        "Must have received at least 1 prior platinum- and paclitaxel-based regimen",
        Polarity.REQUIRE,
    ),  # NCT00003382
    (
        "Inclusion",
        "Phase1: Treatment naïve: Must not have received any prior systemic anticancer treatment consisting "
        "of chemotherapy, immunotherapy or targeted therapy",
        Polarity.EXCLUDE,
    ),  # NCT01740297
    (
        "Inclusion",
        "Patients may have received up to four previous lines of chemotherapy",
        Polarity.REQUIRE,
    ),  # NCT01673217
    # how long a therapy was given is not a gap: the requirement stays certain
    (
        "Inclusion",
        "Must have received an cetuximab-containing regimen for at least 6 weeks for treatment of metastatic disease",
        Polarity.REQUIRE,
    ),  # NCT00551421
    ("Inclusion", "Subjects must have had prior debulking surgery", Polarity.REQUIRE),  # NCT00722592
]


@pytest.mark.parametrize(("section", "line", "polarity"), KEPT)
def test_plain_readings_kept(section: str, line: str, polarity: Polarity) -> None:
    facts = _therapy(section, line)
    assert any(f.polarity is polarity and not f.uncertain for f in facts), [
        (f.polarity, f.values, f.uncertain) for f in facts
    ]


# Sweep 2 (tests/audit/therapy_sweep_changes.txt, "Sweep 2"): classes read as uncertain
UNCERTAIN_2 = [
    # a minimum time before entry: a washout, not a therapy required within the window (cue.therapy.min_gap)
    (
        "Inclusion",
        ">= 3 months prior to registration for craniospinal irradiation (>= 18 Gy); >= 4 weeks for local radiation "
        "to primary tumor",
        "minimum time before entry",
    ),  # NCT00095940
    (
        "Inclusion",
        "Adjuvant chemotherapy/radiotherapy ≥ 6 months prior to randomization.",
        "minimum time",
    ),  # NCT01124786
    ("Inclusion", "Focal irradiation > 2 weeks prior to enrollment", "minimum time"),  # NCT02255461
    ("Inclusion", "At least 4 weeks is required from treatment of bevacizumab", "minimum time"),  # NCT01058655
    (
        "Inclusion",
        "A treatment-free interval of at least three weeks for cytotoxic therapies, radiation therapy, or other "
        "experimental drugs prior to first treatment on this protocol.",
        "minimum time",
    ),  # NCT00102622
    # a therapy given with the study's (cue.therapy.co_administered)
    (
        "Exclusion",
        "Co-administration of anti-cancer therapies other than those administered in this study",
        "given with the study's",
    ),  # NCT02075840
    # a prohibition read as a requirement (cue.therapy.not_permitted, _MUST_NOT_HAVE after the name)
    (
        "Exclusion",
        "Patients are not permitted any chemotherapeutic agents or other antineoplastic agents either during or "
        "within four weeks prior to the first dose of AP23573.",
        "prohibition",
    ),  # NCT00087451
    (
        "Inclusion",
        "Myelosuppressive chemotherapy: must not have received myelosuppressive chemotherapy within 3 weeks of entry "
        "onto this study (excluding hydroxyurea)",
        "negation",
    ),  # NCT02642965
    # how long a therapy lasted (cue.therapy.lasted)
    (
        "Inclusion",
        "Prior chemotherapy given as part of neoadjuvant treatment (i.e., chemoradiotherapy) may last a maximum of "
        "11-12 weeks",
        "lasted",
    ),  # NCT00427713
    # a rule for the patients a therapy history marks out (cue.therapy.subgroup_rule)
    (
        "Inclusion",
        "Patients who have not had prior primary therapy such as radiation or surgery, are required to have a "
        "detectable PSA of at least 0.2 ng/ml.",
        "marks out",
    ),  # NCT00582556
    (
        "Inclusion",
        "Patients who have previously received MDX-010 must have a normal colonoscopy with normal colonic biopsies.",
        "marks out",
    ),  # NCT00924001
    # a therapy the patient may need or get (cue.therapy.not_history, widened)
    (
        "Inclusion",
        "Indication for a standard treatment with either cisplatin plus paclitaxel or cisplatin plus 5 FU as judged "
        "by the investigator",
        "may need",
    ),  # NCT00716417
    (
        "Inclusion",
        "Histologically confirmed advanced solid tumor type that is FDA approved for treatment with Carboplatin.",
        "may need",
    ),  # NCT01542047
    ("Inclusion", "Unfit for concurrent chemoradiation with cisplatin", "may need"),  # NCT02938273
    # surgery of a named site (cue.therapy.surgery_aim, widened)
    ("Exclusion", "History of major surgery to small intestine.", "named aim or site"),  # NCT00412412
    (
        "Exclusion",
        "Patient must not have undergone prior sentinel lymph node surgery; cores or FNA of lymph node are acceptable",
        "named aim or site",
    ),  # NCT01368263
    # plans (_FUTURE_THERAPY)
    (
        "Exclusion",
        "Intent to administer neoadjuvant chemotherapy or radiation therapy prior to the surgery or biopsy;",
        "planned",
    ),  # NCT01440127
    ("Inclusion", "Patients with a plan for surgical resection at UCIMC within 2-4 weeks of enrollment.", "planned"),
    # NCT00256334
    ("Inclusion", "All disease must be encompassed within a radiotherapy portal", "may need"),  # NCT01693276
    (
        "Inclusion",
        "Radiation therapy requirements: Patient must have a completed treatment plan approved by the protocol "
        "review team",
        "planned",
    ),  # NCT01063478
    (
        "Inclusion",
        "Have discontinued all previous therapies for cancer, including chemotherapy, radiotherapy, cancer-related "
        "hormonal therapy prior to study entry",
        "washout without its window",
    ),  # NCT01241461
    (
        "Inclusion",
        "Bevacizumab may not be initiated until 4 weeks after surgical resection or radiation therapy completion.",
        "minimum time",
    ),  # NCT02065466
    (
        "Inclusion",
        "Patients previously treated with imatinib mesylate must have documented progression of disease",
        "marks out",
    ),  # NCT00573404
    ("Inclusion", "No Bruton's tyrosine kinase inhibitor at any point prior to enrollment", "kind of kinase"),
    # NCT02160015
    ("Exclusion", "Prior treatment with 3rd generation TKI", "kind of kinase"),  # NCT02468661
    (
        "Inclusion",
        "Male participants must agree to not donate sperm during the course of the study and for 120 days after "
        "receiving their last dose of TAK-117 and docetaxel",
        "planned",
    ),  # NCT02393209
    (
        "Inclusion",
        "Previously treated or untreated; prior therapy may include chemotherapy or targeted therapy for metastatic "
        "disease",
        "permission",
    ),  # NCT02608437
]


@pytest.mark.parametrize(("section", "line", "why"), UNCERTAIN_2)
def test_sweep_2_classes_are_uncertain(section: str, line: str, why: str) -> None:
    facts = _therapy(section, line)
    assert facts, line
    assert all(f.uncertain for f in facts), [(f.polarity, f.values, f.uncertain) for f in facts]
    assert any(why in (f.uncertain or "") for f in facts), [f.uncertain for f in facts]


# Sweep 2: no therapy asked about at all (a toxicity, a condition put down to a therapy, the study's schedule, a drug's
# property, a group's name)
NO_THERAPY_2 = [
    (
        "Exclusion",
        "Patient who has not had resolution of all acute toxic effects of prior anti-cancer therapy to NCI CTCAE "
        "version 4.03 Grade <1",
    ),  # NCT02429089
    ("Inclusion", "No grade 1 or greater peripheral neuropathy due to prior chemotherapy"),  # NCT00052507
    (
        "Inclusion",
        "Experienced resolution of toxic effect(s) of the most recent prior anti-cancer therapy to Grade ≤1 (except "
        "alopecia or neuropathy)",
    ),  # NCT02915523
    (
        "Exclusion",
        "All AEs of any prior chemotherapy, surgery, or radiotherapy not resolved to National Cancer Institute (NCI) "
        "Common Terminology Criteria for Adverse Events (CTCAE) (v.4.0) Grade ≤ 1",
    ),  # NCT02655458
    (
        "Inclusion",
        "Subjects must have recovered (to baseline/stabilization) from prior cytotoxic therapy-associated acute "
        "toxicities.",
    ),  # NCT00722592
    ("Exclusion", "Participant has AML secondary to prior chemotherapy for other neoplasms (except for MDS)."),
    # NCT02421939
    ("Inclusion", "Serum blood chemistries within 21 days of radiation fraction 1, as defined below:"),  # NCT01852890
    (
        "Inclusion",
        "Adequate renal and hepatic function, as determined within 3 days prior to administration of chemotherapy on "
        "Day 1 of Cycle 1 and defined as follows,",
    ),  # NCT03404752
    (
        "Inclusion",
        "No gastrointestinal disorder that might affect the gastrointestinal absorption of capecitabine or imatinib "
        "mesylate",
    ),  # NCT00601510
    ("Inclusion", "Ineligible for currently open Radiation Therapy Oncology Group (RTOG) phase III lung protocols"),
    # NCT00023673
    (
        "Inclusion",
        "General history/physical examination by a radiation oncologist and/or medical oncologist within 84 days "
        "prior to registration",
    ),  # NCT02775812
    (
        "Inclusion",
        "Formalin-fixed, paraffin-embedded tumour tissue samples representative of the tumour will be provided to "
        "sponsor within 3 weeks of the patient starting chemotherapy",
    ),  # NCT00783471
]


@pytest.mark.parametrize(("section", "line"), NO_THERAPY_2)
def test_sweep_2_no_therapy_asked(section: str, line: str) -> None:
    facts = [f for f in _therapy(section, line) if not f.uncertain]
    assert not facts, [(f.polarity, f.values) for f in facts]


KEPT_2 = [
    # a window with a least time beside it is still read: "within 8 weeks after ... (but no sooner than 3 weeks)"
    (
        "Inclusion",
        "Ability to start adjuvant therapy within 8 weeks after pancreatic cancer surgery "
        "(but no sooner than 3 weeks).",
        Polarity.REQUIRE,
    ),  # NCT01025570
    # a progression told by its time keeps its therapy; a spacing is no window; a washout of the 35 thyroid studies
    ("Inclusion", "Progression more than 6 months after the start of initial chemotherapy treatment", Polarity.REQUIRE),
    # NCT00113607
    (
        "Inclusion",
        "Have received at least 4 cycles of docetaxel or cabazitaxel, and less than ten, with two consecutive rising "
        "PSA values, checked at least 7 days apart.",
        Polarity.REQUIRE,
    ),  # NCT03043989
    (
        "Exclusion",
        "Subjects who have received any chemotherapy or extra radiotherapy within 30 days prior to the first dose of "
        "study drug and should have recovered from any toxicity related to previous anti-cancer treatment;",
        Polarity.EXCLUDE,
    ),  # NCT02870569
    (
        "Exclusion",
        "Patients who have received prior lenalidomide therapy are not eligible for this study",
        Polarity.EXCLUDE,
    ),  # NCT01904643
    ("Exclusion", "Cytotoxic chemotherapy within 3 weeks of initiating investigational treatment.", Polarity.EXCLUDE),
    # NCT00735878
    (
        "Inclusion",
        "Cumulative activity of 131I of >600 mCi or 22 gigabequerels (GBq), with the last dose administered at least "
        "6 months prior to study entry",
        Polarity.EXCLUDE,
    ),  # NCT02870569
]


@pytest.mark.parametrize(("section", "line", "polarity"), KEPT_2)
def test_sweep_2_plain_readings_kept(section: str, line: str, polarity: Polarity) -> None:
    facts = _therapy(section, line)
    assert any(f.polarity is polarity and not f.uncertain for f in facts), [
        (f.polarity, f.values, f.uncertain) for f in facts
    ]


# Sweep 2 review (helper rth; tests/audit/therapy_sweep_changes.txt, "Sweep 2 review"): a toxicity named after a list
# of therapies, a condition a therapy could worsen, a therapy aimed at another cancer, a washout period told after its
# therapy; and two real exclusions the sweep had dropped or made uncertain, read again.
NO_THERAPY_REVIEW = [
    (
        "Exclusion",
        "Occurrence of a grade 3 or higher sorafenib or lenvatinib related toxicity during any sorafenib / lenvatinib "
        "treatment received prior to study enrolment, according to toxicity criteria (NCI CTCAE v 5.0)",
    ),  # NCT02716012: sorafenib was still excluded
    ("Exclusion", "Active acute infections that could be worsened by anticancer therapy or interfere with this study"),
    # NCT00079612 (fresh sample 9's P072)
]


@pytest.mark.parametrize(("section", "line"), NO_THERAPY_REVIEW)
def test_sweep_2_review_no_therapy_asked(section: str, line: str) -> None:
    facts = [f for f in _therapy(section, line) if not f.uncertain]
    assert not facts, [(f.polarity, f.values) for f in facts]


UNCERTAIN_REVIEW = [
    ("Exclusion", "Prior systemic therapy directed at advanced or metastatic RCC", "another cancer"),
    # NCT02684006 (fresh sample 9's P069, sample 7's M030 class)
    ("Inclusion", "For a prior BRAF inhibitor, the washout period is 7 days.", "minimum time"),
    # NCT01590082 (fresh sample 9's P024)
    (
        "Exclusion",
        "Impaired gastrointestinal (GI) function or active GI disease that may significantly alter the absorption of "
        "study drug in the opinion of the treating physician (e.g., active ulcerative diseases, uncontrolled nausea, "
        "uncontrolled vomiting, uncontrolled diarrhea, active malabsorption syndrome, small bowel resection within "
        "last 1 year or gastric bypass surgery within last 1 year).",
        "surgery",
    ),  # NCT02225574: the surgery is asked about (uncertain), not dropped as the study drug's absorption
]


@pytest.mark.parametrize(("section", "line", "why"), UNCERTAIN_REVIEW)
def test_sweep_2_review_uncertain(section: str, line: str, why: str) -> None:
    facts = _therapy(section, line)
    assert facts, "no prior-therapy fact"
    assert all(f.uncertain and why in f.uncertain for f in facts), [(f.values, f.uncertain) for f in facts]


KEPT_REVIEW = [
    (
        "Exclusion",
        "Major surgery within 4 weeks of registration (breast cancer surgery regardless of timing is an exclusion "
        "criteria).",
        Polarity.EXCLUDE,
    ),  # NCT01484080: a washout of any major surgery, beside a named one
    (
        "Inclusion",
        "Patient must have completed any prior chemotherapy, immunotherapy, radiation therapy, biological therapy, or "
        "other investigational cancer therapy at least 4 weeks prior to starting the study drug(s). For a prior BRAF "
        "inhibitor, the washout period is 7 days.",
        Polarity.EXCLUDE,
    ),  # NCT01590082: the 4-week washout stays read beside the uncertain BRAF one
]


@pytest.mark.parametrize(("section", "line", "polarity"), KEPT_REVIEW)
def test_sweep_2_review_readings_kept(section: str, line: str, polarity: Polarity) -> None:
    facts = _therapy(section, line)
    assert any(f.polarity is polarity and not f.uncertain and f.values.within for f in facts), [
        (f.polarity, f.values, f.uncertain) for f in facts
    ]


# Therapy 3 (tests/audit/therapy_sweep_changes.txt, "Therapy 3"): fresh sample 10's therapy items and the sweep's
# leftovers, each class read uncertain or read no therapy; the last rows keep their reading.
NO_THERAPY_3 = [
    (
        "Inclusion",
        "No other medical or psychiatric disease, metabolic dysfunction, physical examination finding, or clinical "
        "laboratory finding giving reasonable suspicion of a disease or condition that contraindicates the use of an "
        "investigational drug or that may affect the interpretation of the study results or render the patient at high "
        "risk for treatment complications",
    ),  # NCT00551421 (fresh sample 10's Q065): the study's drug as context, cue.therapy.contraindicated
    (
        "Inclusion",
        "History of hearing loss that would preclude cisplatin chemotherapy. These would include the existing need of "
        "a hearing aid or a >= 25 decibel shift over 2 contiguous frequencies on a pretreatment hearing test.",
    ),  # NCT00490061: a required chemotherapy was read
    (
        "Exclusion",
        "Refractory nausea and vomiting, malabsorption, external biliary shunt, or significant small bowel resection "
        "that would preclude adequate vemurafenib absorption",
    ),  # NCT01910181: prior vemurafenib was excluded
]


@pytest.mark.parametrize(("section", "line"), NO_THERAPY_3)
def test_therapy_3_no_therapy_asked(section: str, line: str) -> None:
    facts = [f for f in _therapy(section, line) if not f.uncertain]
    assert not facts, [(f.polarity, f.values) for f in facts]


UNCERTAIN_3 = [
    (
        "Exclusion",
        "I have received 2nd line anti-cancer therapy (For example, patients with previous 2nd line non small cell "
        "lung cancer (NSCLC) treatment with Tarceva (erlotinib, OSI-744), Alimta (pemetrexed) are not eligible)",
        "line of a given order",
    ),  # NCT00312377 (fresh sample 10's Q023), cue.therapy.line_order
    (
        "Inclusion",
        "Patients with evidence of recurrent disease during or within 6 months after adjuvant chemotherapy will be "
        "considered to have failed one line of chemotherapy for metastatic disease",
        "definition",
    ),  # NCT00559507 (fresh sample 10's Q069), cue.therapy.deemed
    (
        "Inclusion",
        "Prior anthracycline limited to doxorubicin equivalent of 280mg/m2 with progression free interval of at least "
        "12 months for patients who have been pre-treated with CAELYX",
        "dose limit",
    ),  # NCT00610792: a number glued to its unit ("280mg/m2"), cue.therapy.dose_limit
    (
        "Exclusion",
        "Subjects who have received > 500mg/m2 of doxorubicin alone, or Doxil® alone, or doxorubicin plus Doxil®.",
        "dose limit",
    ),  # NCT00091624
    ("Inclusion", "No prior failure to achieve at least a PR with Azacitidine or Everolimus", "negated failure"),
    # NCT00636922, cue.therapy.no_failure
    (
        "Inclusion",
        "Patients who have failed at least one line of a standard treatment, including bendamustine, fludarabine, "
        "ibrutinib, or alemtuzumab and require treatment within 2 years of completion of last treatment regimen or "
        "untreated patients with del17p by FISH (high-risk) who do not have an allogeneic stem cell transplant option.",
        "untreated alternative",
    ),  # NCT02194374 (fresh sample 10's Q034), cue.therapy.untreated_alternative
    (
        "Inclusion",
        "In the phase I portion, patients may either have had no prior chemotherapy (chemotherapy naive), or have been "
        "refractory to or relapsed from standard chemotherapy, including capecitabine-based regimens.",
        "treated alternative",
    ),  # NCT00411762, cue.therapy.treated_alternative
    (
        "Inclusion",
        "Numbers of prior chemotherapy(s): maximum 2 prior chemotherapies. Reintroduction of a platinum at relapse, "
        "after an initial response lasting > 6 months is considered 1 chemotherapy regimen only.",
        "",
    ),  # NCT00610792: a cap told as "maximum 2" (cue.therapy.count_cap), a counting definition (cue.therapy.deemed)
    (
        "Inclusion",
        "Prior autologous peripheral blood stem cell transplantation is considered 1 prior regimen",
        "definition",
    ),
    # NCT00047203
]


@pytest.mark.parametrize(("section", "line", "why"), UNCERTAIN_3)
def test_therapy_3_uncertain(section: str, line: str, why: str) -> None:
    facts = _therapy(section, line)
    assert facts, "no prior-therapy fact"
    assert all(f.uncertain and why in f.uncertain for f in facts), [(f.values, f.uncertain) for f in facts]


def test_therapy_3_a_rule_for_the_treated_in_a_later_clause() -> None:
    """NCT02050009 (fresh sample 10's Q067): the washout stays read, the recovery rule for the treated is uncertain."""
    facts = _therapy(
        "Inclusion",
        "No antineoplastic therapy (eg, drugs, biologicals, monoclonal antibodies, etc) or radiotherapy within 6 "
        "months before enrollment; patients previously treated with antineoplastic therapy in the past must have "
        "recovered (ie, grade =< 1 toxicity or patient's baseline status, except alopecia) from all "
        "treatment-related toxicities",
    )
    certain = [f for f in facts if not f.uncertain]
    assert [(f.polarity, f.values.within is not None) for f in certain] == [(Polarity.EXCLUDE, True)]
    assert any(f.polarity is Polarity.REQUIRE and "marks out" in (f.uncertain or "") for f in facts)


KEPT_3 = [
    (
        "Exclusion",
        "Patients receiving any concurrent biological, immunological, second-line hormonal therapy or chemotherapy.",
        Polarity.EXCLUDE,
    ),  # NCT00933426: "second-line" qualifies the hormonal therapy, not the chemotherapy (a misfire of line_order)
    ("Inclusion", "Patients must have failed one line of chemotherapy", Polarity.REQUIRE),
    # (Chia NCT00989261's "AML in relapse or refractory after 3 or more previous lines of chemotherapy (and/or HSCT)
    # treatment" is the AML's course since therapy 21: tests/test_therapy21_readings.py)
]


@pytest.mark.parametrize(("section", "line", "polarity"), KEPT_3)
def test_therapy_3_readings_kept(section: str, line: str, polarity: Polarity) -> None:
    facts = _therapy(section, line)
    assert any(f.polarity is polarity and not f.uncertain for f in facts), [
        (f.polarity, f.values, f.uncertain) for f in facts
    ]
