"""this22 (issue 10; tests/audit/this22_changes.txt): an exclusion of prior therapy "for this disease", "for the
tumor", "for the current disease", "for this cancer", "for the study cancer" is of the trial's own cancer. Five
judged-wrong items of sweep sample 28 (patient ex-ret-fusion-ptc: AI125, AI134, AI177, AI293, AI302) read it, in trials
for another cancer, as the patient's thyroid cancer's therapy.

The therapy extractor marks such a therapy with one doubt (`diseases.own_disease_doubt`); the trial's list decides
(`across._own_disease_told`): an exclusion keeps it in a trial for another cancer (a certain requirement of another
primary site, in its lines or its conditions list) or in one that names neither the thyroid nor many cancers; it is
taken off in a thyroid or basket trial (the patient's own cancer) and from a requirement (another cancer's therapy,
which she lacks). "... for a different cancer is allowable" is a permission, never an exclusion of what it names.
Every line is registry text with the trial it came from.
"""

from __future__ import annotations

from matcher.eligibility.criteria import FactKind, Polarity
from matcher.eligibility.parser import StructuredFields, parse_text
from tests.readings import line_facts, list_text

OWN = "a therapy for the trial's own cancer"
PERMISSION = "a permission of therapy for another cancer"

_AI134 = "No prior systemic anticancer treatment for this disease"  # NCT01005199 (HCC)
_HCC = "Histologically, cytologically, or radiologically confirmed hepatocellular carcinoma (HCC)"  # NCT01005199
_AI302 = "Prior surgery, radiotherapy or chemotherapy for this cancer (other than core-needle biopsy)"  # NCT02950259
_BREAST = "Invasive breast cancer of any receptor subtype diagnosed by core-needle biopsy"  # NCT02950259
_AI177 = (
    "Patients must not have had been treated previously with radiation, chemotherapy or other anti-cancer agent for "
    "the current disease."
)  # NCT01418001 (sarcoma)
_STS = (
    "Patients must have histologically or cytologically confirmed extremity only, ≥8 cm, high grade STS (MPNST, "
    "MFH/UPS, LMS) at MSKCC or locally for participating sites."
)  # NCT01418001
_AI125 = (
    "No previous therapy for the tumor, including chemotherapy, radiation therapy, immunotherapy, EGFR targeted "
    "therapy, src directed therapies or investigational agents."
)  # NCT00882583 (head and neck)
_SCC = (
    "Patients must have a histologically confirmed operable or inoperable squamous cell carcinoma of OC, OP, HP, or "
    "larynx prior to proceeding with treatment."
)  # NCT00882583
_AI293 = (
    "Prior systemic therapy, including cytotoxic chemotherapy, biologic/targeted therapy, or immune therapy for the "
    "study cancer; note: prior cytotoxic chemotherapy or biologic/targeted therapy for a different cancer is "
    "allowable; however, a prior anti-programmed cell death (PD)-1, anti-PD-L1, or anti-programmed cell death 1 ligand "
    "2 (PD-L2) agent is not permitted"
)  # NCT02775812 (head and neck)
_HNSCC = (
    "Pathologically (histologically or cytologically) proven diagnosis of head and neck squamous cell carcinoma "
    "(HNSCC) involving the oral cavity (excluding lips), oropharynx (p16 negative), hypopharynx or larynx"
)  # NCT02775812
_DTC = "Histologically confirmed metastatic medullary or differentiated thyroid cancer."  # NCT01013597 (thyroid)
_SOLID = "Histologically or cytologically confirmed advanced solid tumor"  # a basket's opening (HINT oncology text)


def _therapy(text: str, line: str) -> list[tuple[Polarity, str | None]]:
    return [(f.polarity, f.uncertain) for f in line_facts(text, line, FactKind.PRIOR_THERAPY)]


def _own(facts: list[tuple[Polarity, str | None]]) -> bool:
    return bool(facts) and all(p is Polarity.EXCLUDE and u and u.startswith(OWN) for p, u in facts)


def test_ai134_hcc_trial_this_disease_is_uncertain() -> None:
    assert _own(_therapy(list_text(_HCC, _AI134), _AI134))


def test_ai302_breast_trial_this_cancer_is_uncertain_surgery_too() -> None:
    facts = line_facts(list_text(_BREAST, exclusions=(_AI302,)), _AI302, FactKind.PRIOR_THERAPY)
    assert len(facts) == 1 and "surgery" in facts[0].values.categories  # type: ignore[attr-defined]
    assert facts[0].uncertain and facts[0].uncertain.startswith(OWN)


def test_ai177_sarcoma_trial_current_disease_is_uncertain() -> None:
    assert _own(_therapy(list_text(_STS, exclusions=(_AI177,)), _AI177))


def test_ai125_trial_naming_no_cancer_of_hers_the_tumor_is_uncertain() -> None:
    assert _own(_therapy(list_text(_SCC, _AI125), _AI125))


def test_ai293_study_cancer_and_permission_for_a_different_cancer() -> None:
    facts = _therapy(list_text(_HNSCC, exclusions=(_AI293,)), _AI293)
    assert len(facts) == 3
    assert facts[0][1] and facts[0][1].startswith(OWN)  # "... for the study cancer"
    assert facts[1][1] and facts[1][1].startswith(PERMISSION)  # "... for a different cancer is allowable"
    assert facts[2] == (Polarity.EXCLUDE, None)  # "a prior anti-PD-1, anti-PD-L1 ... agent is not permitted"


def test_conditions_list_alone_tells_another_cancer() -> None:
    criteria = parse_text(list_text(_AI134), StructuredFields(conditions=("liver cancer",)))
    facts = [f for c in criteria for f in c.facts if f.kind is FactKind.PRIOR_THERAPY]
    assert facts and all(f.uncertain and f.uncertain.startswith(OWN) for f in facts)


def test_thyroid_trial_this_disease_is_hers() -> None:
    for line in (_AI134, _AI125, _AI177):
        assert _therapy(list_text(_DTC, line), line) == [(Polarity.EXCLUDE, None)], line


def test_thyroid_trial_study_cancer_stays_and_permission_is_no_exclusion() -> None:
    facts = _therapy(list_text(_DTC, exclusions=(_AI293,)), _AI293)
    assert facts[0] == (Polarity.EXCLUDE, None)
    assert facts[1][1] and facts[1][1].startswith(PERMISSION)


def test_basket_trial_this_disease_is_hers() -> None:
    assert _therapy(list_text(_SOLID, _AI134), _AI134) == [(Polarity.EXCLUDE, None)]


def test_requirement_in_another_cancers_trial_keeps_its_reading() -> None:
    # NCT01826838 (prostate), a line its text gives under the inclusions: a requirement of the prostate cancer's
    # chemotherapy, which a thyroid patient lacks (the judges' ruling for another cancer's therapy required)
    line = (
        "Prior systemic chemotherapy for the study cancer; note that prior chemotherapy for a different cancer is "
        "allowable."
    )
    prostate = (
        "Histologically or pathologically confirmed adenocarcinoma of the prostate to be treated with radiation "
        "therapy and hormone therapy."
    )
    facts = _therapy(list_text(prostate, line), line)
    assert facts[0] == (Polarity.REQUIRE, None)


def test_concurrent_therapy_for_this_cancer_keeps_its_reading() -> None:
    # NCT00349206 (melanoma): the therapy she is on now, as fresh sample 17's X073 was judged (right)
    line = "No other concurrent anticancer agents or therapies for this cancer."
    melanoma = (
        "Histologically or cytologically confirmed melanoma, meeting 1 of the following criteria: recurrent or "
        "unresectable stage III disease, stage IV disease, non-choroidal origin."
    )
    assert _therapy(list_text(melanoma, line), line) == [(Polarity.EXCLUDE, None)]
