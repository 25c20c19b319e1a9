"""Parser 25: scope below the criterion (a later sentence that recommends, says what may be so, allows a therapy either
way, an inline "NB:" note, an exclusion sentence under the inclusion heading), a group of the trial's patients that
opens a criterion ("For stage 2 GBM participants, ..."), a therapy for another cancer named by its metastatic
abbreviation ("mRCC"), a heart or vessel procedure among cardiac conditions, the examples after "including but not
limited to" as part of what they exemplify, and a therapy requirement that also takes those who did not tolerate it.
Each row quotes the registry text it came from (HINT oncology texts; fresh samples 6 and 7's wrong items L063, L070,
M030, M042, M044, M049, M064, M067, M069, M070, M072)."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import FactKind, Polarity
from tests.readings import facts_of as _of
from tests.readings import one_criterion as _one

# --- a later sentence that recommends: what it names is advised, not asked ---------------------------------------


def test_a_later_sentence_that_recommends_asks_nothing() -> None:
    # NCT03572478 (M067)
    c = _one(
        "Prior palliative radiotherapy must have been completed at least 2 weeks prior to first dose of study drug. "
        "Subjects with symptomatic tumor lesions at baseline that may require palliative radiotherapy within 4 weeks "
        "of first dose of study drug are strongly encouraged to receive palliative radiotherapy prior to enrollment."
    )
    facts = _of(c, FactKind.PRIOR_THERAPY)
    assert [(f.polarity, bool(f.uncertain)) for f in facts] == [(Polarity.EXCLUDE, False), (Polarity.REQUIRE, True)]


def test_a_recommended_hbv_prophylaxis_is_no_hepatitis_b_exclusion() -> None:
    # NCT01313559: the hepatitis of the first sentence stays excluded; the recommendation's HBV is not read
    c = _one(
        "Active gallbladder disease or hepatitis (AST or ALT > 2.0, or bilirubin > 1.5x ULN), liver cirrhosis, or "
        "severe liver impairment (Child-Pugh class C). It is highly recommended that patients positive for HBV-DNA or "
        "HBsAg are treated prophylactically with an antiviral for 1-2 weeks prior to receiving study drug.",
        "Exclusion",
    )
    agents = [a for f in _of(c, FactKind.INFECTION) for a in f.values.agents]  # type: ignore[attr-defined]
    assert agents == ["hepatitis"]


@pytest.mark.parametrize(
    "text",
    [
        # NCT02229981: "preferably" inside a requirement does not make the sentence a recommendation
        "Pregnant or nursing women. NOTE: Women of child-bearing potential and men must agree to use barrier methods "
        "(preferably condoms) or other methods of birth control at your doctor's discretion, or abstain from sexual "
        "activity, prior to study entry and for the duration of study participation.",
    ],
)
def test_a_word_of_preference_inside_a_requirement_leaves_it_certain(text: str) -> None:
    c = _one(text, "Exclusion")
    assert c.facts and not any(f.uncertain for f in c.facts if f.kind is FactKind.CONTRACEPTION)


# --- what may be so: "could be the reason for" ------------------------------------------------------------------

M064 = (
    "Subjects must have progressed based on Response Evaluation Criteria in Solid Tumors (RECIST) criteria after at "
    "least one prior systemic therapy (chemotherapy, biologic/immunotherapy, or a combination regimen) for metastatic "
    "disease. This includes development of any new lesion or a 20% increase in the sum of the subject's measurable "
    "disease compared to their previous nadir. New CNS metastasis could be the reason for disease progression, but "
    "they must be stable clinically and satisfy criteria delineated in section 5.4. Prior systemic therapy must have "
    "been completed at least 28 days before registration."
)


def test_what_may_be_so_is_not_required_and_the_rest_is_read() -> None:
    # NCT00571116 (M064 = L063): brain metastases are allowed, not required; the prior systemic therapy the first
    # sentence asks for is read (it had been dropped with the whole criterion given to the brain-metastases kind)
    c = _one(M064)
    brain = _of(c, FactKind.BRAIN_METASTASES)
    assert brain and all(f.uncertain for f in brain)
    required = [f for f in _of(c, FactKind.PRIOR_THERAPY) if f.polarity is Polarity.REQUIRE]
    assert required and not any(f.uncertain for f in required)
    assert "systemic" in required[0].values.categories  # type: ignore[attr-defined]


# --- a therapy allowed either way ---------------------------------------------------------------------------------


def test_a_therapy_allowed_either_way_is_not_required() -> None:
    # NCT00418028 (M042)
    c = _one(
        "Patients that either have received previous treatment with anthracyclines and/or taxanes or not (either as "
        "advance or in metastatic disease)."
    )
    assert c.facts and all(f.uncertain for f in c.facts)


def test_whether_or_not_previously_treated_leaves_the_cancer_required() -> None:
    # NCT02040870: the chemotherapy is allowed either way; the NSCLC before the cue is still asked for
    c = _one(
        "Patients must have stage IIIB or IV NSCLC at the time of study entry and have had progressive disease during "
        "or after crizotinib treatment whether or not previously treated with cytotoxic chemotherapy. If treated with "
        "chemotherapy, maximum 2 lines are allowed."
    )
    sites = _of(c, FactKind.PRIMARY_SITE)
    assert sites and not any(f.uncertain for f in sites)
    assert all(f.uncertain for f in _of(c, FactKind.PRIOR_THERAPY) if f.polarity is Polarity.REQUIRE)


# --- an inline note ---------------------------------------------------------------------------------------------


def test_an_inline_nb_note_does_not_flip_the_exclusion() -> None:
    # NCT00384228 (M049)
    c = _one(
        "Cytopathologically confirmed CNS infiltration NB: in absence of suspicion of CNS involvement, lumbar puncture "
        "is not required",
        "Exclusion",
    )
    required = [f for f in c.facts if f.polarity is Polarity.REQUIRE]
    assert all(f.uncertain for f in required)


def test_an_inline_nb_note_names_no_cancer_the_trial_is_for() -> None:
    # NCT00424840: the lung cancer of the note is not the trial's exclusion of lung cancer; the INR limit stays as the
    # whole criterion reads it, uncertain (the note's anticoagulant): read alone without the note, the rest would make
    # it certain, a reading the whole criterion did not have (review of parser 25)
    c = _one(
        "international normalized ratio (INR<1.5) and a prothrombin time (PTT) no greater than normal limits of normal "
        "within 1 week prior to registration. NB: subjects with lung cancer placed on anticoagulant therapy for a "
        "thrombotic event are not eligible for this study."
    )
    assert all(f.uncertain for f in _of(c, FactKind.PRIMARY_SITE))
    labs = _of(c, FactKind.LAB)
    assert labs and all(f.uncertain for f in labs)


# --- an exclusion sentence under the inclusion heading -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # NCT00665990 (L070)
        "Patients with a documented, chronic non-healing wound, ulcer, or bone fracture or history of a major surgical "
        "procedure or significant traumatic injury within 28 days prior to beginning therapy should be excluded due to "
        "preclinical evidence supporting the potential for delayed wound healing.",
        # NCT01590082
        "There is no limit on the number of prior therapies for Phase I portion. For Phase II portion only, patients "
        "may have received less than or equal to 1 prior chemotherapy regimen for metastatic melanoma. There is no "
        "limit on prior immunotherapies or kinase inhibitors. Patients with prior ipilimumab therapy will be excluded "
        "during the phase II portion.",
    ],
)
def test_an_exclusion_sentence_under_the_inclusion_heading_requires_nothing(text: str) -> None:
    required = [f for f in _one(text).facts if f.polarity is Polarity.REQUIRE and f.kind is not FactKind.PRIMARY_SITE]
    assert required and all(f.uncertain for f in required)


def test_an_exclusion_a_kind_read_under_the_inclusion_heading_stays() -> None:
    c = _one("Pregnant and/or lactating women will be excluded from this study.")
    assert [(f.polarity, f.uncertain) for f in _of(c, FactKind.PREGNANCY)] == [(Polarity.EXCLUDE, None)]


# --- a group of the trial's patients opens the criterion -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "section"),
    [
        # NCT02142803 (M072)
        (
            "For stage 2 GBM participants, no prior treatment with bevacizumab/vascular endothelial growth factor "
            "receptor (VEGFR) inhibitors; prior treatment with bevacizumab/VEGFR inhibitors is allowed in stage 1 for "
            "all participants, as well as stage 2 endometrial and ovarian cancer participants",
            "Exclusion",
        ),
        # NCT02142803
        (
            "For all stage 2 participants, no prior treatment with mTOR, PI3 kinase or Akt inhibitors; prior treatment "
            "with mTOR, PI3 kinase or Akt inhibitors allowed in stage 1 only",
            "Exclusion",
        ),
        # NCT02370888
        ("For AML subjects, they must have a documented CR within 45 days prior to allo-HCT;", "Inclusion"),
        # NCT02572687
        (
            "For gastric/GEJ and NSCLC participants, has chronic hepatitis B or hepatitis C infection.",
            "Exclusion",
        ),
    ],
)
def test_a_group_of_the_trials_patients_is_a_cohort_condition(text: str, section: str) -> None:
    c = _one(text, section)
    assert c.scope is not None and any(k.kind == "cohort" for k in c.scope.conditions)


def test_for_female_subjects_stays_a_sex_condition() -> None:
    c = _one(
        "For female subjects, unless postmenopausal or surgically sterile, unwillingness to practice effective "
        "contraception",
        "Exclusion",
    )
    assert c.scope is not None and [k.kind for k in c.scope.conditions] == ["sex"]


# --- a therapy for another cancer, by its metastatic abbreviation -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Prior surgery or systemic treatment for mRCC",  # NCT02535351 (M030)
        "Prior systemic therapy for mRCC other than sunitinib.",  # NCT00474786
    ],
)
def test_a_therapy_for_metastatic_rcc_is_not_the_patients(text: str) -> None:
    facts = _of(_one(text, "Exclusion"), FactKind.PRIOR_THERAPY)
    assert facts and all(f.uncertain and "another cancer" in f.uncertain for f in facts)


# --- a heart or vessel procedure among cardiac conditions ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # NCT02074878 (M070)
        "History of any one or more of the following cardiovascular conditions within the past 6 months: - Cardiac "
        "angioplasty or stenting - Myocardial infarction - Unstable angina - Coronary artery bypass graft surgery - "
        "Symptomatic peripheral vascular disease - Class III or IV congestive heart failure, as defined by the New "
        "York Heart Association (NYHA)",
        # NCT00363311
        "Any unstable serious co-existing medical condition(s) including but not limited to myocardial infarction, "
        "coronary bypass surgery, unstable angina, cardiac arrhythmias, clinically evident congestive heart failure, "
        "or cerebrovascular accident within 6 months prior to Screening visit",
    ],
)
def test_a_heart_procedure_is_not_any_surgery(text: str) -> None:
    surgery = [f for f in _of(_one(text, "Exclusion"), FactKind.PRIOR_THERAPY) if "surgery" in f.values.categories]  # type: ignore[attr-defined]
    assert surgery and all(f.uncertain for f in surgery)


# --- the examples after "including but not limited to" belong to what they exemplify (therapy) ---------------------


def test_the_examples_of_a_washout_are_not_required() -> None:
    # NCT02963051 (M044)
    c = _one(
        "A minimum of 4 weeks from prior chemotherapy, including but not limited to, docetaxel, cabazitaxel, "
        "mitoxantrone, carboplatinum, cisplatin, or estramustine; if applicable, prior to registration."
    )
    facts = _of(c, FactKind.PRIOR_THERAPY)
    assert facts and all(f.polarity is Polarity.EXCLUDE and f.values.within.number == 4 for f in facts)  # type: ignore[attr-defined]


def test_progressed_on_up_to_two_lines_asks_for_at_least_one() -> None:
    # NCT01811212 (a thyroid study): read whole, the clause's count "up to 2" must not allow none
    c = _one(
        'Patients must have "progressed on" up to 2 lines of prior vascular endothelial growth factor receptor '
        "(VEGFR)-targeted therapy (including but not limited to sorafenib, sunitinib, vandetanib, pazopanib, or "
        "lenvatinib) as defined by progressive disease per RECIST while receiving VEGFR-targeted therapy"
    )
    facts = [f for f in _of(c, FactKind.PRIOR_THERAPY) if f.polarity is Polarity.REQUIRE]
    assert [(f.values.min_count, f.values.max_count) for f in facts] == [(1, 2)]  # type: ignore[attr-defined]


# --- a therapy requirement that also takes those who did not tolerate it or were judged unsuitable --------------


@pytest.mark.parametrize(
    "text",
    [
        # NCT02277197 (M069)
        "Patients must have previously received, not tolerated, or been judged clinically unsuitable for "
        "platinum-containing therapy.",
        # NCT01313429
        "Patients must have received or refused first line standard systemic therapy for their metastases (if "
        "applicable).",
        # NCT02188264
        "all patients must have received and progressed or be intolerant of an oxaliplatin-containing regimen and an "
        "irinotecan-containing regimen",
    ],
)
def test_an_alternative_to_having_had_the_therapy_leaves_it_uncertain(text: str) -> None:
    required = [f for f in _of(_one(text), FactKind.PRIOR_THERAPY) if f.polarity is Polarity.REQUIRE]
    assert required and all(f.uncertain for f in required)


def test_a_plain_therapy_requirement_stays_certain() -> None:
    c = _one("Patients must have received at least one prior platinum-based regimen")
    required = [f for f in _of(c, FactKind.PRIOR_THERAPY) if f.polarity is Polarity.REQUIRE]
    assert required and not any(f.uncertain for f in required)


def test_a_window_of_a_later_sentence_leaves_the_progression_uncertain() -> None:
    # NCT00571116 (M064): "28 days" belongs to the prior therapy's washout, not to the progression
    progression = _of(_one(M064), FactKind.PROGRESSION)
    assert progression and all(f.uncertain for f in progression)


def test_a_window_in_the_progressions_own_sentence_stays() -> None:
    c = _one("Documented disease progression within 6 months prior to study entry. Prior therapy is allowed.")
    assert [(f.values.within.number, f.uncertain) for f in _of(c, FactKind.PROGRESSION)] == [(6, None)]  # type: ignore[attr-defined]


# --- review of parser 25 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # constructed on NCT00384228's inline note: the note holds the exception of the rest ("are eligible"); read
        # alone, the rest would exclude every brain metastasis, the whole criterion only active ones
        (
            "Known brain metastases NB: patients with treated, stable brain metastases are eligible",
            FactKind.BRAIN_METASTASES,
        ),
        # constructed on NCT02040870's "whether or not previously treated": the window after it is the rest's
        (
            "Prior chemotherapy, whether or not previously treated with adjuvant therapy, unless completed more than "
            "12 months before.",
            FactKind.PRIOR_THERAPY,
        ),
    ],
)
def test_the_rest_read_again_never_excludes_more_than_the_whole(text: str, kind: FactKind) -> None:
    c = _one(text, "Exclusion")
    assert _of(c, kind) and all(f.uncertain for f in _of(c, kind))


def test_a_kind_the_whole_reading_did_not_read_stands_as_read_again() -> None:
    # NCT00571116: the kinds the whole reading did not read (the brain metastases took the criterion) stand as read
    c = _one(
        "Subjects must have progressed based on Response Evaluation Criteria in Solid Tumors (RECIST) criteria after "
        "at least one prior systemic therapy (chemotherapy, biologic/immunotherapy, or a combination regimen) for "
        "metastatic disease. This includes development of any new lesion or a 20% increase in the sum of the "
        "subject's measurable disease compared to their previous nadir. New CNS metastasis could be the reason for "
        "disease progression, but they must be stable clinically and satisfy criteria delineated in section 5.4. "
        "Prior systemic therapy must have been completed at least 28 days before registration."
    )
    therapy = _of(c, FactKind.PRIOR_THERAPY)
    assert [(f.polarity, bool(f.uncertain)) for f in therapy] == [(Polarity.REQUIRE, False), (Polarity.EXCLUDE, False)]


@pytest.mark.parametrize(
    ("text", "section"),
    [
        # NCT02231749, NCT00581789: the class and its examples are one exclusion
        (
            "Prior systemic treatment with VEGF or VEGF receptor targeted therapy (including, but not limited to, "
            "Sunitinib, Pazopanib, Axitinib, Tivozanib, and Bevacizumab)",
            "Exclusion",
        ),
        (
            "Prior treatment with any receptor tyrosine kinase inhibitors, VEGF inhibitors, or other angiogenic "
            "inhibitors (including but not limited to bevacizumab, sunitinib, erlotinib, gefitinib, or thalidomide).",
            "Exclusion",
        ),
        # NCT02963051 (M044): the washout's class and examples, one fact
        (
            "A minimum of 4 weeks from prior chemotherapy, including but not limited to, docetaxel, cabazitaxel, "
            "mitoxantrone, carboplatinum, cisplatin, or estramustine; if applicable, prior to registration.",
            "Inclusion",
        ),
    ],
)
def test_a_class_and_its_examples_are_one_fact(text: str, section: str) -> None:
    facts = _of(_one(text, section), FactKind.PRIOR_THERAPY)
    assert len(facts) == 1
    assert facts[0].values.drugs and (facts[0].values.classes or facts[0].values.categories)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        # NCT03382886 (a thyroid trial): "or refused" far from "Received"; NCT03511222
        "Received at least one line of therapy with a TKI (including, but not limited to sorafenib, lenvatinib, and/or "
        "regorafenib) with evidence of disease progression clinically or radiographically as deemed by investigator, "
        "or refused therapy with a TKI. No more than two lines of prior therapy are allowed.",
        "SCLC cohort: histologically or cytologically confirmed diagnosis of small cell lung cancer whose disease "
        "progressed on platinum-based chemotherapy or refused chemotherapy",
    ],
)
def test_a_therapy_required_or_refused_is_uncertain(text: str) -> None:
    facts = [f for f in _of(_one(text), FactKind.PRIOR_THERAPY) if f.polarity is Polarity.REQUIRE]
    assert facts and all(f.uncertain for f in facts)
