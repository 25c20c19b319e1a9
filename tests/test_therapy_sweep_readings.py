"""The therapy sweep (issue 10; tests/audit/therapy_sweep_changes.txt): `violated` outcomes decided by prior-therapy
facts, read criterion by criterion, showed classes of wrong readings. Each is now uncertain, never another
requirement. Each phrasing is registry text with the trial it came from; the last rows must keep their reading."""

from __future__ import annotations

import pytest

from matcher.eligibility.criteria import Fact, FactKind, Polarity
from matcher.eligibility.parser import parse_text


def _therapy(section: str, line: str) -> list[Fact]:
    criteria = parse_text(f"{section} Criteria:\n\n- {line}\n")
    return [f for c in criteria for f in c.facts if f.kind is FactKind.PRIOR_THERAPY]


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
