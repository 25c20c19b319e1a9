"""The comorbid profiles (tests/comorbid): RAIR-DTC patients written with the conditions, medicines and labs an older
thyroid cancer patient has. Six of session 23 (atrial fibrillation, coronary stent, hepatitis B carrier, cured hepatitis
C and stroke, type 1 diabetes, airway) found cardiac29, infect29, past29 and lab29; twelve of session 24 (venous
thromboembolism on apixaban, epilepsy on carbamazepine, steroids and kidney disease, a past breast cancer, a chronic
lymphocytic leukaemia with heart failure, Crohn's disease on adalimumab, a tracheoesophageal fistula, cirrhosis, a
tracheostomy after neck radiotherapy, HIV, lupus after a pregnancy, a prostate cancer on androgen deprivation) found
cardiac30, cond30, malig30, infect30 and therapy30 (tests/audit/README.md, "After session 24's rules"). Matched against
the tuning texts: `bench.violation_audit --panel tests/comorbid --all FILE` for the thyroid texts; the sessions matched
them against the HINT oncology texts too, as `--sample-3` does. Comorbid samples 29 to 56 measure them. Eight
more of session 33 (a kidney transplant, heart failure on amiodarone, uncontrolled hypertension on insulin, a
mechanical valve on warfarin after a bleed, multiple sclerosis on ocrelizumab with a treated latent tuberculosis, a
past melanoma on methotrexate, a past pembrolizumab colitis, a spinal cord compression at 88) are samples 57-60's;
six more of session 33 (a pregnancy, a patient of 16, haemodialysis, untreated brain metastases, hepatitis B cirrhosis,
COPD on oxygen with pulmonary fibrosis) are sample 61's; six of session 34 (breastfeeding after a delivery, an active
tuberculosis on rifampin, hemoptysis from a tracheal invasion, an investigational RAF inhibitor just stopped, low
potassium and magnesium with a long QTc on a diuretic, a non-healing diabetic foot ulcer) are sample 63's; six of
session 35 (a dysphagia fed by gastrostomy, a pancreatitis with alcohol use, a neck wound infection after recent
surgery, a dementia consenting through a representative, an anaphylaxis to contrast with hyperparathyroidism, a viremic
hepatitis C with a limb ischaemia) are sample 66's. Each must stay a valid profile."""

from __future__ import annotations

from pathlib import Path

from bench.violation_audit import load_panel

FOLDER = Path(__file__).parent / "comorbid"


def test_the_comorbid_profiles_are_valid_and_hold_conditions() -> None:
    loaded = load_panel(FOLDER)  # validates each against the patient schema
    assert sorted(p.patient.id for p in loaded) == sorted(path.stem for path in FOLDER.glob("*.json"))
    for profile in loaded:
        assert len(profile.patient.conditions) >= 6, profile.patient.id
